"""Session fixtures of the web tests: the example articles ingested once into a temporary store, the app over it
and a TestClient. Tests that change the database take a copy (`db_copy`), never the shared one."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from letopis import api
from letopis.store.sqlite import Store
from letopis.web import create_app

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="session")
def web_db(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("web") / "examples.db"
    report = api.ingest([str(EXAMPLES)], db=str(path))
    assert report.new >= 20 and not report.rejected
    try:                                # until ingest indexes for search itself (then this finds nothing to do)
        from letopis.search import index_missing
    except ImportError:
        pass
    else:
        with Store(path) as store:
            index_missing(store)
    return str(path)


@pytest.fixture(scope="session")
def app(web_db):
    return create_app(web_db)


@pytest.fixture(scope="session")
def client(app):
    with TestClient(app) as c:
        yield c


@pytest.fixture
def db_copy(web_db, tmp_path) -> str:
    """A private copy of the example store (SQLite's backup API, so the WAL's content comes along)."""
    path = tmp_path / "copy.db"
    src, dst = sqlite3.connect(web_db), sqlite3.connect(path)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    return str(path)
