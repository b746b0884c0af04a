"""Who is speaking: the speech lexicon and the document view the statement rules read.

A speaker is a named mention (PER/ORG, resolved to its entity's canonical name), a pronoun pointing back to the
person last named or the last speaker, a role noun ("президент", "правозащитник") bound to the person named with it,
or a collective noun group ("МВД", "власти Казахстана"). Dates of saying come from day-precision time expressions
in the verb's sentence, or after "тогда" from the day last named.
"""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Sequence

import yaml

from ..annotate.nlp import Analysis, NerMention, Token
from ..annotate.times import TimeExpr
from .quotes import MIN_QUOTE, find_quotes, sentence_like

Span = tuple[int, int]
LEXICON_PATH = Path(__file__).with_name("lexicons") / "speech.yaml"

@dataclass(frozen=True, slots=True)
class Lexicon:
    speech: dict[str, str]           # lemma -> rule
    about: tuple[str, ...]
    markers: tuple[str, ...]
    openers: frozenset[str]
    pronouns: dict[str, dict]
    roles: frozenset[str]
    collective: frozenset[str]
    anaphoric: tuple[str, ...]
    continuation: frozenset[str]
    act_verbs: frozenset[str]       # "обратиться" + "с" + act noun ("призыв")
    act_nouns: frozenset[str]
    doc_verbs: frozenset[str]       # "принять" + document noun ("резолюция") + ", в которой …"
    doc_nouns: frozenset[str]
    infinitive_verbs: frozenset[str]  # "призвал разойтись": the infinitive clause is the words
    continuation_words: tuple[str, ...]


@functools.cache
def lexicon() -> Lexicon:
    d = yaml.safe_load(LEXICON_PATH.read_text(encoding="utf-8"))
    speech = {w: d["speech_verbs"]["rule"] for w in d["speech_verbs"]["lemmas"].split()}
    speech.update({w: d["speech_adjectives"]["rule"] for w in d["speech_adjectives"]["lemmas"].split()})
    return Lexicon(speech, tuple(d["about_markers"]["phrases"]), tuple(d["markers"]["phrases"]),
                    frozenset(d["content_openers"]), d["pronouns"], frozenset(d["role_nouns"].split()),
                    frozenset(d["collective"].split()), tuple(d["anaphoric_times"]),
                    frozenset(d["continuation"].split()),
                    frozenset(d["speech_acts"]["verbs"].split()), frozenset(d["speech_acts"]["nouns"].split()),
                    frozenset(d["documents"]["verbs"].split()), frozenset(d["documents"]["nouns"].split()),
                    frozenset(d["infinitive_verbs"].split()), tuple(d["continuation_words"]))


