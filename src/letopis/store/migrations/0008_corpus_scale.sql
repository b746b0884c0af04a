-- Indexes that keep the corpus stage's cost per article flat as the corpus grows (letopis.corpus.stage).
--
-- A mention's block is the events of its type whose window overlaps its own. An index on (type, win_start) alone
-- answers "win_start <= end" by reading every earlier mention of the type; so windows are sorted into levels by
-- their length in days (level L: shorter than 2^L days, the last level any length), and each level is read from
-- win_start >= start - 2^L on: a bounded range. The index holds what the block query filters on and returns.
ALTER TABLE event_mentions ADD COLUMN win_level INTEGER;      -- store.corpus.window_level(win_start, win_end)
UPDATE event_mentions SET win_level = (
    SELECT CASE WHEN d < 1 THEN 0 WHEN d < 2 THEN 1 WHEN d < 4 THEN 2 WHEN d < 8 THEN 3 WHEN d < 16 THEN 4
                WHEN d < 32 THEN 5 WHEN d < 64 THEN 6 WHEN d < 128 THEN 7 WHEN d < 256 THEN 8 WHEN d < 512 THEN 9
                WHEN d < 1024 THEN 10 WHEN d < 2048 THEN 11 WHEN d < 4096 THEN 12 WHEN d < 8192 THEN 13 ELSE 14 END
    FROM (SELECT CAST(julianday(win_end) - julianday(win_start) AS INTEGER) AS d))
WHERE win_start IS NOT NULL AND win_end IS NOT NULL;
DROP INDEX event_mentions_block;
CREATE INDEX event_mentions_window ON event_mentions(type, win_level, win_start, win_end, country, event_id);

-- The documents that share a passage cluster, first seen first, without reading the whole cluster: a sentence of
-- boilerplate may recur in every article.
DROP INDEX dedup_passages_leader;
CREATE INDEX dedup_passages_leader_doc ON dedup_passages(leader, doc_seq);

-- The key each article's entity was matched by (corpus.entities.LocalEntity.primary_key): the exports name a corpus
-- entity after the key of its first report (export.reader), which does not depend on the order articles came in.
-- NULL on links made before this migration (the exports then keep the store's id until the corpus is rebuilt).
ALTER TABLE entity_mentions ADD COLUMN key TEXT;

-- A passage's bucket rows carry the lowest two bits of its 64 MinHash values, as two bit planes (corpus.dedup's
-- `_fingerprint`): a candidate whose bits agree at too few places cannot reach the threshold and is dropped without
-- reading its passage row. NULL: not known (rows of the documents' space, rows stored before this migration).
ALTER TABLE dedup_buckets ADD COLUMN fp0 INTEGER;
ALTER TABLE dedup_buckets ADD COLUMN fp1 INTEGER;

-- An event's summary (corpus.clustering.summary: its date, place, mode, country, actors, targets) is kept from
-- tallies of what its members say, so a mention joining a much-reported event reads no more than one joining a
-- small one. One row per (event, facet, background, value): how many members say it and the first of them (by id).
CREATE TABLE event_tallies (
    event_id    TEXT NOT NULL,
    facet       TEXT NOT NULL,                 -- member | doc | date | location | mode | country | actor | target
    background  INTEGER NOT NULL,              -- 0 for every "doc" row
    value       TEXT NOT NULL,                 -- JSON for date ([start, end, precision]) and location; else as is
    n           INTEGER NOT NULL,
    first       TEXT NOT NULL,                 -- event_mentions.id
    PRIMARY KEY (event_id, facet, background, value)
) WITHOUT ROWID;
-- Events whose tallies are counted again from their members when next touched: those that lost members, and every
-- event stored before this migration.
CREATE TABLE event_tallies_pending (event_id TEXT PRIMARY KEY) WITHOUT ROWID;
INSERT INTO event_tallies_pending (event_id) SELECT id FROM events;
