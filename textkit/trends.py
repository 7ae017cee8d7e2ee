"""Term trends: counts, rates with intervals, trend tests, keyness and dispersion.

Every function here is pure and works on token lists that the caller made
with one :class:`textkit.features.Analyzer`, so a term means the same thing
in every table.  The statistics, stated once:

* **Rates** are occurrences per 10,000 tokens, ``per_10k = 10_000 * count /
  tokens``, with an *exact Poisson (Garwood) interval*:
  ``chi2.ppf(a/2, 2k) / 2`` to ``chi2.ppf(1 - a/2, 2k + 2) / 2`` for a count
  ``k``, scaled by ``10_000 / tokens``.  A year's rate pools the counts and
  tokens of its documents; its interval treats the pooled count as Poisson and
  so ignores differences between documents of the same year.
* :func:`bootstrap_rates` gives a second interval for a year's rate by
  resampling its passages, which widens where a term comes in bursts.
* **Counting**: a phrase term (``human_secur``) counts its phrase token and its
  words in a row; a researcher's term is by default also found inside longer
  phrase tokens (``trust_fund_human_secur``), while the data-driven vocabulary
  (``terms=None``) counts whole tokens only.
* **Trend tests** fit, for each term, a Poisson GLM of the counts per document
  on year with ``log(tokens)`` as offset (fitted for all terms at once by
  Newton--Raphson; the tests check it against statsmodels).  ``exp(slope)`` is the
  rate ratio per year.  The default ``"quasipoisson"`` test scales the
  standard error by the Pearson dispersion (never below 1) and uses a *t*
  test with ``n_docs - 2`` degrees of freedom; ``"poisson"`` uses the plain
  Wald *z*; ``"permutation"`` permutes years across documents and compares the
  Poisson score statistic.  p-values are adjusted over all tested terms with
  Benjamini--Hochberg.  A change is flagged ``single_document`` when one
  document carries the term or leaving out its main document reverses the slope.
* **Keyness** compares a late and an early period with Dunning's
  log-likelihood G² on the full 2x2 table (one degree of freedom) and the
  log ratio ``log2((a / A) / (b / B))``; a zero count is replaced by 0.5
  (Hardie's convention) and the interval is ``± z * sqrt(1/a + 1/b) / ln 2``.
* **Dispersion** and **evidence**: positions of a term along each document
  (:func:`dispersion`) and its occurrences in context (:func:`term_kwic`).

Examples
--------
>>> tokens = {"d1": ["peac", "build", "peac"], "d2": ["peac", "terror"]}
>>> term_counts(tokens, ["peac", "terror"])[["term", "doc_id", "count", "tokens"]]
     term doc_id  count  tokens
0    peac     d1      2       3
1    peac     d2      1       2
2  terror     d1      0       3
3  terror     d2      1       2
"""

from __future__ import annotations

import itertools
import logging
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal, Protocol

import numpy as np
import pandas as pd
from scipy import stats
from scipy.special import xlogy

from textkit.corpus import Corpus
from textkit.errors import ConfigError, TextkitError, shorten
from textkit.kwic import kwic

__all__ = [
    "PER",
    "TrendMethod",
    "bootstrap_rates",
    "default_split_year",
    "dispersion",
    "fitted_rates",
    "keyness",
    "log_likelihood_g2",
    "log_ratio",
    "normalize_terms",
    "poisson_interval",
    "select_trend_terms",
    "term_counts",
    "term_kwic",
    "term_rates",
    "top_keyness",
    "trend_notes",
    "trend_panel_table",
    "trend_tests",
    "yearly_rates",
]

logger = logging.getLogger(__name__)

PER = 10_000
"""Rates are given per this many tokens."""

TrendMethod = Literal["quasipoisson", "poisson", "permutation"]
_METHODS = ("quasipoisson", "poisson", "permutation")

RATE_COLUMNS = ["term", "doc_id", "year", "count", "tokens", "per_10k", "ci_low", "ci_high"]


class _Normalizer(Protocol):
    def normalize_term(self, term: str) -> str: ...


# --------------------------------------------------------------------------- checks


def _check_confidence(confidence: float) -> float:
    if not isinstance(confidence, (int, float)) or not 0 < confidence < 1:
        raise ConfigError(f"'confidence' must be a number between 0 and 1 (got {confidence!r})")
    return float(confidence)


