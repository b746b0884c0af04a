"""The store: SQLite in WAL mode (a file path, the embedded default) or PostgreSQL (a database URL, the team store;
store.backend), numbered migrations, records keyed by content hash.

Re-ingesting is idempotent: a document already stored under its content hash is not written again; the new
name it came under is recorded as another source of it. Rejected inputs are kept with their reason.
"""
from __future__ import annotations

import json
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ..errors import StoreError, UnknownDocument
from ..ingest.base import Rejection
from ..ingest.document import Document, OffsetMap, PartialDate
from .backend import backend_for, migrations, statements as _statements  # noqa: F401  (re-exported)
from .keys import fold
from .paging import by_ids, nulls_last
from .statements import StatementsTable

DEFAULT_DB = "letopis.db"


@dataclass(frozen=True, slots=True)
class Status:
    path: str
    schema_version: int
    documents: int
    sources: int
    rejected: int
    extracted: int
    by_format: tuple[tuple[str, int], ...]
    by_reason: tuple[tuple[str, int], ...]
    earliest: str | None
    latest: str | None

    def to_json(self) -> dict:
        return {
            "db": self.path, "schema_version": self.schema_version, "documents": self.documents,
            "sources": self.sources, "rejected": self.rejected, "extracted": self.extracted,
            "by_format": dict(self.by_format), "rejected_by_reason": dict(self.by_reason),
            "earliest": self.earliest, "latest": self.latest,
        }


