"""Search with Russian morphology: the analyzer, the query language, hits, highlights and filters over small invented
articles ingested into a temporary store."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from letopis import api
from letopis.cli import app
from letopis.search import SearchError, fold, index_documents, index_missing, reindex, search, terms, words
from letopis.search.syntax import parse
from letopis.search.units import paragraphs
from letopis.store.sqlite import Store

ARTICLES = {
    "a_temirtau.md": """---
title: "В Темиртау погибли трое горняков"
date: "2024-05-02"
url: "https://example.org/news/temirtau-1"
---

# В Темиртау погибли трое горняков

В Темиртау 1 мая 2024 года во время забастовки на шахте «Восточная» погибли три человека.
Полиция задержала 15 участников акции.

Министр внутренних дел Пётр Соколов заявил, что ситуация в городе под контролем.

Правозащитный центр «Свобода» сообщил о пяти погибших и 20 раненых.
""",
    "b_curfew.md": """---
title: "В Темиртау ввели комендантский час"
date: "2024-05-03"
---

В Темиртау введён комендантский час. Решение принял оперативный штаб после гибели горняков.

По данным прокуратуры, погиб один полицейский. Всего задержаны 40 человек.
""",
    "c_yolkino.html": """<html><head><title>В посёлке Ёлкино под Семеем прошёл митинг</title>
<meta name="date" content="2024-06-10"></head>
<body><article><h1>В посёлке Ёлкино под Семеем прошёл митинг</h1>
<p>В посёлке <b>Ёлкино</b> под Семеем 9 июня около 300 жителей вышли на митинг против закрытия больницы.</p>
<p>Глава района Арман Жумабаев пообещал сохранить больницу. По словам Жумабаева, решение ещё не принято.</p>
</article></body></html>
""",
    "d_primorsk.md": """---
title: "Выставка в Приморске"
date: "2023-01-15"
---

В Приморске открылась выставка стальных скульптур. Организаторы рассказали, что работы стали символом города.

