"""Counts of the corpus kept as it is written (migration 0009), so that the overview, the statistics and the
filter menus read a few rows instead of grouping every event and claim on each request.

`corpus_counts` holds (facet, key, n):

    event_type     PROTEST …      events of that type
    event_country  KZ …           events in that country
    event_month    2023-03 …      events starting that month ('' : undated; dated to a year only: not counted)
    claim_category killed …       figure claims of that category
    claim_reported killed …       … of those, claims not in a paragraph shared with other articles (background 0)
    claim_claimants killed …      … and how many claimants make them: named claimants, and each article that
                                  states a figure itself (what `claimants` counts, by category and claimant)

`CorpusTables` calls `event` and `claim` with the row before and after each change (None: none).
"""
from __future__ import annotations

import sqlite3
from typing import NamedTuple


class EventCounted(NamedTuple):
    type: str
    country: str | None
    date_start: str | None


class ClaimCounted(NamedTuple):
    category: str
    background: int
    claimant: str        # the claimant, else the article's id (it states the figure itself)


def month(date_start: str | None) -> str | None:
    if date_start is None:
        return ""
    return date_start[:7] if len(date_start) >= 7 else None


class CorpusCounts:
    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def event(self, was: EventCounted | None, now: EventCounted | None) -> None:
        if was == now:
            return
        for row, delta in ((was, -1), (now, 1)):
            if row is not None:
                self._add("event_type", row.type, delta)
                self._add("event_country", row.country, delta)
                self._add("event_month", month(row.date_start), delta)

    def claim(self, was: ClaimCounted | None, now: ClaimCounted | None) -> None:
        if was == now:
            return
        for row, delta in ((was, -1), (now, 1)):
            if row is None:
                continue
            self._add("claim_category", row.category, delta)
            if row.background:
                continue
            self._add("claim_reported", row.category, delta)
            self.db.execute("INSERT INTO claimants (category, claimant, n) VALUES (?,?,?) ON CONFLICT (category,"
                            " claimant) DO UPDATE SET n = claimants.n + excluded.n",
                            (row.category, row.claimant, delta))
            n = self.db.execute("SELECT n FROM claimants WHERE category=? AND claimant=?",
                                (row.category, row.claimant)).fetchone()[0]
            if (delta > 0 and n == 1) or (delta < 0 and n == 0):        # a claimant first seen, or gone
                self._add("claim_claimants", row.category, delta)

    def _add(self, facet: str, key: str | None, delta: int) -> None:
        if key is None:
            return
        self.db.execute("INSERT INTO corpus_counts (facet, key, n) VALUES (?,?,?) ON CONFLICT (facet, key)"
                        " DO UPDATE SET n = corpus_counts.n + excluded.n", (facet, key, delta))

    def by(self, facet: str) -> list[tuple[str, int]]:
        """(key, n) of a facet, most first, then by key; keys with none left are left out."""
        return [(r[0], r[1]) for r in self.db.execute(
            "SELECT key, n FROM corpus_counts WHERE facet=? AND n > 0 ORDER BY n DESC, key", (facet,))]

    def get(self, facet: str, key: str) -> int:
        row = self.db.execute("SELECT n FROM corpus_counts WHERE facet=? AND key=?", (facet, key)).fetchone()
        return row[0] if row else 0
