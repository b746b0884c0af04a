"""The corpus as an ACLED-style CSV: one row per corpus event, with ACLED's columns in ACLED's order.

    event_id_cnty  ISO alpha-3 of the event's country + "-" + the event id's hash ("KAZ-4b0d1e01ef297702")
    event_date     the first day of the event's date ("2023-03" → "2023-03-01"); empty when undated
    time_precision 1 day, 2 week/month (or several days), 3 year (acled.yaml)
    disorder_type, event_type, sub_event_type   the PLOVER→ACLED table of extract/ontology.yaml
    actor1 … inter2   actor types by the rules of actors.yaml; inter2 0 when there is no actor2; an actor no rule
                   types keeps its name and an empty inter; interaction = the two codes, lower first ("16"), or
                   inter1 followed by 0 when there is no actor2 ("60")
    iso, region, country   ISO numeric code, ACLED region and English name (countries.tsv)
    admin1, location, latitude, longitude, geo_precision   the geocoded place (names in Russian, as the gazetteer
                   has them; admin2 and admin3 stay empty: the gazetteer has no second-level units)
    source         every article that reports the event, "; "-separated; source_scale stays empty (unknown)
    fatalities     the most conservative killed claim (export/figures.py states the rule)
    notes          every figure claim of the event: "category: claimant (day): low–high"
    tags           "crowd size=…" for protests and riots
    timestamp      Unix time of 00:00 UTC on the latest publication date of the event's articles — a stable value
                   (ACLED's is the time the row was last changed; an ingest time would differ between two stores
                   built from the same articles)
"""
from __future__ import annotations

import csv
import datetime as dt
import functools
from pathlib import Path
from typing import Iterable, Iterator, TextIO

import yaml

from ..extract.ontology import acled_type
from .actors import Actor, actors
from .countries import country
from .figures import conservative, conservative_claim, note
from .reader import CorpusReader, EventBundle

ACLED_PATH = Path(__file__).with_name("acled.yaml")
ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision",
    "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
)


@functools.cache
def rules() -> dict:
    return yaml.safe_load(ACLED_PATH.read_text(encoding="utf-8"))


def first_day(date: str | None) -> str | None:
    """'2023-03-04' → itself, '2023-03' → '2023-03-01', '2023' → '2023-01-01'."""
    if not date:
        return None
    parts = date.split("-")
    return "-".join(parts + ["01"] * (3 - len(parts)))


def time_precision(date: dict | None) -> int | None:
    if not date or not date.get("start"):
        return None
    code = rules()["time_precision"].get(date.get("precision") or "day", 3)
    if code == 1 and date.get("end") and date["end"] != date["start"]:
        return rules()["multi_day"]
    return code


def interaction(inter1: int | None, inter2: int | None) -> str:
    """ACLED's interaction code: both actor types, lower first ("16"); inter1 then 0 when there is no actor2."""
    if inter1 is None or inter2 is None:
        return ""
    if inter2 == 0:
        return f"{inter1}0"
    return f"{min(inter1, inter2)}{max(inter1, inter2)}"


def _side(named: list[Actor], default: Actor | None = None) -> tuple[Actor | None, list[str]]:
    """(the side's main actor, the names associated with it): the first actor of a known type, else the default,
    else the first name at all."""
    typed = [a for a in named if a.inter is not None]
    main = typed[0] if typed else default or (named[0] if named else None)
    return main, [a.name for a in named if a is not main]


def _recode(a: Actor, event_type: str) -> Actor:
    new = rules()["actor1_recode"].get(event_type, {}).get(a.inter)
    return Actor(a.name, new, a.sector, a.code, a.rule) if new else a


def acled_row(bundle: EventBundle, reader: CorpusReader) -> dict:
    ev, claims = bundle.event, bundle.claims
    event_type, sub_event_type, disorder = acled_type(ev)
    cc = country(ev.get("country"))
    date = ev.get("date") or {}
    event_date = first_day(date.get("start"))
    loc = ev.get("location") or {}

    default = rules()["actor1_default"].get(event_type)
    default_actor = Actor(f"{default['name']} ({cc.name})" if cc else default["name"], default["inter"], None,
                          rule="default") if default else None
    actor1, assoc1 = _side([_recode(a, event_type) for a in actors(ev.get("actors") or ())], default_actor)
    actor2, assoc2 = _side(actors(ev.get("targets") or ()))
    inter1 = actor1.inter if actor1 else None
    inter2 = 0 if actor2 is None else actor2.inter
    target = rules()["civilian_targeting"]
    civilians = event_type in target["event_types"] or (target["disorder"] in disorder and inter2 in target["inter2"])

    docs = sorted({m["doc_id"] for m in bundle.mentions})
    published = [p for d in docs if (p := reader.published(d))]
    tags = ""
    if event_type in rules()["crowd_size"]:
        crowd = conservative_claim(claims, "participants")
        tags = f"crowd size={crowd.text if crowd else 'no report'}"
    return {
        "event_id_cnty": f"{cc.iso3 if cc else 'XXX'}-{bundle.id.removeprefix('ev-')}",
        "event_date": event_date,
        "year": int(event_date[:4]) if event_date else None,
        "time_precision": time_precision(date),
        "disorder_type": disorder, "event_type": event_type, "sub_event_type": sub_event_type,
        "actor1": actor1.name if actor1 else None, "assoc_actor_1": "; ".join(assoc1), "inter1": inter1,
        "actor2": actor2.name if actor2 else None, "assoc_actor_2": "; ".join(assoc2), "inter2": inter2,
        "interaction": interaction(inter1, inter2),
        "civilian_targeting": target["label"] if civilians else None,
        "iso": cc.numeric if cc else None, "region": cc.region if cc else None, "country": cc.name if cc else None,
        "admin1": loc.get("admin1"), "admin2": None, "admin3": None,
        "location": loc.get("canonical") or loc.get("name"),
        "latitude": loc.get("lat"), "longitude": loc.get("lon"), "geo_precision": loc.get("geo_precision"),
        "source": "; ".join(sorted({reader.source(d) for d in docs})),
        "source_scale": None,
        "notes": "; ".join(note(c, reader.source(c.doc_id)) for c in claims),
        "fatalities": conservative(claims, "killed"),
        "tags": tags,
        "timestamp": _unix_day(max(published)) if published else None,
    }


def _unix_day(date: str) -> int:
    day = dt.date.fromisoformat(first_day(date))
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc).timestamp())


def acled_rows(reader: CorpusReader) -> Iterator[dict]:
    """One ACLED row per corpus event, in the order of the event ids."""
    for bundle in reader.events():
        yield acled_row(bundle, reader)


def write_csv(rows: Iterable[dict], out: TextIO) -> int:
    """Write the header and `rows` as CSV (empty cells for None); returns the number of rows."""
    w = csv.writer(out, lineterminator="\n")
    w.writerow(ACLED_COLUMNS)
    n = 0
    for row in rows:
        w.writerow(["" if row.get(c) is None else row[c] for c in ACLED_COLUMNS])
        n += 1
    return n
