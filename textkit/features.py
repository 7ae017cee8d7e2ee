"""The Analyzer: the one normalisation every analysis uses, and its interop.

An :class:`Analyzer` turns a raw text into terms in three stages, each replaceable
through :class:`AnalyzerConfig`:

1. character filters -- :func:`textkit.clean.clean` (``clean=True``);
2. tokenizer and token filters -- :func:`textkit.tokenize.tokenize` (case folding,
   stopwords, numbers, optional stemming);
3. multi-word terms -- :func:`textkit.phrases.learn_phrases` (``phrases=PhraseConfig()``),
   learned by :meth:`Analyzer.fit`.

The analyzer is a picklable callable ``str -> list[str]``, so it plugs into
scikit-learn (``CountVectorizer(analyzer=analyzer)``), joblib and Dask; the same
token lists build a gensim :class:`~gensim.corpora.Dictionary` and bag-of-words
corpus (:func:`to_dictionary`, :func:`to_bow`).  :meth:`Analyzer.normalize_term`
maps a researcher's term ("Human Security") exactly as the corpus was normalised,
and :meth:`Analyzer.display` turns a term back into readable words ("security",
not the stem "secur").

Examples
--------
>>> from sklearn.feature_extraction.text import CountVectorizer
>>> texts = ["Human security first.", "Human security and peace.", "Peace, human security."]
>>> analyzer = Analyzer(AnalyzerConfig(phrases=PhraseConfig(min_count=2))).fit(texts)
>>> analyzer("Human Security in Asia")
['human_security', 'asia']
>>> sorted(CountVectorizer(analyzer=analyzer).fit(texts).vocabulary_)
['human_security', 'peace']
"""

from __future__ import annotations

import logging
import warnings
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from gensim.corpora import Dictionary
from sklearn.feature_extraction.text import CountVectorizer

from textkit.errors import ConfigError, TextkitError, shorten
from textkit.phrases import DELIMITER, PhraseConfig, PhraseModel, learn_phrases
from textkit.stream.counts import DocumentTermMatrix
from textkit.tokenize import TokenizerConfig, stem_function, token_segments, tokenize

__all__ = [
    "Analyzer",
    "AnalyzerConfig",
    "NotFittedError",
    "TermError",
    "TermWarning",
    "document_term_matrix",
    "to_bow",
    "to_dictionary",
]

logger = logging.getLogger(__name__)


class TermError(TextkitError, ValueError):
    """A researcher's term cannot be mapped to a corpus term (e.g. it is a stopword)."""


class NotFittedError(TextkitError):
    """The analyzer learns phrases and must be fitted (``.fit(texts)``) before use."""


class TermWarning(UserWarning):
    """A normalised term does not occur in the texts the analyzer was fitted on."""


def _clean(text: str) -> str:
    from textkit.clean import clean

    return clean(text)


@dataclass(frozen=True)
class AnalyzerConfig:
    """Options of an :class:`Analyzer` (frozen and validated when built).

    Parameters
    ----------
    clean : bool, default True
        Run :func:`textkit.clean.clean` on each text first.
    tokenizer : TokenizerConfig, default TokenizerConfig()
        Tokenizer options (stopwords, numbers, stemming, minimum length).
    phrases : PhraseConfig or None, default None
        Learn multi-word terms in :meth:`Analyzer.fit`; ``None`` for single words.
        With phrases the analyzer must be fitted before it is called.

    Raises
    ------
    ConfigError
        If an option has the wrong type.

    Examples
    --------
    >>> AnalyzerConfig(tokenizer=TokenizerConfig(stem="porter")).tokenizer.stem
    'porter'
    >>> AnalyzerConfig(phrases=True)
    Traceback (most recent call last):
    ...
    textkit.errors.ConfigError: 'phrases' must be a PhraseConfig or None (got True)
    """

    clean: bool = True
    tokenizer: TokenizerConfig = field(default_factory=TokenizerConfig)
    phrases: PhraseConfig | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.clean, bool):
            raise ConfigError(f"'clean' must be a bool (got {shorten(self.clean)})")
        if not isinstance(self.tokenizer, TokenizerConfig):
            raise ConfigError(
                f"'tokenizer' must be a TokenizerConfig (got {shorten(self.tokenizer)})"
            )
        if self.phrases is not None and not isinstance(self.phrases, PhraseConfig):
            raise ConfigError(
                f"'phrases' must be a PhraseConfig or None (got {shorten(self.phrases)})"
            )


