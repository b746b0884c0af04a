"""The corpus tables of the SQLite store: event mentions and their events, figure claims, corpus entities.

Records in, records out (`letopis.corpus` records as JSON in a `data` column, the columns a query filters on beside
it). The corpus stage (`letopis.corpus.stage`) decides; this module only reads and writes.
"""
from __future__ import annotations

import datetime as dt
import json
import sqlite3
from typing import Iterable, Iterator

from ..corpus.entities import CorpusEntity
from ..corpus.ledger import Claim
from ..corpus.clustering import Tally, tallies
from ..corpus.mentions import EventMention
from .counts import ClaimCounted, CorpusCounts, EventCounted
from .keys import fold, place_key
from .paging import by_ids, count, nulls_last
from .places import PlacesTable

LEVELS = 15          # window levels: level L < LEVELS - 1 holds windows shorter than 2**L days, the last any longer


def window_level(start: str, end: str) -> int:
    """The level of a window [start, end] (ISO days): the bit length of its length in days, capped at the last
    level (migration 0008_corpus_scale.sql computes the same for rows stored before it)."""
    days = (dt.date.fromisoformat(end) - dt.date.fromisoformat(start)).days
    return min(max(days, 0).bit_length(), LEVELS - 1)


def _days_before(day: dt.date, n: int) -> str:
    try:
        return (day - dt.timedelta(days=n)).isoformat()
    except OverflowError:          # before year 1: no lower bound
        return ""


