"""Geometry for the server-drawn SVG: the timeline of events and the charts of figure claims over time.

Only numbers are computed here; the templates draw them (`_charts.html`), so no script and no inline style is
needed and the pages work without JavaScript. Dates are ISO strings; a month-precision date ("2023-03") is placed
on its first day and marked approximate.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Callable, Sequence


def parse_day(iso: str | None) -> tuple[date | None, bool]:
    """(the day, whether it is only approximate) of '2023-03-05', '2023-03' or '2023'."""
    if not iso:
        return None, False
    try:
        if len(iso) >= 10:
            return date.fromisoformat(iso[:10]), False
        if len(iso) == 7:
            return date(int(iso[:4]), int(iso[5:7]), 1), True
        return date(int(iso[:4]), 1, 1), True
    except ValueError:
        return None, False


def month_end(d: date) -> date:
    nxt = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return nxt - timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Tick:
    pos: float
    label: str
    major: bool = False


def day_ticks(first: date, last: date, to_x: Callable[[date], float], fmt: Callable[[str], str],
              max_ticks: int = 14) -> list[Tick]:
    days = (last - first).days + 1
    step = next(s for s in (1, 2, 3, 7, 14, 30, 61, 91, 182, 365, 10 ** 6) if days / s <= max_ticks)
    out, d = [], first
    while d <= last:
        out.append(Tick(to_x(d), fmt(d.isoformat()), d.day == 1))
        d += timedelta(days=step)
    return out


# --- the timeline ------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Item:
    id: str
    type: str
    x: float
    y: float
    w: float
    label: str
    title: str
    approx: bool


@dataclass(frozen=True, slots=True)
class Lane:
    type: str
    label: str
    y: float
    h: float


@dataclass(slots=True)
class Timeline:
    width: float = 0
    height: float = 0
    lanes: list[Lane] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    gutter: float = 120
    undated: list[dict] = field(default_factory=list)


ROW, LANE_PAD, AXIS, CHAR = 24, 10, 28, 7.4


def timeline(events: Sequence[dict], type_label: Callable[[str], str], title: Callable[[dict], str],
             fmt_day: Callable[[str], str], place: Callable[[dict], str] = lambda ev: "",
             min_width: float = 1180, gutter: float = 124) -> Timeline:
    """Events in lanes by type along a day axis; items of a lane that would overlap (with their labels) go to
    the next row of that lane."""
    out = Timeline(gutter=gutter)
    spans = []
    for ev in events:
        d = ev.get("date") or {}
        start, approx = parse_day(d.get("start"))
        end, approx_end = parse_day(d.get("end") or d.get("start"))
        if start is None:
            out.undated.append(ev)
            continue
        if end is None or end < start:
            end = start
        if approx_end and len((d.get("end") or "")) == 7:
            end = month_end(end)
        spans.append((ev, start, end, approx or approx_end or (d.get("precision") not in (None, "day"))))
    if not spans:
        return out
    first = min(s for _, s, _, _ in spans) - timedelta(days=1)
    last = max(e for _, _, e, _ in spans) + timedelta(days=2)
    days = (last - first).days + 1
    px_per_day = max(26.0, min(90.0, (min_width - gutter) / days))
    to_x = lambda d: gutter + (d - first).days * px_per_day  # noqa: E731
    out.width = gutter + days * px_per_day + 8
    out.ticks = day_ticks(first, last, to_x, fmt_day, max_ticks=max(4, int(days * px_per_day / 70)))
    y = AXIS
    by_type: dict[str, list] = {}
    for s in spans:
        by_type.setdefault(s[0]["type"], []).append(s)
    for type_ in sorted(by_type, key=lambda t: (-len(by_type[t]), t)):
        rows: list[float] = []                               # the right edge taken on each row of the lane
        placed = []
        for ev, start, end, approx in sorted(by_type[type_], key=lambda s: (s[1], s[2], s[0]["id"])):
            x, w = to_x(start), max((end - start).days + 1, 1) * px_per_day - 4
            label = place(ev) or ""
            right = x + max(w, 14 + len(label) * CHAR) + 6
            row = next((i for i, edge in enumerate(rows) if edge <= x), None)
            if row is None:
                rows.append(right)
                row = len(rows) - 1
            else:
                rows[row] = right
            placed.append((ev, x, w, row, label, approx))
        h = len(rows) * ROW + LANE_PAD
        out.lanes.append(Lane(type_, type_label(type_), y, h))
        for ev, x, w, row, label, approx in placed:
            out.items.append(Item(ev["id"], type_, x + 2, y + LANE_PAD / 2 + row * ROW, w, label, title(ev), approx))
        y += h
    out.height = y + 4
    return out


# --- claims over time ----------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Point:
    x: float
    y: float
    y_low: float | None          # a range's bar, from the lower to the upper bound
    y_high: float | None
    open_up: bool                # "не менее": no upper bound
    open_down: bool              # "не более": no lower bound
    approx: bool
    title: str
    href: str | None


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    colour: int
    points: tuple[Point, ...]
    path: str


@dataclass(slots=True)
class Chart:
    title: str
    width: float
    height: float
    left: float
    top: float
    plot_w: float
    plot_h: float
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    series: list[Series]


def nice_step(v: float, ticks: int = 5) -> float:
    """The smallest round step (1, 2, 2.5 or 5 times a power of ten; 2.5 only where it stays whole) that covers
    [0, v] in at most `ticks` steps."""
    if v <= 0:
        return 1
    exp = 10 ** math.floor(math.log10(v / ticks))
    return next(m * exp for m in (1, 2, 2.5, 5, 10) if math.ceil(v / (m * exp) - 1e-9) <= ticks
                and (m != 2.5 or exp >= 10))


def claims_chart(title: str, claims: Sequence, series_of: Callable, point_title: Callable, href: Callable,
                 fmt_day: Callable[[str], str], fmt_num: Callable, width: float = 640, height: float = 230,
                 palette: int = 12) -> Chart | None:
    """One series per claimant: each claim a point on the day it was claimed at its value (a bar for a range,
    an arrow for an open bound). None when no claim has both a day and a number."""
    rows = []
    for c in claims:
        d, approx = parse_day(c.claimed_on)
        values = [v for v in (c.low, c.high) if v is not None]
        if d is not None and values:
            rows.append((c, d, approx))
    if not rows:
        return None
    left, right, top, bottom = 52, 30, 18, 30
    pw, ph = width - left - right, height - top - bottom
    first = min(d for _, d, _ in rows)
    last = max(d for _, d, _ in rows)
    if (last - first).days < 4:
        first, last = first - timedelta(days=2), last + timedelta(days=2)
    span_days = (last - first).days or 1
    peak = max(max(v for v in (c.low, c.high) if v is not None) for c, _, _ in rows) * 1.08
    step = nice_step(peak)
    top_value = math.ceil(peak / step) * step
    to_x = lambda d: left + (d - first).days / span_days * pw  # noqa: E731
    to_y = lambda v: top + ph - v / top_value * ph  # noqa: E731
    groups: dict[str, list] = {}
    for c, d, approx in sorted(rows, key=lambda r: (r[1], r[0].id)):
        groups.setdefault(series_of(c), []).append((c, d, approx))
    series = []
    n = len(groups)
    dodge = min(5.0, 48.0 / n) if n > 1 else 0.0     # claimants on one day sit side by side, not on each other
    for i, (name, items) in enumerate(sorted(groups.items(), key=lambda kv: (kv[1][0][1], kv[0]))):
        points = []
        shift = (i - (n - 1) / 2) * dodge
        for c, d, approx in items:
            lo, hi = c.low, c.high
            rep = hi if hi is not None and lo is not None else (lo if lo is not None else hi)
            ranged = lo is not None and hi is not None and lo != hi
            points.append(Point(round(to_x(d) + shift, 1), round(to_y(rep), 1),
                                round(to_y(lo), 1) if ranged else None, round(to_y(hi), 1) if ranged else None,
                                hi is None, lo is None, approx, point_title(c), href(c)))
        path = " ".join(f"{'M' if j == 0 else 'L'}{p.x},{p.y}" for j, p in enumerate(points))
        series.append(Series(name, i % palette, tuple(points), path))
    y_ticks = [Tick(round(to_y(step * k), 1), fmt_num(step * k)) for k in range(round(top_value / step) + 1)]
    x_ticks = day_ticks(first, last, lambda d: round(to_x(d), 1), fmt_day, max_ticks=7)
    return Chart(title, width, height, left, top, pw, ph, x_ticks, y_ticks, series)
