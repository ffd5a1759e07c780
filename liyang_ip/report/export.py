"""Meeting-ready HTML and PDF from executed notebooks.

HTML comes from nbconvert's ``HTMLExporter`` with the ``liyang_report`` template (shipped in
``templates/``): code and prompts hidden, stderr and tracebacks left out, a cover page (title, focus
block, parameters, data status and coverage, date), numbered figures and tables that are kept on one
page, A4 pages with margins, and the CJK font embedded (see :mod:`.fonts`). The HTML is self-contained:
no scripts, no network.

PDF is printed by a real headless Chromium found on the machine (never downloaded): Playwright drives
the system browser with ``executable_path``, and a batch reuses one browser for every file. Page
numbers come from Chromium's footer template.

Layout of a run after export::

    <run>/<block>/01_baseline.ipynb|.html|.pdf
    <run>/<block>/report.html|.pdf          all notebooks of the block, with a table of contents
"""

from __future__ import annotations

import asyncio
import copy
import html as html_lib
import os
import re
import shutil
import sys
import tempfile
import threading
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .. import wording
from .fonts import embedded_font_css
from .language import localize_notebook, normalise_lang, one_language
from .runner import parameter_defaults
from .sanitize import inert_html

TEMPLATE_NAME = "liyang_report"
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
FONTS_PLACEHOLDER = "<!--liyang-ip:fonts-->"
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run"]
# Same margins in CSS (@page, for printing from a browser) and here (Chromium's footer lives in them).
PDF_MARGIN = {"top": "18mm", "bottom": "20mm", "left": "17mm", "right": "17mm"}
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
REMOVE_TAGS = {"remove-cell", "remove_cell", "hide-cell", "remove"}
# The notebooks print a line such as "数据：demo — 演示数据（合成…）" or "数据状态：…" / "Data status: …".
DATA_STATUS_RE = re.compile(r"^\s*(数据状态|数据|data status|data)\s*[:：]\s*(.+)", re.IGNORECASE)
INSTALL_HINT = (
    "No Chromium-based browser was found to print the PDF (the HTML was written).\n"
    "Install one, e.g.\n"
    "  Debian/Ubuntu:  sudo apt-get install chromium   (or chromium-browser)\n"
    "  Windows/macOS:  Google Chrome or Microsoft Edge\n"
    "or point LIYANG_IP_CHROMIUM (or --browser) at the executable. Nothing is downloaded at run time."
)

# Cover and layout labels, and the names of the parameters on the cover: report wording, kept in
# liyang_ip/wording/<lang>.yaml (report.labels, report.parameters) with every other sentence.
def report_labels(lang: str, region_set: Any = None) -> tuple[dict[str, str], dict[str, str]]:
    """(cover and layout labels, parameter names) in `lang`, worded for a region set (重点板块 / 重点省份,
    the kicker's parent); default: the default set."""
    from liyang_ip import registry

    try:
        rset = registry.region_set(region_set)
    except (ValueError, OSError):  # a set file gone since the run: the labels of the default set
        rset = registry.region_set(None)
    geo = rset.words(lang)
    return wording.group("report.labels", lang, geo=geo), wording.group("report.parameters", lang, geo=geo)


LABELS = {lang: report_labels(lang)[0] for lang in wording.LANGS}
PARAM_LABELS = {lang: report_labels(lang)[1] for lang in wording.LANGS}
# Parameter values the cover names in words (report.values.<parameter>.<value>), e.g. lang zh → 中文.
VALUE_NAMES = {lang: {k: set(v) for k, v in wording.catalogue(lang)["report"]["values"].items()}
               for lang in wording.LANGS}


class ExportError(RuntimeError):
    """Export failed; the message says which file and why. ``written`` lists what was exported anyway."""

    written: list[Path] = []


class BrowserNotFoundError(ExportError):
    def __init__(self, detail: str = ""):
        super().__init__(INSTALL_HINT + (f"\n({detail})" if detail else ""))


# --------------------------------------------------------------------------------------------------
# Browser


def _windows_candidates() -> list[Path]:
    out = []
    for base in filter(None, (os.environ.get("PROGRAMFILES"), os.environ.get("PROGRAMFILES(X86)"),
                              os.environ.get("LOCALAPPDATA"))):
        out += [Path(base) / "Microsoft/Edge/Application/msedge.exe",
                Path(base) / "Google/Chrome/Application/chrome.exe",
                Path(base) / "Chromium/Application/chrome.exe"]
    return out


def _mac_candidates() -> list[Path]:
    return [Path("/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"),
            Path("/Applications/Chromium.app/Contents/MacOS/Chromium"),
            Path("/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge")]


def _playwright_browser() -> Path | None:
    """Playwright's own Chromium, only when it was installed before (never downloaded here)."""
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            path = Path(p.chromium.executable_path)
    except Exception:  # noqa: BLE001 - no driver, no browser: simply not available
        return None
    return path if path.exists() else None


def find_browser(explicit: str | os.PathLike | None = None, use_playwright: bool = True) -> Path | None:
    """A Chromium-based browser: `explicit`, ``$LIYANG_IP_CHROMIUM``, the system's, Playwright's; or None.

    Searched in order: chromium, chromium-browser, google-chrome(-stable), chrome, microsoft-edge, msedge
    on the PATH; the usual install folders on Windows and macOS; Playwright's browser if installed.
    """
    for given in (explicit, os.environ.get("LIYANG_IP_CHROMIUM")):
        if given:
            p = Path(given).expanduser()
            found = p if p.exists() else (Path(w) if (w := shutil.which(str(given))) else None)
            if found is None:
                raise BrowserNotFoundError(f"browser {given!r} does not exist")
            return found
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome",
                 "microsoft-edge", "microsoft-edge-stable", "msedge"):
        w = shutil.which(name)
        if w:
            return Path(w)
    extra = _windows_candidates() if os.name == "nt" else _mac_candidates() if sys.platform == "darwin" else []
    for p in extra:
        if p.exists():
            return p
    return _playwright_browser() if use_playwright else None


# Every URL that would leave the machine; the report is self-contained, so such requests are aborted.
NETWORK_URL = re.compile(r"^(https?|wss?|ftp)://")


