"""Figures of the similarity study (notebook ``04-similarity``).

Each ``plot_*`` function draws one labelled table, the one the notebook saves
with :func:`~textkit.figures.save_figure` as the figure's CSV:

* :func:`plot_similarity_heatmap` -- the document × document similarity matrix in
  dendrogram order, with the dendrogram on its left;
* :func:`plot_dendrogram` -- the document tree, leaves labelled "short title (year)";
* :func:`plot_similarity_map` -- a 2-D map (MDS) of passages, coloured by document,
  marked by cluster.

The ``*_table`` helpers build those tables from ``textkit.similarity`` results and
readable labels (``Corpus.labels``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from scipy.cluster import hierarchy

from textkit.errors import ConfigError, shorten
from textkit.figures.style import (
    MARKERS,
    PALETTE,
    STYLE,
    draw_heatmap,
    figure_for,
    figure_style,
    finish_figure,
    new_figure,
    require_table,
    wrap_label,
)

__all__ = [
    "similarity_heatmap_table",
    "similarity_map_table",
    "plot_similarity_heatmap",
    "plot_dendrogram",
    "plot_similarity_map",
]

TREE_COLUMNS = ("left_id", "right_id", "distance", "size")
_OTHER_COLOUR = "#BBBBBB"
_MAX_LABELS = 60


def _label(labels: Mapping[str, str] | pd.Series | None, key: str) -> str:
    if labels is None:
        return key
    if key not in labels:
        raise ConfigError(f"no label for {shorten(key)}; pass labels for every doc_id")
    return str(labels[key])


def _linkage(tree: pd.DataFrame) -> tuple[np.ndarray, list[str]]:
    """SciPy linkage matrix and leaf labels (input order) from a merge table."""
    tree = require_table(tree, [*TREE_COLUMNS, "left", "right"], "tree")
    linkage = tree[list(TREE_COLUMNS)].to_numpy(dtype=float)
    n = len(tree) + 1
    leaves: dict[int, str] = {}
    for side in ("left", "right"):
        ids = tree[f"{side}_id"].to_numpy(dtype=int)
        for node, name in zip(ids, tree[side], strict=True):
            if node < n:
                leaves[int(node)] = str(name)
    if sorted(leaves) != list(range(n)):
        raise ConfigError("'tree' is not a complete merge table (DocumentTree.to_frame)")
    return linkage, [leaves[i] for i in range(n)]


# ----------------------------------------------------------------------- tables


def similarity_heatmap_table(
    similarity: pd.DataFrame,
    *,
    order: Sequence[str] | None = None,
    labels: Mapping[str, str] | pd.Series | None = None,
    diagonal: bool = False,
) -> pd.DataFrame:
    """The table :func:`plot_similarity_heatmap` draws: the matrix reordered and labelled.

    The diagonal (every document is identical to itself) is left empty by default, so
    that the colour scale spans the similarities between documents.

    Parameters
    ----------
    similarity : DataFrame
        Square similarity matrix labelled by ``doc_id``.
    order : sequence of str, optional
        Row and column order, e.g. ``DocumentTree.order`` (dendrogram leaves).
    labels : mapping, optional
        doc_id -> readable label (``Corpus.labels``).
    diagonal : bool
        Keep the diagonal's 1s instead of leaving it empty (NaN).

    Returns
    -------
    DataFrame
        Index ``document`` and columns in ``order``, holding readable labels.

    Examples
    --------
    >>> s = pd.DataFrame([[1, .2], [.2, 1]], index=["a", "b"], columns=["a", "b"])
    >>> similarity_heatmap_table(s, order=["b", "a"], labels={"a": "A (2000)", "b": "B (2001)"})
              B (2001)  A (2000)
    document
    B (2001)       NaN       0.2
    A (2000)       0.2       NaN
    """
    keys = [str(k) for k in (order if order is not None else similarity.index)]
    if set(keys) != {str(k) for k in similarity.index}:
        raise ConfigError("'order' must list every document of the matrix once")
    values = similarity.loc[keys, keys].to_numpy(dtype=float, copy=True)
    if not diagonal:
        np.fill_diagonal(values, np.nan)
    names = [_label(labels, k) for k in keys]
    return pd.DataFrame(values, index=pd.Index(names, name="document"), columns=pd.Index(names))


def similarity_map_table(
    coords: pd.DataFrame, *, labels: Mapping[str, str] | pd.Series | None = None
) -> pd.DataFrame:
    """The table :func:`plot_similarity_map` draws: one row per passage.

    Parameters
    ----------
    coords : DataFrame
        Indexed by ``unit_id`` with columns ``x``, ``y``, ``doc_id``, ``cluster``
        (``SimilarityResult.passage_map``).
    labels : mapping, optional
        doc_id -> readable document label.

    Returns
    -------
    DataFrame
        Columns ``unit_id``, ``document``, ``cluster``, ``x``, ``y``.

    Examples
    --------
    >>> coords = pd.DataFrame({"x": [0.1, 0.2], "y": [0.0, 0.3], "doc_id": ["a", "a"],
    ...                        "cluster": [1, 2]}, index=pd.Index(["a:0", "a:1"], name="unit_id"))
    >>> similarity_map_table(coords, labels={"a": "A (2000)"})
      unit_id  document  cluster    x    y
    0     a:0  A (2000)        1  0.1  0.0
    1     a:1  A (2000)        2  0.2  0.3
    """
    coords = require_table(coords, ["x", "y", "doc_id", "cluster"], "coords")
    return pd.DataFrame(
        {
            "unit_id": [str(u) for u in coords.index],
            "document": [_label(labels, str(d)) for d in coords["doc_id"]],
            "cluster": coords["cluster"].to_numpy(),
            "x": coords["x"].to_numpy(dtype=float),
            "y": coords["y"].to_numpy(dtype=float),
        }
    )


# ---------------------------------------------------------------------- drawing


def _draw_tree(ax: Axes, linkage: np.ndarray, leaf_labels: list[str] | None) -> dict[str, Any]:
    """Dendrogram with its root on the left and leaves top to bottom in leaf order."""
    n = len(linkage) + 1
    info = hierarchy.dendrogram(
        linkage,
        ax=ax,
        orientation="left",
        labels=leaf_labels,
        no_labels=leaf_labels is None,
        color_threshold=0,
        above_threshold_color=PALETTE[2],
    )
    ax.set_ylim(10 * n, 0)  # first leaf on top, like the first row of a heatmap
    for line in ax.collections:
        line.set_linewidth(0.9)
    ax.set_xlabel("Cosine distance")
    ax.spines[["top", "right", "left"]].set_visible(False)
    return dict(info)


def plot_similarity_heatmap(
    data: pd.DataFrame,
    *,
    tree: pd.DataFrame | None = None,
    annotate: bool | None = None,
    ax: Axes | None = None,
    width: Literal["column", "text"] | float = "text",
) -> Figure:
    """Document × document similarity, clustered, with the dendrogram on its left.

    Parameters
    ----------
    data : DataFrame
        :func:`similarity_heatmap_table` output in dendrogram order (``order=tree.order``).
    tree : DataFrame, optional
        The merge table (``DocumentTree.to_frame(labels)``); its leaves, top to bottom,
        must be the rows of ``data``. Without it no dendrogram is drawn.
    annotate : bool, optional
        Write each similarity in its cell (default: at most 150 cells).
    ax : Axes, optional
        A panel to draw into (it is split into dendrogram and matrix); it must come
        from a grid (``fig.subplots``).
    width : {"column", "text"} or float
        Width of a new figure.

    Returns
    -------
    Figure

    Raises
    ------
    ConfigError
        If the tree's leaf order differs from the rows of ``data``.

    Examples
    --------
    >>> s = pd.DataFrame([[1, .8, .1], [.8, 1, .2], [.1, .2, 1]], index=list("abc"),
    ...                  columns=list("abc"))
    >>> from textkit.similarity import document_tree
    >>> tree = document_tree(s)
    >>> table = similarity_heatmap_table(s, order=tree.order)
    >>> fig = plot_similarity_heatmap(table, tree=tree.to_frame())
    >>> dendrogram_axes, matrix_axes = fig.axes[:2]
    >>> [t.get_text() for t in matrix_axes.get_yticklabels()]
    ['c', 'a', 'b']
    >>> matrix_axes.images[0].get_array().filled(-1).tolist()[0]
    [-1.0, 0.1, 0.2]
    """
    data = require_table(data, [])
    n = len(data)
    names = [str(i) for i in data.index]
    linkage = None
    if tree is not None:
        linkage, leaves = _linkage(tree)
        ordered = [leaves[i] for i in hierarchy.leaves_list(linkage)]
        if ordered != names:
            raise ConfigError(
                "the rows of 'data' must be in the tree's leaf order: build it with "
                "similarity_heatmap_table(..., order=tree.order)"
            )
    labelled = [wrap_label(name, 30) for name in names]
    lines = sum(1 + label.count("\n") for label in labelled) if n <= _MAX_LABELS else n
    height = min(9.0, max(2.2, 1.4 + 0.2 * lines))
    with figure_style():
        if ax is None:
            fig, axes = new_figure(
                width, height=height, ncols=2, gridspec_kw={"width_ratios": [1, 3.5]}
            )
            tree_ax, matrix_ax = axes
        else:
            fig, ax = figure_for(ax)
            spec = ax.get_subplotspec()
            if spec is None:
                raise ConfigError("'ax' must be a grid panel (from fig.subplots) to be split")
            grid = spec.subgridspec(1, 2, width_ratios=[1, 3.5], wspace=0.02)
            ax.remove()
            tree_ax, matrix_ax = fig.add_subplot(grid[0]), fig.add_subplot(grid[1])
        if linkage is not None:
            _draw_tree(tree_ax, linkage, None)
        else:
            tree_ax.set_visible(False)
        table = pd.DataFrame(data.to_numpy(dtype=float), index=labelled, columns=labelled)
        finite = table.to_numpy()[np.isfinite(table.to_numpy())]
        lower = min(0.0, float(finite.min())) if finite.size else 0.0
        upper = max(lower + 0.05, float(finite.max())) if finite.size else 1.0
        image = draw_heatmap(
            matrix_ax,
            table,
            vmin=lower,
            vmax=upper,
            annotate=annotate,
            colorbar_label="",
            label_width=30,
        )
        matrix_ax.yaxis.tick_right()
        if n > _MAX_LABELS:
            step = math.ceil(n / _MAX_LABELS)
            shown = np.arange(n)[::step]
            matrix_ax.set_yticks(shown, [labelled[i] for i in shown])
            matrix_ax.set_xticks(shown, [labelled[i] for i in shown])
        if n > 30:
            size = max(4.0, STYLE["ytick.labelsize"] * 30 / n)
            matrix_ax.tick_params(axis="both", labelsize=size)
        bar = fig.colorbar(image, ax=[tree_ax, matrix_ax], location="bottom", shrink=0.5, aspect=40)
        bar.set_label("Cosine similarity (TF-IDF)")
        bar.outline.set_visible(False)
        return finish_figure(fig)


def plot_dendrogram(
    data: pd.DataFrame,
    *,
    ax: Axes | None = None,
    width: Literal["column", "text"] | float = "column",
) -> Figure:
    """The document tree: root on the left, one labelled leaf per document.

    Parameters
    ----------
    data : DataFrame
        ``DocumentTree.to_frame(labels)``: columns ``left_id``, ``right_id``, ``left``,
        ``right``, ``distance``, ``size`` (leaves carry readable labels).
    ax : Axes, optional
    width : {"column", "text"} or float
        Width of a new figure.

    Returns
    -------
    Figure

    Raises
    ------
    ConfigError
        If ``data`` is not a complete merge table.

    Examples
    --------
    >>> s = pd.DataFrame([[1, .8, .1], [.8, 1, .2], [.1, .2, 1]], index=list("abc"),
    ...                  columns=list("abc"))
    >>> from textkit.similarity import document_tree
    >>> table = document_tree(s).to_frame({"a": "A (2000)", "b": "B (2001)", "c": "C (undated)"})
    >>> fig = plot_dendrogram(table)
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['C (undated)', 'A (2000)', 'B (2001)']
    """
    linkage, leaves = _linkage(data)
    n = len(leaves)
    height = min(9.0, max(1.6, 0.6 + 0.22 * min(n, _MAX_LABELS * 2)))
    with figure_style():
        fig, ax = figure_for(ax, width=width, height=height)
        _draw_tree(ax, linkage, [wrap_label(leaf, 34) for leaf in leaves])
        labels = ax.get_yticklabels()
        size = STYLE["ytick.labelsize"] if n <= 30 else max(4.0, STYLE["ytick.labelsize"] * 30 / n)
        for label in labels:
            label.set_fontsize(size)
        if n > _MAX_LABELS * 2:
            step = math.ceil(n / (_MAX_LABELS * 2))
            for i, label in enumerate(labels):
                label.set_visible(i % step == 0)
        ax.tick_params(axis="y", length=0)
        return finish_figure(fig)


def plot_similarity_map(
    data: pd.DataFrame,
    *,
    max_documents: int = len(PALETTE) - 1,
    ax: Axes | None = None,
    width: Literal["column", "text"] | float = "text",
) -> Figure:
    """Passages on a 2-D map (MDS of cosine distances), coloured by document, marked by cluster.

    The ``max_documents`` documents with the most passages get a palette colour each;
    the others are drawn in light grey as "other documents". Markers cycle over the
    clusters; each cluster's number is written at its median point.

    Parameters
    ----------
    data : DataFrame
        :func:`similarity_map_table` output: ``unit_id``, ``document``, ``cluster``,
        ``x``, ``y``.
    max_documents : int
        Documents given their own colour (at most the palette size).
    ax : Axes, optional
    width : {"column", "text"} or float
        Width of a new figure.

    Returns
    -------
    Figure

    Raises
    ------
    ConfigError
        If ``data`` lacks a column or ``max_documents`` is out of range.

    Examples
    --------
    >>> data = pd.DataFrame({"unit_id": ["a:0", "a:1", "b:0"], "document": ["A", "A", "B"],
    ...                      "cluster": [1, 1, 2], "x": [0.0, 0.1, 1.0], "y": [0.0, 0.1, 1.0]})
    >>> fig = plot_similarity_map(data)
    >>> ax = fig.axes[0]
    >>> sorted(len(c.get_offsets()) for c in ax.collections)
    [1, 2]
    >>> sorted(t.get_text() for t in ax.texts)
    ['1', '2']
    """
    data = require_table(data, ["unit_id", "document", "cluster", "x", "y"])
    if not isinstance(max_documents, int) or not 1 <= max_documents <= len(PALETTE):
        raise ConfigError(
            f"'max_documents' must be an int from 1 to {len(PALETTE)} (got {max_documents!r})"
        )
    counts = data["document"].value_counts(sort=False)
    ranked = sorted(counts.index, key=lambda d: (-counts[d], list(counts.index).index(d)))
    if len(ranked) > max_documents:
        coloured = ranked[: max_documents - 1] if max_documents > 1 else []
    else:
        coloured = ranked
    colours = {doc: PALETTE[i] for i, doc in enumerate(coloured)}
    clusters = sorted(data["cluster"].unique().tolist())
    markers = {c: MARKERS[i % len(MARKERS)] for i, c in enumerate(clusters)}
    with figure_style():
        own_figure = ax is None
        fig, ax = figure_for(ax, width=width, height=3.6 if width != "column" else 3.0)
        for cluster in clusters:
            part = data[data["cluster"] == cluster]
            colour = [colours.get(doc, _OTHER_COLOUR) for doc in part["document"]]
            ax.scatter(
                part["x"],
                part["y"],
                c=colour,
                marker=markers[cluster],
                s=18,
                linewidths=0.4,
                edgecolors="white",
                alpha=0.9,
            )
            ax.text(
                float(part["x"].median()),
                float(part["y"].median()),
                str(cluster),
                fontsize=STYLE["axes.labelsize"],
                fontweight="bold",
                ha="center",
                va="center",
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.7},
            )
        doc_handles = [
            Line2D([], [], linestyle="", marker="o", color=colours[d], label=wrap_label(d, 28))
            for d in coloured
        ]
        if len(coloured) < len(ranked):
            others = len(ranked) - len(coloured)
            doc_handles.append(
                Line2D(
                    [], [], linestyle="", marker="o", color=_OTHER_COLOUR,
                    label=f"{others} other documents",
                )
            )  # fmt: skip
        cluster_handles = [
            Line2D([], [], linestyle="", marker=markers[c], color="#555555", label=f"Cluster {c}")
            for c in clusters
        ]
        cluster_columns = 1 if len(clusters) <= 8 else 2
        if own_figure:  # legends beside the map, inside the figure (constrained layout)
            fig.legend(handles=doc_handles, title="Document", loc="outside right upper")
            fig.legend(
                handles=cluster_handles,
                title="Cluster",
                loc="outside right lower",
                ncols=cluster_columns,
            )
        else:
            first = ax.legend(handles=doc_handles, title="Document", loc="upper left")
            ax.add_artist(first)
            ax.legend(
                handles=cluster_handles, title="Cluster", loc="lower right", ncols=cluster_columns
            )
        ax.set_xlabel("MDS dimension 1")
        ax.set_ylabel("MDS dimension 2")
        ax.set_aspect("equal", adjustable="datalim")
        ax.set_xticks([])
        ax.set_yticks([])
        return finish_figure(fig)
