"""The whole similarity analysis of notebook ``04-similarity`` in one call."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from textkit.errors import ConfigError, TextkitError
from textkit.similarity.agreement import MantelResult, mantel
from textkit.similarity.clusters import (
    LINKAGES,
    ClusterMethod,
    DocumentTree,
    Linkage,
    Stability,
    bootstrap_stability,
    cluster_documents,
    cluster_keyness,
    cluster_units,
    document_tree,
    representative_units,
    sample_units,
    silhouette_by_k,
    silhouette_values,
    similarity_map,
    stability_by_k,
)
from textkit.similarity.vectors import (
    Encoder,
    embedding_vectors,
    fit_lsi,
    fit_tfidf,
    mean_vectors,
    similarity_matrix,
    tfidf_vectors,
)

logger = logging.getLogger(__name__)

Representation = Literal["lsi", "embedding"]


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
    min_df, max_df, max_terms, sublinear_tf :
        TF-IDF vocabulary pruning (``max_terms`` keeps the most frequent terms only) and
        term-frequency scaling.
    linkage : {"average", "complete", "single", "weighted"}
        Linkage of the document tree (and of agglomerative passage clustering).
    cluster_method : {"kmeans", "agglomerative"}
        Passage clustering algorithm.
    k_min, k_max : int
        Range of k searched by silhouette.
    n_boot_k : int
        Bootstrap resamples per k for the stability column of ``k_scores``
        (0: not computed).
    n_boot : int
        Bootstrap resamples for cluster stability.
    max_passages : int or None
        Cap on units for the quadratic steps (None: no cap): passages for similarity,
        clustering, silhouette, bootstrap and map; documents for the document Mantel test.
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
    max_terms: int | None = None
    sublinear_tf: bool = True
    linkage: Linkage = "average"
    cluster_method: ClusterMethod = "kmeans"
    k_min: int = 2
    k_max: int = 10
    n_boot: int = 50
    n_boot_k: int = 20
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
        if not isinstance(self.n_boot_k, int) or self.n_boot_k < 0:
            raise ConfigError(f"'n_boot_k' must be a non-negative int (got {self.n_boot_k!r})")
        if self.k_min < 2 or self.k_max < self.k_min:
            raise ConfigError(
                f"'k_min' must be at least 2 and at most 'k_max' (got {self.k_min}..{self.k_max})"
            )
        if self.max_terms is not None and (
            not isinstance(self.max_terms, int)
            or isinstance(self.max_terms, bool)
            or self.max_terms < 1
        ):
            raise ConfigError(
                f"'max_terms' must be a positive int or None (got {self.max_terms!r})"
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
    """Everything :func:`analyze_similarity` computed (labelled tables and small objects).

    Attributes
    ----------
    config : SimilarityConfig
        The choices the analysis ran with.
    representation : str
        The second representation: ``"lsi"`` or ``"embedding"``.
    doc_similarity, doc_similarity_alt : DataFrame
        Document × document cosine similarity, TF-IDF and second representation
        (index and columns ``doc_id``).
    doc_agreement, passage_agreement : MantelResult or None
        Mantel agreement of the two representations (None with fewer than 3 units).
    doc_tree : DocumentTree
        Hierarchical clustering of the documents on TF-IDF cosine distance.
    n_passages_total, n_passages_empty : int
        Passages given, and those without any term (left out).
    passages : DataFrame
        The passages used by the pairwise steps (a seeded sample when capped).
    passage_similarity, passage_similarity_alt : DataFrame
        Passage × passage cosine similarity in the two representations.
    k_scores : DataFrame
        ``k``, ``silhouette``, ``n_clusters`` and, unless ``n_boot_k == 0``, ``ari`` and
        ``min_jaccard`` for every k searched.
    k : int
        The k with the highest silhouette.
    clusters : DataFrame
        One row per passage used: ``unit_id``, ``doc_id``, ``cluster``, ``silhouette``,
        ``stability`` (its cluster's mean bootstrap Jaccard).
    stability : Stability
        Bootstrap ARIs and per-cluster Jaccard recovery.
    terms : DataFrame
        Distinctive terms per cluster (:func:`~textkit.similarity.cluster_keyness`).
    documents : DataFrame
        Passages per cluster × document.
    representatives : DataFrame
        Per cluster, the passage nearest its centroid: ``unit_id``, ``similarity``,
        ``doc_id``, ``text``.
    passage_map : DataFrame
        MDS coordinates ``x``, ``y`` of the passages used, with ``doc_id`` and ``cluster``.
    """

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
    use at most ``config.max_passages`` passages, sampled with the seed; the document
    Mantel test uses at most as many documents.

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
        "max_terms": cfg.max_terms,
        "sublinear_tf": cfg.sublinear_tf,
    }
    doc_tfidf = tfidf_vectors(doc_tokens, ids=doc_ids, id_name="doc_id", **tfidf_opts)
    passage_space = fit_tfidf(token_lists, **tfidf_opts)
    passage_tfidf = passage_space.transform(token_lists, ids=unit_ids, id_name="unit_id")

    if cfg.representation == "lsi":
        space = fit_lsi(
            passage_tfidf, dims=cfg.lsi_dims, power_iters=cfg.power_iters, random_state=seed
        )
        passage_alt = space.transform(passage_tfidf)
        folded = passage_space.transform(doc_tokens, ids=doc_ids, id_name="doc_id")
        doc_alt = space.transform(folded)
    else:
        passage_alt = embedding_vectors(
            units["text"].astype(str).tolist(), ids=unit_ids, model=model, id_name="unit_id"
        )
        doc_alt = mean_vectors(passage_alt, units["doc_id"].tolist(), id_name="doc_id")

    doc_similarity = similarity_matrix(doc_tfidf)
    doc_similarity_alt = similarity_matrix(doc_alt)
    doc_agreement = (
        mantel(
            doc_similarity,
            doc_similarity_alt,
            permutations=cfg.permutations,
            max_units=cfg.max_passages,
            random_state=seed,
        )
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
    k_values = range(cfg.k_min, cfg.k_max + 1)
    k_scores = silhouette_by_k(p_alt, k_values=k_values, **options)
    if cfg.n_boot_k:
        by_k = stability_by_k(p_alt, k_values=k_values, n_boot=cfg.n_boot_k, **options)
        k_scores = k_scores.merge(by_k, on="k", how="left")
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
