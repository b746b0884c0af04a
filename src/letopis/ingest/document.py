"""The Document record: one article, its exact text, its markup-free body and the map between them.

Every offset in letopis points into `Document.text` (the file's text exactly as decoded). Annotators work on
`Document.body`; `Document.body_map` turns a body span back into a text span.
"""
from __future__ import annotations

import bisect
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

from ..errors import Undecodable

Span = tuple[int, int]

PRECISIONS = ("day", "month", "year")


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A publication date known to day, month or year precision ("2022-01" is month)."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    def __str__(self) -> str:
        if self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    @classmethod
    def parse(cls, value: str | None) -> PartialDate | None:
        """'2022-01-09', '2022-01', '2022', '2022-01-09T10:00:00+03:00', '09.01.2022' → PartialDate; else None."""
        if not value:
            return None
        value = str(value).strip()
        m = re.match(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ].*)?$", value)
        if m:
            y, mo, d = (int(g) if g else None for g in m.groups())
        else:
            m = re.match(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$", value)
            if not m:
                return None
            d, mo, y = (int(g) for g in m.groups())
        if mo == 0 or d == 0:       # "1999-00-00": no month, no day — not a date to read a precision from
            return None
        try:
            date(y, mo or 1, d or 1)
        except ValueError:
            return None
        return cls(y, mo, d)

    def first_day(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)


@dataclass(frozen=True, slots=True)
class OffsetMap:
    """Runs of characters copied unchanged from text into body: (body_start, text_start, length), sorted.

    A body span maps to the text span from its first to its last character; both lie in runs, because every
    body character was copied from the text (markup removed, never rewritten). Characters the reader
    inserted (paragraph breaks between HTML blocks) belong to no run and map to the nearest run edge.
    """

    runs: tuple[tuple[int, int, int], ...] = ()

    @classmethod
    def identity(cls, length: int, text_start: int = 0) -> OffsetMap:
        return cls(((0, text_start, length),)) if length else cls()

    def to_text(self, pos: int, *, end: bool = False) -> int:
        """Text offset of body position `pos` (a stop offset when `end`)."""
        if not self.runs:
            return pos
        starts = [r[0] for r in self.runs]
        probe = pos - 1 if end and pos > 0 else pos
        i = max(bisect.bisect_right(starts, probe) - 1, 0)
        b0, t0, n = self.runs[i]
        inner = min(max(probe - b0, 0), max(n - 1, 0))
        return t0 + inner + (1 if end else 0)

    def span_to_text(self, span: Span) -> Span:
        start, stop = span
        if stop <= start:       # an empty span is a boundary: the one after the character before it
            t = self.to_text(start, end=True) if start > 0 else self.to_text(0)
            return (t, t)
        return (self.to_text(start), self.to_text(stop, end=True))

    def to_json(self) -> list[list[int]]:
        return [list(r) for r in self.runs]

    @classmethod
    def from_json(cls, data) -> OffsetMap:
        return cls(tuple(tuple(int(x) for x in r) for r in data or ()))


class BodyBuilder:
    """Builds a body by copying slices of the original text, recording the offset map as it goes."""

    def __init__(self, text: str):
        self.text = text
        self.parts: list[str] = []
        self.runs: list[tuple[int, int, int]] = []
        self.length = 0

    def copy(self, start: int, stop: int) -> None:
        if stop <= start:
            return
        piece = self.text[start:stop]
        if self.runs:
            b0, t0, n = self.runs[-1]
            if b0 + n == self.length and t0 + n == start:
                self.runs[-1] = (b0, t0, n + len(piece))
            else:
                self.runs.append((self.length, start, len(piece)))
        else:
            self.runs.append((self.length, start, len(piece)))
        self.parts.append(piece)
        self.length += len(piece)

    def insert(self, literal: str) -> None:
        """Add characters that are not in the text (e.g. a paragraph break); they map to no run."""
        self.parts.append(literal)
        self.length += len(literal)

    def build(self) -> tuple[str, OffsetMap]:
        return "".join(self.parts), OffsetMap(tuple(self.runs))


def content_id(text: str) -> str:
    """Content hash of an article's text: the same words under another name or encoding give the same id.

    Unicode is NFC-normalised, newlines unified and surrounding whitespace dropped before hashing.
    """
    norm = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n").strip()
    return "doc-" + hashlib.sha256(norm.encode("utf-8")).hexdigest()[:16]


def utcnow() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


@dataclass(frozen=True, slots=True)
class Document:
    id: str
    source: str
    format: str
    text: str
    body: str
    body_map: OffsetMap
    title: str | None = None
    title_span: Span | None = None
    published: PartialDate | None = None
    author: str | None = None
    url: str | None = None
    language: str = "ru"
    encoding: str = "utf-8"
    ingested_at: str = field(default_factory=utcnow)

    @property
    def precision(self) -> str | None:
        return self.published.precision if self.published else None

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "source": self.source,
            "format": self.format,
            "title": self.title,
            "title_span": list(self.title_span) if self.title_span else None,
            "published": str(self.published) if self.published else None,
            "precision": self.precision,
            "author": self.author,
            "url": self.url,
            "language": self.language,
            "encoding": self.encoding,
            "ingested_at": self.ingested_at,
            "text": self.text,
            "body": self.body,
            "body_map": self.body_map.to_json(),
        }

    @classmethod
    def from_json(cls, d: dict) -> Document:
        return cls(
            id=d["id"],
            source=d["source"],
            format=d["format"],
            text=d["text"],
            body=d["body"],
            body_map=OffsetMap.from_json(d.get("body_map")),
            title=d.get("title"),
            title_span=tuple(d["title_span"]) if d.get("title_span") else None,
            published=PartialDate.parse(d.get("published")),
            author=d.get("author"),
            url=d.get("url"),
            language=d.get("language") or "ru",
            encoding=d.get("encoding") or "utf-8",
            ingested_at=d.get("ingested_at") or utcnow(),
        )


def make_document(source: str, fmt: str, text: str, body: str, body_map: OffsetMap, **meta) -> Document:
    """A Document whose id is the content hash of its text. Raises Undecodable when a field holds a lone surrogate
    (a JSON or YAML escape such as `\\ud800` that names half a character): UTF-8 and SQLite cannot hold it."""
    for name, value in (("text", text), ("body", body), *meta.items()):
        if isinstance(value, str) and (bad := _lone_surrogate(value)) is not None:
            raise Undecodable(f"the {name} holds an unpaired surrogate U+{ord(value[bad]):04X} at character {bad}, "
                              "half of a character (a broken \\u escape?); fix the source")
    return Document(id=content_id(text), source=source, format=fmt, text=text, body=body, body_map=body_map, **meta)


def _lone_surrogate(value: str) -> int | None:
    try:
        value.encode("utf-8")
        return None
    except UnicodeEncodeError as e:
        return e.start
