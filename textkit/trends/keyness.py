"""Keyness of a late against an early period: log-likelihood G² and log ratio."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from scipy.special import xlogy

from textkit.errors import TextkitError
from textkit.trends._checks import (
    PER,
    _check_confidence,
    _check_positive_int,
    _require,
)
from textkit.trends.regression import _bh

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
