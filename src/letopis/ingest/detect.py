"""Which reader a text needs, judged by its content; the file extension only breaks ties.

The rules are a table (`RULES`), tried in order, first opinion wins, like razdel's segmenter rules.
`explain_format` says which rule fired, for debugging a surprising choice.

Formats: `frontmatter` (Markdown with a YAML block), `markdown` (a `.md` file without one), `dump`
(` date YYYY-MM text`), `jsonl`, `html`, `csv`, `plain`.
"""
from __future__ import annotations

import csv
import json
import os
import re
from dataclasses import dataclass
from typing import Callable

from .base import TableFields

FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n.*?^(?:---|\.\.\.)[ \t]*\r?$", re.S | re.M)
DUMP = re.compile(r"\A\s?date \d{4}-\d{2}(?:-\d{2})? ")
HTML_STRONG = re.compile(
    r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])", re.I | re.S)
TAG = re.compile(
    r"</?(?:p|div|br|span|a|h[1-6]|article|section|ul|ol|li|table|td|tr|em|strong|b|i|img|meta|title)\b[^>]*>", re.I)
MARKDOWN_SIGNS = re.compile(r"^ {0,3}#{1,6} \S|\[[^\]\n]+\]\([^)\s]+\)|^\*\*[^*\n]+\*\*", re.M)
DELIMITERS = ",;\t"
MIN_TAGS = 5
HEAD = 1 << 16


@dataclass(frozen=True, slots=True)
class Clues:
    """What the rules look at: the start of the text, its extension and the table field names."""

    text: str
    ext: str
    fields: TableFields


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    format: str
    test: Callable[[Clues], bool]


def _lines(text: str, limit: int = 50) -> list[str]:
    out = []
    for line in text.split("\n"):
        if line.strip():
            out.append(line.strip())
            if len(out) >= limit:
                break
    return out


def _is_object(line: str) -> bool:
    if not (line.startswith("{") and line.endswith("}")):
        return False
    try:
        return isinstance(json.loads(line), dict)
    except (ValueError, RecursionError):    # RecursionError: nested too deeply to be a record worth reading
        return False


def _jsonl(c: Clues) -> bool:
    """Every sampled non-empty line is a JSON object; for a `.jsonl` name, the first line opening one is enough."""
    lines = _lines(c.text)
    if not lines or not lines[0].startswith("{"):
        return False
    if c.ext in (".jsonl", ".ndjson"):
        return True
    return all(_is_object(line) for line in lines)


def header_columns(text: str) -> tuple[str, list[str]] | None:
    """(delimiter, column names) of a CSV header line, or None if the first line has no delimiter."""
    first = text.split("\n", 1)[0].rstrip("\r")
    best = None
    for delim in DELIMITERS:
        try:
            cols = next(csv.reader([first], delimiter=delim), [])
        except csv.Error:       # a bare "\r" inside the line (old Mac newlines): not a header
            continue
        if len(cols) >= 2 and (best is None or len(cols) > len(best[1])):
            best = (delim, [col.strip().lower() for col in cols])
    return best


def _csv(c: Clues) -> bool:
    """A header whose columns include a text-like field name (any header at all for a `.csv`/`.tsv` name)."""
    if "\n" not in c.text.strip():
        return False
    found = header_columns(c.text)
    if found is None:
        return False
    names = {n.lower() for n in c.fields.text}
    return bool(names & set(found[1])) or c.ext in (".csv", ".tsv")


def _html_tags(c: Clues) -> bool:
    tags = len(TAG.findall(c.text))
    return tags >= MIN_TAGS or (tags >= 1 and c.ext in (".html", ".htm", ".xhtml"))


def _markdown(c: Clues) -> bool:
    return c.ext in (".md", ".markdown") and bool(MARKDOWN_SIGNS.search(c.text))


RULES: tuple[Rule, ...] = (
    Rule("yaml-block-at-start", "frontmatter", lambda c: bool(FRONT_MATTER.match(c.text))),
    Rule("date-prefix-dump", "dump", lambda c: bool(DUMP.match(c.text))),
    Rule("json-object-lines", "jsonl", _jsonl),
    Rule("html-doctype-or-root", "html", lambda c: bool(HTML_STRONG.match(c.text))),
    Rule("csv-header-with-text-column", "csv", _csv),
    Rule("many-html-tags", "html", _html_tags),
    Rule("markdown-extension-and-markup", "markdown", _markdown),
    Rule("fallback", "plain", lambda c: True),
)


def explain_format(text: str, name: str = "", fields: TableFields = TableFields()) -> tuple[str, str]:
    """(format, name of the rule that decided) for `text`, with `name` (a path) as an extension hint."""
    ext = os.path.splitext(name.rsplit("!", 1)[-1].rsplit("#", 1)[0])[1].lower()
    head = text if len(text) <= HEAD else text[: text.rfind("\n", 0, HEAD) + 1 or HEAD]
    clues = Clues(head, ext, fields)
    for rule in RULES:
        if rule.test(clues):
            return rule.format, rule.name
    return "plain", "fallback"


def detect_format(text: str, name: str = "", fields: TableFields = TableFields()) -> str:
    """The format of `text`: frontmatter, markdown, dump, jsonl, html, csv or plain."""
    return explain_format(text, name, fields)[0]
