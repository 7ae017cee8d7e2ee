"""Normalise characters and whitespace: Unicode forms, quotes, dashes, spaces and blank lines."""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

from textkit.clean._registry import _counted
from textkit.errors import ConfigError, shorten

# --------------------------------------------------------------------------- unicode
_CHAR_MAP: dict[str, str] = {
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u2035\u00b4\u02bc", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u2036\u00ab\u00bb", '"'),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2043\u2212\ufe63\uff0d", "-"),
    # an em dash or bar between words is a pause, not a compound: keep words apart
    **dict.fromkeys("\u2014\u2015\u2e3a\u2e3b", " - "),
    **dict.fromkeys("\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
                    "\u2008\u2009\u200a\u202f\u205f\u3000\x1f", " "),
    **dict.fromkeys("\r\x0b\x0c\x1c\x1d\x1e\x85\u2028", "\n"),
    "\u2029": "\n\n",
    # zero-width and invisible characters, soft hyphens, other control characters
    **dict.fromkeys("\u200b\u2060\ufeff\u00ad", ""),
    **{chr(c): "" for c in [*range(0x00, 0x09), *range(0x0E, 0x1C), *range(0x7F, 0x85),
                            *range(0x86, 0xA0)]},
}
_SPECIAL = re.compile("[" + "".join(re.escape(c) for c in _CHAR_MAP) + "]")


_ASCII_SPECIAL = "".join(c for c in _CHAR_MAP if c.isascii())


def _map_char(match: re.Match[str]) -> str:
    return _CHAR_MAP[match.group()]


def _normalize_unicode(text: str, *, form: Literal["NFKC", "NFC"] = "NFKC") -> tuple[str, int]:
    if form not in ("NFKC", "NFC"):
        raise ConfigError(f"'form' must be 'NFKC' or 'NFC' (got {shorten(form)})")
    n = 0
    if not text.isascii():
        if "\r\n" in text:
            text = text.replace("\r\n", "\n")
        # invisible characters go first, so that NFKC sees a letter next to its accent
        text, n = _SPECIAL.subn(_map_char, text)
        if not unicodedata.is_normalized(form, text):
            text = unicodedata.normalize(form, text)
            n += 1
            text, m = _SPECIAL.subn(_map_char, text)  # NFKC can make new dashes
            n += m
    elif any(c in text for c in _ASCII_SPECIAL):  # one memchr per character: cheap
        text, n = _SPECIAL.subn(_map_char, text.replace("\r\n", "\n"))
    return text, n


@_counted(_normalize_unicode)
def normalize_unicode(text: str, *, form: Literal["NFKC", "NFC"] = "NFKC") -> str:
    """Normalise Unicode: compatibility forms, quotes, dashes, spaces and line breaks.

    Applies ``form`` (NFKC folds ligatures, full-width letters, superscripts and
    the ellipsis character to plain ones), turns curly quotes into straight ones,
    hyphens, en dashes and minus signs into ``-`` and em dashes into `` - ``,
    every Unicode space into a space and every line separator (``\\r\\n``,
    ``\\r``, form feed, U+2028) into ``\\n``; drops zero-width spaces, soft
    hyphens, byte-order marks and control characters (tab and newline are kept).
    Pure ASCII text is returned after one fast check.

    Parameters
    ----------
    text : str
        The text.
    form : {"NFKC", "NFC"}
        Unicode normal form; NFC keeps compatibility characters such as ``ﬁ``.

    Returns
    -------
    str

    Raises
    ------
    ConfigError
        If ``form`` is not ``"NFKC"`` or ``"NFC"``.

    Examples
    --------
    >>> normalize_unicode("\u201cJapan\u2019s\u201d 2004\u20132006 \ufb01nance\u00a0aid\u200b")
    '"Japan\\'s" 2004-2006 finance aid'
    """
    return _normalize_unicode(text, form=form)[0]




_LINE_BREAKS = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_OTHER_SPACE = re.compile("[\x0b\x0c\r\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029"
                          "\u202f\u205f\u3000]")
_SPACE_MAP = {c: "\n" if c in _LINE_BREAKS else " " for c in
              "\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
              "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"}


_BLANK_LINES = re.compile(r"\n\n\n+")


def _map_space(match: re.Match[str]) -> str:
    return _SPACE_MAP[match.group()]


def _normalize_whitespace(text: str) -> tuple[str, int | None]:
    if "\t" in text:
        text = text.replace("\t", " ")
    if not text.isascii() or any(c in text for c in "\r\x0b\x0c\x1c\x1d\x1e\x1f"):
        text = _OTHER_SPACE.sub(_map_space, text.replace("\r\n", "\n"))
    while "  " in text:
        text = text.replace("  ", " ")
    # stripping every line costs less than the two scans that would say whether any line needs it
    text = "\n".join([line.strip(" ") for line in text.split("\n")])
    text = _BLANK_LINES.sub("\n\n", text)  # one pass, literal start: cheaper than a loop
    return text.strip(" \n"), None  # runs of blanks are not worth counting


@_counted(_normalize_whitespace)
def normalize_whitespace(text: str) -> str:
    """Tidy whitespace, keeping paragraph breaks.

    Tabs and Unicode spaces become spaces, runs of spaces one space; lines lose
    leading and trailing spaces; two or more blank lines (or lines of blanks)
    become one blank line, the paragraph separator; the text loses leading and
    trailing whitespace.  Single newlines inside a paragraph are kept.

    Parameters
    ----------
    text : str

    Returns
    -------
    str

    Examples
    --------
    >>> normalize_whitespace("  Area:\\t652,000km2  \\n Capital: Kabul \\n \\n\\n\\nNext  line\\n")
    'Area: 652,000km2\\nCapital: Kabul\\n\\nNext line'
    """
    return _normalize_whitespace(text)[0]
