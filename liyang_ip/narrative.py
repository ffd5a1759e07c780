"""Prose generated from numbers: short Chinese (or English) paragraphs for the notebooks.

Every number in a sentence comes from an argument; nothing is typed by hand. Functions take plain values
(or small result frames) so they can be tested on hand-made inputs. Missing values (None/NaN) produce a
sentence that says the figure is missing instead of a number.

Formatting: values ≥ 100 without decimals and with thousands separators, 10–100 with one decimal, below 10
with two; percentages with one decimal. Ranks are "第N"; block counts in Chinese numerals (七个板块).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

CN_DIGITS = "零一二三四五六七八九十"

# English renderings of the catalogue units (the catalogue stores Chinese units).
UNIT_EN = {
    "件": "",
    "件/万人": "per 10k residents",
    "万元": "×10k yuan",
    "亿元": "×100m yuan",
    "家": "firms",
    "人": "people",
    "万人": "×10k people",
    "笔": "deals",
    "%": "%",
    "分": "points",
    "个": "",
    "": "",
}


# ------------------------------------------------------------------------------------------ helpers
def _missing(x: Any) -> bool:
    if x is None:
        return True
    try:
        return bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


def fmt_number(x: float | None, decimals: int | None = None) -> str:
    """A number for prose: 1,234 / 37.5 / 2.35; '—' when missing."""
    if _missing(x):
        return "—"
    x = float(x)
    if decimals is None:
        a = abs(x)
        decimals = 0 if a >= 100 else 1 if a >= 10 else 2
    s = f"{x:,.{decimals}f}"
    if s.startswith("-") and float(s[1:].replace(",", "")) == 0:  # no "-0.0"
        s = s[1:]
    return s


COUNT_UNITS = ("件", "家", "人", "笔", "个")


def fmt_value(x: float | None, unit: str = "", lang: str = "zh") -> str:
    """Number with its unit: '37.5件/万人' (zh) or '37.5 per 10k residents' (en); whole counts without
    decimals ('6件')."""
    whole = unit in COUNT_UNITS and not _missing(x) and abs(float(x) - round(float(x))) < 1e-9
    n = fmt_number(x, 0 if whole else None)
    if n == "—":
        return n
    if lang == "en":
        u = UNIT_EN.get(unit, unit)
        if u == "%":
            return f"{n}%"
        return f"{n} {u}".strip()
    return f"{n}{unit}"


def fmt_pct(x: float | None, signed: bool = False) -> str:
    """Percentage with one decimal: '12.3%' ('+12.3%' when signed)."""
    if _missing(x):
        return "—"
    return f"{float(x):+.1f}%" if signed else f"{float(x):.1f}%"


def cn_count(n: int) -> str:
    """Chinese numeral for a count before a measure word: 2 → 两, 7 → 七, 12 → 十二; ≥ 100 stay digits."""
    n = int(n)
    if n == 2:
        return "两"
    if 0 <= n <= 10:
        return CN_DIGITS[n]
    if 10 < n < 20:
        return "十" + CN_DIGITS[n - 10]
    if 20 <= n < 100:
        tens, ones = divmod(n, 10)
        return CN_DIGITS[tens] + "十" + (CN_DIGITS[ones] if ones else "")
    return str(n)


def _ind(code: str, lang: str) -> tuple[str, str]:
    """(display name, unit) from the catalogue; the code and '' when unknown."""
    from liyang_ip import registry

    try:
        i = registry.indicator(code)
    except KeyError:
        return str(code), ""
    return (i.name_en if lang == "en" else i.name_zh), i.unit


def _region(name: str, lang: str) -> str:
    if lang != "en":
        return str(name)
    from liyang_ip import registry

    r = registry.regions().get(name)
    return r.name_en if r and r.name_en else str(name)


def _city(lang: str) -> str:
    return "Changzhou average" if lang == "en" else "常州平均"


def _ordinal(n: int) -> str:
    n = int(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _plural(n: int, word: str) -> str:
    return f"{int(n)} {word}" + ("" if int(n) == 1 else "s")


def _en_name(name: str) -> str:
    """Lower-case the first letter of an English indicator name for use mid-sentence."""
    return name[:1].lower() + name[1:] if name[:2] != name[:2].upper() else name


# ------------------------------------------------------------------------------------- sentences
def level_sentence(
    indicator: str,
    year: int,
    focus: str,
    value: float | None,
    rank: int | None = None,
    n_blocks: int | None = None,
    city_value: float | None = None,
    lang: str = "zh",
    reference: str | None = None,
) -> str:
    """Level, rank and distance to the Changzhou average (or another ``reference``) in one sentence.

    Example: ``2020年溧阳市每万人口发明专利拥有量为30.1件/万人，在七个板块中排名第5，比常州平均低4.2件/万人（低12.2%）。``
    The relative difference is (value − city) / city × 100; rank 1 is the best (polarity applied upstream).
    ``reference`` names what ``city_value`` is (default 常州平均 / the Changzhou average).
    """
    name, unit = _ind(indicator, lang)
    reg = _region(focus, lang)
    ref_zh = reference or "常州平均"
    ref_en = reference or "the Changzhou average"
    if _missing(value):
        if lang == "en":
            return f"{reg} has no figure for {_en_name(name)} in {year}."
        return f"{year}年{reg}{name}暂无数据。"
    parts_zh = [f"{year}年{reg}{name}为{fmt_value(value, unit)}"]
    parts_en = [f"In {year}, {_en_name(name)} in {reg} was {fmt_value(value, unit, 'en')}"]
    if not _missing(rank) and not _missing(n_blocks):
        parts_zh.append(f"在{cn_count(n_blocks)}个板块中排名第{int(rank)}")
        parts_en.append(f"ranking {_ordinal(rank)} of {int(n_blocks)} blocks")
    if not _missing(city_value):
        diff = float(value) - float(city_value)
        rel = diff / float(city_value) * 100 if float(city_value) != 0 else float("nan")
        if math.isclose(diff, 0.0, abs_tol=1e-12):
            parts_zh.append(f"与{ref_zh}持平")
            parts_en.append(f"level with {ref_en}")
        else:
            word = "高" if diff > 0 else "低"
            rel_zh = f"（{word}{fmt_pct(abs(rel))}）" if not _missing(rel) and math.isfinite(rel) else ""
            parts_zh.append(f"比{ref_zh}{word}{fmt_value(abs(diff), unit)}{rel_zh}")
            word_en = "above" if diff > 0 else "below"
            rel_en = f" ({fmt_pct(abs(rel))})" if math.isfinite(rel) else ""
            parts_en.append(f"{fmt_value(abs(diff), unit, 'en')}{rel_en} {word_en} {ref_en}")
    if lang == "en":
        return ", ".join(parts_en) + "."
    return "，".join(parts_zh) + "。"


def change_sentence(
    indicator: str,
    focus: str,
    start_year: int,
    end_year: int,
    start_value: float | None,
    end_value: float | None,
    cagr_pct: float | None = None,
    lang: str = "zh",
) -> str:
    """Change over the period with the compound annual growth rate (in %)."""
    name, unit = _ind(indicator, lang)
    reg = _region(focus, lang)
    if _missing(start_value) or _missing(end_value):
        miss = start_year if _missing(start_value) else end_year
        if lang == "en":
            return f"The change of {_en_name(name)} in {reg} over {start_year}–{end_year} cannot be stated: the {miss} figure is missing."
        return f"{start_year}—{end_year}年{reg}{name}的变化无法计算：缺{miss}年数据。"
    up = float(end_value) >= float(start_value)
    if lang == "en":
        verb = "rose" if up else "fell"
        s = (
            f"Over {start_year}–{end_year}, {_en_name(name)} in {reg} {verb} from "
            f"{fmt_value(start_value, unit, 'en')} to {fmt_value(end_value, unit, 'en')}"
        )
        if not _missing(cagr_pct):
            s += f", an average annual change of {fmt_pct(cagr_pct, signed=True)}"
        return s + "."
    verb = "增至" if up else "降至"
    s = f"{start_year}—{end_year}年，{reg}{name}由{fmt_value(start_value, unit)}{verb}{fmt_value(end_value, unit)}"
    if not _missing(cagr_pct):
        word = "增长" if float(cagr_pct) >= 0 else "下降"
        s += f"，年均{word}{fmt_pct(abs(float(cagr_pct)))}"
    return s + "。"


def gap_trend_sentence(
    indicator: str,
    focus: str,
    start_year: int,
    end_year: int,
    gap_start_pct: float | None,
    gap_end_pct: float | None,
    reference: str | None = None,
    lang: str = "zh",
) -> str:
    """Whether the relative gap to the average narrowed: gaps in % of the average, positive = better."""
    name, _ = _ind(indicator, lang)
    reg = _region(focus, lang)
    ref = reference or _city(lang)
    if _missing(gap_start_pct) or _missing(gap_end_pct):
        if lang == "en":
            return f"Whether the gap of {reg} to the {ref} in {_en_name(name)} narrowed cannot be said (missing year)."
        return f"{reg}{name}与{ref}差距的变化无法判断（缺少年份数据）。"
    a, b = float(gap_start_pct), float(gap_end_pct)

    def pos_zh(g: float) -> str:
        return (
            f"高于{ref}{fmt_pct(abs(g))}"
            if g > 0
            else (f"低于{ref}{fmt_pct(abs(g))}" if g < 0 else f"与{ref}持平")
        )

    def pos_en(g: float) -> str:
        return (
            f"{fmt_pct(abs(g))} above" if g > 0 else (f"{fmt_pct(abs(g))} below" if g < 0 else "level with")
        )

    if a < 0 and b < 0:
        trend_zh = "差距缩小" if abs(b) < abs(a) else ("差距扩大" if abs(b) > abs(a) else "差距未变")
        trend_en = (
            "the gap narrowed"
            if abs(b) < abs(a)
            else ("the gap widened" if abs(b) > abs(a) else "the gap is unchanged")
        )
    elif a < 0 <= b:
        trend_zh, trend_en = "已赶上并超过平均", "it caught up with the average"
    elif b < 0 <= a:
        trend_zh, trend_en = "已由领先转为落后", "it fell behind the average"
    else:
        trend_zh = "领先幅度扩大" if b > a else ("领先幅度缩小" if b < a else "领先幅度未变")
        trend_en = "its lead grew" if b > a else ("its lead shrank" if b < a else "its lead is unchanged")
    if lang == "en":
        return (
            f"{reg} went from {pos_en(a)} the {ref} in {start_year} to {pos_en(b)} it in {end_year} on "
            f"{_en_name(name)}: {trend_en}."
        )
    return f"{reg}{name}由{start_year}年{pos_zh(a)}变为{end_year}年{pos_zh(b)}，{trend_zh}。"


def composite_sentence(
    focus: str,
    rank: int | None,
    n_blocks: int,
    median_rank: float | None = None,
    rank_lo: float | None = None,
    rank_hi: float | None = None,
    level_pct: int = 90,
    method: str | None = None,
    lang: str = "zh",
) -> str:
    """Composite-index rank with its Monte Carlo uncertainty interval."""
    reg = _region(focus, lang)
    if _missing(rank):
        return f"{reg} has no composite rank." if lang == "en" else f"{reg}缺少综合排名。"
    m_zh = f"（{method}）" if method else ""
    m_en = f" ({method})" if method else ""
    if lang == "en":
        s = f"On the composite index{m_en}, {reg} ranks {_ordinal(rank)} of {int(n_blocks)} blocks"
        if not (_missing(rank_lo) or _missing(rank_hi)):
            s += (
                f"; when weights and normalisation vary, its median rank is {fmt_number(median_rank, 0)} "
                f"and the {level_pct}% interval runs from {_ordinal(int(rank_lo))} to {_ordinal(int(rank_hi))}"
            )
            s += " — the rank is robust." if int(rank_lo) == int(rank_hi) else "."
            return s
        return s + "."
    s = f"在综合指数{m_zh}中，{reg}在{cn_count(n_blocks)}个板块中排名第{int(rank)}"
    if not (_missing(rank_lo) or _missing(rank_hi)):
        s += (
            f"；改变权重与标准化方法后，排名中位数为第{fmt_number(median_rank, 0)}位，"
            f"{level_pct}%区间为第{int(rank_lo)}至第{int(rank_hi)}位"
        )
        s += "，排名稳健。" if int(rank_lo) == int(rank_hi) else "。"
        return s
    return s + "。"


def projection_sentence(
    indicator: str,
    focus: str,
    target_year: int,
    value: float | None,
    lower: float | None = None,
    upper: float | None = None,
    method: str = "ensemble",
    mape_pct: float | None = None,
    level_pct: int = 90,
    lang: str = "zh",
) -> str:
    """Projected value in the target year with its interval and the method's backtest error."""
    from liyang_ip.charts import method_label

    name, unit = _ind(indicator, lang)
    reg = _region(focus, lang)
    m = method_label(method, lang)
    if _missing(value):
        if lang == "en":
            return f"No projection of {_en_name(name)} for {reg} could be made with {m}."
        return f"{reg}{name}无法用{m}预测。"
    if lang == "en":
        s = f"Projection ({m}): {_en_name(name)} in {reg} reaches {fmt_value(value, unit, 'en')} by {target_year}"
        if not (_missing(lower) or _missing(upper)):
            s += f" ({level_pct}% interval {fmt_number(lower)}–{fmt_number(upper)})"
        if not _missing(mape_pct):
            s += f"; in backtests on the history its mean absolute percentage error was {fmt_pct(mape_pct)}"
        return s + "."
    s = f"按{m}，{target_year}年{reg}{name}预计为{fmt_value(value, unit)}"
    if not (_missing(lower) or _missing(upper)):
        s += f"（{level_pct}%区间{fmt_number(lower)}—{fmt_number(upper)}）"
    if not _missing(mape_pct):
        s += f"；历史回测的平均绝对百分比误差为{fmt_pct(mape_pct)}"
    return s + "。"


