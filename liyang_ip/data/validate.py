"""Dataset-level validation: duplicate keys across sources (conflicts) and implausible jumps.

Row-level checks (names, numbers, units, negatives) happen while cleaning, in `clean`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .schema import STATUSES, Issue

KEY = ["region", "year", "indicator"]
#: Year-on-year ratio beyond which a change is flagged as implausible (a warning, not an error).
JUMP_FACTOR = 3.0

CONFLICT_COLUMNS = ["region", "year", "indicator", "n_values", "values", "chosen_value", "chosen_source",
                    "rejected", "relative_spread", "rule"]


def resolve_conflicts(obs: pd.DataFrame, sources: pd.DataFrame | None = None
                      ) -> tuple[pd.DataFrame, pd.DataFrame, list[Issue]]:
    """Keep one row per (region, year, indicator); report keys with different values.

    Priority (stated, deterministic): status (official > estimate > derived > demo), then the source's
    `priority` in the sources table (1 = the publisher itself … 5 = unknown), then file order. Equal
    values from several sources are a corroboration, not a conflict (the other sources are noted).

    Returns
    -------
    (resolved, conflicts, issues)
    """
    if obs.empty:
        return obs.copy(), pd.DataFrame(columns=CONFLICT_COLUMNS), []
    prio = {}
    if sources is not None and len(sources):
        prio = dict(zip(sources["source_id"], sources["priority"].astype(int), strict=False))
    work = obs.copy()
    work["_status_rank"] = work["status"].map({s: i for i, s in enumerate(STATUSES)}).fillna(len(STATUSES))
    work["_src_rank"] = work["source_id"].map(prio).fillna(5)
    work["_order"] = np.arange(len(work))
    work = work.sort_values(KEY + ["_status_rank", "_src_rank", "_order"], kind="stable")
    conflicts, issues, keep = [], [], []
    for key, g in work.groupby(KEY, sort=False):
        best = g.iloc[0]
        keep.append(best.name)
        if len(g) == 1:
            continue
        distinct = g["value"].round(9).unique()
        if len(distinct) == 1:
            others = [s for s in g["source_id"].iloc[1:] if s and s != best["source_id"]]
            if others:
                work.loc[best.name, "note"] = "; ".join(
                    x for x in (best["note"], f"corroborated by {', '.join(sorted(set(others)))}") if x)
            continue
        vals = g["value"].to_numpy()
        spread = float((vals.max() - vals.min()) / max(abs(vals).max(), 1e-12))
        rejected = "; ".join(f"{v:g} ({s}, {st})" for v, s, st in
                             zip(g["value"].iloc[1:], g["source_id"].iloc[1:], g["status"].iloc[1:], strict=True))
        conflicts.append({
            "region": key[0], "year": key[1], "indicator": key[2], "n_values": len(distinct),
            "values": "; ".join(f"{v:g}" for v in g["value"]), "chosen_value": best["value"],
            "chosen_source": best["source_id"], "rejected": rejected, "relative_spread": round(spread, 6),
            "rule": "status rank, then source priority, then file order",
        })
        issues.append(Issue(
            "warning", str(best.get("_file", "")), _int_or_none(best.get("_row")), "value", f"{best['value']:g}",
            f"{key[0]} {key[1]} {key[2]}: sources disagree ({rejected} vs chosen {best['value']:g} from "
            f"{best['source_id']}); see conflicts report"))
    resolved = work.loc[keep].drop(columns=["_status_rank", "_src_rank", "_order"])
    resolved = resolved.sort_values(KEY, kind="stable").reset_index(drop=True)
    return resolved, pd.DataFrame(conflicts, columns=CONFLICT_COLUMNS), issues


def jump_warnings(obs: pd.DataFrame, factor: float = JUMP_FACTOR) -> list[Issue]:
    """Flag consecutive-year changes by more than `factor` (up or down) as implausible jumps."""
    issues = []
    for (region, ind), g in obs.groupby(["region", "indicator"]):
        g = g.sort_values("year")
        years, vals = g["year"].to_numpy(), g["value"].to_numpy()
        for i in range(1, len(g)):
            if years[i] != years[i - 1] + 1 or vals[i - 1] <= 0 or vals[i] <= 0:
                continue
            ratio = vals[i] / vals[i - 1]
            if ratio > factor or ratio < 1 / factor:
                row = g.iloc[i]
                issues.append(Issue(
                    "warning", str(row.get("_file", "")), _int_or_none(row.get("_row")), "value",
                    f"{vals[i]:g}",
                    f"implausible jump for {region} {ind}: {vals[i - 1]:g} in {years[i - 1]} → {vals[i]:g} in "
                    f"{years[i]} (×{ratio:.2f}); check units (万/亿) and the source"))
    return issues


def _int_or_none(v) -> int | None:
    try:
        return None if v is None or pd.isna(v) else int(v)
    except (TypeError, ValueError):
        return None
