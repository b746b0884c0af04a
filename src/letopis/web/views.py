"""What each page shows, read from the store: plain dicts and records for the templates, no HTML.

The pages (`pages.py`) call one function per page; each takes an open `Store` and a `Translator` and returns the
template's context, or None for an unknown id. Text shown from articles is passed as strings or `marks.Piece`s and
escaped by the templates.
"""
from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass

from ..corpus.ledger import Claim, value_range
from ..errors import UnknownDocument
from ..store.corpus import CorpusTables
from ..store.counts import CorpusCounts
from ..store.keys import fold, place_key
from ..store.sqlite import Store
from . import charts
from .corrections import for_event_page as corrections_of_event
from .i18n import Translator, bounds, number
from .marks import Layers, Piece, body_map, context, segments


class Reader:
    """One request's view of the store, caching documents and extractions it reads more than once."""

    def __init__(self, store: Store):
        self.store = store
        self.tables = CorpusTables(store.db)
        self.doc = functools.lru_cache(maxsize=64)(self._doc)
        self.extraction = functools.lru_cache(maxsize=64)(store.get_extraction)

    def _doc(self, doc_id: str):
        try:
            doc = self.store.get_document(doc_id)
        except UnknownDocument:
            return None
        return doc, body_map(doc)

    def title(self, doc_id: str) -> str:
        row = self.store.db.execute("SELECT title, source FROM documents WHERE id=?", (doc_id,)).fetchone()
        return (row[0] or source_name(row[1])) if row else doc_id


def source_name(source: str) -> str:
    """What to call an untitled article: the file it came from, without the folders."""
    return source.replace("\\", "/").rsplit("/", 1)[-1]


@dataclass(frozen=True, slots=True)
class Quote:
    """A span of an article shown in its context: where it comes from and its marked pieces."""
    doc_id: str
    title: str
    source: str
    published: str | None
    pieces: tuple[Piece, ...]
    anchor: str


def quote(r: Reader, doc_id: str, span, marks: list[tuple], anchor: str = "") -> Quote | None:
    """The context of `span` (text offsets) in its article, with `marks` ((span, layer, label) in text offsets)."""
    found = r.doc(doc_id)
    if not found:
        return None
    doc, bmap = found
    layers = Layers(bmap)
    for m in marks:
        layers.add(*m)
    b = bmap.span(span)
    if not b:
        return None
    return Quote(doc_id, doc.title or source_name(doc.source), doc.source, str(doc.published) if doc.published else None,
                 tuple(context(doc.body, b, layers.marks)), anchor)


def claim_label(t: Translator, c: Claim) -> str:
    who = c.claimant or t.claimant_class("article")
    return f"{t.category(c.category)}: {bounds(c.low, c.high)} — {who}"


def claimant_name(t: Translator, c: Claim) -> str:
    """The claimant as a reader would name it: capitalised ("правозащитники" and "Правозащитники" are one)."""
    if c.claimant:
        return c.claimant[:1].upper() + c.claimant[1:]
    return f"{t.claimant_class('article').capitalize()} ({source_name(c.source)})"


def claim_chart(t: Translator, title: str, claims: list[Claim], width: float = 560,
                height: float = 230) -> charts.Chart | None:
    return charts.claims_chart(
        title, claims, series_of=lambda c: claimant_name(t, c),
        point_title=lambda c: f"{claimant_name(t, c)}: {bounds(c.low, c.high)} ({t.day(c.claimed_on)})",
        href=lambda c: f"/documents/{c.doc_id}#fig-{c.index}", fmt_day=t.short_day, fmt_num=number,
        width=width, height=height)


def claim_row(r: Reader, t: Translator, c: Claim) -> dict:
    marks = [(c.span, "fig", claim_label(t, c))]
    if c.claimant_span:
        marks.append((c.claimant_span, "who", c.claimant or ""))
    return {"claim": c, "value": bounds(c.low, c.high), "claimant": claimant_name(t, c),
            "quote": quote(r, c.doc_id, c.span, marks, f"fig-{c.index}")}


# --- the overview ---------------------------------------------------------------------------------------------

def overview(r: Reader, t: Translator) -> dict:
    db, kept = r.store.db, CorpusCounts(r.store.db)
    count = lambda sql: db.execute(sql).fetchone()[0]  # noqa: E731
    by_type = kept.by("event_type")
    top = max((n for _, n in by_type), default=1)
    latest = [r.tables.event(row[0]) for row in db.execute(
        "SELECT id FROM events WHERE date_start IS NOT NULL ORDER BY date_start DESC, n_sources DESC, id LIMIT 8")]
    claimants = dict(kept.by("claim_claimants"))
    cats = [(c, n, claimants.get(c, 0), *r.tables.claim_days(c)) for c, n in kept.by("claim_reported")]
    return {
        "counts": {"documents": count("SELECT COUNT(*) FROM documents"), "events": count("SELECT COUNT(*) FROM events"),
                   "claims": count("SELECT COUNT(*) FROM figure_claims"),
                   "entities": count("SELECT COUNT(*) FROM corpus_entities")},
        "by_type": [{"type": ty, "n": n, "share": round(100 * n / top)} for ty, n in by_type],
        "latest": latest,
        "entities": r.tables.entities(limit=10),
        "categories": [{"category": c, "n": n, "claimants": k, "since": a, "until": b} for c, n, k, a, b in cats],
    }


