"""The folded forms the store filters and groups by: `fold` (lower case, ё as е — what the SQL function
`letopis_fold` does, registered on every SQLite connection and defined in the PostgreSQL schema) and the key of a
place (its folded name and its country: migration 0009 computes the same for rows stored before it)."""
from __future__ import annotations


def fold(s: str | None) -> str:
    return (s or "").lower().replace("ё", "е")


def place_name(loc: dict) -> str:
    return loc.get("canonical") or loc.get("name") or ""


def place_key(loc: dict | None) -> str | None:
    """The key of a place (an event's location, a LOC entity's place) with coordinates; None without them."""
    if not loc or loc.get("lat") is None or loc.get("lon") is None:
        return None
    return f"{fold(place_name(loc))}|{loc.get('country') or ''}"
