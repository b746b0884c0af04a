"""Offline geocoding: a Russian place name, in any case form, to a point, country, first-level unit and precision.

    >>> geocode("Талдыкоргане").to_json()
    {'name': 'Талдыкоргане', 'canonical': 'Талдыкорган', 'country': 'KZ', 'admin1': 'Жетысуская область',
     'lat': 45.0156, 'lon': 78.3739, 'precision': 'town', 'geo_precision': 1, 'plover_resolution': 'city',
     'geonameid': 1518542, 'reason': 'case-form'}

Names are looked up in the shipped gazetteer (`annotate.gazetteer`, GeoNames-derived, built by
`scripts/build_places.py`), whose case-form matching strips Russian endings only against names it holds, so an
unknown name ("Бозторгай-Сай") stays unknown: its Location keeps the name with a null position, never a guessed one.

Precision follows the gazetteer kind (`PRECISION`): a town is ACLED geo_precision 1 and PLOVER resolution `city`,
a first-level region (oblast, krai, republic) 3 (ACLED's code when only the province is known) and `admin1` (its point is the population-weighted centroid of its
towns), a country 3 and `country`. A region the gazetteer has no point for (Донбасс) or a macro-region inside one
country (Сибирь) falls back to its country's point at country precision; a macro-region across countries
(Центральная Азия) is known but gets no position.

`reason` says which rules fired, joined by "+":
  - how the name matched: `exact` (the name as written), `case-form` (an inflected form: "Алматинской области");
  - `alias` when the matched spelling is not the canonical name ("Кыргызстан" → Киргизия);
  - when the name fits several places: `context-country` (the one in the article's country, `context_country`),
    then `kind` (a country before a capital, a city, a region) or `largest` (the most populous);
  - `preposition` (a leading "в", "из"… was dropped), `town-word` (a leading "г.", "города"… was dropped and only
    towns were considered);
  - `country-point` (the point is the country's), `no-point` (a known place with no position: Центральная Азия);
  - `unknown` alone when nothing matched.
"""
from __future__ import annotations

import collections
import functools
import re
from dataclasses import dataclass, fields
from typing import Iterable

from ..annotate.gazetteer import Place, gazetteer
from ..annotate.names import fold

# gazetteer kind -> (precision, ACLED geo_precision, PLOVER resolution)
PRECISION = {
    "capital": ("town", 1, "city"),
    "city": ("town", 1, "city"),
    "region": ("region", 3, "admin1"),     # ACLED: 3 when only the province is known (2 is "near a town")
    "country": ("country", 3, "country"),
}
# places of these kinds are not displaced by a same-name place in the article's country ("Москва" stays Moscow in
# an article on Turkmenistan, which has a village Москва)
ABOVE_CONTEXT = frozenset({"country", "capital"})
PREPOSITIONS = frozenset("в во на из под у около близ возле вблизи до от к ко с со по за над через".split())
TOWN_WORDS = frozenset("""г. г гор. город города городе городу городом пгт пос. п. поселок поселка поселке поселком
                          посёлок посёлка посёлке посёлком с. село села селе селом""".split())
TOWN_KINDS = frozenset({"city", "capital"})
SAME_PLACE_DEGREES = 0.2   # |Δlat| + |Δlon| under which a city and a region of its name are one place
# names of up to SHORT_NAME letters have stems too short for the gazetteer's case-form matching
SHORT_NAME = 3
SHORT_CASE_ENDINGS = ("а", "у", "е", "ы", "и", "ом", "ем", "ой")
SHORT_NOMINATIVE_ENDINGS = ("", "а", "я", "ь")
_BRACKETED = re.compile(r"\s*\([^()]*\)\s*$")
_TRIM = re.compile(r"^[\s«»\"'“”„(\[]+|[\s«»\"'“”„)\],.;:!?]+$")


