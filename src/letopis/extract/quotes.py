"""Quoted stretches of a text: «…», „…“, “…”, "…" and dialogue lines after a dash.

Used by the statement finder: a quote long enough and reading like a sentence (a finite verb) may be someone's words.
"""
from __future__ import annotations

import re

from ..annotate.nlp import Analysis

Span = tuple[int, int]
MIN_QUOTE = 25
MAX_DEPTH = 4          # quotes inside quotes, at most this deep (prose nests two, rarely three)
PAIRS = {"«": "»", "„": "“", "“": "”", '"': '"'}
_FINITE = re.compile(r"VerbForm=Fin|Mood=")
_MARKS = re.compile("[«»„“”\"]|\n\n")       # what a scan for a closing mark looks at
_DIALOGUE = re.compile(r"(?m)^[ \t]*[—–][ \t]+(\S[^\n]*?)(?:,|[!?…])[ \t]+[—–][ \t]+")


def find_quotes(text: str) -> list[Span]:
    """Outermost quoted stretches (content only, marks excluded), nested marks balanced, never across paragraphs,
    never nested deeper than MAX_DEPTH.

    Each opening mark starts a scan of the marks after it for its closing one; a scan that fails (the paragraph
    ends first) is retried from the next opening mark. To keep that linear on hostile text (a paragraph of 100 000
    «, or of `"«"»` repeated), a scan gives up past MAX_DEPTH open marks, and every (mark, open marks) state of a
    failed scan is remembered: a later scan that reaches one fails there too, as the rest depends on nothing else."""
    marks = [(m.start(), m.group()) for m in _MARKS.finditer(text)]
    out, k, n = [], 0, len(text)
    failed: set[tuple[int, tuple[str, ...]]] = set()
    while k < len(marks):
        i, ch = marks[k]
        if ch in PAIRS and (ch != '"' or i == 0 or not text[i - 1].isalnum()):
            stack, x, path = [PAIRS[ch]], k + 1, []
            while x < len(marks) and stack:
                j, c = marks[x]
                state = (x, tuple(stack))
                if c == "\n\n" or state in failed:
                    break
                path.append(state)
                if c == stack[-1] and (c != '"' or j + 1 >= n or not text[j + 1].isalnum()):
                    stack.pop()
                elif c in stack and c != '"':
                    del stack[stack.index(c):]
                elif c in PAIRS and c != stack[-1] and c != '"':
                    stack.append(PAIRS[c])
                    if len(stack) > MAX_DEPTH:
                        break
                x += 1
            if not stack:
                out.append((i + 1, marks[x - 1][0]))
                k = x
                continue
            failed.update(path)
        k += 1
    for m in _DIALOGUE.finditer(text):
        out.append((m.start(1), m.end(1)))
    return sorted(out)




def sentence_like(a: Analysis, q: Span) -> bool:
    qs, qe = q
    toks = [t for s in a.sentences if s.stop > qs and s.start < qe for t in s.tokens if qs <= t.start < qe]
    return len(toks) >= 5 and any(t.pos in ("VERB", "AUX") and _FINITE.search(t.feats) for t in toks)

