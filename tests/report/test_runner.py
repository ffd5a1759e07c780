"""`liyang-ip run`: parallel execution, manifest, failures, skipping what is up to date."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from liyang_ip.cli import main
from liyang_ip.report.runner import read_manifest

from .conftest import make_ok_notebook

pytestmark = pytest.mark.notebooks


def _run(notebooks_dir: Path, out: Path, *extra: str) -> int:
    return main(["run", "--notebooks-dir", str(notebooks_dir), "--out", str(out), "--run-name", "t",
                 "--no-progress", *extra])


def _outputs(nb_path: Path) -> list[str]:
    nb = nbformat.read(str(nb_path), as_version=4)
    texts = []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            texts.append(o.get("text", "") or json.dumps(o.get("data", {}), ensure_ascii=False)
                         + o.get("evalue", ""))
    return texts


@pytest.fixture
def data_file(tmp_path) -> Path:
    p = tmp_path / "my_data.csv"
    p.write_text("region,year,indicator,value\n溧阳市,2020,patent_grants,100\n", encoding="utf-8")
    return p


def test_batch_failure_partial_output_manifest_skip_and_force(notebooks_dir, tmp_path, data_file, capsys):
    out = tmp_path / "outputs"
    code = _run(notebooks_dir, out, "--focus", "溧阳市", "--focus", "金坛区", "--target-year", "2030",
                "--dataset", str(data_file), "--jobs", "2")
    assert code == 1  # one notebook per block fails
    run_dir = out / "t"
    m = read_manifest(run_dir)
    assert set(m["notebooks"]) == {"溧阳市/01_ok", "溧阳市/02_fail", "金坛区/01_ok", "金坛区/02_fail"}

    # The good notebooks ran to the end with the parameters injected.
    ok = m["notebooks"]["金坛区/01_ok"]
    assert ok["status"] == "ok" and ok["error"] is None
    # indicators: the data's own (patent_grants is not one of the plan's), filled in by `run`.
    assert ok["parameters"] == {"focus": "金坛区", "target_year": 2030, "dataset": str(data_file.resolve()),
                                "indicators": ["patent_grants"]}
    assert any("重点板块 金坛区 目标年 2030" in t for t in _outputs(run_dir / "金坛区" / "01_ok.ipynb"))

    # The failing one: partial output kept (the line before the error, the error), later cells not run.
    bad = m["notebooks"]["溧阳市/02_fail"]
    assert bad["status"] == "failed"
    assert "ValueError: boom in 溧阳市" in bad["error"]
    texts = _outputs(run_dir / "溧阳市" / "02_fail.ipynb")
    assert any("before the error 溧阳市" in t for t in texts)
    assert any("boom in 溧阳市" in t for t in texts)
    assert not any("after the error" in t for t in texts)

    # Manifest: data fingerprint (sha256 of the dataset files), version, timings, the notebook hash.
    assert len(ok["data_fingerprint"]) == 64 and ok["data_fingerprint"] == bad["data_fingerprint"]
    assert m["datasets"][str(data_file.resolve())]["fingerprint"] == ok["data_fingerprint"]
    assert m["version"] and m["package"] == "liyang-ip"
    assert ok["seconds"] > 0 and ok["started"] <= ok["finished"]
    assert len(ok["source_sha256"]) == 64 and ok["output"] == "金坛区/01_ok.ipynb"
    assert m["summary"] == {"executed": 2, "skipped": 0, "failed": 2, "total": 4}
    assert not list(run_dir.rglob(".*tmp*")), "temporary files left behind"

    # Second run: the successful notebooks are up to date, the failed ones run again.
    capsys.readouterr()
    assert _run(notebooks_dir, out, "--focus", "溧阳市", "--focus", "金坛区", "--target-year", "2030",
                "--dataset", str(data_file), "--jobs", "2") == 1
    m = read_manifest(run_dir)
    assert m["summary"] == {"executed": 0, "skipped": 2, "failed": 2, "total": 4}
    assert m["notebooks"]["金坛区/01_ok"]["last_action"] == "skipped"

    # Only the good notebook, forced: executed again, exit 0.
    assert _run(notebooks_dir, out, "--focus", "金坛区", "--target-year", "2030", "--dataset", str(data_file),
                "--notebooks", "01", "-p", "gap_share=0.5", "--force") == 0
    m = read_manifest(run_dir)
    assert m["summary"] == {"executed": 1, "skipped": 0, "failed": 0, "total": 1}
    assert m["notebooks"]["金坛区/01_ok"]["parameters"]["gap_share"] == 0.5  # -p NAME=VALUE, read as YAML
    assert m["notebooks"]["金坛区/01_ok"]["last_action"] == "executed"
    # Entries of other blocks from earlier runs are kept.
    assert "溧阳市/01_ok" in m["notebooks"]

    # Data changed → not up to date.
    data_file.write_text("region,year,indicator,value\n溧阳市,2020,patent_grants,101\n", encoding="utf-8")
    assert _run(notebooks_dir, out, "--focus", "金坛区", "--target-year", "2030", "--dataset", str(data_file),
                "--notebooks", "01", "-p", "gap_share=0.5") == 0
    m2 = read_manifest(run_dir)
    assert m2["summary"]["executed"] == 1
    assert m2["notebooks"]["金坛区/01_ok"]["data_fingerprint"] != ok["data_fingerprint"]


def test_up_to_date_needs_same_parameters_notebook_data_and_output(notebooks_dir, tmp_path):
    """The skip rule, checked without starting kernels."""
    from liyang_ip.report.runner import is_up_to_date, plan_jobs, sha256_file

    nb = notebooks_dir / "01_ok.ipynb"
    run_dir = tmp_path / "run"
    params = {"focus": "武进区", "dataset": "demo", "target_year": 2030}
    (job,) = plan_jobs([params], [nb], run_dir, {"demo": "f" * 64})
    job.output.parent.mkdir(parents=True)
    job.output.write_text("{}")
    entry = {**job.manifest_base(run_dir), "status": "ok", "output_sha256": sha256_file(job.output)}
    assert is_up_to_date(job, entry, run_dir)

    assert not is_up_to_date(job, {**entry, "status": "failed"}, run_dir)
    assert not is_up_to_date(job, None, run_dir)
    (other,) = plan_jobs([{**params, "target_year": 2025}], [nb], run_dir, {"demo": "f" * 64})
    assert not is_up_to_date(other, entry, run_dir)  # parameters changed
    (other,) = plan_jobs([params], [nb], run_dir, {"demo": "0" * 64})
    assert not is_up_to_date(other, entry, run_dir)  # data changed
    make_ok_notebook(nb, extra="\nprint('new cell text')")
    (other,) = plan_jobs([params], [nb], run_dir, {"demo": "f" * 64})
    assert not is_up_to_date(other, entry, run_dir)  # notebook changed
    job.output.write_text('{"edited": true}')
    assert not is_up_to_date(job, entry, run_dir)  # output edited by hand
    job.output.unlink()
    assert not is_up_to_date(job, entry, run_dir)  # output deleted


def test_notebook_hash_ignores_outputs_but_not_sources(notebooks_dir):
    from liyang_ip.report.runner import notebook_hash

    nb_path = notebooks_dir / "01_ok.ipynb"
    before = notebook_hash(nb_path)
    nb = nbformat.read(str(nb_path), as_version=4)
    nb.cells[2].outputs = [nbformat.v4.new_output("stream", text="old output")]
    nb.cells[2].execution_count = 7
    nbformat.write(nb, str(nb_path))
    assert notebook_hash(nb_path) == before
    nb.cells[2].source += "  # edited"
    nbformat.write(nb, str(nb_path))
    assert notebook_hash(nb_path) != before


def test_params_file_grid_and_focus_validation(notebooks_dir, tmp_path, capsys):
    grid = tmp_path / "scenarios.yaml"
    grid.write_text("focus: [溧阳市]\ntarget_year: [2025, 2030]\n", encoding="utf-8")
    out = tmp_path / "outputs"
    assert main(["run", "--params", str(grid), "--notebooks-dir", str(notebooks_dir), "--out", str(out),
                 "--notebooks", "01", "--jobs", "2", "--no-progress"]) == 0
    run_dir = out / "scenarios"  # run name from the parameters file
    assert (run_dir / "溧阳市__target_year-2025" / "01_ok.ipynb").exists()
    assert (run_dir / "溧阳市__target_year-2030" / "01_ok.ipynb").exists()

    capsys.readouterr()
    assert main(["run", "--focus", "上海市", "--notebooks-dir", str(notebooks_dir), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "上海市" in err and "溧阳市" in err and "常州经开区" in err


def test_focus_all_plans_seven_safe_directories(notebooks_dir, tmp_path, monkeypatch):
    """'all' expands to the registry's seven blocks (planning only: run_batch is replaced)."""
    from liyang_ip.report import runner

    seen = {}

    def fake_run_batch(sets, notebooks, run_dir, **kw):
        seen["sets"] = sets
        return runner.RunResult(run_dir=Path(run_dir), manifest={"notebooks": {}})

    monkeypatch.setattr(runner, "run_batch", fake_run_batch)
    assert _run(notebooks_dir, tmp_path, "--focus", "all") == 0
    focuses = [s["focus"] for s in seen["sets"]]
    assert focuses == ["溧阳市", "金坛区", "武进区", "新北区", "天宁区", "钟楼区", "常州经开区"]
    assert runner.set_dirs(seen["sets"]) == focuses


