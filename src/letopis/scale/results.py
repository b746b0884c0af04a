"""The results dataset: what extraction made of every article, as Parquet, so that extraction (on a Ray cluster, or
here) and the corpus stage (into any store, now or later) can run apart.

    DIR/documents/part-00000.parquet …   one row per document: its first reading, every source it was read under,
                                         its text and body, and its extraction as JSON (`DOCUMENTS`)
    DIR/rejections/part-00000.parquet    one row per refused input (`REJECTIONS`)
    DIR/_letopis.json                    written last: the schema, the letopis version, the counts

Every file carries the schema in its Parquet metadata (`letopis.schema` = letopis-results, `letopis.schema_version`,
`letopis.table`). `seq` numbers the inputs in the order they were read, so loading a dataset (`open_dataset`,
`api.ingest_parquet`) replays the documents, their duplicates and the rejections in that order and in the same
batches: the store ends as a direct `letopis ingest` of the same inputs would leave it. A folder without
`_letopis.json` is incomplete (the run that wrote it stopped) and is refused, as is one of another schema or of
another extraction version.
"""
from __future__ import annotations

import heapq
import json
import os
from dataclasses import dataclass, replace
from typing import Iterable, Iterator

import pyarrow as pa
import pyarrow.fs as pafs
import pyarrow.parquet as pq

from .. import __version__
from ..errors import LetopisError
from ..ingest.base import Rejection
from ..ingest.document import Document, OffsetMap, PartialDate

NAME = "letopis-results"
VERSION = 1
MANIFEST = "_letopis.json"
ROWS_PER_FILE = 1024
S, I = pa.string(), pa.int64()


class ResultsError(LetopisError):
    """A folder that is not a complete letopis results dataset this version can load."""


def _metadata(table: str) -> dict[bytes, bytes]:
    return {b"letopis.schema": NAME.encode(), b"letopis.schema_version": str(VERSION).encode(),
            b"letopis.table": table.encode()}


SOURCE = pa.struct([("seq", I), ("source", S), ("encoding", S), ("ingested_at", S)])
DOCUMENTS = pa.schema([
    ("seq", I), ("id", S), ("source", S), ("sources", pa.list_(SOURCE)), ("format", S), ("title", S),
    ("title_start", I), ("title_stop", I), ("published", S), ("precision", S), ("author", S), ("url", S),
    ("language", S), ("encoding", S), ("ingested_at", S), ("text", S), ("body", S), ("body_map", S),
    ("extraction", S), ("extraction_version", S),
], metadata=_metadata("documents"))
INPUT = pa.schema([f for f in DOCUMENTS if f.name not in ("extraction", "extraction_version")])
REJECTIONS = pa.schema([("seq", I), ("source", S), ("reason", S), ("message", S), ("at", S)],
                       metadata=_metadata("rejections"))
TABLES = {"documents": DOCUMENTS, "rejections": REJECTIONS}


# --- what was read: one entry per document, its sources in reading order ----------------------------------------

@dataclass(frozen=True, slots=True)
class Occurrence:
    seq: int
    source: str
    encoding: str
    ingested_at: str


@dataclass(frozen=True, slots=True)
class Entry:
    """A document as first read (`seq` its position among the inputs) and every time its text was read."""

    seq: int
    doc: Document
    sources: tuple[Occurrence, ...]


@dataclass(frozen=True, slots=True)
class Collected:
    entries: tuple[Entry, ...]
    rejections: tuple[tuple[int, Rejection], ...]
    read: int


def collect(items: Iterable[Document | Rejection]) -> Collected:
    """Number the inputs, keep each document once (its first reading) with all the names it was read under."""
    first: dict[str, tuple[int, Document]] = {}
    seen: dict[str, list[Occurrence]] = {}
    rejections: list[tuple[int, Rejection]] = []
    seq = -1
    for seq, item in enumerate(items):
        if isinstance(item, Rejection):
            rejections.append((seq, item))
            continue
        first.setdefault(item.id, (seq, item))
        seen.setdefault(item.id, []).append(Occurrence(seq, item.source, item.encoding, item.ingested_at))
    entries = tuple(Entry(s, d, tuple(seen[d.id])) for s, d in first.values())
    return Collected(entries, tuple(rejections), seq + 1)


