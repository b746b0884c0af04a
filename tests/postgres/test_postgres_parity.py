"""The examples ingested into PostgreSQL give what they give in SQLite: the same documents and extractions, the
same `letopis events`, `figures`, `entities` and `docs list` lines (ids, mentions, claims), the same exports byte for
byte; re-ingesting changes nothing; and extraction on Ray into PostgreSQL gives the same store as locally."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from letopis import api
from letopis.cli import app
from letopis.store.sqlite import Store

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
runner = CliRunner()


def dump(db: str) -> dict:
    """What an ingest decides, without the times it ran at (as tests/scale/test_engines.py reads it)."""
    with Store(db) as s:
        q = lambda sql: sorted(tuple(r) for r in s.db.execute(sql))  # noqa: E731
        return {
            "documents": q("SELECT id, source, format, title, published, precision, text, body, body_map"
                           " FROM documents"),
            "sources": q("SELECT doc_id, source, encoding FROM document_sources"),
            "extractions": q("SELECT doc_id, version, data FROM extractions"),
            "mentions": q("SELECT id, event_id, reason, background, win_start, win_end, data FROM event_mentions"),
            "events": q("SELECT id, type, date_start, date_end, country, place, n_mentions, n_sources, data"
                        " FROM events"),
            "claims": q("SELECT id, category, claimant, claimed_on, event_id, mention_id, background, data"
                        " FROM figure_claims"),
            "entities": q("SELECT id, type, name, data FROM corpus_entities"),
            "entity_links": q("SELECT entity_id, doc_id, local_id, name, n_mentions FROM entity_mentions"),
            "entity_keys": q("SELECT key, entity_id FROM entity_keys"),
            "dedup": q("SELECT doc_id, signature, duplicate_of, similarity, length FROM dedup_documents"),
            "units": q("SELECT unit_id, kind, doc_id, start, stop, body_start, body_stop, date_start, date_end, type,"
                       " event_id FROM search_units"),
            "search_sources": q("SELECT doc_id, name FROM search_sources"),
        }


def cli(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_postgres_store_equals_sqlite_on_the_examples(examples_pair):
    sqlite, url = examples_pair
    a, b = dump(sqlite), dump(url)
    for table in a:
        assert a[table] == b[table], table
    assert len(a["events"]) > 50 and len(a["claims"]) > 50


@pytest.mark.parametrize("command", [["events"], ["figures"], ["entities"], ["docs", "list"], ["rejected"],
                                     ["events", "--type", "PROTEST"], ["figures", "--category", "killed"],
                                     ["figures", "--claimant", "authorities"], ["events", "--since", "2023-03-05"],
                                     ["events", "--place", "Бишкек"], ["entities", "--type", "PER"]])
def test_postgres_cli_lines_equal_sqlite(examples_pair, command):
    sqlite, url = examples_pair
    got = cli(*command, "--db", url, "--format", "jsonl")
    assert got == cli(*command, "--db", sqlite, "--format", "jsonl")
    if command[0] in ("events", "figures"):
        assert got.strip(), command
        first = json.loads(got.splitlines()[0])
        assert first["id"] and ("mentions" in first or "claimant" in first)


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "geojson"])
def test_postgres_exports_equal_sqlite_byte_for_byte(examples_pair, fmt):
    sqlite, url = examples_pair
    assert cli("export", "--format", fmt, "--db", url) == cli("export", "--format", fmt, "--db", sqlite)


def test_postgres_status_counts_equal_sqlite(examples_pair):
    sqlite, url = examples_pair
    (a,), (b,) = (json.loads(cli("status", "--db", db, "--format", "json")) for db in (sqlite, url))
    assert a.pop("db") == sqlite and b.pop("db") == url
    assert a == b


def test_postgres_reingest_is_idempotent(pg_cluster):
    url = pg_cluster.new_database("reingest")
    first = api.ingest([str(EXAMPLES)], db=url, workers=1)
    before = dump(url)
    again = api.ingest([str(EXAMPLES), str(EXAMPLES / "01_shakhtinsk_strike_dispersal.md")], db=url, workers=1)
    assert first.new == again.duplicate - 1 and again.new == 0 and again.extracted == 0
    assert dump(url) == before


def test_postgres_ingest_with_rejections_exits_1_and_records_them(pg_cluster):
    url = pg_cluster.new_database("rejects")
    result = runner.invoke(app, ["ingest", str(EXAMPLES / "01_shakhtinsk_strike_dispersal.md"), "/nonexistent.txt",
                                 "--db", url, "--workers", "1", "-q"])
    assert result.exit_code == 1 and "not-found" in result.output
    runner.invoke(app, ["ingest", "/nonexistent.txt", "--db", url, "-q"])
    (row,) = json.loads(cli("rejected", "--db", url, "--format", "json"))
    assert (row["reason"], row["times"]) == ("not-found", 2)


def test_postgres_loads_a_results_dataset_as_a_direct_ingest(examples_pair, pg_cluster, tmp_path):
    """Extract once into a results dataset (here locally), load it into PostgreSQL later: the direct ingest's store;
    loading it again changes nothing."""
    sqlite, _ = examples_pair
    folder, url = tmp_path / "results", pg_cluster.new_database("from_parquet")
    api.ingest([str(EXAMPLES)], str(tmp_path / "extracted.db"), workers=1, batch=4, parquet=str(folder))
    first = api.ingest_parquet([str(folder)], url, batch=4)
    assert first.new == first.extracted > 20
    assert dump(url) == dump(sqlite)
    again = api.ingest_parquet([str(folder)], url, batch=4)
    assert again.new == again.extracted == 0
    assert dump(url) == dump(sqlite)


@pytest.mark.slow
def test_postgres_ray_equals_local_sqlite(examples_pair, pg_cluster, tmp_path):
    """The paths of issue 7: local into SQLite, Ray into PostgreSQL, Ray into a results dataset and from it into
    PostgreSQL — the same store."""
    pytest.importorskip("ray", reason="the ray extra is not installed")
    from letopis.scale.ray import RayEngine

    sqlite, _ = examples_pair
    url, via = pg_cluster.new_database("ray"), pg_cluster.new_database("ray_parquet")
    engine = RayEngine(workers=2, window=3)
    try:
        api.ingest([str(EXAMPLES)], url, batch=4, engine=engine)
        api.ingest([str(EXAMPLES)], via, batch=4, engine=engine, parquet=str(tmp_path / "results"))
    finally:
        engine.ray.shutdown()
    assert dump(url) == dump(sqlite)
    assert dump(via) == dump(sqlite)
