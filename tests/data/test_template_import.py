"""The Excel template (long and wide layouts, drop-downs, validation, 规划目标, 来源) and `data import` of
yearbook tables in both layouts. Fixtures are written by the tests; expectations are hand-checked."""

import hashlib

import pytest

from liyang_ip.cli import main
from liyang_ip.data import build as B
from liyang_ip.data.template import write_template

YEARS = [2019, 2020, 2021]


@pytest.fixture(scope="module")
def template_file(tmp_path_factory):
    return write_template(tmp_path_factory.mktemp("tpl") / "t.xlsx", example=False, years=YEARS)


def test_template_sheets_dropdowns_and_validation(template_file):
    from openpyxl import load_workbook

    wb = load_workbook(template_file)
    names = wb.sheetnames
    assert names[:2] == ["填表说明", "数据"] and names[-3:] == ["规划目标", "来源", "指标目录"]
    assert "宽表-专利授权量" in names and "宽表-常住人口" in names
    cat = wb["指标目录"]
    lists = {cat.cell(1, c).value: [cat.cell(r, c).value for r in range(2, cat.max_row + 1) if cat.cell(r, c).value]
             for c in range(10, 15)}
    assert lists["状态"] == ["官方", "估计"]  # no derived/demo for a clerk
    assert lists["属性"] == ["预期性", "约束性"] and "常州市" in lists["地区"] and "万件" in lists["单位"]
    ws = wb["数据"]
    assert [c.value for c in ws[1]] == ["地区", "年份", "指标", "数值", "单位", "状态", "来源编号", "备注", "原文引用"]
    dvs = {str(dv.sqref).split(":")[0]: dv for dv in ws.data_validations.dataValidation}
    from liyang_ip import registry

    n = len(registry.indicators())
    assert dvs["C2"].type == "list" and dvs["C2"].formula1 == f"=指标目录!$B$2:$B${n + 1}"  # Chinese names
    assert [cat.cell(r, 2).value for r in range(2, n + 2)] == [i.name_zh for i in registry.indicators().values()]
    assert cat["B2"].value == "专利申请量"
    assert (dvs["B2"].type, dvs["B2"].formula1, dvs["B2"].formula2) == ("whole", "1949", "2100")
    assert dvs["D2"].type == "decimal"
    assert dvs["F2"].formula1.startswith("=指标目录!$K$")
    # no formulas anywhere (a formula saved without its result would read as empty)
    for sheet in wb.worksheets:
        assert not any(isinstance(c.value, str) and c.value.startswith("=") for row in sheet.iter_rows() for c in row)
    wide = wb["宽表-专利授权量"]
    assert wide["A1"].value.startswith("宽表") and wide["B2"].value == "专利授权量" and wide["D2"].value == "件"
    assert [c.value for c in wide[4] if c.value is not None] == ["地区", *YEARS] and wide["A5"].value == "常州市"
    assert any(dv.type == "decimal" for dv in wide.data_validations.dataValidation)


def test_filled_template_both_layouts_targets_and_sources_are_read(template_file, tmp_path):
    from openpyxl import load_workbook

    wb = load_workbook(template_file)
    ws = wb["数据"]
    ws.append(["溧阳市", 2020, "有效发明专利拥有量", 1570, "件", "官方", "S1"])
    ws.append(["溧阳市", 2020, "常住人口", 78.5, "万人", "估计", "S1"])
    wide = wb["宽表-专利授权量"]
    wide["H2"] = "S1"
    wide["D2"] = "万件"
    wide["C6"] = 0.35  # 溧阳市 2020 (row 6 = 溧阳市, column C = 2020)
    wide["D6"] = 0.41  # 2021; B6 (2019) left blank: a gap
    wb["规划目标"].append(["溧阳市", "有效发明专利拥有量", 2025, 3000, "件", "约束性", "年度", "S1"])
    wb["来源"].append(["S1", "溧阳市统计公报", "溧阳市统计局", "http://example.org", "2021-03-01", "", 1, ""])
    path = tmp_path / "filled.xlsx"
    wb.save(path)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    built = B.build(path)
    assert built.errors == []
    obs = built.observations
    got = {(r.indicator, r.year): (r.value, r.status) for r in obs[(obs.region == "溧阳市")].itertuples()
           if r.status != "derived"}
    assert got == {("invention_patents_held", 2020): (1570.0, "official"),
                   ("resident_population", 2020): (78.5, "estimate"),
                   ("patent_grants", 2020): (3500.0, "official"), ("patent_grants", 2021): (4100.0, "official")}
    t = built.targets.iloc[0]
    assert (t.region, t.indicator, t.year, t.value, t.attribute, t.basis) == (
        "溧阳市", "invention_patents_held", 2025, 3000.0, "约束性", "level")
    assert built.sources["source_id"].tolist() == ["S1"]
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_wide_sheet_bad_cell_names_the_cell(template_file, tmp_path):
    from openpyxl import load_workbook

    wb = load_workbook(template_file)
    wide = wb["宽表-专利授权量"]
    wide["H2"] = "S1"
    wide["C6"] = "约三千"
    wb["来源"].append(["S1", "公报", "", "", "", "", 1, ""])
    wb.save(tmp_path / "w.xlsx")
    (e,) = B.build(tmp_path / "w.xlsx").errors
    assert e.file.endswith("w.xlsx#宽表-专利授权量") and e.row == 6 and e.field == "2020年"


def test_template_layout_option(tmp_path, capsys):
    from openpyxl import load_workbook

    assert main(["data", "template", "--out", str(tmp_path / "long.xlsx"), "--layout", "long"]) == 0
    names = load_workbook(tmp_path / "long.xlsx", read_only=True).sheetnames
    assert "数据" in names and not any(n.startswith("宽表") for n in names)


