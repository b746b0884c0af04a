"""Markdown → plain body by deleting markup, never rewriting: every body character is copied from the text.

Removed: heading markers (`# `, closing `#`s, `===`/`---` underlines), emphasis delimiters (`**`, `__`, `*`, `_`
when they flank a word), link syntax (`[text](url)` keeps `text`), images, inline HTML tags, backticks,
blockquote `> `, bullet markers, horizontal rules, fences and link definitions; a backslash escape keeps
the escaped character. Line breaks are kept, so paragraphs stay paragraphs. Because the body is built with
`BodyBuilder`, `body_map` sends each body character back to the very character it was copied from.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..document import BodyBuilder, OffsetMap, Span
from .fields import trim

LINE = re.compile(r"[^\n]*\n?")
FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
QUOTE = re.compile(r"[ \t]{0,3}>[ \t]?")
HEADING = re.compile(r" {0,3}(#{1,6})(?:[ \t]+|$)")
CLOSING_HASHES = re.compile(r"(?<![ \t])[ \t]++#+[ \t]*$|^#+[ \t]*$")   # a blank run is tried once
RULE_LINE = re.compile(r" {0,3}(?:([-*_])(?:[ \t]*\1){2,}|=+)[ \t]*$")
SETEXT_H1 = re.compile(r" {0,3}=+[ \t]*$")
BULLET = re.compile(r"[ \t]*[-*+][ \t]+(?=\S)")
LINK_DEFINITION = re.compile(r" {0,3}\[[^\]\n]+\]:[ \t]*\S+.*$")

# Brackets and parentheses do not nest inside a label or a destination: a scan stops at the next opening one, so
# a hostile line of `[[[[…` or `](](…` costs linear time instead of a scan to the end of the line per bracket
# (the same for `<http://<http://…`); a code span is at most 1 KB long for the same reason.
INLINE = re.compile(
    r"(?P<escape>\\[!-/:-@\[-`{-~])"
    r"|(?P<image>!\[[^\[\]\n]*\](?:\([^()\n]*\)|\[[^\[\]\n]*\]))"
    r"|(?P<link>\[(?P<label>[^\[\]\n]*)\](?:\([^()\n]*\)|\[[^\[\]\n]*\]))"
    r"|(?P<autolink><(?:https?://|mailto:)[^<>\s]+>)"
    r"|(?P<tag></?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>\n]*)?/?>)"
    r"|(?P<code>(?P<ticks>`+)(?P<codetext>[^`\n](?:[^\n]{0,1000}?[^`\n])?)(?P=ticks)(?!`))"   # spans ≤ 1 KB
    r"|(?P<emphasis>\*+|_+)"
)


@dataclass(frozen=True, slots=True)
class MarkdownBody:
    """The markup-free body, its map into the text, and (level, text span) of every ATX or setext heading."""

    body: str
    body_map: OffsetMap
    headings: tuple[tuple[int, Span], ...]

    def first_heading(self) -> Span | None:
        """Span of the first level-1 heading, else of the first heading of any level, else None."""
        for level, span in self.headings:
            if level == 1:
                return span
        return self.headings[0][1] if self.headings else None


def strip_markdown(text: str, start: int = 0, stop: int | None = None) -> MarkdownBody:
    """Strip the markup of text[start:stop] (the whole text by default)."""
    start, stop = trim(text, start, stop)
    out = BodyBuilder(text)
    headings: list[tuple[int, Span]] = []
    fence: str | None = None
    previous: Span | None = None  # content span of the previous non-blank line, for setext headings
    for m in LINE.finditer(text, start, stop):
        if m.start() == m.end():
            break
        ls, le = m.start(), m.end()
        ce = le  # end of the line's content, before its "\n" or "\r\n"
        if text[ce - 1] == "\n":
            ce -= 1 + (ce - 1 > ls and text[ce - 2] == "\r")
        line = text[ls:ce]
        if fence is not None:
            if FENCE.match(line) and line.strip().startswith(fence):
                fence = None
            else:
                out.copy(ls, ce)
            out.copy(ce, le)
            continue
        opened = FENCE.match(line)
        if opened:
            fence = opened.group(1)[0] * 3
        elif SETEXT_H1.match(line) and previous is not None:
            headings.append((1, previous))
        elif not (RULE_LINE.match(line) or LINK_DEFINITION.match(line)):
            _line(text, ls, ce, out, headings)
        out.copy(ce, le)
        previous = trim(text, ls, ce) if line.strip() and not opened else None
    body, body_map = out.build()
    return _clip(body, body_map, headings)


def _line(text: str, pos: int, end: int, out: BodyBuilder, headings: list) -> None:
    while True:
        quote = QUOTE.match(text, pos, end)
        if not quote or quote.end() == pos:
            break
        pos = quote.end()
    heading = HEADING.match(text, pos, end)
    if heading:
        pos = heading.end()
        closing = CLOSING_HASHES.search(text[pos:end])
        if closing:
            end = pos + closing.start()
        span = trim(text, pos, end)
        if span[1] > span[0]:
            headings.append((len(heading.group(1)), span))
    else:
        bullet = BULLET.match(text, pos, end)
        if bullet:
            pos = bullet.end()
    _inline(text, pos, end, out)


def _inline(text: str, pos: int, end: int, out: BodyBuilder) -> None:
    """Copy text[pos:end] to `out`, leaving out inline markup."""
    for m in INLINE.finditer(text, pos, end):
        kind = next(k for k in ("escape", "image", "link", "autolink", "tag", "code", "emphasis") if m.group(k))
        if kind == "emphasis" and not _is_delimiter(text, m.start(), m.end(), pos, end):
            continue
        out.copy(pos, m.start())
        if kind == "escape":
            out.copy(m.start() + 1, m.end())
        elif kind == "link":
            _inline(text, m.start("label"), m.end("label"), out)
        elif kind == "autolink":
            out.copy(m.start() + 1, m.end() - 1)
        elif kind == "code":
            out.copy(m.start("codetext"), m.end("codetext"))
        pos = m.end()
    out.copy(pos, end)


def _is_delimiter(text: str, start: int, stop: int, lo: int, hi: int) -> bool:
    """CommonMark-style flanking: a `*` run touching a word on either side is markup, `2 * 3` is not;
    an `_` run inside a word (snake_case) is text."""
    before = text[start - 1] if start > lo else " "
    after = text[stop] if stop < hi else " "
    left = not after.isspace()
    right = not before.isspace()
    if text[start] == "_" and before.isalnum() and after.isalnum():
        return False
    return left or right


def _clip(body: str, body_map: OffsetMap, headings: list) -> MarkdownBody:
    """Drop whitespace left at the ends of the body by deleted lines, shifting the runs to match."""
    lo, hi = trim(body)
    runs = []
    for b0, t0, n in body_map.runs:
        s, e = max(b0, lo), min(b0 + n, hi)
        if e > s:
            runs.append((s - lo, t0 + s - b0, e - s))
    return MarkdownBody(body[lo:hi], OffsetMap(tuple(runs)), tuple(headings))
