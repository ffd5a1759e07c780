"""Baseline functions against hand calculations."""

import numpy as np
import pandas as pd
import pytest

from liyang_ip.analysis import baseline as bl

AGG = {"count": "sum", "ratio": "ratio"}


@pytest.fixture
def obs(make_obs):
    recs = []
    # 溧阳市 counts: 100, 110, (2017 missing), 130, 150, 200 ; city totals 1000 … 2000
    for yr, v, c in [(2015, 100, 1000), (2016, 110, 1100), (2018, 130, 1300), (2019, 150, 1500), (2020, 200, 2000)]:
        recs += [("溧阳市", yr, "count", v), ("常州市", yr, "count", c)]
    recs += [("常州市", 2017, "count", 1200)]
    # a ratio indicator without a 2020 value
    recs += [("溧阳市", y, "ratio", 5.0 + y - 2015) for y in range(2015, 2020)]
    recs += [("常州市", y, "ratio", 8.0) for y in range(2015, 2021)]
    return make_obs(recs)


def test_cagr_by_hand():
    # doubling in 5 years: 2^(1/5) − 1 = 0.148698355
    assert bl.cagr(100, 200, 5) == pytest.approx(14.8698355, rel=1e-8)
    for bad in [(0, 10, 5), (-1, 10, 5), (10, 0, 5), (10, 20, 0), (np.nan, 20, 5)]:
        with pytest.raises(ValueError):
            bl.cagr(*bad)


def test_cagr_and_required_growth_are_one_formula_with_their_own_names_in_errors():
    from liyang_ip.analysis import targets as tg

    # 100 → 121 in 2 years: 1.21^(1/2) − 1 = 10 % a year, whichever question is asked.
    assert bl.cagr(100, 121, 2) == pytest.approx(10.0) == tg.required_growth(100, 121, 2)
    with pytest.raises(ValueError, match="^CAGR needs positive values"):
        bl.cagr(0, 10, 5)
    with pytest.raises(ValueError, match="^required growth needs a positive number of years"):
        tg.required_growth(10, 20, 0)


@pytest.mark.parametrize("name", ["levels_table", "yoy_table", "share_of_city", "baseline_table"])
def test_shared_parameter_docs_are_filled_in(name):
    doc = getattr(bl, name).__doc__
    assert "{period}" not in doc and "{parent}" not in doc
    assert "    start, end : int\n        Period end points, years (inclusive)" in doc
    assert ("region_set : RegionSet" in doc) == (name in ("share_of_city", "baseline_table"))


def test_baseline_table(obs):
    t = bl.baseline_table(obs, "溧阳市", 2015, 2020, aggregate=AGG).set_index("indicator")
    c = t.loc["count"]
    assert c["value_start"] == 100 and c["value_end"] == 200
    assert c["increment"] == 100
    assert c["cagr"] == pytest.approx(14.8698355, rel=1e-8)
    assert c["share_start"] == pytest.approx(10.0) and c["share_end"] == pytest.approx(10.0)
    assert c["missing_years"] == "2017" and c["n_years"] == 5  # reported, not filled
    r = t.loc["ratio"]
    assert r["value_start"] == 5.0 and np.isnan(r["value_end"])  # 2019 is not used in place of 2020
    assert np.isnan(r["cagr"]) and np.isnan(r["increment"])
    assert "no value for 2020" in r["note"] and r["missing_years"] == "2020"
    assert np.isnan(r["share_start"])  # share of a ratio is meaningless


def test_share_of_city_notes(obs):
    s = bl.share_of_city(obs, "溧阳市", 2015, 2020, aggregate=AGG)
    row = s[(s["indicator"] == "count") & (s["year"] == 2017)].iloc[0]
    assert np.isnan(row["share"]) and "no 溧阳市 value" in row["note"]
    assert s[s["indicator"] == "ratio"]["note"].str.contains("not meaningful").all()


def test_yoy_by_hand(obs):
    y = bl.yoy_table(obs, "溧阳市", 2015, 2020, indicators=["count"]).set_index("year")
    assert list(y.index) == [2015, 2016, 2018, 2019, 2020]
    assert np.isnan(y.loc[2015, "yoy"])  # no 2014 value
    assert y.loc[2016, "change"] == 10 and y.loc[2016, "yoy"] == pytest.approx(10.0)
    assert np.isnan(y.loc[2018, "yoy"])  # 2017 missing: growth is not bridged over the gap
    assert y.loc[2019, "yoy"] == pytest.approx(20 / 130 * 100)
    assert y.loc[2020, "yoy"] == pytest.approx(100 / 3)


