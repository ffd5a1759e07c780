"""Export without repeated set-up (issue 16): one HTMLExporter per process, one browser context whose
pages print file after file, fonts cut once per character set. Each test checks that the reuse does
not leak one document into the next and keeps the safety properties."""

from __future__ import annotations

import asyncio
import http.server
import re
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

from liyang_ip.report import export, fonts

from .test_export import _executed_nb

needs_browser = pytest.mark.skipif(export.find_browser(use_playwright=False) is None,
                                   reason="no Chromium-based browser installed")
needs_pdftotext = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")


def _pdftext(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


# -------------------------------------------------------------------------------- HTMLExporter


def test_the_exporter_is_built_once_and_reuse_leaks_nothing(tmp_path, monkeypatch):
    import nbconvert

    built = []

    class Counting(nbconvert.HTMLExporter):
        def __init__(self, *args, **kwargs):
            built.append(1)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(nbconvert, "HTMLExporter", Counting)
    monkeypatch.setattr(export, "_EXPORTER", None)

    def doc(focus: str, title: str) -> export.Doc:
        nb = _executed_nb()
        nb.cells[0].source = f"# {title}\n\n## 专利创造"
        nb.metadata.papermill.parameters["focus"] = focus
        return export.Doc(nb, export.cover_info(nb), "", tmp_path / title)

    a, b = doc("金坛区", "甲报告"), doc("溧阳市", "乙报告")
    first_a = export.render_html(a)
    page_b = export.render_html(b)
    again_a = export.render_html(a)
    assert len(built) == 1
    assert again_a == first_a  # rendering another document in between changes nothing
    assert "甲报告" in first_a and "金坛区" in first_a
    assert "乙报告" in page_b and "溧阳市" in page_b and "甲报告" not in page_b and "金坛区" not in page_b


SVG = ('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" onload="alert(1)">'
       '<script>alert(2)</script><rect width="4" height="4"/><text x="1" y="5">溧阳市 SVG-TEXT</text></svg>')


def _with_svg_and_hostile_html(nb):
    import nbformat

    cell = nbformat.v4.new_code_cell("fig")
    cell.outputs = [nbformat.v4.new_output("display_data", {"image/svg+xml": SVG, "text/plain": "fig"})]
    html = nbformat.v4.new_code_cell("t")
    html.outputs = [nbformat.v4.new_output("display_data", {
        "text/html": '<table><tr><td>HOSTILE-CELL<img src=x onerror="alert(3)"></td></tr></table>',
        "text/plain": "t"})]
    nb.cells += [cell, html]
    return nb


def test_svg_figures_skip_nbconvert_soup_pass_but_not_the_sanitizer(tmp_path, monkeypatch):
    import nbconvert.exporters.html as nbhtml

    seen = []
    real = nbhtml.BeautifulSoup

    def recording(markup, *args, **kwargs):
        seen.append(markup)
        return real(markup, *args, **kwargs)

    monkeypatch.setattr(nbhtml, "BeautifulSoup", recording)
    nb = _with_svg_and_hostile_html(_executed_nb())
    page = export.render_html(export.Doc(nb, export.cover_info(nb), "", tmp_path / "x"))
    assert len(seen) == 1 and "SVG-TEXT" not in seen[0]  # nbconvert parsed the page without the figure
    assert page.count("溧阳市 SVG-TEXT") == 1 and '<rect width="4" height="4" />' in page  # inline, as text
    assert 'viewbox="0 0 10 10"' in page and "<?xml" not in page
    for bad in ("<script", "alert(", "onload", "onerror", "liyang-ip-svg-"):
        assert bad not in page, bad
    assert "图 2" in page  # the SVG is numbered as a figure after the PNG (图 1)


def test_each_notebook_is_made_inert_once_and_the_combined_report_stays_inert(tmp_path, monkeypatch):
    import nbformat

    block = tmp_path / "run" / "溧阳市"
    block.mkdir(parents=True)
    for stem in ("01_a", "02_b"):
        nb = _with_svg_and_hostile_html(_executed_nb())
        nb.cells[0].source = f"# 标题 {stem}\n\n## 专利创造 {stem}"
        nbformat.write(nb, str(block / f"{stem}.ipynb"))
    sizes = []
    real = export.inert_html

    def counting(page):
        sizes.append(page.count("HOSTILE-CELL"))
        return real(page)

    monkeypatch.setattr(export, "inert_html", counting)
    export.export_paths([tmp_path / "run"], formats=("html",))
    # Two notebooks once each (one hostile cell each), the report's cover and contents once (none):
    # the combined report takes its chapters already made inert.
    assert sorted(sizes) == [0, 1, 1]
    for name in ("01_a.html", "02_b.html", "report.html"):
        page = (block / name).read_text(encoding="utf-8")
        for bad in ("<script", "alert(", "onload", "onerror", "liyang-ip-svg-", "\ue000"):
            assert bad not in page, (name, bad)
    report = (block / "report.html").read_text(encoding="utf-8")
    assert report.count("HOSTILE-CELL") == 2 and report.count("SVG-TEXT") == 2
    assert 'id="fig-4"' in report and re.search(r"图\s*4", report)  # numbered on: 2 figures a chapter


# -------------------------------------------------------------------------------- fonts


@pytest.mark.skipif(fonts.find_cjk_font(400) is None, reason="no CJK font installed")
def test_font_cache_is_keyed_by_the_characters_not_the_text(tmp_path, monkeypatch):
    monkeypatch.setenv(fonts.FONT_CACHE_ENV, str(tmp_path))
    calls = []
    real = fonts._subset_uncached.__wrapped__

    def counting(path, index, chars):
        calls.append(chars)
        return real(path, index, chars)

    monkeypatch.setattr(fonts, "_subset_uncached", counting)
    first = fonts.embedded_font_css("溧阳市专利 2030", "溧阳市专利 2030")
    # Regular and bold cut from their own font files, each once; the same characters in another order,
    # repeated, with control characters: both from the cache.
    n = len(calls)
    assert n in (1, 2)
    assert fonts.embedded_font_css("专利\n溧阳市市 0302\t", "专利\n溧阳市市 0302\t") == first
    assert len(calls) == n


def test_charset_is_sorted_unique_printable_characters_plus_ascii():
    ascii_printable = "".join(map(chr, range(0x20, 0x7F)))
    assert fonts._charset("") == ascii_printable
    assert fonts._charset("阳溧\n\t\x00阳a") == ascii_printable + "溧阳"  # U+6EA7 before U+9633
    assert fonts._charset("\u00e9\u3000") == ascii_printable + "\u00e9\u3000"


# -------------------------------------------------------------------------------- browser


class _Beacon(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 - http.server's name
        type(self).hits.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def beacon():
    """A local HTTP server that records every request; the PDFs must make none."""
    _Beacon.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Beacon)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Beacon.hits
    server.shutdown()
    server.server_close()


def _page(path: Path, text: str, url: str) -> Path:
    path.write_text(
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><link rel="stylesheet" href="{url}/style.css">'
        f"</head><body><p>{text}</p><img src=\"{url}/pixel.png\" alt=\"\">"
        "<script>document.body.insertAdjacentText('beforeend', 'SCRIPT-RAN')</script></body></html>",
        encoding="utf-8")
    return path


@pytest.mark.export
@needs_browser
@needs_pdftotext
def test_pages_are_reused_and_a_failing_file_does_not_stop_the_next(tmp_path, monkeypatch, beacon):
    from playwright.async_api import Browser, BrowserContext, Page

    url, hits = beacon
    counts = {"context": 0, "context_page": 0, "browser_page": 0, "media": 0}

    def counting(cls, name, key):
        real = getattr(cls, name)

        async def wrapper(self, *args, **kwargs):
            counts[key] += 1
            return await real(self, *args, **kwargs)

        monkeypatch.setattr(cls, name, wrapper)

    counting(Browser, "new_context", "context")
    counting(Browser, "new_page", "browser_page")
    counting(BrowserContext, "new_page", "context_page")
    counting(Page, "emulate_media", "media")  # print media set once per page, not once per file

    first = _page(tmp_path / "first.html", "FIRST-DOCUMENT", url)
    second = _page(tmp_path / "second.html", "SECOND-DOCUMENT", url)
    missing = tmp_path / "missing.html"
    # One page for all: the missing file fails on it, the small file after it prints on the same page.
    jobs = [(first, tmp_path / "first.pdf", "a"), (missing, tmp_path / "missing.pdf", "b"),
            (second, tmp_path / "second.pdf", "c")]
    written, errors = export.print_pdfs(jobs, concurrency=1)
    assert counts == {"context": 1, "context_page": 1, "browser_page": 0, "media": 1}
    assert written == [tmp_path / "first.pdf", tmp_path / "second.pdf"]  # in the order asked for
    assert len(errors) == 1 and "missing.pdf" in errors[0] and not (tmp_path / "missing.pdf").exists()
    first_text, second_text = _pdftext(tmp_path / "first.pdf"), _pdftext(tmp_path / "second.pdf")
    assert "FIRST-DOCUMENT" in first_text and "SECOND-DOCUMENT" not in first_text
    assert "SECOND-DOCUMENT" in second_text and "FIRST-DOCUMENT" not in second_text
    # JavaScript off and no network on the shared context, for every file printed on it.
    assert "SCRIPT-RAN" not in first_text + second_text
    assert hits == []

    # Two pages at once: still one context, one page per worker, every file printed; called from inside
    # a running event loop (a Jupyter kernel), as the printer runs its own in a thread.
    counts.update(context=0, context_page=0, media=0)
    jobs = [(_page(tmp_path / f"p{i}.html", f"DOC-{i}", url), tmp_path / f"p{i}.pdf", "") for i in range(4)]

    async def in_a_kernel():
        return export.print_pdfs(jobs, concurrency=2)

    written, errors = asyncio.run(in_a_kernel())
    assert errors == [] and written == [p for _, p, _ in jobs]
    assert counts["context"] == 1 and counts["context_page"] == 2 and counts["media"] == 2
    assert [f"DOC-{i}" in _pdftext(p) for i, (_, p, _) in enumerate(jobs)] == [True] * 4
    assert hits == []


@pytest.mark.export
@needs_browser
@needs_pdftotext
def test_chromium_printer_goes_on_after_a_failing_file(tmp_path, beacon):
    url, hits = beacon
    good = _page(tmp_path / "good.html", "GOOD-DOCUMENT", url)
    with export.ChromiumPrinter() as printer:
        with pytest.raises(Exception, match="missing.html"):
            printer.print_pdf(tmp_path / "missing.html", tmp_path / "missing.pdf")
        printer.print_pdf(good, tmp_path / "good.pdf", footer="Liyang")
    text = _pdftext(tmp_path / "good.pdf")
    assert "GOOD-DOCUMENT" in text and "SCRIPT-RAN" not in text and "Liyang" in text
    assert hits == [] and not (tmp_path / "missing.pdf").exists()


@pytest.mark.export
def test_a_browser_that_cannot_start_fails_clearly_when_printing(tmp_path):
    fake = tmp_path / "chrome"
    fake.write_text("not a browser")
    printer = export.PdfPrinter(fake, n_files=1)  # returns at once: the browser starts in the background
    try:
        with pytest.raises(export.BrowserNotFoundError, match="could not be started"):
            printer.print([(tmp_path / "a.html", tmp_path / "a.pdf", "")])
    finally:
        printer.close()
    assert not printer._thread.is_alive() and not (tmp_path / "a.pdf").exists()


@needs_browser
@pytest.mark.export
def test_a_prepared_browser_prints_the_export_and_is_closed(tmp_path, monkeypatch):
    import nbformat

    src = tmp_path / "01_x.ipynb"
    nbformat.write(_executed_nb(), str(src))
    printer = export.prepare()  # as `run --pdf` does while its notebooks run
    assert isinstance(printer, export.PdfPrinter)
    started = []
    real_init = export.PdfPrinter.__init__
    monkeypatch.setattr(export.PdfPrinter, "__init__",
                        lambda self, *a, **k: started.append(1) or real_init(self, *a, **k))
    written = export.export_paths([src], ("html", "pdf"), printer=printer)
    assert started == []  # no second browser
    assert src.with_suffix(".pdf") in written and src.with_suffix(".pdf").read_bytes().startswith(b"%PDF")
    assert printer._loop.is_closed()  # the export closed the printer it was given
    # Nothing to print: a given printer is closed all the same.
    other = export.prepare()
    export.export_paths([src], ("html",), printer=other)
    assert other._loop.is_closed()
    assert export.prepare(pdf=False) is None


def test_prepare_never_fails(monkeypatch):
    monkeypatch.setattr(export, "find_browser", lambda *a, **k: None)
    assert export.prepare() is None  # no browser: export_paths will say so itself
