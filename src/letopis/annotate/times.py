"""Time expressions in Russian news text, each resolved to a start day, an end day and a precision.

    >>> [t.start for t in find_times("Митинг прошел 9 января.", PartialDate(2022, 1))]
    ['2022-01-09']

The words live in `lexicons/time_words.yaml`; this module compiles them once into a short list of regex
rules, finds every candidate, keeps the longest non-overlapping ones and resolves them in text order:

* a day without a year takes the year (previous, same or next) that puts it closest to the anchor, the
  publication date, counted from mid-month or mid-year when the anchor says no more; an undated article
  uses the latest fully specified date written before the expression, failing that the first one after it;
* relative words ("вчера", "на прошлой неделе", "месяц назад") count from the anchor and resolve only when
  the anchor is at least as precise as their unit; "через три дня" counts from the last day named before it
  (the evening of a night, the last day of a range), else from the anchor;
* an expression that cannot be resolved keeps its span, with null start and end.

Decisions: a clock time alone ("в 18.00") names no day and is skipped; a clock interval ("с 18.00 до 19.00")
is a time of the anchor day and carries its hours in `clock`. A year number needs a year word ("в 2011
году", "2022 год") or a month before it, so a count such as "2022 человека" never matches. A month named
alone needs a preposition ("в январе", "к марту"); the adjective ("январские события") is never a time.
Nothing inside a URL or a Markdown link target is a time.
"""
from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Callable

import yaml

from ..ingest.document import PartialDate
from .masks import mask_spans

LEXICON_PATH = Path(__file__).with_name("lexicons") / "time_words.yaml"
PRECISIONS = ("day", "week", "month", "year", "decade")
RANK = {p: i for i, p in enumerate(PRECISIONS)}
COARSER = dict(zip(PRECISIONS, PRECISIONS[1:] + ("decade",)))
_URL = re.compile(r"(?:https?://|www\.)\S+|\]\([^)\s]*\)")
_NEXT_WORD = re.compile(r"\s+([А-ЯЁа-яё]+)(?!\w)")


@dataclass(frozen=True, slots=True)
class TimeExpr:
    """A time expression: its span in the text, the days it covers (ISO, inclusive) and the rule that fired."""

    span: tuple[int, int]
    text: str
    start: str | None
    end: str | None
    precision: str | None
    rule: str
    clock: tuple[str, str] | None = None   # "18:00", "19:00" for a clock interval

    def to_json(self) -> dict:
        d = {"span": list(self.span), "text": self.text, "start": self.start, "end": self.end,
             "precision": self.precision, "rule": self.rule}
        if self.clock:
            d["clock"] = list(self.clock)
        return d

    @classmethod
    def from_json(cls, d: dict) -> TimeExpr:
        clock = d.get("clock")
        return cls(tuple(d["span"]), d["text"], d.get("start"), d.get("end"), d.get("precision"),
                   d["rule"], tuple(clock) if clock else None)


@dataclass(frozen=True, slots=True)
class _Value:
    start: date | None
    end: date | None
    precision: str
    ref: date | None = None                 # the day a later "через три дня" counts from
    clock: tuple[str, str] | None = None


@dataclass(slots=True)
class _Context:
    """What resolution needs: the anchor, the fully specified dates of the text, the last day named so far."""

    anchor: PartialDate | None
    fixed: list[tuple[int, date]] = field(default_factory=list)
    last_day: date | None = None
    last_any: date | None = None            # the last day of any resolved time, for "в том же году"
    lead_day: date | None = None            # the first day the text names: the day of its news

    def year_ref(self, pos: int) -> date | None:
        """The day a date without a year is placed closest to."""
        a = self.anchor
        if a:
            return date(a.year, a.month or 7, a.day or (15 if a.month else 1))
        before = [d for p, d in self.fixed if p < pos]
        after = [d for p, d in self.fixed if p >= pos]
        return before[-1] if before else after[0] if after else None

    def anchor_for(self, unit: str) -> date | None:
        """The anchor's first day, when the anchor is at least as precise as `unit`."""
        a = self.anchor
        return a.first_day() if a and RANK[a.precision] <= RANK[unit] else None


