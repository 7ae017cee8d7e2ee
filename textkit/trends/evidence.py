"""Where terms occur: their positions along each document and their occurrences in context."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from textkit.corpus import Corpus
from textkit.kwic import kwic
from textkit.trends.counts import _parts, _positions

# --------------------------------------------------------------------------- dispersion


def dispersion(
    tokens: Mapping[str, Sequence[str]], terms: Sequence[str], *, inside_phrases: bool = True
) -> pd.DataFrame:
    """Where each term occurs along each document.

    Parameters
    ----------
    tokens : mapping of doc_id to list of str
        Normalised tokens per document.
    terms : sequence of str
        Normalised terms (phrases matched as in :func:`term_counts`).
    inside_phrases : bool, default True
        Also find a term inside longer phrase tokens, as :func:`term_counts`.

    Returns
    -------
    pandas.DataFrame
        One row per occurrence: ``term``, ``doc_id``, ``position`` (token
        index), ``tokens`` (document length) and ``relative_position``
        ``= position / (tokens - 1)`` in 0--1 (0 for a one-token document).

    Examples
    --------
    >>> dispersion({"a": ["x", "y", "y", "x", "z"]}, ["x", "q"])
      term doc_id  position  tokens  relative_position
    0    x      a         0       5               0.00
    1    x      a         3       5               0.75
    """
    rows = [
        (term, str(doc), pos, len(toks), pos / max(len(toks) - 1, 1))
        for term in dict.fromkeys(terms)
        for doc, toks in tokens.items()
        for pos in _positions(list(toks), term, inside_phrases=inside_phrases)
    ]
    return pd.DataFrame(rows, columns=["term", "doc_id", "position", "tokens", "relative_position"])


# --------------------------------------------------------------------------- evidence


def _term_regex(term: str, forms: Mapping[str, Iterable[str]]) -> str | None:
    """A regex for the surface forms of ``term`` (and, for a phrase, of its words in a row)."""
    alternatives = [_words_regex(f) for f in forms.get(term, ())]
    parts = _parts(term)
    if len(parts) > 1 and all(forms.get(p) for p in parts):
        alternatives.append(
            r"\s+".join(
                "(?:" + "|".join(_words_regex(f) for f in _longest_first(forms[p])) + ")"
                for p in parts
            )
        )
    alternatives = [a for a in alternatives if a]
    if not alternatives:
        return None
    ordered = sorted(dict.fromkeys(alternatives), key=len, reverse=True)
    return r"(?<![\w-])(?:" + "|".join(ordered) + r")(?![\w-])"


def _longest_first(words: Iterable[str]) -> list[str]:
    return sorted(set(words), key=len, reverse=True)


def _words_regex(form: str) -> str:
    return r"\s+".join(re.escape(w) for w in form.split())


def term_kwic(
    corpus: Corpus,
    term: str,
    forms: Mapping[str, Sequence[str]],
    *,
    window: int = 6,
) -> pd.DataFrame:
    """Every occurrence of a normalised term in context, found through its surface forms.

    Parameters
    ----------
    corpus : Corpus
        The corpus with cleaned texts (``corpus.with_texts(...)``).
    term : str
        A normalised term (``"terror"``, ``"human_secur"``).
    forms : mapping of term to surface forms
        The words (or, for a phrase, words separated by spaces) that produced
        each term, e.g. ``{t: list(c) for t, c in analyzer.surface_forms_.items()}``;
        a phrase term also matches the forms of its words in a row.
    window : int, default 6
        Words of context either side.

    Returns
    -------
    pandas.DataFrame
        :func:`textkit.kwic.kwic` columns (``doc_id``, ``year``, ``label``,
        ``position``, ``left``, ``match``, ``right``, ...) with ``term`` first;
        empty when no surface form is known.

    Examples
    --------
    >>> c = Corpus(pd.DataFrame({"doc_id": ["a"], "year": [2001],
    ...                          "text": ["Terrorists fear human security; terrorism ends."]}))
    >>> forms = {"terror": ["terrorism", "terrorists"], "human_secur": ["human security"]}
    >>> term_kwic(c, "terror", forms, window=1)[["term", "match", "right"]]
         term       match  right
    0  terror  Terrorists   fear
    1  terror   terrorism   ends
    >>> term_kwic(c, "human_secur", forms, window=1)["match"].tolist()
    ['human security']
    """
    pattern = _term_regex(term, forms)
    if pattern is None:
        empty = kwic(corpus, "x", window=window).iloc[0:0]
        return empty.assign(term=pd.Series(dtype=object))[["term", *empty.columns]]
    table = kwic(corpus, pattern, window=window, regex=True, ignore_case=True)
    table.insert(0, "term", term)
    return table
