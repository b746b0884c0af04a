-- PostgreSQL form of ../0002_annotations.sql.
CREATE TABLE extractions (
    doc_id       TEXT COLLATE "C" PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    version      TEXT COLLATE "C" NOT NULL,
    data         TEXT COLLATE "C" NOT NULL,
    extracted_at TEXT COLLATE "C" NOT NULL
);