@dataclass(frozen=True, slots=True)
class Location:
    name: str                              # as given
    canonical: str | None = None           # the place's usual Russian name; None when unknown
    country: str | None = None             # ISO 3166-1 alpha-2
    admin1: str | None = None              # Russian name of the first-level unit (a region: itself)
    lat: float | None = None
    lon: float | None = None
    precision: str | None = None           # town, region, country; None without a position
    geo_precision: int | None = None       # ACLED: 1 town, 2 region, 3 country
    plover_resolution: str | None = None   # PLOVER: city, admin1, country
    geonameid: int | None = None
    reason: str = "unknown"

    @property
    def known(self) -> bool:
        return self.canonical is not None

    def to_json(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_json(cls, d: dict) -> "Location":
        return cls(**{f.name: d[f.name] for f in fields(cls) if f.name in d})


def geocode(name: str, context_country: str | None = None) -> Location:
    """The place `name` (any case form) stands for; among same-name places the one in `context_country` (ISO2, e.g.
    the article's dominant country), then by kind and population. Unknown names get a Location without position."""
    return _geocode(name, (context_country or "").strip().upper() or None)


@functools.lru_cache(maxsize=65_536)
def _geocode(name: str, context: str | None) -> Location:
    text, tags = _clean(name)
    places = (gazetteer().find(text) or _short_name(text)) if text else []
    if "town-word" in tags:
        places = [p for p in places if p.kind in TOWN_KINDS]
    if not places:
        return Location(name)
    place, picked = _choose(places, context)
    matched = ["exact" if fold(place.name) == fold(text) else "case-form"]
    if fold(place.name) != fold(place.canonical):
        matched.append("alias")
    return locate(name, place, "+".join(matched + picked + tags))


def locate(name: str, place: Place, reason: str = "exact") -> Location:
    """A Location for a gazetteer place (an entity's `place`), falling back to its country's point when the place
    has none."""
    precision = PRECISION.get(place.kind)
    if precision and place.lat is not None and place.lon is not None:
        return Location(name, place.canonical, place.country or None, place.admin1 if place.kind != "country" else None,
                        place.lat, place.lon, *precision, place.geonameid, reason)
    country = _country(place.country) if place.country else None
    if country is None or country.lat is None:
        return Location(name, place.canonical, place.country or None, None, geonameid=place.geonameid,
                        reason=reason + "+no-point")
    return Location(name, place.canonical, place.country, None, country.lat, country.lon, *PRECISION["country"],
                    place.geonameid, reason + "+country-point")


def dominant_country(names: Iterable[str]) -> str | None:
    """The country most of the resolvable names lie in (first seen wins a tie), as context for `geocode`."""
    counts = collections.Counter(loc.country for loc in map(geocode, names) if loc.country and loc.precision)
    return counts.most_common(1)[0][0] if counts else None


def _clean(name: str) -> tuple[str, list[str]]:
    """The name without quotes, a bracketed tail, a leading preposition or a settlement word
    ("В г. Жанаозене" → "Жанаозене", "Грузии (МВД)" → "Грузии")."""
    words, tags = _TRIM.sub("", _BRACKETED.sub("", name.replace("\u00a0", " "))).split(), []
    if len(words) > 1 and words[0].lower() in PREPOSITIONS:
        words, tags = words[1:], ["preposition"]
    if len(words) > 1 and words[0].lower() in TOWN_WORDS:
        words, tags = words[1:], tags + ["town-word"]
    return " ".join(words), tags


def _short_name(text: str) -> list[Place]:
    """Case forms of names too short for the gazetteer's stems ("Оше" of Ош, "Уфе" of Уфа): the word less a case
    ending, plus a nominative ending, must be a name in the table as it stands."""
    word = fold(text)
    if " " in word or len(word) > SHORT_NAME + 2:
        return []
    out = []
    for ending in SHORT_CASE_ENDINGS:
        stem = word[:-len(ending)]
        if word.endswith(ending) and len(stem) >= 2:
            for nominative in SHORT_NOMINATIVE_ENDINGS:
                out += [p for p in gazetteer().find(stem + nominative)
                        if len(p.name) <= SHORT_NAME and fold(p.name) == stem + nominative]
    return sorted(set(out), key=Place.rank)


def _choose(places: list[Place], context: str | None) -> tuple[Place, list[str]]:
    """One place among the gazetteer's readings (best first), and the rules that chose it."""
    readings: dict[tuple, Place] = {}
    for p in places:   # one reading per place, by its canonical spelling when that matched too
        if p.key not in readings or fold(p.name) == fold(p.canonical) != fold(readings[p.key].name):
            readings[p.key] = p
    distinct = [p for p in readings.values() if not _city_unit(p, readings.values())]
    if len(distinct) == 1:
        return distinct[0], []
    tags = []
    top = distinct[0]
    if context and top.country != context and top.kind not in ABOVE_CONTEXT:
        local = [p for p in distinct if p.country == context]
        if local:
            distinct, tags = local, ["context-country"]
            if len(local) == 1:
                return local[0], tags
    first, second = distinct[0], distinct[1]
    return first, tags + ["kind" if first.rank()[0] != second.rank()[0] else "largest"]


def _city_unit(place: Place, others: Iterable[Place]) -> bool:
    """A region that is a city of its own (Алматы, Киев) read next to that city: one place, not two."""
    return place.kind == "region" and place.lat is not None and any(
        o.kind in TOWN_KINDS and o.country == place.country and o.lat is not None
        and abs(o.lat - place.lat) + abs(o.lon - place.lon) < SAME_PLACE_DEGREES for o in others)


@functools.cache
def _countries() -> dict[str, Place]:
    out: dict[str, Place] = {}
    for p in gazetteer().places():
        if p.kind == "country" and p.lat is not None and (p.country not in out or p.name == p.canonical):
            out[p.country] = p
    return out


def _country(cc: str) -> Place | None:
    return _countries().get(cc)
