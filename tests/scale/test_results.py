"""The results dataset (`letopis ingest --parquet DIR`, loaded with `--from-parquet`): written by the local engine
with pyarrow, loaded into a fresh store it gives the store a direct ingest gives, loading it again changes nothing,
and a folder that is not a complete dataset of this schema is refused with a message saying why."""
from __future__ import annotations

import json
import shutil

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from dumps import EXAMPLES, dump, rows
from typer.testing import CliRunner

from letopis import __version__, api
from letopis.cli import app

runner = CliRunner()


def cli(*args) -> object:
    return runner.invoke(app, [str(a) for a in args])


def test_results_local_parquet_store_equals_one_process(local_results, one_process):
    folder, db, report = local_results
    assert report.extracted == len(one_process["documents"]) and not report.rejected
    assert dump(db) == one_process


def test_results_dataset_is_one_row_per_document(local_results, one_process):
    folder, _, _ = local_results
    manifest = json.loads((folder / "_letopis.json").read_text())
    assert manifest == {"schema": "letopis-results", "schema_version": 1, "letopis": __version__,
                        "engine": "local", "read": 21, "documents": 21, "rejections": 0}
    assert sorted(p.name for p in folder.iterdir()) == ["_letopis.json", "documents", "rejections"]
    assert [p.name for p in (folder / "documents").iterdir()] == ["part-00000.parquet"]
    table = pq.read_table(folder / "documents")
    assert table.schema.names == [
        "seq", "id", "source", "sources", "format", "title", "title_start", "title_stop", "published", "precision",
        "author", "url", "language", "encoding", "ingested_at", "text", "body", "body_map", "extraction",
        "extraction_version"]
    assert table.schema.metadata == {b"letopis.schema": b"letopis-results", b"letopis.schema_version": b"1",
                                     b"letopis.table": b"documents"}
    got = rows(folder)
    assert sorted(r["id"] for r in got) == one_process["documents"]
    assert [r["seq"] for r in got] == list(range(21))
    for r in got:
        assert r["extraction_version"] == __version__ and r["sources"][0]["source"] == r["source"]
        assert (r["id"], r["extraction"]) in one_process["extractions"]
        assert json.loads(r["extraction"])["id"] == r["id"]


def test_results_load_into_a_fresh_store_equals_direct_ingest_and_again_changes_nothing(local_results, one_process,
                                                                                        tmp_path):
    folder, _, _ = local_results
    db = tmp_path / "loaded.db"
    first = api.ingest_parquet([str(folder)], str(db), batch=4)
    assert (first.read, first.new, first.extracted) == (21, 21, 21)
    assert dump(db) == one_process
    again = api.ingest_parquet([str(folder)], str(db), batch=4)
    assert (again.new, again.duplicate, again.extracted, again.claims) == (0, 21, 0, 0)
    assert dump(db) == one_process


def test_results_cli_from_parquet_loads_what_the_parquet_run_stored(local_results, tmp_path):
    folder, _, _ = local_results
    written, loaded = tmp_path / "written.db", tmp_path / "loaded.db"
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    out = cli("ingest", EXAMPLES, "--db", written, "--parquet", tmp_path / "again", "-q", "--workers", "1")
    assert out.exit_code == 0, out.output
    assert f"results (Parquet) → {tmp_path / 'again'}" in out.output
    out = cli("ingest", tmp_path / "again", "--from-parquet", "--db", loaded, "-q")
    assert out.exit_code == 0, out.output
    assert out.output.startswith("read 21: 21 new, 0 duplicate, 0 rejected; 21 extracted")
    assert dump(loaded) == dump(written)
    out = cli("ingest", tmp_path / "again", "--from-parquet", "--db", loaded, "-q")
    assert out.output.startswith("read 21: 0 new, 21 duplicate, 0 rejected; 0 extracted")
    assert dump(loaded) == dump(written)


