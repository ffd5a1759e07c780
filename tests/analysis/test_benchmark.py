"""Ranks, gaps and σ-convergence against hand calculations."""

import math

import numpy as np
import pytest

from liyang_ip.analysis import benchmark as bm

POL = {"x": 1, "y": -1}
AGG = {"x": "ratio", "y": "ratio"}  # the City row is already the weighted average


@pytest.fixture
def obs(make_obs):
    return make_obs([
        ("A", 2015, "x", 10), ("B", 2015, "x", 20), ("C", 2015, "x", 30), ("City", 2015, "x", 25),
        ("A", 2020, "x", 30), ("B", 2020, "x", 35), ("C", 2020, "x", 40), ("City", 2020, "x", 36),
        ("A", 2015, "y", 5), ("B", 2015, "y", 3), ("C", 2015, "y", 4),
        ("A", 2020, "y", 2), ("B", 2020, "y", 3),  # C has no 2020 value
    ])


def test_rank_table_respects_polarity_and_gaps(obs):
    r = bm.rank_table(obs, regions=["A", "B", "C"], polarity=POL)
    x15 = r[(r["indicator"] == "x") & (r["year"] == 2015)].set_index("region")["rank"]
    assert x15.to_dict() == {"C": 1, "B": 2, "A": 3}
    y15 = r[(r["indicator"] == "y") & (r["year"] == 2015)].set_index("region")["rank"]
    assert y15.to_dict() == {"B": 1, "C": 2, "A": 3}  # lower is better
    y20 = r[(r["indicator"] == "y") & (r["year"] == 2020)]
    assert set(y20["region"]) == {"A", "B"} and (y20["n"] == 2).all()  # C absent, not ranked last
    assert "City" not in set(r["region"])


def test_rank_ties_share_the_better_rank(make_obs):
    o = make_obs([("A", 2020, "x", 5), ("B", 2020, "x", 5), ("C", 2020, "x", 1)])
    r = bm.rank_table(o, regions=["A", "B", "C"], polarity=POL).set_index("region")["rank"]
    assert r.to_dict() == {"A": 1, "B": 1, "C": 3}


def test_gap_table_by_hand(obs):
    g = bm.gap_table(obs, "A", peers=["B", "C"], polarity=POL, city="City", aggregate=AGG).set_index(["indicator", "year"])
    x15 = g.loc[("x", 2015)]
    assert x15["rank"] == 3 and x15["n"] == 3
    assert x15["gap_city"] == -15 and x15["gap_city_pct"] == pytest.approx(-60.0)
    assert x15["median"] == 20 and x15["gap_median_pct"] == pytest.approx(-50.0)
    assert x15["leader"] == "C" and x15["gap_leader"] == -20
    assert x15["gap_leader_pct"] == pytest.approx(-200 / 3)
    y15 = g.loc[("y", 2015)]
    assert y15["leader"] == "B" and y15["gap_leader"] == 2  # leader has the lowest value
    assert math.isnan(y15["city_value"]) and "no City row" in y15["note"]
    y20 = g.loc[("y", 2020)]
    assert y20["leader"] == "A" and y20["rank"] == 1 and y20["gap_leader"] == 0 and y20["n"] == 2


def test_benchmark_table_defaults_to_latest_year(obs):
    b = bm.benchmark_table(obs, "A", peers=["B", "C"], polarity=POL, city="City", aggregate=AGG)
    assert set(b["year"]) == {2020}
    with pytest.raises(ValueError, match="no observations"):
        bm.benchmark_table(obs, "Z", peers=["B"], polarity=POL, aggregate=AGG)


def test_gap_change(obs):
    c = bm.gap_change(obs, "A", 2015, 2020, against="city", peers=["B", "C"], polarity=POL,
                      city="City", aggregate=AGG).set_index("indicator")
    # x: 60 % behind the city in 2015, 6/36 = 16.7 % behind in 2020
    assert c.loc["x", "shortfall_start"] == pytest.approx(60.0)
    assert c.loc["x", "shortfall_end"] == pytest.approx(100 / 6)
    assert c.loc["x", "improved"] and c.loc["x", "status"] == "gap narrowed"
    assert c.loc["y", "status"].startswith("missing") and c.loc["y", "improved"] is not True
    lead = bm.gap_change(obs, "A", 2015, 2020, against="leader", peers=["B", "C"], polarity=POL,
                         city="City", aggregate=AGG).set_index("indicator")
    # y (lower is better): A was 66.7 % behind leader B in 2015 and is the leader in 2020
    assert lead.loc["y", "shortfall_start"] == pytest.approx(200 / 3)
    assert lead.loc["y", "shortfall_end"] == 0 and lead.loc["y", "status"] == "overtook"
    with pytest.raises(ValueError, match="against"):
        bm.gap_change(obs, "A", against="mean", peers=["B"], polarity=POL, aggregate=AGG)


