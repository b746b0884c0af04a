"""Titles and roles standing right before a person's name: "госсекретарь США Энтони Блинкен",
"глава внешнеполитической службы Евросоюза Жозеп Боррель", "правозащитника Евгения Жовтиса".

The role nouns are data (`lexicons/roles.yaml`). A role is the role noun, up to three adjectives before it and the
group between it and the name: words in an oblique case (the genitive of "президент Казахстана"), other
entities' mentions ("глава МИД Казахстана") and abbreviations.
"""
from __future__ import annotations

import functools
import pathlib
from dataclasses import dataclass
from typing import Sequence

import yaml

from .names import fold, nominative_word
from .nlp import Analysis, Token

Span = tuple[int, int]
LEXICON_PATH = pathlib.Path(__file__).with_name("lexicons") / "roles.yaml"
GROUP_POS = {"NOUN", "PROPN", "ADJ", "DET", "NUM"}
MAX_ADJECTIVES = 3


@dataclass(frozen=True, slots=True)
class Role:
    text: str          # as written
    span: Span
    normal: str        # the role noun and its adjectives in the nominative: "президент Казахстана"

    def to_json(self) -> dict:
        return {"text": self.text, "span": list(self.span), "normal": self.normal}

    @classmethod
    def from_json(cls, d: dict) -> "Role":
        return cls(d["text"], tuple(d["span"]), d.get("normal", d["text"]))


@functools.cache
def lexicon() -> dict:
    data = yaml.safe_load(LEXICON_PATH.read_text(encoding="utf-8"))
    return {"roles": frozenset(map(fold, data["roles"])), "honorifics": frozenset(map(fold, data["honorifics"])),
            "prepositions": frozenset(map(fold, data.get("group_prepositions", ()))),
            "max_group": int(data.get("max_group_tokens", 8))}


def _in_any(token: Token, spans: Sequence[Span]) -> bool:
    return any(s <= token.start and token.stop <= e for s, e in spans)


def _group_token(token: Token, mention_spans: Sequence[Span]) -> bool:
    """May stand between the role noun and the name."""
    if _in_any(token, mention_spans):
        return True
    if token.text.isupper() and token.text.isalpha() and len(token.text) > 1:
        return True                                   # США, МИД
    return token.pos in GROUP_POS and token.feat("Case") not in (None, "Nom")


def _is_role(token: Token) -> bool:
    lex = lexicon()["roles"]
    return fold(token.lemma) in lex or fold(token.text) in lex


def role_before(analysis: Analysis, start: int, mention_spans: Sequence[Span] = ()) -> Role | None:
    """The role written right before the name starting at `start`, or None."""
    sent = analysis.sentence_at(start)
    if sent is None:
        return None
    before = [t for t in sent.tokens if t.stop <= start]
    lex = lexicon()
    end = len(before)
    while end > 0 and len(before) - end < MAX_ADJECTIVES and before[end - 1].pos == "ADJ" \
            and not _is_role(before[end - 1]):
        end -= 1                                      # "директор ФБР 74-летний Роберт": the age is the person's
    role, k, steps = None, end - 1, 0
    while k >= 0 and steps <= lex["max_group"]:
        t = before[k]
        if _is_role(t):
            role = k
            if t.feat("Case") in (None, "Nom"):
                break                                 # an oblique role may depend on an outer one:
        elif fold(t.lemma) in lex["honorifics"] or not (   # "заместитель председателя правительства"
                _group_token(t, mention_spans) or fold(t.text) in lex["prepositions"]):
            break
        k -= 1
        steps += 1
    if role is None:
        return None
    head = role
    while head > 0 and role - head < MAX_ADJECTIVES and before[head - 1].pos == "ADJ" \
            and before[head - 1].feat("Case") == before[role].feat("Case"):
        head -= 1
    tokens = before[head:end]
    span = (tokens[0].start, tokens[-1].stop)
    inflected = [nominative_word(t) if k <= role - head else t.text for k, t in enumerate(tokens)]
    normal = ""
    for k, (t, w) in enumerate(zip(tokens, inflected)):
        normal += ("" if k == 0 or t.start == tokens[k - 1].stop else " ") + w
    if tokens[0].pos != "PROPN" and not tokens[0].text.isupper():
        normal = normal[:1].lower() + normal[1:]     # "Президент" at a sentence start
    return Role(analysis.text[span[0]:span[1]], span, normal)
