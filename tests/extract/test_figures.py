"""Bulletin-style sentences with the rows a careful reader would copy by hand.

Each case lists every level row (indicator, value in the catalogue unit, unit, approximate?, quote,
year), every growth/change statement and every figure that must be reported instead of extracted.
Expected values are worked out by hand from the sentence (1.2万件 = 12000 件, 3.2亿元 = 32000 万元, …).
"""

from __future__ import annotations

from typing import NamedTuple

import pytest

from liyang_ip.extract import RAW_COLUMNS, extract_figures


class L(NamedTuple):  # a level row
    indicator: str
    value: float
    unit: str
    approximate: bool
    quote: str
    year: int = 2020


class C(NamedTuple):  # a growth or change statement
    indicator: str
    kind: str
    value: float
    unit: str
    quote: str


class U(NamedTuple):  # an unattributed figure
    raw: str
    reason: str  # a fragment of the reason


class Case(NamedTuple):
    text: str
    levels: list[L] = []
    changes: list[C] = []
    unattributed: list[U] = []
    year: int = 2020


CASES = [
    # --- the example: 万 notation, 其中, per-10k written as 件, a change kept apart
    Case("全年专利授权量1.2万件，其中发明专利授权1856件；年末每万人口发明专利拥有量达45.6件，比上年增加5.1件",
         levels=[L("patent_grants", 12000, "件", False, "全年专利授权量1.2万件"),
                 L("invention_patent_grants", 1856, "件", False, "其中发明专利授权1856件"),
                 L("invention_patents_per_10k", 45.6, "件/万人", False, "年末每万人口发明专利拥有量达45.6件")],
         changes=[C("invention_patents_per_10k", "change", 5.1, "件/万人",
                    "年末每万人口发明专利拥有量达45.6件，比上年增加5.1件")]),
    # --- 新增 is a change, 累计 continues the indicator as a level
    Case("新增地理标志商标2件，累计达15件",
         levels=[L("gi_trademarks", 15, "件", False, "新增地理标志商标2件，累计达15件")],
         changes=[C("gi_trademarks", "change", 2, "件", "新增地理标志商标2件")]),
    # --- 亿元 → 万元; 共计56笔 goes to the sibling indicator whose unit is 笔
    Case("知识产权质押融资金额3.2亿元，共计56笔",
         levels=[L("ip_pledge_amount", 32000, "万元", False, "知识产权质押融资金额3.2亿元"),
                 L("ip_pledge_deals", 56, "笔", False, "知识产权质押融资金额3.2亿元，共计56笔")]),
    # --- approximations
    Case("PCT国际专利申请量近500件",
         levels=[L("pct_applications", 500, "件", True, "PCT国际专利申请量近500件")]),
    Case("全市有效注册商标一万二千余件",
         levels=[L("registered_trademarks", 12000, "件", True, "全市有效注册商标一万二千余件")]),
    Case("知识产权服务机构超过30家。",
         levels=[L("ip_service_institutions", 30, "家", True, "知识产权服务机构超过30家")]),
    Case("全市知识产权贯标企业150家以上。",
         levels=[L("ip_standard_firms", 150, "家", True, "全市知识产权贯标企业150家以上")]),
    Case("知识产权质押融资登记金额5000余万元。",
         levels=[L("ip_pledge_amount", 5000, "万元", True, "知识产权质押融资登记金额5000余万元")]),
    Case("知识产权专业人才近千人。",
         levels=[L("ip_talent", 1000, "人", True, "知识产权专业人才近千人")]),
    Case("全市专利授权量首次突破1万件，位居全省第3。",
         levels=[L("patent_grants", 10000, "件", True, "全市专利授权量首次突破1万件")]),
    # --- number forms: thousands separators (half- and full-width), full-width digits, 两, 2万3千
    Case("2020年，全市专利申请量12345件，同比增长12.3%；发明专利申请量4,567件，下降3.2%。",
         levels=[L("patent_applications", 12345, "件", False, "全市专利申请量12345件"),
                 L("invention_patent_applications", 4567, "件", False, "发明专利申请量4,567件")],
         changes=[C("patent_applications", "growth_rate", 12.3, "%", "全市专利申请量12345件，同比增长12.3%"),
                  C("invention_patent_applications", "growth_rate", -3.2, "%", "发明专利申请量4,567件，下降3.2%")]),
    Case("全市发明专利授权1，856件。",
         levels=[L("invention_patent_grants", 1856, "件", False, "全市发明专利授权1，856件")]),
    Case("马德里商标国际注册量１２３件。",
         levels=[L("madrid_trademarks", 123, "件", False, "马德里商标国际注册量１２３件")]),
    Case("全市有效注册商标2万3千件，地理标志商标两件。",
         levels=[L("registered_trademarks", 23000, "件", False, "全市有效注册商标2万3千件"),
                 L("gi_trademarks", 2, "件", False, "地理标志商标两件")]),
    Case("年末全市有效发明专利拥有量两千三百件。",
         levels=[L("invention_patents_held", 2300, "件", False, "年末全市有效发明专利拥有量两千三百件")]),
    Case("知识产权质押融资金额12,345,678元。",
         levels=[L("ip_pledge_amount", 1234.5678, "万元", False, "知识产权质押融资金额12,345,678元")]),
    # --- unit overrides: population in 万人, GDP in 亿元; 1.2万人 is 12000 人 for a count of people
    Case("年末常住人口78.93万人。",
         levels=[L("resident_population", 78.93, "万人", False, "年末常住人口78.93万人")]),
    Case("全市实现地区生产总值1234.5亿元，增长3.5%。",
         levels=[L("gdp", 1234.5, "亿元", False, "全市实现地区生产总值1234.5亿元")],
         changes=[C("gdp", "growth_rate", 3.5, "%", "全市实现地区生产总值1234.5亿元，增长3.5%")]),
    Case("知识产权人才1.2万人。",
         levels=[L("ip_talent", 12000, "人", False, "知识产权人才1.2万人")]),
    Case("知识产权保护社会满意度为85.3分。",
         levels=[L("ip_protection_satisfaction", 85.3, "分", False, "知识产权保护社会满意度为85.3分")]),
    # --- a percentage that is the indicator itself, and a change in percentage points
    Case("全社会研发投入占GDP比重达2.8%，比上年提高0.2个百分点。",
         levels=[L("rd_intensity", 2.8, "%", False, "全社会研发投入占GDP比重达2.8%")],
         changes=[C("rd_intensity", "change", 0.2, "百分点", "全社会研发投入占GDP比重达2.8%，比上年提高0.2个百分点")]),
    Case("全社会研发投入占比达到百分之二点八。",
         levels=[L("rd_intensity", 2.8, "%", False, "全社会研发投入占比达到百分之二点八")]),
    # a region in brackets concerns only the bracket
    Case("全市R&D投入占GDP比重为2.9%（全省第5）。",
         levels=[L("rd_intensity", 2.9, "%", False, "全市R&D投入占GDP比重为2.9%（全省第5）")]),
    Case("全市专利授权量1.2万件（常州市5万件）。",
         levels=[L("patent_grants", 12000, "件", False, "全市专利授权量1.2万件（常州市5万件）")],
         unattributed=[U("5万件", "another region")]),
    Case("全年专利申请量同比下降5.6%，为8,123件。",
         levels=[L("patent_applications", 8123, "件", False, "全年专利申请量同比下降5.6%，为8,123件")],
         changes=[C("patent_applications", "growth_rate", -5.6, "%", "全年专利申请量同比下降5.6%")]),
    Case("全年专利申请量8,123件，比上年增长－5.6%。",
         levels=[L("patent_applications", 8123, "件", False, "全年专利申请量8,123件")],
         changes=[C("patent_applications", "growth_rate", -5.6, "%", "全年专利申请量8,123件，比上年增长－5.6%")]),
    Case("专利授权量降至8000件。",
         levels=[L("patent_grants", 8000, "件", False, "专利授权量降至8000件")]),
    Case("专利申请量１２，３４５件，专利授权量８，７６５件。",
         levels=[L("patent_applications", 12345, "件", False, "专利申请量１２，３４５件"),
                 L("patent_grants", 8765, "件", False, "专利授权量８，７６５件")]),
    Case("全年承担省级以上科技计划项目20项，专利授权量1.2万件。",
         levels=[L("patent_grants", 12000, "件", False, "专利授权量1.2万件")],
         unattributed=[U("20项", "no catalogue indicator")]),
    Case("每万人口发明专利拥有量较上年提高6.2件，达到38.5件。",
         levels=[L("invention_patents_per_10k", 38.5, "件/万人", False, "每万人口发明专利拥有量较上年提高6.2件，达到38.5件")],
         changes=[C("invention_patents_per_10k", "change", 6.2, "件/万人", "每万人口发明专利拥有量较上年提高6.2件")]),
    Case("全年新增注册商标2,345件，有效注册商标总量达到2.1万件。",
         levels=[L("registered_trademarks", 21000, "件", False, "有效注册商标总量达到2.1万件")],
         unattributed=[U("2,345件", "no catalogue indicator")]),
    Case("有效发明专利拥有量5000件，比上年末净增800件，增长19%。",
         levels=[L("invention_patents_held", 5000, "件", False, "有效发明专利拥有量5000件")],
         changes=[C("invention_patents_held", "change", 800, "件", "有效发明专利拥有量5000件，比上年末净增800件"),
                  C("invention_patents_held", "growth_rate", 19, "%",
                    "有效发明专利拥有量5000件，比上年末净增800件，增长19%")]),
    # --- synonyms
    Case("全市万人发明专利拥有量达到38.5件，较上年提高6.2件。",
         levels=[L("invention_patents_per_10k", 38.5, "件/万人", False, "全市万人发明专利拥有量达到38.5件")],
         changes=[C("invention_patents_per_10k", "change", 6.2, "件/万人",
                    "全市万人发明专利拥有量达到38.5件，较上年提高6.2件")]),
    Case("专利代理机构12家，维持年限超过10年的发明专利拥有量320件。",
         levels=[L("ip_service_institutions", 12, "家", False, "专利代理机构12家"),
                 L("invention_patents_over_10y", 320, "件", False, "维持年限超过10年的发明专利拥有量320件")]),
    Case("每万人口高价值发明专利拥有量达到12.3件，高价值发明专利拥有量约9,800件。",
         levels=[L("high_value_invention_patents_per_10k", 12.3, "件/万人", False, "每万人口高价值发明专利拥有量达到12.3件"),
                 L("high_value_invention_patents", 9800, "件", True, "高价值发明专利拥有量约9,800件")]),
    # --- several indicators in one sentence, 分别 lists
    Case("发明专利申请量、发明专利授权量分别为5000件和1856件。",
         levels=[L("invention_patent_applications", 5000, "件", False, "发明专利申请量、发明专利授权量分别为5000件和1856件"),
                 L("invention_patent_grants", 1856, "件", False, "发明专利申请量、发明专利授权量分别为5000件和1856件")]),
    Case("全年专利申请量1.5万件，专利授权量9,876件，发明专利授权量1,234件，分别增长12%、8.5%和20.1%。",
         levels=[L("patent_applications", 15000, "件", False, "全年专利申请量1.5万件"),
                 L("patent_grants", 9876, "件", False, "专利授权量9,876件"),
                 L("invention_patent_grants", 1234, "件", False, "发明专利授权量1,234件")],
         changes=[C("patent_applications", "growth_rate", 12, "%",
                    "全年专利申请量1.5万件，专利授权量9,876件，发明专利授权量1,234件，分别增长12%、8.5%和20.1%"),
                  C("patent_grants", "growth_rate", 8.5, "%",
                    "专利授权量9,876件，发明专利授权量1,234件，分别增长12%、8.5%和20.1%"),
                  C("invention_patent_grants", "growth_rate", 20.1, "%",
                    "发明专利授权量1,234件，分别增长12%、8.5%和20.1%")]),
    Case("全年知识产权质押融资56笔，金额3.2亿元，分别增长10%和20%。",
         levels=[L("ip_pledge_deals", 56, "笔", False, "全年知识产权质押融资56笔"),
                 L("ip_pledge_amount", 32000, "万元", False, "全年知识产权质押融资56笔，金额3.2亿元")],
         changes=[C("ip_pledge_deals", "growth_rate", 10, "%", "全年知识产权质押融资56笔，金额3.2亿元，分别增长10%和20%"),
                  C("ip_pledge_amount", "growth_rate", 20, "%", "全年知识产权质押融资56笔，金额3.2亿元，分别增长10%和20%")]),
    Case("全年新增高新技术企业150家，总数达到1200家。",
         levels=[L("high_tech_firms", 1200, "家", False, "全年新增高新技术企业150家，总数达到1200家")],
         changes=[C("high_tech_firms", "change", 150, "家", "全年新增高新技术企业150家")]),
    # 新认定/新增 is a change for a stock (firms held at year end) but the flow itself for grants
    Case("新认定国家高新技术企业87家，年末有效高新技术企业达到312家。",
         levels=[L("high_tech_firms", 312, "家", False, "年末有效高新技术企业达到312家")],
         changes=[C("high_tech_firms", "change", 87, "家", "新认定国家高新技术企业87家")]),
    Case("全年新增发明专利授权321件。",
         levels=[L("invention_patent_grants", 321, "件", False, "全年新增发明专利授权321件")]),
    Case("每万人口发明专利拥有量达29.8件/万人，比上年末增加4.3件。",
         levels=[L("invention_patents_per_10k", 29.8, "件/万人", False, "每万人口发明专利拥有量达29.8件/万人")],
         changes=[C("invention_patents_per_10k", "change", 4.3, "件/万人",
                    "每万人口发明专利拥有量达29.8件/万人，比上年末增加4.3件")]),
    Case("全年新增知识产权贯标企业25家。",
         changes=[C("ip_standard_firms", "change", 25, "家", "全年新增知识产权贯标企业25家")]),
    Case("全市专利授权量比2019年增长10%，达到1.1万件。",
         levels=[L("patent_grants", 11000, "件", False, "全市专利授权量比2019年增长10%，达到1.1万件")],
         changes=[C("patent_grants", "growth_rate", 10, "%", "全市专利授权量比2019年增长10%")]),
    Case("全市专利申请量12345件增长12.3%",
         levels=[L("patent_applications", 12345, "件", False, "全市专利申请量12345件增长12.3%")],
         changes=[C("patent_applications", "growth_rate", 12.3, "%", "全市专利申请量12345件增长12.3%")]),
    # --- from … to …: the end value is the level, the start value is reported
    Case("专利授权量由5000件增加到8000件。",
         levels=[L("patent_grants", 8000, "件", False, "专利授权量由5000件增加到8000件")],
         unattributed=[U("5000件", "starting value")]),
    Case("高新技术企业数量从2015年的120家增加到2020年的350家。",
         levels=[L("high_tech_firms", 350, "家", False, "高新技术企业数量从2015年的120家增加到2020年的350家")],
         unattributed=[U("120家", "starting value")]),
    # --- periods: another year gets that year
    Case("截至2019年底，全市有效发明专利拥有量达5,210件。",
         levels=[L("invention_patents_held", 5210, "件", False, "截至2019年底，全市有效发明专利拥有量达5,210件", 2019)]),
    Case("上年末全市有效发明专利3,800件。",
         levels=[L("invention_patents_held", 3800, "件", False, "上年末全市有效发明专利3,800件", 2019)]),
    Case("二〇一九年全市专利授权量1，856件。",
         levels=[L("patent_grants", 1856, "件", False, "二〇一九年全市专利授权量1，856件", 2019)]),
    Case("前年全市专利授权量8000件，去年达到1万件，今年全年专利授权量1.2万件。",
         levels=[L("patent_grants", 8000, "件", False, "前年全市专利授权量8000件", 2018),
                 L("patent_grants", 10000, "件", False, "前年全市专利授权量8000件，去年达到1万件", 2019),
                 L("patent_grants", 12000, "件", False, "今年全年专利授权量1.2万件", 2020)]),
    Case("万人发明专利拥有量45.6件，高出平均水平10.2件。",
         levels=[L("invention_patents_per_10k", 45.6, "件/万人", False, "万人发明专利拥有量45.6件")],
         unattributed=[U("10.2件", "without an indicator named")]),
    Case("全年PCT国际专利申请量86件。", year=2018,
         levels=[L("pct_applications", 86, "件", False, "全年PCT国际专利申请量86件", 2018)]),
]

