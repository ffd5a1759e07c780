"""Projection methods against hand calculations and the GM(1,1) textbook example."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from liyang_ip.analysis import projection as pj

TEXTBOOK = [71.1, 72.4, 72.4, 72.1, 71.4, 72.0, 71.6]


def yearly(values, start=2015):
    return pd.Series(values, index=range(start, start + len(values)), dtype=float)


# --------------------------------------------------------------------------------------- GM(1,1)
def test_gm11_textbook_parameters():
    # Deng Julong / 刘思峰《灰色系统理论及其应用》 worked example: â = (a, b)ᵀ = (0.002344, 72.6573)ᵀ.
    # Hand computation of the least-squares solution of x⁽⁰⁾(k) = −a z⁽¹⁾(k) + b, k = 2…7:
    #   x⁽¹⁾ = 71.1, 143.5, 215.9, 288.0, 359.4, 431.4, 503.0
    #   z⁽¹⁾ = 107.3, 179.7, 251.95, 323.7, 395.4, 467.2            Σz  = 1725.25
    #   Σz² = 11513.29 + 32292.09 + 63478.8025 + 104781.69 + 156341.16 + 218275.84 = 586682.8725
    #   Y = x⁽⁰⁾(2…7): ΣY = 431.9;  ΣzY = 7768.52 + 13010.28 + 18165.595 + 23112.18 + 28468.8 + 33451.52
    #                                   = 123976.895
    #   With B = [−z, 1]:  det(BᵀB) = 6·Σz² − (Σz)² = 3520097.235 − 2976487.5625 = 543609.6725
    #   a = (Σz·ΣY − 6·ΣzY) / det = (745135.475 − 743861.37) / 543609.6725 = 1274.105 / 543609.6725
    #     = 0.0023438
    #   b = (Σz²·ΣY − Σz·ΣzY) / det = (253388332.633 − 213891138.099) / 543609.6725
    #     = 39497194.534 / 543609.6725 = 72.6573
    sz, sz2, sy, szy, n = 1725.25, 586682.8725, 431.9, 123976.895, 6
    det = n * sz2 - sz**2
    a_hand = (sz * sy - n * szy) / det
    b_hand = (sz2 * sy - sz * szy) / det
    assert a_hand == pytest.approx(0.0023438, abs=5e-7)
    assert b_hand == pytest.approx(72.6573, abs=5e-4)

    m = pj.gm11(TEXTBOOK)
    assert m.a == pytest.approx(a_hand, rel=1e-9)
    assert m.b == pytest.approx(b_hand, rel=1e-9)
    assert round(m.a, 6) == 0.002344  # published development coefficient
    assert round(m.b, 4) == 72.6573  # published grey input


def test_gm11_textbook_fit_and_checks():
    m = pj.gm11(TEXTBOOK)
    # Restored values from the time response with the published a, b:
    #   x̂⁽⁰⁾(k) = (1 − eᵃ)(x⁽⁰⁾(1) − b/a) e^{−a(k−1)}, k ≥ 2
    a, b = 0.002344, 72.6573
    hand = [(1 - math.exp(a)) * (71.1 - b / a) * math.exp(-a * (k - 1)) for k in range(2, 8)]
    # ≈ 72.4057, 72.2362, 72.0671, 71.8984, 71.7301, 71.5622 (rounded a, b: agree to ~2e-3)
    assert m.fitted[0] == 71.1
    np.testing.assert_allclose(m.fitted[1:], hand, atol=2e-3)
    np.testing.assert_allclose(m.fitted[1:], [72.4057, 72.2362, 72.0671, 71.8984, 71.7301, 71.5622], atol=1e-4)
    # Posterior-difference test by hand:
    #   x̄ = 503.0/7 = 71.857143; S₁² = Σ(x−x̄)²/7 = 1.517143/7 = 0.216735, S₁ = 0.465548
    #   ε = 0, −0.0057, 0.1638, 0.0329, −0.4984, 0.2699, 0.0378 ; ε̄ ≈ 0.00004
    #   S₂² = Σε²/7 − ε̄² = 0.350623/7 = 0.050089, S₂ = 0.223806
    #   C = S₂/S₁ = 0.4807 ; 0.6745·S₁ = 0.3140 and only |−0.4984| exceeds it → P = 6/7 = 0.857
    #   C ≤ 0.50 and P ≥ 0.80 → grade 2 (qualified, 合格)
    assert m.C == pytest.approx(0.4807, abs=2e-4)
    assert m.P == pytest.approx(6 / 7)
    assert m.grade == 2
    assert "qualified" in m.grade_label
    # class ratios 71.1/72.4 … 72.0/71.6 all within (e^{−2/8}, e^{2/8}) = (0.7788, 1.2840)
    assert m.ratio_check
    # forecasts continue the fitted geometric sequence with ratio e^{−a}
    f = m.forecast(3)
    np.testing.assert_allclose(f / np.r_[m.fitted[-1], f[:-1]], math.exp(-m.a))
    assert len(m.forecast(0)) == 0


def test_gm11_geometric_series_has_closed_form_parameters():
    # For x⁽⁰⁾(k) = c·r^{k−1}, the grey equation holds exactly with
    #   a = −2(r − 1)/(r + 1),  b = 2c/(r + 1)   (substitute z⁽¹⁾(k) = x⁽¹⁾(k−1) + x⁽⁰⁾(k)/2)
    c, r = 100.0, 1.1
    m = pj.gm11([c * r**k for k in range(6)])
    assert m.a == pytest.approx(-2 * 0.1 / 2.1, rel=1e-10)
    assert m.b == pytest.approx(200 / 2.1, rel=1e-10)
    assert m.grade == 1


def test_gm11_public_path():
    import liyang_ip.projection as public

    assert public.gm11 is pj.gm11
    m = public.gm11(np.array(TEXTBOOK))
    assert hasattr(m, "a") and hasattr(m, "b") and len(m.fitted) == 7 and len(m.forecast(2)) == 2


@pytest.mark.parametrize(
    "values, match",
    [
        ([1.0, 2.0, 3.0], "at least 4"),
        ([1.0, 0.0, 3.0, 4.0], "> 0"),
        ([1.0, -2.0, 3.0, 4.0], "> 0"),
        ([1.0, np.nan, 3.0, 4.0, 5.0], "NaN"),
    ],
)
def test_gm11_rejects_bad_input(values, match):
    with pytest.raises(ValueError, match=match):
        pj.gm11(values)


def test_gm11_constant_series_is_documented():
    m = pj.gm11([5.0] * 5)
    assert m.a == 0.0 and m.b == pytest.approx(5.0)
    np.testing.assert_allclose(m.forecast(3), 5.0)
    assert math.isnan(m.C) and math.isnan(m.P) and m.grade is None


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.floats(1.0, 1000.0), min_size=4, max_size=10),
    st.floats(0.01, 100.0),
)
def test_gm11_scale_equivariance(values, c):
    # Scaling the series by c leaves a unchanged and scales b, fitted values and forecasts by c.
    m1, m2 = pj.gm11(values), pj.gm11([c * v for v in values])
    assert m2.a == pytest.approx(m1.a, abs=1e-9)
    assert m2.b == pytest.approx(c * m1.b, rel=1e-6, abs=1e-9)
    np.testing.assert_allclose(m2.forecast(2), c * m1.forecast(2), rtol=1e-6)


# ------------------------------------------------------------------------------------ trend methods
def test_linear_prediction_interval_by_hand():
    # y = 1, 3, 2, 4 in 2015…2018: t̄ = 2016.5, Sxx = 5, Sxy = 4 → β = 0.8, ŷ(t̄) = 2.5
    # residuals −0.3, 0.9, −0.9, 0.3 → SSE = 1.8, s² = 0.9
    # 2019: ŷ = 2.5 + 0.8·2.5 = 4.5; se = s·√(1 + 1/4 + 2.5²/5) = √0.9·√2.5 = 1.5
    # t(0.95, 2 df) = 2.919986 (t table) → 4.5 ± 4.379979
    p = pj.project(yearly([1, 3, 2, 4]), methods=["linear"], fit_start=2015, fit_end=2018, horizon_end=2019,
                   intervals="model")
    row = p.iloc[0]
    assert row["year"] == 2019
    assert row["value"] == pytest.approx(4.5)
    assert row["lower"] == pytest.approx(4.5 - 2.919986 * 1.5, abs=1e-5)
    assert row["upper"] == pytest.approx(4.5 + 2.919986 * 1.5, abs=1e-5)


def test_exact_trends_are_continued():
    line = yearly([10 + 2 * k for k in range(6)])  # 2015…2020
    geo = yearly([100 * 1.1**k for k in range(6)])
    pl = pj.project(line, methods=["linear"], intervals="model").set_index("year")
    np.testing.assert_allclose(pl["value"], [22, 24, 26, 28, 30])
    np.testing.assert_allclose(pl["upper"] - pl["lower"], 0, atol=1e-9)  # textbook interval: perfect fit, s = 0
    # the calibrated interval is never zero-width: year-on-year changes are all 2 (sd 0), so the scale is
    # the floor 1 % of the mean level 15 = 0.15, times the study's multipliers (q_hi − q_lo > 0)
    pc = pj.project(line, methods=["linear"]).set_index("year")
    assert (pc["upper"] - pc["lower"] > 0).all()
    assert pc.attrs["scale"] == pytest.approx(0.15)
    pg = pj.project(geo, methods=["cagr", "loglinear"])
    for _, g in pg.groupby("method"):
        np.testing.assert_allclose(g["value"], [100 * 1.1**k for k in range(6, 11)], rtol=1e-9)
    assert list(pg["year"].unique()) == [2021, 2022, 2023, 2024, 2025]


def test_cagr_by_hand():
    # 100 in 2015 → 161.051 in 2020 is 10 % a year; 2021 = 177.1561, 2025 = 161.051·1.1⁵ = 259.374246
    s = yearly([100, 120, 125, 140, 150, 161.051])
    p = pj.project(s, methods=["cagr"]).set_index("year")["value"]
    assert p[2021] == pytest.approx(177.1561)
    assert p[2025] == pytest.approx(259.374246, rel=1e-8)


def test_log_methods_skip_zeros_and_negatives_with_a_note():
    s = yearly([0.0, 2, 3, 4, 5, 6])
    p = pj.project(s, methods=["cagr", "loglinear", "gm11", "linear"])
    for m in ("cagr", "loglinear", "gm11"):
        rows = p[p["method"] == m]
        assert rows["value"].isna().all()
        assert rows["note"].str.contains("> 0").all()
    assert p.loc[p["method"] == "linear", "value"].notna().all()
    neg = pj.project(yearly([-1.0, 2, 3, 4, 5, 6]), methods=["loglinear"])
    assert neg["value"].isna().all() and neg["note"].str.contains("> 0").all()


def test_missing_year_inside_window_is_reported_not_filled():
    s = yearly([10, 11, 12, 13, 14, 15]).drop(2017)
    p = pj.project(s, methods=["linear", "gm11", "holt", "ensemble"])
    assert p["note"].str.contains("missing in fit window: 2017").all()
    for m in ("gm11", "holt"):
        assert p.loc[p["method"] == m, "value"].isna().all()
    assert p.loc[p["method"] == "gm11", "note"].str.contains("consecutive").all()
    assert p.loc[p["method"] == "holt", "note"].str.contains("at least 10").all()  # 5 points: not fitted anyway
    lin = p[p["method"] == "linear"].set_index("year")["value"]
    assert lin[2021] == pytest.approx(16.0)  # still an exact line over the years present
    ens = p[p["method"] == "ensemble"].set_index("year")["value"]
    assert ens[2021] == pytest.approx(16.0)  # only linear could be fitted


def test_nan_counts_as_missing():
    s = yearly([10, 11, np.nan, 13, 14, 15])
    p = pj.project(s, methods=["gm11"])
    assert p["value"].isna().all() and p["note"].str.contains("2017").all()


def test_fewer_than_four_points_is_an_error():
    with pytest.raises(ValueError, match="at least 4"):
        pj.project(yearly([1, 2, 3], start=2018))
    with pytest.raises(ValueError, match="unknown projection method"):
        pj.project(yearly([1, 2, 3, 4, 5, 6]), methods=["arima"])
    with pytest.raises(ValueError, match="horizon_end"):
        pj.project(yearly([1, 2, 3, 4, 5, 6]), horizon_end=2020)


def test_constant_series_projects_constant_with_a_nonzero_interval():
    p = pj.project(yearly([7.0] * 6))
    fitted = p[p["method"] != "holt"]
    np.testing.assert_allclose(fitted["value"], 7.0)
    assert p.loc[p["method"] == "holt", "value"].isna().all()  # 6 points < 10
    # scale floor 1 % of 7 = 0.07 → every calibrated interval has positive width around 7
    assert p.attrs["scale"] == pytest.approx(0.07)
    shown = fitted[fitted["lower"].notna()]
    assert len(shown) > 0 and ((shown["upper"] - shown["lower"]) > 0).all()
    assert ((shown["lower"] <= 7) & (shown["upper"] >= 7)).all()
    # a count: the floor is Poisson, √(2·7) = 3.742
    pc = pj.project(yearly([7.0] * 6), count=True)
    assert pc.attrs["scale"] == pytest.approx(math.sqrt(14))


def test_holt_needs_ten_points_and_gets_no_calibrated_interval():
    short = pj.project(yearly([100 + 10 * k for k in range(9)], start=2012), methods=["holt"])
    assert short["value"].isna().all() and short["note"].str.contains("at least 10").all()
    s = yearly([100 + 10 * k for k in range(10)], start=2011)  # 2011…2020: 100 … 190
    p = pj.project(s, methods=["holt"], fit_start=None).set_index("year")
    v = p["value"].to_numpy()
    # damped: increasing but never above the undamped line 200, 210, …
    assert np.all(np.diff(v) > 0)
    assert np.all(v <= np.array([200, 210, 220, 230, 240]) + 1e-6)
    assert v[0] == pytest.approx(200, rel=0.02)
    assert p["lower"].isna().all() and p["note"].str.contains("not covered by the calibration study").all()
    m = pj.project(s, methods=["holt"], fit_start=None, intervals="model")
    assert np.all(m["lower"] <= m["value"]) and np.all(m["value"] <= m["upper"])


def test_ensemble_is_the_equal_weight_mean_of_usable_members():
    s = yearly([100, 104, 111, 115, 123, 130])
    p = pj.project(s, methods=["cagr", "gm11", "ensemble"])
    w = p.pivot(index="year", columns="method", values="value")
    ens = p[p["method"] == "ensemble"].set_index("year")
    np.testing.assert_allclose(ens["value"], (w["cagr"] + w["gm11"]) / 2)
    # 6 points, horizon 5: no backtest origin at that horizon (6 − 4 − 5 + 1 < 3) → equal weights, stated
    assert ens["note"].str.contains("equal weights: 0 backtest origins at horizon 5").all()
    assert p.attrs["weights"] == {"cagr": 0.5, "gm11": 0.5}
    # explicit weights: all weight on cagr reproduces cagr
    p2 = pj.project(s, methods=["cagr", "gm11", "ensemble"], weights={"cagr": 1.0, "gm11": 0.0})
    np.testing.assert_allclose(p2[p2["method"] == "ensemble"]["value"].to_numpy(), w["cagr"].to_numpy())
    # the old textbook rule stays available for comparison: a normal mixture; cagr and gm11 have no interval,
    # so it is mean ± z·|m₁ − m₂|/2 (variance of two equally weighted points), z = 1.644854 for 90 %
    pm = pj.project(s, methods=["cagr", "gm11", "ensemble"], intervals="model")
    em = pm[pm["method"] == "ensemble"].set_index("year")
    half = 1.644854 * (w["cagr"] - w["gm11"]).abs() / 2
    np.testing.assert_allclose(em["upper"], em["value"] + half, rtol=1e-6)


def test_ensemble_weights_from_the_backtest_at_the_target_horizon():
    # 12 points: at horizon 1 there are 12 − 4 − 1 + 1 = 8 origins → inverse-MAPE weights of exactly those
    vals = [100, 108, 113, 125, 131, 140, 155, 158, 170, 184, 190, 205]
    s = yearly(vals, start=2009)
    w, note = pj.ensemble_weights(s, ["linear", "cagr"], horizon=1)
    d = pj.backtest(s, ["linear", "cagr"], max_horizon=1)
    ape = d.groupby("method")["ape"].mean()
    inv = 1 / ape
    assert w == pytest.approx((inv / inv.sum()).to_dict())
    assert "8 backtest origins at horizon 1" in note
    # horizon 6 leaves 12 − 4 − 6 + 1 = 3 origins (enough); horizon 7 leaves 2 → equal weights
    assert pj.ensemble_weights(s, ["linear", "cagr"], horizon=6)[0] is not None
    w7, note7 = pj.ensemble_weights(s, ["linear", "cagr"], horizon=7)
    assert w7 is None and note7 == "equal weights: 2 backtest origins at horizon 7 (need 3)"
    p = pj.project(s, ["linear", "cagr", "ensemble"], fit_start=None, fit_end=2020, horizon_end=2021)
    assert p.attrs["weights"] == pytest.approx(w)


# ----------------------------------------------------------------------------------------- backtest
def test_backtest_rolling_origin_counts_and_exact_line():
    s = yearly([10 + 2 * k for k in range(8)], start=2013)  # 2013…2020
    bt = pj.backtest(s, methods=["linear", "cagr"])
    lin = bt[bt["method"] == "linear"]
    # origins 2016…2019 (≥ 4 training years) forecasting the remaining 4, 3, 2, 1 years
    assert sorted(lin["origin"].unique()) == [2016, 2017, 2018, 2019]
    assert len(lin) == 4 + 3 + 2 + 1
    np.testing.assert_allclose(lin["ape"], 0, atol=1e-9)
    assert (lin["horizon"] == lin["year"] - lin["origin"]).all()
    one = pj.backtest(s, methods=["linear"], max_horizon=1)
    assert len(one) == 4 and (one["horizon"] == 1).all()
    summ = pj.backtest_summary(bt)
    assert summ.iloc[0]["method"] == "linear"  # best first
    assert summ.set_index("method").loc["linear", "n"] == 10
    # judged at the target horizon: 4 years ahead there is one origin (2016 → 2020), too few for a MAPE
    h4 = pj.backtest_summary(bt, horizon=4).set_index("method")
    assert h4.loc["linear", "n"] == 1 and np.isnan(h4.loc["linear", "mape"])
    assert "need 3" in h4.loc["linear", "note"]
    h1 = pj.backtest_summary(bt, horizon=1).set_index("method")
    assert h1.loc["linear", "n"] == 4 and h1.loc["linear", "mape"] == pytest.approx(0.0, abs=1e-9)


def test_backtest_ape_by_hand():
    # train 2015–2018 = 1, 3, 2, 4 → linear forecast for 2019 is 4.5 (see above); actual 5 → APE 10 %
    bt = pj.backtest(yearly([1, 3, 2, 4, 5]), methods=["linear"])
    assert len(bt) == 1
    assert bt.iloc[0]["ape"] == pytest.approx(10.0)
    # one error is not a MAPE: the summary says so instead of printing "MAPE 10.0 %" (or 0.0 %)
    summ = pj.backtest_summary(bt).iloc[0]
    assert summ["n"] == 1 and np.isnan(summ["mape"]) and summ["note"] == "1 backtest error(s); need 3 for a MAPE"
    assert pj.backtest_summary(bt, min_n=1).iloc[0]["mape"] == pytest.approx(10.0)


def test_backtest_needs_enough_points():
    with pytest.raises(ValueError, match="at least 5"):
        pj.backtest(yearly([1, 2, 3, 4]))


def test_mape_weights_by_hand():
    summ = pd.DataFrame({"method": ["linear", "cagr", "gm11", "ensemble"], "mape": [10.0, 20.0, np.nan, 5.0]})
    # inverse MAPE: 1/10 : 1/20 = 2/3 : 1/3; NaN excluded; ensemble excluded
    w = pj.mape_weights(summ)
    assert w == pytest.approx({"linear": 2 / 3, "cagr": 1 / 3})


@settings(max_examples=25, deadline=None)
@given(st.lists(st.floats(1.0, 1e4), min_size=4, max_size=8))
def test_intervals_contain_the_projection_and_input_is_untouched(values):
    s = yearly(values, start=2021 - len(values))
    before = s.copy()
    p = pj.project(s, methods=["linear", "loglinear", "gm11", "cagr", "ensemble"], fit_start=None, fit_end=2020)
    assert p["value"].notna().all()  # positive, gap-free: every method applies
    has = p["lower"].notna()
    tol = 1e-9 * p["value"].abs().max()
    assert (p.loc[has, "lower"] <= p.loc[has, "value"] + tol).all()
    assert (p.loc[has, "value"] <= p.loc[has, "upper"] + tol).all()
    pd.testing.assert_series_equal(s, before)


# ------------------------------------------------------------------------- calibrated intervals (issue 14)
def hand_table(q_lo=-2.0, q_hi=3.0, coverage=0.9, horizons=(1, 2), family="level", methods=("linear", "ensemble")):
    """A hand-made calibration table: multipliers q_lo, q_hi and a CDF through (−2, 5 %), (0, 50 %), (2, 95 %)."""
    entry = {"q_lo": q_lo, "q_hi": q_hi, "coverage": coverage, "cdf": [-2.0, 0.0, 2.0]}
    return {"meta": {"cdf_probs": [0.05, 0.5, 0.95]},
            "families": {family: {m: {h: dict(entry) for h in horizons} for m in methods}},
            "probability": {family: {m: {"calibrated": True} for m in methods}}}


def test_interval_scale_by_hand():
    # changes of 1, 3, 2, 4 are 2, −1, 2: mean 1, sd = √((1 + 4 + 1)/2) = √3
    assert pj.interval_scale([2015, 2016, 2017, 2018], [1, 3, 2, 4]) == pytest.approx(math.sqrt(3))
    # a gap: only changes between consecutive years count (2015→2016: 2; 2018→2019: 6, 2019→2020: −2)
    assert pj.interval_scale([2015, 2016, 2018, 2019, 2020], [1, 3, 5, 11, 9]) == pytest.approx(
        np.std([2, 6, -2], ddof=1))
    # fewer than two changes: no scale
    assert math.isnan(pj.interval_scale([2015, 2016, 2018], [1, 2, 3]))
    # floors: count √(2·max(mean, 1)); all zeros → √2; non-count zeros → no scale
    assert pj.interval_scale(range(5), [0] * 5, count=True) == pytest.approx(math.sqrt(2))
    assert math.isnan(pj.interval_scale(range(5), [0] * 5))


def test_calibrated_interval_by_hand():
    # linear on 1, 3, 2, 4 → 4.5 in 2019 (h = 1); s = √3; interval 4.5 + (−2, 3)·√3 = (1.0359, 9.6962)
    s = yearly([1, 3, 2, 4])
    p = pj.project(s, ["linear"], 2015, 2018, 2020, calibration=hand_table()).set_index("year")
    r3 = math.sqrt(3)
    assert p.loc[2019, "lower"] == pytest.approx(4.5 - 2 * r3)
    assert p.loc[2019, "upper"] == pytest.approx(4.5 + 3 * r3)
    # h = 2 (2020): 5.3 + (−2, 3)·√3
    assert p.loc[2020, "value"] == pytest.approx(5.3)
    assert p.loc[2020, "upper"] == pytest.approx(5.3 + 3 * r3)
    # beyond the study's horizons, at another level, or below the coverage floor: no interval, said why
    far = pj.project(s, ["linear"], 2015, 2018, 2021, calibration=hand_table()).set_index("year")
    assert np.isnan(far.loc[2021, "lower"]) and "does not cover linear at horizon 3" in far.loc[2021, "note"]
    lvl = pj.project(s, ["linear"], 2015, 2018, 2019, level=0.8, calibration=hand_table())
    assert lvl["lower"].isna().all() and lvl["note"].str.contains("90% intervals only").all()
    low = pj.project(s, ["linear"], 2015, 2018, 2019, calibration=hand_table(coverage=0.7))
    assert low["lower"].isna().all() and low["note"].str.contains("covered 70% at horizon 1").all()


def test_explosive_gm11_is_shown_with_its_checks_but_left_out_of_the_ensemble():
    s = yearly([1, 2, 4, 8, 16, 32])  # doubling: λ = 0.5 < e^{−2/7} = 0.751; a = −2·1/3 = −0.667 (closed form)
    m = pj.gm11(s.to_numpy())
    assert m.a == pytest.approx(-2 / 3) and not m.ratio_check and m.explosive and not m.usable
    assert m.grade == 1  # the posterior-difference grade alone would call it good …
    assert "class-ratio test failed" in m.check_text() and "explosive" in m.check_text()
    c = m.checks()
    assert not c["ratio_ok"] and c["explosive"] and not c["usable"] and c["ratio_min"] == pytest.approx(0.5)
    assert c["lo"] == pytest.approx(math.exp(-2 / 7)) and c["hi"] == pytest.approx(math.exp(2 / 7))
    p = pj.project(s, ["cagr", "linear", "gm11", "ensemble"])
    gm = p[p["method"] == "gm11"]
    assert gm["value"].notna().all() and gm["lower"].isna().all()  # … so it gets no interval
    assert gm["note"].str.contains("excluded from the ensemble").all()
    w = p.pivot(index="year", columns="method", values="value")
    np.testing.assert_allclose(w["ensemble"], (w["cagr"] + w["linear"]) / 2)
    assert p.attrs["weights"] == {"cagr": 0.5, "linear": 0.5}
    assert p.attrs["gm11_checks"]["usable"] is False and p.attrs["last_year"] == 2020
    assert pj.gm11([100 * 1.1**k for k in range(6)]).usable  # 10 % growth passes every check


def test_series_declining_to_zero_stays_feasible():
    s = yearly([50, 30, 15, 5, 0, 0])  # e.g. pledge deals drying up
    p = pj.project(s, ["cagr", "loglinear", "gm11", "linear", "ensemble"], indicator="ip_pledge_deals")
    for m in ("cagr", "loglinear", "gm11"):  # zeros: log and ratio methods do not apply
        assert p.loc[p["method"] == m, "value"].isna().all()
    lin = p[p["method"] == "linear"].set_index("year")
    # OLS line 44.0 − 10.0·(t − 2015) is negative from 2020 on → clipped at 0, said so
    assert (lin["value"] == 0).all() and lin["note"].str.contains(r"clipped to the feasible range \[0, ∞\]").all()
    shown = p[p["lower"].notna()]
    assert len(shown) and (shown["lower"] >= 0).all() and (shown["upper"] > 0).all()


def test_bounded_score_near_100_is_clipped_to_its_range():
    s = yearly([95.0, 96.5, 97.8, 98.6, 99.3, 99.8])
    p = pj.project(s, ["linear", "loglinear", "cagr", "ensemble"], indicator="ip_protection_satisfaction")
    assert p.attrs["bounds"] == (0.0, 100.0)
    assert (p["value"] <= 100).all() and (p["upper"].dropna() <= 100).all()
    lin = p[p["method"] == "linear"].set_index("year")
    # the OLS line is 95.33 + 0.94·(t − 2015) (Sxy = 16.45, Sxx = 17.5) → 2021 = 100.97 > 100
    assert lin.loc[2021, "value"] == 100.0 and "clipped" in lin.loc[2021, "note"]


def test_lumpy_small_counts_get_their_own_calibration_and_a_poisson_minimum():
    s = yearly([3, 7, 5, 11, 4, 9])  # PCT applications
    p = pj.project(s, ["linear", "ensemble"], indicator="pct_applications")
    assert p.attrs["family"] == "small_count" and p.attrs["count"]
    # scale: changes 4, −2, 6, −7, 5 → sd 5.630; the floor √(2·6.5) = 3.606 does not bind
    assert p.attrs["scale"] == pytest.approx(np.std([4, -2, 6, -7, 5], ddof=1))
    from scipy.stats import poisson

    shown = p[p["lower"].notna()]
    assert len(shown) and (shown["lower"] >= 0).all()
    for v, lo, hi in zip(shown["value"], shown["lower"], shown["upper"], strict=True):
        assert lo <= poisson.ppf(0.05, v) and hi >= poisson.ppf(0.95, v)
    # a hand table for the small-count family, q = (−1, 1): OLS t̄ = 2.5, ȳ = 6.5, Sxy = 13.5, Sxx = 17.5
    # → 2021 = 6.5 + (13.5/17.5)·3.5 = 9.2; Poisson(9.2): P(X ≤ 4) = 0.0486 < 5 % ≤ P(X ≤ 5) = 0.1041 and
    # P(X ≤ 13) = 0.9156 < 95 % ≤ P(X ≤ 14) = 0.9517 → 5–95 % range [5, 14]; 9.2 ± 5.630 = [3.57, 14.83]
    # contains it, so the Poisson minimum does not bind
    t = hand_table(q_lo=-1.0, q_hi=1.0, family="small_count", methods=("linear",))
    one = pj.project(s, ["linear"], horizon_end=2021, count=True, bounds=(0, np.inf), calibration=t).iloc[0]
    sd = np.std([4, -2, 6, -7, 5], ddof=1)
    assert poisson.ppf(0.05, 9.2) == 5 and poisson.ppf(0.95, 9.2) == 14
    assert one["value"] == pytest.approx(9.2) and one["lower"] == pytest.approx(9.2 - sd)
    assert one["upper"] == pytest.approx(9.2 + sd)
    # with q = (0, 0) only the Poisson minimum is left: [5, 14]
    t0 = hand_table(q_lo=0.0, q_hi=0.0, family="small_count", methods=("linear",))
    zero = pj.project(s, ["linear"], horizon_end=2021, count=True, bounds=(0, np.inf), calibration=t0).iloc[0]
    assert (zero["lower"], zero["upper"]) == (5.0, 14.0)


def test_shipped_calibration_table_is_complete_for_the_reported_methods():
    t = pj.load_calibration()
    assert t["meta"]["level"] == pj.INTERVAL_LEVEL and t["meta"]["coverage_floor"] == pj.COVERAGE_FLOOR
    for fam in ("level", "small_count"):
        for m in ("linear", "ensemble"):
            for h in (1, 2, 3, 4, 5):
                e = t["families"][fam][m][h]
                assert e["q_lo"] <= 0 <= e["q_hi"] and 0 <= e["coverage"] <= 1
                assert list(e["cdf"]) == sorted(e["cdf"])  # quantiles are non-decreasing


def test_the_array_path_of_the_fit_window_equals_the_pandas_path():
    # _prepare reads usual float series on arrays; an object-dtype copy of the same series takes the
    # pandas path (dropna, sort, label slice). Both give the same years, values, gaps and errors.
    from liyang_ip.analysis.projection import _prepare

    nan = float("nan")
    cases = [
        pd.Series([1.0, 2.0, nan, 4.0, 5.0, 6.0, 7.0], index=range(2014, 2021)),
        pd.Series([3.0, 1.0, 2.0, 5.0, 4.0], index=[2019, 2015, 2016, 2020, 2018]),  # unsorted
        pd.Series([nan, nan, 1.0, 2.0, 3.0, 4.0], index=range(2010, 2016), name="x"),
        pd.Series([1.0, 2.0, 3.0], index=[2015, 2016, 2017]),  # too short
        pd.Series([nan] * 5, index=range(2015, 2020)),
    ]
    for s in cases:
        for window in [(None, None), (2015, 2020), (2016, None), (None, 2018), (2012, 2013)]:
            try:
                fast = _prepare(s, *window)
            except ValueError as err:
                fast = str(err)
            try:
                slow = _prepare(s.astype(object), *window)
            except ValueError as err:
                slow = str(err)
            if isinstance(slow, str):
                assert fast == slow
            else:
                np.testing.assert_array_equal(fast[0], slow[0])
                np.testing.assert_array_equal(fast[1], slow[1])
                assert fast[0].dtype == slow[0].dtype == fast[1].dtype == float and fast[2] == slow[2]
