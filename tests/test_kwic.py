"""Tests for textkit.kwic."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from textkit import ConfigError, Corpus, kwic, load_corpus


@pytest.fixture()
def toy() -> Corpus:
    return Corpus(
        pd.DataFrame(
            {
                "doc_id": ["a", "b"],
                "year": [2000, None],
                "text": [
                    "Japan's peacebuilding aid. Peace talks resumed; peace-keeping forces left.",
                    "Human\nsecurity and HUMAN SECURITY matter.",
                ],
                "source": ["x", "y"],
            }
        )
    )


def test_word_matches_whole_words_only(toy: Corpus) -> None:
    hits = kwic(toy, "peace", window=2)
    assert hits["match"].tolist() == ["Peace"]
    assert hits.loc[0, "left"] == "peacebuilding aid"
    assert hits.loc[0, "right"] == "talks resumed"
    assert hits.loc[0, "position"] == 3


def test_possessive_form_matches_the_word(toy: Corpus) -> None:
    hits = kwic(toy, "japan", window=1)
    assert hits["match"].tolist() == ["Japan"] and hits.loc[0, "right"] == "peacebuilding"


def test_phrase_across_whitespace_and_case(toy: Corpus) -> None:
    hits = kwic(toy, "human security", window=3)
    assert hits["match"].tolist() == ["Human\nsecurity", "HUMAN SECURITY"]
    assert hits.loc[1, "left"] == "Human security and"
    assert hits["year"].isna().all() and hits["source"].tolist() == ["y", "y"]
    assert kwic(toy, "human security", ignore_case=False).empty


def test_regex_pattern(toy: Corpus) -> None:
    hits = kwic(toy, r"peace\w*", regex=True, window=0)
    assert hits["match"].tolist() == ["peacebuilding", "Peace", "peace"]
    assert (hits["left"] == "").all() and (hits["right"] == "").all()


def test_counts_agree_with_a_direct_regex_count(seeds_dir: Path) -> None:
    corpus = load_corpus(seeds_dir)
    hits = kwic(corpus, "Japan")
    direct = sum(
        len(re.findall(r"(?<![\w-])japan(?![\w-])", t, flags=re.IGNORECASE)) for t in corpus.texts
    )
    assert len(hits) == direct > 100
    assert set(hits.columns) >= {"doc_id", "year", "label", "left", "match", "right", "title"}


@pytest.mark.parametrize(
    ("pattern", "options", "message"),
    [
        ("", {}, "non-empty string"),
        ("(", {"regex": True}, "not a valid regex"),
        ("x*", {"regex": True}, "matches the empty string"),
        ("peace", {"window": -1}, "'window' must be a non-negative int"),
    ],
)
def test_errors(toy: Corpus, pattern: str, options: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        kwic(toy, pattern, **options)
