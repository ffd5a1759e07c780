"""Indicators against counts made by hand from the small exports in conftest.py.

Layout A (cnipa) as of 2024-06-30, located patents (P5 is in 上海, outside the city):
  P1 溧阳市 invention, filed 2012-03-01, granted 2015-06-10, in force; H01M 10/0525 (first) + B60L 58/12;
     family member US…; pledged
  P2 溧阳市 utility model, filed 2020-11-05, granted (U publication) 2021-07-02, lapsed 2023-05-01; H02B
  P3 金坛区 invention, filed 2020-03-15, granted 2022-01-20, in force; G06F (first) + H01M 10/42
  P4 常州经开区 invention, filed 2023-02-01, pending; F16H with 汽车 in the title
"""

from __future__ import annotations

import pandas as pd
import pytest

from liyang_ip.patents import import_export
from liyang_ip.patents import indicators as I

AS_OF = "2024-06-30"


@pytest.fixture
def imp(cnipa_csv):
    return import_export(cnipa_csv, as_of=AS_OF)


@pytest.fixture
def table(imp):
    return I.compute(imp)


def series(table, indicator, region, industry="all", basis="any_ipc"):
    t = I.select(table, indicator, basis=basis, industry=industry, region=region)
    return {int(y): v for y, v in zip(t["year"], t["value"], strict=True) if v}


def test_flows_by_block_and_city(table):
    assert series(table, "patent_applications", "溧阳市") == {2012: 1, 2020: 1}
    assert series(table, "patent_applications", "常州市") == {2012: 1, 2020: 2, 2023: 1}
    assert series(table, "invention_patent_applications", "常州市") == {2012: 1, 2020: 1, 2023: 1}
    assert series(table, "patent_grants", "溧阳市") == {2015: 1, 2021: 1}
    assert series(table, "patent_grants", "常州市") == {2015: 1, 2021: 1, 2022: 1}
    assert series(table, "invention_patent_grants", "常州市") == {2015: 1, 2022: 1}
    assert series(table, "pct_applications", "常州市") == {}
    # Years run from the earliest filing (2008, P5) to the status year; zeros are counts.
    yrs = I.select(table, "patent_applications", industry="all", region="天宁区")["year"]
    assert yrs.min() == 2008 and yrs.max() == 2024


def test_stocks_in_force_and_over_10_years(table):
    held = {y: 1 for y in range(2015, 2024)}
    assert series(table, "invention_patents_held", "溧阳市") == held  # 2024 not complete: not computed
    assert series(table, "invention_patents_held", "金坛区") == {2022: 1, 2023: 1}
    assert series(table, "invention_patents_held", "常州市") == {**held, 2022: 2, 2023: 2}
    # P1 filed 2012-03-01: more than 10 years old at 31 Dec 2022, not at 31 Dec 2021.
    assert series(table, "invention_patents_over_10y", "溧阳市") == {2022: 1, 2023: 1}
    assert table["year"][table["indicator"] == "invention_patents_held"].max() == 2023


def test_industries_first_vs_any_ipc_and_overlap(table):
    assert series(table, "patent_applications", "溧阳市", "power_battery", "any_ipc") == {2012: 1}
    assert series(table, "patent_applications", "溧阳市", "power_battery", "first_ipc") == {2012: 1}
    assert series(table, "patent_applications", "金坛区", "power_battery", "any_ipc") == {2020: 1}
    assert series(table, "patent_applications", "金坛区", "power_battery", "first_ipc") == {}
    # P1 is in two industries (overlap); by first IPC only in power batteries.
    assert series(table, "patent_applications", "溧阳市", "automotive", "any_ipc") == {2012: 1}
    assert series(table, "patent_applications", "溧阳市", "automotive", "first_ipc") == {}
    assert series(table, "patent_applications", "常州经开区", "automotive", "first_ipc") == {2023: 1}
    assert series(table, "patent_applications", "常州市", "agri_feed_machinery", "any_ipc") == {}  # P5 is outside