# ----------------------------------------------------------------------------------- data import

REGIONS_DOWN = """表3-12 2020年分辖市区主要科技指标
地区,专利申请量（件）,专利授权量（件）,其中：发明专利授权量,科技活动人员（人）
,,,（件）,
合  计,"45,123",30211,5012,99999
溧阳市,5123,3500,301①,1000
金坛区,4000,…,250,900
注：①含职务发明。
"""


def _run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    return code, out.out, out.err


def test_import_regions_down_table(tmp_path, capsys):
    src = tmp_path / "表3-12.csv"
    src.write_bytes(REGIONS_DOWN.encode("gbk"))
    code, out, err = _run(capsys, "data", "import", str(src), "--publisher", "常州市统计局")
    assert code == 0, err
    assert out.count("科技活动人员") == 1 and "column left out" in out  # one warning, not one per region
    d = tmp_path / "表3-12_import"
    import pandas as pd

    obs = pd.read_csv(d / "observations.csv")
    got = {(r.region, r.indicator): r.value for r in obs.itertuples()}
    assert got == {("常州市", "patent_applications"): 45123, ("常州市", "patent_grants"): 30211,
                   ("常州市", "invention_patent_grants"): 5012, ("溧阳市", "patent_applications"): 5123,
                   ("溧阳市", "patent_grants"): 3500, ("溧阳市", "invention_patent_grants"): 301,
                   ("金坛区", "patent_applications"): 4000, ("金坛区", "invention_patent_grants"): 250}
    assert set(obs.year) == {2020}  # from the title
    note = obs[(obs.region == "溧阳市") & (obs.indicator == "invention_patent_grants")].note.iloc[0]
    assert "表3-12.csv row 5" in note and "footnote ①" in note
    sources = pd.read_csv(d / "sources.csv", keep_default_na=False)
    assert sources.loc[0, "title"] == "表3-12 2020年分辖市区主要科技指标"
    assert sources.loc[0, "publisher"] == "常州市统计局"
    # the folder is a dataset as it is
    assert _run(capsys, "data", "check", str(d))[0] == 0
    assert _run(capsys, "data", "build", "--dataset", str(d), "--out", str(tmp_path / "p"))[0] == 0
    # not overwritten without --force
    code, _, err = _run(capsys, "data", "import", str(src))
    assert code == 1 and "--force" in err


def test_import_indicators_down_xlsx_with_title_year(tmp_path, capsys):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "表1"
    for row in [["2020年溧阳市知识产权主要指标", 2020], ["指标", "单位", "2018年", "２０１９年", 2020],
                ["专利申请量", "件", 5123, 6234, 7012], ["  其中：发明专利申请量", "件", 1200, None, "—"],
                ["知识产权质押融资金额", "亿元", 1.5, 2.25, 3]]:
        ws.append(row)
    wb.save(tmp_path / "yb.xlsx")
    code, out, err = _run(capsys, "data", "import", str(tmp_path / "yb.xlsx"), "--region", "溧阳市",
                          "--out", str(tmp_path / "o"))
    assert code == 0, err
    import pandas as pd

    obs = pd.read_csv(tmp_path / "o" / "observations.csv")
    got = {(r.indicator, r.year): r.value for r in obs.itertuples()}
    assert got == {("patent_applications", 2018): 5123, ("patent_applications", 2019): 6234,
                   ("patent_applications", 2020): 7012, ("invention_patent_applications", 2018): 1200,
                   ("ip_pledge_amount", 2018): 15000, ("ip_pledge_amount", 2019): 22500,
                   ("ip_pledge_amount", 2020): 30000}


@pytest.mark.parametrize("table, args, expected", [
    (REGIONS_DOWN.replace("2020年", ""), [], "give it with --year"),
    ("指标,2019,2020\n专利申请量,1,2\n", [], "give it (region: in dataset.yaml, --region"),
    (REGIONS_DOWN.replace("5123", "5123件件"), [], "non-numeric value"),
])
def test_import_problems_write_nothing(tmp_path, capsys, table, args, expected):
    src = tmp_path / "t.csv"
    src.write_text(table, encoding="utf-8")
    code, _, err = _run(capsys, "data", "import", str(src), *args)
    assert code == 1 and expected in err
    assert not (tmp_path / "t_import").exists()


def test_import_regions_down_table_of_another_region_set(tmp_path, capsys):
    """The 合计 row is the region set's parent (江苏省), region rows are its members; the folder names the
    set in dataset.yaml so that check and build read it in that set."""
    src = tmp_path / "江苏.csv"
    src.write_text("2023年各设区市专利情况\n地区,PCT国际专利申请量（件）\n合计,6547\n南京市,2100\n苏州,2500\n",
                   encoding="utf-8")
    code, out, err = _run(capsys, "data", "import", str(src), "--region-set", "jiangsu", "--out", str(tmp_path / "o"))
    assert code == 0, err
    import pandas as pd

    obs = pd.read_csv(tmp_path / "o" / "observations.csv")
    assert {(r.region, r.value) for r in obs.itertuples()} == {("江苏省", 6547), ("南京市", 2100), ("苏州市", 2500)}
    assert "region_set: jiangsu" in (tmp_path / "o" / "dataset.yaml").read_text(encoding="utf-8")
    assert _run(capsys, "data", "check", str(tmp_path / "o"))[0] == 0
    # without the set, 南京市 is not a region of the default set: left out with a warning naming the row
    code, out, err = _run(capsys, "data", "import", str(src), "--out", str(tmp_path / "d"))
    assert "南京市" in out and "row left out" in out
    code, _, err = _run(capsys, "data", "import", str(src), "--region-set", "jiangsuu", "--out", str(tmp_path / "x"))
    assert code == 2 and "did you mean jiangsu" in err
