"""Chart rendering: CJK glyphs from a CJK font (no tofu), demo mark iff demo, integer years, source line."""

from __future__ import annotations

import re
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from fontTools.ttLib import TTFont
from matplotlib import font_manager
from matplotlib.text import Text

from liyang_ip import charts

from .conftest import BLOCKS, CITY

CJK = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _cmap(path) -> set[int]:
    index = getattr(path, "face_index", 0) or 0
    kw = {"fontNumber": index} if str(path).lower().endswith((".ttc", ".otc")) else {}
    font = TTFont(str(path), lazy=True, **kw)
    try:
        return set(font.getBestCmap())
    finally:
        font.close()


_CMAPS: dict[tuple[str, int], set[int]] = {}


def _cmap_cached(path) -> set[int]:
    key = (str(path), getattr(path, "face_index", 0) or 0)
    if key not in _CMAPS:
        _CMAPS[key] = _cmap(path)
    return _CMAPS[key]


def _texts(fig) -> list[Text]:
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


def assert_no_tofu(fig) -> None:
    """Every visible text's characters are in its font files; Chinese ones in the first (CJK) font."""
    fig.canvas.draw()
    texts = _texts(fig)
    for t in texts:
        prop = t.get_fontproperties()
        families = prop.get_family()
        paths = []
        for fam in families:
            p = prop.copy()
            p.set_family(fam)
            paths.append(font_manager.findfont(p, fallback_to_default=False))
        primary = _cmap_cached(paths[0])
        text = t.get_text()
        if CJK.search(text):
            assert all(ord(c) in primary for c in CJK.findall(text)), (
                f"{text!r}: first font {paths[0]} lacks Chinese glyphs"
            )
        covered = set().union(*(_cmap_cached(p) for p in paths))
        missing = [c for c in text if not c.isspace() and ord(c) not in covered]
        assert not missing, f"{text!r}: glyphs {missing} in none of {paths}"


def has_demo_mark(fig, lang: str | None = None) -> bool:
    """The demo watermark is on the figure (in `lang` only, when given: a zh chart carries no English)."""
    marks = [t.get_text() for t in fig.texts if t.get_gid() == "demo-mark"]
    if lang is None:
        return any(m in charts.DEMO_MARKS.values() for m in marks)
    return marks == [charts.demo_mark(lang)]


def source_line(fig) -> str | None:
    for t in fig.texts:
        if t.get_gid() == "source-line" and t.get_text().strip():
            return t.get_text()
    return None


def year_ticks_are_integers(ax, axis="x") -> None:
    fig = ax.get_figure()
    fig.canvas.draw()
    labels = [lab.get_text() for lab in (ax.get_xticklabels() if axis == "x" else ax.get_yticklabels())]
    labels = [s for s in labels if s]
    assert labels, "no year tick labels"
    for s in labels:
        assert re.fullmatch(r"\d{4}", s), f"year tick {s!r} is not an integer year"