def target_sentence(
    indicator: str,
    focus: str,
    target_year: int,
    target: float | None,
    projected: float | None = None,
    required_growth_pct: float | None = None,
    probability: float | None = None,
    lang: str = "zh",
) -> str:
    """Whether a plan target is within reach: the required annual growth, the projection and a probability."""
    name, unit = _ind(indicator, lang)
    reg = _region(focus, lang)
    if _missing(target):
        if lang == "en":
            return f"No {target_year} target for {_en_name(name)} in {reg} is given."
        return f"{reg}{name}未给出{target_year}年目标。"
    if lang == "en":
        s = f"The {target_year} target of {fmt_value(target, unit, 'en')}"
        if not _missing(required_growth_pct):
            s += f" needs an average annual growth of {fmt_pct(required_growth_pct)}"
        if not _missing(projected):
            verdict = "above" if float(projected) >= float(target) else "below"
            s += f"; the projection ({fmt_value(projected, unit, 'en')}) is {verdict} it"
        if not _missing(probability):
            s += f", with an estimated probability of reaching it of {fmt_number(float(probability) * 100, 0)}%"
        return s + "."
    s = f"{reg}{name}{target_year}年目标为{fmt_value(target, unit)}"
    if not _missing(required_growth_pct):
        s += f"，需年均增长{fmt_pct(required_growth_pct)}"
    if not _missing(projected):
        verdict = "可达到" if float(projected) >= float(target) else "低于"
        s += f"；按趋势预测为{fmt_value(projected, unit)}，{verdict}目标"
    if not _missing(probability):
        s += f"，达标概率约{fmt_number(float(probability) * 100, 0)}%"
    return s + "。"


