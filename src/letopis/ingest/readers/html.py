"""HTML pages: trafilatura finds the main text and the metadata; we map that text back onto the page.

The body is trafilatura's extracted main text (paragraphs joined by newlines, whitespace collapsed), so
unlike the other readers it is not a copy of one slice of the text. `body_map` is rebuilt by alignment:

1. `visible_text` walks the page and lists its visible characters, each with its offset in the page
   (characters produced by an entity such as `&laquo;` get -1: they are not in the text as such).
   Scripts, styles, `<noscript>`, `<template>` and `<title>` contribute nothing.
2. `align` matches the body word by word against those characters, moving forward only: each paragraph
   is anchored where the longest run of its words matches, then followed word by word, resyncing within
   a short window when trafilatura dropped or changed a word.
3. A body character joins a run only if the page holds that very character at the matched offset.

Characters that could not be located (entity-decoded quotes, collapsed whitespace, reworded words) belong to
no run; `OffsetMap.span_to_text` maps a span through its located characters to offsets in the original page,
which is what the extraction contract needs. Pages trafilatura cannot handle fall back to the visible text.
"""
from __future__ import annotations

import bisect
import html as htmllib
import re
from collections import defaultdict
from collections.abc import Iterator

import trafilatura

from ...errors import EmptyInput
from ..base import IngestOptions, RawInput
from ..document import Document, OffsetMap, Span, make_document
from .fields import as_text, find_span, partial_date, trim

# A tag's attributes stop at the next `<` outside quotes: without that, every unclosed `<a ` of a hostile page
# would scan to the end of the page (quadratic time); an unclosed tag is left as text, like browsers do.
TOKEN = re.compile(
    r"<!--.*?(?:-->|\Z)|<![^>]*>?|<\?[^>]*>?"
    r"|<(?P<close>/?)(?P<tag>[A-Za-z][A-Za-z0-9:-]*)(?:[^<>\"']|\"[^\"]*\"|'[^']*')*+>"
    r"|(?P<entity>&(?:#[0-9]{1,7};?|#[xX][0-9a-fA-F]{1,6};?|[A-Za-z][A-Za-z0-9]{1,31};?))",
    re.S,
)
HIDDEN = frozenset({"script", "style", "noscript", "template", "title", "svg", "iframe", "object"})
INLINE = frozenset({"a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "font", "i", "kbd",
                    "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr"})
TITLE = re.compile(r"<title(?:\s[^<>]*)?>([^<]*)</title\s*>", re.I)   # linear: no scan past the next `<`
WORD = re.compile(r"\S+")
ANCHOR_WORDS = 3      # a paragraph is anchored on one of its first few words
MAX_CANDIDATES = 50   # places tried per anchor word
RESYNC_WINDOW = 20    # words looked ahead when a body word does not match the next page word


def visible_text(page: str) -> tuple[str, list[int]]:
    """The visible characters of `page` and, for each, its offset in `page` (-1 if produced by an entity).

    Block-level tags become a newline (offset -1) so words on either side do not run together.
    """
    chars: list[str] = []
    pos: list[int] = []
    i = 0
    for m in TOKEN.finditer(page):
        if m.start() < i:
            continue  # inside a hidden element already skipped
        chars.extend(page[i:m.start()])
        pos.extend(range(i, m.start()))
        i = m.end()
        tag = (m.group("tag") or "").lower()
        if m.group("entity"):
            decoded = htmllib.unescape(m.group())
            chars.extend(decoded)
            pos.extend(range(m.start(), m.end()) if decoded == m.group() else [-1] * len(decoded))
        elif tag and not m.group("close") and tag in HIDDEN:
            end = re.compile(rf"</{tag}\s*>", re.I).search(page, i)
            i = end.end() if end else len(page)
        elif tag and tag not in INLINE:
            chars.append("\n")
            pos.append(-1)
    chars.extend(page[i:])
    pos.extend(range(i, len(page)))
    return "".join(chars), pos


