"""Events: PLOVER-typed occurrences found from trigger lemmas, with actors, targets, date, place and figures.

    >>> [e.type for e in find_events(text, Annotator(parse=needs_parse)(text), find_times(text, anchor))]

The trigger table lives in `lexicons/triggers.yaml` (rules are data). One event per real occurrence:
overlapping matches keep the longest; a noun that is often no event ("митинг", "акция") counts only beside an
occurrence verb ("митинг прошел") or a date ("акция протеста 14 июля"), a noun that names an occurrence by itself
("стрельба", "задержание", "отставка") counts unless it is a backdrop ("после задержания") or part of a heading;
within a line of a sentence a second trigger of the same type merges into the first (its trigger span takes in the
second when they are conjuncts or joined by a dependency arc: "похитил и убил"), and one that is the object of
the first ("с просьбой оказать помощь") is dropped. A dropped word that still names an occurrence (a backdrop, a
second trigger, an elaboration, a heading) and a death or wound told beside violence become `mentions` of the
event they name: `event_mentions.py`. Actors and targets: `event_roles.py`; dates and places (and the narration a
sentence goes on with: "Около 23:00 … полиция начала задержания"): `event_where.py`; clauses and lines:
`event_geometry.py`. An event's span is the clauses of its trigger; an appeal needs an addressee ("призвал власти
…"), and an undated "Акция продолжалась …" after an event of its type continues that one.
Every event keeps the `rule` that produced it; `find_events(..., trace=[])` says why each other match was dropped.
"""
from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import yaml

from ..annotate.nlp import Analysis, Sentence, Token
from .event_geometry import (CLAUSE_BREAK, QUOTES_CLOSE, QUOTES_OPEN, SENTENCE_END, Sent, Span, coordination_start,
                             geometry, governed_by, linked, predicate_in)
from .event_mentions import Ref, outcome_refs, when, with_mentions
from .event_roles import Role, find_roles
from .event_roles import lexicon as role_lexicon
from .event_where import Told, event_date, location, marked, narration_of

LEXICON_PATH = Path(__file__).with_name("lexicons") / "triggers.yaml"
MAX_SPAN = 250
_INFINITIVE = ("ть", "ться", "ти", "тись", "чь", "чься")
_ADJECTIVAL = ("ый", "ий", "ой", "ая", "яя", "ое", "ее", "ые", "ие", "ого", "его", "ому", "ему", "ым", "им", "ом",
               "ем", "ых", "их", "ыми", "ими", "ую", "юю", "ей")


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
    mentions: tuple[Span, ...] = ()   # further words of the text that name it (event_mentions.py)

    def to_json(self) -> dict:
        return {
            "span": list(self.span), "type": self.type, "mode": self.mode,
            "date": None if self.date is None else
            {"start": self.date[0], "end": self.date[1], "precision": self.date[2], "span": list(self.date[3])},
            "location": None if self.location is None else {"name": self.location[0], "span": list(self.location[1])},
            "figures": list(self.figure_ids),
            "trigger": {"text": self.trigger, "span": list(self.trigger_span),
                        "mentions": [list(m) for m in self.mentions]},
            "actors": [{"name": n, "span": list(s)} for n, s in self.actors],
            "targets": [{"name": n, "span": list(s)} for n, s in self.targets],
            "modality": self.modality, "rule": self.rule,
        }


@dataclass(frozen=True, slots=True)
class Dropped:
    """A trigger match that made no event of its own, and why (`find_events(..., trace=[])`)."""
    span: Span
    trigger: str
    pattern: str
    reason: str


@dataclass(frozen=True, slots=True)
class _Pattern:
    words: tuple[frozenset[str], ...]
    type: str
    mode: str | None
    support: bool
    name: str
    addressee: bool = False        # a request only when addressed to someone ("призвал власти …")


