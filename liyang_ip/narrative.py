"""Prose generated from numbers: short Chinese (or English) paragraphs for the notebooks.

Every number in a sentence comes from an argument; nothing is typed by hand. The sentences themselves are
templates in ``liyang_ip/wording/zh.yaml`` and ``en.yaml`` (see :mod:`liyang_ip.wording`): the functions
here compute the numbers, choose the template (and, through ``wording/thresholds.yaml``, the degree
words) and render it. Functions take plain values (or small result frames) so they can be tested on
hand-made inputs. Missing values (None/NaN) produce a sentence that says the figure is missing.

Formatting is done by one formatter, :mod:`liyang_ip.wording.format` (re-exported here): values ≥ 100
without decimals and with thousands separators, 10–100 with one decimal, below 10 with two; percentages
with one decimal. Ranks are "第N"; counts of members in Chinese numerals (七个板块).

Geography words (板块 / 设区市 / 省份, 常州平均 / 全国平均, 全市 / 全国) come from the region set
(``registry/regionsets/*.yaml``, :meth:`RegionSet.words`), passed to the templates as ``geo``: functions
take ``region_set`` (a RegionSet, bundled name or path); when it is not given they use the set recorded on
the analysis frame they format (``attrs['region_set']``), else the default set.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from liyang_ip import wording
from liyang_ip.wording.format import cn_count, fmt_number, fmt_pct, fmt_value, md_escape
from liyang_ip.wording.format import is_missing as _missing

# English renderings of the catalogue units (wording/en.yaml, `units`).
UNIT_EN = dict(wording.catalogue("en").get("units") or {})


# ------------------------------------------------------------------------------------------ helpers
def _say(key: str, lang: str, **values: Any) -> str:
    return wording.render(key, lang, **values)


def _ind(code: str, lang: str) -> tuple[str, str]:
    """(display name, unit) from the catalogue; the code and '' when unknown. The name is escaped for the
    Markdown the prose is shown as (:func:`~liyang_ip.wording.format.md_escape`)."""
    from liyang_ip import registry

    try:
        i = registry.indicator(code)
    except KeyError:
        return md_escape(code), ""
    return md_escape(i.name_en if lang == "en" else i.name_zh), i.unit


def _region(name: str, lang: str, rset: Any = None, markdown: bool = True) -> str:
    """A region's display name: as is in Chinese; in English the region set's English name, else any
    bundled set's, else as is. Names come from data files (a user's region set): escaped for Markdown
    (``<script>``, ``*x*`` render literally) unless ``markdown=False`` (a line printed as plain text)."""
    if lang != "en":
        out = str(name)
    else:
        from liyang_ip import registry

        out = rset.label(name, "en") if rset is not None and name in rset else registry.label(str(name), "en")
    return md_escape(out) if markdown else out


def _rset(region_set: Any = None, *frames: Any):
    """The RegionSet to word sentences for: `region_set` if given, else the set recorded on the first frame
    (or attrs mapping) that has one (``attrs['region_set']``, set by the analyses), else the default set."""
    from liyang_ip import registry

    if region_set is None:
        for f in frames:
            attrs = f if isinstance(f, Mapping) else getattr(f, "attrs", None)
            if isinstance(attrs, Mapping) and attrs.get("region_set"):
                region_set = attrs["region_set"]
                break
    return registry.region_set(region_set)


def _geo(rset: Any, lang: str) -> dict[str, str]:
    """The region set's words for the templates (``{{ geo.unit }}``, ``{{ geo.average }}`` …), escaped for
    the Markdown the prose is shown as (a user's set file is data too)."""
    return {k: md_escape(v) for k, v in rset.words("en" if lang == "en" else "zh").items()}


def _reference(against: str, lang: str, rset: Any = None) -> str:
    """How a benchmark is called: 'city' (the parent's average: 常州平均 / 全国平均), 'others', 'median',
    'leader' or 'city_plan' (wording ``references``, with the region set's words)."""
    rset = rset if rset is not None else _rset()
    key = str(against) if str(against) in wording.catalogue(lang).get("references", {}) else "city"
    return _say(f"references.{key}", lang, geo=_geo(rset, lang))


def _num(x: Any) -> float | None:
    return None if _missing(x) else float(x)


def _int(x: Any) -> int | None:
    return None if _missing(x) else int(x)


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
    *,
    region_set: Any = None,
) -> str:
    """Level, rank and distance to the parent's average (or another ``reference``) in one sentence.

    Example: ``2020年溧阳市每万人口发明专利拥有量为30.1件/万人，在七个板块中排名第5，比常州平均低4.2件/万人（低12.2%）。``
    The relative difference is (value − city) / city × 100; rank 1 is the best (polarity applied upstream).
    ``reference`` names what ``city_value`` is (default: wording ``references.city``, the region set's
    average: 常州平均 / 全国平均). ``region_set`` gives the words (板块 / 省份; default: the default set).
    """
    rset = _rset(region_set)
    name, unit = _ind(indicator, lang)
    reg = _region(focus, lang, rset)
    if _missing(value):
        return _say("level.missing", lang, year=year, region=reg, name=name)
    compared = not _missing(city_value)
    diff = rel = None
    equal = above = False
    if compared:
        d = float(value) - float(city_value)
        r = d / float(city_value) * 100 if float(city_value) != 0 else float("nan")
        equal = math.isclose(d, 0.0, abs_tol=1e-12)
        above = d > 0
        diff = abs(d)
        rel = abs(r) if math.isfinite(r) else None
    ranked = not _missing(rank) and not _missing(n_blocks)
    # One block with data: a rank would say nothing; the sentence says why there is none.
    alone = not ranked and not _missing(n_blocks) and int(n_blocks) < 2
    return _say(
        "level.sentence", lang, year=year, region=reg, name=name, value=float(value), unit=unit,
        ranked=ranked, alone=alone, rank=_int(rank), n_blocks=_int(n_blocks), compared=compared, equal=equal,
        above=above, diff=diff, rel=rel, reference=reference or _reference("city", lang, rset), geo=_geo(rset, lang),
    )


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
    common = {"start_year": start_year, "end_year": end_year, "region": reg, "name": name}
    if _missing(start_value) or _missing(end_value):
        miss = start_year if _missing(start_value) else end_year
        return _say("change.missing", lang, missing_year=miss, **common)
    if is_flat_change(start_value, end_value, unit, cagr_pct):
        return _say("change.flat", lang, start_value=float(start_value), end_value=float(end_value), unit=unit,
                    same=fmt_value(start_value, unit) == fmt_value(end_value, unit), **common)
    return _say(
        "change.sentence", lang, start_value=float(start_value), end_value=float(end_value), unit=unit,
        up=float(end_value) >= float(start_value), cagr=_num(cagr_pct), **common,
    )


