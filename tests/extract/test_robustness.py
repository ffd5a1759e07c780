"""Invariants on arbitrary bulletin-like text: no crash, quotes and offsets point into the text, units are
the catalogue's, and no figure is both extracted and reported."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from liyang_ip.extract import extract_figures, load_catalogue

TOKENS = [
    "全年", "年末", "上年末", "截至2019年底", "2020年", "上半年", "到2025年", "力争", "十三五期间", "全市", "常州市",
    "全省", "其中", "新增", "累计", "达", "达到", "约", "近", "超过", "余", "以上", "多", "比上年", "增长", "增加",
    "下降", "减少", "增加到", "由", "从", "分别为", "分别增长", "占", "比重", "和", "、", "，", "；", "。", "（", "）",
    "专利申请量", "专利授权量", "发明专利授权", "每万人口发明专利拥有量", "万人发明专利拥有量", "有效注册商标",
    "PCT国际专利申请量", "知识产权质押融资", "金额", "笔数", "地理标志商标", "高新技术企业", "常住人口",
    "地区生产总值", "全社会研发投入占GDP比重", "企业", "每万人口",
    "1", "12", "1.2", "1,856", "１２３", "１，８５６", "0.5", "45.6", "1.2万", "3.2亿", "一万二千", "两千三百",
    "十四五", "二〇一九", "-", "～", "至", "百分之", "数百", "近千", "第3",
    "件", "万件", "家", "人", "万人", "元", "万元", "亿元", "笔", "%", "％", "个百分点", "倍", "项", "个", "分",
]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=30).map("".join))
def test_invariants(text: str) -> None:
    ex = extract_figures(text, region="溧阳市", year=2020, join_wrapped_lines=False)
    cat = load_catalogue()
    for q in ex.rows["quote"]:
        assert q and q in text
    for frame in (ex.levels, ex.changes, ex.unattributed):
        for r in frame.itertuples():
            assert text[r.start:r.end] == r.raw
    for r in ex.levels.itertuples():
        assert math.isfinite(r.value)
        assert r.unit == cat.indicators[r.indicator].unit
        assert r.kind == "level"
        assert 2019 <= r.year <= 2020
    for r in ex.changes.itertuples():
        assert r.kind in ("change", "growth_rate")
        assert r.unit in (cat.indicators[r.indicator].unit, "%", "百分点")
    extracted = set(ex.levels["start"]) | set(ex.changes["start"])
    assert extracted.isdisjoint(set(ex.unattributed["start"]))
