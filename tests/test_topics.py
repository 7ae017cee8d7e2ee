"""Tests of textkit.topics against independently known answers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from gensim.models import CoherenceModel
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.collections import LineCollection

from textkit.errors import ConfigError, TextkitError
from textkit.figures import (
    UNSTABLE_HATCH,
    new_figure,
    plot_topic_by_year,
    plot_topic_coherence,
    plot_topic_documents,
    plot_topic_terms,
    save_figure,
    topic_documents_table,
    topic_terms_table,
)
from textkit.topics import (
    LdaConfig,
    NmfConfig,
    VocabularyConfig,
    align_topics,
    choose_k,
    coherence_grid,
    document_topic_shares,
    fit_lda,
    fit_nmf,
    infer_topics,
    prepare_topic_corpus,
    refit_seeds,
    representative_passages,
    sample_topic_corpus,
    top_terms,
    topic_coherence,
    topic_shares_by_year,
    topic_similarity,
    topic_stability,
)

VOCABS = {
    "sea": ["ship", "port", "navy", "coast", "fleet", "harbour"],
    "aid": ["grant", "loan", "donor", "project", "fund", "budget"],
    "law": ["court", "judge", "treaty", "rule", "statute", "trial"],
}
KEEP_ALL = VocabularyConfig(no_below=1, no_above=1.0)


def _toy_tokens(n_per_theme: int = 12, length: int = 30, seed: int = 0) -> list[list[str]]:
    """Texts that each draw words from one theme's vocabulary (three clear topics)."""
    rng = np.random.default_rng(seed)
    texts = []
    for words in VOCABS.values():
        for _ in range(n_per_theme):
            texts.append([str(w) for w in rng.choice(words, size=length)])
    return texts


@pytest.fixture(scope="module")
def toy() -> tuple[list[list[str]], object]:
    tokens = _toy_tokens()
    return tokens, prepare_topic_corpus(tokens, config=KEEP_ALL)


@pytest.fixture(scope="module")
def lda3(toy):
    _, tc = toy
    return fit_lda(tc, config=LdaConfig(n_topics=3, passes=20, random_state=7))


# ----------------------------------------------------------------------------- configs


@pytest.mark.parametrize(
    ("factory", "match"),
    [
        (lambda: LdaConfig(n_topics=1), "'n_topics' must be an int >= 2 \\(got 1\\)"),
        (lambda: LdaConfig(passes=0), "'passes' must be a positive int \\(got 0\\)"),
        (lambda: LdaConfig(iterations=-3), "'iterations' must be a positive int"),
        (lambda: LdaConfig(random_state=-1), "'random_state' must be an int >= 0"),
        (lambda: LdaConfig(n_topics=True), "'n_topics' must be"),
        (lambda: LdaConfig(alpha="flat"), "'alpha' must be one of .* or a positive number"),
        (lambda: LdaConfig(alpha=0.0), "'alpha' must be one of"),
        (lambda: LdaConfig(eta="asymmetric"), "'eta' must be one of"),
        (lambda: NmfConfig(init="svd"), "'init' must be one of"),
        (lambda: NmfConfig(max_iter=0), "'max_iter' must be a positive int"),
        (lambda: VocabularyConfig(no_below=0), "'no_below' must be a positive int"),
        (lambda: VocabularyConfig(no_above=1.5), "'no_above' must be a number in \\(0, 1\\]"),
        (lambda: VocabularyConfig(keep_n=0), "'keep_n' must be a positive int"),
    ],
)
def test_config_errors(factory, match):
    with pytest.raises(ConfigError, match=match):
        factory()


def test_configs_are_frozen():
    with pytest.raises(AttributeError):
        LdaConfig().n_topics = 3  # type: ignore[misc]


# ----------------------------------------------------------------------------- corpus


