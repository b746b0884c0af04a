"""Take a store back to before migration 0009 or 0010 (the same statements on SQLite and PostgreSQL), so that a test
can apply the migration to rows stored without it and compare what it fills with what the store writes as it goes."""
from __future__ import annotations

UNDO_0010 = [
    "DROP TABLE entity_names",
    "DELETE FROM schema_migrations WHERE version = 10",
]
UNDO = [
    *UNDO_0010,
    *(f"DROP TABLE {t}" for t in ("statements", "places", "place_events", "corpus_counts", "claimants")),
    *(f"DROP INDEX {i}" for i in ("corpus_entities_rank", "corpus_entities_type_rank", "corpus_entities_place",
                                  "entity_mentions_published", "events_order", "events_type_order",
                                  "events_country_order", "events_place", "figure_claims_order",
                                  "figure_claims_event_order", "figure_claims_category_order",
                                  "event_mentions_event_order", "documents_order")),
    *(f"ALTER TABLE {t} DROP COLUMN {c}" for t, c in (("corpus_entities", "n_documents"),
                                                       ("corpus_entities", "n_mentions"),
                                                       ("corpus_entities", "place_key"),
                                                       ("entity_mentions", "published"), ("events", "place_key"))),
    "CREATE INDEX entity_mentions_entity ON entity_mentions(entity_id)",
    "CREATE INDEX events_block ON events(type, date_start)",
    "CREATE INDEX events_date ON events(date_start)",
    "CREATE INDEX figure_claims_event ON figure_claims(event_id)",
    "CREATE INDEX figure_claims_category ON figure_claims(category, claimed_on)",
    "CREATE INDEX documents_published ON documents(published)",
    "DELETE FROM schema_migrations WHERE version = 9",
]


def undo(db, statements: list[str] = UNDO) -> None:
    """Take back migration 0009 (and 0010, made after it); `UNDO_0010`: 0010 alone."""
    db.execute("BEGIN IMMEDIATE")
    for sql in statements:
        db.execute(sql)
    db.execute("COMMIT")
    if hasattr(db, "invalidate_catalog"):
        db.invalidate_catalog()