def proposed_target_sentence(
    indicator: str,
    focus: str,
    target_year: int,
    proposed: float | None,
    gap_share: float,
    reference_value: float | None = None,
    trend_value: float | None = None,
    plan_target: float | None = None,
    binding: str | None = None,
    lang: str = "zh",
) -> str:
    """A proposed target: closes ``gap_share`` of the gap to the reference, never below the trend.

    ``binding`` is 'trend' when the trend projection set the value (it was higher than the gap rule),
    'ahead' when the block is already at or ahead of the benchmark (the trend is proposed), and 'gap' when
    the gap rule did; None leaves it unsaid.
    """
    name, unit = _ind(indicator, lang)
    reg = _region(focus, lang)
    share = fmt_number(float(gap_share) * 100, 0)
    if _missing(proposed):
        if lang == "en":
            return f"No target for {_en_name(name)} can be proposed for {reg} (missing data)."
        return f"{reg}{name}缺少数据，无法提出建议目标。"
    if binding == "ahead":
        plan_zh = f"；规划目标为{fmt_value(plan_target, unit)}" if not _missing(plan_target) else ""
        plan_en = (
            f"; the plan's own target is {fmt_value(plan_target, unit, 'en')}"
            if not _missing(plan_target)
            else ""
        )
        if lang == "en":
            return (
                f"Proposed {target_year} target for {_en_name(name)} in {reg}: {fmt_value(proposed, unit, 'en')} — "
                f"{reg} is already at or ahead of the Changzhou average, so its own trend projection is proposed"
                f"{plan_en}."
            )
        return f"{reg}{name}已不低于常州平均，建议{target_year}年目标取趋势预测值{fmt_value(proposed, unit)}{plan_zh}。"
    if lang == "en":
        s = f"Proposed {target_year} target for {_en_name(name)} in {reg}: {fmt_value(proposed, unit, 'en')}"
        why = []
        if not _missing(reference_value):
            why.append(
                f"closing {share}% of the gap to the projected Changzhou average ({fmt_number(reference_value)})"
            )
        if not _missing(trend_value):
            why.append(f"never below the trend projection ({fmt_number(trend_value)})")
        if why:
            s += " — " + " and ".join(why)
        if binding == "trend":
            s += "; the trend is the binding floor"
        if not _missing(plan_target):
            s += f"; the plan's own target is {fmt_value(plan_target, unit, 'en')}"
        return s + "."
    s = f"建议{reg}{name}{target_year}年目标为{fmt_value(proposed, unit)}"
    why = []
    if not _missing(reference_value):
        why.append(f"缩小与常州平均（预计{fmt_value(reference_value, unit)}）差距的{share}%")
    if not _missing(trend_value):
        why.append(f"且不低于趋势预测值{fmt_value(trend_value, unit)}")
    if why:
        s += "，即" + "".join(why)
    if binding == "trend":
        s += "（趋势预测高于缩差要求，以趋势为准）"
    if not _missing(plan_target):
        s += f"；规划目标为{fmt_value(plan_target, unit)}"
    return s + "。"


