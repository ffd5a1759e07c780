"""Plan periods as data: labels for several parameter sets, presets, target attributes."""

from __future__ import annotations

import pytest

from liyang_ip.registry import plans


def test_registry_lists_the_five_year_plans_in_order_with_five_years_each():
    ps = plans.plans()
    assert [p.name_zh for p in ps.values()] == ["十一五", "十二五", "十三五", "十四五", "十五五"]
    assert all(p.end - p.start == 4 for p in ps.values())
    # consecutive: each plan starts the year after the previous one ends
    years = [(p.start, p.end) for p in ps.values()]
    assert all(b[0] == a[1] + 1 for a, b in zip(years, years[1:], strict=False))
    assert plans.plan(14).years == [2021, 2022, 2023, 2024, 2025] and plans.plan(14).base_year == 2020
    assert plans.plan("十五五").number == 15


@pytest.mark.parametrize(("start", "end", "zh", "en"), [
    (2016, 2020, "十三五", "13th Five-Year Plan"),     # the plan's own years
    (2015, 2020, "十三五", "13th Five-Year Plan"),     # from its base year, the usual 2015→2020
    (2020, 2025, "十四五", "14th Five-Year Plan"),
    (2021, 2025, "十四五", "14th Five-Year Plan"),
    (2025, 2030, "十五五", "15th Five-Year Plan"),
    (2010, 2015, "十二五", "12th Five-Year Plan"),
    (2019, 2023, "基期 2019—2023", "base period 2019–2023"),   # not a plan period: neutral
    (2014, 2020, "基期 2014—2020", "base period 2014–2020"),   # ends with a plan but starts elsewhere
    (2015, 2019, "基期 2015—2019", "base period 2015–2019"),
])
def test_period_labels_follow_the_parameters(start, end, zh, en):
    assert plans.period_label(start, end) == zh
    assert plans.period_label(start, end, "en") == en


def test_no_stale_label_for_a_later_baseline():
    # issue 13: a run with start 2020, end 2025 titled its chapter "十三五"
    assert "十三五" not in plans.period_label(2020, 2025)
    assert "十三五" not in plans.period_phrase(2020, 2025)
    assert plans.period_phrase(2020, 2025) == "“十四五”时期（2021—2025年）"
    assert plans.period_phrase(2015, 2020, "en") == "the 13th Five-Year Plan period (2016–2020)"
    assert plans.period_phrase(2019, 2023) == "2019—2023年"
    assert plans.period_label(2015, 2020, quoted=True) == "“十三五”"
    assert plans.period_label(2019, 2023, quoted=True) == "基期 2019—2023"


def test_target_labels():
    assert plans.target_label(2025) == "“十四五”末（2025年）"
    assert plans.target_label(2030, "en") == "2030 (end of the 15th Five-Year Plan)"
    assert plans.target_label(2027) == "2027年"
    assert plans.plan_containing(2023).number == 14 and plans.plan_containing(1999) is None


def test_presets_take_the_previous_plan_as_baseline():
    assert plans.preset(14) == {"start_year": 2015, "end_year": 2020, "target_year": 2025}
    assert plans.preset("15") == {"start_year": 2020, "end_year": 2025, "target_year": 2030}
    with pytest.raises(ValueError, match="no previous plan"):
        plans.preset(11)
    with pytest.raises(ValueError, match=r"unknown plan 16; .*14 \(十四五 2021–2025\)"):
        plans.preset(16)


def test_target_attributes():
    assert plans.attribute("expected") == "预期性" and plans.attribute(" 约束 ") == "约束性"
    assert plans.attribute_label("binding", "en") == "binding" and plans.attribute_label("") == ""
    with pytest.raises(ValueError, match="预期性 \\(expected\\), 约束性 \\(binding\\)"):
        plans.attribute("optional")
