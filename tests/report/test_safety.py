"""Nothing runs from the data, nothing is lost, no tracebacks: the run/report side of issue 10."""

from __future__ import annotations

import errno
import json
import os
import shutil
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from liyang_ip.cli import main
from liyang_ip.report import export, runner
from liyang_ip.report.sanitize import inert_html

from .conftest import KERNELSPEC, _params_cell, make_ok_notebook

HOSTILE = "<script>document.title='pwned'</script>"
HOSTILE_IMG = '<img src=x onerror="alert(1)">'


# ------------------------------------------------------------------------------------ inert HTML


def test_inert_html_removes_what_could_run_and_keeps_the_rest():
    page = (
        '<!DOCTYPE html><html><head><style>td { color: #333; } /* <b> */</style>'
        '<!--liyang-ip:fonts--><base href="http://evil/"><meta http-equiv="refresh" content="0;url=http://evil">'
        "</head><body><p class=\"a\" onclick=\"x()\">规划 &amp; 目标 &#8212; &lt;i&gt; 1 < 2</p>"
        "<script type='text/javascript'>alert(1)</script><SCRIPT>alert(2)</SCRIPT>"
        '<a href=" jav&#x09;ascript:alert(3)">link</a><a href="#ch-1">目录</a><a href="https://ipo.gov">网址</a>'
        '<img src="data:image/png;base64,iVBO" alt="图 1"><img src="data:text/html,<script>alert(4)</script>">'
        '<iframe srcdoc="<script>alert(5)</script>"><p>inside</p></iframe>'
        '<svg><a xlink:href="javascript:alert(6)">s</a></svg><div style="width:expression(alert(7))">d</div>'
        "</body></html>"
    )
    out = inert_html(page)
    lowered = out.lower()
    for bad in ("<script", "alert(", "onclick", "<iframe", "<base", "http-equiv", "javascript", "expression"):
        assert bad not in lowered, bad
    # Text, entities, CSS, comments and safe links are written back as they were.
    assert "规划 &amp; 目标 &#8212; &lt;i&gt; 1 &lt; 2" in out
    assert "td { color: #333; } /* <b> */" in out and "<!--liyang-ip:fonts-->" in out
    assert '<a href="#ch-1">目录</a>' in out and '<a href="https://ipo.gov">网址</a>' in out
    assert '<img src="data:image/png;base64,iVBO" alt="图 1">' in out
    assert "inside" not in out  # the content of a dropped element goes with it
    assert out.startswith("<!DOCTYPE html>")


def test_inert_html_leaves_a_clean_page_unchanged():
    page = ('<html><head><style>p{margin:0}</style></head><body><h1 id="x">标题</h1>'
            '<table><tr><th>地区</th><td>1,234</td></tr></table><br/><img src="a.png" alt=""></body></html>')
    assert inert_html(page) == page.replace("<br/>", "<br />")


def test_inert_html_drops_comments_a_browser_would_end_early_and_escapes_cdata():
    """Markup hidden in a comment that html.parser reads as one comment but a browser ends earlier
    (``<!-->``, ``<!--->``, ``--!>``, a nested ``<!--``) would run in the browser: such comments go
    whole. CDATA (a bogus comment ending at the first ``>`` outside SVG) becomes escaped text."""
    img = '<img src=x onerror="alert(1)">'
    for hidden in (f"<!--> {img} -->", f"<!---> {img} -->", f"<!-- a --!> {img} -->",
                   f"<!-- <!-- {img} -->", f"<!--{img}-->"):
        assert inert_html(f"<p>a</p>{hidden}<p>b</p>") == "<p>a</p><p>b</p>", hidden
    assert inert_html(f"<p><![CDATA[ x > {img} ]]></p>") == \
        '<p> x &gt; &lt;img src=x onerror="alert(1)"&gt; </p>'
    assert inert_html("<svg><text><![CDATA[1<2 & 3]]></text></svg>") == "<svg><text>1&lt;2 &amp; 3</text></svg>"
    assert inert_html(f"<![if !IE]>{img}<![endif]><p>c</p>") == '<img src="x"><p>c</p>'
    # Ordinary comments (the export's markers among them) stay as they are.
    for kept in ("<!--liyang-ip:cells-->", "<!-- a - b -->", "<!---->", "<!-- 图 1 -->"):
        assert inert_html(f"<p>a</p>{kept}") == f"<p>a</p>{kept}"


