"""Extraction on a Ray cluster (optional: `pip install 'letopis[ray]'`).

Each window of batches becomes a Ray Data dataset of documents (as JSON); `map_batches` runs them through a pool of
actors that load the models once each, with fractional CPUs so that reading and writing are never starved on small
machines (a pool that takes every CPU hangs: ray-project/ray#44687). Results come back in input order
(`preserve_order`), and the store is written by this process, so a Ray run gives the same store as a local one.
`--address` joins a running cluster; without it a local Ray runtime starts (about 7 s).

With `--parquet DIR` (`write_results`) the job goes further: the actors return whole result rows (`results.py`) and
Ray Data's own writer (`Dataset.write_parquet`) writes them from the workers, in parallel, to DIR/documents; the
driver then loads the dataset into the store. DIR must be storage every node sees (a shared mount or a URI such as
s3://…) when the cluster has more than one node.

Reading and decoding the inputs happens in this process (the driver), as for the local engine; the actors only
extract. The pool leaves CPUs free for it: locally Ray is given `max(2, workers)` CPUs and the actors half a CPU
each; on a cluster the default pool is one actor per CPU but one, and a pool that would take every CPU is refused.
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


class _ResultRows:
    """A Ray actor for `--parquet`: rows without extraction in (pyarrow), the same rows with it out."""

    def __init__(self):
        from ..annotate.nlp import models
        models()

    def __call__(self, table):
        from .results import extract_table
        return extract_table(table)


def _part_names():
    """File names by write task: documents/part-00000-WRITE_UUID-0.parquet, … (Ray's writer wants the write's id in
    every name, and adds the file's number within the task)."""
    from ray.data.datasource import FilenameProvider

    class Parts(FilenameProvider):
        def get_filename_for_task(self, write_uuid: str, task_index: int) -> str:
            return f"part-{task_index:05d}-{write_uuid}"

    return Parts()


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
        self.requested = workers
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
        self._size_pool(int(self.ray.cluster_resources().get("CPU", 0)))

    def _size_pool(self, cpus: int) -> None:
        """Leave at least one whole CPU to the tasks that read and write: a pool taking every CPU can hang."""
        fit = max(1, int((cpus - 1) / ACTOR_CPUS))
        if self.requested is None and self.address:
            self.actors = max(1, cpus - 1)
        elif self.actors > fit:
            from ..errors import LetopisError
            raise LetopisError(f"the Ray cluster has {cpus} CPUs: {self.actors} actors of {ACTOR_CPUS} CPU would leave "
                               "no whole CPU to the tasks that read and write, and the job can hang "
                               f"(ray-project/ray#44687); use --workers {fit} or fewer")

    def _extract(self, docs: list[Document]) -> list[dict]:
        if not docs:
            return []
        items = [{"i": i, "doc": json.dumps(d.to_json(), ensure_ascii=False)} for i, d in enumerate(docs)]
        ds = self.ray.data.from_items(items).map_batches(
            _Extractor, batch_size=self.batch_size, compute=self._pool(), num_cpus=ACTOR_CPUS, batch_format="numpy")
        out: dict[int, dict] = {}
        for row in ds.iter_rows():
            out[int(row["i"])] = json.loads(row["row"])
        return [out[i] for i in range(len(docs))]

    def write_results(self, entries, folder, batch: int | None = None) -> int:
        """Extract `entries` (`results.Entry`) in the actor pool and write their rows with Ray Data's Parquet writer
        under `folder`/documents (a `results.Folder`); the number of rows written."""
        from . import results

        if not entries:
            return 0
        self._start()
        n = batch or self.batch_size
        blocks = [results.input_table(entries[i:i + n]) for i in range(0, len(entries), n)]
        ds = self.ray.data.from_arrow(blocks).map_batches(
            _ResultRows, batch_size=n, compute=self._pool(), num_cpus=ACTOR_CPUS, batch_format="pyarrow")
        try:
            ds.write_parquet(folder.join("documents"), filesystem=folder.fs, schema=results.DOCUMENTS,
                             filename_provider=_part_names(), min_rows_per_file=results.ROWS_PER_FILE)
        except self.ray.exceptions.RayError as e:
            from ..errors import LetopisError
            raise LetopisError(f"the Ray job writing {folder.name} failed, which is left incomplete: "
                               f"{str(e).strip().splitlines()[-1]}") from e
        return folder.rows("documents")

    def _pool(self):
        """A fixed pool of `self.actors` actors (`--workers`)."""
        return self.ray.data.ActorPoolStrategy(size=self.actors)

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

