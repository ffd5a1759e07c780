"""Readers for raw files. Each returns a frame of *raw* records (strings as found, plus provenance).

Nothing here interprets values: `clean.clean_records` does that and reports problems by file, row and
field. Readers never modify the files they read.

Formats
-------
tidy      one observation per row (CSV in UTF-8, UTF-8 with BOM or GBK/GB18030; headers in English or
          Chinese, see `schema.HEADER_ALIASES`)
template  the Excel data-collection template (`template.write_template`), sheet 数据 (+ 来源)
yearbook  wide tables: indicators down, years across, units in a column or in the header (件)
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .schema import HEADER_ALIASES, SOURCE_HEADER_ALIASES, Issue


class RawFileError(ValueError):
    """A raw file that cannot be read at all (encoding, missing columns, wrong sheet)."""

    def __init__(self, file: str | Path, message: str, row: int | None = None, field: str = ""):
        self.issue = Issue("error", str(file), row, field, "", message)
        super().__init__(str(self.issue))


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # utf-8, utf-8-sig or gb18030
    detail: str  # how it was decided, for the build report


def decode_bytes(data: bytes, file: str | Path = "<bytes>") -> Decoded:
    """Decode a text file's bytes: UTF-8 BOM, then strict UTF-8, then strict GB18030 (superset of GBK).

    The decision is reported, never silent. Bytes that decode under none of them raise RawFileError
    (charset-normalizer's best guess is named in the message to help the user re-save the file).
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return Decoded(data[3:].decode("utf-8"), "utf-8-sig", "UTF-8 byte-order mark")
    try:
        return Decoded(data.decode("utf-8"), "utf-8", "valid UTF-8")
    except UnicodeDecodeError as e:
        utf8_error = e
    try:
        text = data.decode("gb18030")
        return Decoded(text, "gb18030", f"not UTF-8 (byte {utf8_error.start}); valid GBK/GB18030")
    except UnicodeDecodeError:
        pass
    guess = ""
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is not None:
            guess = f"; it looks like {best.encoding}"
    except Exception:  # pragma: no cover - detection is only a hint
        pass
    raise RawFileError(file, f"cannot decode as UTF-8 or GBK/GB18030{guess}; save the file as UTF-8")


def _canon_headers(headers: list[str], aliases: dict[str, str]) -> list[str]:
    out = []
    for h in headers:
        key = unicodedata.normalize("NFKC", str(h)).strip()
        out.append(aliases.get(key, aliases.get(key.lower(), key)))
    return out


def read_text_table(path: str | Path) -> tuple[list[list[str]], Decoded]:
    """Rows of a CSV file as lists of strings, with the decoding decision."""
    path = Path(path)
    decoded = decode_bytes(path.read_bytes(), path)
    sample = decoded.text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    rows = list(csv.reader(io.StringIO(decoded.text), dialect))
    return rows, decoded


def read_tidy_csv(path: str | Path) -> tuple[pd.DataFrame, list[Issue]]:
    """Read a tidy CSV into raw records with provenance (`_file`, `_row`).

    Required columns: region, year, indicator, value (Chinese headers accepted). Missing optional columns
    (unit, status, source_id, note, quote) are added empty.
    """
    path = Path(path)
    rows, decoded = read_text_table(path)
    issues = [Issue("info", str(path), None, "", decoded.encoding, f"encoding: {decoded.detail}")]
    if not rows:
        raise RawFileError(path, "file is empty; expected a header row")
    headers = _canon_headers(rows[0], HEADER_ALIASES)
    if "indicator" not in headers and "indicator_name" in headers:
        headers = ["indicator" if h == "indicator_name" else h for h in headers]
    missing = [c for c in ("region", "year", "indicator", "value") if c not in headers]
    if missing:
        raise RawFileError(path, f"missing column(s) {', '.join(missing)}; header is {rows[0]}", row=1)
    records = []
    for lineno, r in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in r):
            continue
        if len(r) > len(headers):
            extra = [c for c in r[len(headers):] if c.strip()]
            if extra:
                issues.append(Issue("error", str(path), lineno, "", ",".join(extra),
                                    f"row has {len(r)} fields but the header has {len(headers)}"))
                continue
        rec = {h: (r[i] if i < len(r) else "") for i, h in enumerate(headers)}
        rec.update(_file=str(path), _row=lineno, _field="value")
        records.append(rec)
    return _records_frame(records), issues


