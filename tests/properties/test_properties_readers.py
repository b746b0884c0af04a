"""Property tests: every reader, on any text, gives Documents whose offsets lie inside the text and point at the
characters they claim (or a Rejection with a clear reason, never a reader crash).

Each reader is forced on texts drawn from its own kind of markup mixed with arbitrary characters, so the
properties hold however badly the input matches the format the reader expects.
"""
from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from letopis.ingest import Document, Rejection, read_text
from letopis.ingest.pipeline import READERS

# reasons a reader may give on its own; the any-bytes test also meets the archive ones. `reader-error` is a bug.
READER_REASONS = {"empty", "binary", "undecodable", "bad-front-matter", "bad-record"}
ARCHIVE_REASONS = {"bad-archive", "archive-bomb", "unsafe-path", "too-large"}
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

WORDS = st.sampled_from(["Митинг", "в", "Алматы", "прошёл", "мирно", "Токаев", "12", "человек", "«цитата»", "ЧП",
                         "—", "2022-01-05", "9 января", "ё", "\u200b", "\u202e", "\x00", "\ufeff", "𝔸", "e\u0301"])
SPACES = st.sampled_from([" ", "\n", "\r\n", "\r", "\t", "\n\n", "\u00a0"])
MARKDOWN = st.sampled_from(["#", "# ", "**", "*", "_", "[", "](", ")", "![", "> ", "- ", "`", "```", "\\", "<b>",
                            "<https://e.org>", "===", "---", "[x]: u"])
HTML = st.sampled_from(["<p>", "</p>", "<div>", "</div>", "<br>", "<a href=\"x\">", "</a>", "<script>", "</script>",
                        "<style>", "</style>", "<!--", "-->", "&laquo;", "&raquo;", "&amp;", "&#1052;", "&nbsp;",
                        "<title>", "</title>", "<h1>", "</h1>", "<html>", "<body>", "<", ">", "\"", "'", "<a ",
                        "<p onclick=\"alert(1)\">", "<!doctype html>", "<article>", "</article>"])
JSONL = st.sampled_from(["{", "}", "[", "]", "\"text\": ", "\"title\": ", "\"date\": \"2022-01-05\"", ",", ":",
                         "\"", "\\u0000", "\\ud800", "\\n", "null", "1", "\n"])
CSV = st.sampled_from([",", ";", "\t", "\"", "\"\"", "\n", "title,text\n", "text;date\n", "\r\n"])
FRONT = st.sampled_from(["---\n", "title: ", "date: 2022-01-05\n", "author: Иванов\n", "&a ", "*a", "!!str ", "[",
                         "]", "{", "}", ": ", "- ", "...\n", "\n"])
ANY = st.text(max_size=8)


def texts(markup) -> st.SearchStrategy[str]:
    return st.lists(st.one_of(markup, WORDS, SPACES, ANY), max_size=50).map("".join)


def dump_texts() -> st.SearchStrategy[str]:
    prefix = st.sampled_from(["date 2022-01 ", " date 2022-01-05 ", " date 2022-13 ", "date 1999-00-00 ", ""])
    return st.tuples(prefix, texts(WORDS)).map("".join)


def front_matter_texts() -> st.SearchStrategy[str]:
    return st.tuples(st.just("---\n"), texts(FRONT), st.sampled_from(["\n---\n", "\n...\n", "\n"]),
                     texts(MARKDOWN)).map("".join)


def jsonl_texts() -> st.SearchStrategy[str]:
    record = st.fixed_dictionaries({"text": st.text(max_size=40)},
                                   optional={"title": st.text(max_size=10), "date": st.text(max_size=12)})
    line = st.one_of(record.map(lambda r: json.dumps(r, ensure_ascii=False)), texts(JSONL))
    return st.lists(line, max_size=6).map("\n".join)


def check(item, fmt: str, reasons: set[str] = READER_REASONS) -> None:
    if isinstance(item, Rejection):
        assert item.reason in reasons, (item.reason, item.message)
        assert item.message and "\n" not in item.message
        item.source.encode("utf-8")
        return
    assert isinstance(item, Document)
    doc = item
    covered = 0
    last = -1
    for b0, t0, n in doc.body_map.runs:
        assert n > 0 and b0 > last and 0 <= t0 and t0 + n <= len(doc.text) and b0 + n <= len(doc.body)
        assert doc.body[b0:b0 + n] == doc.text[t0:t0 + n]          # a run copies its characters
        last = b0 + n - 1
        covered += n
    if fmt != "html":      # every reader but HTML copies the body out of the text, character for character
        assert covered == len(doc.body)
    for start in range(len(doc.body)):
        for stop in (start, start + 1, len(doc.body)):
            t0, t1 = doc.body_map.span_to_text((start, stop))
            assert 0 <= t0 <= t1 <= len(doc.text)
    if doc.title_span is not None:
        s, e = doc.title_span
        assert 0 <= s <= e <= len(doc.text)
        if fmt in ("plain", "markdown"):
            assert doc.text[s:e].strip()                        # the span holds the words of the title
    for value in (doc.text, doc.body, doc.title or "", doc.author or "", doc.url or ""):
        value.encode("utf-8")                                   # storable: no lone surrogate anywhere
    assert Document.from_json(json.loads(json.dumps(doc.to_json()))) == doc


def read_all(name: str, text: str, fmt: str) -> list:
    items = read_text(name, text.encode("utf-8", "surrogatepass"), fmt=fmt)
    for item in items:
        check(item, fmt)
    return items


@FAST
@given(texts(WORDS))
def test_properties_plain(text):
    read_all("a.txt", text, "plain")


@FAST
@given(dump_texts())
def test_properties_dump(text):
    read_all("a.txt", text, "dump")


@FAST
@given(texts(MARKDOWN))
def test_properties_markdown(text):
    read_all("a.md", text, "markdown")


@FAST
@given(front_matter_texts())
def test_properties_frontmatter(text):
    read_all("a.md", text, "frontmatter")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts(HTML))
def test_properties_html(text):
    read_all("a.html", text, "html")


@FAST
@given(jsonl_texts())
def test_properties_jsonl(text):
    for item in read_all("a.jsonl", text, "jsonl"):
        if isinstance(item, Document):
            assert item.source.startswith("a.jsonl#")
            number = int(item.source.rsplit("#", 1)[1])
            record = json.loads(text.split("\n")[number - 1])
            assert item.text == record["text"]                   # the text is the record's field, exactly


@FAST
@given(texts(CSV))
def test_properties_csv(text):
    read_all("a.csv", text, "csv")


@FAST
@given(st.sampled_from(sorted(READERS)), st.binary(max_size=200))
def test_properties_any_bytes_any_reader(fmt, data):
    for item in read_text("blob", data, fmt=fmt):
        check(item, fmt, READER_REASONS | ARCHIVE_REASONS)
