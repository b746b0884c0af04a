"""The REST API under `/api/`: JSON reads of the store, with the CLI's filters as query parameters (the endpoints
that write, off without a token, are in `writes.py`).

    GET /api/events?type=PROTEST&since=2023-02&country=KZ&limit=20&offset=40
    → {"items": [{"id": "ev-…", "type": "PROTEST", …}], "total": 57, "limit": 20, "offset": 40}

Every list is a `Page` (`items`, `total`, `limit` ≤ 500, default 50, `offset`); an unknown id answers 404 with a
JSON `detail`, a bad parameter (a date that is not YYYY[-MM[-DD]], an unknown event type, limit 0) answers 422.
Claims, events and statements come with the researchers' `corrections` of them (`web/corrections.py`).
"""
from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query

from ..corpus.stage import claim_record
from ..errors import LetopisError, UnknownDocument
from ..store.corpus import CorpusTables
from ..store.corrections import CorrectionsTable
from ..store.sqlite import Store
from . import corrections as corrected
from . import reads, schemas
from .deps import get_store

router = APIRouter(tags=["api"])

DATE = r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"
Limit = Annotated[int, Query(ge=1, le=500, description="at most this many items (1–500)")]
Offset = Annotated[int, Query(ge=0, le=2**31, description="skip this many items")]
Since = Annotated[str | None, Query(pattern=DATE, description="on or after YYYY[-MM[-DD]]")]
Until = Annotated[str | None, Query(pattern=DATE, description="on or before YYYY[-MM[-DD]] (the whole month or "
                                                              "year when partial)")]
Text = Annotated[str | None, Query(min_length=1, max_length=200)]
Type = Annotated[schemas.EventType | None, Query(description="PLOVER category, e.g. ASSAULT (any case)")]
Country = Annotated[str | None, Query(pattern=r"^[A-Za-z]{2}$", description="ISO 3166 code, e.g. KZ")]
Id = Annotated[str, Path(min_length=1, max_length=200)]
StoreDep = Annotated[Store, Depends(get_store)]
NOT_FOUND = {404: {"description": "no such id", "content": {"application/json": {"example": {"detail": "…"}}}}}


def _page(items: list, total: int, limit: int, offset: int) -> dict:
    return {"items": items, "total": total, "limit": limit, "offset": offset}


def _value(e) -> str | None:
    return e.value if e is not None else None


@router.get("/documents", response_model=schemas.Page[schemas.DocumentSummary])
def documents(store: StoreDep, since: Since = None, until: Until = None,
              q: Annotated[str | None, Query(min_length=1, max_length=200,
                                             description="part of the title or source name")] = None,
              limit: Limit = 50, offset: Offset = 0) -> dict:
    """Stored articles, newest first (`letopis docs list`)."""
    total, rows = reads.documents(store, since, until, q, limit, offset)
    return _page(rows, total, limit, offset)


@router.get("/documents/{doc_id}", response_model=schemas.Document, responses=NOT_FOUND)
def document(store: StoreDep, doc_id: Id,
             text: Annotated[bool, Query(description="include the text")] = True,
             extraction: Annotated[bool, Query(description="include the extraction contract object")] = True) -> dict:
    """One article (its id or a unique prefix of it) with its sources and extraction (`letopis docs show`)."""
    try:
        return reads.document(store, doc_id, text, extraction)
    except UnknownDocument as e:
        raise HTTPException(404, str(e)) from None


@router.get("/events", response_model=schemas.Page[schemas.Event])
def events(store: StoreDep, type: Type = None, since: Since = None, until: Until = None,
           place: Annotated[str | None, Query(min_length=1, max_length=200, description="part of a place name")] = None,
           country: Country = None,
           entity: Annotated[str | None, Query(min_length=1, max_length=200,
                                               description="part of an actor or target name")] = None,
           limit: Limit = 50, offset: Offset = 0) -> dict:
    """Real-world events, oldest first, each with its first mentions and figure claims (at most 10 of each;
    `mentions_total` and `figures_total` say how many it has, `/api/events/{id}` lists them all) (`letopis
    events`)."""
    tables = CorpusTables(store.db)
    total, rows = tables.events_page(_value(type), since, until, place, country, entity, limit, offset)
    items = [reads.event_item(tables, ev, reads.IN_LIST) for ev in rows]
    return _page(corrected.attach_events(store, items), total, limit, offset)


@router.get("/events/{event_id}", response_model=schemas.Event, responses=NOT_FOUND)
def event(store: StoreDep, event_id: Id) -> dict:
    """One event with every mention and figure claim."""
    tables = CorpusTables(store.db)
    ev = tables.event(event_id)
    if ev is None:
        raise HTTPException(404, f"no event with id {event_id!r}: see /api/events for ids")
    return corrected.attach_events(store, [reads.event_item(tables, ev)])[0]


@router.get("/figures", response_model=schemas.Page[schemas.Claim])
def figures(store: StoreDep,
            category: Annotated[schemas.FigureCategory | None, Query(description="killed, injured, …")] = None,
            claimant: Annotated[str | None, Query(min_length=1, max_length=200, description=(
                "part of a claimant's name, or a class: authorities, rights-groups, media, witnesses, "
                "international, organisations, article"))] = None,
            event: Annotated[str | None, Query(min_length=1, max_length=200, description="an event id")] = None,
            doc: Annotated[str | None, Query(min_length=1, max_length=200, description="a document id")] = None,
            since: Since = None, until: Until = None, limit: Limit = 50, offset: Offset = 0) -> dict:
    """The figure ledger: every claim with its claimant and the day it was claimed, oldest first (`letopis
    figures`)."""
    if doc:
        try:
            doc = store.resolve_id(doc)
        except UnknownDocument:
            return _page([], 0, limit, offset)
    total, claims = CorpusTables(store.db).claims_page(_value(category), claimant, event, since, until, doc,
                                                       limit=limit, offset=offset)
    items = [claim_record(c) for c in claims]
    return _page(corrected.attach(store, "claim", items), total, limit, offset)


