"""The query language: words, "quoted phrases" (also «…» and “…”), -exclusions of either, and OR between two.

    погибли Шахтинск            both words, each in any form (погиб, погибших, …; Шахтинске, …)
    "комендантский час"         the phrase: these words, in this order, each in any form
    митинг -Бишкек              митинг, and no form of Бишкек in the unit
    погибли OR убиты            either (OR in capitals; "or" is a word)
    Алма-Ата                    a hyphenated word is the phrase of its parts

Every word is analysed as the text was (letopis.search.analyzer), so a clause is a sequence of lemmas and stems;
a word that names a place of the gazetteer also tries the place ("Семей" is a form of "семья" too). Anything else
(FTS5 operators, brackets, stars, colons, an unclosed quote) is plain text: the words in it are searched, the rest
ignored, so no input is a syntax error. The FTS5 expression quotes every term.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .analyzer import fold, place, words

_CLAUSE = re.compile(r'(?P<neg>-?)(?:["«“„](?P<phrase>[^"»”“]*)(?:["»”“]|$)|(?P<word>[^\s"«»“”„]+))')


@dataclass(frozen=True, slots=True)
class Clause:
    text: str                                 # as typed
    lemmas: tuple[str, ...]                   # of each word
    stems: tuple[str, ...]
    phrase: bool                              # typed in quotes (a hyphenated word is a phrase without them)
    places: tuple[str, ...] = ()              # the lemmas with each word that names a place replaced by it, or ()

    @property
    def terms(self) -> tuple[tuple[str, str], ...]:
        """(lemma, stem) of each word."""
        return tuple(zip(self.lemmas, self.stems))

    def to_json(self) -> dict:
        return {"text": self.text, "lemmas": list(self.lemmas), "stems": list(self.stems), "phrase": self.phrase,
                "places": list(self.places)}


@dataclass(frozen=True, slots=True)
class Query:
    include: tuple[tuple[Clause, ...], ...]   # every group must match; a group matches when one of its clauses does
    exclude: tuple[Clause, ...]               # none may match

    @property
    def clauses(self) -> tuple[Clause, ...]:
        return tuple(c for group in self.include for c in group)

    def to_json(self) -> dict:
        return {"include": [[c.to_json() for c in g] for g in self.include],
                "exclude": [c.to_json() for c in self.exclude]}


def parse(q: str | None) -> Query:
    groups: list[tuple[Clause, ...]] = []
    exclude: list[Clause] = []
    either = False
    for m in _CLAUSE.finditer(q or ""):
        if m.group("word") == "OR" and not m.group("neg"):
            either = bool(groups)
            continue
        text = m.group("phrase") if m.group("phrase") is not None else m.group("word")
        clause = _clause(text or "", m.group("phrase") is not None)
        if clause is None:
            continue
        if m.group("neg"):
            exclude.append(clause)
        elif either:
            groups[-1] += (clause,)
        else:
            groups.append((clause,))
        either = False
    return Query(tuple(groups), tuple(exclude))


def _clause(text: str, phrase: bool) -> Clause | None:
    ws = words(text)
    if not ws:
        return None
    lemmas = tuple(w.lemma for w in ws)
    places = tuple(place(fold(w.text)) or w.lemma for w in ws)
    return Clause(text, lemmas, tuple(w.stem for w in ws), phrase, places if places != lemmas else ())


def _quote(terms: tuple[str, ...]) -> str:
    return '"' + " ".join(terms).replace('"', '""') + '"'


def clause_expr(c: Clause) -> str:
    """A clause matches when its lemmas, its stems, or its lemmas with places stand in the unit in this order."""
    parts = [f"lemmas : {_quote(c.lemmas)}", f"stems : {_quote(c.stems)}"]
    if c.places:
        parts.append(f"lemmas : {_quote(c.places)}")
    return "(" + " OR ".join(parts) + ")"


def include_expr(query: Query) -> str:
    return " AND ".join("(" + " OR ".join(clause_expr(c) for c in group) + ")" for group in query.include)


def exclude_expr(query: Query) -> str:
    return " OR ".join(clause_expr(c) for c in query.exclude)