def _records_frame(records: list[dict]) -> pd.DataFrame:
    cols = ["region", "year", "indicator", "value", "unit", "status", "source_id", "note", "quote",
            "_file", "_row", "_field"]
    df = pd.DataFrame(records)
    for c in cols:
        if c not in df.columns:
            df[c] = ""
    df = df[cols].astype({c: str for c in cols if c != "_row"})
    df["_row"] = df["_row"].astype("int64") if len(df) else pd.Series(dtype="int64")
    return df


def read_sources_csv(path: str | Path) -> pd.DataFrame:
    """The sources table of a raw dataset (UTF-8/GBK detected as for observations)."""
    path = Path(path)
    rows, _ = read_text_table(path)
    return _sources_frame(rows, str(path))


def _sources_frame(rows: list[list[str]], where: str) -> pd.DataFrame:
    """Rows of a sources table (header first) → the sources columns; `priority` blank → 5 (unknown).

    Shared by the CSV reader and the template's 来源 sheet, so both check the same things.
    """
    from .schema import SOURCE_COLUMNS

    if not rows:
        raise RawFileError(where, "sources table is empty; expected a header row with source_id")
    headers = _canon_headers(rows[0], SOURCE_HEADER_ALIASES)
    if "source_id" not in headers:
        raise RawFileError(where, "sources table needs a source_id column", row=1, field="source_id")
    df = pd.DataFrame([r + [""] * (len(headers) - len(r)) for r in rows[1:] if any(str(x).strip() for x in r)],
                      columns=headers)
    for c in SOURCE_COLUMNS:
        if c not in df.columns:
            df[c] = ""
    df = df[SOURCE_COLUMNS].astype(str)
    df["priority"] = pd.to_numeric(df["priority"].replace("", "5"), errors="coerce").fillna(5).astype(int)
    dup = df["source_id"][df["source_id"].duplicated()]
    if len(dup):
        raise RawFileError(where, f"duplicate source_id {dup.iloc[0]!r}", field="source_id")
    return df


# --------------------------------------------------------------------------- Excel template

TEMPLATE_DATA_SHEET = "数据"
TEMPLATE_SOURCES_SHEET = "来源"


def read_template(path: str | Path) -> tuple[pd.DataFrame, pd.DataFrame | None, list[Issue]]:
    """Read the bureau's filled-in Excel template: observations (sheet 数据) and sources (sheet 来源).

    Row numbers in messages are Excel row numbers (header on row 1).
    """
    from openpyxl import load_workbook

    path = Path(path)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises a variety of errors for non-xlsx input
        raise RawFileError(path, f"not a readable .xlsx workbook ({type(e).__name__}: {e})") from e
    if TEMPLATE_DATA_SHEET not in wb.sheetnames:
        raise RawFileError(path, f"sheet {TEMPLATE_DATA_SHEET!r} not found; sheets are {wb.sheetnames}")
    ws = wb[TEMPLATE_DATA_SHEET]
    rows = [["" if v is None else v for v in r] for r in ws.iter_rows(values_only=True)]
    if not rows:
        raise RawFileError(path, f"sheet {TEMPLATE_DATA_SHEET} is empty")
    headers = _canon_headers([str(h) for h in rows[0]], HEADER_ALIASES)
    # The template has both 指标代码 and 指标名称; the code wins, the name is a fallback.
    has_code = "indicator" in headers
    records = []
    for excel_row, r in enumerate(rows[1:], start=2):
        if not any(str(c).strip() for c in r):
            continue
        rec = {h: _cell_str(r[i]) if i < len(r) else "" for i, h in enumerate(headers)}
        if (not has_code or not rec.get("indicator")) and rec.get("indicator_name"):
            rec["indicator"] = rec["indicator_name"]
        rec.update(_file=f"{path}#{TEMPLATE_DATA_SHEET}", _row=excel_row, _field="value")
        records.append(rec)
    sources = None
    if TEMPLATE_SOURCES_SHEET in wb.sheetnames:
        srows = [["" if v is None else _cell_str(v) for v in r]
                 for r in wb[TEMPLATE_SOURCES_SHEET].iter_rows(values_only=True)]
        if srows:
            sources = _sources_frame(srows, f"{path}#{TEMPLATE_SOURCES_SHEET}")
    wb.close()
    return _records_frame(records), sources, []


