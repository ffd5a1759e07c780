#!/usr/bin/env python
"""Benchmark: `data check` and `data build` of a large tidy CSV (not a timed test).

    python scripts/bench_data.py                  # 1,000,000 rows, about 100 MB (issue 10: ≤ 30 s, ≤ 1.5 GB)
    python scripts/bench_data.py --rows 200000    # smaller

1. A synthetic tidy CSV is generated (seeded; every row status ``demo``): the seven blocks and 常州市 ×
   the catalogue's indicators × the years 1950–2100, each figure reported by several sources (the same
   value, so the sources corroborate each other, and every 500th key with a second, different value, so
   conflicts are resolved too), with a note and a quote of about 40 characters. It is written under
   outputs/bench/ (cached; generation is not timed).
2. ``liyang-ip data check`` and ``liyang-ip data build`` each run in a fresh process; wall time and
   peak resident memory (ru_maxrss of that process, from wait4) are measured.

The result is printed as a markdown table and written to outputs/bench/data.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SEED = 20261125


def generate(rows: int, out: Path) -> Path:
    """Write the synthetic dataset folder (observations.csv, sources.csv) with about `rows` rows."""
    import numpy as np
    import pandas as pd

    from liyang_ip import registry

    d = out / f"tidy_{rows}"
    if (d / "observations.csv").exists():
        return d
    d.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(SEED)
    rset = registry.region_set(None)
    regions = [rset.parent, *rset.members]
    cat = registry.indicators()
    codes = list(cat)
    years = np.arange(1950, 2101)
    keys = pd.MultiIndex.from_product([regions, years, codes], names=["region", "year", "indicator"]).to_frame(
        index=False)
    n_src = max(1, -(-rows // len(keys)))
    # Smooth series (no implausible jumps): a level per region × indicator growing 2 % a year; indicators
    # with a plausible range stay inside it.
    level = rng.uniform(10, 90, (len(regions), len(codes)))
    for j, c in enumerate(codes):
        if cat[c].range:
            level[:, j] = rng.uniform(cat[c].range[0], cat[c].range[1], len(regions))
    ri = keys["region"].map({r: i for i, r in enumerate(regions)}).to_numpy()
    ci = keys["indicator"].map({c: i for i, c in enumerate(codes)}).to_numpy()
    growth = np.where([cat[c].range is None for c in keys["indicator"]], 1.02 ** (keys["year"] - 1950), 1.0)
    base = (level[ri, ci] * growth).round(2)
    parts = []
    for s in range(n_src):
        part = keys.copy()
        part["value"] = base
        if s == 1:
            part.loc[part.index % 500 == 0, "value"] = (base[part.index % 500 == 0] * 1.01).round(2)
        part["unit"] = [cat[c].unit for c in part["indicator"]]
        part["status"] = "demo"
        part["source_id"] = f"S{s + 1}"
        part["note"] = "benchmark row (synthetic, seeded): not a statistic"
        part["quote"] = "“全年专利授权量” synthetic quote for the benchmark"
        parts.append(part)
    obs = pd.concat(parts, ignore_index=True).iloc[:rows]
    obs.to_csv(d / "observations.csv", index=False)
    pd.DataFrame({"source_id": [f"S{s + 1}" for s in range(n_src)], "title": "benchmark source (synthetic)",
                  "publisher": "liyang-ip bench", "url": "", "priority": 5}).to_csv(d / "sources.csv", index=False)
    return d


def measure(argv: list[str]) -> tuple[float, float, float, int]:
    """(wall seconds, CPU seconds, peak RSS in MB, exit code) of one command in a fresh process (wait4 on
    the child); its stderr is printed when it fails. Also used by bench_national.py."""
    t0 = time.perf_counter()
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    code = os.waitstatus_to_exitcode(status)
    err = p.stderr.read().decode(errors="replace")
    p.stderr.close()
    if code:
        print(err, file=sys.stderr)
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, code


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--out", default=str(ROOT / "outputs" / "bench"))
    args = ap.parse_args()
    out = Path(args.out)
    d = generate(args.rows, out)
    size = (d / "observations.csv").stat().st_size / 1e6
    cli = [sys.executable, "-m", "liyang_ip.cli"]
    results = []
    for name, argv in (("data check", [*cli, "data", "check", str(d)]),
                       ("data build", [*cli, "data", "build", "--dataset", str(d), "--out", str(out / "processed")])):
        wall, cpu, rss, code = measure(argv)
        results.append((name, wall, cpu, rss, code))
        print(f"{name}: {wall:.1f} s wall, {cpu:.1f} s CPU, peak {rss:.0f} MB, exit {code}", flush=True)
    lines = [f"`scripts/bench_data.py --rows {args.rows}` ({size:.0f} MB tidy CSV), "
             f"{datetime.now(UTC):%Y-%m-%d}, {platform.machine()} × {os.cpu_count()} CPU, Python "
             f"{platform.python_version()}, load average {os.getloadavg()[0]:.1f} at the end", "",
             "| command | wall time | CPU time | peak memory | exit |", "|---|---:|---:|---:|---:|"]
    lines += [f"| `liyang-ip {n}` | {w:.1f} s | {u:.1f} s | {r:.0f} MB | {c} |" for n, w, u, r, c in results]
    text = "\n".join(lines) + "\n"
    (out / "data.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
