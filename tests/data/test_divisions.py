"""The national division list (GB/T 2260 codes, parents) shipped from a maintained source."""

import pytest

from liyang_ip import registry
from liyang_ip.registry import divisions


@pytest.mark.parametrize(
    "code, name",
    [("320400", "常州市"), ("320481", "溧阳市"), ("320413", "金坛区"), ("320412", "武进区"), ("320411", "新北区"),
     ("320402", "天宁区"), ("320404", "钟楼区")],
)
def test_changzhou_codes(code, name):
    d = divisions.division(code)
    assert d.name == name
    assert d.parent == ("320000" if code == "320400" else "320400")


def test_levels_and_parents_are_consistent():
    div = divisions.divisions()
    assert len([d for d in div.values() if d.level == "province"]) == 34  # 31 + 台湾, 香港, 澳门
    for d in div.values():
        assert d.level in divisions.LEVELS
        if d.level == "province":
            assert d.parent == "" and d.code.endswith("0000")
        else:
            assert d.parent in div and d.code[:2] == d.parent[:2]
    assert [x.name for x in divisions.path("320481")] == ["江苏省", "常州市", "溧阳市"]
    assert divisions.source()["as_of"] == "2025-12-31"


def test_a_division_is_a_region_set():
    s = registry.region_set("division:320400")
    assert s.parent == "常州市"
    # GB/T 2260 knows the six districts and county-level cities; 常州经开区 (no code) is only in the curated set.
    assert sorted(s.members) == sorted(set(registry.region_set("changzhou").members) - {"常州经开区"})
    assert s.count_phrase() == "六个区县"
    with pytest.raises(registry.RegionSetError, match="no administrative division with code '999999'"):
        registry.region_set("division:999999")
