#!/usr/bin/env python3
"""Precision, recall and F1 of letopis time expressions against NEREL DATE entities, by span overlap and exact span.

    .venv/bin/python bench/nerel_times.py [--data /work/shared/data/NEREL/dev] [--out bench/results/nerel_times.json]
                                          [--limit N]

NEREL dev (brat `.txt`/`.ann`, read where it lies) marks DATE entities: calendar dates ("20 мая 2017 года",
"в начале 2017 года", "В воскресенье, 11 июня 2017 года"), relative ones ("Несколько дней назад") and also
durations and ages ("два года", "около 30 лет", "21 месяцу"), which letopis does not look for. NEREL nests
entities; a DATE inside another DATE is dropped (the outer one is scored), and a discontinuous DATE is scored by
its envelope, from its first to its last character. Each document goes through letopis whole (title line
included) with no publication date; only spans are compared, `times` of the contract as they are.

- overlap: a gold DATE is found when some letopis time shares a character with it; a letopis time is correct when
  it shares a character with some gold DATE. P and R count those, F1 is their harmonic mean.
- exact: gold and letopis spans are compared as sets of `[start, stop)` pairs.
- `DATE+TIME` repeats both with NEREL TIME entities added to the gold ("в ночь на 19 декабря", "утром 6 апреля",
  "в 14:00"), since letopis times cover some of them.

The most frequent missed gold strings and spurious letopis strings are listed (lower-cased, digits kept), so
engineers can improve `src/letopis/annotate/times.py`; misses are also split by a coarse shape (a digit, a
month or weekday word, or neither) to tell dates from durations.
"""
from __future__ import annotations

import argparse
import json
import pathlib
import re
import sys
import time
from collections import Counter

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from nerel import BratDoc, counts_table, load_folder, overlap, run_letopis  # noqa: E402

Span = tuple[int, int]
TOP = 40     # strings kept per list in the report
GOLDS = {"DATE": ("DATE",), "DATE+TIME": ("DATE", "TIME")}
_CALENDAR = re.compile(r"\b(?:январ|феврал|март|апрел|ма[йяе]\b|июн|июл|август|сентябр|октябр|ноябр|декабр|"
                       r"понедельник|вторник|сред[аеуы]\b|четверг|пятниц|суббот|воскресень|вчера|сегодня|завтра|"
                       r"накануне)", re.IGNORECASE)


def gold_spans(doc: BratDoc, types: tuple[str, ...]) -> list[Span]:
    """Envelopes of the entities of `types`, without those nested inside another one of them."""
    spans = sorted({(e.start, e.stop) for e in doc.of_type(*types)})
    return [s for s in spans if not any(o != s and o[0] <= s[0] and s[1] <= o[1] for o in spans)]


def shape(text: str) -> str:
    """'calendar' (month, weekday or day word), 'number' (a digit, no calendar word) or 'words'."""
    if _CALENDAR.search(text):
        return "calendar"
    return "number" if any(c.isdigit() for c in text) else "words"


def _prf(tp_p: int, n_p: int, tp_g: int, n_g: int) -> dict:
    p = tp_p / n_p if n_p else 0.0
    r = tp_g / n_g if n_g else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"P": round(p, 4), "R": round(r, 4), "F1": round(f, 4), "gold": n_g, "predicted": n_p,
            "gold_found": tp_g, "predicted_correct": tp_p}


def evaluate(docs: list[BratDoc], contracts: list[dict], types: tuple[str, ...]) -> dict:
    c = Counter()
    missed, spurious, inexact = Counter(), Counter(), Counter()
    shapes = {k: Counter(gold=0, found=0) for k in ("calendar", "number", "words")}
    for doc, contract in zip(docs, contracts):
        gold = gold_spans(doc, types)
        pred = sorted({tuple(t["span"]) for t in contract["times"]})
        c["gold"] += len(gold)
        c["pred"] += len(pred)
        c["exact"] += len(set(gold) & set(pred))
        for g in gold:
            hit = any(overlap(g, p) for p in pred)
            c["gold_hit"] += hit
            kind = shape(doc.text[g[0]:g[1]])
            shapes[kind]["gold"] += 1
            shapes[kind]["found"] += hit
            if not hit:
                missed[_key(doc.text[g[0]:g[1]])] += 1
        for p in pred:
            hits = [g for g in gold if overlap(g, p)]
            c["pred_hit"] += bool(hits)
            if not hits:
                spurious[_key(doc.text[p[0]:p[1]])] += 1
            elif p not in hits:
                inexact[f"{_key(doc.text[p[0]:p[1]])} ≠ {_key(doc.text[hits[0][0]:hits[0][1]])}"] += 1
    return {
        "overlap": _prf(c["pred_hit"], c["pred"], c["gold_hit"], c["gold"]),
        "exact": _prf(c["exact"], c["pred"], c["exact"], c["gold"]),
        "recall_by_shape": {k: {**v, "R": round(v["found"] / v["gold"], 4) if v["gold"] else 0.0}
                            for k, v in shapes.items()},
        "missed": dict(missed.most_common(TOP)),
        "spurious": dict(spurious.most_common(TOP)),
        "inexact": dict(inexact.most_common(TOP)),
    }


def _key(text: str) -> str:
    return " ".join(text.lower().replace("ё", "е").split())


def run(folder: pathlib.Path, limit: int | None = None) -> dict:
    docs = load_folder(folder, limit)
    t0 = time.perf_counter()
    contracts = run_letopis(docs)
    seconds = time.perf_counter() - t0
    return {"dataset": str(folder), "docs": len(docs), "seconds": round(seconds, 1),
            **{name: evaluate(docs, contracts, types) for name, types in GOLDS.items()}}


def table(report: dict, top: int = 15) -> str:
    lines = [f"NEREL {report['docs']} docs, letopis {report['seconds']} s", "",
             f"{'gold':<11}{'match':<9}{'gold':>6}{'pred':>6}{'P':>8}{'R':>8}{'F1':>8}"]
    for name in GOLDS:
        for match in ("overlap", "exact"):
            m = report[name][match]
            lines.append(f"{name:<11}{match:<9}{m['gold']:>6}{m['predicted']:>6}{m['P']:>8.3f}{m['R']:>8.3f}"
                         f"{m['F1']:>8.3f}")
    date = report["DATE"]
    lines += ["", "DATE overlap recall by shape: " + ", ".join(
        f"{k} {v['found']}/{v['gold']} = {v['R']:.3f}" for k, v in date["recall_by_shape"].items())]
    for title, key in (("missed DATE", "missed"), ("spurious letopis times (vs DATE)", "spurious"),
                       ("overlapping, not exact (letopis ≠ DATE)", "inexact")):
        lines += ["", f"top {title}:", counts_table(list(date[key].items())[:top], width=44)]
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default="/work/shared/data/NEREL/dev", help="folder of NEREL .txt/.ann pairs")
    ap.add_argument("--out", help="write the report as JSON here")
    ap.add_argument("--limit", type=int, help="only the first N documents (by file name)")
    a = ap.parse_args(argv)
    folder = pathlib.Path(a.data)
    if not any(folder.glob("*.ann")):
        sys.exit(f"no .ann files in {folder}: pass --data FOLDER (NEREL's dev/ with .txt/.ann pairs)")
    report = run(folder, a.limit)
    print(table(report))
    if a.out:
        pathlib.Path(a.out).parent.mkdir(parents=True, exist_ok=True)
        pathlib.Path(a.out).write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
