"""Tokenise cleaned text into lower-case terms, offline and fast.

One compiled regular expression (also available as an NLTK ``RegexpTokenizer``,
see :func:`nltk_tokenizer`) finds every token in a single pass over the text, in
this order of preference:

1. **numbers and currency** -- ``3,800,000``, ``5.2%``, ``US$354``, ``1990s``,
   ``181,000km2``: one token each, kept whole or dropped whole, never split;
2. **abbreviations** of single letters with periods -- ``U.S.`` → ``u.s.``,
   ``U.N.`` → ``u.n.`` (never the stopword ``us``);
3. **words**, hyphenated compounds (``Timor-Leste`` → ``timor-leste``) and
   contractions (``don't``) as one token; a possessive ``'s`` (straight or curly)
   is removed, ``Japan's`` → ``japan``.

Then stopwords and tokens shorter than ``min_length`` are dropped and, if asked,
the remaining words are stemmed with NLTK's Porter or Snowball stemmer; stems are
cached per word type, so stemming costs little more than not stemming.

No NLTK data is needed (nothing is downloaded): the tokenizer is a regular
expression and both stemmers are rule-based.  :func:`tokenize` expects text that
has already been through :func:`textkit.clean`; it copes with raw text too.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import filterfalse
from typing import TYPE_CHECKING, Literal

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from textkit.errors import ConfigError, shorten

if TYPE_CHECKING:
    from nltk.tokenize import RegexpTokenizer

__all__ = [
    "DEFAULT_STOPWORDS",
    "DOMAIN_STOPWORDS",
    "ENGLISH_STOPWORDS",
    "StemCache",
    "TokenizerConfig",
    "stem_function",
    "nltk_tokenizer",
    "token_segments",
    "tokenize",
]

#: scikit-learn's English stop list (318 words), unchanged.  Note that it lists a
#: few words that can carry meaning in policy texts ("system", "interest", "side",
#: "part"); remove them with ``DEFAULT_STOPWORDS - {"system", "interest"}`` if needed.
ENGLISH_STOPWORDS: frozenset[str] = frozenset(ENGLISH_STOP_WORDS)

#: Words frequent in official and journalistic prose about foreign policy that
#: carry no topic: reporting verbs ("said", "says", "stated"), modal and filler
#: words missing from scikit-learn's list ("shall", "including", "regarding"),
#: Latin abbreviations as the tokenizer writes them ("e.g.", "i.e.") and web
#: residue that survives cleaning ("www", "http", "https", "html", "pdf").
DOMAIN_STOPWORDS: frozenset[str] = frozenset(
    {
        "said", "says", "say", "stated",
        "shall", "including", "include", "includes", "regarding", "various",
        "mr", "ms", "dr", "st",
        "e.g.", "i.e.", "viz",
        "www", "http", "https", "html", "htm", "pdf", "com", "org",
    }
)  # fmt: skip

#: The default stop list: :data:`ENGLISH_STOPWORDS` plus :data:`DOMAIN_STOPWORDS`.
DEFAULT_STOPWORDS: frozenset[str] = ENGLISH_STOPWORDS | DOMAIN_STOPWORDS

_STEMMERS = ("porter", "snowball")
_NUMBERS = ("drop", "keep")

# ---------------------------------------------------------------------------
# The token pattern.  Underscores are replaced by spaces first (``_`` is reserved
# for joined phrases such as "human_security"), so ``\w`` is a letter or digit.
#
# Written for speed with Python's ``re`` (it is most of the cost of tokenize):
# every repeat is possessive (``++``, ``*+``; Python >= 3.11, plain greedy
# before), which saves the engine its backtracking bookkeeping and cannot change
# a match here -- no branch ever needs to give back what a repeat took, since
# each tail starts with a character that is not ``\w``.  A lookahead on the first
# character rejects a space or punctuation in one test instead of one per branch.
_P = "+" if sys.version_info >= (3, 11) else ""  # possessive repeats where supported
_L = r"[^\W\d]"  # a letter
_CURRENCY = "$€£¥₩"
_NUMBER_BODY = (
    rf"\d+{_P}(?:[.,]\d+)*{_P}"  # 3,800,000  5.2
    rf"(?:%|\w*{_P})"  # 5.2%  1990s  181,000km2
    rf"(?:-\w+)*{_P}"  # 2005-2007  21st-century
)
_NUMBER = rf"[{_CURRENCY}]?{_NUMBER_BODY}"  # $350  3,800,000
_AMOUNT = rf"[{_CURRENCY}]\d+{_P}(?:[.,]\d+)*{_P}%?"
# What may follow the letters of a word, in one loop (each branch starts with a
# literal or a class, which the engine tests before entering it): a hyphenated
# part (Timor-Leste), an apostrophe part that is not a possessive (don't; the
# "'s" of Japan's is left out, and the lone "s" after it is never a token), a
# currency amount after a prefix (US$354), the rest of an abbreviation after a
# single letter (U.S., U.N., e.g.).
_TAIL = rf"-\w+{_P}|'(?![sS]\b)\w+{_P}|{_AMOUNT}|\.(?<=\b{_L}\.)(?:{_L}\.)+{_P}"
_TOKEN_START = rf"(?=[\w{_CURRENCY}])"  # a token starts with a letter, digit or currency sign


def _word(min_length: int) -> str:
    # A word starts with a letter (a token starting with a digit is a number).
    # It has at least `min_length` characters, or fewer only with a tail
    # ("a-bomb", "u.s."): shorter plain words never match at all, which spares
    # a length test per token (exact for min_length <= 3).
    if min_length <= 1:
        return rf"{_L}\w*{_P}(?:{_TAIL})*{_P}"
    return (
        rf"{_L}(?:\w{{{min_length - 1},}}{_P}(?:{_TAIL})*{_P}"
        rf"|\w{{0,{min_length - 2}}}{_P}(?:{_TAIL})+{_P})"
    )


@functools.lru_cache(maxsize=64)
def _token_regex(
    numbers: str, min_length: int, breaks: bool = False, ascii_only: bool = False
) -> re.Pattern[str]:
    """The compiled token pattern.

    Words come first (most tokens are words, so most matches take the first
    branch).  With numbers="drop", numbers match outside the one group, so
    ``findall`` returns "" for them.  With ``breaks``, punctuation and line breaks
    also match, outside the group, and come back as "" (where a multi-word term
    cannot continue).  With ``ascii_only``, the same pattern is compiled with
    ``re.ASCII``: on a text of ASCII characters only it finds exactly the same
    tokens (``\\w``, ``\\d`` and ``\\b`` mean the same there) and runs about a fifth
    faster, so :func:`tokenize` uses it whenever ``text.isascii()``.
    """
    word = _word(min_length)
    if breaks:
        group = rf"({word}|{_NUMBER})" if numbers == "keep" else rf"({word})|{_NUMBER}"
        pattern = group + r"|[^\w \t]"
    elif numbers == "drop":
        pattern = rf"{_TOKEN_START}(?:({word})|{_NUMBER})"
    else:
        pattern = rf"{_TOKEN_START}(?:{word}|{_NUMBER})"
    return re.compile(pattern, re.ASCII if ascii_only else 0)


_PREFIXED_AMOUNT_AT = re.compile(rf"(?<=[^\W\d_])[{_CURRENCY}]\d")  # US$354, at the sign
_HAS_CURRENCY = re.compile(rf"[{_CURRENCY}]")


def _has_prefixed_amount(text: str) -> bool:
    """Whether ``text`` holds an amount with a letter prefix (``US$354``).

    Each currency sign is found with ``str.find`` (a fast scan in C) and tested
    where it stands; a regex search would try every position of the text.
    """
    for sign in _CURRENCY:
        at = text.find(sign)
        while at != -1:
            if _PREFIXED_AMOUNT_AT.match(text, at):
                return True
            at = text.find(sign, at + 1)
    return False


# Apostrophes and hyphens that cleaning normally straightens; tokenize() maps them
# itself when they occur (checked first: a membership test is far cheaper than a pass).
_FOLD = (("’", "'"), ("‘", "'"), ("ʼ", "'"), ("‐", "-"), ("‑", "-"))


@dataclass(frozen=True)
class TokenizerConfig:
    """Options of :func:`tokenize` (frozen and validated when built).

    Parameters
    ----------
    lowercase : bool, default True
        Fold case before tokenising.
    stopwords : iterable of str, default :data:`DEFAULT_STOPWORDS`
        Tokens to drop, compared after case folding and before stemming.  Pass
        ``ENGLISH_STOPWORDS`` for scikit-learn's list alone, ``()`` for none, or
        ``DEFAULT_STOPWORDS | {"japan"}`` to extend.  Stored as a frozenset.
    numbers : {"drop", "keep"}, default "drop"
        Drop numbers and amounts (``3,800,000``, ``US$354``, ``5.2%``, ``1990s``)
        whole, or keep each as one token.
    stem : {None, "porter", "snowball"}, default None
        Stem words with NLTK's Porter or Snowball (English) stemmer.  Numbers and
        abbreviations are never stemmed; a stem that would equal a stopword keeps
        the unstemmed word (``ones`` stays ``ones``, not the stopword ``one``).
    min_length : int, default 2
        Drop tokens shorter than this many characters (before stemming).

    Raises
    ------
    ConfigError
        If a value has the wrong type or is out of range.

    Examples
    --------
    >>> TokenizerConfig(stem="porter").stem
    'porter'
    >>> TokenizerConfig(min_length=0)
    Traceback (most recent call last):
    ...
    textkit.errors.ConfigError: 'min_length' must be a positive int (got 0)
    """

    lowercase: bool = True
    stopwords: frozenset[str] = field(default=DEFAULT_STOPWORDS)
    numbers: Literal["drop", "keep"] = "drop"
    stem: Literal["porter", "snowball"] | None = None
    min_length: int = 2

    def __post_init__(self) -> None:
        if not isinstance(self.lowercase, bool):
            raise ConfigError(f"'lowercase' must be a bool (got {shorten(self.lowercase)})")
        stopwords = self.stopwords
        if isinstance(stopwords, str) or not isinstance(stopwords, Iterable):
            raise ConfigError(
                "'stopwords' must be an iterable of str such as a set, not a single string "
                f"(got {shorten(stopwords)})"
            )
        stopwords = frozenset(stopwords)
        if not all(isinstance(w, str) for w in stopwords):
            bad = next(w for w in stopwords if not isinstance(w, str))
            raise ConfigError(f"'stopwords' must contain only str (got {shorten(bad)})")
        object.__setattr__(self, "stopwords", stopwords)
        if self.numbers not in _NUMBERS:
            raise ConfigError(f"'numbers' must be 'drop' or 'keep' (got {shorten(self.numbers)})")
        if self.stem is not None and self.stem not in _STEMMERS:
            raise ConfigError(
                f"'stem' must be None, 'porter' or 'snowball' (got {shorten(self.stem)})"
            )
        if (
            not isinstance(self.min_length, int)
            or isinstance(self.min_length, bool)
            or self.min_length < 1
        ):
            raise ConfigError(
                f"'min_length' must be a positive int (got {shorten(self.min_length)})"
            )

    def __repr__(self) -> str:
        # A readable repr: the stop list is summarised, not printed whole.
        if self.stopwords == DEFAULT_STOPWORDS:
            stop = "DEFAULT_STOPWORDS"
        elif self.stopwords == ENGLISH_STOPWORDS:
            stop = "ENGLISH_STOPWORDS"
        else:
            stop = f"<{len(self.stopwords)} words>"
        return (
            f"TokenizerConfig(lowercase={self.lowercase}, stopwords={stop}, "
            f"numbers={self.numbers!r}, stem={self.stem!r}, min_length={self.min_length})"
        )


def nltk_tokenizer(*, numbers: Literal["drop", "keep"] = "drop") -> RegexpTokenizer:
    """Return the token pattern of :func:`tokenize` as an NLTK ``RegexpTokenizer``.

    Use it where NLTK expects a tokenizer object.  It yields the same tokens as
    :func:`tokenize` before case folding and filtering (dropped numbers come back
    as ``""``).  :func:`tokenize` itself runs the pattern with Python's :mod:`re`:
    recent NLTK versions run a ``RegexpTokenizer`` pattern through ``nltk.redos``
    (the ``regex`` engine with a timeout, a guard against caller-supplied patterns
    that backtrack catastrophically), which made it about 3x slower here; this
    fixed pattern needs no such guard.

    Parameters
    ----------
    numbers : {"drop", "keep"}, default "drop"
        As in :class:`TokenizerConfig`.

    Returns
    -------
    nltk.tokenize.RegexpTokenizer

    Examples
    --------
    >>> nltk_tokenizer(numbers="keep").tokenize("Japan's ODA of US$354")
    ['Japan', 's', 'ODA', 'of', 'US$354']
    """
    if numbers not in _NUMBERS:
        raise ConfigError(f"'numbers' must be 'drop' or 'keep' (got {shorten(numbers)})")
    from nltk.tokenize import RegexpTokenizer  # here: importing nltk takes about a second

    return RegexpTokenizer(_token_regex(numbers, 1).pattern)


@functools.lru_cache(maxsize=2)
def _raw_stemmer(name: str) -> Callable[[str], str]:
    from nltk.stem import PorterStemmer, SnowballStemmer  # only when stemming is asked for

    if name == "porter":
        return PorterStemmer().stem
    return SnowballStemmer("english").stem


class StemCache(dict[str, str]):
    """A bounded ``word -> stem`` memo, filled on first use of each word type.

    Call it (or index it) with a word.  A miss stems the word; when the cache
    holds ``maxsize`` words it is emptied and refilled, so memory stays bounded.
    Looking up a cached stem is a plain dict lookup, which keeps stemming a
    large corpus close to free once its vocabulary has been seen.
    """

    def __init__(
        self, stemmer: Callable[[str], str], stopwords: frozenset[str], maxsize: int = 2**18
    ) -> None:
        super().__init__()
        self.stemmer = stemmer
        self.stopwords = stopwords
        self.maxsize = maxsize

    def __missing__(self, word: str) -> str:
        result = word
        if word[:1].isalpha() and "." not in word:
            stem = self.stemmer(word)
            if stem and stem not in self.stopwords:
                result = stem
        if len(self) >= self.maxsize:
            self.clear()
        self[word] = result
        return result

    def __call__(self, word: str) -> str:
        return self[word]


@functools.lru_cache(maxsize=16)
def stem_function(
    name: Literal["porter", "snowball"], stopwords: frozenset[str] = DEFAULT_STOPWORDS
) -> StemCache:
    """Return the shared, cached stemming function ``word -> stem`` of a stemmer.

    Stems are memoised per word type (a :class:`StemCache` of at most 2**18
    words).  Numbers and abbreviations (tokens that do not start with a letter or
    that contain a period) are returned unchanged, and so is a word whose stem
    would be one of ``stopwords``.

    Parameters
    ----------
    name : {"porter", "snowball"}
        The NLTK stemmer.
    stopwords : frozenset of str
        Stems never to produce (see above).

    Returns
    -------
    StemCache
        Callable ``str -> str``; the same object for the same arguments.

    Raises
    ------
    ConfigError
        If ``name`` is not a known stemmer.

    Examples
    --------
    >>> stem = stem_function("porter")
    >>> stem("security"), stem("u.s."), stem("ones")
    ('secur', 'u.s.', 'ones')
    """
    if name not in _STEMMERS:
        raise ConfigError(f"'stem' must be None, 'porter' or 'snowball' (got {shorten(name)})")
    return StemCache(_raw_stemmer(name), stopwords)


_DEFAULT_CONFIG = TokenizerConfig()


def tokenize(text: str, *, config: TokenizerConfig | None = None) -> list[str]:
    """Split ``text`` into terms: case-folded, without stopwords, optionally stemmed.

    Parameters
    ----------
    text : str
        Text to tokenise, normally the output of :func:`textkit.clean`.
    config : TokenizerConfig, optional
        Options; ``TokenizerConfig()`` by default (lower case, default stop list,
        numbers dropped, no stemming, tokens of at least 2 characters).

    Returns
    -------
    list of str
        Tokens in text order; never empty strings, never containing whitespace.

    Raises
    ------
    TypeError
        If ``text`` is not a str.

    Examples
    --------
    >>> tokenize("Japan's Self-Defense Forces joined the U.S. in Timor-Leste.")
    ['japan', 'self-defense', 'forces', 'joined', 'u.s.', 'timor-leste']
    >>> tokenize("Aid of US$354 (5.2%) per capita", config=TokenizerConfig(numbers="keep"))
    ['aid', 'us$354', '5.2%', 'capita']
    >>> tokenize("security and securities", config=TokenizerConfig(stem="porter"))
    ['secur', 'secur']
    """
    if not isinstance(text, str):
        raise TypeError(f"tokenize() expects a str (got {type(text).__name__})")
    cfg = _DEFAULT_CONFIG if config is None else config
    text = _prepare(text, cfg)
    n = cfg.min_length
    tokens = _token_regex(cfg.numbers, n, ascii_only=text.isascii()).findall(text)
    drop = _drop_set(cfg.stopwords)
    if cfg.numbers == "drop" and _has_prefixed_amount(text):
        # amounts with a prefix (US$354) come back as words: drop them whole
        drop = drop | {t for t in set(tokens) if _HAS_CURRENCY.search(t)}
    if cfg.numbers == "drop" and n <= 3:
        # the pattern already left out words shorter than n (see _word)
        tokens = list(filterfalse(drop.__contains__, tokens))
    else:
        tokens = [t for t in tokens if len(t) >= n and t not in drop]
    if cfg.stem is not None:
        tokens = list(map(stem_function(cfg.stem, cfg.stopwords).__getitem__, tokens))
    return tokens


@functools.lru_cache(maxsize=16)
def _drop_set(stopwords: frozenset[str]) -> frozenset[str]:
    # "" stands for a dropped number, "s" is what a possessive leaves.
    return stopwords | {"", "s"}


def _prepare(text: str, cfg: TokenizerConfig) -> str:
    if cfg.lowercase:
        text = text.lower()
    if "_" in text:
        text = text.replace("_", " ")
    for char, plain in _FOLD:
        if char in text:
            text = text.replace(char, plain)
    return text


def token_segments(
    text: str, *, config: TokenizerConfig | None = None, keep: frozenset[str] = frozenset()
) -> list[list[str]]:
    """Split ``text`` into runs of unstemmed tokens within which a phrase may form.

    A run ends at punctuation, a line break, a dropped number and every token
    :func:`tokenize` would drop (stopwords, short tokens), except the words in
    ``keep`` (connector words such as "of", kept so that "ministry of foreign
    affairs" can become one term).  Without ``keep``, concatenating the runs and
    stemming gives exactly ``tokenize(text, config=config)``.

    Parameters
    ----------
    text : str
        Text to tokenise (normally cleaned).
    config : TokenizerConfig, optional
        As in :func:`tokenize`; ``stem`` is not applied here.
    keep : frozenset of str
        Stopwords kept inside runs.

    Returns
    -------
    list of list of str
        Non-empty runs, in text order.

    Examples
    --------
    >>> token_segments("The Ministry of Foreign Affairs, in 2006, said: peace.",
    ...                keep=frozenset({"of"}))
    [['ministry', 'of', 'foreign', 'affairs'], ['peace']]
    """
    cfg = _DEFAULT_CONFIG if config is None else config
    text = _prepare(text, cfg)
    tokens = _token_regex(cfg.numbers, 1, breaks=True, ascii_only=text.isascii()).findall(text)
    stop = cfg.stopwords
    if cfg.numbers == "drop" and _has_prefixed_amount(text):
        stop = stop | {t for t in set(tokens) if _HAS_CURRENCY.search(t)}
    n = cfg.min_length
    segments: list[list[str]] = []
    current: list[str] = []
    for token in tokens:
        if token == "s":  # what a possessive leaves: neither a token nor a break
            continue
        if token in keep or (len(token) >= n and token and token not in stop):
            current.append(token)
        elif current:
            segments.append(current)
            current = []
    if current:
        segments.append(current)
    return segments
