"""Time expressions: tables of Russian sentences → (span text, start, end, precision), then the seed gate."""
from __future__ import annotations

import importlib.util
import json
import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from letopis.annotate.times import PRECISIONS, TimeExpr, find_times
from letopis.ingest.document import PartialDate

SHARED = Path("/work/shared")
SEED_RECALL_FLOOR = 0.9


def times(text: str, anchor: str | None) -> list[tuple]:
    return [(t.text, t.start, t.end, t.precision) for t in find_times(text, PartialDate.parse(anchor))]


ABSOLUTE = [
    ("Соглашение подписали 2 января 2022 года в Минске.", None,
     [("2 января 2022 года", "2022-01-02", "2022-01-02", "day")]),
    ("Указ вступил в силу 14 марта 2020 г. и действует до сих пор.", "2022-01",
     [("14 марта 2020 г.", "2020-03-14", "2020-03-14", "day")]),
    ("Протокол датирован 16.12.2011, копия от 2011-12-17.", None,
     [("16.12.2011", "2011-12-16", "2011-12-16", "day"), ("2011-12-17", "2011-12-17", "2011-12-17", "day")]),
    ("Январь 2022 года стал самым тревожным месяцем.", None,
     [("Январь 2022 года", "2022-01-01", "2022-01-31", "month")]),
    ("Цены на газ выросли в январе 2022.", None, [("в январе 2022", "2022-01-01", "2022-01-31", "month")]),
    ("Забастовка началась в мае 2011 года.", None, [("в мае 2011 года", "2011-05-01", "2011-05-31", "month")]),
    ("Первые забастовки прошли в 2011 году.", None, [("в 2011 году", "2011-01-01", "2011-12-31", "year")]),
    ("2022 год начался с протестов.", None, [("2022 год", "2022-01-01", "2022-12-31", "year")]),
    ("Реформу провели в 2015–2016 годах.", None, [("2015–2016 годах", "2015-01-01", "2016-12-31", "year")]),
    ("К концу 2021 года цены удвоились.", None, [("К концу 2021 года", "2021-10-01", "2021-12-31", "month")]),
    ("Выборы назначены на 31 ДЕКАБРЯ 2023 ГОДА.", None,
     [("31 ДЕКАБРЯ 2023 ГОДА", "2023-12-31", "2023-12-31", "day")]),
    ("Закон приняли 15-го февраля 2019 года.", None,
     [("15-го февраля 2019 года", "2019-02-15", "2019-02-15", "day")]),
]

PARTIAL = [
    ("Об этом министр сообщил 9 января.", "2022-01", [("9 января", "2022-01-09", "2022-01-09", "day")]),
    ("Митинг прошел 29 декабря.", "2022-01-05", [("29 декабря", "2021-12-29", "2021-12-29", "day")]),
    ("Сессия откроется 3 января.", "2021-12-30", [("3 января", "2022-01-03", "2022-01-03", "day")]),
    ("Первые задержания начались 20 июля.", "2022-07", [("20 июля", "2022-07-20", "2022-07-20", "day")]),
    ("Встреча состоится 12 мая.", "2022", [("12 мая", "2022-05-12", "2022-05-12", "day")]),
    ("Обращение прозвучало 7 января.", None, [("7 января", None, None, "day")]),
    # an undated text: the latest fully specified date before, failing that the first one after
    ("Войска вошли в город 4 января. Колонна на фото снята 6 января 2022 года.", None,
     [("4 января", "2022-01-04", "2022-01-04", "day"), ("6 января 2022 года", "2022-01-06", "2022-01-06", "day")]),
    ("Акции начались 30 декабря 2010 года, а 3 января их разогнали.", None,
     [("30 декабря 2010 года", "2010-12-30", "2010-12-30", "day"), ("3 января", "2011-01-03", "2011-01-03", "day")]),
    # the anchor wins over a year written elsewhere in the text
    ("Как и 5 января 2011 года, 5 января люди вышли снова.", "2022-01",
     [("5 января 2011 года", "2011-01-05", "2011-01-05", "day"), ("5 января", "2022-01-05", "2022-01-05", "day")]),
]

