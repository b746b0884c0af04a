"""Which NEREL triggers the event benchmark selects, and which DATE spans the time benchmark scores."""
from __future__ import annotations

import importlib.util
import pathlib
import sys

import pytest

BENCH = pathlib.Path(__file__).resolve().parents[2] / "bench"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


events, times, nerel = _load("nerel_events"), _load("nerel_times"), _load("nerel")


@pytest.mark.parametrize("trigger, expected", [
    ("задержан", "arrest"),
    ("задержания", "arrest"),
    ("арестовали", "arrest"),
    ("отправлен в отставку", "resignation"),
    ("подал в отставку", "resignation"),
    ("сложить полномочия", "resignation"),
    ("лишился своего поста", "resignation"),
    ("уволил", "resignation"),
    ("стрельбы", "violence"),
    ("погибли", "violence"),
    ("открыл огонь", "violence"),
    ("разогнало вышедших на акцию", "violence"),     # the crackdown, not the rally
    ("акции протеста", "protest"),
    ("массовых беспорядков", "protest"),
    ("митингом", "protest"),
    ("массовых выступлений", "protest"),
    ("был избит", "violence"),                         # the participle's context-free lemma is "избитый"
    ("обезглавил", "violence"),
    ("отрубил ей голову", "violence"),
    ("вооруженном инциденте", "violence"),
    ("досрочно прекратил свои полномочия", "resignation"),
    ("ушел из жизни", None),                           # "уйти" without "пост"
    ("выдвинул на пост", None),
    ("Второй мировой войны", None),
    ("поединок", None),
    ("выступление", None),
    ("президентские выборы", None),
])
def test_nerel_events_selects_trigger_class(trigger, expected):
    cls, lemma = events.classify(nerel.lemmas(trigger))
    assert cls == expected
    assert (lemma is None) == (expected is None)


def test_nerel_events_trigger_spans_take_in_mentions():
    ev = {"span": [0, 40], "trigger": {"text": "стрельба", "span": [5, 13], "mentions": [[30, 38]]}}
    assert events.trigger_spans(ev) == [(5, 13), (30, 38)]
    assert events.trigger_spans(ev, mentions=False) == [(5, 13)]
    assert events.trigger_spans({"span": [0, 40], "trigger": None}) == [(0, 40)]


@pytest.mark.parametrize("ann, expected", [
    # a DATE nested in another DATE is dropped; a TIME around a DATE does not count for DATE alone
    ("T1\tDATE 0 18\tв начале 2017 года\nT2\tDATE 10 18\t2017 года", [(0, 18)]),
    ("T1\tTIME 0 20\tв ночь на 19 декабря\nT2\tDATE 11 20\t19 декабря", [(11, 20)]),
    # a discontinuous DATE is scored by its envelope
    ("T1\tDATE 0 7;17 26\t30 июня 2019 года", [(0, 26)]),
    ("T1\tPERSON 0 5\tПутин", []),
])
def test_nerel_times_gold_spans_keep_outermost_dates(ann, expected):
    entities, relations = nerel.parse_ann(ann)
    doc = nerel.BratDoc("doc", "", entities, relations)
    assert times.gold_spans(doc, ("DATE",)) == expected


@pytest.mark.parametrize("text, expected", [
    ("В воскресенье, 11 июня 2017 года", "calendar"),
    ("в мае", "calendar"),
    ("в 1985 году", "number"),
    ("19", "number"),
    ("два года", "words"),
    ("Спустя несколько дней", "words"),
])
def test_nerel_times_shape_of_gold_strings(text, expected):
    assert times.shape(text) == expected
