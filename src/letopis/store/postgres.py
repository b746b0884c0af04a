"""PostgreSQL as the team store: a database URL in place of the SQLite file, the same schema and the same SQL.

    Store("postgresql://letopis@127.0.0.1:5432/chronicle")      # or postgresql+psycopg://…, postgres://…

`connect(url)` gives a `PgConnection`, which behaves as the `sqlite3.Connection` the project uses (isolation_level
None: every statement commits unless `BEGIN` opened a transaction): `execute(sql, params)` and `executemany` take the
project's SQLite statements, which `store.dialect` says in PostgreSQL's terms (cached per statement); rows answer
`row[0]` and `row["name"]`; `in_transaction`; `lastrowid` after an INSERT into a table with an identity key.

Why this shape. SQLAlchemy 2 Core gives the URL handling (any libpq URL, the psycopg 3 driver), the engine and its
connection pool (a web request checks a connection out instead of opening one: a PostgreSQL connection costs a few
milliseconds, a SQLite one microseconds) and the schema's reflection (primary keys and identity columns, which the
upsert and lastrowid rules read). Statements then run on psycopg's own cursor of the pooled connection: the project's
SQL is hand-written and needs no compilation, and psycopg's `executemany` pipelines its rows. SQLite stays on the
standard library's `sqlite3`, untouched: measured, SQLAlchemy Core inserts ~168k rows/s where plain sqlite3 does
~267k (FIELD-NOTES), and the embedded default must not get slower.

The connection is in autocommit mode and `BEGIN` starts a real transaction (SQLite's isolation_level None);
`BEGIN IMMEDIATE` also takes a transaction-scoped advisory lock, so writers queue as on SQLite while readers read the
last committed state. A read-only connection (`read_only=True`, what `letopis serve` uses) has
`default_transaction_read_only` on: the server refuses any write on it. Requires the `postgres` extra
(`pip install 'letopis[postgres]'`: SQLAlchemy and psycopg).
"""
from __future__ import annotations

import atexit
import contextlib
import functools
import re
import threading
from typing import Any, Callable, Iterable, Iterator, Sequence

from ..errors import StoreError
from .dialect import WRITE_LOCK, Statement, Table, translate

_SCHEMES = re.compile(r"^(postgres|postgresql)(\+psycopg)?://", re.I)
_engines: dict[tuple[str, bool], Any] = {}
_catalogs: dict[str, dict[str, Table]] = {}
_statements: dict[tuple[str, str], Statement] = {}
_lock = threading.Lock()
SQLITE_FUNCTIONS = {"letopis_fold"}          # what create_function registers on SQLite is in the schema here


def is_url(target: object) -> bool:
    """True for a PostgreSQL URL (postgresql://, postgresql+psycopg://, postgres://); a path is SQLite."""
    return isinstance(target, str) and bool(_SCHEMES.match(target))


def display(url: str) -> str:
    """The URL as given, without its password, for messages and `letopis status`."""
    return re.sub(r"://([^:/@]*):[^@/]*@", r"://\1:***@", url)


def _require():
    try:
        import psycopg  # noqa: F401
        import sqlalchemy
    except ImportError as e:
        raise StoreError("a postgresql:// database needs the postgres extra: pip install 'letopis[postgres]'") from e
    return sqlalchemy


def _url(url: str):
    return _require().engine.make_url(_SCHEMES.sub("postgresql+psycopg://", url, count=1))


def engine(url: str, read_only: bool = False):
    """The engine of `url` (one per URL and mode per process, so its pool is shared by every Store on it)."""
    key = (url, read_only)
    with _lock:
        if key not in _engines:
            sqlalchemy = _require()
            args = {"application_name": "letopis"}
            if read_only:
                args["options"] = "-c default_transaction_read_only=on"
            _engines[key] = sqlalchemy.create_engine(_url(url), isolation_level="AUTOCOMMIT", pool_pre_ping=True,
                                                     connect_args=args)
        return _engines[key]


@atexit.register
def dispose() -> None:
    """Close every pooled connection (at exit, and for tests that drop databases)."""
    with _lock:
        for e in _engines.values():
            e.dispose()
        _engines.clear()
        _catalogs.clear()
        _statements.clear()


