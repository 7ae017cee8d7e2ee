"""Tests for textkit.segment: paragraphs, sentences, passages and aggregation."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from textkit import ConfigError, Corpus, TextkitError, load_corpus
from textkit.segment import (
    aggregate,
    sample_positions,
    segment,
    split_paragraphs,
    split_passages,
    split_sentences,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A.\n\nB.\n\n\nC.", ["A.", "B.", "C."]),
        ("A line\nwrapped.\n\nB.", ["A line\nwrapped.", "B."]),
        ("One per line.\nSecond line.", ["One per line.", "Second line."]),
        ("  \n\n  ", []),
        ("A.\n  \t\nB.", ["A.", "B."]),
    ],
)
def test_split_paragraphs(text: str, expected: list[str]) -> None:
    assert split_paragraphs(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a real sentence from the seeds with "U.S." inside
        (
            "Japan provided 5 million U.S. dollars in aid. It also sent experts.",
            ["Japan provided 5 million U.S. dollars in aid.", "It also sent experts."],
        ),
        (
            "The U.N. Security Council met. Mr. Abe spoke on Jan. 5 in Tokyo.",
            ["The U.N. Security Council met.", "Mr. Abe spoke on Jan. 5 in Tokyo."],
        ),
        ("Heading without period\n\nA sentence.", ["Heading without period", "A sentence."]),
        ("Is it? Yes! Done.", ["Is it?", "Yes!", "Done."]),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_passages_never_cut_sentences_and_keep_every_word(seeds_dir: Path) -> None:
    text = (seeds_dir / "003_d1b2b5ec6371fe92.txt").read_text(encoding="utf-8")
    sentences = split_sentences(text)
    passages = split_passages(text, size=120)
    assert " ".join(passages).split() == " ".join(sentences).split() == text.split()
    boundaries = set()
    position = 0
    for sentence in sentences:
        position += len(sentence.split())
        boundaries.add(position)
    position = 0
    for passage in passages:
        position += len(passage.split())
        assert position in boundaries  # each passage ends at a sentence end
    lengths = [len(p.split()) for p in passages]
    assert all(n >= 60 for n in lengths)  # no stubs shorter than half the size


def test_long_sentence_is_never_cut() -> None:
    long_sentence = " ".join(["word"] * 30) + "."
    text = f"Short one. Two three four five six. {long_sentence} Another short one here now."
    passages = split_passages(text, size=10)
    assert passages == [
        "Short one. Two three four five six.",
        long_sentence,
        "Another short one here now.",
    ]


def test_short_sentences_join_until_half_the_size() -> None:
    # 3 + 20 words: the first passage is too short to close before the long sentence
    assert split_passages("A b c. " + " ".join(["x"] * 19) + " y.", size=10) == [
        "A b c. " + " ".join(["x"] * 19) + " y."
    ]


@pytest.mark.parametrize("size", [0, -5, 2.5, True])
def test_passage_size_must_be_positive_int(size: object) -> None:
    with pytest.raises(ConfigError, match="'size' must be a positive int"):
        split_passages("Text.", size=size)  # type: ignore[arg-type]


@given(st.text(max_size=400))
@example(".«0")  # Punkt ends a sentence inside this word
@example('Peace."Then war. And more words here. Again.')
def test_segmenting_arbitrary_text_keeps_all_words(text: str) -> None:
    assert " ".join(split_passages(text, size=7)).split() == text.split()


def test_sentences_end_only_at_a_space() -> None:
    # NLTK's Punkt, on its own, splits the word 'Peace."Then' in two
    assert split_sentences('He said "Peace."Then he left. Next.') == [
        'He said "Peace."Then he left.',
        "Next.",
    ]


def test_segment_carries_metadata(seeds_dir: Path) -> None:
    corpus = load_corpus(seeds_dir)
    units = segment(corpus, unit="passage", size=150)
    assert list(units.columns[:6]) == ["unit_id", "doc_id", "index", "text", "n_words", "year"]
    assert {"title", "short_title", "source"} <= set(units.columns)
    assert units["unit_id"].is_unique
    for doc in corpus:
        mine = units[units["doc_id"] == doc.doc_id]
        assert mine["index"].tolist() == list(range(len(mine)))
        assert " ".join(mine["text"]).split() == doc.text.split()
        assert mine["title"].eq(doc.meta["title"]).all()
    assert units.loc[units["doc_id"] == "ne-asia-cooperative-security", "year"].isna().all()


def test_segment_rejects_unknown_unit(seeds_dir: Path) -> None:
    with pytest.raises(ConfigError, match="'unit' must be one of"):
        segment(load_corpus(seeds_dir), unit="chapter")  # type: ignore[arg-type]


def test_aggregate_by_document_and_year_by_hand() -> None:
    corpus = Corpus(
        pd.DataFrame(
            {
                "doc_id": ["a", "b", "c"],
                "year": [2000, 2000, None],
                "text": ["One. Two.\n\nThree.", "Four.", "Five.\n\nSix."],
            }
        )
    )
    units = segment(corpus, unit="paragraph")
    values = pd.DataFrame({"x": [1.0, 3.0, 8.0, 10.0, 20.0]}, index=units["unit_id"])
    by_doc = aggregate(units, values, by="doc_id")
    assert by_doc["x"].to_dict() == {"a": 2.0, "b": 8.0, "c": 15.0}
    by_year = aggregate(units, values, by="year")
    assert by_year.index.tolist() == [2000] and by_year["x"].iloc[0] == pytest.approx(4.0)
    assert aggregate(units, values, by="doc_id", agg="sum")["x"]["a"] == 4.0
    # values aligned by position work too
    positional = aggregate(units, values.reset_index(drop=True), by="doc_id")
    assert positional["x"].to_dict() == by_doc["x"].to_dict()
    with pytest.raises(TextkitError, match="one value row per unit"):
        aggregate(units, values.iloc[:2], by="doc_id")
    with pytest.raises(ConfigError, match="'by' must be"):
        aggregate(units, values, by="title")  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- sampling


@given(st.integers(0, 200), st.integers(3, 250), st.integers(0, 2**32 - 1))
def test_sample_positions_is_a_sorted_seeded_subset_of_the_cap(n, cap, seed):
    chosen = sample_positions(n, max_units=cap, random_state=seed)
    assert len(chosen) == min(n, cap)
    assert len(set(chosen.tolist())) == len(chosen)
    assert chosen.tolist() == sorted(chosen.tolist())
    assert all(0 <= i < n for i in chosen)
    assert np.array_equal(chosen, sample_positions(n, max_units=cap, random_state=seed))


def test_sample_positions_without_a_binding_cap_keeps_every_unit():
    assert sample_positions(5, max_units=None).tolist() == [0, 1, 2, 3, 4]
    assert sample_positions(5, max_units=5, random_state=9).tolist() == [0, 1, 2, 3, 4]
    assert sample_positions(0, max_units=3).tolist() == []


def test_sample_positions_different_seeds_draw_different_samples():
    samples = {tuple(sample_positions(1000, max_units=10, random_state=s)) for s in range(5)}
    assert len(samples) == 5


@pytest.mark.parametrize("cap", [0, 1, 2, -1, 3.0, "10", False])
def test_sample_positions_rejects_bad_caps(cap):
    with pytest.raises(ConfigError) as info:
        sample_positions(10, max_units=cap)  # type: ignore[arg-type]
    assert str(info.value) == (
        f"'max_passages' must be an int of at least 3 or None (got {cap!r}); "
        "set it to None to keep every passage, or to a larger number"
    )


def test_sample_positions_names_the_cap_and_its_minimum():
    with pytest.raises(ConfigError, match="'max_units' must be an int of at least 1 or None"):
        sample_positions(10, max_units=0, minimum=1, name="max_units")
    assert sample_positions(10, max_units=np.int64(4), random_state=0).tolist() == sorted(
        np.random.default_rng(0).choice(10, size=4, replace=False).tolist()
    )
