"""Notebook parameter validation: normalised values and messages that say what would be valid."""

from __future__ import annotations

import pytest

from liyang_ip.params import NotebookParams, known_methods, validate_params

BLOCKS = ["溧阳市", "金坛区", "武进区", "新北区", "天宁区", "钟楼区", "常州经开区"]


def test_defaults_are_valid_and_normalised():
    p = validate_params()
    assert isinstance(p, NotebookParams)
    assert p.focus == "溧阳市"
    assert list(p.peers) == BLOCKS[1:]
    assert (p.start_year, p.end_year, p.target_year) == (2015, 2020, 2025)
    assert "invention_patents_per_10k" in p.indicators
    assert "gdp" not in p.indicators  # context indicators are not in the plan's default set
    assert p.methods == known_methods()
    assert p.regions[0] == "溧阳市" and len(p.regions) == 7
    assert p.years == [2015, 2016, 2017, 2018, 2019, 2020]
    assert p.as_dict()["peers"] == BLOCKS[1:]


def test_methods_match_the_analysis_library():
    from liyang_ip.analysis import projection

    assert set(known_methods()) == set(projection.DEFAULT_METHODS) | {"ensemble"}


def test_aliases_names_and_synonyms_resolve():
    p = validate_params(
        focus="金坛",
        peers=["Liyang", "武进区", "金坛区"],
        indicators=["每万人口发明专利拥有量", "PCT申请", "gdp"],
    )
    assert p.focus == "金坛区"
    assert p.peers == ("溧阳市", "武进区")  # the focus block is dropped from the peers
    assert p.indicators == ("invention_patents_per_10k", "pct_applications", "gdp")


def test_unknown_block_lists_valid_ones():
    with pytest.raises(ValueError, match="unknown focus block '溧水区'") as e:
        validate_params(focus="溧水区")
    for b in BLOCKS:
        assert b in str(e.value)
    with pytest.raises(ValueError, match="unknown peer block 'Nanjing'"):
        validate_params(peers=["Nanjing"])


def test_city_or_park_is_not_a_block():
    with pytest.raises(ValueError, match="常州市 is the parent of region set 'changzhou', not one of its seven blocks"):
        validate_params(focus="常州市")
    with pytest.raises(ValueError, match="composite"):
        validate_params(focus="武进区(全口径)")


def test_peers_must_leave_someone_to_compare():
    with pytest.raises(ValueError, match="no block to compare 溧阳市 with"):
        validate_params(peers=["溧阳市"])


def test_end_before_start():
    with pytest.raises(ValueError, match="end_year 2014 is before start_year 2015"):
        validate_params(start_year=2015, end_year=2014)
    with pytest.raises(ValueError, match="at least two years"):
        validate_params(start_year=2020, end_year=2020)


def test_target_year_must_be_after_data_end():
    with pytest.raises(ValueError, match="target_year 2020 is not after the data end year 2020"):
        validate_params(target_year=2020)
    with pytest.raises(ValueError, match="target_year 2019 is not after"):
        validate_params(target_year=2019)
    assert validate_params(target_year=2024).target_year == 2024
    assert validate_params(target_year="2027").target_year == 2027


def test_years_must_be_whole_years():
    with pytest.raises(ValueError, match="start_year must be a year"):
        validate_params(start_year="last year")
    with pytest.raises(ValueError, match="whole year"):
        validate_params(end_year=2020.5)
    with pytest.raises(ValueError, match="plausible range"):
        validate_params(start_year=15, end_year=20, target_year=25)


def test_period_within_available_years():
    validate_params(available_years=range(2015, 2021))
    # Partly outside: sparse real data; the run goes on and the missing years show as gaps.
    with pytest.warns(UserWarning, match="beyond the dataset's years 2016–2020; the years without data are shown as gaps"):
        validate_params(available_years=[2016, 2017, 2018, 2019, 2020])
    with pytest.warns(UserWarning, match="2015–2019"):
        validate_params(end_year=2020, available_years=range(2015, 2020))
    # Wholly outside: nothing to analyse.
    with pytest.raises(ValueError, match="outside the dataset's years 2021–2024; choose start_year ≥ 2021"):
        validate_params(start_year=2015, end_year=2020, available_years=range(2021, 2025))


def test_unknown_indicator_suggests_close_matches():
    with pytest.raises(ValueError, match="unknown indicator 'invention_patent_per_10k'") as e:
        validate_params(indicators=["invention_patent_per_10k"])
    assert "invention_patents_per_10k" in str(e.value)
    with pytest.raises(ValueError, match="每万人口发明专利拥有量"):
        validate_params(indicators=["每万人发明专利量"])
    with pytest.raises(ValueError, match="empty list"):
        validate_params(indicators=[])


