"""`liyang-ip patents …`: import a patent-list export; write the synthetic demo export.

    liyang-ip patents import FILE [--columns PRESET|mapping.yaml] [--out DIR] [--all-applicants]
                                  [--industries FILE] [--as-of DATE] [--strict]
    liyang-ip patents demo [--out FILE] [--rows N] [--seed N]
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..clitable import Command, add_commands, arg


def _default_out(path: Path) -> Path:
    from liyang_ip.data.build import processed_dir
    return processed_dir("patents") / path.stem


def _cmd_import(args) -> int:
    from .classify import IndustryFileError
    from .columns import MappingError
    from .importer import import_export, summary_text, write_outputs
    from .load import ExportError

    path = Path(args.file)
    try:
        result = import_export(path, args.columns, all_applicants=args.all_applicants,
                               industries_file=args.industries, as_of=args.as_of)
    except (ExportError, MappingError, IndustryFileError) as e:
        print(f"liyang-ip patents import: {e}", file=sys.stderr)
        return 1
    except ValueError as e:  # e.g. an unreadable --as-of date
        print(f"liyang-ip patents import: {path}: {e}", file=sys.stderr)
        return 1
    if args.strict and len(result.errors):
        # Nothing is written: a clerk asking for --strict wants every row in, or to be told which ones are not.
        _print_issues(result.errors, args.max_errors, None)
        n = len(result.errors)
        print(f"liyang-ip patents import: {path}: --strict: {n} row-level message(s) "
              f"({result.summary['rows_left_out']} row(s) would be left out); nothing written. "
              "Correct the rows above, or run without --strict to import the rest.", file=sys.stderr)
        return 1
    from . import indicators

    table = indicators.compute(result)
    # Rows for the main dataset (tidy observations + sources), ready to append to a raw dataset.
    source_id = f"PAT-{path.stem}"
    obs, sources = indicators.to_observations(table, source_id)
    out = write_outputs(result, Path(args.out) if args.out else _default_out(path), indicators=table,
                        extra={"observations": obs, "sources": sources})
    print(summary_text(result.summary))
    print(f"{len(table)} indicator rows; {len(obs)} observation rows for the dataset (source id {source_id}).")
    _print_issues(result.errors, args.max_errors, out / "errors.csv")
    print(f"→ {out}")
    return 0


def _print_issues(errors, max_errors: int, errors_file: Path | None) -> None:
    """Print the first `max_errors` row-level messages as ``file:row [field] 'value': severity: message``."""
    shown = errors.head(max_errors)
    for r in shown.itertuples(index=False):
        val = f" {r.value!r}:" if str(r.value) not in ("", "nan", "None") else ""
        print(f"{r.file}:{r.row} [{r.field}]{val} {r.severity}: {r.message}", file=sys.stderr)
    if len(errors) > len(shown):
        where = f" in {errors_file}" if errors_file else " (raise --max-errors to see them)"
        print(f"… {len(errors) - len(shown)} more{where}", file=sys.stderr)


def _cmd_demo(args) -> int:
    from .demo import SEED, write_demo_export

    print(write_demo_export(args.out, rows=args.rows, seed=SEED if args.patents_seed is None else args.patents_seed))
    return 0


def register(sub) -> None:
    """Add the ``patents`` command group (`commands`) to the top-level subparsers."""
    add_commands(sub, commands())


def commands() -> tuple[Command, ...]:
    """The sub-commands of this module, made when the parser is built (so the functions are looked up then,
    and a test can replace one)."""
    return (Command("patents", None, "patent-list exports → indicators per block, industry and year", subcommands=(
        Command("import", _cmd_import, "read an export (CSV/XLSX), locate, classify, count; write tidy tables", args=(
            arg("file", help="export file: CSV/TXT (UTF-8, GBK, UTF-16) or XLSX"),
            arg("--columns", help="column preset (cnipa, incopat, patsnap) or a YAML mapping file; default: all presets"),
            arg("--out", help="output directory (default data/processed/patents/<file name>)"),
            arg("--all-applicants", action="store_true", help="locate every applicant, not only the first"),
            arg("--industries", help="industries YAML (default: the bundled registry/industries.yaml)"),
            arg("--as-of", help="date the legal status refers to (the export date), e.g. 2024-06-30"),
            arg("--max-errors", type=int, default=20, help="row-level messages to print (all are in errors.csv)"),
            arg("--strict", action="store_true",
                help="any row-level error or warning (a row left out or read with a guess) fails the import; "
                     "nothing is written"),
        )),
        Command("demo", _cmd_demo, "write the seeded synthetic demo export (status demo)", args=(
            arg("--out", help="file to write (default data/raw/patents_demo/patents_demo.csv)"),
            arg("--rows", type=int, default=None, help="number of patents (default: the demo size)"),
            arg("--seed", dest="patents_seed", type=int, default=None, help="default: the demo seed"),
        )),
    )),)
