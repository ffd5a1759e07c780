"""The stored notebooks: Jupytext MyST sources without outputs, parameters first; saving them in
JupyterLab keeps them so; and they execute with papermill.

Execution tests are marked ``notebooks`` (slow: one kernel per run). They use the demo dataset and two
indicators, and cover a focus block other than 溧阳市, target years other than 2025 and English labels.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest

from liyang_ip.report.runner import discover_notebooks, read_notebook

ROOT = Path(__file__).resolve().parents[2]
NB_DIR = ROOT / "notebooks"
NOTEBOOKS = [
    "00_overview.md",
    "01_baseline.md",
    "02_benchmark.md",
    "03_projection.md",
    "04_explore.md",
    "05_industries.md",
]
PARAMETERS = {
    "focus",
    "peers",
    "start_year",
    "end_year",
    "target_year",
    "indicators",
    "dataset",
    "methods",
    "gap_share",
    "lang",
}
SMALL = ["invention_patents_per_10k", "pct_applications"]


def _read(name: str) -> nbformat.NotebookNode:
    return read_notebook(NB_DIR / name)


def test_every_notebook_is_a_jupytext_source_and_there_is_no_generator():
    assert set(NOTEBOOKS) <= {p.name for p in NB_DIR.glob("[0-9][0-9]_*.md")}
    assert not (NB_DIR / "_build_notebooks.py").exists()
    for name in NOTEBOOKS:
        text = (NB_DIR / name).read_text(encoding="utf-8")
        assert "format_name: myst" in text.split("---")[1], f"{name}: no Jupytext MyST header"


def _git_tracked(pattern: str) -> list[str] | None:
    if not (ROOT / ".git").exists() or shutil.which("git") is None:
        return None
    res = subprocess.run(["git", "ls-files", pattern], cwd=ROOT, capture_output=True, text=True)
    return res.stdout.split() if res.returncode == 0 else None


def test_no_notebook_with_outputs_is_committed():
    tracked = _git_tracked("notebooks/*.ipynb")
    if tracked is None:
        pytest.skip("not a git checkout")
    assert tracked == [], f"commit the Jupytext .md, not the .ipynb (it carries outputs): {tracked}"
    ignored = subprocess.run(["git", "check-ignore", "-q", "notebooks/10_my_analysis.ipynb"], cwd=ROOT)
    assert ignored.returncode == 0, "notebooks/*.ipynb must be git-ignored (paired copies with outputs)"


@pytest.mark.parametrize("name", sorted(p.name for p in NB_DIR.glob("[0-9][0-9]_*.md")))
def test_source_is_in_the_form_jupytext_writes(name):
    """What JupyterLab (jupytext) writes on save is what is committed: no churn after opening a notebook."""
    import jupytext
    from jupytext.config import load_jupytext_config

    config = load_jupytext_config(str(NB_DIR))
    text = (NB_DIR / name).read_text(encoding="utf-8")
    nb = jupytext.reads(text, fmt="md:myst")
    nbformat.validate(nb)
    assert jupytext.writes(nb, fmt="md:myst", config=config) == text


@pytest.mark.parametrize("name", sorted(p.name for p in NB_DIR.glob("[0-9][0-9]_*.md")))
def test_paired_local_ipynb_is_in_sync(name):
    """A local paired .ipynb (git-ignored) edited without jupytext would silently not be run: say so."""
    ipynb = (NB_DIR / name).with_suffix(".ipynb")
    if not ipynb.exists():
        pytest.skip("no local paired .ipynb")
    md, local = _read(name), nbformat.read(ipynb, as_version=4)
    if ipynb.stat().st_mtime > (NB_DIR / name).stat().st_mtime:
        assert [(c.cell_type, c.source) for c in local.cells] == [(c.cell_type, c.source) for c in md.cells], (
            f"{ipynb.name} was changed after {name} and differs; `liyang-ip run` executes the .md. "
            f"Run `jupytext --sync notebooks/{ipynb.name}` (or open it in JupyterLab with jupytext) to update it"
        )


def test_saving_in_jupyterlab_keeps_the_source_clean(tmp_path):
    """Edit and save through jupytext's contents manager (what JupyterLab uses): the .md gets the new
    cell without outputs or editor metadata; the outputs go to the paired, git-ignored .ipynb; the runner
    still picks the .md."""
    from jupyter_server.services.contents.largefilemanager import LargeFileManager
    from jupytext.sync_contentsmanager import build_sync_jupytext_contents_manager_class

    for f in ("01_baseline.md", "jupytext.toml"):
        shutil.copy(NB_DIR / f, tmp_path / f)
    cm = build_sync_jupytext_contents_manager_class(LargeFileManager)(root_dir=str(tmp_path))
    nb = nbformat.from_dict(cm.get("01_baseline.md")["content"])
    setup_cell = next(c for c in nb.cells if "setup" in c.metadata.get("tags", []))
    setup_cell.outputs = [nbformat.v4.new_output("stream", text="数据状态：演示数据\n")]
    setup_cell.execution_count = 3
    setup_cell.metadata["ExecuteTime"] = {"end_time": "2026-11-25T10:00:00"}
    nb.cells.append(nbformat.v4.new_code_cell("charts.table(obs.head(), p.lang)", metadata={"caption": "我的表"}))
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    cm.save({"type": "notebook", "format": "json", "content": nb}, "01_baseline.md")

    text = (tmp_path / "01_baseline.md").read_text(encoding="utf-8")
    assert text.startswith((NB_DIR / "01_baseline.md").read_text(encoding="utf-8").rstrip("\n"))
    assert text.rstrip().endswith(":caption: 我的表\n\ncharts.table(obs.head(), p.lang)\n```")
    assert "数据状态" not in text and "ExecuteTime" not in text and "widget" not in text
    paired = nbformat.read(tmp_path / "01_baseline.ipynb", as_version=4)
    assert [o.get("text") for c in paired.cells if c.cell_type == "code" for o in c.outputs] == ["数据状态：演示数据\n"]
    assert discover_notebooks(tmp_path) == [tmp_path / "01_baseline.md"]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_parameters_cell_first_with_defaults(name):
    nb = _read(name)
    first = nb.cells[0]
    assert first.cell_type == "code"
    assert "parameters" in first.metadata.get("tags", [])
    assert sum("parameters" in c.metadata.get("tags", []) for c in nb.cells) == 1
    ns: dict = {}
    exec(first.source, ns)  # the defaults run as they are
    assert PARAMETERS <= set(ns)
    assert ns["focus"] == "溧阳市" and ns["peers"] is None and ns["indicators"] is None
    assert (ns["start_year"], ns["end_year"], ns["target_year"]) == (2015, 2020, 2025)
    assert ns["dataset"] == "demo" and ns["gap_share"] == 0.5 and ns["lang"] == "zh"
    from liyang_ip.params import known_methods

    assert ns["methods"] == list(known_methods())


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_parameter_comments_name_no_geography(name):
    """Geography is data: the parameter cell's comments name no region of any bundled set, nor one set's
    unit word or count of members; they point to the command that lists a dataset's regions."""
    from liyang_ip import registry
    from liyang_ip.cli import main

    source = _read(name).cells[0].source
    comments = "\n".join(line.split("#", 1)[1] for line in source.splitlines() if "#" in line)
    regions = {r.name for s in registry.regionsets.bundled() for r in registry.region_set(s).regions().values()}
    assert not [r for r in regions if r in comments]
    assert not re.search(r"\b(blocks?|six|seven)\b|板块", comments)
    assert "liyang-ip data regions --dataset" in comments
    assert main(["data", "regions", "--dataset", "demo"]) == 0  # the command exists and lists the default set


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_charts_have_captions_for_the_report(name):
    nb = _read(name)
    captions = [
        c.metadata.get("caption") for c in nb.cells if c.cell_type == "code" and "charts." in c.source
    ]
    if name != "04_explore.md":
        assert any(captions), f"{name}: no chart cell has a caption"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_title_and_one_setup_call_at_the_top(name):
    nb = _read(name)
    assert nb.metadata.get("title"), f"{name}: metadata.title is empty"
    setup = next(c for c in nb.cells if "setup" in c.metadata.get("tags", []))
    assert setup.source.count("setup(") == 1 and "from liyang_ip.notebook import setup" in setup.source
    assert "validate_params(" not in setup.source and "load_dataset(" not in setup.source  # in the library
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code.index(setup) == 1  # right after the parameters (only title and introduction between)


