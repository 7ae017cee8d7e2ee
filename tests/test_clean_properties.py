"""Hypothesis properties of textkit.clean: cleaning twice equals cleaning once."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from textkit.clean import DEFAULT_PIPELINE, clean

# pieces of markup, escapes and layout that the steps react to, mixed with random text
FRAGMENTS = [
    "http://", "https://x.org/a", "www.", "<", ">", "<b>", "b>", "</sup>", "<!--", "-->",
    "[", "](", ")", "(", "]", "![", "[a]", "(c)", "\\", "\\\\", "*", "**", "#", "# ", "## ",
    "&", "&amp;", "&lt;", "&#92;", "#x26;", ";", "-", "--", "---", "-\n", "- ", "\n", "\n\n",
    " ", "  ", "\t", "e", "B", "\u0301", "\u200b", "\xa0", "\u00a9", "(Photo: x)", "Photo:",
    "No comments:", "Back to Index", "(see p. 3)", ".....", "\t2", "' s", "@", "x@y.com",
    "mailto:", "and", "\u2014", "\u2019", "\uff03", "\uff06", "\u2028", "\r", "\x1f", "_",
    "\ufb01", ".", "2", "\u1100", "\u1161", "\u11a8",
]
markup_text = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=3)), max_size=30
).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_clean_is_idempotent_on_any_unicode(text):
    once = clean(text)
    assert clean(once) == once


@settings(max_examples=500, deadline=None, derandomize=True)
@given(markup_text)
def test_clean_is_idempotent_on_markup_mixtures(text):
    once = clean(text)
    assert clean(once) == once


@settings(max_examples=200, deadline=None, derandomize=True)
@given(markup_text)
def test_every_step_is_idempotent(text):
    for _, step in DEFAULT_PIPELINE:
        once = step(text)
        assert step(once) == once


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), markup_text))
def test_cleaned_whitespace_is_tidy(text):
    cleaned = clean(text)
    assert cleaned == cleaned.strip()
    for bad in ("  ", "\t", "\r", "\n\n\n", " \n", "\n "):
        assert bad not in cleaned