def test_prepare_topic_corpus_filters_like_gensim():
    tokens = [["a", "b", "x"], ["a", "c"], ["a", "b"], ["b", "c", "y"]]
    tc = prepare_topic_corpus(
        tokens, ids=["p", "q", "r", "s"], config=VocabularyConfig(no_below=2, no_above=0.75)
    )
    # "a" and "b" are in 3/4 texts (kept), "c" in 2, "x"/"y" in 1 (dropped)
    assert sorted(tc.terms) == ["a", "b", "c"]
    assert tc.texts == (("a", "b"), ("a", "c"), ("a", "b"), ("b", "c"))
    assert tc.ids == ("p", "q", "r", "s")
    assert len(tc) == 4


def test_prepare_topic_corpus_errors():
    with pytest.raises(TextkitError, match="'ids' has 1 entries but there are 2"):
        prepare_topic_corpus([["a"], ["b"]], ids=["x"])
    with pytest.raises(TextkitError, match="only 0 term\\(s\\) left .* try a lower no_below"):
        prepare_topic_corpus([["a"], ["b"]], config=VocabularyConfig(no_below=2))


def test_sample_topic_corpus_is_a_seeded_ordered_subset(toy):
    _, tc = toy  # 36 units: 12 of each theme, in theme order
    sample = sample_topic_corpus(tc, max_passages=10, random_state=4)
    assert len(sample) == 10
    # the draw is numpy's seeded choice without replacement, sorted back into corpus order
    expected = np.sort(np.random.default_rng(4).choice(36, size=10, replace=False))
    assert sample.ids == tuple(str(i) for i in expected)
    assert [int(i) for i in sample.ids] == sorted(int(i) for i in sample.ids)
    assert sample.texts == tuple(tc.texts[i] for i in expected)
    assert sample.bow == tuple(tc.bow[i] for i in expected)
    assert sample.dictionary is tc.dictionary and sample.terms == tc.terms
    again = sample_topic_corpus(tc, max_passages=10, random_state=4)
    assert again.ids == sample.ids and again.texts == sample.texts
    assert sample_topic_corpus(tc, max_passages=10, random_state=5).ids != sample.ids


@pytest.mark.parametrize("cap", [None, 36, 37, 10_000])
def test_sample_topic_corpus_keeps_everything_without_a_binding_cap(toy, cap):
    _, tc = toy
    assert sample_topic_corpus(tc, max_passages=cap, random_state=1) is tc


@pytest.mark.parametrize("cap", [3, 17, 35])
def test_sample_topic_corpus_respects_the_cap(toy, cap):
    _, tc = toy
    sample = sample_topic_corpus(tc, max_passages=cap, random_state=0)
    assert len(sample) == cap
    assert len(set(sample.ids)) == cap and set(sample.ids) <= set(tc.ids)


@pytest.mark.parametrize("cap", [0, 2, -5, 2.5, "100", True])
def test_sample_topic_corpus_rejects_bad_caps(toy, cap):
    _, tc = toy
    with pytest.raises(ConfigError) as info:
        sample_topic_corpus(tc, max_passages=cap)  # type: ignore[arg-type]
    message = str(info.value)
    assert f"'max_passages' must be an int of at least 3 or None (got {cap!r})" in message
    assert "set it to None to keep every passage" in message


# ----------------------------------------------------------------------------- models


def test_same_seed_gives_identical_topics(toy):
    _, tc = toy
    config = LdaConfig(n_topics=3, passes=5, random_state=123)
    a, b = fit_lda(tc, config=config), fit_lda(tc, config=config)
    pd.testing.assert_frame_equal(a.topic_word, b.topic_word, check_exact=True)
    pd.testing.assert_frame_equal(a.doc_topic, b.doc_topic, check_exact=True)


def test_other_seed_changes_the_fit(toy):
    _, tc = toy
    a = fit_lda(tc, config=LdaConfig(n_topics=3, passes=1, random_state=1))
    b = fit_lda(tc, config=LdaConfig(n_topics=3, passes=1, random_state=2))
    assert not np.allclose(a.topic_word.to_numpy(), b.topic_word.to_numpy())


def test_lda_recovers_the_three_themes(lda3):
    found = sorted(sorted(words) for words in lda3.top_words(6))
    assert found == sorted(sorted(words) for words in VOCABS.values())
    assert lda3.topic_word.index.tolist() == [1, 2, 3]
    np.testing.assert_allclose(lda3.topic_word.sum(axis=1), 1.0, rtol=1e-6)
    np.testing.assert_allclose(lda3.doc_topic.sum(axis=1), 1.0, rtol=1e-9)