def connect(url: str, read_only: bool = False, create: bool = True) -> PgConnection:
    """A connection to the database of `url`. A database that does not exist is created (as SQLite creates a missing
    file) when `create` and the user may; otherwise StoreError says what to do."""
    sqlalchemy = _require()
    try:
        return PgConnection(url, engine(url, read_only).connect())
    except sqlalchemy.exc.OperationalError as e:
        missing = "does not exist" in str(e.orig) and "database" in str(e.orig)
        if missing and create and not read_only:
            _create_database(url)
            return PgConnection(url, engine(url, read_only).connect())
        reason = str(e.orig).strip().splitlines()[0] if e.orig else str(e)
        hint = (f"create it (createdb {_url(url).database}) or pass another --db" if missing
                else "is the server running, and may this user connect?")
        raise StoreError(f"cannot connect to {display(url)}: {reason}; {hint}") from e


def _create_database(url: str) -> None:
    sqlalchemy = _require()
    u = _url(url)
    admin = sqlalchemy.create_engine(u.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as c:
            c.exec_driver_sql(f'CREATE DATABASE "{u.database.replace(chr(34), chr(34) * 2)}"')
    except sqlalchemy.exc.DBAPIError as e:
        reason = str(e.orig).strip().splitlines()[0] if e.orig else str(e)
        raise StoreError(f"database {u.database} does not exist at {display(url)} and cannot be created ({reason}): "
                         f"create it (createdb {u.database}) or pass another --db") from e
    finally:
        admin.dispose()


# ---------------------------------------------------------------------------------------------- rows

class Row(tuple):
    """A result row: a tuple that also answers `row["column"]`, `keys()` and `dict(row)` (as sqlite3.Row)."""

    __slots__ = ()
    _index: dict[str, int] = {}

    def __getitem__(self, key):
        if isinstance(key, str):
            return tuple.__getitem__(self, self._index[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._index)


@functools.lru_cache(maxsize=1024)
def _row_class(names: tuple[str, ...]) -> type[Row]:
    return type("Row", (Row,), {"__slots__": (), "_index": {n: i for i, n in enumerate(names)}})


def _row_factory(cursor):
    desc = cursor.description
    if desc is None:
        return tuple
    cls = _row_class(tuple(c.name for c in desc))
    return cls


class Cursor:
    """What `execute` returns: psycopg's cursor, with `lastrowid` (SQLite's) beside it. Inside a write transaction
    (pipeline mode) reading a result first waits for every statement sent before it."""

    __slots__ = ("_cur", "_conn", "lastrowid")

    def __init__(self, cur, conn: PgConnection, lastrowid: int | None = None):
        self._cur, self._conn, self.lastrowid = cur, conn, lastrowid

    def _ready(self):
        if self._conn._pipeline is not None:
            self._conn._pipeline.sync()
        return self._cur.description is not None

    def fetchone(self):
        return self._cur.fetchone() if self._ready() else None

    def fetchall(self) -> list:
        return self._cur.fetchall() if self._ready() else []

    def fetchmany(self, size: int = 1) -> list:
        return self._cur.fetchmany(size) if self._ready() else []

    def __iter__(self) -> Iterator:
        return iter(self._cur) if self._ready() else iter(())

    @property
    def rowcount(self) -> int:
        self._ready()
        return self._cur.rowcount

    @property
    def description(self):
        self._ready()
        return self._cur.description


# ---------------------------------------------------------------------------------------------- the connection

class PgConnection:
    """A pooled PostgreSQL connection that takes the project's SQLite SQL (see the module's docstring).

    A write transaction (`BEGIN IMMEDIATE` … `COMMIT`) runs in psycopg's pipeline mode: a statement is sent without
    waiting for its answer, and only reading a result (a SELECT's rows, `rowcount`, `lastrowid`) waits, for it and
    everything before it. The corpus stage writes many small rows (the dedup index's LSH buckets: one INSERT per band
    and passage), and a round trip each would triple an ingest's time on a server; SQLite has no round trips. An
    error surfaces at the next wait and rolls the whole transaction back, as any error inside it does.
    """

    dialect = "postgresql"

    def __init__(self, url: str, sa_connection):
        self.url = url
        self._sa = sa_connection
        self._raw = sa_connection.connection.driver_connection          # the psycopg connection
        self._raw.row_factory = _row_factory
        self._pipeline = self._pipeline_cm = None
        self.row_factory = None                                          # accepted, as on sqlite3; rows are Row

    # -- statements -----------------------------------------------------------------------------------

    def _statement(self, sql: str) -> Statement:
        """The PostgreSQL form of `sql`, translated once per process and database."""
        key = (sql, self.url)
        found = _statements.get(key)
        if found is None:
            if len(_statements) > 4096:
                _statements.clear()
            found = _statements[key] = translate(sql, self._table)
        return found

    def _table(self, name: str) -> Table:
        if self.url not in _catalogs:
            with self._unpipelined():                    # SQLAlchemy reads a result's columns at once
                _catalogs[self.url] = _reflect(self._sa)
        try:
            return _catalogs[self.url][name]
        except KeyError:
            raise KeyError(f"no table {name} in the schema of {display(self.url)}") from None

    def execute(self, sql: str, params: Sequence | None = ()) -> Cursor:
        word = sql.strip().rstrip(";").upper()
        if word in ("COMMIT", "END", "ROLLBACK") and self._pipeline is not None:
            return self._end(commit=word != "ROLLBACK")
        st = self._statement(sql)
        if st.write_lock:
            cur = self._raw.execute("BEGIN")
            self._raw.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
            self._pipeline_cm = self._raw.pipeline()
            self._pipeline = self._pipeline_cm.__enter__()
            return Cursor(cur, self)
        if st.returning:
            cur = self._raw.execute(st.returning, tuple(params or ()))
            row = Cursor(cur, self).fetchone()
            return Cursor(cur, self, row[0] if row else None)
        return Cursor(self._raw.execute(st.sql, tuple(params or ())), self)

    def executemany(self, sql: str, seq: Iterable[Sequence]) -> Cursor:
        rows = [tuple(p) for p in seq]
        cur = self._raw.cursor()
        if len(rows) == 1:                    # one row: a plain execute costs less than executemany's set-up
            cur.execute(self._statement(sql).sql, rows[0])
        elif rows:
            cur.executemany(self._statement(sql).sql, rows)
        return Cursor(cur, self)

    def _end(self, commit: bool) -> Cursor:
        """COMMIT (or ROLLBACK) a write transaction and leave pipeline mode; a pending error is raised on commit."""
        pipeline, self._pipeline = self._pipeline_cm, None
        if commit:
            try:
                cur = self._raw.execute("COMMIT")
                pipeline.__exit__(None, None, None)
            except BaseException:
                self._raw.execute("ROLLBACK")            # a no-op when the server already ended the transaction
                raise
            return Cursor(cur, self)
        try:
            pipeline.__exit__(None, None, None)
        except Exception:                                # the error that made the caller roll back
            pass
        return Cursor(self._raw.execute("ROLLBACK"), self)

    def executescript(self, sql: str) -> None:
        """Run a file of PostgreSQL statements as it is (a migration): no parameters, no translation. Several
        statements in one go need the simple protocol, so a write transaction leaves pipeline mode for it."""
        with self._unpipelined():
            self._raw.execute(sql.encode("utf-8"))

    @contextlib.contextmanager
    def _unpipelined(self) -> Iterator[None]:
        """Leave pipeline mode for a while (inside the same transaction)."""
        if self._pipeline is None:
            yield
            return
        self._pipeline_cm.__exit__(None, None, None)
        try:
            yield
        finally:
            self._pipeline_cm = self._raw.pipeline()
            self._pipeline = self._pipeline_cm.__enter__()

    @property
    def in_transaction(self) -> bool:
        from psycopg.pq import TransactionStatus

        return self._pipeline is not None or self._raw.info.transaction_status != TransactionStatus.IDLE

    def create_function(self, name: str, narg: int, func: Callable, deterministic: bool = False) -> None:
        """SQLite registers Python functions on its connection; the PostgreSQL schema defines them instead."""
        if name not in SQLITE_FUNCTIONS:
            raise StoreError(f"function {name} is not in the PostgreSQL schema: add it to a migration in "
                             "store/migrations/postgresql/ and to store.postgres.SQLITE_FUNCTIONS")

    def close(self) -> None:
        if self._pipeline is not None:
            self._end(commit=False)
        elif self.in_transaction:
            self._raw.rollback()
        self._sa.close()                                                 # back to the pool

    def invalidate_catalog(self) -> None:
        """Forget the tables read for the upsert rules (after a migration changed them)."""
        _catalogs.pop(self.url, None)
        for key in [k for k in _statements if k[1] == self.url]:
            _statements.pop(key, None)


def _reflect(sa_connection) -> dict[str, Table]:
    """Every table of the schema with its columns, primary key and identity columns (SQLAlchemy's inspector, one
    query per kind), read on the connection itself so that a migration's own uncommitted tables are seen."""
    sqlalchemy = _require()
    insp = sqlalchemy.inspect(sa_connection)
    columns, keys = insp.get_multi_columns(), insp.get_multi_pk_constraint()
    out = {}
    for (_, table), cols in columns.items():
        pk = keys.get((None, table)) or {}
        out[table] = Table(tuple(c["name"] for c in cols), tuple(pk.get("constrained_columns") or ()),
                           tuple(c["name"] for c in cols if c.get("identity")))
    return out
