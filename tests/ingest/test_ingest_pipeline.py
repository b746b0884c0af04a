"""read_inputs()/read_text() end to end: the seed articles, encodings of the same article, and a batch with
every kind of bad input, where each gives a stored Rejection and none stops the others."""
from __future__ import annotations

import io
import zipfile

import pytest
from ingest_helpers import PLAIN_PARAGRAPH, assert_copied, needs_seeds, seed_path

from letopis.ingest import Document, IngestOptions, PartialDate, Rejection, read_inputs, read_text
from letopis.ingest import pipeline

SEED_CASES = [
    # prefix, format, published, title check
    ("000", "frontmatter", PartialDate(2011, 12, 16), "В Киеве почтили память"),
    ("001", "dump", PartialDate(2022, 1), None),
    ("002", "plain", None, "Казахстан"),
    ("003", "dump", PartialDate(2022, 1), None),
    ("004", "dump", PartialDate(2022, 1), None),
]


@needs_seeds
@pytest.mark.parametrize("prefix,fmt,published,title", SEED_CASES)
def test_pipeline_seed(prefix, fmt, published, title):
    (doc,) = read_inputs([seed_path(prefix)])
    assert isinstance(doc, Document), doc
    assert doc.format == fmt
    assert doc.published == published
    if published:
        assert doc.precision == ("day" if published.day else "month")
    if title is None:
        assert doc.title is None
    else:
        assert doc.title.startswith(title)
        assert doc.text[slice(*doc.title_span)] == doc.title
    with open(seed_path(prefix), encoding="utf-8", newline="") as f:
        assert doc.text == f.read()
    assert_copied(doc)


@needs_seeds
@pytest.mark.parametrize("prefix", ["000", "002"])
@pytest.mark.parametrize("codec", ["cp1251", "utf-16", "utf-8-sig"])
def test_pipeline_seed_in_other_encoding_has_same_id(prefix, codec):
    with open(seed_path(prefix), encoding="utf-8", newline="") as f:
        text = f.read()
    (original,) = read_inputs([seed_path(prefix)])
    (copy,) = read_text("copy.txt", text.encode(codec))
    assert copy.id == original.id
    assert (copy.title, copy.published, copy.body) == (original.title, original.published, original.body)


@pytest.mark.parametrize("codec", ["utf-8", "utf-8-sig", "utf-16", "cp1251", "koi8-r"])
def test_pipeline_same_article_same_id(codec):
    text = "Власти ввели режим ЧП\n\n" + PLAIN_PARAGRAPH
    (doc,) = read_text(f"news.{codec}.txt", text.encode(codec))
    (reference,) = read_text("news.txt", text.encode("utf-8"))
    assert doc.id == reference.id
    assert doc.title == "Власти ввели режим ЧП"


def test_pipeline_crlf_is_preserved():
    text = ("---\r\ntitle: Митинг\r\ndate: 2022-01-05\r\n---\r\n\r\n"
            "# Митинг\r\n\r\nПрошёл **митинг**.\r\nЗадержаны 5 человек.\r\n")
    (doc,) = read_text("crlf.md", text.encode("cp1251"))
    assert doc.text == text
    assert doc.body == "Митинг\r\n\r\nПрошёл митинг.\r\nЗадержаны 5 человек."
    assert (doc.published, doc.title) == (PartialDate(2022, 1, 5), "Митинг")
    assert_copied(doc)


def test_pipeline_batch_of_bad_inputs(tmp_path):
    files = {
        "01-good.txt": " date 2022-01 Власти ввели комендантский час.".encode(),
        "02-empty.txt": b"",
        "03-binary.dat": b"\x00\x01\x02\x03" * 64,
        "04-big.txt": ("Очень длинная заметка. " * 200).encode(),
        "05-undecodable.txt": bytes(range(0x80, 0xC0)) * 3,
        "06-yaml.md": "---\ntitle: [Митинг\n---\nТекст.".encode(),
        "07-laughs.md": "---\na: &a [\"ха\",\"ха\"]\nb: &b [*a,*a]\n---\nТекст.".encode(),
        "08-feed.jsonl": '{"text": "Первая запись."}\n{"text": \n'.encode(),
        "09-evil.zip": _zip({"../up.txt": b"x", "ok.txt": "Заметка из архива.".encode()}),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    got = [(i.source.replace(str(tmp_path) + "/", ""), i.reason if isinstance(i, Rejection) else "doc")
           for i in read_inputs([str(tmp_path), str(tmp_path / "missing.txt")], IngestOptions(max_bytes=2000))]
    assert got == [
        ("01-good.txt", "doc"),
        ("02-empty.txt", "empty"),
        ("03-binary.dat", "binary"),
        ("04-big.txt", "too-large"),
        ("05-undecodable.txt", "undecodable"),
        ("06-yaml.md", "bad-front-matter"),
        ("07-laughs.md", "bad-front-matter"),
        ("08-feed.jsonl#1", "doc"),
        ("08-feed.jsonl#2", "bad-record"),
        ("09-evil.zip!../up.txt", "unsafe-path"),
        ("09-evil.zip!ok.txt", "doc"),
        ("missing.txt", "not-found"),
    ]


def test_pipeline_reader_bug_becomes_rejection(monkeypatch):
    def broken(raw, text, encoding, options):
        raise KeyError("oops")
        yield

    monkeypatch.setitem(pipeline.READERS, "plain", broken)
    (rej,) = read_text("a.txt", "Просто текст.".encode())
    assert (rej.source, rej.reason) == ("a.txt", "reader-error")


def test_pipeline_forced_format_and_json_round_trip():
    (doc,) = read_text("a.txt", "# Заголовок\n\nТекст *с* разметкой.".encode(), fmt="markdown")
    assert doc.body == "Заголовок\n\nТекст с разметкой."
    assert Document.from_json(doc.to_json()) == doc


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()
