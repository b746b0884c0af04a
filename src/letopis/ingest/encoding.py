"""Bytes → text, exactly as decoded: the encoding is found, the text is never rewritten.

Order of opinions (first that holds wins):

1. empty or whitespace-only bytes → `EmptyInput`;
2. a byte-order mark (UTF-32, UTF-8, UTF-16) decides; the BOM itself is stripped;
3. known binary signatures (PNG, PDF, ELF…) → `BinaryInput`; NUL bytes or over 10 % control bytes:
   BOM-less UTF-16 if the result reads as Russian or Latin text (NULs and 0x04s in one byte lane),
   else `BinaryInput`;
4. strict UTF-8; UTF-8 cut inside its last character (a truncated file) is read without that character, and
   UTF-8 with bytes of another encoding inside (`_broken_utf8`) is `Undecodable`, never read as mojibake;
5. 8-bit Cyrillic: cp1251, koi8-r, cp866 and iso8859-5 are each scored by how Russian they read
   (`russian_score`: lowercase share, common-letter share, natural word casing, Russian letters among
   non-ASCII); the best wins, ties going to cp1251. charset-normalizer alone confuses these pages on short
   texts (a koi8-r headline comes back as shift_jis, a cp1251 page as mac-cyrillic), so it only gets the
   last word. mac-cyrillic is left to it on purpose: it differs from cp1251 only in capitals and `я`, and
   scoring it would cost cp1251 texts more than it wins;
6. charset-normalizer's best guess (European and Unicode families only) if its text reads as letters
   (other languages), else `Undecodable`.

Newlines are left alone: `\\r\\n` stays `\\r\\n`, so every offset points into the file as it is.
"""
from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from ..errors import BinaryInput, EmptyInput, Undecodable

BOMS = (  # longest first: the UTF-32 LE mark begins with the UTF-16 LE mark
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

BINARY_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"\x7fELF", "ELF executable"),
    (b"MZ\x90\x00", "Windows executable"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "MS Office document"),
    (b"SQLite format 3\x00", "SQLite database"),
)

CYRILLIC_8BIT = ("cp1251", "koi8-r", "cp866", "iso8859-5")  # ties go to the first
# charset-normalizer guesses we believe: European 8-bit and Unicode families. Its CJK guesses for
# a few stray high bytes (johab, big5, shift_jis) are noise for a Russian news reader.
FALLBACK_FAMILIES = ("utf-", "cp12", "cp8", "cp1125", "iso8859-", "latin", "koi8-", "mac-", "kz1048", "ptcp154")

# Russian letters by frequency; the first fifteen cover about 80 % of running text.
COMMON_RU = set("оеаинтсрвлкмдпу")
RUSSIAN = re.compile(r"[А-Яа-яЁё]")
LATIN = re.compile(r"[A-Za-z]")
WORD = re.compile(r"\w+")
# Non-ASCII characters a Russian text may contain besides letters.
RU_PUNCT = set("«»„“”‘’—–…№\u00a0\u00ad°§·•€")

CONTROL_BYTES = frozenset(range(0, 32)) - {9, 10, 11, 12, 13, 27} | {127}
MAX_CONTROL_SHARE = 0.10
ASCII_PROBE = bytes(range(32, 127)) + b"\t\n\r"
SAMPLE = 1 << 16
# Cyrillic letters in UTF-8 are two bytes, D0–D3 then 80–BF; in an 8-bit Russian text that pair is a capital
# Р/С followed by punctuation (`Р»`), which is rare. Many of them in a file that is not valid UTF-8: mixed.
UTF8_CYRILLIC = re.compile(rb"[\xd0-\xd3][\x80-\xbf]")
MIN_UTF8_PAIRS = 4
MIXED_UTF8_SHARE = 0.2


