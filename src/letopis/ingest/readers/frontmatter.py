"""Markdown with a YAML front matter block (`---` … `---`), and Markdown without one.

The YAML is read defensively: anchors, aliases and explicit tags are refused before anything is built
(a billion-laughs document never expands), as are blocks over 64 KB and nesting deeper than 20 levels.
Timestamps are not resolved by YAML: a date stays a string and `PartialDate.parse` decides, so an
impossible date (`2022-02-30`) becomes `published=None` instead of a crash. Metadata keys are looked up
with the same names as table fields (`IngestOptions.fields`: title/headline, date/published, author, url/link).

The title span points into the text: at the `# heading` when the body repeats the title, else at the
title's value inside the YAML block.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

import yaml

from ...errors import MalformedFrontMatter
from ..base import IngestOptions, RawInput
from ..document import Document, Span, make_document
from .fields import as_text, find_span, partial_date, pick
from .markdown import strip_markdown

OPENING = re.compile(r"---[ \t]*\r?\n")
CLOSING = re.compile(r"^(?:---|\.\.\.)[ \t]*(?:\r?\n|\r?\Z)", re.M)
MAX_YAML_CHARS = 64 * 1024
MAX_DEPTH = 20
MARKUP = re.compile(r"[*_`#]+")


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves timestamps as strings."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def split_front_matter(text: str) -> tuple[Span, int] | None:
    """(span of the YAML inside the fences, offset where the Markdown starts) or None if there is no block."""
    opening = OPENING.match(text)
    if not opening:
        return None
    closing = CLOSING.search(text, opening.end())
    if not closing:
        return None
    return (opening.end(), closing.start()), closing.end()


def load_front_matter(block: str) -> dict:
    """Parse a YAML block into a dict, refusing what could hurt or surprise. Raises MalformedFrontMatter."""
    if len(block) > MAX_YAML_CHARS:
        raise MalformedFrontMatter(f"the front matter is over {MAX_YAML_CHARS // 1024} KB; keep only metadata in it")
    try:
        _refuse_dangerous(block)
        data = yaml.load(block, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as e:
        where = f" at line {e.problem_mark.line + 1}" if getattr(e, "problem_mark", None) else ""
        problem = getattr(e, "problem", None) or type(e).__name__
        raise MalformedFrontMatter(f"the front matter is not valid YAML{where}: {problem}") from None
    except (RecursionError, ValueError) as e:
        raise MalformedFrontMatter(f"the front matter cannot be read: {e}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise MalformedFrontMatter(f"the front matter is a {type(data).__name__}, not a mapping of key: value")
    return data


def _refuse_dangerous(block: str) -> None:
    depth = 0
    for event in yaml.parse(block, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise MalformedFrontMatter("the front matter uses YAML anchors or aliases; write the values out")
        if getattr(event, "tag", None) or getattr(event, "tags", None):
            raise MalformedFrontMatter("the front matter uses explicit YAML tags; use plain values")
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise MalformedFrontMatter(f"the front matter is nested over {MAX_DEPTH} levels deep")
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


def _norm(value: str) -> str:
    return " ".join(MARKUP.sub(" ", value).split()).casefold()


def read(raw: RawInput, text: str, encoding: str, options: IngestOptions) -> Iterator[Document]:
    """One Document from a Markdown file, with or without front matter."""
    found = split_front_matter(text)
    meta: dict = {}
    yaml_span: Span | None = None
    start = 0
    if found:
        yaml_span, start = found
        meta = load_front_matter(text[yaml_span[0]:yaml_span[1]])
    fields = options.fields
    md = strip_markdown(text, start)
    title = as_text(pick(meta, fields.title))
    heading = md.first_heading()
    title_span = None
    if title:
        if heading and _norm(text[heading[0]:heading[1]]) == _norm(title):
            title_span = heading
        elif yaml_span:
            title_span = find_span(text, title, *yaml_span) or find_span(text, title, start)
    elif heading:
        title_span = heading
        title = " ".join(strip_markdown(text, *heading).body.split()) or None
    yield make_document(
        raw.name, "frontmatter" if found else "markdown", text, md.body, md.body_map,
        title=title, title_span=title_span,
        published=partial_date(pick(meta, fields.date)),
        author=as_text(pick(meta, fields.author)),
        url=as_text(pick(meta, fields.url)),
        encoding=encoding,
    )
