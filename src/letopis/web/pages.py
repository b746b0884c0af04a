"""The HTML pages: server-rendered Jinja2 templates, htmx for partial updates, every asset served from /static.

Pages: `/` (overview), `/search`, `/timeline`, `/map` (+ `/map/events.json`), `/events/{id}`, `/entities` and
`/entities/{id}`, `/documents` and `/documents/{id}`, `/figures`, and `/lang/{ru|en}` (the language switch, a
cookie). What each page shows is assembled in `views.py` and `listings.py`; this module reads the query, picks the
language and renders. No template holds a script or a style attribute: the Content-Security-Policy forbids them,
and article text is escaped by Jinja2's autoescape.
"""
from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from ..extract.ontology import categories as plover_categories
from ..store.sqlite import Store
from . import listings, reads, views
from .deps import get_store
from .i18n import Translator, bounds, number, pick_lang

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))
templates.env.globals["fmt_num"] = number
templates.env.globals["fmt_bounds"] = bounds
templates.env.trim_blocks = True
templates.env.lstrip_blocks = True

PAGE = 20
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_TYPES = frozenset(plover_categories())


def translator(request: Request) -> Translator:
    return Translator(pick_lang(request.query_params.get("lang") or request.cookies.get("lang")))


def _clean(value: str | None, limit: int = 200) -> str | None:
    value = (value or "").strip()
    return value[:limit] or None


def _date(value: str | None) -> str | None:
    value = _clean(value, 10)
    return value if value and _DATE.match(value) else None


def filters(request: Request) -> listings.Filters:
    """The shared filters from the query string; values that cannot be valid are dropped rather than refused,
    so a hand-edited address still shows a page."""
    q = request.query_params
    type_ = (_clean(q.get("type"), 20) or "").upper()
    country = (_clean(q.get("country"), 2) or "").upper()
    return listings.Filters(
        type=type_ if type_ in _TYPES else None, place=_clean(q.get("place")),
        country=country if re.fullmatch(r"[A-Z]{2}", country) else None,
        since=_date(q.get("since")), until=_date(q.get("until")), category=_clean(q.get("category"), 30),
        event=_clean(q.get("event"), 40), entity=_clean(q.get("entity")), claimant=_clean(q.get("claimant")),
        source=_clean(q.get("source")))


def _offset(request: Request) -> int:
    try:
        return max(int(request.query_params.get("offset") or 0), 0)
    except ValueError:
        return 0


def render(request: Request, template: str, section: str | None, status_code: int = 200, **context) -> HTMLResponse:
    t = translator(request)
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    base = {"t": t, "lang": t.lang, "section": section, "here": here, "q": context.pop("q", "")}
    return templates.TemplateResponse(request, template, base | context, status_code=status_code)


def not_found(request: Request) -> HTMLResponse:
    return render(request, "not_found.html", None, status_code=404)


def _options(t: Translator, r: views.Reader) -> dict:
    return {"types": [(ty, t.type(ty)) for ty in views.event_types(r)],
            "countries": [(c, t.country(c)) for c in views.countries(r)]}


# --- pages -------------------------------------------------------------------------------------------------------

@router.get("/", response_class=HTMLResponse)
def overview(request: Request, store: Store = Depends(get_store)):
    r = views.Reader(store)
    return render(request, "overview.html", "overview", **views.overview(r, translator(request)))


@router.get("/search", response_class=HTMLResponse)
def search(request: Request, store: Store = Depends(get_store)):
    t, r, f = translator(request), views.Reader(store), filters(request)
    q = _clean(request.query_params.get("q"), 400) or ""
    kind = request.query_params.get("kind") or None
    kind = kind if kind in listings.KINDS else None
    offset = _offset(request)
    found = listings.search(r, t, q, kind, f, PAGE, offset) if q else {
        "available": True, "items": [], "total": 0, "facets": [], "error": None}
    params = {k: v for k, v in request.query_params.items() if k not in ("offset", "lang") and v}
    return render(request, "search.html", "search", q=q, kind=kind, f=f, offset=offset, limit=PAGE,
                  kinds=listings.KINDS, total_all=sum(n for _, n in found["facets"]),
                  pager_base="/search?" + urlencode(params), **_options(t, r), **found)


def _pager_base(request: Request, path: str) -> str:
    """The page's address with its filters, for the pager to add `&offset=`."""
    params = {k: v for k, v in request.query_params.items() if k not in ("offset", "lang") and v}
    return f"{path}?{urlencode(params)}"


@router.get("/timeline", response_class=HTMLResponse)
def timeline(request: Request, store: Store = Depends(get_store)):
    t, r, f = translator(request), views.Reader(store), filters(request)
    return render(request, "timeline.html", "timeline", f=f, pager_base=_pager_base(request, "/timeline"),
                  **_options(t, r), **listings.timeline(r, t, f, _offset(request)))


