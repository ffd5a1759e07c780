"""A bureau's own partial data through `liyang-ip run` and `export`, with the real notebooks.

One small dataset written here: 溧阳市 only (no other block, no 常州市 row), two indicators, 2016–2021,
and a source whose title and publisher hold HTML. Every notebook must run; what cannot be computed is
shown as a gap with the reason; the source title reaches the HTML and the PDF only as text.
One run of the batch notebooks (they are the expensive part of the suite).
"""

from __future__ import annotations

import shutil
import subprocess

import nbformat
import pandas as pd
import pytest

from liyang_ip.cli import main
from liyang_ip.report import export
from liyang_ip.report.runner import default_notebooks_dir, discover_notebooks, read_manifest

from .test_safety import HOSTILE, HOSTILE_IMG, _live_parts

pytestmark = pytest.mark.notebooks

TITLE = f"{HOSTILE}溧阳市统计公报"


@pytest.fixture(scope="module")
def partial_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("partial")
    ds = root / "liyang_only"
    ds.mkdir()
    rows = []
    for i, year in enumerate(range(2016, 2022)):
        rows.append(("溧阳市", year, "invention_patents_held", 600 + 80 * i, "件", "official", "S1"))
        rows.append(("溧阳市", year, "patent_applications", 3000 + 150 * i, "件", "official", "S1"))
    pd.DataFrame(rows, columns=["region", "year", "indicator", "value", "unit", "status", "source_id"]).to_csv(
        ds / "observations.csv", index=False)
    pd.DataFrame({"source_id": ["S1"], "title": [TITLE], "publisher": [f"{HOSTILE_IMG}统计局"],
                  "url": ["javascript:alert(1)"], "date": ["2022-03-01"]}).to_csv(ds / "sources.csv", index=False)
    (ds / "dataset.yaml").write_text("name: liyang_only\nfiles:\n  - path: observations.csv\n    format: tidy\n"
                                     "sources: sources.csv\n", encoding="utf-8")
    out = root / "out"
    browser = export.find_browser(use_playwright=False) is not None and shutil.which("pdftotext")
    code = main(["run", "--dataset", str(ds), "--focus", "溧阳市", "--out", str(out), "--run-name", "r",
                 "--jobs", "2", "--no-progress", *(["--pdf"] if browser else [])])
    if not browser:
        code = max(code, main(["export", str(out / "r"), "--to", "html"]))
    return code, out / "r", bool(browser)


def _text(nb_path) -> str:
    nb = nbformat.read(str(nb_path), as_version=4)
    parts = []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            parts.append(o.get("text", "") if o.get("output_type") == "stream" else
                         str(o.get("data", {}).get("text/markdown", "")) + str(o.get("data", {}).get("text/html", "")))
    return "\n".join(parts)


def test_every_notebook_runs_on_one_blocks_partial_data(partial_run, capsys):
    code, run_dir, _ = partial_run
    m = read_manifest(run_dir)
    assert code == 0, {k: e.get("error") for k, e in m["notebooks"].items()}
    stems = sorted(e["notebook"] for e in m["notebooks"].values())
    expected = sorted(p.stem for p in discover_notebooks(default_notebooks_dir()))  # the batch: all of them
    assert stems == expected
    # Defaults followed the data: 2016–2021 reaches the 13th plan's end (2020) → 2015→2020 started at
    # 2016, targets 2025; the two indicators the data have.
    params = m["notebooks"]["溧阳市/01_baseline"]["parameters"]
    assert params["start_year"] == 2016 and params.get("end_year", 2020) == 2020
    assert params["indicators"] == ["invention_patents_held", "patent_applications"]


def test_what_cannot_be_computed_is_a_gap_with_its_reason(partial_run):
    _, run_dir, _ = partial_run
    block = run_dir / "溧阳市"
    baseline = _text(block / "01_baseline.ipynb")
    assert "数据中没有常州市的合计数" in baseline  # city share
    bench = _text(block / "02_benchmark.ipynb")
    assert "数据中没有其他板块" in bench  # ranks with one block
    assert "无法计算综合指数" in bench  # composite with too few blocks/indicators
    assert "在一个板块中排名" not in bench


def test_hostile_source_strings_are_text_in_html_and_pdf(partial_run):
    _, run_dir, has_pdf = partial_run
    page = (run_dir / "溧阳市" / "00_overview.html").read_text(encoding="utf-8")
    assert _live_parts(page) == []
    assert "&lt;script&gt;document.title=" in page
    if has_pdf:
        text = subprocess.run(["pdftotext", str(run_dir / "溧阳市" / "00_overview.pdf"), "-"], capture_output=True,
                              text=True, check=True).stdout
        assert "<script>document.title='pwned'</script>" in text
