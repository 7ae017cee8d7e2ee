"""Topic models a reviewer can trust: LDA, a k grid by coherence, stability, NMF.

Every function here is pure and works on token lists (one list of terms per
modelling unit, usually a passage from :func:`textkit.segment.segment`), so the
module depends on nothing else in textkit but the sampler
:func:`textkit.segment.sample_positions`.  The flow used by
``notebooks/02-topics.ipynb`` is

1. :func:`prepare_topic_corpus` -- token lists -> :class:`TopicCorpus` (the
   vocabulary, bag-of-words and the filtered texts the models see);
   on a large corpus, :func:`sample_topic_corpus` draws the seeded sample of at
   most ``max_passages`` units that steps 2 and 3 are fitted on;
2. :func:`coherence_grid` -- fit gensim ``LdaModel`` (and scikit-learn ``NMF``)
   for every k of a grid and score each fit with gensim ``CoherenceModel``
   (``c_v`` and ``c_npmi``) on the same texts; :func:`choose_k` applies the
   stated rule :data:`K_CHOICE_RULE`;
3. :func:`refit_seeds` and :func:`topic_stability` -- refit the chosen k with
   several seeds, align topics by Hungarian matching
   (:func:`align_topics`) and report a per-topic stability score;
4. :func:`infer_topics` -- the topic shares of every unit under a model fitted
   on a sample;
5. :func:`top_terms`, :func:`document_topic_shares`,
   :func:`topic_shares_by_year` and :func:`representative_passages` -- the
   labelled tables the figures and the explorer draw.

Topics are numbered from 1 in every table.  Randomness enters only through the
``random_state`` of the configs and the ``random_state`` of the bootstrap.
"""

from __future__ import annotations

import logging
import textwrap
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from gensim.corpora import Dictionary
from gensim.models import CoherenceModel, LdaModel
from scipy.optimize import linear_sum_assignment
from scipy.spatial.distance import jensenshannon
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import TfidfVectorizer
from tqdm.auto import tqdm

from textkit.errors import ConfigError, TextkitError, shorten
from textkit.segment import sample_positions

__all__ = [
    "COHERENCE_MEASURES",
    "K_CHOICE_RULE",
    "LdaConfig",
    "NmfConfig",
    "TopicCorpus",
    "TopicModel",
    "VocabularyConfig",
    "YearlyTopicShares",
    "align_topics",
    "choose_k",
    "coherence_grid",
    "document_topic_shares",
    "fit_lda",
    "fit_nmf",
    "infer_topics",
    "prepare_topic_corpus",
    "refit_seeds",
    "representative_passages",
    "sample_topic_corpus",
    "top_terms",
    "topic_coherence",
    "topic_shares_by_year",
    "topic_similarity",
    "topic_stability",
]

logger = logging.getLogger(__name__)

COHERENCE_MEASURES: tuple[str, ...] = ("c_v", "c_npmi")
"""Coherence measures computed by default (gensim names)."""

K_CHOICE_RULE = (
    "k is the number of topics whose LDA model has the highest mean {measure} coherence; "
    "a NaN coherence never wins; ties go to the smaller k; if every {measure} is NaN the "
    "same rule is applied to {fallback}"
)
"""The rule :func:`choose_k` applies, as a sentence for a methods section."""

Metric = Literal["cosine", "jensen-shannon"]


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


@dataclass(frozen=True)
class LdaConfig:
    """Settings of a gensim ``LdaModel`` fit (always single process).

    Parameters
    ----------
    n_topics : int
        Number of topics k.
    passes : int
        Passes over the corpus during training.
    iterations : int
        Maximum E-step iterations per document.
    alpha, eta : str or float
        Dirichlet priors as gensim takes them (``"symmetric"``, ``"auto"``, a float).
    chunksize : int
        Documents per training chunk.
    random_state : int
        Seed; two fits with the same config give identical topics.

    Examples
    --------
    >>> LdaConfig(n_topics=4, random_state=1).passes
    10
    >>> LdaConfig(n_topics=1)
    Traceback (most recent call last):
    ...
    textkit.errors.ConfigError: 'n_topics' must be an int >= 2 (got 1)
    """

    n_topics: int = 5
    passes: int = 10
    iterations: int = 100
    alpha: str | float = "symmetric"
    eta: str | float | None = None
    chunksize: int = 2000
    random_state: int = 42

    def __post_init__(self) -> None:
        _check_int("n_topics", self.n_topics, 2)
        _check_int("passes", self.passes, 1)
        _check_int("iterations", self.iterations, 1)
        _check_int("chunksize", self.chunksize, 1)
        _check_int("random_state", self.random_state, 0)
        _check_prior("alpha", self.alpha, ("symmetric", "asymmetric", "auto"))
        if self.eta is not None:
            _check_prior("eta", self.eta, ("symmetric", "auto"))


