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

import bisect
import functools
import re
from dataclasses import dataclass
from typing import Any, Sequence

import yaml

from .nlp import Analysis, NerMention, Token
from .quantities import LEXICONS, Number, Quantity, Span, find_quantities
from .quantities import lexicon as number_lexicon

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


# --- token helpers ------------------------------------------------------------------------------------------

def _is_part(t: Token) -> bool:
    """A participle, also when natasha tags a substantivised one as a noun ('пострадавших' NOUN → 'пострадать')."""
    return t.feat("VerbForm") == "Part" or (t.pos in ("NOUN", "ADJ") and t.lemma.endswith(("ть", "ться", "чь")))


def _is_noun(t: Token) -> bool:
    return t.pos in ("NOUN", "PROPN")


def _match(toks: Sequence[Token], k: int, close: str, step: int) -> int:
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


def _nominative(t: Token) -> str:
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


# --- the annotator ------------------------------------------------------------------------------------------

_QUOTE = re.compile(r"«(?:[^«»]|«[^«»]*»)*»|“[^“”]*”|„[^„“”]*[“”]")


class _Figures:
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
            if t.pos in ("ADJ", "DET") or _is_part(t):
                mods.append(k)
                k += 1
                continue
            if _is_noun(t):
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
            elif _is_noun(t) and t.feat("Case") == "Gen":
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
                k = _match(toks, k, ")", 1) + 1
                continue
            if t == ")" or t in ";.!?…:":
                break
            if t == ",":
                nxt = toks[k + 1] if k + 1 < len(toks) else None
                if not nxt or not (_is_part(nxt) or nxt.lemma == "который"):
                    break
            fwd.append(k)
            k += 1
        back, k, relative = [], qi - 1, False
        while k >= 0 and len(back) < 10:
            t = toks[k].text
            if t == ")":
                k = _match(toks, k, "(", -1) - 1
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

    # -- who says so --

    def source(self, si: int, qi: int, qj: int, q: Quantity) -> tuple[str, Span, str] | None:
        """The claimant: a quote's speaker, 'по данным X', the subject of a verb of saying in the sentence,
        'Об этом сообщил X' right after it, or the speaker before 'Тогда сообщалось о…'."""
        inside = [(a, b) for a, b in self.quotes if a < q.span[0] and q.span[1] < b]
        found = self.quote_speaker(*inside[-1]) if inside else None
        if found:
            return found + ("quote",)
        found = self.marker(si, qi)
        if found:
            return found
        toks = self.a.sentences[si].tokens
        colon = next((k for k in range(min(qi, 6)) if toks[k].text == ":"), None)
        if colon:                                            # "МВД Казахстана: ранены 1300 полицейских"
            named = [m for m in self.mentions_in(toks[0].start, toks[colon].start) if m.type in ("ORG", "PER")]
            k = next((i for i, t in enumerate(toks) if named and t.start >= named[0].start), 0)
            if named or toks[0].lemma in self.w.claimants:
                return self.group_name(si, k) + ("colon",)
        verbs = [k for k, t in enumerate(toks) if t.lemma in self.w.speech_verbs and not qi <= k < qj]
        for k in sorted((k for k in verbs if k < qi), reverse=True):
            found = self.said(si, k, lambda i: not qi <= i < qj)
            if found:
                return found
        for k in (k for k in verbs if k >= qj):             # "…, сообщил X": the subject comes after the verb
            found = self.said(si, k, lambda i, k=k: i > k)
            if found:
                return found
        nxt = self.a.sentences[si + 1].tokens[:2] if si + 1 < len(self.a.sentences) else ()
        if [t.text.lower() for t in nxt] == ["об", "этом"]:
            found = self.said(si + 1, None, lambda i: True, "next:")
            if found:
                return found
        if si and self.lemmas[si] & self.w.impersonal:
            return self.said(si - 1, None, lambda i: True, "carry-over:")
        return None

    def said(self, si: int, k: int | None, allowed, prefix: str = "speech:") -> tuple[str, Span, str] | None:
        """The subject of the verb of saying k (None: the last one in the sentence), unless the verb is negated."""
        toks = self.a.sentences[si].tokens
        if k is None:
            k = next((i for i in reversed(range(len(toks))) if toks[i].lemma in self.w.speech_verbs), None)
            if k is None:
                return None
        i = k - 1
        while i >= 0 and toks[i].lemma in ("еще", "уже", "пока", "так", "и"):
            i -= 1
        if i >= 0 and toks[i].lemma == "не":
            return None
        found = self.subject(si, k, allowed)
        return found + (prefix + toks[k].lemma,) if found else None

    def marker(self, si: int, qi: int) -> tuple[str, Span, str] | None:
        """'по данным правозащитников', 'по его словам': the nearest marker, before the number first."""
        toks = self.a.sentences[si].tokens
        low = [t.text.lower().replace("ё", "е") for t in toks]
        hits = []
        for i in range(len(toks)):
            for m in self.w.markers:
                n, pron = len(m), None
                if tuple(low[i:i + n]) != m:
                    if not (n == 2 and low[i] == m[0] and low[i + 1:i + 3][-1:] == [m[1]]
                            and low[i + 1] in self.w.possessives):
                        continue
                    n, pron = 3, low[i + 1]
                hits.append((i > qi, abs(qi - i), i, n, pron, " ".join(m)))
                break
        for _, _, i, n, pron, name in sorted(hits):
            k = i + n
            while k < len(toks) and toks[k].pos in ("ADJ", "DET") and k < i + n + 3:
                k += 1
            if pron:
                found = self.resolve(si, toks[i].start, self.w.possessives[pron])
            else:
                found = self.claimant(si, k) if k < len(toks) and _is_noun(toks[k]) else None
            if found:
                return found + ("marker:" + name,)
        return None

    def subject(self, si: int, v: int, allowed) -> tuple[str, Span] | None:
        """Who does the saying: the parse's nsubj, else the noun before the verb, else the one after it."""
        sent = self.a.sentences[si]
        toks = sent.tokens

        def ok(i: int) -> bool:
            t = toks[i]
            return allowed(i) and t.pos != "NUM" and t.text.lower() not in self.w.number_forms and t.lemma not in (
                "что", "это", "кто")

        if sent.parsed:
            for c in sent.children(v):
                found = self.claimant(si, c) if toks[c].rel in ("nsubj", "nsubj:pass") and ok(c) else None
                if found:
                    return found
        plural = toks[v].feat("Number") == "Plur"
        k = v - 1
        while k >= 0 and v - k <= 8:                      # before the verb: "власти Казахстана обнародовали"
            t = toks[k]
            if t.text in "[]" or t.pos in ("ADV", "PART", "AUX") or (t.feat("Case") == "Gen" and _is_noun(t)):
                k -= 1
                continue
            if t.text == "»" or ((_is_noun(t) or t.pos == "PRON") and t.feat("Case") in (None, "Nom")):
                if ok(k):
                    return self.claimant(si, k)
                break
            i = k - 1
            while i > 0 and toks[i].pos == "ADJ":
                i -= 1
            if plural and _is_noun(t) and i >= 0 and toks[i].lemma == "в" and ok(k):   # "В МВД заявили"
                return self.claimant(si, k)
            break
        k = v + 1
        while k < len(toks) and k - v <= 6:                # after it: "сообщил госсекретарь США", "заявили в МВД"
            t = toks[k]
            if t.pos in ("ADV", "PART") or t.text in "[]":
                k += 1
                continue
            if plural and t.lemma == "в":                 # "сообщили в городском акимате"
                k += 1
                while k < len(toks) - 1 and toks[k].pos == "ADJ":
                    k += 1
                if not _is_noun(toks[k]):
                    break
            elif not ((_is_noun(t) or t.pos == "PRON") and t.feat("Case") in (None, "Nom")):
                break
            return self.claimant(si, k) if ok(k) else None
        return None

    def claimant(self, si: int, k: int) -> tuple[str, Span] | None:
        toks = self.a.sentences[si].tokens
        t = toks[k]
        if t.text == "»":                                 # «Социалистическое сопротивление Казахстана» заявляет
            a = _match(toks, k, "«", -1)
            if a == k or a + 1 >= k:
                return None
            start, stop = toks[a + 1].start, toks[k - 1].stop
            return self.text[start:stop], (start, stop)
        if t.lemma == "который":                          # "Ташиев, который заявил, что…"
            k = next((i for i in range(k - 1, max(k - 4, -1), -1) if _is_noun(toks[i])), None)
            return self.group_name(si, k) if k is not None else None
        if t.pos == "PRON":
            return self.resolve(si, t.start, t.lemma) if t.lemma in ("он", "она", "они") else None
        return self.group_name(si, k)

    def group_name(self, si: int, h: int) -> tuple[str, Span]:
        """The claimant's noun group named in the nominative: 'правозащитников' → 'правозащитники'."""
        toks = self.a.sentences[si].tokens
        a = h
        while a > 0 and toks[a - 1].pos == "ADJ":
            a -= 1
        b, k, nouns = h, h + 1, 0
        while k < len(toks) and nouns < 3:           # genitive tail: "власти Казахстана", "пресс-служба городского УВД"
            t = toks[k]
            if t.text == "«":
                close = _match(toks, k, "»", 1)
                if close == k:
                    break
                b = k = close
            elif _is_noun(t) and (t.feat("Case") == "Gen" or t.pos == "PROPN"):
                b = k
            elif not (t.pos == "ADJ" and t.feat("Case") == "Gen"):
                break
            nouns += t.pos != "ADJ"
            k += 1
        span = (toks[a].start, toks[b].stop)
        inside = [m for m in self.mentions_in(*span) if m.type in ("PER", "ORG")]
        per = [m for m in inside if m.type == "PER"]
        if per:
            return per[-1].normal, (per[-1].start, per[-1].stop)
        after = toks[h + 1].stop if h + 1 < len(toks) and toks[h + 1].text == "«" else toks[h].stop
        org = next((m for m in inside if m.start <= toks[h].start < m.stop), None) or next(
            (m for m in inside if toks[h].stop <= m.start <= after + 1 and self.nominative_at(si, m.start)), None)
        if org and org.start > toks[h].start:                 # the appositive names it
            return org.normal, (org.start, org.stop)
        if org:                                               # the organisation is the head, maybe with a tail
            name = org.text if toks[h].feat("Case") in (None, "Nom") else org.normal
            rest = self.text[org.stop:span[1]].strip()
            return (f"{name} {rest}" if rest else name), (org.start, max(org.stop, span[1]))
        head = " ".join(_nominative(toks[i]) for i in range(a, h + 1))
        rest = self.text[toks[h].stop:span[1]].strip()
        return (f"{head} {rest}" if rest else head), span

    def nominative_at(self, si: int, start: int) -> bool:
        """An appositive name ("издания «Акипресс»", "агентство Reuters"), not a genitive ("пресс-служба МВД")."""
        t = next((t for t in self.a.sentences[si].tokens if t.start >= start), None)
        return t is not None and (self.text[start - 1:start] == "«" or t.feat("Case") in (None, "Nom"))

    def mentions_in(self, start: int, stop: int) -> list[NerMention]:
        starts = self.mention_starts
        return self.mentions[bisect.bisect_left(starts, start):bisect.bisect_left(starts, stop)]

    def resolve(self, si: int, pos: int, pronoun: str) -> tuple[str, Span] | None:
        """'он'/'она' → the last person named before; 'они' → the last organisation or claimant noun."""
        for sj in range(si, max(si - 3, -1), -1):
            sent = self.a.sentences[sj]
            cands: list[tuple[int, Any]] = []
            for m in self.mentions_in(sent.start, min(sent.stop, pos)):
                if m.type == ("PER" if pronoun in ("он", "она") else "ORG"):
                    cands.append((m.start, m))
            if pronoun == "они":
                cands += [(t.start, k) for k, t in enumerate(sent.tokens)
                          if t.start < pos and t.lemma in self.w.claimants and t.feat("Number") != "Sing"]
            if cands:
                _, best = max(cands, key=lambda c: c[0])
                if isinstance(best, NerMention):
                    return (best.normal if best.type == "PER" else best.text), (best.start, best.stop)
                return self.group_name(sj, best)
        return None

    def quote_speaker(self, a: int, b: int) -> tuple[str, Span] | None:
        """«…», — сказал он / X рассказывает: «…»."""
        m = re.match(r"[,.!?…]*\s*[—–-]+\s*", self.text[b:b + 10])
        if m:
            si = self.a.sentence_index(b + m.end())
            toks = self.a.sentences[si].tokens
            k = next((i for i, t in enumerate(toks) if t.start >= b + m.end()), None)
            if k is not None and toks[k].lemma in self.w.speech_verbs:
                return self.subject(si, k, lambda i: i > k)
        j = a
        while j and self.text[j - 1].isspace():
            j -= 1
        if j and self.text[j - 1] == ":":
            si = self.a.sentence_index(j - 1)
            toks = self.a.sentences[si].tokens
            for k in reversed(range(len(toks))):
                if toks[k].stop < j and toks[k].lemma in self.w.speech_verbs:
                    return self.subject(si, k, lambda i: True)
        return None


def find_figures(text: str, analysis: Analysis, quantities: list[Quantity] | None = None, *,
                 keep_other: bool = False) -> list[Figure]:
    """Figures in `text` (analysed by `nlp.Annotator`). Counts that name nothing in the news (other) are dropped
    unless `keep_other`; percentages, money, ordinals and multipliers never become figures."""
    if quantities is None:
        quantities = find_quantities(text, analysis)
    return _Figures(text, analysis, keep_other).run(quantities)
