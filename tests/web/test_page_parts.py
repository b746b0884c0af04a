"""The parts the pages are built from: dates and numbers in Russian and English, text spans mapped onto the
shown body, overlapping marks cut into pieces, and the geometry of the timeline and the claim charts."""
from __future__ import annotations

import pytest

from letopis.corpus.ledger import Claim
from letopis.ingest.document import OffsetMap
from letopis.web import charts
from letopis.web.i18n import Translator, bounds, number, strings
from letopis.web.listings import snippet
from letopis.web.marks import BodyMap, Mark, context, segments

RU, EN = Translator("ru"), Translator("en")


@pytest.mark.parametrize("date,ru,en", [
    ({"start": "2023-03-03", "end": "2023-03-03", "precision": "day"}, "3 марта 2023", "3 March 2023"),
    ({"start": "2023-03-03", "end": "2023-03-04", "precision": "day"}, "3–4 марта 2023", "3–4 March 2023"),
    ({"start": "2023-02-28", "end": "2023-03-02", "precision": "day"}, "28 февраля – 2 марта 2023",
     "28 February – 2 March 2023"),
    ({"start": "2022-12-31", "end": "2023-01-01", "precision": "day"}, "31 декабря 2022 – 1 января 2023",
     "31 December 2022 – 1 January 2023"),
    ({"start": "2023-05", "end": "2023-05", "precision": "month"}, "май 2023", "May 2023"),
    ({"start": "2023", "end": "2023", "precision": "year"}, "2023", "2023"),
    (None, "без даты", "undated"),
])
def test_i18n_event_dates(date, ru, en):
    assert RU.date(date) == ru
    assert EN.date(date) == en


@pytest.mark.parametrize("low,high,shown", [
    (12, 12, "12"), (None, 12, "≤ 12"), (38, None, "≥ 38"), (20, 99, "20–99"), (2000, 9999, "2\u202f000–9\u202f999"),
    (5.0, 5.0, "5"), (None, None, "?"),
])
def test_i18n_claim_bounds(low, high, shown):
    assert bounds(low, high) == shown


@pytest.mark.parametrize("reason,ru,en", [
    ("same day; same place; similar words 0.38", "тот же день; то же место; похожие слова 0.38",
     "same day; same place; similar words 0.38"),
    ("nested place; shared target", "место внутри того же района; та же цель",
     "a place within the same area; shared target"),
    ("a rule not yet named", "a rule not yet named", "a rule not yet named"),
])
def test_i18n_join_reasons(reason, ru, en):
    assert RU.reasons(reason) == ru and EN.reasons(reason) == en


@pytest.mark.parametrize("code,ru,en", [("ASSAULT", "Насилие", "Assault"), ("protest", "Протест", "Protest")])
def test_i18n_event_types(code, ru, en):
    assert RU.type(code) == ru and EN.type(code) == en


@pytest.mark.parametrize("code,ru,en", [("KZ", "Казахстан", "Kazakhstan"), ("KG", "Кыргызстан", "Kyrgyzstan"),
                                        ("XX", "XX", "XX")])
def test_i18n_country_names(code, ru, en):
    assert RU.country(code) == ru and EN.country(code) == en


def test_i18n_every_string_has_both_languages():
    for table, rows in strings().items():
        if table in ("countries_en", "countries_ru", "months"):
            continue
        for key, row in rows.items():
            assert set(row) == {"ru", "en"} and all(row.values()), (table, key)
    assert number(12345) == "12\u202f345"


# An HTML page: text "<p>Акция в Оше</p><p>Задержаны 43 человека</p>", body "Акция в Оше\nЗадержаны 43 человека".
HTML = "<p>Акция в Оше</p><p>Задержаны 43 человека</p>"
BODY = "Акция в Оше\nЗадержаны 43 человека"
RUNS = OffsetMap(((0, 3, 11), (12, 21, 21)))


@pytest.mark.parametrize("text_span,shown", [
    ((3, 8), "Акция"),
    ((21, 30), "Задержаны"),
    ((31, 42), "43 человека"),
    ((3, 42), BODY),                      # across the markup between the paragraphs
    ((14, 21), None),                     # markup only: "</p><p>"
])
def test_marks_text_spans_map_onto_the_body(text_span, shown):
    span = BodyMap(RUNS, len(BODY)).span(text_span)
    assert (BODY[span[0]:span[1]] if span else None) == shown


