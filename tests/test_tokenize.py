"""Tests for textkit.tokenize: cases from the seed texts and constructed ones."""

from __future__ import annotations

import pickle
import re
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nltk.stem import PorterStemmer, SnowballStemmer
from nltk.tokenize import TreebankWordTokenizer

from textkit.errors import ConfigError
from textkit.tokenize import (
    DEFAULT_STOPWORDS,
    DOMAIN_STOPWORDS,
    ENGLISH_STOPWORDS,
    StemCache,
    TokenizerConfig,
    _has_prefixed_amount,
    _token_regex,
    nltk_tokenizer,
    stem_function,
    tokenize,
)

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
KEEP_ALL = TokenizerConfig(stopwords=(), numbers="keep", min_length=1)


def seed_text(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- seeds

# (seed file, sentence exactly as in the seed, expected tokens with default options)
SEED_CASES = [
    (
        "000",
        "It also addresses “human security” problems, including infectious diseases, "
        "the environment, cross-border organized crime, poverty and terrorism.",
        ["addresses", "human", "security", "problems", "infectious", "diseases",
         "environment", "cross-border", "organized", "crime", "poverty", "terrorism"],
    ),
    (
        "000",
        "The draft also reiterates concerns of “an increase of protectionist pressure” "
        "in the U.S. should its robust economy falter amid its growing trade deficit.",
        ["draft", "reiterates", "concerns", "increase", "protectionist", "pressure",
         "u.s.", "robust", "economy", "falter", "amid", "growing", "trade", "deficit"],
    ),
    (
        "000",
        "The draft commits Japan to “playing an active role in increasing stability” "
        "in the Asia-Pacific region through bilateral and multilateral cooperation.",
        ["draft", "commits", "japan", "playing", "active", "role", "increasing",
         "stability", "asia-pacific", "region", "bilateral", "multilateral", "cooperation"],
    ),
    (
        "001",
        "The Japanese government has also committed several million Yen "
        "(over 3,800,000 million US dollars) in support of basic human needs projects "
        "in various regions of Afghanistan.",
        ["japanese", "government", "committed", "million", "yen", "million", "dollars",
         "support", "basic", "human", "needs", "projects", "regions", "afghanistan"],
    ),
    (
        "001",
        "NATO’s Secretary General visited Tokyo in April 2005 and again in December 2007.",
        ["nato", "secretary", "general", "visited", "tokyo", "april", "december"],
    ),
    (
        "002",
        "The notable achievements of Japan's Self-Defense Forces deployed to Iraq and "
        "Timor-Leste were the result of their relentless efforts to build trust with the "
        "local population.",
        ["notable", "achievements", "japan", "self-defense", "forces", "deployed", "iraq",
         "timor-leste", "result", "relentless", "efforts", "build", "trust", "local",
         "population"],
    ),
    (
        "002",
        "Japan announced in April 2005 that it would provide 100 million U.S.dollars for "
        "the Sudan,",
        ["japan", "announced", "april", "provide", "million", "u.s.", "dollars", "sudan"],
    ),
]  # fmt: skip


@pytest.mark.parametrize(("prefix", "sentence", "expected"), SEED_CASES)
def test_seed_sentences(prefix: str, sentence: str, expected: list[str]) -> None:
    assert sentence in seed_text(prefix)
    assert tokenize(sentence) == expected


def test_seed_numbers_kept_whole() -> None:
    sentence = "(over 3,800,000 million US dollars)"
    assert sentence in seed_text("001")
    assert tokenize(sentence, config=TokenizerConfig(numbers="keep")) == [
        "3,800,000", "million", "dollars"
    ]  # fmt: skip


def test_seed_currency_amount_kept_whole() -> None:
    # The seed escapes the dollar sign (US\$354); cleaning removes the backslash.
    assert "US\\$354" in seed_text("002")
    text = "GNI per capita:US$354"
    assert tokenize(text, config=TokenizerConfig(numbers="keep")) == ["gni", "capita", "us$354"]
    assert tokenize(text) == ["gni", "capita"]


def test_whole_seed_corpus_invariants() -> None:
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for config in (None, KEEP_ALL, TokenizerConfig(stem="snowball")):
            tokens = tokenize(text, config=config)
            assert tokens, path.name
            assert all(t and not re.search(r"\s", t) for t in tokens)
        default = tokenize(text)
        assert not set(default) & DEFAULT_STOPWORDS
        assert "us" not in default


# --------------------------------------------------------------------------- constructed

CONSTRUCTED = [
    # case folding
    ("PEACE Peace peace", ["peace", "peace", "peace"]),
    # hyphenated compounds, also with non-ASCII hyphens (U+2010, U+2011)
    ("Timor-Leste and Asia-Pacific", ["timor-leste", "asia-pacific"]),
    ("Timor\u2010Leste Asia\u2011Pacific", ["timor-leste", "asia-pacific"]),
    ("Self-Defense Forces", ["self-defense", "forces"]),
    ("under-secretary-general", ["under-secretary-general"]),
    ("medium- to long-term", ["medium", "long-term"]),
    ("peace -- and -- war", ["peace", "war"]),
    # abbreviations are never the stopword "us"
    ("the U.S. and the U.N.", ["u.s.", "u.n."]),
    ("U.S.-Japan alliance", ["u.s.-japan", "alliance"]),  # like "nato-japan"
    ("help us and the US", ["help"]),
    ("e.g. peace", ["peace"]),
    # possessives, straight and curly
    ("Japan's policy", ["japan", "policy"]),
    ("Japan\u2019s policy", ["japan", "policy"]),
    ("the U.N.'s role", ["u.n.", "role"]),
    ("the Secretary-General's visit", ["secretary-general", "visit"]),
    ("the countries' plans", ["countries", "plans"]),
    # contractions stay one token
    ("don't panic", ["don't", "panic"]),
    # numbers dropped whole by default
    ("in 2005 over 3,800,000 yen, 5.2% and US$354 in the 1990s", ["yen"]),
    ("mid-1990s G8 summit", ["mid-1990s", "g8", "summit"]),
    # punctuation and markup residue never become tokens
    ("peace... (security)! — “war”", ["peace", "security", "war"]),
    ("human_security", ["human", "security"]),
    ("", []),
    ("   \n\t ", []),
]


@pytest.mark.parametrize(("text", "expected"), CONSTRUCTED)
def test_constructed(text: str, expected: list[str]) -> None:
    assert tokenize(text) == expected


NUMBERS_KEPT = [
    ("3,800,000", ["3,800,000"]),
    ("5.2%", ["5.2%"]),
    ("US$354", ["us$354"]),
    ("US$1,033*", ["us$1,033"]),
    ("$350 and €1.5", ["$350", "€1.5"]),
    ("181,000km2", ["181,000km2"]),
    ("1990s 2005-2007", ["1990s", "2005-2007"]),
    ("Japan's 2,000", ["japan", "2,000"]),
    ("1,600.", ["1,600"]),
]


@pytest.mark.parametrize(("text", "expected"), NUMBERS_KEPT)
def test_numbers_kept_whole(text: str, expected: list[str]) -> None:
    assert tokenize(text, config=TokenizerConfig(numbers="keep")) == expected
    assert tokenize(text) == [t for t in expected if not t[0].isdigit() and "$" not in t
                              and "€" not in t]  # fmt: skip


def test_lowercase_off_and_min_length() -> None:
    config = TokenizerConfig(lowercase=False, stopwords=(), min_length=1)
    assert tokenize("Japan's U.S. a", config=config) == ["Japan", "U.S.", "a"]
    assert tokenize("a an war", config=TokenizerConfig(stopwords=(), min_length=3)) == ["war"]


def test_stopword_lists() -> None:
    assert ENGLISH_STOPWORDS == frozenset(
        __import__("sklearn.feature_extraction.text", fromlist=["x"]).ENGLISH_STOP_WORDS
    )
    assert DEFAULT_STOPWORDS == ENGLISH_STOPWORDS | DOMAIN_STOPWORDS
    assert {"said", "shall", "e.g."} <= DOMAIN_STOPWORDS
    text = "Japan said it shall act"
    assert tokenize(text) == ["japan", "act"]
    assert tokenize(text, config=TokenizerConfig(stopwords=ENGLISH_STOPWORDS)) == [
        "japan", "said", "shall", "act"
    ]  # fmt: skip
    config = TokenizerConfig(stopwords=DEFAULT_STOPWORDS | {"japan"})
    assert tokenize(text, config=config) == ["act"]


# --------------------------------------------------------------------------- stemming


@pytest.mark.parametrize("name", ["porter", "snowball"])
def test_stemming_matches_nltk(name: str) -> None:
    words = ["security", "securities", "peacebuilding", "operations", "cooperation"]
    reference = PorterStemmer() if name == "porter" else SnowballStemmer("english")
    expected = [reference.stem(w) for w in words]
    assert tokenize(" ".join(words), config=TokenizerConfig(stem=name)) == expected


def test_stemming_leaves_numbers_and_abbreviations() -> None:
    config = TokenizerConfig(stem="porter", numbers="keep")
    assert tokenize("the U.S. in the 1990s", config=config) == ["u.s.", "1990s"]


def test_stem_never_a_stopword() -> None:
    # Porter stems "ones" to the stopword "one"; the word is kept instead.
    assert PorterStemmer().stem("ones") == "one"
    assert tokenize("ones", config=TokenizerConfig(stem="porter")) == ["ones"]


def test_stem_function_is_cached_and_bounded() -> None:
    stem = stem_function("porter")
    assert stem is stem_function("porter")
    assert stem("peacekeeping") == PorterStemmer().stem("peacekeeping")
    assert "peacekeeping" in stem
    small = StemCache(PorterStemmer().stem, frozenset(), maxsize=3)
    assert [small(w) for w in ["wars", "peace", "aid", "treaties"]] == [
        "war",
        "peac",
        "aid",
        "treati",
    ]
    assert len(small) <= 3
    with pytest.raises(ConfigError, match="'stem' must be None, 'porter' or 'snowball'"):
        stem_function("lancaster")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- config


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"min_length": 0}, "'min_length' must be a positive int (got 0)"),
        ({"min_length": 1.5}, "'min_length' must be a positive int (got 1.5)"),
        ({"min_length": True}, "'min_length' must be a positive int (got True)"),
        ({"numbers": "round"}, "'numbers' must be 'drop' or 'keep' (got 'round')"),
        ({"stem": "lancaster"}, "'stem' must be None, 'porter' or 'snowball' (got 'lancaster')"),
        ({"lowercase": "yes"}, "'lowercase' must be a bool (got 'yes')"),
        ({"stopwords": "the"}, "'stopwords' must be an iterable of str"),
        ({"stopwords": 3}, "'stopwords' must be an iterable of str"),
        ({"stopwords": ["the", 1]}, "'stopwords' must contain only str (got 1)"),
    ],
)
def test_config_errors(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(message)):
        TokenizerConfig(**kwargs)  # type: ignore[arg-type]


