"""Dask: the same counts on a LocalCluster of 2 workers as on the serial path."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from dask.distributed import Client

from textkit.corpus import load_corpus
from textkit.distributed import count_terms_dask, dask_client, documents_bag
from textkit.errors import ConfigError, CorpusError
from textkit.parallel import count_terms
from textkit.stream import TermCounts
from textkit.tokenize import tokenize


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    with dask_client(n_workers=2, threads_per_worker=1) as c:
        yield c


def assert_same_counts(a: TermCounts, b: TermCounts) -> None:
    pd.testing.assert_frame_equal(a.by_year(), b.by_year())
    pd.testing.assert_frame_equal(a.by_document(), b.by_document())
    pd.testing.assert_frame_equal(a.vocabulary(), b.vocabulary())
    x, y = a.document_term_matrix(), b.document_term_matrix()
    assert x.terms.equals(y.terms) and x.doc_ids.equals(y.doc_ids)
    assert (x.matrix != y.matrix).nnz == 0


def test_local_cluster_counts_equal_serial(synthetic_corpus_dir: Path, client: Client) -> None:
    serial = count_terms(synthetic_corpus_dir, analyzer=tokenize, progress=False)
    on_dask = count_terms_dask(
        synthetic_corpus_dir, analyzer=tokenize, client=client, npartitions=5
    )
    assert len(client.scheduler_info()["workers"]) == 2
    assert_same_counts(on_dask, serial)


def test_dask_dataframe_and_corpus_sources(seeds_dir: Path, client: Client) -> None:
    import dask.dataframe as dd

    corpus = load_corpus(seeds_dir)
    serial = count_terms(corpus, analyzer=tokenize, progress=False)
    frame = dd.from_pandas(corpus.docs, npartitions=2)
    assert_same_counts(count_terms_dask(frame, analyzer=tokenize, client=client), serial)
    assert_same_counts(count_terms_dask(corpus, analyzer=tokenize, scheduler="synchronous"), serial)


def test_a_bag_of_documents(seeds_dir: Path) -> None:
    import dask.bag as db

    corpus = load_corpus(seeds_dir)
    bag = db.from_sequence(list(corpus), npartitions=3)
    counts = count_terms_dask(bag, analyzer=tokenize, scheduler="synchronous")
    assert_same_counts(counts, count_terms(corpus, analyzer=tokenize, progress=False))
    with pytest.raises(CorpusError, match="expected a Document"):
        count_terms_dask(db.from_sequence([1, 2]), analyzer=tokenize, scheduler="synchronous")


def test_bad_options() -> None:
    with pytest.raises(ConfigError, match="'npartitions' must be a positive int"):
        documents_bag(["x"], npartitions=0)
    with pytest.raises(ConfigError, match="'scheduler' must be None"):
        count_terms_dask(["x"], scheduler="gpu")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="'n_workers' must be a positive int"):
        with dask_client(n_workers=0):
            pass
    with pytest.raises(CorpusError, match="holds no documents"):
        documents_bag([])


def test_textkit_imports_without_dask() -> None:
    code = "import sys, textkit; print(sorted(m for m in sys.modules if m.split('.')[0] == 'dask'))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.notebook
def test_scale_notebook_counts_equal_an_independent_count(
    synthetic_corpus_dir: Path, tmp_path: Path
) -> None:
    from notebook_runner import run_notebook
    from sklearn.feature_extraction.text import CountVectorizer

    from textkit.stream import default_analyzer

    figures_dir = tmp_path / "figures"
    run_notebook("05-scale", corpus_dir=synthetic_corpus_dir, figures_dir=figures_dir, top_n=5)
    assert sorted(p.name for p in figures_dir.iterdir()) == ["year_term_counts.csv"]
    table = pd.read_csv(figures_dir / "year_term_counts.csv", index_col=0)
    # Independently: scikit-learn's CountVectorizer with the same analyzer, summed by year.
    corpus = load_corpus(synthetic_corpus_dir).dated()
    vectorizer = CountVectorizer(analyzer=default_analyzer())
    matrix = vectorizer.fit_transform(corpus.texts)
    dense = pd.DataFrame(
        matrix.toarray(), columns=vectorizer.get_feature_names_out(), index=corpus.docs["year"]
    )
    per_year = dense.groupby(level=0).sum().T
    per_year.columns = [str(c) for c in per_year.columns]
    terms = [t for t in table.index if t != "(all tokens)"]
    assert len(terms) == 5
    pd.testing.assert_frame_equal(table.loc[terms], per_year.loc[terms], check_names=False)
    assert table.loc["(all tokens)"].tolist() == per_year.sum().tolist()
