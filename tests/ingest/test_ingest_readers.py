"""Each reader: a table of invented Russian inputs → the Document fields they must give."""
from __future__ import annotations

import csv
import io

import pytest
from ingest_helpers import assert_copied

from letopis.ingest import Document, PartialDate, Rejection, read_text

FRONT_MATTER = """---
title: "Митинг в Алматы"
date: "2022-01-05"
author: "Анна Иванова"
url: https://example.org/news/5
---

# Митинг в Алматы

**2022-01-05** Анна Иванова

В среду в Алматы прошёл **митинг** против роста цен. Полиция [задержала](/news/4.md) 12 человек.
![Фото](img/1.jpg)
> «Мы требуем снизить цены», — сказал участник.
"""

CASES = [
    # name, input, expected fields
    ("a.md", FRONT_MATTER, dict(
        format="frontmatter", title="Митинг в Алматы", published=PartialDate(2022, 1, 5), precision="day",
        author="Анна Иванова", url="https://example.org/news/5",
        body_has=["Полиция задержала 12 человек.", "прошёл митинг против", "«Мы требуем снизить цены»"],
        body_lacks=["**", "](", "![", "Фото", "# ", "> "])),
    ("b.md", "---\ntitle: Заседание парламента\ndate: 2021-12\nauthor: [Иван Петров, Анна Иванова]\n---\n"
             "Депутаты обсудили бюджет.\n", dict(
        format="frontmatter", title="Заседание парламента", published=PartialDate(2021, 12), precision="month",
        author="Иван Петров, Анна Иванова", body="Депутаты обсудили бюджет.")),
    ("c.md", "---\ntitle: Отставка правительства\ndate: 2022-01-05 10:30:00\n---\nПравительство ушло в отставку.",
     dict(published=PartialDate(2022, 1, 5), title_in_text=True)),
    ("d.md", "---\ntitle: Выборы\ndate: 2022-02-30\n---\nГолосование завершилось.", dict(published=None)),
    ("e.md", "---\ndate: 2019\n---\n# Пожар на складе\n\nСклад *сгорел* ночью.", dict(
        title="Пожар на складе", published=PartialDate(2019), precision="year", body_has=["Склад сгорел ночью."])),
    ("f.md", "# Новости дня\n\nВ городе открыли [новый мост](https://example.org).\n", dict(
        format="markdown", title="Новости дня", published=None, body_has=["открыли новый мост."])),
    ("g.txt", " date 2022-01 Президент Касым-Жомарт Токаев выступил с обращением к народу.\n\n", dict(
        format="dump", title=None, published=PartialDate(2022, 1), precision="month",
        body="Президент Касым-Жомарт Токаев выступил с обращением к народу.")),
    ("h.txt", "date 2022-01-07 Власти ввели комендантский час.", dict(
        format="dump", published=PartialDate(2022, 1, 7), precision="day", body="Власти ввели комендантский час.")),
    ("i.txt", "Казахстан: месяц после протестов\n\n\nЧерез месяц власти признали ошибки.\nМИД сделал заявление.", dict(
        format="plain", title="Казахстан: месяц после протестов", published=None,
        body="Через месяц власти признали ошибки.\nМИД сделал заявление.")),
    ("j.txt", "В Алматы прошли митинги. Задержаны десятки человек.\n\nВласти обещают разобраться.", dict(
        format="plain", title=None, published=None)),
    ("k.txt", "Президент Казахстана Касым-Жомарт Токаев отказался от\nмеждународного расследования.", dict(
        format="plain", title=None)),
    ("l.txt", "Заголовок новости\r\n\r\nПервый абзац.\r\nВторой абзац.\r\n", dict(
        format="plain", title="Заголовок новости", body="Первый абзац.\r\nВторой абзац.")),
]


@pytest.mark.parametrize("name,text,expected", CASES, ids=[c[0] for c in CASES])
def test_readers_document(name, text, expected):
    (doc,) = read_text(name, text.encode("utf-8"))
    assert isinstance(doc, Document), doc
    assert doc.text == text
    for key in ("format", "title", "published", "precision", "author", "url", "body"):
        if key in expected:
            assert getattr(doc, key) == expected[key], key
    for piece in expected.get("body_has", []):
        assert piece in doc.body
    for piece in expected.get("body_lacks", []):
        assert piece not in doc.body
    if doc.title and (expected.get("title_in_text", True)):
        assert doc.title_span is not None
        assert doc.text[slice(*doc.title_span)] == doc.title
    assert_copied(doc)


def test_readers_frontmatter_title_span_is_the_heading():
    (doc,) = read_text("a.md", FRONT_MATTER.encode())
    start, stop = doc.title_span
    assert FRONT_MATTER[start - 2:start] == "# "


def test_readers_frontmatter_body_maps_to_text():
    (doc,) = read_text("a.md", FRONT_MATTER.encode())
    i = doc.body.index("задержала")
    start, stop = doc.body_map.span_to_text((i, i + len("задержала")))
    assert doc.text[start - 1:stop + 1] == "[задержала]"


