"""Score per-article extraction (the contract objects of `letopis extract`) against a gold file.

    report = evaluate_paths("examples/.gold/extract.jsonl", ["examples"])
    print(report.table())

A gold line per article (`file`, `published`, `figures`, `statements`, `events`, `times`, `entities`) names each
item by an `evidence` string of the article's text. A prediction matches a gold item when its span hits an
occurrence of the evidence, is not longer than MAX_SPAN, and its key fields agree (figure: category and bounds;
statement: speaker; event: type among the gold's; time: start and end). Matching is greedy and one-to-one in gold
order. An `optional` gold item is never missed, and a prediction that hits it is no false positive. Matched pairs
then have their attributes judged (figure source, statement date, event date and location); entities and the
publication date are judged per article. The semantics are those of the shared seed scorer (score.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Sequence

from .match import (MAX_SPAN, Accuracy, Counts, GoldError, Span, as_span, bounds_ok, clip, date_ok, date_text, fits,
                    gold_spans, hits, load_jsonl, name_of, norm, occurrences, outcome, same_name, source_key)

KINDS = ("figures", "statements", "events", "times")
ATTRIBUTES = ("figure_source", "statement_date", "event_date", "event_location", "entities", "published")


# --- gold records ----------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True, kw_only=True)
class GoldItem:
    """Where an annotated item sits (evidence text or `at` offsets) and whether finding it is optional."""

    evidence: str | None = None
    at: Span | None = None
    optional: bool = False

    def spans(self, text: str) -> list[Span]:
        return gold_spans({"evidence": self.evidence, "at": self.at}, text)

    def agrees(self, pred: dict) -> bool:
        raise NotImplementedError

    def attributes(self, pred: dict) -> Iterator[tuple[str, bool, Any, Any]]:
        """(attribute, right?, expected, got) for each attribute this gold item states."""
        return iter(())

    def label(self) -> str:
        return self.evidence or f"at {self.at}"


@dataclass(frozen=True, slots=True, kw_only=True)
class GoldFigure(GoldItem):
    category: str
    low: int | float | None = None
    high: int | float | None = None
    vague: bool = False
    source: str | None = None      # the claimant; None when the text itself states the number

    def agrees(self, pred: dict) -> bool:
        return pred.get("category") == self.category and bounds_ok(pred, {"low": self.low, "high": self.high,
                                                                         "vague": self.vague})

    def attributes(self, pred):
        if self.source:
            got = name_of(pred.get("source"))
            yield "figure_source", same_name(got, self.source), self.source, got


@dataclass(frozen=True, slots=True, kw_only=True)
class GoldStatement(GoldItem):
    speaker: str
    date: str | None = None

    def agrees(self, pred: dict) -> bool:
        return same_name(name_of(pred.get("speaker")), self.speaker)

    def attributes(self, pred):
        if self.date:
            yield "statement_date", date_ok(pred.get("date"), self.date) is True, self.date, pred.get("date")


@dataclass(frozen=True, slots=True, kw_only=True)
class GoldEvent(GoldItem):
    types: tuple[str, ...]
    date: str | None = None        # 'YYYY-MM-DD' or 'start/end'
    location: str | None = None

    def agrees(self, pred: dict) -> bool:
        return pred.get("type") in self.types

    def attributes(self, pred):
        if self.date:
            got = pred.get("date") or {}
            yield "event_date", date_ok(got, self.date) is True, self.date, date_text(got)
        if self.location:
            got = name_of(pred.get("location"))
            yield "event_location", same_name(got, self.location), self.location, got


@dataclass(frozen=True, slots=True, kw_only=True)
class GoldTime(GoldItem):
    start: str
    end: str

    def agrees(self, pred: dict) -> bool:
        return date_ok(pred, f"{self.start}/{self.end}") is True


@dataclass(frozen=True, slots=True)
class GoldEntity:
    """Every alias must sit in one predicted entity of this type whose name is this name."""

    name: str
    type: str
    aliases: tuple[str, ...]

    def found_in(self, entities: Sequence[dict], text: str) -> bool:
        alias_spans = [occurrences(text, a) for a in self.aliases]
        for ent in entities:
            if ent.get("type") != self.type or norm(ent.get("name")) != norm(self.name):
                continue
            if all(any(hits(m, spans) for m in ent.get("mentions") or []) for spans in alias_spans):
                return True
        return False


@dataclass(frozen=True, slots=True)
class GoldDoc:
    file: str
    published: str | None = None
    title: str | None = None
    figures: tuple[GoldFigure, ...] = ()
    statements: tuple[GoldStatement, ...] = ()
    events: tuple[GoldEvent, ...] = ()
    times: tuple[GoldTime, ...] = ()
    entities: tuple[GoldEntity, ...] = ()

    def items(self, kind: str) -> tuple[GoldItem, ...]:
        return getattr(self, kind)

    @classmethod
    def from_json(cls, row: dict) -> GoldDoc:
        if not row.get("file"):
            raise GoldError(f"gold row without 'file': {str(row)[:80]}…; add the source name")
        try:
            return cls(
                file=row["file"], published=row.get("published"), title=row.get("title"),
                figures=tuple(GoldFigure(**_place(g), category=g["category"], low=g.get("low"), high=g.get("high"),
                                         vague=any(g.get(k) for k in ("vague", "approx")), source=g.get("source"))
                              for g in row.get("figures") or ()),
                statements=tuple(GoldStatement(**_place(g), speaker=g["speaker"], date=g.get("date"))
                                 for g in row.get("statements") or ()),
                events=tuple(GoldEvent(**_place(g), types=tuple(g["type"]), date=g.get("date"),
                                       location=g.get("location")) for g in row.get("events") or ()),
                times=tuple(GoldTime(**_place(g), start=g["start"], end=g["end"]) for g in row.get("times") or ()),
                entities=tuple(GoldEntity(g["name"], g["type"], tuple(g["aliases"]))
                               for g in row.get("entities") or ()),
            )
        except KeyError as err:
            raise GoldError(f"gold row for {row['file']}: an item lacks the field {err}; add it") from err


def _place(g: dict) -> dict:
    if not g.get("evidence") and not g.get("at"):
        raise GoldError(f"gold item without 'evidence' or 'at': {g}; add the words it rests on")
    return {"evidence": g.get("evidence"), "at": tuple(g["at"]) if g.get("at") else None,
            "optional": bool(g.get("optional"))}


def load_gold(path: str | Path) -> list[GoldDoc]:
    return [GoldDoc.from_json(row) for row in load_jsonl(path)]


# --- matching --------------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Matching:
    """The outcome of matching one article's predictions of one kind against its gold items."""

    pairs: tuple[tuple[int, int], ...]     # (prediction index, gold index)
    missed: tuple[int, ...]                # required gold items no prediction matched
    spurious: tuple[int, ...]              # predictions that matched no gold item
    counts: Counts


