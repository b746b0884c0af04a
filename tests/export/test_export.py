"""Exports: ACLED CSV, PLOVER-style JSONL, Parquet tables and GeoJSON over the example articles, and the rules
behind them (actor types, the conservative fatalities reading) on hand-made tables."""
from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import geojson
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from letopis import api
from letopis.cli import app
from letopis.corpus.ledger import Claim
from letopis.export import SCHEMAS, ExportError, classify, conservative, export, note
from letopis.export.acled import interaction, time_precision
from letopis.export.actors import is_actor
from letopis.store.sqlite import Store

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

# ACLED's columns, in the order of its exports (written out here, not imported: the test is the spec)
ACLED_HEADER = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision",
    "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
]


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("export") / "examples.db"
    report = api.ingest([str(EXAMPLES)], db=str(path))
    assert report.new >= 20 and not report.rejected
    return str(path)


@pytest.fixture(scope="module")
def db_reversed(tmp_path_factory) -> str:
    """The same articles, given one by one in the reverse order of their names, into a second store."""
    path = tmp_path_factory.mktemp("export-reversed") / "examples.db"
    files = sorted((str(p) for p in EXAMPLES.iterdir() if p.is_file()), reverse=True)
    report = api.ingest(files, db=str(path))
    assert report.new >= 20 and not report.rejected
    return str(path)


def _export(db: str, fmt: str, tmp: Path) -> Path:
    tmp.mkdir(parents=True, exist_ok=True)
    out = tmp / (f"{fmt}-tables" if fmt == "parquet" else f"export.{fmt}")
    export(db, fmt, out)
    return out


def _count(db: str, table: str) -> int:
    with Store(db) as store:
        return store.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def _texts(db: str) -> dict[str, str]:
    with Store(db) as store:
        return {r[0]: r[1] for r in store.db.execute("SELECT id, text FROM documents")}


# --- ACLED CSV -----------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def acled(db, tmp_path_factory) -> list[dict]:
    path = _export(db, "csv", tmp_path_factory.mktemp("csv"))
    with open(path, encoding="utf-8", newline="") as f:
        header = next(csv.reader(f))
        assert header == ACLED_HEADER
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_acled_header_in_acled_order(db, tmp_path):
    text = _export(db, "csv", tmp_path).read_text(encoding="utf-8")
    assert text.splitlines()[0].split(",") == ACLED_HEADER


def test_acled_one_row_per_event_and_every_row_parses(acled, db):
    assert len(acled) == _count(db, "events")
    assert len({r["event_id_cnty"] for r in acled}) == len(acled)
    for r in acled:
        assert set(r) == set(ACLED_HEADER)
        if r["event_date"]:
            assert r["year"] == r["event_date"][:4] and len(r["event_date"]) == 10
            assert r["time_precision"] in {"1", "2", "3"}
        else:
            assert r["year"] == "" and r["time_precision"] == ""
        assert r["inter1"] in {"", *map(str, range(1, 9))} and r["inter2"] in {"", *map(str, range(0, 9))}
        assert int(r["fatalities"]) >= 0
        if r["iso"]:
            assert int(r["iso"]) > 0 and r["region"] and r["country"] and r["event_id_cnty"][:3].isalpha()
        if r["latitude"]:
            assert -90 <= float(r["latitude"]) <= 90 and -180 <= float(r["longitude"]) <= 180
            assert r["geo_precision"] in {"1", "2", "3"}
        if r["timestamp"]:
            assert int(r["timestamp"]) % 86400 == 0       # 00:00 UTC of a publication day
        assert r["source"]


def test_acled_police_dispersal_row(acled):
    rows = [r for r in acled if r["sub_event_type"] == "Excessive force against protesters" and r["location"] == "Шахтинск"]
    assert len(rows) == 1
    r = rows[0]
    assert (r["event_type"], r["disorder_type"]) == ("Violence against civilians", "Political violence")
    assert (r["actor1"], r["inter1"], r["inter2"], r["interaction"]) == ("полиция", "1", "6", "16")
    assert r["civilian_targeting"] == "Civilians targeted"
    assert (r["iso"], r["country"], r["region"]) == ("398", "Kazakhstan", "Caucasus and Central Asia")
    assert (r["event_date"], r["time_precision"], r["geo_precision"]) == ("2023-03-03", "1", "1")
    assert r["event_id_cnty"].startswith("KAZ-")


