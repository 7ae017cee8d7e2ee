"""The one figure style used by every textkit figure.

Every figure is drawn in DejaVu Sans (it ships with matplotlib, so a figure
looks the same on every machine), at 7.5-9 pt, one column (3.5 in) or the full
text width (7.2 in) wide, with the Okabe-Ito colour-blind-safe palette.  The
first three colours (blue, orange, black) also differ in lightness, so they
stay apart in greyscale; beyond three series, pair colours with the line
styles, markers or hatches of :func:`series_style`.

Writing a plot function
-----------------------
Every ``plot_*`` function follows the same pattern, so that a figure can be
drawn on its own or into a panel of a larger figure::

    def plot_something(data: pd.DataFrame, *, ax: Axes | None = None) -> Figure:
        with figure_style():
            fig, ax = figure_for(ax, width="column", height=2.4)
            ax.plot(data["year"], data["share"])
            return finish_figure(fig)

:func:`figure_style` applies the style only inside the ``with`` block (no global
state changes); :func:`finish_figure` draws the figure once inside it so that
lazily created artists (tick labels) take the house style too.

Backend: figures are plain :class:`~matplotlib.figure.Figure` objects on the
Agg canvas: no display needed, nothing registered with pyplot, so nothing leaks
between figures.  In Jupyter a figure shows when it is a cell's last value
(``fig``) or passed to ``display(fig)``, exactly once.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Literal, cast

import matplotlib as mpl
import numpy as np
import pandas as pd
from cycler import cycler
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from textkit.errors import ConfigError, shorten

__all__ = [
    "COLUMN_WIDTH",
    "TEXT_WIDTH",
    "ROW_HEIGHT",
    "FONT_FAMILY",
    "PALETTE",
    "LINESTYLES",
    "MARKERS",
    "HATCHES",
    "SEQUENTIAL_CMAP",
    "DIVERGING_CMAP",
    "UNSTABLE_HATCH",
    "UNSTABLE_SUFFIX",
    "STYLE",
    "figure_style",
    "new_figure",
    "figure_for",
    "finish_figure",
    "series_style",
    "label_axes",
    "wrap_label",
    "mark_unstable",
    "unstable_handle",
    "draw_heatmap",
]

COLUMN_WIDTH = 3.5
"""Width of a single-column figure, in inches."""

TEXT_WIDTH = 7.2
"""Width of a full-text-width (two-column) figure, in inches."""

ROW_HEIGHT = 2.4
"""Default height of one row of panels, in inches."""

FONT_FAMILY = "DejaVu Sans"
"""The font of every figure; it ships with matplotlib."""

PALETTE: tuple[str, ...] = (
    "#0072B2",  # blue            (CIE L* 46)
    "#E69F00",  # orange          (L* 71)
    "#000000",  # black           (L* 0)
    "#D55E00",  # vermillion      (L* 54)
    "#56B4E9",  # sky blue        (L* 70)
    "#009E73",  # bluish green    (L* 58)
    "#CC79A7",  # reddish purple  (L* 61)
    "#F0E442",  # yellow          (L* 89, weak on white: last)
)
"""Okabe-Ito colours, ordered so that the first three differ in greyscale."""

LINESTYLES: tuple[Any, ...] = (
    "-",
    "--",
    ":",
    "-.",
    (0, (5, 1)),
    (0, (3, 1, 1, 1, 1, 1)),
    (0, (1, 2)),
    (0, (6, 3)),
)
"""One line style per palette colour, so that lines also differ in greyscale."""

MARKERS: tuple[str, ...] = ("o", "s", "^", "D", "v", "P", "X", "*")
"""One marker per palette colour."""

HATCHES: tuple[str, ...] = ("", "///", "\\\\\\", "xxx", "...", "+++", "---", "ooo")
"""One hatch per palette colour, for bars and areas read in greyscale."""

SEQUENTIAL_CMAP = "cividis"
"""Colour map for magnitudes (heatmaps): colour-blind safe, lightness monotonic."""

DIVERGING_CMAP = "PuOr"
"""Colour map for signed values centred on zero: colour-blind safe."""

UNSTABLE_HATCH = "////"
"""Hatch marking an item (topic, term) that is not stable across seeds."""

UNSTABLE_SUFFIX = " (unstable)"
"""Suffix :func:`mark_unstable` users append to the label of an unstable item."""

STYLE: dict[str, Any] = {
    # fonts
    "font.family": "sans-serif",
    "font.sans-serif": [FONT_FAMILY],
    "mathtext.fontset": "dejavusans",
    "font.size": 8.0,
    "axes.titlesize": 9.0,
    "axes.labelsize": 8.0,
    "xtick.labelsize": 7.5,
    "ytick.labelsize": 7.5,
    "legend.fontsize": 7.5,
    "legend.title_fontsize": 8.0,
    "figure.titlesize": 9.0,
    # colours and lines
    "axes.prop_cycle": cycler(color=list(PALETTE)) + cycler(linestyle=list(LINESTYLES)),
    "image.cmap": SEQUENTIAL_CMAP,
    "lines.linewidth": 1.2,
    "lines.markersize": 4.0,
    "patch.linewidth": 0.5,
    "hatch.linewidth": 0.6,
    "axes.linewidth": 0.6,
    "axes.edgecolor": "#333333",
    "axes.labelcolor": "#000000",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "grid.linewidth": 0.4,
    "grid.color": "#CCCCCC",
    "xtick.major.width": 0.6,
    "ytick.major.width": 0.6,
    "xtick.major.size": 3.0,
    "ytick.major.size": 3.0,
    "legend.frameon": False,
    # layout and output
    "figure.dpi": 150,
    "figure.facecolor": "white",
    "figure.constrained_layout.use": True,
    "savefig.dpi": 300,
    "savefig.facecolor": "white",
    "savefig.bbox": "standard",
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
    "pdf.use14corefonts": False,
    "svg.fonttype": "path",
    "svg.hashsalt": "textkit",
    "path.simplify": True,
}
"""The rcParams :func:`figure_style` applies."""


@contextmanager
def figure_style() -> Iterator[None]:
    """Apply the textkit figure style inside a ``with`` block only.

    The rcParams of :data:`STYLE` are set with :func:`matplotlib.rc_context`,
    so everything changes back when the block ends.

    Examples
    --------
    >>> import matplotlib as mpl
    >>> before = mpl.rcParams["pdf.fonttype"]
    >>> with figure_style():
    ...     mpl.rcParams["pdf.fonttype"], mpl.rcParams["font.sans-serif"][0]
    (42, 'DejaVu Sans')
    >>> mpl.rcParams["pdf.fonttype"] == before
    True
    """
    with mpl.rc_context(cast(Any, STYLE)):
        yield


def _resolve_width(width: Literal["column", "text"] | float) -> float:
    if width == "column":
        return COLUMN_WIDTH
    if width == "text":
        return TEXT_WIDTH
    if isinstance(width, (int, float)) and not isinstance(width, bool):
        if math.isfinite(width) and width > 0:
            return float(width)
    raise ConfigError(
        f"'width' must be 'column', 'text' or a positive number of inches (got {shorten(width)})"
    )


def _check_height(height: float) -> float:
    if isinstance(height, (int, float)) and not isinstance(height, bool):
        if math.isfinite(height) and height > 0:
            return float(height)
    raise ConfigError(f"'height' must be a positive number of inches (got {shorten(height)})")


def _inline_backend() -> bool:
    """Whether Jupyter's inline backend is selected (without resolving the backend)."""
    backend = dict.__getitem__(mpl.rcParams, "backend")
    return isinstance(backend, str) and "inline" in backend.lower()


