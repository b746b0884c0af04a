"""The corpus tables: a mention's block is read level by level from bounded index ranges, and finds exactly the
events a scan of every mention would; a store from before migration 0008 gets the levels and counts its events'
tallies when next touched; entities left without links are dropped."""
from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from letopis.corpus.entities import CorpusEntity
from letopis.corpus.mentions import EventMention
from letopis.store.corpus import LEVELS, CorpusTables, window_level
from letopis.store.sqlite import Store, _statements, migrations


def mention(i: int, start: str, end: str, type_: str = "PROTEST", country: str | None = "KZ") -> EventMention:
    return EventMention(id=f"doc-{i:04d}:0", doc_id=f"doc-{i:04d}", source=f"{i}.txt", index=0, type=type_, mode=None,
                        span=(0, 5), trigger="митинг", date_start=start, date_end=end, precision="day",
                        date_span=None, place=None, place_span=None, location=None, country=country, actors=(),
                        targets=(), modality="asserted", published=start, words=())


@pytest.mark.parametrize("start,end,level", [
    ("2022-01-06", "2022-01-06", 0),       # a day
    ("2022-01-06", "2022-01-07", 1),       # two days
    ("2022-01-03", "2022-01-09", 3),       # a week
    ("2022-01-01", "2022-01-31", 5),       # a month
    ("2021-11-17", "2022-01-31", 7),       # an undated mention: 45 days before its article's month
    ("2022-01-01", "2022-12-31", 9),       # a year
    ("2020-01-01", "2029-12-31", 12),      # a decade
    ("1990-01-01", "2029-12-31", LEVELS - 1),   # longer than the last bounded level
])
def test_corpus_tables_window_level(start, end, level):
    assert window_level(start, end) == level
    days = (dt.date.fromisoformat(end) - dt.date.fromisoformat(start)).days
    assert level == LEVELS - 1 or days < 2 ** level


WINDOWS = [("2022-01-06", "2022-01-06"), ("2022-01-05", "2022-01-07"), ("2022-01-01", "2022-01-31"),
           ("2021-11-17", "2022-01-31"), ("2022-01-01", "2022-12-31"), ("2020-01-01", "2029-12-31"),
           ("1990-01-01", "2029-12-31"), ("2021-12-31", "2021-12-31"), ("2022-02-01", "2022-02-28"),
           ("2021-01-01", "2021-12-31"), ("2022-01-07", "2022-03-01")]


@pytest.fixture
def tables(tmp_path):
    with Store(tmp_path / "t.db") as store:
        store.db.execute("PRAGMA foreign_keys=OFF")        # mentions without stored documents
        tables = CorpusTables(store.db)
        for i, (start, end) in enumerate(WINDOWS * 3):
            type_ = ("PROTEST", "ASSAULT")[i % 2]
            country = ("KZ", "KG", None)[i // len(WINDOWS)]
            tables.add_mention(mention(i, start, end, type_, country), f"ev-{i:04d}", "new", (start, end))
        yield tables


@pytest.mark.parametrize("start,end", [*WINDOWS, ("2022-01-06", "2022-01-20"), ("1989-01-01", "1989-12-31"),
                                       ("2031-01-01", "2031-01-01"), ("2022-01-31", "2022-02-01"),
                                       ("2022-12-31", "2022-12-31"), ("2029-12-31", "2029-12-31")])  # window ends
@pytest.mark.parametrize("type_,country", [("PROTEST", "KZ"), ("ASSAULT", "KG"), ("PROTEST", None)])
def test_corpus_tables_block_is_every_overlapping_window(tables, start, end, type_, country):
    scanned = {r[0] for r in tables.db.execute(
        "SELECT event_id FROM event_mentions WHERE type=? AND win_start <= ? AND win_end >= ?"
        " AND (? IS NULL OR country = ? OR country IS NULL)", (type_, end, start, country, country))}
    assert set(tables.candidates(type_, start, end, country)) == scanned


def test_corpus_tables_migration_sets_the_levels_of_stored_windows(tmp_path):
    path = tmp_path / "old.db"
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT, applied_at TEXT)")
    for version, name, sql in migrations():
        if version < 7:
            for statement in _statements(sql):
                con.execute(statement)
            con.execute("INSERT INTO schema_migrations VALUES (?, ?, '')", (version, name))
    for i, (start, end) in enumerate(WINDOWS):
        con.execute("INSERT INTO event_mentions (id, doc_id, type, win_start, win_end, event_id, reason, data)"
                    " VALUES (?, ?, 'PROTEST', ?, ?, ?, 'new', '{}')", (f"d:{i}", "d", start, end, f"ev-{i}"))
    con.execute("INSERT INTO event_mentions (id, doc_id, type, event_id, reason, data)"
                " VALUES ('d:x', 'd', 'PROTEST', 'ev-x', 'new', '{}')")
    con.execute("INSERT INTO events (id, type, n_mentions, n_sources, data) VALUES ('ev-x', 'PROTEST', 1, 1, '{}')")
    con.close()
    with Store(path) as store:
        rows = store.db.execute("SELECT win_start, win_end, win_level FROM event_mentions ORDER BY id").fetchall()
        tables = CorpusTables(store.db)
        assert tables.tallies_pending("ev-x") and not tables.tallies_pending("ev-0")   # counted when next touched
    assert [r[2] for r in rows] == [window_level(r[0], r[1]) if r[0] else None for r in rows]


def test_corpus_tables_orphans_are_the_unlinked_entities_left_without_links(tables):
    for name in ("Токаев", "ОДКБ", "Бишкек"):
        tables.put_entity(CorpusEntity(f"ent-{name}", "PER", name), [])
    tables.link_entity("ent-Токаев", "doc-1", "e0", "Токаев", 1)
    tables.link_entity("ent-ОДКБ", "doc-1", "e1", "ОДКБ", 1)
    tables.link_entity("ent-ОДКБ", "doc-2", "e0", "ОДКБ", 2)
    _, unlinked = tables.forget_document("doc-1")
    assert unlinked == {"ent-Токаев", "ent-ОДКБ"}
    tables.orphan_entities(unlinked)
    assert {r[0] for r in tables.db.execute("SELECT id FROM corpus_entities")} == {"ent-ОДКБ", "ent-Бишкек"}
