"""Bulletin tables read like yearbook tables (liyang_ip.extract.tables); values checked by hand."""

from __future__ import annotations

from liyang_ip.extract import load_catalogue
from liyang_ip.extract.figures import _name_index
from liyang_ip.extract.tables import read_table

CAT = load_catalogue()
NAMES = _name_index(CAT)


def _read(rows, year=2020):
    return read_table(tuple(tuple(r) for r in rows), CAT, year, NAMES)


def test_year_columns_give_one_row_per_year_and_units_in_brackets() -> None:
    got = _read([
        ["项目", "2019年", "2020年"],
        ["专利授权量（件）", "12,034", "1.41万"],
        ["知识产权质押融资金额（亿元）", "2.5", "3.2"],
        ["每万人口发明专利拥有量（件）", "66.1", "77.5"],
    ])
    assert [(r["indicator"], r["year"], float(r["value"]), r["unit"]) for r in got["levels"]] == [
        ("patent_grants", 2019, 12034.0, "件"), ("patent_grants", 2020, 14100.0, "件"),
        ("ip_pledge_amount", 2019, 25000.0, "万元"), ("ip_pledge_amount", 2020, 32000.0, "万元"),
        ("invention_patents_per_10k", 2019, 66.1, "件/万人"), ("invention_patents_per_10k", 2020, 77.5, "件/万人"),
    ]
    assert got["changes"] == [] and got["unattributed"] == []


def test_qiezhong_rows_borrow_the_measure_and_missing_cells_are_no_figures() -> None:
    got = _read([
        ["指标", "计量单位", "绝对数", "比上年增长%"],
        ["专利申请量", "件", "23568", "8.1"],
        ["　其中：发明专利", "件", "5432", "—"],
        ["其中：企业", "件", "20011", "9.0"],
        ["有效注册商标", "件", "约2.1万", ""],
        ["高新技术企业", "家", "…", "…"],
    ])
    assert [(r["indicator"], float(r["value"]), r["approximate"]) for r in got["levels"]] == [
        ("patent_applications", 23568.0, False), ("invention_patent_applications", 5432.0, False),
        ("registered_trademarks", 21000.0, True)]
    assert [(r["indicator"], float(r["value"]), r["kind"]) for r in got["changes"]] == [
        ("patent_applications", 8.1, "growth_rate")]
    # 其中：企业 is a subset the catalogue does not hold: both its cells are listed, not attributed.
    assert [(r["raw"], r["reason"]) for r in got["unattributed"]] == [
        ("20011", "table row names no catalogue indicator"), ("9.0", "table row names no catalogue indicator")]


def test_cells_that_cannot_be_read_are_refused() -> None:
    got = _read([
        ["指标", "单位", "2020年"],
        ["知识产权服务机构", "个", "30"],  # 个 does not convert to 家
        ["专利授权量", "件", "1.2-1.5万"],
        ["发明专利授权量", "件", "见附表"],
    ])
    assert got["levels"] == []
    reasons = [r["reason"] for r in got["unattributed"]]
    assert reasons[0].startswith("unit 个 does not convert to 家")
    assert reasons[1].startswith("range")
    assert reasons[2].startswith("cell is not a number")


def test_a_table_without_a_header_or_value_column_gives_nothing() -> None:
    assert _read([["专利授权量", "件", "14120"], ["发明专利授权量", "件", "1234"]]) == {
        "levels": [], "changes": [], "unattributed": []}


def test_a_ragged_row_from_a_pdf_is_refused_not_shifted() -> None:
    """Columns split at wide gaps lose blank cells: 专利授权量 | 件 | (blank) | 10.2 comes out as three
    cells, and 10.2 must not be read as the 2020 value."""
    got = _read([
        ["指标", "单位", "2020年", "比上年增长(%)"],
        ["专利授权量", "件", "10.2"],
        ["发明专利授权量", "件", "1,234", "15.0"],
    ])
    assert [(r["indicator"], float(r["value"])) for r in got["levels"]] == [("invention_patent_grants", 1234.0)]
    assert [(r["indicator"], r["raw"]) for r in got["unattributed"]] == [("patent_grants", "10.2")]
    assert "cannot be told" in got["unattributed"][0]["reason"]