@dataclass(frozen=True, slots=True)
class _Reading:
    span: tuple[int, int]
    rule: str
    resolve: Callable[[_Context, int], _Value]
    fixed: date | None = None               # a fully specified date: anchors partial dates in an undated text


def _last(y: int, m: int) -> int:
    return calendar.monthrange(y, m)[1]


def _shift(d: date, unit: str, n: int) -> date:
    if unit in ("day", "week"):
        return d + timedelta(days=n * (7 if unit == "week" else 1))
    y, m = divmod(d.year * 12 + d.month - 1 + n * (1 if unit == "month" else 12), 12)
    return date(y, m + 1, min(d.day, _last(y, m + 1)))


def _bounds(d: date, unit: str) -> tuple[date, date]:
    if unit == "day":
        return d, d
    if unit == "week":
        s = d - timedelta(days=d.weekday())
        return s, s + timedelta(days=6)
    if unit == "month":
        return d.replace(day=1), d.replace(day=_last(d.year, d.month))
    y = d.year if unit == "year" else d.year - d.year % 10
    return date(y, 1, 1), date(y + (0 if unit == "year" else 9), 12, 31)


def _closest(month: int, day: int, ref: date) -> date | None:
    """The date of day/month in the year before, of or after `ref` that lies closest to it."""
    options = [date(y, month, day) for y in (ref.year - 1, ref.year, ref.year + 1) if day <= _last(y, month)]
    return min(options, key=lambda d: abs((d - ref).days)) if options else None


def _key(s: str) -> str:
    return " ".join(s.lower().replace("ё", "е").split())


def _alt(words, name: str | None = None) -> str:
    """Regex alternation of lexicon words: longest first, any whitespace between words, е matching ё (the rules are
    compiled with re.I). Written as a trie (`_trie`), which the regex engine walks a character at a time instead of
    trying every word in turn; words with ё, which [её] would also match, keep the plain list."""
    words = list(words)
    if any("ё" in w.lower() for w in words):
        one = [r"\s+".join(re.escape(p).replace("е", "[её]") for p in w.split()) for w in words]
        body = "|".join(sorted(one, key=len, reverse=True))
    else:
        body = _trie([tuple(" ".join(w.lower().split())) for w in words])
    return f"(?P<{name}>{body})" if name else f"(?:{body})"


def _unit(c: str) -> str:
    return r"\s+" if c == " " else "[её]" if c == "е" else re.escape(c)


def _trie(words: list[tuple[str, ...]]) -> str:
    """The alternation of `words` (as characters) factored by common prefixes: at each character the longer words
    are tried first and ending there last, as the plain alternation sorted longest first tries them."""
    children: dict[str, list[tuple[str, ...]]] = {}
    ends = False
    for w in dict.fromkeys(words):
        if w:
            children.setdefault(w[0], []).append(w[1:])
        else:
            ends = True
    longest = {c: max(map(len, rest)) for c, rest in children.items()}
    branches = [_unit(c) + (_group(_trie(rest)) if any(rest) else "")
                for c, rest in sorted(children.items(), key=lambda kv: -longest[kv[0]])]
    if ends:
        branches.append("")
    return "|".join(branches)


def _group(body: str) -> str:
    return f"(?:{body})" if "|" in body else body


def _fixed(start: date, end: date, precision: str, ref: date | None = None) -> Callable:
    value = _Value(start, end, precision, ref)
    return lambda ctx, pos: value


