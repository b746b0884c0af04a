"""Events: PLOVER-typed occurrences found from trigger lemmas, with actors, targets, date, place and figures.

    >>> [e.type for e in find_events(text, Annotator(parse=needs_parse)(text), find_times(text, anchor))]

The trigger table lives in `lexicons/triggers.yaml` (rules are data). One event per real occurrence:
overlapping matches keep the longest, a noun trigger counts only beside an occurrence verb ("митинг прошел"),
and within a sentence a second trigger of the same type, or one that is the object of the first
("с просьбой оказать помощь"), merges into the first. Every event keeps the `rule` that produced it.
"""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import yaml

from ..annotate.nlp import Analysis, NerMention, Sentence, Token

LEXICON_PATH = Path(__file__).with_name("lexicons") / "triggers.yaml"
Span = tuple[int, int]
MAX_SPAN = 250
_CLAUSE_BREAK = {",", ";", ":", "—", "–", "(", ")"}
_QUOTES_OPEN, _QUOTES_CLOSE = {"«"}, {"»"}   # “…” nest inside «…» and are often left unclosed
_PARAGRAPH = re.compile(r"\n\s*\n|\n")


@dataclass(frozen=True, slots=True)
class Event:
    span: Span
    trigger_span: Span
    trigger: str
    type: str
    mode: str | None
    actors: tuple[tuple[str, Span], ...] = ()
    targets: tuple[tuple[str, Span], ...] = ()
    date: tuple[str | None, str | None, str | None, Span] | None = None   # start, end, precision, span
    location: tuple[str, Span] | None = None
    figure_ids: tuple[int, ...] = ()
    modality: str = "asserted"   # asserted, negated, future, reported, hypothetical
    rule: str = ""

    def to_json(self) -> dict:
        return {
            "span": list(self.span), "type": self.type, "mode": self.mode,
            "date": None if self.date is None else
            {"start": self.date[0], "end": self.date[1], "precision": self.date[2], "span": list(self.date[3])},
            "location": None if self.location is None else {"name": self.location[0], "span": list(self.location[1])},
            "figures": list(self.figure_ids),
            "trigger": {"text": self.trigger, "span": list(self.trigger_span)},
            "actors": [{"name": n, "span": list(s)} for n, s in self.actors],
            "targets": [{"name": n, "span": list(s)} for n, s in self.targets],
            "modality": self.modality, "rule": self.rule,
        }


@dataclass(frozen=True, slots=True)
class _Pattern:
    words: tuple[frozenset[str], ...]
    type: str
    mode: str | None
    support: bool
    name: str


@dataclass(frozen=True, slots=True)
class _Lexicon:
    patterns: tuple[_Pattern, ...]
    window: int
    support_window: int
    support_verbs: frozenset[str]
    cues: dict[str, frozenset[str]]
    heads: frozenset[str]          # every lemma that can start a trigger


@functools.cache
def lexicon() -> _Lexicon:
    data = yaml.safe_load(LEXICON_PATH.read_text(encoding="utf-8"))
    patterns = []
    for row in data["triggers"]:
        words = tuple(frozenset(w.split("|")) for w in row["words"].split())
        patterns.append(_Pattern(words, row["type"], row.get("mode"), bool(row.get("support")), row["words"]))
    patterns.sort(key=lambda p: -len(p.words))      # longest first: "акция протест" before "протест"
    heads = frozenset(w for p in patterns for ws in p.words for w in ws)
    cues = {k: frozenset(v) for k, v in data["cues"].items()}
    return _Lexicon(tuple(patterns), data["window"], data["support_window"], frozenset(data["support_verbs"]),
                    cues, heads)


def needs_parse(sentence_text: str, lemmas: Sequence[str]) -> bool:
    """Parse predicate for `Annotator`: true when a sentence holds a trigger lemma."""
    heads = lexicon().heads
    return any(lemma in heads for lemma in lemmas)


# --- sentence geometry -------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Sent:
    sent: Sentence
    clause: tuple[int, ...]        # clause number of each token
    quote: tuple[int, ...]         # id (>0) of the quotation each token is in, 0 outside
    paragraph: int


