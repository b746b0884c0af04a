"""The scorers themselves: tables of gold + predictions → counts, then agreement with the shared seed scorer."""
from __future__ import annotations

import importlib.util
import json
import math
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from letopis.evaluate import GoldError, load_gold, score, score_corpus
from letopis.evaluate.corpus import CorpusGold, bcubed
from letopis.evaluate.extract import GoldDoc, Report, match
from letopis.evaluate.match import Counts, bounds_ok, date_ok, hits, occurrences, same_name, source_key

SHARED = Path("/work/shared")

TEXT = ("В Оше 13 марта милиция разогнала акцию, задержаны 43 человека. Как сообщили в ГУВД Ошской области, "
        "на площадь пришли около 500 человек. Министр энергетики Азамат Токтосунов 14 марта заявил, что стройка "
        "будет приостановлена. Правозащитники говорят о десятках задержанных.")


def at(phrase: str, text: str = TEXT, shift: tuple[int, int] = (0, 0)) -> list[int]:
    i = text.index(phrase)
    return [i + shift[0], i + len(phrase) + shift[1]]


def doc_row(**kinds) -> dict:
    return {"file": "a.txt", **kinds}


def counts(report: Report, kind: str) -> tuple[int, int, int]:
    c = report.counts[kind]
    return c.tp, c.fp, c.fn


# --- the shared helpers ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("pred, gold, same", [
    ("Азамат Токтосунов", "Азамат Токтосунов", True),
    ("Токтосунова", "Азамат Токтосунов", True),              # another case of the surname: one shared stem
    ("ГУВД Ошской области", "ГУВД", True),
    ("Ёлкин", "Елкин", True),                                # ё folds to е
    ("ДП", "Департамент полиции (ДП)", False),                # two-letter words carry no stem
    ("министр", "Азамат Токтосунов", False),
    (None, "Азамат Токтосунов", False),
    ("Азамат Токтосунов", None, False),
])
def test_match_same_name(pred, gold, same):
    assert same_name(pred, gold) is same


@pytest.mark.parametrize("pred, gold, ok", [
    ({"low": 43, "high": 43}, {"low": 43, "high": 43}, True),
    ({"low": 43, "high": None}, {"low": 43, "high": 43}, False),           # exact unless vague or approximate
    ({"low": 480, "high": 520}, {"low": 500, "high": 500, "approx": True}, True),
    ({"low": 20, "high": 99}, {"low": 500, "high": 500, "approx": True}, False),
    ({"low": 30, "high": None}, {"low": 20, "high": 99, "vague": True}, True),  # open bound reaches the range
    ({"low": None, "high": 10}, {"low": 20, "high": 99, "vague": True}, False),
])
def test_match_bounds(pred, gold, ok):
    assert bounds_ok(pred, gold) is ok


@pytest.mark.parametrize("pred, gold, ok", [
    ("2023-03-13", "2023-03-13", True),
    ({"start": "2023-03-13", "end": "2023-03-13"}, "2023-03-13", True),
    ({"start": "2023-03-13", "end": None}, "2023-03-13", True),             # a missing end is the start
    ({"start": "2023-03-13", "end": "2023-03-14"}, "2023-03-13/2023-03-14", True),
    ({"start": "2023-03-13", "end": "2023-03-13"}, "2023-03-13/2023-03-14", False),
    (None, "2023-03-13", False),
    ("2023-03-13", None, None),                                             # nothing to judge
])
def test_match_date(pred, gold, ok):
    assert date_ok(pred, gold) is ok


def test_match_occurrences_and_hits():
    assert occurrences("аа аа", "аа") == [(0, 2), (3, 5)]
    assert occurrences("текст", "") == []
    assert hits([1, 4], [(3, 5)]) and not hits([0, 3], [(3, 5)])          # [start, stop): touching is no overlap
    assert not hits(None, [(0, 5)]) and not hits([1, 2, 3], [(0, 5)])


