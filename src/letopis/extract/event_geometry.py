"""Sentence geometry for the event stage: clauses, lines, quotations and dependency neighbours of tokens.

A sentence of the annotator can hold more than one line: a title runs into the lead, a heading without a full stop
into the next sentence ("Протесты и беспорядки в Казахстане Митинги … начались"). `geometry` numbers the lines and
the clauses of every sentence so that the rules of `events.py` and `event_where.py` can stay inside them.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Sequence

from ..annotate.nlp import Analysis, Sentence, Token

Span = tuple[int, int]
CLAUSE_BREAK = {",", ";", ":", "—", "–", "(", ")"}
SENTENCE_END = {".", "!", "?", "…", "?!", "!?", "..."}
QUOTES_OPEN, QUOTES_CLOSE = {"«"}, {"»"}   # “…” nest inside «…» and are often left unclosed
_PARAGRAPH = re.compile(r"\n\s*\n|\n")
_OWN_PREDICATION = {"acl", "acl:relcl", "advcl", "ccomp", "xcomp", "csubj", "parataxis", "conj", "root"}


@dataclass(frozen=True, slots=True)
class Sent:
    sent: Sentence
    clause: tuple[int, ...]        # clause number of each token
    quote: tuple[int, ...]         # id (>0) of the quotation each token is in, 0 outside
    paragraph: int
    line: tuple[int, ...]          # line number of each token within the sentence (a title line runs into the lead)


def quotes(text: str) -> list[Span]:
    """Top-level quotations «…» of the text (they may run over several sentences)."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in QUOTES_OPEN:
            if depth == 0:
                start = i
            depth += 1
        elif ch in QUOTES_CLOSE and depth:
            depth -= 1
            if depth == 0:
                out.append((start, i + 1))
    return out


def geometry(analysis: Analysis, heads: frozenset[str]) -> list[Sent]:
    """Clauses, lines, quotations and paragraph of every sentence; `heads` are the trigger lemmas."""
    breaks = [m.end() for m in _PARAGRAPH.finditer(analysis.text)]
    quoted = quotes(analysis.text)
    starts = [a for a, _ in quoted]
    out = []
    text = analysis.text
    named = sorted((m.start, m.stop) for m in analysis.mentions)
    for sent in analysis.sentences:
        clause, quote, line, c, n_line, prev = [], [], [], 0, 0, None
        for i, tok in enumerate(sent.tokens):
            if prev is not None and ("\n" in text[prev:tok.start] or heading_ends(sent.tokens, i, named, heads)):
                c, n_line = c + 1, n_line + 1
            prev = tok.stop
            if tok.text in CLAUSE_BREAK and not (tok.text == ":" and text[tok.start - 1:tok.start].isdigit()
                                                 and text[tok.stop:tok.stop + 1].isdigit()):
                c += 1                              # "с 21:00 до 06:00" breaks no clause
            clause.append(c)
            line.append(n_line)
            n = bisect.bisect_right(starts, tok.start) - 1      # the last quotation opened before the token
            quote.append(n + 1 if n >= 0 and tok.start < quoted[n][1] - 1 and tok.start > quoted[n][0] else 0)
        out.append(Sent(sent, tuple(clause), tuple(quote), sum(1 for b in breaks if b < sent.stop), tuple(line)))
    return out


def heading_ends(toks: Sequence[Token], i: int, named: list[Span], heads: frozenset[str]) -> bool:
    """A capitalised word in mid-sentence, after a word and outside any name, starts a new sentence: a heading
    without a full stop ran into it ("Протесты и беспорядки в Казахстане Митинги … начались")."""
    tok, before = toks[i], toks[i - 1]
    if not (tok.text[:1].isupper() and tok.text[1:2].islower()) or not before.text[-1:].isalnum():
        return False
    if before.pos in ("ADP", "CCONJ", "SCONJ"):
        return False                                # no heading ends in "во" or "и": "во Второй мировой войне"
    k = bisect.bisect_right(named, (tok.start, float("inf"))) - 1
    inside = k >= 0 and named[k][0] <= tok.start < named[k][1]
    if inside and named[k][0] < tok.start:
        return False                                # a word inside a name: "Организации Договора о …"
    if tok.lemma in heads:
        return True                                 # an event word, even where NER took it for a name
    return not inside