def test_plan_flag_presets_and_overrides(notebooks_dir, tmp_path, monkeypatch, capsys):
    """--plan 15 sets 2020→2025 and 2030; an explicit flag or a parameters file value wins."""
    from liyang_ip.report import runner

    seen = {}

    def fake_run_batch(sets, notebooks, run_dir, **kw):
        seen["sets"], seen["run_dir"] = sets, Path(run_dir)
        return runner.RunResult(run_dir=Path(run_dir), manifest={"notebooks": {}})

    monkeypatch.setattr(runner, "run_batch", fake_run_batch)
    assert _run(notebooks_dir, tmp_path, "--plan", "15") == 0
    (s,) = seen["sets"]
    assert (s["start_year"], s["end_year"], s["target_year"]) == (2020, 2025, 2030) and "plan" not in s
    assert _run(notebooks_dir, tmp_path, "--plan", "15", "--target-year", "2035", "-p", "start_year=2021") == 0
    (s,) = seen["sets"]
    assert (s["start_year"], s["end_year"], s["target_year"]) == (2021, 2025, 2035)
    grid = tmp_path / "plans.yaml"
    grid.write_text("plan: [14, 15]\n", encoding="utf-8")
    assert main(["run", "--params", str(grid), "--notebooks-dir", str(notebooks_dir), "--out", str(tmp_path),
                 "--no-progress"]) == 0
    assert [s["target_year"] for s in seen["sets"]] == [2025, 2030]
    # without --run-name a preset run gets its own directory
    assert main(["run", "--plan", "14", "--notebooks-dir", str(notebooks_dir), "--out", str(tmp_path),
                 "--no-progress"]) == 0
    assert seen["run_dir"].name == "demo-plan14"
    capsys.readouterr()
    assert _run(notebooks_dir, tmp_path, "--plan", "16") == 2
    err = capsys.readouterr().err
    assert "unknown plan '16'" in err and "15 (十五五 2026–2030)" in err and "Traceback" not in err


