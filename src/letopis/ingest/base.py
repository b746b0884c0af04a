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


def storable(value: str) -> str:
    """`value` as text UTF-8 (and so SQLite) can hold: a file name's undecodable bytes become `\\xNN`, any other
    lone surrogate `\\udNNN`. Text that is valid already comes back unchanged."""
    try:
        value.encode("utf-8")
        return value
    except UnicodeEncodeError:
        pass
    try:
        return value.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:
        return value.encode("utf-8", "backslashreplace").decode("utf-8")


@dataclass(frozen=True, slots=True)
class Rejection:
    """An input that did not become a document, with a stable reason code and a one-line message.

    The source and message are always storable (`storable`): a file name with undecodable bytes or a message
    quoting a broken character can never make the store refuse the record of a refusal."""

    source: str
    reason: str
    message: str
    at: str = field(default_factory=utcnow)

    def __post_init__(self) -> None:
        object.__setattr__(self, "source", storable(self.source))
        object.__setattr__(self, "message", storable(self.message))

    def to_json(self) -> dict:
        return {"source": self.source, "reason": self.reason, "message": self.message, "at": self.at}

    @classmethod
    def from_json(cls, d: dict) -> Rejection:
        return cls(d["source"], d["reason"], d["message"], d.get("at") or utcnow())


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
