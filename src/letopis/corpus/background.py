"""Which parts of an article are background: paragraphs it shares with other articles, or all of a near-duplicate.

The dedup index (`dedup.DedupIndex`) works on bodies; the corpus stage works on text offsets (the contract's). This
module indexes the new articles and hands back, per article, the background spans in text offsets, what it
duplicates, and the earlier articles whose background changed (they are re-flagged).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from ..store.sqlite import Store
from .dedup import DedupIndex

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Background:
    spans: tuple[Span, ...] = ()          # text offsets
    duplicate_of: str | None = None


@dataclass
class BackgroundMap:
    by_doc: dict[str, Background] = field(default_factory=dict)
    refresh: set[str] = field(default_factory=set)   # earlier articles whose background spans changed

    def get(self, doc_id: str, default: Background) -> Background:
        return self.by_doc.get(doc_id, default)


def background_of(store: Store, doc_ids: Sequence[str]) -> BackgroundMap:
    """Index `doc_ids` (in this order) and read the background of them and of every article they touched."""
    index = DedupIndex(store.db)
    out = BackgroundMap()
    for doc_id in doc_ids:
        doc = store.get_document(doc_id)
        result = index.add(doc_id, doc.body)
        out.refresh.update(a for a in result.affected if a != doc_id)
    for doc_id in [*doc_ids, *sorted(out.refresh)]:
        doc = store.get_document(doc_id)
        dup = index.duplicate(doc_id)
        spans = tuple(doc.body_map.span_to_text(tuple(s)) for s in index.background_spans(doc_id))
        out.by_doc[doc_id] = Background(spans, dup.duplicate_of if dup else None)
    return out
