"""Run every annotator over a batch of documents. Spans here are offsets into `Document.body`."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from ..ingest.document import Document
from .nlp import Analysis, Annotator, NerMention
from .times import find_times


@dataclass(frozen=True, slots=True)
class Entity:
    id: str
    type: str
    name: str
    mentions: tuple[NerMention, ...]

    def to_json(self) -> dict:
        return {"id": self.id, "type": self.type, "name": self.name,
                "mentions": [[m.start, m.stop] for m in self.mentions]}


@dataclass(frozen=True, slots=True)
class Annotations:
    doc_id: str
    analysis: Analysis
    entities: tuple = ()
    times: tuple = ()
    figures: tuple = ()
    statements: tuple = ()
    events: tuple = ()


def group_mentions(analysis: Analysis) -> list[Entity]:
    """NER mentions grouped by type and natasha's normal form."""
    groups: dict[tuple[str, str], list[NerMention]] = {}
    for m in analysis.mentions:
        groups.setdefault((m.type, m.normal), []).append(m)
    return [Entity(f"e{i}", t, name, tuple(ms)) for i, ((t, name), ms) in enumerate(groups.items(), 1)]


_annotator: Annotator | None = None


def annotator() -> Annotator:
    global _annotator
    if _annotator is None:
        _annotator = Annotator()
    return _annotator


def annotate_documents(docs: Sequence[Document]) -> list[Annotations]:
    analyses = annotator().analyze_many([d.body for d in docs])
    return [
        Annotations(doc.id, a, entities=tuple(group_mentions(a)), times=tuple(find_times(doc.body, doc.published)))
        for doc, a in zip(docs, analyses)
    ]