Выставка продлится до конца февраля.
""",
}


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("articles")
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    path = tmp_path_factory.mktemp("db") / "search.db"
    with Store(path) as store:
        api.ingest([str(folder)], store)
        index_documents(store, [d["id"] for d in store.list_documents()])
    return str(path)


@pytest.fixture()
def store(db):
    with Store(db) as s:
        yield s


def _files(page) -> set[str]:
    return {h.source.rsplit("/", 1)[-1][0] for h in page.items}


def _passage(h) -> str:
    return "".join(p.text for p in h.snippet)


# ---------------------------------------------------------------------------------------------- analyzer

@pytest.mark.parametrize("a, b", [
    ("погиб", "погибли"), ("погиб", "погибших"), ("погиб", "погибшие"), ("погибли", "погибшими"),
    ("Погибло", "погибший"), ("ещё", "еще"), ("Ёлкино", "Елкино"), ("посёлке", "поселок"),
    ("Токаев", "Токаева"), ("Токаева", "Токаевым"), ("Жанаозен", "Жанаозене"), ("задержаны", "задержанных"),
    ("ранены", "раненых"), ("Бишкек", "Бишкеке"), ("Сейтказиев", "Сейтказиева"),
])
def test_analyzer_forms_share_a_term(a, b):
    (la, sa), (lb, sb) = terms(a), terms(b)
    assert la == lb or sa == sb


@pytest.mark.parametrize("a, b", [("данные", "дали"), ("бывший", "были"), ("Бишкек", "Алматы"), ("митинг", "мир")])
def test_analyzer_keeps_words_apart(a, b):
    (la, sa), (lb, sb) = terms(a), terms(b)
    assert la != lb and sa != sb


@pytest.mark.parametrize("word, lemma", [("погибших", "погибнуть"), ("погибшие", "погибнуть"),
                                         ("задержаны", "задержать"),
                                         ("ещё", "еще"), ("митингов", "митинг"), ("данные", "данные")])
def test_analyzer_lemma(word, lemma):
    assert terms(word)[0] == lemma


@pytest.mark.parametrize("text, expected", [
    ("Касым-Жомарт Токаев: «Погибли 225»", ["Касым", "Жомарт", "Токаев", "Погибли", "225"]),
    ("за\u0301мок, 3-й", ["за\u0301мок", "3", "й"]),
])
def test_analyzer_words_with_offsets(text, expected):
    ws = words(text)
    assert [w.text for w in ws] == expected
    assert all(text[w.start:w.stop] == w.text for w in ws)


@pytest.mark.parametrize("body, expected", [
    ("Заголовок\nПервый абзац. Второе предложение.\nВторой абзац.",
     ["Заголовок", "Первый абзац. Второе предложение.", "Второй абзац."]),
    ("Строка, перенесённая\nпо ширине.\n\nНовый абзац.", ["Строка, перенесённая\nпо ширине.", "Новый абзац."]),
    ("  \n\n Один. \n\n", ["Один."]),
])
def test_units_paragraphs(body, expected):
    assert [body[a:b] for a, b in paragraphs(body)] == expected


def test_units_long_paragraph_is_cut_at_sentence_ends():
    body = " ".join(f"Предложение номер {i} о забастовке горняков." for i in range(120))
    spans = paragraphs(body)
    assert len(spans) > 2 and all(b - a <= 1200 for a, b in spans)
    assert all(body[b - 1] == "." for a, b in spans)
    assert " ".join(body[a:b] for a, b in spans) == body


# ---------------------------------------------------------------------------------------------- query language

@pytest.mark.parametrize("q, include, exclude, phrase", [
    ("митинг -Бишкек", ["митинг"], ["Бишкек"], [False]),
    ('"комендантский час"', ["комендантский час"], [], [True]),
    ("«комендантский час» погибли", ["комендантский час", "погибли"], [], [True, False]),
    ("Алма-Ата", ["Алма-Ата"], [], [False]),
    ('"незакрытая фраза', ["незакрытая фраза"], [], [True]),
    ('-"комендантский час" митинг', ["митинг"], ["комендантский час"], [False]),
    ("NEAR( * ^ : ) погиб*", ["NEAR(", "погиб*"], [], [False, False]),
    ("", [], [], []),
    ('- " --', [], [], []),
    ("OR погиб OR", ["погиб"], [], [False]),
])
def test_syntax_parse(q, include, exclude, phrase):
    parsed = parse(q)
    assert [c.text for c in parsed.clauses] == include
    assert [c.text for c in parsed.exclude] == exclude
    assert [c.phrase for c in parsed.clauses] == phrase


@pytest.mark.parametrize("q, groups", [
    ("погибли OR убиты митинг", [["погибли", "убиты"], ["митинг"]]),
    ('митинг "комендантский час" OR забастовка', [["митинг"], ["комендантский час", "забастовка"]]),
    ("погибли or убиты", [["погибли"], ["or"], ["убиты"]]),
    ("погибли OR -убиты", [["погибли"]]),
])
def test_syntax_or_groups(q, groups):
    assert [[c.text for c in g] for g in parse(q).include] == groups


def test_syntax_place_alternative():
    (clause,) = parse("Семей").clauses
    assert clause.places == ("семей",) and clause.lemmas != clause.places


def test_syntax_hyphenated_word_is_a_phrase_of_its_parts():
    (clause,) = parse("Алма-Ата").clauses
    assert len(clause.terms) == 2


# ---------------------------------------------------------------------------------------------- hits

@pytest.mark.parametrize("q, found, not_found", [
    ("погиб", "ab", "cd"),
    ("погибли", "ab", "cd"),
    ("погибших", "ab", "cd"),
    ("погибшие", "ab", "cd"),
    ("ГОРНЯКОВ", "ab", "cd"),
    ("Ёлкино", "c", "abd"),
    ("елкино", "c", "abd"),
    ("поселок прошел", "c", "abd"),
    ("Семей", "c", "abd"),
    ("Семеем", "c", "abd"),
    ("выставка OR комендантский", "bd", "ac"),
    ("выставка OR землетрясение", "d", "abc"),
    ("Жумабаева", "c", "abd"),
    ("Жумабаев", "c", "abd"),
    ("Темиртау комендантский", "b", "acd"),
    ('"комендантский час"', "b", "acd"),
    ('"час комендантский"', "", "abcd"),
    ('"погибли три человека"', "a", "bcd"),
    ("выставка", "d", "abc"),
    ("землетрясение", "", "abcd"),
])
def test_search_finds(store, q, found, not_found):
    page = search(store, q, limit=100)
    got = _files(page)
    assert set(found) <= got and not (set(not_found) & got), (q, got)
    assert page.total == len(page.items)


def test_search_exclusion_drops_units_with_the_word(store):
    page = search(store, "митинг -больницы", limit=100)
    assert page.total > 0
    for h in page.items:
        assert not any(terms(w.text)[0] == "больница" for w in words(_passage(h)))
    assert page.total < search(store, "митинг", limit=100).total


def test_search_exclusion_alone_lists_the_rest(store):
    every = search(store, "", limit=1000).total
    page = search(store, "-погиб", limit=1000)
    assert 0 < page.total < every and page.total == len(page.items)
    figures = search(store, "-погиб", kind="figure", since="2024-05-01", limit=1000)
    assert 0 < figures.total == len(figures.items) and {h.kind for h in figures.items} == {"figure"}
    assert all("погиб" not in fold(_passage(h)) for h in page.items)


@pytest.mark.parametrize("q, marked", [
    ("погиб", {"погибли", "погибших", "погиб"}),
    ("Ёлкино", {"ёлкино"}),
    ("ещё", {"ещё"}),
    ('"комендантский час"', {"комендантский час"}),
    ("Жумабаев больницу", {"жумабаев", "жумабаева", "больницу"}),
])
def test_search_highlight_marks_point_at_the_matched_words(store, q, marked):
    page = search(store, q, limit=100)
    assert page.items
    for h in page.items:
        text = store.get_document(h.doc_id).text
        assert h.marks, h
        assert {text[a:b].lower() for a, b in h.marks} <= marked
        assert all(h.passage[0] <= a < b <= h.passage[1] for a, b in h.marks)
        shown = [p.text.lower() for p in h.snippet if p.match]
        assert shown and set(shown) <= marked


def test_search_highlight_in_html_skips_markup(store):
    (hit, *_) = [h for h in search(store, "Ёлкино жителей", limit=10).items if h.kind == "paragraph"]
    text = store.get_document(hit.doc_id).text
    assert "<b>" in text[hit.span[0]:hit.span[1]]
    assert [text[a:b] for a, b in hit.marks] == ["Ёлкино", "жителей"]
    assert "<" not in _passage(hit)


def test_search_snippet_is_plain_text_pieces(store):
    page = search(store, "погибли", limit=5)
    for h in page.items:
        assert all(isinstance(p.text, str) and isinstance(p.match, bool) for p in h.snippet)
        assert json.loads(json.dumps(h.to_json()))["snippet"][0].keys() == {"text", "match"}


# ---------------------------------------------------------------------------------------------- filters

@pytest.mark.parametrize("q, filters, files, kinds", [
    ("митинг", {"kind": "event"}, "c", {"event"}),
    ("погибли", {"kind": "figure"}, "ab", {"figure"}),
    ("погибли", {"kind": "figure", "claimant": "Свобода"}, "a", {"figure"}),
    ("погиб", {"kind": "paragraph,event"}, "ab", {"paragraph", "event"}),
    ("Жумабаев", {"kind": "paragraph,statement"}, "c", {"paragraph", "statement"}),
    ("", {"since": "2024-06-01"}, "c", None),
    ("погиб", {"until": "2024-05-31"}, "ab", None),
    ("", {"since": "2023-01", "until": "2023-01"}, "d", None),
    ("", {"place": "Семее"}, "c", None),
    ("", {"place": "Темиртау", "kind": "event"}, "ab", {"event"}),
    ("", {"entity": "Жумабаева"}, "c", None),
    ("", {"claimant": "Соколова", "kind": "statement"}, "a", {"statement"}),
    ("", {"claimant": "Петр Соколов"}, "a", None),
    ("погибли", {"source": "a_temirtau"}, "a", None),
    ("", {"source": "EXAMPLE.org/news"}, "a", None),
    ("погиб", {"place": "Приморск"}, "", None),
])
def test_search_filters(store, q, filters, files, kinds):
    page = search(store, q, limit=200, **filters)
    assert _files(page) == set(files), (filters, _files(page))
    if kinds is not None:
        assert page.items and {h.kind for h in page.items} <= kinds


def test_search_filter_by_event_type_follows_the_extraction(store):
    by_type: dict[str, set[str]] = {}
    for d in store.list_documents():
        for ev in store.get_extraction(d["id"])["events"]:
            by_type.setdefault(ev["type"], set()).add(d["source"].rsplit("/", 1)[-1][0])
    assert by_type, "the invented articles have events"
    for type_, files in by_type.items():
        page = search(store, "", type=type_.lower(), limit=500)
        assert _files(page) == files and all(type_ in h.types for h in page.items)
        events = search(store, "", type=type_, kind="event", limit=500)
        assert events.items and {h.kind for h in events.items} == {"event"}
    assert search(store, "", type="AGREE,ASSAULT,PROTEST", limit=500).total >= search(store, "", type="PROTEST").total


def test_search_filter_by_corpus_entity_id(store):
    entity = api.entities(store, name="Жумабаев")[0]
    page = search(store, "", entity=entity["id"], limit=100)
    assert _files(page) == {"c"}


def test_search_empty_filter_values_are_no_filters(store):
    every = search(store, "погиб").total
    assert search(store, "погиб", kind=",", type=" , ", place=" ", source="", entity="").total == every


@pytest.mark.parametrize("filters", [{"kind": "article"}, {"since": "май"}, {"until": "2024/05/01"}])
def test_search_bad_filters_raise(store, filters):
    with pytest.raises(SearchError):
        search(store, "погиб", **filters)


@pytest.mark.parametrize("q", ['"', "(", "NEAR(", "погиб OR", "*", "^", "col:val", "-", "--", '"""', "AND", '""',
                               "«", "погиб*", "погиб) OR (мир", "lemmas:погиб", "{stems}: x", "\x00",
                               "'; DROP TABLE x"])