UNATTRIBUTED_CASES = [
    # (text, [(raw, reason fragment)]) — figures that must be reported, never extracted
    ("全市拥有国家高新技术企业500-600家。", [U("500-600家", "range")]),
    ("专利代理机构三至五家。", [U("三至五家", "range")]),
    ("全市有效注册商标数万件。", [U("数万件", "vague")]),
    ("知识产权服务机构数百家。", [U("百家", "vague")]),  # 知识产权服务机构数 is a synonym
    ("上半年，全市专利授权量5000件。", [U("5000件", "part of a year")]),
    ("2020年1-6月，全市专利申请量6000件。", [U("6000件", "part of a year")]),
    ("到2025年，每万人口发明专利拥有量达到50件。", [U("50件", "target")]),
    ("力争全年专利授权量达到1.5万件。", [U("1.5万件", "target")]),
    ("十三五期间，全市累计新增高新技术企业800家。", [U("800家", "plan period")]),
    ("2016年以来，全市专利授权量累计达5万件。", [U("5万件", "several years")]),
    ("2018-2020年专利授权量分别为8000件、9000件和1.2万件。",
     [U("8000件", "several years"), U("9000件", "several years"), U("1.2万件", "several years")]),
    ("常州市专利授权量5万件。", [U("5万件", "another region")]),
    # 授权量 is an elided 专利授权量 (two names), but three figures: none is paired.
    ("专利申请量、授权量分别为1.2万件、5000件和300件。", [U("1.2万件", "分别"), U("5000件", "分别"), U("300件", "分别")]),
    ("专利申请量、商标分别为1.2万件和5000件。", [U("1.2万件", "分别"), U("5000件", "分别")]),
    ("全市发明专利授权量占专利授权量的15.5%。", [U("15.5%", "several indicators")]),
    ("全市发明专利授权量1200件，占全部授权量的15.5%。", [U("15.5%", "share")]),
    ("专利申请量增长1.5倍。", [U("1.5倍", "multiple")]),
    ("全市企业发明专利申请量3000件。", [U("3000件", "subset")]),
    ("全年实现规上工业产值1234亿元，增长8%。", [U("1234亿元", "no catalogue indicator"),
                                           U("8%", "no catalogue indicator")]),
    # 授权发明专利 is 发明专利授权 written verb first: two different levels for one indicator, both reported
    ("全市发明专利授权1856件，授权发明专利300件。", [U("1856件", "2 different levels"), U("300件", "2 different levels")]),
    ("知识产权服务机构30个。", [U("30个", "does not convert")]),
    ("知识产权保护社会满意度为85.3。", [U("85.3", "no unit")]),
    ("人均拥有高价值发明专利0.3件。", [U("0.3件", "per-head")]),
    ("每万人口专利授权量25件。", [U("25件", "no per-10k indicator for patent_grants")]),
    ("实用新型专利申请量5000件。", [U("5000件", "subset")]),
    ("知识产权人才培训500人。", [U("500人", "words between the name and the figure (培训)")]),
    ("全市专利授权量中企业占8000件。", [U("8000件", "words between")]),
    ("专利申请量增长12%，企业申请量为8000件。", [U("8000件", "something else (企业)")]),
    ("全市专利授权量1.2万件，其中企业专利授权1.1万件。", [U("1.1万件", "subset")]),
    ("高新技术企业产值占规上工业产值比重达48.5%。", [U("48.5%", "share")]),
    ("全市知识产权质押融资金额达3.5亿元，惠及企业56家。", [U("56家", "without an indicator named")]),
    ("全年发明专利授权321件，增幅比上年提高5个百分点。", [U("5个百分点", "个百分点")]),
    ("专利申请量12000件8000件。", [U("8000件", "second level")]),
]