def render_all(obs: pd.DataFrame, lang: str = "zh", demo=None) -> dict[str, object]:
    """One figure of each kind from small frames derived from `obs` (status carried through)."""
    status = obs["status"].iloc[0]
    figs = {}
    figs["trend"] = charts.trend_small_multiples(obs, lang=lang)
    ranks = obs[obs["region"] != CITY].copy()
    ranks["rank"] = ranks.groupby(["indicator", "year"])["value"].rank(ascending=False, method="min")
    figs["bump"] = charts.rank_bump(ranks, indicator="pct_applications", lang=lang)
    gaps = pd.DataFrame(
        {
            "indicator": ["invention_patents_per_10k", "pct_applications"] * 2,
            "year": [2015, 2015, 2020, 2020],
            "gap_pct": [-20.0, 10.0, -12.0, 15.0],
            "status": status,
        }
    )
    figs["gap"] = charts.gap_bars(gaps, value_col="gap_pct", lang=lang)
    scores = pd.DataFrame(
        [
            {"region": r, "indicator": c, "score": float((i * 37 + j * 11) % 100), "status": status}
            for i, r in enumerate(BLOCKS)
            for j, c in enumerate(["invention_patents_per_10k", "pct_applications", "gi_trademarks"])
        ]
    )
    figs["heatmap"] = charts.score_heatmap(scores, lang=lang)
    pillars = pd.DataFrame(
        [
            {"region": r, "pillar": p, "score": float((i * 23 + j * 17) % 100), "status": status}
            for i, r in enumerate([*BLOCKS, CITY])
            for j, p in enumerate(["creation", "utilisation", "protection"])
        ]
    )
    figs["dots"] = charts.pillar_dots(pillars, lang=lang)
    comp = pd.DataFrame(
        {
            "region": BLOCKS,
            "rank": [3, 1, 2, 4, 5, 7, 6],
            "median_rank": [3, 1, 2, 4, 5, 7, 6],
            "rank_lo": [2, 1, 1, 3, 4, 6, 5],
            "rank_hi": [5, 2, 3, 6, 6, 7, 7],
            "status": status,
        }
    )
    figs["composite"] = charts.composite_rank_interval(comp, lang=lang)
    proj = pd.DataFrame(
        [
            {
                "year": y,
                "method": m,
                "value": 20.0 + k + (y - 2020),
                "lower": 18.0 + k,
                "upper": 24.0 + k + y - 2020,
            }
            for k, m in enumerate(["linear", "holt", "ensemble"])
            for y in range(2021, 2026)
        ]
    )
    targets = pd.DataFrame({"year": [2025, 2025], "value": [26.0, 28.0], "label": ["规划目标", "建议目标"]})
    backtest = pd.DataFrame({"method": ["linear", "holt", "ensemble"], "mape": [4.0, 3.0, 2.5]})
    figs["fan"] = charts.projection_fan(
        obs,
        proj,
        indicator="invention_patents_per_10k",
        targets=targets,
        backtest=backtest,
        lang=lang,
    )
    return figs


YEAR_AXES = {"trend": "x", "bump": "x", "fan": "x"}


def test_a_cjk_font_is_installed_and_resolved():
    family = charts.resolve_cjk_font(strict=True)
    assert family in charts.CJK_FONT_CANDIDATES
    path = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    cmap = _cmap(path)
    assert all(ord(c) in cmap for c in "溧阳市演示数据每万人口发明专利拥有量")


def test_style_sets_cjk_first_and_ascii_minus():
    rc = charts.style_rc()
    assert rc["font.family"][0] in charts.CJK_FONT_CANDIDATES
    assert rc["font.family"][-1] == charts.LATIN_FALLBACK
    assert rc["axes.unicode_minus"] is False


def test_missing_cjk_font_warns_or_raises(monkeypatch):
    from liyang_ip.charts import base

    monkeypatch.setattr(base, "CJK_FONT_CANDIDATES", ("No Such Font Family",))
    monkeypatch.setattr(base, "find_cjk_fonts", lambda candidates=None: [])
    with pytest.warns(charts.CJKFontWarning, match="fonts-noto-cjk"):
        assert charts.resolve_cjk_font() is None
    with pytest.raises(charts.CJKFontNotFoundError, match="No CJK font"):
        charts.resolve_cjk_font(strict=True)


def test_find_cjk_fonts_skips_fonts_without_chinese_glyphs():
    assert "DejaVu Sans" not in charts.find_cjk_fonts(("DejaVu Sans", *charts.CJK_FONT_CANDIDATES))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_chart_renders_without_tofu_and_with_demo_mark(obs_demo, lang):
    with warnings.catch_warnings():
        # matplotlib warns "Glyph … missing from font(s)" when it would draw a box.
        warnings.filterwarnings("error", message=".*missing from.*font")
        figs = render_all(obs_demo, lang=lang)
        for name, fig in figs.items():
            assert_no_tofu(fig)
            if lang == "zh":
                assert any(CJK.search(t.get_text()) for t in _texts(fig)), f"{name}: no Chinese text"
            assert has_demo_mark(fig, lang), name
            src = source_line(fig)
            assert src, f"{name}: no source line"
            assert ("演示数据" in src) if lang == "zh" else ("demo data" in src), name
            if name in YEAR_AXES:
                year_ticks_are_integers(fig.axes[0], YEAR_AXES[name])


