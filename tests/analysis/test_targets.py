"""Target checks and proposed targets against hand calculations."""

import math

import numpy as np
import pandas as pd
import pytest

from liyang_ip.analysis import targets as tg

Z90 = 1.644854  # Φ⁻¹(0.95)
HALF = 2.919986 * 1.5  # linear 90 % half-width for y = 1, 3, 2, 4 (see test_projection)


def test_required_growth_by_hand():
    # 15 → 30 in 5 years: 2^(1/5) − 1 = 14.8698 %
    assert tg.required_growth(15, 30, 5) == pytest.approx(14.8698355, rel=1e-8)
    assert tg.required_growth(100, 100, 3) == 0.0
    for bad in [(0, 10, 5), (10, -1, 5), (10, 20, 0), (np.nan, 1, 1)]:
        with pytest.raises(ValueError):
            tg.required_growth(*bad)


def test_reach_probability_by_hand():
    # interval [lower, upper] is the central 90 % of a normal → target at the lower bound is reached with 95 %
    assert tg.reach_probability(4.5, 4.5 - HALF, 4.5 + HALF, 4.5) == pytest.approx(0.5)
    assert tg.reach_probability(4.5, 4.5 - HALF, 4.5 + HALF, 4.5 - HALF) == pytest.approx(0.95, abs=1e-6)
    # lower is better: target at the upper bound
    assert tg.reach_probability(4.5, 4.5 - HALF, 4.5 + HALF, 4.5 + HALF, polarity=-1) == pytest.approx(0.95, abs=1e-6)
    assert tg.reach_probability(5, 5, 5, 4) == 1.0 and tg.reach_probability(5, 5, 5, 6) == 0.0
    assert math.isnan(tg.reach_probability(5, np.nan, np.nan, 4))


@pytest.fixture
def obs(make_obs):
    recs = [("L", 2015 + k, "x", v) for k, v in enumerate([1, 3, 2, 4])]  # 2015–2018
    recs += [("S", 2019, "x", 1.0), ("S", 2020, "x", 2.0)]  # too short to project
    return make_obs(recs)


def hand_table(calibrated=True):
    """Calibration table for `linear`: interval f + (−2, 3)·s; error CDF through (−2, 5 %), (0, 50 %), (2, 95 %)."""
    e = {"q_lo": -2.0, "q_hi": 3.0, "coverage": 0.9, "cdf": [-2.0, 0.0, 2.0]}
    return {"meta": {"cdf_probs": [0.05, 0.5, 0.95]},
            "families": {"level": {"linear": {1: dict(e), 2: dict(e)}}},
            "probability": {"level": {"linear": {"calibrated": calibrated}}}}


def test_target_check_by_hand(obs):
    targets = pd.DataFrame({"region": ["L", "L", "S"], "indicator": ["x"] * 3, "year": [2019, 2019, 2025],
                            "value": [6.0, 3.0, 3.0], "source": ["plan", "plan", "plan"]})
    t = tg.target_check(obs, targets, methods=["linear"], use="linear", fit_start=2015, fit_end=2018,
                        polarity={"x": 1}, calibration=hand_table())
    r = t.iloc[0]
    # base 4 (2018) → target 6 in 1 year: +50 % ; projection 4.5 (see test_projection)
    assert r["base_year"] == 2018 and r["base_value"] == 4.0
    assert r["required_growth"] == pytest.approx(50.0)
    assert r["projected"] == pytest.approx(4.5) and r["projected_gap"] == pytest.approx(-1.5)
    assert r["projected_growth"] == pytest.approx(12.5)
    # s = √3 (changes 2, −1, 2); interval 4.5 + (−2, 3)·√3
    assert r["lower"] == pytest.approx(4.5 - 2 * math.sqrt(3)) and r["upper"] == pytest.approx(4.5 + 3 * math.sqrt(3))
    # P = 1 − F((6 − 4.5)/√3) = 1 − F(0.866025); F linear between (0, 50 %) and (2, 95 %):
    # F = 0.5 + 0.866025 · 0.45 / 2 = 0.694856 → P = 0.305144
    assert r["probability"] == pytest.approx(0.305144, abs=1e-6)
    assert not r["on_track"] and r["proj_linear"] == pytest.approx(4.5)
    # one method, not reaching: 0 of 1 → 难以达到
    assert (r["methods_reaching"], r["methods_fitted"], r["verdict"]) == (0, 1, "unlikely")
    # target 3: z = −1.5/√3 = −0.866025, F = 0.5 − 0.866025·0.45/2 = 0.305144 → P = 0.694856; 1 of 1 reaches
    r1 = t.iloc[1]
    assert r1["probability"] == pytest.approx(0.694856, abs=1e-6) and r1["on_track"] and r1["verdict"] == "likely"
    s = t.iloc[2]  # S starts in 2019, after the fit window
    assert np.isnan(s["projected"]) and "no history" in s["note"] and pd.isna(s["on_track"]) and s["verdict"] == ""
    short = tg.target_check(obs, targets.iloc[2:], methods=["linear"], use="linear", polarity={"x": 1}).iloc[0]
    assert short["base_year"] == 2020 and np.isnan(short["projected"]) and "at least 4" in short["note"]


