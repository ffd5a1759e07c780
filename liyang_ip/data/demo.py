"""Seeded synthetic demonstration panel: 7 blocks + 常州市, every catalogue indicator, status `demo`.

Why: public district-level IP figures for Changzhou are scarce, yet the notebooks need a complete panel to
show what the analyses do. These numbers are INVENTED (plausible magnitudes only) and every row says so
(status `demo`, source `demo-generator`). Charts and reports made from them carry a visible demo mark.

The last year (:data:`ESTIMATE_YEARS`) stands for the 预计 (estimated) figures an office has early in the
following year: it extends each series by its recent growth with its own random stream (so the years
before keep their values), keeps status `demo` (demo data is always `demo`) and its note begins with
"预计" (``schema.ESTIMATE_MARK``), which tables and charts mark.

Internal consistency (tested): counts of the city equal the sum of the blocks; per-10k ratios equal
counts / population; the city's satisfaction score is the population-weighted mean and its R&D
intensity the GDP-weighted mean; stocks of patents never fall.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .. import registry

SEED = 20210101
YEARS = range(2015, 2026)
#: Years of the panel that stand for estimates (预计), not final figures.
ESTIMATE_YEARS = range(2025, 2026)
ESTIMATE_NOTE = "预计数（演示数据）"
#: Series that never fall (cumulative stocks); their estimated years do not fall either.
_MONOTONE = {"invention_patents_held", "invention_patents_over_10y", "registered_trademarks", "madrid_trademarks",
             "ip_standard_firms", "ip_service_institutions", "ip_talent", "gi_trademarks"}
#: Decimals of the generated series (counts are whole numbers).
_DECIMALS = {"resident_population": 2, "gdp": 2, "ip_pledge_amount": 1, "rd_intensity": 2,
             "ip_protection_satisfaction": 1}
SOURCE_ID = "demo-generator"

# Rough 2015 starting points and annual growth per block (population 万人, GDP 亿元, invention patents
# held per 10k residents). Invented, in the order of the default region set's members.
_BASE = {
    #            pop   pop_g   gdp    gdp_g  inv/10k inv_g  hitech  talent_scale
    "溧阳市":   (76.5, 0.004, 760.0, 0.075, 9.0, 0.17, 150, 0.8),
    "金坛区":   (55.8, 0.005, 680.0, 0.078, 10.5, 0.16, 140, 0.8),
    "武进区":   (127.0, 0.003, 1450.0, 0.060, 28.0, 0.14, 520, 1.4),
    "新北区":   (74.0, 0.010, 1150.0, 0.072, 42.0, 0.13, 560, 1.6),
    "天宁区":   (67.0, 0.004, 620.0, 0.055, 22.0, 0.12, 190, 1.0),
    "钟楼区":   (63.5, 0.003, 560.0, 0.060, 24.0, 0.12, 180, 1.0),
    "常州经开区": (40.5, 0.006, 560.0, 0.080, 14.0, 0.15, 110, 0.7),
}


def _walk(rng, start, growth, n, noise=0.03, monotone=False):
    """A growth path with multiplicative noise; non-decreasing when `monotone`."""
    g = growth + rng.normal(0, noise, n)
    g[0] = 0.0
    path = start * np.cumprod(1 + g)
    if monotone:
        path = np.maximum.accumulate(path)
    return path


def _extend(rng, code: str, values: np.ndarray, k: int) -> np.ndarray:
    """`values` followed by `k` estimated years: the mean growth of the last three years plus noise
    (never falling for cumulative stocks; one more geographical indication now and then)."""
    out = list(np.asarray(values, dtype=float))
    for _ in range(k):
        last = out[-1]
        if code == "gi_trademarks":
            nxt = last + float(rng.random() < 0.2)
        elif code == "ip_protection_satisfaction":
            nxt = min(last + rng.uniform(0.2, 1.6), 100.0)
        else:
            recent = np.asarray(out[-4:])
            steps = recent[1:] / recent[:-1] - 1 if (recent > 0).all() else np.zeros(1)
            nxt = last * (1 + float(np.mean(steps)) + rng.normal(0, 0.02))
        if code in _MONOTONE:
            nxt = max(nxt, last)
        out.append(round(nxt, _DECIMALS.get(code, 0)))
    return np.asarray(out)


def generate(seed: int = SEED, years=YEARS, estimate_years=ESTIMATE_YEARS) -> pd.DataFrame:
    """The demo panel as a tidy observation frame (all rows status `demo`; estimated years noted 预计)."""
    rng = np.random.default_rng(seed)
    ext = np.random.default_rng(seed + 1)  # own stream: the estimated years leave the others unchanged
    years = list(years)
    est = [y for y in years if y in set(estimate_years)]
    n = len(years) - len(est)
    blocks = registry.region_set(None).members
    rows = []

    def add(region, code, vals, note=""):
        unit = registry.indicators()[code].unit
        for y, v in zip(years, vals, strict=True):
            text = (f"{ESTIMATE_NOTE}; {note}" if note else ESTIMATE_NOTE) if y in est else note
            rows.append({"region": region, "year": y, "indicator": code, "value": float(v), "unit": unit,
                         "status": "demo", "source_id": SOURCE_ID, "note": text, "quote": ""})

    counts: dict[str, dict[str, np.ndarray]] = {}
    for b in blocks:
        pop0, pop_g, gdp0, gdp_g, inv0, inv_g, ht0, tal = _BASE[b]
        c = {}
        c["resident_population"] = np.round(_walk(rng, pop0, pop_g, n, 0.002), 2)
        c["gdp"] = np.round(_walk(rng, gdp0, gdp_g, n, 0.02), 2)
        held = _walk(rng, inv0 * pop0, inv_g, n, 0.03, monotone=True)
        c["invention_patents_held"] = np.round(held)
        c["high_value_invention_patents"] = np.round(held * np.linspace(0.36, 0.48, n) * rng.uniform(0.9, 1.1))
        c["invention_patents_over_10y"] = np.round(np.maximum.accumulate(held * np.linspace(0.05, 0.08, n)))
        apps = _walk(rng, held[0] * 0.9, 0.08, n, 0.08)
        c["patent_applications"] = np.round(apps)
        c["patent_grants"] = np.round(apps * rng.uniform(0.55, 0.65, n))
        c["invention_patent_applications"] = np.round(apps * rng.uniform(0.28, 0.34, n))
        c["invention_patent_grants"] = np.round(apps * rng.uniform(0.08, 0.12, n))
        c["pct_applications"] = np.round(_walk(rng, held[0] * 0.012, 0.10, n, 0.15))
        c["registered_trademarks"] = np.round(_walk(rng, gdp0 * 12, 0.14, n, 0.03, monotone=True))
        c["madrid_trademarks"] = np.round(_walk(rng, 8 * tal, 0.12, n, 0.05, monotone=True))
        gi0 = 6 if b in ("溧阳市", "金坛区") else rng.integers(0, 3)
        gi_steps = rng.random(n) < (0.25 if b in ("溧阳市", "金坛区") else 0.08)
        gi_steps[0] = False
        c["gi_trademarks"] = gi0 + np.cumsum(gi_steps)
        c["ip_pledge_amount"] = np.round(_walk(rng, gdp0 * 10, 0.22, n, 0.2), 1)
        c["ip_pledge_deals"] = np.round(_walk(rng, 6 * tal, 0.18, n, 0.15))
        c["ip_standard_firms"] = np.round(_walk(rng, 25 * tal, 0.12, n, 0.05, monotone=True))
        c["ip_service_institutions"] = np.round(_walk(rng, 8 * tal, 0.09, n, 0.05, monotone=True))
        c["ip_talent"] = np.round(_walk(rng, 150 * tal, 0.11, n, 0.04, monotone=True))
        c["high_tech_firms"] = np.round(_walk(rng, ht0, 0.13, n, 0.04))
        c["rd_intensity"] = np.round(np.clip(_walk(rng, 2.2 + 0.3 * tal, 0.03, n, 0.02), 0.5, 8), 2)
        c["ip_protection_satisfaction"] = np.round(np.clip(78 + np.cumsum(rng.uniform(0.2, 1.6, n)), 0, 100), 1)
        c = {code: _extend(ext, code, vals, len(est)) for code, vals in c.items()}
        counts[b] = c
        for code, vals in c.items():
            add(b, code, vals)

    df = pd.DataFrame(rows)
    # The city: sums for counts, weighted means for survey scores and R&D intensity.
    sum_codes = [c for c, i in registry.indicators().items() if i.aggregate == "sum"]
    city = (df[df.indicator.isin(sum_codes)].groupby(["indicator", "year"], as_index=False)["value"].sum())
    for code, g in city.groupby("indicator"):
        add(registry.region_set(None).parent, code, g.sort_values("year")["value"].round(2).to_numpy())
    df = pd.DataFrame(rows)
    wide = df.pivot_table(index=["region", "year"], columns="indicator", values="value")
    bw = wide.loc[blocks]
    for code in ("ip_protection_satisfaction", "rd_intensity"):
        w = registry.indicator(code).weight
        vals = [float((bw.xs(y, level="year")[code] * bw.xs(y, level="year")[w]).sum()
                      / bw.xs(y, level="year")[w].sum()) for y in years]
        add(registry.region_set(None).parent, code, np.round(vals, 3))
    # Ratios for every region, from the (rounded) counts and population above.
    df = pd.DataFrame(rows)
    wide = df.pivot_table(index=["region", "year"], columns="indicator", values="value")
    for code, ind in registry.indicators().items():
        if ind.aggregate == "ratio" and ind.derive:
            num, den = ind.derive["numerator"], ind.derive["denominator"]
            for region in [registry.region_set(None).parent, *blocks]:
                r = wide.loc[region]
                add(region, code, np.round((r[num] / r[den] * ind.derive.get("scale", 1)).to_numpy(), 4),
                    note=f"demo: {num} / {den}")
    out = pd.DataFrame(rows).sort_values(["region", "indicator", "year"], kind="stable").reset_index(drop=True)
    return out


#: Demo targets that are totals over the plan's years (累计) rather than the target year's level.
_CUMULATIVE_TARGETS = {"ip_pledge_amount"}


def demo_targets(panel: pd.DataFrame, base_year: int = 2020, year: int = 2025) -> pd.DataFrame:
    """Invented plan targets for `year` for every block and the city (status `demo`), to show the target
    check, the evaluation and the indicator table; real targets come from plan texts with their source.

    Rule (invented): each region's own compound growth over the five years up to `base_year`, × 1.1 and
    kept within 3–20 % a year, applied from its `base_year` value; the survey score +5 points (at most
    100); the pledge amount as a total over the plan's years (``basis`` cumulative). All 属性 预期性.
    Counts are whole numbers, other values two decimals.
    """
    rows = []
    n = year - base_year
    wide = panel.pivot_table(index=["region", "indicator"], columns="year", values="value")
    for region in [registry.region_set(None).parent, *registry.region_set(None).members]:
        for code in registry.mission_indicators():
            if (region, code) not in wide.index:
                continue
            r = wide.loc[(region, code)]
            v0, v5 = r.get(base_year, np.nan), r.get(base_year - 5, np.nan)
            if not np.isfinite(v0):
                continue
            ind = registry.indicator(code)
            g = (v0 / v5) ** (1 / 5) - 1 if np.isfinite(v5) and v5 > 0 and v0 > 0 else 0.1
            g = min(max(g * 1.1, 0.03), 0.20)
            cumulative = code in _CUMULATIVE_TARGETS
            if ind.unit == "分":
                target, rule = min(v0 + 5, 100), "survey score +5 points"
            elif cumulative:
                target = sum(v0 * (1 + g) ** k for k in range(1, n + 1))
                rule = f"sum {base_year + 1}-{year} of the {base_year} level grown {g:.1%} a year"
            else:
                target, rule = v0 * (1 + g) ** n, f"{base_year} level grown {g:.1%} a year"
            whole = ind.unit in ("件", "家", "人", "笔")
            rows.append({"region": region, "indicator": code, "year": year,
                         "value": float(round(target)) if whole else round(target, 2),
                         "unit": ind.unit, "status": "demo", "source_id": SOURCE_ID,
                         "note": f"demo target: invented ({rule})", "attribute": "预期性",
                         "basis": "cumulative" if cumulative else "level"})
    return pd.DataFrame(rows)


DATASET_YAML = """\
# Synthetic demonstration dataset: generated by liyang_ip.data.demo (seed {seed}); do not edit by hand.
# Regenerate with: liyang-ip data demo
name: demo
title: 演示数据（合成） / Synthetic demonstration panel
description: >-
  Invented, plausible-magnitude figures for the seven Changzhou blocks and the city total, {y0}-{y1},
  for every indicator in the catalogue. NOT real statistics. Every row has status `demo`; the {est}
  figures stand for estimates (预计) and their note begins with 预计. targets.csv holds invented plan
  targets for {ty} for every block and the city.
