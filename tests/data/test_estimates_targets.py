"""Estimated (预计) figures beside demo and official ones; plan targets with 属性 and 口径."""

from __future__ import annotations

import pandas as pd
import pytest

from liyang_ip import registry
from liyang_ip.data import build as B
from liyang_ip.data import demo
from liyang_ip.data.derive import derive_ratios
from liyang_ip.data.schema import estimate_mask


def test_estimate_mask_reads_status_or_note():
    df = pd.DataFrame({"status": ["official", "estimate", "demo", "demo", "derived"],
                       "note": ["", "", "预计数（演示数据）", "demo: a / b", "预计: derived: a / b"]})
    assert estimate_mask(df).tolist() == [False, True, True, False, True]
    assert estimate_mask(pd.DataFrame({"value": [1.0]})).tolist() == [False]


def test_ratio_derived_from_an_estimate_is_an_estimate():
    df = pd.DataFrame([["溧阳市", 2025, "invention_patents_held", 3000, "件", "estimate", "s", "", ""],
                       ["溧阳市", 2025, "resident_population", 80.0, "万人", "official", "s", "", ""],
                       ["溧阳市", 2024, "invention_patents_held", 2900, "件", "official", "s", "", ""],
                       ["溧阳市", 2024, "resident_population", 80.0, "万人", "official", "s", "", ""]],
                      columns=["region", "year", "indicator", "value", "unit", "status", "source_id", "note", "quote"])
    out, _ = derive_ratios(df)
    r = out[out.indicator == "invention_patents_per_10k"].set_index("year")
    assert r.loc[2025, "value"] == pytest.approx(37.5) and r.loc[2025, "status"] == "derived"
    assert r.loc[2025, "note"].startswith("预计") and not r.loc[2024, "note"].startswith("预计")


def test_demo_estimated_year_extends_the_panel_without_changing_earlier_years():
    full = demo.generate()
    hist = demo.generate(years=range(2015, 2025), estimate_years=())
    both = full.merge(hist, on=["region", "year", "indicator"], suffixes=("", "_h"))
    assert len(both) == len(hist) and (both.value == both.value_h).all()
    est = full[estimate_mask(full)]
    assert set(est.year) == set(demo.ESTIMATE_YEARS) and (full.status == "demo").all()
    assert len(est) == len(full[full.year.isin(demo.ESTIMATE_YEARS)])


def test_demo_targets_for_every_block_and_the_city():
    t = B.build("demo").targets
    regions = [registry.parent(), *registry.region_set().members]
    assert set(t.region) == set(regions) and set(t.year) == {max(demo.YEARS)}
    assert (t.groupby("region").indicator.nunique() == len(registry.mission_indicators())).all()
    assert (t.status == "demo").all() and (t.attribute == "预期性").all()
    assert set(t[t.basis == "cumulative"].indicator) == {"ip_pledge_amount"}
    # whole numbers for counts
    counts = t[t.unit == "件"]
    assert (counts.value == counts.value.round()).all()


def _targets_dataset(tmp_path, rows):
    d = tmp_path / "ds"
    d.mkdir()
    (d / "observations.csv").write_text(
        "region,year,indicator,value,unit,status,source_id\n溧阳市,2020,invention_patents_held,1570,件,official,S1\n",
        encoding="utf-8")
    (d / "sources.csv").write_text("source_id,title,publisher,url\nS1,规划,溧阳市,\n", encoding="utf-8")
    (d / "targets.csv").write_text("地区,指标,年份,数值,单位,来源,属性,口径\n" + rows, encoding="utf-8")
    return d


def test_targets_file_with_attribute_and_basis_columns(tmp_path):
    d = _targets_dataset(tmp_path, "溧阳市,invention_patents_held,2025,3000,件,S1,约束性,\n"
                                   "溧阳市,ip_pledge_amount,2025,20,亿元,S1,expected,累计\n"
                                   "常州市,invention_patents_held,2025,40000,件,S1,,\n")
    t = B.build(d).targets.set_index(["region", "indicator"])
    assert t.loc[("溧阳市", "invention_patents_held"), "attribute"] == "约束性"
    assert t.loc[("溧阳市", "ip_pledge_amount"), ["attribute", "basis"]].tolist() == ["预期性", "cumulative"]
    assert t.loc[("溧阳市", "ip_pledge_amount"), "value"] == 200000  # 亿元 → 万元
    assert t.loc[("常州市", "invention_patents_held"), ["attribute", "basis"]].tolist() == ["", "level"]


def test_bad_attribute_or_basis_names_file_row_and_valid_values(tmp_path):
    d = _targets_dataset(tmp_path, "溧阳市,invention_patents_held,2025,3000,件,S1,重要,\n"
                                   "溧阳市,invention_patents_held,2030,4000,件,S1,,平均\n")
    text = "\n".join(str(i) for i in B.build(d).errors)
    lines = text.splitlines()
    bad_attr = next(x for x in lines if "targets.csv:2 [attribute" in x)
    assert "'重要'" in bad_attr and "预期性 (expected), 约束性 (binding)" in bad_attr
    bad_basis = next(x for x in lines if "targets.csv:3 [basis" in x)
    assert "'平均'" in bad_basis and "cumulative (累计" in bad_basis
