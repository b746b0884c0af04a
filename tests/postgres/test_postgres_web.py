"""`letopis serve --db postgresql://…`: the REST API and the pages over PostgreSQL answer as over SQLite (the same
JSON, the same HTML) on read-only pooled connections, and answer while an ingest transaction is open."""
from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient

from letopis.store.sqlite import Store
from letopis.web import create_app
from letopis.web.pages import PAGE


@pytest.fixture(scope="module")
def clients(examples_pair):
    sqlite, url = examples_pair
    with TestClient(create_app(sqlite)) as a, TestClient(create_app(url)) as b:
        yield a, b


def _both(clients, path: str, **params):
    a, b = (c.get(path, params=params) for c in clients)
    assert a.status_code == b.status_code == 200, (path, params, b.text[:300])
    return a, b


@pytest.mark.parametrize("path, params", [
    ("/api/stats", {}), ("/api/documents", {"limit": 500}), ("/api/documents", {"q": "бишкек"}),
    ("/api/documents", {"since": "2023-03-20"}), ("/api/events", {"limit": 500}),
    ("/api/events", {"type": "PROTEST", "country": "KG"}), ("/api/figures", {"limit": 500}),
    ("/api/figures", {"category": "killed", "claimant": "authorities"}), ("/api/statements", {"limit": 500}),
    ("/api/statements", {"speaker": "Сейтказиев"}), ("/api/entities", {"limit": 500}),
    ("/api/entities", {"type": "PER", "name": "Токаев"}), ("/api/places", {"limit": 500}),
    ("/api/search", {"q": "погибли", "limit": 500}), ("/api/search", {"q": "митинг", "kind": "event"}),
])
def test_postgres_api_answers_as_sqlite(clients, path, params):
    a, b = _both(clients, path, **params)
    x, y = a.json(), b.json()
    if path == "/api/search":                       # ts_rank, not BM25: the same hits, maybe in another order
        for page in (x, y):
            for item in page["items"]:
                item.pop("score")
            page["items"].sort(key=lambda i: i["id"])
    assert x == y


def test_postgres_api_details_answer_as_sqlite(clients):
    a, _ = clients
    for path in ("/api/documents", "/api/events", "/api/entities"):
        for item in a.get(path, params={"limit": 500}).json()["items"][:8]:
            x, y = (r.json() for r in _both(clients, f"{path}/{item['id']}"))
            for record in (x, y):
                record.pop("ingested_at", None)          # each store was ingested at its own time
            assert x == y


@pytest.mark.parametrize("path", ["/", "/timeline", "/map", "/figures", "/entities", "/documents"])
def test_postgres_pages_render_as_sqlite(clients, path):
    a, b = _both(clients, path)
    assert a.text == b.text


def test_postgres_search_page_lists_the_same_hits(clients):
    """The same hits over all the pages (the ranks differ, ts_rank against BM25, so a page may hold others)."""
    hits = []
    for client in clients:
        found: list[str] = []
        for offset in range(0, 50 * PAGE, PAGE):
            page = re.findall(r'class="hit-title" href="([^"]+)"',
                              client.get("/search", params={"q": "погибли", "kind": "figure", "offset": offset}).text)
            found += page
            if len(page) < PAGE:
                break
        hits.append(sorted(found))
    assert hits[0] == hits[1] and hits[0]


def test_postgres_event_and_document_pages_render_as_sqlite(clients):
    a, _ = clients
    event = a.get("/api/events", params={"limit": 1}).json()["items"][0]["id"]
    doc = a.get("/api/documents", params={"limit": 1}).json()["items"][0]["id"]
    for path in (f"/events/{event}", f"/documents/{doc}"):
        x, y = _both(clients, path)
        assert x.text == y.text


def test_postgres_api_unknown_id_is_404(clients):
    _, b = clients
    assert b.get("/api/events/ev-0000").status_code == 404
    assert b.get("/api/documents/doc-0000").status_code == 404


def test_postgres_api_concurrent_requests(clients):
    _, b = clients
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda i: b.get(["/api/events", "/api/stats", "/api/search"][i % 3],
                                                params={"limit": 3, "q": "митинг"}), range(48)))
    assert [r.status_code for r in answers] == [200] * 48


def test_postgres_api_answers_while_an_ingest_writes(examples_pair, clients):
    _, url = examples_pair
    _, b = clients
    before = b.get("/api/stats").json()["counts"]["ingest_errors"]
    with Store(url) as writer:
        with pytest.raises(RuntimeError):
            with writer.transaction():                    # what an ingest batch holds while it writes
                writer.db.execute("INSERT INTO ingest_errors (source, reason, message, first_seen, last_seen) "
                                  "VALUES ('x.txt', 'empty', 'пусто', '2023-03-01', '2023-03-01')")
                writer.db.execute("SELECT 1").fetchone()
                assert b.get("/api/stats").json()["counts"]["ingest_errors"] == before     # the committed state
                assert b.get("/api/events", params={"limit": 1}).json()["total"] > 0
                raise RuntimeError("roll back: the shared database stays as it was")
    assert b.get("/api/stats").json()["counts"]["ingest_errors"] == before
