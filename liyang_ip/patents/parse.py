"""Cell parsers for patent-list fields: application numbers, patent types, dates, IPC codes, legal status.

Each parser works on a whole column (pandas Series of text) and returns new Series; values that cannot
be parsed become missing (NaN/NaT/None) and are reported by the caller with file, row and field. Columns
with few distinct values (dates, statuses, IPC codes) are parsed once per distinct value.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

import numpy as np
import pandas as pd

#: Patent types, canonical codes and display names.
TYPES = {"invention": ("发明", "Invention"), "utility_model": ("实用新型", "Utility model"), "design": ("外观设计", "Design")}
# Type digit of a CN application number (5th digit of the 12-digit numbers used since 1 Oct 2003, 3rd
# digit of the older 8-digit numbers): 1 invention, 2 utility model, 3 design, 8 PCT invention entering
# the Chinese national phase, 9 PCT utility model entering the national phase.
TYPE_DIGIT = {"1": "invention", "2": "utility_model", "3": "design", "8": "invention", "9": "utility_model"}
PCT_DIGITS = {"8", "9"}
# Kind codes of CN publication numbers: A application published, B/C granted invention (C before 2010),
# U/Y utility model (Y before 2010), S/D design (D before 2010).
KIND_TYPE = {"A": "invention", "B": "invention", "C": "invention", "U": "utility_model", "Y": "utility_model",
             "S": "design", "D": "design"}
GRANT_KINDS = {"B", "C", "U", "Y", "S", "D"}

_NEG = {"", "否", "无", "0", "n", "no", "none", "false", "-", "—", "--", "未质押", "无质押", "nan", "null", "/"}


def _factorize(s: pd.Series) -> tuple[np.ndarray, list]:
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    return codes, list(uniques)


def by_unique(s: pd.Series, func: Callable[[str], object], dtype: object = object) -> pd.Series:
    """Apply ``func`` once per distinct value of ``s`` and broadcast the results (fast on repeated values).
    Missing cells are treated as ""."""
    codes, uniques = _factorize(s)
    values = np.array([func(u) for u in uniques] + [func("")], dtype=dtype)
    return pd.Series(values[codes], index=s.index)  # code -1 (NA) takes the last entry, func("")


def by_unique_category(s: pd.Series, func: Callable[[str], str | None]) -> pd.Series:
    """Like :func:`by_unique` for functions returning a label or None: a Categorical (compact, fast)."""
    codes, uniques = _factorize(s)
    vals = [func(u) for u in uniques] + [func("")]
    cats = sorted({v for v in vals if v is not None})
    pos = {c: i for i, c in enumerate(cats)}
    vcodes = np.array([pos[v] if v is not None else -1 for v in vals], dtype=np.int32)
    return pd.Series(pd.Categorical.from_codes(vcodes[codes], categories=cats), index=s.index)


def by_unique_bool(s: pd.Series, func: Callable[[str], bool | None]) -> pd.Series:
    """Like :func:`by_unique` for functions returning True/False/None: a nullable boolean column."""
    codes, uniques = _factorize(s)
    vals = [func(u) for u in uniques] + [func("")]
    v = np.array([bool(x) if x is not None else False for x in vals], dtype=bool)
    m = np.array([x is None for x in vals], dtype=bool)
    return pd.Series(pd.arrays.BooleanArray(v[codes], m[codes]), index=s.index)


def to_arrow(s: pd.Series):
    """A text column as a pyarrow string array (missing → "")."""
    import pyarrow as pa

    if isinstance(s.dtype, pd.StringDtype) and s.dtype.storage == "pyarrow":
        import pyarrow.compute as pc

        arr = pa.array(s.array)  # no copy for pyarrow-backed strings
        if arr.type != pa.string():
            arr = arr.cast(pa.string())  # pandas stores large_string; kernels mix types badly
        return pc.fill_null(arr, "")
    return pa.array(s.fillna("").astype(str).to_numpy(dtype=object), type=pa.string())


def from_arrow(arr, index: pd.Index) -> pd.Series:
    """A pyarrow string array as a pandas text column (pyarrow storage)."""
    return pd.Series(pd.array(arr, dtype=pd.StringDtype("pyarrow")), index=index)


def _np(arr) -> np.ndarray:
    return arr.to_numpy(zero_copy_only=False)


# ---------------------------------------------------------------------------------------- app numbers
def normalise_app_no(s: pd.Series) -> pd.DataFrame:
    """Application numbers → columns ``app_no`` (digits, check digit after a dot), ``type_digit``,
    ``app_no_ok`` (bool).

    Accepts ``CN202110123456.7``, ``2021101234567``, ``ZL 2021 1 0123456.7``, ``200410012345.X`` and
    the older 8-digit numbers (``99123456.7``, ``CN99123456X``). The type digit is the 5th digit of a
    12-digit number (since 1 Oct 2003) or the 3rd digit of an 8-digit one. A number of any other shape
    keeps its text in ``app_no`` with ``app_no_ok`` False (reported by the caller). The check digit is
    kept but not verified. Runs in pyarrow (vectorised).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    t = pc.utf8_upper(pc.utf8_normalize(to_arrow(s), "NFKC"))
    core = pc.replace_substring_regex(pc.replace_substring_regex(t, r"^\s*(CN|ZL)", ""), r"[\s.·\-]", "")
    m = pc.extract_regex(core, r"^(?P<body>\d{12}|\d{8})(?P<check>[\dX])?$")
    matched = _np(pc.is_valid(m))
    body = pc.fill_null(pc.struct_field(m, "body"), "")
    check = pc.fill_null(pc.struct_field(m, "check"), "")
    blen = _np(pc.utf8_length(body))
    d12 = pc.utf8_slice_codeunits(body, 4, 5)
    d8 = pc.utf8_slice_codeunits(body, 2, 3)
    digit = pc.if_else(pa.array(blen == 12), d12, d8)
    ok = matched & np.isin(_np(digit).astype(str), list(TYPE_DIGIT))
    dot = pc.if_else(pc.greater(pc.utf8_length(check), 0), ".", "")
    canon = pc.binary_join_element_wise(body, dot, check, "")
    app_no = pc.if_else(pa.array(ok), canon, pc.utf8_trim_whitespace(t))
    digit_out = pc.if_else(pa.array(ok), digit, pa.scalar(None, pa.string()))
    return pd.DataFrame({"app_no": from_arrow(app_no, s.index), "type_digit": from_arrow(digit_out, s.index),
                         "app_no_ok": pd.Series(ok, index=s.index, dtype=bool)})


