"""Tests for textkit.narrate: the notebooks' narration helpers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from textkit.narrate import fmt, plural, say


@pytest.mark.parametrize(
    ("n", "word", "many", "expected"),
    [
        (0, "document", None, "0 documents"),
        (1, "document", None, "1 document"),
        (2, "document", None, "2 documents"),
        (1, "analysis", "analyses", "1 analysis"),
        (3, "analysis", "analyses", "3 analyses"),
    ],
)
def test_plural(n: int, word: str, many: str | None, expected: str) -> None:
    assert plural(n, word, many) == expected


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [
        (0.12345, 3, "0.123"),
        (np.float64(2.5), 1, "2.5"),
        (7, 2, "7.00"),
        (float("nan"), 3, "NaN"),
        (np.nan, 3, "NaN"),
        (pd.NA, 3, "NaN"),
        (None, 3, "NaN"),
    ],
)
def test_fmt(value: object, digits: int, expected: str) -> None:
    assert fmt(value, digits) == expected


def test_say_prints_outside_jupyter(capsys: pytest.CaptureFixture[str]) -> None:
    say("**3** documents")
    assert capsys.readouterr().out == "**3** documents\n"