class SpeechDoc:
    """A text with its analysis, quotes, mentions and day-precision times, and the speaker lookups."""

    def __init__(self, text: str, analysis: Analysis, times: Sequence[TimeExpr], entity_name):
        self.text, self.a, self.lex = text, analysis, lexicon()
        self.times = sorted((t for t in times if t.precision == "day" and t.start), key=lambda t: t.span)
        self.mentions = sorted((_closed(text, m) for m in analysis.mentions), key=lambda m: m.start)
        self.m_starts = [m.start for m in self.mentions]
        self.entity_name = entity_name
        self.quotes = [q for q in find_quotes(text) if q[1] - q[0] > MIN_QUOTE and sentence_like(analysis, q)]
        self.q_starts = [q[0] for q in self.quotes]
        self.any_quotes = find_quotes(text)
        self.surnames = self._full_names()
        self.roles: list[tuple[int, str, NerMention]] = self._role_bindings()

    # -- lookups
    def in_quote(self, pos: int) -> Span | None:
        i = bisect.bisect_right(self.q_starts, pos) - 1
        return self.quotes[i] if i >= 0 and self.quotes[i][0] <= pos < self.quotes[i][1] else None

    def in_any_quote(self, pos: int) -> bool:
        return any(a <= pos < b for a, b in self.any_quotes)

    def mention_at(self, pos: int) -> NerMention | None:
        i = bisect.bisect_right(self.m_starts, pos) - 1
        return self.mentions[i] if i >= 0 and self.mentions[i].start <= pos < self.mentions[i].stop else None

    def name(self, m: NerMention) -> str:
        if self.entity_name:
            resolved = self.entity_name((m.start, m.stop))
            if resolved:
                return resolved
        if m.type == "PER" and " " not in m.normal.strip():
            return self.surnames.get(m.normal.lower()[:5], m.normal)
        return m.normal

    def _full_names(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for m in self.mentions:
            if m.type == "PER" and " " in m.normal.strip() and not self.in_quote(m.start):
                for w in m.normal.split():
                    if len(w) >= 4:
                        out.setdefault(w.lower()[:5], m.normal)
        return out

    def _role_bindings(self):
        out = []
        for tok in self.a.tokens():
            if tok.lemma in self.lex.roles:
                window = self.text[tok.stop: tok.stop + 60]
                for m in self.mentions[bisect.bisect_left(self.m_starts, tok.stop):][:2]:
                    if m.type == "PER" and m.start - tok.stop <= len(window) and "." not in self.text[tok.stop:m.start]:
                        out.append((tok.start, tok.lemma, m))
                        break
        return out

    # -- speakers
    def speaker_of_token(self, sent, i: int, last) -> tuple[str, Span] | None:
        """A speaker for the subject token `sent.tokens[i]`; `last` is the previous statement."""
        tok = sent.tokens[i]
        m = self.mention_at(tok.start)
        if m and m.type in ("PER", "ORG", "LOC"):
            return self.name(m), (m.start, m.stop)
        if tok.lemma in self.lex.pronouns:
            return self.antecedent(tok, last)
        # a PER named inside the subject's group ("госсекретарь США Энтони Блинкен")
        for j in self._subtree(sent, i):
            m = self.mention_at(sent.tokens[j].start)
            if m and m.type == "PER":
                return self.name(m), (m.start, m.stop)
        if tok.lemma in self.lex.roles:
            return self.role(tok, last)
        if (tok.lemma in self.lex.collective or tok.text.isupper() and len(tok.text) > 1 or tok.pos == "PROPN"
                or tok.pos == "NOUN" and tok.feat("Animacy") == "Anim" and tok.feat("Number") == "Plur"):
            span = self.noun_group(sent, i)
            return self.text[span[0]:span[1]], span
        return None

    def noun_group(self, sent, i: int) -> Span:
        """The head noun with the words it governs to its right: "власти Казахстана", "Комитет «Кенес»"."""
        group = set(self._subtree(sent, i)) if sent.parsed else {i}
        toks, stop = sent.tokens, i
        while stop + 1 < len(toks) and stop + 1 in group and (toks[stop + 1].pos != "PUNCT" or toks[stop + 1].text in "«"):
            stop += 1
        end = toks[stop].stop
        opened = self.text.count("«", toks[i].start, end) - self.text.count("»", toks[i].start, end)
        if opened > 0 and stop + 1 < len(toks) and toks[stop + 1].text == "»":
            end = toks[stop + 1].stop
        elif opened > 0:
            end = self.text.rfind("«", toks[i].start, end)
            end = len(self.text[:end].rstrip())
        return toks[i].start, max(end, toks[i].stop)

    def _subtree(self, sent, i: int) -> list[int]:
        out, todo = [], [i]
        while todo:
            k = todo.pop()
            out.append(k)
            if len(out) > 12:
                break
            todo.extend(c for c in sent.children(k) if sent.tokens[c].rel not in ("acl", "acl:relcl", "parataxis"))
        return sorted(out)

    def antecedent(self, tok: Token, last) -> tuple[str, Span] | None:
        info = self.lex.pronouns[tok.lemma if tok.lemma in self.lex.pronouns else tok.text.lower()]
        if info["type"] == "PER":
            m = self.last_mention(tok.start, ("PER",), nominative=True) or self.last_mention(tok.start, ("PER",))
            if m and (last is None or not last.speaker_span or m.start > last.speaker_span[0]
                      or tok.start - last.span[1] > 600):
                return self.name(m), (tok.start, tok.stop)
        if last is not None and last.speaker_name and tok.start - last.span[1] < 600:
            return last.speaker_name, (tok.start, tok.stop)
        return None

    def role(self, tok: Token, last) -> tuple[str, Span] | None:
        m = self.mention_at(tok.stop + 1) or next(
            (x for x in self.mentions[bisect.bisect_left(self.m_starts, tok.stop):][:1]
             if x.type == "PER" and re.fullmatch(r"[\w\s-]{0,30}", self.text[tok.stop:x.start])), None)
        if m and m.type == "PER":
            return self.name(m), (m.start, m.stop)
        bound = [b for b in self.roles if b[1] == tok.lemma and b[0] < tok.start]
        if bound:
            return self.name(bound[-1][2]), (tok.start, tok.stop)
        if last is not None and last.speaker_name and tok.start - last.span[1] < 400:
            return last.speaker_name, (tok.start, tok.stop)
        m = self.last_mention(tok.start, ("PER",))
        return (self.name(m), (tok.start, tok.stop)) if m else None

    def last_mention(self, pos: int, types, nominative: bool = False) -> NerMention | None:
        for m in reversed(self.mentions[:bisect.bisect_left(self.m_starts, pos)]):
            if m.type in types and not self.in_quote(m.start) and (not nominative or self._case(m) == "Nom"):
                return m
        return None

    def _case(self, m: NerMention) -> str | None:
        sent = self.a.sentence_at(m.start)
        cases = [t.feat("Case") for t in sent.tokens if m.start <= t.start < m.stop] if sent else []
        return cases[-1] if cases else None

    # -- dates
    def date_in(self, lo: int, hi: int, near: int, skip: Span | None,
                speaker: str | None = None) -> TimeExpr | None:
        """The day words were said: a day in the sentence [lo, hi) outside the words, the day last named after
        "тогда"/"в тот же день", or the day of the sentence before when it names the same speaker ("Министр Иванов
        7 марта прокомментировал… На брифинге он заявил, что…")."""
        cands = [t for t in self.times if lo <= t.span[0] and t.span[1] <= hi and not self.in_quote(t.span[0])
                 and not (skip and skip[0] <= t.span[0] < skip[1])]
        if cands:
            return min(cands, key=lambda t: abs(t.span[0] - near))
        low = self.text[lo:hi].lower()
        if any(re.search(rf"(?<!\w){w}(?!\w)", low) for w in self.lex.anaphoric):
            before = [t for t in self.times if lo - 700 < t.span[0] < lo]
            return before[-1] if before else None
        return self._scene_date(lo, speaker)

    def _scene_date(self, lo: int, speaker: str | None) -> TimeExpr | None:
        si = self.a.sentence_index(lo)
        if not speaker or si == 0:
            return None
        prev = self.a.sentences[si - 1]
        if "\n\n" in self.text[prev.stop:lo] or re.search(r"</p>|\n\s*\n", self.text[prev.start:lo]):
            return None
        words = [w[:5].lower() for w in re.findall(r"\w{4,}", speaker)]
        said = self.text[prev.start:prev.stop].lower().replace("ё", "е")
        if not words or not any(w in said for w in words):
            return None
        days = [t for t in self.times if prev.start <= t.span[0] < prev.stop and not self.in_quote(t.span[0])]
        return days[-1] if len(days) == 1 else None


def _closed(text: str, m: NerMention) -> NerMention:
    """A mention whose closing quote the tagger cut off gets it back: "Комитет «Кенес" → "Комитет «Кенес»"."""
    if m.text.count("«") > m.text.count("»") and text[m.stop:m.stop + 1] == "»":
        normal = m.normal + "»" if m.normal.count("«") > m.normal.count("»") else m.normal
        return replace(m, stop=m.stop + 1, text=m.text + "»", normal=normal)
    return m
