"""The CLI end to end over the example corpus: ingest, status, docs, extract, exit codes."""
import csv
import io
import json
import pathlib
import shutil

import pytest
from typer.testing import CliRunner

from letopis.cli import app

ROOT = pathlib.Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SEEDS = ROOT.parent / "shared" / "seeds"
runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "ex.db"
    result = run("ingest", EXAMPLES, "--db", path, "--quiet")
    assert result.exit_code == 0, result.output
    return path


def test_cli_ingest_examples_summary(db):
    again = run("ingest", EXAMPLES, "--db", db, "--quiet")
    assert again.exit_code == 0
    n = len(json.loads(run("docs", "list", "--db", db, "--format", "json").output))
    assert n >= 12
    assert f"read {n}: 0 new, {n} duplicate, 0 rejected" in again.output


def test_cli_status_json(db):
    st = json.loads(run("status", "--db", db, "--format", "json").output)[0]
    assert st["documents"] >= 12 and st["rejected"] == 0 and st["extracted"] == st["documents"]
    assert {"frontmatter", "dump", "plain", "html", "jsonl", "csv"} <= set(st["by_format"])


def test_cli_docs_list_jsonl_one_line_per_document(db):
    lines = run("docs", "list", "--db", db, "--format", "jsonl").output.splitlines()
    rows = [json.loads(line) for line in lines]
    assert len(rows) == json.loads(run("status", "--db", db, "--format", "json").output)[0]["documents"]
    assert all(r["id"].startswith("doc-") for r in rows)


def test_cli_docs_list_csv_has_header(db):
    rows = list(csv.DictReader(io.StringIO(run("docs", "list", "--db", db, "--format", "csv").output)))
    assert rows and {"id", "published", "format", "title"} <= set(rows[0])


def test_cli_docs_show_by_prefix(db):
    first = json.loads(run("docs", "list", "--db", db, "--format", "jsonl", "--limit", "1").output)
    shown = json.loads(run("docs", "show", first["id"][:10], "--db", db, "--format", "json").output)[0]
    assert shown["id"] == first["id"] and shown["text"] and shown["sources"]
    assert "entities" in shown["extraction"]


def test_cli_docs_show_unknown_id_is_usage_error(db):
    result = runner.invoke(app, ["docs", "show", "doc-0000000000000000", "--db", str(db)])
    assert result.exit_code == 2 and "no document" in result.output


def test_cli_mixed_folder_exits_1_and_lists_every_bad_file(tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    shutil.copy(EXAMPLES / "01_shakhtinsk_strike_dispersal.md", folder / "good1.md")
    shutil.copy(EXAMPLES / "13_bishkek_aid_planes.txt", folder / "good2.txt")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blob.bin").write_bytes(bytes(range(256)) * 40)
    (folder / "broken.md").write_text('---\ntitle: "не закрыта\ndate: [\n---\n\nТекст статьи о митинге.\n', encoding="utf-8")
    path = tmp_path / "m.db"
    result = run("ingest", folder, "--db", path, "--quiet")
    assert result.exit_code == 1
    assert "2 new" in result.output and "3 rejected" in result.output
    for name, reason in [("empty.txt", "empty"), ("blob.bin", "binary"), ("broken.md", "bad-front-matter")]:
        assert any(name in line and reason in line for line in result.output.splitlines()), (name, result.output)
    rows = json.loads(run("rejected", "--db", path, "--format", "json").output)
    assert {r["reason"] for r in rows} == {"empty", "binary", "bad-front-matter"}


def test_cli_extract_prints_contract_lines():
    result = run("extract", EXAMPLES / "01_shakhtinsk_strike_dispersal.md", EXAMPLES / "02_shakhtinsk_curfew_internet.txt")
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [r["published"] for r in rows] == ["2023-03-04", "2023-03"]
    for r in rows:
        for key in ("source", "published", "title", "entities", "times", "figures", "statements", "events"):
            assert key in r


@pytest.mark.skipif(not SEEDS.exists(), reason="../shared/seeds not present")
def test_cli_extract_seeds_published_and_titles():
    files = sorted(SEEDS.glob("*.txt"))
    result = run("extract", *files, "--format", "jsonl")
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [r["published"] for r in rows] == ["2011-12-16", "2022-01", None, "2022-01", "2022-01"]
    assert rows[0]["title"] and rows[2]["title"]
    for r in rows:
        text = pathlib.Path(r["source"]).read_text(encoding="utf-8")
        for e in r["entities"]:
            assert e["type"] in {"PER", "ORG", "LOC"}
            for s, t in e["mentions"]:
                assert 0 <= s < t <= len(text)


@pytest.mark.skipif(not SEEDS.exists(), reason="../shared/seeds not present")
def test_cli_seeds_twice_and_cp1251_copy_are_five_documents(tmp_path):
    copy = tmp_path / "copy"
    copy.mkdir()
    seed = sorted(SEEDS.glob("*.txt"))[2]
    (copy / "renamed_cp1251.txt").write_bytes(seed.read_text(encoding="utf-8").encode("cp1251"))
    path = tmp_path / "s.db"
    assert run("ingest", SEEDS, "--db", path, "--quiet", "--no-extract").exit_code == 0
    assert run("ingest", SEEDS, copy, "--db", path, "--quiet", "--no-extract").exit_code == 0
    st = json.loads(run("status", "--db", path, "--format", "json").output)[0]
    assert st["documents"] == 5 and st["sources"] == 6