def _check_prior(name: str, value: object, names: tuple[str, ...]) -> None:
    if isinstance(value, str) and value in names:
        return
    if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
        return
    raise ConfigError(
        f"{name!r} must be one of {names} or a positive number (got {shorten(value)})"
    )


@dataclass(frozen=True)
class NmfConfig:
    """Settings of a scikit-learn ``NMF`` fit on TF-IDF weights.

    Parameters
    ----------
    n_topics : int
        Number of topics k.
    init : str
        Initialisation passed to ``NMF`` (``"nndsvd"`` is deterministic).
    max_iter : int
        Maximum iterations of the solver.
    sublinear_tf : bool
        Use ``1 + log(tf)`` in the TF-IDF weights.
    random_state : int
        Seed passed to ``NMF``.

    Examples
    --------
    >>> NmfConfig(n_topics=3).init
    'nndsvd'
    >>> NmfConfig(init="svd")
    Traceback (most recent call last):
    ...
    textkit.errors.ConfigError: 'init' must be one of ...
    """

    n_topics: int = 5
    init: str = "nndsvd"
    max_iter: int = 500
    sublinear_tf: bool = True
    random_state: int = 42

    def __post_init__(self) -> None:
        _check_int("n_topics", self.n_topics, 2)
        _check_int("max_iter", self.max_iter, 1)
        _check_int("random_state", self.random_state, 0)
        inits = ("nndsvd", "nndsvda", "nndsvdar", "random")
        if self.init not in inits:
            raise ConfigError(f"'init' must be one of {inits} (got {shorten(self.init)})")


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


# --------------------------------------------------------------------------- models


@dataclass(frozen=True, eq=False)
class TopicModel:
    """A fitted topic model as labelled tables.

    Attributes
    ----------
    method : {"lda", "nmf"}
    topic_word : pandas.DataFrame
        Topics (index ``topic``, 1..k) x terms; each row sums to 1.
    doc_topic : pandas.DataFrame
        Units (index ``unit_id``) x topics (columns 1..k); each row sums to 1.
    config : LdaConfig or NmfConfig
    estimator : object
        The gensim ``LdaModel`` or scikit-learn ``NMF`` behind the tables.
    """

    method: Literal["lda", "nmf"]
    topic_word: pd.DataFrame
    doc_topic: pd.DataFrame
    config: LdaConfig | NmfConfig
    estimator: Any = field(repr=False)

    @property
    def n_topics(self) -> int:
        """Number of topics."""
        return int(self.topic_word.shape[0])

    def top_words(self, top_n: int = 10) -> list[list[str]]:
        """Top ``top_n`` terms of each topic, most probable first."""
        out = []
        for _, row in self.topic_word.iterrows():
            order = np.argsort(-row.to_numpy(), kind="stable")[:top_n]
            out.append([str(row.index[i]) for i in order])
        return out


def _labelled(
    topic_word: np.ndarray, doc_topic: np.ndarray, tc: TopicCorpus
) -> tuple[pd.DataFrame, pd.DataFrame]:
    topics = pd.RangeIndex(1, topic_word.shape[0] + 1, name="topic")
    tw = pd.DataFrame(topic_word, index=topics, columns=pd.Index(tc.terms, name="term"))
    dt = pd.DataFrame(doc_topic, index=pd.Index(tc.ids, name="unit_id"), columns=topics)
    return tw, dt


def fit_lda(tc: TopicCorpus, *, config: LdaConfig | None = None) -> TopicModel:
    """Fit a gensim ``LdaModel`` (single process, fixed ``random_state``).

    Unit-topic shares are inferred once, right after training, so they do not
    depend on later calls.

    Parameters
    ----------
    tc : TopicCorpus
    config : LdaConfig, optional

    Returns
    -------
    TopicModel

    Examples
    --------
    >>> tc = prepare_topic_corpus([["a", "b", "a"], ["c", "d", "c"], ["a", "b"], ["c", "d"]],
    ...                           config=VocabularyConfig(no_below=1, no_above=1.0))
    >>> m = fit_lda(tc, config=LdaConfig(n_topics=2, random_state=0))
    >>> m.topic_word.shape, m.doc_topic.sum(axis=1).round(6).tolist()
    ((2, 4), [1.0, 1.0, 1.0, 1.0])
    """
    config = config or LdaConfig()
    model = LdaModel(
        corpus=list(tc.bow),
        id2word=tc.dictionary,
        num_topics=config.n_topics,
        passes=config.passes,
        iterations=config.iterations,
        alpha=config.alpha,
        eta=config.eta,
        chunksize=config.chunksize,
        random_state=config.random_state,
        eval_every=None,
    )
    gamma, _ = model.inference(list(tc.bow))
    gamma = np.asarray(gamma, dtype=np.float64)
    doc_topic = gamma / gamma.sum(axis=1, keepdims=True)
    tw, dt = _labelled(np.asarray(model.get_topics(), dtype=np.float64), doc_topic, tc)
    return TopicModel("lda", tw, dt, config, model)


