"""Small helpers the readers share: metadata values to clean strings and dates, whitespace-trimmed spans."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from ..document import PartialDate, Span


def trim(text: str, start: int = 0, stop: int | None = None) -> Span:
    """The span [start, stop) of `text` without its surrounding whitespace (empty span at `start` if blank)."""
    stop = len(text) if stop is None else stop
    while start < stop and text[start].isspace():
        start += 1
    while stop > start and text[stop - 1].isspace():
        stop -= 1
    return start, stop


def pick(record: Mapping, names: tuple[str, ...]):
    """The value of the first of `names` present and non-empty in `record`, keys compared case-insensitively."""
    lowered = {str(k).strip().lower(): v for k, v in record.items()}
    for name in names:
        value = lowered.get(name.lower())
        if value not in (None, "", [], {}):
            return value
    return None


def as_text(value) -> str | None:
    """A metadata value as one clean line: strings stripped, lists of names joined with ', '."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        parts = [as_text(v) for v in value]
        return ", ".join(p for p in parts if p) or None
    if isinstance(value, Mapping):
        return as_text(value.get("name"))
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        line = " ".join(str(value).split())
        return line or None
    return None


def partial_date(value) -> PartialDate | None:
    """A date, datetime, year number or date string as a PartialDate; anything else is None, never a guess."""
    if isinstance(value, datetime):
        return PartialDate(value.year, value.month, value.day)
    if isinstance(value, date):
        return PartialDate(value.year, value.month, value.day)
    if isinstance(value, int) and not isinstance(value, bool):
        return PartialDate(value) if 1000 <= value <= 9999 else None
    if isinstance(value, str):
        return PartialDate.parse(value)
    return None


def find_span(text: str, needle: str | None, start: int = 0, stop: int | None = None) -> Span | None:
    """Span of the first exact occurrence of `needle` in text[start:stop], or None."""
    if not needle:
        return None
    i = text.find(needle, start, len(text) if stop is None else stop)
    return (i, i + len(needle)) if i >= 0 else None
