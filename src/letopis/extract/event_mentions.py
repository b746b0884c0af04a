"""Further mentions of an event in its own text: the words that name it again or tell its outcome.

    >>> refs = [Ref(span, "ASSAULT", "firearms")]            # "после перестрелки": no event of its own
    >>> refs += outcome_refs(geo, events, lex, modality)      # "… погиб один человек" after "В ходе стрельбы"
    >>> events = with_mentions(events, refs, text)            # each event's `mentions`: spans of those words

`events.py` keeps one event per occurrence, but an article names it again: as a backdrop ("после перестрелки",
"по делу о задержании"), a second trigger on its line, an elaboration in the next sentence ("Это самое массовое
убийство …"), a heading over it, or by its outcome ("…, погиб один человек", "Погибла 60-летняя …"). Such a word
makes no event of its own (it would count the occurrence twice); it becomes a mention of the event it names:
the one it is known to tell (the trigger on its line, the event it elaborates), else the nearest earlier event
of its type (a heading: the first later one) whose mode agrees (either may be null). Only events the chronicle
keeps take mentions, and a reference that is itself negated or hypothetical ("требовали отставки") names none.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Sequence

from .event_geometry import Sent, Span

if TYPE_CHECKING:
    from .events import Event, _Lexicon

_UNREAL = ("negated", "hypothetical")


@dataclass(frozen=True, slots=True)
class Ref:
    """A word that names an event told elsewhere in the text."""
    span: Span
    type: str
    mode: str | None
    event: int | None = None     # the index of the event it is known to tell, else None: look for it
    reach: int = 0               # a later event may be the one it names if it starts before this offset
    later: bool = False          # a heading: the event it names is told after it, never before
    when: str | None = None      # its own time ("Митинг 12 марта 2011 года"): the day, or its words if unresolved


def when(start: str | None, words: str) -> str:
    """What two times are compared by: the day when resolved, else the words ("14 июля" is not "27 июля")."""
    return start or " ".join(words.lower().split())


def _agrees(ev: Event, ref: Ref, text: str) -> bool:
    day = when(ev.date[0], text[ev.date[3][0]:ev.date[3][1]]) if ev.date else None
    return ev.type == ref.type and (ev.mode is None or ref.mode is None or ev.mode == ref.mode) \
        and ev.modality not in _UNREAL and not (ref.when and day and day != ref.when)


def _named(events: Sequence[Event], ref: Ref, text: str) -> int | None:
    """The known event, else the nearest earlier one that agrees (not for a heading), else the first later one
    within reach."""
    if ref.event is not None:                       # "новый митинг 27 июля" on the line of one of 20 July: another
        ev = events[ref.event]
        return ref.event if ev.modality not in _UNREAL and _agrees(ev, dataclasses.replace(ref, type=ev.type,
                                                                                           mode=None), text) else None
    before = [] if ref.later else \
        [n for n, ev in enumerate(events) if ev.trigger_span[1] <= ref.span[0] and _agrees(ev, ref, text)]
    if before:
        return before[-1]
    return next((n for n, ev in enumerate(events)
                 if ref.span[1] <= ev.trigger_span[0] < ref.reach and _agrees(ev, ref, text)), None)


def with_mentions(events: list[Event], refs: Sequence[Ref], text: str) -> list[Event]:
    """`events` with each reference's span added to the mentions of the event it names (text order, no repeats,
    none inside the event's own trigger)."""
    extra: dict[int, set[Span]] = {}
    for ref in refs:
        n = _named(events, ref, text)
        if n is None:
            continue
        a, b = events[n].trigger_span
        if not (a < ref.span[1] and ref.span[0] < b):
            extra.setdefault(n, set()).add(ref.span)
    return [dataclasses.replace(ev, mentions=tuple(sorted(set(ev.mentions) | extra[n]))) if n in extra else ev
            for n, ev in enumerate(events)]


def outcome_refs(geo: list[Sent], events: Sequence[Event], lex: _Lexicon,
                 modality: Callable[[Sent, tuple[int, ...]], str]) -> list[Ref]:
    """Deaths and wounds (`cues.outcomes`) told beside violence: on the line of an ASSAULT event ("В ходе
    стрельбы в синагоге …, погиб один человек"), or in a sentence of no event of its own within two sentences
    after one, or after a sentence of its outcomes ("Сообщается о трёх пострадавших. Погибла 60-летняя …").
    A bare death elsewhere (a crash, an illness, a bout) stays no event and no mention."""
    words = lex.cues["outcomes"]
    found: list[Ref] = []
    at: dict[int, list[int]] = {}                      # sentence -> its events
    violent: dict[int, int] = {}                       # sentence -> the ASSAULT event it tells (or the outcome of)
    for n, ev in enumerate(events):
        k = next((k for k, g in enumerate(geo) if g.sent.start <= ev.trigger_span[0] < g.sent.stop), None)
        if k is not None:
            at.setdefault(k, []).append(n)
            if ev.type == "ASSAULT" and ev.modality not in _UNREAL:
                violent[k] = n
    taken = [ev.trigger_span for ev in events] + [m for ev in events for m in ev.mentions]
    for k, g in enumerate(geo):
        toks = g.sent.tokens
        for i, tok in enumerate(toks):
            if tok.lemma not in words or any(a < tok.stop and tok.start < b for a, b in taken):
                continue
            if tok.feat("VerbForm") == "Part" and tok.feat("Variant") != "Short":
                continue                               # "число погибших", "среди раненых": people, not the event
            if modality(g, (i,)) in _UNREAL:           # "никто не пострадал"
                continue
            here = [n for n in at.get(k, ()) if events[n].type == "ASSAULT" and events[n].modality not in _UNREAL
                    and g.line[_token_at(g, events[n].trigger_span[0])] == g.line[i]]
            if here:
                found.append(Ref((tok.start, tok.stop), "ASSAULT", None, here[0]))
                continue
            if at.get(k):
                continue                               # a sentence of events of its own
            n = next((violent[j] for j in (k - 1, k - 2) if j in violent), None)
            if n is not None:
                found.append(Ref((tok.start, tok.stop), "ASSAULT", None, n))
                violent.setdefault(k, n)              # the account of its outcome goes on
    return found


def _token_at(g: Sent, offset: int) -> int:
    return next((i for i, t in enumerate(g.sent.tokens) if t.stop > offset), len(g.sent.tokens) - 1)