files:
  - path: observations.csv
    format: tidy
sources: sources.csv
targets: targets.csv
"""


def write_demo(directory: str | Path, seed: int = SEED) -> list[Path]:
    """Write the demo raw dataset (observations, sources, targets, dataset.yaml) atomically."""
    from ..fsutil import atomic_write_text

    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    panel = generate(seed)
    sources = pd.DataFrame([{
        "source_id": SOURCE_ID, "title": "liyang-ip 演示数据面板（合成数字，非真实统计）",
        "publisher": "liyang-ip (liyang_ip/demo.py)", "url": "", "date": "", "accessed": "", "priority": 9,
        "notes": f"Generated by liyang_ip.data.demo.generate(seed={seed}); invented figures for demonstration only.",
    }])
    files = {
        "observations.csv": panel.to_csv(index=False, float_format="%.10g"),
        "sources.csv": sources.to_csv(index=False),
        "targets.csv": demo_targets(panel, base_year=max(YEARS) - 5, year=max(YEARS)).to_csv(index=False),
        "dataset.yaml": DATASET_YAML.format(seed=seed, y0=min(YEARS), y1=max(YEARS),
                                            est=", ".join(map(str, ESTIMATE_YEARS)), ty=max(YEARS)),
    }
    out = []
    for name, text in files.items():
        atomic_write_text(d / name, text)
        out.append(d / name)
    return out
