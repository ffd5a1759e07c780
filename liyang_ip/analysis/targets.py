"""Targets: required growth, projected value against a target, probability of reaching it, proposed targets.

Targets are data: a DataFrame with columns ``region, indicator, year, value, source`` (``source`` optional),
values in the indicator's canonical unit.

Reaching a target: probability only when calibrated, else a count of methods and a verdict
------------------------------------------------------------------------------------------
:func:`target_check` counts the fitted methods whose projection reaches the target ("3 of 4 methods") and
gives a plain verdict (:func:`verdict`: 有望达到 / 存在风险 / 难以达到, thresholds in ``VERDICT_RULE``).
A probability is given only where the calibration study (docs/uncertainty.md) found the chosen method's
probability calibrated for that kind of series (Brier score < 0.25 pooled and in every simulated process,
reliability within ±10 points): it is then read from the study's error distribution
(:func:`~liyang_ip.analysis.projection.exceed_probability`); otherwise ``probability`` is NaN.

:func:`reach_probability` is the old reading of an interval as a normal distribution; it is kept for
comparison (the study scores it) and is not used by :func:`target_check`.

Proposed targets (the drafting note's rule, §五(二))
---------------------------------------------------
"以逐步缩小与常州市其他6个板块在二级指标方面的差距为总基调；同时……有部分指标适当高于常州平均水平。"
For the focus block and each indicator, with base year = end of the fit window:

1. shortfall s₀ = polarity · (benchmark₀ − focus₀) / |benchmark₀|, the focus block's relative gap to the
   benchmark in the base year. Benchmarks: the other blocks, focus excluded (default; their correctly
   weighted average: Σ numerator / Σ denominator for ratios, the average block for counts), the
   Changzhou average (the 常州市 row; for ``sum`` indicators total / 7, as in
   :mod:`~liyang_ip.analysis.benchmark`), the leading block, or Changzhou's own plan target;
2. the benchmark is projected to the target year (ensemble) → benchmark_T (the city's plan target is
   taken as it is);
3. gap rule: the value whose shortfall to benchmark_T is (1 − share) · s₀, i.e. a chosen share of today's
   relative gap is closed by the target year: value = benchmark_T − polarity · (1 − share) · s₀ · |benchmark_T|.
   The share is per indicator and may exceed 1 (the target then lies beyond the benchmark);
4. feasibility: when the gap rule needs more annual growth than a cap (default: the 90th percentile of
   the blocks' own compound growth over the fit window), it is capped at base · (1 + cap)^years and the
   reason is given (``feasibility``);
5. the proposal is never below the focus block's own trend projection (never above it for polarity −1):
   proposed = max(rule, trend) (min for −1). When the focus block is already at or ahead of the
   benchmark, the trend projection is proposed;
6. the proposal is rounded to planning precision (:mod:`~liyang_ip.analysis.precision`).

Missing data: a missing base value, a benchmark without a 常州市 row, or a series too short to project gives
NaN and a ``note``; nothing is filled.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from ._common import (
    aggregate_map,
    block_names,
    check_obs,
    city_average,
    city_block_count,
    city_name,
    compound_growth,
    get_region_set,
    indicators_in,
    mark_region_set,
    polarity_map,
    require_region,
    series_getter,
    source_column,
)
from .projection import DEFAULT_METHODS, project


def required_growth(current: float, target: float, years: float) -> float:
    """Annual growth in % needed to go from `current` to `target` in `years` years (compound).

    Raises
    ------
    ValueError
        Non-positive or NaN values or years ≤ 0 (compound growth is undefined).
    """
    return compound_growth(current, target, years, "required growth")


def reach_probability(projected: float, lower: float, upper: float, target: float, level: float = 0.9,
                      polarity: int = 1) -> float:
    """Probability that the outcome reaches `target` if [lower, upper] were the central `level` interval of a
    normal distribution: Φ(polarity · (projected − target) / sd), sd = (upper − lower) / (2 Φ⁻¹(½ + level/2)).

    On 5–6-point series this reading is not calibrated (docs/uncertainty.md, table 5); :func:`target_check`
    does not use it. Returns NaN when the projection or its interval is missing; 1 or 0 for a zero width.
    """
    from scipy import stats

    if not all(np.isfinite([projected, lower, upper, target])):
        return float("nan")
    z = stats.norm.ppf(0.5 + level / 2)
    sd = (upper - lower) / (2 * z)
    diff = (projected - target) * polarity
    if sd <= 0:
        return 1.0 if diff >= 0 else 0.0
    return float(stats.norm.cdf(diff / sd))


# The verdict rule, in one place: the share of the member methods whose projection reaches the target.
# docs/uncertainty.md reports how often the targets of each verdict were reached in the calibration study.
# The words (有望达到 / 存在风险 / 难以达到) are in liyang_ip/wording (target.verdict).
VERDICT_RULE = {"likely": 0.75, "unlikely": 0.25}
VERDICTS = ("likely", "at_risk", "unlikely")


def verdict(n_reaching: int, n_methods: int, rule: Mapping[str, float] | None = None) -> str:
    """Plain verdict from how many of the fitted methods reach the target.

    ``likely`` (有望达到) when the share n_reaching / n_methods is at least ``rule['likely']`` (default 0.75),
    ``unlikely`` (难以达到) when it is at most ``rule['unlikely']`` (0.25), else ``at_risk`` (存在风险);
    '' when no method could be fitted.
    """
    rule = VERDICT_RULE if rule is None else rule
    if n_methods <= 0:
        return ""
    share = n_reaching / n_methods
    if share >= rule["likely"]:
        return "likely"
    if share <= rule["unlikely"]:
        return "unlikely"
    return "at_risk"


def _growth_or_nan(a: float, b: float, years: float) -> float:
    try:
        return required_growth(a, b, years)
    except ValueError:
        return float("nan")


def _projection_at(s: pd.Series, year: int, methods, fit_start, fit_end, level, weights):
    """Projected rows for `year` (DataFrame indexed by method) or a reason string."""
    try:
        p = project(s, methods=methods, fit_start=fit_start, fit_end=fit_end, horizon_end=year, level=level,
                    weights=weights)
    except ValueError as err:
        return str(err)
    return p[p["year"] == year].set_index("method")


def target_check(
    obs: pd.DataFrame,
    targets: pd.DataFrame,
    methods: Sequence[str] = DEFAULT_METHODS,
    fit_start: int | None = 2015,
    fit_end: int | None = 2020,
    level: float = 0.9,
    polarity: Mapping[str, int] | None = None,
    use: str | None = None,
    weights: Mapping[str, float] | None = None,
    calibration: Mapping | None = None,
    verdict_rule: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Check each target against the region's projection.

    Parameters
    ----------
    obs : DataFrame
        Tidy observation table (history of each target's region and indicator).
    targets : DataFrame
        ``region, indicator, year, value[, source or source_id]``; target years after the fit window.
    methods, fit_start, fit_end, level, weights :
        Passed to :func:`~liyang_ip.analysis.projection.project` (with the indicator's feasible range and
        count flag from the catalogue when the code is in it).
    use : str, optional
        Method whose projection and interval give ``projected``, ``lower``, ``upper`` and ``probability``
        (must be in `methods`; default ``ensemble`` when in `methods`, else the first method).
    polarity : mapping, optional
        Default from the catalogue.
    calibration : mapping, optional
        Calibration table (default the shipped one; see :func:`~liyang_ip.analysis.projection.load_calibration`).
    verdict_rule : mapping, optional
        Thresholds of :func:`verdict` (default ``VERDICT_RULE``).

    Returns
    -------
    DataFrame
        One row per target: ``region, indicator, year, target, source, base_year, base_value,
        required_growth, projected_growth, projected, lower, upper, projected_gap, projected_gap_pct,
        probability, on_track, methods_reaching, methods_fitted, verdict, note`` and
        ``proj_<method>`` for every method. Growth rates in % per year from the base (last observed year ≤
        fit_end); ``projected_gap`` = projected − target (unit), ``_pct`` relative to the target;
        ``on_track`` (nullable boolean) = the `use` projection reaches the target given polarity;
        ``methods_reaching`` / ``methods_fitted`` count the individual methods (not the ensemble);
        ``verdict`` is ``likely``, ``at_risk``, ``unlikely`` or '' (nothing fitted; the report's words are
        in liyang_ip/wording, ``narrative.target_sentence``); ``probability`` is NaN unless the study found
        it calibrated for this method and kind of series (module docstring).
    """
    from .projection import exceed_probability, probability_calibrated

    check_obs(obs)
    if use is None:
        use = "ensemble" if "ensemble" in methods else methods[0]
    if use not in methods:
        raise ValueError(f"use={use!r} must be one of the methods {list(methods)}")
    need = {"region", "indicator", "year", "value"}
    if missing := need - set(targets.columns):
        raise ValueError(f"targets lack column(s) {sorted(missing)}; expected region, indicator, year, value, source")
    pol = polarity_map(targets["indicator"].unique(), polarity)
    rows = []
    sources = source_column(targets)
    get = series_getter(obs)
    for t, src in zip(targets.itertuples(index=False), sources, strict=True):
        region, code, year, target = t.region, t.indicator, int(t.year), float(t.value)
        s = get(region, code)
        hist = s.loc[:fit_end] if fit_end is not None else s
        row = {"region": region, "indicator": code, "year": year, "target": target, "source": src,
               "base_year": pd.NA, "base_value": np.nan, "required_growth": np.nan, "projected_growth": np.nan,
               "projected": np.nan, "lower": np.nan, "upper": np.nan, "projected_gap": np.nan,
               "projected_gap_pct": np.nan, "probability": np.nan, "on_track": pd.NA, "methods_reaching": pd.NA,
               "methods_fitted": pd.NA, "verdict": "", "note": ""}
        notes = []
        if hist.empty:
            notes.append(f"no history for {region} / {code}")
        else:
            by, bv = int(hist.index[-1]), float(hist.iloc[-1])
            row.update(base_year=by, base_value=bv, required_growth=_growth_or_nan(bv, target, year - by))
            if fit_end is not None and by < fit_end:
                notes.append(f"base year {by}: no value for {fit_end}")
            end = fit_end if fit_end is not None else by
            if year <= end:
                notes.append(f"target year {year} is not after the fit window; see baseline.target_attainment")
            else:
                try:
                    full = project(s, methods=methods, fit_start=fit_start, fit_end=fit_end, horizon_end=year,
                                   level=level, weights=weights, indicator=_catalogue_code(code),
                                   calibration=calibration)
                except ValueError as err:
                    full = None
                    notes.append(f"not projected: {err}")
                if full is not None:
                    p = full[full["year"] == year].set_index("method")
                    for m in p.index:
                        row[f"proj_{m}"] = float(p.at[m, "value"])
                    members = p.drop(index="ensemble", errors="ignore")["value"].dropna()
                    k = int(((members - target) * pol[code] >= 0).sum())
                    key = verdict(k, len(members), verdict_rule)
                    row.update(methods_reaching=k, methods_fitted=len(members), verdict=key)
                    v, lo, hi = (float(p.at[use, c]) for c in ("value", "lower", "upper"))
                    if np.isnan(v):
                        notes.append(f"{use}: {p.at[use, 'note']}")
                    else:
                        fam = full.attrs.get("family", "level")
                        prob = np.nan
                        if probability_calibrated(use, calibration, fam):
                            prob = exceed_probability(use, year - by, v, full.attrs.get("scale", np.nan), target,
                                                      pol[code], calibration, fam)
                        row.update(
                            projected=v, lower=lo, upper=hi, projected_gap=v - target,
                            projected_gap_pct=(v - target) / abs(target) * 100 if target else np.nan,
                            probability=prob,
                            on_track=bool((v - target) * pol[code] >= 0),
                            projected_growth=_growth_or_nan(bv, v, year - by),
                        )
        row["note"] = "; ".join(notes)
        rows.append(row)
    cols = ["region", "indicator", "year", "target", "source", "base_year", "base_value", "required_growth",
            "projected_growth", "projected", "lower", "upper", "projected_gap", "projected_gap_pct", "probability",
            "on_track", "methods_reaching", "methods_fitted", "verdict", "note"] + [
            f"proj_{m}" for m in methods]
    out = pd.DataFrame(rows).reindex(columns=cols)
    out["on_track"] = out["on_track"].astype("boolean")
    out["base_year"] = out["base_year"].astype("Int64")
    out["methods_reaching"] = out["methods_reaching"].astype("Int64")
    out["methods_fitted"] = out["methods_fitted"].astype("Int64")
    return out


