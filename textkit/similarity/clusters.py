"""Clusters of units: the document tree, passage clusters, their stability and description."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.cluster import hierarchy
from scipy.spatial.distance import squareform

from textkit.errors import ConfigError, TextkitError, shorten
from textkit.segment import sample_positions
from textkit.similarity.vectors import (
    Vectors,
    _identity,
    _thread_controller,
    similarity_to_distance,
)

ClusterMethod = Literal["kmeans", "agglomerative"]
Linkage = Literal["average", "complete", "single", "weighted"]
LINKAGES: tuple[str, ...] = ("average", "complete", "single", "weighted")


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


def stability_by_k(
    vectors: Vectors,
    *,
    k_values: Iterable[int] = range(2, 11),
    n_boot: int = 20,
    method: ClusterMethod = "kmeans",
    linkage: Linkage = "average",
    random_state: int = 0,
) -> pd.DataFrame:
    """Bootstrap stability of the clustering for each k (a companion to :func:`silhouette_by_k`).

    For each k the units are clustered and :func:`bootstrap_stability` is run with
    ``n_boot`` resamples. Slow: ``len(k_values) * (n_boot + 1)`` clusterings.

    Returns
    -------
    DataFrame
        Columns ``k``, ``ari`` (mean bootstrap ARI) and ``min_jaccard`` (the least
        stable cluster's mean Jaccard recovery); k outside ``2 .. n_units - 1`` skipped.

    Examples
    --------
    >>> centres = np.repeat(np.eye(2), 10, axis=0)
    >>> v = Vectors(centres + 0.01 * np.arange(20)[:, None] % 0.05, tuple(map(str, range(20))),
    ...             ("x", "y"), "lsi")
    >>> stability_by_k(v, k_values=[2], n_boot=5)
       k  ari  min_jaccard
    0  2  1.0          1.0
    """
    n = len(vectors)
    rows = []
    for k in sorted({int(k) for k in k_values if 2 <= int(k) <= n - 1}):
        labels = cluster_units(
            vectors, k=k, method=method, linkage=linkage, random_state=random_state
        )
        result = bootstrap_stability(
            vectors,
            labels,
            n_boot=n_boot,
            method=method,
            linkage=linkage,
            random_state=random_state,
        )
        rows.append((k, result.mean_ari, float(result.clusters["jaccard"].min())))
    return pd.DataFrame(rows, columns=["k", "ari", "min_jaccard"])


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

    The draw is :func:`textkit.segment.sample_positions`, the sampler of every
    ``max_passages`` cap.

    Examples
    --------
    >>> units = pd.DataFrame({"n": range(10)})
    >>> sample_units(units, max_units=3, random_state=1).n.tolist()
    [3, 4, 7]
    >>> len(sample_units(units, max_units=None))
    10
    """
    chosen = sample_positions(len(units), max_units=max_units, random_state=random_state)
    if len(chosen) == len(units):
        return units
    return units.iloc[chosen]