def data_status(
    name: str,
    is_demo: bool,
    coverage_summary: pd.DataFrame | None = None,
    n_sources: int | None = None,
    lang: str = "zh",
    max_gaps: int = 5,
) -> str:
    """Which data, whether demo, how complete, and the largest gaps.

    ``coverage_summary`` has one row per indicator × region with ``years_covered`` and ``years_total``
    (``Dataset.coverage_of``). Coverage = Σ years_covered / Σ years_total.
    """
    status_zh = "演示数据（合成数据，非真实统计，结论不可引用）" if is_demo else "真实数据（官方或估计值）"
    status_en = (
        "demo data (synthetic, not real statistics; do not quote)"
        if is_demo
        else "real data (official or estimated figures)"
    )
    if lang == "en":
        parts = [f"Dataset '{name}': {status_en}"]
    else:
        parts = [f"数据集“{name}”：{status_zh}"]
    if n_sources is not None:
        parts.append(f"{int(n_sources)} sources" if lang == "en" else f"来源{int(n_sources)}项")
    text = ("; ".join(parts) + ".") if lang == "en" else ("；".join(parts) + "。")
    if coverage_summary is None or coverage_summary.empty:
        return text
    cs = coverage_summary
    total = float(cs["years_total"].sum())
    have = float(cs["years_covered"].sum())
    share = have / total * 100 if total else float("nan")
    n_ind = cs["indicator"].nunique()
    n_reg = cs["region"].nunique()
    missing_cells = int(total - have)
    if lang == "en":
        text += (
            f" Coverage of the {n_ind} indicators × {n_reg} regions asked for: {fmt_pct(share)} of region-years"
            f" ({missing_cells} missing)."
        )
    else:
        text += f"所选{n_ind}项指标×{n_reg}个地区的覆盖率为{fmt_pct(share)}（缺{missing_cells}个地区-年份）。"
    gaps = cs[cs["years_covered"] < cs["years_total"]]
    if gaps.empty:
        text += " No gaps." if lang == "en" else "无缺口。"
        return text
    by_ind = (
        gaps.assign(missing=gaps["years_total"] - gaps["years_covered"])
        .groupby("indicator", sort=False)["missing"]
        .sum()
        .sort_values(ascending=False, kind="stable")
    )
    items = []
    for code, miss in by_ind.head(max_gaps).items():
        nm, _ = _ind(code, lang)
        items.append(f"{nm} ({int(miss)})" if lang == "en" else f"{nm}（缺{int(miss)}）")
    more = len(by_ind) - max_gaps
    if lang == "en":
        text += (
            " Largest gaps: " + ", ".join(items) + (f", and {more} more indicators" if more > 0 else "") + "."
        )
    else:
        text += "缺口较大的指标：" + "、".join(items) + (f"等{len(by_ind)}项" if more > 0 else "") + "。"
    return text


def paragraph(*sentences: str, lang: str = "zh") -> str:
    """Join sentences into one paragraph (no space between Chinese sentences)."""
    parts = [s.strip() for s in sentences if s and s.strip()]
    return (" " if lang == "en" else "").join(parts)


