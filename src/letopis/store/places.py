"""The places of the corpus (migration 0009): where located events happened and which places the articles name.

A place is keyed by its folded name and its country (`keys.place_key`). `places` holds what it is (the first event
or LOC entity seen there: its name, coordinates, gazetteer id), `place_events` how many located events of each
type it has, counted as events are written (`CorpusTables.put_event`); the LOC entities carry the key too, with
their counts of articles and mentions. So the list of places costs the places, not the events or the articles —
but with a date filter, when the events of the period are counted from the events' index.
"""
from __future__ import annotations

import hashlib
import sqlite3

from .keys import fold, place_name

HIGH = "\uffff"


def place_id(geonameid, name: str, country: str | None) -> str:
    if geonameid:
        return f"geo-{geonameid}"
    return "place-" + hashlib.sha256(f"{fold(name)}|{country or ''}".encode()).hexdigest()[:16]


class PlacesTable:
    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def add(self, key: str, loc: dict) -> None:
        """What the place `key` is, unless it is known already."""
        geonameid = loc.get("geonameid")
        self.db.execute("INSERT OR IGNORE INTO places (key, geonameid, name, country, admin1, lat, lon, precision)"
                        " VALUES (?,?,?,?,?,?,?,?)",
                        (key, None if geonameid is None else str(geonameid), place_name(loc), loc.get("country"),
                         loc.get("admin1"), loc["lat"], loc["lon"], loc.get("precision") or loc.get("kind")))

    def count_event(self, key: str | None, type_: str, delta: int, loc: dict | None = None) -> None:
        """One located event more (delta 1, at `loc`) or less (-1) of `type_` at the place `key` (None: not located)."""
        if key is None:
            return
        if delta > 0 and loc is not None:
            self.add(key, loc)
        self.db.execute("INSERT INTO place_events (key, type, n) VALUES (?,?,?) ON CONFLICT (key, type)"
                        " DO UPDATE SET n = place_events.n + excluded.n", (key, type_, delta))

    def page(self, type_: str | None = None, since: str | None = None, until: str | None = None,
             country: str | None = None, place: str | None = None, limit: int | None = 50,
             offset: int = 0) -> tuple[int, list[dict]]:
        """(how many, the page of them): the places with coordinates, most events first, then most articles naming
        them. With an event filter (type, since, until) only the places of matching events; `country` is the
        place's, `place` part of its name (any case, ё = е)."""
        events, ev_args = self._events(type_, since, until, grouped_by="key")
        where, args = ["COALESCE(ev.n, 0) > 0" if (type_ or since or until)
                       else "(COALESCE(ev.n, 0) > 0 OR en.key IS NOT NULL)"], []
        if country:
            where.append("p.country = ?")
            args.append(country.upper())
        if place:
            where.append("instr(letopis_fold(p.name), ?) > 0")
            args.append(fold(place))
        source = (f"FROM places p LEFT JOIN ({events}) ev ON ev.key = p.key LEFT JOIN (SELECT place_key AS key,"
                  " SUM(n_documents) AS docs, SUM(n_mentions) AS mentions FROM corpus_entities"
                  f" WHERE place_key IS NOT NULL GROUP BY place_key) en ON en.key = p.key WHERE {' AND '.join(where)}")
        total = self.db.execute(f"SELECT COUNT(*) {source}", [*ev_args, *args]).fetchone()[0]
        page = "LIMIT -1 OFFSET ?" if limit is None else "LIMIT ? OFFSET ?"
        rows = self.db.execute(
            "SELECT p.key, p.geonameid, p.name, p.country, p.admin1, p.lat, p.lon, p.precision,"
            " COALESCE(ev.n, 0) AS n_events, COALESCE(en.docs, 0) AS docs, COALESCE(en.mentions, 0) AS mentions,"
            f" en.key {source} ORDER BY n_events DESC, docs DESC, p.name, p.key {page}",
            [*ev_args, *args, *(() if limit is None else (limit,)), offset]).fetchall()
        keys = [r[0] for r in rows]
        types: dict[str, dict[str, int]] = {k: {} for k in keys}
        if keys:
            by_type, t_args = self._events(type_, since, until, grouped_by="key, type",
                                           keys=len(keys))
            for key, ty, n in self.db.execute(by_type, [*t_args, *keys]):
                types[key][ty] = n
        return total, [{
            "id": place_id(r[1], r[2], r[3]), "name": r[2], "country": r[3], "admin1": r[4], "lat": r[5],
            "lon": r[6], "precision": r[7], "entity": self._entity(r[0]) if r[11] is not None else None,
            "n_events": r[8], "event_types": dict(sorted(types[r[0]].items(), key=lambda kv: (-kv[1], kv[0]))),
            "n_documents": r[9], "n_mentions": r[10]} for r in rows]

    def _events(self, type_: str | None, since: str | None, until: str | None, grouped_by: str,
                keys: int = 0) -> tuple[str, list]:
        """The located events counted by place (and type): from the kept counts, or with a date filter from the
        events of the period."""
        where, args = [], []
        if type_:
            where.append("type = ?")
            args.append(type_.upper())
        if since or until:
            where.append("place_key IS NOT NULL")
            if since:
                where.append("date_end >= ?")
                args.append(since)
            if until:
                where.append("date_start <= ?")
                args.append(until + HIGH)
            column, table, n = "place_key", "events", "COUNT(*)"
        else:
            where.append("n > 0")
            column, table, n = "key", "place_events", "SUM(n)"
        if keys:
            where.append(f"{column} IN ({','.join('?' * keys)})")
        group = grouped_by.replace("key", column)
        return (f"SELECT {column} AS key{', type' if 'type' in grouped_by else ''}, {n} AS n FROM {table}"
                f" WHERE {' AND '.join(where)} GROUP BY {group}", args)

    def _entity(self, key: str) -> str | None:
        """The LOC entity of a place: the most widely reported of those there."""
        row = self.db.execute("SELECT id FROM corpus_entities WHERE place_key=? ORDER BY n_documents DESC, name, id"
                              " LIMIT 1", (key,)).fetchone()
        return row[0] if row else None
