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
        self.db.execute("DELETE FROM figure_claims WHERE doc_id=?", (doc_id,))
        self.db.execute("DELETE FROM entity_mentions WHERE doc_id=?", (doc_id,))
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
        if not n_mentions:
            self.db.execute("DELETE FROM events WHERE id=?", (event_id,))
            self.db.execute("DELETE FROM event_tallies WHERE event_id=?", (event_id,))
            self.db.execute("DELETE FROM event_tallies_pending WHERE event_id=?", (event_id,))
            return
        date, loc = summary.get("date") or {}, summary.get("location") or {}
        self.db.execute(
            "INSERT OR REPLACE INTO events (id, type, date_start, date_end, country, place, n_mentions, n_sources, data)"
            " VALUES (?,?,?,?,?,?,?,?,?)",
            (event_id, summary["type"], date.get("start"), date.get("end"), summary.get("country"),
             loc.get("canonical") or loc.get("name"), n_mentions, n_sources, json.dumps(summary, ensure_ascii=False)))

    def events(self, type_: str | None = None, since: str | None = None, until: str | None = None,
               place: str | None = None, country: str | None = None, entity: str | None = None,
               limit: int | None = None, offset: int = 0) -> list[dict]:
        sql, args = "SELECT id, data, n_mentions, n_sources FROM events WHERE 1=1", []
        if type_:
            sql += " AND type=?"
            args.append(type_.upper())
        if since:
            sql += " AND date_end >= ?"
            args.append(since)
        if until:
            sql += " AND date_start <= ?"
            args.append(until + "\uffff")
        if country:
            sql += " AND country=?"
            args.append(country.upper())
        if place:
            sql += " AND (place LIKE ? OR data LIKE ?)"
            args += [f"%{place}%", f"%{place}%"]
        if entity:
            sql += " AND data LIKE ?"
            args.append(f"%{entity}%")
        sql += " ORDER BY date_start IS NULL, date_start, id"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            args += [limit, offset]
        return [{"id": r[0], **json.loads(r[1]), "n_mentions": r[2], "n_sources": r[3]}
                for r in self.db.execute(sql, args)]

    def event(self, event_id: str) -> dict | None:
        row = self.db.execute("SELECT id, data, n_mentions, n_sources FROM events WHERE id=?", (event_id,)).fetchone()
        return {"id": row[0], **json.loads(row[1]), "n_mentions": row[2], "n_sources": row[3]} if row else None

    def mention_rows(self, event_id: str) -> list[dict]:
        return [json.loads(r[0]) for r in self.db.execute(
            "SELECT data FROM event_mentions WHERE event_id=? ORDER BY id", (event_id,))]

    # -- the ledger -----------------------------------------------------------------------------------

    def add_claim(self, c: Claim) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO figure_claims (id, doc_id, category, claimant, claimed_on, event_id, mention_id,"
            " background, data) VALUES (?,?,?,?,?,?,?,?,?)",
            (c.id, c.doc_id, c.category, c.claimant, c.claimed_on, c.event_id, c.mention_id, int(c.background),
             json.dumps(c.to_json(), ensure_ascii=False)))

    def claims(self, category: str | None = None, claimant: str | None = None, event_id: str | None = None,
               since: str | None = None, until: str | None = None, doc_id: str | None = None,
               limit: int | None = None, offset: int = 0) -> list[Claim]:
        sql, args = "SELECT data FROM figure_claims WHERE 1=1", []
        for col, val in (("category", category), ("event_id", event_id), ("doc_id", doc_id)):
            if val:
                sql += f" AND {col}=?"
                args.append(val)
        if claimant:
            sql += " AND (claimant LIKE ? OR data LIKE ?)"
            args += [f"%{claimant}%", f'%"claimant_class": "{claimant}"%']
        if since:
            sql += " AND claimed_on >= ?"
            args.append(since)
        if until:
            sql += " AND claimed_on <= ?"
            args.append(until + "\uffff")
        sql += " ORDER BY claimed_on IS NULL, claimed_on, id"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            args += [limit, offset]
        return [Claim.from_json(json.loads(r[0])) for r in self.db.execute(sql, args)]

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
        self.db.execute("INSERT INTO corpus_entities (id, type, name, data) VALUES (?,?,?,?) ON CONFLICT(id) DO UPDATE"
                        " SET type=excluded.type, name=excluded.name, data=excluded.data",
                        (e.id, e.type, e.name, json.dumps(e.to_json(), ensure_ascii=False)))
        self.db.executemany("INSERT OR IGNORE INTO entity_keys (key, entity_id) VALUES (?,?)", [(k, e.id) for k in keys])

    def link_entity(self, entity_id: str, doc_id: str, local_id: str, name: str, n: int,
                    key: str | None = None) -> None:
        self.db.execute("INSERT OR REPLACE INTO entity_mentions (entity_id, doc_id, local_id, name, n_mentions, key)"
                        " VALUES (?,?,?,?,?,?)", (entity_id, doc_id, local_id, name, n, key))

    def merge_entity(self, old: str, into: str) -> None:
        self.db.execute("UPDATE entity_mentions SET entity_id=? WHERE entity_id=?", (into, old))
        self.db.execute("INSERT OR IGNORE INTO entity_keys (key, entity_id) SELECT key, ? FROM entity_keys WHERE entity_id=?",
                        (into, old))
        self.db.execute("DELETE FROM corpus_entities WHERE id=?", (old,))

    def entities(self, type_: str | None = None, name: str | None = None, limit: int | None = None,
                 offset: int = 0) -> list[dict]:
        sql = ("SELECT e.data, COUNT(DISTINCT m.doc_id), COALESCE(SUM(m.n_mentions), 0) FROM corpus_entities e "
               "LEFT JOIN entity_mentions m ON m.entity_id = e.id WHERE 1=1")
        args: list = []
        if type_:
            sql += " AND e.type=?"
            args.append(type_.upper())
        if name:
            sql += " AND e.data LIKE ?"
            args.append(f"%{name}%")
        sql += " GROUP BY e.id ORDER BY COUNT(DISTINCT m.doc_id) DESC, e.name, e.id"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            args += [limit, offset]
        return [json.loads(r[0]) | {"n_documents": r[1], "n_mentions": r[2]} for r in self.db.execute(sql, args)]

    def entity_documents(self, entity_id: str) -> list[tuple[str, str]]:
        return [(r[0], r[1]) for r in self.db.execute(
            "SELECT doc_id, local_id FROM entity_mentions WHERE entity_id=? ORDER BY doc_id", (entity_id,))]

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
