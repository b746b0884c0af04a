"""Ingest time per article as the corpus grows: the store, dedup index, event clustering, ledger and entities.

    .venv/bin/python bench/corpus_scale.py [--sizes 1000,10000,50000] [--probe 100] [--out bench/results/corpus_scale.json]

What is measured: the cost of adding one article to a corpus of N articles, for the parts whose cost could grow
with N — storing the document and its extraction, the dedup index (shared paragraphs, near-duplicates), placing its
event mentions in events, entering its figure claims, resolving its entities (`corpus.stage.update_corpus`). The NLP
annotation costs the same for an article whatever the corpus size (it reads only that article), so it is run once on
the examples and its extractions are reused.

Synthetic articles: variations of the project's example articles. Variant i of example k is the example's text with
a third of its lower-case words replaced by random letters of the same length (so articles are as distinct as real
ones and every span still fits) and a closing line; its extraction is the example's with its dates moved `i // 21 * 3`
days later and its towns replaced by one of a rotation of real towns — so ids, dedup sentences, dates and places
spread like a growing archive, and clustering sees realistic blocks.
The corpus is filled in batches (one transaction per 200 articles, as `letopis ingest` writes batches), then at
each size `--probe` further articles are added one by one and timed; peak RSS is reported.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import pathlib
import random
import re
import resource
import statistics
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from letopis.corpus.stage import update_corpus  # noqa: E402
from letopis.extract.contract import extract_all  # noqa: E402
from letopis.ingest import Document, read_inputs  # noqa: E402
from letopis.ingest.document import OffsetMap, PartialDate, make_document, utcnow  # noqa: E402
from letopis.store.sqlite import Store  # noqa: E402

TOWNS = ["Караганда", "Актобе", "Павлодар", "Семей", "Костанай", "Тараз", "Кызылорда", "Атырау", "Туркестан",
         "Джалал-Абад", "Каракол", "Нарын", "Талас", "Баткен", "Токмок", "Худжанд", "Бохтар", "Куляб", "Самарканд",
         "Бухара", "Наманган", "Андижан", "Фергана", "Нукус", "Гродно", "Брест", "Витебск", "Могилев", "Батуми",
         "Рустави", "Ванадзор", "Горис"]
ISO = re.compile(r"\b(\d{4})-(\d\d)-(\d\d)\b")
LOWER = re.compile(r"\b[а-яё]{4,}\b")
LETTERS = "абвгдежзиклмнопрстуфхцчшщыэюя"


def _shift_iso(s: str, days: int) -> str:
    def one(m):
        try:
            return (dt.date(int(m[1]), int(m[2]), int(m[3])) + dt.timedelta(days=days)).isoformat()
        except ValueError:
            return m[0]
    return ISO.sub(one, s)


def variant(doc: Document, extraction: dict, i: int) -> tuple[Document, dict]:
    """Article i: the example moved `i // 21 * 3` days later, into a town of the rotation, with a closing line."""
    days = (i // 21) * 3 % 3650
    town = TOWNS[i % len(TOWNS)]
    places = {e["name"] for e in extraction["entities"] if e["type"] == "LOC" and (e.get("place") or {}).get("kind")
              in ("city", "capital")}
    rng = random.Random(i)
    # a third of the lower-case words become other letters of the same length: articles as distinct from each other
    # as real ones (the dedup index must take every sentence), and every span of the extraction still fits
    text = LOWER.sub(lambda m: "".join(rng.choice(LETTERS) for _ in m[0]) if rng.random() < 0.35 else m[0], doc.text)
    text += f"\n\nМатериал подготовлен редакцией, выпуск {i}.\n"
    published = _shift_iso(str(doc.published), days) if doc.published else None
    new = make_document(text=text, body=text, body_map=OffsetMap.identity(len(text)), source=f"synthetic/{i}.txt", fmt="plain",
                        title=doc.title, published=PartialDate.parse(published) if published else None)
    raw = json.dumps(extraction, ensure_ascii=False)
    for p in places:
        raw = raw.replace(f'"{p}"', f'"{town}"')
    data = json.loads(_shift_iso(raw, days))
    # spans point into the original text; the variant's text differs in length only where towns were replaced, which
    # the corpus stage reads for words and sentences — good enough for timing, not for quality
    data.update(id=new.id, source=new.source, published=published)
    return new, data


def add(store: Store, items: list[tuple[Document, dict]]) -> None:
    with store.transaction():
        for doc, data in items:
            store.add_document(doc)
            store.put_extraction(doc.id, "bench", data, utcnow())
    update_corpus(store, [d.id for d, _ in items])


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1000,10000,50000")
    ap.add_argument("--probe", type=int, default=100)
    ap.add_argument("--batch", type=int, default=200)
    ap.add_argument("--out", default=str(ROOT / "bench/results/corpus_scale.json"))
    a = ap.parse_args(argv)
    sizes = [int(s) for s in a.sizes.split(",")]
    base_docs = [d for d in read_inputs([str(ROOT / "examples")]) if isinstance(d, Document)]
    base = list(zip(base_docs, extract_all(base_docs)))
    results, i = [], 0
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(pathlib.Path(tmp) / "scale.db")
        t_fill = time.perf_counter()
        for size in sizes:
            while i < size:
                chunk = [variant(*base[j % len(base)], j) for j in range(i, min(size, i + a.batch))]
                add(store, chunk)
                i += len(chunk)
            fill_s = time.perf_counter() - t_fill
            times = []
            for _ in range(a.probe):
                item = variant(*base[i % len(base)], i)
                t0 = time.perf_counter()
                add(store, [item])
                times.append(time.perf_counter() - t0)
                i += 1
            db_mb = sum(f.stat().st_size for f in pathlib.Path(tmp).glob("scale.db*")) / 2**20
            row = {"articles": size, "per_article_ms_median": round(statistics.median(times) * 1000, 1),
                   "per_article_ms_p95": round(sorted(times)[int(0.95 * (len(times) - 1))] * 1000, 1),
                   "add_100_s": round(sum(times[:100]) * 100 / min(100, len(times)), 2),
                   "fill_s_so_far": round(fill_s, 1), "db_mb": round(db_mb, 1),
                   "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}
            results.append(row)
            print(json.dumps(row), flush=True)
        store.close()
    first, last = results[0]["per_article_ms_median"], results[-1]["per_article_ms_median"]
    out = {"command": "python bench/corpus_scale.py " + " ".join(argv or sys.argv[1:]), "rows": results,
           "growth_first_to_last": round(last / first, 2) if first else None}
    pathlib.Path(a.out).write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"per-article time grows ×{out['growth_first_to_last']} from {sizes[0]} to {sizes[-1]} articles")


if __name__ == "__main__":
    main()
