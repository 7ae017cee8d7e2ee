"""Agreement of two similarity matrices: a Mantel-style permutation test."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from textkit.errors import ConfigError, TextkitError

CorrelationMethod = Literal["pearson", "spearman"]


@dataclass(frozen=True)
class MantelResult:
    """Correlation of two similarity matrices (upper triangles) with a permutation p-value.

    ``p_value`` is one-sided (agreement greater than chance): the share of joint
    row-and-column permutations of the second matrix whose correlation is at least the
    observed one. ``exact`` is True when every permutation was enumerated; ``n`` is the
    number of units compared and ``sampled`` is True when they were a random subset.
    """

    statistic: float
    p_value: float
    method: str
    permutations: int
    exact: bool
    n: int
    sampled: bool = False

    def __str__(self) -> str:
        kind = "exact" if self.exact else f"{self.permutations} permutations"
        units = f"{self.n} sampled units" if self.sampled else f"{self.n} units"
        return (
            f"Mantel {self.method} r = {self.statistic:.3f}, p = {self.p_value:.4f} "
            f"({kind}, {units})"
        )


def mantel(
    first: pd.DataFrame,
    second: pd.DataFrame,
    *,
    method: CorrelationMethod = "spearman",
    permutations: int = 999,
    max_units: int | None = None,
    random_state: int = 0,
) -> MantelResult:
    """Mantel-style agreement of two similarity (or distance) matrices over the same units.

    The correlation of the upper triangles, tested by permuting the units of ``second``
    (rows and columns together). When ``n!`` is at most ``permutations`` every
    permutation is enumerated and the p-value is exact.

    Parameters
    ----------
    first, second : DataFrame
        Square matrices labelled by the same ids (``second`` is reordered to ``first``).
    method : {"spearman", "pearson"}
        Rank or linear correlation.
    permutations : int
        Number of random permutations (seeded by ``random_state``).
    max_units : int, optional
        Compare at most this many units, a random subset (seeded): each permutation costs
        time proportional to the number of pairs, so cap it on large corpora.
    random_state : int
        Seed of the permutations and of the subset.

    Returns
    -------
    MantelResult

    Raises
    ------
    ConfigError
        If ``method``, ``permutations`` or ``max_units`` is invalid.
    TextkitError
        If the matrices do not share their labels or have fewer than 3 units.

    Examples
    --------
    >>> ids = ["a", "b", "c", "d"]
    >>> s = pd.DataFrame([[1, .9, .1, .2], [.9, 1, .3, .1], [.1, .3, 1, .8], [.2, .1, .8, 1]],
    ...                  index=ids, columns=ids)
    >>> result = mantel(s, s)
    >>> result.statistic, result.exact, round(result.p_value, 3)
    (1.0, True, 0.042)
    """
    from scipy.stats import rankdata

    if method not in ("pearson", "spearman"):
        raise ConfigError(f"'method' must be 'pearson' or 'spearman' (got {method!r})")
    if not isinstance(permutations, int) or permutations < 1:
        raise ConfigError(f"'permutations' must be a positive int (got {permutations!r})")
    if set(first.index) != set(second.index) or len(first.index) != len(second.index):
        raise TextkitError("the two matrices must be labelled by the same ids")
    if max_units is not None and (not isinstance(max_units, int) or max_units < 3):
        raise ConfigError(f"'max_units' must be an int of at least 3 or None (got {max_units!r})")
    rng = np.random.default_rng(random_state)
    order = list(first.index)
    sampled = max_units is not None and len(order) > max_units
    if sampled:
        chosen = np.sort(rng.choice(len(order), size=max_units, replace=False))
        order = [order[i] for i in chosen]
    a = first.loc[order, order].to_numpy(dtype=np.float64)
    b = second.loc[order, order].to_numpy(dtype=np.float64)
    n = len(order)
    if n < 3:
        raise TextkitError(f"a Mantel test needs at least 3 units (got {n})")
    rows, cols = np.triu_indices(n, 1)
    if method == "spearman":
        a = _rank_matrix(a, (rows, cols), rankdata)
        b = _rank_matrix(b, (rows, cols), rankdata)
    x = a[rows, cols]
    y = b[rows, cols]
    if x.std() == 0 or y.std() == 0:
        return MantelResult(float("nan"), float("nan"), method, 0, False, n, sampled)
    xs = (x - x.mean()) / x.std() / len(x)
    flat = ((b - y.mean()) / y.std()).ravel()  # standardised once; permutations only move it
    observed = float(xs @ flat[rows * n + cols])
    exact = math.factorial(n) <= permutations
    if exact:
        perms: Iterable[Any] = itertools.permutations(range(n))
        count = total = 0
    else:
        perms = (rng.permutation(n) for _ in range(permutations))
        count = total = 1  # the observed arrangement counts as one permutation
    tolerance = 1e-12
    for perm in perms:
        index = np.asarray(perm)
        r = float(xs @ flat[index[rows] * n + index[cols]])
        count += r >= observed - tolerance
        total += 1
    return MantelResult(round(observed, 12), count / total, method, total, exact, n, sampled)


def _rank_matrix(
    matrix: np.ndarray, upper: tuple[np.ndarray, np.ndarray], rankdata: Callable[..., Any]
) -> np.ndarray:
    """Symmetric matrix holding the ranks of the upper-triangle values."""
    ranked = np.zeros_like(matrix)
    ranked[upper] = rankdata(matrix[upper])
    return ranked + ranked.T
