"""Print and screen quality of the real notebooks' reports (issue 16), from ONE run with export:
vector figures, no near-blank PDF pages, embedded fonts only, a linked table of contents."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from liyang_ip.cli import main
from liyang_ip.report import export

pytestmark = [
    pytest.mark.export,
    pytest.mark.notebooks,
    pytest.mark.skipif(not shutil.which("pdftotext") or not shutil.which("pdfinfo"),
                       reason="poppler-utils (pdftotext, pdfinfo) not installed"),
    pytest.mark.skipif(export.find_browser(use_playwright=False) is None, reason="no Chromium-based browser"),
]

# A page holding only a heading, or a heading and a caption, has fewer characters than this (a heading
# has 4-20 without spaces, a caption 10-30); a page with a chart has its axis labels, legend and source
# line as text. The contents page counts too: the first chapter follows the contents on it.
MIN_CHARS_PER_PAGE = 80
# One block's baseline and projection chapters as one PDF: about 1 MB with vector charts (2.6 MB for
# the four chapters with 120-170 ppi PNG charts before). Generous, so that only a regression fails.
MAX_REPORT_BYTES = 3_000_000


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("quality")
    code = main(["run", "--focus", "溧阳市", "--notebooks", "01,03", "--out", str(out), "--run-name", "q",
                 "--jobs", "2", "--no-progress", "--pdf"])
    assert code == 0
    return out / "q" / "溧阳市"


def _pages(pdf: Path) -> list[str]:
    n = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                                                         check=True).stdout).group(1))
    return [subprocess.run(["pdftotext", "-f", str(i), "-l", str(i), str(pdf), "-"], capture_output=True,
                           text=True, check=True).stdout for i in range(1, n + 1)]


def test_figures_are_vector_with_their_text_as_text(exported):
    for name in ("01_baseline", "03_projection", "report"):
        page = (exported / f"{name}.html").read_text(encoding="utf-8")
        figures = re.findall(r'<figure class="liy-figure".*?</figure>', page, re.DOTALL)
        assert figures, name
        for fig in figures:
            assert "<svg" in fig and "<img" not in fig, fig[:200]
            assert "<text" in fig  # labels are text, not outlines (drawn with the embedded font)
        assert "<?xml" not in page and "<!DOCTYPE svg" not in page


def test_no_near_blank_pages_and_only_embedded_fonts(exported):
    pdfs = sorted(exported.glob("*.pdf"))
    assert {p.stem for p in pdfs} == {"01_baseline", "03_projection", "report"}
    for pdf in pdfs:
        pages = _pages(pdf)
        assert len(pages) > 1
        for i, text in enumerate(pages[1:], 2):  # page 1 is the cover
            chars = len(re.sub(r"\s", "", text))
            assert chars >= MIN_CHARS_PER_PAGE, f"{pdf.name} page {i}: {chars} characters: {text!r}"
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert "Type 3" not in fonts, fonts
    # Chart text is searchable: an axis year and a legend entry of a fan chart.
    text = "".join(_pages(exported / "03_projection.pdf"))
    assert "组合预测" in text and "2030" in text
    assert (exported / "report.pdf").stat().st_size < MAX_REPORT_BYTES


def test_contents_link_to_chapters_and_sections_and_tables_scroll_on_phones(exported):
    page = (exported / "report.html").read_text(encoding="utf-8")
    nav = re.search(r'<nav class="liy-toc">.*?</nav>', page, re.DOTALL).group(0)
    targets = re.findall(r'href="#([^"]+)"', nav)
    assert "ch-1" in targets and "ch-2" in targets and len(targets) > 4
    for t in targets:
        assert f'id="{t}"' in page, t  # every entry leads somewhere
    assert 'class="liy-top" href="#top"' in page and 'id="top"' in page
    css = page[:page.index("</head>")]
    assert "position: sticky" in css and "overflow-x: auto" in css and "position: fixed" in css