def _catalogue_code(code: str) -> str | None:
    """`code` when it is in the indicator catalogue (feasible range and count flag), else None."""
    from liyang_ip import registry

    return code if code in registry.indicators() else None


#: Benchmarks a proposal can close the gap to (see the module docstring).
BENCHMARKS = ("others", "city", "leader", "city_plan")

def _feasibility_text(lang: str, **values) -> str:
    """The feasibility reason, worded in liyang_ip/wording/<lang>.yaml (``targets.feasibility``)."""
    from liyang_ip import wording

    return wording.render("targets.feasibility", "en" if lang == "en" else "zh", **values)


def group_average(obs: pd.DataFrame, code: str, regions: Sequence[str], aggregate: str | None = None) -> pd.Series:
    """The correctly weighted average of `regions` per year (years where every region has a value only).

    Catalogue ratios are Σ numerator / Σ denominator (never a mean of ratios), weighted means use the
    catalogue's weight indicator; counts and anything else are the plain mean of the regions' values
    (the average block). Returns a float Series indexed by year (empty when no year is complete).
    """
    return _group_average(obs, series_getter(obs), code, regions, aggregate)


def _group_average(obs: pd.DataFrame, get, code: str, regions: Sequence[str], aggregate: str | None) -> pd.Series:
    """:func:`group_average` with the series of `obs` read through `get` (:func:`series_getter`)."""
    from liyang_ip import registry

    regions = list(regions)
    ind = registry.indicators().get(code)
    agg = aggregate or (ind.aggregate if ind else "sum")

    def wide(c):
        """Years × regions, only the years in which every region has a value."""
        columns = [get(r, c) for r in regions]
        if not regions or len(set(regions)) < len(regions) or any(not s.index.is_unique for s in columns):
            # Repeated years or regions: the pivot table (first value of a repeated year).
            sub = obs[(obs["indicator"] == c) & obs["region"].isin(regions)]
            return sub.pivot_table(index="year", columns="region", values="value", aggfunc="first").reindex(
                columns=regions).dropna()
        columns = [s.dropna() for s in columns]
        years = columns[0].index
        for s in columns[1:]:
            years = years.intersection(s.index)
        years = pd.Index(np.sort(years.to_numpy(dtype="int64")), name="year")
        return pd.DataFrame({r: s.loc[years].to_numpy() for r, s in zip(regions, columns, strict=True)},
                            index=years)

    if ind is not None and agg == "ratio" and ind.derive:
        n, d = wide(ind.derive["numerator"]), wide(ind.derive["denominator"])
        years = n.index.intersection(d.index)
        out = n.loc[years].sum(axis=1) / d.loc[years].sum(axis=1) * float(ind.derive.get("scale", 1))
    elif ind is not None and agg == "weighted_mean" and ind.weight:
        v, w = wide(code), wide(ind.weight)
        years = v.index.intersection(w.index)
        out = (v.loc[years] * w.loc[years]).sum(axis=1) / w.loc[years].sum(axis=1)
    else:
        out = wide(code).mean(axis=1)
    out.index = out.index.astype(int)
    return out.astype(float).rename(code)


