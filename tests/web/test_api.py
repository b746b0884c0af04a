"""The REST API over the example corpus: every endpoint, pagination, filters, 404 and 422 answers, the OpenAPI
document, security headers, read-only access while an ingest writes, and `letopis serve`."""
from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest
from fastapi import Depends
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from letopis.cli import app as cli_app
from letopis.web import app as web_app_module
from letopis.web import create_app
from letopis.web.api import router as api_router
from letopis.web.writes import router as writes_router
from letopis.web.deps import DatabaseMissing, ReadOnlyStore, get_store, require_token
from letopis.web.reads import IN_LIST

LISTS = ["/api/documents", "/api/events", "/api/figures", "/api/statements", "/api/entities", "/api/places"]


def get(client, path: str, **params) -> dict:
    r = client.get(path, params=params)
    assert r.status_code == 200, (path, params, r.text[:300])
    return r.json()


def everything(client, path: str, **params) -> dict:
    return get(client, path, limit=500, **params)


def ids(page: dict) -> list[str]:
    return [item["id"] for item in page["items"]]


# --- every endpoint ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", LISTS)
def test_api_lists_are_pages_of_items_with_ids(client, path):
    page = get(client, path)
    assert set(page) == {"items", "total", "limit", "offset"}
    assert (page["limit"], page["offset"]) == (50, 0)
    assert 0 < len(page["items"]) <= 50 and page["total"] >= len(page["items"])
    assert all(isinstance(item["id"], str) and item["id"] for item in page["items"])
    assert len(set(ids(page))) == len(page["items"])


@pytest.mark.parametrize("path, detail", [
    ("/api/documents", "/api/documents/{id}"),
    ("/api/events", "/api/events/{id}"),
    ("/api/entities", "/api/entities/{id}"),
])
def test_api_detail_of_every_listed_id(client, path, detail):
    for item in everything(client, path)["items"]:
        one = get(client, detail.format(id=item["id"]))
        assert one["id"] == item["id"]


def test_api_document_has_text_sources_and_extraction(client):
    first = get(client, "/api/documents", q="Шахтинск", limit=1)["items"][0]
    doc = get(client, f"/api/documents/{first['id']}")
    assert doc["text"] and doc["sources"] and doc["extraction"]["id"] == doc["id"]
    assert doc["extracted"]["statements"] == len(doc["extraction"]["statements"])
    short = get(client, f"/api/documents/{first['id'][:10]}", text="false", extraction="false")  # a unique prefix
    assert (short["id"], short["text"], short["extraction"]) == (doc["id"], None, None)


def test_api_event_detail_has_mentions_and_figures(client):
    events = everything(client, "/api/events")["items"]
    ev = max(events, key=lambda e: e["figures_total"])
    one = get(client, f"/api/events/{ev['id']}")
    assert one["mentions"] and len(one["figures"]) == one["figures_total"] == ev["figures_total"] > IN_LIST
    assert len(one["mentions"]) == one["mentions_total"] == ev["mentions_total"]
    assert ev == one | {"mentions": one["mentions"][:IN_LIST], "figures": one["figures"][:IN_LIST]}   # the first ones
    assert all(f["event"] == ev["id"] for f in one["figures"])


def test_api_entity_detail_lists_its_documents(client):
    ent = get(client, "/api/entities", name="Бишкек", type="LOC")["items"][0]
    one = get(client, f"/api/entities/{ent['id']}")
    assert (one["name"], one["type"], one["place"]["country"]) == ("Бишкек", "LOC", "KG")
    assert one["n_documents"] == ent["n_documents"] == len({d["doc_id"] for d in one["documents"]})
    assert one["n_mentions"] == ent["n_mentions"]
    for d in one["documents"]:
        assert get(client, f"/api/documents/{d['doc_id']}", text="false")["source"] == d["source"]


def test_api_statements_carry_their_words(client, web_db):
    st = everything(client, "/api/statements")["items"]
    assert len(st) >= 50
    with ReadOnlyStore(web_db) as store:
        for s in st[:20]:
            text = store.get_document(s["doc_id"]).text
            assert s["text"] == text[s["span"][0]:s["span"][1]] and s["text"].strip()
            assert s["day"] == (s["date"] or s["published"])


