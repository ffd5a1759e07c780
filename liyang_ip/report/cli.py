"""`liyang-ip run` and `liyang-ip export` sub-commands (registered by liyang_ip.cli).

    liyang-ip run [--params FILE.yaml] [--focus BLOCK ...|all] [--target-year YEAR] [--dataset demo|public|PATH]
                  [--notebooks 01_baseline,...] [--out DIR] [--run-name NAME] [--jobs N] [--pdf] [--force]
    liyang-ip export RUN_DIR [--to html,pdf] [--no-combined] [--force] [--browser PATH]
    liyang-ip table [RUN_DIR] [--dataset …] [--focus …] [--plan N] [--to docx,xlsx] [--out DIR]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from ..clitable import Command, add_commands, arg

RUN_EPILOG = """\
examples:
  liyang-ip run --focus 溧阳市 --pdf                       one block, demo data, HTML+PDF
  liyang-ip run --focus all --target-year 2030 --jobs 4    all seven blocks
  liyang-ip run --plan 15                                   15th-plan preset: baseline 2020→2025, targets 2030
  liyang-ip run --params grid.yaml --run-name scenarios     a grid from a YAML file
  liyang-ip run --params grid.yaml --dry-run                the plan only: jobs, up to date, time estimate
  liyang-ip run --focus all --cluster local:2               on a Dask LocalCluster of 2 workers
  liyang-ip run --params grid.yaml --cluster tcp://head:8786 --yes   on an existing Dask scheduler
  liyang-ip run --dataset data/processed/national_demo --focus all --dry-run   every county of a national panel

parameters file (YAML): a mapping whose list values are grid axes (cartesian product), e.g.
  focus: [溧阳市, 金坛区]
  target_year: [2025, 2030]
  methods: [cagr, linear]        # peers/indicators/methods: a flat list is ONE value
