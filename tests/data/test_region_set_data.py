"""The data layer takes its geography from the dataset's region sets: names, parent totals, conflicts,
metadata, template; a user-defined set given as a YAML path works end to end."""

from pathlib import Path

import pandas as pd
import pytest

from liyang_ip import registry
from liyang_ip.analysis import benchmark, composite
from liyang_ip.data import load_dataset
from liyang_ip.data.build import build
from liyang_ip.data.derive import parent_totals

WITH_OUTSIDE = """
name: nation
unit_word: {zh: 省份, en: province}
regions:
  - {name: 全域, kind: parent, total_of: [A省, B省, 外区]}
  - {name: A省, kind: member}
  - {name: B省, kind: member}
  - {name: 外区, kind: outside}
"""


def obs_rows(rows):
    df = pd.DataFrame(rows, columns=["region", "year", "indicator", "value", "status"])
    return df.assign(unit="件", source_id="S1", note="", quote="")


@pytest.fixture
def county(county_set):
    return registry.region_set(county_set())


def test_parent_total_is_the_sum_of_complete_years_only(county):
    obs = obs_rows([
        ("甲镇", 2020, "pct_applications", 10, "official"), ("乙镇", 2020, "pct_applications", 20, "official"),
        ("丙镇", 2020, "pct_applications", 5, "official"),
        ("甲镇", 2021, "pct_applications", 12, "official"), ("乙镇", 2021, "pct_applications", 22, "official"),
    ])
    out, conflicts = parent_totals(obs, county)
    parent = out[out.region == "某县"].set_index("year")["value"]
    assert parent.to_dict() == {2020: 35.0}  # 2021 lacks 丙镇: no partial sum
    row = out[(out.region == "某县")].iloc[0]
    assert row.status == "derived" and "sum of the 3 units" in row.note
    assert conflicts.empty


def test_official_parent_kept_and_difference_reported_as_conflict(county):
    obs = obs_rows([
        ("甲镇", 2020, "pct_applications", 10, "official"), ("乙镇", 2020, "pct_applications", 20, "official"),
        ("丙镇", 2020, "pct_applications", 5, "official"), ("某县", 2020, "pct_applications", 36, "official"),
        ("甲镇", 2021, "pct_applications", 1, "official"), ("乙镇", 2021, "pct_applications", 2, "official"),
        ("丙镇", 2021, "pct_applications", 3, "official"), ("某县", 2021, "pct_applications", 6, "official"),
    ])
    out, conflicts = parent_totals(obs, county)
    given = out[(out.region == "某县")].set_index("year")["value"]
    assert given.to_dict() == {2020: 36.0, 2021: 6.0}  # never replaced
    assert len(conflicts) == 1  # 2021 agrees (1 + 2 + 3 = 6)
    c = conflicts.iloc[0]
    assert (c.region, c.year, c.chosen_value) == ("某县", 2020, 36.0)
    assert "35 (derived" in c.rejected
    assert c.relative_spread == pytest.approx(1 / 36, abs=1e-6)


def test_total_with_units_outside_the_benchmark_is_not_derived_from_members(tmp_path: Path):
    p = tmp_path / "nation.yaml"
    p.write_text(WITH_OUTSIDE, encoding="utf-8")
    obs = obs_rows([("A省", 2023, "pct_applications", 100, "official"), ("B省", 2023, "pct_applications", 50, "official"),
                    ("全域", 2023, "pct_applications", 160, "official")])
    out, conflicts = parent_totals(obs, p)
    assert conflicts.empty  # 外区 has no figure: no derived total to compare with
    assert len(out) == 3
    # The average province is the mean of the members, not the total (which holds 外区) / 2 or / 3.
    gaps = benchmark.gap_table(out, "A省", years=[2023], region_set=p)
    assert gaps.loc[0, "city_avg"] == pytest.approx(75.0)
    assert gaps.loc[0, "gap_city_pct"] == pytest.approx((100 - 75) / 75 * 100)


# 甲 and 乙 by their aliases; 丙镇 by its name.
ROWS = [("甲", 2019, "pct_applications", 6, "official"), ("乙", 2019, "pct_applications", 3, "official"),
        ("丙镇", 2019, "pct_applications", 3, "official"),
        ("甲", 2020, "pct_applications", 9, "official"), ("乙", 2020, "pct_applications", 6, "official"),
        ("丙镇", 2020, "pct_applications", 3, "official")]


