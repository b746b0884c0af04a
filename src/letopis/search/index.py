"""Writing the search index: the units of a document (letopis.search.units) with their terms, in `search_units`
and the FTS5 table `search_fts` over them (migration 0005_search.sql; triggers keep the two in step). On PostgreSQL
the same rows go to tsvector columns instead (letopis.search.postgres).

`index_documents(store, ids)` replaces the units of those documents, so calling it again (after a re-extraction,
or for nothing new) leaves the same index: it is idempotent. Call it after the corpus stage has folded the
documents in, so event places, claimants and corpus ids are there; without them the units still come from the
extraction, and a document without an extraction is indexed by its paragraphs alone.

Reading and analysing (`document_rows`) is apart from writing (`write_rows`), so a bulk load can compute rows in
several processes and write them in one.
"""
from __future__ import annotations

import bisect
import json
from dataclasses import dataclass
from typing import Iterable, Sequence

from ..store.sqlite import Store
from .analyzer import WORD, fold, terms
from .units import Unit, document_units, filter_value

BATCH = 200          # documents per write transaction: readers are never locked out for long

INSERT = ("INSERT INTO search_units (id, kind, unit_id, doc_id, start, stop, body_start, body_stop, date_start,"
          " date_end, type, event_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)")
TEXT_COLUMNS = "lemmas, stems, kind, types, places, entities, claimants"
INSERT_TEXT = f"INSERT INTO search_text (id, {TEXT_COLUMNS}) VALUES (?,?,?,?,?,?,?,?)"


@dataclass(frozen=True, slots=True)
class Rows:
    """The rows of one document: (search_units row, search_text row) of each unit, ids left out; its sources."""

    units: tuple[tuple[tuple, tuple], ...]
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class IndexReport:
    documents: int
    units: int
    missing: int = 0            # ids with no stored document: their units (if any) were dropped

    def to_json(self) -> dict:
        return {"documents": self.documents, "units": self.units, "missing": self.missing}


def index_documents(store: Store, doc_ids: Iterable[str]) -> IndexReport:
    """(Re)index the units of `doc_ids` from each document's text, its extraction and the corpus tables."""
    ids = list(dict.fromkeys(doc_ids))
    units = missing = 0
    for i in range(0, len(ids), BATCH):
        batch = [(doc_id, document_rows(store, doc_id)) for doc_id in ids[i:i + BATCH]]
        missing += sum(rows is None for _, rows in batch)
        units += write_rows(store, batch)
    return IndexReport(len(ids) - missing, units, missing)


def write_rows(store: Store, batch: Sequence[tuple[str, Rows | None]]) -> int:
    """Replace the units of each (doc_id, rows) in one transaction; None rows: the document is gone."""
    if store.backend.name == "postgresql":            # tsvector instead of FTS5: search.postgres
        from .postgres import write_rows as write_pg
        return write_pg(store, batch)
    db = store.db
    with store.transaction():
        for doc_id, _ in batch:
            db.execute("DELETE FROM search_units WHERE doc_id=?", (doc_id,))     # the trigger unindexes them
            db.execute("DELETE FROM search_sources WHERE doc_id=?", (doc_id,))
        db.executemany("INSERT OR IGNORE INTO search_sources (doc_id, name) VALUES (?,?)",
                       [(doc_id, name) for doc_id, rows in batch if rows for name in rows.sources])
        last = db.execute("SELECT MAX(COALESCE((SELECT MAX(id) FROM search_units), 0),"
                          " COALESCE((SELECT MAX(id) FROM search_text), 0))").fetchone()[0]
        units = list(enumerate((row for _, r in batch if r for row in r.units), start=last + 1))
        db.executemany(INSERT, [(i, *unit) for i, (unit, _) in units])
        db.executemany(INSERT_TEXT, [(i, *text) for i, (_, text) in units])
        db.execute(f"INSERT INTO search_fts (rowid, {TEXT_COLUMNS}) SELECT id, {TEXT_COLUMNS} FROM search_text "
                   "WHERE id > ?", (last,))
    return len(units)


