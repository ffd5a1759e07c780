"""Reading exports end to end: layouts, encodings, mapping files, row-level errors, raw file unchanged."""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest

from liyang_ip.cli import main
from liyang_ip.patents import import_export
from liyang_ip.patents.columns import MappingError, column_map
from liyang_ip.patents.load import ExportError


def _sha(p):
    return hashlib.sha256(p.read_bytes()).hexdigest()


def test_cnipa_layout(cnipa_csv):
    before = _sha(cnipa_csv)
    r = import_export(cnipa_csv)
    p = r.patents.set_index("app_no")
    assert r.summary["rows_read"] == 5 and r.summary["patents"] == 5
    assert p.loc["201210000001.1", "type"] == "invention"
    assert p.loc["202020000002.5", "type"] == "utility_model"
    # Utility model without 授权公告日: the 公开(公告)日 of a U publication is its grant date.
    assert p.loc["202020000002.5", "grant_date"] == pd.Timestamp("2021-07-02")
    assert p.loc["202310000004.2", "region"] == "常州经开区"
    assert pd.isna(p.loc["200810000005.8", "region"])
    assert r.summary["located"] == 4 and r.summary["unlocated"] == 1
    assert r.unlocated["app_no"].tolist() == ["200810000005.8"]
    assert r.unlocated["status"].tolist() == ["outside"]
    assert p.loc["201210000001.1", "overseas_family"] == True  # noqa: E712 (nullable boolean)
    assert bool(p.loc["201210000001.1", "pledged"]) and not bool(p.loc["202010000003.X", "pledged"])
    assert _sha(cnipa_csv) == before  # raw file never modified


def test_incopat_layout_gbk_type_from_application_number(incopat_gbk):
    r = import_export(incopat_gbk, "incopat")
    assert r.summary["encoding"] == "gb18030"
    p = r.patents.set_index("app_no")
    assert p.loc["200910123456.7", "type"] == "invention"  # 5th digit 1
    assert p.loc["202021234567.8", "type"] == "utility_model"  # 5th digit 2
    assert p.loc["202080001234.5", "type"] == "invention"  # 5th digit 8: PCT national phase
    assert p["pct"].tolist() == [False, False, True]
    assert p.loc["200910123456.7", "region"] == "溧阳市"
    assert p.loc["202021234567.8", "region"] == "新北区"
    assert r.summary["location_status"] == {"block": 2, "unlocated": 1}
    assert p.loc["200910123456.7", "grant_date"] == pd.Timestamp("2011-03-03")  # 授权日


def test_utf16_tab_text_as_excel_writes_it(tmp_path, layouts):
    CNIPA_HEADER, CNIPA_ROWS = layouts["cnipa"]
    f = layouts["write"](tmp_path / "unicode.txt", CNIPA_HEADER, CNIPA_ROWS, encoding="utf-16", delimiter="\t")
    assert f.read_bytes()[:2] == b"\xff\xfe"
    r = import_export(f, "cnipa")
    assert r.summary["encoding"] == "utf-16" and r.summary["patents"] == 5
    assert r.patents["title"].tolist()[0] == "一种动力电池包"


def test_xlsx(tmp_path, layouts):
    CNIPA_HEADER, CNIPA_ROWS = layouts["cnipa"]
    f = tmp_path / "export.xlsx"
    df = pd.DataFrame(CNIPA_ROWS, columns=CNIPA_HEADER)
    df["申请日"] = pd.to_datetime(df["申请日"].str.replace(".", "-"), format="mixed")  # real date cells
    df.to_excel(f, index=False)
    r = import_export(f)
    assert r.summary["patents"] == 5
    assert r.patents["app_date"].tolist()[1] == pd.Timestamp("2020-11-05")


def test_mapping_file(tmp_path, layouts):
    f = layouts["write"](tmp_path / "odd.csv", ["专利号码", "提交日期", "第一申请人地址", "分类"],
                  [["CN202110000001.1", "2021-01-01", "江苏省溧阳市埭头镇", "H02J 13/00"]])
    with pytest.raises(ExportError, match=r"odd.csv: row 1: no column for application number"):
        import_export(f)
    m = tmp_path / "map.yaml"
    m.write_text("columns:\n  专利号码: app_no\n  提交日期: app_date\n  第一申请人地址: address\n  分类: ipc\n", encoding="utf-8")
    r = import_export(f, str(m))
    assert r.patents["region"].tolist() == ["溧阳市"]
    assert r.industry_links["industry"].tolist() == ["smart_grid"]
    bad = tmp_path / "bad.yaml"
    bad.write_text("columns:\n  专利号码: patent_no\n", encoding="utf-8")
    with pytest.raises(MappingError, match="unknown field 'patent_no'"):
        column_map(str(bad))
    with pytest.raises(MappingError, match=r"give a preset \(cnipa, incopat, patsnap\)"):
        column_map("nosuch")


def test_row_errors_are_reported_not_dropped_silently(tmp_path, layouts):
    rows = [
        ["CN202110000001.1", "2021-01-01", "江苏省溧阳市"],
        ["not-a-number", "2021-01-01", "江苏省溧阳市"],
        ["CN202110000003.1", "2021-13-01", "江苏省溧阳市"],
        ["CN202110000001.1", "2021-01-01", "江苏省溧阳市"],  # duplicate of the first row
        ["", "", ""],  # blank line: not a patent
    ]
    f = layouts["write"](tmp_path / "e.csv", ["申请号", "申请日", "申请人地址"], rows)
    r = import_export(f)
    assert r.summary["rows_read"] == 4 and r.summary["patents"] == 1 and r.summary["rows_left_out"] == 3
    e = r.errors
    assert e[["row", "field", "severity"]].values.tolist() == [
        [3, "app_no", "error"], [4, "app_date", "error"], [5, "app_no", "warning"]]
    assert all(str(f) in s for s in e["file"])


