"""The lists of the REST API that no store method gives whole: documents filtered by date and title, statements,
the located places, the counts, and the records of an event and an entity with their sublists. Plain functions
over an open `Store`, no HTTP.

Each list function returns `(total, rows of the page)`, read a page at a time from the store's indexes (store.paging,
store.statements, store.places). Dates compare as strings, so a partial date works as a bound ("2023-03" …
"2023-03-31"), as in the CLI.
"""
from __future__ import annotations

from ..corpus.stage import event_record
from ..errors import UnknownDocument
from ..store.corpus import CorpusTables
from ..store.counts import CorpusCounts
from ..store.keys import fold  # noqa: F401  (re-exported: the pages fold as the store does)
from ..store.places import PlacesTable
from ..store.sqlite import Store
from ..store.statements import StatementsTable

IN_LIST = 10         # an event in a list carries at most this many mentions and claims, an entity this many names
                     # and roles (the totals say how many)
DOCUMENTS = 100      # an entity's record lists this many of its articles at a time


# --- documents -------------------------------------------------------------------------------------------------

def documents(store: Store, since: str | None = None, until: str | None = None, q: str | None = None,
              limit: int = 50, offset: int = 0) -> tuple[int, list[dict]]:
    """Document summaries, newest first (as `letopis docs list`); `q` is part of the title or source name."""
    return store.documents_page(since, until, q, limit, offset)


def document(store: Store, doc_id: str, text: bool = True, extraction: bool = True) -> dict:
    """One document (an id or a unique prefix of one) with its sources and extraction; raises `UnknownDocument`."""
    doc = store.get_document(doc_id)
    record = doc.to_json()
    for key in ("body", "body_map"):
        record.pop(key, None)
    if not text:
        record["text"] = None
    record["sources"] = store.sources_of(doc.id)
    found = store.get_extraction(doc.id)
    record["extracted"] = {k: len(found.get(k) or ()) for k in
                           ("entities", "times", "figures", "statements", "events")} if found else None
    record["extraction"] = found if extraction else None
    return record


# --- statements ------------------------------------------------------------------------------------------------

def statements(store: Store, speaker: str | None = None, since: str | None = None, until: str | None = None,
               doc: str | None = None, q: str | None = None, limit: int = 50,
               offset: int = 0) -> tuple[int, list[dict]]:
    """Every statement of the stored extractions, oldest first, with its words. `speaker` is part of the speaker's
    name, `q` part of the words (ё = е, any case), `doc` a document id or a unique prefix of one."""
    if doc:
        try:
            doc = store.resolve_id(doc)
        except UnknownDocument:
            return 0, []
    return StatementsTable(store.db).page(speaker, since, until, doc, q, limit, offset)


# --- places ----------------------------------------------------------------------------------------------------

def places(store: Store, type_: str | None = None, since: str | None = None, until: str | None = None,
           country: str | None = None, place: str | None = None, limit: int = 50,
           offset: int = 0) -> tuple[int, list[dict]]:
    """The places with coordinates: where the (filtered) events happened, and the LOC entities the articles name,
    merged by canonical name and country; most events first. With an event filter (type, since, until) only the
    places of matching events are listed."""
    return PlacesTable(store.db).page(type_, since, until, country, place, limit, offset)


# --- counts ----------------------------------------------------------------------------------------------------

TABLES = ("documents", "document_sources", "ingest_errors", "extractions", "events", "event_mentions",
          "figure_claims", "corpus_entities")


def stats(store: Store) -> dict:
    """Rows by table, and the corpus by type, month and category: from the counts kept as it is written
    (store.counts), never by grouping the tables."""
    db = store.db
    counts = {t: db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES}
    counts["statements"] = StatementsTable(db).count()
    kept = CorpusCounts(db)
    months = kept.by("event_month")
    return {
        "counts": counts,
        "events_by_type": dict(kept.by("event_type")),
        "events_by_month": dict(sorted((m, n) for m, n in months if m)),
        "undated_events": kept.get("event_month", ""),
        "claims_by_category": dict(kept.by("claim_category")),
        "earliest": db.execute("SELECT MIN(published) FROM documents").fetchone()[0],
        "latest": db.execute("SELECT MAX(published) FROM documents").fetchone()[0],
    }


# --- one event, one entity -------------------------------------------------------------------------------------

def event_item(tables: CorpusTables, ev: dict, cap: int | None = None) -> dict:
    """The API record of an event: `letopis events`' line, with at most `cap` mentions and claims (None: all) and
    how many it has of each."""
    record = event_record(tables, ev, limit=cap)
    full = lambda items: cap is None or len(items) < cap  # noqa: E731  (then the list is whole)
    record["mentions_total"] = len(record["mentions"]) if full(record["mentions"]) else tables.count_mentions(ev["id"])
    record["figures_total"] = len(record["figures"]) if full(record["figures"]) else tables.count_claims(ev["id"])
    return record


def entity_item(record: dict, cap: int | None = None) -> dict:
    """An entity in a list: its `cap` (`IN_LIST`) most used names and first roles, and how many it has of each
    (every one: its own record)."""
    cap = IN_LIST if cap is None else cap
    names = sorted(record.get("names") or {}, key=lambda n: (-record["names"][n], n))[:cap]
    roles = record.get("roles") or []
    return record | {"names": {n: record["names"][n] for n in sorted(names)}, "roles": roles[:cap],
                     "names_total": len(record.get("names") or {}), "roles_total": len(roles)}


def entity(store: Store, entity_id: str, limit: int = DOCUMENTS, offset: int = 0) -> dict | None:
    """A corpus entity with a page of the articles that name it (oldest first) and how many there are, or None."""
    tables = CorpusTables(store.db)
    ent = tables.entity(entity_id)
    if ent is None:
        return None
    n_documents, n_mentions = store.db.execute("SELECT n_documents, n_mentions FROM corpus_entities WHERE id=?",
                                               (entity_id,)).fetchone()
    total, rows = tables.entity_documents_page(entity_id, limit, offset)
    record = ent.to_json()
    return record | {"n_documents": n_documents, "n_mentions": n_mentions,
                     "names_total": len(record["names"]), "roles_total": len(record["roles"]),
                     "documents": [{k: v for k, v in r.items() if k != "n_mentions"} for r in rows],
                     "documents_total": total}