def _pdf_options(footer: str) -> dict:
    """Page.pdf() options of every report PDF: A4, the report's margins, page numbers in the footer,
    outline (bookmarks) and tags (a structured, accessible PDF)."""
    return {"format": "A4", "margin": PDF_MARGIN, "print_background": True, "display_header_footer": True,
            "header_template": "<div></div>", "footer_template": _footer_template(footer), "outline": True,
            "tagged": True}


async def _print_context(browser, timeout_ms: int):
    """The one browser context every PDF of a batch is printed in: JavaScript off (the report has no
    scripts, and nothing from the data may run while printing) and every network request aborted."""
    context = await browser.new_context(java_script_enabled=False)
    context.set_default_timeout(timeout_ms)
    await context.route(NETWORK_URL, lambda route: route.abort())
    return context


async def _print_page(context):
    """A page of `context` showing documents as printed: set once, the setting stays for every file it
    loads (which is then laid out for print media only, not first for the screen)."""
    page = await context.new_page()
    await page.emulate_media(media="print")
    return page


async def _print_on(page, html_path: Path, footer: str) -> bytes:
    """`html_path` printed to A4 PDF bytes on an open page from `_print_page`."""
    await page.goto(Path(html_path).resolve().as_uri(), wait_until="load")
    await page.evaluate("document.fonts.ready.then(() => true)")
    return await page.pdf(**_pdf_options(footer))


async def _reset_page(page) -> bool:
    """Leave whatever `page` was doing (a document that failed half-way); False when it cannot be reused."""
    try:
        await page.goto("about:blank")
    except Exception:  # noqa: BLE001 - the caller replaces the page
        return False
    return True


class ChromiumPrinter:
    """One headless browser (one context, one page) for PDFs printed one after another::

        with ChromiumPrinter() as printer:
            printer.print_pdf(html_file, pdf_file, footer="Liyang · baseline")

    The same settings as :func:`print_pdfs` (which prints a batch several pages at a time).
    """

    def __init__(self, executable: str | os.PathLike | None = None, timeout_ms: int = 120_000):
        self.executable = find_browser(executable)
        if self.executable is None:
            raise BrowserNotFoundError()
        self.timeout_ms = timeout_ms
        self._pw = self._browser = self._page = None

    def __enter__(self) -> ChromiumPrinter:
        from playwright.sync_api import sync_playwright

        self._pw = sync_playwright().start()
        try:
            self._browser = self._pw.chromium.launch(
                executable_path=str(self.executable), args=BROWSER_ARGS, headless=True,
                handle_sigint=False, handle_sigterm=False, handle_sighup=False)
        except Exception as e:
            self._pw.stop()
            raise BrowserNotFoundError(f"{self.executable} could not be started: {e}") from e
        # JavaScript off and no network, as in _print_context.
        context = self._browser.new_context(java_script_enabled=False)
        context.set_default_timeout(self.timeout_ms)
        context.route(NETWORK_URL, lambda route: route.abort())
        self._page = context.new_page()
        self._page.emulate_media(media="print")
        return self

    def __exit__(self, *exc) -> None:
        try:
            if self._browser is not None:
                self._browser.close()
        finally:
            if self._pw is not None:
                self._pw.stop()
            self._browser = self._pw = self._page = None

    def print_pdf(self, html_path: str | Path, pdf_path: str | Path, footer: str = "") -> Path:
        """Print one HTML file to an A4 PDF with page numbers; written atomically."""
        from ..fsutil import atomic_write_bytes

        if self._page is None:
            raise ExportError("ChromiumPrinter must be used inside a `with` block")
        page = self._page
        try:
            page.goto(Path(html_path).resolve().as_uri(), wait_until="load")
            page.evaluate("document.fonts.ready.then(() => true)")
            pdf = page.pdf(**_pdf_options(footer))
        except Exception:
            try:
                page.goto("about:blank")  # the next file starts from a clean page
            except Exception:  # noqa: BLE001 - replaced instead
                self._page = page.context.new_page()
                self._page.emulate_media(media="print")
            raise
        return atomic_write_bytes(pdf_path, pdf)


async def _launch(pw, exe: Path):
    try:
        return await pw.chromium.launch(executable_path=str(exe), args=BROWSER_ARGS, headless=True,
                                        handle_sigint=False, handle_sigterm=False, handle_sighup=False)
    except Exception as e:
        raise BrowserNotFoundError(f"{exe} could not be started: {e}") from e


def print_pdfs(jobs: Sequence[tuple[Path, Path, str]], executable: str | os.PathLike | None = None,
               concurrency: int | None = None, timeout_ms: int = 120_000) -> tuple[list[Path], list[str]]:
    """Print several HTML files to A4 PDFs in ONE headless browser, `concurrency` pages at a time.

    One browser context (JavaScript off, network aborted) with `concurrency` pages that stay open and
    take the next file from a queue, the largest file first: opening a page costs about 0.7 s (a new
    renderer), more than printing a small file. A file that fails is reported and its page goes on with
    the next file (a page that cannot be reset is replaced). See `PdfPrinter` to start the browser
    before the HTML is ready.

    Parameters
    ----------
    jobs : (html_path, pdf_path, footer label) per file.
    concurrency : pages printed at the same time (default: the number of CPUs, 2–4).

    Returns
    -------
    (written, errors)
        The PDFs written (atomically), in the order of `jobs`, and one message per file that failed
        (the others still print).

    Raises
    ------
    BrowserNotFoundError
        No browser, or it cannot be started.
    """
    with PdfPrinter(executable, len(jobs), concurrency, timeout_ms) as printer:
        return printer.print(jobs)


