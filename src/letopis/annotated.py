"""A document's text with its events, statements and figures marked in place, for a person to check.

    ⟦E1 ASSAULT/firearms 2022-01-06 @Алматы: 6 января власти … в Алматы⟧E1

Marks open at a span's start and close at its stop (ids tie the two ends when marks cross); a legend after the text
gives each mark's fields and the rule that produced it. `color=True` adds ANSI colours (events red, statements blue,
figures green) for a terminal.
"""
from __future__ import annotations

from dataclasses import dataclass

COLORS = {"E": "\033[31m", "S": "\033[34m", "F": "\033[32m"}
RESET = "\033[0m"


@dataclass(frozen=True, slots=True)
class Mark:
    start: int
    stop: int
    kind: str        # E, S, F
    id: str          # E1, S2, F3
    label: str       # shown at the opening end
    legend: str      # shown in the legend


def _date(d) -> str:
    if not d:
        return "?"
    if isinstance(d, str):
        return d
    if not d.get("start"):
        return "?"
    return d["start"] if d.get("start") == d.get("end") else f"{d['start']}/{d['end']}"


def _bounds(f: dict) -> str:
    low, high = f.get("low"), f.get("high")
    if low == high:
        return str(low)
    return f"{'' if low is None else low}–{'' if high is None else high}"


def marks(extraction: dict) -> list[Mark]:
    out = []
    for i, ev in enumerate(extraction.get("events") or (), 1):
        where = f" @{ev['location']['name']}" if ev.get("location") else ""
        mode = f"/{ev['mode']}" if ev.get("mode") else ""
        label = f"{ev['type']}{mode} {_date(ev.get('date'))}{where}"
        who = ", ".join(a["name"] for a in ev.get("actors") or ()) or "?"
        whom = ", ".join(t["name"] for t in ev.get("targets") or ()) or "?"
        legend = (f"{label}; trigger «{(ev.get('trigger') or {}).get('text', '')}»; actors: {who}; targets: {whom}; "
                  f"{ev.get('modality', 'asserted')}; figures {ev.get('figures') or []}; rule: {ev.get('rule', '')}")
        out.append(Mark(ev["span"][0], ev["span"][1], "E", f"E{i}", label, legend))
    for i, st in enumerate(extraction.get("statements") or (), 1):
        speaker = (st.get("speaker") or {}).get("name") or "?"
        label = f"{speaker} {_date(st.get('date'))}"
        legend = f"{label}; verb: {st.get('verb') or '—'}; {st.get('kind', '')}; rule: {st.get('rule', '')}"
        out.append(Mark(st["span"][0], st["span"][1], "S", f"S{i}", label, legend))
    for i, f in enumerate(extraction.get("figures") or ()):
        claimant = (f.get("source") or {}).get("name")
        label = f"{f['category']} {_bounds(f)}" + (f" ← {claimant}" if claimant else "")
        legend = f"{label}; rule: {f.get('rule', '')}; claimant rule: {f.get('source_rule') or '—'}"
        out.append(Mark(f["span"][0], f["span"][1], "F", f"F{i}", label, legend))
    return out


def render(text: str, extraction: dict, color: bool = False) -> str:
    """The text with every mark inserted, then the legend."""
    ms = marks(extraction)
    opens: dict[int, list[Mark]] = {}
    closes: dict[int, list[Mark]] = {}
    for m in ms:
        opens.setdefault(m.start, []).append(m)
        closes.setdefault(m.stop, []).append(m)
    paint = (lambda m, s: f"{COLORS[m.kind]}{s}{RESET}") if color else (lambda m, s: s)
    out, last = [], 0
    for pos in sorted(set(opens) | set(closes)):
        out.append(text[last:pos])
        for m in sorted(closes.get(pos, ()), key=lambda m: m.start, reverse=True):
            out.append(paint(m, f"⟧{m.id}"))
        for m in sorted(opens.get(pos, ()), key=lambda m: m.stop, reverse=True):
            out.append(paint(m, f"⟦{m.id} {m.label}: "))
        last = pos
    out.append(text[last:])
    legend = [paint(m, f"{m.id}") + f" [{m.start}, {m.stop}) {m.legend}" for m in ms]
    return "".join(out).rstrip() + "\n\n" + "\n".join(legend) + ("\n" if legend else "")
