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

import re
from dataclasses import dataclass, replace
from typing import Callable, Sequence

from ..annotate.nlp import Analysis
from ..annotate.times import TimeExpr
from .quotes import find_quotes  # noqa: F401  -- re-exported: callers find quotes here too
from .speakers import SpeechDoc as _Doc
from .speakers import lexicon

Span = tuple[int, int]
MAX_SPAN = 1500
_AFTER_QUOTE = re.compile(r"[,.!?…]*\s*[—–-]{1,2}\s+")
_LINK = re.compile(r"\]\([^)\s]*\)")


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


def needs_parse(sentence_text: str, lemmas: Sequence[str]) -> bool:
    """Parse a sentence when it may hold a statement: a verb of saying, a quote mark or a "по словам"."""
    lex = lexicon()
    return (any(lm in lex.speech or lm in lex.act_verbs or lm in lex.doc_verbs for lm in lemmas) or any(q in sentence_text for q in "«»„“\"")
            or any(m in sentence_text.lower() for m in lex.markers))


# --- quotes -------------------------------------------------------------------------------------------------


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
            d = doc.date_in(sent.start, sent.stop, verb.start if verb else qs, (qs, qe), speaker[0])
            start = qs_span if lead else qs
            out.append(Statement((start, qe), (qs, qe), speaker[0], speaker[1], None,
                                 verb.lemma if verb else None, (verb.start, verb.stop) if verb else None,
                                 d.start if d else None, d.span if d else None, "direct", rule))
        else:
            out.append(Statement((qs, qe), (qs, qe), None, None, None, None, None, None, None, "direct",
                                 "bare_quote"))
    return out


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
            d = doc.date_in(sent.start, sent.stop, tok.start, None if about else content, speaker[0])
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
                    d = doc.date_in(sent.start, sent.stop, lo, (hi, sent.stop), speaker[0])
                    out.append(Statement((hi + 1, sent.stop), None, speaker[0], speaker[1], None, None, None,
                                         d.start if d else None, d.span if d else None, "attributed", "marker"))
    return out


def _act_statements(doc: _Doc, used: set[int], found: list[Statement]) -> list[Statement]:
    """Words named by a noun: "обратилась к властям с призывом отменить…" (an act of speech), "принял резолюцию,
    в которой осуждались…" (a document's content). The speaker is the verb's subject."""
    out: list[Statement] = []
    lex = doc.lex
    for sent in doc.a.sentences:
        toks = sent.tokens
        for i, tok in enumerate(toks):
            if tok.start in used or doc.in_quote(tok.start) or tok.pos != "VERB" or "VerbForm=Conv" in tok.feats:
                continue
            if i and toks[i - 1].lemma == "не":
                continue
            content = rule = None
            window = toks[i + 1:i + 9]
            if tok.lemma in lex.act_verbs:
                for k, t in enumerate(window[:-1]):
                    if t.lemma == "с" and window[k + 1].lemma in lex.act_nouns:
                        content, rule = (window[k + 1].start, sent.stop), "speech_act"
                        break
            elif tok.lemma in lex.doc_verbs:
                for k, t in enumerate(window):
                    if t.lemma in lex.doc_nouns:
                        rel = re.match(r"\s*,\s*((?:в|согласно)\s+котор)", doc.text[t.stop:sent.stop])
                        if rel:
                            content, rule = (t.stop + rel.start(1), sent.stop), "document"
                        break
            if content is None:
                continue
            last = max((s for s in found + out if s.span[0] < tok.start), key=lambda s: s.span[0], default=None)
            speaker = _subject(doc, sent, i, last) or _scan_speaker(doc, sent, sent.start, tok.start, last, True)
            if not speaker:
                continue
            d = doc.date_in(sent.start, sent.stop, tok.start, content, speaker[0])
            out.append(Statement(_cover(content, (tok.start, tok.stop), speaker[1], sent), None, speaker[0],
                                 speaker[1], None, tok.lemma, (tok.start, tok.stop), d.start if d else None,
                                 d.span if d else None, "reported", rule))
            used.add(tok.start)
    return out


