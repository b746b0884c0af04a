"""Numbers in Russian news text: counts, ranges, bounds, vague amounts, percentages, money, ordinals.

`find_quantities(text)` reads the raw text with regexes and the tables in `lexicons/numbers.yaml`; it needs no
model. Dates, times, years, URLs, model names ("Су-25") and channel names ("1+1") are left out, so what remains
can be counted. Every `Quantity` says which rule produced it.

    >>> [q.to_json() for q in find_quantities("пришли около 50 человек")][0]["low"]
    50
"""
from __future__ import annotations

import functools
import pathlib
import re
from dataclasses import dataclass
from typing import Any

import yaml

from .masks import mask_spans

Span = tuple[int, int]
Number = int | float

KINDS = ("count", "percent", "money", "ordinal", "multiplier")
LEXICONS = pathlib.Path(__file__).with_name("lexicons")


@dataclass(frozen=True, slots=True)
class Quantity:
    span: Span
    text: str
    low: Number | None
    high: Number | None
    kind: str = "count"       # count, percent, money, ordinal, multiplier
    approx: bool = False      # "около 50", "почти 100"
    vague: bool = False       # "десятки", "несколько"
    rule: str = ""            # which rules fired, "bound:min+digits"

    def to_json(self) -> dict[str, Any]:
        return {"span": list(self.span), "text": self.text, "low": self.low, "high": self.high, "kind": self.kind,
                "approx": self.approx, "vague": self.vague, "rule": self.rule}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Quantity:
        return cls(tuple(d["span"]), d["text"], d["low"], d["high"], d["kind"], d["approx"], d["vague"], d["rule"])


# --- lexicon -----------------------------------------------------------------------------------------------

def _words(value: Any) -> list[str]:
    return str(value).split()


@dataclass(frozen=True)
class _Lexicon:
    words: dict[str, tuple[str, Number]]          # form -> (class, value): unit, ten, hundred, fraction, ...
    vague: dict[str, tuple[Number, Number]]       # form -> range
    governors: frozenset[str]
    bounds: tuple[tuple[tuple[str, ...], frozenset[str]], ...]        # longest first
    bounds_by_last: dict[str, tuple[int, ...]]                       # last word -> indexes into bounds
    post_bounds: tuple[tuple[tuple[str, ...], frozenset[str]], ...]
    months: frozenset[str]
    years: frozenset[str]
    percent: frozenset[str]
    currencies: frozenset[str]
    signs: frozenset[str]
    multiplier_nouns: frozenset[str]
    references: frozenset[str]
    change_verbs: tuple[str, ...]
    multiplier_words: dict[str, int]
    ordinal_suffixes: frozenset[str]
    count_suffixes: frozenset[str]


@functools.cache
def lexicon() -> _Lexicon:
    data = yaml.safe_load((LEXICONS / "numbers.yaml").read_text(encoding="utf-8"))
    words: dict[str, tuple[str, Number]] = {}
    for cls in ("units", "tens", "hundreds", "fractions", "scales", "collectives", "exact_nouns"):
        for value, forms in data[cls].items():
            for form in _words(forms):
                words[form] = (cls, value)
    for value, stem in data["ordinal_stems"].items():
        for ending in _words(data["ordinal_endings"]):
            words.setdefault(stem + ending, ("ordinals", value))
    for form in _words(data["ordinal_third"]):
        words[form] = ("ordinals", 3)
    vague = {f: tuple(v["range"]) for v in data["vague"].values() for f in _words(v["forms"])}

    def phrases(table: dict) -> tuple:
        rows = [(tuple(k.split()), frozenset(_words(v))) for k, v in table.items()]
        return tuple(sorted(rows, key=lambda r: -len(r[0])))

    bounds = phrases(data["bounds"])
    by_last: dict[str, list[int]] = {}
    for k, (phrase, _) in enumerate(bounds):
        by_last.setdefault(phrase[-1], []).append(k)
    return _Lexicon(
        words=words, vague=vague, governors=frozenset(_words(data["genitive_governors"])),
        bounds=bounds, bounds_by_last={w: tuple(ks) for w, ks in by_last.items()},
        post_bounds=phrases(data["post_bounds"]),
        months=frozenset(_words(data["months"])), years=frozenset(_words(data["years"])),
        percent=frozenset(_words(data["percent"])), currencies=frozenset(_words(data["currencies"])),
        signs=frozenset(_words(data["currency_signs"])), multiplier_nouns=frozenset(_words(data["multiplier_nouns"])),
        references=frozenset(_words(data["references"])), change_verbs=tuple(_words(data["change_verbs"])),
        multiplier_words={w: int(v) for v, w in data["multiplier_words"].items()},
        ordinal_suffixes=frozenset(_words(data["ordinal_suffixes"])),
        count_suffixes=frozenset(_words(data["count_suffixes"])),
    )


