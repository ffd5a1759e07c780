"""Batches on Dask, and the plan a batch shows before it starts.

``liyang-ip run --cluster local[:N]`` executes the batch's notebooks on a Dask
``distributed.LocalCluster`` (N worker processes, one thread each); ``--cluster tcp://host:8786`` on an
existing Dask scheduler. The local thread pool of `runner.run_batch` (kernels forked from a warm server)
stays the default. The backend
only decides *where* `runner.execute_job` runs: skipping what is up to date, the manifest and its journal,
partial notebooks and the progress bar stay in `run_batch`, in the process that runs the command, so the
semantics are the same on every backend. Dask is imported only here, and only when a cluster is used.

On a cluster every worker needs the package (same version) and a Jupyter kernel, and must see the
notebooks, the dataset and the output directory under the same absolute paths as the machine that runs
the command (a shared file system); the job specifications sent to the workers carry absolute paths.

The plan (`plan_batch`) counts the jobs, how many are up to date, and estimates the time from the
timings of earlier runs kept in the manifests (seconds per successful notebook execution).
"""

from __future__ import annotations

import json
import re
import statistics
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

#: Dask's own addresses: ``tcp://host:8786``, ``tls://…``, ``ucx://…``, ``ws://``/``wss://``.
_ADDRESS = re.compile(r"^(tcp|tls|ucx|ws|wss)://[^\s/]+$")
#: How long to wait for an existing scheduler before giving up (seconds).
CONNECT_TIMEOUT = 20


class ClusterError(RuntimeError):
    """A cluster that cannot be used (bad address, scheduler unreachable, dask missing), said in one line."""


@dataclass(frozen=True)
class ClusterSpec:
    """Where a batch runs: ``local`` with `workers` processes, or an existing scheduler at `address`."""

    workers: int | None = None
    address: str | None = None

    @property
    def is_local(self) -> bool:
        return self.address is None

    @property
    def label(self) -> str:
        """``local:2`` or the scheduler's address, as recorded in the manifest."""
        return f"local:{self.workers}" if self.is_local else str(self.address)


def parse_cluster(text: str, default_workers: int | None = None) -> ClusterSpec:
    """Read a ``--cluster`` value: ``local``, ``local:N`` or a scheduler address (``tcp://host:8786``).

    ``local`` without a count takes `default_workers` (the machine's CPU count when None).

    Raises
    ------
    ValueError
        With the accepted forms, for anything else (``local:0``, ``host:8786`` without a scheme, …).
    """
    import os

    value = str(text).strip()
    forms = "expected local, local:N (N worker processes) or a scheduler address such as tcp://host:8786"
    if value == "local":
        return ClusterSpec(workers=max(1, default_workers or os.cpu_count() or 1))
    if value.startswith("local:"):
        n = value.split(":", 1)[1]
        if not n.isdigit() or int(n) < 1:
            raise ValueError(f"--cluster {text!r}: the number of workers must be a whole number ≥ 1; {forms}")
        return ClusterSpec(workers=int(n))
    if _ADDRESS.match(value):
        return ClusterSpec(address=value)
    raise ValueError(f"--cluster {text!r}: {forms}")


def _absolute(spec: dict) -> dict:
    """The job specification with absolute paths: workers may run in another directory (or machine)."""
    out = dict(spec)
    for k in ("notebook", "output", "cwd", "analysis_cache"):
        if out.get(k):
            out[k] = str(Path(out[k]).resolve())
    return out