class PdfPrinter:
    """A headless browser started in a background thread, so that it gets ready while the HTML is rendered::

        with PdfPrinter(browser, n_files) as printer:   # returns at once; the browser starts meanwhile
            ...render and write the HTML...
            written, errors = printer.print(jobs)        # waits for the browser, then prints

    Starting costs about 3 s of wall time (Playwright's driver, the browser, one page per worker), mostly
    in other processes. The thread has its own event loop, so this also works from inside a running
    one (a Jupyter kernel). Settings as `print_pdfs`.

    Raises
    ------
    BrowserNotFoundError
        At once when no browser is found; from `print` when it cannot be started.
    """

    def __init__(self, executable: str | os.PathLike | None = None, n_files: int = 1,
                 concurrency: int | None = None, timeout_ms: int = 120_000):
        exe = find_browser(executable)
        if exe is None:
            raise BrowserNotFoundError()
        if concurrency is None:
            concurrency = max(2, min(4, os.cpu_count() or 2))
        self.n_pages = max(1, min(int(concurrency), int(n_files)))
        self.timeout_ms = timeout_ms
        self._pw = self._browser = self._context = None
        self._pages: list = []
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="liyang-ip-pdf", daemon=True)
        self._thread.start()
        self._ready = asyncio.run_coroutine_threadsafe(self._start(exe), self._loop)

    def __enter__(self) -> PdfPrinter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    async def _start(self, exe: Path) -> None:
        from playwright.async_api import async_playwright

        self._pw = await async_playwright().start()
        self._browser = await _launch(self._pw, exe)
        self._context = await _print_context(self._browser, self.timeout_ms)
        self._pages = list(await asyncio.gather(*(_print_page(self._context) for _ in range(self.n_pages))))

    def print(self, jobs: Sequence[tuple[Path, Path, str]]) -> tuple[list[Path], list[str]]:
        """Print `jobs` ((html, pdf, footer) each); returns (PDFs written in the order of `jobs`, errors)."""
        self._ready.result()
        return asyncio.run_coroutine_threadsafe(self._print(jobs), self._loop).result()

    async def _print(self, jobs) -> tuple[list[Path], list[str]]:
        from collections import deque

        from ..fsutil import atomic_write_bytes

        jobs = [(Path(h), Path(p), f) for h, p, f in jobs]
        # Largest first: the long prints start early and the small ones fill in at the end.
        queue = deque(sorted(jobs, key=lambda job: -_size(job[0])))
        written: list[Path] = []
        errors: list[str] = []

        async def worker(i: int) -> None:
            while queue:
                html_path, pdf_path, footer = queue.popleft()
                try:
                    if self._pages[i] is None:
                        self._pages[i] = await _print_page(self._context)
                    pdf = await _print_on(self._pages[i], html_path, footer)
                    written.append(atomic_write_bytes(pdf_path, pdf))
                except Exception as e:  # noqa: BLE001 - reported, the other PDFs still print
                    errors.append(f"{pdf_path}: printing failed: {e}")
                    if self._pages[i] is not None and not await _reset_page(self._pages[i]):
                        await _close_quietly(self._pages[i])
                        self._pages[i] = None

        await asyncio.gather(*(worker(i) for i in range(len(self._pages))))
        order = {p: i for i, (_, p, _) in enumerate(jobs)}
        written.sort(key=lambda p: order.get(p, len(order)))
        return written, errors

    async def _stop(self) -> None:
        try:
            if self._browser is not None:
                await self._browser.close()
        finally:
            if self._pw is not None:
                await self._pw.stop()

    def close(self) -> None:
        """Close the browser and end the thread (also after a failed start)."""
        if self._loop.is_closed():
            return
        try:
            try:
                self._ready.result()
            except BaseException:  # noqa: BLE001 - raised by print(); whatever started is stopped below
                pass
            try:
                asyncio.run_coroutine_threadsafe(self._stop(), self._loop).result()
            except Exception:  # noqa: BLE001 - a browser that died is closed; the PDFs are written already
                pass
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join()
            self._loop.close()


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


async def _close_quietly(page) -> None:
    try:
        await page.close()
    except Exception:  # noqa: BLE001 - a page that is gone is closed
        pass


def _footer_template(label: str = "") -> str:
    """Page numbers for Chromium's footer.

    The footer is rendered as a separate little document that cannot use the report's embedded
    font; Chinese in it would be printed as unnamed Type 3 glyphs from the system font, so it holds
    only digits (plus `label` when that is plain ASCII).
    """
    label = html_lib.escape(label) if label.isascii() else ""
    return ('<div style="font-size:8pt; width:100%; margin:0 17mm; color:#666; display:flex; '
            'justify-content:space-between; font-family:\'DejaVu Sans\', Arial, sans-serif">'
            f'<span>{label}</span><span><span class="pageNumber"></span> / <span class="totalPages"></span>'
            "</span></div>")


# --------------------------------------------------------------------------------------------------
# Notebook → report HTML


@dataclass
class Doc:
    """One report document: a notebook (or several, combined) plus its cover."""

    nb: Any
    cover: dict
    footer: str
    out_stem: Path  # path without suffix
    sources: list[Path] = field(default_factory=list)
    # Files whose change makes the export stale (default: the sources). For a combined report also
    # the block's failed notebooks, so that a chapter that has since failed disappears from it.
    deps: list[Path] | None = None

    @property
    def inputs(self) -> list[Path]:
        return [p for p in (self.deps if self.deps is not None else self.sources) if p.exists()]


def _first_heading(nb, level: int = 1) -> str | None:
    pat = re.compile(rf"^{'#' * level}\s+(.+?)\s*#*\s*$", re.MULTILINE)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            m = pat.search(cell.source)
            if m:
                return re.sub(r"[*_`]", "", m.group(1)).strip()
    return None


def effective_parameters(nb) -> dict:
    """Defaults of the parameters cell overridden by what papermill injected."""
    injected = nb.metadata.get("papermill", {}).get("parameters", {}) or {}
    return {**parameter_defaults(nb), **injected}


def _data_status_line(nb) -> str | None:
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            texts = [out.get("text", "")] if out.get("output_type") == "stream" else [
                str(out.get("data", {}).get(k, "")) for k in ("text/markdown", "text/plain")]
            for text in texts:
                for line in str(text).splitlines():
                    m = DATA_STATUS_RE.search(re.sub(r"<[^>]+>|[*_]", "", line))
                    if m:
                        return m.group(2).strip()
    return None


def _fmt_value(v: Any, lab: dict) -> str:
    if v is None:
        return lab["default"]
    if isinstance(v, list | tuple):
        return "、".join(map(str, v)) if v else lab["default"]
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def _declared_region_set(dataset: str) -> Any:
    """The main region set a dataset declares (None → the default set when it cannot be read)."""
    try:
        from liyang_ip.data.build import declared_region_sets

        return declared_region_sets(dataset)[0]
    except Exception:  # noqa: BLE001 - the cover then uses the default set's words
        return None