or a list of parameter sets, or {parameters: {...}, grid: {...}, runs: [{...}, ...]}.
A set may name a preset with `plan: 15` (or a grid axis `plan: [14, 15]`); its own values win over the
preset. Flags override the file. Output: <out>/<run-name>/<block>/<notebook>.ipynb and manifest.json.
Exit status: 0 all succeeded, 1 a notebook (or the PDF export) failed, 2 bad arguments.
"""

#: A cell of these notebooks takes seconds; a kernel that stops answering must not hold a batch for ever.
DEFAULT_CELL_TIMEOUT = 900.0


def register(subparsers) -> None:
    """Add `run`, `table` and `export` (`commands`, at the end of this module) to the top-level parser."""
    add_commands(subparsers, commands())


def _fail(msg: str, code: int = 2) -> int:
    print(f"liyang-ip: {msg}", file=sys.stderr)
    return code


def _parse_param(text: str) -> tuple[str, Any]:
    import yaml

    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise ValueError(f"-p {text!r}: expected NAME=VALUE, e.g. -p gap_share=0.5")
    try:
        return name.strip(), yaml.safe_load(value)
    except yaml.YAMLError as e:
        problem = getattr(e, "problem", None) or (str(e).splitlines() or ["?"])[0]
        raise ValueError(f"-p {text!r}: the value is not valid YAML ({problem}); write a list as "
                         f"[a, b] and quote text with brackets or colons, e.g. -p 'indicators=[a, b]'") from None


def _block_resolver(dataset: str | None = None, region_set: Any = None):
    """(members, resolve) of the dataset's region set (or `region_set`); resolve raises ValueError naming
    the valid members."""
    try:
        from liyang_ip.data.build import declared_region_sets
    except ImportError:
        return [], None
    try:
        rset = declared_region_sets(dataset or "demo", region_set)[0]
    except (OSError, ValueError) as e:
        raise ValueError(f"dataset {dataset}: {e}") from None
    blocks = list(rset.members)

    def resolve(name: str) -> str:
        try:
            return rset.resolve_member(str(name), "focus")
        except ValueError as e:
            raise ValueError(f"{e} (or 'all')") from None

    return blocks, resolve


def _dataset_run_defaults(dataset: str) -> dict:
    try:
        from liyang_ip.data.build import run_defaults
    except ImportError:
        return {}
    try:
        return run_defaults(dataset)
    except (OSError, ValueError):  # the dataset's own problems are reported when it is loaded
        return {}


def _resolve_dataset(spec: str) -> str:
    from .runner import BUNDLED_DATASETS

    if spec in BUNDLED_DATASETS:
        return spec
    p = Path(spec).expanduser()
    if not p.exists():
        raise ValueError(f"dataset {spec!r} not found: give demo, public, cnipa, or a path to a CSV, .xlsx or "
                         "dataset directory")
    # Absolute, because the kernels run in the notebooks directory.
    return str(p.resolve())


def build_sets(args) -> list[dict]:
    """Parameter sets from --params and the flags (flags win), focus blocks resolved."""
    from ..params import apply_plan_preset
    from .runner import RunError, apply_overrides, expand_focus, load_params_file

    sets = load_params_file(args.params) if args.params else [{}]
    overrides: dict[str, Any] = {}
    for text in args.param:
        name, value = _parse_param(text)
        overrides[name] = value
    if args.focus:
        overrides["focus"] = args.focus
    if args.target_year is not None:
        overrides["target_year"] = args.target_year
    if args.dataset:
        overrides["dataset"] = args.dataset
    if getattr(args, "plan", None) is not None:
        overrides["plan"] = args.plan
    sets = apply_overrides(sets, overrides)
    try:
        sets = [apply_plan_preset(s) for s in sets]
    except ValueError as e:
        raise RunError(f"--plan: {e}") from None
    for s in sets:
        s["dataset"] = _resolve_dataset(str(s.get("dataset") or "demo"))
    sets = expand_panels(sets)
    # A dataset may name the parameters its runs start from (dataset.yaml run_defaults, e.g. the years a
    # cross-section covers); the command line, --params and --plan win.
    # Read once per dataset (a national batch has thousands of sets over a few hundred partitions).
    run_defaults: dict[str, dict] = {}
    resolvers: dict[tuple, tuple] = {}
    for s in sets:
        if s["dataset"] not in run_defaults:
            run_defaults[s["dataset"]] = _dataset_run_defaults(s["dataset"])
    sets = [{**run_defaults[s["dataset"]], **s} for s in sets]
    out = []
    for s in sets:  # focus names are members of each set's own dataset (or region_set parameter)
        try:
            rkey = (s.get("dataset"), str(s.get("region_set")))
            if rkey not in resolvers:
                resolvers[rkey] = _block_resolver(s.get("dataset"), s.get("region_set"))
            blocks, resolve = resolvers[rkey]
            out += expand_focus([s], blocks, resolve, default=blocks[0] if blocks else None)
        except ValueError as e:
            raise RunError(f"--focus: {e}") from None
    from .runner import _dedupe

    return _dedupe(out)


def _panel_units(root: str):
    """The county-level units of a national panel folder (liyang_ip.data.national), or None for any
    other dataset."""
    from ..data import national

    if not (Path(root) / national.META).is_file():
        return None
    try:
        return national.units(root)
    except national.NationalPanelError as e:
        raise ValueError(str(e)) from None


def expand_panels(sets: list[dict]) -> list[dict]:
    """A national panel's folder as the dataset: one parameter set per county-level unit with ``focus:
    all`` (or no focus), or the named unit (name or six-digit code), each with its own partition
    (``ROOT/parent=CODE``) as the dataset; other sets unchanged.

    A name that several units share (朝阳区) is an error listing their codes.
    """
    from .runner import RunError

    out: list[dict] = []
    for s in sets:
        units = _panel_units(s["dataset"])
        if units is None:
            out.append(s)
            continue
        focus = s.get("focus")
        if focus is None or str(focus).strip().lower() == "all":
            chosen = units
        else:
            want = str(focus).strip()
            chosen = units[(units["code"] == want) | (units["name"] == want)]
            if chosen.empty:
                raise RunError(f"--focus {want!r}: no county-level unit of that name or code in the national "
                               f"panel {s['dataset']} ({len(units)} units); give its name or six-digit code, "
                               "or all")
            if len(chosen) > 1:
                codes = ", ".join(f"{c} (in {p})" for c, p in zip(chosen["code"], chosen["parent"], strict=True))
                raise RunError(f"--focus {want!r}: {len(chosen)} units of the national panel have this name: "
                               f"{codes}; give the six-digit code")
        out += [{**s, "dataset": path, "focus": name} for name, path in zip(chosen["name"], chosen["path"],
                                                                            strict=True)]
    return out


def set_names_for(sets: list[dict]) -> list[str]:
    """Directory names of the sets (`runner.set_dirs`); units of a national panel are named
    ``<code>_<name>`` (names repeat across the country) and their partitions do not enter the name."""
    from .runner import set_dirs

    codes: dict[tuple[str, str], str] = {}
    roots: dict[str, Any] = {}
    for s in sets:
        root = str(Path(s["dataset"]).parent)
        if root in roots:
            continue
        roots[root] = units = _panel_units(root)
        if units is not None:
            codes.update({(str(p), n): c for c, n, p in zip(units["code"], units["name"], units["path"],
                                                             strict=True)})
    if not sets or not all((str(s["dataset"]), str(s.get("focus"))) in codes for s in sets):
        return set_dirs(sets)
    return set_dirs([{**{k: v for k, v in s.items() if k != "dataset"},
                      "focus": f"{codes[(str(s['dataset']), str(s.get('focus')))]}_{s.get('focus')}"} for s in sets])


def _warn_unknown_params(sets, notebooks) -> None:
    """Warn about parameters a notebook does not declare in its `parameters` cell (papermill would
    inject them anyway, and the notebook would ignore them)."""
    from .runner import parameter_defaults, read_notebook

    names = {k for s in sets for k in s}
    for nb_path in notebooks:
        try:
            known = set(parameter_defaults(read_notebook(nb_path)))
        except Exception:  # noqa: BLE001 - only a warning; the run reports unreadable notebooks
            continue
        extra = sorted(names - known)
        if known and extra:
            print(f"liyang-ip run: warning: {nb_path.name} has no parameter(s) {', '.join(extra)} "
                  f"(it declares {', '.join(sorted(known))})", file=sys.stderr)


def default_run_name(args, sets) -> str:
    from .names import safe_name

    if args.run_name:
        return safe_name(args.run_name)
    if args.params:
        return safe_name(Path(args.params).stem)
    datasets = sorted({str(s.get("dataset", "demo")) for s in sets})
    name = datasets[0] if len(datasets) == 1 else "mixed"
    from ..data.national import is_partition

    panels = {str(Path(d).parent) for d in datasets if is_partition(d)}
    if len(panels) == 1 and all(is_partition(d) for d in datasets) and len(datasets) > 1:
        name = panels.pop()  # the units of one national panel: named after the panel's folder
    from .runner import BUNDLED_DATASETS

    name = Path(name).stem if name not in BUNDLED_DATASETS else name
    if getattr(args, "plan", None) is not None:  # a run per preset, so --plan 15 does not overwrite --plan 14
        from ..registry import plans

        name = f"{name}-plan{plans.plan(args.plan).number}"
    return safe_name(name)


def cmd_run(args) -> int:

    if args.jobs < 1:
        return _fail("--jobs must be at least 1")
    from .cluster import parse_cluster

    cluster = None
    if args.cluster:
        try:
            cluster = parse_cluster(args.cluster)
        except ValueError as e:
            return _fail(f"run: {e}")
    if cluster is not None or args.dry_run:
        return _cmd_run(args, cluster, None)
    # The warm-kernel server (report.warm) imports while the parameters are checked and the plan is made:
    # the first kernel is forked at once.
    from .warm import server

    with server(args.kernel) as warm:
        return _cmd_run(args, cluster, warm)


class _Warmup:
    """`export.prepare` in a background thread while the notebooks run (``run --pdf``): nbconvert imported,
    the report template compiled, the browser started; `take` hands over the printer (or None)."""

    def __init__(self, browser: str | None):
        import threading

        self._printer = None
        self._thread = threading.Thread(target=self._run, args=(browser,), name="liyang-ip-export-warmup",
                                        daemon=True)
        self._thread.start()

    def _run(self, browser) -> None:
        from .export import prepare

        self._printer = prepare(browser)

    def take(self):
        self._thread.join()
        printer, self._printer = self._printer, None
        return printer

    def close(self) -> None:
        printer = self.take()
        if printer is not None:
            printer.close()


def _cmd_run(args, cluster, warm) -> int:
    from .runner import RunError, dataset_info, default_notebooks_dir, discover_notebooks

    out = Path(args.out)
    if out.exists() and not out.is_dir():
        return _fail(f"run: --out {args.out} is a file; give a directory (it is created when missing)")
    try:
        sets = build_sets(args)
        select = [s for s in (args.notebooks or "").split(",") if s.strip()]
        notebooks = discover_notebooks(args.notebooks_dir or default_notebooks_dir(), select)
    except (RunError, ValueError) as e:
        return _fail(f"run: {e}")
    from .checks import check_sets, too_many_jobs

    run_dir = Path(args.out) / default_run_name(args, sets)
    datasets = {}
    for s in sets:
        key = str(s["dataset"])
        if key not in datasets:
            datasets[key] = dataset_info(key)
    # Everything is checked before any kernel starts: one list of all problems, exit 2.
    checked = check_sets(sets, notebooks, datasets)
    if not checked.ok:
        print(f"liyang-ip run: {len(checked.errors)} problem(s) with the parameters; nothing was run:",
              file=sys.stderr)
        for msg in checked.errors:
            print(f"  {msg}", file=sys.stderr)
        return 2
    # Directories are named after what the user chose; the defaults the data filled in are in the manifest.
    set_names = set_names_for(sets)
    sets = checked.sets
    for msg in checked.chosen[:CHOSEN_LISTED]:
        print(f"liyang-ip run: {msg}", file=sys.stderr)
    if len(checked.chosen) > CHOSEN_LISTED:
        print(f"liyang-ip run: … and {len(checked.chosen) - CHOSEN_LISTED} more defaults from the data (every "
              "notebook's parameters are in the manifest)", file=sys.stderr)
    for msg in checked.warnings:
        print(f"liyang-ip run: warning: {msg}", file=sys.stderr)
    _warn_unknown_params(sets, notebooks)
    print(f"liyang-ip run: {len(sets)} parameter set(s) × {len(notebooks)} notebook(s) → {run_dir}",
          file=sys.stderr)
    # The plan: what will run, what is up to date, how long it should take (earlier runs' timings).
    plan = _plan(sets, notebooks, run_dir, datasets, set_names, cluster, args)
    big = too_many_jobs(len(sets), len(notebooks))
    if args.dry_run:
        for key in plan.to_run[:DRY_RUN_LISTED]:
            print(f"  would run {key}")
        if len(plan.to_run) > DRY_RUN_LISTED:
            print(f"  … and {len(plan.to_run) - DRY_RUN_LISTED} more")
        if big and not args.yes:
            print(f"liyang-ip run: note: {big}", file=sys.stderr)
        print("dry run: nothing was run")
        return 0
    if big and not args.yes:
        return _fail(f"run: {big}")
    # The export's start (imports, templates, the browser) runs while the notebooks do.
    warmup = _Warmup(args.browser) if args.pdf else None
    try:
        return _run_and_export(args, cluster, warm, sets, notebooks, run_dir, datasets, set_names, plan, warmup)
    finally:
        if warmup is not None:
            warmup.close()  # nothing is left running when the export did not take the printer


def _run_and_export(args, cluster, warm, sets, notebooks, run_dir, datasets, set_names, plan, warmup) -> int:
    from .cluster import ClusterError
    from .runner import run_batch

    backend = None
    if cluster is not None:
        from .cluster import DaskBackend

        backend = DaskBackend(cluster, say=lambda msg: print(f"liyang-ip run: {msg}", file=sys.stderr))
    try:
        result = run_batch(sets, notebooks, run_dir, jobs=args.jobs, force=args.force, kernel=args.kernel,
                           timeout=args.timeout or None, progress=not args.no_progress, datasets=datasets,
                           command=["liyang-ip", *sys.argv[1:]] if sys.argv else None, set_names=set_names,
                           backend=backend, expected=plan.timings, warm=warm)
    except ClusterError as e:
        return _fail(f"run: {e}", 1)
    except KeyboardInterrupt:
        print(f"liyang-ip run: interrupted; the notebooks that finished are in {run_dir / 'manifest.json'}, "
              "and the same command again runs only what is missing or failed", file=sys.stderr)
        raise
    entries = result.manifest["notebooks"]
    for key in [*result.executed, *result.failed, *result.skipped]:
        e = entries[key]
        mark = {"executed": "ok", "skipped": "up to date"}.get(e.get("last_action"), "?")
        if e["status"] != "ok":
            mark = f"FAILED ({e.get('error')})"
        print(f"  {key}: {mark}")
        for w in e.get("warnings") or []:
            print(f"    warning: {w}")
    print(f"{len(result.executed)} executed, {len(result.skipped)} up to date, {len(result.failed)} failed; "
          f"manifest: {run_dir / 'manifest.json'}")
    status = 1 if result.failed else 0
    if args.pdf:
        status = max(status, _export(run_dir, ("html", "pdf"), combined=True, force=args.force,
                                     browser=args.browser, printer=warmup.take() if warmup else None))
    return status


#: Job keys a dry run lists before "… and N more".
DRY_RUN_LISTED = 20
#: "defaults from the data" lines printed before "… and N more" (a national grid has thousands of sets).
CHOSEN_LISTED = 20


def _plan(sets, notebooks, run_dir: Path, datasets, set_names, cluster, args):
    """Plan the batch and print it (stderr): counts, and the estimate from earlier runs' timings."""
    from .cluster import describe_plan, plan_batch, sibling_manifests
    from .runner import plan_jobs, read_manifest

    fingerprints = {k: v.get("fingerprint") for k, v in datasets.items()}
    jobs = plan_jobs(sets, notebooks, run_dir, fingerprints, set_names)
    if cluster is None:
        workers, where = args.jobs, f"{args.jobs} local process(es)"
    elif cluster.is_local:
        workers, where = cluster.workers, f"a Dask LocalCluster of {cluster.workers} worker(s)"
    else:
        workers, where = None, f"the Dask scheduler {cluster.address}"
    plan = plan_batch(jobs, read_manifest(run_dir), workers, run_dir, history=sibling_manifests(run_dir),
                      force=args.force)
    for line in describe_plan(plan, where):
        print(f"liyang-ip run: {line}", file=sys.stderr)
    return plan


