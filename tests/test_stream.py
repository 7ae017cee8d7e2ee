"""Streaming: documents one file at a time, mergeable counts, matrices, gensim on disk."""

from __future__ import annotations

import tracemalloc
import warnings
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from gensim.corpora import Dictionary
from gensim.models import LdaModel
from sklearn.feature_extraction.text import CountVectorizer

from textkit.corpus import CorpusWarning, MetadataWarning, load_corpus
from textkit.errors import ConfigError, CorpusError
from textkit.parallel import count_terms
from textkit.stream import (
    StreamedCorpus,
    TermCounts,
    iter_documents,
    iter_records,
    iter_units,
    merge_counts,
    serialize_corpus,
)
from textkit.tokenize import tokenize

# A toy corpus whose counts are computed by hand below.
TOY = [
    ("a", 2001, ["peace", "aid", "peace"]),
    ("b", 2001, ["aid", "security"]),
    ("c", 2002, ["peace"]),
    ("d", None, ["security", "security"]),
]


def test_by_year_matches_hand_counts() -> None:
    out = TermCounts.from_tokens(TOY).by_year()
    expected = pd.DataFrame(
        {
            "year": pd.array([2001, 2001, 2001, 2002], dtype="Int64"),
            "term": pd.Series(["aid", "peace", "security", "peace"], dtype=object),
            "n_docs": np.array([2, 2, 2, 1], dtype=np.int64),
            "count": np.array([2, 2, 1, 1], dtype=np.int64),
            "tokens": np.array([5, 5, 5, 1], dtype=np.int64),
        }
    )
    pd.testing.assert_frame_equal(out, expected)
    assert out.attrs["n_undated"] == 1


def test_term_table_equals_trends_term_counts(synthetic_corpus_dir: Path) -> None:
    from textkit.trends import term_counts

    corpus = load_corpus(synthetic_corpus_dir)
    counts = count_terms(synthetic_corpus_dir, analyzer=tokenize, progress=False)
    terms = ["peace", "security", "japan", "never-seen"]
    tokens = {d.doc_id: tokenize(d.text) for d in corpus}
    years = corpus.docs.set_index("doc_id")["year"]
    expected = term_counts(tokens, terms, years=years)
    ours = counts.term_table(terms)
    pd.testing.assert_frame_equal(
        ours.reset_index(drop=True),
        expected.sort_values(["term"], kind="mergesort").reset_index(drop=True),
        check_dtype=False,
    )
    assert ours.attrs["undated"] == expected.attrs["undated"] == ["essay-undated"]
    with pytest.raises(ConfigError, match="not one string"):
        counts.term_table("peace")


def test_by_year_can_keep_undated() -> None:
    out = TermCounts.from_tokens(TOY).by_year(include_undated=True)
    undated = out[out["year"].isna()]
    assert undated[["term", "count", "tokens"]].values.tolist() == [["security", 2, 2]]


def test_vocabulary_matches_hand_counts_and_filters() -> None:
    counts = TermCounts.from_tokens(TOY)
    vocab = counts.vocabulary()
    # peace 3 (a, c), security 3 (b, d), aid 2 (a, b): ties by term.
    assert vocab.index.tolist() == ["peace", "security", "aid"]
    assert vocab["count"].tolist() == [3, 3, 2]
    assert vocab["doc_freq"].tolist() == [2, 2, 2]
    assert counts.vocabulary(min_count=3).index.tolist() == ["peace", "security"]
    assert counts.vocabulary(max_terms=1).index.tolist() == ["peace"]
    assert counts.n_documents == 4 and counts.n_tokens == 8 and counts.n_undated == 1


@pytest.mark.parametrize(
    ("option", "value"), [("min_count", 0), ("min_df", -1), ("max_terms", 1.5)]
)
def test_vocabulary_rejects_bad_options(option: str, value: object) -> None:
    with pytest.raises(ConfigError, match=f"'{option}' must be a positive int"):
        TermCounts.from_tokens(TOY).vocabulary(**{option: value})


def test_by_document_and_documents() -> None:
    counts = TermCounts.from_tokens(TOY)
    docs = counts.documents()
    assert docs["doc_id"].tolist() == ["a", "b", "c", "d"]
    assert docs["tokens"].tolist() == [3, 2, 1, 2]
    long = counts.by_document()
    a = long[long["doc_id"] == "a"]
    assert a[["term", "count", "tokens"]].values.tolist() == [["aid", 1, 3], ["peace", 2, 3]]
    assert long["count"].sum() == 8


