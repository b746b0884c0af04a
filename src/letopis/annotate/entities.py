"""Entities: natasha's NER mentions of one document grouped into people, organisations and places.

`resolve_entities(analysis)` runs four small stages over the mentions of an `nlp.Analysis`:

1. clean (`mentions.py`): strip quotes and brackets from mention edges, split "Организации … (ОДКБ)" into the
   full name and its acronym, attach Turkic patronymic particles ("Аскар Алмаз уулу"), drop junk;
2. fix types: a PER that is no known first name or surname but is a case form of a gazetteer place becomes a LOC
   when the document supports it ("в Талдыкоргане"); a place named inside an organisation's name is added as a
   nested LOC mention ("Социалистическое сопротивление Казахстана");
3. group per type: people by first name and surname (`people.py`: case forms join, a lone first name joins the
   one person who has it, two people sharing a surname stay apart when their first names differ); organisations by
   name stems, acronyms and compound abbreviations ("ОДКБ", "Европарламент"); places by gazetteer place;
4. name each entity in the nominative (fullest form for people, the acronym for acronym-named organisations,
   the usual spelling for places) and keep the roles written before people's names ("госсекретарь США").

Each mention records the rule that made or changed it (`Mention.rule`), so a wrong entity can be traced.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from typing import Iterable, Sequence

from .gazetteer import Gazetteer, Place, gazetteer
from .mentions import Candidate, Mention, clean_mentions, in_nominative, strip_marks, vote
from .names import abbreviates, fold, is_acronym, is_known_name, rules, stem_key
from .nlp import Analysis, Token
from .people import group_people
from .roles import Role, role_before

Span = tuple[int, int]
TYPES = ("PER", "ORG", "LOC")


@dataclass(frozen=True, slots=True)
class Entity:
    id: str
    type: str                          # PER, ORG, LOC
    name: str                          # canonical, nominative
    mentions: tuple[Mention, ...]
    roles: tuple[Role, ...] = ()
    aliases: tuple[str, ...] = ()      # other names seen for it, nominative
    place: Place | None = None         # the gazetteer entry of a LOC

    def to_json(self, detail: bool = False) -> dict:
        out = {"id": self.id, "type": self.type, "name": self.name,
               "mentions": [list(m.span) for m in self.mentions],
               "aliases": list(self.aliases), "roles": [r.to_json() for r in self.roles]}
        if self.place is not None:
            p = self.place
            out["place"] = {"name": p.name, "canonical": p.canonical, "kind": p.kind, "country": p.country or None,
                            "population": p.population, "lat": p.lat, "lon": p.lon, "geonameid": p.geonameid}
        if detail:
            out["mention_details"] = [m.to_json() for m in self.mentions]
        return out

    @classmethod
    def from_json(cls, d: dict) -> "Entity":
        details = d.get("mention_details")
        mentions = tuple(Mention.from_json(m) for m in details) if details else tuple(
            Mention(tuple(s), "", "") for s in d["mentions"])
        p = d.get("place")
        place = Place(p["name"], p["canonical"], p["kind"], p["country"] or "", p.get("population"), p.get("lat"),
                      p.get("lon"), p.get("geonameid")) if p else None
        return cls(d["id"], d["type"], d["name"], mentions, tuple(Role.from_json(r) for r in d.get("roles", ())),
                   tuple(d.get("aliases", ())), place)


def resolve_entities(analysis: Analysis, places: Gazetteer | None = None) -> list[Entity]:
    """Group the NER mentions of one document into entities with canonical nominative names."""
    gz = places if places is not None else gazetteer()
    cands = clean_mentions(analysis)
    cands = _retype(cands, analysis, gz)
    cands += _nested_places(cands, gz)
    by_type = {t: [c for c in cands if c.type == t] for t in TYPES}
    groups = [Entity("", "PER", n, ms, aliases=al) for n, al, ms in group_people(by_type["PER"])]
    groups += _organisations(by_type["ORG"]) + _places(by_type["LOC"], gz)
    groups.sort(key=lambda g: min(m.span[0] for m in g.mentions))
    spans = [(c.start, c.stop) for c in cands]
    out = []
    for i, e in enumerate(groups, 1):
        roles = _roles(analysis, e, spans) if e.type == "PER" else ()
        out.append(replace(e, id=f"e{i}", roles=roles))
    return out


# -------------------------------------------------------------------------------------------------- type fixes

def _retype(cands: Sequence[Candidate], analysis: Analysis, gz: Gazetteer) -> list[Candidate]:
    """PER → LOC for a name that is no known first name or surname but is a case form of a gazetteer place, when
    the document supports it: the place is tagged LOC elsewhere, or a place preposition stands before it."""
    places = {p.key for c in cands if c.type == "LOC" for p in gz.find(c.text)[:1]}
    preps = set(rules()["place_prepositions"])
    out = []
    for c in cands:
        words = [t.text for t in c.tokens if re.search(r"\w", t.text)] or c.text.split()
        place = gz.best(" ".join(words)) if c.type == "PER" and not any(map(is_known_name, words)) else None
        if place is not None and (place.key in places or fold(_word_before(analysis, c.start)) in preps):
            c = replace(c, type="LOC", normal=place.name, rule="place-not-person")
        out.append(c)
    return out


def _word_before(analysis: Analysis, start: int) -> str:
    sent = analysis.sentence_at(start)
    before = [t for t in sent.tokens if t.stop <= start] if sent else []
    return before[-1].text if before else ""


def _nested_places(cands: Sequence[Candidate], gz: Gazetteer) -> list[Candidate]:
    """Places named inside organisations' names: the LOC "Казахстана" in "Социалистическое сопротивление
    Казахстана", "Москвы" in "Эхо Москвы" (one or two words after the organisation's first word, in an oblique
    case: the "Россия" of "Единая Россия" is the name's head, not a place it names)."""
    kinds = set(rules()["nested_place_kinds"])
    min_pop = rules()["nested_city_min_population"]
    out = []
    for c in cands:
        if c.type != "ORG" or len(c.tokens) < 2:
            continue
        toks = c.tokens
        i = 1
        while i < len(toks):
            for n in (2, 1):
                window = toks[i:i + n]
                if len(window) < n or not window[-1].text[:1].isupper() or window[-1].pos not in ("PROPN", "NOUN") \
                        or window[-1].feat("Case") in (None, "Nom") or _agrees(toks[i - 1], window[0]):
                    continue                  # a dependent in an oblique case, not the head ("Единая Россия")
                place = gz.best(" ".join(t.text for t in window))
                if place and (place.kind in kinds or (place.population or 0) >= min_pop):
                    out.append(Candidate(window[0].start, window[-1].stop, "LOC", c.text[window[0].start - c.start:
                                     window[-1].stop - c.start], place.name, tuple(window), nested=True,
                                     rule="nested-place"))
                    i += n - 1
                    break
            i += 1
    return out


