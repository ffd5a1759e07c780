"""The synthetic national panel: codes and parents, partitioned load, determinism, demo marking, stocks.

Small builds only (Jiangsu and Hainan, or Jiangsu alone): the whole country is measured by
scripts/bench_national.py, not here.
"""

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.dataset as pds
import pytest

from liyang_ip import registry
from liyang_ip.data import national
from liyang_ip.registry import divisions

CHANGZHOU = {"320400": "常州市", "320481": "溧阳市", "320413": "金坛区", "320412": "武进区", "320411": "新北区",
             "320402": "天宁区", "320404": "钟楼区"}
YEARS = range(2016, 2026)


@pytest.fixture(scope="module")
def panel(tmp_path_factory):
    root = tmp_path_factory.mktemp("national") / "panel"
    return national.build_national_demo(root, seed=7, years=YEARS, provinces=["32", "46"])


def _all_rows(root) -> pd.DataFrame:
    return pds.dataset(root, format="parquet", partitioning="hive").to_table().to_pandas()


def test_known_codes_and_parents():
    units = national.county_units(["32"]).set_index("code")
    for code, name in CHANGZHOU.items():
        if code == "320400":
            assert divisions.division(code).level == "prefecture"
            continue
        assert units.loc[code, "name"] == name and units.loc[code, "parent"] == "320400"
        assert national.partition_of(code) == "320400"
    with pytest.raises(national.NationalPanelError, match="320400 常州市 is a prefecture"):
        national.partition_of("320400")
    with pytest.raises(national.NationalPanelError, match="999999"):
        national.partition_of("999999")
    # A county-level city directly under its province (省直辖): its partition is the province.
    assert national.partition_of("469001") == "460000"


def test_whole_country_is_the_mainland_units():
    # 台湾省, 香港, 澳门 are `outside` in the china region set: left out unless asked for by province code.
    assert national.outside_provinces() == {"71", "81", "82"}
    units = national.county_units()
    expected = [d.code for d in divisions.divisions().values()
                if d.level == "county" and d.code[:2] not in ("71", "81", "82")]
    assert units["code"].tolist() == sorted(expected) and len(units) > 2800
    assert set(national.county_units(["81"])["code"].str[:2]) == {"81"}


def test_rows_units_and_partitions_by_hand(panel):
    divs = divisions.divisions().values()
    counties = [d for d in divs if d.level == "county" and d.code[:2] in ("32", "46")]
    prefectures = {d.parent for d in counties if divisions.division(d.parent).level == "prefecture"}
    parents = {d.parent for d in counties}
    n_ind = len(registry.indicators())
    assert panel.units == len(counties)
    assert panel.partitions == len(parents)
    assert panel.rows == (len(counties) + len(prefectures)) * n_ind * len(YEARS)
    dirs = sorted(p.name for p in panel.root.iterdir() if p.is_dir())
    assert dirs == sorted(f"parent={p}" for p in parents)
    meta = json.loads((panel.root / national.META).read_text(encoding="utf-8"))
    assert meta["is_demo"] is True and meta["status"] == "demo" and meta["rows"] == panel.rows


def test_partitioned_load_is_exactly_the_siblings_and_parent(panel):
    ds = national.load_partition(panel.root, "320481")
    assert set(ds.observations["region"]) == set(CHANGZHOU.values())
    assert ds.metadata["codes"] == {n: c for c, n in CHANGZHOU.items()}
    assert ds.region_set.name == "division:320400" and ds.region_set.parent == "常州市"
    assert len(ds.observations) == 7 * len(registry.indicators()) * len(YEARS)
    # the same through load_dataset on the partition directory (what `run --dataset` does)
    from liyang_ip.data import load_dataset

    same = load_dataset(national.partition_path(panel.root, "320481"))
    pd.testing.assert_frame_equal(same.observations, ds.observations)


def test_load_reads_no_other_partition(panel, tmp_path):
    root = tmp_path / "copy"
    shutil.copytree(panel.root, root)
    for part in root.iterdir():
        if part.is_dir() and part.name != "parent=320400":
            for f in part.iterdir():
                f.write_bytes(b"not parquet")  # reading any of these would fail
    ds = national.load_partition(root, "320402")
    assert set(ds.observations["region"]) == set(CHANGZHOU.values())


def test_province_direct_units_have_no_parent_rows(panel):
    ds = national.load_partition(panel.root, "469001")
    regions = set(ds.observations["region"])
    direct = {d.name for d in divisions.children("460000") if d.level == "county"}
    assert regions == direct and "海南省" not in regions


def test_parent_rows_are_sums_and_total_over_total(panel):
    obs = national.load_partition(panel.root, "320481").observations
    wide = obs.pivot_table(index=["indicator", "year"], columns="region", values="value")
    members = [n for c, n in CHANGZHOU.items() if c != "320400"]
    for code in ("patent_applications", "invention_patents_held", "resident_population"):
        got = wide.loc[code, "常州市"].to_numpy()
        assert np.allclose(got, wide.loc[code, members].sum(axis=1).to_numpy())
    held = wide.loc["invention_patents_held", members].sum(axis=1)
    pop = wide.loc["resident_population", members].sum(axis=1)
    assert np.allclose(wide.loc["invention_patents_per_10k", "常州市"].to_numpy(), (held / pop).to_numpy(),
                       atol=1e-4)
    w = wide.loc["resident_population", members]
    score = wide.loc["ip_protection_satisfaction", members]
    assert np.allclose(wide.loc["ip_protection_satisfaction", "常州市"].to_numpy(),
                       ((score * w).sum(axis=1) / w.sum(axis=1)).to_numpy(), atol=1e-3)


