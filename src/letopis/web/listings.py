"""The pages that list and compare: the timeline, the map's data, the figures comparison and search results.

Each function takes a `views.Reader`, a `Translator` and the page's filters (the query parameters, already
validated by `pages.py`) and returns the template's context.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from ..corpus.ledger import Claim, value_range
from . import charts
from .i18n import Translator, bounds
from .marks import Piece
from .views import Reader, claim_chart, claim_row, claimant_name, event_title

CATEGORY_ORDER = ("killed", "injured", "detained", "missing", "participants", "troops", "equipment", "aid", "other")
KINDS = ("paragraph", "event", "statement", "figure")
TIMELINE = 300            # the timeline draws this many events at a time (by date; the pager goes on) …
MAX_POINTS = 600          # … the map at most this many located events (the first by date: narrow the filters) …
CLAIMS = 100              # … and the figures page compares this many claims at a time (by the day claimed)


@dataclass(frozen=True, slots=True)
class Filters:
    """The filters the listing pages share (all optional)."""
    type: str | None = None
    place: str | None = None
    country: str | None = None
    since: str | None = None
    until: str | None = None
    category: str | None = None
    event: str | None = None
    entity: str | None = None
    claimant: str | None = None
    source: str | None = None

    def events(self, r: Reader, limit: int, offset: int = 0, located: bool = False) -> tuple[int, list[dict]]:
        """(how many events match, the page of them), oldest first; `located`: only those with coordinates."""
        return r.tables.events_page(self.type, self.since, self.until, self.place, self.country, self.entity, limit,
                                    offset, located=located)


# --- the timeline ----------------------------------------------------------------------------------------------

def timeline(r: Reader, t: Translator, f: Filters, offset: int = 0) -> dict:
    """A page of `TIMELINE` events by date, drawn and listed; `total` says how many match."""
    total, events = f.events(r, TIMELINE, offset)
    tl = charts.timeline(events, t.type, lambda ev: f"{event_title(t, ev)} — {t.date(ev.get('date'))}", t.short_day,
                         place=lambda ev: (ev.get("location") or {}).get("name") or t.country(ev.get("country")))
    days: dict[str, list[dict]] = {}
    for ev in events:
        days.setdefault((ev.get("date") or {}).get("start") or "", []).append(ev)
    return {"events": events, "tl": tl, "days": sorted(days.items(), key=lambda kv: (kv[0] == "", kv[0])),
            "total": total, "offset": offset, "limit": TIMELINE}


# --- the map -----------------------------------------------------------------------------------------------------

def map_points(r: Reader, t: Translator, f: Filters) -> dict:
    """The first `MAX_POINTS` located events (by date) as plain JSON for `app.js`; how many located events match
    (`total`) and how many matching ones have no coordinates."""
    total, events = f.events(r, MAX_POINTS, located=True)
    points = []
    for ev in events:
        loc = ev.get("location") or {}
        points.append({
            "id": ev["id"], "type": ev["type"], "type_label": t.type(ev["type"]), "mode": t.mode(ev.get("mode")),
            "title": event_title(t, ev), "date": t.date(ev.get("date")), "place": loc.get("name"),
            "precision": loc.get("precision"), "precision_label": t.precision(loc.get("precision")),
            "lat": loc["lat"], "lon": loc["lon"], "n_sources": ev.get("n_sources") or 0,
            "sources_label": t("n_sources", n=ev.get("n_sources") or 0), "url": f"/events/{ev['id']}"})
    everything = f.events(r, 0)[0]
    return {"events": points, "total": total, "without_coordinates": everything - total,
            "open_label": t("open_event")}


def located(r: Reader, f: Filters) -> int:
    """How many located events match (the map shows the first `MAX_POINTS`)."""
    return f.events(r, 0, located=True)[0]


# --- the figures comparison --------------------------------------------------------------------------------------

def default_category(present: list[tuple[str, int]]) -> str | None:
    names = [c for c, _ in present]
    return next((c for c in CATEGORY_ORDER if c in names), names[0] if names else None)


def figures(r: Reader, t: Translator, f: Filters, offset: int = 0) -> dict:
    """A page of `CLAIMS` claims by the day claimed, compared claimant by day and on a chart; `total` says how
    many match (the comparison is of this page's claims)."""
    total, claims = r.tables.claims_page(f.category, f.claimant, f.event, f.since, f.until, None, f.country, f.type,
                                         f.place, CLAIMS, offset)
    days = sorted({c.claimed_on for c in claims if c.claimed_on})
    if any(not c.claimed_on for c in claims):
        days.append("")                                          # a column for claims with no day
    table: dict[str, dict[str, list[Claim]]] = {}
    for c in claims:
        table.setdefault(claimant_name(t, c), {}).setdefault(c.claimed_on or "", []).append(c)
    first_day = lambda name: min(table[name]) or "9"  # noqa: E731
    pivot = [{"claimant": name, "class": next(iter(next(iter(cells.values())))).claimant_class,
              "cells": [[(c, bounds(c.low, c.high)) for c in cells.get(d, [])] for d in days]}
             for name, cells in sorted(table.items(), key=lambda kv: (first_day(kv[0]), kv[0]))]
    lo, hi = value_range(c for c in claims if not c.background)
    title = t.category(f.category) if f.category else ""
    return {"claims": [claim_row(r, t, c) for c in claims], "days": days, "pivot": pivot,
            "chart": claim_chart(t, title, claims, 720, 260) if f.category else None, "low": lo, "high": hi,
            "n_claimants": len(table), "total": total, "offset": offset, "limit": CLAIMS}


# --- search ------------------------------------------------------------------------------------------------------

def search(r: Reader, t: Translator, q: str, kind: str | None, f: Filters, limit: int, offset: int) -> dict:
    """Results of `letopis.search.search` with facet counts per kind; `available` is False when the search
    package (or its index) is missing, so the page says so instead of failing."""
    try:
        from ..search import SearchError, search as run
    except ImportError:
        return {"available": False, "items": [], "total": 0, "facets": [], "error": None}
    args = dict(since=f.since, until=f.until, type=f.type, place=f.place, entity=f.entity, claimant=f.claimant,
                source=f.source)
    try:
        page = run(r.store, q, kind=kind, limit=limit, offset=offset, **args)
        facets = [(k, run(r.store, q, kind=k, limit=0, offset=0, **args).total) for k in KINDS]
    except (SearchError, sqlite3.OperationalError) as e:       # e.g. a database without the search index
        return {"available": True, "items": [], "total": 0, "facets": [], "error": str(e)}
    return {"available": True, "total": page.total, "items": [result(r, t, it) for it in page.items],
            "facets": facets, "error": None}


def result(r: Reader, t: Translator, item) -> dict:
    """One search hit as the template needs it: where it links (the event, or the article with the hit marked),
    its label and its highlighted snippet."""
    d = item.to_json() if hasattr(item, "to_json") else dict(item)
    kind, doc_id, unit = d.get("kind"), d.get("doc_id"), str(d.get("id") or "")
    span = d.get("span") or ()
    hl = f"?hl={span[0]}-{span[1]}" if len(span) == 2 else ""
    tail = unit.rsplit(":", 1)[-1] if ":" in unit else ""
    anchor = {"e": "ev", "s": "st", "f": "fig"}.get(tail[:1]) if tail[1:].isdigit() else None
    doc_href = f"/documents/{doc_id}{hl}#{f'{anchor}-{tail[1:]}' if anchor else 'hit'}" if doc_id else None
    event_id = d.get("event_id") or d.get("event")
    href = f"/events/{event_id}" if event_id and kind == "event" else doc_href
    types = d.get("types") or ([d["type"]] if d.get("type") else [])
    return {"kind": kind, "href": href, "doc_href": doc_href, "event_href": f"/events/{event_id}" if event_id else None,
            "title": d.get("title") or (r.title(doc_id) if doc_id else ""), "source": d.get("source"),
            "date": d.get("date") or d.get("date_start"), "types": types, "snippet": snippet(d.get("snippet"))}


def snippet(value) -> list[Piece]:
    """A snippet as pieces, from [Piece(text, match)], [{"text", "match"}], [(text, is_match)] or a string."""
    if not value:
        return []
    if isinstance(value, str):
        return [Piece(value)]
    out = []
    for p in value:
        if isinstance(p, dict):
            text, match = p.get("text") or "", p.get("match")
        elif hasattr(p, "text"):
            text, match = p.text, getattr(p, "match", False)
        else:
            text, match = p[0], p[1]
        out.append(Piece(str(text), ("hit",) if match else ()))
    return out