@pytest.mark.parametrize("front,why", [
    ("title: [Митинг\n", "unclosed flow sequence"),
    ("- Митинг\n- Алматы\n", "a list, not a mapping"),
    ("Просто строка\n", "a scalar"),
    ("title: !!python/object:os.system Митинг\n", "a python tag"),
    ("title: !custom Митинг\n", "a custom tag"),
    ("a: &x Митинг\nb: *x\n", "anchor and alias"),
    ('a: &a ["ха","ха","ха","ха","ха","ха","ха","ха","ха"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n'
     "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
     "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
     "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
     "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n", "billion laughs"),
    ("a: " + "[" * 100 + "]" * 100 + "\n", "nesting 100 deep"),
])
def test_readers_frontmatter_refused(front, why):
    (item,) = read_text("bad.md", f"---\n{front}---\nТекст заметки.\n".encode())
    assert isinstance(item, Rejection), why
    assert item.reason == "bad-front-matter"
    assert "\n" not in item.message


HTML = """<!DOCTYPE html>
<html><head><title>Власти ввели режим ЧП &mdash; Новости</title>
<meta name="author" content="Иван Петров">
<meta property="article:published_time" content="2022-01-05T10:00:00+06:00">
<link rel="canonical" href="https://example.org/news/1">
<script>var secret = "скрипт-секрет";</script><style>.x{color:red}</style></head>
<body><nav><a href="/">Главная</a> | <a href="/about">О нас</a></nav>
<article><h1>Власти ввели режим ЧП</h1>
<p>В Алматы &laquo;прошли&raquo; митинги. Задержаны десятки человек &amp; изъято оружие.</p>
<p>Президент   заявил
о введении режима чрезвычайного положения на <b>две</b> недели.</p>
<p>Интернет в городе был отключён в среду вечером.</p>
<script>document.write("ещё-скрипт")</script></article>
<footer>© 2022 Пример</footer></body></html>
"""


def test_readers_html():
    (doc,) = read_text("page.html", HTML.encode())
    assert doc.format == "html"
    assert doc.title == "Власти ввели режим ЧП"
    assert doc.published == PartialDate(2022, 1, 5)
    assert doc.author == "Иван Петров"
    assert doc.url == "https://example.org/news/1"
    assert "Задержаны десятки человек & изъято оружие." in doc.body
    assert "скрипт" not in doc.body and "color" not in doc.body
    assert doc.text[slice(*doc.title_span)] == "Власти ввели режим ЧП"
    assert doc.title_span[0] > HTML.index("<article>")
    assert_copied(doc)
    # words split over lines and tags in the page map back to the original markup
    i = doc.body.index("Президент заявил")
    start, stop = doc.body_map.span_to_text((i, i + len("Президент заявил")))
    assert doc.text[start:stop] == "Президент   заявил"
    i = doc.body.index("«прошли»")
    start, stop = doc.body_map.span_to_text((i + 1, i + 7))
    assert doc.text[start:stop] == "прошли"
    located = sum(n for _, _, n in doc.body_map.runs)
    assert located >= 0.9 * len(doc.body.replace(" ", ""))


def test_readers_html_without_article_falls_back():
    page = "<html><body><p>Короткая заметка.</p><script>alert('скрипт')</script></body></html>"
    (doc,) = read_text("p.html", page.encode())
    assert "Короткая заметка." in doc.body
    assert "скрипт" not in doc.body
    assert_copied(doc)


JSONL = (
    '{"title": "Митинг в Алматы", "text": "В среду прошёл митинг.", "date": "2022-01-05", "url": "https://e.org/1"}\n'
    '{"headline": "Задержания", "body": "Полиция задержала 12 человек.", "published": "2022-01", "author": ["А. Б."]}\n'
    '{"text": "сломанная строка\n'
    '\n'
    '[1, 2, 3]\n'
    '{"title": "Без текста"}\n'
    '{"text": "Власти обещали разобраться.", "published_at": "06.01.2022"}\n'
)


def test_readers_jsonl_records_and_broken_lines():
    items = read_text("feed.jsonl", JSONL.encode())
    got = [(i.source, type(i).__name__, getattr(i, "reason", None)) for i in items]
    assert got == [
        ("feed.jsonl#1", "Document", None),
        ("feed.jsonl#2", "Document", None),
        ("feed.jsonl#3", "Rejection", "bad-record"),
        ("feed.jsonl#5", "Rejection", "bad-record"),
        ("feed.jsonl#6", "Rejection", "bad-record"),
        ("feed.jsonl#7", "Document", None),
    ]
    first, second, last = (i for i in items if isinstance(i, Document))
    assert (first.title, first.published, first.url, first.text) == (
        "Митинг в Алматы", PartialDate(2022, 1, 5), "https://e.org/1", "В среду прошёл митинг.")
    assert (second.title, second.precision, second.author) == ("Задержания", "month", "А. Б.")
    assert last.published == PartialDate(2022, 1, 6)
    assert first.format == "jsonl"
    for doc in (first, second, last):
        assert_copied(doc)


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_readers_csv(delimiter):
    rows = [["title", "text", "date", "link"],
            ["Митинг", "В среду прошёл митинг; многие\nпришли с плакатами.", "2022-01-05", "https://e.org/1"],
            ["Пусто", "", "2022-01-06", ""],
            ["Задержания", "Полиция задержала 12 человек, сообщил МВД.", "2022-01", ""]]
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    items = read_text("export.csv", buf.getvalue().encode("utf-8"))
    got = [(i.source, type(i).__name__) for i in items]
    assert got == [("export.csv#2", "Document"), ("export.csv#4", "Rejection"), ("export.csv#5", "Document")]
    doc = items[0]
    assert (doc.format, doc.title, doc.published) == ("csv", "Митинг", PartialDate(2022, 1, 5))
    assert doc.url == "https://e.org/1"
    assert doc.text == "В среду прошёл митинг; многие\nпришли с плакатами."
    assert items[2].precision == "month"
