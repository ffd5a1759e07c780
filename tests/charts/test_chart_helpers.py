"""The set-up and finish every chart shares (issue 16): charts.base.chart_canvas / finish_chart."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

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


def _trend(obs):
    from liyang_ip import charts

    return charts.trend_small_multiples(obs, demo=True, title="走势")


def test_figure_svg_draws_once_with_the_layout_ipython_would_give(obs_demo):
    import matplotlib as mpl
    from IPython.core.pylabtools import print_figure
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    ours, theirs = _trend(obs_demo), _trend(obs_demo)
    assert ours.get_layout_engine() is not None  # the charts' constrained layout
    draws = []
    draw = ours.draw
    ours.draw = lambda renderer: (draws.append(type(renderer).__name__), draw(renderer))[1]
    svg = base.figure_svg(ours)
    assert len(draws) == 1  # IPython's print_figure draws a constrained figure twice
    with mpl.rc_context(base.SVG_RC):
        print_figure(theirs, "svg", metadata={"Date": None})
    # The same layout: every axes (panels and hidden ones) where print_figure's layout puts it.
    for a, b in zip(ours.axes, theirs.axes, strict=True):
        assert a.get_position().bounds == pytest.approx(b.get_position().bounds, abs=1e-9)
    # At the figure's own size, in pt; text stays text (the title, the demo mark), no date.
    w, h = ours.get_size_inches() * 72
    assert re.search(rf'width="{w:g}pt" height="{h:g}pt"', svg), svg[:400]
    assert ">走势</text>" in svg and f">{base.DEMO_MARK}</text>" in svg
    assert "<dc:date>" not in svg
    # The figure is left as it was: its dpi and its canvas.
    assert ours.dpi == theirs.dpi == 110 and isinstance(ours.canvas, FigureCanvasAgg)
    assert base.figure_svg(_trend(obs_demo)) == svg  # a re-run with the same data gives the same file


def test_figure_svg_leaves_figures_without_layout_to_the_tight_box():
    import matplotlib as mpl
    from IPython.core.pylabtools import print_figure
    from matplotlib.figure import Figure

    fig = Figure(figsize=(3, 2))
    ax = fig.add_subplot()
    ax.set_ylabel("a label that the plain layout would cut off")
    with mpl.rc_context(base.SVG_RC):
        assert base.figure_svg(fig) == print_figure(fig, "svg", metadata={"Date": None})
    assert base.figure_svg(Figure()) is None  # nothing drawn: no blank image


def test_inline_svg_puts_the_one_draw_writer_in_the_notebook():
    from IPython.core.interactiveshell import InteractiveShell
    from matplotlib.figure import Figure

    assert base.inline_svg() is False  # no IPython running
    shell = InteractiveShell.instance()
    try:
        assert base.inline_svg() is True
        formatters = shell.display_formatter.formatters
        assert formatters["image/svg+xml"].lookup_by_type(Figure) is base.figure_svg
        with pytest.raises(KeyError):
            formatters["image/png"].lookup_by_type(Figure)  # vector only
    finally:
        InteractiveShell.clear_instance()


def test_a_fonts_character_map_is_read_once_per_process(monkeypatch):
    # Every chart looks its style up; reading a CJK face's character map took ~8 ms a face, 3 faces a chart.
    reads = []
    read = base._read_covers
    monkeypatch.setattr(base, "_COVERS", {})
    monkeypatch.setattr(base, "_read_covers", lambda path, text: (reads.append(str(path)), read(path, text))[1])
    first = base.find_cjk_fonts()
    n = len(reads)
    assert first and n >= len(first)
    assert base.find_cjk_fonts() == first and base.style_rc()["font.family"][: len(first)] == first
    assert len(reads) == n


def test_fan_chart_names_the_sources_of_its_own_indicator_only(obs_real, sources):
    from liyang_ip import charts

    # The notebook passes every observation; the pct_applications rows come from another publication.
    obs = obs_real.assign(source_id=obs_real["source_id"].where(obs_real["indicator"] != "pct_applications", "other"))
    more = pd.concat([sources, pd.DataFrame({"source_id": ["other"], "title": ["专利统计年报"],
                                              "publisher": ["国家知识产权局"]})])
    proj = pd.DataFrame({"year": [2021, 2022], "method": ["linear"] * 2, "value": [30.0, 31.0]})
    fan = charts.projection_fan(obs, proj, indicator="invention_patents_per_10k", sources=more)
    line = " ".join(_texts(fan, "source-line")).replace("\n", "")
    assert "常州统计年鉴2021" in line and "专利统计年报" not in line
    other = charts.projection_fan(obs, proj, indicator="pct_applications", sources=more)
    line = " ".join(_texts(other, "source-line")).replace("\n", "")
    assert "专利统计年报" in line and "常州统计年鉴2021" not in line
