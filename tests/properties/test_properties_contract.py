"""Property test of the annotation/extraction contract on random Russian-ish news text: every span of the contract
object lies inside the document's text, and a record that quotes its words (times, quantities, triggers, roles)
quotes exactly the characters its span points at. The texts are built from a small alphabet of Russian words,
names, numbers, dates, quotes and punctuation; examples are few and small, as the NLP is slow."""
from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from letopis.extract.contract import extract_document
from letopis.ingest import Document, read_text

WORDS = ["в", "на", "по", "и", "что", "около", "не менее", "более", "человек", "митинг", "акция", "протест",
         "прошёл", "прошла", "задержаны", "погибли", "ранены", "вышли", "полиция", "власти", "правозащитники",
         "заявил", "сообщил", "сообщили", "по словам", "по данным", "президент", "министр", "аким", "площади",
         "у здания", "акимата", "вечером", "утром", "вчера", "сегодня", "забастовка", "шахтёров", "разогнали"]
NAMES = ["Токаев", "Касым-Жомарт Токаев", "Алматы", "Бишкек", "Ош", "Шахтинск", "Карагандинской области", "МВД",
         "«Ак Жол»", "ОДКБ", "Иван Петров", "Жапаров", "Кыргызстан", "Казахстан", "Гомель"]
NUMBERS = ["12", "5", "1 000", "20 000", "225", "три", "десятки", "сотни", "около 50", "не менее 227", "1,5 тыс."]
DATES = ["9 января", "9 января 2022 года", "05.01.2022", "в ночь на 5 января", "с 2 по 5 января", "в 2022 году",
         "в начале марта", "3 марта 2023 года", "13.03.2023", "в среду", "2022-01-05"]
PUNCT = [",", ".", ":", ";", "—", "«", "»", "„", "“", "(", ")", "!", "?", "...", "\n", "\n\n", " — "]

TOKEN = st.sampled_from(WORDS + NAMES + NUMBERS + DATES + PUNCT)
SENTENCE = st.lists(TOKEN, min_size=1, max_size=14).map(lambda ws: " ".join(ws).replace(" \n", "\n") + ".")
ARTICLE = st.tuples(st.sampled_from(["", "Митинг в Алматы\n\n", "Протест шахтёров\n"]),
                    st.lists(SENTENCE, min_size=1, max_size=5).map(" ".join)).map("".join)
NLP = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def spans(value, path=""):
    """(path, span) of every span in a contract object: keys ending in `span`, and entity `mentions`."""
    if isinstance(value, dict):
        for key, v in value.items():
            if key.endswith("span") and isinstance(v, list) and len(v) == 2:
                yield f"{path}.{key}", v
            elif key == "mentions" and isinstance(v, list) and all(isinstance(s, list) for s in v):
                yield from ((f"{path}.mentions[{i}]", s) for i, s in enumerate(v))
            else:
                yield from spans(v, f"{path}.{key}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from spans(v, f"{path}[{i}]")


def quoted(value, path=""):
    """(path, span, text) of every record that gives both its span and its words."""
    if isinstance(value, dict):
        if isinstance(value.get("text"), str) and isinstance(value.get("span"), list):
            yield path, value["span"], value["text"]
        for key, v in value.items():
            yield from quoted(v, f"{path}.{key}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from quoted(v, f"{path}[{i}]")


def in_order(words: list[str], span_text: str) -> bool:
    """The span starts with the first word, ends with the last, and holds the others in between, in order."""
    if not words or not span_text.startswith(words[0]) or not span_text.endswith(words[-1]):
        return False
    pos = 0
    for word in words:
        pos = span_text.find(word, pos)
        if pos < 0:
            return False
        pos += len(word)
    return True


def extract(name: str, text: str) -> tuple[Document, dict]:
    (doc,) = read_text(name, text.encode("utf-8"))
    assert isinstance(doc, Document), doc
    row = extract_document(doc)
    assert json.loads(json.dumps(row, ensure_ascii=False)) == row      # plain JSON all the way down
    return doc, row


def check_spans(doc: Document, row: dict) -> None:
    for path, (start, stop) in spans(row):
        assert isinstance(start, int) and isinstance(stop, int), path
        assert 0 <= start <= stop <= len(doc.text), (path, start, stop, len(doc.text))


@NLP
@given(ARTICLE)
def test_properties_contract_plain_spans_inside_and_quoting_their_words(text):
    doc, row = extract("news.txt", text)
    check_spans(doc, row)
    for path, (start, stop), words in quoted({k: row[k] for k in ("entities", "times", "figures", "events")}):
        if path.endswith(".trigger"):      # a trigger may be discontinuous ("митинг … забастовка"): its words, in
            assert in_order(words.split(), doc.text[start:stop]), (path, doc.text[start:stop], words)   # order
        else:
            assert doc.text[start:stop] == words, (path, doc.text[start:stop], words)
    for ent in row["entities"]:
        for start, stop in ent["mentions"]:
            assert doc.text[start:stop].strip(), (ent["name"], start, stop)     # a mention is never blank


MARKUP = st.sampled_from(["# ", "**", "*", "[", "](https://e.org)", "> ", "- ", "`"])


@NLP
@given(st.lists(st.one_of(SENTENCE, MARKUP), min_size=1, max_size=8).map(" ".join))
def test_properties_contract_markdown_spans_inside(text):
    doc, row = extract("news.md", "# Митинг в Алматы\n\n" + text)
    check_spans(doc, row)
