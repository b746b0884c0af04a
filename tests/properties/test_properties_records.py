"""Property tests: every record survives a JSON round trip, `R.from_json(json.loads(json.dumps(r.to_json()))) == r`,
for any values its fields can hold (the documented domains: ISO dates, spans of two ints, known enumerations)."""
from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from letopis.annotate.entities import Entity
from letopis.annotate.figures import CATEGORIES, Figure
from letopis.annotate.gazetteer import Place
from letopis.annotate.mentions import Mention
from letopis.annotate.quantities import KINDS, Quantity
from letopis.annotate.roles import Role
from letopis.annotate.times import PRECISIONS, TimeExpr
from letopis.corpus.dedup import Duplicate, SharedParagraph
from letopis.corpus.entities import CorpusEntity
from letopis.corpus.geocode import Location
from letopis.corpus.ledger import Claim
from letopis.corpus.mentions import EventMention
from letopis.extract.events import Event
from letopis.extract.statements import Statement
from letopis.ingest import Document, OffsetMap, PartialDate, Rejection

ROUND = settings(max_examples=150, deadline=None)

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)      # any character UTF-8 can hold
NAME = st.one_of(TEXT.filter(bool), st.sampled_from(["Касым-Жомарт Токаев", "МВД", "Алматы", "«Сапа»", "Ош\u200b"]))
OPT_TEXT = st.none() | TEXT
SPAN = st.tuples(st.integers(0, 10_000), st.integers(0, 500)).map(lambda t: (t[0], t[0] + t[1]))
OPT_SPAN = st.none() | SPAN
ISO_DAY = st.dates().map(lambda d: d.isoformat())
OPT_DAY = st.none() | ISO_DAY
NUMBER = st.integers(-10**9, 10**9) | st.floats(allow_nan=False, allow_infinity=False)
OPT_NUMBER = st.none() | NUMBER
COUNTRY = st.none() | st.sampled_from(["KZ", "KG", "RU", "BY", "AM", "GE"])


def round_trip(cls, record, **to_json):
    data = json.loads(json.dumps(record.to_json(**to_json), ensure_ascii=False, allow_nan=False))
    assert cls.from_json(data) == record


@st.composite
def partial_dates(draw):
    day = draw(st.dates(min_value=__import__("datetime").date(1000, 1, 1)))
    precision = draw(st.sampled_from(["day", "month", "year"]))
    return PartialDate(day.year, day.month if precision != "year" else None, day.day if precision == "day" else None)


@st.composite
def offset_maps(draw):
    runs, b, t = [], 0, 0
    for _ in range(draw(st.integers(0, 6))):
        b += draw(st.integers(0, 5))
        t += draw(st.integers(0, 50))
        n = draw(st.integers(1, 40))
        runs.append((b, t, n))
        b, t = b + n, t + n
    return OffsetMap(tuple(runs))


documents = st.builds(
    Document, id=st.text("0123456789abcdef", min_size=16, max_size=16).map("doc-".__add__), source=NAME,
    format=st.sampled_from(["frontmatter", "markdown", "dump", "plain", "html", "jsonl", "csv"]), text=TEXT,
    body=TEXT, body_map=offset_maps(), title=OPT_TEXT, title_span=OPT_SPAN, published=st.none() | partial_dates(),
    author=OPT_TEXT, url=OPT_TEXT, language=st.sampled_from(["ru", "uk", "kk"]),
    encoding=st.sampled_from(["utf-8", "cp1251", "koi8-r", "utf-16-le"]), ingested_at=ISO_DAY)
rejections = st.builds(Rejection, source=NAME, reason=st.sampled_from(["empty", "binary", "bad-record"]),
                       message=TEXT, at=ISO_DAY)
times = st.builds(TimeExpr, span=SPAN, text=TEXT, start=OPT_DAY, end=OPT_DAY,
                  precision=st.none() | st.sampled_from(PRECISIONS), rule=TEXT,
                  clock=st.none() | st.tuples(st.sampled_from(["18:00", "09:30"]), st.sampled_from(["19:00", "23:59"])))
mentions = st.builds(Mention, span=SPAN, text=NAME, normal=NAME, nested=st.booleans(),
                     rule=st.sampled_from(["ner", "strip", "split-acronym", "nested-place"]))