def _levels(ex):
    return [L(r.indicator, r.value, r.unit, r.approximate, r.quote, r.year) for r in ex.levels.itertuples()]


def _changes(ex):
    return [C(r.indicator, r.kind, r.value, r.unit, r.quote) for r in ex.changes.itertuples()]


@pytest.mark.parametrize("case", CASES, ids=[c.text[:24] for c in CASES])
def test_sentence(case: Case) -> None:
    ex = extract_figures(case.text, region="溧阳市", year=case.year, source_id="test_src")
    assert _levels(ex) == [L(*x) for x in case.levels]
    assert ex.rows["status"].tolist() == ["estimate" if x.approximate else "official" for x in case.levels]
    assert _changes(ex) == [C(*x) for x in case.changes]
    got_u = [(u.raw, u.reason) for u in ex.unattributed.itertuples()]
    assert len(got_u) == len(case.unattributed), got_u
    for (raw, reason), want in zip(sorted(got_u), sorted(case.unattributed), strict=True):
        assert raw == want.raw and want.reason in reason, (raw, reason)


@pytest.mark.parametrize("text,expected", UNATTRIBUTED_CASES, ids=[t[:24] for t, _ in UNATTRIBUTED_CASES])
def test_reported_not_extracted(text: str, expected: list[U]) -> None:
    ex = extract_figures(text, region="溧阳市", year=2020)
    # Figures that are reported must not also be rows or changes.
    reported = {u.raw for u in ex.unattributed.itertuples()}
    assert {r.raw for r in ex.levels.itertuples()} & reported == set()
    got = sorted((u.raw, u.reason) for u in ex.unattributed.itertuples() if u.raw in {e.raw for e in expected})
    assert [raw for raw, _ in got] == sorted(e.raw for e in expected), list(ex.unattributed.itertuples())
    for (raw, reason), want in zip(got, sorted(expected), strict=True):
        assert want.reason in reason, (raw, reason)


