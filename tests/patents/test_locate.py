"""Address → block: towns, aliases, parks, roads named after places, outside, ambiguous, unlocatable."""

from __future__ import annotations

import pandas as pd
import pytest

from liyang_ip import registry
from liyang_ip.patents.locate import locate, locate_one, places


@pytest.mark.parametrize(
    "address, region",
    [
        ("江苏省溧阳市天目湖镇环湖路1号", "溧阳市"),  # block name
        ("江苏溧阳溧城镇某路1号", "溧阳市"),  # alias 溧阳 + town
        ("江苏省常州市埭头镇某村", "溧阳市"),  # town with the city as context
        ("江苏省常州市金坛区儒林镇", "金坛区"),
        ("江苏省金坛市西城街道", "金坛区"),  # former name 金坛市 (alias in regions.yaml)
        ("常州国家高新区（新北区）华山路8号", "新北区"),  # park alias of 新北区, full-width brackets
        ("江苏省常州市新北区奔牛镇", "新北区"),
        ("江苏省常州市武进区横林镇崔桥", "常州经开区"),  # old address: town now in 常州经开区 wins over 武进区
        ("常州市戚墅堰区丁堰镇", "常州经开区"),  # former district + town of today
        ("江苏省常州市武进国家高新区", "武进区"),  # park of 武进区 in regions.yaml
        ("江苏省常州市钟楼区邹区镇", "钟楼区"),
        ("江苏常州经济开发区遥观镇", "常州经开区"),
    ],
)
def test_located_to_block(address, region):
    assert locate_one(address) == ("block", region)


@pytest.mark.parametrize(
    "address, status",
    [
        ("上海市虹口区溧阳路100号", "outside"),  # a road named after 溧阳 is not 溧阳市
        ("台湾新北市板桥区", "outside"),  # 新北市 (New Taipei) is not 新北区
        ("江苏省南京市江宁区", "outside"),
        ("江西省九江市西林街道", "outside"),  # 西林街道 exists elsewhere: needs 常州 in the address
        ("西林街道88号", "unlocated"),  # town name alone, no city: not guessed
        ("美国加利福尼亚州", "unlocated"),
        ("某某工业园区", "unlocated"),
        ("江苏省常州市", "city"),
        ("常州市戚墅堰区", "former"),  # abolished district: its area is now split between two blocks
        ("常州市天宁区钟楼区", "ambiguous"),
        ("江苏省常州市溧阳市（苏州市办事处）", "ambiguous"),  # a block and a place outside
        ("", "no_address"),
    ],
)
def test_not_located(address, status):
    assert locate_one(address) == (status, None)


def test_every_block_has_towns_and_each_town_resolves_to_a_block():
    blocks = set(registry.region_set().members)
    town_regions = {p.region for p in places() if p.kind == "town"}
    assert town_regions == blocks
    for p in places():
        if p.region is not None:
            assert p.region in blocks or p.region == registry.parent()


def test_locate_repeated_addresses_keeps_index_and_evidence():
    s = pd.Series(["江苏省溧阳市", "常州市天宁区钟楼区", "江苏省溧阳市"], index=[10, 11, 12])
    out = locate(s)
    assert out.index.tolist() == [10, 11, 12]
    assert out["region"].tolist()[0] == out["region"].tolist()[2] == "溧阳市"
    assert "天宁区" in out.loc[11, "evidence"] and "钟楼区" in out.loc[11, "evidence"]