def test_api_places_have_coordinates_and_counts(client):
    places = everything(client, "/api/places")["items"]
    by_name = {p["name"]: p for p in places}
    assert all(-90 <= p["lat"] <= 90 and -180 <= p["lon"] <= 180 for p in places)
    assert by_name["Шахтинск"]["country"] == "KZ" and by_name["Шахтинск"]["n_events"] >= 1
    assert by_name["Бишкек"]["entity"] and by_name["Бишкек"]["n_documents"] >= 3
    events = everything(client, "/api/events")["items"]
    located = [e for e in events if (e["location"] or {}).get("lat") is not None]
    assert sum(p["n_events"] for p in places) == len(located)
    assert all(p["n_events"] == sum(p["event_types"].values()) for p in places)


def test_api_stats_count_the_tables(client):
    stats = get(client, "/api/stats")
    c = stats["counts"]
    assert c["documents"] == get(client, "/api/documents")["total"] == 21
    assert c["events"] == get(client, "/api/events")["total"] == sum(stats["events_by_type"].values())
    assert c["figure_claims"] == get(client, "/api/figures")["total"] == sum(stats["claims_by_category"].values())
    assert c["statements"] == get(client, "/api/statements")["total"]
    assert c["corpus_entities"] == get(client, "/api/entities")["total"]
    assert sum(stats["events_by_month"].values()) + stats["undated_events"] <= c["events"]
    assert stats["earliest"] <= stats["latest"]


# --- pagination -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("size", [1, 7])
def test_api_pages_add_up_to_the_whole_list(client, path, size):
    whole = everything(client, path)
    assert whole["total"] == len(whole["items"])
    seen = []
    for offset in range(0, whole["total"] + size, size):
        page = get(client, path, limit=size, offset=offset)
        assert (page["total"], page["limit"], page["offset"]) == (whole["total"], size, offset)
        assert len(page["items"]) == max(0, min(size, whole["total"] - offset))
        seen += ids(page)
    assert seen == ids(whole)


# --- filters ----------------------------------------------------------------------------------------------------

def _words(item) -> str:
    return json.dumps(item, ensure_ascii=False).lower()


FILTERS = [
    # path, params, what every item must satisfy
    ("/api/events", {"type": "PROTEST"}, lambda e: e["type"] == "PROTEST"),
    ("/api/events", {"type": "coerce"}, lambda e: e["type"] == "COERCE"),
    ("/api/events", {"since": "2023-03-10"}, lambda e: e["date"]["end"] >= "2023-03-10"),
    ("/api/events", {"until": "2023-03-05"}, lambda e: e["date"]["start"] <= "2023-03-05"),
    ("/api/events", {"since": "2023-03", "until": "2023-03"}, lambda e: e["date"]["start"][:7] <= "2023-03"
                                                                        <= e["date"]["end"][:7]),
    ("/api/events", {"place": "Шахтинск"}, lambda e: "шахтинск" in _words(e)),
    ("/api/events", {"country": "kg"}, lambda e: e["country"] == "KG"),
    ("/api/events", {"entity": "полиция"}, lambda e: "полиция" in _words(e["actors"] + e["targets"])),
    ("/api/figures", {"category": "killed"}, lambda f: f["category"] == "killed"),
    ("/api/figures", {"category": "DETAINED"}, lambda f: f["category"] == "detained"),
    ("/api/figures", {"claimant": "authorities"}, lambda f: f["claimant_class"] == "authorities"),
    ("/api/figures", {"claimant": "ГУВД"}, lambda f: "ГУВД" in f["claimant"]),
    ("/api/figures", {"since": "2023-03-10"}, lambda f: f["claimed_on"] >= "2023-03-10"),
    ("/api/figures", {"until": "2023-03-06"}, lambda f: f["claimed_on"] <= "2023-03-06\uffff"),
    ("/api/statements", {"speaker": "Смагулов"}, lambda s: s["speaker"] == "Данияр Смагулов"),
    ("/api/statements", {"speaker": "бекбоев"}, lambda s: s["speaker"] == "Улан Бекбоев"),
    ("/api/statements", {"since": "2023-03-15"}, lambda s: s["day"] >= "2023-03-15"),
    ("/api/statements", {"until": "2023-03-07"}, lambda s: s["day"] <= "2023-03-07\uffff"),
    ("/api/statements", {"q": "ШАХТ"}, lambda s: "шахт" in s["text"].lower()),
    ("/api/entities", {"type": "loc"}, lambda e: e["type"] == "LOC"),
    ("/api/entities", {"type": "PER", "name": "Бекбоев"}, lambda e: e["type"] == "PER" and any(
        "Бекбоев" in n for n in e["names"])),
    ("/api/places", {"country": "KZ"}, lambda p: p["country"] == "KZ"),
    ("/api/places", {"type": "PROTEST"}, lambda p: set(p["event_types"]) == {"PROTEST"}),
    ("/api/places", {"place": "бишкек"}, lambda p: "бишкек" in p["name"].lower()),
    ("/api/documents", {"since": "2023-03-15"}, lambda d: d["published"] >= "2023-03-15"),
    ("/api/documents", {"until": "2023-03-06"}, lambda d: d["published"] <= "2023-03-06\uffff"),
    ("/api/documents", {"q": "бишкек"}, lambda d: "бишкек" in (d["title"] + d["source"]).lower()),
]


