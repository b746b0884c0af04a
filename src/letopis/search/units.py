"""The searchable units of one document: its paragraphs, event mentions, statements and figure claims.

A unit is a span of the document's body (markup-free, what the annotators read) that gets indexed, its own span in
the document's text (the provenance every hit points at), and the values its filters read. The facts come from the
document's extraction, enriched by the corpus tables when the corpus stage has run (an event mention's geocoded
place and corpus event, a figure claim's claimant, class and day claimed, corpus entity ids).
"""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass
from typing import Iterable

from ..ingest.document import Document, OffsetMap
from .analyzer import fold

Span = tuple[int, int]
KINDS = ("paragraph", "event", "statement", "figure")
MAX_PARAGRAPH = 1500      # longer paragraphs (a one-line dump) are cut at sentence ends into pieces of about
TARGET_PIECE = 1000       # this many characters, so a hit's passage stays readable

_BLOCK = re.compile(r"\S(?:.|\n(?![ \t]*\n))*")          # text between blank lines
_LINE_BREAK = re.compile(r"\n(?=[ \t]*[^\sа-яёa-z])")     # a line break not followed by a lower-case continuation
_SENTENCE_END = re.compile(r"[.!?…][»\"”)]*\s+(?=[«\"“(\[—–\-A-ZА-ЯЁ0-9])")


@dataclass(frozen=True, slots=True)
class Unit:
    kind: str
    unit_id: str
    doc_id: str
    span: Span                     # into Document.text
    body_span: Span                # into Document.body: the words that are indexed
    date_start: str | None
    date_end: str | None
    types: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()
    claimants: tuple[str, ...] = ()
    event_id: str | None = None

    def to_json(self) -> dict:
        return {"kind": self.kind, "id": self.unit_id, "doc_id": self.doc_id, "span": list(self.span),
                "body_span": list(self.body_span), "date_start": self.date_start, "date_end": self.date_end,
                "types": list(self.types), "places": list(self.places), "entities": list(self.entities),
                "claimants": list(self.claimants), "event_id": self.event_id}


def filter_value(names: Iterable[str | None]) -> str:
    """The indexed text of a filter column: folded names, " ; "-joined ('касым-жомарт токаев ; кенес'); the FTS
    tokenizer splits it into words, which a filter matches by their start."""
    seen = dict.fromkeys(_filter_name(n) for n in names if n)
    seen.pop("", None)
    return " ; ".join(seen)


@functools.lru_cache(maxsize=100_000)
def _filter_name(name: str) -> str:
    return " ".join(fold(name).split())


# ---------------------------------------------------------------------------------------------- body geometry

def paragraphs(body: str) -> list[Span]:
    """Paragraph spans of a body: blank-line blocks, split again at line breaks that start a new line of text
    (HTML blocks are joined by single newlines; a hard-wrapped line continuing in lower case stays), and cut at
    sentence ends when longer than MAX_PARAGRAPH."""
    out: list[Span] = []
    for block in _BLOCK.finditer(body):
        start = block.start()
        for br in _LINE_BREAK.finditer(block.group()):
            out.extend(_pieces(body, start, block.start() + br.start()))
            start = block.start() + br.end()
        out.extend(_pieces(body, start, block.end()))
    return [s for s in out if body[s[0]:s[1]].strip()]


def _pieces(body: str, start: int, stop: int) -> list[Span]:
    while start < stop and body[start].isspace():
        start += 1
    while stop > start and body[stop - 1].isspace():
        stop -= 1
    if stop - start <= MAX_PARAGRAPH:
        return [(start, stop)] if stop > start else []
    out, begin = [], start
    for m in _SENTENCE_END.finditer(body, start, stop):
        end = m.start() + len(m.group().rstrip())
        if end - begin >= TARGET_PIECE:
            out.append((begin, end))
            begin = m.end()
    out.append((begin, stop))
    return [(a, b) for a, b in out if b > a]


def sentence(body: str, span: Span, within: Span) -> Span:
    """The sentence of `body` around `span`, inside `within` (its paragraph)."""
    lo, hi = within
    start = lo
    for m in _SENTENCE_END.finditer(body, lo, span[0]):
        if m.end() <= span[0]:
            start = m.end()
    stop = hi
    m = _SENTENCE_END.search(body, span[1], hi)
    if m:
        stop = m.start() + len(m.group().rstrip())
    return (min(start, span[0]), max(stop, span[1]))


class BodyMap:
    """Text offsets ↔ body offsets of one document (OffsetMap maps body → text; this adds the inverse)."""

    def __init__(self, offsets: OffsetMap, body_length: int):
        self.map = offsets
        self.runs = offsets.runs
        self.text_starts = [r[1] for r in self.runs]
        self.length = body_length

    def to_text(self, span: Span) -> Span:
        return self.map.span_to_text(span)

    def to_body(self, span: Span) -> Span:
        if not self.runs:
            return span
        return self._pos(span[0], end=False), max(self._pos(span[1], end=True), self._pos(span[0], end=False))

    def _pos(self, pos: int, end: bool) -> int:
        i = bisect.bisect_right(self.text_starts, pos - (1 if end else 0)) - 1
        if i < 0:
            return 0
        b0, t0, n = self.runs[i]
        if end:
            return b0 + min(pos - t0, n)
        if pos < t0 + n:
            return b0 + pos - t0
        return self.runs[i + 1][0] if i + 1 < len(self.runs) else b0 + n    # in markup: the next run


