"""Reading the search index: `search(store, q, filters…) -> SearchPage`, best matches first (BM25), each hit with
its passage and the matching words marked. Read-only: safe on a store another process is ingesting into.

Filters: `kind` (paragraph, event, statement, figure; several comma-separated), `since`/`until` (YYYY[-MM[-DD]]:
units whose dates overlap), `type` (a PLOVER type: the unit's events), `place`, `entity`, `claimant` (each word in
any form, as the start of a word of a name: "Токаева" finds "Касым-Жомарт Токаев"; a corpus id such as "ent-…"
exactly; a claimant class such as "rights-groups"), `source` (part of a source name or url: "examples/07",
"example.org/news"). Kind, type and the names are terms of the FTS index; dates and sources are tested on its
matches. A query with no words lists the units that pass the filters, newest first; exclusions alone list them minus
the excluded.

Ranking cost grows with the number of matches, so a query matching more than RANK_WINDOW units (a stop word, the
commonest words of a large corpus) ranks about the RANK_WINDOW most recently indexed of them (a rowid range sized by
the share of units that match); `total` still counts all, and the full set is ranked whenever the window holds too
few hits for the page (selective date filters, deep pages).
"""
from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass

from ..errors import LetopisError
from ..ingest.document import OffsetMap
from ..store.sqlite import Store
from .analyzer import fold, words
from .snippet import Piece, highlight
from .syntax import Query, exclude_expr, include_expr, parse
from .units import KINDS

Span = tuple[int, int]
WEIGHTS = (1.0, 0.6)          # BM25 weight of the lemma and the stem column: a lemma match counts more
RANK_WINDOW = 5_000           # a query matching more units ranks the most recently indexed this many (see search)
WALK_FROM = 2_000             # a listing with more index matches walks the units by date instead of sorting them
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_CORPUS_ID = re.compile(r"^(ent|ev|doc)-[0-9a-f]+$")


class SearchError(LetopisError, ValueError):
    """A filter value search cannot use (an unknown kind, a malformed date)."""


@dataclass(frozen=True, slots=True)
class SearchHit:
    kind: str
    id: str                        # the unit: doc_id + ":p3" (paragraph), ":e0" (event), ":s0", ":f0"
    doc_id: str
    title: str | None
    source: str
    date: str | None               # the unit's day (or the start of its period), else the article's
    date_end: str | None
    span: Span                     # the unit's words in the document text
    passage: Span                  # the words searched, in the document text (a figure's: its sentence)
    snippet: tuple[Piece, ...]     # the passage, matches marked; plain text
    marks: tuple[Span, ...]        # every match in the unit, as spans into the document text
    score: float                   # higher is better (negated BM25); 0 for a listing without words
    types: tuple[str, ...] = ()
    event_id: str | None = None    # the corpus event of an event mention or a figure claim

    def to_json(self) -> dict:
        return {"kind": self.kind, "id": self.id, "doc_id": self.doc_id, "title": self.title, "source": self.source,
                "date": self.date, "date_end": self.date_end, "span": list(self.span), "passage": list(self.passage),
                "snippet": [p.to_json() for p in self.snippet], "marks": [list(m) for m in self.marks],
                "score": self.score, "types": list(self.types), "event_id": self.event_id}


@dataclass(frozen=True, slots=True)
class SearchPage:
    query: str
    total: int
    offset: int
    limit: int
    items: tuple[SearchHit, ...]

    def to_json(self) -> dict:
        return {"query": self.query, "total": self.total, "offset": self.offset, "limit": self.limit,
                "items": [h.to_json() for h in self.items]}


def search(store: Store, q: str | None, kind: str | None = None, since: str | None = None, until: str | None = None,
           type: str | None = None, place: str | None = None, entity: str | None = None, claimant: str | None = None,
           source: str | None = None, limit: int = 20, offset: int = 0) -> SearchPage:
    query = parse(q)
    f = _filters(kind, since, until, type, place, entity, claimant, source)
    limit, offset = max(int(limit), 0), max(int(offset), 0)
    try:
        if store.backend.name == "postgresql":         # tsvector instead of FTS5: search.postgres
            from .postgres import find
            total, rows = find(store.db, query, f, limit, offset)
        elif query.include:
            total, rows = _ranked(store.db, query, f, limit, offset)
        elif f.fts:
            total, rows = _listed_by_index(store.db, query, f, limit, offset)
        else:
            total, rows = _listed(store.db, query, f, limit, offset)
    except sqlite3.OperationalError as e:           # the expression is built from quoted terms: not the user's fault
        raise SearchError(f"search failed on {q!r}: {e}") from e
    return SearchPage(q or "", total, offset, limit, tuple(_hits(store.db, rows, query.clauses)))


# ---------------------------------------------------------------------------------------------- filters