@dataclass(frozen=True, slots=True)
class _Lexicon:
    patterns: tuple[_Pattern, ...]
    window: int
    support_window: int
    support_date_window: int
    support_verbs: frozenset[str]
    cues: dict[str, frozenset[str]]   # a mapping (word -> words) where the table gives one: place_nouns
    heads: frozenset[str]          # every lemma that can start a trigger
    by_lemma: dict[str, tuple[int, ...]]   # lemma → the patterns (by index) whose first word it can be


@functools.cache
def lexicon() -> _Lexicon:
    data = yaml.safe_load(LEXICON_PATH.read_text(encoding="utf-8"))
    patterns = []
    for row in data["triggers"]:
        words = tuple(frozenset(w.split("|")) for w in row["words"].split())
        patterns.append(_Pattern(words, row["type"], row.get("mode"), bool(row.get("support")), row["words"],
                                 bool(row.get("addressee"))))
    patterns.sort(key=lambda p: -len(p.words))      # longest first: "акция протест" before "протест"
    heads = frozenset(w for p in patterns for ws in p.words for w in ws)
    by_lemma: dict[str, list[int]] = {}
    for k, p in enumerate(patterns):
        for w in p.words[0]:
            by_lemma.setdefault(w, []).append(k)
    cues = {k: {w: frozenset(ws) for w, ws in v.items()} if isinstance(v, dict) else frozenset(v)
            for k, v in data["cues"].items()}
    return _Lexicon(tuple(patterns), data["window"], data["support_window"], data["support_date_window"],
                    frozenset(data["support_verbs"]), cues, heads, {w: tuple(ks) for w, ks in by_lemma.items()})


def needs_parse(sentence_text: str, lemmas: Sequence[str]) -> bool:
    """Parse predicate for `Annotator`: true when a sentence holds every word of some trigger (a lone "получить"
    or "голова" of "получить пулю", "отрубить голову" asks for no parse)."""
    lex, have = lexicon(), set(lemmas)
    return not have.isdisjoint(lex.heads) and any(all(not ws.isdisjoint(have) for ws in p.words) for p in lex.patterns)


# --- trigger matching ---------------------------------------------------------------------------------------------

def _match(g: Sent, lex: _Lexicon) -> list[tuple[_Pattern, tuple[int, ...]]]:
    toks = g.sent.tokens
    found, taken = [], set()
    at: dict[str, list[int]] = {}
    for i, tok in enumerate(toks):
        at.setdefault(tok.lemma, []).append(i)
    ks = sorted({k for lemma in at for k in lex.by_lemma.get(lemma, ())})   # in table order: longest first
    for pat in (lex.patterns[k] for k in ks):
        if not all(not ws.isdisjoint(at.keys()) for ws in pat.words):
            continue
        for i in sorted(i for w in pat.words[0] for i in at.get(w, ())):
            if i in taken:
                continue
            idx = [i]
            for ws in pat.words[1:]:
                near = [j for j in range(max(0, i - lex.window), min(len(toks), i + lex.window + 1))
                        if j not in idx and j not in taken and toks[j].lemma in ws and g.clause[j] == g.clause[i]]
                near = near or [j for j in linked(g, i) if j not in idx and j not in taken and toks[j].lemma in ws]
                if not near:
                    break
                idx.append(min(near, key=lambda j: abs(j - i)))
            if len(idx) == len(pat.words):
                found.append((pat, tuple(sorted(idx))))
                taken.update(idx)
    return sorted(found, key=lambda f: f[1][0])


def _has_support(g: Sent, idx: tuple[int, ...], lex: _Lexicon) -> int | None:
    toks, w = g.sent.tokens, lex.support_window
    near = [j for j in range(max(0, idx[0] - w), min(len(toks), idx[-1] + w + 1))
            if toks[j].lemma in lex.support_verbs and toks[j].pos in ("VERB", "AUX") and j not in idx
            and g.line[j] == g.line[idx[0]]]          # a heading takes no verb of the lead it runs into
    if near:
        return min(near, key=lambda j: min(abs(j - i) for i in idx))
    if g.sent.parsed:                       # "Акция в поддержку журналиста …, которому …, состоялась 12 июня"
        up = toks[idx[0]].head
        if 0 <= up < len(toks) and toks[up].lemma in lex.support_verbs and toks[up].pos in ("VERB", "AUX") \
                and g.line[up] == g.line[idx[0]]:
            return up
    return None


