"""Statements: who said what, and when they said it.

    st = find_statements(text, Annotator(parse=needs_parse)(text), find_times(text, anchor))

Three kinds, found in this order (first opinion wins on a verb or a quote):

* ``direct``: a quote in «…», „…“, “…” or "…" (or a dialogue line after a dash) with an attribution right after it
  ("», — сказал он") or a lead-in before it ("Иванов рассказывает:⏎«…»"); a quote with neither counts only when
  it follows a statement by the same speaker, and only if it reads like a sentence (a finite verb);
* ``reported``: a verb of saying (lexicons/speech.yaml) outside quotes, its subject the speaker; the words are the
  "что…" clause, the text before ", — сказал", or (for "Об этом сообщил…") the sentence before;
* ``attributed``: "по словам X, …".

The speaker is the verb's subject (dependency parse where the sentence was parsed), else the nearest NER mention
outside the words; pronouns and role nouns ("президент", "правозащитник") resolve to the person last named with
that role, else the last speaker, else the last person named. The date is a day-precision time expression in the
sentence of the verb, outside the words ("Об этом 9 января сообщил…"), or, after "тогда", the day last named.
Consecutive pieces by one speaker (a quote after its lead-in, quote fragments split by narration) become one.
"""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Sequence

import yaml

from ..annotate.nlp import Analysis, NerMention, Token
from ..annotate.times import TimeExpr

Span = tuple[int, int]
LEXICON_PATH = Path(__file__).with_name("lexicons") / "speech.yaml"
MAX_SPAN = 1500
MIN_QUOTE = 25
PAIRS = {"«": "»", "„": "“", "“": "”", '"': '"'}
_FINITE = re.compile(r"VerbForm=Fin|Mood=")
_AFTER_QUOTE = re.compile(r"[,.!?…]*\s*[—–-]{1,2}\s+")
_LINK = re.compile(r"\]\([^)\s]*\)")
_DIALOGUE = re.compile(r"(?m)^[ \t]*[—–][ \t]+(\S[^\n]*?)(?:,|[!?…])[ \t]+[—–][ \t]+")


@dataclass(frozen=True, slots=True)
class Statement:
    span: Span                       # the words: the quote or the reported clause
    quote_span: Span | None          # the quoted text, when there is one
    speaker_name: str | None
    speaker_span: Span | None
    speaker_entity: str | None       # the canonical entity name, when the caller resolved entities
    verb: str | None                 # lemma of the verb of saying
    verb_span: Span | None
    date: str | None                 # the day the words were said, never the publication date
    date_span: Span | None
    kind: str                        # direct, reported, attributed
    rule: str

    def to_json(self) -> dict:
        sp = lambda s: list(s) if s else None   # noqa: E731
        speaker = {"name": self.speaker_name, "span": sp(self.speaker_span)} if self.speaker_name else None
        return {"span": list(self.span), "speaker": speaker, "date": self.date, "quote_span": sp(self.quote_span),
                "speaker_entity": self.speaker_entity, "verb": self.verb, "verb_span": sp(self.verb_span),
                "date_span": sp(self.date_span), "kind": self.kind, "rule": self.rule}

    @classmethod
    def from_json(cls, d: dict) -> Statement:
        tup = lambda s: tuple(s) if s else None   # noqa: E731
        sp = d.get("speaker") or {}
        return cls(tuple(d["span"]), tup(d.get("quote_span")), sp.get("name"), tup(sp.get("span")),
                   d.get("speaker_entity"), d.get("verb"), tup(d.get("verb_span")), d.get("date"),
                   tup(d.get("date_span")), d.get("kind", "reported"), d.get("rule", ""))


@dataclass(frozen=True, slots=True)
class _Lexicon:
    speech: dict[str, str]           # lemma -> rule
    about: tuple[str, ...]
    markers: tuple[str, ...]
    openers: frozenset[str]
    pronouns: dict[str, dict]
    roles: frozenset[str]
    collective: frozenset[str]
    anaphoric: tuple[str, ...]
    continuation: frozenset[str]