def test_unattributed_still_names_the_candidate_indicator() -> None:
    ex = extract_figures("上半年，全市专利授权量5000件。", region="溧阳市", year=2020)
    assert ex.rows.empty
    assert ex.unattributed.loc[0, "indicator"] == "patent_grants"
    assert ex.unattributed.loc[0, "clause"] == "全市专利授权量5000件"


def test_rows_are_raw_ready() -> None:
    text = "全年专利授权量1.2万件，增长10%；PCT国际专利申请量近500件。"
    ex = extract_figures(text, region="溧阳", year=2020, source_id="ly_bulletin_2020")
    assert list(ex.rows.columns) == RAW_COLUMNS
    assert ex.rows["region"].tolist() == ["溧阳市", "溧阳市"]  # alias resolved
    # An approximation (近500件) is an estimate, not an official count.
    assert ex.rows["status"].tolist() == ["official", "estimate"]
    assert ex.rows["source_id"].eq("ly_bulletin_2020").all()
    assert ex.rows["year"].dtype == "int64" and ex.rows["value"].dtype == "float64"
    assert ex.rows["note"].tolist() == ["", "approximate: 近"]
    # Growth statements are never rows.
    assert ex.changes["kind"].tolist() == ["growth_rate"]
    assert "growth_rate" not in ex.levels["kind"].tolist()
    for q in ex.rows["quote"]:
        assert q in text