def test_inert_html_keeps_large_embedded_images_byte_for_byte():
    import base64

    png = "data:image/png;base64," + base64.b64encode(bytes(range(256)) * 40).decode()
    page = f'<p>liyang-ip-parked-image-0.</p><img src="{png}" alt="图 1" onerror="alert(1)"><script>x</script>'
    out = inert_html(page)
    assert out == f'<p>liyang-ip-parked-image-0.</p><img src="{png}" alt="图 1">'


# ------------------------------------------------------------------------------------ tables


def test_report_tables_show_user_strings_as_text():
    from liyang_ip import charts

    df = pd.DataFrame({"source_id": ["S1", "S2"], "title": [HOSTILE, "统计公报 <b>2020</b>"],
                       "url": ["javascript:alert(1)", "https://example.org/?a=1&b=2"],
                       "value": [1234.5, float("nan")], HOSTILE_IMG: ["x", "y"]})
    html = charts.table(df, "zh").to_html()
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;" in html  # shown as text
    assert "统计公报 &lt;b&gt;2020&lt;/b&gt;" in html
    assert "https://example.org/?a=1&amp;b=2" in html
    assert "1,235" in html and "—" in html  # numbers still formatted (half away from zero), missing a dash


# ------------------------------------------------------------------------------------ hostile run


