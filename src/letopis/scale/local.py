"""Extraction on local cores: batches of documents go to a process pool whose workers load the models once.

Results come back in the order the batches were given, so an ingest with any number of workers writes the same
store as one with a single worker. A pool starts only when a second batch is waiting: a small input (one batch)
runs in this process and pays no start-up.
"""
from __future__ import annotations

import multiprocessing
import os
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Callable, Iterable, Iterator, Sequence

from ..ingest.document import Document

Batch = Sequence[Document]
Select = Callable[[Batch], list[Document]]   # which documents of a batch need extracting


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


def _warm() -> None:
    from ..annotate.nlp import models
    models()


def _extract(docs: list[Document]) -> list[dict]:
    from ..extract.contract import extract_documents
    return list(extract_documents(docs)) if docs else []


class LocalEngine:
    """`map(batches, select)` yields (batch, the documents extracted, their contract dicts), in input order."""

    name = "local"

    def __init__(self, workers: int | None = None):
        self.workers = workers or default_workers()

    def map(self, batches: Iterable[Batch], select: Select) -> Iterator[tuple[Batch, list[Document], list[dict]]]:
        if self.workers <= 1:
            for b in batches:
                todo = select(b)
                yield b, todo, _extract(todo)
            return
        pool: ProcessPoolExecutor | None = None
        window: deque[tuple[Batch, list[Document], Future | list[dict]]] = deque()
        try:
            for b in batches:
                todo = select(b)
                if pool is None and window:
                    pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                               initializer=_warm)
                    first, first_todo, _ = window.popleft()
                    window.appendleft((first, first_todo, pool.submit(_extract, first_todo)))
                window.append((b, todo, pool.submit(_extract, todo) if pool else []))
                while len(window) > 2 * self.workers:
                    yield _done(window.popleft())
            if pool is None and window:          # one batch only: extract it here
                b, todo, _ = window.popleft()
                yield b, todo, _extract(todo)
            while window:
                yield _done(window.popleft())
        finally:
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)

    def write_results(self, entries: Sequence, folder, batch: int = 16) -> int:
        """Extract `entries` (`results.Entry`) and write their rows under `folder`/documents with pyarrow: the
        dataset `--engine ray --parquet` writes, with the same rows."""
        from . import results

        chunks = [list(entries[i:i + batch]) for i in range(0, len(entries), batch)]

        def tables() -> Iterator:
            extracted = self.map(([e.doc for e in c] for c in chunks), list)
            for chunk, (_, _, rows) in zip(chunks, extracted):
                yield results.documents_table([results.with_extraction(results.document_row(e), x)
                                               for e, x in zip(chunk, rows)])

        return results.write_parts(folder, "documents", tables())


def _done(item):
    b, todo, fut = item
    return b, todo, fut.result() if isinstance(fut, Future) else fut