roles = st.builds(Role, text=NAME, span=SPAN, normal=NAME)
places = st.builds(Place, name=NAME, canonical=NAME, kind=st.sampled_from(["country", "capital", "city", "region"]),
                   country=st.sampled_from(["", "KZ", "KG"]), population=st.none() | st.integers(0, 10**8),
                   lat=st.none() | st.floats(-90, 90), lon=st.none() | st.floats(-180, 180),
                   geonameid=st.none() | st.integers(1, 10**8))
entities = st.builds(Entity, id=st.from_regex(r"e[0-9]{1,3}", fullmatch=True),
                     type=st.sampled_from(["PER", "ORG", "LOC"]), name=NAME,
                     mentions=st.lists(mentions, max_size=4).map(tuple), roles=st.lists(roles, max_size=3).map(tuple),
                     aliases=st.lists(NAME, max_size=3).map(tuple), place=st.none() | places)
quantities = st.builds(Quantity, span=SPAN, text=TEXT, low=OPT_NUMBER, high=OPT_NUMBER, kind=st.sampled_from(KINDS),
                       approx=st.booleans(), vague=st.booleans(), rule=TEXT)


@st.composite
def figures(draw):
    named = draw(st.booleans())
    # a named source always comes with its span (the extractor finds both or neither)
    return Figure(draw(SPAN), draw(st.sampled_from(CATEGORIES)), draw(OPT_NUMBER), draw(OPT_NUMBER), draw(quantities),
                  draw(OPT_SPAN), draw(NAME) if named else None, draw(SPAN) if named else None, draw(TEXT),
                  draw(OPT_TEXT))


@st.composite
def statements(draw):
    named = draw(st.booleans())
    return Statement(draw(SPAN), draw(OPT_SPAN), draw(NAME) if named else None, draw(OPT_SPAN) if named else None,
                     draw(OPT_TEXT), draw(OPT_TEXT), draw(OPT_SPAN), draw(OPT_DAY), draw(OPT_SPAN),
                     draw(st.sampled_from(["direct", "reported", "attributed"])), draw(TEXT))


locations = st.builds(Location, name=NAME, canonical=OPT_TEXT, country=COUNTRY, admin1=OPT_TEXT,
                      lat=st.none() | st.floats(-90, 90), lon=st.none() | st.floats(-180, 180),
                      precision=st.none() | st.sampled_from(["town", "region", "country"]),
                      geo_precision=st.none() | st.integers(1, 3),
                      plover_resolution=st.none() | st.sampled_from(["city", "admin1", "country"]),
                      geonameid=st.none() | st.integers(1, 10**8), reason=TEXT)
claims = st.builds(Claim, id=TEXT, doc_id=TEXT, source=NAME, index=st.integers(0, 99),
                   category=st.sampled_from(CATEGORIES), low=OPT_NUMBER, high=OPT_NUMBER, span=SPAN, text=TEXT,
                   claimant=OPT_TEXT, claimant_class=st.sampled_from(["authorities", "media", "article"]),
                   claimant_span=OPT_SPAN, claimed_on=OPT_DAY, claimed_on_rule=TEXT, counts_to=OPT_DAY,
                   mention_id=OPT_TEXT, link_rule=st.none() | st.sampled_from(["event", "paragraph", "document"]),
                   background=st.booleans(), event_id=OPT_TEXT, claimant_entity=OPT_TEXT)
event_mentions = st.builds(
    EventMention, id=TEXT, doc_id=TEXT, source=NAME, index=st.integers(0, 99),
    type=st.sampled_from(["PROTEST", "ASSAULT", "COERCE"]), mode=OPT_TEXT, span=SPAN, trigger=TEXT,
    date_start=OPT_DAY, date_end=OPT_DAY, precision=st.none() | st.sampled_from(PRECISIONS), date_span=OPT_SPAN,
    place=OPT_TEXT, place_span=OPT_SPAN, location=st.none() | locations.map(Location.to_json), country=COUNTRY,
    actors=st.lists(NAME, max_size=3).map(tuple), targets=st.lists(NAME, max_size=3).map(tuple),
    modality=st.sampled_from(["asserted", "negated", "future", "reported", "hypothetical"]),
    published=st.none() | partial_dates().map(str), words=st.lists(TEXT, max_size=4).map(tuple),
    background=st.booleans())