def is_flat_change(start_value: float, end_value: float, unit: str = "", cagr_pct: float | None = None) -> bool:
    """True when a change rounds to zero as the report prints it: both values read the same
    (:func:`fmt_value`) or the annual growth reads 0.0%. Such a change is 基本持平, never 增至/降至."""
    if fmt_value(start_value, unit) == fmt_value(end_value, unit):
        return True
    return not _missing(cagr_pct) and fmt_pct(abs(float(cagr_pct))) == fmt_pct(0.0)


def _gap_case(a: float, b: float, materiality: float | None = None) -> tuple[str, str]:
    """(trend case, degree) of a relative gap going from `a` to `b` (% of the reference, + = ahead).

    With `materiality` (percentage points, as ``analysis.benchmark.gap_change`` judged the change) a
    change below it, or one that rounds to zero at the one decimal the sentence prints, is 'flat' and any
    other is at least 'plain', so that the sentence says what the count of narrowed gaps says."""
    if a < 0 and b < 0 or a >= 0 and b >= 0:
        behind = a < 0
        change = abs(b) - abs(a)  # > 0: the gap (behind) or the lead (ahead) grew
        deg = wording.degree(change, "gap_trend")
        if materiality is not None:
            shown_equal = fmt_pct(abs(a)) == fmt_pct(abs(b))
            if abs(change) < float(materiality) or shown_equal:
                deg = "flat"
            elif deg == "flat":
                deg = "plain"
        if deg == "flat":
            return ("unchanged" if behind else "lead_unchanged"), deg
        if behind:
            return ("widened" if change > 0 else "narrowed"), deg
        return ("lead_grew" if change > 0 else "lead_shrank"), deg
    return ("caught_up" if a < 0 else "fell_behind"), "plain"