@pytest.mark.parametrize("path, params, holds", FILTERS, ids=[f"{p}?{q}" for p, q, _ in FILTERS])
def test_api_filters_narrow_the_list(client, path, params, holds):
    whole = everything(client, path)
    found = everything(client, path, **params)
    assert 0 < found["total"] == len(found["items"]) < whole["total"]
    bad = [item["id"] for item in found["items"] if not holds(item)]
    assert not bad
    assert set(ids(found)) <= set(ids(whole))


def test_api_filters_by_event_and_document(client):
    ev = max(everything(client, "/api/events")["items"], key=lambda e: e["figures_total"])
    claims = everything(client, "/api/figures", event=ev["id"])
    assert sorted(ids(claims)) == sorted(f["id"] for f in get(client, f"/api/events/{ev['id']}")["figures"])
    doc = claims["items"][0]["doc_id"]
    by_doc = everything(client, "/api/figures", doc=doc[:12])
    assert by_doc["total"] and all(f["doc_id"] == doc for f in by_doc["items"])
    statements = everything(client, "/api/statements", doc=doc[:12])
    extraction = get(client, f"/api/documents/{doc}")["extraction"]
    assert statements["total"] == len(extraction["statements"]) > 0
    assert {s["doc_id"] for s in statements["items"]} == {doc}
    assert sorted(s["index"] for s in statements["items"]) == list(range(len(extraction["statements"])))
    assert [extraction["statements"][s["index"]]["span"] for s in statements["items"]] == [
        s["span"] for s in statements["items"]]
    assert everything(client, "/api/figures", doc="doc-ffffffffffffffff")["total"] == 0


def test_api_unmatched_filter_gives_an_empty_page(client):
    page = get(client, "/api/events", place="Атлантида")
    assert page == {"items": [], "total": 0, "limit": 50, "offset": 0}


# --- 404 and 422 ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", [
    "/api/documents/doc-ffffffffffffffff",
    "/api/documents/doc-",                      # a prefix of every id is not one document
    "/api/events/ev-0000000000000000",
    "/api/entities/ent-0000000000000000",
    "/api/entities/Бишкек",
])
def test_api_unknown_id_is_404_with_a_detail(client, path):
    r = client.get(path)
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/json"
    assert isinstance(r.json()["detail"], str) and r.json()["detail"]


@pytest.mark.parametrize("path, params", [
    ("/api/events", {"limit": 0}),
    ("/api/events", {"limit": 501}),
    ("/api/events", {"limit": "много"}),
    ("/api/events", {"offset": -1}),
    ("/api/events", {"offset": 2**40}),
    ("/api/events", {"since": "вчера"}),
    ("/api/events", {"until": "2023-13"}),
    ("/api/events", {"since": "2023-03-32"}),
    ("/api/events", {"type": "RIOT"}),
    ("/api/events", {"country": "KAZ"}),
    ("/api/figures", {"category": "dead"}),
    ("/api/figures", {"until": "03.03.2023"}),
    ("/api/statements", {"since": "2023/03"}),
    ("/api/entities", {"type": "GPE"}),
    ("/api/places", {"type": "nope"}),
    ("/api/documents", {"q": ""}),
    ("/api/documents/doc-1", {"text": "может быть"}),
    ("/api/search", {}),                         # q is required
    ("/api/search", {"q": ""}),
    ("/api/search", {"q": "Бишкек", "kind": "Событие"}),
])
def test_api_bad_parameter_is_422(client, path, params):
    r = client.get(path, params=params)
    assert r.status_code == 422, r.text
    assert r.json()["detail"][0]["loc"][0] == "query"


