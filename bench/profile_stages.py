"""Where letopis extraction spends its time: per-stage time as a share of the total and as a ratio to bare
natasha NER on the same texts, measured in the same process.

    .venv/bin/python bench/profile_stages.py [--texts DIR ...] [--repeat N] [--cold] [--cpu] [--out FILE.json]

Stages: segment, morph, lemmas, select (the parse predicate), syntax, ner, normalise, adapt (inside
`nlp.Annotator`, timed by its `StageClock`), then times, quantities, figures, entities (annotate/pipeline.py) and
statements, events (extract/contract.py), timed by wrapping those functions where the pipeline calls them; `other`
is the rest (contract JSON, offset maps). Each repetition runs bare NER, then the full extraction; the table shows
the median over repetitions. `--cold` empties the per-process caches (lemmas, pymorphy parses, word encodings)
before every repetition, as for a first batch; without it the caches are warm, as deep into a long run. `--cpu`
measures process CPU time, which other processes on a shared machine disturb less than wall time (letopis runs
numpy's BLAS on one thread, so its CPU time is close to the wall time of an idle machine).
"""
from __future__ import annotations

import argparse
import contextlib
import json
import pathlib
import statistics
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from letopis.annotate import nlp, pipeline  # noqa: E402
from letopis.extract import contract  # noqa: E402
from throughput import default_dirs, load_docs  # noqa: E402

NLP_STAGES = ("segment", "morph", "lemmas", "select", "syntax", "ner", "normalise", "adapt")
WRAPPED = {  # stage -> (module, function names the pipeline calls there)
    "times": (pipeline, ("find_times",)),
    "quantities": (pipeline, ("find_quantities",)),
    "figures": (pipeline, ("find_figures",)),
    "entities": (pipeline, ("resolve_entities",)),
    "statements": (contract, ("find_statements",)),
    "events": (contract, ("find_events", "chronicle")),
}
STAGES = NLP_STAGES + tuple(WRAPPED) + ("other",)


@contextlib.contextmanager
def timed_stages(clock: nlp.StageClock):
    """Route the annotator's stage times and the wrapped functions' times into `clock`, then restore everything."""
    annotator = pipeline.annotator(contract.needs_parse)
    saved = [(annotator, "clock", annotator.clock)]
    annotator.clock = clock
    for stage, (module, names) in WRAPPED.items():
        for name in names:
            fn = getattr(module, name)
            saved.append((module, name, fn))

            def wrapper(*args, _fn=fn, _stage=stage, **kwargs):
                with clock(_stage):
                    return _fn(*args, **kwargs)

            setattr(module, name, wrapper)
    try:
        yield clock
    finally:
        for obj, name, value in reversed(saved):
            setattr(obj, name, value)


def one_run(docs, bodies, cold: bool, timer) -> dict:
    if cold:
        nlp.clear_caches()
    t = timer()
    nlp.bare_ner(bodies)
    t_ner = timer() - t
    if cold:
        nlp.clear_caches()
    clock = nlp.StageClock(timer)
    with timed_stages(clock):
        t = timer()
        list(contract.extract_all(docs))
        total = timer() - t
    seconds = dict(clock.seconds)
    seconds["other"] = total - sum(seconds.values())
    return {"bare_ner_s": t_ner, "total_s": total, "stages_s": seconds}


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--texts", nargs="*", default=None)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--cold", action="store_true", help="empty the per-process caches before every repetition")
    ap.add_argument("--cpu", action="store_true", help="measure process CPU time instead of wall time")
    ap.add_argument("--out", default=str(ROOT / "bench/results/profile_stages.json"))
    a = ap.parse_args(argv)
    docs = load_docs(a.texts or default_dirs())
    bodies = [d.body for d in docs]
    nlp.models()
    nlp.bare_ner(bodies[:4])
    list(contract.extract_all(docs[:4]))        # lazy imports, lexicons
    runs = [one_run(docs, bodies, a.cold, time.process_time if a.cpu else time.perf_counter) for _ in range(a.repeat)]
    t_ner = statistics.median(r["bare_ner_s"] for r in runs)
    total = statistics.median(r["total_s"] for r in runs)
    stages = {s: statistics.median(r["stages_s"].get(s, 0.0) for r in runs) for s in STAGES}
    result = {
        "command": "python bench/profile_stages.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "articles": len(docs), "chars": sum(map(len, bodies)), "repeat": a.repeat, "cold": a.cold,
        "clock": "cpu" if a.cpu else "wall",
        "bare_ner_s": round(t_ner, 3), "extract_s": round(total, 3),
        "ratio_extract_vs_ner": round(statistics.median(r["bare_ner_s"] / r["total_s"] for r in runs), 3),
        "stages": {s: {"s": round(v, 4), "share": round(v / total, 3), "x_ner": round(v / t_ner, 3)}
                   for s, v in stages.items()},
    }
    pathlib.Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    pathlib.Path(a.out).write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    print(f"{len(docs)} articles, {result['chars']} chars; bare NER {t_ner:.3f} s, extraction {total:.3f} s, "
          f"ratio {result['ratio_extract_vs_ner']} ({result['clock']} time, {'cold' if a.cold else 'warm'} caches, "
          f"median of {a.repeat})")
    print(f"{'stage':12s} {'seconds':>8s} {'share':>6s} {'×NER':>6s}")
    for s, row in result["stages"].items():
        print(f"{s:12s} {row['s']:8.3f} {row['share']:6.1%} {row['x_ner']:6.2f}")
    return result


if __name__ == "__main__":
    main()
