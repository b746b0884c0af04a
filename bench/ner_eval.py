#!/usr/bin/env python3
"""PER/ORG/LOC exact-span precision, recall and F1 of bare natasha NER and of letopis's entity mentions.

    PYTHONPATH=src python bench/ner_eval.py [--data /work/shared/data] [--out bench/results/ner_eval.json] [--limit N]

Datasets (never copied into the project; read where they lie):

- factRuEval-2016 devset (`.txt`, `.spans`, `.objects`), adapted as naeval does: a Person object gives one span from
  its first to its last span; an Org object gives each of its `org_name` spans; Location and LocOrg objects give
  each of their `loc_name` spans (LocOrg counts as LOC); overlapping spans keep the outermost (the first by start,
  the longest), so "мэрии Москвы" is not scored for its nested "Москвы".
- NEREL dev (brat `.ann`): PERSON → PER, ORGANIZATION → ORG, COUNTRY, CITY, STATE_OR_PROVINCE, LOCATION and
  DISTRICT → LOC; all other types are ignored. NEREL nests entities; only top-level spans are kept: a mapped span
  inside another mapped span is dropped (the outer one is scored), and discontinuous spans ("A B;C D") are dropped.

Both datasets drop gold spans that do not start and stop on razdel token boundaries. Predictions go through the
same outermost-span filter and alignment check: bare natasha is `letopis.annotate.nlp.bare_ner`; letopis is every
mention of every entity `resolve_entities` returns (after its type fixes, acronym splits and particle joins;
its nested places inside organisation names are removed by the outermost filter, as in the gold).
"""
from __future__ import annotations

import argparse
import json
import pathlib
import sys
import time
from collections import Counter

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

TYPES = ("PER", "ORG", "LOC")
FACTRU_TYPES = {"Person": "PER", "Org": "ORG", "Location": "LOC", "LocOrg": "LOC"}
NEREL_TYPES = {"PERSON": "PER", "ORGANIZATION": "ORG", "COUNTRY": "LOC", "CITY": "LOC", "STATE_OR_PROVINCE": "LOC",
               "LOCATION": "LOC", "DISTRICT": "LOC"}

Span = tuple[int, int, str]


def read(path: pathlib.Path) -> str:
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


def outermost(spans: list[Span]) -> list[Span]:
    """naeval's filter_overlapping: sorted by (start, -stop), a span overlapping the one kept before it is dropped."""
    out, prev = [], None
    for s in sorted(set(spans), key=lambda s: (s[0], -s[1])):
        if prev and prev[1] > s[0]:
            continue
        out.append(s)
        prev = s
    return out


def aligned(spans: list[Span], text: str) -> list[Span]:
    from razdel import tokenize

    toks = list(tokenize(text))
    starts, stops = {t.start for t in toks}, {t.stop for t in toks}
    return [s for s in spans if s[0] in starts and s[1] in stops]


def load_factru(folder: pathlib.Path) -> list[tuple[str, str, list[Span]]]:
    docs = []
    for txt in sorted(folder.glob("*.txt")):
        text = read(txt)
        spans = {}
        for line in read(txt.with_suffix(".spans")).splitlines():
            p = line.split("#")[0].split()
            if len(p) >= 4:
                spans[p[0]] = (p[1], int(p[2]), int(p[2]) + int(p[3]))
        gold = []
        for line in read(txt.with_suffix(".objects")).splitlines():
            p = line.split("#")[0].split()
            if len(p) < 3 or p[1] not in FACTRU_TYPES:
                continue
            parts = [spans[i] for i in p[2:] if i in spans]
            if p[1] == "Person":
                gold.append((min(s for _, s, _ in parts), max(e for _, _, e in parts), "PER"))
                continue
            want = "org_name" if p[1] == "Org" else "loc_name"
            for s, e, _ in outermost([(s, e, kind) for kind, s, e in parts if kind == want]):
                gold.append((s, e, FACTRU_TYPES[p[1]]))
        docs.append((txt.stem, text, aligned(outermost(gold), text)))
    return docs


