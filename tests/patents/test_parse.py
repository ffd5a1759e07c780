"""Cell parsers: application numbers (type digit), IPC codes, dates, legal status, flags."""

from __future__ import annotations

import pandas as pd
import pytest

from liyang_ip.patents import parse


@pytest.mark.parametrize(
    "text, canon, digit",
    [
        ("CN202110123456.7", "202110123456.7", "1"),  # 12 digits + check: 5th digit 1 → invention
        ("2021101234567", "202110123456.7", "1"),  # same number without CN and dot
        ("ZL 2021 2 0123456.X", "202120123456.X", "2"),  # utility model, check digit X
        ("CN202130123456.1", "202130123456.1", "3"),  # design
        ("202080012345.6", "202080012345.6", "8"),  # PCT invention entering the national phase
        ("CN201990012345.0", "201990012345.0", "9"),  # PCT utility model
        ("99123456.7", "99123456.7", "1"),  # pre-2003 8-digit number: 3rd digit
        ("ＣＮ２０２１１０１２３４５６．７", "202110123456.7", "1"),  # full-width
    ],
)
def test_application_number_and_type_digit(text, canon, digit):
    out = parse.normalise_app_no(pd.Series([text]))
    assert out.loc[0, "app_no"] == canon
    assert out.loc[0, "type_digit"] == digit
    assert bool(out.loc[0, "app_no_ok"])


@pytest.mark.parametrize("text", ["abc", "2021101234", "202140123456.1", "", "CN20211012345678"])
def test_bad_application_numbers_are_flagged(text):
    out = parse.normalise_app_no(pd.Series([text]))
    assert not bool(out.loc[0, "app_no_ok"])
    assert pd.isna(out.loc[0, "type_digit"])


def test_type_digit_meanings():
    assert parse.TYPE_DIGIT == {"1": "invention", "2": "utility_model", "3": "design", "8": "invention", "9": "utility_model"}
    assert parse.PCT_DIGITS == {"8", "9"}


@pytest.mark.parametrize(
    "text, expected",
    [("发明专利", "invention"), ("发明授权", "invention"), ("实用新型", "utility_model"), ("外观设计", "design"),
     ("", None), ("其他", None)],
)
def test_type_from_text(text, expected):
    assert parse.type_from_text(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [("H01M10/0525(2010.01)", "H01M 10/0525"), ("H01M  10/0525", "H01M 10/0525"), ("h02j 3/38", "H02J 3/38"),
     ("B60L 58/12", "B60L 58/12"), ("A01K5/2", "A01K 5/02"), ("H02J", "H02J"), ("xx", None), ("", None)],
)
def test_normalise_ipc(text, expected):
    assert parse.normalise_ipc(text) == expected


def test_split_ipc_separators_and_order():
    s = pd.Series(["H01M10/0525;H01M 4/58", "B60L 58/12\nB62D 21/15，F16H 1/28", "", "G06F 16/00; junk"])
    out = parse.split_ipc(s)
    row0 = out[out["pos"] == 0]
    assert row0["ipc"].tolist() == ["H01M 10/0525", "H01M 4/58"]
    assert row0["order"].tolist() == [0, 1]
    assert out[out["pos"] == 1]["ipc"].tolist() == ["B60L 58/12", "B62D 21/15", "F16H 1/28"]
    assert 2 not in set(out["pos"])  # empty cell: no codes
    junk = out[(out["pos"] == 3) & (out["raw"] == "junk")].iloc[0]
    assert pd.isna(junk["ipc"]) and junk["order"] == -1


@pytest.mark.parametrize(
    "text, expected",
    [("2021-01-05", "2021-01-05"), ("2021.1.5", "2021-01-05"), ("20210105", "2021-01-05"), ("2021年1月5日", "2021-01-05"),
     ("2021/01/05 00:00:00", "2021-01-05"), ("２０２１－０１－０５", "2021-01-05")],
)
def test_dates(text, expected):
    assert parse.parse_date(text) == pd.Timestamp(expected)


@pytest.mark.parametrize("text", ["2021-02-30", "05/01/2021", "next year", "", "1850-01-01"])
def test_bad_dates_are_none(text):
    assert parse.parse_date(text) is None


@pytest.mark.parametrize(
    "text, expected",
    [("有效", "in_force"), ("授权", "in_force"), ("专利权维持", "in_force"), ("部分无效", "in_force"),
     ("未缴年费专利权终止", "lapsed"), ("失效", "lapsed"), ("期限届满", "lapsed"), ("驳回", "lapsed"), ("视为撤回", "lapsed"),
     ("全部无效", "lapsed"), ("实质审查", "pending"), ("公开", "pending"), ("", "unknown"), ("？", "unknown")],
)
def test_legal_class(text, expected):
    assert parse.legal_class(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [("CN102000001B;US2015000001A1", True), ("CN1;WO2020/1", False), ("CN;US;EP", True), ("CN", False),
     ("", False), ("3", None)],
)
def test_overseas_family(text, expected):
    assert parse.overseas_family(text) is expected


@pytest.mark.parametrize("text, expected", [("质押", True), ("是", True), ("否", False), ("无", False), ("", False), ("-", False)])
def test_flag(text, expected):
    assert parse.flag(text) is expected


def test_kind_code():
    out = parse.kind_code(pd.Series(["CN112345678B", "CN212345678U", "CN112345678A", "US123B2", ""]))
    assert out.tolist()[:3] == ["B", "U", "A"]
    assert out.isna().tolist()[3:] == [True, True]


def test_chunked_columns_as_in_large_files_give_the_same_results():
    """Columns of large files arrive in several pyarrow chunks; codes must not depend on chunking."""
    import pyarrow as pa

    from liyang_ip.patents.locate import locate

    cells = [["H01M 10/0525;B60L 58/12", "H02J 3/38"], ["H01M 10/0525", "G06F16/00;xx"]]
    chunked = pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array(cells, type=pa.large_string())))
    flat = pd.Series(sum(cells, []))
    a, b = parse.split_ipc(chunked), parse.split_ipc(flat)
    assert a["ipc"].astype(object).tolist() == b["ipc"].astype(object).tolist()
    assert a["pos"].tolist() == b["pos"].tolist() == [0, 0, 1, 2, 3, 3]
    addr = [["江苏省溧阳市", "江苏省常州市金坛区"], ["江苏省常州市金坛区", "上海市"]]
    got = locate(pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array(addr, type=pa.large_string()))))
    assert got["region"].tolist()[:3] == ["溧阳市", "金坛区", "金坛区"] and pd.isna(got["region"].iloc[3])