# the toy's three exactly disjoint blocks keep the solver's tolerance test from settling
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_nmf_recovers_the_three_themes_deterministically(toy):
    _, tc = toy
    config = NmfConfig(n_topics=3, init="nndsvd", random_state=0)
    a, b = fit_nmf(tc, config=config), fit_nmf(tc, config=config)
    assert a.estimator.init == "nndsvd" and a.estimator.random_state == 0
    found = sorted(sorted(words) for words in a.top_words(6))
    assert found == sorted(sorted(words) for words in VOCABS.values())
    pd.testing.assert_frame_equal(a.topic_word, b.topic_word, check_exact=True)
    assert list(a.topic_word.columns) == tc.terms


# ----------------------------------------------------------------------------- coherence


@pytest.mark.parametrize("measure", ["c_v", "c_npmi", "u_mass"])
def test_coherence_equals_gensim_coherencemodel(toy, lda3, measure):
    tokens, tc = toy
    ours = topic_coherence(lda3, tc, measure=measure, top_n=5)
    reference = CoherenceModel(
        model=lda3.estimator,
        texts=tokens,
        dictionary=tc.dictionary,
        coherence=measure,
        topn=5,
        processes=1,
    )
    np.testing.assert_allclose(ours.to_numpy(), reference.get_coherence_per_topic(), rtol=1e-12)
    assert ours.attrs["model"] == pytest.approx(reference.get_coherence(), rel=1e-12)
    assert ours.index.tolist() == [1, 2, 3]


def test_coherence_grid_reports_every_model_and_keeps_nan(toy, monkeypatch):
    _, tc = toy
    grid = coherence_grid(tc, k_values=[2, 3], lda=LdaConfig(passes=2), top_n=4, progress=False)
    assert len(grid) == 2 * 2 * 2  # methods x k x measures
    assert set(grid["measure"]) == {"c_v", "c_npmi"}
    # the grid's value is the coherence of the model refitted independently
    row = grid.query("method == 'lda' and k == 3 and measure == 'c_npmi'")["coherence"].item()
    model = fit_lda(tc, config=LdaConfig(n_topics=3, passes=2))
    assert row == pytest.approx(
        topic_coherence(model, tc, measure="c_npmi", top_n=4).attrs["model"]
    )

    import textkit.topics.coherence as topics

    real = topics.topic_coherence

    def nan_for_k2(model, tc, *, measure, top_n):
        values = real(model, tc, measure=measure, top_n=top_n)
        if model.n_topics == 2:
            values.iloc[0] = np.nan
            values.attrs["model"] = float(np.mean(values.to_numpy()))
        return values

    monkeypatch.setattr(topics, "topic_coherence", nan_for_k2)
    grid = coherence_grid(
        tc, k_values=[2, 3], lda=LdaConfig(passes=1), with_nmf=False, top_n=4, progress=False
    )
    k2 = grid[grid["k"] == 2]
    assert k2["coherence"].isna().all() and (k2["nan_topics"] == 1).all()
    assert len(grid) == 4  # NaN rows are kept
    assert choose_k(grid) == 3


def test_progress_bars_can_be_switched_off(toy, capsys):
    _, tc = toy
    lda = LdaConfig(passes=1)
    coherence_grid(tc, k_values=[2], lda=lda, with_nmf=False, measures=["u_mass"], progress=True)
    refit_seeds(tc, config=LdaConfig(n_topics=2, passes=1), seeds=[1], progress=True)
    err = capsys.readouterr().err
    assert "k grid" in err and "seed refits" in err
    coherence_grid(tc, k_values=[2], lda=lda, with_nmf=False, measures=["u_mass"], progress=False)
    refit_seeds(tc, config=LdaConfig(n_topics=2, passes=1), seeds=[1], progress=False)
    assert capsys.readouterr().err == ""