def test_acled_fatalities_most_conservative_and_every_claim_in_notes(acled):
    # the police say "не более 12", rights defenders "не менее 38": fatalities 12, both claims in the notes
    rows = [r for r in acled if "?–12" in r["notes"] and "38–" in r["notes"]]
    assert rows
    for r in rows:
        assert r["fatalities"] == "12"
        killed = [n for n in r["notes"].split("; ") if n.startswith("killed: ")]
        assert len(killed) >= 2 and all(" (" in n and "): " in n for n in killed)


def test_acled_protests_get_protesters_and_crowd_size(acled):
    protests = [r for r in acled if r["event_type"] == "Protests"]
    assert protests
    for r in protests:
        assert r["inter1"] == "6" and r["actor1"] and r["tags"].startswith("crowd size=")
    assert any(r["tags"] != "crowd size=no report" for r in protests)


# --- the rules, on hand-made tables --------------------------------------------------------------------------

def _claim(category: str, low, high, background: bool = False, claimant: str | None = None, i: int = 0,
           day: str | None = "2023-03-06") -> Claim:
    return Claim(id=f"doc-x:{i}", doc_id="doc-x", source="x.txt", index=i, category=category, low=low, high=high,
                 span=(0, 2), text="…", claimant=claimant, claimant_class="article" if not claimant else "authorities",
                 claimant_span=None, claimed_on=day, claimed_on_rule="article", counts_to=None, mention_id=None,
                 link_rule=None, background=background)


@pytest.mark.parametrize("ledger, expected", [
    ([], 0),
    ([("killed", 38, None), ("killed", None, 12)], 12),           # "не менее 38" against "не более 12"
    ([("killed", 38, 38), ("killed", 26, 26), ("killed", 16, 16)], 16),
    ([("killed", 20, 99)], 20),                                    # "десятки"
    ([("killed", 225, 225), ("killed", 227, None)], 225),
    ([("killed", 5, 5, True), ("killed", 16, 16)], 16),            # a shared paragraph's claim gives way
    ([("killed", 5, 5, True), ("killed", 7, 7, True)], 5),          # ...unless every claim is background
    ([("injured", 3, 3), ("detained", 40, 40)], 0),                 # other categories do not count
    ([("killed", None, None)], 0),
    ([("killed", 2.5, 3)], 2),                                      # rounded down
])
def test_figures_conservative_killed(ledger, expected):
    claims = [_claim(*spec, i=i) for i, spec in enumerate(ledger)]
    assert conservative(claims, "killed") == expected


def test_figures_conservative_default_when_no_claim():
    assert conservative([_claim("injured", 3, 3)], "killed", default=None) is None


@pytest.mark.parametrize("claim, expected", [
    (_claim("killed", 38, None, claimant="Кенес"), "killed: Кенес (2023-03-06): 38–?"),
    (_claim("killed", None, 12, claimant="МВД", day=None), "killed: МВД (?): ?–12"),
    (_claim("injured", 700, 800), "injured: x.txt (2023-03-06): 700–800"),
    (_claim("killed", 5, 5, background=True), "killed: x.txt (2023-03-06): 5–5 [background]"),
])
def test_figures_note(claim, expected):
    assert note(claim) == expected


@pytest.mark.parametrize("name, inter, sector", [
    ("Департамент полиции Карагандинской области", 1, "COP"),
    ("силовики", 1, "COP"),
    ("военнослужащие ОДКБ", 8, "IGO"),
    ("вооружённые силы Казахстана", 1, "MIL"),
    ("Президент Казахстана Касым-Жомарт Токаев", 1, "GOV"),
    ("неизвестные вооружённые люди", 3, "UAF"),
    ("митинг бастующих горняков", 6, "LAB"),
    ("43 участника акции", 6, "OPP"),
    ("погромщики", 5, "OPP"),
    ("мирные жители", 7, "CVL"),
    ("журналисты", 7, "JRN"),
    ("Россия", 1, "GOV"),
    ("служебный автомобиль", None, None),
])
def test_actors_classify(name, inter, sector):
    a = classify(name)
    assert (a.inter, a.sector) == (inter, sector), a.rule


