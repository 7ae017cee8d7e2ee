"""notebooks/02-topics.ipynb: stored clean, and executed headless on two corpora."""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest
from notebook_runner import NOTEBOOKS, notebook_text_output, run_notebook

NOTEBOOK = NOTEBOOKS / "02-topics.ipynb"
FIGURES = ("topic_coherence", "topic_terms", "topic_documents", "topic_by_year")
TABLES = ("topic_stability.csv", "topic_passages.csv", "topic_nmf_comparison.csv")
EXPECTED_FILES = (
    [f"{stem}.{ext}" for stem in FIGURES for ext in ("pdf", "png", "svg", "csv")]
    + list(TABLES)
    + ["topic_explorer.html"]
)


def _parameters() -> dict[str, object]:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "code")
    assert "parameters" in cell.metadata.get("tags", [])
    tree = ast.parse(cell.source)
    return {
        node.targets[0].id: ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
    }


def test_notebook_is_stored_clean():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
    params = _parameters()
    assert params["corpus_dir"] is None and params["figures_dir"] is None
    assert params["seed"] == 42
    for name in ("k_grid", "passes", "iterations", "n_seeds", "passage_size", "progress"):
        assert name in params
    assert params["max_terms"] is None
    assert params["max_passages"] == 1000  # as in 04-similarity; the seeds have fewer passages


def _check_outputs(nb: nbformat.NotebookNode, figures_dir: Path, corpus_dir: Path) -> str:
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            assert out.get("output_type") != "error", out
    missing = [name for name in EXPECTED_FILES if not (figures_dir / name).is_file()]
    assert missing == []
    assert all((figures_dir / name).stat().st_size > 0 for name in EXPECTED_FILES)
    params = _parameters()
    k_grid = params["k_grid"]
    assert isinstance(k_grid, list)

    coherence = pd.read_csv(figures_dir / "topic_coherence.csv")
    assert len(coherence) == 2 * 2 * len(k_grid)  # LDA and NMF x two measures x k
    assert set(coherence["measure"]) == {"c_v", "c_npmi"}

    stability = pd.read_csv(figures_dir / "topic_stability.csv")
    k = len(stability)
    assert k in k_grid
    assert stability["stability"].between(0, 1).all()
    assert (stability["n_runs"] == params["n_seeds"]).all()

    terms = pd.read_csv(figures_dir / "topic_terms.csv")
    assert sorted(terms["topic"].unique()) == list(range(1, k + 1))
    assert {"label", "weight", "stability", "stable"} <= set(terms.columns)

    metadata = pd.read_csv(corpus_dir / "metadata.csv", dtype={"year": "Int64"})
    documents = pd.read_csv(figures_dir / "topic_documents.csv")
    assert len(documents) == len(metadata)
    assert np.allclose(documents.filter(like="topic_").sum(axis=1), 1.0, atol=1e-5)
    assert documents["document"].str.endswith("(undated)").sum() == metadata["year"].isna().sum()

    by_year = pd.read_csv(figures_dir / "topic_by_year.csv")
    assert sorted(by_year["year"].unique()) == sorted(metadata["year"].dropna().unique())
    assert ((by_year["lower"] <= by_year["share"]) & (by_year["share"] <= by_year["upper"])).all()

    page = (figures_dir / "topic_explorer.html").read_text(encoding="utf-8")
    assert page.count('<section class="topic') == k and "://" not in page

    text = notebook_text_output(nb)
    assert f"k = {k}" in text
    if metadata["year"].isna().any():
        assert "Undated documents are left out of this figure" in text
    return text


@pytest.mark.notebook
def test_notebook_on_the_seeds(seeds_dir, tmp_path):
    figures_dir = tmp_path / "figures"
    nb = run_notebook("02-topics", corpus_dir=seeds_dir, figures_dir=figures_dir, progress=False)
    text = _check_outputs(nb, figures_dir, seeds_dir)
    assert "NE Asia security essay (undated)" in text


@pytest.mark.notebook
def test_notebook_on_a_synthetic_corpus(synthetic_corpus_dir, tmp_path):
    figures_dir = tmp_path / "figures"
    nb = run_notebook(
        "02-topics", corpus_dir=synthetic_corpus_dir, figures_dir=figures_dir, progress=False
    )
    _check_outputs(nb, figures_dir, synthetic_corpus_dir)
    by_year = pd.read_csv(figures_dir / "topic_by_year.csv")
    assert {1998, 2010} <= set(by_year["year"])
    assert (by_year.loc[by_year["year"] == 2000, "n_docs"] == 2).all()


@pytest.mark.notebook
def test_notebook_with_a_passage_cap_fits_a_sample_and_covers_every_passage(
    synthetic_corpus_dir, tmp_path
):
    import textkit

    units = textkit.segment(textkit.load_corpus(synthetic_corpus_dir).map_texts(textkit.clean))
    n_dated = int(units["year"].notna().sum())
    assert len(units) > 40  # so that the cap below binds
    figures_dir = tmp_path / "figures"
    nb = run_notebook(
        "02-topics",
        corpus_dir=synthetic_corpus_dir,
        figures_dir=figures_dir,
        progress=False,
        max_passages=40,
        max_terms=60,
    )
    text = _check_outputs(nb, figures_dir, synthetic_corpus_dir)
    assert f"fitted on a random sample of **40 passages** ({40 / len(units):.0%}, seed 42)" in text
    assert f"the topic shares of all {len(units)} passages are inferred" in text
    assert "The vocabulary is capped at `max_terms` = 60 terms." in text
    # the yearly shares average every dated passage, not only the 40 of the sample
    by_year = pd.read_csv(figures_dir / "topic_by_year.csv")
    assert by_year.drop_duplicates("year")["n_passages"].sum() == n_dated
    page = (figures_dir / "topic_explorer.html").read_text(encoding="utf-8")
    assert "models fitted on a sample of 40 passages" in page


@pytest.mark.notebook
def test_notebook_refuses_a_bad_passage_cap(synthetic_corpus_dir, tmp_path):
    from papermill.exceptions import PapermillExecutionError

    with pytest.raises(PapermillExecutionError) as info:
        run_notebook(
            "02-topics",
            corpus_dir=synthetic_corpus_dir,
            figures_dir=tmp_path / "figures",
            progress=False,
            max_passages=0,
        )
    assert "'max_passages' must be an int of at least 3 or None (got 0)" in str(info.value)
