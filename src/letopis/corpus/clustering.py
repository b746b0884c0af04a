"""One event however many articles report it: compare a mention with the events already known in its block.

A mention joins an event when they are of the same PLOVER category, mode (when both have one) and modality, their dates are
compatible (overlapping intervals; an undated mention only near its article's date), their places are the same or
nested (a town inside the region or country the other names), and enough evidence points the same way: the same day,
the same place, shared actors or targets, similar words. Every join keeps its reasons. The thresholds are data
(`rules.yaml`), and `Verdict.reasons` says which rule fired.
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import yaml

from .mentions import EventMention

RULES_PATH = Path(__file__).with_name("rules.yaml")
PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3, "decade": 4, None: 9}


@functools.cache
def rules() -> dict:
    return yaml.safe_load(RULES_PATH.read_text(encoding="utf-8"))["clustering"]


@dataclass(frozen=True, slots=True)
class Verdict:
    score: float
    reasons: tuple[str, ...]


def event_id(first: EventMention) -> str:
    return "ev-" + hashlib.sha256(first.id.encode()).hexdigest()[:16]


def _day(s: str | None, end: bool = False) -> dt.date | None:
    """'2022-01-06' → that day; '2022-01' → its first (or last) day; '2022' → the year's."""
    if not s:
        return None
    parts = [int(p) for p in s.split("-")]
    if len(parts) == 3:
        return dt.date(*parts)
    if len(parts) == 2:
        if not end:
            return dt.date(parts[0], parts[1], 1)
        nxt = dt.date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)
    return dt.date(parts[0], 12, 31) if end else dt.date(parts[0], 1, 1)


def interval(m: EventMention) -> tuple[dt.date, dt.date] | None:
    start, end = _day(m.date_start), _day(m.date_end or m.date_start, end=True)
    return (start, end) if start and end else None


def window(m: EventMention) -> tuple[dt.date, dt.date] | None:
    """Where an undated mention's event may lie: from some weeks before its article to the article's date."""
    if m.date_start:
        return interval(m)
    start, end = _day(m.published), _day(m.published, end=True)
    if not start:
        return None
    return start - dt.timedelta(days=rules()["undated_days_before_article"]), end


def _overlap(a, b) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def _place_relation(a: dict | None, b: dict | None) -> str | None:
    """'same', 'nested', 'apart', or None when either place is unknown or not geocoded."""
    if not a or not b or not a.get("country") or not b.get("country"):
        return None
    if a.get("canonical") and a.get("canonical") == b.get("canonical") and a["country"] == b["country"]:
        return "same"
    if a["country"] != b["country"]:
        return "apart"
    pa, pb = a.get("precision"), b.get("precision")
    if "country" in (pa, pb):
        return "nested"
    if pa == "region" and b.get("admin1") == a.get("canonical") or pb == "region" and a.get("admin1") == b.get("canonical"):
        return "nested"
    return "apart"


def _names(names: Sequence[str]) -> set[str]:
    return {w.lower().replace("ё", "е")[:5] for n in names for w in n.split() if len(w) > 3}


def compare(m: EventMention, other: EventMention) -> Verdict | None:
    """How well `m` fits an event `other` belongs to; None when they cannot be one occurrence."""
    r = rules()
    if m.type != other.type or _modal(m) != _modal(other):
        return None
    if m.mode and other.mode and m.mode != other.mode:      # an arrest and an internet shutdown are two occurrences
        return None
    score, reasons = 0.0, []
    a, b = interval(m), interval(other)
    if a and b:
        if not _overlap(a, b):
            return None
        if a == b and m.precision == "day" and other.precision == "day":
            score += r["score"]["same_day"]
            reasons.append("same day")
        else:
            score += r["score"]["overlapping_dates"]
            reasons.append("overlapping dates")
    else:
        wa, wb = window(m), window(other)
        if wa and wb and not _overlap(wa, wb):
            return None
    rel = _place_relation(m.location, other.location)
    if rel == "apart":
        return None
    if rel is None and m.country and other.country and m.country != other.country:
        return None
    if rel:
        score += r["score"][f"{rel}_place"]
        reasons.append(f"{rel} place")
    if _names(m.actors) & _names(other.actors):
        score += r["score"]["shared_actor"]
        reasons.append("shared actor")
    if _names(m.targets) & _names(other.targets):
        score += r["score"]["shared_target"]
        reasons.append("shared target")
    sim = _jaccard(m.words, other.words)
    if sim >= r["similar_words"]:
        score += r["score"]["similar_words"] * sim
        reasons.append(f"similar words {sim:.2f}")
    dated = bool(a and b)
    need = r["join_score"] if dated else r["join_score_undated"]
    if score < need:
        return None
    return Verdict(round(score, 3), tuple(reasons))


