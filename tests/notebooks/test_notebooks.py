"""The stored notebooks: generated, without outputs, parameters first; and they execute with papermill.

Execution tests are marked ``notebooks`` (slow: one kernel per run). They use the demo dataset and two
indicators, and cover a focus block other than 溧阳市, target years other than 2025 and English labels.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
NB_DIR = ROOT / "notebooks"
NOTEBOOKS = [
    "00_overview.ipynb",
    "01_baseline.ipynb",
    "02_benchmark.ipynb",
    "03_projection.ipynb",
    "04_explore.ipynb",
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


def _builder():
    spec = importlib.util.spec_from_file_location("_build_notebooks", NB_DIR / "_build_notebooks.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _read(name: str) -> nbformat.NotebookNode:
    return nbformat.read(NB_DIR / name, as_version=4)


def test_every_notebook_is_stored():
    assert sorted(p.name for p in NB_DIR.glob("*.ipynb")) == NOTEBOOKS


def test_stored_notebooks_match_the_generator(tmp_path):
    b = _builder()
    assert set(b.NOTEBOOKS) == set(NOTEBOOKS)
    for name in NOTEBOOKS:
        assert (NB_DIR / name).read_text(encoding="utf-8") == b.render(name), (
            f"{name} differs from notebooks/_build_notebooks.py; run `python notebooks/_build_notebooks.py`"
        )


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_stored_without_outputs(name):
    nb = _read(name)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{name}: a code cell has stored outputs"
            assert cell.execution_count is None, f"{name}: a code cell has an execution count"


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
def test_charts_have_captions_for_the_report(name):
    nb = _read(name)
    captions = [
        c.metadata.get("caption") for c in nb.cells if c.cell_type == "code" and "charts." in c.source
    ]
    if name != "04_explore.ipynb":
        assert any(captions), f"{name}: no chart cell has a caption"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_title_and_validation_at_the_top(name):
    nb = _read(name)
    assert nb.metadata.get("title"), f"{name}: metadata.title is empty"
    setup = next(c for c in nb.cells if "setup" in c.metadata.get("tags", []))
    assert "validate_params(" in setup.source and "load_dataset(" in setup.source
    assert nb.cells.index(setup) <= 2


# ----------------------------------------------------------------------------------- execution
def _run(name: str, tmp_path: Path, **params) -> nbformat.NotebookNode:
    import papermill as pm

    out = tmp_path / name
    pm.execute_notebook(
        str(NB_DIR / name),
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
        if o.output_type in ("display_data", "execute_result") and "image/png" in o.get("data", {})
    )


MIN_IMAGES = {
    "00_overview.ipynb": 2,
    "01_baseline.ipynb": 1,
    "02_benchmark.ipynb": 5,
    "03_projection.ipynb": 2,
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
    if name == "01_baseline.ipynb":
        assert "2015—2020年，溧阳市" in text


@pytest.mark.notebooks
@pytest.mark.parametrize("name", ["01_baseline.ipynb", "02_benchmark.ipynb", "03_projection.ipynb"])
def test_executes_for_another_block_target_year_and_english(name, tmp_path):
    nb = _run(name, tmp_path, focus="金坛区", target_year=2027, lang="en", gap_share=0.3)
    text = _texts(nb)
    assert "Data status: DEMO DATA" in text
    assert "Focus: Jintan; compared with: Liyang, " in text
    assert "missing from font" not in text
    if name == "03_projection.ipynb":
        assert "by 2027" in text
        assert "no plan targets for Jintan in 2027" in text


@pytest.mark.notebooks
def test_projection_to_2024_with_targets_absent(tmp_path):
    nb = _run(
        "03_projection.ipynb",
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
        _run("01_baseline.ipynb", tmp_path, focus="溧水区")
    with pytest.raises(pm.PapermillExecutionError, match="target_year 2020 is not after"):
        _run("03_projection.ipynb", tmp_path, target_year=2020)


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
@pytest.mark.parametrize("name", ["02_benchmark.ipynb", "03_projection.ipynb"])
def test_executes_on_a_users_file_with_gaps(name, tmp_path):
    data = _sparse_csv(tmp_path / "mine.csv")
    nb = _run(name, tmp_path, dataset=str(data), indicators=["invention_patents_per_10k", "ip_talent"])
    text = _texts(nb)
    assert "数据状态：真实数据" in text
    assert "演示数据（合成" not in text
    if name == "03_projection.ipynb":
        assert "溧阳市知识产权人才无法预测" in text  # three years only: reported, not filled
        assert _n_images(nb) == 1  # only the indicator that can be projected gets a fan chart
    else:
        assert "综合指数" in text


def test_generator_check_mode(tmp_path):
    b = _builder()
    assert b.main(["--check"]) == 0
    assert b.main(["--out", str(tmp_path)]) == 0
    (tmp_path / "01_baseline.ipynb").write_text("{}", encoding="utf-8")
    assert b.main(["--check", "--out", str(tmp_path)]) == 1


@pytest.mark.notebooks
def test_overview_runs_on_the_real_public_figures_and_shows_the_gaps(tmp_path):
    """The bundled public figures start in 2016 and hold no district IP figure: the default 2015–2020 period
    must still run (with a warning), say the data are real, and show the gaps rather than fill them."""
    nb = _run("00_overview.ipynb", tmp_path, dataset="public", indicators=None)
    text = _texts(nb)
    assert "数据状态：真实数据" in text and "演示数据（合成" not in text
    assert "shown as gaps" in text  # the period warning reaches the reader
    assert "覆盖率0.0%" in text  # no plan indicator is covered for the blocks: said, not hidden
