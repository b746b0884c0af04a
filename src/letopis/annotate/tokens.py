"""Small readings of tagged tokens shared by the figure and claimant rules."""
from __future__ import annotations

import functools
from typing import Sequence

from .nlp import Token


def is_part(t: Token) -> bool:
    """A participle, also when natasha tags a substantivised one as a noun ('пострадавших' NOUN → 'пострадать')."""
    return t.feat("VerbForm") == "Part" or (t.pos in ("NOUN", "ADJ") and t.lemma.endswith(("ть", "ться", "чь")))


def is_noun(t: Token) -> bool:
    return t.pos in ("NOUN", "PROPN")


def match_bracket(toks: Sequence[Token], k: int, close: str, step: int) -> int:
    """Index of the bracket that closes the one at k (searching in direction `step`), or k."""
    i = k + step
    while 0 <= i < len(toks) and abs(i - k) < 40:
        if toks[i].text == close:
            return i
        i += step
    return k


@functools.cache
def _morph():
    from .nlp import models
    return models().vocab          # natasha's MorphVocab: pymorphy2 with UD grammemes


def nominative(t: Token) -> str:
    """The word in the nominative, keeping its number ('правозащитников' → 'правозащитники')."""
    case, number = t.feat("Case"), t.feat("Number")
    if case in (None, "Nom") or t.text.isupper():
        return t.text
    word = t.lemma
    for p in _morph().parse(t.text.lower()):
        if p.feats.get("Case") == case and (number is None or p.feats.get("Number") == number):
            form = p.inflect({"Nom"} | ({number} if number else set()))
            if form:
                word = form.word
                break
    return word[:1].upper() + word[1:] if t.text[:1].isupper() else word
