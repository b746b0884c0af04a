"""Search latency on a large synthetic corpus (letopis.search): p50/p95/p99 of a fixed query set.

    .venv/bin/python bench/search_latency.py [--n 50000] [--repeat 5] [--workers 2] [--db PATH]
                                             [--out bench/results/search_latency.json]

How the corpus is made (the NLP pipeline runs only on the examples, never on the synthetic articles):

1. `examples/` is ingested with the full pipeline (extraction and corpus stage) into a temporary store.
2. `--n` variants of those articles are written as new documents: each copies one example article and rewrites it
   without changing its length, so the example's extraction (every span) stays valid for the copy: every digit run
   gets other digits, and one word in eight of five letters or more is swapped for a word of the same length drawn
   from ~15k word forms of pymorphy's dictionary (a long tail of rarer words beside the examples' frequent ones).
   The publication date moves by 0-3 years, and every date of the extraction with it; body and text change alike.
3. Each copy gets the example's extraction under its new id (`extractions` table). The corpus tables are not
   copied, so a copy is indexed from its extraction alone (places, actors, speakers and figure sources as written;
   no geocoded names, claimant classes or corpus entity ids: the filters on those find the examples only).
4. Every document is indexed as `index_documents` does it (all units: paragraphs, event mentions, statements,
   figure claims): `--workers` processes compute the rows (`document_rows`), the main process writes them
   (`write_rows`); then the FTS5 index is optimised (merged into one segment).
5. Every query of QUERIES runs `--repeat` times after one warm-up pass over the set, timed around
   `search(...)` on one connection: counting, ranking, the page of 20 hits with snippets and highlight offsets.
"""
from __future__ import annotations

import argparse
import functools
import json
import multiprocessing
import os
import pathlib
import platform
import random
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date, timedelta

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from letopis import __version__, api  # noqa: E402
from letopis.ingest.document import PartialDate, content_id  # noqa: E402
from letopis.search import search  # noqa: E402
from letopis.search.analyzer import _morph  # noqa: E402
from letopis.search.index import document_rows, optimize, write_rows  # noqa: E402
from letopis.store.sqlite import Store  # noqa: E402

# (label, query, filters): common and rare words, forms, phrases, exclusions, OR, and every filter
QUERIES: list[tuple[str, str, dict]] = [
    ("common word", "погибли", {}),
    ("word form", "погибших", {}),
    ("two words", "погибли Шахтинске", {}),
    ("place", "Бишкеке", {}),
    ("person", "Сейтказиева", {}),
    ("stop word", "в", {}),
    ("rare word", "котла", {}),
    ("absent word", "землетрясение", {}),
    ("phrase", '"комендантский час"', {}),
    ("long phrase", '"разогнала митинг бастующих горняков"', {}),
    ("exclusion", "митинг -Бишкек", {}),
    ("exclusion only", "-погибли", {}),
    ("OR", "погибли OR задержаны", {}),
    ("three words", "задержаны человек полиция", {}),
    ("kind event", "митинг", {"kind": "event"}),
    ("kind figure", "погибших", {"kind": "figure"}),
    ("kind statement", "заявил", {"kind": "statement"}),
    ("date range", "забастовка", {"since": "2024-01-01", "until": "2024-06-30"}),
    ("type", "", {"type": "PROTEST"}),
    ("type + word", "митинг", {"type": "PROTEST", "kind": "event"}),
    ("place filter", "погибли", {"place": "Шахтинск"}),
    ("entity filter", "", {"entity": "Сейтказиев"}),
    ("claimant filter", "погибли", {"claimant": "Кенес"}),
    ("source filter", "ГЭС", {"source": "examples/07"}),
    ("filters only", "", {"kind": "figure", "since": "2024-03", "until": "2024-03"}),
    ("deep page", "погибли", {"offset": 500}),
    ("bad syntax", 'NEAR( "погиб* OR', {}),
    ("empty", "", {}),
]

_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_SWAP = re.compile(r"(?<![а-яёА-ЯЁ])[а-яё]{5,}(?![а-яёА-ЯЁ])")
_DIGITS = re.compile(r"\d+")


class Base:
    """One example article, prepared for cheap length-preserving copies."""

    def __init__(self, doc, extraction: dict):
        self.doc = doc
        self.words = [m.span() for m in _SWAP.finditer(doc.text)]
        self.digits = [m.span() for m in _DIGITS.finditer(doc.text) if m.group()[0] != "0"]
        self.body_parts: list = []                     # body: literal pieces and text runs (t0, n), in order
        pos = 0
        for b0, t0, n in doc.body_map.runs:
            if b0 > pos:
                self.body_parts.append(doc.body[pos:b0])
            self.body_parts.append((t0, n))
            pos = b0 + n
        if pos < len(doc.body):
            self.body_parts.append(doc.body[pos:])
        raw = json.dumps(extraction, ensure_ascii=False)
        self.extraction_parts = _DATE.split(raw)          # literal, y, m, d, literal, …


