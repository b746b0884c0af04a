-- The names filter of the entity lists (`name=`: part of any name or role) reads a narrow column of the entity's
-- names, roles and place, folded (letopis_fold: lower case, ё as е; Cyrillic case-insensitive, which LIKE over the
-- JSON record was not), one per line; kept by store.corpus.CorpusTables.put_entity (`entity_names`).
ALTER TABLE corpus_entities ADD COLUMN names TEXT NOT NULL DEFAULT '';
UPDATE corpus_entities SET names = letopis_fold(
    name || char(10)
    || COALESCE((SELECT group_concat(key, char(10)) FROM json_each(data, '$.names')), '') || char(10)
    || COALESCE((SELECT group_concat(value, char(10)) FROM json_each(data, '$.roles')), '') || char(10)
    || COALESCE(json_extract(data, '$.place.canonical'), ''));