def test_no_probability_unless_the_study_calibrated_it(obs):
    targets = pd.DataFrame({"region": ["L"], "indicator": ["x"], "year": [2019], "value": [6.0]})
    t = tg.target_check(obs, targets, methods=["linear"], use="linear", fit_start=2015, fit_end=2018,
                        polarity={"x": 1}, calibration=hand_table(calibrated=False)).iloc[0]
    assert np.isnan(t["probability"])  # the interval is still there, the probability is not
    assert np.isfinite(t["lower"]) and t["verdict"] == "unlikely"


def test_verdict_rule():
    # thresholds in one place: share ≥ 0.75 likely, ≤ 0.25 unlikely, else at risk
    assert tg.VERDICT_RULE == {"likely": 0.75, "unlikely": 0.25}
    assert [tg.verdict(k, 4) for k in range(5)] == ["unlikely", "unlikely", "at_risk", "likely", "likely"]
    assert [tg.verdict(k, 5) for k in range(6)] == ["unlikely", "unlikely", "at_risk", "at_risk", "likely", "likely"]
    assert tg.verdict(0, 0) == ""
    assert tg.verdict(1, 2, {"likely": 0.5, "unlikely": 0.0}) == "likely"


def test_target_check_counts_methods_and_respects_polarity(make_obs):
    # 10, 12, 14, 16, 18, 20 (2015–2020): cagr, linear, loglinear, gm11 all fitted; holt not (6 < 10)
    o = make_obs([("L", 2015 + k, "x", 10 + 2 * k) for k in range(6)])
    targets = pd.DataFrame({"region": ["L", "L"], "indicator": ["x", "x"], "year": [2025, 2025],
                            "value": [29.0, 1000.0]})
    t = tg.target_check(o, targets, polarity={"x": 1})
    # linear: exactly 30 in 2025 (reaches 29); cagr 20·(2)^(1) = 40 (10 → 20 over 5 years doubles); log-linear
    # and gm11 grow geometrically too (> 30): all four reach 29, none reaches 1000
    assert (t.iloc[0]["methods_reaching"], t.iloc[0]["methods_fitted"], t.iloc[0]["verdict"]) == (4, 4, "likely")
    assert (t.iloc[1]["methods_reaching"], t.iloc[1]["verdict"]) == (0, "unlikely")
    # lower is better: a target of 29 is then missed by all four
    neg = tg.target_check(o, targets.iloc[:1], polarity={"x": -1}).iloc[0]
    assert (neg["methods_reaching"], neg["verdict"]) == (0, "unlikely")


def test_target_check_reports_missing_base_year(make_obs):
    o = make_obs([("L", y, "x", float(y - 2010)) for y in (2014, 2015, 2016, 2017, 2018, 2019)])
    targets = pd.DataFrame({"region": ["L"], "indicator": ["x"], "year": [2025], "value": [20.0]})
    t = tg.target_check(o, targets, methods=["linear", "ensemble"], polarity={"x": 1}).iloc[0]
    assert t["base_year"] == 2019 and "no value for 2020" in t["note"]
    # exact line: ensemble = linear = 15 in 2025, short of 20
    assert t["projected"] == pytest.approx(15.0) and not t["on_track"] and t["verdict"] == "unlikely"
    # the horizon counts from the last observed year (2019 → 2025 = 6 years, beyond the study): no interval
    assert np.isnan(t["lower"]) and np.isnan(t["probability"])


@pytest.fixture
def panel(make_obs):
    recs = []
    for k in range(6):  # 2015–2020, exact lines: linear projection to 2025 is exact
        yr = 2015 + k
        recs += [("F", yr, "x", 10 + k), ("City", yr, "x", 20 + 2 * k), ("Fast", yr, "x", 10 + 4 * k),
                 ("P", yr, "x", 12 + 3 * k)]
    return make_obs(recs)