def test_config_frozen_hashable_picklable() -> None:
    config = TokenizerConfig(stopwords=["b", "a"], stem="porter")
    assert config.stopwords == frozenset({"a", "b"})
    assert hash(config) == hash(TokenizerConfig(stopwords={"a", "b"}, stem="porter"))
    assert pickle.loads(pickle.dumps(config)) == config
    with pytest.raises(AttributeError):
        config.stem = None  # type: ignore[misc]
    assert "DEFAULT_STOPWORDS" in repr(TokenizerConfig())


def test_tokenize_rejects_non_str() -> None:
    with pytest.raises(TypeError, match="expects a str"):
        tokenize(None)  # type: ignore[arg-type]


def test_nltk_tokenizer_same_tokens() -> None:
    text = seed_text("002")[:5000].replace("\\$", "$")
    raw = nltk_tokenizer(numbers="keep").tokenize(text.lower())
    tokens = [t for t in raw if t not in ("", "s")]
    assert tokens == tokenize(text, config=KEEP_ALL)
    with pytest.raises(ConfigError, match="'numbers' must be"):
        nltk_tokenizer(numbers="all")  # type: ignore[arg-type]


def test_agrees_with_treebank_on_plain_words() -> None:
    # On text without compounds, numbers or abbreviations, the word tokens agree
    # with NLTK's Treebank tokenizer (punctuation aside).
    text = seed_text("004")
    plain = " ".join(w for w in text.split() if w.isalpha())
    treebank = [t.lower() for t in TreebankWordTokenizer().tokenize(plain)]
    assert tokenize(plain, config=KEEP_ALL) == treebank


