"""Tables for reports: catalogue labels, units and consistent rounding instead of raw DataFrames."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:  # pragma: no cover
    pass

from .base import _set_of, _t, indicator_name, pillar_name, region_name

COLUMN_LABELS = {
    "indicator": ("指标", "Indicator"),
    "region": ("地区", "Region"),
    "unit": ("单位", "Unit"),
    "year": ("年份", "Year"),
    "value": ("数值", "Value"),
    "value_start": ("期初值", "Start value"),
    "value_end": ("期末值", "End value"),
    "increment": ("增量", "Increment"),
    "cagr": ("年均增速（%）", "CAGR (%)"),
    "share_start": ("期初占全市比重（%）", "Share of city, start (%)"),
    "share_end": ("期末占全市比重（%）", "Share of city, end (%)"),
    "n_years": ("有数据年数", "Years with data"),
    "missing_years": ("缺失年份", "Missing years"),
    "note": ("说明", "Note"),
    "target": ("目标值", "Target"),
    "attainment": ("完成度（%）", "Attainment (%)"),
    "met": ("是否达标", "Met"),
    "rank": ("排名", "Rank"),
    "score": ("得分", "Score"),
    "mape": ("回测MAPE（%）", "Backtest MAPE (%)"),
    "method": ("方法", "Method"),
    "lower": ("区间下限", "Lower"),
    "upper": ("区间上限", "Upper"),
    "share": ("覆盖率", "Coverage"),
    "years_covered": ("有数据年数", "Years covered"),
    "years_total": ("应有年数", "Years asked"),
    "first_year": ("首年", "First year"),
    "last_year": ("末年", "Last year"),
    "title": ("名称", "Title"),
    "publisher": ("发布机构", "Publisher"),
    "url": ("网址", "URL"),
    "accessed": ("访问日期", "Accessed"),
    "source_id": ("来源编号", "Source id"),
    "n": ("比较地区数", "Regions compared"),
    # {parent}, {average}, {unit} are filled from the region set (format_table's region_set).
    "city_value": ("{parent}数值", "{parent} figure"),
    "city_avg": ("{average}", "{Average}"),
    "gap_city": ("与{average}之差", "Gap to {average}"),
    "gap_city_pct": ("与{average}之差（%）", "Gap to {average} (%)"),
    "median": ("{unit}中位数", "Median {unit}"),
    "gap_median_pct": ("与中位数之差（%）", "Gap to median (%)"),
    "leader": ("领先{unit}", "Leader"),
    "leader_value": ("领先值", "Leader value"),
    "gap_leader_pct": ("与领先{unit}之差（%）", "Gap to leader (%)"),
    "mean": ("均值", "Mean"),
    "cv": ("变异系数", "Coefficient of variation"),
    "complete": ("各{unit}齐全", "All {units} present"),
    "base_year": ("基期", "Base year"),
    "base_value": ("基期值", "Base value"),
    "required_growth": ("所需年均增速（%）", "Required growth (%/yr)"),
    "projected_growth": ("预测年均增速（%）", "Projected growth (%/yr)"),
    "projected": ("预测值", "Projected"),
    "probability": ("达标概率", "Probability of reaching"),
    "on_track": ("预计达标", "On track"),
    "methods_reaching": ("达到目标的方法数", "Methods reaching"),
    "methods_fitted": ("方法总数", "Methods fitted"),
    "verdict": ("判断", "Verdict"),
    "focus_base": ("基期值", "Base value"),
    "bench_base": ("基期基准值", "Benchmark, base year"),
    "shortfall_base": ("基期差距（%）", "Base-year shortfall (%)"),
    "bench_projected": ("基准预测值", "Benchmark projected"),
    "focus_trend": ("趋势预测值", "Trend projection"),
    "gap_rule": ("缩差规则值", "Gap-rule value"),
    "proposed": ("建议目标", "Proposed target"),
    "binding": ("决定因素", "Binding rule"),
    "plan_target": ("规划目标", "Plan target"),
    "trend_growth": ("趋势年均增速（%）", "Trend growth (%/yr)"),
    "against": ("比较基准", "Benchmark"),
    "shortfall_start": ("期初差距（%）", "Shortfall, start (%)"),
    "shortfall_end": ("期末差距（%）", "Shortfall, end (%)"),
    "change": ("变化（百分点）", "Change (pp)"),
    "improved": ("差距缩小", "Gap narrowed"),
    "status": ("状态", "Status"),
    "topsis": ("TOPSIS贴近度", "TOPSIS closeness"),
    "topsis_rank": ("TOPSIS排名", "TOPSIS rank"),
    "minmax": ("min-max得分", "Min-max score"),
    "minmax_rank": ("min-max排名", "Min-max rank"),
    "nominal_rank": ("基准排名", "Nominal rank"),
    "median_rank": ("排名中位数", "Median rank"),
    "feasibility": ("可行性校验", "Feasibility check"),
    "latest_year": ("最新年份", "Latest year"),
    "latest_value": ("最新实际值", "Latest actual"),
    "latest_note": ("数据性质", "Figure"),
    "time_share": ("时序进度（%）", "Time elapsed (%)"),
    "progress": ("目标进度（%）", "Progress (%)"),
    "status_label": ("完成情况", "Status"),
    "projected_at_start": ("期初预测值", "Projected at the start"),
    "projection_error": ("预测误差（%）", "Projection error (%)"),
    "rank_lo": ("排名区间下限", "Rank interval low"),
    "rank_hi": ("排名区间上限", "Rank interval high"),
}


def _decimals(col: pd.Series) -> int:
    mag = col.abs().median() if col.notna().any() else 0
    return 0 if mag >= 100 else 1 if mag >= 10 else 2


def column_words(lang: str = "zh", region_set=None) -> dict[str, str]:
    """The words COLUMN_LABELS' placeholders take from a region set: parent, average, unit, units."""
    from liyang_ip import registry

    rs = registry.region_set(region_set)
    avg = rs.average_label(lang)
    return {"parent": region_name(rs.parent, lang), "average": avg, "Average": avg[:1].upper() + avg[1:],
            "unit": rs.unit_word(lang), "units": rs.unit_word(lang, plural=True)}


