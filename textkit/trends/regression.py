"""Trend tests: a Poisson regression of counts on year, fitted trends and trend panels."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from textkit.errors import ConfigError
from textkit.trends._checks import (
    PER,
    _check_confidence,
    _check_positive_int,
    _require,
)
from textkit.trends.rates import term_rates, yearly_rates

TrendMethod = Literal["quasipoisson", "poisson", "permutation"]
_METHODS = ("quasipoisson", "poisson", "permutation")


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