class _Grammar:
    """The lexicon compiled into rules: (name, regex, parse), where parse turns a match into a _Reading."""

    def __init__(self, lex: dict):
        self.months = {_key(f): int(m) for m, forms in lex["months"].items() for f in forms}
        self.parts = {_key(f): p for p in lex["parts"] for f in p["forms"]}
        self.part_precision = lex["part_precision"]
        self.decades = {_key(stem): y for stem, y in lex["decade_words"].items()}
        self.pivot = lex["two_digit_decade_pivot"]
        self.rel_days = {_key(w): n for w, n in lex["relative_days"].items()}
        self.periods = {_key(w): p for w, p in lex["relative_periods"].items()}
        self.numbers = {_key(w): (n if isinstance(n, list) else [n, n]) for w, n in lex["numbers"].items()}
        self.units = {_key(w): u for w, u in lex["units"].items()}
        self.eve = (_key(lex["eve_word"]), tuple(lex["eve_blocking_endings"]),
                    tuple(lex["eve_blocking_endings_capitalized"]), tuple(lex["eve_verb_endings"]))
        self.later = {_key(w) for w in lex["later_words"]}
        self.weekdays = {_key(f): int(n) for n, forms in lex["weekdays"].items() for f in forms}
        self.weekday_past = {_key(w) for w in lex["weekday_past"]}
        self.weekday_next = {_key(w) for w in lex["weekday_next"]}
        self.future_cues = re.compile(rf"(?<!\w){_alt(lex['future_cues'])}(?!\w)", re.I)
        self.ana_days = {_key(w): n for w, n in lex["anaphoric_days"].items()}
        self.ana_periods = {_key(w): u for w, u in lex["anaphoric_periods"].items()}
        B, E = r"(?<![\w.,:/-])", r"(?!\w)"
        mon = lambda n: _alt(self.months, n) + E
        day = lambda n: rf"(?P<{n}>[12]\d|3[01]|0?[1-9])(?!\d)(?:-?(?:го|е|ое))?"
        yw, ysw = _alt(lex["year_words"]) + E, _alt(lex["years_words"]) + E
        year = lambda n, w="?": rf"(?P<{n}>1[89]\d\d|2[01]\d\d)(?!\d)(?:\s*(?:-?м\s+)?{yw}){w}"
        tod = lambda n: _alt(lex["times_of_day"], n) + E
        prep = _alt(lex["month_prepositions"])
        part = r"(?:в|во|к|ко|с|со|до|по)\s+" + _alt(self.parts, "part") + r"\s+"
        numbers = r"(?P<n>\d{1,3}|" + _alt(self.numbers)[3:]
        units = _alt(self.units, "u") + E
        decade_words = "(?P<w>" + _alt(self.decades) + r"(?:ые|ых|ым|ыми))" + E
        dm2 = rf"{day('d2')}\s+{mon('m2')}(?:\s+{year('y')})?"
        wd = rf"{_alt(lex['weekday_prepositions'])}\s+(?:(?P<q>{_alt(self.weekday_past | self.weekday_next)})\s+)?" \
             rf"{_alt(self.weekdays, 'wd')}{E}"
        rules = [
            ("night", rf"(?<!\w)(?:в\s+)?ночь\s+(?:со?\s+{day('d1')}(?:\s+{mon('m1')})?\s+)?на\s+{dm2}", self._range),
            ("range", rf"{B}со?\s+{day('d1')}(?:\s+{mon('m1')}(?:\s+{year('y1')})?)?\s+(?:по|до)\s+{dm2}",
             self._range),
            ("range", rf"{B}{day('d1')}(?:\s+{mon('m1')})?\s*[-–—]\s*{dm2}", self._range),
            ("date", rf"{B}(?:{tod('tod')}\s+)?{day('d')}\s+{mon('m')}(?:\s+{year('y')})?(?:\s+{tod('tod2')})?",
             self._date),
            ("date.weekday", rf"(?<!\w){wd}\s*,?\s+{day('d')}\s+{mon('m')}(?:\s+{year('y')})?", self._date),
            ("date.apposition", rf"(?<!\w){_alt(self.ana_days)}{E}\s*,\s+{day('d')}\s+{mon('m')}"
                                rf"(?:\s+{year('y')})?", self._date),
            ("numeric.dmy", rf"{B}(?P<d>[0-3]?\d)\.(?P<m>[01]?\d)\.{year('y')}(?!\d|[.,]\d)", self._date),
            ("numeric.iso", rf"(?<![\w./-])(?P<y>1[89]\d\d|2[01]\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?!\d|-\d|/)",
             self._date),
            ("month.part", rf"(?<!\w){part}{mon('m')}(?:\s+{year('y')})?", self._month),
            ("month.year", rf"(?<!\w)(?:{prep}\s+)?{mon('m')}\s+{year('y')}", self._month),
            ("month", rf"(?<!\w){prep}\s+{mon('m')}", self._month),
            ("year.part", rf"(?<!\w){part}{year('y', '')}", self._year),
            ("year.range", rf"{B}(?P<y>1[89]\d\d|2[01]\d\d)\s*[-–—]\s*(?P<y2>1[89]\d\d|2[01]\d\d)\s*{ysw}",
             self._year),
            ("year", rf"{B}(?:во?\s+)?{year('y', '')}", self._year),
            ("decade", rf"{B}(?:(?P<prep>в|во|с|со|до|к|ко|по)\s+)?(?:{part})?(?P<y>\d{{4}}|\d\d)-?(?:е|х|ые|ых)"
                       rf"(?!\w)(?P<yw>\s+{ysw})?", self._decade),
            ("decade.word", rf"(?<!\w)(?:{part}|(?:в|во|с|со|до|к|ко|по)\s+)?{decade_words}(?:\s+{ysw})?",
             self._decade),
            ("clock.range", r"(?<!\w)с\s+(?P<h1>[01]?\d|2[0-4])(?:[.:](?P<n1>[0-5]\d))?\s+до\s+(?P<h2>[01]?\d|2[0-4])"
                            r"(?:[.:](?P<n2>[0-5]\d))?(?!\d|[.,]\d)(?P<hours>\s+час(?:ов|а)?(?!\w))?"
                            r"(?!\s*(?:%|проц|руб|долл|евро|тенге|тыс|млн|млрд))", self._clock),
            ("relative.day", rf"(?<!\w)(?:{tod('tod')}\s+)?{_alt(self.rel_days, 'w')}{E}(?:\s+{tod('tod2')})?",
             self._relative_day),
            ("relative.period", rf"(?<!\w){_alt(self.periods, 'w')}{E}", self._period),
            ("weekday", rf"(?<!\w){wd}(?:\s+{tod('tod2')})?", self._weekday),
            ("anaphoric.day", rf"(?<!\w)(?:{tod('tod')}\s+)?{_alt(self.ana_days, 'w')}{E}", self._anaphoric_day),
            ("anaphoric.period", rf"(?<!\w){_alt(self.ana_periods, 'w')}{E}", self._anaphoric_period),
            ("relative.ago", rf"(?<!\w)(?:(?P<exact>{lex['exact_word']})\s+)?(?:{numbers}\s+)?{units}\s+"
                             rf"(?P<dir>{_alt(lex['ago_words'])}|спустя){E}", self._count),
            ("relative.later", rf"(?<!\w)(?P<dir>{_alt(self.later)})\s+(?:(?P<exact>{lex['exact_word']})\s+)?"
                               rf"(?:{numbers}\s+)?{units}(?!\s+после{E})", self._count),
        ]
        self.rules = [(name, re.compile(rx, re.I), parse) for name, rx, parse in rules]

    def readings(self, text: str) -> list[_Reading]:
        """Every candidate reading of every rule, in rule order."""
        out = []
        for name, rx, parse in self.rules:
            for m in rx.finditer(text):
                r = parse(name, m)
                if r is not None:
                    out.append(r)
        return out

    # -- parse functions: match → _Reading, or None when the match is no time after all ------------------

    def _date(self, name: str, m: re.Match) -> _Reading | None:
        g = m.groupdict()
        d, y = int(g["d"]), int(g["y"]) if g.get("y") else None
        mo = int(g["m"]) if g["m"].isdigit() else self.months[_key(g["m"])]
        if not 1 <= mo <= 12 or not 1 <= d <= _last(y or 2000, mo):
            return None
        if name == "date":
            name = "date.tod" if g.get("tod") or g.get("tod2") else "date.dmy" if y else "date.dm"
        if y:
            day = date(y, mo, d)
            return _Reading(m.span(), name, _fixed(day, day, "day", day), fixed=day)

        def resolve(ctx: _Context, pos: int) -> _Value:
            ref = ctx.year_ref(pos)
            day = _closest(mo, d, ref) if ref else None
            return _Value(day, day, "day", day)
        return _Reading(m.span(), name, resolve)

    def _range(self, name: str, m: re.Match) -> _Reading | None:
        g = m.groupdict()
        m2 = self.months[_key(g["m2"])]
        m1 = self.months[_key(g["m1"])] if g.get("m1") else m2
        d2, d1 = int(g["d2"]), int(g["d1"]) if g.get("d1") else None
        y = int(g["y"]) if g.get("y") else None
        if d2 > _last(y or 2000, m2) or (d1 and d1 > _last(2000, m1)) or (d1 and m1 == m2 and d1 >= d2):
            return None

        def value(end: date | None) -> _Value:
            if end is None:
                return _Value(None, None, "day")
            if d1 is None:
                start = end - timedelta(days=1)
            else:
                sy = int(g["y1"]) if g.get("y1") else end.year - ((m1, d1) > (m2, d2))
                if d1 > _last(sy, m1):
                    return _Value(None, None, "day")
                start = date(sy, m1, d1)
            return _Value(start, end, "day", start if name == "night" else end)
        if y:
            v = value(date(y, m2, d2))
            return _Reading(m.span(), name, lambda ctx, pos: v, fixed=v.end)
        return _Reading(m.span(), name, lambda ctx, pos: value(
            _closest(m2, d2, ctx.year_ref(pos)) if ctx.year_ref(pos) else None))

    def _month(self, name: str, m: re.Match) -> _Reading:
        g = m.groupdict()
        mo, y = self.months[_key(g["m"])], int(g["y"]) if g.get("y") else None
        lo, hi = self.parts[_key(g["part"])]["month_days"] if g.get("part") else (1, 31)
        precision = self.part_precision["month"] if g.get("part") else "month"

        def value(year: int | None) -> _Value:
            if year is None:
                return _Value(None, None, precision)
            return _Value(date(year, mo, lo), date(year, mo, min(hi, _last(year, mo))), precision)
        if y:
            v = value(y)
            return _Reading(m.span(), name, lambda ctx, pos: v, fixed=date(y, mo, 15))

        def resolve(ctx: _Context, pos: int) -> _Value:
            ref = ctx.year_ref(pos)
            return value(_closest(mo, 15, ref).year if ref else None)
        return _Reading(m.span(), name, resolve)

    def _year(self, name: str, m: re.Match) -> _Reading | None:
        g = m.groupdict()
        y, y2 = int(g["y"]), int(g["y2"]) if g.get("y2") else int(g["y"])
        if y2 < y:
            return None
        lo, hi = self.parts[_key(g["part"])].get("year_months", (0, 0)) if g.get("part") else (1, 12)
        if not lo:
            return None
        precision = self.part_precision["year"] if g.get("part") else "year"
        return _Reading(m.span(), name, _fixed(date(y, lo, 1), date(y2, hi, _last(y2, hi)), precision))

    def _decade(self, name: str, m: re.Match) -> _Reading | None:
        g = m.groupdict()
        if g.get("w"):
            y = next(v for stem, v in self.decades.items() if _key(g["w"]).startswith(stem))
        else:
            y = int(g["y"])
            if y % 10:
                return None
            if y < 100:
                if not (g.get("prep") or g.get("part") or g.get("yw")):
                    return None
                y += 2000 if y < self.pivot else 1900
        lo, hi = self.parts[_key(g["part"])].get("decade_years", (None, None)) if g.get("part") else (0, 9)
        if lo is None:
            return None
        return _Reading(m.span(), name, _fixed(date(y + lo, 1, 1), date(y + hi, 12, 31), "decade"))

    def _clock(self, name: str, m: re.Match) -> _Reading | None:
        g = m.groupdict()
        if not (g["n1"] and g["n2"] or g["hours"]):
            return None
        clock = (f"{int(g['h1']):02d}:{g['n1'] or '00'}", f"{int(g['h2']):02d}:{g['n2'] or '00'}")

        def resolve(ctx: _Context, pos: int) -> _Value:
            a = ctx.anchor_for("day")
            return _Value(a, a, "day", a, clock)
        return _Reading(m.span(), name, resolve)

    def _relative_day(self, name: str, m: re.Match) -> _Reading | None:
        word = _key(m["w"])
        eve, blocking, blocking_capitalized, verb = self.eve
        nxt = _NEXT_WORD.match(m.string, m.end()) if word == eve and not m["tod2"] else None
        if nxt and nxt[1].lower().endswith(blocking if nxt[1].islower() else blocking_capitalized) \
                and not nxt[1].endswith(verb):
            return None
        offset = self.rel_days[word]

        def resolve(ctx: _Context, pos: int) -> _Value:
            a = ctx.anchor_for("day")
            d = a + timedelta(days=offset) if a else None
            return _Value(d, d, "day", d)
        return _Reading(m.span(), name, resolve)

    def _period(self, name: str, m: re.Match) -> _Reading:
        p = self.periods[_key(m["w"])]

        def resolve(ctx: _Context, pos: int) -> _Value:
            if "days" in p:
                a = ctx.anchor_for("day")
                if a is None:
                    return _Value(None, None, p["precision"])
                return _Value(a + timedelta(days=p["days"][0]), a + timedelta(days=p["days"][1]), p["precision"])
            a = ctx.anchor_for(p["unit"])
            if a is None:
                return _Value(None, None, p["unit"])
            return _Value(*_bounds(_shift(a, p["unit"], p["offset"]), p["unit"]), p["unit"])
        return _Reading(m.span(), name, resolve)

    def _weekday(self, name: str, m: re.Match) -> _Reading | None:
        weekday, q = self.weekdays[_key(m["wd"])], _key(m["q"]) if m["q"] else None
        text = m.string
        nxt = _NEXT_WORD.match(text, m.end()) if weekday == 2 else None     # "в среду обитания" is no Wednesday
        if nxt and nxt[1].islower() and nxt[1].endswith(self.eve[1]) and not nxt[1].endswith(self.eve[3]):
            return None
        stop = min((i for i in (text.find(c, m.end()) for c in ".!?\n") if i >= 0), default=len(text))
        start = max(text.rfind(c, 0, m.start()) for c in ".!?\n") + 1
        ahead = q in self.weekday_next or (q is None and bool(self.future_cues.search(text, start, stop)))
        back = q in self.weekday_past

        def resolve(ctx: _Context, pos: int) -> _Value:
            a = ctx.anchor_for("day")
            if a is not None:
                delta = (weekday - a.weekday()) % 7                    # 0..6 days ahead
                if ahead:
                    d = a + timedelta(days=delta or (7 if q else 0))
                else:
                    back_days = (a.weekday() - weekday) % 7
                    d = a - timedelta(days=back_days or (7 if back else 0))
            elif ctx.last_day is not None:                              # the closest one, -3..+3 days away
                d = ctx.last_day + timedelta(days=(weekday - ctx.last_day.weekday() + 3) % 7 - 3)
            else:
                return _Value(None, None, "day")
            return _Value(d, d, "day", d)
        return _Reading(m.span(), name, resolve)

    def _anaphoric_day(self, name: str, m: re.Match) -> _Reading:
        offset = self.ana_days[_key(m["w"])]
        # opening a paragraph, "В тот же день" goes back to the day of the news, not to a day named in passing
        opens = not m.string[m.string.rfind("\n", 0, m.start()) + 1:m.start()].strip(" \t>*_#")

        def resolve(ctx: _Context, pos: int) -> _Value:
            base = (ctx.lead_day or ctx.last_day) if opens else ctx.last_day
            if base is None:
                return _Value(None, None, "day")
            d = base + timedelta(days=offset)
            return _Value(d, d, "day", d)
        return _Reading(m.span(), name, resolve)

    def _anaphoric_period(self, name: str, m: re.Match) -> _Reading:
        unit = self.ana_periods[_key(m["w"])]

        def resolve(ctx: _Context, pos: int) -> _Value:
            base = ctx.last_day or ctx.last_any
            return _Value(*_bounds(base, unit), unit) if base else _Value(None, None, unit)
        return _Reading(m.span(), name, resolve)

    def _count(self, name: str, m: re.Match) -> _Reading | None:
        g = m.groupdict()
        unit, exact = self.units[_key(g["u"])], bool(g["exact"])
        if g["n"]:
            lo, hi = [int(g["n"])] * 2 if g["n"].isdigit() else self.numbers[_key(g["n"])]
        elif _key(g["u"]) in ("день", "сутки", "неделю", "месяц", "год"):
            lo = hi = 1
        else:
            return None
        if exact and lo != hi:
            return None
        sign = 1 if name == "relative.later" or _key(g["dir"]) in self.later else -1
        precision = "day" if exact else unit if lo == hi else COARSER[unit]

        def resolve(ctx: _Context, pos: int) -> _Value:
            need = "day" if exact or lo != hi else unit
            base = ctx.anchor_for(need)
            if sign > 0 and ctx.last_day:
                base = ctx.last_day
            if base is None:
                return _Value(None, None, precision)
            a, b = _shift(base, unit, sign * lo), _shift(base, unit, sign * hi)
            if exact:
                return _Value(a, a, "day", a)
            start, end = _bounds(min(a, b), unit)[0], _bounds(max(a, b), unit)[1]
            return _Value(start, end, precision, a if precision == "day" else None)
        return _Reading(m.span(), name, resolve)


