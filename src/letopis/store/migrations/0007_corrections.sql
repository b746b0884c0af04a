-- Corrections by researchers: a figure claim, an event or a statement marked wrong, given a corrected value, or
-- annotated — with who, when and why. They sit beside the extraction and the corpus tables and never change them;
-- the corpus tables are recomputable and this one is not, so nothing here cascades from them (a correction whose
-- item is gone stays listed). Append-only: a correction is taken back by another one.
CREATE TABLE corrections (
    id          TEXT PRIMARY KEY,              -- cor-…, a hash of the rest
    target      TEXT NOT NULL,                 -- claim, event or statement
    target_id   TEXT NOT NULL,                 -- figure_claims.id, events.id, or doc_id:index of a statement
    kind        TEXT NOT NULL,                 -- wrong, value (a corrected value of `field`) or note
    field       TEXT,                          -- kind value: the field corrected (low, high, claimant, date_start, …)
    value       TEXT,                          -- kind value: the corrected value, as JSON
    note        TEXT NOT NULL,                 -- why
    author      TEXT NOT NULL,                 -- who, as the researcher signed it
    created_at  TEXT NOT NULL,                 -- when: UTC, ISO 8601, the server's clock
    was         TEXT NOT NULL                  -- the item's correctable fields when it was corrected, as JSON
);
CREATE INDEX corrections_target ON corrections(target, target_id);
CREATE INDEX corrections_created ON corrections(created_at);
