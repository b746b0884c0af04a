"""What flows into the readers (RawInput), what comes out when an input is refused (Rejection), and the options."""
from __future__ import annotations

from dataclasses import dataclass, field

from .document import utcnow

MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class RawInput:
    """Bytes of one input and the name it was given: a path, `archive.zip!dir/a.txt`, or `<stdin>`."""

    name: str
    data: bytes


@dataclass(frozen=True, slots=True)
class Rejection:
    """An input that did not become a document, with a stable reason code and a one-line message."""

    source: str
    reason: str
    message: str
    at: str = field(default_factory=utcnow)

    def to_json(self) -> dict:
        return {"source": self.source, "reason": self.reason, "message": self.message, "at": self.at}


@dataclass(frozen=True, slots=True)
class TableFields:
    """Which fields of a JSONL/CSV export hold the article (first present name wins)."""

    text: tuple[str, ...] = ("text", "body", "content", "article", "full_text")
    title: tuple[str, ...] = ("title", "headline", "name")
    date: tuple[str, ...] = ("date", "published", "pub_date", "datetime", "published_at", "time")
    url: tuple[str, ...] = ("url", "link", "href", "source_url")
    author: tuple[str, ...] = ("author", "authors", "byline")


@dataclass(frozen=True, slots=True)
class IngestOptions:
    max_bytes: int = 20 * MB                 # a single file (or archive member) larger than this is rejected
    max_archive_bytes: int = 500 * MB        # total uncompressed size of one archive
    max_archive_ratio: float = 200.0         # uncompressed/compressed ratio above which an archive is a bomb
    max_archive_members: int = 200_000
    fields: TableFields = TableFields()