def test_propose_targets_gap_rule_by_hand(panel):
    # F: 15 in 2020, trend 20 in 2025; city 30 in 2020, trend 40 in 2025
    # shortfall 2020 = (30 − 15)/30 = 50 %; closing half of it leaves 25 % → 40 × 0.75 = 30 > 20 (trend)
    plan = pd.DataFrame({"region": ["F"], "indicator": ["x"], "year": [2025], "value": [25.0], "source": ["plan"]})
    p = tg.propose_targets(panel, "F", ["x"], share=0.5, city="City", benchmark="city", methods=["linear"], polarity={"x": 1}, aggregate={"x": "ratio"},
                           plan_targets=plan).iloc[0]
    assert p["shortfall_base"] == pytest.approx(50.0)
    assert p["focus_trend"] == pytest.approx(20.0) and p["bench_projected"] == pytest.approx(40.0)
    assert p["gap_rule"] == pytest.approx(30.0) and p["proposed"] == pytest.approx(30.0)
    assert p["binding"] == "gap rule"
    assert p["required_growth"] == pytest.approx(14.8698355, rel=1e-7)  # 15 → 30 in 5 years
    assert p["plan_target"] == 25.0 and p["proposed_vs_plan"] == pytest.approx(20.0)
    # share = 0: keep today's relative gap → 40 × 0.5 = 20 = trend → trend binds (never below)
    p0 = tg.propose_targets(panel, "F", ["x"], share=0.0, city="City", benchmark="city", methods=["linear"],
                            polarity={"x": 1}, aggregate={"x": "ratio"}).iloc[0]
    assert p0["proposed"] == pytest.approx(20.0) and p0["binding"] == "trend"


def test_propose_never_below_trend_and_ahead(panel):
    # Fast: 30 in 2020 (equal to the city) with trend 50: already at the benchmark → trend
    p = tg.propose_targets(panel, "Fast", ["x"], city="City", benchmark="city", methods=["linear"], polarity={"x": 1}, aggregate={"x": "ratio"}).iloc[0]
    assert p["proposed"] == pytest.approx(50.0) and p["binding"].startswith("trend (already")
    # P: 27 in 2020, 10 % behind; trend 42 beats the gap rule 40 × (1 − 0.05) = 38
    q = tg.propose_targets(panel, "P", ["x"], city="City", benchmark="city", methods=["linear"], polarity={"x": 1}, aggregate={"x": "ratio"}).iloc[0]
    assert q["gap_rule"] == pytest.approx(38.0) and q["proposed"] == pytest.approx(42.0) and q["binding"] == "trend"


def test_propose_against_leader(panel):
    # leader in 2020 among F, Fast, P is Fast (30), projected 50; shortfall of F = 50 %
    # share 1 → match the leader's projection: 50
    p = tg.propose_targets(panel, "F", ["x"], share=1.0, benchmark="leader", peers=["Fast", "P"], growth_cap=np.inf,
                           methods=["linear"], polarity={"x": 1}, aggregate={"x": "ratio"}).iloc[0]
    assert p["benchmark"] == "leader: Fast" and p["proposed"] == pytest.approx(50.0)


def test_propose_lower_is_better(make_obs):
    # polarity −1: F = 20 in 2020 vs city 10 → 100 % behind; city trend 2025 = 10 (flat), F trend 2025 = 20
    # half the gap → 10 + 0.5 × 1.0 × 10 = 15 < trend 20 → proposed 15
    recs = [("F", 2015 + k, "y", 20.0) for k in range(6)] + [("City", 2015 + k, "y", 10.0) for k in range(6)]
    p = tg.propose_targets(make_obs(recs), "F", ["y"], city="City", benchmark="city", methods=["linear"], polarity={"y": -1}, aggregate={"y": "ratio"}).iloc[0]
    assert p["shortfall_base"] == pytest.approx(100.0)
    assert p["proposed"] == pytest.approx(15.0) and p["binding"] == "gap rule"


def test_propose_reports_missing_city_row(panel):
    p = tg.propose_targets(panel, "F", ["x"], city="常州市", benchmark="city", methods=["linear"], polarity={"x": 1}, aggregate={"x": "ratio"}).iloc[0]
    assert np.isnan(p["proposed"]) and "no 常州市 value for 2020" in p["note"]
    with pytest.raises(ValueError, match="share"):
        tg.propose_targets(panel, "F", ["x"], share=-0.1, polarity={"x": 1}, aggregate={"x": "ratio"})


