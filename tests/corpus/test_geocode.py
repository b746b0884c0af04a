"""Offline geocoding: Russian place names in any case form → point, country, oblast, precision and the rule used."""
from __future__ import annotations

import math

import pytest

from letopis.annotate.gazetteer import gazetteer
from letopis.corpus.geocode import Location, dominant_country, geocode

# degrees of tolerance around a reference point, by precision: a town's point is the town; a region's is a town
# inside it (not its administrative centre); a country's is a label point near its middle
TOLERANCE = {"town": 0.05, "region": 1.5, "country": 5.0}


def _near(loc: Location, lat: float, lon: float) -> bool:
    tol = TOLERANCE[loc.precision]
    return abs(loc.lat - lat) <= tol and abs(loc.lon - lon) * math.cos(math.radians(lat)) <= tol


# name, canonical, country, admin1, reference point (independent of the data), precision, ACLED, PLOVER, reason
RESOLVED = [
    ("Алматы", "Алматы", "KZ", "Алматы", (43.25, 76.92), "town", 1, "city", "exact"),
    ("Жанаозен", "Жанаозен", "KZ", "Мангистауская область", (43.34, 52.86), "town", 1, "city", "exact"),
    ("Талдыкоргане", "Талдыкорган", "KZ", "Жетысуская область", (45.02, 78.37), "town", 1, "city", "case-form"),
    ("в Талдыкоргане", "Талдыкорган", "KZ", "Жетысуская область", (45.02, 78.37), "town", 1, "city",
     "case-form+preposition"),
    ("Киеве", "Киев", "UA", "Киев", (50.45, 30.52), "town", 1, "city", "case-form"),
    ("Бишкек", "Бишкек", "KG", "Бишкек", (42.87, 74.59), "town", 1, "city", "exact"),
    ("Ош", "Ош", "KG", "Ошская область", (40.53, 72.80), "town", 1, "city", "exact"),
    ("Узгене", "Узген", "KG", "Ошская область", (40.77, 73.30), "town", 1, "city", "case-form"),
    ("Оше", "Ош", "KG", "Ошская область", (40.53, 72.80), "town", 1, "city", "case-form"),   # a two-letter stem
    ("Уфе", "Уфа", "RU", "Республика Башкортостан", (54.74, 55.97), "town", 1, "city", "case-form"),
    ("В Шахтинске", "Шахтинск", "KZ", "Карагандинская область", (49.71, 72.59), "town", 1, "city",
     "case-form+preposition"),
    ("Москва", "Москва", "RU", "Москва", (55.75, 37.62), "town", 1, "city", "exact+kind"),
    ("Алма-Ате", "Алматы", "KZ", "Алматы", (43.25, 76.92), "town", 1, "city", "case-form+alias"),
    ("г. Жанаозен", "Жанаозен", "KZ", "Мангистауская область", (43.34, 52.86), "town", 1, "city", "exact+town-word"),
    ("«Актау»", "Актау", "KZ", "Мангистауская область", (43.65, 51.17), "town", 1, "city", "exact"),
    # regions: the reference is the administrative centre (Актау, Конаев, Якутск)
    ("Мангистауской области", "Мангистауская область", "KZ", "Мангистауская область", (43.65, 51.17), "region", 3,
     "admin1", "case-form"),
    ("Алматинской области", "Алматинская область", "KZ", "Алматинская область", (43.87, 77.07), "region", 3,
     "admin1", "case-form"),
    ("Мангистау", "Мангистауская область", "KZ", "Мангистауская область", (43.65, 51.17), "region", 3, "admin1",
     "exact+alias"),
    ("Московской области", "Московская область", "RU", "Московская область", (55.75, 37.62), "region", 3, "admin1",
     "case-form"),
    ("Чуйской области", "Чуйская область", "KG", "Чуйская область", (42.87, 74.59), "region", 3, "admin1",
     "case-form"),
    # countries
    ("Казахстан", "Казахстан", "KZ", None, (48.0, 67.0), "country", 3, "country", "exact"),
    ("Кыргызстане", "Киргизия", "KG", None, (41.5, 74.5), "country", 3, "country", "case-form+alias"),
    ("Республики Казахстан", "Казахстан", "KZ", None, (48.0, 67.0), "country", 3, "country", "case-form+alias"),
    ("Грузии (МВД)", "Грузия", "GE", None, (42.0, 43.5), "country", 3, "country", "case-form"),   # NER's bracket
    # no point of its own: the country's, at country precision
    ("Донбассе", "Донбасс", "UA", None, (49.0, 31.5), "country", 3, "country", "case-form+country-point"),
    ("Сибири", "Сибирь", "RU", None, (61.0, 100.0), "country", 3, "country", "case-form+country-point"),
]