@pytest.mark.parametrize("source, key", [
    ("examples/17_feed.jsonl#2", "17_feed.jsonl#2"),
    ("/work/shared/seeds/000_x.txt", "000_x.txt"),
    ("a.txt", "a.txt"),
    ("dir\\b.txt", "b.txt"),
])
def test_match_source_key(source, key):
    assert source_key(source) == key


# --- per-article scoring: one kind at a time -------------------------------------------------------------------

FIG_43 = {"evidence": "задержаны 43 человека", "category": "detained", "low": 43, "high": 43}
FIG_500 = {"evidence": "около 500 человек", "category": "participants", "low": 500, "high": 500, "approx": True,
           "source": "ГУВД Ошской области"}
FIG_VAGUE = {"evidence": "о десятках задержанных", "category": "detained", "low": 20, "high": 99, "vague": True,
             "optional": True}


def fig(phrase, category="detained", low=43, high=43, **extra):
    return {"span": at(phrase), "category": category, "low": low, "high": high, **extra}


# (gold figures, predicted figures, (tp, fp, fn))
FIGURE_CASES = [
    ([FIG_43], [fig("43 человека")], (1, 0, 0)),
    ([FIG_43], [fig("43 человека", category="injured")], (0, 1, 1)),            # key field disagrees
    ([FIG_43], [fig("около 500 человек")], (0, 1, 1)),                          # span elsewhere
    ([FIG_43], [{"span": [0, 130], "category": "detained", "low": 43, "high": 43}], (0, 1, 1)),  # > MAX_SPAN
    ([FIG_43], [fig("43 человека"), fig("задержаны")], (1, 1, 0)),              # one-to-one: the second is extra
    ([FIG_43, FIG_43], [fig("43 человека")], (1, 0, 1)),
    ([FIG_500], [fig("около 500", "participants", 450, 550)], (1, 0, 0)),      # approximate: ranges intersect
    ([FIG_VAGUE], [fig("десятках задержанных", low=20, high=99)], (0, 0, 0)),  # optional hit: neither tp nor fp
    ([FIG_VAGUE], [], (0, 0, 0)),                                               # optional miss: no fn
    ([FIG_VAGUE], [fig("десятках задержанных", low=5, high=5)], (0, 1, 0)),    # hits it but disagrees: fp
    ([], [fig("43 человека")], (0, 1, 0)),
    ([{**FIG_43, "evidence": None, "at": at("43 человека")}], [fig("43")], (1, 0, 0)),  # placed by offsets
]


@pytest.mark.parametrize("golds, preds, expected", FIGURE_CASES)
def test_extract_figures_matching(golds, preds, expected):
    report = score([doc_row(figures=golds)], [{"source": "x/a.txt", "figures": preds}], {"a.txt": TEXT})
    assert counts(report, "figures") == expected


STATEMENT = {"evidence": "стройка будет приостановлена", "speaker": "Азамат Токтосунов", "date": "2023-03-14"}


@pytest.mark.parametrize("speaker, date, expected, date_right", [
    ({"name": "Азамат Токтосунов", "span": at("Азамат Токтосунов")}, "2023-03-14", (1, 0, 0), True),
    ("Токтосунова", None, (1, 0, 0), False),                                 # a string speaker, another case
    ({"name": "ГУВД Ошской области"}, "2023-03-14", (0, 1, 1), None),        # wrong speaker: no match
])
def test_extract_statements_speaker_and_date(speaker, date, expected, date_right):
    pred = {"span": at("заявил, что стройка будет приостановлена"), "speaker": speaker, "date": date}
    report = score([doc_row(statements=[STATEMENT])], [{"source": "a.txt", "statements": [pred]}], {"a.txt": TEXT})
    assert counts(report, "statements") == expected
    acc = report.accuracies["statement_date"]
    assert (acc.value == 1.0 if date_right else acc.value == 0.0 if date_right is False else acc.n == 0)


EVENT = {"evidence": "милиция разогнала акцию", "type": ["ASSAULT", "COERCE"], "date": "2023-03-13",
         "location": "Ош"}