def _cell_str(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


# --------------------------------------------------------------------------- yearbook tables

_YEAR_HEADER = re.compile(r"^\s*((?:19|20)\d{2})\s*(?:年|年度|年末)?\s*$")
_UNIT_IN_NAME = re.compile(r"^(?P<name>.*?)\s*[（(]\s*(?P<unit>[^（）()]+?)\s*[）)]\s*$")


def read_yearbook(path: str | Path, region: str, source_id: str = "", status: str = "official",
                  sheet: str | int | None = None) -> tuple[pd.DataFrame, list[Issue]]:
    """Read a wide yearbook-style table: indicators down, years across.

    The first column holds the indicator name, optionally with its unit in brackets (专利授权量（件）);
    a column headed 单位/计量单位 may give the unit instead. Year columns are headed 2019, 2019年 or
    2019年末. Cells may contain footnote markers, missing markers (—, -, …, blank), full-width digits,
    thousands separators and scale words (万, 亿); `clean` interprets them.

    Returns raw records (one per indicator × year cell, blank cells included so coverage can show them
    as gaps) with `_field` set to the year column's header.
    """
    path = Path(path)
    issues: list[Issue] = []
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True, data_only=True)
        ws = wb[sheet] if isinstance(sheet, str) else wb.worksheets[sheet or 0]
        rows = [[_cell_str(v) for v in r] for r in ws.iter_rows(values_only=True)]
        wb.close()
    else:
        rows, decoded = read_text_table(path)
        issues.append(Issue("info", str(path), None, "", decoded.encoding, f"encoding: {decoded.detail}"))
    # The header row is the first row with at least one year column (titles may come before it).
    header_idx = next((i for i, r in enumerate(rows) if any(_YEAR_HEADER.match(str(c)) for c in r)), None)
    if header_idx is None:
        raise RawFileError(path, "no header row with year columns (2019, 2019年…) found")
    header = [unicodedata.normalize("NFKC", str(c)).strip() for c in rows[header_idx]]
    year_cols = {i: int(_YEAR_HEADER.match(h).group(1)) for i, h in enumerate(header) if _YEAR_HEADER.match(h)}
    unit_col = next((i for i, h in enumerate(header) if h in ("单位", "计量单位", "unit")), None)
    name_col = next(i for i in range(len(header)) if i not in year_cols and i != unit_col)
    records = []
    for i, r in enumerate(rows[header_idx + 1:], start=header_idx + 2):
        name = str(r[name_col]).strip() if name_col < len(r) else ""
        if not name or name.startswith(("注", "资料来源", "说明", "Note", "Source")):
            continue
        unit = str(r[unit_col]).strip() if unit_col is not None and unit_col < len(r) else ""
        m = _UNIT_IN_NAME.match(unicodedata.normalize("NFKC", name))
        if m:
            name = m.group("name").strip()
            unit = unit or m.group("unit").strip()
        # Footnote markers after indicator names (专利授权量*) are not part of the name.
        name = re.sub(r"[*#△▲\u2460-\u2473]+$", "", name).strip()
        for col, year in year_cols.items():
            cell = r[col] if col < len(r) else ""
            records.append({
                "region": region, "year": str(year), "indicator": name, "value": str(cell), "unit": unit,
                "status": status, "source_id": source_id, "note": "", "quote": "",
                "_file": str(path), "_row": i, "_field": rows[header_idx][col],
            })
    return _records_frame(records), issues
