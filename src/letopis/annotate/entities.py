"""Entities: natasha's NER mentions of one document grouped into people, organisations and places.

`resolve_entities(analysis)` runs four small stages over the mentions of an `nlp.Analysis`:

1. clean: strip quotes and brackets from mention edges, split "Организации … (ОДКБ)" into the full name and its
   acronym, attach Turkic patronymic particles ("Аскар Алмаз уулу"), drop junk (punctuation only; a capitalised
   common noun such as a heading's "Протесты" that no gazetteer knows);
2. fix types: a PER that is no known first name or surname but is a case form of a gazetteer place becomes a LOC
   ("в Талдыкоргане"); a place named inside an organisation's name is added as a nested LOC mention;
3. group per type: people by first name and surname stems (case forms join, a lone first name joins the one
   person who has it, two people sharing a surname stay apart when their first names differ); organisations by
   name stems, acronyms and compound abbreviations ("ОДКБ", "Европарламент"); places by gazetteer place;
4. name each entity in the nominative (fullest form for people, the acronym for acronym-named organisations,
   the usual spelling for places) and keep the roles written before people's names ("госсекретарь США").

Each mention records the rule that made or changed it (`Mention.rule`), so a wrong entity can be traced.
"""
from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, replace
from typing import Iterable, Sequence

import yaml

from .gazetteer import Gazetteer, Place, gazetteer
from .names import (LEXICONS, abbreviates, fold, is_acronym, is_common_noun, is_known_name, nominative_group,
                    rules, same_word, stem_key)
from .nlp import Analysis, Token
from .roles import Role, role_before

Span = tuple[int, int]
TYPES = ("PER", "ORG", "LOC")


@dataclass(frozen=True, slots=True)
class Mention:
    span: Span
    text: str
    normal: str              # this mention's nominative form
    nested: bool = False     # inside another entity's mention (a place within an organisation's name)
    rule: str = "ner"        # which rule made or changed it: ner, strip, split-acronym, particle, place-not-person, nested-place

    def to_json(self) -> dict:
        return {"span": list(self.span), "text": self.text, "normal": self.normal, "nested": self.nested,
                "rule": self.rule}

    @classmethod
    def from_json(cls, d: dict) -> "Mention":
        return cls(tuple(d["span"]), d["text"], d.get("normal", d["text"]), d.get("nested", False), d.get("rule", "ner"))


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
            out["place"] = {"kind": p.kind, "country": p.country or None, "lat": p.lat, "lon": p.lon,
                            "geonameid": p.geonameid}
        if detail:
            out["mention_details"] = [m.to_json() for m in self.mentions]
        return out

    @classmethod
    def from_json(cls, d: dict) -> "Entity":
        details = d.get("mention_details")
        mentions = tuple(Mention.from_json(m) for m in details) if details else tuple(
            Mention(tuple(s), "", "") for s in d["mentions"])
        return cls(d["id"], d["type"], d["name"], mentions, tuple(Role.from_json(r) for r in d.get("roles", ())),
                   tuple(d.get("aliases", ())))


@dataclass(frozen=True, slots=True)
class _Cand:
    """A mention on its way to an entity: span, type, the tokens it covers, its nominative form."""
    start: int
    stop: int
    type: str
    text: str
    normal: str
    tokens: tuple[Token, ...]
    nested: bool = False
    rule: str = "ner"
    pair: int | None = None            # an acronym split from a full name: the full name's start

    def mention(self, normal: str | None = None) -> Mention:
        return Mention((self.start, self.stop), self.text, normal or self.normal, self.nested, self.rule)


def resolve_entities(analysis: Analysis, places: Gazetteer | None = None) -> list[Entity]:
    """Group the NER mentions of one document into entities with canonical nominative names."""
    gz = places if places is not None else gazetteer()
    cands = clean_mentions(analysis)
    cands = _retype(cands, analysis, gz)
    cands += _nested_places(cands, gz)
    by_type = {t: [c for c in cands if c.type == t] for t in TYPES}
    groups = _people(by_type["PER"]) + _organisations(by_type["ORG"]) + _places(by_type["LOC"], gz)
    groups.sort(key=lambda g: min(m.span[0] for m in g.mentions))
    spans = [(c.start, c.stop) for c in cands]
    out = []
    for i, e in enumerate(groups, 1):
        roles = _roles(analysis, e, spans) if e.type == "PER" else ()
        out.append(replace(e, id=f"e{i}", roles=roles))
    return out


# ------------------------------------------------------------------------------------------------------ 1. clean

def _tokens(analysis: Analysis, start: int, stop: int) -> tuple[Token, ...]:
    if not analysis.sentences:
        return ()
    out = []
    for sent in analysis.sentences[analysis.sentence_index(start):]:
        if sent.start >= stop:
            break
        out.extend(t for t in sent.tokens if t.start >= start and t.stop <= stop)
    return tuple(out)