def load_nerel(folder: pathlib.Path) -> list[tuple[str, str, list[Span]]]:
    docs = []
    for ann in sorted(folder.glob("*.ann")):
        text = read(ann.with_suffix(".txt"))
        gold = []
        for line in read(ann).splitlines():
            if not line.startswith("T"):
                continue
            _, info, *_ = line.split("\t")
            kind, _, offsets = info.partition(" ")
            if kind not in NEREL_TYPES or ";" in offsets:
                continue
            s, e = map(int, offsets.split())
            gold.append((s, e, NEREL_TYPES[kind]))
        top = [g for g in gold if not any(o != g and o[0] <= g[0] and g[1] <= o[1] for o in gold)]
        docs.append((ann.stem, text, aligned(outermost(top), text)))
    return docs


def bare_natasha(texts: list[str]) -> list[list[Span]]:
    from letopis.annotate.nlp import bare_ner

    return [list(spans) for spans in bare_ner(texts)]


def letopis_mentions(texts: list[str]) -> list[list[Span]]:
    from letopis.annotate.entities import resolve_entities
    from letopis.annotate.nlp import Annotator

    out = []
    for analysis in Annotator().analyze_many(texts):
        out.append([(m.span[0], m.span[1], e.type) for e in resolve_entities(analysis) for m in e.mentions])
    return out


def evaluate(docs, predictions) -> dict:
    counts = {t: Counter() for t in TYPES + ("ALL",)}
    for (_, text, gold), pred in zip(docs, predictions):
        pred = set(aligned(outermost(pred), text))
        gold = set(gold)
        for t in TYPES:
            g = {s for s in gold if s[2] == t}
            p = {s for s in pred if s[2] == t}
            for c in (counts[t], counts["ALL"]):
                c["tp"] += len(g & p)
                c["fp"] += len(p - g)
                c["fn"] += len(g - p)
    result = {}
    for t, c in counts.items():
        p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
        r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        result[t] = {"P": round(p, 4), "R": round(r, 4), "F1": round(f, 4), **c}
    return result


SYSTEMS = {"natasha": bare_natasha, "letopis": letopis_mentions}


def run(data: pathlib.Path, limit: int | None = None) -> dict:
    datasets = {"factRuEval-2016/devset": load_factru(data / "factRuEval-2016" / "devset"),
                "NEREL/dev": load_nerel(data / "NEREL" / "dev")}
    report = {}
    for name, docs in datasets.items():
        docs = docs[:limit] if limit else docs
        texts = [t for _, t, _ in docs]
        report[name] = {"docs": len(docs), "gold": sum(len(g) for _, _, g in docs)}
        for system, predict in SYSTEMS.items():
            t0 = time.perf_counter()
            scores = evaluate(docs, predict(texts))
            scores["seconds"] = round(time.perf_counter() - t0, 1)
            report[name][system] = scores
    return report


def table(report: dict) -> str:
    lines = [f"{'dataset':<24}{'type':<5}" + "".join(f"{s + ' P':>11}{'R':>7}{'F1':>7}" for s in SYSTEMS)]
    for name, r in report.items():
        for t in TYPES + ("ALL",):
            row = f"{name:<24}{t:<5}"
            for s in SYSTEMS:
                m = r[s][t]
                row += f"{m['P']:>11.3f}{m['R']:>7.3f}{m['F1']:>7.3f}"
            lines.append(row)
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default="/work/shared/data", help="folder holding factRuEval-2016/ and NEREL/")
    ap.add_argument("--out", help="write the report as JSON here")
    ap.add_argument("--limit", type=int, help="only the first N documents of each dataset")
    a = ap.parse_args(argv)
    data = pathlib.Path(a.data)
    if not (data / "factRuEval-2016").is_dir() or not (data / "NEREL").is_dir():
        sys.exit(f"no factRuEval-2016/ and NEREL/ under {data}: pass --data FOLDER")
    report = run(data, a.limit)
    print(table(report))
    if a.out:
        pathlib.Path(a.out).parent.mkdir(parents=True, exist_ok=True)
        pathlib.Path(a.out).write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
