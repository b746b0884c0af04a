"""Crash safety: `letopis ingest` killed with SIGKILL at any point, then run again, leaves the store it would have
written without the crash (documents, extractions, corpus tables, dedup index; see store_dump.py for what is
left out) and a database that passes `PRAGMA integrity_check`.

Two kinds of kill, both seeded so a failure can be replayed:

- from inside, at an exact SQL statement (kill_driver.py counts them through SQLite's trace hook): right after the
  first batch commits, in the middle of its write transaction, and at seeded statements later on;
- from outside, `os.killpg(..., SIGKILL)` after a seeded random delay, once and twice in a row.

Every process is started in its own session and killed as a group, so extraction workers die with the ingest.
"""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from store_dump import differences, dump, integrity

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
DRIVER = Path(__file__).with_name("kill_driver.py")
SEED = 20240308
TIMEOUT = 900


def cli(db: Path) -> list[str]:
    return [sys.executable, "-m", "letopis.cli", "ingest", str(EXAMPLES), "--db", str(db), "-q"]


def driver(db: Path, *options: str) -> list[str]:
    return [sys.executable, str(DRIVER), *options, "--", "ingest", str(EXAMPLES), "--db", str(db), "-q"]


def run(args: list[str], log: Path, kill_after: float | None = None) -> int:
    """Run `args` in a new session; with `kill_after`, SIGKILL the whole session after that many seconds."""
    with open(log, "ab") as out:
        proc = subprocess.Popen(args, cwd=ROOT, stdout=out, stderr=out, start_new_session=True)
        try:
            return proc.wait(timeout=kill_after if kill_after is not None else TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            return proc.wait()


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """An uninterrupted run: its dump, its SQL statements in order, and how long it took."""
    tmp = tmp_path_factory.mktemp("reference")
    started = time.monotonic()
    rc = run(driver(tmp / "ref.db", "--log", str(tmp / "statements.txt")), tmp / "log.txt")
    seconds = time.monotonic() - started
    assert rc == 0, (tmp / "log.txt").read_text(errors="replace")
    statements = (tmp / "statements.txt").read_text(encoding="utf-8").splitlines()
    assert integrity(str(tmp / "ref.db")) == ["ok"]
    return dump(str(tmp / "ref.db")), statements, seconds


def kill_points(statements: list[str]) -> dict[str, int]:
    """Statement numbers (1-based) to die at: after the first batch commits, inside its transaction, later on."""
    first_doc = next(i for i, s in enumerate(statements) if s.startswith("INSERT OR IGNORE INTO documents"))
    commit = next(i for i in range(first_doc, len(statements)) if statements[i] == "COMMIT")
    rng = random.Random(SEED)
    return {
        "after-first-batch-commit": commit + 2,           # the statement after that COMMIT never runs
        "inside-first-batch": (first_doc + commit) // 2 + 1,
        "seeded-later": rng.randrange(commit + 2, len(statements)) + 1,
    }


def check_same_as_reference(db: Path, reference_dump: dict, log: Path) -> None:
    assert integrity(str(db)) == ["ok"]
    diff = differences(reference_dump, dump(str(db)))
    assert not diff, "\n".join(diff) + "\n" + log.read_text(errors="replace")[-2000:]


@pytest.mark.parametrize("point", ["after-first-batch-commit", "inside-first-batch", "seeded-later"])
def test_sigkill_at_a_statement_then_rerun(point, reference, tmp_path):
    ref, statements, _ = reference
    at = kill_points(statements)[point]
    db, log = tmp_path / "crash.db", tmp_path / "log.txt"
    rc = run(driver(db, "--kill-at", str(at)), log)
    assert rc == -signal.SIGKILL, f"the ingest was not killed at statement {at}: {log.read_text(errors='replace')}"
    assert integrity(str(db)) == ["ok"]
    assert run(cli(db), log) == 0, log.read_text(errors="replace")
    check_same_as_reference(db, ref, log)


@pytest.mark.parametrize("scenario", [0, 1])
def test_sigkill_after_random_delays_then_rerun(scenario, reference, tmp_path):
    """Scenario 0 kills once, scenario 1 kills twice (the re-run is killed too); the delays are seeded."""
    ref, _, seconds = reference
    rng = random.Random(SEED + scenario)
    db, log = tmp_path / "crash.db", tmp_path / "log.txt"
    for _ in range(scenario + 1):
        delay = rng.uniform(0.2 * seconds, 0.9 * seconds)
        run(cli(db), log, kill_after=delay)            # killed, or (on a fast machine) finished first: both fine
        if db.exists():
            assert integrity(str(db)) == ["ok"]
    assert run(cli(db), log) == 0, log.read_text(errors="replace")
    check_same_as_reference(db, ref, log)