# --- an event --------------------------------------------------------------------------------------------------

def event_page(r: Reader, t: Translator, event_id: str) -> dict | None:
    ev = r.tables.event(event_id)
    if ev is None:
        return None
    claims = r.tables.claims(event_id=event_id)
    mentions = []
    for m in r.tables.mention_rows(event_id):
        extraction = r.extraction(m["doc_id"]) or {}
        raw = (extraction.get("events") or [None] * (m["index"] + 1))[m["index"]] if "index" in m else None
        trigger = ((raw or {}).get("trigger") or {}).get("span")
        marks = [(m["span"], "ev", f"{t.type(m['type'])}"), (trigger, "trigger", m.get("trigger") or "")]
        marks += [(c.span, "fig", claim_label(t, c)) for c in claims if c.doc_id == m["doc_id"]]
        if m.get("place_span"):
            marks.append((m["place_span"], "ent", m.get("place") or ""))
        mentions.append({"m": m, "quote": quote(r, m["doc_id"], m["span"], marks, f"ev-{m.get('index', 0)}"),
                         "title": r.title(m["doc_id"])})
    by_cat: dict[str, list[Claim]] = {}
    for c in claims:
        by_cat.setdefault(c.category, []).append(c)
    own, of_claims = corrections_of_event(r.store, event_id, [c.id for c in claims])
    figures = []
    for cat, items in sorted(by_cat.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        lo, hi = value_range(c for c in items if not c.background)
        rows = [claim_row(r, t, c) | {"corrections": [x.to_json() for x in of_claims.get(c.id, ())]} for c in items]
        figures.append({"category": cat, "chart": claim_chart(t, t.category(cat), items), "rows": rows,
                        "low": lo, "high": hi})
    return {"ev": ev, "mentions": mentions, "figures": figures,
            "sources": sorted({m["m"]["doc_id"] for m in mentions}), "corrections": [x.to_json() for x in own]}


# --- an entity -------------------------------------------------------------------------------------------------

ARTICLES = 20       # an entity's page lists its articles this many at a time …
EVENTS = 20         # … at most this many events (at its place, or in those articles) …
NAMES = 30          # … and its most used names (the API's record has every one)


def entity_page(r: Reader, t: Translator, entity_id: str, offset: int = 0) -> dict | None:
    """An entity with a page of the articles naming it (oldest first) and, from those articles, what it says and
    claims and the events they report with it; a place lists the first `EVENTS` events there."""
    ent = r.tables.entity(entity_id)
    if ent is None:
        return None
    names = sorted(ent.names, key=lambda n: (-ent.names[n], n)) or [ent.name]
    folded = {fold(n) for n in names}
    total, links = r.tables.entity_documents_page(entity_id, ARTICLES, offset)
    doc_ids = list(dict.fromkeys(link["doc_id"] for link in links))
    documents = [{"id": link["doc_id"], "title": link["title"] or source_name(link["source"]),
                  "published": link["published"]} for link in links]
    statements = []
    for link in links:
        extraction = r.extraction(link["doc_id"]) or {}
        mine = [tuple(s) for e in extraction.get("entities") or () if e["id"] == link["local_id"]
                for s in e.get("mentions") or ()]
        for i, st in enumerate(extraction.get("statements") or ()):
            sp = (st.get("speaker") or {})
            said_by = fold(sp.get("name")) in folded or (
                sp.get("span") and any(a <= sp["span"][0] < b for a, b in mine))
            if said_by:
                q = quote(r, link["doc_id"], st["span"], [(st["span"], "st", sp.get("name") or ""),
                                                          (sp.get("span"), "who", sp.get("name") or "")], f"st-{i}")
                if q:
                    statements.append({"st": st, "quote": q})
    claims = [c for c in r.tables.claims_in(doc_ids)
              if c.claimant_entity == entity_id or fold(c.claimant) in folded]
    key = place_key(ent.place) if ent.type == "LOC" else None
    if key:
        n_events, events = r.tables.events_page(limit=EVENTS, place_key=key)
    else:
        events = [ev for ev in r.tables.events_in(doc_ids) if _names_it(ev, folded)]
        n_events = len(events)
    return {"ent": ent, "names": [(n, ent.names.get(n, 0)) for n in names[:NAMES]], "more_names": len(names) - NAMES,
            "events": events,
            "n_events": n_events, "events_here": bool(key), "statements": statements, "documents": documents,
            "n_documents": total, "offset": offset, "limit": ARTICLES,
            "claims": [claim_row(r, t, c) for c in sorted(claims, key=lambda c: (c.claimed_on or "", c.id))]}


def _names_it(ev: dict, folded: set[str]) -> bool:
    """Whether one of an entity's names is an actor or a target of the event, or its place."""
    loc = ev.get("location") or {}
    said = [fold(n) for n in (*(ev.get("actors") or ()), *(ev.get("targets") or ()), loc.get("name"),
                              loc.get("canonical")) if n]
    return any(name in n for n in said for name in folded)


# --- a document --------------------------------------------------------------------------------------------------

def document_page(r: Reader, t: Translator, doc_id: str, highlight: tuple[int, int] | None = None) -> dict | None:
    """The article's body with its events, statements, figures and entities marked; `highlight` (a text span,
    from a search hit) is marked too and anchored as #hit."""
    found = r.doc(doc_id)
    if not found:
        return None
    doc, bmap = found
    extraction = r.extraction(doc.id) or {}
    layers = Layers(bmap)
    if highlight and 0 <= highlight[0] < highlight[1] <= len(doc.text):
        layers.add(highlight, "hit", "", None, "hit")
    links = {row[0]: row[1] for row in r.store.db.execute(
        "SELECT local_id, entity_id FROM entity_mentions WHERE doc_id=?", (doc.id,))}
    ev_ids = {row[0]: row[1] for row in r.store.db.execute(
        "SELECT id, event_id FROM event_mentions WHERE doc_id=?", (doc.id,))}
    events, statements, figures, entities = [], [], [], []
    for i, ev in enumerate(extraction.get("events") or ()):
        corpus_id = ev_ids.get(f"{doc.id}:{i}")
        label = " · ".join(x for x in (t.type(ev["type"]), t.mode(ev.get("mode"))) if x)
        if layers.add(ev["span"], "ev", label, f"/events/{corpus_id}" if corpus_id else None, f"ev-{i}"):
            events.append({"i": i, "ev": ev, "label": label, "corpus_id": corpus_id})
    for i, st in enumerate(extraction.get("statements") or ()):
        who = (st.get("speaker") or {}).get("name") or ""
        if layers.add(st["span"], "st", who, None, f"st-{i}"):
            statements.append({"i": i, "st": st, "who": who, "words": _words(doc.text, st)})
    for i, fig in enumerate(extraction.get("figures") or ()):
        who = (fig.get("source") or {}).get("name") or t.claimant_class("article")
        label = f"{t.category(fig['category'])}: {bounds(fig.get('low'), fig.get('high'))} — {who}"
        if layers.add(fig["span"], "fig", label, None, f"fig-{i}"):
            figures.append({"i": i, "fig": fig, "who": who, "value": bounds(fig.get("low"), fig.get("high")),
                            "text": doc.text[fig["span"][0]:fig["span"][1]]})
    for e in extraction.get("entities") or ():
        href = f"/entities/{links[e['id']]}" if e["id"] in links else None
        n = sum(1 for s in e.get("mentions") or () if layers.add(s, "ent", f"{e['name']} ({t.entity_type(e['type'])})", href))
        if n:
            entities.append({"e": e, "href": href, "n": n})
    entities.sort(key=lambda x: (-x["n"], x["e"]["name"]))
    title_b = bmap.span(doc.title_span) if doc.title_span else None
    body, base, title = doc.body, 0, []
    if title_b and title_b[0] == 0 and doc.body[title_b[1]:title_b[1] + 1] == "\n":
        # the title is the heading, marked like the text
        base = title_b[1] + 1
        while base < len(doc.body) and doc.body[base] == "\n":
            base += 1
        title, body = segments(doc.body[:title_b[1]], layers.marks), doc.body[base:]
    return {"doc": doc, "pieces": segments(body, layers.marks, base), "title_pieces": title,
            "display_title": doc.title or source_name(doc.source),
            "events": events, "statements": statements,
            "figures": figures, "entities": entities, "sources": r.store.sources_of(doc.id),
            "extracted": bool(extraction)}


def _words(text: str, st: dict) -> str:
    span = st.get("quote_span") or st["span"]
    words = text[span[0]:span[1]].strip()
    return words if len(words) <= 240 else words[:237].rstrip() + "…"


# --- lists -----------------------------------------------------------------------------------------------------

def event_title(t: Translator, ev: dict) -> str:
    kind = " · ".join(x for x in (t.type(ev["type"]), t.mode(ev.get("mode"))) if x)
    where = (ev.get("location") or {}).get("name") or t.country(ev.get("country"))
    return f"{kind}, {where}" if where else kind


def countries(r: Reader) -> list[str]:
    return [c for c, _ in CorpusCounts(r.store.db).by("event_country")]


def event_types(r: Reader) -> list[str]:
    return [ty for ty, _ in CorpusCounts(r.store.db).by("event_type")]


def categories(r: Reader) -> list[tuple[str, int]]:
    return CorpusCounts(r.store.db).by("claim_category")


def type_counts(events: list[dict]) -> Counter:
    return Counter(ev["type"] for ev in events)
