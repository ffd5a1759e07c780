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
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np
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
    encoding: str  # utf-8, utf-8-sig, utf-16, utf-16-le, utf-16-be, gb18030 or mixed
    detail: str  # how it was decided, for the build report
    severity: str = "info"  # "warning" when the user should re-save the file (mixed encodings)


#: Invisible characters that break names and numbers when pasted from web pages or Word.
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_ZW_TABLE = dict.fromkeys(map(ord, ZERO_WIDTH))
_LINE_SPLIT = re.compile(rb"(\r\n|\r|\n)")


def _line_of(text: str, pos: int) -> int:
    """1-based line of character `pos` (CR, LF and CRLF all end a line)."""
    head = text[:pos]
    return head.count("\n") + head.count("\r") - head.count("\r\n") + 1


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' when the bytes look like UTF-16 without a byte-order mark.

    A CSV in UTF-16 has a NUL high byte for every ASCII character (digits, commas, line ends), so one
    byte position is often NUL and the other almost never; UTF-8 and GBK text has no NUL at all.
    """
    sample = data[:8192]
    if len(sample) < 4:
        return None
    sample = sample[: len(sample) // 2 * 2]
    even, odd = sample[0::2], sample[1::2]
    z_even, z_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    if z_odd > 0.2 and z_even < 0.02:
        return "utf-16-le"
    if z_even > 0.2 and z_odd < 0.02:
        return "utf-16-be"
    return None


def _looks_like_big5(text: str, data: bytes) -> bool:
    """GBK decoding of Big5 bytes gives mostly characters outside GB2312 (rare in simplified text)."""
    cjk = [c for c in text if "\u4e00" <= c <= "\u9fff" or "\ue000" <= c <= "\uf8ff"][:4000]
    if len(cjk) < 8:
        return False
    rare = 0
    for c in cjk:
        try:
            c.encode("gb2312")
        except UnicodeEncodeError:
            rare += 1
    if rare / len(cjk) < 0.3:
        return False
    try:
        data.decode("big5")
    except UnicodeDecodeError:
        return False
    return True


def decode_bytes(data: bytes, file: str | Path = "<bytes>") -> Decoded:
    """Decode a text file's bytes; the decision is reported, never silent, and never mojibake.

    Order: UTF-8 byte-order mark; UTF-16 with a BOM (Excel's "Unicode text") or without one; strict
    UTF-8; a file whose lines are partly UTF-8 and partly GBK (each line decoded on its own, with a
    warning); strict GB18030 (superset of GBK) unless the result looks like Big5 (traditional Chinese),
    which is refused with a message. A NUL byte in the decoded text is an error naming its line.

    Raises
    ------
    RawFileError
        Undecodable bytes, Big5, NUL bytes (the message says how to re-save the file).
    """
    decoded = _decode(data, file)
    nul = decoded.text.find("\x00")
    if nul >= 0:
        raise RawFileError(file, "NUL byte (\\x00) in the file: it is not plain text (a binary file, or a "
                           "spreadsheet saved in another format); save it as CSV UTF-8 (逗号分隔, UTF-8)",
                           row=_line_of(decoded.text, nul))
    return decoded


def _decode(data: bytes, file: str | Path) -> Decoded:
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return Decoded(data[3:].decode("utf-8"), "utf-8-sig", "UTF-8 byte-order mark")
        except UnicodeDecodeError as e:
            raise RawFileError(file, f"starts with a UTF-8 byte-order mark but byte {e.start + 3} is not UTF-8; "
                               "save the file as CSV UTF-8 again") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        enc = "utf-16-le" if data.startswith(b"\xff\xfe") else "utf-16-be"
        try:
            return Decoded(data[2:].decode(enc), "utf-16", f"UTF-16 byte-order mark ({enc[-2:].upper()}), "
                           "as Excel's 'Unicode text'")
        except UnicodeDecodeError as e:
            raise RawFileError(file, f"starts with a UTF-16 byte-order mark but is not valid UTF-16 (byte "
                               f"{e.start + 2}); save the file as CSV UTF-8") from None
    enc16 = _utf16_without_bom(data)
    if enc16:
        try:
            return Decoded(data.decode(enc16), enc16, f"UTF-16 without byte-order mark ({enc16[-2:].upper()})")
        except UnicodeDecodeError:
            pass
    try:
        return Decoded(data.decode("utf-8"), "utf-8", "valid UTF-8")
    except UnicodeDecodeError as e:
        utf8_error = e
    mixed = _decode_mixed(data)
    if mixed is not None:
        return mixed
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        if _looks_like_big5(text, data):
            raise RawFileError(file, "the file looks like Big5 (traditional Chinese); read as GBK it would be "
                               "garbled. Save it as CSV UTF-8 (and use the simplified names of regions and "
                               "indicators)")
        return Decoded(text, "gb18030", f"not UTF-8 (byte {utf8_error.start}); valid GBK/GB18030")
    guess = ""
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:65536]).best()
        if best is not None:
            guess = f"; it looks like {best.encoding}"
    except Exception:  # pragma: no cover - detection is only a hint
        pass
    raise RawFileError(file, f"cannot decode as UTF-8, UTF-16 or GBK/GB18030{guess}; save the file as UTF-8",
                       row=data[: utf8_error.start].count(b"\n") + 1)


def _decode_mixed(data: bytes) -> Decoded | None:
    """Lines partly in UTF-8 (with Chinese) and partly in GBK: each line decoded on its own."""
    parts = _LINE_SPLIT.split(data)
    utf8_cjk, gbk_lines, out = False, [], []
    line = 1
    for i, part in enumerate(parts):
        if i % 2:  # a line end
            out.append(part.decode("ascii"))
            line += 1
            continue
        try:
            t = part.decode("utf-8")
            utf8_cjk = utf8_cjk or not part.isascii()
        except UnicodeDecodeError:
            try:
                t = part.decode("gb18030")
            except UnicodeDecodeError:
                return None
            gbk_lines.append(line)
        out.append(t)
    if not (utf8_cjk and gbk_lines):
        return None
    shown = ", ".join(map(str, gbk_lines[:10])) + (" …" if len(gbk_lines) > 10 else "")
    return Decoded("".join(out), "mixed", f"mixed encodings: line(s) {shown} are GBK, the others UTF-8; each line "
                   "was decoded on its own. Save the file as UTF-8 to be sure", severity="warning")


def _canon_headers(headers: list[str], aliases: dict[str, str]) -> list[str]:
    out = []
    for h in headers:
        key = unicodedata.normalize("NFKC", str(h)).translate(_ZW_TABLE).strip()
        out.append(aliases.get(key, aliases.get(key.lower(), key)))
    return out


@dataclass
class TextTable:
    """Rows of a delimited text file with the line each row starts on and what reading decided."""

    rows: list[list[str]]
    lines: list[int]  # 1-based line where each row starts (right after multi-line quoted fields too)
    decoded: Decoded
    notes: list[Issue]


_SEP_LINE = re.compile(r'^"?sep=(.)"?[ \t]*(?:\r\n|\r|\n|$)', re.IGNORECASE)


def read_text_rows(path: str | Path, data: bytes | None = None) -> TextTable:
    """Read a CSV (or tab/semicolon-separated) file into rows of strings.

    Line ends CRLF, LF or old-Mac CR; Excel's ``sep=;`` first line is honoured (and skipped); the
    delimiter is otherwise the most frequent of , tab ; in the first line. Zero-width characters are
    removed (with a note). Row line numbers count physical lines, so a message after a quoted field
    spanning lines still names the right line.

    Raises
    ------
    RawFileError
        For undecodable bytes and malformed quoting (with the line).
    """
    path = Path(path)
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # long cells are read, then cut in messages
    decoded = decode_bytes(path.read_bytes() if data is None else data, path)
    text = decoded.text
    notes: list[Issue] = []
    n_zw = sum(text.count(c) for c in ZERO_WIDTH)
    if n_zw:
        text = text.translate(_ZW_TABLE)
        notes.append(Issue("info", str(path), None, "", "", f"removed {n_zw} invisible zero-width character(s)"))
    offset = 0
    m = _SEP_LINE.match(text)
    if m:
        delim = m.group(1)
        text = text[m.end():]
        offset = 1
        notes.append(Issue("info", str(path), 1, "", "", f"first line sep={delim} (Excel): delimiter {delim!r}"))
    else:
        first = text.split("\n", 1)[0].split("\r", 1)[0]
        counts = {d: first.count(d) for d in (",", "\t", ";")}
        delim = max(counts, key=counts.get) if max(counts.values()) else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    rows, lines = [], []
    prev = 0
    try:
        for row in reader:
            rows.append(row)
            lines.append(prev + 1 + offset)
            prev = reader.line_num
    except csv.Error as e:
        raise RawFileError(path, f"cannot read the CSV ({e}); check the quotes on this line",
                           row=prev + 1 + offset) from None
    return TextTable(rows, lines, decoded, notes)


def read_text_table(path: str | Path) -> tuple[list[list[str]], Decoded]:
    """Rows of a CSV file as lists of strings, with the decoding decision (see `read_text_rows`)."""
    t = read_text_rows(path)
    return t.rows, t.decoded


def _encoding_issue(path: Path, d: Decoded) -> Issue:
    return Issue(d.severity, str(path), None, "encoding", d.encoding, f"encoding: {d.detail}")


TIDY_COLUMNS = ["region", "year", "indicator", "value", "unit", "status", "source_id", "note", "quote"]
_RAGGED_HINT = ("; a number with an unquoted thousands separator (1,856) or a comma inside a name splits a field "
                "— remove the comma or put the cell in double quotes")


def check_header(path: str | Path, raw_header: list[str], headers: list[str], where_row: int = 1) -> list[Issue]:
    """Errors for duplicate columns (also two names for one column, e.g. 指标 and indicator); warnings for
    columns that are not used."""
    issues = []
    seen: dict[str, int] = {}
    for i, h in enumerate(headers):
        if not h:
            continue
        if h in seen:
            j = seen[h]
            issues.append(Issue("error", str(path), where_row, h, str(raw_header[i]),
                                f"duplicate column: column {j + 1} ({raw_header[j]!r}) and column {i + 1} "
                                f"({raw_header[i]!r}) both mean {h}; keep one of them"))
        else:
            seen[h] = i
    unused = [str(raw_header[i]) for i, h in enumerate(headers) if h and h not in TIDY_COLUMNS
              and h not in ("indicator_name", "attribute", "basis")]
    if unused:
        issues.append(Issue("warning", str(path), where_row, "header", ", ".join(unused),
                            f"column(s) not used: {', '.join(unused)}; known columns are "
                            f"{', '.join(TIDY_COLUMNS)} (or 地区, 年份, 指标, 数值, 单位, 状态, 来源编号, 备注, 原文引用)"))
    return issues


#: Files at least this large are read with pyarrow when they are plain (see `_read_tidy_fast`).
FAST_MIN_BYTES = 4_000_000
#: The zero-width characters as an alternation of literals (RE2 on bytes matches each one's UTF-8 bytes).
_ZW_PATTERN = "|".join(re.escape(c) for c in ZERO_WIDTH)


def _has_zero_width(body: bytes, start: int = 0) -> bool:
    """True when the UTF-8 bytes (from `start`) hold a zero-width character (ZERO_WIDTH). One RE2 pass over the bytes
    (as one binary value, no copy): `bytes.__contains__` per character is several times slower on a
    large file of Chinese text, whose punctuation shares the characters' first bytes."""
    import pyarrow as pa
    import pyarrow.compute as pac

    offsets = pa.array([start, len(body)], pa.int64()).buffers()[1]
    whole = pa.LargeBinaryArray.from_buffers(pa.large_binary(), 1, [None, offsets, pa.py_buffer(body)])
    return bool(pac.match_substring_regex(whole, _ZW_PATTERN)[0].as_py())


def _read_tidy_fast(path: Path, data: bytes) -> tuple[pd.DataFrame, list[Issue]] | None:
    """pyarrow's multi-threaded CSV reader for a large plain file, or None to use the careful reader.

    Plain means: UTF-8 (BOM allowed), comma-separated, one row per line (no quoted line breaks, no blank
    lines, as many fields in every row as in the header), no NUL or zero-width characters, no ``sep=``
    line. Anything else goes through `read_text_rows`, which names every problem with its line; both
    give the same records for a plain file.
    """
    import pyarrow as pa
    import pyarrow.compute as pac
    import pyarrow.csv as pcsv

    # A UTF-8 byte-order mark is skipped by offset, not by slicing (a copy of the whole file).
    bom = data.startswith(b"\xef\xbb\xbf")
    start = 3 if bom else 0
    if data.find(b"\x00", start) >= 0 or _has_zero_width(data, start):
        return None
    nl = data.find(b"\n", start)
    first = data[start: nl if nl >= 0 else len(data)].rstrip(b"\r")
    try:
        first_text = first.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if first_text.lower().lstrip('"').startswith("sep=") or "\r" in first_text:
        return None
    if first_text.count(",") < max(first_text.count("\t"), first_text.count(";"), 1):
        return None
    header = next(csv.reader([first_text]))
    headers = _canon_headers(header, HEADER_ALIASES)
    if "indicator" not in headers and "indicator_name" in headers:
        headers = ["indicator" if h == "indicator_name" else h for h in headers]
    if any(c not in headers for c in ("region", "year", "indicator", "value")):
        return None
    head_issues = check_header(path, header, headers)
    if any(i.severity == "error" for i in head_issues):
        return None
    names = [f"c{i}" for i in range(len(headers))]
    try:
        table = pcsv.read_csv(
            pa.py_buffer(data).slice(start), read_options=pcsv.ReadOptions(skip_rows=1, column_names=names, block_size=1 << 24),
            parse_options=pcsv.ParseOptions(newlines_in_values=False),
            convert_options=pcsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()),
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False))
    except (pa.ArrowInvalid, pa.ArrowException):
        return None
    n_lines = data.count(b"\n", start) + data.count(b"\r", start) - data.count(b"\r\n", start)
    if len(data) > start and not data.endswith((b"\n", b"\r")):
        n_lines += 1
    if n_lines != table.num_rows + 1:  # quoted line breaks or blank lines: line numbers need the careful reader
        return None
    for name, h in zip(names, headers, strict=True):
        if not h and pac.any(pac.not_equal(table.column(name), "")).as_py():
            return None  # text under an empty header: the careful reader names the rows
    n = table.num_rows
    # Blank rows are skipped by the careful reader too.
    blank = np.ones(n, dtype=bool)
    for name in names:
        blank &= pac.equal(pac.utf8_trim_whitespace(table.column(name)), "").to_numpy(zero_copy_only=False)
    cols = {}
    for name, h in zip(names, headers, strict=True):
        if h in TIDY_COLUMNS and h not in cols:
            # Text columns repeat (names, units, statuses, notes): categoricals hold each text once, so a
            # million rows take tens of MB instead of hundreds; values stay text (parsed in `clean`).
            col = table.column(name).to_pandas()
            cols[h] = col if h == "value" else col.astype("category")
            del col
    del table
    empty = pd.Categorical.from_codes(np.zeros(n, dtype="int8"), categories=[""])
    df = pd.DataFrame({c: cols.pop(c) if c in cols else empty for c in TIDY_COLUMNS})
    df["attribute"], df["basis"] = empty, empty
    df["_file"] = pd.Categorical.from_codes(np.zeros(n, dtype="int8"), categories=[str(path)])
    df["_row"] = np.arange(2, n + 2, dtype="int64")
    df["_field"] = pd.Categorical.from_codes(np.zeros(n, dtype="int8"), categories=["value"])
    if blank.any():
        df = df[~blank].reset_index(drop=True)
    encoding = "utf-8-sig" if bom else "utf-8"
    detail = "UTF-8 byte-order mark" if bom else "valid UTF-8"
    return df, [Issue("info", str(path), None, "encoding", encoding, f"encoding: {detail}"), *head_issues]


