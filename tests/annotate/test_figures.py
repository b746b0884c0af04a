"""Tables of Russian sentences → the figures `find_figures` reads in them, and the gate over the example seeds."""
import importlib.util
import json
import os
import pathlib
import re

import pytest

from letopis.annotate.figures import CATEGORIES, Figure, find_figures, needs_parse
from letopis.annotate.nlp import Annotator
from letopis.annotate.quantities import find_quantities

SHARED = pathlib.Path(os.environ.get("LETOPIS_SHARED", pathlib.Path(__file__).resolve().parents[3] / "shared"))


@pytest.fixture(scope="module")
def annotate():
    return Annotator(parse=needs_parse)


def figures(annotate, text, **kw):
    return [(text[f.span[0]:f.span[1]], f.category, f.low, f.high, f.source_name)
            for f in find_figures(text, annotate(text), **kw)]


@pytest.mark.parametrize("text, expected", [
    # the category from the counted noun
    ("В город прибыли 400 военнослужащих и 30 единиц бронетехники.",
     [("400 военнослужащих", "troops", 400, 400, None), ("30 единиц", "equipment", 30, 30, None)]),
    ("В страну направят 2500 миротворцев.", [("2500 миротворцев", "troops", 2500, 2500, None)]),
    ("Волонтеры передали пострадавшим 20 тонн гуманитарной помощи.", [("20 тонн", "aid", 20, 20, None)]),
    ("Через несколько дней освободили 20 задержанных.", [("20 задержанных", "detained", 20, 20, None)]),
    ("В колонне было 16 грузовиков с военными.", [("16 грузовиков", "equipment", 16, 16, None)]),
    # "человек" takes the category from the clause
    ("2 января в Алматы погибли 5 человек.", [("5 человек", "killed", 5, 5, None)]),
    ("Жертвами теракта стали не менее 40 человек.", [("не менее 40 человек", "killed", 40, None, None)]),
    ("Оба водителя погибли на месте.", [("Оба водителя", "killed", 2, 2, None)]),
    ("Пятеро полицейских получили травмы.", [("Пятеро полицейских", "injured", 5, 5, None)]),
    ("Трое спасателей пропали без вести.", [("Трое спасателей", "missing", 3, 3, None)]),
    ("Полиция задержала более 300 участников несанкционированной акции.",
     [("более 300 участников", "detained", 300, None, None)]),
    ("Число задержанных превысило 1200 человек.", [("1200 человек", "detained", 1200, 1200, None)]),
    ("Погибших — 7, раненых — 21.", [("7", "killed", 7, 7, None), ("21", "injured", 21, 21, None)]),
    ("Протестующих в столице, которых было около тысячи, разогнали.",
     [("около тысячи", "participants", 1000, 1000, None)]),
    ("Число погибших в столкновениях между полицией, армией и боевиками достигло 25 человек.",
     [("25 человек", "killed", 25, 25, None)]),
    ("Сначала погибли 10 человек и 3 спасателя, затем 14 человек, пострадавших при обрушении, госпитализировали.",
     [("10 человек", "killed", 10, 10, None), ("3 спасателя", "killed", 3, 3, None),
      ("14 человек", "injured", 14, 14, None)]),
    ("Погибли 30 человек, из них 5 детей.",
     [("30 человек", "killed", 30, 30, None), ("5 детей", "killed", 5, 5, None)]),
    ("В больницах остаются 1300 человек.", [("1300 человек", "injured", 1300, 1300, None)]),
    ("Землетрясение магнитудой 6,1 унесло жизни 40 человек.", [("40 человек", "killed", 40, 40, None)]),
    ("На акцию протеста пришли 40 человек, 12 из них задержали.",
     [("40 человек", "participants", 40, 40, None), ("12", "detained", 12, 12, None)]),
    ("МВД: ранены 1300 сотрудников полиции.", [("1300 сотрудников", "injured", 1300, 1300, "МВД")]),
    ("Примерно 300 автомобилей были сожжены, сообщили в городском акимате.",
     [("Примерно 300 автомобилей", "equipment", 300, 300, "городской акимат")]),
    ("Число задержанных выросло с 160 до 225.",
     [("160", "detained", 160, 160, None), ("225", "detained", 225, 225, None)]),
    # participants only about a protest
    ("На митинг в центре города вышли около двух тысяч человек.",
     [("около двух тысяч человек", "participants", 2000, 2000, None)]),
    ("В акции протеста приняли участие более 3 тысяч человек.",
     [("более 3 тысяч человек", "participants", 3000, None, None)]),
    # claimants
    ("По данным МЧС, в результате взрыва погибли 12 человек.", [("12 человек", "killed", 12, 12, "МЧС")]),
    ("Еще 34 человека получили ранения, сообщили в минздраве.", [("34 человека", "injured", 34, 34, "минздрав")]),
    ("Министерство обороны сообщило, что уничтожены 5 танков.",
     [("5 танков", "equipment", 5, 5, "Министерство обороны")]),
    ("Как сообщает агентство «Интерфакс», десятки человек были госпитализированы.",
     [("десятки человек", "injured", 20, 99, "Интерфакс")]),
    ("«Мы насчитали не меньше 80 погибших», — сказал представитель оппозиции Иван Петров.",
     [("не меньше 80 погибших", "killed", 80, None, "Иван Петров")]),
    ("Правозащитники опубликовали доклад. Они утверждают, что в колонии умерли 11 заключенных.",
     [("11 заключенных", "killed", 11, 11, "Правозащитники")]),
    ("Ранее власти региона заявили о 15 погибших. Позднее сообщалось о 19 погибших.",
     [("15 погибших", "killed", 15, 15, "власти региона"), ("19 погибших", "killed", 19, 19, "власти региона")]),
    ("Пресс-служба МВД сообщила, что задержаны 45 человек.",
     [("45 человек", "detained", 45, 45, "Пресс-служба МВД")]),
    ("По словам очевидцев, на площадь пришли сотни людей.", [("сотни людей", "participants", 200, 999, "очевидцы")]),
    ("Генпрокуратура сообщила об аресте 17 человек.", [("17 человек", "detained", 17, 17, "Генпрокуратура")]),
    ("Об этом сообщил глава МЧС Александр Куренков, добавив, что 8 человек погибли.",
     [("8 человек", "killed", 8, 8, "Александр Куренков")]),
    ("Полиция задержала 6 человек. Об этом сообщила пресс-служба городского УВД.",
     [("6 человек", "detained", 6, 6, "пресс-служба городского УВД")]),
    ("Власти пока не сообщили число жертв. Ранее стало известно о 9 погибших.",
     [("9 погибших", "killed", 9, 9, None)]),
])
def test_figures_table(annotate, text, expected):
    assert figures(annotate, text) == expected


