"""The reports speak one language. `liyang-ip run --plan 15` runs every notebook on the demo data, and
the Chinese report has no English; an English run's combined report has no Chinese but names from the data.

One run of the batch notebooks with the 15th-plan preset is exported to HTML; the test
scans the text of every notebook's HTML and of the combined report (scripts, styles and code left out)
for ASCII words and allows only units, codes and names that a Chinese planning document writes in
Latin letters (:data:`ALLOWED`), plus identifiers that are codes by their form: file names, notebook
file stems, the data fingerprint and version numbers. One English run of two notebooks (01, 05: charts,
tables, the patent view with applicants and addresses) is scanned for Chinese the same way
(:func:`chinese_runs`).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

#: Latin words a Chinese planning document may contain: indicator and classification abbreviations (PCT,
#: GDP, R&D, IPC, WO), method names that have no Chinese name in use (GM(1,1) with its C and P, Holt,
#: TOPSIS, MAPE, min-max, z分数, Brier分数, CAGR), the audit the composite follows (JRC, GII), the office
#: programs a table is exported for (Word, Excel, WPS), the tool's own name and the demo source code, GM(1,1)'s
#: development coefficient a, and
#: single capital letters inside names (演示工业园区A区).
ALLOWED = {"PCT", "GDP", "R", "D", "GM", "C", "P", "Holt", "TOPSIS", "MAPE", "min-max", "min", "max", "z", "Brier",
           "CAGR", "IPC", "WO", "JRC", "GII", "Word", "Excel", "WPS", "demo-generator", "liyang-ip", "A", "B", "a"}

#: Identifiers that are codes by their form, not English: file names, notebook stems, hex fingerprints.
CODE_FORMS = (
    re.compile(r"^[\w.\-/]+\.(csv|yaml|yml|xlsx|docx|md|py|json|html|pdf|txt)$"),
    re.compile(r"^\d\d_[a-z_]+$"),
    re.compile(r"^[0-9a-f]{12,64}$"),
)


class _Text(HTMLParser):
    """The visible text of a page: scripts, styles, the title and code spans (identifiers) left out;
    ``chart_parts`` is the part of it drawn in charts (inline SVG), ``page_parts`` the rest."""

    SKIP = ("script", "style", "title", "code")

    def __init__(self):
        super().__init__()
        self.skip, self.svg, self.parts, self.chart_parts, self.page_parts = 0, 0, [], [], []

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skip += 1
        self.svg += tag == "svg"

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skip -= 1
        self.svg -= tag == "svg"

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)
            (self.chart_parts if self.svg else self.page_parts).append(data)


def english_words(html: str) -> dict[str, str]:
    """ASCII words outside the allow-list and the code forms → a bit of their context."""
    p = _Text()
    p.feed(html)
    text = " ".join(p.parts)
    out = {}
    for m in re.finditer(r"[A-Za-z0-9_][A-Za-z0-9_.\-/]*", text):
        token = m.group(0).rstrip(".-/")
        if not re.search(r"[A-Za-z]", token) or any(f.match(token) for f in CODE_FORMS):
            continue
        for w in re.findall(r"[A-Za-z][A-Za-z\-]*", token):
            if w not in ALLOWED and w not in out:
                out[w] = text[max(0, m.start() - 30):m.end() + 30].replace("\n", " ")
    return out


CJK_RUN = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]+")

#: Chinese an English report may show outside the data: the catalogue's English name of 贯标 firms keeps
#: the Chinese term in brackets (registry/indicators.yaml), as planners search for it.
ALLOWED_ZH = {"贯标"}


def chinese_runs(html: str, data: set[str] = frozenset(), chart_allowed: set[str] = frozenset()) -> dict[str, str]:
    """Runs of Chinese characters in a page's visible text → a bit of their context; `data` values (names
    and titles as the data have them, shown as data) and :data:`ALLOWED_ZH` left out; `chart_allowed`
    runs are left out of the text drawn in charts only."""
    p = _Text()
    p.feed(html)
    out = {}
    for parts, allowed in ((p.page_parts, ALLOWED_ZH), (p.chart_parts, ALLOWED_ZH | set(chart_allowed))):
        text = " ".join(parts)
        for value in sorted(data, key=len, reverse=True):
            text = text.replace(value, " ")
        for m in CJK_RUN.finditer(text):
            if m.group(0) not in allowed:
                out.setdefault(m.group(0), text[max(0, m.start() - 40):m.end() + 40].replace("\n", " "))
    return out


def test_chinese_scanner_leaves_out_data_and_finds_labels():
    html = ("<p>Applicant 金坛区演示企业01 at 江苏省常州市演示路5号; firms (贯标)</p><p>Focus: 金坛区</p>"
            "<svg><text>40000</text><text>件</text><text>溧阳市</text></svg><p>Total 件</p>")
    found = chinese_runs(html, data={"金坛区演示企业01", "江苏省常州市演示路5号"}, chart_allowed={"件"})
    assert set(found) == {"金坛区", "溧阳市", "件"}  # a label, a chart's region name, a unit outside a chart
    assert "Focus" in found["金坛区"]
    assert set(chinese_runs(html)) == {"金坛区演示企业", "江苏省常州市演示路", "号", "金坛区", "溧阳市", "件"}


def test_scanner_finds_english_outside_the_allow_list():
    html = ("<style>body{color:red}</style><p>PCT国际专利申请 gap rule 与 GDP</p><script>var x=1</script>"
            "<p>数据指纹 bbd3c2a1a9e8，见 <code>gap_share</code> 与 errors.csv、00_overview；True</p>")
    assert set(english_words(html)) == {"gap", "rule", "True"}


def test_scanner_reads_words_inside_identifiers_that_are_not_codes():
    assert set(english_words("<p>invention_patents_held 2025 demo data</p>")) == {"invention", "patents", "held",
                                                                                  "demo", "data"}


# ------------------------------------------------------------------------------------- the one run
# One test, not several sharing a fixture: under pytest-xdist tests of a module may land on both
# workers, and each would run the whole batch again.
@pytest.mark.notebooks
@pytest.mark.export
def test_plan_15_runs_every_notebook_and_the_chinese_report_has_no_english(tmp_path):
    """All batch notebooks run with the 15th-plan preset on the demo data (2025 figures are 预计); the
    HTML of every chapter and the combined report (cover, headings, captions, tables, notes, prose) is
    Chinese only, units and codes aside; bilingual source text keeps its Chinese side."""
    from liyang_ip.cli import main
    from liyang_ip.report.runner import read_manifest

    assert main(["run", "--plan", "15", "--out", str(tmp_path), "--jobs", "2", "--no-progress"]) == 0
    run = tmp_path / "demo-plan15"
    assert main(["export", str(run), "--to", "html"]) == 0

    entries = read_manifest(run)["notebooks"]
    assert {e["notebook"] for e in entries.values()} >= {"00_overview", "01_baseline", "02_benchmark",
                                                          "03_projection", "05_industries", "06_evaluation"}
    assert all(e["status"] == "ok" for e in entries.values())
    html = (run / "溧阳市" / "report.html").read_text(encoding="utf-8")
    assert "“十四五”终期评估" in html and "“十五五”知识产权发展主要指标" in html and "预计" in html
    assert "“十三五”" not in html

    pages = sorted((run / "溧阳市").glob("*.html"))
    assert {p.stem for p in pages} >= {"report", "00_overview", "01_baseline", "02_benchmark", "03_projection",
                                       "05_industries", "06_evaluation"}
    problems = []
    for page in pages:
        found = english_words(page.read_text(encoding="utf-8"))
        problems += [f"{page.name}: {w}: …{c}…" for w, c in found.items()]
    assert not problems, "English in the zh report:\n" + "\n".join(problems)

    assert "基期总表" in html and "Baseline table" not in html  # a caption, one language
    assert "演示数据（合成数字，非真实统计）" in html and "synthetic" not in html
    assert "组合预测" in html and "ensemble" not in html  # the cover's methods by name, not code


def _data_names(ds, patents_csv) -> set[str]:
    """Names as the data have them, shown as data in a report: the dataset's source titles, the patent
    list's applicants (one cell may name several, separated by ；) and their addresses."""
    import pandas as pd

    names = {str(t) for t in ds.sources["title"] if CJK_RUN.search(str(t))}
    pat = pd.read_csv(patents_csv, dtype=str, encoding="utf-8-sig").fillna("")
    for cell in pat["申请(专利权)人"]:
        names |= {a.strip() for a in re.split(r"[;；]", cell) if a.strip()}
    return names | {a for a in pat["申请人地址"] if a}


