"""store.dialect: each SQLite form the project's SQL uses, and what PostgreSQL gets instead (no server needed)."""
from __future__ import annotations

import pytest

from letopis.store.dialect import DialectError, Table, translate

TABLES = {
    "extractions": Table(("doc_id", "version", "data", "extracted_at"), ("doc_id",)),
    "event_mentions": Table(("id", "doc_id", "event_id", "data", "rowid"), ("id",), ("rowid",)),
    "entity_keys": Table(("key", "entity_id"), ("key", "entity_id")),
    "dedup_documents": Table(("seq", "doc_id", "length"), ("seq",), ("seq",)),
    "ingest_errors": Table(("id", "source", "times"), ("id",), ("id",)),
}


def pg(sql: str) -> str:
    return translate(sql, TABLES.__getitem__).sql


@pytest.mark.parametrize("sqlite, postgresql", [
    ("SELECT * FROM documents WHERE id=? AND source=?", "SELECT * FROM documents WHERE id=%s AND source=%s"),
    ("SELECT '?', \"a?\" FROM t WHERE x LIKE '%a' AND y = ?",
     "SELECT '?', \"a?\" FROM t WHERE x ILIKE '%%a' AND y = %s"),
    ("INSERT OR IGNORE INTO documents VALUES (?,?)", "INSERT INTO documents VALUES (%s,%s) ON CONFLICT DO NOTHING"),
    ("INSERT OR REPLACE INTO extractions VALUES (?,?,?,?)",
     "INSERT INTO extractions VALUES (%s,%s,%s,%s) ON CONFLICT (doc_id) DO UPDATE SET version = EXCLUDED.version, "
     "data = EXCLUDED.data, extracted_at = EXCLUDED.extracted_at"),
    ("INSERT OR REPLACE INTO event_mentions (id, doc_id, event_id, data) VALUES (?,?,?,?)",
     "INSERT INTO event_mentions (id, doc_id, event_id, data) VALUES (%s,%s,%s,%s) ON CONFLICT (id) DO UPDATE SET "
     "doc_id = EXCLUDED.doc_id, event_id = EXCLUDED.event_id, data = EXCLUDED.data, rowid = DEFAULT"),
    ("INSERT OR REPLACE INTO entity_keys (key, entity_id) VALUES (?,?)",
     "INSERT INTO entity_keys (key, entity_id) VALUES (%s,%s) ON CONFLICT (key, entity_id) DO NOTHING"),
    ("INSERT OR IGNORE INTO entity_keys (key, entity_id) SELECT key, ? FROM entity_keys WHERE entity_id=?",
     "INSERT INTO entity_keys (key, entity_id) SELECT key, %s FROM entity_keys WHERE entity_id=%s "
     "ON CONFLICT DO NOTHING"),
    ("UPDATE p SET s=MAX(COALESCE(s, 0), ?) WHERE id=?", "UPDATE p SET s=GREATEST(COALESCE(s, 0), %s) WHERE id=%s"),
    ("SELECT MAX(id), MIN(a, b) FROM t", "SELECT MAX(id), LEAST(a, b) FROM t"),
    ("SELECT instr(letopis_fold(title), ?) > 0", "SELECT strpos(letopis_fold(title), %s) > 0"),
    ("SELECT json_extract(data, '$.index'), json_extract(e.data, '$.a.b') FROM t",
     "SELECT ((data)::jsonb #> '{index}'), ((e.data)::jsonb #> '{a,b}') FROM t"),
    ("SELECT SUM(json_array_length(data, '$.statements')) FROM extractions",
     "SELECT SUM(jsonb_array_length((data)::jsonb #> '{statements}')) FROM extractions"),
    ("INSERT INTO m VALUES (?, datetime('now'))",
     "INSERT INTO m VALUES (%s, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'))"),
    ("SELECT a FROM (SELECT a FROM t LIMIT ?) UNION SELECT a FROM (SELECT a FROM u) ORDER BY a",
     "SELECT a FROM (SELECT a FROM t LIMIT %s) AS _sub1 UNION SELECT a FROM (SELECT a FROM u) AS _sub2 ORDER BY a"),
    ("SELECT a FROM (SELECT a FROM t) x", "SELECT a FROM (SELECT a FROM t) x"),
    ("SELECT id FROM d LIMIT -1 OFFSET ?", "SELECT id FROM d LIMIT ALL OFFSET %s"),
    ("SELECT 1 -- a comment with ? and %\nFROM t", "SELECT 1  \nFROM t"),
])
def test_dialect_translates(sqlite, postgresql):
    assert pg(sqlite) == postgresql


def test_dialect_sqlite_master_is_the_schema_tables():
    out = pg("SELECT 1 FROM sqlite_master WHERE name='dedup_documents'")
    assert "information_schema.tables" in out and out.endswith("AS sqlite_master WHERE name='dedup_documents'")


def test_dialect_begin_immediate_takes_the_write_lock():
    st = translate("BEGIN IMMEDIATE", TABLES.__getitem__)
    assert st.sql == "BEGIN" and st.write_lock


def test_dialect_identity_insert_returns_its_key():
    st = translate("INSERT INTO dedup_documents (doc_id, length) VALUES (?,?)", TABLES.__getitem__)
    assert st.returning == "INSERT INTO dedup_documents (doc_id, length) VALUES (%s,%s) RETURNING seq"
    assert translate("INSERT INTO extractions VALUES (?,?,?,?)", TABLES.__getitem__).returning is None


def test_dialect_upsert_of_ingest_errors_keeps_its_conflict_clause():
    st = translate("INSERT INTO ingest_errors (source) VALUES (?) ON CONFLICT (source) DO UPDATE SET "
                   "times=ingest_errors.times+1", TABLES.__getitem__)
    assert st.sql.endswith("times=ingest_errors.times+1") and st.returning.endswith("RETURNING id")


@pytest.mark.parametrize("sql", ["PRAGMA journal_mode=WAL", "SELECT json_extract(d, '$[0]') FROM t"])
def test_dialect_refuses_what_it_cannot_say(sql):
    with pytest.raises(DialectError):
        pg(sql)