# --- search -----------------------------------------------------------------------------------------------------

def _search_ready():
    module = pytest.importorskip("letopis.search", reason="letopis.search is not written yet")
    if not hasattr(module, "search"):
        pytest.skip("letopis.search has no search() yet")


@pytest.mark.parametrize("params, holds", [
    ({"q": "Бишкек"}, lambda h: h["doc_id"].startswith("doc-")),
    ({"q": "погибших", "kind": "figure"}, lambda h: h["kind"] == "figure"),
    ({"q": "митинг", "kind": "event"}, lambda h: h["kind"] == "event"),
    ({"q": "заявил", "kind": "statement", "since": "2023-03-10"}, lambda h: h["kind"] == "statement"
                                                                            and h["date"] >= "2023-03-10"),
    ({"q": "задержаны", "type": "coerce"}, lambda h: "COERCE" in h["types"]),
])
def test_api_search_finds_with_filters(client, params, holds):
    _search_ready()
    page = get(client, "/api/search", **params, limit=500)
    assert page["total"] == len(page["items"]) > 0
    assert all(hit["id"] and holds(hit) for hit in page["items"])


def test_api_search_pages(client):
    _search_ready()
    whole = get(client, "/api/search", q="Бишкек", limit=500)
    first, second = (get(client, "/api/search", q="Бишкек", limit=3, offset=o) for o in (0, 3))
    assert whole["total"] > 3 and first["total"] == second["total"] == whole["total"]
    assert ids(first) + ids(second) == ids(whole)[:6]


def test_api_search_unknown_kind_is_422(client):
    _search_ready()
    r = client.get("/api/search", params={"q": "Бишкек", "kind": "document"})
    assert r.status_code == 422 and isinstance(r.json()["detail"], str)


def test_api_search_without_the_package_is_503(client, monkeypatch):
    monkeypatch.setitem(sys.modules, "letopis.search", None)      # makes `import letopis.search` fail
    r = client.get("/api/search", params={"q": "Бишкек"})
    assert r.status_code == 503 and r.json()["detail"]


# --- OpenAPI ----------------------------------------------------------------------------------------------------

PARAMETERS = {
    "/api/documents": {"since", "until", "q", "limit", "offset"},
    "/api/documents/{doc_id}": {"doc_id", "text", "extraction"},
    "/api/events": {"type", "since", "until", "place", "country", "entity", "limit", "offset"},
    "/api/events/{event_id}": {"event_id"},
    "/api/figures": {"category", "claimant", "event", "doc", "since", "until", "limit", "offset"},
    "/api/statements": {"speaker", "since", "until", "doc", "q", "limit", "offset"},
    "/api/entities": {"type", "name", "limit", "offset"},
    "/api/entities/{entity_id}": {"entity_id", "limit", "offset"},
    "/api/places": {"type", "since", "until", "country", "place", "limit", "offset"},
    "/api/search": {"q", "kind", "since", "until", "type", "place", "entity", "claimant", "source", "limit",
                    "offset"},
    "/api/stats": set(),
    "/api/corrections": {"target", "target_id", "author", "limit", "offset"},
}
# the endpoints that write (web/writes.py): (path, method) → query parameters, and the answer when they work
WRITES = {
    ("/api/corrections", "post"): (set(), "201"),
    ("/api/documents", "post"): ({"name"}, "200"),
}


