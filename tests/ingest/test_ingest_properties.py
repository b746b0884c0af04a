"""Property tests: whatever the text, the Markdown body is made of characters copied from it, in order."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from letopis.ingest.readers.frontmatter import split_front_matter
from letopis.ingest.readers.markdown import strip_markdown

MARKUP = st.sampled_from(["#", "# ", "**", "*", "_", "__", "[", "]", "(", ")", "![", "](", "> ", "- ", "`", "```",
                          "\\", "<b>", "</b>", "<https://e.org>", "\n", "\r\n", " ", "===", "---", "~~~", "[x]: u"])
WORDS = st.sampled_from(["Митинг", "в", "Алматы", "прошёл", "мирно", "Токаев", "12", "человек", "«цитата»", "ЧП"])
MARKDOWN = st.lists(st.one_of(MARKUP, WORDS, st.text(max_size=5)), max_size=60).map("".join)


def check(text: str, start: int = 0) -> None:
    md = strip_markdown(text, start)
    last = -1
    covered = 0
    for b0, t0, n in md.body_map.runs:
        assert md.body[b0:b0 + n] == text[t0:t0 + n]
        assert t0 > last and t0 >= start
        last = t0 + n - 1
        covered += n
    assert covered == len(md.body)  # no character was inserted
    for i, ch in enumerate(md.body):
        assert text[md.body_map.to_text(i)] == ch
    for _, (s, e) in md.headings:
        assert 0 <= s < e <= len(text)


@settings(max_examples=400, deadline=None)
@given(MARKDOWN)
def test_properties_markdown_body_is_copied(text):
    check(text)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_properties_any_text_body_is_copied(text):
    check(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30), MARKDOWN)
def test_properties_after_front_matter(meta, body):
    text = f"---\ntitle: {meta!r}\n---\n{body}"
    found = split_front_matter(text)
    assert found is not None
    check(text, found[1])
