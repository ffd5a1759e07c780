"""HTML/PDF export: checked with poppler (pdftotext, pdffonts, pdfinfo) on tiny executed notebooks."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest

from liyang_ip.cli import main
from liyang_ip.report import export
from liyang_ip.report.runner import read_manifest

from .conftest import make_ok_notebook

needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext") or not shutil.which("pdffonts"),
                                   reason="poppler-utils (pdftotext, pdffonts) not installed")
needs_browser = pytest.mark.skipif(export.find_browser(use_playwright=False) is None,
                                   reason="no Chromium-based browser installed")


def _pdftext(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def _pdffonts(pdf: Path) -> str:
    return subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def run_with_pdf(tmp_path_factory):
    """`liyang-ip run --pdf` on two good notebooks and a failing one, for one block."""
    root = tmp_path_factory.mktemp("export")
    nbs = root / "notebooks"
    nbs.mkdir()
    make_ok_notebook(nbs / "01_ok.ipynb")
    second = make_ok_notebook(nbs / "03_more.ipynb")
    nb = nbformat.read(str(second), as_version=4)
    nb.cells[0].source = "# 预测与目标"
    nbformat.write(nb, str(second))
    from .conftest import make_failing_notebook

    make_failing_notebook(nbs / "02_fail.ipynb")
    out = root / "outputs"
    code = main(["run", "--notebooks-dir", str(nbs), "--out", str(out), "--run-name", "r", "--focus", "钟楼区",
                 "--target-year", "2030", "--jobs", "2", "--no-progress", "--pdf"])
    return code, out / "r"


@pytest.mark.export
@needs_poppler
@needs_browser
def test_run_pdf_exports_report_pdfs(run_with_pdf):
    code, run_dir = run_with_pdf
    assert code == 1  # 02_fail failed; the others were still executed and exported
    block = run_dir / "钟楼区"
    pdf = block / "01_ok.pdf"
    assert pdf.exists() and (block / "01_ok.html").exists()
    assert not (block / "02_fail.pdf").exists()

    text = _pdftext(pdf)
    assert "专利创造" in text  # the Chinese heading
    assert "钟楼区" in text and "目标年" in text and "2030" in text  # cover: focus and parameters
    assert "数据状态" in text and "演示数据" in text  # cover: data status
    assert re.search(r"表\s*1", text) and re.search(r"图\s*1", text)  # numbered table and figure
    # No code: neither the cells' source nor papermill's injected parameters cell.
    for code_text in ("SECRET_SOURCE_MARKER", "import base64", "print(", "HTML(", "# Parameters"):
        assert code_text not in text

    fonts = _pdffonts(pdf)
    cjk = [ln for ln in fonts.splitlines() if "NotoSansCJK" in ln]
    assert cjk, fonts
    assert all(" yes " in ln for ln in cjk)  # embedded
    assert "Type 3" not in fonts  # every glyph from a named, embedded font

    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "(A4)" in info
    assert int(next(ln.split()[-1] for ln in info.splitlines() if ln.startswith("Pages:"))) >= 2


@pytest.mark.export
@needs_poppler
@needs_browser
def test_combined_report_has_contents_and_all_chapters(run_with_pdf):
    _, run_dir = run_with_pdf
    report = run_dir / "钟楼区" / "report.pdf"
    text = _pdftext(report)
    assert "目录" in text and "基线测试报告" in text and "预测与目标" in text
    assert "SECRET_SOURCE_MARKER" not in text
    assert "失败测试" not in text  # the failed notebook is not part of the report
    # Figures are numbered through the whole report.
    assert re.search(r"图\s*2", text) and re.search(r"表\s*2", text)


@pytest.mark.export
@needs_browser
def test_html_is_self_contained_and_manifest_records_exports(run_with_pdf):
    _, run_dir = run_with_pdf
    page = (run_dir / "钟楼区" / "01_ok.html").read_text(encoding="utf-8")
    assert "@font-face" in page and "Liyang Report CJK" in page
    assert "<script src" not in page and "cdnjs" not in page
    assert "SECRET_SOURCE_MARKER" not in page
    assert "break-inside: avoid" in page
    entry = read_manifest(run_dir)["notebooks"]["钟楼区/01_ok"]
    assert entry["exports"] == {"html": "钟楼区/01_ok.html", "pdf": "钟楼区/01_ok.pdf"}


@pytest.mark.export
@needs_browser
def test_reexport_skips_up_to_date_files_unless_forced(run_with_pdf, capsys):
    _, run_dir = run_with_pdf
    assert export.export_paths([run_dir]) == []
    written = export.export_paths([run_dir / "钟楼区" / "01_ok.ipynb"], formats=("pdf",), force=True)
    assert written == [run_dir / "钟楼区" / "01_ok.pdf"]
    assert (run_dir / "钟楼区" / "01_ok.html").exists()  # a PDF-only export leaves the HTML alone


@pytest.mark.export
def test_missing_browser_fails_clearly_but_writes_html(run_with_pdf, tmp_path, monkeypatch, capsys):
    _, run_dir = run_with_pdf
    copy = tmp_path / "run"
    shutil.copytree(run_dir, copy)
    for f in copy.rglob("*"):
        if f.suffix in (".html", ".pdf"):
            f.unlink()
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.delenv("LIYANG_IP_CHROMIUM", raising=False)
    monkeypatch.setattr(export, "_playwright_browser", lambda: None)
    monkeypatch.setattr(export, "_windows_candidates", lambda: [])
    monkeypatch.setattr(export, "_mac_candidates", lambda: [])
    assert main(["export", str(copy), "--to", "html,pdf"]) == 1
    err = capsys.readouterr().err
    assert "apt-get install chromium" in err and "LIYANG_IP_CHROMIUM" in err
    assert (copy / "钟楼区" / "01_ok.html").exists()
    assert not (copy / "钟楼区" / "01_ok.pdf").exists()


def test_explicit_browser_that_does_not_exist(tmp_path, monkeypatch):
    monkeypatch.setenv("LIYANG_IP_CHROMIUM", str(tmp_path / "no-such-chrome"))
    with pytest.raises(export.BrowserNotFoundError, match="no-such-chrome"):
        export.find_browser()
    fake = tmp_path / "chrome"
    fake.write_text("")
    assert export.find_browser(fake) == fake


# -------------------------------------------------------------------------------- no browser needed


def _executed_nb(lang: str = "zh"):
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('focus = "溧阳市"\ntarget_year = 2025\npeers = None\nlang = "zh"\n'
                                       'methods = ["cagr", "linear"]')
    params.metadata["tags"] = ["parameters"]
    table = nbformat.v4.new_code_cell("t")
    table.outputs = [nbformat.v4.new_output("execute_result", {"text/html": "<table><tr><td>1</td></tr></table>",
                                                               "text/plain": "t"}, execution_count=1)]
    fig = nbformat.v4.new_code_cell("f")
    fig.metadata["caption"] = "发明专利拥有量"
    fig.outputs = [nbformat.v4.new_output("display_data", {"image/png": "iVBORw0KGgo=", "text/plain": "fig"}),
                   nbformat.v4.new_output("stream", name="stderr", text="UserWarning: noise\n"),
                   nbformat.v4.new_output("stream", name="stdout", text="数据状态：真实数据（公报） 覆盖 80%\n")]
    err = nbformat.v4.new_code_cell("boom()")
    err.outputs = [nbformat.v4.new_output("error", ename="ValueError", evalue="bad", traceback=["boom() source"])]
    empty = nbformat.v4.new_code_cell("x = 1")
    widget = nbformat.v4.new_code_cell("w")
    widget.outputs = [nbformat.v4.new_output("display_data", {
        "application/vnd.jupyter.widget-view+json": {"model_id": "abc", "version_major": 2, "version_minor": 0},
        "text/plain": "VBox(children=(Dropdown(...),))"})]
    nb.cells = [nbformat.v4.new_markdown_cell("# 01 基线分析\n\n## 专利创造"), params, table, fig, err, empty, widget]
    nb.metadata["papermill"] = {"parameters": {"focus": "金坛区", "target_year": 2030, "lang": lang},
                                "end_time": "2026-11-20T10:00:00+00:00"}
    return nb


def test_prepare_notebook_hides_noise_and_numbers_outputs():
    nb = export.prepare_notebook(_executed_nb())
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not any(o.get("name") == "stderr" for o in outputs)
    err = next(o for o in outputs if o.output_type == "error")
    assert err.traceback == ["ValueError: bad"]
    tags = [o.metadata["liyang_ip"] for o in outputs if "liyang_ip" in o.get("metadata", {})]
    assert [(t["kind"], t["label"], t["caption"]) for t in tags] == [("table", "表 1", ""),
                                                                     ("figure", "图 1", "发明专利拥有量")]
    assert not any(c.source in ("x = 1", "w") for c in nb.cells)  # no output (or only a widget): dropped
    assert export.prepare_notebook(_executed_nb(), lang="en").cells[1].outputs[0].metadata["liyang_ip"]["label"] \
        == "Table 1"


def test_cover_info_from_parameters_outputs_and_manifest():
    nb = _executed_nb()
    c = export.cover_info(nb)
    assert c["title"] == "01 基线分析" and c["focus"] == "金坛区"
    assert dict(c["params"])["目标年"] == "2030" and dict(c["params"])["对标板块"] == "默认"
    assert dict(c["params"])["预测方法"] == "年均增速延续、线性趋势"  # methods by name, not code
    assert c["status"] == "真实数据（公报） 覆盖 80%" and c["is_demo"] is False
    assert c["date"] == "2026-11-20"

    manifest = {"version": "9.9", "datasets": {"demo": {"status": "演示数据", "is_demo": True, "coverage": 0.875,
                                                        "years": [2015, 2024], "fingerprint": "ab" * 32}}}
    nb.metadata.papermill.parameters["dataset"] = "demo"
    c = export.cover_info(nb, manifest=manifest)
    assert c["status"] == "演示数据" and c["is_demo"] and c["coverage"] == "88%" and c["years"] == "2015–2024"
    assert c["status_line"] == "真实数据（公报） 覆盖 80%"  # the notebook's own line is shown as well

    nb.metadata.papermill.parameters["lang"] = "en"
    assert export.cover_info(nb)["labels"]["status"] == "Data status"
    assert dict(export.cover_info(nb)["params"])["Projection methods"] == "CAGR continuation, Linear trend"
    assert dict(export.cover_info(nb)["params"])["Language"] == "English"


def test_cover_and_report_keep_one_language_of_bilingual_text():
    """A notebook run some other way (papermill directly) still gives a one-language report: the
    exporter cuts bilingual titles, headings, captions and status labels, and drops the other
    language's explanatory cells."""
    nb = _executed_nb()
    nb.metadata["title"] = "01 基线分析 / Baseline"
    nb.cells.insert(0, nbformat.v4.new_markdown_cell("# 01 基线分析 / Baseline"))
    nb.cells.insert(1, nbformat.v4.new_markdown_cell("说明。", metadata={"lang": "zh"}))
    nb.cells.insert(2, nbformat.v4.new_markdown_cell("Explanation.", metadata={"lang": "en"}))
    manifest = {"datasets": {"demo": {"status": "演示数据（合成） / demo data (synthetic)", "is_demo": True}}}
    nb.metadata.papermill.parameters["dataset"] = "demo"
    c = export.cover_info(nb, manifest=manifest)
    assert c["title"] == "01 基线分析" and c["status"] == "演示数据（合成）"
    assert dict(c["params"])["数据集"] == "演示数据集" and dict(c["params"])["语言"] == "中文"
    shown = export.prepare_notebook(nb, "zh")
    md = [cell.source for cell in shown.cells if cell.cell_type == "markdown"]
    assert md[:2] == ["# 01 基线分析", "说明。"] and "Explanation." not in md
    nb.metadata.papermill.parameters["lang"] = "en"
    c = export.cover_info(nb, manifest=manifest)
    assert c["title"] == "01 Baseline" and c["status"] == "demo data (synthetic)"
    assert dict(c["params"])["Dataset"] == "demo dataset"


