"""The lists of the REST API that no store method gives whole: documents filtered by date and title, statements
from the stored extractions, the located places, and the counts. Plain functions over an open `Store`, no HTTP.

Each list function returns `(total, rows of the page)`. Dates compare as strings, so a partial date works as a bound
("2023-03" … "2023-03-31"), as in the CLI.
"""
from __future__ import annotations

import hashlib
import json
from typing import Iterator

from ..errors import UnknownDocument
from ..store.corpus import CorpusTables
from ..store.sqlite import Store

HIGH = "\uffff"      # `until` includes every finer date of its day, month or year


def fold(s: str | None) -> str:
    return (s or "").lower().replace("ё", "е")


def _bounds(day: str | None, since: str | None, until: str | None) -> bool:
    if not (since or until):
        return True
    if day is None:
        return False
    return (not since or day >= since) and (not until or day <= until + HIGH)


# --- documents -------------------------------------------------------------------------------------------------

def documents(store: Store, since: str | None = None, until: str | None = None, q: str | None = None,
              limit: int = 50, offset: int = 0) -> tuple[int, list[dict]]:
    """Document summaries, newest first (as `letopis docs list`); `q` is part of the title or source name."""
    where, args = ["1=1"], []
    if since:
        where.append("d.published >= ?")
        args.append(since)
    if until:
        where.append("d.published <= ?")
        args.append(until + HIGH)
    if q:      # SQLite's lower() folds ASCII only: fold Cyrillic (and ё) in Python
        store.db.create_function("letopis_fold", 1, fold, deterministic=True)
        where.append("(instr(letopis_fold(d.title), ?) > 0 OR instr(letopis_fold(d.source), ?) > 0)")
        args += [fold(q), fold(q)]
    cond = " AND ".join(where)
    total = store.db.execute(f"SELECT COUNT(*) FROM documents d WHERE {cond}", args).fetchone()[0]
    rows = store.db.execute(
        f"""SELECT d.id, d.published, d.precision, d.format, d.title, d.source, length(d.text) AS chars,
                   (SELECT COUNT(*) FROM document_sources s WHERE s.doc_id=d.id) AS sources
            FROM documents d WHERE {cond} ORDER BY d.published IS NULL, d.published DESC, d.id LIMIT ? OFFSET ?""",
        [*args, limit, offset])
    return total, [dict(r) for r in rows]


def document(store: Store, doc_id: str, text: bool = True, extraction: bool = True) -> dict:
    """One document (an id or a unique prefix of one) with its sources and extraction; raises `UnknownDocument`."""
    doc = store.get_document(doc_id)
    record = doc.to_json()
    for key in ("body", "body_map"):
        record.pop(key, None)
    if not text:
        record["text"] = None
    record["sources"] = store.sources_of(doc.id)
    found = store.get_extraction(doc.id)
    record["extracted"] = {k: len(found.get(k) or ()) for k in
                           ("entities", "times", "figures", "statements", "events")} if found else None
    record["extraction"] = found if extraction else None
    return record


# --- statements ------------------------------------------------------------------------------------------------

def _statements(store: Store, doc_id: str | None, speaker: str | None) -> Iterator[dict]:
    sql, args = ("SELECT d.id, d.source, d.published, e.data FROM extractions e JOIN documents d ON d.id = e.doc_id"
                 " WHERE 1=1", [])
    if doc_id:
        sql += " AND d.id = ?"
        args.append(doc_id)
    want = fold(speaker)
    for row in store.db.execute(sql + " ORDER BY d.id", args):
        for i, st in enumerate(json.loads(row[3]).get("statements") or ()):
            who = st.get("speaker") or {}
            if want and want not in fold(who.get("name")) and want not in fold(st.get("speaker_entity")):
                continue
            yield {"id": f"{row[0]}:{i}", "doc_id": row[0], "index": i, "source": row[1], "published": row[2],
                   "span": list(st["span"]), "speaker": who.get("name"),
                   "speaker_span": list(who["span"]) if who.get("span") else None,
                   "speaker_entity": st.get("speaker_entity"), "date": st.get("date"),
                   "day": st.get("date") or row[2], "kind": st.get("kind"), "verb": st.get("verb")}


def statements(store: Store, speaker: str | None = None, since: str | None = None, until: str | None = None,
               doc: str | None = None, q: str | None = None, limit: int = 50,
               offset: int = 0) -> tuple[int, list[dict]]:
    """Every statement of the stored extractions, oldest first, with its words. `speaker` is part of the speaker's
    name, `q` part of the words (ё = е, any case), `doc` a document id or a unique prefix of one."""
    if doc:
        try:
            doc = store.resolve_id(doc)
        except UnknownDocument:
            return 0, []
    rows = [r for r in _statements(store, doc, speaker) if _bounds(r["day"], since, until)]
    texts: dict[str, str] = {}

    def words(r: dict) -> str:
        if r["doc_id"] not in texts:
            texts[r["doc_id"]] = store.db.execute("SELECT text FROM documents WHERE id=?", (r["doc_id"],)).fetchone()[0]
        a, b = r["span"]
        return texts[r["doc_id"]][a:b]

    if q:
        rows = [r for r in rows if fold(q) in fold(words(r))]
    rows.sort(key=lambda r: (r["day"] is None, r["day"] or "", r["doc_id"], r["index"]))
    page = rows[offset:offset + limit]
    return len(rows), [r | {"text": words(r)} for r in page]


