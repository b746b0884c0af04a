"""The trie form of a lexicon alternation (annotate/times.py `_alt`) matches what the plain one, longest word first,
matches: the same spans at the same places, on any words and any text over a small alphabet."""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from letopis.annotate.times import _trie

ALPHABET = "аебв Е"
words = st.lists(st.text(alphabet="аебв ", min_size=1, max_size=5).map(lambda w: " ".join(w.split())).filter(bool),
                 min_size=1, max_size=8)


def plain(ws: list[str]) -> str:
    one = [r"\s+".join(re.escape(p).replace("е", "[её]") for p in w.split()) for w in ws]
    return "|".join(sorted(one, key=len, reverse=True))


@settings(max_examples=300, deadline=None)
@given(words, st.text(alphabet=ALPHABET + "ё", max_size=40), st.sampled_from(["", r"(?!\w)", r"\s+б"]))
def test_trie_alternation_matches_as_the_plain_one(ws, text, after):
    a = re.compile(f"(?:{plain(ws)}){after}", re.I)
    b = re.compile(f"(?:{_trie([tuple(w) for w in ws])}){after}", re.I)
    assert [m.span() for m in a.finditer(text)] == [m.span() for m in b.finditer(text)]