def _region_en(name: Any) -> str:
    """A region's English name from the registry (the name as given when it has none)."""
    from .. import registry

    r = registry.all_regions().get(str(name))
    return r.name_en if r is not None and r.name_en else str(name)


def _key_words(name: str, key: Any, lang: str) -> str:
    """A key of a mapping parameter in words: evaluation thresholds by their status (超额完成 …), per-indicator
    values (gap_share) by the indicator's name; other keys as given."""
    from .. import registry

    if name == "status_thresholds":
        try:
            return wording.text(f"evaluation.status.final.{key}", lang)
        except wording.WordingError:
            return str(key)
    if str(key) in registry.indicators():
        return registry.label(str(key), lang)
    return str(key)


def _param_value(name: str, v: Any, lang: str) -> str:
    """A parameter's value as the cover shows it: projection methods, the language and the bundled
    datasets by their names in `lang` (wording ``report.values``), anything else as given."""
    lab = LABELS[lang]
    if isinstance(v, bool):
        return lab["yes"] if v else lab["no"]
    if name in ("focus", "peers") and lang == "en" and v:
        v = [_region_en(x) for x in v] if isinstance(v, list | tuple) else _region_en(v)
        return ", ".join(v) if isinstance(v, list) else v
    if isinstance(v, dict) and v:
        return ("、" if lang == "zh" else ", ").join(
            f"{_key_words(name, k, lang)} {_fmt_value(x, lab)}" for k, x in v.items())
    if name == "methods" and isinstance(v, list | tuple) and v:
        from ..charts.tables import method_label

        return ("、" if lang == "zh" else ", ").join(method_label(m, lang) for m in v)
    if isinstance(v, str) and name in VALUE_NAMES[lang] and v in VALUE_NAMES[lang][name]:
        return wording.text(f"report.values.{name}.{v}", lang)
    return _fmt_value(v, lab)


def cover_info(nb, *, entry: dict | None = None, manifest: dict | None = None, title: str | None = None,
               status_failed: bool = False) -> dict:
    """Everything the cover shows, from the notebook's parameters/outputs and the run's manifest."""
    params = effective_parameters(nb)
    lang = normalise_lang(params.get("lang", "zh"))
    dataset = str(params.get("dataset", "demo"))
    ds = ((manifest or {}).get("datasets") or {}).get(dataset, {}) or {}
    lab, names = report_labels(lang, ds.get("region_set") or _declared_region_set(dataset))
    line = _data_status_line(nb)
    if line:
        # The dataset's name is a code span in the notebook's line; the cover names it as its parameter table does.
        line = re.sub(r"`([^`]+)`", lambda m: _param_value("dataset", m.group(1), lang), line)
    status = ds.get("status") or line
    is_demo = ds.get("is_demo")
    if is_demo is None:
        # The notebook's own status line wins over guessing from the dataset's name.
        is_demo = ("演示" in line or "demo" in line.lower()) if line else dataset == "demo"
    if not status:
        status = lab["demo_note"] if is_demo else lab["unknown"]
    coverage = ds.get("coverage")
    years = ds.get("years")
    pm = nb.metadata.get("papermill", {})
    when = (entry or {}).get("finished") or pm.get("end_time") or date.today().isoformat()
    rows = [(names.get(k, k), _param_value(k, v, lang)) for k, v in params.items()]
    status = one_language(status, lang)  # a dataset's status label is stored in both languages
    return {
        "lang": lang,
        "labels": lab,
        "title": one_language(title or nb.metadata.get("title") or _first_heading(nb) or lab["report"], lang),
        "focus": _param_value("focus", params.get("focus", ""), lang) if params.get("focus") else "",
        "status": status,
        "status_line": line if line and one_language(line, lang) != status else None,
        "is_demo": bool(is_demo),
        "coverage": f"{coverage:.0%}" if isinstance(coverage, int | float) else None,
        "years": f"{years[0]}–{years[1]}" if years else None,
        "date": str(when)[:10],
        "params": rows,
        "notebook": (entry or {}).get("notebook") or pm.get("input_path", ""),
        "version": (manifest or {}).get("version"),
        "fingerprint": ((entry or {}).get("data_fingerprint") or ds.get("fingerprint") or "")[:12] or None,
        "failed": status_failed,
        "warnings": list((entry or {}).get("warnings") or []),
        "toc": None,
    }


