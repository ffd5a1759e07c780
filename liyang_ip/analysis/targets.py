"""Targets: required growth, projected value against a target, probability of reaching it, proposed targets.

Targets are data: a DataFrame with columns ``region, indicator, year, value, source`` (``source`` optional),
values in the indicator's canonical unit.

Probability of reaching a target
--------------------------------
The projection of the chosen method (default the ensemble, see :mod:`liyang_ip.analysis.projection`) is
read as a normal distribution whose central `level` interval is [lower, upper]: sd = (upper − lower) / (2 z),
z = Φ⁻¹(½ + level/2). The probability is Φ((projected − target) / sd) for polarity +1 and
Φ((target − projected) / sd) for −1. With a zero-width interval it is 1 or 0; without an interval
(e.g. ``cagr`` alone) it is NaN. This is an approximation: log-linear intervals are asymmetric, and with
5–6 annual points every interval understates the uncertainty of a five-year-ahead value.

Proposed targets (the seed's rule, §五(二))
-------------------------------------------
For the focus block and each indicator, with base year = end of the fit window:

1. shortfall s₀ = polarity · (benchmark₀ − focus₀) / |benchmark₀|, the focus block's relative gap to the
   benchmark in the base year. The benchmark is the Changzhou average (the 常州市 row; for ``sum``
   indicators the average block, total / 7, as in :mod:`~liyang_ip.analysis.benchmark`) or the leading
   block;
2. the benchmark is projected to the target year (ensemble) → benchmark_T;
3. gap rule: the value whose shortfall to benchmark_T is (1 − share) · s₀, i.e. a chosen share of today's
   relative gap is closed by the target year: value = benchmark_T − polarity · (1 − share) · s₀ · |benchmark_T|;
4. the proposal is never below the focus block's own trend projection (never above it for polarity −1):
   proposed = max(gap rule, trend) (min for −1). When the focus block is already at or ahead of the
   benchmark, the trend projection is proposed.

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
    indicators_in,
    polarity_map,
    require_region,
    series,
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
    if not (np.isfinite(current) and np.isfinite(target)):
        raise ValueError(f"required growth needs two values, got current={current}, target={target}")
    if years <= 0:
        raise ValueError(f"required growth needs years > 0, got {years}")
    if current <= 0 or target <= 0:
        raise ValueError(f"required growth needs positive values, got current={current}, target={target}")
    return ((target / current) ** (1.0 / years) - 1.0) * 100.0


def reach_probability(projected: float, lower: float, upper: float, target: float, level: float = 0.9,
                      polarity: int = 1) -> float:
    """Probability that the outcome reaches `target` under the normal reading of the interval (module doc).

    Returns NaN when the projection or its interval is missing.
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
) -> pd.DataFrame:
    """Check each target against the region's projection.

    Parameters
    ----------
    obs : DataFrame
        Tidy observation table (history of each target's region and indicator).
    targets : DataFrame
        ``region, indicator, year, value[, source or source_id]``; target years after the fit window.
    methods, fit_start, fit_end, level, weights :
        Passed to :func:`~liyang_ip.analysis.projection.project`.
    use : str, optional
        Method whose projection and interval give ``projected``, ``lower``, ``upper`` and ``probability``
        (must be in `methods`; default ``ensemble`` when in `methods`, else the first method).
    polarity : mapping, optional
        Default from the catalogue.

    Returns
    -------
    DataFrame
        One row per target: ``region, indicator, year, target, source, base_year, base_value,
        required_growth, projected_growth, projected, lower, upper, projected_gap, projected_gap_pct,
        probability, on_track, note`` and ``proj_<method>`` for every method. Growth rates in % per year
        from the base (last observed year ≤ fit_end); ``projected_gap`` = projected − target (unit),
        ``_pct`` relative to the target; ``on_track`` (nullable boolean) = projected reaches the target given
        polarity.
    """
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
    for t, src in zip(targets.itertuples(index=False), sources, strict=True):
        region, code, year, target = t.region, t.indicator, int(t.year), float(t.value)
        s = series(obs, region, code)
        hist = s.loc[:fit_end] if fit_end is not None else s
        row = {"region": region, "indicator": code, "year": year, "target": target, "source": src,
               "base_year": pd.NA, "base_value": np.nan, "required_growth": np.nan, "projected_growth": np.nan,
               "projected": np.nan, "lower": np.nan, "upper": np.nan, "projected_gap": np.nan,
               "projected_gap_pct": np.nan, "probability": np.nan, "on_track": pd.NA, "note": ""}
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
                p = _projection_at(s, year, methods, fit_start, fit_end, level, weights)
                if isinstance(p, str):
                    notes.append(f"not projected: {p}")
                else:
                    for m in p.index:
                        row[f"proj_{m}"] = float(p.at[m, "value"])
                    v, lo, hi = (float(p.at[use, c]) for c in ("value", "lower", "upper"))
                    if np.isnan(v):
                        notes.append(f"{use}: {p.at[use, 'note']}")
                    else:
                        row.update(
                            projected=v, lower=lo, upper=hi, projected_gap=v - target,
                            projected_gap_pct=(v - target) / abs(target) * 100 if target else np.nan,
                            probability=reach_probability(v, lo, hi, target, level, pol[code]),
                            on_track=bool((v - target) * pol[code] >= 0),
                            projected_growth=_growth_or_nan(bv, v, year - by),
                        )
        row["note"] = "; ".join(notes)
        rows.append(row)
    cols = ["region", "indicator", "year", "target", "source", "base_year", "base_value", "required_growth",
            "projected_growth", "projected", "lower", "upper", "projected_gap", "projected_gap_pct", "probability",
            "on_track", "note"] + [f"proj_{m}" for m in methods]
    out = pd.DataFrame(rows).reindex(columns=cols)
    out["on_track"] = out["on_track"].astype("boolean")
    out["base_year"] = out["base_year"].astype("Int64")
    return out


