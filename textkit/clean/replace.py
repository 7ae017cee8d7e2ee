"""Replace markup by its text: Markdown links by their text, escapes and entities by characters."""

from __future__ import annotations

import html
import re

from textkit.clean._registry import _counted
from textkit.clean.normalize import _normalize_unicode

# --------------------------------------------------------------------------- escapes
_MD_ESCAPE = re.compile(r"\\\\*([!-/:-@\[\]-`{-~])")  # backslashes before ASCII punctuation
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def _decode_entity(match: re.Match[str]) -> str:
    decoded = html.unescape(match.group())
    return "" if decoded == "\\" else decoded


def _unescape(text: str) -> tuple[str, int]:
    n = 0
    # decoding one kind can reveal the other ("\&amp;", "&#92;*"): repeat until stable
    for _ in range(10):
        m = k = 0
        if "\\" in text:
            text, m = _MD_ESCAPE.subn(r"\1", text)
        if "&" in text:
            text, k = _ENTITY.subn(_decode_entity, text)
            if k:
                text = _normalize_unicode(text)[0]
        n += m + k
        if not (m or k):
            break
    return text, n


@_counted(_unescape)
def unescape(text: str) -> str:
    r"""Undo Markdown backslash escapes and decode HTML character references.

    ``\$354`` becomes ``$354``, ``\*`` becomes ``*``, the doubled escapes of some
    converters (``PKO\\_E``) lose all their backslashes; ``&amp;``, ``&nbsp;``
    and ``&#8217;`` become the characters they name (then normalised like
    :func:`normalize_unicode`).  A backslash not followed by ASCII punctuation is
    kept.

    Parameters
    ----------
    text : str

    Returns
    -------
    str

    Examples
    --------
    >>> unescape(r"GDP per capita:US\$354\* and PKO\\_E")
    'GDP per capita:US$354* and PKO_E'
    >>> unescape("Mines &amp; Ammunition &#8220;Stockpile&#8221;")
    'Mines & Ammunition "Stockpile"'
    """
    return _unescape(text)[0]




# --------------------------------------------------------------------------- links
_MD_LINK = re.compile(r"\[([^\[\]\n]*)\]\((?:[^()\n]|\([^()\n]*\))*\)")
_MD_IMAGE = re.compile(r"!\[([^\[\]\n]*)\]\((?:[^()\n]|\([^()\n]*\))*\)")


def _replace_markdown_links(text: str) -> tuple[str, int]:
    n = 0
    while "]" in text and "](" in text:  # nested links ([[a](b)](c)) need a second round
        m = 0
        if "![" in text:
            text, m = _MD_IMAGE.subn(r"\1", text)
        text, k = _MD_LINK.subn(r"\1", text)
        n += m + k
        if not (m or k):
            break
    return text, n


@_counted(_replace_markdown_links)
def replace_markdown_links(text: str) -> str:
    """Replace Markdown links ``[text](url)`` and images ``![alt](src)`` by their text.

    Parameters
    ----------
    text : str

    Returns
    -------
    str

    Examples
    --------
    >>> replace_markdown_links("see [the Blue Book](http://www.mofa.go.jp/) now")
    'see the Blue Book now'
    """
    return _replace_markdown_links(text)[0]