def prepare_notebook(nb, lang: str = "zh", numbers: str = "plain", svgs: list[str] | None = None):
    """A copy fit for a report: one language (headings, captions and explanatory cells, see
    :mod:`.language`), its {{ geo.… }} words those of the dataset's region set (a run fills them already;
    a notebook run another way gets them here, :mod:`.geography`), no stderr, short errors, empty code
    cells dropped, figures/tables numbered.

    ``numbers='tokens'`` writes each figure and table number as a token that `_number` replaces later
    (the combined report numbers on across chapters without rendering them again).

    With a list `svgs`, each SVG figure is appended to it and its output holds `_svg_token` instead
    (see `_render_page`).
    """
    from .geography import PLACEHOLDER, dataset_region_set, fill_notebook

    nb = localize_notebook(nb, lang)
    texts = [c.get("source", "") for c in nb.cells if c.get("cell_type") == "markdown"]
    texts += [str((c.get("metadata") or {}).get("caption") or "") for c in nb.cells]
    if any(PLACEHOLDER.search("".join(t) if isinstance(t, list) else str(t)) for t in texts):
        params = effective_parameters(nb)
        nb = fill_notebook(nb, params.get("region_set") or dataset_region_set(params.get("dataset")), lang)
    lab = LABELS.get(lang, LABELS["zh"])

    def num(kind: str, n: int) -> str:
        return f"{_NUM_OPEN}{kind}{n}{_NUM_CLOSE}" if numbers == "tokens" else str(n)

    fig = tab = 0
    cells = []
    for cell in nb.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & REMOVE_TAGS:
            continue
        if cell.cell_type == "code":
            outputs = []
            for out in cell.get("outputs", []):
                kind = out.get("output_type")
                if kind == "stream" and out.get("name") == "stderr":
                    continue
                if kind == "error":
                    # A traceback shows source code; the report states only what went wrong.
                    out = copy.deepcopy(out)
                    out["traceback"] = [f"{out.get('ename', 'Error')}: {out.get('evalue', '')}"]
                if kind in ("display_data", "execute_result"):
                    data = out.get("data", {})
                    if WIDGET_MIME in data:
                        continue  # an interactive widget has nothing to show on paper
                    if "image/svg+xml" in data:
                        out = copy.deepcopy(out)
                        data = out["data"]
                        data["image/svg+xml"] = svg_for_inline(data["image/svg+xml"])
                        if svgs is not None:
                            svgs.append(data["image/svg+xml"])
                            data["image/svg+xml"] = _svg_token(len(svgs) - 1)
                    if "text/markdown" in data:
                        # Prose made from numbers and names: raw HTML in it (a source title with a
                        # <script> tag) is shown as text, not passed through by the Markdown renderer.
                        out = copy.deepcopy(out)
                        data = out["data"]
                        data["text/markdown"] = _markdown_text_only(data["text/markdown"])
                    caption = cell.get("metadata", {}).get("caption") or out.get("metadata", {}).get("caption")
                    tag = None
                    if any(k in data for k in ("image/png", "image/jpeg", "image/svg+xml")):
                        fig += 1
                        tag = {"kind": "figure", "label": f"{lab['figure']} {num('F', fig)}",
                               "id": f"fig-{num('F', fig)}"}
                    elif "<table" in str(data.get("text/html", "")).lower():
                        tab += 1
                        tag = {"kind": "table", "label": f"{lab['table']} {num('T', tab)}",
                               "id": f"tab-{num('T', tab)}"}
                    if tag:
                        out = copy.deepcopy(out)
                        out.setdefault("metadata", {})["liyang_ip"] = {**tag, "caption": caption or ""}
                outputs.append(out)
            if not outputs:
                continue
            cell["outputs"] = outputs
        cells.append(cell)
    nb.cells = cells
    return nb


_SVG_PROLOG = re.compile(r"<\?xml[^>]*\?>|<!DOCTYPE[^>]*>|<metadata>.*?</metadata>", re.DOTALL | re.IGNORECASE)


def svg_for_inline(svg: Any) -> str:
    """An SVG document as markup to put inside the HTML page: XML prolog, DOCTYPE and metadata removed.

    Inline (not as an ``<img>``) so that its text, kept as text by the charts, is drawn with the page's
    embedded CJK font (the report CSS sets it) and stays selectable in the PDF.
    """
    svg = "".join(svg) if isinstance(svg, list) else str(svg)
    return _SVG_PROLOG.sub("", svg).strip()


def _markdown_text_only(text: Any) -> str:
    r"""Markdown with every ``<`` written as ``&lt;``: tags in it are shown as text, Markdown still works.
    A ``<`` the prose already escaped (``\<``, see wording.format.md_escape) is left as it is: it is text."""
    text = "".join(text) if isinstance(text, list) else str(text)
    return re.sub(r"(?<!\\)<", "&lt;", text)


def combine_notebooks(nbs: Sequence[tuple[str, Any]]):
    """One notebook from several: each starts a new page with an anchor ``ch-N`` for the contents."""
    import nbformat

    out = nbformat.v4.new_notebook()
    out.metadata = copy.deepcopy(nbs[0][1].metadata) if nbs else {}
    for i, (_title, nb) in enumerate(nbs, 1):
        marker = nbformat.v4.new_markdown_cell(f'<div class="liy-chapter" id="ch-{i}"></div>')
        marker.metadata["tags"] = ["liy-chapter-start"]
        out.cells.append(marker)
        out.cells.extend(copy.deepcopy(nb.cells))
    return out


_EXPORTER: Any = None
# nbconvert's exporter registers per-call filters on its (shared) Jinja environment: one call at a time.
_EXPORTER_LOCK = threading.Lock()


def _exporter():
    """The process's one HTMLExporter with the report template.

    Built once: building one compiles the template's Jinja files again (about 0.3 s a page). Reusing it
    across `from_notebook_node` calls is what nbconvert's own batch conversion does (`NbConvertApp`
    converts every notebook with one exporter); the per-call state (`resources`, the ``highlight_code``
    and ``filter_data_type`` filters) is set afresh by every call. Use under `_EXPORTER_LOCK`.
    """
    global _EXPORTER
    if _EXPORTER is None:
        from nbconvert import HTMLExporter

        exp = HTMLExporter(template_name=TEMPLATE_NAME, extra_template_basedirs=[str(TEMPLATES_DIR)])
        exp.exclude_input = True
        exp.exclude_input_prompt = True
        exp.exclude_output_prompt = True
        _EXPORTER = exp
    return _EXPORTER


# Figure/table numbers are written as tokens while rendering (private-use characters, never in text).
_NUM_OPEN, _NUM_CLOSE = "\ue000", "\ue001"
_NUM_TOKEN = re.compile(f"{_NUM_OPEN}([FT])(\\d+){_NUM_CLOSE}")
_CELLS_START, _CELLS_END = "<!--liyang-ip:cells-->", "<!--liyang-ip:cells-end-->"


# Stands for an SVG figure while nbconvert renders the page (unguessable: no text in a page imitates it).
_SVG_KEY = f"liyang-ip-svg-{uuid.uuid4().hex}-"
_SVG_TOKEN = re.compile(re.escape(_SVG_KEY) + r"(\d+)\.")


def _svg_token(i: int) -> str:
    return f"{_SVG_KEY}{i}."


