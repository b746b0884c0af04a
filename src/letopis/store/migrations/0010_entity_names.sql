-- The names filter of the entity lists (`name=`: part of any name or role) reads a narrow table of each entity's
-- names, roles and place, folded (letopis_fold: lower case, ё as е; Cyrillic case-insensitive, which LIKE over the
-- JSON record was not), one per line; kept by store.corpus.CorpusTables.put_entity (`entity_names`). A scan of it
-- reads a few bytes an entity, where a scan of corpus_entities read every record.
CREATE TABLE entity_names (
    entity_id   TEXT PRIMARY KEY REFERENCES corpus_entities(id) ON DELETE CASCADE,
    names       TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO entity_names (entity_id, names) SELECT id, letopis_fold(
    name || char(10)
    || COALESCE((SELECT group_concat(key, char(10)) FROM json_each(data, '$.names')), '') || char(10)
    || COALESCE((SELECT group_concat(value, char(10)) FROM json_each(data, '$.roles')), '') || char(10)
    || COALESCE(json_extract(data, '$.place.canonical'), ''))
FROM corpus_entities;
