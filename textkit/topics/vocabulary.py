"""The units as the models see them: a filtered vocabulary, bag-of-words and a seeded sample."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from gensim.corpora import Dictionary

from textkit.errors import ConfigError, TextkitError, shorten
from textkit.segment import sample_positions

logger = logging.getLogger(__name__)


# --------------------------------------------------------------------------- configs


def _check_int(name: str, value: object, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        kind = "a positive int" if minimum == 1 else f"an int >= {minimum}"
        raise ConfigError(f"{name!r} must be {kind} (got {shorten(value)})")


def _check_fraction(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1:
        raise ConfigError(f"{name!r} must be a number in (0, 1] (got {shorten(value)})")


@dataclass(frozen=True)
class VocabularyConfig:
    """Which terms enter the topic models.

    Parameters
    ----------
    no_below : int
        Keep terms that occur in at least this many units (passages).
    no_above : float
        Drop terms that occur in more than this fraction of units.
    keep_n : int or None
        Keep at most this many of the most frequent remaining terms.

    Examples
    --------
    >>> VocabularyConfig(no_below=1).no_above
    0.5
    >>> VocabularyConfig(no_below=0)
    Traceback (most recent call last):
    ...
    textkit.errors.ConfigError: 'no_below' must be a positive int (got 0)
    """

    no_below: int = 2
    no_above: float = 0.5
    keep_n: int | None = None

    def __post_init__(self) -> None:
        _check_int("no_below", self.no_below, 1)
        _check_fraction("no_above", self.no_above)
        if self.keep_n is not None:
            _check_int("keep_n", self.keep_n, 1)


# --------------------------------------------------------------------------- corpus


@dataclass(frozen=True, eq=False)
class TopicCorpus:
    """The texts every topic model and every coherence score of a study share.

    Build it with :func:`prepare_topic_corpus`.

    Attributes
    ----------
    ids : tuple of str
        One id per unit (e.g. passage ``unit_id``), in order.
    texts : tuple of tuple of str
        The token lists restricted to the vocabulary: exactly what the models see
        and what coherence is computed on.
    dictionary : gensim.corpora.Dictionary
        The vocabulary.
    bow : tuple
        Bag-of-words of each text.
    """

    ids: tuple[str, ...]
    texts: tuple[tuple[str, ...], ...]
    dictionary: Dictionary
    bow: tuple[list[tuple[int, int]], ...]

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def terms(self) -> list[str]:
        """Vocabulary terms in id order."""
        return [self.dictionary[i] for i in range(len(self.dictionary))]


def prepare_topic_corpus(
    token_lists: Iterable[Sequence[str]],
    *,
    ids: Sequence[str] | None = None,
    config: VocabularyConfig | None = None,
) -> TopicCorpus:
    """Build the vocabulary and the filtered texts the topic models are fitted on.

    Parameters
    ----------
    token_lists : iterable of sequences of str
        One token list per unit (already normalised, e.g. by ``textkit.features.Analyzer``).
    ids : sequence of str, optional
        Unit ids (default ``"0"``, ``"1"``, ...).
    config : VocabularyConfig, optional
        Frequency filters (default ``VocabularyConfig()``).

    Returns
    -------
    TopicCorpus

    Raises
    ------
    TextkitError
        If ``ids`` has the wrong length or fewer than two terms survive the filters.

    Examples
    --------
    >>> tc = prepare_topic_corpus([["peace", "aid"], ["peace", "trade"], ["trade", "aid"]],
    ...                           config=VocabularyConfig(no_below=2, no_above=1.0))
    >>> sorted(tc.terms), tc.texts[0]
    (['aid', 'peace', 'trade'], ('peace', 'aid'))
    """
    config = config or VocabularyConfig()
    lists = [list(tokens) for tokens in token_lists]
    if ids is None:
        ids = [str(i) for i in range(len(lists))]
    if len(ids) != len(lists):
        raise TextkitError(
            f"'ids' has {len(ids)} entries but there are {len(lists)} token lists; "
            "pass one id per token list"
        )
    dictionary = Dictionary(lists)
    dictionary.filter_extremes(
        no_below=config.no_below, no_above=config.no_above, keep_n=config.keep_n
    )
    if len(dictionary) < 2:
        raise TextkitError(
            f"only {len(dictionary)} term(s) left after filtering {len(lists)} texts with "
            f"no_below={config.no_below}, no_above={config.no_above}; "
            "try a lower no_below or a higher no_above"
        )
    vocab = dictionary.token2id
    texts = tuple(tuple(t for t in tokens if t in vocab) for tokens in lists)
    bow = tuple(dictionary.doc2bow(list(text)) for text in texts)
    logger.info("topic corpus: %d units, %d terms", len(texts), len(dictionary))
    return TopicCorpus(ids=tuple(str(i) for i in ids), texts=texts, dictionary=dictionary, bow=bow)


def sample_topic_corpus(
    tc: TopicCorpus, *, max_passages: int | None, random_state: int = 42
) -> TopicCorpus:
    """At most ``max_passages`` units of a topic corpus, drawn with a seed, in their order.

    On a large corpus the slow steps of a study -- the k grid of LDA fits with their
    coherence scores (:func:`coherence_grid`), the chosen model, its seed refits
    (:func:`refit_seeds`) and NMF -- are fitted on this sample; the topic shares of
    every unit then come from :func:`infer_topics`.  The sample keeps ``tc``'s
    vocabulary (built on all units), so its terms and bag-of-words ids are those of
    the full corpus.  The units are drawn by :func:`textkit.segment.sample_positions`,
    the sampler of every ``max_passages`` cap (also ``04-similarity``'s).

    Parameters
    ----------
    tc : TopicCorpus
        All units, from :func:`prepare_topic_corpus`.
    max_passages : int or None
        The cap (at least 3).  ``None``, or a cap of at least ``len(tc)``, returns
        ``tc`` itself, unchanged.
    random_state : int
        Seed of the draw; the same seed gives the same sample.

    Returns
    -------
    TopicCorpus
        ``tc`` or a new corpus of ``max_passages`` units, in ``tc``'s order.

    Raises
    ------
    ConfigError
        If ``max_passages`` is not None and not an int of at least 3.

    Examples
    --------
    >>> tc = prepare_topic_corpus([["a", "b"], ["b", "c"], ["a", "c"], ["a", "b"], ["c", "b"]],
    ...                           ids=["p0", "p1", "p2", "p3", "p4"],
    ...                           config=VocabularyConfig(no_below=1, no_above=1.0))
    >>> sample = sample_topic_corpus(tc, max_passages=3, random_state=1)
    >>> sample.ids, sample.texts[0], sample.terms == tc.terms
    (('p1', 'p2', 'p3'), ('b', 'c'), True)
    >>> sample_topic_corpus(tc, max_passages=None) is tc
    True
    >>> sample_topic_corpus(tc, max_passages=0)
    Traceback (most recent call last):
    ...
    textkit.errors.ConfigError: 'max_passages' must be an int of at least 3 or None (got 0); \
set it to None to keep every passage, or to a larger number
    """
    chosen = sample_positions(len(tc), max_units=max_passages, random_state=random_state)
    if len(chosen) == len(tc):
        return tc
    logger.info("topic corpus sampled: %d of %d units", len(chosen), len(tc))
    return TopicCorpus(
        ids=tuple(tc.ids[i] for i in chosen),
        texts=tuple(tc.texts[i] for i in chosen),
        dictionary=tc.dictionary,
        bow=tuple(tc.bow[i] for i in chosen),
    )
