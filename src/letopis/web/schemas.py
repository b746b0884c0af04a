"""The shapes the REST API answers with, as pydantic models, so the OpenAPI document says what each field is.

The records are the same JSON as the CLI's (`letopis events`, `figures`, `entities`: CONTRACT.md, "Across
documents"); lists come as a `Page`: `{"items": [...], "total": N, "limit": L, "offset": O}`. Spans are `[start,
stop)` offsets into the article's original text (`GET /api/documents/{id}` gives it).
"""
from __future__ import annotations

import enum
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from ..annotate.figures import CATEGORIES
from ..extract.ontology import categories as plover_categories

T = TypeVar("T")
Span = Annotated[list[int], Field(min_length=2, max_length=2, description="[start, stop) into the article's text")]
Number = int | float


class _CaseInsensitive(str, enum.Enum):
    """A query-parameter enum that also takes the value in another case (`type=assault` as in the CLI)."""

    @classmethod
    def _missing_(cls, value):
        if isinstance(value, str):
            for member in cls:
                if member.value.lower() == value.lower():
                    return member
        return None


EventType = _CaseInsensitive("EventType", {c: c for c in plover_categories()})
FigureCategory = _CaseInsensitive("FigureCategory", {c: c for c in CATEGORIES})
EntityType = _CaseInsensitive("EntityType", {c: c for c in ("PER", "ORG", "LOC")})


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int = Field(description="how many items match the filters, on all pages")
    limit: int
    offset: int


# --- documents -------------------------------------------------------------------------------------------------

class DocumentSummary(BaseModel):
    id: str
    published: str | None = Field(description="YYYY-MM-DD, YYYY-MM or YYYY; null when the article has no date")
    precision: str | None
    format: str
    title: str | None
    source: str = Field(description="the name it was first ingested under")
    chars: int
    sources: int = Field(description="how many names (files, records) it was ingested under")


class Document(BaseModel):
    id: str
    source: str
    format: str
    title: str | None
    title_span: Span | None
    published: str | None
    precision: str | None
    author: str | None
    url: str | None
    language: str
    encoding: str
    ingested_at: str
    text: str | None = Field(description="the text exactly as decoded: every span points into it")
    sources: list[str]
    extracted: dict[str, int] | None = Field(description="how many entities, times, figures, statements, events")
    extraction: dict[str, Any] | None = Field(description="the extraction contract object (CONTRACT.md)")


# --- corrections -----------------------------------------------------------------------------------------------

class Correction(BaseModel):
    """A researcher's correction of a claim, event or statement, stored beside it (never over the extraction)."""
    id: str
    target: str = Field(description="claim, event or statement")
    target_id: str = Field(description="the claim's, event's or statement's id")
    kind: str = Field(description="wrong, value (a corrected value of `field`) or note")
    field: str | None = Field(description="kind value: the field corrected")
    value: Any = Field(description="kind value: the corrected value (null: the field should be empty)")
    note: str = Field(description="why")
    author: str = Field(description="who, as the researcher signed it")
    created_at: str = Field(description="when (UTC, the server's clock)")
    was: dict[str, Any] = Field(description="the item's correctable fields when it was corrected")


Corrections = Annotated[list[Correction], Field(default_factory=list, description=(
    "researchers' corrections of this item, oldest first (the item itself is as extracted)"))]


# --- events and the ledger -------------------------------------------------------------------------------------

class DateRange(BaseModel):
    model_config = ConfigDict(extra="allow")
    start: str | None = None
    end: str | None = None
    precision: str | None = None


class EventLocation(BaseModel):
    name: str | None
    country: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    precision: str | None
    geo_precision: int | None


class Mention(BaseModel):
    source: str
    doc_id: str
    span: Span
    trigger: str | None
    date: str | None
    place: str | None
    background: bool = Field(description="inside a paragraph shared with other articles")
    reason: str | None = Field(description="why it joined its event ('new' for the mention that opened it)")


class Claim(BaseModel):
    id: str
    category: str
    low: Number | None
    high: Number | None
    claimant: str | None = Field(description="who says so; null when the article states it itself")
    claimant_class: str
    claimant_entity: str | None
    claimed_on: str | None
    counts_to: str | None
    source: str
    doc_id: str
    span: Span
    text: str
    event: str | None
    background: bool
    corrections: Corrections


