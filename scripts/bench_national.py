#!/usr/bin/env python
"""Benchmark: build the synthetic national panel and load one pack's partition (not a timed test).

    python scripts/bench_national.py              # every county-level unit (issue 17: build ≤ 30 s, ≤ 2 GB;
                                                  # a pack's load ≤ 1 s)
    python scripts/bench_national.py --packs 50   # fewer pack loads

1. ``liyang-ip data national-demo`` runs in a fresh process (wall time, CPU time, peak resident memory
   from wait4), writing outputs/bench/national_demo/.
2. In another fresh process, `--packs` county-level units drawn at random (seeded) are loaded one after
   the other with ``national.load_partition`` (each load timed on its own: Parquet read, sorting, coverage),
   after one untimed load that pays the imports; a separate fresh process times a single load including
   Python start-up and imports, what one batch job pays.

The result is printed as a markdown table and written to outputs/bench/national.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LOADS = """
import json, sys, time
import numpy as np
from liyang_ip.data import national
root, n = sys.argv[1], int(sys.argv[2])
units = national.units(root)
pick = units.sample(n=min(n, len(units)), random_state=20261125)["code"].tolist()
national.load_partition(root, pick[0])  # imports and the division list: paid once per process
times, rows = [], []
for code in pick:
    t0 = time.perf_counter()
    ds = national.load_partition(root, code)
    times.append(time.perf_counter() - t0)
    rows.append(len(ds.observations))
print(json.dumps({"n": len(times), "median": float(np.median(times)), "max": float(max(times)),
                  "rows_median": float(np.median(rows)), "units": len(units)}))
"""

ONE = """
import sys
from liyang_ip.data import national
national.load_partition(sys.argv[1], sys.argv[2])
"""


from bench_data import measure  # noqa: E402 - the sibling script (scripts/ is on sys.path)


def run_text(argv: list[str]) -> tuple[int, str]:
    """(exit code, stdout or, on failure, stderr) of one command in a fresh process."""
    p = subprocess.run(argv, capture_output=True, text=True, check=False)
    return p.returncode, p.stdout if p.returncode == 0 else p.stderr


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--packs", type=int, default=100)
    ap.add_argument("--out", default=str(ROOT / "outputs" / "bench"))
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    panel = out / "national_demo"
    load_start = os.getloadavg()[0]
    wall, cpu, rss, code = measure([sys.executable, "-m", "liyang_ip.cli", "data", "national-demo",
                                           "--out", str(panel)])
    if code:
        return code
    meta = json.loads((panel / "_national_panel.json").read_text(encoding="utf-8"))
    size = sum(f.stat().st_size for f in panel.rglob("*") if f.is_file()) / 1e6
    print(f"build: {wall:.1f} s wall, {cpu:.1f} s CPU, peak {rss:.0f} MB, {meta['rows']:,} rows", flush=True)
    lcode, lout = run_text([sys.executable, "-c", LOADS, str(panel), str(args.packs)])
    if lcode:
        print(lout, file=sys.stderr)
        return lcode
    loads = json.loads(lout)
    ow, ocpu, orss, ocode = measure([sys.executable, "-c", ONE, str(panel), "320481"])
    lines = [
        f"`scripts/bench_national.py --packs {args.packs}`, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
        f"{platform.machine()} × {os.cpu_count()} CPU, Python {platform.python_version()}, load average "
        f"{load_start:.1f} at the start, {os.getloadavg()[0]:.1f} at the end", "",
        f"Panel: {meta['rows']:,} rows ({meta['units']:,} county-level units and their prefectures × "
        f"{len(meta['indicators'])} indicators × {meta['years'][0]}–{meta['years'][1]}), {meta['partitions']} "
        f"partitions, {size:.0f} MB of Parquet.", "",
        "| step | wall time | CPU time | peak memory |", "|---|---:|---:|---:|",
        f"| `liyang-ip data national-demo` (whole panel) | {wall:.1f} s | {cpu:.1f} s | {rss:.0f} MB |",
        f"| load one pack's partition, median of {loads['n']} (max) | {loads['median'] * 1000:.0f} ms "
        f"({loads['max'] * 1000:.0f} ms) | | |",
        f"| one load in a fresh process (start-up, imports, read) | {ow:.2f} s | {ocpu:.2f} s | {orss:.0f} MB |",
    ]
    text = "\n".join(lines) + "\n"
    (out / "national.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