def test_coherence_grid_rejects_bad_grid(toy):
    _, tc = toy
    with pytest.raises(ConfigError, match="'k_values' must hold at least one k"):
        coherence_grid(tc, k_values=[], progress=False)
    with pytest.raises(ConfigError, match="'k' must be an int >= 2 \\(got 1\\)"):
        coherence_grid(tc, k_values=[1, 2], progress=False)


def _grid(cv, npmi=None):
    ks = list(range(2, 2 + len(cv)))
    rows = [
        {"method": "lda", "k": k, "measure": "c_v", "coherence": v}
        for k, v in zip(ks, cv, strict=True)
    ]
    npmi = npmi if npmi is not None else [np.nan] * len(cv)
    rows += [
        {"method": "lda", "k": k, "measure": "c_npmi", "coherence": v}
        for k, v in zip(ks, npmi, strict=True)
    ]
    rows += [{"method": "nmf", "k": k, "measure": "c_v", "coherence": 0.99} for k in ks]
    return pd.DataFrame(rows)


@pytest.mark.parametrize(
    ("cv", "npmi", "expected"),
    [
        ([0.3, 0.5, 0.4], None, 3),  # plain maximum
        ([0.5, 0.2, 0.5], None, 2),  # tie -> smaller k
        ([np.nan, 0.2, 0.1], None, 3),  # NaN never wins
        ([np.nan, np.nan], [0.1, 0.2], 3),  # all c_v NaN -> fallback measure
    ],
)
def test_choose_k_rule(cv, npmi, expected):
    assert choose_k(_grid(cv, npmi)) == expected


def test_choose_k_all_nan_raises():
    with pytest.raises(TextkitError, match="no finite 'c_v' \\(or 'c_npmi'\\) coherence"):
        choose_k(_grid([np.nan, np.nan]))


# ----------------------------------------------------------------------------- stability


def test_alignment_recovers_a_permutation_exactly(lda3):
    permutation = [3, 1, 2]  # new topic i is old topic permutation[i-1]
    shuffled = lda3.topic_word.loc[permutation].set_axis([1, 2, 3])
    aligned = align_topics(lda3, shuffled)
    # old topic 3 is now topic 1, old 1 is now 2, old 2 is now 3
    assert aligned["matched_topic"].tolist() == [2, 3, 1]
    assert aligned["similarity"].tolist() == [1.0, 1.0, 1.0]


@settings(max_examples=30, deadline=None)
@given(st.permutations(list(range(1, 7))), st.integers(0, 2**16))
def test_alignment_recovers_any_permutation(permutation, seed):
    rng = np.random.default_rng(seed)
    reference = pd.DataFrame(rng.dirichlet(np.full(40, 0.1), size=6), index=range(1, 7))
    shuffled = reference.loc[permutation].set_axis(range(1, 7))
    for metric in ("cosine", "jensen-shannon"):
        aligned = align_topics(reference, shuffled, metric=metric)
        recovered = [permutation[m - 1] for m in aligned["matched_topic"]]
        assert recovered == list(range(1, 7))


def test_stability_of_identical_runs_is_one(lda3):
    for metric in ("cosine", "jensen-shannon"):
        table = topic_stability(lda3, [lda3, lda3], metric=metric)
        assert table["stability"].tolist() == [1.0, 1.0, 1.0]
        assert table["stable"].all() and (table["n_runs"] == 2).all()


def test_stability_is_mean_of_matched_similarities():
    ref = pd.DataFrame([[1.0, 0.0], [0.0, 1.0]], index=[1, 2], columns=["x", "y"])
    run_a = pd.DataFrame([[0.0, 1.0], [1.0, 0.0]], index=[1, 2], columns=["x", "y"])  # permuted
    run_b = pd.DataFrame([[1.0, 1.0], [0.0, 1.0]], index=[1, 2], columns=["x", "y"])
    table = topic_stability(ref, [run_a, run_b], threshold=0.9)
    # run_b: topic 1 = x -> best match topic 1 (cos 1/sqrt2), topic 2 -> topic 2 (cos 1)
    expected_1 = (1.0 + 1 / np.sqrt(2)) / 2
    assert table.loc[1, "stability"] == pytest.approx(expected_1)
    assert table.loc[2, "stability"] == 1.0
    assert table["stable"].tolist() == [False, True]
    assert table.loc[1, "min_similarity"] == pytest.approx(1 / np.sqrt(2))