def _time_after(g: Sent, idx: tuple[int, ...], times, lex: _Lexicon):
    """The time expression right after a trigger, in its clause ("акция протеста 14 июля"), or None."""
    toks = g.sent.tokens
    after = range(idx[-1] + 1, min(len(toks), idx[-1] + 1 + lex.support_date_window))
    starts = {toks[j].start for j in after if g.clause[j] == g.clause[idx[-1]]}
    return next((t for t in times if t.span[0] in starts), None)


def _dated(g: Sent, idx: tuple[int, ...], times, lex: _Lexicon) -> bool:
    """A time expression right after a noun trigger, in its clause: "акция протеста 14 июля" happened."""
    return _time_after(g, idx, times, lex) is not None


def _told_occurring(g: Sent, h: int, lex: _Lexicon) -> bool:
    """A backdrop noun whose own occurrence is told by a participle on it ("до атаки, произошедшей 11 сентября");
    a date alone does not do it ("арестованных после акции в Оше 13 марта" names the protest as a backdrop)."""
    toks = g.sent.tokens
    return g.sent.parsed and any(toks[c].lemma in lex.support_verbs and toks[c].rel == "acl"
                                 for c in g.sent.children(h))


def _addressing(g: Sent, idx: tuple[int, ...], lex: _Lexicon) -> bool:
    """"обратился к нации с обращением": the verb's "с" phrase names a speech, not a request."""
    toks = g.sent.tokens
    return any(toks[c].lemma in lex.cues["speeches"] and any(toks[x].lemma == "с" for x in g.sent.children(c))
               for i in idx for c in g.sent.children(i))


def _own_time(g: Sent, h: int, times: Sequence) -> bool:
    """Whether a time expression starts within the words that depend on token h ("задержанных 5 мая")."""
    toks = g.sent.tokens
    mine, frontier = {h}, [h]
    while frontier:
        k = frontier.pop()
        for c in g.sent.children(k):
            if c not in mine:
                mine.add(c)
                frontier.append(c)
    starts = {toks[j].start for j in mine if j != h}
    return any(t.span[0] in starts for t in times)


def _told_done(g: Sent, h: int, lex: _Lexicon) -> bool:
    """A noun trigger that a verb tells being done or taking place: the object of a light verb ("полиция начала
    задержания") or the subject of an occurrence verb ("прошли обыски")."""
    toks = g.sent.tokens
    up = toks[h].head
    if not g.sent.parsed or not 0 <= up < len(toks) or toks[h].rel not in ("obj", "nsubj"):
        return False
    return toks[up].lemma in lex.support_verbs | role_lexicon().light_verbs and toks[up].pos in ("VERB", "AUX")


def _clause_dated(g: Sent, i: int, times) -> bool:
    """A time expression in the clause of token i ("… в Оше 13 марта закончилась задержаниями")."""
    lo = min(t.start for t, c in zip(g.sent.tokens, g.clause) if c == g.clause[i])
    hi = max(t.stop for t, c in zip(g.sent.tokens, g.clause) if c == g.clause[i])
    return any(lo <= t.span[0] < hi for t in times)


