"""Take a store back to before migration 0009 (the same statements on SQLite and PostgreSQL), so that a test can
apply 0009 to rows stored without it and compare what it fills with what the store writes as it goes."""
from __future__ import annotations

UNDO = [
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


def undo(db) -> None:
    db.execute("BEGIN IMMEDIATE")
    for sql in UNDO:
        db.execute(sql)
    db.execute("COMMIT")
    if hasattr(db, "invalidate_catalog"):
        db.invalidate_catalog()
