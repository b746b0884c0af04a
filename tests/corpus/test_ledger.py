"""The figure ledger: claimant classes, the day claimed, linking to events, and the views."""
from __future__ import annotations

import pytest

from letopis.corpus.ledger import Claim, claimant_class, claims, contradictions, latest_per_claimant, value_range
from letopis.corpus.mentions import EventMention


@pytest.mark.parametrize("name,roles,expected", [
    ("МВД", (), "authorities"),
    ("власти Казахстана", (), "authorities"),
    ("Касым-Жомарт Токаев", ("президент Казахстана",), "authorities"),
    ("правозащитники", (), "rights-groups"),
    ("Human Rights Watch", (), "rights-groups"),
    ("СМИ", (), "media"),
    ("очевидцы", (), "witnesses"),
    ("ООН", (), "international"),
    ("Социалистическое сопротивление Казахстана", (), "organisations"),
    (None, (), "article"),
])
def test_ledger_claimant_class(name, roles, expected):
    assert claimant_class(name, roles) == expected


TEXT = ("Шахтеры вышли на митинг 3 марта. Полиция открыла огонь по шахтерам.\n\n"
        "Власти обнародовали число жертв лишь 7 марта. Тогда сообщалось о 12 погибших, но к 9 марта их стало 14.")


def _extraction():
    killed = TEXT.index("12 погибших")
    more = TEXT.index("14")
    fire = TEXT.index("Полиция открыла огонь")
    day7 = TEXT.index("7 марта")
    day9 = TEXT.index("9 марта")
    return {
        "id": "doc-1", "source": "a.txt", "published": "2023-03-10",
        "entities": [],
        "times": [{"span": [day7, day7 + 7], "start": "2023-03-07", "end": "2023-03-07", "precision": "day"},
                  {"span": [day9, day9 + 7], "start": "2023-03-09", "end": "2023-03-09", "precision": "day"}],
        "figures": [{"span": [killed, killed + 11], "category": "killed", "low": 12, "high": 12,
                     "source": {"name": "власти", "span": [TEXT.index("Власти"), TEXT.index("Власти") + 6]}},
                    {"span": [more, more + 2], "category": "killed", "low": 14, "high": 14, "source": None}],
        "statements": [], "events": [{"span": [fire, fire + 20], "type": "ASSAULT", "figures": []}],
    }


def _mentions():
    fire = TEXT.index("Полиция открыла огонь")
    return [EventMention(id="doc-1:0", doc_id="doc-1", source="a.txt", index=0, type="ASSAULT", mode="firearms",
                         span=(fire, fire + 20), trigger="открыла огонь", date_start=None, date_end=None,
                         precision=None, date_span=None, place=None, place_span=None, location=None, country=None,
                         actors=("Полиция",), targets=(), modality="asserted", published="2023-03-10", words=())]


def test_ledger_claims_day_link_and_counts_to():
    got = claims(_extraction(), TEXT, _mentions())
    first, second = got
    assert (first.claimant, first.claimant_class, first.claimed_on, first.claimed_on_rule) == \
        ("власти", "authorities", "2023-03-07", "then")
    assert first.mention_id == "doc-1:0" and first.link_rule == "document"
    assert second.counts_to == "2023-03-09" and second.claimant_class == "article"
    assert second.claimed_on == "2023-03-10"
    assert Claim.from_json(first.to_json()) == first


def _claim(i, low, high, claimant, day, category="killed"):
    return Claim(id=f"d:{i}", doc_id="d", source="s", index=i, category=category, low=low, high=high, span=(0, 1),
                 text="", claimant=claimant, claimant_class="authorities", claimant_span=None, claimed_on=day,
                 claimed_on_rule="article", counts_to=None, mention_id=None, link_rule=None)


def test_ledger_views():
    items = [_claim(0, None, 10, "СМИ", "2011-12-16"), _claim(1, 70, 70, "ССК", "2011-12-16"),
             _claim(2, 12, 12, "МВД", "2011-12-17"), _claim(3, 15, 15, "МВД", "2011-12-20")]
    latest = latest_per_claimant(items)
    assert [(c.claimant, c.low) for c in latest if c.claimant == "МВД"] == [("МВД", 15)]
    assert value_range(items) == (12, 70)
    pairs = {(a.id, b.id) for a, b in contradictions(items)}
    assert ("d:0", "d:1") in pairs and ("d:0", "d:3") in pairs
    assert ("d:2", "d:3") not in pairs            # one claimant's toll growing is not a contradiction