def test_search_bad_syntax_never_raises(store, q):
    page = search(store, q)
    assert page.total >= 0


def test_search_stray_operators_are_ignored(store):
    assert _files(search(store, "погиб* OR", limit=100)) >= {"a", "b"}


def test_search_name_filter_without_words_finds_nothing(store):
    assert search(store, "погиб", place="«»").total == 0


@pytest.mark.parametrize("q, filters", [("погиб", {}), ("погиб", {"kind": "figure"}),
                                        ("погиб", {"since": "2024-05-03"}),
                                        ("митинг OR погибли", {})])
def test_search_rank_window_keeps_the_page_full(store, monkeypatch, q, filters):
    full = search(store, q, limit=2, **filters)
    monkeypatch.setattr("letopis.search.query.RANK_WINDOW", 4)      # rank about the 4 newest matches only
    windowed = search(store, q, limit=2, **filters)
    assert windowed.total == full.total > 0
    assert len(windowed.items) == len(full.items) == min(2, full.total)


@pytest.mark.parametrize("filters", [{"place": "Темиртау"}, {"entity": "Жумабаев", "kind": "statement"},
                                     {"claimant": "article", "since": "2024-05-02"}])
def test_search_listing_walks_or_sorts_alike(store, monkeypatch, filters):
    sorted_ = search(store, "", limit=100, **filters)
    monkeypatch.setattr("letopis.search.query.WALK_FROM", 0)          # walk the units by date instead
    walked = search(store, "", limit=100, **filters)
    assert sorted_.total == walked.total > 0
    assert [h.id for h in sorted_.items] == [h.id for h in walked.items]


