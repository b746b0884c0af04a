"""The corrections table of the SQLite store (migration 0007): researchers' corrections, append-only.

Records in, records out (`letopis.corpus.corrections.Correction`); the web layer decides who may write.
"""
from __future__ import annotations

import json
import sqlite3
from typing import Iterable

from ..corpus.corrections import Correction

_COLUMNS = "id, target, target_id, kind, field, value, note, author, created_at, was"
_ORDER = "ORDER BY created_at, rowid"          # the order they were made in
CHUNK = 500     # ids per IN (…) list


class CorrectionsTable:
    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def add(self, c: Correction) -> None:
        self.db.execute(
            f"INSERT INTO corrections ({_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (c.id, c.target, c.target_id, c.kind, c.field, None if c.kind != "value" else json.dumps(c.value),
             c.note, c.author, c.created_at, json.dumps(c.was, ensure_ascii=False, sort_keys=True)))

    def get(self, correction_id: str) -> Correction | None:
        row = self.db.execute(f"SELECT {_COLUMNS} FROM corrections WHERE id=?", (correction_id,)).fetchone()
        return _record(row) if row else None

    def page(self, target: str | None = None, target_id: str | None = None, author: str | None = None,
             limit: int | None = None, offset: int = 0) -> tuple[int, list[Correction]]:
        """(how many match, the page of them), oldest first. `author` is part of the name (any case, ё = е)."""
        where, args = ["1=1"], []
        for col, val in (("target", target), ("target_id", target_id)):
            if val:
                where.append(f"{col}=?")
                args.append(val)
        if author:         # SQLite's lower() folds ASCII only
            self.db.create_function("letopis_fold", 1, _fold, deterministic=True)
            where.append("instr(letopis_fold(author), ?) > 0")
            args.append(_fold(author))
        cond = " AND ".join(where)
        total = self.db.execute(f"SELECT COUNT(*) FROM corrections WHERE {cond}", args).fetchone()[0]
        page = "LIMIT -1 OFFSET ?" if limit is None else "LIMIT ? OFFSET ?"    # -1 as a parameter: SQLite only
        rows = self.db.execute(f"SELECT {_COLUMNS} FROM corrections WHERE {cond} {_ORDER} {page}",
                               [*args, *(() if limit is None else (limit,)), offset])
        return total, [_record(r) for r in rows]

    def of(self, target: str, ids: Iterable[str]) -> dict[str, list[Correction]]:
        """The corrections of each of `ids` (items of one target kind), oldest first; ids without any are left out."""
        ids = sorted(set(ids))
        out: dict[str, list[Correction]] = {}
        for i in range(0, len(ids), CHUNK):
            chunk = ids[i:i + CHUNK]
            rows = self.db.execute(
                f"SELECT {_COLUMNS} FROM corrections WHERE target=? AND target_id IN ({','.join('?' * len(chunk))})"
                f" {_ORDER}", (target, *chunk))
            for r in rows:
                out.setdefault(r[2], []).append(_record(r))
        return out

    def count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM corrections").fetchone()[0]


def _fold(s: str | None) -> str:
    return (s or "").lower().replace("ё", "е")


def _record(row) -> Correction:
    return Correction(id=row[0], target=row[1], target_id=row[2], kind=row[3], field=row[4],
                      value=json.loads(row[5]) if row[5] is not None else None, note=row[6], author=row[7],
                      created_at=row[8], was=json.loads(row[9]))