def test_actors_country_is_a_state_with_its_code():
    assert classify("Россия").code == "RUS" and classify("Кыргызстан").code == "KGZ"


@pytest.mark.parametrize("name, expected", [("которые", False), ("его", False), ("чего-то", False), ("", False),
                                            ("жители", True), ("Марат Оспанов", True)])
def test_actors_pronouns_are_not_actors(name, expected):
    assert is_actor(name) is expected


@pytest.mark.parametrize("inter1, inter2, expected", [
    (1, 6, "16"), (6, 1, "16"), (1, 1, "11"), (6, 0, "60"), (1, 7, "17"), (None, 0, ""), (1, None, ""),
])
def test_acled_interaction(inter1, inter2, expected):
    assert interaction(inter1, inter2) == expected


@pytest.mark.parametrize("date, expected", [
    ({"start": "2023-03-03", "end": "2023-03-03", "precision": "day"}, 1),
    ({"start": "2023-03-03", "end": "2023-03-04", "precision": "day"}, 2),
    ({"start": "2023-03", "end": "2023-03", "precision": "month"}, 3),
    ({"start": "2023", "end": "2023", "precision": "year"}, 3),
    (None, None),
])
def test_acled_time_precision(date, expected):
    assert time_precision(date) == expected


# --- PLOVER JSONL --------------------------------------------------------------------------------------------

def test_plover_one_event_a_line_with_spans_and_ledger(db, tmp_path):
    lines = _export(db, "jsonl", tmp_path).read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == _count(db, "events")
    assert [r["id"] for r in records] == sorted(r["id"] for r in records)
    texts = _texts(db)
    n_claims = 0
    for r in records:
        assert r["event_type"] and r["quad_code"] in {1, 2, 3, 4} and r["mentions"]
        for m in r["mentions"]:
            text = texts[m["doc_id"]]
            assert text[m["span"][0]:m["span"][1]] == m["event_text"]
            if m["trigger"]["span"]:
                assert text[slice(*m["trigger"]["span"])] == m["trigger"]["text"]
            for a in m["actors"] + m["recipients"]:
                assert a["name"] and (a["span"] is None or text[slice(*a["span"])] == a["text"])
        for c in r["figures"]:
            assert texts[c["doc_id"]][slice(*c["span"])] == c["text"]
        n_claims += len(r["figures"])
    with Store(db) as store:
        linked = store.db.execute("SELECT COUNT(*) FROM figure_claims WHERE event_id IS NOT NULL").fetchone()[0]
    assert n_claims == linked
    assert any(r["size"]["dead"] == 12 for r in records)


def test_plover_quad_code_for_every_category():
    from letopis.export.plover import QUAD
    from letopis.extract.ontology import categories

    assert set(QUAD) == set(categories())


# --- Parquet -------------------------------------------------------------------------------------------------

def test_parquet_round_trip(db, tmp_path):
    folder = _export(db, "parquet", tmp_path)
    tables = {name: pq.read_table(folder / f"{name}.parquet") for name in SCHEMAS}
    for name, table in tables.items():
        assert table.schema.equals(SCHEMAS[name]), name
    assert tables["events"].num_rows == _count(db, "events")
    assert tables["mentions"].num_rows == _count(db, "event_mentions")
    assert tables["claims"].num_rows == _count(db, "figure_claims")
    assert tables["entities"].num_rows == _count(db, "corpus_entities")
    assert tables["documents"].num_rows == _count(db, "documents")
    texts = {d["id"]: d["text"] for d in tables["documents"].to_pylist()}
    events = {e["id"] for e in tables["events"].to_pylist()}
    for m in tables["mentions"].to_pylist():
        assert m["event_id"] in events
        if m["trigger_start"] is not None:
            assert texts[m["doc_id"]][m["trigger_start"]:m["trigger_stop"]] == m["trigger"]
    for c in tables["claims"].to_pylist():
        assert texts[c["doc_id"]][c["start"]:c["stop"]] == c["text"]
        assert c["event_id"] is None or c["event_id"] in events


def test_parquet_needs_an_output_folder(db):
    with pytest.raises(ExportError, match="--output"):
        export(db, "parquet", None)


