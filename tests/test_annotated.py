"""`letopis docs show ID --annotate`: the text with its marks in place and a legend."""
from __future__ import annotations

from letopis.annotated import marks, render

TEXT = "Полиция задержала 40 человек, сообщил Иванов."
EXTRACTION = {
    "events": [{"span": [0, 28], "type": "COERCE", "mode": "arrest", "date": None, "location": None,
                "trigger": {"text": "задержала", "span": [8, 17]}, "actors": [{"name": "Полиция", "span": [0, 7]}],
                "targets": [], "figures": [0], "modality": "asserted", "rule": "задержать"}],
    "statements": [{"span": [0, 44], "speaker": {"name": "Иванов", "span": [38, 44]}, "date": "2023-05-01",
                    "verb": "сообщить", "kind": "reported", "rule": "content_then_verb"}],
    "figures": [{"span": [18, 28], "category": "detained", "low": 40, "high": 40,
                 "source": {"name": "Иванов", "span": [38, 44]}, "rule": "np", "source_rule": "speech"}],
}


def test_annotated_marks_nest_in_text_order():
    out = render(TEXT, EXTRACTION)
    body = out.split("\n\n")[0]
    assert body == ("⟦S1 Иванов 2023-05-01: ⟦E1 COERCE/arrest ?: Полиция задержала ⟦F0 detained 40 ← Иванов: "
                    "40 человек⟧F0⟧E1, сообщил Иванов⟧S1.")


def test_annotated_legend_has_every_mark_with_its_span():
    legend = render(TEXT, EXTRACTION).split("\n\n")[1].splitlines()
    assert [line.split()[0] for line in legend] == ["E1", "S1", "F0"]
    assert "actors: Полиция" in legend[0] and "[18, 28)" in legend[2]


def test_annotated_colour_only_when_asked():
    assert "\033[" not in render(TEXT, EXTRACTION)
    assert "\033[31m" in render(TEXT, EXTRACTION, color=True)


def test_annotated_open_bounds():
    ex = {"figures": [{"span": [0, 5], "category": "killed", "low": None, "high": 10}]}
    assert marks(ex)[0].label == "killed –10"
