"""Split documents into paragraphs, sentences or fixed-size passages, keeping metadata.

Topic models and clustering on a corpus as small as five documents need smaller
units: :func:`segment` turns a :class:`~textkit.corpus.Corpus` into a table of
units that carry their document's ``doc_id``, year and metadata, and
:func:`aggregate` brings per-unit results back to documents or years, and
:func:`sample_positions` draws the seeded sample of units that caps the slow
steps of the analyses on large corpora (``max_passages``).

Sentence splitting uses NLTK's Punkt algorithm with a built-in list of common
English abbreviations (``U.S.``, ``U.N.``, ``Mr.``, month names ...) and no
downloaded model, so it works offline.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from textkit.corpus import Corpus
from textkit.errors import ConfigError, TextkitError

if TYPE_CHECKING:
    from nltk.tokenize.punkt import PunktSentenceTokenizer

__all__ = [
    "ABBREVIATIONS",
    "aggregate",
    "sample_positions",
    "segment",
    "split_paragraphs",
    "split_passages",
    "split_sentences",
]

logger = logging.getLogger(__name__)

#: Abbreviations (lower case, without the final period) that never end a sentence.
ABBREVIATIONS: frozenset[str] = frozenset(
    """u.s u.n u.k e.u mr mrs ms dr prof gen col lt sen rep gov st no nos vol pp p ed eds
    e.g i.e etc vs cf al approx dept est fig inc ltd co corp jr sr fy
    jan feb mar apr jun jul aug sep sept oct nov dec""".split()
)

_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_NEWLINE = re.compile(r"\n+")

Unit = Literal["paragraph", "sentence", "passage"]


@lru_cache(maxsize=1)
def _sentence_tokenizer() -> PunktSentenceTokenizer:
    # imported here: importing nltk takes about a second, and most users of
    # textkit.segment (and of textkit) never split sentences
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

    params = PunktParameters()
    params.abbrev_types = set(ABBREVIATIONS)
    return PunktSentenceTokenizer(params)


def split_paragraphs(text: str) -> list[str]:
    """Split a text into paragraphs.

    Paragraphs are separated by blank lines.  A text without any blank line
    (one paragraph per line, as in many converted files) is split at line
    breaks instead.  Paragraphs are stripped; empty ones are dropped.

    Parameters
    ----------
    text : str
        A document, ideally already cleaned.

    Returns
    -------
    list of str

    Examples
    --------
    >>> split_paragraphs("First para\\nstill first.\\n\\nSecond.")
    ['First para\\nstill first.', 'Second.']
    >>> split_paragraphs("One.\\nTwo.")
    ['One.', 'Two.']
    """
    splitter = _BLANK_LINE if _BLANK_LINE.search(text) else _NEWLINE
    return [p.strip() for p in splitter.split(text) if p.strip()]


def split_sentences(text: str) -> list[str]:
    """Split a text into sentences, never across a paragraph break.

    Parameters
    ----------
    text : str

    Returns
    -------
    list of str

    Examples
    --------
    >>> split_sentences("Japan gave 5 million U.S. dollars. The U.N. agreed.\\n\\nNew point")
    ['Japan gave 5 million U.S. dollars.', 'The U.N. agreed.', 'New point']
    >>> split_sentences('He said "Peace."Then he left.')  # no space, no boundary
    ['He said "Peace."Then he left.']
    """
    tokenizer = _sentence_tokenizer()
    sentences: list[str] = []
    for paragraph in split_paragraphs(text):
        flat = " ".join(paragraph.split())
        # Punkt may end a sentence inside a word ('said."Next', '.«0'); a sentence
        # boundary must fall on a space, or joining sentences would split the word
        spans: list[list[int]] = []
        for start, end in tokenizer.span_tokenize(flat):
            if spans and start == spans[-1][1]:
                spans[-1][1] = end
            else:
                spans.append([start, end])
        sentences.extend(flat[a:b] for a, b in spans if flat[a:b].strip())
    return sentences


def split_passages(text: str, *, size: int = 150) -> list[str]:
    """Split a text into passages of about ``size`` words, never cutting a sentence.

    Sentences are added to a passage until the next one would take it past
    ``size`` words, unless the passage is still shorter than half of ``size``
    (then the sentence joins it anyway, so passages are never stubs; a passage
    can exceed ``size`` by at most one sentence).  A sentence is never cut.
    A last passage shorter than half of ``size`` is merged into the one before.

    Parameters
    ----------
    text : str
    size : int, default 150
        Target number of words (whitespace-separated) per passage.

    Returns
    -------
    list of str

    Examples
    --------
    >>> text = "One two three. Four five six. Seven eight nine. Ten."
    >>> split_passages(text, size=6)
    ['One two three. Four five six.', 'Seven eight nine. Ten.']
    """
    if not isinstance(size, int) or isinstance(size, bool) or size < 1:
        raise ConfigError(f"'size' must be a positive int (got {size!r})")
    passages: list[list[str]] = []
    current: list[str] = []
    n_current = 0
    for sentence in split_sentences(text):
        n = len(sentence.split())
        if current and n_current + n > size and n_current >= size / 2:
            passages.append(current)
            current, n_current = [], 0
        current.append(sentence)
        n_current += n
    if current:
        if passages and n_current < size / 2:
            passages[-1].extend(current)
        else:
            passages.append(current)
    return [" ".join(p) for p in passages]


def segment(corpus: Corpus, *, unit: Unit = "passage", size: int = 150) -> pd.DataFrame:
    """Split every document of a corpus into units that keep the document's metadata.

    Parameters
    ----------
    corpus : Corpus
        Usually a cleaned corpus (``corpus.map_texts(textkit.clean)``).
    unit : {"passage", "paragraph", "sentence"}
    size : int, default 150
        Words per passage (only for ``unit="passage"``).

    Returns
    -------
    pandas.DataFrame
        One row per unit: ``unit_id`` (``"<doc_id>:<index>"``), ``doc_id``,
        ``index`` (0-based within the document), ``text``, ``n_words``,
        ``year`` and the document's metadata columns, in corpus order.

    Examples
    --------
    >>> import pandas as pd
    >>> c = Corpus(pd.DataFrame({"doc_id": ["a"], "year": [2001], "text": ["One. Two.\\n\\nThree."],
    ...                          "title": ["T"]}))
    >>> segment(c, unit="paragraph")[["unit_id", "text", "year", "title"]]
      unit_id       text  year title
    0     a:0  One. Two.  2001     T
    1     a:1     Three.  2001     T
    """
    splitters = {
        "paragraph": split_paragraphs,
        "sentence": split_sentences,
        "passage": lambda text: split_passages(text, size=size),
    }
    if unit not in splitters:
        raise ConfigError(f"'unit' must be one of {sorted(splitters)} (got {unit!r})")
    docs = corpus.docs
    meta_cols = [c for c in docs.columns if c not in ("doc_id", "text")]
    rows = []
    for record in docs.to_dict("records"):
        for index, piece in enumerate(splitters[unit](record["text"])):
            row = {
                "unit_id": f"{record['doc_id']}:{index}",
                "doc_id": record["doc_id"],
                "index": index,
                "text": piece,
                "n_words": len(piece.split()),
            }
            row.update({c: record[c] for c in meta_cols})
            rows.append(row)
    columns = ["unit_id", "doc_id", "index", "text", "n_words", *meta_cols]
    units = pd.DataFrame(rows, columns=columns)
    units["year"] = pd.array(units["year"], dtype="Int64")
    logger.info("segmented %d documents into %d %ss", len(docs), len(units), unit)
    return units


def aggregate(
    units: pd.DataFrame,
    values: pd.DataFrame | pd.Series,
    *,
    by: Literal["doc_id", "year"] = "doc_id",
    agg: str = "mean",
) -> pd.DataFrame:
    """Aggregate per-unit results back to documents or years.

    Parameters
    ----------
    units : pandas.DataFrame
        The table from :func:`segment` (needs ``unit_id`` and the ``by`` column).
    values : DataFrame or Series
        Per-unit values, indexed by ``unit_id`` or aligned row by row with ``units``.
    by : {"doc_id", "year"}
        Group key.  Units of undated documents are left out when ``by="year"``
        (logged), since they have no year to go to.
    agg : str, default "mean"
        Any pandas aggregation name ("mean", "sum", "median", ...).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``by``, one column per value column, sorted by the key.

    Examples
    --------
    >>> import pandas as pd
    >>> units = pd.DataFrame({"unit_id": ["a:0", "a:1", "b:0"], "doc_id": ["a", "a", "b"],
    ...                       "year": pd.array([2000, 2000, None], dtype="Int64")})
    >>> shares = pd.DataFrame({"topic_0": [0.2, 0.4, 1.0]}, index=units["unit_id"])
    >>> aggregate(units, shares, by="doc_id")
            topic_0
    doc_id
    a           0.3
    b           1.0
    >>> aggregate(units, shares, by="year")
          topic_0
    year
    2000      0.3
    """
    if by not in ("doc_id", "year"):
        raise ConfigError(f"'by' must be 'doc_id' or 'year' (got {by!r})")
    frame = values.to_frame() if isinstance(values, pd.Series) else values
    if frame.index.isin(units["unit_id"]).all() and len(frame) == len(units):
        keys = units.set_index("unit_id").loc[frame.index, by]
    elif len(frame) == len(units):
        keys = pd.Series(units[by].to_numpy(), index=frame.index)
    else:
        raise TextkitError(
            f"values has {len(frame)} rows but units has {len(units)}; "
            "pass one value row per unit, indexed by unit_id."
        )
    keys = pd.Series(keys.to_numpy(), index=frame.index, name=by)
    if by == "year":
        undated = keys.isna()
        if undated.any():
            logger.info("aggregate: %d units of undated documents left out", int(undated.sum()))
        frame, keys = frame[~undated.to_numpy()], keys[~undated]
        keys = keys.astype(int)
    return frame.groupby(keys, sort=True).agg(agg)


def sample_positions(
    n_units: int,
    *,
    max_units: int | None,
    random_state: int = 0,
    minimum: int = 3,
    name: str = "max_passages",
) -> np.ndarray:
    """Positions of at most ``max_units`` of ``n_units`` units, drawn at random with a seed.

    The one sampler behind every ``max_passages`` cap (passage similarity, topic
    models): ``max_units`` positions are drawn without replacement by
    ``numpy.random.default_rng(random_state)`` and returned sorted, so the sample
    keeps the units' order and the same seed always gives the same sample.

    Parameters
    ----------
    n_units : int
        Number of units to draw from.
    max_units : int or None
        The cap; ``None``, or a cap of at least ``n_units``, keeps every unit.
    random_state : int
        Seed of the draw.
    minimum : int
        Smallest cap allowed.
    name : str
        Name of the cap in error messages (the parameter a user sets).

    Returns
    -------
    numpy.ndarray
        Sorted positions (``int64``): ``0 .. n_units - 1`` when nothing is capped.

    Raises
    ------
    ConfigError
        If ``max_units`` is not None and not an int of at least ``minimum``.

    Examples
    --------
    >>> sample_positions(10, max_units=3, random_state=1).tolist()
    [3, 4, 7]
    >>> sample_positions(4, max_units=None).tolist()
    [0, 1, 2, 3]
    >>> sample_positions(10, max_units=0)
    Traceback (most recent call last):
    ...
    textkit.errors.ConfigError: 'max_passages' must be an int of at least 3 or None (got 0); \
set it to None to keep every passage, or to a larger number
    """
    if max_units is not None and (
        isinstance(max_units, bool)
        or not isinstance(max_units, int | np.integer)
        or max_units < minimum
    ):
        raise ConfigError(
            f"{name!r} must be an int of at least {minimum} or None (got {max_units!r}); "
            "set it to None to keep every passage, or to a larger number"
        )
    if max_units is None or n_units <= max_units:
        return np.arange(n_units, dtype=np.int64)
    rng = np.random.default_rng(random_state)
    return np.sort(rng.choice(n_units, size=int(max_units), replace=False)).astype(np.int64)