# --- tokens --------------------------------------------------------------------------------------------------

_SPACE = "[ \u00a0\u202f]"
_TOKEN = re.compile(
    r"(?P<date>\d{4}-\d{1,2}(?:-\d{1,2})?(?:-\d+)*|\d{1,2}\.\d{1,2}\.\d{2,4}(?!\d))"
    rf"|(?P<num>\d{{1,3}}(?:{_SPACE}\d{{3}})+(?![\d.,]\d)|\d+(?:[.,:]\d+)*)(?:-(?P<suf>[а-яё]+))?"
    r"|(?P<word>[a-zа-яё]+(?:-[a-zа-яё]+)*)"
    r"|(?P<other>\S)",
    re.IGNORECASE,
)
# spans where digits are addresses, not amounts: URLs, markdown link targets, handles, e-mails, file names
_MASK = re.compile(r"https?://\S+|www\.\S+|\]\([^)\s]*\)|[\w.+-]+@[\w-]+\.[\w.]+|@\w+|#\w+|/\S+\.\w+")
_TIME = re.compile(r"([01]?\d|2[0-4])[.:][0-5]\d")


@dataclass(frozen=True, slots=True)
class _Tok:
    start: int
    stop: int
    text: str
    low: str      # lowercase, ё → е
    kind: str     # date, num, word, other
    suffix: str | None = None


def _tokens(text: str) -> list[_Tok]:
    masked = mask_spans(_MASK, text)
    out, k = [], 0
    for m in _TOKEN.finditer(text):
        while k < len(masked) and masked[k][1] <= m.start():
            k += 1
        if k < len(masked) and masked[k][0] <= m.start():
            continue
        kind = m.lastgroup if m.lastgroup != "suf" else "num"
        core = m.group("num") if kind == "num" else m.group()
        suffix = (m.group("suf") or "").lower().replace("ё", "е") or None if kind == "num" else None
        out.append(_Tok(m.start(), m.end(), m.group(), core.lower().replace("ё", "е"), kind, suffix))
    return out


def _digits(tok: _Tok) -> Number | None:
    """'2 265' -> 2265, '1.500' -> 1500, '1,5' -> 1.5; None for times, codes and leading zeros."""
    s = re.sub(_SPACE, "", tok.low)
    if len(s) > 18:              # not an amount (and int() refuses strings of more than 4300 digits)
        return None
    if ":" in s or _TIME.fullmatch(s) or (len(s) > 1 and s[0] == "0" and s[1].isdigit()):
        return None
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", s):
        return int(s.replace(".", ""))
    if re.fullmatch(r"\d+[.,]\d+", s):
        return float(s.replace(",", "."))
    return int(s) if s.isdigit() else None


# --- the scanner -------------------------------------------------------------------------------------------

@dataclass
class _Core:
    i: int            # first token
    j: int            # one past the last token
    low: Number
    high: Number
    rule: str
    vague: bool = False
    ordinal: bool = False


_ABBREVIATIONS = {"проц", "руб", "долл", "тыс", "млн", "млрд"}
_AGE = ("летн", "летия", "летие")           # "13-ти летний мальчик", "100 летие"
_ROUND_AFTER_GOVERNOR = {"тысячи": 1000, "сотни": 100}
_VAGUE_SCALES = {"десятков": 10, "сотен": 100}


def _scaled(x: Number, scale: Number) -> Number:
    v = x * scale
    return int(round(v)) if abs(v - round(v)) < 1e-6 else v