@router.get("/map", response_class=HTMLResponse)
def map_page(request: Request, store: Store = Depends(get_store)):
    t, r, f = translator(request), views.Reader(store), filters(request)
    params = {k: v for k, v in (("type", f.type), ("country", f.country), ("since", f.since), ("until", f.until),
                                ("lang", t.lang)) if v}
    en = Translator("en")
    located = listings.located(r, f)
    return render(request, "map.html", "map", f=f, data_url="/map/events.json?" + urlencode(params),
                  highlight=[en.country(c) for c in views.countries(r)], located=located,
                  capped=listings.MAX_POINTS if located > listings.MAX_POINTS else None, **_options(t, r))


@router.get("/map/events.json")
def map_data(request: Request, store: Store = Depends(get_store)):
    return JSONResponse(listings.map_points(views.Reader(store), translator(request), filters(request)))


@router.get("/events/{event_id}", response_class=HTMLResponse)
def event(event_id: str, request: Request, store: Store = Depends(get_store)):
    page = views.event_page(views.Reader(store), translator(request), event_id)
    return render(request, "event.html", "timeline", **page) if page else not_found(request)


@router.get("/entities", response_class=HTMLResponse)
def entities(request: Request, store: Store = Depends(get_store)):
    r, offset = views.Reader(store), _offset(request)
    type_ = (_clean(request.query_params.get("type"), 3) or "").upper() or None
    type_ = type_ if type_ in ("PER", "ORG", "LOC") else None
    name = _clean(request.query_params.get("name"))
    params = {k: v for k, v in (("type", type_), ("name", name)) if v}
    total, items = r.tables.entities_page(type_, name, PAGE * 2, offset)
    return render(request, "entities.html", "entities", items=[reads.entity_item(e) for e in items], total=total,
                  limit=PAGE * 2, offset=offset,
                  type=type_, name=name, base="/entities?" + urlencode(params))


@router.get("/entities/{entity_id}", response_class=HTMLResponse)
def entity(entity_id: str, request: Request, store: Store = Depends(get_store)):
    page = views.entity_page(views.Reader(store), translator(request), entity_id, _offset(request))
    if not page:
        return not_found(request)
    return render(request, "entity.html", "entities", pager_base=f"/entities/{entity_id}?", **page)


@router.get("/documents", response_class=HTMLResponse)
def documents(request: Request, store: Store = Depends(get_store)):
    offset = _offset(request)
    total, docs = store.documents_page(limit=PAGE * 2, offset=offset)
    ids = [d["id"] for d in docs]
    counts = lambda table: {row[0]: row[1] for row in store.db.execute(  # noqa: E731  the page's articles only
        f"SELECT doc_id, COUNT(*) FROM {table} WHERE doc_id IN ({','.join('?' * len(ids))}) GROUP BY doc_id", ids)}
    n_events, n_claims = (counts("event_mentions"), counts("figure_claims")) if ids else ({}, {})
    opening = lambda doc_id: " ".join(store.db.execute(  # noqa: E731  the first words stand in for a missing title
        "SELECT substr(body, 1, 90) FROM documents WHERE id=?", (doc_id,)).fetchone()[0].split()[:-1])
    docs = [d | {"n_events": n_events.get(d["id"], 0), "n_claims": n_claims.get(d["id"], 0),
                 "opening": None if d["title"] else opening(d["id"])} for d in docs]
    return render(request, "documents.html", "documents", docs=docs, offset=offset, limit=PAGE * 2, total=total)


@router.get("/documents/{doc_id}", response_class=HTMLResponse)
def document(doc_id: str, request: Request, store: Store = Depends(get_store)):
    hl = re.fullmatch(r"(\d{1,9})-(\d{1,9})", request.query_params.get("hl") or "")
    page = views.document_page(views.Reader(store), translator(request), doc_id,
                               (int(hl[1]), int(hl[2])) if hl else None)
    if not page:
        return not_found(request)
    page["pieces_"] = page.pop("pieces")
    return render(request, "document.html", "documents", **page)


@router.get("/figures", response_class=HTMLResponse)
def figures(request: Request, store: Store = Depends(get_store)):
    t, r, f = translator(request), views.Reader(store), filters(request)
    present = views.categories(r)
    if f.category not in {c for c, _ in present}:
        f = replace(f, category=listings.default_category(present))
    ev = r.tables.event(f.event) if f.event else None
    params = {k: v for k, v in (("category", f.category), ("country", f.country), ("since", f.since),
                                ("until", f.until), ("claimant", f.claimant), ("event", f.event), ("type", f.type),
                                ("place", f.place)) if v}
    return render(request, "figures.html", "figures", f=f, categories=present,
                  event_label=views.event_title(t, ev) if ev else None, pager_base="/figures?" + urlencode(params),
                  **_options(t, r), **listings.figures(r, t, f, _offset(request)))


@router.get("/lang/{code}")
def switch_language(code: str, request: Request):
    """Set the interface language (a cookie) and go back where the reader was: only to a path of this site."""
    nxt = request.query_params.get("next") or "/"
    if not nxt.startswith("/") or nxt.startswith("//") or "\\" in nxt:
        nxt = "/"
    nxt = re.sub(r"([?&])lang=[^&]*&?", r"\1", nxt).rstrip("?&") or "/"
    response = RedirectResponse(nxt, status_code=303)
    response.set_cookie("lang", pick_lang(code), max_age=365 * 24 * 3600, samesite="lax", httponly=True)
    return response


__all__ = ["router"]