def first_value(df: pd.DataFrame, where: Mapping[str, Any], column: str) -> Any:
    """The ``column`` value of the first row matching ``where`` (None when no row matches)."""
    sel = df
    for k, v in where.items():
        if k in sel.columns:
            sel = sel[sel[k] == v]
    if sel.empty or column not in sel.columns:
        return None
    return sel[column].iloc[0]


# --------------------------------------------------------------------- from analysis result frames
def _aggregate(code: str) -> str:
    from liyang_ip import registry

    try:
        return registry.indicator(code).aggregate
    except KeyError:
        return "none"


def status_line(
    name: str, is_demo: bool, coverage_summary: pd.DataFrame | None = None, lang: str = "zh"
) -> str:
    """One line for the top of a notebook: demo or real, dataset, coverage of the selection.

    Starts with "数据状态：" / "Data status:", the label the report exporter reads for its cover.
    """
    if lang == "en":
        s = "Data status: " + ("DEMO DATA (synthetic, not real statistics)" if is_demo else "real data")
        s += f" — dataset '{name}'"
    else:
        s = "数据状态：" + ("演示数据（合成，非真实统计）" if is_demo else "真实数据") + f" — 数据集 {name}"
    if coverage_summary is not None and not coverage_summary.empty:
        total = float(coverage_summary["years_total"].sum())
        share = float(coverage_summary["years_covered"].sum()) / total * 100 if total else float("nan")
        s += (
            f"; coverage of the selection {fmt_pct(share)}"
            if lang == "en"
            else f"；所选范围覆盖率{fmt_pct(share)}"
        )
    return s


def params_line(params: Any, lang: str = "zh") -> str:
    """The run's choices in one line (a ``params.NotebookParams`` or any object with its fields)."""
    focus = _region(params.focus, lang)
    peers = [_region(x, lang) for x in params.peers]
    if lang == "en":
        return (
            f"Focus: {focus}; compared with: {', '.join(peers)}; period {params.start_year}–{params.end_year}; "
            f"target year {params.target_year}; {_plural(len(params.indicators), 'indicator')}."
        )
    return (
        f"焦点板块：{focus}；比较板块：{'、'.join(peers)}；基期{params.start_year}—{params.end_year}年；"
        f"目标年{params.target_year}年；指标{len(params.indicators)}项。"
    )


def baseline_sentences(table: pd.DataFrame, focus: str, start: int, end: int, lang: str = "zh") -> list[str]:
    """One :func:`change_sentence` per row of ``analysis.baseline.baseline_table``."""
    return [
        change_sentence(
            r["indicator"], focus, start, end, r["value_start"], r["value_end"], r["cagr"], lang=lang
        )
        for _, r in table.iterrows()
    ]


def baseline_paragraph(table: pd.DataFrame, focus: str, start: int, end: int, lang: str = "zh") -> str:
    """Summary of a baseline table: how many indicators grew, the fastest and slowest CAGR, gaps."""
    reg = _region(focus, lang)
    n = len(table)
    both = table.dropna(subset=["value_start", "value_end"])
    grew = int((both["value_end"] > both["value_start"]).sum())
    g = table.dropna(subset=["cagr"]).sort_values("cagr", ascending=False, kind="stable")
    missing = n - len(both)
    if lang == "en":
        if both.empty:
            return f"Over {start}–{end}, none of the {n} indicators of {reg} has both end points; nothing to compare."
        s = f"Over {start}–{end}, {grew} of the {len(both)} indicators of {reg} with both end points rose."
        if len(g) >= 2:
            hi, lo = g.iloc[0], g.iloc[-1]
            s += (
                f" The fastest average annual growth was in {_en_name(_ind(hi['indicator'], lang)[0])} "
                f"({fmt_pct(hi['cagr'], signed=True)}), the slowest in {_en_name(_ind(lo['indicator'], lang)[0])} "
                f"({fmt_pct(lo['cagr'], signed=True)})."
            )
        if missing:
            s += f" {missing} indicator(s) lack the {start} or {end} figure and are not compared."
        return s
    if both.empty:
        return f"{start}—{end}年，{reg}所选{cn_count(n)}项指标都缺少期初或期末数据，无法比较。"
    s = f"{start}—{end}年，{reg}有期初和期末数据的{cn_count(len(both))}项指标中，{cn_count(grew)}项增长。"
    if len(g) >= 2:
        hi, lo = g.iloc[0], g.iloc[-1]
        s += (
            f"年均增速最快的是{_ind(hi['indicator'], lang)[0]}（{fmt_pct(hi['cagr'])}），"
            f"最慢的是{_ind(lo['indicator'], lang)[0]}（{fmt_pct(lo['cagr'])}）。"
        )
    if missing:
        s += f"另有{cn_count(missing)}项指标缺少{start}年或{end}年数据，未作比较。"
    return s


def _polarity(code: str) -> int:
    from liyang_ip import registry

    try:
        return int(registry.indicator(code).polarity)
    except KeyError:
        return 1


