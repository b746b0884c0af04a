"""Corrections read with their items: the API records of claims, events and statements get a `corrections` list,
and a correction to be stored finds the item it is about. Plain functions over an open `Store`, no HTTP.
"""
from __future__ import annotations

import json

from ..corpus.corrections import Correction
from ..corpus.ledger import Claim
from ..corpus.stage import claim_record, event_record
from ..store.corpus import CorpusTables
from ..store.corrections import CorrectionsTable
from ..store.sqlite import Store
from . import reads


def attach(store: Store, target: str, records: list[dict]) -> list[dict]:
    """Give each record (a claim, event or statement of the API, by its `id`) its corrections, oldest first."""
    found = CorrectionsTable(store.db).of(target, (r["id"] for r in records))
    for r in records:
        r["corrections"] = [c.to_json() for c in found.get(r["id"], ())]
    return records


def attach_events(store: Store, events: list[dict]) -> list[dict]:
    """Events with their corrections, and each of their figure claims with its own."""
    attach(store, "event", events)
    attach(store, "claim", [f for ev in events for f in ev.get("figures") or ()])
    return events


def item(store: Store, target: str, target_id: str) -> dict | None:
    """The API record of the claim, event or statement `target_id`, or None when the store has none."""
    if target == "claim":
        row = store.db.execute("SELECT data FROM figure_claims WHERE id=?", (target_id,)).fetchone()
        return claim_record(Claim.from_json(json.loads(row[0]))) if row else None
    if target == "event":
        tables = CorpusTables(store.db)
        ev = tables.event(target_id)
        return event_record(tables, ev) if ev else None
    doc_id, _, index = target_id.rpartition(":")
    if not doc_id.startswith("doc-") or not index.isdigit():
        return None
    if store.db.execute("SELECT 1 FROM documents WHERE id=?", (doc_id,)).fetchone() is None:
        return None
    _, rows = reads.statements(store, doc=doc_id, limit=2**31)
    return next((r for r in rows if r["id"] == target_id), None)


def for_event_page(store: Store, event_id: str, claim_ids: list[str]) -> tuple[list[Correction], dict]:
    """The corrections of an event and, by claim id, of its claims."""
    table = CorrectionsTable(store.db)
    return table.of("event", [event_id]).get(event_id, []), table.of("claim", claim_ids)
