"""The figure ledger: every figure claim in the corpus, side by side, never overwritten or averaged away.

`claims(extraction, text, mentions)` turns one article's figures into `Claim` records: category and bounds, the
claimant (the figure's source, or the article itself) and its class, the day it was claimed (the date of the
statement it sits in, the day named before "тогда…", else the article's date), the day it counts up to
("к 19 января"), the event mention it belongs to, and its span. The views — all claims of an event, the latest per
claimant, the range, contradictions — are plain functions over claims.
"""
from __future__ import annotations

import functools
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterable, Sequence

import yaml

from .mentions import EventMention, in_spans

Span = tuple[int, int]
CLAIMANTS_PATH = Path(__file__).with_name("claimants.yaml")
_SENTENCE_END = re.compile(r"[.!?…]\s|\n")


@dataclass(frozen=True, slots=True)
class Claim:
    id: str                        # doc_id:index in the extraction's figures
    doc_id: str
    source: str
    index: int
    category: str
    low: int | float | None
    high: int | float | None
    span: Span
    text: str                      # the words of the figure
    claimant: str | None           # who says so; None: the article states it itself
    claimant_class: str            # authorities, rights-groups, media, witnesses, international, organisations, article
    claimant_span: Span | None
    claimed_on: str | None         # the day the claim was made ("YYYY-MM-DD", or the article's coarser date)
    claimed_on_rule: str
    counts_to: str | None          # "к 19 января": the day the count runs up to
    mention_id: str | None         # the event mention it belongs to (doc_id:index)
    link_rule: str | None          # how it was linked: "event" (the extractor), "paragraph", "document"
    background: bool = False
    event_id: str | None = None    # the corpus event, filled by the corpus stage
    claimant_entity: str | None = None

    def to_json(self) -> dict:
        d = asdict(self)
        d["span"] = list(self.span)
        d["claimant_span"] = list(self.claimant_span) if self.claimant_span else None
        return d

    @classmethod
    def from_json(cls, d: dict) -> Claim:
        d = dict(d)
        d["span"] = tuple(d["span"])
        d["claimant_span"] = tuple(d["claimant_span"]) if d.get("claimant_span") else None
        return cls(**d)


@functools.cache
def _claimant_rules() -> dict:
    return yaml.safe_load(CLAIMANTS_PATH.read_text(encoding="utf-8"))


def claimant_class(name: str | None, roles: Sequence[str] = ()) -> str:
    """The kind of claimant a name (or, for a person, a role seen with it) denotes; 'article' when nobody is named.
    Stems of three letters or fewer are whole words ("мвд", "ес")."""
    if not name:
        return "article"
    words = re.findall(r"[а-яёa-z]+", " ".join([name, *roles]).lower().replace("ё", "е"))
    for cls, stems in _claimant_rules()["classes"].items():
        if any(w == stem if len(stem) <= 3 else w.startswith(stem) for stem in stems.split() for w in words):
            return cls
    return _claimant_rules()["default"]


def _sentence(text: str, span: Sequence[int]) -> Span:
    start = max((m.end() for m in _SENTENCE_END.finditer(text, 0, span[0])), default=0)
    m = _SENTENCE_END.search(text, span[1])
    return start, (m.start() + 1 if m else len(text))


def claimed_on(extraction: dict, text: str, span: Sequence[int]) -> tuple[str | None, str]:
    """(the day a figure was claimed, the rule that said so): the date of the statement it is part of, the day
    named before a "тогда" that governs it (no "но"/"а" clause in between), else the article's date."""
    for st in extraction.get("statements") or ():
        if st.get("date") and st["span"][0] <= span[0] and span[1] <= st["span"][1]:
            return st["date"], "statement"
    s, e = _sentence(text, span)
    then = list(re.finditer(r"(?<!\w)(тогда|в тот день|в тот же день)(?!\w)", text[s:span[0]].lower()))
    if then and not re.search(r",\s*(но|а|однако)\s|;", text[s + then[-1].end():span[0]]):
        before = [t for t in extraction.get("times") or () if t.get("precision") == "day" and t.get("start")
                  and s - 400 < t["span"][0] < s]
        if before:
            return before[-1]["start"], "then"
    return extraction.get("published"), "article"


def counts_to(extraction: dict, text: str, span: Sequence[int]) -> str | None:
    s, e = _sentence(text, span)
    for t in extraction.get("times") or ():
        a = t["span"][0]
        if s <= a < e and t.get("end") and re.search(r"(?:(?<!\w)к|по состоянию на|на)\s*$", text[max(s, a - 20):a]):
            return t["end"]
    return None