def gap_trend_sentence(
    indicator: str,
    focus: str,
    start_year: int,
    end_year: int,
    gap_start_pct: float | None,
    gap_end_pct: float | None,
    reference: str | None = None,
    lang: str = "zh",
    *,
    region_set: Any = None,
    materiality: float | None = None,
) -> str:
    """Whether the relative gap to the average narrowed: gaps in % of the average, positive = better.

    `materiality` (percentage points), when given, decides what counts as 基本未变 (see :func:`_gap_case`).

    The words follow the size of the change in percentage points (``wording/thresholds.yaml``,
    ``gap_trend``): below ``flat`` the gap is "基本未变", from ``marked`` on it narrowed "明显", from
    ``large`` on "大幅". ``reference`` is the benchmark as said in the sentence (default: the region set's
    average, e.g. 常州平均 / the Changzhou average).
    """
    rset = _rset(region_set)
    name, _ = _ind(indicator, lang)
    reg = _region(focus, lang, rset)
    ref = reference or _reference("city", lang, rset)
    if _missing(gap_start_pct) or _missing(gap_end_pct):
        return _say("gap_trend.missing", lang, region=reg, name=name, reference=ref)
    a, b = float(gap_start_pct), float(gap_end_pct)
    case, deg = _gap_case(a, b, materiality)
    degree_word = wording.text(f"gap_trend.degree.{deg}", lang) if deg in ("plain", "marked", "large") else ""

    def position(g: float) -> str:
        return _say("gap_trend.position", lang, above=g > 0, below=g < 0, gap=abs(g), reference=ref)

    return _say(
        "gap_trend.sentence", lang, region=reg, name=name, start_year=start_year, end_year=end_year,
        from_position=position(a), to_position=position(b), reference=ref,
        trend=_say(f"gap_trend.trend.{case}", lang, degree_word=degree_word, reference=ref, region=reg, name=name),
    )


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
    *,
    region_set: Any = None,
) -> str:
    """Composite-index rank with its Monte Carlo uncertainty interval."""
    rset = _rset(region_set)
    reg = _region(focus, lang, rset)
    if _missing(rank):
        return _say("composite.missing", lang, region=reg)
    has_interval = not (_missing(rank_lo) or _missing(rank_hi))
    return _say(
        "composite.sentence", lang, region=reg, rank=int(rank), n_blocks=int(n_blocks), method=method or "",
        has_interval=has_interval, median_rank=_num(median_rank), rank_lo=_int(rank_lo), rank_hi=_int(rank_hi),
        level_pct=level_pct, robust=has_interval and int(rank_lo) == int(rank_hi), geo=_geo(rset, lang),
    )


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
    coverage: float | None = None,
    horizon: int | None = None,
) -> str:
    """Projected value in the target year with its interval and the method's backtest error.

    ``coverage`` (0–1) is what the calibration study measured for such intervals
    (``projection.interval_coverage``); ``horizon`` the backtest horizon of ``mape_pct`` in years."""
    from liyang_ip.charts import method_label

    name, unit = _ind(indicator, lang)
    reg = _region(focus, lang)
    m = method_label(method, lang)
    if _missing(value):
        return _say("projection.missing", lang, region=reg, name=name, method=m)
    return _say(
        "projection.sentence", lang, method=m, target_year=target_year, region=reg, name=name,
        value=float(value), unit=unit, has_interval=not (_missing(lower) or _missing(upper)),
        lower=_num(lower), upper=_num(upper), level_pct=level_pct, mape=_num(mape_pct),
        coverage=None if _missing(coverage) else float(coverage) * 100, horizon=horizon,
    )


def target_sentence(
    indicator: str,
    focus: str,
    target_year: int,
    target: float | None,
    projected: float | None = None,
    required_growth_pct: float | None = None,
    probability: float | None = None,
    lang: str = "zh",
    n_reaching: int | None = None,
    n_fitted: int | None = None,
    verdict: str | None = None,
) -> str:
    """Whether a plan target is within reach: the required annual growth, the projection, a probability
    (0–1, said in %; only pass one the calibration study supports) and the count of methods reaching the
    target with its verdict (``targets.verdict``: 'likely', 'at_risk', 'unlikely')."""
    name, unit = _ind(indicator, lang)
    reg = _region(focus, lang)
    if _missing(target):
        return _say("target.missing", lang, region=reg, name=name, target_year=target_year)
    return _say(
        "target.sentence", lang, region=reg, name=name, target_year=target_year, target=float(target),
        unit=unit, required=_num(required_growth_pct), projected=_num(projected),
        reaches=not _missing(projected) and float(projected) >= float(target),
        probability=None if _missing(probability) else float(probability) * 100,
        verdict=verdict_label(verdict, lang) if verdict and not _missing(n_fitted) else "",
        n_reaching=_int(n_reaching), n_fitted=_int(n_fitted),
    )


def verdict_label(verdict: str | None, lang: str = "zh") -> str:
    """有望达到 / 存在风险 / 难以达到 for a verdict key of ``targets.verdict`` ('' for none)."""
    return wording.text(f"target.verdict.{verdict}", lang) if verdict else ""


def verdict_rule_sentence(lang: str = "zh") -> str:
    """The rule behind the verdicts, with its thresholds from ``targets.VERDICT_RULE``."""
    from liyang_ip.analysis.targets import VERDICT_RULE

    return _say("target.rule", lang, likely=VERDICT_RULE["likely"] * 100, unlikely=VERDICT_RULE["unlikely"] * 100)


def gm_grade_label(key: str, lang: str = "zh") -> str:
    """The words of a GM(1,1) accuracy grade (``GreyModel.grade_label``: good, qualified, barely_qualified,
    unqualified, undefined): 二级（合格） / grade 2 (qualified)."""
    return wording.text(f"projection.gm_grade.{key}", lang)


