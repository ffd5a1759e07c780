"""Derived figures: per-10k-resident ratios, a region set's parent totals and correctly weighted averages.

A parent ratio is total over total (Σ patents / Σ population), never the mean of member ratios. Derived
rows are marked status `derived` (or `demo` when any input is demo, so demo data can never lose its
mark) with a note stating the formula. Given figures always win over derived ones; a parent total that
disagrees with the sum of its units is reported as a conflict, a ratio that disagrees by more than 1 % as
a warning.
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
    issues, parts = [], []
    est = estimate_mask(obs).to_numpy()
    for code, ind in registry.indicators().items():
        if ind.aggregate != "ratio" or not ind.derive:
            continue
        num, den, scale = ind.derive["numerator"], ind.derive["denominator"], float(ind.derive.get("scale", 1))

        def part(c, suffix):
            m = (obs.indicator == c).to_numpy()
            return pd.DataFrame({"region": obs["region"].to_numpy()[m], "year": obs["year"].to_numpy()[m],
                                 f"value{suffix}": obs["value"].to_numpy()[m],
                                 f"status{suffix}": obs["status"].to_numpy()[m], f"est{suffix}": est[m]})

        both = part(num, "_n").merge(part(den, "_d"), on=["region", "year"], how="inner")
        both = both[both["value_d"] > 0]
        if both.empty:
            continue
        both["v"] = both["value_n"] / both["value_d"] * scale
        both = both.merge(part(code, "_old")[["region", "year", "value_old", "status_old"]], on=["region", "year"],
                          how="left")
        old = both[both["value_old"].notna()]
        differ = old[((old["value_old"] - old["v"]).abs() > 0.01 * old["v"].abs().clip(lower=1e-9))
                     & (old["status_old"] != "demo")]
        for r in differ.itertuples():
            issues.append(Issue("warning", "", None, code, f"{r.value_old:g}",
                                f"{r.region} {r.year}: reported {code} {r.value_old:g} differs from {num}/{den} = "
                                f"{r.v:.4g} by more than 1% (denominator may differ, e.g. 户籍 vs 常住人口)"))
        add = both[both["value_old"].isna()]
        note = f"derived: {num} / {den} × {scale:g}"
        parts.append(pd.DataFrame({
            "region": add["region"].to_numpy(), "year": add["year"].astype(int).to_numpy(), "indicator": code,
            "value": add["v"].to_numpy(dtype=float), "unit": ind.unit,
            "status": np.where((add["status_n"] == "demo") | (add["status_d"] == "demo"), "demo", "derived"),
            "source_id": "derived", "quote": "",
            "note": np.where(add["est_n"] | add["est_d"], f"{ESTIMATE_MARK}: {note}", note)}))
    parts = [p for p in parts if len(p)]
    if not parts:
        return obs.copy(), issues
    return pd.concat([obs, *parts], ignore_index=True), issues


#: An official parent figure and the sum of its units are "the same" within this tolerance (absolute, in
#: the catalogue unit, plus a relative part for large totals and float noise); beyond it, a conflict.
PARENT_ABS_TOL = 0.01
PARENT_REL_TOL = 1e-6


def parent_totals(obs: pd.DataFrame, region_sets=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Add the parent's rows derived from its units, and report official parent figures that disagree.

    For each region set (default: the default set) the parent's figure is the sum of the set's
    ``total_of`` units for ``sum`` indicators and their weighted mean for ``weighted_mean`` ones; ratios are
    recomputed from the derived numerator and denominator (total over total, never a mean of ratios).
    Only complete years are aggregated (every unit of ``total_of`` present, and their weights): a partial
    sum would understate the total, so it is left missing and coverage shows the gap.

    Where the parent has a figure of its own (official, estimate or demo) it is kept; when the derived
    value differs by more than the tolerance the pair is reported as a conflict (never silently replaced).

    Returns
    -------
    (observations, conflicts)
        ``conflicts`` has the columns of ``validate.CONFLICT_COLUMNS``; ``rule`` says why the given figure
        was kept.
    """
    from ..registry.regionsets import region_set_list
    from .validate import CONFLICT_COLUMNS

    out = obs.copy()
    conflicts = []
    for rset in region_set_list(region_sets):
        out, c = _one_parent(out, rset)
        conflicts += c
    out, _ = derive_ratios(out)
    return out, pd.DataFrame(conflicts, columns=CONFLICT_COLUMNS)


