"""Event clustering: tables of two mentions → one event or two, with the reason."""
from __future__ import annotations

import pytest

from letopis.corpus.clustering import best_event, compare, count_tallies, summary, summary_from_tallies, window
from letopis.corpus.mentions import EventMention, stems

ALMATY = {"name": "Алматы", "canonical": "Алматы", "country": "KZ", "admin1": "Алматы", "lat": 43.25, "lon": 76.91,
          "precision": "town"}
TALDYKORGAN = {"name": "Талдыкорган", "canonical": "Талдыкорган", "country": "KZ", "admin1": "Алматинская область",
               "lat": 45.0, "lon": 78.4, "precision": "town"}
KAZAKHSTAN = {"name": "Казахстан", "canonical": "Казахстан", "country": "KZ", "lat": 48.0, "lon": 68.0,
              "precision": "country"}
OSH = {"name": "Ош", "canonical": "Ош", "country": "KG", "lat": 40.5, "lon": 72.8, "precision": "town"}


def mention(doc: str, type_: str = "ASSAULT", date: str | None = "2022-01-06", end: str | None = None,
            location: dict | None = ALMATY, actors=(), targets=(), words: str = "", published: str | None = "2022-01",
            modality: str = "asserted", precision: str | None = None, mode: str | None = None) -> EventMention:
    return EventMention(
        id=f"{doc}:0", doc_id=doc, source=f"{doc}.txt", index=0, type=type_, mode=mode, span=(0, 10), trigger="",
        date_start=date, date_end=end or date, precision=precision or ("day" if date and len(date) == 10 else
                                                                       "month" if date else None),
        date_span=None, place=location["name"] if location else None, place_span=None, location=location,
        country=location["country"] if location else "KZ", actors=tuple(actors), targets=tuple(targets),
        modality=modality, published=published, words=stems(words))


# (first mention, second mention, joined?, a reason that must be given)
CASES = [
    (mention("a", actors=["власти Казахстана"]), mention("b", actors=["власти Казахстана"]), True, "same day"),
    (mention("a"), mention("b", date="2022-01-07"), False, None),
    (mention("a"), mention("b", location=TALDYKORGAN), False, None),
    (mention("a", location=KAZAKHSTAN), mention("b"), True, "nested place"),
    (mention("a", type_="PROTEST"), mention("b"), False, None),
    (mention("a", date="2022-01-04", end="2022-01-05"), mention("b", date="2022-01-05"), True, "overlapping dates"),
    (mention("a", location=OSH), mention("b"), False, None),
    (mention("a"), mention("b", modality="future"), False, None),
    (mention("a", type_="COERCE", mode="arrest"), mention("b", type_="COERCE", mode="censor"), False, None),
    (mention("a", type_="COERCE", mode="arrest"), mention("b", type_="COERCE", mode=None), True, "same day"),
    # undated: joins only with place and words to go on, and only near its article's date
    (mention("a", words="силовики открыли огонь по демонстрантам"),
     mention("b", date=None, words="силовики открывали огонь по мирным демонстрантам", actors=["силовики"]),
     True, "same place"),
    (mention("a"), mention("b", date=None, published="2023-05"), False, None),
]


@pytest.mark.parametrize("first,second,joined,reason", CASES)
def test_clustering_compare(first, second, joined, reason):
    verdict = compare(second, first)
    assert (verdict is not None) is joined, verdict
    if reason:
        assert reason in verdict.reasons


def test_clustering_no_chaining_across_days():
    events = {"ev-1": [mention("a", date="2022-01-05"), mention("b", date="2022-01-05")]}
    assert best_event(mention("c", date="2022-01-05"), events)[0] == "ev-1"
    mixed = {"ev-1": [mention("a", date="2022-01-05", end="2022-01-06"), mention("b", date="2022-01-05")]}
    assert best_event(mention("c", date="2022-01-06"), mixed) is None


