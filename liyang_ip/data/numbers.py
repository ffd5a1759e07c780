"""Parse one cell of a statistical table into a number.

Yearbook and template cells come as text: full-width digits (１２３), thousands separators (1,856 or
1，856), scale words (1.2万, 3.5亿), percent signs, footnote markers (*, #, ①, [1]) and a zoo of
missing-value markers (—, -, …, blank). `parse_cell` returns the value and what it saw; `parse_number`
returns just the value. Missing stays missing (None); text that is not a number raises
`NumberParseError`, never a silent NaN.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

#: Cells that mean "no figure" in Chinese statistical tables.
MISSING_MARKERS = frozenset(
    {"", "—", "——", "–", "-", "--", "－", "…", "……", "...", "..", "/", "／", "x", "X", "×", "nan", "NaN",
     "NA", "N/A", "n/a", "无", "空", "暂无", "不详"}
)

#: Scale words and what they multiply by.
SCALES = {"千": 1e3, "万": 1e4, "十万": 1e5, "百万": 1e6, "千万": 1e7, "亿": 1e8, "万亿": 1e12}

_FOOTNOTE = re.compile(r"(?:[*#△▲☆★†‡]+|[\u2460-\u2473]|\[\d+\]|［\d+］|\(注\d*\)|注\d*|[\u00b9\u00b2\u00b3\u2070-\u2079]+)$")
_APPROX_PREFIX = re.compile(r"^(约|近|超过|超|逾|大约|将近|接近|达|约为)")
_APPROX_SUFFIX = re.compile(r"(余|多|以上|左右|上下)$")
_NUMBER = re.compile(r"^([+-]?)(\d+(?:\.\d+)?|\.\d+)(?:[eE]([+-]?\d+))?$")


class NumberParseError(ValueError):
    """Text that should be a number but is not; says what was seen."""

    def __init__(self, text: object, reason: str):
        self.text = text
        self.reason = reason
        shown = f"<integer of {text.bit_length()} bits>" if isinstance(text, int) and text.bit_length() > 256 else text
        shown = str(shown)
        shown = shown if len(shown) <= 80 else f"{shown[:80]}… ({len(shown)} characters)"
        super().__init__(f"not a number: {shown!r} ({reason})")


@dataclass(frozen=True)
class ParsedCell:
    value: float | None  # None: the cell marks a missing figure
    approximate: bool = False  # 约/近/余/以上…: the figure is not exact
    footnote: str = ""  # the footnote marker that was stripped, if any
    scale: float = 1.0  # multiplier taken from a scale word in the cell (万 → 1e4)
    percent: bool = False  # the cell carried a % sign (value is in percent points)


_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
#: Excel's error values (a formula that failed); never a figure, never a blank.
EXCEL_ERRORS = frozenset({"#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!",
                          "#GETTING_DATA", "#N/A!", "#NA"})
#: A cell that is only a footnote marker carries no figure (it is an error, not a blank or a 1).
_FOOTNOTE_ONLY = re.compile(r"^(?:[*#△▲☆★†‡]+|[\u2460-\u2473]|\[\d+\]|［\d+］|\(注\d*\)|注\d*|"
                            r"[\u00b9\u00b2\u00b3\u2070-\u2079]+)$")


def _normalise(text: str) -> str:
    t = unicodedata.normalize("NFKC", text)
    return t.replace("\u2212", "-").replace("\u2013", "-").replace("\u2014", "—").strip()


def parse_cell(cell: object) -> ParsedCell:
    """Parse one table cell.

    Parameters
    ----------
    cell : str, int, float or None
        The raw cell. Numbers pass through (NaN → missing).

    Returns
    -------
    ParsedCell
        ``value`` is None for missing markers (—, -, …, blank, NaN).

    Raises
    ------
    NumberParseError
        When the text is neither a number nor a missing marker.

    Examples
    --------
    >>> parse_cell("１，８５６").value
    1856.0
    >>> parse_cell("1.2万").value
    12000.0
    >>> parse_cell("—").value is None
    True
    """
    if cell is None:
        return ParsedCell(None)
    if isinstance(cell, bool):
        raise NumberParseError(cell, "a boolean is not a figure")
    if isinstance(cell, int) and cell.bit_length() > 1024:
        raise NumberParseError(cell, "out of range")
    if isinstance(cell, (int, float)):
        try:
            f = float(cell)
        except OverflowError:
            raise NumberParseError(cell, "out of range") from None
        if math.isnan(f):
            return ParsedCell(None)
        if math.isinf(f):
            raise NumberParseError(cell, "infinite")
        return ParsedCell(f)
    if not isinstance(cell, str):
        raise NumberParseError(cell, f"a {type(cell).__name__} is not a figure")
    raw = cell
    if raw.strip() in MISSING_MARKERS:
        return ParsedCell(None)
    if "\x00" in raw:
        raise NumberParseError(raw, "contains a NUL character")
    raw_t = raw.translate(_INVISIBLE).strip()
    if raw_t in EXCEL_ERRORS or raw_t.upper() in EXCEL_ERRORS:
        raise NumberParseError(raw, f"Excel error value {raw_t}; fix the formula or leave the cell empty")
    if _FOOTNOTE_ONLY.match(raw_t):
        raise NumberParseError(raw, "only a footnote marker, no figure; give the figure, or leave the cell empty "
                               "when there is none")
    # Footnote markers first: NFKC would turn ① or ¹ into a digit of the number.
    t = raw_t
    footnote = ""
    m = _FOOTNOTE.search(t)
    if m and m.start() > 0:
        footnote = m.group(0)
        t = t[: m.start()].strip()
    t = _normalise(t)
    if t in MISSING_MARKERS:
        return ParsedCell(None)
    approximate = False
    for rx in (_APPROX_PREFIX, _APPROX_SUFFIX):
        m = rx.search(t)
        if m:
            approximate = True
            t = (t[: m.start()] + t[m.end():]).strip()
    percent = False
    if t.endswith("%"):
        percent = True
        t = t[:-1].strip()
    scale = 1.0
    for word in sorted(SCALES, key=len, reverse=True):
        if t.endswith(word):
            scale = SCALES[word]
            t = t[: -len(word)].strip()
            break
    # Thousands separators: only where they separate groups of three digits.
    if "," in t or " " in t:
        if not re.fullmatch(r"[+-]?\d{1,3}(?:[, ]\d{3})+(?:\.\d+)?", t):
            raise NumberParseError(raw, "misplaced thousands separator")
        t = t.replace(",", "").replace(" ", "")
    m = _NUMBER.match(t)
    if not m:
        raise NumberParseError(raw, "expected digits, optionally with 万/亿, %, thousands separators")
    try:
        value = float(t) * scale
    except OverflowError:  # pragma: no cover - float() of digits gives inf, not an error
        raise NumberParseError(raw, "out of range") from None
    if math.isinf(value):
        raise NumberParseError(raw, "out of range")
    return ParsedCell(value, approximate, footnote, scale, percent)


def parse_number(cell: object) -> float | None:
    """The value of a cell (see `parse_cell`); None when the cell marks a missing figure."""
    return parse_cell(cell).value
