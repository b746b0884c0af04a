"""Shared helpers for the ingest tests: invented Russian news snippets and an offset-map checker."""
from __future__ import annotations

import os
import random

import pytest

SEEDS = "/work/shared/seeds"

PARAGRAPH = (
    "В Алматы в среду прошли митинги против роста цен на газ. По данным полиции, задержаны 12 человек.\n"
    "«Мы требуем снизить цены», — заявил один из участников акции. Власти пообещали рассмотреть обращение."
)

# the same news without « » and —, which koi8-r cannot hold
PLAIN_PARAGRAPH = (
    "В Алматы в среду прошли митинги против роста цен на газ. По данным полиции, задержаны 12 человек.\n"
    "Один из участников акции заявил, что они требуют снизить цены. Власти пообещали рассмотреть обращение."
)


def assert_copied(doc, samples: int = 200, seed: int = 0) -> None:
    """Every body character that lies in a run equals the text character it maps to, and random body spans
    map to text spans whose ends hold the span's first and last characters."""
    for b0, t0, n in doc.body_map.runs:
        assert doc.body[b0:b0 + n] == doc.text[t0:t0 + n]
    covered = {b for b0, _, n in doc.body_map.runs for b in range(b0, b0 + n)}
    rng = random.Random(seed)
    for _ in range(samples if len(doc.body) > 1 else 0):
        start = rng.randrange(len(doc.body))
        stop = rng.randrange(start + 1, len(doc.body) + 1)
        t0, t1 = doc.body_map.span_to_text((start, stop))
        assert 0 <= t0 < t1 <= len(doc.text)
        if start in covered:
            assert doc.text[t0] == doc.body[start]
        if stop - 1 in covered:
            assert doc.text[t1 - 1] == doc.body[stop - 1]
        if all(b in covered for b in range(start, stop)) and _contiguous(doc, start, stop):
            assert doc.text[t0:t1] == doc.body[start:stop]


def _contiguous(doc, start: int, stop: int) -> bool:
    for b0, _, n in doc.body_map.runs:
        if b0 <= start and stop <= b0 + n:
            return True
    return False


def seed_path(prefix: str) -> str:
    names = [n for n in sorted(os.listdir(SEEDS)) if n.startswith(prefix)]
    return os.path.join(SEEDS, names[0])


needs_seeds = pytest.mark.skipif(not os.path.isdir(SEEDS), reason="the shared seed articles are not on this machine")
