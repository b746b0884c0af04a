-- The corpus view: event mentions clustered into real-world events, the figure ledger, entities across articles.
-- Everything here is recomputable from `extractions` (the corpus stage can rebuild it at any time).
CREATE TABLE event_mentions (
    id          TEXT PRIMARY KEY,              -- doc_id:index of the event in the document's extraction
    doc_id      TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    type        TEXT NOT NULL,
    date_start  TEXT,
    date_end    TEXT,
    win_start   TEXT,                          -- the days its event may lie in: its dates, or (undated) the weeks
    win_end     TEXT,                          -- before its article; the clustering block
    country     TEXT,
    event_id    TEXT NOT NULL,                 -- the cluster (events.id)
    reason      TEXT NOT NULL,                 -- why it joined its cluster (or "new")
    background  INTEGER NOT NULL DEFAULT 0,    -- inside a paragraph shared with other articles
    data        TEXT NOT NULL                  -- the EventMention record as JSON
);
CREATE INDEX event_mentions_block ON event_mentions(type, win_start);
CREATE INDEX event_mentions_event ON event_mentions(event_id);
CREATE INDEX event_mentions_doc ON event_mentions(doc_id);

CREATE TABLE events (
    id          TEXT PRIMARY KEY,              -- ev-…, from the mention that opened it
    type        TEXT NOT NULL,
    date_start  TEXT,
    date_end    TEXT,
    country     TEXT,
    place       TEXT,
    n_mentions  INTEGER NOT NULL,
    n_sources   INTEGER NOT NULL,
    data        TEXT NOT NULL                  -- the CorpusEvent record as JSON (without mentions and figures)
);
CREATE INDEX events_block ON events(type, date_start);
CREATE INDEX events_date ON events(date_start);

CREATE TABLE figure_claims (
    id          TEXT PRIMARY KEY,              -- doc_id:index of the figure in the document's extraction
    doc_id      TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    category    TEXT NOT NULL,
    claimant    TEXT,
    claimed_on  TEXT,
    event_id    TEXT,
    mention_id  TEXT,
    background  INTEGER NOT NULL DEFAULT 0,
    data        TEXT NOT NULL
);
CREATE INDEX figure_claims_event ON figure_claims(event_id);
CREATE INDEX figure_claims_doc ON figure_claims(doc_id);
CREATE INDEX figure_claims_category ON figure_claims(category, claimed_on);

CREATE TABLE corpus_entities (
    id          TEXT PRIMARY KEY,              -- ent-…
    type        TEXT NOT NULL,                 -- PER, ORG, LOC
    name        TEXT NOT NULL,
    data        TEXT NOT NULL                  -- names, roles, place, documents
);
CREATE TABLE entity_keys (                     -- how a name in a new article finds its corpus entity
    key         TEXT NOT NULL,
    entity_id   TEXT NOT NULL REFERENCES corpus_entities(id) ON DELETE CASCADE,
    PRIMARY KEY (key, entity_id)
);
CREATE TABLE entity_mentions (
    entity_id   TEXT NOT NULL REFERENCES corpus_entities(id) ON DELETE CASCADE,
    doc_id      TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    local_id    TEXT NOT NULL,                 -- the entity's id inside the document's extraction ("e3")
    name        TEXT NOT NULL,
    n_mentions  INTEGER NOT NULL,
    PRIMARY KEY (doc_id, local_id)
);
CREATE INDEX entity_mentions_entity ON entity_mentions(entity_id);