def benchmark_sentences(gaps: pd.DataFrame, focus: str, lang: str = "zh") -> list[str]:
    """One :func:`level_sentence` per row of ``analysis.benchmark.gap_table`` (one year).

    The reference is the Changzhou average ``city_avg`` (for summed indicators the city total divided by
    the number of blocks, for ratios the city figure itself). Frames without ``city_avg`` fall back to the
    city figure for ratios and the median block for summed indicators, whose city figure is a total.
    """
    if gaps.empty:
        reg = _region(focus, lang)
        return [f"No figures for {reg} in the selection." if lang == "en" else f"所选范围内没有{reg}的数据。"]
    out = []
    for _, r in gaps.iterrows():
        if "city_avg" in gaps.columns:
            ref, ref_label = r.get("city_avg"), None
        elif _aggregate(r["indicator"]) == "sum":
            ref, ref_label = r.get("median"), ("the median block" if lang == "en" else "板块中位数")
        else:
            ref, ref_label = r.get("city_value"), None
        out.append(
            level_sentence(
                r["indicator"],
                int(r["year"]),
                focus,
                r["value"],
                r.get("rank"),
                r.get("n"),
                ref,
                lang,
                ref_label,
            )
        )
    return out


_REFS = {
    "city": ("常州平均", "the Changzhou average"),
    "median": ("板块中位数", "the median block"),
    "leader": ("领先板块", "the leading block"),
}


def benchmark_paragraph(
    gaps: pd.DataFrame,
    changes: pd.DataFrame | None,
    focus: str,
    start: int,
    end: int,
    lang: str = "zh",
    against: str = "city",
) -> str:
    """How many indicators the focus block is ahead of the benchmark on (polarity-aware), its best and
    worst rank, and how many gaps narrowed (``analysis.benchmark.gap_table`` for one year and
    ``gap_change``). ``against`` is 'city' (the Changzhou average), 'median' or 'leader'."""
    reg = _region(focus, lang)
    g = gaps.dropna(subset=["rank"])
    n = len(g)
    if n == 0:
        return f"No ranks for {reg} in {end}." if lang == "en" else f"{end}年{reg}没有可比较的排名。"
    col = f"gap_{against}_pct"
    ref_zh, ref_en = _REFS.get(against, _REFS["city"])
    if col in g.columns:
        signed = g[col] * [_polarity(c) for c in g["indicator"]]
        ahead = int((signed > 0).sum())
        n_cmp = int(signed.notna().sum())
    else:
        ahead, n_cmp = 0, 0
    best = g.sort_values("rank", kind="stable").iloc[0]
    worst = g.sort_values("rank", ascending=False, kind="stable").iloc[0]
    narrowed = None
    if changes is not None and "improved" in changes.columns:
        imp = changes["improved"].dropna()
        narrowed = (int(imp.astype(bool).sum()), len(imp))
        ch_against = (
            str(changes["against"].iloc[0]) if "against" in changes.columns and len(changes) else against
        )
    else:
        ch_against = against
    ch_zh, ch_en = _REFS.get(ch_against, _REFS["city"])
    if lang == "en":
        s = (
            f"In {end}, {reg} was ahead of {ref_en} on {ahead} of {n_cmp} indicators. Its best rank was "
            f"{_ordinal(best['rank'])} ({_en_name(_ind(best['indicator'], lang)[0])}), its worst "
            f"{_ordinal(worst['rank'])} ({_en_name(_ind(worst['indicator'], lang)[0])})."
        )
        if narrowed:
            s += f" Since {start}, its relative gap to {ch_en} narrowed on {narrowed[0]} of {narrowed[1]}."
        return s
    s = (
        f"{end}年{reg}在{cn_count(n_cmp)}项指标中有{cn_count(ahead)}项优于{ref_zh}；排名最好的是"
        f"{_ind(best['indicator'], lang)[0]}（第{int(best['rank'])}），最差的是"
        f"{_ind(worst['indicator'], lang)[0]}（第{int(worst['rank'])}）。"
    )
    if narrowed:
        s += f"与{start}年相比，与{ch_zh}的相对差距在{cn_count(narrowed[1])}项中有{cn_count(narrowed[0])}项缩小。"
    return s


def gap_change_sentences(
    changes: pd.DataFrame, focus: str, start: int, end: int, lang: str = "zh"
) -> list[str]:
    """:func:`gap_trend_sentence` per row of ``analysis.benchmark.gap_change``.

    ``shortfall`` there is positive when behind; the sentence takes gaps with positive = ahead.
    """
    ref = None
    out = []
    for _, r in changes.iterrows():
        against = r.get("against", "city")
        zh, en = _REFS.get(str(against), _REFS["city"])
        ref = en.removeprefix("the ") if lang == "en" else zh
        a = -float(r["shortfall_start"]) if not _missing(r["shortfall_start"]) else None
        b = -float(r["shortfall_end"]) if not _missing(r["shortfall_end"]) else None
        out.append(gap_trend_sentence(r["indicator"], focus, start, end, a, b, reference=ref, lang=lang))
    return out


def bullets(sentences: list[str]) -> str:
    """Markdown bullet list, one sentence per line."""
    return "\n".join(f"- {s}" for s in sentences if s)


def quality_sentence(n_issues: int, n_conflicts: int, lang: str = "zh") -> str:
    """Validation warnings and conflicting figures resolved during the build."""
    if lang == "en":
        return (
            f"The build reported {int(n_issues)} validation warning(s) and resolved {int(n_conflicts)} "
            "conflicting figure(s) (see the tables below)."
            if n_issues or n_conflicts
            else "The build reported no validation warnings and no conflicting figures."
        )
    if n_issues or n_conflicts:
        return f"数据构建时有{int(n_issues)}条校验提示，处理了{int(n_conflicts)}处来源间数值冲突（见下表）。"
    return "数据构建时没有校验提示，也没有来源间数值冲突。"


