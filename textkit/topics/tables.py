"""Labelled tables for figures and the explorer: top terms, shares by document and year."""

from __future__ import annotations

import logging
import textwrap
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from textkit.errors import TextkitError, shorten
from textkit.topics.models import TopicModel
from textkit.topics.vocabulary import _check_fraction, _check_int

logger = logging.getLogger(__name__)


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
    >>> from textkit.topics import LdaConfig, TopicModel
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
