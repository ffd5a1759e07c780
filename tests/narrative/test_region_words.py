"""Geography words come from the region set (issue 11): the prose, the templates and the report cover say
板块 / 设区市 / 省份, 常州平均 / 江苏平均 / 全国平均, 全市 / 全省 / 全国 as the dataset's set has them, and the
default set `changzhou` reads exactly as before. Numbers are hand-made; the expected sentences are typed."""

from __future__ import annotations

import pandas as pd
import pytest

from liyang_ip import narrative as nv
from liyang_ip import registry, wording

# Words that belong to the default set (changzhou) only, in each language.
CHANGZHOU_WORDS = {"zh": ("板块", "常州", "七个", "全市"), "en": ("block", "Changzhou", "seven")}


def _frame(rs: str, **cols) -> pd.DataFrame:
    df = pd.DataFrame(cols)
    df.attrs["region_set"] = rs  # what the analyses record on their results
    return df


def test_words_of_the_bundled_sets():
    assert registry.region_set("china").words("zh") == {
        "unit": "省份", "units": "省份", "average": "全国平均", "parent": "全国", "parent_short": "全国",
        "whole": "全国", "all": "三十一个省份"}
    assert registry.region_set("jiangsu").words("zh")["whole"] == "全省"
    assert registry.region_set("jiangsu").words("en") == {
        "unit": "city", "units": "cities", "average": "the Jiangsu average", "parent": "Jiangsu",
        "parent_short": "Jiangsu", "whole": "the Jiangsu total", "all": "13 cities"}
    assert registry.region_set("changzhou").words("zh")["all"] == "七个板块"


def test_a_user_set_without_parent_whole_says_the_parents_name(tmp_path):
    f = tmp_path / "county.yaml"
    f.write_text("name: c\nunit_word: {zh: 镇, en: town}\nregions:\n  - {name: 某县, kind: parent}\n"
                 "  - {name: 甲镇, kind: member}\n  - {name: 乙镇, kind: member}\n", encoding="utf-8")
    t = _frame(str(f), indicator=["pct_applications"], share_start=[40.0], share_end=[45.0])
    assert nv.share_paragraph(t, "甲镇", 2019, 2021) == (
        "2019—2021年，在一项可加总指标中，甲镇占某县比重上升的有一项；2021年占比最高的是PCT国际专利申请量（45.0%）。")


@pytest.mark.parametrize("rs, focus, n, zh_rank, zh_avg, en_rank, en_avg", [
    ("china", "江苏省", 31, "在三十一个省份中排名第3", "比全国平均高4,547件（高227.4%）",
     "ranking 3rd of 31 provinces", "above the national average"),
    ("jiangsu", "无锡市", 13, "在十三个设区市中排名第3", "比江苏平均高4,547件（高227.4%）",
     "ranking 3rd of 13 cities", "above the Jiangsu average"),
])
def test_level_sentence_in_other_sets(rs, focus, n, zh_rank, zh_avg, en_rank, en_avg):
    # 6,547 against an average of 2,000: 4,547 higher, 4,547 / 2,000 = 227.35% → 227.4% (one decimal, half away from zero)
    zh = nv.level_sentence("pct_applications", 2023, focus, 6547, 3, n, 2000, region_set=rs)
    assert zh == f"2023年{focus}PCT国际专利申请量为6,547件，{zh_rank}，{zh_avg}。"
    en = nv.level_sentence("pct_applications", 2023, focus, 6547, 3, n, 2000, "en", region_set=rs)
    assert en_rank in en and en.endswith(f"{en_avg}.")


def test_the_default_set_reads_as_before():
    assert nv.level_sentence("pct_applications", 2020, "溧阳市", 30, 5, 7, 40) == (
        "2020年溧阳市PCT国际专利申请量为30件，在七个板块中排名第5，比常州平均低10件（低25.0%）。")
    t = _frame("changzhou", indicator=["pct_applications"], share_start=[10.0], share_end=[12.5])
    assert nv.share_paragraph(t, "溧阳市", 2015, 2020).startswith("2015—2020年，在一项可加总指标中，溧阳市占全市比重上升")
    t.attrs["city_missing"] = True
    assert nv.share_paragraph(t.iloc[0:0], "溧阳市", 2015, 2020) == "无法计算溧阳市占全市比重：数据中没有常州市的合计数。"
    assert nv.gap_trend_sentence("pct_applications", "溧阳市", 2015, 2020, -40, -10).startswith(
        "溧阳市PCT国际专利申请量由2015年低于常州平均40.0%")
    from liyang_ip.report import export

    assert export.report_labels("zh")[0]["kicker"] == "常州市知识产权发展分析"
    assert export.report_labels("zh")[1]["peers"] == "对标板块"
    assert export.LABELS["en"]["focus"] == "Focus block"


