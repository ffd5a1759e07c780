"""The phrasings bulletins use (issue 18): elided subjects, per-10k with the qualifier between name and
number, verbs of level and of flow, growth kept apart, approximations as estimates, and ambiguous
level/flow readings reported instead of guessed.

Every sentence is written for this test; the expected rows are what a careful reader copies by hand
(23,568件 = 23568 件; 1.2万件 = 12000 件; 3.2亿元 = 32000 万元).
"""

from __future__ import annotations

from typing import NamedTuple

import pytest

from liyang_ip.extract import extract_figures


class Row(NamedTuple):
    indicator: str
    kind: str  # level | change | growth_rate
    value: float
    status: str  # official | estimate for levels; '' for changes
    quote: str


class Out(NamedTuple):
    raw: str
    category: str  # ambiguous | refused | unrelated
    reason: str  # a fragment of the reason


def read(text: str, year: int = 2020):
    ex = extract_figures(text, region="溧阳市", year=year, source_id="t")
    got = [Row(r.indicator, r.kind, r.value, r.status, r.quote) for r in ex.levels.itertuples()]
    got += [Row(r.indicator, r.kind, r.value, "", r.quote) for r in ex.changes.itertuples()]
    got.sort(key=lambda r: (text.find(r.quote), r.quote, r.value))
    return ex, got


