"""Topic coherence (gensim c_v and c_npmi) over a grid of k, and the rule that chooses k."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from gensim.models import CoherenceModel
from tqdm.auto import tqdm

from textkit.errors import ConfigError, TextkitError
from textkit.topics.models import LdaConfig, NmfConfig, TopicModel, fit_lda, fit_nmf
from textkit.topics.vocabulary import TopicCorpus, _check_int

logger = logging.getLogger(__name__)


COHERENCE_MEASURES: tuple[str, ...] = ("c_v", "c_npmi")
"""Coherence measures computed by default (gensim names)."""

K_CHOICE_RULE = (
    "k is the number of topics whose LDA model has the highest mean {measure} coherence; "
    "a NaN coherence never wins; ties go to the smaller k; if every {measure} is NaN the "
    "same rule is applied to {fallback}"
)
"""The rule :func:`choose_k` applies, as a sentence for a methods section."""


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
    >>> from textkit.topics import VocabularyConfig, prepare_topic_corpus
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
    >>> from textkit.topics import VocabularyConfig, prepare_topic_corpus
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
