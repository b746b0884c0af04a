"""The endpoints that write (issue 8): corrections and the upload of an article. Off by default (403), a token
required (401 without the right one); corrections never change the extraction, show with their items in the API
and on the event page, and are exported with them; an upload goes through `letopis ingest`'s path and writes only
into the store; no path from a request reads or writes outside the static folder or the data folder."""
from __future__ import annotations

import io
import json
import os
import socket
import sqlite3
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from letopis.cli import app as cli_app
from letopis.corpus.stage import rebuild
from letopis.export import export
from letopis.ingest import IngestOptions
from letopis.store.sqlite import Store
from letopis.web import app as web_app_module
from letopis.web import create_app
from letopis.web.app import load_token

TOKEN = "correct-horse-battery-staple-42"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
ARTICLE = ("Митинг в Караганде\n\n12 мая 2023 года в Караганде около 300 человек вышли на митинг против повышения "
           "тарифов на отопление. Полиция задержала 7 участников акции, сообщили в областном департаменте полиции.\n")


def rows(db: str, sql: str, *args) -> list[tuple]:
    con = sqlite3.connect(db)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


@pytest.fixture
def db(db_copy) -> str:
    return db_copy


@pytest.fixture
def writer(db):
    with TestClient(create_app(db, token=TOKEN)) as c:
        yield c


def a_claim(c) -> dict:
    claims = c.get("/api/figures", params={"limit": 500}).json()["items"]
    return next(x for x in claims if x["event"] and x["low"] is not None)


def correction(target: str, target_id: str, **kw) -> dict:
    return {"target": target, "id": target_id, "kind": "note", "note": "проверено по первоисточнику",
            "author": "А. Петрова"} | kw


# --- the token ----------------------------------------------------------------------------------------------------

def _write_requests(c) -> dict:
    claim = a_claim(c)
    return {
        "correction": lambda headers: c.post("/api/corrections", headers=headers,
                                             json=correction("claim", claim["id"])),
        "upload": lambda headers: c.post("/api/documents", params={"name": "karaganda.txt"}, headers=headers,
                                         content=ARTICLE.encode()),
    }


@pytest.mark.parametrize("endpoint", ["correction", "upload"])
@pytest.mark.parametrize("configured, header, status", [
    (None, None, 403),                              # off by default …
    (None, f"Bearer {TOKEN}", 403),                 # … whatever the request carries
    (TOKEN, None, 401),
    (TOKEN, "Bearer wrong-token-of-some-length", 401),
    (TOKEN, f"Basic {TOKEN}", 401),
    (TOKEN, f"Bearer {TOKEN[:-1]}", 401),
    (TOKEN, f"Bearer {TOKEN}", None),               # works: 201 for a correction, 200 for an upload
])
def test_writes_need_the_token(db, endpoint, configured, header, status):
    before = rows(db, "SELECT (SELECT COUNT(*) FROM corrections), (SELECT COUNT(*) FROM documents)")
    with TestClient(create_app(db, token=configured)) as c:
        r = _write_requests(c)[endpoint]({"Authorization": header} if header else {})
    after = rows(db, "SELECT (SELECT COUNT(*) FROM corrections), (SELECT COUNT(*) FROM documents)")
    if status is None:
        assert r.status_code == {"correction": 201, "upload": 200}[endpoint], r.text
        assert after != before
    else:
        assert r.status_code == status, r.text
        assert after == before                       # nothing written
        if status == 401:
            assert r.headers["www-authenticate"] == "Bearer"


def test_writes_token_is_checked_before_the_body(db):
    with TestClient(create_app(db)) as c:
        assert c.post("/api/corrections", content=b"{not json").status_code == 403
        assert c.post("/api/documents", content=b"\0" * (1 << 20)).status_code == 403
    with TestClient(create_app(db, token=TOKEN)) as c:
        assert c.post("/api/corrections", content=b"{not json").status_code == 401
        assert c.post("/api/corrections", content=b"{not json", headers=AUTH).status_code == 422


# --- corrections --------------------------------------------------------------------------------------------------