def _identity(tokens: Sequence[str]) -> Sequence[str]:
    return tokens


def fit_nmf(tc: TopicCorpus, *, config: NmfConfig | None = None) -> TopicModel:
    """Fit scikit-learn ``NMF`` on TF-IDF weights of the same texts and vocabulary.

    Topic-word rows and unit-topic rows are rescaled to sum to 1 so they read
    like LDA's; a unit with no weight at all gets equal shares ``1/k``.

    Parameters
    ----------
    tc : TopicCorpus
    config : NmfConfig, optional

    Returns
    -------
    TopicModel

    Examples
    --------
    >>> tc = prepare_topic_corpus([["a", "b", "a"], ["c", "d", "c"], ["a", "b"], ["c", "d"]],
    ...                           config=VocabularyConfig(no_below=1, no_above=1.0))
    >>> m = fit_nmf(tc, config=NmfConfig(n_topics=2))
    >>> sorted(sorted(t) for t in m.top_words(2))
    [['a', 'b'], ['c', 'd']]
    """
    config = config or NmfConfig()
    vectorizer = TfidfVectorizer(
        analyzer=_identity, vocabulary=tc.terms, sublinear_tf=config.sublinear_tf
    )
    weights = vectorizer.fit_transform([list(t) for t in tc.texts])
    nmf = NMF(
        n_components=config.n_topics,
        init=config.init,
        max_iter=config.max_iter,
        random_state=config.random_state,
    )
    w = nmf.fit_transform(weights)
    h = nmf.components_
    h_sum = h.sum(axis=1, keepdims=True)
    topic_word = np.divide(h, h_sum, out=np.full_like(h, 1.0 / h.shape[1]), where=h_sum > 0)
    w_sum = w.sum(axis=1, keepdims=True)
    doc_topic = np.divide(w, w_sum, out=np.full_like(w, 1.0 / w.shape[1]), where=w_sum > 0)
    tw, dt = _labelled(topic_word, doc_topic, tc)
    return TopicModel("nmf", tw, dt, config, nmf)


def infer_topics(model: TopicModel, tc: TopicCorpus) -> pd.DataFrame:
    """Topic shares of every unit of ``tc`` under a fitted LDA model.

    With a ``max_passages`` cap the model is fitted on a sample
    (:func:`sample_topic_corpus`); this gives the shares of all units, sampled or
    not, by gensim's variational inference with the model's topics held fixed.
    The inference starts from a generator seeded with the model's
    ``random_state`` on every call, so it does not depend on earlier calls and
    leaves the model unchanged.  A unit of the sample gets about, not bit for bit,
    the shares it has in ``model.doc_topic``; use one or the other for all units.

    Parameters
    ----------
    model : TopicModel
        An LDA model from :func:`fit_lda` (NMF is not supported).
    tc : TopicCorpus
        The units, with the vocabulary the model was fitted on (the full corpus
        that the sample was drawn from).

    Returns
    -------
    pandas.DataFrame
        Units (index ``unit_id``, ``tc``'s order) x topics (columns 1..k); each row
        sums to 1.

    Raises
    ------
    TextkitError
        If ``model`` is not an LDA model, or ``tc`` has another vocabulary.

    Examples
    --------
    >>> docs = [["a", "b", "a"], ["c", "d", "c"], ["a", "b"], ["c", "d"], ["a", "a"], ["d", "c"]]
    >>> tc = prepare_topic_corpus(docs, config=VocabularyConfig(no_below=1, no_above=1.0))
    >>> sample = sample_topic_corpus(tc, max_passages=4, random_state=0)
    >>> m = fit_lda(sample, config=LdaConfig(n_topics=2, random_state=0))
    >>> shares = infer_topics(m, tc)
    >>> shares.shape, shares.sum(axis=1).round(6).tolist()
    ((6, 2), [1.0, 1.0, 1.0, 1.0, 1.0, 1.0])
    >>> shares.equals(infer_topics(m, tc))
    True
    """
    if not isinstance(model, TopicModel) or model.method != "lda":
        method = model.method if isinstance(model, TopicModel) else type(model).__name__
        raise TextkitError(
            f"infer_topics needs an LDA model from fit_lda (got {method!r}); "
            "for NMF, fit the model on all units"
        )
    if list(model.topic_word.columns) != tc.terms:
        raise TextkitError(
            f"the topic corpus has {len(tc.terms)} terms but the model was fitted on "
            f"{model.topic_word.shape[1]} other ones; pass the corpus the sample was drawn "
            "from (sample_topic_corpus keeps its vocabulary)"
        )
    lda = model.estimator
    saved = lda.random_state
    lda.random_state = np.random.RandomState(model.config.random_state)
    try:
        gamma, _ = lda.inference(list(tc.bow))
    finally:
        lda.random_state = saved
    gamma = np.asarray(gamma, dtype=np.float64)
    doc_topic = gamma / gamma.sum(axis=1, keepdims=True)
    topics = pd.RangeIndex(1, doc_topic.shape[1] + 1, name="topic")
    return pd.DataFrame(doc_topic, index=pd.Index(tc.ids, name="unit_id"), columns=topics)


