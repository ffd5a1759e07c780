"""Builds, atomic writes, raw immutability and the `liyang-ip data` commands."""

import hashlib
import json

import pandas as pd
import pytest

from liyang_ip.cli import main
from liyang_ip.data import build as B


def _hash_tree(d):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(d.rglob("*")) if p.is_file()}


def _user_dataset(tmp_path, extra_row=""):
    d = tmp_path / "mydata"
    d.mkdir()
    (d / "observations.csv").write_text(
        "region,year,indicator,value,unit,status,source_id,note,quote\n"
        "溧阳市,2020,invention_patents_held,1570,件,official,S1,,\n"
        "溧阳市,2020,常住人口,785000,人,official,S1,,\n" + extra_row, encoding="utf-8")
    (d / "sources.csv").write_text("source_id,title,publisher,url\nS1,统计公报,溧阳市统计局,\n", encoding="utf-8")
    return d


def test_build_user_dataset_derives_ratio_and_leaves_raw_untouched(tmp_path):
    d = _user_dataset(tmp_path)
    before = _hash_tree(d)
    built, out = B.build_and_write(d, out_root=tmp_path / "processed")
    assert _hash_tree(d) == before
    obs = pd.read_parquet(out / "observations.parquet")
    r = obs[obs.indicator == "invention_patents_per_10k"].iloc[0]
    assert r.value == pytest.approx(20.0) and r.status == "derived"
    meta = json.loads((out / "metadata.json").read_text(encoding="utf-8"))
    assert meta["is_demo"] is False and meta["fingerprint"] == B.fingerprint(d)
    for name in ("observations.csv", "sources.csv", "coverage.csv", "coverage_summary.csv", "conflicts.csv",
                 "issues.csv", "targets.csv"):
        assert (out / name).exists()
    cov = pd.read_csv(out / "coverage.csv")
    # The user gave one region and year: every other block is reported missing, not filled.
    assert (cov[(cov.region == "金坛区")].status == "missing").all()


