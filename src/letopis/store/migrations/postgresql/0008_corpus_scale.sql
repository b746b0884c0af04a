-- PostgreSQL form of ../0008_corpus_scale.sql: the same columns, indexes and tables (read the comments there).
-- Window levels of stored rows: the bit length of the window's length in days, capped at 14, as window_level.
ALTER TABLE event_mentions ADD COLUMN win_level INTEGER;
UPDATE event_mentions SET win_level = LEAST(length(ltrim(
        CAST(CAST(LEAST(GREATEST(CAST(win_end AS date) - CAST(win_start AS date), 0), 16384) AS BIT(16)) AS TEXT), '0')), 14)
WHERE win_start IS NOT NULL AND win_end IS NOT NULL;
DROP INDEX event_mentions_block;
CREATE INDEX event_mentions_window ON event_mentions(type, win_level, win_start, win_end, country, event_id);

DROP INDEX dedup_passages_leader;
CREATE INDEX dedup_passages_leader_doc ON dedup_passages(leader, doc_seq);

ALTER TABLE entity_mentions ADD COLUMN key TEXT COLLATE "C";

ALTER TABLE dedup_buckets ADD COLUMN fp0 BIGINT;
ALTER TABLE dedup_buckets ADD COLUMN fp1 BIGINT;

CREATE TABLE event_tallies (
    event_id    TEXT COLLATE "C" NOT NULL,
    facet       TEXT COLLATE "C" NOT NULL,
    background  INTEGER NOT NULL,
    value       TEXT COLLATE "C" NOT NULL,
    n           INTEGER NOT NULL,
    first       TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (event_id, facet, background, value)
);
CREATE TABLE event_tallies_pending (event_id TEXT COLLATE "C" PRIMARY KEY);
INSERT INTO event_tallies_pending (event_id) SELECT id FROM events;