# --------------------------------------------------------------------------- coherence


def topic_coherence(
    model: TopicModel | Sequence[Sequence[str]],
    tc: TopicCorpus,
    *,
    measure: str = "c_v",
    top_n: int = 10,
) -> pd.Series:
    """Coherence of each topic with gensim ``CoherenceModel`` on the model's own texts.

    Parameters
    ----------
    model : TopicModel or sequence of term lists
        The topics (their ``top_n`` terms are scored).
    tc : TopicCorpus
        The texts the model was fitted on.
    measure : str
        A gensim coherence name (``"c_v"``, ``"c_npmi"``, ``"c_uci"``, ``"u_mass"``).
    top_n : int
        Terms per topic.

    Returns
    -------
    pandas.Series
        Coherence per topic (index ``topic`` 1..k, name ``measure``); the model's
        coherence is in ``.attrs["model"]``, gensim's aggregate of these values
        (NaN if any topic is NaN -- NaN is kept, never dropped).

    Examples
    --------
    >>> tc = prepare_topic_corpus([["a", "b"], ["a", "b", "c"], ["c", "d"], ["c", "d", "a"]],
    ...                           config=VocabularyConfig(no_below=1, no_above=1.0))
    >>> s = topic_coherence([["a", "b"], ["c", "d"]], tc, measure="u_mass", top_n=2)
    >>> s.round(4).tolist(), round(s.attrs["model"], 4)  # log(2/3): "b" in 2 of the 3 "a" texts
    ([-0.4055, -0.4055], -0.4055)
    """
    _check_int("top_n", top_n, 2)
    topics = model.top_words(top_n) if isinstance(model, TopicModel) else model
    topics = [list(t)[:top_n] for t in topics]
    cm = CoherenceModel(
        topics=topics,
        texts=[list(t) for t in tc.texts],
        dictionary=tc.dictionary,
        coherence=measure,
        topn=top_n,
        processes=1,
    )
    per_topic = cm.get_coherence_per_topic()
    values = pd.Series(
        np.asarray(per_topic, dtype=float),
        index=pd.RangeIndex(1, len(topics) + 1, name="topic"),
        name=measure,
    )
    values.attrs["model"] = float(cm.aggregate_measures(per_topic))
    return values


def coherence_grid(
    tc: TopicCorpus,
    *,
    k_values: Sequence[int],
    lda: LdaConfig | None = None,
    nmf: NmfConfig | None = None,
    with_nmf: bool = True,
    measures: Sequence[str] = COHERENCE_MEASURES,
    top_n: int = 10,
    progress: bool = True,
) -> pd.DataFrame:
    """Fit LDA (and NMF) for every k and score each fit with every coherence measure.

    Slow part of a study: one LDA fit per k (plus a cheap NMF fit) and one
    coherence pass per measure and model.

    Parameters
    ----------
    tc : TopicCorpus
    k_values : sequence of int
        The grid of k (each >= 2).
    lda, nmf : LdaConfig, NmfConfig, optional
        Settings except ``n_topics``, which the grid sets.
    with_nmf : bool
        Also fit NMF for the side-by-side comparison.
    measures : sequence of str
        gensim coherence measures.
    top_n : int
        Terms per topic scored.
    progress : bool
        Show a tqdm progress bar over the grid.

    Returns
    -------
    pandas.DataFrame
        Long table, one row per (method, k, measure): columns ``method``, ``k``,
        ``measure``, ``coherence`` (the model coherence, NaN kept) and
        ``nan_topics`` (topics whose coherence is NaN).

    Raises
    ------
    ConfigError
        If ``k_values`` is empty or holds a k < 2.

    Examples
    --------
    >>> docs = [["a", "b", "a"], ["c", "d", "c"], ["a", "b"], ["c", "d"], ["e", "f", "e"]]
    >>> tc = prepare_topic_corpus(docs, config=VocabularyConfig(no_below=1, no_above=1.0))
    >>> grid = coherence_grid(tc, k_values=[2, 3], measures=["u_mass"], top_n=2,
    ...                       progress=False)
    >>> grid[["method", "k", "measure"]].values.tolist()
    [['lda', 2, 'u_mass'], ['lda', 3, 'u_mass'], ['nmf', 2, 'u_mass'], ['nmf', 3, 'u_mass']]
    """
    ks = list(k_values)
    if not ks:
        raise ConfigError("'k_values' must hold at least one k (got [])")
    for k in ks:
        _check_int("k", k, 2)
    lda = lda or LdaConfig()
    nmf = nmf or NmfConfig()
    rows = []
    for k in tqdm(ks, desc="k grid", disable=not progress):
        models = [fit_lda(tc, config=_with_k(lda, k))]
        if with_nmf:
            models.append(fit_nmf(tc, config=_with_k(nmf, k)))
        for model in models:
            for measure in measures:
                per_topic = topic_coherence(model, tc, measure=measure, top_n=top_n)
                rows.append(
                    {
                        "method": model.method,
                        "k": k,
                        "measure": measure,
                        "coherence": per_topic.attrs["model"],
                        "nan_topics": int(per_topic.isna().sum()),
                    }
                )
    grid = pd.DataFrame(rows, columns=["method", "k", "measure", "coherence", "nan_topics"])
    n_nan = int(grid["coherence"].isna().sum())
    if n_nan:
        logger.warning("%d coherence value(s) in the k grid are NaN (kept as NaN)", n_nan)
    order = {m: i for i, m in enumerate(measures)}
    grid = grid.sort_values(
        ["method", "measure", "k"],
        key=lambda col: col.map(order) if col.name == "measure" else col,
        kind="stable",
    )
    return grid.reset_index(drop=True)