def predicate_in(g: Sent, line: int) -> bool:
    """Whether a line of the sentence has a predicate: a verb that is not an attributive participle, or a noun
    with a subject in a line that ends as a sentence does ("Это самое массовое убийство в истории страны.")."""
    toks = g.sent.tokens
    mine = [i for i, n in enumerate(g.line) if n == line]
    for i in mine:
        t = toks[i]
        if (t.pos in ("VERB", "AUX") or t.feat("Variant") == "Short") and not (
                t.feat("VerbForm") == "Part" and t.feat("Variant") != "Short"):
            return True
    if not mine or toks[mine[-1]].text not in SENTENCE_END:
        return False
    return any(toks[i].rel == "nsubj" and 0 <= toks[i].head < len(toks) and g.line[toks[i].head] == line
               and toks[toks[i].head].pos in ("NOUN", "PROPN") for i in mine)


def clause_of(g: Sent, offset: int) -> int:
    for t, c in zip(g.sent.tokens, g.clause):
        if t.stop > offset:
            return c
    return g.clause[-1] if g.clause else 0


def linked(g: Sent, i: int) -> list[int]:
    """Tokens of i's line within two dependency arcs of it, over commas ("В ходе стрельбы в синагоге …, погиб")."""
    if not g.sent.parsed:
        return []
    toks = g.sent.tokens

    def up(k: int | None) -> int | None:         # the head of k, over an arc inside one predication
        if k is None or toks[k].rel in _OWN_PREDICATION:
            return None
        h = toks[k].head
        return h if 0 <= h < len(toks) else None
    out = {up(i), up(up(i))}
    out |= {j for j in range(len(toks)) if i in (up(j), up(up(j)))}
    return sorted(j for j in out if j is not None and j != i and g.line[j] == g.line[i])


def governed_by(g: Sent, i: int, lemmas: frozenset[str], hops: int = 4) -> bool:
    """Whether one of `lemmas` governs token i within `hops` arcs of its predication ("требовали снижения цен, а
    затем отставки": yes; "требовали отставки и вышли на митинг": not for "митинг", "вышли" is a predicate of its
    own)."""
    toks = g.sent.tokens
    for _ in range(hops):
        if not g.sent.parsed or not 0 <= toks[i].head < len(toks):
            return False
        if toks[i].pos in ("VERB", "AUX") and toks[i].rel in _OWN_PREDICATION - {"xcomp", "ccomp", "csubj"}:
            return False
        i = toks[i].head
        if toks[i].lemma in lemmas:
            return True
    return False


def _earlier_sibling(g: Sent, i: int) -> int | None:
    """The noun before token i that has its head and relation, when i carries a coordinating "и"/"или"."""
    toks = g.sent.tokens
    t = toks[i]
    if not any(toks[c].rel == "cc" and toks[c].lemma in ("и", "или") for c in g.sent.children(i)):
        return None
    return next((j for j in range(i - 1, -1, -1) if toks[j].head == t.head and toks[j].rel == t.rel
                 and toks[j].pos in ("NOUN", "PROPN")), None)


def coordination_start(g: Sent, i: int) -> int:
    """The first conjunct of the noun phrase token i ends: "после [протестов и беспорядков]"."""
    toks = g.sent.tokens
    for _ in range(3):
        t = toks[i]
        sibling = _earlier_sibling(g, i) if g.sent.parsed else None
        if g.sent.parsed and t.rel == "conj" and 0 <= t.head < i and toks[t.head].pos in ("NOUN", "PROPN"):
            i = t.head
        elif sibling is not None:                   # "после аварии на ТЭЦ и последовавших за ней беспорядков":
            i = sibling                             # "и" hangs on the second noun, both on the verb
        elif not g.sent.parsed and i >= 2 and toks[i - 1].lemma in ("и", ",") and toks[i - 2].pos == "NOUN":
            i -= 2
        else:
            break
    return i
