"""One way to print records on every read command: --format table|json|jsonl|csv."""
from __future__ import annotations

import csv
import io
import json
from enum import Enum
from typing import Iterable, Sequence


class Format(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def render(rows: Iterable[dict], fmt: Format, columns: Sequence[str] | None = None, title: str | None = None) -> str:
    """Text of `rows` in `fmt`. `columns` picks and orders the keys for table and csv (default: all keys)."""
    rows = list(rows)
    if fmt is Format.json:
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    if fmt is Format.jsonl:
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    cols = list(columns) if columns else _keys(rows)
    if fmt is Format.csv:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(cols)
        for r in rows:
            w.writerow([_cell(r.get(c)) for c in cols])
        return buf.getvalue()
    return _table(rows, cols, title)


def _keys(rows: list[dict]) -> list[str]:
    seen: dict[str, None] = {}
    for r in rows:
        for k in r:
            seen.setdefault(k, None)
    return list(seen)


def _table(rows: list[dict], cols: list[str], title: str | None) -> str:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, show_lines=False, header_style="bold")
    for c in cols:
        table.add_column(c, overflow="fold")
    for r in rows:
        table.add_row(*[_cell(r.get(c)) for c in cols])
    console = Console(width=160, record=True, file=io.StringIO(), force_terminal=False, color_system=None)
    console.print(table)
    return console.export_text()


def render_record(record: dict, fmt: Format) -> str:
    """A single record: key/value table, or the record itself for json/jsonl/csv."""
    if fmt is Format.table:
        return _table([{"field": k, "value": _cell(v)} for k, v in record.items()], ["field", "value"], None)
    return render([record], fmt)
