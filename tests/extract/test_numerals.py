"""Chinese and arabic number forms → exact values.

The property tests write one value in every supported form and check that all parse to it. The Chinese
forms are rendered by cn2an (an independent implementation), so the parser is not checked against itself.
"""

from __future__ import annotations

from decimal import Decimal

import cn2an
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from liyang_ip.extract import extract_figures, halfwidth, parse_number
from liyang_ip.extract.numerals import NumeralError

FULL = {ord(c): ord(c) + 0xFEE0 for c in "0123456789.,"}


def fullwidth(s: str) -> str:
    return s.translate(FULL)


def wan(value: Decimal, scale: int = 10_000, word: str = "万") -> str:
    """1.2万 notation: the value divided by the scale, written without trailing zeros."""
    q = (value / scale).normalize()
    return f"{q:f}{word}"


def liang(cn: str) -> str:
    """两 for 二 before 千/百/万/亿 at the start, as bulletins write it (两千三百)."""
    return "两" + cn[1:] if cn[:1] == "二" and cn[1:2] in "千百万亿" else cn


def integer_forms(n: int) -> list[str]:
    v = Decimal(n)
    forms = [str(n), fullwidth(str(n)), f"{n:,}", f"{n:,}".replace(",", "，"), fullwidth(f"{n:,}"),
             wan(v), cn2an.an2cn(str(n)), liang(cn2an.an2cn(str(n)))]
    if n >= 10_000_000:
        forms.append(wan(v, 100_000_000, "亿"))
    return forms


@pytest.mark.parametrize("text,expected", [
    ("1856", 1856), ("１８５６", 1856), ("1,856", 1856), ("1，856", 1856), ("１，８５６", 1856),
    ("12,345,678", 12345678), ("1.2万", 12000), ("3.2亿", 320000000), ("0.5万", 5000),
    ("2万3千", 23000), ("1亿2000万", 120000000),
    ("一万二千", 12000), ("两千三百", 2300), ("一千八百五十六", 1856), ("十二", 12), ("十", 10),
    ("一百零五", 105), ("一百一十", 110), ("十万零一十", 100010), ("一亿二千万", 120000000), ("二十万", 200000),
    ("两万", 20000), ("一万零二", 10002),
    # the elliptic form: the last digit takes the unit below the one before it
    ("一万二", 12000), ("两千三", 2300), ("一百五", 150), ("一亿二", 120000000),
    ("三点二", Decimal("3.2")), ("零点五", Decimal("0.5")), ("三点二万", 32000), ("45.6", Decimal("45.6")),
])
def test_known_forms(text: str, expected) -> None:
    assert parse_number(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["十四五", "二零二零", "万", "一二三", "一百二千", "", "abc", "1.2.3", "千"])
def test_not_numbers(text: str) -> None:
    with pytest.raises(NumeralError):
        parse_number(text)


def test_halfwidth_keeps_length() -> None:
    s = "专利授权量１，８５６件（增长１２．３％）；"
    assert len(halfwidth(s)) == len(s)
    assert halfwidth(s) == "专利授权量1,856件(增长12.3%);"


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=999_999_999_999))
def test_integer_forms_agree(n: int) -> None:
    for form in integer_forms(n):
        assert parse_number(form) == n, form


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=99_999_999), st.integers(min_value=1, max_value=2))
def test_decimal_forms_agree(units: int, places: int) -> None:
    value = Decimal(units).scaleb(-places)
    text = f"{value:f}"
    forms = [text, fullwidth(text), wan(value), cn2an.an2cn(text)]
    if value >= 1000:
        forms.append(fullwidth(f"{value:,f}"))
        forms.append(f"{value:,f}".replace(",", "，"))
    for form in forms:
        assert parse_number(form) == value, form


@settings(max_examples=15, deadline=None)
@given(st.integers(min_value=1, max_value=99_999_999))
def test_every_form_in_a_sentence_gives_the_same_row(n: int) -> None:
    # One text per form: one text with the same indicator twice would report the repeat.
    for form in integer_forms(n):
        ex = extract_figures(f"全年专利授权量{form}件，增长3.5%。", region="溧阳市", year=2020)
        assert ex.unattributed.empty, ex.unattributed
        assert ex.rows[["indicator", "value", "quote"]].values.tolist() == [
            ["patent_grants", float(n), f"全年专利授权量{form}件"]]
        assert ex.changes["value"].tolist() == [3.5]


@settings(max_examples=20, deadline=None)
@given(st.integers(min_value=1, max_value=9_999_999))
def test_wan_unit_and_wan_number_agree(n: int) -> None:
    """1.2万件 read as (1.2万)件 or 1.2(万件) is the same value; 亿元 → 万元 is exact."""
    v = Decimal(n).scaleb(-2)  # 亿元 with two decimals
    got = [extract_figures(text, region="溧阳市", year=2020).rows["value"].tolist()
           for text in (f"知识产权质押融资金额{v:f}亿元。", f"知识产权质押融资金额{v:f}万元。", f"专利授权量{n}万件。")]
    assert got == [[float(v * 10_000)], [float(v)], [float(n * 10_000)]]