def test_wrong_field_count_names_the_row(tmp_path):
    f = tmp_path / "w.csv"
    f.write_text("申请号,申请日\nCN202110000001.1,2021-01-01\nCN202110000002.1,2021-01-01,extra\n", encoding="utf-8")
    r = import_export(f)
    assert r.summary["patents"] == 1
    assert r.errors[["row", "severity"]].values.tolist() == [[3, "error"]]
    assert "3 fields but the header has 2" in r.errors["message"].iloc[0]


def test_all_applicants_pairs_addresses(tmp_path, layouts):
    f = layouts["write"](tmp_path / "co.csv", ["申请号", "申请日", "申请(专利权)人", "申请人地址"], [
        ["CN202110000001.1", "2021-01-01", "甲公司;乙大学", "江苏省溧阳市;江苏省常州市金坛区"],
        ["CN202110000002.1", "2021-01-01", "丙公司;丁公司", "江苏省常州市天宁区"],
    ])
    first = import_export(f)
    # Two applicants, two addresses: the first applicant's is the first part.
    assert first.patents["region"].tolist() == ["溧阳市", "天宁区"]
    both = import_export(f, all_applicants=True)
    assert both.patents["region"].tolist() == ["溧阳市、金坛区", "天宁区"]
    loc = both.locations
    assert loc[loc["pid"] == 1]["status"].tolist() == ["block", "no_address"]


def test_cli_import_and_bad_file(cnipa_csv, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["patents", "import", str(cnipa_csv), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "5 rows read" in printed and "located to a block: 4" in printed
    assert {p.name for p in out.iterdir()} >= {"patents.parquet", "errors.csv", "unlocated.csv", "summary.json"}
    assert main(["patents", "import", str(cnipa_csv), "--out", str(out), "--as-of", "soon"]) == 1
    assert "--as-of 'soon' is not a date; give it as e.g. 2025-06-30" in capsys.readouterr().err
    missing = tmp_path / "nope.csv"
    assert main(["patents", "import", str(missing)]) == 1
    err = capsys.readouterr().err
    assert err.strip() == f"liyang-ip patents import: {missing}: file not found"
    garbage = tmp_path / "garbage.csv"
    garbage.write_bytes(b"\x81\xff\xfe\x00\x9f" * 10)
    assert main(["patents", "import", str(garbage)]) == 1
    assert "Traceback" not in capsys.readouterr().err


def test_type_column_with_all_three_types_and_a_conflict(tmp_path, layouts):
    rows = [
        ["CN202130000001.1", "2021-01-01", "外观设计"],
        ["CN202110000002.1", "2021-01-01", "发明专利"],
        ["CN202120000003.1", "2021-01-01", "实用新型"],
        ["CN202120000004.1", "2021-01-01", "发明授权"],  # type column says invention, number says utility model
        ["CN202110000005.1", "2021-01-01", ""],  # no type: from the number
    ]
    f = layouts["write"](tmp_path / "types.csv", ["申请号", "申请日", "专利类型"], rows)
    r = import_export(f)
    assert r.patents["type"].astype(str).tolist() == ["design", "invention", "utility_model", "invention", "invention"]
    w = r.errors[r.errors["field"] == "type"]
    assert w[["row", "severity"]].values.tolist() == [[5, "warning"]]


def test_unreadable_optional_date_is_reported_and_left_empty(tmp_path, layouts):
    f = layouts["write"](tmp_path / "d.csv", ["申请号", "申请日", "授权公告日", "失效日"], [
        ["CN202110000001.1", "2021-01-01", "2022-02-30", ""],  # impossible date
        ["CN202110000002.1", "2021-01-01", "2022-03-01", "去年"],
    ])
    r = import_export(f)
    assert r.errors[["row", "field"]].values.tolist() == [[2, "grant_date"], [3, "lapse_date"]]
    assert r.patents["grant_date"].isna().tolist() == [True, False]
    assert r.summary["patents"] == 2  # optional fields: the rows stay


def test_cli_strict_refuses_rows_left_out_and_writes_nothing(tmp_path, capsys):
    f = tmp_path / "bad.csv"
    f.write_text("申请号,申请日,申请人地址\nCN202110000001.1,2021-01-01,江苏省溧阳市\n"
                 "not-a-number,2021-01-01,江苏省溧阳市\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["patents", "import", str(f), "--out", str(out), "--strict"]) == 1
    err = capsys.readouterr().err
    # The offending row is named (file, row 3, field) and the refusal says nothing was written.
    assert f"{f}:3 [app_no]" in err and "--strict" in err and "nothing written" in err
    assert "Traceback" not in err and not out.exists()
    # Without --strict the good row is imported and the bad one reported.
    assert main(["patents", "import", str(f), "--out", str(out)]) == 0
    assert (out / "errors.csv").exists()


def test_cli_strict_passes_a_clean_file(cnipa_csv, tmp_path):
    out = tmp_path / "out"
    if len(import_export(cnipa_csv).errors):  # the fixture must be clean for this test to mean anything
        pytest.fail("the cnipa fixture has row-level messages")
    assert main(["patents", "import", str(cnipa_csv), "--out", str(out), "--strict"]) == 0
    assert (out / "patents.parquet").exists()
