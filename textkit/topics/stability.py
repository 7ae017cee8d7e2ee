"""Stability of topics across seeds: refits, topic similarity and Hungarian alignment."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment
from scipy.spatial.distance import jensenshannon
from tqdm.auto import tqdm

from textkit.errors import ConfigError, TextkitError, shorten
from textkit.topics.models import LdaConfig, TopicModel, fit_lda
from textkit.topics.vocabulary import TopicCorpus, _check_fraction

Metric = Literal["cosine", "jensen-shannon"]


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
    >>> from textkit.topics import LdaConfig, VocabularyConfig, prepare_topic_corpus
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
