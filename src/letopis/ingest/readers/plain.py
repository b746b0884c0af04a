"""Plain text: the first line is the title when it looks like one; the rest is the body, unchanged.

A first non-empty line is a title if it is short, does not end like a sentence or a clause, and more text
follows it — after a blank line, or on the next line unless that line continues it in lowercase (hard wrap).
Plain text has no date field, so `published` is always None: a date in the prose is a fact for the
extractors to find with its span, not metadata to invent here.
"""
from __future__ import annotations

from collections.abc import Iterator

from ..base import IngestOptions, RawInput
from ..document import Document, OffsetMap, Span, make_document
from .fields import trim

MAX_TITLE_CHARS = 200
NOT_TITLE_ENDINGS = (".", ",", ";", ":", "-", "—", "–")


def title_line(text: str) -> Span | None:
    """Span of the title line of `text`, or None when the first line reads as prose."""
    start, stop = trim(text)
    end = text.find("\n", start, stop)
    if end < 0:
        return None  # a single line is all body
    span = trim(text, start, end)
    line = text[span[0]:span[1]]
    if not line or len(line) > MAX_TITLE_CHARS or line.endswith(NOT_TITLE_ENDINGS) and not line.endswith("..."):
        return None
    rest = text[end:stop]
    if not rest.strip():
        return None
    next_line = rest[1:].split("\n", 1)[0]
    if next_line.strip() and next_line.lstrip()[:1].islower():
        return None  # a hard-wrapped paragraph continues on the next line
    return span


def read(raw: RawInput, text: str, encoding: str, options: IngestOptions) -> Iterator[Document]:
    """One Document: title from the first line if it is one, body from the rest."""
    span = title_line(text)
    start, stop = trim(text, span[1] if span else 0)
    yield make_document(
        raw.name, "plain", text, text[start:stop], OffsetMap.identity(stop - start, start),
        title=text[span[0]:span[1]] if span else None, title_span=span, encoding=encoding,
    )