def _cand(analysis: Analysis, start: int, stop: int, type_: str, normal: str | None, rule: str, **kw) -> _Cand:
    tokens = _tokens(analysis, start, stop)
    text = analysis.text[start:stop]
    if normal is None:
        normal = nominative_group(tokens) if tokens else text
    return _Cand(start, stop, type_, text, normal, tokens, rule=rule, **kw)


_ACRONYM_TAIL = re.compile(r"^(?P<full>.*?\w.*?)\s*\(\s*(?P<abbr>[^()\s]{2,12})\s*\)$", re.S)


def clean_mentions(analysis: Analysis) -> list[_Cand]:
    """Stage 1: trim, split, extend and filter natasha's mentions (see the module docstring)."""
    text = analysis.text
    lowercase = {fold(t.lemma) for t in analysis.tokens() if t.text[:1].islower()}
    out: list[_Cand] = []
    for m in analysis.mentions:
        start, stop = _trim(text, m.start, m.stop)
        if not re.search(r"\w", text[start:stop]):
            continue
        hit = _ACRONYM_TAIL.match(text[start:stop]) if m.type == "ORG" else None
        if hit and _balanced(hit["full"]):
            # "Организации Договора о коллективной безопасности (ОДКБ)": the name and its acronym
            full_stop = start + hit.end("full")
            abbr_start = start + hit.start("abbr")
            out.append(_cand(analysis, start, full_stop, "ORG", None, "split-acronym"))
            out.append(_cand(analysis, abbr_start, abbr_start + len(hit["abbr"]), "ORG", hit["abbr"],
                             "split-acronym", pair=start))
            continue
        rule = "ner" if (start, stop) == (m.start, m.stop) else "strip"
        normal = _strip_marks(m.normal) if m.type == "PER" else None
        if m.type == "PER":
            stop, rule = _patronymic_particle(analysis, stop, rule)
            if rule == "particle":
                normal = f"{normal} {text[m.stop:stop].split()[-1]}"
        cand = _cand(analysis, start, stop, m.type, normal, rule)
        if not _junk(cand, lowercase):
            out.append(cand)
    return out


_PAIRS = {"«": "»", "„": "“", "“": "”", "‘": "’", "‹": "›", "(": ")", "[": "]", "{": "}"}
_CLOSERS = {v: k for k, v in _PAIRS.items()}
_SYMMETRIC = "\"'"


def _balanced(s: str) -> bool:
    depth = {k: 0 for k in _PAIRS}
    for ch in s:
        if ch in _PAIRS and not (ch == "“" and depth["„"] > 0):
            depth[ch] += 1
        elif ch in _CLOSERS:
            opener = _CLOSERS[ch]
            if ch == "“" and depth["„"] > 0:
                opener = "„"
            depth[opener] -= 1
            if depth[opener] < 0:
                return False
    return not any(depth.values()) and all(s.count(q) % 2 == 0 for q in _SYMMETRIC)


def _trim(text: str, start: int, stop: int) -> tuple[int, int]:
    """Strip spaces, stray marks and quotes that wrap the whole mention; keep balanced ones inside it
    ("ОАО «Газпром»", "Лига (Юг)"): «Социалистическое сопротивление Казахстана» → Социалистическое …"""
    marks = rules()["edge_marks"]
    while start < stop:
        while start < stop and text[start].isspace():
            start += 1
        while stop > start and (text[stop - 1].isspace() or text[stop - 1] in ",;:"):
            stop -= 1
        s = text[start:stop]
        if len(s) >= 2 and (_PAIRS.get(s[0]) == s[-1] or (s[0] in _SYMMETRIC and s[0] == s[-1])) \
                and _balanced(s[1:-1]):
            start, stop = start + 1, stop - 1
        elif s and s[0] in marks and not _balanced(s) and _balanced(s[1:]):
            start += 1
        elif s and s[-1] in marks and not _balanced(s) and _balanced(s[:-1]):
            stop -= 1
        elif s and s[0] in marks and s[0] not in _PAIRS and s[0] not in _CLOSERS and s[0] not in _SYMMETRIC:
            start += 1                                  # * _ # and the like
        else:
            break
    return start, stop


def _strip_marks(s: str) -> str:
    return s.strip(rules()["edge_marks"] + " .,;:")


def _patronymic_particle(analysis: Analysis, stop: int, rule: str) -> tuple[int, str]:
    particles = set(rules()["patronymic_particles"])
    sent = analysis.sentence_at(stop)
    for t in sent.tokens if sent else ():
        if t.start >= stop:
            if fold(t.text) in particles and not analysis.text[stop:t.start].strip():
                return t.stop, "particle"
            break
    return stop, rule


def _junk(c: _Cand, lowercase: set[str]) -> bool:
    """A lone capitalised plural common noun tagged LOC or PER that the document also writes in lower case
    ("Протесты" opening a heading of an article about протесты) and no gazetteer knows. Singular ones stay:
    "Луна" is a place although the same text may speak of a луна."""
    words = [t for t in c.tokens if re.search(r"\w", t.text)]
    if c.type not in rules()["drop_capitalised_common_nouns"] or len(words) != 1:
        return False
    word = words[0]
    if not word.text[:1].isupper() or word.text.isupper() or fold(word.lemma) not in lowercase \
            or word.feat("Number") != "Plur":
        return False
    return is_common_noun(word) and gazetteer().best(word.text) is None