def test_similarity_metrics_by_hand():
    a = pd.DataFrame([[0.5, 0.5, 0.0]], columns=["x", "y", "z"])
    b = pd.DataFrame([[0.0, 0.5, 0.5], [0.0, 0.0, 1.0]], columns=["x", "y", "z"])
    cos = topic_similarity(a, b)
    assert cos.to_numpy()[0].tolist() == pytest.approx([0.5, 0.0])
    js = topic_similarity(a, b, metric="jensen-shannon")
    # JS divergence (base 2) of (.5,.5,0) and (0,.5,.5) is 0.5; distance sqrt(0.5)
    assert js.iloc[0, 0] == pytest.approx(1 - np.sqrt(0.5))
    assert js.iloc[0, 1] == pytest.approx(0.0)
    with pytest.raises(ConfigError, match="'metric' must be 'cosine' or 'jensen-shannon'"):
        topic_similarity(a, b, metric="euclid")  # type: ignore[arg-type]


def test_similarity_aligns_vocabularies_by_term():
    a = pd.DataFrame([[1.0, 0.0]], columns=["x", "y"])
    b = pd.DataFrame([[0.0, 1.0]], columns=["y", "x"])
    assert topic_similarity(a, b).iloc[0, 0] == 1.0


def test_refit_seeds_and_stability_on_clear_topics(toy, lda3):
    _, tc = toy
    runs = refit_seeds(tc, config=lda3.config, seeds=[1, 3, 11], progress=False)
    assert [r.config.random_state for r in runs] == [1, 3, 11]
    assert all(r.config.n_topics == 3 for r in runs)
    table = topic_stability(lda3, runs)
    assert (table["stability"] > 0.95).all()  # these seeds all find the three themes
    # seed 2 lands in a poor optimum (one theme twice, two themes merged): stability drops
    (bad,) = refit_seeds(tc, config=lda3.config, seeds=[2], progress=False)
    assert sorted(map(sorted, bad.top_words(6))).count(sorted(VOCABS["law"])) == 2
    table = topic_stability(lda3, [bad])
    assert (~table["stable"]).sum() >= 1 and table["stable"].sum() >= 1
    with pytest.raises(TextkitError, match="'runs' is empty"):
        topic_stability(lda3, [])


def test_infer_topics_gives_every_unit_its_theme_from_a_sampled_fit(toy):
    _, tc = toy
    sample = sample_topic_corpus(tc, max_passages=18, random_state=3)
    model = fit_lda(sample, config=LdaConfig(n_topics=3, passes=20, random_state=7))
    shares = infer_topics(model, tc)
    assert shares.index.tolist() == list(tc.ids) and shares.columns.tolist() == [1, 2, 3]
    np.testing.assert_allclose(shares.sum(axis=1), 1.0, rtol=1e-9)
    # each topic's six top words are one theme's vocabulary; every unit, sampled or not,
    # is dominated by the topic of its own theme (units 0-11 sea, 12-23 aid, 24-35 law)
    topic_of = {
        theme: 1 + [sorted(w) for w in model.top_words(6)].index(sorted(words))
        for theme, words in VOCABS.items()
    }
    themes = [theme for theme in VOCABS for _ in range(12)]
    assert shares.idxmax(axis=1).tolist() == [topic_of[t] for t in themes]
    assert (shares.max(axis=1) > 0.9).all()
    # the sampled units get about the shares they got in training
    np.testing.assert_allclose(shares.loc[list(sample.ids)], model.doc_topic, atol=0.02)


