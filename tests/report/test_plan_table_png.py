"""The README's picture of the plan table comes from scripts/plan_table_png.py (the table's HTML form
printed by headless Chromium); the page it renders is the plan table of the --plan 15 preset."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _script():
    spec = importlib.util.spec_from_file_location("plan_table_png", ROOT / "scripts" / "plan_table_png.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_the_page_is_the_15th_plan_table_and_the_committed_picture_is_a_png():
    page = _script().build_html("15", "溧阳市", 1100)
    assert "溧阳市“十五五”知识产权发展主要指标（演示数据）" in page
    assert '<table class="plan-table">' in page and "<th>2025年基期值</th>" in page and "<th>2030年目标值</th>" in page
    assert page.count("rowspan=") >= 2  # merged 类别 cells
    png = ROOT / "docs" / "img" / "plan_table.png"
    head = png.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
    assert width > 800 and height > 400  # the whole table, cropped to it
    assert "docs/img/plan_table.png" in (ROOT / "README.md").read_text(encoding="utf-8")
