"""Figures: how many were killed, injured, detained, took part, were sent… and who says so.

`find_figures(text, analysis)` takes the counts `find_quantities` finds and decides what each one counts from the
words it governs or is governed by (its noun group, then its clause), using `lexicons/figure_words.yaml`. Then it
looks for the claimant (`lexicons/attribution.yaml`): a quote's speaker, "по данным X", the subject of a verb of
saying ("В МВД заявили, что…"), or the speaker of the sentence before ("Тогда сообщалось о…"). Every figure carries
the rule that categorised it and the rule that attributed it.

Syntax is used only where `needs_parse` asked for it (sentences with a number and a verb of saying); without a
parse the same rules fall back on word order.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any, Sequence

import yaml

from .claimants import ClaimantRules
from .nlp import Analysis, Token
from .quantities import LEXICONS, Number, Quantity, Span, find_quantities
from .quantities import lexicon as number_lexicon
from .tokens import is_noun, is_part, match_bracket

CATEGORIES = ("killed", "injured", "detained", "missing", "participants", "troops", "equipment", "aid", "other")
QUOTES = frozenset("«»\"„“”")


@dataclass(frozen=True, slots=True)
class Figure:
    span: Span
    category: str
    low: Number | None
    high: Number | None
    quantity: Quantity
    unit_span: Span | None
    source_name: str | None
    source_span: Span | None
    rule: str
    source_rule: str | None

    def to_json(self) -> dict[str, Any]:
        """The contract's figure (span, category, low, high, source) plus how it was found."""
        source = {"name": self.source_name, "span": list(self.source_span)} if self.source_name else None
        return {"span": list(self.span), "category": self.category, "low": self.low, "high": self.high,
                "source": source, "unit_span": list(self.unit_span) if self.unit_span else None,
                "quantity": self.quantity.to_json(), "rule": self.rule, "source_rule": self.source_rule}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Figure:
        src = d.get("source") or {}
        return cls(tuple(d["span"]), d["category"], d["low"], d["high"], Quantity.from_json(d["quantity"]),
                   tuple(d["unit_span"]) if d.get("unit_span") else None, src.get("name"),
                   tuple(src["span"]) if src.get("span") else None, d["rule"], d.get("source_rule"))


# --- lexicons ----------------------------------------------------------------------------------------------

class _Words:
    """figure_words.yaml and attribution.yaml as attributes: word lists become sets, {category: words} tables
    become {lemma: category}, phrase and marker lists become tuples of words."""

    TABLES, PHRASES = ("casualty", "roles"), ("phrases", "markers")

    def __init__(self) -> None:
        for name in ("figure_words", "attribution"):
            for key, value in yaml.safe_load((LEXICONS / f"{name}.yaml").read_text(encoding="utf-8")).items():
                if key in self.TABLES:
                    value = {lemma: cat for cat, ws in value.items() for lemma in ws.split()}
                elif key == "subset_phrases":
                    value = tuple(tuple(p.split()) for p in value)
                elif key == "phrases":
                    value = tuple((tuple(p.split()), cat) for cat, ps in value.items() for p in ps)
                elif key == "markers":
                    value = tuple(sorted((tuple(m.split()) for m in value), key=len, reverse=True))
                elif isinstance(value, str):
                    value = frozenset(value.split())
                setattr(self, key, value)
        numbers = number_lexicon()
        self.number_forms = frozenset(numbers.words) | frozenset(numbers.vague)


@functools.cache
def words() -> _Words:
    return _Words()


_DIGIT = re.compile(r"\d")
_WORD = re.compile(r"[а-яё]+")


def needs_parse(sentence_text: str, lemmas: Sequence[str]) -> bool:
    """Parse a sentence only if it may hold a figure and a claimant: a number and a verb of saying."""
    w = words()
    if not any(lemma in w.speech_verbs for lemma in lemmas):
        return False
    return bool(_DIGIT.search(sentence_text)) or any(
        x in w.number_forms for x in _WORD.findall(sentence_text.lower().replace("ё", "е")))


# --- the annotator ------------------------------------------------------------------------------------------

_QUOTE = re.compile(r"«(?:[^«»]|«[^«»]*»)*»|“[^“”]*”|„[^„“”]*[“”]")