def _one_parent(obs: pd.DataFrame, rset) -> tuple[pd.DataFrame, list[dict]]:
    units, parent = rset.total_of, rset.parent
    n = len(units)
    what = f"{len(units)} units of region set {rset.name}"
    given = obs[obs.region == parent]
    # The parent's own figures by (year, indicator), looked up once each (not an index lookup per key).
    given_at: dict = {}
    for key in zip(given["year"].tolist(), given["indicator"].tolist(), given["value"].tolist(),
                   given["source_id"].tolist(), given["status"].tolist(), strict=True):
        given_at.setdefault(key[:2], key[2:])
    have = set(given_at)
    rows, conflicts = [], []
    bobs = obs[obs.region.isin(units)]
    cat = registry.indicators()

    def check(year, code, derived, note):
        value, source, status = given_at[(year, code)]
        v, src = float(value), str(source)
        if abs(v - derived) <= PARENT_ABS_TOL + PARENT_REL_TOL * max(abs(v), abs(derived)):
            return
        conflicts.append({
            "region": parent, "year": int(year), "indicator": code, "n_values": 2,
            "values": f"{v:g} ({src}, {status}); {derived:g} (derived)", "chosen_value": v,
            "chosen_source": src, "rejected": f"{derived:g} (derived: {note})",
            "relative_spread": round(abs(v - derived) / max(abs(v), abs(derived), 1e-12), 6),
            "rule": f"the given {parent} figure is kept; the {note} differs from it (not replaced)",
        })

    sums = [c for c, ind in cat.items() if ind.aggregate == "sum"]
    sel = bobs[bobs.indicator.isin(sums)]
    if len(sel):
        sel = sel.assign(_demo=(sel["status"] == "demo").to_numpy(), _est=estimate_mask(sel).to_numpy())
        g = sel.groupby(["indicator", "year"], sort=True).agg(
            n=("region", "nunique"), value=("value", "sum"), demo=("_demo", "any"), est=("_est", "any"))
        note = f"sum of the {what}"
        for r in g[g["n"] >= n].reset_index().itertuples():
            if (r.year, r.indicator) in have:
                check(r.year, r.indicator, float(r.value), note)
                continue
            rows.append({"region": parent, "year": int(r.year), "indicator": r.indicator, "value": float(r.value),
                         "unit": cat[r.indicator].unit, "status": "demo" if r.demo else "derived",
                         "source_id": "derived", "quote": "",
                         "note": f"{ESTIMATE_MARK}: derived: {note}" if r.est else f"derived: {note}"})
    rows.sort(key=lambda x: (list(cat).index(x["indicator"]), x["year"]))
    out = pd.concat([obs, pd.DataFrame(rows)], ignore_index=True) if rows else obs.copy()
    # Weighted means need the units' values and weights; ratios come from the totals just made.
    wrows = []
    for code, ind in cat.items():
        if ind.aggregate != "weighted_mean" or not ind.weight:
            continue
        # The units' values and weights as year × unit tables (units in set order), so each year is the
        # arithmetic of `weighted_average` on two short arrays instead of a filter of the whole frame.
        part = out[out.region.isin(units) & out.indicator.isin([code, ind.weight])]
        vals, wts = (part[part.indicator == c].pivot(index="year", columns="region", values="value")
                     .reindex(columns=list(units)) for c in (code, ind.weight))
        for year in sorted(out.loc[out.indicator == code, "year"].unique()):
            if year not in vals.index or year not in wts.index:
                continue
            vv, ww = vals.loc[year].to_numpy(dtype=float), wts.loc[year].to_numpy(dtype=float)
            if np.isnan(vv).any() or np.isnan(ww).any() or ww.sum() <= 0:
                continue
            v = float((vv * ww).sum() / ww.sum())
            note = f"mean of the {what} weighted by {ind.weight}"
            if (year, code) in have:
                check(year, code, v, note)
                continue
            src = part[part.year == year]
            wrows.append({"region": parent, "year": int(year), "indicator": code, "value": v, "unit": ind.unit,
                          "status": _status_of(src.status), "source_id": "derived",
                          "note": _estimate_note(f"derived: {note}", src), "quote": ""})
    if wrows:
        out = pd.concat([out, pd.DataFrame(wrows)], ignore_index=True)
    return out, conflicts


def city_totals(obs: pd.DataFrame, region_sets=None) -> pd.DataFrame:
    """Observations with the parent rows of :func:`parent_totals` (conflicts dropped; kept for callers
    that predate region sets)."""
    return parent_totals(obs, region_sets)[0]


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
