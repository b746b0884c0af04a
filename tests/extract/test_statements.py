"""Statements: tables of Russian sentences → (a phrase inside the span, speaker, date), then the seed gate."""
from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest

from letopis.annotate.nlp import Annotator
from letopis.annotate.times import find_times
from letopis.extract.statements import Statement, find_quotes, find_statements, needs_parse
from letopis.ingest.document import PartialDate

SHARED = Path("/work/shared")
SEED_F1_FLOOR = 0.75
SEED_DATE_FLOOR = 0.70


@pytest.fixture(scope="session")
def annotator():
    return Annotator(parse=needs_parse)


def statements(annotator, text: str, anchor: str | None = None) -> list[Statement]:
    return find_statements(text, annotator(text), find_times(text, PartialDate.parse(anchor)))


def summary(text: str, st: list[Statement]) -> list[tuple]:
    return [(text[s.span[0]:s.span[1]], s.speaker_name, s.date) for s in st]


# (text, anchor, [(phrase inside the span, speaker, date)])
CASES = [
    # direct quote, attribution after a dash
    ("«Мы не намерены отступать от своих требований и продолжим забастовку», — сказал лидер профсоюза "
     "Иван Петров.", None, [("Мы не намерены отступать", "Иван Петров", None)]),
    # reported speech with the day it was said
    ("Министр финансов Анна Смирнова 12 марта заявила, что бюджет будет пересмотрен до конца года.", "2023-03",
     [("бюджет будет пересмотрен", "Анна Смирнова", "2023-03-12")]),
    # a pronoun points to the person named before
    ("Глава ведомства Олег Васильев выступил на брифинге. Он подчеркнул, что ситуация остается под контролем.",
     None, [("ситуация остается под контролем", "Олег Васильев", None)]),
    # "по словам X, …"
    ("По словам Сергея Кузнецова, переговоры с профсоюзом зашли в тупик.", None,
     [("переговоры с профсоюзом зашли в тупик", "Сергей Кузнецов", None)]),
    # a lead-in with a colon, the quote in its own paragraph
    ("Правозащитница Мария Орлова рассказывает:\n\n«Нас не пускали к задержанным несколько суток подряд, "
     "адвокатов тоже не было».", None, [("Нас не пускали к задержанным", "Мария Орлова", None)]),
    # a collective speaker
    ("В МВД сообщили, что задержаны более ста человек.", None, [("задержаны более ста человек", "МВД", None)]),
    # quote fragments split by narration are one statement
    ("«Мы готовы к диалогу с любыми сторонами конфликта», — заявил Петр Иванов. «Но угрожать нам "
     "бесполезно, мы не уступим никакому давлению».", None,
     [("Но угрожать нам бесполезно", "Петр Иванов", None)]),
    # "Об этом … сообщил": the words are the sentence before, the date is the one in the attribution
    ("Власти перекрыли въезд в город. Об этом 5 мая сообщил губернатор области Виктор Соколов.", "2021-05",
     [("перекрыли въезд в город", "Виктор Соколов", "2021-05-05")]),
    # a judging label after "назвал"
    ("Премьер Ольга Белова назвала это решение «поспешным и необдуманным».", None,
     [("поспешным и необдуманным", "Ольга Белова", None)]),
    # "тогда" takes the day named before
    ("Сергей Лебедев выступил в парламенте 3 февраля. Тогда он отметил, что реформа провалилась.", "2020-02",
     [("реформа провалилась", "Сергей Лебедев", "2020-02-03")]),
]

# words named by a noun or carried by a document, and present-tense reports dated by the article's day:
# (text, article day, [(phrase inside the span, speaker, date)])
ACT_CASES = [
    ("Amnesty International обратилась к властям Грузии с призывом освободить задержанных журналистов.", None,
     [("освободить задержанных журналистов", "Amnesty International", None)]),
    ("Профсоюз горняков выступил с требованием повысить зарплату на треть.", None,
     [("повысить зарплату на треть", "Профсоюз горняков", None)]),
    ("Парламент Армении 14 апреля принял резолюцию, в которой осудил применение силы против демонстрантов.",
     "2021-04-20", [("осудил применение силы", "Парламент Армении", "2021-04-14")]),
    ("Комитет «Кенес» заявляет, что под завалами остаются еще шесть горняков.", "2023-03-06",
     [("под завалами остаются", "Комитет «Кенес»", "2023-03-06")]),
    ("Комитет «Кенес» заявил, что под завалами остаются еще шесть горняков.", "2023-03-06",
     [("под завалами остаются", "Комитет «Кенес»", None)]),
]

NOT_STATEMENTS = [
    "Акцию освещали журналисты телеканала «Первый национальный канал Республики».",
    "Власти Казахстана ещё не сообщили точное число погибших.",
    "Демонстранты требовали снижения цен на топливо и отставки правительства.",
    "Его назвали «героем» и «спасителем».",
    "Правительство обратилось к соседям с просьбой прислать спасателей.",
    "Депутаты не приняли резолюцию, в которой осуждались действия полиции.",
]