def _texts(texts: Any) -> list[str]:
    if isinstance(texts, str):
        raise TypeError("fit() expects a list of texts, not one str; write fit([text])")
    out = list(texts)
    for i, text in enumerate(out):
        if not isinstance(text, str):
            raise TypeError(f"text {i} is a {type(text).__name__}, not a str")
    return out


class Analyzer:
    """Clean, tokenise, stem and join phrases: text -> list of terms.

    Parameters
    ----------
    config : AnalyzerConfig, optional
        Options; ``AnalyzerConfig()`` by default (cleaning, default tokenizer, no
        phrases), which needs no fitting.

    Attributes
    ----------
    config : AnalyzerConfig
        The options.
    phrases_ : PhraseModel or None
        Learned by :meth:`fit` when ``config.phrases`` is set.
    surface_forms_ : dict of str to Counter
        For each term seen by :meth:`fit`, how often each surface form (the
        case-folded words before stemming, with spaces) produced it.

    Examples
    --------
    >>> analyzer = Analyzer(AnalyzerConfig(tokenizer=TokenizerConfig(stem="porter")))
    >>> analyzer = analyzer.fit(["Security matters.", "security, securities and security"])
    >>> analyzer("Japan's security")
    ['japan', 'secur']
    >>> analyzer.display("secur")
    'security'
    """

    def __init__(self, config: AnalyzerConfig | None = None) -> None:
        if config is not None and not isinstance(config, AnalyzerConfig):
            raise ConfigError(f"'config' must be an AnalyzerConfig (got {shorten(config)})")
        self.config = AnalyzerConfig() if config is None else config
        self.phrases_: PhraseModel | None = None
        self.surface_forms_: dict[str, Counter[str]] = {}
        self._fitted = False

    # ------------------------------------------------------------------ stages

    @property
    def _keep(self) -> frozenset[str]:
        """Stopwords kept inside token runs: connectors, when phrases are learned."""
        if self.config.phrases is None:
            return frozenset()
        return self.config.phrases.connector_words & self.config.tokenizer.stopwords

    def _runs(self, text: str) -> tuple[list[list[str]], list[list[str]]]:
        """Surface runs and the matching (stemmed) runs of ``text``."""
        if self.config.clean:
            text = _clean(text)
        cfg = self.config.tokenizer
        surface = token_segments(text, config=cfg, keep=self._keep)
        if cfg.stem is None:
            return surface, surface
        stem = stem_function(cfg.stem, cfg.stopwords)
        keep = self._keep
        return surface, [[w if w in keep else stem(w) for w in run] for run in surface]

    def _model(self) -> PhraseModel:
        if self.phrases_ is None:
            raise NotFittedError(
                "this Analyzer learns phrases and is not fitted yet; "
                "call analyzer.fit(texts) first (or use phrases=None)"
            )
        return self.phrases_

    def _terms(self, text: str) -> list[str]:
        if self.config.phrases is None:
            return tokenize(
                _clean(text) if self.config.clean else text, config=self.config.tokenizer
            )
        model = self._model()
        stop = self.config.tokenizer.stopwords
        _, runs = self._runs(text)
        return [t for run in runs for t in model(run) if t not in stop]

    # ------------------------------------------------------------------ API

    def fit(self, texts: Iterable[str]) -> Analyzer:
        """Learn phrases (if configured) and the surface forms of every term.

        Parameters
        ----------
        texts : iterable of str
            The corpus (documents or passages), e.g. ``corpus.docs["text"]``.

        Returns
        -------
        Analyzer
            ``self``, fitted.

        Raises
        ------
        TypeError
            If ``texts`` is a single str or holds a non-str.

        Examples
        --------
        >>> a = Analyzer(AnalyzerConfig(phrases=PhraseConfig(min_count=2)))
        >>> a = a.fit(["Sri Lanka and Japan.", "Aid to Sri Lanka."])
        >>> a.phrases_.phrases["phrase"].tolist()
        ['sri_lanka']
        """
        items = _texts(texts)
        stop = self.config.tokenizer.stopwords
        pairs = [self._runs(text) for text in items]
        model = None
        if self.config.phrases is not None:
            model = learn_phrases(
                [run for _, runs in pairs for run in runs], config=self.config.phrases
            )
        counts: defaultdict[str, Counter[str]] = defaultdict(Counter)
        for surface, runs in pairs:
            for surface_run, run in zip(surface, runs, strict=True):
                i = 0
                for term in model(run) if model is not None else run:
                    k = term.count(DELIMITER) + 1
                    if term not in stop:
                        counts[term][" ".join(surface_run[i : i + k])] += 1
                    i += k
        self.phrases_ = model
        self.surface_forms_ = dict(counts)
        self._fitted = True
        logger.info(
            "analyzer fitted on %d texts: %d terms, %d phrases",
            len(items),
            len(counts),
            0 if model is None else len(model),
        )
        return self

    def __call__(self, text: str) -> list[str]:
        """Return the terms of ``text``.

        Parameters
        ----------
        text : str
            A raw text (cleaned here if ``config.clean``).

        Returns
        -------
        list of str
            Terms in text order; phrases joined with ``_``.

        Raises
        ------
        NotFittedError
            If phrases are configured and :meth:`fit` was not called.

        Examples
        --------
        >>> Analyzer()("**Japan's** Self-Defense Forces <sup>1</sup>")
        ['japan', 'self-defense', 'forces']
        """
        if not isinstance(text, str):
            raise TypeError(f"an Analyzer expects a str (got {type(text).__name__})")
        return self._terms(text)

    @property
    def vocabulary_(self) -> frozenset[str]:
        """Every term seen by :meth:`fit`."""
        return frozenset(self.surface_forms_)

    def normalize_term(self, term: str) -> str:
        """Map a researcher's term to the corpus term, normalised like the corpus.

        The term goes through the same cleaning, tokenising, stemming and phrase
        joining as every text.  A multi-word term that the phrase model did not
        learn comes back as its words joined with ``_`` (match it as consecutive
        tokens).  If the analyzer is fitted and the result does not occur in the
        fitted texts as one term, a :class:`TermWarning` says so (naming longer
        phrases that contain it); without phrases, multi-word terms never warn.

        Parameters
        ----------
        term : str
            A word or phrase as a reader writes it.

        Returns
        -------
        str
            One term, e.g. ``"human_security"``.

        Raises
        ------
        TermError
            If the term normalises to nothing (only stopwords, numbers or
            punctuation); the message names it.
        NotFittedError
            If phrases are configured and :meth:`fit` was not called.

        Examples
        --------
        >>> Analyzer().normalize_term("Japan's")
        'japan'
        >>> Analyzer().normalize_term("Human Security")
        'human_security'
        >>> Analyzer().normalize_term("the")
        Traceback (most recent call last):
        ...
        textkit.features.TermError: term 'the' normalises to nothing ...; change or remove it
        """
        if not isinstance(term, str):
            raise TermError(f"term {shorten(term)} is not a str")
        terms = self._terms(term)
        if not terms:
            raise TermError(
                f"term {term!r} normalises to nothing (it is made only of stopwords, "
                "numbers or punctuation under this analyzer's options); change or remove it"
            )
        result = DELIMITER.join(terms)
        if self._fitted and result not in self.surface_forms_:
            inside = sorted(
                v
                for v in self.surface_forms_
                if DELIMITER in v and f"{DELIMITER}{result}{DELIMITER}" in f"_{v}_"
            )
            if len(terms) == 1 or inside or self.config.phrases is not None:
                hint = f"; it occurs inside {inside[:5]}" if inside else ""
                warnings.warn(
                    f"term {term!r} (normalised {result!r}) does not occur as a term "
                    f"in the fitted texts{hint}",
                    TermWarning,
                    stacklevel=2,
                )
        return result

    def display(self, term: str) -> str:
        """Return the readable form of a term: its most frequent surface form.

        Phrases are shown with spaces.  A joined term not seen by :meth:`fit` is
        shown piece by piece, taking the longest known pieces from the left.

        Parameters
        ----------
        term : str
            A term produced by this analyzer.

        Returns
        -------
        str

        Examples
        --------
        >>> a = Analyzer(AnalyzerConfig(tokenizer=TokenizerConfig(stem="porter")))
        >>> a = a.fit(["Operations and operation; the operations"])
        >>> a.display("oper"), a.display("human_secur")
        ('operations', 'human secur')
        """
        forms = self.surface_forms_.get(term)
        if forms:
            return forms.most_common(1)[0][0]
        parts = term.split(DELIMITER)
        if len(parts) == 1:
            return term
        # Unknown joined term: show its longest known pieces, left to right.
        shown, i = [], 0
        while i < len(parts):
            for j in range(len(parts), i, -1):
                piece = DELIMITER.join(parts[i:j])
                if piece in self.surface_forms_ or j == i + 1:
                    shown.append(self.display(piece))
                    i = j
                    break
        return " ".join(shown)

    def surface_forms(self) -> pd.DataFrame:
        """Every fitted term with its display form and count.

        Returns
        -------
        pandas.DataFrame
            Columns ``term``, ``display``, ``count``, ``n_forms`` (number of
            distinct surface forms), sorted by count (descending), then term.

        Examples
        --------
        >>> a = Analyzer(AnalyzerConfig(tokenizer=TokenizerConfig(stem="porter")))
        >>> a.fit(["peace and peaceful"]).surface_forms()
           term display  count  n_forms
        0  peac   peace      2        2
        """
        rows = [
            {"term": t, "display": c.most_common(1)[0][0], "count": sum(c.values()),
             "n_forms": len(c)}
            for t, c in self.surface_forms_.items()
        ]  # fmt: skip
        table = pd.DataFrame(rows, columns=["term", "display", "count", "n_forms"])
        table = table.sort_values(["count", "term"], ascending=[False, True])
        return table.reset_index(drop=True)

    def __repr__(self) -> str:
        state = "fitted" if self._fitted else "not fitted"
        return f"Analyzer({self.config!r}, {state})"


