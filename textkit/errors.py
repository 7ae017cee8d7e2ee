"""Errors raised by textkit.

Every error derives from :class:`TextkitError` and says what went wrong, where
(file, row, value) and how to fix it.  Long values are shortened with
:func:`shorten` so a message never prints a whole document.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "TextkitError",
    "CorpusError",
    "MetadataError",
    "ConfigError",
    "shorten",
]


class TextkitError(Exception):
    """Base class of every error textkit raises on purpose."""


class CorpusError(TextkitError):
    """A corpus folder or one of its text files cannot be read as a corpus."""


class MetadataError(CorpusError):
    """A ``metadata.csv`` row or column is wrong (missing file, duplicate id, bad year)."""


class ConfigError(TextkitError, ValueError):
    """A configuration value is out of range or of the wrong type."""


def shorten(value: Any, width: int = 60) -> str:
    """Return ``repr(value)`` cut to at most ``width`` characters.

    Examples
    --------
    >>> shorten("x" * 100, width=12)
    "'xxxxxxx...'"
    >>> shorten(42)
    '42'
    """
    text = repr(value)
    if len(text) <= width:
        return text
    quote = text[0] if text[0] in "'\"" else ""
    return text[: width - 3 - len(quote)] + "..." + quote
