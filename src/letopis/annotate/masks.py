"""Spans of a text that are addresses, not prose (URLs, markdown link targets, e-mails, handles, file names), found
in time linear in the text's length.

The patterns that find them match inside one whitespace-free run ("word") only, and some of them scan to the end
of the run from every place they could start (`/\\S+\\.\\w+` over a line of 200 000 "/"), so a pattern is applied
to each run of at most `LONGEST` characters alone, and a longer run, which is never prose, is masked whole:

    mask_spans(re.compile(r"https?://\\S+"), "см. https://example.org/a 12 человек")   # [(4, 25)]
"""
from __future__ import annotations

import functools
import re

LONGEST = 256


@functools.lru_cache(maxsize=4)
def _long_runs(longest: int) -> re.Pattern:
    return re.compile(r"\S{%d,}" % (longest + 1))


def mask_spans(pattern: re.Pattern, text: str, longest: int = LONGEST) -> list[tuple[int, int]]:
    """Sorted spans of `pattern`'s matches in the whitespace-free runs of `text` (it must not match whitespace),
    and of every run longer than `longest`.

    The pattern runs over the stretches between the long runs in one pass each: a match never crosses whitespace,
    so it is the match it would be in its run alone, and a stretch ends on whitespace, where no match can end."""
    out, pos = [], 0
    for run in _long_runs(longest).finditer(text):
        a, b = run.span()
        out.extend(m.span() for m in pattern.finditer(text, pos, a))
        out.append((a, b))
        pos = b
    out.extend(m.span() for m in pattern.finditer(text, pos))
    return out