def test_api_openapi_lists_every_route_with_its_parameters(client):
    spec = get(client, "/api/openapi.json")
    routes = {("/api" + r.path, m.lower()): r for router in (api_router, writes_router) for r in router.routes
              if isinstance(r, APIRoute) for m in r.methods}                              # both included at /api
    expected = {(path, "get"): (params, "200") for path, params in PARAMETERS.items()} | WRITES
    assert set(routes) == set(expected)
    assert {(p, m) for p, ops in spec["paths"].items() if p.startswith("/api/") for m in ops} == set(expected)
    for (path, method), route in routes.items():
        op = spec["paths"][path][method]
        params, ok = expected[(path, method)]
        documented = {p["name"] for p in op.get("parameters", [])}
        declared = {p.alias for p in route.dependant.query_params + route.dependant.path_params}
        assert documented == declared == params, (path, method)
        assert op["responses"][ok]["content"]["application/json"]["schema"]
        if method == "get" and (path in LISTS or path in ("/api/search", "/api/corrections")):
            ref = op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
            schema = spec["components"]["schemas"][ref.rsplit("/", 1)[1]]
            assert set(schema["properties"]) == {"items", "total", "limit", "offset"}
        if "{" in path:
            assert "404" in op["responses"]
        if method != "get":                                     # every write needs the token, and says so
            assert require_token in {d.call for d in route.dependant.dependencies}
            assert {"401", "403"} <= set(op["responses"]) and op["requestBody"]["content"]


def test_api_openapi_limit_and_enums_are_described(client):
    spec = get(client, "/api/openapi.json")
    params = {p["name"]: p for p in spec["paths"]["/api/events"]["get"]["parameters"]}
    assert params["limit"]["schema"]["maximum"] == 500 and params["limit"]["schema"]["default"] == 50
    type_schema = params["type"]["schema"]["anyOf"][0]
    enum = spec["components"]["schemas"][type_schema["$ref"].rsplit("/", 1)[1]]["enum"]
    assert "ASSAULT" in enum and len(enum) == 16


# --- security ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/api/events", "/api/events/nope", "/api/events?limit=0", "/api/openapi.json",
                                  "/no/such/page"])
def test_api_security_headers_on_every_answer(client, path):
    h = client.get(path).headers
    csp = h["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert h["x-content-type-options"] == "nosniff" and h["referrer-policy"] == "no-referrer"


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
@pytest.mark.parametrize("path", sorted(PARAMETERS))
def test_api_is_read_only(client, method, path):
    # without a token (the default) nothing writes: the write endpoints answer 403, every other method 405
    concrete = path.replace("{doc_id}", "doc-x").replace("{event_id}", "ev-x").replace("{entity_id}", "ent-x")
    expected = 403 if (path, method.lower()) in WRITES else 405
    assert client.request(method, concrete).status_code == expected


def test_api_request_store_refuses_writes(web_db):
    with ReadOnlyStore(web_db) as store:
        assert store.status().documents == 21
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            store.db.execute("DELETE FROM documents")


@pytest.mark.parametrize("path", ["/static/../deps.py", "/static/%2e%2e/deps.py", "/static/..%2fdeps.py",
                                  "/static/%2e%2e%2f%2e%2e%2fcli.py", "/static//etc/passwd"])
def test_api_static_paths_stay_in_the_static_folder(client, path):
    r = client.get(path)
    assert r.status_code == 404 and "import" not in r.text


@pytest.mark.parametrize("configured, header, status", [
    (None, "Bearer s3cret", 403),              # writes are off by default, whatever the request carries
    ("s3cret", None, 401),
    ("s3cret", "Bearer wrong", 401),
    ("s3cret", "Basic s3cret", 401),
    ("s3cret", "Bearer s3cret", 200),
])
def test_api_writes_need_the_token(db_copy, configured, header, status):
    app = create_app(db_copy, token=configured)

    @app.post("/api/_write", dependencies=[Depends(require_token)])
    def write() -> dict:
        return {"ok": True}

    with TestClient(app) as c:
        r = c.post("/api/_write", headers={"Authorization": header} if header else {})
    assert r.status_code == status


def test_api_concurrent_requests_share_no_connection(client):
    # FastAPI opens a yield-dependency in one worker thread and may run the endpoint in another: the request's
    # store must work across threads (a plain sqlite3 connection refuses that under load)
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda i: client.get(LISTS[i % len(LISTS)], params={"limit": 3}), range(64)))
    assert [r.status_code for r in answers] == [200] * 64