def _render_page(doc: Doc, nb=None, numbers: str = "plain") -> str:
    """nbconvert's page for `doc` (or for `nb` with doc's cover), not yet made inert.

    The SVG figures go into the page after nbconvert: its HTML exporter parses and re-writes every
    page with BeautifulSoup (to add ``alt`` and ``tabindex`` to img and output elements), which costs
    about 0.25 s for each page's charts, whose SVG elements it leaves as they were apart from
    spelling (lower-case names, ``<path/>`` as ``<path></path>``). The page is made inert afterwards
    with the figures in it (`inert_html`).
    """
    lang = doc.cover.get("lang", "zh")
    svgs: list[str] = []
    nb = prepare_notebook(doc.nb if nb is None else nb, lang, numbers, svgs=svgs)
    nb.metadata["title"] = f"{doc.cover.get('focus', '')} · {doc.cover['title']}".strip(" ·")
    resources = {"liyang": doc.cover, "language_code": "zh-CN" if lang == "zh" else "en",
                 "metadata": {"name": doc.out_stem.name}}
    with _EXPORTER_LOCK:
        body, _ = _exporter().from_notebook_node(nb, resources=resources)
    return _SVG_TOKEN.sub(lambda m: svgs[int(m.group(1))], body) if svgs else body


def _number(page: str, offsets: dict[str, int] | None = None) -> tuple[str, dict[str, int]]:
    """Replace the number tokens (shifted by `offsets`); returns the page and the last numbers used."""
    offsets = dict(offsets or {"F": 0, "T": 0})
    last = dict(offsets)

    def sub(m: re.Match) -> str:
        n = int(m.group(2)) + offsets[m.group(1)]
        last[m.group(1)] = max(last[m.group(1)], n)
        return str(n)

    return _NUM_TOKEN.sub(sub, page), last


def render_html(doc: Doc) -> str:
    """The report HTML of one document, with a placeholder where the fonts go (see `embed_fonts`)."""
    # Whatever a dataset's strings hold, nothing in the page may run (see .sanitize).
    return inert_html(_render_page(doc))


def render_pages(todo: Sequence[Doc], chapters_of: dict[int, list[Doc]],
                 errors: list[str] | None = None) -> dict[int, str]:
    """Report HTML of every document in `todo`, each notebook rendered by nbconvert once.

    A combined report (``chapters_of[id(doc)]``: the single documents of its chapters) is its cover
    and contents rendered alone, with the chapters' cells taken from the pages of the single
    documents; figures and tables are numbered on across chapters. Returns ``{id(doc): page}``;
    a document whose rendering fails is missing, with a message in `errors`.
    """
    import nbformat

    inert: dict[int, str] = {}

    def page_of(doc: Doc) -> str:
        # Made inert once, numbers still as tokens: the combined report takes its chapters from here.
        if id(doc) not in inert:
            inert[id(doc)] = inert_html(_render_page(doc, numbers="tokens"))
        return inert[id(doc)]

    def combined(doc: Doc, chapters: list[Doc]) -> str:
        shell = nbformat.v4.new_notebook()
        shell.metadata = copy.deepcopy(chapters[0].nb.metadata)
        page = inert_html(_render_page(doc, nb=shell))
        parts, offsets = [], {"F": 0, "T": 0}
        for i, ch in enumerate(chapters, 1):
            single = page_of(ch)
            cells = single[single.index(_CELLS_START) + len(_CELLS_START):single.rindex(_CELLS_END)]
            cells, offsets = _number(cells, offsets)
            parts.append(f'<div class="jp-Cell jp-MarkdownCell jp-Notebook-cell"><div class="liy-chapter" '
                         f'id="ch-{i}"></div></div>\n{cells}')
        start = page.index(_CELLS_START) + len(_CELLS_START)
        return page[:start] + "\n".join(parts) + page[start:]

    out: dict[int, str] = {}
    for doc in todo:
        chapters = chapters_of.get(id(doc))
        try:
            # Every part is inert already: inert_html writes only complete tags with quoted, escaped
            # attributes, safe comments and text with "<" escaped, so joining parts opens nothing; the
            # numbers put in for the tokens are digits.
            out[id(doc)] = combined(doc, chapters) if chapters else _number(page_of(doc))[0]
        except Exception as e:  # noqa: BLE001 - one broken notebook must not stop the batch
            if errors is None:
                raise
            errors.append(f"{', '.join(map(str, doc.sources))}: HTML export failed: {type(e).__name__}: {e}")
    return out


def embed_fonts(htmls: Iterable[str]) -> list[str]:
    """Replace the font placeholder of each page by one CJK font subset covering all of them.

    Regular and bold faces both get every character: any text drawn in a weight the embedded font
    lacks would be synthesised by Chromium and printed as unnamed Type 3 glyphs.
    """
    htmls = list(htmls)
    text = "".join(htmls)
    css = embedded_font_css(text, text)
    rule = f'<style type="text/css">\n{css}\n</style>' if css else ""
    return [h.replace(FONTS_PLACEHOLDER, rule, 1) for h in htmls]


# --------------------------------------------------------------------------------------------------
# Runs


def _read_nb(path: Path):
    import nbformat

    try:
        return nbformat.read(str(path), as_version=4)
    except Exception as e:  # noqa: BLE001 - say which file is broken
        raise ExportError(f"{path}: not a readable notebook ({e})") from e


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def _find_manifest(nb_path: Path) -> tuple[Path | None, dict | None, dict | None]:
    """(run_dir, manifest, entry) of the run an executed notebook belongs to, if any."""
    from .runner import MANIFEST, read_manifest

    for run_dir in (nb_path.parent.parent, nb_path.parent):
        if (run_dir / MANIFEST).exists():
            manifest = read_manifest(run_dir)
            rel = nb_path.resolve().relative_to(run_dir.resolve()).as_posix()
            for entry in manifest.get("notebooks", {}).values():
                if isinstance(entry, dict) and entry.get("output") == rel:
                    return run_dir, manifest, entry
            return run_dir, manifest, None
    return None, None, None


def _run_notebooks(run_dir: Path) -> list[Path]:
    """Executed notebooks in a run directory (hidden temporaries and checkpoints left out)."""
    return sorted(p for p in run_dir.rglob("*.ipynb")
                  if not any(part.startswith(".") for part in p.relative_to(run_dir).parts))


def _failed_in_metadata(nb) -> bool:
    return bool(nb.metadata.get("papermill", {}).get("exception"))