def decode(data: bytes) -> tuple[str, str]:
    """Decode `data` to (text, encoding name). Raises EmptyInput, BinaryInput or Undecodable."""
    if not data.strip():
        raise EmptyInput("the input is empty or whitespace only; nothing to read")
    for bom, name in BOMS:
        if data.startswith(bom):
            return _checked(_decode_strict(data[len(bom):], name, "its byte-order mark"), name)
    _refuse_signatures(data)
    if b"\x00" in data or _control_share(data) > MAX_CONTROL_SHARE:
        name = _bomless_utf16(data)
        if name is None:
            raise BinaryInput("the input contains NUL or control bytes and is not UTF-16 text; "
                              "is it a binary file?")
        return _checked(data.decode(name), name)
    try:
        return _checked(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as e:
        _broken_utf8(data, e)
        if _truncated_utf8(data, e):
            return _checked(data[:e.start].decode("utf-8"), "utf-8")
    scored = []
    for rank, name in enumerate(CYRILLIC_8BIT):  # judged on a sample: single-byte pages cannot split a char
        sample = _try(data[:SAMPLE], name)
        if sample is not None and russian_plausible(sample):
            scored.append((russian_score(sample), -rank, name))
    for _, _, name in sorted(scored, reverse=True):
        text = _try(data, name)
        if text is not None:
            return _checked(text, name)
    guess = _normalizer_guess(data)
    if guess:
        text = _try(data, guess)
        if text is not None and _reads_as_letters(text):
            return _checked(text, guess)
    raise Undecodable("the bytes are not UTF-8, UTF-16 or Cyrillic (cp1251, koi8-r, cp866) text; "
                      "convert the file to UTF-8")


def russian_score(text: str) -> float:
    """How Russian a decoding reads, 0…1: the mean of four shares — lowercase letters, letters among the
    commonest fifteen, words cased naturally (`слово`, `Слово`, `СЛОВО`, not `сЛОво`), and Russian letters or
    punctuation among non-ASCII characters. Wrong Cyrillic code pages swap case, scramble letters and turn
    capitals or quotes into symbols, so each share drops for them."""
    words = [w for w in WORD.findall(text) if RUSSIAN.search(w)]
    letters = RUSSIAN.findall(text)
    high = [ch for ch in text if ord(ch) > 127]
    if not words or not high:
        return 0.0
    lower = sum(ch.islower() for ch in letters) / len(letters)
    common = sum(ch.lower() in COMMON_RU for ch in letters) / len(letters)
    natural = sum(1 for w in words if w.islower() or w.isupper() or w.istitle()) / len(words)
    russian = sum(1 for ch in high if RUSSIAN.match(ch) or ch in RU_PUNCT) / len(high)
    return (lower + common + natural + russian) / 4


def russian_plausible(text: str) -> bool:
    """True if the non-ASCII characters of `text` are Russian letters and punctuation, used in Russian words."""
    high = [ch for ch in text if ord(ch) > 127]
    if not high:
        return False
    russian = sum(1 for ch in high if RUSSIAN.match(ch) or ch in RU_PUNCT)
    if russian / len(high) < 0.8:
        return False
    words = [w for w in WORD.findall(text) if RUSSIAN.search(w)]
    mixed = sum(1 for w in words if LATIN.search(w))
    return bool(words) and mixed / len(words) < 0.5


def canonical(name: str) -> str:
    """'utf_16' → 'utf-16', 'KOI8_R' → 'koi8-r': Python's canonical codec name."""
    try:
        return codecs.lookup(name).name
    except LookupError:
        return name.lower().replace("_", "-")


def _decode_strict(data: bytes, name: str, why: str) -> str:
    try:
        return data.decode(name)
    except UnicodeDecodeError as e:
        raise Undecodable(f"the input looks like {name} by {why} but does not decode at byte {e.start}; "
                          "re-save it as UTF-8") from None


def _checked(text: str, name: str) -> tuple[str, str]:
    if not text.strip():
        raise EmptyInput("the input holds only whitespace; nothing to read")
    sample = text[:SAMPLE]
    control = sum(1 for ch in sample if ord(ch) in CONTROL_BYTES or ch == "\x00")
    if control > MAX_CONTROL_SHARE * len(sample):
        raise BinaryInput(f"decoded as {name}, the input is mostly control characters; is it a binary file?")
    return text, canonical(name)


def _bomless_utf16(data: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' if `data` reads as Russian or ASCII text in that encoding, else None.

    Without a BOM, UTF-16 shows itself by NUL bytes (ASCII) or 0x04 bytes (Cyrillic) in one byte lane.
    """
    if len(data) % 2:
        return None
    for name in ("utf-16-le", "utf-16-be"):
        text = _try(data, name)
        if text is None:
            continue
        sample = text[:SAMPLE]
        ok = sum(1 for ch in sample if (ord(ch) < 128 and (ch.isprintable() or ch in "\t\n\r"))
                 or (ord(ch) < 0x250 and ch.isalpha()) or RUSSIAN.match(ch) or ch in RU_PUNCT)
        if ok >= 0.95 * len(sample):
            return name
    return None


def _truncated_utf8(data: bytes, error: UnicodeDecodeError) -> bool:
    """True for UTF-8 text cut inside its last character: every byte decodes except an unfinished sequence at
    the very end, and the text before it already holds UTF-8 multi-byte characters (so a legacy 8-bit file
    whose only high byte is its last is not taken for UTF-8)."""
    return (error.end == len(data) and error.reason == "unexpected end of data" and len(data) - error.start < 4
            and any(b >= 0x80 for b in data[:error.start]))


def _broken_utf8(data: bytes, error: UnicodeDecodeError) -> None:
    """Raise Undecodable for UTF-8 text with bytes of another encoding inside (files concatenated, a paragraph
    pasted from a cp1251 page): Cyrillic UTF-8 pairs make up a large share of the high bytes, yet the whole does
    not decode. Read as one 8-bit code page, the UTF-8 part would become mojibake (`Р’Р»Р°СЃС‚Рё`)."""
    if _truncated_utf8(data, error):
        return
    sample = data[:SAMPLE * 4]
    pairs = len(UTF8_CYRILLIC.findall(sample))
    high = sum(1 for b in sample if b >= 0x80)
    if pairs >= MIN_UTF8_PAIRS and 2 * pairs >= MIXED_UTF8_SHARE * high:
        raise Undecodable(f"the file mixes UTF-8 with another encoding (UTF-8 Cyrillic, and bytes that are not UTF-8 "
                          f"from byte {error.start}); re-save it in one encoding, UTF-8")


def _refuse_signatures(data: bytes) -> None:
    for magic, what in BINARY_SIGNATURES:
        if data.startswith(magic):
            raise BinaryInput(f"the input is a {what}, not text")


def _control_share(data: bytes) -> float:
    sample = data[:SAMPLE]
    return sum(1 for b in sample if b in CONTROL_BYTES) / len(sample)


def _normalizer_guess(data: bytes) -> str | None:
    """charset-normalizer's best ASCII-compatible encoding for `data` (EBCDIC and the like are refused)."""
    best = from_bytes(data[:SAMPLE]).best()
    if best is None:
        return None
    name = canonical(best.encoding)
    if not name.startswith(FALLBACK_FAMILIES) or _try(ASCII_PROBE, name) != ASCII_PROBE.decode("ascii"):
        return None
    return name


def _try(data: bytes, name: str) -> str | None:
    try:
        return data.decode(name)
    except (UnicodeDecodeError, LookupError):
        return None


def _reads_as_letters(text: str) -> bool:
    """True if most non-space characters are letters, digits or ordinary punctuation (not boxes or symbols)."""
    sample = [ch for ch in text[:SAMPLE] if not ch.isspace()]
    if not sample:
        return False
    good = sum(1 for ch in sample if ch.isalnum() or (ord(ch) < 128 and ch.isprintable()) or ch in RU_PUNCT)
    return good >= 0.9 * len(sample)
