import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from liyang_ip.data.numbers import NumberParseError, parse_cell, parse_number

FULLWIDTH = str.maketrans("0123456789.,", "０１２３４５６７８９．，")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1856", 1856.0),
        ("１８５６", 1856.0),  # full-width digits
        ("1,856", 1856.0),
        ("1，856", 1856.0),  # full-width comma
        ("12,345,678.5", 12345678.5),
        ("1 856", 1856.0),
        ("1.2万", 12000.0),
        ("3.5亿", 350000000.0),
        ("45.6*", 45.6),  # footnote marker
        ("1,234.5①", 1234.5),  # circled footnote must not become a digit
        ("45.6¹", 45.6),
        ("12.3%", 12.3),
        ("−3.2", -3.2),  # unicode minus
        ("-5", -5.0),
        ("0", 0.0),
        (" 7 ", 7.0),
        (12, 12.0),
        (2.5, 2.5),
    ],
)
def test_parse_number_forms(text, expected):
    assert parse_number(text) == pytest.approx(expected)


@pytest.mark.parametrize("marker", ["", "—", "——", "-", "－", "…", "……", "...", "/", "x", "NA", None, float("nan")])
def test_missing_markers_are_missing_not_zero(marker):
    assert parse_number(marker) is None


@pytest.mark.parametrize("text", ["abc", "1,23", "12..3", "1.2.3", "二十", "5公斤"])
def test_non_numbers_raise(text):
    with pytest.raises(NumberParseError) as e:
        parse_number(text)
    assert repr(text) in str(e.value)


def test_detail_flags():
    c = parse_cell("约500")
    assert c.value == 500 and c.approximate
    assert parse_cell("500余").approximate
    assert parse_cell("890以上").approximate
    assert parse_cell("45.6*").footnote == "*"
    assert parse_cell("12%").percent
    assert parse_cell("1.2万").scale == 1e4


def _with_separators(n: int) -> str:
    return f"{n:,}"


@given(st.integers(min_value=0, max_value=10**12))
def test_integers_in_any_layout_parse_to_the_same_value(n):
    forms = {str(n), _with_separators(n), _with_separators(n).translate(FULLWIDTH), str(n).translate(FULLWIDTH)}
    assert {parse_number(f) for f in forms} == {float(n)}


@given(st.integers(min_value=0, max_value=10**8), st.sampled_from(["万", "亿"]))
def test_scale_words_multiply(n, word):
    factor = {"万": 1e4, "亿": 1e8}[word]
    assert parse_number(f"{n}{word}") == pytest.approx(n * factor)
    assert parse_number(f"{n / 100:.2f}{word}") == pytest.approx(n / 100 * factor, rel=1e-9)


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False))
def test_repr_of_float_round_trips(x):
    assert parse_number(repr(x)) == x or math.isclose(parse_number(repr(x)), x)


@given(st.text(alphabet="abcdefg汉字?!", min_size=1, max_size=5))
def test_letters_never_parse_silently(s):
    if s.strip() in ("x", "X"):
        return
    with pytest.raises(NumberParseError):
        parse_number(s)