def test_kernels_share_an_analysis_cache_that_lasts_one_run(tmp_path, monkeypatch):
    # Compute once (issue 16): the kernels of a run see the run's cache directory in their environment;
    # it lives inside the run directory and is removed when the run ends.
    monkeypatch.delenv("LIYANG_IP_ANALYSIS_CACHE", raising=False)
    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    make_ok_notebook(nbs / "01_ok.ipynb",
                     extra="\nimport os\nprint('CACHE=' + os.environ.get('LIYANG_IP_ANALYSIS_CACHE', 'unset'))")
    out = tmp_path / "outputs"
    assert _run(nbs, out, "--target-year", "2030") == 0
    run_dir = out / "t"
    line = next(t for t in _outputs(run_dir / "溧阳市" / "01_ok.ipynb") if "CACHE=" in t)
    folder = Path(line.split("CACHE=", 1)[1].strip())
    assert folder.parent == run_dir / ".cache" and folder.name.startswith("analysis-")
    assert not folder.exists() and not (run_dir / ".cache").exists()


def test_jobs_start_longest_first_which_shortens_the_batch():
    from liyang_ip.report.cluster import simulate_batch
    from liyang_ip.report.runner import Job, longest_first

    def job(block: str, stem: str) -> Job:
        return Job(f"{block}/{stem}", Path(f"{stem}.md"), Path(f"{block}/{stem}.ipynb"), {}, "", None, block)

    plan = [job(b, s) for b in ("A", "B") for s in ("00_overview", "01_baseline", "02_benchmark", "03_projection",
                                                       "09_new")]
    timings = {"00_overview": 8.3, "01_baseline": 5.9, "02_benchmark": 6.6, "03_projection": 8.2}
    order = [j.key for j in longest_first(plan, timings)]
    # No timing first (it may be long), then longest first; equal ones in plan order (A before B).
    assert order == ["A/09_new", "B/09_new", "A/00_overview", "B/00_overview", "A/03_projection",
                     "B/03_projection", "A/02_benchmark", "B/02_benchmark", "A/01_baseline", "B/01_baseline"]
    # One block's four notebooks on 2 workers, by hand: in plan order 01 ends at 5.9, 02 runs 5.9-12.5,
    # 00 ends at 8.3, 03 runs 8.3-16.5; longest first: 00 | 03, then 02 from 8.2 to 14.8, 01 8.3-14.2.
    one = [j for j in plan if j.set_dir == "A" and j.notebook.stem in timings]
    assert simulate_batch([timings[j.notebook.stem] for j in one], 2) == pytest.approx(16.5)
    lpt = longest_first(one, timings)
    assert simulate_batch([timings[j.notebook.stem] for j in lpt], 2) == pytest.approx(14.8)
    assert longest_first(one, {}) == one