@pytest.mark.parametrize("split", [[1], [2], [3], [1, 2], [1, 3], [1, 2, 3]])
def test_merging_chunks_equals_one_pass(split: list[int]) -> None:
    whole = TermCounts.from_tokens(TOY)
    bounds = [0, *split, len(TOY)]
    parts = [TermCounts.from_tokens(TOY[i:j]) for i, j in zip(bounds, bounds[1:], strict=False)]
    merged = merge_counts(parts)
    pd.testing.assert_frame_equal(merged.by_year(), whole.by_year())
    pd.testing.assert_frame_equal(merged.by_document(), whole.by_document())
    pd.testing.assert_frame_equal(merged.vocabulary(), whole.vocabulary())
    assert (merged.document_term_matrix().matrix != whole.document_term_matrix().matrix).nnz == 0


def test_document_term_matrix_equals_scikit_learn(seeds_dir: Path) -> None:
    corpus = load_corpus(seeds_dir)
    counts = count_terms(seeds_dir, analyzer=tokenize, progress=False)
    dtm = counts.document_term_matrix()
    vectorizer = CountVectorizer(analyzer=tokenize)
    reference = vectorizer.fit_transform(corpus.texts)
    assert dtm.doc_ids.tolist() == corpus.doc_ids
    assert dtm.terms.tolist() == vectorizer.get_feature_names_out().tolist()
    assert (dtm.matrix != reference).nnz == 0
    assert dtm.years.tolist() == [2000, 2006, 2007, 2008, pd.NA]


def test_document_term_matrix_with_a_given_vocabulary() -> None:
    dtm = TermCounts.from_tokens(TOY).document_term_matrix(vocabulary=["security", "unseen", "aid"])
    assert dtm.terms.tolist() == ["security", "unseen", "aid"]
    assert dtm.matrix.toarray().tolist() == [[0, 0, 1], [1, 0, 1], [0, 0, 0], [2, 0, 0]]


def test_without_per_document_counts_memory_only_holds_the_vocabulary() -> None:
    counts = TermCounts.from_tokens(TOY, per_document=False)
    assert counts.by_year()["count"].sum() == 6
    with pytest.raises(ConfigError, match="needs per-document counts"):
        counts.document_term_matrix()
    with pytest.raises(ValueError, match="cannot merge"):
        counts.merge(TermCounts.from_tokens(TOY))


def test_to_dictionary_agrees_with_gensim() -> None:
    ours = TermCounts.from_tokens(TOY).to_dictionary()
    ref = Dictionary(tokens for _, _, tokens in TOY)
    for term, i in ref.token2id.items():
        j = ours.token2id[term]
        assert (ours.dfs[j], ours.cfs[j]) == (ref.dfs[i], ref.cfs[i])
    assert (ours.num_docs, ours.num_pos, ours.num_nnz) == (ref.num_docs, ref.num_pos, ref.num_nnz)
    assert list(ours.token2id) == sorted(ref.token2id)
    assert ours[0] == "aid"  # id -> term lookup works


def test_iter_documents_matches_load_corpus(seeds_dir: Path) -> None:
    corpus = load_corpus(seeds_dir)
    streamed = list(iter_documents(seeds_dir))
    assert streamed == list(corpus)


@pytest.mark.parametrize(("unit", "clean"), [("passage", True), ("paragraph", False)])
def test_iter_units_matches_segment(synthetic_corpus_dir: Path, unit: str, clean: bool) -> None:
    from textkit.clean import clean as clean_text
    from textkit.segment import segment

    corpus = load_corpus(synthetic_corpus_dir)
    if clean:
        corpus = corpus.map_texts(clean_text)
    units = segment(corpus, unit=unit, size=80)  # type: ignore[arg-type]
    streamed = list(iter_units(synthetic_corpus_dir, unit=unit, size=80, clean=clean))  # type: ignore[arg-type]
    assert [u[0] for u in streamed] == units["unit_id"].tolist()
    assert [u[2] for u in streamed] == units["text"].tolist()
    assert [u[1] for u in streamed] == [None if pd.isna(y) else y for y in units["year"]]
    with pytest.raises(ConfigError, match="'unit' must be one of"):
        next(iter_units(synthetic_corpus_dir, unit="page"))  # type: ignore[arg-type]