def test_infer_topics_is_repeatable_and_leaves_the_model_unchanged(toy):
    _, tc = toy
    sample = sample_topic_corpus(tc, max_passages=12, random_state=0)
    model = fit_lda(sample, config=LdaConfig(n_topics=3, passes=2, random_state=5))
    generator = model.estimator.random_state
    keys, position = generator.get_state()[1].copy(), generator.get_state()[2]
    first = infer_topics(model, tc)
    assert model.estimator.random_state is generator
    assert np.array_equal(generator.get_state()[1], keys) and generator.get_state()[2] == position
    model.estimator.inference([tc.bow[0]])  # draws from the model's generator in between
    pd.testing.assert_frame_equal(first, infer_topics(model, tc), check_exact=True)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_infer_topics_errors(toy, lda3):
    tokens, tc = toy
    nmf = fit_nmf(tc, config=NmfConfig(n_topics=3))
    with pytest.raises(TextkitError, match="needs an LDA model from fit_lda \\(got 'nmf'\\)"):
        infer_topics(nmf, tc)
    other = prepare_topic_corpus(tokens[:12], config=KEEP_ALL)  # the "sea" terms only
    with pytest.raises(TextkitError, match="has 6 terms but the model was fitted on 18 other"):
        infer_topics(lda3, other)


# ----------------------------------------------------------------------------- tables


def test_top_terms_table(lda3):
    table = top_terms(lda3, top_n=3, display=lambda t: t.upper())
    assert table.columns.tolist() == ["topic", "rank", "term", "label", "weight"]
    assert len(table) == 9
    for topic, rows in table.groupby("topic"):
        weights = lda3.topic_word.loc[topic].sort_values(ascending=False)
        assert rows["weight"].tolist() == pytest.approx(weights.iloc[:3].tolist())
        assert rows["label"].tolist() == [t.upper() for t in rows["term"]]


@pytest.fixture
def units() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "unit_id": ["a:0", "a:1", "b:0", "b:1", "b:2", "c:0"],
            "doc_id": ["a", "a", "b", "b", "b", "c"],
            "index": [0, 1, 0, 1, 2, 0],
            "text": [
                "Navy ships.",
                "Port calls  and\nfleets.",
                "Grants.",
                "Loans " * 40,
                "Donors.",
                "Courts.",
            ],
            "year": pd.array([2001, 2001, 2001, 2001, 2001, None], dtype="Int64"),
        }
    )


@pytest.fixture
def shares() -> pd.DataFrame:
    return pd.DataFrame(
        [[0.8, 0.2], [0.6, 0.4], [0.1, 0.9], [0.3, 0.7], [0.2, 0.8], [0.5, 0.5]],
        index=pd.Index(["a:0", "a:1", "b:0", "b:1", "b:2", "c:0"], name="unit_id"),
        columns=pd.RangeIndex(1, 3, name="topic"),
    )


def test_document_topic_shares_by_hand(units, shares):
    docs = document_topic_shares(shares, units)
    assert docs.index.tolist() == ["a", "b", "c"]
    np.testing.assert_allclose(docs.to_numpy(), [[0.7, 0.3], [0.2, 0.8], [0.5, 0.5]])


def test_shares_must_match_units(units, shares):
    with pytest.raises(TextkitError, match="1 unit id\\(s\\) of the topic shares are not in"):
        document_topic_shares(shares.rename(index={"c:0": "z:9"}), units)


def test_topic_shares_by_year(units, shares):
    result = topic_shares_by_year(shares, units, n_boot=500, random_state=3)
    table = result.table
    assert result.undated_doc_ids == ("c",) and result.n_undated_passages == 1
    assert table["year"].tolist() == [2001, 2001]
    # mean over the five dated passages, by hand
    assert table["share"].tolist() == pytest.approx([2.0 / 5, 3.0 / 5])
    assert (table["lower"] <= table["share"]).all() and (table["share"] <= table["upper"]).all()
    assert (table["lower"] >= 0.1).all() and (table["upper"] <= 0.9).all()
    assert table["n_passages"].tolist() == [5, 5] and table["n_docs"].tolist() == [2, 2]
    again = topic_shares_by_year(shares, units, n_boot=500, random_state=3)
    pd.testing.assert_frame_equal(table, again.table)


def test_single_passage_year_has_zero_width_interval(units, shares):
    units = units.assign(year=pd.array([2001, 2002, 2002, 2002, 2002, 2003], dtype="Int64"))
    table = topic_shares_by_year(shares, units, n_boot=50).table
    first = table[table["year"] == 2001]
    assert (first["lower"] == first["share"]).all() and (first["upper"] == first["share"]).all()
    assert sorted(table["year"].unique()) == [2001, 2002, 2003]


