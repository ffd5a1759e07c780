"""The notebooks' own text says the run's geography: {{ geo.… }} placeholders in Markdown, captions and
titles are filled from the dataset's region set (issue 11); code is never touched."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from liyang_ip import registry
from liyang_ip.report.geography import PLACEHOLDER, fill_notebook, fill_text, region_words

ROOT = Path(__file__).resolve().parents[2]


def _nb():
    nb = nbformat.v4.new_notebook()
    nb.metadata["title"] = "02 {{ geo.unit }}对标"
    md = nbformat.v4.new_markdown_cell("焦点{{ geo.unit }}与{{ geo.average }}的差距；占{{geo.whole}}比重；{{ geo.nope }}")
    code = nbformat.v4.new_code_cell('label = "{{ geo.unit }}"')
    code.metadata["caption"] = "与{{ geo.average }}的相对差距"
    nb.cells = [md, code]
    return nb


def test_fill_text_by_hand():
    words = {"unit": "省份", "average": "全国平均"}
    assert fill_text("其他{{ geo.unit }}平均，{{geo.average}}", words) == "其他省份平均，全国平均"
    assert fill_text("{{ geo.nope }} and {{ other }}", words) == "{{ geo.nope }} and {{ other }}"
    assert fill_text(None, words) is None


@pytest.mark.parametrize("rs, lang, md, caption, title", [
    ("china", "zh", "焦点省份与全国平均的差距；占全国比重；{{ geo.nope }}", "与全国平均的相对差距", "02 省份对标"),
    ("jiangsu", "zh", "焦点设区市与江苏平均的差距；占全省比重；{{ geo.nope }}", "与江苏平均的相对差距", "02 设区市对标"),
    (None, "zh", "焦点板块与常州平均的差距；占全市比重；{{ geo.nope }}", "与常州平均的相对差距", "02 板块对标"),
])
def test_fill_notebook(rs, lang, md, caption, title):
    nb = _nb()
    out = fill_notebook(nb, rs, lang)
    assert out.cells[0].source == md
    assert out.cells[1].metadata["caption"] == caption
    assert out.metadata["title"] == title
    assert out.cells[1].source == 'label = "{{ geo.unit }}"'  # code is not text
    assert nb.cells[0].source.startswith("焦点{{ geo.unit }}")  # the input is not changed


def test_english_words_and_hostile_set_words(tmp_path):
    en = fill_notebook(_nb(), "china", "en")
    assert en.cells[0].source.startswith("焦点province与the national average")
    f = tmp_path / "set.yaml"
    f.write_text("name: h\nunit_word: {zh: '*镇*'}\nregions:\n  - {name: 某县, kind: parent}\n"
                 "  - {name: 甲镇, kind: member}\n", encoding="utf-8")
    out = fill_notebook(_nb(), str(f), "zh")
    assert out.cells[0].source.startswith(r"焦点\*镇\*与")  # Markdown: escaped
    assert out.metadata["title"] == "02 *镇*对标"  # metadata is plain text
    assert region_words(tmp_path / "gone.yaml")["unit"] == "板块"  # unreadable set: the default set's words


def test_every_placeholder_in_the_notebooks_names_a_word():
    known = set(registry.region_set(None).words("zh"))
    used = set()
    for path in sorted((ROOT / "notebooks").glob("*.md")):
        used |= {m.group(1) for m in PLACEHOLDER.finditer(path.read_text(encoding="utf-8"))}
    assert used <= known, sorted(used - known)
