"""Term counts per document: the researcher's terms normalised, and counted in token lists."""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from textkit.errors import TextkitError, shorten
from textkit.trends._checks import (
    _check_positive_int,
    _Normalizer,
)

logger = logging.getLogger(__name__)


# --------------------------------------------------------------------------- terms


def normalize_terms(terms: Iterable[str], analyzer: _Normalizer) -> pd.DataFrame:
    """Normalise the researcher's terms exactly as the corpus is normalised.

    Parameters
    ----------
    terms : iterable of str
        Words or multi-word phrases as a reader writes them
        (``"Human Security"``).
    analyzer : object with ``normalize_term(str) -> str``
        Normally the fitted :class:`textkit.features.Analyzer` that made the
        token lists, so that "terrorism" becomes its stem and "human security"
        its phrase token.

    Returns
    -------
    pandas.DataFrame
        Columns ``query`` (as given) and ``term`` (normalised), one row per
        query, in the order given.  Two queries may share one ``term``.

    Raises
    ------
    TextkitError
        If ``terms`` is a bare string, or a term normalises to nothing (the
        message names it).

    Examples
    --------
    >>> class Lower:
    ...     def normalize_term(self, term):
    ...         return term.lower().replace(" ", "_")
    >>> normalize_terms(["Terrorism", "terrorism", "human security"], Lower())
                query            term
    0       Terrorism       terrorism
    1       terrorism       terrorism
    2  human security  human_security
    """
    if isinstance(terms, str):
        raise TextkitError(
            f"'terms' must be a list of terms, not one string (got {shorten(terms)}); "
            f"write [{terms!r}]"
        )
    rows = []
    for query in terms:
        if not isinstance(query, str) or not query.strip():
            raise TextkitError(f"term {shorten(query)} is empty; remove it from 'terms'")
        try:
            term = analyzer.normalize_term(query)
        except TextkitError:
            raise
        except Exception as exc:  # a user's analyzer may raise anything
            raise TextkitError(f"term {query!r} cannot be normalised: {exc}") from exc
        if not term:
            raise TextkitError(
                f"term {query!r} normalises to nothing (it is made only of stop words, "
                "numbers or punctuation); change or remove it"
            )
        rows.append({"query": query, "term": term})
    return pd.DataFrame(rows, columns=["query", "term"])


def _parts(term: str) -> tuple[str, ...]:
    """Words of a phrase term, joined by ``_`` (phrase token) or spaces."""
    parts = tuple(p for p in re.split(r"[_\s]+", term) if p)
    return parts if len(parts) > 1 else (term,)


def _positions(tokens: Sequence[str], term: str, *, inside_phrases: bool = True) -> list[int]:
    """Token indices where ``term`` starts.

    A term matches a token equal to it, or (for a phrase ``a_b``) the tokens
    ``a``, ``b`` in a row when the phrase model left them apart.  With
    ``inside_phrases`` it also matches inside a longer phrase token
    (``trust_fund_human_secur`` holds ``human_secur`` and ``secur``): the
    tokens are split at ``_`` and the term's words are looked for as a run.
    """
    parts = _parts(term)
    k = len(parts)
    if not inside_phrases:
        hits = [i for i, tok in enumerate(tokens) if tok == term]
        if k > 1:
            hits.extend(
                i
                for i in range(len(tokens) - k + 1)
                if tokens[i] == parts[0] and tuple(tokens[i : i + k]) == parts
            )
            hits.sort()
        return hits
    words: list[str] = []
    owner: list[int] = []
    for i, tok in enumerate(tokens):
        pieces = tok.split("_") if "_" in tok else (tok,)
        words.extend(pieces)
        owner.extend([i] * len(pieces))
    first = parts[0]
    return [
        owner[j]
        for j in range(len(words) - k + 1)
        if words[j] == first and (k == 1 or tuple(words[j : j + k]) == parts)
    ]


# --------------------------------------------------------------------------- counts