def _export(path: Path, formats, combined: bool, force: bool, browser: str | None, printer=None) -> int:
    from .export import BrowserNotFoundError, ExportError, export_paths

    try:
        written = export_paths([path], formats=formats, combined=combined, force=force, browser=browser,
                               printer=printer)
    except OSError as e:
        from ..cli import describe_error

        return _fail(f"export: {describe_error(e)}", 1)
    except BrowserNotFoundError as e:
        print(f"liyang-ip export: {e}", file=sys.stderr)
        return 1
    except ExportError as e:
        for p in e.written:
            print(f"  wrote {p}")
        return _fail(f"export: {e}", 1)
    for p in written:
        print(f"  wrote {p}")
    return 0


def cmd_export(args) -> int:
    formats = tuple(f.strip().lower() for f in args.to.split(",") if f.strip())
    bad = [f for f in formats if f not in ("html", "pdf")]
    if bad or not formats:
        return _fail(f"export: --to takes html and/or pdf, got {args.to!r}")
    status = 0
    for p in args.paths:
        path = Path(p)
        if not path.exists():
            status = max(status, _fail(f"export: {p} does not exist (give a run directory or an .ipynb)"))
            continue
        status = max(status, _export(path, formats, combined=not args.no_combined, force=args.force,
                                     browser=args.browser or os.environ.get("LIYANG_IP_CHROMIUM")))
    return status


