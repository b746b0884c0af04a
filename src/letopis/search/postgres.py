"""Search on PostgreSQL: tsvector columns with GIN indexes (migrations/postgresql/0005_search.sql) in place of the
FTS5 table, over the same units (search.units), with the same query language (search.syntax), filters and snippets.

What a unit's search_text row holds:

* `lemmas`: the project's lemma of each word (search.analyzer: pymorphy2 with its fixes; PostgreSQL has no Russian
  lemmatiser), one position per word, as a tsvector literal, so "погиб" finds погибли, погибших (all "погибнуть").
* `stems`: `to_tsvector('letopis_russian', …)` of the unit's words, folded (ё → е): PostgreSQL's own Russian
  morphology, the Snowball stemmer of its `russian` configuration, where the SQLite index has PyStemmer's stems.
  letopis_russian is `russian` without stop words (migration 0005): a phrase keeps every word, as on SQLite
  ('"в Алматы"' would otherwise be just 'Алматы').
* `types`, `places`, `entities`, `claimants`: the filter values, one lexeme per word as FTS5's unicode61 splits them
  (letters, digits and combining marks), lower case, positions in order.

A clause (a word, or a "phrase") matches when its lemmas stand in the unit in this order (`'a' <-> 'b'` on lemmas),
or its words do by PostgreSQL's Russian stems (`phraseto_tsquery('letopis_russian', …)` on stems), or its lemmas
with places do (search.syntax.Clause.places); OR between clauses, -exclusion and the filters are SQL around them.
Ranking is `ts_rank` (lemma matches weigh 1, stem matches 0.6, normalised by the unit's length), not BM25: the same
items come back, in a somewhat different order. The matching words are marked by search.snippet, as on SQLite.

Where the two indexes can differ, and why: the stem side is Snowball's Russian on both, but the SQLite index keeps a
surname's -ов/-ев/-ин (Snowball cuts "Токаев" to "тока") and gives words the dictionary does not know their gazetteer
form or one case ending cut, where PostgreSQL stems every word. The lemma side is the same on both and carries every
word, so this rarely changes what is found (tests/postgres/test_pg_search.py lists the queries compared).

A unit is indexed up to its 16383rd word (PostgreSQL's largest position) and 900 kB of terms; words longer than 255
characters are left out (tsvector limits; no real word is affected).
"""
from __future__ import annotations

import bisect
import re
from typing import Sequence

from .analyzer import WORD, fold
from .query import SearchError
from .syntax import Clause, Query

MAX_POSITION = 16383          # PostgreSQL's largest tsvector position
MAX_WORD = 255                # longer "words" (a hostile run of letters) are not indexed
MAX_BYTES = 900_000           # a tsvector holds at most 1 MB
LEMMA, STEM = 1.0, 0.6        # rank weights, as search.query.WEIGHTS
RANK_WINDOW = 5_000           # as search.query: a query matching more ranks about this many of the latest units

_LEXEME = re.compile(r"(?:[^\W_]|[\u0300-\u036f])+")
_COLUMNS = ("u.id, u.kind, u.unit_id, u.doc_id, u.start, u.stop, u.body_start, u.body_stop, u.date_start, "
            "u.date_end, u.type, u.event_id")
_FROM = "FROM search_units u JOIN search_text t ON t.id = u.id"
_NEWEST = "ORDER BY u.date_start DESC NULLS LAST, u.id DESC"         # SQLite's DESC puts NULL last
_INSERT_UNIT = ("INSERT INTO search_units (id, kind, unit_id, doc_id, start, stop, body_start, body_stop, date_start,"
                " date_end, type, event_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)")
_INSERT_TEXT = ("INSERT INTO search_text (id, lemmas, stems, kind, types, places, entities, claimants) VALUES "
                "(?, ?::tsvector, to_tsvector('letopis_russian', ?), ?, ?::tsvector, ?::tsvector, ?::tsvector,"
                " ?::tsvector)")


# ---------------------------------------------------------------------------------------------- terms