RANGES = [
    ("Режим ЧП действовал с 2 по 5 января.", "2022-01", [("с 2 по 5 января", "2022-01-02", "2022-01-05", "day")]),
    ("Интернет отключали 2–5 января.", "2022-01", [("2–5 января", "2022-01-02", "2022-01-05", "day")]),
    ("Траур объявили с 4 по 6 января 2022 года.", None,
     [("с 4 по 6 января 2022 года", "2022-01-04", "2022-01-06", "day")]),
    ("Праздники длились с 30 декабря по 3 января.", "2022-01",
     [("с 30 декабря по 3 января", "2021-12-30", "2022-01-03", "day")]),
    ("В ночь с 4 на 5 января горели здания акимата.", "2022-01",
     [("В ночь с 4 на 5 января", "2022-01-04", "2022-01-05", "day")]),
    ("В ночь на 5 января в городе стреляли.", "2022-01",
     [("В ночь на 5 января", "2022-01-04", "2022-01-05", "day")]),
    ("в ночь с 31 декабря на 1 января было тихо", "2022-01",
     [("в ночь с 31 декабря на 1 января", "2021-12-31", "2022-01-01", "day")]),
    ("Утром 6 января в город вошли войска.", "2022-01", [("Утром 6 января", "2022-01-06", "2022-01-06", "day")]),
    ("Вечером 5 января связь пропала.", "2022-01", [("Вечером 5 января", "2022-01-05", "2022-01-05", "day")]),
    ("Днём 5 января толпа двинулась к площади.", "2022-01",
     [("Днём 5 января", "2022-01-05", "2022-01-05", "day")]),
    ("Пикет прошел с 18.00 до 19.00 у посольства.", "2011-12-16",
     [("с 18.00 до 19.00", "2011-12-16", "2011-12-16", "day")]),
    ("Пикет прошел с 18:00 до 19:00 у посольства.", "2011-12", [("с 18:00 до 19:00", None, None, "day")]),
]

RELATIVE = [
    ("Сегодня у здания суда собрались люди.", "2011-12-16", [("Сегодня", "2011-12-16", "2011-12-16", "day")]),
    ("Сегодня днём полиция применила газ.", "2011-12-16",
     [("Сегодня днём", "2011-12-16", "2011-12-16", "day")]),
    ("Вчера вечером отключили свет, позавчера — воду.", "2022-01-10",
     [("Вчера вечером", "2022-01-09", "2022-01-09", "day"), ("позавчера", "2022-01-08", "2022-01-08", "day")]),
    ("Завтра парламент соберется вновь.", "2022-01-10", [("Завтра", "2022-01-11", "2022-01-11", "day")]),
    ("Накануне он заявил об отставке.", "2022-01-10", [("Накануне", "2022-01-09", "2022-01-09", "day")]),
    ("Сегодня здесь тихо.", "2022-01", [("Сегодня", None, None, "day")]),
    ("На этой неделе суд вынесет решение.", "2022-01-12", [("На этой неделе", "2022-01-10", "2022-01-16", "week")]),
    ("Об этом на неделе заявил МИД.", "2022-01-12", [("на неделе", "2022-01-10", "2022-01-16", "week")]),
    ("На прошлой неделе прошли обыски.", "2022-01-12",
     [("На прошлой неделе", "2022-01-03", "2022-01-09", "week")]),
    ("Я говорил с ним несколько дней назад.", "2022-01-12",
     [("несколько дней назад", "2022-01-05", "2022-01-10", "week")]),
    ("Его задержали 3 дня назад, а пять дней назад отпустили брата.", "2022-01-12",
     [("3 дня назад", "2022-01-09", "2022-01-09", "day"), ("пять дней назад", "2022-01-07", "2022-01-07", "day")]),
    ("Ровно месяц назад начались беспорядки.", "2022-02-05",
     [("Ровно месяц назад", "2022-01-05", "2022-01-05", "day")]),
    ("Месяц назад начались беспорядки.", "2022-02-05", [("Месяц назад", "2022-01-01", "2022-01-31", "month")]),
    ("Ровно месяц назад начались беспорядки.", None, [("Ровно месяц назад", None, None, "day")]),
    ("Митинг прошел 4 января. Через три дня прозвучал приказ.", "2022-01",
     [("4 января", "2022-01-04", "2022-01-04", "day"), ("Через три дня", "2022-01-07", "2022-01-07", "day")]),
    ("Через три дня истекает ультиматум.", "2022-01-10", [("Через три дня", "2022-01-13", "2022-01-13", "day")]),
    ("В прошлом году протестов не было, а в этом году их много.", "2022-01",
     [("В прошлом году", "2021-01-01", "2021-12-31", "year"), ("в этом году", "2022-01-01", "2022-12-31", "year")]),
    ("В прошлом месяце цены выросли.", "2022-02-03", [("В прошлом месяце", "2022-01-01", "2022-01-31", "month")]),
    ("На днях активиста отпустили.", "2022-01-20", [("На днях", "2022-01-13", "2022-01-19", "week")]),
]

