"""The Python API: what the CLI (and later the web layer) calls. Plain functions over the pipeline stages.

    from letopis import api
    report = api.ingest(["examples/"], db="letopis.db")
    for row in api.extract(["article.txt"]):
        print(row["published"], len(row["entities"]))
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from . import __version__
from .corpus.stage import claim_record, event_record, update_corpus
from .errors import LetopisError
from .extract.contract import extract_all
from .search import index_documents
from .ingest import Document, IngestOptions, Rejection, read_inputs, read_text
from .ingest.document import utcnow
from .store.corpus import CorpusTables
from .store.sqlite import Store

Progress = Callable[[str, str], None]   # (event, source): event is "new", "duplicate" or "rejected"


@dataclass(slots=True)
class IngestReport:
    """What one `ingest` run did."""

    read: int = 0
    new: int = 0
    duplicate: int = 0
    extracted: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    events_new: int = 0          # corpus events opened by these articles
    events_joined: int = 0       # mentions that joined an event already known
    claims: int = 0              # figure claims entered in the ledger
    documents: list[str] = field(default_factory=list)   # the id of every document read, new or not, in order

    @property
    def exit_code(self) -> int:
        return 1 if self.rejected else 0

    def to_json(self) -> dict:
        return {
            "read": self.read, "new": self.new, "duplicate": self.duplicate, "extracted": self.extracted,
            "rejected": [r.to_json() for r in self.rejected], "events_new": self.events_new,
            "events_joined": self.events_joined, "claims": self.claims, "documents": list(self.documents),
        }


def ingest(paths: Iterable[str], db: str | Store, options: IngestOptions | None = None,
           progress: Progress | None = None, annotate: bool = True, batch: int = 16,
           workers: int | None = 1, engine=None, parquet: str | None = None) -> IngestReport:
    """Read every input, store new documents (idempotent by content hash), record rejections, and extract
    the contract of each new document, then fold it into the corpus (events, ledger, entities). One bad input
    never stops the batch; documents are written in transactions of `batch` articles.
    Extraction runs on `workers` local processes (None: every core), or on `engine` (e.g. `scale.ray.RayEngine`);
    batches are written in input order, so the store is the same whatever runs the extraction.
    With `parquet` (a new folder, or a URI pyarrow opens), every document read is extracted into a results
    dataset there first (`scale/results.py`; on Ray, written by the workers), which is then loaded into `db`
    as `ingest_parquet` would: the same store."""
    items = read_inputs(paths, options or IngestOptions())
    if parquet is None:
        return ingest_items(items, db, progress, annotate, batch, workers, engine)
    if not annotate:
        raise LetopisError("--parquet writes extraction results: it cannot go with --no-extract")
    from .scale import results
    from .scale.local import LocalEngine

    runner = engine or LocalEngine(workers)
    folder = results.Folder.of(parquet)
    folder.create()
    collected = results.collect(items)          # the driver reads and decodes every input (a laptop's job)
    written = runner.write_results(collected.entries, folder, batch)
    results.finish(folder, collected, written, runner.name)
    return ingest_parquet([parquet], db, progress, annotate, batch)


def ingest_parquet(folders: Iterable[str], db: str | Store, progress: Progress | None = None,
                   annotate: bool = True, batch: int = 16) -> IngestReport:
    """Load results datasets (written by `ingest(..., parquet=DIR)` or `letopis ingest --parquet DIR`) into
    `db`, one after the other: their documents, sources and rejections in the order they were read, their
    extractions as stored, then the corpus stage — the store a direct `ingest` of the same inputs gives. Nothing is
    extracted here. Every dataset is checked before anything is written (`results.ResultsError` says why one
    cannot be loaded: incomplete, another schema, another extraction version)."""
    from itertools import chain

    from .scale import results

    datasets = [results.open_dataset(f) for f in folders]
    extractions: dict[str, str] = {}
    items = chain.from_iterable(d.items(extractions) for d in datasets)
    return ingest_items(items, db, progress, annotate, batch, engine=results.Extracted(extractions))


def ingest_bytes(name: str, data: bytes, db: str | Store, options: IngestOptions | None = None,
                 annotate: bool = True) -> IngestReport:
    """`ingest` of one in-memory input called `name` (a file's bytes, or an archive of files), in this process:
    the same limits, readers, rejections and transactions as a file given to `letopis ingest`. `name` is only
    the source name stored with the document; nothing is read from or written to a path."""
    return ingest_items(read_text(name, data, options or IngestOptions()), db, annotate=annotate, workers=1)


def ingest_items(items: Iterable[Document | Rejection], db: str | Store, progress: Progress | None = None,
                 annotate: bool = True, batch: int = 16, workers: int | None = 1, engine=None) -> IngestReport:
    """`ingest` of documents and rejections already read (`ingest.read_inputs`, `ingest.read_text`)."""
    from .scale.local import LocalEngine

    store = db if isinstance(db, Store) else Store(db)
    report = IngestReport()
    runner = engine or LocalEngine(workers)

    def batches() -> Iterator[list[Document]]:
        pending: list[Document] = []
        for item in items:
            report.read += 1
            if isinstance(item, Document):          # a store may refuse what it cannot hold (PostgreSQL: NUL)
                item = store.refusal(item) or item
            if isinstance(item, Rejection):
                store.add_rejection(item)
                report.rejected.append(item)
                if progress:
                    progress("rejected", item.source)
                continue
            pending.append(item)
            if len(pending) >= batch:
                yield pending
                pending = []
        if pending:
            yield pending

    def select(docs: list[Document]) -> list[Document]:
        if not annotate:
            return []
        seen: set[str] = set()
        todo = []
        for d in docs:
            if d.id not in seen and store.extraction_version(d.id) != __version__:
                seen.add(d.id)
                todo.append(d)
        return todo

    def write(pending: list[Document], todo: list[Document], rows: list[dict]) -> None:
        # one transaction per batch: documents, extractions and their corpus fold commit together, so a crash
        # (even SIGKILL) never leaves stored articles outside the corpus; the re-run redoes the whole batch
        with store.transaction():
            for doc in pending:
                is_new = store.add_document(doc)
                report.documents.append(doc.id)
                report.new += is_new
                report.duplicate += not is_new
                if progress:
                    progress("new" if is_new else "duplicate", doc.source)
            for doc, row in zip(todo, rows):
                store.put_extraction(doc.id, __version__, row, utcnow())
                report.extracted += 1
            if todo:
                corpus = update_corpus(store, [d.id for d in todo])
                index_documents(store, [d.id for d in todo])
        if todo:
            report.events_new += corpus.new_events
            report.events_joined += corpus.joined
            report.claims += corpus.claims

    try:
        for pending, todo, rows in runner.map(batches(), select):
            write(pending, todo, rows)
    finally:
        if not isinstance(db, Store):
            store.close()
    return report


def extract(paths: Iterable[str], options: IngestOptions | None = None,
            on_reject: Callable[[Rejection], None] | None = None) -> Iterator[dict]:
    """The contract object (../shared/eval/CONTRACT.md) of every document read from `paths`, in input order."""

    def documents() -> Iterator[Document]:
        for item in read_inputs(paths, options or IngestOptions()):
            if isinstance(item, Rejection):
                if on_reject:
                    on_reject(item)
            else:
                yield item

    yield from extract_all(documents())


# --- the corpus view -------------------------------------------------------------------------------------------

def _tables(db: str | Store):
    store = db if isinstance(db, Store) else Store(db)
    return store, CorpusTables(store.db)


def events(db: str | Store, type: str | None = None, since: str | None = None, until: str | None = None,
           place: str | None = None, country: str | None = None, entity: str | None = None,
           limit: int | None = None, offset: int = 0) -> list[dict]:
    """Real-world events of the corpus (one per occurrence, however many articles report it), oldest first,
    each with its mentions and figure claims (CONTRACT.md, "Across documents")."""
    store, tables = _tables(db)
    try:
        rows = tables.events(type, since, until, place, country, entity, limit, offset)
        return [event_record(tables, ev) for ev in rows]
    finally:
        if not isinstance(db, Store):
            store.close()


def figures(db: str | Store, category: str | None = None, claimant: str | None = None, event: str | None = None,
            since: str | None = None, until: str | None = None, limit: int | None = None,
            offset: int = 0) -> list[dict]:
    """The figure ledger: one record per claim, by the day it was claimed. `claimant` matches a name or a class
    (authorities, rights-groups, media, witnesses, international, organisations, article)."""
    store, tables = _tables(db)
    try:
        return [claim_record(c) for c in tables.claims(category, claimant, event, since, until, None, limit, offset)]
    finally:
        if not isinstance(db, Store):
            store.close()


def entities(db: str | Store, type: str | None = None, name: str | None = None, limit: int | None = None,
             offset: int = 0) -> list[dict]:
    """Entities resolved across articles, most widely reported first."""
    store, tables = _tables(db)
    try:
        return tables.entities(type, name, limit, offset)
    finally:
        if not isinstance(db, Store):
            store.close()