@functools.lru_cache(maxsize=1)
def grammar() -> _Grammar:
    """The compiled rules, built once from the lexicon file."""
    with open(LEXICON_PATH, encoding="utf-8") as f:
        return _Grammar(yaml.safe_load(f))


def _select(readings: list[_Reading], blocked: list[tuple[int, int]]) -> list[_Reading]:
    """Longest readings first, then the earlier one, then rule order; none overlapping, none in `blocked`."""
    order = sorted(enumerate(readings), key=lambda ir: (ir[1].span[0] - ir[1].span[1], ir[1].span[0], ir[0]))
    taken: list[tuple[int, int]] = list(blocked)
    kept = []
    for _, r in order:
        s, e = r.span
        if e > s and not any(s < te and ts < e for ts, te in taken):
            taken.append(r.span)
            kept.append(r)
    return sorted(kept, key=lambda r: r.span)


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def find_times(text: str, anchor: PartialDate | None = None) -> list[TimeExpr]:
    """Time expressions in `text`, sorted and non-overlapping, resolved against the publication date `anchor`.

    Pass the article body (`Document.body`), not a file with its front matter: a `date: "2011-12-16"` line
    there is metadata, and would be read as a date written in the text.
    """
    readings = _select(grammar().readings(text), mask_spans(_URL, text))
    ctx = _Context(anchor, [(r.span[0], r.fixed) for r in readings if r.fixed])
    out = []
    for r in readings:
        try:
            v = r.resolve(ctx, r.span[0])
        except (ValueError, OverflowError):      # counted past year 1 or 9999 from an odd anchor
            v = _Value(None, None, "day")
        if v.precision == "day" and v.ref:
            ctx.last_day = v.ref
            ctx.lead_day = ctx.lead_day or v.ref
        if v.start:
            ctx.last_any = v.ref or v.start
        out.append(TimeExpr(r.span, text[r.span[0]:r.span[1]], _iso(v.start), _iso(v.end), v.precision,
                            r.rule, v.clock))
    return out