def _sentences(rs: str, lang: str) -> list[str]:
    """Every prose function that names the geography, for set `rs`, on hand-made frames."""
    r = registry.region_set(rs)
    focus, other = r.members[0], r.members[1]
    gaps = _frame(rs, indicator=["pct_applications"], year=[2023], value=[30.0], rank=[2], n=[3],
                  city_avg=[20.0], gap_city_pct=[50.0])
    alone = _frame(rs, indicator=["pct_applications"], year=[2023], value=[30.0], rank=[float("nan")], n=[1])
    changes = _frame(rs, indicator=["pct_applications"], against=["city"], shortfall_start=[10.0],
                     shortfall_end=[-5.0], improved=[True])
    changes.attrs["materiality"] = 1.0
    share = _frame(rs, indicator=["pct_applications"], share_start=[10.0], share_end=[12.5])
    no_city = _frame(rs, indicator=[], share_start=[], share_end=[])
    no_city.attrs["city_missing"] = True
    cv = _frame(rs, indicator=["pct_applications"] * 2, year=[2019, 2023], cv=[0.5, 0.4], complete=[True, True])
    robust = pd.DataFrame({"median_rank": [2.0], "rank_lo": [1], "rank_hi": [3], "best_rank": [1],
                           "worst_rank": [3]}, index=[focus])
    robust.attrs.update(region_set=rs, n_variants=10, level=0.9, indicators=["pct_applications"])
    proposals = _frame(rs, indicator=["pct_applications"], proposed=[50.0], bench_projected=[60.0],
                       focus_trend=[45.0], plan_target=[float("nan")], binding=["cap"], benchmark_kind=["others"])
    attrs = {"region_set": rs, "weights": {"pct_applications": 1.0}, "dropped": [], "constant": ["gdp"],
             "ties": {"satisfaction": (1.0, 2.0)}, "excluded": ["patent_applications"]}
    from liyang_ip.params import validate_params

    p = validate_params(focus=focus, peers=[other], region_set=rs)
    return [
        *nv.benchmark_sentences(gaps, focus, lang),
        nv.benchmark_paragraph(gaps, changes, focus, 2019, 2023, lang),
        nv.benchmark_paragraph(alone, None, focus, 2019, 2023, lang),
        *nv.gap_change_sentences(changes, focus, 2019, 2023, lang),
        nv.share_paragraph(share, focus, 2019, 2023, lang),
        nv.share_paragraph(no_city, focus, 2019, 2023, lang),
        nv.sigma_paragraph(cv, 2019, 2023, lang),
        nv.composite_robust_paragraph(robust, focus, lang),
        nv.composite_robust_paragraph(None, focus, lang, region_set=rs),
        nv.composite_note(attrs, lang),
        *nv.proposed_target_sentences(proposals, focus, 2025, 0.5, lang),
        nv.params_line(p, lang, region_set=rs),
    ]


@pytest.mark.parametrize("rs", ["china", "jiangsu"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_changzhou_words_in_other_sets(rs, lang):
    text = "\n".join(_sentences(rs, lang))
    for word in CHANGZHOU_WORDS[lang]:
        assert word not in text, f"{rs} {lang}: {word!r} in\n{text}"
    r = registry.region_set(rs)
    assert r.words(lang)["average"] in text  # the set's own benchmark is named
    assert r.unit_word(lang) in text


def test_changzhou_sentences_keep_their_words():
    text = "\n".join(_sentences("changzhou", "zh"))
    for words in ("比常州平均高10件（高50.0%）", "数据中没有其他板块的数值", "占全市比重", "板块间变异系数",
                  "各板块最大相差", "与常州平均之比", "主要反映板块规模", "超过各板块历史增速上限",
                  "焦点板块：溧阳市；比较板块：金坛区", "缩小与其他板块平均（预计60件）差距的50%", "无法计算溧阳市占全市比重：数据中没有常州市的合计数"):
        assert words in text, words


@pytest.mark.parametrize("rs", ["china", "jiangsu"])
@pytest.mark.parametrize("lang", wording.LANGS)
def test_every_template_with_another_sets_words_has_no_changzhou_word(rs, lang):
    """The wording files hold no place words of their own: every template rendered with the set's words
    (and neutral hand-made values) is free of the default set's words."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("_wording_values", Path(__file__).with_name("test_wording.py"))
    tw = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tw)
    VALUES, FLIPPED = tw.VALUES, tw.FLIPPED
    r = registry.region_set(rs)
    neutral = VALUES | {
        "geo": r.words(lang), "region": r.members[0], "focus": r.members[0], "peers": r.members[1:3],
        "reference": wording.render("references.city", lang, geo=r.words(lang)), "parent": r.parent,
        "publisher": "国家知识产权局", "titles": ["国家知识产权局《统计年报》"], "n_blocks": r.n_members,
    }
    for key in wording.keys(lang):
        for values in (neutral, neutral | FLIPPED):
            text = wording.render(key, lang, **values)
            for word in CHANGZHOU_WORDS[lang]:
                assert word not in text, f"{lang}.yaml {key} with set {rs}: {word!r} in {text!r}"


def test_chart_and_table_words_follow_the_region_set():
    from liyang_ip.charts import tables
    from liyang_ip.charts.base import chart_label, unit_label

    zh = tables.column_labels("zh", "china")
    assert (zh["share_start"], zh["city_avg"], zh["gap_city_pct"], zh["median"]) == (
        "期初占全国比重（%）", "全国平均", "与全国平均之差（%）", "省份中位数")
    en = tables.column_labels("en", "jiangsu")
    assert (en["city_avg"], en["gap_city"], en["complete"]) == ("Jiangsu average", "Gap to Jiangsu average",
                                                                "All cities present")
    cz = tables.column_labels("zh")  # the default set, as before
    assert (cz["share_start"], cz["gap_city"], cz["leader"], cz["city_value"]) == (
        "期初占全市比重（%）", "与常州平均之差", "领先板块", "常州市数值")
    assert tables.column_labels("en")["city_avg"] == "Changzhou average"
    assert unit_label("others", "zh", "china") == "其他省份" and unit_label("average", "en", "china") == "national average"
    assert unit_label("all", "zh") == "各板块"
    geo = registry.region_set("jiangsu").words("zh")
    assert chart_label("rank_title", "zh", name="PCT国际专利申请量", geo=geo) == "PCT国际专利申请量：各设区市排名"