def gm_check_sentence(checks: Mapping[str, Any] | None, lang: str = "zh") -> str:
    """GM(1,1)'s checks (``project(...).attrs['gm11_checks']``): C, P, grade, class ratios, a, and why a fit
    is not used; '' when GM(1,1) was not fitted."""
    if not checks:
        return ""
    return _say("projection.gm_check", lang, **checks)


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
    benchmark: str = "city",
    *,
    region_set: Any = None,
) -> str:
    """A proposed target: closes ``gap_share`` of the gap to the reference, never below the trend.

    ``benchmark`` names the reference (``references.<benchmark>`` in the wording files: city, others,
    leader, city_plan).

    ``binding`` is 'cap' when the feasibility cap set it,
    'trend' when the trend projection set the value (it was higher than the gap rule),
    'ahead' when the block is already at or ahead of the benchmark (the trend is proposed), and 'gap' when
    the gap rule did; None leaves it unsaid.
    """
    rset = _rset(region_set)
    name, unit = _ind(indicator, lang)
    reg = _region(focus, lang, rset)
    common = {"region": reg, "name": name, "target_year": target_year, "unit": unit,
              "reference": _reference(benchmark, lang, rset), "geo": _geo(rset, lang)}
    if _missing(proposed):
        return _say("proposed.missing", lang, region=reg, name=name)
    if binding == "ahead":
        return _say("proposed.ahead", lang, proposed=float(proposed), plan_target=_num(plan_target), **common)
    return _say(
        "proposed.sentence", lang, proposed=float(proposed), share_pct=float(gap_share) * 100,
        reference_value=_num(reference_value), trend_value=_num(trend_value), trend_binding=binding == "trend",
        cap_binding=binding == "cap",
        plan_target=_num(plan_target), **common,
    )


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
    parts = [_say("data_status.head", lang, name=md_escape(name), label=_dataset_label(name, lang), is_demo=bool(is_demo),
                  n_sources=None if n_sources is None else int(n_sources))]
    if coverage_summary is None or coverage_summary.empty:
        return parts[0]
    cs = coverage_summary
    total = float(cs["years_total"].sum())
    have = float(cs["years_covered"].sum())
    parts.append(_say(
        "data_status.coverage", lang, n_indicators=cs["indicator"].nunique(), n_regions=cs["region"].nunique(),
        share=have / total * 100 if total else float("nan"), n_missing=int(total - have),
    ))
    gaps = cs[cs["years_covered"] < cs["years_total"]]
    if gaps.empty:
        parts.append(wording.text("data_status.no_gaps", lang))
        return paragraph(*parts, lang=lang)
    by_ind = (
        gaps.assign(missing=gaps["years_total"] - gaps["years_covered"])
        .groupby("indicator", sort=False)["missing"]
        .sum()
        .sort_values(ascending=False, kind="stable")
    )
    items = [{"name": _ind(code, lang)[0], "missing": int(miss)} for code, miss in by_ind.head(max_gaps).items()]
    parts.append(_say("data_status.gaps", lang, items=items, n_more=max(len(by_ind) - max_gaps, 0),
                      n_total=len(by_ind)))
    return paragraph(*parts, lang=lang)


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
    share = None
    if coverage_summary is not None and not coverage_summary.empty:
        total = float(coverage_summary["years_total"].sum())
        share = float(coverage_summary["years_covered"].sum()) / total * 100 if total else float("nan")
    return _say("status_line", lang, name=name, label=_dataset_label(name, lang), is_demo=bool(is_demo),
                share=share)


def _dataset_label(name: str, lang: str) -> str | None:
    """A bundled dataset's name in words (wording ``report.values.dataset``: demo → 演示数据集), else None."""
    return (wording.catalogue(lang).get("report", {}).get("values", {}).get("dataset") or {}).get(str(name))


