"""Batch execution of the numbered notebooks with papermill.

One *parameter set* (focus block, years, dataset, …) × one notebook is one *job*. Jobs run in parallel
threads of this process, each driving its own kernel process through ``papermill.execute_notebook``;
the kernels are forked from a warm-kernel server that imported once (report.warm). Results go to::

    <out>/<run-name>/<set-dir>/<notebook>.ipynb      executed notebook (partial when it failed)
    <out>/<run-name>/manifest.json                    parameters, data fingerprint, timings, status

``<set-dir>`` is the safe file name of the focus block (``溧阳市``), followed by the other parameters
that vary within the grid when there are any (``溧阳市__target_year-2030``).

A job is skipped when the manifest shows it succeeded with the same parameters, the same notebook
content and the same data fingerprint, and its output file is still there unchanged (``force`` re-runs).
"""

from __future__ import annotations

import ast
import contextlib
import glob
import hashlib
import itertools
import json
import math
import os
import re
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .language import localize_notebook
from .names import safe_name

# Parameters whose value is itself a list: a flat list is ONE value, a list of lists is a grid axis.
LIST_PARAMS = frozenset({"peers", "indicators", "methods"})
# Keys of the structured YAML form (see `expand_grid`).
STRUCTURED_KEYS = frozenset({"parameters", "grid", "runs"})
NOTEBOOK_GLOB = "[0-9][0-9]_*"
# Notebook sources, in order of preference when several share a stem: the Jupytext text forms (the
# committed source; see notebooks/jupytext.toml), then a plain .ipynb (a researcher's own notebook).
NOTEBOOK_SUFFIXES = (".md", ".py", ".ipynb")
MANIFEST = "manifest.json"
# Notebook entries appended during a batch, folded into the manifest at the end (see append_journal).
MANIFEST_JOURNAL = ".manifest.journal"
MANIFEST_LOCK = ".manifest.lock"
# The journal is folded into manifest.json when it grows past this many bytes (a few thousand jobs), so
# that a batch of 10,000 notebooks rewrites the manifest a handful of times, not once per job, and a
# crash leaves a bounded journal to replay.
JOURNAL_COMPACT_BYTES = 4 << 20
# Runs remembered in the manifest's "runs" list (start, end, command, counts of each).
MAX_RUN_HISTORY = 50
MANIFEST_VERSION = 1
# Environment variable naming the run's shared analysis cache (liyang_ip.analysis.cache.ENV).
ANALYSIS_CACHE_ENV = "LIYANG_IP_ANALYSIS_CACHE"
BUNDLED_DATASETS = ("demo", "public", "cnipa")


class RunError(ValueError):
    """A problem with the inputs of a run (parameters file, notebook selection), said for people."""


# --------------------------------------------------------------------------------------------------
# Parameter grids


def _is_axis(key: str, value: Any) -> bool:
    if not isinstance(value, list | tuple):
        return False
    if key in LIST_PARAMS:
        # ['a', 'b'] is one list value; [['a'], ['a', 'b']] (or [None, [...]]) are alternatives.
        return len(value) > 0 and all(v is None or isinstance(v, list | tuple) for v in value)
    return True


def _product(mapping: Mapping[str, Any]) -> list[dict]:
    keys = list(mapping)
    axes = [list(mapping[k]) if _is_axis(k, mapping[k]) else [mapping[k]] for k in keys]
    if any(len(a) == 0 for a in axes):
        empty = [k for k, a in zip(keys, axes, strict=True) if not a]
        raise RunError(f"parameter grid: {', '.join(empty)} is an empty list, so the grid would be empty")
    return [dict(zip(keys, combo, strict=True)) for combo in itertools.product(*axes)]


def expand_grid(spec: Any) -> list[dict]:
    """Turn a parameters specification (as read from YAML) into a list of parameter sets.

    Three forms are accepted:

    * a mapping of parameters: every list value is a grid axis and the cartesian product is taken
      (for ``peers``, ``indicators`` and ``methods`` a flat list is one value and a list of lists is
      an axis);
    * a list of mappings: explicit parameter sets, taken as they are;
    * a mapping with ``parameters`` (fixed values), ``grid`` (axes, product as above) and/or ``runs``
      (explicit sets): every run × every grid combination, over the fixed values.

    Returns
    -------
    list[dict]
        Parameter sets in a stable order, duplicates removed; ``[{}]`` for an empty specification.

    Examples
    --------
    >>> expand_grid({"focus": ["溧阳市", "金坛区"], "target_year": [2025, 2030], "methods": ["cagr"]})[1]
    {'focus': '溧阳市', 'target_year': 2030, 'methods': ['cagr']}
    """
    if spec is None:
        sets: list[dict] = [{}]
    elif isinstance(spec, list):
        sets = []
        for i, item in enumerate(spec):
            if not isinstance(item, Mapping):
                raise RunError(f"parameter set #{i + 1} must be a mapping of name: value, got {item!r}")
            sets.append(dict(item))
        sets = sets or [{}]
    elif isinstance(spec, Mapping):
        if STRUCTURED_KEYS & set(spec):
            unknown = set(spec) - STRUCTURED_KEYS
            if unknown:
                raise RunError(f"parameters file: unknown top-level key(s) {sorted(unknown)}; with "
                               "'parameters'/'grid'/'runs' every parameter goes under one of those three")
            base = dict(spec.get("parameters") or {})
            combos = _product(spec.get("grid") or {})
            runs = spec.get("runs") or [{}]
            if not isinstance(runs, list) or not all(isinstance(r, Mapping) for r in runs):
                raise RunError("parameters file: 'runs' must be a list of mappings")
            sets = [{**base, **combo, **run} for run in runs for combo in combos]
        else:
            sets = _product(spec)
    else:
        raise RunError(f"parameters must be a mapping or a list of mappings, got {type(spec).__name__}")
    return _dedupe(sets)


