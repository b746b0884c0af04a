-- The per-document extraction (the contract object of CONTRACT.md), recomputable from the text at any time.
CREATE TABLE extractions (
    doc_id       TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    version      TEXT NOT NULL,            -- letopis version that produced it; a newer one re-extracts
    data         TEXT NOT NULL,            -- JSON, offsets into documents.text
    extracted_at TEXT NOT NULL
);
