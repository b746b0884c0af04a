"""A page of a list in its order, read from an index rather than sorted from the whole table.

The lists (events, claims, statements, documents, an entity's articles) are ordered "dated first by date, undated
last": `key IS NULL, key, ties…`. No index holds that order, so a query saying it sorts every matching row for
each page. Here it is read as two ranges of one index on (…, key, ties…): the rows with a key, then the rows
without, each with LIMIT and OFFSET, and counted from the same index:

    total, ids = nulls_last(db, "events", ["type = ?"], ["PROTEST"], "date_start", "id", limit=50, offset=100)

Only `cols` are read (the ids, say), so skipping rows for a deep page reads the index and not the table.
"""
from __future__ import annotations

from typing import Sequence


def count(db, table: str, where: Sequence[str], args: Sequence) -> int:
    return db.execute(f"SELECT COUNT(*) FROM {table} WHERE {_cond(where)}", list(args)).fetchone()[0]


def nulls_last(db, table: str, where: Sequence[str], args: Sequence, key: str, ties: str, limit: int | None = None,
               offset: int = 0, cols: str = "id", desc: bool = False) -> tuple[int, list]:
    """(how many rows match `where`, the rows `cols` of the page) in the order `key IS NULL, key [DESC], ties`;
    `limit` None: every row from `offset` on."""
    cond, args = _cond(where), list(args)
    dated = count(db, table, [cond, f"{key} IS NOT NULL"], args)
    undated = count(db, table, [cond, f"{key} IS NULL"], args)
    rows: list = []
    want = None if limit is None else max(limit, 0)
    if offset < dated and want != 0:
        n = dated - offset if want is None else min(want, dated - offset)
        rows += db.execute(f"SELECT {cols} FROM {table} WHERE {cond} AND {key} IS NOT NULL"
                           f" ORDER BY {key}{' DESC' if desc else ''}, {ties} LIMIT ? OFFSET ?",
                           [*args, n, offset]).fetchall()
    rest = undated if want is None else min(want - len(rows), undated)
    skip = max(offset - dated, 0)
    if rest > 0 and skip < undated:
        rows += db.execute(f"SELECT {cols} FROM {table} WHERE {cond} AND {key} IS NULL ORDER BY {ties}"
                           " LIMIT ? OFFSET ?", [*args, min(rest, undated - skip), skip]).fetchall()
    return dated + undated, rows


def by_ids(db, sql: str, ids: Sequence[str], chunk: int = 500) -> dict:
    """{id: row} of `sql` (a SELECT whose first column is the id, ending in `IN ({})`) over `ids`."""
    out: dict = {}
    ids = list(ids)
    for i in range(0, len(ids), chunk):
        part = ids[i:i + chunk]
        for row in db.execute(sql.format(",".join("?" * len(part))), part):
            out[row[0]] = row
    return out


def _cond(where: Sequence[str]) -> str:
    return " AND ".join(f"({w})" for w in where) or "1=1"
