"""The corpus stage end to end: articles in, one event per occurrence, the ledger, entities across articles."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from letopis import api
from letopis.corpus.stage import rebuild
from letopis.store.sqlite import Store

SEEDS = Path("/work/shared/seeds")
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory):
    if not SEEDS.exists():
        pytest.skip("shared seeds not present")
    db = tmp_path_factory.mktemp("seeds") / "seeds.db"
    api.ingest([str(SEEDS)], str(db))
    return str(db)


def _by_file(mentions):
    return {Path(m["source"]).name[:3] for m in mentions}


def test_stage_seeds_almaty_shooting_is_one_event(seeds_db):
    shootings = [e for e in api.events(seeds_db, type="ASSAULT", since="2022-01-06", until="2022-01-06")
                 if (e["location"] or {}).get("name") == "Алматы"]
    assert len(shootings) == 1
    assert len(_by_file(shootings[0]["mentions"])) >= 3


def test_stage_seeds_csto_request_is_one_event(seeds_db):
    requests = [e for e in api.events(seeds_db, type="REQUEST", since="2022-01-05", until="2022-01-05")]
    assert len(requests) == 1
    assert {"001", "004"} <= _by_file(requests[0]["mentions"])


def test_stage_seeds_background_paragraphs_flagged(seeds_db):
    flagged = {Path(m["source"]).name[:3] for e in api.events(seeds_db) for m in e["mentions"] if m["background"]}
    assert {"001", "003", "004"} <= flagged
    assert "000" not in flagged


def test_stage_seeds_ledger_keeps_every_claim(seeds_db):
    killed = api.figures(seeds_db, category="killed", since="2022-01", until="2022-01")
    got = {(c["low"], c["high"], c["claimant_class"]) for c in killed}
    assert {(16, 16, "article"), (26, 26, "article"), (20, 99, "authorities"), (227, None, "article")} <= got
    by_value = {c["low"]: c for c in killed}
    assert by_value[225]["claimant"] == "власти Казахстана" and by_value[225]["claimed_on"] == "2022-01-15"
    rights = [c for c in api.figures(seeds_db, category="killed", claimant="rights-groups") if c["low"] == 173]
    assert rights, "the 173 of the human-rights defenders is in the ledger"


def test_stage_seeds_zhanaozen_claims_stay_with_their_event(seeds_db):
    events = api.events(seeds_db, type="ASSAULT", until="2011-12-31")
    assert len(events) == 1
    claims = {(c["category"], c["low"], c["high"]) for c in events[0]["figures"]}
    assert {("killed", None, 10), ("killed", 70, 70), ("injured", 700, 800)} <= claims


@pytest.mark.parametrize("name", ["Алматы", "Жанаозен", "Талдыкорган", "Киев", "Мангистауская область"])
def test_stage_seeds_places_have_coordinates(seeds_db, name):
    found = [e for e in api.entities(seeds_db, type="LOC", name=name) if e["name"] == name]
    assert found and found[0]["place"]["lat"] is not None and found[0]["place"]["lon"] is not None


def test_stage_seeds_entities_across_articles(seeds_db):
    tokayev = [e for e in api.entities(seeds_db, type="PER", name="Токаев")]
    assert len(tokayev) == 1
    assert tokayev[0]["name"] == "Касым-Жомарт Токаев" and tokayev[0]["n_documents"] >= 3
    assert {"Токаев", "Касым-Жомарт Токаев"} <= set(tokayev[0]["names"])
    csto = [e for e in api.entities(seeds_db, type="ORG", name="ОДКБ")]
    assert len(csto) == 1 and any("Договора" in n for n in csto[0]["names"])


@pytest.fixture(scope="module")
def examples_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("examples") / "examples.db"
    api.ingest([str(EXAMPLES)], str(db))
    return db


def _snapshot(db) -> tuple:
    events = sorted((e["type"], (e["date"] or {}).get("start") or "", tuple(sorted((m["doc_id"], tuple(m["span"]))
                                                                            for m in e["mentions"])))
                    for e in api.events(str(db)))
    claims = sorted((c["id"], c["event"] is not None, c["claimed_on"] or "") for c in api.figures(str(db)))
    return events, claims


def test_stage_reingest_changes_nothing(examples_db, tmp_path):
    before = _snapshot(examples_db)
    report = api.ingest([str(EXAMPLES)], str(examples_db))
    assert report.new == 0 and report.events_new == 0
    assert _snapshot(examples_db) == before


def test_stage_rebuild_equals_incremental(examples_db, tmp_path):
    copy = tmp_path / "copy.db"
    shutil.copy(examples_db, copy)
    before = _snapshot(copy)
    with Store(copy) as store:
        rebuild(store)
    assert _snapshot(copy) == before


def test_stage_adding_in_two_batches_gives_the_same_chronicle(examples_db, tmp_path):
    db = tmp_path / "halves.db"
    files = sorted(p for p in EXAMPLES.iterdir() if p.is_file() and p.suffix in (".md", ".txt", ".html", ".jsonl",
                                                                                   ".csv"))
    api.ingest([str(p) for p in files[: len(files) // 2]], str(db))
    api.ingest([str(p) for p in files[len(files) // 2:]], str(db))
    assert _snapshot(db) == _snapshot(examples_db)
