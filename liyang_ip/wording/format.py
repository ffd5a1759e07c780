"""The one number formatter of the report's prose (templates call it through Jinja filters).

Values ≥ 100 without decimals and with thousands separators, 10–100 with one decimal, below 10 with two;
percentages with one decimal; halves rounded away from zero, as the plan table rounds (101.25 → 101.3, not
Python's 101.2); whole counts (件, 家, 人, 笔, 个) without decimals; '—' for a missing
value (None or NaN). Counts before a Chinese measure word in Chinese numerals (七个板块, 两项).
"""

from __future__ import annotations

import math
import re
from typing import Any

# Chinese numerals are number formatting (like the thousands separator), not wording.
CN_DIGITS = "零一二三四五六七八九十"
CN_TWO = "两"  # 2 before a measure word: 两项, not 二项
COUNT_UNITS = ("件", "家", "人", "笔", "个")  # units whose whole values print without decimals
MISSING = "—"


def is_missing(x: Any) -> bool:
    """True for None and NaN (and pandas' NA/NaT)."""
    if x is None:
        return True
    try:
        import pandas as pd

        return bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


def _fixed(x: float, decimals: int, sep: str = ",", sign: str = "") -> str:
    """`x` with `decimals` decimals, rounded half away from zero on its shortest decimal form (repr)."""
    from decimal import ROUND_HALF_UP, Decimal

    d = Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return format(d, f"{sign}{sep}.{decimals}f")


def fmt_number(x: float | None, decimals: int | None = None) -> str:
    """A number for prose: 1,234 / 37.5 / 2.35; '—' when missing. ``decimals`` overrides the rule."""
    if is_missing(x):
        return MISSING
    x = float(x)
    if decimals is None:
        a = abs(x)
        decimals = 0 if a >= 100 else 1 if a >= 10 else 2
    if not math.isfinite(x):
        return MISSING
    s = _fixed(x, decimals)
    if s.startswith("-") and float(s[1:].replace(",", "")) == 0:  # no "-0.0"
        s = s[1:]
    return s


def fmt_value(x: float | None, unit: str = "", lang: str = "zh") -> str:
    """Number with its unit: '37.5件/万人' (zh) or '37.5 per 10k residents' (en, the unit as rendered by
    the wording file's ``units`` table); whole counts without decimals ('6件')."""
    whole = unit in COUNT_UNITS and not is_missing(x) and abs(float(x) - round(float(x))) < 1e-9
    n = fmt_number(x, 0 if whole else None)
    if n == MISSING:
        return n
    if lang == "zh":
        return f"{n}{unit}"
    from liyang_ip import wording

    u = wording.unit(unit, lang)
    if u == "%":
        return f"{n}%"
    return f"{n} {u}".strip()


def fmt_pct(x: float | None, signed: bool = False) -> str:
    """Percentage with one decimal: '12.3%' ('+12.3%' when signed); '—' when missing."""
    if is_missing(x):
        return MISSING
    if not math.isfinite(float(x)):
        return MISSING
    s = _fixed(float(x), 1, sep="", sign="+" if signed else "")
    if s.lstrip("+-") == "0.0":  # no "-0.0%"
        s = "0.0"
    return f"{s}%"


def cn_count(n: int) -> str:
    """Chinese numeral for a count before a measure word: 2 → 两, 7 → 七, 12 → 十二; ≥ 100 stay digits."""
    n = int(n)
    if n == 2:
        return CN_TWO
    if 0 <= n <= 10:
        return CN_DIGITS[n]
    if 10 < n < 20:
        return CN_DIGITS[10] + CN_DIGITS[n - 10]
    if 20 <= n < 100:
        tens, ones = divmod(n, 10)
        return CN_DIGITS[tens] + CN_DIGITS[10] + (CN_DIGITS[ones] if ones else "")
    return str(n)


# ASCII punctuation that Markdown (CommonMark, Jupyter's marked, nbconvert's mistune) or Jupyter's math
# ($) reads as markup anywhere in a line; each may be backslash-escaped (CommonMark §2.4). Brackets are
# escaped, so ( ) after them cannot form a link; - + # and "1." matter only at the start of a line.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~$&])")
_MD_LINE_START = re.compile(r"^(\s*(?:\d+)?)([-+#.)])")


def md_escape(text: Any) -> str:
    """`text` (a name from a data file: region, indicator, dataset) safe to put into Markdown prose: every
    character Markdown or HTML would read as markup is backslash-escaped, so ``<script>``, ``*x*`` and
    ``[a](javascript:…)`` render literally (as the characters typed), never as a tag, emphasis or link;
    a leading list or heading marker (``- ``, ``# ``, ``1.``) is escaped too. A name without such characters
    comes back unchanged (溧阳市, Liyang, GM(1,1))."""
    out = _MD_SPECIAL.sub(r"\\\1", str(text))
    m = _MD_LINE_START.match(out)
    if m and (m.group(2) in "-+#") != bool(m.group(1).strip()):  # "- x", "# h" or "1. x", "2) y"
        out = m.group(1) + "\\" + out[m.end(1):]
    return out


def ordinal(n: int) -> str:
    """English ordinal: 1st, 2nd, 3rd, 4th, 11th, 21st."""
    n = int(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def plural(n: int, word: str) -> str:
    """'1 indicator', '3 indicators'."""
    return f"{int(n)} {word}" + ("" if int(n) == 1 else "s")


def lcfirst(name: str) -> str:
    """Lower-case the first letter of an English name for use mid-sentence (not of an acronym: 'PCT …')."""
    name = str(name)
    return name[:1].lower() + name[1:] if name[:2] != name[:2].upper() else name


__all__ = ["cn_count", "fmt_number", "fmt_pct", "fmt_value", "is_missing", "lcfirst", "md_escape", "ordinal",
           "plural"]