# ------------------------------------------------------------------------------------------------ organisations

def _org_name(c: Candidate) -> str:
    return strip_marks(c.normal) or c.text


def _agrees(adjective: Token, noun: Token) -> bool:
    return adjective.pos == "ADJ" and adjective.feat("Case") == noun.feat("Case")


def _organisations(cands: Sequence[Candidate]) -> list[Entity]:
    names = [_org_name(c) for c in cands]
    keys = [tuple(stem_key(w) for w in fold(n).split()) for n in names]
    parent = list(range(len(cands)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        parent[find(i)] = find(j)

    first_of_key: dict[tuple, int] = {}
    for i, k in enumerate(keys):
        if k in first_of_key:
            union(i, first_of_key[k])
        else:
            first_of_key[k] = i
    starts = {c.start: i for i, c in enumerate(cands) if c.rule == "split-acronym" and c.pair is None}
    for i, c in enumerate(cands):                     # a split acronym joins its full name if it can stand for it
        j = starts.get(c.pair)
        if j is not None and (abbreviates(names[i], names[j]) or (
                len(names[j].split()) > 1 and fold(names[i])[:1] == fold(names[j])[:1])):
            union(i, j)
    single = [i for i, n in enumerate(names) if len(n.split()) == 1]
    multi = [i for i, n in enumerate(names) if len(n.split()) > 1]
    for i in single:
        for j in multi:
            if find(i) != find(j) and abbreviates(names[i], names[j]):
                union(i, j)
                break
    groups: dict[int, list[int]] = {}
    for i in range(len(cands)):
        groups.setdefault(find(i), []).append(i)
    out = []
    for members in groups.values():
        forms = [names[i] for i in members]
        acronyms = [f for f in forms if is_acronym(f)]
        multiword = [f for f in forms if len(f.split()) > 1]
        pool = acronyms or multiword or forms
        name = vote(pool, {fold(names[i]) for i in members if in_nominative(cands[i])})
        mentions = tuple(sorted((cands[i].mention(names[i]) for i in members), key=lambda m: m.span))
        aliases = tuple(sorted({f for f in forms if fold(f) != fold(name)}))
        out.append(Entity("", "ORG", name, mentions, aliases=aliases))
    return out


# ------------------------------------------------------------------------------------------------------- places

def _places(cands: Sequence[Candidate], gz: Gazetteer) -> list[Entity]:
    groups: dict[tuple, list[tuple[Candidate, str, Place | None]]] = {}
    for c in cands:
        place = gz.best(c.text) or gz.best(c.normal)
        name = place.name if place else (c.normal or c.text)
        key = place.key if place else ("?", tuple(stem_key(w) for w in fold(name).split()))
        groups.setdefault(key, []).append((c, name, place))
    out = []
    for members in groups.values():
        forms = [n for _, n, _ in members]
        surfaces = {fold(c.text) for c, _, _ in members}
        counts = Counter(forms)
        name = max(counts, key=lambda f: (counts[f], fold(f) in surfaces, -len(f)))
        place = next((p for _, n, p in members if p is not None and n == name), None) or members[0][2]
        mentions = tuple(sorted((c.mention(n) for c, n, _ in members), key=lambda m: m.span))
        aliases = tuple(sorted({f for f in forms if fold(f) != fold(name)}))
        out.append(Entity("", "LOC", name, mentions, aliases=aliases, place=place))
    return out


# -------------------------------------------------------------------------------------------------------- roles

def _roles(analysis: Analysis, e: Entity, spans: Sequence[Span]) -> tuple[Role, ...]:
    seen, out = set(), []
    for m in e.mentions:
        role = role_before(analysis, m.span[0], spans)
        if role and fold(role.normal) not in seen:
            seen.add(fold(role.normal))
            out.append(role)
    return tuple(out)


def entities_to_json(entities: Iterable[Entity], detail: bool = False) -> list[dict]:
    return [e.to_json(detail) for e in entities]