def _quotes(text: str) -> list[Span]:
    """Top-level quotations «…» of the text (they may run over several sentences)."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in _QUOTES_OPEN:
            if depth == 0:
                start = i
            depth += 1
        elif ch in _QUOTES_CLOSE and depth:
            depth -= 1
            if depth == 0:
                out.append((start, i + 1))
    return out


def _geometry(analysis: Analysis) -> list[_Sent]:
    breaks = [m.end() for m in _PARAGRAPH.finditer(analysis.text)]
    quotes = _quotes(analysis.text)
    starts = [a for a, _ in quotes]
    out = []
    for sent in analysis.sentences:
        clause, quote, c = [], [], 0
        for tok in sent.tokens:
            if tok.text in _CLAUSE_BREAK:
                c += 1
            clause.append(c)
            n = bisect.bisect_right(starts, tok.start) - 1      # the last quotation opened before the token
            quote.append(n + 1 if n >= 0 and tok.start < quotes[n][1] - 1 and tok.start > quotes[n][0] else 0)
        out.append(_Sent(sent, tuple(clause), tuple(quote), sum(1 for b in breaks if b < sent.stop)))
    return out


# --- trigger matching ---------------------------------------------------------------------------------------------

def _match(g: _Sent, lex: _Lexicon) -> list[tuple[_Pattern, tuple[int, ...]]]:
    toks = g.sent.tokens
    found, taken = [], set()
    for pat in lex.patterns:
        for i, tok in enumerate(toks):
            if i in taken or tok.lemma not in pat.words[0]:
                continue
            idx = [i]
            for ws in pat.words[1:]:
                near = [j for j in range(max(0, i - lex.window), min(len(toks), i + lex.window + 1))
                        if j not in idx and j not in taken and toks[j].lemma in ws and g.clause[j] == g.clause[i]]
                if not near:
                    break
                idx.append(min(near, key=lambda j: abs(j - i)))
            if len(idx) == len(pat.words):
                found.append((pat, tuple(sorted(idx))))
                taken.update(idx)
    return sorted(found, key=lambda f: f[1][0])


def _has_support(g: _Sent, idx: tuple[int, ...], lex: _Lexicon) -> int | None:
    toks, w = g.sent.tokens, lex.support_window
    near = [j for j in range(max(0, idx[0] - w), min(len(toks), idx[-1] + w + 1))
            if toks[j].lemma in lex.support_verbs and toks[j].pos in ("VERB", "AUX") and j not in idx]
    return min(near, key=lambda j: min(abs(j - i) for i in idx)) if near else None


def _skip(g: _Sent, idx: tuple[int, ...], lex: _Lexicon, geo: list[_Sent], noun: bool) -> str | None:
    """Why a match is not an event, or None."""
    toks = g.sent.tokens
    head = toks[idx[0]]
    before = {t.lemma for t in toks[max(0, idx[0] - 2):idx[0]]}
    if noun and before & lex.cues["noun_blockers"]:
        return "backdrop noun"                      # "после протестов", "на фоне протестов"
    if head.feat("VerbForm") == "Part" and head.feat("Variant") != "Short":
        return "attributive participle"            # "расстрелянных рабочих", "обвиненного в терроризме"
    if len(idx) == 1 and 0 < idx[0] < len(toks) - 1 and toks[idx[0] - 1].text in _QUOTES_OPEN \
            and toks[idx[0] + 1].text in _QUOTES_CLOSE:
        return "word in quotes"                     # "под словом «ликвидированы»"
    q = g.quote[idx[0]]
    if q:
        inside = [t for t, qq in zip(toks, g.quote) if qq == q]   # the quoted part of this sentence
        if any(t.lemma in lex.cues["first_person"] for t in inside) or any(
                toks[i].feat("Person") in ("1", "2") for i in idx):
            return "first-person speech"            # «Мы просим разъяснений»
    return None


# --- roles --------------------------------------------------------------------------------------------------------

def _subtree_span(sent: Sentence, i: int, limit: int = 6) -> Span:
    members, frontier = {i}, [i]
    while frontier:
        k = frontier.pop()
        for c in sent.children(k):
            if c not in members and sent.tokens[c].rel not in ("punct", "acl", "acl:relcl", "conj", "parataxis"):
                members.add(c)
                frontier.append(c)
    lo, hi = min(members), max(members)
    lo, hi = max(lo, i - limit), min(hi, i + limit)
    return sent.tokens[lo].start, sent.tokens[hi].stop


def _roles(g: _Sent, idx: tuple[int, ...], verb: int | None, text: str, mentions: Sequence[NerMention]):
    sent = g.sent
    actors, targets = [], []
    if sent.parsed:
        anchors = ([verb] if verb is not None else []) + list(idx)
        for a in anchors:
            for c in sent.children(a):
                t = sent.tokens[c]
                span = _subtree_span(sent, c)
                if c in idx:
                    continue
                preps = {sent.tokens[k].lemma for k in sent.children(c)}
                if t.rel == "nsubj":
                    actors.append((text[span[0]:span[1]], span))
                elif t.rel in ("nsubj:pass", "obj"):
                    targets.append((text[span[0]:span[1]], span))
                elif t.rel in ("obl", "nmod") and preps & {"по", "против", "к"}:
                    targets.append((text[span[0]:span[1]], span))
        # "Токаев обратился к членам ОДКБ и попросил поддержки": a coordinated verb shares its head's subject
        head = sent.tokens[anchors[0]].head if anchors else -1
        if not actors and anchors and sent.tokens[anchors[0]].rel == "conj" and head >= 0:
            for c in sent.children(head):
                if sent.tokens[c].rel == "nsubj":
                    span = _subtree_span(sent, c)
                    actors.append((text[span[0]:span[1]], span))
        if actors or targets:
            return tuple(actors), tuple(targets)
    start, stop = sent.tokens[idx[0]].start, sent.tokens[idx[-1]].stop
    inside = [m for m in mentions if sent.start <= m.start and m.stop <= sent.stop and m.type in ("PER", "ORG", "LOC")]
    before = [m for m in inside if m.stop <= start]
    after = [m for m in inside if m.start >= stop]
    if before:
        actors.append((before[-1].normal, (before[-1].start, before[-1].stop)))
    if after:
        targets.append((after[0].normal, (after[0].start, after[0].stop)))
    return tuple(actors), tuple(targets)


def _modality(g: _Sent, idx: tuple[int, ...], lex: _Lexicon) -> str:
    toks = g.sent.tokens
    prefix = [t.lemma for t in toks[:idx[0]]]
    between = [toks[j].lemma for j in range(idx[0], idx[-1] + 1) if j not in idx]
    if set(prefix[-2:] + between) & lex.cues["negated"]:
        return "negated"
    if (set(prefix) | {t.text.lower() for t in toks[:idx[0]]}) & lex.cues["hypothetical"]:
        return "hypothetical"
    near = toks[max(0, idx[0] - 3):idx[-1] + 1]
    if any(t.feat("Tense") == "Fut" for t in near) or set(prefix) & lex.cues["future"]:
        return "future"
    if set(prefix) & lex.cues["reported"]:
        return "reported"
    return "asserted"


# --- date, place, span ----------------------------------------------------------------------------------------------

def _times_in(sent: Sentence, times) -> list:
    return [t for t in times if sent.start <= t.span[0] < sent.stop and t.start]


def _date(k: int, geo: list[_Sent], idx, is_main: bool, times, lex: _Lexicon):
    g = geo[k]
    pos = g.sent.tokens[idx[0]].start
    here = _times_in(g.sent, times)
    if here:
        cl = g.clause[idx[0]]
        same = [t for t in here if _clause_of(g, t.span[0]) == cl]
        best = min(same or here, key=lambda t: abs(t.span[0] - pos))
        return best, "sentence"
    if is_main and k + 1 < len(geo) and geo[k + 1].paragraph == g.paragraph:
        nxt = geo[k + 1]
        if {t.lemma for t in nxt.sent.tokens[:4]} & lex.cues["anaphora"] and _times_in(nxt.sent, times):
            return _times_in(nxt.sent, times)[0], "next sentence points back"
    for j in range(k - 1, max(k - 3, -1), -1):
        if geo[j].paragraph != g.paragraph:
            break
        prev = _times_in(geo[j].sent, times)
        if prev:
            return prev[-1], "previous sentence"
    return None, None


def _clause_of(g: _Sent, offset: int) -> int:
    for t, c in zip(g.sent.tokens, g.clause):
        if t.stop > offset:
            return c
    return g.clause[-1] if g.clause else 0


def _places(g: _Sent, mentions: Sequence[NerMention], lex: _Lexicon) -> list[NerMention]:
    toks = g.sent.tokens
    out = []
    for m in mentions:
        if m.type != "LOC" or not (g.sent.start <= m.start < g.sent.stop):
            continue
        first = next((i for i, t in enumerate(toks) if t.start >= m.start), None)
        if first is None:
            continue
        window = [t.lemma for t in toks[max(0, first - 3):first]]
        if set(window) & lex.cues["place_preps"]:
            out.append(m)
    return out


def _case(toks: Sequence[Token], m: NerMention) -> str | None:
    return next((t.feat("Case") for t in toks if t.start >= m.start), None)


def _location(k: int, geo: list[_Sent], idx, mentions, lex, loc_name):
    g = geo[k]
    end_clause = g.clause[idx[-1]]
    limit = max((t.stop for t, c in zip(g.sent.tokens, g.clause) if c <= end_clause), default=g.sent.stop)
    here = [m for m in _places(g, mentions, lex) if m.start < limit]
    pick = here[-1] if here else None
    toks = g.sent.tokens
    if pick is None and any(t.lemma in lex.cues["place_nouns"] and t.stop <= limit and i and
                            toks[i - 1].lemma in lex.cues["place_preps"] for i, t in enumerate(toks)):
        oblique = [m for m in mentions if m.type == "LOC" and g.sent.start <= m.start < g.sent.stop
                   and _case(toks, m) not in (None, "Nom")]
        pick = oblique[0] if oblique else None
    if pick is None:
        for j in range(k - 1, max(k - 4, -1), -1):
            if geo[j].paragraph != g.paragraph:
                break
            prev = _places(geo[j], mentions, lex)
            if prev:
                pick = prev[-1]
                break
    if pick is None:
        return None
    name = (loc_name((pick.start, pick.stop)) if loc_name else None) or pick.normal or pick.text
    return name, (pick.start, pick.stop)


def _span(sent: Sentence, tstart: int, tstop: int) -> Span:
    half = (MAX_SPAN - (tstop - tstart)) // 2
    lo, hi = max(sent.start, tstart - half), min(sent.stop, tstop + half)
    starts = [t.start for t in sent.tokens if t.start >= lo]
    stops = [t.stop for t in sent.tokens if t.stop <= hi]
    return (min(starts[0], tstart) if starts else tstart), (max(stops[-1], tstop) if stops else tstop)


# --- the stage ----------------------------------------------------------------------------------------------------

def find_events(text: str, analysis: Analysis, times: Sequence = (), figures_spans: Sequence[Span] = (),
                loc_name: Callable[[Span], str | None] | None = None) -> list[Event]:
    """Events of one text, in text order (all modalities; `chronicle` keeps the ones that happened)."""
    lex = lexicon()
    geo = _geometry(analysis)
    events, seen = [], []
    for k, g in enumerate(geo):
        toks = g.sent.tokens
        kept: list[tuple[_Pattern, tuple[int, ...]]] = []
        for pat, idx in _match(g, lex):
            verb = None
            if pat.support:
                verb = _has_support(g, idx, lex)
                if verb is None:
                    continue
            if _skip(g, idx, lex, geo, pat.support):
                continue
            if any(p.type == pat.type for p, _ in kept):
                continue                          # one occurrence per type per sentence
            if kept and 0 <= idx[0] - kept[-1][1][-1] <= 4 and g.clause[idx[0]] == g.clause[kept[-1][1][-1]]:
                continue                          # the object of the previous trigger
            kept.append((pat, idx))
            tstart, tstop = toks[idx[0]].start, toks[idx[-1]].stop
            main_tok = verb if verb is not None else idx[0]
            is_main = (toks[main_tok].rel == "root") if g.sent.parsed else g.clause[main_tok] == 0
            t, why = _date(k, geo, idx, is_main, times, lex)
            date = (t.start, t.end, t.precision, tuple(t.span)) if t else None
            actors, targets = _roles(g, idx, verb, text, analysis.mentions)
            figs = tuple(i for i, (a, b) in enumerate(figures_spans) if g.sent.start <= a and b <= g.sent.stop)
            modality = _modality(g, idx, lex)
            kind = (pat.type, pat.mode)
            if why != "sentence" and _elaborates(k, kind, idx, g, geo, analysis.mentions, seen):
                continue                          # "Затем на митинги стали выходить и жители…": the same wave
            if modality not in ("negated", "hypothetical"):
                seen.append((k, kind))
            events.append(Event(
                span=_span(g.sent, tstart, tstop), trigger_span=(tstart, tstop),
                trigger=text[tstart:tstop] if tstop - tstart <= 40 else " ".join(toks[i].text for i in idx), type=pat.type, mode=pat.mode,
                actors=actors, targets=targets, date=date,
                location=_location(k, geo, idx, analysis.mentions, lex, loc_name), figure_ids=figs,
                modality=modality,
                rule=f"{pat.name}{' +support' if pat.support else ''}{'; date: ' + why if why else ''}"))
    return events


def _elaborates(k, kind, idx, g: _Sent, geo, mentions, seen) -> bool:
    """An undated trigger right after an event of its type in the paragraph, with no named actor of its own."""
    if not any(t == kind and k - 2 <= j < k and geo[j].paragraph == g.paragraph for j, t in seen):
        return False
    clause = g.clause[idx[0]]
    lo = min(t.start for t, c in zip(g.sent.tokens, g.clause) if c == clause)
    hi = max(t.stop for t, c in zip(g.sent.tokens, g.clause) if c == clause)
    return not any(lo <= m.start < hi for m in mentions)


def chronicle(events: Sequence[Event]) -> list[Event]:
    """The events a chronicle reports: neither negated nor hypothetical."""
    return [e for e in events if e.modality not in ("negated", "hypothetical")]