def _skip(g: Sent, idx: tuple[int, ...], lex: _Lexicon, pat: _Pattern, times: Sequence = ()) -> str | None:
    """Why a match is not an event, or None."""
    toks = g.sent.tokens
    h = next(i for i in idx if toks[i].lemma in pat.words[0])   # "стрельбы" of "погибших … стрельбы"
    head = toks[h]
    noun = head.pos in ("NOUN", "PROPN") and not head.lemma.endswith(_INFINITIVE)   # not "Застрелен"/PROPN
    first = min(coordination_start(g, h), idx[0])   # "о вооруженном инциденте": from the trigger's first word
    while first and toks[first - 1].pos in ("ADJ", "DET") and toks[first - 1].feat("VerbForm") != "Part":
        first -= 1                                  # "о массовых беспорядках"
    before = {t.lemma for t in toks[max(0, first - 2):first]}
    if noun and before & lex.cues["noun_blockers"] and not _told_occurring(g, h, lex):
        return "backdrop noun"                      # "после протестов", "после протестов и беспорядков"
    if noun and not predicate_in(g, g.line[h]):
        return "heading"                            # "Протесты и беспорядки в Казахстане", a photo caption
    if noun and not pat.support and head.feat("Number") == "Plur" and head.lemma not in lex.cues["plural_nouns"] \
            and not _clause_dated(g, h, times) and not _told_done(g, h, lex):
        return "undated plural"                     # "об убийствах и арестах активистов": a series, not one event
    if head.feat("VerbForm") == "Part" and head.feat("Variant") != "Short":
        if head.rel == "acl" and head.head < h and _own_time(g, h, times):
            pass                                    # "из 417 человек, задержанных после событий 3 марта": told
        elif head.rel in ("amod", "acl"):
            return "attributive participle"        # "расстрелянных рабочих", "обвиненного в терроризме"
        else:
            return "participle as a noun"           # "среди задержанных", "протестующие": people, not events
    if head.pos == "NOUN" and head.lemma.endswith(_INFINITIVE) and head.text.lower().endswith(_ADJECTIVAL):
        return "participle as a noun"               # "задержанным грозят штрафы", tagged as a noun
    if len(idx) == 1 and 0 < idx[0] < len(toks) - 1 and toks[idx[0] - 1].text in QUOTES_OPEN \
            and toks[idx[0] + 1].text in QUOTES_CLOSE:
        return "word in quotes"                     # "под словом «ликвидированы»"
    q = g.quote[idx[0]]
    end = next((t.text for t, qq in zip(toks[idx[-1] + 1:], g.quote[idx[-1] + 1:])
                if qq == q and t.text in SENTENCE_END | {"?»"}), None)
    if end and "?" in end:
        return "question"                           # «Кто стрелял в шахтеров?», "Почему полиция открыла огонь?"
    if q:
        inside = [t for t, qq in zip(toks, g.quote) if qq == q]   # the quoted part of this sentence
        if any(t.lemma in lex.cues["first_person"] for t in inside) or any(
                toks[i].feat("Person") in ("1", "2") for i in idx):
            return "first-person speech"            # «Мы просим разъяснений»
    return None


def _modality(g: Sent, idx: tuple[int, ...], lex: _Lexicon) -> str:
    toks = g.sent.tokens
    # the words before the trigger on its line, names left out ("Ли Пэн" is no question particle)
    mine = [j for j, (t, n) in enumerate(zip(toks[:idx[0]], g.line)) if n == g.line[idx[0]] and t.pos != "PROPN"]
    words = [toks[j] for j in mine]
    prefix = [t.lemma for t in words]
    between = [toks[j].lemma for j in range(idx[0], idx[-1] + 1) if j not in idx]
    if set(prefix[-2:] + between) & lex.cues["negated"]:
        return "negated"
    told = _past_relative(words, [toks[i] for i in idx], lex)   # "Если сенат утвердит …, он сменит X, который
    if ({t.lemma for t in told} | {t.text.lower() for t in told}) & lex.cues["hypothetical"]:   # вступил в …"
        return "hypothetical"
    if _under_governor(g, idx, mine, lex.cues["hypothetical_governors"]):
        return "hypothetical"                       # "может открыть огонь", "попытка штурма", "грозит арест"
    clause = [t.lemma for t, c in zip(toks[:idx[0]], g.clause) if c == g.clause[idx[0]]]
    if (governed_by(g, idx[0], lex.cues["demanded"]) if g.sent.parsed else set(clause) & lex.cues["demanded"]):
        return "hypothetical"                       # "требовали снижения цен, а затем отставки правительства"
    near = toks[max(0, idx[0] - 3):idx[-1] + 1]
    if any(t.feat("Tense") == "Fut" for t in near) or set(prefix) & lex.cues["future"]:
        return "future"
    if set(prefix) & lex.cues["reported"]:
        return "reported"
    return "asserted"


