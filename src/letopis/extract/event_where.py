"""When and where an event happened: the time expression and the LOC mention its trigger attaches to.

    >>> event_date(k, geo, idx, is_main, times, lex)      # (TimeExpr, "sentence") or (None, None)
    >>> location(k, geo, idx, mentions, lex, loc_name)    # ("Алматы", (start, stop)) or None

Dates: a time of the trigger's clause, else of its sentence, else of the next sentence when that one points back
("Он заявил об этом 29 января"), else of the two sentences before; at each step a resolved time comes first and an
unresolved one (null start, end and precision: no publication date to count from) gives the event only its span.
Places: a LOC after a place preposition; one that depends on the event's predicate or trigger noun, else the last of
the trigger's clause, else of an earlier clause; the antecedent of a "где" clause; the state that is the subject of
a coercion; else a place of the sentences before in the paragraph.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

from ..annotate.gazetteer import gazetteer
from ..annotate.nlp import NerMention, Sentence, Token
from .event_geometry import CLAUSE_BREAK, Sent, Span, clause_of

if TYPE_CHECKING:
    from .events import _Lexicon


@dataclass(frozen=True, slots=True)
class Told:
    """An event told so far, as the narration that later sentences go on with sees it."""
    sentence: int
    paragraph: int
    date: tuple | None           # the event's (start, end, precision, span)
    place: tuple | None          # its (name, span)
    hours: bool                  # its sentence tells an hour or a part of the day


def narration_of(k: int, g: Sent, narration: Sequence[Told], lex: _Lexicon, own: bool, hours: bool):
    """(date, place) of the events whose narration sentence k goes on with, told as one by the hours of a day ("Около
    23:00 … полиция начала задержания" after "Акция продолжалась до позднего вечера"): the last told (or continued)
    in its paragraph up to two sentences before with a place, and the last with a resolved date where this sentence
    or that event's is marked by a time of day; any earlier one of the paragraph when the sentence opens with
    "Одновременно"; None when there is neither."""
    opening = {t.lemma for t in g.sent.tokens[:2]}
    reach = 0 if opening & lex.cues["simultaneous"] and not own else 2
    date = place = None
    for told in reversed(narration):
        if told.paragraph != g.paragraph or (reach and told.sentence < k - reach):
            break
        if told.sentence < k:
            if hours or told.hours or not reach:
                date = date or (told.date if told.date and told.date[0] else None)
            place = place or told.place
    return (date, place) if date or place else None


_CLOCK = re.compile(r"\b\d{1,2}:\d{2}\b")


def marked(g: Sent, text: str, lex: _Lexicon) -> bool:
    """A sentence that tells the hour or the part of a day ("Примерно в 16:00", "до позднего вечера", "затем")."""
    return bool(_CLOCK.search(text, g.sent.start, g.sent.stop)) or any(
        t.lemma in lex.cues["hours"] for t in g.sent.tokens)


def times_in(sent: Sentence, times) -> list:
    return [t for t in times if sent.start <= t.span[0] < sent.stop]


def event_date(k: int, geo: list[Sent], idx, is_main: bool, times, lex: _Lexicon):
    """The time of an event and why: the nearest time of its clause (nearest to the trigger's words: "будет отменен
    досрочно — 13 марта"), else of its sentence, else one the next sentence points back with, else the last of the
    two sentences before. A resolved time wins; an unresolved one (null days: no publication date to count from)
    of the trigger's own clause is taken before looking further away, so that "Вчера полиция задержала …" keeps its
    own "Вчера" instead of a date of the sentence before; one of another clause ("…, что часть активистов завтра
    выйдет") only when nothing nearer is resolved."""
    g = geo[k]
    toks = g.sent.tokens
    lo, hi = toks[idx[0]].start, toks[idx[-1]].stop
    gap = lambda t: max(lo - t.span[1], t.span[0] - hi, 0)   # noqa: E731
    here = times_in(g.sent, times)
    clause = [t for t in here if clause_of(g, t.span[0]) == g.clause[idx[0]]]
    for pool, ok in ((clause, True), (clause, False), (here, True)):
        found = [t for t in pool if bool(t.start) is ok]
        if found:
            return min(found, key=gap), "sentence" + ("" if ok else " (unresolved)")
    best, why = _around(k, geo, is_main, [t for t in times if t.start], lex)
    if best is not None:
        return best, why
    found = [t for t in here if not t.start]
    if found:
        return min(found, key=gap), "sentence (unresolved)"
    best, why = _around(k, geo, is_main, [t for t in times if not t.start], lex)
    if best is not None:
        return best, why + " (unresolved)"
    return None, None


def _around(k: int, geo: list[Sent], is_main: bool, times, lex: _Lexicon):
    g = geo[k]
    if is_main and k + 1 < len(geo) and geo[k + 1].paragraph == g.paragraph:
        nxt = geo[k + 1]
        if {t.lemma for t in nxt.sent.tokens[:4]} & lex.cues["anaphora"] and times_in(nxt.sent, times):
            return times_in(nxt.sent, times)[0], "next sentence points back"
    for j in range(k - 1, max(k - 3, -1), -1):
        if geo[j].paragraph != g.paragraph:
            break
        prev = [t for t in times_in(geo[j].sent, times) if not _dates_a_backdrop(geo[j], t, lex)]
        if prev:
            return prev[-1], "previous sentence"
    return None, None


def _dates_a_backdrop(g: Sent, t, lex: _Lexicon) -> bool:
    """A time that dates a backdrop ("задержанных после событий 3 марта", "накануне выборов 12 марта"), not the
    narration: a noun blocker among the three words before it."""
    toks = g.sent.tokens
    i = next((j for j, tok in enumerate(toks) if tok.start >= t.span[0]), None)
    return i is not None and bool({tok.lemma for tok in toks[max(0, i - 3):i]} & lex.cues["noun_blockers"])


def places(g: Sent, mentions: Sequence[NerMention], lex: _Lexicon) -> list[NerMention]:
    toks = g.sent.tokens
    out = []
    for m in mentions:
        if m.type != "LOC" or not (g.sent.start <= m.start < g.sent.stop):
            continue
        first = next((i for i, t in enumerate(toks) if t.start >= m.start), None)
        if first is None or toks[first].lemma in lex.heads:     # "Протесты" taken for a place by NER
            continue
        if first and toks[first].feat("Case") == "Gen" and any(x.type == "LOC" and x.stop == toks[first - 1].stop
                                                               for x in mentions):
            continue                          # "в Шахтинске Карагандинской области": the region qualifies the town
        prep = _prep_before(toks, first, lex)
        if prep is None:
            prep = next((i for i in range(first - 1, max(first - 4, -1), -1)
                         if toks[i].lemma in lex.cues["place_preps"]), None)
        orgs = [(x.start, x.stop) for x in mentions if x.type == "ORG"]
        if prep is not None and not any(t.lemma in lex.cues["place_institutions"] or any(
                a <= t.start < b for a, b in orgs) for t in toks[prep + 1:first]):
            out.append(m)                     # not "в ГУВД Ошской области", "в Департаменте полиции …": who reports
    return out


def _prep_before(toks: Sequence[Token], first: int, lex: _Lexicon, reach: int = 5) -> int | None:
    """The place preposition before token `first` across its modifiers ("в небольшой прибрежной деревне Портапик"),
    or None."""
    for i in range(first - 1, max(first - 1 - reach, -1), -1):
        if toks[i].lemma in lex.cues["place_preps"]:
            return i
        if toks[i].pos not in ("ADJ", "NOUN", "PROPN", "DET", "NUM"):
            return None
    return None


def _relative_antecedent(g: Sent, idx, mentions, lex: _Lexicon) -> NerMention | None:
    """"Новая Шотландия, где произошла стрельба": the LOC that ends the clause before a "где" clause."""
    toks, clause = g.sent.tokens, g.clause[idx[0]]
    first = next(i for i, c in enumerate(g.clause) if c == clause)
    if toks[first].text in CLAUSE_BREAK:
        first += 1
    if first >= len(toks) or first == 0 or toks[first].lemma not in lex.cues["place_relative"]:
        return None
    before = [m for m in mentions if m.type == "LOC" and g.sent.start <= m.start and m.stop <= toks[first].start
              and not any(t.start >= m.stop and t.stop <= toks[first].start and t.text not in CLAUSE_BREAK
                          for t in toks)]
    return before[-1] if before else None


def _attached_to(g: Sent, idx, verb: int | None, m: NerMention, mentions, lex: _Lexicon) -> str | None:
    """"verb" when place `m` depends on the event's predicate ("начались … в Мангистауской области"), "noun" when on
    the trigger noun ("митинги в Казахстане"), else None; place words and other places between are crossed
    ("на западе страны в городе Жанаозен")."""
    toks = g.sent.tokens
    inside = [i for i, t in enumerate(toks) if m.start <= t.start and t.stop <= m.stop]
    if not inside:
        return None
    h = next((i for i in inside if not m.start <= toks[toks[i].head].start < m.stop or toks[i].head < 0), inside[0])
    preds = {i for i in idx if toks[i].pos in ("VERB", "AUX")} | ({verb} if verb is not None else set())
    preds |= {toks[i].head for i in idx if 0 <= toks[i].head < len(toks) and toks[toks[i].head].pos in ("VERB", "AUX")}
    nouns = {i for i in idx if toks[i].pos in ("NOUN", "PROPN")}
    named = [(x.start, x.stop) for x in mentions if x.type == "LOC"]
    for _ in range(4):
        up = toks[h].head
        if not 0 <= up < len(toks):
            return None
        if up in preds:
            return "verb"
        if up in nouns:
            return "noun"
        t = toks[up]
        if t.lemma in lex.cues["place_heads"] or any(a <= t.start < b for a, b in named):
            h = up
            continue
        return None
    return None


_CHAIN = ("ADP", "CCONJ", "ADJ", "DET", "PUNCT")


def _chain_head(g: Sent, places: Sequence[NerMention], lex: _Lexicon) -> NerMention:
    """The place of the last chain of places (a place after words other than prepositions, adjectives and place
    words starts a new one: "в Казахстане начались 2 января на западе страны в городе Жанаозен" → Жанаозен).
    Within the chain a place nests in the next ("у Белого дома в Бишкеке" → Бишкек) until a link names a wider
    area, a place nearby or a conjunct ("в Портапике и Энфилде близ Галифакса в провинции Новая Шотландия" →
    Портапике; "в городе Пауэй, штат Калифорния" → Пауэй)."""
    toks = g.sent.tokens

    def between(a: NerMention, b: NerMention) -> list[Token]:
        return [t for t in toks if a.stop <= t.start and t.stop <= b.start]

    first = len(places) - 1
    while first and all(t.pos in _CHAIN or t.lemma in lex.cues["place_heads"]
                        for t in between(places[first - 1], places[first])):
        first -= 1
    pick = first
    while pick + 1 < len(places) and not {t.lemma for t in between(places[pick], places[pick + 1])} \
            & lex.cues["place_wider"]:
        pick += 1
    return places[pick]


def _under_area(g: Sent, m: NerMention, lex: _Lexicon) -> bool:
    """A place named as the part of a wider one: "на востоке Украины", "на западе страны"."""
    toks = g.sent.tokens
    first = next((i for i, t in enumerate(toks) if t.start >= m.start), None)
    return first is not None and first > 0 and toks[first - 1].lemma in lex.cues["place_areas"]


def _subject_place(g: Sent, idx, verb: int | None, mentions) -> NerMention | None:
    """The LOC that is the subject of the event's predicate, or names it ("Кыргызстан закрыл границу", "Аким
    Шахтинска подал в отставку", "суд Советского района Гомеля назначил … ареста": a town before a district); a
    town the gazetteer knows counts where NER took it into a name ("Аким Шахтинска Серик Кабдрахманов")."""
    toks = g.sent.tokens
    preds = set(idx) | ({verb} if verb is not None else set())
    for i in idx:                                    # a trigger noun: the verb it depends on ("назначил … ареста")
        j = i
        for _ in range(3):
            j = toks[j].head
            if not 0 <= j < len(toks):
                break
            if toks[j].pos in ("VERB", "AUX"):
                preds.add(j)
                break
    subjects = {i for i, t in enumerate(toks) if t.rel in ("nsubj", "nsubj:pass") and t.head in preds}
    for _ in range(2):
        subjects |= {i for i, t in enumerate(toks) if t.rel in ("nmod", "flat", "appos") and t.head in subjects}
    found = [m for m in mentions if m.type == "LOC" and g.sent.start <= m.start < g.sent.stop
             and any(m.start <= toks[i].start < m.stop for i in subjects)]
    covered = [(m.start, m.stop) for m in mentions if m.type == "LOC"]
    for i in sorted(subjects):
        t = toks[i]
        place = gazetteer().best(t.text) if t.pos == "PROPN" and t.text[:1].isupper() else None
        if place is not None and place.kind in ("city", "capital") and not any(a <= t.start < b for a, b in covered):
            found.append(NerMention(t.start, t.stop, "LOC", t.text, place.canonical))
    towns = [m for m in found if _kind(m.normal or m.text) in ("city", "capital")]
    return (towns or found or [None])[0]


def _kind(name: str | None) -> str | None:
    place = gazetteer().best(name) if name else None
    return place.kind if place is not None else None


def _named_most(mentions: Sequence[NerMention], loc_name, fits) -> NerMention | None:
    """The last mention of the place `mentions` name most often among those `fits` accepts (ties: the first named)."""
    by: dict[str, list[NerMention]] = {}
    for m in mentions:
        name = (loc_name((m.start, m.stop)) if loc_name else None) or m.normal or m.text
        if fits(name):
            by.setdefault(name, []).append(m)
    if not by:
        return None
    best = max(by.values(), key=lambda ms: (len(ms), -ms[0].start))
    return best[-1]


def _place_noun(g: Sent, toks, limit: int, upto: int, mentions, lex, loc_name) -> NerMention | None:
    """"в городе", "в столице", "у здания мэрии": the place of the noun's kind the text names most often up to the end
    of the event's sentence ("В Шахтинске … Сарань … в городе задержаны": Шахтинск)."""
    nouns = lex.cues["place_nouns"]
    kinds = next((nouns[t.lemma] for i, t in enumerate(toks) if t.lemma in nouns and t.stop <= limit and any(
        toks[j].lemma in lex.cues["place_preps"] for j in range(max(0, i - 2), i))), None)
    if not kinds:
        return None
    return _named_most([m for m in mentions if m.type == "LOC" and m.start < upto], loc_name,
                       lambda name: _kind(name) in kinds)


def _agency_place(g: Sent, mentions, lex) -> NerMention | None:
    """"По данным ГУВД Бишкека, задержаны …": the seat of the agency that reports it."""
    toks = g.sent.tokens
    for m in mentions:
        if m.type != "LOC" or not g.sent.start <= m.start < g.sent.stop:
            continue
        inside = [i for i, t in enumerate(toks) if m.start <= t.start < m.stop]
        if not inside:
            continue
        if g.sent.parsed:                              # the word outside the name that the name hangs on
            ups = [toks[i].head for i in inside if not 0 <= toks[i].head < len(toks) or toks[i].head not in inside]
            up = ups[0] if ups else -1
        else:
            up = inside[0] - 1
        if 0 <= up < len(toks) and toks[up].lemma in lex.cues["place_agencies"]:
            return m
    return None


def _town_of(pick: NerMention, mentions, upto: int, loc_name) -> NerMention:
    """A region gives way to the town of it the text names (most often) before the event: "Ошская область" → "Ош"."""
    name = (loc_name((pick.start, pick.stop)) if loc_name else None) or pick.normal or pick.text
    region = gazetteer().best(name)
    if region is None or region.kind != "region":
        return pick
    town = _named_most([m for m in mentions if m.type == "LOC" and m.start < upto], loc_name, lambda n: (
        (p := gazetteer().best(n)) is not None and p.kind in ("city", "capital") and p.admin1 == region.canonical))
    return town or pick


def location(k: int, geo: list[Sent], idx, mentions, lex, loc_name, verb: int | None = None,
              types: frozenset[str] = frozenset(), narrated: tuple[str, Span] | None = None):
    """(name, span) of the place of the event whose trigger is tokens `idx` of sentence k, or None (`narrated`: the
    place of the event whose narration this one goes on with, when the text gives no place of its own)."""
    g = geo[k]
    toks = g.sent.tokens
    end_clause = g.clause[idx[-1]]
    limit = max((t.stop for t, c in zip(toks, g.clause) if c <= end_clause), default=g.sent.stop)
    clauses = {g.clause[i] for i in idx}
    tstart = toks[idx[0]].start
    found = places(g, mentions, lex)
    same = [m for m in found if clause_of(g, m.start) in clauses]
    earlier = [m for m in found if m.start < tstart and clause_of(g, m.start) < min(clauses)]
    pick = _relative_antecedent(g, idx, mentions, lex)
    wider = [m for m in same if _under_area(g, m, lex)]
    if len(wider) < len(same):              # "вблизи Славянска на востоке Украины": the wider area gives way
        same = [m for m in same if m not in wider]
    if pick is None and same and g.sent.parsed:     # a place of the predicate, else of the trigger noun
        attached = {m: _attached_to(g, idx, verb, m, mentions, lex) for m in same}
        for kind in ("verb", "noun"):
            hits = [m for m in same if attached[m] == kind]
            if hits:
                pick = _chain_head(g, hits, lex)     # "у Белого дома в Бишкеке", "в Клину и Твери близ Москвы"
                break
    if pick is None and same:                # else the place set before the trigger ("В Узгене … прошел митинг против
        before = [m for m in same if m.stop <= tstart]      # строительства ГЭС на реке Жазы"), else the last after it
        pick = before[-1] if before else _chain_head(g, same, lex)
    if pick is None and earlier:             # else the last place of an earlier clause
        pick = earlier[-1]
    if pick is None and g.sent.parsed and types & set(lex.cues["place_of_subject"]):
        pick = _subject_place(g, idx, verb, mentions)     # "Казахстан закрыл границы"
    if pick is None:
        pick = _place_noun(g, toks, limit, g.sent.stop, mentions, lex, loc_name)   # "в городе", "в столице"
    if pick is None:
        for j in range(k - 1, max(k - 4, -1), -1):
            if geo[j].paragraph != g.paragraph:
                break
            prev = places(geo[j], mentions, lex)
            if prev:
                pick = prev[-1]
                break
    if pick is None and narrated is not None:   # the place of the narration the event goes on with
        return narrated
    if pick is None:
        pick = _agency_place(g, mentions, lex)    # "По данным ГУВД Бишкека, …"
    if pick is None:
        return None
    pick = _town_of(pick, mentions, tstart, loc_name)
    name = (loc_name((pick.start, pick.stop)) if loc_name else None) or pick.normal or pick.text
    return name, (pick.start, pick.stop)
