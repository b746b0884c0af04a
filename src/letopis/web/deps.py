"""What every request is handed: a read-only view of the store, and (for writes, off by default) a token check.

    @router.get("/events")
    def events(store: Store = Depends(get_store)): ...

Each request gets its own connection. The store is in WAL mode, so a request reads the last committed state while
an ingest is writing, without waiting for it; and it reads one state: the connection holds a read transaction from
its first query to the end of the request, so an ingest that commits a batch meanwhile is seen by the next request,
never by half of this one (on PostgreSQL a REPEATABLE READ transaction). The connection refuses writes (`PRAGMA
query_only`; on PostgreSQL a read-only session from the pool), and it may pass between the server's worker threads
(FastAPI opens a yield-dependency in one thread and runs the endpoint in another), one request at a time.
"""
from __future__ import annotations

import hmac
from pathlib import Path
from typing import Iterator

from fastapi import Header, HTTPException, Request

from ..errors import LetopisError
from ..store.backend import backend_for
from ..store.sqlite import Store


class DatabaseMissing(LetopisError):
    """The server was pointed at a database file that does not exist."""


class ReadOnlyStore(Store):
    """A `Store` on an existing, migrated database that reads and never writes. Every read method of `Store` works."""

    def __init__(self, path: str | Path):          # no super().__init__: it would create and migrate the file
        self.path = str(path)
        self.backend = backend_for(self.path)
        self.db = self.backend.connect(self.path, read_only=True)


def prepare(db: str | Path) -> str:
    """Check that `db` is a letopis database and bring its schema up to date (the server's only write, at start).
    Returns the path the requests will open."""
    backend = backend_for(str(db))
    if not backend.exists(str(db)):
        raise DatabaseMissing(f"no letopis database at {backend.describe(str(db))}: create it with "
                              f"`letopis ingest FILES --db {db}`, or pass another --db")
    with Store(db):                                 # migrates, and sets WAL mode (it persists in the file)
        pass
    return str(db)


def get_store(request: Request) -> Iterator[Store]:
    """One read-only store per request, reading one snapshot of the database, closed when the request is done."""
    store = ReadOnlyStore(request.app.state.db)
    try:
        store.db.execute(store.backend.snapshot)    # the snapshot is taken at the first read and held to the end
        yield store
    finally:
        store.close()


def require_token(request: Request, authorization: str | None = Header(None, include_in_schema=False)) -> None:
    """Guard of every endpoint that writes: off unless the app was created with a token, then `Authorization:
    Bearer TOKEN` must match it (compared in constant time)."""
    token = request.app.state.token
    if not token:
        raise HTTPException(403, "writes are off: start the server with a token to allow them")
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise HTTPException(401, "a valid `Authorization: Bearer TOKEN` header is required",
                            headers={"WWW-Authenticate": "Bearer"})
