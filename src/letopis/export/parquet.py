"""The corpus as Parquet tables for analysis in DuckDB, pandas or polars: one file per table in a folder.

    events.parquet     one row per corpus event (its ACLED types and conservative fatalities beside the PLOVER ones)
    mentions.parquet   one row per event mention (`event_id` joins events; `doc_id` joins documents)
    claims.parquet     the figure ledger, one row per claim (`event_id`, `mention_id`, `doc_id`)
    entities.parquet   people, organisations and places across articles, with the documents they appear in
    documents.parquet  the articles, with their text: every `*_start`/`*_stop` offset is a `[start, stop)` index into it
    corrections.parquet  researchers' corrections (`target` claim/event/statement, `target_id` joins claims.id,
                       events.id or doc_id:index of a statement; `value` and `was` as JSON)

    SELECT e.date_start, e.place, c.claimant, c.low, c.high
    FROM 'out/events.parquet' e JOIN 'out/claims.parquet' c ON c.event_id = e.id WHERE c.category = 'killed';

Rows are in the order of their ids, in row groups of `BATCH` rows; nothing in them depends on when the articles were
ingested, so the same corpus gives the same bytes.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

import pyarrow as pa
import pyarrow.parquet as pq

from ..extract.ontology import acled_type
from .figures import conservative
from .plover import QUAD
from .reader import CorpusReader, ExportError

BATCH = 50_000
S, I, F, B, L = pa.string(), pa.int64(), pa.float64(), pa.bool_(), pa.list_(pa.string())


def _schema(*fields: tuple[str, pa.DataType]) -> pa.Schema:
    return pa.schema([pa.field(name, kind) for name, kind in fields])


SCHEMAS = {
    "events": _schema(
        ("id", S), ("type", S), ("mode", S), ("quad_code", I), ("date_start", S), ("date_end", S),
        ("date_precision", S), ("place", S), ("country", S), ("admin1", S), ("lat", F), ("lon", F),
        ("location_precision", S), ("geo_precision", I), ("actors", L), ("targets", L), ("acled_event_type", S),
        ("acled_sub_event_type", S), ("disorder_type", S), ("fatalities", I), ("n_mentions", I), ("n_sources", I),
        ("n_figures", I)),
    "mentions": _schema(
        ("id", S), ("event_id", S), ("doc_id", S), ("source", S), ("index", I), ("type", S), ("mode", S),
        ("start", I), ("stop", I), ("trigger", S), ("trigger_start", I), ("trigger_stop", I), ("date_start", S),
        ("date_end", S), ("date_precision", S), ("place", S), ("place_start", I), ("place_stop", I), ("country", S),
        ("lat", F), ("lon", F), ("actors", L), ("targets", L), ("modality", S), ("background", B), ("reason", S)),
    "claims": _schema(
        ("id", S), ("event_id", S), ("mention_id", S), ("doc_id", S), ("source", S), ("index", I), ("category", S),
        ("low", F), ("high", F), ("text", S), ("start", I), ("stop", I), ("claimant", S), ("claimant_class", S),
        ("claimant_start", I), ("claimant_stop", I), ("claimant_entity", S), ("claimed_on", S),
        ("claimed_on_rule", S), ("counts_to", S), ("link_rule", S), ("background", B)),
    "entities": _schema(
        ("id", S), ("type", S), ("name", S), ("names", L), ("roles", L), ("country", S), ("lat", F), ("lon", F),
        ("n_documents", I), ("n_mentions", I), ("documents", L)),
    "documents": _schema(
        ("id", S), ("source", S), ("sources", L), ("format", S), ("title", S), ("published", S), ("precision", S),
        ("author", S), ("url", S), ("language", S), ("encoding", S), ("chars", I), ("text", S)),
    "corrections": _schema(
        ("id", S), ("target", S), ("target_id", S), ("kind", S), ("field", S), ("value", S), ("note", S),
        ("author", S), ("created_at", S), ("was", S)),
}


@dataclass(frozen=True, slots=True)
class ParquetReport:
    folder: str
    rows: tuple[tuple[str, int], ...]     # (table, rows written)

    def to_json(self) -> dict:
        return {"folder": self.folder, "rows": dict(self.rows)}


def _span(span, i: int) -> int | None:
    return span[i] if span else None


def event_rows(reader: CorpusReader) -> Iterator[dict]:
    for b in reader.events():
        ev, date, loc = b.event, b.event.get("date") or {}, b.event.get("location") or {}
        event_type, sub_event_type, disorder = acled_type(ev)
        yield {"id": b.id, "type": ev["type"], "mode": ev.get("mode"), "quad_code": QUAD.get(ev["type"]),
               "date_start": date.get("start"), "date_end": date.get("end"), "date_precision": date.get("precision"),
               "place": loc.get("canonical") or loc.get("name"), "country": ev.get("country"),
               "admin1": loc.get("admin1"), "lat": loc.get("lat"), "lon": loc.get("lon"),
               "location_precision": loc.get("precision"), "geo_precision": loc.get("geo_precision"),
               "actors": list(ev.get("actors") or ()), "targets": list(ev.get("targets") or ()),
               "acled_event_type": event_type, "acled_sub_event_type": sub_event_type, "disorder_type": disorder,
               "fatalities": conservative(b.claims, "killed"), "n_mentions": len(b.mentions),
               "n_sources": len({m["doc_id"] for m in b.mentions}), "n_figures": len(b.claims)}


def mention_rows(reader: CorpusReader) -> Iterator[dict]:
    for m in reader.mentions():
        raw = reader.extraction_event(m["doc_id"], m["index"])
        trigger = (raw.get("trigger") or {}).get("span")
        loc = m.get("location") or {}
        yield {"id": m["id"], "event_id": m.get("event_id"), "doc_id": m["doc_id"], "source": reader.source(m["doc_id"]),
               "index": m["index"], "type": m["type"], "mode": m.get("mode"), "start": m["span"][0],
               "stop": m["span"][1], "trigger": m.get("trigger"), "trigger_start": _span(trigger, 0),
               "trigger_stop": _span(trigger, 1), "date_start": m.get("date_start"), "date_end": m.get("date_end"),
               "date_precision": m.get("precision"), "place": m.get("place"),
               "place_start": _span(m.get("place_span"), 0), "place_stop": _span(m.get("place_span"), 1),
               "country": m.get("country"), "lat": loc.get("lat"), "lon": loc.get("lon"),
               "actors": list(m.get("actors") or ()), "targets": list(m.get("targets") or ()),
               "modality": m.get("modality"), "background": bool(m.get("background")), "reason": m.get("reason")}


def claim_rows(reader: CorpusReader) -> Iterator[dict]:
    for c in reader.claims():
        yield {"id": c.id, "event_id": c.event_id, "mention_id": c.mention_id, "doc_id": c.doc_id,
               "source": reader.source(c.doc_id), "index": c.index, "category": c.category,
               "low": None if c.low is None else float(c.low), "high": None if c.high is None else float(c.high),
               "text": c.text, "start": c.span[0], "stop": c.span[1], "claimant": c.claimant,
               "claimant_class": c.claimant_class, "claimant_start": _span(c.claimant_span, 0),
               "claimant_stop": _span(c.claimant_span, 1), "claimant_entity": c.claimant_entity,
               "claimed_on": c.claimed_on, "claimed_on_rule": c.claimed_on_rule, "counts_to": c.counts_to,
               "link_rule": c.link_rule, "background": c.background}


def entity_rows(reader: CorpusReader) -> Iterator[dict]:
    for e in reader.entities():
        place = e.get("place") or {}
        yield {"id": e["id"], "type": e["type"], "name": e["name"], "names": sorted(e.get("names") or ()),
               "roles": list(e.get("roles") or ()), "country": place.get("country"), "lat": place.get("lat"),
               "lon": place.get("lon"), "n_documents": len(e["documents"]), "n_mentions": e["n_mentions"],
               "documents": e["documents"]}


def document_rows(reader: CorpusReader) -> Iterator[dict]:
    for d in reader.documents():
        yield d.to_json() | {"sources": list(d.sources), "text": reader.text(d.id)}


def correction_rows(reader: CorpusReader) -> Iterator[dict]:
    for c in reader.corrections():
        yield c | {"value": json.dumps(c["value"], ensure_ascii=False) if c["kind"] == "value" else None,
                   "was": json.dumps(c["was"], ensure_ascii=False, sort_keys=True)}


TABLES = {"events": event_rows, "mentions": mention_rows, "claims": claim_rows, "entities": entity_rows,
          "documents": document_rows, "corrections": correction_rows}


def _batches(rows: Iterable[dict], size: int) -> Iterator[list[dict]]:
    batch: list[dict] = []
    for r in rows:
        batch.append(r)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def write_table(rows: Iterable[dict], schema: pa.Schema, path: Path, batch: int = BATCH) -> int:
    """Write `rows` (dicts with the schema's keys) to one Parquet file, `batch` rows per row group."""
    n = 0
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        for chunk in _batches(rows, batch):
            writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
            n += len(chunk)
        if n == 0:
            writer.write_table(schema.empty_table())
    return n


def write_parquet(reader: CorpusReader, folder: str | Path) -> ParquetReport:
    """Write every table into `folder` (created when missing; files of the same names are replaced)."""
    out = Path(folder)
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out} is a file: --format parquet writes a folder of tables; pass a folder path")
    out.mkdir(parents=True, exist_ok=True)
    rows = tuple((name, write_table(make(reader), SCHEMAS[name], out / f"{name}.parquet"))
                 for name, make in TABLES.items())
    return ParquetReport(str(out), rows)