def _past_relative(words: Sequence[Token], trigger: Sequence[Token], lex: _Lexicon) -> Sequence[Token]:
    """The words from the last relative clause told in the past ("…, который вступил в должность …", "…, который
    ушел с поста") on: what such a clause tells happened whatever the sentence around it supposes; else all
    `words` (those before the trigger on its line)."""
    for r in range(len(words) - 1, -1, -1):
        if words[r].lemma in lex.cues["relative_pronouns"] and any(
                t.feat("Tense") == "Past" and t.feat("VerbForm") == "Fin" for t in [*words[r + 1:], *trigger]):
            return words[r:]
    return words


_COMPLEMENTS = ("nmod", "obj", "xcomp", "acl", "ccomp")
_OWN_CLAUSE = ("conj", "parataxis", "advcl", "acl:relcl", "root")


def _under_governor(g: Sent, idx: tuple[int, ...], before: Sequence[int], governors: frozenset[str]) -> bool:
    """Whether a word that makes its complement hypothetical ("может", "попытка", "грозит") stands before the
    trigger on its line and the trigger is (or may be) its complement: it governs the trigger in the tree, or it
    has no complement of its own before the trigger ("попытку суицида во время задержания": the attempt is the
    suicide's, the arrest happened)."""
    toks = g.sent.tokens
    cues = [k for k in before if toks[k].lemma in governors]
    if not cues:
        return False
    if not g.sent.parsed:
        return True
    path, i = set(), idx[0]
    for _ in range(5):                                  # the trigger and its heads within its predication
        path.add(i)
        if not 0 <= toks[i].head < len(toks) or toks[i].pos in ("VERB", "AUX") and toks[i].rel in _OWN_CLAUSE:
            break                                       # "попыталась перекрыть проспект, после чего полиция начала
        i = toks[i].head                                # задержания": the arrests are no attempt
    for k in cues:
        if k in path:
            return True
        own = [c for c in g.sent.children(k) if k < c < idx[0] and toks[c].rel in _COMPLEMENTS and c not in path]
        if not own:
            return True
    return False


# --- the event span ------------------------------------------------------------------------------------------------

def _clause_span(g: Sent, idx: tuple[int, ...], verb: int | None) -> Span:
    """The clauses of the trigger's words (and its support verb) on its line, from the first word to the last, without
    the punctuation and conjunctions at their edges ("…, троих арестовали на 10 суток, …"); at most MAX_SPAN
    characters around the trigger."""
    toks = g.sent.tokens
    mine = list(idx) + ([verb] if verb is not None else [])
    first = min(g.clause[i] for i in mine)
    opening = [t.lemma for t, c in zip(toks, g.clause) if c == first and t.pos != "PUNCT"][:3]
    if first and set(opening) & lexicon().cues["relative_pronouns"]:
        first -= 1                                  # "принял резолюцию, в которой осуждались …": from its noun
    clauses = set(range(first, max(g.clause[i] for i in mine) + 1))
    line = g.line[idx[0]]
    ids = [j for j, (c, n) in enumerate(zip(g.clause, g.line)) if c in clauses and n == line]
    lo, hi = min(ids + list(idx)), max(ids + list(idx))
    while lo < idx[0] and (toks[lo].pos in ("PUNCT", "CCONJ") or toks[lo].text in CLAUSE_BREAK):
        lo += 1
    while hi > idx[-1] and (toks[hi].pos in ("PUNCT", "CCONJ") or toks[hi].text in CLAUSE_BREAK):
        hi -= 1
    start, stop = toks[lo].start, toks[hi].stop
    if stop - start <= MAX_SPAN:
        return start, stop
    return _span(g.sent, toks[idx[0]].start, toks[idx[-1]].stop)