def _with_k(config: Any, k: int) -> Any:
    from dataclasses import replace

    return replace(config, n_topics=k)


def choose_k(
    grid: pd.DataFrame,
    *,
    measure: str = "c_v",
    fallback: str | None = "c_npmi",
    method: str = "lda",
) -> int:
    """Pick k from a :func:`coherence_grid` table by the rule :data:`K_CHOICE_RULE`.

    Parameters
    ----------
    grid : pandas.DataFrame
        Output of :func:`coherence_grid`.
    measure : str
        Measure to maximise.
    fallback : str or None
        Measure used when every ``measure`` value is NaN.
    method : str
        Which model's rows to use.

    Returns
    -------
    int

    Raises
    ------
    TextkitError
        If no row of ``method`` has a finite coherence for ``measure`` or ``fallback``.

    Examples
    --------
    >>> grid = pd.DataFrame({"method": "lda", "k": [2, 3, 4, 5],
    ...                      "measure": "c_v", "coherence": [0.4, float("nan"), 0.5, 0.5]})
    >>> choose_k(grid)
    4
    """
    rows = grid[grid["method"] == method]
    for name in (measure, fallback):
        if name is None:
            continue
        scores = rows[(rows["measure"] == name) & np.isfinite(rows["coherence"])]
        if len(scores):
            best = scores["coherence"].max()
            return int(scores.loc[scores["coherence"] == best, "k"].min())
        logger.warning("every %s coherence of %s is NaN; trying the fallback", name, method)
    raise TextkitError(
        f"no finite {measure!r} (or {fallback!r}) coherence for method {method!r} in the grid; "
        "the texts may be too short or too few -- use longer passages or a smaller k grid"
    )


# --------------------------------------------------------------------------- stability


def refit_seeds(
    tc: TopicCorpus,
    *,
    config: LdaConfig,
    seeds: Sequence[int],
    progress: bool = True,
) -> list[TopicModel]:
    """Refit the same LDA configuration once per seed (slow: one fit per seed).

    Parameters
    ----------
    tc : TopicCorpus
    config : LdaConfig
        The chosen model's settings; only ``random_state`` changes.
    seeds : sequence of int
    progress : bool
        Show a tqdm progress bar.

    Returns
    -------
    list of TopicModel

    Examples
    --------
    >>> tc = prepare_topic_corpus([["a", "b"], ["c", "d"], ["a", "b"], ["c", "d"]],
    ...                           config=VocabularyConfig(no_below=1, no_above=1.0))
    >>> runs = refit_seeds(tc, config=LdaConfig(n_topics=2), seeds=[1, 2], progress=False)
    >>> [m.config.random_state for m in runs]
    [1, 2]
    """
    from dataclasses import replace

    return [
        fit_lda(tc, config=replace(config, random_state=int(seed)))
        for seed in tqdm(list(seeds), desc="seed refits", disable=not progress)
    ]


def _topic_word(model: TopicModel | pd.DataFrame) -> pd.DataFrame:
    return model.topic_word if isinstance(model, TopicModel) else model


