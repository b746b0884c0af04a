"""Mentions: natasha's NER spans cleaned into candidates for entities (stage 1 of `entities.resolve_entities`).

Edges are trimmed of spaces, stray marks and quotes that wrap the whole mention (balanced quotes inside stay:
"ОАО «Газпром»"); "Организации Договора о коллективной безопасности (ОДКБ)" is split into the name and its
acronym; a Turkic patronymic particle after a person's name joins it ("Аскар Алмаз уулу"); junk is dropped
(punctuation only; a capitalised plural common noun the document also writes in lower case, as a heading's
"Протесты"). Every candidate records the rule that made or changed it.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Sequence

from .gazetteer import gazetteer
from .names import fold, is_common_noun, nominative_group, rules
from .nlp import Analysis, Token

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Mention:
    span: Span
    text: str
    normal: str              # this mention's nominative form
    nested: bool = False     # inside another entity's mention (a place within an organisation's name)
    rule: str = "ner"        # the rule that made or changed it: ner, strip, split-acronym, particle,
    #                          place-not-person, nested-place

    def to_json(self) -> dict:
        return {"span": list(self.span), "text": self.text, "normal": self.normal, "nested": self.nested,
                "rule": self.rule}

    @classmethod
    def from_json(cls, d: dict) -> "Mention":
        return cls(tuple(d["span"]), d["text"], d.get("normal", d["text"]), d.get("nested", False),
                   d.get("rule", "ner"))


@dataclass(frozen=True, slots=True)
class Candidate:
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


def _tokens(analysis: Analysis, start: int, stop: int) -> tuple[Token, ...]:
    if not analysis.sentences:
        return ()
    out = []
    for sent in analysis.sentences[analysis.sentence_index(start):]:
        if sent.start >= stop:
            break
        out.extend(t for t in sent.tokens if t.start >= start and t.stop <= stop)
    return tuple(out)


def candidate(analysis: Analysis, start: int, stop: int, type_: str, normal: str | None, rule: str,
              **kw) -> Candidate:
    tokens = _tokens(analysis, start, stop)
    text = analysis.text[start:stop]
    if normal is None:
        normal = nominative_group(tokens) if tokens else text
    return Candidate(start, stop, type_, text, normal, tokens, rule=rule, **kw)


MAX_MENTION = 300     # characters; trimming a mention is quadratic in its length
_ACRONYM_TAIL = re.compile(r"^(?P<full>.*?\w.*?)\s*\(\s*(?P<abbr>[^()\s]{2,12})\s*\)$", re.S)


def clean_mentions(analysis: Analysis) -> list[Candidate]:
    """Stage 1: trim, split, extend and filter natasha's mentions (see the module docstring)."""
    text = analysis.text
    lowercase = {fold(t.lemma) for t in analysis.tokens() if t.text[:1].islower()}
    out: list[Candidate] = []
    for m in analysis.mentions:
        if m.stop - m.start > MAX_MENTION:       # no name is that long (hostile text: a run of 10 000 "\\")
            continue
        start, stop = _trim(text, m.start, m.stop)
        if not re.search(r"\w", text[start:stop]):
            continue
        hit = _ACRONYM_TAIL.match(text[start:stop]) if m.type == "ORG" else None
        if hit and _balanced(hit["full"]):
            # "Организации Договора о коллективной безопасности (ОДКБ)": the name and its acronym
            full_stop = start + hit.end("full")
            abbr_start = start + hit.start("abbr")
            out.append(candidate(analysis, start, full_stop, "ORG", None, "split-acronym"))
            out.append(candidate(analysis, abbr_start, abbr_start + len(hit["abbr"]), "ORG", hit["abbr"],
                                 "split-acronym", pair=start))
            continue
        rule = "ner" if (start, stop) == (m.start, m.stop) else "strip"
        normal = strip_marks(m.normal) if m.type == "PER" else None
        if m.type == "PER":
            stop, rule = _patronymic_particle(analysis, stop, rule)
            if rule == "particle":
                normal = f"{normal} {text[m.stop:stop].split()[-1]}"
        cand = candidate(analysis, start, stop, m.type, normal, rule)
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
    s = text[start:stop]
    for opener, closer in (("«", "»"), ("„", "“"), ("(", ")")):
        if s.count(opener) > s.count(closer) and text[stop:stop + 1] == closer:
            stop += 1                                   # the tagger cut the closing mark: "Комитет «Кенес|»"
    if "\n" in text[start:stop].strip():             # a mention never runs across a line break
        first, _, rest = text[start:stop].strip().partition("\n")
        head = text.index(first, start) if first.strip() else -1
        if re.search(r"\w", first):
            stop = head + len(first)
        else:
            start = text.index(rest, start)
    while start < stop:
        while start < stop and text[start].isspace():
            start += 1
        while stop > start and (text[stop - 1].isspace() or text[stop - 1] in ",;:"):
            stop -= 1
        s = text[start:stop]
        if s.endswith(".") and re.search(r"\w{4,}\.$", s):
            stop -= 1                                   # a sentence's full stop, not "им." or "Дж."
            continue
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


def strip_marks(s: str) -> str:
    """A name without the quotes and brackets around it; balanced ones inside stay ("ОАО «Газпром»")."""
    start, stop = _trim(s, 0, len(s))
    return s[start:stop]


def _patronymic_particle(analysis: Analysis, stop: int, rule: str) -> tuple[int, str]:
    particles = set(rules()["patronymic_particles"])
    sent = analysis.sentence_at(stop)
    for t in sent.tokens if sent else ():
        if t.start >= stop:
            if fold(t.text) in particles and not analysis.text[stop:t.start].strip():
                return t.stop, "particle"
            break
    return stop, rule


def _junk(c: Candidate, lowercase: set[str]) -> bool:
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


def vote(forms: Sequence[str], prefer: set[str] = frozenset(), shorter: bool = False) -> str:
    """The name form to keep: one the text itself writes in the nominative (`prefer`, folded), then the most
    frequent, then (with `shorter`) the shortest (case endings only lengthen a name: "Хоулетт", not
    "Хоулетта"), then the first seen."""
    counts = Counter(forms)
    order = {f: i for i, f in reversed(list(enumerate(forms)))}
    return max(counts, key=lambda f: (fold(f) in prefer, counts[f], -len(f) if shorter else 0, -order[f]))


def in_nominative(c: Candidate) -> bool:
    """The tagger read the mention's name words in the nominative."""
    cases = [t.feat("Case") for t in c.tokens if t.pos in ("PROPN", "NOUN", "ADJ")]
    return bool(cases) and all(case in (None, "Nom") for case in cases)