def _blank_figure(width: float, height: float) -> Figure:
    """A figure on the Agg canvas, never registered with pyplot (no global state)."""
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    if _inline_backend():  # Jupyter: make sure a returned figure is shown as an image
        try:
            import matplotlib_inline.backend_inline  # noqa: F401  (registers the formatter)
        except ImportError:  # pragma: no cover - inline backend without its module
            pass
    return fig


def new_figure(
    width: Literal["column", "text"] | float = "column",
    *,
    height: float | None = None,
    nrows: int = 1,
    ncols: int = 1,
    **subplot_kw: Any,
) -> tuple[Figure, Any]:
    """Make a figure in the house style, one column or the text width wide.

    Parameters
    ----------
    width : {"column", "text"} or float
        :data:`COLUMN_WIDTH` (3.5 in), :data:`TEXT_WIDTH` (7.2 in) or inches.
    height : float, optional
        Height in inches; default :data:`ROW_HEIGHT` per row of panels.
    nrows, ncols : int
        Grid of panels.
    **subplot_kw
        Passed to :meth:`matplotlib.figure.Figure.subplots` (``sharex``,
        ``sharey``, ``squeeze``, ``gridspec_kw``, ``subplot_kw``).

    Returns
    -------
    fig : Figure
        The figure, with constrained layout, so its saved size is exact.
    axes : Axes or numpy.ndarray of Axes
        One Axes when ``nrows == ncols == 1`` (unless ``squeeze=False``).

    Raises
    ------
    ConfigError
        If ``width``, ``height``, ``nrows`` or ``ncols`` is not valid.

    Examples
    --------
    >>> fig, ax = new_figure("column", height=2.0)
    >>> [float(x) for x in fig.get_size_inches()]
    [3.5, 2.0]
    >>> fig, axes = new_figure("text", nrows=2, ncols=3)
    >>> axes.shape, float(fig.get_size_inches()[1])
    ((2, 3), 4.8)
    """
    inches = _resolve_width(width)
    for name, value in (("nrows", nrows), ("ncols", ncols)):
        if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < 1:
            raise ConfigError(f"'{name}' must be a positive int (got {shorten(value)})")
    tall = ROW_HEIGHT * int(nrows) if height is None else _check_height(height)
    with figure_style():
        fig = _blank_figure(inches, tall)
        axes = fig.subplots(int(nrows), int(ncols), **subplot_kw)
    return fig, axes


