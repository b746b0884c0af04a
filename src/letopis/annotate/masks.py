"""Spans of a text that are addresses, not prose (URLs, markdown link targets, e-mails, handles, file names), found
in time linear in the text's length.

The patterns that find them match inside one whitespace-free run ("word") only, and some of them scan to the end
of the run from every place they could start (`/\\S+\\.\\w+` over a line of 200 000 "/"), so a pattern is applied
to each run of at most `LONGEST` characters alone, and a longer run, which is never prose, is masked whole:

    mask_spans(re.compile(r"https?://\\S+"), "см. https://example.org/a 12 человек")   # [(4, 25)]
"""
from __future__ import annotations

import re

LONGEST = 256
_RUN = re.compile(r"\S+")


def mask_spans(pattern: re.Pattern, text: str, longest: int = LONGEST) -> list[tuple[int, int]]:
    """Sorted spans of `pattern`'s matches in the whitespace-free runs of `text` (it must not match whitespace),
    and of every run longer than `longest`."""
    out = []
    for run in _RUN.finditer(text):
        a, b = run.span()
        if b - a > longest:
            out.append((a, b))
            continue
        out.extend((a + m.start(), a + m.end()) for m in pattern.finditer(run.group()))
    return out