class CorpusTables:
    def __init__(self, db: sqlite3.Connection):
        self.db = db

    # -- event mentions and events --------------------------------------------------------------------

    def forget_document(self, doc_id: str) -> tuple[set[str], set[str]]:
        """Drop a document's mentions, claims and entity links; returns the events that lost members and the
        entities that lost links (`orphan_entities` drops those left with none)."""
        touched = {r[0] for r in self.db.execute("SELECT DISTINCT event_id FROM event_mentions WHERE doc_id=?", (doc_id,))}
        linked = {r[0] for r in self.db.execute("SELECT DISTINCT entity_id FROM entity_mentions WHERE doc_id=?", (doc_id,))}
        self.db.execute("DELETE FROM event_mentions WHERE doc_id=?", (doc_id,))
        # the tallies of the events that lost members are counted again from the members left (`set_tallies`)
        self.db.executemany("INSERT OR IGNORE INTO event_tallies_pending (event_id) VALUES (?)",
                            [(e,) for e in sorted(touched)])
        counts = CorpusCounts(self.db)
        for row in self.db.execute("SELECT category, background, COALESCE(claimant, doc_id) FROM figure_claims"
                                   " WHERE doc_id=?", (doc_id,)).fetchall():
            counts.claim(ClaimCounted(*row), None)
        self.db.execute("DELETE FROM figure_claims WHERE doc_id=?", (doc_id,))
        lost: dict[str, int] = {}
        for entity_id, n in self.db.execute("SELECT entity_id, n_mentions FROM entity_mentions WHERE doc_id=?",
                                            (doc_id,)).fetchall():
            lost[entity_id] = lost.get(entity_id, 0) + n
        self.db.execute("DELETE FROM entity_mentions WHERE doc_id=?", (doc_id,))
        self.db.executemany("UPDATE corpus_entities SET n_documents = n_documents - 1, n_mentions = n_mentions - ?"
                            " WHERE id=?", [(n, e) for e, n in sorted(lost.items())])
        return touched, linked

    def candidates(self, type_: str, start: str | None, end: str | None, country: str | None = None,
                   per_event: int = 8) -> dict[str, list[EventMention]]:
        """Events in a mention's block: same type, a window overlapping [start, end], the same country (or none
        known: clustering never joins two countries). Each event brings at most
        `per_event` members (its first and latest), so a much-reported event costs no more than a small one.
        A mention without a window (no date and an undated article) has no block: it is compared with nothing.
        The windows are read level by level (`window_level`), each from a bounded range of the index, so the
        query reads the block and not every earlier mention of the type."""
        if start is None or end is None:
            return {}
        first = dt.date.fromisoformat(start)
        parts, args = [], []
        for level in range(LEVELS):
            bounded = level < LEVELS - 1
            parts.append("SELECT event_id FROM event_mentions WHERE type=? AND win_level=? AND win_start <= ?"
                         " AND win_end >= ?" + (" AND win_start >= ?" if bounded else "") +
                         (" AND (country = ? OR country IS NULL)" if country else ""))
            args += [type_, level, end, start]
            if bounded:
                args.append(_days_before(first, 2 ** level))
            if country:
                args.append(country)
        ids = sorted({r[0] for r in self.db.execute(" UNION ALL ".join(parts), args)})
        return {eid: self.members(eid, per_event) for eid in ids}

    def members(self, event_id: str, limit: int | None = None) -> list[EventMention]:
        if limit is None:
            return [EventMention.from_json(json.loads(r[0])) for r in self.db.execute(
                "SELECT data FROM event_mentions WHERE event_id=? ORDER BY id", (event_id,))]
        half = max(limit // 2, 1)
        rows = self.db.execute(
            "SELECT id, data FROM (SELECT id, data FROM event_mentions WHERE event_id=? ORDER BY rowid LIMIT ?) "
            "UNION SELECT id, data FROM (SELECT id, data FROM event_mentions WHERE event_id=? ORDER BY rowid DESC "
            "LIMIT ?) ORDER BY id", (event_id, half, event_id, half))
        return [EventMention.from_json(json.loads(r[1])) for r in rows]

    def add_mention(self, m: EventMention, event_id: str, reason: str,
                    win: tuple[str, str] | None = None) -> None:
        data = m.to_json() | {"event_id": event_id, "reason": reason}
        self.db.execute(
            "INSERT OR REPLACE INTO event_mentions (id, doc_id, type, date_start, date_end, win_start, win_end, win_level,"
            " country, event_id, reason, background, data) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (m.id, m.doc_id, m.type, m.date_start, m.date_end, *(win or (None, None)),
             window_level(*win) if win else None, m.country, event_id, reason, int(m.background),
             json.dumps(data, ensure_ascii=False)))
        self.db.executemany(
            "INSERT INTO event_tallies (event_id, facet, background, value, n, first) VALUES (?,?,?,?,1,?)"
            " ON CONFLICT (event_id, facet, background, value)"
            " DO UPDATE SET n = event_tallies.n + 1, first = MIN(event_tallies.first, excluded.first)",
            [(event_id, facet, bg, value, m.id) for facet, bg, value in tallies(m)])

    def tallies(self, event_id: str) -> tuple[list[Tally], int, int]:
        """An event's tallies (but the per-document ones), its members and its documents (corpus.clustering)."""
        rows = [tuple(r) for r in self.db.execute(
            "SELECT facet, background, value, n, first FROM event_tallies WHERE event_id=? AND facet IN"
            " ('member', 'date', 'location', 'mode', 'country', 'actor', 'target')", (event_id,))]
        docs = self.db.execute("SELECT COUNT(*) FROM event_tallies WHERE event_id=? AND facet='doc'",
                               (event_id,)).fetchone()[0]
        return rows, sum(r[3] for r in rows if r[0] == "member"), docs

    def tallies_pending(self, event_id: str) -> bool:
        """True when the event's tallies must be counted again from its members (it lost some, or it was stored
        before tallies were kept)."""
        return self.db.execute("SELECT 1 FROM event_tallies_pending WHERE event_id=?", (event_id,)).fetchone() is not None

    def set_tallies(self, event_id: str, rows: Iterable[Tally]) -> None:
        self.db.execute("DELETE FROM event_tallies WHERE event_id=?", (event_id,))
        self.db.executemany("INSERT INTO event_tallies (event_id, facet, background, value, n, first)"
                            " VALUES (?,?,?,?,?,?)", [(event_id, *r) for r in rows])
        self.db.execute("DELETE FROM event_tallies_pending WHERE event_id=?", (event_id,))

    def event_type(self, event_id: str) -> str | None:
        """The type of an event's members; None when it has none left."""
        row = self.db.execute("SELECT type FROM event_mentions WHERE event_id=? LIMIT 1", (event_id,)).fetchone()
        return row[0] if row else None

    def mention_event(self, mention_id: str) -> str | None:
        row = self.db.execute("SELECT event_id FROM event_mentions WHERE id=?", (mention_id,)).fetchone()
        return row[0] if row else None

    def put_event(self, event_id: str, summary: dict, n_mentions: int, n_sources: int) -> None:
        """Store an event's summary (none left: drop it), and count it at its place (store.places)."""
        was = self.db.execute("SELECT type, place_key, country, date_start FROM events WHERE id=?",
                              (event_id,)).fetchone()
        places, counts = PlacesTable(self.db), CorpusCounts(self.db)
        date = summary.get("date") or {}
        counts.event(EventCounted(was[0], was[2], was[3]) if was else None,
                     EventCounted(summary["type"], summary.get("country"), date.get("start")) if n_mentions else None)
        if not n_mentions:
            self.db.execute("DELETE FROM events WHERE id=?", (event_id,))
            self.db.execute("DELETE FROM event_tallies WHERE event_id=?", (event_id,))
            self.db.execute("DELETE FROM event_tallies_pending WHERE event_id=?", (event_id,))
            if was:
                places.count_event(was[1], was[0], -1)
            return
        loc = summary.get("location") or {}
        key = place_key(loc)
        if was is None or (was[0], was[1]) != (summary["type"], key):
            if was:
                places.count_event(was[1], was[0], -1)
            places.count_event(key, summary["type"], 1, loc)
        self.db.execute(
            "INSERT OR REPLACE INTO events (id, type, date_start, date_end, country, place, n_mentions, n_sources,"
            " data, place_key) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (event_id, summary["type"], date.get("start"), date.get("end"), summary.get("country"),
             loc.get("canonical") or loc.get("name"), n_mentions, n_sources, json.dumps(summary, ensure_ascii=False),
             key))

    def events(self, type_: str | None = None, since: str | None = None, until: str | None = None,
               place: str | None = None, country: str | None = None, entity: str | None = None,
               limit: int | None = None, offset: int = 0) -> list[dict]:
        """Events oldest first (undated last); every one when `limit` is None."""
        if limit is not None:
            return self.events_page(type_, since, until, place, country, entity, limit, offset)[1]
        where, args = _event_filters(type_, since, until, place, country, entity)
        rows = self.db.execute(f"SELECT id, data, n_mentions, n_sources FROM events WHERE {' AND '.join(where)}"
                               " ORDER BY date_start IS NULL, date_start, id LIMIT -1 OFFSET ?", [*args, offset])
        return [_event(r) for r in rows]

    def events_page(self, type_: str | None = None, since: str | None = None, until: str | None = None,
                    place: str | None = None, country: str | None = None, entity: str | None = None,
                    limit: int | None = 50, offset: int = 0, place_key: str | None = None,
                    located: bool = False) -> tuple[int, list[dict]]:
        """(how many match, the page of them) oldest first, undated last, read from the index in that order.
        `place_key`: only the events at that place (store.keys.place_key); `located`: only those with coordinates."""
        where, args = _event_filters(type_, since, until, place, country, entity)
        if place_key is not None:
            where.append("place_key = ?")
            args.append(place_key)
        if located:
            where.append("place_key IS NOT NULL")
        total, ids = nulls_last(self.db, "events", where, args, "date_start", "id", limit, offset)
        found = by_ids(self.db, "SELECT id, data, n_mentions, n_sources FROM events WHERE id IN ({})",
                       [r[0] for r in ids])
        return total, [_event(found[r[0]]) for r in ids]

    def event(self, event_id: str) -> dict | None:
        row = self.db.execute("SELECT id, data, n_mentions, n_sources FROM events WHERE id=?", (event_id,)).fetchone()
        return _event(row) if row else None

    def mention_rows(self, event_id: str, limit: int | None = None) -> list[dict]:
        """An event's member mentions by id; the first `limit` of them."""
        sql = "SELECT data FROM event_mentions WHERE event_id=? ORDER BY id"
        rows = self.db.execute(sql, (event_id,)) if limit is None else self.db.execute(sql + " LIMIT ?",
                                                                                       (event_id, limit))
        return [json.loads(r[0]) for r in rows]

    def events_in(self, doc_ids: Iterable[str]) -> list[dict]:
        """The events some articles report, oldest first (undated last)."""
        ids = by_ids(self.db, "SELECT DISTINCT event_id FROM event_mentions WHERE doc_id IN ({})",
                     sorted(set(doc_ids)))
        found = by_ids(self.db, "SELECT id, data, n_mentions, n_sources FROM events WHERE id IN ({})", sorted(ids))
        events = [_event(row) for row in found.values()]
        return sorted(events, key=lambda ev: ((ev.get("date") or {}).get("start") is None,
                                              (ev.get("date") or {}).get("start") or "", ev["id"]))

    def count_mentions(self, event_id: str) -> int:
        return count(self.db, "event_mentions", ["event_id = ?"], [event_id])

    # -- the ledger -----------------------------------------------------------------------------------

    def add_claim(self, c: Claim) -> None:
        was = self.db.execute("SELECT category, background, COALESCE(claimant, doc_id) FROM figure_claims WHERE id=?",
                              (c.id,)).fetchone()
        CorpusCounts(self.db).claim(ClaimCounted(*was) if was else None, ClaimCounted(
            c.category, int(c.background), c.claimant if c.claimant is not None else c.doc_id))
        self.db.execute(
            "INSERT OR REPLACE INTO figure_claims (id, doc_id, category, claimant, claimed_on, event_id, mention_id,"
            " background, data) VALUES (?,?,?,?,?,?,?,?,?)",
            (c.id, c.doc_id, c.category, c.claimant, c.claimed_on, c.event_id, c.mention_id, int(c.background),
             json.dumps(c.to_json(), ensure_ascii=False)))

    def claims(self, category: str | None = None, claimant: str | None = None, event_id: str | None = None,
               since: str | None = None, until: str | None = None, doc_id: str | None = None,
               limit: int | None = None, offset: int = 0) -> list[Claim]:
        """Claims by the day they were made (undated last), then id; every one when `limit` is None."""
        if limit is not None:
            return self.claims_page(category, claimant, event_id, since, until, doc_id, limit=limit, offset=offset)[1]
        where, args = _claim_filters(category, claimant, event_id, since, until, doc_id)
        rows = self.db.execute(f"SELECT data FROM figure_claims WHERE {' AND '.join(where)}"
                               " ORDER BY claimed_on IS NULL, claimed_on, id LIMIT -1 OFFSET ?", [*args, offset])
        return [Claim.from_json(json.loads(r[0])) for r in rows]

    def claims_page(self, category: str | None = None, claimant: str | None = None, event_id: str | None = None,
                    since: str | None = None, until: str | None = None, doc_id: str | None = None,
                    country: str | None = None, event_type: str | None = None, event_place: str | None = None,
                    limit: int | None = 50, offset: int = 0) -> tuple[int, list[Claim]]:
        """(how many match, the page of them) in the order of `claims`, read from the index in that order.
        `event_type`, `event_place`: only claims about such events (in `country`, when given); `country`: only
        claims about that country — their event's, else the one most of their article's events are in."""
        where, args = _claim_filters(category, claimant, event_id, since, until, doc_id)
        if event_type or event_place:
            sub, sub_args = _event_filters(event_type, None, None, event_place, country, None)
            where.append(f"event_id IN (SELECT id FROM events WHERE {' AND '.join(sub)})")
            args += sub_args
        if country:
            where.append("COALESCE((SELECT e.country FROM events e WHERE e.id = figure_claims.event_id),"
                         " (SELECT m.country FROM event_mentions m WHERE m.doc_id = figure_claims.doc_id"
                         " AND m.country IS NOT NULL GROUP BY m.country ORDER BY COUNT(*) DESC, m.country LIMIT 1))"
                         " = ?")
            args.append(country.upper())
        total, ids = nulls_last(self.db, "figure_claims", where, args, "claimed_on", "id", limit, offset)
        found = by_ids(self.db, "SELECT id, data FROM figure_claims WHERE id IN ({})", [r[0] for r in ids])
        return total, [Claim.from_json(json.loads(found[r[0]][1])) for r in ids]

    def claims_in(self, doc_ids: Iterable[str]) -> list[Claim]:
        """The claims of some articles, by id."""
        found = by_ids(self.db, "SELECT id, data FROM figure_claims WHERE doc_id IN ({})", sorted(set(doc_ids)))
        return [Claim.from_json(json.loads(row[1])) for _, row in sorted(found.items())]

    def claim_days(self, category: str) -> tuple[str | None, str | None]:
        """The first and the last day a claim of `category` outside shared paragraphs was made, from the index."""
        days = []
        for order in ("", " DESC"):
            row = self.db.execute("SELECT claimed_on FROM figure_claims WHERE category=? AND claimed_on IS NOT NULL"
                                  f" AND background=0 ORDER BY claimed_on{order} LIMIT 1", (category,)).fetchone()
            days.append(row[0] if row else None)
        return days[0], days[1]

    def count_claims(self, event_id: str) -> int:
        return count(self.db, "figure_claims", ["event_id = ?"], [event_id])

    # -- entities -------------------------------------------------------------------------------------

    def entities_by_key(self, key: str, type_: str | None = None, limit: int | None = None) -> list[str]:
        """Ids of the corpus entities (of `type_`) that answer to `key`, smallest first, at most `limit`."""
        if type_ is None and limit is None:
            return [r[0] for r in self.db.execute("SELECT entity_id FROM entity_keys WHERE key=? ORDER BY entity_id",
                                                  (key,))]
        sql = "SELECT k.entity_id FROM entity_keys k JOIN corpus_entities e ON e.id = k.entity_id WHERE k.key=?"
        args: list = [key]
        if type_ is not None:
            sql += " AND e.type=?"
            args.append(type_)
        sql += " ORDER BY k.entity_id" + (" LIMIT ?" if limit is not None else "")
        return [r[0] for r in self.db.execute(sql, (*args, *(() if limit is None else (limit,))))]

    def names_by_key(self, key: str) -> Iterator[tuple[str, str]]:
        """(id, name) of the corpus entities that answer to `key`, smallest id first, read as they are asked for."""
        yield from self.db.execute("SELECT e.id, e.name FROM entity_keys k JOIN corpus_entities e ON e.id = k.entity_id"
                                   " WHERE k.key=? ORDER BY k.entity_id", (key,))

    def entity(self, entity_id: str) -> CorpusEntity | None:
        row = self.db.execute("SELECT data FROM corpus_entities WHERE id=?", (entity_id,)).fetchone()
        return CorpusEntity.from_json(json.loads(row[0])) if row else None

    def put_entity(self, e: CorpusEntity, keys: Iterable[str]) -> None:
        # an upsert, not INSERT OR REPLACE: a replace deletes the row first and cascades to its mentions and keys
        key = place_key(e.place) if e.type == "LOC" else None
        self.db.execute("INSERT INTO corpus_entities (id, type, name, data, place_key) VALUES (?,?,?,?,?)"
                        " ON CONFLICT(id) DO UPDATE SET type=excluded.type, name=excluded.name, data=excluded.data,"
                        " place_key=excluded.place_key",
                        (e.id, e.type, e.name, json.dumps(e.to_json(), ensure_ascii=False), key))
        self.db.execute("INSERT INTO entity_names (entity_id, names) VALUES (?,?)"
                        " ON CONFLICT(entity_id) DO UPDATE SET names=excluded.names", (e.id, entity_names(e)))
        if key:
            PlacesTable(self.db).add(key, e.place)
        self.db.executemany("INSERT OR IGNORE INTO entity_keys (key, entity_id) VALUES (?,?)",
                            [(k, e.id) for k in keys])

    def link_entity(self, entity_id: str, doc_id: str, local_id: str, name: str, n: int,
                    key: str | None = None) -> None:
        """Link an article's entity to a corpus entity (in place of its earlier link), counting the articles and
        mentions of both. The article's links are read by its id: a much-named entity costs no more to link."""
        links = self.db.execute("SELECT local_id, entity_id, n_mentions FROM entity_mentions WHERE doc_id=?",
                                (doc_id,)).fetchall()
        was = next((r for r in links if r[0] == local_id), None)
        if was is not None:
            self.db.execute("DELETE FROM entity_mentions WHERE doc_id=? AND local_id=?", (doc_id, local_id))
            still = any(r[1] == was[1] for r in links if r[0] != local_id)
            self.db.execute("UPDATE corpus_entities SET n_documents = n_documents - ?, n_mentions = n_mentions - ?"
                            " WHERE id=?", (0 if still else 1, was[2], was[1]))
        named = any(r[1] == entity_id for r in links if r[0] != local_id)
        self.db.execute("INSERT INTO entity_mentions (entity_id, doc_id, local_id, name, n_mentions, key, published)"
                        " VALUES (?,?,?,?,?,?, (SELECT published FROM documents WHERE id=?))",
                        (entity_id, doc_id, local_id, name, n, key, doc_id))
        self.db.execute("UPDATE corpus_entities SET n_documents = n_documents + ?, n_mentions = n_mentions + ?"
                        " WHERE id=?", (0 if named else 1, n, entity_id))

    def merge_entity(self, old: str, into: str) -> None:
        docs = [r[0] for r in self.db.execute("SELECT DISTINCT doc_id FROM entity_mentions WHERE entity_id=?", (old,))]
        shared = sum(1 for d in docs if any(r[0] == into for r in self.db.execute(      # articles naming both
            "SELECT entity_id FROM entity_mentions WHERE doc_id=?", (d,))))
        self.db.execute("UPDATE corpus_entities SET n_documents = n_documents + ? - ?, n_mentions = n_mentions +"
                        " (SELECT n_mentions FROM corpus_entities WHERE id=?) WHERE id=?", (len(docs), shared, old, into))
        self.db.execute("UPDATE entity_mentions SET entity_id=? WHERE entity_id=?", (into, old))
        self.db.execute("INSERT OR IGNORE INTO entity_keys (key, entity_id) SELECT key, ? FROM entity_keys WHERE entity_id=?",
                        (into, old))
        self.db.execute("DELETE FROM corpus_entities WHERE id=?", (old,))

    def entities(self, type_: str | None = None, name: str | None = None, limit: int | None = None,
                 offset: int = 0) -> list[dict]:
        return self.entities_page(type_, name, limit, offset)[1]

    def entities_page(self, type_: str | None = None, name: str | None = None, limit: int | None = 50,
                      offset: int = 0) -> tuple[int, list[dict]]:
        """(how many match, the page of them), most widely reported first (by the articles naming them, kept as
        they are linked), then by name; `name` is part of any name or role."""
        where, args = ["1=1"], []
        if type_:
            where.append("type=?")
            args.append(type_.upper())
        if name:
            where.append("id IN (SELECT entity_id FROM entity_names WHERE instr(names, ?) > 0)")
            args.append(fold(name))
        cond = " AND ".join(where)
        total = count(self.db, "corpus_entities", where, args)
        page = "LIMIT -1 OFFSET ?" if limit is None else "LIMIT ? OFFSET ?"
        ids = [r[0] for r in self.db.execute(
            f"SELECT id FROM corpus_entities WHERE {cond} ORDER BY n_documents DESC, name, id {page}",
            [*args, *(() if limit is None else (limit,)), offset])]
        found = by_ids(self.db, "SELECT id, data, n_documents, n_mentions FROM corpus_entities WHERE id IN ({})", ids)
        return total, [json.loads(found[i][1]) | {"n_documents": found[i][2], "n_mentions": found[i][3]} for i in ids]

    def entity_documents(self, entity_id: str) -> list[tuple[str, str]]:
        return [(r[0], r[1]) for r in self.db.execute(
            "SELECT doc_id, local_id FROM entity_mentions WHERE entity_id=? ORDER BY doc_id", (entity_id,))]

    def entity_documents_page(self, entity_id: str, limit: int | None = 50,
                              offset: int = 0) -> tuple[int, list[dict]]:
        """(how many links, the page of them): the articles naming an entity, oldest first (undated last), each
        with the entity's id inside it and its mentions there."""
        total, rows = nulls_last(self.db, "entity_mentions", ["entity_id = ?"], [entity_id], "published",
                                 "doc_id, local_id", limit, offset, cols="doc_id, local_id, n_mentions")
        docs = by_ids(self.db, "SELECT id, title, source, published FROM documents WHERE id IN ({})",
                      sorted({r[0] for r in rows}))
        return total, [{"doc_id": r[0], "local_id": r[1], "n_mentions": r[2], "title": docs[r[0]][1],
                        "source": docs[r[0]][2], "published": docs[r[0]][3]} for r in rows if r[0] in docs]

    def orphan_entities(self, ids: Iterable[str] | None = None) -> None:
        """Drop the corpus entities among `ids` (None: all of them) that no article links to any more."""
        if ids is None:
            self.db.execute("DELETE FROM corpus_entities WHERE id NOT IN (SELECT entity_id FROM entity_mentions)")
            return
        self.db.executemany("DELETE FROM corpus_entities WHERE id=? AND NOT EXISTS"
                            " (SELECT 1 FROM entity_mentions WHERE entity_id=?)", [(i, i) for i in sorted(set(ids))])

    def iter_mentions(self) -> Iterator[dict]:
        for r in self.db.execute("SELECT data FROM event_mentions ORDER BY id"):
            yield json.loads(r[0])


