"""Specific exceptions. Each message says what went wrong and what to do; the CLI turns them into exit codes."""
from __future__ import annotations


class LetopisError(Exception):
    """Base of every error letopis raises on purpose."""


class IngestError(LetopisError):
    """An input that cannot become a document. `reason` is a short stable code stored with the rejection."""

    reason = "rejected"

    def __init__(self, message: str, reason: str | None = None):
        super().__init__(message)
        if reason:
            self.reason = reason


class EmptyInput(IngestError):
    reason = "empty"


class BinaryInput(IngestError):
    reason = "binary"


class TooLarge(IngestError):
    reason = "too-large"


class Undecodable(IngestError):
    reason = "undecodable"


class MalformedFrontMatter(IngestError):
    reason = "bad-front-matter"


class MalformedRecord(IngestError):
    reason = "bad-record"


class UnsafeArchiveMember(IngestError):
    reason = "unsafe-path"


class ArchiveBomb(IngestError):
    reason = "archive-bomb"


class BadArchive(IngestError):
    reason = "bad-archive"


class Unreadable(IngestError):
    reason = "unreadable"


class NotFound(IngestError):
    reason = "not-found"


class StoreError(LetopisError):
    """The database cannot be opened or migrated."""


class UnknownDocument(LetopisError):
    """No document with that id (or id prefix) in the store."""


class BadCorrection(LetopisError):
    """A correction that cannot be stored as given (an unknown field, a value of the wrong kind, no note)."""


class UnknownTarget(LetopisError):
    """A correction names a claim, event or statement that is not in the store."""
