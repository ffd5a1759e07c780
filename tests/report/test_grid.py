"""Parameter grids, notebook discovery and output directory names (no kernels started)."""

from __future__ import annotations

import pytest

from liyang_ip.report.runner import (
    RunError,
    apply_overrides,
    discover_notebooks,
    expand_focus,
    expand_grid,
    load_params_file,
    set_dirs,
)


def test_mapping_lists_are_axes_of_a_cartesian_product():
    sets = expand_grid({"focus": ["溧阳市", "金坛区"], "target_year": [2025, 2030], "lang": "zh"})
    assert sets == [
        {"focus": "溧阳市", "target_year": 2025, "lang": "zh"},
        {"focus": "溧阳市", "target_year": 2030, "lang": "zh"},
        {"focus": "金坛区", "target_year": 2025, "lang": "zh"},
        {"focus": "金坛区", "target_year": 2030, "lang": "zh"},
    ]


def test_list_valued_parameters_flat_list_is_one_value_list_of_lists_is_axis():
    one = expand_grid({"methods": ["cagr", "linear"], "peers": ["武进区", "新北区"]})
    assert one == [{"methods": ["cagr", "linear"], "peers": ["武进区", "新北区"]}]
    two = expand_grid({"methods": [["cagr"], ["linear", "holt"]], "indicators": [None, ["patent_grants"]]})
    assert len(two) == 4
    assert {"methods": ["linear", "holt"], "indicators": None} in two


def test_list_of_sets_taken_as_given_and_duplicates_dropped():
    sets = expand_grid([{"focus": "溧阳市"}, {"focus": "武进区", "gap_share": 0.5}, {"focus": "溧阳市"}])
    assert sets == [{"focus": "溧阳市"}, {"focus": "武进区", "gap_share": 0.5}]


def test_structured_form_runs_times_grid_over_fixed_parameters():
    spec = {"parameters": {"dataset": "demo", "target_year": 2025},
            "grid": {"focus": ["溧阳市", "金坛区"]},
            "runs": [{"gap_share": 0.3}, {"gap_share": 0.5, "target_year": 2030}]}
    sets = expand_grid(spec)
    assert len(sets) == 4
    assert {"dataset": "demo", "target_year": 2030, "focus": "金坛区", "gap_share": 0.5} in sets
    assert {"dataset": "demo", "target_year": 2025, "focus": "溧阳市", "gap_share": 0.3} in sets


def test_bad_specifications_are_explained():
    with pytest.raises(RunError, match="empty list"):
        expand_grid({"focus": []})
    with pytest.raises(RunError, match="unknown top-level"):
        expand_grid({"grid": {"focus": ["溧阳市"]}, "focus": "x"})
    with pytest.raises(RunError, match="#2"):
        expand_grid([{"focus": "溧阳市"}, 3])
    assert expand_grid(None) == [{}]


def test_params_file(tmp_path):
    p = tmp_path / "grid.yaml"
    p.write_text("focus: [溧阳市, 武进区]\ntarget_year: 2030\nmethods: [cagr, linear]\n", encoding="utf-8")
    assert load_params_file(p) == [
        {"focus": "溧阳市", "target_year": 2030, "methods": ["cagr", "linear"]},
        {"focus": "武进区", "target_year": 2030, "methods": ["cagr", "linear"]},
    ]
    bad = tmp_path / "bad.yaml"
    bad.write_text("focus: [溧阳市\n", encoding="utf-8")
    with pytest.raises(RunError, match="bad.yaml"):
        load_params_file(bad)
    with pytest.raises(RunError, match="not found"):
        load_params_file(tmp_path / "missing.yaml")


def test_flags_override_file_and_focus_flag_becomes_axis():
    sets = apply_overrides([{"focus": "溧阳市", "target_year": 2025}], {"focus": ["金坛区", "武进区"],
                                                                       "target_year": 2030})
    assert sets == [{"focus": "金坛区", "target_year": 2030}, {"focus": "武进区", "target_year": 2030}]


def test_focus_all_expands_to_blocks_and_names_are_resolved():
    blocks = ["溧阳市", "金坛区", "武进区"]
    aliases = {"溧阳": "溧阳市"}
    sets = expand_focus([{"focus": "all", "target_year": 2030}, {"focus": "溧阳"}, {}], blocks,
                        resolve=lambda n: aliases.get(n, n), default="溧阳市")
    assert [s["focus"] for s in sets] == ["溧阳市", "金坛区", "武进区", "溧阳市"]
    assert sets[3] == {"focus": "溧阳市"}


def test_set_dirs_name_the_focus_and_the_parameters_that_vary():
    assert set_dirs([{"focus": "溧阳市", "lang": "zh"}, {"focus": "金坛区", "lang": "zh"}]) == ["溧阳市", "金坛区"]
    dirs = set_dirs([{"focus": "溧阳市", "target_year": 2025}, {"focus": "溧阳市", "target_year": 2030}])
    assert dirs == ["溧阳市__target_year-2025", "溧阳市__target_year-2030"]
    dirs = set_dirs([{"focus": "../../etc", "dataset": "/a/x.csv"}, {"focus": "../../etc", "dataset": "/b/x.csv"}])
    assert len(set(dirs)) == 2 and all("/" not in d and not d.startswith(".") for d in dirs)