def match(preds: Sequence[dict], golds: Sequence[GoldItem], text: str, max_span: int) -> Matching:
    """Greedy one-to-one matching in gold order: each gold item takes the first free prediction that hits it."""
    usable = [fits(p.get("span"), max_span) for p in preds]
    used: set[int] = set()
    pairs = []
    for gi, gold in enumerate(golds):
        spans = gold.spans(text)
        for pi, pred in enumerate(preds):
            if pi not in used and usable[pi] and hits(pred.get("span"), spans) and gold.agrees(pred):
                used.add(pi)
                pairs.append((pi, gi))
                break
    matched = {gi for _, gi in pairs}
    missed = tuple(gi for gi, g in enumerate(golds) if not g.optional and gi not in matched)
    spurious = tuple(pi for pi in range(len(preds)) if pi not in used)
    tp = sum(1 for _, gi in pairs if not golds[gi].optional)
    return Matching(tuple(pairs), missed, spurious, Counts(tp, len(spurious), len(missed)))


# --- the report ------------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Finding:
    """One thing the extraction got wrong: a `missed` gold item, a `spurious` prediction, or a `wrong` attribute."""

    file: str
    kind: str          # figures, statements, events, times, or an attribute name
    what: str          # missed | spurious | wrong
    text: str          # the gold evidence, or the predicted span's text
    expected: Any = None
    got: Any = None

    def to_json(self) -> dict:
        return {"file": self.file, "kind": self.kind, "what": self.what, "text": self.text,
                "expected": self.expected, "got": self.got}

    def line(self) -> str:
        return f"{self.file}  {self.kind:<14} {self.what:<8} «{clip(self.text)}»  {outcome(self.expected, self.got)}"