def test_explorer_stays_out_of_batch_runs_and_a_researchers_notebook_is_picked_up(tmp_path):
    for f in NOTEBOOKS:
        shutil.copy(NB_DIR / f, tmp_path / f)
    assert [p.name for p in discover_notebooks(tmp_path)] == [n for n in NOTEBOOKS if n != "04_explore.md"]
    mine = read_notebook(NB_DIR / "01_baseline.md")
    nbformat.write(mine, tmp_path / "10_my_analysis.ipynb")  # a researcher's plain notebook
    assert [p.name for p in discover_notebooks(tmp_path)][-1] == "10_my_analysis.ipynb"
    assert [p.name for p in discover_notebooks(tmp_path, ["10"])] == ["10_my_analysis.ipynb"]
    shutil.copy(NB_DIR / "04_explore.md", tmp_path / "10_my_analysis.md")  # paired: the text form wins
    assert [p.name for p in discover_notebooks(tmp_path, ["10_my_analysis"])] == ["10_my_analysis.md"]


# ----------------------------------------------------------------------------------- execution
def _run(name: str, tmp_path: Path, **params) -> nbformat.NotebookNode:
    import papermill as pm

    from liyang_ip.report.geography import dataset_region_set, fill_notebook
    from liyang_ip.report.language import localize_notebook

    src = tmp_path / f"src-{Path(name).stem}.ipynb"
    # what `liyang-ip run` does with a .md: a plain notebook in the run's language, the {{ geo.… }} words
    # of its text those of the dataset's region set
    lang = params.get("lang", "zh")
    nb = localize_notebook(read_notebook(NB_DIR / name), lang)
    nbformat.write(fill_notebook(nb, dataset_region_set(params.get("dataset", "demo")), lang), src)
    out = tmp_path / Path(name).with_suffix(".ipynb").name
    pm.execute_notebook(
        str(src),
        str(out),
        parameters={"indicators": SMALL, **params},
        kernel_name="python3",
        cwd=str(NB_DIR),
        progress_bar=False,
        execution_timeout=600,  # a kernel that stops answering fails here, clearly, not at pytest's limit
    )
    return nbformat.read(out, as_version=4)