def test_api_answers_while_an_ingest_writes(db_copy):
    with TestClient(create_app(db_copy)) as c:
        before = get(c, "/api/stats")["counts"]["ingest_errors"]
        writer = sqlite3.connect(db_copy, isolation_level=None)
        try:
            writer.execute("BEGIN IMMEDIATE")        # what an ingest batch holds while it writes
            writer.execute("INSERT INTO ingest_errors (source, reason, message, first_seen, last_seen) "
                           "VALUES ('x.txt', 'empty', 'пусто', '2023-03-01', '2023-03-01')")
            assert get(c, "/api/stats")["counts"]["ingest_errors"] == before      # the committed state
            assert get(c, "/api/events", limit=1)["total"] > 0
            writer.execute("COMMIT")
        finally:
            writer.close()
        assert get(c, "/api/stats")["counts"]["ingest_errors"] == before + 1


def test_api_a_request_reads_one_snapshot(db_copy):
    # a request reads several tables one after the other: a batch that an ingest commits in between must show in
    # all of them (the next request) or in none
    request = SimpleNamespace(app=SimpleNamespace(state=SimpleNamespace(db=db_copy)))
    reading = get_store(request)
    store = next(reading)
    count = lambda s: s.db.execute("SELECT COUNT(*) FROM ingest_errors").fetchone()[0]  # noqa: E731
    before = count(store)
    writer = sqlite3.connect(db_copy, isolation_level=None)
    try:
        writer.execute("INSERT INTO ingest_errors (source, reason, message, first_seen, last_seen) "
                       "VALUES ('x.txt', 'empty', 'пусто', '2023-03-01', '2023-03-01')")     # committed
    finally:
        writer.close()
    assert count(store) == before
    reading.close()
    with ReadOnlyStore(db_copy) as fresh:
        assert count(fresh) == before + 1


# --- the app and `letopis serve` --------------------------------------------------------------------------------

def test_api_create_app_needs_an_existing_database(tmp_path):
    missing = tmp_path / "none.db"
    with pytest.raises(DatabaseMissing, match="letopis ingest"):
        create_app(str(missing))
    assert not missing.exists()


@pytest.mark.parametrize("args, host, port, address", [
    ([], "127.0.0.1", 8000, "http://127.0.0.1:8000/"),
    (["--port", "8765"], "127.0.0.1", 8765, "http://127.0.0.1:8765/"),
    (["--host", "0.0.0.0", "--port", "9000"], "0.0.0.0", 9000, "http://0.0.0.0:9000/"),
    (["--host", "::1"], "::1", 8000, "http://[::1]:8000/"),
])
def test_api_serve_prints_the_address_and_binds_loopback_by_default(web_db, monkeypatch, args, host, port, address):
    ran = []
    monkeypatch.setattr(web_app_module, "serve", lambda app, h, p: ran.append((app, h, p)))
    result = CliRunner().invoke(cli_app, ["serve", "--db", web_db, *args])
    assert result.exit_code == 0, result.output
    assert address in result.output
    assert [(h, p) for _, h, p in ran] == [(host, port)]
    assert ran[0][0].state.db == web_db


@pytest.mark.parametrize("bind, host_header, status", [
    ("127.0.0.1", "127.0.0.1:8000", 200),
    ("127.0.0.1", "localhost:8000", 200),
    ("127.0.0.1", "[::1]:8000", 200),
    ("127.0.0.1", "attacker.example:8000", 400),     # a DNS name rebound to 127.0.0.1
    ("::1", "attacker.example", 400),
    ("0.0.0.0", "chronicle.example.org", 200),       # bound to every interface on purpose: any name
])
def test_api_serve_on_loopback_answers_loopback_names_only(web_db, monkeypatch, bind, host_header, status):
    ran = []
    monkeypatch.setattr(web_app_module, "serve", lambda app, h, p: ran.append(app))
    assert CliRunner().invoke(cli_app, ["serve", "--db", web_db, "--host", bind]).exit_code == 0
    with TestClient(ran[0]) as c:
        r = c.get("/api/stats", headers={"host": host_header})
    assert r.status_code == status
    assert "content-security-policy" in r.headers


