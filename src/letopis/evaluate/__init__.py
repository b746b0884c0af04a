"""Evaluation: score extraction against gold annotation (per article, and across the corpus)."""
from .corpus import CorpusGold, CorpusReport, evaluate_corpus_paths, load_corpus_gold, score_corpus
from .extract import GoldDoc, Report, evaluate_paths, load_gold, score
from .match import GoldError

__all__ = [
    "GoldDoc", "Report", "load_gold", "score", "evaluate_paths",
    "CorpusGold", "CorpusReport", "load_corpus_gold", "score_corpus", "evaluate_corpus_paths", "GoldError",
]