@dataclass(frozen=True, slots=True)
class Report:
    counts: Mapping[str, Counts]                 # by kind, in KINDS order
    accuracies: Mapping[str, Accuracy]           # by attribute, in ATTRIBUTES order
    missing_docs: tuple[str, ...] = ()
    findings: tuple[Finding, ...] = field(default=(), compare=False)

    def metrics(self) -> dict[str, float | None]:
        """Flat metric names → values: 'figures.P', 'figures.R', 'figures.F1', …, 'entities.acc'."""
        out: dict[str, float | None] = {}
        for kind, c in self.counts.items():
            out.update({f"{kind}.P": c.precision, f"{kind}.R": c.recall, f"{kind}.F1": c.f1})
        for attr, a in self.accuracies.items():
            out[f"{attr}.acc"] = a.value
        return out

    def to_json(self, findings: bool = False) -> dict:
        """The shape of score.py's result (rounded to 3 places), plus the findings when asked."""
        out: dict[str, Any] = {"missing_docs": list(self.missing_docs)}
        out.update({k: c.to_json() for k, c in self.counts.items()})
        out.update({k: a.to_json() for k, a in self.accuracies.items()})
        if findings:
            out["findings"] = [f.to_json() for f in self.findings]
        return out

    def table(self, findings: bool = False) -> str:
        lines = [f"no prediction for: {', '.join(self.missing_docs)}"] if self.missing_docs else []
        for kind, c in self.counts.items():
            lines.append(f"{kind:<15} P {c.precision:.3f}  R {c.recall:.3f}  F1 {c.f1:.3f}   "
                         f"(tp {c.tp}, fp {c.fp}, fn {c.fn})")
        for attr, a in self.accuracies.items():
            acc = "n/a" if a.value is None else f"{a.value:.3f}"
            lines.append(f"{attr:<15} accuracy {acc}  ({a.ok}/{a.n})")
        if findings and self.findings:
            lines.append("")
            lines.extend(f.line() for f in self.findings)
        return "\n".join(lines)


# --- scoring ---------------------------------------------------------------------------------------------------

def score(gold: Iterable[GoldDoc | dict], predictions: Iterable[dict], texts: Mapping[str, str]) -> Report:
    """Score contract objects against gold articles. `texts` maps each source (a path or its last part) to the
    article's text exactly as decoded; predictions for sources the gold does not name are ignored."""
    preds = {source_key(p.get("source")): p for p in predictions}
    text_of = {source_key(k): v for k, v in texts.items()}
    counts = {k: Counts() for k in KINDS}
    acc = {k: Accuracy() for k in ATTRIBUTES}
    findings: list[Finding] = []
    missing = []
    for doc in (g if isinstance(g, GoldDoc) else GoldDoc.from_json(g) for g in gold):
        pred = preds.get(doc.file)
        if pred is None:
            missing.append(doc.file)
            pred = {}
        text = text_of.get(doc.file, "")
        if doc.published:
            right = (pred.get("published") or "") == doc.published
            acc["published"] = acc["published"].add(right)
            if not right:
                findings.append(Finding(doc.file, "published", "wrong", doc.title or "", doc.published,
                                        pred.get("published")))
        for kind in KINDS:
            items, got = doc.items(kind), pred.get(kind) or []
            m = match(got, items, text, MAX_SPAN[kind])
            counts[kind] = counts[kind] + m.counts
            findings += [Finding(doc.file, kind, "missed", items[gi].label(), _key(items[gi])) for gi in m.missed]
            findings += [Finding(doc.file, kind, "spurious", _span_text(text, got[pi]), None, _key(got[pi]))
                         for pi in m.spurious]
            for pi, gi in m.pairs:
                for attr, right, expected, value in items[gi].attributes(got[pi]):
                    acc[attr] = acc[attr].add(right)
                    if not right:
                        findings.append(Finding(doc.file, attr, "wrong", items[gi].label(), expected, value))
        for ent in doc.entities:
            right = ent.found_in(pred.get("entities") or [], text)
            acc["entities"] = acc["entities"].add(right)
            if not right:
                findings.append(Finding(doc.file, "entities", "missed", ent.name, list(ent.aliases), ent.type))
    return Report(counts, acc, tuple(missing), tuple(findings))


def _span_text(text: str, pred: dict) -> str:
    span = as_span(pred.get("span"))
    return text[span[0]:span[1]] if span else ""


def _key(item: GoldItem | dict) -> Any:
    """The key fields of a gold item or a prediction, for a finding's message."""
    if isinstance(item, GoldFigure):
        return f"{item.category} {item.low}–{item.high}"
    if isinstance(item, GoldStatement):
        return item.speaker
    if isinstance(item, GoldEvent):
        return "|".join(item.types)
    if isinstance(item, GoldTime):
        return f"{item.start}/{item.end}"
    if isinstance(item, dict):
        if "category" in item:
            return f"{item.get('category')} {item.get('low')}–{item.get('high')}"
        if "speaker" in item:
            return name_of(item.get("speaker"))
        if "type" in item:
            return item.get("type")
        if "start" in item:
            return f"{item.get('start')}/{item.get('end')}"
    return None


def evaluate_paths(gold_path: str | Path, inputs: Sequence[str], options=None) -> Report:
    """Read `inputs` with letopis (any format it ingests), extract them, and score against the gold file."""
    from .. import api
    from ..ingest import IngestOptions, Rejection, read_inputs

    options = options or IngestOptions()
    texts = {item.source: item.text for item in read_inputs(inputs, options) if not isinstance(item, Rejection)}
    return score(load_gold(gold_path), api.extract(inputs, options), texts)