def test_levels_table_shape(obs):
    lv = bl.levels_table(obs, "溧阳市", 2015, 2020)
    assert list(lv.columns) == list(range(2015, 2021))
    assert set(lv.index) == {"count", "ratio"}
    assert np.isnan(lv.loc["count", 2017])


def test_target_attainment(obs):
    targets = pd.DataFrame({
        "region": ["溧阳市", "溧阳市", "溧阳市"],
        "indicator": ["count", "ratio", "count"],
        "year": [2020, 2019, 2017],
        "value": [250.0, 10.0, 120.0],
        "source": ["plan", "plan", "plan"],
    })
    a = bl.target_attainment(obs, targets, polarity={"count": 1, "ratio": -1}, base_year=2015)
    r0, r1, r2 = (a.iloc[i] for i in range(3))
    assert r0["attainment"] == pytest.approx(80.0) and not r0["met"]  # 200 / 250
    # progress since 2015: (200 − 100) / (250 − 100) = 66.7 %
    assert r0["progress"] == pytest.approx(100 / 150 * 100)
    # lower is better: actual 9 vs target 10 → met, attainment 10/9
    assert r1["actual"] == 9.0 and r1["met"] and r1["attainment"] == pytest.approx(1000 / 9)
    assert pd.isna(r2["met"]) and np.isnan(r2["actual"])  # 2017 missing → unknown, not "not met"


def test_baseline_with_targets(obs):
    targets = pd.DataFrame({"region": ["溧阳市"], "indicator": ["count"], "year": [2020], "value": [200.0],
                            "source": ["十三五规划"]})
    t = bl.baseline_table(obs, "溧阳市", aggregate=AGG, targets=targets, polarity={"count": 1, "ratio": 1})
    c = t.set_index("indicator").loc["count"]
    assert c["attainment"] == pytest.approx(100.0) and c["met"] and c["target_source"] == "十三五规划"


def test_catalogue_defaults(make_obs):
    # without explicit mappings the catalogue gives aggregate = sum for patent_grants
    o = make_obs([("溧阳市", 2015, "patent_grants", 50), ("常州市", 2015, "patent_grants", 500),
                  ("溧阳市", 2020, "patent_grants", 80), ("常州市", 2020, "patent_grants", 1000)])
    t = bl.baseline_table(o, "溧阳市").iloc[0]
    assert t["share_start"] == pytest.approx(10.0) and t["share_end"] == pytest.approx(8.0)
    assert t["missing_years"] == "2016, 2017, 2018, 2019"


def test_bad_obs_is_an_error(make_obs):
    with pytest.raises(ValueError, match="lacks column"):
        bl.baseline_table(pd.DataFrame({"region": []}), "溧阳市")
    dup = make_obs([("溧阳市", 2015, "count", 1), ("溧阳市", 2015, "count", 2)])
    with pytest.raises(ValueError, match="repeat"):
        bl.baseline_table(dup, "溧阳市", aggregate=AGG)


def test_unknown_region_names_the_regions_present(obs):
    with pytest.raises(ValueError, match="regions present: 常州市, 溧阳市"):
        bl.baseline_table(obs, "溧阳", aggregate=AGG)


def test_inputs_are_not_mutated(obs):
    from liyang_ip.analysis import benchmark, composite, targets

    before = obs.copy()
    bl.baseline_table(obs, "溧阳市", aggregate=AGG)
    bl.yoy_table(obs, "溧阳市")
    benchmark.gap_table(obs, "溧阳市", peers=[], polarity={"count": 1, "ratio": 1}, aggregate=AGG)
    benchmark.sigma_convergence(obs, regions=["溧阳市", "常州市"])
    composite.indicator_matrix(obs, 2016, regions=["溧阳市", "常州市"])
    targets.propose_targets(obs, "溧阳市", ["count"], methods=["linear"], polarity={"count": 1}, aggregate=AGG)
    pd.testing.assert_frame_equal(obs, before)