def _present_day(doc: _Doc, statements: list[Statement], today: str | None) -> list[Statement]:
    """Words reported in the present tense ("заявляет", "говорит") were said on the day the article appeared."""
    if not today:
        return statements
    out = []
    for st in statements:
        if st.date is None and st.verb_span:
            sent = doc.a.sentence_at(st.verb_span[0])
            verb = next((t for t in sent.tokens if t.start == st.verb_span[0]), None) if sent else None
            if verb is not None and verb.feat("Tense") == "Pres" and verb.feat("VerbForm") == "Fin":
                st = replace(st, date=today, rule=st.rule + "+present_tense")
        out.append(st)
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
    if re.fullmatch(r"\s*(?:как|как уже)\s+", before.lower()):          # "Как сообщили в ГУВД, задержаны 43 человека"
        comma = doc.text.find(",", tok.stop, sent.stop)
        if comma > 0:
            return (comma + 1 + len(doc.text[comma + 1:sent.stop]) - len(doc.text[comma + 1:sent.stop].lstrip()),
                    sent.stop), False, "as_reported"
    if tok.lemma in doc.lex.infinitive_verbs:                             # "призвал жителей сохранять спокойствие"
        for t in sent.tokens[i + 1:i + 7]:
            if t.text in ".;!?":
                break
            if "VerbForm=Inf" in t.feats:
                return (sent.tokens[i + 1].start, sent.stop), False, "verb_infinitive"
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


def _continues(doc: _Doc, st: Statement) -> bool:
    """"Он также призвал…": the sentence of the verb says this is more of the same report."""
    if not st.verb_span:
        return False
    sent = doc.a.sentence_at(st.verb_span[0])
    if sent is None:
        return False
    low = doc.text[sent.start:st.verb_span[0]].lower()
    return any(not doc.in_any_quote(sent.start + m.start()) for w in doc.lex.continuation_words
               for m in re.finditer(rf"(?<!\w){w}(?!\w)", low))


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
            st.kind == "direct" and "also" not in prev.rule or prev.rule == "about_this" or st.rule == "about_this"
            or st.verb in doc.lex.continuation or st.kind != "direct" and _continues(doc, st))
        if joinable and max(st.span[1], prev.span[1]) - prev.span[0] <= MAX_SPAN:
            out[-1] = replace(prev, span=(prev.span[0], max(st.span[1], prev.span[1])),
                              quote_span=prev.quote_span or st.quote_span,
                              kind="direct" if "direct" in (prev.kind, st.kind) else prev.kind,
                              verb=prev.verb or st.verb, verb_span=prev.verb_span or st.verb_span,
                              date=prev.date or st.date, date_span=prev.date_span or st.date_span,
                              rule=f"{prev.rule}+{st.rule}" + ("+also" if st.kind != "direct" and _continues(doc, st)
                                                                else ""))
            continue
        out.append(st)
    return out


def find_statements(text: str, analysis: Analysis, times: Sequence[TimeExpr],
                    entity_name: Callable[[Span], str | None] | None = None,
                    today: str | None = None) -> list[Statement]:
    """Every statement in `text`, in text order (spans index `text`, which `analysis` was made from).
    `today` is the article's day ("YYYY-MM-DD") when it is known to the day: present-tense reports are dated by it."""
    doc = _Doc(text, analysis, times, entity_name)
    used: set[int] = set()
    quoted = _quote_statements(doc, used)
    reported = _reported_statements(doc, used, [q for q in quoted if q.speaker_name])
    acts = _act_statements(doc, used, [q for q in quoted if q.speaker_name] + reported)
    out = []
    for st in _present_day(doc, _group(doc, quoted + reported + acts), today):
        if st.span[1] - st.span[0] > MAX_SPAN:
            st = replace(st, span=(st.span[0], st.span[0] + MAX_SPAN))
        ent = None
        if entity_name and st.speaker_span:
            ent = entity_name(st.speaker_span)
        out.append(replace(st, speaker_entity=ent or st.speaker_name))
    return out