@dataclass(frozen=True, slots=True)
class _Filters:
    fts: tuple[str, ...]           # FTS5 expressions on the types and names columns (all must match)
    kinds: tuple[str, ...]         # also as SQL, for a listing without words (the kind index serves it)
    sql: tuple[str, ...]           # on search_units u: dates and sources
    args: tuple
    types: tuple[str, ...] = ()    # the same filters as values, for search.postgres: the PLOVER types (lower case),
    names: tuple[tuple[str, tuple[str, ...], bool], ...] = ()    # (column, words, exact) of each name filter

    def fts_expr(self, with_kind: bool) -> str:
        parts = list(self.fts)
        if with_kind and self.kinds:
            parts.append("kind : (" + " OR ".join(_quote(k) for k in self.kinds) + ")")
        return " AND ".join(parts)


def _filters(kind, since, until, type_, place, entity, claimant, source) -> _Filters:
    fts: list[str] = []
    sql: list[str] = []
    args: list = []
    kinds: list[str] = []
    names: list[tuple[str, tuple[str, ...], bool]] = []
    if kind:
        kinds = [k.strip().lower() for k in kind.split(",") if k.strip()]
        unknown = [k for k in kinds if k not in KINDS]
        if unknown:
            raise SearchError(f"unknown kind {', '.join(unknown)}: use {', '.join(KINDS)}")
    for value, name in ((since, "since"), (until, "until")):
        if value and not _DATE.match(value):
            raise SearchError(f"--{name} {value!r} is no date: write YYYY, YYYY-MM or YYYY-MM-DD")
    if since:
        sql.append("COALESCE(u.date_end, u.date_start) >= ?")
        args.append(since)
    if until:
        sql.append("u.date_start <= ?")
        args.append(until + "\uffff")
    types = [t.strip().lower() for t in (type_ or "").split(",") if t.strip()]
    if types:
        fts.append("types : (" + " OR ".join(_quote(t) for t in types) + ")")
    for column, value in (("places", place), ("entities", entity), ("claimants", claimant)):
        if value and value.strip():
            found = _name_terms(value.strip())
            if found is None:
                sql.append("1=0")                # a name without a single word in it names nothing
            else:
                fts.append(_name_expr(column, *found))
                names.append((column, *found))
    if source and source.strip():
        sql.append("u.doc_id IN (SELECT doc_id FROM search_sources WHERE name LIKE ? ESCAPE '\\')")
        args.append("%" + _like(fold(source.strip())) + "%")
    return _Filters(tuple(fts), tuple(kinds), tuple(sql), tuple(args), tuple(types), tuple(names))


def _name_terms(value: str) -> tuple[tuple[str, ...], bool] | None:
    """Every word of `value`, in any form, as the start of a word of the column: "Токаева" → токаев*, which the
    indexed name "касым-жомарт токаев" has (exact False). A corpus id ("ent-…") is matched as its two words
    (exact True). None: no word in it."""
    if _CORPUS_ID.match(value):
        return tuple(value.lower().split("-")), True
    stems = tuple(w.stem for w in words(value))
    return (stems, False) if stems else None


def _name_expr(column: str, terms: tuple[str, ...], exact: bool) -> str:
    if exact:
        return f"{column} : {_quote(' '.join(terms))}"
    return " AND ".join(f"{column} : {_quote(s)} *" for s in terms)


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


# ---------------------------------------------------------------------------------------------- SQL

_COLUMNS = "u.id, u.kind, u.unit_id, u.doc_id, u.start, u.stop, u.body_start, u.body_stop, u.date_start, u.date_end, " \
           "u.type, u.event_id"
# CROSS JOIN: the FTS index drives and the unit filters test its matches, never the other way round
_JOINED = "FROM search_fts CROSS JOIN search_units u ON u.id = search_fts.rowid"
_BM25 = "bm25(search_fts, {}, {}, 0, 0, 0, 0, 0)".format(*WEIGHTS)      # the filter columns do not rank


def _expr(include: str, filters: str, exclude: str) -> str:
    expr = " AND ".join(f"({e})" for e in (include, filters) if e)
    return f"({expr}) NOT ({exclude})" if exclude else expr


def _ranked(db: sqlite3.Connection, query: Query, f: _Filters, limit: int, offset: int):
    expr = _expr(include_expr(query), f.fts_expr(with_kind=True), exclude_expr(query) if query.exclude else "")
    cond = " AND ".join(["search_fts MATCH ?", *f.sql])
    matches = db.execute("SELECT COUNT(*) FROM search_fts WHERE search_fts MATCH ?", (expr,)).fetchone()[0]
    total = db.execute(f"SELECT COUNT(*) {_JOINED} WHERE {cond}", [expr, *f.args]).fetchone()[0] if f.sql else matches
    page = f"SELECT {_COLUMNS}, {_BM25} AS rank {_JOINED} WHERE {cond}{{window}} ORDER BY rank, u.id LIMIT ? OFFSET ?"
    if matches > RANK_WINDOW and offset + limit <= RANK_WINDOW // 2:
        last = db.execute("SELECT MAX(id) FROM search_units").fetchone()[0] or 0
        cut = last - int(last * RANK_WINDOW / matches)          # about RANK_WINDOW matches lie above the cut
        rows = db.execute(page.format(window=" AND search_fts.rowid > ?"), [expr, *f.args, cut, limit, offset])
        rows = rows.fetchall()
        if len(rows) == limit or offset + len(rows) >= total:
            return total, rows
    return total, db.execute(page.format(window=""), [expr, *f.args, limit, offset]).fetchall()