def format_table(
    df: pd.DataFrame,
    lang: str = "zh",
    columns: Sequence[str] | None = None,
    labels: dict[str, str] | None = None,
    decimals: int | None = None,
    region_set=None,
) -> pd.DataFrame:
    """A copy of a result frame for display: codes → names, column labels in ``lang``, rounded numbers.

    Labels that name the geography (parent figure, parent average, median member) use the words of
    `region_set` (a RegionSet, bundled name or path; default the default set).

    A named index (e.g. ``region``) becomes a column first, so ``columns`` may name it. Indicator codes,
    region names and method names become display names; column names are translated with
    :data:`COLUMN_LABELS` (extra or overriding ``labels`` win); floats are rounded (``decimals``, or by
    magnitude). NaN stays NaN.
    """
    out = df.copy()
    if isinstance(out.index, pd.MultiIndex) or out.index.name is not None:
        out = out.reset_index()
    if columns is not None:
        out = out[[c for c in columns if c in out.columns]]
    out = out.reset_index(drop=True)
    if "indicator" in out.columns:
        out["indicator"] = [indicator_name(c, lang) for c in out["indicator"]]
    if "region" in out.columns:
        out["region"] = [region_name(r, lang) for r in out["region"]]
    if "method" in out.columns:
        out["method"] = [method_label(m, lang) for m in out["method"]]
    if "pillar" in out.columns:
        out["pillar"] = [pillar_name(p, lang) for p in out["pillar"]]
    for c in out.columns:
        if pd.api.types.is_float_dtype(out[c]):
            col = out[c].astype(float)
            out[c] = col.round(decimals if decimals is not None else _decimals(col))
    words = column_words(lang, _set_of(region_set, df))
    names = {k: (en if lang == "en" else zh).format(**words) for k, (zh, en) in COLUMN_LABELS.items()}
    names.update(labels or {})
    return out.rename(columns=names)


def table(
    df: pd.DataFrame,
    lang: str = "zh",
    columns: Sequence[str] | None = None,
    labels: dict[str, str] | None = None,
    decimals: int | None = None,
    demo: bool = False,
    region_set=None,
):
    """:func:`format_table` as a pandas Styler for notebooks and reports: no index column, numbers with
    thousands separators and the rounding of :func:`format_table`, booleans as 是/否 (yes/no), missing
    values as "—". An empty frame gives a one-line "（无）/ (none)" note instead of a bare header.

    With ``demo=True`` (figures from the synthetic demo panel) the table carries a visible caption
    "演示数据 / demo data", as every chart made from demo data does."""
    if df is None or len(df) == 0:
        from IPython.display import Markdown

        return Markdown(_t(lang, "（无）", "(none)"))
    shown = format_table(df, lang, columns, labels, decimals, region_set)
    yes, no = ("yes", "no") if lang == "en" else ("是", "否")
    fmt = {}
    for c in shown.columns:
        col = shown[c]
        if pd.api.types.is_bool_dtype(col):
            fmt[c] = lambda v, yes=yes, no=no: "—" if pd.isna(v) else (yes if v else no)
        elif pd.api.types.is_float_dtype(col):
            d = decimals if decimals is not None else _decimals(col.astype(float))
            fmt[c] = lambda v, d=d: "—" if pd.isna(v) else f"{v:,.{d}f}"
    # escape: text from a user's data (source titles, notes, URLs) is shown as text, never run as HTML.
    styler = (shown.style.hide(axis="index").format(fmt, na_rep="—", escape="html")
              .format_index(escape="html", axis=1))
    # Numbers stay on one line when a wide table is fitted to the page (the text columns wrap).
    numeric = [i for i, c in enumerate(shown.columns)
               if pd.api.types.is_numeric_dtype(shown[c]) and not pd.api.types.is_bool_dtype(shown[c])]
    if numeric:
        styler = styler.set_table_styles(
            [{"selector": f"td.col{i}", "props": "white-space: nowrap;"} for i in numeric], overwrite=False)
    if demo:
        styler = styler.set_caption(DEMO_TABLE_CAPTION).set_table_styles(
            [{"selector": "caption", "props": "caption-side: top; color: #b2182b; font-weight: bold; text-align: left;"}],
            overwrite=False,
        )
    return styler


#: Caption of tables made from demo data (the charts' watermark, in words).
DEMO_TABLE_CAPTION = "演示数据 / demo data（合成数字，非真实统计 / synthetic, not real statistics）"


METHOD_LABELS = {
    "cagr": ("年均增速延续", "CAGR continuation"),
    "linear": ("线性趋势", "Linear trend"),
    "loglinear": ("对数线性趋势", "Log-linear trend"),
    "holt": ("Holt阻尼趋势", "Holt damped trend"),
    "gm11": ("GM(1,1)灰色模型", "GM(1,1) grey model"),
    "ensemble": ("组合预测", "Ensemble"),
}


def method_label(method: str, lang: str = "zh") -> str:
    """Display name of a projection method."""
    zh, en = METHOD_LABELS.get(str(method), (str(method), str(method)))
    return en if lang == "en" else zh
