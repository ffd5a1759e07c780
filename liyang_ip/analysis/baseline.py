"""Baseline of one region over a plan period (default the 13th Five-Year Plan, 2015 → 2020).

Levels, absolute increments, compound annual growth, year-on-year growth, share of the parent total and
attainment of stated targets. All functions read the tidy observation table (columns ``region, year,
indicator, value`` at least; see docs/ARCHITECTURE.md) and return new DataFrames.

Missing data: a year without a row is missing. Nothing is interpolated or carried forward: a growth rate
whose end point is missing is NaN, and the years missing inside the period are listed in a
``missing_years`` column.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from ._common import (
    aggregate_map,
    check_obs,
    city_name,
    compound_growth,
    fill_doc,
    format_years,
    get_region_set,
    indicators_in,
    missing_years,
    polarity_map,
    require_region,
    series,
    source_column,
    unit_map,
)

#: Parameters the functions of this module share (numpydoc), filled into their docstrings by ``fill_doc``.
_PERIOD = """obs : DataFrame
        Tidy observation table (``region, year, indicator, value`` at least).
    region : str
        Canonical region name (a member of the region set, or its parent).
    start, end : int
        Period end points, years (inclusive); default 2015 → 2020.
    indicators : iterable of str, optional
        Indicator codes; default all indicators the region has."""

_PARENT = """city : str, optional
        Region holding the parent total; default the parent of `region_set`.
    aggregate : mapping code → rule, optional
        ``sum`` | ``ratio`` | ``weighted_mean`` | ``none``; default from the catalogue. Shares are only
        meaningful for ``sum`` indicators (counts, amounts); other indicators get NaN and a note.
    region_set : RegionSet, bundled name or path, optional
        Default: the set recorded on `obs` (``load_dataset`` records the dataset's), else the default set."""


def cagr(start_value: float, end_value: float, years: float) -> float:
    """Compound annual growth rate in % per year: ((end/start)^(1/years) − 1) × 100.

    Raises
    ------
    ValueError
        If `years` ≤ 0 or either value is ≤ 0 (growth of a non-positive level is undefined), or NaN.
    """
    return compound_growth(start_value, end_value, years, "CAGR")


@fill_doc(period=_PERIOD)
def levels_table(
    obs: pd.DataFrame,
    region: str,
    start: int = 2015,
    end: int = 2020,
    indicators: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Values of one region: rows = indicators, columns = years start…end (NaN where no row exists).

    Parameters
    ----------
    {period}

    Returns
    -------
    DataFrame
        Index ``indicator``; one column per year (int) in the indicator's unit.
    """
    check_obs(obs)
    require_region(obs, region)
    codes = indicators_in(obs[obs["region"] == region], indicators)
    years = list(range(int(start), int(end) + 1))
    sel = obs[(obs["region"] == region) & obs["indicator"].isin(codes) & obs["year"].between(start, end)]
    wide = sel.pivot(index="indicator", columns="year", values="value")
    out = wide.reindex(index=pd.Index(codes, name="indicator"), columns=years)
    out.columns.name = "year"
    return out.astype(float)


@fill_doc(period=_PERIOD)
def yoy_table(
    obs: pd.DataFrame,
    region: str,
    start: int = 2015,
    end: int = 2020,
    indicators: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Year-on-year change of one region.

    Parameters
    ----------
    {period}

    Returns
    -------
    DataFrame
        ``indicator, year, value, change, yoy`` for years start…end where the region has a value:
        ``change`` = value − previous year's value (unit of the indicator), ``yoy`` = change / previous × 100
        (%). Both are NaN when the previous year is missing (never bridged over a gap); ``yoy`` is NaN when
        the previous value is 0.
    """
    lv = levels_table(obs, region, start - 1, end, indicators)
    prev = lv.shift(1, axis=1)
    change = lv - prev
    yoy = change / prev.where(prev != 0) * 100.0
    out = pd.DataFrame({
        "value": lv.stack(),  # pandas ≥ 3 keeps NaN when stacking
        "change": change.stack(),
        "yoy": yoy.stack(),
    }).reset_index()
    out = out[(out["year"] >= start) & out["value"].notna()]
    return out[["indicator", "year", "value", "change", "yoy"]].reset_index(drop=True)


@fill_doc(period=_PERIOD, parent=_PARENT)
def share_of_city(
    obs: pd.DataFrame,
    region: str,
    start: int = 2015,
    end: int = 2020,
    indicators: Iterable[str] | None = None,
    city: str | None = None,
    aggregate: Mapping[str, str] | None = None,
    region_set=None,
) -> pd.DataFrame:
    """Share of the parent's total (e.g. the city's), for indicators whose parent figure is a sum.

    Parameters
    ----------
    {period}
    {parent}

    Returns
    -------
    DataFrame
        ``indicator, year, value, city_value, share, note`` with ``share`` in % (region / city × 100), NaN
        when either figure is missing (noted; also when the data have no row for `city` at all) or the
        city total is 0.
    """
    lv, city = _levels_and_parent(obs, region, start, end, indicators, city, region_set)
    codes = list(lv.index)
    agg = aggregate_map(codes, aggregate)
    if (obs["region"] == city).any():
        cv = levels_table(obs, city, start, end, codes)
    else:  # a block's own data without the city row: every share is a gap, with that reason
        cv = pd.DataFrame(np.nan, index=lv.index, columns=lv.columns)
    rows = []
    for code in codes:
        for yr in lv.columns:
            v, c = lv.at[code, yr], cv.at[code, yr]
            note = ""
            share = np.nan
            if agg[code] != "sum":
                note = f"share not meaningful: aggregate rule is {agg[code]!r}, not 'sum'"
            elif np.isnan(v):
                note = f"no {region} value"
            elif np.isnan(c):
                note = f"no {city} total"
            elif c != 0:
                share = v / c * 100.0
            rows.append((code, int(yr), v, c, share, note))
    return pd.DataFrame(rows, columns=["indicator", "year", "value", "city_value", "share", "note"])


def _levels_and_parent(obs, region, start, end, indicators, city, region_set) -> tuple[pd.DataFrame, str]:
    """The region's levels (:func:`levels_table`) and the name of the parent holding the totals."""
    check_obs(obs)
    return levels_table(obs, region, start, end, indicators), city or city_name(region_set, obs)


def target_attainment(
    obs: pd.DataFrame,
    targets: pd.DataFrame,
    polarity: Mapping[str, int] | None = None,
    base_year: int | None = None,
) -> pd.DataFrame:
    """Attainment of stated targets (targets are data: ``region, indicator, year, value, source``).

    Parameters
    ----------
    targets : DataFrame
        One row per target; ``source`` (or ``source_id``, as in ``load_dataset(...).targets``) is optional.
    polarity : mapping code → ±1, optional
        Default from the catalogue. For −1 (lower is better) a target is met when actual ≤ target.
    base_year : int, optional
        When given, ``progress`` = (actual − base) / (target − base) × 100: the share of the planned change
        achieved since the base year.

    Returns
    -------
    DataFrame
        ``region, indicator, year, target, actual, attainment, met, source`` (+ ``base_value, progress``):
        ``attainment`` = actual / target × 100 (%), inverted (target / actual) for polarity −1; ``met`` is a
        nullable boolean, NA when the actual figure is missing.
    """
    check_obs(obs)
    need = {"region", "indicator", "year", "value"}
    if missing := need - set(targets.columns):
        raise ValueError(f"targets lack column(s) {sorted(missing)}; expected region, indicator, year, value, source")
    t = targets[["region", "indicator", "year", "value"]].rename(columns={"value": "target"})
    t = t.assign(source=source_column(targets))
    t["year"] = t["year"].astype("int64")
    pol = polarity_map(t["indicator"].unique(), polarity)
    act = obs[["region", "year", "indicator", "value"]].rename(columns={"value": "actual"})
    out = t.merge(act, on=["region", "year", "indicator"], how="left")
    p = out["indicator"].map(pol).astype(float)
    a, g = out["actual"].astype(float), out["target"].astype(float)
    out["attainment"] = np.where(p > 0, a / g.where(g != 0), g / a.where(a != 0)) * 100.0
    met = np.where(p > 0, a >= g, a <= g)
    out["met"] = pd.array([None if np.isnan(x) else bool(m) for x, m in zip(a, met, strict=True)], dtype="boolean")
    cols = ["region", "indicator", "year", "target", "actual", "attainment", "met", "source"]
    if base_year is not None:
        base = obs[obs["year"] == base_year][["region", "indicator", "value"]].rename(columns={"value": "base_value"})
        out = out.merge(base, on=["region", "indicator"], how="left")
        denom = (out["target"] - out["base_value"]).where(lambda d: d != 0)
        out["progress"] = (out["actual"] - out["base_value"]) / denom * 100.0
        cols += ["base_value", "progress"]
    return out[cols].reset_index(drop=True)


@fill_doc(period=_PERIOD, parent=_PARENT)
def baseline_table(
    obs: pd.DataFrame,
    region: str,
    start: int = 2015,
    end: int = 2020,
    indicators: Iterable[str] | None = None,
    city: str | None = None,
    aggregate: Mapping[str, str] | None = None,
    targets: pd.DataFrame | None = None,
    polarity: Mapping[str, int] | None = None,
    region_set=None,
) -> pd.DataFrame:
    """One row per indicator summarising a region's period: levels, increment, CAGR, share, target.

    Parameters
    ----------
    {period}
    {parent}
    targets : DataFrame, optional
        Targets (``region, indicator, year, value, source``); those for `region` and year `end` are
        compared with the end value.
    polarity : mapping, optional
        Used for target attainment only.

    Returns
    -------
    DataFrame
        ``indicator, unit, value_start, value_end, increment, cagr, share_start, share_end, n_years,
        missing_years, note`` (+ ``target, attainment, met, target_source`` when targets are given).
        ``increment`` is value_end − value_start in the indicator's unit; ``cagr`` in % per year; shares in %
        (``sum`` indicators only). Missing end points give NaN (never the nearest year) and are named in
        ``note``; ``missing_years`` lists the years start…end without a value.
    """
    lv, city = _levels_and_parent(obs, region, start, end, indicators, city, region_set)
    codes = list(lv.index)
    units = unit_map(obs, codes)
    sh = share_of_city(obs, region, start, end, codes, city=city, aggregate=aggregate).set_index(["indicator", "year"])
    rows = []
    for code in codes:
        v0, v1 = lv.at[code, start], lv.at[code, end]
        notes = []
        if np.isnan(v0):
            notes.append(f"no value for {start}")
        if np.isnan(v1):
            notes.append(f"no value for {end}")
        g = np.nan
        if not (np.isnan(v0) or np.isnan(v1)):
            try:
                g = cagr(v0, v1, end - start)
            except ValueError as err:
                notes.append(f"CAGR undefined: {err}")
        s = series(obs, region, code)
        gaps = missing_years(s.index, start, end)
        rows.append({
            "indicator": code, "unit": units[code], "value_start": v0, "value_end": v1,
            "increment": v1 - v0, "cagr": g,
            "share_start": sh.at[(code, start), "share"], "share_end": sh.at[(code, end), "share"],
            "n_years": (end - start + 1) - len(gaps), "missing_years": format_years(gaps),
            "note": "; ".join(notes),
        })
    out = pd.DataFrame(rows, columns=["indicator", "unit", "value_start", "value_end", "increment", "cagr",
                                      "share_start", "share_end", "n_years", "missing_years", "note"])
    if targets is not None:
        t = targets[(targets["region"] == region) & (targets["year"] == end) & targets["indicator"].isin(codes)]
        if not t.empty:
            att = target_attainment(obs, t, polarity=polarity)
            att = att.rename(columns={"source": "target_source"})[["indicator", "target", "attainment", "met",
                                                                     "target_source"]]
            out = out.merge(att, on="indicator", how="left")
        else:
            out = out.assign(target=np.nan, attainment=np.nan, met=pd.array([pd.NA] * len(out), dtype="boolean"),
                             target_source="")
    # Why every share may be missing: prose says so instead of a generic "cannot be computed".
    out.attrs["city_missing"] = not (obs["region"] == city).any()
    out.attrs["region_set"] = get_region_set(region_set, obs).spec  # prose words (占全市比重) follow the set
    return out


__all__ = ["baseline_table", "cagr", "levels_table", "share_of_city", "target_attainment", "yoy_table"]