def read_tidy_csv(path: str | Path) -> tuple[pd.DataFrame, list[Issue]]:
    """Read a tidy CSV into raw records with provenance (`_file`, `_row`).

    Required columns: region, year, indicator, value (Chinese headers accepted). Missing optional columns
    (unit, status, source_id, note, quote) are added empty. A row with more or fewer fields than the
    header, and a duplicate column, are errors (the row is left out; nothing is shifted into the wrong
    column). Large plain files are read with pyarrow (same records, see `_read_tidy_fast`).
    """
    path = Path(path)
    data = path.read_bytes()
    if len(data) >= FAST_MIN_BYTES:
        fast = _read_tidy_fast(path, data)
        if fast is not None:
            del data
            return fast
    t = read_text_rows(path, data)
    del data
    rows = t.rows
    issues = [_encoding_issue(path, t.decoded), *t.notes]
    if not rows:
        raise RawFileError(path, "file is empty; expected a header row (region, year, indicator, value, …)")
    hline = t.lines[0]
    headers = _canon_headers(rows[0], HEADER_ALIASES)
    if "indicator" not in headers and "indicator_name" in headers:
        headers = ["indicator" if h == "indicator_name" else h for h in headers]
    missing = [c for c in ("region", "year", "indicator", "value") if c not in headers]
    if missing:
        raise RawFileError(path, f"missing column(s) {', '.join(missing)}; header is {rows[0]}", row=hline)
    head_issues = check_header(path, rows[0], headers, hline)
    issues += head_issues
    if any(i.severity == "error" for i in head_issues):
        return _records_frame([]), issues
    width = len(headers)
    records = []
    for lineno, r in zip(t.lines[1:], rows[1:], strict=True):
        if not any(c.strip() for c in r):
            continue
        if len(r) != width:
            issues.append(Issue("error", str(path), lineno, "", ",".join(r),
                                f"row has {len(r)} fields but the header has {width}{_RAGGED_HINT}"))
            continue
        rec = dict(zip(headers, r, strict=True))
        for i, h in enumerate(headers):
            if not h and r[i].strip():
                issues.append(Issue("warning", str(path), lineno, "", r[i],
                                    f"text in column {i + 1}, which has no header, is not used"))
        rec.update(_file=str(path), _row=lineno, _field="value")
        records.append(rec)
    return _records_frame(records), issues


