"""The corpus as every export reads it: events with their member mentions and figure claims, documents, entities —
each in the order of its stable id, and with nothing that depends on when or in what order articles were ingested.

A document's `source` here is the first (alphabetically) of the names it was read under, not the one that happened
to come first; an event is named after its first report, not after the mention that happened to open it, and its
mentions' reasons are said against the reports before them; a corpus entity is named after its first report too
(the key of the article's entity first by article date, document and local id), not after the article that
happened to introduce it; no ingest time is read. So the same inputs give the same export whatever the order of
the files.
"""
from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass, replace
from typing import Iterator

from ..corpus.clustering import compare
from ..corpus.entities import entity_id, fold
from ..corpus.ledger import Claim
from ..corpus.mentions import EventMention
from ..errors import LetopisError
from ..store.corpus import CorpusTables
from ..store.backend import backend_for
from ..store.corrections import CorrectionsTable
from ..store.sqlite import Store


class ExportError(LetopisError):
    """An export that cannot be written (no such database, a missing --output, a bad format)."""


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    id: str
    source: str                    # the alphabetically first name the text was read under
    sources: tuple[str, ...]       # every name, sorted
    format: str
    title: str | None
    published: str | None          # "YYYY-MM-DD", "YYYY-MM" or "YYYY"
    precision: str | None
    author: str | None
    url: str | None
    language: str | None
    encoding: str | None
    chars: int

    def to_json(self) -> dict:
        return {"id": self.id, "source": self.source, "sources": list(self.sources), "format": self.format,
                "title": self.title, "published": self.published, "precision": self.precision, "author": self.author,
                "url": self.url, "language": self.language, "encoding": self.encoding, "chars": self.chars}


@dataclass(frozen=True, slots=True)
class EventBundle:
    """One corpus event as the exports see it: its summary (the `events` row), member mentions, figure claims."""
    event: dict
    mentions: tuple[dict, ...]     # event_mentions rows (EventMention JSON + event_id, reason), by (doc, index)
    claims: tuple[Claim, ...]      # its figure claims, by (doc, index)

    @property
    def id(self) -> str:
        return self.event["id"]


def open_store(db: str | Store) -> Store:
    """The store at `db`; an export never creates a database."""
    if isinstance(db, Store):
        return db
    if db != ":memory:" and not backend_for(db).exists(db):
        raise ExportError(f"no database at {db}: run `letopis ingest PATH --db {db}` first, or pass another --db")
    return Store(db)


