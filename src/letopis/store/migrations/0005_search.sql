-- Full-text search (letopis.search): one row per searchable unit (a paragraph of a document, an event mention, a
-- statement, a figure claim) and an FTS5 index over its words' terms computed in Python (pymorphy2 lemma and
-- Snowball stem, one term per word, positions aligned: FTS5 has no Russian morphology), beside the unit's kind,
-- event types and names, so that every filter but dates and sources is answered by the index itself.
-- search_units holds what a hit shows and what a listing sorts by (small rows); search_text the indexed columns;
-- search_fts is external-content over search_text. letopis.search.index writes all three (an INSERT … SELECT per
-- batch: an insert trigger costs three times as much); a trigger unindexes and drops the terms of a deleted unit,
-- so deleting a document (ON DELETE CASCADE) or its units keeps them in step. Recomputable at any time.
CREATE TABLE search_units (
    id          INTEGER PRIMARY KEY,           -- the FTS rowid
    kind        TEXT NOT NULL,                 -- paragraph | event | statement | figure
    unit_id     TEXT NOT NULL UNIQUE,          -- doc_id + ":p3" (paragraph 3), ":e0" (event 0 of the extraction, the
                                               -- mention doc_id:0), ":s0" (statement 0), ":f0" (figure 0, the claim doc_id:0)
    doc_id      TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start       INTEGER NOT NULL,              -- [start, stop) into documents.text: the unit's own words
    stop        INTEGER NOT NULL,
    body_start  INTEGER NOT NULL,              -- [body_start, body_stop) into documents.body: the words indexed
    body_stop   INTEGER NOT NULL,              -- (a figure's whole sentence, the rest: the unit itself)
    date_start  TEXT,                          -- YYYY[-MM[-DD]]: the event's, the statement's, the claim's day,
    date_end    TEXT,                          -- else the article's
    type        TEXT NOT NULL DEFAULT '',      -- "ASSAULT PROTEST": the PLOVER types of the unit (its events)
    event_id    TEXT                           -- the corpus event of an event mention or a figure claim
);
CREATE INDEX search_units_doc ON search_units(doc_id);
CREATE INDEX search_units_kind_date ON search_units(kind, date_start);
CREATE INDEX search_units_date ON search_units(date_start);

CREATE TABLE search_text (
    id          INTEGER PRIMARY KEY,           -- search_units.id
    lemmas      TEXT NOT NULL,                 -- one term per word, space-separated
    stems       TEXT NOT NULL,                 -- the same words' stems, positions aligned
    kind        TEXT NOT NULL,                 -- search_units.kind
    types       TEXT NOT NULL,                 -- "assault protest"
    places      TEXT NOT NULL,                 -- folded (lower case, е for ё) names, " ; "-joined: places, their
    entities    TEXT NOT NULL,                 -- canonical names, regions and country codes; entity names and
    claimants   TEXT NOT NULL                  -- corpus entity ids; speakers and figure claimants and their class
);

CREATE VIRTUAL TABLE search_fts USING fts5(
    lemmas, stems, kind, types, places, entities, claimants,
    content='search_text', content_rowid='id',
    tokenize='unicode61 remove_diacritics 0'
);

CREATE TRIGGER search_units_ad AFTER DELETE ON search_units BEGIN
    INSERT INTO search_fts (search_fts, rowid, lemmas, stems, kind, types, places, entities, claimants)
        SELECT 'delete', id, lemmas, stems, kind, types, places, entities, claimants FROM search_text WHERE id = old.id;
    DELETE FROM search_text WHERE id = old.id;
END;