@pytest.mark.parametrize("name,canonical,country,admin1,ref,precision,acled,plover,reason", RESOLVED)
def test_geocode_resolves(name, canonical, country, admin1, ref, precision, acled, plover, reason):
    loc = geocode(name)
    assert (loc.name, loc.canonical, loc.country, loc.admin1) == (name, canonical, country, admin1)
    assert (loc.precision, loc.geo_precision, loc.plover_resolution, loc.reason) == (precision, acled, plover, reason)
    assert _near(loc, *ref), (loc.lat, loc.lon)


@pytest.mark.parametrize("name", ["Бозторгай-Сай", "Бозторгай-Сае", "Мосвка", "Талдыкорганистан", "Ошами", "", "в"])
def test_geocode_unknown_keeps_name_without_position(name):
    loc = geocode(name)
    assert loc == Location(name)
    assert (loc.canonical, loc.lat, loc.lon, loc.precision, loc.geo_precision, loc.reason) == (
        None, None, None, None, None, "unknown")
    assert not loc.known


# the same name in several countries: the article's country first, then kind and population
@pytest.mark.parametrize("name,context,country,canonical,reason", [
    ("Аксай", None, "RU", "Аксай", "exact+largest"),            # Rostov oblast, 39k, over Kazakhstan's, 35k
    ("Аксай", "KZ", "KZ", "Аксай", "exact+context-country"),
    ("Аксае", "kz", "KZ", "Аксай", "case-form+context-country"),
    ("Аксай", "UZ", "RU", "Аксай", "exact+largest"),             # no Аксай in the context country
    ("Москва", "TM", "RU", "Москва", "exact+kind"),              # a capital is not displaced by a village Москва
    ("Алтай", None, "KZ", "Алтай", "exact+kind"),                # the town (ex-Зыряновск) before the republic
    ("Алтай", "RU", "RU", "Республика Алтай", "exact+alias+context-country"),
])
def test_geocode_ambiguous_name_resolved_by_country_context(name, context, country, canonical, reason):
    loc = geocode(name, context)
    assert (loc.country, loc.canonical, loc.reason) == (country, canonical, reason)
    assert loc.lat is not None


def test_geocode_ambiguous_pick_lands_in_the_context_country():
    ru, kz = geocode("Аксай"), geocode("Аксай", "KZ")
    assert _near(ru, 47.27, 39.87) and _near(kz, 51.17, 53.00)
    assert ru.admin1 == "Ростовская область" and kz.admin1 == "Западно-Казахстанская область"


def test_geocode_macro_region_across_countries_has_no_position():
    loc = geocode("Центральной Азии")
    assert (loc.canonical, loc.country, loc.lat, loc.precision, loc.reason) == (
        "Центральная Азия", None, None, None, "case-form+no-point")


@pytest.mark.parametrize("loc", [geocode("Талдыкоргане"), geocode("Бозторгай-Сай"), geocode("Донбасс")])
def test_geocode_json_round_trip(loc):
    assert Location.from_json(loc.to_json()) == loc
    assert set(loc.to_json()) == {"name", "canonical", "country", "admin1", "lat", "lon", "precision",
                                  "geo_precision", "plover_resolution", "geonameid", "reason"}


@pytest.mark.parametrize("names,country", [
    (["Жанаозен", "Актау", "Москва", "Мангистауской области"], "KZ"),
    (["Бишкек", "Оше", "Узгене", "Алматы"], "KG"),
    (["Бозторгай-Сай", "Центральной Азии"], None),
])
def test_geocode_dominant_country(names, country):
    assert dominant_country(names) == country


def test_geocode_every_kazakh_and_kyrgyz_region_has_a_point_inside_its_country():
    boxes = {"KZ": (40.5, 55.5, 46.5, 87.5), "KG": (39.1, 43.3, 69.2, 80.3)}   # lat, lon bounds
    regions = [p for p in gazetteer().places() if p.kind == "region" and p.country in boxes]
    assert len({p.canonical for p in regions}) >= 20 + 9
    for p in regions:
        s, n, w, e = boxes[p.country]
        assert p.lat is not None and s <= p.lat <= n and w <= p.lon <= e, p


def test_geocode_towns_know_their_oblast():
    towns = [p for p in gazetteer().places() if p.kind in ("city", "capital") and p.country in ("KZ", "KG", "RU")]
    assert sum(p.admin1 is not None for p in towns) / len(towns) > 0.98
    assert all(p.lat is not None and p.point == "gn" for p in towns)
