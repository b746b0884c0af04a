"""Throughput of letopis annotation and extraction as ratios to bare natasha NER on the same texts, in the same process.

    .venv/bin/python bench/throughput.py [--texts DIR ...] [--repeat N] [--cold] [--cpu] [--out FILE.json]

Bare natasha NER is the floor the pipeline cannot beat; a ratio is natasha's time ÷ letopis's time on the same texts
(1.0: as fast as bare NER). Each repetition runs bare NER, then the annotation alone (`annotate_documents` in the
batches `extract_all` uses, with the parse predicate extraction needs), then the full extraction, then the whole
pipeline of `letopis ingest --workers 1` into a new SQLite store (`api.ingest`: reading the files, extraction, the
store, the corpus stage, the search index; one process, the models already loaded), then the same pipeline with
`--workers` processes (default: every core, as `letopis ingest`; each worker starts and loads the models within the
timed run, as it does for a user); the reported ratio is the median over repetitions of the per-repetition ratios,
so a busy machine disturbs all five alike.
`--cold` empties letopis's per-process caches (lemmas, word encodings) before each repetition, as for a first batch;
`--cpu` measures process CPU time instead of wall time (the parallel ingest is then left out: its work is done in
other processes).
Texts: the project's examples, plus ../shared/seeds and the factRuEval-2016 devset when present.
"""
from __future__ import annotations

import argparse
import json
import os
import pathlib
import resource
import statistics
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from letopis.api import ingest, ingest_items  # noqa: E402
from letopis.annotate.nlp import bare_ner, clear_caches, models  # noqa: E402
from letopis.annotate.pipeline import annotate_documents  # noqa: E402
from letopis.extract.contract import BATCH, extract_all, needs_parse  # noqa: E402
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


def annotate_all(docs: list[Document]) -> None:
    for i in range(0, len(docs), BATCH):
        annotate_documents(docs[i:i + BATCH], needs_parse)


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--texts", nargs="*", default=None)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--cold", action="store_true", help="empty letopis's caches before each repetition")
    ap.add_argument("--cpu", action="store_true", help="measure process CPU time instead of wall time")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="processes of the parallel ingest")
    ap.add_argument("--out", default=str(ROOT / "bench/results/throughput.json"))
    a = ap.parse_args(argv)
    timer = time.process_time if a.cpu else time.perf_counter
    docs = load_docs(a.texts or default_dirs())
    bodies = [d.body for d in docs]
    chars = sum(map(len, bodies))
    t0 = time.perf_counter()
    models()
    load = time.perf_counter() - t0
    bare_ner(bodies[:4])
    list(extract_all(docs[:4]))            # lazy imports, lexicons

    def run(fn) -> float:
        if a.cold:
            clear_caches()
        t = timer()
        fn()
        return timer() - t

    dirs = a.texts or default_dirs()

    def pipeline(workers: int = 1) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            report = ingest(dirs, str(pathlib.Path(tmp) / "bench.db"), workers=workers)
            if report.read != len(docs) or report.rejected:
                raise SystemExit(f"ingest read {report.read} articles of {len(docs)}, rejected {len(report.rejected)}")

    with tempfile.TemporaryDirectory() as tmp:       # lazy loads of the corpus stage (gazetteer, geocoder, search)
        ingest_items(docs[:4], str(pathlib.Path(tmp) / "warm.db"), workers=1)
    runs = [(run(lambda: bare_ner(bodies)), run(lambda: annotate_all(docs)), run(lambda: list(extract_all(docs))),
             run(pipeline), None if a.cpu else run(lambda: pipeline(a.workers))) for _ in range(a.repeat)]
    t_ner, t_ann, t_full, t_pipe = (statistics.median(r[i] for r in runs) for i in range(4))
    t_workers = None if a.cpu else statistics.median(r[4] for r in runs)

    def rate(t: float) -> dict:
        return {"s": round(t, 3), "chars_per_s": round(chars / t), "articles_per_s": round(len(docs) / t, 1)}

    result = {
        "command": "python bench/throughput.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "articles": len(docs), "chars": chars, "model_load_s": round(load, 2), "repeat": a.repeat,
        "clock": "cpu" if a.cpu else "wall", "caches": "cold" if a.cold else "warm",
        "natasha_ner": rate(t_ner), "letopis_annotate": rate(t_ann), "letopis_extract": rate(t_full),
        "letopis_ingest": rate(t_pipe), "workers": a.workers,
        "letopis_ingest_workers": rate(t_workers) if t_workers else None,
        "ratio_annotate_vs_ner": round(statistics.median(r[0] / r[1] for r in runs), 3),
        "ratio_extract_vs_ner": round(statistics.median(r[0] / r[2] for r in runs), 3),
        "ratio_ingest_vs_ner": round(statistics.median(r[0] / r[3] for r in runs), 3),
        "ratio_ingest_workers_vs_ner": round(statistics.median(r[0] / r[4] for r in runs), 3) if t_workers else None,
        "ratios_per_repeat": [[round(r[0] / r[i], 3) if r[i] else None for i in (1, 2, 3, 4)] for r in runs],
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    pathlib.Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    pathlib.Path(a.out).write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    print(json.dumps(result, indent=1, ensure_ascii=False))
    return result


if __name__ == "__main__":
    main()
