"""The examples ingested once in one process (what every engine must give), and once through a local results
dataset (`--parquet`), shared by the engine and results tests."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from dumps import EXAMPLES, dump  # noqa: E402

from letopis import api  # noqa: E402


@pytest.fixture(scope="session")
def one_process(tmp_path_factory) -> dict:
    db = tmp_path_factory.mktemp("one") / "one.db"
    api.ingest([str(EXAMPLES)], str(db), workers=1, batch=4)
    return dump(db)


@pytest.fixture(scope="session")
def local_results(tmp_path_factory) -> tuple[Path, Path, api.IngestReport]:
    """(the results folder, the store it was loaded into, the report): `ingest(..., parquet=DIR)` on two processes."""
    root = tmp_path_factory.mktemp("local-results")
    folder, db = root / "results", root / "local.db"
    report = api.ingest([str(EXAMPLES)], str(db), workers=2, batch=4, parquet=str(folder))
    return folder, db, report
