#!/usr/bin/env python
"""Benchmark: batch runner vs the naive papermill loop, and PDF export with one shared browser vs one
browser per file. Not a timed test: it prints a markdown table and writes it to outputs/benchmark.md.

    python scripts/benchmark.py                                  # 7 blocks × all notebooks, --jobs 2
    python scripts/benchmark.py --blocks 溧阳市,金坛区 --notebooks 00_overview --pdf-files 2   # small

What is measured (wall-clock seconds, on this machine, one repetition each):

1. ``liyang-ip run --focus <blocks> --jobs N --force`` (one process; N notebooks at a time);
2. the naive loop: one ``papermill`` CLI call per notebook per block, one after the other;
3. PDF export of executed notebooks: the report HTML is rendered once, then printed by Chromium
   (a) with one browser for all files (what ``liyang-ip export`` does) and (b) launching a new browser
   for every file (what a loop of single-file exports does).
"""

from __future__ import annotations

import argparse
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


def _bin(name: str) -> str:
    """An executable of this environment (the venv the script runs in), else from PATH."""
    here = Path(sys.executable).parent / name
    return str(here) if here.exists() else (shutil.which(name) or name)


def _timed(cmd: list[str], **kw) -> tuple[float, int]:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, **kw)
    dt = time.perf_counter() - t0
    if proc.returncode != 0:
        tail = "\n".join(proc.stderr.strip().splitlines()[-5:])
        print(f"  (exit {proc.returncode}: {' '.join(cmd[:3])} …)\n{tail}", file=sys.stderr)
    return dt, proc.returncode


def bench_batch(blocks, notebooks, dataset, jobs, work: Path) -> tuple[float, int]:
    cmd = [_bin("liyang-ip"), "run", "--out", str(work), "--run-name", "batch", "--jobs", str(jobs), "--force",
           "--dataset", dataset, "--no-progress", "--notebooks", ",".join(n.stem for n in notebooks)]
    for b in blocks:
        cmd += ["--focus", b]
    return _timed(cmd, cwd=ROOT)


def bench_naive(blocks, notebooks, dataset, work: Path) -> tuple[float, int]:
    import nbformat

    from liyang_ip.report.names import safe_name
    from liyang_ip.report.runner import read_notebook

    # papermill reads .ipynb only: the Jupytext sources are converted once, outside the timing.
    src_dir = work / "naive-src"
    src_dir.mkdir(parents=True, exist_ok=True)
    sources = []
    for nb in notebooks:
        sources.append(src_dir / f"{nb.stem}.ipynb")
        nbformat.write(read_notebook(nb), str(sources[-1]))
    t0 = time.perf_counter()
    failures = 0
    for b in blocks:
        out_dir = work / "naive" / safe_name(b)
        out_dir.mkdir(parents=True, exist_ok=True)
        for nb, src in zip(notebooks, sources, strict=True):
            _, rc = _timed([_bin("papermill"), str(src), str(out_dir / src.name), "-p", "focus", b, "-p", "dataset",
                            dataset, "--cwd", str(nb.parent), "--no-progress-bar", "--log-level", "ERROR"])
            failures += rc != 0
    return time.perf_counter() - t0, failures


def bench_pdf(run_dir: Path, n_files: int, work: Path) -> dict:
    """Seconds for HTML rendering and for printing `n_files` PDFs with one vs many browsers."""
    from liyang_ip.report import export

    docs = [d for d in export.collect_docs(run_dir, combined=False)][:n_files]
    if not docs:
        raise SystemExit(f"no executed notebooks in {run_dir} to export")
    html_dir = work / "html"
    html_dir.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    pages = export.embed_fonts(export.render_html(d) for d in docs)
    t_html = time.perf_counter() - t0
    files = []
    for i, page in enumerate(pages):
        p = html_dir / f"{i:02d}.html"
        p.write_text(page, encoding="utf-8")
        files.append(p)

    t0 = time.perf_counter()
    with export.ChromiumPrinter() as printer:
        for p in files:
            printer.print_pdf(p, p.with_suffix(".shared.pdf"))
    t_shared = time.perf_counter() - t0

    t0 = time.perf_counter()
    for p in files:
        with export.ChromiumPrinter() as printer:
            printer.print_pdf(p, p.with_suffix(".single.pdf"))
    t_single = time.perf_counter() - t0
    return {"n": len(files), "html": t_html, "shared": t_shared, "single": t_single}


