#!/usr/bin/env python
"""Benchmark: a 100-unit batch on a 2-worker Dask LocalCluster vs the local process pool, and a simulated
estimate of the national batch (every county-level unit × the batch notebooks) from a measured pack.

    python scripts/bench_cluster.py                     # 100 units, 2 workers, then one real pack
    python scripts/bench_cluster.py --units 20 --skip-pack

Not a timed test: it prints a markdown table and writes it to outputs/bench_cluster.md.

What is measured (wall-clock seconds on this machine, one run each, same machine, one after the other):

1. the batch engine on a *tiny* notebook (a parameters cell and one ``print``: the cost is the kernel's
   start and papermill, not the analysis) for the first N county-level units of the GB/T 2260 list
   (liyang_ip.registry.divisions), through ``runner.run_batch`` (a) in the local process pool with 2
   processes and (b) on a Dask ``LocalCluster`` of 2 worker processes with 1 thread each, start-up and
   shut-down of the cluster included;
2. one real pack: the bundled batch notebooks for one block on the demo data, one notebook at a time
   (``liyang-ip run --jobs 1 --force``), timed per notebook from its manifest;
3. the national batch is then *simulated* (`cluster.simulate_batch`: workers take the next notebook when
   free) for every mainland county-level unit × the pack's notebooks on N workers, with the per-notebook
   times of (2) and the per-notebook overhead of the cluster over the pool measured in (1).

The units are the national panel's county-level units (``liyang_ip.data.national.county_units``: the
mainland's, from the GB/T 2260 list); here they only name the output directories, the tiny notebook reads
no data.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

def county_units() -> list[str]:
    """The national panel's county-level units (the mainland's, liyang_ip.data.national) as
    ``<code>_<name>`` (names repeat across the country), in code order."""
    from liyang_ip.data import national

    units = national.county_units()
    return [f"{c}_{n}" for c, n in zip(units["code"], units["name"], strict=True)]


def tiny_notebook(path: Path) -> Path:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    params = nbformat.v4.new_code_cell('focus = "320481_溧阳市"\n')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell("print('pack for', focus)")]
    nbformat.write(nb, str(path))
    return path


def bench_engine(units: list[str], workers: int, work: Path) -> dict:
    """Wall time of the same tiny batch in the process pool and on a LocalCluster (fresh run dirs)."""
    from liyang_ip.report import cluster, runner

    nb = tiny_notebook(work / "01_tiny.ipynb")
    sets = [{"focus": u} for u in units]
    out = {}
    for name, backend in (("pool", None), ("dask", cluster.DaskBackend(cluster.ClusterSpec(workers=workers)))):
        run_dir = work / f"run-{name}"
        t0 = time.perf_counter()
        res = runner.run_batch(sets, [nb], run_dir, jobs=workers, progress=False, datasets={}, backend=backend)
        wall = time.perf_counter() - t0
        secs = [e["seconds"] for e in res.manifest["notebooks"].values() if e.get("seconds")]
        out[name] = {"wall": wall, "executed": len(res.executed), "failed": len(res.failed),
                     "median_notebook": sorted(secs)[len(secs) // 2] if secs else None}
        print(f"  {name}: {wall:.1f} s for {len(units)} notebooks ({len(res.failed)} failed)", flush=True)
    return out


def bench_pack(focus: str, work: Path) -> dict[str, float]:
    """Seconds per notebook of one real pack (demo data), one notebook at a time."""
    exe = Path(sys.executable).with_name("liyang-ip")
    cmd = [str(exe if exe.exists() else "liyang-ip"), "run", "--focus", focus, "--out", str(work), "--run-name",
           "pack", "--jobs", "1", "--force", "--no-progress"]
    proc = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    manifest = json.loads((work / "pack" / "manifest.json").read_text(encoding="utf-8"))
    if proc.returncode != 0:
        tail = "\n".join(proc.stderr.strip().splitlines()[-5:])
        print(f"  (pack run exit {proc.returncode})\n{tail}", file=sys.stderr)
    return {e["notebook"]: float(e["seconds"]) for e in manifest["notebooks"].values()
            if e.get("status") == "ok" and e.get("seconds")}


def simulate_national(pack: dict[str, float], n_units: int, workers_list, overhead: float) -> list[tuple]:
    from liyang_ip.report.cluster import simulate_batch

    durations = list(pack.values()) * n_units
    serial = sum(durations) + overhead * len(durations)
    return [(w, simulate_batch(durations, w, overhead=overhead)) for w in workers_list], serial


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--units", type=int, default=100, help="units in the engine benchmark (default 100)")
    ap.add_argument("--workers", type=int, default=2, help="pool processes and cluster workers (default 2)")
    ap.add_argument("--pack-focus", default="溧阳市", help="block of the measured real pack (demo data)")
    ap.add_argument("--skip-pack", action="store_true", help="no real pack, no national estimate")
    ap.add_argument("--write", default=str(ROOT / "outputs" / "bench_cluster.md"), help="markdown output file")
    args = ap.parse_args(argv)
    from liyang_ip.report.cluster import duration_text

    units_all = county_units()
    units = units_all[: args.units]
    work = Path(tempfile.mkdtemp(prefix="liyang-bench-cluster-"))
    load0 = os.getloadavg()
    try:
        print(f"engine: {len(units)} units × 1 tiny notebook, {args.workers} workers", flush=True)
        eng = bench_engine(units, args.workers, work)
        pack = {} if args.skip_pack else bench_pack(args.pack_focus, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    load1 = os.getloadavg()
    n = len(units)
    pool, dask = eng["pool"], eng["dask"]
    overhead = max(0.0, (dask["wall"] - pool["wall"]) * args.workers / n)
    lines = [
        f"# Batch engines: process pool vs Dask LocalCluster ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC)",
        "",
        f"Machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}; load "
        f"average {load0[0]:.1f} before, {load1[0]:.1f} after (other jobs shared the machine).",
        "",
        f"Tiny notebook (a parameters cell and one print) for the first {n} county-level units, "
        f"{args.workers} processes / workers, one run each:",
        "",
        "| backend | wall time | per notebook (wall / notebooks) | median execution of one notebook |",
        "|---|---:|---:|---:|",
    ]
    for label, r in ((f"local process pool (`--jobs {args.workers}`)", pool),
                     (f"Dask LocalCluster (`--cluster local:{args.workers}`), start-up included", dask)):
        med = f"{r['median_notebook']:.2f} s" if r["median_notebook"] else "–"
        lines.append(f"| {label} | {r['wall']:.1f} s | {r['wall'] / n:.2f} s | {med} |")
    lines += ["", f"Cluster over pool: {dask['wall'] / pool['wall']:.2f}× the wall time, "
                  f"{overhead:.2f} s of overhead per notebook per worker ((dask − pool) × workers / notebooks)."]
    if pack:
        total = sum(pack.values())
        per = ", ".join(f"{k} {v:.1f} s" for k, v in pack.items())
        n_nat = len(units_all)
        sims, serial = simulate_national(pack, n_nat, (2, 8, 32, 128, 512), overhead)
        lines += [
            "",
            f"One real pack ({args.pack_focus}, demo data, {len(pack)} notebooks, one at a time): {total:.1f} s ({per}).",
            "",
            f"Simulated national batch: {n_nat:,} mainland county-level units × {len(pack)} notebooks = "
            f"{n_nat * len(pack):,} notebook runs, {duration_text(serial)} of notebook time in all "
            "(measured pack times + the cluster overhead above per notebook):",
            "",
            "| workers (1 core each) | simulated wall time |",
            "|---:|---:|",
            *[f"| {w} | {duration_text(s)} |" for w, s in sims],
        ]
    text = "\n".join(lines) + "\n"
    print(text)
    out = Path(args.write)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(f"written to {out}")
    return 0 if not (pool["failed"] or dask["failed"]) else 1


if __name__ == "__main__":
    sys.exit(main())