def test_note_names_the_year_taken_from_text() -> None:
    ex = extract_figures("截至2019年底，全市有效发明专利拥有量达5,210件。", region="溧阳市", year=2020)
    assert ex.rows.loc[0, "note"] == "year 2019 from text (截至2019年底)"
    assert ex.levels.loc[0, "period"] == "截至2019年底"


def test_full_width_offsets_point_into_original_text() -> None:
    text = "全市专利授权量１，８５６件，其中发明专利授权３２１件。"
    ex = extract_figures(text, region="溧阳市", year=2020)
    assert ex.rows["value"].tolist() == [1856.0, 321.0]
    for r in ex.levels.itertuples():
        assert text[r.start:r.end] == r.raw
    assert ex.levels["raw"].tolist() == ["１，８５６件", "３２１件"]


def test_paragraph_with_unrelated_sentences() -> None:
    text = (
        "2020年，全市实现地区生产总值1,010.1亿元。全年专利申请量1.1万件，其中发明专利申请量3,210件。\n"
        "全市新增省级以上科技平台12个。“十四五”时期将进一步加强知识产权保护。"
    )
    ex = extract_figures(text, region="溧阳市", year=2020)
    assert ex.rows[["indicator", "value"]].values.tolist() == [
        ["gdp", 1010.1], ["patent_applications", 11000.0], ["invention_patent_applications", 3210.0]
    ]
    assert ex.unattributed["raw"].tolist() == ["12个"]
    assert ex.unattributed.loc[0, "reason"] == "no catalogue indicator named"