def _live_parts(page: str) -> list[str]:
    """Script elements, event-handler attributes and javascript: URLs a browser would see in `page`."""
    from html.parser import HTMLParser

    found = []

    class Finder(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag in ("script", "iframe", "object", "embed"):
                found.append(tag)
            for k, v in attrs:
                if k.startswith("on") or "javascript:" in (v or "").replace(" ", "").lower():
                    found.append(f"{tag} {k}={v}")

    Finder().feed(page)
    return found


def _hostile_notebook(path: Path, data_csv: Path) -> Path:
    """Reads source titles from a CSV and shows them in every way the notebooks do."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = KERNELSPEC
    nb.cells = [
        nbformat.v4.new_markdown_cell("# 来源测试"),
        _params_cell(),
        nbformat.v4.new_code_cell(
            "import pandas as pd\nfrom IPython.display import HTML, Markdown, display\nfrom liyang_ip import charts\n"
            f"src = pd.read_csv({str(data_csv)!r}, dtype=str)\n"
            "print('数据状态：真实数据 ' + src.title[0])"),
        nbformat.v4.new_code_cell("display(Markdown('来源：' + src.title[0] + ' ' + src.publisher[0]))"),
        nbformat.v4.new_code_cell("charts.table(src, 'zh')"),
        nbformat.v4.new_code_cell("HTML(src.publisher[0])"),
    ]
    nb.cells[4].metadata["caption"] = "来源 " + HOSTILE
    nbformat.write(nb, str(path))
    return path


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    data = root / "sources.csv"
    pd.DataFrame({"source_id": ["S1"], "title": [f"{HOSTILE}统计公报"], "publisher": [f"{HOSTILE_IMG}统计局"]}).to_csv(
        data, index=False)
    nbs = root / "notebooks"
    nbs.mkdir()
    _hostile_notebook(nbs / "01_sources.ipynb", data)
    out = root / "out"
    old = os.umask(0o022)
    try:
        code = main(["run", "--notebooks-dir", str(nbs), "--out", str(out), "--run-name", "r",
                     "--no-progress", "--focus", "溧阳市", *(["--pdf"] if _browser() else [])])
        if not _browser():
            code = max(code, main(["export", str(out / "r"), "--to", "html"]))
    finally:
        os.umask(old)
    return code, out / "r"


def _browser():
    return export.find_browser(use_playwright=False)


@pytest.mark.notebooks
def test_hostile_source_strings_reach_the_report_only_as_text(hostile_run):
    code, run_dir = hostile_run
    assert code == 0
    page = (run_dir / "溧阳市" / "01_sources.html").read_text(encoding="utf-8")
    assert _live_parts(page) == []
    # The table, the cover's status line, the caption and the alt text show the strings as text.
    # (nbconvert writes the quote as ' or &#39;; both are text.)
    shown = page.replace("&#39;", "'")
    assert shown.count("&lt;script&gt;document.title='pwned'&lt;/script&gt;统计公报") == 3  # status, prose, table
    assert "来源 &lt;script&gt;" in shown  # the caption
    assert shown.count('&lt;img src=x onerror="alert(1)"&gt;统计局') >= 2  # prose, table



@pytest.mark.notebooks
@pytest.mark.export
@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_hostile_source_title_prints_as_text_in_the_pdf(hostile_run):
    if not _browser():
        pytest.skip("no Chromium-based browser installed")
    _, run_dir = hostile_run
    text = subprocess.run(["pdftotext", str(run_dir / "溧阳市" / "01_sources.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "<script>document.title='pwned'</script>统计公报" in text


@pytest.mark.notebooks
def test_reports_get_normal_permissions(hostile_run):
    _, run_dir = hostile_run
    files = [p for p in run_dir.rglob("*") if p.is_file() and not p.name.startswith(".")]
    assert {p.suffix for p in files} >= {".ipynb", ".html", ".json"}
    for p in files:
        assert stat.S_IMODE(p.stat().st_mode) == 0o644, p
    for d in [run_dir, *(p for p in run_dir.rglob("*") if p.is_dir())]:
        assert stat.S_IMODE(d.stat().st_mode) == 0o755, d


# ------------------------------------------------------------------------------------ manifest


def test_concurrent_manifest_updates_lose_nothing(tmp_path):
    """Eight writers that each read, pause and write: without the lock most entries would be lost."""

    def writer(i: int) -> None:
        def change(m):
            time.sleep(0.02)  # a slow writer: others try to write meanwhile
            m["notebooks"][f"b{i}/01"] = {"status": "ok", "output": f"b{i}/01.ipynb"}

        runner.update_manifest(tmp_path, change)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert set(runner.read_manifest(tmp_path)["notebooks"]) == {f"b{i}/01" for i in range(8)}


def test_journal_entries_count_until_compacted_and_a_torn_line_is_ignored(tmp_path):
    runner.update_manifest(tmp_path, lambda m: m["notebooks"].update({"a/01": {"status": "ok"}}))
    before = (tmp_path / "manifest.json").read_text(encoding="utf-8")
    runner.append_journal(tmp_path, "a/01", {"status": "failed"})
    runner.append_journal(tmp_path, "b/01", {"status": "ok"})
    with open(tmp_path / runner.MANIFEST_JOURNAL, "a", encoding="utf-8") as f:
        f.write('{"key": "c/01", "entry": {"sta')  # a crash in the middle of a line
    assert (tmp_path / "manifest.json").read_text(encoding="utf-8") == before  # not rewritten per job
    m = runner.read_manifest(tmp_path)
    assert m["notebooks"] == {"a/01": {"status": "failed"}, "b/01": {"status": "ok"}}
    runner.update_manifest(tmp_path, lambda m: None)
    assert not (tmp_path / runner.MANIFEST_JOURNAL).exists()
    on_disk = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert on_disk["notebooks"] == {"a/01": {"status": "failed"}, "b/01": {"status": "ok"}}


@pytest.mark.notebooks
def test_two_runs_on_one_output_directory_keep_both_blocks(tmp_path):
    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    make_ok_notebook(nbs / "01_ok.ipynb")
    exe = Path(sys.executable).with_name("liyang-ip")
    cmd = [str(exe), "run", "--notebooks-dir", str(nbs), "--out", str(tmp_path / "out"), "--run-name", "r",
           "--no-progress"]
    procs = [subprocess.Popen([*cmd, "--focus", block], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for block in ("溧阳市", "金坛区")]
    for p in procs:
        assert p.wait(timeout=300) == 0, p.stderr.read().decode()
    m = runner.read_manifest(tmp_path / "out" / "r")
    assert set(m["notebooks"]) == {"溧阳市/01_ok", "金坛区/01_ok"}
    assert all(e["status"] == "ok" for e in m["notebooks"].values())
    assert len(m["runs"]) == 2


# ------------------------------------------------------------------------------------ export


def _executed(path: Path, title: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = KERNELSPEC
    nb.metadata["papermill"] = {"parameters": {"focus": "溧阳市"}}
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="结果\n")]
    nb.cells = [nbformat.v4.new_markdown_cell(f"# {title}"), cell]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))
    return path


def test_export_names_every_notebook_it_cannot_take_from_the_manifest(tmp_path, capsys):
    run = tmp_path / "run"
    _executed(run / "溧阳市" / "01_a.ipynb", "甲")
    _executed(run / "溧阳市" / "02_unlisted.ipynb", "未登记")
    manifest = {"notebooks": {
        "溧阳市/01_a": {"output": "溧阳市/01_a.ipynb", "status": "ok"},
        "溧阳市/03_gone": {"output": "溧阳市/03_gone.ipynb", "status": "ok"},
        "x/evil": {"output": "../../../etc/passwd", "status": "ok"},
    }}
    (run / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    code = main(["export", str(run), "--to", "html"])
    err = capsys.readouterr().err
    assert code == 1
    # Not in the manifest: exported from the file, and said so.
    assert (run / "溧阳市" / "02_unlisted.html").exists() and "02_unlisted.ipynb: not in" in err
    assert "未登记" in (run / "溧阳市" / "report.html").read_text(encoding="utf-8")
    # Listed but missing, or pointing outside the run: errors, never silence.
    assert "03_gone.ipynb: the manifest lists it as executed but the file is missing" in err
    assert "'../../../etc/passwd' is not a notebook inside" in err
    assert (run / "溧阳市" / "01_a.html").exists()
    assert "Traceback" not in err


# ------------------------------------------------------------------------------------ no tracebacks


@pytest.mark.parametrize("args, expected", [
    (["-p", "indicators=[a"], "-p 'indicators=[a': the value is not valid YAML"),
    (["--notebooks", "07"], "notebook '07' not found"),
    (["--params", "{grid}"], "is not valid YAML"),
    (["--out", "{file}"], "is a file; give a directory"),
])
def test_bad_run_arguments_give_one_line_and_exit_2(args, expected, notebooks_dir, tmp_path, capsys):
    grid = tmp_path / "grid.yaml"
    grid.write_text("focus: [溧阳市\ntarget_year: 2025\n", encoding="utf-8")
    a_file = tmp_path / "a_file"
    a_file.write_text("x")
    args = [a.format(grid=grid, file=a_file) for a in args]
    out = ["--out", str(tmp_path / "o")] if "--out" not in args else []
    code = main(["run", "--notebooks-dir", str(notebooks_dir), *out, "--no-progress", *args])
    err = capsys.readouterr().err
    assert code == 2
    assert expected in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err


def test_full_disk_during_export_is_one_line(tmp_path, monkeypatch, capsys):
    run = tmp_path / "run"
    _executed(run / "溧阳市" / "01_a.ipynb", "甲")

    def full(path, *a, **k):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr("liyang_ip.fsutil.atomic_write_text", full)
    code = main(["export", str(run), "--to", "html"])
    err = capsys.readouterr().err
    assert code == 1
    assert "No space left on device" in err and "01_a.html" in err and "free some space" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_unexpected_errors_are_one_line_and_debug_shows_the_traceback(monkeypatch, capsys):
    from liyang_ip.report import cli as report_cli

    def broken(args):
        raise KeyError("inner detail")

    monkeypatch.setattr(report_cli, "cmd_export", broken)
    assert main(["export", "somewhere"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "KeyError" in err and "--debug" in err
    with pytest.raises(KeyError, match="inner detail"):
        main(["--debug", "export", "somewhere"])
    with pytest.raises(KeyError):
        main(["export", "somewhere", "--debug"])
