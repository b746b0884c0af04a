"""Corpus: what holds across articles. Near-duplicate articles and boilerplate shared between them (dedup)."""
from .dedup import DedupConfig, DedupIndex, DedupIndexError, DedupResult, Duplicate, SharedParagraph

__all__ = ["DedupConfig", "DedupIndex", "DedupIndexError", "DedupResult", "Duplicate", "SharedParagraph"]
# geocoding: place names to points; call it as `from letopis.corpus.geocode import geocode` (re-exporting the function
# here would hide the module of the same name from `import letopis.corpus.geocode` and from mock.patch)
from .geocode import Location, dominant_country, locate  # noqa: E402
__all__ += ["Location", "dominant_country", "locate"]
