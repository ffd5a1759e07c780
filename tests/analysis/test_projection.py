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
    p = pj.project(yearly([1, 3, 2, 4]), methods=["linear"], fit_start=2015, fit_end=2018, horizon_end=2019)
    row = p.iloc[0]
    assert row["year"] == 2019
    assert row["value"] == pytest.approx(4.5)
    assert row["lower"] == pytest.approx(4.5 - 2.919986 * 1.5, abs=1e-5)
    assert row["upper"] == pytest.approx(4.5 + 2.919986 * 1.5, abs=1e-5)


def test_exact_trends_are_continued():
    line = yearly([10 + 2 * k for k in range(6)])  # 2015…2020
    geo = yearly([100 * 1.1**k for k in range(6)])
    pl = pj.project(line, methods=["linear"]).set_index("year")
    np.testing.assert_allclose(pl["value"], [22, 24, 26, 28, 30])
    np.testing.assert_allclose(pl["upper"] - pl["lower"], 0, atol=1e-9)  # perfect fit, s = 0
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
        assert p.loc[p["method"] == m, "note"].str.contains("consecutive").all()
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


def test_constant_series_projects_constant():
    p = pj.project(yearly([7.0] * 6))
    np.testing.assert_allclose(p["value"], 7.0)


def test_holt_damped_trend_on_a_line():
    s = yearly([100 + 10 * k for k in range(6)])
    p = pj.project(s, methods=["holt"]).set_index("year")
    v = p["value"].to_numpy()
    # damped: increasing but never above the undamped line 160, 170, …
    assert np.all(np.diff(v) > 0)
    assert np.all(v <= np.array([160, 170, 180, 190, 200]) + 1e-6)
    assert v[0] == pytest.approx(160, rel=0.02)
    assert np.all(p["lower"] <= p["value"]) and np.all(p["value"] <= p["upper"])


def test_ensemble_is_mixture_of_members():
    # cagr and gm11 have no interval: the ensemble is their mean and its interval is
    # mean ± z·|m₁ − m₂|/2 (variance of two equally weighted points), z = 1.644854 for 90 %.
    s = yearly([100, 104, 111, 115, 123, 130])
    p = pj.project(s, methods=["cagr", "gm11", "ensemble"])
    w = p.pivot(index="year", columns="method", values="value")
    ens = p[p["method"] == "ensemble"].set_index("year")
    mean = (w["cagr"] + w["gm11"]) / 2
    half = 1.644854 * (w["cagr"] - w["gm11"]).abs() / 2
    np.testing.assert_allclose(ens["value"], mean)
    np.testing.assert_allclose(ens["upper"], mean + half, rtol=1e-6)
    np.testing.assert_allclose(ens["lower"], mean - half, rtol=1e-6)
    # explicit weights: all weight on cagr reproduces cagr
    p2 = pj.project(s, methods=["cagr", "gm11", "ensemble"], weights={"cagr": 1.0, "gm11": 0.0})
    np.testing.assert_allclose(p2[p2["method"] == "ensemble"]["value"].to_numpy(), w["cagr"].to_numpy())


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


def test_backtest_ape_by_hand():
    # train 2015–2018 = 1, 3, 2, 4 → linear forecast for 2019 is 4.5 (see above); actual 5 → APE 10 %
    bt = pj.backtest(yearly([1, 3, 2, 4, 5]), methods=["linear"])
    assert len(bt) == 1
    assert bt.iloc[0]["ape"] == pytest.approx(10.0)


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