def test_tofu_check_catches_a_latin_only_font(obs_demo):
    # The checker itself must fail when Chinese is drawn with a font that has no Chinese glyphs.
    with plt.rc_context({"font.family": ["DejaVu Sans"]}):
        fig, ax = plt.subplots()
        ax.set_title("溧阳市")
    with pytest.raises(AssertionError, match="lacks Chinese glyphs"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert_no_tofu(fig)


def test_chinese_labels_come_from_the_catalogue(obs_demo):
    fig = charts.trend_small_multiples(obs_demo, indicators=["invention_patents_per_10k"])
    texts = {t.get_text() for t in _texts(fig)}
    assert "每万人口发明专利拥有量" in texts
    assert "件/万人" in {ax.get_ylabel() for ax in fig.axes}
    assert "溧阳市" in texts  # legend entry of the focus block
    en = charts.trend_small_multiples(obs_demo, indicators=["invention_patents_per_10k"], lang="en")
    en_texts = {t.get_text() for t in _texts(en)}
    assert "Invention patents held per 10k residents" in en_texts
    assert "Liyang" in en_texts


def test_no_demo_mark_on_real_data(obs_real, sources):
    figs = render_all(obs_real)
    for name, fig in figs.items():
        assert not has_demo_mark(fig), name
    src = source_line(charts.trend_small_multiples(obs_real, sources=sources))
    assert "常州市统计局《常州统计年鉴2021》" in src
    assert "演示" not in src


def test_demo_mark_follows_any_demo_row(obs_real):
    mixed = obs_real.copy()
    mixed.loc[mixed.index[-1], "status"] = "demo"  # one demo figure among official ones
    assert has_demo_mark(charts.trend_small_multiples(mixed))
    # Outside the plotted selection the demo row does not count.
    only_first = charts.trend_small_multiples(mixed, indicators=["invention_patents_per_10k"])
    assert not has_demo_mark(only_first)


def test_demo_flag_overrides_and_attrs():
    comp = pd.DataFrame({"region": BLOCKS[:2], "median_rank": [1, 2], "rank_lo": [1, 1], "rank_hi": [2, 2]})
    assert not has_demo_mark(charts.composite_rank_interval(comp))
    assert has_demo_mark(charts.composite_rank_interval(comp, demo=True))
    flagged = comp.copy()
    flagged.attrs["is_demo"] = True
    assert has_demo_mark(charts.composite_rank_interval(flagged))


def test_year_ticks_integer_over_long_and_short_ranges(obs_real):
    for years in [(2019, 2020), (2015, 2020)]:
        fig = charts.trend_small_multiples(obs_real, indicators=["pct_applications"], years=years)
        year_ticks_are_integers(fig.axes[0])
        plt.close(fig)
    hist = obs_real[(obs_real.region == "溧阳市") & (obs_real.indicator == "pct_applications")]
    proj = pd.DataFrame({"year": range(2021, 2036), "method": "linear", "value": np.linspace(20, 40, 15)})
    fan = charts.projection_fan(hist, proj, indicator="pct_applications")
    year_ticks_are_integers(fan.axes[0])
    ticks = [int(t.get_text()) for t in fan.axes[0].get_xticklabels() if t.get_text()]
    assert len(set(ticks)) == len(ticks)


def test_focus_block_is_highlighted(obs_real):
    fig = charts.trend_small_multiples(obs_real, indicators=["pct_applications"], focus="金坛区")
    ax = fig.axes[0]
    focus_lines = [ln for ln in ax.get_lines() if ln.get_color() == charts.FOCUS_COLOR]
    assert len(focus_lines) == 1
    x, y = focus_lines[0].get_data()
    jintan = obs_real[(obs_real.region == "金坛区") & (obs_real.indicator == "pct_applications")]
    assert list(y) == list(jintan.sort_values("year")["value"])
    assert focus_lines[0].get_linewidth() > max(
        ln.get_linewidth() for ln in ax.get_lines() if ln not in focus_lines
    )


def test_missing_data_is_not_filled(obs_real):
    gappy = obs_real[~((obs_real.region == "溧阳市") & (obs_real.year == 2017))]
    fig = charts.trend_small_multiples(gappy, indicators=["pct_applications"])
    line = next(ln for ln in fig.axes[0].get_lines() if ln.get_color() == charts.FOCUS_COLOR)
    assert 2017 not in list(line.get_xdata())


def test_bad_input_gives_clear_errors(obs_real):
    with pytest.raises(ValueError, match="missing column"):
        charts.rank_bump(pd.DataFrame({"region": ["溧阳市"], "year": [2020]}))
    ranks = obs_real.assign(rank=1)
    with pytest.raises(ValueError, match="pass indicator"):
        charts.rank_bump(ranks)


def _says_no_data(fig) -> bool:
    fig.canvas.draw()
    return any(
        "没有" in t.get_text() or "No data" in t.get_text() or "无数据" in t.get_text() for t in _texts(fig)
    )


def test_empty_selections_give_a_no_data_figure(obs_real):
    # A gap is reported, not an error that stops a notebook run on a sparse dataset.
    fig = charts.trend_small_multiples(obs_real, indicators=["pct_applications"], years=(1990, 1991))
    assert _says_no_data(fig) and source_line(fig)
    empty = pd.DataFrame(columns=["region", "year", "indicator", "rank"])
    assert _says_no_data(charts.rank_bump(empty))
    assert _says_no_data(charts.rank_bump(None))
    nan_gaps = pd.DataFrame({"indicator": ["pct_applications"], "year": [2020], "gap_median_pct": [np.nan]})
    assert _says_no_data(charts.gap_bars(nan_gaps, value_col="gap_median_pct"))
    assert _says_no_data(charts.score_heatmap(None))
    assert _says_no_data(charts.pillar_dots(None))
    assert _says_no_data(charts.composite_rank_interval(None, demo=True))
    assert has_demo_mark(charts.composite_rank_interval(None, demo=True))
    no_hist = obs_real.iloc[:0]
    no_proj = pd.DataFrame({"year": [2021], "method": ["linear"], "value": [np.nan]})
    assert _says_no_data(charts.projection_fan(no_hist, no_proj, indicator="pct_applications"))


def test_panel_without_data_says_so(obs_real):
    fig = charts.trend_small_multiples(obs_real, indicators=["pct_applications", "gi_trademarks"])
    fig.canvas.draw()
    second = fig.axes[1]
    assert second.get_title() == "地理标志商标"
    assert any(t.get_text() == "无数据" for t in second.texts)


def test_source_text_names_sources_and_derived_rows(sources):
    df = pd.DataFrame({"source_id": ["czstats-2021", "derived"], "status": ["official", "derived"]})
    zh = charts.source_text(df, sources=sources)
    assert zh.startswith("资料来源：常州市统计局《常州统计年鉴2021》")
    assert "比值由上述总量计算" in zh
    en = charts.source_text(df, sources=sources, lang="en", demo=True)
    assert en.startswith("Source: 常州市统计局, 常州统计年鉴2021")
    assert "demo data are synthetic" in en


def test_charts_do_not_touch_global_rcparams(obs_demo):
    before = plt.rcParams["font.family"]
    charts.trend_small_multiples(obs_demo)
    assert plt.rcParams["font.family"] == before


def test_coverage_heatmap_in_percent_with_demo_flag():
    cov = pd.DataFrame(
        {
            "indicator": ["pct_applications", "pct_applications", "ip_talent", "ip_talent"],
            "region": ["溧阳市", "金坛区", "溧阳市", "金坛区"],
            "share": [1.0, 0.5, 1.0, 0.0],
        }
    )
    fig = charts.coverage_heatmap(cov, demo=True)
    assert has_demo_mark(fig)
    assert source_line(fig)
    annotations = {t.get_text() for t in fig.axes[0].texts}
    assert {"100", "50", "0"} <= annotations  # shares shown in percent
    assert not has_demo_mark(charts.coverage_heatmap(cov, demo=False))
    assert_no_tofu(fig)


def test_target_markers_from_plan_and_proposals():
    plan = pd.DataFrame(
        {
            "region": ["溧阳市", "溧阳市", "金坛区"],
            "indicator": ["pct_applications"] * 3,
            "year": [2025, 2027, 2025],
            "value": [10.6, 12.0, 9.0],
        }
    )
    prop = pd.DataFrame({"indicator": ["pct_applications", "ip_talent"], "proposed": [22.4, 368.0]})
    m = charts.target_markers("pct_applications", plan=plan, proposed=prop, region="溧阳市", year=2025)
    assert m.to_dict("records") == [
        {"year": 2025, "value": 10.6, "label": "规划目标"},
        {"year": 2025, "value": 22.4, "label": "建议目标"},
    ]
    assert charts.target_markers("gdp", plan=plan, proposed=prop, year=2025).empty


def test_format_table_translates_codes_and_columns():
    df = pd.DataFrame(
        {"indicator": ["pct_applications"], "region": ["溧阳市"], "cagr": [12.3456], "value_end": [1234.5]}
    )
    zh = charts.format_table(df)
    assert list(zh.columns) == ["指标", "地区", "年均增速（%）", "期末值"]
    assert zh.iloc[0].tolist() == ["PCT国际专利申请量", "溧阳市", 12.3, 1234.0]
    en = charts.format_table(df, "en", columns=["indicator", "cagr"])
    assert list(en.columns) == ["Indicator", "CAGR (%)"]
    assert en.iloc[0, 0] == "PCT international applications"
    assert df.loc[0, "indicator"] == "pct_applications"  # input not mutated


def test_charts_take_analysis_frames_with_region_index():
    regions = BLOCKS[:4]
    unc = pd.DataFrame(
        {
            "nominal_rank": [2, 1, 3, 4],
            "median_rank": [2.0, 1.0, 3.0, 4.0],
            "rank_lo": [1, 1, 2, 3],
            "rank_hi": [3, 2, 4, 4],
        },
        index=pd.Index(regions, name="region"),
    )
    fig = charts.composite_rank_interval(unc, demo=True)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["金坛区", "溧阳市", "武进区", "新北区"]
    scores = pd.DataFrame(
        {
            "topsis": [0.2, 0.7, 0.5, 0.1],
            "creation": [10.0, 90.0, 50.0, 0.0],
            "talent": [20.0, 80.0, 40.0, 5.0],
            "minmax_rank": [3, 1, 2, 4],
        },
        index=pd.Index(regions, name="region"),
    )
    heat = charts.score_heatmap(scores, column="pillar")
    assert [t.get_text() for t in heat.axes[0].get_xticklabels()] == ["创造", "人才"]  # topsis/rank left out
    dots = charts.pillar_dots(scores)
    assert [t.get_text() for t in dots.axes[0].get_yticklabels()] == ["创造", "人才"]


def test_table_hides_index_and_formats_numbers():
    df = pd.DataFrame(
        {
            "indicator": ["pct_applications", "ip_talent"],
            "year": [2020, 2020],
            "value_end": [12345.6, 199.0],
            "on_track": pd.array([True, pd.NA], dtype="boolean"),
        }
    )
    html = charts.table(df).to_html()
    assert "12,346" in html and "2020" in html and "2,020" not in html
    assert "是" in html and "—" in html
    assert "PCT国际专利申请量" in html and "年份" in html
    assert 'class="row_heading' not in html  # no index column
    named = pd.DataFrame({"rank": [1]}, index=pd.Index(["溧阳市"], name="region"))
    assert list(charts.format_table(named, columns=["region", "rank"]).columns) == ["地区", "排名"]


def test_table_of_nothing_says_none():
    out = charts.table(pd.DataFrame(columns=["indicator", "share"]))
    assert out.data == "（无）"
    assert charts.table(None, "en").data == "(none)"


def test_table_from_demo_data_carries_a_visible_demo_caption():
    df = pd.DataFrame({"indicator": ["pct_applications"], "value": [12.0]})
    marked = charts.table(df, demo=True).to_html()
    assert "<caption>" in marked and "演示数据（合成数字，非真实统计）" in marked
    assert "demo" not in marked.lower().replace('class="', "")  # one language: no English in a Chinese table
    assert "Demo data (synthetic, not real statistics)" in charts.table(df, "en", demo=True).to_html()
    assert "演示" not in charts.table(df, "en", demo=True).to_html()
    assert "演示数据" not in charts.table(df).to_html()  # real data: no mark


def test_trend_marks_estimated_figures(obs_demo):
    est = obs_demo.copy()
    last = (est["region"] == "溧阳市") & (est["year"] == 2020)
    est.loc[last, "note"] = "预计数（演示数据）"
    fig = charts.trend_small_multiples(est, indicators=["invention_patents_per_10k"])
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert any(t.endswith("（预计）") for t in texts)
    assert "预计数" in [t.get_text() for leg in fig.legends for t in leg.get_texts()]
    plain = charts.trend_small_multiples(obs_demo, indicators=["invention_patents_per_10k"])
    assert not any("预计" in t.get_text() for ax in plain.axes for t in ax.texts)
    assert "预计数" not in [t.get_text() for leg in plain.legends for t in leg.get_texts()]


def test_table_and_sentence_show_the_same_digits():
    """A figure reads the same in a report table and in the sentence about it: both go through the prose
    formatter (≥ 100: no decimals, 10–100: one, below 10: two; whole counts without decimals; per cent
    with one decimal). Expected texts written by hand from the rule."""
    from liyang_ip import narrative

    rows = pd.DataFrame({
        "indicator": ["invention_patents_per_10k", "ip_pledge_amount", "ip_talent"],
        "unit": ["件/万人", "万元", "人"],
        "value_start": [8.334, 13917.4, 199.0],
        "value_end": [19.946, 72288.46, 302.0],
        "cagr": [19.07, 39.04, 8.6951],
    })
    cells = charts.display_frame(rows, columns=["indicator", "value_start", "value_end", "cagr"])
    assert cells.iloc[:, 1:].values.tolist() == [["8.33", "19.9", "19.1"], ["13,917", "72,288", "39.0"],
                                                 ["199", "302", "8.7"]]
    html = charts.table(rows).to_html()
    for _, r in rows.iterrows():
        sentence = narrative.change_sentence(r["indicator"], "溧阳市", 2020, 2025, r["value_start"], r["value_end"],
                                             r["cagr"])
        shown = [c for c in cells[cells["指标"] == charts.format_table(r.to_frame().T)["指标"][0]].iloc[0, 1:]]
        for text in shown:
            assert text in sentence and f">{text}<" in html, (text, sentence)


def test_rounded_and_text_tables_share_names_labels_and_selection():
    # format_table (numbers rounded) and display_frame (numbers as text) are one set-up: the same rows,
    # names and column labels from a region index, a selection that leaves the unit out and English.
    df = pd.DataFrame({"indicator": ["ip_talent", "pct_applications"], "unit": ["人", "件"],
                       "value_end": [302.0, 12.345], "leader": ["金坛区", "溧阳市"]},
                      index=pd.Index(["溧阳市", "金坛区"], name="region"))
    cols = ["region", "indicator", "value_end", "leader"]
    rounded, text = charts.format_table(df, "en", columns=cols), charts.display_frame(df, "en", columns=cols)
    assert list(rounded.columns) == list(text.columns) == ["Region", "Indicator", "End value", "Leader"]
    assert rounded["Region"].tolist() == text["Region"].tolist() == ["Liyang", "Jintan"]
    assert rounded["Indicator"].tolist() == text["Indicator"].tolist()
    assert rounded["End value"].tolist() == [302.0, 12.0]  # one rounding per column: median 157 -> 0 decimals
    # The unit (left out by the selection) still decides: 302 people is a whole count.
    assert text["End value"].tolist() == ["302", "12.3"]
    # Text tables also speak English in the other region columns; rounded tables leave them as data.
    assert text["Leader"].tolist() == ["Jintan", "Liyang"] and rounded["Leader"].tolist() == ["金坛区", "溧阳市"]
    assert text.attrs["numeric_positions"] == [2] and "numeric_positions" not in rounded.attrs
    assert df.index.name == "region" and df["value_end"].tolist() == [302.0, 12.345]  # input unchanged


def test_display_frame_years_flags_and_gaps():
    df = pd.DataFrame({"indicator": ["pct_applications", "ip_talent"], "latest_year": [2025.0, float("nan")],
                       "met": [True, None], "progress": [101.24, float("nan")], "rank": [1, 2]})
    out = charts.display_frame(df)
    assert out.to_dict("list") == {"指标": ["PCT国际专利申请量", "知识产权人才"], "最新年份": ["2025", "—"],
                                   "是否达标": ["是", "—"], "目标进度（%）": ["101.2", "—"], "排名": [1, 2]}
    assert charts.display_frame(df, "en")["Met"].tolist() == ["yes", "—"]
    # the columns that held numbers keep them on one line in a report (they are text once formatted)
    css = charts.table(df).to_html().split("</style>")[0]
    assert [c for c in range(5) if f"td.col{c} {{\n  white-space: nowrap;" in css] == [1, 3, 4]