def topic_similarity(
    a: TopicModel | pd.DataFrame,
    b: TopicModel | pd.DataFrame,
    *,
    metric: Metric = "cosine",
) -> pd.DataFrame:
    """Similarity of every topic of ``a`` to every topic of ``b`` on topic-word vectors.

    Vocabularies are aligned by term (a term missing from one side has weight 0).

    Parameters
    ----------
    a, b : TopicModel or DataFrame (topics x terms)
    metric : {"cosine", "jensen-shannon"}
        Cosine similarity, or ``1 - `` Jensen-Shannon distance (base 2); both lie in
        [0, 1] for probability vectors and equal 1 for identical topics.

    Returns
    -------
    pandas.DataFrame
        Topics of ``a`` (index) x topics of ``b`` (columns).

    Examples
    --------
    >>> a = pd.DataFrame([[1.0, 0.0], [0.5, 0.5]], columns=["x", "y"])
    >>> topic_similarity(a, a).round(3).values.tolist()
    [[1.0, 0.707], [0.707, 1.0]]
    """
    ta, tb = _topic_word(a), _topic_word(b)
    terms = ta.columns.union(tb.columns, sort=False)
    xa = ta.reindex(columns=terms, fill_value=0.0).to_numpy(dtype=float)
    xb = tb.reindex(columns=terms, fill_value=0.0).to_numpy(dtype=float)
    if metric == "cosine":
        na = np.linalg.norm(xa, axis=1, keepdims=True)
        nb = np.linalg.norm(xb, axis=1, keepdims=True)
        sim = (xa / np.where(na > 0, na, 1.0)) @ (xb / np.where(nb > 0, nb, 1.0)).T
    elif metric == "jensen-shannon":
        sim = np.array([[1.0 - jensenshannon(p, q, base=2) for q in xb] for p in xa])
    else:
        raise ConfigError(f"'metric' must be 'cosine' or 'jensen-shannon' (got {shorten(metric)})")
    # rounded so that identical topics score exactly 1 despite floating-point error
    sim = np.clip(np.round(sim, 12), 0.0, 1.0)
    return pd.DataFrame(sim, index=ta.index.copy(), columns=tb.index.copy())


def align_topics(
    reference: TopicModel | pd.DataFrame,
    other: TopicModel | pd.DataFrame,
    *,
    metric: Metric = "cosine",
) -> pd.DataFrame:
    """Match each reference topic to one topic of another run (Hungarian matching).

    Uses :func:`scipy.optimize.linear_sum_assignment` to maximise the total
    similarity of a one-to-one matching.

    Parameters
    ----------
    reference, other : TopicModel or DataFrame (topics x terms)
    metric : {"cosine", "jensen-shannon"}

    Returns
    -------
    pandas.DataFrame
        Index ``topic`` (reference topics); columns ``matched_topic`` (topic of
        ``other``, <NA> if ``other`` has fewer topics) and ``similarity``.

    Examples
    --------
    >>> ref = pd.DataFrame([[0.9, 0.1, 0.0], [0.0, 0.2, 0.8]], index=[1, 2],
    ...                    columns=["x", "y", "z"])
    >>> align_topics(ref, ref.iloc[::-1].set_axis([1, 2]))["matched_topic"].tolist()
    [2, 1]
    """
    sim = topic_similarity(reference, other, metric=metric)
    rows, cols = linear_sum_assignment(sim.to_numpy(), maximize=True)
    matched = pd.Series(pd.NA, index=sim.index, dtype="Int64")
    similarity = pd.Series(np.nan, index=sim.index, dtype=float)
    matched.iloc[rows] = sim.columns[cols].to_numpy()
    similarity.iloc[rows] = sim.to_numpy()[rows, cols]
    out = pd.DataFrame({"matched_topic": matched, "similarity": similarity})
    out.index.name = "topic"
    return out


def topic_stability(
    reference: TopicModel | pd.DataFrame,
    runs: Sequence[TopicModel | pd.DataFrame],
    *,
    metric: Metric = "cosine",
    threshold: float = 0.8,
) -> pd.DataFrame:
    """Per-topic stability of a reference model across refits with other seeds.

    Each run is aligned to the reference with :func:`align_topics`; a topic's
    stability is the mean similarity of its matched topics over the runs.

    Parameters
    ----------
    reference : TopicModel or DataFrame (topics x terms)
    runs : sequence of TopicModel or DataFrame
        Refits (with seeds other than the reference's).
    metric : {"cosine", "jensen-shannon"}
    threshold : float
        Topics with stability >= ``threshold`` are flagged ``stable``.

    Returns
    -------
    pandas.DataFrame
        Index ``topic``; columns ``stability`` (mean), ``min_similarity``,
        ``n_runs``, ``stable`` and one ``run_<i>`` column of matched similarity per run.

    Raises
    ------
    TextkitError
        If ``runs`` is empty.

    Examples
    --------
    >>> ref = pd.DataFrame([[0.9, 0.1], [0.2, 0.8]], index=[1, 2], columns=["x", "y"])
    >>> topic_stability(ref, [ref, ref])[["stability", "stable"]].values.tolist()
    [[1.0, True], [1.0, True]]
    """
    _check_fraction("threshold", threshold)
    if not runs:
        raise TextkitError("'runs' is empty: refit the model with at least one other seed")
    sims = pd.DataFrame(
        {
            f"run_{i + 1}": align_topics(reference, run, metric=metric)["similarity"]
            for i, run in enumerate(runs)
        }
    )
    out = pd.DataFrame(
        {
            "stability": sims.mean(axis=1, skipna=False),
            "min_similarity": sims.min(axis=1, skipna=False),
            "n_runs": len(runs),
        }
    )
    out["stable"] = out["stability"] >= threshold
    out = pd.concat([out, sims], axis=1)
    out.index.name = "topic"
    return out


# --------------------------------------------------------------------------- tables