def _span(sent: Sentence, tstart: int, tstop: int) -> Span:
    half = (MAX_SPAN - (tstop - tstart)) // 2
    lo, hi = max(sent.start, tstart - half), min(sent.stop, tstop + half)
    starts = [t.start for t in sent.tokens if t.start >= lo]
    stops = [t.stop for t in sent.tokens if t.stop <= hi]
    return (min(starts[0], tstart) if starts else tstart), (max(stops[-1], tstop) if stops else tstop)


# --- the stage ----------------------------------------------------------------------------------------------------

def find_events(text: str, analysis: Analysis, times: Sequence = (), figures_spans: Sequence[Span] = (),
                loc_name: Callable[[Span], str | None] | None = None, trace: list | None = None) -> list[Event]:
    """Events of one text, in text order (all modalities; `chronicle` keeps the ones that happened).

    `trace`, when given a list, receives a `Dropped` for every trigger match that made no event of its own, with
    the reason (the debug mode of the rules: `letopis`'s bench prints it for missed triggers)."""
    lex = lexicon()

    refs: list[Ref] = []

    def drop(pat: _Pattern, idx: tuple[int, ...], reason: str, names: int | None = None) -> None:
        """No event of its own; a reference (`_REFERENCES`) that is real becomes a mention of the event it names."""
        span = (toks[idx[0]].start, toks[idx[-1]].stop)
        if trace is not None:
            trace.append(Dropped(span, _trigger_text(text, toks, idx), pat.name, reason))
        if reason in _REFERENCES and _modality(g, idx, lex) not in ("negated", "hypothetical", "future"):
            own = _time_after(g, idx, times, lex)
            refs.append(Ref(span, pat.type, pat.mode, names, reach=geo[min(k + 3, len(geo) - 1)].sent.stop,
                            later=reason == "heading", when=own and when(own.start, own.text)))

    geo = geometry(analysis, lex.heads)
    events, seen = [], []
    narration: list[Told] = []                # the events told so far, for the sentences that go on with them
    for k, g in enumerate(geo):
        toks = g.sent.tokens
        kept: list[tuple[_Pattern, tuple[int, ...]]] = []
        made: dict[tuple[int, ...], int] = {}     # kept trigger -> its event in `events`
        for pat, idx in _match(g, lex):
            verb = None
            if pat.support:
                verb = _has_support(g, idx, lex)
                if verb is None and not _dated(g, idx, times, lex):
                    drop(pat, idx, "noun without an occurrence verb or a date")
                    continue
            why_not = _skip(g, idx, lex, pat, times)
            if why_not:
                drop(pat, idx, why_not)
                continue
            same = [n for n, (p, i) in enumerate(kept) if p.type == pat.type and g.line[i[0]] == g.line[idx[0]]]
            if same:                              # one occurrence per type per sentence (and line) …
                first, old = same[0], kept[same[0]][1]
                if old in made and _linked_triggers(g, old, idx):
                    wide = tuple(sorted(set(old) | set(idx)))   # … taking in coordinated triggers: "похитил и убил"
                    kept[first] = (kept[first][0], wide)
                    made[wide] = made.pop(old)
                    events[made[wide]] = _widen(events[made[wide]], g, wide, text)
                    drop(pat, idx, "merged into the trigger before (linked)")
                else:
                    drop(pat, idx, "a second trigger of its type on the line", made.get(old))
                continue
            if kept and _object_of(g, kept[-1][1], idx):
                drop(pat, idx, "object of the trigger before")
                continue                          # the object of the previous trigger
            actors, targets = find_roles(geo, k, idx, verb, pat.type, text, analysis.mentions, loc_name, lex.heads)
            if pat.addressee and (not any(r.someone for r in targets) or toks[idx[0]].feat("VerbForm") == "Conv"):
                drop(pat, idx, "no addressee")    # "попросила не называть ее фамилию": no request to anyone;
                continue                          # "Обращаясь к членам ОДКБ, Токаев назвал …": a frame of speech
            if pat.addressee and _addressing(g, idx, lex):
                drop(pat, idx, "an address, not a request")
                continue                          # "обратился к сторонникам с видеообращением"
            going_on = [e for e in events if e.type == pat.type and e.modality not in ("negated", "hypothetical")]
            if verb is not None and toks[verb].lemma in lex.cues["continuing"] and not _dated(g, idx, times, lex) \
                    and going_on:
                drop(pat, idx, "continues the event before")
                narration.append(Told(k, g.paragraph, going_on[-1].date, going_on[-1].location, marked(g, text, lex)))
                continue                          # "Акция продолжалась до позднего вечера"
            kept.append((pat, idx))
            tstart, tstop = toks[idx[0]].start, toks[idx[-1]].stop
            main_tok = verb if verb is not None else idx[0]
            is_main = (toks[main_tok].rel == "root") if g.sent.parsed else g.clause[main_tok] == 0
            t, why = event_date(k, geo, idx, is_main, times, lex)
            date = (t.start, t.end, t.precision if t.start else None, tuple(t.span)) if t else None
            told = narration_of(k, g, narration, lex, own=bool(why and why.startswith("sentence")),
                              hours=marked(g, text, lex))
            if told is not None and told[0] and date is None:
                date, why = told[0], "the narration goes on"   # "Около 23:00 … полиция начала задержания"
            figs = tuple(i for i, (a, b) in enumerate(figures_spans) if g.sent.start <= a and b <= g.sent.stop)
            modality = _modality(g, idx, lex)
            kind = (pat.type, pat.mode)
            before = None if (why or "").startswith("sentence") else \
                _elaborates(k, kind, idx, g, geo, analysis.mentions, seen, actors)
            if before is not None:
                drop(pat, idx, "elaborates the event before", before)
                continue                          # "Затем на митинги стали выходить и жители…": the same wave
            if modality not in ("negated", "hypothetical"):
                seen.append((k, kind, len(events)))
            made[idx] = len(events)
            events.append(Event(
                span=_clause_span(g, idx, verb), trigger_span=(tstart, tstop),
                trigger=_trigger_text(text, toks, idx), type=pat.type, mode=pat.mode,
                actors=tuple((r.name, r.span) for r in actors), targets=tuple((r.name, r.span) for r in targets),
                date=date,
                location=location(k, geo, idx, analysis.mentions, lex, loc_name, verb, frozenset({pat.type}),
                                  told[1] if told else None),
                figure_ids=figs,
                modality=modality,
                rule=f"{pat.name}{' +support' if pat.support else ''}{'; date: ' + why if why else ''}"
                     f"{_role_rules(actors, targets)}"))
            if events[-1].modality not in ("negated", "hypothetical", "future"):
                narration.append(Told(k, g.paragraph, events[-1].date, events[-1].location, marked(g, text, lex)))
    events = with_mentions(events, refs, text)
    return with_mentions(events, outcome_refs(geo, events, lex, lambda g, idx: _modality(g, idx, lex)), text)


