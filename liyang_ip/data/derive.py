"""Derived figures: per-10k-resident ratios, Changzhou totals and correctly weighted averages.

A city ratio is total over total (Σ patents / Σ population), never the mean of block ratios. Derived
rows are marked status `derived` (or `demo` when any input is demo, so demo data can never lose its
mark) with a note stating the formula. Official figures always win over derived ones; where both exist
and disagree by more than 1 %, a warning is issued.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import registry
from .schema import ESTIMATE_MARK, Issue, estimate_mask

KEY = ["region", "year", "indicator"]


def _status_of(inputs: pd.Series) -> str:
    return "demo" if (inputs == "demo").any() else "derived"


def _estimate_note(note: str, inputs: pd.DataFrame) -> str:
    """`note` marked 预计 when any input row is an estimate (the derived figure is one too)."""
    return f"{ESTIMATE_MARK}: {note}" if estimate_mask(inputs).any() else note


def derive_ratios(obs: pd.DataFrame) -> tuple[pd.DataFrame, list[Issue]]:
    """Add ratio indicators (e.g. invention_patents_per_10k) computed from their numerator and denominator.

    A ratio is derived only where both inputs exist for the region and year; an existing row of the ratio
    is kept and compared with the derived value.
    """
    issues, new = [], []
    have = obs.set_index(KEY)["value"]
    status = obs.set_index(KEY)["status"]
    for code, ind in registry.indicators().items():
        if ind.aggregate != "ratio" or not ind.derive:
            continue
        num, den, scale = ind.derive["numerator"], ind.derive["denominator"], float(ind.derive.get("scale", 1))
        a = obs[obs.indicator == num].set_index(["region", "year"])
        b = obs[obs.indicator == den].set_index(["region", "year"])
        both = a.merge(b, left_index=True, right_index=True, how="inner", suffixes=("_n", "_d"))
        if "note_n" not in both.columns:
            both["note_n"] = both["note_d"] = ""
        for (region, year), r in both.iterrows():
            if r["value_d"] <= 0:
                continue
            v = r["value_n"] / r["value_d"] * scale
            key = (region, year, code)
            if key in have.index:
                old = float(have.loc[key])
                if abs(old - v) > 0.01 * max(abs(v), 1e-9) and status.loc[key] != "demo":
                    issues.append(Issue("warning", "", None, code, f"{old:g}",
                                        f"{region} {year}: reported {code} {old:g} differs from {num}/{den} = {v:.4g} "
                                        "by more than 1% (denominator may differ, e.g. 户籍 vs 常住人口)"))
                continue
            new.append({"region": region, "year": int(year), "indicator": code, "value": v, "unit": ind.unit,
                        "status": _status_of(pd.Series([r["status_n"], r["status_d"]])),
                        "source_id": "derived", "quote": "",
                        "note": _estimate_note(f"derived: {num} / {den} × {scale:g}", pd.DataFrame({
                            "status": [r["status_n"], r["status_d"]], "note": [r["note_n"], r["note_d"]]}))})
    if not new:
        return obs.copy(), issues
    return pd.concat([obs, pd.DataFrame(new)], ignore_index=True), issues


def city_totals(obs: pd.DataFrame) -> pd.DataFrame:
    """Add 常州市 rows derived from the seven blocks where the city has no figure of its own.

    Only complete years are aggregated (all seven blocks present, and their weights for weighted means);
    a partial sum would understate the total, so it is left missing and coverage shows the gap.
    Ratios are recomputed from the derived city numerator and denominator (total over total).
    """
    blocks = registry.blocks()
    city = registry.CITY
    have = set(map(tuple, obs.loc[obs.region == city, ["year", "indicator"]].to_numpy().tolist()))
    rows = []
    bobs = obs[obs.region.isin(blocks)]
    cat = registry.indicators()
    for code, ind in cat.items():
        if ind.aggregate != "sum":
            continue
        for year, g in bobs[bobs.indicator == code].groupby("year"):
            if (year, code) in have or g.region.nunique() < len(blocks):
                continue
            rows.append({"region": city, "year": int(year), "indicator": code, "value": float(g.value.sum()),
                         "unit": ind.unit, "status": _status_of(g.status), "source_id": "derived",
                         "note": _estimate_note("derived: sum of the seven blocks", g), "quote": ""})
    out = pd.concat([obs, pd.DataFrame(rows)], ignore_index=True) if rows else obs.copy()
    # Weighted means need block values and weights; ratios come from the city totals just made.
    wrows = []
    for code, ind in cat.items():
        if ind.aggregate != "weighted_mean" or not ind.weight:
            continue
        for year in sorted(out.loc[out.indicator == code, "year"].unique()):
            if (year, code) in have:
                continue
            v = weighted_average(out, code, blocks, year)
            if np.isnan(v):
                continue
            src = out[(out.year == year) & out.region.isin(blocks) & out.indicator.isin([code, ind.weight])]
            wrows.append({"region": city, "year": int(year), "indicator": code, "value": v, "unit": ind.unit,
                          "status": _status_of(src.status), "source_id": "derived",
                          "note": _estimate_note(f"derived: mean of the seven blocks weighted by {ind.weight}", src),
                          "quote": ""})
    if wrows:
        out = pd.concat([out, pd.DataFrame(wrows)], ignore_index=True)
    out, _ = derive_ratios(out)
    return out


def weighted_average(obs: pd.DataFrame, indicator: str, regions: list[str], year: int | None = None) -> float | pd.Series:
    """Correctly weighted average of `indicator` over `regions`.

    ratio          Σ numerator / Σ denominator × scale (e.g. Σ patents / Σ population)
    weighted_mean  Σ value × weight / Σ weight (weight is the catalogue's `weight` indicator)
    sum / other    plain mean of the regions' values (a per-block average of a count)

    Returns NaN for a year where any region lacks an input (a partial average would mislead).
    With ``year=None`` returns a Series indexed by year.
    """
    if year is None:
        years = sorted(obs.loc[(obs.indicator == indicator) & obs.region.isin(regions), "year"].unique())
        return pd.Series([weighted_average(obs, indicator, regions, y) for y in years],
                         index=pd.Index(years, name="year"), name=indicator, dtype=float)
    ind = registry.indicator(indicator)
    sub = obs[(obs.year == year) & obs.region.isin(regions)]

    def values(code):
        s = sub[sub.indicator == code].set_index("region")["value"]
        return s.reindex(regions)

    if ind.aggregate == "ratio" and ind.derive:
        n, d = values(ind.derive["numerator"]), values(ind.derive["denominator"])
        if n.isna().any() or d.isna().any() or d.sum() <= 0:
            return float("nan")
        return float(n.sum() / d.sum() * float(ind.derive.get("scale", 1)))
    if ind.aggregate == "weighted_mean" and ind.weight:
        v, w = values(indicator), values(ind.weight)
        if v.isna().any() or w.isna().any() or w.sum() <= 0:
            return float("nan")
        return float((v * w).sum() / w.sum())
    v = values(indicator)
    return float("nan") if v.isna().any() else float(v.mean())
