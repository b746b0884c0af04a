"""Quoted stretches of a text: «…», „…“, “…”, "…" and dialogue lines after a dash.

Used by the statement finder: a quote long enough and reading like a sentence (a finite verb) may be someone's words.
"""
from __future__ import annotations

import re

from ..annotate.nlp import Analysis

Span = tuple[int, int]
MIN_QUOTE = 25
PAIRS = {"«": "»", "„": "“", "“": "”", '"': '"'}
_FINITE = re.compile(r"VerbForm=Fin|Mood=")
_DIALOGUE = re.compile(r"(?m)^[ \t]*[—–][ \t]+(\S[^\n]*?)(?:,|[!?…])[ \t]+[—–][ \t]+")


def find_quotes(text: str) -> list[Span]:
    """Outermost quoted stretches (content only, marks excluded), nested marks balanced, never across paragraphs."""
    out, i, n = [], 0, len(text)
    while i < n:
        ch = text[i]
        if ch in PAIRS and (ch != '"' or i == 0 or not text[i - 1].isalnum()):
            stack, j = [PAIRS[ch]], i + 1
            while j < n and stack and text.find("\n\n", j, j + 2) != j:
                c = text[j]
                if c == stack[-1] and (c != '"' or j + 1 >= n or not text[j + 1].isalnum()):
                    stack.pop()
                elif c in stack and c != '"':
                    del stack[stack.index(c):]
                elif c in PAIRS and c != stack[-1] and c != '"':
                    stack.append(PAIRS[c])
                j += 1
            if not stack:
                out.append((i + 1, j - 1))
                i = j
                continue
        i += 1
    for m in _DIALOGUE.finditer(text):
        out.append((m.start(1), m.end(1)))
    return sorted(out)




def sentence_like(a: Analysis, q: Span) -> bool:
    qs, qe = q
    toks = [t for s in a.sentences if s.stop > qs and s.start < qe for t in s.tokens if qs <= t.start < qe]
    return len(toks) >= 5 and any(t.pos in ("VERB", "AUX") and _FINITE.search(t.feats) for t in toks)

