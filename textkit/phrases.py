"""Multi-word terms found by collocation detection (gensim ``Phrases``).

Word pairs that occur together far more often than their separate frequencies
predict are joined into one term with ``_``: "human security" → ``human_security``.
Each pass of gensim's :class:`~gensim.models.phrases.Phrases` joins pairs, so two
passes (the default) also find three- and four-word terms ("official development
assistance charter", built from ``official_development`` and ``assistance_charter``).

Scoring is the normalised pointwise mutual information (Bouma 2009),
``npmi = log(p(a, b) / (p(a) p(b))) / -log(p(a, b))``, which lies in [-1, 1]
whatever the corpus size: 1 means the two words only ever occur together, 0 that
they are independent.  A pair becomes a phrase when it occurs at least
``min_count`` times and its npmi is at least ``threshold``.

*Connector words* ("of", "the", "and", ... gensim's ``ENGLISH_CONNECTOR_WORDS``)
may sit inside a phrase but never start or end one, so "weapons of mass
destruction" and "ministry of foreign affairs" can be found.

The learned models are frozen (:class:`~gensim.models.phrases.FrozenPhrases`):
smaller and faster to apply, and picklable.

Examples
--------
>>> runs = [["human", "security", "matters"], ["human", "security", "first"]] * 3
>>> model = learn_phrases(runs, config=PhraseConfig(min_count=2))
>>> model(["human", "security", "and", "peace"])
['human_security', 'and', 'peace']
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd
from gensim.models.phrases import ENGLISH_CONNECTOR_WORDS, FrozenPhrases, Phrases

from textkit.errors import ConfigError, shorten

__all__ = [
    "CONNECTOR_WORDS",
    "DELIMITER",
    "PhraseConfig",
    "PhraseModel",
    "learn_phrases",
]

logger = logging.getLogger(__name__)

#: Joins the words of a phrase term: ``human_security``.
DELIMITER = "_"

#: gensim's English connector words: allowed inside a phrase, never at its ends.
CONNECTOR_WORDS: frozenset[str] = frozenset(ENGLISH_CONNECTOR_WORDS)


def _positive_int(name: str, value: object) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ConfigError(f"'{name}' must be a positive int (got {shorten(value)})")


@dataclass(frozen=True)
class PhraseConfig:
    """Options of :func:`learn_phrases` (frozen and validated when built).

    Parameters
    ----------
    min_count : int, default 3
        A pair must occur at least this many times.  On small corpora (the five
        seed documents) 3 keeps the recurring names and concepts; raise it on
        large corpora.
    threshold : float, default 0.5
        Minimum score.  For ``scoring="npmi"`` a number in (-1, 1]; 0.5 means the
        pair is strongly associated (independent words score 0).  For
        ``scoring="default"`` (Mikolov et al. 2013) a positive number, gensim's
        default 10.
    scoring : {"npmi", "default"}, default "npmi"
        The association measure; npmi does not depend on corpus size.
    passes : int, default 2
        Number of passes; pass *k* can join terms made by pass *k - 1*, so phrases
        have at most ``2 ** passes`` words.
    connector_words : iterable of str, default :data:`CONNECTOR_WORDS`
        Words allowed inside but not at the ends of a phrase.  Stored as a frozenset.

    Raises
    ------
    ConfigError
        If a value has the wrong type or is out of range.

    Examples
    --------
    >>> PhraseConfig().threshold
    0.5
    >>> PhraseConfig(threshold=2.0)
    Traceback (most recent call last):
    ...
    textkit.errors.ConfigError: 'threshold' must be a number in (-1, 1] for npmi scoring (got 2.0)
    """

    min_count: int = 3
    threshold: float = 0.5
    scoring: Literal["npmi", "default"] = "npmi"
    passes: int = 2
    connector_words: frozenset[str] = field(default=CONNECTOR_WORDS)

    def __post_init__(self) -> None:
        _positive_int("min_count", self.min_count)
        _positive_int("passes", self.passes)
        if self.scoring not in ("npmi", "default"):
            raise ConfigError(
                f"'scoring' must be 'npmi' or 'default' (got {shorten(self.scoring)})"
            )
        t = self.threshold
        if not isinstance(t, (int, float)) or isinstance(t, bool):
            raise ConfigError(f"'threshold' must be a number (got {shorten(t)})")
        if self.scoring == "npmi" and not -1 < t <= 1:
            raise ConfigError(
                f"'threshold' must be a number in (-1, 1] for npmi scoring (got {shorten(t)})"
            )
        if self.scoring == "default" and t <= 0:
            raise ConfigError(
                f"'threshold' must be a positive number for default scoring (got {shorten(t)})"
            )
        words = self.connector_words
        if isinstance(words, str) or not isinstance(words, Iterable):
            raise ConfigError(
                f"'connector_words' must be an iterable of str (got {shorten(words)})"
            )
        words = frozenset(words)
        if not all(isinstance(w, str) for w in words):
            raise ConfigError("'connector_words' must contain only str")
        object.__setattr__(self, "connector_words", words)

    def __repr__(self) -> str:
        words = (
            "CONNECTOR_WORDS"
            if self.connector_words == CONNECTOR_WORDS
            else f"<{len(self.connector_words)} words>"
        )
        return (
            f"PhraseConfig(min_count={self.min_count}, threshold={self.threshold}, "
            f"scoring={self.scoring!r}, passes={self.passes}, connector_words={words})"
        )


class PhraseModel:
    """Learned phrases: call it on a token list to join the phrases in it.

    Build it with :func:`learn_phrases`.  Picklable.

    Attributes
    ----------
    config : PhraseConfig
        The options it was learned with.
    models : tuple of gensim FrozenPhrases
        One frozen model per pass, applied in order.
    """

    def __init__(self, models: Sequence[FrozenPhrases], config: PhraseConfig) -> None:
        self.models = tuple(models)
        self.config = config

    def __call__(self, tokens: Sequence[str]) -> list[str]:
        """Return ``tokens`` with every learned phrase joined by ``_``.

        Examples
        --------
        >>> model = learn_phrases([["sri", "lanka", "peace"]] * 3)
        >>> model(["peace", "in", "sri", "lanka"])
        ['peace', 'in', 'sri_lanka']
        """
        out = list(tokens)
        if not out:
            return out
        for model in self.models:
            if model.phrasegrams:
                out = model[out]
        return out

    @property
    def phrases(self) -> pd.DataFrame:
        """All learned phrases: columns ``phrase``, ``n_words``, ``score``, ``pass``.

        Sorted by pass, then score (descending), then phrase.

        Examples
        --------
        >>> learn_phrases([["sri", "lanka"], ["peace"]] * 3).phrases
              phrase  n_words  score  pass
        0  sri_lanka        2    1.0     1
        """
        rows = [
            {
                "phrase": phrase,
                "n_words": phrase.count(DELIMITER) + 1,
                "score": float(score),
                "pass": number,
            }
            for number, model in enumerate(self.models, start=1)
            for phrase, score in model.phrasegrams.items()
        ]
        table = pd.DataFrame(rows, columns=["phrase", "n_words", "score", "pass"])
        table = table.sort_values(["pass", "score", "phrase"], ascending=[True, False, True])
        return table.reset_index(drop=True)

    def __len__(self) -> int:
        return sum(len(m.phrasegrams) for m in self.models)

    def __contains__(self, phrase: object) -> bool:
        return any(phrase in m.phrasegrams for m in self.models)

    def __repr__(self) -> str:
        return f"PhraseModel({len(self)} phrases, {self.config!r})"


# gensim scores a stored pair by splitting it on the delimiter, so a pair whose
# parts are already phrases ("official_development" + "assistance") would be
# scored with the counts of "official" and "assistance".  Each pass therefore
# learns with a delimiter no token contains, and the frozen model is then
# switched to "_" (lookups join the parts with the model's delimiter).
_PRIVATE_DELIMITER = "\x1f"


def _freeze(model: Phrases) -> FrozenPhrases:
    frozen = model.freeze()
    phrasegrams: dict[str, float] = {}
    for phrase, score in frozen.phrasegrams.items():
        key = phrase.replace(_PRIVATE_DELIMITER, DELIMITER)
        phrasegrams[key] = max(score, phrasegrams.get(key, score))
    frozen.phrasegrams = phrasegrams
    frozen.delimiter = DELIMITER
    return frozen


def learn_phrases(
    token_lists: Iterable[Sequence[str]], *, config: PhraseConfig | None = None
) -> PhraseModel:
    """Learn multi-word terms from token lists with gensim ``Phrases``.

    Parameters
    ----------
    token_lists : iterable of sequences of str
        Tokens in text order, one list per sentence or run (a phrase never spans
        two lists).  Iterated ``passes`` times, so pass a list, not a generator.
        Tokens must not contain ``_``.
    config : PhraseConfig, optional
        Options; ``PhraseConfig()`` by default.

    Returns
    -------
    PhraseModel
        The frozen models, callable on a token list.

    Examples
    --------
    >>> runs = [["self-defense", "forces", "deployed"], ["the", "self-defense", "forces"]] * 2
    >>> learn_phrases(runs, config=PhraseConfig(min_count=2))(["self-defense", "forces"])
    ['self-defense_forces']
    """
    cfg = PhraseConfig() if config is None else config
    if isinstance(token_lists, str):
        raise TypeError("learn_phrases() expects token lists, not a str")
    runs = [list(tokens) for tokens in token_lists]
    models = []
    for number in range(1, cfg.passes + 1):
        learned = _freeze(
            Phrases(
                runs,
                min_count=cfg.min_count,
                threshold=cfg.threshold,
                scoring=cfg.scoring,
                delimiter=_PRIVATE_DELIMITER,
                connector_words=cfg.connector_words,
            )
        )
        logger.info("phrase pass %d: %d phrases", number, len(learned.phrasegrams))
        if not learned.phrasegrams:
            break
        models.append(learned)
        runs = [learned[run] for run in runs]
    return PhraseModel(models, cfg)
