"""The lists read a page at a time, the kept counts and migration 0009 on PostgreSQL: the store of
tests/store/test_store_lists.py built here, paged and counted as on SQLite, and filled by 0009 from rows stored
before it as the store writes them."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "store"))
import test_store_lists as lists  # noqa: E402
import undo_0009  # noqa: E402

from letopis.store.backend import migrations  # noqa: E402
from letopis.store.sqlite import Store  # noqa: E402


@pytest.fixture(scope="module")
def pg_lists(pg_cluster) -> str:
    url = pg_cluster.new_database("lists")
    with Store(url) as store:
        lists.build(store)
    return url


@pytest.fixture
def pg_store(pg_lists):
    with Store(pg_lists) as s:
        yield s


@pytest.mark.parametrize("name, page, whole", lists.LISTS, ids=[name for name, _, _ in lists.LISTS])
def test_postgres_pages_cover_the_list_in_its_order(pg_store, name, page, whole):
    expected = whole(pg_store)
    assert len(expected) > 7
    for size in (1, 7):
        seen = []
        for offset in range(0, len(expected) + size, size):
            total, items = page(pg_store, size, offset)
            assert total == len(expected)
            seen += items
        assert seen == expected


def test_postgres_pages_equal_sqlite(pg_store, tmp_path):
    with Store(tmp_path / "lists.db") as sqlite:
        lists.build(sqlite)
        for name, page, _ in lists.LISTS:
            assert page(pg_store, 50, 3) == page(sqlite, 50, 3), name


def test_postgres_counts_kept_are_the_counts_of_the_rows(pg_store):
    for what, kept, counted in lists.kept_and_counted(pg_store):
        assert kept == counted and kept, what


def test_postgres_migration_0009_fills_a_store_from_before_it(pg_url):
    with Store(pg_url) as s:
        lists.build(s)
        written = lists.snapshot(s.db)
        undo_0009.undo(s.db)
    with Store(pg_url) as s:
        assert s.schema_version() == migrations()[-1][0]
        assert lists.snapshot(s.db) == written


def test_postgres_migration_0010_folds_the_names_the_store_writes(pg_url):
    with Store(pg_url) as s:
        lists.build(s)
        written = sorted(tuple(r) for r in s.db.execute("SELECT entity_id, names FROM entity_names"))
        undo_0009.undo(s.db, undo_0009.UNDO_0010)
    with Store(pg_url) as s:
        assert sorted(tuple(r) for r in s.db.execute("SELECT entity_id, names FROM entity_names")) == written


@pytest.mark.parametrize("name, expected", [("смагулов", True), ("АКИМ", True), ("алматы", True), ("id", False)])
def test_postgres_entities_name_filter_as_sqlite(pg_url, name, expected):
    from letopis.corpus.entities import CorpusEntity
    from letopis.store.corpus import CorpusTables
    with Store(pg_url) as s:
        tables = CorpusTables(s.db)
        with s.transaction():
            tables.put_entity(CorpusEntity("ent-1", "PER", "Данияр Смагулов", {"Смагулова": 1}, ["аким Алматы"]), [])
        assert (tables.entities_page(name=name)[0] > 0) is expected
