"""All cores: the parallel path gives exactly the serial results, in order."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from textkit.corpus import load_corpus
from textkit.errors import ConfigError
from textkit.parallel import count_terms, fit_lda_multicore, map_batches, tokenize_corpus
from textkit.segment import segment
from textkit.tokenize import tokenize
from textkit.topics import LdaConfig


def test_map_batches_chunks_in_order() -> None:
    assert list(map_batches(sum, range(7), chunksize=3)) == [3, 12, 6]
    assert list(map_batches(sum, range(7), chunksize=3, n_jobs=2)) == [3, 12, 6]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_jobs": 0}, "'n_jobs' must be a positive int, or -1"),
        ({"n_jobs": 1.5}, "'n_jobs' must be a positive int, or -1"),
        ({"chunksize": 0}, "'chunksize' must be a positive int"),
    ],
)
def test_map_batches_rejects_bad_options(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        list(map_batches(sum, range(3), **kwargs))  # type: ignore[arg-type]


def test_tokenize_corpus_parallel_equals_serial(seeds_dir: Path) -> None:
    passages = segment(load_corpus(seeds_dir), unit="passage", size=60)["text"].tolist()
    expected = [tokenize(t) for t in passages]
    serial = tokenize_corpus(passages, analyzer=tokenize, progress=False)
    parallel = tokenize_corpus(passages, analyzer=tokenize, n_jobs=2, chunksize=7, progress=True)
    assert serial == expected
    assert parallel == expected


def test_count_terms_parallel_equals_serial(synthetic_corpus_dir: Path) -> None:
    serial = count_terms(synthetic_corpus_dir, analyzer=tokenize, progress=False)
    parallel = count_terms(
        synthetic_corpus_dir, analyzer=tokenize, n_jobs=2, chunksize=2, progress=False
    )
    pd.testing.assert_frame_equal(parallel.by_year(), serial.by_year())
    pd.testing.assert_frame_equal(parallel.by_document(), serial.by_document())
    pd.testing.assert_frame_equal(parallel.vocabulary(), serial.vocabulary())
    a, b = serial.document_term_matrix(), parallel.document_term_matrix()
    assert a.terms.equals(b.terms) and a.doc_ids.equals(b.doc_ids)
    assert (a.matrix != b.matrix).nnz == 0
    # The folder is streamed in load_corpus order, and the counts are the corpus's tokens.
    corpus = load_corpus(synthetic_corpus_dir)
    assert a.doc_ids.tolist() == corpus.doc_ids
    assert serial.n_tokens == sum(len(tokenize(t)) for t in corpus.texts)


def test_count_terms_accepts_a_corpus(seeds_dir: Path) -> None:
    from_folder = count_terms(seeds_dir, analyzer=tokenize, progress=False)
    from_corpus = count_terms(load_corpus(seeds_dir), analyzer=tokenize, n_jobs=2, progress=False)
    pd.testing.assert_frame_equal(from_corpus.by_document(), from_folder.by_document())


def test_count_terms_rejects_bad_options() -> None:
    with pytest.raises(ConfigError, match="'per_document' must be a bool"):
        count_terms(["x"], per_document="yes")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="'analyzer' must be a callable"):
        count_terms(["x"], analyzer="split")  # type: ignore[arg-type]


def test_fit_lda_multicore_validates_options() -> None:
    with pytest.raises(ConfigError, match="'workers' must be a positive int"):
        fit_lda_multicore([], dictionary=None, workers=0)  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="'config' must be an LdaConfig"):
        fit_lda_multicore([], dictionary=None, config={"n_topics": 2})  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="cannot learn alpha"):
        fit_lda_multicore([], dictionary=None, config=LdaConfig(alpha="auto"))  # type: ignore[arg-type]


def test_fit_lda_multicore_learns_planted_topics() -> None:
    from gensim.corpora import Dictionary

    texts = [["peace", "treaty", "talks"] * 3, ["tariff", "trade", "export"] * 3] * 20
    dictionary = Dictionary(texts)
    bow = [dictionary.doc2bow(t) for t in texts]
    lda = fit_lda_multicore(
        bow, dictionary=dictionary, config=LdaConfig(n_topics=2, passes=5), workers=1
    )
    tops = {frozenset(w for w, _ in lda.show_topic(k, topn=3)) for k in range(2)}
    assert tops == {
        frozenset({"peace", "treaty", "talks"}),
        frozenset({"tariff", "trade", "export"}),
    }
