"""Figures of the term-trends study (notebook ``03-trends``).

Each ``plot_*`` function draws one labelled table, the one the notebook saves
with :func:`~textkit.figures.save_figure` as the figure's CSV:

* :func:`plot_term_trends` -- rates per 10,000 tokens by year with intervals,
  one panel per term (``level`` column: ``"year"`` points with error bars,
  optional ``"document"`` dots and ``"fitted"`` line);
* :func:`plot_keyness` -- log ratio late vs early with its interval, diverging bars;
* :func:`plot_dispersion` -- where each term occurs along each document.

Terms and documents are labelled with readable words (display forms, short
titles with years), which the caller puts in the tables.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Literal

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from textkit.errors import ConfigError, shorten
from textkit.figures.style import (
    PALETTE,
    STYLE,
    figure_style,
    finish_figure,
    new_figure,
    panel_grid,
    require_table,
    wrap_label,
)

__all__ = ["plot_dispersion", "plot_keyness", "plot_term_trends"]

_LEVELS = ("year", "document", "fitted")


def _year_ticks(panel: Axes, years: np.ndarray) -> None:
    lo, hi = int(years.min()), int(years.max())
    step = max(1, math.ceil((hi - lo + 1) / 5))
    ticks = np.arange(lo, hi + 1, step)
    panel.set_xticks(ticks, [str(t) for t in ticks])
    panel.set_xlim(lo - 0.6, hi + 0.6)


# --------------------------------------------------------------------------- term trends


def plot_term_trends(
    data: pd.DataFrame,
    *,
    notes: Mapping[str, str] | None = None,
    ax: Axes | Sequence[Axes] | None = None,
    ncols: int | None = None,
    width: Literal["column", "text"] | float = "text",
    confidence: float = 0.95,
) -> Figure:
    """Rate per 10,000 tokens by year with intervals, one panel per term.

    Every panel has its own y scale (terms differ by orders of magnitude) and
    starts at zero.  Years with data are points with error bars; no line joins
    them, so the figure never suggests values between the documents.

    Parameters
    ----------
    data : pandas.DataFrame
        Columns ``term``, ``year``, ``per_10k``, ``ci_low``, ``ci_high`` and
        optionally ``level``: ``"year"`` (default; pooled rate of the year,
        point with error bar), ``"document"`` (one document's rate: small
        hollow dot, interval not drawn) or ``"fitted"`` (a fitted trend: a
        line; pass it only when several documents per year support one).
        Panels follow the order of first appearance of ``term``.
    notes : mapping of term to str, optional
        A short note written in the top left corner of a term's panel, e.g.
        the estimated rate ratio per year and its adjusted p-value.
    ax : Axes or sequence of Axes, optional
        One Axes per term; default a new figure.
    ncols : int, optional
        Panels per row (default up to 3).
    width : {"column", "text"} or float
        Width of a new figure.
    confidence : float
        Coverage of the intervals, for the legend.

    Returns
    -------
    Figure

    Raises
    ------
    ConfigError
        If a column is missing, ``data`` is empty, ``level`` has an unknown
        value or ``ax`` has too few Axes.

    Examples
    --------
    >>> data = pd.DataFrame({"term": ["peace", "peace", "terrorism", "terrorism"],
    ...                      "year": [2000, 2007, 2000, 2007], "per_10k": [2.0, 8.0, 5.0, 1.0],
    ...                      "ci_low": [0.1, 6.0, 2.0, 0.2], "ci_high": [9.0, 10.0, 9.0, 3.0]})
    >>> fig = plot_term_trends(data, notes={"peace": "x1.2 a year"})
    >>> [a.get_title() for a in fig.axes if a.get_visible()]
    ['peace', 'terrorism']
    >>> [t.get_text() for t in fig.axes[0].texts]
    ['x1.2 a year']
    >>> fig.axes[0].lines[0].get_ydata().tolist()
    [2.0, 8.0]
    """
    data = require_table(data, ["term", "year", "per_10k", "ci_low", "ci_high"])
    level = data["level"] if "level" in data.columns else pd.Series("year", index=data.index)
    unknown = sorted(set(level) - set(_LEVELS))
    if unknown:
        raise ConfigError(f"'level' must be one of {list(_LEVELS)} (got {shorten(unknown)})")
    terms = list(dict.fromkeys(data["term"]))
    ncols = ncols or min(3, len(terms))
    years = data["year"].astype(int).to_numpy()
    shown: set[str] = set()
    with figure_style():
        fig, axes = panel_grid(ax, len(terms), ncols=ncols, width=width, row_height=1.6)
        for panel, term in zip(axes, terms, strict=True):
            mine = data["term"] == term
            pooled = data[mine & (level == "year")].sort_values("year", kind="stable")
            docs = data[mine & (level == "document")]
            fitted = data[mine & (level == "fitted")].sort_values("year", kind="stable")
            if len(pooled):
                y = pooled["per_10k"].to_numpy(dtype=float)
                err = np.vstack(
                    [y - pooled["ci_low"].to_numpy(float), pooled["ci_high"].to_numpy(float) - y]
                )
                panel.errorbar(
                    pooled["year"].astype(int), y, yerr=err, fmt="o", color=PALETTE[0],
                    ecolor=PALETTE[0], elinewidth=0.8, capsize=2, linestyle="none",
                )  # fmt: skip
                shown.add("year")
            if len(docs):
                panel.plot(
                    docs["year"].astype(int), docs["per_10k"].astype(float), linestyle="none",
                    marker="o", markersize=2.5, markerfacecolor="none", color="#777777",
                    markeredgewidth=0.6, zorder=1,
                )  # fmt: skip
                shown.add("document")
            if len(fitted):
                panel.plot(
                    fitted["year"].astype(int), fitted["per_10k"].astype(float),
                    color=PALETTE[1], linestyle="--", linewidth=1.0,
                )  # fmt: skip
                shown.add("fitted")
            panel.set_title(wrap_label(str(term), 28), fontsize=STYLE["axes.labelsize"])
            note = (notes or {}).get(term)
            if note:
                low, high = panel.get_ylim()
                panel.set_ylim(low, high + 0.2 * (high - low))  # room for the note
                panel.text(
                    0.02, 0.98, note, transform=panel.transAxes, ha="left", va="top",
                    fontsize=STYLE["legend.fontsize"] - 1, color="#333333",
                )  # fmt: skip
            panel.set_ylim(bottom=0.0)
            _year_ticks(panel, years)
        for i, panel in enumerate(axes):
            if i % ncols == 0:
                panel.set_ylabel("per 10,000 tokens")
            if i >= len(axes) - ncols:
                panel.set_xlabel("Year")
        handles: list[Line2D] = []
        if "year" in shown:
            handles.append(
                Line2D(
                    [],
                    [],
                    color=PALETTE[0],
                    marker="o",
                    linestyle="none",
                    label=f"rate, {confidence:.0%} exact Poisson interval",
                )  # fmt: skip
            )
        if "document" in shown:
            handles.append(
                Line2D(
                    [],
                    [],
                    color="#777777",
                    marker="o",
                    markerfacecolor="none",
                    linestyle="none",
                    markersize=2.5,
                    label="one document",
                )  # fmt: skip
            )
        if "fitted" in shown:
            handles.append(Line2D([], [], color=PALETTE[1], linestyle="--", label="Poisson trend"))
        if len(handles) > 1 or ax is None:
            fig.legend(handles=handles, loc="outside lower center", ncols=len(handles))
        return finish_figure(fig)


# --------------------------------------------------------------------------- keyness


def plot_keyness(
    data: pd.DataFrame,
    *,
    ax: Axes | None = None,
    early_label: str = "early",
    late_label: str = "late",
    width: Literal["column", "text"] | float = "column",
    confidence: float = 0.95,
) -> Figure:
    """Diverging bars of the log ratio (late vs early) with its interval.

    Bars to the right are terms relatively more frequent in the late period,
    to the left in the early period; the whiskers are the interval of the log
    ratio.  Terms are sorted by log ratio, top to bottom.

    Parameters
    ----------
    data : pandas.DataFrame
        Columns ``term`` (display form), ``log_ratio``, ``lr_low``, ``lr_high``
        (e.g. :func:`textkit.trends.top_keyness` with readable terms).
    ax : Axes, optional
        Draw into this Axes; default a new figure.
    early_label, late_label : str
        Names of the periods, e.g. ``"2000-2006"`` and ``"2007-2008"``.
    width : {"column", "text"} or float
        Width of a new figure.
    confidence : float
        Coverage of the interval, for the axis label.

    Returns
    -------
    Figure

    Raises
    ------
    ConfigError
        If a column is missing or ``data`` is empty.

    Examples
    --------
    >>> data = pd.DataFrame({"term": ["peacebuilding", "cold war"], "log_ratio": [2.5, -1.5],
    ...                      "lr_low": [1.0, -3.0], "lr_high": [4.0, -0.2]})
    >>> fig = plot_keyness(data, early_label="2000", late_label="2007-2008")
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['cold war', 'peacebuilding']
    """
    data = require_table(data, ["term", "log_ratio", "lr_low", "lr_high"])
    rows = data.sort_values("log_ratio", kind="stable").reset_index(drop=True)
    n = len(rows)
    lr = rows["log_ratio"].to_numpy(float)
    lo, hi = rows["lr_low"].to_numpy(float), rows["lr_high"].to_numpy(float)
    colors = [PALETTE[0] if v >= 0 else PALETTE[1] for v in lr]
    hatches = ["" if v >= 0 else "///" for v in lr]
    own = ax is None
    with figure_style():
        if ax is None:
            fig, ax = new_figure(width, height=max(1.8, 1.0 + 0.16 * n))
        else:
            got = ax.get_figure(root=True)
            if not isinstance(got, Figure):  # pragma: no cover
                raise ConfigError("'ax' does not belong to a figure")
            fig = got
        y = np.arange(n)
        bars = ax.barh(y, lr, color=colors, edgecolor="white", linewidth=0.3, height=0.7)
        for bar, hatch in zip(bars, hatches, strict=True):
            bar.set_hatch(hatch)
        ax.errorbar(
            lr, y, xerr=np.vstack([lr - lo, hi - lr]), fmt="none", ecolor="#000000",
            elinewidth=0.7, capsize=1.5,
        )  # fmt: skip
        ax.axvline(0, color="#333333", linewidth=0.6)
        ax.set_yticks(y, [wrap_label(str(t), 30) for t in rows["term"]])
        ax.set_ylim(-0.7, n - 0.3)
        ax.set_xlabel(
            f"log\u2082 ratio, {late_label} vs {early_label}\n(whiskers: {confidence:.0%} interval)"
        )
        legend = fig.legend if own else ax.legend
        legend(
            handles=[
                Patch(facecolor=PALETTE[0], label=f"more in {late_label}"),
                Patch(facecolor=PALETTE[1], hatch="///", label=f"more in {early_label}"),
            ],
            loc="outside lower center" if own else "best",
            ncols=2,
        )
        return finish_figure(fig)


# --------------------------------------------------------------------------- dispersion


def plot_dispersion(
    data: pd.DataFrame,
    *,
    documents: Sequence[str] | None = None,
    terms: Sequence[str] | None = None,
    ax: Axes | Sequence[Axes] | None = None,
    width: Literal["column", "text"] | float = "text",
    max_labels: int = 40,
) -> Figure:
    """Lexical dispersion: each occurrence of a term as a tick along its document.

    One panel per term (stacked), one row per document, x the relative
    position in the document (0 = start, 1 = end).  A document where the
    term never occurs keeps its (empty) row, so absence is visible.

    Parameters
    ----------
    data : pandas.DataFrame
        Columns ``term`` (display form), ``document`` (readable label) and
        ``relative_position`` (0--1), one row per occurrence.
    documents : sequence of str, optional
        Row order, top to bottom (default: order of appearance).
    terms : sequence of str, optional
        Panel order; terms listed here but absent from ``data`` get an empty panel.
    ax : Axes or sequence of Axes, optional
        One Axes per term; default a new figure.
    width : {"column", "text"} or float
        Width of a new figure.
    max_labels : int
        With more documents than this, document labels are left out.

    Returns
    -------
    Figure

    Raises
    ------
    ConfigError
        If a column is missing or ``ax`` has too few Axes.

    Examples
    --------
    >>> data = pd.DataFrame({"term": ["peace", "peace", "terrorism"],
    ...                      "document": ["A (2000)", "B (2007)", "A (2000)"],
    ...                      "relative_position": [0.1, 0.5, 0.9]})
    >>> fig = plot_dispersion(data, documents=["A (2000)", "B (2007)", "C (2008)"])
    >>> [a.get_title(loc="left") for a in fig.axes]
    ['peace', 'terrorism']
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['A (2000)', 'B (2007)', 'C (2008)']
    """
    if not isinstance(data, pd.DataFrame):
        raise ConfigError(f"'data' must be a pandas DataFrame (got {type(data).__name__})")
    missing = [c for c in ("term", "document", "relative_position") if c not in data.columns]
    if missing:
        raise ConfigError(f"'data' lacks column(s) {missing}; it has {shorten(list(data.columns))}")
    docs = list(documents) if documents is not None else list(dict.fromkeys(data["document"]))
    term_list = list(terms) if terms is not None else list(dict.fromkeys(data["term"]))
    if not term_list or not docs:
        raise ConfigError("'data' has no terms or documents: there is nothing to plot")
    row_of = {d: i for i, d in enumerate(docs)}
    row_height = min(0.25 + 0.14 * len(docs), 3.0)
    with figure_style():
        fig, axes = panel_grid(
            ax, len(term_list), ncols=1, width=width, row_height=row_height, sharex=True
        )
        for i, (panel, term) in enumerate(zip(axes, term_list, strict=True)):
            rows = data[(data["term"] == term) & data["document"].isin(row_of)]
            y = rows["document"].map(row_of).to_numpy(dtype=float)
            panel.scatter(
                rows["relative_position"].to_numpy(float), y, marker="|", s=40,
                color=PALETTE[i % 3], linewidths=0.8,
            )  # fmt: skip
            panel.set_ylim(len(docs) - 0.5, -0.5)
            if len(docs) <= max_labels:
                panel.set_yticks(range(len(docs)), [wrap_label(d, 40) for d in docs])
            else:
                panel.set_yticks([])
                panel.set_ylabel(f"{len(docs)} documents")
            panel.set_xlim(0, 1)
            n = len(rows)
            panel.set_title(str(term), fontsize=STYLE["axes.labelsize"], loc="left")
            panel.text(
                1.0, 1.0, f"{n} occurrence{'s' if n != 1 else ''}", transform=panel.transAxes,
                ha="right", va="bottom", fontsize=STYLE["legend.fontsize"],
            )  # fmt: skip
        axes[-1].set_xlabel("Relative position in document (0 = start, 1 = end)")
        return finish_figure(fig)