def _listed_by_index(db: sqlite3.Connection, query: Query, f: _Filters, limit: int, offset: int):
    """No words, but filters the index answers (types, names): its matches, newest first. Many matches: walk the
    units by date and keep those in the set of matches (the walk stops at the page); few: sort the matches."""
    expr = _expr("", f.fts_expr(with_kind=True), exclude_expr(query) if query.exclude else "")
    cond = " AND ".join(["search_fts MATCH ?", *f.sql])
    matches = db.execute("SELECT COUNT(*) FROM search_fts WHERE search_fts MATCH ?", (expr,)).fetchone()[0]
    total = db.execute(f"SELECT COUNT(*) {_JOINED} WHERE {cond}", [expr, *f.args]).fetchone()[0] if f.sql else matches
    if matches > WALK_FROM:
        where = " AND ".join(["+u.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?)", *f.sql])
        rows = db.execute(f"SELECT {_COLUMNS}, 0.0 AS rank FROM search_units u WHERE {where} "
                          "ORDER BY u.date_start DESC, u.id DESC LIMIT ? OFFSET ?", [expr, *f.args, limit, offset])
    else:
        rows = db.execute(f"SELECT {_COLUMNS}, 0.0 AS rank {_JOINED} WHERE {cond} "
                          "ORDER BY u.date_start DESC, u.id DESC LIMIT ? OFFSET ?", [expr, *f.args, limit, offset])
    return total, rows.fetchall()


def _listed(db: sqlite3.Connection, query: Query, f: _Filters, limit: int, offset: int):
    """No words and no filter the index answers: the units, newest first (undated ones last)."""
    where, args = list(f.sql), list(f.args)
    if f.kinds:
        where.insert(0, f"u.kind IN ({','.join('?' * len(f.kinds))})")
        args[:0] = f.kinds
    cond = " AND ".join(where) or "1"
    total = db.execute(f"SELECT COUNT(*) FROM search_units u WHERE {cond}", args).fetchone()[0]
    if query.exclude:
        excluded = _expr(exclude_expr(query), f.fts_expr(with_kind=True), "")
        total -= db.execute(f"SELECT COUNT(*) {_JOINED} WHERE " + " AND ".join(["search_fts MATCH ?", *f.sql]),
                            [excluded, *f.args]).fetchone()[0] if f.sql else \
            db.execute("SELECT COUNT(*) FROM search_fts WHERE search_fts MATCH ?", (excluded,)).fetchone()[0]
        where.append("u.id NOT IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?)")
        args.append(exclude_expr(query))
        cond = " AND ".join(where)
    rows = db.execute(f"SELECT {_COLUMNS}, 0.0 AS rank FROM search_units u WHERE {cond} "
                      "ORDER BY u.date_start DESC, u.id DESC LIMIT ? OFFSET ?", [*args, limit, offset])
    return total, rows.fetchall()


# ---------------------------------------------------------------------------------------------- hits

def _hits(db: sqlite3.Connection, rows, clauses):
    docs: dict[str, sqlite3.Row] = {}
    for r in rows:
        doc_id = r["doc_id"]
        if doc_id not in docs:
            docs[doc_id] = db.execute(
                "SELECT title, source, body, body_map FROM documents WHERE id=?", (doc_id,)).fetchone()
        doc = docs[doc_id]
        body_start = r["body_start"]
        passage = doc["body"][body_start:r["body_stop"]]
        pieces, spans = highlight(passage, clauses)
        offsets = _offset_map(doc)
        marks = tuple(offsets.span_to_text((body_start + a, body_start + b)) for a, b in spans)
        passage_span = offsets.span_to_text((body_start, r["body_stop"]))
        yield SearchHit(
            kind=r["kind"], id=r["unit_id"], doc_id=doc_id, title=doc["title"], source=doc["source"],
            date=r["date_start"], date_end=r["date_end"], span=(r["start"], r["stop"]), passage=passage_span,
            snippet=pieces,
            marks=marks,
            score=round(-r["rank"], 4) if r["rank"] else 0.0, types=tuple(r["type"].split()),
            event_id=r["event_id"])


def _offset_map(doc: sqlite3.Row) -> OffsetMap:
    return OffsetMap.from_json(json.loads(doc["body_map"]))
