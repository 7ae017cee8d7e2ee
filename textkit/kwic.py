"""Keyword in context (KWIC): every occurrence of a word, phrase or pattern with its context."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from textkit.corpus import Corpus
from textkit.errors import ConfigError, shorten

__all__ = ["kwic"]

# A word for context windows: letters/digits, joined by hyphens, apostrophes or inner periods.
_WORD = re.compile(r"\w+(?:[-'’.]\w+)*")


def _compile(pattern: str, *, regex: bool, ignore_case: bool) -> re.Pattern[str]:
    if not isinstance(pattern, str) or not pattern.strip():
        raise ConfigError(f"'pattern' must be a non-empty string (got {shorten(pattern)})")
    flags = re.IGNORECASE if ignore_case else 0
    if regex:
        try:
            compiled = re.compile(pattern, flags)
        except re.error as exc:
            raise ConfigError(f"'pattern' {shorten(pattern)} is not a valid regex: {exc}") from None
        if compiled.search(""):
            raise ConfigError(
                f"'pattern' {shorten(pattern)} matches the empty string; "
                "make it match at least one character."
            )
        return compiled
    words = pattern.split()
    body = r"\s+".join(re.escape(w) for w in words)
    return re.compile(rf"(?<![\w-]){body}(?![\w-])", flags)


def kwic(
    corpus: Corpus,
    pattern: str,
    *,
    window: int = 5,
    regex: bool = False,
    ignore_case: bool = True,
) -> pd.DataFrame:
    """Find every occurrence of a word, phrase or regex, with ``window`` words either side.

    Parameters
    ----------
    corpus : Corpus
    pattern : str
        A word (``"security"``), a phrase (``"human security"``: its words in
        order, any whitespace between them) or, with ``regex=True``, a regular
        expression.  Words match whole words only: ``"peace"`` does not match
        ``"peacebuilding"`` nor the ``peace`` of ``peace-keeping``; use a
        regex such as ``r"peace\\w*"`` for that.
    window : int, default 5
        Number of words of context on each side.
    regex : bool, default False
    ignore_case : bool, default True

    Returns
    -------
    pandas.DataFrame
        One row per occurrence, in corpus order: ``doc_id``, ``year``,
        ``label``, ``position`` (index of the first matched word in the
        document), ``left``, ``match``, ``right``, then the document metadata.

    Raises
    ------
    ConfigError
        If the pattern is empty, not a valid regex or matches the empty string,
        or ``window`` is negative.

    Examples
    --------
    >>> import pandas as pd
    >>> c = Corpus(pd.DataFrame({"doc_id": ["a"], "year": [2000],
    ...     "text": ["Japan stresses human security and human  security again."]}))
    >>> kwic(c, "human security", window=2)[["position", "left", "match", "right"]]
       position            left           match          right
    0         2  Japan stresses  human security    and human
    1         5    security and  human  security          again
    """
    if not isinstance(window, int) or isinstance(window, bool) or window < 0:
        raise ConfigError(f"'window' must be a non-negative int (got {window!r})")
    compiled = _compile(pattern, regex=regex, ignore_case=ignore_case)
    labels = corpus.labels
    rows: list[dict[str, Any]] = []
    for doc in corpus:
        text = doc.text
        words = list(_WORD.finditer(text))
        for match in compiled.finditer(text):
            if match.end() == match.start():
                continue
            first = _first_word_ending_after(words, match.start())
            after = _first_word_starting_at_or_after(words, match.end())
            left = " ".join(w.group() for w in words[max(0, first - window) : first])
            right = " ".join(w.group() for w in words[after : after + window])
            rows.append(
                {
                    "doc_id": doc.doc_id,
                    "year": doc.year,
                    "label": labels[doc.doc_id],
                    "position": first,
                    "left": left,
                    "match": match.group(),
                    "right": right,
                    **doc.meta,
                }
            )
    meta_cols = [c for c in corpus.docs.columns if c not in ("doc_id", "year", "text")]
    columns = ["doc_id", "year", "label", "position", "left", "match", "right", *meta_cols]
    table = pd.DataFrame(rows, columns=columns)
    table["year"] = pd.array(table["year"], dtype="Int64")
    return table


def _first_word_starting_at_or_after(words: list[re.Match[str]], offset: int) -> int:
    """Index of the first word that starts at or after ``offset`` (skips a partly matched word)."""
    lo, hi = 0, len(words)
    while lo < hi:
        mid = (lo + hi) // 2
        if words[mid].start() < offset:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _first_word_ending_after(words: list[re.Match[str]], offset: int) -> int:
    """Index of the first word that ends after ``offset`` (the word containing it, or the next)."""
    lo, hi = 0, len(words)
    while lo < hi:
        mid = (lo + hi) // 2
        if words[mid].end() <= offset:
            lo = mid + 1
        else:
            hi = mid
    return lo
