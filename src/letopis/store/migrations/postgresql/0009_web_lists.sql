-- PostgreSQL form of ../0009_web_lists.sql: the same tables, columns and indexes, filled the same way (read the
-- comments there); JSON is read as jsonb, and an extraction's statements with their ordinality.
CREATE TABLE statements (
    id             TEXT COLLATE "C" PRIMARY KEY,
    doc_id         TEXT COLLATE "C" NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx            INTEGER NOT NULL,
    day            TEXT COLLATE "C",
    speaker_folded TEXT COLLATE "C" NOT NULL,
    entity_folded  TEXT COLLATE "C" NOT NULL,
    text           TEXT COLLATE "C" NOT NULL,
    text_folded    TEXT COLLATE "C" NOT NULL,
    data           TEXT COLLATE "C" NOT NULL
);
CREATE INDEX statements_order ON statements(day, doc_id, idx);
CREATE INDEX statements_doc ON statements(doc_id, idx);
INSERT INTO statements (id, doc_id, idx, day, speaker_folded, entity_folded, text, text_folded, data)
SELECT e.doc_id || ':' || (s.n - 1), e.doc_id, s.n - 1,
       COALESCE(NULLIF(s.value ->> 'date', ''), d.published),
       letopis_fold(COALESCE(s.value #>> '{speaker,name}', '')),
       letopis_fold(COALESCE(s.value ->> 'speaker_entity', '')),
       substr(d.text, (s.value #>> '{span,0}')::int + 1, (s.value #>> '{span,1}')::int - (s.value #>> '{span,0}')::int),
       letopis_fold(substr(d.text, (s.value #>> '{span,0}')::int + 1,
                           (s.value #>> '{span,1}')::int - (s.value #>> '{span,0}')::int)),
       s.value::text
FROM extractions e JOIN documents d ON d.id = e.doc_id
CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(e.data::jsonb -> 'statements') = 'array'
                                             THEN e.data::jsonb -> 'statements' ELSE '[]'::jsonb END)
           WITH ORDINALITY AS s(value, n);

ALTER TABLE corpus_entities ADD COLUMN n_documents INTEGER NOT NULL DEFAULT 0;
ALTER TABLE corpus_entities ADD COLUMN n_mentions INTEGER NOT NULL DEFAULT 0;
ALTER TABLE corpus_entities ADD COLUMN place_key TEXT COLLATE "C";
UPDATE corpus_entities SET
    n_documents = (SELECT COUNT(DISTINCT m.doc_id) FROM entity_mentions m WHERE m.entity_id = corpus_entities.id),
    n_mentions = (SELECT COALESCE(SUM(m.n_mentions), 0) FROM entity_mentions m WHERE m.entity_id = corpus_entities.id);
UPDATE corpus_entities SET place_key =
    letopis_fold(COALESCE(NULLIF(data::jsonb #>> '{place,canonical}', ''), data::jsonb #>> '{place,name}', ''))
    || '|' || COALESCE(data::jsonb #>> '{place,country}', '')
WHERE type = 'LOC' AND data::jsonb #>> '{place,lat}' IS NOT NULL AND data::jsonb #>> '{place,lon}' IS NOT NULL;
CREATE INDEX corpus_entities_rank ON corpus_entities(n_documents DESC, name, id);
CREATE INDEX corpus_entities_type_rank ON corpus_entities(type, n_documents DESC, name, id);
CREATE INDEX corpus_entities_place ON corpus_entities(place_key, n_documents DESC, name, id);

ALTER TABLE entity_mentions ADD COLUMN published TEXT COLLATE "C";
UPDATE entity_mentions SET published = (SELECT d.published FROM documents d WHERE d.id = entity_mentions.doc_id);
DROP INDEX entity_mentions_entity;
CREATE INDEX entity_mentions_published ON entity_mentions(entity_id, published, doc_id, local_id);

ALTER TABLE events ADD COLUMN place_key TEXT COLLATE "C";
UPDATE events SET place_key =
    letopis_fold(COALESCE(NULLIF(data::jsonb #>> '{location,canonical}', ''), data::jsonb #>> '{location,name}', ''))
    || '|' || COALESCE(data::jsonb #>> '{location,country}', '')
WHERE data::jsonb #>> '{location,lat}' IS NOT NULL AND data::jsonb #>> '{location,lon}' IS NOT NULL;
CREATE TABLE places (
    key         TEXT COLLATE "C" PRIMARY KEY,
    geonameid   TEXT COLLATE "C",
    name        TEXT COLLATE "C" NOT NULL,
    country     TEXT COLLATE "C",
    admin1      TEXT COLLATE "C",
    lat         DOUBLE PRECISION NOT NULL,
    lon         DOUBLE PRECISION NOT NULL,
    precision   TEXT COLLATE "C"
);
CREATE TABLE place_events (
    key         TEXT COLLATE "C" NOT NULL,
    type        TEXT COLLATE "C" NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (key, type)
);
INSERT INTO place_events (key, type, n) SELECT place_key, type, COUNT(*) FROM events WHERE place_key IS NOT NULL
GROUP BY place_key, type;
INSERT INTO places (key, geonameid, name, country, admin1, lat, lon, precision)
SELECT DISTINCT ON (place_key) place_key, data::jsonb #>> '{location,geonameid}',
       COALESCE(NULLIF(data::jsonb #>> '{location,canonical}', ''), data::jsonb #>> '{location,name}', ''),
       data::jsonb #>> '{location,country}', data::jsonb #>> '{location,admin1}',
       (data::jsonb #>> '{location,lat}')::double precision, (data::jsonb #>> '{location,lon}')::double precision,
       COALESCE(NULLIF(data::jsonb #>> '{location,precision}', ''), data::jsonb #>> '{location,kind}')
FROM events WHERE place_key IS NOT NULL ORDER BY place_key, date_start IS NULL, date_start, id;
INSERT INTO places (key, geonameid, name, country, admin1, lat, lon, precision)
SELECT DISTINCT ON (place_key) place_key, data::jsonb #>> '{place,geonameid}',
       COALESCE(NULLIF(data::jsonb #>> '{place,canonical}', ''), data::jsonb #>> '{place,name}', ''),
       data::jsonb #>> '{place,country}', data::jsonb #>> '{place,admin1}',
       (data::jsonb #>> '{place,lat}')::double precision, (data::jsonb #>> '{place,lon}')::double precision,
       COALESCE(NULLIF(data::jsonb #>> '{place,precision}', ''), data::jsonb #>> '{place,kind}')
FROM corpus_entities WHERE place_key IS NOT NULL ORDER BY place_key, n_documents DESC, name, id
ON CONFLICT DO NOTHING;

CREATE TABLE corpus_counts (
    facet       TEXT COLLATE "C" NOT NULL,
    key         TEXT COLLATE "C" NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (facet, key)
);
CREATE TABLE claimants (
    category    TEXT COLLATE "C" NOT NULL,
    claimant    TEXT COLLATE "C" NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (category, claimant)
);
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