def test_failed_build_keeps_previous_output(tmp_path, monkeypatch):
    d = _user_dataset(tmp_path)
    _, out = B.build_and_write(d, out_root=tmp_path / "processed")
    before = _hash_tree(out)

    def boom(self, *a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_parquet", boom)
    with pytest.raises(OSError):
        B.build_and_write(d, out_root=tmp_path / "processed")
    assert _hash_tree(out) == before
    assert [p.name for p in (tmp_path / "processed").iterdir()] == ["mydata"]  # no temp dirs left


def test_build_with_errors_is_not_written(tmp_path):
    d = _user_dataset(tmp_path, extra_row="溧阳市,2021,invention_patents_held,abc,件,official,S1,,\n")
    with pytest.raises(B.BuildError, match=r"observations.csv:4 \[value 数值\]"):
        B.build_and_write(d, out_root=tmp_path / "processed")
    assert not (tmp_path / "processed" / "mydata").exists()


def test_cli_check_good_and_bad(tmp_path, capsys):
    good = _user_dataset(tmp_path)
    assert main(["data", "check", str(good)]) == 0
    assert "0 error(s)" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_bytes("地区,年份,指标,数值,单位\n溧杨市,2020,专利授权量,1.2万,件\n溧阳市,2020,专利授权量,-4,件\n".encode("gbk"))
    assert main(["data", "check", str(bad)]) == 1
    err = capsys.readouterr()
    assert f"{bad}:2 [region 地区] '溧杨市': error: unknown region; did you mean 溧阳市?" in err.err
    assert f"{bad}:3 [value 数值] '-4': error: negative count" in err.err
    assert "2 error(s)" in err.out


def test_cli_build_and_template(tmp_path, capsys):
    d = _user_dataset(tmp_path)
    assert main(["data", "build", "--dataset", str(d), "--out", str(tmp_path / "p")]) == 0
    assert "real data" in capsys.readouterr().out
    assert main(["data", "template", "--out", str(tmp_path / "t.xlsx")]) == 0
    # The example row has no value: an empty template is "no observations", an error.
    assert main(["data", "check", str(tmp_path / "t.xlsx")]) == 1
    assert "no observations" in capsys.readouterr().err
    assert main(["data", "build", "--dataset", str(tmp_path / "nope")]) == 1


def test_coverage_summary_counts_hand_checked():
    df = pd.DataFrame({"region": ["溧阳市", "溧阳市"], "year": [2015, 2017], "indicator": ["gdp", "gdp"],
                       "status": ["official", "estimate"], "value": [1.0, 2.0]})
    cov, summary = B.coverage(df, regions=["溧阳市"], indicators=["gdp"])
    assert cov.status.tolist() == ["official", "missing", "estimate"]
    s = summary.iloc[0]
    assert (s.years_covered, s.years_total, s.share, s.first_year, s.last_year) == (2, 3, 0.667, 2015, 2017)


def test_single_file_without_sources_warns(tmp_path):
    p = tmp_path / "one.csv"
    p.write_text("region,year,indicator,value,unit\n溧阳市,2020,专利授权量,1.2万,件\n", encoding="utf-8")
    issues = B.check(p)
    assert [i.severity for i in issues if i.severity != "info"] == ["warning"]
    assert "no sources table" in [i for i in issues if i.severity == "warning"][0].message


def test_dataset_warnings_leave_out_info_lines_and_paths_are_project_relative():
    from liyang_ip.data import load_dataset

    ds = load_dataset("public")
    assert any(i.severity == "info" for i in ds.issues)  # the encoding decision is recorded…
    assert set(ds.warnings.severity) == {"warning"}  # …but is not a warning
    assert all(not i.file.startswith("/") for i in ds.issues if i.file)  # no machine paths in reports
    assert "data/raw/public/observations.csv" in {i.file for i in ds.issues}


def test_load_dataset_ignores_a_stale_processed_build(tmp_path):
    from liyang_ip.data import load_dataset

    built, out = B.build_and_write("demo", out_root=tmp_path)
    fresh = load_dataset("demo", processed_root=tmp_path)
    assert fresh.metadata["built_at"] == built.metadata["built_at"]  # read from disk
    meta = json.loads((out / "metadata.json").read_text(encoding="utf-8"))
    meta["builder"] = "made-by-older-code"
    (out / "metadata.json").write_text(json.dumps(meta), encoding="utf-8")
    rebuilt = load_dataset("demo", processed_root=tmp_path)
    assert rebuilt.metadata["builder"] == B.builder_hash()  # rebuilt in memory instead


def test_atomic_writes_get_normal_permissions(tmp_path):
    import os

    from liyang_ip.fsutil import atomic_write_text

    old = os.umask(0o022)
    try:
        p = atomic_write_text(tmp_path / "a.txt", "数据")
    finally:
        os.umask(old)
    assert p.read_text(encoding="utf-8") == "数据"
    assert p.stat().st_mode & 0o777 == 0o644  # not tempfile's private 0600
    assert [x.name for x in tmp_path.iterdir()] == ["a.txt"]


def test_a_build_is_a_dataset_and_its_issues_come_back_from_the_processed_folder(tmp_path):
    """One Dataset class for builds and loads: the issues written to issues.csv read back as the same
    Issue objects (file-level row None; a formula-like and a zero-padded value kept as text), and the
    parquet file does not carry the frame's attrs (the region set's path on this machine)."""
    import pyarrow.parquet as pq

    from liyang_ip.data import Dataset, load_dataset

    d = tmp_path / "mydata"
    d.mkdir()
    (d / "observations.csv").write_text(
        "region,year,indicator,value,unit,status,source_id,note,quote\n"
        "溧阳市,2020,invention_patents_held,1570,件,official,S1,,\n"
        "溧阳市,2021,invention_patents_held,=1570,件,official,S1,,\n"
        "溧阳市,2019,invention_patents_held,12,件,official,0012,,\n", encoding="gb18030")
    (d / "sources.csv").write_text("source_id,title,publisher,url\nS1,统计公报,溧阳市统计局,\n", encoding="utf-8")
    built = B.build(d)
    assert isinstance(built, Dataset) and B.Built is Dataset
    assert [(i.severity, i.row, i.field, i.value) for i in built.issues] == [
        ("info", None, "encoding", "gb18030"), ("error", 3, "value", "=1570"), ("error", 4, "source_id", "0012")]
    assert [i.row for i in built.errors] == [3, 4]
    assert built.observations.attrs["region_set"] == "changzhou"
    out = B.write(built, tmp_path / "processed" / "mydata")  # write() itself does not refuse errors
    assert b"PANDAS_ATTRS" not in (pq.read_schema(out / "observations.parquet").metadata or {})
    back = load_dataset(out)
    assert back.issues == built.issues
    assert list(back.warnings["row"]) == [3, 4]  # the info line is not a warning


def test_cli_regions_lists_the_dataset_set_members(tmp_path, capsys, small_panel):
    """`data regions` lists what --focus accepts: the dataset's set (a user's file beside the data), parent
    first, members in set order with their English names; a former unit is not listed."""
    ds = small_panel(tmp_path / "towns", "geo/county.yaml", [("甲镇", 2020, "pct_applications", 1, "official")],
                     county=True)
    assert main(["data", "regions", "--dataset", str(ds)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "my_county: 某县及其三个镇 / A county and three towns"
    assert [line.split()[:2] for line in out[1:]] == [["parent", "某县"], ["member", "甲镇"], ["member", "乙镇"],
                                                      ["member", "丙镇"]]
    assert out[2].endswith("Jia")
    assert main(["data", "regions", "--region-set", "jiangsu"]) == 0
    members = [line.split()[1] for line in capsys.readouterr().out.splitlines() if line.startswith("  member")]
    from liyang_ip import registry

    assert members == registry.region_set("jiangsu").members
    assert main(["data", "regions", "--dataset", str(tmp_path / "nope")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("liyang-ip data regions: dataset") and "not found" in err
