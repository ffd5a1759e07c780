"""No report wording hides in Python: string literals with Chinese characters are allowed only where
they are not report sentences (registries, parsing vocabularies, messages to the person running a
command, demo data) and are listed below with the reason. Report sentences and labels belong in
liyang_ip/wording/<lang>.yaml (see docs/ARCHITECTURE.md, "Where report wording goes").

To add a module that needs Chinese literals for another reason, add an `Allow` line: the whole module
(``literals=None``) for a parsing vocabulary or a registry, or the exact literals otherwise. There are no
PENDING entries (report labels waiting to move into the wording files) left; do not add new ones.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "liyang_ip"
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")


@dataclass(frozen=True)
class Allow:
    path: str  # relative to the repository; a folder ("liyang_ip/extract/") covers everything under it
    reason: str
    literals: tuple[str, ...] | None = None  # None: any literal in that module


ALLOW = [
    Allow("liyang_ip/wording/", "the wording package itself (templates are YAML; format.py holds Chinese numerals)"),
    Allow("liyang_ip/registry/", "registries: region names, plan-period labels built from YAML, name parsing"),
    Allow("liyang_ip/extract/", "parsing vocabulary: patterns that find figures in bulletin text; CLI help"),
    # liyang_ip/patents/view.py and charts.py print report sentences and labels: they are scanned (their
    # wording is in the wording files, patents.*), so only the parsing, registry-like and demo modules are listed.
    Allow("liyang_ip/patents/columns.py", "parsing vocabulary: patent-export column aliases (申请号, 申请人, …)"),
    Allow("liyang_ip/patents/parse.py", "parsing vocabulary: patent types, legal-status and date words in cells"),
    Allow("liyang_ip/patents/locate.py", "gazetteer and its location-status vocabulary (STATUS_LABELS)"),
    Allow("liyang_ip/patents/demo.py", "seeded synthetic demo export data"),
    Allow("liyang_ip/patents/importer.py", "registry of CNIPA's high-value criteria (HV_CRITERIA), applicant "
          "separators (；), messages naming export columns"),
    Allow("liyang_ip/patents/charts.py", "the CJK range a source line is tested against (to choose its wrap width)",
          ("\u3400", "\u9fff")),
    Allow("liyang_ip/patents/indicators.py", "registry of patent indicator names (zh, en), like indicators.yaml"),
    Allow("liyang_ip/data/numbers.py", "parsing vocabulary: Chinese number words and units in cells"),
    Allow("liyang_ip/data/readers.py", "parsing vocabulary: yearbook/template header aliases (年, 单位, 来源)"),
    Allow("liyang_ip/data/schema.py", "registry of fields: Chinese column names of the data template"),
    Allow("liyang_ip/data/template.py", "the data-collection template (a form: headers and filling notes)"),
    Allow("liyang_ip/data/demo.py", "seeded synthetic demo data (names, notes of the demo sources)"),
    Allow("liyang_ip/data/national.py", "seeded synthetic national demo panel (its title and source title), the "
          "catalogue's unit names of whole-number counts, a province example in an error message"),
    Allow("liyang_ip/data/clean.py", "parsing vocabulary: unit scales (万, 亿), year suffixes, status words; "
          "messages about them"),
    Allow("liyang_ip/data/build.py", "message to the person running `data build`"),
    Allow("liyang_ip/data/derive.py", "validation message"),
    Allow("liyang_ip/data/spec.py", "message about dataset.yaml"),
    Allow("liyang_ip/data/validate.py", "validation message"),
    Allow("liyang_ip/params.py", "parameter default, examples in error messages, list separators (，、；)"),
    Allow("liyang_ip/cli.py", "file name of the Excel template; command-line help examples (统计年鉴, 溧阳市, 合计/全市, "
          "sheet names) like report/cli.py"),
    Allow("liyang_ip/report/cli.py", "command-line help examples"),
    Allow("liyang_ip/report/export.py", "recognises the status line the notebooks print, and demo status in it",
          (r"^\s*(数据状态|数据|data status|data)\s*[:：]\s*(.+)", "演示", "、")),
    Allow("liyang_ip/report/plan_table.py", "font names of Chinese office machines (仿宋_GB2312, 黑体)",
          ("仿宋_GB2312", "黑体")),
    Allow("liyang_ip/analysis/precision.py", "unit vocabulary for rounding rules (件, 万元, …)"),
    Allow("liyang_ip/charts/base.py", "font probe: characters a CJK font must render, and the CJK range a label "
          "is tested against (chart words are in the wording files: charts.*, tables.*)",
          ("省市区县板块地区平均演示数据件万人发明专利排名", "\u3400", "\u9fff")),
]


def _allowance(rel: str) -> Allow | None:
    for a in ALLOW:
        if rel == a.path or (a.path.endswith("/") and rel.startswith(a.path)):
            return a
    return None


def _cjk_literals(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every string literal with a CJK character, docstrings left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
        and CJK.search(node.value)
    ]


def test_no_chinese_report_wording_in_python():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        allowed = _allowance(rel)
        for line, text in _cjk_literals(path):
            if allowed and (allowed.literals is None or text in allowed.literals):
                continue
            offenders.append(f"{rel}:{line}: {text[:60]!r}")
    assert not offenders, (
        "Chinese string literals outside the wording files (put report sentences and labels in "
        "liyang_ip/wording/zh.yaml and en.yaml, or add an Allow entry with the reason):\n" + "\n".join(offenders)
    )


def test_the_modules_that_print_report_prose_hold_no_chinese_at_all():
    for rel in ("liyang_ip/narrative.py", "liyang_ip/notebook.py"):
        assert _allowance(rel) is None
        assert _cjk_literals(ROOT / rel) == [], rel


def test_allow_list_is_explained_and_not_stale():
    assert [a.path for a in ALLOW if "PENDING" in a.reason] == []  # every report label is in the wording files
    for a in ALLOW:
        assert len(a.reason) > 10, a
        assert (ROOT / a.path).exists(), f"{a.path} no longer exists: drop its Allow entry"


def test_the_scan_finds_a_sentence(tmp_path):
    f = tmp_path / "m.py"
    f.write_text('"""文档字符串不算。"""\nx = f"{1}年溧阳市增长"\ny = "plain"\n', encoding="utf-8")
    assert [t for _, t in _cjk_literals(f)] == ["年溧阳市增长"]
