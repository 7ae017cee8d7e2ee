"""Repair words that PDF conversion broke: line-break hyphens and spaces inside words."""

from __future__ import annotations

import re
import unicodedata

from textkit.clean._registry import _counted

# --------------------------------------------------------------------------- word repairs
_SUSPENDED = frozenset({"and", "or", "to", "nor", "but", "through", "versus", "vs"})
_LINE_BREAK_HYPHEN = re.compile(r"-[ \t]*\n[ \t]*(?=[^\W\d_])")
_NEXT_WORD = re.compile(r"\w+")
# a compound starts at a word start: trying the middle of every word would cost a pass per letter
_COMPOUND = re.compile(r"(?<!\w)\w+(?:-\w+)+")


def _word_before(text: str, end: int) -> str:
    """The letters (with their combining accents) that end at ``end``, or ``""``."""
    start = end
    while start > 0 and (text[start - 1].isalpha()
                         or unicodedata.category(text[start - 1]).startswith("M")):
        start -= 1
    word = text[start:end]
    return word if any(c.isalpha() for c in word) else ""


def _dehyphenate(text: str) -> tuple[str, int]:
    if "-" not in text or "\n" not in text:
        return text, 0
    vocabulary: set[str] | None = None
    n = 0

    def join(match: re.Match[str]) -> str:
        nonlocal vocabulary, n
        before = _word_before(text, match.start())
        after = _NEXT_WORD.match(text, match.end())
        if not before or after is None:
            return match.group()
        word = after.group()
        n += 1
        if word.lower() in _SUSPENDED:  # "medium-\nto long-term"
            return "- "
        if vocabulary is None:
            vocabulary = {w.lower() for w in _COMPOUND.findall(text)}
        hyphenated = f"{before}-{word}".lower()
        if hyphenated in vocabulary or word[:1].isupper():  # "self-\ndefense", "Asia-\nPacific"
            return "-"
        return ""

    return _LINE_BREAK_HYPHEN.sub(join, text), n


@_counted(_dehyphenate)
def dehyphenate(text: str) -> str:
    """Join words hyphenated across a line break: ``recon-\\nstruction`` → ``reconstruction``.

    The hyphen is kept (and only the line break removed) when the hyphenated
    form occurs elsewhere in the text (``self-\\ndefense`` when ``self-defense``
    is used) or when the second part is capitalised (``Asia-\\nPacific``).  A
    suspended hyphen (``medium-\\nto long-term``) keeps its hyphen and gets a
    space.  Hyphens not at a line break (``Timor-Leste``) are never touched.

    Parameters
    ----------
    text : str

    Returns
    -------
    str

    Examples
    --------
    >>> dehyphenate("recon-\\nstruction in Asia-\\nPacific and Timor-Leste")
    'reconstruction in Asia-Pacific and Timor-Leste'
    """
    return _dehyphenate(text)[0]


_SPACED_HYPHEN = re.compile(r"- (?=[^\W\d_])")
_SPACED_APOSTROPHE = re.compile(r"' s\b")


def _repair_spacing(text: str) -> tuple[str, int]:
    n = 0

    def close_hyphen(match: re.Match[str]) -> str:
        nonlocal n
        after = _NEXT_WORD.match(text, match.end())
        if not _word_before(text, match.start()) or after is None:
            return match.group()
        if after.group().lower() in _SUSPENDED:  # "mid- and long-term"
            return match.group()
        n += 1
        return "-"

    def close_apostrophe(match: re.Match[str]) -> str:
        nonlocal n
        if not _word_before(out, match.start()):
            return match.group()
        n += 1
        return "'s"

    out = _SPACED_HYPHEN.sub(close_hyphen, text) if "- " in text else text
    if "' s" in out:
        out = _SPACED_APOSTROPHE.sub(close_apostrophe, out)
    return out, n


@_counted(_repair_spacing)
def repair_spacing(text: str) -> str:
    """Close spaces that PDF conversion left inside words: ``counter- narcotic``, ``Japan' s``.

    ``word- word`` becomes ``word-word`` unless the hyphen is suspended
    (``mid- and long-term``, ``small- or medium-sized``); ``Japan' s`` becomes
    ``Japan's``.

    Parameters
    ----------
    text : str

    Returns
    -------
    str

    Examples
    --------
    >>> repair_spacing("counter- narcotic measures, mid- and long-term, Japan' s ODA")
    "counter-narcotic measures, mid- and long-term, Japan's ODA"
    """
    return _repair_spacing(text)[0]