# --------------------------------------------------------------------------- interop


def to_dictionary(token_lists: Iterable[Sequence[str]]) -> Dictionary:
    """Build a gensim ``Dictionary`` from token lists (e.g. an analyzer's output).

    Parameters
    ----------
    token_lists : iterable of sequences of str
        One token list per document.

    Returns
    -------
    gensim.corpora.Dictionary

    Examples
    --------
    >>> d = to_dictionary([["peace", "aid"], ["peace"]])
    >>> sorted(d.token2id), d.dfs[d.token2id["peace"]]
    (['aid', 'peace'], 2)
    """
    return Dictionary(list(tokens) for tokens in token_lists)


def to_bow(
    token_lists: Iterable[Sequence[str]], dictionary: Dictionary | None = None
) -> list[list[tuple[int, int]]]:
    """Turn token lists into a gensim bag-of-words corpus.

    Parameters
    ----------
    token_lists : iterable of sequences of str
        One token list per document.
    dictionary : gensim Dictionary, optional
        Term ids; built from ``token_lists`` when omitted.  Tokens missing from it
        are ignored.

    Returns
    -------
    list of list of (int, int)
        ``(term id, count)`` pairs per document.

    Examples
    --------
    >>> tokens = [["peace", "aid", "peace"]]
    >>> d = to_dictionary(tokens)
    >>> [[(d[i], n) for i, n in doc] for doc in to_bow(tokens, d)]
    [[('aid', 1), ('peace', 2)]]
    """
    docs = [list(tokens) for tokens in token_lists]
    d = to_dictionary(docs) if dictionary is None else dictionary
    return [d.doc2bow(doc) for doc in docs]


