"""Readers and cleaning: encodings, headers, yearbook tables, the Excel template, row-level errors."""

import pandas as pd
import pytest

from liyang_ip.data import readers as io
from liyang_ip.data.clean import clean_records

TIDY = "region,year,indicator,value,unit,status,source_id\n溧阳市,2020,专利授权量,1.2万,件,official,S1\n金坛市,2019,每万人口发明专利拥有量,12.5,件/万人,official,S1\n"


@pytest.mark.parametrize("encoding, expected", [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gb18030"),
                                                  ("gb18030", "gb18030")])
def test_tidy_csv_encodings_are_detected_and_reported(tmp_path, encoding, expected):
    p = tmp_path / "x.csv"
    p.write_bytes(TIDY.encode(encoding))
    raw, issues = io.read_tidy_csv(p)
    assert raw["region"].tolist() == ["溧阳市", "金坛市"]
    assert issues[0].value == expected and "encoding" in issues[0].message


def test_undecodable_file_is_an_error_naming_the_file(tmp_path):
    p = tmp_path / "bad.csv"
    p.write_bytes(b"region,year\n\xff\xfe\xfa\x80\x81,2020\n" * 3)
    with pytest.raises(io.RawFileError) as e:
        io.read_tidy_csv(p)
    assert "bad.csv" in str(e.value) and "UTF-8" in str(e.value)


def test_chinese_headers_and_missing_columns(tmp_path):
    p = tmp_path / "zh.csv"
    p.write_text("地区,年份,指标,数值,单位\n溧阳市,2020,PCT申请,15,件\n", encoding="utf-8")
    raw, _ = io.read_tidy_csv(p)
    assert raw.loc[0, "indicator"] == "PCT申请" and raw.loc[0, "_row"] == 2
    q = tmp_path / "nocol.csv"
    q.write_text("region,year,value\n溧阳市,2020,1\n", encoding="utf-8")
    with pytest.raises(io.RawFileError, match="missing column\\(s\\) indicator"):
        io.read_tidy_csv(q)


