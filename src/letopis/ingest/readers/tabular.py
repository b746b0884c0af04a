"""Exports with one article per record: JSONL (one object a line) and CSV (`,` `;` or tab, dialect sniffed).

Each record becomes its own Document whose `text` is the record's text field, so offsets point into that
string; title, date, url and author come from the other fields, looked up by the names in
`IngestOptions.fields` (first present wins, case-insensitive). The source is `file.jsonl#N`, N being the
line of the file where the record starts (1-based; for CSV the header is line 1).

A record that cannot be used (broken JSON, nested too deeply, not an object, no text) does not stop the file:
`read` yields a `Rejection` for it, reason `bad-record` (`undecodable` for a lone surrogate such as `"\\ud800"`),
in its place, and goes on. Readers of the other formats yield only
Documents, so callers handle `Document | Rejection` from this reader alone.
"""
from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterator, Mapping

from ...errors import IngestError, MalformedRecord
from ..base import IngestOptions, RawInput, Rejection, TableFields
from ..detect import DELIMITERS, header_columns
from ..document import Document, OffsetMap, make_document
from .fields import as_text, partial_date, pick, trim

SNIFF_CHARS = 64 * 1024


def record_document(source: str, fmt: str, record: Mapping, fields: TableFields, encoding: str) -> Document:
    """A Document from one record. Raises MalformedRecord when the record has no usable text field."""
    value = pick(record, fields.text)
    if value is None:
        raise MalformedRecord(f"no text field; expected one of {', '.join(fields.text)} "
                              "(set IngestOptions.fields to name yours)")
    if not isinstance(value, str):
        raise MalformedRecord(f"the text field holds a {type(value).__name__}, not a string")
    start, stop = trim(value)
    if start == stop:
        raise MalformedRecord("the text field is empty")
    return make_document(
        source, fmt, value, value[start:stop], OffsetMap.identity(stop - start, start),
        title=as_text(pick(record, fields.title)),
        published=partial_date(pick(record, fields.date)),
        author=as_text(pick(record, fields.author)),
        url=as_text(pick(record, fields.url)),
        encoding=encoding,
    )


def _rejected(source: str, err: IngestError) -> Rejection:
    return Rejection(source, err.reason, str(err))


def read_jsonl(raw: RawInput, text: str, encoding: str, options: IngestOptions) -> Iterator[Document | Rejection]:
    """One Document per JSON object line; a Rejection (bad-record) for each line that is not one."""
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        source = f"{raw.name}#{number}"
        try:
            try:
                record = json.loads(line)
            except ValueError as e:
                raise MalformedRecord(f"line {number} is not valid JSON: {e}") from None
            except RecursionError:
                raise MalformedRecord(f"line {number} nests JSON arrays or objects too deeply to read") from None
            if not isinstance(record, dict):
                raise MalformedRecord(f"line {number} is a JSON {type(record).__name__}, not an object")
            yield record_document(source, "jsonl", record, options.fields, encoding)
        except IngestError as err:     # this record only (bad-record, or undecodable for a lone surrogate)
            yield _rejected(source, err)


def _dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(text[:SNIFF_CHARS], delimiters=DELIMITERS)
    except csv.Error:
        found = header_columns(text)

        class Header(csv.excel):
            delimiter = found[0] if found else ","

        return Header


def read_csv(raw: RawInput, text: str, encoding: str, options: IngestOptions) -> Iterator[Document | Rejection]:
    """One Document per data row; a Rejection (bad-record) for a row without text or a broken quote."""
    if csv.field_size_limit() < options.max_bytes:
        csv.field_size_limit(min(options.max_bytes, sys.maxsize))  # one article per cell may exceed 128 KB
    dialect = _dialect(text)
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        header = [name.strip() for name in next(reader)]
    except (StopIteration, csv.Error) as e:
        yield _rejected(f"{raw.name}#1", MalformedRecord(f"no readable CSV header: {e or 'empty file'}"))
        return
    line = reader.line_num
    while True:
        start = line + 1
        source = f"{raw.name}#{start}"
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            yield _rejected(source, MalformedRecord(f"CSV row at line {start} is broken: {e}"))
            return
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        try:
            yield record_document(source, "csv", dict(zip(header, row)), options.fields, encoding)
        except IngestError as err:
            yield _rejected(source, err)


def read(raw: RawInput, text: str, encoding: str, options: IngestOptions) -> Iterator[Document | Rejection]:
    """JSONL if the first non-empty line opens an object, else CSV."""
    first = next((line for line in text.split("\n") if line.strip()), "")
    reader = read_jsonl if first.lstrip().startswith("{") else read_csv
    yield from reader(raw, text, encoding, options)