def test_discover_notebooks_in_reading_order_and_selection(tmp_path):
    for name in ["02_b.ipynb", "01_a.ipynb", "scratch.ipynb", ".01_a.ipynb.tmp.ipynb"]:
        (tmp_path / name).write_text("{}")
    assert [p.name for p in discover_notebooks(tmp_path)] == ["01_a.ipynb", "02_b.ipynb"]
    assert [p.name for p in discover_notebooks(tmp_path, ["02", "01_a"])] == ["02_b.ipynb", "01_a.ipynb"]
    with pytest.raises(RunError, match="available: 01_a, 02_b"):
        discover_notebooks(tmp_path, ["03_projection"])
    with pytest.raises(RunError, match="does not exist"):
        discover_notebooks(tmp_path / "nope")


def test_interactive_notebooks_stay_out_of_default_batches(tmp_path):
    import json

    (tmp_path / "01_a.ipynb").write_text(json.dumps({"metadata": {"title": "a"}}))
    (tmp_path / "04_explore.ipynb").write_text(json.dumps({"metadata": {"liyang_ip": {"batch": False}}}))
    assert [p.name for p in discover_notebooks(tmp_path)] == ["01_a.ipynb"]
    assert [p.name for p in discover_notebooks(tmp_path, ["04"])] == ["04_explore.ipynb"]  # named: runs


def test_text_notebooks_without_jupytext_fail_loudly(tmp_path, monkeypatch):
    import builtins

    (tmp_path / "01_a.md").write_text("---\njupytext: {}\n---\n# a\n", encoding="utf-8")
    real_import = builtins.__import__

    def no_jupytext(name, *args, **kwargs):
        if name == "jupytext":
            raise ImportError("No module named 'jupytext'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_jupytext)
    # A stale environment must not silently put every text notebook into the batch (or skip them all).
    with pytest.raises(RunError, match=r"01_a\.md: .*needs the jupytext package.*make setup"):
        discover_notebooks(tmp_path)


def test_the_bundled_explorer_is_interactive_only():
    from liyang_ip.report.runner import default_notebooks_dir

    names = [p.stem for p in discover_notebooks(default_notebooks_dir())]
    assert names == ["00_overview", "01_baseline", "02_benchmark", "03_projection", "05_industries", "06_evaluation"]


def test_plan_preset_fills_beneath_the_given_parameters():
    from liyang_ip.params import apply_plan_preset

    assert apply_plan_preset({"focus": "溧阳市"}, 15) == {
        "focus": "溧阳市", "start_year": 2020, "end_year": 2025, "target_year": 2030}
    # individual parameters override the preset; a `plan` key in a set is read and removed
    assert apply_plan_preset({"plan": 14, "target_year": 2035}) == {
        "start_year": 2015, "end_year": 2020, "target_year": 2035}
    assert apply_plan_preset({"focus": "溧阳市"}) == {"focus": "溧阳市"}
    with pytest.raises(ValueError, match="unknown plan"):
        apply_plan_preset({}, 99)


def _fake_papermill(monkeypatch, failures):
    """papermill.execute_notebook that raises the given exceptions in turn, then writes the output."""
    import papermill

    calls = []

    def fake(src, out, **kwargs):
        calls.append(out)
        if len(calls) <= len(failures):
            raise failures[len(calls) - 1]
        import shutil
        shutil.copy(src, out)

    monkeypatch.setattr(papermill, "execute_notebook", fake)
    return calls


def _spec(tmp_path):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 1")]
    src = tmp_path / "01_a.ipynb"
    nbformat.write(nb, str(src))
    return {"key": "甲/01_a", "notebook": str(src), "output": str(tmp_path / "out" / "01_a.ipynb"),
            "parameters": {"lang": "zh", "dataset": "demo"}, "kernel": None, "cwd": None, "timeout": None,
            "capture_stderr": False, "analysis_cache": None}


def test_a_kernel_that_dies_while_starting_is_started_once_more(tmp_path, monkeypatch):
    from liyang_ip.report.runner import execute_job

    died = RuntimeError("Kernel died before replying to kernel_info")
    calls = _fake_papermill(monkeypatch, [died])
    res = execute_job(_spec(tmp_path))
    assert res["status"] == "ok" and len(calls) == 2  # no notebook code had run: starting again is safe
    calls = _fake_papermill(monkeypatch, [died, died])
    res = execute_job(_spec(tmp_path))
    assert res["status"] == "failed" and "kernel_info" in res["error"] and len(calls) == 2  # once, not forever


def test_other_failures_are_not_retried(tmp_path, monkeypatch):
    from liyang_ip.report.runner import execute_job

    calls = _fake_papermill(monkeypatch, [RuntimeError("Kernel died while executing cell 3")])
    res = execute_job(_spec(tmp_path))
    assert res["status"] == "failed" and len(calls) == 1  # code had run: a second run could repeat side effects