def growth_caps(
    obs: pd.DataFrame,
    codes: Iterable[str],
    members: Sequence[str],
    fit_start: int | None,
    fit_end: int,
    quantile: float = 0.9,
    polarity: Mapping[str, int] | None = None,
) -> dict[str, float]:
    """Feasibility cap per indicator: a quantile of the members' own compound annual growth (%/yr).

    Each member's growth runs from its first to its last positive value in [fit_start, fit_end]. For
    polarity +1 the cap is the `quantile` (default the 90th percentile, linear interpolation), for −1 the
    1 − `quantile` one (the fastest decline seen). NaN when fewer than three members have a growth rate.
    """
    return _growth_caps(series_getter(obs), codes, members, fit_start, fit_end, quantile, polarity)


def _growth_caps(get, codes, members, fit_start, fit_end, quantile, polarity) -> dict[str, float]:
    """:func:`growth_caps` with the series read through `get` (:func:`series_getter`)."""
    codes = list(codes)
    pol = polarity_map(codes, polarity)
    lo = fit_start if fit_start is not None else -np.inf
    caps = {}
    for code in codes:
        rates = []
        for m in members:
            s = get(m, code)
            t, v = s.index.to_numpy(), s.to_numpy()
            keep = (t >= lo) & (t <= fit_end) & (v > 0)
            t, v = t[keep], v[keep]
            if len(t) >= 2 and t[-1] > t[0]:
                rates.append(required_growth(float(v[0]), float(v[-1]), int(t[-1] - t[0])))
        q = quantile if pol[code] > 0 else 1 - quantile
        caps[code] = float(np.quantile(rates, q)) if len(rates) >= 3 else float("nan")
    return caps


