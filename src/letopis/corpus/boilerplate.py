"""The text side of boilerplate detection: passages, shingles and runs of shared passages.

A *passage* is one sentence (razdel) of a blank-line paragraph of the body. Sentences, not paragraphs, are the
unit because the text that recurs across articles is often not a paragraph of its own: one-line dumps have no
paragraph breaks at all, and a background block is copied with sentences added, dropped or reworded. A run of
shared sentences inside one paragraph is what gets flagged (`group_runs`).

Normalisation (`normalise`): lower case, ё → е, words and numbers only (punctuation, quotes and dashes dropped),
one space between words. Digits are kept: a sentence whose numbers changed ("погибли 225" → "погибли 227") is a new
report, not boilerplate, so passages also carry their `numbers` and the index compares them (see dedup.py).
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from razdel import sentenize

Span = tuple[int, int]

WORD = re.compile(r"\w+")
DIGITS = re.compile(r"\d+")
PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")

# Passage states read by `group_runs`.
SHARED = "shared"      # a near-duplicate with the same numbers is in another document
CHANGED = "changed"    # a near-duplicate is in another document, but its numbers differ: new figures, not boilerplate
UNIQUE = "unique"      # no near-duplicate elsewhere


@dataclass(frozen=True, slots=True)
class Passage:
    """One sentence of the body: `span` into the body, the index of its blank-line paragraph, its normalised text."""

    paragraph: int
    span: Span
    text: str          # normalised (see `normalise`)
    words: int
    numbers: str       # digit runs in order, "|"-joined: "2|2022"; "" when none

    def to_json(self) -> dict:
        return {"paragraph": self.paragraph, "span": list(self.span), "text": self.text,
                "words": self.words, "numbers": self.numbers}


@dataclass(frozen=True, slots=True)
class Marked:
    """A passage as stored by the index, with its state (SHARED, CHANGED or UNIQUE): what `group_runs` reads."""

    paragraph: int
    span: Span
    words: int
    state: str

    def to_json(self) -> dict:
        return {"paragraph": self.paragraph, "span": list(self.span), "words": self.words, "state": self.state}


@dataclass(frozen=True, slots=True)
class Run:
    """Consecutive shared passages of one paragraph: `members` index the passages given to `group_runs`."""

    span: Span
    members: tuple[int, ...]
    words: int

    def to_json(self) -> dict:
        return {"span": list(self.span), "members": list(self.members), "words": self.words}


def normalise(text: str) -> str:
    """'Митинги в «Алма-Ате» начались 2 января' → 'митинги в алма ате начались 2 января'."""
    return " ".join(WORD.findall(text.lower().replace("ё", "е")))


def paragraphs(body: str) -> Iterator[Span]:
    """Spans of the blank-line separated paragraphs of `body`, surrounding whitespace excluded."""
    start = 0
    for m in PARAGRAPH_BREAK.finditer(body):
        yield from _stripped(body, start, m.start())
        start = m.end()
    yield from _stripped(body, start, len(body))


def passages(body: str, min_words: int = 6) -> list[Passage]:
    """The sentences of `body` with at least `min_words` words, in order; shorter ones ("Фото: Reuters") are skipped."""
    out = []
    for index, (p0, p1) in enumerate(paragraphs(body)):
        for sent in sentenize(body[p0:p1]):
            text = normalise(sent.text)
            words = text.count(" ") + 1 if text else 0
            if words >= min_words:
                out.append(Passage(index, (p0 + sent.start, p0 + sent.stop), text, words,
                                   "|".join(DIGITS.findall(text))))
    return out


def char_shingles(text: str, n: int = 5) -> set[bytes]:
    """Character n-grams of normalised text (robust to inflection and single-word edits); the text itself if shorter."""
    if len(text) <= n:
        return {text.encode("utf-8")} if text else set()
    return {text[i:i + n].encode("utf-8") for i in range(len(text) - n + 1)}


def word_shingles(text: str, n: int = 3) -> set[bytes]:
    """Word n-grams of normalised text (w-shingling, Broder 1997); all words as one shingle if there are fewer."""
    words = text.split()
    if len(words) < n:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i:i + n]).encode("utf-8") for i in range(len(words) - n + 1)}


def group_runs(items: Sequence[Marked], max_gap: int = 1, min_passages: int = 2,
               min_words: int = 20) -> list[Run]:
    """Runs of shared passages within one paragraph, in order.

    A run may bridge at most `max_gap` consecutive UNIQUE passages (a sentence the other copy dropped or rewrote);
    a CHANGED passage (same sentence, other numbers) or a paragraph break ends it. A run counts only with at least
    `min_passages` shared passages or `min_words` words in them: one common sentence (a quote several outlets
    repeat, a stock phrase) is not a background paragraph.
    """
    runs: list[Run] = []
    members: list[int] = []
    gap = 0

    def close() -> None:
        words = sum(items[i].words for i in members)
        if members and (len(members) >= min_passages or words >= min_words):
            runs.append(Run((items[members[0]].span[0], items[members[-1]].span[1]), tuple(members), words))
        members.clear()

    for i, item in enumerate(items):
        if members and item.paragraph != items[members[-1]].paragraph:
            close()
        if item.state == SHARED:
            members.append(i)
            gap = 0
        elif item.state == UNIQUE and members and gap < max_gap:
            gap += 1
        else:
            close()
            gap = 0
    close()
    return runs


def within(span: Span, spans: Sequence[Span]) -> bool:
    """True when `span` lies inside one of `spans` (an empty span at a boundary counts as inside)."""
    start, stop = span
    return any(s0 <= start and stop <= s1 for s0, s1 in spans)


def _stripped(body: str, start: int, stop: int) -> Iterator[Span]:
    while start < stop and body[start].isspace():
        start += 1
    while stop > start and body[stop - 1].isspace():
        stop -= 1
    if stop > start:
        yield (start, stop)