# drops that still name an occurrence (told elsewhere in the text): they become mentions of its event
_REFERENCES = frozenset({"backdrop noun", "noun without an occurrence verb or a date", "heading", "undated plural",
                         "attributive participle", "a second trigger of its type on the line",
                         "elaborates the event before", "continues the event before"})


def _role_rules(actors: Sequence[Role], targets: Sequence[Role]) -> str:
    """The rules that filled the roles, for the event's `rule`: "; actor: nsubj; target: prep по"."""
    parts = [f"{kind}: {r.rule}" for kind, rs in (("actor", actors), ("target", targets)) for r in rs]
    return "".join(f"; {p}" for p in parts)


def _trigger_text(text: str, toks: Sequence[Token], idx: tuple[int, ...]) -> str:
    start, stop = toks[idx[0]].start, toks[idx[-1]].stop
    return text[start:stop] if stop - start <= 40 else " ".join(toks[i].text for i in idx)


def _linked_triggers(g: Sent, a: tuple[int, ...], b: tuple[int, ...]) -> bool:
    """Whether two triggers of one type tell one occurrence: conjuncts ("Задержание и арест", "похитил девушку,
    изнасиловал её, избил") or joined by a dependency arc ("перестрелка, в результате которой … были убиты",
    "Стрельба … стала самым массовым убийством")."""
    if not g.sent.parsed:
        return False
    toks = g.sent.tokens
    conj = lambda ids: {toks[i].head for i in ids if toks[i].rel == "conj"}   # noqa: E731
    arcs = lambda x, y: any(toks[i].head in y for i in x)                        # noqa: E731
    return bool(conj(a) & conj(b)) or arcs(a, b) or arcs(b, a) or _copular(g, a, b) or _copular(g, b, a)