def params_line(params: Any, lang: str = "zh", *, region_set: Any = None) -> str:
    """The run's choices in one line (a ``params.NotebookParams`` or any object with its fields); the
    members are called by the region set's unit word (焦点板块 / 焦点省份)."""
    rset = _rset(region_set)
    return _say(
        "params_line", lang, focus=_region(params.focus, lang, rset, markdown=False),
        peers=[_region(x, lang, rset, markdown=False) for x in params.peers],
        start_year=params.start_year, end_year=params.end_year, target_year=params.target_year,
        n_indicators=len(params.indicators), geo=_geo(rset, lang),
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
    if both.empty:
        return _say("baseline.none_complete", lang, start=start, end=end, region=reg, n=n)
    units = [_ind(c, lang)[1] for c in both["indicator"]] if "indicator" in both else [""] * len(both)
    cagrs = both["cagr"] if "cagr" in both else [None] * len(both)
    grew = sum(1 for a, b, u, g in zip(both["value_start"], both["value_end"], units, cagrs, strict=True)
               if b > a and not is_flat_change(a, b, u, g))
    g = table.dropna(subset=["cagr"]).sort_values("cagr", ascending=False, kind="stable")
    parts = [_say("baseline.summary", lang, start=start, end=end, region=reg, n_both=len(both), n_grew=grew)]
    if len(g) >= 2:
        hi, lo = g.iloc[0], g.iloc[-1]
        parts.append(_say(
            "baseline.fastest", lang, fast_name=_ind(hi["indicator"], lang)[0], fast_cagr=float(hi["cagr"]),
            slow_name=_ind(lo["indicator"], lang)[0], slow_cagr=float(lo["cagr"]),
        ))
    missing = n - len(both)
    if missing:
        parts.append(_say("baseline.missing", lang, n_missing=missing, start=start, end=end))
    return paragraph(*parts, lang=lang)


def _polarity(code: str) -> int:
    from liyang_ip import registry

    try:
        return int(registry.indicator(code).polarity)
    except KeyError:
        return 1


def benchmark_sentences(gaps: pd.DataFrame, focus: str, lang: str = "zh", *, region_set: Any = None) -> list[str]:
    """One :func:`level_sentence` per row of ``analysis.benchmark.gap_table`` (one year).

    The reference is the parent's average ``city_avg`` (for summed indicators the parent's total divided
    by the number of members, for ratios the parent's figure itself). Frames without ``city_avg`` fall back
    to the parent's figure for ratios and the median member for summed indicators, whose parent figure is
    a total. ``region_set``: default the set recorded on `gaps`.
    """
    rset = _rset(region_set, gaps)
    if gaps.empty:
        return [_say("benchmark.no_figures", lang, region=_region(focus, lang, rset))]
    out = []
    for _, r in gaps.iterrows():
        if "city_avg" in gaps.columns:
            ref, ref_label = r.get("city_avg"), None
        elif _aggregate(r["indicator"]) == "sum":
            ref, ref_label = r.get("median"), _reference("median", lang, rset)
        else:
            ref, ref_label = r.get("city_value"), None
        out.append(
            level_sentence(r["indicator"], int(r["year"]), focus, r["value"], r.get("rank"), r.get("n"), ref,
                           lang, ref_label, region_set=rset)
        )
    return out


def benchmark_paragraph(
    gaps: pd.DataFrame,
    changes: pd.DataFrame | None,
    focus: str,
    start: int,
    end: int,
    lang: str = "zh",
    against: str = "city",
    *,
    region_set: Any = None,
) -> str:
    """How many indicators the focus member is ahead of the benchmark on (polarity-aware), its best and
    worst rank, and how many gaps narrowed (``analysis.benchmark.gap_table`` for one year and
    ``gap_change``). ``against`` is 'city' (the parent's average), 'median' or 'leader'."""
    rset = _rset(region_set, gaps, changes)
    reg = _region(focus, lang, rset)
    g = gaps.dropna(subset=["rank"])
    if len(g) == 0:
        alone = len(gaps) > 0 and "n" in gaps.columns and bool((gaps["n"].fillna(0) < 2).all())
        return _say("benchmark.alone" if alone else "benchmark.no_ranks", lang, region=reg, end=end,
                    geo=_geo(rset, lang))
    col = f"gap_{against}_pct"
    if col in g.columns:
        signed = g[col] * [_polarity(c) for c in g["indicator"]]
        ahead, n_cmp = int((signed > 0).sum()), int(signed.notna().sum())
    else:
        ahead, n_cmp = 0, 0
    best = g.sort_values("rank", kind="stable").iloc[0]
    worst = g.sort_values("rank", ascending=False, kind="stable").iloc[0]
    parts = [_say(
        "benchmark.summary", lang, end=end, region=reg, n_compared=n_cmp, n_ahead=ahead,
        reference=_reference(against, lang, rset), best_name=_ind(best["indicator"], lang)[0],
        best_rank=int(best["rank"]), worst_name=_ind(worst["indicator"], lang)[0], worst_rank=int(worst["rank"]),
    )]
    if changes is not None and "improved" in changes.columns:
        imp = changes["improved"].dropna()
        ch_against = str(changes["against"].iloc[0]) if "against" in changes.columns and len(changes) else against
        from liyang_ip.analysis.benchmark import DEFAULT_MATERIALITY

        parts.append(_say("benchmark.narrowed", lang, start=start, reference=_reference(ch_against, lang, rset),
                          n_narrowed=int(imp.astype(bool).sum()), n_total=len(imp),
                          materiality=float(changes.attrs.get("materiality", DEFAULT_MATERIALITY))))
    return paragraph(*parts, lang=lang)


def gap_change_sentences(
    changes: pd.DataFrame, focus: str, start: int, end: int, lang: str = "zh", *, region_set: Any = None
) -> list[str]:
    """:func:`gap_trend_sentence` per row of ``analysis.benchmark.gap_change``.

    ``shortfall`` there is positive when behind; the sentence takes gaps with positive = ahead.
    """
    rset = _rset(region_set, changes)
    out = []
    for _, r in changes.iterrows():
        ref = _reference(str(r.get("against", "city")), lang, rset)
        a = -float(r["shortfall_start"]) if not _missing(r["shortfall_start"]) else None
        b = -float(r["shortfall_end"]) if not _missing(r["shortfall_end"]) else None
        out.append(gap_trend_sentence(r["indicator"], focus, start, end, a, b, reference=ref, lang=lang,
                                      region_set=rset, materiality=changes.attrs.get("materiality")))
    return out


def bullets(sentences: list[str]) -> str:
    """Markdown bullet list, one sentence per line."""
    return "\n".join(f"- {s}" for s in sentences if s)


def quality_sentence(n_issues: int, n_conflicts: int, lang: str = "zh") -> str:
    """Validation warnings and conflicting figures resolved during the build."""
    return _say("quality", lang, n_issues=int(n_issues), n_conflicts=int(n_conflicts))


def share_paragraph(table: pd.DataFrame, focus: str, start: int, end: int, lang: str = "zh", *,
                    region_set: Any = None) -> str:
    """Share of the parent's total (``baseline_table`` columns share_start/share_end, in %): 占全市比重 /
    占全国比重, worded from the region set."""
    rset = _rset(region_set, table)
    geo = _geo(rset, lang)
    reg = _region(focus, lang, rset)
    t = table.dropna(subset=["share_start", "share_end"])
    if t.empty and table.attrs.get("city_missing"):
        return _say("share.no_city", lang, region=reg, geo=geo)
    if t.empty:
        return _say("share.none", lang, region=reg, geo=geo)
    top = t.sort_values("share_end", ascending=False, kind="stable").iloc[0]
    return _say(
        "share.sentence", lang, start=start, end=end, n=len(t), region=reg,
        n_up=int((t["share_end"] > t["share_start"]).sum()), top_name=_ind(top["indicator"], lang)[0],
        top_share=float(top["share_end"]), geo=geo,
    )


def attainment_paragraph(att: pd.DataFrame | None, focus: str, year: int, lang: str = "zh") -> str:
    """Targets for ``year`` met or not (``baseline.target_attainment``)."""
    reg = _region(focus, lang)
    if att is None or att.empty:
        return _say("attainment.none", lang, region=reg, year=year)
    met = att["met"].dropna()
    return _say("attainment.sentence", lang, year=year, region=reg, n=len(att),
                n_met=int(met.astype(bool).sum()), n_unknown=len(att) - len(met))


def sigma_paragraph(cv: pd.DataFrame, start: int, end: int, lang: str = "zh", *, region_set: Any = None) -> str:
    """σ-convergence: on how many indicators the coefficient of variation across members fell
    (``benchmark.sigma_convergence``; only years where every member has a value count)."""
    geo = _geo(_rset(region_set, cv), lang)
    c = cv[cv["year"].isin([start, end])]
    if "complete" in c.columns:
        c = c[c["complete"].astype(bool)]
    wide = c.pivot_table(index="indicator", columns="year", values="cv", aggfunc="first")
    if start not in wide.columns or end not in wide.columns:
        return _say("sigma.incomplete", lang, start=start, end=end)
    wide = wide.dropna(subset=[start, end])
    fell = wide[wide[end] < wide[start]]
    return _say("sigma.sentence", lang, start=start, end=end, n=len(wide), n_fell=len(fell), geo=geo)


def composite_paragraph(
    scores: pd.DataFrame, uncertainty: pd.DataFrame | None, focus: str, lang: str = "zh", level_pct: int = 90,
    *, region_set: Any = None,
) -> str:
    """Composite ranks of the focus member (``composite.composite_scores`` and ``rank_uncertainty``,
    both indexed by region)."""
    rset = _rset(region_set, scores)
    reg = _region(focus, lang, rset)
    if scores is None:
        return _say("composite.not_computable", lang, geo=_geo(rset, lang))
    if focus not in scores.index:
        return _say("composite.not_included", lang, region=reg)
    r = scores.loc[focus]
    u = uncertainty.loc[focus] if uncertainty is not None and focus in uncertainty.index else None
    s1 = composite_sentence(
        focus,
        int(r["topsis_rank"]),
        len(scores),
        None if u is None else u["median_rank"],
        None if u is None else u["rank_lo"],
        None if u is None else u["rank_hi"],
        level_pct,
        wording.text("composite.method_topsis", lang),
        lang,
        region_set=rset,
    )
    s2 = _say("composite.minmax", lang, region=reg, score=float(r["minmax"]), rank=int(r["minmax_rank"]))
    return paragraph(s1, s2, lang=lang)


def composite_note(attrs: Mapping[str, Any] | None, lang: str = "zh", *, region_set: Any = None) -> str:
    """Which indicators the composite index used and which it left out (``composite_scores(...).attrs``):
    incomplete, constant, counts and context figures (left out by default) and survey scores tied within
    their measurement error."""
    if attrs is None:
        return ""
    geo = _geo(_rset(region_set, attrs), lang)
    ties = dict(attrs.get("ties") or {})
    const = [c for c in attrs.get("constant") or [] if c not in ties]
    used = [c for c in (attrs.get("weights") or {}) if c not in const and c not in ties]
    parts = [_say(
        "composite.note", lang, n_used=len(used),
        dropped=[_ind(c, lang)[0] for c in attrs.get("dropped") or []], constant=[_ind(c, lang)[0] for c in const],
        geo=geo,
    )]
    if ties:
        items = [{"name": _ind(c, lang)[0], "unit": _ind(c, lang)[1], "spread": float(sp), "error": float(e)}
                 for c, (sp, e) in ties.items()]
        parts.append(_say("composite.ties", lang, tied=items, geo=geo))
    if attrs.get("excluded"):
        parts.append(_say("composite.excluded", lang, names=[_ind(c, lang)[0] for c in attrs["excluded"]], geo=geo))
    return paragraph(*parts, lang=lang)


def composite_robust_paragraph(robust: pd.DataFrame | None, focus: str, lang: str = "zh", *,
                               region_set: Any = None) -> str:
    """The headline composite rank: the focus block's median rank over the variants of
    ``composite.composite_robustness`` with its interval and its best and worst rank."""
    rset = _rset(region_set, robust)
    geo = _geo(rset, lang)
    reg = _region(focus, lang, rset)
    if robust is None:
        return _say("composite.not_computable", lang, geo=geo)
    if focus not in robust.index:
        return _say("composite.not_included", lang, region=reg)
    r = robust.loc[focus]
    return _say(
        "composite.robust", lang, region=reg, n_blocks=len(robust), median_rank=float(r["median_rank"]),
        rank_lo=int(r["rank_lo"]), rank_hi=int(r["rank_hi"]), best=int(r["best_rank"]), worst=int(r["worst_rank"]),
        n_variants=int(robust.attrs.get("n_variants", 0)), level_pct=int(round(robust.attrs.get("level", 0.9) * 100)),
        used=[_ind(c, lang)[0] for c in robust.attrs.get("indicators", [])], geo=geo,
    )


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
    from liyang_ip.analysis.projection import interval_coverage

    last = projections.attrs.get("last_year")
    h = None if last is None else int(target_year) - int(last)
    cov = None
    if h is not None and not (_missing(lo) or _missing(hi)):
        cov = interval_coverage(method, h, projections.attrs.get("family", "level"))
    bt_h = None
    if backtest_summary is not None and "horizon" in backtest_summary.attrs:
        bt_h = backtest_summary.attrs["horizon"]
    s = projection_sentence(indicator, focus, target_year, v, lo, hi, method, mape, level_pct, lang, coverage=cov,
                            horizon=bt_h if bt_h is not None else h)
    if best is not None and best["method"] != method:
        s = paragraph(s, _say("projection.best_method", lang, method=method_label(best["method"], lang),
                              mape=float(best["mape"])), lang=lang)
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
            n_reaching=r.get("methods_reaching"),
            n_fitted=r.get("methods_fitted"),
            verdict=r.get("verdict") or None,
        )
        for _, r in check.iterrows()
    ]