class _Figures(ClaimantRules):
    def __init__(self, text: str, analysis: Analysis, keep_other: bool):
        self.text, self.a, self.w, self.keep_other = text, analysis, words(), keep_other
        self.quotes = [m.span() for m in _QUOTE.finditer(text) if m.end() - m.start() >= 15]
        self.mentions = sorted(analysis.mentions, key=lambda m: m.start)
        self.mention_starts = [m.start for m in self.mentions]
        self.lemmas = [frozenset(t.lemma for t in sent.tokens) for sent in analysis.sentences]

    def run(self, quantities: Sequence[Quantity]) -> list[Figure]:
        out = []
        for q in quantities:
            if q.kind != "count" or not self.a.sentences or any(isinstance(v, float) for v in (q.low, q.high)):
                continue                                     # "магнитудой 6,1": a measurement, not a count
            si = self.a.sentence_index(q.span[0])
            toks = self.a.sentences[si].tokens
            qi = next((i for i, t in enumerate(toks) if t.stop > q.span[0]), None)
            qj = next((i for i, t in enumerate(toks) if t.start >= q.span[1]), len(toks))
            if qi is None or qi >= qj:
                continue
            cat, head, rule = self.category(si, qi, qj, q)
            same_sentence = out and out[-1].quantity.span[0] >= self.a.sentences[si].start
            if cat == "other" and same_sentence and self.subset(toks, qi):
                cat, rule = out[-1].category, "subset"     # "погибли 30 человек, из них 5 детей"
            if cat is None or (cat == "other" and not self.keep_other):
                continue
            unit = (toks[head].start, toks[head].stop) if head is not None else None
            stop = max(q.span[1], unit[1]) if unit and unit[0] >= q.span[1] else q.span[1]
            src = self.source(si, qi, qj, q)
            out.append(Figure((q.span[0], stop), cat, q.low, q.high, q, unit,
                              src[0] if src else None, src[1] if src else None, rule, src[2] if src else None))
        return out

    # -- what is counted --

    def category(self, si: int, qi: int, qj: int, q: Quantity) -> tuple[str | None, int | None, str]:
        w, toks = self.w, self.a.sentences[si].tokens
        mods, head, tail = self.noun_group(toks, qj)
        lemma = toks[head].lemma if head is not None else None
        if lemma in w.not_counted:
            return None, head, "np:not-counted"
        if q.low == q.high == 1 and (head is None or toks[qj].lemma == "из"):
            return None, head, "np:one-of"               # "одного из солдат", "одна из станций"
        for k in mods + ([head] if head is not None else []) + tail:
            if toks[k].lemma in w.casualty:
                return w.casualty[toks[k].lemma], head, "np:casualty"
        if lemma in w.measures:
            for k in tail:
                if w.roles.get(toks[k].lemma) in ("aid", "equipment"):
                    return w.roles[toks[k].lemma], head, "np:measure"
            return ("aid" if self.near(si) & w.aid_context else "other"), head, "np:measure+context"
        role = w.roles.get(lemma)
        if role == "participants" and lemma in w.needs_protest and not self.protest(si):
            role = None                                    # "участников шоу", "участники выборов"
        person = head is None or lemma in w.people or role in ("participants", "troops") or (
            toks[head].feat("Animacy") == "Anim" and role is None)
        if not person:
            role = role or next((w.roles[toks[k].lemma] for k in tail if toks[k].lemma in w.roles), None)
            if role == "equipment" and lemma in w.civil_equipment and not self.near(si) & w.equipment_context:
                return "other", head, "np:civil-vehicle"
            return (role or "other"), head, "np:" + ("role" if role else "thing")
        end = max([qj] + [k + 1 for k in mods + tail] + ([head + 1] if head is not None else []))
        hits, antecedent = self.clause(toks, qi, end)
        for k in hits:
            cat = self.word_category(si, toks, k, casualty=True)
            if cat:
                return cat, head, "clause:casualty"
        for k in range(qi - 1, 0, -1):                    # "Число погибших в столкновениях …, достигло 25"
            if toks[k - 1].lemma in w.count_nouns and toks[k].lemma in w.casualty:
                return w.casualty[toks[k].lemma], head, "count-noun"
        if role == "troops" and (q.rule.startswith("collective") or (q.high or 0) < w.troops_min):
            return "other", head, "np:troops-few"
        if role:
            return role, head, "np:role"
        for k in hits[:5]:                                # roles only from close by: "пришли около 50 человек"
            cat = self.word_category(si, toks, k, casualty=False)
            if cat:
                return cat, head, "clause:role"
        for k in antecedent:
            cat = self.word_category(si, toks, k, casualty=True) or self.word_category(si, toks, k, casualty=False)
            if cat:
                return cat, head, "relative"
        return "other", head, "np:person"

    @staticmethod
    def noun_group(toks: Sequence[Token], j: int) -> tuple[list[int], int | None, list[int]]:
        """Modifiers, head noun and genitive tail after a number: '16 погибших силовиках', '8 единиц бронетехники'."""
        mods, head, k = [], None, j
        while k < len(toks) and k < j + 6:
            t = toks[k]
            if t.text in QUOTES:
                k += 1
                continue
            if t.pos in ("ADJ", "DET") or is_part(t):
                mods.append(k)
                k += 1
                continue
            if is_noun(t):
                head = k
            break
        tail: list[int] = []
        if head is None:
            return mods[:-1], (mods[-1] if mods else None), tail     # "225 погибших", "70 военных"
        k, nouns = head + 1, 0
        while k < len(toks) and nouns < 2:
            t = toks[k]
            if t.pos == "ADJ" or t.text in QUOTES:
                tail.append(k)
            elif is_noun(t) and t.feat("Case") == "Gen":
                tail.append(k)
                nouns += 1
            else:
                break
            k += 1
        return mods, head, tail

    @staticmethod
    def clause(toks: Sequence[Token], qi: int, end: int) -> tuple[list[int], list[int]]:
        """Tokens of the number's clause, nearest first; and, inside a relative clause, the words before 'который'."""
        fwd, k = [], end
        while k < len(toks) and len(fwd) < 10:
            t = toks[k].text
            if t == "(":
                k = match_bracket(toks, k, ")", 1) + 1
                continue
            if t == ")" or t in ";.!?…:":
                break
            if t == ",":
                nxt = toks[k + 1] if k + 1 < len(toks) else None
                if not nxt or not (is_part(nxt) or nxt.lemma == "который"):
                    break
            fwd.append(k)
            k += 1
        back, k, relative = [], qi - 1, False
        while k >= 0 and len(back) < 10:
            t = toks[k].text
            if t == ")":
                k = match_bracket(toks, k, "(", -1) - 1
                continue
            if t in ("(", ",", ";", ".", "!", "?", "…"):
                break
            relative = relative or toks[k].lemma == "который"
            back.append(k)
            k -= 1
        antecedent = [i for i in range(k - 1, max(k - 5, -1), -1) if toks[i].pos != "PUNCT"] if relative else []
        order = sorted([(i - end + 1, 0, i) for i in fwd] + [(qi - i, 1, i) for i in back])
        return [i for _, _, i in order], antecedent

    def word_category(self, si: int, toks: Sequence[Token], k: int, casualty: bool) -> str | None:
        w, lemma = self.w, toks[k].lemma
        if casualty:
            if lemma in w.casualty:
                return w.casualty[lemma]
        elif w.roles.get(lemma) == "troops":
            return "troops"
        elif (w.roles.get(lemma) == "participants" or lemma in w.protest_verbs) and self.protest(si):
            return "participants"
        for phrase, cat in w.phrases:
            if (cat in ("participants", "troops")) == casualty or (cat == "participants" and not self.protest(si)):
                continue
            for off in range(len(phrase)):
                s = k - off
                if s >= 0 and tuple(t.lemma for t in toks[s:s + len(phrase)]) == phrase:
                    return cat
        return None

    def subset(self, toks: Sequence[Token], qi: int) -> bool:
        lemmas = tuple(t.lemma for t in toks[max(qi - 4, 0):qi])
        return any(lemmas[i:i + len(p)] == p for p in self.w.subset_phrases for i in range(len(lemmas)))

    def near(self, si: int) -> frozenset[str]:
        """Lemmas of the sentence and the one before it."""
        return self.lemmas[si] | (self.lemmas[si - 1] if si else frozenset())

    def protest(self, si: int) -> bool:
        """Participants are counted only in a sentence about a protest ("пришли на пикет", not "на выборы")."""
        return bool(self.lemmas[si] & self.w.protest_context)


def find_figures(text: str, analysis: Analysis, quantities: list[Quantity] | None = None, *,
                 keep_other: bool = False) -> list[Figure]:
    """Figures in `text` (analysed by `nlp.Annotator`). Counts that name nothing in the news (other) are dropped
    unless `keep_other`; percentages, money, ordinals and multipliers never become figures."""
    if quantities is None:
        quantities = find_quantities(text, analysis)
    return _Figures(text, analysis, keep_other).run(quantities)