def lexemes(text: str) -> list[str]:
    """The words of a filter value as FTS5's unicode61 tokenizer sees them, lower case."""
    return [m.group().lower() for m in _LEXEME.finditer(text)]


def _quote(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector(terms: Sequence[str]) -> str:
    """A tsvector literal: each term at its position (1, 2, …), within PostgreSQL's limits (module docstring)."""
    out, size = [], 0
    for i, term in enumerate(terms[:MAX_POSITION], start=1):
        if not term or len(term) > MAX_WORD:
            continue
        size += len(term.encode("utf-8")) + 8
        if size > MAX_BYTES:
            break
        out.append(f"{_quote(term)}:{i}")
    return " ".join(out)


def _words(terms: Sequence[str]) -> str:
    """Words for to_tsvector, within the same limits (a skipped word keeps its place as a stop word would)."""
    kept, size = [], 0
    for w in terms[:MAX_POSITION]:
        size += len(w.encode("utf-8")) + 1
        if size > MAX_BYTES:
            break
        kept.append(w if len(w) <= MAX_WORD else "_")
    return " ".join(kept)


def _phrase(terms: Sequence[str]) -> str:
    return "(" + " <-> ".join(_quote(t) for t in terms) + ")"


def _clause_lemmas(c: Clause) -> str:
    """The tsquery of a clause's lemmas (and of its lemmas with places), on the lemmas column."""
    parts = [_phrase(c.lemmas)]
    if c.places:
        parts.append(_phrase(c.places))
    return "(" + " | ".join(parts) + ")"


def _clause_words(c: Clause) -> str:
    """A clause's words, folded, for phraseto_tsquery('letopis_russian', …) on stems."""
    return " ".join(fold(m.group()) for m in WORD.finditer(c.text))


def _clauses(clauses: Sequence[Clause]) -> tuple[str, list]:
    """SQL true when any of `clauses` matches, and its arguments."""
    stems = " || ".join(["phraseto_tsquery('letopis_russian', ?)"] * len(clauses))
    return (f"(t.lemmas @@ ?::tsquery OR t.stems @@ ({stems}))",
            [" | ".join(_clause_lemmas(c) for c in clauses), *(_clause_words(c) for c in clauses)])


# ---------------------------------------------------------------------------------------------- writing

class _BodyWords:
    """The words of a body, folded; a unit takes those lying wholly inside its span (as search.index does)."""

    def __init__(self, body: str):
        found = list(WORD.finditer(body))
        self.starts = [m.start() for m in found]
        self.stops = [m.end() for m in found]
        self.words = [fold(m.group()) for m in found]

    def of(self, span: tuple[int, int]) -> list[str]:
        i = bisect.bisect_left(self.starts, span[0])
        j = bisect.bisect_right(self.stops, span[1], lo=i)
        return self.words[i:j]


def write_rows(store, batch) -> int:
    """search.index.write_rows on PostgreSQL: replace the units of each (doc_id, Rows | None) in one transaction."""
    db = store.db
    ids = [doc_id for doc_id, _ in batch]
    with store.transaction():
        db.execute("DELETE FROM search_units WHERE doc_id = ANY(?)", (ids,))      # search_text rows cascade
        db.execute("DELETE FROM search_sources WHERE doc_id = ANY(?)", (ids,))
        db.executemany("INSERT OR IGNORE INTO search_sources (doc_id, name) VALUES (?,?)",
                       [(doc_id, name) for doc_id, rows in batch if rows for name in rows.sources])
        last = db.execute("SELECT COALESCE(MAX(id), 0) FROM search_units").fetchone()[0]
        bodies = {r[0]: _BodyWords(r[1]) for r in db.execute("SELECT id, body FROM documents WHERE id = ANY(?)",
                                                            ([d for d, rows in batch if rows],))}
        units, texts = [], []
        for doc_id, rows in batch:
            for unit, text in (rows.units if rows else ()):
                i = last + len(units) + 1
                units.append((i, *unit))
                lemmas, _stems, kind, types, places, entities, claimants = text
                texts.append((i, tsvector(lemmas.split()), _words(bodies[doc_id].of((unit[5], unit[6]))), kind,
                              tsvector(lexemes(types)), tsvector(lexemes(places)), tsvector(lexemes(entities)),
                              tsvector(lexemes(claimants))))
        db.executemany(_INSERT_UNIT, units)
        db.executemany(_INSERT_TEXT, texts)
    return len(units)


def clear(store) -> None:
    """Drop the whole index (search.index.reindex)."""
    with store.transaction():
        store.db.execute("DELETE FROM search_sources")
        store.db.execute("DELETE FROM search_units")          # search_text rows cascade


def optimize(store) -> None:
    """After a bulk load: fresh planner statistics (GIN indexes need no merging)."""
    store.db.execute("ANALYZE search_units")
    store.db.execute("ANALYZE search_text")


# ---------------------------------------------------------------------------------------------- reading

def find(db, query: Query, f, limit: int, offset: int) -> tuple[int, list]:
    """(total, rows of the page) for search.query.search: ranked when the query has words, else newest first."""
    import psycopg

    where, args = [], []
    for group in query.include:
        cond, a = _clauses(group)
        where.append(cond)
        args += a
    if f.types:
        terms = [_phrase(lexemes(t)) for t in f.types if lexemes(t)]
        where.append("t.types @@ ?::tsquery" if terms else "1=0")
        args += [" | ".join(terms)] if terms else []
    for column, terms, exact in f.names:
        words = [w for term in terms for w in lexemes(term)]
        if not words:
            where.append("1=0")
            continue
        where.append(f"t.{column} @@ ?::tsquery")
        args.append(_phrase(words) if exact else " & ".join(f"{_quote(w)}:*" for w in words))
    if f.kinds:
        where.append(f"u.kind IN ({','.join('?' * len(f.kinds))})")
        args += f.kinds
    if query.exclude:
        cond, a = _clauses(query.exclude)
        where.append(f"NOT {cond}")
        args += a
    where += f.sql
    args += f.args
    cond = " AND ".join(where) or "TRUE"
    try:
        total = db.execute(f"SELECT COUNT(*) {_FROM} WHERE {cond}", args).fetchone()[0]
        if not query.include:
            rows = db.execute(f"SELECT {_COLUMNS}, 0.0::float8 AS rank {_FROM} WHERE {cond} {_NEWEST} LIMIT ? OFFSET ?",
                              [*args, limit, offset]).fetchall()
            return total, rows
        clauses = query.clauses
        lemmas = " | ".join(_clause_lemmas(c) for c in clauses)
        stems = " || ".join(["phraseto_tsquery('letopis_russian', ?)"] * len(clauses))
        rank = (f"(-({LEMMA} * ts_rank(t.lemmas, ?::tsquery, 1) + {STEM} * ts_rank(t.stems, ({stems}), 1)))::float8"
                " AS rank")
        rank_args = [lemmas, *(_clause_words(c) for c in clauses)]
        page = f"SELECT {_COLUMNS}, {rank} {_FROM} WHERE {cond}{{window}} ORDER BY rank, u.id LIMIT ? OFFSET ?"
        if total > RANK_WINDOW and offset + limit <= RANK_WINDOW // 2:
            last = db.execute("SELECT MAX(id) FROM search_units").fetchone()[0] or 0
            cut = last - int(last * RANK_WINDOW / total)            # about RANK_WINDOW matches lie above the cut
            rows = db.execute(page.format(window=" AND u.id > ?"), [*rank_args, *args, cut, limit, offset]).fetchall()
            if len(rows) == limit or offset + len(rows) >= total:
                return total, rows
        return total, db.execute(page.format(window=""), [*rank_args, *args, limit, offset]).fetchall()
    except psycopg.Error as e:
        raise SearchError(f"search failed: {str(e).strip().splitlines()[0]}") from e