corpus_entities = st.builds(CorpusEntity, id=TEXT, type=st.sampled_from(["PER", "ORG", "LOC"]), name=NAME,
                            names=st.dictionaries(NAME, st.integers(1, 50), max_size=4),
                            roles=st.lists(NAME, max_size=3).map(sorted),
                            place=st.none() | places.map(lambda p: {"name": p.name, "country": p.country or None}))
duplicates = st.builds(Duplicate, doc_id=TEXT, duplicate_of=TEXT, similarity=st.floats(0, 1))
shared = st.builds(SharedParagraph, doc_id=TEXT, span=SPAN, others=st.lists(TEXT, max_size=3).map(tuple),
                   similarity=st.floats(0, 1))

RECORDS = {
    "Document": (Document, documents, {}),
    "Rejection": (Rejection, rejections, {}),
    "OffsetMap": (OffsetMap, offset_maps(), {}),
    "TimeExpr": (TimeExpr, times, {}),
    "Mention": (Mention, mentions, {}),
    "Role": (Role, roles, {}),
    "Entity": (Entity, entities, {"detail": True}),
    "Quantity": (Quantity, quantities, {}),
    "Figure": (Figure, figures(), {}),
    "Statement": (Statement, statements(), {}),
    "Location": (Location, locations, {}),
    "Claim": (Claim, claims, {}),
    "EventMention": (EventMention, event_mentions, {}),
    "CorpusEntity": (CorpusEntity, corpus_entities, {}),
    "Duplicate": (Duplicate, duplicates, {}),
    "SharedParagraph": (SharedParagraph, shared, {}),
}


@pytest.mark.parametrize("name", sorted(RECORDS))
@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_properties_records_json_round_trip(name, data):
    cls, strategy, options = RECORDS[name]
    round_trip(cls, data.draw(strategy, label=name), **options)


@ROUND
@given(partial_dates())
def test_properties_records_partial_date_string_round_trip(date):
    assert PartialDate.parse(str(date)) == date


@ROUND
@given(st.text(max_size=30))
def test_properties_records_partial_date_parse_never_crashes(value):
    parsed = PartialDate.parse(value)
    assert parsed is None or PartialDate.parse(str(parsed)) == parsed


@st.composite
def events(draw):
    return Event(draw(SPAN), draw(SPAN), draw(TEXT), draw(st.sampled_from(["PROTEST", "ASSAULT"])), draw(OPT_TEXT),
                 tuple(draw(st.lists(st.tuples(NAME, SPAN), max_size=3))),
                 tuple(draw(st.lists(st.tuples(NAME, SPAN), max_size=3))),
                 draw(st.none() | st.tuples(OPT_DAY, OPT_DAY, st.none() | st.sampled_from(PRECISIONS), SPAN)),
                 draw(st.none() | st.tuples(NAME, SPAN)), tuple(draw(st.lists(st.integers(0, 9), max_size=3))),
                 draw(st.sampled_from(["asserted", "negated"])), draw(TEXT))


@ROUND
@given(events())
def test_properties_records_event_json_keeps_every_field(event):
    """`Event` has no `from_json` (the contract object is its only reader): its JSON must still carry every field,
    spans as two-int lists, so that the contract loses nothing."""
    data = json.loads(json.dumps(event.to_json(), ensure_ascii=False))
    assert (data["span"], data["trigger"]["span"]) == (list(event.span), list(event.trigger_span))
    assert [(a["name"], tuple(a["span"])) for a in data["actors"]] == list(event.actors)
    assert [(a["name"], tuple(a["span"])) for a in data["targets"]] == list(event.targets)
    assert data["figures"] == list(event.figure_ids) and data["rule"] == event.rule
    assert (data["type"], data["mode"], data["modality"], data["trigger"]["text"]) == \
        (event.type, event.mode, event.modality, event.trigger)
    if event.date:
        assert (data["date"]["start"], data["date"]["end"], data["date"]["precision"], tuple(data["date"]["span"])) \
            == event.date
    if event.location:
        assert (data["location"]["name"], tuple(data["location"]["span"])) == event.location