# --- GeoJSON -------------------------------------------------------------------------------------------------

def test_geojson_validates(db, tmp_path):
    text = _export(db, "geojson", tmp_path).read_text(encoding="utf-8")
    obj = geojson.loads(text)
    assert obj.is_valid, obj.errors()
    data = json.loads(text)
    assert data["type"] == "FeatureCollection" and data["features"]
    with Store(db) as store:
        located = store.db.execute("SELECT COUNT(*) FROM events WHERE json_extract(data, '$.location.lat') "
                                   "IS NOT NULL").fetchone()[0]
    assert len(data["features"]) == located
    for f in data["features"]:
        assert f["type"] == "Feature" and f["geometry"]["type"] == "Point" and isinstance(f["properties"], dict)
        lon, lat = f["geometry"]["coordinates"]
        assert all(isinstance(v, float) and math.isfinite(v) for v in (lon, lat))
        assert -180 <= lon <= 180 and -90 <= lat <= 90
    shakhtinsk = [f for f in data["features"] if f["properties"]["place"] == "Шахтинск"]
    lon, lat = shakhtinsk[0]["geometry"]["coordinates"]
    assert 72 < lon < 73.5 and 49 < lat < 50.5         # [longitude, latitude], not the other way round


# --- the same inputs, the same bytes ---------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["csv", "jsonl", "geojson", "parquet"])
def test_export_byte_identical_whatever_the_ingest_order(db, db_reversed, tmp_path, fmt):
    a, b = _export(db, fmt, tmp_path / "a"), _export(db_reversed, fmt, tmp_path / "b")
    if fmt == "parquet":
        for name in SCHEMAS:
            assert (a / f"{name}.parquet").read_bytes() == (b / f"{name}.parquet").read_bytes(), name
    else:
        assert a.read_bytes() == b.read_bytes()


def test_export_event_ids_name_the_first_report(db):
    from letopis.corpus.clustering import event_id
    from letopis.corpus.mentions import EventMention
    from letopis.export.reader import CorpusReader

    with Store(db) as store:
        reader = CorpusReader(store)
        for bundle in reader.events():
            first = min(bundle.mentions, key=lambda m: (m.get("published") or "", m["doc_id"], m["index"]))
            assert bundle.id == event_id(EventMention.from_json(first))
            assert all(m["event_id"] == bundle.id for m in bundle.mentions)
            assert [m["reason"] for m in bundle.mentions].count("first report") == 1



def test_export_entity_ids_name_the_first_report(db):
    """An exported entity is named after the key of its first report (by article date, document, local id), the
    article's own entity as its extraction gives it — not after the article that happened to introduce it."""
    from letopis.corpus.entities import LocalEntity, entity_id
    from letopis.export.reader import CorpusReader

    with Store(db) as store:
        reader = CorpusReader(store)
        entities = list(reader.entities())
        for store_id, type_ in store.db.execute("SELECT id, type FROM corpus_entities").fetchall():
            links = store.db.execute("SELECT doc_id, local_id FROM entity_mentions WHERE entity_id=?", (store_id,))
            doc_id, local_id = min(links, key=lambda r: (reader.published(r[0]) or "", r[0], r[1]))
            raw = next(x for x in store.get_extraction(doc_id)["entities"] if x["id"] == local_id)
            key = LocalEntity.from_extraction(doc_id, raw).primary_key()
            assert reader.entity_export_id(store_id) == entity_id(type_, key)
        assert len({e["id"] for e in entities}) == len(entities) > 0
        assert [e["id"] for e in entities] == sorted(e["id"] for e in entities)

# --- the command ---------------------------------------------------------------------------------------------

def test_export_cli_writes_stdout_and_refuses_parquet_without_output(db, tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["export", "--db", db, "--format", "csv"])
    assert result.exit_code == 0
    assert next(csv.reader(io.StringIO(result.stdout))) == ACLED_HEADER
    result = runner.invoke(app, ["export", "--db", db, "--format", "parquet"])
    assert result.exit_code == 2 and "--output" in result.output
    result = runner.invoke(app, ["export", "--db", str(tmp_path / "none.db"), "--format", "csv"])
    assert result.exit_code == 2 and not (tmp_path / "none.db").exists()