MONTHISH = [
    ("В начале января сеть отключили.", "2022-01", [("В начале января", "2022-01-01", "2022-01-10", "week")]),
    ("В середине января связь вернули.", "2022-01", [("В середине января", "2022-01-11", "2022-01-20", "week")]),
    ("В конце февраля суды завершились.", "2022-03",
     [("В конце февраля", "2022-02-21", "2022-02-28", "week")]),
    ("К концу января погибших стало больше.", "2022-02", [("К концу января", "2022-01-21", "2022-01-31", "week")]),
    ("Все случилось в январе.", "2022-02", [("в январе", "2022-01-01", "2022-01-31", "month")]),
    ("Все случилось в декабре.", "2022-01-05", [("в декабре", "2021-12-01", "2021-12-31", "month")]),
    ("Начиная с марта цены растут.", "2022-05", [("Начиная с марта", "2022-03-01", "2022-03-31", "month")]),
    ("В начале двухтысячных годов тюрьмы были переполнены.", None,
     [("В начале двухтысячных годов", "2000-01-01", "2003-12-31", "decade")]),
    ("В начале 2000-х ситуация была иной.", None, [("В начале 2000-х", "2000-01-01", "2003-12-31", "decade")]),
    ("В 2000-х годах нефть дорожала.", None, [("В 2000-х годах", "2000-01-01", "2009-12-31", "decade")]),
    ("В девяностые заводы закрывались.", None, [("В девяностые", "1990-01-01", "1999-12-31", "decade")]),
    ("В 1990-е годы заводы закрывались.", None, [("В 1990-е годы", "1990-01-01", "1999-12-31", "decade")]),
    ("С конца 80-х люди уезжали.", None, [("С конца 80-х", "1987-01-01", "1989-12-31", "decade")]),
    # an impossible day is dropped; the month and year it was written with still stand
    ("Было 31 февраля 2022 года.", None, [("февраля 2022 года", "2022-02-01", "2022-02-28", "month")]),
]

NEGATIVE = [
    ("Расследование январских событий продолжается.", "2022-01", []),
    ("Погибли 225 человек, задержаны 10 тысяч.", "2022-01", []),
    ("Репортаж показали «1+1» и «Сити».", "2011-12-16", []),
    ("Пострадали 2 265 человек.", "2022-01", []),
    ("На площадь вышли 2022 человека.", "2022-01", []),
    ("Сбор назначен в 18.00 у входа.", "2022-01-10", []),
    ("Объявлено о 20 000 человек, а в тюрьмах 90 тысяч заключенных.", "2022-01", []),
    ("Команда заняла 10-е место.", "2022-01", []),
    ("Накануне выборов оппозицию задержали.", "2022-01-10", []),
    ("Через месяц после протестов власти сменили тон.", "2022-02-05", []),
    ("Ставка выросла с 10.50 до 11.20 процента.", "2022-01-10", []),
    ("В стране уже несколько дней нет связи.", "2022-01-10", []),
    ("Подробности: https://example.org/news/2011-12-16-1915 и [ссылка](/2011-12-16.md).", "2011-12-16", []),
    ("В конце протестующие спели гимн.", "2011-12-16", []),
]


@pytest.mark.parametrize("text,anchor,expected", ABSOLUTE)
def test_times_absolute(text, anchor, expected):
    assert times(text, anchor) == expected


@pytest.mark.parametrize("text,anchor,expected", PARTIAL)
def test_times_partial_dates_take_year_from_anchor(text, anchor, expected):
    assert times(text, anchor) == expected


@pytest.mark.parametrize("text,anchor,expected", RANGES)
def test_times_ranges_nights_and_parts_of_day(text, anchor, expected):
    assert times(text, anchor) == expected


@pytest.mark.parametrize("text,anchor,expected", RELATIVE)
def test_times_relative_to_anchor(text, anchor, expected):
    assert times(text, anchor) == expected