def test_corrections_value_is_kept_beside_the_claim_and_shown_with_it(writer, db):
    claim = a_claim(writer)
    doc_id = claim["doc_id"]
    extraction = writer.get(f"/api/documents/{doc_id}").json()["extraction"]
    stored = rows(db, "SELECT * FROM figure_claims WHERE id=?", claim["id"])
    r = writer.post("/api/corrections", headers=AUTH, json=correction(
        "claim", claim["id"], kind="value", field="low", value=claim["low"] + 3,
        note="министерство уточнило число на следующий день"))
    assert r.status_code == 201, r.text
    made = r.json()
    assert made["id"].startswith("cor-") and made["created_at"].endswith("+00:00")
    assert (made["field"], made["value"], made["author"]) == ("low", claim["low"] + 3, "А. Петрова")
    assert made["was"]["low"] == claim["low"] and made["was"]["claimant"] == claim["claimant"]
    # the extraction and the ledger are as they were; the correction comes with the claim wherever it is shown
    assert writer.get(f"/api/documents/{doc_id}").json()["extraction"] == extraction
    assert rows(db, "SELECT * FROM figure_claims WHERE id=?", claim["id"]) == stored
    listed = writer.get("/api/figures", params={"doc": doc_id, "limit": 500}).json()["items"]
    shown = next(x for x in listed if x["id"] == claim["id"])
    assert shown["low"] == claim["low"] and shown["corrections"] == [made]
    assert all(x["corrections"] == [] for x in listed if x["id"] != claim["id"])
    ev = writer.get(f"/api/events/{claim['event']}").json()
    assert next(f for f in ev["figures"] if f["id"] == claim["id"])["corrections"] == [made]
    assert ev["corrections"] == []
    assert writer.get("/api/corrections").json() == {"items": [made], "total": 1, "limit": 50, "offset": 0}


def test_corrections_of_events_and_statements(writer):
    ev = writer.get("/api/events", params={"limit": 1}).json()["items"][0]
    st = writer.get("/api/statements", params={"limit": 1}).json()["items"][0]
    wrong = writer.post("/api/corrections", headers=AUTH, json=correction(
        "event", ev["id"], kind="wrong", note="это пресс-конференция, а не акция протеста")).json()
    dated = writer.post("/api/corrections", headers=AUTH, json=correction(
        "event", ev["id"], kind="value", field="date_start", value="2023-03-04", author="Б. Сидоров")).json()
    said = writer.post("/api/corrections", headers=AUTH, json=correction(
        "statement", st["id"], kind="value", field="speaker", value="Марат Ахметов")).json()
    assert wrong["was"]["type"] == ev["type"] and dated["was"]["date_start"] == ev["date"]["start"]
    assert writer.get(f"/api/events/{ev['id']}").json()["corrections"] == [wrong, dated]
    in_list = next(e for e in writer.get("/api/events", params={"limit": 500}).json()["items"] if e["id"] == ev["id"])
    assert in_list["corrections"] == [wrong, dated]
    statements = writer.get("/api/statements", params={"doc": st["doc_id"], "limit": 500}).json()["items"]
    assert next(s for s in statements if s["id"] == st["id"])["corrections"] == [said]
    assert said["was"]["speaker"] == st["speaker"]
    # filters of the list
    get = lambda **p: [c["id"] for c in writer.get("/api/corrections", params=p).json()["items"]]  # noqa: E731
    assert get(target="event") == [wrong["id"], dated["id"]]
    assert get(target="statement", target_id=st["id"]) == [said["id"]]
    assert get(author="сидоров") == [dated["id"]]
    assert get(limit=1, offset=2) == [said["id"]]


@pytest.mark.parametrize("change, status, says", [
    ({"kind": "value"}, 422, "names its field"),
    ({"kind": "value", "field": "speaker", "value": "X"}, 422, "names its field"),   # not a claim's field
    ({"kind": "value", "field": "low", "value": "много"}, 422, "number"),
    ({"kind": "value", "field": "low", "value": -1}, 422, "number"),
    ({"kind": "value", "field": "low", "value": True}, 422, "number"),
    ({"kind": "value", "field": "claimed_on", "value": "5 марта"}, 422, "YYYY"),
    ({"kind": "value", "field": "category", "value": "dead"}, 422, "killed"),
    ({"kind": "value", "field": "category", "value": None}, 422, "null"),
    ({"kind": "wrong", "field": "low", "value": 3}, 422, "no field"),
    ({"kind": "approve"}, 422, ""),
    ({"target": "entity"}, 422, ""),
    ({"note": "   "}, 422, "why"),
    ({"author": ""}, 422, ""),
    ({"created_at": "2020-01-01"}, 422, ""),           # the time is the server's
    ({"id": "doc-0000000000000000:0"}, 404, "no claim"),
])
def test_corrections_refused_say_why(writer, db, change, status, says):
    body = correction("claim", a_claim(writer)["id"]) | change
    r = writer.post("/api/corrections", headers=AUTH, json=body)
    assert r.status_code == status, r.text
    assert says in json.dumps(r.json()["detail"], ensure_ascii=False)
    assert rows(db, "SELECT COUNT(*) FROM corrections") == [(0,)]


