"""Benchmark a focus unit against its peers (by default the other members of its region set).

The geography comes from a region set (``region_set``: a bundled name, a path to a YAML file or a
RegionSet; default the default set): its parent is the aggregate, its members are ranked.
Ranks respect polarity (rank 1 = best). Gaps are measured to three benchmarks:

* the parent average: from the parent's row of the processed table (official, or derived total over
  total by the data layer). For ratio and weighted-mean indicators that row is the correctly weighted
  average and is used as it is; for ``sum`` indicators (counts, amounts) it is a total, so the benchmark
  is the average member, total / N (N members; when the parent's total also holds units outside the
  benchmark, the mean of the N members' own values). It is never recomputed here as a mean of member
  ratios, which would weight a small unit like a large one; when the row is missing the gap is NaN and a
  note says so;
* the median of the comparison group (focus + peers with a value that year);
* the leader of the comparison group (best value given polarity).

Sign convention: ``gap_*`` = focus − benchmark in the indicator's unit and ``gap_*_pct`` = that difference
as % of |benchmark|, whatever the polarity; :func:`gap_change` turns them into polarity-aware shortfalls.

Missing data: a region without a row for a year is left out of that year's ranks, median and leader (``n``
says how many regions were compared); nothing is filled.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from ._common import (
    aggregate_map,
    block_names,
    check_obs,
    get_region_set,
    indicators_in,
    mark_region_set,
    parent_benchmark,
    polarity_map,
    rank_desc,
    require_region,
)


def _group(focus: str | None, peers: Iterable[str] | None, regions: Iterable[str] | None = None,
           region_set=None) -> list[str]:
    if regions is not None:
        return list(regions)
    blocks = block_names(region_set)
    if peers is None:
        peers = [b for b in blocks if b != focus]
    group = ([focus] if focus else []) + [p for p in peers if p != focus]
    return group


def _gap(value: float, bench: float) -> tuple[float, float]:
    """(value − bench, that as % of |bench|); the % is NaN when the benchmark is 0 or missing."""
    d = value - bench
    return d, (d / abs(bench) * 100.0 if np.isfinite(bench) and bench != 0 else np.nan)


def _years(obs: pd.DataFrame, years) -> list[int]:
    if years is None:
        return sorted(int(y) for y in obs["year"].unique())
    if isinstance(years, int | np.integer):
        return [int(years)]
    return sorted({int(y) for y in years})


def rank_table(
    obs: pd.DataFrame,
    regions: Iterable[str] | None = None,
    years: int | Iterable[int] | None = None,
    indicators: Iterable[str] | None = None,
    polarity: Mapping[str, int] | None = None,
    region_set=None,
) -> pd.DataFrame:
    """Rank regions per indicator and year, respecting polarity.

    Parameters
    ----------
    regions : iterable of str, optional
        Regions to rank; default the members of `region_set`, never the parent total.
    years : int or iterable of int, optional
        Default all years in `obs`.
    indicators : iterable of str, optional
        Default all indicators in `obs`.
    polarity : mapping code → ±1, optional
        Default from the catalogue.
    region_set : RegionSet, name or path, optional
        Default the default set.

    Returns
    -------
    DataFrame
        ``indicator, year, region, value, rank, n``: rank 1 is best (highest value for polarity +1, lowest
        for −1); ties share the better rank; ``n`` = regions with a value that year. Regions without a
        value are absent (not ranked last).
    """
    check_obs(obs)
    region_set = get_region_set(region_set, obs)
    group = _group(None, None, regions) if regions is not None else block_names(region_set)
    yrs = _years(obs, years)
    sel = obs[obs["region"].isin(group) & obs["year"].isin(yrs)]
    codes = indicators_in(sel, indicators)
    pol = polarity_map(codes, polarity)
    sel = sel[sel["indicator"].isin(codes)][["indicator", "year", "region", "value"]].copy()
    # rank_desc per indicator and year, in one pass: value × polarity ranked descending, ties 'min'
    signed = sel["value"].astype(float) * sel["indicator"].map(pol)
    keys = [sel["indicator"], sel["year"]]
    sel["rank"] = signed.groupby(keys).rank(ascending=False, method="min")
    sel["n"] = sel["value"].groupby(keys).transform("size")
    sel["rank"] = sel["rank"].astype("int64")
    order = {r: i for i, r in enumerate(group)}
    sel = sel.assign(_o=sel["region"].map(order)).sort_values(["indicator", "year", "rank", "_o"])
    return mark_region_set(sel.drop(columns="_o").reset_index(drop=True), region_set)


def gap_table(
    obs: pd.DataFrame,
    focus: str,
    peers: Iterable[str] | None = None,
    years: int | Iterable[int] | None = None,
    indicators: Iterable[str] | None = None,
    polarity: Mapping[str, int] | None = None,
    city: str | None = None,
    aggregate: Mapping[str, str] | None = None,
    n_blocks: int | None = None,
    region_set=None,
) -> pd.DataFrame:
    """Gaps of the focus unit to the parent average, the group median and the group leader.

    Parameters
    ----------
    focus : str
        The unit under study (a member of `region_set`).
    peers : iterable of str, optional
        Comparison units; default the other members of `region_set`.
    years, indicators, polarity :
        As in :func:`rank_table`.
    city : str, optional
        Region holding the parent figure; default the parent of `region_set`.
    aggregate : mapping code → rule, optional
        Default from the catalogue; ``sum`` indicators are compared with the average member (module
        docstring).
    n_blocks : int, optional
        Number of units the parent total covers; default from `region_set`.
    region_set : RegionSet, name or path, optional
        Default the default set.

    Returns
    -------
    DataFrame
        One row per indicator and year: ``indicator, year, value, rank, n, city_value, city_avg, median,
        leader, leader_value, gap_city, gap_city_pct, gap_median, gap_median_pct, gap_leader,
        gap_leader_pct, note``. ``value`` is the focus value; ``city_value`` the parent's row, ``city_avg``
        the benchmark derived from it (module docstring) to which ``gap_city*`` refer; gaps follow the
        module's sign convention; ``note`` reports a missing focus value or parent row. ``rank`` is missing
        (with a note) when only one member of the group has a figure (``n`` = 1); so are median and leader.
    """
    check_obs(obs)
    require_region(obs, focus)
    rset = get_region_set(region_set, obs)
    city = city or rset.parent
    group = _group(focus, peers, region_set=rset)
    yrs = _years(obs, years)
    sel = obs[obs["year"].isin(yrs)]
    codes = indicators_in(sel[sel["region"].isin(group)], indicators)
    pol = polarity_map(codes, polarity)
    agg = aggregate_map(codes, aggregate)
    val = sel[sel["indicator"].isin(codes)].set_index(["indicator", "year", "region"])["value"].sort_index()
    # each (indicator, year)'s values by region, split once (a .loc per pair on the MultiIndex costs more)
    parts = {key: part.droplevel([0, 1]) for key, part in val.groupby(level=[0, 1], sort=False)}
    rows = []
    for code in codes:
        for yr in yrs:
            cur = parts.get((code, yr))
            if cur is None:
                continue
            g = cur.reindex(group).dropna()
            if g.empty and city not in cur.index:
                continue
            notes = []
            v = float(g.get(focus, np.nan))
            if np.isnan(v):
                notes.append(f"no {focus} value")
            cv = float(cur.get(city, np.nan))
            if np.isnan(cv):
                notes.append(f"no {city} row (the parent figure is not averaged from members here)")
            ca, why = parent_benchmark(cv, agg[code], rset, n_blocks, cur)
            if why and np.isnan(ca) and not np.isnan(cv):
                notes.append(why)
            ranks = rank_desc(g, pol[code])
            n_data = len(g)
            if n_data == 1:
                # A rank, median or leader of one block says nothing: gaps, with the reason.
                notes.append("only 1 block with data: no rank, median or leader")
                g = g.iloc[:0]
            med = float(g.median()) if len(g) else np.nan
            if len(g):
                best = ranks[ranks == ranks.min()].index[0]
                lv = float(g[best])
            else:
                best, lv = "", np.nan
            gc, gcp = _gap(v, ca)
            gm, gmp = _gap(v, med)
            gl, glp = _gap(v, lv)
            rows.append((code, yr, v, float(ranks.get(focus, np.nan)) if len(g) else np.nan, n_data, cv, ca, med,
                         best, lv, gc, gcp, gm, gmp, gl, glp, "; ".join(notes)))
    cols = ["indicator", "year", "value", "rank", "n", "city_value", "city_avg", "median", "leader", "leader_value",
            "gap_city", "gap_city_pct", "gap_median", "gap_median_pct", "gap_leader", "gap_leader_pct", "note"]
    out = pd.DataFrame(rows, columns=cols)
    out["rank"] = out["rank"].astype("Int64")
    out["year"] = out["year"].astype("int64")
    return mark_region_set(out, rset)


def benchmark_table(
    obs: pd.DataFrame,
    focus: str,
    peers: Iterable[str] | None = None,
    year: int | None = None,
    indicators: Iterable[str] | None = None,
    polarity: Mapping[str, int] | None = None,
    city: str | None = None,
    aggregate: Mapping[str, str] | None = None,
    n_blocks: int | None = None,
    region_set=None,
) -> pd.DataFrame:
    """:func:`gap_table` for one year (default the latest year in which the focus has any value).

    Returns
    -------
    DataFrame
        Same columns as :func:`gap_table`, one row per indicator.
    """
    check_obs(obs)
    require_region(obs, focus)
    if year is None:
        year = int(obs.loc[obs["region"] == focus, "year"].max())
    return gap_table(obs, focus, peers, [int(year)], indicators, polarity, city, aggregate, n_blocks, region_set)


#: Default materiality of a change in a relative gap, in percentage points (see :func:`gap_change`).
DEFAULT_MATERIALITY = 1.0


def gap_change(
    obs: pd.DataFrame,
    focus: str,
    start: int = 2015,
    end: int = 2020,
    against: str = "city",
    peers: Iterable[str] | None = None,
    indicators: Iterable[str] | None = None,
    polarity: Mapping[str, int] | None = None,
    city: str | None = None,
    aggregate: Mapping[str, str] | None = None,
    n_blocks: int | None = None,
    materiality: float = DEFAULT_MATERIALITY,
    region_set=None,
) -> pd.DataFrame:
    """Did the focus block's relative gap to a benchmark narrow between two years?

    Parameters
    ----------
    against : {'city', 'median', 'leader'}
        Benchmark (see the module docstring); other parameters as in :func:`gap_table`.
    materiality : float
        Smallest change of the shortfall, in percentage points, that counts as narrowing or widening
        (default :data:`DEFAULT_MATERIALITY`); a smaller change is 'unchanged' (基本持平) and not
        ``improved``. 0 counts every change.

    Returns
    -------
    DataFrame
        ``indicator, against, value_start, value_end, bench_start, bench_end, shortfall_start,
        shortfall_end, change, improved, status``. ``shortfall`` = how far the focus is behind the
        benchmark in % of the benchmark, polarity-aware (positive = behind, negative = ahead);
        ``change`` = shortfall_end − shortfall_start in percentage points; ``improved`` (nullable boolean)
        is True when the shortfall fell by at least `materiality`; ``status`` is one of 'gap narrowed', 'gap widened', 'overtook',
        'fell behind', 'lead widened', 'lead narrowed', 'unchanged', or says which figure is missing.
    """
    if against not in ("city", "median", "leader"):
        raise ValueError(f"against must be 'city', 'median' or 'leader', got {against!r}")
    if start >= end:
        raise ValueError(f"start ({start}) must be before end ({end})")
    if not (np.isfinite(materiality) and materiality >= 0):
        raise ValueError(f"materiality must be a number of percentage points ≥ 0, got {materiality}")
    region_set = get_region_set(region_set, obs)
    g = gap_table(obs, focus, peers, [start, end], indicators, polarity, city, aggregate, n_blocks, region_set)
    codes = indicators_in(g, indicators)
    pol = polarity_map(codes, polarity)
    bench_col = {"city": "city_avg", "median": "median", "leader": "leader_value"}[against]
    rows = []
    for code in codes:
        sub = g[g["indicator"] == code].set_index("year")

        def pick(col, yr, sub=sub):
            return float(sub.at[yr, col]) if yr in sub.index else np.nan

        v0, v1 = pick("value", start), pick("value", end)
        b0, b1 = pick(bench_col, start), pick(bench_col, end)
        s0 = -pol[code] * pick(f"gap_{against}_pct", start)
        s1 = -pol[code] * pick(f"gap_{against}_pct", end)
        if np.isnan(s0) or np.isnan(s1):
            missing = [f"{what} {yr}" for what, x, yr in
                       (("focus", v0, start), ("focus", v1, end), (against, b0, start), (against, b1, end))
                       if np.isnan(x)]
            status = "missing: " + ", ".join(missing) if missing else "undefined (benchmark is 0)"
            improved = pd.NA
        else:
            improved = bool(s1 < s0 - materiality) if materiality > 0 else bool(s1 < s0)
            if s1 == s0 or abs(s1 - s0) < materiality:
                status = "unchanged"
            elif s0 > 0 and s1 > 0:
                status = "gap narrowed" if s1 < s0 else "gap widened"
            elif s0 > 0 >= s1:
                status = "overtook"
            elif s0 <= 0 < s1:
                status = "fell behind"
            else:
                status = "lead widened" if s1 < s0 else "lead narrowed"
        rows.append((code, against, v0, v1, b0, b1, s0, s1, s1 - s0, improved, status))
    out = pd.DataFrame(rows, columns=["indicator", "against", "value_start", "value_end", "bench_start",
                                      "bench_end", "shortfall_start", "shortfall_end", "change", "improved",
                                      "status"])
    out["improved"] = out["improved"].astype("boolean")
    out.attrs["materiality"] = float(materiality)  # so prose can state the threshold it was judged by
    return mark_region_set(out, region_set)


def sigma_convergence(
    obs: pd.DataFrame,
    indicators: Iterable[str] | None = None,
    regions: Iterable[str] | None = None,
    years: int | Iterable[int] | None = None,
    region_set=None,
) -> pd.DataFrame:
    """σ-convergence: coefficient of variation across regions, per indicator and year.

    Parameters
    ----------
    regions : iterable of str, optional
        Default the members of `region_set` (default set if None). Unweighted: each unit counts once
        (this measures dispersion between units, not inequality between residents).

    Returns
    -------
    DataFrame
        ``indicator, year, n, mean, std, cv, complete``: ``std`` is the population standard deviation
        (ddof = 0), ``cv`` = std / mean (a ratio, not %), NaN when the mean is 0; ``complete`` is False when
        some regions lack a value that year (the CV is then over fewer regions and not comparable across
        years). A falling CV over time is σ-convergence.
    """
    check_obs(obs)
    region_set = get_region_set(region_set, obs)
    group = list(regions) if regions is not None else block_names(region_set)
    yrs = _years(obs, years)
    sel = obs[obs["region"].isin(group) & obs["year"].isin(yrs)]
    codes = indicators_in(sel, indicators)
    sel = sel[sel["indicator"].isin(codes)]
    g = sel.groupby(["indicator", "year"])["value"]
    out = pd.DataFrame({"n": g.count(), "mean": g.mean(), "std": g.std(ddof=0)}).reset_index()
    out["cv"] = out["std"] / out["mean"].where(out["mean"] != 0)
    out["complete"] = out["n"] == len(group)
    order = {c: i for i, c in enumerate(codes)}
    out = out.assign(_o=out["indicator"].map(order)).sort_values(["_o", "year"]).drop(columns="_o")
    return mark_region_set(out[["indicator", "year", "n", "mean", "std", "cv", "complete"]].reset_index(drop=True),
                           region_set)


__all__ = ["benchmark_table", "gap_change", "gap_table", "rank_table", "sigma_convergence"]
