"""Latency of the REST API and the HTML pages (`letopis serve`) over a store: p50/p95/p99 per route, client side.

    .venv/bin/python bench/api_latency.py [--db PATH] [--repeat 5] [--seed 7] [--ids 5]
                                          [--out bench/results/api_latency.json]

The store: `--db`, an existing letopis store (SQLite file or postgresql:// URL), which only the server opens, as
`letopis serve` does (read-only requests; at start it checks the schema, a no-op on a current store); without
`--db`, the project's `examples/` folder is first ingested with the full pipeline (`api.ingest`) into a temporary
SQLite store, deleted afterwards.

The server: the real one, `python -m letopis.cli serve --db DB --port P` in a child process on a free loopback port
(uvicorn, one process, as shipped), started once and stopped at the end whatever happens. The benchmark waits until
`GET /api/stats` answers.

The request set, built once from what the store holds (untimed look-ups of the lists' totals and ids):
  - api_list: /api/documents, /api/events (first page; `type=` ASSAULT or else the commonest type; `since`/`until`
    over the middle half of the months with events; a deep page, the last `limit` rows of the total the first page
    reports), /api/figures?category=killed, /api/statements, /api/entities (all; `type=PER`; `name=` part of a
    person's name), /api/places, /api/stats, /api/corrections — every list with its default limit (50);
  - api_detail: /api/events/{id}, /api/entities/{id}, /api/documents/{id} for `--ids` ids of each, drawn with
    `--seed` from offsets spread over the whole list (each fetched with `limit=1&offset=k`), not only its first rows;
  - search: /api/search?q= for ten Russian queries (words, a word form, a place, a name, two words, a phrase, one
    with a kind filter) — `QUERIES`;
  - page: /, /search?q=митинг, /timeline, /map, /map/events.json, /figures, /entities, /documents, and
    /events/{id}, /entities/{id}, /documents/{id} for the same sampled ids.
Every answer must be 200: any other status is an error of the benchmark (reported, exit status 1), never a sample.

What is timed: one warm-up pass over the set, then `--repeat` passes in the same order, each request timed with
`time.perf_counter` around the whole HTTP exchange (sending, the server's work, reading the full body) on one
keep-alive `http.client` connection. Reported per group and per route template: n, p50/p95/p99/max in ms and the
median response size; overall p50/p95/p99; and each request's p50 and max. Timings are of a shared machine: the
server and this client share its cores.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import pathlib
import platform
import random
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from urllib.parse import unquote_plus, urlencode

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from letopis import __version__, api  # noqa: E402
from letopis.store.backend import backend_for  # noqa: E402

GROUPS = ("api_list", "api_detail", "search", "page")

# (label, query, filters): what a reader types into the search box
QUERIES: list[tuple[str, str, dict]] = [
    ("word", "митинг", {}),
    ("word form", "задержаны", {}),
    ("common word", "погибли", {}),
    ("place", "Алматы", {}),
    ("word", "президент", {}),
    ("word", "интернет", {}),
    ("name", "Сейтказиев", {}),
    ("two words", "гражданские лица", {}),
    ("phrase", '"комендантский час"', {}),
    ("kind figure", "погибших", {"kind": "figure"}),
]


class BenchError(Exception):
    """The benchmark cannot go on: the server did not start, or answered other than 200."""


# ---------------------------------------------------------------------------------------------- the server

def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`letopis serve` in a child process; its output goes to files in `logs` (so no pipe can fill up)."""

    def __init__(self, db: str, logs: str, timeout: float):
        self.port, self.timeout = free_port(), timeout
        self.out_path, self.err_path = os.path.join(logs, "serve.out"), os.path.join(logs, "serve.err")
        env = os.environ | {"PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"),
                                                                        os.environ.get("PYTHONPATH")]))}
        self.out, self.err = open(self.out_path, "wb"), open(self.err_path, "wb")
        started = time.perf_counter()
        self.proc = subprocess.Popen([sys.executable, "-m", "letopis.cli", "serve", "--db", db,
                                      "--port", str(self.port)], stdout=self.out, stderr=self.err,
                                     stdin=subprocess.DEVNULL, env=env)
        self.startup_s = self._wait(started)

    def _wait(self, started: float) -> float:
        while time.perf_counter() - started < self.timeout:
            if self.proc.poll() is not None:
                raise BenchError(f"the server exited with status {self.proc.returncode} before answering:\n"
                                 f"{self.stderr()}")
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
            try:
                conn.request("GET", "/api/stats")
                if conn.getresponse().status == 200:
                    return round(time.perf_counter() - started, 2)
            except OSError:
                pass
            finally:
                conn.close()
            time.sleep(0.2)
        raise BenchError(f"the server did not answer GET /api/stats within {self.timeout:.0f} s:\n{self.stderr()}")

    def stderr(self, tail: int = 4000) -> str:
        self.err.flush()
        text = pathlib.Path(self.err_path).read_text(encoding="utf-8", errors="replace")
        return text[-tail:] or "(nothing on stderr)"

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.out.close()
        self.err.close()