def collect_docs(path: Path, combined: bool = True, problems: list[str] | None = None,
                 notes: list[str] | None = None) -> list[Doc]:
    """Documents to export for a run directory (successful notebooks + one combined report per block)
    or for a single executed notebook.

    Nothing is skipped silently: a notebook the manifest says succeeded but whose file is missing (or
    whose path leaves the run directory) is added to `problems`; an executed notebook in the run
    directory that the manifest does not list is exported from its file and named in `notes`.
    """
    from .runner import MANIFEST, MANIFEST_JOURNAL, read_manifest

    path = Path(path)
    problems = problems if problems is not None else []
    notes = notes if notes is not None else []
    if path.is_file():
        _, manifest, entry = _find_manifest(path)
        nb = _read_nb(path)
        failed = bool(entry and entry.get("status") != "ok") or _failed_in_metadata(nb)
        cover = cover_info(nb, entry=entry, manifest=manifest, status_failed=failed)
        return [Doc(nb, cover, f"{cover['focus']} · {cover['title']}", path.with_suffix(""), [path])]

    has_manifest = (path / MANIFEST).exists() or (path / MANIFEST_JOURNAL).exists()
    manifest = read_manifest(path) if has_manifest else None
    groups: dict[Path, list[tuple[Path, dict | None]]] = {}
    failed: dict[Path, list[Path]] = {}
    listed: set[Path] = set()
    if manifest:
        for key, entry in manifest.get("notebooks", {}).items():
            rel = entry.get("output") if isinstance(entry, dict) else None
            nb_path = path / str(rel) if rel else None
            if nb_path is None or not _inside(nb_path, path) or nb_path.suffix != ".ipynb":
                problems.append(f"{path / MANIFEST}: entry {key!r}: output {rel!r} is not a notebook inside "
                                f"{path}; not exported")
                continue
            listed.add(nb_path.resolve())
            if entry.get("status") == "ok" and nb_path.exists():
                groups.setdefault(nb_path.parent, []).append((nb_path, entry))
            elif entry.get("status") == "ok":
                problems.append(f"{nb_path}: the manifest lists it as executed but the file is missing; "
                                "run it again (liyang-ip run … --force)")
            else:
                failed.setdefault(nb_path.parent, []).append(nb_path)
                _remove_stale_exports(nb_path)
    for nb_path in _run_notebooks(path):
        if nb_path.resolve() in listed:
            continue
        if manifest:
            notes.append(f"{nb_path}: not in {path / MANIFEST}; exported from the file")
        groups.setdefault(nb_path.parent, []).append((nb_path, None))
    if not groups:
        raise ExportError(f"{path}: no successfully executed notebooks to export")

    docs = []
    for folder in sorted(groups):
        members = sorted(groups[folder], key=lambda t: t[0].name)
        chapters = []
        for nb_path, entry in members:
            nb = _read_nb(nb_path)
            if entry is None and _failed_in_metadata(nb):
                # Not in the manifest and failed when it ran: exported on its own, marked as partial.
                cover = cover_info(nb, manifest=manifest, status_failed=True)
                docs.append(Doc(nb, cover, f"{cover['focus']} · {cover['title']}", nb_path.with_suffix(""),
                                [nb_path]))
                continue
            cover = cover_info(nb, entry=entry, manifest=manifest)
            docs.append(Doc(nb, cover, f"{cover['focus']} · {cover['title']}", nb_path.with_suffix(""), [nb_path]))
            chapters.append((cover["title"], nb, nb_path, cover))
        if combined and len(chapters) > 1:
            cover = dict(chapters[0][3])
            cover["title"] = cover["labels"]["report"]
            cover["notebook"] = ", ".join(p.stem for _, _, p, _ in chapters)
            cover["warnings"] = list(dict.fromkeys(w for *_, c in chapters for w in c.get("warnings", [])))
            cover["toc"] = [{"id": f"ch-{i}", "title": t, "sections": _sections(localize_notebook(nb, c["lang"]))}
                            for i, (t, nb, _, c) in enumerate(chapters, 1)]
            nb = combine_notebooks([(t, nb) for t, nb, _, _ in chapters])
            sources = [p for _, _, p, _ in chapters]
            docs.append(Doc(nb, cover, f"{cover['focus']} · {cover['title']}", folder / "report", sources,
                            deps=sources + failed.get(folder, [])))
    return docs


def _remove_stale_exports(nb_path: Path) -> None:
    """A notebook that failed in the latest run must not keep an HTML/PDF from an earlier success."""
    for suffix in (".html", ".pdf"):
        stale = nb_path.with_suffix(suffix)
        if stale.exists() and (not nb_path.exists() or stale.stat().st_mtime < nb_path.stat().st_mtime):
            stale.unlink()


def _sections(nb) -> list[dict]:
    """The ``##`` headings of a notebook (as the report shows it: one language, see `localize_notebook`):
    title and the id nbconvert gives the heading (link target)."""
    out = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for m in re.findall(r"^##\s+(.+?)\s*#*\s*$", cell.source, re.M):
                # The id from the text as Markdown renders it (an underscore inside a word stays).
                out.append({"title": re.sub(r"[*_`]", "", m).strip(),
                            "id": _heading_id(re.sub(r"[*`]", "", m).strip())})
    return out


def _heading_id(title: str) -> str | None:
    """The id nbconvert writes on a heading with this text (None when that cannot be known here)."""
    try:
        from nbconvert.filters.strings import _convert_header_id
    except ImportError:  # pragma: no cover - a future nbconvert: the contents stay, without links
        return None
    return _convert_header_id(title)


def _up_to_date(target: Path, sources: Sequence[Path]) -> bool:
    return target.exists() and all(target.stat().st_mtime >= s.stat().st_mtime for s in sources)


def prepare(browser: str | os.PathLike | None = None, pdf: bool = True) -> PdfPrinter | None:
    """Get an export ready while something else runs (the notebooks of ``run --pdf``): import nbconvert,
    build the report exporter and compile its templates, and start the browser.

    Returns the started `PdfPrinter` to pass to ``export_paths(printer=...)``, which closes it; None when
    no PDF is wanted or no browser exists (`export_paths` then says so itself). Never raises: a warm-up
    that fails leaves the export to do the work as usual.
    """
    try:
        import nbformat

        with _EXPORTER_LOCK:
            _exporter().from_notebook_node(nbformat.v4.new_notebook(), resources={"metadata": {"name": "warm-up"}})
    except Exception:  # noqa: BLE001 - only a warm-up
        pass
    if not pdf:
        return None
    try:
        return PdfPrinter(browser, n_files=os.cpu_count() or 2)
    except Exception:  # noqa: BLE001 - no browser: export_paths reports it with the usual message
        return None