def term_counts(
    tokens: Mapping[str, Sequence[str]],
    terms: Sequence[str] | None = None,
    *,
    years: Mapping[str, Any] | pd.Series | None = None,
    min_count: int = 1,
    inside_phrases: bool = True,
) -> pd.DataFrame:
    """Count terms in each document: the long count table every analysis uses.

    Parameters
    ----------
    tokens : mapping of doc_id to list of str
        Normalised tokens per document (the output of one analyzer).
    terms : sequence of str, optional
        Normalised terms to count.  A phrase term ``"human_secur"`` counts the
        phrase token and, where the phrase model left the words apart, the
        tokens ``human secur`` in a row.  A term that never occurs gets zero
        counts, it is not dropped.  ``None`` counts every token type (phrase
        tokens as their own terms) whose corpus total (over the documents
        kept) is at least ``min_count``.
    years : mapping or Series of doc_id to year, optional
        When given, adds a ``year`` column and leaves out documents whose year
        is missing (logged); the ids left out are in ``result.attrs["undated"]``.
    min_count : int, default 1
        Minimum corpus total for a term when ``terms`` is None.
    inside_phrases : bool, default True
        With ``terms`` given, also count a term inside longer phrase tokens
        (``human_secur`` inside ``trust_fund_human_secur``, ``terror`` inside
        ``war_terror``), so that a researcher's term is found wherever its
        words occur.  ``False`` counts only whole tokens (the convention of
        ``terms=None``).

    Returns
    -------
    pandas.DataFrame
        Columns ``term``, ``doc_id``, (``year``), ``count``, ``tokens``: one
        row per term and document, sorted by term then document order.
        ``tokens`` is the document's length in tokens (the rate denominator).

    Examples
    --------
    >>> toks = {"a": ["human_secur", "x", "human", "secur"], "b": ["y"], "c": ["human_secur"]}
    >>> t = term_counts(toks, ["human_secur", "never"], years={"a": 2001, "b": 2002, "c": None})
    >>> t
              term doc_id  year  count  tokens
    0  human_secur      a  2001      2       4
    1  human_secur      b  2002      0       1
    2        never      a  2001      0       4
    3        never      b  2002      0       1
    >>> t.attrs["undated"]
    ['c']
    """
    min_count = _check_positive_int("min_count", min_count)
    doc_ids = [str(d) for d in tokens]
    undated: list[str] = []
    year_of: dict[str, int] = {}
    if years is not None:
        ymap = years.to_dict() if isinstance(years, pd.Series) else dict(years)
        for d in doc_ids:
            y = ymap.get(d)
            if y is None or pd.isna(y):
                undated.append(d)
            else:
                year_of[d] = int(y)
        if undated:
            logger.info("left out %d undated document(s): %s", len(undated), ", ".join(undated))
        doc_ids = [d for d in doc_ids if d not in set(undated)]
    lists = {d: list(tokens[d]) for d in doc_ids}
    lengths = np.array([len(lists[d]) for d in doc_ids], dtype=int)
    if terms is None:
        code: dict[str, int] = {}
        rows_t: list[int] = []
        rows_d: list[int] = []
        values: list[int] = []
        for j, d in enumerate(doc_ids):
            for tok, k in Counter(lists[d]).items():
                rows_t.append(code.setdefault(tok, len(code)))
                rows_d.append(j)
                values.append(k)
        t_idx = np.asarray(rows_t, dtype=int)
        total = np.bincount(t_idx, weights=values, minlength=len(code))
        names = np.array(list(code), dtype=object)
        kept = np.flatnonzero(total >= min_count)
        kept = kept[np.argsort(names[kept].astype(str), kind="stable")]
        new_code = np.full(len(code), -1)
        new_code[kept] = np.arange(len(kept))
        matrix = np.zeros((len(kept), len(doc_ids)), dtype=int)
        sel = new_code[t_idx] >= 0
        matrix[new_code[t_idx][sel], np.asarray(rows_d, dtype=int)[sel]] = np.asarray(
            values, dtype=int
        )[sel]
        term_list = [str(t) for t in names[kept]]
    else:
        if isinstance(terms, str):
            raise TextkitError(f"'terms' must be a list of terms, not one string (got {terms!r})")
        term_list = list(dict.fromkeys(terms))
        matrix = np.array(
            [
                [len(_positions(lists[d], t, inside_phrases=inside_phrases)) for d in doc_ids]
                for t in term_list
            ],
            dtype=int,
        ).reshape(len(term_list), len(doc_ids))
    n_terms, n_docs = len(term_list), len(doc_ids)
    out = pd.DataFrame(
        {
            "term": pd.Series(np.repeat(np.array(term_list, dtype=object), n_docs), dtype=object),
            "doc_id": pd.Series(np.tile(np.array(doc_ids, dtype=object), n_terms), dtype=object),
        }
    )
    if years is not None:
        year_arr = np.array([year_of[d] for d in doc_ids], dtype="int64")
        out["year"] = pd.array(np.tile(year_arr, n_terms), dtype="Int64")
    out["count"] = matrix.ravel()
    out["tokens"] = np.tile(lengths, n_terms)
    out.attrs["undated"] = undated
    return out
