"""Entities across articles: a name joins the one known person with its surname (the lookups stop at a second
holder, so a surname shared by many costs no more than a rare one)."""
from __future__ import annotations

import pytest

from letopis.corpus.stage import _entities
from letopis.store.corpus import CorpusTables
from letopis.store.sqlite import Store


@pytest.fixture
def tables(tmp_path):
    with Store(tmp_path / "t.db") as store:
        store.db.execute("PRAGMA foreign_keys=OFF")        # links without stored documents
        yield CorpusTables(store.db)


def fold_names(tables: CorpusTables, names: list[str]) -> list[list[str]]:
    """Each name in an article of its own, in order; the corpus persons as their sorted names."""
    for i, name in enumerate(names):
        _entities(tables, {"id": f"doc-{i:03d}", "entities": [{"id": "e0", "type": "PER", "name": name,
                                                             "mentions": [{}]}]}, set())
    people = [sorted(tables.entity(r[0]).names) for r in tables.db.execute("SELECT id FROM corpus_entities")]
    return sorted(people)


SIDOROVS = [f"{first} Сидоров" for first in ("Иван", "Пётр", "Олег", "Марат", "Данияр", "Ерлан", "Нурлан", "Асель")]


@pytest.mark.parametrize("names,people", [
    (["Токаев", "Касым-Жомарт Токаев"], [["Касым-Жомарт Токаев", "Токаев"]]),
    (["Касым-Жомарт Токаев", "Токаев"], [["Касым-Жомарт Токаев", "Токаев"]]),
    (["Касым-Жомарт Токаев", "Бекбоев"], [["Бекбоев"], ["Касым-Жомарт Токаев"]]),
    (["Иван Петров", "Пётр Петров", "Петров"], [["Иван Петров", "Петров", "Пётр Петров"]]),
    ([*SIDOROVS, "Сидоров"], [sorted([*SIDOROVS, "Сидоров"])]),
    (["Сидоров", *SIDOROVS], [sorted([*SIDOROVS, "Сидоров"])]),
])
def test_entities_name_joins_the_one_known_person_with_its_surname(tables, names, people):
    assert fold_names(tables, names) == people