def test_user_region_set_by_path_end_to_end(tmp_path: Path, small_panel):
    ds_dir = small_panel(tmp_path / "towns", "geo/county.yaml", ROWS, county=True)
    ds = load_dataset(ds_dir)
    assert ds.region_set.name == "my_county" and ds.region_set.members == ["甲镇", "乙镇", "丙镇"]
    assert ds.metadata["region_sets"][0]["bundled"] is False
    obs = ds.observations
    # 某县 = 6 + 3 + 3 = 12 (2019) and 9 + 6 + 3 = 18 (2020), derived.
    assert ds.panel("pct_applications").loc[2020, "某县"] == 18.0
    assert list(ds.panel("pct_applications").columns) == ["某县", "甲镇", "乙镇", "丙镇"]
    g = benchmark.gap_table(obs, "乙镇", years=[2020], region_set=ds.region_set)
    # average town = 18 / 3 = 6; 乙镇 has 6: gap 0; rank 2 of 3 (9 > 6 > 3).
    assert g.loc[0, "city_avg"] == 6.0 and g.loc[0, "gap_city"] == 0.0
    assert (g.loc[0, "rank"], g.loc[0, "n"]) == (2, 3)
    ch = benchmark.gap_change(obs, "甲镇", 2019, 2020, region_set=ds.region_set)
    # 甲镇 was 50 % above the average (6 vs 4) and stays 50 % above (9 vs 6).
    assert ch.loc[0, "shortfall_start"] == pytest.approx(-50.0) and ch.loc[0, "shortfall_end"] == pytest.approx(-50.0)
    m = composite.indicator_matrix(obs, 2020, region_set=ds.region_set)
    assert list(m.index) == ["甲镇", "乙镇", "丙镇"]
    assert set(ds.coverage_summary["region"]) == {"某县", "甲镇", "乙镇", "丙镇"}


def test_names_outside_the_dataset_set_are_errors_and_former_units_rejected(tmp_path: Path, small_panel):
    rows = [("溧阳市", 2020, "pct_applications", 9, "official"), ("旧丁乡", 2020, "pct_applications", 1, "official")]
    ds_dir = small_panel(tmp_path / "towns", "county.yaml", rows, county=True)
    issues = build(ds_dir).errors
    msgs = [(i.row, i.field, i.message) for i in issues]
    assert msgs[0][:2] == (2, "region") and "unknown region" in msgs[0][2] and "某县" in msgs[0][2]
    assert msgs[1][:2] == (3, "region") and "merged into 甲镇" in msgs[1][2]


def test_unknown_region_set_in_dataset_yaml_is_one_clear_error(tmp_path: Path, small_panel, county_set):
    from liyang_ip.data.spec import DatasetSpecError

    ds_dir = small_panel(tmp_path / "towns", "chna", ROWS)
    with pytest.raises(DatasetSpecError, match=r"dataset.yaml.*unknown region set 'chna' \(did you mean china\?\)"):
        build(ds_dir)
    # A set file outside the dataset directory is refused like any other file there.
    county_set()
    ds_dir = small_panel(tmp_path / "towns2", "../county.yaml", ROWS)
    with pytest.raises(DatasetSpecError, match="region_set file"):
        build(ds_dir)


def test_region_set_override_for_a_plain_csv(tmp_path: Path, small_panel, county_set):
    ds_dir = small_panel(tmp_path / "towns", "changzhou", ROWS)
    ds = load_dataset(ds_dir / "observations.csv", region_set=str(county_set()))
    assert ds.region_set.name == "my_county"
    assert ds.panel("pct_applications").loc[2019, "某县"] == 12.0


def test_template_dropdown_from_the_set(tmp_path: Path):
    from openpyxl import load_workbook

    from liyang_ip.data.template import write_template

    out = write_template(tmp_path / "t.xlsx", region_set="jiangsu")
    ws = load_workbook(out)["指标目录"]
    regions = [ws.cell(r, 10).value for r in range(2, 16)]
    assert regions[0] == "江苏省" and regions[1:] == registry.region_set("jiangsu").members
    assert ws.cell(16, 10).value is None
    data = load_workbook(out)["数据"]
    assert data["A2"].value == "南京市"
    dv = [d for d in data.data_validations.dataValidation if "A2" in str(d.sqref)][0]
    assert dv.formula1 == "=指标目录!$J$2:$J$15"


def test_notebook_params_take_the_region_set():
    from liyang_ip.params import validate_params

    p = validate_params(focus="江苏", region_set="china")
    assert p.focus == "江苏省" and len(p.peers) == 30 and "江苏省" not in p.peers
    with pytest.raises(ValueError, match="全国 is the parent of region set 'china', not one of its 31 provinces"):
        validate_params(focus="全国", region_set="china")
    with pytest.raises(ValueError, match="valid provinces are: 北京市, 天津市"):
        validate_params(focus="溧阳市", region_set="china")
    # Default focus: the set's first member.
    assert validate_params(region_set="jiangsu").focus == "南京市"
