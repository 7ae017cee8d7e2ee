"""The corpus-overview notebook runs headless on the seeds and on a synthetic corpus."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest
from notebook_runner import notebook_text_output, run_notebook

from textkit import describe_corpus, load_corpus

pytestmark = pytest.mark.notebook

OUTPUTS = tuple(f"corpus_overview.{ext}" for ext in ("pdf", "png", "svg", "csv"))


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("corpus", ["seeds", "synthetic"])
def test_corpus_notebook_writes_its_figure(
    corpus: str, seeds_dir: Path, synthetic_corpus_dir: Path, tmp_path: Path
) -> None:
    corpus_dir = seeds_dir if corpus == "seeds" else synthetic_corpus_dir
    before = _digest(corpus_dir)
    figures_dir = tmp_path / "figures"
    nb = run_notebook("01-corpus", corpus_dir=corpus_dir, figures_dir=figures_dir)
    assert sorted(p.name for p in figures_dir.iterdir()) == sorted(OUTPUTS)
    # the CSV holds exactly the table the figure was drawn from, one row per document
    plotted = pd.read_csv(figures_dir / "corpus_overview.csv")
    expected = describe_corpus(load_corpus(corpus_dir))
    assert len(plotted) == len(expected)
    assert sorted(plotted["n_words_clean"]) == sorted(expected["n_words_clean"])
    assert set(plotted["label"]) == set(expected["label"])
    text = notebook_text_output(nb)
    assert f"{len(expected)} documents" in text
    assert _digest(corpus_dir) == before  # nothing written into the corpus folder
