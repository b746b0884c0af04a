"""The PostgreSQL store: migrations (the same tables, columns and indexes as SQLite's), documents and rejections,
transactions, read-only connections and the errors a wrong URL gets."""
from __future__ import annotations

import sqlite3

import pytest

from letopis.errors import StoreError, UnknownDocument
from letopis.ingest.base import Rejection
from letopis.ingest.document import OffsetMap, PartialDate, make_document
from letopis.store import postgres
from letopis.store.backend import POSTGRES, SQLITE, backend_for, migrations
from letopis.store.sqlite import Store

TEXT = "Вчера в Караганде прошёл митинг шахтёров. Задержаны 12 человек."


def doc(source="a.txt", text=TEXT, **meta):
    return make_document(source, "plain", text, text, OffsetMap.identity(len(text)), **meta)


@pytest.fixture
def store(pg_url):
    with Store(pg_url) as s:
        yield s


def _pg_tables(store) -> dict[str, list[str]]:
    rows = store.db.execute("SELECT table_name, column_name FROM information_schema.columns "
                            "WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position")
    out: dict[str, list[str]] = {}
    for table, column in rows:
        out.setdefault(table, []).append(column)
    return out


def _sqlite_schema(tmp_path) -> tuple[dict[str, list[str]], set[str]]:
    with Store(tmp_path / "s.db") as s:
        names = [r[0] for r in s.db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        tables = {n: [r[1] for r in s.db.execute(f"PRAGMA table_info({n})")] for n in names}
        indexes = {r[0] for r in s.db.execute("SELECT name FROM sqlite_master WHERE type='index' AND sql IS NOT NULL")}
    fts = {n for n in tables if n.startswith("search_fts")}          # FTS5's own tables: GIN indexes here
    return {n: c for n, c in tables.items() if n not in fts}, indexes


@pytest.mark.parametrize("url, backend", [("postgresql://u@127.0.0.1:5432/db", POSTGRES),
                                          ("postgresql+psycopg://u:pw@host/db", POSTGRES),
                                          ("postgres://host/db", POSTGRES), ("data/demo.db", SQLITE),
                                          (":memory:", SQLITE), ("postgresql.db", SQLITE)])
def test_postgres_url_selects_the_backend(url, backend):
    assert backend_for(url) is backend


def test_postgres_display_hides_the_password():
    assert postgres.display("postgresql://ann:s3cret@h:5432/db") == "postgresql://ann:***@h:5432/db"
    assert postgres.display("postgresql://ann@h/db") == "postgresql://ann@h/db"


def test_postgres_migrations_are_numbered_as_sqlite():
    assert [(v, n) for v, n, _ in migrations("postgresql")] == [(v, n) for v, n, _ in migrations()]


def test_postgres_migrations_apply_and_are_idempotent(pg_url):
    with Store(pg_url) as s:
        applied = s.db.execute("SELECT version, name FROM schema_migrations ORDER BY version").fetchall()
        assert [tuple(r) for r in applied] == [(v, n) for v, n, _ in migrations("postgresql")]
        assert s.schema_version() == migrations()[-1][0]
    with Store(pg_url) as s:                               # opening again applies nothing
        assert s.migrate() == migrations()[-1][0]
        assert s.db.execute("SELECT COUNT(*) FROM schema_migrations").fetchone()[0] == len(applied)


def test_postgres_schema_has_the_tables_columns_and_indexes_of_sqlite(store, tmp_path):
    tables, indexes = _sqlite_schema(tmp_path)
    pg = _pg_tables(store)
    assert set(pg) == set(tables)
    for name, columns in tables.items():
        # SQLite's implicit rowid, made explicit: last of the columns the table was made with (a later ALTER TABLE
        # adds its column after it)
        explicit = ["rowid"] if name in ("event_mentions", "corrections") else []
        assert [c for c in pg[name] if c != "rowid"] == columns and [c for c in pg[name] if c == "rowid"] == explicit, name
    pg_indexes = {r[0] for r in store.db.execute(
        "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()")}
    assert indexes <= pg_indexes
    assert {f"search_text_{c}" for c in ("lemmas", "stems", "types", "places", "entities", "claimants")} <= pg_indexes


@pytest.mark.parametrize("published", [PartialDate(2023, 3, 5), PartialDate(2023, 3), None])
def test_postgres_document_round_trip(store, published):
    d = doc(published=published, title="Митинг", title_span=(0, 6), author="Редакция", url="https://example.org/1")
    assert store.add_document(d) is True
    assert store.get_document(d.id) == d
    assert store.add_document(doc("b.txt", published=published, title="Митинг", title_span=(0, 6),
                                  author="Редакция", url="https://example.org/1")) is False
    assert store.sources_of(d.id) == ["a.txt", "b.txt"]
    assert store.resolve_id(d.id[4:10]) == d.id
    assert [r["id"] for r in store.list_documents()] == [d.id]
    assert store.list_documents(limit=None, offset=1) == []
    with pytest.raises(UnknownDocument):
        store.resolve_id("ffff")


def test_postgres_rejections_count_repeats(store):
    rej = Rejection("/x.bin", "binary", "NUL bytes: not text", "2024-01-01T00:00:00+00:00")
    store.add_rejection(rej)
    store.add_rejection(rej)
    (row,) = store.rejections()
    assert (row["source"], row["reason"], row["times"]) == ("/x.bin", "binary", 2)
    assert store.status().to_json()["rejected_by_reason"] == {"binary": 1}


def test_postgres_extraction_replaces(store):
    d = doc()
    store.add_document(d)
    store.put_extraction(d.id, "1", {"a": 1}, "t1")
    store.put_extraction(d.id, "2", {"a": "ё"}, "t2")
    assert store.get_extraction(d.id) == {"a": "ё"} and store.extraction_version(d.id) == "2"


def test_postgres_transaction_rolls_back_on_error(store):
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.add_document(doc())
            raise RuntimeError("stop")
    assert store.status().documents == 0
    assert not store.db.in_transaction


def test_postgres_failing_statement_rolls_back_the_whole_transaction(store):
    import psycopg

    d = doc()
    with pytest.raises(psycopg.Error):
        with store.transaction():
            store.add_document(d)          # pipelined: its answer is not awaited
            store.db.execute("INSERT INTO documents (id) VALUES (?)", (d.id,))    # NOT NULL fails
            store.db.execute("SELECT 1").fetchone()
    assert not store.db.in_transaction
    assert store.status().documents == 0
    assert store.add_document(d) is True                 # the connection is usable again


def test_postgres_nested_transactions_join_the_outer(store):
    with store.transaction():
        store.add_document(doc("a.txt"))
        with store.transaction():
            store.add_document(doc("b.txt", text="Другой текст."))
        assert store.db.in_transaction
    assert store.status().documents == 2


def test_postgres_lastrowid_of_an_identity_key(store):
    cur = store.db.execute("INSERT INTO dedup_documents (doc_id, length, added_at) VALUES (?,?,?)", ("x", 1, "t"))
    first = cur.lastrowid
    second = store.db.execute("INSERT INTO dedup_documents (doc_id, length, added_at) VALUES (?,?,?)",
                              ("y", 1, "t")).lastrowid
    assert isinstance(first, int) and second == first + 1


def test_postgres_rows_answer_by_index_and_name(store):
    store.add_document(doc())
    row = store.db.execute("SELECT id, source FROM documents").fetchone()
    assert row[1] == row["source"] == "a.txt" and dict(row) == {"id": row[0], "source": "a.txt"}
    assert list(row.keys()) == ["id", "source"]


def test_postgres_read_only_connection_refuses_writes(pg_url):
    from letopis.web.deps import ReadOnlyStore

    with Store(pg_url) as s:
        s.add_document(doc())
    ro = ReadOnlyStore(pg_url)
    try:
        assert ro.status().documents == 1
        import psycopg

        with pytest.raises(psycopg.Error, match="read-only"):
            ro.db.execute("DELETE FROM documents")
    finally:
        ro.close()
    with Store(pg_url) as s:
        assert s.status().documents == 1


def test_postgres_missing_database_is_created_but_never_served(pg_cluster):
    from letopis.web.deps import DatabaseMissing, prepare

    url = pg_cluster.new_database("missing")
    with pytest.raises(DatabaseMissing, match="no letopis database"):
        prepare(url)
    with Store(url) as s:
        assert s.status().documents == 0
    assert prepare(url) == url


def test_postgres_unreachable_server_says_what_to_do():
    with pytest.raises(StoreError, match="cannot connect to postgresql://nobody:\\*\\*\\*@127.0.0.1:1/x"):
        Store("postgresql://nobody:pw@127.0.0.1:1/x")


def test_postgres_sqlite_path_is_unchanged(tmp_path):
    with Store(tmp_path / "a.db") as s:
        assert isinstance(s.db, sqlite3.Connection) and s.backend is SQLITE
        assert s.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_postgres_refuses_a_nul_character_and_goes_on(pg_url, tmp_path):
    from letopis import api

    feed = tmp_path / "feed.jsonl"
    feed.write_text('{"title": "a", "text": "Митинг в Бишкеке \\u0000 прошёл."}\n'
                    '{"title": "b", "text": "В Оше прошёл митинг."}\n', encoding="utf-8")
    report = api.ingest([str(feed)], db=pg_url, annotate=False)
    assert report.new == 1 and [(r.source[-7:], r.reason) for r in report.rejected] == [("jsonl#1", "binary")]
    assert "NUL" in report.rejected[0].message
    sqlite = api.ingest([str(feed)], db=str(tmp_path / "s.db"), annotate=False)
    assert sqlite.new == 2 and not sqlite.rejected          # SQLite holds any text: unchanged
    with Store(pg_url) as s:
        s.add_rejection(Rejection("x\x00y", "binary", "a NUL \x00 in the message", "t"))
        assert {r["source"] for r in s.rejections()} >= {"x\\x00y"}


def test_postgres_writers_queue_readers_do_not(pg_url):
    import threading
    import time

    with Store(pg_url):
        pass
    started, order = threading.Event(), []

    def writer():
        with Store(pg_url) as s, s.transaction():
            s.add_document(doc("w1.txt", text="Первый писатель."))
            started.set()
            time.sleep(0.6)
            order.append("first commits")

    t = threading.Thread(target=writer)
    t.start()
    started.wait(10)
    with Store(pg_url) as reader:
        began = time.monotonic()
        assert reader.status().documents == 0               # a reader sees the committed state, without waiting
        assert time.monotonic() - began < 0.5
        with reader.transaction():                          # a second writer waits for the first
            order.append("second writes")
            reader.add_document(doc("w2.txt", text="Второй писатель."))
    t.join()
    assert order == ["first commits", "second writes"]
    with Store(pg_url) as s:
        assert s.status().documents == 2


def test_postgres_migration_0008_computes_window_levels_as_window_level(store):
    """The levels migration 0008 gives windows stored before it (its UPDATE's expression) equal window_level's."""
    from letopis.store.corpus import window_level
    (sql,) = [s for v, _, s in migrations("postgresql") if v == 8]
    expression = sql.split("SET win_level = ", 1)[1].split("\nWHERE", 1)[0]
    pairs = [("2022-01-05", "2022-01-05"), ("2022-01-05", "2022-01-06"), ("2022-01-01", "2022-01-31"),
             ("2022-01-01", "2022-12-31"), ("2000-01-01", "2009-12-31"), ("1000-01-01", "2022-01-01"),
             ("2022-01-06", "2022-01-05")]
    for start, end in pairs:
        got = store.db.execute(f"SELECT {expression} FROM (SELECT ? AS win_start, ? AS win_end) AS w",
                               (start, end)).fetchone()[0]
        assert got == window_level(start, end), (start, end)