def entity_names(e: CorpusEntity) -> str:
    """What the entity lists' `name=` filter looks in: its names, roles and place, folded, one per line (migration
    0010 computes the same for entities stored before it)."""
    place = (e.place or {}).get("canonical") or ""
    return fold("\n".join([e.name, "\n".join(sorted(e.names)), "\n".join(e.roles), place]))


def _event(row) -> dict:
    return {"id": row[0], **json.loads(row[1]), "n_mentions": row[2], "n_sources": row[3]}


def _event_filters(type_: str | None, since: str | None, until: str | None, place: str | None,
                   country: str | None, entity: str | None) -> tuple[list[str], list]:
    where, args = ["1=1"], []
    if type_:
        where.append("type=?")
        args.append(type_.upper())
    if since:
        where.append("date_end >= ?")
        args.append(since)
    if until:
        where.append("date_start <= ?")
        args.append(until + "\uffff")
    if country:
        where.append("country=?")
        args.append(country.upper())
    if place:
        where.append("(place LIKE ? OR data LIKE ?)")
        args += [f"%{place}%", f"%{place}%"]
    if entity:
        where.append("data LIKE ?")
        args.append(f"%{entity}%")
    return where, args


def _claim_filters(category: str | None, claimant: str | None, event_id: str | None, since: str | None,
                   until: str | None, doc_id: str | None) -> tuple[list[str], list]:
    where, args = ["1=1"], []
    for col, val in (("category", category), ("event_id", event_id), ("doc_id", doc_id)):
        if val:
            where.append(f"{col}=?")
            args.append(val)
    if claimant:
        where.append("(claimant LIKE ? OR data LIKE ?)")
        args += [f"%{claimant}%", f'%"claimant_class": "{claimant}"%']
    if since:
        where.append("claimed_on >= ?")
        args.append(since)
    if until:
        where.append("claimed_on <= ?")
        args.append(until + "\uffff")
    return where, args
