"""Build the contract object of one document (../shared/eval/CONTRACT.md) from its annotations.

Annotators read `Document.body`; every span they produce is mapped here into `Document.text` offsets,
which is what the contract promises.
"""
from __future__ import annotations

from typing import Iterable, Iterator, Sequence

from ..annotate.entities import entities_to_json
from ..annotate.figures import needs_parse as figure_needs_parse
from ..annotate.pipeline import Annotations, annotate_documents
from ..ingest.document import Document, OffsetMap
from .events import chronicle, find_events
from .events import needs_parse as event_needs_parse
from .statements import find_statements
from .statements import needs_parse as statement_needs_parse


def needs_parse(sentence_text: str, lemmas) -> bool:
    """The syntax parser runs only on sentences some extractor reads the tree of."""
    return (figure_needs_parse(sentence_text, lemmas) or statement_needs_parse(sentence_text, lemmas)
            or event_needs_parse(sentence_text, lemmas))


def _map_spans(obj, body_map: OffsetMap):
    """Copy of a JSON value with every span (a key ending in 'span', or 'mentions') moved to text offsets."""
    if isinstance(obj, dict):
        out = {}
        for key, value in obj.items():
            if key.endswith("span") and _is_span(value):
                out[key] = list(body_map.span_to_text(tuple(value)))
            elif key == "mentions" and isinstance(value, list) and all(_is_span(v) for v in value):
                out[key] = [list(body_map.span_to_text(tuple(v))) for v in value]
            else:
                out[key] = _map_spans(value, body_map)
        return out
    if isinstance(obj, list):
        return [_map_spans(v, body_map) for v in obj]
    return obj


def _is_span(value) -> bool:
    return isinstance(value, (list, tuple)) and len(value) == 2 and all(isinstance(x, int) for x in value)


def contract(doc: Document, ann: Annotations) -> dict:
    text = doc.body
    entity_name = ann.entity_name()
    today = str(doc.published) if doc.published and doc.precision == "day" else None
    statements = find_statements(text, ann.analysis, ann.times, entity_name, today)
    events = chronicle(find_events(text, ann.analysis, ann.times, [f.span for f in ann.figures], entity_name))
    body = {
        "entities": entities_to_json(ann.entities),
        "times": [t.to_json() for t in ann.times],
        "figures": [f.to_json() for f in ann.figures],
        "statements": [s.to_json() for s in statements],
        "events": [e.to_json() for e in events],
    }
    return {
        "source": doc.source,
        "id": doc.id,
        "format": doc.format,
        "published": str(doc.published) if doc.published else None,
        "precision": doc.precision,
        "title": doc.title,
        "title_span": list(doc.title_span) if doc.title_span else None,
        **_map_spans(body, doc.body_map),
    }


def extract_documents(docs: Sequence[Document]) -> Iterator[dict]:
    """Contract objects for `docs`, annotated as one batch (the neural taggers batch across documents)."""
    for doc, ann in zip(docs, annotate_documents(docs, needs_parse)):
        yield contract(doc, ann)


def extract_document(doc: Document) -> dict:
    return next(extract_documents([doc]))


BATCH = 16   # documents annotated together: the taggers batch their sentences across them (bench/throughput.py)


def extract_all(docs: Iterable[Document], batch: int = BATCH) -> Iterator[dict]:
    """Contract objects for a stream of documents, annotated `batch` at a time (memory stays flat)."""
    chunk: list[Document] = []
    for doc in docs:
        chunk.append(doc)
        if len(chunk) >= batch:
            yield from extract_documents(chunk)
            chunk = []
    if chunk:
        yield from extract_documents(chunk)
