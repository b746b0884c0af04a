"""Text → words with offsets and their index terms, the same way for an article and for a query.

A word is a run of letters and digits (a combining acute accent inside it is ignored); a hyphen splits words, so
"Алма-Ата" is the two words "алма" "ата" and a query for it is the phrase of both. Each word gets two terms:

* its **lemma** from pymorphy2, lower case with ё → е. A participle is indexed under its verb (pymorphy's normal
  form of a participle is the infinitive): "погиб", "погибли", "погибших", "погибшие" all become "погибнуть", even
  where pymorphy ranks the adjective reading ("погибший") first. Words that only look like participles keep their
  own lemma, and a few adjectives join their verb (`lemmas.tsv`: "данные", "бывший"; "раненых" → "ранить").
* its Snowball **stem** (PyStemmer, Russian), which catches what the context-free lemma splits: "Токаева" (pymorphy's
  first guess is a feminine surname) and "Токаев" both stem to "токаев" (a surname suffix is never cut).
* a word the dictionary does not know gets neither: pymorphy and Snowball invent forms for unknown names. It is
  indexed under the gazetteer's place it is a case form of ("Жанаозене" → "жанаозен", "Семеем" → "семей"), else
  with one case ending cut ("Кенеса" → "кенес").

A query word matches a text word when either term agrees. Terms are computed once per word form (lru_cache).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

WORD = re.compile(r"[^\W_](?:[^\W_]|\u0301)*")   # a word: letters and digits (stress marks inside)
_PARTICIPLE = {"PRTF", "PRTS", "GRND"}
_NAME = {"Name", "Surn", "Patr"}
_ENDINGS = sorted("а я у ю е ы и о ой ей ом ем ам ям ах ях ами ями ым им ых их ыми ими ого его ому ему ую юю ая яя"
                  .split(), key=len, reverse=True)
_SURNAME = re.compile(r"^(.{2,}?(?:ов|ев|ин|ын))(?:а|у|ым|ом|е|ой|ых|ыми|ы)?$")


@dataclass(frozen=True, slots=True)
class Word:
    """One word of a text: `[start, stop)` into the analysed text and its two index terms."""

    start: int
    stop: int
    text: str
    lemma: str
    stem: str

    def to_json(self) -> dict:
        return {"span": [self.start, self.stop], "text": self.text, "lemma": self.lemma, "stem": self.stem}


def fold(text: str) -> str:
    """Lower case, ё → е, no stress marks: how every term and every filter value is compared."""
    return text.lower().replace("ё", "е").replace("\u0301", "")


def words(text: str) -> list[Word]:
    """Every word of `text` with its offsets and terms."""
    out = []
    for m in WORD.finditer(text):
        lemma, stem = terms(m.group())
        out.append(Word(m.start(), m.end(), m.group(), lemma, stem))
    return out


@functools.lru_cache(maxsize=300_000)
def terms(word: str) -> tuple[str, str]:
    """(lemma, stem) of one word form, as written (case and ё do not matter)."""
    form = fold(word)
    if form.isdigit() or not _has_letters(form):
        return form, form
    if not _known(form):             # a place or name pymorphy and Snowball would invent forms for
        base = place(form) or _bare(form)
        return base, base
    return _lemma(form), _stem(form)


@functools.lru_cache(maxsize=100_000)
def place(word: str) -> str | None:
    """The one-word place of the gazetteer `word` is a case form of ("Семеем" → "семей"), else None. A word the
    dictionary does not know is indexed under it; a query word also tries it, since a place may be spelled like a
    form of a common word ("Семей": "семья")."""
    from ..annotate.gazetteer import gazetteer

    found = gazetteer().best(word)
    if found is None or " " in found.name or "-" in found.name:
        return None
    return fold(found.name)


def _has_letters(form: str) -> bool:
    return any(c.isalpha() for c in form)


def _known(form: str) -> bool:
    try:
        return _morph().word_is_known(form)
    except Exception:
        return False


def _bare(form: str) -> str:
    """A word the dictionary does not know ("Жанаозене", "Кенеса", "Тулегенова") loses one case ending, keeping
    at least three letters; -ов/-ев/-ин are no endings here, so "Тулегенов" and "Тулегенова" meet."""
    for ending in _ENDINGS:
        if form.endswith(ending) and len(form) - len(ending) >= 3:
            return form[: -len(ending)]
    return form


@functools.lru_cache(maxsize=300_000)
def _lemma(form: str) -> str:
    try:
        parses = _morph().parse(form)
    except Exception:  # pymorphy has no parse for some symbols; the word stands for itself
        return form
    if not parses:
        return form
    lemmas = [fold(p.normal_form) for p in parses]
    table = _lemma_table()
    for lemma in lemmas:
        if lemma in table:
            return table[lemma]
    top = parses[0]
    if not top.is_known or _NAME & top.tag.grammemes:
        for p, lemma in zip(parses, lemmas):
            if "Surn" in p.tag.grammemes:      # "Токаева": the surname Токаев, not a first name Токаева
                return lemma
    for p, lemma in zip(parses, lemmas):
        if p.tag.POS in _PARTICIPLE:
            return lemma
    return lemmas[0]


def _stem(form: str) -> str:
    """Snowball's stem, except that a surname suffix it cut into is kept: "Токаев" → "токаев" (Snowball: "тока"),
    as "Токаева", "Токаеву", "Токаевым" stem; a common noun in -ов ("городов") keeps its lemma to match by."""
    stem = _stemmer().stemWord(form)
    m = _SURNAME.match(form)
    if m and len(stem) < len(m.group(1)):
        return m.group(1)
    return stem


# ---------------------------------------------------------------------------------------------- library adapters

@functools.cache
def _morph():
    import yargy.morph  # noqa: F401  -- patches pymorphy2 for Python >= 3.11 before it is imported
    import pymorphy2

    return pymorphy2.MorphAnalyzer()


@functools.cache
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("russian")


@functools.cache
def _lemma_table() -> dict[str, str]:
    """`lemmas.tsv`: lemma → the lemma it is indexed under."""
    text = resources.files(__package__).joinpath("lemmas.tsv").read_text(encoding="utf-8")
    rows = (line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#"))
    return {fold(a.strip()): fold(b.strip()) for a, b in rows}