def test_corrections_unknown_statement_and_event_are_404(writer):
    for target, target_id in (("event", "ev-0000000000000000"), ("statement", "doc-0000000000000000:0"),
                              ("statement", "../../etc/passwd"), ("statement", "x")):
        r = writer.post("/api/corrections", headers=AUTH, json=correction(target, target_id))
        assert r.status_code == 404, (target_id, r.text)


def test_corrections_body_is_bounded(writer):
    body = correction("claim", a_claim(writer)["id"], note="я" * 40_000)
    assert writer.post("/api/corrections", headers=AUTH, json=body).status_code == 413
    assert writer.post("/api/corrections", headers=AUTH, json=body | {"note": "я" * 5000}).status_code == 422


def test_corrections_exported_with_their_items_and_kept_by_a_rebuild(writer, db, tmp_path):
    claim = a_claim(writer)
    made = writer.post("/api/corrections", headers=AUTH, json=correction(
        "claim", claim["id"], kind="value", field="high", value=None, note="верхней границы в статье нет")).json()
    on_event = writer.post("/api/corrections", headers=AUTH, json=correction("event", claim["event"])).json()
    out = io.StringIO()
    export(db, "jsonl", None, stdout=out)
    events = [json.loads(line) for line in out.getvalue().splitlines()]
    ev = next(e for e in events if any(f["id"] == claim["id"] for f in e["figures"]))
    figure = next(f for f in ev["figures"] if f["id"] == claim["id"])
    assert [c["id"] for c in figure["corrections"]] == [made["id"]] and figure["high"] == claim["high"]
    assert [c["id"] for c in ev["corrections"]] == [on_event["id"]]
    assert ev["corrections"][0]["target_id"] == ev["id"]                       # the event's export id
    assert sum(len(e["corrections"]) + sum(len(f["corrections"]) for f in e["figures"]) for e in events) == 2

    import pyarrow.parquet as pq

    export(db, "parquet", str(tmp_path / "pq"))
    table = pq.read_table(tmp_path / "pq" / "corrections.parquet").to_pylist()
    assert sorted(r["id"] for r in table) == sorted([made["id"], on_event["id"]])
    row = next(r for r in table if r["id"] == made["id"])
    assert json.loads(row["value"]) is None and json.loads(row["was"])["high"] == claim["high"]

    with Store(db) as store:                         # the corpus tables are recomputable; corrections are not
        rebuild(store)
    assert len(writer.get("/api/corrections").json()["items"]) == 2
    assert [c["id"] for c in writer.get(f"/api/events/{claim['event']}").json()["corrections"]] == [on_event["id"]]


def test_corrections_shown_on_the_event_page_escaped(writer):
    claim = a_claim(writer)
    note = '<script>alert(1)</script> неверно: "погибших" было <b>двое</b>'
    writer.post("/api/corrections", headers=AUTH, json=correction("event", claim["event"], kind="wrong", note=note))
    writer.post("/api/corrections", headers=AUTH, json=correction(
        "claim", claim["id"], kind="value", field="low", value=2, note="по данным прокуратуры"))
    page = writer.get(f"/events/{claim['event']}").text
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count('class="correction kind-') == 2 and "по данным прокуратуры" in page
    assert "Поправки исследователей" in page


# --- uploads ------------------------------------------------------------------------------------------------------

def test_upload_is_ingested_like_a_file(writer, db):
    r = writer.post("/api/documents", params={"name": "karaganda.txt"}, headers=AUTH, content=ARTICLE.encode())
    assert r.status_code == 200, r.text
    report = r.json()
    assert (report["read"], report["new"], report["duplicate"], report["extracted"]) == (1, 1, 0, 1)
    doc = writer.get(f"/api/documents/{report['documents'][0]}").json()
    assert doc["text"] == ARTICLE and doc["source"] == "upload:karaganda.txt"
    assert doc["extraction"]["figures"] and doc["title"] == "Митинг в Караганде"
    assert writer.get("/api/search", params={"q": "Караганде тарифов"}).json()["total"] >= 1
    again = writer.post("/api/documents", params={"name": "копия.txt"}, headers=AUTH,
                        content=ARTICLE.encode("cp1251")).json()   # another encoding, the same text
    assert (again["new"], again["duplicate"], again["documents"]) == (0, 1, report["documents"])
    assert writer.get(f"/api/documents/{report['documents'][0]}").json()["sources"] == [
        "upload:karaganda.txt", "upload:копия.txt"]