def test_representative_passages(units, shares):
    table = representative_passages(
        shares, units, top_n=2, width=40, labels=pd.Series({"a": "Doc A (2001)"})
    )
    assert table[["topic", "rank", "doc_id", "passage"]].values.tolist() == [
        [1, 1, "a", 0],
        [1, 2, "a", 1],
        [2, 1, "b", 0],
        [2, 2, "b", 2],
    ]
    assert table["share"].tolist() == [0.8, 0.6, 0.9, 0.8]
    assert table["document"].tolist()[:2] == ["Doc A (2001)", "Doc A (2001)"]
    assert table["document"].tolist()[2] == "b"  # no label -> doc_id
    assert table["text"].tolist()[1] == "Port calls and fleets."
    long = representative_passages(shares.loc[["b:1"]], units, top_n=1, width=40)
    text = long["text"].iloc[0]
    assert len(text) <= 40 and text.endswith("…")


# ----------------------------------------------------------------------------- figures


@pytest.fixture
def grid_table() -> pd.DataFrame:
    rows = []
    for method, base in (("lda", 0.5), ("nmf", 0.6)):
        for measure, shift in (("c_v", 0.0), ("c_npmi", -0.5)):
            for k in (2, 3, 4):
                value = (
                    np.nan if (method, measure, k) == ("lda", "c_v", 3) else base + shift + k / 100
                )
                rows.append({"method": method, "k": k, "measure": measure, "coherence": value})
    return pd.DataFrame(rows)


def test_plot_topic_coherence_draws_the_grid(grid_table):
    fig = plot_topic_coherence(grid_table, chosen_k=4)
    panels = [a for a in fig.axes if a.get_lines()]
    assert [a.get_ylabel() for a in panels] == ["C_V coherence", "NPMI coherence"]
    for panel, measure in zip(panels, ["c_v", "c_npmi"], strict=True):
        lines = [ln for ln in panel.get_lines() if ln.get_label() in ("LDA", "NMF")]
        assert [ln.get_label() for ln in lines] == ["LDA", "NMF"]
        for line, method in zip(lines, ["lda", "nmf"], strict=True):
            rows = grid_table[(grid_table["method"] == method) & (grid_table["measure"] == measure)]
            np.testing.assert_array_equal(line.get_xdata(), rows["k"])
            np.testing.assert_array_equal(line.get_ydata(), rows["coherence"])  # NaN stays NaN
        assert any(list(ln.get_xdata()) == [4, 4] for ln in panel.get_lines())  # chosen k
    nan_markers = [ln for ln in panels[0].get_lines() if ln.get_gid() == "nan-marker"]
    assert len(nan_markers) == 1 and list(nan_markers[0].get_xdata()) == [3]
    legend = (
        [t.get_text() for t in fig.legends[0].get_texts()]
        if fig.legends
        else [t.get_text() for t in panels[-1].get_legend().get_texts()]
    )
    assert legend == ["LDA", "NMF", "chosen k = 4", "NaN"]


def test_plot_topic_coherence_into_given_axes(grid_table):
    fig, axes = new_figure("text", ncols=2)
    assert plot_topic_coherence(grid_table, ax=axes) is fig
    with pytest.raises(ConfigError, match="'ax' must give 2 Axes"):
        plot_topic_coherence(grid_table, ax=axes[0])
    with pytest.raises(ConfigError, match="'data' lacks column\\(s\\) \\['coherence'\\]"):
        plot_topic_coherence(grid_table.drop(columns="coherence"))