def figure_for(
    ax: Axes | None,
    *,
    width: Literal["column", "text"] | float = "column",
    height: float | None = None,
) -> tuple[Figure, Axes]:
    """Return ``(figure, ax)``: the given Axes' figure, or a new one-panel figure.

    The first lines of every ``plot_*(data, *, ax=None)`` function.

    Parameters
    ----------
    ax : Axes, optional
        Draw into this Axes (a panel of a larger figure); ``None`` makes a new figure.
    width, height
        Size of the new figure (see :func:`new_figure`); ignored when ``ax`` is given.

    Returns
    -------
    tuple of (Figure, Axes)

    Examples
    --------
    >>> fig, ax = figure_for(None, width="text", height=2.0)
    >>> fig2, ax2 = figure_for(ax)
    >>> fig2 is fig and ax2 is ax
    True
    """
    if ax is None:
        fig, new_ax = new_figure(width, height=height)
        return fig, new_ax
    if not isinstance(ax, Axes):
        raise ConfigError(f"'ax' must be a matplotlib Axes or None (got {shorten(ax)})")
    root = ax.figure
    while not isinstance(root, Figure) and root is not None:  # a SubFigure: climb to the root
        root = root.figure
    if root is None:  # pragma: no cover - an Axes always belongs to a figure
        raise ConfigError("'ax' does not belong to a figure")
    return root, ax


def finish_figure(fig: Figure) -> Figure:
    """Lay out and draw ``fig`` once in the house style, then return it.

    Tick labels and other lazily made artists are created at draw time from the
    rcParams in force; drawing once inside :func:`figure_style` makes them take
    the house style even when the figure is later shown outside it.

    Examples
    --------
    >>> fig, ax = new_figure()
    >>> _ = ax.plot([0, 1], [0, 1])
    >>> finish_figure(fig) is fig
    True
    >>> ax.get_xticklabels()[0].get_fontsize()
    7.5
    """
    with figure_style():
        fig.draw_without_rendering()
    return fig


def series_style(index: int) -> dict[str, Any]:
    """Colour, line style, marker and hatch of the ``index``-th series.

    Cycles through :data:`PALETTE`, :data:`LINESTYLES`, :data:`MARKERS` and
    :data:`HATCHES` together, so that series stay apart in greyscale.

    Examples
    --------
    >>> series_style(0)["color"], series_style(1)["linestyle"], series_style(9)["marker"]
    ('#0072B2', '--', 's')
    """
    i = int(index) % len(PALETTE)
    return {
        "color": PALETTE[i],
        "linestyle": LINESTYLES[i],
        "marker": MARKERS[i],
        "hatch": HATCHES[i],
    }


def label_axes(
    axes: Axes | Iterable[Axes],
    *,
    labels: Sequence[str] | None = None,
    fmt: str = "({})",
) -> list[str]:
    """Put panel letters ("(a)", "(b)", ...) at the top left of each panel.

    Parameters
    ----------
    axes : Axes or iterable of Axes (e.g. the array from :func:`new_figure`)
        Panels in reading order (row by row).
    labels : sequence of str, optional
        Default ``"a"``, ``"b"``, ...
    fmt : str
        Format of one label.

    Returns
    -------
    list of str
        The labels written.

    Raises
    ------
    ConfigError
        If fewer labels than panels are given.

    Examples
    --------
    >>> fig, axes = new_figure("text", ncols=3)
    >>> label_axes(axes)
    ['(a)', '(b)', '(c)']
    """
    flat = [axes] if isinstance(axes, Axes) else list(np.asarray(axes, dtype=object).ravel())
    names = list(labels) if labels is not None else [chr(ord("a") + i) for i in range(len(flat))]
    if len(names) < len(flat):
        raise ConfigError(
            f"'labels' must give one label per panel ({len(flat)} panels, got {len(names)})"
        )
    written = []
    for panel, name in zip(flat, names[: len(flat)], strict=True):
        text = fmt.format(name)
        panel.text(
            0.0,
            1.0,
            text,
            transform=panel.transAxes,
            ha="right",
            va="bottom",
            fontsize=STYLE["axes.titlesize"],
            fontweight="bold",
            fontfamily=FONT_FAMILY,
        )
        written.append(text)
    return written


