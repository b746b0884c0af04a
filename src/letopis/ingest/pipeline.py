"""The ingest stage end to end: sources → encoding → format → reader → Documents (and Rejections).

Every input ends as Documents or as a Rejection with a stable reason code; an `IngestError` never escapes,
and an unexpected error in a reader becomes a Rejection with reason `reader-error` (logged with its
traceback), so one bad input never stops a batch. A reader that fails halfway keeps the Documents it
already produced (the tabular reader yields its own per-record Rejections).
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator

from ..errors import IngestError
from .base import IngestOptions, RawInput, Rejection
from .detect import detect_format
from .document import Document
from .encoding import decode
from .readers import dump, frontmatter, html, plain, tabular
from .sources import iter_blob, iter_raw

log = logging.getLogger(__name__)

Reader = Callable[[RawInput, str, str, IngestOptions], Iterator["Document | Rejection"]]

READERS: dict[str, Reader] = {
    "frontmatter": frontmatter.read,
    "markdown": frontmatter.read,
    "dump": dump.read,
    "plain": plain.read,
    "html": html.read,
    "jsonl": tabular.read_jsonl,
    "csv": tabular.read_csv,
}


def read_inputs(paths: Iterable[str], options: IngestOptions = IngestOptions()) -> Iterator[Document | Rejection]:
    """Documents and Rejections for every file, folder, glob, archive or `-` (stdin) in `paths`, in order."""
    for item in iter_raw(paths, options):
        if isinstance(item, Rejection):
            yield item
        else:
            yield from read_raw(item, options)


def read_text(name: str, data: bytes, options: IngestOptions = IngestOptions(),
              fmt: str | None = None) -> list[Document | Rejection]:
    """Documents and Rejections from one in-memory blob called `name` (an archive blob is opened).

    `fmt` forces a format (one of READERS) instead of detecting it.
    """
    out: list[Document | Rejection] = []
    for item in iter_blob(name, data, options):
        out.extend([item] if isinstance(item, Rejection) else read_raw(item, options, fmt))
    return out


def read_raw(raw: RawInput, options: IngestOptions = IngestOptions(),
             fmt: str | None = None) -> Iterator[Document | Rejection]:
    """Decode, detect and read one input; errors come out as a Rejection for `raw.name`."""
    try:
        text, encoding = decode(raw.data)
        fmt = fmt or detect_format(text, raw.name, options.fields)
        if fmt not in READERS:
            raise IngestError(f"unknown format {fmt!r}; use one of {', '.join(READERS)}", "unknown-format")
        yield from READERS[fmt](raw, text, encoding, options)
    except IngestError as err:
        yield rejection(raw.name, err)
    except Exception as err:  # a reader bug must not stop the batch; it is logged and stored
        log.warning("reader failed on %s", raw.name, exc_info=True)
        yield Rejection(raw.name, "reader-error", _one_line(f"{type(err).__name__}: {err}"))


def rejection(source: str, err: IngestError) -> Rejection:
    """The stored record of a refused input."""
    return Rejection(source, err.reason, _one_line(str(err)))


def _one_line(message: str, limit: int = 300) -> str:
    line = " ".join(message.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"
