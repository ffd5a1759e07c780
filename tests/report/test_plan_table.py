"""The plan's indicator table: values at planning precision, and the .docx / .xlsx read back."""

from __future__ import annotations

import json
import math

import pandas as pd

from liyang_ip.report import plan_table as pt

CODES = ["invention_patents_held", "invention_patents_per_10k", "ip_pledge_amount", "ip_protection_satisfaction"]


def _obs():
    rows = [("溧阳市", "invention_patents_held", 1000.2, "demo", "预计数（演示数据）"),
            ("溧阳市", "invention_patents_per_10k", 21.26, "demo", ""),
            ("溧阳市", "ip_pledge_amount", 72288.5, "demo", ""),
            ("溧阳市", "ip_protection_satisfaction", 86.4, "demo", ""),
            ("常州市", "invention_patents_held", 43680.0, "demo", ""),
            ("常州市", "invention_patents_per_10k", 82.84, "demo", ""),
            ("常州市", "ip_pledge_amount", 320000.0, "demo", ""),
            ("常州市", "ip_protection_satisfaction", 87.64, "demo", "")]
    df = pd.DataFrame(rows, columns=["region", "indicator", "value", "status", "note"])
    return df.assign(year=2025, unit="", source_id="demo-generator", quote="")


def _table(lang="zh"):
    proposals = pd.DataFrame({
        "indicator": CODES, "proposed": [1610.51, 45.84, 306500.0, 91.66],
        "feasibility": ["capped", "", "", ""], "rule_growth": [12.0, math.nan, math.nan, math.nan],
        "growth_cap": [10.0, math.nan, math.nan, math.nan]})
    targets = pd.DataFrame({"region": ["常州市", "溧阳市"], "indicator": ["invention_patents_held",
                            "invention_patents_per_10k"], "year": [2030, 2025], "value": [44283.0, 30.0],
                            "attribute": ["预期性", "约束性"]})
    return pt.plan_table(_obs(), targets, "溧阳市", 2025, 2030, proposals=proposals, indicators=CODES[::-1],
                         lang=lang, source="演示数据")


def test_rows_follow_the_pillars_with_planning_precision():
    rows = pt.display_rows(_table())
    assert rows[0] == ["类别", "序号", "指标", "单位", "2025年基期值", "2030年目标值", "年均增速/累计增量", "属性",
                       "常州市2030年目标", "常州市平均（2025年）"]
    # counts: integers, 预计 marked; growth (1611/1000)^(1/5) − 1 = 10.0 %; capped target marked △;
    # the city total 43680 over 7 blocks = 6240
    assert rows[1] == ["创造", "1", "有效发明专利拥有量", "件", "1000*", "1611△", "10.0%", "预期性", "44283", "6240"]
    # ratios: one decimal and the increase 45.8 − 21.3 = +24.5; 属性 taken over from the existing target
    assert rows[2] == ["创造", "2", "每万人口发明专利拥有量", "件/万人", "21.3", "45.8", "+24.5", "约束性", "—", "82.8"]
    # money: 万元 shown in 亿元 with two decimals: 7.23 → 30.65 is (30.65/7.23)^(1/5) − 1 = 33.5 % a year
    assert rows[3] == ["运用", "3", "知识产权质押融资金额", "亿元", "7.23", "30.65", "33.5%", "预期性", "—", "4.57"]
    assert rows[4] == ["保护", "4", "知识产权保护社会满意度", "分", "86.4", "91.7", "+5.3", "预期性", "—", "87.6"]
    assert pt.pillar_spans(_table()) == [(0, 1, "创造"), (2, 2, "运用"), (3, 3, "保护")]


def test_notes_state_estimates_rounding_caps_and_demo():
    t = _table()
    text = "".join(t.notes)
    assert "带“*”的基期值为预计数" in text and "四舍五入" in text and "演示数据，非真实统计" in text
    assert "有效发明专利拥有量（需12.0%，上限10.0%）" in text and "差距的50%" in text
    assert t.title == "溧阳市“十五五”知识产权发展主要指标（演示数据）"
    en = _table("en")
    from liyang_ip import registry

    assert en.title == f"{registry.label('溧阳市', 'en')}: main IP indicators for the 15th Five-Year Plan (demo data)"
    assert pt.display_rows(en)[1][7] == "expected"


