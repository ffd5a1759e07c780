"""Generated prose: numbers from the inputs, hand-checked wording in zh and en."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from liyang_ip import narrative as nv


@pytest.mark.parametrize(
    ("x", "expected"),
    [(1234.4, "1,234"), (37.46, "37.5"), (2.345, "2.35"), (-0.001, "0.00"), (None, "—"), (math.nan, "—")],
)
def test_fmt_number(x, expected):
    assert nv.fmt_number(x) == expected


def test_fmt_value_units():
    assert nv.fmt_value(37.46, "件/万人") == "37.5件/万人"
    assert nv.fmt_value(37.46, "件/万人", "en") == "37.5 per 10k residents"
    assert nv.fmt_value(120, "件", "en") == "120"
    assert nv.fmt_value(2.5, "%", "en") == "2.50%"


@pytest.mark.parametrize(
    ("n", "cn"), [(0, "零"), (2, "两"), (7, "七"), (10, "十"), (12, "十二"), (20, "二十"), (35, "三十五")]
)
def test_cn_count(n, cn):
    assert nv.cn_count(n) == cn


def test_level_sentence_zh():
    # value 30.1, city 34.3: 4.2 lower, 4.2 / 34.3 = 12.24…% lower.
    s = nv.level_sentence(
        "invention_patents_per_10k", 2020, "溧阳市", 30.1, rank=5, n_blocks=7, city_value=34.3
    )
    assert (
        s
        == "2020年溧阳市每万人口发明专利拥有量为30.1件/万人，在七个板块中排名第5，比常州平均低4.20件/万人（低12.2%）。"
    )


def test_level_sentence_above_and_equal():
    s = nv.level_sentence("pct_applications", 2019, "金坛区", 150, rank=1, n_blocks=7, city_value=100)
    assert s == "2019年金坛区PCT国际专利申请量为150件，在七个板块中排名第1，比常州平均高50件（高50.0%）。"
    s = nv.level_sentence("pct_applications", 2019, "金坛区", 100, city_value=100)
    assert s == "2019年金坛区PCT国际专利申请量为100件，与常州平均持平。"


def test_level_sentence_en():
    s = nv.level_sentence("invention_patents_per_10k", 2020, "溧阳市", 30.1, 5, 7, 34.3, lang="en")
    assert s == (
        "In 2020, invention patents held per 10k residents in Liyang was 30.1 per 10k residents, ranking 5th "
        "of 7 blocks, 4.20 per 10k residents (12.2%) below the Changzhou average."
    )


def test_level_sentence_missing_value():
    assert (
        nv.level_sentence("pct_applications", 2020, "溧阳市", None)
        == "2020年溧阳市PCT国际专利申请量暂无数据。"
    )
    assert "no figure" in nv.level_sentence("pct_applications", 2020, "溧阳市", math.nan, lang="en")


def test_change_sentence():
    # 100 → 161.05 over 5 years: (1.6105)^(1/5) − 1 = 10.0 %.
    cagr = ((161.05 / 100) ** (1 / 5) - 1) * 100
    s = nv.change_sentence("invention_patents_held", "溧阳市", 2015, 2020, 100, 161.05, cagr)
    assert s == "2015—2020年，溧阳市有效发明专利拥有量由100件增至161件，年均增长10.0%。"
    s = nv.change_sentence("invention_patents_held", "溧阳市", 2015, 2020, 200, 150, -5.6)
    assert s == "2015—2020年，溧阳市有效发明专利拥有量由200件降至150件，年均下降5.6%。"
    en = nv.change_sentence("invention_patents_held", "溧阳市", 2015, 2020, 100, 161.05, cagr, lang="en")
    assert (
        en
        == "Over 2015–2020, valid invention patents held in Liyang rose from 100 to 161, an average annual change of +10.0%."
    )
    assert "缺2015年数据" in nv.change_sentence("gdp", "溧阳市", 2015, 2020, None, 1.0)


@pytest.mark.parametrize(
    ("a", "b", "phrase"),
    [
        (-20, -12, "差距缩小"),
        (-12, -20, "差距扩大"),
        (-5, 3, "已赶上并超过平均"),
        (4, -1, "已由领先转为落后"),
        (5, 9, "领先幅度扩大"),
    ],
)
def test_gap_trend_sentence(a, b, phrase):
    s = nv.gap_trend_sentence("pct_applications", "溧阳市", 2015, 2020, a, b)
    assert s.endswith(f"{phrase}。")


def test_gap_trend_sentence_text():
    s = nv.gap_trend_sentence("pct_applications", "溧阳市", 2015, 2020, -20, -12)
    assert s == "溧阳市PCT国际专利申请量由2015年低于常州平均20.0%变为2020年低于常州平均12.0%，差距缩小。"
    en = nv.gap_trend_sentence("pct_applications", "溧阳市", 2015, 2020, -20, -12, lang="en")
    assert en.endswith("the gap narrowed.")


def test_composite_sentence():
    s = nv.composite_sentence("溧阳市", 3, 7, median_rank=3, rank_lo=2, rank_hi=5, method="熵权TOPSIS")
    assert (
        s
        == "在综合指数（熵权TOPSIS）中，溧阳市在七个板块中排名第3；改变权重与标准化方法后，排名中位数为第3位，90%区间为第2至第5位。"
    )
    assert nv.composite_sentence("溧阳市", 1, 7, 1, 1, 1).endswith("排名稳健。")
    en = nv.composite_sentence("溧阳市", 3, 7, 3, 2, 5, lang="en")
    assert en == (
        "On the composite index, Liyang ranks 3rd of 7 blocks; when weights and normalisation vary, its median "
        "rank is 3 and the 90% interval runs from 2nd to 5th."
    )


def test_projection_sentence():
    s = nv.projection_sentence(
        "invention_patents_per_10k", "溧阳市", 2025, 41.27, 35.0, 47.5, "ensemble", 3.14
    )
    assert (
        s
        == "按组合预测，2025年溧阳市每万人口发明专利拥有量预计为41.3件/万人（90%区间35.0—47.5）；历史回测的平均绝对百分比误差为3.1%。"
    )
    assert "无法用" in nv.projection_sentence("gdp", "溧阳市", 2025, None, method="gm11")
    en = nv.projection_sentence("invention_patents_per_10k", "溧阳市", 2027, 41.27, lang="en")
    assert (
        en
        == "Projection (Ensemble): invention patents held per 10k residents in Liyang reaches 41.3 per 10k residents by 2027."
    )


def test_target_sentence():
    # 30 → 45 in 5 years needs (1.5)^(1/5) − 1 = 8.45 %.
    req = (1.5 ** (1 / 5) - 1) * 100
    s = nv.target_sentence(
        "invention_patents_per_10k",
        "溧阳市",
        2025,
        45,
        projected=41.3,
        required_growth_pct=req,
        probability=0.23,
    )
    assert (
        s
        == "溧阳市每万人口发明专利拥有量2025年目标为45.0件/万人，需年均增长8.4%；按趋势预测为41.3件/万人，低于目标，达标概率约23%。"
    )
    s = nv.target_sentence("invention_patents_per_10k", "溧阳市", 2025, 40, projected=41.3)
    assert "可达到目标" in s
    assert nv.target_sentence("gdp", "溧阳市", 2025, None) == "溧阳市地区生产总值未给出2025年目标。"


def test_proposed_target_sentence():
    s = nv.proposed_target_sentence(
        "invention_patents_per_10k",
        "溧阳市",
        2025,
        44.0,
        0.5,
        reference_value=48.0,
        trend_value=41.3,
        plan_target=45,
    )
    assert s == (
        "建议溧阳市每万人口发明专利拥有量2025年目标为44.0件/万人，即缩小与常州平均（预计48.0件/万人）差距的50%"
        "且不低于趋势预测值41.3件/万人；规划目标为45.0件/万人。"
    )
    en = nv.proposed_target_sentence(
        "invention_patents_per_10k", "溧阳市", 2025, 44.0, 0.5, 48.0, 41.3, lang="en"
    )
    assert "closing 50% of the gap" in en


def test_data_status_counts_coverage_and_gaps():
    cs = pd.DataFrame(
        {
            "indicator": ["pct_applications", "pct_applications", "gi_trademarks", "gi_trademarks"],
            "region": ["溧阳市", "金坛区", "溧阳市", "金坛区"],
            "years_covered": [6, 6, 3, 4],
            "years_total": [6, 6, 6, 6],
        }
    )
    # 19 of 24 region-years = 79.2 %; 5 missing, all in gi_trademarks.
    s = nv.data_status("demo", True, cs, n_sources=1)
    assert s == (
        "演示数据集：演示数据（合成数据，非真实统计，结论不可引用）；来源1项。"
        "所选2项指标×2个地区的覆盖率为79.2%（缺5个地区-年份）。缺口较大的指标：地理标志商标（缺5）。"
    )
    en = nv.data_status("public", False, cs, lang="en")
    assert "real data" in en and "79.2%" in en and "Geographical-indication trademarks (5)" in en
    full = cs.assign(years_covered=6)
    assert nv.data_status("public", False, full).endswith("无缺口。")


def test_paragraph_and_first_value():
    assert nv.paragraph("甲。", "", "乙。") == "甲。乙。"
    assert nv.paragraph("A.", "B.", lang="en") == "A. B."
    df = pd.DataFrame({"region": ["溧阳市", "金坛区"], "year": [2020, 2020], "rank": [5, 1]})
    assert nv.first_value(df, {"region": "金坛区", "year": 2020}, "rank") == 1
    assert nv.first_value(df, {"region": "武进区"}, "rank") is None


def test_whole_counts_have_no_decimals():
    assert nv.fmt_value(6.0, "件") == "6件"
    assert nv.fmt_value(6.5, "件") == "6.50件"
    assert nv.fmt_value(6.0, "件/万人") == "6.00件/万人"


def test_baseline_paragraph_from_table():
    table = pd.DataFrame(
        {
            "indicator": ["invention_patents_per_10k", "pct_applications", "ip_talent"],
            "value_start": [9.0, 8.0, None],
            "value_end": [21.3, 6.0, 199.0],
            "cagr": [18.8, -5.6, None],
        }
    )
    s = nv.baseline_paragraph(table, "溧阳市", 2015, 2020)
    assert s == (
        "2015—2020年，溧阳市有期初和期末数据的两项指标中，一项增长。年均增速最快的是每万人口发明专利拥有量（18.8%），"
        "最慢的是PCT国际专利申请量（-5.6%）。另有一项指标缺少2015年或2020年数据，未作比较。"
    )
    lines = nv.baseline_sentences(table, "溧阳市", 2015, 2020)
    assert lines[1] == "2015—2020年，溧阳市PCT国际专利申请量由8件降至6件，年均下降5.6%。"
    assert "缺2015年数据" in lines[2]
    assert nv.bullets(lines).count("\n- ") == 2


def test_benchmark_sentences_use_median_for_counts_and_city_for_ratios():
    gaps = pd.DataFrame(
        {
            "indicator": ["invention_patents_per_10k", "pct_applications"],
            "year": [2020, 2020],
            "value": [21.3, 6.0],
            "rank": [6, 7],
            "n": [7, 7],
            "city_value": [42.6, 193.0],
            "median": [38.0, 20.0],
            "gap_median_pct": [-43.9, -70.0],
        }
    )
    s = nv.benchmark_sentences(gaps, "溧阳市")
    # 21.3 − 42.6 = −21.3 → 50.0 % below the city figure (a ratio: total over total).
    assert (
        s[0]
        == "2020年溧阳市每万人口发明专利拥有量为21.3件/万人，在七个板块中排名第6，比常州平均低21.3件/万人（低50.0%）。"
    )
    # Counts: the city total is not an average, so the median block (20) is the reference: 14 below, 70 %.
    assert s[1] == "2020年溧阳市PCT国际专利申请量为6件，在七个板块中排名第7，比板块中位数低14件（低70.0%）。"
    changes = pd.DataFrame(
        {
            "indicator": ["invention_patents_per_10k", "pct_applications"],
            "against": ["median", "median"],
            "shortfall_start": [60.0, 55.0],
            "shortfall_end": [43.9, 70.0],
            "improved": pd.array([True, False], dtype="boolean"),
        }
    )
    p = nv.benchmark_paragraph(gaps, changes, "溧阳市", 2015, 2020, against="median")
    assert p == (
        "2020年溧阳市在两项指标中没有一项优于板块中位数；排名最好的是每万人口发明专利拥有量（第6），"
        "最差的是PCT国际专利申请量（第7）。与2015年相比，与板块中位数的相对差距在两项中有一项缩小"
        "（变化不足1.0个百分点视为基本持平）。"
    )
    ch = nv.gap_change_sentences(changes, "溧阳市", 2015, 2020)
    assert (
        ch[0]
        # 60.0 − 43.9 = 16.1 percentage points ≥ thresholds.yaml gap_trend.marked (10): 明显
        == "溧阳市每万人口发明专利拥有量由2015年低于板块中位数60.0%变为2020年低于板块中位数43.9%，差距明显缩小。"
    )


def test_status_line():
    cs = pd.DataFrame(
        {"indicator": ["a", "b"], "region": ["x", "x"], "years_covered": [6, 3], "years_total": [6, 6]}
    )
    assert (
        nv.status_line("demo", True, cs)
        == "数据状态：演示数据（合成，非真实统计） — 演示数据集；所选范围覆盖率75.0%"
    )
    assert (
        nv.status_line("public", False, cs, lang="en")
        == "Data status: real data — public dataset; coverage of the selection 75.0%"
    )
    # A user's dataset by its own name (bundled ones by their name in words, in the report's language).
    assert nv.status_line("liyang_2024", False, None) == "数据状态：真实数据 — 数据集 liyang_2024"


def test_params_line():
    from liyang_ip.params import validate_params

    p = validate_params(
        focus="金坛区", peers=["溧阳市", "武进区"], target_year=2027, indicators=["pct_applications"]
    )
    assert (
        nv.params_line(p)
        == "焦点板块：金坛区；比较板块：溧阳市、武进区；基期2015—2020年；目标年2027年；指标1项。"
    )
    assert nv.params_line(p, "en") == (
        "Focus: Jintan; compared with: Liyang, Wujin; period 2015–2020; target year 2027; 1 indicator."
    )


def test_benchmark_sentences_with_city_average():
    # gap_table's city_avg: for a summed indicator the city total / 7 blocks (193 / 7 = 27.57…).
    gaps = pd.DataFrame(
        {
            "indicator": ["pct_applications"],
            "year": [2020],
            "value": [6.0],
            "rank": [7],
            "n": [7],
            "city_value": [193.0],
            "city_avg": [193.0 / 7],
            "median": [20.0],
            "gap_city_pct": [(6.0 - 193.0 / 7) / (193.0 / 7) * 100],
        }
    )
    # 27.571 − 6 = 21.571 → "21.6件"; 21.571 / 27.571 = 78.2 %.
    assert nv.benchmark_sentences(gaps, "溧阳市") == [
        "2020年溧阳市PCT国际专利申请量为6件，在七个板块中排名第7，比常州平均低21.6件（低78.2%）。"
    ]
    p = nv.benchmark_paragraph(gaps, None, "溧阳市", 2015, 2020)
    assert p.startswith("2020年溧阳市在一项指标中没有一项优于常州平均；")
    en = nv.gap_change_sentences(
        pd.DataFrame(
            {
                "indicator": ["pct_applications"],
                "against": ["city"],
                "shortfall_start": [70.0],
                "shortfall_end": [78.2],
            }
        ),
        "溧阳市",
        2015,
        2020,
        lang="en",
    )
    assert en == [
        "Liyang went from 70.0% below the Changzhou average in 2015 to 78.2% below it in 2020 on PCT "
        "international applications: the gap widened."
    ]


def test_proposed_target_when_already_ahead():
    s = nv.proposed_target_sentence(
        "gi_trademarks", "溧阳市", 2025, 7.53, 0.5, 3.28, 7.53, 12.3, binding="ahead"
    )
    assert s == "溧阳市地理标志商标已不低于常州平均，建议2025年目标取趋势预测值7.53件；规划目标为12.3件。"
    rows = pd.DataFrame(
        {
            "indicator": ["gi_trademarks", "pct_applications"],
            "proposed": [7.53, 22.4],
            "bench_projected": [3.28, 36.8],
            "focus_trend": [7.53, 4.03],
            "plan_target": [None, None],
            "binding": ["trend (already at or ahead of benchmark)", "gap rule"],
        }
    )
    out = nv.proposed_target_sentences(rows, "溧阳市", 2025, 0.5)
    assert out[0].startswith("溧阳市地理标志商标已不低于常州平均")
    assert (
        out[1]
        == "建议溧阳市PCT国际专利申请量2025年目标为22.4件，即缩小与常州平均（预计36.8件）差距的50%且不低于趋势预测值4.03件。"
    )
    # one share per indicator (the proposals' own `share` column wins); above 1 goes beyond the benchmark
    per = nv.proposed_target_sentences(rows, "溧阳市", 2025, {"pct_applications": 1.2})
    assert "差距的120%（高于其水平）且不低于" in per[1]
    assert "差距的30%且" in nv.proposed_target_sentences(rows.assign(share=[0.3, 0.3]), "溧阳市", 2025, 0.5)[1]
    en = nv.proposed_target_sentences(rows, "溧阳市", 2025, {"pct_applications": 1.2}, "en")
    assert "closing 120% of the gap to the Changzhou average as projected (36.8), going beyond it" in en[1]


def test_composite_note():
    attrs = {
        "weights": {"pct_applications": 0.6, "ip_talent": 0.4, "gi_trademarks": 0.0},
        "dropped": ["gdp"],
        "constant": ["gi_trademarks"],
    }
    assert (
        nv.composite_note(attrs)
        == "综合指数使用两项指标。因有缺失值（不做填补）未纳入：地区生产总值。因各板块数值相同未纳入：地理标志商标。"
    )
    assert (
        nv.composite_note({"weights": {"ip_talent": 1.0}}, "en") == "The composite index uses 1 indicator."
    )


# ------------------------------------------------------------------ uncertainty wording (issue 14)
def test_target_sentence_gives_the_method_count_and_verdict():
    s = nv.target_sentence("invention_patents_per_10k", "溧阳市", 2025, 40.0, 35.0, 12.0, None, "zh",
                                  n_reaching=1, n_fitted=4, verdict="unlikely")
    assert "四种方法中有一种达到目标，难以达到" in s and "达标概率" not in s
    en = nv.target_sentence("invention_patents_per_10k", "溧阳市", 2025, 40.0, 35.0, 12.0, None, "en",
                                   n_reaching=3, n_fitted=4, verdict="likely")
    assert "3 of 4 methods reach it: likely to be reached" in en
    none = nv.target_sentence("pct_applications", "溧阳市", 2025, 7.0, 4.0, 3.1, None, "zh", n_reaching=0, n_fitted=4,
                              verdict="unlikely")
    assert "四种方法都未达到目标，难以达到" in none
    rule = nv.verdict_rule_sentence("zh")
    assert "75.0%及以上为“有望达到”" in rule and "25.0%及以下为“难以达到”" in rule


def test_gm_check_sentence_says_why_a_fit_is_not_used():
    from liyang_ip.analysis import projection as pj

    c = pj.gm11([1, 2, 4, 8, 16, 32]).checks()  # doubling: class ratios 0.5, outside (0.751, 1.331)
    zh = nv.gm_check_sentence(c, "zh")
    assert "级比0.500—0.500，不在可容覆盖区间（0.751，1.331）内" in zh and "级比检验未通过" in zh
    assert "不参与组合预测" in zh
    ok = nv.gm_check_sentence(pj.gm11([100 * 1.1**k for k in range(6)]).checks(), "en")
    assert "within (0.751, 1.331)" in ok and "left out" not in ok
    assert nv.gm_check_sentence(None) == ""


def test_composite_headline_is_the_median_rank():
    import pandas as pd

    robust = pd.DataFrame({"median_rank": [7.0, 1.0], "rank_lo": [6, 1], "rank_hi": [7, 1], "best_rank": [3, 1],
                           "worst_rank": [7, 2]}, index=pd.Index(["溧阳市", "新北区"], name="region"))
    robust.attrs = {"n_variants": 1218, "level": 0.9, "indicators": ["invention_patents_per_10k"]}
    s = nv.composite_robust_paragraph(robust, "溧阳市", "zh")
    assert "排名中位数为第7位，90%区间为第6至第7位" in s and "最好第3位，最差第7位" in s and "1218种" in s
    note = nv.composite_note({"weights": {"invention_patents_per_10k": 1.0, "ip_protection_satisfaction": 0.0},
                                     "constant": ["ip_protection_satisfaction"], "dropped": [],
                                     "ties": {"ip_protection_satisfaction": (1.6, 2.0)},
                                     "excluded": ["patent_grants"]}, "zh")
    assert "最大相差1.6分，小于其测量误差2.0分，视为持平" in note and "专利授权量" in note
    assert "综合指数使用一项指标" in note


def test_a_change_that_rounds_to_zero_is_basically_flat():
    """基本持平, never 增至/降至, when the two values read the same or the growth reads 0.0%; a summary
    does not count such an indicator as grown (hand-made figures)."""
    assert nv.change_sentence("gi_trademarks", "溧阳市", 2020, 2025, 7, 7, 0.0) == \
        "2020—2025年，溧阳市地理标志商标基本持平（两年均为7件）。"
    assert nv.change_sentence("ip_pledge_amount", "溧阳市", 2020, 2025, 13917.0, 13950.0, 0.047) == \
        "2020—2025年，溧阳市知识产权质押融资金额基本持平（由13,917万元到13,950万元）。"
    # 0.05% reads 0.1%: a change
    assert "增至" in nv.change_sentence("ip_pledge_amount", "溧阳市", 2020, 2025, 13917.0, 13952.0, 0.05)
    en = nv.change_sentence("gi_trademarks", "溧阳市", 2020, 2025, 7, 7, 0.0, lang="en")
    assert en == "Over 2020–2025, geographical-indication trademarks in Liyang stayed about level (7 in both years)."
    table = pd.DataFrame({"indicator": ["gi_trademarks", "ip_talent"], "value_start": [7.0, 199.0],
                          "value_end": [7.2, 302.0], "cagr": [0.57, 8.7]})
    # 7 → 7.2 件 reads "7件" both times (counts print whole only when whole: 7.2 reads 7.20), so grows
    assert "两项增长" in nv.baseline_paragraph(table, "溧阳市", 2020, 2025)
    flat = table.assign(value_end=[7.0, 302.0], cagr=[0.0, 8.7])
    assert "一项增长" in nv.baseline_paragraph(flat, "溧阳市", 2020, 2025)


def test_gap_sentence_says_what_the_materiality_count_says():
    """A change of a relative gap below the materiality threshold (gap_change's attrs) is 基本未变 in the
    sentence too, and one above it is not, whatever the wording thresholds say."""
    changes = pd.DataFrame({"indicator": ["pct_applications", "ip_talent"], "against": ["city", "city"],
                            "shortfall_start": [20.0, 20.0], "shortfall_end": [19.3, 18.6]})
    changes.attrs["materiality"] = 1.0
    s = nv.gap_change_sentences(changes, "溧阳市", 2020, 2025)
    assert "基本未变" in s[0] and "缩小" not in s[0]  # 0.7 pp < 1.0
    assert "缩小" in s[1]  # 1.4 pp
    changes.attrs["materiality"] = 0.0
    s = nv.gap_change_sentences(changes, "溧阳市", 2020, 2025)
    assert "缩小" in s[0]  # any change counts when the threshold is 0 (the wording's 0.5 pp does not override it)


def test_evaluation_paragraph_states_the_thresholds_it_was_given():
    from liyang_ip.registry import plans

    plan = plans.plan_containing(2025)
    ev = pd.DataFrame({"indicator": ["pct_applications"], "status": ["met"], "latest_estimate": [False]})
    text = nv.evaluation_paragraph(ev, "溧阳市", plan, 2025, thresholds={"exceeded": 1.2, "met": 1.0, "nearly": 0.8})
    assert "120" in text and "80" in text
    default = nv.evaluation_paragraph(ev, "溧阳市", plan, 2025)
    assert "110" in default and "90" in default
