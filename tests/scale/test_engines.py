"""Local processes and Ray give the same store as one process: same documents, extractions, events and ledger."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from letopis import api

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def dump(db: Path) -> dict:
    """What an ingest decides, without the times it ran at."""
    con = sqlite3.connect(db)
    out = {
        "documents": sorted(r[0] for r in con.execute("SELECT id FROM documents")),
        "extractions": sorted((r[0], r[1]) for r in con.execute("SELECT doc_id, data FROM extractions")),
        "mentions": sorted(con.execute("SELECT id, event_id, reason, background FROM event_mentions")),
        "events": sorted(con.execute("SELECT id, data FROM events")),
        "claims": sorted(con.execute("SELECT id, data FROM figure_claims")),
        "entities": sorted(con.execute("SELECT entity_id, doc_id, local_id FROM entity_mentions")),
    }
    con.close()
    return out


@pytest.fixture(scope="module")
def one_process(tmp_path_factory) -> dict:
    db = tmp_path_factory.mktemp("one") / "one.db"
    api.ingest([str(EXAMPLES)], str(db), workers=1, batch=4)
    return dump(db)


def test_engines_local_workers_equal_one_process(one_process, tmp_path):
    db = tmp_path / "two.db"
    report = api.ingest([str(EXAMPLES)], str(db), workers=2, batch=4)
    assert report.extracted == len(one_process["documents"])
    assert dump(db) == one_process


def test_engines_ray_equals_local(one_process, tmp_path):
    pytest.importorskip("ray", reason="the ray extra is not installed")
    from letopis.scale.ray import RayEngine

    engine = RayEngine(workers=2, window=3)
    try:
        db = tmp_path / "ray.db"
        api.ingest([str(EXAMPLES)], str(db), batch=4, engine=engine)
        got = dump(db)
    finally:
        engine.ray.shutdown()
    assert got == one_process
    assert json.loads(got["extractions"][0][1])["id"] == got["extractions"][0][0]
