"""The located events as a GeoJSON FeatureCollection (RFC 7946): one Point feature per event with a position,
`[longitude, latitude]` in WGS 84, its properties flat enough for a map's popup or a GIS attribute table.
Events without a position (no place named, or a place the gazetteer does not know) are left out: `skipped` counts them.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TextIO

from ..extract.ontology import acled_type
from .figures import conservative
from .reader import CorpusReader, EventBundle


@dataclass(frozen=True, slots=True)
class GeoJsonReport:
    features: int
    skipped: int

    def to_json(self) -> dict:
        return {"features": self.features, "skipped": self.skipped}


def feature(bundle: EventBundle, reader: CorpusReader) -> dict | None:
    ev = bundle.event
    loc = ev.get("location") or {}
    if loc.get("lat") is None or loc.get("lon") is None:
        return None
    date = ev.get("date") or {}
    event_type, sub_event_type, disorder = acled_type(ev)
    return {
        "type": "Feature",
        "id": bundle.id,
        "geometry": {"type": "Point", "coordinates": [loc["lon"], loc["lat"]]},
        "properties": {
            "id": bundle.id, "event_type": ev["type"], "mode": ev.get("mode"),
            "acled_event_type": event_type, "acled_sub_event_type": sub_event_type, "disorder_type": disorder,
            "date_start": date.get("start"), "date_end": date.get("end"), "date_precision": date.get("precision"),
            "place": loc.get("canonical") or loc.get("name"), "country": loc.get("country") or ev.get("country"),
            "admin1": loc.get("admin1"), "precision": loc.get("precision"), "geo_precision": loc.get("geo_precision"),
            "actors": list(ev.get("actors") or ()), "targets": list(ev.get("targets") or ()),
            "fatalities": conservative(bundle.claims, "killed"),
            "n_sources": len({m["doc_id"] for m in bundle.mentions}), "n_mentions": len(bundle.mentions),
            "n_figures": len(bundle.claims),
            "sources": sorted({reader.source(m["doc_id"]) for m in bundle.mentions}),
        },
    }


def feature_collection(reader: CorpusReader) -> tuple[dict, GeoJsonReport]:
    features, skipped = [], 0
    for bundle in reader.events():
        f = feature(bundle, reader)
        if f is None:
            skipped += 1
        else:
            features.append(f)
    return {"type": "FeatureCollection", "features": features}, GeoJsonReport(len(features), skipped)


def write_geojson(collection: dict, out: TextIO) -> int:
    """One feature per line inside the collection: readable, diffable, and still one JSON document."""
    feats = collection["features"]
    out.write('{"type": "FeatureCollection", "features": [\n')
    for i, f in enumerate(feats):
        out.write(json.dumps(f, ensure_ascii=False) + (",\n" if i < len(feats) - 1 else "\n"))
    out.write("]}\n")
    return len(feats)