@pytest.mark.parametrize("text", [
    "12-летний мальчик погиб при пожаре.",
    "Телеканал «1+1» показал сюжет о протестах.",
    "Завод выпустил 500 автомобилей.",
    "Цены выросли в два раза, а инфляция составила 8%.",
    "Двое военных проникли во двор.",
    "Через три дня на митинги вышли жители соседних городов.",
    "«Ситуация под контролем, пострадавших нет», — заявил губернатор.",
    "Один из задержанных отпущен.",
    "Три пациента выздоровели и выписаны из больницы.",
    "Участники шоу — 12 человек из разных городов.",
    "Самолет со 150 пассажирами на борту совершил посадку.",
    "В результате пожара пострадали 3 дома и 2 автомобиля.",
    "Компания уволила 300 сотрудников, сообщает РБК.",
    "Митинг начался 5 января в 18.00 у здания акимата.",
    "В 2011 году в городе прошли забастовки.",
    "Он был осужден по части 2 статьи 212 УК.",
])
def test_figures_none(annotate, text):
    assert figures(annotate, text) == []


def test_figures_keep_other(annotate):
    text = "Свыше 200 человек были эвакуированы."
    assert figures(annotate, text) == []
    assert figures(annotate, text, keep_other=True) == [("Свыше 200 человек", "other", 200, None, None)]