@pytest.mark.parametrize("pred, expected, date_ok_, place_ok", [
    ({"type": "ASSAULT", "date": {"start": "2023-03-13", "end": "2023-03-13"}, "location": {"name": "Ош"}},
     (1, 0, 0), 1.0, 1.0),
    ({"type": "COERCE", "date": None, "location": {"name": "Ошская область"}}, (1, 0, 0), 0.0, 0.0),
    ({"type": "PROTEST", "date": None, "location": None}, (0, 1, 1), None, None),   # type not among the gold's
])
def test_extract_events_type_date_location(pred, expected, date_ok_, place_ok):
    pred = {"span": at("разогнала"), **pred}
    report = score([doc_row(events=[EVENT])], [{"source": "a.txt", "events": [pred]}], {"a.txt": TEXT})
    assert counts(report, "events") == expected
    assert report.accuracies["event_date"].value == date_ok_
    assert report.accuracies["event_location"].value == place_ok


@pytest.mark.parametrize("start, end, expected", [
    ("2023-03-13", "2023-03-13", (1, 0, 0)),
    ("2023-03-13", None, (1, 0, 0)),
    (None, None, (0, 1, 1)),
    ("2023-03-12", "2023-03-13", (0, 1, 1)),
])
def test_extract_times_start_end(start, end, expected):
    gold = {"evidence": "13 марта", "start": "2023-03-13", "end": "2023-03-13"}
    pred = {"span": at("13 марта"), "start": start, "end": end}
    report = score([doc_row(times=[gold])], [{"source": "a.txt", "times": [pred]}], {"a.txt": TEXT})
    assert counts(report, "times") == expected


def test_extract_greedy_takes_the_first_free_prediction_in_gold_order():
    golds = [{"evidence": "13 марта", "start": "2023-03-13", "end": "2023-03-13"},
             {"evidence": "В Оше 13", "start": "2023-03-13", "end": "2023-03-13"}]
    preds = [{"span": at("13 марта"), "start": "2023-03-13", "end": "2023-03-13"}]
    m = match(preds, GoldDoc.from_json(doc_row(times=golds)).times, TEXT, 80)
    assert m.pairs == ((0, 0),) and m.missed == (1,) and m.spurious == () and m.counts == Counts(1, 0, 1)


# --- attributes judged per article -----------------------------------------------------------------------------

ENTITY = {"name": "ГУВД Ошской области", "type": "ORG", "aliases": ["ГУВД Ошской области"]}
MINISTER = {"name": "Азамат Токтосунов", "type": "PER", "aliases": ["Азамат Токтосунов", "Токтосунов"]}


@pytest.mark.parametrize("entities, right", [
    ([{"type": "PER", "name": "Азамат Токтосунов", "mentions": [at("Азамат Токтосунов")]}], True),
    ([{"type": "PER", "name": "Азамат Токтосунова", "mentions": [at("Азамат Токтосунов")]}], False),  # name differs
    ([{"type": "ORG", "name": "Азамат Токтосунов", "mentions": [at("Азамат Токтосунов")]}], False),   # type differs
    ([{"type": "PER", "name": "Азамат Токтосунов", "mentions": [at("Министр")]}], False),            # alias unmet
])
def test_extract_entities_all_aliases_in_one_entity(entities, right):
    report = score([doc_row(entities=[MINISTER])], [{"source": "a.txt", "entities": entities}], {"a.txt": TEXT})
    assert report.accuracies["entities"].value == (1.0 if right else 0.0)


def test_extract_figure_source_published_and_missing_docs():
    gold = [doc_row(published="2023-03-15", figures=[FIG_500], entities=[ENTITY]),
            {"file": "b.txt", "published": "2023-03", "figures": [FIG_43]}]
    pred = {"source": "a.txt", "published": "2023-03-15",
            "figures": [fig("около 500", "participants", 500, 500, source={"name": "ГУВД", "span": [0, 1]})]}
    report = score(gold, [pred], {"a.txt": TEXT, "b.txt": TEXT})
    assert report.missing_docs == ("b.txt",)
    assert counts(report, "figures") == (1, 0, 1)
    assert report.accuracies["figure_source"].ok == 1
    assert (report.accuracies["published"].ok, report.accuracies["published"].n) == (1, 2)
    assert report.accuracies["entities"].value == 0.0
    kinds = {(f.file, f.kind, f.what) for f in report.findings}
    assert {("b.txt", "figures", "missed"), ("b.txt", "published", "wrong"), ("a.txt", "entities", "missed")} <= kinds