def share_paragraph(table: pd.DataFrame, focus: str, start: int, end: int, lang: str = "zh") -> str:
    """Share of the Changzhou total (``baseline_table`` columns share_start/share_end, in %)."""
    reg = _region(focus, lang)
    t = table.dropna(subset=["share_start", "share_end"])
    if t.empty:
        if lang == "en":
            return f"No share of the Changzhou total can be computed for {reg} (no summed indicator with both years)."
        return f"{reg}没有可计算占全市比重的指标（需为可加总指标且有期初、期末数据）。"
    up = int((t["share_end"] > t["share_start"]).sum())
    top = t.sort_values("share_end", ascending=False, kind="stable").iloc[0]
    name = _ind(top["indicator"], lang)[0]
    if lang == "en":
        return (
            f"Of {len(t)} summed indicators, {reg}'s share of the Changzhou total rose on {up} between {start} "
            f"and {end}; its largest share in {end} was in {_en_name(name)} ({fmt_pct(top['share_end'])})."
        )
    return (
        f"{start}—{end}年，在{cn_count(len(t))}项可加总指标中，{reg}占全市比重上升的有{cn_count(up)}项；"
        f"{end}年占比最高的是{name}（{fmt_pct(top['share_end'])}）。"
    )


def attainment_paragraph(att: pd.DataFrame | None, focus: str, year: int, lang: str = "zh") -> str:
    """Targets for ``year`` met or not (``baseline.target_attainment``)."""
    reg = _region(focus, lang)
    if att is None or att.empty:
        if lang == "en":
            return f"The dataset has no {year} targets for {reg}, so attainment cannot be assessed."
        return f"数据中没有{reg}{year}年的目标值，无法评估目标完成情况。"
    met = att["met"].dropna()
    n_met = int(met.astype(bool).sum())
    unknown = len(att) - len(met)
    if lang == "en":
        s = f"Of {len(att)} targets for {year}, {reg} met {n_met}"
        return s + (f"; {unknown} cannot be judged (missing figure)." if unknown else ".")
    s = f"{year}年{reg}的{cn_count(len(att))}项目标中，已完成{cn_count(n_met)}项"
    return s + (f"，另有{cn_count(unknown)}项缺少实际数据无法判断。" if unknown else "。")


def sigma_paragraph(cv: pd.DataFrame, start: int, end: int, lang: str = "zh") -> str:
    """σ-convergence: on how many indicators the coefficient of variation across blocks fell
    (``benchmark.sigma_convergence``; only years where every block has a value count)."""
    c = cv[cv["year"].isin([start, end])]
    if "complete" in c.columns:
        c = c[c["complete"].astype(bool)]
    wide = c.pivot_table(index="indicator", columns="year", values="cv", aggfunc="first")
    if start not in wide.columns or end not in wide.columns:
        if lang == "en":
            return f"σ-convergence cannot be assessed: the {start} or {end} figures are incomplete."
        return f"无法判断σ收敛：{start}年或{end}年数据不完整。"
    wide = wide.dropna(subset=[start, end])
    fell = wide[wide[end] < wide[start]]
    if lang == "en":
        return (
            f"Between {start} and {end} the dispersion between blocks (coefficient of variation) fell on "
            f"{len(fell)} of {len(wide)} indicators (σ-convergence) and rose or stayed on the rest."
        )
    return (
        f"{start}—{end}年，在{cn_count(len(wide))}项指标中，板块间变异系数下降（σ收敛）的有{cn_count(len(fell))}项，"
        f"其余{cn_count(len(wide) - len(fell))}项板块间差距未缩小。"
    )


def composite_paragraph(
    scores: pd.DataFrame, uncertainty: pd.DataFrame | None, focus: str, lang: str = "zh", level_pct: int = 90
) -> str:
    """Composite ranks of the focus block (``composite.composite_scores`` and ``rank_uncertainty``,
    both indexed by region)."""
    reg = _region(focus, lang)
    if scores is None:
        if lang == "en":
            return "The composite index cannot be computed: no indicator has a value for every block in that year."
        return "无法计算综合指数：该年份没有各板块数据齐全的指标（缺失值不做填补）。"
    if focus not in scores.index:
        return f"{reg} is not in the composite index." if lang == "en" else f"{reg}不在综合指数的比较范围内。"
    n = len(scores)
    r = scores.loc[focus]
    u = uncertainty.loc[focus] if uncertainty is not None and focus in uncertainty.index else None
    s1 = composite_sentence(
        focus,
        int(r["topsis_rank"]),
        n,
        None if u is None else u["median_rank"],
        None if u is None else u["rank_lo"],
        None if u is None else u["rank_hi"],
        level_pct,
        "entropy-weight TOPSIS" if lang == "en" else "熵权TOPSIS",
        lang,
    )
    if lang == "en":
        s2 = (
            f"On the min-max pillar average (0–100) it scores {fmt_number(r['minmax'], 1)} and ranks "
            f"{_ordinal(int(r['minmax_rank']))}."
        )
    else:
        s2 = f"按各维度min-max得分（0—100）平均，{reg}得{fmt_number(r['minmax'], 1)}分，排名第{int(r['minmax_rank'])}。"
    return paragraph(s1, s2, lang=lang)