def test_every_row_is_demo_and_marked(panel):
    rows = _all_rows(panel.root)
    assert set(rows["status"].astype(str)) == {"demo"}
    assert set(rows["source_id"].astype(str)) == {national.SOURCE_ID}
    ds = national.load_partition(panel.root, "320481")
    assert ds.is_demo and "演示" in ds.status_label
    assert "演示数据" in ds.sources.loc[0, "title"] and "非真实统计" in ds.sources.loc[0, "title"]


def test_stock_indicators_never_fall(panel):
    rows = _all_rows(panel.root)
    stocks = [c for c, i in registry.indicators().items() if i.kind in ("stock", "cumulative")]
    s = rows[rows["indicator"].astype(str).isin(stocks)].sort_values(["code", "indicator", "year"])
    step = s.groupby(["code", "indicator"], observed=True)["value"].diff().dropna()
    assert len(step) > 0 and (step >= 0).all()


def test_deterministic_per_seed_and_per_unit(panel, tmp_path):
    a = national.build_national_demo(tmp_path / "a", seed=7, years=YEARS, provinces=["32"])
    b = national.build_national_demo(tmp_path / "b", seed=8, years=YEARS, provinces=["32"])
    one = national.load_partition(a.root, "320481").observations
    # the same seed gives the same figures for a unit whether one province or two were built
    pd.testing.assert_frame_equal(one, national.load_partition(panel.root, "320481").observations)
    other = national.load_partition(b.root, "320481").observations
    assert one[["region", "year", "indicator"]].equals(other[["region", "year", "indicator"]])
    assert not np.allclose(one["value"], other["value"])


def test_partition_feeds_the_analysis(panel):
    from liyang_ip.analysis.baseline import share_of_city

    ds = national.load_partition(panel.root, "320481")
    share = share_of_city(ds.observations, "溧阳市", 2020, 2025, indicators=["patent_applications"])
    wide = ds.panel("patent_applications")
    expected = (wide["溧阳市"] / wide["常州市"] * 100).loc[2020:2025].to_numpy()
    assert np.allclose(share["share"].to_numpy(), expected)


def test_out_that_is_not_a_panel_is_refused(tmp_path):
    keep = tmp_path / "notes.txt"
    keep.write_text("mine", encoding="utf-8")
    with pytest.raises(national.NationalPanelError, match="not a national panel"):
        national.build_national_demo(tmp_path, provinces=["32"])
    assert keep.read_text(encoding="utf-8") == "mine"
    with pytest.raises(national.NationalPanelError, match="consecutive"):
        national.build_national_demo(tmp_path / "gap", years=[2010, 2012], provinces=["32"])
    assert not (tmp_path / "gap").exists()


def test_cli_writes_a_panel_and_names_bad_input(tmp_path, capsys):
    from liyang_ip.cli import main

    assert main(["data", "national-demo", "--out", str(tmp_path / "p"), "--province", "32"]) == 0
    assert "demo" in capsys.readouterr().out
    assert (tmp_path / "p" / "parent=320400").is_dir()
    assert main(["data", "national-demo", "--out", str(tmp_path / "q"), "--province", "99"]) == 1
    err = capsys.readouterr().err
    assert "unknown province code(s) 99" in err and "Traceback" not in err


def test_parameter_sets_name_each_unit_and_its_partition(panel, tmp_path):
    from liyang_ip.report.runner import load_params_file

    path = national.write_param_sets(panel.root, tmp_path / "counties.yaml")
    sets = load_params_file(path)
    assert len(sets) == panel.units
    by_focus = {(s["focus"], s["dataset"]) for s in sets}
    assert ("溧阳市", str(panel.root / "parent=320400")) in by_focus
    assert all(Path(s["dataset"]).is_dir() for s in sets)
    assert national.param_sets(panel.root, ["320481"]) == [{"dataset": str(panel.root / "parent=320400"),
                                                             "focus": "溧阳市"}]
    with pytest.raises(national.NationalPanelError, match="no unit 110101"):
        national.param_sets(panel.root, ["110101"])


def test_partition_is_not_a_raw_dataset(panel):
    from liyang_ip.data.build import build, declared_region_sets
    from liyang_ip.data.spec import DatasetSpecError

    part = national.partition_path(panel.root, "320481")
    assert [s.name for s in declared_region_sets(str(part))] == ["division:320400"]
    with pytest.raises(DatasetSpecError, match="partition of a national panel"):
        build(part)
    with pytest.raises(national.NationalPanelError, match="not a national panel"):
        national.load_partition(panel.root.parent, "320481")
