"""`liyang-ip` command line: thin over the library.

    liyang-ip data build [--dataset demo|public|cnipa|PATH ...] [--out DIR]
    liyang-ip data check PATH
    liyang-ip data demo [--out DIR] [--seed N]
    liyang-ip data template [--out FILE.xlsx] [--layout both|long|wide] [--force]
    liyang-ip data national-demo [--out DIR] [--seed N] [--province 32 ...]
    liyang-ip data import TABLE.xlsx|csv [--layout auto|regions-down|indicators-down] [--region R] [--year Y]
    liyang-ip data extract DOCUMENT [--region R] [--year Y]  (PDF, web page, text; see liyang_ip.extract)
    liyang-ip run …  /  liyang-ip export …                          (see liyang_ip.report)

Errors are one line on stderr (exit 1; 2 for bad arguments); ``liyang-ip --debug …`` (or
LIYANG_IP_DEBUG=1) shows the traceback instead.
"""

from __future__ import annotations

import argparse
import errno
import os
import sys
from pathlib import Path


def _data_error(cmd: str, e: BaseException) -> str:
    """One line for a data problem that stops a command (no traceback)."""
    import errno

    if isinstance(e, OSError) and not isinstance(e, FileNotFoundError):
        what = e.strerror or str(e)
        hint = "; free some space and run again (the previous output is kept)" if e.errno == errno.ENOSPC else ""
        where = f" {e.filename}" if e.filename else ""
        return f"liyang-ip data {cmd}: cannot write{where}: {what}{hint}"
    return f"liyang-ip data {cmd}: {e}"


def _cmd_build(args) -> int:
    from .data.build import BuildError, OutputError, build_and_write
    from .data.readers import RawFileError

    status = 0
    from .data.build import BUNDLED

    for spec in args.dataset or list(BUNDLED):
        try:
            built, out = build_and_write(spec, out_root=args.out)
        except BuildError as e:
            print(f"liyang-ip data build: {spec}: {e}", file=sys.stderr)
            status = 1
            continue
        except OutputError as e:
            print(_data_error("build", e), file=sys.stderr)
            return 2
        except (RawFileError, FileNotFoundError, ValueError, OSError) as e:
            print(_data_error("build", e), file=sys.stderr)
            status = 1
            continue
        m = built.metadata
        tag = "DEMO DATA (synthetic)" if m["is_demo"] else "real data"
        print(f"{built.name}: {m['rows']} rows, years {m['years'][0] if m['years'] else '-'}–"
              f"{m['years'][-1] if m['years'] else '-'}, {tag}; {m['n_warnings']} warning(s), "
              f"{m['n_conflicts']} conflict(s) → {out}")
        for i in built.issues:
            if i.severity == "warning" and args.verbose:
                print(f"  {i}")
    return status


def _cmd_check(args) -> int:
    from .data.build import check

    issues = check(args.path)
    shown = [i for i in issues if i.severity != "info" or args.verbose]
    for i in shown:
        print(i, file=sys.stderr if i.severity == "error" else sys.stdout)
    n_err = sum(i.severity == "error" for i in issues)
    n_warn = sum(i.severity == "warning" for i in issues)
    print(f"{args.path}: {n_err} error(s), {n_warn} warning(s)")
    return 1 if n_err else 0


def _cmd_demo(args) -> int:
    from .data.build import raw_dir
    from .data.demo import write_demo

    out = Path(args.out) if args.out else raw_dir("demo")
    for p in write_demo(out, seed=args.seed):
        print(p)
    return 0


def _cmd_national_demo(args) -> int:
    import time

    from .data.build import project_root
    from .data.national import NationalPanelError, build_national_demo, write_param_sets

    out = Path(args.out) if args.out else project_root() / "data" / "processed" / "national_demo"
    t0 = time.perf_counter()
    try:
        panel = build_national_demo(out, seed=args.national_seed, provinces=args.province)
    except NationalPanelError as e:
        print(f"liyang-ip data national-demo: {e}", file=sys.stderr)
        return 1
    except OSError as e:
        print(_data_error("national-demo", e), file=sys.stderr)
        return 1
    print(f"{panel.root}: {panel.rows:,} rows, {panel.units:,} county-level units, {panel.partitions} partitions "
          f"(parent=CODE), {time.perf_counter() - t0:.1f} s; SYNTHETIC demo data (status demo), not statistics")
    if args.params_out:
        try:
            print(f"{write_param_sets(panel.root, args.params_out)}: one parameter set per unit "
                  "(liyang-ip run --params FILE --dry-run)")
        except OSError as e:
            print(_data_error("national-demo", e), file=sys.stderr)
            return 1
    return 0


