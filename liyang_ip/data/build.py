"""raw → processed: read, clean, resolve conflicts, derive, report coverage; write atomically.

A raw dataset is a directory `data/raw/<name>/` with a `dataset.yaml` naming its files and formats, a
`sources.csv`, and optionally `targets.csv` (plan targets, also data). A single user file (tidy CSV or
the Excel template) is a dataset too. Raw files are only read, never written.

Processed output, `data/processed/<name>/`: observations.parquet + .csv, sources.csv, targets.csv,
coverage.csv, coverage_summary.csv, conflicts.csv, issues.csv, metadata.json. The directory is written
to a temporary sibling and swapped into place, so a failed build leaves the previous one intact.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import hashlib
import json
import os
from pathlib import Path

import pandas as pd

from .. import __version__, registry
from . import readers
from .clean import clean_records
from .derive import derive_ratios, parent_totals
from .load import Dataset
from .schema import Issue, conform, empty_observations, issues_frame, plain_text
from .validate import CONFLICT_COLUMNS, jump_warnings, resolve_conflicts

BUNDLED = ("demo", "public", "cnipa")
TARGET_COLUMNS = ["region", "indicator", "year", "value", "unit", "status", "source_id", "note", "attribute", "basis"]
#: Optional columns of targets (schema.HEADER_ALIASES): 属性 and whether the value is the level in the target
#: year or a total over the plan's years (累计).
TARGET_BASIS = {"level": "level", "年度": "level", "期末": "level", "当年": "level", "": "level",
                "cumulative": "cumulative", "累计": "cumulative"}


class BuildError(RuntimeError):
    """The dataset has errors; `issues` lists them (file, row, field)."""

    def __init__(self, issues: list[Issue]):
        self.issues = issues
        errors = [i for i in issues if i.severity == "error"]
        head = "\n".join(f"  {i}" for i in errors[:20])
        more = f"\n  … and {len(errors) - 20} more" if len(errors) > 20 else ""
        super().__init__(f"{len(errors)} error(s) in the raw data:\n{head}{more}")


def project_root() -> Path:
    """The project directory holding data/ (env LIYANG_IP_HOME, else the checkout, else cwd)."""
    env = os.environ.get("LIYANG_IP_HOME")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parents[2]
    if (here / "data" / "raw").is_dir():
        return here
    return Path.cwd()


def raw_dir(name: str) -> Path:
    return project_root() / "data" / "raw" / name


def processed_dir(name: str) -> Path:
    return project_root() / "data" / "processed" / name


#: What a build produces, in memory, is a `load.Dataset` (the same tables `load_dataset` returns); the old
#: name stays importable.
Built = Dataset


def resolve_source(spec: str | Path) -> Path:
    """A bundled name (BUNDLED: demo, public, cnipa) → its raw dir; anything else is a path to a file or
    directory."""
    if str(spec) in BUNDLED:
        return raw_dir(str(spec))
    p = Path(spec)
    if not p.exists():
        raise FileNotFoundError(f"dataset {str(spec)!r} not found: give {', '.join(BUNDLED)}, or a path to a CSV, "
                                ".xlsx or dataset directory")
    return p


def is_processed(src: Path) -> bool:
    """True for a processed dataset directory (`data build --out X` → ``X/<name>``)."""
    src = Path(src)
    return (src.is_dir() and not (src / "dataset.yaml").exists() and (src / "metadata.json").is_file()
            and (src / "observations.parquet").is_file())


def dataset_name(spec: str | Path, src: Path, meta: dict | None = None, name: str | None = None) -> str:
    """The output folder name: `name`, else dataset.yaml's ``name:``, else 'demo'/'public', else the
    resolved directory's name or the file's stem; refused when empty, '.', '..' or with a separator."""
    from .spec import check_name, default_name

    if name is not None:
        return check_name(name)
    if meta and meta.get("name") is not None:
        return check_name(meta["name"], str(Path(src) / "dataset.yaml"))
    if str(spec) in BUNDLED:
        return str(spec)
    return check_name(default_name(src), f"dataset {str(spec)!r}")


def fingerprint(src: Path) -> str:
    """sha256 over the dataset's files (names and bytes), for manifests and freshness checks.

    Only regular files inside the dataset directory count (links leading out and FIFOs are skipped;
    the build refuses them with a message).
    """
    import stat

    h = hashlib.sha256()
    src = Path(src)
    if src.is_file():
        paths, base = [src], src.parent
    else:
        root = src.resolve()
        paths, base = [], src
        for p in sorted(src.rglob("*")):
            if p.name.startswith("."):
                continue
            try:
                if not stat.S_ISREG(os.stat(p).st_mode):
                    continue
                p.resolve().relative_to(root)
            except (OSError, ValueError, RuntimeError):
                continue
            paths.append(p)
    for p in paths:
        h.update(str(p.relative_to(base)).encode())
        with open(p, "rb") as f:
            for chunk in iter(lambda f=f: f.read(1 << 20), b""):
                h.update(chunk)
    h.update(__version__.encode())
    return h.hexdigest()


def _builder_files() -> list[Path]:
    """The code and registries that turn raw into processed data: every module of this subpackage and
    every file of the registry (region sets, catalogue, plans), so a new module or registry file is
    covered without a list to keep in step."""
    pkg = Path(__file__).resolve().parent
    files = sorted(pkg.glob("*.py")) + sorted(p for p in (pkg.parent / "registry").rglob("*") if p.is_file()
                                               and "__pycache__" not in p.parts)
    return files


def builder_hash() -> str:
    """sha256 over the code and registries that turn raw into processed data.

    Stored in metadata.json; a processed build made by other code or registries is stale even when the
    raw files are unchanged.
    """
    h = hashlib.sha256()
    root = Path(__file__).resolve().parents[1]
    for path in _builder_files():
        h.update(path.relative_to(root).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def dataset_region_sets(meta: dict, src: Path, override=None) -> list:
    """The region sets of a dataset: `override` (a set, bundled name, any path, or a list), else
    dataset.yaml's ``region_set`` (a bundled name, a YAML file inside the dataset directory, or a list of
    them), else the default set.

    Raises DatasetSpecError (one line naming dataset.yaml) for an unknown set, a file outside the dataset
    or an invalid set file.
    """
    from ..registry.regionsets import region_set_list
    from .spec import DatasetSpecError, member

    if override is not None:
        try:
            return region_set_list(override)
        except registry.RegionSetError as e:
            raise DatasetSpecError(str(src), f"region_set: {e}", field="region_set") from None
    spec = meta.get("region_set")
    if spec is None:
        return region_set_list(None)
    where = str(src / "dataset.yaml")
    out = []
    for s in spec if isinstance(spec, list) else [spec]:
        s = str(s)
        if Path(s).suffix.lower() in (".yaml", ".yml") or "/" in s or "\\" in s:
            s = str(member(src, s, where, None, what="region_set file"))
        out.append(s)
    try:
        return region_set_list(out)
    except registry.RegionSetError as e:
        raise DatasetSpecError(where, f"region_set: {e}", field="region_set") from None


def declared_region_sets(spec: str | Path, override=None) -> list:
    """The region sets a dataset declares (dataset.yaml ``region_set``, a processed dataset's metadata,
    else the default set), without building it; `override` wins as in :func:`build`."""
    from .national import is_partition
    from .spec import read_spec

    src = resolve_source(spec)
    if override is None and is_partition(src):
        from ..registry.regionsets import region_set_list

        return region_set_list([f"division:{src.name.split('=', 1)[1]}"])
    if override is None and is_processed(src):
        import json

        from ..registry.regionsets import region_set_list

        meta = json.loads((src / "metadata.json").read_text(encoding="utf-8"))
        entries = meta.get("region_sets") or []
        return region_set_list([e["name"] if e.get("bundled") else str(project_root() / e["path"])
                                for e in entries] or None)
    meta = read_spec(src).meta if src.is_dir() else {}
    return dataset_region_sets(meta, src if src.is_dir() else src.parent, override)


RUN_PARAMETERS = ("start_year", "end_year", "target_year", "indicators", "methods", "gap_share", "lang", "peers")


def run_defaults(spec: str | Path) -> dict:
    """Notebook parameters a dataset's runs start from: dataset.yaml ``run_defaults`` (e.g. the years a
    cross-section covers), {} when it has none. Only notebook parameters are accepted (DatasetSpecError
    naming the key otherwise)."""
    from .national import is_partition
    from .spec import DatasetSpecError, read_spec

    src = resolve_source(spec)
    if not src.is_dir() or is_processed(src) or is_partition(src):
        return {}
    meta = read_spec(src).meta
    out = meta.get("run_defaults") or {}
    where = str(src / "dataset.yaml")
    if not isinstance(out, dict):
        raise DatasetSpecError(where, "run_defaults: must be a mapping such as {start_year: 2018, end_year: 2023}",
                               field="run_defaults")
    bad = sorted(set(out) - set(RUN_PARAMETERS))
    if bad:
        raise DatasetSpecError(where, f"run_defaults: {', '.join(bad)} is not a notebook parameter; valid: "
                               f"{', '.join(RUN_PARAMETERS)}", field="run_defaults")
    return dict(out)


def build(spec: str | Path, name: str | None = None, region_set=None) -> Dataset:
    """Build a dataset in memory (no files written). Errors are collected in `Dataset.issues`.

    `region_set` (a set, bundled name, path or list) overrides the dataset's own ``region_set``.

    Raises
    ------
    FileNotFoundError
        The path does not exist.
    spec.DatasetSpecError
        The dataset cannot be used at all (bad ``dataset.yaml``, not a regular file, a refused name, an
        unknown or invalid region set); one line naming the file and line.
    """
    from .spec import DatasetSpecError, read_spec

    src = resolve_source(spec)
    from .national import is_partition

    if is_partition(src):
        raise DatasetSpecError(str(src), "this is a partition of a national panel (written by liyang-ip data "
                               "national-demo); use it as --dataset for run or load_dataset, it is not built")
    if is_processed(src):
        raise DatasetSpecError(str(src), "this is a processed dataset (written by liyang-ip data build); use it as "
                               "--dataset for run or load_dataset, and check or build the raw dataset it came from")
    dspec = read_spec(src)
    meta = dspec.meta
    name = dataset_name(spec, src, meta, name)
    files, sources_path, targets_path = dspec.files, dspec.sources, dspec.targets
    sets = dataset_region_sets(meta, src if src.is_dir() else src.parent, region_set)
    issues: list[Issue] = list(dspec.issues)
    sources = None
    if sources_path is not None:
        try:
            sources = readers.read_sources_csv(sources_path)
        except readers.RawFileError as e:
            issues.append(e.issue)
    raws, template_targets = [], []
    for spec_f in files:
        fmt, path = spec_f.get("format", "tidy"), Path(spec_f["path"])
        try:
            if fmt == "tidy":
                raw, iss = readers.read_tidy_csv(path)
            elif fmt == "template":
                raw, tsrc, iss = readers.read_template(path)
                if tsrc is not None and len(tsrc):
                    sources = tsrc if sources is None else pd.concat([sources, tsrc]).drop_duplicates("source_id")
                traw, tiss = readers.read_template_targets(path)
                iss = iss + tiss
                if len(traw):
                    template_targets.append(traw)
            elif fmt == "yearbook":
                raw, iss = readers.read_yearbook(
                    path, region=spec_f.get("region"), source_id=str(spec_f.get("source_id") or ""),
                    status=str(spec_f.get("status") or "official"), sheet=spec_f.get("sheet"),
                    layout=str(spec_f.get("layout") or "auto"), year=spec_f.get("year"),
                    total_region=spec_f.get("total_region"), region_set=sets)
            else:  # pragma: no cover - spec.read_spec refuses unknown formats
                raise readers.RawFileError(path, f"unknown format {fmt!r} in dataset.yaml (tidy, template, yearbook)")
        except readers.RawFileError as e:
            issues.append(e.issue)
            continue
        issues += iss
        raws.append(raw)
    known = set(sources["source_id"]) if sources is not None else None
    if sources is None:
        issues.append(Issue("warning", str(src), None, "source_id", "",
                            "no sources table (sources.csv beside the file, or sheet 来源) found: source ids cannot "
                            "be checked; every figure needs a source with title, publisher, URL and date"))
    if sources is None:
        sources = pd.DataFrame(columns=["source_id", "title", "publisher", "url", "date", "accessed", "priority", "notes"])
    clean_parts = []
    while raws:  # each raw frame is let go once cleaned (peak memory on large files)
        c, iss = clean_records(raws.pop(0), known_sources=known, region_sets=sets)
        issues += iss
        clean_parts.append(c)
    obs = (clean_parts[0] if len(clean_parts) == 1 else pd.concat(clean_parts, ignore_index=True)) if clean_parts \
        else empty_observations()
    del clean_parts
    if obs.empty and not any(i.severity == "error" for i in issues):
        issues.append(Issue("error", str(src), None, "", "",
                            "no observations: the dataset has no figures (only a header, an empty template, or "
                            "every value blank); fill in at least one value with region, year and indicator"))
    obs, conflicts, iss = resolve_conflicts(obs, sources)
    issues += iss
    issues += jump_warnings(obs)
    obs = conform(obs)
    obs, iss = derive_ratios(obs)
    issues += iss
    obs, parent_conflicts = parent_totals(obs, sets)
    if len(parent_conflicts):
        conflicts = pd.concat([conflicts.reindex(columns=CONFLICT_COLUMNS), parent_conflicts], ignore_index=True)
    obs = conform(obs).sort_values(["region", "indicator", "year"], key=_region_sorter(sets), kind="stable"
                                   ).reset_index(drop=True)
    try:
        targets = _read_targets(targets_path, issues, template_targets, sets)
    except readers.RawFileError as e:
        issues.append(e.issue)
        targets = pd.DataFrame(columns=TARGET_COLUMNS)
    # Reports name files relative to the project (a report should not carry a machine's directory layout).
    shown: dict[str, str] = {}
    for f in {i.file for i in issues if i.file}:
        shown[f] = _display_path(Path(f.split("#")[0])) + ("#" + f.split("#", 1)[1] if "#" in f else "")
    issues = [dataclasses.replace(i, file=shown[i.file]) if i.file else i for i in issues]
    cov, summary = coverage(obs, region_set=sets[0])
    status_counts = obs["status"].value_counts().to_dict()
    metadata = {
        "name": name,
        "title": str(meta.get("title") or name),
        "description": str(meta.get("description") or "").strip(),
        "source_path": _display_path(src),
        "is_demo": bool((obs["status"] == "demo").any()),
        "status_counts": status_counts,
        "rows": int(len(obs)),
        "years": [int(obs.year.min()), int(obs.year.max())] if len(obs) else [],
        "regions": sorted(obs.region.unique().tolist(), key=_order_of(sets)),
        "region_sets": [{"name": s.name, "bundled": s.is_bundled,
                         "path": "" if s.is_bundled else _display_path(Path(s.path))} for s in sets],
        "fingerprint": fingerprint(src),
        "builder": builder_hash(),
        "built_at": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        "liyang_ip_version": __version__,
        "n_errors": sum(i.severity == "error" for i in issues),
        "n_warnings": sum(i.severity == "warning" for i in issues),
        "n_conflicts": int(len(conflicts)),
    }
    return Dataset(name, obs, sources.reset_index(drop=True), targets, cov, summary, conflicts, issues, metadata)


def _display_path(p: Path) -> str:
    """Path relative to the project when inside it (reports should not leak a machine's layout)."""
    try:
        return str(p.resolve().relative_to(project_root().resolve()))
    except ValueError:
        return str(p)


def _order_of(sets):
    """Sort key of region names: set by set (in the given order), then each set's own order."""
    order: dict[str, int] = {}
    for k, s in enumerate(sets):
        for r in s.regions().values():
            order.setdefault(r.name, k * 1000 + r.order)
    return lambda r: order.get(r, 10**6)


def _region_sorter(sets):
    region_key = _order_of(sets)
    ind_order = {c: i for i, c in enumerate(registry.indicators())}

    def key(s: pd.Series) -> pd.Series:
        if s.name == "region":
            return s.map(region_key)
        if s.name == "indicator":
            return s.map(lambda c: ind_order.get(c, 999))
        return s

    return key


def _read_targets(path: Path | None, issues: list[Issue], extra: list[pd.DataFrame] | None = None,
                  sets=None) -> pd.DataFrame:
    """Plan targets from targets.csv and the template's 规划目标 sheets, with 属性 (attribute, checked
    against the plan registry: 预期性/约束性) and 口径 (basis: level or cumulative 累计); bad values are
    errors naming file, row and field. Region names resolve in `sets` (the dataset's region sets)."""
    from ..registry import plans

    raws = list(extra or [])
    if path is not None and path.exists():
        raw, iss = readers.read_tidy_csv(path)
        issues += [i for i in iss if i.severity != "info"]
        raws.append(raw)
    if not raws:
        return pd.DataFrame(columns=TARGET_COLUMNS)
    raw = pd.concat(raws, ignore_index=True)
    clean, iss = clean_records(raw, known_sources=None, region_sets=sets)
    issues += iss
    given = {(f, int(r)): (a, b) for f, r, a, b in zip(raw["_file"], raw["_row"], raw["attribute"], raw["basis"],
                                                       strict=True)}
    attrs, bases, keep = [], [], []
    for f, r in zip(clean["_file"], clean["_row"], strict=True):
        a_text, b_text = (str(x or "").strip() for x in given.get((f, int(r)), ("", "")))
        ok = True
        try:
            attrs.append(plans.attribute(a_text) if a_text else "")
        except ValueError as e:
            issues.append(Issue("error", f, int(r), "attribute", a_text, str(e)))
            attrs.append("")
            ok = False
        if b_text.lower() in TARGET_BASIS:
            bases.append(TARGET_BASIS[b_text.lower()])
        else:
            issues.append(Issue("error", f, int(r), "basis", b_text,
                                "unknown basis; valid values are level (年度/期末: the value in the target "
                                "year) and cumulative (累计: the total over the plan's years)"))
            bases.append("level")
            ok = False
        keep.append(ok)
    clean["attribute"], clean["basis"] = attrs, bases
    return plain_text(clean[keep].reindex(columns=TARGET_COLUMNS)).reset_index(drop=True)


def coverage(obs: pd.DataFrame, regions: list[str] | None = None, indicators: list[str] | None = None,
             years: list[int] | None = None, region_set=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Which (region, indicator, year) cells have a figure, and with which status ('missing' if none).

    Returns the long table and a summary per indicator × region: years covered, share covered, first and
    last year present. Regions default to the parent and members of `region_set` (default set if None).
    """
    if not regions:
        rset = registry.region_set(region_set)
        regions = [rset.parent, *rset.members]
    if not indicators:
        # Optional indicators (outside the standard panel) are listed only where the data has them.
        present = set(obs["indicator"]) if len(obs) else set()
        indicators = [c for c, i in registry.indicators().items() if not i.optional or c in present]
    if years is None:
        years = list(range(int(obs.year.min()), int(obs.year.max()) + 1)) if len(obs) else []
    grid = pd.MultiIndex.from_product([regions, indicators, years], names=["region", "indicator", "year"])
    have = obs.set_index(["region", "indicator", "year"])["status"]
    have = have[~have.index.duplicated()]
    cov = have.reindex(grid).fillna("missing").rename("status").reset_index()
    cov["present"] = cov["status"] != "missing"
    g = cov.groupby(["indicator", "region"], sort=False)
    summary = g.agg(years_covered=("present", "sum"), years_total=("present", "size")).reset_index()
    summary["share"] = (summary.years_covered / summary.years_total.where(summary.years_total > 0)).round(3)
    first_last = cov[cov.present].groupby(["indicator", "region"]).year.agg(["min", "max"])
    summary = summary.join(first_last, on=["indicator", "region"]).rename(columns={"min": "first_year", "max": "last_year"})
    summary["first_year"] = summary["first_year"].astype("Int64")
    summary["last_year"] = summary["last_year"].astype("Int64")
    return cov, summary


class OutputError(ValueError):
    """The output location cannot be used (e.g. ``--out`` names a file)."""


def write(built: Dataset, out_dir: str | Path) -> Path:
    """Write a build to `out_dir` atomically: a temporary sibling directory (normal permissions, every
    file fsync'ed), then swapped into place. Text cells of the CSVs cannot run as spreadsheet formulas
    (`fsutil.csv_safe`)."""
    import shutil

    from ..fsutil import csv_safe, make_build_dir, replace_directory

    out_dir = Path(out_dir)
    _check_out_root(out_dir.parent)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = make_build_dir(out_dir.parent, out_dir.name)

    def to_csv(df: pd.DataFrame, name: str, **kw) -> None:
        csv_safe(df).to_csv(tmp / name, index=False, **kw)

    try:
        obs = built.observations.copy(deep=False)
        obs.attrs = {}  # pandas would store attrs (the region set's path on this machine) in the file
        obs.to_parquet(tmp / "observations.parquet", index=False)
        to_csv(built.observations, "observations.csv", float_format="%.10g")
        to_csv(built.sources, "sources.csv")
        to_csv(built.targets, "targets.csv")
        to_csv(built.coverage, "coverage.csv")
        to_csv(built.coverage_summary, "coverage_summary.csv")
        to_csv(built.conflicts.reindex(columns=CONFLICT_COLUMNS), "conflicts.csv")
        to_csv(issues_frame(built.issues), "issues.csv")
        (tmp / "metadata.json").write_text(json.dumps(built.metadata, ensure_ascii=False, indent=2), encoding="utf-8")
        replace_directory(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out_dir


def _check_out_root(root: Path) -> None:
    """OutputError when the output root, or a folder on the way to it, is not a directory."""
    for p in (root, *root.parents):
        if p.exists() or p.is_symlink():
            if not p.is_dir():
                raise OutputError(f"output folder {str(root)!r}: {str(p)!r} is a file, not a folder; give --out a "
                                  "folder (it is created when missing)")
            return


def build_and_write(spec: str | Path, out_root: str | Path | None = None, name: str | None = None,
                    strict: bool = True) -> tuple[Dataset, Path]:
    """Build a dataset and write it under `out_root/<name>` (default data/processed/).

    Only ``out_root/<name>`` is ever replaced; `name` comes from `dataset_name` (never empty, '.', '..'
    or a path). With ``strict`` (default) a dataset with errors is not written and BuildError is raised;
    the previous processed output stays as it was.
    """
    root = Path(out_root) if out_root else project_root() / "data" / "processed"
    _check_out_root(root)
    built = build(spec, name)
    if strict and built.errors:
        raise BuildError(built.issues)
    return built, write(built, root / built.name)


def check(path: str | Path) -> list[Issue]:
    """Validate a user's file or dataset directory; nothing is written. Returns all issues."""
    try:
        return build(path).issues
    except readers.RawFileError as e:
        return [e.issue]
    except FileNotFoundError as e:
        return [Issue("error", str(path), None, "", "", str(e))]
