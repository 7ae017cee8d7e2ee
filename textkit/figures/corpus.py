"""Figures describing the corpus itself (notebook ``01-corpus``)."""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import StrMethodFormatter

from textkit.errors import ConfigError, shorten
from textkit.figures.style import (
    PALETTE,
    STYLE,
    figure_for,
    figure_style,
    finish_figure,
    wrap_label,
)

__all__ = ["corpus_overview_table", "plot_corpus_overview"]

_MAX_LABELS = 60  # above this many documents only every k-th label is shown
_UNDATED_HATCH = "xx"


def corpus_overview_table(
    data: pd.DataFrame,
    *,
    label: str = "label",
    year: str = "year",
    length: str = "n_words",
) -> pd.DataFrame:
    """The table :func:`plot_corpus_overview` draws, in drawing order (top to bottom).

    Documents are ordered by year, undated documents last; documents of the
    same year keep their order in ``data``.  Pass this table to
    :func:`~textkit.figures.save_figure` as the figure's data.

    Parameters
    ----------
    data : DataFrame
        One row per document with a readable label ("Blue Book draft (2000)"),
        a year (missing for undated documents) and a length.
    label, year, length : str
        Names of those columns in ``data``.

    Returns
    -------
    DataFrame
        Columns ``label`` (str), ``year`` (nullable ``Int64``) and ``length``
        (the length column, under its own name), with a fresh unnamed index.

    Raises
    ------
    ConfigError
        If a column is missing, ``data`` is empty, a year is not a whole number,
        or a length is missing or negative.

    Examples
    --------
    >>> docs = pd.DataFrame({"label": ["B (2003)", "A (undated)", "C (2000)"],
    ...                      "year": [2003, None, 2000], "n_words": [1200, 300, 4100]})
    >>> corpus_overview_table(docs)
             label  year  n_words
    0     C (2000)  2000     4100
    1     B (2003)  2003     1200
    2  A (undated)  <NA>      300
    """
    if not isinstance(data, pd.DataFrame):
        raise ConfigError(f"'data' must be a pandas DataFrame (got {type(data).__name__})")
    missing = [c for c in (label, year, length) if c not in data.columns]
    if missing:
        raise ConfigError(
            f"'data' lacks column(s) {missing}; it has {shorten(list(data.columns))}. "
            f"Name the columns with label=, year=, length="
        )
    if len(data) == 0:
        raise ConfigError("'data' has no rows: there is no document to plot")
    try:
        years = pd.to_numeric(data[year], errors="raise").astype("Int64")
    except (ValueError, TypeError):
        raise ConfigError(
            f"column {year!r} must hold whole-number years or missing values "
            f"(got {shorten(data[year].tolist())})"
        ) from None
    lengths = pd.to_numeric(data[length], errors="coerce")
    if lengths.isna().any() or (lengths < 0).any():
        bad = data[length][lengths.isna() | (lengths < 0)].tolist()
        raise ConfigError(f"column {length!r} must hold non-negative numbers (got {shorten(bad)})")
    table = pd.DataFrame(
        {
            "label": data[label].astype(str).to_numpy(),
            "year": years,
            length: lengths.to_numpy(),
        }
    )
    table = table.sort_values("year", na_position="last", kind="mergesort")
    return table.reset_index(drop=True)


def _axis_label(length: str) -> str:
    known = {"n_words": "Words", "n_tokens": "Tokens", "n_chars": "Characters"}
    return known.get(length, length.replace("_", " ").capitalize())


def plot_corpus_overview(
    data: pd.DataFrame,
    *,
    ax: Axes | None = None,
    label: str = "label",
    year: str = "year",
    length: str = "n_words",
    xlabel: str | None = None,
    width: Literal["column", "text"] | float = "column",
) -> Figure:
    """Horizontal bar chart of document lengths, earliest document at the top.

    Documents are ordered as in :func:`corpus_overview_table` (by year,
    undated last); undated documents are drawn in a second colour with a dotted
    hatch and a legend entry, so they read in greyscale too.  Each bar carries
    its length.  Labels longer than 30 characters are wrapped; with more than 60
    documents only every k-th label is shown (the CSV of
    :func:`corpus_overview_table` lists them all).

    Parameters
    ----------
    data : DataFrame
        One row per document: label, year (missing when undated), length.
    ax : Axes, optional
        Draw into this Axes; default a new figure, :data:`COLUMN_WIDTH` wide and
        tall enough for one bar per document (at most 9 in).
    label, year, length : str
        Column names in ``data``.
    xlabel : str, optional
        Axis label; default from ``length`` ("Words" for ``n_words``).
    width : {"column", "text"} or float
        Width of a new figure.

    Returns
    -------
    Figure

    Raises
    ------
    ConfigError
        As :func:`corpus_overview_table`.

    Examples
    --------
    >>> docs = pd.DataFrame({"label": ["Blue Book draft (2000)", "Notes (undated)"],
    ...                      "year": [2000, None], "n_words": [5200, 800]})
    >>> fig = plot_corpus_overview(docs)
    >>> ax = fig.axes[0]
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['Blue Book draft (2000)', 'Notes (undated)']
    >>> [float(bar.get_width()) for bar in ax.patches]
    [5200.0, 800.0]
    """
    table = corpus_overview_table(data, label=label, year=year, length=length)
    n = len(table)
    undated = table["year"].isna().to_numpy()
    labels = [wrap_label(text, width=30) for text in table["label"]]
    lines = sum(1 + text.count("\n") for text in labels) if n <= _MAX_LABELS else n
    height = min(9.0, max(1.4, 0.45 + 0.16 * lines + 0.05 * n))
    with figure_style():
        fig, ax = figure_for(ax, width=width, height=height)
        positions = np.arange(n)
        colors = [PALETTE[1] if u else PALETTE[0] for u in undated]
        bars = ax.barh(positions, table[length].to_numpy(dtype=float), color=colors, height=0.7)
        for bar, is_undated in zip(bars, undated, strict=True):
            if is_undated:
                bar.set_hatch(_UNDATED_HATCH)
                bar.set_edgecolor("#333333")
        step = 1 if n <= _MAX_LABELS else math.ceil(n / _MAX_LABELS)
        shown = positions[::step]
        ax.set_yticks(shown, [labels[i] for i in shown])
        if n > 30:
            ax.tick_params(axis="y", labelsize=max(4.0, STYLE["ytick.labelsize"] * 30 / n))
        ax.invert_yaxis()
        ax.set_ylim(n - 0.5, -0.5)
        if n <= _MAX_LABELS:
            ax.bar_label(bars, fmt="{:,.0f}", padding=2, fontsize=6.5)
        ax.set_xlim(0, max(1.0, float(table[length].max())) * 1.18)
        ax.xaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
        ax.set_xlabel(xlabel if xlabel is not None else _axis_label(length))
        ax.tick_params(axis="y", length=0)
        if undated.any():
            ax.legend(
                handles=[
                    Patch(facecolor=PALETTE[0], label="dated"),
                    Patch(
                        facecolor=PALETTE[1],
                        edgecolor="#333333",
                        hatch=_UNDATED_HATCH,
                        label="undated",
                    ),
                ],
                loc="best",
            )
        return finish_figure(fig)
