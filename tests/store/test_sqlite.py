"""The SQLite store: migrations, WAL, idempotent documents, sources, rejections."""
import sqlite3

import pytest

from letopis.errors import StoreError, UnknownDocument
from letopis.ingest.base import Rejection
from letopis.ingest.document import OffsetMap, PartialDate, make_document
from letopis.store.sqlite import Store, migrations

TEXT = "Вчера в Караганде прошёл митинг шахтёров. Задержаны 12 человек."


def doc(source="a.txt", text=TEXT, **meta):
    return make_document(source, "plain", text, text, OffsetMap.identity(len(text)), **meta)


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "t.db") as s:
        yield s


def test_sqlite_migrations_applied_in_order(store):
    versions = [v for v, _, _ in migrations()]
    assert versions == sorted(versions) and versions[0] == 1
    assert store.schema_version() == versions[-1]


def test_sqlite_wal_mode(store):
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_sqlite_reopen_keeps_schema_and_data(tmp_path):
    path = tmp_path / "x.db"
    with Store(path) as s:
        s.add_document(doc())
    with Store(path) as s:
        assert s.status().documents == 1


@pytest.mark.parametrize("published", [PartialDate(2023, 3, 5), PartialDate(2023, 3), PartialDate(2023), None])
def test_sqlite_document_round_trip(store, published):
    d = doc(published=published, title="Митинг", title_span=(0, 6), author="Редакция", url="https://example.org/1")
    assert store.add_document(d) is True
    assert store.get_document(d.id) == d


def test_sqlite_same_text_twice_is_one_document_with_two_sources(store):
    assert store.add_document(doc("a.txt")) is True
    assert store.add_document(doc("copy/b.txt")) is False
    assert store.add_document(doc("a.txt")) is False
    st = store.status()
    assert (st.documents, st.sources) == (1, 2)
    assert store.sources_of(doc().id) == ["a.txt", "copy/b.txt"]


def test_sqlite_resolve_id_by_prefix(store):
    d = doc()
    store.add_document(d)
    assert store.resolve_id(d.id[:9]) == d.id
    assert store.resolve_id(d.id[4:10]) == d.id
    with pytest.raises(UnknownDocument):
        store.resolve_id("doc-ffffffffffffffff")


def test_sqlite_rejections_recorded_once_per_source_and_reason(store):
    store.add_rejection(Rejection("bad.bin", "binary", "binary data, not text"))
    store.add_rejection(Rejection("bad.bin", "binary", "binary data, not text"))
    store.add_rejection(Rejection("empty.txt", "empty", "the file is empty"))
    rows = store.rejections()
    assert {(r["source"], r["reason"], r["times"]) for r in rows} == {("bad.bin", "binary", 2), ("empty.txt", "empty", 1)}
    assert dict(store.status().by_reason) == {"binary": 1, "empty": 1}


def test_sqlite_transaction_rolls_back_on_error(store):
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.add_document(doc())
            raise RuntimeError("boom")
    assert store.status().documents == 0


def test_sqlite_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        Store(tmp_path / "nope" / "x.db")


def test_sqlite_not_a_database(tmp_path):
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="cannot open"):
        Store(path)


def test_sqlite_concurrent_reader_sees_committed_documents_only(tmp_path):
    path = tmp_path / "c.db"
    with Store(path) as writer:
        reader = sqlite3.connect(path)
        with writer.transaction():
            writer.add_document(doc())
            assert reader.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 0
        assert reader.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 1
        reader.close()