def composite_note(attrs: Mapping[str, Any] | None, lang: str = "zh") -> str:
    """Which indicators the composite index used and which it left out (``composite_scores(...).attrs``)."""
    if attrs is None:
        return ""
    used = [c for c in (attrs.get("weights") or {}) if c not in (attrs.get("constant") or [])]
    dropped = list(attrs.get("dropped") or [])
    const = list(attrs.get("constant") or [])

    def names(codes):
        return ("、" if lang != "en" else ", ").join(_ind(c, lang)[0] for c in codes)

    if lang == "en":
        s = f"The composite index uses {_plural(len(used), 'indicator')}."
        if dropped:
            s += f" Left out for missing values (not filled): {names(dropped)}."
        if const:
            s += f" Left out because all blocks are equal on them: {names(const)}."
        return s
    s = f"综合指数使用{cn_count(len(used))}项指标。"
    if dropped:
        s += f"因有缺失值（不做填补）未纳入：{names(dropped)}。"
    if const:
        s += f"因各板块数值相同未纳入：{names(const)}。"
    return s


def projection_paragraph(
    projections: pd.DataFrame,
    backtest_summary: pd.DataFrame | None,
    indicator: str,
    focus: str,
    target_year: int,
    method: str = "ensemble",
    lang: str = "zh",
    level_pct: int = 90,
) -> str:
    """:func:`projection_sentence` for ``method`` in ``target_year`` from ``projection.project`` output,
    with the method's backtest MAPE (``projection.backtest_summary``) and the best method by MAPE."""
    from liyang_ip.charts import method_label

    row = projections[(projections["method"] == method) & (projections["year"] == target_year)]
    v = row["value"].iloc[0] if len(row) else None
    lo = row["lower"].iloc[0] if len(row) and "lower" in row.columns else None
    hi = row["upper"].iloc[0] if len(row) and "upper" in row.columns else None
    mape = None
    best = None
    if backtest_summary is not None and len(backtest_summary):
        bt = backtest_summary.dropna(subset=["mape"])
        mape = first_value(bt, {"method": method}, "mape")
        if len(bt):
            best = bt.sort_values("mape", kind="stable").iloc[0]
    s = projection_sentence(indicator, focus, target_year, v, lo, hi, method, mape, level_pct, lang)
    if best is not None and best["method"] != method:
        if lang == "en":
            s += (
                f" The method with the smallest backtest error was {method_label(best['method'], lang)} "
                f"(MAPE {fmt_pct(best['mape'])})."
            )
        else:
            s += f"回测误差最小的方法是{method_label(best['method'], lang)}（MAPE {fmt_pct(best['mape'])}）。"
    return s


def target_check_sentences(check: pd.DataFrame | None, lang: str = "zh") -> list[str]:
    """:func:`target_sentence` per row of ``targets.target_check``."""
    if check is None or check.empty:
        return []
    return [
        target_sentence(
            r["indicator"],
            r["region"],
            int(r["year"]),
            r["target"],
            r["projected"],
            r["required_growth"],
            r["probability"],
            lang,
        )
        for _, r in check.iterrows()
    ]


def proposed_target_sentences(
    proposals: pd.DataFrame, focus: str, target_year: int, gap_share: float, lang: str = "zh"
) -> list[str]:
    """:func:`proposed_target_sentence` per row of ``targets.propose_targets``."""
    out = []
    for _, r in proposals.iterrows():
        binding = str(r.get("binding") or "")
        out.append(
            proposed_target_sentence(
                r["indicator"],
                focus,
                target_year,
                r["proposed"],
                gap_share,
                reference_value=r.get("bench_projected"),
                trend_value=r.get("focus_trend"),
                plan_target=r.get("plan_target"),
                binding=(
                    "ahead"
                    if "ahead" in binding
                    else "trend"
                    if binding.startswith("trend")
                    else ("gap" if binding else None)
                ),
                lang=lang,
            )
        )
    return out


def target_check_paragraph(check: pd.DataFrame | None, focus: str, year: int, lang: str = "zh") -> str:
    """Bullets of :func:`target_check_sentences`, or :func:`no_targets_sentence` when there are none."""
    lines = target_check_sentences(check, lang)
    return bullets(lines) if lines else no_targets_sentence(focus, year, lang)


def not_projected(indicator: str, focus: str, reason: Any, lang: str = "zh") -> str:
    """Why an indicator could not be projected (e.g. fewer than four observed years)."""
    name, _ = _ind(indicator, lang)
    reg = _region(focus, lang)
    if lang == "en":
        return f"{reg}: {_en_name(name)} cannot be projected ({reason})."
    return f"{reg}{name}无法预测（{reason}）。"


def no_targets_sentence(focus: str, year: int, lang: str = "zh") -> str:
    reg = _region(focus, lang)
    if lang == "en":
        return f"The dataset has no plan targets for {reg} in {year}; only proposed targets are shown."
    return f"数据中没有{reg}{year}年的规划目标，以下仅给出建议目标。"


__all__ = [
    "UNIT_EN",
    "attainment_paragraph",
    "composite_note",
    "composite_paragraph",
    "no_targets_sentence",
    "not_projected",
    "projection_paragraph",
    "proposed_target_sentences",
    "quality_sentence",
    "share_paragraph",
    "sigma_paragraph",
    "target_check_paragraph",
    "target_check_sentences",
    "baseline_paragraph",
    "baseline_sentences",
    "benchmark_paragraph",
    "benchmark_sentences",
    "bullets",
    "gap_change_sentences",
    "params_line",
    "status_line",
    "change_sentence",
    "cn_count",
    "composite_sentence",
    "data_status",
    "first_value",
    "fmt_number",
    "fmt_pct",
    "fmt_value",
    "gap_trend_sentence",
    "level_sentence",
    "paragraph",
    "projection_sentence",
    "proposed_target_sentence",
    "target_sentence",
]
