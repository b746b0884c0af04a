"""The PostgreSQL tests run against a real server: a throwaway cluster (cluster.py) started once per session on
127.0.0.1 and a free port, one database per test (created by the Store, as SQLite creates a file), and the
example articles ingested once into PostgreSQL and once into SQLite to compare them.

Without the server binaries (or the `postgres` extra) these tests are skipped with a message saying what to install;
`make test` sets LETOPIS_PG_REQUIRED=1, which turns that skip into a failure, so CI never passes without them.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from cluster import Cluster, ClusterUnavailable  # noqa: E402

from letopis import api  # noqa: E402

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _unavailable(message: str):
    if os.environ.get("LETOPIS_PG_REQUIRED") == "1":
        pytest.fail(message + " (LETOPIS_PG_REQUIRED=1: the PostgreSQL tests may not be skipped)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def pg_cluster():
    try:
        import psycopg  # noqa: F401
        import sqlalchemy  # noqa: F401
    except ImportError:
        _unavailable("the postgres extra is not installed: pip install -e '.[postgres]' (make test does)")
    try:
        cluster = Cluster.start()
    except ClusterUnavailable as e:
        _unavailable(f"{e}; `make postgres` installs Debian's postgresql package")
    yield cluster
    from letopis.store import postgres

    postgres.dispose()
    cluster.stop()


@pytest.fixture
def pg_url(pg_cluster, request) -> str:
    return pg_cluster.new_database(request.node.name)


@pytest.fixture(scope="session")
def examples_pair(pg_cluster, tmp_path_factory) -> tuple[str, str]:
    """(SQLite path, PostgreSQL URL), each holding the examples ingested the same way (one process, batches of 4)."""
    sqlite = str(tmp_path_factory.mktemp("pg-compare") / "examples.db")
    url = pg_cluster.new_database("examples")
    for db in (sqlite, url):
        report = api.ingest([str(EXAMPLES)], db=db, workers=1, batch=4)
        assert report.new >= 20 and not report.rejected
    return sqlite, url
