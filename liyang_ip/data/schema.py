"""Column names, dtypes and the validation message type shared by the data layer."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import pandas as pd

#: Columns of the processed tidy observation table, in order.
OBS_COLUMNS = ["region", "year", "indicator", "value", "unit", "status", "source_id", "note", "quote"]
#: Columns of the sources table.
SOURCE_COLUMNS = ["source_id", "title", "publisher", "url", "date", "accessed", "priority", "notes"]
#: Allowed row statuses, most trusted first (conflicts are resolved in this order, then by source priority).
STATUSES = ["official", "estimate", "derived", "demo"]
#: A note beginning with this marks an estimated (预计) figure whatever its status: the demo panel's latest
#: year stands for the 预计 figures an office has early in the next year, yet keeps status `demo` (demo data
#: is always `demo`); derived rows whose inputs are estimates carry it too. Real estimates have status
#: `estimate`; :func:`estimate_mask` recognises both.
ESTIMATE_MARK = "预计"
#: Chinese status names (the template's drop-downs) → status.
STATUS_ALIASES = {"官方": "official", "官方数据": "official", "正式": "official", "正式数据": "official",
                  "统计数据": "official", "估计": "estimate", "估算": "estimate", "估计值": "estimate",
                  "推算": "derived", "计算": "derived", "演示": "demo", "演示数据": "demo"}
#: Status names in Chinese, for drop-downs and messages.
STATUS_ZH = {"official": "官方", "estimate": "估计", "derived": "推算", "demo": "演示"}
#: Provenance columns carried from reading to validation (dropped from the processed table).
PROVENANCE = ["_file", "_row", "_field"]

#: Header names accepted in raw tidy files (Chinese template headers and English), → canonical column.
HEADER_ALIASES = {
    "region": "region", "地区": "region", "区域": "region", "板块": "region",
    "year": "year", "年份": "year", "年度": "year", "年": "year",
    "indicator": "indicator", "指标": "indicator", "指标代码": "indicator", "指标名称": "indicator_name",
    "value": "value", "数值": "value", "值": "value", "数据": "value",
    "unit": "unit", "单位": "unit", "计量单位": "unit",
    "status": "status", "状态": "status", "数据状态": "status",
    "source_id": "source_id", "source": "source_id", "来源": "source_id", "来源编号": "source_id",
    "note": "note", "notes": "note", "备注": "note", "说明": "note",
    "quote": "quote", "原文": "quote", "原文引用": "quote",
    "attribute": "attribute", "属性": "attribute", "指标属性": "attribute",
    "basis": "basis", "口径": "basis", "计算口径": "basis",
}

SOURCE_HEADER_ALIASES = {
    "source_id": "source_id", "id": "source_id", "来源编号": "source_id",
    "title": "title", "标题": "title", "publisher": "publisher", "发布机构": "publisher",
    "url": "url", "网址": "url", "date": "date", "日期": "date", "accessed": "accessed", "访问日期": "accessed",
    "priority": "priority", "优先级": "priority", "notes": "notes", "note": "notes", "备注": "notes",
}


#: Chinese names of fields, shown beside the English ones in messages (``[value 数值]``).
FIELD_ZH = {
    "region": "地区", "year": "年份", "indicator": "指标", "indicator_name": "指标名称", "value": "数值",
    "unit": "单位", "status": "状态", "source_id": "来源编号", "note": "备注", "quote": "原文引用",
    "title": "标题", "publisher": "发布机构", "url": "网址", "date": "日期", "accessed": "访问日期",
    "priority": "优先级", "notes": "备注", "path": "路径", "format": "格式", "name": "名称", "files": "文件",
    "sheet": "工作表", "header": "表头", "encoding": "编码", "attribute": "属性",
    "basis": "口径",
}
#: Longest cell text quoted in a message (a 50,000-character cell is cut, with its length stated).
MAX_SHOWN = 120


def shorten(text: object, limit: int = MAX_SHOWN) -> str:
    """`text` as a string of at most about `limit` characters (the full length is stated when cut)."""
    t = "" if text is None else str(text)
    if len(t) <= limit + 30:  # (a text cut once, with its length stated, is not cut again)
        return t
    return f"{t[:limit]}… ({len(t)} characters)"


@dataclass(frozen=True)
class Issue:
    """One validation message, for people: where (file, row, field), what was seen, what is valid.

    ``value`` is cut to `MAX_SHOWN` characters; ``field`` is shown with its Chinese name
    (``[value 数值]``).
    """

    severity: str  # "error" | "warning" | "info"
    file: str
    row: int | None  # 1-based line in the file as an editor shows it (header is line 1); None: file-level
    field: str
    value: str
    message: str

    def __post_init__(self):
        object.__setattr__(self, "value", shorten(self.value))
        object.__setattr__(self, "message", shorten(self.message, 4 * MAX_SHOWN))

    def __str__(self) -> str:
        where = self.file + (f":{self.row}" if self.row is not None else "")
        zh = FIELD_ZH.get(self.field, "")
        field = f" [{self.field} {zh}]" if zh else (f" [{self.field}]" if self.field else "")
        val = f" {self.value!r}:" if self.value not in ("", None) else ""
        sep = "" if (field or val) else ":"
        return f"{where}{sep}{field}{val} {self.severity}: {self.message}"


ISSUE_COLUMNS = ["severity", "file", "row", "field", "value", "message"]


def issues_frame(issues: list[Issue]) -> pd.DataFrame:
    """Issues as a table (columns ISSUE_COLUMNS; ``row`` an integer column with <NA> for file-level ones)."""
    if not issues:
        return pd.DataFrame(columns=ISSUE_COLUMNS)
    df = pd.DataFrame([asdict(i) for i in issues], columns=ISSUE_COLUMNS)
    df["row"] = df["row"].astype("Int64")
    return df


def issues_from_frame(df: pd.DataFrame) -> list[Issue]:
    """The issues of a table written by :func:`issues_frame` (a processed build's issues.csv), back as
    `Issue` objects: an empty or missing ``row`` is a file-level issue (None); other empty cells are "".
    An empty table (or one without these columns) gives no issues."""
    if df.empty or not set(ISSUE_COLUMNS) <= set(df.columns):
        return []

    def text(v) -> str:
        return "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)

    return [Issue(text(r["severity"]), text(r["file"]), int(float(text(r["row"]))) if text(r["row"]) else None,
                  text(r["field"]), text(r["value"]), text(r["message"]))
            for r in df[ISSUE_COLUMNS].to_dict("records")]


def estimate_mask(df: pd.DataFrame) -> pd.Series:
    """True for estimated (预计) rows: status ``estimate``, or a note beginning with :data:`ESTIMATE_MARK`.

    Frames without a status or note column count as not estimated.
    """
    out = pd.Series(False, index=df.index)
    if "status" in df.columns:
        out |= df["status"].astype(str) == "estimate"
    if "note" in df.columns:
        out |= df["note"].fillna("").astype(str).str.startswith(ESTIMATE_MARK)
    return out


def empty_observations() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "region": pd.Series(dtype=str), "year": pd.Series(dtype="int64"),
            "indicator": pd.Series(dtype=str), "value": pd.Series(dtype="float64"),
            "unit": pd.Series(dtype=str), "status": pd.Series(dtype=str),
            "source_id": pd.Series(dtype=str), "note": pd.Series(dtype=str), "quote": pd.Series(dtype=str),
        }
    )


def plain_text(df: pd.DataFrame) -> pd.DataFrame:
    """A copy with categorical columns (the cleaning stage's text columns) as plain text columns, for
    tables that leave the data layer (targets, imported observations): writers and callers see text."""
    out = df.copy()
    for c in out.columns:
        if isinstance(out[c].dtype, pd.CategoricalDtype):
            out[c] = out[c].astype(str)
    return out


def conform(df: pd.DataFrame) -> pd.DataFrame:
    """Observation columns in order with their dtypes (a new frame)."""
    out = df.reindex(columns=OBS_COLUMNS).copy()
    for c in ("region", "indicator", "unit", "status", "source_id", "note", "quote"):
        out[c] = out[c].fillna("").astype(str)
    out["year"] = out["year"].astype("int64")
    out["value"] = out["value"].astype("float64")
    return out.reset_index(drop=True)