def propose_targets(
    obs: pd.DataFrame,
    focus: str,
    indicators: Iterable[str] | None = None,
    target_year: int = 2025,
    share: float = 0.5,
    benchmark: str = "city",
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
) -> pd.DataFrame:
    """Proposed target-year values for the focus block (rule in the module docstring), beside plan targets.

    Parameters
    ----------
    focus : str
        The block (e.g. 溧阳市).
    indicators : iterable of str, optional
        Default every indicator the focus block has in `fit_end`.
    target_year : int
        Default 2025 (end of the 14th Five-Year Plan).
    share : float in [0, 1]
        Share of the base-year relative gap to close by the target year (0.5 = halve the gap).
    benchmark : {'city', 'leader'}
        The 常州市 figure (its row in `obs`, never a mean of blocks) or the best block in the base year among
        the focus and `peers` (default the other blocks of ``registry.blocks()``).
    fit_start, fit_end, methods, level, weights :
        Projection settings (:func:`~liyang_ip.analysis.projection.project`); the ensemble is used when in
        `methods`, otherwise the first method.
    plan_targets : DataFrame, optional
        ``region, indicator, year, value[, source]``: the plan's own targets for comparison.
    polarity : mapping, optional
        Default from the catalogue.
    city : str, optional
        Default ``registry.CITY``.
    aggregate, n_blocks : optional
        For the city benchmark of ``sum`` indicators (average block = total / n_blocks); defaults from the
        catalogue and the registry (7 blocks).

    Returns
    -------
    DataFrame
        One row per indicator: ``indicator, benchmark, base_year, focus_base, bench_base, shortfall_base,
        bench_projected, focus_trend, gap_rule, proposed, binding, required_growth, trend_growth,
        plan_target, plan_source, proposed_vs_plan, note``. ``shortfall_base`` in % (positive = behind);
        growth rates in % per year from the base year; ``binding`` is 'gap rule', 'trend' or
        'trend (already at or ahead of benchmark)'; ``proposed_vs_plan`` = (proposed − plan) / |plan| × 100.
    """
    check_obs(obs)
    require_region(obs, focus)
    if not 0 <= share <= 1:
        raise ValueError(f"share must be between 0 and 1, got {share}")
    if benchmark not in ("city", "leader"):
        raise ValueError(f"benchmark must be 'city' or 'leader', got {benchmark!r}")
    if target_year <= fit_end:
        raise ValueError(f"target_year ({target_year}) must be after fit_end ({fit_end})")
    city = city or city_name()
    use = "ensemble" if "ensemble" in methods else methods[0]
    base = obs[(obs["region"] == focus) & (obs["year"] == fit_end)]
    codes = indicators_in(base, indicators)
    pol = polarity_map(codes, polarity)
    agg = aggregate_map(codes, aggregate) if benchmark == "city" else {}
    nb = city_block_count(city, n_blocks)
    group = None
    if benchmark == "leader":
        group = [focus] + [p for p in (peers if peers is not None else block_names()) if p != focus]

    def trend(region, code):
        p = _projection_at(series(obs, region, code), target_year, methods, fit_start, fit_end, level, weights)
        if isinstance(p, str):
            return np.nan, f"{region} not projected: {p}"
        v = float(p.at[use, "value"])
        return v, ("" if np.isfinite(v) else f"{region} {use}: {p.at[use, 'note']}")

    rows = []
    for code in codes:
        notes = []
        pc = pol[code]
        f0 = series(obs, focus, code).get(fit_end, np.nan)
        if benchmark == "city":
            bench_region = city
        else:
            cur = obs[(obs["indicator"] == code) & (obs["year"] == fit_end) & obs["region"].isin(group)]
            cur = cur.set_index("region")["value"].reindex(group).dropna()  # ties → first in group order
            bench_region = (cur * pc).idxmax() if not cur.empty else ""
        b0 = series(obs, bench_region, code).get(fit_end, np.nan) if bench_region else np.nan
        if benchmark == "city":
            b0 = city_average(b0, agg[code], nb)
        if np.isnan(f0):
            notes.append(f"no {focus} value for {fit_end}")
        if np.isnan(b0):
            notes.append(f"no {bench_region or benchmark} value for {fit_end}")
        s0 = pc * (b0 - f0) / abs(b0) if np.isfinite(b0) and b0 != 0 else np.nan
        ft, n1 = trend(focus, code)
        bt, n2 = trend(bench_region, code) if bench_region else (np.nan, "")
        if benchmark == "city":
            bt = city_average(bt, agg[code], nb)
        notes += [n for n in (n1, n2) if n]
        gap_rule = bt - pc * (1 - share) * s0 * abs(bt) if np.isfinite(s0) and s0 > 0 else np.nan
        if np.isfinite(s0) and s0 <= 0:
            proposed, binding = ft, "trend (already at or ahead of benchmark)"
        elif np.isnan(gap_rule) or np.isnan(ft):
            proposed, binding = np.nan, ""
        elif (gap_rule - ft) * pc > 0:
            proposed, binding = gap_rule, "gap rule"
        else:
            proposed, binding = ft, "trend"
        years = target_year - fit_end
        row = {
            "indicator": code, "benchmark": bench_region if benchmark == "city" else f"leader: {bench_region}",
            "base_year": fit_end, "focus_base": f0, "bench_base": b0,
            "shortfall_base": s0 * 100 if np.isfinite(s0) else np.nan, "bench_projected": bt,
            "focus_trend": ft, "gap_rule": gap_rule, "proposed": proposed, "binding": binding,
            "required_growth": _growth_or_nan(f0, proposed, years), "trend_growth": _growth_or_nan(f0, ft, years),
            "plan_target": np.nan, "plan_source": "", "proposed_vs_plan": np.nan,
        }
        if plan_targets is not None:
            pt = plan_targets[(plan_targets["region"] == focus) & (plan_targets["indicator"] == code)
                              & (plan_targets["year"] == target_year)]
            if len(pt):
                pv = float(pt["value"].iloc[0])
                row.update(plan_target=pv, plan_source=source_column(pt).iloc[0],
                           proposed_vs_plan=(proposed - pv) / abs(pv) * 100 if pv else np.nan)
        row["note"] = "; ".join(notes)
        rows.append(row)
    return pd.DataFrame(rows, columns=[
        "indicator", "benchmark", "base_year", "focus_base", "bench_base", "shortfall_base", "bench_projected",
        "focus_trend", "gap_rule", "proposed", "binding", "required_growth", "trend_growth", "plan_target",
        "plan_source", "proposed_vs_plan", "note"])


__all__ = ["propose_targets", "reach_probability", "required_growth", "target_check"]
