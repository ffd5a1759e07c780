"""Numbers as bulletins write them: 1856, 1,856, 1，856, １２３, 1.2万, 3.2亿, 一万二千, 两千三百, 三点二.

`parse_number` turns one complete number string into an exact `Decimal` (no float rounding, so
1.2万 is exactly 12000 and 3.2亿元 → 万元 is exactly 32000). `halfwidth` maps full-width characters
to ASCII one for one, so offsets found in the mapped text are offsets in the original text and quotes
can be cut from the original.

This module is separate from `liyang_ip.data.numbers` (table cells) on purpose: text needs exact values,
Chinese numerals and token scanning, cells need missing-value markers and footnotes.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

__all__ = [
    "CN_DIGITS",
    "NUMBER_RE",
    "NumeralError",
    "halfwidth",
    "parse_number",
]


class NumeralError(ValueError):
    """Text that is not a number in any supported form."""


# Full-width ASCII block U+FF01–U+FF5E maps to U+0021–U+007E; the ideographic space to a space.
# One character to one character, so string offsets survive the mapping.
_HALFWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_HALFWIDTH[0x3000] = 0x20
# Dashes and tildes used as range separators.
_HALFWIDTH.update({ord("—"): ord("-"), ord("–"): ord("-"), ord("〜"): ord("~")})


def halfwidth(text: str) -> str:
    """Full-width digits, letters and punctuation → ASCII, keeping the length of the string.

    Examples
    --------
    >>> halfwidth("１２３，４５６％")
    '123,456%'
    """
    return text.translate(_HALFWIDTH)


#: Chinese digit characters and their values (两 is the counting form of 二; 〇 as in 二〇二〇).
CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
             "八": 8, "九": 9}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}

_ARABIC = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)|\d+(?:\.\d+)?"
_CN_DIGIT_CLASS = "零〇一二两三四五六七八九"
_CN_CLASS = _CN_DIGIT_CLASS + "十百千万亿"

#: One number token in half-width text: arabic (optionally with thousands separators and scale
#: characters: 1.2万, 2万3千, 1亿2000万) or Chinese numerals (一万二千, 三点二), starting with a digit
#: or 十, never with a bare scale character (so 万人 in 每万人口 is not a number on its own).
NUMBER_RE = re.compile(
    rf"(?<![\d.])(?:(?:{_ARABIC})[{_CN_CLASS}]*(?:(?:{_ARABIC})[{_CN_CLASS}]+)*"
    rf"|[{_CN_DIGIT_CLASS}十][{_CN_CLASS}]*(?:点[{_CN_DIGIT_CLASS}]+[万亿]*)?)"
)

_TOKEN_RE = re.compile(rf"{_ARABIC}|[{_CN_CLASS}]")
_ARABIC_FULL = re.compile(rf"(?:{_ARABIC})")


def _decimal(arabic: str) -> Decimal:
    try:
        return Decimal(arabic.replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - the regex only lets numbers through
        raise NumeralError(f"not a number: {arabic!r}") from exc


def _parse_integer_part(text: str, original: str) -> Decimal:
    """Digits, small units (十百千) and big units (万亿), e.g. 一万二千, 2万3千, 1.2万, 一亿二千万."""
    pos = 0
    total = Decimal(0)  # everything already closed by a big unit
    section = Decimal(0)  # the part below the current big unit
    pending: Decimal | None = None  # a digit waiting for its unit
    last_small: int | None = None  # for order checks and the elliptic form (两千三 = 2300)
    last_big: int | None = None
    zero_seen = False  # 一万零二 is 10002, not the elliptic 12000
    seen_digit = False
    for m in _TOKEN_RE.finditer(text):
        if m.start() != pos:
            raise NumeralError(f"not a number: {original!r}")
        pos = m.end()
        tok = m.group()
        if tok in ("零", "〇"):
            if pending is not None:
                raise NumeralError(f"digits without a unit between them in {original!r}")
            zero_seen = True
            continue
        if tok in CN_DIGITS or tok[0].isdigit():
            if pending is not None:
                # 二零二零 or 一二三: digit strings are not counts (years are handled elsewhere).
                raise NumeralError(f"digits without a unit between them in {original!r}")
            pending = Decimal(CN_DIGITS[tok]) if tok in CN_DIGITS else _decimal(tok)
            seen_digit = True
            continue
        if tok in _SMALL_UNITS:
            unit = _SMALL_UNITS[tok]
            if last_small is not None and unit >= last_small:
                raise NumeralError(f"units out of order in {original!r}")
            if pending is None and unit != 10:
                # 十 is the only unit written without its digit (十二, 二十万零十).
                raise NumeralError(f"{tok} without a digit in {original!r}")
            section += (pending if pending is not None else Decimal(1)) * unit
            seen_digit = True
            pending = None
            last_small = unit
            zero_seen = False
            continue
        # big unit
        unit = _BIG_UNITS[tok]
        if last_big is not None and unit >= last_big and not (unit == 100_000_000 and last_big == 10_000):
            raise NumeralError(f"units out of order in {original!r}")
        if pending is not None:
            section += pending
            pending = None
        if not seen_digit:
            raise NumeralError(f"{tok} without a digit in {original!r}")
        if unit == 100_000_000:
            total = (total + section) * unit  # 三万亿: everything so far is scaled
        else:
            total += section * unit
        section = Decimal(0)
        last_small = None
        last_big = unit
        zero_seen = False
    if pos != len(text) or not text:
        raise NumeralError(f"not a number: {original!r}")
    if pending is not None:
        if last_small is None and last_big is None:
            section += pending
        elif zero_seen:
            section += pending
        else:
            # Elliptic form: 两千三 = 2300, 一万二 = 12000, 一百五 = 150; 十二 = 12.
            prev = last_small if last_small is not None else last_big
            if pending != pending.to_integral_value() or pending >= 10:
                raise NumeralError(f"ambiguous trailing number in {original!r}")
            section += pending * (Decimal(prev) / 10 if prev > 10 else Decimal(1))
    return total + section


def parse_number(text: str) -> Decimal:
    """Value of one complete number string, exactly.

    Supported: arabic digits (full-width too), thousands separators (1,856 and 1，856), decimals,
    scale characters after arabic digits (1.2万, 3.2亿, 2万3千, 1亿2000万), Chinese numerals
    (一万二千, 两千三百, 一千八百五十六, 十二, 一百零五), the elliptic form (一万二 = 12000, 两千三 = 2300)
    and Chinese decimals (三点二, 零点五, 三点二万).

    Raises
    ------
    NumeralError
        When the text is not a number in one of these forms (e.g. 十四五, 二零二零, 万).

    Examples
    --------
    >>> parse_number("1.2万"), parse_number("一万二千"), parse_number("１，８５６")
    (Decimal('12000.0'), Decimal('12000'), Decimal('1856'))
    """
    original = text
    t = halfwidth(str(text)).strip().replace(" ", "")
    if not t:
        raise NumeralError("empty number")
    if _ARABIC_FULL.fullmatch(t):
        return _decimal(t)
    if "点" in t:
        int_part, _, rest = t.partition("点")
        m = re.fullmatch(rf"([{_CN_DIGIT_CLASS}]+)([万亿]*)", rest)
        if not m:
            raise NumeralError(f"not a number: {original!r}")
        frac = "".join(str(CN_DIGITS[c]) for c in m.group(1))
        whole = _parse_integer_part(int_part, original) if int_part else Decimal(0)
        if whole != whole.to_integral_value():
            raise NumeralError(f"not a number: {original!r}")
        value = Decimal(f"{int(whole)}.{frac}")
        for c in m.group(2):
            value *= _BIG_UNITS[c]
        return value
    return _parse_integer_part(t, original)
