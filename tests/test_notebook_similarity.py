"""The similarity notebook runs headless on the seeds and on a synthetic corpus."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from notebook_runner import notebook_text_output, run_notebook
from scipy.cluster import hierarchy
from scipy.spatial.distance import squareform

from textkit import load_corpus

pytestmark = pytest.mark.notebook

FIGURES = ("similarity_heatmap", "dendrogram", "similarity_map")
TABLES = ("similarity_matrix.csv", "clusters.csv")
CLUSTER_COLUMNS = ["unit_id", "doc_id", "cluster", "silhouette", "stability"]


@pytest.mark.parametrize("corpus", ["seeds", "synthetic"])
def test_similarity_notebook_writes_every_figure_and_table(
    corpus: str, seeds_dir: Path, synthetic_corpus_dir: Path, tmp_path: Path
) -> None:
    corpus_dir = seeds_dir if corpus == "seeds" else synthetic_corpus_dir
    figures_dir = tmp_path / "figures"
    # on the synthetic corpus, cap the passages so that the sampling path runs and is reported
    cap = 1000 if corpus == "seeds" else 40
    nb = run_notebook(
        "04-similarity",
        corpus_dir=corpus_dir,
        figures_dir=figures_dir,
        n_boot=10,
        n_boot_k=5,
        max_passages=cap,
    )
    written = {p.name for p in figures_dir.iterdir()}
    expected = {f"{stem}.{ext}" for stem in FIGURES for ext in ("pdf", "png", "svg", "csv")}
    assert expected | set(TABLES) <= written, sorted(expected | set(TABLES) - written)

    loaded = load_corpus(corpus_dir)
    doc_ids = sorted(loaded.docs["doc_id"])
    labels = loaded.labels
    text = notebook_text_output(nb)

    # similarity_matrix.csv: doc x doc TF-IDF cosine labelled by doc_id both ways
    matrix = pd.read_csv(figures_dir / "similarity_matrix.csv", index_col=0)
    assert matrix.index.name == "doc_id"
    assert list(matrix.index) == doc_ids and list(matrix.columns) == doc_ids
    values = matrix.to_numpy()
    np.testing.assert_allclose(values, values.T, atol=1e-6)
    np.testing.assert_allclose(np.diag(values), 1.0, atol=1e-6)
    assert ((values >= -1e-9) & (values <= 1 + 1e-9)).all()

    # the cophenetic correlation quoted in the text is SciPy's on that matrix
    distance = squareform(np.clip(1 - (values + values.T) / 2, 0, None), checks=False)
    expected_coph, _ = hierarchy.cophenet(hierarchy.linkage(distance, "average"), distance)
    assert f"cophenetic correlation is **{expected_coph:.3f}**" in text

    # clusters.csv: one row per passage used, cluster-level stability, silhouettes in range
    clusters = pd.read_csv(figures_dir / "clusters.csv")
    assert list(clusters.columns) == CLUSTER_COLUMNS
    assert (clusters["unit_id"].str.rsplit(":", n=1).str[0] == clusters["doc_id"]).all()
    assert set(clusters["doc_id"]) <= set(doc_ids)
    assert clusters["unit_id"].is_unique
    k = clusters["cluster"].nunique()
    assert sorted(clusters["cluster"].unique()) == list(range(1, k + 1))
    assert f"k = {k}" in text
    assert clusters["silhouette"].between(-1, 1).all()
    assert clusters["stability"].between(0, 1).all()
    assert (clusters.groupby("cluster")["stability"].nunique() == 1).all()

    # figures: readable labels, the data plotted
    tree = pd.read_csv(figures_dir / "dendrogram.csv")
    leaves = set(tree.loc[tree["left_id"] < len(doc_ids), "left"]) | set(
        tree.loc[tree["right_id"] < len(doc_ids), "right"]
    )
    assert leaves == set(labels)  # "short title (year)", never doc ids
    heat = pd.read_csv(figures_dir / "similarity_heatmap.csv", index_col=0)
    assert heat.index.name == "document" and set(heat.index) == set(labels)
    assert list(heat.columns) == list(heat.index)
    points = pd.read_csv(figures_dir / "similarity_map.csv")
    assert list(points.columns) == ["unit_id", "document", "cluster", "x", "y"]
    assert list(points["unit_id"]) == list(clusters["unit_id"])
    assert set(points["document"]) <= set(labels)

    if corpus == "seeds":
        assert "no sampling was needed" in text
    else:
        assert len(clusters) == 40
        assert "Passages were capped" in text
        match = re.search(r"random sample of \*\*(\d+) passages\*\*", text)
        assert match is not None and int(match.group(1)) == 40
    if loaded.undated_ids:
        assert "Undated documents take part" in text