# -------------------------------------------------------------------------------------------------- 2. fix types

def _retype(cands: Sequence[_Cand], analysis: Analysis, gz: Gazetteer) -> list[_Cand]:
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


def _nested_places(cands: Sequence[_Cand], gz: Gazetteer) -> list[_Cand]:
    """Places named inside organisations' names: the LOC "Казахстана" in "Социалистическое сопротивление
    Казахстана" (one or two words after the organisation's first word)."""
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
                if len(window) < n or not window[-1].text[:1].isupper() or window[-1].pos not in ("PROPN", "NOUN"):
                    continue
                place = gz.best(" ".join(t.text for t in window))
                if place and (place.kind in kinds or (place.population or 0) >= min_pop):
                    out.append(_Cand(window[0].start, window[-1].stop, "LOC", c.text[window[0].start - c.start:
                                     window[-1].stop - c.start], place.name, tuple(window), nested=True,
                                     rule="nested-place"))
                    i += n - 1
                    break
            i += 1
    return out


# ---------------------------------------------------------------------------------------------------- 3. people

@dataclass
class _Person:
    firsts: list[str]          # first-name words seen (surface)
    last: str | None           # surname (surface, first seen)
    members: list[tuple[_Cand, list[str], list[str]]]   # (mention, surface parts, normal parts)

    def first_stop(self) -> int:
        return min(c.start for c, _, _ in self.members)


def _parts(c: _Cand) -> tuple[list[str], list[str]]:
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

    surface = merge(w for w in re.findall(r"[\w-]+", c.text) if re.search(r"\w", w))
    normal = merge(w for w in re.findall(r"[\w-]+", c.normal) if re.search(r"\w", w))
    return surface, normal if len(normal) == len(surface) else surface


def _first_compatible(a: str, b: str) -> bool:
    if len(a) == 1 or len(b) == 1:
        return a[:1].lower() == b[:1].lower()
    return same_word(a, b)


def _people(cands: Sequence[_Cand]) -> list[Entity]:
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
            target = next((p for p in clusters if p not in full and same_word(p.firsts[0], word)), None)
        if target is None:
            target = _Person([word], None, [])
            clusters.append(target)
        target.members.append((c, surface, normal))
    return [_person_entity(p) for p in clusters]


def _vote(forms: Sequence[str], surfaces: set[str]) -> str:
    counts = Counter(forms)
    order = {f: i for i, f in reversed(list(enumerate(forms)))}
    return max(counts, key=lambda f: (counts[f], fold(f) in surfaces, -order[f]))


def _person_entity(p: _Person) -> Entity:
    longest = max(len(s) for _, s, _ in p.members)
    parts = []
    surfaces = {fold(w) for _, s, _ in p.members for w in s}
    for k in range(longest):
        forms = [n[k] for _, s, n in p.members if len(s) == longest]
        if k == longest - 1 and longest >= 2:     # the surname: every mention that has it votes
            forms += [n[-1] for _, s, n in p.members if len(s) == 1 and same_word(s[0], p.last or "")]
        parts.append(_vote(forms, surfaces))
    spelled = {fold(w): w for _, s, _ in p.members for w in s if w[:1].isupper()}
    name = " ".join(spelled.get(fold(w), w) for w in parts)     # the text's own spelling keeps its ё
    if longest == 1:
        name = _known_person(name) or name
    mentions = sorted((c.mention(" ".join(spelled.get(fold(w), w) for w in n)) for c, _, n in p.members),
                      key=lambda m: m.span)
    aliases = sorted({m.normal for m in mentions if fold(m.normal) != fold(name)})
    return Entity("", "PER", name, tuple(mentions), aliases=tuple(aliases))


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


# ------------------------------------------------------------------------------------------------ organisations

def _org_name(c: _Cand) -> str:
    return _strip_marks(c.normal) or c.text


def _organisations(cands: Sequence[_Cand]) -> list[Entity]:
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
    for i, c in enumerate(cands):                     # a split acronym joins its full name
        if c.pair in starts:
            union(i, starts[c.pair])
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
        name = _vote(pool, {fold(cands[i].text) for i in members})
        mentions = tuple(sorted((cands[i].mention(names[i]) for i in members), key=lambda m: m.span))
        aliases = tuple(sorted({f for f in forms if fold(f) != fold(name)}))
        out.append(Entity("", "ORG", name, mentions, aliases=aliases))
    return out


# ------------------------------------------------------------------------------------------------------- places

def _places(cands: Sequence[_Cand], gz: Gazetteer) -> list[Entity]:
    groups: dict[tuple, list[tuple[_Cand, str, Place | None]]] = {}
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
