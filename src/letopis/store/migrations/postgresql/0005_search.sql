-- PostgreSQL form of ../0005_search.sql: search_units is the same table; search_text holds the same columns as
-- tsvectors (letopis.search.postgres writes them), each with a GIN index, instead of an FTS5 table over them.
--   lemmas     the pymorphy2 lemma of each word (letopis.search.analyzer), positions aligned with the words
--   stems      to_tsvector('letopis_russian', the unit's words): PostgreSQL's Russian Snowball stemmer
--   kind       the unit's kind, as text
--   types, places, entities, claimants   the filter values, one lexeme per word as FTS5's unicode61 splits them
-- A unit's search_text row goes with it (ON DELETE CASCADE: SQLite needs a trigger for that).
--
-- letopis_russian is PostgreSQL's `russian` configuration without its stop words: a phrase keeps every word, as in
-- the SQLite index ('"в Алматы"' would otherwise be 'Алматы', and "не" find nothing by its stem), and words in
-- Latin letters are kept as they are (the Russian stemmer leaves them alone; `russian` sends them to English's).
CREATE TEXT SEARCH DICTIONARY letopis_russian_stem (TEMPLATE = snowball, Language = russian);
CREATE TEXT SEARCH CONFIGURATION letopis_russian (COPY = pg_catalog.russian);
ALTER TEXT SEARCH CONFIGURATION letopis_russian
    ALTER MAPPING FOR word, hword, hword_part WITH letopis_russian_stem;
ALTER TEXT SEARCH CONFIGURATION letopis_russian
    ALTER MAPPING FOR asciiword, asciihword, hword_asciipart WITH simple;

CREATE TABLE search_units (
    id          BIGINT PRIMARY KEY,
    kind        TEXT COLLATE "C" NOT NULL,
    unit_id     TEXT COLLATE "C" NOT NULL UNIQUE,
    doc_id      TEXT COLLATE "C" NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start       INTEGER NOT NULL,
    stop        INTEGER NOT NULL,
    body_start  INTEGER NOT NULL,
    body_stop   INTEGER NOT NULL,
    date_start  TEXT COLLATE "C",
    date_end    TEXT COLLATE "C",
    type        TEXT COLLATE "C" NOT NULL DEFAULT '',
    event_id    TEXT COLLATE "C"
);
CREATE INDEX search_units_doc ON search_units(doc_id);
CREATE INDEX search_units_kind_date ON search_units(kind, date_start);
CREATE INDEX search_units_date ON search_units(date_start);

CREATE TABLE search_text (
    id          BIGINT PRIMARY KEY REFERENCES search_units(id) ON DELETE CASCADE,
    lemmas      TSVECTOR NOT NULL,
    stems       TSVECTOR NOT NULL,
    kind        TEXT COLLATE "C" NOT NULL,
    types       TSVECTOR NOT NULL,
    places      TSVECTOR NOT NULL,
    entities    TSVECTOR NOT NULL,
    claimants   TSVECTOR NOT NULL
);
CREATE INDEX search_text_lemmas ON search_text USING GIN (lemmas);
CREATE INDEX search_text_stems ON search_text USING GIN (stems);
CREATE INDEX search_text_types ON search_text USING GIN (types);
CREATE INDEX search_text_places ON search_text USING GIN (places);
CREATE INDEX search_text_entities ON search_text USING GIN (entities);
CREATE INDEX search_text_claimants ON search_text USING GIN (claimants);
