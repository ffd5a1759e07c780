#!/usr/bin/env python
"""Benchmark of a meeting pack (issue 16): one block's pack, and seven blocks against the naive loop.
Not a timed test: it prints a markdown table and writes it to outputs/benchmark.md.

    python scripts/benchmark.py                          # both measurements (about 20-40 min when loaded)
    python scripts/benchmark.py --skip-naive             # only the one-block pack and the batch
    python scripts/benchmark.py --blocks 溧阳市,金坛区 --notebooks 00,01   # smaller

What is measured, each in a fresh output directory, one repetition, on this machine as it is:

1. One block's pack: ``liyang-ip run --focus <first block> --notebooks 00–03 --jobs 2 --pdf``: the four
   notebooks, one HTML and one PDF each, and the combined report (HTML and PDF). Goal ≤ 20 s wall on an
   idle 2-core machine with a warm environment (an unmeasured run of the same pack goes first: files read
   once from disk, and earlier timings for the order the notebooks start in). Then the same again with every kernel started cold
   (``LIYANG_IP_WARM_KERNELS=off``: no warm-kernel server), to show what the server saves.
2. The same pack for every block of the region set, side by side:
   (a) the batch: one ``liyang-ip run --focus all … --jobs 2 --pdf`` (it also writes one combined report
       per block, which the naive loop does not);
   (b) the naive loop a user would write: ``papermill`` CLI per notebook and block, then
       ``jupyter nbconvert --to html`` per executed notebook, then one headless Chromium
       ``--print-to-pdf`` per HTML file, one after the other. Goal: (b) / (a) ≥ 3.

Wall time, CPU time (user + system of the whole process tree: ``getrusage(RUSAGE_CHILDREN)``), the
largest process's peak memory, and the load average before and after each measurement are reported:
on a shared machine wall time grows with the load, CPU time much less.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PACK = "00,01,02,03"


def _bin(name: str) -> str:
    """An executable of this environment (the venv the script runs in), else from PATH."""
    here = Path(sys.executable).parent / name
    return str(here) if here.exists() else (shutil.which(name) or name)


def _load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


class Measure:
    """Wall and CPU seconds (children's rusage), peak RSS of the largest child, load before/after."""

    def __enter__(self):
        self.load_before = _load()
        self.ru = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.t0 = time.perf_counter()
        self.failures = 0
        return self

    def run(self, cmd: list[str], **kw) -> int:
        proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, **kw)
        if proc.returncode != 0:
            self.failures += 1
            tail = "\n".join(proc.stderr.strip().splitlines()[-5:])
            print(f"  (exit {proc.returncode}: {' '.join(map(str, cmd[:3]))} …)\n{tail}", file=sys.stderr)
        return proc.returncode

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.t0
        ru = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.cpu = (ru.ru_utime - self.ru.ru_utime) + (ru.ru_stime - self.ru.ru_stime)
        self.peak_mb = ru.ru_maxrss / 1024  # KiB on Linux; the largest child so far
        self.load_after = _load()
        return False

    def row(self, name: str, files: str) -> str:
        status = "all ok" if not self.failures else f"{self.failures} failed"
        return (f"| {name} | {self.wall:.1f} | {self.cpu:.1f} | {files} | {self.load_before} → {self.load_after} "
                f"| {status} |")


def run_pack(blocks: list[str], notebooks: str, jobs: int, out: Path, name: str, cold: bool = False) -> Measure:
    """`liyang-ip run … --pdf`; ``cold``: every kernel started cold (no warm-kernel server)."""
    cmd = [_bin("liyang-ip"), "run", "--out", str(out), "--run-name", name, "--jobs", str(jobs), "--force",
           "--no-progress", "--notebooks", notebooks, "--pdf"]
    for b in blocks:
        cmd += ["--focus", b]
    env = {**os.environ, "LIYANG_IP_WARM_KERNELS": "off"} if cold else None
    with Measure() as m:
        m.run(cmd, cwd=ROOT, env=env)
    return m


def run_naive(blocks: list[str], notebooks, out: Path) -> Measure:
    """papermill CLI per notebook, nbconvert --to html per file, one Chromium print per file."""
    import nbformat

    from liyang_ip.report.export import BROWSER_ARGS, find_browser
    from liyang_ip.report.names import safe_name
    from liyang_ip.report.runner import read_notebook

    browser = find_browser(use_playwright=False)
    # papermill reads .ipynb only: the Jupytext sources are converted once, outside the timing.
    src_dir = out / "naive-src"
    src_dir.mkdir(parents=True, exist_ok=True)
    sources = []
    for nb in notebooks:
        sources.append(src_dir / f"{nb.stem}.ipynb")
        nbformat.write(read_notebook(nb), str(sources[-1]))
    with Measure() as m:
        executed = []
        for b in blocks:
            out_dir = out / "naive" / safe_name(b)
            out_dir.mkdir(parents=True, exist_ok=True)
            for nb, src in zip(notebooks, sources, strict=True):
                target = out_dir / src.name
                if m.run([_bin("papermill"), str(src), str(target), "-p", "focus", b, "--cwd", str(nb.parent),
                          "--no-progress-bar", "--log-level", "ERROR"]) == 0:
                    executed.append(target)
        for nb in executed:
            m.run([_bin("jupyter"), "nbconvert", "--to", "html", "--no-input", str(nb)])
        for nb in executed:
            html = nb.with_suffix(".html")
            if browser is None:
                m.failures += 1
                continue
            m.run([str(browser), "--headless", *BROWSER_ARGS, f"--print-to-pdf={nb.with_suffix('.pdf')}",
                   "--no-pdf-header-footer", html.resolve().as_uri()])
    return m