def _records_frame(records: list[dict]) -> pd.DataFrame:
    cols = ["region", "year", "indicator", "value", "unit", "status", "source_id", "note", "quote", "attribute",
            "basis", "_file", "_row", "_field"]
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


# --------------------------------------------------------------------------- Excel workbooks

TEMPLATE_DATA_SHEET = "数据"
TEMPLATE_SOURCES_SHEET = "来源"
TEMPLATE_TARGETS_SHEET = "规划目标"
#: Excel's error values; in a value cell they are an error, never a figure or a blank.
EXCEL_ERRORS = frozenset({"#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#GETTING_DATA",
                          "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!"})
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _workbook_problem(path: Path, data: bytes) -> str | None:
    """Why a file is not an .xlsx workbook, from its first bytes (None: it is a zip, try openpyxl)."""
    if data.startswith(b"PK\x03\x04"):
        return None
    if data.startswith(_OLE2):
        if "EncryptedPackage".encode("utf-16-le") in data[:1 << 20]:
            return ("the workbook is password-protected (encrypted); open it in Excel/WPS, remove the password "
                    "(文件 → 信息 → 保护工作簿 / 加密) and save it as .xlsx")
        return ("this is an old Excel 97-2003 workbook (.xls); open it in Excel/WPS and save it as "
                "Excel 工作簿 (.xlsx)")
    if not data.strip():
        return "the file is empty"
    try:
        decode_bytes(data[:65536], path)
        return "this is a text (CSV) file with an Excel name; rename it to .csv, or save it from Excel as .xlsx"
    except RawFileError:
        return "not an Excel .xlsx workbook (the file is damaged or in another format); save it again as .xlsx"


