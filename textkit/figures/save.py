"""Write a figure in every format, with the data behind it, byte for byte reproducibly.

:func:`save_figure` writes ``<stem>.pdf`` (vector, fonts embedded as
TrueType/Type 42), ``<stem>.png`` (300 dpi), ``<stem>.svg`` and ``<stem>.csv``
(exactly the data plotted, the "source data" journals ask for).
:func:`save_table` writes a table alone as CSV.

Determinism: two runs of the same code on the same data write the same bytes.
The files carry no dates or library versions (``SOURCE_DATE_EPOCH``, when set,
becomes the PDF and SVG date), SVG ids come from a fixed ``svg.hashsalt``,
floats in CSVs are written with the one format :data:`FLOAT_FORMAT`, line ends
are ``"\\n"``.  Every file is written to a temporary file in the target folder
and then renamed over the target, so a crash never leaves half a file.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import tempfile
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from textkit.errors import ConfigError, shorten
from textkit.figures.style import figure_style

__all__ = [
    "DPI",
    "FIGURE_FORMATS",
    "FLOAT_FORMAT",
    "NA_REP",
    "save_figure",
    "save_table",
    "table_to_csv",
]

logger = logging.getLogger(__name__)

DPI = 300
"""Resolution of PNG files (and of any rasterised part of a PDF or SVG)."""

FIGURE_FORMATS: tuple[str, ...] = ("pdf", "png", "svg")
"""Image formats :func:`save_figure` writes, besides the CSV."""

FLOAT_FORMAT = "%.6g"
"""The one format of floats in every CSV (six significant digits)."""

NA_REP = ""
"""How a missing value (NaN, <NA>, None) is written in a CSV: an empty field."""

_STEM = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_SUFFIXES = (".pdf", ".png", ".svg", ".csv")


def _check_stem(stem: object, what: str) -> str:
    if not isinstance(stem, str) or not _STEM.fullmatch(stem):
        raise ConfigError(
            f"'{what}' must be a file name without folders, made of letters, digits, "
            f"'_', '-' and '.' (got {shorten(stem)}); pass the folder as 'figures_dir'"
        )
    if stem.lower().endswith(_SUFFIXES):
        raise ConfigError(
            f"'{what}' must not end in a file suffix (got {shorten(stem)}); "
            f"the suffixes are added for you"
        )
    return stem


def _source_date() -> datetime | None:
    """The date of ``SOURCE_DATE_EPOCH`` if set, else ``None`` (no date written)."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    try:
        seconds = int(value)
    except ValueError:
        raise ConfigError(
            f"'SOURCE_DATE_EPOCH' must be an integer number of seconds since 1970 "
            f"(got {shorten(value)}); unset it or fix it"
        ) from None
    return datetime.fromtimestamp(seconds, tz=timezone.utc)


def _metadata(fmt: str) -> dict[str, Any]:
    date = _source_date()
    if fmt == "pdf":
        return {"Creator": "textkit", "Producer": "textkit", "CreationDate": date}
    if fmt == "svg":
        return {"Creator": "textkit", "Date": None if date is None else date.isoformat()}
    return {"Software": None}  # png