def test_other_region_is_reported_but_own_region_and_quanshi_are_fine() -> None:
    ex = extract_figures("溧阳市专利授权量5000件，占常州市的10%。", region="溧阳市", year=2020)
    assert ex.rows[["indicator", "value"]].values.tolist() == [["patent_grants", 5000.0]]
    assert "another region" in ex.unattributed.loc[0, "reason"]
    ex = extract_figures("全市专利授权量5万件。", region="常州市", year=2020)
    assert ex.rows["value"].tolist() == [50000.0]


def test_unknown_region_is_an_error_that_lists_known_names() -> None:
    with pytest.raises(ValueError, match="溧阳市"):
        extract_figures("专利授权量5000件", region="南京市", year=2020)


def test_custom_catalogue_dict() -> None:
    cat = {
        "units": {"件": {"to": "件", "factor": 1}, "万件": {"to": "件", "factor": 10000}},
        "indicators": [{"code": "utility_grants", "name_zh": "实用新型专利授权量", "unit": "件",
                        "synonyms": ["实用新型授权"]}],
    }
    ex = extract_figures("实用新型授权0.8万件，专利授权量1.2万件。", "溧阳市", 2020, catalogue=cat)
    assert ex.rows[["indicator", "value"]].values.tolist() == [["utility_grants", 8000.0]]
    assert ex.unattributed["raw"].tolist() == ["1.2万件"]


