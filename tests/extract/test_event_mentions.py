"""Further mentions of an event: words that name it again (backdrops, elaborations, headings) or tell its outcome."""
from __future__ import annotations

import json

import pytest

from letopis import api
from letopis.annotate.nlp import Annotator
from letopis.annotate.times import find_times
from letopis.extract.events import find_events, needs_parse
from letopis.ingest.document import PartialDate

ANCHOR = PartialDate(2022, 1)


@pytest.fixture(scope="session")
def annotator():
    return Annotator(parse=needs_parse)


def events(annotator, text):
    return [(e.type, e.trigger, [text[a:b] for a, b in e.mentions])
            for e in find_events(text, annotator(text), find_times(text, ANCHOR))]


# text → (type, trigger, the words of its further mentions) of every event, in text order
CASES = [
    # a backdrop names the event told before it
    ("5 мая в Самаре произошла перестрелка. После перестрелки полиция задержала двоих.",
     [("ASSAULT", "перестрелка", ["перестрелки"]), ("COERCE", "задержала", [])]),
    # … or, with none before, the one told right after it
    ("Полиция задержала двоих по делу о вооруженном нападении в Самаре, в результате которого 4 мая был убит "
     "охранник.",
     [("COERCE", "задержала", []), ("ASSAULT", "убит", ["вооруженном нападении"])]),
    # an undated sentence right after the event, with no actor of its own, elaborates it (modes may differ by null)
    ("6 мая в Перми произошла стрельба. Это самое массовое убийство в истории края.",
     [("ASSAULT", "стрельба", ["убийство"])]),
    # a heading names the event of the lead
    ("Митинг в Бишкеке\n5 мая в Бишкеке прошел митинг против строительства плотины.",
     [("PROTEST", "митинг", ["Митинг"])]),
    # outcomes: on the line of the violence, or in the sentence right after it
    ("4 мая в Самаре произошло нападение на банк, тогда погибли двое и трое пострадали.",
     [("ASSAULT", "нападение", ["погибли", "пострадали"])]),
    ("3 мая в Самаре неизвестный открыл огонь у школы. Погиб охранник.",
     [("ASSAULT", "открыл огонь", ["Погиб"])]),
    # not a mention: a negated outcome, the people named by a participle, a backdrop of another day
    ("3 мая в Самаре неизвестный открыл огонь у школы. Никто не пострадал.",
     [("ASSAULT", "открыл огонь", [])]),
    ("5 мая в Оше задержали активистов. Среди задержанных есть студенты.",
     [("COERCE", "задержали", [])]),
    ("5 мая в Оше прошел митинг. Вечером полиция задержала троих после акции 2 мая.",
     [("PROTEST", "митинг", []), ("COERCE", "задержала", [])]),
    # a hypothetical event takes no mentions
    ("Полиция может задержать активистов. После задержания их отпустят.",
     [("COERCE", "задержать", []), ("CONCEDE", "отпустят", [])]),
    # a death with no violence told before it is no event and no mention
    ("Охранник погиб при пожаре.", []),
]


@pytest.mark.parametrize("text, expected", CASES, ids=[c[0][:40] for c in CASES])
def test_event_mentions_table(annotator, text, expected):
    assert events(annotator, text) == expected


def test_event_mentions_in_the_contract(tmp_path):
    """Mentions are text offsets in the contract, as every span (the front matter shifts the body)."""
    path = tmp_path / "article.md"
    body = "5 мая в Самаре произошла перестрелка. После перестрелки полиция задержала двоих."
    path.write_text(f"---\ntitle: Перестрелка\ndate: 2022-05-06\n---\n{body}\n", encoding="utf-8")
    row = next(iter(api.extract([str(path)])))
    text = path.read_text(encoding="utf-8")
    ev = next(e for e in row["events"] if e["type"] == "ASSAULT")
    assert [text[a:b] for a, b in ev["trigger"]["mentions"]] == ["перестрелки"]
    assert json.loads(json.dumps(ev, ensure_ascii=False)) == ev