def test_extract_report_metrics_json_and_table():
    report = score([doc_row(figures=[FIG_43], times=[])], [{"source": "a.txt", "figures": [fig("43")]}],
                   {"a.txt": TEXT})
    metrics = report.metrics()
    assert metrics["figures.F1"] == 1.0 and metrics["times.R"] == 0.0 and metrics["published.acc"] is None
    data = report.to_json()
    assert data["figures"] == {"P": 1.0, "R": 1.0, "F1": 1.0, "tp": 1, "fp": 0, "fn": 0}
    assert data["entities"] == {"acc": None, "ok": 0, "n": 0} and "findings" not in data
    json.dumps(report.to_json(findings=True), ensure_ascii=False)
    assert report.table().splitlines()[0].startswith("figures         P 1.000  R 1.000  F1 1.000")


@pytest.mark.parametrize("row", [
    {"figures": [{"evidence": "x", "category": "killed"}]},                          # no file
    {"file": "a.txt", "figures": [{"category": "killed", "low": 1, "high": 1}]},     # no evidence
    {"file": "a.txt", "events": [{"evidence": "x", "date": None}]},                  # no type
])
def test_extract_bad_gold_raises(row):
    with pytest.raises(GoldError):
        GoldDoc.from_json(row)


# --- the corpus scorer -----------------------------------------------------------------------------------------

TEXTS = {
    "a.txt": "Полиция разогнала митинг в Оше 13 марта. Задержаны 43 человека. Министр ушел в отставку 16 марта.",
    "b.txt": "Разгон акции в Оше 13 марта осудили правозащитники. По их данным, задержаны не менее 70 человек.",
}
CORPUS = [
    {"kind": "event", "id": "E1", "type": ["ASSAULT"], "date": "2023-03-13", "location": "Ош",
     "mentions": [{"file": "a.txt", "evidence": "разогнала митинг"}, {"file": "b.txt", "evidence": "Разгон акции"}]},
    {"kind": "event", "id": "E2", "type": ["COERCE"], "date": "2023-03-13", "location": "Ош",
     "mentions": [{"file": "a.txt", "evidence": "Задержаны 43 человека"},
                  {"file": "b.txt", "evidence": "задержаны не менее 70 человек"}]},
    {"kind": "event", "id": "E3", "type": ["CONCEDE"], "date": "2023-03-16", "location": None,
     "mentions": [{"file": "a.txt", "evidence": "ушел в отставку"}]},
    {"kind": "figure", "event": "E2", "category": "detained", "low": 43, "high": 43, "claimant": None,
     "claimed_on": "2023-03-14", "file": "a.txt", "evidence": "Задержаны 43 человека"},
    {"kind": "figure", "event": "E2", "category": "detained", "low": 70, "high": None, "claimant": "правозащитники",
     "claimed_on": "2023-03-15", "file": "b.txt", "evidence": "не менее 70 человек"},
]


def mention(file: str, phrase: str, shift=(0, 0)) -> dict:
    return {"source": f"data/{file}", "span": at(phrase, TEXTS[file], shift)}


M = {"a1": mention("a.txt", "разогнала"), "b1": mention("b.txt", "Разгон"),
     "a2": mention("a.txt", "Задержаны 43"), "b2": mention("b.txt", "задержаны не менее 70"),
     "a3": mention("a.txt", "ушел в отставку")}


def events(*groups, **attrs) -> list[dict]:
    return [{"id": f"ev-{i}", "type": None, "mentions": [M[k] if isinstance(k, str) else k for k in g], **attrs}
            for i, g in enumerate(groups, 1)]