def test_empty_text() -> None:
    ex = extract_figures("", region="溧阳市", year=2020)
    assert ex.rows.empty and ex.changes.empty and ex.unattributed.empty
    assert list(ex.rows.columns) == RAW_COLUMNS


def test_inputs_not_mutated_and_results_repeatable() -> None:
    text = "新增地理标志商标2件，累计达15件"
    a = extract_figures(text, region="溧阳市", year=2020)
    b = extract_figures(text, region="溧阳市", year=2020)
    assert a.rows.equals(b.rows) and a.changes.equals(b.changes)


BULLETIN = """溧阳市2020年国民经济和社会发展统计公报
溧阳市统计局　2021年3月
七、科学技术和教育
全年专利申请量5,678件，比上年增长15.2%，其中发明专利申请量1,234件，增长8.1%。专利授权量3,456件，增长30.5%，\
其中发明专利授权量321件。年末有效发明专利拥有量2,345件，每万人口发明专利拥有量达29.8件/万人，比上年末增加4.3件。\
全年PCT国际专利申请量12件。新认定国家高新技术企业87家，年末有效高新技术企业达到312家。全市拥有省级以上工程技术研究中心45个。
全年实现知识产权质押融资登记金额2.15亿元，同比增长36%，质押笔数28笔。全市新增知识产权贯标企业15家，累计通过贯标认证企业达到136家。
年末全市常住人口78.5万人，比上年末增加0.3万人。全年实现地区生产总值1,010.2亿元，按可比价格计算，比上年增长4.2%。\
全社会研发投入占地区生产总值比重为2.78%。
到2025年，每万人口高价值发明专利拥有量达到10件。
"""


def test_bulletin_section() -> None:
    ex = extract_figures(BULLETIN, region="溧阳市", year=2020, source_id="ly_tjgb_2020")
    assert ex.rows[["indicator", "value", "unit"]].values.tolist() == [
        ["patent_applications", 5678.0, "件"],
        ["invention_patent_applications", 1234.0, "件"],
        ["patent_grants", 3456.0, "件"],
        ["invention_patent_grants", 321.0, "件"],
        ["invention_patents_held", 2345.0, "件"],
        ["invention_patents_per_10k", 29.8, "件/万人"],
        ["pct_applications", 12.0, "件"],
        ["high_tech_firms", 312.0, "家"],
        ["ip_pledge_amount", 21500.0, "万元"],
        ["ip_pledge_deals", 28.0, "笔"],
        ["ip_standard_firms", 136.0, "家"],
        ["resident_population", 78.5, "万人"],
        ["gdp", 1010.2, "亿元"],
        ["rd_intensity", 2.78, "%"],  # 全社会研发投入占地区生产总值比重 is a catalogue synonym
    ]
    assert ex.rows["year"].eq(2020).all()
    assert ex.changes[["indicator", "kind", "value"]].values.tolist() == [
        ["patent_applications", "growth_rate", 15.2],
        ["invention_patent_applications", "growth_rate", 8.1],
        ["patent_grants", "growth_rate", 30.5],
        ["invention_patents_per_10k", "change", 4.3],
        ["high_tech_firms", "change", 87.0],
        ["ip_pledge_amount", "growth_rate", 36.0],
        ["ip_standard_firms", "change", 15.0],
        ["resident_population", "change", 0.3],
        ["gdp", "growth_rate", 4.2],
    ]
    # 研发投入占地区生产总值比重 is not a catalogue name (only 研发经费支出…is): reported, not guessed.
    assert ex.unattributed["raw"].tolist() == ["45个", "10件"]
    for q in ex.rows["quote"]:
        assert q in BULLETIN


