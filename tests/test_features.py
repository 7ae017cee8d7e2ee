"""Tests for textkit.features: the Analyzer and its scikit-learn / gensim interop."""

from __future__ import annotations

import pickle
import re
import warnings
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nltk.stem import PorterStemmer
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from textkit.clean import clean
from textkit.errors import ConfigError, TextkitError
from textkit.features import (
    Analyzer,
    AnalyzerConfig,
    NotFittedError,
    TermError,
    TermWarning,
    document_term_matrix,
    to_bow,
    to_dictionary,
)
from textkit.phrases import CONNECTOR_WORDS, PhraseConfig
from textkit.tokenize import TokenizerConfig, tokenize

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
PORTER = TokenizerConfig(stem="porter")


@pytest.fixture(scope="module")
def seed_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]


@pytest.fixture(scope="module")
def phrase_analyzer(seed_texts: list[str]) -> Analyzer:
    """The default phrase analyzer fitted on the five seed documents."""
    return Analyzer(AnalyzerConfig(phrases=PhraseConfig())).fit(seed_texts)


@pytest.fixture(scope="module")
def stem_phrase_analyzer(seed_texts: list[str]) -> Analyzer:
    return Analyzer(AnalyzerConfig(tokenizer=PORTER, phrases=PhraseConfig())).fit(seed_texts)


# --------------------------------------------------------------------------- config


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"clean": "yes"}, "'clean' must be a bool (got 'yes')"),
        ({"tokenizer": {"stem": "porter"}}, "'tokenizer' must be a TokenizerConfig"),
        ({"phrases": True}, "'phrases' must be a PhraseConfig or None (got True)"),
    ],
)
def test_config_errors(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(message)):
        AnalyzerConfig(**kwargs)  # type: ignore[arg-type]


def test_analyzer_rejects_wrong_config() -> None:
    with pytest.raises(ConfigError, match="'config' must be an AnalyzerConfig"):
        Analyzer(TokenizerConfig())  # type: ignore[arg-type]


# --------------------------------------------------------------------------- analysing


def test_default_analyzer_is_clean_then_tokenize(seed_texts: list[str]) -> None:
    analyzer = Analyzer()
    for text in seed_texts:
        assert analyzer(text) == tokenize(clean(text))
    raw = Analyzer(AnalyzerConfig(clean=False, tokenizer=PORTER))
    assert raw(seed_texts[0]) == tokenize(seed_texts[0], config=PORTER)


def test_cleaning_removes_markup_tokens() -> None:
    text = "## Overview\n\n**Human security** <sup>2</sup> see <http://www.mofa.go.jp/>"
    assert Analyzer()(text) == ["overview", "human", "security"]


def test_phrases_only_join_never_change_words(
    seed_texts: list[str], phrase_analyzer: Analyzer
) -> None:
    # Splitting the phrase terms and dropping their connector words gives back
    # exactly the single-word analysis.
    plain = Analyzer()
    for text in seed_texts:
        words = [
            w for term in phrase_analyzer(text) for w in term.split("_") if w not in CONNECTOR_WORDS
        ]
        assert words == plain(text)


def test_seed_phrases(seed_texts: list[str], phrase_analyzer: Analyzer) -> None:
    vocabulary = phrase_analyzer.vocabulary_
    for term in [
        "human_security",
        "self-defense_forces",
        "official_development_assistance_charter",
        "ministry_of_foreign_affairs",
        "weapons_of_mass_destruction",
        "united_nations",
    ]:
        assert term in vocabulary, term
    sentence = (
        "The notable achievements of Japan's Self-Defense Forces deployed to Iraq and "
        "Timor-Leste were the result of their relentless efforts"
    )
    assert sentence in seed_texts[2]
    assert phrase_analyzer(sentence)[:3] == ["notable", "achievements", "japan"]
    assert "self-defense_forces" in phrase_analyzer(sentence)
    assert phrase_analyzer("It also addresses “human security” problems") == [
        "addresses", "human_security", "problems"
    ]  # fmt: skip
    table = phrase_analyzer.phrases_.phrases  # type: ignore[union-attr]
    assert (table["score"] >= 0.5).all() and (table["score"] <= 1.0 + 1e-9).all()
    assert set(table.columns) == {"phrase", "n_words", "score", "pass"}