def test_clean_normalises_names_units_and_numbers(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text(TIDY, encoding="utf-8")
    raw, _ = io.read_tidy_csv(p)
    clean, issues = clean_records(raw, known_sources={"S1"})
    assert [i for i in issues if i.severity == "error"] == []
    assert clean[["region", "year", "indicator", "value", "unit"]].values.tolist() == [
        ["溧阳市", 2020, "patent_grants", 12000.0, "件"],
        ["金坛区", 2019, "invention_patents_per_10k", 12.5, "件/万人"],
    ]


def _raw(rows):
    cols = ["region", "year", "indicator", "value", "unit", "status", "source_id", "note", "quote"]
    recs = [dict(zip(cols, r + [""] * (len(cols) - len(r)), strict=True), _file="f.csv", _row=i + 2, _field="value")
            for i, r in enumerate(rows)]
    return pd.DataFrame(recs)


@pytest.mark.parametrize(
    "row, field, fragment",
    [
        (["溧杨市", "2020", "gdp", "5", "亿元", "official", "S1"], "region", "did you mean 溧阳市"),
        (["溧阳市", "2020", "专利授权亮", "5", "件", "official", "S1"], "indicator", "did you mean patent_grants"),
        (["溧阳市", "20x0", "gdp", "5", "亿元", "official", "S1"], "year", "whole calendar year"),
        (["溧阳市", "2020", "gdp", "abc", "亿元", "official", "S1"], "value", "non-numeric"),
        (["溧阳市", "2020", "patent_grants", "-3", "件", "official", "S1"], "value", "negative count"),
        (["溧阳市", "2020", "patent_grants", "3", "公斤", "official", "S1"], "unit", "cannot convert"),
        (["溧阳市", "2020", "patent_grants", "3", "件", "guess", "S1"], "status", "official, estimate"),
        (["溧阳市", "2020", "patent_grants", "3", "件", "official", "S9"], "source_id", "not found"),
        (["溧阳市", "2020", "patent_grants", "3", "件", "official", ""], "source_id", "needs a source_id"),
        (["戚墅堰区", "2014", "gdp", "3", "亿元", "official", "S1"], "region", "no longer exists"),
    ],
)
def test_each_validation_error_names_file_row_field(row, field, fragment):
    clean, issues = clean_records(_raw([["溧阳市", "2020", "gdp", "1", "亿元", "official", "S1"], row]),
                                  known_sources={"S1"})
    errors = [i for i in issues if i.severity == "error"]
    assert len(errors) == 1, errors
    e = errors[0]
    assert (e.file, e.row, e.field) == ("f.csv", 3, field)
    assert fragment in e.message
    assert len(clean) == 1  # the good row survives, the bad one is left out (not guessed)
    assert str(e).startswith("f.csv:3 [")


def test_value_outside_the_plausible_range_is_a_warning_and_kept():
    clean, issues = clean_records(_raw([["溧阳市", "2020", "ip_protection_satisfaction", "130", "分", "official",
                                         "S1"]]), known_sources={"S1"})
    assert clean["value"].tolist() == [130.0]
    (w,) = issues
    assert (w.severity, w.row, w.field) == ("warning", 2, "value") and "usually within 0–100 分" in w.message


def test_blank_unit_is_assumed_with_a_warning_and_missing_values_are_dropped():
    clean, issues = clean_records(_raw([["溧阳市", "2020", "gdp", "100", "", "official", "S1"],
                                        ["溧阳市", "2021", "gdp", "—", "亿元", "official", "S1"]]), {"S1"})
    assert clean["year"].tolist() == [2020]
    assert [i.field for i in issues] == ["unit"] and issues[0].severity == "warning"


def test_approximate_and_footnote_are_noted():
    clean, _ = clean_records(_raw([["溧阳市", "2020", "high_tech_firms", "近500", "家", "estimate", "S1"],
                                   ["溧阳市", "2021", "high_tech_firms", "520*", "家", "official", "S1"]]), {"S1"})
    assert clean["value"].tolist() == [500.0, 520.0]
    assert "approximate" in clean.loc[0, "note"] and "footnote *" in clean.loc[1, "note"]


@pytest.mark.parametrize(
    "code, value, unit, expected",
    [("patent_grants", "1.2", "万件", 12000.0), ("ip_pledge_amount", "3.2", "亿元", 32000.0),
     ("ip_pledge_amount", "5000000", "元", 500.0), ("resident_population", "419893", "人", 41.9893),
     ("gdp", "10,863,600", "万元", 1086.36), ("rd_intensity", "3.28%", "", 3.28)],
)
def test_unit_normalisation(code, value, unit, expected):
    clean, issues = clean_records(_raw([["溧阳市", "2020", code, value, unit, "official", "S1"]]), {"S1"})
    assert not [i for i in issues if i.severity == "error"]
    assert clean.loc[0, "value"] == pytest.approx(expected)
    assert clean.loc[0, "unit"] == {"patent_grants": "件", "ip_pledge_amount": "万元", "resident_population": "万人",
                                    "gdp": "亿元", "rd_intensity": "%"}[code]


YEARBOOK = """溧阳市主要知识产权指标
指标,单位,2018年,2019年,2020年
专利申请量（件）,,"5,123",６２３４,7012
发明专利授权量*,件,301,—,455①
每万人口发明专利拥有量,件/万人,15.2,17.8,…
知识产权质押融资金额,亿元,1.5,2.25,3
专利授权量,万件,0.35,0.41,0.52
注：*含职务发明。资料来源：溧阳市市场监督管理局。
"""


def test_yearbook_table(tmp_path):
    p = tmp_path / "yb.csv"
    p.write_bytes(YEARBOOK.encode("gbk"))
    raw, issues = io.read_yearbook(p, region="溧阳市", source_id="S1")
    assert issues[0].value == "gb18030"
    clean, cissues = clean_records(raw, known_sources={"S1"})
    assert not [i for i in cissues if i.severity == "error"]
    got = {(r.indicator, r.year): r.value for r in clean.itertuples()}
    assert got == {
        ("patent_applications", 2018): 5123.0, ("patent_applications", 2019): 6234.0,
        ("patent_applications", 2020): 7012.0,
        ("invention_patent_grants", 2018): 301.0, ("invention_patent_grants", 2020): 455.0,
        ("invention_patents_per_10k", 2018): 15.2, ("invention_patents_per_10k", 2019): 17.8,
        ("ip_pledge_amount", 2018): 15000.0, ("ip_pledge_amount", 2019): 22500.0, ("ip_pledge_amount", 2020): 30000.0,
        ("patent_grants", 2018): 3500.0, ("patent_grants", 2019): 4100.0, ("patent_grants", 2020): 5200.0,
    }
    # Missing cells stay missing (— and …), and error positions point at the year column.
    assert ("invention_patent_grants", 2019) not in got
    assert set(raw["_field"]) == {"2018年", "2019年", "2020年"}
    assert raw.loc[raw.indicator == "patent_applications", "_row"].iloc[0] == 3


def test_yearbook_without_year_header_is_an_error(tmp_path):
    p = tmp_path / "yb.csv"
    p.write_text("指标,甲,乙\n专利,1,2\n", encoding="utf-8")
    with pytest.raises(io.RawFileError, match="year columns"):
        io.read_yearbook(p, region="溧阳市")


def test_excel_template_round_trip(tmp_path):
    from openpyxl import load_workbook

    from liyang_ip.data.template import write_template

    path = write_template(tmp_path / "t.xlsx", example=False)
    wb = load_workbook(path)
    ws = wb["数据"]
    # Filled in as a person would: typing into rows 2-4 (indicator by code or Chinese name, status 官方).
    rows = [["溧阳市", 2020, "pct_applications", 18, "件", "official", "S1"],
            ["金坛市", 2020, "地理标志商标", "3", "件", "官方", "S1"],
            ["溧阳市", "2020", "pct_applications", "abc", "件", "official", "S1"]]
    for r, values in enumerate(rows, start=2):
        for c, v in enumerate(values, start=1):
            if v is not None:
                ws.cell(r, c, v)
    wb["来源"].append(["S1", "2020年溧阳市统计公报", "溧阳市统计局", "", "", "", 1, ""])
    wb.save(path)
    raw, sources, _ = io.read_template(path)
    assert sources["source_id"].tolist() == ["S1"]
    clean, issues = clean_records(raw, known_sources=set(sources["source_id"]))
    assert clean[["region", "indicator", "value"]].values.tolist() == [
        ["溧阳市", "pct_applications", 18.0], ["金坛区", "gi_trademarks", 3.0]]
    (err,) = [i for i in issues if i.severity == "error"]
    assert err.row == 4 and err.field == "value" and err.file.endswith("t.xlsx#数据")


def test_template_is_not_a_workbook(tmp_path):
    p = tmp_path / "fake.xlsx"
    p.write_text("not excel", encoding="utf-8")
    with pytest.raises(io.RawFileError, match="fake.xlsx"):
        io.read_template(p)


def test_template_sources_sheet_is_checked_like_sources_csv(tmp_path):
    from openpyxl import load_workbook

    from liyang_ip.data.template import write_template

    path = write_template(tmp_path / "t.xlsx", example=False)
    wb = load_workbook(path)
    wb["来源"].append(["S1", "公报A", "", "", "", "", 1, ""])
    wb["来源"].append(["S1", "公报B", "", "", "", "", 2, ""])
    wb.save(path)
    with pytest.raises(io.RawFileError, match=r"t.xlsx#来源.*duplicate source_id 'S1'"):
        io.read_template(path)