class Workbook:
    """An .xlsx opened twice, read-only: saved values and formulas (to find formulas without a result)."""

    def __init__(self, path: str | Path):
        from openpyxl import load_workbook

        self.path = Path(path)
        data = self.path.read_bytes()
        problem = _workbook_problem(self.path, data)
        if problem:
            raise RawFileError(self.path, problem)
        try:
            self.values = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            self.formulas = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        except Exception as e:  # openpyxl raises many types for damaged files
            raise RawFileError(self.path, f"damaged .xlsx workbook ({type(e).__name__}: {str(e)[:80]}); open it in "
                               "Excel/WPS and save it again") from None
        self.sheetnames = list(self.values.sheetnames)

    def sheet_name(self, sheet: str | int | None) -> str:
        if sheet is None:
            return self.sheetnames[0]
        if isinstance(sheet, int) and not isinstance(sheet, bool):
            if 0 <= sheet < len(self.sheetnames):
                return self.sheetnames[sheet]
            raise RawFileError(self.path, f"sheet number {sheet} not found; the workbook has {len(self.sheetnames)} "
                               f"sheet(s): {', '.join(self.sheetnames)}", field="sheet")
        if str(sheet) not in self.sheetnames:
            raise RawFileError(self.path, f"sheet {str(sheet)!r} not found; sheets are {', '.join(self.sheetnames)}",
                               field="sheet")
        return str(sheet)

    def rows(self, sheet: str) -> list[list[object]]:
        """Cells of a sheet (row 1 first); a formula without a saved result becomes `Uncached`."""
        out = []
        for vals, forms in zip(self.values[sheet].iter_rows(values_only=True),
                               self.formulas[sheet].iter_rows(values_only=True), strict=False):
            row = []
            for i, v in enumerate(vals):
                f = forms[i] if i < len(forms) else None
                if v is None and f is not None and (isinstance(f, str) and f.startswith("=") or
                                                    type(f).__name__ in ("ArrayFormula", "DataTableFormula")):
                    v = Uncached(str(getattr(f, "text", f)))
                row.append(v)
            out.append(row)
        return out

    def close(self) -> None:
        self.values.close()
        self.formulas.close()