class DaskBackend:
    """Runs job specifications (see `runner.execute_job`) on a Dask cluster, one task per notebook.

    The cluster is started (or the scheduler connected) only when there is something to run, and shut
    down (or disconnected) when the batch ends, also after an error or Ctrl-C; tasks not yet finished
    are cancelled then. A task whose worker died (Dask retries it elsewhere first) is recorded as failed.
    """

    def __init__(self, spec: ClusterSpec, say: Callable[[str], None] | None = None):
        self.spec = spec
        self.say = say or (lambda msg: None)
        # Each kernel's own stderr goes to a log of its job (the kernel manager gives it to the kernel
        # process; nothing process-wide), kept in the manifest when the job fails.
        self.capture_stderr = True

    @property
    def label(self) -> str:
        return f"dask {self.spec.label}"

    def _client(self):
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise ClusterError("--cluster needs the packages dask and distributed "
                               "(pip install 'dask[distributed]')") from None
        if self.spec.is_local:
            import logging

            cluster = LocalCluster(n_workers=self.spec.workers, threads_per_worker=1, processes=True,
                                   dashboard_address=None, silence_logs=logging.ERROR)
            return Client(cluster), cluster
        try:
            return Client(self.spec.address, timeout=CONNECT_TIMEOUT), None
        except (OSError, TimeoutError) as e:
            raise ClusterError(f"--cluster {self.spec.address}: no Dask scheduler answered within "
                               f"{CONNECT_TIMEOUT} s ({type(e).__name__}); is it running, and is the address "
                               "right?") from None

    def run(self, specs: Sequence[dict], record: Callable[[dict], None], bar=None) -> None:
        """Submit every spec, call `record` with each result as it comes in (in this process)."""
        if not specs:
            return
        from .runner import execute_job

        client, cluster = self._client()
        try:
            threads = client.nthreads()
            if not self.spec.is_local:
                self.say(f"Dask scheduler {self.spec.address}: {len(threads)} worker(s), "
                         f"{sum(threads.values())} thread(s)")
            self._submit_and_collect(client, [_absolute({**s, "capture_stderr": self.capture_stderr})
                                              for s in specs], record, execute_job)
        finally:
            client.close()
            if cluster is not None:
                cluster.close()

    @staticmethod
    def _submit_and_collect(client, specs, record, fn) -> None:
        from distributed import as_completed

        batch = uuid.uuid4().hex[:8]
        futures = {}
        for i, s in enumerate(specs):
            # pure=False: the same spec run twice is two executions; the key names the job in Dask's logs.
            fut = client.submit(fn, s, key=f"liyang-ip-{batch}-{i}-{s['key']}", pure=False)
            futures[fut.key] = (fut, s)
        try:
            for fut in as_completed([f for f, _ in futures.values()]):
                spec = futures[fut.key][1]
                try:
                    res = fut.result()
                except Exception as e:  # noqa: BLE001 - KilledWorker, lost connection: recorded, not raised
                    # execute_job itself never raises: this is the cluster's failure (a worker that kept
                    # dying, a worker without the package), not the notebook's.
                    what = "worker died" if type(e).__name__ == "KilledWorker" else "task failed on the cluster"
                    res = {"key": spec["key"], "status": "failed", "error": f"{what}: {type(e).__name__}: {e}",
                           "started": None, "finished": None, "seconds": None, "output_sha256": None}
                record(res)
        except BaseException:
            client.cancel([f for f, _ in futures.values()])
            raise


# --------------------------------------------------------------------------------------------------
# Planning and estimates


def past_timings(manifests: Iterable[Mapping]) -> dict[str, float]:
    """Median seconds of one successful execution per notebook stem, over the manifests' entries.

    Entries without ``seconds``, failed ones (their time is cut short) and skipped ones are not
    counted. A notebook that never ran successfully has no timing (absent from the result).
    """
    seen: dict[str, list[float]] = {}
    for m in manifests:
        for entry in (m.get("notebooks") or {}).values():
            if not isinstance(entry, Mapping) or entry.get("status") != "ok":
                continue
            sec, stem = entry.get("seconds"), entry.get("notebook")
            if isinstance(sec, int | float) and sec > 0 and isinstance(stem, str):
                seen.setdefault(stem, []).append(float(sec))
    return {k: statistics.median(v) for k, v in seen.items()}


def simulate_batch(durations: Sequence[float], workers: int, overhead: float = 0.0) -> float:
    """Wall time of running `durations` (seconds, in this order) on `workers` that each take the next
    job as soon as they are free, as the process pool and Dask do; `overhead` seconds are added per job.

    Examples
    --------
    >>> simulate_batch([1, 1, 1, 1, 4], workers=2)   # the long job starts last, on the first free worker
    6.0
    """
    import heapq

    if workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
    free = [0.0] * min(workers, max(1, len(durations)))
    heapq.heapify(free)
    for d in durations:
        t = heapq.heappop(free)
        heapq.heappush(free, t + float(d) + overhead)
    return float(max(free)) if durations else 0.0