def propose_targets(
    obs: pd.DataFrame,
    focus: str,
    indicators: Iterable[str] | None = None,
    target_year: int = 2025,
    share: float | Mapping[str, float] = 0.5,
    benchmark: str = "others",
    peers: Iterable[str] | None = None,
    fit_start: int | None = 2015,
    fit_end: int = 2020,
    methods: Sequence[str] = DEFAULT_METHODS,
    plan_targets: pd.DataFrame | None = None,
    polarity: Mapping[str, int] | None = None,
    city: str | None = None,
    level: float = 0.9,
    weights: Mapping[str, float] | None = None,
    aggregate: Mapping[str, str] | None = None,
    n_blocks: int | None = None,
    growth_cap: float | Mapping[str, float] | None = None,
    cap_quantile: float = 0.9,
    rounding: bool = True,
    lang: str = "zh",
    region_set=None,
) -> pd.DataFrame:
    """Proposed target-year values for the focus block (rule in the module docstring), beside plan targets.

    Parameters
    ----------
    focus : str
        The block (e.g. 溧阳市).
    indicators : iterable of str, optional
        Default every indicator the focus block has in `fit_end`.
    target_year : int
        The plan's target year.
    share : float or mapping indicator → float, ≥ 0
        Share of the base-year relative gap to close by the target year, per indicator when a mapping
        (0.5 = halve the gap, 1 = reach the benchmark, above 1 = go beyond it, "有部分指标适当高于常州
        平均水平"). Indicators missing from a mapping use 0.5.
    benchmark : {'others', 'city', 'leader', 'city_plan'}
        'others' (default): the weighted average of the peers, focus excluded ("缩小与常州市其他6个板块的
        差距"); 'city': the 常州市 figure (its row in `obs`, average block for counts); 'leader': the best
        block in the base year among the focus and `peers`; 'city_plan': the city's own plan target for
        `target_year` from `plan_targets` (average block for counts) in place of a projection.
    peers : iterable of str, optional
        Default the other members of the region set.
    fit_start, fit_end, methods, level, weights :
        Projection settings (:func:`~liyang_ip.analysis.projection.project`); the ensemble is used when in
        `methods`, otherwise the first method.
    plan_targets : DataFrame, optional
        ``region, indicator, year, value[, source]``: the focus block's and the city's own plan targets.
    polarity, aggregate, n_blocks, city :
        Defaults from the catalogue and the registry.
    growth_cap : float or mapping, optional
        Highest required annual growth (%/yr; lowest for polarity −1) a proposal may need. Default per
        indicator from :func:`growth_caps` (the `cap_quantile` of the focus and peers' own growth over the
        fit window). A gap-rule value beyond it is capped at base × (1 + cap)^years, never below the trend.
    rounding : bool
        Round ``proposed`` to planning precision (:mod:`~liyang_ip.analysis.precision`; catalogue
        indicators only); ``proposed_exact`` keeps the unrounded value.
    lang : {'zh', 'en'}
        Language of the ``feasibility`` reason.
    region_set : RegionSet, name or path, optional
        The geography: the parent (``city``) and the members (``peers``); default the default set.

    Returns
    -------
    DataFrame
        One row per indicator: ``indicator, benchmark, benchmark_kind, share, base_year, focus_base,
        bench_base, shortfall_base, bench_projected, focus_trend, gap_rule, rule_growth (the growth the gap
        rule needs, %/yr, when it exceeds the trend), growth_cap, capped, feasibility, proposed_exact, proposed, binding, required_growth, trend_growth, parent_average,
        parent_target, plan_target, plan_source, proposed_vs_plan, note``. ``shortfall_base`` in %
        (positive = behind); growth rates in % per year from the base year; ``binding`` is 'gap rule',
        'cap', 'trend' or 'trend (already at or ahead of benchmark)'; ``parent_average`` is the city
        average for one block in the base year, ``parent_target`` the city's own target as given (a city
        total for counts); ``proposed_vs_plan`` = (proposed − plan) / |plan| × 100.
    """
    from .precision import planning_round

    check_obs(obs)
    require_region(obs, focus)
    shares = dict(share) if isinstance(share, Mapping) else None
    for v in (shares.values() if shares is not None else [share]):
        if not (np.isfinite(float(v)) and float(v) >= 0):
            raise ValueError(f"share must be a number ≥ 0 (1 closes the gap, above 1 goes beyond), got {v}")
    if benchmark not in BENCHMARKS:
        raise ValueError(f"benchmark must be one of {', '.join(BENCHMARKS)}, got {benchmark!r}")
    if target_year <= fit_end:
        raise ValueError(f"target_year ({target_year}) must be after fit_end ({fit_end})")
    region_set = get_region_set(region_set, obs)
    city = city or city_name(region_set)
    use = "ensemble" if "ensemble" in methods else methods[0]
    base = obs[(obs["region"] == focus) & (obs["year"] == fit_end)]
    codes = indicators_in(base, indicators)
    pol = polarity_map(codes, polarity)
    agg = aggregate_map(codes, aggregate)
    nb = city_block_count(city, n_blocks, region_set)
    others = [p for p in (peers if peers is not None else block_names(region_set)) if p != focus]
    group = [focus, *others]
    get = series_getter(obs)  # the table grouped once for every series below
    if growth_cap is None:
        caps = _growth_caps(get, codes, group, fit_start, fit_end, cap_quantile, pol)
    elif isinstance(growth_cap, Mapping):
        caps = {c: float(growth_cap.get(c, np.nan)) for c in codes}
    else:
        caps = {c: float(growth_cap) for c in codes}
    years = target_year - fit_end

    def trend_of(s, label):
        p = _projection_at(s, target_year, methods, fit_start, fit_end, level, weights)
        if isinstance(p, str):
            return np.nan, f"{label} not projected: {p}"
        v = float(p.at[use, "value"])
        return v, ("" if np.isfinite(v) else f"{label} {use}: {p.at[use, 'note']}")

    plans: dict[tuple, tuple[float, str]] = {}  # (region, indicator) → the first target for target_year
    if plan_targets is not None and not plan_targets.empty:
        pt = plan_targets[plan_targets["year"].astype(int) == target_year]
        for region, code, value, src in zip(pt["region"], pt["indicator"], pt["value"], source_column(pt),
                                            strict=True):
            plans.setdefault((region, code), (float(value), src))

    def plan_value(region, code):
        return plans.get((region, code), (np.nan, ""))

    rows = []
    for code in codes:
        notes = []
        pc = pol[code]
        sh = float(shares.get(code, 0.5)) if shares is not None else float(share)
        f0 = get(focus, code).get(fit_end, np.nan)
        city0 = get(city, code).get(fit_end, np.nan)
        parent_avg = city_average(city0, agg[code], nb)
        parent_target, _ = plan_value(city, code)
        label = bench_region = ""
        if benchmark in ("city", "city_plan"):
            bench_region, label = city, city
            b0 = parent_avg
        elif benchmark == "others":
            avg = _group_average(obs, get, code, others, agg[code])
            b0 = float(avg.get(fit_end, np.nan))
            label = "others"
        else:
            cur = obs[(obs["indicator"] == code) & (obs["year"] == fit_end) & obs["region"].isin(group)]
            cur = cur.set_index("region")["value"].reindex(group).dropna()  # ties → first in group order
            bench_region = (cur * pc).idxmax() if not cur.empty else ""
            b0 = get(bench_region, code).get(fit_end, np.nan) if bench_region else np.nan
            label = f"leader: {bench_region}"
        if np.isnan(f0):
            notes.append(f"no {focus} value for {fit_end}")
        if np.isnan(b0):
            notes.append(f"no {bench_region or benchmark} value for {fit_end}")
        s0 = pc * (b0 - f0) / abs(b0) if np.isfinite(b0) and b0 != 0 else np.nan
        ft, n1 = trend_of(get(focus, code), focus)
        n2 = ""
        if benchmark == "city":
            bt, n2 = trend_of(get(city, code), city)
            bt = city_average(bt, agg[code], nb)
        elif benchmark == "city_plan":
            bt = city_average(parent_target, agg[code], nb)
            if np.isnan(bt):
                n2 = f"no {city} plan target for {target_year}"
        elif benchmark == "others":
            bt, n2 = trend_of(avg, "others")
        else:
            bt, n2 = trend_of(get(bench_region, code), bench_region) if bench_region else (np.nan, "")
        notes += [n for n in (n1, n2) if n]
        gap_rule = bt - pc * (1 - sh) * s0 * abs(bt) if np.isfinite(s0) and s0 > 0 else np.nan
        cap = caps.get(code, np.nan)
        capped, feasibility, req = False, "", np.nan
        if np.isfinite(s0) and s0 <= 0:
            proposed, binding = ft, "trend (already at or ahead of benchmark)"
        elif np.isnan(gap_rule) or np.isnan(ft):
            proposed, binding = np.nan, ""
        elif (gap_rule - ft) * pc > 0:
            proposed, binding = gap_rule, "gap rule"
            req = _growth_or_nan(f0, gap_rule, years)
            if np.isfinite(cap) and np.isfinite(req) and (req - cap) * pc > 0:
                cap_value = f0 * (1 + cap / 100) ** years
                capped = True
                feasibility = _feasibility_text(
                    lang, geo=region_set.words("en" if lang == "en" else "zh"), required=req, cap=cap, quantile=cap_quantile * 100 if pc > 0 else (1 - cap_quantile) * 100)
                proposed, binding = (cap_value, "cap") if (cap_value - ft) * pc > 0 else (ft, "trend")
        else:
            proposed, binding = ft, "trend"
        exact = proposed
        if rounding and np.isfinite(proposed):
            from liyang_ip import registry

            if code in registry.indicators():
                proposed = planning_round(proposed, code)
        row = {
            "indicator": code, "benchmark": label, "benchmark_kind": benchmark, "share": sh,
            "base_year": fit_end, "focus_base": f0, "bench_base": b0,
            "shortfall_base": s0 * 100 if np.isfinite(s0) else np.nan, "bench_projected": bt,
            "focus_trend": ft, "gap_rule": gap_rule, "rule_growth": req, "growth_cap": cap, "capped": capped,
            "feasibility": feasibility, "proposed_exact": exact, "proposed": proposed, "binding": binding,
            "required_growth": _growth_or_nan(f0, proposed, years), "trend_growth": _growth_or_nan(f0, ft, years),
            "parent_average": parent_avg, "parent_target": parent_target,
            "plan_target": np.nan, "plan_source": "", "proposed_vs_plan": np.nan,
        }
        pv, psrc = plan_value(focus, code)
        if np.isfinite(pv):
            row.update(plan_target=pv, plan_source=psrc,
                       proposed_vs_plan=(proposed - pv) / abs(pv) * 100 if pv else np.nan)
        row["note"] = "; ".join(notes)
        rows.append(row)
    return mark_region_set(pd.DataFrame(rows, columns=[
        "indicator", "benchmark", "benchmark_kind", "share", "base_year", "focus_base", "bench_base",
        "shortfall_base", "bench_projected", "focus_trend", "gap_rule", "rule_growth", "growth_cap", "capped",
        "feasibility",
        "proposed_exact", "proposed", "binding", "required_growth", "trend_growth", "parent_average",
        "parent_target", "plan_target", "plan_source", "proposed_vs_plan", "note"]), region_set)


__all__ = ["BENCHMARKS", "VERDICTS", "VERDICT_RULE", "group_average", "growth_caps", "propose_targets",
           "reach_probability", "required_growth", "target_check", "verdict"]
