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
    obs = obs.reset_index(drop=True)
    n = len(obs)
    status_rank = _rank_of(obs["status"], {s: i for i, s in enumerate(STATUSES)}, len(STATUSES))
    src_rank = _rank_of(obs["source_id"], prio, 5)
    # Integer sort keys (codes in lexical order), so a million rows sort in a second; only the keys and
    # the rows that need it are copied (not the notes and quotes of every row).
    rcode = pd.factorize(obs["region"], sort=True)[0].astype("int64")
    icode = pd.factorize(obs["indicator"], sort=True)[0].astype("int64")
    years = obs["year"].to_numpy(dtype="int64")
    order = np.lexsort((np.arange(n), src_rank, status_rank, icode, years, rcode))
    key = ((rcode * (years.max() - years.min() + 1) + (years - years.min())) * (icode.max() + 1) + icode)[order]
    del rcode, icode, status_rank, src_rank
    first = np.r_[True, key[1:] != key[:-1]]
    group = np.cumsum(first) - 1
    size = np.bincount(group)[group]
    resolved = obs.iloc[order[first]].copy()  # one row per key, sorted by KEY
    conflicts, issues = [], []
    if (size > 1).any():
        # Keys given by several rows: worked on integer codes (a million rows as Python strings would cost
        # hundreds of MB); only rows of keys whose values differ are copied as text, for the report.
        many = size > 1
        pos, g = order[many], group[many]  # rows of such keys, key by key, best first within a key
        rv = np.round(obs["value"].to_numpy(dtype="float64")[pos], 9)
        by_value = np.lexsort((rv, g))
        gs, rs = g[by_value], rv[by_value]
        new_value = np.r_[True, (gs[1:] != gs[:-1]) | (rs[1:] != rs[:-1])]
        n_distinct = np.bincount(gs, weights=new_value, minlength=int(group[-1]) + 1)[g]
        del by_value, gs, rs, new_value
        # Equal values from several sources: a corroboration, noted on the chosen row.
        same = n_distinct == 1
        if same.any():
            scode, suniq = pd.factorize(obs["source_id"])
            suniq = np.asarray(suniq, dtype=object)
            lex = np.empty(len(suniq), dtype="int64")  # code → rank in the sources' text order
            lex[sorted(range(len(suniq)), key=suniq.__getitem__)] = np.arange(len(suniq))
            src_lex = lex[scode[pos]]
            del scode
            heads = np.r_[True, g[1:] != g[:-1]]
            best_src = src_lex[heads][np.cumsum(heads) - 1]
            head_pos = pos[heads][np.cumsum(heads) - 1]
            by_lex = np.argsort(lex)  # rank → code
            named = (suniq != "")[by_lex]
            others = same & named[src_lex] & (src_lex != best_src)
            if others.any():
                width = len(suniq)
                pair_key = np.unique(g[others].astype("int64") * width + src_lex[others])  # by key, then source text
                pair = np.c_[pair_key // width, pair_key % width]
                starts = np.flatnonzero(np.r_[True, pair[1:, 0] != pair[:-1, 0]])
                src = suniq[by_lex][pair[:, 1]].tolist()
                bounds = [*starts.tolist(), len(src)]
                texts = [", ".join(src[a:b]) for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
                head_of = pd.Series(head_pos[heads], index=g[heads])
                labels = head_of.loc[pair[starts, 0]].to_numpy()
                before = resolved.loc[labels, "note"].fillna("").astype(str).to_numpy()
                notes = resolved["note"].astype(object).copy()
                notes.loc[labels] = [f"{b}; corroborated by {t}" if b else f"corroborated by {t}"
                                     for b, t in zip(before, texts, strict=True)]
                resolved["note"] = notes
        cols = [*KEY, "value", "source_id", "status"] + [c for c in ("_file", "_row") if c in obs.columns]
        differ = n_distinct > 1
        diff = obs.iloc[pos[differ]][cols].copy()
        diff["_g"] = g[differ]
        diff["_rv"] = rv[differ]
        # Different values: a conflict, resolved by the stated rule and reported.
        for _, g in diff.groupby("_g", sort=True):
            key = (g["region"].iloc[0], g["year"].iloc[0], g["indicator"].iloc[0])
            best = g.iloc[0]
            vals = g["value"].to_numpy()
            spread = float((vals.max() - vals.min()) / max(abs(vals).max(), 1e-12))
            rejected = "; ".join(f"{v:g} ({s}, {st})" for v, s, st in
                                 zip(g["value"].iloc[1:], g["source_id"].iloc[1:], g["status"].iloc[1:], strict=True))
            conflicts.append({
                "region": key[0], "year": key[1], "indicator": key[2], "n_values": int(g["_rv"].nunique()),
                "values": "; ".join(f"{v:g}" for v in g["value"]), "chosen_value": best["value"],
                "chosen_source": best["source_id"], "rejected": rejected, "relative_spread": round(spread, 6),
                "rule": "status rank, then source priority, then file order",
            })
            issues.append(Issue(
                "warning", str(best.get("_file", "")), _int_or_none(best.get("_row")), "value", f"{best['value']:g}",
                f"{key[0]} {key[1]} {key[2]}: sources disagree ({rejected} vs chosen {best['value']:g} from "
                f"{best['source_id']}); see conflicts report"))
    resolved = resolved.reset_index(drop=True)
    return resolved, pd.DataFrame(conflicts, columns=CONFLICT_COLUMNS), issues


def _rank_of(col: pd.Series, ranks: dict, default: float) -> np.ndarray:
    """`ranks[text]` for every row of a text column (`default` where absent), looked up once per distinct text."""
    codes, uniques = pd.factorize(col)
    return np.array([ranks.get(u, default) for u in uniques] + [default], dtype="float64")[codes]


def jump_warnings(obs: pd.DataFrame, factor: float = JUMP_FACTOR) -> list[Issue]:
    """Flag consecutive-year changes by more than `factor` (up or down) as implausible jumps."""
    if obs.empty:
        return []
    g = obs.sort_values(["region", "indicator", "year"], kind="stable").reset_index(drop=True)
    same = (g["region"].eq(g["region"].shift()) & g["indicator"].eq(g["indicator"].shift())).to_numpy()
    years, vals = g["year"].to_numpy(), g["value"].to_numpy(dtype=float)
    prev_y = np.roll(years, 1)
    prev_v = np.roll(vals, 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = vals / prev_v
    hit = same & (years == prev_y + 1) & (prev_v > 0) & (vals > 0) & ((ratio > factor) | (ratio < 1 / factor))
    issues = []
    for i in np.flatnonzero(hit):
        row = g.iloc[i]
        issues.append(Issue(
            "warning", str(row.get("_file", "")), _int_or_none(row.get("_row")), "value", f"{vals[i]:g}",
            f"implausible jump for {row['region']} {row['indicator']}: {prev_v[i]:g} in {prev_y[i]} → {vals[i]:g} in "
            f"{years[i]} (×{ratio[i]:.2f}); check units (万/亿) and the source"))
    return issues


def _int_or_none(v) -> int | None:
    try:
        return None if v is None or pd.isna(v) else int(v)
    except (TypeError, ValueError):
        return None
