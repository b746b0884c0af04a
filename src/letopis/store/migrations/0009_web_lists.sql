-- Lists that cost their page, not the corpus (the REST API's lists and the pages, web/): each list is read in its
-- order from an index, a page at a time, and counted from an index or from counters kept as the corpus is written.
-- What the new tables and counters hold is filled here from the rows stored before this migration.

-- Statements, one row per statement of a stored extraction (Store.put_extraction writes them with it), so that
-- "who said what, when" is read a page at a time in its order: day, document, index, undated last. The folded
-- columns (letopis_fold: lower case, ё as е) are what the speaker and words filters compare with.
CREATE TABLE statements (
    id             TEXT PRIMARY KEY,           -- doc_id:index of the statement in the extraction
    doc_id         TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx            INTEGER NOT NULL,
    day            TEXT,                       -- the statement's date, else its article's (null: neither is known)
    speaker_folded TEXT NOT NULL,              -- the speaker's name, folded ('' when none)
    entity_folded  TEXT NOT NULL,              -- the speaker's entity, folded ('' when none)
    text           TEXT NOT NULL,              -- the words: the article's text over the statement's span
    text_folded    TEXT NOT NULL,
    data           TEXT NOT NULL               -- the statement as the extraction has it (JSON)
);
CREATE INDEX statements_order ON statements(day, doc_id, idx);
CREATE INDEX statements_doc ON statements(doc_id, idx);
INSERT INTO statements (id, doc_id, idx, day, speaker_folded, entity_folded, text, text_folded, data)
SELECT e.doc_id || ':' || s.key, e.doc_id, s.key,
       COALESCE(NULLIF(json_extract(s.value, '$.date'), ''), d.published),
       letopis_fold(COALESCE(json_extract(s.value, '$.speaker.name'), '')),
       letopis_fold(COALESCE(json_extract(s.value, '$.speaker_entity'), '')),
       substr(d.text, json_extract(s.value, '$.span[0]') + 1,
              json_extract(s.value, '$.span[1]') - json_extract(s.value, '$.span[0]')),
       letopis_fold(substr(d.text, json_extract(s.value, '$.span[0]') + 1,
                           json_extract(s.value, '$.span[1]') - json_extract(s.value, '$.span[0]'))),
       s.value
FROM extractions e JOIN documents d ON d.id = e.doc_id, json_each(e.data, '$.statements') s;

-- An entity's counts, kept as its links are written (store.corpus: link_entity, forget_document, merge_entity):
-- the articles naming it and its mentions in them; the entities are listed most widely reported first from an index.
-- A place (a LOC entity with coordinates) has its place key (store.keys.place_key), as located events do below.
ALTER TABLE corpus_entities ADD COLUMN n_documents INTEGER NOT NULL DEFAULT 0;
ALTER TABLE corpus_entities ADD COLUMN n_mentions INTEGER NOT NULL DEFAULT 0;
ALTER TABLE corpus_entities ADD COLUMN place_key TEXT;
UPDATE corpus_entities SET
    n_documents = (SELECT COUNT(DISTINCT m.doc_id) FROM entity_mentions m WHERE m.entity_id = corpus_entities.id),
    n_mentions = (SELECT COALESCE(SUM(m.n_mentions), 0) FROM entity_mentions m WHERE m.entity_id = corpus_entities.id);
UPDATE corpus_entities SET place_key =
    letopis_fold(COALESCE(NULLIF(json_extract(data, '$.place.canonical'), ''), json_extract(data, '$.place.name'), ''))
    || '|' || COALESCE(json_extract(data, '$.place.country'), '')
WHERE type = 'LOC' AND json_extract(data, '$.place.lat') IS NOT NULL AND json_extract(data, '$.place.lon') IS NOT NULL;
CREATE INDEX corpus_entities_rank ON corpus_entities(n_documents DESC, name, id);
CREATE INDEX corpus_entities_type_rank ON corpus_entities(type, n_documents DESC, name, id);
CREATE INDEX corpus_entities_place ON corpus_entities(place_key, n_documents DESC, name, id);

-- The articles naming an entity, oldest first, a page at a time: each link carries its article's date.
ALTER TABLE entity_mentions ADD COLUMN published TEXT;
UPDATE entity_mentions SET published = (SELECT d.published FROM documents d WHERE d.id = entity_mentions.doc_id);
DROP INDEX entity_mentions_entity;
CREATE INDEX entity_mentions_published ON entity_mentions(entity_id, published, doc_id, local_id);

-- Places: the located events counted by place and type as events are written (store.corpus.put_event), and what
-- each place is (the first event or LOC entity seen there), so the list of places costs the places, not the events.
ALTER TABLE events ADD COLUMN place_key TEXT;             -- null: the event has no coordinates
UPDATE events SET place_key =
    letopis_fold(COALESCE(NULLIF(json_extract(data, '$.location.canonical'), ''), json_extract(data, '$.location.name'), ''))
    || '|' || COALESCE(json_extract(data, '$.location.country'), '')
WHERE json_extract(data, '$.location.lat') IS NOT NULL AND json_extract(data, '$.location.lon') IS NOT NULL;
CREATE TABLE places (
    key         TEXT PRIMARY KEY,              -- store.keys.place_key: the folded name and the country
    geonameid   TEXT,
    name        TEXT NOT NULL,
    country     TEXT,
    admin1      TEXT,
    lat         REAL NOT NULL,
    lon         REAL NOT NULL,
    precision   TEXT
);
CREATE TABLE place_events (
    key         TEXT NOT NULL,                 -- places.key
    type        TEXT NOT NULL,
    n           INTEGER NOT NULL,              -- located events of that type there (0: none left)
    PRIMARY KEY (key, type)
) WITHOUT ROWID;
INSERT INTO place_events (key, type, n) SELECT place_key, type, COUNT(*) FROM events WHERE place_key IS NOT NULL
GROUP BY place_key, type;
INSERT OR IGNORE INTO places (key, geonameid, name, country, admin1, lat, lon, precision)
SELECT place_key, json_extract(data, '$.location.geonameid'),
       COALESCE(NULLIF(json_extract(data, '$.location.canonical'), ''), json_extract(data, '$.location.name'), ''),
       json_extract(data, '$.location.country'), json_extract(data, '$.location.admin1'),
       json_extract(data, '$.location.lat'), json_extract(data, '$.location.lon'),
       COALESCE(NULLIF(json_extract(data, '$.location.precision'), ''), json_extract(data, '$.location.kind'))
FROM events WHERE place_key IS NOT NULL ORDER BY date_start IS NULL, date_start, id;
INSERT OR IGNORE INTO places (key, geonameid, name, country, admin1, lat, lon, precision)
SELECT place_key, json_extract(data, '$.place.geonameid'),
       COALESCE(NULLIF(json_extract(data, '$.place.canonical'), ''), json_extract(data, '$.place.name'), ''),
       json_extract(data, '$.place.country'), json_extract(data, '$.place.admin1'),
       json_extract(data, '$.place.lat'), json_extract(data, '$.place.lon'),
       COALESCE(NULLIF(json_extract(data, '$.place.precision'), ''), json_extract(data, '$.place.kind'))
FROM corpus_entities WHERE place_key IS NOT NULL ORDER BY n_documents DESC, name, id;

-- Counts of events and claims by type, country, month and category, and claimants by category, kept as they are
-- written (store.counts), for the overview, the statistics and the filter menus.
CREATE TABLE corpus_counts (
    facet       TEXT NOT NULL,                 -- event_type, event_country, event_month, claim_category, …
    key         TEXT NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (facet, key)
) WITHOUT ROWID;
CREATE TABLE claimants (                       -- claims not in a shared paragraph, by category and claimant
    category    TEXT NOT NULL,
    claimant    TEXT NOT NULL,                 -- the claimant, else the article's id (it states the figure itself)
    n           INTEGER NOT NULL,
    PRIMARY KEY (category, claimant)
) WITHOUT ROWID;
INSERT INTO corpus_counts (facet, key, n) SELECT 'event_type', type, COUNT(*) FROM events GROUP BY type;
INSERT INTO corpus_counts (facet, key, n) SELECT 'event_country', country, COUNT(*) FROM events
WHERE country IS NOT NULL GROUP BY country;
INSERT INTO corpus_counts (facet, key, n) SELECT 'event_month', substr(date_start, 1, 7), COUNT(*) FROM events
WHERE length(date_start) >= 7 GROUP BY substr(date_start, 1, 7);
INSERT INTO corpus_counts (facet, key, n) SELECT 'event_month', '', COUNT(*) FROM events WHERE date_start IS NULL;
INSERT INTO corpus_counts (facet, key, n) SELECT 'claim_category', category, COUNT(*) FROM figure_claims
GROUP BY category;
INSERT INTO corpus_counts (facet, key, n) SELECT 'claim_reported', category, COUNT(*) FROM figure_claims
WHERE background = 0 GROUP BY category;
INSERT INTO claimants (category, claimant, n) SELECT category, COALESCE(claimant, doc_id), COUNT(*) FROM figure_claims
WHERE background = 0 GROUP BY category, COALESCE(claimant, doc_id);
INSERT INTO corpus_counts (facet, key, n) SELECT 'claim_claimants', category, COUNT(*) FROM claimants GROUP BY category;

-- Events, claims and documents in their list order (date, then id; undated last, read as a second range), by type,
-- country, category and event; an event's mentions by id. The indexes replace those that are their prefixes; the
-- events' hold what the filters of a period and of located events read, so those are counted from the index alone.
DROP INDEX events_block;
DROP INDEX events_date;
CREATE INDEX events_order ON events(date_start, id, date_end, place_key);
CREATE INDEX events_type_order ON events(type, date_start, id, date_end, place_key);
CREATE INDEX events_country_order ON events(country, date_start, id, date_end, place_key);
CREATE INDEX events_place ON events(place_key, date_start, id);
DROP INDEX figure_claims_event;
DROP INDEX figure_claims_category;
CREATE INDEX figure_claims_order ON figure_claims(claimed_on, id);
CREATE INDEX figure_claims_event_order ON figure_claims(event_id, claimed_on, id);
CREATE INDEX figure_claims_category_order ON figure_claims(category, claimed_on, id);
CREATE INDEX event_mentions_event_order ON event_mentions(event_id, id);
DROP INDEX documents_published;
CREATE INDEX documents_order ON documents(published DESC, id);
