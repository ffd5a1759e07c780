"""The set-up and finish every chart shares (issue 16): charts.base.chart_canvas / finish_chart."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from liyang_ip.charts import base


def _texts(fig, gid):
    return [t.get_text() for t in fig.texts if t.get_gid() == gid]


def test_finish_chart_names_the_plotted_sources_and_marks_demo_data():
    frame = pd.DataFrame({"value": [1.0], "source_id": ["S9"]})
    sources = pd.DataFrame({"source_id": ["S9"], "title": ["溧阳市统计年鉴2021"], "publisher": ["溧阳市统计局"]})
    with base.chart_canvas(4, 3) as (fig, axes):
        assert axes.shape == (1, 1)
        out = base.finish_chart(fig, frame, sources=sources, lang="zh", demo=True, title="标题")
    assert out is fig
    line = " ".join(_texts(fig, "source-line"))
    assert "溧阳市统计年鉴2021" in line.replace("\n", "")
    assert _texts(fig, "demo-mark") == [base.DEMO_MARK]
    assert fig._suptitle.get_text() == "标题"


def test_a_given_source_line_wins_and_real_data_has_no_demo_mark():
    with base.chart_canvas(4, 3, nrows=2, ncols=2) as (fig, axes):
        assert axes.shape == (2, 2)
        base.finish_chart(fig, pd.DataFrame({"source_id": ["S1"]}), source="资料来源：手工", demo=False)
    assert _texts(fig, "source-line") == ["资料来源：手工"]
    assert _texts(fig, "demo-mark") == []


def test_chart_families_use_the_shared_start_and_finish():
    # No chart family builds its own figure or finishes it by hand any more.
    for name in ("trends", "benchmark", "projection"):
        src = (Path(base.__file__).parent / f"{name}.py").read_text(encoding="utf-8")
        assert not re.search(r"\b_new_figure\(|\b_finish\(|with style\(\)", src), name


def test_dollar_signs_in_names_from_data_stay_text():
    import matplotlib as mpl

    name = "甲$x^2$乙"  # matplotlib's default would typeset $x^2$ as math (and drop the $ in PNG/PDF)
    with mpl.rc_context(base.style_rc()), base.chart_canvas(4, 3) as (fig, axes):
        t = axes[0, 0].set_title(name)
        # How matplotlib will draw it: (text, False) = plain text, (text, "TeX"/True) = math.
        assert t._preprocess_math(t.get_text()) == (name, False)
