"""Event mentions: one event of one article's extraction, with what clustering needs to compare it.

`event_mentions(extraction, published, background)` turns the `events` of a contract object (spans into the
document text) into `EventMention` records: the dates as ISO strings, the place geocoded offline, the actors and
targets as names, the sentence words for a text-similarity tie-break, and whether it lies in background text
(a paragraph shared with other articles, or a near-duplicate article).
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Sequence

from .geocode import geocode

Span = tuple[int, int]
_WORD = re.compile(r"[а-яёa-z]{4,}")


@dataclass(frozen=True, slots=True)
class EventMention:
    id: str                      # doc_id:index in the extraction's events
    doc_id: str
    source: str                  # the path the article came from
    index: int
    type: str
    mode: str | None
    span: Span
    trigger: str
    date_start: str | None
    date_end: str | None
    precision: str | None
    date_span: Span | None
    place: str | None            # the place name as written in the article's entity (nominative)
    place_span: Span | None
    location: dict | None        # geocoded (corpus.geocode.Location.to_json()), None when no place is named
    country: str | None          # ISO code of the place, else of the article's dominant country
    actors: tuple[str, ...]
    targets: tuple[str, ...]
    modality: str
    published: str | None        # the article's date ("YYYY", "YYYY-MM" or "YYYY-MM-DD")
    words: tuple[str, ...]       # stems of the event's words, for the similarity tie-break
    background: bool = False

    def to_json(self) -> dict:
        d = asdict(self)
        for key in ("span", "date_span", "place_span", "actors", "targets", "words"):
            d[key] = list(d[key]) if d[key] is not None else None
        return d

    @classmethod
    def from_json(cls, d: dict) -> EventMention:
        d = {k: v for k, v in d.items() if k in cls.__dataclass_fields__}
        for key in ("span", "date_span", "place_span", "actors", "targets", "words"):
            if d.get(key) is not None:
                d[key] = tuple(d[key])
        return cls(**d)


def stems(text: str) -> tuple[str, ...]:
    """Coarse stems (first five letters) of the longer words: enough to tell two reports of one scene apart
    from reports of two scenes without a lemmatiser."""
    return tuple(sorted({w[:5] for w in _WORD.findall(text.lower().replace("ё", "е"))}))


def dominant_country(extraction: dict) -> str | None:
    """The country an article is mostly about: the most mentioned place's country."""
    counts: dict[str, int] = {}
    for ent in extraction.get("entities") or ():
        place = ent.get("place") or {}
        cc = place.get("country")
        if ent.get("type") == "LOC" and cc:
            counts[cc] = counts.get(cc, 0) + len(ent.get("mentions") or ())
    return max(sorted(counts), key=counts.get) if counts else None


def in_spans(span: Sequence[int], spans: Sequence[Span]) -> bool:
    return any(a <= span[0] and span[1] <= b for a, b in spans)


def event_mentions(extraction: dict, text: str, background: Sequence[Span] = (),
                   duplicate: bool = False) -> list[EventMention]:
    """The events of one contract object (spans into `text`, the document's text) as mentions. `background`
    holds the spans of shared paragraphs; `duplicate` marks every mention of a near-duplicate article."""
    doc_id, source = extraction["id"], extraction.get("source") or extraction["id"]
    text_country = dominant_country(extraction)
    out = []
    for i, ev in enumerate(extraction.get("events") or ()):
        date, loc = ev.get("date") or {}, ev.get("location") or {}
        located = geocode(loc["name"], text_country) if loc.get("name") else None
        where = located.to_json() if located is not None else None
        country = (located.country if located is not None and located.country else None) or text_country
        span = tuple(ev["span"])
        out.append(EventMention(
            id=f"{doc_id}:{i}", doc_id=doc_id, source=source, index=i, type=ev["type"], mode=ev.get("mode"),
            span=span, trigger=_trigger_words(ev, text),
            date_start=date.get("start"), date_end=date.get("end") or date.get("start"),
            precision=date.get("precision"), date_span=tuple(date["span"]) if date.get("span") else None,
            place=loc.get("name"), place_span=tuple(loc["span"]) if loc.get("span") else None,
            location=where, country=country,
            actors=tuple(a["name"] for a in ev.get("actors") or ()),
            targets=tuple(t["name"] for t in ev.get("targets") or ()),
            modality=ev.get("modality") or "asserted", published=extraction.get("published"),
            words=stems(text[span[0]:span[1]]),
            background=duplicate or in_spans(span, background),
        ))
    return out


def _trigger_words(ev: dict, text: str) -> str:
    """The words at the trigger's span (the extraction shortens a long trigger to its words: "перестрелки ранены")."""
    trigger = ev.get("trigger") or {}
    span = trigger.get("span")
    return text[span[0]:span[1]] if span else trigger.get("text") or ""
