"""`liyang-ip run` checks every parameter set before any kernel starts; defaults follow the data."""

from __future__ import annotations

import nbformat
import pytest
import yaml

from liyang_ip.cli import main
from liyang_ip.report import checks, export, runner

from .conftest import make_ok_notebook


@pytest.fixture
def one_notebook(tmp_path):
    d = tmp_path / "notebooks"
    d.mkdir()
    make_ok_notebook(d / "01_ok.ipynb")
    return d


@pytest.fixture
def small_csv(tmp_path):
    """金坛区 only, 2017–2022, two indicators (one of them in the plan's list), no 常州市 row."""
    rows = ["region,year,indicator,value,unit,status,source_id"]
    for y in range(2017, 2023):
        rows.append(f"金坛区,{y},invention_patents_held,{100 + y - 2017},件,official,S1")
        rows.append(f"金坛区,{y},patent_applications,{2000 + y - 2017},件,official,S1")
    p = tmp_path / "jintan.csv"
    p.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return p


def _run(nbs, tmp_path, *extra):
    return main(["run", "--notebooks-dir", str(nbs), "--out", str(tmp_path / "out"), "--no-progress", *extra])


def test_every_problem_of_every_set_is_listed_before_anything_runs(one_notebook, tmp_path, capsys):
    code = _run(one_notebook, tmp_path, "--focus", "all", "-p", "focuss=金坛区", "-p", "lang=fr", "-p",
                "gap_share=50", "-p", "methods=[cagr, holtt]", "-p", "indicators=[foo]", "-p", "start_year=2021",
                "-p", "end_year=2019")
    err = capsys.readouterr().err
    assert code == 2
    assert "6 problem(s) with the parameters; nothing was run" in err
    for text in ("unknown parameter 'focuss'; did you mean focus?", "unknown lang 'fr'",
                 "end_year 2019 is before start_year 2021", "unknown indicator 'foo'",
                 "unknown projection method 'holtt' (did you mean holt?)", "gap_share 50 is outside [0, 3]"):
        assert err.count(text) == 1, text  # once, not once per block
    assert not (tmp_path / "out").exists()  # no kernel started, nothing written
    assert "Traceback" not in err


def test_a_period_outside_the_data_and_a_broken_dataset_are_errors(one_notebook, small_csv, tmp_path, capsys):
    assert _run(one_notebook, tmp_path, "--dataset", str(small_csv), "--focus", "金坛区",
                "-p", "start_year=2001", "-p", "end_year=2005", "-p", "target_year=2010") == 2
    err = capsys.readouterr().err
    assert "period 2001–2005 lies outside the dataset's years 2017–2022" in err
    bad = tmp_path / "bad.csv"
    bad.write_text("region,year,indicator,value\n", encoding="utf-8")
    assert _run(one_notebook, tmp_path, "--dataset", str(bad)) == 2
    assert f"dataset {bad}" in capsys.readouterr().err


def test_only_the_sets_that_have_a_problem_are_named(one_notebook, tmp_path, capsys):
    grid = tmp_path / "grid.yaml"
    grid.write_text(yaml.safe_dump({"runs": [{"focus": "溧阳市", "gap_share": 0.5},
                                             {"focus": "金坛区", "gap_share": 4},
                                             {"focus": "武进区", "gap_share": 5}]}, allow_unicode=True))
    assert _run(one_notebook, tmp_path, "--params", str(grid)) == 2
    err = capsys.readouterr().err
    assert "set 2 (金坛区): gap_share 4 is outside [0, 3]" in err
    assert "set 3 (武进区): gap_share 5 is outside [0, 3]" in err
    assert "溧阳市" not in err


def test_defaults_follow_the_data_and_are_said(one_notebook, small_csv, tmp_path):
    info = runner.dataset_info(str(small_csv))
    assert info["years"] == [2017, 2022] and info["region_years"]["金坛区"] == [2017, 2022]
    sets = [{"focus": "金坛区", "dataset": str(small_csv)}]
    checked = checks.check_sets(sets, runner.discover_notebooks(one_notebook), {str(small_csv): info})
    assert checked.ok, checked.errors
    # Data 2017–2022: the latest plan baseline the data reach is 2015→2020 (targets 2025), started at
    # 2017, the first year with data; the notebook's own defaults are 2016/2020/2025, so 2016 changes.
    assert checked.sets == [{"focus": "金坛区", "dataset": str(small_csv), "start_year": 2017,
                             "indicators": ["invention_patents_held", "patent_applications"]}]
    said = " ".join(checked.chosen)
    assert "start_year 2017, end_year 2020, target_year 2025" in said and "first year with data" in said
    assert "invention_patents_held, patent_applications" in said


def test_a_given_value_is_never_replaced_and_unknown_focus_data_warns(one_notebook, small_csv, tmp_path):
    info = runner.dataset_info(str(small_csv))
    sets = [{"focus": "溧阳市", "dataset": str(small_csv), "start_year": 2018, "end_year": 2021,
             "indicators": ["invention_patents_held", "pct_applications"]}]
    checked = checks.check_sets(sets, runner.discover_notebooks(one_notebook), {str(small_csv): info})
    assert checked.ok
    assert checked.sets[0]["start_year"] == 2018 and checked.sets[0]["end_year"] == 2021
    assert checked.sets[0]["indicators"] == ["invention_patents_held", "pct_applications"]
    warned = " ".join(checked.warnings)
    assert "溧阳市 has no figures in dataset jintan.csv" in warned
    assert "no figures for pct_applications" in warned


def test_a_large_grid_needs_yes(one_notebook, tmp_path, capsys):
    grid = tmp_path / "big.yaml"
    grid.write_text(yaml.safe_dump({"gap_share": [i / 100 for i in range(72)]}))  # 72 × 7 blocks = 504
    assert _run(one_notebook, tmp_path, "--params", str(grid), "--focus", "all") == 2
    err = capsys.readouterr().err
    assert "504 notebook runs (504 parameter sets × 1 notebooks) is more than 500" in err and "--yes" in err
    assert checks.too_many_jobs(250, 2) is None and checks.too_many_jobs(251, 2)


def test_warnings_printed_in_a_notebook_are_collected(tmp_path):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stderr", text=(
            "/x/liyang_ip/params.py:235: UserWarning: period 2015–2020 reaches beyond the dataset's years\n"
            "  warnings.warn(\n"
            "/y/pandas/core.py:1: FutureWarning: something internal\n")),
        nbformat.v4.new_output("stream", name="stderr",
                               text="/x/a.py:9: UserWarning: period 2015–2020 reaches beyond the dataset's years\n"),
        nbformat.v4.new_output("stream", name="stdout", text="UserWarning: printed, not warned\n"),
    ]
    nb.cells = [cell]
    path = tmp_path / "w.ipynb"
    nbformat.write(nb, str(path))
    assert runner.notebook_warnings(path) == ["period 2015–2020 reaches beyond the dataset's years"]
    assert runner.notebook_warnings(tmp_path / "missing.ipynb") == []


def test_the_cover_lists_the_notebooks_warnings(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# 标题")]
    nb.metadata["papermill"] = {"parameters": {"focus": "溧阳市"}}
    entry = {"warnings": ["period 2015–2020 reaches beyond the dataset's years 2017–2022"]}
    cover = export.cover_info(nb, entry=entry)
    page = export.render_html(export.Doc(nb, cover, "", tmp_path / "x"))
    assert 'class="liy-warnings"' in page and "提示" in page
    shown = page.replace("&#39;", "'").replace("&#x27;", "'")
    assert "<li>period 2015–2020 reaches beyond the dataset's years 2017–2022</li>" in shown