class Client:
    """One keep-alive connection; `get` answers (status, body, ms) timed around the whole exchange."""

    def __init__(self, port: int):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def get(self, path: str) -> tuple[int, bytes, float]:
        for attempt in (0, 1):
            try:
                t0 = time.perf_counter()
                self.conn.request("GET", path)
                response = self.conn.getresponse()
                body = response.read()
                ms = (time.perf_counter() - t0) * 1000
                if response.will_close:
                    self.reconnect()
                return response.status, body, ms
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                if attempt:                        # the server closed an idle connection: once is forgiven
                    raise
                self.reconnect()
        raise AssertionError("unreachable")

    def json(self, path: str):
        status, body, _ = self.get(path)
        if status != 200:
            raise BenchError(f"GET {path} answered {status}: {body[:300].decode('utf-8', 'replace')}")
        return json.loads(body)

    def reconnect(self) -> None:
        self.conn.close()
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)

    def close(self) -> None:
        self.conn.close()


# ---------------------------------------------------------------------------------------------- the request set

def _url(path: str, **params) -> str:
    params = {k: v for k, v in params.items() if v is not None}
    return path + ("?" + urlencode(params) if params else "")


def sample_ids(client: Client, path: str, n: int, rng: random.Random, **params) -> list[str]:
    """`n` ids of the list at `path`, at offsets drawn over the whole list (each read with limit=1)."""
    total = client.json(_url(path, limit=1, **params))["total"]
    offsets = sorted(rng.sample(range(total), min(n, total)))
    return [client.json(_url(path, limit=1, offset=k, **params))["items"][0]["id"] for k in offsets]


def name_part(name: str) -> str:
    """Part of a name as a reader types it: its longest word without its last two letters (its ending)."""
    word = max(name.split(), key=len)
    return word[:-2] if len(word) > 5 else word