def _check_positive_int(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ConfigError(f"'{name}' must be a positive int (got {value!r})")
    return int(value)


def _require(df: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise TextkitError(
            f"{what} needs columns {list(columns)}; missing {missing}. "
            "Build it with textkit.trends.term_counts(..., years=...)."
        )


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


# --------------------------------------------------------------------------- rates


def poisson_interval(counts: Any, *, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Garwood) confidence interval for the mean of a Poisson count.

    Parameters
    ----------
    counts : int or array of int
        Observed counts ``k``.
    confidence : float, default 0.95
        Two-sided coverage.

    Returns
    -------
    low, high : numpy.ndarray
        ``chi2.ppf(a/2, 2k) / 2`` (0 when ``k == 0``) and
        ``chi2.ppf(1 - a/2, 2k + 2) / 2`` with ``a = 1 - confidence``.

    Examples
    --------
    >>> low, high = poisson_interval([0, 4])
    >>> [round(float(v), 4) for v in low], [round(float(v), 4) for v in high]
    ([0.0, 1.0899], [3.6889, 10.2416])
    """
    a = 1 - _check_confidence(confidence)
    k = np.asarray(counts, dtype=float)
    with np.errstate(invalid="ignore"):
        low = np.where(k > 0, stats.chi2.ppf(a / 2, 2 * k) / 2, 0.0)
    high = stats.chi2.ppf(1 - a / 2, 2 * k + 2) / 2
    return np.atleast_1d(low).astype(float), np.atleast_1d(high).astype(float)


def _add_rates(df: pd.DataFrame, *, per: float, confidence: float) -> pd.DataFrame:
    low, high = poisson_interval(df["count"].to_numpy(), confidence=confidence)
    tokens = df["tokens"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(tokens > 0, per / tokens, np.nan)
    df["per_10k"] = df["count"].to_numpy(dtype=float) * scale
    df["ci_low"] = low * scale
    df["ci_high"] = high * scale
    return df


def term_rates(counts: pd.DataFrame, *, per: float = PER, confidence: float = 0.95) -> pd.DataFrame:
    """Rate per 10,000 tokens of each term in each dated document, with its interval.

    Parameters
    ----------
    counts : pandas.DataFrame
        Output of :func:`term_counts` called with ``years=``.
    per : float, default 10,000
        Rates are per this many tokens (the column keeps its name ``per_10k``).
    confidence : float, default 0.95
        Coverage of the exact Poisson (Garwood) interval.

    Returns
    -------
    pandas.DataFrame
        Columns ``term, doc_id, year, count, tokens, per_10k, ci_low,
        ci_high``; ``per_10k = per * count / tokens`` exactly (NaN for an
        empty document).

    Raises
    ------
    TextkitError
        If the table lacks the count columns or the ``year`` column.

    Examples
    --------
    >>> c = term_counts({"a": ["x"] * 4 + ["y"] * 9996}, ["x"], years={"a": 2000})
    >>> term_rates(c).round(4)
      term doc_id  year  count  tokens  per_10k  ci_low  ci_high
    0    x      a  2000      4   10000      4.0  1.0899  10.2416
    """
    _require(counts, ["term", "doc_id", "year", "count", "tokens"], "term_rates")
    out = counts[["term", "doc_id", "year", "count", "tokens"]].copy()
    out = _add_rates(out, per=per, confidence=confidence)
    out.attrs = dict(counts.attrs)
    return out[RATE_COLUMNS]


def yearly_rates(
    counts: pd.DataFrame, *, per: float = PER, confidence: float = 0.95
) -> pd.DataFrame:
    """Rate per 10,000 tokens of each term in each year, pooling the year's documents.

    The interval is the exact Poisson interval of the pooled count, so it
    reflects sampling of tokens, not differences between documents of a year.

    Parameters
    ----------
    counts : pandas.DataFrame
        Output of :func:`term_counts` (or :func:`term_rates`) with a ``year`` column.
    per : float, default 10,000
        Rates are per this many tokens.
    confidence : float, default 0.95
        Coverage of the interval.

    Returns
    -------
    pandas.DataFrame
        Columns ``term, year, n_docs, count, tokens, per_10k, ci_low, ci_high``.

    Examples
    --------
    >>> c = term_counts({"a": ["x", "y"], "b": ["y", "y"], "c": ["x"]}, ["x"],
    ...                 years={"a": 2000, "b": 2000, "c": 2001})
    >>> yearly_rates(c)[["term", "year", "n_docs", "count", "tokens", "per_10k"]]
      term  year  n_docs  count  tokens  per_10k
    0    x  2000       2      1       4   2500.0
    1    x  2001       1      1       1  10000.0
    """
    _require(counts, ["term", "doc_id", "year", "count", "tokens"], "yearly_rates")
    dated = counts[counts["year"].notna()]
    out = (
        dated.groupby(["term", "year"], sort=True)
        .agg(n_docs=("doc_id", "nunique"), count=("count", "sum"), tokens=("tokens", "sum"))
        .reset_index()
    )
    out["year"] = out["year"].astype("Int64")
    return _add_rates(out, per=per, confidence=confidence)


def bootstrap_rates(
    counts: pd.DataFrame,
    *,
    n_boot: int = 1000,
    per: float = PER,
    confidence: float = 0.95,
    random_state: int = 0,
) -> pd.DataFrame:
    """Rate per 10,000 tokens per term and year with a bootstrap interval over units.

    ``counts`` holds one row per term and *unit* (typically a passage of
    :func:`textkit.segment.segment`, its id in ``doc_id``).  Within each year the
    units are resampled with replacement ``n_boot`` times (the same resamples
    for every term); each resample's rate is ``per * sum(count) / sum(tokens)``
    and the interval is the percentile interval.  Unlike the Poisson interval
    it widens when a term comes in bursts (many occurrences in few passages);
    a term never seen in a year gets the interval 0--0, so read it beside
    :func:`yearly_rates`.

    Parameters
    ----------
    counts : pandas.DataFrame
        Columns ``term, doc_id, year, count, tokens`` (one row per unit).
    n_boot : int, default 1000
        Number of resamples.
    per : float, default 10,000
        Rates are per this many tokens.
    confidence : float, default 0.95
        Coverage of the percentile interval.
    random_state : int, default 0
        Seed of the resampling.

    Returns
    -------
    pandas.DataFrame
        Columns ``term, year, n_units, count, tokens, per_10k, boot_low, boot_high``.

    Examples
    --------
    >>> rows = [("x", f"p{i}", 2000, c, 100) for i, c in enumerate([0, 0, 0, 8])]
    >>> units = pd.DataFrame(rows, columns=["term", "doc_id", "year", "count", "tokens"])
    >>> b = bootstrap_rates(units)
    >>> b[["term", "year", "n_units", "count", "per_10k", "boot_low"]]
      term  year  n_units  count  per_10k  boot_low
    0    x  2000        4      8    200.0       0.0
    >>> float(b.loc[0, "boot_high"])
    600.0
    """
    _require(counts, ["term", "doc_id", "year", "count", "tokens"], "bootstrap_rates")
    n_boot = _check_positive_int("n_boot", n_boot)
    a = 1 - _check_confidence(confidence)
    data = counts[counts["year"].notna()]
    rng = np.random.default_rng(random_state)
    rows: list[dict[str, Any]] = []
    for year, group in data.groupby("year", sort=True):
        wide = group.pivot_table(
            index="term", columns="doc_id", values="count", aggfunc="sum", fill_value=0
        )
        units = list(wide.columns)
        tok = group.drop_duplicates("doc_id").set_index("doc_id").loc[units, "tokens"]
        t = tok.to_numpy(dtype=float)
        c = wide.to_numpy(dtype=float)
        idx = rng.integers(0, len(units), size=(n_boot, len(units)))
        with np.errstate(divide="ignore", invalid="ignore"):
            boot = per * c[:, idx].sum(axis=2) / t[idx].sum(axis=1)[None, :]
            rate = per * c.sum(axis=1) / t.sum()
        low, high = np.nanpercentile(boot, [100 * a / 2, 100 * (1 - a / 2)], axis=1)
        for i, term in enumerate(wide.index):
            rows.append(
                {"term": term, "year": int(year), "n_units": len(units), "count": int(c[i].sum()),
                 "tokens": int(t.sum()), "per_10k": float(rate[i]), "boot_low": float(low[i]),
                 "boot_high": float(high[i])}
            )  # fmt: skip
    out = pd.DataFrame(
        rows,
        columns=["term", "year", "n_units", "count", "tokens", "per_10k", "boot_low", "boot_high"],
    )
    out = out.sort_values(["term", "year"], kind="stable").reset_index(drop=True)
    out["year"] = out["year"].astype("Int64")
    return out


# --------------------------------------------------------------------------- trend tests


def _fit_poisson(
    y: np.ndarray, x: np.ndarray, log_t: np.ndarray, mask: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """Poisson GLM ``y ~ 1 + x`` with offset ``log_t``, fitted for many terms at once.

    ``y`` is terms x documents; ``mask`` (same shape, default all True) leaves
    documents out per term.  Newton--Raphson with step halving on the
    log-likelihood (the same maximum as statsmodels' ``GLM(..., Poisson())``,
    checked in the tests).  Returns intercept, slope, standard error of the
    slope, Pearson chi2 and a note per term (non-empty, with NaN values, when
    the slope cannot be estimated).
    """
    y = np.atleast_2d(np.asarray(y, dtype=float))
    m = y.shape[0]
    if m == 0 or y.shape[1] == 0:
        why = "no dated documents"
        return (*(np.full(m, np.nan) for _ in range(4)), [why] * m)  # type: ignore[return-value]
    w = np.ones_like(y) if mask is None else np.asarray(mask, dtype=float)
    yw = y * w
    notes = [""] * m
    nan = np.full(m, np.nan)
    big = np.where(w > 0, x[None, :], -np.inf)
    small = np.where(w > 0, x[None, :], np.inf)
    xmax, xmin = big.max(axis=1), small.min(axis=1)
    on = (yw > 0) & (w > 0)
    on_max = np.where(on, x[None, :], -np.inf).max(axis=1)
    on_min = np.where(on, x[None, :], np.inf).min(axis=1)
    total = yw.sum(axis=1)
    for i in range(m):
        if not xmax[i] > xmin[i]:
            notes[i] = "only one year: no slope can be estimated"
        elif total[i] == 0:
            notes[i] = "no occurrences in the dated documents"
        elif on_min[i] == xmax[i]:
            notes[i] = "every occurrence is in the latest year: slope unbounded"
        elif on_max[i] == xmin[i]:
            notes[i] = "every occurrence is in the earliest year: slope unbounded"
    ok = np.array([not note for note in notes])
    if not ok.any():
        return nan, nan.copy(), nan.copy(), nan.copy(), notes
    Y, W = yw[ok], w[ok]
    T = np.exp(log_t)[None, :] * W
    b0 = np.log(Y.sum(axis=1) / T.sum(axis=1))
    b1 = np.zeros_like(b0)

    def loglik(c0: np.ndarray, c1: np.ndarray) -> np.ndarray:
        eta = c0[:, None] + c1[:, None] * x[None, :] + log_t[None, :]
        return np.sum(W * (Y * eta - np.exp(eta)), axis=1)

    ll = loglik(b0, b1)
    converged = np.zeros(len(b0), dtype=bool)
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(100):
            mu = W * np.exp(b0[:, None] + b1[:, None] * x[None, :] + log_t[None, :])
            r = Y - mu
            g0, g1 = r.sum(axis=1), (r * x).sum(axis=1)
            h00, h01, h11 = mu.sum(axis=1), (mu * x).sum(axis=1), (mu * x * x).sum(axis=1)
            det = h00 * h11 - h01**2
            d0 = (h11 * g0 - h01 * g1) / det
            d1 = (h00 * g1 - h01 * g0) / det
            step = np.ones_like(b0)
            for _halving in range(30):
                new_ll = loglik(b0 + step * d0, b1 + step * d1)
                worse = ~(new_ll >= ll - 1e-12 * np.abs(ll))
                if not worse.any():
                    break
                step = np.where(worse, step / 2, step)
            b0, b1, ll = b0 + step * d0, b1 + step * d1, loglik(b0 + step * d0, b1 + step * d1)
            converged = (np.abs(step * d0) < 1e-10) & (np.abs(step * d1) < 1e-10)
            if converged.all():
                break
        mu = W * np.exp(b0[:, None] + b1[:, None] * x[None, :] + log_t[None, :])
        h00, h01, h11 = mu.sum(axis=1), (mu * x).sum(axis=1), (mu * x * x).sum(axis=1)
        se = np.sqrt(h00 / (h00 * h11 - h01**2))
        pearson = np.sum(np.where(W > 0, (Y - mu) ** 2 / np.where(mu > 0, mu, 1.0), 0.0), axis=1)
    out = [np.full(m, np.nan) for _ in range(4)]
    for arr, values in zip(out, (b0, b1, se, pearson), strict=True):
        arr[ok] = values
    for j, k in enumerate(np.flatnonzero(ok)):
        if not (converged[j] and np.isfinite(b1[j]) and np.isfinite(se[j])):
            notes[int(k)] = "Poisson fit did not converge"
            for arr in out:
                arr[k] = np.nan
    return out[0], out[1], out[2], out[3], notes


def _permutations(x: np.ndarray, n_permutations: int, seed: int) -> tuple[np.ndarray, bool]:
    """Permuted copies of ``x`` (rows): all of them when there are at most
    ``n_permutations`` distinct orderings, else a random sample."""
    n = len(x)
    if math.factorial(n) <= n_permutations:
        perms = np.array(list(itertools.permutations(range(n))), dtype=int)
        return x[perms], True
    rng = np.random.default_rng(seed)
    return np.array([x[rng.permutation(n)] for _ in range(n_permutations)]), False


def trend_tests(
    counts: pd.DataFrame,
    *,
    method: TrendMethod = "quasipoisson",
    min_count: int = 1,
    confidence: float = 0.95,
    n_permutations: int = 2000,
    random_state: int = 0,
) -> pd.DataFrame:
    """Test, for each term, whether its rate changes with year.

    For each term with at least ``min_count`` occurrences in the dated
    documents, a Poisson GLM ``count ~ 1 + year`` with offset ``log(tokens)``
    is fitted over the documents; ``rate_ratio = exp(slope)`` is the factor by
    which the rate changes per year.  The test of ``slope = 0`` is

    * ``"quasipoisson"`` (default): Wald *t* with the standard error scaled by
      ``sqrt(max(1, Pearson chi2 / (n - 2)))`` and ``n - 2`` degrees of freedom
      (needs at least three documents);
    * ``"poisson"``: plain Wald *z* (too liberal when counts vary more between
      documents than Poisson allows, as words usually do);
    * ``"permutation"``: years permuted across documents (all orderings when
      there are at most ``n_permutations``), statistic the Poisson score for
      the slope, two-sided; valid even when the slope is unbounded.

    p-values are adjusted with Benjamini--Hochberg over all terms that got one.
    ``single_document`` is True when only one document carries the term, or
    when leaving out the document with most occurrences reverses the sign of
    the slope or leaves no slope to estimate: the change rests on one
    document.

    Parameters
    ----------
    counts : pandas.DataFrame
        Output of :func:`term_counts` with ``years=`` (columns ``term, doc_id,
        year, count, tokens``).
    method : {"quasipoisson", "poisson", "permutation"}, default "quasipoisson"
        The test, as above.
    min_count : int, default 1
        Terms with fewer occurrences in the dated documents are not tested
        (0 tests every term given, including terms that never occur).
    confidence : float, default 0.95
        Coverage of the interval ``rr_low``--``rr_high`` of the rate ratio.
    n_permutations : int, default 2000
        Permutations for ``method="permutation"``.
    random_state : int, default 0
        Seed of the permutations.

    Returns
    -------
    pandas.DataFrame
        One row per tested term, sorted by ``p_value``: ``term``,
        ``total_count``, ``n_docs`` (documents carrying it), ``n_years``,
        ``intercept`` (log rate per token at the mean year ``attrs["year_centre"]``),
        ``slope``, ``rate_ratio``, ``rr_low``, ``rr_high``, ``dispersion``,
        ``statistic``, ``p_value``, ``p_adjusted``, ``single_document``,
        ``top_doc``, ``note`` (why a value is NaN; empty otherwise).
        ``attrs["method"]`` and ``attrs["n_tested"]`` record the test.

    Raises
    ------
    ConfigError
        For an unknown ``method`` or a bad ``min_count``/``confidence``.

    Examples
    --------
    >>> rows = [("up", "d%d" % i, 2000 + i, i, 100) for i in range(6)]
    >>> rows += [("one", "d%d" % i, 2000 + i, 3 * (i == 5), 100) for i in range(6)]
    >>> c = pd.DataFrame(rows, columns=["term", "doc_id", "year", "count", "tokens"])
    >>> t = trend_tests(c, method="poisson")
    >>> row = t.iloc[0]
    >>> row["term"], int(row["n_docs"]), bool(row["single_document"])
    ('up', 5, False)
    >>> round(float(t.loc[0, "rate_ratio"]), 3)
    1.564
    >>> t.loc[1, "note"]
    'every occurrence is in the latest year: slope unbounded'
    """
    if method not in _METHODS:
        raise ConfigError(f"'method' must be one of {list(_METHODS)} (got {method!r})")
    if isinstance(min_count, bool) or not isinstance(min_count, (int, np.integer)) or min_count < 0:
        raise ConfigError(f"'min_count' must be a non-negative int (got {min_count!r})")
    n_permutations = _check_positive_int("n_permutations", n_permutations)
    confidence = _check_confidence(confidence)
    _require(counts, ["term", "doc_id", "year", "count", "tokens"], "trend_tests")
    data = counts[counts["year"].notna() & (counts["tokens"] > 0)]
    term_codes, term_names = pd.factorize(data["term"], sort=True)
    doc_codes, doc_index = pd.factorize(data["doc_id"], sort=True)
    Y = np.zeros((len(term_names), len(doc_index)))
    np.add.at(Y, (term_codes, doc_codes), data["count"].to_numpy(dtype=float))
    docs = data.drop_duplicates("doc_id").set_index("doc_id")
    doc_ids = [str(d) for d in doc_index]
    x_raw = docs.loc[doc_ids, "year"].to_numpy(dtype=float)
    x = x_raw - (x_raw.mean() if len(x_raw) else 0.0)  # centred: same slope, stabler fit
    t = docs.loc[doc_ids, "tokens"].to_numpy(dtype=float)
    log_t = np.log(t)
    tested = Y.sum(axis=1) >= min_count
    Y, terms = Y[tested], [str(v) for v in np.asarray(term_names, dtype=object)[tested]]
    n, m = len(doc_ids), len(terms)

    intercept, slope, se, pearson, notes = _fit_poisson(Y, x, log_t)
    top = np.argmax(Y, axis=1) if m else np.zeros(0, dtype=int)
    # leave-one-out: the same fit without each term's document with most occurrences
    keep = np.ones_like(Y, dtype=bool)
    keep[np.arange(m), top] = False
    _, loo_slope, _, _, loo_notes = _fit_poisson(Y, x, log_t, keep)

    fitted = ~np.isnan(slope)
    df_resid = n - 2
    if method == "quasipoisson":
        if df_resid < 1:
            why = "two documents: no degrees of freedom left to estimate dispersion"
            notes = [why if f else note for f, note in zip(fitted, notes, strict=True)]
            phi = np.full(m, np.nan)
        else:
            phi = np.where(fitted, np.maximum(1.0, pearson / df_resid), np.nan)
        se_used = se * np.sqrt(phi)
        stat = slope / se_used
        p = 2 * stats.t.sf(np.abs(stat), max(df_resid, 1))
        q = stats.t.ppf(0.5 + confidence / 2, max(df_resid, 1))
    else:
        phi = np.where(fitted, 1.0, np.nan)
        se_used = se
        stat = slope / se
        p = 2 * stats.norm.sf(np.abs(stat))
        q = stats.norm.ppf(0.5 + confidence / 2)
    with np.errstate(over="ignore", invalid="ignore"):
        rr_low, rr_high = np.exp(slope - q * se_used), np.exp(slope + q * se_used)
    if method == "permutation":
        stat, p = np.full(m, np.nan), np.full(m, np.nan)
        if n >= 2 and m and len(set(x)) > 1:
            perms, exact = _permutations(x, n_permutations, random_state)
            mu0 = t[None, :] * Y.sum(axis=1, keepdims=True) / t.sum()
            resid = Y - mu0
            observed = np.abs(resid @ x)
            null = np.abs(perms @ resid.T)  # permutations x terms
            hits = np.sum(null >= observed - 1e-9 * np.maximum(1.0, observed), axis=0)
            p = hits / len(null) if exact else (hits + 1) / (len(null) + 1)
            xbar = (mu0 @ x) / np.where(mu0.sum(axis=1) > 0, mu0.sum(axis=1), 1.0)
            var = np.sum(mu0 * (x[None, :] - xbar[:, None]) ** 2, axis=1)
            with np.errstate(divide="ignore", invalid="ignore"):
                stat = np.where(var > 0, (resid @ x) / np.sqrt(var), np.nan)
            zero = Y.sum(axis=1) == 0
            p, stat = np.where(zero, np.nan, p), np.where(zero, np.nan, stat)
            notes = [
                note + " (permutation p-value still valid)"
                if note.startswith("every occurrence")
                else note
                for note in notes
            ]
    n_docs = (Y > 0).sum(axis=1)
    single = (n_docs == 1) | (
        fitted
        & (
            np.array([bool(v) for v in loo_notes], dtype=bool)
            | (np.sign(loo_slope) != np.sign(slope))
        )
    )
    out = pd.DataFrame(
        {
            "term": pd.Series(terms, dtype=object),
            "total_count": Y.sum(axis=1).astype(int),
            "n_docs": n_docs.astype(int),
            "n_years": [len(np.unique(x[row > 0])) for row in Y],
            "intercept": intercept,
            "slope": slope,
            "rate_ratio": np.exp(slope),
            "rr_low": rr_low,
            "rr_high": rr_high,
            "dispersion": phi,
            "statistic": stat,
            "p_value": p,
            "p_adjusted": _bh(np.asarray(p, dtype=float)),
            "single_document": single.astype(bool),
            "top_doc": pd.Series([doc_ids[int(i)] for i in top], dtype=object),
            "note": pd.Series(notes, dtype=object),
        }
    )
    out = out.sort_values(["p_value", "term"], na_position="last", kind="stable")
    out = out.reset_index(drop=True)
    centre = float(x_raw.mean()) if len(x_raw) else float("nan")
    out.attrs.update(
        {"method": method, "n_tested": len(out), "n_documents": n, "year_centre": centre}
    )
    return out


def _bh(p: np.ndarray) -> np.ndarray:
    """Benjamini--Hochberg adjusted p-values; NaN stays NaN."""
    from statsmodels.stats.multitest import multipletests

    out = np.full(len(p), np.nan)
    ok = ~np.isnan(p)
    if ok.any():
        out[ok] = multipletests(p[ok], method="fdr_bh")[1]
    return out


def fitted_rates(
    tests: pd.DataFrame,
    terms: Sequence[str],
    years: Iterable[int],
    *,
    per: float = PER,
) -> pd.DataFrame:
    """Rates per 10,000 tokens that the fitted Poisson trend gives for each year.

    ``per * exp(intercept + slope * (year - attrs["year_centre"]))`` from a
    :func:`trend_tests` table.  Terms whose slope could not be estimated get
    no rows.

    Examples
    --------
    >>> rows = [("up", "d%d" % i, 2000 + i, i, 100) for i in range(6)]
    >>> t = trend_tests(pd.DataFrame(rows, columns=["term", "doc_id", "year", "count", "tokens"]))
    >>> f = fitted_rates(t, ["up"], [2000, 2005])
    >>> f["year"].tolist(), [round(float(v)) for v in f["per_10k"]]
    ([2000, 2005], [62, 580])
    """
    _require(tests, ["term", "intercept", "slope"], "fitted_rates")
    centre = float(tests.attrs.get("year_centre", 0.0))
    grid = np.asarray(sorted({int(y) for y in years}), dtype=float)
    rows: list[dict[str, Any]] = []
    by_term = tests.set_index("term")
    for term in dict.fromkeys(terms):
        if term not in by_term.index:
            continue
        a, b = float(by_term.at[term, "intercept"]), float(by_term.at[term, "slope"])
        if math.isnan(a) or math.isnan(b):
            continue
        rate = per * np.exp(a + b * (grid - centre))
        rows.extend(
            {"term": term, "year": int(y), "per_10k": float(r)}
            for y, r in zip(grid, rate, strict=True)
        )
    return pd.DataFrame(rows, columns=["term", "year", "per_10k"])


def trend_notes(
    tests: pd.DataFrame, terms: Sequence[str], *, display: Mapping[str, str] | None = None
) -> dict[str, str]:
    """One short note per term for a trend panel: rate ratio per year and adjusted p-value.

    Parameters
    ----------
    tests : DataFrame
        Rows of :func:`trend_tests` (columns ``term``, ``rate_ratio``, ``p_adjusted``);
        the first row of a term wins.
    terms : sequence of str
        Terms to describe, in panel order.
    display : mapping, optional
        Term -> readable label used as the key of the result (default: the term).

    Returns
    -------
    dict
        Label -> note, e.g. ``"×1.36 a year, adj. p 0.66"``; ``"no trend estimated"`` when the
        term was not tested or its rate ratio is NaN.

    Examples
    --------
    >>> tests = pd.DataFrame({"term": ["peace", "aid"], "rate_ratio": [1.362, float("nan")],
    ...                       "p_adjusted": [0.6612, float("nan")]})
    >>> trend_notes(tests, ["peace", "aid", "war"])
    {'peace': '×1.36 a year, adj. p 0.66', 'aid': 'no trend estimated', 'war': 'no trend estimated'}
    """
    rows = tests.drop_duplicates("term").set_index("term").to_dict("index")
    labels = display if display is not None else {}
    notes: dict[str, str] = {}
    for term in terms:
        row = rows.get(term)
        if row is None or np.isnan(row["rate_ratio"]):
            note = "no trend estimated"
        else:
            q = row["p_adjusted"]
            note = f"×{row['rate_ratio']:.2f} a year" + ("" if np.isnan(q) else f", adj. p {q:.2g}")
        notes[labels.get(term, term)] = note
    return notes


PANEL_COLUMNS = ["term", "year", "per_10k", "ci_low", "ci_high", "level"]


def trend_panel_table(
    counts: pd.DataFrame,
    tests: pd.DataFrame | Sequence[pd.DataFrame] | None = None,
    *,
    terms: Sequence[str] | None = None,
    display: Mapping[str, str] | None = None,
    per_document: bool | None = None,
    fitted: bool | None = None,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """The table a term-trend figure draws: yearly rates, per-document rates, fitted trends.

    One row per term, level and year, in panel order: ``level`` is ``"year"``
    (the year's pooled rate with its exact Poisson interval, :func:`yearly_rates`),
    ``"document"`` (each document's rate, :func:`term_rates`) or ``"fitted"``
    (the Poisson trend of :func:`trend_tests` over every year from the first to
    the last, :func:`fitted_rates`; no interval).  This is the input of
    :func:`textkit.figures.plot_term_trends`.

    Parameters
    ----------
    counts : pandas.DataFrame
        :func:`term_counts` of the panel terms, with ``years=``; undated rows are left out.
    tests : DataFrame or sequence of DataFrames, optional
        :func:`trend_tests` tables for the fitted trends; where a term is in
        several, the first wins (pass the tests of the counts you plot first).
    terms : sequence of str, optional
        Panel order; default the order of first appearance in ``counts``.
    display : mapping, optional
        Term -> readable label written in the ``term`` column (default: the term).
    per_document : bool, optional
        Add each document's rate.  Default: only when some year has more than one
        document (otherwise a document's rate *is* its year's rate).
    fitted : bool, optional
        Add the fitted trend.  Default: when ``tests`` is given and the median
        year has at least two documents -- with one document per year a curve
        would suggest more than the data hold.
    confidence : float, default 0.95
        Coverage of the intervals.

    Returns
    -------
    pandas.DataFrame
        Columns ``term, year, per_10k, ci_low, ci_high, level``.

    Raises
    ------
    TextkitError
        If ``counts`` lacks the count columns.
    ConfigError
        If ``fitted=True`` without ``tests``, or ``confidence`` is not in (0, 1).

    Examples
    --------
    >>> rows = [("peace", "a", 2000, 2, 100), ("peace", "b", 2000, 4, 100),
    ...         ("peace", "c", 2001, 9, 100), ("peace", "d", 2001, 7, 100)]
    >>> counts = pd.DataFrame(rows, columns=["term", "doc_id", "year", "count", "tokens"])
    >>> table = trend_panel_table(counts, trend_tests(counts))
    >>> table["level"].value_counts().sort_index().to_dict()
    {'document': 4, 'fitted': 2, 'year': 2}
    >>> table[table["level"] != "document"][["level", "year", "per_10k"]].round(1).values.tolist()
    [['fitted', 2000, 300.0], ['fitted', 2001, 800.0], ['year', 2000, 300.0], ['year', 2001, 800.0]]
    """
    _require(counts, ["term", "doc_id", "year", "count", "tokens"], "trend_panel_table")
    confidence = _check_confidence(confidence)
    dated = counts[counts["year"].notna()]
    order = list(dict.fromkeys(terms if terms is not None else dated["term"]))
    dated = dated[dated["term"].isin(order)]
    docs_per_year = dated.drop_duplicates("doc_id")["year"].value_counts()
    tables = [tests] if isinstance(tests, pd.DataFrame) else list(tests or [])
    if per_document is None:
        per_document = bool(len(docs_per_year)) and int(docs_per_year.max()) > 1
    if fitted is None:
        fitted = bool(tables) and bool(len(docs_per_year)) and float(docs_per_year.median()) >= 2
    elif fitted and not tables:
        raise ConfigError("fitted=True needs the trend tests: pass tests=trend_tests(counts)")

    parts = [yearly_rates(dated, confidence=confidence).assign(level="year")[PANEL_COLUMNS]]
    if per_document:
        per_doc = term_rates(dated, confidence=confidence).assign(level="document")
        parts.append(per_doc[PANEL_COLUMNS])
    if fitted and len(docs_per_year):
        first = pd.concat(tables, ignore_index=True).drop_duplicates("term")
        first.attrs = next((dict(t.attrs) for t in tables if "year_centre" in t.attrs), {})
        years = range(int(docs_per_year.index.min()), int(docs_per_year.index.max()) + 1)
        curve = fitted_rates(first, order, years).assign(ci_low=np.nan, ci_high=np.nan)
        parts.append(curve.assign(level="fitted")[PANEL_COLUMNS])
    table = pd.concat(parts, ignore_index=True)
    table["year"] = table["year"].astype(int)
    rank = {term: i for i, term in enumerate(order)}
    table = (
        table.assign(_order=table["term"].map(rank))
        .sort_values(["_order", "level", "year"], kind="stable")
        .drop(columns="_order")
        .reset_index(drop=True)
    )
    if display is not None:
        table["term"] = table["term"].map(lambda t: display.get(t, t))
    return table


def select_trend_terms(tests: pd.DataFrame, *, n: int = 6, alpha: float | None = None) -> list[str]:
    """The ``n`` terms whose rate changes most clearly with year.

    Ranked by adjusted p-value, then p-value, then the size of the change
    ``|slope|``; terms without a p-value (their ``note`` says why) are not
    ranked, so the list may be shorter than ``n`` or empty.  With ``alpha``
    only terms with ``p_adjusted <= alpha`` are returned.

    Examples
    --------
    >>> t = pd.DataFrame({"term": ["a", "b", "c"], "p_value": [0.01, 0.2, float("nan")],
    ...                   "p_adjusted": [0.03, 0.3, float("nan")], "slope": [1.0, -1.0, 2.0]})
    >>> select_trend_terms(t, n=3)
    ['a', 'b']
    >>> select_trend_terms(t, n=2, alpha=0.05)
    ['a']
    """
    n = _check_positive_int("n", n)
    ranked = tests.assign(_abs=tests["slope"].abs()).sort_values(
        ["p_adjusted", "p_value", "_abs"], ascending=[True, True, False], na_position="last"
    )
    ranked = ranked[ranked["p_value"].notna()]
    if alpha is not None:
        ranked = ranked[ranked["p_adjusted"] <= alpha]
    return [str(t) for t in ranked["term"].head(n)]


# --------------------------------------------------------------------------- keyness


def log_likelihood_g2(a: Any, b: Any, total_a: Any, total_b: Any) -> np.ndarray:
    """Dunning's log-likelihood G² for a term's counts in two corpora.

    G² = 2 Σ O ln(O / E) over the full 2x2 table ``[[a, b], [total_a - a,
    total_b - b]]``, expected counts from its margins (the same value as
    ``scipy.stats.chi2_contingency(table, correction=False,
    lambda_="log-likelihood")``); compare with chi² on one degree of freedom.

    Examples
    --------
    >>> round(float(log_likelihood_g2(10, 2, 1000, 1000)[0]), 4)
    5.8543
    """
    a, b, ta, tb = (np.atleast_1d(np.asarray(v, dtype=float)) for v in (a, b, total_a, total_b))
    n = ta + tb
    k = a + b
    cells = [
        (a, ta * k / n),
        (b, tb * k / n),
        (ta - a, ta * (n - k) / n),
        (tb - b, tb * (n - k) / n),
    ]
    with np.errstate(divide="ignore", invalid="ignore"):
        g2 = 2 * sum(xlogy(o, o) - xlogy(o, e) for o, e in cells)
    return np.asarray(np.maximum(g2, 0.0))


def log_ratio(
    a: Any, b: Any, total_a: Any, total_b: Any, *, confidence: float = 0.95
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Binary log of the ratio of relative frequencies, with its interval.

    ``log2((a / total_a) / (b / total_b))``; a zero count is replaced by 0.5
    (Hardie's convention) so the value stays finite.  The interval is
    ``(ln ratio ± z * sqrt(1/a + 1/b)) / ln 2`` with the same replacement.
    +1 means twice as frequent in the first corpus.

    Examples
    --------
    >>> lr, lo, hi = log_ratio([20, 0], [10, 5], 1000, 1000)
    >>> [round(float(v), 3) for v in lr], round(float(lo[0]), 3), round(float(hi[0]), 3)
    ([1.0, -3.322], -0.095, 2.095)
    """
    z = stats.norm.ppf(0.5 + _check_confidence(confidence) / 2)
    a, b, ta, tb = (np.atleast_1d(np.asarray(v, dtype=float)) for v in (a, b, total_a, total_b))
    a = np.where(a == 0, 0.5, a)
    b = np.where(b == 0, 0.5, b)
    ln_rr = np.log(a / ta) - np.log(b / tb)
    se = np.sqrt(1 / a + 1 / b)
    ln2 = math.log(2)
    return ln_rr / ln2, (ln_rr - z * se) / ln2, (ln_rr + z * se) / ln2


def default_split_year(years: Iterable[Any]) -> int:
    """A split year that puts dated documents on both sides: the median year.

    Early means ``year <= split``, late ``year > split``.  When the median is
    the latest year, the latest year before it is used.

    Raises
    ------
    TextkitError
        If fewer than two distinct years are dated.

    Examples
    --------
    >>> default_split_year([2000, 2006, 2007, 2008])
    2006
    >>> default_split_year([2001, 2008, 2008, 2008])
    2001
    """
    ys = sorted(int(y) for y in years if y is not None and not pd.isna(y))
    distinct = sorted(set(ys))
    if len(distinct) < 2:
        raise TextkitError(
            f"keyness needs dated documents from at least two years (got years {distinct}); "
            "add documents or dates"
        )
    split = int(math.floor(float(np.median(ys))))
    if split >= distinct[-1]:
        split = distinct[-2]
    return split


def keyness(
    counts: pd.DataFrame,
    *,
    split_year: int | None = None,
    min_count: int = 1,
    per: float = PER,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Keyness of each term in the late period against the early period.

    Early documents are those with ``year <= split_year``, late ones
    ``year > split_year``.  For each term: counts and rates per period, G²
    (:func:`log_likelihood_g2`) with its p-value from chi² on 1 df, and the
    log ratio late vs early with its interval (:func:`log_ratio`).

    Parameters
    ----------
    counts : pandas.DataFrame
        Output of :func:`term_counts` with ``years=``; the period totals are
        the sums of ``tokens`` over each period's documents.
    split_year : int, optional
        Last year of the early period; ``None`` uses :func:`default_split_year`.
    min_count : int, default 1
        Terms with fewer occurrences over both periods are left out.
    per : float, default 10,000
        Rates are per this many tokens.
    confidence : float, default 0.95
        Coverage of the log-ratio interval.

    Returns
    -------
    pandas.DataFrame
        Columns ``term, count_early, count_late, rate_early, rate_late, g2,
        p_value, p_adjusted`` (Benjamini--Hochberg over the terms kept)``,
        log_ratio, lr_low, lr_high, direction`` (``"late"`` when more
        frequent late), sorted by G² descending; ``attrs`` holds
        ``split_year`` and the token totals.

    Raises
    ------
    TextkitError
        If a period has no documents.

    Examples
    --------
    >>> rows = [("war", "a", 2000, 10, 1000), ("war", "b", 2008, 2, 1000)]
    >>> k = keyness(pd.DataFrame(rows, columns=["term", "doc_id", "year", "count", "tokens"]))
    >>> k[["term", "count_early", "count_late", "direction"]]
      term  count_early  count_late direction
    0  war           10           2     early
    >>> round(float(k.loc[0, "g2"]), 4), k.attrs["split_year"]
    (5.8543, 2004)
    """
    _require(counts, ["term", "doc_id", "year", "count", "tokens"], "keyness")
    min_count = _check_positive_int("min_count", min_count)
    data = counts[counts["year"].notna()]
    docs = data.drop_duplicates("doc_id")
    if split_year is None:
        split_year = default_split_year(docs["year"])
    late_mask = data["year"].astype(int) > split_year
    total_late = int(docs.loc[docs["year"].astype(int) > split_year, "tokens"].sum())
    total_early = int(docs.loc[docs["year"].astype(int) <= split_year, "tokens"].sum())
    if total_late == 0 or total_early == 0:
        raise TextkitError(
            f"split_year={split_year} leaves a period without tokens "
            f"(early {total_early}, late {total_late}); choose a year between the first and "
            "last dated years"
        )
    early = data[~late_mask].groupby("term")["count"].sum()
    late = data[late_mask].groupby("term")["count"].sum()
    out = pd.DataFrame({"count_early": early, "count_late": late}).fillna(0).astype(int)
    out = out[(out["count_early"] + out["count_late"]) >= min_count]
    a, b = out["count_late"].to_numpy(), out["count_early"].to_numpy()
    out["rate_early"] = per * b / total_early
    out["rate_late"] = per * a / total_late
    out["g2"] = log_likelihood_g2(a, b, total_late, total_early)
    out["p_value"] = stats.chi2.sf(out["g2"].to_numpy(), 1)
    out["p_adjusted"] = _bh(out["p_value"].to_numpy(dtype=float))
    lr, lo, hi = log_ratio(a, b, total_late, total_early, confidence=confidence)
    out["log_ratio"], out["lr_low"], out["lr_high"] = lr, lo, hi
    out["direction"] = np.where(a / total_late >= b / total_early, "late", "early")
    out = out.rename_axis("term").reset_index()
    out = out.sort_values(["g2", "term"], ascending=[False, True], kind="stable")
    out = out.reset_index(drop=True)
    out.attrs.update(
        {"split_year": int(split_year), "tokens_early": total_early, "tokens_late": total_late}
    )
    return out


def top_keyness(table: pd.DataFrame, *, n: int = 10) -> pd.DataFrame:
    """The ``n`` most key terms each way (largest G²), late first then early.

    Examples
    --------
    >>> t = pd.DataFrame({"term": list("abcd"), "g2": [9.0, 8.0, 7.0, 1.0],
    ...                   "direction": ["late", "early", "late", "early"]})
    >>> top_keyness(t, n=1)["term"].tolist()
    ['a', 'b']
    """
    n = _check_positive_int("n", n)
    parts = [
        table[table["direction"] == d].sort_values("g2", ascending=False, kind="stable").head(n)
        for d in ("late", "early")
    ]
    out = pd.concat(parts, ignore_index=True)
    out.attrs = dict(table.attrs)
    return out


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
