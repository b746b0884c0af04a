"""`letopis export`: one entry point for every export format.

    from letopis.export import export
    export("letopis.db", "csv", "events.csv")          # ACLED columns
    export("letopis.db", "parquet", "tables/")         # a folder of Parquet tables
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from ..store.sqlite import Store
from .acled import acled_rows, write_csv
from .geojson import feature_collection, write_geojson
from .parquet import write_parquet
from .plover import plover_records, write_jsonl
from .reader import CorpusReader, ExportError, open_store

FORMATS = ("csv", "jsonl", "parquet", "geojson")


@dataclass(frozen=True, slots=True)
class ExportReport:
    format: str
    output: str | None                  # None: written to standard output
    rows: tuple[tuple[str, int], ...]   # (what, how many): ("events", 46), or one entry per Parquet table
    skipped: int = 0                    # GeoJSON: events without a position

    def to_json(self) -> dict:
        return {"format": self.format, "output": self.output, "rows": dict(self.rows), "skipped": self.skipped}

    def summary(self) -> str:
        counts = ", ".join(f"{n} {what}" for what, n in self.rows)
        skipped = f" ({self.skipped} events without a position left out)" if self.skipped else ""
        return f"exported {counts} as {self.format}{skipped} → {self.output or 'stdout'}"


def export(db: str | Store, fmt: str, output: str | Path | None = None, stdout: TextIO | None = None) -> ExportReport:
    """Write the corpus in `fmt` to `output` (a file; a folder for parquet) or, without one, to `stdout`."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    if fmt == "parquet" and not output:
        raise ExportError("--format parquet writes a folder of tables (events, mentions, claims, entities, "
                          "documents): pass --output FOLDER")
    store = open_store(db)
    try:
        reader = CorpusReader(store)
        if fmt == "parquet":
            report = write_parquet(reader, output)
            return ExportReport(fmt, str(output), report.rows)
        if output is None:
            return _write(reader, fmt, stdout or sys.stdout, None)
        path = Path(output)
        if path.is_dir():
            raise ExportError(f"{path} is a folder: --format {fmt} writes one file; pass a file path")
        tmp = path.with_name(path.name + ".part")
        try:
            with open(tmp, "w", encoding="utf-8", newline="") as out:
                result = _write(reader, fmt, out, str(path))
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
        return result
    finally:
        if not isinstance(db, Store):
            store.close()


def _write(reader: CorpusReader, fmt: str, out: TextIO, output: str | None) -> ExportReport:
    if fmt == "csv":
        return ExportReport(fmt, output, (("events", write_csv(acled_rows(reader), out)),))
    if fmt == "jsonl":
        return ExportReport(fmt, output, (("events", write_jsonl(plover_records(reader), out)),))
    collection, report = feature_collection(reader)
    write_geojson(collection, out)
    return ExportReport(fmt, output, (("events", report.features),), report.skipped)