# figure categories and the event types they may count
_LINKS = {
    "killed": ("ASSAULT",), "injured": ("ASSAULT", "PROTEST"), "missing": ("ASSAULT", "COERCE"),
    "detained": ("COERCE",), "participants": ("PROTEST",), "troops": ("MOBILIZE",), "equipment": ("MOBILIZE",),
    "aid": ("AID",),
}


def _paragraph(text: str, pos: int) -> Span:
    start = text.rfind("\n\n", 0, pos)
    stop = text.find("\n\n", pos)
    return (0 if start < 0 else start), (len(text) if stop < 0 else stop)


def link(extraction: dict, text: str, index: int, fig: dict,
         mentions: Sequence[EventMention]) -> tuple[str | None, str | None]:
    """The event mention a figure belongs to: the one the extractor linked it to, else the nearest event of a
    type that figure counts in the same paragraph, else in the article (a preceding one first)."""
    types = _LINKS.get(fig["category"])
    for ev_index, ev in enumerate(extraction.get("events") or ()):
        if index in (ev.get("figures") or ()) and (types is None or ev["type"] in types):
            return mentions[ev_index].id, "event"
    if not types:
        return None, None
    fitting = [m for m in mentions if m.type in types and m.modality in ("asserted", "reported")]
    if not fitting:
        return None, None
    pos = fig["span"][0]
    para = _paragraph(text, pos)
    near = [m for m in fitting if para[0] <= m.span[0] < para[1]]
    if near:
        return min(near, key=lambda m: abs(m.span[0] - pos)).id, "paragraph"
    before = [m for m in fitting if m.span[0] < pos and not m.background]
    pick = before[-1] if before else min(fitting, key=lambda m: abs(m.span[0] - pos))
    return pick.id, "document"


def claims(extraction: dict, text: str, mentions: Sequence[EventMention], background: Sequence[Span] = (),
           duplicate: bool = False) -> list[Claim]:
    doc_id, source = extraction["id"], extraction.get("source") or extraction["id"]
    roles = {e["name"]: tuple(r.get("normal") or r.get("text") if isinstance(r, dict) else r
                              for r in e.get("roles") or ()) for e in extraction.get("entities") or ()}
    out = []
    for i, fig in enumerate(extraction.get("figures") or ()):
        span = tuple(fig["span"])
        src = fig.get("source") or {}
        name = src.get("name")
        day, rule = claimed_on(extraction, text, span)
        mention, how = link(extraction, text, i, fig, mentions)
        out.append(Claim(
            id=f"{doc_id}:{i}", doc_id=doc_id, source=source, index=i, category=fig["category"],
            low=fig.get("low"), high=fig.get("high"), span=span, text=text[span[0]:span[1]],
            claimant=name, claimant_class=claimant_class(name, roles.get(name, ())),
            claimant_span=tuple(src["span"]) if src.get("span") else None,
            claimed_on=day, claimed_on_rule=rule, counts_to=counts_to(extraction, text, span),
            mention_id=mention, link_rule=how, background=duplicate or in_spans(span, background),
        ))
    return out


# --- views ---------------------------------------------------------------------------------------------------

def latest_per_claimant(items: Iterable[Claim]) -> list[Claim]:
    """Each claimant's most recent claim per category (claims of the article itself count per source)."""
    best: dict[tuple, Claim] = {}
    for c in items:
        key = (c.category, c.claimant or f"article:{c.source}")
        if key not in best or (c.claimed_on or "") >= (best[key].claimed_on or ""):
            best[key] = c
    return sorted(best.values(), key=lambda c: (c.category, c.claimed_on or "", c.id))


def value_range(items: Iterable[Claim]) -> tuple[float | None, float | None]:
    """The lowest lower bound and the highest upper bound claimed (open bounds stay open)."""
    items = list(items)
    lows = [c.low for c in items if c.low is not None]
    highs = [c.high for c in items]
    return (min(lows) if lows else None), (None if any(h is None for h in highs) or not highs else max(highs))


def contradictions(items: Iterable[Claim]) -> list[tuple[Claim, Claim]]:
    """Pairs of claims on one category whose bounds cannot both hold: [low, high] intervals that do not meet.
    Counts up to different days are not contradictions of each other (tolls grow)."""
    items = sorted(items, key=lambda c: c.id)
    out = []
    for i, a in enumerate(items):
        for b in items[i + 1:]:
            if a.category != b.category or (a.counts_to or a.claimed_on) != (b.counts_to or b.claimed_on) \
                    and a.claimant == b.claimant:
                continue
            alo, ahi = a.low if a.low is not None else float("-inf"), a.high if a.high is not None else float("inf")
            blo, bhi = b.low if b.low is not None else float("-inf"), b.high if b.high is not None else float("inf")
            if ahi < blo or bhi < alo:
                out.append((a, b))
    return out
