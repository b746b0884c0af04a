"""Ingest time per article as the corpus grows: the store, dedup index, event clustering, ledger, entities and search.

    .venv/bin/python bench/corpus_scale.py [--sizes 1000,10000,50000] [--probe 672] [--out FILE] [--keep DIR]

What is measured: the cost of adding one article to a corpus of N articles, for every part of `letopis ingest`
whose cost could grow with N — what `api.ingest` does with a batch once it is extracted (`write` there): storing
the document and its extraction, folding it into the corpus (`corpus.stage.update_corpus`: shared paragraphs and
near-duplicates, event clustering, the ledger, entities) and indexing it for search (`search.index_documents`),
in one transaction. Reading the input and the NLP cost the same for an article whatever the corpus size (they read
only that article), so the examples are read and extracted once, in a child process (the models' memory is not
this process's peak RSS), and their extractions reused.

Synthetic articles: variations of the project's example articles. Article i belongs to group g = i // 21 (the
number of examples): a copy of the example corpus moved `3 g` days later (its days and its months alike: an
article dated to a month moves with the rest), so the archive grows in time at a steady 7 articles a day, as a real
one does, and never folds back onto its earlier days. Within a group the examples keep what relates them (the same
words, towns and names), so the reports of one event still meet in one event block and share their paragraphs;
across groups they are other stories:
  - three in four Cyrillic words of four letters or more become other letters of the same length, the same word
    the same way throughout the group (in the text and in the markup-free body alike, so every span still fits):
    a sentence and its copy in another group share a few names and short words (char 5-gram Jaccard median 0.04,
    99th percentile 0.24), and LSH takes two unrelated sentences for candidates at about a third of the rate it
    does for real news sentences (NEREL dev);
  - each city the examples name becomes a town of a rotation (`TOWNS`), the same one throughout the group;
  - each word of a person's or an organisation's name is renamed in half the groups: the entity table grows with
    the corpus, while the names kept recur across the whole archive;
  - every third article ends with one of two stock paragraphs of its outlet (`OUTLET`): boilerplate repeated in a
    sixth of the archive, as the dedup index meets it in real feeds;
  - a closing line with the article's number (too short to be indexed).
The corpus is filled in batches of 16 articles (as `letopis ingest` writes them), and copied at each size; then
`--probe` further articles are added to the copy of each size in such batches, a batch at each size in turn (so that
every size is timed under the same load of a shared machine), each article timed on its own (with its share of the
batch's commit). Each row reports the median and 95th percentile per article, in wall-clock and in CPU time (the machine may be shared), and
the medians of its parts; the events in a mention's block, the keys a sentence's LSH buckets hold and the candidates
its fingerprint leaves to verify; the store's size;
the resident memory now and at its peak (the search analyser's word caches fill up to their bound first); with a
probe of 100 articles or more, the time the first 100 took (`add_100_s`: what adding 100 articles to a corpus of that
size costs beyond their extraction; `add_100_with_extraction_s` adds 100 times the extraction of an example article,
timed in the child process on a warm second pass). `--grow DB` goes on from a store an earlier run kept (`--keep`),
so a larger size costs only the articles it adds; its rows are then compared with the earlier run's by hand.
"""
from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import datetime as dt
import hashlib
import json
import os
import pathlib
import random
import re
import resource
import shutil
import statistics
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from letopis.corpus import dedup  # noqa: E402
from letopis.corpus.dedup import SqliteMinHashLSH  # noqa: E402
from letopis.corpus.stage import update_corpus  # noqa: E402
from letopis.ingest import Document, read_inputs  # noqa: E402
from letopis.ingest.document import OffsetMap, PartialDate, make_document, utcnow  # noqa: E402
from letopis.search import index_documents  # noqa: E402
from letopis.store.corpus import CorpusTables  # noqa: E402
from letopis.store.sqlite import Store  # noqa: E402

TOWNS = ["Караганда", "Актобе", "Павлодар", "Семей", "Костанай", "Тараз", "Кызылорда", "Атырау", "Туркестан",
         "Джалал-Абад", "Каракол", "Нарын", "Талас", "Баткен", "Токмок", "Худжанд", "Бохтар", "Куляб", "Самарканд",
         "Бухара", "Наманган", "Андижан", "Фергана", "Нукус", "Гродно", "Брест", "Витебск", "Могилев", "Батуми",
         "Рустави", "Ванадзор", "Горис"]