class Store:
    """A letopis database: a SQLite file path, or a postgresql:// URL. Use as a context manager or call `close()`."""

    def __init__(self, path: str | Path = DEFAULT_DB):
        self.path = str(path)
        self.backend = backend_for(self.path)
        try:
            self.db = self.backend.connect(self.path)
        except self.backend.errors as e:
            raise StoreError(f"cannot open {self.backend.describe(self.path)} as a letopis database: {e}") from e
        try:
            self.migrate()
        except self.backend.errors as e:
            self.db.close()
            raise StoreError(f"cannot open {self.backend.describe(self.path)} as a letopis database: {e}") from e

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    # -- schema ---------------------------------------------------------------------------------------

    def schema_version(self) -> int:
        # created only when missing: a read-only connection (the web server's) may ask too
        found = self.db.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='schema_migrations'")
        if not found.fetchone():
            self.db.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT,"
                            " applied_at TEXT)")
        row = self.db.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
        return row[0] or 0

    def migrate(self) -> int:
        current = self.schema_version()
        for version, name, sql in self.backend.migrations():
            if version <= current:
                continue
            with self.transaction():
                if self.db.execute("SELECT 1 FROM schema_migrations WHERE version=?", (version,)).fetchone():
                    continue                             # another process applied it meanwhile
                self.backend.apply(self.db, sql)
                self.db.execute(
                    "INSERT INTO schema_migrations VALUES (?, ?, datetime('now'))", (version, name))
            current = version
        return current

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction; nested calls join the outer one."""
        if self.db.in_transaction:
            yield
            return
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # -- writes ---------------------------------------------------------------------------------------

    def add_document(self, doc: Document) -> bool:
        """Store `doc`; True when it is new, False when the same text was already stored (its source is added)."""
        with self.transaction():
            cur = self.db.execute(
                "INSERT OR IGNORE INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (doc.id, doc.source, doc.format, doc.title,
                 doc.title_span[0] if doc.title_span else None, doc.title_span[1] if doc.title_span else None,
                 str(doc.published) if doc.published else None, doc.precision, doc.author, doc.url,
                 doc.language, doc.encoding, doc.text, doc.body, json.dumps(doc.body_map.to_json()),
                 doc.ingested_at),
            )
            self.db.execute(
                "INSERT OR IGNORE INTO document_sources VALUES (?,?,?,?)",
                (doc.id, doc.source, doc.encoding, doc.ingested_at))
        return cur.rowcount == 1

    def add_rejection(self, rej: Rejection) -> None:
        with self.transaction():
            self.db.execute(
                """INSERT INTO ingest_errors (source, reason, message, first_seen, last_seen) VALUES (?,?,?,?,?)
                   ON CONFLICT (source, reason) DO UPDATE SET message=excluded.message,
                   last_seen=excluded.last_seen, times=ingest_errors.times+1""",
                (self.backend.storable(rej.source), rej.reason, self.backend.storable(rej.message), rej.at, rej.at))

    def refusal(self, doc: Document) -> Rejection | None:
        """The rejection of `doc` when this store cannot hold it as it is (PostgreSQL and a NUL character), else None."""
        reason = self.backend.refusal(doc)
        return Rejection(doc.source, "binary", reason, doc.ingested_at) if reason else None

    def put_extraction(self, doc_id: str, version: str, data: dict, at: str) -> None:
        """Store a document's extraction, and its statements as rows of their own (store.statements)."""
        with self.transaction():
            self.db.execute(
                "INSERT OR REPLACE INTO extractions VALUES (?,?,?,?)",
                (doc_id, version, json.dumps(data, ensure_ascii=False), at))
            StatementsTable(self.db).put(doc_id, data)

    # -- reads ----------------------------------------------------------------------------------------

    def has_document(self, doc_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM documents WHERE id=?", (doc_id,)).fetchone() is not None

    def resolve_id(self, doc_id: str) -> str:
        """A full id from an id or a unique prefix of one (with or without "doc-")."""
        if not doc_id.startswith("doc-"):
            doc_id = "doc-" + doc_id
        rows = self.db.execute(
            "SELECT id FROM documents WHERE id >= ? AND id < ? LIMIT 2", (doc_id, doc_id + "\uffff")).fetchall()
        if len(rows) != 1:
            what = "no document" if not rows else "more than one document"
            raise UnknownDocument(f"{what} with id {doc_id!r}: see `letopis docs list` for ids")
        return rows[0][0]

    def get_document(self, doc_id: str) -> Document:
        row = self.db.execute("SELECT * FROM documents WHERE id=?", (self.resolve_id(doc_id),)).fetchone()
        return _document(row)

    def sources_of(self, doc_id: str) -> list[str]:
        rows = self.db.execute(
            "SELECT source FROM document_sources WHERE doc_id=? ORDER BY first_seen, source", (doc_id,))
        return [r[0] for r in rows]

    def list_documents(self, limit: int | None = None, offset: int = 0) -> list[dict]:
        """Document summaries (no text), newest publication first, undated last."""
        return self.documents_page(limit=limit, offset=offset)[1]

    def documents_page(self, since: str | None = None, until: str | None = None, q: str | None = None,
                       limit: int | None = None, offset: int = 0) -> tuple[int, list[dict]]:
        """(how many match, the page of their summaries), newest publication first, undated last. Dates compare as
        strings, so a partial date works as a bound ("2023-03" … "2023-03-31"); `q` is part of the title or source
        name (any case, ё = е)."""
        where, args = [], []
        if since:
            where.append("published >= ?")
            args.append(since)
        if until:
            where.append("published <= ?")
            args.append(until + "\uffff")
        if q:
            where.append("instr(letopis_fold(title), ?) > 0 OR instr(letopis_fold(source), ?) > 0")
            args += [fold(q), fold(q)]
        total, ids = nulls_last(self.db, "documents", where, args, "published", "id", limit, offset, desc=True)
        found = by_ids(self.db, """SELECT d.id, d.published, d.precision, d.format, d.title, d.source,
                                          length(d.text) AS chars,
                                          (SELECT COUNT(*) FROM document_sources s WHERE s.doc_id=d.id) AS sources
                                   FROM documents d WHERE d.id IN ({})""", [r[0] for r in ids])
        return total, [dict(found[r[0]]) for r in ids]

    def iter_documents(self) -> Iterator[Document]:
        for row in self.db.execute("SELECT * FROM documents ORDER BY id"):
            yield _document(row)

    def get_extraction(self, doc_id: str) -> dict | None:
        row = self.db.execute("SELECT data FROM extractions WHERE doc_id=?", (doc_id,)).fetchone()
        return json.loads(row[0]) if row else None

    def extraction_version(self, doc_id: str) -> str | None:
        row = self.db.execute("SELECT version FROM extractions WHERE doc_id=?", (doc_id,)).fetchone()
        return row[0] if row else None

    def rejections(self) -> list[dict]:
        rows = self.db.execute(
            "SELECT source, reason, message, last_seen, times FROM ingest_errors ORDER BY last_seen DESC, source, reason")
        return [dict(r) for r in rows]

    def status(self) -> Status:
        q = lambda sql: self.db.execute(sql).fetchone()[0]  # noqa: E731
        return Status(
            path=self.backend.describe(self.path),
            schema_version=self.schema_version(),
            documents=q("SELECT COUNT(*) FROM documents"),
            sources=q("SELECT COUNT(*) FROM document_sources"),
            rejected=q("SELECT COUNT(*) FROM ingest_errors"),
            extracted=q("SELECT COUNT(*) FROM extractions"),
            by_format=tuple(self.db.execute(
                "SELECT format, COUNT(*) FROM documents GROUP BY format ORDER BY 2 DESC, 1").fetchall()),
            by_reason=tuple(self.db.execute(
                "SELECT reason, COUNT(*) FROM ingest_errors GROUP BY reason ORDER BY 2 DESC, 1").fetchall()),
            earliest=q("SELECT MIN(published) FROM documents"),
            latest=q("SELECT MAX(published) FROM documents"),
        )


def _document(row: sqlite3.Row) -> Document:
    span = (row["title_start"], row["title_stop"]) if row["title_start"] is not None else None
    return Document(
        id=row["id"], source=row["source"], format=row["format"], text=row["text"], body=row["body"],
        body_map=OffsetMap.from_json(json.loads(row["body_map"])), title=row["title"], title_span=span,
        published=PartialDate.parse(row["published"]), author=row["author"], url=row["url"],
        language=row["language"], encoding=row["encoding"], ingested_at=row["ingested_at"],
    )
