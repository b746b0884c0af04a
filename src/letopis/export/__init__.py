"""Exports of the corpus: ACLED-style CSV, PLOVER-style JSONL, Parquet tables, GeoJSON of located events."""
from .acled import ACLED_COLUMNS, acled_row, acled_rows, write_csv
from .actors import Actor, classify
from .figures import conservative, note
from .geojson import feature_collection, write_geojson
from .parquet import SCHEMAS, write_parquet
from .plover import plover_record, plover_records, write_jsonl
from .reader import CorpusReader, ExportError
from .run import FORMATS, ExportReport, export

__all__ = [
    "ACLED_COLUMNS", "Actor", "CorpusReader", "ExportError", "ExportReport", "FORMATS", "SCHEMAS", "acled_row",
    "acled_rows", "classify", "conservative", "export", "feature_collection", "note", "plover_record",
    "plover_records", "write_csv", "write_geojson", "write_jsonl", "write_parquet",
]
