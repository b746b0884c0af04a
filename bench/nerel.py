"""NEREL in brat standoff, read where it lies, and letopis run over it: helpers shared by the NEREL benchmarks.

    from nerel import load_folder, run_letopis
    docs = load_folder(pathlib.Path("/work/shared/data/NEREL/dev"))
    contracts = run_letopis(docs)          # one contract dict per document, spans index BratDoc.text

A `.ann` file holds one annotation a line, fields separated by tabs:

- `T12\tDATE 905 912;922 931\t30 июня 2019 года`: an entity; `;` separates the fragments of a discontinuous span,
  and the text field is the fragments joined by one space;
- `R3\tPOINT_IN_TIME Arg1:T51 Arg2:T32`: a directed relation between two entities (see NEREL's annotation.conf);
- other lines (`N` normalisations, `A` attributes, `E` events, `*` equivalences, `#` notes) are skipped.

Offsets are `[start, stop)` Python `str` indices into the `.txt` read with `newline=""` (as brat counts them).
A malformed T or R line raises `BratError` naming the file and line.
"""
from __future__ import annotations

import functools
import pathlib
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

ROOT = pathlib.Path(__file__).resolve().parents[1]
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

Span = tuple[int, int]


class BratError(ValueError):
    """A T or R line that does not follow brat's standoff format."""


@dataclass(frozen=True, slots=True)
class Entity:
    id: str
    type: str
    spans: tuple[Span, ...]      # one fragment, or several for a discontinuous entity, in file order
    text: str

    @property
    def start(self) -> int:
        return min(s for s, _ in self.spans)

    @property
    def stop(self) -> int:
        return max(e for _, e in self.spans)

    @property
    def discontinuous(self) -> bool:
        return len(self.spans) > 1

    def overlaps(self, span: Span | None) -> bool:
        """True when any fragment shares a character with `span` (None and empty spans overlap nothing)."""
        return span is not None and any(overlap(f, span) for f in self.spans)

    def to_json(self) -> dict:
        return {"id": self.id, "type": self.type, "spans": [list(s) for s in self.spans], "text": self.text}


@dataclass(frozen=True, slots=True)
class Relation:
    id: str
    type: str
    arg1: str     # entity ids, in NEREL's direction (POINT_IN_TIME: Arg1 the EVENT, Arg2 the DATE)
    arg2: str

    def to_json(self) -> dict:
        return {"id": self.id, "type": self.type, "arg1": self.arg1, "arg2": self.arg2}


@dataclass(frozen=True, slots=True)
class BratDoc:
    name: str
    text: str
    entities: dict[str, Entity]
    relations: tuple[Relation, ...]

    def of_type(self, *types: str) -> list[Entity]:
        return sorted((e for e in self.entities.values() if e.type in types), key=lambda e: (e.start, e.stop))

    def related(self, entity_id: str, *types: str) -> list[Entity]:
        """Arg2 entities of the relations of `types` whose Arg1 is `entity_id`."""
        return [self.entities[r.arg2] for r in self.relations
                if r.arg1 == entity_id and r.type in types and r.arg2 in self.entities]

    def mismatches(self) -> list[Entity]:
        """Entities whose text field is not what their offsets cut from the text (fragments joined by a space)."""
        return [e for e in self.entities.values() if " ".join(self.text[s:t] for s, t in e.spans) != e.text]


def overlap(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1] and a[0] < a[1] and b[0] < b[1]


def parse_ann(ann: str, where: str = "<ann>") -> tuple[dict[str, Entity], tuple[Relation, ...]]:
    """Entities by id and relations of one `.ann` text."""
    entities: dict[str, Entity] = {}
    relations: list[Relation] = []
    for n, line in enumerate(ann.splitlines(), 1):
        if line.startswith("T"):
            e = _entity(line, f"{where}:{n}")
            entities[e.id] = e
        elif line.startswith("R"):
            relations.append(_relation(line, f"{where}:{n}"))
    return entities, tuple(relations)


def _entity(line: str, where: str) -> Entity:
    fields = line.split("\t")
    if len(fields) < 3:
        raise BratError(f"{where}: an entity line needs 'ID<TAB>TYPE START STOP[;START STOP]<TAB>TEXT': {line!r}")
    kind, _, offsets = fields[1].partition(" ")
    spans = []
    for frag in offsets.split(";"):
        parts = frag.split()
        if len(parts) != 2 or not all(p.isdigit() for p in parts) or int(parts[0]) > int(parts[1]):
            raise BratError(f"{where}: bad fragment {frag!r} in {line!r}; expected 'START STOP' with START <= STOP")
        spans.append((int(parts[0]), int(parts[1])))
    return Entity(fields[0], kind, tuple(spans), "\t".join(fields[2:]))


def _relation(line: str, where: str) -> Relation:
    fields = line.split("\t")
    parts = fields[1].split() if len(fields) > 1 else []
    args = dict(p.split(":", 1) for p in parts[1:] if ":" in p)
    if len(parts) != 3 or set(args) != {"Arg1", "Arg2"}:
        raise BratError(f"{where}: a relation line needs 'ID<TAB>TYPE Arg1:T1 Arg2:T2': {line!r}")
    return Relation(fields[0], parts[0], args["Arg1"], args["Arg2"])


def read(path: pathlib.Path) -> str:
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


def load_doc(ann_path: pathlib.Path) -> BratDoc:
    entities, relations = parse_ann(read(ann_path), str(ann_path))
    return BratDoc(ann_path.stem, read(ann_path.with_suffix(".txt")), entities, relations)


def load_folder(folder: pathlib.Path, limit: int | None = None) -> list[BratDoc]:
    """Every `.ann`/`.txt` pair of `folder`, sorted by name; the first `limit` only when given."""
    paths = sorted(folder.glob("*.ann"))
    return [load_doc(p) for p in (paths[:limit] if limit else paths)]


# --- letopis over NEREL -------------------------------------------------------------------------------------------

def to_document(doc: BratDoc):
    """A letopis Document whose body is the whole text (title line included: NEREL annotates it too), no date."""
    from letopis.ingest.document import OffsetMap, make_document

    return make_document(doc.name + ".txt", "plain", doc.text, doc.text, OffsetMap.identity(len(doc.text)))


def run_letopis(docs: Iterable[BratDoc], batch: int = 16) -> list[dict]:
    """Contract dicts (../shared/eval/CONTRACT.md) for `docs`, in order; spans index each `BratDoc.text`."""
    from letopis.extract.contract import extract_all

    return list(extract_all((to_document(d) for d in docs), batch=batch))


# --- lemmas -------------------------------------------------------------------------------------------------------

@functools.cache
def _morph():
    import yargy.morph  # noqa: F401  -- patches pymorphy2 for Python >= 3.11 before it is imported
    import pymorphy2

    return pymorphy2.MorphAnalyzer()


@functools.lru_cache(maxsize=50_000)
def lemma(word: str) -> str:
    """pymorphy2's first (context-free) normal form, ё folded to е; participles give their verb."""
    parses = _morph().parse(word.lower())
    return (parses[0].normal_form if parses else word.lower()).replace("ё", "е")


def lemmas(text: str) -> tuple[str, ...]:
    from razdel import tokenize

    return tuple(lemma(t.text) for t in tokenize(text) if any(c.isalnum() for c in t.text))


def counts_table(rows: Iterator[tuple[str, int]] | list[tuple[str, int]], width: int = 28) -> str:
    return "\n".join(f"  {k:<{width}}{v:>5}" for k, v in rows)