OUTLET = [
    "Редакция продолжает следить за развитием событий и будет обновлять материал по мере поступления новых "
    "сведений. Если вы были свидетелем происходящего, расскажите об этом нашим корреспондентам через форму "
    "обратной связи на сайте.",
    "Мнение авторов публикаций может не совпадать с позицией редакции издания. Перепечатка материалов допускается "
    "только с активной ссылкой на первоисточник и с указанием имени автора.",
]
DAYS_PER_GROUP = 3
NOISE = 0.75            # share of the longer words replaced, per group
RENAME = 0.5            # share of the groups in which a name's word is renamed
ISO = re.compile(r"\b(\d{4})-(\d\d)-(\d\d)\b")
MONTH = re.compile(r"(?<![\d-])(\d{4})-(\d\d)(?![\d-])")
WORD = re.compile(r"\b[А-ЯЁа-яё][а-яё]{3,}\b")
NAME_WORD = re.compile(r"[А-ЯЁ][а-яё]{3,}")
LETTERS = "абвгдежзиклмнопрстуфхцчшщыэюя"


def _hash(*parts) -> int:
    return int.from_bytes(hashlib.blake2b("|".join(map(str, parts)).encode(), digest_size=8).digest(), "little")


def _letters(n: int, *seed, upper: bool = False) -> str:
    rng = random.Random(_hash(*seed))
    word = "".join(rng.choice(LETTERS) for _ in range(n))
    return word[0].upper() + word[1:] if upper else word


def _shift_dates(s: str, days: int) -> str:
    """Every ISO day in `s`, and every month written alone ("2023-03", a month-precision date), `days` later."""
    def day(m):
        try:
            return (dt.date(int(m[1]), int(m[2]), int(m[3])) + dt.timedelta(days=days)).isoformat()
        except (ValueError, OverflowError):
            return m[0]

    def month(m):
        try:
            return (dt.date(int(m[1]), int(m[2]), 15) + dt.timedelta(days=days)).strftime("%Y-%m")
        except (ValueError, OverflowError):
            return m[0]
    return MONTH.sub(month, ISO.sub(day, s))


class Synthetic:
    """Article i of the synthetic archive built from `base` ((Document, extraction) of each example)."""

    def __init__(self, base: list[tuple[Document, dict]]):
        self.base = base
        cities = sorted({e["name"] for _, x in base for e in x["entities"]
                         if e["type"] == "LOC" and (e.get("place") or {}).get("kind") in ("city", "capital")})
        self.cities = {c: k for k, c in enumerate(cities)}       # fewer than TOWNS: one town each in a group
        self.name_words = sorted({w for _, x in base for e in x["entities"] if e["type"] in ("PER", "ORG")
                                  for n in (e["name"], *(e.get("aliases") or ())) for w in NAME_WORD.findall(n)})

    def __call__(self, i: int) -> tuple[Document, dict]:
        doc, extraction = self.base[i % len(self.base)]
        group = i // len(self.base)
        days = group * DAYS_PER_GROUP

        def noise(text: str) -> str:
            def one(m):
                w = m[0]
                if _hash(group, w.lower()) % 1000 >= NOISE * 1000:
                    return w
                return _letters(len(w), group, w.lower(), upper=w[0].isupper())
            return WORD.sub(one, text)

        tail = f"\n\nМатериал подготовлен редакцией, выпуск {i}.\n"
        if i % 3 == 0:
            tail = f"\n\n{OUTLET[i // 3 % len(OUTLET)]}" + tail
        text, body = noise(doc.text) + tail, noise(doc.body) + tail
        body_map = OffsetMap((*doc.body_map.runs, (len(doc.body), len(doc.text), len(tail))))
        published = _shift_dates(str(doc.published), days) if doc.published else None
        new = make_document(text=text, body=body, body_map=body_map, source=f"synthetic/{i}.txt", fmt=doc.format,
                            title=doc.title, published=PartialDate.parse(published) if published else None)
        raw = json.dumps(extraction, ensure_ascii=False)
        for city, k in self.cities.items():
            raw = raw.replace(f'"{city}"', f'"{TOWNS[(k + group) % len(TOWNS)]}"')
        renamed = {w: _letters(len(w), group, w, upper=True) for w in self.name_words
                   if _hash("rename", group, w) % 1000 < RENAME * 1000}
        if renamed:
            raw = re.sub(r"(?<![\w-])(" + "|".join(map(re.escape, renamed)) + r")(?!\w)", lambda m: renamed[m[1]], raw)
        data = json.loads(_shift_dates(raw, days))
        # spans point into the example's text: the variant's has the same length up to its tail, and the corpus
        # stage reads it only for words and sentence ends — good enough for timing, not for quality
        data.update(id=new.id, source=new.source, published=published)
        return new, data


