"""One language per report: bilingual headings, captions and titles cut to the run's language, cells
marked with the other language dropped, in the runner's executed copy and in the exporter's report."""

from __future__ import annotations

import nbformat
import pytest

from liyang_ip.report.language import localize_notebook, normalise_lang, one_language


@pytest.mark.parametrize(
    ("text", "zh", "en"),
    [
        ("基期总表 / Baseline table", "基期总表", "Baseline table"),
        # a colon and commas on the English side; the first " / " with Chinese left of it splits
        ("指标走势：焦点板块、常州市与其他板块 / Trends: focus block, Changzhou and the other blocks",
         "指标走势：焦点板块、常州市与其他板块", "Trends: focus block, Changzhou and the other blocks"),
        ("板块间差距是否缩小 / σ-convergence", "板块间差距是否缩小", "σ-convergence"),
        # the chapter number is written once and belongs to both
        ("06 规划评估与主要指标表 / Plan evaluation and indicator table", "06 规划评估与主要指标表",
         "06 Plan evaluation and indicator table"),
        # a list of Chinese alternatives is not a pair: unchanged in both languages
        ("有望达到 / 存在风险 / 难以达到", "有望达到 / 存在风险 / 难以达到", "有望达到 / 存在风险 / 难以达到"),
        # Chinese on the right: not a pair
        ("PCT / 国际专利", "PCT / 国际专利", "PCT / 国际专利"),
        ("只有中文", "只有中文", "只有中文"),
        ("English only", "English only", "English only"),
        # a slash without spaces is part of a unit
        ("件/万人", "件/万人", "件/万人"),
    ],
)
def test_one_language_of_a_pair(text, zh, en):
    assert one_language(text, "zh") == zh
    assert one_language(text, "en") == en
    # applied twice, nothing more is cut
    assert one_language(one_language(text, "en"), "en") == en
    assert one_language(one_language(text, "zh"), "zh") == zh


def test_language_names():
    assert [normalise_lang(x) for x in ("en", "EN", "en-GB", "zh", "zh-CN", None, "")] == ["en"] * 3 + ["zh"] * 4


def _bilingual_notebook():
    nb = nbformat.v4.new_notebook()
    nb.metadata["title"] = "01 基期回顾 / Baseline"
    nb.cells = [
        nbformat.v4.new_code_cell("lang = 'zh'", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_markdown_cell("# 01 基期回顾 / Baseline"),
        nbformat.v4.new_markdown_cell("焦点板块的水平。", metadata={"lang": "zh"}),
        nbformat.v4.new_markdown_cell("The focus block's levels.", metadata={"lang": "en"}),
        nbformat.v4.new_markdown_cell("## 走势 / Trends\n\n```\n# 注释 / comment\n```\n有望达到 / 存在风险"),
        nbformat.v4.new_code_cell("charts.table(t)", metadata={"caption": "基期总表 / Baseline table"}),
    ]
    return nb


def test_localize_keeps_one_language_and_leaves_code_and_other_text():
    nb = _bilingual_notebook()
    zh = localize_notebook(nb, "zh")
    assert zh.metadata["title"] == "01 基期回顾"
    assert [c.source for c in zh.cells if c.cell_type == "markdown"] == [
        "# 01 基期回顾", "焦点板块的水平。", "## 走势\n\n```\n# 注释 / comment\n```\n有望达到 / 存在风险"]
    assert zh.cells[-1].metadata["caption"] == "基期总表"
    en = localize_notebook(nb, "en")
    assert en.metadata["title"] == "01 Baseline"
    assert [c.source for c in en.cells if c.cell_type == "markdown"][:2] == ["# 01 Baseline", "The focus block's levels."]
    assert en.cells[-1].metadata["caption"] == "Baseline table"
    assert [c.source for c in en.cells if c.cell_type == "code"] == ["lang = 'zh'", "charts.table(t)"]
    assert nb.metadata["title"] == "01 基期回顾 / Baseline" and len(nb.cells) == 6  # input untouched


def test_every_bundled_notebook_has_both_languages_of_each_explanation():
    """Each explanatory cell in one language has its counterpart: as many zh as en cells, in the same
    places, and what is left in a localized copy has no heading in the other language."""
    import re

    from liyang_ip.report.geography import fill_notebook
    from liyang_ip.report.runner import default_notebooks_dir, discover_notebooks, read_notebook

    cjk = re.compile(r"[\u4e00-\u9fff]")
    for path in discover_notebooks(default_notebooks_dir(), None) + discover_notebooks(default_notebooks_dir(), ["04"]):
        nb = read_notebook(path)
        marks = [c.metadata.get("lang") for c in nb.cells if c.cell_type == "markdown" and c.metadata.get("lang")]
        assert marks.count("zh") == marks.count("en") > 0, path.name
        assert all(a != b for a, b in zip(marks[::2], marks[1::2], strict=True)), f"{path.name}: zh/en not in pairs"
        # as a run executes it: one language, then the region set's words for {{ geo.… }} (report.geography)
        en = fill_notebook(localize_notebook(nb, "en"), None, "en")
        for cell in en.cells:
            if cell.cell_type == "markdown":
                headings = [ln for ln in cell.source.splitlines() if ln.startswith("#")]
                assert not any(cjk.search(h) for h in headings), (path.name, headings)
                assert not cjk.search(cell.source), (path.name, cell.source[:80])
            assert not cjk.search(cell.metadata.get("caption", "")), (path.name, cell.metadata.get("caption"))
        assert not cjk.search(en.metadata["title"])
        zh = fill_notebook(localize_notebook(nb, "zh"), None, "zh")
        for cell in zh.cells:
            assert not re.search(r"[A-Za-z]{3,}", cell.metadata.get("caption", "").replace("min-max", "")), \
                (path.name, cell.metadata.get("caption"))
