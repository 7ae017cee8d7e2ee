"""Rates per 10,000 tokens with exact Poisson intervals, per document and per year."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from textkit.trends._checks import (
    PER,
    RATE_COLUMNS,
    _check_confidence,
    _check_positive_int,
    _require,
)
from textkit.trends.counts import term_counts  # noqa: F401  (the examples below use it)

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