def test_clustering_undated_mention_stays_alone_when_ambiguous():
    w = "военные стреляли по гражданским"
    events = {"ev-1": [mention("a", words=w)], "ev-2": [mention("b", date="2022-01-07", words=w)]}
    assert best_event(mention("c", date=None, words=w), events) is None


def test_clustering_window_of_undated_mention():
    start, end = window(mention("a", date=None, published="2022-01-20"))
    assert str(end) == "2022-01-20" and (end - start).days == 45


def test_clustering_summary_prefers_precise_date_and_place():
    members = [mention("a", date="2022-01", location=KAZAKHSTAN), mention("b"), mention("c")]
    s = summary(members)
    assert s["date"] == {"start": "2022-01-06", "end": "2022-01-06", "precision": "day"}
    assert s["location"]["canonical"] == "Алматы" and s["country"] == "KZ"


# --- the summary kept from tallies equals the summary of the members -----------------------------------------

UNKNOWN_PLACE = {"name": "Бозторгай-Сай", "canonical": None, "country": "KG", "lat": None, "lon": None,
                 "precision": None}
ALMATY_AS_WRITTEN = ALMATY | {"name": "Алмате"}          # the same place, as another article wrote it
NOWHERE = {"name": "Зеленый Мыс", "canonical": None, "country": None, "lat": None, "lon": None, "precision": None}


def random_members(seed: int) -> list[EventMention]:
    import dataclasses
    import random
    rng = random.Random(seed)
    places = [ALMATY, ALMATY_AS_WRITTEN, TALDYKORGAN, KAZAKHSTAN, OSH, UNKNOWN_PLACE, NOWHERE, None]
    dates = [("2022-01-06", "day"), ("2022-01-07", "day"), ("2022-01", "month"), ("2022", "year"), (None, None)]
    names = ["власти", "полиция", "МВД", "протестующие", "ОДКБ", "медики"]
    members = []
    for i in range(rng.randint(1, 12)):
        date, precision = rng.choice(dates)
        m = mention(f"doc-{rng.randint(0, 5)}", date=date, precision=precision, location=rng.choice(places),
                    actors=rng.choices(names, k=rng.randint(0, 3)), targets=rng.choices(names, k=rng.randint(0, 2)),
                    mode=rng.choice([None, "arrest", "censor"]))
        members.append(dataclasses.replace(m, id=f"{m.doc_id}:{i}", background=rng.random() < 0.3,
                                           country=rng.choice([m.country, "KG", None])))
    return sorted(members, key=lambda m: m.id)


def test_clustering_summary_of_a_place_without_country_and_no_country_said():
    import dataclasses
    members = [dataclasses.replace(mention("a", location=NOWHERE), country=None)]
    rows = [r for r in count_tallies(members) if r[0] != "doc"]
    assert summary(members)["country"] is None
    assert summary_from_tallies(members[0].type, rows) == summary(members)


@pytest.mark.parametrize("seed", range(300))
def test_clustering_summary_from_tallies_equals_summary(seed):
    members = random_members(seed)
    rows = [r for r in count_tallies(members) if r[0] != "doc"]
    assert summary_from_tallies(members[0].type, rows) == summary(members)


def test_clustering_tallies_added_one_by_one_equal_the_count(tmp_path):
    from letopis.store.corpus import CorpusTables
    from letopis.store.sqlite import Store

    import dataclasses
    members = random_members(7) + [dataclasses.replace(m, id=f"x{m.id}") for m in random_members(8)]
    with Store(tmp_path / "t.db") as store:
        store.db.execute("PRAGMA foreign_keys=OFF")
        tables = CorpusTables(store.db)
        for m in reversed(members):
            tables.add_mention(m, "ev-1", "new")
        rows, n_mentions, n_sources = tables.tallies("ev-1")
    counted = count_tallies(members)
    assert sorted(rows) == sorted(r for r in counted if r[0] != "doc")
    assert (n_mentions, n_sources) == (len(members), len({m.doc_id for m in members}))