@pytest.mark.parametrize("text,anchor,expected", CASES)
def test_statements_found(annotator, text, anchor, expected):
    got = summary(text, statements(annotator, text, anchor))
    assert len(got) == len(expected), got
    for (span_text, speaker, date), (phrase, want_speaker, want_date) in zip(got, expected):
        assert phrase in span_text
        assert speaker == want_speaker
        assert date == want_date


@pytest.mark.parametrize("text,today,expected", ACT_CASES)
def test_statements_speech_acts_and_present_tense(annotator, text, today, expected):
    anchor = PartialDate.parse(today) if today else None
    got = summary(text, find_statements(text, annotator(text), find_times(text, anchor), today=today))
    assert len(got) == len(expected), got
    for (span_text, speaker, date), (phrase, want_speaker, want_date) in zip(got, expected):
        assert phrase in span_text
        assert speaker == want_speaker
        assert date == want_date


@pytest.mark.parametrize("text", NOT_STATEMENTS)
def test_statements_not_a_statement(annotator, text):
    assert summary(text, statements(annotator, text)) == []


@pytest.mark.parametrize("text,expected", [
    ("Он сказал «да» и «нет».", ["да", "нет"]),
    ("«Внешний „заказ“ исключен», — сказал он.", ["Внешний „заказ“ исключен"]),
    ('Депутат заявил: "Мы против".', ["Мы против"]),
    ("— Мы не отступим, — заявил он.", ["Мы не отступим"]),
])
def test_statements_find_quotes(text, expected):
    assert [text[a:b] for a, b in find_quotes(text)] == expected


@pytest.mark.parametrize("text,lemmas,expected", [
    ("Министр заявил об этом.", ["министр", "заявить", "о", "это", "."], True),
    ("«Довольно», — сказал он.", ["«", "довольно", "»"], True),
    ("По словам врачей, больных стало меньше.", ["по", "слово", "врач"], True),
    ("Митинг прошел спокойно.", ["митинг", "пройти", "спокойно", "."], False),
])
def test_statements_needs_parse(text, lemmas, expected):
    assert needs_parse(text, lemmas) is expected


def test_statements_json_round_trip(annotator):
    text = "Министр финансов Анна Смирнова 12 марта заявила, что бюджет будет пересмотрен до конца года."
    st = statements(annotator, text, "2023-03")[0]
    d = st.to_json()
    assert d["speaker"]["name"] == "Анна Смирнова" and d["date"] == "2023-03-12"
    assert text[slice(*d["speaker"]["span"])] == "Анна Смирнова"
    assert Statement.from_json(json.loads(json.dumps(d))) == st


def test_statements_entity_name_callback(annotator):
    text = "Госсекретарь Петров заявил, что переговоры продолжатся."
    st = find_statements(text, annotator(text), [], entity_name=lambda span: "Иван Петров")
    assert [(s.speaker_name, s.speaker_entity) for s in st] == [("Иван Петров", "Иван Петров")]


# -- the seed gate: the scorer's matching rule over the five seed articles -----------------------------------

def _body_and_anchor(text: str) -> tuple[int, PartialDate | None]:
    m = re.match(r'---\n.*?^date:\s*"?([\d-]+)"?\s*$.*?^---\n', text, re.S | re.M)
    m = m or re.match(r"\s*date\s+(\d{4}(?:-\d\d){0,2})\s", text)
    return (m.end(), PartialDate.parse(m[1])) if m else (0, None)


@pytest.mark.skipif(not (SHARED / "gold" / "seeds.jsonl").exists(), reason="shared seeds and gold not present")
def test_statements_seed_gate(annotator):
    spec = importlib.util.spec_from_file_location("letopis_score", SHARED / "eval" / "score.py")
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    same = lambda p, g: score.same_name(score.speaker_name(p), g["speaker"])   # noqa: E731
    tp = fp = fn = date_ok = date_n = 0
    for line in (SHARED / "gold" / "seeds.jsonl").read_text(encoding="utf-8").splitlines():
        gold = json.loads(line)
        with open(SHARED / "seeds" / gold["file"], encoding="utf-8", newline="") as f:
            text = f.read()
        offset, anchor = _body_and_anchor(text)
        body = text[offset:]
        preds = []
        for s in find_statements(body, annotator(body), find_times(body, anchor)):
            d = s.to_json()
            d["span"] = [s.span[0] + offset, s.span[1] + offset]
            preds.append(d)
        t_, f_, n_, pairs = score.match(preds, gold.get("statements") or [], text, same,
                                        score.MAX_SPAN["statements"])
        tp, fp, fn = tp + t_, fp + f_, fn + n_
        for p, g in pairs:
            if g.get("date"):
                date_n += 1
                date_ok += score.date_ok(p.get("date"), g["date"]) is True
    p, r, f1 = score.prf(tp, fp, fn)
    date_acc = date_ok / date_n if date_n else 1.0
    print(f"\nstatements on seeds: P {p:.3f} R {r:.3f} F1 {f1:.3f} (tp {tp}, fp {fp}, fn {fn}); "
          f"statement_date {date_acc:.3f} ({date_ok}/{date_n})")
    assert f1 >= SEED_F1_FLOOR
    assert date_acc >= SEED_DATE_FLOOR
