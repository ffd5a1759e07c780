"""Batches on Dask (`--cluster`), the plan shown before a batch, journal compaction, resuming."""

from __future__ import annotations

import json
import os
from pathlib import Path

import nbformat
import pytest

from liyang_ip.cli import main
from liyang_ip.report import checks, cluster, runner

from .conftest import KERNELSPEC, make_ok_notebook


def _tiny_notebook(path: Path, body: str) -> Path:
    """A parameters cell (focus, dataset, target_year) and one code cell."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = KERNELSPEC
    params = nbformat.v4.new_code_cell('focus = "溧阳市"\ndataset = "demo"\ntarget_year = 2025\n')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, *(nbformat.v4.new_code_cell(src) for src in body.split("\n#--\n"))]
    nbformat.write(nb, str(path))
    return path


def _texts(path: Path) -> str:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return "".join("".join(o.get("text", "")) + o.get("evalue", "") for c in nb["cells"] for o in c.get("outputs", []))


# --------------------------------------------------------------------------------------------------
# --cluster values


def test_cluster_values_local_with_or_without_workers_and_scheduler_addresses():
    assert cluster.parse_cluster("local:3") == cluster.ClusterSpec(workers=3)
    assert cluster.parse_cluster("local", default_workers=2).label == "local:2"
    spec = cluster.parse_cluster(" tcp://head.example:8786 ")
    assert spec.address == "tcp://head.example:8786" and not spec.is_local
    assert cluster.parse_cluster("tls://10.0.0.5:8786").address == "tls://10.0.0.5:8786"
    for bad in ("local:0", "local:two", "head:8786", "http://head:8786", "tcp://", ""):
        with pytest.raises(ValueError, match="local:N"):
            cluster.parse_cluster(bad)


def test_paths_sent_to_workers_are_absolute(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    spec = {"key": "溧阳市/01", "notebook": "nbs/01.md", "output": "out/r/溧阳市/01.ipynb", "cwd": None,
            "analysis_cache": "out/r/.cache/analysis-1", "parameters": {"dataset": "demo"}}
    sent = cluster._absolute(spec)
    assert sent["notebook"] == str(tmp_path / "nbs" / "01.md")
    assert sent["output"] == str(tmp_path / "out" / "r" / "溧阳市" / "01.ipynb")
    assert sent["analysis_cache"] == str(tmp_path / "out" / "r" / ".cache" / "analysis-1")
    assert sent["cwd"] is None and sent["parameters"] == {"dataset": "demo"} and spec["notebook"] == "nbs/01.md"


def test_a_bad_cluster_value_is_one_line_before_anything_runs(tmp_path, capsys):
    code = main(["run", "--cluster", "head:8786", "--out", str(tmp_path / "out"), "--no-progress"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.strip().count("\n") == 0 and "'head:8786'" in err and "tcp://host:8786" in err
    assert not (tmp_path / "out").exists()


# --------------------------------------------------------------------------------------------------
# Estimates


def test_simulated_wall_time_of_workers_taking_the_next_job_when_free():
    # Two workers, jobs in order: 1,1 start together; 1,1 at t=1; the 4 starts at t=2 → ends at 6.
    assert cluster.simulate_batch([1, 1, 1, 1, 4], 2) == 6.0
    # The long job first: it runs alone while the other worker does the four short ones → 4.
    assert cluster.simulate_batch([4, 1, 1, 1, 1], 2) == 4.0
    assert cluster.simulate_batch([2, 2, 2], 1) == 6.0
    assert cluster.simulate_batch([3, 3], 8) == 3.0  # more workers than jobs
    assert cluster.simulate_batch([3, 3, 3], 2, overhead=0.5) == 7.0  # (3 + .5) × 2
    assert cluster.simulate_batch([], 4) == 0.0
    with pytest.raises(ValueError):
        cluster.simulate_batch([1], 0)


def test_timings_are_medians_of_successful_executions_per_notebook():
    m1 = {"notebooks": {
        "a/01_x": {"notebook": "01_x", "status": "ok", "seconds": 2.0},
        "b/01_x": {"notebook": "01_x", "status": "ok", "seconds": 10.0},
        "c/01_x": {"notebook": "01_x", "status": "ok", "seconds": 3.0},
        "a/02_y": {"notebook": "02_y", "status": "failed", "seconds": 0.5},  # cut short: not a timing
        "b/02_y": {"notebook": "02_y", "status": "ok", "seconds": None},
    }}
    m2 = {"notebooks": {"a/02_y": {"notebook": "02_y", "status": "ok", "seconds": 7.0}}}
    assert cluster.past_timings([m1]) == {"01_x": 3.0}
    assert cluster.past_timings([m1, m2]) == {"01_x": 3.0, "02_y": 7.0}


def test_durations_read_like_a_plan():
    assert cluster.duration_text(45) == "45 s"
    assert cluster.duration_text(720) == "12 min"
    assert cluster.duration_text(3 * 3600 + 5 * 60) == "3 h 05 min"
    assert cluster.duration_text(2 * 86400 + 4 * 3600) == "2 d 4 h"


@pytest.fixture
def two_notebooks(tmp_path) -> Path:
    d = tmp_path / "notebooks"
    d.mkdir()
    _tiny_notebook(d / "01_a.ipynb", "print('a', focus)")
    _tiny_notebook(d / "02_b.ipynb", "print('b', focus)")
    return d


def _jobs(nbs: Path, run_dir: Path, blocks=("溧阳市", "金坛区", "武进区")):
    notebooks = runner.discover_notebooks(nbs)
    return runner.plan_jobs([{"focus": b} for b in blocks], notebooks, run_dir, {})


def _ok_entry(job, seconds: float) -> dict:
    job.output.parent.mkdir(parents=True, exist_ok=True)
    job.output.write_text("{}", encoding="utf-8")
    return {**job.manifest_base(job.output.parents[1]), "status": "ok", "seconds": seconds,
            "output_sha256": runner.sha256_file(job.output)}


def test_the_plan_counts_up_to_date_jobs_and_estimates_from_earlier_timings(two_notebooks, tmp_path):
    run_dir = tmp_path / "out" / "r"
    jobs = _jobs(two_notebooks, run_dir)
    assert [j.key for j in jobs][:2] == ["溧阳市/01_a", "溧阳市/02_b"]
    manifest = {"notebooks": {
        "溧阳市/01_a": _ok_entry(jobs[0], 4.0),  # up to date
        "溧阳市/02_b": {**jobs[1].manifest_base(run_dir), "status": "failed", "seconds": 1.0},
    }}
    history = [{"notebooks": {"x/01_a": {"notebook": "01_a", "status": "ok", "seconds": 2.0},  # own 4.0 wins
                              "x/02_b": {"notebook": "02_b", "status": "ok", "seconds": 10.0}}}]
    plan = cluster.plan_batch(jobs, manifest, 2, run_dir, history=history)
    assert (plan.n_sets, plan.n_notebooks, plan.total) == (3, 2, 6)
    assert plan.up_to_date == ["溧阳市/01_a"]
    assert plan.to_run == ["溧阳市/02_b", "金坛区/01_a", "金坛区/02_b", "武进区/01_a", "武进区/02_b"]
    assert plan.timings == {"01_a": 4.0, "02_b": 10.0}
    # Durations 10, 4, 10, 4, 10 on two workers: w1 0–10, w2 0–4 then 4–14, w1 10–14, then 14–24.
    assert plan.notebook_seconds == 38.0 and plan.estimate_seconds == 24.0
    text = "\n".join(cluster.describe_plan(plan, "2 local process(es)"))
    assert "3 parameter set(s) × 2 notebook(s) = 6 notebook run(s)" in text
    assert "5 to run, 1 up to date" in text and "estimated 24 s" in text and "02_b 10.0 s" in text

    # Without the history, 02_b has never been timed: its runs are named and left out of the estimate.
    plan = cluster.plan_batch(jobs, manifest, 2, run_dir)
    assert plan.untimed == ["溧阳市/02_b", "金坛区/02_b", "武进区/02_b"]
    assert plan.estimate_seconds == 4.0  # 4 + 4 on two workers
    text = "\n".join(cluster.describe_plan(plan, "x"))
    assert "for the 2 run(s) with timings" in text and "no earlier timing for 02_b (3 run(s))" in text

    # --force: nothing is up to date; an existing scheduler (workers unknown): the total notebook time.
    plan = cluster.plan_batch(jobs, manifest, None, run_dir, history=history, force=True)
    assert len(plan.to_run) == 6 and plan.estimate_seconds is None and plan.notebook_seconds == 42.0
    assert "42 s of notebook time in all" in "\n".join(cluster.describe_plan(plan, "tcp://x:1"))


def test_dry_run_shows_the_plan_and_runs_nothing(tmp_path, capsys):
    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    make_ok_notebook(nbs / "01_ok.ipynb")
    out = tmp_path / "out"
    code = main(["run", "--notebooks-dir", str(nbs), "--out", str(out), "--run-name", "r", "--no-progress",
                 "--focus", "溧阳市", "--focus", "金坛区", "--dry-run", "--cluster", "local:2"])
    captured = capsys.readouterr()
    assert code == 0
    assert "plan: 2 parameter set(s) × 1 notebook(s) = 2 notebook run(s) on a Dask LocalCluster of 2 worker(s)" \
        in captured.err
    assert "2 to run, 0 up to date" in captured.err and "no earlier timing for 01_ok" in captured.err
    assert "would run 溧阳市/01_ok" in captured.out and "would run 金坛区/01_ok" in captured.out
    assert "nothing was run" in captured.out
    assert not (out / "r").exists()


def test_above_the_cap_the_plan_is_shown_and_yes_is_needed(tmp_path, capsys, monkeypatch):
    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    make_ok_notebook(nbs / "01_ok.ipynb")
    real = checks.too_many_jobs
    monkeypatch.setattr(checks, "too_many_jobs", lambda n_sets, n_nbs: real(n_sets, n_nbs, cap=2))
    args = ["run", "--notebooks-dir", str(nbs), "--out", str(tmp_path / "out"), "--run-name", "r",
            "--no-progress", "--focus", "溧阳市", "--focus", "金坛区", "--focus", "武进区"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "3 to run, 0 up to date" in err
    assert "3 notebook runs (3 parameter sets × 1 notebooks) is more than 2" in err and "--yes" in err
    assert not (tmp_path / "out" / "r").exists()
    # A dry run above the cap shows the plan and says what would be needed.
    assert main([*args, "--dry-run"]) == 0
    assert "note: 3 notebook runs" in capsys.readouterr().err


# --------------------------------------------------------------------------------------------------
# Journal compaction, resuming after an interruption (no kernels: a backend that fakes the execution)


def test_the_journal_is_folded_into_the_manifest_once_it_grows_past_the_limit(tmp_path):
    entry = {"status": "ok", "seconds": 1.0}
    line = json.dumps({"key": "a/01", "entry": entry}, ensure_ascii=False) + "\n"
    limit = 2 * len(line.encode()) + 1  # two lines stay in the journal, the third folds it
    folded = [runner.append_journal(tmp_path, f"{k}/01", entry, compact_bytes=limit) for k in "abc"]
    assert folded == [False, False, True]
    assert not (tmp_path / runner.MANIFEST_JOURNAL).exists()
    on_disk = json.loads((tmp_path / runner.MANIFEST).read_text(encoding="utf-8"))
    assert set(on_disk["notebooks"]) == {"a/01", "b/01", "c/01"}
    assert runner.append_journal(tmp_path, "d/01", entry, compact_bytes=limit) is False
    assert len((tmp_path / runner.MANIFEST_JOURNAL).read_text(encoding="utf-8").splitlines()) == 1
    assert set(runner.read_manifest(tmp_path)["notebooks"]) == {"a/01", "b/01", "c/01", "d/01"}
    # The default limit is a few MB: a 10,000-job batch rewrites the manifest a handful of times.
    assert runner.JOURNAL_COMPACT_BYTES >= 1 << 20


class _FakeBackend:
    """Writes a stand-in output for the first `n` specs, then stops as Ctrl-C would."""

    label = "fake"
    capture_stderr = False

    def __init__(self, n: int | None = None):
        self.n, self.seen = n, []

    def run(self, specs, record, bar=None):
        for i, spec in enumerate(specs):
            self.seen.append(spec["key"])
            if self.n is not None and i == self.n:
                # The job that was running when Ctrl-C came: its temporary notebook is left behind.
                tmp = Path(spec["output"]).with_name(f".{Path(spec['output']).name}.123-abc.tmp.ipynb")
                tmp.parent.mkdir(parents=True, exist_ok=True)
                tmp.write_text("{}", encoding="utf-8")
                raise KeyboardInterrupt
            out = Path(spec["output"])
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(json.dumps({"cells": []}), encoding="utf-8")
            record({"key": spec["key"], "status": "ok", "error": None, "started": "s", "finished": "f",
                    "seconds": 2.0, "output_sha256": runner.sha256_file(out), "warnings": []})


def test_an_interrupted_batch_keeps_what_finished_and_a_rerun_does_only_the_rest(two_notebooks, tmp_path):
    run_dir = tmp_path / "out" / "r"
    sets = [{"focus": b} for b in ("溧阳市", "金坛区", "武进区")]
    notebooks = runner.discover_notebooks(two_notebooks)
    with pytest.raises(KeyboardInterrupt):
        runner.run_batch(sets, notebooks, run_dir, progress=False, datasets={}, backend=_FakeBackend(n=2))
    m = runner.read_manifest(run_dir)
    assert set(m["notebooks"]) == {"溧阳市/01_a", "溧阳市/02_b"}
    assert not (run_dir / runner.MANIFEST_JOURNAL).exists()  # folded by the run's own ending
    assert m["backend"] == "fake" and m["runs"][-1]["summary"]["executed"] == 2
    assert m["runs"][-1]["interrupted"] is True
    assert not list(run_dir.rglob("*.tmp.ipynb"))  # the unfinished job's temporary file is gone
    assert not (run_dir / "金坛区" / "01_a.ipynb").exists()

    # The plan of the next run: 4 left, estimated from the interrupted run's timings (2 s each).
    jobs = runner.plan_jobs(sets, notebooks, run_dir, {})
    plan = cluster.plan_batch(jobs, m, 2, run_dir)
    assert len(plan.to_run) == 4 and plan.estimate_seconds == 4.0

    again = _FakeBackend()
    result = runner.run_batch(sets, notebooks, run_dir, progress=False, datasets={}, backend=again)
    assert again.seen == ["金坛区/01_a", "金坛区/02_b", "武进区/01_a", "武进区/02_b"]
    assert sorted(result.skipped) == ["溧阳市/01_a", "溧阳市/02_b"] and result.ok
    m = runner.read_manifest(run_dir)
    assert len(m["notebooks"]) == 6 and "interrupted" not in m["runs"][-1]


def test_an_unreachable_scheduler_is_one_line(two_notebooks, tmp_path, capsys, monkeypatch):
    pytest.importorskip("distributed")
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", 1)
    code = main(["run", "--notebooks-dir", str(two_notebooks), "--out", str(tmp_path / "out"), "--run-name", "r",
                 "--no-progress", "--cluster", "tcp://127.0.0.1:9", "-p", "focus=溧阳市"])
    err = capsys.readouterr().err
    assert code == 1
    assert "tcp://127.0.0.1:9: no Dask scheduler answered within 1 s" in err and "Traceback" not in err


# --------------------------------------------------------------------------------------------------
# A real LocalCluster: two worker processes, one job failing


@pytest.mark.notebooks
def test_a_batch_on_a_local_cluster_with_one_failure_then_resumed(tmp_path, capsys):
    pytest.importorskip("distributed")
    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    _tiny_notebook(nbs / "01_pid.ipynb", "import os\nprint('kernel parent', os.getppid())")
    # Fails for 金坛区 until the file fixed.flag appears beside it (the notebook's content stays the same).
    _tiny_notebook(nbs / "02_flaky.ipynb",
                   "print('before the error', focus)\n#--\n"
                   "import os\nif focus == '金坛区' and not os.path.exists('fixed.flag'):\n"
                   "    raise ValueError('boom in ' + focus)\n#--\nprint('after', focus)")
    data = tmp_path / "d.csv"
    data.write_text("region,year,indicator,value\n溧阳市,2020,patent_grants,1\n金坛区,2020,patent_grants,2\n",
                    encoding="utf-8")
    out = tmp_path / "out"
    args = ["run", "--notebooks-dir", str(nbs), "--out", str(out), "--run-name", "c", "--no-progress",
            "--focus", "溧阳市", "--focus", "金坛区", "--dataset", str(data), "--cluster", "local:2"]
    assert main(args) == 1
    run_dir = out / "c"
    m = runner.read_manifest(run_dir)
    assert m["backend"] == "dask local:2"
    st = {k: e["status"] for k, e in m["notebooks"].items()}
    assert st == {"溧阳市/01_pid": "ok", "溧阳市/02_flaky": "ok", "金坛区/01_pid": "ok", "金坛区/02_flaky": "failed"}
    assert m["summary"] == {"executed": 3, "skipped": 0, "failed": 1, "total": 4}
    bad = m["notebooks"]["金坛区/02_flaky"]
    assert "ValueError: boom in 金坛区" in bad["error"]
    partial = _texts(run_dir / "金坛区" / "02_flaky.ipynb")
    assert "before the error 金坛区" in partial and "after" not in partial  # partial notebook kept
    assert "after 溧阳市" in _texts(run_dir / "溧阳市" / "02_flaky.ipynb")
    # The kernels were started by the cluster's worker processes, not by this process.
    parents = {int(_texts(run_dir / b / "01_pid.ipynb").split()[-1]) for b in ("溧阳市", "金坛区")}
    assert os.getpid() not in parents
    assert all(e["seconds"] > 0 and e["output_sha256"] for e in m["notebooks"].values())
    assert not list(run_dir.rglob("*.tmp.ipynb")) and not (run_dir / runner.MANIFEST_JOURNAL).exists()

    # Fixed: the re-run executes only the failed notebook; the plan said so and estimated it.
    (nbs / "fixed.flag").write_text("", encoding="utf-8")
    capsys.readouterr()
    assert main(args) == 0
    err = capsys.readouterr().err
    assert "1 to run, 3 up to date" in err and "estimated" in err
    m = runner.read_manifest(run_dir)
    assert m["summary"] == {"executed": 1, "skipped": 3, "failed": 0, "total": 4}
    assert m["notebooks"]["金坛区/02_flaky"]["status"] == "ok" and m["notebooks"]["金坛区/02_flaky"]["last_action"] == "executed"
    assert [e["last_action"] for k, e in m["notebooks"].items() if k != "金坛区/02_flaky"] == ["skipped"] * 3
    assert len(m["runs"]) == 2


@pytest.mark.notebooks
def test_a_batch_on_an_existing_scheduler_given_as_a_tcp_address(tmp_path, capsys):
    """`run --cluster tcp://HOST:PORT`: a scheduler and one single-threaded worker process started here on
    127.0.0.1 (as someone would have started them on a head node), the job runs in the worker's kernel,
    the notebook and the manifest say so."""
    distributed = pytest.importorskip("distributed")
    import logging

    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    _tiny_notebook(nbs / "01_where.ipynb", "import os\nprint('kernel parent', os.getppid())\n#--\n"
                   "print('focus', focus, target_year)")
    data = tmp_path / "d.csv"
    data.write_text("region,year,indicator,value\n溧阳市,2020,patent_grants,1\n", encoding="utf-8")
    out = tmp_path / "out"
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  scheduler_port=0, dashboard_address=None, silence_logs=logging.ERROR) as lc:
        address = lc.scheduler_address
        assert address.startswith("tcp://127.0.0.1:")
        with distributed.Client(address) as client:
            worker_pids = set(client.run(os.getpid).values())
        code = main(["run", "--notebooks-dir", str(nbs), "--out", str(out), "--run-name", "t", "--no-progress",
                     "--focus", "溧阳市", "--dataset", str(data), "--target-year", "2030", "--cluster", address])
    err = capsys.readouterr().err
    assert code == 0, err
    assert f"Dask scheduler {address}: 1 worker(s), 1 thread(s)" in err
    m = runner.read_manifest(out / "t")
    assert m["backend"] == f"dask {address}"
    entry = m["notebooks"]["溧阳市/01_where"]
    assert entry["status"] == "ok" and entry["parameters"]["target_year"] == 2030
    assert m["summary"] == {"executed": 1, "skipped": 0, "failed": 0, "total": 1}
    text = _texts(out / "t" / "溧阳市" / "01_where.ipynb")
    assert "focus 溧阳市 2030" in text
    # The kernel was started by the scheduler's worker process, not by this process.
    assert int(text.split("kernel parent")[1].split()[0]) in worker_pids - {os.getpid()}


# --------------------------------------------------------------------------------------------------
# A national panel's folder as --dataset: one set per county-level unit, each with its partition


@pytest.fixture(scope="module")
def panel(tmp_path_factory) -> Path:
    """北京市 and 吉林省: both have a 朝阳区 (110105 and 220104)."""
    from liyang_ip.data import national

    root = tmp_path_factory.mktemp("panel") / "national_demo"
    national.build_national_demo(root, provinces=["11", "22"])
    return root


def test_a_panel_folder_expands_to_every_unit_with_its_own_partition(panel):
    from liyang_ip.data import national
    from liyang_ip.report.cli import expand_panels, set_names_for
    from liyang_ip.report.runner import RunError

    units = national.units(panel)
    sets = expand_panels([{"dataset": str(panel), "focus": "all", "target_year": 2030}])
    assert len(sets) == len(units) > 50
    by_name = {}
    for s in sets:
        by_name.setdefault(s["focus"], []).append(s)
    assert [s["dataset"] for s in by_name["朝阳区"]] == [str(panel / "parent=110100"), str(panel / "parent=220100")]
    assert all(s["target_year"] == 2030 for s in sets)
    names = set_names_for(sets)
    assert names[:2] == ["110101_东城区", "110102_西城区"] and "220104_朝阳区" in names and len(set(names)) == len(names)

    # One unit by code, or by a name no other unit has; a shared name is an error naming both codes.
    assert expand_panels([{"dataset": str(panel), "focus": "220104"}]) == [
        {"dataset": str(panel / "parent=220100"), "focus": "朝阳区"}]
    assert expand_panels([{"dataset": str(panel), "focus": "东城区"}])[0]["dataset"] == str(panel / "parent=110100")
    with pytest.raises(RunError, match=r"2 units .* 110105 \(in 110100\), 220104 \(in 220100\); give the six-digit code"):
        expand_panels([{"dataset": str(panel), "focus": "朝阳区"}])
    with pytest.raises(RunError, match="no county-level unit of that name or code"):
        expand_panels([{"dataset": str(panel), "focus": "溧阳市"}])
    # Any other dataset is left as it is.
    assert expand_panels([{"dataset": "demo", "focus": "all"}]) == [{"dataset": "demo", "focus": "all"}]
    assert set_names_for([{"dataset": "demo", "focus": "溧阳市"}]) == ["溧阳市"]


def test_dry_run_over_a_panel_plans_every_unit(panel, tmp_path, capsys):
    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    make_ok_notebook(nbs / "01_ok.ipynb")
    code = main(["run", "--notebooks-dir", str(nbs), "--out", str(tmp_path / "out"), "--no-progress",
                 "--dataset", str(panel), "--focus", "110105", "--focus", "220104", "--dry-run"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "would run 110105_朝阳区/01_ok" in captured.out and "would run 220104_朝阳区/01_ok" in captured.out
    assert f"→ {tmp_path / 'out' / 'national_demo'}" in captured.err  # the run is named after the panel
    assert "2 to run, 0 up to date" in captured.err


def test_checking_many_sets_reads_each_datasets_region_set_once(monkeypatch):
    from liyang_ip import params
    from liyang_ip.data import build

    calls = []
    real = build.declared_region_sets
    monkeypatch.setattr(build, "declared_region_sets", lambda spec, *a: calls.append(spec) or real(spec, *a))
    sets = [{"focus": f, "dataset": "demo", "lang": "zh", "start_year": 2016, "end_year": 2020}
            for f in ("溧阳市", "金坛区", "武进区", "新北区")]
    checked = checks.check_sets(sets, [], {"demo": {"years": [2015, 2025]}})
    assert checked.ok, checked.errors
    assert calls == ["demo"]  # 4 sets × several validated groups: one read
    # Outside a check nothing is remembered (a notebook that edits its dataset sees the change).
    calls.clear()
    params._dataset_region_set("demo")
    params._dataset_region_set("demo")
    assert calls == ["demo", "demo"]