@dataclass
class BatchPlan:
    """What a batch will do, before it starts."""

    n_sets: int
    n_notebooks: int
    to_run: list[str] = field(default_factory=list)  # job keys, in submission order
    up_to_date: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # median seconds per notebook stem
    untimed: list[str] = field(default_factory=list)  # keys of jobs to run whose notebook has no timing
    workers: int | None = None  # None: not known before connecting (an existing scheduler)
    notebook_seconds: float = 0.0  # sum of the estimated times of the timed jobs to run
    estimate_seconds: float | None = None  # wall time on `workers`, timed jobs only

    @property
    def total(self) -> int:
        return self.n_sets * self.n_notebooks


def plan_batch(jobs: Sequence, manifest: Mapping, workers: int | None, run_dir: Path,
               history: Iterable[Mapping] = (), force: bool = False) -> BatchPlan:
    """Count the jobs to run and estimate the wall time from earlier timings.

    Parameters
    ----------
    jobs : `runner.Job` list (every set × notebook, in order).
    manifest : the run directory's manifest (journal applied): which jobs are up to date, and timings.
    workers : jobs that run at the same time (``--jobs`` or the cluster's workers); None if unknown.
    history : other manifests whose timings are used for notebooks this run directory has none for.
    force : nothing counts as up to date.
    """
    from .runner import is_up_to_date

    entries = manifest.get("notebooks") or {}
    plan = BatchPlan(n_sets=len({j.set_dir for j in jobs}), n_notebooks=len({j.notebook for j in jobs}),
                     workers=workers)
    own = past_timings([manifest])
    plan.timings = {**past_timings(history), **own}
    durations = []
    for job in jobs:
        if not force and is_up_to_date(job, entries.get(job.key), run_dir):
            plan.up_to_date.append(job.key)
            continue
        plan.to_run.append(job.key)
        sec = plan.timings.get(job.notebook.stem)
        if sec is None:
            plan.untimed.append(job.key)
        else:
            durations.append(sec)
    plan.notebook_seconds = float(sum(durations))
    if durations and workers:
        plan.estimate_seconds = simulate_batch(durations, workers)
    return plan


def sibling_manifests(run_dir: Path, limit: int = 5) -> list[dict]:
    """The manifests of the other run directories beside `run_dir` (newest first, at most `limit`).

    A fresh run directory has no timings of its own; the latest runs under the same output root
    are the best guess of how long the same notebooks take. Unreadable manifests are passed over.
    """
    run_dir = Path(run_dir)
    try:
        found = [p for p in run_dir.parent.glob("*/manifest.json") if p.parent != run_dir]
    except OSError:
        return []
    found.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    out = []
    for p in found[:limit]:
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict):
            out.append(data)
    return out


def duration_text(seconds: float) -> str:
    """``45 s``, ``12 min``, ``3 h 05 min``, ``2 d 4 h`` (rounded; for plans, not for records)."""
    s = max(0.0, float(seconds))
    if s < 90:
        return f"{s:.0f} s"
    if s < 3600:
        return f"{s / 60:.0f} min"
    if s < 48 * 3600:
        h, m = divmod(round(s / 60), 60)
        return f"{h} h {m:02d} min"
    d, h = divmod(round(s / 3600), 24)
    return f"{d} d {h} h"


def describe_plan(plan: BatchPlan, where: str) -> list[str]:
    """The lines `liyang-ip run` prints before it starts (English, for the command line)."""
    lines = [f"plan: {plan.n_sets} parameter set(s) × {plan.n_notebooks} notebook(s) = {plan.total} notebook "
             f"run(s) on {where}: {len(plan.to_run)} to run, {len(plan.up_to_date)} up to date"]
    if not plan.to_run:
        return lines
    timed = len(plan.to_run) - len(plan.untimed)
    if timed:
        per = ", ".join(f"{k} {v:.1f} s" for k, v in sorted(plan.timings.items()))
        basis = f"from earlier runs' timings ({per})"
        if plan.estimate_seconds is not None:
            est = f"estimated {duration_text(plan.estimate_seconds)}"
        else:
            est = (f"{duration_text(plan.notebook_seconds)} of notebook time in all, divided among the "
                   "cluster's workers")
        part = "" if not plan.untimed else f" for the {timed} run(s) with timings"
        lines.append(f"{est}{part}, {basis}")
    if plan.untimed:
        stems = sorted({k.rsplit("/", 1)[-1] for k in plan.untimed})
        lines.append(f"no earlier timing for {', '.join(stems)} ({len(plan.untimed)} run(s)): not in the estimate")
    return lines

