"""Search on PostgreSQL finds the same items as on SQLite: a table of queries (word forms, ё/е, phrases, exclusion,
OR, filters) over the invented articles of tests/search and over the examples, compared unit by unit; highlights,
hostile syntax, pages and the index's upkeep (idempotent, a deleted document, reindex) on PostgreSQL itself.

Known difference, accepted: ranking is ts_rank on PostgreSQL and BM25 on SQLite, so the order of hits may differ
(never which hits); search.postgres says where the two morphologies could part (none of these queries does)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from letopis import api
from letopis.search import index_documents, index_missing, reindex, search
from letopis.store.sqlite import Store


def _articles() -> dict[str, str]:
    """The invented articles of tests/search/test_search.py (one corpus for both backends' tests)."""
    path = Path(__file__).resolve().parents[1] / "search" / "test_search.py"
    spec = importlib.util.spec_from_file_location("_search_articles", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.ARTICLES


@pytest.fixture(scope="module")
def pair(pg_cluster, tmp_path_factory) -> tuple[str, str]:
    folder = tmp_path_factory.mktemp("articles")
    for name, text in _articles().items():
        (folder / name).write_text(text, encoding="utf-8")
    sqlite = str(tmp_path_factory.mktemp("db") / "search.db")
    url = pg_cluster.new_database("search")
    for db in (sqlite, url):
        api.ingest([str(folder)], db=db, workers=1)
    return sqlite, url


@pytest.fixture(scope="module")
def stores(pair):
    with Store(pair[0]) as a, Store(pair[1]) as b:
        yield a, b


@pytest.fixture(scope="module")
def example_stores(examples_pair):
    with Store(examples_pair[0]) as a, Store(examples_pair[1]) as b:
        yield a, b


QUERIES = [
    ("погиб", {}), ("погибли", {}), ("погибших", {}), ("погибшие", {}), ("ГОРНЯКОВ", {}),
    ("Ёлкино", {}), ("елкино", {}), ("ещё", {}), ("еще", {}), ("поселок прошел", {}), ("посёлке", {}),
    ("Семей", {}), ("Семеем", {}), ("Жумабаева", {}), ("Жумабаев", {}), ("Темиртау комендантский", {}),
    ('"комендантский час"', {}), ('"час комендантский"', {}), ('"в Темиртау"', {}), ('"погибли три"', {}),
    ("выставка OR комендантский", {}), ("выставка OR землетрясение", {}), ("землетрясение", {}),
    ("митинг -больницы", {}), ("-погиб", {}), ("погиб -Темиртау", {}), ("не", {}), ("в", {}),
    ("задержаны", {}), ("задержала", {}), ("раненых", {}), ("ранены", {}), ("Соколов", {}), ("Соколова", {}),
    ("стальных скульптур", {}), ("стали", {}), ("сталь", {}), ("20", {}), ("2024", {}),
    ("митинг", {"kind": "event"}), ("погибли", {"kind": "figure"}),
    ("погибли", {"kind": "figure", "claimant": "Свобода"}), ("погиб", {"kind": "paragraph,event"}),
    ("Жумабаев", {"kind": "paragraph,statement"}), ("", {"since": "2024-06-01"}), ("погиб", {"until": "2024-05-31"}),
    ("", {"since": "2023-01", "until": "2023-01"}), ("", {"place": "Семее"}),
    ("", {"place": "Темиртау", "kind": "event"}), ("", {"entity": "Жумабаева"}),
    ("", {"claimant": "Соколова", "kind": "statement"}), ("", {"claimant": "Петр Соколов"}),
    ("", {"claimant": "authorities"}), ("", {"claimant": "rights-groups"}),
    ("погибли", {"source": "a_temirtau"}), ("", {"source": "EXAMPLE.org/news"}), ("погиб", {"place": "Приморск"}),
    ("", {"type": "protest"}), ("", {"type": "assault,protest", "kind": "event"}), ("", {"kind": "figure"}),
    ("-погиб", {"kind": "figure", "since": "2024-05-01"}), ("погиб", {"place": "«»"}), ("", {}),
]


def _same(a, b, q, filters):
    x, y = search(a, q, limit=1000, **filters), search(b, q, limit=1000, **filters)
    assert x.total == y.total, (q, filters)
    assert {h.id for h in x.items} == {h.id for h in y.items}, (q, filters)
    return x, y


@pytest.mark.parametrize("q, filters", QUERIES)
def test_postgres_search_finds_what_sqlite_finds(stores, q, filters):
    _same(*stores, q, filters)


@pytest.mark.parametrize("q, filters", [
    ("погиб", {}), ("погибших", {}), ("задержаны", {}), ("Бишкеке", {}), ("Шахтинск", {}), ("шахтёров", {}),
    ("ещё", {}), ('"комендантский час"', {}), ('"из Алматы"', {}), ('"погибли в"', {}), ("не", {}), ("и", {}),
    ("митинг -Бишкек", {}), ("погибли OR убиты", {}), ("ОДКБ", {}), ("ТЭЦ", {}), ("аварии", {}),
    ("военнослужащие", {}), ("Кыргызстан", {}), ("Казахстана", {}), ("-погиб", {"kind": "figure"}),
    ("", {"type": "protest"}), ("", {"place": "Алматы"}), ("", {"claimant": "authorities"}),
    ("погибли", {"kind": "figure"}), ("", {"since": "2023-03-01"}), ("", {"source": "examples/07"}),
])
def test_postgres_search_finds_what_sqlite_finds_in_the_examples(example_stores, q, filters):
    x, _ = _same(*example_stores, q, filters)
    if q and not q.startswith("-") and not filters:
        assert x.total > 0, q


def test_postgres_search_hits_carry_the_same_passages_and_marks(stores):
    x, y = (search(s, "Жумабаев больницу", limit=100) for s in stores)
    by_id = {h.id: h for h in x.items}
    for h in y.items:
        other = by_id[h.id]
        assert (h.span, h.passage, h.marks, h.snippet, h.types, h.event_id) == \
               (other.span, other.passage, other.marks, other.snippet, other.types, other.event_id)


def test_postgres_search_ranks_best_first(stores):
    _, pg = stores
    page = search(pg, "погибли горняков", limit=50)
    scores = [h.score for h in page.items]
    assert scores == sorted(scores, reverse=True) and scores[0] > 0


def test_postgres_search_filter_by_corpus_entity_id(stores):
    a, b = stores
    entity = api.entities(b, name="Жумабаев")[0]
    assert {h.id for h in search(b, "", entity=entity["id"], limit=100).items} == \
           {h.id for h in search(a, "", entity=entity["id"], limit=100).items} != set()


@pytest.mark.parametrize("q", ['"', "(", "NEAR(", "погиб OR", "*", "^", "col:val", "-", '"""', "AND", '""', "«",
                               "погиб*", "погиб) OR (мир", "lemmas:погиб", "'; DROP TABLE x", "a' | 'b", "x:* & !y",
                               "\\", "%s %", "<->"])
def test_postgres_search_bad_syntax_never_raises(stores, q):
    a, b = stores
    assert search(b, q).total == search(a, q).total


def test_postgres_search_pages_and_rank_window(stores, monkeypatch):
    _, pg = stores
    first, second = search(pg, "", limit=5), search(pg, "", limit=5, offset=5)
    assert first.total == second.total > 10 and not {h.id for h in first.items} & {h.id for h in second.items}
    full = search(pg, "погиб", limit=2)
    monkeypatch.setattr("letopis.search.postgres.RANK_WINDOW", 4)
    windowed = search(pg, "погиб", limit=2)
    assert windowed.total == full.total > 0 and len(windowed.items) == 2


def test_postgres_index_is_idempotent_and_follows_deletes(pg_cluster, pair, tmp_path):
    url = pg_cluster.new_database("index-upkeep")
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, text in _articles().items():
        (folder / name).write_text(text, encoding="utf-8")
    with Store(url) as store:
        api.ingest([str(folder)], store, workers=1)
        ids = [d["id"] for d in store.list_documents()]
        units = store.db.execute("SELECT COUNT(*) FROM search_text").fetchone()[0]
        hits = {h.id for h in search(store, "погибли").items}
        assert index_documents(store, ids + ids[:1]).units == units
        assert store.db.execute("SELECT COUNT(*) FROM search_text").fetchone()[0] == units
        assert {h.id for h in search(store, "погибли").items} == hits
        assert index_missing(store).documents == 0
        (doc,) = [d for d in store.list_documents() if d["source"].endswith("c_yolkino.html")]
        with store.transaction():
            store.db.execute("DELETE FROM documents WHERE id=?", (doc["id"],))
        assert search(store, "Ёлкино").total == 0
        assert store.db.execute("SELECT COUNT(*) FROM search_text t WHERE NOT EXISTS "
                                "(SELECT 1 FROM search_units u WHERE u.id = t.id)").fetchone()[0] == 0
        report = reindex(store)
        assert report.documents == 3 and search(store, "погибли").total > 0
        with store.transaction():                    # as a database indexed before its sources were kept
            store.db.execute("DELETE FROM search_sources")
        assert index_missing(store).documents == 3


def test_postgres_search_cli_over_a_url(pair):
    from typer.testing import CliRunner

    from letopis.cli import app

    result = CliRunner().invoke(app, ["search", "погибли", "--db", pair[1], "--format", "jsonl", "--limit", "3"])
    assert result.exit_code == 0 and result.stdout.count("\n") == 3 and "погиб" in result.stdout.lower()
