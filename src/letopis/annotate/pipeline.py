"""Run every annotator over a batch of documents. Spans here are offsets into `Document.body`."""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Callable, Sequence

from ..ingest.document import Document
from .entities import Entity, resolve_entities
from .figures import Figure, find_figures
from .figures import needs_parse as figure_needs_parse
from .nlp import Analysis, Annotator, ParsePredicate
from .quantities import find_quantities
from .times import TimeExpr, find_times


@dataclass(frozen=True, slots=True)
class Annotations:
    """What the annotation layer knows of one document (body offsets)."""

    doc_id: str
    analysis: Analysis
    entities: tuple[Entity, ...] = ()
    times: tuple[TimeExpr, ...] = ()
    figures: tuple[Figure, ...] = ()

    def entity_name(self) -> Callable[[tuple[int, int]], str | None]:
        """Maps a mention span to the canonical name of the entity it belongs to (None when it is in none)."""
        index = {tuple(m.span): e.name for e in self.entities for m in e.mentions}

        def name(span: tuple[int, int]) -> str | None:
            if tuple(span) in index:
                return index[tuple(span)]
            for (s, t), n in index.items():
                if s < span[1] and span[0] < t:
                    return n
            return None

        return name


@functools.cache
def annotator(parse: ParsePredicate | None = None) -> Annotator:
    """One Annotator per parse predicate per process (the models behind it load once)."""
    return Annotator(parse=parse or figure_needs_parse)


def annotate_documents(docs: Sequence[Document], parse: ParsePredicate | None = None) -> list[Annotations]:
    """Annotate a batch; `parse` says which sentences the syntax parser sees (default: those figures need)."""
    analyses = annotator(parse).analyze_many([d.body for d in docs])
    out = []
    for doc, analysis in zip(docs, analyses):
        quantities = find_quantities(doc.body, analysis)
        out.append(Annotations(
            doc_id=doc.id,
            analysis=analysis,
            entities=tuple(resolve_entities(analysis)),
            times=tuple(find_times(doc.body, doc.published)),
            figures=tuple(find_figures(doc.body, analysis, quantities)),
        ))
    return out