def _identity(tokens: list[str]) -> list[str]:
    return tokens


def document_term_matrix(
    token_lists: Iterable[Sequence[str]], *, ids: Iterable[str] | None = None
) -> DocumentTermMatrix:
    """Count terms per document into a labelled sparse matrix (scikit-learn).

    Parameters
    ----------
    token_lists : iterable of sequences of str
        One token list per document.
    ids : iterable of str, optional
        Row labels (document or unit ids); ``"0"``, ``"1"``, ... by default.

    Returns
    -------
    textkit.stream.DocumentTermMatrix
        ``matrix`` (CSR counts), ``doc_ids``, ``terms`` (sorted, as in
        scikit-learn's ``CountVectorizer``); ``years`` is all missing.

    Raises
    ------
    TextkitError
        If there are no tokens at all, or ``ids`` has the wrong length or repeats.

    Examples
    --------
    >>> document_term_matrix([["peace", "aid", "peace"], ["aid"]], ids=["a", "b"]).to_frame()
            aid  peace
    doc_id
    a         1      2
    b         1      0
    """
    docs = [list(tokens) for tokens in token_lists]
    labels = [str(i) for i in range(len(docs))] if ids is None else [str(i) for i in ids]
    if len(labels) != len(docs):
        raise TextkitError(
            f"'ids' has {len(labels)} labels for {len(docs)} token lists; pass one id per list"
        )
    if len(set(labels)) != len(labels):
        dup = next(x for x, n in Counter(labels).items() if n > 1)
        raise TextkitError(f"'ids' repeats {dup!r}; ids must be unique")
    if not any(docs):
        raise TextkitError(
            "no tokens in any document: check the texts, or use fewer stopwords "
            "or a smaller min_length"
        )
    vectorizer = CountVectorizer(analyzer=_identity, lowercase=False)
    matrix = vectorizer.fit_transform(docs).tocsr()
    index = pd.Index(labels, name="doc_id")
    return DocumentTermMatrix(
        matrix=matrix,
        doc_ids=index,
        terms=pd.Index(vectorizer.get_feature_names_out().tolist()),
        years=pd.Series(pd.array([pd.NA] * len(labels), dtype="Int64"), index=index, name="year"),
    )
