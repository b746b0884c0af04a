"""Search over documents, events, statements and figures with Russian morphology (SQLite FTS5 over terms
computed in Python; on PostgreSQL, tsvector columns: search.postgres). `index_documents` writes, `search` reads."""
from .analyzer import Word, fold, terms, words
from .index import IndexReport, index_documents, index_missing, reindex
from .query import Piece, SearchError, SearchHit, SearchPage, search
from .units import KINDS, Unit

__all__ = ["IndexReport", "KINDS", "Piece", "SearchError", "SearchHit", "SearchPage", "Unit", "Word", "fold",
           "index_documents", "index_missing", "reindex", "search", "terms", "words"]
