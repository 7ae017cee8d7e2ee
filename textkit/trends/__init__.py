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

The functions live in one module per step, all re-exported here: ``counts``
(:func:`normalize_terms`, :func:`term_counts`), ``rates`` (rates, intervals,
bootstrap), ``regression`` (trend tests, fitted trends, trend panels),
``keyness`` and ``evidence`` (dispersion, KWIC).

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

from textkit.trends._checks import PER
from textkit.trends.counts import normalize_terms, term_counts
from textkit.trends.evidence import dispersion, term_kwic
from textkit.trends.keyness import (
    default_split_year,
    keyness,
    log_likelihood_g2,
    log_ratio,
    top_keyness,
)
from textkit.trends.rates import bootstrap_rates, poisson_interval, term_rates, yearly_rates
from textkit.trends.regression import (
    TrendMethod,
    fitted_rates,
    select_trend_terms,
    trend_notes,
    trend_panel_table,
    trend_tests,
)

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