@pytest.mark.parametrize("text,anchor,expected", MONTHISH)
def test_times_month_parts_and_decades(text, anchor, expected):
    assert times(text, anchor) == expected


@pytest.mark.parametrize("text,anchor,expected", NEGATIVE)
def test_times_not_a_time(text, anchor, expected):
    assert times(text, anchor) == expected


def test_times_rule_and_clock_are_reported():
    [t] = find_times("Пикет прошел с 18.00 до 19.00.", PartialDate(2011, 12, 16))
    assert t.rule == "clock.range" and t.clock == ("18:00", "19:00")
    assert t.to_json()["clock"] == ["18:00", "19:00"]
    assert {t.rule for t in find_times("9 января и 9 января 2022 года", None)} == {"date.dm", "date.dmy"}


def test_times_case_forms_and_yo():
    found = times("Он приехал в ФЕВРАЛЕ, уехал в Марте, а перед январём вернулся. Днём 5 января его видели.", "2022-03")
    assert [f[0] for f in found] == ["в ФЕВРАЛЕ", "в Марте", "Днём 5 января"]


MONTH_GENITIVE = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
                  "ноября", "декабря"]


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(1800, 1, 1), max_value=date(2199, 12, 31)), st.sampled_from(["года", "г.", "год"]))
def test_times_property_written_date_round_trip(day, word):
    text = f"Это случилось {day.day} {MONTH_GENITIVE[day.month - 1]} {day.year} {word}"
    [t] = find_times(text, None)
    assert (t.start, t.end, t.precision) == (day.isoformat(), day.isoformat(), "day")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789 .:-–сспоянваряв ночьнаедлгодутромх")), max_size=60),
       st.sampled_from([None, "2022-01", "2022-01-09", "2022"]))
def test_times_property_spans_are_sorted_disjoint_and_valid(text, anchor):
    found = find_times(text, PartialDate.parse(anchor))
    stops = -1
    for t in found:
        s, e = t.span
        assert stops <= s < e <= len(text) and text[s:e] == t.text
        assert t.precision in PRECISIONS
        assert (t.start is None) == (t.end is None)
        assert t.start is None or t.start <= t.end
        assert TimeExpr.from_json(json.loads(json.dumps(t.to_json()))) == t
        stops = e


# -- the seed gate: recall of the gold times, with the scorer's matching rule -------------------------------

def _body_and_anchor(text: str) -> tuple[int, PartialDate | None]:
    """Where the article body starts, and its publication date, from a front matter or a ' date YYYY-MM ' prefix."""
    m = re.match(r'---\n.*?^date:\s*"?([\d-]+)"?\s*$.*?^---\n', text, re.S | re.M)
    m = m or re.match(r"\s*date\s+(\d{4}(?:-\d\d){0,2})\s", text)
    return (m.end(), PartialDate.parse(m[1])) if m else (0, None)


@pytest.mark.skipif(not (SHARED / "gold" / "seeds.jsonl").exists(), reason="shared seeds and gold not present")
def test_times_seed_recall():
    spec = importlib.util.spec_from_file_location("letopis_score", SHARED / "eval" / "score.py")
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    same = lambda p, g: score.date_ok(p, f"{g['start']}/{g['end']}") is True
    tp = fp = fn = resolved_fp = 0
    for line in (SHARED / "gold" / "seeds.jsonl").read_text(encoding="utf-8").splitlines():
        gold = json.loads(line)
        path = SHARED / "seeds" / gold["file"]
        with open(path, encoding="utf-8", newline="") as f:
            text = f.read()
        offset, anchor = _body_and_anchor(text)
        preds = []
        for t in find_times(text[offset:], anchor):
            d = t.to_json()
            d["span"] = [t.span[0] + offset, t.span[1] + offset]
            preds.append(d)
        t_, f_, n_, pairs = score.match(preds, gold.get("times") or [], text, same, score.MAX_SPAN["times"])
        tp, fp, fn = tp + t_, fp + f_, fn + n_
        hit = {id(p) for p, _ in pairs}
        resolved_fp += sum(1 for p in preds if p["start"] and id(p) not in hit)
    recall = tp / (tp + fn)
    print(f"\ntimes on seeds: recall {recall:.3f} ({tp}/{tp + fn}), precision {tp / (tp + fp):.3f} "
          f"over all predictions, {tp / (tp + resolved_fp):.3f} over resolved ones (gold is not exhaustive)")
    assert recall >= SEED_RECALL_FLOOR
