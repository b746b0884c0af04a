-- The names each document came under and its url, folded (lower case, е for ё), for the search's source filter
-- ("examples/07", "example.org/news": a part of one), so that the filter never scans the documents table.
-- Written by letopis.search.index beside the document's units; recomputable at any time.
CREATE TABLE search_sources (
    doc_id      TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    PRIMARY KEY (doc_id, name)
) WITHOUT ROWID;