def test_results_replay_duplicates_and_rejections_in_reading_order(tmp_path):
    """The same text under two names (and twice under one), a missing file: sources and rejections as read."""
    src = tmp_path / "in"
    src.mkdir()
    for name in ("05_shakhtinsk_prosecutor.md", "15_gyumri_teachers_strike.txt"):
        shutil.copy(EXAMPLES / name, src / name)
    shutil.copy(EXAMPLES / "05_shakhtinsk_prosecutor.md", tmp_path / "copy.md")
    inputs = [str(src), str(tmp_path / "missing.txt"), str(tmp_path / "copy.md"),
              str(src / "05_shakhtinsk_prosecutor.md")]
    direct = api.ingest(inputs, str(tmp_path / "direct.db"), workers=1)
    via = api.ingest(inputs, str(tmp_path / "via.db"), workers=1, parquet=str(tmp_path / "res"))
    loaded = api.ingest_parquet([str(tmp_path / "res")], str(tmp_path / "loaded.db"))
    for report in (via, loaded):
        assert (report.read, report.new, report.duplicate, report.documents) == \
               (direct.read, direct.new, direct.duplicate, direct.documents)
        assert [(r.source, r.reason) for r in report.rejected] == [(r.source, r.reason) for r in direct.rejected]
    want = dump(tmp_path / "direct.db")
    assert len(want["sources"]) == 3 and want["rejected"][0][1] == "not-found"
    assert dump(tmp_path / "via.db") == want == dump(tmp_path / "loaded.db")
    (row,) = [r for r in rows(tmp_path / "res") if len(r["sources"]) > 1]
    assert [(s["seq"], s["source"].rsplit("/", 1)[-1]) for s in row["sources"]] == \
           [(0, "05_shakhtinsk_prosecutor.md"), (3, "copy.md"), (4, "05_shakhtinsk_prosecutor.md")]
    assert pq.read_table(tmp_path / "res" / "rejections").to_pylist()[0]["seq"] == 2


# --- refused --------------------------------------------------------------------------------------------------------

def _rewrite(folder, change):
    (part,) = (folder / "documents").iterdir()
    table = change(pq.read_table(part))
    pq.write_table(table, part)


def _manifest(folder, **changes):
    path = folder / "_letopis.json"
    path.write_text(json.dumps({**json.loads(path.read_text()), **changes}))


def _other_parquet(folder):
    shutil.rmtree(folder)
    folder.mkdir()
    pq.write_table(pa.table({"id": ["a"]}), folder / "x.parquet")


def _version(t: pa.Table) -> pa.Table:
    i = t.schema.get_field_index("extraction_version")
    return t.set_column(i, t.schema.field(i), pa.array(["0.0.1"] * t.num_rows))


BROKEN = {
    "another-parquet-folder": (_other_parquet, "no _letopis.json"),
    "no-such-folder": (shutil.rmtree, "does not exist"),
    "stopped-run": (lambda f: (f / "_letopis.json").unlink(), "is not a complete letopis results dataset"),
    "manifest-of-another-schema": (lambda f: _manifest(f, schema="acled"), "schema 'acled'"),
    "newer-schema-version": (lambda f: _manifest(f, schema_version=2), "results schema version 2"),
    "file-without-metadata": (lambda f: _rewrite(f, lambda t: t.replace_schema_metadata(None)),
                              "is not of a letopis results dataset"),
    "file-of-other-columns": (lambda f: _rewrite(f, lambda t: t.drop_columns(["body_map"])),
                              "does not have the columns"),
    "file-missing": (lambda f: next((f / "documents").iterdir()).unlink(), "files are missing"),
    "another-extraction-version": (lambda f: _rewrite(f, _version), "extracted by letopis 0.0.1"),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_results_refuses_what_is_not_a_complete_dataset_of_this_schema(local_results, tmp_path, case):
    folder = tmp_path / "res"
    shutil.copytree(local_results[0], folder)
    damage, message = BROKEN[case]
    damage(folder)
    db = tmp_path / "store.db"
    out = cli("ingest", folder, "--from-parquet", "--db", db, "-q")
    assert out.exit_code == 2 and message in out.output, out.output
    assert json.loads(cli("status", "--db", db, "--format", "json").output)[0]["documents"] == 0


def test_results_refuses_the_export_folder(local_results, tmp_path):
    _, db, _ = local_results
    out = cli("export", "--format", "parquet", "--db", db, "--output", tmp_path / "export")
    assert out.exit_code == 0, out.output
    out = cli("ingest", tmp_path / "export", "--from-parquet", "--db", tmp_path / "x.db", "-q")
    assert out.exit_code == 2 and "not a complete letopis results dataset: it has no _letopis.json" in out.output


@pytest.mark.parametrize("args, message", [
    (["--parquet", "{full}"], "is not empty: write the results into a new folder"),
    (["--parquet", "{new}", "--no-extract"], "cannot go with --no-extract"),
    (["--from-parquet", "--engine", "ray"], "drop --engine ray"),
    (["--from-parquet", "--parquet", "{new}"], "drop --parquet"),
    (["--address", "ray://x:10001"], "add --engine ray"),
])
def test_results_usage_errors(local_results, tmp_path, args, message):
    args = [a.format(full=local_results[0], new=tmp_path / "new") for a in args]
    out = cli("ingest", EXAMPLES / "05_shakhtinsk_prosecutor.md", "--db", tmp_path / "x.db", "-q", *args)
    assert out.exit_code == 2 and message in out.output, out.output
    assert not (tmp_path / "new").exists()
