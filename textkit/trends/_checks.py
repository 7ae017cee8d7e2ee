"""Checks and constants shared by the trend modules."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np
import pandas as pd

from textkit.errors import ConfigError, TextkitError

PER = 10_000
"""Rates are given per this many tokens."""

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