def test_unfitted_phrase_analyzer_raises() -> None:
    analyzer = Analyzer(AnalyzerConfig(phrases=PhraseConfig()))
    with pytest.raises(NotFittedError, match=r"call analyzer.fit\(texts\) first"):
        analyzer("human security")
    with pytest.raises(NotFittedError, match="not fitted"):
        analyzer.normalize_term("human security")


def test_fit_rejects_bad_input() -> None:
    with pytest.raises(TypeError, match="not one str"):
        Analyzer().fit("one text")
    with pytest.raises(TypeError, match="text 1 is a int"):
        Analyzer().fit(["a text", 3])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="expects a str"):
        Analyzer()(None)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- terms


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Human Security", "human_security"),
        ("human security", "human_security"),
        ("  HUMAN   SECURITY ", "human_security"),
        ("Self-Defense Forces", "self-defense_forces"),
        ("Japan's", "japan"),
        ("the U.S.", "u.s."),
        ("Official Development Assistance Charter", "official_development_assistance_charter"),
    ],
)
def test_normalize_term(phrase_analyzer: Analyzer, query: str, expected: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", TermWarning)
        assert phrase_analyzer.normalize_term(query) == expected


@pytest.mark.parametrize("query", ["the", "us", "2006", "US$354", " ... ", ""])
def test_normalize_term_to_nothing(phrase_analyzer: Analyzer, query: str) -> None:
    with pytest.raises(TermError, match=re.escape(f"term {query!r} normalises to nothing")):
        phrase_analyzer.normalize_term(query)
    assert issubclass(TermError, TextkitError)


def test_normalize_term_with_stemming(stem_phrase_analyzer: Analyzer) -> None:
    stem = PorterStemmer().stem
    assert stem_phrase_analyzer.normalize_term("Terrorism") == stem("terrorism")
    assert stem_phrase_analyzer.normalize_term("Human Security") == "human_" + stem("security")
    assert stem_phrase_analyzer.display("human_" + stem("security")) == "human security"


def test_normalize_term_warns_when_only_inside_a_longer_phrase(
    phrase_analyzer: Analyzer,
) -> None:
    # On the seeds "Official Development Assistance" is always followed by "Charter".
    with pytest.warns(TermWarning, match="official_development_assistance_charter"):
        term = phrase_analyzer.normalize_term("official development assistance")
    assert term == "official_development_assistance"


def test_normalize_term_warns_for_unknown_word(phrase_analyzer: Analyzer) -> None:
    with pytest.warns(TermWarning, match="'zeppelins'"):
        assert phrase_analyzer.normalize_term("Zeppelins'") == "zeppelins"


def test_normalize_term_without_phrases_joins_words() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", TermWarning)
        analyzer = Analyzer().fit(["Economic cooperation matters."])
        assert analyzer.normalize_term("economic cooperation") == "economic_cooperation"


# --------------------------------------------------------------------------- display


def test_display_most_frequent_surface_form() -> None:
    text = "operations operations operation operating. Securities security security"
    analyzer = Analyzer(AnalyzerConfig(tokenizer=PORTER)).fit([text])
    stem = PorterStemmer().stem
    assert stem("operations") == stem("operation") == stem("operating") == "oper"
    assert analyzer.display("oper") == "operations"  # 2 of 4
    assert analyzer.display("secur") == "security"  # 2 of 3
    table = analyzer.surface_forms().set_index("term")
    assert table.loc["oper", "count"] == 4 and table.loc["oper", "n_forms"] == 3
    assert table.loc["secur", "display"] == "security"


def test_display_on_seeds(stem_phrase_analyzer: Analyzer, seed_texts: list[str]) -> None:
    counts = Counter(
        w
        for text in seed_texts
        for w in tokenize(clean(text))
        if PorterStemmer().stem(w) == "secur"
    )
    assert counts.most_common(1)[0][0] == "security"
    assert stem_phrase_analyzer.display("secur") == "security"
    assert stem_phrase_analyzer.display("self-defens_forc") == "self-defense forces"
    # unknown joined terms are shown piece by piece
    assert stem_phrase_analyzer.display("secur_zzz") == "security zzz"
    assert Analyzer().display("human_security") == "human security"


# --------------------------------------------------------------------------- interop


def test_countvectorizer_vocabulary_equals_gensim_dictionary(
    seed_texts: list[str], stem_phrase_analyzer: Analyzer
) -> None:
    vectorizer = CountVectorizer(analyzer=stem_phrase_analyzer)
    matrix = vectorizer.fit_transform(seed_texts)
    tokens = [stem_phrase_analyzer(t) for t in seed_texts]
    dictionary = to_dictionary(tokens)
    assert set(vectorizer.vocabulary_) == set(dictionary.token2id)
    # total counts per term agree too
    totals = np.asarray(matrix.sum(axis=0)).ravel()
    for term, column in vectorizer.vocabulary_.items():
        assert totals[column] == dictionary.cfs[dictionary.token2id[term]]
    tfidf = TfidfVectorizer(analyzer=stem_phrase_analyzer).fit(seed_texts)
    assert tfidf.vocabulary_ == vectorizer.vocabulary_


def test_bow_and_document_term_matrix(seed_texts: list[str]) -> None:
    analyzer = Analyzer()
    tokens = [analyzer(t) for t in seed_texts]
    dictionary = to_dictionary(tokens)
    bow = to_bow(tokens, dictionary)
    for doc, bag in zip(tokens, bow, strict=True):
        assert {dictionary[i]: n for i, n in bag} == dict(Counter(doc))
    dtm = document_term_matrix(tokens, ids=[f"d{i}" for i in range(len(tokens))])
    frame = dtm.to_frame()
    assert list(frame.index) == ["d0", "d1", "d2", "d3", "d4"]
    assert list(frame.columns) == sorted(dictionary.token2id)
    assert frame.loc["d4", "security"] == Counter(tokens[4])["security"] > 0
    assert dtm.years.isna().all()
    assert to_bow([["a", "b", "a"]]) == [[(0, 2), (1, 1)]]


@pytest.mark.parametrize(
    ("token_lists", "ids", "message"),
    [
        ([["a"], ["b"]], ["x"], "'ids' has 1 labels for 2 token lists"),
        ([["a"], ["b"]], ["x", "x"], "'ids' repeats 'x'"),
        ([[], []], None, "no tokens in any document"),
    ],
)
def test_document_term_matrix_errors(
    token_lists: list[list[str]], ids: list[str] | None, message: str
) -> None:
    with pytest.raises(TextkitError, match=re.escape(message)):
        document_term_matrix(token_lists, ids=ids)


def test_pickle_round_trip(seed_texts: list[str], stem_phrase_analyzer: Analyzer) -> None:
    again = pickle.loads(pickle.dumps(stem_phrase_analyzer))
    assert again(seed_texts[1]) == stem_phrase_analyzer(seed_texts[1])
    assert again.display("secur") == "security"
    assert "fitted" in repr(again)
    vectorizer = pickle.loads(pickle.dumps(CountVectorizer(analyzer=Analyzer()).fit(seed_texts)))
    assert vectorizer.transform(["human security"]).sum() == 2


# --------------------------------------------------------------------------- properties


@settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=300))
def test_analyzer_never_crashes(text: str) -> None:
    for analyzer in (Analyzer(), _PHRASES):
        terms = analyzer(text)
        assert all(t and not any(c.isspace() for c in t) for t in terms)


_PHRASES = Analyzer(AnalyzerConfig(phrases=PhraseConfig(min_count=2))).fit(
    ["human security and peace", "human security first", "the human security agenda"]
)
