"""Corrections: a researcher's word on a figure claim, an event or a statement, kept beside it and never over it.

    c = new_correction("claim", "doc-…:2", "value", note="the ministry revised it on 7 March", author="A. Petrova",
                       field="low", value=12, was={"low": 5, "high": 5, …})

A correction is one of three kinds: `wrong` (the item should not be there, or says what the article does not),
`value` (a corrected value of one field of the item; `FIELDS` says which fields each item has and what values they
take) and `note` (a remark). Each says who (`author`, as the researcher signs it), when (`created_at`, the server's
clock, UTC) and why (`note`, always required), and keeps what the item said when it was corrected (`was`), so a
later re-extraction that changes the item does not change what the correction was about. Corrections are
append-only: one is taken back by another (a `note`, or a `value` with the old value).
"""
from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass, field as dc_field

from ..annotate.figures import CATEGORIES
from ..errors import BadCorrection
from ..extract.ontology import categories as event_types
from ..ingest.document import utcnow

TARGETS = ("claim", "event", "statement")
KINDS = ("wrong", "value", "note")
# target → correctable field → the kind of value it takes
FIELDS: dict[str, dict[str, str]] = {
    "claim": {"category": "category", "low": "number", "high": "number", "claimant": "text", "claimed_on": "date"},
    "event": {"type": "event-type", "date_start": "date", "date_end": "date", "place": "text", "country": "country"},
    "statement": {"speaker": "text", "date": "date"},
}
REQUIRED = frozenset({"category", "event-type"})       # value kinds that cannot be corrected to null
MAX_AUTHOR, MAX_NOTE, MAX_TEXT = 100, 4000, 200
_DATE = re.compile(r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class Correction:
    id: str
    target: str                     # claim, event, statement
    target_id: str
    kind: str                       # wrong, value, note
    note: str
    author: str
    created_at: str
    field: str | None = None
    value: object = None            # JSON-able; kind value only
    was: dict = dc_field(default_factory=dict)

    def to_json(self) -> dict:
        return {"id": self.id, "target": self.target, "target_id": self.target_id, "kind": self.kind,
                "field": self.field, "value": self.value, "note": self.note, "author": self.author,
                "created_at": self.created_at, "was": dict(self.was)}

    @classmethod
    def from_json(cls, d: dict) -> Correction:
        return cls(id=d["id"], target=d["target"], target_id=d["target_id"], kind=d["kind"], note=d["note"],
                   author=d["author"], created_at=d["created_at"], field=d.get("field"), value=d.get("value"),
                   was=dict(d.get("was") or {}))


def new_correction(target: str, target_id: str, kind: str, note: str, author: str, field: str | None = None,
                   value: object = None, was: dict | None = None, at: str | None = None) -> Correction:
    """A checked correction with its id; raises `BadCorrection` saying what to fix."""
    if target not in TARGETS:
        raise BadCorrection(f"unknown target {target!r}: use one of {', '.join(TARGETS)}")
    if kind not in KINDS:
        raise BadCorrection(f"unknown kind {kind!r}: use one of {', '.join(KINDS)}")
    author = _line(author, "author", MAX_AUTHOR)
    note = _text(note, "note", MAX_NOTE)
    if kind == "value":
        if field not in FIELDS[target]:
            raise BadCorrection(f"a value correction of a {target} names its field: one of "
                                f"{', '.join(FIELDS[target])}")
        value = check_value(FIELDS[target][field], value, field)
    elif field is not None or value is not None:
        raise BadCorrection(f"a {kind!r} correction has no field or value: use kind 'value' to correct one")
    at = at or utcnow()
    body = [target, target_id, kind, field, value, note, author, at]
    digest = hashlib.sha256(json.dumps(body, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:16]
    return Correction(f"cor-{digest}", target, target_id, kind, note, author, at, field, value, dict(was or {}))


def check_value(kind: str, value: object, name: str = "value") -> object:
    """`value` as stored for a field of `kind` (number, date, text, category, event-type, country)."""
    if value is None:
        if kind in REQUIRED:
            raise BadCorrection(f"{name} cannot be corrected to null")
        return None
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
                or not 0 <= value <= 10**12:
            raise BadCorrection(f"{name} takes a number from 0 to 10^12, not {value!r}")
        return int(value) if float(value).is_integer() else float(value)
    if not isinstance(value, str):
        raise BadCorrection(f"{name} takes a string, not {type(value).__name__}")
    if kind == "date":
        if not _DATE.fullmatch(value):
            raise BadCorrection(f"{name} takes a date YYYY[-MM[-DD]], not {value!r}")
        return value
    if kind == "category":
        if value.lower() not in CATEGORIES:
            raise BadCorrection(f"{name} takes one of {', '.join(CATEGORIES)}, not {value!r}")
        return value.lower()
    if kind == "event-type":
        types = {t.upper(): t for t in event_types()}
        if value.upper() not in types:
            raise BadCorrection(f"{name} takes a PLOVER category ({', '.join(types)}), not {value!r}")
        return types[value.upper()]
    if kind == "country":
        if not re.fullmatch(r"[A-Za-z]{2}", value):
            raise BadCorrection(f"{name} takes an ISO 3166 code such as KZ, not {value!r}")
        return value.upper()
    return _line(value, name, MAX_TEXT)


def was_of(target: str, item: dict) -> dict:
    """The correctable fields of an item as the API gives it (a claim, event or statement record)."""
    if target == "event":
        date, loc = item.get("date") or {}, item.get("location") or {}
        return {"type": item.get("type"), "date_start": date.get("start"), "date_end": date.get("end"),
                "place": loc.get("name"), "country": item.get("country")}
    return {k: item.get(k) for k in FIELDS[target]}


def _text(value: object, name: str, limit: int) -> str:
    if not isinstance(value, str) or not value.strip():
        what = {"author": "who corrects", "note": "why"}.get(name, "the value")
        raise BadCorrection(f"{name} is required: a string saying {what}")
    value = _CONTROL.sub(" ", value).strip()
    if len(value) > limit:
        raise BadCorrection(f"{name} is {len(value)} characters long: at most {limit}")
    return value


def _line(value: object, name: str, limit: int) -> str:
    return " ".join(_text(value, name, limit).split())
