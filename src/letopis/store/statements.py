"""The statements table (migration 0009): one row per statement of a stored extraction, written with it
(`Store.put_extraction`), so that "who said what, when" is read a page at a time in its order.

Each row keeps the statement as extracted (`data`), its words (the article's text over its span), the day the
since/until filters use (its date, else its article's) and the folded forms the speaker and words filters compare.
"""
from __future__ import annotations

import json
import sqlite3

from .keys import fold
from .paging import by_ids, nulls_last

HIGH = "\uffff"      # `until` includes every finer date of its day, month or year


class StatementsTable:
    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def put(self, doc_id: str, extraction: dict) -> None:
        """The statements of a document's extraction, in place of those stored before; none when the document
        itself is not stored (its words and date are the document's)."""
        self.db.execute("DELETE FROM statements WHERE doc_id=?", (doc_id,))
        row = self.db.execute("SELECT text, published FROM documents WHERE id=?", (doc_id,)).fetchone()
        if row is None:
            return
        text, published = row[0], row[1]
        rows = []
        for i, st in enumerate(extraction.get("statements") or ()):
            words = text[st["span"][0]:st["span"][1]]
            rows.append((f"{doc_id}:{i}", doc_id, i, st.get("date") or published,
                         fold((st.get("speaker") or {}).get("name")), fold(st.get("speaker_entity")), words,
                         fold(words), json.dumps(st, ensure_ascii=False)))
        self.db.executemany("INSERT INTO statements (id, doc_id, idx, day, speaker_folded, entity_folded, text,"
                            " text_folded, data) VALUES (?,?,?,?,?,?,?,?,?)", rows)

    def page(self, speaker: str | None = None, since: str | None = None, until: str | None = None,
             doc_id: str | None = None, q: str | None = None, limit: int | None = 50,
             offset: int = 0) -> tuple[int, list[dict]]:
        """(how many match, the page of them): oldest first (by day, document, index; undated last), each as the
        API lists it. `speaker` is part of the speaker's name or entity, `q` part of the words (any case, ё = е)."""
        where, args = [], []
        if doc_id:
            where.append("doc_id = ?")
            args.append(doc_id)
        if since:
            where.append("day >= ?")
            args.append(since)
        if until:
            where.append("day <= ?")
            args.append(until + HIGH)
        if speaker:
            where.append("(instr(speaker_folded, ?) > 0 OR instr(entity_folded, ?) > 0)")
            args += [fold(speaker), fold(speaker)]
        if q:
            where.append("instr(text_folded, ?) > 0")
            args.append(fold(q))
        total, ids = nulls_last(self.db, "statements", where, args, "day", "doc_id, idx", limit, offset)
        found = by_ids(self.db, "SELECT s.id, s.doc_id, s.idx, s.day, s.text, s.data, d.source, d.published"
                                " FROM statements s JOIN documents d ON d.id = s.doc_id WHERE s.id IN ({})",
                       [r[0] for r in ids])
        return total, [_record(found[r[0]]) for r in ids if r[0] in found]

    def count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM statements").fetchone()[0]


def _record(row) -> dict:
    st = json.loads(row[5])
    who = st.get("speaker") or {}
    return {"id": row[0], "doc_id": row[1], "index": row[2], "source": row[6], "published": row[7],
            "span": list(st["span"]), "speaker": who.get("name"),
            "speaker_span": list(who["span"]) if who.get("span") else None,
            "speaker_entity": st.get("speaker_entity"), "date": st.get("date"), "day": row[3],
            "kind": st.get("kind"), "verb": st.get("verb"), "text": row[4]}
