"""The project's SQL is SQLite's; this module says, rule by rule, what each SQLite form is on PostgreSQL.

Every module that runs SQL writes it once, for SQLite (qmark parameters, `INSERT OR IGNORE`, `BEGIN IMMEDIATE`…).
On PostgreSQL the connection (`store.postgres`) hands each statement to `translate` first; the result is cached per
statement text, so a statement costs its rewriting once per process. Nothing here runs on the SQLite path.

    SQLite                                    PostgreSQL
    ?                                         %s   (and a literal % doubled: psycopg's placeholders)
    INSERT OR IGNORE INTO t …                 INSERT INTO t … ON CONFLICT DO NOTHING
    INSERT OR REPLACE INTO t (cols) …         INSERT INTO t (cols) … ON CONFLICT (primary key) DO UPDATE SET
                                              c = EXCLUDED.c for every other column; an identity column left out
                                              of the list is set to DEFAULT (REPLACE gives the row a new rowid)
    INSERT INTO t … (a single row, t with     … RETURNING pk, read into the cursor's `lastrowid`
    an identity primary key)
    BEGIN IMMEDIATE                           BEGIN, then pg_advisory_xact_lock(WRITE_LOCK): one writer at a time,
                                              as SQLite's write lock; readers never wait (MVCC)
    LIKE                                      ILIKE: text columns are COLLATE "C", where ILIKE folds ASCII only,
                                              exactly SQLite's case-insensitive LIKE
    MAX(a, b), MIN(a, b) (scalar)             GREATEST(a, b), LEAST(a, b) (NULLs: SQLite gives NULL, PostgreSQL
                                              the other value; the project never passes NULL to them)
    instr(s, sub)                             strpos(s, sub)
    json_extract(x, '$.a.b')                  (x::jsonb #> '{a,b}'): psycopg reads the jsonb as the Python value
    json_array_length(x, '$.a')               jsonb_array_length(x::jsonb #> '{a}')
    datetime('now')                           to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')
    sqlite_master                             the schema's tables from information_schema, as (type, name)
    FROM (SELECT …) without an alias          FROM (SELECT …) AS _sub1 (PostgreSQL 15 requires one)
    LIMIT -1                                  LIMIT ALL

Text is scanned as tokens: string literals and quoted names are never rewritten (but their % is doubled), comments
are dropped. Functions the project registers on SQLite with `create_function` (`letopis_fold`) are SQL functions of
the PostgreSQL schema instead (migrations/postgresql/0001_documents.sql).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Sequence

WRITE_LOCK = 0x6C65746F706973          # "letopis": the advisory lock every writing transaction takes

_TOKEN = re.compile(r"""
      '(?:[^']|'')*'             # a string literal
    | "(?:[^"]|"")*"             # a quoted name
    | --[^\n]*                   # a comment (dropped)
    | [A-Za-z_][A-Za-z_0-9$]*    # a word
    | \s+
    | -?\d+(?:\.\d+)?
    | .