class Variants:
    """Length-preserving rewrites of the example articles (see the module docstring)."""

    def __init__(self, bases: list[Base], vocabulary: list[str], seed: int = 0):
        self.bases, self.seed = bases, seed
        self.by_length: dict[int, list[str]] = {}
        for w in vocabulary:
            self.by_length.setdefault(len(w), []).append(w)

    def make(self, i: int):
        rng = random.Random(self.seed * 1_000_003 + i)
        base = self.bases[i % len(self.bases)]
        shift = rng.randrange(3 * 365)
        edits = []
        for k in rng.sample(range(len(base.words)), len(base.words) // 8):
            a, b = base.words[k]
            pool = self.by_length.get(b - a)
            if pool:
                edits.append((a, b, pool[rng.randrange(len(pool))]))
        for a, b in base.digits:
            edits.append((a, b, str(rng.randrange(10 ** (b - a - 1), 10 ** (b - a)))))
        src, parts, pos = base.doc.text, [], 0
        for a, b, new in sorted(edits):
            parts += [src[pos:a], new]
            pos = b
        parts.append(src[pos:])
        text = "".join(parts)
        body = "".join(p if isinstance(p, str) else text[p[0]:p[0] + p[1]] for p in base.body_parts)
        d = base.doc
        title = text[d.title_span[0]:d.title_span[1]] if d.title_span and d.title else d.title
        doc = replace(d, id=content_id(text), text=text, body=body, title=title, source=f"synthetic/{i:06d}/{d.source}",
                      published=_shift_partial(d.published, shift), ingested_at="2026-01-01T00:00:00+00:00")
        ex = base.extraction_parts
        raw = "".join(ex[j] if j % 4 == 0 else _shift(ex[j], ex[j + 1], ex[j + 2], shift) if j % 4 == 1 else ""
                      for j in range(len(ex)))
        raw = raw.replace(d.id, doc.id).replace(json.dumps(d.source, ensure_ascii=False),
                                                json.dumps(doc.source, ensure_ascii=False), 1)
        return doc, raw


@functools.lru_cache(maxsize=200_000)
def _shift(y: str, m: str, d: str, days: int) -> str:
    try:
        return (date(int(y), int(m), int(d)) + timedelta(days=days)).isoformat()
    except ValueError:
        return f"{y}-{m}-{d}"


def _shift_partial(p: PartialDate | None, days: int) -> PartialDate | None:
    if p is None:
        return None
    d = p.first_day() + timedelta(days=days)
    return PartialDate(d.year, d.month if p.month else None, d.day if p.day else None)


def _vocabulary(docs) -> list[str]:
    """~40k word forms of pymorphy's dictionary, 60 for each three-letter start of the examples' long words."""
    prefixes = sorted({w[:3] for d in docs for w in _SWAP.findall(d.body)})
    morph, out = _morph(), set()
    for prefix in prefixes:
        for i, p in enumerate(morph.iter_known_word_parses(prefix)):
            if i >= 60:
                break
            if p.word.isalpha() and len(p.word) >= 5 and "ё" not in p.word:
                out.add(p.word)
    return sorted(out)


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    k = min(len(values) - 1, max(0, round(q / 100 * (len(values) - 1))))
    return round(values[k], 2)


# ---------------------------------------------------------------------------------------------- worker processes

_WORKER: dict = {}


def _init_worker(path: str, bases: list[Base], vocabulary: list[str]) -> None:
    _WORKER["store"] = Store(path)
    _WORKER["variants"] = Variants(bases, vocabulary)


def _make_chunk(indices: range) -> list:
    return [_WORKER["variants"].make(i) for i in indices]


def _rows_chunk(ids: list[str]) -> list:
    store = _WORKER["store"]
    return [(doc_id, document_rows(store, doc_id)) for doc_id in ids]


def build(store: Store, n: int, workers: int) -> dict:
    t0 = time.perf_counter()
    api.ingest([str(ROOT / "examples")], store)
    t_examples = time.perf_counter() - t0
    docs = [store.get_document(d["id"]) for d in store.list_documents()]
    extractions = {d.id: store.get_extraction(d.id) for d in docs}
    bases = [Base(d, extractions[d.id]) for d in docs if extractions[d.id]]
    t0 = time.perf_counter()
    vocabulary = _vocabulary(docs)
    t_vocab = time.perf_counter() - t0
    ids = [d.id for d in docs]
    with multiprocessing.get_context("fork").Pool(workers, _init_worker, (store.path, bases, vocabulary)) as pool:
        t0 = time.perf_counter()
        chunks = [range(a, min(n, a + 250)) for a in range(0, n, 250)]
        for made in pool.imap(_make_chunk, chunks):
            with store.transaction():
                for doc, extraction in made:
                    if store.add_document(doc):
                        store.db.execute("INSERT OR REPLACE INTO extractions VALUES (?,?,?,?)",
                                         (doc.id, __version__, extraction, doc.ingested_at))
                        ids.append(doc.id)
        t_docs = time.perf_counter() - t0
        t0 = time.perf_counter()
        units = 0
        for batch in pool.imap(_rows_chunk, [ids[a:a + 100] for a in range(0, len(ids), 100)]):
            units += write_rows(store, batch)
        t_index = time.perf_counter() - t0
    t0 = time.perf_counter()
    optimize(store)
    t_optimize = time.perf_counter() - t0
    return {
        "documents": len(ids), "synthetic": len(ids) - len(bases), "units": units,
        "units_by_kind": dict(store.db.execute("SELECT kind, COUNT(*) FROM search_units GROUP BY kind").fetchall()),
        "vocabulary": len(vocabulary), "workers": workers,
        "seconds": {"ingest_examples_with_nlp": round(t_examples, 1), "vocabulary": round(t_vocab, 1),
                    "write_documents": round(t_docs, 1), "index": round(t_index, 1), "optimize": round(t_optimize, 1)},
        "index_docs_per_s": round(len(ids) / t_index),
    }


def measure(store: Store, repeat: int) -> dict:
    for _, q, f in QUERIES:                                    # warm-up: page cache, lru caches
        search(store, q, **f)
    per_query, every = [], []
    for label, q, f in QUERIES:
        times, total = [], 0
        for _ in range(repeat):
            t0 = time.perf_counter()
            page = search(store, q, **f)
            times.append((time.perf_counter() - t0) * 1000)
            total = page.total
        every += times
        per_query.append({"label": label, "q": q, "filters": f, "total": total, "hits": len(page.items),
                          "p50_ms": _pct(times, 50), "max_ms": round(max(times), 2)})
    return {"runs": len(every), "p50_ms": _pct(every, 50), "p95_ms": _pct(every, 95), "p99_ms": _pct(every, 99),
            "mean_ms": round(statistics.fmean(every), 2), "max_ms": round(max(every), 2), "queries": per_query}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=50_000, help="synthetic articles beside the examples")
    ap.add_argument("--repeat", type=int, default=5, help="timed runs of each query")
    ap.add_argument("--workers", type=int, default=2, help="processes that write variants and analyse units")
    ap.add_argument("--db", help="database file to build (default: a temporary one, deleted afterwards)")
    ap.add_argument("--out", default=str(ROOT / "bench" / "results" / "search_latency.json"))
    args = ap.parse_args()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or os.path.join(tmp, "search.db")
        with Store(path) as store:
            built = build(store, args.n, args.workers)
            size = sum(r[0] for r in store.db.execute("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'search%'"))\
                if _has_dbstat(store.db) else None
            latency = measure(store, args.repeat)
        db_mb = round(os.path.getsize(path) / 1e6, 1)
    report = {
        "benchmark": "search_latency", "letopis": __version__, "n": args.n, "repeat": args.repeat,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "sqlite": sqlite3.sqlite_version},
        "corpus": built, "db_mb": db_mb, "search_index_mb": round(size / 1e6, 1) if size else None,
        "latency": latency, "wall_seconds": round(time.perf_counter() - started, 1),
    }
    print(json.dumps({k: v for k, v in report.items() if k != "latency"} |
                     {"latency": {k: v for k, v in latency.items() if k != "queries"}}, ensure_ascii=False, indent=2))
    for row in latency["queries"]:
        print(f"  {row['label']:<16} p50 {row['p50_ms']:>8.2f} ms  max {row['max_ms']:>8.2f} ms  total {row['total']}")
    pathlib.Path(args.out).write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _has_dbstat(db: sqlite3.Connection) -> bool:
    try:
        db.execute("SELECT 1 FROM dbstat LIMIT 1").fetchall()
        return True
    except sqlite3.OperationalError:
        return False


if __name__ == "__main__":
    main()