def _canonical(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, default=str)


def _dedupe(sets: Iterable[dict]) -> list[dict]:
    seen, out = set(), []
    for s in sets:
        key = _canonical(s)
        if key not in seen:
            seen.add(key)
            out.append(s)
    return out


def yaml_error_line(exc: Exception, path: str | Path | None = None) -> str:
    """``file:line:column: problem (is not valid YAML)`` in one line, from a ``yaml.YAMLError``."""
    mark = getattr(exc, "problem_mark", None)
    where = str(path) if path is not None else ""
    if mark is not None:
        where += f"{':' if where else 'line '}{mark.line + 1}:{mark.column + 1}"
    problem = getattr(exc, "problem", None) or (str(exc).splitlines() or [type(exc).__name__])[0]
    return f"{where}: {problem} (is not valid YAML)" if where else f"{problem} (is not valid YAML)"


def load_params_file(path: str | Path) -> list[dict]:
    """Read a YAML (or JSON) parameters file and expand it with `expand_grid`."""
    import yaml

    path = Path(path)
    try:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RunError(f"parameters file {path} not found") from None
    except yaml.YAMLError as e:
        raise RunError(f"parameters file {yaml_error_line(e, path)}") from None
    except (OSError, UnicodeDecodeError) as e:
        raise RunError(f"parameters file {path} cannot be read: {getattr(e, 'strerror', None) or e}") from None
    try:
        return expand_grid(spec)
    except RunError as e:
        raise RunError(f"{path}: {e}") from None


def apply_overrides(sets: Sequence[dict], overrides: Mapping[str, Any]) -> list[dict]:
    """Set `overrides` in every parameter set; a list under ``focus`` becomes an axis of the grid."""
    overrides = dict(overrides)
    focus = overrides.pop("focus", None)
    out = [{**s, **overrides} for s in sets]
    if focus is not None:
        focus_list = focus if isinstance(focus, list | tuple) else [focus]
        out = [{**s, "focus": f} for s in out for f in focus_list]
    return _dedupe(out)


def expand_focus(sets: Sequence[dict], blocks: Sequence[str], resolve: Callable[[str], str] | None = None,
                 default: str | None = None) -> list[dict]:
    """Replace ``focus: all`` by one set per block, canonicalise names with `resolve`, fill a default.

    `resolve` raises ``ValueError``/``KeyError`` with a helpful message for an unknown name.
    """
    out = []
    for s in sets:
        focus = s.get("focus", default)
        if focus is None:
            out.append(dict(s))
            continue
        names = list(blocks) if str(focus).strip().lower() == "all" else [focus]
        for name in names:
            out.append({**s, "focus": resolve(name) if resolve else name})
    return _dedupe(out)


# --------------------------------------------------------------------------------------------------
# Notebooks, fingerprints


def default_notebooks_dir() -> Path:
    """``./notebooks`` when it exists, else the ``notebooks/`` folder of the checkout."""
    here = Path.cwd() / "notebooks"
    if here.is_dir():
        return here
    return Path(__file__).resolve().parents[2] / "notebooks"


def read_notebook(path: str | Path):
    """A notebook as an ``nbformat`` node, from an ``.ipynb`` or a Jupytext text form (``.md``, ``.py``)."""
    path = Path(path)
    if path.suffix == ".ipynb":
        import nbformat

        return nbformat.read(str(path), as_version=4)
    try:
        import jupytext
    except ImportError:  # an environment set up before the notebooks became text files
        raise RunError(f"{path.name}: reading a text notebook (.md/.py) needs the jupytext package, which this "
                       "Python environment does not have; run `make setup` (or `pip install -e .`)") from None
    return jupytext.read(path)


def _notebook_sources(d: Path) -> list[Path]:
    """``NN_*`` notebook files in `d`, one per stem (the preferred form), in reading order."""
    by_stem: dict[str, Path] = {}
    for p in d.glob(NOTEBOOK_GLOB):
        if p.name.startswith(".") or p.suffix not in NOTEBOOK_SUFFIXES or not p.is_file():
            continue
        have = by_stem.get(p.stem)
        if have is None or NOTEBOOK_SUFFIXES.index(p.suffix) < NOTEBOOK_SUFFIXES.index(have.suffix):
            by_stem[p.stem] = p
    return [by_stem[k] for k in sorted(by_stem)]


