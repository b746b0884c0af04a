-- PostgreSQL form of ../0010_entity_names.sql: the same table, filled the same way.
CREATE TABLE entity_names (
    entity_id   TEXT COLLATE "C" PRIMARY KEY REFERENCES corpus_entities(id) ON DELETE CASCADE,
    names       TEXT COLLATE "C" NOT NULL
);
INSERT INTO entity_names (entity_id, names) SELECT id, letopis_fold(
    name || chr(10)
    || COALESCE((SELECT string_agg(k, chr(10)) FROM jsonb_object_keys(
           CASE WHEN jsonb_typeof(data::jsonb -> 'names') = 'object' THEN data::jsonb -> 'names' ELSE '{}'::jsonb END) k),
        '') || chr(10)
    || COALESCE((SELECT string_agg(r, chr(10)) FROM jsonb_array_elements_text(
           CASE WHEN jsonb_typeof(data::jsonb -> 'roles') = 'array' THEN data::jsonb -> 'roles' ELSE '[]'::jsonb END) r),
        '') || chr(10)
    || COALESCE(data::jsonb #>> '{place,canonical}', ''))
FROM corpus_entities;
