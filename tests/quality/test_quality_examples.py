"""The quality gate: letopis over the example corpus, scored against the hand-written gold in examples/.gold.

FLOORS are the values measured when the gate was set, rounded down to two places: any drop fails. When a change
improves a metric, raise its floor to the new measured value (rounded down) in the same commit.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from letopis.evaluate import evaluate_paths, load_corpus_gold, load_gold
from letopis.evaluate.match import load_jsonl, occurrences, source_key
from letopis.ingest import Rejection, read_inputs

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
GOLD_DIR = EXAMPLES / ".gold"      # a dot-folder, which `letopis ingest examples` skips: the gold is no article
GOLD = GOLD_DIR / "extract.jsonl"
CORPUS_GOLD = GOLD_DIR / "corpus.jsonl"

# measured 2026-11-22 on the working tree (at commit a0e9a74), rounded down (the measured value in the comment);
# raised 2026-12-01 where events, statement dates and places improved. times.P and times.F1 were re-pinned lower
# on 2026-12-01 on purpose: weekdays ("во вторник") and days named from the last one ("на следующий день")
# are now found, and in the undated articles (13, 15, 16) they keep their span with null values, as the
# annotation issue asks; the gold lists no time for an undated article, so each counts as spurious there.
# Raised 2026-12-01 (branch events) where events, event dates and places improved: appeals with an addressee,
# lifted curfews, restored internet, searches, aid convoys and arriving troops as triggers; an event spans its
# trigger's clauses; a narration told by the hour goes on with its day and place; a town stands for its region.
FLOORS = {
    "figures.P": 0.91,            # 0.9153
    "figures.R": 0.78,            # 0.7826
    "figures.F1": 0.84,           # 0.8437
    "statements.P": 0.83,         # 0.8381
    "statements.R": 0.67,         # 0.6718
    "statements.F1": 0.74,        # 0.7458
    "events.P": 0.92,             # 0.9259 (was 0.7321)
    "events.R": 0.93,             # 0.9375 (was 0.5125)
    "events.F1": 0.93,            # 0.9317 (was 0.6029)
    "times.P": 0.70,              # 0.7079 (re-pinned from 0.73, see below)
    "times.R": 0.98,              # 0.9844
    "times.F1": 0.82,             # 0.8235 (re-pinned from 0.84)
    "figure_source.acc": 0.80,    # 0.8000
    "statement_date.acc": 0.50,   # 0.5000
    "event_date.acc": 1.00,       # 1.0000 (45/45; was 0.9643)
    "event_location.acc": 0.96,   # 0.9600 (48/50; was 0.7812)
    "entities.acc": 0.84,         # 0.8494
    "published.acc": 1.00,        # 1.0000
}
KINDS = ("figures", "statements", "events", "times")


@pytest.fixture(scope="session")
def examples_report():
    """letopis extract over examples/, scored (the models load once)."""
    return evaluate_paths(GOLD, [str(EXAMPLES)])


@pytest.fixture(scope="session")
def documents():
    """The example articles as letopis reads them, by source name ('17_feed.jsonl#2')."""
    return {source_key(d.source): d for d in read_inputs([str(EXAMPLES)]) if not isinstance(d, Rejection)}


@pytest.mark.parametrize("metric, floor", sorted(FLOORS.items()))
def test_quality_examples_metric_above_floor(examples_report, metric, floor):
    value = examples_report.metrics()[metric]
    assert value is not None and value >= floor, (
        f"{metric} = {value} fell below its floor {floor}\n\n{examples_report.table(findings=True)}")


def test_quality_examples_every_metric_has_a_floor(examples_report):
    assert set(examples_report.metrics()) == set(FLOORS)
    assert not examples_report.missing_docs, f"no prediction for {examples_report.missing_docs}"


def test_quality_examples_gold_covers_every_article(documents):
    gold_files = [g.file for g in load_gold(GOLD)]
    assert sorted(gold_files) == sorted(documents) and len(gold_files) == len(set(gold_files)) == 21


def _extract_evidence():
    for g in load_jsonl(GOLD):
        for kind in KINDS:
            for item in g.get(kind) or []:
                yield g["file"], kind, item["evidence"]


def _corpus_evidence():
    for row in load_jsonl(CORPUS_GOLD):
        if row["kind"] == "event":
            for m in row["mentions"]:
                yield m["file"], f"event {row['id']}", m["evidence"]
        else:
            yield row["file"], "ledger", row["evidence"]


def test_quality_examples_evidence_occurs_once_in_the_body(documents):
    """Every evidence string is in the text as letopis decodes it, and once in the body the annotators read."""
    bad = []
    for file, kind, evidence in [*_extract_evidence(), *_corpus_evidence()]:
        doc = documents[file]
        if not occurrences(doc.text, evidence):
            bad.append(f"{file} {kind}: «{evidence}» not in the text")
        elif doc.body.count(evidence) != 1:
            bad.append(f"{file} {kind}: «{evidence}» occurs {doc.body.count(evidence)} times in the body")
    assert not bad, "\n".join(bad)


def test_quality_examples_entity_aliases_occur(documents):
    bad = [f"{g['file']}: {e['name']} alias «{a}»" for g in load_jsonl(GOLD) for e in g.get("entities") or []
           for a in e["aliases"] if not occurrences(documents[g["file"]].text, a)]
    assert not bad, "\n".join(bad)


def test_quality_examples_ledger_is_the_extract_figures():
    """corpus.jsonl holds one claim per figure of extract.jsonl, with the same place, bounds and optional flag."""
    def key(file, f):
        return (file, f["evidence"], f["category"], f["low"], f["high"], bool(f.get("optional")))

    figures = sorted(key(g["file"], f) for g in load_jsonl(GOLD) for f in g.get("figures") or [])
    claims = sorted(key(r["file"], r) for r in load_jsonl(CORPUS_GOLD) if r["kind"] == "figure")
    assert claims == figures


def test_quality_examples_corpus_gold_is_consistent(documents):
    gold = load_corpus_gold(CORPUS_GOLD)          # raises on unknown event ids or duplicates
    assert {m.file for e in gold.events for m in e.mentions} <= set(documents)
    assert sum(len({m.file for m in e.mentions}) > 1 for e in gold.events) >= 10
    dates = [c.claimed_on for c in gold.claims if c.claimed_on] + [e.date for e in gold.events if e.date]
    assert all(len(d) in (10, 21) for d in dates)