def add(store: Store, items: list[tuple[Document, dict]]) -> None:
    """One batch as `api.ingest` writes it once extracted: documents, extractions, the corpus fold and the search
    index, in one transaction."""
    with store.transaction():
        for doc, data in items:
            store.add_document(doc)
            store.put_extraction(doc.id, "bench", data, utcnow())
        update_corpus(store, [d.id for d, _ in items])
        index_documents(store, [d.id for d, _ in items])


def add_timed(store: Store, items: list[tuple[Document, dict]]) -> list[dict[str, float]]:
    """`add`, article by article inside the batch's one transaction: the seconds of each article's store write,
    corpus fold and search indexing, its share of the commit, their total, and the CPU seconds of that total (the
    machine may be shared: CPU time is what other processes change least)."""
    out = []
    with store.transaction():
        for doc, data in items:
            c0, t0 = time.process_time(), time.perf_counter()
            store.add_document(doc)
            store.put_extraction(doc.id, "bench", data, utcnow())
            t1 = time.perf_counter()
            update_corpus(store, [doc.id])
            t2 = time.perf_counter()
            index_documents(store, [doc.id])
            t3 = time.perf_counter()
            out.append({"store": t1 - t0, "corpus": t2 - t1, "search": t3 - t2, "cpu": time.process_time() - c0})
        c_commit, t_commit = time.process_time(), time.perf_counter()
    commit, commit_cpu = ((time.perf_counter() - t_commit) / len(items), (time.process_time() - c_commit) / len(items))
    return [p | {"commit": commit, "total": p["store"] + p["corpus"] + p["search"] + commit,
                 "cpu": p["cpu"] + commit_cpu} for p in out]


class Counts:
    """While probing: the events of each block query, and for each sentence the keys its LSH buckets hold and the
    candidates left once their fingerprints are compared (wrapping the methods; nothing is queried twice)."""

    def __init__(self, blocks: list[int], keys: list[int], kept: list[int]):
        self.blocks, self.keys, self.kept = blocks, keys, kept
        self._originals = (CorpusTables.candidates, SqliteMinHashLSH.candidates, dedup._agreeing)

    def __enter__(self) -> Counts:
        candidates, lsh_candidates, agreeing = self._originals
        seen = [0]

        def counted_candidates(tables, *a, **k):
            out = candidates(tables, *a, **k)
            self.blocks.append(len(out))
            return out

        def counted_agreeing(*a):
            seen[0] += 1
            return agreeing(*a)

        def counted_lsh(lsh, minhash, need):
            seen[0] = 0
            out = lsh_candidates(lsh, minhash, need)
            self.keys.append(seen[0])
            self.kept.append(len(out))
            return out
        CorpusTables.candidates, SqliteMinHashLSH.candidates, dedup._agreeing = \
            counted_candidates, counted_lsh, counted_agreeing
        return self

    def __exit__(self, *exc) -> None:
        CorpusTables.candidates, SqliteMinHashLSH.candidates, dedup._agreeing = self._originals


def _extract_examples() -> tuple[list[tuple[Document, dict]], float]:
    """The examples with their extractions, and the seconds the extraction takes per article once the models are
    loaded (a second pass, timed): the part of ingest that does not depend on the corpus."""
    from letopis.extract.contract import extract_all
    docs = [d for d in read_inputs([str(ROOT / "examples")]) if isinstance(d, Document)]
    data = extract_all(docs)
    t0 = time.perf_counter()
    extract_all(docs)
    return list(zip(docs, data)), (time.perf_counter() - t0) / len(docs)


def _rss_mb() -> float:
    pages = int(pathlib.Path("/proc/self/statm").read_text().split()[1])
    return pages * resource.getpagesize() / 2**20


