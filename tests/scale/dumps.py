"""What the scale tests compare: a store without the times it was written at, and a results dataset's rows."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pyarrow.parquet as pq

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def dump(db: Path) -> dict:
    """What an ingest decides, without the times it ran at."""
    con = sqlite3.connect(db)
    out = {
        "documents": sorted(r[0] for r in con.execute("SELECT id FROM documents")),
        "sources": sorted(con.execute("SELECT doc_id, source, encoding FROM document_sources")),
        "extractions": sorted((r[0], r[1]) for r in con.execute("SELECT doc_id, data FROM extractions")),
        "mentions": sorted(con.execute("SELECT id, event_id, reason, background FROM event_mentions")),
        "events": sorted(con.execute("SELECT id, data FROM events")),
        "claims": sorted(con.execute("SELECT id, data FROM figure_claims")),
        "entities": sorted(con.execute("SELECT entity_id, doc_id, local_id FROM entity_mentions")),
        "rejected": sorted(con.execute("SELECT source, reason, message, times FROM ingest_errors")),
    }
    con.close()
    return out


def rows(folder: Path) -> list[dict]:
    """A results dataset's document rows in reading order, without the times the articles were read at."""
    out = []
    for row in pq.read_table(folder / "documents").sort_by("seq").to_pylist():
        row.pop("ingested_at")
        row["sources"] = [{k: v for k, v in s.items() if k != "ingested_at"} for s in row["sources"]]
        out.append(row)
    return out