class CorpusReader:
    def __init__(self, store: Store):
        self.store = store
        self.tables = CorpusTables(store.db)
        self._articles: dict[str, tuple[str, dict]] = {}

    # -- documents ------------------------------------------------------------------------------------

    @functools.cached_property
    def _documents(self) -> dict[str, DocumentInfo]:
        sources: dict[str, list[str]] = {}
        for doc_id, source in self.store.db.execute("SELECT doc_id, source FROM document_sources"):
            sources.setdefault(doc_id, []).append(source)
        out = {}
        for r in self.store.db.execute(
                "SELECT id, source, format, title, published, precision, author, url, language, encoding,"
                " length(text) FROM documents ORDER BY id"):
            names = tuple(sorted(set(sources.get(r[0], [])) | {r[1]}))
            out[r[0]] = DocumentInfo(r[0], names[0], names, r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10])
        return out

    def documents(self) -> list[DocumentInfo]:
        return list(self._documents.values())

    def document(self, doc_id: str) -> DocumentInfo:
        return self._documents[doc_id]

    def source(self, doc_id: str) -> str:
        doc = self._documents.get(doc_id)
        return doc.source if doc else doc_id

    def published(self, doc_id: str) -> str | None:
        doc = self._documents.get(doc_id)
        return doc.published if doc else None

    def text(self, doc_id: str) -> str:
        return self._article(doc_id)[0]

    def extraction(self, doc_id: str) -> dict:
        return self._article(doc_id)[1]

    def _article(self, doc_id: str) -> tuple[str, dict]:
        """(text, extraction) of an article; the last few are kept (an event's mentions come from a handful)."""
        if doc_id not in self._articles:
            if len(self._articles) >= 64:
                self._articles.pop(next(iter(self._articles)))
            row = self.store.db.execute("SELECT text FROM documents WHERE id=?", (doc_id,)).fetchone()
            self._articles[doc_id] = (row[0] if row else "", self.store.get_extraction(doc_id) or {})
        return self._articles[doc_id]

    def extraction_event(self, doc_id: str, index: int) -> dict:
        """The event as the article's extraction gives it (spans of trigger, date, place, actors, targets)."""
        events = self.extraction(doc_id).get("events") or ()
        return events[index] if 0 <= index < len(events) else {}

    def entity_for(self, name: str) -> str | None:
        """The corpus entity whose name (or alias, any type) is exactly `name`, when just one is."""
        key = fold(name)
        ids = sorted({i for t in ("per", "org", "loc") for i in self.tables.entities_by_key(f"{t}:{key}")})
        return self.entity_export_id(ids[0]) if len(ids) == 1 else None

    # -- events, mentions, claims ---------------------------------------------------------------------

    @functools.cached_property
    def _export_ids(self) -> dict[str, str]:
        """Store event id → export id. The store names an event after the mention that happened to open it, which
        depends on the order articles came in; the export names it after its first report — the member mention
        first by (article date, document id, index), the order the corpus stage folds a batch in — so that ids
        agree with `letopis events` when the articles came in one batch or in date order, and never depend on it."""
        first: dict[str, tuple] = {}
        for eid, mid, doc_id, index, published in self.store.db.execute(
                "SELECT event_id, id, doc_id, json_extract(data, '$.index'), json_extract(data, '$.published')"
                " FROM event_mentions"):
            key = (published or "", doc_id, index, mid)
            if eid not in first or key < first[eid]:
                first[eid] = key
        return {eid: opened_by(key[3]) for eid, key in first.items()}

    def export_id(self, event_id: str | None) -> str | None:
        return self._export_ids.get(event_id, event_id) if event_id else None

    def events(self) -> Iterator[EventBundle]:
        """Every event in the order of its export id, with the export id in place of the store's everywhere, and
        each mention's reason said against the reports before it (`reasons`), not against the ingest order."""
        for export_id, eid in sorted((x, e) for e, x in self._export_ids.items()):
            event = self.tables.event(eid)
            if event is None:
                continue
            rows = self.tables.mention_rows(eid)
            why = reasons(rows)
            mentions = sorted((m | {"event_id": export_id, "reason": why[m["id"]]} for m in rows),
                              key=lambda m: (m["doc_id"], m["index"]))
            claims = sorted((replace(c, event_id=export_id) for c in self.tables.claims(event_id=eid)),
                            key=_claim_order)
            yield EventBundle(event | {"id": export_id}, tuple(mentions), tuple(claims))

    def mentions(self) -> list[dict]:
        return sorted((m for b in self.events() for m in b.mentions), key=lambda m: (m["doc_id"], m["index"]))

    def claims(self) -> list[Claim]:
        return sorted((replace(c, event_id=self.export_id(c.event_id)) for c in self.tables.claims()),
                      key=_claim_order)

    # -- corrections ----------------------------------------------------------------------------------

    @functools.cached_property
    def _corrections(self) -> dict[tuple[str, str], list[dict]]:
        """(target, id) → corrections oldest first, an event's under its export id."""
        out: dict[tuple[str, str], list[dict]] = {}
        for c in CorrectionsTable(self.store.db).page()[1]:
            target_id = self.export_id(c.target_id) if c.target == "event" else c.target_id
            out.setdefault((c.target, target_id), []).append(c.to_json() | {"target_id": target_id})
        return out

    def corrections_of(self, target: str, target_id: str) -> list[dict]:
        """Researchers' corrections of a claim, event (by export id) or statement, oldest first."""
        return self._corrections.get((target, target_id), [])

    def corrections(self) -> list[dict]:
        """Every correction, by id (an event's target_id is its export id)."""
        return sorted((c for cs in self._corrections.values() for c in cs), key=lambda c: c["id"])

    # -- entities -------------------------------------------------------------------------------------

    @functools.cached_property
    def _entity_export_ids(self) -> dict[str, str]:
        """Store entity id → export id. The store names an entity after the key of the article's entity that
        introduced it (corpus.entities.entity_id), which depends on the order articles came in; the export names it
        after the key of its first report — the link first by (article date, document id, local id), as events are
        named (`_export_ids`) — so that ids agree with `letopis entities` when the articles came in date order (not
        where a person absorbed an earlier one-word name: the store keeps the full name's id), and never depend on
        it. Links stored before migration 0007 have no key: such an entity keeps its store id."""
        first: dict[str, tuple] = {}
        for eid, type_, doc_id, local_id, key, published in self.store.db.execute(
                "SELECT m.entity_id, e.type, m.doc_id, m.local_id, m.key, d.published FROM entity_mentions m"
                " JOIN corpus_entities e ON e.id = m.entity_id LEFT JOIN documents d ON d.id = m.doc_id"):
            report = (published or "", doc_id, local_id, type_, key)
            if eid not in first or report < first[eid]:
                first[eid] = report
        out: dict[str, str] = {}
        taken: set[str] = set()
        for eid, (_, doc_id, local_id, type_, key) in sorted(first.items(), key=lambda kv: kv[1]):
            export = entity_id(type_, key) if key else eid
            if export in taken:          # two entities first reported under one key: the later by its report
                export = entity_id(type_, f"{key}|{doc_id}:{local_id}")
            taken.add(export)
            out[eid] = export
        return out

    def entity_export_id(self, entity_id: str) -> str:
        return self._entity_export_ids.get(entity_id, entity_id)

    def entities(self) -> Iterator[dict]:
        """Corpus entities in the order of their export id (in place of the store's), each with its documents
        (sorted) and mention count."""
        links: dict[str, list[tuple[str, int]]] = {}
        for eid, doc_id, n in self.store.db.execute("SELECT entity_id, doc_id, n_mentions FROM entity_mentions"):
            links.setdefault(eid, []).append((doc_id, n))
        rows = [json.loads(data) for (data,) in self.store.db.execute("SELECT data FROM corpus_entities")]
        for e in sorted(rows, key=lambda e: self.entity_export_id(e["id"])):
            docs = sorted(links.get(e["id"], []))
            yield e | {"id": self.entity_export_id(e["id"]), "documents": sorted({d for d, _ in docs}),
                       "n_mentions": sum(n for _, n in docs)}


def opened_by(mention_id: str) -> str:
    """The id the corpus stage gives an event its mention `mention_id` opened (corpus.clustering.event_id)."""
    return "ev-" + hashlib.sha256(mention_id.encode()).hexdigest()[:16]


def reasons(rows: list[dict]) -> dict[str, str]:
    """Why each member mention is in its event, independent of ingest order: the first report (by article date,
    document, index) is "first report"; each later one gets the reasons of its best match among the reports
    before it (corpus.clustering.compare), or "joined through other reports" when it matches none of them
    directly (the clustering compared it with members that were there when it came)."""
    ordered = [EventMention.from_json(r) for r in
               sorted(rows, key=lambda m: (m.get("published") or "", m["doc_id"], m["index"]))]
    out = {}
    for i, m in enumerate(ordered):
        if i == 0:
            out[m.id] = "first report"
            continue
        verdicts = [v for o in ordered[:i] if (v := compare(m, o)) is not None]
        out[m.id] = "; ".join(max(verdicts, key=lambda v: v.score).reasons) if verdicts else \
            "joined through other reports"
    return out


def _claim_order(c: Claim) -> tuple:
    return c.doc_id, c.index