CASES: list[tuple[str, list[Row], list[Out]]] = [
    # ---- elided subjects
    ("全年专利申请量23,568件，授权量14,120件。",
     [Row("patent_applications", "level", 23568, "official", "全年专利申请量23,568件"),
      Row("patent_grants", "level", 14120, "official", "全年专利申请量23,568件，授权量14,120件")], []),
    ("其中发明专利申请5,432件，授权1,234件。",
     [Row("invention_patent_applications", "level", 5432, "official", "其中发明专利申请5,432件"),
      Row("invention_patent_grants", "level", 1234, "official", "其中发明专利申请5,432件，授权1,234件")], []),
    # the subject is taken from the nearest name: 发明专利申请…，授权… is 发明专利授权, not 专利授权
    ("全年专利申请量23,568件，授权量14,120件，其中发明专利申请5,432件，授权1,234件。",
     [Row("patent_applications", "level", 23568, "official", "全年专利申请量23,568件"),
      Row("patent_grants", "level", 14120, "official", "全年专利申请量23,568件，授权量14,120件"),
      Row("invention_patent_applications", "level", 5432, "official", "其中发明专利申请5,432件"),
      Row("invention_patent_grants", "level", 1234, "official", "其中发明专利申请5,432件，授权1,234件")], []),
    ("全年专利申请量、授权量分别为23,568件和14,120件。",
     [Row("patent_applications", "level", 23568, "official", "全年专利申请量、授权量分别为23,568件和14,120件"),
      Row("patent_grants", "level", 14120, "official", "全年专利申请量、授权量分别为23,568件和14,120件")], []),
    ("发明专利申请量、授权量分别增长12.5%和8.3%。",
     [Row("invention_patent_applications", "growth_rate", 12.5, "", "发明专利申请量、授权量分别增长12.5%和8.3%"),
      Row("invention_patent_grants", "growth_rate", 8.3, "", "发明专利申请量、授权量分别增长12.5%和8.3%")], []),
    ("专利申请量增长15.2%，授权量增长20.1%。",
     [Row("patent_applications", "growth_rate", 15.2, "", "专利申请量增长15.2%"),
      Row("patent_grants", "growth_rate", 20.1, "", "专利申请量增长15.2%，授权量增长20.1%")], []),
    ("全市专利申请量和授权量分别达到23568件和14120件，分别增长8.1%和10.2%。",
     [Row("patent_applications", "level", 23568, "official", "全市专利申请量和授权量分别达到23568件和14120件"),
      Row("patent_grants", "level", 14120, "official", "全市专利申请量和授权量分别达到23568件和14120件"),
      Row("patent_applications", "growth_rate", 8.1, "",
          "全市专利申请量和授权量分别达到23568件和14120件，分别增长8.1%和10.2%"),
      Row("patent_grants", "growth_rate", 10.2, "",
          "全市专利申请量和授权量分别达到23568件和14120件，分别增长8.1%和10.2%")], []),
    ("知识产权质押融资金额3.2亿元，笔数56笔。",
     [Row("ip_pledge_amount", "level", 32000, "official", "知识产权质押融资金额3.2亿元"),
      Row("ip_pledge_deals", "level", 56, "official", "知识产权质押融资金额3.2亿元，笔数56笔")], []),
    # an elided name inherits what restricts its antecedent
    ("企业专利申请量3000件，授权量1000件。", [],
     [Out("3000件", "refused", "subset (企业)"), Out("1000件", "refused", "after a refused figure")]),
    ("常州市专利申请量5万件，授权量3万件。", [],
     [Out("5万件", "refused", "another region"), Out("3万件", "refused", "after a refused figure")]),
    ("常州市专利申请量、授权量分别为5万件和3万件。", [],
     [Out("5万件", "refused", "another region"), Out("3万件", "refused", "another region")]),
    # only a verb or measure is elided: 有效注册商标…，发明专利… is not 有效发明专利
    ("有效注册商标2万件，发明专利5000件。",
     [Row("registered_trademarks", "level", 20000, "official", "有效注册商标2万件")],
     [Out("5000件", "refused", "without an indicator named")]),
    # not across sentences
    ("全年专利申请量23,568件。授权量14,120件。",
     [Row("patent_applications", "level", 23568, "official", "全年专利申请量23,568件")],
     [Out("14,120件", "unrelated", "no catalogue indicator named")]),
    # ---- per-10k: the qualifier between name and number, or before the count's name
    ("高价值发明专利拥有量每万人达到18.3件。",
     [Row("high_value_invention_patents_per_10k", "level", 18.3, "official", "高价值发明专利拥有量每万人达到18.3件")], []),
    ("每万人口发明专利拥有量达52.1件。",
     [Row("invention_patents_per_10k", "level", 52.1, "official", "每万人口发明专利拥有量达52.1件")], []),
    ("万人有效发明专利52.1件。",
     [Row("invention_patents_per_10k", "level", 52.1, "official", "万人有效发明专利52.1件")], []),
    ("每万人口拥有高价值发明专利12.3件。",
     [Row("high_value_invention_patents_per_10k", "level", 12.3, "official", "每万人口拥有高价值发明专利12.3件")], []),
    ("年末有效发明专利拥有量每万人口达到30.2件，比上年末增加4.1件。",
     [Row("invention_patents_per_10k", "level", 30.2, "official", "年末有效发明专利拥有量每万人口达到30.2件"),
      Row("invention_patents_per_10k", "change", 4.1, "",
          "年末有效发明专利拥有量每万人口达到30.2件，比上年末增加4.1件")], []),
    ("每万人口专利授权量25件。", [], [Out("25件", "refused", "no per-10k indicator for patent_grants")]),
    ("人均拥有高价值发明专利0.3件。", [], [Out("0.3件", "refused", "per-head")]),
    # 万人 as the unit of another figure is not a per-10k marker
    ("年末常住人口78.5万人，有效发明专利5,210件。",
     [Row("resident_population", "level", 78.5, "official", "年末常住人口78.5万人"),
      Row("invention_patents_held", "level", 5210, "official", "有效发明专利5,210件")], []),
    # ---- verbs of level
    ("年末有效发明专利拥有量增至6,120件。",
     [Row("invention_patents_held", "level", 6120, "official", "年末有效发明专利拥有量增至6,120件")], []),
    ("全市高新技术企业发展至312家。",
     [Row("high_tech_firms", "level", 312, "official", "全市高新技术企业发展至312家")], []),
    ("全市拥有知识产权服务机构28家。",
     [Row("ip_service_institutions", "level", 28, "official", "全市拥有知识产权服务机构28家")], []),
    ("全年实现专利授权1.2万件。",
     [Row("patent_grants", "level", 12000, "official", "全年实现专利授权1.2万件")], []),
    ("地理标志商标累计达15件。",
     [Row("gi_trademarks", "level", 15, "official", "地理标志商标累计达15件")], []),
    ("有效发明专利拥有量突破5000件。",
     [Row("invention_patents_held", "level", 5000, "estimate", "有效发明专利拥有量突破5000件")], []),
    # ---- flow: 新增 is the flow itself for a flow indicator, a change for a stock
    ("全年新增发明专利授权321件。",
     [Row("invention_patent_grants", "level", 321, "official", "全年新增发明专利授权321件")], []),
    ("当年新增高新技术企业87家。",
     [Row("high_tech_firms", "change", 87, "", "当年新增高新技术企业87家")], []),
    ("全年专利授权量累计达1.2万件。",
     [Row("patent_grants", "level", 12000, "official", "全年专利授权量累计达1.2万件")], []),
    # ---- level or flow unclear: reported
    ("专利授权量累计达5万件。", [], [Out("5万件", "ambiguous", "累计 with a flow indicator")]),
    # a year alone does not make 累计 the year's flow: every bulletin sentence has one
    ("2020年专利授权量累计达5万件。", [], [Out("5万件", "ambiguous", "累计 with a flow indicator")]),
    # ---- 累计 before a flow indicator's name: an accumulated total, never the year's flow
    ("2020年，全市累计发明专利申请量1,234件。", [],
     [Out("1,234件", "refused", "accumulated: 累计 with a flow indicator (invention_patent_applications) is a total "
                              "over several years, not the year's flow; the catalogue's accumulated indicator "
                              "invention_patent_applications_since_1985 (since 1985)")]),
    # the year's flow and the accumulated total in one sentence: the first kept, the second refused
    ("全年发明专利申请量1,234件，累计发明专利申请量5,678件。",
     [Row("invention_patent_applications", "level", 1234, "official", "全年发明专利申请量1,234件")],
     [Out("5,678件", "refused", "accumulated: 累计 with a flow indicator")]),
    ("全年地理标志商标2件。", [], [Out("2件", "ambiguous", "全年 with a stock indicator")]),
    ("当年知识产权贯标企业15家。", [], [Out("15家", "ambiguous", "当年 with a stock indicator")]),
    # ---- growth kept apart
    ("专利授权量14,120件，比上年增加500件，同比增长3.7%。",
     [Row("patent_grants", "level", 14120, "official", "专利授权量14,120件"),
      Row("patent_grants", "change", 500, "", "专利授权量14,120件，比上年增加500件"),
      Row("patent_grants", "growth_rate", 3.7, "", "专利授权量14,120件，比上年增加500件，同比增长3.7%")], []),
    ("发明专利申请量比上年下降3.2%，为4,567件。",
     [Row("invention_patent_applications", "growth_rate", -3.2, "", "发明专利申请量比上年下降3.2%"),
      Row("invention_patent_applications", "level", 4567, "official", "发明专利申请量比上年下降3.2%，为4,567件")], []),
    # ---- approximations are estimates
    ("专利申请量近2.4万件，授权量超1.4万件。",
     [Row("patent_applications", "level", 24000, "estimate", "专利申请量近2.4万件"),
      Row("patent_grants", "level", 14000, "estimate", "专利申请量近2.4万件，授权量超1.4万件")], []),
    ("有效注册商标约2.1万件。",
     [Row("registered_trademarks", "level", 21000, "estimate", "有效注册商标约2.1万件")], []),
    ("高新技术企业300家以上。",
     [Row("high_tech_firms", "level", 300, "estimate", "高新技术企业300家以上")], []),
    # ---- found in real reposts: traditional characters, the city before the region, census, tiers
    ("溧陽市GDP總量為1086.36億元，增速為4.6%。",
     [Row("gdp", "level", 1086.36, "official", "溧陽市GDP總量為1086.36億元"),
      Row("gdp", "growth_rate", 4.6, "", "溧陽市GDP總量為1086.36億元，增速為4.6%")], []),
    ("常州溧阳市实现地区生产总值1086.36亿元。",
     [Row("gdp", "level", 1086.36, "official", "常州溧阳市实现地区生产总值1086.36亿元")], []),
    ("根据第七次全国人口普查，全市常住人口785,012人。",
     [Row("resident_population", "level", 78.5012, "official", "全市常住人口785,012人")], []),
    ("2020年末2021年初全市常住人口78.5万人。",
     [Row("resident_population", "level", 78.5, "official", "2020年末2021年初全市常住人口78.5万人")], []),
    ("全市地区生产总值提升到1000亿元档级。", [], [Out("1000亿元", "refused", "tier or threshold")]),
    # a national figure quoted in a local text
    ("我国每万人发明专利拥有量从2010年的1.7件提高到2014年的4.8件。", [],
     [Out("1.7件", "refused", "another region"), Out("4.8件", "refused", "another region")]),
    # ---- 分别 with names that do not match the figures: reported as ambiguous
    ("专利申请量、授权量分别为1.2万件、5000件和300件。", [],
     [Out("1.2万件", "ambiguous", "分别"), Out("5000件", "ambiguous", "分别"), Out("300件", "ambiguous", "分别")]),
]