@dataclass(frozen=True)
class Uncached:
    """A formula cell saved without its result (written by a program that does not calculate)."""

    formula: str

    def __str__(self) -> str:
        return self.formula


def cell_problem(v: object, kind: str = "value") -> str | None:
    """Why an Excel cell cannot be a figure (kind 'value') or a year (kind 'year'); None when it can."""
    import datetime as dt

    if isinstance(v, Uncached):
        return (f"formula {v.formula[:60]} has no saved result (the file was written by a program that does not "
                "calculate); open the file in Excel or WPS and save it again")
    if isinstance(v, bool):
        return f"{'TRUE' if v else 'FALSE'} (a yes/no cell) is not a {'year' if kind == 'year' else 'figure'}"
    if isinstance(v, (dt.datetime, dt.date, dt.time)):
        shown = v.isoformat()[:10] if not isinstance(v, dt.time) else v.isoformat()
        if kind == "year":
            return f"a date ({shown}) where a year belongs; format the cell as 常规/number and type the year, e.g. 2020"
        return f"a date ({shown}) where a figure belongs; format the cell as 常规/number and type the figure"
    if isinstance(v, str) and v.strip() in EXCEL_ERRORS:
        return f"Excel error value {v.strip()} in the cell; fix the formula in the workbook or leave the cell empty"
    return None