def test_search_pages(store):
    first = search(store, "", limit=5)
    second = search(store, "", limit=5, offset=5)
    assert first.total == second.total > 10
    assert not {h.id for h in first.items} & {h.id for h in second.items}
    assert len(first.items) == 5


# ---------------------------------------------------------------------------------------------- index

def _integrity(store: Store) -> None:
    store.db.execute("INSERT INTO search_fts (search_fts, rank) VALUES ('integrity-check', 1)")


def test_index_is_idempotent(store):
    ids = [d["id"] for d in store.list_documents()]
    before = store.db.execute("SELECT COUNT(*) FROM search_units").fetchone()[0]
    hits = [h.id for h in search(store, "погибли").items]
    report = index_documents(store, ids + ids[:1])
    assert report.documents == len(ids) and report.units == before
    assert store.db.execute("SELECT COUNT(*) FROM search_units").fetchone()[0] == before
    assert [h.id for h in search(store, "погибли").items] == hits
    assert index_missing(store).documents == 0
    _integrity(store)


def test_index_follows_a_deleted_document(tmp_path, db):
    copy = tmp_path / "copy.db"
    with Store(db) as src:
        src.db.execute("VACUUM INTO ?", (str(copy),))
    with Store(copy) as store:
        (doc,) = [d for d in store.list_documents() if d["source"].endswith("c_yolkino.html")]
        with store.transaction():
            store.db.execute("DELETE FROM documents WHERE id=?", (doc["id"],))
        assert search(store, "Ёлкино").total == 0
        _integrity(store)
        assert index_documents(store, [doc["id"]]).missing == 1
        report = reindex(store)
        assert report.documents == 3 and search(store, "погибли").total > 0
        _integrity(store)
        with store.transaction():                    # as a database indexed before its sources were kept
            store.db.execute("DELETE FROM search_sources")
        units = store.db.execute("SELECT COUNT(*) FROM search_units").fetchone()[0]
        assert index_missing(store).documents == 3
        assert store.db.execute("SELECT COUNT(*) FROM search_units").fetchone()[0] == units
        assert search(store, "погибли", source="a_temirtau").total > 0
        _integrity(store)


# ---------------------------------------------------------------------------------------------- CLI

def test_cli_search_jsonl(db):
    result = CliRunner().invoke(app, ["search", "погибших", "--db", db, "--kind", "figure", "-f", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert rows and {r["kind"] for r in rows} == {"figure"}
    assert all(any(p["match"] for p in r["snippet"]) for r in rows)


def test_cli_search_table_and_bad_kind(db):
    result = CliRunner().invoke(app, ["search", '"комендантский час"', "--db", db])
    assert result.exit_code == 0 and "[комендантский час]" in result.output
    result = CliRunner().invoke(app, ["search", "x", "--db", db, "--kind", "article"])
    assert result.exit_code == 2
