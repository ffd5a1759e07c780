"""IPC → industries: include/exclude, title keywords, overlap, first vs any IPC."""

from __future__ import annotations

import pandas as pd
import pytest

from liyang_ip.patents.classify import IndustryFileError, classify, industries, parse_rule, read_industries


@pytest.mark.parametrize(
    "rule, code, expected",
    [
        ("B60", "B60L 58/12", True), ("B60", "B62D 21/15", False),
        ("H01M", "H01M 10/0525", True), ("H01M", "H01L 21/67", False),
        ("H01M 10", "H01M 10/0525", True), ("H01M 10", "H01M 100/01", False), ("H01M 10/00", "H01M 10/42", True),
        ("H02J 3/38", "H02J 3/381", True), ("H02J 3/38", "H02J 3/38", True), ("H02J 3/38", "H02J 3/32", False),
        ("A01K 69-99", "A01K 87/00", True), ("A01K 69-99", "A01K 5/02", False), ("A01K 69-99", "A01K 99/00", True),
    ],
)
def test_rule_matching(rule, code, expected):
    assert parse_rule(rule, "test").matches(code) is expected


@pytest.mark.parametrize("bad", ["H1M", "B60 10", "H01M 10/x", "lithium"])
def test_bad_rules_are_rejected(bad):
    with pytest.raises(IndustryFileError):
        parse_rule(bad, "test")


def _links(rows, titles):
    ipc = pd.DataFrame(rows, columns=["pid", "order", "ipc"])
    return classify(ipc, pd.Series(titles))


def test_overlap_first_and_any_ipc():
    # pid 0: battery first, vehicle second → power_battery (first) and automotive (any) and power_battery via B60L 58
    # pid 1: G06F first, battery second → power_battery by any IPC only
    # pid 2: lead-acid accumulator (excluded) only → no industry
    rows = [(0, 0, "H01M 10/0525"), (0, 1, "B60L 58/12"), (1, 0, "G06F 16/00"), (1, 1, "H01M 10/42"),
            (2, 0, "H01M 10/06")]
    out = _links(rows, {0: "一种动力电池包", 1: "一种电池数据处理方法", 2: "一种铅酸蓄电池"})
    got = {(r.pid, r.industry): r.first_ipc for r in out.itertuples()}
    assert got == {(0, "power_battery"): True, (0, "automotive"): False, (1, "power_battery"): False}


def test_title_keywords_gate_general_codes():
    rows = [(0, 0, "F16H 61/24"), (1, 0, "F16H 61/24"), (2, 0, "B02C 13/00"), (3, 0, "B02C 13/00")]
    out = _links(rows, {0: "一种汽车变速箱换挡机构", 1: "一种机床换挡机构", 2: "一种饲料粉碎机", 3: "一种石料破碎机"})
    got = {(r.pid, r.industry) for r in out.itertuples()}
    assert got == {(0, "automotive"), (2, "agri_feed_machinery")}


def test_bundled_industries_are_the_four_of_the_drafting_note():
    names = [i.name_zh for i in industries()]
    assert names == ["动力电池", "智能电网", "汽车及汽车零部件", "农牧及饲料机械"]
    assert {i.code for i in industries() if i.strategic_emerging} == {"power_battery", "smart_grid"}


def test_user_industries_file(tmp_path):
    f = tmp_path / "ind.yaml"
    f.write_text("industries:\n  - code: textiles\n    name_zh: 纺织\n    include: [D06, {ipc: D01F}]\n", encoding="utf-8")
    inds = read_industries(f)
    assert [i.code for i in inds] == ["textiles"]
    out = classify(pd.DataFrame({"pid": [0, 1], "order": [0, 0], "ipc": ["D06B 3/10", "H01M 4/58"]}), pd.Series(["", ""]), inds)
    assert out[["pid", "industry"]].values.tolist() == [[0, "textiles"]]
    bad = tmp_path / "bad.yaml"
    bad.write_text("industries:\n  - code: x\n    include: [H1M]\n", encoding="utf-8")
    with pytest.raises(IndustryFileError, match="bad.yaml: x: include"):
        read_industries(bad)