def test_sigma_convergence_by_hand(obs):
    s = bm.sigma_convergence(obs, indicators=["x", "y"], regions=["A", "B", "C"]).set_index(["indicator", "year"])
    # x 2015: mean 20, population sd √(200/3) = 8.164966, cv 0.408248
    assert s.loc[("x", 2015), "cv"] == pytest.approx(math.sqrt(200 / 3) / 20)
    # x 2020: mean 35, sd √(50/3) = 4.082483, cv 0.116642 → converging
    assert s.loc[("x", 2020), "cv"] == pytest.approx(math.sqrt(50 / 3) / 35)
    assert not s.loc[("y", 2020), "complete"] and s.loc[("y", 2020), "n"] == 2


def test_all_blocks_equal(make_obs):
    o = make_obs([(r, 2020, "x", 7.0) for r in "ABC"])
    s = bm.sigma_convergence(o, regions=list("ABC"))
    assert s.iloc[0]["cv"] == 0.0
    r = bm.rank_table(o, regions=list("ABC"), polarity=POL)
    assert (r["rank"] == 1).all()
    zero = make_obs([(r, 2020, "x", 0.0) for r in "ABC"])
    assert np.isnan(bm.sigma_convergence(zero, regions=list("ABC")).iloc[0]["cv"])


def test_registry_defaults(make_obs):
    # default peers = the other six blocks, default city = 常州市, polarity from the catalogue
    from liyang_ip import registry

    blocks = registry.region_set().members
    o = make_obs([(b, 2020, "patent_grants", float(i + 1)) for i, b in enumerate(blocks)]
                 + [(registry.parent(), 2020, "patent_grants", 28.0)])
    b = bm.benchmark_table(o, "溧阳市").iloc[0]
    assert b["n"] == 7 and b["rank"] == 7 and b["city_value"] == 28.0
    # patent_grants is a count: the city row is a total, so the benchmark is the average block 28 / 7 = 4
    assert b["city_avg"] == 4.0 and b["gap_city"] == -3.0 and b["gap_city_pct"] == pytest.approx(-75.0)
    assert b["leader"] == blocks[-1] and b["median"] == 4.0


def test_sum_indicator_compared_with_average_block(make_obs):
    # counts: city total 60 over 3 blocks → average block 20; A = 10 is 50 % below it
    o = make_obs([("A", 2020, "n", 10), ("B", 2020, "n", 20), ("C", 2020, "n", 30), ("City", 2020, "n", 60),
                  ("A", 2015, "n", 5), ("B", 2015, "n", 10), ("C", 2015, "n", 15), ("City", 2015, "n", 30)])
    g = bm.gap_table(o, "A", peers=["B", "C"], polarity={"n": 1}, city="City", aggregate={"n": "sum"},
                     n_blocks=3, years=2020).iloc[0]
    assert g["city_value"] == 60 and g["city_avg"] == 20
    assert g["gap_city"] == -10 and g["gap_city_pct"] == pytest.approx(-50.0)
    c = bm.gap_change(o, "A", 2015, 2020, polarity={"n": 1}, peers=["B", "C"], city="City",
                      aggregate={"n": "sum"}, n_blocks=3).iloc[0]
    assert c["bench_end"] == 20 and c["shortfall_end"] == pytest.approx(50.0)
    assert c["shortfall_start"] == pytest.approx(50.0) and c["status"] == "unchanged"


def test_unknown_focus_is_an_error(obs):
    with pytest.raises(ValueError, match="no observations for region 'Z'"):
        bm.gap_table(obs, "Z", peers=["A"], polarity=POL, aggregate=AGG)


def test_gap_change_below_the_materiality_threshold_is_unchanged(make_obs):
    # shortfall to the city: (40 − 20)/40 = 50 % in 2015, (40 − 20.2)/40 = 49.5 % in 2020: −0.5 pp
    o = make_obs([("A", 2015, "x", 20), ("City", 2015, "x", 40), ("A", 2020, "x", 20.2), ("City", 2020, "x", 40),
                  ("B", 2015, "x", 1), ("B", 2020, "x", 1)])
    kw = {"peers": ["B"], "polarity": {"x": 1}, "city": "City", "aggregate": {"x": "ratio"}}
    c = bm.gap_change(o, "A", 2015, 2020, **kw).iloc[0]  # default: 1 percentage point
    assert c["change"] == pytest.approx(-0.5) and c["status"] == "unchanged" and not c["improved"]
    c0 = bm.gap_change(o, "A", 2015, 2020, materiality=0, **kw).iloc[0]
    assert c0["status"] == "gap narrowed" and c0["improved"]
    c2 = bm.gap_change(o, "A", 2015, 2020, materiality=0.4, **kw).iloc[0]
    assert c2["status"] == "gap narrowed"
    with pytest.raises(ValueError, match="materiality"):
        bm.gap_change(o, "A", 2015, 2020, materiality=-1, **kw)