class _Scanner:
    def __init__(self, text: str):
        self.text, self.lex, self.toks = text, lexicon(), _tokens(text)
        self.consumed = 0

    def low(self, i: int) -> str:
        return self.toks[i].low if 0 <= i < len(self.toks) else ""

    def word(self, i: int) -> tuple[str, Number] | None:
        return self.lex.words.get(self.low(i)) if 0 <= i < len(self.toks) and self.toks[i].kind == "word" else None

    def scale_at(self, i: int) -> tuple[Number, int]:
        w = self.word(i)
        if w and w[0] == "scales":
            j = i + 1 if not (self.low(i + 1) == "." and self.low(i) in ("тыс", "млн", "млрд")) else i + 2
            return w[1], j
        return 1, i

    def core(self, i: int) -> _Core | None:
        """A bare number starting at token i."""
        tok, lex = self.toks[i], self.lex
        if tok.kind == "num":
            value = _digits(tok)
            if value is None or self._glued(tok) or self.is_reference(i) or self.is_year(i, value):
                return None
            if self.low(i + 1).startswith(_AGE):
                return None                           # "13-ти летний": an age
            if tok.suffix:
                if tok.suffix in lex.ordinal_suffixes:
                    return _Core(i, i + 1, value, value, "digits-ordinal", ordinal=True)
                if tok.suffix not in lex.count_suffixes:
                    return None                       # "12-летний", "30-этажный": an adjective, not an amount
            scale, j = self.scale_at(i + 1)
            return _Core(i, j, _scaled(value, scale), _scaled(value, scale), "digits" + ("+scale" if j > i + 1 else ""))
        if tok.kind != "word":
            return None
        if tok.low in _ROUND_AFTER_GOVERNOR and self.low(i - 1) in lex.governors:
            value = _ROUND_AFTER_GOVERNOR[tok.low]          # "около тысячи", "более сотни"
            return _Core(i, i + 1, value, value, "round-noun")
        if tok.low in lex.vague:
            lo, hi = lex.vague[tok.low]
            scale, j = self.scale_at(i + 1)
            if j == i + 1 and self.low(i + 1) in _VAGUE_SCALES and tok.low.startswith("нескольк"):
                scale, j = _VAGUE_SCALES[self.low(i + 1)], i + 2     # "нескольких сотен"
            return _Core(i, j, lo * scale, (hi + 1) * scale - 1, "vague", vague=True)
        w = self.word(i)
        if w is None:
            return None
        cls, value = w
        if cls == "ordinals":
            return _Core(i, i + 1, value, value, "word-ordinal", ordinal=True)
        if cls == "collectives":
            return _Core(i, i + 1, value, value, "collective")
        if cls in ("exact_nouns", "scales"):
            return _Core(i, i + 1, value, value, "round-noun")
        if tok.low.startswith("одн") and self.low(i - 1) == "ни":
            return None
        total, j, order = 0, i, 10_000
        current: Number = 0
        while True:
            w = self.word(j)
            if w is None:
                break
            cls, value = w
            rank = {"hundreds": 100, "tens": 10, "units": 1, "fractions": 1}.get(cls)
            if rank is not None and rank < order and not (cls == "fractions" and current):
                current += value
                order = 0 if cls in ("units", "fractions") else rank
                j += 1
            elif cls == "scales" and (current or total == 0):
                total += _scaled(current or 1, value)
                current, order = 0, 10_000 if value > 1 else order
                j += 1
            else:
                break
        if j == i:
            return None
        value = _scaled(total + current, 1)
        return _Core(i, j, value, value, "words")

    def is_reference(self, i: int) -> bool:
        """'статьи 214', 'ч. 2', 'рейс 123': a number that names, not counts."""
        k = i - 1 - (self.low(i - 1) == ".")
        if k >= 0 and self.low(k) in self.lex.references and self.toks[k].kind == "word":
            return True
        # the rest of a list of references: "пунктам 1 и 7", "статьи 34-104"
        listed = self.low(i - 1) in ("и", "-", "–", ",") and i >= 2 and self.toks[i - 2].kind == "num"
        return listed and self.is_reference(i - 2)

    def is_year(self, i: int, value: Number) -> bool:
        """'(1984)', 'в 1973 — первую симфонию': four plain digits 1800–2100 not followed by what they count."""
        tok = self.toks[i]
        if not (isinstance(value, int) and 1800 <= value <= 2100 and re.fullmatch(r"\d{4}", tok.low)) or tok.suffix:
            return False
        nxt = self.toks[i + 1] if i + 1 < len(self.toks) else None
        return nxt is None or not (nxt.kind == "word" and nxt.text[:1].islower()) or nxt.low in self.lex.years

    def _glued(self, tok: _Tok) -> bool:
        """'Су-25', '1+1', '№ 5', 'COVID-19': a name or a code that contains digits."""
        before = self.text[max(tok.start - 2, 0):tok.start]
        after = self.text[tok.stop:tok.stop + 1]
        return bool(re.search(r"[+№#/]\s?$|[^\W\d]-$|\w$", before) or after in ("+", "/") or
                    (after.isalpha() and not tok.suffix))

    def is_date(self, c: _Core) -> bool:
        nxt, prev = self.low(c.j), self.low(c.i - 1)
        if nxt in self.lex.months or (nxt in self.lex.years and (1000 <= c.low <= 2100 or prev in self.lex.months)):
            return True
        if isinstance(c.low, int) and 1000 <= c.low <= 2100 and prev in self.lex.months:
            return True
        # "с 4 на 5 января", "1-2 февраля": a number joined to a date
        joined = self.toks[c.j + 1:c.j + 2]
        if nxt in ("на", "по", "-", "–", "—", "и", "или") and joined and joined[0].kind == "num":
            after = self.low(c.j + 2)
            return after in self.lex.months or (after in self.lex.years and 1000 <= c.low <= 2100)
        return False

    def bound_before(self, i: int) -> tuple[int, frozenset[str], str] | None:
        """A bound phrase ending right before token i ("не менее 227"), or before ", чем" ("не более, чем 10")."""
        comma_than = self.low(i - 2) == "," and self.low(i - 1) == "чем"
        ends = ((i, ""), (i - 2, ", чем")) if comma_than else ((i, ""),)
        by_last = self.lex.bounds_by_last           # only the phrases that end with the word before an end
        for k in sorted({k for end, _ in ends for k in by_last.get(self.low(end - 1), ())}):
            phrase, sem = self.lex.bounds[k]
            for end, tail in ends:
                n = len(phrase)
                if tuple(self.low(end - n + x) for x in range(n)) == phrase:
                    k = end - n - 1
                    if phrase == ("до",) and (self.low(k).startswith(self.lex.change_verbs) or
                                              0 <= k and self.toks[k].kind == "num"):
                        return None                  # "число погибших выросло до 225", "с 160 до 225"
                    return end - n, sem, " ".join(phrase) + tail
        return None

    def post_bound(self, j: int) -> tuple[int, frozenset[str]] | None:
        for phrase, sem in self.lex.post_bounds:
            if tuple(self.low(j + x) for x in range(len(phrase))) == phrase:
                return j + len(phrase), sem
        return None

    def scan(self) -> list[Quantity]:
        out, i, n = [], 0, len(self.toks)
        while i < n:
            c = self.core(i)
            if c is None:
                mult = self.lex.multiplier_words.get(self.low(i))
                if mult:
                    out.append(self.make(i, i + 1, mult, mult, "multiplier", "multiplier-word"))
                i += 1
                continue
            if self.is_date(c):
                i = c.j
                continue
            out.append(self.finish(c))
            i = max(self.consumed, c.j)
        return out

    def finish(self, c: _Core) -> Quantity:
        lex, start, stop = self.lex, c.i, c.j
        low, high, rules = c.low, c.high, [c.rule]
        approx, kind = False, "ordinal" if c.ordinal else "count"
        # ranges: "от 700 до 800", "700–800", "20-30 тысяч"
        sep = self.low(stop)
        other = self.core(stop + 1) if sep in ("до", "-", "–", "—", "или") and stop + 1 < len(self.toks) else None
        if other and not other.ordinal and not self.is_date(other) and (sep != "до" or self.low(start - 1) == "от"):
            scale = self.scale_at(other.j - 1)[0] if c.rule == "digits" and other.j > other.i + 1 else 1
            if other.high >= _scaled(high, scale):            # "20-30 тысяч": the scale word serves both
                low, high, stop = _scaled(low, scale), other.high, other.j
                rules.append("range")
                start -= sep == "до"
                other = "range"
        if other != "range":
            b = self.bound_before(start)
            if b and not c.ordinal:
                start, sem, phrase = b
                rules.insert(0, f"bound:{phrase}")
                low, high = (low, None) if "min" in sem else (None, high) if "max" in sem else (low, high)
                approx = approx or "approx" in sem
            pb = self.post_bound(stop)
            if pb and not c.ordinal:
                stop, sem = pb
                low, high = low, None
                approx = approx or "approx" in sem
                rules.append("post-bound")
        # what the number counts: percent, money, times ("в два раза")
        nxt = self.low(stop)
        abbrev = int(nxt in _ABBREVIATIONS and self.low(stop + 1) == ".")
        if nxt in lex.percent or nxt == "%":
            kind, stop = "percent", stop + 1 + abbrev
        elif nxt in lex.currencies or nxt in lex.signs or self.low(start - 1) in lex.signs:
            kind = "money"
            if self.low(start - 1) in lex.signs:
                start -= 1
            else:
                stop += 1 + abbrev
        elif nxt in lex.multiplier_nouns and kind == "count":
            kind = "multiplier"
            start, stop = start - (self.low(start - 1) == "в"), stop + 1
        self.consumed = stop
        return self.make(start, stop, low, high, kind, "+".join(rules), approx=approx, vague=c.vague)

    def make(self, i: int, j: int, low, high, kind: str, rule: str, approx=False, vague=False) -> Quantity:
        self.consumed = j
        a, b = self.toks[i].start, self.toks[j - 1].stop
        return Quantity((a, b), self.text[a:b], low, high, kind, approx, vague, rule)


def find_quantities(text: str, analysis: Any = None) -> list[Quantity]:
    """Every amount in `text`, in order. `analysis` (letopis.annotate.nlp.Analysis) is accepted for symmetry
    with the other annotators; the rules here read the text alone."""
    return _Scanner(text).scan()