def main(argv=None) -> int:
    from liyang_ip import registry
    from liyang_ip.report.runner import default_notebooks_dir, discover_notebooks

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--blocks", default="all", help="comma-separated blocks, or 'all' (default)")
    ap.add_argument("--notebooks", default="", help="comma-separated notebooks (default: all NN_* in notebooks/)")
    ap.add_argument("--notebooks-dir", default=None)
    ap.add_argument("--dataset", default="demo")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--pdf-files", type=int, default=6, help="PDFs printed in the export benchmark (default 6)")
    ap.add_argument("--skip-naive", action="store_true", help="do not run the naive papermill loop")
    ap.add_argument("--skip-pdf", action="store_true", help="do not run the PDF export benchmark")
    ap.add_argument("--write", default=str(ROOT / "outputs" / "benchmark.md"), help="markdown output file")
    ap.add_argument("--keep", action="store_true", help="keep the work directory (printed)")
    args = ap.parse_args(argv)

    blocks = registry.region_set(None).members if args.blocks.strip().lower() == "all" else [
        registry.resolve_region(b.strip()) for b in args.blocks.split(",") if b.strip()]
    select = [s for s in args.notebooks.split(",") if s.strip()]
    notebooks = discover_notebooks(args.notebooks_dir or default_notebooks_dir(), select)
    n_runs = len(blocks) * len(notebooks)
    work = Path(tempfile.mkdtemp(prefix="liyang-ip-bench-"))
    print(f"benchmark: {len(blocks)} block(s) × {len(notebooks)} notebook(s) = {n_runs} executions; work dir {work}",
          file=sys.stderr)

    rows = []
    t_batch, rc = bench_batch(blocks, notebooks, args.dataset, args.jobs, work)
    rows.append((f"`liyang-ip run --jobs {args.jobs}` (batch)", t_batch, n_runs, "exit 0" if rc == 0 else f"exit {rc}"))
    print(f"  batch: {t_batch:.1f} s", file=sys.stderr)
    if not args.skip_naive:
        t_naive, failed = bench_naive(blocks, notebooks, args.dataset, work)
        rows.append(("naive loop of `papermill` CLI calls", t_naive, n_runs,
                     f"{failed} failed" if failed else "all ok"))
        print(f"  naive: {t_naive:.1f} s", file=sys.stderr)

    lines = [
        "# Benchmark: batch runs and PDF export",
        "",
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC · {platform.node() or 'host'} · {os.cpu_count()} CPU(s) · "
        f"Python {platform.python_version()} · dataset `{args.dataset}`",
        f"Blocks: {', '.join(blocks)}. Notebooks: {', '.join(n.stem for n in notebooks)}.",
        "",
        "| notebook execution | wall time (s) | notebooks | per notebook (s) | result |",
        "|---|---:|---:|---:|---|",
    ]
    for name, t, n, note in rows:
        lines.append(f"| {name} | {t:.1f} | {n} | {t / n:.2f} | {note} |")
    if len(rows) == 2:
        lines += ["", f"Speed-up of the batch runner over the naive loop: **{rows[1][1] / rows[0][1]:.2f}×**."]

    if not args.skip_pdf:
        from liyang_ip.report.export import BrowserNotFoundError

        try:
            pdf = bench_pdf(work / "batch", args.pdf_files, work)
        except BrowserNotFoundError as e:
            lines += ["", f"PDF export not measured: {e}"]
        else:
            n = pdf["n"]
            lines += [
                "",
                "| PDF export | wall time (s) | PDFs | per PDF (s) |",
                "|---|---:|---:|---:|",
                f"| report HTML (nbconvert + embedded CJK font subset), once for all | {pdf['html']:.1f} | {n} | "
                f"{pdf['html'] / n:.2f} |",
                f"| Chromium print, one shared browser | {pdf['shared']:.1f} | {n} | {pdf['shared'] / n:.2f} |",
                f"| Chromium print, one browser per file | {pdf['single']:.1f} | {n} | {pdf['single'] / n:.2f} |",
                "",
                f"Reusing one browser saves **{(pdf['single'] - pdf['shared']) / n:.2f} s per PDF** "
                f"({pdf['single'] / pdf['shared']:.2f}× faster printing).",
            ]
            print(f"  pdf: shared {pdf['shared']:.1f} s, per-file {pdf['single']:.1f} s for {n}", file=sys.stderr)

    table = "\n".join(lines) + "\n"
    print(table)
    out = Path(args.write)
    from liyang_ip.fsutil import atomic_write_text

    atomic_write_text(out, table)
    print(f"written to {out}", file=sys.stderr)
    if args.keep:
        print(f"work directory kept: {work}", file=sys.stderr)
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
