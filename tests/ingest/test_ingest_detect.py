"""detect_format(): the content decides; the extension only breaks ties."""
from __future__ import annotations

import pytest

from letopis.ingest import TableFields, detect_format
from letopis.ingest.detect import explain_format

CASES = [
    ("---\ntitle: Митинг в Алматы\n---\n\nТекст заметки.\n", "a.txt", "frontmatter"),
    ("---\r\ntitle: Митинг\r\n---\r\nТекст.\r\n", "", "frontmatter"),
    (" date 2022-01 Президент выступил с обращением.", "a.txt", "dump"),
    ("date 2022-01-07 Власти ввели комендантский час.", "", "dump"),
    ('{"text": "Митинг прошёл мирно.", "title": "Митинг"}\n{"text": "Задержаны трое."}\n', "x.txt", "jsonl"),
    ('{"text": "Митинг прошёл мирно."}\n{"text": сломано\n{"text": "Ещё."}\n', "x.jsonl", "jsonl"),
    ("<!DOCTYPE html><html><body><p>Новость дня</p></body></html>", "a.txt", "html"),
    ("<p>Первый</p><p>Второй</p><div>Третий</div><br><span>Четвёртый</span>", "", "html"),
    ("<p>Одна строка с тегом</p>", "page.html", "html"),
    ("title,text,date\nМитинг,Прошёл митинг.,2022-01-05\n", "a.txt", "csv"),
    ("заголовок;text\nМитинг;Прошёл митинг.\n", "", "csv"),
    ("id\tbody\n1\tПрошёл митинг.\n", "", "csv"),
    ("Власти Казахстана ввели режим ЧП\n\nВ Алматы прошли митинги.", "news.txt", "plain"),
    ("Город, улица, дом: всё перекрыто.\nПолиция дежурит.", "", "plain"),
    ("# Заголовок\n\nТекст со [ссылкой](http://example.org).", "a.md", "markdown"),
    ("# Заголовок\n\nТекст.", "a.txt", "plain"),
    ("--- это не front matter\nПросто текст.", "", "plain"),
]


@pytest.mark.parametrize("text,name,expected", CASES)
def test_detect_format(text, name, expected):
    assert detect_format(text, name) == expected


def test_detect_csv_uses_configured_fields():
    text = "заголовок,статья\nМитинг,Прошёл митинг.\n"
    assert detect_format(text) == "plain"
    assert detect_format(text, fields=TableFields(text=("статья",))) == "csv"


def test_detect_explains_rule():
    assert explain_format(" date 2022-01 Текст.") == ("dump", "date-prefix-dump")
