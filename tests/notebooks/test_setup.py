"""liyang_ip.notebook.setup: the notebooks' one set-up call."""

from __future__ import annotations

import pytest

from liyang_ip.notebook import setup

SMALL = ["invention_patents_per_10k", "pct_applications"]


def test_setup_validates_loads_and_prints_the_status_lines(capsys):
    ctx = setup(focus="金坛", indicators=SMALL, start_year=2016, end_year=2020, style=False)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("数据状态：演示数据")  # the line the report exporter reads for its cover
    assert lines[1].startswith("焦点板块：金坛区；") and "基期2016—2020年" in lines[1]
    assert ctx.p.focus == "金坛区" and ctx.p.indicators == tuple(SMALL) and ctx.p.target_year == 2025
    assert ctx.obs is ctx.ds.observations and ctx.is_demo and ctx.lang == "zh"
    # 常州市 plus the seven blocks, × two indicators, × five years each
    assert len(ctx.coverage) == 8 * 2
    assert set(ctx.coverage["years_total"]) == {5}


def test_setup_quiet_and_english(capsys):
    ctx = setup(focus="Liyang", indicators=SMALL[:1], lang="en", quiet=True, style=False)
    assert capsys.readouterr().out == ""
    assert ctx.status_lines()[0].startswith("Data status: DEMO DATA")
    assert ctx.status_lines()[1].startswith("Focus: Liyang; compared with: Jintan, ")


def test_setup_says_which_parameter_is_wrong():
    with pytest.raises(ValueError, match="valid blocks are"):
        setup(focus="溧水区", style=False, quiet=True)
    with pytest.raises(ValueError, match="target_year 2020 is not after"):
        setup(target_year=2020, style=False, quiet=True)
    with pytest.raises(TypeError, match="fokus"):
        setup(fokus="溧阳市", style=False, quiet=True)
