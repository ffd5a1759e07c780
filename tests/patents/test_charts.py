"""Charts and tables of the patent view: source line, demo mark, no-data figures, escaping of text that
comes from the export (a hostile title or applicant name must not reach HTML as markup)."""

from __future__ import annotations

import pytest

from liyang_ip.patents import charts as pc
from liyang_ip.patents import import_export
from liyang_ip.patents import indicators as I
from liyang_ip.patents import view as pv

HOSTILE = "<script>alert(1)</script>"


@pytest.fixture
def hostile(tmp_path, layouts):
    header = ["申请号", "申请日", "授权公告日", "发明名称", "IPC分类号", "申请(专利权)人", "申请人地址", "法律状态"]
    rows = [
        ["CN202010000001.1", "2020-01-01", "2021-06-01", HOSTILE, "H01M 10/0525", f"{HOSTILE}有限公司",
         "江苏省溧阳市天目湖镇", "有效"],
        ["CN202010000002.1", "2020-02-01", "", "一种电池", "H01M 4/58", "乙公司", f"<b>{HOSTILE}</b>", "审中"],
    ]
    return import_export(layouts["write"](tmp_path / "hostile.csv", header, rows), as_of="2023-12-31")


def _gids(fig):
    return {t.get_gid() for t in fig.texts}


def test_hostile_text_is_escaped_in_tables(hostile):
    view = pv.PatentView(hostile, I.compute(hostile), 2023)
    top = pc.safe_table(pv.applicants_table(view, "溧阳市", "power_battery", (2020, 2023)), "zh").to_html()
    assert "<script>" not in top and "&lt;script&gt;alert(1)&lt;/script&gt;有限公司" in top
    unl = pc.safe_table(pv.unlocated_table(view), "zh").to_html()
    assert "<script>" not in unl and "<b>" not in unl and "&lt;b&gt;" in unl
    assert pc.escape(HOSTILE) == "&lt;script&gt;alert(1)&lt;/script&gt;"


def test_demo_charts_carry_source_line_and_mark():
    view = pv.load("demo", quiet=True)
    assert view.is_demo
    fig = pc.industry_trends(view.table, "溧阳市", view.industries, years=(2015, view.last_full), period=(2021, 2025))
    assert {"source-line", "demo-mark"} <= _gids(fig)
    src = next(t.get_text() for t in fig.texts if t.get_gid() == "source-line")
    assert "patents_demo.csv" in src and "演示数据" in src
    assert len(fig.axes) >= 4  # one panel (plus its share axis) per industry
    heat = pc.block_heatmap(view.table, "溧阳市", view.industries)
    assert {"source-line", "demo-mark"} <= _gids(heat)
    assert [t.get_text() for t in heat.axes[0].get_yticklabels()][:2] == ["▶ 溧阳市", "金坛区"]
    # An English chart names the blocks in English (the region set's name_en), the focus marked.
    heat_en = pc.block_heatmap(view.table, "溧阳市", view.industries, lang="en")
    assert [t.get_text() for t in heat_en.axes[0].get_yticklabels()][:2] == ["▶ Liyang", "Jintan"]


def test_real_export_has_no_demo_mark_and_empty_selection_says_so(cnipa_csv):
    imp = import_export(cnipa_csv, as_of="2024-06-30")
    table = I.compute(imp)
    fig = pc.industry_trends(table, "溧阳市", imp.industries, years=(2012, 2023))
    assert "demo-mark" not in _gids(fig)
    empty = pc.industry_trends(table.iloc[0:0], "溧阳市", imp.industries)
    assert "没有专利" in " ".join(t.get_text() for ax in empty.axes for t in ax.texts)


def test_summary_table_counts_by_hand(cnipa_csv):
    imp = import_export(cnipa_csv, as_of="2024-06-30")
    t = pc.summary_table(I.compute(imp), imp, "溧阳市", imp.industries, years=(2012, 2023))
    row = t.set_index("产业").loc["全部专利"]
    # 溧阳市: P1 (invention 2012) and P2 (utility model 2020); P1 in force at the end of 2023, >10 years, HV
    assert row["专利申请（件）"] == 2 and row["发明占比（%）"] == 50.0 and row["发明授权（件）"] == 1
    assert row["有效发明（件）"] == 1 and row["维持10年以上（件）"] == 1 and row["高价值发明（件）"] == 1
    assert row["有效发明占全市（%）"] == 50.0  # P1 of P1 + P3
    assert pc.summary_note(t, (2012, 2023)) == "申请、授权、PCT为2012—2023年合计；存量为2023年末。"