def reindex(store: Store) -> IndexReport:
    """Drop the whole index and index every stored document again."""
    if store.backend.name == "postgresql":
        from .postgres import clear
        clear(store)
        return index_documents(store, [r[0] for r in store.db.execute("SELECT id FROM documents ORDER BY id")])
    with store.transaction():
        store.db.execute("INSERT INTO search_fts (search_fts) VALUES ('delete-all')")
        store.db.execute("DELETE FROM search_text")
        store.db.execute("DELETE FROM search_sources")
        store.db.execute("DELETE FROM search_units")          # the trigger finds no terms left to unindex
    return index_documents(store, [r[0] for r in store.db.execute("SELECT id FROM documents ORDER BY id")])


def index_missing(store: Store) -> IndexReport:
    """Index the documents never indexed (a database ingested before search existed, or indexed before its sources
    were kept): every indexed document has at least one row in search_sources, its own source name."""
    ids = [r[0] for r in store.db.execute(
        "SELECT id FROM documents d WHERE NOT EXISTS (SELECT 1 FROM search_sources s WHERE s.doc_id = d.id)"
        " ORDER BY id")]
    return index_documents(store, ids)


def optimize(store: Store) -> None:
    """Merge the FTS5 index segments into one (after a bulk load; queries get a little faster)."""
    if store.backend.name == "postgresql":
        from .postgres import optimize as analyze
        return analyze(store)
    with store.transaction():
        store.db.execute("INSERT INTO search_fts (search_fts) VALUES ('optimize')")


# ---------------------------------------------------------------------------------------------- rows

def document_rows(store: Store, doc_id: str) -> Rows | None:
    """What the index holds of one document (None when no such document is stored)."""
    if not store.has_document(doc_id):
        return None
    doc = store.get_document(doc_id)
    db = store.db
    mentions = {_index(r[0]): json.loads(r[1]) for r in db.execute(
        "SELECT id, data FROM event_mentions WHERE doc_id=?", (doc_id,))}
    claims = {_index(r[0]): json.loads(r[1]) for r in db.execute(
        "SELECT id, data FROM figure_claims WHERE doc_id=?", (doc_id,))}
    entity_ids = dict(db.execute("SELECT local_id, entity_id FROM entity_mentions WHERE doc_id=?", (doc_id,)))
    units = document_units(doc, store.get_extraction(doc_id), mentions, claims, entity_ids)
    terms = _BodyTerms(doc.body)
    sources = tuple(dict.fromkeys(fold(n) for n in [*store.sources_of(doc_id), doc.source, doc.url] if n))
    return Rows(tuple(unit_rows(u, *terms.of(u.body_span)) for u in units), sources)


def unit_rows(u: Unit, lemmas: str, stems: str) -> tuple[tuple, tuple]:
    """The search_units row and the search_text row of a unit (INSERT's and INSERT_TEXT's columns after the id)."""
    types = tuple(dict.fromkeys(t.upper() for t in u.types if t))
    return ((u.kind, u.unit_id, u.doc_id, u.span[0], u.span[1], u.body_span[0], u.body_span[1], u.date_start,
             u.date_end, " ".join(types), u.event_id),
            (lemmas, stems, u.kind, " ".join(types).lower(), filter_value(u.places), filter_value(u.entities),
             filter_value(u.claimants)))


class _BodyTerms:
    """The words of a body analysed once; a unit takes the words that lie wholly inside its span."""

    def __init__(self, body: str):
        found = list(WORD.finditer(body))
        self.starts = [m.start() for m in found]
        self.stops = [m.end() for m in found]
        pairs = [terms(m.group()) for m in found]
        self.lemmas = [p[0] for p in pairs]
        self.stems = [p[1] for p in pairs]

    def of(self, span: tuple[int, int]) -> tuple[str, str]:
        i = bisect.bisect_left(self.starts, span[0])
        j = bisect.bisect_right(self.stops, span[1], lo=i)
        return " ".join(self.lemmas[i:j]), " ".join(self.stems[i:j])


def _index(unit_id: str) -> int:
    return int(unit_id.rsplit(":", 1)[1])