def test_figures_json_contract(annotate):
    text = "По данным МЧС, в результате взрыва погибли 12 человек."
    (fig,) = find_figures(text, annotate(text))
    d = fig.to_json()
    assert d["category"] in CATEGORIES
    assert set(d) >= {"span", "category", "low", "high", "source"}
    assert d["source"]["name"] == "МЧС" and text[slice(*d["source"]["span"])] == "МЧС"
    assert fig.rule == "clause:casualty" and fig.source_rule == "marker:по данным"
    assert Figure.from_json(json.loads(json.dumps(d, ensure_ascii=False))) == fig
    assert fig.quantity.text == "12" and text[slice(*fig.unit_span)] == "человек"


def test_figures_reuse_quantities(annotate):
    text = "Погибли 5 человек, ранены 8."
    qs = find_quantities(text)
    assert find_figures(text, annotate(text), qs) == find_figures(text, annotate(text))


@pytest.mark.parametrize("text, parse", [
    ("МВД сообщило, что задержаны 45 человек.", True),
    ("В МВД заявили, что погибли десятки человек.", True),
    ("Погибли 45 человек.", False),           # no claimant to find in the parse
    ("МВД сообщило о задержаниях.", False),   # no number
])
def test_figures_needs_parse(annotate, text, parse):
    lemmas = [t.lemma for s in Annotator()(text).sentences for t in s.tokens]
    assert needs_parse(text, lemmas) is parse


# --- the gate over the seeds (skipped without ../shared) -----------------------------------------------------

def _body_start(text):
    m = re.match(r"---\n.*?\n---\n", text, re.S) or re.match(r"\s*date \d{4}-\d{2}(?:-\d{2})? ", text)
    return m.end() if m else 0


@pytest.mark.skipif(not (SHARED / "gold" / "seeds.jsonl").exists(), reason="needs ../shared (gold and scorer)")
def test_figures_seeds_quality_gate(annotate):
    spec = importlib.util.spec_from_file_location("letopis_score", SHARED / "eval" / "score.py")
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    golds = [json.loads(line) for line in (SHARED / "gold" / "seeds.jsonl").read_text(encoding="utf-8").splitlines()
             if line.strip()]
    tp = fp = fn = src_ok = src_n = 0
    for gold in golds:
        text = (SHARED / "seeds" / gold["file"]).read_text(encoding="utf-8")
        off = _body_start(text)
        body = text[off:]
        preds = []
        for f in find_figures(body, annotate(body)):
            d = f.to_json()
            d["span"] = [d["span"][0] + off, d["span"][1] + off]
            if d["source"]:
                d["source"]["span"] = [x + off for x in d["source"]["span"]]
            preds.append(d)
        same = lambda p, g: p.get("category") == g["category"] and score.value_ok(p, g)  # noqa: E731
        t, f_, n, pairs = score.match(preds, gold.get("figures") or [], text, same, score.MAX_SPAN["figures"])
        tp, fp, fn = tp + t, fp + f_, fn + n
        for p, g in pairs:
            if g.get("source"):
                src_n += 1
                src_ok += score.same_name(score.source_name(p), g["source"])
    p, r, f1 = score.prf(tp, fp, fn)
    acc = src_ok / src_n if src_n else 1.0
    print(f"\nseed figures P {p:.3f} R {r:.3f} F1 {f1:.3f} (tp {tp}, fp {fp}, fn {fn}); "
          f"figure_source {acc:.3f} ({src_ok}/{src_n})")
    assert f1 >= 0.90
    assert acc >= 0.80
