"""The passage of a hit with its matching words marked: the words of a unit are analysed again and matched against
the query's clauses the way FTS5 matched them (a word by its lemma or its stem; a phrase by all its lemmas or all its
stems in a row). Returned as pieces of plain text (the web layer escapes them) and as spans into the document text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from .analyzer import Word, words
from .syntax import Clause

_NEWLINES = re.compile(r"\s*\n\s*")
WINDOW = 280          # characters of context shown around the first match
Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Piece:
    text: str
    match: bool

    def to_json(self) -> dict:
        return {"text": self.text, "match": self.match}


def matches(ws: Sequence[Word], clauses: Sequence[Clause]) -> list[Span]:
    """Spans (into the analysed text) of every occurrence of every clause, sorted, overlaps merged."""
    found: list[Span] = []
    lemmas = [w.lemma for w in ws]
    stems = [w.stem for w in ws]
    for c in clauses:
        n = len(c.lemmas)
        firsts = {c.lemmas[0], c.places[0] if c.places else c.lemmas[0]}
        for i in range(len(ws) - n + 1):
            if lemmas[i] not in firsts and stems[i] != c.stems[0]:
                continue
            got = tuple(lemmas[i:i + n])
            if got == c.lemmas or got == c.places or tuple(stems[i:i + n]) == c.stems:
                found.append((ws[i].start, ws[i + n - 1].stop))
    merged: list[Span] = []
    for a, b in sorted(found):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def highlight(passage: str, clauses: Sequence[Clause], window: int = WINDOW) -> tuple[tuple[Piece, ...], list[Span]]:
    """(pieces of the shown part of `passage`, every match span in `passage`). The shown part is the whole passage
    when it is short, else about `window` characters from shortly before the first match, cut at spaces."""
    spans = matches(words(passage), clauses) if clauses else []
    lo, hi = _window(passage, spans[0] if spans else (0, 0), window)
    pieces: list[Piece] = []
    pos = lo
    for a, b in spans:
        if b <= lo or a >= hi:
            continue
        a, b = max(a, lo), min(b, hi)
        if a > pos:
            pieces.append(Piece(passage[pos:a], False))
        pieces.append(Piece(passage[a:b], True))
        pos = b
    if pos < hi:
        pieces.append(Piece(passage[pos:hi], False))
    if lo > 0:
        pieces.insert(0, Piece("…", False))
    if hi < len(passage):
        pieces.append(Piece("…", False))
    return tuple(_clean(pieces)), spans


def _window(text: str, first: Span, size: int) -> Span:
    if len(text) <= size:
        return 0, len(text)
    lo = max(0, first[0] - size // 4)
    if lo > 0:
        cut = text.find(" ", lo, first[0])
        lo = cut + 1 if cut >= 0 else lo
    hi = min(len(text), max(lo + size, first[1]))
    if hi < len(text):
        cut = text.rfind(" ", max(first[1], lo + 1), hi)
        hi = cut if cut > 0 else hi
    return lo, hi


def _clean(pieces: list[Piece]) -> list[Piece]:
    """Newlines inside a passage become spaces (a snippet is one line); empty pieces go."""
    return [Piece(_NEWLINES.sub(" ", p.text), p.match) for p in pieces if p.text]