def _texts(nb) -> str:
    parts = []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            if o.output_type == "stream":
                parts.append(o.text)
            elif o.output_type in ("display_data", "execute_result"):
                parts.append(str(o.data.get("text/markdown", "")))
                parts.append(str(o.data.get("text/plain", "")))
            elif o.output_type == "error":
                parts.append(f"{o.ename}: {o.evalue}")
    return "\n".join(parts)


def _n_images(nb) -> int:
    return sum(
        1
        for cell in nb.cells
        for o in cell.get("outputs", [])
        if o.output_type in ("display_data", "execute_result")
        and ("image/png" in o.get("data", {}) or "image/svg+xml" in o.get("data", {}))  # charts are SVG now
    )


MIN_IMAGES = {
    "00_overview.md": 1,  # coverage (the trend chart is in 01 only)
    "01_baseline.md": 1,
    "02_benchmark.md": 5,
    "03_projection.md": 2,
    "05_industries.md": 2,
}


@pytest.mark.notebooks
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_executes_with_defaults(name, tmp_path):
    nb = _run(name, tmp_path)
    text = _texts(nb)
    assert "数据状态：演示数据" in text  # the status line (read by the exporter's cover) says demo
    assert "焦点板块：溧阳市；" in text
    assert "missing from font" not in text  # no tofu warnings
    assert _n_images(nb) >= MIN_IMAGES.get(name, 0)
    if name == "01_baseline.md":
        assert "2015—2020年，溧阳市" in text