def top_terms(
    model: TopicModel,
    *,
    top_n: int = 10,
    display: Callable[[str], str] | None = None,
) -> pd.DataFrame:
    """Top terms of every topic with their weights.

    Parameters
    ----------
    model : TopicModel
    top_n : int
    display : callable, optional
        Maps a term to its readable label (e.g. ``Analyzer.display``); default: the term.

    Returns
    -------
    pandas.DataFrame
        Columns ``topic``, ``rank`` (1 = heaviest), ``term``, ``label``, ``weight``.

    Examples
    --------
    >>> tw = pd.DataFrame([[0.7, 0.3], [0.1, 0.9]], index=pd.Index([1, 2], name="topic"),
    ...                   columns=["secur", "peac"])
    >>> m = TopicModel("lda", tw, tw, LdaConfig(n_topics=2), None)
    >>> top_terms(m, top_n=1, display=str.upper)[["topic", "label", "weight"]].values.tolist()
    [[1, 'SECUR', 0.7], [2, 'PEAC', 0.9]]
    """
    _check_int("top_n", top_n, 1)
    display = display or str
    rows = []
    for topic, words in zip(model.topic_word.index, model.top_words(top_n), strict=True):
        for rank, term in enumerate(words, start=1):
            rows.append(
                {
                    "topic": int(topic),
                    "rank": rank,
                    "term": term,
                    "label": display(term),
                    "weight": float(model.topic_word.at[topic, term]),
                }
            )
    return pd.DataFrame(rows, columns=["topic", "rank", "term", "label", "weight"])


