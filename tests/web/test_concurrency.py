"""The web server answers while an ingest writes (issue 8), and never shows a half-written batch.

`letopis serve` runs on a free loopback port over a store that `letopis ingest`, in another process, fills with the
example articles and variants of them (their numbers and years shifted, written into a temporary folder), batch
after batch. Meanwhile client threads read every list, detail and count of the API and a few pages. Each answer must
be 200 — except 404 for `/api/documents/{id}` of an article the ingest has not stored yet (its id is computed
beforehand from its text); an id the API itself listed must never answer 404. And no answer may show a state
between two commits:

- `/api/stats`: every counted document has its extraction; events by type and claims by category add up to the
  counts; the counts never go back;
- `/api/documents`, `/api/events`, `/api/figures`: `total` is the number of items; a listed document has its
  extraction; an event's mentions name as many articles as its `n_sources` says; every document a mention, a claim
  or a search hit points at is there, with its extraction; every event a claim belongs to is there;
- an article seen once stays; the pages of the events seen render.

The ingest commits each batch of 16 articles — documents, extractions, corpus, search index — in one transaction,
and each request reads one snapshot of the store (a read transaction, `web/deps.py`), so none of this can fail.
"""
from __future__ import annotations

import random
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from letopis.ingest import Document, read_inputs
from letopis.store.sqlite import Store

pytestmark = pytest.mark.slow

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
VARIANTS = 2          # of every example: 21 articles become 63, four batches
THREADS = 4


def _letopis() -> str:
    return str(Path(sys.executable).with_name("letopis"))


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _variant(text: str, k: int) -> str:
    """The article with its years moved 4·k back and its small numbers k up ("4 марта" → "5 марта")."""
    text = re.sub(r"(?<!\d)20([12]\d)(?!\d)", lambda m: str(int(m.group()) - 4 * k), text)
    return re.sub(r"(?<![\d:.,-])\d{1,3}(?![\d:.,])", lambda m: str(int(m.group()) + k), text)


def write_batch(folder: Path) -> list[str]:
    """The examples and their variants in `folder`; returns the ids of the documents they hold."""
    folder.mkdir()
    for path in sorted(EXAMPLES.iterdir()):
        if not path.is_file():
            continue
        data = path.read_bytes()
        (folder / path.name).write_bytes(data)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:           # the koi8-r and cp1251 examples come once
            continue
        for k in range(1, VARIANTS + 1):
            (folder / f"v{k}_{path.name}").write_text(_variant(text, k), encoding="utf-8")
    return sorted({d.id for d in read_inputs([str(folder)]) if isinstance(d, Document)})