# (predicted clusters, B-cubed P, R, mentions found)
CLUSTER_CASES = [
    ([("a1", "b1"), ("a2", "b2"), ("a3",)], 1.0, 1.0, 5),
    ([("a1", "b1", "a2", "b2", "a3")], 0.36, 1.0, 5),                     # all merged: (2·2/5 + 2·2/5 + 1/5) / 5
    ([("a1",), ("b1",), ("a2",), ("b2",), ("a3",)], 1.0, 0.6, 5),         # all split: (4·1/2 + 1) / 5
    ([("a1", "b1"), ("a2",), ("a3",)], 1.0, 0.7, 4),                      # b2 never found: it scores 0
    ([("a1", "b1", mention("b.txt", "осудили")), ("a2", "b2"), ("a3",)], 1.0, 1.0, 5),  # unaligned: not judged
    ([("a1", {"source": "a.txt", "span": M["b1"]["span"]}), ("a2", "b2"), ("a3",)], 1.0, 0.7, 4),  # wrong source
    ([("a1", {"source": "b.txt", "span": [0, 401]}), ("a2", "b2"), ("a3",)], 1.0, 0.7, 4),          # too long
]


@pytest.mark.parametrize("groups, p, r, found", CLUSTER_CASES)
def test_corpus_bcubed_clusters(groups, p, r, found):
    report = score_corpus(CORPUS, events(*groups), [], TEXTS)
    assert math.isclose(report.clusters.precision, p) and math.isclose(report.clusters.recall, r)
    assert report.mentions.ok == found and report.mentions.n == 5


def test_corpus_bcubed_edge_cases():
    assert bcubed([], []).f1 == 0.0
    assert bcubed([0, 0], [None, None]).precision == 0.0
    assert bcubed([0, 1], [7, 7]).to_json() == {"P": 0.5, "R": 1.0, "F1": 0.667}


def test_corpus_event_attributes_of_the_majority_cluster():
    preds = [{"id": "x", "type": "ASSAULT", "date": {"start": "2023-03-13", "end": "2023-03-13"},
              "location": {"name": "Ош", "country": "KG"}, "mentions": [M["a1"], M["b1"]]},
             {"id": "y", "type": "PROTEST", "date": {"start": "2023-03-14", "end": "2023-03-14"},
              "location": {"name": "Ошская область"}, "mentions": [M["a2"], M["b2"]]},
             {"id": "z", "type": "CONCEDE", "date": None, "location": None, "mentions": [M["a3"]]}]
    report = score_corpus(CORPUS, preds, [], TEXTS)
    assert (report.events["event_type"].ok, report.events["event_type"].n) == (2, 3)
    assert (report.events["event_date"].ok, report.events["event_date"].n) == (1, 3)
    assert (report.events["event_location"].ok, report.events["event_location"].n) == (1, 2)
    assert {f.where for f in report.findings if f.kind == "event_type"} == {"E2"}


def claim(file, phrase, low, high, **extra):
    return {"category": "detained", "low": low, "high": high, "source": file,
            "span": at(phrase, TEXTS[file]), **extra}


# (predicted claims, (tp, fp, fn), claimant ok/n, claimed_on ok/n, figure_event ok/n)
LEDGER_CASES = [
    ([claim("a.txt", "43", 43, 43, claimant=None, claimed_on="2023-03-14", event="ev-2"),
      claim("b.txt", "не менее 70", 70, None, claimant="правозащитники", claimed_on="2023-03-15", event="ev-2")],
     (2, 0, 0), (1, 1), (2, 2), (2, 2)),
    ([claim("a.txt", "43", 43, 43, claimed_on="2023-03-13", event="ev-1"),                 # wrong day, wrong event
      claim("b.txt", "70", 70, 70, claimant="ГУВД")],                                      # bounds differ
     (1, 1, 1), (0, 0), (0, 1), (0, 1)),
    ([claim("b.txt", "не менее 70", 70, None, claimant={"name": "Правозащитники"}, claimed_on="2023-03-15")],
     (1, 0, 1), (1, 1), (1, 1), (0, 1)),
    ([claim("a.txt", "43", 43, 43), {**claim("b.txt", "70", 70, None), "source": "elsewhere/c.txt"}],
     (1, 0, 1), (0, 0), (0, 1), (0, 1)),                                                    # other corpora ignored
]


