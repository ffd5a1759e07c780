"""Report wording as data (liyang_ip/wording): every template renders in both languages with hand-made
values, numbers come out through the one formatter, thresholds choose the degree words, and a drafter's
edit to a YAML file changes the sentence without any Python change."""

from __future__ import annotations

import shutil

import jinja2
import jinja2.meta
import pytest

from liyang_ip import narrative as nv
from liyang_ip import wording

# Hand-made values for every variable a template may use.
VALUES = {
    "year": 2020, "start_year": 2015, "end_year": 2020, "target_year": 2025, "start": 2015, "end": 2020,
    "missing_year": 2017, "region": "溧阳市", "name": "有效发明专利拥有量", "unit": "件/万人", "reference": "常州平均",
    "value": 1234.4, "diff": 12.34, "rel": 5.678, "start_value": 100.0, "end_value": 161.05, "cagr": -3.21,
    "ranked": True, "alone": False, "rank": 3, "n_blocks": 7, "compared": True, "equal": False, "above": True, "below": False,
    "up": True, "same": False, "gap": 12.345, "from_position": "甲", "to_position": "乙", "trend": "丙", "degree_word": "明显",
    "method": "熵权TOPSIS", "has_interval": True, "median_rank": 2.0, "rank_lo": 2, "rank_hi": 4, "level_pct": 90,
    "robust": False, "score": 61.27, "n_used": 6, "dropped": ["甲指标"], "constant": ["乙指标"],
    "lower": 1100.2, "upper": 1387.6, "mape": 7.891, "reason": "fewer than four years",
    "target": 1500.0, "required": 8.76, "projected": 1450.3, "reaches": False, "probability": 83.4,
    "proposed": 1480.6, "plan_target": 1520.0, "share_pct": 50.0, "reference_value": 1700.8,
    "trend_value": 1390.1, "trend_binding": True, "is_demo": True, "n_sources": 12, "n_indicators": 9,
    "n_regions": 8, "share": 79.166, "n_missing": 15, "items": [{"name": "地理标志商标", "missing": 5}],
    "n_more": 2, "n_total": 7, "focus": "溧阳市", "peers": ["金坛区", "武进区"], "n": 6, "n_both": 5, "n_grew": 4,
    "fast_name": "PCT国际专利申请量", "fast_cagr": 12.34, "slow_name": "商标注册量", "slow_cagr": -1.23,
    "n_compared": 6, "n_ahead": 2, "best_name": "甲", "best_rank": 1, "worst_name": "乙", "worst_rank": 7,
    "n_narrowed": 3, "n_issues": 4, "n_conflicts": 1, "n_up": 2, "top_name": "丁", "top_share": 23.46,
    "n_met": 3, "n_unknown": 1, "n_fell": 2, "publisher": "常州市统计局", "title": "统计公报",
    "titles": ["常州市统计局《统计公报》"], "derived": True, "demo": True,
    # uncertainty (issue 14): robust composite rank, ties, excluded counts, interval coverage, GM checks, verdicts
    "best": 3, "worst": 7, "n_variants": 1218, "used": ["甲指标"], "names": ["丙指标"], "coverage": 95.24, "horizon": 5,
    "tied": [{"name": "满意度", "unit": "分", "spread": 1.6, "error": 2.0}], "C": 0.1234, "P": 1.0, "grade": 1,
    "ratio_min": 0.9351, "ratio_max": 0.9654, "lo": 0.7515, "hi": 1.3307, "ratio_ok": True, "a": -0.0551,
    "explosive": False, "usable": True, "verdict": "有望达到", "n_reaching": 3, "n_fitted": 4, "likely": 75.0,
    "unlikely": 25.0,
    # plan evaluation and the plan's indicator table ("names" above serves the evaluation too)
    "plan": "“十四五”", "kind": "终期评估", "total": 14, "counts": [("超额完成", 2), ("滞后", 3)],
    "statuses": "official 5, derived 3", "figure": "1,234",
    "label": "滞后", "labels": ["超额完成", "完成", "基本完成", "滞后", "无数据"],
    "exceeded": 110.0, "met": 100.0, "nearly": 90.0, "high": 3, "low": 2, "base_year": 2020,
    "years": ["2022", "2023"], "quantile": 90.0, "cap": 18.24, "parent": "常州市", "mark": "*",
    "shares": [50.0], "capped": [("甲指标", 21.84, 18.24)], "cap_binding": True, "materiality": 1.0,
    # key-industry patent view (notebook 05): counts raw, percentages arrive as the view formats them ("12.5")
    "file_name": "demo_patents.xlsx", "as_of": "2025-06-30", "n_patents": 12345, "n_located": 11000, "rows_read": 12400,
    "rows_left_out": 55, "first_applicant": True, "located_pct": "89.1", "n_classified": 4321, "classified_pct": "35.0",
    "located_reasons": [("地址不全", 1200), ("市外", 145)], "criteria_used": [("海外同族", "同族字段")],
    "criteria_missing": ["获奖"], "n_applications": 2345.0, "city_share": "23.5", "n_held": 678.0, "stock_year": 2024,
    "top_n": 10, "n_rows": 3456, "obs_status": "demo", "obs_years": [2015, 2024], "hv_full": False,
    "basis_label": "按全部IPC分类号计", "extra": "括号内为件数", "what": "专利申请", "incomplete_years": [2024, 2025],
    # region-set words (RegionSet.words) as the default set `changzhou` gives them, typed by hand
    "geo": {"unit": "板块", "units": "板块", "average": "常州平均", "parent": "常州市", "parent_short": "常州",
            "whole": "全市", "all": "七个板块"},
}
GEO_EN = {"unit": "block", "units": "blocks", "average": "the Changzhou average", "parent": "Changzhou",
          "parent_short": "Changzhou", "whole": "the Changzhou total", "all": "seven blocks"}