# --- rows ---------------------------------------------------------------------------------------------------------

def document_row(entry: Entry) -> dict:
    """The row of `entry` without its extraction (what a Ray actor is given)."""
    d = entry.doc
    return {
        "seq": entry.seq, "id": d.id, "source": d.source,
        "sources": [{"seq": o.seq, "source": o.source, "encoding": o.encoding, "ingested_at": o.ingested_at}
                    for o in entry.sources],
        "format": d.format, "title": d.title, "title_start": d.title_span[0] if d.title_span else None,
        "title_stop": d.title_span[1] if d.title_span else None,
        "published": str(d.published) if d.published else None, "precision": d.precision, "author": d.author,
        "url": d.url, "language": d.language, "encoding": d.encoding, "ingested_at": d.ingested_at,
        "text": d.text, "body": d.body, "body_map": json.dumps(d.body_map.to_json()),
    }


def input_table(entries: Iterable[Entry]) -> pa.Table:
    return pa.Table.from_pylist([document_row(e) for e in entries], schema=INPUT)


def document(row: dict) -> Document:
    span = (row["title_start"], row["title_stop"]) if row["title_start"] is not None else None
    return Document(
        id=row["id"], source=row["source"], format=row["format"], text=row["text"], body=row["body"],
        body_map=OffsetMap.from_json(json.loads(row["body_map"])), title=row["title"], title_span=span,
        published=PartialDate.parse(row["published"]), author=row["author"], url=row["url"],
        language=row["language"], encoding=row["encoding"], ingested_at=row["ingested_at"])


def with_extraction(row: dict, extraction: dict) -> dict:
    return {**row, "extraction": json.dumps(extraction, ensure_ascii=False), "extraction_version": __version__}


def documents_table(rows: list[dict]) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=DOCUMENTS)


def extract_table(table: pa.Table) -> pa.Table:
    """Rows without extraction in, the same rows with it out (the work of one actor or one local batch)."""
    from ..extract.contract import extract_documents

    rows = table.to_pylist()
    extracted = extract_documents([document(r) for r in rows]) if rows else []
    return documents_table([with_extraction(r, x) for r, x in zip(rows, extracted)])


# --- where a dataset lives ----------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Folder:
    """A dataset's folder on a pyarrow filesystem: a local path, or a URI (s3://…) that pyarrow can open."""

    fs: pafs.FileSystem
    path: str
    name: str            # as the user wrote it, for messages

    @classmethod
    def of(cls, folder: str) -> Folder:
        if "://" in folder:
            try:
                fs, path = pafs.FileSystem.from_uri(folder)
            except (pa.ArrowException, ValueError) as e:
                raise ResultsError(f"cannot open {folder}: {e}") from e
            return cls(fs, path.rstrip("/"), folder)
        return cls(pafs.LocalFileSystem(), os.path.abspath(folder), folder)

    def join(self, *parts: str) -> str:
        return "/".join((self.path, *parts))

    def kind(self, *parts: str) -> pafs.FileType:
        return self.fs.get_file_info(self.join(*parts)).type

    def parts(self, table: str) -> list[str]:
        if self.kind(table) != pafs.FileType.Directory:
            return []
        infos = self.fs.get_file_info(pafs.FileSelector(self.join(table)))
        return sorted(i.path for i in infos if i.type == pafs.FileType.File and i.base_name.endswith(".parquet"))

    def rows(self, table: str) -> int:
        return sum(pq.ParquetFile(p, filesystem=self.fs).metadata.num_rows for p in self.parts(table))

    def create(self) -> None:
        """Make the folder for a new dataset; refuse one that holds anything (results are never mixed)."""
        kind = self.kind()
        if kind == pafs.FileType.File:
            raise ResultsError(f"{self.name} is a file: give --parquet a folder to write the results into")
        if kind == pafs.FileType.Directory and self.fs.get_file_info(pafs.FileSelector(self.path)):
            raise ResultsError(f"{self.name} is not empty: write the results into a new folder (a results dataset "
                               "is written whole, never added to; one a stopped run left behind can be removed)")
        for table in TABLES:
            self.fs.create_dir(self.join(table), recursive=True)