def test_propose_sum_indicator_uses_average_block(make_obs):
    # counts: City total = 2 blocks × (20 + 2k) → average block 30 in 2020 and 40 in 2025, as in the
    # ratio case above → the same proposal of 30
    recs = [("F", 2015 + k, "n", 10.0 + k) for k in range(6)] + [("City", 2015 + k, "n", 2 * (20.0 + 2 * k))
                                                                for k in range(6)]
    p = tg.propose_targets(make_obs(recs), "F", ["n"], city="City", benchmark="city", methods=["linear"], polarity={"n": 1},
                           aggregate={"n": "sum"}, n_blocks=2).iloc[0]
    assert p["bench_base"] == pytest.approx(30.0) and p["bench_projected"] == pytest.approx(40.0)
    assert p["proposed"] == pytest.approx(30.0)


def test_target_check_uses_first_method_without_ensemble(obs):
    targets = pd.DataFrame({"region": ["L"], "indicator": ["x"], "year": [2019], "value": [6.0],
                            "source_id": ["plan-2016"]})
    t = tg.target_check(obs, targets, methods=["linear"], fit_end=2018, polarity={"x": 1}).iloc[0]
    assert t["projected"] == pytest.approx(4.5) and t["source"] == "plan-2016"


def test_no_targets_gives_an_empty_table_with_columns(obs):
    empty = pd.DataFrame(columns=["region", "indicator", "year", "value", "source"])
    t = tg.target_check(obs, empty, methods=["linear", "ensemble"], polarity={})
    assert t.empty and {"probability", "on_track", "proj_linear", "proj_ensemble"} <= set(t.columns)


def test_feasibility_cap_from_the_blocks_own_growth(panel):
    # growth 2015–2020: F 10→15, Fast 10→30, P 12→27 (compound, % a year)
    rates = sorted([(1.5 ** 0.2 - 1) * 100, (3 ** 0.2 - 1) * 100, (2.25 ** 0.2 - 1) * 100])
    cap = rates[1] + 0.8 * (rates[2] - rates[1])  # 90th percentile, linear: position 0.9 × 2 = 1.8
    assert cap == pytest.approx(23.18, abs=0.01)
    assert tg.growth_caps(panel, ["x"], ["F", "Fast", "P"], 2015, 2020, polarity={"x": 1})["x"] == pytest.approx(cap)
    # closing the whole gap to the leader (50 in 2025) needs 15 → 50: 27.2 % a year > cap → capped
    p = tg.propose_targets(panel, "F", ["x"], share=1.0, benchmark="leader", peers=["Fast", "P"],
                           methods=["linear"], polarity={"x": 1}, aggregate={"x": "ratio"}).iloc[0]
    assert p["gap_rule"] == pytest.approx(50.0) and bool(p["capped"]) and p["binding"] == "cap"
    assert p["proposed"] == pytest.approx(15 * (1 + cap / 100) ** 5) and p["required_growth"] == pytest.approx(cap)
    assert "27.2%" in p["feasibility"] and "90%分位数" in p["feasibility"]
    # a cap below the trend's growth never pushes the proposal under the trend (20)
    q = tg.propose_targets(panel, "F", ["x"], share=1.0, benchmark="leader", peers=["Fast", "P"], growth_cap=1.0,
                           methods=["linear"], polarity={"x": 1}, aggregate={"x": "ratio"}).iloc[0]
    assert q["proposed"] == pytest.approx(20.0) and q["binding"] == "trend" and bool(q["capped"])


def test_benchmark_others_excludes_the_focus_and_share_may_exceed_one(make_obs):
    # counts: the other blocks A (20 + 2k) and B (40 + 2k) average 30 + 2k: 40 in 2020, 50 in 2025 (linear)
    recs = []
    for k in range(6):
        yr = 2015 + k
        recs += [("F", yr, "n", 10.0 + k), ("A", yr, "n", 20.0 + 2 * k), ("B", yr, "n", 40.0 + 2 * k),
                 ("City", yr, "n", 70.0 + 5 * k)]
    obs = make_obs(recs)
    kw = {"city": "City", "methods": ["linear"], "polarity": {"n": 1}, "aggregate": {"n": "sum"},
          "n_blocks": 3, "peers": ["A", "B"], "growth_cap": np.inf}
    p = tg.propose_targets(obs, "F", ["n"], share=0.5, **kw).iloc[0]
    # F = 15 in 2020, shortfall (40 − 15)/40 = 62.5 %; half of it left: 50 × (1 − 0.3125) = 34.375
    assert p["benchmark_kind"] == "others" and p["bench_base"] == pytest.approx(40.0)
    assert p["bench_projected"] == pytest.approx(50.0) and p["proposed"] == pytest.approx(34.375)
    # share 1.2 per indicator: beyond the others' average: 50 × (1 + 0.2 × 0.625) = 56.25
    p = tg.propose_targets(obs, "F", ["n"], share={"n": 1.2}, **kw).iloc[0]
    assert p["share"] == 1.2 and p["proposed"] == pytest.approx(56.25)
    # the city average (sum / 3 blocks) is given beside it: 95 / 3 in 2020
    assert p["parent_average"] == pytest.approx(95 / 3)