def discover_notebooks(notebooks_dir: str | Path, select: Sequence[str] | None = None) -> list[Path]:
    """The numbered notebooks ``NN_*`` in reading order, optionally a selection.

    A notebook is a Jupytext text file (``NN_name.md`` in MyST form or ``NN_name.py`` in percent form)
    or a plain ``NN_name.ipynb``; when a stem has several (a paired notebook), the text form is used.

    `select` items match a notebook's stem (``01_baseline``), its number (``01``) or its file name.
    Without a selection, notebooks whose metadata say ``"liyang_ip": {"batch": false}`` (the
    interactive explorer) are left out: they are for JupyterLab, not for report hand-outs. Naming one
    in `select` runs it all the same.
    """
    d = Path(notebooks_dir)
    if not d.is_dir():
        raise RunError(f"notebooks directory {d} does not exist (use --notebooks-dir)")
    found = _notebook_sources(d)
    if not select:
        batch = [p for p in found if _in_batch(p)]
        if not batch:
            raise RunError(f"no notebooks named NN_*.md, NN_*.py or NN_*.ipynb in {d}")
        return batch
    chosen = []
    for want in select:
        w = str(want).strip()
        hits = [p for p in found if w in (p.stem, p.name, p.stem.split("_", 1)[0])]
        if not hits:
            valid = ", ".join(p.stem for p in found) or "(none)"
            raise RunError(f"notebook {w!r} not found in {d}; available: {valid}")
        chosen.extend(h for h in hits if h not in chosen)
    return chosen


def _in_batch(path: Path) -> bool:
    """False when the notebook's metadata opt it out of default batch runs (``liyang_ip.batch: false``)."""
    try:
        if path.suffix == ".ipynb":  # plain JSON is enough for the metadata (no full validation)
            meta = json.loads(path.read_text(encoding="utf-8")).get("metadata", {})
        else:
            meta = read_notebook(path).get("metadata", {})
    except RunError:
        raise  # a missing reader is the environment's fault, not the notebook's: say so, do not guess
    except Exception:  # noqa: BLE001 - unreadable here: let execution report the problem
        return True  # unreadable here: let execution report the problem
    return bool(meta.get("liyang_ip", {}).get("batch", True))


def parameter_defaults(nb) -> dict:
    """Values assigned in the cell tagged ``parameters`` (literals only; others as their source text)."""
    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            try:
                tree = ast.parse(cell.source)
            except SyntaxError:
                return {}
            out = {}
            for node in tree.body:
                if isinstance(node, ast.Assign | ast.AnnAssign):
                    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                    for t in targets:
                        if isinstance(t, ast.Name) and node.value is not None:
                            try:
                                out[t.id] = ast.literal_eval(node.value)
                            except ValueError:
                                out[t.id] = ast.get_source_segment(cell.source, node.value)
            return out
    return {}