def test_plot_topic_terms_draws_weights_labels_and_stability(lda3):
    stability = pd.DataFrame(
        {"stability": [0.95, 0.5, 0.99], "stable": [True, False, True]},
        index=pd.Index([1, 2, 3], name="topic"),
    )
    table = topic_terms_table(top_terms(lda3, top_n=4, display=str.title), stability)
    fig = plot_topic_terms(table)
    panels = [a for a in fig.axes if a.get_visible() and a.patches]
    assert len(panels) == 3
    for panel, (topic, rows) in zip(panels, table.groupby("topic"), strict=True):
        assert [b.get_width() for b in panel.patches] == rows["weight"].tolist()
        assert [t.get_text() for t in panel.get_yticklabels()] == rows["label"].tolist()
        hatched = {b.get_hatch() for b in panel.patches}
        assert hatched == ({UNSTABLE_HATCH} if topic == 2 else {None})
    assert panels[1].get_title() == "Topic 2\nstability 0.50 (unstable)"
    assert panels[0].get_title() == "Topic 1\nstability 0.95"
    # without stability: plain titles
    plain = plot_topic_terms(topic_terms_table(top_terms(lda3, top_n=2)))
    assert [a.get_title() for a in plain.axes if a.get_visible()] == [
        "Topic 1",
        "Topic 2",
        "Topic 3",
    ]


def test_topic_documents_table_and_plot():
    shares = pd.DataFrame(
        [[0.7, 0.3], [0.2, 0.8], [0.5, 0.5]],
        index=["c", "a", "b"],
        columns=pd.RangeIndex(1, 3, name="topic"),
    )
    labels = pd.Series({"a": "A (2001)", "b": "B (undated)", "c": "C (1998)"})
    years = pd.Series({"a": 2001, "b": pd.NA, "c": 1998})
    table = topic_documents_table(shares, labels=labels, years=years)
    assert table.index.tolist() == ["C (1998)", "A (2001)", "B (undated)"]
    assert table.columns.tolist() == ["topic_1", "topic_2"]
    fig = plot_topic_documents(table, unstable=[1])
    ax = fig.axes[0]
    np.testing.assert_array_equal(ax.images[0].get_array(), table.to_numpy())
    assert [t.get_text() for t in ax.get_yticklabels()] == table.index.tolist()
    assert [t.get_text() for t in ax.get_xticklabels()] == ["1*", "2"]
    assert [t.get_text() for t in ax.texts] == ["0.70", "0.30", "0.20", "0.80", "0.50", "0.50"]
    with pytest.raises(ConfigError, match="no label for 1 document"):
        topic_documents_table(shares, labels=labels.drop("a"))


def test_plot_topic_by_year_draws_shares_and_intervals():
    data = pd.DataFrame(
        {
            "year": [1998, 2001, 2010] * 2,
            "topic": [1, 1, 1, 2, 2, 2],
            "share": [0.6, 0.3, 0.5, 0.4, 0.7, 0.5],
            "lower": [0.5, 0.2, 0.5, 0.3, 0.6, 0.5],
            "upper": [0.7, 0.4, 0.5, 0.5, 0.8, 0.5],
        }
    )
    fig = plot_topic_by_year(data, unstable=[2])
    panels = [a for a in fig.axes if a.get_visible()]
    for panel, (_, rows) in zip(panels, data.groupby("topic"), strict=True):
        (line,) = panel.get_lines()
        np.testing.assert_array_equal(line.get_xdata(), rows["year"])
        np.testing.assert_array_equal(line.get_ydata(), rows["share"])
        (intervals,) = [c for c in panel.collections if isinstance(c, LineCollection)]
        segments = [seg.tolist() for seg in intervals.get_segments()]
        expected = [
            [[year, lower], [year, upper]]
            for year, lower, upper in rows[["year", "lower", "upper"]].itertuples(index=False)
        ]
        assert segments == expected
    assert panels[1].get_title() == "Topic 2 (unstable)"
    assert panels[1].get_lines()[0].get_linestyle() == ":"
    assert panels[0].get_xlim()[0] < 1998 and panels[0].get_xlim()[1] > 2010


def test_topic_figure_csv_is_the_plotted_table(tmp_path, lda3):
    table = topic_terms_table(top_terms(lda3, top_n=3))
    paths = save_figure(plot_topic_terms(table), "topic_terms", table, tmp_path)
    back = pd.read_csv(paths["csv"])
    pd.testing.assert_frame_equal(
        back[["topic", "rank", "label"]], table[["topic", "rank", "label"]]
    )
    np.testing.assert_allclose(back["weight"], table["weight"], rtol=1e-5)