class Reader(threading.Thread):
    """One client reading the API until told to stop; what it finds wrong goes to `failures`."""

    def __init__(self, base: str, ids: list[str], seed: int):
        super().__init__(daemon=True)
        self.client = httpx.Client(base_url=base, timeout=60)
        self.ids, self.rng = ids, random.Random(seed)
        self.stop, self.failures = threading.Event(), []
        self.requests, self.doc_counts, self.seen = 0, [], set()
        self.events_seen: set[str] = set()

    def get(self, path: str, missing_ok: bool = False, **params):
        self.requests += 1
        r = self.client.get(path, params=params)
        if r.status_code == 404 and missing_ok:
            return None
        if r.status_code != 200:
            self.fail(f"{path} {params}: {r.status_code} {r.text[:200]}")
            return None
        return r.json() if r.headers["content-type"].startswith("application/json") else r.text

    def fail(self, what: str) -> None:
        self.failures.append(what)

    def run(self) -> None:
        try:
            while not self.stop.is_set():
                self.round()
            self.round()                                       # once more on the finished store
        except Exception as e:  # noqa: BLE001  -- a client error is a failure of the test, not of the thread
            self.fail(f"{type(e).__name__}: {e}")
        finally:
            self.client.close()

    def round(self) -> None:
        self.stats()
        self.documents()
        self.events()
        self.figures()
        self.search()
        self.future_document()
        self.pages()

    # -- what each answer must hold ------------------------------------------------------------------------------

    def document_is_whole(self, doc_id: str, why: str) -> None:
        doc = self.get(f"/api/documents/{doc_id}", text="false")
        if doc is None:
            self.fail(f"{why}: document {doc_id} is not visible")
        elif doc["extraction"] is None or doc["extraction"]["id"] != doc_id:
            self.fail(f"{why}: document {doc_id} has no extraction")
        else:
            self.seen.add(doc_id)

    def stats(self) -> None:
        s = self.get("/api/stats")
        if s is None:
            return
        c = s["counts"]
        if c["documents"] != c["extractions"]:
            self.fail(f"stats: {c['documents']} documents but {c['extractions']} extractions")
        if sum(s["events_by_type"].values()) != c["events"]:
            self.fail(f"stats: events by type {s['events_by_type']} do not add up to {c['events']}")
        if sum(s["claims_by_category"].values()) != c["figure_claims"]:
            self.fail(f"stats: claims by category do not add up to {c['figure_claims']}")
        if self.doc_counts and c["documents"] < self.doc_counts[-1]:
            self.fail(f"stats: documents went back from {self.doc_counts[-1]} to {c['documents']}")
        self.doc_counts.append(c["documents"])

    def documents(self) -> None:
        page = self.get("/api/documents", limit=500)
        if page is None:
            return
        if page["total"] != len(page["items"]):
            self.fail(f"documents: total {page['total']} but {len(page['items'])} items")
        listed = [d["id"] for d in page["items"]]
        if not self.seen <= set(listed):
            self.fail(f"documents: {sorted(self.seen - set(listed))[:3]} were seen before and are gone")
        for doc_id in self.rng.sample(listed, min(3, len(listed))):
            self.document_is_whole(doc_id, "listed")

    def events(self) -> None:
        page = self.get("/api/events", limit=500)
        if page is None:
            return
        if page["total"] != len(page["items"]):
            self.fail(f"events: total {page['total']} but {len(page['items'])} items")
        docs = set()
        for ev in page["items"]:
            sources = {m["doc_id"] for m in ev["mentions"]}
            if not ev["mentions"] or ev["n_sources"] != len(sources):
                self.fail(f"event {ev['id']}: n_sources {ev['n_sources']}, mentions from {len(sources)} articles")
            if any(f["event"] != ev["id"] for f in ev["figures"]):
                self.fail(f"event {ev['id']} lists a claim of another event")
            docs |= sources | {f["doc_id"] for f in ev["figures"]}
            self.events_seen.add(ev["id"])
        for doc_id in self.rng.sample(sorted(docs), min(3, len(docs))):
            self.document_is_whole(doc_id, "named by an event")
        for ev_id in self.rng.sample(sorted(self.events_seen), min(2, len(self.events_seen))):
            one = self.get(f"/api/events/{ev_id}")
            if one is not None and one["n_sources"] != len({m["doc_id"] for m in one["mentions"]}):
                self.fail(f"event {ev_id}: n_sources {one['n_sources']} does not match its mentions")

    def figures(self) -> None:
        page = self.get("/api/figures", limit=500)
        if page is None:
            return
        if page["total"] > 500:
            return
        if page["total"] != len(page["items"]):
            self.fail(f"figures: total {page['total']} but {len(page['items'])} items")
        claims = page["items"]
        for c in self.rng.sample(claims, min(2, len(claims))):
            self.document_is_whole(c["doc_id"], f"claimed in {c['id']}")
            if c["event"]:
                self.get(f"/api/events/{c['event']}")

    def search(self) -> None:
        page = self.get("/api/search", q="митинг OR задержали", limit=20)
        for hit in (page or {}).get("items", [])[:2]:
            if hit.get("doc_id"):
                self.document_is_whole(hit["doc_id"], f"search hit {hit['id']}")

    def future_document(self) -> None:
        doc_id = self.rng.choice(self.ids)
        doc = self.get(f"/api/documents/{doc_id}", missing_ok=True, text="false")
        if doc is None:
            if doc_id in self.seen:
                self.fail(f"document {doc_id} was there and is gone")
        elif doc["extraction"] is None:
            self.fail(f"document {doc_id} is there without its extraction")
        else:
            self.seen.add(doc_id)

    def pages(self) -> None:
        self.get("/timeline")
        self.get("/documents")
        if self.events_seen:
            self.get(f"/events/{self.rng.choice(sorted(self.events_seen))}")


def test_concurrency_server_answers_whole_batches_while_an_ingest_writes(tmp_path):
    ids = write_batch(tmp_path / "in")
    assert len(ids) >= 3 * 16
    db = tmp_path / "store.db"
    Store(db).close()                                          # an empty, migrated store
    port = _free_port()
    log = (tmp_path / "serve.log").open("w+")
    server = subprocess.Popen([_letopis(), "serve", "--db", str(db), "--port", str(port)], stdout=log,
                              stderr=subprocess.STDOUT)
    ingest = None
    readers = [Reader(f"http://127.0.0.1:{port}", ids, seed) for seed in range(THREADS)]
    try:
        with httpx.Client() as c:                              # wait until it listens
            while True:
                try:
                    if c.get(f"http://127.0.0.1:{port}/api/stats").status_code == 200:
                        break
                except httpx.TransportError:
                    assert server.poll() is None, "letopis serve stopped"
                    time.sleep(0.2)
        ingest = subprocess.Popen([_letopis(), "ingest", str(tmp_path / "in"), "--db", str(db), "--workers", "1",
                                   "--quiet"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for r in readers:
            r.start()
        out, err = ingest.communicate()
        for r in readers:
            r.stop.set()
        for r in readers:
            r.join()
        assert ingest.returncode == 0, err
    finally:
        for r in readers:
            r.stop.set()
        if ingest is not None and ingest.poll() is None:
            ingest.kill()
        server.terminate()
        server.wait(30)
    failures = [f for r in readers for f in r.failures]
    assert not failures, f"{len(failures)} bad answers, e.g. {failures[:5]}"
    assert f"{len(ids)} new" in out, out
    counts = sorted({n for r in readers for n in r.doc_counts})
    assert counts[-1] == len(ids)                              # the last round saw the whole store
    assert any(0 < n < len(ids) for n in counts), f"no reader saw the ingest in progress: {counts}"
    assert sum(r.requests for r in readers) > 100
    log.seek(0)
    served = log.read()
    assert "Traceback" not in served and " 500 " not in served, served[-2000:]
