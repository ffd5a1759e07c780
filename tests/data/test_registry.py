import pytest

from liyang_ip import registry


def test_seven_blocks_in_order():
    assert registry.region_set().members == ["溧阳市", "金坛区", "武进区", "新北区", "天宁区", "钟楼区", "常州经开区"]
    assert registry.regions()[registry.parent()].members == tuple(registry.region_set().members)


@pytest.mark.parametrize(
    "alias, canonical",
    [("金坛市", "金坛区"), ("常州国家高新区", "新北区"), ("常州经济开发区", "常州经开区"), ("经开区", "常州经开区"),
     ("武进区（不含常州经开区）", "武进区"), ("武进区（全口径）", "武进区(全口径)"), ("Liyang", "溧阳市"),
     ("320481", "溧阳市"), (" 溧阳市 ", "溧阳市")],
)
def test_aliases(alias, canonical):
    assert registry.resolve_region(alias) == canonical


def test_unknown_region_suggests_closest():
    with pytest.raises(registry.UnknownNameError) as e:
        registry.resolve_region("溧杨市")
    assert e.value.suggestions == ["溧阳市"]
    assert "did you mean 溧阳市" in str(e.value)


def test_abolished_district_is_known_but_former():
    assert registry.regions()[registry.resolve_region("戚墅堰区")].kind == "former"


# The secondary indicators the drafting note names (shared/mission), each must map to a catalogue code.
MISSION_TERMS = {
    "发明专利拥有量": "invention_patents_held",
    "每万人口发明专利拥有量": "invention_patents_per_10k",
    "每万人口高价值发明专利拥有量": "high_value_invention_patents_per_10k",
    "发明专利高年限维持": "invention_patents_over_10y",
    "专利PCT申请": "pct_applications",
    "商标马德里注册": "madrid_trademarks",
    "地理标志商标": "gi_trademarks",
    "知识产权质押融资登记金额": "ip_pledge_amount",
    "质押融资笔数": "ip_pledge_deals",
    "知识产权贯标": "ip_standard_firms",
    "知识产权保护社会满意度": "ip_protection_satisfaction",
    "知识产权服务机构": "ip_service_institutions",
    "知识产权人才": "ip_talent",
}


@pytest.mark.parametrize("term, code", MISSION_TERMS.items())
def test_mission_indicators_are_covered(term, code):
    assert registry.resolve_indicator(term) == code
    assert registry.indicator(code).mission


def test_catalogue_is_complete_and_consistent():
    cat = registry.indicators()
    for code in ["patent_applications", "patent_grants", "invention_patent_grants", "registered_trademarks",
                 "high_tech_firms", "rd_intensity", "resident_population", "gdp"]:
        assert code in cat
    pillars = registry.pillars()
    assert set(pillars) >= {"creation", "utilisation", "protection", "management", "service", "talent"}
    for ind in cat.values():
        assert ind.pillar in pillars
        assert ind.kind in ("stock", "flow", "ratio", "cumulative")
        assert (ind.kind == "cumulative") == (ind.since is not None)
        assert ind.polarity in (1, -1)
        assert ind.aggregate in ("sum", "ratio", "weighted_mean", "none")
        assert registry.unit_rule(ind.code, ind.unit).factor == 1.0
        if ind.derive:
            assert ind.derive["numerator"] in cat and ind.derive["denominator"] in cat
        if ind.aggregate == "weighted_mean":
            assert ind.weight in cat
    # Every synonym points to one indicator only.
    seen = {}
    for ind in cat.values():
        for n in (ind.name_zh, *ind.synonyms):
            key = registry.normalise_name(n)
            assert seen.setdefault(key, ind.code) == ind.code, n


@pytest.mark.parametrize(
    "code, unit, factor",
    [("patent_grants", "万件", 1e4), ("ip_pledge_amount", "亿元", 1e4), ("ip_pledge_amount", "元", 1e-4),
     ("resident_population", "人", 1e-4), ("gdp", "万元", 1e-4), ("ip_talent", "名", 1)],
)
def test_unit_rules(code, unit, factor):
    assert registry.unit_rule(code, unit).factor == pytest.approx(factor)


def test_unconvertible_unit():
    assert registry.unit_rule("patent_grants", "万元") is None
    assert registry.unit_rule("gdp", "件") is None