def wrap_label(text: str, width: int = 24) -> str:
    """Wrap a label onto lines of at most ``width`` characters, never cutting a word.

    Parameters
    ----------
    text : str
        The label.
    width : int
        Maximum characters per line (a longer single word stays whole).

    Returns
    -------
    str
        Lines joined by ``"\\n"``.

    Raises
    ------
    ConfigError
        If ``width`` is not a positive int.

    Examples
    --------
    >>> wrap_label("Human Development Report draft (1994)", width=20)
    'Human Development\\nReport draft (1994)'
    >>> wrap_label("short")
    'short'
    """
    if not isinstance(width, (int, np.integer)) or isinstance(width, bool) or width < 1:
        raise ConfigError(f"'width' must be a positive int (got {shorten(width)})")
    lines = textwrap.wrap(
        str(text), width=int(width), break_long_words=False, break_on_hyphens=False
    )
    return "\n".join(lines) if lines else str(text)


def mark_unstable(artists: Artist | Iterable[Artist]) -> int:
    """Mark artists that draw an unstable item, the same way in every figure.

    Bars and areas (patches) get :data:`UNSTABLE_HATCH` and a lighter fill;
    lines become dotted and lighter.  Use :func:`unstable_handle` for the
    legend entry and :data:`UNSTABLE_SUFFIX` for labels.

    Parameters
    ----------
    artists : Artist or iterable of Artist
        E.g. the ``BarContainer`` returned by ``ax.barh`` or a list of lines.

    Returns
    -------
    int
        Number of artists marked.

    Examples
    --------
    >>> fig, ax = new_figure()
    >>> bars = ax.bar(["a", "b"], [1.0, 2.0])
    >>> mark_unstable(bars[1:])
    1
    >>> bars[1].get_hatch(), bars[0].get_hatch()
    ('////', None)
    """
    items = [artists] if isinstance(artists, Artist) else list(artists)
    for artist in items:
        if isinstance(artist, Patch):
            artist.set_facecolor(to_rgba(artist.get_facecolor(), alpha=0.45))
            artist.set_edgecolor("#333333")
            artist.set_hatch(UNSTABLE_HATCH)
        elif isinstance(artist, Line2D):
            artist.set_linestyle(":")
            artist.set_alpha(0.6)
        else:
            artist.set_alpha(0.45)
    return len(items)


def unstable_handle(label: str = "unstable across seeds") -> Patch:
    """A legend handle showing how :func:`mark_unstable` marks items.

    Examples
    --------
    >>> unstable_handle().get_hatch()
    '////'
    """
    return Patch(
        facecolor="white", edgecolor="#333333", hatch=UNSTABLE_HATCH, linewidth=0.5, label=label
    )


def _lightness(rgba: Any) -> float:
    """CIE L* (0-100) of an sRGB colour: what a greyscale print keeps."""
    rgb = np.asarray(rgba[:3], dtype=float)
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    y = float(linear @ np.array([0.2126, 0.7152, 0.0722]))
    return 116.0 * y ** (1 / 3) - 16.0 if y > 216 / 24389 else 24389 / 27 * y