def export_paths(paths: Sequence[str | Path], formats: Sequence[str] = ("html", "pdf"), *, combined: bool = True,
                 force: bool = False, browser: str | os.PathLike | None = None,
                 printer: PdfPrinter | None = None) -> list[Path]:
    """Export run directories and/or executed notebooks; returns the files written.

    HTML is always written first; PDFs are then printed with ONE browser for all files. Raises
    `BrowserNotFoundError` (after writing the HTML) when PDF was asked for and no browser exists.
    `printer`: a browser started beforehand (`prepare`); it is used for the PDFs and closed.
    """
    if _loop_running():
        # Playwright's sync API refuses to run inside an event loop (e.g. a Jupyter kernel).
        return _in_thread(lambda: export_paths(paths, formats, combined=combined, force=force, browser=browser,
                                               printer=printer))
    given = printer
    try:
        return _export_paths(paths, formats, combined, force, browser, given)
    finally:
        if given is not None:
            given.close()  # closing twice is harmless


def _export_paths(paths, formats, combined: bool, force: bool, browser, given: PdfPrinter | None) -> list[Path]:

    from ..fsutil import atomic_write_text

    errors: list[str] = []
    notes: list[str] = []
    docs = [d for p in paths for d in collect_docs(Path(p), combined=combined, problems=errors, notes=notes)]
    for note in notes:
        print(f"liyang-ip export: note: {note}", file=sys.stderr)
    want_html, want_pdf = "html" in formats, "pdf" in formats
    stale_html = {id(d) for d in docs
                  if want_html and (force or not _up_to_date(d.out_stem.with_suffix(".html"), d.inputs))}
    stale_pdf = {id(d) for d in docs
                 if want_pdf and (force or not _up_to_date(d.out_stem.with_suffix(".pdf"), d.inputs))}
    todo = [d for d in docs if id(d) in stale_html | stale_pdf]
    written: list[Path] = []
    printer, no_browser = None, None
    if given is not None and any(id(d) in stale_pdf for d in todo):
        printer = given
    elif any(id(d) in stale_pdf for d in todo):
        try:
            # Started now, so that the browser gets ready while the HTML is rendered.
            printer = PdfPrinter(browser, n_files=sum(id(d) in stale_pdf for d in todo))
        except BrowserNotFoundError as e:
            no_browser = e  # raised once the HTML is written
    try:
        with tempfile.TemporaryDirectory(prefix="liyang-ip-export-") as tmp:
            # HTML that is only the intermediate of a PDF goes to a temporary directory.
            html_of = {id(d): d.out_stem.with_suffix(".html") if want_html else Path(tmp) / f"{i}.html"
                       for i, d in enumerate(todo)}
            # Each notebook is rendered once: a combined report reuses its chapters' single pages.
            single = {d.sources[0].resolve(): d for d in docs if len(d.sources) == 1}
            chapters_of = {id(d): [single[p.resolve()] for p in d.sources] for d in todo
                           if len(d.sources) > 1 and all(p.resolve() in single for p in d.sources)}
            html = render_pages(todo, chapters_of, errors)
            rendered = [(doc, html[id(doc)]) for doc in todo if id(doc) in html]
            pages = embed_fonts(page for _, page in rendered)
            ok_docs = []
            for (doc, _), page in zip(rendered, pages, strict=True):
                path = atomic_write_text(html_of[id(doc)], page)
                ok_docs.append(doc)
                if want_html:
                    written.append(path)
            pdf_docs = [d for d in ok_docs if id(d) in stale_pdf]
            if pdf_docs:
                # One browser for all PDFs, several pages printing at once (the largest first).
                try:
                    if printer is None:
                        raise no_browser or BrowserNotFoundError()
                    pdfs, failed = printer.print([(html_of[id(d)], d.out_stem.with_suffix(".pdf"), d.footer)
                                                  for d in pdf_docs])
                except BrowserNotFoundError:
                    _record_exports(docs, written)  # the HTML files are there
                    raise
                written += pdfs
                errors += failed
    finally:
        if printer is not None:
            printer.close()
    _record_exports(docs, written)
    if errors:
        err = ExportError("\n".join(errors))
        err.written = written
        raise err
    return written


def _record_exports(docs: Sequence[Doc], written: Sequence[Path]) -> None:
    """Note the exported files in the run's manifest (entry["exports"]), under the manifest's lock."""
    from .runner import update_manifest

    by_run: dict[Path, list[tuple[dict, Doc]]] = {}
    for doc in docs:
        if len(doc.sources) != 1:
            continue
        run_dir, _, entry = _find_manifest(doc.sources[0])
        if run_dir is None or entry is None:
            continue
        by_run.setdefault(run_dir, []).append((entry, doc))
    for run_dir, items in by_run.items():
        def change(manifest: dict, run_dir=run_dir, items=items) -> None:
            for entry, doc in items:
                files = {p.suffix.lstrip("."): p.relative_to(run_dir).as_posix() for p in written
                         if p.with_suffix("") == doc.out_stem}
                if not files:
                    continue
                for key, e in manifest["notebooks"].items():
                    if e.get("output") == entry.get("output"):
                        manifest["notebooks"][key] = {**e, "exports": {**(e.get("exports") or {}), **files}}

        update_manifest(run_dir, change)


def _in_thread(fn: Callable[[], Any]) -> Any:
    """`fn()` run in a fresh thread (no event loop there), its result returned or its exception re-raised.

    For Playwright and asyncio.run called from inside a running loop (a Jupyter kernel)."""
    box: dict[str, Any] = {}

    def target():
        try:
            box["out"] = fn()
        except BaseException as e:  # noqa: BLE001 - re-raised in the caller's thread
            box["err"] = e

    t = threading.Thread(target=target)
    t.start()
    t.join()
    if "err" in box:
        raise box["err"]
    return box["out"]


def _loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True