def _unit_table(unit_topics: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    units = units.set_index("unit_id") if "unit_id" in units.columns else units
    missing = unit_topics.index.difference(units.index)
    if len(missing):
        raise TextkitError(
            f"{len(missing)} unit id(s) of the topic shares are not in 'units' "
            f"(first: {shorten(missing[0])}); pass the segment() table the model was fitted on"
        )
    return units.loc[unit_topics.index]


def document_topic_shares(unit_topics: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """Mean topic shares of each document's passages.

    Parameters
    ----------
    unit_topics : pandas.DataFrame
        ``TopicModel.doc_topic`` (index ``unit_id``).
    units : pandas.DataFrame
        The segment table (columns ``unit_id``, ``doc_id``).

    Returns
    -------
    pandas.DataFrame
        Documents (index ``doc_id``, sorted) x topics; rows sum to 1.

    Examples
    --------
    >>> units = pd.DataFrame({"unit_id": ["a:0", "a:1", "b:0"], "doc_id": ["a", "a", "b"]})
    >>> shares = pd.DataFrame([[1.0, 0.0], [0.5, 0.5], [0.2, 0.8]],
    ...                       index=["a:0", "a:1", "b:0"], columns=[1, 2])
    >>> document_topic_shares(shares, units).values.tolist()
    [[0.75, 0.25], [0.2, 0.8]]
    """
    meta = _unit_table(unit_topics, units)
    out = unit_topics.groupby(meta["doc_id"].to_numpy()).mean().sort_index()
    out.index.name = "doc_id"
    out.columns.name = "topic"
    return out


@dataclass(frozen=True, eq=False)
class YearlyTopicShares:
    """Mean topic share per year with bootstrap intervals, and what was left out.

    Attributes
    ----------
    table : pandas.DataFrame
        Columns ``year``, ``topic``, ``share`` (mean over the year's passages),
        ``lower``, ``upper`` (percentile bootstrap interval), ``n_passages``, ``n_docs``.
    undated_doc_ids : tuple of str
        Documents without a year, left out of the table.
    n_undated_passages : int
    """

    table: pd.DataFrame
    undated_doc_ids: tuple[str, ...]
    n_undated_passages: int


def topic_shares_by_year(
    unit_topics: pd.DataFrame,
    units: pd.DataFrame,
    *,
    n_boot: int = 1000,
    level: float = 0.95,
    random_state: int = 42,
) -> YearlyTopicShares:
    """Mean topic share per year, with a percentile bootstrap over passages.

    Each year's passages are resampled with replacement ``n_boot`` times; the
    interval is the central ``level`` range of the resampled means.  A year with a
    single passage gets a zero-width interval.  Undated units (``year`` missing) are
    left out and listed in the result.

    Parameters
    ----------
    unit_topics : pandas.DataFrame
        ``TopicModel.doc_topic`` (index ``unit_id``).
    units : pandas.DataFrame
        The segment table (columns ``unit_id``, ``doc_id``, ``year``).
    n_boot : int
        Bootstrap resamples.
    level : float
        Interval coverage.
    random_state : int
        Seed of the bootstrap.

    Returns
    -------
    YearlyTopicShares

    Examples
    --------
    >>> units = pd.DataFrame({"unit_id": ["a:0", "a:1", "b:0"], "doc_id": ["a", "a", "b"],
    ...                       "year": pd.array([2001, 2001, None], dtype="Int64")})
    >>> shares = pd.DataFrame([[1.0, 0.0], [0.5, 0.5], [0.2, 0.8]],
    ...                       index=["a:0", "a:1", "b:0"], columns=[1, 2])
    >>> res = topic_shares_by_year(shares, units, n_boot=200)
    >>> res.table[["year", "topic", "share", "lower", "upper"]]
       year  topic  share  lower  upper
    0  2001      1   0.75    0.5    1.0
    1  2001      2   0.25    0.0    0.5
    >>> res.undated_doc_ids
    ('b',)
    """
    _check_int("n_boot", n_boot, 1)
    _check_fraction("level", level)
    meta = _unit_table(unit_topics, units)
    years = pd.array(meta["year"], dtype="Int64")
    dated = ~np.asarray(pd.isna(years))
    undated_ids = tuple(sorted(set(meta.loc[~dated, "doc_id"].astype(str))))
    if undated_ids:
        logger.info("left out %d undated document(s): %s", len(undated_ids), undated_ids)
    rng = np.random.default_rng(random_state)
    values = unit_topics.to_numpy(dtype=float)
    year_values = np.asarray(years[dated], dtype=int)
    rows = []
    alpha = (1.0 - level) / 2.0
    for year in np.unique(year_values):
        mask = np.flatnonzero(dated)[year_values == year]
        x = values[mask]
        idx = rng.integers(0, len(x), size=(n_boot, len(x)))
        boot = x[idx].mean(axis=1)
        lower = np.quantile(boot, alpha, axis=0)
        upper = np.quantile(boot, 1.0 - alpha, axis=0)
        n_docs = meta.iloc[mask]["doc_id"].nunique()
        for j, topic in enumerate(unit_topics.columns):
            rows.append(
                {
                    "year": int(year),
                    "topic": int(topic),
                    "share": float(x[:, j].mean()),
                    "lower": float(lower[j]),
                    "upper": float(upper[j]),
                    "n_passages": len(x),
                    "n_docs": int(n_docs),
                }
            )
    columns = ["year", "topic", "share", "lower", "upper", "n_passages", "n_docs"]
    table = pd.DataFrame(rows, columns=columns)
    return YearlyTopicShares(table, undated_ids, int((~dated).sum()))


def _shorten_text(text: str, width: int) -> str:
    return textwrap.shorten(" ".join(str(text).split()), width=width, placeholder=" …")


def representative_passages(
    unit_topics: pd.DataFrame,
    units: pd.DataFrame,
    *,
    top_n: int = 3,
    width: int = 240,
    labels: pd.Series | None = None,
) -> pd.DataFrame:
    """The passages with the highest share of each topic.

    Parameters
    ----------
    unit_topics : pandas.DataFrame
        ``TopicModel.doc_topic`` (index ``unit_id``).
    units : pandas.DataFrame
        The segment table (columns ``unit_id``, ``doc_id``, ``index``, ``text``).
    top_n : int
        Passages per topic.
    width : int
        Maximum characters of the shortened passage text.
    labels : pandas.Series, optional
        doc_id -> readable document label (e.g. ``Corpus.labels``); default the doc_id.

    Returns
    -------
    pandas.DataFrame
        Columns ``topic``, ``rank``, ``document``, ``doc_id``, ``passage`` (0-based
        index within the document), ``share``, ``text``.  Ties go to the earlier unit.

    Examples
    --------
    >>> units = pd.DataFrame({"unit_id": ["a:0", "a:1"], "doc_id": ["a", "a"],
    ...                       "index": [0, 1], "text": ["Peace talks.", "Trade   deal."]})
    >>> shares = pd.DataFrame([[0.9, 0.1], [0.3, 0.7]], index=["a:0", "a:1"], columns=[1, 2])
    >>> table = representative_passages(shares, units, top_n=1)
    >>> table[["topic", "passage", "text"]].values.tolist()
    [[1, 0, 'Peace talks.'], [2, 1, 'Trade deal.']]
    """
    _check_int("top_n", top_n, 1)
    _check_int("width", width, 20)
    meta = _unit_table(unit_topics, units)
    rows = []
    for topic in unit_topics.columns:
        order = np.argsort(-unit_topics[topic].to_numpy(), kind="stable")[:top_n]
        for rank, i in enumerate(order, start=1):
            unit = meta.iloc[i]
            doc_id = str(unit["doc_id"])
            label = doc_id
            if labels is not None and doc_id in labels.index:
                label = str(labels[doc_id])
            rows.append(
                {
                    "topic": int(topic),
                    "rank": rank,
                    "document": label,
                    "doc_id": doc_id,
                    "passage": int(unit["index"]),
                    "share": float(unit_topics.iloc[i][topic]),
                    "text": _shorten_text(unit["text"], width),
                }
            )
    columns = ["topic", "rank", "document", "doc_id", "passage", "share", "text"]
    return pd.DataFrame(rows, columns=columns)
