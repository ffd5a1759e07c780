"""Entropy weights, TOPSIS, min-max pillar scores and Monte Carlo ranks: hand calculations and invariants."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from liyang_ip.analysis import composite as cp


def frame(data, columns=None, index=None):
    m = pd.DataFrame(data, columns=columns, index=index)
    m.index.name = "region"
    return m


def pol_of(m, value=1):
    return dict.fromkeys(m.columns, value)


matrices = st.integers(2, 6).flatmap(
    lambda rows: st.integers(1, 4).flatmap(
        lambda cols: arrays(np.float64, (rows, cols), elements=st.floats(0.5, 1000.0, allow_subnormal=False))
    )
)


def to_frame(a):
    return frame(a, columns=[f"i{j}" for j in range(a.shape[1])], index=[f"r{i}" for i in range(a.shape[0])])


# ------------------------------------------------------------------------------------ entropy
def test_entropy_weights_by_hand():
    # i1 = 1, 2, 3 → min-max 0, ½, 1 → p = 0, ⅓, ⅔
    #   e₁ = (⅓ ln 3 + ⅔ ln 1.5) / ln 3 = (0.366204 + 0.270310) / 1.098612 = 0.579380, d₁ = 0.420620
    # i2 = 10, 10, 40 → min-max 0, 0, 1 → p = 0, 0, 1 → e₂ = 0, d₂ = 1
    # w = d / Σd = 0.420620 / 1.420620, 1 / 1.420620 = 0.296082, 0.703918
    m = frame({"i1": [1, 2, 3], "i2": [10, 10, 40]}, index=list("ABC"))
    w = cp.entropy_weights(m, pol_of(m))
    assert w["i1"] == pytest.approx(0.296082, abs=1e-6)
    assert w["i2"] == pytest.approx(0.703918, abs=1e-6)


def test_entropy_cost_indicator_equals_negated_benefit():
    m = frame({"i1": [1.0, 2, 7], "i2": [10.0, 30, 40]}, index=list("ABC"))
    neg = m.assign(i2=-m["i2"])
    a = cp.entropy_weights(m, {"i1": 1, "i2": -1})
    b = cp.entropy_weights(neg, {"i1": 1, "i2": 1})
    pd.testing.assert_series_equal(a, b)


def test_constant_indicator_gets_zero_weight_and_all_equal_is_an_error():
    m = frame({"i1": [1.0, 2, 3], "flat": [5.0, 5, 5]}, index=list("ABC"))
    w = cp.entropy_weights(m, pol_of(m))
    assert w["flat"] == 0 and w["i1"] == pytest.approx(1.0)
    equal = frame({"i1": [4.0, 4, 4], "i2": [1.0, 1, 1]}, index=list("ABC"))
    for f in (cp.entropy_weights, cp.entropy_topsis, cp.minmax_scores, cp.rank_uncertainty):
        with pytest.raises(ValueError, match="all regions are equal"):
            f(equal, pol_of(equal))


def test_missing_cell_is_an_error_naming_it():
    m = frame({"i1": [1.0, np.nan, 3], "i2": [1.0, 2, 3]}, index=["溧阳市", "金坛区", "武进区"])
    with pytest.raises(ValueError, match="金坛区/i1"):
        cp.entropy_topsis(m, pol_of(m))
    with pytest.raises(ValueError, match="at least 2 regions"):
        cp.entropy_weights(m.iloc[:1], pol_of(m))


# ------------------------------------------------------------------------------------- TOPSIS
def test_topsis_by_hand():
    # vector normalisation: i1 = 3, 4, 0 (norm 5) → 0.6, 0.8, 0; i2 = 0, 6, 8 (norm 10) → 0, 0.6, 0.8
    # equal weights ½: v = (0.3, 0), (0.4, 0.3), (0, 0.4); ideal (0.4, 0.4), anti-ideal (0, 0)
    # A: D⁺ = √(0.01 + 0.16) = 0.412311, D⁻ = 0.3 → C = 0.3 / 0.712311 = 0.421165
    # B: D⁺ = 0.1, D⁻ = 0.5 → C = 0.833333 ;  C: D⁺ = 0.4, D⁻ = 0.4 → C = 0.5
    m = frame({"i1": [3.0, 4, 0], "i2": [0.0, 6, 8]}, index=list("ABC"))
    t = cp.topsis(m, {"i1": 0.5, "i2": 0.5}, pol_of(m))
    assert t.loc["A", "d_plus"] == pytest.approx(math.sqrt(0.17))
    assert t.loc["A", "closeness"] == pytest.approx(0.421165, abs=1e-6)
    assert t.loc["B", "closeness"] == pytest.approx(5 / 6)
    assert t.loc["C", "closeness"] == pytest.approx(0.5)
    assert t["rank"].to_dict() == {"A": 3, "B": 1, "C": 2}


def test_topsis_cost_indicator():
    # lower is better on i2: negating the column and treating it as benefit gives the same result
    m = frame({"i1": [3.0, 4, 1], "i2": [2.0, 6, 8]}, index=list("ABC"))
    a = cp.topsis(m, None, {"i1": 1, "i2": -1})
    b = cp.topsis(m.assign(i2=-m["i2"]), None, {"i1": 1, "i2": 1})
    pd.testing.assert_frame_equal(a, b)


@settings(max_examples=40, deadline=None)
@given(matrices, st.sampled_from(["vector", "minmax", "zscore"]))
def test_entropy_topsis_invariants(a, norm):
    m = to_frame(a)
    assume(any(np.ptp(a[:, j]) > 1e-6 * np.abs(a[:, j]).max() for j in range(a.shape[1])))
    et = cp.entropy_topsis(m, pol_of(m), normalisation=norm)
    assert et.weights.sum() == pytest.approx(1.0)
    assert (et.weights >= 0).all()
    c = et.scores["closeness"]
    assert ((c >= 0) & (c <= 1 + 1e-12)).all()


@settings(max_examples=40, deadline=None)
@given(matrices, st.floats(0.01, 1000.0), st.integers(0, 3))
def test_ranks_unchanged_when_an_indicator_is_rescaled(a, factor, col):
    m = to_frame(a)
    col = m.columns[col % m.shape[1]]
    assume(any(np.ptp(a[:, j]) > 1e-6 * np.abs(a[:, j]).max() for j in range(a.shape[1])))
    scaled = m.assign(**{col: m[col] * factor})  # e.g. 件 → 万件, 万元 → 亿元
    r1 = cp.entropy_topsis(m, pol_of(m)).scores["closeness"]
    r2 = cp.entropy_topsis(scaled, pol_of(m)).scores["closeness"]
    np.testing.assert_allclose(r1, r2, rtol=1e-7, atol=1e-10)
    s1 = cp.minmax_scores(m, pol_of(m), pillars=dict.fromkeys(m.columns, "p"))["overall"]
    s2 = cp.minmax_scores(scaled, pol_of(m), pillars=dict.fromkeys(m.columns, "p"))["overall"]
    np.testing.assert_allclose(s1, s2, rtol=1e-7, atol=1e-9)


@settings(max_examples=40, deadline=None)
@given(matrices, st.lists(st.sampled_from([1, -1]), min_size=4, max_size=4))
def test_ideal_block_scores_one(a, signs):
    m = to_frame(a)
    pol = {c: signs[j] for j, c in enumerate(m.columns)}
    # a block that is best on every indicator (given polarity)
    best = {c: (m[c].max() + 1 if pol[c] > 0 else m[c].min() / 2) for c in m.columns}
    m.loc["ideal"] = best
    et = cp.entropy_topsis(m, pol)
    assert et.scores.loc["ideal", "closeness"] == pytest.approx(1.0)
    assert et.scores.loc["ideal", "rank"] == 1
    mm = cp.minmax_scores(m, pol, dict.fromkeys(m.columns, "p"))
    assert mm.loc["ideal", "overall"] == pytest.approx(100.0)


# --------------------------------------------------------------------------------- min-max
def test_minmax_scores_by_hand():
    # pillar p1: a = 1, 2, 3 → 0, 50, 100; b (lower is better) = 10, 20, 30 → 100, 50, 0; p1 = 50, 50, 50
    # pillar p2: c = 0, 5, 10 → 0, 50, 100
    # overall = mean of pillars = 25, 50, 75
    m = frame({"a": [1.0, 2, 3], "b": [10.0, 20, 30], "c": [0.0, 5, 10]}, index=list("ABC"))
    s = cp.minmax_scores(m, {"a": 1, "b": -1, "c": 1}, {"a": "p1", "b": "p1", "c": "p2"})
    np.testing.assert_allclose(s["p1"], [50, 50, 50])
    np.testing.assert_allclose(s["overall"], [25, 50, 75])
    assert s["rank"].to_dict() == {"A": 3, "B": 2, "C": 1}


def test_minmax_leaves_out_constant_indicator():
    m = frame({"a": [1.0, 2, 3], "flat": [7.0, 7, 7]}, index=list("ABC"))
    s = cp.minmax_scores(m, pol_of(m), {"a": "p1", "flat": "p2"})
    assert s.attrs["constant"] == ["flat"]
    assert s["p2"].isna().all()
    np.testing.assert_allclose(s["overall"], [0, 50, 100])


# ---------------------------------------------------------------------------- from the table
def test_composite_scores_from_obs(make_obs):
    recs = []
    for r, (x, y) in {"A": (3.0, 0.0), "B": (4.0, 6.0), "C": (0.0, 8.0)}.items():
        recs += [(r, 2020, "i1", x), (r, 2020, "i2", y), (r, 2019, "i1", 1.0)]
    recs += [("A", 2020, "i3", 1.0)]  # incomplete indicator
    o = make_obs(recs)
    kw = dict(regions=list("ABC"), polarity={"i1": 1, "i2": 1, "i3": 1}, pillars={"i1": "p", "i2": "q", "i3": "p"})
    with pytest.raises(ValueError, match="B/i3"):
        cp.composite_scores(o, 2020, **kw)
    s = cp.composite_scores(o, 2020, missing="drop_indicators", **kw)
    assert s.attrs["dropped"] == ["i3"]
    assert sum(s.attrs["weights"].values()) == pytest.approx(1.0)
    assert list(s.columns) == ["topsis", "topsis_rank", "p", "q", "minmax", "minmax_rank"]
    et = cp.entropy_topsis(cp.indicator_matrix(o, 2020, list("ABC"), ["i1", "i2"]), {"i1": 1, "i2": 1})
    np.testing.assert_allclose(s["topsis"], et.scores["closeness"])


def test_indicator_matrix_keeps_gaps(make_obs):
    o = make_obs([("A", 2020, "i1", 1.0), ("B", 2020, "i2", 2.0)])
    m = cp.indicator_matrix(o, 2020, regions=["A", "B", "C"])
    assert m.shape == (3, 2) and m.isna().sum().sum() == 4
    assert list(m.index) == ["A", "B", "C"]


# ------------------------------------------------------------------------------ Monte Carlo
def test_rank_uncertainty():
    m = frame({"i1": [1.0, 2, 3, 10], "i2": [5.0, 3, 4, 9], "i3": [2.0, 8, 1, 12]}, index=list("ABCD"))
    pol = pol_of(m)
    r1 = cp.rank_uncertainty(m, pol, n=200, seed=1)
    r2 = cp.rank_uncertainty(m, pol, n=200, seed=1)
    pd.testing.assert_frame_equal(r1, r2)  # seeded
    # D dominates on every indicator: rank 1 in every draw
    assert r1.loc["D", "median_rank"] == 1 and r1.loc["D", "rank_lo"] == 1 and r1.loc["D", "rank_hi"] == 1
    assert r1.loc["D", "p_first"] == 1.0
    assert (r1["rank_lo"] <= r1["median_rank"]).all() and (r1["median_rank"] <= r1["rank_hi"]).all()
    # nominal = entropy-weight TOPSIS with vector normalisation
    et = cp.entropy_topsis(m, pol)
    assert r1["nominal_rank"].to_dict() == et.scores["rank"].to_dict()
    # with no weight perturbation and one method, every draw is the nominal ranking
    r0 = cp.rank_uncertainty(m, pol, n=20, weight_spread=0.0, normalisations=["vector"], aggregations=["topsis"])
    assert (r0["rank_lo"] == r0["nominal_rank"]).all() and (r0["rank_hi"] == r0["nominal_rank"]).all()
    with pytest.raises(ValueError, match="normalisation"):
        cp.rank_uncertainty(m, pol, n=5, normalisations=["log"])


# --------------------------------------------------------------- intensive set, ties, robustness (issue 14)
def test_default_indicator_set_is_intensive():
    codes = ["patent_applications", "invention_patents_per_10k", "ip_protection_satisfaction", "rd_intensity",
             "gdp", "ip_standard_firms", "high_value_invention_patents_per_10k", "made_up"]
    # kind 'ratio' outside the context pillar; unknown codes kept (their nature is not in the catalogue)
    assert cp.intensive_indicators(codes) == ["invention_patents_per_10k", "ip_protection_satisfaction",
                                              "high_value_invention_patents_per_10k", "made_up"]


def test_survey_spread_below_its_measurement_error_is_a_tie():
    from liyang_ip import registry

    assert registry.indicator("ip_protection_satisfaction").measurement_error == 2.0
    m = frame({"ip_protection_satisfaction": [85.0, 86.6, 85.8], "i": [1.0, 2.0, 4.0]}, index=list("ABC"))
    tied, ties = cp.apply_ties(m)  # spread 1.6 < 2.0
    assert ties == {"ip_protection_satisfaction": (pytest.approx(1.6), 2.0)}
    np.testing.assert_allclose(tied["ip_protection_satisfaction"], 85.8)  # the mean, so no region gains
    pd.testing.assert_series_equal(tied["i"], m["i"])
    wide = m.assign(ip_protection_satisfaction=[84.0, 86.6, 85.8])  # spread 2.6 ≥ 2.0: informative
    assert cp.apply_ties(wide)[1] == {}
    # in the composite: weight 0, not stretched to 0–100
    pol, pil = {"ip_protection_satisfaction": 1, "i": 1}, {"ip_protection_satisfaction": "protection", "i": "p"}
    w = cp.entropy_weights(tied, pol)
    assert w["ip_protection_satisfaction"] == 0 and w["i"] == pytest.approx(1.0)
    r = cp.rank_robustness(m, pol, pil, n_random=5)
    assert r.attrs["indicators"] == ["i"] and "ip_protection_satisfaction" in r.attrs["ties"]
    assert list(r["median_rank"]) == [3, 2, 1]


def test_rank_robustness_two_variants_by_hand():
    # i1, i2 in pillar p, i3 in pillar q; min-max on [1, 100]:
    #   i1 (A 10, B 0, C 5) → 100, 1, 50.5;  i2 (8, 0, 10) → 80.2, 1, 100;  i3 (0, 10, 4) → 1, 100, 40.6
    # equal weights ⅓:            A 60.4,  B 34.0, C 63.7  → ranks A 2, B 3, C 1
    # equal by pillar ¼, ¼, ½:    A 45.55, B 50.5, C 57.925 → ranks A 3, B 2, C 1
    m = frame({"i1": [10.0, 0, 5], "i2": [8.0, 0, 10], "i3": [0.0, 10, 4]}, index=list("ABC"))
    r = cp.rank_robustness(m, pol_of(m), {"i1": "p", "i2": "p", "i3": "q"}, weights=["equal", "pillar"],
                           normalisations=["minmax"], aggregations=["arithmetic"], leave_one_out=False)
    assert r.attrs["n_variants"] == 2
    v = r.attrs["variants"].set_index("weights")
    assert v.loc["equal", ["A", "B", "C"]].tolist() == [2, 3, 1]
    assert v.loc["pillar", ["A", "B", "C"]].tolist() == [3, 2, 1]
    assert r.loc["A", ["best_rank", "worst_rank", "spread"]].tolist() == [2, 3, 1]
    assert r.loc["C", ["median_rank", "rank_lo", "rank_hi", "spread"]].tolist() == [1, 1, 1, 0]
    # nominal = equal weights, min-max, arithmetic (the GII's construction)
    assert r["nominal_rank"].tolist() == [2, 3, 1]


def test_rank_robustness_variant_grid_and_dominance():
    # A > B > C on every indicator: every monotone normalisation, positive weighting and aggregation keeps
    # that order, so the ranks are certain (spread 0)
    m = frame({"i1": [9.0, 5, 1], "i2": [30.0, 20, 10], "i3": [0.9, 0.5, 0.2]}, index=list("ABC"))
    r = cp.rank_robustness(m, pol_of(m), dict.fromkeys(m.columns, "p"), n_random=10, seed=3)
    assert r["median_rank"].tolist() == [1, 2, 3] and (r["spread"] == 0).all() and r.loc["A", "p_first"] == 1
    # sets: all + 3 leave-one-out = 4; pairs: 4 arithmetic + geometric on min-max and rank = 6;
    # weightings: entropy, equal, pillar + 10 random = 13 → 4·6·13 = 312 variants, weights summing to 1
    assert r.attrs["n_variants"] == 312
    v = r.attrs["variants"]
    assert v["weight"].sum() == pytest.approx(1.0)
    assert set(v["left_out"]) == {"", "i1", "i2", "i3"}
    assert set(zip(v["normalisation"], v["aggregation"], strict=True)) == {
        ("minmax", "arithmetic"), ("zscore", "arithmetic"), ("rank", "arithmetic"), ("distance", "arithmetic"),
        ("minmax", "geometric"), ("rank", "geometric")}
    # a cost indicator reverses its contribution: with every indicator lower-is-better the order flips
    rev = cp.rank_robustness(m, pol_of(m, -1), dict.fromkeys(m.columns, "p"), n_random=5)
    assert rev["median_rank"].tolist() == [3, 2, 1]
    # same seed, same result
    r2 = cp.rank_robustness(m, pol_of(m), dict.fromkeys(m.columns, "p"), n_random=10, seed=3)
    pd.testing.assert_frame_equal(r.drop(columns=[]), r2)


def test_rank_robustness_headline_is_the_median_not_the_most_flattering():
    # F leads on one indicator with an outlier (entropy gives it most of the weight) and is last on the
    # other three: some variants put F first, but most put it last; the headline must say so
    m = frame({"i1": [100.0, 2, 1, 3, 2.5], "i2": [1.0, 5, 6, 7, 8], "i3": [1.0, 6, 7, 5, 9],
               "i4": [1.0, 7, 5, 6, 8]}, index=list("FGHIJ"))
    r = cp.rank_robustness(m, pol_of(m), {"i1": "a", "i2": "b", "i3": "b", "i4": "b"}, n_random=50)
    f = r.loc["F"]
    assert f["best_rank"] == 1 and f["worst_rank"] == 5
    assert f["median_rank"] > f["best_rank"] and f["rank_lo"] <= f["median_rank"] <= f["rank_hi"]
    # the rank interval always lies within the best and worst rank over the variants
    assert ((r["best_rank"] <= r["rank_lo"]) & (r["rank_hi"] <= r["worst_rank"])).all()


def test_rank_robustness_refuses_when_nothing_separates_the_regions():
    m = frame({"ip_protection_satisfaction": [85.0, 86.0, 85.5]}, index=list("ABC"))
    with pytest.raises(ValueError, match="measurement error"):
        cp.rank_robustness(m, {"ip_protection_satisfaction": 1}, {"ip_protection_satisfaction": "x"})


def test_composite_from_obs_leaves_counts_out_unless_asked(make_obs):
    recs = []
    data = {"A": (100.0, 10.0, 1000.0), "B": (300.0, 5.0, 900.0), "C": (200.0, 20.0, 300.0)}
    for r, (pop, ratio, count) in data.items():
        recs += [(r, 2020, "resident_population", pop), (r, 2020, "invention_patents_per_10k", ratio),
                 (r, 2020, "invention_patents_held", count)]
    recs += [("City", 2020, "invention_patents_per_10k", 10.0)]
    o = make_obs(recs)
    s = cp.composite_scores(o, 2020, regions=list("ABC"))
    assert list(s.attrs["weights"]) == ["invention_patents_per_10k"]
    assert s.attrs["excluded"] == ["invention_patents_held", "resident_population"]
    assert s["minmax_rank"].tolist() == [2, 3, 1]  # by the ratio: C 20, A 10, B 5
    both = cp.composite_scores(o, 2020, regions=list("ABC"), include_counts=True,
                               indicators=["invention_patents_per_10k", "invention_patents_held"])
    assert both.attrs["excluded"] == [] and len(both.attrs["weights"]) == 2
    r = cp.composite_robustness(o, 2020, regions=list("ABC"), n_random=5)
    assert r.attrs["indicators"] == ["invention_patents_per_10k"] and r["median_rank"].tolist() == [2, 3, 1]
    with pytest.raises(ValueError, match="include_counts"):
        cp.composite_robustness(o, 2020, regions=list("ABC"), indicators=["invention_patents_held"])
