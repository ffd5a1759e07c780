"""Seeded synthetic demonstration panel: 7 blocks + 常州市, every catalogue indicator, status `demo`.

Why: public district-level IP figures for Changzhou are scarce, yet the notebooks need a complete panel to
show what the analyses do. These numbers are INVENTED (plausible magnitudes only) and every row says so
(status `demo`, source `demo-generator`). Charts and reports made from them carry a visible demo mark.

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
YEARS = range(2015, 2025)
SOURCE_ID = "demo-generator"

# Rough 2015 starting points and annual growth per block (population 万人, GDP 亿元, invention patents
# held per 10k residents). Invented, in the order of registry.blocks().
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


def generate(seed: int = SEED, years=YEARS) -> pd.DataFrame:
    """The demo panel as a tidy observation frame (all rows status `demo`)."""
    rng = np.random.default_rng(seed)
    years = list(years)
    n = len(years)
    blocks = registry.blocks()
    rows = []

    def add(region, code, vals, note=""):
        unit = registry.indicators()[code].unit
        for y, v in zip(years, vals, strict=True):
            rows.append({"region": region, "year": y, "indicator": code, "value": float(v), "unit": unit,
                         "status": "demo", "source_id": SOURCE_ID, "note": note, "quote": ""})

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
        counts[b] = c
        for code, vals in c.items():
            add(b, code, vals)
        add(b, "rd_intensity", np.round(np.clip(_walk(rng, 2.2 + 0.3 * tal, 0.03, n, 0.02), 0.5, 8), 2))
        add(b, "ip_protection_satisfaction", np.round(np.clip(78 + np.cumsum(rng.uniform(0.2, 1.6, n)), 0, 100), 1))

    df = pd.DataFrame(rows)
    # The city: sums for counts, weighted means for survey scores and R&D intensity.
    sum_codes = [c for c, i in registry.indicators().items() if i.aggregate == "sum"]
    city = (df[df.indicator.isin(sum_codes)].groupby(["indicator", "year"], as_index=False)["value"].sum())
    for code, g in city.groupby("indicator"):
        add(registry.CITY, code, g.sort_values("year")["value"].round(2).to_numpy())
    df = pd.DataFrame(rows)
    wide = df.pivot_table(index=["region", "year"], columns="indicator", values="value")
    bw = wide.loc[blocks]
    for code in ("ip_protection_satisfaction", "rd_intensity"):
        w = registry.indicator(code).weight
        vals = [float((bw.xs(y, level="year")[code] * bw.xs(y, level="year")[w]).sum()
                      / bw.xs(y, level="year")[w].sum()) for y in years]
        add(registry.CITY, code, np.round(vals, 3))
    # Ratios for every region, from the (rounded) counts and population above.
    df = pd.DataFrame(rows)
    wide = df.pivot_table(index=["region", "year"], columns="indicator", values="value")
    for code, ind in registry.indicators().items():
        if ind.aggregate == "ratio" and ind.derive:
            num, den = ind.derive["numerator"], ind.derive["denominator"]
            for region in [registry.CITY, *blocks]:
                r = wide.loc[region]
                add(region, code, np.round((r[num] / r[den] * ind.derive.get("scale", 1)).to_numpy(), 4),
                    note=f"demo: {num} / {den}")
    out = pd.DataFrame(rows).sort_values(["region", "indicator", "year"], kind="stable").reset_index(drop=True)
    return out


def demo_targets(panel: pd.DataFrame, focus: str = "溧阳市", year: int = 2025) -> pd.DataFrame:
    """Invented 2025 plan targets for the demo (status `demo`): the 2020 level grown 12 % a year for counts.

    Only to show the target-check machinery; real targets come from the plan text with their source.
    """
    base = panel[(panel.region == focus) & (panel.year == 2020)]
    rows = []
    for code in registry.mission_indicators():
        r = base[base.indicator == code]
        if r.empty:
            continue
        ind = registry.indicator(code)
        v = float(r.value.iloc[0])
        target = min(v + 5, 100) if ind.unit == "分" else v * 1.12 ** (year - 2020)
        rows.append({"region": focus, "indicator": code, "year": year, "value": round(target, 2),
                     "unit": ind.unit, "status": "demo", "source_id": SOURCE_ID,
                     "note": "demo target: invented (2020 level × 1.12^5; satisfaction +5 points)"})
    return pd.DataFrame(rows)


DATASET_YAML = """\
# Synthetic demonstration dataset: generated by liyang_ip.data.demo (seed {seed}); do not edit by hand.
# Regenerate with: liyang-ip data demo
name: demo
title: 演示数据（合成） / Synthetic demonstration panel
description: >-
  Invented, plausible-magnitude figures for the seven Changzhou blocks and the city total, {y0}-{y1},
  for every indicator in the catalogue. NOT real statistics. Every row has status `demo`.
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
        "source_id": SOURCE_ID, "title": "liyang-ip synthetic demonstration panel (演示数据，非真实统计)",
        "publisher": "liyang-ip (liyang_ip/demo.py)", "url": "", "date": "", "accessed": "", "priority": 9,
        "notes": f"Generated by liyang_ip.data.demo.generate(seed={seed}); invented figures for demonstration only.",
    }])
    files = {
        "observations.csv": panel.to_csv(index=False, float_format="%.10g"),
        "sources.csv": sources.to_csv(index=False),
        "targets.csv": demo_targets(panel).to_csv(index=False),
        "dataset.yaml": DATASET_YAML.format(seed=seed, y0=min(YEARS), y1=max(YEARS)),
    }
    out = []
    for name, text in files.items():
        atomic_write_text(d / name, text)
        out.append(d / name)
    return out
