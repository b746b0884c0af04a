-- Near-duplicate documents and shared boilerplate passages (letopis.corpus.dedup): MinHash signatures, the LSH
-- buckets that find candidates, and the clusters of near-duplicate passages. Offsets point into documents.body.
-- Document ids are not foreign keys: the index also serves bodies that are not (yet) stored as documents.
CREATE TABLE dedup_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL                     -- JSON: the parameters the index was built with
);

CREATE TABLE dedup_documents (
    seq          INTEGER PRIMARY KEY,       -- order of addition: the first seen copy has the smallest seq
    doc_id       TEXT NOT NULL UNIQUE,
    signature    BLOB,                      -- MinHash of the body's word 3-grams (uint32 little-endian); NULL if empty
    duplicate_of TEXT,                      -- the first seen near-duplicate, or NULL
    similarity   REAL,                      -- estimated Jaccard with duplicate_of
    length       INTEGER NOT NULL,          -- characters in the body: a duplicate is background from 0 to here
    added_at     TEXT NOT NULL
);

CREATE TABLE dedup_passages (
    id         INTEGER PRIMARY KEY,
    doc_seq    INTEGER NOT NULL REFERENCES dedup_documents(seq) ON DELETE CASCADE,
    paragraph  INTEGER NOT NULL,            -- index of the blank-line paragraph in the body
    start      INTEGER NOT NULL,            -- [start, stop) into the body
    stop       INTEGER NOT NULL,
    words      INTEGER NOT NULL,
    numbers    TEXT NOT NULL,               -- digit runs of the sentence, "|"-joined
    signature  BLOB NOT NULL,               -- MinHash of character 5-grams (uint32 little-endian)
    leader     INTEGER,                     -- first seen passage of its near-duplicate cluster; NULL: it is one
    similarity REAL,                        -- estimated Jaccard with the leader (a leader: with its closest member)
    shared     INTEGER NOT NULL DEFAULT 0,  -- on a leader: its cluster spans two or more documents
    changed    INTEGER NOT NULL DEFAULT 0   -- a near-duplicate in another document has different numbers
);
CREATE INDEX dedup_passages_doc ON dedup_passages(doc_seq);
CREATE INDEX dedup_passages_leader ON dedup_passages(leader);

-- MinHashLSH hash tables: space 0 = documents (key dedup_documents.seq), 1 = passage leaders (key dedup_passages.id).
CREATE TABLE dedup_buckets (
    space  INTEGER NOT NULL,
    band   INTEGER NOT NULL,
    bucket INTEGER NOT NULL,                -- 64-bit hash of the band's MinHash values
    key    INTEGER NOT NULL,
    PRIMARY KEY (space, band, bucket, key)
) WITHOUT ROWID;