def test_high_value_all_criteria_and_without_sei(cnipa_csv, tmp_path, imp, table):
    assert set(imp.summary["hv_criteria_available"]) == {"strategic_emerging", "overseas_family", "over_10y", "pledged", "awarded"}
    assert all(imp.summary["hv_criteria_available"].values())
    # With the bundled industries P1 and P3 are strategic emerging (power batteries): HV = held.
    assert series(table, "high_value_invention_patents", "常州市") == series(table, "invention_patents_held", "常州市")
    # With no industry marked strategic emerging, P3 (no family abroad, not pledged, 2 years old) drops out;
    # P1 stays (overseas family, pledged).
    f = tmp_path / "ind.yaml"
    f.write_text("industries:\n  - code: x\n    name_zh: 测试\n    strategic_emerging: false\n    include: [H01M]\n",
                 encoding="utf-8")
    t2 = I.compute(import_export(cnipa_csv, as_of=AS_OF, industries_file=f))
    assert series(t2, "high_value_invention_patents", "金坛区") == {}
    assert series(t2, "high_value_invention_patents", "溧阳市") == {y: 1 for y in range(2015, 2024)}


def test_criteria_missing_fields_are_not_applied(tmp_path, layouts):
    write = layouts["write"]
    f = write(tmp_path / "min.csv", ["申请号", "申请日", "授权公告日", "申请人地址", "法律状态"],
              [["CN201210000001.1", "2012-03-01", "2015-06-10", "江苏省溧阳市", "有效"]])
    r = import_export(f, as_of="2024-06-30")
    avail = r.summary["hv_criteria_available"]
    assert avail["over_10y"] and not avail["overseas_family"] and not avail["pledged"] and not avail["awarded"]
    assert avail["strategic_emerging"] is None  # no IPC column: industries cannot be told
    t = I.compute(r)
    # Only the >10-year criterion applies: high value from 2022 on.
    assert series(t, "high_value_invention_patents", "溧阳市") == {2022: 1, 2023: 1}
    assert set(t.attrs["hv_criteria"]) == {"over_10y"}
    g = write(tmp_path / "nolegal.csv", ["申请号", "申请日", "授权公告日", "申请人地址"],
              [["CN201210000001.1", "2012-03-01", "2015-06-10", "江苏省溧阳市"]])
    t = I.compute(import_export(g, as_of="2024-06-30"))
    assert "invention_patents_held" not in set(t["indicator"])  # no legal status: stocks not computed
    assert series(t, "invention_patent_grants", "溧阳市") == {2015: 1}


def test_in_force_rules_on_dates_and_status(tmp_path, layouts):
    rows = [
        # a: lapsed with date 2019-03-01 → in force at year ends 2016-2018
        ["CN201510000001.1", "2015-01-10", "2016-05-01", "失效", "2019-03-01"],
        # b: lapsed, no lapse date → status at past year ends unknown, never counted as held
        ["CN201510000002.1", "2015-01-10", "2016-05-01", "未缴年费专利权终止", ""],
        # c: filed 2000-01-10, status in force: the 20-year term ends in 2020 → held 2003-2019 only
        ["CN200010000003.1", "2000-01-10", "2003-02-01", "有效", ""],
        # d: filed 31 Dec 2013: exactly 10 years at 31 Dec 2023 (not more), more than 10 at 31 Dec 2024
        ["CN201310000004.1", "2013-12-31", "2016-01-05", "有效", ""],
        # e: partially invalidated: still in force
        ["CN201810000005.1", "2018-01-01", "2020-01-01", "部分无效", ""],
    ]
    f = layouts["write"](tmp_path / "force.csv", ["申请号", "申请日", "授权公告日", "法律状态", "失效日", "申请人地址"],
                         [r + ["江苏省溧阳市"] for r in rows])
    imp = import_export(f, as_of="2025-06-30")
    py = I.patent_years(imp).set_index(imp.patents["app_no"].to_numpy())
    assert (py.loc["201510000001.1", "invention_patents_held_from"], py.loc["201510000001.1", "invention_patents_held_to"]) == (2016, 2018)
    assert py.loc["201510000002.1", "invention_patents_held_from"] > py.loc["201510000002.1", "invention_patents_held_to"]
    assert (py.loc["201510000002.1", "invention_in_force_unknown_from"], py.loc["201510000002.1", "invention_in_force_unknown_to"]) == (2016, 2024)
    assert (py.loc["200010000003.1", "invention_patents_held_from"], py.loc["200010000003.1", "invention_patents_held_to"]) == (2003, 2019)
    assert py.loc["201310000004.1", "invention_patents_over_10y_from"] == 2024
    t = I.compute(imp)
    held = series(t, "invention_patents_held", "溧阳市")
    # by hand: a 2016-18; c 2003-19; d 2016-24; e 2020-24
    expect = {}
    for lo, hi in ((2016, 2018), (2003, 2019), (2016, 2024), (2020, 2024)):
        for y in range(lo, hi + 1):
            expect[y] = expect.get(y, 0) + 1
    assert held == expect
    # c (filed 2000-01-10) is 10.97 years old at 31 Dec 2010: >10 years from 2010 to 2019; d only in 2024
    assert series(t, "invention_patents_over_10y", "溧阳市") == {**{y: 1 for y in range(2010, 2020)}, 2024: 1}
    assert series(t, "invention_in_force_unknown", "溧阳市") == {y: 1 for y in range(2016, 2025)}