def sha256_file(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def notebook_hash(path: str | Path) -> str:
    """sha256 of a notebook's cells (type + source): outputs and metadata churn do not count."""
    nb = read_notebook(path)
    h = hashlib.sha256()
    for cell in nb.cells:
        h.update(cell.cell_type.encode())
        h.update(b"\0")
        h.update(cell.source.encode("utf-8"))
        h.update(b"\0")
        h.update(_canonical(cell.get("metadata", {}).get("tags", [])).encode())
    return h.hexdigest()


def _files_fingerprint(src: Path) -> str:
    h = hashlib.sha256()
    files = [src] if src.is_file() else sorted(p for p in src.rglob("*") if p.is_file() and not p.name.startswith("."))
    for p in files:
        h.update(str(p.relative_to(src.parent if src.is_file() else src)).encode())
        h.update(sha256_file(p).encode())
    return h.hexdigest()


def dataset_info(spec: str, load: bool = True) -> dict:
    """Fingerprint and status of a dataset: ``demo``, ``public`` or a path.

    Returns ``{"dataset", "source", "fingerprint", "is_demo", "status", "coverage", "years", "indicators",
    "region_years", "region_set", "error"}`` (``region_years``: first and last year with data per region;
    ``region_set``: the spec of its main region set);
    fields that could not be determined are ``None`` and ``error`` says why (the notebooks then report
    the same problem themselves). ``coverage`` is the mean share of (region, indicator) years present.
    """
    info: dict[str, Any] = {"dataset": spec, "source": None, "fingerprint": None, "is_demo": None,
                            "status": None, "coverage": None, "years": None, "indicators": None,
                            "region_years": None, "region_set": None, "error": None}
    try:
        from liyang_ip.data import build

        src = build.resolve_source(spec)
        info["source"] = str(src)
        info["fingerprint"] = build.fingerprint(src)
    except ImportError:
        src = Path(spec)
        if src.exists():
            info["source"], info["fingerprint"] = str(src), _files_fingerprint(src)
    except (FileNotFoundError, ValueError, OSError) as e:
        info["error"] = str(e)
        return info
    if not load:
        return info
    try:
        from liyang_ip.data import load_dataset

        ds = load_dataset(spec)
        info["is_demo"] = bool(ds.is_demo)
        info["status"] = ds.status_label
        info["region_set"] = ds.region_set.spec  # the cover's words (重点板块 / 重点省份)
        years = ds.years
        info["years"] = [int(years[0]), int(years[-1])] if years else None
        obs = ds.observations
        # What the pre-run checks and the data-following defaults need (small: names and year spans).
        info["indicators"] = sorted(map(str, obs["indicator"].unique()))
        spans = obs.groupby("region")["year"].agg(["min", "max"])
        info["region_years"] = {str(r): [int(a), int(b)] for r, (a, b) in spans.iterrows()}
        cs = ds.coverage_summary
        if cs is not None and "share" in getattr(cs, "columns", ()) and len(cs):
            info["coverage"] = round(float(cs["share"].mean()), 4)
    except Exception as e:  # noqa: BLE001 - any load problem is reported, the notebooks say more
        info["error"] = f"{type(e).__name__}: {e}"
    return info


# --------------------------------------------------------------------------------------------------
# Manifest


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _empty_manifest() -> dict:
    return {"manifest_version": MANIFEST_VERSION, "notebooks": {}}


@contextmanager
def manifest_lock(run_dir: str | Path):
    """Exclusive lock on a run directory's manifest (``fcntl.flock`` on ``.manifest.lock``).

    Two ``liyang-ip run`` (or a run and an ``export``) on the same directory take turns reading and
    writing the manifest instead of overwriting each other's entries. Where ``fcntl`` does not exist
    (Windows) the lock is a no-op.
    """
    run_dir = Path(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    with open(run_dir / MANIFEST_LOCK, "a+b") as f:
        fcntl.flock(f.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f.fileno(), fcntl.LOCK_UN)


def _replay_journal(run_dir: Path, manifest: dict) -> dict:
    """Apply the journal's notebook entries (one JSON object a line) to `manifest`, in order.

    A last line cut short by a crash is ignored: the entries before it are kept.
    """
    try:
        text = (run_dir / MANIFEST_JOURNAL).read_text(encoding="utf-8")
    except FileNotFoundError:
        return manifest
    for line in text.splitlines():
        try:
            rec = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(rec, dict) and isinstance(rec.get("key"), str) and isinstance(rec.get("entry"), dict):
            manifest["notebooks"][rec["key"]] = rec["entry"]
    return manifest


def read_manifest(run_dir: str | Path) -> dict:
    """The run's manifest with its journal applied, or an empty one when there is none.

    An unreadable ``manifest.json`` (not JSON, not a mapping) counts as empty; the journal is still
    applied so that the entries of the latest jobs are not lost.
    """
    run_dir = Path(run_dir)
    try:
        data = json.loads((run_dir / MANIFEST).read_text(encoding="utf-8"))
    except (FileNotFoundError, NotADirectoryError, json.JSONDecodeError, UnicodeDecodeError):
        data = _empty_manifest()
    if not isinstance(data, dict):
        data = _empty_manifest()
    if not isinstance(data.get("notebooks"), dict):
        data["notebooks"] = {}
    return _replay_journal(run_dir, data)


def write_manifest(run_dir: str | Path, manifest: dict) -> Path:
    """Write ``manifest.json`` atomically and drop the journal it now contains.

    Call it holding `manifest_lock` (see `update_manifest`), after reading the manifest under the
    same lock, or entries written by another process in between are lost.
    """
    from ..fsutil import atomic_write_text

    run_dir = Path(run_dir)
    manifest = {**manifest, "updated": _now()}
    path = atomic_write_text(run_dir / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2,
                                                            default=str) + "\n")
    (run_dir / MANIFEST_JOURNAL).unlink(missing_ok=True)
    return path


def update_manifest(run_dir: str | Path, change: Callable[[dict], dict | None]) -> dict:
    """Read the manifest (journal applied), let `change` edit it, write it back: all under the lock.

    Returns the manifest as written.
    """
    with manifest_lock(run_dir):
        manifest = read_manifest(run_dir)
        manifest = change(manifest) or manifest
        write_manifest(run_dir, manifest)
    return manifest


def append_journal(run_dir: str | Path, key: str, entry: dict,
                   compact_bytes: int | None = JOURNAL_COMPACT_BYTES) -> bool:
    """Record one notebook's entry by appending a line to the manifest's journal (under the lock).

    A large batch appends one short line per job instead of rewriting the whole manifest; the journal
    is folded into ``manifest.json`` by the next `update_manifest` (at the end of the run), or here,
    under the same lock, once it is larger than `compact_bytes` (None: never here).

    Returns
    -------
    bool
        True when the journal was folded into the manifest by this call.
    """
    line = json.dumps({"key": key, "entry": entry}, ensure_ascii=False, default=str) + "\n"
    with manifest_lock(run_dir):
        with open(Path(run_dir) / MANIFEST_JOURNAL, "a", encoding="utf-8") as f:
            f.write(line)
            f.flush()
            os.fsync(f.fileno())
            size = f.tell()
        if compact_bytes is not None and size > compact_bytes:
            write_manifest(run_dir, read_manifest(run_dir))
            return True
    return False


def package_version() -> str:
    from liyang_ip import __version__

    return __version__


# --------------------------------------------------------------------------------------------------
# Jobs


@dataclass
class Job:
    """One notebook with one parameter set."""

    key: str  # "<set-dir>/<notebook stem>", the manifest key
    notebook: Path
    output: Path
    parameters: dict
    source_sha256: str
    data_fingerprint: str | None
    set_dir: str

    def manifest_base(self, run_dir: Path) -> dict:
        return {
            "focus": self.parameters.get("focus"),
            "notebook": self.notebook.stem,
            "source": str(self.notebook),
            "source_sha256": self.source_sha256,
            "output": self.output.relative_to(run_dir).as_posix(),
            "parameters": self.parameters,
            "data_fingerprint": self.data_fingerprint,
        }


@dataclass
class RunResult:
    run_dir: Path
    manifest: dict
    executed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed


def set_dirs(sets: Sequence[dict]) -> list[str]:
    """Directory name per parameter set: the focus block, plus the parameters that vary in the grid."""
    keys = sorted({k for s in sets for k in s} - {"focus"})
    varying = [k for k in keys if len({_canonical(s.get(k)) for s in sets}) > 1]
    names = []
    for s in sets:
        parts = [str(s.get("focus", "default"))]
        for k in varying:
            v = s.get(k)
            v = "+".join(map(str, v)) if isinstance(v, list | tuple) else ("default" if v is None else v)
            parts.append(f"{k}-{v}")
        name = "__".join(safe_name(p) for p in parts)
        names.append(name if len(name.encode("utf-8")) <= 200 else safe_name(name))
    # Distinct sets that still map to one name (e.g. different dataset paths) get a counter.
    seen: dict[str, int] = {}
    out = []
    for n in names:
        seen[n] = seen.get(n, 0) + 1
        out.append(n if names.count(n) == 1 else f"{n}__{seen[n]}")
    return out


def dataset_key(params: Mapping) -> str:
    """The dataset a parameter set uses (the notebooks' default is the demo data)."""
    return str(params.get("dataset") or "demo")


def plan_jobs(sets: Sequence[dict], notebooks: Sequence[Path], run_dir: Path,
              fingerprints: Mapping[str, str | None], names: Sequence[str] | None = None) -> list[Job]:
    """Every parameter set × every notebook, with its output path and content/data hashes.

    `names` are the sets' directory names (default `set_dirs(sets)`); `liyang-ip run` names them
    after the parameters the user gave, not the defaults the data filled in.
    """
    run_dir = Path(run_dir)
    hashes = {nb: notebook_hash(nb) for nb in notebooks}
    names = list(names) if names is not None else set_dirs(sets)
    if len(names) != len(sets) or len(set(names)) != len(names):
        names = set_dirs(sets)
    jobs = []
    for s, d in zip(sets, names, strict=True):
        for nb in notebooks:
            out = run_dir / d / f"{safe_name(nb.stem)}.ipynb"
            jobs.append(Job(key=f"{d}/{nb.stem}", notebook=nb, output=out, parameters=dict(s),
                            source_sha256=hashes[nb], data_fingerprint=fingerprints.get(dataset_key(s)),
                            set_dir=d))
    return jobs


def is_up_to_date(job: Job, entry: Mapping | None, run_dir: Path) -> bool:
    """Same parameters, notebook content and data, succeeded, and the output file is unchanged."""
    if not entry or entry.get("status") != "ok":
        return False
    if _canonical(entry.get("parameters")) != _canonical(job.parameters):
        return False
    if entry.get("source_sha256") != job.source_sha256 or entry.get("data_fingerprint") != job.data_fingerprint:
        return False
    if not job.output.exists():
        return False
    return entry.get("output_sha256") == sha256_file(job.output)


# A kernel that dies while starting (before any cell ran) is started again this many times.
KERNEL_START_RETRIES = 1


def is_kernel_start_failure(e: BaseException) -> bool:
    """True for nbclient's "Kernel died before replying to kernel_info": no code of the notebook has run."""
    return isinstance(e, RuntimeError) and "before replying to kernel_info" in str(e)


def execute_job(spec: dict) -> dict:
    """Run one notebook with papermill; never raises. Thread-safe: jobs run in threads of one process.

    The notebook is written to a hidden temporary file beside the output and moved into place with
    ``os.replace`` when papermill returns, also when execution failed (papermill saves the partial
    notebook with the error in it). The kernel gets the job's working directory and environment from
    its kernel manager (report.warm), forked from the batch's warm server when ``spec["warm"]`` names
    one; nothing process-wide (working directory, environment, stderr) is changed.
    """
    import papermill as pm

    from .warm import manager_class

    out = Path(os.path.abspath(spec["output"]))
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.tmp.ipynb")
    started, t0 = _now(), time.perf_counter()
    status, error = "ok", None
    # The kernels' own stderr (start-up warnings, crash reports) can go to a log, so that it does not
    # run through the progress bar; it is kept in the manifest when a job fails.
    log = tempfile.TemporaryFile() if spec.get("capture_stderr") else None
    # PYDEVD_…: silences the debugger warning every kernel prints on frozen-module Pythons.
    env = {"PYDEVD_DISABLE_FILE_VALIDATION": os.environ.get("PYDEVD_DISABLE_FILE_VALIDATION", "1")}
    if spec.get("analysis_cache"):
        # Projections computed by one notebook of the run serve the others.
        env[ANALYSIS_CACHE_ENV] = spec["analysis_cache"]
    warm = spec.get("warm") or {}
    km_class = manager_class(warm.get("socket"), warm.get("prefix") or (), env=env, cwd=spec.get("cwd"),
                             stderr=log.fileno() if log is not None else None)
    src_dir = None
    try:
        source = Path(spec["notebook"])
        # papermill reads .ipynb only, and the executed copy speaks the run's language: a Jupytext text
        # form is converted, and every notebook loses the other language of its bilingual headings,
        # captions and explanatory cells (report.language); the {{ geo.… }} words of its text become the
        # words of the dataset's region set (report.geography: 板块 / 省份, 常州平均 / 全国平均).
        import nbformat

        from .geography import dataset_region_set, fill_notebook

        src_dir = tempfile.TemporaryDirectory(prefix="liyang-ip-src-")
        converted = Path(src_dir.name) / f"{source.stem}.ipynb"
        nb = read_notebook(source)
        nb.metadata.pop("jupytext", None)  # the executed copy is a plain notebook, paired with nothing
        lang = spec["parameters"].get("lang") or parameter_defaults(nb).get("lang")
        dataset = spec["parameters"].get("dataset") or parameter_defaults(nb).get("dataset")
        rset = spec["parameters"].get("region_set") or dataset_region_set(dataset)
        nbformat.write(fill_notebook(localize_notebook(nb, lang), rset, lang or "zh"), str(converted))
        source = converted
        for attempt in range(1 + KERNEL_START_RETRIES):
            try:
                # No `cwd` for papermill: it would os.chdir this whole process; the kernel manager starts
                # the kernel in the job's directory instead.
                pm.execute_notebook(
                    str(source), str(tmp), parameters=spec["parameters"], kernel_name=spec.get("kernel"),
                    progress_bar=False, log_output=False, execution_timeout=spec.get("timeout"),
                    start_timeout=spec.get("start_timeout", 120), kernel_manager_class=km_class,
                )
                break
            except RuntimeError as e:
                # A kernel that dies before it answers kernel_info ran none of the notebook's code (on a
                # busy machine two kernels can race for the same ports): starting again is safe.
                if not is_kernel_start_failure(e) or attempt == KERNEL_START_RETRIES:
                    raise
    except pm.PapermillExecutionError as e:
        status = "failed"
        error = f"{e.ename}: {e.evalue} (cell [{e.exec_count}], index {e.cell_index})"
    except BaseException as e:  # noqa: BLE001 - kernel death, timeouts, missing kernels: all reported
        status = "failed"
        error = f"{type(e).__name__}: {e}"
    finally:
        if src_dir is not None:
            src_dir.cleanup()
            _record_source(tmp, spec["notebook"])
        stderr_text = ""
        if log is not None:
            log.seek(0)
            stderr_text = log.read().decode("utf-8", "replace")
            log.close()
        if tmp.exists():
            os.replace(tmp, out)
        elif out.exists():
            # Nothing new was written: an older output must not pass for this run's result.
            out.unlink()
    seconds = round(time.perf_counter() - t0, 3)
    res = {
        "key": spec["key"], "status": status, "error": error, "started": started, "finished": _now(),
        "seconds": seconds, "output_sha256": sha256_file(out) if out.exists() else None,
        "warnings": notebook_warnings(out) if out.exists() else [],
    }
    noise = ("Kernel is running over TCP without encryption",)
    lines = [ln for ln in stderr_text.splitlines() if ln.strip() and not any(n in ln for n in noise)]
    if status != "ok" and lines:
        res["kernel_stderr"] = "\n".join(lines[-30:])
    return res


def _record_source(executed: Path, source: str) -> None:
    """Name the real source (not the temporary conversion) in the executed notebook's metadata."""
    if not executed.exists():
        return
    import nbformat

    try:
        nb = nbformat.read(str(executed), as_version=4)
        nb.metadata.setdefault("papermill", {})["input_path"] = str(source)
        nbformat.write(nb, str(executed))
    except Exception:  # noqa: BLE001 - only a label; the executed notebook stays as papermill wrote it
        pass


# "…/params.py:230: UserWarning: period 2015–2020 reaches beyond …" as Python prints a warning.
_WARNING_LINE = re.compile(r"^(?:.*?:\d+: )?(\w*UserWarning): (.+)$")


def notebook_warnings(path: str | Path) -> list[str]:
    """The warnings for readers an executed notebook printed (``UserWarning`` and subclasses, as
    the library raises for a period beyond the data or gaps), each once, in order.

    Library noise (``DeprecationWarning``, ``FutureWarning``, …) is left out. An unreadable notebook
    gives an empty list.
    """
    try:
        nb = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    found: list[str] = []
    for cell in nb.get("cells", []):
        for out in cell.get("outputs", []) or []:
            if out.get("output_type") != "stream" or out.get("name") != "stderr":
                continue
            text = out.get("text", "")
            text = "".join(text) if isinstance(text, list) else str(text)
            for line in text.splitlines():
                m = _WARNING_LINE.match(line.strip())
                if m and m.group(2).strip() not in found:
                    found.append(m.group(2).strip())
    return found


def _job_spec(job: Job, kernel: str | None, cwd: Path | None, timeout: float | None,
              capture_stderr: bool, analysis_cache: Path | None = None, warm: dict | None = None) -> dict:
    return {"key": job.key, "notebook": str(job.notebook), "output": str(job.output),
            "parameters": job.parameters, "kernel": kernel, "cwd": str(cwd) if cwd else None,
            "timeout": timeout, "capture_stderr": capture_stderr,
            "analysis_cache": str(analysis_cache) if analysis_cache else None, "warm": warm}


def _analysis_cache_dir(run_dir: Path) -> Path | None:
    """A fresh directory for this run's shared analysis results (liyang_ip.analysis.cache), or None when
    the cache is switched off (``LIYANG_IP_ANALYSIS_CACHE=off``)."""
    from ..envvars import switched_off

    if switched_off(ANALYSIS_CACHE_ENV):
        return None
    return run_dir / ".cache" / f"analysis-{uuid.uuid4().hex[:12]}"


def run_batch(
    sets: Sequence[dict],
    notebooks: Sequence[Path],
    run_dir: str | Path,
    *,
    jobs: int = 1,
    force: bool = False,
    kernel: str | None = None,
    cwd: str | Path | None = None,
    timeout: float | None = None,
    progress: bool = True,
    datasets: Mapping[str, dict] | None = None,
    command: Sequence[str] | None = None,
    set_names: Sequence[str] | None = None,
    backend: Any = None,
    expected: Mapping[str, float] | None = None,
    warm: dict | None = None,
) -> RunResult:
    """Execute every notebook for every parameter set; see the module docstring for the layout.

    Parameters
    ----------
    sets : parameter sets (dicts passed to papermill); ``focus`` names the output directory.
    notebooks : notebook files, run in this order within a set.
    run_dir : ``<out>/<run-name>``; created when missing.
    jobs : number of notebooks executed at the same time (one process and one kernel each).
    force : re-run jobs that are up to date.
    kernel : kernel name (default: the one in each notebook's metadata).
    cwd : working directory of the kernels (default: the notebook's own directory).
    timeout : per-cell timeout in seconds (None: no limit).
    datasets : ``dataset_info`` per dataset spec; computed here when not given.
    set_names : directory name per set (default `set_dirs(sets)`).
    backend : where the jobs run instead of the local process pool: an object with ``label`` (kept in
        the manifest), ``capture_stderr`` and ``run(specs, record, bar)`` that calls ``record`` with
        each `execute_job` result in this process (`cluster.DaskBackend`). Skipping, the manifest and
        its journal stay here, so every backend has the same semantics.
    expected : seconds one execution of each notebook (by stem) took in earlier runs
        (`cluster.past_timings`). The jobs then start longest first (notebooks without a timing before
        all others), so that no long notebook starts last while the other workers idle; without it
        they start in plan order.
    warm : a running warm-kernel server (`warm.server`) for the kernels; None: the batch starts its
        own when it runs more than one notebook locally.

    Returns
    -------
    RunResult
        With the manifest as written; ``failed`` lists the keys of notebooks that failed.
    """
    run_dir = Path(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    if datasets is None:
        datasets = {dataset_key(s): dataset_info(dataset_key(s)) for s in sets}
    fingerprints = {k: v.get("fingerprint") for k, v in datasets.items()}
    plan = plan_jobs(sets, notebooks, run_dir, fingerprints, set_names)

    t_run = time.perf_counter()
    started = _now()
    this_run = {"started": started, "finished": None, "command": list(command) if command else None}
    result = RunResult(run_dir=run_dir, manifest={})
    todo: list[Job] = []

    def begin(manifest: dict) -> None:
        # Decided under the lock on the manifest as it is now, so a run started meanwhile counts.
        entries = manifest["notebooks"]
        manifest.update({
            "manifest_version": MANIFEST_VERSION,
            "run_name": run_dir.name,
            "package": "liyang-ip",
            "version": package_version(),
            "created": manifest.get("created") or started,
            "started": started,
            "finished": None,
            "command": this_run["command"],
            "kernel": kernel,
            "jobs": jobs,
            "backend": backend.label if backend is not None else "processes",
            "datasets": {**manifest.get("datasets", {}), **{k: dict(v) for k, v in datasets.items()}},
        })
        for job in plan:
            if not force and is_up_to_date(job, entries.get(job.key), run_dir):
                entries[job.key] = {**entries[job.key], "last_action": "skipped"}
                result.skipped.append(job.key)
            else:
                todo.append(job)

    result.manifest = update_manifest(run_dir, begin)
    entries: dict[str, dict] = result.manifest["notebooks"]
    if expected:
        todo[:] = longest_first(todo, expected)

    # The progress bar writes to a duplicate of stderr, so that the kernels' own stderr can be
    # captured (see execute_job) even when the jobs run in this process.
    bar_stream = _dup_stderr()
    bar = _progress(len(plan), initial=len(result.skipped), enabled=progress, desc=run_dir.name,
                    file=bar_stream)
    by_key = {j.key: j for j in todo}

    def record(res: dict) -> None:
        job = by_key[res["key"]]
        entry = {**job.manifest_base(run_dir), **{k: v for k, v in res.items() if k != "key"},
                 "last_action": "executed", "exports": {}}
        entries[job.key] = entry
        (result.failed if res["status"] != "ok" else result.executed).append(job.key)
        append_journal(run_dir, job.key, entry)
        bar.update(1)
        if res["status"] != "ok":
            bar.write(f"FAILED {job.key}: {res['error']}")

    cache_dir = _analysis_cache_dir(run_dir) if todo else None
    try:
        inline = jobs <= 1 or len(todo) <= 1
        capture = not inline or bar_stream is not None
        if backend is not None:
            capture = bool(backend.capture_stderr)
        # Kernels of a local batch are forked from one warm server (report.warm); a cluster's workers
        # run elsewhere and start theirs cold, and so does a single notebook (the server would only
        # import in its place).
        with _warm_server(kernel, todo if backend is None and len(todo) > 1 else [], warm) as warm:
            specs = [_job_spec(j, kernel, Path(cwd) if cwd else j.notebook.parent, timeout, capture, cache_dir,
                               warm) for j in todo]
            if backend is not None:
                backend.run(specs, record, bar)
            elif inline:
                for spec in specs:
                    bar.set_postfix_str(spec["key"], refresh=True)
                    record(execute_job(spec))
            else:
                _run_parallel(specs, jobs, record, bar)
        interrupted = False
    except BaseException:
        interrupted = True
        raise
    finally:
        if interrupted:
            this_run["interrupted"] = True
            done = set(result.executed) | set(result.failed)
            _remove_temporaries([j for j in todo if j.key not in done])
        bar.close()
        if bar_stream is not None:
            bar_stream.close()
        if cache_dir is not None:
            import shutil

            shutil.rmtree(cache_dir, ignore_errors=True)  # computed once per run, kept for none
            with contextlib.suppress(OSError):
                cache_dir.parent.rmdir()  # only when no other run is using it
        summary = {"executed": len(result.executed), "skipped": len(result.skipped),
                   "failed": len(result.failed), "total": len(plan)}
        this_run.update(finished=_now(), seconds=round(time.perf_counter() - t_run, 3), summary=summary)

        def finish(manifest: dict) -> None:
            # Only this run's own facts: entries of a run that overlapped come from its journal lines.
            manifest.update({"finished": this_run["finished"], "seconds": this_run["seconds"],
                             "summary": summary})
            manifest["runs"] = [*manifest.get("runs", []), this_run][-MAX_RUN_HISTORY:]

        result.manifest = update_manifest(run_dir, finish)
    return result


def longest_first(jobs: Sequence[Job], expected: Mapping[str, float]) -> list[Job]:
    """`jobs` ordered by the expected seconds of their notebook, longest first; jobs whose notebook has no
    timing come first (they may be long), and equal ones keep their order (a stable sort)."""
    def key(job: Job) -> float:
        sec = expected.get(job.notebook.stem)
        return -math.inf if not isinstance(sec, int | float) else -float(sec)

    return sorted(jobs, key=key)


@contextlib.contextmanager
def _warm_server(kernel: str | None, todo: Sequence[Job], running: dict | None = None):
    """The warm-kernel server for these jobs: `running` when given, else one started here (None when
    there are no jobs or it is switched off)."""
    if running is not None or not todo:
        yield running
        return
    from .warm import server

    with server(kernel) as warm:
        yield warm


def _remove_temporaries(jobs: Iterable[Job]) -> None:
    """Delete the hidden temporary notebooks (see `execute_job`) of jobs an interrupted run left unfinished.

    They are neither a result nor a partial one the manifest knows of; the next run executes those jobs
    again. A notebook still running on a worker of an existing cluster (Dask cannot stop a running task)
    writes its file afterwards; it is not in the manifest either and runs again next time.
    """
    for job in jobs:
        for tmp in job.output.parent.glob(f".{glob.escape(job.output.name)}.*.tmp.ipynb"):
            tmp.unlink(missing_ok=True)


def _run_parallel(specs: list[dict], jobs: int, record: Callable[[dict], None], bar) -> None:
    """`jobs` notebooks at a time, each in a thread of this process driving its own kernel process.

    Threads, not worker processes: a job's work is in its kernel; the thread only sends cells and
    collects outputs, and a worker process would import papermill and nbformat again first. On Ctrl-C
    the running kernels are killed (their notebooks end as failed at once) and nothing new starts.
    """
    from concurrent.futures import ThreadPoolExecutor

    from .warm import WarmKernelManager

    WarmKernelManager.reset()
    pool = ThreadPoolExecutor(max_workers=min(jobs, len(specs)), thread_name_prefix="liyang-ip-job")
    pending: dict[Future, dict] = {pool.submit(execute_job, s): s for s in specs}
    try:
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in done:
                spec = pending.pop(fut)
                try:
                    res = fut.result()
                except BaseException as e:  # noqa: BLE001 - a job that broke still gets a record
                    res = {"key": spec["key"], "status": "failed", "error": f"job failed: {e!r}",
                           "started": None, "finished": _now(), "seconds": None,
                           "output_sha256": None}
                record(res)
    except KeyboardInterrupt:
        for fut in pending:
            fut.cancel()
        WarmKernelManager.kill_all()
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


class _NoBar:
    def __init__(self, file=None):
        self.file = file

    def update(self, n=1):
        pass

    def write(self, s):
        import sys

        print(s, file=self.file or sys.stderr, flush=True)

    def set_postfix_str(self, *a, **k):
        pass

    def close(self):
        pass


def _dup_stderr():
    """A writable duplicate of file descriptor 2, or None when stderr is not a real file."""
    import sys

    try:
        fd = os.dup(sys.stderr.fileno())
    except (AttributeError, OSError, ValueError):
        return None
    return os.fdopen(fd, "w", buffering=1, encoding="utf-8", errors="replace")


def _progress(total: int, initial: int, enabled: bool, desc: str, file=None):
    if not enabled:
        return _NoBar(file)
    from tqdm.auto import tqdm

    return tqdm(total=total, initial=initial, desc=desc, unit="notebook", dynamic_ncols=True, file=file)
