"""The corpus as PLOVER-style JSONL: one event a line, with its mentions, spans and the full ledger of its figures.

The field names follow the PLOVER codebook's JSON section where it has one (`id`, `event_type`/`mode`, `quad_code`,
actors with `actor_text`, `sector` and `code`, `recipients`, a geonames-style `location`, `size` with `dead`,
`injured`, `arrested`, `coder`), and add what letopis knows beyond it: every member mention with its source and the
`[start, stop)` spans of its words, trigger, date, place, actors and recipients in the article's text, and every
figure claim with its claimant, the day claimed and its span; researchers' corrections of the event and of each claim
(`corrections`, never applied to the values beside them). `size` takes the conservative reading of the ledger
(export/figures.py); null where no claim gives a number. Lines are in the order of the event ids.
"""
from __future__ import annotations

import json
from typing import Iterable, Iterator, TextIO

from .. import __version__
from ..corpus.ledger import Claim
from ..extract.ontology import acled_type
from .actors import actors
from .countries import country
from .figures import conservative
from .reader import CorpusReader, EventBundle

# PLOVER's quad categories: 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict
QUAD = {"AGREE": 1, "CONSULT": 1, "SUPPORT": 1, "CONCEDE": 1, "COOPERATE": 2, "AID": 2, "RETREAT": 2,
        "REQUEST": 3, "ACCUSE": 3, "REJECT": 3, "THREATEN": 3, "SANCTION": 3,
        "PROTEST": 4, "MOBILIZE": 4, "COERCE": 4, "ASSAULT": 4}
# size fields of PLOVER and the ledger categories they read
SIZE = {"dead": "killed", "injured": "injured", "arrested": "detained", "participants": "participants"}


def _actor_list(names: Iterable[str], reader: CorpusReader) -> list[dict]:
    return [{"actor_text": a.name, "sector": a.sector, "code": a.code, "acled_inter": a.inter,
             "entity": reader.entity_for(a.name)} for a in actors(names)]


def _location(loc: dict | None) -> dict | None:
    if not loc:
        return None
    cc = country(loc.get("country"))
    return {"name": loc.get("canonical") or loc.get("name"), "geonameid": loc.get("geonameid"),
            "latitude": loc.get("lat"), "longitude": loc.get("lon"), "country_code": loc.get("country"),
            "cc3": cc.iso3 if cc else None, "admin1": loc.get("admin1"), "resolution": loc.get("plover_resolution"),
            "geo_precision": loc.get("geo_precision")}


def _spanned(items, text: str) -> list[dict]:
    """Actors as the article names them: the (normalised) name, the words at the span, the span."""
    return [{"name": x.get("name"), "text": text[x["span"][0]:x["span"][1]] if x.get("span") else None,
             "span": x.get("span")} for x in items or ()]


def mention_record(m: dict, reader: CorpusReader) -> dict:
    """One member mention: where it is (source, spans into the article's text) and what it says."""
    raw = reader.extraction_event(m["doc_id"], m["index"])
    text = reader.text(m["doc_id"])
    start, stop = m["span"]
    trigger = raw.get("trigger") or {}
    date = raw.get("date") or {}
    place = raw.get("location") or {}
    return {
        "id": m["id"], "doc_id": m["doc_id"], "source": reader.source(m["doc_id"]),
        "published": reader.published(m["doc_id"]), "span": [start, stop], "event_text": text[start:stop],
        "event_type": m["type"], "mode": m.get("mode"),
        "trigger": {"text": text[slice(*trigger["span"])] if trigger.get("span") else m.get("trigger"),
                    "span": trigger.get("span")},       # the words at the span (the extraction shortens long ones)
        "date": {"start": m.get("date_start"), "end": m.get("date_end"), "precision": m.get("precision"),
                 "span": m.get("date_span") or date.get("span")} if m.get("date_start") else None,
        "location": {"name": m.get("place"), "span": m.get("place_span") or place.get("span")}
        if m.get("place") else None,
        "actors": _spanned(raw.get("actors"), text), "recipients": _spanned(raw.get("targets"), text),
        "modality": m.get("modality"), "background": bool(m.get("background")), "reason": m.get("reason"),
    }


def claim_record(c: Claim, reader: CorpusReader) -> dict:
    return {"id": c.id, "category": c.category, "low": c.low, "high": c.high, "text": c.text, "span": list(c.span),
            "claimant": c.claimant, "claimant_class": c.claimant_class,
            "claimant_span": list(c.claimant_span) if c.claimant_span else None,
            "claimant_entity": c.claimant_entity, "claimed_on": c.claimed_on, "claimed_on_rule": c.claimed_on_rule,
            "counts_to": c.counts_to, "doc_id": c.doc_id, "source": reader.source(c.doc_id), "mention": c.mention_id,
            "link_rule": c.link_rule, "background": c.background,
            "corrections": reader.corrections_of("claim", c.id)}


def plover_record(bundle: EventBundle, reader: CorpusReader) -> dict:
    ev = bundle.event
    date = ev.get("date") or {}
    event_type, sub_event_type, disorder = acled_type(ev)
    return {
        "id": bundle.id, "event_type": ev["type"], "mode": ev.get("mode"), "quad_code": QUAD.get(ev["type"]),
        "event_date": date.get("start"), "enddate": date.get("end"), "date_precision": date.get("precision"),
        "actors": _actor_list(ev.get("actors") or (), reader),
        "recipients": _actor_list(ev.get("targets") or (), reader),
        "location": _location(ev.get("location")), "country_code": ev.get("country"),
        "size": {k: conservative(bundle.claims, cat, default=None) for k, cat in SIZE.items()},
        "acled": {"event_type": event_type, "sub_event_type": sub_event_type, "disorder_type": disorder},
        "n_sources": len({m["doc_id"] for m in bundle.mentions}), "n_mentions": len(bundle.mentions),
        "mentions": [mention_record(m, reader) for m in bundle.mentions],
        "figures": [claim_record(c, reader) for c in bundle.claims],
        "corrections": reader.corrections_of("event", bundle.id),
        "coder": f"letopis {__version__}",
    }


def plover_records(reader: CorpusReader) -> Iterator[dict]:
    for bundle in reader.events():
        yield plover_record(bundle, reader)


def write_jsonl(records: Iterable[dict], out: TextIO) -> int:
    n = 0
    for r in records:
        out.write(json.dumps(r, ensure_ascii=False) + "\n")
        n += 1
    return n