def test_upload_rejections_are_stored_with_their_reasons(writer, db):
    errors = lambda: rows(db, "SELECT source, reason FROM ingest_errors ORDER BY source")  # noqa: E731
    before = errors()
    r = writer.post("/api/documents", params={"name": "x.bin"}, headers=AUTH, content=b"\x00\x01binary\x00" * 50)
    assert r.status_code == 200 and [x["reason"] for x in r.json()["rejected"]] == ["binary"]
    member = io.BytesIO()
    with zipfile.ZipFile(member, "w") as z:
        z.writestr("../../evil.txt", ARTICLE)
        z.writestr("ok.txt", ARTICLE.replace("Караганде", "Темиртау"))
    r = writer.post("/api/documents", params={"name": "batch.zip"}, headers=AUTH, content=member.getvalue()).json()
    assert [(x["source"], x["reason"]) for x in r["rejected"]] == [("upload:batch.zip!../../evil.txt", "unsafe-path")]
    assert r["new"] == 1
    assert sorted(set(errors()) - set(before)) == [("upload:batch.zip!../../evil.txt", "unsafe-path"),
                                                   ("upload:x.bin", "binary")]


def test_upload_over_the_size_limit_is_413_and_stored(writer, db):
    writer.app.state.ingest_options = IngestOptions(max_bytes=4096)
    r = writer.post("/api/documents", params={"name": "big.txt"}, headers=AUTH, content=ARTICLE.encode() * 100)
    assert r.status_code == 413 and [x["reason"] for x in r.json()["rejected"]] == ["too-large"]
    assert rows(db, "SELECT reason FROM ingest_errors WHERE source='upload:big.txt'") == [("too-large",)]


@pytest.mark.parametrize("name, source", [
    ("../../../../tmp/letopis-evil.txt", "upload:letopis-evil.txt"),
    ("/etc/cron.d/letopis-evil", "upload:letopis-evil"),
    ("..\\..\\letopis-evil.txt", "upload:letopis-evil.txt"),
    ("%2e%2e%2fletopis-evil.txt", "upload:%2e%2e%2fletopis-evil.txt"),   # a name, never decoded into a path
    ("..", "upload"),
    ("отчёт\x00\n.txt", "upload:отчёт.txt"),
    (None, "upload"),
])
def test_upload_name_is_only_a_source_name(writer, db, tmp_path, name, source):
    data = Path(db).parent                                    # the data folder
    before = sorted(p for p in data.rglob("*") if p.name not in ("copy.db-wal", "copy.db-shm"))
    params = {"name": name} if name is not None else {}
    r = writer.post("/api/documents", params=params, headers=AUTH,
                    content=ARTICLE.replace("Караганде", f"Караганде ({source})").encode())
    assert r.status_code == 200, r.text
    assert writer.get(f"/api/documents/{r.json()['documents'][0]}").json()["source"] == source
    after = sorted(p for p in data.rglob("*") if p.name not in ("copy.db-wal", "copy.db-shm"))
    assert after == before                                   # no file made beside the store
    assert not Path("/tmp/letopis-evil.txt").exists() and not Path("/etc/cron.d/letopis-evil").exists()


# --- the token at start-up ----------------------------------------------------------------------------------------

def _token_file(tmp_path, text=TOKEN + "\n", mode=0o600) -> str:
    path = tmp_path / "token"
    path.write_text(text)
    path.chmod(mode)
    return str(path)


def test_serve_reads_the_token_from_a_file_or_the_environment(db, tmp_path, monkeypatch):
    ran = []
    monkeypatch.setattr(web_app_module, "serve", lambda app, h, p: ran.append(app))
    monkeypatch.delenv("LETOPIS_TOKEN", raising=False)
    result = CliRunner().invoke(cli_app, ["serve", "--db", db, "--token-file", _token_file(tmp_path)])
    assert result.exit_code == 0, result.output
    assert ran[-1].state.token == TOKEN and TOKEN not in result.output and "writes allowed" in result.output
    monkeypatch.setenv("LETOPIS_TOKEN", TOKEN)
    assert CliRunner().invoke(cli_app, ["serve", "--db", db]).exit_code == 0 and ran[-1].state.token == TOKEN
    monkeypatch.delenv("LETOPIS_TOKEN")
    result = CliRunner().invoke(cli_app, ["serve", "--db", db])
    assert result.exit_code == 0 and ran[-1].state.token is None and "read-only" in result.output