def type_from_text(text: str) -> str | None:
    """专利类型 cell → type code: 发明(专利/申请/授权) → invention, 实用新型 → utility_model, 外观(设计) → design."""
    t = unicodedata.normalize("NFKC", str(text or "")).strip().lower()
    if not t:
        return None
    if "实用" in t or "utility" in t:
        return "utility_model"
    if "外观" in t or "design" in t:
        return "design"
    if "发明" in t or "invention" in t:
        return "invention"
    return None


def kind_code(pub_no: pd.Series) -> pd.Series:
    """Kind letter of a CN publication number (``CN112345678B`` → ``B``), or missing."""
    import pyarrow.compute as pc

    t = pc.replace_substring_regex(pc.utf8_upper(pc.utf8_normalize(to_arrow(pub_no), "NFKC")), r"\s", "")
    m = pc.struct_field(pc.extract_regex(t, r"^CN\d+(?P<kind>[A-Z])\d?$"), "kind")
    return from_arrow(m, pub_no.index)


# ---------------------------------------------------------------------------------------------- dates
_DATE_PATTERNS = [
    re.compile(r"^(\d{4})[-./年](\d{1,2})[-./月](\d{1,2})日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]


def _ymd(text: str) -> str | None:
    """One date cell → "YYYY-MM-DD", or None for empty, unreadable or impossible dates."""
    t = unicodedata.normalize("NFKC", str(text or "")).strip()
    if not t:
        return None
    for pat in _DATE_PATTERNS:
        m = pat.match(t)
        if m:
            y, mo, d = (int(g) for g in m.groups())
            if not 1900 <= y <= 2100 or not 1 <= mo <= 12 or not 1 <= d <= 31:
                return None
            if d > 28:
                import calendar

                if d > calendar.monthrange(y, mo)[1]:
                    return None
            return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


def parse_date(text: str) -> pd.Timestamp | None:
    """One date cell → Timestamp, or None for empty or unreadable text.

    Forms: 2021-01-05, 2021.01.05, 2021/1/5, 20210105, 2021年1月5日, 2021-01-05 00:00:00 (full-width
    digits folded). Impossible dates (2021-02-30) are None.
    """
    v = _ymd(text)
    return pd.Timestamp(v) if v else None


def parse_dates(s: pd.Series) -> pd.Series:
    """A column of date cells → datetime64 (NaT where empty or unreadable)."""
    return parse_dates_unreadable(s)[0]


def parse_dates_unreadable(s: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """:func:`parse_dates` and a mask of cells that hold text but no readable date (one pass)."""
    codes, uniques = _factorize(s)
    vals = [_ymd(u) for u in uniques] + [None]
    arr = np.array([v or "NaT" for v in vals], dtype="datetime64[s]")
    bad = np.array([v is None and bool(str(u).strip()) for v, u in zip(vals, [*uniques, ""], strict=True)], dtype=bool)
    return pd.Series(arr[codes], index=s.index), bad[codes]


# ------------------------------------------------------------------------------------------------ IPC
_IPC = re.compile(r"([A-H])\s*(\d{2})\s*([A-Z])\s*(\d{1,4})\s*/\s*(\d{1,6})")
_IPC_SUBCLASS = re.compile(r"^([A-H])\s*(\d{2})\s*([A-Z])$")
IPC_SEPARATORS = r"[;；,，\n\r|]+"


def normalise_ipc(code: str) -> str | None:
    """One IPC code → ``H01M 10/0525`` (subclass, space, main group, slash, subgroup), or None.

    Version marks and extra text are dropped (``H01M10/0525(2010.01)`` → ``H01M 10/0525``); a bare
    subclass (``H01M``) is kept as it is.
    """
    t = unicodedata.normalize("NFKC", str(code or "")).upper().strip()
    m = _IPC.search(t)
    if m:
        sec, cls, sub, grp, sg = m.groups()
        return f"{sec}{cls}{sub} {int(grp)}/{sg.rjust(2, '0')}"
    m = _IPC_SUBCLASS.match(t)
    if m:
        return "".join(m.groups())
    return None


def split_ipc(s: pd.Series) -> pd.DataFrame:
    """IPC cells → long frame ``pos`` (row position in ``s``), ``order`` (0 = first readable code; -1
    for unreadable ones), ``ipc`` (normalised, None when unreadable) and ``raw`` (the code's text)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    lists = pc.split_pattern_regex(to_arrow(s), IPC_SEPARATORS)
    pos = pc.list_parent_indices(lists).to_numpy(zero_copy_only=False)
    raw = pc.utf8_trim_whitespace(pc.list_flatten(lists))
    nonempty = pc.not_equal(raw, "").to_numpy(zero_copy_only=False)
    raw = raw.filter(pa.array(nonempty))
    pos = pos[nonempty]
    # Codes repeat a lot: both columns are categoricals (a million patents hold a few million codes but
    # only tens of thousands of distinct ones).
    if isinstance(raw, pa.ChunkedArray):  # large columns come in chunks; encode one array, one dictionary
        raw = raw.combine_chunks()
    enc = pc.dictionary_encode(raw)
    codes = enc.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    uniques = enc.dictionary.to_pylist()
    norm = [normalise_ipc(u) for u in uniques]
    cats = sorted({n for n in norm if n is not None})
    where = {c: k for k, c in enumerate(cats)}
    norm_codes = np.array([where[n] if n is not None else -1 for n in norm] + [-1], dtype=np.int64)
    df = pd.DataFrame({"pos": pos.astype(np.int64),
                       "raw": pd.Categorical.from_codes(codes, categories=pd.Index(uniques, dtype=object))})
    df["ipc"] = pd.Categorical.from_codes(norm_codes[codes], categories=pd.Index(cats, dtype=object))
    # Order among readable codes (0 = first IPC); unreadable codes get -1.
    valid = df["ipc"].notna().to_numpy()
    order = np.full(len(df), -1, dtype=np.int64)
    if valid.any():
        vpos = pos[valid]
        # Rank within each position: index minus the index where the position's run starts (sorted by pos).
        starts = np.r_[0, np.flatnonzero(np.diff(vpos)) + 1]
        run_start = np.repeat(starts, np.diff(np.r_[starts, len(vpos)]))
        order[valid] = np.arange(len(vpos)) - run_start
    df["order"] = order
    return df[["pos", "order", "ipc", "raw"]]


# --------------------------------------------------------------------------------------- legal status
LAPSED_WORDS = ("失效", "终止", "届满", "未缴年费", "放弃", "撤回", "驳回", "全部无效", "宣告无效", "无效宣告", "权利丧失")
IN_FORCE_WORDS = ("有效", "授权", "维持", "部分无效", "恢复")
PENDING_WORDS = ("审中", "实质审查", "实审", "公开", "受理", "待审")


def legal_class(text: str) -> str:
    """法律状态 text → ``in_force``, ``lapsed``, ``pending`` or ``unknown``.

    Partial invalidation (部分无效) leaves a patent in force. Words of lapse win over words of force
    (``未缴年费专利权终止`` is lapsed although it mentions 专利权).
    """
    t = unicodedata.normalize("NFKC", str(text or "")).strip()
    if not t:
        return "unknown"
    if "部分无效" in t:
        return "in_force"
    if any(w in t for w in LAPSED_WORDS) or t in ("无效",):
        return "lapsed"
    if any(w in t for w in IN_FORCE_WORDS):
        return "in_force"
    if any(w in t for w in PENDING_WORDS):
        return "pending"
    return "unknown"


def legal_classes(s: pd.Series) -> pd.Series:
    return by_unique_category(s, legal_class)


# ---------------------------------------------------------------------------------------------- flags
def flag(text: str) -> bool:
    """A yes/no-like cell: anything non-empty other than 否/无/0/no/- means yes (质押, 获奖, PCT …)."""
    t = unicodedata.normalize("NFKC", str(text or "")).strip().lower()
    return t not in _NEG


def flags(s: pd.Series) -> pd.Series:
    return by_unique(s, flag, dtype=bool).astype(bool)


_FAMILY_CC = re.compile(r"\b([A-Z]{2})(?=[\s\d])|\b([A-Z]{2})\b")


def overseas_family(text: str) -> bool | None:
    """Family cell → True when a member is published outside China (country code other than CN or WO),
    False when all members are CN/WO, None when the cell gives no country codes (e.g. only a count)."""
    t = unicodedata.normalize("NFKC", str(text or "")).upper()
    if not t.strip():
        return False
    codes = {a or b for a, b in _FAMILY_CC.findall(t)}
    if not codes:
        return None
    return bool(codes - {"CN", "WO"})


def overseas_families(s: pd.Series) -> pd.Series:
    """Nullable booleans (NA where the cell gives no country codes)."""
    return by_unique_bool(s, overseas_family)


__all__ = [
    "GRANT_KINDS", "KIND_TYPE", "PCT_DIGITS", "TYPES", "TYPE_DIGIT", "by_unique", "by_unique_bool",
    "by_unique_category", "flag", "flags", "kind_code",
    "legal_class", "legal_classes", "normalise_app_no", "normalise_ipc", "overseas_family", "overseas_families",
    "parse_date", "parse_dates", "parse_dates_unreadable", "split_ipc", "type_from_text",
]
