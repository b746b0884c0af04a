"""The PLOVER ontology (sixteen categories and their modes) and its mapping onto ACLED event types.

    >>> acled_type({"type": "PROTEST", "mode": "demo"})
    ('Protests', 'Peaceful protest', 'Demonstrations')

The table lives in `ontology.yaml`; actor classes for the ACLED rules come from a small word list below.
"""
from __future__ import annotations

import functools
from pathlib import Path

import yaml

ONTOLOGY_PATH = Path(__file__).with_name("ontology.yaml")

# words naming an actor class (lower-cased stems); first class whose stem is in the name wins
ACTOR_CLASSES = {
    "protesters": ("протест", "демонстрант", "митингующ", "бастующ", "рабоч", "нефтяник", "активист"),
    "state": ("власт", "полици", "милиц", "военн", "арми", "силовик", "сил", "правоохранит", "мвд", "кнб",
              "правительств", "президент", "войск"),
    "armed": ("боевик", "террорист", "бандит", "повстан", "ополчен"),
    "civilians": ("жител", "гражданск", "мирн", "семь", "человек"),
}


class OntologyError(ValueError):
    pass


@functools.cache
def ontology() -> dict:
    return yaml.safe_load(ONTOLOGY_PATH.read_text(encoding="utf-8"))


def categories() -> tuple[str, ...]:
    return tuple(ontology())


def modes(category: str) -> tuple[str, ...]:
    try:
        return tuple(ontology()[category]["modes"])
    except KeyError:
        raise OntologyError(f"unknown PLOVER category {category!r}; use one of {', '.join(categories())}") from None


def validate(category: str, mode: str | None) -> None:
    if mode is not None and mode not in modes(category):
        raise OntologyError(f"mode {mode!r} is not a mode of {category}; use one of {', '.join(modes(category))}")


def actor_class(name: str | None) -> str | None:
    low = (name or "").lower()
    for cls, stems in ACTOR_CLASSES.items():
        if any(s in low for s in stems):
            return cls
    return None


def _names(parties) -> list[str]:
    out = []
    for p in parties or ():
        out.append(p[0] if isinstance(p, (tuple, list)) else p.get("name") if isinstance(p, dict) else str(p))
    return out


def _get(event, key):
    return event.get(key) if isinstance(event, dict) else getattr(event, key, None)


def acled_type(event) -> tuple[str, str, str]:
    """(event_type, sub_event_type, disorder_type) of an Event or its JSON; first matching rule of its category."""
    category = _get(event, "type")
    mode = _get(event, "mode")
    actors = {actor_class(n) for n in _names(_get(event, "actors"))}
    targets = {actor_class(n) for n in _names(_get(event, "targets"))}
    rules = ontology().get(category)
    if rules is None:
        raise OntologyError(f"unknown PLOVER category {category!r}; use one of {', '.join(categories())}")
    for rule in rules["acled"]:
        if "mode" in rule and mode not in rule["mode"]:
            continue
        if "actor" in rule and not actors & set(rule["actor"]):
            continue
        if "target" in rule and not targets & set(rule["target"]):
            continue
        return tuple(rule["to"])
    raise OntologyError(f"no ACLED rule for {category}/{mode}: add a catch-all rule to ontology.yaml")