# ---------------------------------------------------------------------------------------------- the units

def document_units(doc: Document, extraction: dict | None, mentions: dict[int, dict], claims: dict[int, dict],
                   entity_ids: dict[str, str]) -> list[Unit]:
    """Every unit of `doc`. `mentions` and `claims` are the corpus rows (JSON) by their index in the extraction,
    `entity_ids` the corpus entity of each extraction entity id."""
    geo = BodyMap(doc.body_map, len(doc.body))
    published = str(doc.published) if doc.published else None
    x = extraction or {}
    names = _entity_spans(x, entity_ids)
    events = [_event(doc, geo, i, ev, mentions.get(i, {}), names, published)
              for i, ev in enumerate(x.get("events") or ())]
    statements = [_statement(doc, geo, i, st, names, published) for i, st in enumerate(x.get("statements") or ())]
    paras = paragraphs(doc.body)
    owner = {f: events[i] for i, ev in enumerate(x.get("events") or ()) for f in ev.get("figures") or ()}
    figures = [_figure(doc, geo, i, fig, claims.get(i, {}), owner.get(i), paras, names, published)
               for i, fig in enumerate(x.get("figures") or ())]
    facts = events + statements + figures
    out = [_paragraph(doc, geo, n, span, facts, names, published) for n, span in enumerate(paras)]
    return out + [u for u in facts if u.body_span[1] > u.body_span[0]]


def _entity_spans(x: dict, entity_ids: dict[str, str]) -> list[tuple[Span, str, str, str | None]]:
    """(text span, name, type, corpus id) of every entity mention, in text order."""
    out = []
    for ent in x.get("entities") or ():
        for span in ent.get("mentions") or ():
            out.append(((span[0], span[1]), ent.get("name") or "", ent.get("type") or "",
                        entity_ids.get(ent.get("id"))))
    return sorted(out)


def _inside(names, span: Span, types: str = "PER ORG LOC") -> list[str]:
    out = []
    for (a, b), name, typ, eid in names:
        if a >= span[0] and b <= span[1] and typ in types:
            out += [name, eid or ""]
    return out


def _paragraph(doc, geo, n, body_span, facts, names, published) -> Unit:
    span = geo.to_text(body_span)
    inner = [u for u in facts if u.span[0] >= span[0] and u.span[1] <= span[1]]
    return Unit(
        "paragraph", f"{doc.id}:p{n}", doc.id, span, body_span, published, published,
        types=tuple(dict.fromkeys(t for u in inner for t in u.types)),
        places=tuple(dict.fromkeys([*_inside(names, span, "LOC"), *(p for u in inner for p in u.places)])),
        entities=tuple(dict.fromkeys([*_inside(names, span), *(e for u in inner for e in u.entities)])),
        claimants=tuple(dict.fromkeys(c for u in inner for c in u.claimants)))


def _event(doc, geo, i, ev, row, names, published) -> Unit:
    span = tuple(ev["span"])
    date = ev.get("date") or {}
    loc = ev.get("location") or {}
    geo_loc = row.get("location") or {}
    actors = [a.get("name") if isinstance(a, dict) else a for a in (ev.get("actors") or ())]
    targets = [t.get("name") if isinstance(t, dict) else t for t in (ev.get("targets") or ())]
    places = [loc.get("name"), row.get("place"), geo_loc.get("canonical"), geo_loc.get("admin1"),
              geo_loc.get("country"), row.get("country")]
    return Unit(
        "event", f"{doc.id}:e{i}", doc.id, span, geo.to_body(span),
        row.get("date_start") or date.get("start") or published, row.get("date_end") or date.get("end") or published,
        types=(ev.get("type") or "",), places=tuple(p for p in places if p),
        entities=tuple(dict.fromkeys([*actors, *targets, *_inside(names, span)])),
        event_id=row.get("event_id"))


def _statement(doc, geo, i, st, names, published) -> Unit:
    span = tuple(st["span"])
    speaker = st.get("speaker") or {}
    who = [speaker.get("name"), st.get("speaker_entity")]
    return Unit(
        "statement", f"{doc.id}:s{i}", doc.id, span, geo.to_body(span), st.get("date") or published,
        st.get("date") or published, claimants=tuple(dict.fromkeys(w for w in who if w)),
        entities=tuple(dict.fromkeys([*(w for w in who if w), *_inside(names, span)])))


def _figure(doc, geo, i, fig, row, event: Unit | None, paras, names, published) -> Unit:
    span = tuple(fig["span"])
    body_span = geo.to_body(span)
    k = max(bisect.bisect_right([p[0] for p in paras], body_span[0]) - 1, 0)
    within = paras[k] if paras else (0, len(doc.body))
    context = sentence(doc.body, body_span, (min(within[0], body_span[0]), max(within[1], body_span[1])))
    source = fig.get("source") or {}
    who = [row.get("claimant") or source.get("name"), row.get("claimant_class"), row.get("claimant_entity")]
    day = row.get("claimed_on") or published
    return Unit(
        "figure", f"{doc.id}:f{i}", doc.id, span, context, day, day,
        types=event.types if event else (), places=event.places if event else (),
        claimants=tuple(dict.fromkeys(w for w in who if w)),
        entities=tuple(dict.fromkeys([*(w for w in who[:1] if w), *_inside(names, geo.to_text(context))])),
        event_id=row.get("event_id") or (event.event_id if event else None))