def _cmd_template(args) -> int:
    from .data.build import raw_dir
    from .data.template import write_template

    out = Path(args.out) if args.out else raw_dir("templates") / "liyang_ip_data_template.xlsx"
    if out.is_dir():
        print(f"liyang-ip data template: {out} is a folder; give a file name such as {out / '数据填报模板.xlsx'}",
              file=sys.stderr)
        return 2
    if (out.exists() or out.is_symlink()) and not args.force:
        print(f"liyang-ip data template: {out} exists; not overwritten (it may hold filled-in data). Use --force "
              "to replace it, or --out for another file", file=sys.stderr)
        return 1
    from .registry import RegionSetError

    try:
        print(write_template(out, layout=args.layout, region_set=args.region_set))
    except RegionSetError as e:
        print(f"liyang-ip data template: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        print(_data_error("template", e), file=sys.stderr)
        return 1
    return 0


def _cmd_import(args) -> int:
    from .data.build import check
    from .data.importer import import_table, write_import
    from .data.readers import RawFileError
    from .registry import RegionSetError

    src = Path(args.file)
    out = Path(args.out) if args.out else src.with_name(f"{src.stem}_import")
    try:
        if not src.is_file():
            raise RawFileError(src, "file not found (give a yearbook table as .csv or .xlsx)")
        result = import_table(src, layout=args.layout, region=args.region, year=args.year, sheet=args.sheet,
                              source_id=args.source_id, title=args.title, publisher=args.publisher or "",
                              url=args.url or "", date=args.date or "", status=args.status,
                              total_region=args.total_region, region_set=args.region_set)
    except RawFileError as e:
        print(f"liyang-ip data import: {e}", file=sys.stderr)
        return 1
    except RegionSetError as e:
        print(f"liyang-ip data import: --region-set: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        print(_data_error("import", e), file=sys.stderr)
        return 1
    for i in result.issues:
        print(i, file=sys.stderr if i.severity == "error" else sys.stdout)
    if result.errors:
        print(f"{src}: {len(result.errors)} error(s); nothing written", file=sys.stderr)
        return 1
    if result.observations.empty:
        print(f"{src}: error: no observations: no catalogue indicator with a figure was found in the table",
              file=sys.stderr)
        return 1
    if out.exists() and not out.is_dir():
        print(f"liyang-ip data import: --out {out} is a file; give a folder", file=sys.stderr)
        return 2
    try:
        paths = write_import(result, out, force=args.force)
    except FileExistsError as e:
        print(f"liyang-ip data import: {e}", file=sys.stderr)
        return 1
    except OSError as e:
        print(_data_error("import", e), file=sys.stderr)
        return 1
    obs = result.observations
    n_err = sum(i.severity == "error" for i in check(out))
    print(f"{len(obs)} figure(s), {obs['indicator'].nunique()} indicator(s), {obs['region'].nunique()} region(s), "
          f"years {obs['year'].min()}–{obs['year'].max()} ({result.layout}) → {paths[0]}; sources stub → {paths[1]} "
          f"(complete publisher, URL, date). data check: {n_err} error(s)")
    return 1 if n_err else 0


def build_parser() -> argparse.ArgumentParser:
    from . import __version__
    from .extract import cli as extract_cli
    from .patents import cli as patents_cli
    from .report import cli as report_cli

    p = argparse.ArgumentParser(prog="liyang-ip", description="County-level IP planning analytics: a unit against its siblings and their parent.")
    p.add_argument("--version", action="version", version=f"liyang-ip {__version__}")
    p.add_argument("--debug", action="store_true",
                   help="show the full traceback of an error (for bug reports) instead of one line")
    sub = p.add_subparsers(dest="command", required=True)

    data = sub.add_parser("data", help="build, check and generate datasets")
    dsub = data.add_subparsers(dest="data_command", required=True)
    b = dsub.add_parser("build", help="raw → data/processed/<name>/ (atomic)")
    b.add_argument("--dataset", action="append", help="demo, public, cnipa or a path (repeatable; default: all bundled)")
    b.add_argument("--out", help="processed root directory (default data/processed)")
    b.add_argument("-v", "--verbose", action="store_true", help="print warnings")
    b.set_defaults(func=_cmd_build)
    c = dsub.add_parser("check", help="validate a file or dataset directory; exit 1 on errors")
    c.add_argument("path")
    c.add_argument("-v", "--verbose", action="store_true", help="also print info messages (encoding)")
    c.set_defaults(func=_cmd_check)
    d = dsub.add_parser("demo", help="regenerate the synthetic demo raw dataset")
    d.add_argument("--out")
    d.add_argument("--seed", type=int, default=None)
    d.set_defaults(func=_cmd_demo)
    nd = dsub.add_parser("national-demo", help="write the seeded synthetic national panel (every county-level unit, "
                         "Parquet partitioned by parent; status demo)",
                         description="Every county-level unit of the GB/T 2260 list × every catalogue indicator × "
                         "20 years, invented figures (status demo), written as OUT/parent=CODE/ partitions; each "
                         "partition is a --dataset for run (region set division:CODE).")
    nd.add_argument("--out", help="panel folder (default data/processed/national_demo); replaced only if it is a "
                    "national panel or empty")
    nd.add_argument("--seed", dest="national_seed", type=int, default=None)
    nd.add_argument("--province", action="append", metavar="CODE",
                    help="only this province (two-digit code, e.g. 32; repeatable; default: all)")
    nd.add_argument("--params-out", metavar="FILE.yaml",
                    help="also write a parameters file with one set (dataset: its partition, focus: its name) per "
                    "unit, for liyang-ip run --params")
    nd.set_defaults(func=_cmd_national_demo)
    t = dsub.add_parser("template", help="write the Excel data-collection template")
    t.add_argument("--out")
    t.add_argument("--force", action="store_true", help="replace an existing file")
    t.add_argument("--region-set", default=None, metavar="NAME|PATH",
                   help="regions in the drop-down: a bundled region set (changzhou, china, jiangsu) or a YAML file")
    t.set_defaults(func=_cmd_template)
    im = dsub.add_parser("import", help="a 统计年鉴 table (.csv/.xlsx) → tidy observations.csv + sources.csv stub",
                         description="Read a yearbook table in one of its two common layouts: regions down × "
                         "indicators across for one year (--year, or from the title), or indicators down × years "
                         "across for one region (--region). Writes OUT/observations.csv and OUT/sources.csv.")
    im.add_argument("file")
    im.add_argument("--layout", choices=["auto", "regions-down", "indicators-down"], default="auto")
    im.add_argument("--region", help="the region of an indicators-down table, e.g. 溧阳市")
    im.add_argument("--year", type=int, help="the year of a regions-down table (default: from its title)")
    im.add_argument("--sheet", help="sheet name of an .xlsx (default: the first sheet)")
    im.add_argument("--total-region", help="region of 合计/全市 rows (default: the region set's parent)")
    im.add_argument("--region-set", default=None, metavar="NAME|PATH",
                    help="names of the regions: a bundled region set (changzhou, china, jiangsu) or a YAML file "
                    "(default: changzhou)")
    im.add_argument("--source-id", default="S1")
    im.add_argument("--title", help="source title (default: the table's title row)")
    im.add_argument("--publisher")
    im.add_argument("--url")
    im.add_argument("--date")
    im.add_argument("--status", default="official", choices=["official", "estimate"])
    im.add_argument("--out", help="output folder (default: FILE's folder/<stem>_import)")
    im.add_argument("--force", action="store_true", help="replace existing observations.csv/sources.csv")
    im.set_defaults(func=_cmd_import)
    t.add_argument("--layout", choices=["both", "long", "wide"], default="both",
                   help="long sheet 数据, wide sheets (one per indicator: regions down, years across), or both")
    extract_cli.register(dsub)
    report_cli.register(sub)
    patents_cli.register(sub)
    return p


def describe_error(exc: BaseException) -> str:
    """One line for people about an error that reached the top of the command."""
    if isinstance(exc, OSError):
        what = exc.strerror or str(exc) or type(exc).__name__
        where = f"{exc.filename}: " if exc.filename else ""
        hint = ""
        if exc.errno == errno.ENOSPC:
            hint = " (free some space, or choose another --out)"
        elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            hint = " (choose a directory you can write to, e.g. --out)"
        return f"{where}{what}{hint}"
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return (f"unexpected {type(exc).__name__}{': ' + text if text else ''} — this is a bug in liyang-ip; "
            "run the same command with --debug and report the traceback")


def main(argv: list[str] | None = None) -> int:
    """Run `liyang-ip`; errors end as one line on stderr (exit 1), or a traceback with ``--debug``."""
    argv = list(sys.argv[1:] if argv is None else argv)
    # --debug is accepted anywhere before a "--" so that it can be added to any command line.
    cut = argv.index("--") if "--" in argv else len(argv)
    debug = "--debug" in argv[:cut] or bool(os.environ.get("LIYANG_IP_DEBUG"))
    argv = [a for i, a in enumerate(argv) if not (i < cut and a == "--debug")]
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "seed", 0) is None:
        from .data.demo import SEED

        args.seed = SEED
    if getattr(args, "national_seed", 0) is None:
        from .data.national import SEED as NATIONAL_SEED

        args.national_seed = NATIONAL_SEED
    if debug:
        return int(args.func(args) or 0)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("liyang-ip: interrupted", file=sys.stderr)
        return 130
    except Exception as e:  # noqa: BLE001 - the last line of defence: one line, no traceback
        print(f"liyang-ip: error: {describe_error(e)}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
