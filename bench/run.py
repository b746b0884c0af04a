"""`make bench`: every benchmark in turn, each writing its JSON under bench/results/, then one summary.

    .venv/bin/python bench/run.py [--quick]

Speeds are ratios to bare natasha NER measured in the same process run (never absolute timings in tests). The
scale runs are sized to finish in about 15 minutes on a 2-core machine (`--quick`: a few minutes); larger sizes are
options of each script (`bench/corpus_scale.py --sizes 1000,10000,50000`, `bench/search_latency.py --n 50000`).
"""
from __future__ import annotations

import argparse
import json
import pathlib
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"

RUNS = {
    # name: (script, full arguments, quick arguments)
    "throughput": ("throughput.py", ["--repeat", "3"], ["--repeat", "1"]),
    "corpus_scale": ("corpus_scale.py", ["--sizes", "1000,5000", "--probe", "50"], ["--sizes", "200,600", "--probe", "20"]),
    "search_latency": ("search_latency.py", ["--n", "20000"], ["--n", "2000"]),
}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--only", nargs="*", default=None, help="run only these benchmarks")
    a = ap.parse_args(argv)
    failed = []
    for name, (script, full, quick) in RUNS.items():
        if a.only and name not in a.only:
            continue
        args = [sys.executable, str(ROOT / "bench" / script), *(quick if a.quick else full),
                "--out", str(RESULTS / f"{name}.json")]
        print(f"== {name}: {' '.join(args[1:])}", flush=True)
        t0 = time.perf_counter()
        if subprocess.run(args, cwd=ROOT).returncode != 0:
            failed.append(name)
        print(f"== {name} took {time.perf_counter() - t0:.0f} s", flush=True)
    print("\n" + summary())
    return 1 if failed else 0


def summary() -> str:
    lines = ["benchmark summary (bench/results/*.json)"]
    t = _load("throughput")
    if t:
        lines.append(f"  throughput: annotation {t.get('ratio_annotate_vs_ner')}×, full extraction "
                     f"{t.get('ratio_extract_vs_ner')}× bare natasha NER; peak RSS {t.get('peak_rss_mb')} MB")
    c = _load("corpus_scale")
    if c:
        rows = ", ".join(f"{r['articles']}: {r['per_article_ms_median']} / {r['per_article_ms_p95']} ms"
                         f" ({r['peak_rss_mb']} MB)" for r in c["rows"])
        lines.append(f"  ingest per article (median / p95, peak RSS) at {rows}; growth ×{c.get('growth_median')}"
                     f" / ×{c.get('growth_p95')}")
    s = _load("search_latency")
    if s:
        lines.append(f"  search: {json.dumps({k: v for k, v in s.items() if 'p95' in k or k in ('n', 'articles')})}")
    return "\n".join(lines)


def _load(name: str) -> dict | None:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


if __name__ == "__main__":
    sys.exit(main())