def write_parts(folder: Folder, table: str, tables: Iterable[pa.Table]) -> int:
    """Write `tables` (of schema TABLES[table]) as part-00000.parquet, … of ROWS_PER_FILE rows (the last fewer)."""
    buffer: list[pa.Table] = []
    rows = part = 0

    def flush(n: int) -> None:
        nonlocal buffer, part
        whole = pa.concat_tables(buffer)
        pq.write_table(whole.slice(0, n), folder.join(table, f"part-{part:05d}.parquet"), filesystem=folder.fs)
        buffer, part = [whole.slice(n)], part + 1

    for t in tables:
        buffer.append(t.cast(TABLES[table]))
        rows += t.num_rows
        while rows - part * ROWS_PER_FILE >= ROWS_PER_FILE:
            flush(ROWS_PER_FILE)
    if rows > part * ROWS_PER_FILE:
        flush(rows - part * ROWS_PER_FILE)
    return rows


def finish(folder: Folder, collected: Collected, written: int, engine: str) -> None:
    """Write the rejections and, last, the manifest that makes the dataset complete."""
    if written != len(collected.entries):
        raise ResultsError(f"{written} documents written to {folder.name}, {len(collected.entries)} expected; "
                           "the dataset is left incomplete (no manifest): run again into a new folder")
    rows = [{"seq": s, **r.to_json()} for s, r in collected.rejections]
    write_parts(folder, "rejections", [pa.Table.from_pylist(rows, schema=REJECTIONS)])
    manifest = {"schema": NAME, "schema_version": VERSION, "letopis": __version__, "engine": engine,
                "read": collected.read, "documents": written, "rejections": len(rows)}
    with folder.fs.open_output_stream(folder.join(MANIFEST)) as out:
        out.write((json.dumps(manifest, indent=1) + "\n").encode())


# --- loading ------------------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Dataset:
    """A checked results dataset: its documents (sorted by `seq`) and rejections, ready to replay."""

    name: str
    documents: pa.Table
    rejections: pa.Table

    def items(self, extractions: dict[str, str]) -> Iterator[Document | Rejection]:
        """Documents (each time it was read) and rejections in reading order; each document's extraction JSON is
        put in `extractions` under its id as the document comes out."""
        pending: list[tuple[int, int, Document | Rejection]] = []     # (seq, tiebreak, item), a heap
        for r in self.rejections.to_pylist():
            pending.append((r["seq"], len(pending), Rejection(r["source"], r["reason"], r["message"], r["at"])))
        heapq.heapify(pending)
        tie = len(pending)
        for batch in self.documents.to_batches(max_chunksize=256):
            for row in batch.to_pylist():
                while pending and pending[0][0] < row["seq"]:
                    yield heapq.heappop(pending)[2]
                doc = document(row)
                extractions.setdefault(doc.id, row["extraction"])
                yield doc
                for o in row["sources"][1:]:
                    again = replace(doc, source=o["source"], encoding=o["encoding"], ingested_at=o["ingested_at"])
                    heapq.heappush(pending, (o["seq"], tie, again))
                    tie += 1
        while pending:
            yield heapq.heappop(pending)[2]