def _copular(g: Sent, subj: tuple[int, ...], pred: tuple[int, ...]) -> bool:
    """"Стрельба … стала самым массовым убийством": the subject and the nominal predicate of a copula."""
    toks = g.sent.tokens
    heads = {toks[i].head for i in subj if toks[i].rel == "nsubj"}
    return any(toks[i].head in heads and toks[i].rel in ("xcomp", "obl", "obj") for i in pred) and any(
        0 <= h < len(toks) and toks[h].lemma in lexicon().cues["copulas"] for h in heads)


def _widen(ev: Event, g: Sent, idx: tuple[int, ...], text: str) -> Event:
    toks = g.sent.tokens
    start, stop = toks[idx[0]].start, toks[idx[-1]].stop
    return dataclasses.replace(ev, trigger_span=(start, stop), trigger=_trigger_text(text, toks, idx),
                               span=_clause_span(g, idx, None) if idx else _span(g.sent, start, stop),
                               rule=ev.rule.replace(";", " +linked;", 1) if ";" in ev.rule else ev.rule + " +linked")


def _object_of(g: Sent, prev: tuple[int, ...], idx: tuple[int, ...]) -> bool:
    """"с просьбой оказать помощь", "подавили акции протеста": a trigger right after another one, in its clause,
    that depends on it; a predicate of its own ("… и жестоко разогнали", "в беспорядках … задержаны") is kept."""
    if not (0 <= idx[0] - prev[-1] <= 4 and g.clause[idx[0]] == g.clause[prev[-1]]):
        return False
    if not g.sent.parsed:
        return True
    toks, i = g.sent.tokens, idx[0]
    for _ in range(2):                      # its head, or its head's head, is the previous trigger
        i = toks[i].head
        if not 0 <= i < len(toks) or toks[i].rel == "conj" and i not in prev:
            return False
        if i in prev:
            return True
    return False


def _elaborates(k, kind, idx, g: Sent, geo, mentions, seen, actors: Sequence[Role] = ()) -> int | None:
    """The event (its index) that an undated trigger right after an event of its type in the paragraph (modes
    equal, or one null: "стрельба" … "Это самое массовое убийство"), with no named actor of its own (a name in its
    clause, or as its subject: "Узбекистан, по данным посольства, отправил колонну"), elaborates; else None."""
    if any(m.start < a.span[1] and a.span[0] < m.stop for a in actors if "pronoun" not in a.rule for m in mentions):
        return None
    before = [n for j, (typ, mode), n in seen if typ == kind[0] and (mode == kind[1] or None in (mode, kind[1]))
              and k - 2 <= j < k and geo[j].paragraph == g.paragraph]
    if not before:
        return None
    clause = g.clause[idx[0]]
    lo = min(t.start for t, c in zip(g.sent.tokens, g.clause) if c == clause)
    hi = max(t.stop for t, c in zip(g.sent.tokens, g.clause) if c == clause)
    return None if any(lo <= m.start < hi for m in mentions) else before[-1]


def chronicle(events: Sequence[Event]) -> list[Event]:
    """The events a chronicle reports: neither negated nor hypothetical."""
    return [e for e in events if e.modality not in ("negated", "hypothetical")]
