"""Tests for textkit.phrases: collocation detection with gensim Phrases."""

from __future__ import annotations

import math
import pickle
import re

import pytest

from textkit.errors import ConfigError
from textkit.phrases import CONNECTOR_WORDS, PhraseConfig, PhraseModel, learn_phrases


def npmi(count_a: int, count_b: int, count_ab: int, n_words: int) -> float:
    """Normalised PMI (Bouma 2009), computed by hand from counts."""
    pa, pb, pab = count_a / n_words, count_b / n_words, count_ab / n_words
    return math.log(pab / (pa * pb)) / -math.log(pab)


def test_score_is_npmi_from_counts() -> None:
    runs = [["sri", "lanka", "aid"]] * 3 + [["sri", "aid"], ["lanka"], ["peace", "aid"]]
    model = learn_phrases(runs, config=PhraseConfig(min_count=2, threshold=0.1, passes=1))
    table = model.phrases.set_index("phrase")
    n_words = sum(len(r) for r in runs)
    assert n_words == 14
    assert table.loc["sri_lanka", "score"] == pytest.approx(npmi(4, 4, 3, n_words))
    # "lanka aid" (3 times) is scored too, but joining is greedy from the left:
    assert model(["sri", "lanka", "aid"]) == ["sri_lanka", "aid"]


def test_threshold_and_min_count() -> None:
    runs = [["sri", "lanka", "aid"]] * 3 + [["sri", "aid"], ["lanka"], ["peace", "aid"]]
    score = npmi(4, 4, 3, 14)  # about 0.63
    below = learn_phrases(runs, config=PhraseConfig(min_count=2, threshold=score + 0.01))
    assert "sri_lanka" not in below
    above = learn_phrases(runs, config=PhraseConfig(min_count=2, threshold=score - 0.01))
    assert "sri_lanka" in above
    rare = learn_phrases(runs, config=PhraseConfig(min_count=4, threshold=0.1))
    assert "sri_lanka" not in rare


def test_connector_words_inside_never_at_ends() -> None:
    runs = [["weapons", "of", "mass", "destruction"], ["the", "weapons", "of", "war"]] * 3
    model = learn_phrases(runs, config=PhraseConfig(min_count=2, threshold=0.3))
    joined = model(["the", "weapons", "of", "mass", "destruction", "of"])
    assert "weapons_of_mass_destruction" in joined or "weapons_of_mass" in joined
    for phrase in model.phrases["phrase"]:
        words = phrase.split("_")
        assert words[0] not in CONNECTOR_WORDS and words[-1] not in CONNECTOR_WORDS


def test_two_passes_join_three_words() -> None:
    runs = [["official", "development", "assistance"], ["development", "aid"]] * 4
    one = learn_phrases(runs, config=PhraseConfig(min_count=2, threshold=0.1, passes=1))
    two = learn_phrases(runs, config=PhraseConfig(min_count=2, threshold=0.1, passes=2))
    tokens = ["official", "development", "assistance"]
    assert one(tokens) == ["official_development", "assistance"]
    assert two(tokens) == ["official_development_assistance"]
    table = two.phrases.set_index("phrase")
    assert table.loc["official_development_assistance", "pass"] == 2
    assert table.loc["official_development_assistance", "n_words"] == 3
    # pass 2 scores the pair ("official_development", "assistance"): both occur
    # 4 times, always together, among 12 tokens -> npmi exactly 1
    assert table.loc["official_development_assistance", "score"] == pytest.approx(npmi(4, 4, 4, 12))


def test_no_phrases_and_empty_input() -> None:
    model = learn_phrases([["a", "b"], ["c", "d"]])
    assert len(model) == 0
    assert model(["a", "b"]) == ["a", "b"]
    assert model([]) == []
    assert model.phrases.empty
    assert list(model.phrases.columns) == ["phrase", "n_words", "score", "pass"]


def test_model_is_picklable() -> None:
    model = learn_phrases([["sri", "lanka"], ["peace"]] * 3)
    again = pickle.loads(pickle.dumps(model))
    assert isinstance(again, PhraseModel)
    assert again(["sri", "lanka"]) == ["sri_lanka"]
    assert "1 phrases" in repr(again)


def test_rejects_a_string() -> None:
    with pytest.raises(TypeError, match="token lists"):
        learn_phrases("sri lanka")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"min_count": 0}, "'min_count' must be a positive int (got 0)"),
        ({"passes": -1}, "'passes' must be a positive int (got -1)"),
        ({"scoring": "pmi"}, "'scoring' must be 'npmi' or 'default' (got 'pmi')"),
        ({"threshold": 1.5}, "'threshold' must be a number in (-1, 1] for npmi scoring (got 1.5)"),
        ({"threshold": "high"}, "'threshold' must be a number (got 'high')"),
        (
            {"scoring": "default", "threshold": 0},
            "'threshold' must be a positive number for default scoring (got 0)",
        ),
        ({"connector_words": "of"}, "'connector_words' must be an iterable of str"),
        ({"connector_words": ["of", 2]}, "'connector_words' must contain only str"),
    ],
)
def test_config_errors(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(message)):
        PhraseConfig(**kwargs)  # type: ignore[arg-type]


def test_default_scoring_option() -> None:
    # Mikolov et al.: (count(a b) - min_count) / count(a) / count(b) * vocabulary size,
    # where gensim's vocabulary holds the 5 words and the 2 pairs.
    runs = [["sri", "lanka"], ["peace", "aid"], ["war"]] * 5
    config = PhraseConfig(scoring="default", threshold=0.5, passes=1)
    model = learn_phrases(runs, config=config)
    expected = (5 - 3) / 5 / 5 * 7
    assert model.phrases.set_index("phrase")["score"].to_dict() == pytest.approx(
        {"sri_lanka": expected, "peace_aid": expected}
    )
    assert model(["sri", "lanka"]) == ["sri_lanka"]
    strict = learn_phrases(runs, config=PhraseConfig(scoring="default", threshold=expected))
    assert len(strict) == 0