def test_gap_share_from_zero_to_beyond_the_benchmark_and_per_indicator():
    assert validate_params(gap_share=0).gap_share == 0.0
    assert validate_params(gap_share=1).gap_share == 1.0
    # above 1 goes beyond the benchmark ("有部分指标适当高于常州平均水平")
    assert validate_params(gap_share=1.5).gap_share == 1.5
    with pytest.raises(ValueError, match=r"gap_share 3.5 is outside \[0, 3\]"):
        validate_params(gap_share=3.5)
    with pytest.raises(ValueError, match="for 50% write 0.5"):
        validate_params(gap_share=50)
    with pytest.raises(ValueError, match="outside"):
        validate_params(gap_share=-0.1)
    with pytest.raises(ValueError, match="must be a number"):
        validate_params(gap_share="half")
    # one share per indicator, names or codes as keys; the library uses 0.5 for the others
    per = validate_params(gap_share={"PCT国际专利申请量": 1.2, "ip_talent": 0.3}).gap_share
    assert per == {"pct_applications": 1.2, "ip_talent": 0.3}
    with pytest.raises(ValueError, match=r"gap_share\['ip_talent'\] 5 is outside"):
        validate_params(gap_share={"ip_talent": 5})
    with pytest.raises(ValueError, match="unknown indicator"):
        validate_params(gap_share={"no such indicator": 1})
    with pytest.raises(ValueError, match="empty mapping"):
        validate_params(gap_share={})


# -------------------------------------------------------------------------- checks before a run


def test_param_problems_lists_every_problem_not_only_the_first():
    from liyang_ip.params import param_problems

    errors, warnings = param_problems({"lang": "fr", "focus": "常州市", "start_year": 2020, "end_year": 2018,
                                       "methods": ["holtt"], "gap_share": 4.5, "indicators": ["专利授权量"]})
    assert len(errors) == 5 and warnings == []
    assert errors[0].startswith("unknown lang 'fr'")
    assert "常州市 is the parent" in errors[1] and "not one of its seven blocks" in errors[1]
    assert errors[2].startswith("end_year 2018 is before start_year 2020")
    assert "holtt" in errors[3] and "gap_share 4.5" in errors[4]  # 专利授权量 is a valid name: no problem


def test_param_problems_period_against_the_data():
    from liyang_ip.params import param_problems

    errors, warnings = param_problems({"start_year": 2015, "end_year": 2020, "target_year": 2025},
                                      available_years=range(2017, 2023))
    assert errors == [] and warnings == [
        "period 2015–2020 reaches beyond the dataset's years 2017–2022; the years without data are shown as gaps"]
    errors, _ = param_problems({"start_year": 2010, "end_year": 2014, "target_year": 2020},
                               available_years=range(2017, 2023))
    assert errors == ["period 2010–2014 lies outside the dataset's years 2017–2022; choose start_year ≥ 2017 "
                      "and end_year ≤ 2022"]


def test_unknown_names_suggest_the_closest():
    from liyang_ip.params import PARAM_NAMES, unknown_names

    assert unknown_names(["focus", "lang"], PARAM_NAMES) == []
    (msg,) = unknown_names(["focuss"], PARAM_NAMES)
    assert msg.startswith("unknown parameter 'focuss'; did you mean focus?")
    (msg,) = unknown_names(["zzz"], PARAM_NAMES)
    assert msg.startswith("unknown parameter 'zzz' The notebooks' parameters are: dataset, end_year")


@pytest.mark.parametrize("given, years, expected", [
    # Data to 2025 reach the 14th plan's end: the 15th plan preset (2020→2025, targets 2030).
    ({}, range(2015, 2026), {"start_year": 2020, "end_year": 2025, "target_year": 2030}),
    # Data to 2023: the latest baseline they reach is 2015→2020 (targets 2025), started at 2017.
    ({}, range(2017, 2024), {"start_year": 2017, "end_year": 2020, "target_year": 2025}),
    # A given year picks the preset that agrees with it; given values are never in the result.
    ({"end_year": 2020}, range(2015, 2026), {"start_year": 2015, "target_year": 2025}),
    ({"target_year": 2030, "start_year": 2022}, range(2015, 2026), {"end_year": 2025}),
    # No preset fits data 2021–2023: the data's own years, target at the end of the plan after 2023.
    ({}, range(2021, 2024), {"start_year": 2021, "end_year": 2023, "target_year": 2025}),
    # One year of data: nothing to choose from (the notebooks' defaults stay).
    ({}, [2020], {}),
])
def test_data_defaults_for_the_period(given, years, expected):
    from liyang_ip.params import data_defaults

    values, why = data_defaults(given, list(years), None)
    assert values == expected
    assert bool(why) == bool(expected)


def test_data_defaults_for_the_indicators():
    from liyang_ip import registry
    from liyang_ip.params import data_defaults

    mission = list(registry.mission_indicators())
    assert data_defaults({}, None, [*mission, "gdp"]) == ({}, [f"indicators: the plan's {len(mission)}, "
                                                                "all in the data"])
    values, _ = data_defaults({}, None, ["gdp", "patent_applications", "invention_patents_per_10k"])
    assert values == {"indicators": ["invention_patents_per_10k", "patent_applications"]}  # plan's first
    assert data_defaults({}, None, ["gdp"])[0] == {"indicators": ["gdp"]}
    assert data_defaults({"indicators": ["gdp"]}, None, ["pct_applications"])[0] == {}
