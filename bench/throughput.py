"""Throughput of letopis extraction as a ratio to bare natasha NER on the same texts, in the same process.

    .venv/bin/python bench/throughput.py [--texts DIR ...] [--repeat N] [--out bench/results/throughput.json]

Bare natasha NER is the floor the pipeline cannot beat; the ratio is letopis chars/s ÷ natasha chars/s.
Texts: the project's examples, plus ../shared/seeds and the factRuEval-2016 devset when present.
"""
from __future__ import annotations

import argparse
import json
import pathlib
import resource
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from letopis.annotate.nlp import bare_ner, models  # noqa: E402
from letopis.extract.contract import extract_all  # noqa: E402
from letopis.ingest import Document, read_inputs  # noqa: E402


def load_docs(dirs: list[str]) -> list[Document]:
    docs = [d for d in read_inputs(dirs) if isinstance(d, Document)]
    return docs


def default_dirs() -> list[str]:
    dirs = [str(ROOT / "examples")]
    shared = ROOT.parent / "shared"
    for sub in ("seeds", "data/factRuEval-2016/devset"):
        if (shared / sub).exists():
            dirs.append(str(shared / sub / ("*.txt" if "factRu" in sub else "")))
    return dirs


def timed(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--texts", nargs="*", default=None)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", default=str(ROOT / "bench/results/throughput.json"))
    a = ap.parse_args(argv)
    docs = load_docs(a.texts or default_dirs())
    bodies = [d.body for d in docs]
    chars = sum(map(len, bodies))
    t0 = time.perf_counter()
    models()
    load = time.perf_counter() - t0
    bare_ner(bodies[:4])
    list(extract_all(docs[:4]))            # warm caches and lazy imports
    t_ner = timed(lambda: bare_ner(bodies), a.repeat)
    t_full = timed(lambda: list(extract_all(docs)), a.repeat)
    result = {
        "command": "python bench/throughput.py " + " ".join(argv or sys.argv[1:]),
        "articles": len(docs), "chars": chars, "model_load_s": round(load, 2),
        "natasha_ner": {"s": round(t_ner, 3), "chars_per_s": round(chars / t_ner), "articles_per_s": round(len(docs) / t_ner, 1)},
        "letopis_extract": {"s": round(t_full, 3), "chars_per_s": round(chars / t_full), "articles_per_s": round(len(docs) / t_full, 1)},
        "ratio_extract_vs_ner": round(t_ner / t_full, 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    pathlib.Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    pathlib.Path(a.out).write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    print(json.dumps(result, indent=1, ensure_ascii=False))
    return result


if __name__ == "__main__":
    main()