class Event(BaseModel):
    id: str
    type: str
    mode: str | None
    date: DateRange | None
    location: EventLocation | None
    country: str | None
    actors: list[str]
    targets: list[str]
    n_sources: int | None
    mentions: list[Mention] = Field(description="its mentions by id; in a list, the first 10")
    figures: list[Claim] = Field(description="its figure claims, oldest first; in a list, the first 10")
    mentions_total: int = Field(description="how many mentions it has (all of them: GET /api/events/{id})")
    figures_total: int = Field(description="how many figure claims it has")
    corrections: Corrections


# --- statements, entities, places --------------------------------------------------------------------------------

class Statement(BaseModel):
    id: str = Field(description="doc_id:index of the statement in the document's extraction")
    doc_id: str
    index: int
    source: str
    published: str | None
    span: Span
    speaker: str | None
    speaker_span: Span | None
    speaker_entity: str | None
    date: str | None = Field(description="the day the words were said, when the article says it")
    day: str | None = Field(description="the date the since/until filters use: `date`, else the article's date")
    kind: str | None
    verb: str | None
    text: str = Field(description="the words of the statement")
    corrections: Corrections


class Entity(BaseModel):
    id: str
    type: str
    name: str
    names: dict[str, int] = Field(description="every name seen, with how many articles used it; in a list, the 10 "
                                              "most used")
    roles: list[str] = Field(description="every role seen; in a list, the first 10")
    place: dict[str, Any] | None = Field(description="for a place: the gazetteer entry (canonical, country, lat, lon)")
    n_documents: int
    n_mentions: int
    names_total: int = Field(description="how many names it has")
    roles_total: int = Field(description="how many roles it has")


class EntityDocument(BaseModel):
    doc_id: str
    local_id: str = Field(description="the entity's id in that document's extraction")
    title: str | None
    source: str
    published: str | None


class EntityDetail(Entity):
    documents: list[EntityDocument] = Field(description="the articles naming it, oldest first: a page of them")
    documents_total: int = Field(description="how many (article, entity id in it) links it has, on all pages")


class Place(BaseModel):
    id: str
    name: str
    country: str | None
    admin1: str | None
    lat: float
    lon: float
    precision: str | None
    entity: str | None = Field(description="the LOC entity of this place, when one was resolved")
    n_events: int
    event_types: dict[str, int]
    n_documents: int = Field(description="articles naming the place (its LOC entity)")
    n_mentions: int


class SearchHit(BaseModel):
    """One hit of `letopis.search` (its record's `to_json()`); fields beyond these are passed through."""
    model_config = ConfigDict(extra="allow")
    id: str
    kind: str | None = None
    doc_id: str | None = None


class Stats(BaseModel):
    counts: dict[str, int] = Field(description="rows by table")
    events_by_type: dict[str, int]
    events_by_month: dict[str, int] = Field(
        description="YYYY-MM of the event's start; events dated only to a year, or undated, are left out")
    undated_events: int
    claims_by_category: dict[str, int]
    earliest: str | None = Field(description="the earliest article date")
    latest: str | None


# --- what the write endpoints take and answer ------------------------------------------------------------------

class CorrectionIn(BaseModel):
    """A correction to store: `kind` wrong or note with a `note`; kind value also names `field` and its `value`
    (claim: category, low, high, claimant, claimed_on; event: type, date_start, date_end, place, country;
    statement: speaker, date)."""
    model_config = ConfigDict(extra="forbid")
    target: Literal["claim", "event", "statement"]
    id: str = Field(min_length=1, max_length=200, description="the claim's, event's or statement's id")
    kind: Literal["wrong", "value", "note"]
    field: str | None = Field(None, max_length=40)
    value: Any = None
    note: str = Field(min_length=1, max_length=4000, description="why")
    author: str = Field(min_length=1, max_length=100, description="who")


class Rejected(BaseModel):
    source: str
    reason: str = Field(description="the reason code, as `letopis rejected` lists it")
    message: str
    at: str


class IngestResult(BaseModel):
    """What an upload did, as `letopis ingest` reports it."""
    read: int
    new: int
    duplicate: int
    extracted: int
    rejected: list[Rejected]
    events_new: int
    events_joined: int
    claims: int
    documents: list[str] = Field(description="the id of every document read from the upload, new or not")