def test_api_serve_refuses_a_missing_database(tmp_path):
    result = CliRunner().invoke(cli_app, ["serve", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 2 and "letopis ingest" in result.output
    assert not (tmp_path / "none.db").exists()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_api_serve_runs_uvicorn_on_loopback(web_db):
    port = _free_port()
    proc = subprocess.Popen([str(Path(sys.executable).with_name("letopis")), "serve", "--db", web_db, "--port",
                             str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lines = []
        for line in proc.stdout:                  # uvicorn says when it listens
            lines.append(line)
            if "Uvicorn running on" in line or proc.poll() is not None:
                break
        assert f"http://127.0.0.1:{port}/" in lines[0], lines
        r = httpx.get(f"http://127.0.0.1:{port}/api/stats", timeout=30)
        assert r.status_code == 200 and r.json()["counts"]["documents"] == 21
        assert "content-security-policy" in r.headers and "server" not in r.headers
    finally:
        proc.terminate()
        proc.wait(timeout=30)


# --- sublists: capped in lists, whole (or paged) in an item's own record ------------------------------------------

def test_api_event_lists_carry_the_first_mentions_and_claims_with_their_totals(client, monkeypatch):
    monkeypatch.setattr("letopis.web.reads.IN_LIST", 2)
    listed = everything(client, "/api/events")["items"]
    assert any(ev["mentions_total"] > 2 for ev in listed) and any(ev["figures_total"] > 2 for ev in listed)
    for ev in listed:
        one = get(client, f"/api/events/{ev['id']}")
        assert (ev["mentions_total"], ev["figures_total"]) == (len(one["mentions"]), len(one["figures"]))
        assert ev["mentions"] == one["mentions"][:2] and ev["figures"] == one["figures"][:2]


def test_api_entity_lists_carry_the_most_used_names_with_their_totals(client, monkeypatch):
    monkeypatch.setattr("letopis.web.reads.IN_LIST", 1)
    listed = everything(client, "/api/entities")["items"]
    assert any(e["names_total"] > 1 for e in listed)
    for e in listed[:30]:
        one = get(client, f"/api/entities/{e['id']}")
        top = min(one["names"], key=lambda n: (-one["names"][n], n))
        assert e["names"] == {top: one["names"][top]} and e["names_total"] == len(one["names"]) == one["names_total"]
        assert e["roles"] == one["roles"][:1] and e["roles_total"] == len(one["roles"])


@pytest.mark.parametrize("size", [1, 3])
def test_api_entity_articles_come_in_pages(client, size):
    ent = get(client, "/api/entities", limit=1)["items"][0]
    whole = get(client, f"/api/entities/{ent['id']}", limit=500)
    assert whole["documents_total"] == len(whole["documents"]) > 3
    seen = []
    for offset in range(0, whole["documents_total"] + size, size):
        page = get(client, f"/api/entities/{ent['id']}", limit=size, offset=offset)
        assert page["documents_total"] == whole["documents_total"]
        assert len(page["documents"]) == max(0, min(size, whole["documents_total"] - offset))
        seen += page["documents"]
    assert seen == whole["documents"]
    days = [d["published"] or "\uffff" for d in seen]                                # oldest first, undated last
    assert days == sorted(days)


def test_api_kept_counts_equal_the_rows(client, web_db):
    stats = get(client, "/api/stats")
    with ReadOnlyStore(web_db) as store:
        db = store.db
        assert stats["events_by_type"] == dict(db.execute(
            "SELECT type, COUNT(*) FROM events GROUP BY type ORDER BY 2 DESC, 1").fetchall())
        assert stats["claims_by_category"] == dict(db.execute(
            "SELECT category, COUNT(*) FROM figure_claims GROUP BY category ORDER BY 2 DESC, 1").fetchall())
        assert stats["events_by_month"] == dict(db.execute(
            "SELECT substr(date_start, 1, 7), COUNT(*) FROM events WHERE length(date_start) >= 7 GROUP BY 1"
            " ORDER BY 1").fetchall())
        assert stats["counts"]["statements"] == db.execute(
            "SELECT SUM(json_array_length(data, '$.statements')) FROM extractions").fetchone()[0]
        for e in get(client, "/api/entities", limit=500)["items"]:
            assert (e["n_documents"], e["n_mentions"]) == tuple(db.execute(
                "SELECT COUNT(DISTINCT doc_id), SUM(n_mentions) FROM entity_mentions WHERE entity_id=?",
                (e["id"],)).fetchone())
