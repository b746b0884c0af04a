"""Entities across articles: "Токаев" here and "Касым-Жомарт Токаев" there are one person with both names.

Each article's entities (canonical within the article) are matched to corpus entities by keys:
a person by the folded full name, and a one-word name by the surname of exactly one known person (an ambiguous
surname stays apart rather than being wrongly merged); an organisation by its name and its acronym ("ОДКБ" ⇄
"Организация Договора о коллективной безопасности"); a place by its geocoded canonical name.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

_FUNCTION_WORDS = {"о", "об", "и", "по", "в", "на", "за", "для", "при", "с", "со", "of", "the", "and", "for"}
_QUOTES = str.maketrans("", "", "«»\"„“”")


def fold(name: str) -> str:
    return re.sub(r"\s+", " ", name.translate(_QUOTES).lower().replace("ё", "е")).strip()


def acronym(name: str) -> str | None:
    """Initials of the content words of a multi-word name: "Организация Договора о коллективной безопасности"
    → "одкб"; None for one word."""
    words = [w for w in re.findall(r"[\w]+", fold(name)) if w not in _FUNCTION_WORDS]
    return "".join(w[0] for w in words) if len(words) >= 2 else None


def entity_id(type_: str, key: str) -> str:
    return "ent-" + hashlib.sha256(f"{type_}|{key}".encode()).hexdigest()[:16]


@dataclass
class LocalEntity:
    """One article's entity, as its extraction gives it."""
    doc_id: str
    local_id: str
    type: str
    name: str
    aliases: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    place: dict | None = None
    n_mentions: int = 0

    @classmethod
    def from_extraction(cls, doc_id: str, e: dict) -> LocalEntity:
        roles = tuple(dict.fromkeys(r.get("normal") or r.get("text") if isinstance(r, dict) else r
                                    for r in e.get("roles") or ()))
        return cls(doc_id, e["id"], e["type"], e["name"], tuple(e.get("aliases") or ()), roles,
                   e.get("place"), len(e.get("mentions") or ()))

    def primary_key(self) -> str:
        if self.type == "LOC" and self.place and self.place.get("canonical"):
            return f"loc:{fold(self.place['canonical'])}|{self.place.get('country') or ''}"
        return f"{self.type.lower()}:{fold(self.name)}"

    def keys(self) -> list[str]:
        """Every key this entity answers to."""
        out = [self.primary_key()]
        if self.type in ("ORG", "LOC"):
            for n in (self.name, *self.aliases):
                out.append(f"{self.type.lower()}:{fold(n)}")
                if self.type == "ORG" and (acr := acronym(n)):
                    out.append(f"org:{acr}")
        if self.type == "PER":
            words = fold(self.name).split()
            if len(words) >= 2:
                out.append(f"per-surname:{words[-1]}")
        return list(dict.fromkeys(out))

    def lookups(self) -> list[str]:
        """Keys to look an existing corpus entity up by, strongest first."""
        out = self.keys()
        words = fold(self.name).split()
        if self.type == "PER" and len(words) == 1:
            out.append(f"per-surname:{words[0]}")
        if self.type == "ORG" and len(words) == 1:
            out.append(f"org:{words[0]}")
        return out


@dataclass
class CorpusEntity:
    id: str
    type: str
    name: str
    names: dict[str, int] = field(default_factory=dict)     # every name seen, with how many articles used it
    # the articles it appears in are rows of entity_mentions (a list here would grow with the corpus)
    roles: list[str] = field(default_factory=list)
    place: dict | None = None

    def absorb(self, e: LocalEntity) -> None:
        for n in {e.name, *e.aliases}:
            self.names[n] = self.names.get(n, 0) + 1
        self.roles = sorted(set(self.roles) | set(e.roles))
        self.place = self.place or e.place
        self.name = self.display_name()

    def display_name(self) -> str:
        """The longest multi-word name for a person ("Касым-Жомарт Токаев" over "Токаев"), else the name the
        articles use most ("Кыргызстан", though the gazetteer's canonical name is "Киргизия")."""
        names = sorted(self.names.items(), key=lambda kv: (-kv[1], kv[0]))
        if self.type == "PER":
            full = [n for n, _ in names if len(n.split()) >= 2]
            if full:
                return max(full, key=lambda n: (self.names[n], len(n)))
        return names[0][0] if names else self.name

    def to_json(self) -> dict:
        return {"id": self.id, "type": self.type, "name": self.name, "names": dict(sorted(self.names.items())),
                "roles": self.roles, "place": self.place}

    @classmethod
    def from_json(cls, d: dict) -> CorpusEntity:
        return cls(d["id"], d["type"], d["name"], dict(d.get("names") or {}), list(d.get("roles") or ()),
                   d.get("place"))