@pytest.mark.notebooks
@pytest.mark.export
def test_an_english_run_has_no_chinese_in_its_report_outside_the_data(tmp_path):
    """An English run (lang=en) of 01 (tables, trend charts) and 05 (the patent view: heatmap, applicants,
    addresses): the combined report's text has no Chinese but the data's own names where it shows them
    as data (source titles, applicants, addresses). Region names are not data here: the region set has
    English names, and the report uses them (a Chinese block name is a label left untranslated)."""
    from liyang_ip.cli import main
    from liyang_ip.data import load_dataset
    from liyang_ip.data.build import raw_dir

    assert main(["run", "--focus", "金坛区", "--notebooks", "01,05", "-p", "lang=en", "--out", str(tmp_path),
                 "--run-name", "en", "--jobs", "2", "--no-progress"]) == 0
    run = tmp_path / "en"
    assert main(["export", str(run), "--to", "html"]) == 0
    html = (run / "金坛区" / "report.html").read_text(encoding="utf-8")
    assert "Baseline" in html and "▶ Jintan" in html  # the heatmap's focus row, by its English name

    data = _data_names(load_dataset("demo"), raw_dir("patents_demo") / "patents_demo.csv")
    found = chinese_runs(html, data)
    assert not found, "Chinese in the English report:\n" + "\n".join(f"{k}: …{v}…" for k, v in found.items())
    # The data's names do reach the report, in their own language: applicants of the focus block.
    assert "金坛区演示" in html