# --- places ----------------------------------------------------------------------------------------------------

def _place_id(geonameid, name: str, country: str | None) -> str:
    if geonameid:
        return f"geo-{geonameid}"
    return "place-" + hashlib.sha256(f"{fold(name)}|{country or ''}".encode()).hexdigest()[:16]


def places(store: Store, type_: str | None = None, since: str | None = None, until: str | None = None,
           country: str | None = None, place: str | None = None, limit: int = 50,
           offset: int = 0) -> tuple[int, list[dict]]:
    """The places with coordinates: where the (filtered) events happened, and the LOC entities the articles name,
    merged by canonical name and country; most events first. With an event filter (type, since, until) only the
    places of matching events are listed."""
    tables = CorpusTables(store.db)
    out: dict[tuple[str, str | None], dict] = {}

    def entry(loc: dict) -> dict:
        name = loc.get("canonical") or loc.get("name")
        key = (fold(name), loc.get("country"))
        if key not in out:
            out[key] = {"id": _place_id(loc.get("geonameid"), name, loc.get("country")), "name": name,
                        "country": loc.get("country"), "admin1": loc.get("admin1"), "lat": loc["lat"],
                        "lon": loc["lon"], "precision": loc.get("precision") or loc.get("kind"), "entity": None,
                        "n_events": 0, "event_types": {}, "n_documents": 0, "n_mentions": 0}
        return out[key]

    for ev in tables.events(type_, since, until, None, country, None):
        loc = ev.get("location") or {}
        if loc.get("lat") is None or loc.get("lon") is None:
            continue
        e = entry(loc)
        e["n_events"] += 1
        e["event_types"][ev["type"]] = e["event_types"].get(ev["type"], 0) + 1
    event_filter = bool(type_ or since or until)
    for ent in tables.entities("LOC"):
        loc = ent.get("place") or {}
        if loc.get("lat") is None or loc.get("lon") is None or (country and loc.get("country") != country.upper()):
            continue
        name = loc.get("canonical") or loc.get("name")
        if event_filter and (fold(name), loc.get("country")) not in out:
            continue
        e = entry(loc)
        e["entity"] = e["entity"] or ent["id"]
        e["n_documents"] += ent["n_documents"]
        e["n_mentions"] += ent["n_mentions"]
    rows = [r for r in out.values() if not place or fold(place) in fold(r["name"])]
    rows.sort(key=lambda r: (-r["n_events"], -r["n_documents"], r["name"], r["id"]))
    return len(rows), rows[offset:offset + limit]


# --- counts ----------------------------------------------------------------------------------------------------

TABLES = ("documents", "document_sources", "ingest_errors", "extractions", "events", "event_mentions",
          "figure_claims", "corpus_entities")


def stats(store: Store) -> dict:
    db = store.db
    counts = {t: db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES}
    counts["statements"] = db.execute(
        "SELECT COALESCE(SUM(json_array_length(data, '$.statements')), 0) FROM extractions").fetchone()[0]
    pairs = lambda sql: {k: n for k, n in db.execute(sql)}  # noqa: E731
    return {
        "counts": counts,
        "events_by_type": pairs("SELECT type, COUNT(*) FROM events GROUP BY type ORDER BY 2 DESC, 1"),
        "events_by_month": pairs("SELECT substr(date_start, 1, 7), COUNT(*) FROM events WHERE length(date_start) >= 7"
                                 " GROUP BY 1 ORDER BY 1"),
        "undated_events": db.execute("SELECT COUNT(*) FROM events WHERE date_start IS NULL").fetchone()[0],
        "claims_by_category": pairs(
            "SELECT category, COUNT(*) FROM figure_claims GROUP BY category ORDER BY 2 DESC, 1"),
        "earliest": db.execute("SELECT MIN(published) FROM documents").fetchone()[0],
        "latest": db.execute("SELECT MAX(published) FROM documents").fetchone()[0],
    }


# --- one entity ------------------------------------------------------------------------------------------------

def entity(store: Store, entity_id: str) -> dict | None:
    """A corpus entity with the articles that name it (oldest first), or None."""
    ent = CorpusTables(store.db).entity(entity_id)
    if ent is None:
        return None
    rows = [dict(r) for r in store.db.execute(
        """SELECT m.doc_id, m.local_id, m.n_mentions, d.title, d.source, d.published FROM entity_mentions m
           JOIN documents d ON d.id = m.doc_id WHERE m.entity_id = ?
           ORDER BY d.published IS NULL, d.published, m.doc_id, m.local_id""", (entity_id,))]
    n_mentions = sum(r.pop("n_mentions") for r in rows)
    return ent.to_json() | {"n_documents": len({r["doc_id"] for r in rows}), "n_mentions": n_mentions,
                            "documents": rows}