def test_docx_reads_back_with_merged_categories_fonts_and_a4(tmp_path):
    import docx
    from docx.oxml.ns import qn
    from docx.shared import Cm

    path = pt.write_docx(_table(), tmp_path / "t.docx")
    d = docx.Document(str(path))
    (table,) = d.tables
    assert len(table.rows) == 5 and len(table.columns) == 10
    assert [c.text for c in table.rows[3].cells] == ["运用", "3", "知识产权质押融资金额", "亿元", "7.23", "30.65",
                                                     "33.5%", "预期性", "—", "4.57"]
    # 类别 merged over the two 创造 rows only
    assert table.cell(1, 0)._tc is table.cell(2, 0)._tc and table.cell(2, 0)._tc is not table.cell(3, 0)._tc
    assert table.cell(1, 0).text == "创造"
    head = table.cell(0, 0).paragraphs[0].runs[0]._element.rPr.rFonts
    body = table.cell(1, 2).paragraphs[0].runs[0]._element.rPr.rFonts
    assert head.get(qn("w:eastAsia")) == "黑体" and body.get(qn("w:eastAsia")) == "仿宋_GB2312"
    sec = d.sections[0]
    assert abs(sec.page_width - Cm(21)) < Cm(0.01) and abs(sec.page_height - Cm(29.7)) < Cm(0.01)
    after = [p.text for p in d.paragraphs]
    assert after[0] == "溧阳市“十五五”知识产权发展主要指标（演示数据）"
    assert any(p.startswith("注：1.") for p in after) and any("数据来源：演示数据" in p for p in after)


def test_xlsx_reads_back_numbers_as_numbers(tmp_path):
    import openpyxl

    path = pt.write_xlsx(_table(), tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(path).active
    assert [c.value for c in ws[2]][:3] == ["类别", "序号", "指标"]
    assert [c.value for c in ws[3]] == ["创造", 1, "有效发明专利拥有量", "件", 1000, 1611, 10.0, "预期性", 44283, 6240]
    assert ws["E3"].number_format == '0"*"' and ws["F3"].number_format == '0"△"'
    assert ws["E5"].value == 7.23 and ws["E5"].number_format == "0.00" and ws["G5"].value == 33.5
    assert ws["G4"].value == 24.5 and ws["G4"].number_format == "+0.0;-0.0"
    assert ws["I4"].value == "—"
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "A3:A4" in merged and "A1:J1" in merged and not any(r.startswith("A5:") for r in merged)
    assert all("," not in ws.cell(r, c).number_format for r in range(3, 7) for c in range(1, 11))


def test_cli_table_for_a_run_directory(tmp_path, capsys):
    from liyang_ip.cli import main

    run = tmp_path / "run"
    (run / "溧阳市").mkdir(parents=True)
    params = {"focus": "溧阳市", "dataset": "demo", "start_year": 2020, "end_year": 2025, "target_year": 2030,
              "indicators": ["invention_patents_held", "ip_talent"], "methods": ["linear"]}
    (run / "manifest.json").write_text(json.dumps({"notebooks": {"溧阳市/00": {
        "output": "溧阳市/00_overview.ipynb", "parameters": params}}}), encoding="utf-8")
    assert main(["table", str(run)]) == 0
    import openpyxl

    ws = openpyxl.load_workbook(run / "溧阳市" / "plan_table_2030.xlsx").active
    assert ws["C3"].value == "有效发明专利拥有量" and ws["C4"].value == "知识产权人才"
    assert isinstance(ws["E3"].value, int | float) and ws["E3"].number_format == '0"*"'  # 2025 is 预计
    assert (run / "溧阳市" / "plan_table_2030.docx").exists()
    capsys.readouterr()
    assert main(["table", str(tmp_path / "none")]) == 2
    assert "no manifest.json" in capsys.readouterr().err


def test_html_has_rowspan_for_categories_and_escapes():
    text = pt.to_html(_table())
    assert text.count("<tr>") == 5 and '<td rowspan="2">创造</td>' in text
    assert text.count("<td>运用</td>") == 1 and "<li>本表为演示数据，非真实统计。</li>" in text
    t = _table()
    t.notes = ["<script>x</script>"]
    assert "<script>" not in pt.to_html(t) and "&lt;script&gt;" in pt.to_html(t)


def test_source_note_in_one_language():
    assert pt.source_in("演示数据（合成） / Synthetic demonstration panel") == "演示数据（合成）"
    assert pt.source_in("演示数据（合成） / Synthetic demonstration panel", "en") == "Synthetic demonstration panel"
    assert pt.source_in("常州统计年鉴 2021") == "常州统计年鉴 2021"