@pytest.mark.parametrize("text, mode, says", [
    (TOKEN, 0o644, "chmod 600"),                # readable by other users
    ("short", 0o600, "at least 16"),
    ("", 0o600, "at least 16"),
    ("two words of some length", 0o600, "one word"),
])
def test_serve_refuses_a_bad_token_file(db, tmp_path, text, mode, says):
    result = CliRunner().invoke(cli_app, ["serve", "--db", db, "--token-file", _token_file(tmp_path, text, mode)])
    assert result.exit_code == 2 and says in result.output


def test_serve_token_file_missing(tmp_path):
    with pytest.raises(web_app_module.TokenError, match="cannot read"):
        load_token(str(tmp_path / "none"))
    assert load_token(None, environ={}) == (None, "off")


# --- paths from requests, against the real server -----------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def live(tmp_path_factory, web_db):
    """`letopis serve --token-file` over a copy of the example store, on a free loopback port."""
    folder = tmp_path_factory.mktemp("live")
    db = folder / "data" / "store.db"
    db.parent.mkdir()
    src, dst = sqlite3.connect(web_db), sqlite3.connect(db)
    src.backup(dst)
    src.close()
    dst.close()
    token = _token_file(folder)
    port = _free_port()
    proc = subprocess.Popen([str(Path(sys.executable).with_name("letopis")), "serve", "--db", str(db), "--port",
                             str(port), "--token-file", token], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    for line in proc.stdout:
        if "Uvicorn running on" in line or proc.poll() is not None:
            break
    yield {"port": port, "db": db, "pid": proc.pid}
    proc.terminate()
    proc.wait(timeout=30)


def raw_get(port: int, path: str) -> tuple[int, bytes]:
    """GET `path` exactly as written (no client normalises its dots or its escapes)."""
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


def test_serve_token_is_not_on_the_command_line(live):
    cmdline = Path(f"/proc/{live['pid']}/cmdline").read_bytes()
    assert b"--token-file" in cmdline and TOKEN.encode() not in cmdline


@pytest.mark.parametrize("path", [
    "/static/../../../../../../etc/passwd",
    "/static/..%2f..%2f..%2f..%2f..%2f..%2fetc/passwd",
    "/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/static/%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/static/%252e%252e/%252e%252e/etc/passwd",
    "/static/..%5c..%5cdeps.py",
    "/static/../deps.py",
    "/static/vendor/../../deps.py",
    "/static/app.css/../../deps.py",
    "/static//etc/passwd",
    "/static/%2fetc%2fpasswd",
    "/static/....//....//deps.py",
    "/static/%00/etc/passwd",
    "//etc/passwd",
    "/documents/..%2f..%2f..%2fetc%2fpasswd",
    "/api/documents/..%2f..%2f..%2fetc%2fpasswd",
    "/api/documents/%2e%2e%2f%2e%2e%2fstore.db",
    "/events/..%2f..%2fdeps.py",
])
def test_paths_never_leave_the_static_folder(live, path):
    status, body = raw_get(live["port"], path)
    assert status in (400, 404), (path, status, body[:200])
    assert b"root:" not in body and b"import " not in body and b"SQLite format" not in body


def test_static_files_are_served(live):
    status, body = raw_get(live["port"], "/static/app.css")
    assert status == 200 and b".corrections" in body


def test_upload_through_the_server_writes_only_into_the_store(live, tmp_path):
    folder = live["db"].parent
    before = {p.name for p in folder.iterdir()}
    r = httpx.post(f"http://127.0.0.1:{live['port']}/api/documents", params={"name": "../../../letopis-live.txt"},
                   headers=AUTH, content=ARTICLE.replace("300", "250").encode(), timeout=120)
    assert r.status_code == 200 and r.json()["new"] == 1, r.text
    assert {p.name for p in folder.iterdir()} <= before | {"store.db-wal", "store.db-shm"}
    assert not (folder.parent.parent / "letopis-live.txt").exists()
    assert httpx.post(f"http://127.0.0.1:{live['port']}/api/documents", content=b"x", timeout=30).status_code == 401
    mode = stat.S_IMODE(os.stat(folder.parent / "token").st_mode)
    assert mode == 0o600
