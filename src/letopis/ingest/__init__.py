"""Ingest: files, folders, archives and blobs in; Documents with exact offsets (or Rejections) out."""
from .base import IngestOptions, RawInput, Rejection, TableFields
from .detect import detect_format
from .document import Document, OffsetMap, PartialDate
from .encoding import decode
from .pipeline import read_inputs, read_text

__all__ = [
    "Document", "PartialDate", "OffsetMap", "RawInput", "Rejection", "IngestOptions", "TableFields",
    "read_inputs", "read_text", "decode", "detect_format",
]