def _atomic_write(path: Path, write: Callable[[IO[bytes]], object]) -> Path:
    """Write ``path`` through ``write(handle)`` into a temporary file, then rename it."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    logger.info("wrote %s", path)
    return path


def _as_frame(data: object, what: str) -> pd.DataFrame:
    if isinstance(data, pd.Series):
        return data.to_frame(name=data.name if data.name is not None else "value")
    if not isinstance(data, pd.DataFrame):
        raise ConfigError(
            f"'{what}' must be a pandas DataFrame or Series (got {type(data).__name__})"
        )
    if data.columns.has_duplicates:
        dupes = sorted({str(c) for c in data.columns[data.columns.duplicated()]})
        raise ConfigError(f"'{what}' has duplicate column names {shorten(dupes)}; rename them")
    return data


def _format_float(value: object) -> object:
    if isinstance(value, (float, np.floating)) and not np.isnan(value):
        return FLOAT_FORMAT % value
    return value


def table_to_csv(data: pd.DataFrame | pd.Series, *, index: bool | None = None) -> str:
    """Render a table as the CSV text textkit writes: fixed float format, ``"\\n"`` line ends.

    Parameters
    ----------
    data : DataFrame or Series
        The table; a Series becomes one column named after it.
    index : bool, optional
        Write the index as the first column(s)?  Default: only when it is
        labelled: named (``doc_id``, ``term``) or holding values that are not
        integers (document labels).  An unnamed integer index (row numbers)
        is dropped.

    Returns
    -------
    str

    Raises
    ------
    ConfigError
        If ``data`` is not a DataFrame or Series, or has duplicate column names.

    Examples
    --------
    >>> df = pd.DataFrame({"term": ["peace", "war"], "rate": [1 / 3, 2.0]})
    >>> print(table_to_csv(df), end="")
    term,rate
    peace,0.333333
    war,2
    >>> print(table_to_csv(df.set_index("term")), end="")
    term,rate
    peace,0.333333
    war,2
    """
    frame = _as_frame(data, "data")
    names = list(frame.index.names)
    if index is None:
        row_numbers = all(n is None for n in names) and pd.api.types.is_integer_dtype(
            frame.index.dtype
        )
        write_index = not row_numbers
    else:
        write_index = bool(index)
    if write_index:  # index levels become ordinary columns, formatted like the others
        labels = [f"level_{i}" if n is None and len(names) > 1 else n for i, n in enumerate(names)]
        labels = ["index" if n is None else n for n in labels]
        clash = sorted({str(n) for n in labels} & {str(c) for c in frame.columns})
        if clash:
            raise ConfigError(
                f"'data' has index level(s) and column(s) both named {clash}; "
                f"rename one or pass index=False"
            )
        frame = frame.rename_axis(labels).reset_index()
    mixed = [c for c in frame.columns if frame[c].dtype == object]
    if mixed:  # floats inside object columns escape ``float_format``: format them here
        frame = frame.copy()
        for column in mixed:
            frame[column] = frame[column].map(_format_float)
    text = frame.to_csv(
        None,
        index=False,
        float_format=FLOAT_FORMAT,
        na_rep=NA_REP,
        lineterminator="\n",
    )
    return str(text)


def _resolve_dir(figures_dir: str | os.PathLike[str]) -> Path:
    if not isinstance(figures_dir, (str, os.PathLike)) or str(figures_dir) == "":
        raise ConfigError(f"'figures_dir' must be a folder path (got {shorten(figures_dir)})")
    folder = Path(figures_dir)
    if folder.exists() and not folder.is_dir():
        raise ConfigError(f"'figures_dir' is a file, not a folder: {folder}")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def save_table(
    data: pd.DataFrame | pd.Series,
    name: str,
    figures_dir: str | os.PathLike[str],
    *,
    index: bool | None = None,
) -> Path:
    """Write a table as ``<name>.csv`` in ``figures_dir``, byte-deterministically.

    Parameters
    ----------
    data : DataFrame or Series
        The table (e.g. term rates, topic stability).
    name : str
        File name without folder; ``".csv"`` is added (a trailing ``".csv"`` is accepted).
    figures_dir : str or path
        Output folder, created if missing.
    index : bool, optional
        See :func:`table_to_csv`.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    ConfigError
        If ``name`` contains a folder or odd characters, or ``data`` is not a table.

    Examples
    --------
    >>> import tempfile
    >>> table = pd.DataFrame({"year": [2000, 2001], "rate": [0.5, 0.25]})
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = save_table(table, "term_rates", folder)
    ...     path.name, path.read_text()
    ('term_rates.csv', 'year,rate\\n2000,0.5\\n2001,0.25\\n')
    """
    stem = name[: -len(".csv")] if isinstance(name, str) and name.endswith(".csv") else name
    stem = _check_stem(stem, "name")
    payload = table_to_csv(data, index=index).encode("utf-8")
    folder = _resolve_dir(figures_dir)
    return _atomic_write(folder / f"{stem}.csv", lambda handle: handle.write(payload))


def save_figure(
    fig: Figure,
    stem: str,
    data: pd.DataFrame | pd.Series,
    figures_dir: str | os.PathLike[str],
    *,
    index: bool | None = None,
) -> dict[str, Path]:
    """Write ``<stem>.pdf``, ``.png``, ``.svg`` and ``.csv`` (the data plotted) to ``figures_dir``.

    The PDF is vector with fonts embedded as TrueType (Type 42, never Type 3),
    the PNG is 300 dpi, the SVG has glyphs as paths; none carries a date or a
    version, so the same figure always gives the same bytes.  The figure is
    saved at its own size (no tight cropping), so a column figure is exactly
    3.5 in wide.  The figure is not closed.

    Parameters
    ----------
    fig : Figure
        The figure, e.g. from a ``plot_*`` function.
    stem : str
        File name without folder or suffix, e.g. ``"topic_terms"``.
    data : DataFrame or Series
        Exactly the data plotted, with readable column names.
    figures_dir : str or path
        Output folder, created if missing.
    index : bool, optional
        Write the index of ``data`` into the CSV?  See :func:`table_to_csv`.

    Returns
    -------
    dict of str to Path
        ``{"pdf": ..., "png": ..., "svg": ..., "csv": ...}``.

    Raises
    ------
    ConfigError
        If ``stem`` contains a folder, a suffix or odd characters; if ``fig`` is
        not a Figure; if ``data`` is not a table; if ``SOURCE_DATE_EPOCH`` is not
        an integer.

    Examples
    --------
    >>> import tempfile
    >>> from textkit.figures import new_figure
    >>> data = pd.DataFrame({"year": [2000, 2001], "share": [0.2, 0.4]})
    >>> fig, ax = new_figure()
    >>> _ = ax.plot(data["year"], data["share"])
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     paths = save_figure(fig, "share_by_year", data, folder)
    ...     sorted(paths), paths["png"].name, paths["csv"].read_text()
    (['csv', 'pdf', 'png', 'svg'], 'share_by_year.png', 'year,share\\n2000,0.2\\n2001,0.4\\n')
    """
    stem = _check_stem(stem, "stem")
    if not isinstance(fig, Figure):
        raise ConfigError(f"'fig' must be a matplotlib Figure (got {type(fig).__name__})")
    payload = table_to_csv(data, index=index).encode("utf-8")
    folder = _resolve_dir(figures_dir)
    paths: dict[str, Path] = {}
    with figure_style():
        for fmt in FIGURE_FORMATS:

            def write(handle: IO[bytes], fmt: str = fmt) -> None:
                fig.savefig(handle, format=fmt, dpi=DPI, metadata=_metadata(fmt))

            paths[fmt] = _atomic_write(folder / f"{stem}.{fmt}", write)
    paths["csv"] = _atomic_write(folder / f"{stem}.csv", lambda handle: handle.write(payload))
    return paths