def _values(lang: str) -> dict:
    return VALUES | {"geo": GEO_EN} if lang == "en" else VALUES
# How each number must appear, by the formatter's rules worked out by hand (≥ 100: no decimals with
# thousands separators; 10–100: one decimal; < 10: two; percentages one decimal).
FORMATTED = {
    "value": "1,234", "diff": "12.3", "rel": "5.7%", "start_value": "100", "end_value": "161", "cagr": "3.2%",
    "gap": "12.3%", "median_rank": "2", "score": "61.3", "lower": "1,100", "upper": "1,388", "mape": "7.9%",
    "target": "1,500", "required": "8.8%", "projected": "1,450", "probability": "83%", "proposed": "1,481",
    "plan_target": "1,520", "share_pct": "50%", "cap": "18.2%", "reference_value": "1,701", "trend_value": "1,390",
    "share": "79.2%", "fast_cagr": "12.3%", "slow_cagr": "1.2%", "top_share": "23.5%", "level_pct": "90%",
    "coverage": "95.2%", "n_patents": "12,345", "rows_read": "12,400", "n_applications": "2,345", "n_rows": "3,456", "C": "0.12", "ratio_min": "0.935", "lo": "0.752", "likely": "75.0%",
}
FLIPPED = {k: (not v) for k, v in VALUES.items() if isinstance(v, bool)} | {
    "n_sources": None, "required": None, "projected": None, "probability": None, "plan_target": None,
    "reference_value": None, "trend_value": None, "cagr": None, "rel": None, "mape": None, "share": None,
    "dropped": [], "constant": [], "titles": [], "publisher": "", "high": 0, "low": 0, "plan": "", "n_more": 0, "n_unknown": 0, "n_issues": 0, "n_conflicts": 0, "method": "",
    "located_reasons": [], "criteria_used": [], "criteria_missing": [], "city_share": None, "n_held": None,
    "obs_years": None, "basis_label": "", "extra": "",
    "coverage": None, "horizon": None, "C": None, "verdict": "", "rank_hi": 2,
}


def _variables(key: str, lang: str) -> set[str]:
    """Variables a template uses (parsed with the wording environment, whose filters it needs)."""
    source = "".join(line.strip() for line in str(_source(key, lang)).splitlines())
    return jinja2.meta.find_undeclared_variables(wording._environment(lang).parse(source))


def _source(key: str, lang: str):
    node = wording.catalogue(lang)
    for part in key.split("."):
        node = node[part]
    return node or ""


def test_both_languages_have_the_same_templates():
    zh = {k for k in wording.keys("zh") if not k.startswith("units.")}
    en = {k for k in wording.keys("en") if not k.startswith("units.")}
    assert zh == en, f"only in zh.yaml: {sorted(zh - en)}; only in en.yaml: {sorted(en - zh)}"
    assert len(zh) > 80