def test_marks_overlapping_marks_cut_into_pieces():
    text = "Полиция задержала 43 человека в Оше"
    marks = [Mark(0, 35, "ev", "COERCE"), Mark(18, 29, "fig", "43", anchor="fig-0"), Mark(32, 35, "ent", "Ош")]
    pieces = segments(text, marks)
    assert [(p.text, p.layers) for p in pieces] == [
        ("Полиция задержала ", ("ev",)), ("43 человека", ("ev", "fig")), (" в ", ("ev",)), ("Оше", ("ev", "ent"))]
    assert pieces[1].anchors == ("fig-0",) and pieces[1].classes == "mk-ev mk-fig"
    assert "".join(p.text for p in pieces) == text


def test_marks_context_is_the_paragraph_or_nearby_sentences():
    body = "Первый абзац.\n" + "Вводная фраза. " * 40 + "Полиция задержала 43 человека. Потом ещё. " + "Хвост. " * 60
    start = body.index("Полиция")
    pieces = context(body, (start, start + 29), [Mark(start, start + 29, "ev")])
    shown = "".join(p.text for p in pieces)
    assert "Полиция задержала 43 человека." in shown and "Первый абзац" not in shown
    assert pieces[0].text == "… " and pieces[-1].text == " …"
    assert len(shown) < 300


@pytest.mark.parametrize("value,pieces", [
    ([{"text": "в Оше ", "match": False}, {"text": "погибли", "match": True}], [("в Оше ", ()), ("погибли", ("hit",))]),
    ([("погибших", True)], [("погибших", ("hit",))]),
    ("просто текст", [("просто текст", ())]),
    (None, []),
])
def test_listings_snippets_become_pieces(value, pieces):
    assert [(p.text, p.layers) for p in snippet(value)] == pieces


def _ev(id_, type_, start, end=None, place="Ош"):
    return {"id": id_, "type": type_, "date": {"start": start, "end": end or start, "precision": "day"},
            "location": {"name": place}}


def test_charts_timeline_lanes_rows_and_undated():
    events = [_ev("a", "PROTEST", "2023-03-01"), _ev("b", "PROTEST", "2023-03-01"), _ev("c", "PROTEST", "2023-03-20"),
              _ev("d", "ASSAULT", "2023-03-03", "2023-03-05"), {"id": "e", "type": "AID", "date": None}]
    tl = charts.timeline(events, RU.type, lambda ev: ev["id"], RU.short_day)
    assert [lane.type for lane in tl.lanes] == ["PROTEST", "ASSAULT"]         # the busiest lane first
    items = {it.id: it for it in tl.items}
    assert items["a"].x == items["b"].x and items["a"].y != items["b"].y       # same day: stacked, not overlapping
    assert items["c"].y == items["a"].y                                       # far apart: the same row
    assert items["d"].w > items["a"].w                                        # three days are longer than one
    assert [ev["id"] for ev in tl.undated] == ["e"]
    assert all(0 < it.x < tl.width for it in tl.items)


def _claim(i, claimant, day, low, high):
    return Claim(id=f"d:{i}", doc_id="d", source="a.txt", index=i, category="killed", low=low, high=high, span=(0, 1),
                 text="x", claimant=claimant, claimant_class="authorities", claimant_span=None, claimed_on=day,
                 claimed_on_rule="article", counts_to=None, mention_id=None, link_rule=None)


def test_charts_claims_one_series_per_claimant():
    claims = [_claim(0, "МВД", "2023-03-04", 12, 12), _claim(1, "МВД", "2023-03-07", 12, 12),
              _claim(2, "Кенес", "2023-03-06", 38, None), _claim(3, "Врачи", "2023-03", 20, 99),
              _claim(4, "Без даты", None, 5, 5)]
    ch = charts.claims_chart("killed", claims, series_of=lambda c: c.claimant, point_title=lambda c: c.id,
                             href=lambda c: c.id, fmt_day=RU.short_day, fmt_num=number)
    names = [s.name for s in ch.series]
    assert sorted(names) == ["Врачи", "Кенес", "МВД"]                          # the undated claim is left out
    mvd = next(s for s in ch.series if s.name == "МВД")
    assert len(mvd.points) == 2 and mvd.path.startswith("M") and " L" in mvd.path
    kenes = next(s for s in ch.series if s.name == "Кенес").points[0]
    assert kenes.open_up and not kenes.open_down
    doctors = next(s for s in ch.series if s.name == "Врачи").points[0]
    assert doctors.approx and doctors.y_low > doctors.y_high                  # a bar from 20 up to 99
    assert [t.label for t in ch.y_ticks] == ["0", "25", "50", "75", "100", "125"]
    assert charts.claims_chart("x", [claims[-1]], lambda c: "", lambda c: "", lambda c: "", str, str) is None


@pytest.mark.parametrize("peak,step", [(10, 2), (41, 10), (108, 25), (0.5, 0.1), (9999, 2000), (60, 20), (3, 1)])
def test_charts_nice_steps(peak, step):
    assert charts.nice_step(peak) == pytest.approx(step)
