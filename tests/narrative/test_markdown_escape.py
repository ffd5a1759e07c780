"""Names that come from data files (a user's region set, a dataset's name, an unknown indicator code) are
escaped before they go into the Markdown prose: a hostile name renders as the characters typed, never as
a tag, emphasis, link, list or math (issue 12)."""

from __future__ import annotations

import html

import mistune
import pandas as pd
import pytest

from liyang_ip import narrative as nv
from liyang_ip.wording.format import md_escape

HOSTILE = ["<script>alert(1)</script>", "*x*", "[a](javascript:alert(1))", "_y_", "`code`", "$x^2$",
           "<img src=x onerror=alert(2)>", "- 1. # ~~z~~ | &lt;"]


def render(markdown: str) -> str:
    return mistune.create_markdown()(markdown)


def shown_text(page: str) -> str:
    """What a reader sees: the HTML without tags, entities decoded."""
    import re

    return html.unescape(re.sub(r"<[^>]+>", "", page))


@pytest.mark.parametrize("text, escaped", [
    ("溧阳市", "溧阳市"), ("Liyang", "Liyang"), ("GM(1,1)", "GM(1,1)"), ("3-4", "3-4"),
    ("*x*", r"\*x\*"), ("[a](javascript:alert(1))", r"\[a\](javascript:alert(1))"),
    ("<script>", r"\<script\>"), ("a_b", r"a\_b"), ("$x$", r"\$x\$"),
    ("- x", r"\- x"), ("# h", r"\# h"), ("1. x", r"1\. x"), ("12) y", r"12\) y"),
])
def test_md_escape_by_hand(text, escaped):
    assert md_escape(text) == escaped


@pytest.mark.parametrize("name", HOSTILE)
def test_an_escaped_name_renders_as_typed(name):
    page = render(f"- 2020年{md_escape(name)}为5件。")
    for markup in ("<script", "<img", "<em>", "<strong>", "<a ", "<code>", "<del>", "<h1>", "<ol>", "<li><ul>"):
        assert markup not in page, page
    assert shown_text(page).strip() == f"2020年{name}为5件。"


def _user_set(tmp_path, name: str) -> str:
    f = tmp_path / "set.yaml"
    import yaml

    f.write_text(yaml.safe_dump({
        "name": "hostile", "unit_word": {"zh": "镇", "en": "town"},
        "regions": [{"name": "某县", "kind": "parent"}, {"name": name, "kind": "member"},
                    {"name": "乙镇", "kind": "member"}]}, allow_unicode=True), encoding="utf-8")
    return str(f)


@pytest.mark.parametrize("name", HOSTILE[:4])
def test_hostile_region_and_dataset_names_in_prose(tmp_path, name):
    rs = _user_set(tmp_path, name)
    sentences = [
        nv.level_sentence("pct_applications", 2020, name, 30, 1, 2, 20, region_set=rs),
        nv.level_sentence("pct_applications", 2020, name, 30, 1, 2, 20, lang="en", region_set=rs),
        nv.change_sentence("pct_applications", name, 2015, 2020, 10, 30),
        nv.data_status(name, True, None, 3),
        nv.not_projected("pct_applications", name, f"too few years for {name}"),
    ]
    t = pd.DataFrame({"indicator": ["pct_applications"], "share_start": [10.0], "share_end": [12.5]})
    t.attrs["region_set"] = rs
    sentences.append(nv.share_paragraph(t, name, 2015, 2020))
    for s in sentences:
        page = render(nv.bullets([s]))
        assert "<script" not in page and "<em>" not in page and "<a " not in page, page
        assert name in shown_text(page), (s, shown_text(page))


def test_an_unknown_indicator_code_is_escaped_too():
    s = nv.level_sentence("__init__", 2020, "溧阳市", 3.0)
    assert "\\_\\_init\\_\\_" in s and "<strong>" not in render(s)


def test_lines_printed_as_text_are_not_escaped():
    """The status and parameter lines are printed (plain text), not shown as Markdown."""
    from liyang_ip.params import validate_params

    assert nv.status_line("liyang_2024", False) == "数据状态：真实数据 — 数据集 liyang_2024"
    assert "焦点板块：溧阳市" in nv.params_line(validate_params(focus="溧阳市"))


def test_export_keeps_escaped_angle_brackets():
    from liyang_ip.report.export import _markdown_text_only

    md = "甲" + md_escape("<b>x</b>") + "<i>raw</i>"
    page = render(_markdown_text_only(md))
    assert "<b>" not in page and "<i>" not in page
    assert shown_text(page).startswith("甲<b>x</b>")  # the escaped name reads as typed, not as \&lt;


def test_hostile_words_of_a_user_region_set_are_escaped(tmp_path):
    import yaml

    f = tmp_path / "set.yaml"
    f.write_text(yaml.safe_dump({
        "name": "h", "unit_word": {"zh": "*镇*", "en": "<b>town</b>"}, "parent_short": {"zh": "[县](javascript:x)"},
        "regions": [{"name": "某县", "kind": "parent"}, {"name": "甲镇", "kind": "member"},
                    {"name": "乙镇", "kind": "member"}]}, allow_unicode=True), encoding="utf-8")
    s = nv.level_sentence("pct_applications", 2020, "甲镇", 30, 1, 2, 20, region_set=str(f))
    page = render(s)
    assert "<em>" not in page and "<a " not in page
    assert "在两个*镇*中排名第1，比[县](javascript:x)平均高10件" in shown_text(page)
    en = render(nv.level_sentence("pct_applications", 2020, "甲镇", 30, 1, 2, 20, "en", region_set=str(f)))
    assert "<b>" not in en and "<b>town</b>" in shown_text(en)
