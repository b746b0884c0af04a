"""The matching rules both scorers share: where gold evidence sits, when a span hits it, when names,
numbers and dates agree.

A gold item names its place by an `evidence` string (every occurrence in the text counts) or by offsets `at`;
a predicted span hits it when the two `[start, stop)` ranges share a character. Names match leniently (equal after
normalisation, or one shared five-letter word stem, which lets "Токаева" meet "Касым-Жомарт Токаев"); numbers
match exactly unless the gold marks them vague or approximate, when the two ranges need only intersect.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Iterable

from ..errors import LetopisError

Span = tuple[int, int]

# a predicted span longer than this never matches: covering a whole paragraph is not finding the item
MAX_SPAN = {"figures": 120, "times": 80, "events": 400, "statements": 1500}
VAGUE_KEYS = ("vague", "approx")
STEM = 5          # letters of a word that make its stem
MIN_WORD = 3      # shorter words carry no name


class GoldError(LetopisError):
    """A gold file that cannot be read: the message names the line and the field to fix."""


@dataclass(frozen=True, slots=True)
class Counts:
    """True positives, false positives and false negatives of one kind of item."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_json(self) -> dict:
        return {"P": round(self.precision, 3), "R": round(self.recall, 3), "F1": round(self.f1, 3),
                "tp": self.tp, "fp": self.fp, "fn": self.fn}


@dataclass(frozen=True, slots=True)
class Accuracy:
    """How many of `n` judged attributes were right; `value` is None when nothing was judged."""

    ok: int = 0
    n: int = 0

    def add(self, right: bool) -> Accuracy:
        return Accuracy(self.ok + bool(right), self.n + 1)

    @property
    def value(self) -> float | None:
        return self.ok / self.n if self.n else None

    def to_json(self) -> dict:
        return {"acc": None if self.value is None else round(self.value, 3), "ok": self.ok, "n": self.n}


def norm(s: str | None) -> str:
    return re.sub(r"\s+", " ", (s or "").lower().replace("ё", "е")).strip()


def stems(s: str | None) -> set[str]:
    return {w[:STEM] for w in re.findall(r"[\w-]+", norm(s)) if len(w) >= MIN_WORD}


def same_name(pred: str | None, gold: str | None) -> bool:
    """Equal after normalisation, or sharing a word stem (a surname in another case)."""
    if not pred or not gold:
        return False
    return norm(pred) == norm(gold) or bool(stems(pred) & stems(gold))


def occurrences(text: str, evidence: str) -> list[Span]:
    """Every place `evidence` occurs in `text`, overlapping occurrences included."""
    found, i = [], text.find(evidence) if evidence else -1
    while i >= 0:
        found.append((i, i + len(evidence)))
        i = text.find(evidence, i + 1)
    return found


def gold_spans(item: dict, text: str) -> list[Span]:
    """Where a gold item sits: its `at` offsets, else every occurrence of its `evidence`."""
    if item.get("at"):
        start, stop = item["at"]
        return [(int(start), int(stop))]
    return occurrences(text, item.get("evidence") or "")


def as_span(value: Any) -> Span | None:
    if isinstance(value, (list, tuple)) and len(value) == 2 and all(isinstance(x, int) for x in value):
        return (value[0], value[1])
    return None


def hits(span: Any, spans: Iterable[Span]) -> bool:
    """Does the predicted `span` share a character with one of `spans`?"""
    s = as_span(span)
    return s is not None and any(s[0] < stop and start < s[1] for start, stop in spans)


def fits(span: Any, max_span: int) -> bool:
    s = as_span(span)
    return s is not None and s[1] - s[0] <= max_span


def bounds_ok(pred: dict, gold: dict) -> bool:
    """`low`/`high` agree: exactly, or (gold vague or approximate) the two ranges intersect."""
    if any(gold.get(k) for k in VAGUE_KEYS):
        plo, phi = _bound(pred.get("low"), -math.inf), _bound(pred.get("high"), math.inf)
        glo, ghi = _bound(gold.get("low"), -math.inf), _bound(gold.get("high"), math.inf)
        return plo <= ghi and glo <= phi
    return pred.get("low") == gold.get("low") and pred.get("high") == gold.get("high")


def _bound(value, default: float) -> float:
    return default if value is None else value


def date_ok(pred: Any, gold: str | None) -> bool | None:
    """A predicted date (a string, or a dict with start/end) against gold 'YYYY-MM-DD' or 'start/end'.

    None when the gold has no date (nothing to judge)."""
    if gold is None:
        return None
    start, _, end = gold.partition("/")
    end = end or start
    if isinstance(pred, dict):
        p_start, p_end = pred.get("start"), pred.get("end") or pred.get("start")
    else:
        p_start = p_end = pred
    return p_start == start and p_end == end


def date_text(value: Any) -> str | None:
    """A predicted date as 'start/end' (or the string it is), for messages."""
    if isinstance(value, dict):
        return f"{value.get('start')}/{value.get('end')}" if value else None
    return value


def name_of(value: Any) -> str | None:
    """The name of a contract field that is either a string or {"name": …, "span": …}."""
    return value.get("name") if isinstance(value, dict) else value


def source_key(source: str | None) -> str:
    """How gold files name a source: the last path part ('examples/17_feed.jsonl#2' → '17_feed.jsonl#2')."""
    return PurePosixPath(str(source or "").replace("\\", "/")).name


def clip(s: str, n: int = 90) -> str:
    s = " ".join((s or "").split())
    return s if len(s) <= n else s[: n - 1] + "…"


def outcome(expected: Any, got: Any) -> str:
    """'expected X, got Y', leaving out a side that is None."""
    parts = ([f"expected {expected!r}"] if expected is not None else []) + ([f"got {got!r}"] if got is not None else [])
    return ", ".join(parts)


def load_jsonl(path: str | Path) -> list[dict]:
    """The JSON objects of a JSONL file; a broken line raises GoldError naming it."""
    rows = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as err:
                raise GoldError(f"{path}:{number}: not JSON ({err.msg}); fix the line") from err
    return rows
