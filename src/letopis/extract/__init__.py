"""Extraction: from annotated documents to the contract records (../shared/eval/CONTRACT.md)."""
from .contract import extract_document, extract_documents

__all__ = ["extract_document", "extract_documents"]
