"""Cost of adding one article to the dedup index as the index grows (letopis.corpus.dedup).

    .venv/bin/python bench/dedup_scale.py [--docs 10000] [--probe 50] [--db PATH] [--out bench/results/dedup_scale.json]

Synthetic articles: sentences of words drawn from the example corpus's vocabulary, four paragraphs each; a fifth of
them also carry one of 50 background paragraphs (each copy with one word changed per sentence) and 3 % are reposts
of an earlier article under another title with a footer. The index is built in a file database (WAL, as the Store
opens it), then `--probe` new articles of each kind are added one by one and timed; the store is closed and
reopened to time the first add after a restart (nothing is rebuilt on open).
"""
from __future__ import annotations

import argparse
import json
import pathlib
import random
import re
import statistics
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from letopis.corpus import DedupIndex  # noqa: E402
from letopis.ingest import Document, read_inputs  # noqa: E402
from letopis.store.sqlite import Store  # noqa: E402


class Corpus:
    def __init__(self, seed: int = 0):
        text = " ".join(d.body for d in read_inputs([str(ROOT / "examples")]) if isinstance(d, Document))
        self.words = sorted(set(re.findall(r"[а-яё]+", text.lower())))
        self.rng = random.Random(seed)
        self.background = [[self.sentence() for _ in range(4)] for _ in range(50)]
        self.made: list[str] = []

    def sentence(self) -> list[str]:
        return self.rng.choices(self.words, k=self.rng.randint(8, 18))

    def paragraph(self) -> str:
        return " ".join(self.render(self.sentence()) for _ in range(self.rng.randint(3, 6)))

    def render(self, words: list[str]) -> str:
        return " ".join(words).capitalize() + "."

    def edited(self, sentences: list[list[str]]) -> str:
        out = []
        for words in sentences:
            words = list(words)
            words[self.rng.randrange(len(words))] = self.rng.choice(self.words)
            out.append(self.render(words))
        return " ".join(out)

    def article(self, kind: str) -> str:
        title = self.render(self.sentence()[:6])
        if kind == "repost" and self.made:
            original = self.rng.choice(self.made)
            body = f"{title}\n\n{original.split(chr(10) * 2, 1)[1]}\n\nЧитайте также: {self.render(self.sentence())}"
        else:
            paragraphs = [self.paragraph() for _ in range(4)]
            if kind == "background":
                paragraphs.insert(self.rng.randint(1, 4), self.edited(self.rng.choice(self.background)))
            body = "\n\n".join([title, *paragraphs])
        self.made.append(body)
        return body

    def kinds(self, n: int) -> list[str]:
        return [self.rng.choices(["plain", "background", "repost"], [0.77, 0.2, 0.03])[0] for _ in range(n)]


def timed_adds(index: DedupIndex, corpus: Corpus, kind: str, n: int, prefix: str) -> list[float]:
    out = []
    for i in range(n):
        body = corpus.article(kind)
        t = time.perf_counter()
        index.add(f"{prefix}-{kind}-{i}", body)
        out.append((time.perf_counter() - t) * 1000)
    return out


def summary(ms: list[float]) -> dict:
    ms = sorted(ms)
    return {"n": len(ms), "median_ms": round(statistics.median(ms), 2),
            "p95_ms": round(ms[min(len(ms) - 1, int(0.95 * len(ms)))], 2), "max_ms": round(ms[-1], 2)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--probe", type=int, default=50)
    ap.add_argument("--db", default=None, help="database file (default: a temporary one)")
    ap.add_argument("--out", default=str(ROOT / "bench" / "results" / "dedup_scale.json"))
    args = ap.parse_args()

    tmp = tempfile.TemporaryDirectory()
    db = pathlib.Path(args.db or pathlib.Path(tmp.name) / "dedup.db")
    corpus = Corpus()
    report: dict = {"docs": args.docs, "build": []}
    with Store(db) as store:
        index = DedupIndex(store.db)
        t0 = time.perf_counter()
        window = time.perf_counter()
        for i, kind in enumerate(corpus.kinds(args.docs), 1):
            index.add(f"doc-{i}", corpus.article(kind))
            if i % max(1, args.docs // 10) == 0:
                step = max(1, args.docs // 10)
                report["build"].append({"docs": i, "ms_per_doc": round((time.perf_counter() - window) * 1000 / step, 2)})
                window = time.perf_counter()
                print(f"{i} docs, {report['build'][-1]['ms_per_doc']} ms/doc", flush=True)
        report["build_seconds"] = round(time.perf_counter() - t0, 1)
        report["add_one"] = {kind: summary(timed_adds(index, corpus, kind, args.probe, "probe"))
                             for kind in ("plain", "background", "repost")}
        q = lambda sql: store.db.execute(sql).fetchone()[0]  # noqa: E731
        report["rows"] = {"documents": q("SELECT COUNT(*) FROM dedup_documents"),
                          "passages": q("SELECT COUNT(*) FROM dedup_passages"),
                          "leaders": q("SELECT COUNT(*) FROM dedup_passages WHERE leader IS NULL"),
                          "buckets": q("SELECT COUNT(*) FROM dedup_buckets"),
                          "duplicates": q("SELECT COUNT(*) FROM dedup_documents WHERE duplicate_of IS NOT NULL")}
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    report["db_mb"] = round(db.stat().st_size / 2**20, 1)
    t = time.perf_counter()
    with Store(db) as store:
        index = DedupIndex(store.db)
        report["reopen_ms"] = round((time.perf_counter() - t) * 1000, 2)
        report["first_add_after_reopen_ms"] = summary(timed_adds(index, corpus, "background", 1, "reopen"))["max_ms"]
    print(json.dumps(report, indent=2))
    pathlib.Path(args.out).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