# --------------------------------------------------------------------------- properties

CONFIGS = [None, KEEP_ALL, TokenizerConfig(stem="porter", numbers="keep")]


@settings(max_examples=300, deadline=None)
@given(text=st.text(), which=st.integers(min_value=0, max_value=len(CONFIGS) - 1))
def test_never_crashes_and_tokens_clean(text: str, which: int) -> None:
    tokens = tokenize(text, config=CONFIGS[which])
    assert isinstance(tokens, list)
    for token in tokens:
        assert token
        assert not any(c.isspace() for c in token)


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_retokenizing_tokens_is_stable(text: str) -> None:
    tokens = tokenize(text, config=KEEP_ALL)
    assert tokenize(" ".join(tokens), config=KEEP_ALL) == tokens


def _greedy(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The same pattern with its possessive repeats made plain greedy ones."""
    source = pattern.pattern.replace("++", "+").replace("*+", "*").replace("}+", "}")
    assert source != pattern.pattern  # the pattern does use possessive repeats
    return re.compile(source)


TOKEN_PATTERNS = [
    _token_regex(numbers, min_length, breaks)
    for numbers in ("drop", "keep")
    for min_length in (1, 2, 4)
    for breaks in (False, True)
]


@pytest.mark.skipif(sys.version_info < (3, 11), reason="possessive repeats need Python 3.11")
@settings(max_examples=300, deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from("aZé1 -'’.$€,%_\t\nUSs"), max_size=80),
    which=st.integers(min_value=0, max_value=len(TOKEN_PATTERNS) - 1),
)
def test_possessive_repeats_change_no_match(text: str, which: int) -> None:
    # The token pattern uses possessive repeats for speed (Python >= 3.11) and
    # plain greedy ones before; both must find exactly the same tokens.
    pattern = TOKEN_PATTERNS[which]
    assert pattern.findall(text) == _greedy(pattern).findall(text)


@pytest.mark.skipif(sys.version_info < (3, 11), reason="possessive repeats need Python 3.11")
def test_possessive_repeats_change_no_match_on_the_seeds() -> None:
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8").lower()
        for pattern in TOKEN_PATTERNS:
            assert pattern.findall(text) == _greedy(pattern).findall(text), path.name


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=st.sampled_from("aé_1 $€£¥₩²"), max_size=40))
def test_prefixed_amount_check_agrees_with_a_regex_search(text: str) -> None:
    # tokenize finds "US$354"-style amounts by str.find on each sign; the plain
    # regex search over the whole text is the reference
    expected = re.search(r"(?<=[^\W\d_])[$€£¥₩]\d", text) is not None
    assert _has_prefixed_amount(text) == expected


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(alphabet=st.characters(max_codepoint=127), max_size=80),
    which=st.integers(min_value=0, max_value=len(TOKEN_PATTERNS) - 1),
)
def test_ascii_pattern_finds_the_same_tokens_in_ascii_text(text: str, which: int) -> None:
    # tokenize compiles its pattern with re.ASCII for ASCII-only text, for speed
    pattern = TOKEN_PATTERNS[which]
    ascii_pattern = re.compile(pattern.pattern, re.ASCII)
    assert ascii_pattern.findall(text) == pattern.findall(text)


def test_ascii_and_unicode_texts_tokenize_alike() -> None:
    # one non-ASCII character sends the same words through the Unicode pattern
    ascii_text = seed_text("003").encode("ascii", "ignore").decode("ascii")
    unicode_text = ascii_text + " é"
    assert ascii_text.isascii() and not unicode_text.isascii()
    assert tokenize(unicode_text) == tokenize(ascii_text)  # "é" is shorter than min_length
    assert tokenize(unicode_text, config=KEEP_ALL) == [*tokenize(ascii_text, config=KEEP_ALL), "é"]
