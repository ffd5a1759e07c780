"""Read a patent-list export (CSV / tab-separated text / XLSX) into a frame of raw strings.

Encodings: UTF-8 (with or without BOM), GBK/GB18030, and UTF-16 with a byte-order mark (what Excel's
"Unicode text" / "Unicode 文本" writes: UTF-16LE, tab-separated). The delimiter (comma, tab or semicolon)
is taken from the header line. Nothing is interpreted here: every cell stays text, the file is only
read, and each record keeps its row number as Excel shows it (header = row 1), so later messages can
name file, row and field.

CSV/text files are parsed by pyarrow (multi-threaded, quoted cells may hold newlines); XLSX by openpyxl
in read-only mode.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .columns import REQUIRED, ColumnMap, MappingError


class ExportError(ValueError):
    """An export that cannot be read at all; the message is one line naming the file."""


@dataclass
class RawExport:
    """The export's records as text, one column per canonical field, plus provenance."""

    frame: pd.DataFrame  # canonical fields present in the file (str) + '_row' (int64)
    path: Path
    encoding: str
    columns: dict[str, str]  # field → header in the file
    unmapped: list[str]  # headers the mapping does not know (ignored, listed in the summary)
    sha256: str
    issues: list = field(default_factory=list)  # liyang_ip.data.schema.Issue: rows that could not be read