def test_completeness_flags(table):
    apps = I.select(table, "patent_applications", industry="all", region="常州市").set_index("year")["complete"]
    assert bool(apps[2022]) and not bool(apps[2023]) and not bool(apps[2024])  # 18-month publication lag
    grants = I.select(table, "patent_grants", industry="all", region="常州市").set_index("year")["complete"]
    assert bool(grants[2023]) and not bool(grants[2024])


def test_shares_concentration_and_top_applicants(imp, table):
    s = I.share_of_parent(table, "溧阳市").set_index(["industry", "year"])
    assert s.loc[("all", 2020), "share"] == pytest.approx(50.0)
    assert s.loc[("all", 2012), "share"] == pytest.approx(100.0)
    assert s.loc[("power_battery", 2020), "share"] == pytest.approx(0.0)
    assert pd.isna(s.loc[("smart_grid", 2012), "share"])  # city has none: no share
    inv = I.invention_share(table).set_index(["region", "industry", "year"])
    assert inv.loc[("常州市", "all", 2020), "share"] == pytest.approx(50.0)
    c = I.concentration(imp, "常州市", top=2, years=(2012, 2023)).set_index("industry")
    assert c.loc["all", "applicants"] == 4 and c.loc["all", "applications"] == 4
    assert c.loc["all", "top_share"] == pytest.approx(50.0)
    assert c.loc["power_battery", "applications"] == 2 and c.loc["power_battery", "top_share"] == pytest.approx(100.0)
    assert pd.isna(c.loc["agri_feed_machinery", "top_share"])
    top = I.top_applicants(imp, "常州市", "power_battery", years=(2012, 2023))
    assert top["applicant"].tolist() == ["溧阳甲电池有限公司", "金坛丙科技有限公司"]
    assert top["share"].tolist() == [50.0, 50.0]
    assert top["invention_patents_held"].tolist() == [1, 1]


def test_observation_rows(table):
    obs, src = I.to_observations(table, "PAT1")
    assert set(obs["status"]) == {"derived"} and set(obs["source_id"]) == {"PAT1"}
    assert set(obs["indicator"]) <= set(I.CATALOGUE)
    row = obs[(obs["region"] == "溧阳市") & (obs["indicator"] == "invention_patents_held") & (obs["year"] == 2015)]
    assert row["value"].tolist() == [1.0] and row["unit"].tolist() == ["件"]
    apps = obs[(obs["region"] == "常州市") & (obs["indicator"] == "patent_applications")]
    assert apps["year"].max() == 2022  # 2023 applications not all published by 2024-06-30
    assert "high_value_invention_patents" in set(obs["indicator"])  # all five criteria applied
    assert src["source_id"].tolist() == ["PAT1"] and src["date"].tolist() == [AS_OF]
    assert "cnipa.csv" in obs["note"].iloc[0]


def test_cli_writes_indicators_and_dataset_rows_that_pass_the_data_check(cnipa_csv, tmp_path, capsys):
    from liyang_ip.cli import main

    out = tmp_path / "out"
    assert main(["patents", "import", str(cnipa_csv), "--out", str(out), "--as-of", AS_OF]) == 0
    assert "observation rows for the dataset" in capsys.readouterr().out
    ind = pd.read_csv(out / "indicators.csv")
    assert set(I.COLUMNS) == set(ind.columns)
    # The observation rows are a valid tidy file for the main dataset's checker.
    assert main(["data", "check", str(out / "observations.csv")]) == 0
