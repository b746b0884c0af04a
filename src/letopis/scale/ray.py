"""Extraction on a Ray cluster (optional: `pip install 'letopis[ray]'`).

Each window of batches becomes a Ray Data dataset of documents (as JSON); `map_batches` runs them through a pool of
actors that load the models once each, with fractional CPUs so that reading and writing are never starved on small
machines (a pool that takes every CPU hangs: ray-project/ray#44687). Results come back in input order
(`preserve_order`), and the store is written by this process, so a Ray run gives the same store as a local one.
`--address` joins a running cluster; without it a local Ray runtime starts (about 7 s).
"""
from __future__ import annotations

import json
from typing import Iterable, Iterator

from ..ingest.document import Document
from .local import Batch, Select, default_workers

ACTOR_CPUS = 0.5


class _Extractor:
    """A Ray actor: models loaded once, then batches of documents in, contract objects out."""

    def __init__(self):
        from ..annotate.nlp import models
        models()

    def __call__(self, batch: dict) -> dict:
        from ..extract.contract import extract_documents
        docs = [Document.from_json(json.loads(d)) for d in batch["doc"]]
        rows = list(extract_documents(docs))
        return {"i": batch["i"], "row": [json.dumps(r, ensure_ascii=False) for r in rows]}


class RayEngine:
    name = "ray"

    def __init__(self, address: str | None = None, workers: int | None = None, window: int = 8,
                 batch_size: int = 16):
        try:
            import ray
        except ImportError as e:   # an extra, not a dependency
            from ..errors import LetopisError
            raise LetopisError("the ray engine needs Ray: pip install 'letopis[ray]'") from e
        self.ray = ray
        self.address = address
        self.actors = max(1, workers or default_workers())
        self.window = window
        self.batch_size = batch_size

    def _start(self) -> None:
        if not self.ray.is_initialized():
            if self.address:
                self.ray.init(address=self.address, ignore_reinit_error=True, log_to_driver=False)
            else:
                self.ray.init(num_cpus=max(2, self.actors), ignore_reinit_error=True, log_to_driver=False,
                              include_dashboard=False)
        ctx = self.ray.data.DataContext.get_current()
        ctx.execution_options.preserve_order = True
        ctx.enable_progress_bars = False

    def _extract(self, docs: list[Document]) -> list[dict]:
        if not docs:
            return []
        items = [{"i": i, "doc": json.dumps(d.to_json(), ensure_ascii=False)} for i, d in enumerate(docs)]
        ds = self.ray.data.from_items(items).map_batches(
            _Extractor, batch_size=self.batch_size, concurrency=self.actors, num_cpus=ACTOR_CPUS,
            batch_format="numpy")
        out: dict[int, dict] = {}
        for row in ds.iter_rows():
            out[int(row["i"])] = json.loads(row["row"])
        return [out[i] for i in range(len(docs))]

    def map(self, batches: Iterable[Batch], select: Select) -> Iterator[tuple[Batch, list[Document], list[dict]]]:
        self._start()
        window: list[tuple[Batch, list[Document]]] = []
        for b in batches:
            window.append((b, select(b)))
            if len(window) >= self.window:
                yield from self._flush(window)
                window = []
        yield from self._flush(window)

    def _flush(self, window):
        docs = [d for _, todo in window for d in todo]
        rows = iter(self._extract(docs))
        for b, todo in window:
            yield b, todo, [next(rows) for _ in todo]