def sha256_file(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def decode(data: bytes, path: Path, forced: str | None = None) -> tuple[str, str]:
    """Text and the encoding used: BOMs first (UTF-8, UTF-16), then strict UTF-8, then GB18030."""
    if forced:
        try:
            return data.decode(forced), forced
        except (UnicodeDecodeError, LookupError) as e:
            raise ExportError(f"{path}: cannot decode as {forced} (mapping file's encoding): {e}") from None
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as e:
            raise ExportError(f"{path}: starts with a UTF-16 byte-order mark but is not valid UTF-16 ({e})") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        raise ExportError(
            f"{path}: cannot decode as UTF-8, UTF-16 (with BOM) or GBK/GB18030; save the export as UTF-8 CSV"
        ) from None


def _delimiter(header_line: str, forced: str | None) -> str:
    if forced:
        return "\t" if forced in ("tab", "\\t") else forced
    counts = {d: header_line.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _read_csv_as_text(path: Path, options: dict, wanted: set[str] | None = None) -> tuple[list[str], pd.DataFrame, list, str]:
    """pyarrow CSV reader with every column typed as string (no inference)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    data = path.read_bytes()
    forced = options.get("encoding")
    if not forced and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # UTF-8 (with or without BOM) goes to pyarrow as it is, which validates it; GBK/GB18030 is
        # decoded here only when that validation fails (see below). No copy of a large file in between.
        buf = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
        encoding = "utf-8-sig" if len(buf) != len(data) else "utf-8"
        del data
        line = buf.split(b"\n", 1)[0]
        try:
            first = line.decode("utf-8")
        except UnicodeDecodeError:
            return _read_csv_as_text(path, {**options, "encoding": "gb18030", "_auto": True}, wanted)
    else:
        try:
            text, encoding = decode(data, path, forced)
        except ExportError:
            if not options.get("_auto"):
                raise
            raise ExportError(
                f"{path}: cannot decode as UTF-8, UTF-16 (with BOM) or GBK/GB18030; save the export as UTF-8 CSV"
            ) from None
        del data
        text = text.lstrip("\ufeff")
        first = text.split("\n", 1)[0]
        buf = text.encode("utf-8")
        del text
    if not buf.strip():
        raise ExportError(f"{path}: file is empty; expected a header row")
    first = first.rstrip("\r")
    delim = _delimiter(first, options.get("delimiter"))
    # Read the header first to type every column as string.
    import csv
    import io

    header = next(csv.reader(io.StringIO(first), delimiter=delim))
    names = _unique_names(header)
    bad: list[int | None] = []

    def _on_invalid(row) -> str:
        bad.append(row.number)
        return "skip"

    try:
        table = pacsv.read_csv(
            pa.BufferReader(buf),
            read_options=pacsv.ReadOptions(use_threads=True, block_size=1 << 24, column_names=names, skip_rows=1),
            parse_options=pacsv.ParseOptions(
                delimiter=delim, newlines_in_values=True, invalid_row_handler=_on_invalid
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names}, strings_can_be_null=False,
                quoted_strings_can_be_null=False,
                # Only the columns the mapping uses are kept in memory (a provincial export has many more).
                include_columns=[n for n in names if n in wanted] if wanted is not None else None,
            ),
        )
    except pa.ArrowInvalid as e:
        msg = " ".join(str(e).split())
        if "UTF8" in msg.upper().replace("-", "") and encoding.startswith("utf-8"):
            return _read_csv_as_text(path, {**options, "encoding": "gb18030", "_auto": True}, wanted)
        sep = "tab" if delim == "\t" else repr(delim)
        raise ExportError(f"{path}: cannot parse as {sep}-separated text: {msg}") from None
    if bad:
        # Rows with the wrong number of fields: read again with the csv module, which numbers records
        # exactly (pyarrow's numbers are lines, and unknown when reading in parallel).
        return (*_read_csv_slow(buf.decode("utf-8"), delim, names, path), encoding)
    del buf
    frame = table.to_pandas(types_mapper=lambda t: pd.StringDtype("pyarrow") if t == pa.string() else None)
    del table
    frame["_row"] = pd.RangeIndex(2, len(frame) + 2, dtype="int64").to_numpy()
    return names, frame, [], encoding


def _read_csv_slow(text: str, delim: str, names: list[str], path: Path) -> tuple[list[str], pd.DataFrame, list]:
    import csv
    import io

    from liyang_ip.data.schema import Issue

    rows, nums, issues = [], [], []
    reader = csv.reader(io.StringIO(text), delimiter=delim)
    next(reader, None)
    width = len(names)
    for i, r in enumerate(reader, start=2):
        if not r:
            continue
        if len(r) < width or any(c.strip() for c in r[width:]):
            issues.append(Issue("error", str(path), i, "", "", f"row has {len(r)} fields but the header has {width}; row skipped"))
            continue
        rows.append((r + [""] * width)[:width])
        nums.append(i)
    frame = pd.DataFrame(rows, columns=names, dtype=pd.StringDtype("pyarrow"))
    frame["_row"] = pd.array(nums, dtype="int64")
    return names, frame, issues


def _header(path: Path, options: dict) -> list[str]:
    """Header names of a text export (first line only), as _read_csv_as_text names them."""
    import csv
    import io

    with open(path, "rb") as fh:
        head = fh.read(1 << 16)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", errors="ignore")
    else:
        head = head[3:] if head.startswith(b"\xef\xbb\xbf") else head
        enc = options.get("encoding")
        try:
            text = head.decode(enc or "utf-8")
        except (UnicodeDecodeError, LookupError):
            text = head.decode("gb18030", errors="ignore")
    first = text.lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
    delim = _delimiter(first, options.get("delimiter"))
    header = next(csv.reader(io.StringIO(first), delimiter=delim), [])
    return _unique_names(header)


def _unique_names(header: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    names = []
    for h in header:
        h = h.strip()
        n = seen.get(h, 0)
        seen[h] = n + 1
        names.append(h if n == 0 else f"{h}.{n}")
    return names


def _cell_text(v) -> str:
    import datetime as dt

    if v is None:
        return ""
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time(0) else v.isoformat(sep=" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))  # 2021101234567.0 from a number-formatted cell
    return str(v)


def _read_xlsx(path: Path, options: dict) -> tuple[list[str], pd.DataFrame, list, str]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many types for broken files
        raise ExportError(f"{path}: cannot open as an Excel workbook ({type(e).__name__}); save it as .xlsx or CSV") from None
    try:
        sheet = options.get("sheet")
        if sheet is not None and sheet not in wb.sheetnames:
            raise ExportError(f"{path}: no sheet {sheet!r}; sheets are {', '.join(wb.sheetnames)}")
        ws = wb[sheet] if sheet is not None else wb.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise ExportError(f"{path}: sheet {ws.title!r} is empty; expected a header row")
        names = [_cell_text(h).strip() for h in header]
        data = [[_cell_text(v) for v in r] for r in rows]
    finally:
        wb.close()
    width = len(names)
    data = [(r + [""] * width)[:width] for r in data]
    frame = pd.DataFrame(data, columns=names, dtype=pd.StringDtype("pyarrow")) if data else pd.DataFrame(
        {n: pd.Series(dtype=pd.StringDtype("pyarrow")) for n in names}
    )
    frame["_row"] = pd.RangeIndex(2, len(frame) + 2, dtype="int64").to_numpy()
    return names, frame, [], "xlsx"


def read_export(path: str | Path, cmap: ColumnMap) -> RawExport:
    """Read an export and keep the mapped columns (as text) with row numbers.

    Raises
    ------
    ExportError
        File missing, empty, undecodable or unparsable, or a required field (申请号, 申请日) has no
        column; the message names the file and the headers found.
    """
    path = Path(path)
    if not path.is_file():
        raise ExportError(f"{path}: file not found")
    options = dict(cmap.options)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        names, frame, issues, encoding = _read_xlsx(path, options)
    elif suffix == ".xls":
        raise ExportError(f"{path}: old .xls workbooks are not read; save the export as .xlsx or CSV")
    else:
        names, frame, issues, encoding = _read_csv_as_text(path, options, set(cmap.resolve(_header(path, options)).values()))
    columns = cmap.resolve(names)
    missing = [f for f in REQUIRED if f not in columns]
    if missing:
        from .columns import FIELDS

        need = "; ".join(FIELDS[f] for f in missing)
        raise ExportError(
            f"{path}: row 1: no column for {need} (mapping: {cmap.origin}); header is {', '.join(names)}; "
            "pass --columns with a preset or a YAML mapping"
        )
    def text(col: pd.Series) -> pd.Series:
        col = col.astype(pd.StringDtype("pyarrow"))
        return col.fillna("") if col.hasnans else col

    out = pd.DataFrame({f: text(frame[h]) for f, h in columns.items()})
    out["_row"] = frame["_row"].to_numpy()
    # Records with every mapped cell empty are blank lines, not patents.
    nonblank = pd.Series(False, index=out.index)
    for f in columns:
        nonblank |= out[f].str.strip() != ""
    out = out[nonblank.to_numpy()].reset_index(drop=True)
    used = set(columns.values())
    unmapped = [n for n in names if n not in used]
    return RawExport(out, path, encoding, columns, unmapped, sha256_file(path), issues=issues)


__all__ = ["ExportError", "MappingError", "RawExport", "decode", "read_export", "sha256_file"]