def _cell_str(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    return str(v).translate(_ZW_TABLE)


#: Fields of a template row whose cells must be plain values (year and value are checked for type).
_TEMPLATE_KEY_FIELDS = ("region", "year", "indicator", "value", "unit", "status", "source_id")


def _template_records(path: Path, wb: Workbook, sheet: str, issues: list[Issue]) -> list[dict]:
    """Long-layout rows (region, year, indicator, value …) of one sheet; Excel row numbers."""
    rows = wb.rows(sheet)
    if not rows:
        return []
    raw_header = [_cell_str(h) for h in rows[0]]
    headers = _canon_headers(raw_header, HEADER_ALIASES)
    where = f"{path}#{sheet}"
    head_issues = check_header(where, raw_header, headers)
    issues += [i for i in head_issues if i.severity == "error"]
    if any(i.severity == "error" for i in head_issues):
        return []
    has_code = "indicator" in headers
    records = []
    for excel_row, r in enumerate(rows[1:], start=2):
        cells = {h: (r[i] if i < len(r) else None) for i, h in enumerate(headers) if h}
        if not any(_cell_str(v).strip() for k, v in cells.items() if k != "indicator_name"
                   and not isinstance(v, Uncached)):
            continue
        bad = False
        for f in _TEMPLATE_KEY_FIELDS:
            v = cells.get(f)
            problem = cell_problem(v, "year" if f == "year" else "value")
            if problem and (f in ("year", "value") or isinstance(v, (Uncached, bool))
                            or (isinstance(v, str) and v.strip() in EXCEL_ERRORS)):
                issues.append(Issue("error", where, excel_row, f, _cell_str(v), problem))
                bad = True
        if bad:
            continue
        rec = {h: _cell_str(v) for h, v in cells.items() if not isinstance(v, Uncached)}
        if (not has_code or not rec.get("indicator")) and rec.get("indicator_name"):
            rec["indicator"] = rec["indicator_name"]
        rec.update(_file=where, _row=excel_row, _field="value")
        records.append(rec)
    return records


def read_template(path: str | Path) -> tuple[pd.DataFrame, pd.DataFrame | None, list[Issue]]:
    """Read the bureau's filled-in Excel template: observations and sources (sheet 来源).

    Observations come from the long sheet 数据 (one figure per row) and from wide sheets (see
    `template.WIDE_MARK`: one sheet per indicator with regions down and years across). Row numbers in
    messages are Excel row numbers. Formula cells without a saved result, dates, TRUE/FALSE and error
    values (#N/A) in year or value cells are errors, never figures or blanks.
    """
    path = Path(path)
    wb = Workbook(path)
    try:
        issues: list[Issue] = []
        wide = [s for s in wb.sheetnames if _is_wide_sheet(wb, s)]
        if TEMPLATE_DATA_SHEET not in wb.sheetnames and not wide:
            raise RawFileError(path, f"sheet {TEMPLATE_DATA_SHEET!r} not found; sheets are "
                               f"{', '.join(wb.sheetnames)} (is this the liyang-ip data template?)", field="sheet")
        records = []
        if TEMPLATE_DATA_SHEET in wb.sheetnames:
            records += _template_records(path, wb, TEMPLATE_DATA_SHEET, issues)
        for s in wide:
            records += _wide_records(path, wb, s, issues)
        sources = None
        if TEMPLATE_SOURCES_SHEET in wb.sheetnames:
            srows = [[_cell_str(v) for v in r] for r in wb.rows(TEMPLATE_SOURCES_SHEET)]
            if srows:
                sources = _sources_frame(srows, f"{path}#{TEMPLATE_SOURCES_SHEET}")
    finally:
        wb.close()
    return _records_frame(records), sources, issues


def read_template_targets(path: str | Path) -> tuple[pd.DataFrame, list[Issue]]:
    """Plan targets from the template's 规划目标 sheet (region, indicator, year, value, 属性, source), as raw
    records; an empty frame when the sheet is missing or empty."""
    path = Path(path)
    wb = Workbook(path)
    try:
        issues: list[Issue] = []
        records = (_template_records(path, wb, TEMPLATE_TARGETS_SHEET, issues)
                   if TEMPLATE_TARGETS_SHEET in wb.sheetnames else [])
    finally:
        wb.close()
    return _records_frame(records), issues


#: The first cell of a wide sheet (A1) names its layout: "宽表" (regions down, years across).
WIDE_MARK = "宽表"


def _is_wide_sheet(wb: Workbook, sheet: str) -> bool:
    first = next(iter(wb.values[sheet].iter_rows(min_row=1, max_row=1, max_col=1, values_only=True)), (None,))
    return bool(first) and isinstance(first[0], str) and first[0].strip().startswith(WIDE_MARK)


def _wide_records(path: Path, wb: Workbook, sheet: str, issues: list[Issue]) -> list[dict]:
    """A wide sheet of the template: A1 "宽表", row 2 the indicator (B2), unit (D2), status (F2) and
    source (H2), row 4 the header 地区 | 2016 | 2017 …, then one row per region.

    Each filled cell becomes one record; a blank cell is a gap (left out), never 0.
    """
    rows = wb.rows(sheet)
    where = f"{path}#{sheet}"

    def at(r, c):
        return rows[r][c] if r < len(rows) and c < len(rows[r]) else None

    indicator, unit, status, source = (_cell_str(at(1, c)).strip() for c in (1, 3, 5, 7))
    if len(rows) < 4:
        return []
    header = rows[3]
    years = {}
    for c, h in enumerate(header[1:], start=1):
        y = year_of_header(h)
        if y is not None:
            years[c] = y
        elif _cell_str(h).strip():
            issues.append(Issue("error", where, 4, "year", _cell_str(h), "not a year in the year header row; "
                                "write years such as 2020 or 2020年"))
    records = []
    for excel_row, r in enumerate(rows[4:], start=5):
        region = _cell_str(r[0] if r else "").strip()
        filled = {c: r[c] for c in years if c < len(r) and r[c] is not None and _cell_str(r[c]).strip()}
        if not filled:
            continue
        if not indicator:
            issues.append(Issue("error", where, 2, "indicator", "", "the sheet's indicator (B2) is empty; choose "
                                "one from the list"))
            return []
        for c, v in filled.items():
            col = _column_letter(c)
            problem = cell_problem(v)
            if problem:
                issues.append(Issue("error", where, excel_row, "value", _cell_str(v), f"{col}{excel_row}: {problem}"))
                continue
            records.append({"region": region, "year": str(years[c]), "indicator": indicator, "value": _cell_str(v),
                            "unit": unit, "status": status, "source_id": source, "note": "", "quote": "",
                            "_file": where, "_row": excel_row, "_field": f"{years[c]}年"})
    return records


def _column_letter(c: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(c + 1)


# --------------------------------------------------------------------------- yearbook tables

_YEAR_HEADER = re.compile(r"^\s*((?:19|20)\d{2})\s*(?:年|年度|年末|年底)?\s*$")
_YEAR_IN_TITLE = re.compile(r"((?:19|20)\d{2})\s*年")
_UNIT_IN_NAME = re.compile(r"^(?P<name>.*?)\s*[（(]\s*(?P<unit>[^（）()]+?)\s*[）)]\s*$")
_NAME_FOOTNOTE = re.compile(r"[*#△▲☆★†‡\u2460-\u2473\u00b9\u00b2\u00b3\u2070-\u2079]+$|[（(]\d[）)]$|\[\d+\]$")
_SUBROW = re.compile(r"^(?:其中|内)\s*[:：]\s*|^[#＃]\s*")
_NOTE_ROW = ("注", "资料来源", "数据来源", "说明", "备注", "Note", "Source", "*注")
#: Rows of a regions-down table that hold the table's total (the parent region, e.g. the city).
TOTAL_ROWS = ("合计", "总计", "全市", "全区", "总 计", "合 计")
LAYOUTS = ("auto", "regions-down", "indicators-down")


def year_of_header(v: object) -> int | None:
    """The year a header cell names (2020, 2020.0, '2020年', '２０２０年末'), or None."""
    if isinstance(v, bool) or v is None or isinstance(v, Uncached):
        return None
    if isinstance(v, (int, float)):
        return int(v) if float(v).is_integer() and 1900 <= v <= 2099 else None
    m = _YEAR_HEADER.match(unicodedata.normalize("NFKC", str(v)).translate(_ZW_TABLE))
    return int(m.group(1)) if m else None


def _norm(v: object) -> str:
    return unicodedata.normalize("NFKC", _cell_str(v)).translate(_ZW_TABLE).strip()


def split_name(text: object) -> tuple[str, str, str]:
    """(name, unit, footnote) of a yearbook row or column label: 专利授权量（件）① → (专利授权量, 件, ①).

    ``其中：`` and indentation are removed (a sub-row names its own indicator).
    """
    raw = _cell_str(text).translate(_ZW_TABLE).strip().replace("\u3000", " ")
    footnote = ""
    m = _NAME_FOOTNOTE.search(raw)
    if m and m.start() > 0:
        footnote, raw = m.group(0), raw[: m.start()].strip()
    name = unicodedata.normalize("NFKC", raw).strip()
    name = _SUBROW.sub("", name).strip()
    unit = ""
    m = _UNIT_IN_NAME.match(name)
    if m:
        name, unit = m.group("name").strip(), m.group("unit").strip()
    m = _NAME_FOOTNOTE.search(name)
    if m and m.start() > 0 and not footnote:
        footnote, name = m.group(0), name[: m.start()].strip()
    return re.sub(r"\s+", "", name), unit, footnote


def _table_rows(path: Path, sheet: str | int | None, issues: list[Issue]) -> tuple[list[list[object]], list[int]]:
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        wb = Workbook(path)
        try:
            name = wb.sheet_name(sheet)
            rows = wb.rows(name)
        finally:
            wb.close()
        return rows, list(range(1, len(rows) + 1))
    t = read_text_rows(path)
    issues += [_encoding_issue(path, t.decoded), *t.notes]
    return t.rows, t.lines


def _resolve(kind: str, name: str, region_sets=None) -> tuple[str | None, str]:
    """(canonical, '') or (None, why) for a region (in `region_sets`, default the default set) or indicator
    label."""
    from .. import registry
    from ..registry.regionsets import region_set_list, resolve_in

    try:
        if kind == "region":
            return resolve_in(name, region_set_list(region_sets))[0], ""
        return registry.resolve_indicator(name), ""
    except registry.UnknownNameError as e:
        hint = f"; did you mean {' / '.join(e.suggestions)}?" if e.suggestions else ""
        return None, f"not a catalogue {kind}{hint}"


def detect_layout(rows: list[list[object]]) -> str:
    """'indicators-down' when a header row has year columns, else 'regions-down' when the first column
    holds regions; RawFileError-free: the caller reports when neither fits."""
    best = max((sum(year_of_header(c) is not None for c in r) for r in rows), default=0)
    if best >= 1:
        return "indicators-down"
    return "regions-down"


def read_yearbook(path: str | Path, region: str | None = None, source_id: str = "", status: str = "official",
                  sheet: str | int | None = None, layout: str = "auto", year: int | None = None,
                  total_region: str | None = None, region_set=None) -> tuple[pd.DataFrame, list[Issue]]:
    """Read a 统计年鉴-style table in one of its two common layouts.

    ``indicators-down``: one region, indicators down, years across (header row: the row with the most
    year-like cells, 2019 / 2019年 / ２０１９年末). ``regions-down``: one year, regions down, indicators
    across (e.g. 分辖市区主要科技指标; the year from `year` or the title, 2020年…). Yearbook conventions:
    title and note rows (注：, 资料来源：) are skipped; units in labels (专利授权量（件）) or a 单位 column;
    footnote markers after labels; ``其中：`` sub-rows name their own indicator; 合计/全市 rows are the
    table's total (`total_region`, default the parent of `region_set`); cells may hold —, …, full-width
    digits, 1,856, 万/亿 (`clean` interprets them). Region rows are names of `region_set` (a RegionSet,
    bundled name, path or list of them; default: the default set).

    Labels that are not catalogue indicators or regions are left out with one warning each (not one per
    cell). Returns raw records (blank cells included, so coverage can show them as gaps) with `_field`
    naming the cell's column.

    Raises
    ------
    RawFileError
        No header row, no region for an indicators-down table, no year for a regions-down table.
    """
    path = Path(path)
    issues: list[Issue] = []
    if layout not in LAYOUTS:
        raise RawFileError(path, f"unknown layout {layout!r}; use {', '.join(LAYOUTS)}", field="layout")
    rows, lines = _table_rows(path, sheet, issues)
    if layout == "auto":
        layout = detect_layout(rows)
    if layout == "indicators-down":
        records = _indicators_down(path, rows, lines, region, source_id, status, issues)
    else:
        records = _regions_down(path, rows, lines, year, source_id, status, total_region, issues, region_set)
    return _records_frame(records), issues


def _indicators_down(path, rows, lines, region, source_id, status, issues) -> list[dict]:
    counts = [sum(year_of_header(c) is not None for c in r) for r in rows]
    if not counts or max(counts) == 0:
        raise RawFileError(path, "no header row with year columns (2019, 2019年…) found; for a table with regions "
                           "down and indicators across use --layout regions-down")
    if not str(region or "").strip():
        raise RawFileError(path, "an indicators-down table (years across) describes one region: give it (region: in "
                           "dataset.yaml, --region for data import)", field="region")
    hi = counts.index(max(counts))  # the row with the most year-like cells; a title with a year has one
    header = rows[hi]
    year_cols = {i: year_of_header(c) for i, c in enumerate(header) if year_of_header(c) is not None}
    unit_col = next((i for i, h in enumerate(header) if _norm(h) in ("单位", "计量单位", "unit")), None)
    name_col = next((i for i in range(len(header)) if i not in year_cols and i != unit_col), None)
    if name_col is None:
        raise RawFileError(path, "no column for the indicator names (the header has only years)", row=lines[hi])
    records = []
    for r, line in zip(rows[hi + 1:], lines[hi + 1:], strict=True):
        label = r[name_col] if name_col < len(r) else ""
        text = _norm(label)
        if not text or text.startswith(_NOTE_ROW):
            continue
        name, unit, _ = split_name(label)
        col_unit = _norm(r[unit_col]) if unit_col is not None and unit_col < len(r) else ""
        unit = col_unit or unit
        cells = {c: (r[c] if c < len(r) else None) for c in year_cols}
        if not name or not any(_cell_str(v).strip() for v in cells.values()):
            continue  # a section heading (一、专利) without figures
        code, why = _resolve("indicator", name)
        if code is None:
            issues.append(Issue("warning", str(path), line, "indicator", name, f"row left out: {why}"))
            continue
        for c, v in cells.items():
            field = _cell_str(header[c]).strip()
            problem = cell_problem(v)
            if problem:
                issues.append(Issue("error", str(path), line, "value", _cell_str(v), f"[{field}] {problem}"))
                continue
            records.append({"region": region, "year": str(year_cols[c]), "indicator": code, "value": _cell_str(v),
                            "unit": unit, "status": status, "source_id": source_id, "note": "", "quote": "",
                            "_file": str(path), "_row": line, "_field": field})
    return records


def _regions_down(path, rows, lines, year, source_id, status, total_region, issues, region_set=None) -> list[dict]:
    from ..registry.regionsets import region_set_list

    sets = region_set_list(region_set)
    first_region = None
    for i, r in enumerate(rows):
        label = _norm(r[0]) if r else ""
        if label and (label.replace(" ", "") in TOTAL_ROWS or _resolve("region", label, sets)[0]):
            first_region = i
            break
    if first_region is None or first_region == 0:
        raise RawFileError(path, "no header row with year columns (2019, 2019年…) and no header row followed by "
                           "region rows (溧阳市, 金坛区 … in the first column) found")
    hi = first_region - 1
    # A units row between the header and the data (（件） under each label) belongs to the header.
    unit_row = None
    if hi >= 1 and not _norm(rows[hi][0] if rows[hi] else "") and any(_norm(c) for c in rows[hi][1:]):
        unit_row, hi = hi, hi - 1
    if year is None:
        found = sorted({int(m.group(1)) for r in rows[:hi + 1] for c in r
                        for m in _YEAR_IN_TITLE.finditer(unicodedata.normalize("NFKC", _cell_str(c)))})
        if len(found) != 1:
            raise RawFileError(path, "a regions-down table is for one year: give it with --year (the title names "
                               + (f"several years {found})" if found else "no year)"), field="year")
        year = found[0]
    header = rows[hi]
    cols = {}
    for c in range(1, len(header)):
        if not _cell_str(header[c]).strip():
            continue
        name, unit, _ = split_name(header[c])
        if unit_row is not None and c < len(rows[unit_row]) and _norm(rows[unit_row][c]):
            unit = unit or split_name(f"x{_norm(rows[unit_row][c])}")[1] or _norm(rows[unit_row][c])
        code, why = _resolve("indicator", name)
        if code is None:
            issues.append(Issue("warning", str(path), lines[hi], "indicator", name, f"column left out: {why}"))
            continue
        cols[c] = (code, unit, _cell_str(header[c]).strip())
    total = total_region or sets[0].parent  # 合计/全市 rows: the parent of the dataset's (first) region set
    records = []
    for r, line in zip(rows[first_region:], lines[first_region:], strict=True):
        label = _norm(r[0]) if r else ""
        if not label or label.startswith(_NOTE_ROW):
            continue
        if label.replace(" ", "") in TOTAL_ROWS:
            region = total
        else:
            name, _, _ = split_name(label)
            region, why = _resolve("region", name, sets)
            if region is None:
                issues.append(Issue("warning", str(path), line, "region", label, f"row left out: {why}"))
                continue
        for c, (code, unit, field) in cols.items():
            v = r[c] if c < len(r) else None
            problem = cell_problem(v)
            if problem:
                issues.append(Issue("error", str(path), line, "value", _cell_str(v), f"[{field}] {problem}"))
                continue
            records.append({"region": region, "year": str(year), "indicator": code, "value": _cell_str(v),
                            "unit": unit, "status": status, "source_id": source_id, "note": "", "quote": "",
                            "_file": str(path), "_row": line, "_field": field})
    return records
