#!/usr/bin/env python
"""Benchmark: import and aggregate a large synthetic patent-list export (not a timed test).

    python scripts/bench_patents.py                 # 1,000,000 rows (the issue's target: ≤ 30 s, ≤ 2 GB)
    python scripts/bench_patents.py --rows 200000   # smaller

1. A synthetic export is generated (the demo generator, 100,000 distinct rows, tiled with new
   application numbers and varied addresses so that about half the addresses are distinct) and
   written as UTF-8 CSV under outputs/bench/ (cached; generation is not timed).
2. A fresh Python process reads, parses, locates, classifies and aggregates it
   (``import_export`` + ``indicators.compute`` + writing the outputs); its wall time and peak resident
   memory (ru_maxrss) are measured. pyarrow uses the machine's cores (2 here).

The result is printed as a markdown table and written to outputs/bench/patents.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHILD = r"""
import json, sys, time
c = [time.process_time()]
t0 = time.perf_counter()
from liyang_ip.patents import import_export, write_outputs
from liyang_ip.patents import indicators
t1 = time.perf_counter(); c.append(time.process_time())
imp = import_export(sys.argv[1], is_demo=True)
t2 = time.perf_counter(); c.append(time.process_time())
table = indicators.compute(imp)
t3 = time.perf_counter(); c.append(time.process_time())
write_outputs(imp, sys.argv[2], indicators=table)
t4 = time.perf_counter(); c.append(time.process_time())
print(json.dumps({"import_s": t2 - t1, "aggregate_s": t3 - t2, "write_s": t4 - t3, "startup_s": t1 - t0,
                  "cpu": [c[k + 1] - c[k] for k in range(4)],
                  "patents": imp.summary["patents"], "located": imp.summary["located"],
                  "classified": imp.summary["classified"], "indicator_rows": len(table)}))
"""


def make_export(rows: int, path: Path, base_rows: int = 100_000) -> Path:
    """Synthetic export of ``rows`` rows (cached by row count)."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.csv as pacsv

    from liyang_ip.patents.demo import generate_export

    if path.exists():
        return path
    base = generate_export(min(rows, base_rows))
    tiles = []
    n_tiles = -(-rows // len(base))
    rng = np.random.default_rng(7)
    for t in range(n_tiles):
        df = base.copy()
        no = df["申请号"].str.slice(0, 7) + (df["申请号"].str.slice(7, 14).astype(int) + t * 1_000_000).map("{:07d}".format) \
            + df["申请号"].str.slice(14)
        df["申请号"] = no
        # Half the addresses get a building name that is not a number (numbers alone would collapse
        # into one address when located), so the locator sees many distinct addresses.
        vary = rng.random(len(df)) < 0.5
        names = np.array([f"{a}{b}大厦" for a in "东南西北中新华金银星" for b in "江河湖海山川林园城港"])
        df.loc[vary, "申请人地址"] = df.loc[vary, "申请人地址"] + names[rng.integers(0, len(names), vary.sum())] \
            + f"{t + 1}座"
        tiles.append(df)
    big = pd.concat(tiles, ignore_index=True).head(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    pacsv.write_csv(pa.Table.from_pandas(big, preserve_index=False), tmp)
    os.replace(tmp, path)
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--out", default=str(ROOT / "outputs" / "bench"))
    args = ap.parse_args(argv)
    out = Path(args.out)
    t = time.perf_counter()
    export = make_export(args.rows, out / f"patents_{args.rows}.csv")
    gen_s = time.perf_counter() - t
    size_mb = export.stat().st_size / 1e6
    ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    before = ru0.ru_maxrss
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", CHILD, str(export), str(out / f"patents_{args.rows}_out")],
                          capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        print(proc.stderr, file=sys.stderr)
        return 1
    ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak_kb = ru1.ru_maxrss
    cpu = (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)
    load = os.getloadavg()[0]
    r = json.loads(proc.stdout.strip().splitlines()[-1])
    peak_gb = max(peak_kb, before) / 1024 / 1024
    lines = [
        f"Patent import benchmark, {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}, {platform.node()}, "
        f"{os.cpu_count()} CPU(s), Python {platform.python_version()}",
        "",
        f"Export: {r['patents']:,} patents, {size_mb:,.0f} MB UTF-8 CSV (generated in {gen_s:.0f} s, not timed).",
        "",
        "| step | wall s | CPU s |",
        "|---|---:|---:|",
        f"| interpreter + imports | {r['startup_s']:.1f} | {r['cpu'][0]:.1f} |",
        f"| read, parse, locate, classify (`import_export`) | {r['import_s']:.1f} | {r['cpu'][1]:.1f} |",
        f"| indicators (`indicators.compute`) | {r['aggregate_s']:.1f} | {r['cpu'][2]:.1f} |",
        f"| write outputs (Parquet/CSV, atomic) | {r['write_s']:.1f} | {r['cpu'][3]:.1f} |",
        f"| **total (fresh process)** | **{wall:.1f}** | **{cpu:.1f}** |",
        "",
        f"Load average when it finished: {load:.1f} on {os.cpu_count()} CPU(s) (other jobs share the machine; "
        "wall time well above the CPU time is time spent waiting for a CPU). CPU s: user + system of all threads.",
        "",
        f"Peak resident memory: **{peak_gb:.2f} GB**. Located {r['located']:,}, classified {r['classified']:,}; "
        f"{r['indicator_rows']:,} indicator rows.",
    ]
    text = "\n".join(lines)
    print(text)
    (out / "patents.md").write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
