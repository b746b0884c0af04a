"""The brat standoff reader of bench/nerel.py, on small invented .ann/.txt texts."""
from __future__ import annotations

import importlib.util
import pathlib
import sys

import pytest

BENCH = pathlib.Path(__file__).resolve().parents[2] / "bench"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module          # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


nerel = _load("nerel")
Entity, Relation, BratError = nerel.Entity, nerel.Relation, nerel.BratError


@pytest.mark.parametrize("ann, entities, relations", [
    ("T1\tPERSON 0 5\tОбамы",
     [Entity("T1", "PERSON", ((0, 5),), "Обамы")], []),
    # a discontinuous span: fragments in file order, text joined by a space
    ("T7\tORGANIZATION 0 11;31 40\tЛебединский комбинаты",
     [Entity("T7", "ORGANIZATION", ((0, 11), (31, 40)), "Лебединский комбинаты")], []),
    # three fragments
    ("T3\tDATE 0 2;5 9;12 16\t30 июня 2019",
     [Entity("T3", "DATE", ((0, 2), (5, 9), (12, 16)), "30 июня 2019")], []),
    # a relation, with the trailing tab NEREL sometimes leaves
    ("T1\tEVENT 10 18\tзадержан\nT2\tDATE 0 9\t5 января\nR1\tPOINT_IN_TIME Arg1:T1 Arg2:T2\t",
     [Entity("T1", "EVENT", ((10, 18),), "задержан"), Entity("T2", "DATE", ((0, 9),), "5 января")],
     [Relation("R1", "POINT_IN_TIME", "T1", "T2")]),
    # arguments in either order
    ("R4\tTAKES_PLACE_IN Arg2:T9 Arg1:T8",
     [], [Relation("R4", "TAKES_PLACE_IN", "T8", "T9")]),
    # normalisations, attributes, notes and blank lines are skipped
    ("T2\tCITY 3 9\tАлматы\nN1\tReference T2 Wikidata:Q35493\tАлматы\nA1\tNegated T2\n#1\tAnnotatorNotes T2\tгород\n\n",
     [Entity("T2", "CITY", ((3, 9),), "Алматы")], []),
    # an empty entity text is kept as it is
    ("T5\tNUMBER 4 4\t", [Entity("T5", "NUMBER", ((4, 4),), "")], []),
])
def test_nerel_reader_parses_entities_and_relations(ann, entities, relations):
    got_entities, got_relations = nerel.parse_ann(ann)
    assert list(got_entities.values()) == entities
    assert list(got_relations) == relations


@pytest.mark.parametrize("line", [
    "T1\tDATE 5\t5 января",                 # one offset
    "T1\tDATE 9 3\tянварь",                 # start after stop
    "T1\tDATE 0 2;x 9\t30 июня",            # a fragment that is not numbers
    "T1\tDATE 0 9",                         # no text field
    "R1\tPOINT_IN_TIME Arg1:T1",            # one argument
    "R1\tPOINT_IN_TIME Arg1:T1 Target:T2",  # an unknown argument name
    "R1",                                   # nothing after the id
])
def test_nerel_reader_rejects_malformed_lines(line):
    with pytest.raises(BratError, match="doc.ann:1"):
        nerel.parse_ann(line, "doc.ann")


@pytest.mark.parametrize("spans, probe, expected", [
    (((0, 5),), (4, 10), True),
    (((0, 5),), (5, 10), False),             # [start, stop): touching is not overlapping
    (((0, 5), (20, 25)), (10, 15), False),   # the gap between fragments is not part of the entity
    (((0, 5), (20, 25)), (24, 30), True),
    (((0, 5),), (3, 3), False),              # an empty span overlaps nothing
    (((0, 5),), None, False),
])
def test_nerel_reader_entity_overlaps_by_fragment(spans, probe, expected):
    assert Entity("T1", "DATE", spans, "").overlaps(probe) is expected


@pytest.mark.parametrize("text, ann, first, last, mismatched", [
    # offsets count characters of the text as stored: "\r\n" is two
    ("Акция\r\nв Алматы прошла", "T1\tCITY 9 15\tАлматы", 9, 15, []),
    ("Путин уволил двух генералов", "T1\tEVENT 6 12\tуволил\nT2\tPERSON 0 5\tПутин", 0, 12, []),
    ("Задержан 5 января 2022 года", "T1\tDATE 9 17;18 27\t5 января 2022 года", 9, 27, []),
    # a text field that does not match its offsets is reported
    ("Митинг в Жанаозене", "T1\tCITY 9 17\tЖанаозене\nT2\tEVENT 0 5\tМитинг", 0, 17, ["T1", "T2"]),
])
def test_nerel_reader_loads_pairs_from_disk(tmp_path, text, ann, first, last, mismatched):
    (tmp_path / "doc.txt").write_bytes(text.encode("utf-8"))
    (tmp_path / "doc.ann").write_text(ann, encoding="utf-8")
    (doc,) = nerel.load_folder(tmp_path)
    assert doc.name == "doc" and doc.text == text
    assert min(e.start for e in doc.entities.values()) == first
    assert max(e.stop for e in doc.entities.values()) == last
    assert sorted(e.id for e in doc.mismatches()) == mismatched


def test_nerel_reader_follows_relations_from_arg1():
    ann = ("T1\tEVENT 0 6\tМитинг\nT2\tDATE 15 23\t5 января\nT3\tCITY 9 14\tАлмат\n"
           "R1\tPOINT_IN_TIME Arg1:T1 Arg2:T2\nR2\tTAKES_PLACE_IN Arg1:T1 Arg2:T3\nR3\tTAKES_PLACE_IN Arg1:T2 Arg2:T3")
    entities, relations = nerel.parse_ann(ann)
    doc = nerel.BratDoc("doc", "", entities, relations)
    assert [e.id for e in doc.related("T1", "POINT_IN_TIME")] == ["T2"]
    assert [e.id for e in doc.related("T1", "TAKES_PLACE_IN")] == ["T3"]
    assert [e.id for e in doc.related("T1", "POINT_IN_TIME", "START_TIME", "TAKES_PLACE_IN")] == ["T2", "T3"]
    assert doc.related("T3", "TAKES_PLACE_IN") == []        # relations are directed
    assert [e.id for e in doc.of_type("EVENT", "CITY")] == ["T1", "T3"]