def _row_share(row: Mapping, gap_share: float | Mapping[str, float]) -> float:
    """The gap share a proposal row used: its ``share`` column, else `gap_share` (per indicator if a mapping)."""
    if "share" in row and not _missing(row["share"]):
        return float(row["share"])
    if isinstance(gap_share, Mapping):
        return float(gap_share.get(row["indicator"], 0.5))
    return float(gap_share)


def proposed_target_sentences(
    proposals: pd.DataFrame, focus: str, target_year: int, gap_share: float | Mapping[str, float],
    lang: str = "zh", *, region_set: Any = None,
) -> list[str]:
    """:func:`proposed_target_sentence` per row of ``targets.propose_targets``; each sentence states the
    share its row used (the ``share`` column, per indicator), else `gap_share` (a number, or a mapping
    indicator → share whose missing indicators take 0.5 as in the library)."""
    rset = _rset(region_set, proposals)
    out = []
    for _, r in proposals.iterrows():
        binding = str(r.get("binding") or "")
        out.append(
            proposed_target_sentence(
                r["indicator"],
                focus,
                target_year,
                r["proposed"],
                _row_share(r, gap_share),
                reference_value=r.get("bench_projected"),
                trend_value=r.get("focus_trend"),
                plan_target=r.get("plan_target"),
                binding=(
                    "ahead"
                    if "ahead" in binding
                    else "trend"
                    if binding.startswith("trend")
                    else "cap"
                    if binding == "cap"
                    else ("gap" if binding else None)
                ),
                lang=lang,
                benchmark=str(r.get("benchmark_kind") or "city"),
                region_set=rset,
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
    return _say("projection.not_projected", lang, region=_region(focus, lang), name=name, reason=md_escape(reason))


def no_targets_sentence(focus: str, year: int, lang: str = "zh") -> str:
    return _say("target.no_targets", lang, region=_region(focus, lang), year=year)



# ------------------------------------------------------------------------------------------ evaluation


def _period_words(plan: Any, lang: str) -> str:
    from liyang_ip.registry import plans

    return plans.period_label(plan.base_year, plan.end, lang, quoted=True)


def evaluation_no_plan(year: int, lang: str = "zh") -> str:
    """No plan period contains the evaluation year."""
    return _say("evaluation.no_plan", lang, year=int(year))


def evaluation_paragraph(ev: pd.DataFrame, focus: str, plan: Any, year: int, lang: str = "zh",
                         thresholds: Mapping[str, float] | None = None) -> str:
    """What an evaluation (``analysis.evaluation.evaluate_targets``) found: how many targets in each status,
    which lag behind, the thresholds, and whether the latest figures are estimates.

    `thresholds` are the ones the evaluation was made with (default
    ``analysis.evaluation.DEFAULT_THRESHOLDS``); the paragraph states them."""
    from liyang_ip.analysis import evaluation

    reg = _region(focus, lang)
    kind = evaluation.evaluation_kind(plan.base_year, plan.end, int(year))
    common = {"region": reg, "plan": _period_words(plan, lang), "kind": evaluation.evaluation_kind_label(kind, lang),
              "year": int(year), "target_year": plan.end}
    if ev is None or len(ev) == 0:
        return _say("evaluation.no_targets", lang, **common)
    final = kind == "final"
    counts = evaluation.status_counts(ev)
    parts = [(evaluation.status_label(c, final, lang), n) for c, n in counts.items() if n > 0]
    behind = [_ind(c, lang)[0] for c in ev.loc[ev["status"] == "behind", "indicator"]]
    th = {**evaluation.DEFAULT_THRESHOLDS, **(thresholds or {})}
    return paragraph(
        _say("evaluation.summary", lang, total=len(ev), counts=parts, **common),
        _say("evaluation.behind", lang, names=behind, label=evaluation.status_label("behind", final, lang)),
        _say("evaluation.thresholds", lang, exceeded=th["exceeded"] * 100, met=th["met"] * 100,
             nearly=th["nearly"] * 100, labels=[evaluation.status_label(c, final, lang) for c in evaluation.STATUS_CODES]),
        _say("evaluation.estimate", lang, year=int(year)) if bool(ev["latest_estimate"].any()) else "",
        lang=lang,
    )


def evaluation_projection_paragraph(ev: pd.DataFrame, focus: str, plan: Any, lang: str = "zh") -> str:
    """How the projection made at the plan's start compares with the outturn."""
    sub = ev[ev["projection_error"].notna()]
    if sub.empty:
        return ""
    err = sub["projection_error"].astype(float)
    return _say("evaluation.projection", lang, region=_region(focus, lang), base_year=plan.base_year,
                year=plan.end, total=len(sub), high=int((err > 0).sum()), low=int((err < 0).sum()),
                mape=float(err.abs().mean()))


def evaluation_no_outturn(plan: Any, year: int, lang: str = "zh") -> str:
    """The plan has not ended (or no plan contains the year): no outturn to compare with."""
    if plan is None:
        return _say("evaluation.no_plan", lang, year=int(year))
    return _say("evaluation.no_outturn", lang, plan=_period_words(plan, lang), year=int(year), target_year=plan.end)


def evaluation_display(ev: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """The evaluation with a ``latest_note`` column (预计 / estimate) for the report table."""
    out = ev.copy()
    mark = _say("evaluation.estimate_mark", lang)
    out["latest_note"] = [mark if bool(e) else "" for e in out["latest_estimate"]]
    out["latest_year"] = out["latest_year"].astype("Int64")
    return out

__all__ = [
    "evaluation_display",
    "evaluation_no_outturn",
    "evaluation_no_plan",
    "evaluation_paragraph",
    "evaluation_projection_paragraph",
    "UNIT_EN",
    "attainment_paragraph",
    "composite_note",
    "composite_robust_paragraph",
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
    "verdict_label",
    "verdict_rule_sentence",
    "gm_check_sentence",
    "gm_grade_label",
    "baseline_paragraph",
    "baseline_sentences",
    "benchmark_paragraph",
    "benchmark_sentences",
    "bullets",
    "gap_change_sentences",
    "params_line",
    "status_line",
    "change_sentence",
    "is_flat_change",
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