def _table_sets(args) -> list[tuple[dict, Path]]:
    """(parameters, output directory) per table to write."""
    from ..params import apply_plan_preset
    from .runner import read_manifest

    if args.run_dir:
        run_dir = Path(args.run_dir)
        if not (run_dir / "manifest.json").exists():
            raise ValueError(f"{run_dir} has no manifest.json; give a directory written by liyang-ip run")
        out: dict[str, tuple[dict, Path]] = {}
        for entry in read_manifest(run_dir).get("notebooks", {}).values():
            set_dir = (run_dir / entry["output"]).parent
            out.setdefault(str(set_dir), (dict(entry.get("parameters") or {}), set_dir))
        if not out:
            raise ValueError(f"{run_dir}/manifest.json lists no notebooks")
        sets = list(out.values())
    else:
        params = {k: v for k, v in {"dataset": args.dataset, "focus": args.focus}.items() if v}
        sets = [(params, None)]
    result = []
    for params, set_dir in sets:
        flags = {"start_year": args.start_year, "end_year": args.end_year, "target_year": args.target_year,
                 "gap_share": args.gap_share, "lang": args.lang}
        params = {**params, **{k: v for k, v in flags.items() if v is not None}}
        params = apply_plan_preset(params, args.plan)
        result.append((params, set_dir))
    return result


