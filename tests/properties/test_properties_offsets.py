"""Property tests of the offset map every reader builds: a body made by copying slices of a text (and inserting a
few characters of its own) maps every span back inside the text, onto the very characters it copied."""
from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from letopis.ingest.document import BodyBuilder, OffsetMap

TEXT = st.text(alphabet=st.sampled_from(list("Митнг в Алматы, 12 «»—\n\r\t ") + ["\u200b", "\x00", "𝔸", "ё"]),
               max_size=120)


@st.composite
def built(draw):
    """(text, body, map) from a random forward program of copies and inserts, the way readers build bodies."""
    text = draw(TEXT)
    builder = BodyBuilder(text)
    pos = 0
    for _ in range(draw(st.integers(0, 12))):
        if draw(st.booleans()) and pos < len(text):
            start = draw(st.integers(pos, len(text)))
            stop = draw(st.integers(start, len(text)))
            builder.copy(start, stop)
            pos = stop
        else:
            builder.insert(draw(st.sampled_from(["\n", "\n\n", " ", "«"])))
    body, omap = builder.build()
    return text, body, omap


def covered(omap: OffsetMap) -> dict[int, int]:
    return {b0 + k: t0 + k for b0, t0, n in omap.runs for k in range(n)}


@settings(max_examples=300, deadline=None)
@given(built())
def test_properties_offsets_runs_copy_their_characters(case):
    text, body, omap = case
    for b0, t0, n in omap.runs:
        assert n > 0 and 0 <= t0 and t0 + n <= len(text)
        assert body[b0:b0 + n] == text[t0:t0 + n]
    for b, t in covered(omap).items():
        assert omap.to_text(b) == t and text[t] == body[b]


@settings(max_examples=300, deadline=None)
@given(built(), st.data())
def test_properties_offsets_span_lies_inside_and_points_at_its_characters(case, data):
    text, body, omap = case
    if not omap.runs:
        return                                   # nothing copied: no offset into the text to speak of
    start = data.draw(st.integers(0, len(body)))
    stop = data.draw(st.integers(start, len(body)))
    t0, t1 = omap.span_to_text((start, stop))
    assert 0 <= t0 <= t1 <= len(text)
    where = covered(omap)
    if stop > start and start in where:
        assert text[t0] == body[start]
    if stop > start and stop - 1 in where:
        assert text[t1 - 1] == body[stop - 1]
    if any(b0 <= start and stop <= b0 + n for b0, _, n in omap.runs):
        assert text[t0:t1] == body[start:stop]   # a span inside one run is the very same characters


@settings(max_examples=300, deadline=None)
@given(built(), st.data())
def test_properties_offsets_are_monotonic(case, data):
    """A forward program keeps order: a later body position never maps before an earlier one."""
    text, body, omap = case
    a = data.draw(st.integers(0, len(body)))
    b = data.draw(st.integers(a, len(body)))
    assert omap.to_text(a) <= omap.to_text(b)
    assert omap.to_text(a, end=True) <= omap.to_text(b, end=True)


@settings(max_examples=200, deadline=None)
@given(built())
def test_properties_offsets_json_round_trip(case):
    _, _, omap = case
    assert OffsetMap.from_json(json.loads(json.dumps(omap.to_json()))) == omap


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 500), st.integers(0, 500), st.data())
def test_properties_offsets_identity_is_a_shift(length, shift, data):
    omap = OffsetMap.identity(length, shift)
    if length == 0:
        assert omap.runs == ()
        return
    start = data.draw(st.integers(0, length))
    stop = data.draw(st.integers(start, length))
    assert omap.span_to_text((start, stop)) == (start + shift, stop + shift)
