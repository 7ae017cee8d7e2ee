"""Figures of a topic-model study (notebook ``02-topics``).

Each ``plot_*`` function draws one labelled table, the one the notebook saves
with :func:`~textkit.figures.save_figure` as the figure's CSV:

* :func:`plot_topic_coherence` -- the ``coherence_grid`` table (method, k, measure, coherence);
* :func:`plot_topic_terms` -- :func:`topic_terms_table` (top terms, weights, stability);
* :func:`plot_topic_documents` -- :func:`topic_documents_table` (documents x topics);
* :func:`plot_topic_by_year` -- the ``topic_shares_by_year`` table (year, topic, share, interval).

Topics that are unstable across seeds are marked the same way everywhere:
hatched bars or dotted lines (:func:`~textkit.figures.mark_unstable`) and the
suffix :data:`~textkit.figures.UNSTABLE_SUFFIX` or an asterisk on their label.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import blended_transform_factory

from textkit.errors import ConfigError, shorten
from textkit.figures.style import (
    PALETTE,
    STYLE,
    UNSTABLE_SUFFIX,
    draw_heatmap,
    figure_for,
    figure_style,
    finish_figure,
    mark_unstable,
    panel_grid,
    require_table,
    series_style,
    unstable_handle,
    wrap_label,
)

__all__ = [
    "plot_topic_by_year",
    "plot_topic_coherence",
    "plot_topic_documents",
    "plot_topic_terms",
    "topic_documents_table",
    "topic_terms_table",
]

_MEASURE_NAMES = {"c_v": "C_V coherence", "c_npmi": "NPMI coherence", "u_mass": "UMass coherence"}
_METHOD_NAMES = {"lda": "LDA", "nmf": "NMF"}
_MAX_LABELS = 60
_TERM_WIDTH = 26  # term labels longer than this are shortened at a word boundary


def _short_label(label: object) -> str:
    text = " ".join(str(label).split())
    if len(text) <= _TERM_WIDTH:
        return text
    short = textwrap.shorten(text, width=_TERM_WIDTH, placeholder=" …")
    return short if short != " …".strip() else text[: _TERM_WIDTH - 1] + "…"


def _bottom_panels(axes: Sequence[Axes], ncols: int) -> list[Axes]:
    """The lowest panel of each column (they carry the x-axis label)."""
    return [panel for i, panel in enumerate(axes) if i + ncols >= len(axes)]


# --------------------------------------------------------------------------- coherence


def plot_topic_coherence(
    data: pd.DataFrame,
    *,
    chosen_k: int | None = None,
    ax: Axes | Sequence[Axes] | None = None,
    width: Literal["column", "text"] | float = "text",
) -> Figure:
    """Coherence against the number of topics, one panel per measure, one line per method.

    A NaN coherence is not drawn as a point: it is marked by a cross on the
    bottom edge of the panel (legend: "NaN"), so a missing value is seen, not hidden.

    Parameters
    ----------
    data : pandas.DataFrame
        Columns ``method``, ``k``, ``measure``, ``coherence`` (``textkit.topics.coherence_grid``).
    chosen_k : int, optional
        Marked by a vertical dotted line.
    ax : Axes or sequence of Axes, optional
        One Axes per measure; default a new figure.
    width : {"column", "text"} or float
        Width of a new figure.

    Returns
    -------
    Figure

    Raises
    ------
    ConfigError
        If a column is missing, ``data`` is empty or ``ax`` has too few Axes.

    Examples
    --------
    >>> grid = pd.DataFrame({"method": ["lda"] * 3, "k": [2, 3, 4], "measure": "c_v",
    ...                      "coherence": [0.41, float("nan"), 0.45]})
    >>> fig = plot_topic_coherence(grid, chosen_k=4)
    >>> line = fig.axes[0].get_lines()[0]
    >>> line.get_xdata().tolist(), line.get_ydata().tolist()[::2]
    ([2, 3, 4], [0.41, 0.45])
    """
    data = require_table(data, ["method", "k", "measure", "coherence"])
    measures = list(dict.fromkeys(data["measure"]))
    methods = list(dict.fromkeys(data["method"]))
    with figure_style():
        fig, axes = panel_grid(ax, len(measures), ncols=len(measures), width=width, row_height=2.3)
        any_nan = False
        for panel, measure in zip(axes, measures, strict=True):
            rows = data[data["measure"] == measure]
            bottom = blended_transform_factory(panel.transData, panel.transAxes)
            for i, method in enumerate(methods):
                sub = rows[rows["method"] == method].sort_values("k", kind="stable")
                if sub.empty:
                    continue
                style = series_style(i)
                panel.plot(
                    sub["k"].to_numpy(),
                    sub["coherence"].to_numpy(dtype=float),
                    color=style["color"],
                    linestyle=style["linestyle"],
                    marker=style["marker"],
                    label=_METHOD_NAMES.get(str(method), str(method)),
                )
                nan_k = sub.loc[sub["coherence"].isna(), "k"].to_numpy()
                if len(nan_k):
                    any_nan = True
                    panel.plot(
                        nan_k,
                        np.zeros(len(nan_k)),
                        linestyle="none",
                        marker="x",
                        color=style["color"],
                        transform=bottom,
                        clip_on=False,
                        gid="nan-marker",
                    )
            if chosen_k is not None:
                panel.axvline(chosen_k, color="#555555", linestyle=":", linewidth=0.9)
            panel.set_xlabel("Number of topics k")
            panel.set_ylabel(_MEASURE_NAMES.get(str(measure), str(measure)))
            panel.set_xticks(sorted(rows["k"].unique()))
        handles, labels = axes[0].get_legend_handles_labels()
        if chosen_k is not None:
            handles.append(Line2D([], [], color="#555555", linestyle=":"))
            labels.append(f"chosen k = {chosen_k}")
        if any_nan:
            handles.append(Line2D([], [], color="#555555", linestyle="none", marker="x"))
            labels.append("NaN")
        axes[-1].legend(handles, labels, loc="best")
        return finish_figure(fig)


# --------------------------------------------------------------------------- terms


def topic_terms_table(terms: pd.DataFrame, stability: pd.DataFrame | None = None) -> pd.DataFrame:
    """The table :func:`plot_topic_terms` draws: top terms joined with topic stability.

    Parameters
    ----------
    terms : pandas.DataFrame
        ``textkit.topics.top_terms`` output (``topic``, ``rank``, ``term``, ``label``, ``weight``).
    stability : pandas.DataFrame, optional
        ``textkit.topics.topic_stability`` output (index ``topic``; ``stability``, ``stable``).

    Returns
    -------
    pandas.DataFrame
        Columns ``topic``, ``rank``, ``label``, ``term``, ``weight`` and, with
        ``stability``, ``stability`` and ``stable``; sorted by topic and rank.

    Examples
    --------
    >>> terms = pd.DataFrame({"topic": [1, 2], "rank": 1, "term": ["secur", "aid"],
    ...                       "label": ["security", "aid"], "weight": [0.1, 0.2]})
    >>> stab = pd.DataFrame({"stability": [0.9, 0.4], "stable": [True, False]},
    ...                     index=pd.Index([1, 2], name="topic"))
    >>> topic_terms_table(terms, stab)[["topic", "label", "stable"]].values.tolist()
    [[1, 'security', True], [2, 'aid', False]]
    """
    table = require_table(terms, ["topic", "rank", "term", "label", "weight"], "terms")
    table = table[["topic", "rank", "label", "term", "weight"]]
    if stability is not None:
        require_table(stability, ["stability", "stable"], "stability")
        extra = stability[["stability", "stable"]].rename_axis("topic").reset_index()
        table = table.merge(extra, on="topic", how="left", validate="many_to_one")
    return table.sort_values(["topic", "rank"], kind="stable").reset_index(drop=True)


def plot_topic_terms(
    data: pd.DataFrame,
    *,
    ax: Axes | Sequence[Axes] | None = None,
    ncols: int | None = None,
    width: Literal["column", "text"] | float = "text",
) -> Figure:
    """Top terms of each topic with their weights, one panel per topic.

    Bars are labelled with the terms' display forms (column ``label``; labels
    longer than 26 characters are shortened at a word boundary), the heaviest
    term on top.  With the ``stability`` and ``stable`` columns of
    :func:`topic_terms_table`, each panel title shows the topic's stability and
    the bars of unstable topics are hatched, with :data:`UNSTABLE_SUFFIX` in the title.

    Parameters
    ----------
    data : pandas.DataFrame
        :func:`topic_terms_table` output.
    ax : Axes or sequence of Axes, optional
        One Axes per topic; default a new figure.
    ncols : int, optional
        Panels per row of a new figure (default up to 4).
    width : {"column", "text"} or float
        Width of a new figure.

    Returns
    -------
    Figure

    Raises
    ------
    ConfigError
        If a column is missing, ``data`` is empty or ``ax`` has too few Axes.

    Examples
    --------
    >>> data = pd.DataFrame({"topic": [1, 1, 2, 2], "rank": [1, 2, 1, 2],
    ...                      "label": ["peace", "security", "trade", "aid"],
    ...                      "term": ["peac", "secur", "trade", "aid"],
    ...                      "weight": [0.3, 0.2, 0.25, 0.1],
    ...                      "stability": [0.95, 0.95, 0.4, 0.4],
    ...                      "stable": [True, True, False, False]})
    >>> fig = plot_topic_terms(data)
    >>> [a.get_title() for a in fig.axes]
    ['Topic 1\\nstability 0.95', 'Topic 2\\nstability 0.40 (unstable)']
    >>> [t.get_text() for t in fig.axes[1].get_yticklabels()]
    ['trade', 'aid']
    """
    data = require_table(data, ["topic", "rank", "label", "weight"])
    topics = list(dict.fromkeys(data.sort_values("topic", kind="stable")["topic"]))
    labels = {i: _short_label(x) for i, x in data["label"].items()}
    longest = max(len(text) for text in labels.values())
    ncols = ncols or min(4 if longest <= 14 else 3, len(topics))
    lines_per_panel = int(data.groupby("topic").size().max())
    has_stability = {"stability", "stable"} <= set(data.columns)
    with figure_style():
        fig, axes = panel_grid(
            ax,
            len(topics),
            ncols=ncols,
            width=width,
            row_height=max(1.4, 0.75 + 0.12 * lines_per_panel),
        )
        xmax = float(data["weight"].max()) * 1.05
        any_unstable = False
        for panel, topic in zip(axes, topics, strict=True):
            rows = data[data["topic"] == topic].sort_values("rank", kind="stable")
            positions = np.arange(len(rows))
            bars = panel.barh(
                positions, rows["weight"].to_numpy(dtype=float), color=PALETTE[0], height=0.7
            )
            panel.set_yticks(positions, [labels[i] for i in rows.index])
            panel.set_ylim(len(rows) - 0.5, -0.5)
            panel.set_xlim(0, xmax)
            panel.xaxis.set_major_locator(MaxNLocator(nbins=2, steps=[1, 2, 5, 10]))
            panel.tick_params(axis="y", length=0, labelsize=6.5)
            panel.tick_params(axis="x", labelsize=6.0)
            title = f"Topic {topic}"
            if has_stability:
                score = float(rows["stability"].iloc[0])
                title += f"\nstability {score:.2f}"
                if not bool(rows["stable"].iloc[0]):
                    any_unstable = True
                    title += UNSTABLE_SUFFIX
                    mark_unstable(bars)
            panel.set_title(title, fontsize=STYLE["axes.labelsize"])
        for panel in _bottom_panels(axes, ncols):
            panel.set_xlabel("Weight")
        if any_unstable:
            fig.legend(handles=[unstable_handle()], loc="outside lower right")
        return finish_figure(fig)


# --------------------------------------------------------------------------- documents


def topic_documents_table(
    shares: pd.DataFrame,
    *,
    labels: pd.Series,
    years: pd.Series | None = None,
) -> pd.DataFrame:
    """The table :func:`plot_topic_documents` draws: documents (readable labels) x topics.

    Parameters
    ----------
    shares : pandas.DataFrame
        ``textkit.topics.document_topic_shares`` output (index ``doc_id``).
    labels : pandas.Series
        doc_id -> readable label ("Blue Book draft (2000)"), e.g. ``Corpus.labels``.
    years : pandas.Series, optional
        doc_id -> year; documents are then ordered by year, undated last.

    Returns
    -------
    pandas.DataFrame
        Index ``document`` (labels), columns ``topic_1`` ... ``topic_k``.

    Raises
    ------
    ConfigError
        If a document has no label.

    Examples
    --------
    >>> shares = pd.DataFrame([[0.7, 0.3], [0.2, 0.8]], index=["b", "a"], columns=[1, 2])
    >>> labels = pd.Series({"a": "A (2001)", "b": "B (undated)"})
    >>> years = pd.Series({"a": 2001, "b": None})
    >>> topic_documents_table(shares, labels=labels, years=years)
                 topic_1  topic_2
    document
    A (2001)         0.2      0.8
    B (undated)      0.7      0.3
    """
    missing = shares.index.difference(labels.index)
    if len(missing):
        raise ConfigError(
            f"no label for {len(missing)} document(s) (first: {shorten(missing[0])}); "
            "pass labels for every doc_id, e.g. corpus.labels"
        )
    order = list(shares.index)
    if years is not None:
        key = pd.to_numeric(years.reindex(shares.index), errors="coerce")
        order = list(key.sort_values(na_position="last", kind="mergesort").index)
    table = shares.loc[order].copy()
    table.index = pd.Index([str(labels[d]) for d in order], name="document")
    table.columns = [f"topic_{c}" for c in shares.columns]
    return table


def _topic_number(column: object) -> str:
    text = str(column)
    return text[len("topic_") :] if text.startswith("topic_") else text


def plot_topic_documents(
    data: pd.DataFrame,
    *,
    unstable: Iterable[int] = (),
    annotate: bool | None = None,
    ax: Axes | None = None,
    width: Literal["column", "text"] | float | None = None,
) -> Figure:
    """Heatmap of topic shares, one row per document, one column per topic.

    Parameters
    ----------
    data : pandas.DataFrame
        :func:`topic_documents_table` output: index = document labels, columns = topics.
    unstable : iterable of int
        Topics unstable across seeds; their column label gets an asterisk.
    annotate : bool, optional
        Write each share in its cell (default: when there are at most 150 cells).
    ax : Axes, optional
    width : {"column", "text"}, float or None
        Width of a new figure; default one column up to four topics, else the text width.

    Returns
    -------
    Figure

    Raises
    ------
    ConfigError
        If ``data`` is empty or not a DataFrame.

    Examples
    --------
    >>> data = pd.DataFrame([[0.2, 0.8], [0.7, 0.3]], columns=["topic_1", "topic_2"],
    ...                     index=pd.Index(["A (2001)", "B (undated)"], name="document"))
    >>> fig = plot_topic_documents(data, unstable=[2])
    >>> ax = fig.axes[0]
    >>> ax.images[0].get_array().tolist()
    [[0.2, 0.8], [0.7, 0.3]]
    >>> [t.get_text() for t in ax.get_xticklabels()], [t.get_text() for t in ax.get_yticklabels()]
    (['1', '2*'], ['A (2001)', 'B (undated)'])
    """
    data = require_table(data, [])
    n_docs, n_topics = data.shape
    unstable_set = {str(t) for t in unstable}
    cols = [_topic_number(c) for c in data.columns]
    xlabels = [c + ("*" if c in unstable_set else "") for c in cols]
    ylabels = [wrap_label(str(d), width=32) for d in data.index]
    lines = sum(1 + y.count("\n") for y in ylabels) if n_docs <= _MAX_LABELS else n_docs
    height = min(9.0, max(1.6, 0.9 + 0.17 * lines))
    shown_table = pd.DataFrame(data.to_numpy(dtype=float), index=ylabels, columns=xlabels)
    with figure_style():
        if width is None:
            width = "column" if n_topics <= 4 else "text"
        fig, ax = figure_for(ax, width=width, height=height)
        draw_heatmap(
            ax,
            shown_table,
            vmin=0.0,
            vmax=1.0,
            annotate=annotate,
            colorbar_label="Topic share",
            label_width=32,
        )
        if n_docs > _MAX_LABELS:
            step = math.ceil(n_docs / _MAX_LABELS)
            shown = np.arange(n_docs)[::step]
            ax.set_yticks(shown, [ylabels[i] for i in shown])
        if n_docs > 30:
            ax.tick_params(axis="y", labelsize=max(4.0, STYLE["ytick.labelsize"] * 30 / n_docs))
        xlabel = "Topic"
        if unstable_set:
            xlabel += " (* unstable across seeds)"
        ax.set_xlabel(xlabel)
        return finish_figure(fig)


# --------------------------------------------------------------------------- years


def plot_topic_by_year(
    data: pd.DataFrame,
    *,
    unstable: Iterable[int] = (),
    ax: Axes | Sequence[Axes] | None = None,
    ncols: int | None = None,
    width: Literal["column", "text"] | float = "text",
    level: float | None = 0.95,
) -> Figure:
    """Mean topic share per year with its interval, one panel per topic (shared axes).

    Each year is a point with a vertical interval; a thin line joins the years
    only to guide the eye (no band is drawn between years, where there is no data).

    Parameters
    ----------
    data : pandas.DataFrame
        Columns ``year``, ``topic``, ``share``, ``lower``, ``upper``
        (``textkit.topics.topic_shares_by_year(...).table``).
    unstable : iterable of int
        Topics unstable across seeds: dotted line, lighter intervals, suffix in the title.
    ax : Axes or sequence of Axes, optional
        One Axes per topic; default a new figure.
    ncols : int, optional
        Panels per row of a new figure (default up to 4).
    width : {"column", "text"} or float
        Width of a new figure.
    level : float or None
        Coverage of the interval, for the legend text.

    Returns
    -------
    Figure

    Raises
    ------
    ConfigError
        If a column is missing, ``data`` is empty or ``ax`` has too few Axes.

    Examples
    --------
    >>> data = pd.DataFrame({"year": [2000, 2004, 2000, 2004], "topic": [1, 1, 2, 2],
    ...                      "share": [0.6, 0.3, 0.4, 0.7], "lower": [0.5, 0.2, 0.3, 0.6],
    ...                      "upper": [0.7, 0.4, 0.5, 0.8]})
    >>> fig = plot_topic_by_year(data, unstable=[2])
    >>> [a.get_title() for a in fig.axes]
    ['Topic 1', 'Topic 2 (unstable)']
    >>> fig.axes[1].get_lines()[0].get_ydata().tolist()
    [0.4, 0.7]
    """
    data = require_table(data, ["year", "topic", "share", "lower", "upper"])
    topics = list(dict.fromkeys(data.sort_values("topic", kind="stable")["topic"]))
    unstable_set = {int(t) for t in unstable}
    ncols = ncols or min(4, len(topics))
    years = np.sort(data["year"].astype(int).unique())
    with figure_style():
        fig, axes = panel_grid(
            ax, len(topics), ncols=ncols, width=width, row_height=1.7, sharex=True, sharey=True
        )
        for panel, topic in zip(axes, topics, strict=True):
            rows = data[data["topic"] == topic].sort_values("year", kind="stable")
            x = rows["year"].to_numpy(dtype=int)
            share = rows["share"].to_numpy(dtype=float)
            (line,) = panel.plot(x, share, color=PALETTE[0], linewidth=0.8, marker="o")
            bars = panel.vlines(
                x,
                rows["lower"].to_numpy(dtype=float),
                rows["upper"].to_numpy(dtype=float),
                color=PALETTE[0],
                linewidth=1.6,
                alpha=0.55,
            )
            title = f"Topic {topic}"
            if int(topic) in unstable_set:
                mark_unstable([line, bars])
                title += UNSTABLE_SUFFIX
            panel.set_title(title, fontsize=STYLE["axes.labelsize"])
            panel.set_ylim(bottom=0.0)
        _year_ticks(axes, years)
        for panel in _bottom_panels(axes, ncols):
            panel.set_xlabel("Year")
        for panel in axes[::ncols]:
            panel.set_ylabel("Mean share")
        handles: list[Any] = [
            Line2D([], [], color=PALETTE[0], linewidth=0.8, marker="o", label="mean over passages"),
            _interval_handle(level),
        ]
        if unstable_set & {int(t) for t in topics}:
            handles.append(
                Line2D(
                    [],
                    [],
                    color=PALETTE[0],
                    linestyle=":",
                    marker="o",
                    alpha=0.6,
                    label="unstable across seeds",
                )
            )
        fig.legend(handles=handles, loc="outside lower center", ncols=len(handles))
        return finish_figure(fig)


def _interval_handle(level: float | None) -> Line2D:
    text = "bootstrap interval" if level is None else f"{level:.0%} bootstrap interval"
    return Line2D([], [], color=PALETTE[0], linewidth=1.6, alpha=0.55, label=text)


def _year_ticks(axes: Sequence[Axes], years: np.ndarray) -> None:
    if len(years) == 0:
        return
    span = int(years.max() - years.min())
    step = max(1, math.ceil((span + 1) / 5))
    ticks = np.arange(int(years.min()), int(years.max()) + 1, step)
    for panel in axes:
        panel.set_xticks(ticks, [str(t) for t in ticks])
        panel.set_xlim(years.min() - 0.5, years.max() + 0.5)