def cmd_table(args) -> int:
    from ..params import validate_params

    formats = [f.strip().lower() for f in args.to.split(",") if f.strip()]
    if not formats or any(f not in ("docx", "xlsx") for f in formats):
        return _fail(f"table: --to takes docx and/or xlsx, got {args.to!r}")
    try:
        sets = _table_sets(args)
        checked = []
        for params, set_dir in sets:
            if "dataset" in params:
                params["dataset"] = _resolve_dataset(str(params["dataset"]))
            known = {k: params[k] for k in ("focus", "peers", "start_year", "end_year", "target_year", "indicators",
                                            "dataset", "gap_share", "lang") if k in params}
            checked.append((validate_params(**known), set_dir))
    except ValueError as e:
        return _fail(f"table: {e}")
    from ..data import load_dataset
    from .plan_table import plan_table, source_in, write_docx, write_xlsx

    datasets: dict[str, Any] = {}
    for p, set_dir in checked:
        try:
            ds = datasets.setdefault(p.dataset, load_dataset(p.dataset))
        except (FileNotFoundError, ValueError, RuntimeError) as e:  # BuildError is a RuntimeError
            return _fail(f"table: dataset {p.dataset}: {e}", 1)
        source = source_in(str(ds.metadata.get("title") or ds.name), p.lang)
        table = plan_table(ds.observations, ds.targets, p.focus, p.end_year, p.target_year,
                           indicators=list(p.indicators), start_year=p.start_year, share=p.gap_share,
                           benchmark=args.benchmark, lang=p.lang, is_demo=ds.is_demo, source=source,
                           methods=list(p.methods))
        out = Path(args.out) if args.out else (set_dir or Path("outputs") / "tables" / p.focus)
        writers = {"docx": write_docx, "xlsx": write_xlsx}
        for fmt in formats:
            path = writers[fmt](table, out / f"plan_table_{p.target_year}.{fmt}")
            print(f"  wrote {path}")
    return 0


