"""The term-trends notebook runs headless on the seeds and on a synthetic corpus."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from notebook_runner import notebook_text_output, run_notebook

from textkit import load_corpus

pytestmark = pytest.mark.notebook

FIGURES = ("term_trends", "keyness", "dispersion")
TABLES = ("term_rates.csv", "trend_tests.csv")
RATE_COLUMNS = ["term", "doc_id", "year", "count", "tokens", "per_10k", "ci_low", "ci_high"]
TERMS = ["peacebuilding", "human security", "terrorism"]


@pytest.mark.parametrize("corpus", ["seeds", "synthetic"])
def test_trends_notebook_writes_every_figure_and_table(
    corpus: str, seeds_dir: Path, synthetic_corpus_dir: Path, tmp_path: Path
) -> None:
    corpus_dir = seeds_dir if corpus == "seeds" else synthetic_corpus_dir
    figures_dir = tmp_path / "figures"
    n_top = 4
    nb = run_notebook(
        "03-trends", corpus_dir=corpus_dir, figures_dir=figures_dir, terms=TERMS, n_top=n_top
    )
    written = {p.name for p in figures_dir.iterdir()}
    expected = {f"{stem}.{ext}" for stem in FIGURES for ext in ("pdf", "png", "svg", "csv")}
    assert expected | set(TABLES) <= written, sorted(expected | set(TABLES) - written)

    docs = load_corpus(corpus_dir).docs
    dated = docs[docs["year"].notna()]
    undated = docs.loc[docs["year"].isna(), "doc_id"].tolist()

    rates = pd.read_csv(figures_dir / "term_rates.csv")
    assert list(rates.columns) == RATE_COLUMNS
    # one row per dated document for every term shown; no undated document
    assert set(rates["doc_id"]) == set(dated["doc_id"])
    assert not set(undated) & set(rates["doc_id"])
    n_terms = rates["term"].nunique()
    assert len(rates) == n_terms * len(dated)
    assert len(TERMS) <= n_terms <= len(TERMS) + n_top
    # per_10k = 10,000 x count / tokens (the CSV keeps 6 significant digits)
    np.testing.assert_allclose(
        rates["per_10k"], 10_000 * rates["count"] / rates["tokens"], rtol=5e-6, atol=1e-9
    )
    assert (rates["ci_low"] <= rates["per_10k"] + 1e-9).all()
    assert (rates["per_10k"] <= rates["ci_high"] + 1e-9).all()
    years = dict(zip(dated["doc_id"], dated["year"].astype(int), strict=True))
    assert (rates["year"] == rates["doc_id"].map(years)).all()
    # terms are shown in readable form, never as stems or joined phrase tokens
    assert not rates["term"].str.contains("_").any()

    tests = pd.read_csv(figures_dir / "trend_tests.csv")
    for column in ("term", "rate_ratio", "statistic", "p_value", "p_adjusted", "n_docs"):
        assert column in tests.columns
    assert "single_document" in tests.columns
    assert ((tests["p_adjusted"] >= tests["p_value"] - 1e-12) | tests["p_value"].isna()).all()
    assert set(rates["term"]) <= set(tests["term"])

    trend_data = pd.read_csv(figures_dir / "term_trends.csv")
    assert set(trend_data["term"]) == set(rates["term"])
    keyness = pd.read_csv(figures_dir / "keyness.csv")
    assert {"term", "log_ratio", "lr_low", "lr_high", "g2", "p_value"} <= set(keyness.columns)
    assert (keyness["lr_low"] <= keyness["log_ratio"]).all()
    dispersion = pd.read_csv(figures_dir / "dispersion.csv")
    assert dispersion["relative_position"].between(0, 1).all()

    text = notebook_text_output(nb)
    for doc_id in undated:
        assert doc_id in text  # the undated documents are named
    if corpus == "seeds":
        # one document per year: said plainly, and no fitted curve drawn
        assert "one document per year" in text
        assert "no fitted curve" in text.lower()
        assert set(trend_data["level"]) == {"year"}
    else:
        assert {1998, 2010} <= set(rates["year"])
        assert {"year", "document", "fitted"} <= set(trend_data["level"])
