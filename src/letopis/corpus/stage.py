"""The corpus stage: fold newly extracted articles into the chronicle, incrementally.

For each new (or re-extracted) article: mark its shared paragraphs and near-duplicate status, turn its events into
mentions and place each in an event of its block (or open a new one), enter its figures in the ledger linked to
those events, and match its entities to the corpus entities. Only the events in the new articles' blocks are read,
so adding articles costs time in proportion to them, not to the corpus. Everything is recomputable: `rebuild`
runs the stage over every stored article again, in a fixed order.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterable

from ..store.corpus import CorpusTables
from ..store.sqlite import Store
from .background import Background, background_of
from .clustering import best_event, count_tallies, event_id, summary_from_tallies, window
from .entities import CorpusEntity, LocalEntity, entity_id
from .ledger import claims as figure_claims
from .mentions import event_mentions


@dataclass(frozen=True, slots=True)
class CorpusReport:
    documents: int
    mentions: int
    new_events: int
    joined: int
    claims: int
    entities: int

    def to_json(self) -> dict:
        return {"documents": self.documents, "mentions": self.mentions, "new_events": self.new_events,
                "joined": self.joined, "claims": self.claims, "entities": self.entities}


def update_corpus(store: Store, doc_ids: Iterable[str]) -> CorpusReport:
    """Fold the extractions of `doc_ids` into the corpus tables (one transaction per article)."""
    tables = CorpusTables(store.db)
    items = []
    for doc_id in dict.fromkeys(doc_ids):
        extraction = store.get_extraction(doc_id)
        if extraction is not None:
            items.append((extraction.get("published") or "", doc_id, extraction))
    items.sort(key=lambda x: (x[0], x[1]))
    back = background_of(store, [doc_id for _, doc_id, _ in items])
    counts = dict(mentions=0, new_events=0, joined=0, claims=0, entities=0)
    for _, doc_id, extraction in items:
        text = store.get_document(doc_id).text
        with store.transaction():
            _fold(tables, extraction, text, back.get(doc_id, Background()), counts)
    # articles that now share a paragraph with a new one: their background flags change
    for doc_id in sorted(set(back.refresh) - {d for _, d, _ in items}):
        with store.transaction():
            _reflag(tables, store, doc_id, back.get(doc_id, Background()))
    return CorpusReport(len(items), **counts)


def rebuild(store: Store) -> CorpusReport:
    """Recompute the corpus tables from every stored extraction."""
    with store.transaction():
        for table in ("event_mentions", "events", "event_tallies", "event_tallies_pending", "figure_claims",
                      "entity_mentions", "entity_keys", "corpus_entities", "place_events", "places", "corpus_counts",
                      "claimants"):
            store.db.execute(f"DELETE FROM {table}")
    ids = [r[0] for r in store.db.execute("SELECT doc_id FROM extractions ORDER BY doc_id")]
    return update_corpus(store, ids)


def _fold(tables: CorpusTables, extraction: dict, text: str, bg: Background, counts: dict) -> None:
    doc_id = extraction["id"]
    touched, linked = tables.forget_document(doc_id)
    mentions = event_mentions(extraction, text, bg.spans, bg.duplicate_of is not None)
    assigned: dict[str, str] = {}
    for m in mentions:
        win = window(m)
        block = (win[0].isoformat(), win[1].isoformat()) if win else None
        cands = tables.candidates(m.type, *(block or (None, None)), m.country)
        found = best_event(m, cands)
        if found:
            eid, verdict = found
            reason = "; ".join(verdict.reasons)
            counts["joined"] += 1
        else:
            eid, reason = event_id(m), "new"
            counts["new_events"] += 1
        tables.add_mention(m, eid, reason, block)
        assigned[m.id] = eid
        touched.add(eid)
    counts["mentions"] += len(mentions)
    for c in figure_claims(extraction, text, mentions, bg.spans, bg.duplicate_of is not None):
        tables.add_claim(replace(c, event_id=assigned.get(c.mention_id)))
        counts["claims"] += 1
    for eid in touched:
        _put_event(tables, eid)
    counts["entities"] += _entities(tables, extraction, linked)


def _put_event(tables: CorpusTables, eid: str) -> None:
    """The event's summary from its tallies (a mention joining a much-reported event reads no more than one joining
    a small one); counted again from the members when it lost some."""
    if tables.tallies_pending(eid):
        tables.set_tallies(eid, count_tallies(tables.members(eid)))
    type_ = tables.event_type(eid)
    if type_ is None:
        tables.put_event(eid, {}, 0, 0)
        return
    rows, n_mentions, n_sources = tables.tallies(eid)
    tables.put_event(eid, summary_from_tallies(type_, rows), n_mentions, n_sources)


def _reflag(tables: CorpusTables, store: Store, doc_id: str, bg: Background) -> None:
    extraction = store.get_extraction(doc_id)
    if extraction is None:
        return
    _fold(tables, extraction, store.get_document(doc_id).text, bg, dict(mentions=0, new_events=0, joined=0,
                                                                         claims=0, entities=0))


def _entities(tables: CorpusTables, extraction: dict, unlinked: set[str]) -> int:
    """Match the article's entities to corpus entities (new ones when none fits); `unlinked` are the entities its
    earlier fold had linked: those no article links to any more are dropped."""
    doc_id, n = extraction["id"], 0
    for raw in extraction.get("entities") or ():
        local = LocalEntity.from_extraction(doc_id, raw)
        target = _find(tables, local)
        if target is None:
            target = CorpusEntity(entity_id(local.type, local.primary_key()), local.type, local.name)
            n += 1
        target.absorb(local)
        tables.put_entity(target, local.keys())
        tables.link_entity(target.id, doc_id, local.local_id, local.name, local.n_mentions, local.primary_key())
        if local.type == "PER" and len(local.name.split()) >= 2:
            _absorb_surname(tables, target, local)
    tables.orphan_entities(unlinked)
    return n


def _find(tables: CorpusTables, local: LocalEntity) -> CorpusEntity | None:
    for key in local.lookups():
        ids = tables.entities_by_key(key, local.type, limit=2)      # one, or more than one (a common surname)
        if len(ids) == 1:
            return tables.entity(ids[0])
        if len(ids) > 1 and key.startswith("per-surname:"):
            return None            # an ambiguous surname stays apart
        if ids:
            return tables.entity(ids[0])
    return None


def _absorb_surname(tables: CorpusTables, person: CorpusEntity, local: LocalEntity) -> None:
    """An earlier one-word person ("Токаев") joins the full name now seen, when only one full name has that surname."""
    surname = local.keys()[-1]
    holders = []
    for entity_id, name in tables.names_by_key(surname):
        if len(name.split()) >= 2:
            holders.append(entity_id)
            if len(holders) > 1:       # a surname many people share: stop at the second
                return
    if len(holders) != 1:
        return
    single = [i for i in tables.entities_by_key(f"per:{surname.split(':', 1)[1]}") if i != person.id]
    for old_id in single:
        old = tables.entity(old_id)
        if old is None or len(old.name.split()) != 1:
            continue
        for name, k in old.names.items():
            person.names[name] = person.names.get(name, 0) + k
        person.roles = sorted(set(person.roles) | set(old.roles))
        person.name = person.display_name()
        tables.merge_entity(old_id, person.id)
        tables.put_entity(person, [])


# --- reading the corpus back: the contract of `letopis events` and `letopis figures` ---------------------------

def event_record(tables: CorpusTables, ev: dict, sources: dict[str, str] | None = None,
                 limit: int | None = None) -> dict:
    """One line of `letopis events`: the event, its member mentions and its figure claims (CONTRACT.md); with
    `limit`, the first so many of each (the web's lists)."""
    members = tables.mention_rows(ev["id"], limit)
    claims = tables.claims(event_id=ev["id"], limit=limit)
    loc = ev.get("location")
    return {
        "id": ev["id"], "type": ev["type"], "mode": ev.get("mode"), "date": ev.get("date"),
        "location": None if not loc else {
            "name": loc.get("canonical") or loc.get("name"), "country": loc.get("country"),
            "admin1": loc.get("admin1"), "lat": loc.get("lat"), "lon": loc.get("lon"),
            "precision": loc.get("precision"), "geo_precision": loc.get("geo_precision")},
        "country": ev.get("country"), "actors": ev.get("actors") or [], "targets": ev.get("targets") or [],
        "n_sources": ev.get("n_sources"),
        "mentions": [{"source": m["source"], "doc_id": m["doc_id"], "span": m["span"], "trigger": m["trigger"],
                      "date": m["date_start"], "place": m["place"], "background": m["background"],
                      "reason": m.get("reason")} for m in members],
        "figures": [claim_record(c) for c in claims],
    }


def claim_record(c) -> dict:
    return {"id": c.id, "category": c.category, "low": c.low, "high": c.high, "claimant": c.claimant,
            "claimant_class": c.claimant_class, "claimant_entity": c.claimant_entity, "claimed_on": c.claimed_on,
            "counts_to": c.counts_to, "source": c.source, "doc_id": c.doc_id, "span": list(c.span), "text": c.text,
            "event": c.event_id, "background": c.background}