def align(body: str, page: str, visible: str, vpos: list[int]) -> OffsetMap:
    """Runs mapping the characters of `body` to the same characters of `page`, found in order."""
    vwords = [(m.start(), m.end()) for m in WORD.finditer(visible)]
    vstr = [visible[s:e] for s, e in vwords]
    where: dict[str, list[int]] = defaultdict(list)
    for j, w in enumerate(vstr):
        where[w].append(j)
    runs: list[list[int]] = []
    cursor = 0
    for para in re.finditer(r"[^\n]+", body):
        bwords = [(m.start(), m.end()) for m in WORD.finditer(body, para.start(), para.end())]
        bstr = [body[s:e] for s, e in bwords]
        i, j = _anchor(bstr, vstr, where, cursor)
        if j is None:
            continue
        last = None
        while i < len(bwords):
            if j < len(vstr) and vstr[j] == bstr[i]:
                if last == (i - 1, j - 1):
                    _pair_chars(body, bwords[i - 1][1], bwords[i][0], page, visible, vpos,
                                vwords[j - 1][1], vwords[j][0], runs)
                _pair_chars(body, *bwords[i], page, visible, vpos, *vwords[j], runs)
                last = (i, j)
                i, j = i + 1, j + 1
                continue
            ahead = _next(where, bstr[i], j)
            if ahead is not None and ahead - j <= RESYNC_WINDOW:
                j = ahead
            else:
                i += 1
        cursor = j
    return OffsetMap(tuple(tuple(r) for r in runs))


def _anchor(bstr: list[str], vstr: list[str], where: dict, cursor: int) -> tuple[int, int | None]:
    """(body word index, page word index) where the longest run of matching words starts."""
    best = (0, 0, None)  # (run length, -page index, body index), compared as a tuple
    for i in range(min(ANCHOR_WORDS, len(bstr))):
        occurrences = where.get(bstr[i], [])
        k = bisect.bisect_left(occurrences, cursor)
        for j in occurrences[k:k + MAX_CANDIDATES]:
            run = 0
            while i + run < len(bstr) and j + run < len(vstr) and bstr[i + run] == vstr[j + run]:
                run += 1
            if (run, -j) > best[:2]:
                best = (run, -j, i)
            if run == len(bstr) - i:
                break  # the whole rest of the paragraph matches here: no better place exists
        if best[2] is not None:
            break
    return (best[2], -best[1]) if best[2] is not None else (0, None)


def _next(where: dict, word: str, j: int) -> int | None:
    occurrences = where.get(word, [])
    k = bisect.bisect_left(occurrences, j)
    return occurrences[k] if k < len(occurrences) else None


def _pair_chars(body, bs, be, page, visible, vpos, vs, ve, runs) -> None:
    """Pair body[bs:be] with visible[vs:ve] char by char where the page holds that same character."""
    n = be - bs
    if n != ve - vs or n <= 0:
        return
    p0 = vpos[vs]
    if p0 >= 0 and vpos[ve - 1] == p0 + n - 1 and page[p0:p0 + n] == body[bs:be]:
        _add(runs, bs, p0, n)  # the common case: a word copied as is
        return
    for k in range(n):
        p = vpos[vs + k]
        if p >= 0 and page[p] == body[bs + k] == visible[vs + k]:
            _add(runs, bs + k, p, 1)


def _add(runs: list[list[int]], b: int, t: int, n: int) -> None:
    if runs and b == runs[-1][0] + runs[-1][2] and t == runs[-1][1] + runs[-1][2]:
        runs[-1][2] += n
    else:
        runs.append([b, t, n])


def _fallback_body(visible: str) -> str:
    lines = (" ".join(line.split()) for line in visible.split("\n"))
    return "\n".join(line for line in lines if line)


def _title_span(title: str | None, page: str, visible: str, vpos: list[int]) -> Span | None:
    """The title in the page: in the visible text (the article heading) if there, else inside <title>."""
    if not title:
        return None
    omap = align(title, page, visible, vpos)
    if omap.runs and sum(r[2] for r in omap.runs) >= len(title.replace(" ", "")):
        return omap.span_to_text((0, len(title)))
    element = TITLE.search(page)
    if element:
        return find_span(page, title, *trim(page, *element.span(1)))
    return None


def read(raw: RawInput, text: str, encoding: str, options: IngestOptions) -> Iterator[Document]:
    """One Document per page. Raises EmptyInput if the page has no readable text."""
    result = trafilatura.bare_extraction(
        text, with_metadata=True, include_comments=False, include_tables=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    visible, vpos = visible_text(text)
    body = (getattr(result, "text", None) or "").strip() or _fallback_body(visible)
    if not body:
        raise EmptyInput("the HTML page has no readable text")
    title = as_text(getattr(result, "title", None))
    if not title and TITLE.search(text):
        title = as_text(htmllib.unescape(TITLE.search(text).group(1)))
    yield make_document(
        raw.name, "html", text, body, align(body, text, visible, vpos),
        title=title, title_span=_title_span(title, text, visible, vpos),
        published=partial_date(getattr(result, "date", None)),
        author=as_text(getattr(result, "author", None)),
        url=as_text(getattr(result, "url", None)),
        encoding=encoding,
    )