@functools.cache
def lexicon() -> _Lexicon:
    d = yaml.safe_load(LEXICON_PATH.read_text(encoding="utf-8"))
    speech = {w: d["speech_verbs"]["rule"] for w in d["speech_verbs"]["lemmas"].split()}
    speech.update({w: d["speech_adjectives"]["rule"] for w in d["speech_adjectives"]["lemmas"].split()})
    return _Lexicon(speech, tuple(d["about_markers"]["phrases"]), tuple(d["markers"]["phrases"]),
                    frozenset(d["content_openers"]), d["pronouns"], frozenset(d["role_nouns"].split()),
                    frozenset(d["collective"].split()), tuple(d["anaphoric_times"]),
                    frozenset(d["continuation"].split()))


def needs_parse(sentence_text: str, lemmas: Sequence[str]) -> bool:
    """Parse a sentence when it may hold a statement: a verb of saying, a quote mark or a "по словам"."""
    lex = lexicon()
    return (any(lm in lex.speech for lm in lemmas) or any(q in sentence_text for q in "«»„“\"")
            or any(m in sentence_text.lower() for m in lex.markers))


# --- quotes -------------------------------------------------------------------------------------------------

def find_quotes(text: str) -> list[Span]:
    """Outermost quoted stretches (content only, marks excluded), nested marks balanced, never across paragraphs."""
    out, i, n = [], 0, len(text)
    while i < n:
        ch = text[i]
        if ch in PAIRS and (ch != '"' or i == 0 or not text[i - 1].isalnum()):
            stack, j = [PAIRS[ch]], i + 1
            while j < n and stack and text.find("\n\n", j, j + 2) != j:
                c = text[j]
                if c == stack[-1] and (c != '"' or j + 1 >= n or not text[j + 1].isalnum()):
                    stack.pop()
                elif c in stack and c != '"':
                    del stack[stack.index(c):]
                elif c in PAIRS and c != stack[-1] and c != '"':
                    stack.append(PAIRS[c])
                j += 1
            if not stack:
                out.append((i + 1, j - 1))
                i = j
                continue
        i += 1
    for m in _DIALOGUE.finditer(text):
        out.append((m.start(1), m.end(1)))
    return sorted(out)


# --- the document view the rules read -----------------------------------------------------------------------

class _Doc:
    def __init__(self, text: str, analysis: Analysis, times: Sequence[TimeExpr], entity_name):
        self.text, self.a, self.lex = text, analysis, lexicon()
        self.times = sorted((t for t in times if t.precision == "day" and t.start), key=lambda t: t.span)
        self.mentions = sorted(analysis.mentions, key=lambda m: m.start)
        self.m_starts = [m.start for m in self.mentions]
        self.entity_name = entity_name
        self.quotes = [q for q in find_quotes(text) if q[1] - q[0] > MIN_QUOTE and _sentence_like(analysis, q)]
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
        if tok.lemma in self.lex.collective or tok.text.isupper() and len(tok.text) > 1:
            group = [sent.tokens[j] for j in self._subtree(sent, i) if j >= i]
            stop = i
            while stop + 1 < len(sent.tokens) and sent.tokens[stop + 1] in group and sent.tokens[stop + 1].pos != "PUNCT":
                stop += 1
            return self.text[tok.start:sent.tokens[stop].stop], (tok.start, sent.tokens[stop].stop)
        if tok.pos == "PROPN" or tok.pos == "NOUN" and tok.feat("Animacy") == "Anim" and tok.feat("Number") == "Plur":
            return tok.text, (tok.start, tok.stop)
        return None

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
    def date_in(self, lo: int, hi: int, near: int, skip: Span | None) -> TimeExpr | None:
        cands = [t for t in self.times if lo <= t.span[0] and t.span[1] <= hi and not self.in_quote(t.span[0])
                 and not (skip and skip[0] <= t.span[0] < skip[1])]
        if cands:
            return min(cands, key=lambda t: abs(t.span[0] - near))
        low = self.text[lo:hi].lower()
        if any(re.search(rf"(?<!\w){w}(?!\w)", low) for w in self.lex.anaphoric):
            before = [t for t in self.times if lo - 700 < t.span[0] < lo]
            return before[-1] if before else None
        return None


# --- the rules ----------------------------------------------------------------------------------------------