def draw_heatmap(
    ax: Axes,
    table: pd.DataFrame,
    *,
    cmap: str = SEQUENTIAL_CMAP,
    vmin: float | None = None,
    vmax: float | None = None,
    annotate: bool | None = None,
    fmt: str = "{:.2f}",
    colorbar_label: str | None = None,
    label_width: int = 28,
) -> AxesImage:
    """Draw a labelled table as a heatmap: rows top to bottom, columns left to right.

    Row and column labels come from the table's index and columns (wrapped at
    ``label_width`` characters); long column labels are slanted.  Cells are
    annotated with their values (dark text on light cells, white on dark ones)
    when ``annotate`` is true, by default when there are at most 150 cells;
    missing values are left blank.  A colour bar is added unless
    ``colorbar_label`` is ``""``.

    Parameters
    ----------
    ax : Axes
        Where to draw.
    table : DataFrame
        Numbers to draw, labelled by index and columns (e.g. documents x topics).
    cmap : str
        Colour map; default :data:`SEQUENTIAL_CMAP`.
    vmin, vmax : float, optional
        Colour scale limits; default the table's range.
    annotate : bool, optional
        Write each value in its cell.
    fmt : str
        Format of an annotation, for ``str.format``.
    colorbar_label : str, optional
        Label of the colour bar; ``""`` draws no colour bar.
    label_width : int
        Wrap labels longer than this many characters.

    Returns
    -------
    AxesImage

    Raises
    ------
    ConfigError
        If ``table`` is not a non-empty DataFrame of numbers.

    Examples
    --------
    >>> table = pd.DataFrame([[0.9, 0.1], [0.2, 0.8]], index=["Report (1994)", "Speech (2008)"],
    ...                      columns=["Topic 1", "Topic 2"])
    >>> fig, ax = new_figure()
    >>> image = draw_heatmap(ax, table, vmin=0, vmax=1, colorbar_label="share")
    >>> [t.get_text() for t in ax.texts]
    ['0.90', '0.10', '0.20', '0.80']
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['Report (1994)', 'Speech (2008)']
    """
    if not isinstance(table, pd.DataFrame) or table.size == 0:
        raise ConfigError(f"'table' must be a non-empty pandas DataFrame (got {shorten(table)})")
    try:
        values = table.to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError):
        raise ConfigError("'table' must hold numbers only; move labels into its index") from None
    n_rows, n_cols = values.shape
    image = ax.imshow(
        values, cmap=cmap, vmin=vmin, vmax=vmax, aspect="auto", interpolation="nearest"
    )
    columns = [wrap_label(str(c), label_width) for c in table.columns]
    slant = max(len(c) for c in columns) > 6 and n_cols > 1
    ax.set_xticks(
        np.arange(n_cols),
        columns,
        rotation=40 if slant else 0,
        ha="right" if slant else "center",
        rotation_mode="anchor",
    )
    ax.set_yticks(np.arange(n_rows), [wrap_label(str(i), label_width) for i in table.index])
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    if annotate is None:
        annotate = values.size <= 150
    if annotate:
        norm = image.norm
        colormap = image.get_cmap()
        size = max(4.0, min(6.5, 90.0 / max(n_rows, n_cols)))
        for (row, col), value in np.ndenumerate(values):
            if np.isnan(value):
                continue
            dark = _lightness(colormap(norm(value))) < 55
            ax.text(
                col,
                row,
                fmt.format(value),
                ha="center",
                va="center",
                fontsize=size,
                color="white" if dark else "black",
            )
    if colorbar_label != "":
        figure = ax.figure
        colorbar = figure.colorbar(image, ax=ax, shrink=0.9, aspect=30)
        if colorbar_label:
            colorbar.set_label(colorbar_label)
        colorbar.outline.set_visible(False)
    return image


# --------------------------------------------------------------------------- shared by plot_*


def require_table(data: object, columns: Sequence[str], what: str = "data") -> pd.DataFrame:
    """Return ``data`` if it is a non-empty DataFrame with ``columns``; else raise ConfigError."""
    if not isinstance(data, pd.DataFrame):
        raise ConfigError(f"{what!r} must be a pandas DataFrame (got {type(data).__name__})")
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise ConfigError(
            f"{what!r} lacks column(s) {missing}; it has {shorten(list(data.columns))}"
        )
    if len(data) == 0:
        raise ConfigError(f"{what!r} has no rows: there is nothing to plot")
    return data


def panel_grid(
    ax: Axes | Sequence[Axes] | None,
    n: int,
    *,
    ncols: int,
    width: Literal["column", "text"] | float,
    row_height: float,
    sharex: bool = False,
    sharey: bool = False,
) -> tuple[Figure, list[Axes]]:
    """One Axes per panel: given by the caller, or a new grid with spare panels hidden."""
    if ax is not None:
        axes = [ax] if isinstance(ax, Axes) else list(np.asarray(ax, dtype=object).ravel())
        if len(axes) < n or not all(isinstance(a, Axes) for a in axes):
            raise ConfigError(f"'ax' must give {n} Axes, one per panel (got {shorten(ax)})")
        fig = axes[0].get_figure(root=True)
        assert isinstance(fig, Figure)
        return fig, axes[:n]
    nrows = math.ceil(n / ncols)
    fig, grid = new_figure(
        width,
        height=row_height * nrows,
        nrows=nrows,
        ncols=ncols,
        squeeze=False,
        sharex=sharex,
        sharey=sharey,
    )
    axes = list(grid.ravel())
    for i, spare in enumerate(axes[n:], start=n):
        spare.set_visible(False)
        axes[i - ncols].xaxis.set_tick_params(labelbottom=True)  # now the lowest of its column
    return fig, axes[:n]