""", re.X | re.S)
_CLAUSE_WORDS = {"WHERE", "UNION", "ORDER", "GROUP", "LIMIT", "OFFSET", "JOIN", "LEFT", "INNER", "CROSS", "ON",
                 "HAVING", "EXCEPT", "INTERSECT", "WINDOW", "USING", "NATURAL", "RIGHT", "FULL"}


@dataclass(frozen=True, slots=True)
class Table:
    """What the rewriting needs to know of a table: its columns in order, its primary key, its identity columns."""
    columns: tuple[str, ...]
    primary_key: tuple[str, ...]
    identity: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Statement:
    sql: str                       # for execute and executemany
    returning: str | None = None   # the same with RETURNING pk, for execute (lastrowid)
    write_lock: bool = False       # BEGIN IMMEDIATE: begin, then take the write lock


class DialectError(ValueError):
    """A SQLite statement this module cannot say on PostgreSQL."""


Catalog = Callable[[str], Table]


def translate(sql: str, catalog: Catalog) -> Statement:
    """The PostgreSQL form of one SQLite statement; `catalog(name)` describes a table of the schema."""
    if re.fullmatch(r"\s*BEGIN\s+(IMMEDIATE|EXCLUSIVE)\s*;?\s*", sql, re.I):
        return Statement("BEGIN", write_lock=True)
    if re.match(r"\s*PRAGMA\b", sql, re.I):
        raise DialectError(f"PRAGMA is SQLite's: {sql.strip()[:60]!r} has no PostgreSQL form")
    toks = [" " if t.startswith("--") else t for t in _TOKEN.findall(sql)]
    toks = _functions(toks)
    toks = _subquery_aliases(toks)
    out: list[str] = []
    conflict = returning = None
    i, n = 0, len(toks)
    while i < n:
        t, up = toks[i], toks[i].upper()
        if up == "INSERT" and _next_words(toks, i, 3)[:2] in (["OR", "IGNORE"], ["OR", "REPLACE"]):
            words = _next_words(toks, i, 4)
            j = _skip_words(toks, i, 2)                   # past INSERT OR X
            out.append("INSERT")
            i = j
            if words[2].upper() != "INTO":
                raise DialectError(f"cannot read {sql.strip()[:60]!r}: INSERT OR … without INTO")
            table_name = words[3]
            conflict = _conflict(words[1].upper(), table_name, toks, i, catalog)
            continue
        if up == "INSERT" and returning is None and conflict is None:
            words = _next_words(toks, i, 2)
            if len(words) == 2 and words[0].upper() == "INTO":
                returning = _returning(words[1], catalog)
        if t == "?":
            out.append("%s")
        elif t == "%":
            out.append("%%")
        elif t[0] in "'\"" and "%" in t:                # psycopg reads placeholders inside literals too
            out.append(t.replace("%", "%%"))
        elif up == "LIKE":
            out.append("ILIKE")
        elif up == "SQLITE_MASTER":
            out.append("(SELECT 'table' AS type, table_name AS name FROM information_schema.tables "
                       "WHERE table_schema = current_schema()) AS sqlite_master")
        elif up == "LIMIT" and _next_words(toks, i, 1) == ["-1"]:
            out.append("LIMIT ALL")
            i = _skip_words(toks, i, 1)
            continue
        else:
            out.append(t)
        i += 1
    text = "".join(out).rstrip().rstrip(";")
    if conflict is not None:
        text += conflict
    if returning is None and conflict is None:
        return Statement(text)
    return Statement(text, f"{text} RETURNING {returning}" if returning else None)


# ---------------------------------------------------------------------------------------------- rules

def _conflict(mode: str, table_name: str, toks: Sequence[str], i: int, catalog: Catalog) -> str:
    if mode == "IGNORE":
        return " ON CONFLICT DO NOTHING"
    table = catalog(table_name.strip('"'))
    if not table.primary_key:
        raise DialectError(f"INSERT OR REPLACE INTO {table_name}: the table has no primary key to conflict on")
    listed = _column_list(toks, i)
    columns = listed or [c for c in table.columns if c not in table.identity]
    sets = [f"{c} = EXCLUDED.{c}" for c in columns if c not in table.primary_key]
    sets += [f"{c} = DEFAULT" for c in table.identity if c not in columns and c not in table.primary_key]
    target = ", ".join(table.primary_key)
    return f" ON CONFLICT ({target}) DO UPDATE SET {', '.join(sets)}" if sets else f" ON CONFLICT ({target}) DO NOTHING"


def _returning(table_name: str, catalog: Catalog) -> str | None:
    """The identity primary key of an INSERT's table (what SQLite's lastrowid is), if it has one."""
    if table_name.upper() in ("SELECT", "VALUES") or table_name.startswith("("):
        return None
    try:
        table = catalog(table_name.strip('"'))
    except KeyError:
        return None
    if len(table.primary_key) == 1 and table.primary_key[0] in table.identity:
        return table.primary_key[0]
    return None


_RENAMES = {"INSTR": "strpos"}
_SCALAR = {"MAX": "GREATEST", "MIN": "LEAST"}
_FUNCTIONS = {*_RENAMES, *_SCALAR, "JSON_EXTRACT", "JSON_ARRAY_LENGTH", "DATETIME"}
_NOW = "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')"


def _functions(toks: list[str]) -> list[str]:
    """instr → strpos; two-argument MAX/MIN → GREATEST/LEAST; json_extract and json_array_length on '$.path'."""
    out: list[str] = []
    i = 0
    while i < len(toks):
        up = toks[i].upper()
        k = _after_space(toks, i + 1)
        if k < len(toks) and toks[k] == "(" and up in _FUNCTIONS:
            close = _matching(toks, k)
            args = _split_args(toks[k + 1:close])
            if up in _RENAMES:
                out.append(_RENAMES[up])
            elif up == "DATETIME" and [t for a in args for t in a if not _is_space(t)] == ["'now'"]:
                out.append(_NOW)
                i = close + 1
                continue
            elif up in _SCALAR and len(args) == 2:
                out.append(_SCALAR[up])
            elif up in ("JSON_EXTRACT", "JSON_ARRAY_LENGTH") and len(args) == 2:
                value = "".join(_functions(args[0])).strip()
                path = _json_path("".join(args[1]).strip())
                expr = f"(({value})::jsonb #> '{path}')"
                out.append(expr if up == "JSON_EXTRACT" else f"jsonb_array_length{expr}")
                i = close + 1
                continue
            else:
                out.append(toks[i])
            i += 1
            continue
        out.append(toks[i])
        i += 1
    return out


def _json_path(literal: str) -> str:
    m = re.fullmatch(r"'\$((?:\.[A-Za-z_][A-Za-z_0-9]*)+)'", literal)
    if not m:
        raise DialectError(f"JSON path {literal} has no PostgreSQL form here: use '$.key' or '$.key.key'")
    return "{" + ",".join(m.group(1)[1:].split(".")) + "}"


def _subquery_aliases(toks: list[str]) -> list[str]:
    """`FROM (SELECT …)` with no alias gets one."""
    out = list(toks)
    n = 0
    i = 0
    while i < len(out):
        if out[i].upper() == "FROM":
            k = _after_space(out, i + 1)
            if k < len(out) and out[k] == "(":
                s = _after_space(out, k + 1)
                if s < len(out) and out[s].upper() == "SELECT":
                    close = _matching(out, k)
                    nxt = _after_space(out, close + 1)
                    if nxt >= len(out) or out[nxt] in (")", ";", ",") or out[nxt].upper() in _CLAUSE_WORDS:
                        n += 1
                        out.insert(close + 1, f" AS _sub{n}")
        i += 1
    return out


# ---------------------------------------------------------------------------------------------- tokens

def _is_space(t: str) -> bool:
    return t.isspace() or t.startswith("--")


def _after_space(toks: Sequence[str], i: int) -> int:
    while i < len(toks) and _is_space(toks[i]):
        i += 1
    return i


def _next_words(toks: Sequence[str], i: int, k: int) -> list[str]:
    """The k tokens after toks[i] that are not space."""
    out, j = [], i + 1
    while j < len(toks) and len(out) < k:
        if not _is_space(toks[j]):
            out.append(toks[j])
        j += 1
    return out


def _skip_words(toks: Sequence[str], i: int, k: int) -> int:
    """The index just after the k-th non-space token after toks[i]."""
    j, seen = i + 1, 0
    while j < len(toks) and seen < k:
        if not _is_space(toks[j]):
            seen += 1
        j += 1
    return j


def _matching(toks: Sequence[str], open_: int) -> int:
    depth = 0
    for j in range(open_, len(toks)):
        if toks[j] == "(":
            depth += 1
        elif toks[j] == ")":
            depth -= 1
            if depth == 0:
                return j
    raise DialectError("unbalanced parentheses in " + "".join(toks)[:60])


def _split_args(toks: Sequence[str]) -> list[list[str]]:
    args: list[list[str]] = [[]]
    depth = 0
    for t in toks:
        if t == "(":
            depth += 1
        elif t == ")":
            depth -= 1
        if t == "," and depth == 0:
            args.append([])
        else:
            args[-1].append(t)
    return args if any(not _is_space(t) for a in args for t in a) else []


def _column_list(toks: Sequence[str], i: int) -> list[str]:
    """The column list after `INTO t` (i points just past INTO's table word), or [] when there is none."""
    j = _after_space(toks, i)               # INTO
    j = _after_space(toks, j + 1)           # the table
    j = _after_space(toks, j + 1)
    if j >= len(toks) or toks[j] != "(":
        return []
    close = _matching(toks, j)
    return ["".join(a).strip().strip('"') for a in _split_args(toks[j + 1:close])]