def commands() -> tuple[Command, ...]:
    """The sub-commands of this module, made when the parser is built (so the functions are looked up then,
    and a test can replace one)."""
    return (
        Command("run", cmd_run, "execute the notebooks with papermill for one parameter set or a grid", parser=dict(
            description="Execute the numbered notebooks (papermill) for one parameter set or a grid, in parallel.",
            epilog=RUN_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter), args=(
            arg("--params", metavar="FILE.yaml", help="parameters file (a set, a grid or a list of sets)"),
            arg("--focus", action="append", metavar="BLOCK",
                help="focus unit (repeatable), or 'all' for every member of the dataset's region set (default: its "
                     "first member); with a national panel's folder as --dataset, a unit's name or six-digit code, "
                     "or all for every county-level unit"),
            arg("--plan", metavar="N",
                help="preset for drafting plan N (e.g. 14: baseline 2015→2020, targets 2025; 15: baseline 2020→2025, "
                     "targets 2030; periods from registry/plans.yaml); other flags and the parameters file override it"),
            arg("--target-year", type=int, metavar="YEAR", help="target year of the plan"),
            arg("--dataset", metavar="demo|public|cnipa|PATH", help="dataset (default demo)"),
            arg("-p", "--param", action="append", default=[], metavar="NAME=VALUE",
                help="any notebook parameter; VALUE is read as YAML (e.g. -p gap_share=0.5 -p lang=en)"),
            arg("--notebooks", metavar="01_baseline,...",
                help="comma-separated notebooks to run (stem or number; default all NN_* notebooks, .md/.py/.ipynb)"),
            arg("--notebooks-dir", metavar="DIR", help="where the notebooks are (default ./notebooks)"),
            arg("--out", default="outputs", metavar="DIR", help="output root (default outputs/)"),
            arg("--run-name", metavar="NAME",
                help="sub-directory of --out (default: the parameters file's name, else the dataset's)"),
            arg("--jobs", "-j", type=int, default=1, metavar="N", help="notebooks executed at once (default 1)"),
            arg("--cluster", metavar="local[:N]|tcp://HOST:8786",
                help="run the batch on Dask: a LocalCluster of N worker processes (default: one per CPU) or an "
                     "existing scheduler; workers need the package and the same paths (README)"),
            arg("--dry-run", action="store_true", help="show the plan (jobs, up to date, estimated time) and run nothing"),
            arg("--pdf", action="store_true", help="also export HTML and PDF (needs Chromium)"),
            arg("--force", action="store_true", help="re-run (and re-export) what is up to date"),
            arg("--kernel", metavar="NAME", help="Jupyter kernel (default: the notebook's own)"),
            arg("--timeout", type=float, metavar="SECONDS", default=DEFAULT_CELL_TIMEOUT,
                help=f"per-cell timeout; a cell running longer fails its notebook, the others go on "
                     f"(default {DEFAULT_CELL_TIMEOUT:g}; 0 for none)"),
            arg("--no-progress", action="store_true", help="no progress bar"),
            arg("--yes", action="store_true",
                help="run a batch of more than 500 notebook runs (parameter sets × notebooks); without it such a "
                     "batch shows its plan and stops"),
            arg("--browser", metavar="PATH", help="Chromium/Chrome/Edge executable for --pdf"),
        )),
        Command("table", cmd_table, "the plan's indicator table (主要指标表) as .docx and .xlsx", parser=dict(
            description="Write the plan's indicator table (类别, 指标, 单位, 基期值, 目标值, 年均增速/累计增量, 属性, with "
                        "the parent's target and average beside) as Word and Excel files, for each parameter set of a "
                        "run directory or for the parameters given here."), args=(
            arg("run_dir", nargs="?", metavar="RUN_DIR", help="a run directory (with manifest.json)"),
            arg("--dataset", metavar="demo|public|PATH", help="dataset (without RUN_DIR; default demo)"),
            arg("--focus", metavar="BLOCK", help="focus block (without RUN_DIR; default 溧阳市)"),
            arg("--plan", metavar="N", help="preset for drafting plan N (see run --plan)"),
            arg("--start-year", type=int, metavar="YEAR"),
            arg("--end-year", type=int, metavar="YEAR", help="base year of the table (基期)"),
            arg("--target-year", type=int, metavar="YEAR"),
            arg("--gap-share", type=float, metavar="S", help="share of the gap to close (default 0.5)"),
            arg("--benchmark", choices=("others", "city", "leader", "city_plan"), default="others",
                help="benchmark of the proposed targets (default others: the other blocks' average)"),
            arg("--lang", choices=("zh", "en"), help="language (default the run's, else zh)"),
            arg("--to", default="docx,xlsx", metavar="docx,xlsx", help="formats (default both)"),
            arg("--out", metavar="DIR", help="output directory (default: each set's directory of the run, else "
                                              "outputs/tables/<focus>)"),
        )),
        Command("export", cmd_export, "export executed notebooks of a run to HTML and PDF", parser=dict(
            description="Export the executed notebooks of a run (or single .ipynb files) to report-style HTML and PDF "
                        "(code hidden, cover page, A4, page numbers, embedded CJK font)."), args=(
            arg("paths", nargs="+", metavar="RUN_DIR", help="run directory (with manifest.json) or .ipynb"),
            arg("--to", default="html,pdf", metavar="html,pdf", help="formats (default html,pdf)"),
            arg("--no-combined", action="store_true",
                help="do not write the combined report (all notebooks of a block in one file)"),
            arg("--force", action="store_true", help="re-export files that are up to date"),
            arg("--browser", metavar="PATH", help="Chromium/Chrome/Edge executable (default: search)"),
        )),
    )
