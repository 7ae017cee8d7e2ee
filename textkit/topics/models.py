"""LDA and NMF fits on a topic corpus, and the topic shares of units under a fitted model."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from gensim.models import LdaModel
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import TfidfVectorizer

from textkit.errors import ConfigError, TextkitError, shorten
from textkit.topics.vocabulary import TopicCorpus, _check_int


# --------------------------------------------------------------------------- configs
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
    >>> from textkit.topics import VocabularyConfig, prepare_topic_corpus
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
    >>> from textkit.topics import VocabularyConfig, prepare_topic_corpus
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
    >>> from textkit.topics import VocabularyConfig, prepare_topic_corpus, sample_topic_corpus
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
