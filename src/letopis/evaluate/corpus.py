"""Score the corpus view (`letopis events` and `letopis figures`, CONTRACT.md "Across documents") against gold.

The gold (`examples/.gold/corpus.jsonl`) holds two kinds of lines:

    {"kind": "event", "id": "A1", "type": ["ASSAULT"], "date": "2023-03-03", "location": "Шахтинск",
     "mentions": [{"file": "01_….md", "evidence": "…"}, …]}
    {"kind": "figure", "event": "A1", "category": "killed", "low": null, "high": 12, "claimant": "…",
     "claimed_on": "2023-03-04", "file": "01_….md", "evidence": "…"}

Event clusters. A predicted mention ({source, span}) is aligned to a gold mention when it names the same article
and its span (at most MAX_SPAN["events"] long) hits an occurrence of the evidence; alignment is greedy and
one-to-one in gold order. B-cubed over mentions then says how well the predicted events group the aligned
mentions: precision averages, over aligned predicted mentions, the share of their predicted event's aligned
mentions that belong to the same gold event; recall averages, over every gold mention, the share of its gold
event's mentions that sit in the same predicted event (an unfound mention counts 0). Predicted mentions no gold
mention covers are left out of precision, because the gold lists only the events it is sure of.
A gold event is matched by the predicted event holding most of its aligned mentions; that event's type, date
and location are judged.

The ledger. A predicted claim matches a gold claim by article, span hit (at most MAX_SPAN["figures"]), category
and bounds, greedy one-to-one; the gold ledger lists every claim, so unmatched predictions are false positives.
Matched claims have their claimant, claim date and event link judged.
Only predictions from articles in `texts` are scored.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from .match import (MAX_SPAN, Accuracy, Counts, GoldError, Span, as_span, bounds_ok, clip, date_ok, date_text, fits,
                    gold_spans, hits, load_jsonl, name_of, outcome, same_name, source_key)

EVENT_ATTRIBUTES = ("event_type", "event_date", "event_location")
CLAIM_ATTRIBUTES = ("claimant", "claimed_on", "figure_event")


# --- gold records ----------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class GoldMention:
    file: str
    evidence: str | None = None
    at: Span | None = None

    def spans(self, text: str) -> list[Span]:
        return gold_spans({"evidence": self.evidence, "at": self.at}, text)


@dataclass(frozen=True, slots=True)
class GoldEventCluster:
    """One real-world event and the places in the corpus that report it."""

    id: str
    types: tuple[str, ...]
    date: str | None
    location: str | None
    mentions: tuple[GoldMention, ...]


@dataclass(frozen=True, slots=True)
class GoldClaim:
    """One figure claim of the ledger: a number, who claimed it and when, where the words are."""

    file: str
    evidence: str | None
    category: str
    low: int | float | None
    high: int | float | None
    vague: bool = False
    claimant: str | None = None
    claimed_on: str | None = None
    event: str | None = None
    optional: bool = False
    at: Span | None = None

    def spans(self, text: str) -> list[Span]:
        return gold_spans({"evidence": self.evidence, "at": self.at}, text)

    def agrees(self, pred: dict) -> bool:
        return pred.get("category") == self.category and bounds_ok(
            pred, {"low": self.low, "high": self.high, "vague": self.vague})


@dataclass(frozen=True, slots=True)
class CorpusGold:
    events: tuple[GoldEventCluster, ...]
    claims: tuple[GoldClaim, ...]

    @classmethod
    def from_rows(cls, rows: Iterable[dict]) -> CorpusGold:
        events, claims = [], []
        for row in rows:
            try:
                if row.get("kind") == "event":
                    events.append(GoldEventCluster(
                        row["id"], tuple(row["type"]), row.get("date"), row.get("location"),
                        tuple(GoldMention(m["file"], m.get("evidence"), tuple(m["at"]) if m.get("at") else None)
                              for m in row["mentions"])))
                elif row.get("kind") == "figure":
                    claims.append(GoldClaim(
                        row["file"], row.get("evidence"), row["category"], row.get("low"), row.get("high"),
                        any(row.get(k) for k in ("vague", "approx")), row.get("claimant"), row.get("claimed_on"),
                        row.get("event"), bool(row.get("optional")), tuple(row["at"]) if row.get("at") else None))
                else:
                    raise GoldError(f"corpus gold line of unknown kind {row.get('kind')!r}; use 'event' or 'figure'")
            except KeyError as err:
                raise GoldError(f"corpus gold line lacks the field {err}: {str(row)[:100]}") from err
        ids = [e.id for e in events]
        if len(set(ids)) != len(ids):
            twice = sorted(i for i, n in Counter(ids).items() if n > 1)
            raise GoldError(f"duplicate event ids in corpus gold: {twice}; give each event its own id")
        unknown = {c.event for c in claims if c.event and c.event not in set(ids)}
        if unknown:
            raise GoldError(f"figures point at undefined events {sorted(unknown)}; define them or use null")
        return cls(tuple(events), tuple(claims))


def load_corpus_gold(path: str | Path) -> CorpusGold:
    return CorpusGold.from_rows(load_jsonl(path))


# --- the report ------------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class BCubed:
    precision: float = 0.0
    recall: float = 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_json(self) -> dict:
        return {"P": round(self.precision, 3), "R": round(self.recall, 3), "F1": round(self.f1, 3)}


@dataclass(frozen=True, slots=True)
class CorpusFinding:
    kind: str          # mentions, clusters, event_type, …, ledger, claimant, …
    what: str          # missed | spurious | wrong | split | merged
    where: str         # an event id, or "file: evidence"
    expected: Any = None
    got: Any = None

    def to_json(self) -> dict:
        return {"kind": self.kind, "what": self.what, "where": self.where, "expected": self.expected, "got": self.got}

    def line(self) -> str:
        return f"{self.kind:<14} {self.what:<8} {clip(self.where, 110)}  {outcome(self.expected, self.got)}"


@dataclass(frozen=True, slots=True)
class CorpusReport:
    clusters: BCubed
    mentions: Accuracy                     # gold mentions some predicted mention covers
    events: Mapping[str, Accuracy]         # EVENT_ATTRIBUTES of matched gold events
    ledger: Counts
    claims: Mapping[str, Accuracy]         # CLAIM_ATTRIBUTES of matched claims
    findings: tuple[CorpusFinding, ...] = field(default=(), compare=False)

    def metrics(self) -> dict[str, float | None]:
        out: dict[str, float | None] = {"clusters.P": self.clusters.precision, "clusters.R": self.clusters.recall,
                                        "clusters.F1": self.clusters.f1, "mentions.recall": self.mentions.value,
                                        "ledger.P": self.ledger.precision, "ledger.R": self.ledger.recall,
                                        "ledger.F1": self.ledger.f1}
        out.update({f"{k}.acc": a.value for k, a in self.events.items()})
        out.update({f"{k}.acc": a.value for k, a in self.claims.items()})
        return out

    def to_json(self, findings: bool = False) -> dict:
        out: dict[str, Any] = {"clusters": self.clusters.to_json(), "mentions": self.mentions.to_json(),
                               "ledger": self.ledger.to_json()}
        out.update({k: a.to_json() for k, a in {**self.events, **self.claims}.items()})
        if findings:
            out["findings"] = [f.to_json() for f in self.findings]
        return out

    def table(self, findings: bool = False) -> str:
        c, lg = self.clusters, self.ledger
        lines = [f"{'clusters (B3)':<15} P {c.precision:.3f}  R {c.recall:.3f}  F1 {c.f1:.3f}",
                 f"{'ledger':<15} P {lg.precision:.3f}  R {lg.recall:.3f}  F1 {lg.f1:.3f}   "
                 f"(tp {lg.tp}, fp {lg.fp}, fn {lg.fn})"]
        for name, a in {"mentions": self.mentions, **self.events, **self.claims}.items():
            acc = "n/a" if a.value is None else f"{a.value:.3f}"
            lines.append(f"{name:<15} accuracy {acc}  ({a.ok}/{a.n})")
        if findings and self.findings:
            lines.append("")
            lines.extend(f.line() for f in self.findings)
        return "\n".join(lines)


# --- scoring ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Mention:
    event: int          # index of its (gold or predicted) event
    file: str
    span: Span | None   # predicted mentions only


def _gold_mentions(gold: CorpusGold) -> list[tuple[int, GoldMention]]:
    return [(ei, m) for ei, ev in enumerate(gold.events) for m in ev.mentions]


def _pred_mentions(events: Sequence[dict], files: set[str]) -> list[_Mention]:
    out = []
    for ei, ev in enumerate(events):
        for m in ev.get("mentions") or []:
            src = source_key(m.get("source"))
            if src in files:
                out.append(_Mention(ei, src, as_span(m.get("span"))))
    return out


def align(gold: CorpusGold, pred: list[_Mention], texts: Mapping[str, str]) -> dict[int, int]:
    """Gold mention index → predicted mention index, greedy and one-to-one in gold order."""
    aligned: dict[int, int] = {}
    used: set[int] = set()
    for gi, (_, gm) in enumerate(_gold_mentions(gold)):
        spans = gm.spans(texts.get(gm.file, ""))
        for pi, pm in enumerate(pred):
            if (pi not in used and pm.file == gm.file and fits(pm.span, MAX_SPAN["events"])
                    and hits(pm.span, spans)):
                aligned[gi] = pi
                used.add(pi)
                break
    return aligned


def bcubed(gold_of: Sequence[int], pred_of: Sequence[int | None]) -> BCubed:
    """B-cubed over gold mentions: gold_of[i] is mention i's gold event, pred_of[i] its predicted event or None.

    Precision runs over the found mentions only; recall over all, an unfound mention scoring 0."""
    if not gold_of:
        return BCubed()
    found = [i for i, p in enumerate(pred_of) if p is not None]
    gold_size = Counter(gold_of)
    pred_size = Counter(pred_of[i] for i in found)
    both = Counter((gold_of[i], pred_of[i]) for i in found)      # found mentions per (gold, predicted) pair
    precision = sum(both[gold_of[i], pred_of[i]] / pred_size[pred_of[i]] for i in found) / len(found) if found else 0.0
    recall = sum(both[gold_of[i], pred_of[i]] / gold_size[gold_of[i]] for i in found) / len(gold_of)
    return BCubed(precision, recall)


def score_corpus(gold: CorpusGold | Iterable[dict], events: Iterable[dict], figures: Iterable[dict],
                 texts: Mapping[str, str]) -> CorpusReport:
    """Score `letopis events` lines and `letopis figures` lines (dicts) against the corpus gold.
    `texts` maps each article's source (a path or its last part) to its text exactly as decoded."""
    gold = gold if isinstance(gold, CorpusGold) else CorpusGold.from_rows(gold)
    text_of = {source_key(k): v for k, v in texts.items()}
    events, figures = list(events), list(figures)
    findings: list[CorpusFinding] = []

    gmentions = _gold_mentions(gold)
    pmentions = _pred_mentions(events, set(text_of))
    aligned = align(gold, pmentions, text_of)
    gold_of = [ei for ei, _ in gmentions]
    pred_of = [pmentions[aligned[i]].event if i in aligned else None for i in range(len(gmentions))]
    clusters = bcubed(gold_of, pred_of)
    mentions = Accuracy(len(aligned), len(gmentions))
    findings += [CorpusFinding("mentions", "missed", f"{gold.events[ei].id} {gm.file}: {gm.evidence or gm.at}")
                 for i, (ei, gm) in enumerate(gmentions) if i not in aligned]

    # each gold event ↔ the predicted event holding most of its mentions; each predicted event ↔ its majority gold
    best: dict[int, int] = {}
    for ei, ev in enumerate(gold.events):
        votes = Counter(pred_of[i] for i in range(len(gmentions)) if gold_of[i] == ei and pred_of[i] is not None)
        if votes:
            best[ei] = votes.most_common(1)[0][0]
            if len(votes) > 1:
                findings.append(CorpusFinding("clusters", "split", ev.id, 1, len(votes)))
    owner: dict[Any, str] = {}
    for pe in set(p for p in pred_of if p is not None):
        votes = Counter(gold_of[i] for i in range(len(gmentions)) if pred_of[i] == pe)
        owner[events[pe].get("id")] = gold.events[votes.most_common(1)[0][0]].id
        if len(votes) > 1:
            findings.append(CorpusFinding("clusters", "merged", str(events[pe].get("id")),
                                          1, sorted(gold.events[g].id for g in votes)))

    ev_acc = {k: Accuracy() for k in EVENT_ATTRIBUTES}
    for ei, pe in best.items():
        g, p = gold.events[ei], events[pe]
        judged = [("event_type", "|".join(g.types), p.get("type"), p.get("type") in g.types)]
        if g.date:
            right = date_ok(p.get("date") or {}, g.date) is True
            judged.append(("event_date", g.date, date_text(p.get("date")), right))
        if g.location:
            got = name_of(p.get("location"))
            judged.append(("event_location", g.location, got, same_name(got, g.location)))
        for attr, expected, got, right in judged:
            ev_acc[attr] = ev_acc[attr].add(right)
            if not right:
                findings.append(CorpusFinding(attr, "wrong", g.id, expected, got))

    ledger, claim_acc, claim_findings = _score_ledger(gold, figures, text_of, owner)
    return CorpusReport(clusters, mentions, ev_acc, ledger, claim_acc, tuple(findings + claim_findings))