def test_count_terms_over_streamed_passages(seeds_dir: Path) -> None:
    by_passage = count_terms(iter_units(seeds_dir, size=60), analyzer=tokenize, progress=False)
    by_document = count_terms(seeds_dir, analyzer=tokenize, progress=False)
    # Passages never cut a sentence, so per-year counts are those of whole documents.
    pd.testing.assert_frame_equal(
        by_passage.by_year().drop(columns="n_docs"), by_document.by_year().drop(columns="n_docs")
    )
    assert by_passage.documents()["doc_id"].iloc[0] == "blue-book-2000:0"


def test_iter_documents_reads_one_file_at_a_time(tmp_path: Path) -> None:
    (tmp_path / "2001_a.txt").write_text("Peace.", encoding="utf-8")
    (tmp_path / "2002_b.txt").write_bytes(b"bin\x00ary")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MetadataWarning)
        docs = iter_documents(tmp_path)
        first = next(docs)  # the binary file is not read yet
        assert (first.doc_id, first.year, first.text) == ("2001_a", 2001, "Peace.")
        with pytest.raises(CorpusError, match="looks binary"):
            next(docs)


def test_iter_documents_warns_like_load_corpus(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Peace.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("  \n", encoding="utf-8")
    (tmp_path / "metadata.csv").write_text("file,year\na.txt,2001\nb.txt,2002\n", encoding="utf-8")
    (tmp_path / "2003_c.txt").write_text("Aid.", encoding="utf-8")
    with pytest.warns(MetadataWarning, match="2003_c.txt"):
        with pytest.warns(CorpusWarning, match="b.txt"):
            docs = list(iter_documents(tmp_path))
    assert [(d.doc_id, d.year) for d in docs] == [("a", 2001), ("2003_c", 2003)]


def test_iter_documents_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="does not exist"):
        list(iter_documents(tmp_path / "nowhere"))
    with pytest.raises(CorpusError, match="has no .txt documents"):
        list(iter_documents(tmp_path))


def test_iter_records_rejects_unknown_items() -> None:
    with pytest.raises(CorpusError, match="Item 1 .* is a int"):
        list(iter_records(["text", 3]))
    assert list(iter_records([("x", 1999.0, "t")])) == [("x", 1999, "t", None)]


def test_streamed_corpus_is_reiterable_and_feeds_gensim(seeds_dir: Path, tmp_path: Path) -> None:
    stream = StreamedCorpus(seeds_dir, analyzer=tokenize)
    assert len(stream) == 5 and stream.doc_ids == load_corpus(seeds_dir).doc_ids
    tokens = stream.tokens()
    first, second = list(tokens), list(tokens)
    assert first == second == [tokenize(t) for t in load_corpus(seeds_dir).texts]
    dictionary = count_terms(seeds_dir, analyzer=tokenize, progress=False).to_dictionary()
    mm = serialize_corpus(stream.bow(dictionary), tmp_path / "seeds.mm", dictionary=dictionary)
    on_disk = [sorted((int(i), int(n)) for i, n in doc) for doc in mm]
    assert on_disk == [sorted(dictionary.doc2bow(t)) for t in first]
    assert Path(str(tmp_path / "seeds.mm") + ".dict").is_file()
    lda = LdaModel(mm, id2word=dictionary, num_topics=2, random_state=1, passes=1)
    assert lda.num_terms == len(dictionary)


def test_streamed_counts_grow_with_vocabulary_not_documents() -> None:
    # The same 3 documents repeated 200 times: per-year counters keep the same size.
    small = count_terms(TOY_TEXTS * 2, analyzer=str.split, per_document=False, progress=False)
    large = count_terms(TOY_TEXTS * 200, analyzer=str.split, per_document=False, progress=False)
    assert len(large.doc_freq) == len(small.doc_freq) == 4
    expected = Counter({k: v * 100 for k, v in small.year_counts[2001].items()})
    assert large.year_counts[2001] == expected


TOY_TEXTS = [("a", 2001, "peace aid peace"), ("b", 2001, "aid security"), ("c", 2002, "unity")]


def _generated_documents(n: int) -> Iterator[tuple[str, int, str]]:
    words = [f"w{i}" for i in range(500)]
    for i in range(n):
        yield (f"d{i}", 2000 + i % 5, " ".join(words[(i * 7 + k) % 500] for k in range(100)))


def test_streamed_counting_memory_does_not_grow_with_the_corpus() -> None:
    def peak(n: int) -> int:
        tracemalloc.start()
        count_terms(_generated_documents(n), analyzer=str.split, per_document=False, progress=False)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return peak

    small, large = peak(300), peak(3000)
    assert large < 1.5 * small, (small, large)
