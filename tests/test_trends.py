"""Tests of textkit.trends against answers known independently (hand computation, scipy)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from textkit.errors import ConfigError, TextkitError
from textkit.trends import (
    default_split_year,
    dispersion,
    keyness,
    log_likelihood_g2,
    log_ratio,
    normalize_terms,
    poisson_interval,
    select_trend_terms,
    term_counts,
    term_rates,
    top_keyness,
    trend_panel_table,
    trend_tests,
    yearly_rates,
)

# --------------------------------------------------------------------------- G² and log ratio


def test_g2_matches_hand_computation_and_scipy() -> None:
    a, b, ta, tb = 10, 2, 1000, 1000
    # expected counts from the margins: 6, 6, 994, 994
    hand = 2 * (
        10 * math.log(10 / 6)
        + 2 * math.log(2 / 6)
        + 990 * math.log(990 / 994)
        + 998 * math.log(998 / 994)
    )
    table = np.array([[a, b], [ta - a, tb - b]], dtype=float)
    expected = stats.contingency.expected_freq(table)
    ref = stats.power_divergence(table.ravel(), expected.ravel(), ddof=2, lambda_="log-likelihood")
    ours = log_likelihood_g2(a, b, ta, tb)[0]
    assert ours == pytest.approx(hand, rel=1e-12)
    assert ours == pytest.approx(ref.statistic, rel=1e-12)
    # ddof=2 gives the 1 degree of freedom of a 2x2 table
    assert stats.chi2.sf(ours, 1) == pytest.approx(ref.pvalue, rel=1e-10)


def test_g2_with_a_zero_cell_and_unequal_totals() -> None:
    a, b, ta, tb = 0, 7, 500, 3000
    table = np.array([[a, b], [ta - a, tb - b]])
    ref = stats.chi2_contingency(table, correction=False, lambda_="log-likelihood")
    assert log_likelihood_g2(a, b, ta, tb)[0] == pytest.approx(ref.statistic, rel=1e-12)


def test_log_ratio_by_hand() -> None:
    lr, lo, hi = log_ratio([20, 0], [10, 4], [1000, 1000], [2000, 1000], confidence=0.95)
    # (20/1000) / (10/2000) = 4 -> log2 = 2
    assert lr[0] == pytest.approx(2.0)
    se = math.sqrt(1 / 20 + 1 / 10)
    z = 1.959963984540054
    assert lo[0] == pytest.approx((math.log(4) - z * se) / math.log(2))
    assert hi[0] == pytest.approx((math.log(4) + z * se) / math.log(2))
    # a zero count becomes 0.5: log2(0.5 / 4) = -3
    assert lr[1] == pytest.approx(-3.0)
    se0 = math.sqrt(1 / 0.5 + 1 / 4)
    assert hi[1] - lr[1] == pytest.approx(z * se0 / math.log(2))


# --------------------------------------------------------------------------- rates


def test_garwood_interval_against_gamma_quantiles_and_table() -> None:
    low, high = poisson_interval([0, 1, 3, 10], confidence=0.95)
    k = np.array([0, 1, 3, 10])
    # the same interval written with gamma quantiles
    ref_low = np.where(k > 0, stats.gamma.ppf(0.025, np.maximum(k, 1)), 0.0)
    ref_high = stats.gamma.ppf(0.975, k + 1)
    np.testing.assert_allclose(low, ref_low, rtol=1e-10)
    np.testing.assert_allclose(high, ref_high, rtol=1e-10)
    # published table values (Garwood 1936 / standard exact Poisson tables)
    assert high[0] == pytest.approx(3.689, abs=1e-3)
    assert (low[2], high[2]) == pytest.approx((0.619, 8.767), abs=1e-3)


def test_rate_and_interval_on_toy_corpus_by_hand() -> None:
    tokens = {
        "a": ["peac"] * 3 + ["other"] * 1997,  # 3 in 2,000 tokens
        "b": ["other"] * 500,  # never
        "u": ["peac"] * 10,  # undated: left out
    }
    counts = term_counts(tokens, ["peac"], years={"a": 2001, "b": 2003, "u": None})
    rates = term_rates(counts)
    assert list(rates.columns) == [
        "term", "doc_id", "year", "count", "tokens", "per_10k", "ci_low", "ci_high",
    ]  # fmt: skip
    assert rates.attrs["undated"] == ["u"]
    a = rates.set_index("doc_id").loc["a"]
    assert (a["count"], a["tokens"]) == (3, 2000)
    assert a["per_10k"] == 10_000 * 3 / 2000  # exactly
    assert a["ci_low"] == pytest.approx(0.6187 * 5, abs=1e-3)
    assert a["ci_high"] == pytest.approx(8.7673 * 5, abs=1e-3)
    b = rates.set_index("doc_id").loc["b"]
    assert b["count"] == 0 and b["per_10k"] == 0.0 and b["ci_low"] == 0.0
    assert b["ci_high"] == pytest.approx(3.6889 * 20, abs=1e-3)


def test_yearly_rates_pool_documents() -> None:
    tokens = {"a": ["x"] * 2 + ["y"] * 98, "b": ["x"] * 3 + ["y"] * 297, "c": ["x"]}
    counts = term_counts(tokens, ["x"], years={"a": 2000, "b": 2000, "c": 2001})
    yr = yearly_rates(counts).set_index("year")
    assert yr.loc[2000, "count"] == 5 and yr.loc[2000, "tokens"] == 400
    assert yr.loc[2000, "n_docs"] == 2
    assert yr.loc[2000, "per_10k"] == pytest.approx(10_000 * 5 / 400)
    low, high = poisson_interval([5])
    assert yr.loc[2000, "ci_high"] == pytest.approx(high[0] * 10_000 / 400)


# --------------------------------------------------------------------------- counts, terms


def test_phrase_counted_as_phrase_token_or_adjacent_parts() -> None:
    toks = {"d": ["human_secur", "x", "human", "secur", "human", "x", "secur", "human_secur"]}
    c = term_counts(toks, ["human_secur", "secur", "human"], inside_phrases=False)
    got = dict(zip(c["term"], c["count"], strict=True))
    assert got == {"human_secur": 3, "secur": 2, "human": 2}
    # by default a word is also found inside phrase tokens
    c = term_counts(toks, ["human_secur", "secur", "human"])
    got = dict(zip(c["term"], c["count"], strict=True))
    assert got == {"human_secur": 3, "secur": 4, "human": 4}


def test_term_found_inside_a_longer_phrase_token() -> None:
    toks = {"d": ["trust_fund_for_human_secur", "human_secur", "x_human", "secur"]}
    c = term_counts(toks, ["human_secur", "fund_human"])
    assert c["count"].tolist() == [3, 0]
    assert term_counts(toks, ["human_secur"], inside_phrases=False)["count"].tolist() == [1]
    d = dispersion(toks, ["human_secur"])
    assert d["position"].tolist() == [0, 1, 2]


def test_term_counts_all_terms_with_min_count() -> None:
    toks = {"a": ["x", "x", "y"], "b": ["x", "z"]}
    c = term_counts(toks, min_count=2)
    assert set(c["term"]) == {"x"}
    assert c["count"].tolist() == [2, 1]
    with pytest.raises(ConfigError, match="'min_count' must be a positive int"):
        term_counts(toks, min_count=0)
    with pytest.raises(TextkitError, match="not one string"):
        term_counts(toks, "x")


class _Lower:
    """A stand-in analyzer: lower-case, drop 'the', join words with '_'."""

    def normalize_term(self, term: str) -> str:
        return "_".join(w for w in term.lower().split() if w != "the")


def test_normalize_terms_case_and_errors() -> None:
    out = normalize_terms(["Terrorism", "terrorism", "the Human Security"], _Lower())
    assert out["term"].tolist() == ["terrorism", "terrorism", "human_security"]
    with pytest.raises(TextkitError, match="'the' normalises to nothing"):
        normalize_terms(["peace", "the"], _Lower())
    with pytest.raises(TextkitError, match="not one string"):
        normalize_terms("peace", _Lower())


def test_dispersion_relative_positions_and_phrases() -> None:
    d = dispersion({"a": ["p", "q", "human", "secur", "p"], "b": ["p"]}, ["p", "human_secur"])
    assert d[d["term"] == "p"]["relative_position"].tolist() == [0.0, 1.0, 0.0]
    hs = d[d["term"] == "human_secur"]
    assert hs["position"].tolist() == [2] and hs["relative_position"].tolist() == [0.5]


# --------------------------------------------------------------------------- trend tests


def _long(
    matrix: np.ndarray, years: np.ndarray, tokens: np.ndarray, names: list[str]
) -> pd.DataFrame:
    n_terms, n_docs = matrix.shape
    return pd.DataFrame(
        {
            "term": np.repeat(names, n_docs),
            "doc_id": np.tile([f"d{i:03d}" for i in range(n_docs)], n_terms),
            "year": np.tile(years, n_terms),
            "count": matrix.ravel(),
            "tokens": np.tile(tokens, n_terms),
        }
    )


def test_saturated_two_document_fit_by_hand() -> None:
    # 10 in 1,000 tokens in 2000; 40 in 2,000 tokens in 2002: the rate doubles in two years
    c = pd.DataFrame(
        {"term": ["t", "t"], "doc_id": ["a", "b"], "year": [2000, 2002], "count": [10, 40],
         "tokens": [1000, 2000]}
    )  # fmt: skip
    t = trend_tests(c, method="poisson").iloc[0]
    assert t["rate_ratio"] == pytest.approx(math.sqrt(2), rel=1e-6)
    se = math.sqrt(1 / 10 + 1 / 40) / 2  # var of log rate difference / (2 years)^2
    assert t["statistic"] == pytest.approx(math.log(2) / 2 / se, rel=1e-5)
    assert t["p_value"] == pytest.approx(2 * stats.norm.sf(t["statistic"]), rel=1e-6)
    # quasi-Poisson has no residual degrees of freedom with two documents
    q = trend_tests(c).iloc[0]
    assert math.isnan(q["p_value"]) and "degrees of freedom" in q["note"]
    assert q["rate_ratio"] == pytest.approx(math.sqrt(2), rel=1e-6)


def _simulate(seed: int, *, n_flat: int = 40, docs_per_year: int = 4) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    years = np.repeat(np.arange(1998, 2011), docs_per_year)
    tokens = rng.integers(800, 6000, len(years))
    base = rng.uniform(5e-4, 5e-3, n_flat + 1)
    # rates of the planted term rise by a factor of 1.25 a year; all terms overdispersed
    rate = np.tile(base[:, None], (1, len(years)))
    rate[0] = base[0] * 1.25 ** (years - years.min()) / 4
    frailty = rng.gamma(5.0, 1 / 5.0, rate.shape)  # between-document variation, CV 0.45
    matrix = rng.poisson(rate * frailty * tokens)
    names = ["planted"] + [f"flat{i:02d}" for i in range(n_flat)]
    return _long(matrix, years, tokens, names)


@pytest.mark.parametrize("method", ["quasipoisson", "permutation"])
def test_trend_test_finds_planted_term_with_fdr_control(method: str) -> None:
    found, false_discoveries, discoveries = 0, 0, 0
    n_runs = 8
    for seed in range(n_runs):
        tests = trend_tests(_simulate(seed), method=method, min_count=5, n_permutations=999,
                            random_state=seed)  # fmt: skip
        sig = tests[tests["p_adjusted"] <= 0.05]
        found += "planted" in set(sig["term"])
        false_discoveries += int(sig["term"].str.startswith("flat").sum())
        discoveries += len(sig)
        planted = tests.set_index("term").loc["planted"]
        assert planted["rr_low"] < 1.25 < planted["rr_high"] or planted["rate_ratio"] > 1.1
    assert found == n_runs
    # with 40 flat terms at FDR 5 %, false discoveries should be rare
    assert false_discoveries / max(discoveries, 1) <= 0.15


def test_plain_poisson_is_liberal_under_overdispersion() -> None:
    """Documents why quasi-Poisson is the default: plain Poisson flags flat terms."""
    data = _simulate(0)
    poisson = trend_tests(data, method="poisson", min_count=5)
    quasi = trend_tests(data, method="quasipoisson", min_count=5)
    flat_p = poisson[poisson["term"].str.startswith("flat")]["p_value"]
    flat_q = quasi[quasi["term"].str.startswith("flat")]["p_value"]
    assert (flat_p < 0.05).sum() > (flat_q < 0.05).sum()


def test_permutation_p_value_is_exact_with_few_documents() -> None:
    # 4 documents -> 24 orderings; counts strictly increasing with year, equal lengths
    c = pd.DataFrame(
        {"term": "t", "doc_id": list("abcd"), "year": [2000, 2001, 2002, 2003],
         "count": [1, 2, 3, 4], "tokens": 100}
    )  # fmt: skip
    t = trend_tests(c, method="permutation").iloc[0]
    # only the identity and its mirror image reach |score| as large: 2 / 24
    assert t["p_value"] == pytest.approx(2 / 24)


def test_degenerate_cases_report_nan_with_reason() -> None:
    rows = []
    for term, counts in {"zero": [0, 0, 0], "late": [0, 0, 5], "mid": [0, 4, 0]}.items():
        rows += [
            (term, d, y, c, 100) for d, y, c in zip("abc", [2000, 2001, 2002], counts, strict=True)
        ]
    c = pd.DataFrame(rows, columns=["term", "doc_id", "year", "count", "tokens"])
    t = trend_tests(c, min_count=0).set_index("term")
    assert "no occurrences" in t.loc["zero", "note"] and math.isnan(t.loc["zero", "p_value"])
    assert "latest year" in t.loc["late", "note"] and math.isnan(t.loc["late", "slope"])
    assert bool(t.loc["late", "single_document"]) and bool(t.loc["mid", "single_document"])
    one_year = c.assign(year=2005)
    t1 = trend_tests(one_year, min_count=1)
    assert t1["note"].str.contains("only one year").all()
    assert t1["p_adjusted"].isna().all()
    perm = trend_tests(c, method="permutation", min_count=1).set_index("term")
    assert not math.isnan(perm.loc["late", "p_value"])


def test_single_document_flag_when_one_document_carries_the_change() -> None:
    # 'spike' rises only because of one long late document; 'steady' rises in every document
    years = [2000, 2001, 2002, 2003, 2004, 2005]
    spike = [2, 2, 2, 2, 2, 40]
    steady = [2, 4, 6, 8, 10, 12]
    rows = [
        ("spike", f"d{i}", y, k, 1000) for i, (y, k) in enumerate(zip(years, spike, strict=True))
    ]
    rows += [
        ("steady", f"d{i}", y, k, 1000) for i, (y, k) in enumerate(zip(years, steady, strict=True))
    ]
    c = pd.DataFrame(rows, columns=["term", "doc_id", "year", "count", "tokens"])
    t = trend_tests(c, method="poisson").set_index("term")
    assert bool(t.loc["spike", "single_document"]) is False or t.loc["spike", "top_doc"] == "d5"
    assert not bool(t.loc["steady", "single_document"])
    # a spike that reverses without its top document is flagged
    rows2 = [("rev", f"d{i}", y, k, 1000) for i, (y, k) in
             enumerate(zip(years, [5, 4, 3, 2, 1, 60], strict=True))]  # fmt: skip
    t2 = trend_tests(pd.DataFrame(rows2, columns=c.columns), method="poisson").iloc[0]
    assert t2["slope"] > 0 and bool(t2["single_document"]) and t2["top_doc"] == "d5"


def test_trend_tests_config_errors() -> None:
    c = pd.DataFrame({"term": ["t"], "doc_id": ["a"], "year": [2000], "count": [1], "tokens": [9]})
    with pytest.raises(ConfigError, match="'method' must be one of"):
        trend_tests(c, method="ols")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="'min_count' must be a non-negative int"):
        trend_tests(c, min_count=-1)
    with pytest.raises(ConfigError, match="'confidence' must be a number between 0 and 1"):
        trend_tests(c, confidence=95)
    with pytest.raises(TextkitError, match="needs columns"):
        trend_tests(c.drop(columns="year"))


def test_select_trend_terms_orders_by_adjusted_p() -> None:
    t = pd.DataFrame({"term": ["a", "b", "c"], "p_value": [0.2, 0.001, 0.001],
                      "p_adjusted": [0.2, 0.002, 0.002], "slope": [1.0, 0.1, -0.5]})  # fmt: skip
    assert select_trend_terms(t, n=3) == ["c", "b", "a"]


# --------------------------------------------------------------------------- keyness


def test_keyness_table_against_scipy_and_split() -> None:
    tokens = {
        "e1": ["war"] * 10 + ["x"] * 490,
        "e2": ["war"] * 5 + ["x"] * 495,
        "l1": ["war"] * 1 + ["peac"] * 20 + ["x"] * 979,
        "u": ["peac"] * 50,
    }
    counts = term_counts(tokens, years={"e1": 2000, "e2": 2001, "l1": 2007, "u": None})
    k = keyness(counts, split_year=2001).set_index("term")
    assert k.attrs["tokens_early"] == 1000 and k.attrs["tokens_late"] == 1000
    war = k.loc["war"]
    assert (war["count_early"], war["count_late"], war["direction"]) == (15, 1, "early")
    ref = stats.chi2_contingency(np.array([[1, 15], [999, 985]]), correction=False,
                                 lambda_="log-likelihood")  # fmt: skip
    assert war["g2"] == pytest.approx(ref.statistic)
    assert war["p_value"] == pytest.approx(ref.pvalue)
    assert war["log_ratio"] == pytest.approx(math.log2(1 / 15))
    from statsmodels.stats.multitest import multipletests

    np.testing.assert_allclose(
        k["p_adjusted"], multipletests(k["p_value"], method="fdr_bh")[1], rtol=1e-12
    )
    assert k.loc["peac", "direction"] == "late"
    assert k.loc["peac", "log_ratio"] == pytest.approx(math.log2(20 / 0.5))
    top = top_keyness(k.reset_index(), n=1)
    assert top["term"].tolist() == ["peac", "war"]
    with pytest.raises(TextkitError, match="leaves a period without tokens"):
        keyness(counts, split_year=2010)


def test_default_split_year_needs_two_years() -> None:
    assert default_split_year([2000, 2006, 2007, 2008, None]) == 2006
    with pytest.raises(TextkitError, match="at least two years"):
        default_split_year([2003, 2003])


def test_glm_fit_matches_statsmodels_poisson_and_quasipoisson() -> None:
    import statsmodels.api as sm

    data = _simulate(3, n_flat=6, docs_per_year=2)
    tests = trend_tests(data, method="quasipoisson", min_count=1).set_index("term")
    poisson = trend_tests(data, method="poisson", min_count=1).set_index("term")
    overdispersed = 0
    for term, rows in data.groupby("term"):
        x = rows["year"].to_numpy(float)
        design = sm.add_constant(x)
        model = sm.GLM(
            rows["count"].to_numpy(float),
            design,
            family=sm.families.Poisson(),
            offset=np.log(rows["tokens"].to_numpy(float)),
        )
        ref = model.fit()
        assert poisson.loc[term, "slope"] == pytest.approx(ref.params[1], rel=1e-7)
        assert poisson.loc[term, "p_value"] == pytest.approx(ref.pvalues[1], rel=1e-4)
        ref_q = model.fit(scale="X2")  # quasi-Poisson: scale = Pearson chi2 / df
        phi = ref_q.scale
        assert tests.loc[term, "dispersion"] == pytest.approx(max(1.0, phi), rel=1e-5)
        if phi >= 1:
            t_stat = ref_q.params[1] / ref_q.bse[1]
            assert tests.loc[term, "statistic"] == pytest.approx(t_stat, rel=1e-5)
            overdispersed += 1
    assert overdispersed >= 3  # the quasi-Poisson branch was exercised


def test_phrase_terms_written_with_spaces_match_words_in_a_row() -> None:
    toks = {"d": ["human", "secur", "x", "human_secur"]}
    assert term_counts(toks, ["human secur"])["count"].tolist() == [2]
    assert term_counts(toks, ["human secur"], inside_phrases=False)["count"].tolist() == [1]


# --------------------------------------------------------------------------- with the real analyzer


def _seed_analyzer(seeds_dir, *, phrases: bool):  # type: ignore[no-untyped-def]
    features = pytest.importorskip("textkit.features")
    from textkit import load_corpus
    from textkit.tokenize import TokenizerConfig

    corpus = load_corpus(seeds_dir)
    config = features.AnalyzerConfig(tokenizer=TokenizerConfig(stem="porter"))
    if phrases:
        from textkit.phrases import PhraseConfig

        config = features.AnalyzerConfig(
            tokenizer=TokenizerConfig(stem="porter"), phrases=PhraseConfig()
        )
    return corpus, features.Analyzer(config).fit(list(corpus.texts))


@pytest.mark.parametrize("phrases", [True, False])
def test_phrase_term_count_equals_a_direct_count(seeds_dir, phrases: bool) -> None:  # type: ignore[no-untyped-def]
    import re

    from textkit.clean import clean

    corpus, analyzer = _seed_analyzer(seeds_dir, phrases=phrases)
    term = analyzer.normalize_term("human security")
    tokens = {doc.doc_id: analyzer(doc.text) for doc in corpus}
    counts = term_counts(tokens, [term]).set_index("doc_id")["count"]
    direct = {
        doc.doc_id: len(re.findall(r"\bhuman\s+security\b", clean(doc.text), flags=re.IGNORECASE))
        for doc in corpus
    }
    assert counts.to_dict() == direct
    assert sum(direct.values()) >= 20  # the seeds do use the phrase


def test_user_terms_normalised_like_the_corpus(seeds_dir) -> None:  # type: ignore[no-untyped-def]
    corpus, analyzer = _seed_analyzer(seeds_dir, phrases=True)
    out = normalize_terms(["Terrorism", "terrorism", "TERRORISM"], analyzer)
    assert out["term"].nunique() == 1
    tokens = {doc.doc_id: analyzer(doc.text) for doc in corpus}
    counts = term_counts(tokens, list(out["term"].unique()) + ["zzzneverzzz"])
    assert counts.groupby("term")["count"].sum()["zzzneverzzz"] == 0  # reported, not dropped
    assert counts.groupby("term")["count"].sum()[out["term"][0]] > 0
    with pytest.raises(TextkitError, match="the of"):
        normalize_terms(["peace", "the of"], analyzer)


# --------------------------------------------------------------------------- evidence and figures


def test_term_kwic_finds_every_surface_form_and_the_phrase_across_lines() -> None:
    from textkit.corpus import Corpus
    from textkit.trends import term_kwic

    text = (
        "Terrorism rose. Terrorists struck; counter-terrorism grew.\n"
        "Human\nsecurity matters, human security matters, humans secure nothing."
    )
    corpus = Corpus(pd.DataFrame({"doc_id": ["a"], "year": [2001], "text": [text]}))
    forms = {"terror": ["terrorism", "terrorists"], "human_secur": ["human security"]}
    hits = term_kwic(corpus, "terror", forms, window=2)
    # whole words only: the "terrorism" inside "counter-terrorism" is another word
    assert hits["match"].tolist() == ["Terrorism", "Terrorists"]
    assert hits["term"].unique().tolist() == ["terror"]
    phrase = term_kwic(corpus, "human_secur", forms, window=1)
    assert len(phrase) == 2 and phrase["year"].tolist() == [2001, 2001]
    # the words of a phrase in a row are found through the forms of each word
    parts = {"human": ["human"], "secur": ["security", "secure"]}
    assert len(term_kwic(corpus, "human_secur", parts)) == 2
    assert term_kwic(corpus, "unknown", forms).empty


def test_plot_functions_draw_their_table_and_reject_bad_tables() -> None:
    from textkit.figures import plot_dispersion, plot_keyness, plot_term_trends

    data = pd.DataFrame(
        {"term": ["a", "a", "a"], "year": [2000, 2000, 2004], "per_10k": [2.0, 3.0, 8.0],
         "ci_low": [1.0, 1.0, 6.0], "ci_high": [4.0, 5.0, 9.0],
         "level": ["year", "document", "fitted"]}
    )  # fmt: skip
    fig = plot_term_trends(data)
    ax = fig.axes[0]
    ys = sorted(float(v) for line in ax.lines for v in line.get_ydata())
    assert {2.0, 3.0, 8.0} <= set(ys)
    with pytest.raises(ConfigError, match="lacks column"):
        plot_term_trends(data.drop(columns="ci_low"))
    with pytest.raises(ConfigError, match="'level' must be one of"):
        plot_term_trends(data.assign(level="smooth"))
    with pytest.raises(ConfigError, match="no rows"):
        plot_keyness(pd.DataFrame(columns=["term", "log_ratio", "lr_low", "lr_high"]))
    key = pd.DataFrame({"term": ["x", "y"], "log_ratio": [1.0, -2.0], "lr_low": [0.5, -3.0],
                        "lr_high": [1.5, -1.0]})  # fmt: skip
    bars = [p.get_width() for p in plot_keyness(key).axes[0].patches]
    assert sorted(bars) == [-2.0, 1.0]
    with pytest.raises(ConfigError, match="lacks column"):
        plot_dispersion(pd.DataFrame({"term": ["a"], "document": ["d"]}))


def test_bootstrap_rates_by_hand_and_against_exhaustive_resampling() -> None:
    from itertools import product

    from textkit.trends import bootstrap_rates

    counts = [0, 1, 5]
    tokens = [100, 200, 100]
    rows = [("x", f"p{i}", 2003, c, t) for i, (c, t) in enumerate(zip(counts, tokens, strict=True))]
    units = pd.DataFrame(rows, columns=["term", "doc_id", "year", "count", "tokens"])
    b = bootstrap_rates(units, n_boot=20_000, random_state=1).iloc[0]
    assert b["per_10k"] == 10_000 * 6 / 400  # the point estimate is the pooled rate
    # all 27 equally likely resamples, enumerated: the percentiles of the bootstrap distribution
    rates = sorted(
        10_000 * sum(counts[i] for i in pick) / sum(tokens[i] for i in pick)
        for pick in product(range(3), repeat=3)
    )

    def quantile(q: float) -> float:  # of the discrete distribution, 27 equal masses
        return rates[math.ceil(q * len(rates)) - 1]

    # the extreme resamples each have mass 1/27 > 2.5 %, so the sample percentiles hit them
    assert (quantile(0.025), quantile(0.975)) == (0.0, 500.0)
    assert b["boot_low"] == pytest.approx(quantile(0.025), abs=1e-9)
    assert b["boot_high"] == pytest.approx(quantile(0.975), abs=1e-9)
    narrow = bootstrap_rates(units, n_boot=20_000, confidence=0.5, random_state=1).iloc[0]
    assert narrow["boot_low"] == pytest.approx(quantile(0.25), rel=0.02)
    assert narrow["boot_high"] == pytest.approx(quantile(0.75), rel=0.02)
    with pytest.raises(ConfigError, match="'n_boot' must be a positive int"):
        bootstrap_rates(units, n_boot=0)


def test_no_dated_documents_gives_empty_tables_not_a_crash() -> None:
    counts = term_counts({"a": ["x", "y"], "b": ["x"]}, years={"a": None, "b": None})
    assert counts.empty and counts.attrs["undated"] == ["a", "b"]
    assert trend_tests(counts).empty
    assert yearly_rates(counts).empty
    one_year = term_counts({"a": ["x", "y"], "b": ["x"]}, years={"a": 2001, "b": 2001})
    tests = trend_tests(one_year)
    assert tests["p_value"].isna().all()
    assert select_trend_terms(tests, n=5) == []  # nothing to rank without p-values


# --------------------------------------------------------------------------- invariants

_counts = st.integers(min_value=0, max_value=500)


@settings(max_examples=150, deadline=None)
@given(a=_counts, b=_counts, extra_a=_counts, extra_b=_counts)
def test_g2_and_log_ratio_are_symmetric_between_corpora(
    a: int, b: int, extra_a: int, extra_b: int
) -> None:
    ta, tb = a + extra_a + 1, b + extra_b + 1
    g_ab = log_likelihood_g2(a, b, ta, tb)[0]
    assert g_ab >= 0
    assert g_ab == pytest.approx(log_likelihood_g2(b, a, tb, ta)[0], rel=1e-9, abs=1e-9)
    lr, lo, hi = log_ratio(a, b, ta, tb)
    rl, rlo, rhi = log_ratio(b, a, tb, ta)
    assert lr[0] == pytest.approx(-rl[0]) and lo[0] == pytest.approx(-rhi[0])
    assert lo[0] <= lr[0] <= hi[0]


_token = st.sampled_from(["a", "b", "c", "a_b", "b_c", "x_a_b_y"])


@settings(max_examples=150, deadline=None)
@given(tokens=st.lists(_token, max_size=30))
def test_counts_and_dispersion_agree_and_words_are_found_inside_phrases(
    tokens: list[str],
) -> None:
    words = [w for tok in tokens for w in tok.split("_")]
    docs = {"d": tokens}
    counts = term_counts(docs, ["a", "a_b"]).set_index("term")["count"]
    assert counts["a"] == words.count("a")
    runs = sum(words[i : i + 2] == ["a", "b"] for i in range(len(words) - 1))
    assert counts["a_b"] == runs
    whole = term_counts(docs, ["a"], inside_phrases=False)["count"].iloc[0]
    assert whole == tokens.count("a") <= counts["a"]
    d = dispersion(docs, ["a", "a_b"])
    assert d.groupby("term").size().reindex(["a", "a_b"], fill_value=0).tolist() == [
        counts["a"],
        counts["a_b"],
    ]
    assert d["relative_position"].between(0, 1).all()


# --------------------------------------------------------------------------- trend panels


def _panel_counts(rows: list[tuple[str, str, int | None, int, int]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["term", "doc_id", "year", "count", "tokens"])


def test_trend_panel_table_one_document_per_year_has_year_points_only() -> None:
    counts = _panel_counts([("aid", "a", 2000, 3, 1000), ("aid", "b", 2002, 1, 500),
                            ("aid", "u", None, 9, 100)])
    table = trend_panel_table(counts, trend_tests(counts.dropna()))
    # one document per year: no per-document dots, no fitted curve, undated row left out
    assert table["level"].tolist() == ["year", "year"]
    assert table["year"].tolist() == [2000, 2002]
    assert table["per_10k"].tolist() == [30.0, 20.0]  # 10,000 * 3/1000, 10,000 * 1/500
    low, high = stats.chi2.ppf(0.025, 6) / 2, stats.chi2.ppf(0.975, 8) / 2  # Garwood, count 3
    assert table["ci_low"].iloc[0] == pytest.approx(10 * low)
    assert table["ci_high"].iloc[0] == pytest.approx(10 * high)


def test_trend_panel_table_several_documents_per_year() -> None:
    counts = _panel_counts([
        ("peace", "a", 2000, 2, 100), ("peace", "b", 2000, 4, 100),
        ("peace", "c", 2002, 9, 100), ("peace", "d", 2002, 7, 100),
        ("war", "a", 2000, 5, 100), ("war", "b", 2000, 5, 100),
        ("war", "c", 2002, 1, 100), ("war", "d", 2002, 1, 100),
    ])
    tests = trend_tests(counts)
    table = trend_panel_table(counts, tests, terms=["war", "peace"], display={"war": "War"})
    assert list(dict.fromkeys(table["term"])) == ["War", "peace"]  # panel order, labels
    war = table[table["term"] == "War"]
    assert war["level"].tolist() == ["document"] * 4 + ["fitted"] * 3 + ["year"] * 2
    assert war.loc[war["level"] == "year", "per_10k"].tolist() == [500.0, 100.0]  # 10/200, 2/200
    fitted = war[war["level"] == "fitted"]
    assert fitted["year"].tolist() == [2000, 2001, 2002]  # every year from first to last
    assert fitted["ci_low"].isna().all()
    # a Poisson fit to two years reproduces their pooled rates; between them, the geometric mean
    assert fitted["per_10k"].tolist() == pytest.approx([500.0, math.sqrt(500 * 100), 100.0])
    assert not trend_panel_table(counts, tests, fitted=False)["level"].eq("fitted").any()
    assert not trend_panel_table(counts)["level"].eq("fitted").any()  # no tests, no curve


def test_trend_panel_table_first_test_of_a_term_wins() -> None:
    counts = _panel_counts([("peace", d, y, c, 100) for d, y, c in
                            [("a", 2000, 1), ("b", 2000, 2), ("c", 2001, 4), ("d", 2001, 8)]])
    flat = trend_tests(counts.assign(count=[5, 5, 5, 5]))
    table = trend_panel_table(counts, [flat, trend_tests(counts)])
    fitted = table.loc[table["level"] == "fitted", "per_10k"]
    assert fitted.tolist() == pytest.approx([500.0, 500.0])  # the flat fit, listed first


def test_trend_panel_table_errors() -> None:
    counts = _panel_counts([("aid", "a", 2000, 3, 1000)])
    with pytest.raises(ConfigError, match="fitted=True needs the trend tests"):
        trend_panel_table(counts, fitted=True)
    with pytest.raises(TextkitError, match="trend_panel_table needs columns"):
        trend_panel_table(counts.drop(columns="tokens"))