def _modal(m: EventMention) -> str:
    return "actual" if m.modality in ("asserted", "reported") else m.modality


def _jaccard(a: Sequence[str], b: Sequence[str]) -> float:
    sa, sb = set(a), set(b)
    return len(sa & sb) / len(sa | sb) if sa and sb else 0.0


def best_event(m: EventMention, events: dict[str, Sequence[EventMention]]) -> tuple[str, Verdict] | None:
    """The event (id → its members) `m` belongs to, or None. Every dated member must agree with `m` (no chaining
    of 5 January into 6 into 7); an undated mention joins only when one event stands out."""
    scored = []
    for eid, members in sorted(events.items()):
        verdicts = [compare(m, o) for o in members]
        if any(v is None and interval(o) and interval(m) for v, o in zip(verdicts, members)):
            continue
        good = [v for v in verdicts if v is not None]
        if good:
            scored.append((max(v.score for v in good), eid, max(good, key=lambda v: v.score)))
    if not scored:
        return None
    scored.sort(key=lambda x: (-x[0], x[1]))
    if m.date_start is None and len(scored) > 1 and scored[1][0] >= scored[0][0] - rules()["undated_margin"]:
        return None
    return scored[0][1], scored[0][2]


def summary(members: Sequence[EventMention]) -> dict:
    """The event as the corpus reports it: what most (non-background) members say, the most precise date and place."""
    fore = [m for m in members if not m.background] or list(members)
    dated = sorted((m for m in fore if m.date_start), key=lambda m: (PRECISION_RANK.get(m.precision, 9),)) or \
        sorted((m for m in members if m.date_start), key=lambda m: (PRECISION_RANK.get(m.precision, 9),))
    best_precision = PRECISION_RANK.get(dated[0].precision, 9) if dated else None
    dates = Counter((m.date_start, m.date_end, m.precision) for m in dated
                    if PRECISION_RANK.get(m.precision, 9) == best_precision)
    date = None
    if dates:
        (start, end, precision), _ = max(dates.items(), key=lambda kv: (kv[1], kv[0]))
        date = {"start": start, "end": end, "precision": precision}
    located = [m.location for m in fore if m.location and m.location.get("lat") is not None] or \
        [m.location for m in members if m.location and m.location.get("lat") is not None] or \
        [m.location for m in members if m.location]
    rank = {"town": 0, "region": 1, "country": 2}
    location = min(located, key=lambda loc: (rank.get(loc.get("precision"), 3), loc.get("canonical") or "")) \
        if located else None
    modes = Counter(m.mode for m in fore if m.mode)
    return {
        "type": members[0].type,
        "mode": max(sorted(modes), key=modes.get) if modes else None,
        "date": date,
        "location": location,
        "country": (location or {}).get("country")
        or next(iter(Counter(m.country for m in fore if m.country).most_common(1)), (None,))[0],
        "actors": _top(name for m in members for name in m.actors),
        "targets": _top(name for m in members for name in m.targets),
    }


def _top(names, k: int = 5) -> list[str]:
    counts = Counter(names)
    return [n for n, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:k]]


# --- the summary from tallies: the same record, kept up to date without reading every member ----------------------

Tally = tuple[str, int, str, int, str]    # (facet, background, value, members saying it, the first of them by id)