@pytest.mark.parametrize("lang", wording.LANGS)
def test_every_template_renders_with_hand_made_values_and_formatted_numbers(lang):
    for key in wording.keys(lang):
        used = _variables(key, lang)
        assert used <= set(VALUES), f"{lang}.yaml {key}: no test value for {sorted(used - set(VALUES))}"
        text = wording.render(key, lang, **_values(lang))
        if key.startswith("units.") or key.endswith("degree.plain"):
            continue
        assert text, f"{lang}.yaml {key} renders empty"
        for var in used & set(FORMATTED):
            if key in ("composite.sentence",) and var == "median_rank":
                assert "2" in text
                continue
            assert FORMATTED[var] in text, f"{lang}.yaml {key}: {var}={VALUES[var]} should read {FORMATTED[var]}: {text}"
        # the other branches of every condition render too, and nothing unformatted leaks out
        other = wording.render(key, lang, **(_values(lang) | FLIPPED))
        for t in (text, other):
            assert "None" not in t and "nan" not in t and "{" not in t and "\n" not in t, f"{lang}.yaml {key}: {t}"


def test_a_handmade_sentence_in_both_languages():
    zh = wording.render("level.sentence", "zh", **VALUES)
    assert zh == "2020年溧阳市有效发明专利拥有量为1,234件/万人，在七个板块中排名第3，比常州平均高12.3件/万人（高5.7%）。"
    en = wording.render("level.sentence", "en", **(_values("en") | {"name": "Invention patents in force",
                                                              "reference": "the Changzhou average"}))
    assert en == ("In 2020, invention patents in force in 溧阳市 was 1,234 per 10k residents, ranking 3rd of 7 blocks, "
                  "12.3 per 10k residents (5.7%) above the Changzhou average.")


@pytest.mark.parametrize(
    ("change", "degree"), [(0.0, "flat"), (-0.4, "flat"), (0.5, "plain"), (-9.9, "plain"), (10.0, "marked"),
                           (-24.9, "marked"), (25.0, "large"), (-60.0, "large")],
)
def test_degree_follows_the_thresholds_file(change, degree):
    # thresholds.yaml gap_trend: flat 0.5, marked 10, large 25 (percentage points)
    assert wording.degree(change, "gap_trend") == degree


def test_degree_words_in_sentences():
    # 40.0% below → 10.0% below: 30 points ≥ large (25)
    s = nv.gap_trend_sentence("pct_applications", "溧阳市", 2015, 2020, -40, -10)
    assert s.endswith("差距大幅缩小。")
    assert nv.gap_trend_sentence("pct_applications", "溧阳市", 2015, 2020, -40, -10, lang="en").endswith(
        "the gap narrowed sharply.")
    # 20.0% below → 19.7% below: 0.3 points < flat (0.5)
    assert nv.gap_trend_sentence("pct_applications", "溧阳市", 2015, 2020, -20, -19.7).endswith("差距基本未变。")
    # ahead 5% → 17%: lead grew by 12 points ≥ marked (10)
    assert nv.gap_trend_sentence("pct_applications", "溧阳市", 2015, 2020, 5, 17).endswith("领先幅度明显扩大。")
    with pytest.raises(wording.WordingError, match="no thresholds for 'nope'"):
        wording.degree(1.0, "nope")


def test_a_drafter_changes_a_sentence_and_a_threshold_without_python(tmp_path, monkeypatch):
    for f in ("zh.yaml", "en.yaml", "thresholds.yaml"):
        shutil.copy(wording.HERE / f, tmp_path / f)
    zh = (tmp_path / "zh.yaml").read_text(encoding="utf-8")
    assert "narrowed: 差距{{ degree_word }}缩小" in zh
    zh = zh.replace("narrowed: 差距{{ degree_word }}缩小", "narrowed: 与{{ reference }}的差距{{ degree_word }}缩小")
    (tmp_path / "zh.yaml").write_text(zh, encoding="utf-8")
    th = (tmp_path / "thresholds.yaml").read_text(encoding="utf-8").replace("marked: 10.0", "marked: 5.0")
    (tmp_path / "thresholds.yaml").write_text(th, encoding="utf-8")
    monkeypatch.setattr(wording, "HERE", tmp_path)
    wording.reload()
    try:
        s = nv.gap_trend_sentence("pct_applications", "溧阳市", 2015, 2020, -20, -12)  # 8 points ≥ 5
        assert s.endswith("，与常州平均的差距明显缩小。")
    finally:
        monkeypatch.undo()
        wording.reload()
    assert nv.gap_trend_sentence("pct_applications", "溧阳市", 2015, 2020, -20, -12).endswith("，差距缩小。")


