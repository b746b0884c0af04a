"""Interface text in Russian (the default) and English: the strings live in `strings.yaml` beside this module.

    t = Translator("en")
    t("nav_search")                          # 'Search'
    t("results", n=3)                        # '3 found'
    t.date({"start": "2023-03-03", "end": "2023-03-04", "precision": "day"})   # '3–4 March 2023'

A missing key is a bug in a template, so it raises `KeyError` in tests rather than showing a blank.
"""
from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from pathlib import Path

import yaml

LANGS = ("ru", "en")
DEFAULT_LANG = "ru"
STRINGS_PATH = Path(__file__).with_name("strings.yaml")
PLACES_PATH = Path(__file__).parents[1] / "annotate" / "lexicons" / "places_ru.tsv"


@functools.cache
def strings() -> dict:
    return yaml.safe_load(STRINGS_PATH.read_text(encoding="utf-8"))


@functools.cache
def countries_ru() -> dict[str, str]:
    """ISO alpha-2 → the Russian country name, from the gazetteer (its shortest canonical name per code)."""
    out: dict[str, str] = {}
    if not PLACES_PATH.exists():
        return out
    with PLACES_PATH.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if row.get("kind") == "country" and row.get("cc"):
                name = row["canonical"]
                if row["cc"] not in out or len(name) < len(out[row["cc"]]):
                    out[row["cc"]] = name
    return out


def pick_lang(value: str | None) -> str:
    return value if value in LANGS else DEFAULT_LANG


@dataclass(frozen=True, slots=True)
class Translator:
    lang: str = DEFAULT_LANG

    def __call__(self, key: str, **fill) -> str:
        text = strings()["ui"][key][self.lang]
        return text.format(**fill) if fill else text

    def _table(self, table: str, key: str | None) -> str:
        if not key:
            return ""
        row = strings()[table].get(key)
        return row[self.lang] if row else key

    def type(self, code: str | None) -> str:
        return self._table("types", (code or "").upper())

    def mode(self, code: str | None) -> str:
        return self._table("modes", code)

    def category(self, code: str | None) -> str:
        return self._table("categories", code)

    def claimant_class(self, code: str | None) -> str:
        return self._table("claimant_classes", code)

    def entity_type(self, code: str | None) -> str:
        return self._table("entity_types", code)

    def precision(self, code: str | None) -> str:
        return self._table("precisions", code)

    def reasons(self, text: str | None) -> str:
        """'same day; similar words 0.38' → 'тот же день; похожие слова 0.38' (unknown parts stay as they are)."""
        table = strings()["join_reasons"]
        out = []
        for part in (text or "").split(";"):
            part = part.strip()
            key = next((k for k in table if part == k or part.startswith(k + " ")), None)
            out.append(table[key][self.lang] + part[len(key):] if key else part)
        return "; ".join(p for p in out if p)

    def country(self, code: str | None) -> str:
        if not code:
            return ""
        code = code.upper()
        if self.lang == "ru":
            return strings()["countries_ru"].get(code) or countries_ru().get(code, code)
        return strings()["countries_en"].get(code, code)

    # -- dates --------------------------------------------------------------------------------------

    def month(self, n: int, *, genitive: bool = False, short: bool = False) -> str:
        m = strings()["months"]
        if short:
            return m[f"{self.lang}_short"][n - 1]
        if self.lang == "ru":
            return m["ru_gen" if genitive else "ru_nom"][n - 1]
        return m["en"][n - 1]

    def day(self, iso: str | None) -> str:
        """'2023-03-05' → '5 марта 2023' / '5 March 2023'; '2023-03' → 'март 2023'; '2023' → '2023'."""
        if not iso:
            return self("no_date")
        parts = iso[:10].split("-")
        try:
            nums = [int(p) for p in parts]
        except ValueError:
            return iso
        if len(nums) == 3:
            return f"{nums[2]} {self.month(nums[1], genitive=True)} {nums[0]}"
        if len(nums) == 2:
            return f"{self.month(nums[1])} {nums[0]}"
        return str(nums[0])

    def short_day(self, iso: str | None) -> str:
        """'2023-03-05' → '5 мар'; used on chart axes."""
        if not iso or len(iso) < 10:
            return iso or ""
        return f"{int(iso[8:10])} {self.month(int(iso[5:7]), short=True)}"

    def date(self, d: dict | None) -> str:
        """An event's date {start, end, precision} as a human range: '3–4 марта 2023', '28 февраля – 2 марта 2023'."""
        if not d or not d.get("start"):
            return self("no_date")
        start, end, prec = d["start"], d.get("end") or d["start"], d.get("precision") or "day"
        if prec != "day" or len(start) < 10 or len(end) < 10:
            if prec == "month" or len(start) == 7:
                return self.day(start[:7])
            if prec == "year":
                return start[:4]
            return self.day(start) if start == end else f"{self.day(start)} – {self.day(end)}"
        if start == end:
            return self.day(start)
        if start[:7] == end[:7]:
            return f"{int(start[8:10])}–{self.day(end)}"
        if start[:4] == end[:4]:
            return f"{int(start[8:10])} {self.month(int(start[5:7]), genitive=True)} – {self.day(end)}"
        return f"{self.day(start)} – {self.day(end)}"


def number(value: int | float | None) -> str:
    """12345 → '12 345' (a thin space groups thousands, as Russian typography does); None → '…'."""
    if value is None:
        return "…"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}".replace(",", "\u202f")


def bounds(low, high) -> str:
    """A claim's value: '12', '≥ 38', '≤ 12', '20–99'."""
    if low is not None and high is not None:
        return number(low) if low == high else f"{number(low)}–{number(high)}"
    if low is not None:
        return f"≥ {number(low)}"
    if high is not None:
        return f"≤ {number(high)}"
    return "?"
