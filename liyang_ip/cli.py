"""`liyang-ip` command line: thin over the library.

    liyang-ip data build [--dataset demo|public|cnipa|PATH ...] [--out DIR]
    liyang-ip data check PATH
    liyang-ip data demo [--out DIR] [--seed N]
    liyang-ip data regions [--dataset demo|public|cnipa|PATH] [--region-set NAME|PATH]
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

from .clitable import Arg, Command, add_commands, arg


def _fail(cmd: str, problem: str | BaseException, code: int = 1) -> int:
    """Print one line ``liyang-ip data CMD: PROBLEM`` on stderr (no traceback); return `code`.

    An OSError other than a missing file (a full disk, a read-only folder) is said as "cannot write" with
    the file and, for a full disk, what to do; any other problem as its text.
    """
    if isinstance(problem, OSError) and not isinstance(problem, FileNotFoundError):
        what = problem.strerror or str(problem)
        hint = "; free some space and run again (the previous output is kept)" if problem.errno == errno.ENOSPC else ""
        where = f" {problem.filename}" if problem.filename else ""
        problem = f"cannot write{where}: {what}{hint}"
    print(f"liyang-ip data {cmd}: {problem}", file=sys.stderr)
    return code


def _cmd_build(args) -> int:
    from .data.build import BUNDLED, BuildError, OutputError, build_and_write
    from .data.readers import RawFileError

    status = 0
    for spec in args.dataset or list(BUNDLED):
        try:
            built, out = build_and_write(spec, out_root=args.out)
        except BuildError as e:
            status = _fail("build", f"{spec}: {e}")
            continue
        except OutputError as e:
            return _fail("build", e, 2)
        except (RawFileError, FileNotFoundError, ValueError, OSError) as e:
            status = _fail("build", e)
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
    from .data.demo import SEED, write_demo

    out = Path(args.out) if args.out else raw_dir("demo")
    for p in write_demo(out, seed=SEED if args.seed is None else args.seed):
        print(p)
    return 0


def _cmd_national_demo(args) -> int:
    import time

    from .data.build import project_root
    from .data.national import SEED, NationalPanelError, build_national_demo, write_param_sets

    out = Path(args.out) if args.out else project_root() / "data" / "processed" / "national_demo"
    t0 = time.perf_counter()
    try:
        panel = build_national_demo(out, seed=SEED if args.national_seed is None else args.national_seed,
                                    provinces=args.province)
    except (NationalPanelError, OSError) as e:
        return _fail("national-demo", e)
    print(f"{panel.root}: {panel.rows:,} rows, {panel.units:,} county-level units, {panel.partitions} partitions "
          f"(parent=CODE), {time.perf_counter() - t0:.1f} s; SYNTHETIC demo data (status demo), not statistics")
    if args.params_out:
        try:
            print(f"{write_param_sets(panel.root, args.params_out)}: one parameter set per unit "
                  "(liyang-ip run --params FILE --dry-run)")
        except OSError as e:
            return _fail("national-demo", e)
    return 0


def _cmd_template(args) -> int:
    from .data.build import raw_dir
    from .data.template import write_template
    from .registry import RegionSetError

    out = Path(args.out) if args.out else raw_dir("templates") / "liyang_ip_data_template.xlsx"
    if out.is_dir():
        return _fail("template", f"{out} is a folder; give a file name such as {out / '数据填报模板.xlsx'}", 2)
    if (out.exists() or out.is_symlink()) and not args.force:
        return _fail("template", f"{out} exists; not overwritten (it may hold filled-in data). Use --force to "
                     "replace it, or --out for another file")
    try:
        print(write_template(out, layout=args.layout, region_set=args.region_set))
    except RegionSetError as e:
        return _fail("template", e, 2)
    except OSError as e:
        return _fail("template", e)
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
    except RegionSetError as e:
        return _fail("import", f"--region-set: {e}", 2)
    except (RawFileError, OSError) as e:
        return _fail("import", e)
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
        return _fail("import", f"--out {out} is a file; give a folder", 2)
    try:
        paths = write_import(result, out, force=args.force)
    except FileExistsError as e:  # an OSError, but said as it is: the files are there and --force replaces them
        return _fail("import", str(e))
    except OSError as e:
        return _fail("import", e)
    obs = result.observations
    n_err = sum(i.severity == "error" for i in check(out))
    print(f"{len(obs)} figure(s), {obs['indicator'].nunique()} indicator(s), {obs['region'].nunique()} region(s), "
          f"years {obs['year'].min()}–{obs['year'].max()} ({result.layout}) → {paths[0]}; sources stub → {paths[1]} "
          f"(complete publisher, URL, date). data check: {n_err} error(s)")
    return 1 if n_err else 0


def _cmd_regions(args) -> int:
    from .data.build import declared_region_sets

    try:
        sets = declared_region_sets(args.dataset, args.region_set)
    except (FileNotFoundError, ValueError) as e:  # a missing dataset, dataset.yaml or region-set problem
        return _fail("regions", e, 2)
    for rset in sets:
        print(f"{rset.name}: {rset.title('zh')} / {rset.title('en')}")
        for kind, names in (("parent", [rset.parent]), ("member", rset.members)):
            for name in names:
                print(f"  {kind}  {name}  {rset.label(name, 'en')}")
    return 0


def _region_set_arg(what: str, default: str = "") -> Arg:
    return arg("--region-set", default=None, metavar="NAME|PATH",
               help=f"{what}: a bundled region set (changzhou, china, jiangsu) or a YAML file{default}")


def data_commands() -> tuple[Command, ...]:
    """The `data` sub-commands (built with the parser, like report.cli.commands)."""
    return (
        Command("build", _cmd_build, "raw → data/processed/<name>/ (atomic)", args=(
            arg("--dataset", action="append", help="demo, public, cnipa or a path (repeatable; default: all bundled)"),
            arg("--out", help="processed root directory (default data/processed)"),
            arg("-v", "--verbose", action="store_true", help="print warnings"),
        )),
        Command("check", _cmd_check, "validate a file or dataset directory; exit 1 on errors", args=(
            arg("path"),
            arg("-v", "--verbose", action="store_true", help="also print info messages (encoding)"),
        )),
        Command("demo", _cmd_demo, "regenerate the synthetic demo raw dataset", args=(
            arg("--out"),
            arg("--seed", type=int, default=None),
        )),
        Command("national-demo", _cmd_national_demo, "write the seeded synthetic national panel (every county-level "
                "unit, Parquet partitioned by parent; status demo)", parser=dict(
                    description="Every county-level unit of the GB/T 2260 list × every catalogue indicator × 20 "
                    "years, invented figures (status demo), written as OUT/parent=CODE/ partitions; each partition "
                    "is a --dataset for run (region set division:CODE)."), args=(
            arg("--out", help="panel folder (default data/processed/national_demo); replaced only if it is a national "
                "panel or empty"),
            arg("--seed", dest="national_seed", type=int, default=None),
            arg("--province", action="append", metavar="CODE",
                help="only this province (two-digit code, e.g. 32; repeatable; default: all)"),
            arg("--params-out", metavar="FILE.yaml",
                help="also write a parameters file with one set (dataset: its partition, focus: its name) per unit, "
                "for liyang-ip run --params"),
        )),
        Command("regions", _cmd_regions, "list the regions of a dataset's region set (the valid --focus names)",
                parser=dict(description="The region set a dataset declares (dataset.yaml region_set; the default "
                            "set for a dataset without one), or the set given: its parent and its members, each "
                            "with its English name. A run's --focus and a notebook's focus take a member."),
                args=(
            arg("--dataset", default="demo", metavar="demo|public|cnipa|PATH", help="dataset (default demo)"),
            _region_set_arg("instead of the dataset's"),
        )),
        Command("template", _cmd_template, "write the Excel data-collection template", args=(
            arg("--out"),
            arg("--force", action="store_true", help="replace an existing file"),
            _region_set_arg("regions in the drop-down"),
            arg("--layout", choices=["both", "long", "wide"], default="both",
                help="long sheet 数据, wide sheets (one per indicator: regions down, years across), or both"),
        )),
        Command("import", _cmd_import, "a 统计年鉴 table (.csv/.xlsx) → tidy observations.csv + sources.csv stub",
                parser=dict(description="Read a yearbook table in one of its two common layouts: regions down × "
                            "indicators across for one year (--year, or from the title), or indicators down × years "
                            "across for one region (--region). Writes OUT/observations.csv and OUT/sources.csv."),
                args=(
            arg("file"),
            arg("--layout", choices=["auto", "regions-down", "indicators-down"], default="auto"),
            arg("--region", help="the region of an indicators-down table, e.g. 溧阳市"),
            arg("--year", type=int, help="the year of a regions-down table (default: from its title)"),
            arg("--sheet", help="sheet name of an .xlsx (default: the first sheet)"),
            arg("--total-region", help="region of 合计/全市 rows (default: the region set's parent)"),
            _region_set_arg("names of the regions", " (default: changzhou)"),
            arg("--source-id", default="S1"),
            arg("--title", help="source title (default: the table's title row)"),
            arg("--publisher"),
            arg("--url"),
            arg("--date"),
            arg("--status", default="official", choices=["official", "estimate"]),
            arg("--out", help="output folder (default: FILE's folder/<stem>_import)"),
            arg("--force", action="store_true", help="replace existing observations.csv/sources.csv"),
        )),
    )


def build_parser() -> argparse.ArgumentParser:
    from . import __version__
    from .extract import cli as extract_cli
    from .patents import cli as patents_cli
    from .report import cli as report_cli

    p = argparse.ArgumentParser(prog="liyang-ip", description="County-level IP planning analytics: a unit against "
                                "its siblings and their parent.")
    p.add_argument("--version", action="version", version=f"liyang-ip {__version__}")
    p.add_argument("--debug", action="store_true",
                   help="show the full traceback of an error (for bug reports) instead of one line")
    sub = p.add_subparsers(dest="command", required=True)
    add_commands(sub, [Command("data", None, "build, check and generate datasets", subcommands=data_commands(),
                               extend=(extract_cli.register,))])
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
