-- Documents keyed by content hash, every name they were seen under, and rejected inputs with their reason.
CREATE TABLE documents (
    id          TEXT PRIMARY KEY,          -- content hash of the text ("doc-" + 16 hex)
    source      TEXT NOT NULL,             -- the first name it was ingested under
    format      TEXT NOT NULL,             -- frontmatter | dump | plain | html | jsonl | csv
    title       TEXT,
    title_start INTEGER,
    title_stop  INTEGER,
    published   TEXT,                      -- YYYY-MM-DD | YYYY-MM | YYYY, or NULL: never invented
    precision   TEXT,                      -- day | month | year, or NULL
    author      TEXT,
    url         TEXT,
    language    TEXT NOT NULL DEFAULT 'ru',
    encoding    TEXT NOT NULL,
    text        TEXT NOT NULL,             -- exactly as decoded: every offset points into it
    body        TEXT NOT NULL,             -- markup-free body the annotators read
    body_map    TEXT NOT NULL,             -- JSON runs [body_start, text_start, length]
    ingested_at TEXT NOT NULL
);
CREATE INDEX documents_published ON documents(published);

CREATE TABLE document_sources (
    doc_id     TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    source     TEXT NOT NULL,
    encoding   TEXT,
    first_seen TEXT NOT NULL,
    PRIMARY KEY (doc_id, source)
);
CREATE INDEX document_sources_source ON document_sources(source);

CREATE TABLE ingest_errors (
    id         INTEGER PRIMARY KEY,
    source     TEXT NOT NULL,
    reason     TEXT NOT NULL,
    message    TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen  TEXT NOT NULL,
    times      INTEGER NOT NULL DEFAULT 1,
    UNIQUE (source, reason)
);