def _sentence_of(doc: _Doc, pos: int):
    return doc.a.sentence_at(pos)


def _verb_index(sent, lo: int, hi: int) -> int | None:
    for i, t in enumerate(sent.tokens):
        if lo <= t.start < hi and t.pos in ("VERB", "AUX"):
            return i
    return None


def _scan_speaker(doc: _Doc, sent, lo: int, hi: int, last, prefer_last: bool = False):
    """Speaker from the tokens of `sent` in [lo, hi): a named mention, else a pronoun, else a role/collective noun."""
    toks = [(i, t) for i, t in enumerate(sent.tokens) if lo <= t.start < hi and not doc.in_quote(t.start)]
    if prefer_last:
        toks.reverse()
    for pass_ in ("mention", "other"):
        for i, t in toks:
            m = doc.mention_at(t.start)
            if pass_ == "mention" and m and m.type in ("PER", "ORG"):
                return doc.name(m), (m.start, m.stop)
            if pass_ == "other" and (t.lemma in doc.lex.pronouns and t.pos in ("PRON", "DET") or t.lemma in doc.lex.roles
                                     or t.lemma in doc.lex.collective):
                return doc.speaker_of_token(sent, i, last)
    return None


def _quote_statements(doc: _Doc, used: set[int]) -> list[Statement]:
    out: list[Statement] = []
    for qs, qe in doc.quotes:
        sent = _sentence_of(doc, min(qe + 1, len(doc.text) - 1))
        after = _AFTER_QUOTE.match(doc.text, qe + 1 if doc.text[qe:qe + 1] in "»“”\"" else qe)
        speaker = verb = None
        rule = ""
        if after:
            stop = len(doc.text)
            for mark in ".!?;\n«":
                k = doc.text.find(mark, after.end())
                stop = min(stop, k if k >= 0 else stop)
            sent = _sentence_of(doc, after.end())
            vi = _verb_index(sent, after.end(), stop)
            if vi is not None:
                verb = sent.tokens[vi]
                used.add(verb.start)
                speaker = _subject(doc, sent, vi, out[-1] if out else None) or _scan_speaker(
                    doc, sent, after.end(), stop, out[-1] if out else None)
                rule = "quote_then_attribution"
        lead = re.search(r":\s*[«„“\"]?$", doc.text[max(0, qs - 6):qs]) if not speaker else None
        if lead:
            colon = doc.text.rfind(":", 0, qs)
            sent = _sentence_of(doc, colon)
            line = max(sent.start, doc.text.rfind("\n", 0, colon) + 1)
            speaker = _scan_speaker(doc, sent, line, colon, out[-1] if out else None)
            vi = next((i for i, t in enumerate(sent.tokens) if line <= t.start < colon
                       and t.lemma in doc.lex.speech), None)
            verb = sent.tokens[vi] if vi is not None else None
            if verb is not None:
                used.add(verb.start)
            rule = "lead_in_then_quote"
            qs_span = line
        if speaker:
            d = doc.date_in(sent.start, sent.stop, verb.start if verb else qs, (qs, qe))
            start = qs_span if lead else qs
            out.append(Statement((start, qe), (qs, qe), speaker[0], speaker[1], None,
                                 verb.lemma if verb else None, (verb.start, verb.stop) if verb else None,
                                 d.start if d else None, d.span if d else None, "direct", rule))
        else:
            out.append(Statement((qs, qe), (qs, qe), None, None, None, None, None, None, None, "direct",
                                 "bare_quote"))
    return out


def _sentence_like(a: Analysis, q: Span) -> bool:
    qs, qe = q
    toks = [t for s in a.sentences if s.stop > qs and s.start < qe for t in s.tokens if qs <= t.start < qe]
    return len(toks) >= 5 and any(t.pos in ("VERB", "AUX") and _FINITE.search(t.feats) for t in toks)


