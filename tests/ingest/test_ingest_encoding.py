"""decode(): every encoding of the same Russian text gives the same text; bad bytes give their reason code."""
from __future__ import annotations

import random

import pytest
from ingest_helpers import PARAGRAPH

from letopis.errors import BinaryInput, EmptyInput, Undecodable
from letopis.ingest import decode
from letopis.ingest.document import content_id

HEADLINES = [
    "Президент заявил о протестах.",
    "В Алматы прошли митинги, задержаны десятки человек.",
    "Токаев: «Справимся сами» — 5 января",
    "Интернет в городе отключён уже третий день",
    PARAGRAPH,
]

ENCODINGS = [
    ("utf-8", "utf-8"),
    ("utf-8-sig", "utf-8-sig"),
    ("utf-16", "utf-16-le"),      # Python writes a little-endian BOM
    ("utf-16-be", "utf-16-be"),   # no BOM at all: found from the byte lanes
    ("cp1251", "cp1251"),
    ("koi8-r", "koi8-r"),
    ("cp866", "cp866"),
    ("iso8859-5", "iso8859-5"),
]


@pytest.mark.parametrize("text", HEADLINES)
@pytest.mark.parametrize("codec,expected", ENCODINGS)
def test_encoding_round_trip(text, codec, expected):
    try:
        data = text.encode(codec)
    except UnicodeEncodeError:
        pytest.skip(f"{codec} cannot hold this text")
    decoded, name = decode(data)
    assert decoded == text
    assert name == expected
    assert content_id(decoded) == content_id(text)


def test_encoding_bom_with_big_endian_utf16():
    decoded, name = decode(b"\xfe\xff" + PARAGRAPH.encode("utf-16-be"))
    assert (decoded, name) == (PARAGRAPH, "utf-16-be")


def test_encoding_utf8_bom_is_stripped():
    decoded, _ = decode("\ufeffВласти ввели режим ЧП".encode("utf-8"))
    assert decoded == "Власти ввели режим ЧП"


@pytest.mark.parametrize("codec", ["utf-8", "cp1251", "koi8-r", "utf-16"])
def test_encoding_crlf_is_kept(codec):
    text = "Заголовок новости\r\n\r\nПервый абзац.\r\nВторой абзац.\r\n"
    decoded, _ = decode(text.encode(codec))
    assert decoded == text
    assert decoded.count("\r\n") == 4


SHORT = ["Президент заявил о протестах.", "Митинг разогнали", "в среду вечером", "Только заголовок", "ночью"]


@pytest.mark.parametrize("text", SHORT)
@pytest.mark.parametrize("codec", ["cp1251", "koi8-r"])
def test_encoding_short_text_is_not_mistaken(text, codec):
    # charset-normalizer alone reads the first as shift_jis in koi8-r, the fourth as mac-cyrillic in cp1251
    assert decode(text.encode(codec)) == (text, codec)


@pytest.mark.parametrize("data,error,reason", [
    (b"", EmptyInput, "empty"),
    (b"  \r\n\t \n", EmptyInput, "empty"),
    ("\ufeff  \n".encode("utf-8"), EmptyInput, "empty"),
    (b"\x89PNG\r\n\x1a\n" + bytes(100), BinaryInput, "binary"),
    (b"text\x00with\x00nuls\x00\x01\x02", BinaryInput, "binary"),
    (bytes(range(1, 9)) * 50, BinaryInput, "binary"),
    (bytes(range(0x80, 0xC0)) * 3, Undecodable, "undecodable"),
    (b"\xff\xfe\x00\xd8", Undecodable, "undecodable"),  # UTF-16 BOM, then a lone surrogate
])
def test_encoding_bad_input(data, error, reason):
    with pytest.raises(error) as info:
        decode(data)
    assert info.value.reason == reason


def test_encoding_random_bytes_are_refused():
    data = random.Random(7).randbytes(4096)
    with pytest.raises((BinaryInput, Undecodable)):
        decode(data)