def _score_ledger(gold: CorpusGold, figures: list[dict], texts: Mapping[str, str],
                  owner: Mapping[Any, str]) -> tuple[Counts, dict[str, Accuracy], list[CorpusFinding]]:
    preds = [f for f in figures if source_key(f.get("source")) in texts]
    used: set[int] = set()
    pairs: list[tuple[GoldClaim, dict]] = []
    findings: list[CorpusFinding] = []
    for claim in gold.claims:
        spans = claim.spans(texts.get(claim.file, ""))
        for pi, p in enumerate(preds):
            if (pi not in used and source_key(p.get("source")) == claim.file
                    and fits(p.get("span"), MAX_SPAN["figures"]) and hits(p.get("span"), spans) and claim.agrees(p)):
                used.add(pi)
                pairs.append((claim, p))
                break
        else:
            if not claim.optional:
                findings.append(CorpusFinding("ledger", "missed", f"{claim.file}: {claim.evidence or claim.at}",
                                              f"{claim.category} {claim.low}–{claim.high}"))
    tp = sum(1 for c, _ in pairs if not c.optional)
    required = sum(1 for c in gold.claims if not c.optional)
    for pi, p in enumerate(preds):
        if pi not in used:
            span = as_span(p.get("span"))
            words = texts[source_key(p.get("source"))][span[0]:span[1]] if span else ""
            findings.append(CorpusFinding("ledger", "spurious", f"{source_key(p.get('source'))}: {words}", None,
                                          f"{p.get('category')} {p.get('low')}–{p.get('high')}"))
    acc = {k: Accuracy() for k in CLAIM_ATTRIBUTES}
    for claim, p in pairs:
        judged = []
        if claim.claimant:
            got = name_of(p.get("claimant"))
            judged.append(("claimant", claim.claimant, got, same_name(got, claim.claimant)))
        if claim.claimed_on:
            judged.append(("claimed_on", claim.claimed_on, p.get("claimed_on"),
                           date_ok(p.get("claimed_on"), claim.claimed_on) is True))
        if claim.event:
            got = owner.get(p.get("event")) if p.get("event") is not None else None
            judged.append(("figure_event", claim.event, got, got == claim.event))
        for attr, expected, got, right in judged:
            acc[attr] = acc[attr].add(right)
            if not right:
                findings.append(CorpusFinding(attr, "wrong", f"{claim.file}: {claim.evidence or claim.at}",
                                              expected, got))
    return Counts(tp, len(preds) - len(used), required - tp), acc, findings


def evaluate_corpus_paths(gold_path: str | Path, inputs: Sequence[str], db: str | Path | None = None,
                          options=None) -> CorpusReport:
    """Ingest `inputs` into a store (a fresh temporary one unless `db` is given), read its events and figure
    ledger (`letopis events`, `letopis figures`) and score them against the corpus gold."""
    import tempfile

    from .. import api
    from ..ingest import IngestOptions, Rejection, read_inputs

    options = options or IngestOptions()
    texts = {item.source: item.text for item in read_inputs(inputs, options) if not isinstance(item, Rejection)}
    gold = load_corpus_gold(gold_path)
    if db is not None:
        api.ingest(inputs, str(db), options)
        return score_corpus(gold, api.events(str(db)), api.figures(str(db)), texts)
    with tempfile.TemporaryDirectory(prefix="letopis-eval-") as tmp:
        path = str(Path(tmp) / "corpus.db")
        api.ingest(inputs, path, options)
        return score_corpus(gold, api.events(path), api.figures(path), texts)