def tallies(m: EventMention) -> list[tuple[str, int, str]]:
    """What one member adds to its event's tallies, as (facet, background, value): `summary` reads nothing else."""
    bg = int(m.background)
    out = [("member", bg, ""), ("doc", 0, m.doc_id)]
    if m.date_start:
        out.append(("date", bg, _json([m.date_start, m.date_end, m.precision])))
    if m.location:
        out.append(("location", bg, _json(m.location)))
    if m.mode:
        out.append(("mode", bg, m.mode))
    if m.country:
        out.append(("country", bg, m.country))
    out += [("actor", bg, a) for a in m.actors]
    out += [("target", bg, t) for t in m.targets]
    return out


def count_tallies(members: Sequence[EventMention]) -> list[Tally]:
    """The tallies of an event counted from its members (all of them: an event stored before tallies existed)."""
    counts: dict[tuple[str, int, str], list] = {}
    for m in members:
        for key in tallies(m):
            row = counts.setdefault(key, [0, m.id])
            row[0] += 1
            row[1] = min(row[1], m.id)
    return [(*key, n, first) for key, (n, first) in counts.items()]


def summary_from_tallies(type_: str, rows: Sequence[Tally]) -> dict:
    """`summary` of the members these tallies count (rows of every facet but "doc"); equal to it field for field,
    ties broken the same way (the first member by id where `summary` keeps list order)."""
    by: dict[tuple[str, int], dict[str, tuple[int, str]]] = {}
    for facet, bg, value, n, first in rows:
        by.setdefault((facet, bg), {})[value] = (n, first)
    has_fore = bool(by.get(("member", 0)))

    def merged(facet: str, fore: bool) -> dict[str, tuple[int, str]]:
        out: dict[str, tuple[int, str]] = {}
        for bg in ((0,) if fore and has_fore else (0, 1)):
            for value, (n, first) in by.get((facet, bg), {}).items():
                had = out.get(value)
                out[value] = (n + had[0], min(first, had[1])) if had else (n, first)
        return out

    def in_order(values: dict[str, tuple[int, str]]) -> list[str]:      # as the members first say them
        return sorted(values, key=lambda v: values[v][1])

    dated = {tuple(json.loads(v)): n for v, (n, _) in (merged("date", True) or merged("date", False)).items()}
    best_precision = min((PRECISION_RANK.get(p, 9) for _, _, p in dated), default=None)
    dates = {k: n for k, n in dated.items() if PRECISION_RANK.get(k[2], 9) == best_precision}
    date = None
    if dates:
        (start, end, precision), _ = max(dates.items(), key=lambda kv: (kv[1], kv[0]))
        date = {"start": start, "end": end, "precision": precision}
    fore_places = [json.loads(v) for v in in_order(merged("location", True))]
    all_places = [json.loads(v) for v in in_order(merged("location", False))]
    located = [loc for loc in fore_places if loc.get("lat") is not None] or \
        [loc for loc in all_places if loc.get("lat") is not None] or all_places
    rank = {"town": 0, "region": 1, "country": 2}
    location = min(located, key=lambda loc: (rank.get(loc.get("precision"), 3), loc.get("canonical") or "")) \
        if located else None
    modes = {v: n for v, (n, _) in merged("mode", True).items()}
    countries = merged("country", True)
    country_counts = Counter({c: countries[c][0] for c in in_order(countries)})
    return {
        "type": type_,
        "mode": max(sorted(modes), key=modes.get) if modes else None,
        "date": date,
        "location": location,
        "country": (location or {}).get("country")
        or (country_counts.most_common(1)[0][0] if country_counts else None),
        "actors": _top_counted(merged("actor", False)),
        "targets": _top_counted(merged("target", False)),
    }


def _top_counted(values: dict[str, tuple[int, str]], k: int = 5) -> list[str]:
    return [v for v, _ in sorted(values.items(), key=lambda kv: (-kv[1][0], kv[0]))[:k]]


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False)
