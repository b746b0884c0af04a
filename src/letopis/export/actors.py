"""Actor names → ACLED actor types and PLOVER sectors, by the rules in `actors.yaml`.

    >>> classify("Департамент полиции Карагандинской области")
    Actor(name='Департамент полиции Карагандинской области', inter=1, sector='COP', code=None, rule='COP:полиц')
    >>> classify("Россия").code
    'RUS'

A name whose word starts with a rule's stem gets that rule's ACLED `inter` code and PLOVER `sector`; a name that is
a country is that state (its ISO alpha-3 `code`); anything else keeps its name with no type (`inter` None): the
exports never invent an actor type. Pronouns the extractor sometimes returns as actors are dropped (`actors`).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import yaml

from ..corpus.geocode import geocode
from .countries import country

ACTORS_PATH = Path(__file__).with_name("actors.yaml")
_WORD = re.compile(r"[а-яa-z]+(?:-[а-яa-z]+)*")


@dataclass(frozen=True, slots=True)
class Actor:
    name: str
    inter: int | None          # ACLED actor type 1–8; None when no rule says
    sector: str | None         # PLOVER sector code
    code: str | None = None    # ISO 3166 alpha-3 when the actor is a state named by its country
    rule: str | None = None    # which rule fired ("COP:полиц", "country:KZ")

    def to_json(self) -> dict:
        return {"name": self.name, "inter": self.inter, "sector": self.sector, "code": self.code, "rule": self.rule}


@functools.cache
def _rules() -> dict:
    raw = yaml.safe_load(ACTORS_PATH.read_text(encoding="utf-8"))
    rules = [(r["inter"], r["sector"], tuple(r["stems"].split())) for r in raw["rules"]]
    return {"rules": rules, "country": raw["country"], "not_actors": frozenset(raw["not_actors"].split())}


def _words(name: str) -> list[str]:
    return _WORD.findall(name.lower().replace("ё", "е"))


def _fits(part: str, word: str) -> bool:
    return word == part if len(part) <= 3 else word.startswith(part)


def _fires(stem: str, words: list[str]) -> bool:
    """A stem fires on a word it starts; "вооруженн_сил" on two words in a row that start with its parts."""
    parts = stem.split("_")
    if len(parts) == 1:
        return any(_fits(stem, w) for w in words)
    return any(all(w.startswith(p) for p, w in zip(parts, words[i:i + len(parts)]))
               for i in range(len(words) - len(parts) + 1))


@functools.lru_cache(maxsize=16_384)
def classify(name: str) -> Actor:
    """The ACLED type and PLOVER sector of one actor name (first rule that fires; then: is it a country?)."""
    words = _words(name)
    for inter, sector, stems in _rules()["rules"]:
        for stem in stems:
            if _fires(stem, words):
                return Actor(name, inter, sector, None, f"{sector}:{stem}")
    place = geocode(name)
    if place.precision == "country" and place.country and "town-word" not in place.reason:
        info = country(place.country)
        rule = _rules()["country"]
        return Actor(name, rule["inter"], rule["sector"], info.iso3 if info else None, f"country:{place.country}")
    return Actor(name, None, None)


def is_actor(name: str) -> bool:
    """False for an empty name or a bare pronoun ("которые", "его")."""
    words = _words(name)
    return bool(words) and not (len(words) <= 2 and all(w in _rules()["not_actors"] for w in words))


def actors(names: Iterable[str]) -> list[Actor]:
    """The named actors of an event, classified, pronouns left out, in their order."""
    return [classify(n) for n in names if is_actor(n)]