def main(argv=None) -> int:
    from liyang_ip import registry
    from liyang_ip.report.runner import default_notebooks_dir, discover_notebooks

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--blocks", default="all", help="comma-separated blocks, or 'all' (default: the region set)")
    ap.add_argument("--notebooks", default=PACK, help=f"the pack's notebooks (default {PACK})")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--skip-one", action="store_true", help="do not measure the one-block pack")
    ap.add_argument("--skip-naive", action="store_true", help="do not run the naive loop")
    ap.add_argument("--skip-warmup", action="store_true",
                    help="no unmeasured run of the one-block pack before it is measured")
    ap.add_argument("--skip-cold", action="store_true",
                    help="do not measure the one-block pack again with cold kernels (no warm-kernel server)")
    ap.add_argument("--write", default=str(ROOT / "outputs" / "benchmark.md"), help="markdown output file")
    ap.add_argument("--keep", action="store_true", help="keep the work directory (printed)")
    args = ap.parse_args(argv)

    members = registry.region_set(None).members
    blocks = list(members) if args.blocks.strip().lower() == "all" else [
        registry.resolve_region(b.strip()) for b in args.blocks.split(",") if b.strip()]
    notebooks = discover_notebooks(default_notebooks_dir(), [s for s in args.notebooks.split(",") if s.strip()])
    stems = ", ".join(n.stem for n in notebooks)
    work = Path(tempfile.mkdtemp(prefix="liyang-ip-bench-"))
    print(f"benchmark: pack {stems}; {len(blocks)} block(s); work dir {work}", file=sys.stderr)

    lines = [
        "# Benchmark: meeting packs",
        "",
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC · {platform.node() or 'host'} · {_cpu_model()} · "
        f"{os.cpu_count()} CPU(s) · Python {platform.python_version()} · demo data · `--jobs {args.jobs}`",
        f"Pack: notebooks {stems}, an HTML and a PDF of each, and the combined report (HTML and PDF).",
        "CPU: user + system seconds of the whole process tree. Load: the 1/5/15-minute load average before → "
        "after.",
        "",
        "| measurement | wall (s) | CPU (s) | files | load | result |",
        "|---|---:|---:|---|---|---|",
    ]
    one = batch = naive = None
    if not args.skip_one and not args.skip_warmup:
        # "Warm environment": the packages and data read once from disk, and an earlier run's timings beside
        # the measured ones (a run starts the longest notebooks first by them; a first run ever cannot).
        print("  warm-up run (not measured) …", file=sys.stderr)
        run_pack(blocks[:1], args.notebooks, args.jobs, work, "warm-up")
    if not args.skip_one:
        one = run_pack(blocks[:1], args.notebooks, args.jobs, work, "one")
        lines.append(one.row(f"one block ({blocks[0]}): `liyang-ip run --jobs {args.jobs} --pdf`",
                             f"{len(notebooks) + 1} HTML + {len(notebooks) + 1} PDF"))
        print(f"  one block: {one.wall:.1f} s wall, {one.cpu:.1f} s CPU", file=sys.stderr)
        if not args.skip_cold:
            cold = run_pack(blocks[:1], args.notebooks, args.jobs, work, "one-cold", cold=True)
            lines.append(cold.row("the same, every kernel started cold (`LIYANG_IP_WARM_KERNELS=off`)",
                                  f"{len(notebooks) + 1} HTML + {len(notebooks) + 1} PDF"))
            print(f"  one block, cold kernels: {cold.wall:.1f} s wall, {cold.cpu:.1f} s CPU", file=sys.stderr)
    if len(blocks) > 1 or args.skip_one:
        batch = run_pack(blocks, args.notebooks, args.jobs, work, "batch")
        n = len(blocks) * (len(notebooks) + 1)
        lines.append(batch.row(f"{len(blocks)} blocks: `liyang-ip run --focus all --jobs {args.jobs} --pdf`",
                               f"{n} HTML + {n} PDF"))
        print(f"  batch: {batch.wall:.1f} s wall, {batch.cpu:.1f} s CPU", file=sys.stderr)
        if not args.skip_naive:
            naive = run_naive(blocks, notebooks, work)
            n = len(blocks) * len(notebooks)
            lines.append(naive.row(f"{len(blocks)} blocks: naive loop (papermill CLI, nbconvert, one Chromium "
                                   "per PDF)", f"{n} HTML + {n} PDF"))
            print(f"  naive: {naive.wall:.1f} s wall, {naive.cpu:.1f} s CPU", file=sys.stderr)
    lines.append("")
    if one is not None:
        lines.append(f"One block's pack: **{one.wall:.1f} s** wall ({one.cpu:.1f} s CPU); goal ≤ 20 s on an idle "
                     "machine.")
    if batch is not None and naive is not None:
        lines.append(f"{len(blocks)} blocks: the batch is **{naive.wall / batch.wall:.2f}×** faster than the naive "
                     f"loop in wall time ({naive.cpu / batch.cpu:.2f}× in CPU time); goal ≥ 3×.")
    peak = max((m.peak_mb for m in (one, batch, naive) if m is not None), default=0)
    lines.append(f"Largest single process: {peak:.0f} MB peak memory.")

    table = "\n".join(lines) + "\n"
    print(table)
    from liyang_ip.fsutil import atomic_write_text

    atomic_write_text(Path(args.write), table)
    print(f"written to {args.write}", file=sys.stderr)
    if args.keep:
        print(f"work directory kept: {work}", file=sys.stderr)
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