@pytest.mark.parametrize("preds, expected, claimant, claimed_on, linked", LEDGER_CASES)
def test_corpus_ledger(preds, expected, claimant, claimed_on, linked):
    report = score_corpus(CORPUS, events(("a1", "b1"), ("a2", "b2"), ("a3",)), preds, TEXTS)
    lg = report.ledger
    assert (lg.tp, lg.fp, lg.fn) == expected
    got = [(report.claims[k].ok, report.claims[k].n) for k in ("claimant", "claimed_on", "figure_event")]
    assert got == [claimant, claimed_on, linked]


def test_corpus_report_json_table_and_metrics():
    report = score_corpus(CORPUS, events(("a1", "b1"), ("a2", "b2"), ("a3",)), [], TEXTS)
    assert report.metrics()["clusters.F1"] == 1.0 and report.metrics()["ledger.R"] == 0.0
    assert report.to_json()["clusters"] == {"P": 1.0, "R": 1.0, "F1": 1.0}
    assert "ledger" in report.table() and "missed" in report.table(findings=True)


def test_corpus_evaluate_paths_reads_the_store(tmp_path, monkeypatch):
    """evaluate_corpus_paths: the inputs' texts from the ingest readers, events and ledger from the store's API
    (replaced here by hand-made records, so no model runs)."""
    from letopis import api
    from letopis.evaluate import evaluate_corpus_paths

    files = {}
    for name, body in TEXTS.items():
        files[name] = f"Заголовок\n\n{body}"
        (tmp_path / name).write_text(files[name], encoding="utf-8")
    gold = tmp_path / "corpus.jsonl"
    gold.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in CORPUS), encoding="utf-8")
    store = []

    def span(name, phrase):
        return at(phrase, files[name])

    monkeypatch.setattr(api, "ingest", lambda paths, db, options=None: store.append((list(paths), db)))
    mentions = [{"source": str(tmp_path / "a.txt"), "span": span("a.txt", "разогнала")},
                {"source": str(tmp_path / "b.txt"), "span": span("b.txt", "Разгон")}]
    monkeypatch.setattr(api, "events", lambda db: [{"id": "x", "type": "ASSAULT", "mentions": mentions}])
    monkeypatch.setattr(api, "figures", lambda db: [
        {"category": "detained", "low": 43, "high": 43, "claimant": None, "claimed_on": "2023-03-14", "event": None,
         "source": str(tmp_path / "a.txt"), "span": span("a.txt", "43 человека")}])
    report = evaluate_corpus_paths(gold, [str(tmp_path / "a.txt"), str(tmp_path / "b.txt")])
    assert len(store) == 1 and store[0][1].endswith("corpus.db")
    assert (report.mentions.ok, report.mentions.n) == (2, 5)
    assert (report.ledger.tp, report.ledger.fp, report.ledger.fn) == (1, 0, 1)
    assert report.events["event_type"].value == 1.0 and report.claims["figure_event"].value == 0.0


@pytest.mark.parametrize("rows", [
    [{"kind": "incident", "id": "E1"}],
    [{"kind": "event", "id": "E1", "type": ["PROTEST"], "mentions": []}] * 2,
    [{"kind": "figure", "event": "E9", "category": "killed", "low": 1, "high": 1, "file": "a.txt",
      "evidence": "x"}],
    [{"kind": "event", "id": "E1", "type": ["PROTEST"]}],
])
def test_corpus_bad_gold_raises(rows):
    with pytest.raises(GoldError):
        CorpusGold.from_rows(rows)


# --- agreement with the shared seed scorer (skipped without /work/shared) --------------------------------------

needs_shared = pytest.mark.skipif(not (SHARED / "eval" / "score.py").exists() or not (SHARED / "seeds").is_dir(),
                                  reason="needs /work/shared (seeds, gold, score.py)")


