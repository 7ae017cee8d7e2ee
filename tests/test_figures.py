"""Tests of textkit.figures: style, deterministic saving, the corpus overview plot.

Expected values come from outside the code under test: the PDF and PNG
specifications (font dictionaries, the pHYs chunk), pandas reading the CSV
back, the Axes' own artists, and bytes written by separate processes.
"""

from __future__ import annotations

import io
import os
import re
import struct
import subprocess
import sys
import textwrap
import zlib
from pathlib import Path
from typing import IO

import matplotlib as mpl
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from textkit.errors import ConfigError
from textkit.figures import (
    COLUMN_WIDTH,
    PALETTE,
    TEXT_WIDTH,
    UNSTABLE_HATCH,
    corpus_overview_table,
    draw_heatmap,
    figure_for,
    figure_style,
    label_axes,
    mark_unstable,
    new_figure,
    plot_corpus_overview,
    save_figure,
    save_table,
    series_style,
    table_to_csv,
    wrap_label,
)

REPO = Path(__file__).resolve().parents[1]


# ----------------------------------------------------------------- helpers


def png_chunks(data: bytes) -> dict[bytes, list[bytes]]:
    """Split a PNG into its chunks (PNG spec, section 5.3), checking each CRC."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks: dict[bytes, list[bytes]] = {}
    pos = 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        assert crc == zlib.crc32(kind + body)
        chunks.setdefault(kind, []).append(body)
        pos += 12 + length
    return chunks


def cie_lightness(color: str) -> float:
    """CIE L* of an sRGB colour (what a greyscale print keeps)."""
    rgb = np.array(to_rgb(color))
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    y = float(linear @ np.array([0.2126, 0.7152, 0.0722]))
    return 116 * y ** (1 / 3) - 16 if y > 216 / 24389 else 24389 / 27 * y


@pytest.fixture
def docs() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "doc_id": ["a", "b", "c", "d", "e"],
            "label": [
                "Blue Book draft (2000)",
                "Notes (undated)",
                "Human Development Report chapter draft (1994)",
                "Speech (2008)",
                "Letter (2000)",
            ],
            "year": pd.array([2000, None, 1994, 2008, 2000], dtype="Int64"),
            "n_words": [5200, 800, 3100, 1234, 410],
        }
    )


def line_figure() -> tuple[Figure, pd.DataFrame]:
    data = pd.DataFrame({"year": [2000, 2001, 2002, 2003], "share": [0.1, 1 / 3, 0.25, 2 / 7]})
    fig, ax = new_figure("column")
    ax.plot(data["year"], data["share"], label=r"share of $\alpha$")
    ax.set_xlabel("Year")
    ax.legend()
    return fig, data


# ----------------------------------------------------------------- style


def test_figure_style_is_local_and_sets_house_values() -> None:
    before = dict(mpl.rcParams)
    with figure_style():
        assert mpl.rcParams["pdf.fonttype"] == 42
        assert mpl.rcParams["font.sans-serif"][0] == "DejaVu Sans"
        assert 7 <= mpl.rcParams["font.size"] <= 9
        assert mpl.rcParams["svg.hashsalt"] is not None
    assert dict(mpl.rcParams) == before


def test_style_font_ships_with_matplotlib() -> None:
    from matplotlib import font_manager

    with figure_style():
        path = font_manager.findfont(font_manager.FontProperties(family=["sans-serif"]))
    assert Path(path).name == "DejaVuSans.ttf"
    assert Path(mpl.get_data_path()) in Path(path).parents


def test_palette_is_distinct_and_first_colours_differ_in_greyscale() -> None:
    assert len(set(PALETTE)) == len(PALETTE) >= 6
    first = [cie_lightness(c) for c in PALETTE[:3]] + [100.0]  # white paper
    gaps = [abs(a - b) for i, a in enumerate(first) for b in first[i + 1 :]]
    assert min(gaps) >= 20


@pytest.mark.parametrize(
    ("width", "height", "nrows", "expected"),
    [
        ("column", None, 1, (3.5, 2.4)),
        ("text", 3.0, 1, (7.2, 3.0)),
        (5, None, 2, (5.0, 4.8)),
    ],
)
def test_new_figure_sizes(
    width: str | float, height: float | None, nrows: int, expected: tuple[float, float]
) -> None:
    fig, axes = new_figure(width, height=height, nrows=nrows)  # type: ignore[arg-type]
    assert tuple(fig.get_size_inches()) == pytest.approx(expected)
    assert len(fig.axes) == nrows
    assert COLUMN_WIDTH == 3.5 and TEXT_WIDTH == 7.2


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"width": "page"}, "'width' must be 'column', 'text'"),
        ({"width": -1.0}, "'width' must be"),
        ({"height": 0}, "'height' must be a positive number"),
        ({"nrows": 0}, "'nrows' must be a positive int"),
        ({"ncols": 1.5}, "'ncols' must be a positive int"),
    ],
)
def test_new_figure_rejects_bad_sizes(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(ConfigError, match=match):
        new_figure(**kwargs)  # type: ignore[arg-type]


def test_new_figure_is_not_registered_with_pyplot() -> None:
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    new_figure()
    assert plt.get_fignums() == before


def test_figure_for_reuses_a_given_axes_and_rejects_others() -> None:
    fig, axes = new_figure("text", ncols=2)
    assert figure_for(axes[1]) == (fig, axes[1])
    with pytest.raises(ConfigError, match="'ax' must be a matplotlib Axes"):
        figure_for("left")  # type: ignore[arg-type]


def test_series_style_cycles() -> None:
    assert series_style(0)["color"] == PALETTE[0]
    assert series_style(len(PALETTE)) == series_style(0)
    styles = {series_style(i)["linestyle"] for i in range(len(PALETTE))}
    assert len(styles) == len(PALETTE)  # each series also differs without colour


def test_label_axes_writes_letters() -> None:
    fig, axes = new_figure("text", nrows=2, ncols=2)
    assert label_axes(axes) == ["(a)", "(b)", "(c)", "(d)"]
    assert [t.get_text() for t in axes[1, 0].texts] == ["(c)"]
    with pytest.raises(ConfigError, match="one label per panel"):
        label_axes(axes, labels=["x"])


@pytest.mark.parametrize(
    ("text", "width", "expected"),
    [
        ("Blue Book draft (2000)", 30, "Blue Book draft (2000)"),
        ("Human Development Report draft (1994)", 20, "Human Development\nReport draft (1994)"),
        ("supercalifragilistic word", 5, "supercalifragilistic\nword"),
    ],
)
def test_wrap_label(text: str, width: int, expected: str) -> None:
    assert wrap_label(text, width) == expected


def test_wrap_label_rejects_bad_width() -> None:
    with pytest.raises(ConfigError, match="'width' must be a positive int"):
        wrap_label("x", 0)


def test_mark_unstable_hatches_bars_and_dots_lines() -> None:
    fig, ax = new_figure()
    bars = ax.bar(["a", "b"], [1.0, 2.0])
    (line,) = ax.plot([0, 1], [0, 1])
    assert mark_unstable([bars[0], line]) == 2
    assert bars[0].get_hatch() == UNSTABLE_HATCH and bars[1].get_hatch() is None
    assert bars[0].get_facecolor()[3] < 1.0 == bars[1].get_facecolor()[3]
    assert line.get_linestyle() == ":"


def test_draw_heatmap_shows_the_table() -> None:
    table = pd.DataFrame(
        [[0.0, 0.25, np.nan], [1.0, 0.5, 0.125]],
        index=["Report (1994)", "Speech (2008)"],
        columns=["peace", "human security", "trade"],
    )
    fig, ax = new_figure()
    image = draw_heatmap(ax, table, vmin=0, vmax=1, colorbar_label="share")
    shown: np.ndarray = np.ma.filled(np.ma.asarray(image.get_array()), np.nan)
    np.testing.assert_array_equal(shown, table.to_numpy())
    assert [t.get_text() for t in ax.get_yticklabels()] == list(table.index)
    assert [t.get_text() for t in ax.get_xticklabels()] == list(table.columns)
    cells = {(t.get_position(), t.get_text()) for t in ax.texts}
    assert cells == {
        ((0, 0), "0.00"),
        ((1, 0), "0.25"),  # (column, row): NaN cell left blank
        ((0, 1), "1.00"),
        ((1, 1), "0.50"),
        ((2, 1), "0.12"),
    }
    colours = {t.get_text(): t.get_color() for t in ax.texts}
    assert colours["0.00"] == "white" and colours["1.00"] == "black"  # cividis: dark to light
    assert len(fig.axes) == 2  # the colour bar
    with pytest.raises(ConfigError, match="must hold numbers only"):
        draw_heatmap(ax, table.assign(trade="x"))


# ----------------------------------------------------------------- save_figure


def test_save_figure_writes_all_formats(tmp_path: Path) -> None:
    fig, data = line_figure()
    out = tmp_path / "new" / "folder"
    paths = save_figure(fig, "share", data, out)
    assert list(paths) == ["pdf", "png", "svg", "csv"]
    assert {p.name for p in out.iterdir()} == {"share.pdf", "share.png", "share.svg", "share.csv"}
    assert paths["pdf"].read_bytes().startswith(b"%PDF-")
    assert paths["svg"].read_bytes().lstrip().startswith(b"<?xml")


def test_pdf_fonts_are_truetype_never_type3(tmp_path: Path) -> None:
    fig, data = line_figure()
    pdf = save_figure(fig, "share", data, tmp_path)["pdf"].read_bytes()
    assert b"/Type3" not in pdf and b"/Subtype /Type3" not in pdf
    truetype = b"/Subtype /TrueType" in pdf
    cid_truetype = b"/Subtype /Type0" in pdf and b"/CIDFontType2" in pdf
    assert truetype or cid_truetype
    assert b"/FontFile2" in pdf  # the TrueType program is embedded
    assert re.search(rb"/BaseFont /(?:[A-Z]{6}\+)?DejaVuSans", pdf)


def test_png_is_300_dpi_and_exact_width(tmp_path: Path) -> None:
    from PIL import Image

    fig, data = line_figure()
    png = save_figure(fig, "share", data, tmp_path)["png"]
    (phys,) = png_chunks(png.read_bytes())[b"pHYs"]
    x_per_metre, y_per_metre, unit = struct.unpack(">IIB", phys)
    assert unit == 1  # metre
    assert x_per_metre == y_per_metre == round(300 / 0.0254)
    with Image.open(png) as image:
        assert image.size == (round(3.5 * 300), round(2.4 * 300))
        assert image.info["dpi"] == pytest.approx((300, 300), abs=0.01)


def test_csv_equals_plotted_line(tmp_path: Path) -> None:
    fig, data = line_figure()
    csv = save_figure(fig, "share", data, tmp_path)["csv"]
    back = pd.read_csv(csv)
    assert list(back.columns) == ["year", "share"]
    line = fig.axes[0].lines[0]
    np.testing.assert_array_equal(back["year"], line.get_xdata())
    np.testing.assert_allclose(back["share"], np.asarray(line.get_ydata(), dtype=float), rtol=1e-5)
    assert csv.read_bytes() == b"year,share\n2000,0.1\n2001,0.333333\n2002,0.25\n2003,0.285714\n"


def test_files_carry_no_dates_or_versions(tmp_path: Path) -> None:
    fig, data = line_figure()
    paths = save_figure(fig, "share", data, tmp_path)
    version = mpl.__version__.encode()
    for fmt in ("pdf", "png", "svg"):
        blob = paths[fmt].read_bytes()
        assert version not in blob, fmt
        assert b"CreationDate" not in blob and b"<dc:date>" not in blob, fmt
    assert b"tIME" not in png_chunks(paths["png"].read_bytes())


def test_source_date_epoch_is_honoured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "946684800")  # 2000-01-01T00:00:00Z
    fig, data = line_figure()
    paths = save_figure(fig, "share", data, tmp_path)
    assert b"/CreationDate (D:20000101000000" in paths["pdf"].read_bytes()
    assert b"<dc:date>2000-01-01T00:00:00+00:00</dc:date>" in paths["svg"].read_bytes()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(ConfigError, match="'SOURCE_DATE_EPOCH' must be an integer"):
        save_figure(fig, "share", data, tmp_path)


SAVE_SCRIPT = textwrap.dedent(
    """
    import sys
    import numpy as np
    import pandas as pd
    from textkit.figures import (corpus_overview_table, mark_unstable, new_figure,
                                 plot_corpus_overview, save_figure)

    out = sys.argv[1]
    data = pd.DataFrame({"year": np.arange(2000, 2009), "share": np.linspace(0, 1, 9) ** 2 / 3})
    fig, axes = new_figure("text", ncols=3)
    axes[0].plot(data["year"], data["share"], marker="o", label=r"peace $\\alpha$")
    bars = axes[1].bar(["war", "peace", "human security"], [3.0, 1.5, 2.25])
    mark_unstable(bars[2:])
    axes[2].imshow(np.arange(12.0).reshape(3, 4))
    axes[0].legend()
    save_figure(fig, "panels", data, out)
    docs = pd.DataFrame({"label": ["B (2003)", "A (undated)", "C (2000)"],
                         "year": [2003, None, 2000], "n_words": [1200, 300, 4100]})
    save_figure(plot_corpus_overview(docs), "overview", corpus_overview_table(docs), out)
    """
)


def test_saves_in_separate_processes_are_byte_identical(tmp_path: Path) -> None:
    outputs, runs = [], []
    for seed in ("1", "4242"):  # both processes at once: importing textkit dominates
        out = tmp_path / f"run{seed}"
        env = {
            **os.environ,
            "PYTHONHASHSEED": seed,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
            "MPLBACKEND": "Agg",
        }
        env.pop("SOURCE_DATE_EPOCH", None)
        runs.append(
            subprocess.Popen(
                [sys.executable, "-c", SAVE_SCRIPT, str(out)],
                env=env,
                cwd=tmp_path,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
        )
        outputs.append(out)
    for run in runs:
        _, stderr = run.communicate(timeout=600)
        assert run.returncode == 0, stderr.decode(errors="replace")[-2000:]
    names = sorted(p.name for p in outputs[0].iterdir())
    assert names == sorted(
        f"{stem}.{fmt}" for stem in ("panels", "overview") for fmt in ("pdf", "png", "svg", "csv")
    )
    assert sorted(p.name for p in outputs[1].iterdir()) == names
    differ = [n for n in names if (outputs[0] / n).read_bytes() != (outputs[1] / n).read_bytes()]
    assert differ == []


@pytest.mark.parametrize(
    ("stem", "match"),
    [
        ("a/b", "without folders"),
        ("../up", "without folders"),
        ("a\\b", "without folders"),
        ("", "without folders"),
        (".hidden", "without folders"),
        ("with space", "without folders"),
        (42, "without folders"),
        ("share.pdf", "must not end in a file suffix"),
    ],
)
def test_invalid_stem_raises(tmp_path: Path, stem: object, match: str) -> None:
    fig, data = line_figure()
    with pytest.raises(ConfigError, match=match):
        save_figure(fig, stem, data, tmp_path)  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []


def test_save_figure_rejects_non_tables_and_non_figures(tmp_path: Path) -> None:
    fig, data = line_figure()
    with pytest.raises(ConfigError, match="'data' must be a pandas DataFrame or Series"):
        save_figure(fig, "share", [1, 2], tmp_path)
    with pytest.raises(ConfigError, match="'fig' must be a matplotlib Figure"):
        save_figure(fig.axes[0], "share", data, tmp_path)  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="duplicate column names"):
        save_figure(fig, "share", data.rename(columns={"share": "year"}), tmp_path)
    (tmp_path / "file").write_text("x")
    with pytest.raises(ConfigError, match="'figures_dir' is a file"):
        save_figure(fig, "share", data, tmp_path / "file")


def test_failed_write_leaves_old_file_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fig, data = line_figure()
    target = tmp_path / "share.pdf"
    target.write_bytes(b"old")

    def broken_savefig(handle: IO[bytes], **kwargs: object) -> None:
        handle.write(b"%PDF-half")
        raise RuntimeError("disk full")

    monkeypatch.setattr(fig, "savefig", broken_savefig)
    with pytest.raises(RuntimeError, match="disk full"):
        save_figure(fig, "share", data, tmp_path)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["share.pdf"]


# ----------------------------------------------------------------- tables


def test_table_to_csv_index_rules() -> None:
    df = pd.DataFrame({"rate": [0.5, np.nan]}, index=pd.Index(["peace", "war"], name="term"))
    assert table_to_csv(df) == "term,rate\npeace,0.5\nwar,\n"
    assert table_to_csv(df, index=False) == 'rate\n0.5\n""\n'  # quoted: not a blank line
    unnamed = df.reset_index(drop=True)
    assert table_to_csv(unnamed) == 'rate\n0.5\n""\n'
    assert table_to_csv(unnamed, index=True) == "index,rate\n0,0.5\n1,\n"
    assert table_to_csv(pd.Series([1.0, 2.0], name="x")) == "x\n1\n2\n"
    labelled = df.rename_axis(None)  # unnamed, but labels rather than row numbers: kept
    assert table_to_csv(labelled) == "index,rate\npeace,0.5\nwar,\n"
    assert table_to_csv(df.reset_index().iloc[::-1]) == "term,rate\nwar,\npeace,0.5\n"
    with pytest.raises(ConfigError, match="both named \\['term'\\]"):
        table_to_csv(df.assign(term=1))


def test_table_to_csv_formats_every_float_the_same_way() -> None:
    mixed = pd.DataFrame(
        {"value": pd.array([2 / 3, None], dtype="Float64"), "note": [1 / 7, "n/a"]},
        index=pd.Index([0.1 + 0.2, 1e-9], name="x"),
    )
    assert table_to_csv(mixed) == "x,value,note\n0.3,0.666667,0.142857\n1e-09,,n/a\n"


def test_save_table_round_trips(tmp_path: Path) -> None:
    table = pd.DataFrame(
        {"term": ["peace", "human security"], "year": [2000, 2001], "rate": [1e-7, 123456.789]}
    )
    path = save_table(table, "term_rates.csv", tmp_path / "figs")
    assert path == tmp_path / "figs" / "term_rates.csv"
    assert path.read_text() == "term,year,rate\npeace,2000,1e-07\nhuman security,2001,123457\n"
    back = pd.read_csv(path)
    pd.testing.assert_frame_equal(back, table, rtol=1e-5)
    with pytest.raises(ConfigError, match="'name' must be a file name without folders"):
        save_table(table, "sub/term_rates", tmp_path)


# ----------------------------------------------------------------- corpus overview


def test_corpus_overview_table_orders_by_year_undated_last(docs: pd.DataFrame) -> None:
    table = corpus_overview_table(docs)
    assert list(table.columns) == ["label", "year", "n_words"]
    assert table["label"].tolist() == [
        "Human Development Report chapter draft (1994)",
        "Blue Book draft (2000)",  # same year as "Letter": input order kept
        "Letter (2000)",
        "Speech (2008)",
        "Notes (undated)",
    ]
    assert table["year"].tolist()[:4] == [1994, 2000, 2000, 2008]
    assert table["year"].isna().tolist() == [False] * 4 + [True]


def test_corpus_overview_bars_equal_csv(docs: pd.DataFrame, tmp_path: Path) -> None:
    fig = plot_corpus_overview(docs)
    paths = save_figure(fig, "corpus_overview", corpus_overview_table(docs), tmp_path)
    back = pd.read_csv(paths["csv"])
    ax = fig.axes[0]
    bars = [bar for bar in ax.patches if isinstance(bar, Rectangle)]
    assert len(bars) == len(ax.patches) == len(docs)
    widths = [bar.get_width() for bar in bars]
    assert back["n_words"].tolist() == widths
    shown = [t.get_text().replace("\n", " ") for t in ax.get_yticklabels()]
    assert shown == back["label"].tolist()
    # top to bottom: bar 0 is drawn highest (y axis inverted)
    centres = [bar.get_y() + bar.get_height() / 2 for bar in bars]
    display_y = ax.transData.transform([(0, c) for c in centres])[:, 1]
    assert list(display_y) == sorted(display_y, reverse=True)
    assert back["year"].isna().tolist() == [False] * 4 + [True]
    assert ax.patches[-1].get_hatch() and not ax.patches[0].get_hatch()  # undated marked
    assert tuple(fig.get_size_inches())[0] == COLUMN_WIDTH


def test_corpus_overview_draws_into_given_axes(docs: pd.DataFrame) -> None:
    fig, axes = new_figure("text", ncols=2)
    assert plot_corpus_overview(docs, ax=axes[1]) is fig
    assert len(axes[1].patches) == len(docs) and len(axes[0].patches) == 0


def test_corpus_overview_many_documents_stays_on_a_page() -> None:
    n = 250
    many = pd.DataFrame(
        {
            "label": [f"Doc {i} ({1990 + i % 20})" for i in range(n)],
            "year": [1990 + i % 20 for i in range(n)],
            "n_tokens": np.arange(n) + 1,
        }
    )
    fig = plot_corpus_overview(many, length="n_tokens")
    ax = fig.axes[0]
    assert fig.get_size_inches()[1] <= 9.0
    assert len(ax.patches) == n
    assert len(ax.get_yticklabels()) <= 60
    assert ax.get_xlabel() == "Tokens"


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda d: d.drop(columns="year"), r"lacks column\(s\) \['year'\]"),
        (lambda d: d.iloc[:0], "has no rows"),
        (lambda d: d.assign(year=["x", None, 1, 2, 3]), "whole-number years"),
        (lambda d: d.assign(n_words=[1, -2, 3, 4, 5]), "non-negative numbers"),
    ],
)
def test_corpus_overview_errors(docs: pd.DataFrame, change, match: str) -> None:
    with pytest.raises(ConfigError, match=match):
        plot_corpus_overview(change(docs))


# ----------------------------------------------------------------- properties

finite = st.floats(allow_nan=False, allow_infinity=False, width=64)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(finite, finite), min_size=1, max_size=20))
def test_csv_round_trips_to_six_significant_digits(rows: list[tuple[float, float]]) -> None:
    table = pd.DataFrame(rows, columns=["x", "y"])
    back = pd.read_csv(io.StringIO(table_to_csv(table)))
    np.testing.assert_allclose(back.to_numpy(dtype=float), table.to_numpy(), rtol=5e-6, atol=0)


@settings(max_examples=100, deadline=None)
@given(
    st.text(alphabet=st.characters(categories=["L", "N", "P", "Zs"]), max_size=80),
    st.integers(min_value=1, max_value=40),
)
def test_wrap_label_keeps_words_and_width(text: str, width: int) -> None:
    wrapped = wrap_label(text, width)
    if text.split():
        assert wrapped.split() == text.split()  # same words, same order
        for line in wrapped.split("\n"):
            assert len(line) <= width or " " not in line.strip()  # only a lone long word overflows
    else:
        assert wrapped == text
