"""A canonical dump of a letopis store: every table's rows, sorted, without the columns that record *when*.

Two stores built from the same inputs must dump identically whatever happened on the way (a crash and a re-run,
another file order). Left out, and why:

- wall-clock columns (`ingested_at`, `extracted_at`, `first_seen`, `last_seen`, `added_at`, `applied_at`);
- `ingest_errors.times`, which counts how often a rejected input was seen: a re-run after a crash sees it again;
- the FTS5 index tables (`search_fts*`): SQLite's own segment layout, derived from `search_units`, which is kept.
"""
from __future__ import annotations

import json
import sqlite3

CLOCK_COLUMNS = frozenset({"ingested_at", "extracted_at", "first_seen", "last_seen", "added_at", "applied_at"})
COUNTERS = {"ingest_errors": {"times", "id"}}
SKIP_PREFIXES = ("sqlite_", "search_fts")


def tables(db: sqlite3.Connection) -> list[str]:
    rows = db.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
    return [r[0] for r in rows if not r[0].startswith(SKIP_PREFIXES)]


def dump(path: str) -> dict[str, list[str]]:
    """{table: sorted rows as JSON strings} of the store at `path` (opened read-only)."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        out = {}
        for table in tables(db):
            columns = [c[1] for c in db.execute(f"PRAGMA table_info({table})")]
            keep = [c for c in columns if c not in CLOCK_COLUMNS and c not in COUNTERS.get(table, ())]
            rows = db.execute(f"SELECT {', '.join(keep)} FROM {table}").fetchall()
            out[table] = sorted(json.dumps(dict(zip(keep, map(_plain, row))), ensure_ascii=False, sort_keys=True)
                                for row in rows)
        return out
    finally:
        db.close()


def integrity(path: str) -> list[str]:
    """`PRAGMA integrity_check` and `foreign_key_check` of the store: ['ok'] when both are clean."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = [r[0] for r in db.execute("PRAGMA integrity_check")]
        rows += [f"foreign key: {tuple(r)}" for r in db.execute("PRAGMA foreign_key_check")]
        return rows
    finally:
        db.close()


def differences(a: dict[str, list[str]], b: dict[str, list[str]], limit: int = 5) -> list[str]:
    """Readable lines saying where two dumps differ (empty when they are equal)."""
    out = []
    for table in sorted(set(a) | set(b)):
        left, right = set(a.get(table, ())), set(b.get(table, ()))
        if left == right and len(a.get(table, ())) == len(b.get(table, ())):
            continue
        out.append(f"{table}: {len(a.get(table, ()))} rows vs {len(b.get(table, ()))}")
        out += [f"  only in first:  {r[:300]}" for r in sorted(left - right)[:limit]]
        out += [f"  only in second: {r[:300]}" for r in sorted(right - left)[:limit]]
    return out


def _plain(value):
    return value.hex() if isinstance(value, bytes) else value
