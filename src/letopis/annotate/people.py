"""People: PER candidates of one document grouped into persons and named by their fullest form.

Mentions with a first name and a surname group by both (case forms join: "Касым-Жомарта Токаева" and
"Касым-Жомарт Токаев"; two people sharing a surname stay apart when their first names differ). A lone word then
joins the person whose surname it is (the nearest one before it when several share it), else the one person whose
first name it is ("Данияр" after "Данияр Хасенов"). Each part of the name is voted among the nominative forms the
mentions give, so a genitive "Токаева" that natasha read as a woman's nominative is outvoted by "Токаев"; full words
win over initials, and a Russian patronymic stays in the aliases only ("Владимир Путин", not "Владимир
Владимирович Путин"). A person named only by surname gets the full name from `lexicons/persons.yaml` when the
surname is unambiguous there.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Iterable, Sequence

import yaml

from .mentions import Candidate, Mention, in_nominative, vote
from .names import LEXICONS, fold, rules, same_word

Person = tuple[str, tuple[str, ...], tuple[Mention, ...]]     # name, aliases, mentions


@dataclass(eq=False)
class _Person:
    firsts: list[str]          # first-name words seen (surface)
    last: str | None           # surname (surface, first seen)
    members: list[tuple[Candidate, list[str], list[str]]]   # (mention, surface parts, normal parts)

    def first_stop(self) -> int:
        return min(c.start for c, _, _ in self.members)


def _parts(c: Candidate) -> tuple[list[str], list[str]]:
    """Name words of a PER mention (surface and nominative), Turkic particles joined to the father's name."""
    particles = set(rules()["patronymic_particles"])

    def merge(words: Iterable[str]) -> list[str]:
        out: list[str] = []
        for w in words:
            if out and fold(w) in particles:
                out[-1] += " " + w
            else:
                out.append(w)
        return out

    surface = merge(_words(c.text))
    normal = merge(_words(c.normal))
    return surface, normal if len(normal) == len(surface) else surface


def _words(text: str) -> list[str]:
    """Name words; initials and short abbreviations keep their dot ("В. Л. Иванов", "Дж. Коми")."""
    return [w if len(w) <= 4 else w.rstrip(".") for w in re.findall(r"\w[\w-]*\.?", text)]


def _patronymic(word: str) -> bool:
    w = fold(word).rstrip(".")
    return len(w) == 1 or any(w.endswith(x) and len(w) > len(x) + 2 for x in rules()["patronymic_suffixes"])


def _initial(word: str) -> bool:
    return len(word.rstrip(".")) == 1 or word.endswith(".")


def _first_compatible(a: str, b: str) -> bool:
    """Same first name, or an initial or abbreviation of it ("В." of "Владимир", "Дж." of "Джеймс")."""
    if _initial(a) or _initial(b):
        short, full = (a, b) if len(a.rstrip(".")) <= len(b.rstrip(".")) else (b, a)
        return fold(full).startswith(fold(short.rstrip(".")))
    return same_word(a, b)


def group_people(cands: Sequence[Candidate]) -> list[Person]:
    """Group PER candidates into people: (name, aliases, mentions) each."""
    clusters: list[_Person] = []
    singles = []
    for c in cands:
        surface, normal = _parts(c)
        if len(surface) >= 2:
            first, last = surface[0], surface[-1]
            match = next((p for p in clusters if p.last and same_word(p.last, last)
                          and any(_first_compatible(f, first) for f in p.firsts)), None)
            if match:
                match.members.append((c, surface, normal))
                match.firsts.append(first)
            else:
                clusters.append(_Person([first], last, [(c, surface, normal)]))
        elif surface:
            singles.append((c, surface, normal))
    full = list(clusters)
    for c, surface, normal in singles:
        word = surface[0]
        by_last = [p for p in full if same_word(p.last, word)]
        by_first = [p for p in full if any(same_word(f, word) for f in p.firsts)]
        if by_last:
            before = [p for p in by_last if p.first_stop() <= c.start]
            target = max(before, key=lambda p: max(m.start for m, _, _ in p.members if m.start <= c.start)) \
                if before else by_last[0]
        elif len(by_first) == 1:
            target = by_first[0]
        else:
            target = next((p for p in clusters[len(full):] if same_word(p.firsts[0], word)), None)
        if target is None:
            target = _Person([word], None, [])
            clusters.append(target)
        target.members.append((c, surface, normal))
    return [_person_entity(p) for p in clusters]


def _person_entity(p: _Person) -> Person:
    longest = max(len(s) for _, s, _ in p.members)
    parts = []
    nominative = {fold(w) for c, s, _ in p.members if in_nominative(c) for w in s}
    for k in range(longest):
        forms = [n[k] for _, s, n in p.members if len(s) == longest]
        forms = [f for f in forms if not _initial(f)] or forms       # "Владимир" over "В."
        if k == longest - 1 and longest >= 2:     # the surname: every mention that has it votes
            forms += [n[-1] for _, s, n in p.members if len(s) == 1 and same_word(s[0], p.last or "")]
        parts.append(vote(forms, nominative, shorter=True))
    if len(parts) == 3 and _patronymic(parts[1]):
        parts = [parts[0], parts[2]]
    spelled = {fold(w): w for _, s, _ in p.members for w in s if w[:1].isupper()}
    name = " ".join(spelled.get(fold(w), w) for w in parts)     # the text's own spelling keeps its ё
    if longest == 1:
        name = _known_person(name) or name
    mentions = sorted((c.mention(" ".join(spelled.get(fold(w), w) for w in n)) for c, _, n in p.members),
                      key=lambda m: m.span)
    aliases = sorted({m.normal for m in mentions if fold(m.normal) != fold(name)})
    return name, tuple(aliases), tuple(mentions)


@functools.cache
def _persons_lexicon() -> dict[str, str | None]:
    data = yaml.safe_load((LEXICONS / "persons.yaml").read_text(encoding="utf-8"))
    out: dict[str, str | None] = {}
    for full in data["persons"]:
        surname = fold(full.split()[-1])
        out[surname] = None if surname in out else full      # a surname listed twice is ambiguous
    return out


def _known_person(surname: str) -> str | None:
    return _persons_lexicon().get(fold(surname))


