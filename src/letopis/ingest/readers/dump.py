"""One-line dumps: ` date YYYY-MM text…` (an optional leading space, then the date, then the article).

The date prefix gives `published` with month (or day) precision; the body is everything after it, unchanged,
so the map is the identity shifted by the prefix length. These dumps carry no title, and none is invented.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from ..base import IngestOptions, RawInput
from ..document import Document, OffsetMap, PartialDate, make_document
from .fields import trim

PREFIX = re.compile(r"\s?date (\d{4})-(\d{2})(?:-(\d{2}))? ")


def read(raw: RawInput, text: str, encoding: str, options: IngestOptions) -> Iterator[Document]:
    """One Document; `published` is None if the prefix names an impossible date (month 13)."""
    m = PREFIX.match(text)
    published = None
    start = 0
    if m:
        published = PartialDate.parse("-".join(g for g in m.groups() if g))
        start = m.end()
    start, stop = trim(text, start)
    yield make_document(
        raw.name, "dump", text, text[start:stop], OffsetMap.identity(stop - start, start),
        published=published, encoding=encoding,
    )