def _catalogue_names():
    from importlib import resources

    import yaml

    cat = yaml.safe_load(resources.files("liyang_ip.registry").joinpath("indicators.yaml").read_text("utf-8"))
    for d in cat["indicators"]:
        if d.get("kind") == "cumulative":  # totals since a base year (1985年以来累计): not read from bulletins
            continue
        for name in (d["name_zh"], *(d.get("synonyms") or ())):
            yield d["code"], name, d["unit"]


@pytest.mark.parametrize("code,name,unit", list(_catalogue_names()))
def test_every_catalogue_name_is_found(code: str, name: str, unit: str) -> None:
    """Each name and synonym in indicators.yaml, followed by a figure in its unit, gives its indicator."""
    written = {"件/万人": "件", "": ""}.get(unit, unit)
    ex = extract_figures(f"全年{name}达到86{written}。", region="溧阳市", year=2020)
    if not written:
        assert ex.rows.empty
        return
    assert ex.rows[["indicator", "value", "unit"]].values.tolist() == [[code, 86.0, unit]], ex.unattributed


def test_catalogue_from_a_path(tmp_path) -> None:
    p = tmp_path / "ind.yaml"
    p.write_text("units: {家: {to: 家, factor: 1}}\n"
                 "indicators:\n  - {code: incubators, name_zh: 孵化器, unit: 家, synonyms: [科技企业孵化器]}\n",
                 encoding="utf-8")
    ex = extract_figures("全市科技企业孵化器12家。", region="溧阳市", year=2020, catalogue=p)
    assert ex.rows[["indicator", "value"]].values.tolist() == [["incubators", 12.0]]


WRAPPED = ("七、科学技术\n全年专利授权量1.2\n万件，其中发明专利授权1856件；年末每万人口发明专利拥有量达45.6件，比上\n"
           "年增加5.1件。\n　　全市有效注册商标一万\r\n二千余件。\n溧阳市统计局\n2021年3月")


def test_lines_wrapped_by_a_pdf_are_joined() -> None:
    ex = extract_figures(WRAPPED, region="溧阳市", year=2020)
    assert ex.levels[["indicator", "value", "quote"]].values.tolist() == [
        ["patent_grants", 12000.0, "全年专利授权量1.2万件"],
        ["invention_patent_grants", 1856.0, "其中发明专利授权1856件"],
        ["invention_patents_per_10k", 45.6, "年末每万人口发明专利拥有量达45.6件"],
        ["registered_trademarks", 12000.0, "全市有效注册商标一万二千余件"],
    ]
    assert ex.changes["quote"].tolist() == ["年末每万人口发明专利拥有量达45.6件，比上年增加5.1件"]
    # Offsets point into the original text, line breaks included.
    spans = [WRAPPED[a:b] for a, b in zip(ex.levels["start"], ex.levels["end"], strict=True)]
    assert spans == ["1.2\n万件", "1856件", "45.6件", "一万\r\n二千余件"]
    assert ex.unattributed.empty


def test_keep_lines_breaks_sentences_at_every_line() -> None:
    ex = extract_figures(WRAPPED, region="溧阳市", year=2020, join_wrapped_lines=False)
    assert "patent_grants" not in ex.rows["indicator"].tolist()
    assert ex.unattributed["raw"].tolist()[:1] == ["1.2"]  # a number cut by the break, reported
