-- PostgreSQL form of ../0006_search_sources.sql.
CREATE TABLE search_sources (
    doc_id      TEXT COLLATE "C" NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    name        TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (doc_id, name)
);