def test_errors_name_the_file_and_key():
    with pytest.raises(wording.WordingError, match=r"zh.yaml: no wording for 'level.nope'"):
        wording.render("level.nope", "zh")
    with pytest.raises(wording.WordingError, match=r"en.yaml: template 'level.missing'.*undefined"):
        wording.render("level.missing", "en", year=2020)
    with pytest.raises(wording.WordingError, match="unknown language 'fr'"):
        wording.render("level.missing", "fr")


def test_report_labels_come_from_the_wording_files():
    from liyang_ip.report import export

    assert export.LABELS["zh"]["demo_note"] == wording.text("report.labels.demo_note", "zh")
    assert set(export.LABELS["zh"]) == set(export.LABELS["en"])
    assert export.PARAM_LABELS["en"]["gap_share"] == "Gap-closing share"


def test_zero_counts_read_no_one_not_zero():
    """A count of zero reads 没有一项…, never 零项 (issue 13, Chinese output quality)."""
    zero = {"n_grew": 0, "n_ahead": 0, "n_narrowed": 0, "n_up": 0, "n_met": 0, "n_fell": 0, "n": 4}
    for key, words in [("baseline.summary", "没有一项增长"), ("benchmark.summary", "没有一项优于常州平均"),
                       ("benchmark.narrowed", "没有一项缩小"), ("share.sentence", "没有一项上升"),
                       ("attainment.sentence", "没有一项完成"), ("sigma.sentence", "没有一项下降")]:
        text = wording.render(key, "zh", **(VALUES | zero))
        assert words in text and "零项" not in text, (key, text)
    assert "不足1.0个百分点视为基本持平" in wording.render("benchmark.narrowed", "zh", **VALUES)
    assert "其余四项" in wording.render("sigma.sentence", "zh", **(VALUES | zero))


def test_gm_grades_and_the_dataset_status_are_worded_in_both_languages():
    from liyang_ip.analysis.projection import GM_FAIL, GM_GRADES, gm11

    keys = [g[1] for g in GM_GRADES] + [GM_FAIL[1], "undefined"]
    for lang in wording.LANGS:
        assert all(nv.gm_grade_label(k, lang) for k in keys)
    assert nv.gm_grade_label("qualified") == "二级（合格）"
    assert nv.gm_grade_label("qualified", "en") == "grade 2 (qualified)"
    assert gm11([5.0, 5.0, 5.0, 5.0]).grade_label == "undefined"  # constant series: C, P undefined
    assert wording.render("data_status.label", "zh", is_demo=False, statuses="official 3") == "公开数据（official 3）"
    assert wording.render("data_status.label", "en", is_demo=True, statuses="") == (
        "demo data (synthetic, not real statistics)")


def test_prose_rounds_halves_away_from_zero_like_the_plan_table():
    from liyang_ip.analysis.precision import round_half_up
    from liyang_ip.wording.format import fmt_number, fmt_pct

    # Python's own rounding would give 101.2 and 2.67 (binary floats just below the half); a planning
    # document rounds the typed figure: 101.25 → 101.3, 2.675 → 2.68, 12.25% → 12.3%, -12.35% → -12.4%.
    assert fmt_number(101.25, 1) == "101.3" and fmt_number(2.675) == "2.68" and fmt_number(-2.675) == "-2.68"
    assert fmt_number(1234.5) == "1,235" and fmt_number(-0.004) == "0.00"
    assert fmt_pct(12.25) == "12.3%" and fmt_pct(-12.35) == "-12.4%" and fmt_pct(12.25, signed=True) == "+12.3%"
    assert fmt_pct(-0.04, signed=True) == "0.0%" and fmt_pct(float("inf")) == "—"
    for x in (0.125, 1.005, 101.25, 2.675, 87.65, 19.95):  # the same digits as the plan table's rule
        for d in (0, 1, 2):
            assert float(fmt_number(x, d).replace(",", "")) == round_half_up(x, d)