def _subject(doc: _Doc, sent, vi: int, last):
    """The speaker from the parse: nsubj of the verb (or of the verb it is coordinated with), or "в МВД"."""
    if not sent.parsed:
        return None
    k = vi
    for _ in range(2):
        subjects = [c for c in sent.children(k) if sent.tokens[c].rel in ("nsubj", "nsubj:pass")]
        for c in sorted(subjects, key=lambda c: doc.in_any_quote(sent.tokens[c].start)):
            if not doc.in_quote(sent.tokens[c].start):
                found = doc.speaker_of_token(sent, c, last)
                if found:
                    return found
        for c in sent.children(k):
            t = sent.tokens[c]
            if t.rel == "obl" and any(sent.tokens[g].lemma == "в" for g in sent.children(c)):
                m = doc.mention_at(t.start)
                if m and m.type == "ORG":
                    return doc.name(m), (m.start, m.stop)
        if sent.tokens[k].rel == "conj" and sent.tokens[k].head >= 0:
            k = sent.tokens[k].head
        else:
            break
    return None


def _reported_statements(doc: _Doc, used: set[int], found: list[Statement]) -> list[Statement]:
    out: list[Statement] = []
    for si, sent in enumerate(doc.a.sentences):
        low = doc.text[sent.start:sent.stop].lower()
        for i, tok in enumerate(sent.tokens):
            if tok.start in used or doc.in_quote(tok.start) or tok.lemma not in doc.lex.speech:
                continue
            if tok.pos not in ("VERB", "ADJ") or "VerbForm=Part" in tok.feats or "VerbForm=Conv" in tok.feats:
                continue
            if tok.pos == "ADJ" and "Variant=Short" not in tok.feats or "VerbForm=Inf" in tok.feats:
                continue
            if i and sent.tokens[i - 1].lemma == "не" or tok.rel in ("acl", "acl:relcl"):
                continue
            content, about, rule = _content(doc, sent, si, i, low)
            if rule == "verb_clause" and not _names_in_quotes(doc, sent, i):
                continue
            last = max((s for s in found + out if s.span[0] < tok.start), key=lambda s: s.span[0], default=None)
            speaker = _subject(doc, sent, i, last) or _scan_speaker(doc, sent, sent.start, tok.start, last, True) \
                or _scan_speaker(doc, sent, tok.stop, content[0] if content[0] > tok.stop else sent.stop, last)
            if not speaker:
                continue
            d = doc.date_in(sent.start, sent.stop, tok.start, None if about else content)
            span = _cover(content, (tok.start, tok.stop), speaker[1], sent)
            out.append(Statement(span, None, speaker[0], speaker[1],
                                 None, tok.lemma, (tok.start, tok.stop), d.start if d else None,
                                 d.span if d else None, "reported", ("about_this" if about else rule)))
            used.add(tok.start)
        for marker in doc.lex.markers:
            head, _, rest = marker.partition(" ")
            for m in re.finditer(rf"(?<!\w){head}(?:\s+(?:его|ее|её|их))?\s+{rest}(?!\w)", low):
                comma = low.find(",", m.end())
                if comma < 0:
                    continue
                lo, hi = sent.start + m.start(), sent.start + comma
                last = max((s for s in found + out if s.span[0] < lo), key=lambda s: s.span[0], default=None)
                speaker = _scan_speaker(doc, sent, lo, hi, last)
                if speaker:
                    d = doc.date_in(sent.start, sent.stop, lo, (hi, sent.stop))
                    out.append(Statement((hi + 1, sent.stop), None, speaker[0], speaker[1], None, None, None,
                                         d.start if d else None, d.span if d else None, "attributed", "marker"))
    return out


def _cover(content: Span, verb: Span, speaker: Span, sent) -> Span:
    """The words with their attribution, when the speaker is named in the same sentence."""
    parts = [content, verb] + ([speaker] if sent.start <= speaker[0] < sent.stop else [])
    return min(p[0] for p in parts), max(p[1] for p in parts)


def _names_in_quotes(doc: _Doc, sent, i: int) -> bool:
    """A verb with no clause speaks only through a quote after it; a one-to-three word label counts only when it
    judges (adjectives: "назвал решение «преждевременным»"), not when it names ("назвал их «террористами»")."""
    tail = doc.text[sent.tokens[i].stop:sent.stop]
    m = re.search(r"[«„“\"]([^»“”\"]+)[»“”\"]", tail)
    if not m:
        return False
    words = [t for t in sent.tokens if sent.tokens[i].stop + m.start(1) <= t.start < sent.tokens[i].stop + m.end(1)]
    if len(words) > 3:
        return True
    return not any(t.pos in ("NOUN", "PROPN", "PRON") for t in words)