def _ms(values: list[float], q: float) -> float:
    return round(sorted(values)[int(q * (len(values) - 1))] * 1000, 1)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1000,10000,50000")
    ap.add_argument("--probe", type=int, default=672, help="articles added at each size (672: 32 groups, once round"
                    " the town rotation)")
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--out", default=str(ROOT / "bench/results/corpus_scale.json"))
    ap.add_argument("--keep", metavar="DIR", help="build the stores in DIR (new or empty) and keep them")
    ap.add_argument("--grow", metavar="DB", help="start from a copy of DB, a store this benchmark kept (its articles "
                    "are the first of the same sequence), and fill on from its size; every size must be larger")
    a = ap.parse_args(argv)
    sizes = [int(s) for s in a.sizes.split(",")]
    with concurrent.futures.ProcessPoolExecutor(1) as pool:
        base, extract_s = pool.submit(_extract_examples).result()
        article = Synthetic(base)
    results = []
    with (contextlib.nullcontext(a.keep) if a.keep else tempfile.TemporaryDirectory()) as tmp:
        folder = pathlib.Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        if any(folder.iterdir()):
            ap.error(f"--keep {folder}: the folder is not empty")
        if a.grow:
            shutil.copyfile(a.grow, folder / "scale.db")
        store, i, filled = Store(folder / "scale.db"), 0, {}
        if a.grow:
            i = store.db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
            if i >= sizes[0]:
                ap.error(f"--grow {a.grow}: it holds {i} articles already, more than --sizes {sizes[0]}")
        t_fill = time.perf_counter()
        for size in sizes:
            while i < size:
                stop = min(size, i + a.batch)
                add(store, [article(j) for j in range(i, stop)])
                i = stop
            filled[size] = {"fill_s_so_far": round(time.perf_counter() - t_fill, 1),
                            "db_mb": round(sum(f.stat().st_size for f in folder.glob("scale.db*")) / 2**20, 1),
                            "rss_mb": round(_rss_mb()),
                            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}
            print(json.dumps({"articles": size, **filled[size]}), flush=True)
            if size != sizes[-1]:           # a copy of the store at this size, probed with the others below
                store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                shutil.copyfile(folder / "scale.db", folder / f"at-{size}.db")
        # the probes: a batch at each size in turn, so that every size is timed under the same load of the machine
        stores = {size: Store(folder / f"at-{size}.db") for size in sizes[:-1]} | {sizes[-1]: store}
        timed: dict[int, list] = {size: [] for size in sizes}
        blocks: dict[int, list] = {size: [] for size in sizes}
        keys: dict[int, list] = {size: [] for size in sizes}
        kept: dict[int, list] = {size: [] for size in sizes}
        for start in range(0, a.probe, a.batch):
            stop = min(a.probe, start + a.batch)
            for size in sizes:
                with Counts(blocks[size], keys[size], kept[size]):
                    timed[size] += add_timed(stores[size], [article(size + j) for j in range(start, stop)])
        for size in sizes:
            t = timed[size]
            row = {"articles": size, "per_article_ms_median": _ms([x["total"] for x in t], 0.5),
                   "per_article_ms_p95": _ms([x["total"] for x in t], 0.95),
                   "cpu_ms_median": _ms([x["cpu"] for x in t], 0.5), "cpu_ms_p95": _ms([x["cpu"] for x in t], 0.95),
                   **{f"{k}_ms_median": _ms([x[k] for x in t], 0.5) for k in ("store", "corpus", "search", "commit")},
                   **{f"{k}_ms_p95": _ms([x[k] for x in t], 0.95) for k in ("corpus", "search")},
                   "block_events_mean": round(statistics.mean(blocks[size]), 1) if blocks[size] else 0,
                   "lsh_keys_mean": round(statistics.mean(keys[size]), 1) if keys[size] else 0,
                   "lsh_candidates_mean": round(statistics.mean(kept[size]), 1) if kept[size] else 0,
                   "with_extraction_ms_median": round(_ms([x["total"] for x in t], 0.5) + extract_s * 1000, 1),
                   **({"add_100_s": round(sum(x["total"] for x in t[:100]), 2),
                       "add_100_with_extraction_s": round(sum(x["total"] for x in t[:100]) + 100 * extract_s, 2)}
                      if len(t) >= 100 else {}),
                   **filled[size]}
            results.append(row)
            print(json.dumps(row), flush=True)
            stores[size].close()
    first, last = results[0], results[-1]
    out = {"command": "python bench/corpus_scale.py " + " ".join(argv if argv is not None else sys.argv[1:]),
           "rows": results,
           "growth_median": round(last["per_article_ms_median"] / first["per_article_ms_median"], 2),
           "growth_p95": round(last["per_article_ms_p95"] / first["per_article_ms_p95"], 2),
           "growth_cpu_median": round(last["cpu_ms_median"] / first["cpu_ms_median"], 2),
           "growth_cpu_p95": round(last["cpu_ms_p95"] / first["cpu_ms_p95"], 2),
           "extraction_ms_per_article": round(extract_s * 1000, 1),
           "growth_with_extraction_median": round(last["with_extraction_ms_median"]
                                                  / first["with_extraction_ms_median"], 2),
           "load_average_at_end": [round(x, 2) for x in os.getloadavg()]}
    pathlib.Path(a.out).write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"per-article time from {sizes[0]} to {sizes[-1]} articles: median ×{out['growth_median']}, "
          f"p95 ×{out['growth_p95']} (CPU time: ×{out['growth_cpu_median']}, ×{out['growth_cpu_p95']}); with the "
          f"extraction ({out['extraction_ms_per_article']} ms an article): median ×{out['growth_with_extraction_median']}")


if __name__ == "__main__":
    main()