def request_set(client: Client, stats: dict, n_ids: int, seed: int) -> tuple[list[tuple[str, str, str]], dict]:
    """(group, route template, path) of every request, and what was chosen from the store to build them."""
    rng = random.Random(seed)
    by_type = stats["events_by_type"]
    event_type = "ASSAULT" if "ASSAULT" in by_type else next(iter(by_type), None)
    months = sorted(stats["events_by_month"])
    since, until = (months[len(months) // 4], months[(3 * len(months)) // 4]) if months else (None, None)
    events_total = client.json("/api/events?limit=1")["total"]
    deep = max(0, events_total - 50)
    people = client.json("/api/entities?type=PER&limit=1")["items"]
    name = name_part(people[0]["name"]) if people else None
    ids = {"events": sample_ids(client, "/api/events", n_ids, rng),
           "entities": sample_ids(client, "/api/entities", n_ids, rng),
           "documents": sample_ids(client, "/api/documents", n_ids, rng)}
    chosen = {"event_type": event_type, "since": since, "until": until, "events_total": events_total,
              "deep_offset": deep, "entity_name": name, "ids": ids}

    lists = [("/api/documents", "/api/documents"), ("/api/events", "/api/events"),
             ("/api/events?type", _url("/api/events", type=event_type) if event_type else None),
             ("/api/events?since&until", _url("/api/events", since=since, until=until) if since else None),
             ("/api/events?offset=deep", _url("/api/events", offset=deep)),
             ("/api/figures?category=killed", "/api/figures?category=killed"),
             ("/api/statements", "/api/statements"), ("/api/entities", "/api/entities"),
             ("/api/entities?type=PER", "/api/entities?type=PER"),
             ("/api/entities?name", _url("/api/entities", name=name) if name else None),
             ("/api/places", "/api/places"), ("/api/stats", "/api/stats"), ("/api/corrections", "/api/corrections")]
    out = [("api_list", template, path) for template, path in lists if path]
    for kind in ("events", "entities", "documents"):
        out += [("api_detail", f"/api/{kind}/{{id}}", f"/api/{kind}/{i}") for i in ids[kind]]
    out += [("search", "/api/search", _url("/api/search", q=q, **f)) for _, q, f in QUERIES]
    pages = ["/", _url("/search", q="митинг"), "/timeline", "/map", "/map/events.json", "/figures", "/entities",
             "/documents"]
    out += [("page", path.split("?")[0] + ("?q" if "?" in path else ""), path) for path in pages]
    for kind in ("events", "entities", "documents"):
        out += [("page", f"/{kind}/{{id}}", f"/{kind}/{i}") for i in ids[kind]]
    return out, chosen


# ---------------------------------------------------------------------------------------------- measuring

def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    k = min(len(values) - 1, max(0, round(q / 100 * (len(values) - 1))))
    return round(values[k], 2)


def _summary(times: list[float], sizes: list[int]) -> dict:
    return {"n": len(times), "p50_ms": _pct(times, 50), "p95_ms": _pct(times, 95), "p99_ms": _pct(times, 99),
            "max_ms": round(max(times), 2), "bytes_median": round(statistics.median(sizes))}


def measure(client: Client, requests: list[tuple[str, str, str]], repeat: int) -> dict:
    failed, totals = [], {}
    for group, _, path in requests:                        # warm-up: page cache, the analyser's caches, templates
        status, body, _ = client.get(path)
        if status != 200:
            failed.append(f"  {status} GET {unquote_plus(path)}: {body[:200].decode('utf-8', 'replace')}")
        elif group in ("api_list", "search") and body.startswith(b"{"):
            found = json.loads(body)
            if "total" in found:                            # how many rows the list or the search matched
                totals[path] = {"total": found["total"], "items": len(found["items"])}
    if failed:
        raise BenchError(f"{len(failed)} of {len(requests)} requests did not answer 200:\n" + "\n".join(failed))
    samples: list[list[tuple[float, int]]] = [[] for _ in requests]
    for _ in range(repeat):
        for i, (_, _, path) in enumerate(requests):
            status, body, ms = client.get(path)
            if status != 200:
                raise BenchError(f"GET {unquote_plus(path)} answered {status} in a timed pass: "
                                 f"{body[:200].decode('utf-8', 'replace')}")
            samples[i].append((ms, len(body)))

    def over(pick) -> dict:
        rows = [s for i, r in enumerate(requests) if pick(r) for s in samples[i]]
        return _summary([ms for ms, _ in rows], [b for _, b in rows])

    templates = list(dict.fromkeys((g, t) for g, t, _ in requests))
    return {
        "overall": over(lambda r: True),
        "groups": {g: over(lambda r, g=g: r[0] == g) for g in GROUPS if any(r[0] == g for r in requests)},
        "routes": [{"group": g, "route": t} | over(lambda r, g=g, t=t: r[:2] == (g, t)) for g, t in templates],
        "requests": [{"group": g, "path": unquote_plus(p), "p50_ms": _pct([ms for ms, _ in s], 50),
                      "max_ms": round(max(ms for ms, _ in s), 2), "bytes": s[-1][1]} | totals.get(p, {})
                     for (g, _, p), s in zip(requests, samples)],
    }


def _file_state(db: str) -> tuple[int, int] | None:
    """(size, mtime) of an SQLite store's main file, to show the run left it as it was; None for a URL."""
    path = pathlib.Path(db)
    return (path.stat().st_size, path.stat().st_mtime_ns) if "://" not in db and path.is_file() else None


def run(db: str | None, repeat: int, seed: int, n_ids: int, timeout: float) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        ingest_s = None
        if db is None:
            db = os.path.join(tmp, "examples.db")
            t0 = time.perf_counter()
            api.ingest([str(ROOT / "examples")], db)
            ingest_s = round(time.perf_counter() - t0, 1)
        before = _file_state(db)
        server = None
        try:
            server = Server(db, tmp, timeout)
            client = Client(server.port)
            try:
                stats = client.json("/api/stats")
                requests, chosen = request_set(client, stats, n_ids, seed)
                latency = measure(client, requests, repeat)
            finally:
                client.close()
        finally:
            if server is not None:
                server.stop()
        after = _file_state(db)
    counts = stats["counts"]
    return {
        "store": backend_for(db).describe(db) if ingest_s is None else "examples/ (temporary SQLite store)",
        "store_unchanged": before == after if before else None, "ingest_examples_s": ingest_s,
        "server_startup_s": server.startup_s,
        "counts": {"documents": counts["documents"], "events": counts["events"],
                   "entities": counts["corpus_entities"], "figure_claims": counts["figure_claims"],
                   "statements": counts["statements"]},
        "chosen": chosen, "requests_per_pass": len(requests), "latency": latency,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", help="an existing store, SQLite file or postgresql:// URL (default: examples/ ingested "
                                 "into a temporary one)")
    ap.add_argument("--repeat", type=int, default=5, help="timed passes over the request set")
    ap.add_argument("--seed", type=int, default=7, help="seed of the sampled ids")
    ap.add_argument("--ids", type=int, default=5, help="ids sampled from each of events, entities and documents")
    ap.add_argument("--timeout", type=float, default=60, help="seconds to wait for the server to answer")
    ap.add_argument("--out", default=str(ROOT / "bench" / "results" / "api_latency.json"))
    args = ap.parse_args()
    if args.repeat < 1:
        ap.error("--repeat must be at least 1")
    started = time.perf_counter()
    try:
        result = run(args.db, args.repeat, args.seed, args.ids, args.timeout)
    except BenchError as e:
        sys.exit(f"api_latency: {e}")
    command = " ".join(["bench/api_latency.py", *sys.argv[1:]])
    report = {
        "benchmark": "api_latency", "letopis": __version__,
        "command": re.sub(r"(://[^:/@\s]*:)[^@\s]*@", r"\1***@", command),     # no password of a URL
        "repeat": args.repeat, "seed": args.seed,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "sqlite": sqlite3.sqlite_version},
    } | result | {"wall_seconds": round(time.perf_counter() - started, 1)}
    out = pathlib.Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    lat = result["latency"]
    for row in lat["routes"]:
        print(f"  {row['group']:<10} {row['route']:<30} n {row['n']:>3}  p50 {row['p50_ms']:>8.2f}  "
              f"p95 {row['p95_ms']:>8.2f}  max {row['max_ms']:>8.2f} ms  {row['bytes_median']:>8} B")
    if result["store_unchanged"] is False:
        print(f"warning: the store file {args.db} changed during the run", file=sys.stderr)
    o = lat["overall"]
    p95 = {g: lat["groups"].get(g, {}).get("p95_ms", "-") for g in GROUPS}
    print(f"API latency over {result['counts']['documents']} documents ({result['requests_per_pass']} requests "
          f"x {args.repeat}): p50 {o['p50_ms']} ms, p95 {o['p95_ms']} ms, p99 {o['p99_ms']} ms "
          f"(lists p95 {p95['api_list']}, details p95 {p95['api_detail']}, search p95 {p95['search']}, "
          f"pages p95 {p95['page']} ms)")


if __name__ == "__main__":
    main()