class Extracted:
    """The engine of a load: each document's extraction comes from the dataset (`Dataset.items` fills the map)."""

    name = "parquet"

    def __init__(self, extractions: dict[str, str]):
        self.extractions = extractions

    def map(self, batches, select):
        for b in batches:
            todo = select(b)
            yield b, todo, [json.loads(self.extractions.pop(d.id)) for d in todo]


def open_dataset(name: str) -> Dataset:
    """Read and check the dataset in folder `name`; ResultsError says why one cannot be loaded."""
    folder = Folder.of(name)
    if folder.kind() == pafs.FileType.NotFound:
        raise ResultsError(f"{name} does not exist: --from-parquet reads a results dataset written by "
                           "`letopis ingest --parquet DIR`; check the path")
    if folder.kind() != pafs.FileType.Directory:
        raise ResultsError(f"{name} is not a folder: --from-parquet reads a results dataset written by "
                           "`letopis ingest --parquet DIR`")
    if folder.kind(MANIFEST) != pafs.FileType.File:
        raise ResultsError(f"{name} is not a complete letopis results dataset: it has no {MANIFEST} (the run "
                           "writing it did not finish, or these are other files); write it with "
                           "`letopis ingest --parquet DIR`")
    try:
        with folder.fs.open_input_stream(folder.join(MANIFEST)) as f:
            manifest = json.loads(f.read().decode())
        schema, version = manifest["schema"], manifest["schema_version"]
    except (ValueError, KeyError, TypeError) as e:
        raise ResultsError(f"{name}/{MANIFEST} is not a letopis results manifest ({e}); write the dataset again") \
            from e
    _check_schema(name, MANIFEST, schema, version)
    tables = {t: _read(folder, t) for t in TABLES}
    docs = tables["documents"]
    if docs.num_rows != manifest.get("documents") or tables["rejections"].num_rows != manifest.get("rejections"):
        raise ResultsError(f"{name} holds {docs.num_rows} documents and {tables['rejections'].num_rows} rejections, "
                           f"its {MANIFEST} says {manifest.get('documents')} and {manifest.get('rejections')}: "
                           "files are missing or were added; write the dataset again")
    versions = sorted(set(docs.column("extraction_version").to_pylist()))
    if versions and versions != [__version__]:
        raise ResultsError(f"{name} was extracted by letopis {', '.join(versions)}, this is {__version__}: its "
                           "extractions would not be what this version stores; extract the articles again")
    return Dataset(name, docs.sort_by("seq"), tables["rejections"])


def _check_schema(name: str, where: str, schema, version) -> None:
    if schema != NAME:
        raise ResultsError(f"{name}: {where} is not of a letopis results dataset (schema {schema!r}, expected "
                           f"{NAME!r}); --from-parquet reads what `letopis ingest --parquet DIR` writes")
    if str(version) != str(VERSION):
        raise ResultsError(f"{name}: {where} has results schema version {version}, this letopis ({__version__}) "
                           f"reads version {VERSION}; load it with the letopis that wrote it, or extract again")


def _read(folder: Folder, table: str) -> pa.Table:
    expected = TABLES[table]
    parts = []
    for path in folder.parts(table):
        where = f"{table}/{path.rsplit('/', 1)[-1]}"
        try:
            schema = pq.read_schema(path, filesystem=folder.fs)
        except pa.ArrowException as e:
            raise ResultsError(f"{folder.name}: {where} is not a readable Parquet file ({e})") from e
        meta = schema.metadata or {}
        _check_schema(folder.name, where, meta.get(b"letopis.schema", b"").decode() or None,
                      meta.get(b"letopis.schema_version", b"").decode() or None)
        if meta.get(b"letopis.table") != table.encode() or not schema.remove_metadata().equals(
                expected.remove_metadata()):
            raise ResultsError(f"{folder.name}: {where} does not have the columns of the {table} table of "
                               f"{NAME} version {VERSION}; write the dataset again")
        parts.append(pq.read_table(path, filesystem=folder.fs, schema=expected))
    return pa.concat_tables(parts) if parts else expected.empty_table()