def _content(doc: _Doc, sent, si: int, i: int, low: str) -> tuple[Span, bool, str]:
    """The words a verb of saying reports, whether they are the sentence before ("об этом"), and the rule."""
    tok = sent.tokens[i]
    rel = _LINK.sub(lambda m: " " * len(m[0]), doc.text[tok.stop:sent.stop])
    m = re.match(r"[^.!?]{0,60}?(?:,\s*|\s)(что|чтобы|будто|якобы)\s|\s*:\s*", rel)
    if m:
        return (tok.stop + m.end(), sent.stop), False, "verb_that"
    before = doc.text[sent.start:tok.start]
    dash = re.search(r"[,!?…]\s*(?:[—–-]\s*)?$", before)
    if dash and len(before) > 20:
        return (sent.start, sent.start + dash.start()), False, "content_then_verb"
    if any(re.search(rf"(?<!\w){a}(?!\w)", low) for a in doc.lex.about) and si > 0:
        prev = doc.a.sentences[si - 1]
        return (prev.start, sent.stop), True, "about_this"
    return (sent.start, sent.stop), False, "verb_clause"


# --- grouping -----------------------------------------------------------------------------------------------

def _same(a: str | None, b: str | None) -> bool:
    return bool(a and b) and a.lower().replace("ё", "е") == b.lower().replace("ё", "е")


def _group(doc: _Doc, items: list[Statement]) -> list[Statement]:
    out: list[Statement] = []
    for st in sorted(items, key=lambda s: (s.span[0], -s.span[1])):
        prev = out[-1] if out else None
        if st.speaker_name is None:
            # an unattributed quote speaks for the statement just before it
            if prev is None or st.span[0] - prev.span[1] > 250 or prev.span[1] > st.span[0] + 1:
                continue
            st = replace(st, speaker_name=prev.speaker_name, speaker_span=prev.speaker_span, rule="quote_follows")
        if prev and prev.span[0] <= st.span[0] and st.span[1] <= prev.span[1] and prev.kind != "direct":
            continue   # a piece inside a reported clause already taken
        gap = st.span[0] - prev.span[1] if prev else 10 ** 6
        if prev and st.date is None and _same(prev.speaker_name, st.speaker_name) and gap < 300 and prev.date:
            st = replace(st, date=prev.date, date_span=prev.date_span)
        joinable = prev and _same(prev.speaker_name, st.speaker_name) and gap < 250 and (
            st.kind == "direct" or prev.rule == "about_this" or st.rule == "about_this"
            or st.verb in doc.lex.continuation)
        if joinable and max(st.span[1], prev.span[1]) - prev.span[0] <= MAX_SPAN:
            out[-1] = replace(prev, span=(prev.span[0], max(st.span[1], prev.span[1])),
                              quote_span=prev.quote_span or st.quote_span,
                              kind="direct" if "direct" in (prev.kind, st.kind) else prev.kind,
                              verb=prev.verb or st.verb, verb_span=prev.verb_span or st.verb_span,
                              date=prev.date or st.date, date_span=prev.date_span or st.date_span,
                              rule=f"{prev.rule}+{st.rule}")
            continue
        out.append(st)
    return out


def find_statements(text: str, analysis: Analysis, times: Sequence[TimeExpr],
                    entity_name: Callable[[Span], str | None] | None = None) -> list[Statement]:
    """Every statement in `text`, in text order (spans index `text`, which `analysis` was made from)."""
    doc = _Doc(text, analysis, times, entity_name)
    used: set[int] = set()
    quoted = _quote_statements(doc, used)
    reported = _reported_statements(doc, used, [q for q in quoted if q.speaker_name])
    out = []
    for st in _group(doc, quoted + reported):
        if st.span[1] - st.span[0] > MAX_SPAN:
            st = replace(st, span=(st.span[0], st.span[0] + MAX_SPAN))
        ent = None
        if entity_name and st.speaker_span:
            ent = entity_name(st.speaker_span)
        out.append(replace(st, speaker_entity=ent or st.speaker_name))
    return out