def test_benchmark_city_plan_target(make_obs):
    recs = [("F", 2015 + k, "n", 10.0 + k) for k in range(6)]
    recs += [("City", 2015 + k, "n", 2 * (20.0 + 2 * k)) for k in range(6)]  # average block 30 in 2020
    plan = pd.DataFrame({"region": ["City", "F"], "indicator": ["n", "n"], "year": [2025, 2025],
                         "value": [100.0, 26.0], "source": ["city plan", "own plan"]})
    p = tg.propose_targets(make_obs(recs), "F", ["n"], share=0.5, benchmark="city_plan", city="City", n_blocks=2,
                           methods=["linear"], polarity={"n": 1}, aggregate={"n": "sum"}, plan_targets=plan,
                           growth_cap=np.inf).iloc[0]
    # benchmark_T = city target 100 / 2 blocks = 50; shortfall (30 − 15)/30 = 50 %; 50 × 0.75 = 37.5
    assert p["bench_projected"] == pytest.approx(50.0) and p["proposed"] == pytest.approx(37.5)
    assert p["parent_target"] == 100.0 and p["plan_target"] == 26.0 and p["plan_source"] == "own plan"
    no_plan = tg.propose_targets(make_obs(recs), "F", ["n"], benchmark="city_plan", city="City", n_blocks=2,
                                 methods=["linear"], polarity={"n": 1}, aggregate={"n": "sum"}).iloc[0]
    assert np.isnan(no_plan["proposed"]) and "no City plan target for 2025" in no_plan["note"]


def test_proposals_rounded_to_planning_precision():
    from liyang_ip.analysis import precision

    assert precision.planning_round(1234.5, "invention_patents_held") == 1235  # counts: integers
    assert precision.to_planning(123456.0, "ip_pledge_amount") == 12.35  # 万元 → 亿元, two decimals
    assert precision.planning_round(123456.0, "ip_pledge_amount") == pytest.approx(123500.0)
    assert precision.format_planning(24.25, "invention_patents_per_10k") == "24.3"  # half away from zero
    assert precision.format_planning(12345678.0, "patent_grants") == "12345678"  # no thousands separator
    assert precision.format_planning(np.nan, "gdp") == "—"


def test_group_average_years_where_every_region_has_a_value(make_obs):
    # A: 2019 10, 2020 30, 2021 NaN; B: 2020 20, 2021 40; C lacks 2019 → only 2020 is complete: (30 + 20 + 4) / 3
    obs = make_obs([("A", 2019, "n", 10.0), ("A", 2020, "n", 30.0), ("A", 2021, "n", float("nan")),
                    ("B", 2020, "n", 20.0), ("B", 2021, "n", 40.0), ("B", 2019, "n", 1.0),
                    ("C", 2020, "n", 4.0), ("C", 2021, "n", 5.0), ("D", 2019, "n", 100.0)])
    avg = tg.group_average(obs, "n", ["A", "B", "C"], "sum")
    assert avg.to_dict() == {2020: pytest.approx(18.0)} and avg.name == "n"
    assert tg.group_average(obs, "n", ["A", "D"], "sum").to_dict() == {2019: pytest.approx(55.0)}
    assert tg.group_average(obs, "n", ["A", "nowhere"], "sum").empty


def test_group_average_takes_the_first_of_a_repeated_year(make_obs):
    # A's 2020 appears twice (10 then 50): the first counts, as in the pivot table: (10 + 20) / 2
    obs = make_obs([("A", 2020, "n", 10.0), ("A", 2020, "n", 50.0), ("B", 2020, "n", 20.0)])
    assert tg.group_average(obs, "n", ["A", "B"], "sum").to_dict() == {2020: pytest.approx(15.0)}
    # a region named twice counts twice: (10 + 10 + 20) / 3
    obs = make_obs([("A", 2020, "n", 10.0), ("B", 2020, "n", 20.0)])
    assert tg.group_average(obs, "n", ["A", "A", "B"], "sum").to_dict() == {2020: pytest.approx(40 / 3)}