def test_render_html_has_cover_no_code_and_captions(tmp_path):
    nb = _executed_nb()
    doc = export.Doc(nb, export.cover_info(nb), "", tmp_path / "x")
    page = export.embed_fonts([export.render_html(doc)])[0]
    assert "liy-cover" in page and "金坛区" in page and "数据状态" in page
    assert "图 1" in page and "发明专利拥有量" in page and "表 1" in page
    assert "boom() source" not in page and "UserWarning" not in page
    assert "x = 1" not in page and 'focus = "溧阳市"' not in page
    assert json.dumps("https://cdn") not in page and "<script src" not in page


def test_html_export_of_a_run_without_kernels(tmp_path):
    """A run directory made by hand: ok notebooks → HTML + combined report; a failed one → stale files go."""
    import os

    run = tmp_path / "run"
    block = run / "溧阳市"
    block.mkdir(parents=True)
    for stem in ("01_a", "02_b", "03_failed"):
        nb = _executed_nb()
        nb.cells[0].source = f"# 标题 {stem}\n\n## 专利创造"
        nbformat.write(nb, str(block / f"{stem}.ipynb"))
    for suffix in (".html", ".pdf"):  # left over from an earlier, successful run
        stale = block / f"03_failed{suffix}"
        stale.write_text("old")
        os.utime(stale, (1, 1))
    manifest = {"notebooks": {
        f"溧阳市/{stem}": {"output": f"溧阳市/{stem}.ipynb", "status": "failed" if "failed" in stem else "ok",
                          "notebook": stem, "exports": {}}
        for stem in ("01_a", "02_b", "03_failed")}}
    (run / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")

    written = export.export_paths([run], formats=("html",))
    assert sorted(p.name for p in written) == ["01_a.html", "02_b.html", "report.html"]
    assert not (block / "03_failed.html").exists() and not (block / "03_failed.pdf").exists()
    report = (block / "report.html").read_text(encoding="utf-8")
    assert "标题 01_a" in report and "标题 02_b" in report and "标题 03_failed" not in report
    assert 'href="#ch-2"' in report and "图 2" in report  # contents links; numbering runs through
    assert read_manifest(run)["notebooks"]["溧阳市/01_a"]["exports"] == {"html": "溧阳市/01_a.html"}
    assert export.export_paths([run], formats=("html",)) == []  # up to date


def test_combined_report_reuses_the_chapters_rendered_once(tmp_path, monkeypatch):
    """Issue 16: each notebook goes through nbconvert once; the combined report takes its chapters'
    cells from their single pages (only its cover and contents are rendered on their own) and numbers
    figures and tables on across chapters."""
    block = tmp_path / "run" / "溧阳市"
    block.mkdir(parents=True)
    for stem in ("01_a", "02_b"):
        nb = _executed_nb()
        nb.cells[0].source = f"# 标题 {stem}\n\n## 专利创造 {stem}"
        nbformat.write(nb, str(block / f"{stem}.ipynb"))
    calls = []
    real = export._render_page

    def counting(doc, nb=None, numbers="plain"):
        calls.append((doc.out_stem.name, nb is not None and len(nb.cells) == 0))
        return real(doc, nb, numbers)

    monkeypatch.setattr(export, "_render_page", counting)
    written = export.export_paths([tmp_path / "run"], formats=("html",))
    assert sorted(p.name for p in written) == ["01_a.html", "02_b.html", "report.html"]
    # Two notebooks rendered once each, plus the combined report's cover alone (no cells).
    assert sorted(calls) == [("01_a", False), ("02_b", False), ("report", True)]
    single = (block / "02_b.html").read_text(encoding="utf-8")
    assert "图 1" in single and "表 1" in single and "\ue000" not in single
    report = (block / "report.html").read_text(encoding="utf-8")
    assert "\ue000" not in report and "liyang-ip:cells" in report
    # Chapter 1 has 表 1 and 图 1, chapter 2 continues with 表 2 and 图 2, each with its own id.
    assert report.index('id="ch-1"') < report.index("标题 01_a") < report.index('id="ch-2"') < report.index("标题 02_b")
    ch2 = report[report.index('id="ch-2"'):]
    assert re.search(r"表\s*2", ch2) and re.search(r"图\s*2", ch2) and 'id="fig-2"' in ch2 and 'id="tab-2"' in ch2
    assert report.count('id="fig-1"') == 1
    # Contents link to each chapter's section headings, which exist in the page.
    for target in re.findall(r'<nav class="liy-toc">.*?</nav>', report, re.DOTALL)[0].split('href="#')[1:]:
        assert f'id="{target.split(chr(34))[0]}"' in report


def test_work_needing_its_own_event_loop_runs_from_inside_a_running_one():
    import asyncio

    from liyang_ip.report import export

    async def two():
        return 2

    async def in_a_kernel():  # like a Jupyter cell: a loop is running, asyncio.run would refuse
        assert export._loop_running()
        assert export._in_thread(lambda: asyncio.run(two())) == 2
        with pytest.raises(ValueError, match="boom"):
            export._in_thread(lambda: (_ for _ in ()).throw(ValueError("boom")))

    asyncio.run(in_a_kernel())