@pytest.mark.parametrize("text,rows,outs", CASES, ids=[c[0][:20] for c in CASES])
def test_phrasing(text: str, rows: list[Row], outs: list[Out]) -> None:
    ex, got = read(text)
    want = sorted(rows, key=lambda r: (text.find(r.quote), r.quote, r.value))
    assert got == want
    got_out = sorted((u.raw, u.category, u.reason) for u in ex.unattributed.itertuples())
    assert [(raw, cat) for raw, cat, _ in got_out] == sorted((o.raw, o.category) for o in outs), got_out
    for (raw, _, reason), o in zip(got_out, sorted(outs), strict=True):
        assert o.reason in reason, (raw, reason)


def test_elided_name_is_noted_on_the_row() -> None:
    ex = extract_figures("全年专利申请量23,568件，授权量14,120件。", region="溧阳市", year=2020)
    assert ex.rows["note"].tolist() == ["", "name elided: 授权量 = 专利授权量"]


def test_per_10k_without_a_derived_indicator_in_the_catalogue_is_refused() -> None:
    """A catalogue that has the count but no per-10k ratio for it: the figure is reported."""
    cat = {
        "units": {"件": {"to": "件", "factor": 1}, "万人": {"to": "万人", "factor": 1}},
        "indicators": [
            {"code": "held", "name_zh": "有效发明专利拥有量", "unit": "件", "kind": "stock"},
            {"code": "pop", "name_zh": "常住人口", "unit": "万人", "kind": "stock"},
        ],
    }
    ex = extract_figures("每万人口有效发明专利拥有量52.1件，有效发明专利拥有量5,210件。", "溧阳市", 2020, catalogue=cat)
    assert ex.rows[["indicator", "value"]].values.tolist() == [["held", 5210.0]]
    assert "no per-10k indicator for held" in ex.unattributed.loc[0, "reason"]
    # With the derived ratio declared, the same sentence gives it.
    cat["indicators"].append({"code": "per10k", "name_zh": "每万人口发明专利拥有量", "unit": "件/万人", "kind": "ratio",
                              "derive": {"numerator": "held", "denominator": "pop", "scale": 1}})
    cat["units"]["件/万人"] = {"to": "件/万人", "factor": 1}
    ex = extract_figures("每万人口有效发明专利拥有量52.1件，有效发明专利拥有量5,210件。", "溧阳市", 2020, catalogue=cat)
    assert ex.rows[["indicator", "value"]].values.tolist() == [["per10k", 52.1], ["held", 5210.0]]
