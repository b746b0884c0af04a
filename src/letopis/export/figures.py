"""What the exports say about an event's figure claims: the most conservative number, and every claim in words.

The ledger keeps every claim; a flat export needs one number per event (ACLED's `fatalities`, PLOVER's `size`).
The rule, `conservative(claims, category)`:

1. take the event's claims of that category that are not background (not in a paragraph shared with other
   articles, not in a near-duplicate article); when every such claim is background, take those;
2. read each claim as its lower bound, or — when it has none ("не более 12": null–12) — as the one number it
   names, its upper bound;
3. the smallest of these, rounded down to a whole number; 0 (`default`) when the event has no claim of that
   category with a number.

So "не более 12" by the police against 38 by rights defenders gives 12, and "десятки" (20–99) gives 20.
`note(claim)` writes a claim as "category: claimant (day): low–high", "?" for an unknown bound or day.
"""
from __future__ import annotations

import math
from typing import Iterable, Sequence

from ..corpus.ledger import Claim


def claim_value(c: Claim) -> float | None:
    """The number a claim stands for in the conservative reading: its lower bound, else its upper bound."""
    return c.low if c.low is not None else c.high


def conservative(claims: Iterable[Claim], category: str = "killed", default: int | None = 0) -> int | None:
    pool = [c for c in claims if c.category == category]
    fore = [c for c in pool if not c.background] or pool
    values = [v for c in fore if (v := claim_value(c)) is not None]
    return int(math.floor(min(values))) if values else default


def conservative_claim(claims: Sequence[Claim], category: str) -> Claim | None:
    """The claim `conservative` took its number from (the first by document and index on a tie), or None."""
    pool = [c for c in claims if c.category == category]
    fore = [c for c in pool if not c.background] or pool
    valued = [c for c in fore if claim_value(c) is not None]
    return min(valued, key=lambda c: (claim_value(c), c.doc_id, c.index)) if valued else None


def number(v: float | None) -> str:
    if v is None:
        return "?"
    return str(int(v)) if float(v).is_integer() else str(v)


def note(c: Claim, source: str | None = None) -> str:
    """One claim in words. A claim the article makes itself names the article (`source`) as its claimant."""
    who = c.claimant or source or c.source
    flag = " [background]" if c.background else ""
    return f"{c.category}: {who} ({c.claimed_on or '?'}): {number(c.low)}–{number(c.high)}{flag}"