def _chinese_outside_names(nb) -> list[str]:
    """Runs of Chinese characters a reader sees in an executed notebook (Markdown cells, outputs as
    Markdown, HTML, plain text and streams), names from the data left out: the demo source's title and
    the 贯标 of a catalogue name that has no English word for it."""
    import re

    names = ("liyang-ip 演示数据面板（合成数字，非真实统计）", "(贯标)")
    parts = [c.source for c in nb.cells if c.cell_type == "markdown"]
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            if o.output_type == "stream" and o.name == "stdout":
                parts.append(o.text)
            elif o.output_type in ("display_data", "execute_result"):
                parts += [str(o.data.get(k, "")) for k in ("text/markdown", "text/html", "text/plain")]
    text = "\n".join(parts)
    for n in names:
        text = text.replace(n, "")
    text = re.sub(r"<style.*?</style>", "", text, flags=re.S)
    return sorted(set(re.findall(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]+", text)))


@pytest.mark.notebooks
@pytest.mark.parametrize("name", ["01_baseline.md", "02_benchmark.md", "03_projection.md", "06_evaluation.md"])
def test_executes_for_another_block_target_year_and_english(name, tmp_path):
    nb = _run(name, tmp_path, focus="金坛区", target_year=2027, lang="en", gap_share=0.3)
    assert _chinese_outside_names(nb) == []  # an English run speaks English (names from the data aside)
    text = _texts(nb)
    assert "Data status: DEMO DATA" in text
    assert "Focus: Jintan; compared with: Liyang, " in text
    assert "missing from font" not in text
    if name == "03_projection.md":
        assert "by 2027" in text
        assert "no plan targets for Jintan in 2027" in text


@pytest.mark.notebooks
def test_projection_to_2024_with_targets_absent(tmp_path):
    nb = _run(
        "03_projection.md",
        tmp_path,
        target_year=2024,
        end_year=2020,
        methods=["linear", "holt", "ensemble"],
    )
    text = _texts(nb)
    assert "2024年溧阳市" in text
    assert "数据中没有溧阳市2024年的规划目标" in text
    assert _n_images(nb) == len(SMALL)


@pytest.mark.notebooks
def test_bad_parameter_fails_with_a_clear_message(tmp_path):
    import papermill as pm

    with pytest.raises(pm.PapermillExecutionError, match="valid blocks are"):
        _run("01_baseline.md", tmp_path, focus="溧水区")
    with pytest.raises(pm.PapermillExecutionError, match="target_year 2020 is not after"):
        _run("03_projection.md", tmp_path, target_year=2020)


def _sparse_csv(path: Path) -> Path:
    """A user's tidy CSV with gaps: 溧阳市 lacks 2017, ip_talent only 2018-2020 (too short to project)."""
    import pandas as pd

    blocks = ["溧阳市", "金坛区", "武进区", "新北区", "天宁区", "钟楼区", "常州经开区"]
    rows = []
    for i, region in enumerate(blocks):
        for year in range(2015, 2021):
            if region == "溧阳市" and year == 2017:
                continue
            v = 10 + 3 * i + (year - 2015) * (1.5 + i / 5)
            rows.append((region, year, "invention_patents_per_10k", v, "件/万人", "official", "s1"))
            if year >= 2018:
                rows.append(
                    (region, year, "ip_talent", 100 + 20 * i + 10 * (year - 2018), "人", "official", "s1")
                )
    cols = ["region", "year", "indicator", "value", "unit", "status", "source_id"]
    pd.DataFrame(rows, columns=cols).to_csv(path, index=False)
    return path


@pytest.mark.notebooks
@pytest.mark.parametrize("name", ["02_benchmark.md", "03_projection.md"])
def test_executes_on_a_users_file_with_gaps(name, tmp_path):
    data = _sparse_csv(tmp_path / "mine.csv")
    nb = _run(name, tmp_path, dataset=str(data), indicators=["invention_patents_per_10k", "ip_talent"])
    text = _texts(nb)
    assert "数据状态：真实数据" in text
    assert "演示数据（合成" not in text
    if name == "03_projection.md":
        assert "溧阳市知识产权人才无法预测" in text  # three years only: reported, not filled
        assert _n_images(nb) == 1  # only the indicator that can be projected gets a fan chart
    else:
        assert "综合指数" in text


@pytest.mark.notebooks
def test_overview_runs_on_the_real_public_figures_and_shows_the_gaps(tmp_path):
    """The bundled public figures start in 2016 and hold no district IP figure: the default 2015–2020 period
    must still run (with a warning), say the data are real, and show the gaps rather than fill them."""
    nb = _run("00_overview.md", tmp_path, dataset="public", indicators=None)
    text = _texts(nb)
    assert "数据状态：真实数据" in text and "演示数据（合成" not in text
    assert "shown as gaps" in text  # the period warning reaches the reader
    assert "覆盖率0.0%" in text  # no plan indicator is covered for the blocks: said, not hidden


@pytest.mark.notebooks
def test_runner_executes_the_readme_example_notebook(tmp_path):
    """The README's "Writing your own notebook" example, saved as notebooks/10_my_analysis.md, is picked up
    by name and runs through `liyang-ip run` (converted for papermill, parameters injected); the executed
    notebook names the .md as its source."""
    from liyang_ip.report.runner import run_batch

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = readme.split("````markdown\n", 1)[1].split("\n````", 1)[0]
    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    header = ("---\njupytext:\n  text_representation:\n    extension: .md\n    format_name: myst\n"
              "kernelspec:\n  display_name: Python 3\n  language: python\n  name: python3\n---\n\n")
    (nbs / "10_my_analysis.md").write_text(header + example + "\n", encoding="utf-8")
    found = discover_notebooks(nbs, ["10"])
    assert found == [nbs / "10_my_analysis.md"]
    result = run_batch([{"focus": "金坛区"}], found, tmp_path / "run", progress=False, datasets={"demo": {}},
                       cwd=NB_DIR)
    assert result.ok, result.manifest["notebooks"]
    out = nbformat.read(tmp_path / "run" / "金坛区" / "10_my_analysis.ipynb", as_version=4)
    text = _texts(out)
    assert "数据状态：演示数据" in text and "焦点板块：金坛区；" in text
    assert _n_images(out) == 1  # the gap chart
    assert out.metadata["papermill"]["input_path"] == str(nbs / "10_my_analysis.md")
    assert "jupytext" not in out.metadata


def test_no_plan_period_literal_in_the_notebooks():
    """Period labels come from the parameters (registry/plans.yaml), never from a literal in a notebook;
    the parameters cell may hold default years, nothing else may name a plan or a plan year."""
    import re

    for path in sorted(NB_DIR.glob("[0-9][0-9]_*.md")):
        text = path.read_text(encoding="utf-8")
        body = re.sub(r"```\{code-cell\}\n:tags: \[parameters\]\n.*?```", "", text, flags=re.S)
        found = re.findall(r"十[一二三四五]五|\b1[1-5]th\b|Five-Year|\b20[12]\d\b", body)
        assert not found, f"{path.name}: {found}"
