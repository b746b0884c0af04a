"""`make bench` and `make bench-scale`: the benchmarks in turn, each writing its JSON under bench/results/, then a summary.

    .venv/bin/python bench/run.py [--scale] [--only NAME ...]

`make bench` (this machine: about 11 minutes) measures throughput — of each stage, of annotation, of extraction and of
the whole `letopis ingest` pipeline, in characters and articles per second and as ratios to bare natasha NER on the
same texts in the same process — and peak memory; ingest time per article at 1k and 10k articles; search latency
over 10k synthetic articles; API and page latency over the 10k-article store the corpus benchmark built.
`make bench-scale` (about two hours) runs the same at archive size: ingest per article at 1k, 10k, 50k and 100k
articles, the time to add 100 articles to the 100k corpus, search latency at 100k and API latency over the
100k-article store. Results go to bench/results/NAME.json (the scale run's to NAME_scale.json).
Speeds are ratios measured in one process run; tests never time anything.
"""
from __future__ import annotations

import argparse
import json
import pathlib
import shutil
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
WORK = ROOT / "bench" / ".work"          # stores the corpus benchmark keeps for the API benchmark (git-ignored)

TEXTS = ["--texts", "examples", "../shared/seeds"] if (ROOT.parent / "shared" / "seeds").exists() else []
# name: script and arguments; {work} is a fresh folder per run
QUICK = {
    "throughput": ("throughput.py", ["--repeat", "3"]),
    "profile_stages": ("profile_stages.py", ["--repeat", "3", *TEXTS]),
    "corpus_scale": ("corpus_scale.py", ["--sizes", "1000,10000", "--probe", "160", "--keep", "{work}/corpus"]),
    "api_latency": ("api_latency.py", ["--db", "{work}/corpus/scale.db", "--repeat", "3"]),
    "search_latency": ("search_latency.py", ["--n", "10000"]),
}
SCALE = {
    "corpus_scale": ("corpus_scale.py", ["--sizes", "1000,10000,50000,100000", "--probe", "672",
                                         "--keep", "{work}/corpus"]),
    "api_latency": ("api_latency.py", ["--db", "{work}/corpus/scale.db", "--repeat", "5"]),
    "search_latency": ("search_latency.py", ["--n", "100000"]),
}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scale", action="store_true", help="the archive-size runs (about two hours)")
    ap.add_argument("--only", nargs="*", default=None, help="run only these benchmarks")
    a = ap.parse_args(argv)
    runs, suffix = (SCALE, "_scale") if a.scale else (QUICK, "")
    work = WORK / ("scale" if a.scale else "quick")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    failed, t_all = [], time.perf_counter()
    try:
        for name, (script, args) in runs.items():
            if a.only and name not in a.only:
                continue
            cmd = [sys.executable, str(ROOT / "bench" / script), *(x.format(work=work) for x in args),
                   "--out", str(RESULTS / f"{name}{suffix}.json")]
            print(f"== {name}: {' '.join(cmd[1:])}", flush=True)
            t0 = time.perf_counter()
            if subprocess.run(cmd, cwd=ROOT).returncode != 0:
                failed.append(name)
            print(f"== {name} took {time.perf_counter() - t0:.0f} s", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\n{summary(suffix)}\n(all: {time.perf_counter() - t_all:.0f} s)")
    if failed:
        print("failed: " + ", ".join(failed), file=sys.stderr)
    return 1 if failed else 0


def summary(suffix: str = "") -> str:
    lines = ["benchmark summary (bench/results/*.json)"]
    t = _load("throughput")
    if t:
        lines.append(f"  throughput vs bare natasha NER ({t['articles']} articles, {t['chars']} chars): annotation "
                     f"{t['ratio_annotate_vs_ner']}×, extraction {t['ratio_extract_vs_ner']}×, whole ingest "
                     f"{t.get('ratio_ingest_vs_ner')}× on one process, {t.get('ratio_ingest_workers_vs_ner')}× on "
                     f"{t.get('workers')} workers; peak RSS {t['peak_rss_mb']} MB")
        for key in ("natasha_ner", "letopis_annotate", "letopis_extract", "letopis_ingest", "letopis_ingest_workers"):
            if t.get(key):
                lines.append(f"    {key}: {t[key]['chars_per_s']} chars/s, {t[key]['articles_per_s']} articles/s")
    p = _load("profile_stages")
    if p:
        stages = ", ".join(f"{k} {v['x_ner']}" for k, v in p["stages"].items())
        lines.append(f"  stage time as a multiple of bare NER time: {stages}")
    c = _load(f"corpus_scale{suffix}")
    if c:
        for r in c["rows"]:
            add = f"; add 100: {r['add_100_with_extraction_s']} s" if "add_100_with_extraction_s" in r else ""
            lines.append(f"  ingest at {r['articles']} articles: {r['per_article_ms_median']} ms median, "
                         f"{r['per_article_ms_p95']} ms p95 beyond extraction, {r.get('with_extraction_ms_median')} ms "
                         f"with it; peak RSS {r['peak_rss_mb']} MB{add}")
        lines.append(f"  growth first → last size: ×{c.get('growth_median')} median, ×{c.get('growth_p95')} p95, "
                     f"×{c.get('growth_with_extraction_median')} with the extraction")
    s = _load(f"search_latency{suffix}")
    if s:
        lat = s["latency"]
        lines.append(f"  search over {s['corpus']['documents']} articles: p50 {lat['p50_ms']} ms, p95 {lat['p95_ms']}"
                     f" ms, p99 {lat['p99_ms']} ms")
    api = _load(f"api_latency{suffix}")
    if api:
        o = api["latency"]["overall"]
        groups = ", ".join(f"{g} p95 {v['p95_ms']}" for g, v in api["latency"]["groups"].items())
        lines.append(f"  API over {api['counts']['documents']} articles: p50 {o['p50_ms']} ms, p95 {o['p95_ms']} ms, "
                     f"p99 {o['p99_ms']} ms ({groups})")
    return "\n".join(lines)


def _load(name: str) -> dict | None:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


if __name__ == "__main__":
    sys.exit(main())