def shared_scorer():
    spec = importlib.util.spec_from_file_location("letopis_shared_score", SHARED / "eval" / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def seed_texts() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted((SHARED / "seeds").glob("*.txt"))}


@needs_shared
def test_evaluate_agrees_with_shared_scorer_on_seed_extraction():
    from letopis import api

    ref = shared_scorer()
    preds = list(api.extract(sorted(str(p) for p in (SHARED / "seeds").glob("*.txt"))))
    gold = ref.load_jsonl(SHARED / "gold" / "seeds.jsonl")
    expected = ref.score(gold, preds, SHARED / "seeds")
    assert score(load_gold(SHARED / "gold" / "seeds.jsonl"), preds, seed_texts()).to_json() == expected


def _perturbed(gold_rows: list[dict], texts: dict[str, str], rnd: random.Random) -> list[dict]:
    """Predictions made from the gold by random damage: dropped, moved, miscategorised, renamed, redated, spurious."""
    names = ["Касым-Жомарт Токаев", "Токаева", "МВД", "СМИ", "Алматы", "Жанаозен", None, "власти Казахстана"]
    dates = [None, "2022-01-05", "2022-01-06", "2022-01-07", {"start": "2022-01-04", "end": "2022-01-05"}]
    preds = []
    for g in gold_rows:
        text, row = texts[g["file"]], {"source": "seeds/" + g["file"]}
        if rnd.random() < 0.1:
            continue                                    # a missing document
        row["published"] = rnd.choice([g.get("published"), "2022-01", None])
        for kind in ("figures", "statements", "events", "times"):
            items = []
            for item in (g.get(kind) or []) + [{}] * rnd.randint(0, 2):
                spans = occurrences(text, item.get("evidence", "")) or [(rnd.randrange(len(text)),) * 2]
                a, b = rnd.choice(spans)
                a, b = max(0, a + rnd.randint(-30, 10)), b + rnd.choice([-5, 0, 5, 200, 2000])
                if rnd.random() < 0.15:
                    continue
                p = {"span": [a, max(a, b)]}
                if kind == "figures":
                    p.update(category=rnd.choice([item.get("category"), "killed", "other"]),
                             low=rnd.choice([item.get("low"), 1, None]),
                             high=rnd.choice([item.get("high"), 99, None]),
                             source=rnd.choice([{"name": n, "span": [0, 1]} for n in names if n] + [None]))
                elif kind == "statements":
                    p.update(speaker=rnd.choice([{"name": item.get("speaker")}, {"name": rnd.choice(names)}]),
                             date=rnd.choice([item.get("date")] + dates))
                elif kind == "events":
                    p.update(type=rnd.choice((item.get("type") or []) + ["PROTEST", "ASSAULT"]),
                             date=rnd.choice(dates + [{"start": item.get("date"), "end": item.get("date")}]),
                             location=rnd.choice([None, {"name": item.get("location")},
                                                  {"name": rnd.choice(names)}]))
                else:
                    p.update(start=rnd.choice([item.get("start"), "2022-01-05"]),
                             end=rnd.choice([item.get("end"), None]))
                items.append(p)
            if rnd.random() < 0.3:
                rnd.shuffle(items)
            row[kind] = items
        row["entities"] = [{"type": e["type"], "name": rnd.choice([e["name"], e["name"] + "а"]),
                            "mentions": [list(s) for a_ in e["aliases"] for s in occurrences(text, a_)
                                         if rnd.random() < 0.9]}
                           for e in g.get("entities") or [] if rnd.random() < 0.9]
        preds.append(row)
    return preds


@needs_shared
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.randoms(use_true_random=False))
def test_evaluate_agrees_with_shared_scorer_on_damaged_predictions(rnd):
    ref = shared_scorer()
    gold_rows = ref.load_jsonl(SHARED / "gold" / "seeds.jsonl")
    texts = seed_texts()
    preds = _perturbed(gold_rows, texts, rnd)
    expected = ref.score(gold_rows, preds, SHARED / "seeds")
    assert score(gold_rows, preds, texts).to_json() == expected
