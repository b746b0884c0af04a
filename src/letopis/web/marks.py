"""Marked text for the pages: spans into `Document.text` shown over the readable `Document.body`.

Every span letopis stores points into the document's original text (for an HTML page that is the markup). The
pages show the markup-free body, so spans are mapped back through the body's offset map (`text_span_to_body`).
`segments` cuts a text into pieces, each with the set of marks covering it, so overlapping marks (a figure inside
a statement inside an event's sentence) need no nesting; templates render each piece as one escaped <span>.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from ..ingest.document import Document, OffsetMap

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Mark:
    """A span of the shown text with its layer ("ev", "st", "fig", "ent", "hit", "trigger"), a tooltip, a link
    and an anchor id for the first piece it covers."""
    start: int
    stop: int
    layer: str
    label: str = ""
    href: str | None = None
    anchor: str | None = None


@dataclass(frozen=True, slots=True)
class Piece:
    text: str
    layers: tuple[str, ...] = ()
    label: str = ""
    href: str | None = None
    anchors: tuple[str, ...] = ()

    @property
    def classes(self) -> str:
        return " ".join(f"mk-{layer}" for layer in self.layers)


class BodyMap:
    """Text offsets → body offsets: the inverse of a document's `OffsetMap` (runs copied unchanged)."""

    def __init__(self, offsets: OffsetMap, body_len: int):
        self.runs = sorted(offsets.runs, key=lambda r: r[1])
        self.starts = [r[1] for r in self.runs]
        self.body_len = body_len

    def to_body(self, pos: int, *, end: bool = False) -> int:
        if not self.runs:
            return min(max(pos, 0), self.body_len)
        probe = pos - 1 if end and pos > 0 else pos
        i = bisect.bisect_right(self.starts, probe) - 1
        if i >= 0:
            b0, t0, n = self.runs[i]
            if probe < t0 + n:
                return b0 + probe - t0 + (1 if end else 0)
            if end:                                     # in markup after run i: stop where the run stops
                return b0 + n
        if end:
            return 0
        nxt = self.runs[i + 1] if i + 1 < len(self.runs) else None
        return nxt[0] if nxt else self.body_len         # in markup before run i+1: start where it starts

    def span(self, span) -> Span | None:
        """The body span of a text span; None when it covers no body character (it lay in markup only)."""
        s, e = self.to_body(span[0]), self.to_body(span[1], end=True)
        return (s, e) if e > s else None


def body_map(doc: Document) -> BodyMap:
    return BodyMap(doc.body_map, len(doc.body))


def segments(text: str, marks: list[Mark], base: int = 0) -> list[Piece]:
    """Cut `text` (which starts at offset `base` of the marked text) into pieces of constant mark cover."""
    end = base + len(text)
    marks = [m for m in marks if m.stop > base and m.start < end and m.stop > m.start]
    cuts = sorted({base, end, *(max(m.start, base) for m in marks), *(min(m.stop, end) for m in marks)})
    out: list[Piece] = []
    for a, b in zip(cuts, cuts[1:]):
        cover = [m for m in marks if m.start < b and m.stop > a]
        layers = tuple(dict.fromkeys(m.layer for m in cover))
        label = " · ".join(dict.fromkeys(m.label for m in cover if m.label))
        href = next((m.href for m in reversed(cover) if m.href), None)
        anchors = tuple(m.anchor for m in cover if m.anchor and max(m.start, base) == a)
        out.append(Piece(text[a - base:b - base], layers, label, href, anchors))
    return out


_SENTENCE_END = re.compile(r"[.!?…](?=[\s»\"”)]*\s)|\n")


def window(text: str, span: Span, limit: int = 420) -> Span:
    """The context to show around `span`: its paragraph, or when that is long, the sentences around it."""
    s, e = span
    p0 = text.rfind("\n", 0, s) + 1
    p1 = text.find("\n", e)
    p1 = len(text) if p1 < 0 else p1
    if p1 - p0 <= limit or e - s >= limit:
        return (p0, p1) if e - s < limit else (s, e)
    starts = [m.end() for m in _SENTENCE_END.finditer(text, p0, s)]
    a = starts[-1] if starts else p0
    m = _SENTENCE_END.search(text, e, p1)
    b = m.end() if m else p1
    return a, b


def context(text: str, span: Span, marks: list[Mark], limit: int = 420) -> list[Piece]:
    """The pieces of the context window around `span`, with leading/trailing blanks trimmed off."""
    a, b = window(text, span, limit)
    while a < span[0] and text[a].isspace():
        a += 1
    while b > span[1] and text[b - 1].isspace():
        b -= 1
    pieces = segments(text[a:b], marks, a)
    if a > 0 and text[a - 1] != "\n":
        pieces.insert(0, Piece("… "))
    if b < len(text) and text[b] != "\n":
        pieces.append(Piece(" …"))
    return pieces


@dataclass(slots=True)
class Layers:
    """Collects the marks of one document (in body offsets), dropping spans that lie in markup only."""
    bmap: BodyMap
    marks: list[Mark] = field(default_factory=list)

    def add(self, span, layer: str, label: str = "", href: str | None = None, anchor: str | None = None) -> Span | None:
        if not span:
            return None
        b = self.bmap.span(span)
        if b:
            self.marks.append(Mark(b[0], b[1], layer, label, href, anchor))
        return b