@router.get("/statements", response_model=schemas.Page[schemas.Statement])
def statements(store: StoreDep,
               speaker: Annotated[str | None, Query(min_length=1, max_length=200,
                                                    description="part of the speaker's name")] = None,
               since: Since = None, until: Until = None,
               doc: Annotated[str | None, Query(min_length=1, max_length=200, description="a document id")] = None,
               q: Annotated[str | None, Query(min_length=1, max_length=200, description="part of the words")] = None,
               limit: Limit = 50, offset: Offset = 0) -> dict:
    """Who said what, when: every statement of the stored articles with its words, oldest first."""
    total, rows = reads.statements(store, speaker, since, until, doc, q, limit, offset)
    return _page(corrected.attach(store, "statement", rows), total, limit, offset)


@router.get("/entities", response_model=schemas.Page[schemas.Entity])
def entities(store: StoreDep,
             type: Annotated[schemas.EntityType | None, Query(description="PER, ORG or LOC")] = None,
             name: Annotated[str | None, Query(min_length=1, max_length=200, description="part of a name")] = None,
             limit: Limit = 50, offset: Offset = 0) -> dict:
    """People, organisations and places resolved across articles, most widely reported first (`letopis
    entities`); each with its 10 most used names and first 10 roles (`names_total`, `roles_total`: how many)."""
    total, rows = CorpusTables(store.db).entities_page(_value(type), name, limit, offset)
    return _page([reads.entity_item(e) for e in rows], total, limit, offset)


@router.get("/entities/{entity_id}", response_model=schemas.EntityDetail, responses=NOT_FOUND)
def entity(store: StoreDep, entity_id: Id,
           limit: Annotated[int, Query(ge=1, le=500, description="at most this many of its articles (1–500)")] = 100,
           offset: Offset = 0) -> dict:
    """One entity with every name and role seen and the articles that name it, oldest first: `limit` of them from
    `offset` on (`documents_total` says how many there are)."""
    found = reads.entity(store, entity_id, limit, offset)
    if found is None:
        raise HTTPException(404, f"no entity with id {entity_id!r}: see /api/entities for ids")
    return found


@router.get("/places", response_model=schemas.Page[schemas.Place])
def places(store: StoreDep, type: Type = None, since: Since = None, until: Until = None, country: Country = None,
           place: Annotated[str | None, Query(min_length=1, max_length=200, description="part of the name")] = None,
           limit: Limit = 50, offset: Offset = 0) -> dict:
    """Places with coordinates: where events happened and the places articles name, with counts."""
    total, rows = reads.places(store, _value(type), since, until, country, place, limit, offset)
    return _page(rows, total, limit, offset)


@router.get("/search", response_model=schemas.Page[schemas.SearchHit],
            responses={503: {"description": "the search index is not available"}})
def search(store: StoreDep,
           q: Annotated[str, Query(min_length=1, max_length=500, description=(
               'words (any form: погиб finds погибших), "a phrase", -excluded'))],
           kind: Annotated[str | None, Query(pattern=r"^[a-z]+$", max_length=20,
                                             description="paragraph, event, statement or figure")] = None,
           since: Since = None, until: Until = None, type: Type = None,
           place: Text = None, entity: Text = None, claimant: Text = None,
           source: Annotated[str | None, Query(min_length=1, max_length=200,
                                               description="part of the source name")] = None,
           limit: Limit = 50, offset: Offset = 0) -> dict:
    """Full-text search with Russian morphology over article paragraphs, events, statements and figures; each hit
    with its span and a snippet whose matching words are marked."""
    try:
        from ..search import search as run_search
    except ImportError as e:             # the search package is missing or incomplete
        if (e.name or "").startswith("letopis.search"):
            raise HTTPException(503, f"search is not available in this installation: {e}") from None
        raise
    try:
        found = run_search(store, q, kind=kind, since=since, until=until, type=_value(type), place=place,
                           entity=entity, claimant=claimant, source=source, limit=limit, offset=offset)
    except LetopisError as e:
        raise HTTPException(422, str(e)) from None
    return _page([hit.to_json() for hit in found.items], found.total, limit, offset)


@router.get("/stats", response_model=schemas.Stats)
def stats(store: StoreDep) -> dict:
    """Counts: rows by table, events by type and by month, figure claims by category."""
    return reads.stats(store)


@router.get("/corrections", response_model=schemas.Page[schemas.Correction])
def corrections(store: StoreDep,
                target: Annotated[Literal["claim", "event", "statement"] | None, Query(
                    description="only corrections of claims, events or statements")] = None,
                target_id: Annotated[str | None, Query(min_length=1, max_length=200,
                                                       description="only those of this item")] = None,
                author: Annotated[str | None, Query(min_length=1, max_length=100,
                                                    description="part of the author's name")] = None,
                limit: Limit = 50, offset: Offset = 0) -> dict:
    """Researchers' corrections of claims, events and statements, oldest first (each also comes with its item)."""
    total, rows = CorrectionsTable(store.db).page(target, target_id, author, limit, offset)
    return _page([c.to_json() for c in rows], total, limit, offset)
