"""Countries as ACLED writes them: ISO numeric code, English name and ACLED region, from `countries.tsv`.

    >>> country("KZ")
    Country(iso2='KZ', iso3='KAZ', numeric=398, name='Kazakhstan', region='Caucasus and Central Asia')
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

COUNTRIES_PATH = Path(__file__).with_name("countries.tsv")


@dataclass(frozen=True, slots=True)
class Country:
    iso2: str
    iso3: str
    numeric: int
    name: str
    region: str


@functools.cache
def _table() -> dict[str, Country]:
    out = {}
    lines = [l for l in COUNTRIES_PATH.read_text(encoding="utf-8").splitlines() if l and not l.startswith("#")]
    for line in lines[1:]:
        iso2, iso3, numeric, name, region = line.split("\t")
        out[iso2] = Country(iso2, iso3, int(numeric), name, region)
    return out


def country(iso2: str | None) -> Country | None:
    """The country of an ISO 3166-1 alpha-2 code (any case), or None when unknown."""
    return _table().get((iso2 or "").strip().upper())
