"""Where a `Store` keeps its tables: SQLite, a file path (the embedded default), or PostgreSQL, a database URL.

    backend_for("data/demo.db")                          # Sqlite: the standard library's sqlite3, WAL mode
    backend_for("postgresql://letopis@127.0.0.1/team")   # Postgres: store.postgres (the `postgres` extra)

A backend opens connections (read-write, or read-only for the web server), lists its numbered migrations and
applies one. Everything else is the same SQL on both: the connection of PostgreSQL says SQLite's statements in its
own terms (store.dialect), so the modules that run SQL need not know which store they are on. The one module with
its own PostgreSQL form is search (FTS5 there, tsvector here: search.postgres).
"""
from __future__ import annotations

import sqlite3
from importlib import resources
from pathlib import Path

from ..errors import StoreError
from . import postgres
from .keys import fold


def migrations(folder: str = "") -> list[tuple[int, str, str]]:
    """(version, name, sql) of every migration in `store/migrations/FOLDER`, in order."""
    out = []
    root = resources.files(__package__).joinpath("migrations")
    for entry in (root.joinpath(folder) if folder else root).iterdir():
        if entry.name.endswith(".sql"):
            version = int(entry.name.split("_", 1)[0])
            out.append((version, entry.name, entry.read_text(encoding="utf-8")))
    return sorted(out)


class Sqlite:
    """A database file (or ":memory:"), created when missing."""

    name = "sqlite"
    snapshot = "BEGIN"          # a read transaction: one state of the database from its first read to its end
    errors: tuple[type[BaseException], ...] = (sqlite3.DatabaseError,)

    def connect(self, path: str, read_only: bool = False) -> sqlite3.Connection:
        if read_only:
            # the web server: a connection may pass between worker threads (one request at a time); no writes
            db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
            db.row_factory = sqlite3.Row
            db.create_function("letopis_fold", 1, fold, deterministic=True)
            db.execute("PRAGMA query_only=ON")
            return db
        if path != ":memory:":
            parent = Path(path).parent
            if not parent.exists():
                raise StoreError(f"folder {parent} does not exist: create it or pass another --db path")
        db = sqlite3.connect(path, timeout=30, isolation_level=None)
        db.row_factory = sqlite3.Row
        db.create_function("letopis_fold", 1, fold, deterministic=True)      # what migrations and filters fold with
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("PRAGMA foreign_keys=ON")
        return db

    def exists(self, path: str) -> bool:
        return Path(path).is_file()

    def migrations(self) -> list[tuple[int, str, str]]:
        return migrations()

    def apply(self, db: sqlite3.Connection, sql: str) -> None:
        for statement in statements(sql):
            db.execute(statement)

    def describe(self, path: str) -> str:
        return path

    def refusal(self, doc) -> str | None:
        """Why this store cannot hold `doc` as it is (None: it can; SQLite holds any text)."""
        return None

    def storable(self, text: str) -> str:
        return text


class Postgres:
    """A database URL; the database is created when missing and the user may (as SQLite creates a file)."""

    name = "postgresql"
    snapshot = "BEGIN ISOLATION LEVEL REPEATABLE READ"   # READ COMMITTED would read a new state at every statement

    @property
    def errors(self) -> tuple[type[BaseException], ...]:
        try:
            import psycopg
            import sqlalchemy
        except ImportError:
            return (sqlite3.DatabaseError,)
        return (psycopg.Error, sqlalchemy.exc.DBAPIError)

    def connect(self, url: str, read_only: bool = False) -> postgres.PgConnection:
        return postgres.connect(url, read_only=read_only)

    def exists(self, url: str) -> bool:
        try:
            postgres.connect(url, read_only=True).close()
        except StoreError as e:
            if "does not exist" in str(e):
                return False
            raise
        return True

    def migrations(self) -> list[tuple[int, str, str]]:
        return migrations("postgresql")

    def apply(self, db: postgres.PgConnection, sql: str) -> None:
        db.executescript(sql)
        db.invalidate_catalog()

    def describe(self, url: str) -> str:
        return postgres.display(url)

    def refusal(self, doc) -> str | None:
        """PostgreSQL text cannot hold NUL (U+0000), which a JSON or CSV record may carry ("\\u0000"); the text is
        never altered (every offset points into it), so such a document is refused with the reason `binary`."""
        for name in ("text", "body", "title", "author", "url", "source"):
            value = getattr(doc, name, None)
            if value and "\x00" in value:
                return (f"its {name} holds a NUL character (at {value.index(chr(0))}), which PostgreSQL text cannot "
                        "store; remove it, or ingest into a SQLite file")
        return None

    def storable(self, text: str) -> str:
        """A rejection's source or message with any NUL written as \\x00 (a record of a refusal is never refused)."""
        return text.replace("\x00", "\\x00")


SQLITE, POSTGRES = Sqlite(), Postgres()


def backend_for(target: str) -> Sqlite | Postgres:
    return POSTGRES if postgres.is_url(target) else SQLITE


def statements(sql: str) -> list[str]:
    """Split a SQLite migration file into complete statements (sqlite3.complete_statement decides where one ends)."""
    out, buf = [], ""
    for line in sql.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    if buf.strip() and not all(l.strip().startswith("--") or not l.strip() for l in buf.splitlines()):
        raise StoreError(f"unterminated statement in a migration: {buf.strip()[:60]!r}")
    return out
