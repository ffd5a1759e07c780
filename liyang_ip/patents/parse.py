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


def by_unique(s: pd.Series, func: Callable[[str], object], dtype: object = object) -> pd.Series:
    """Apply ``func`` once per distinct value of ``s`` and broadcast the results (fast on repeated values)."""
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    values = np.array([func(u) for u in uniques] + [func("")], dtype=dtype)
    return pd.Series(values[codes], index=s.index)  # code -1 (NA) takes the last entry, func("")


# ---------------------------------------------------------------------------------------- app numbers
def normalise_app_no(s: pd.Series) -> pd.DataFrame:
    """Application numbers → columns ``app_no`` (digits, check digit after a dot), ``type_digit``,
    ``app_no_ok`` (bool).

    Accepts ``CN202110123456.7``, ``2021101234567``, ``ZL 2021 1 0123456.7``, ``200410012345.X`` and
    the older 8-digit numbers (``99123456.7``, ``CN99123456X``). The type digit is the 5th digit of a
    12-digit number (since 1 Oct 2003) or the 3rd digit of an 8-digit one. A number of any other shape
    keeps its text in ``app_no`` with ``app_no_ok`` False (reported by the caller). The check digit is
    kept but not verified.
    """
    t = s.astype(pd.StringDtype("pyarrow")).str.normalize("NFKC").str.upper()
    core = t.str.replace(r"^\s*(CN|ZL)", "", regex=True).str.replace(r"[\s.·\-]", "", regex=True)
    m = core.str.extract(r"^(?P<body>\d{12}|\d{8})(?P<check>[\dX])?$")
    body = m["body"]
    ok = body.notna()
    digit = pd.Series(pd.NA, index=s.index, dtype=pd.StringDtype("pyarrow"))
    long = ok & (body.str.len() == 12)
    short = ok & (body.str.len() == 8)
    digit[long] = body[long].str.slice(4, 5)
    digit[short] = body[short].str.slice(2, 3)
    ok = ok & digit.isin(list(TYPE_DIGIT)).fillna(False)
    check = m["check"].fillna("")
    canon = body.fillna("") + (check.str.len() > 0).map({True: ".", False: ""}) + check
    app_no = canon.where(ok, t.str.strip())
    return pd.DataFrame({"app_no": app_no, "type_digit": digit.where(ok), "app_no_ok": ok.astype(bool)})


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
    t = pub_no.astype(pd.StringDtype("pyarrow")).str.normalize("NFKC").str.upper().str.replace(r"\s", "", regex=True)
    return t.str.extract(r"^CN\d+([A-Z])\d?$")[0]


# ---------------------------------------------------------------------------------------------- dates
_DATE_PATTERNS = [
    re.compile(r"^(\d{4})[-./年](\d{1,2})[-./月](\d{1,2})日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]


def parse_date(text: str) -> pd.Timestamp | None:
    """One date cell → Timestamp, or None for empty or unreadable text.

    Forms: 2021-01-05, 2021.01.05, 2021/1/5, 20210105, 2021年1月5日, 2021-01-05 00:00:00 (full-width
    digits folded). Impossible dates (2021-02-30) are None.
    """
    t = unicodedata.normalize("NFKC", str(text or "")).strip()
    if not t:
        return None
    for pat in _DATE_PATTERNS:
        m = pat.match(t)
        if m:
            y, mo, d = (int(g) for g in m.groups())
            if not 1900 <= y <= 2100:
                return None
            try:
                return pd.Timestamp(year=y, month=mo, day=d)
            except ValueError:
                return None
    return None


def parse_dates(s: pd.Series) -> pd.Series:
    """A column of date cells → datetime64 (NaT where empty or unreadable)."""
    out = by_unique(s, parse_date)
    return pd.to_datetime(out.where(out.notna(), None), errors="coerce").astype("datetime64[s]")


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
    for unreadable ones), ``ipc`` (normalised, None when unreadable) and ``raw`` (the cell text)."""
    lists = s.fillna("").astype(str).str.split(IPC_SEPARATORS, regex=True)
    exploded = lists.explode()
    exploded = exploded[exploded.notna()]
    pos = np.repeat(np.arange(len(s)), lists.str.len().fillna(0).astype(int).to_numpy())
    raw = exploded.astype(str).str.strip().to_numpy()
    df = pd.DataFrame({"pos": pos, "raw": raw})
    df = df[df["raw"] != ""].reset_index(drop=True)
    codes, uniques = pd.factorize(df["raw"])
    norm = np.array([normalise_ipc(u) for u in uniques] + [None], dtype=object)
    df["ipc"] = norm[codes]
    # Order among readable codes (0 = first IPC); unreadable codes get -1.
    valid = df["ipc"].notna()
    df["order"] = -1
    df.loc[valid, "order"] = df[valid].groupby("pos").cumcount()
    df["order"] = df["order"].astype("int64")
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
    return by_unique(s, legal_class)


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
    return by_unique(s, overseas_family)


__all__ = [
    "GRANT_KINDS", "KIND_TYPE", "PCT_DIGITS", "TYPES", "TYPE_DIGIT", "by_unique", "flag", "flags", "kind_code",
    "legal_class", "legal_classes", "normalise_app_no", "normalise_ipc", "overseas_family", "overseas_families",
    "parse_date", "parse_dates", "split_ipc", "type_from_text",
]
