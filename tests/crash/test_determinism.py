"""Determinism: the same inputs give byte-identical exports whatever the order of the files and the number of
extraction workers. The example articles are ingested file by file in a given order into a fresh store, and
every export format (CSV, JSONL, GeoJSON, the Parquet tables) is compared byte for byte with the reference run
(files in name order, one worker); so are the documents and their extractions (store_dump.py, without clocks).

The corpus tables themselves may differ in internal names (an event is named after the mention that opened it, a
corpus entity after the article that introduced it, the dedup index numbers articles as they arrive); the exports
name events and entities after their first reports instead (export/reader.py), and they are the promise, so they
are what is compared.
"""
from __future__ import annotations

import random
from pathlib import Path

import pytest
from store_dump import differences, dump

from letopis import api
from letopis.export import FORMATS, export
from letopis.store.sqlite import Store

pytestmark = pytest.mark.slow

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
FILES = sorted(str(p) for p in EXAMPLES.iterdir() if p.is_file() and not p.name.startswith("."))
ORDERS = {
    "name-order": FILES,
    "reversed": FILES[::-1],
    "shuffled": random.Random(8).sample(FILES, len(FILES)),
}
CASES = [("reversed", 1), ("shuffled", 2)]     # (file order, extraction workers); the reference: name order, 1
PER_DOCUMENT = ("documents", "document_sources", "extractions")


class CachedExtraction:
    """An extraction engine for `api.ingest(engine=...)` that hands back the reference run's contract objects: the
    reading, the store and the corpus stage run for real, the NLP (order-independent, as the test above shows) is
    skipped, so many file orders cost seconds."""

    name = "cached"

    def __init__(self, rows: dict[str, dict]):
        self.rows = rows

    def map(self, batches, select):
        for batch in batches:
            todo = select(batch)
            yield batch, todo, [self.rows[d.id] for d in todo]


def ingest_and_export(folder: Path, order: str | list[str], workers: int, engine=None) -> tuple[dict[str, bytes], dict]:
    db = str(folder / "store.db")
    report = api.ingest(ORDERS[order] if isinstance(order, str) else order, db, workers=workers, engine=engine)
    assert report.rejected == [] and report.new == report.extracted > 0
    out: dict[str, bytes] = {}
    for fmt in FORMATS:
        target = folder / ("parquet" if fmt == "parquet" else f"export.{fmt}")
        export(db, fmt, str(target))
        files = sorted(target.iterdir()) if target.is_dir() else [target]
        out.update({f"{fmt}:{f.name}": f.read_bytes() for f in files})
    tables = dump(db)
    return out, {t: tables[t] for t in PER_DOCUMENT}


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    folder = tmp_path_factory.mktemp("reference")
    exports, tables = ingest_and_export(folder, "name-order", 1)
    with Store(str(folder / "store.db")) as store:
        rows = {d.id: store.get_extraction(d.id) for d in store.iter_documents()}
    return exports, tables, rows


@pytest.mark.parametrize("order,workers", CASES)
def test_determinism_exports_whatever_the_file_order_and_workers(order, workers, reference, tmp_path):
    assert ORDERS[order] != ORDERS["name-order"]
    exports, tables = ingest_and_export(tmp_path, order, workers)
    ref_exports, ref_tables, _ = reference
    assert sorted(exports) == sorted(ref_exports) and len(exports) >= 4
    changed = [name for name in ref_exports if exports[name] != ref_exports[name]]
    assert not changed, f"exports differ with {order} files and {workers} workers: {changed}"
    diff = differences(ref_tables, tables)
    assert not diff, "\n".join(diff)


SHUFFLES = 12


def test_determinism_exports_over_many_file_orders(reference, tmp_path):
    ref_exports, _, rows = reference
    changed = {}
    for seed in range(SHUFFLES):
        order = random.Random(seed).sample(FILES, len(FILES))
        folder = tmp_path / f"order-{seed}"
        folder.mkdir()
        exports, _ = ingest_and_export(folder, order, 1, engine=CachedExtraction(rows))
        diff = [name for name in ref_exports if exports.get(name) != ref_exports[name]]
        if diff:
            changed[seed] = diff
    assert not changed, f"exports differ for these seeded file orders: {changed}"
