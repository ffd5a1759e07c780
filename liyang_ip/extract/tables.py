"""Tables inside bulletins (主要科技指标 …), read like yearbook tables: indicator names down, values across.

A table is a list of rows of cell texts (`documents.Block.rows`). Leading rows without a number are the
header. Columns are recognised by their header: the name (指标/项目/名称, else the first column), the
unit (单位/计量单位, or a unit in brackets after the name: 专利授权量（件）), the values (the report year,
2020年/2020年末, or 绝对数/数值/本年/全年/年末/总量/合计; several year columns give one row per year) and a
growth rate (比上年增长%, 增速, 同比±%). Only rows whose name is a catalogue name or synonym are taken;
a 其中 row under a catalogue row borrows its measure (专利申请量 / 其中：发明专利 → 发明专利申请量). Other rows
are listed as unrelated, cells that are not numbers or units that do not convert are refused; a missing
cell (—, …, blank) is no figure at all.
"""

from __future__ import annotations

import re
from decimal import Decimal

from .catalogue import Catalogue
from .numerals import NumeralError, halfwidth, parse_number

__all__ = ["read_table"]

_NAME_HEAD_RE = re.compile(r"指标|项目|名称|类别")
_UNIT_HEAD_RE = re.compile(r"^(计量)?单位$")
_VALUE_HEAD_RE = re.compile(r"绝对数|绝对值|数值|数量|总量|总数|本年|全年|年末|合计|实绩|完成|实际")
_GROWTH_HEAD_RE = re.compile(r"增长|增速|增幅|比上年|同比|±|增减")
_YEAR_HEAD_RE = re.compile(r"^((?:19|20)\d{2})\s*(?:年|年度|年末|年底)?(?:\s*[（(].*[)）])?$")
_UNIT_IN_NAME_RE = re.compile(r"^(?P<name>.*?)\s*[（(]\s*(?P<unit>[^（）()]+?)\s*[）)]\s*$")
_MISSING_RE = re.compile(r"^(?:[—–\-－…\.·/]+|无|空|/)?$")
_QUALIFIER_RE = re.compile(r"^(约|近|超过|超|逾|突破)?(.*?)(以上|余|多|左右)?$")


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", halfwidth(text)).lower()


def _header(rows: tuple[tuple[str, ...], ...]) -> int:
    """Number of leading header rows (rows with no number outside a year or a bracket)."""
    n = 0
    for row in rows:
        bare = [re.sub(r"[（(][^)）]*[)）]|(?:19|20)\d{2}", "", halfwidth(c)) for c in row[1:]]
        if any(re.search(r"\d", c) for c in bare):
            break
        n += 1
    return n


def read_table(rows, cat: Catalogue, year: int, names: dict[str, tuple[str, ...]]) -> dict[str, list[dict]]:
    """Level rows, growth rates and unattributed cells of one table.

    Parameters
    ----------
    rows : sequence of sequences of str
        The table's cells, header rows first.
    cat : Catalogue
    year : int
        The report year: the year of a single value column that is not headed by a year.
    names : dict
        Normalised catalogue name → codes (`figures._name_index`).

    Returns
    -------
    dict with lists ``levels``, ``changes`` and ``unattributed`` of records: indicator, year, value (in
    the catalogue unit), unit, raw (the cell), kind, approximate, qualifier, row (1-based row of the
    table), column (its header) and reason (for unattributed). Nothing is returned for missing cells.
    """
    out: dict[str, list[dict]] = {"levels": [], "changes": [], "unattributed": []}
    n_head = _header(rows)
    if n_head == 0 or n_head >= len(rows):
        return out
    width = max(len(r) for r in rows)
    heads = []
    for col in range(width):
        parts = [halfwidth(r[col]).strip() for r in rows[:n_head] if col < len(r) and r[col].strip()]
        heads.append("".join(dict.fromkeys(parts)))
    name_col = next((i for i, h in enumerate(heads) if _NAME_HEAD_RE.search(h)), 0)
    unit_col = next((i for i, h in enumerate(heads) if _UNIT_HEAD_RE.match(h.replace(" ", ""))), None)
    value_cols: dict[int, int] = {}  # column → year
    growth_col = None
    for i, h in enumerate(heads):
        if i in (name_col, unit_col):
            continue
        compact = h.replace(" ", "")
        if _GROWTH_HEAD_RE.search(compact):
            if growth_col is None and ("%" in compact or not re.search(r"[（(]", compact)):
                growth_col = i
            continue
        m = _YEAR_HEAD_RE.match(compact)
        if m:
            value_cols[i] = int(m.group(1))
        elif _VALUE_HEAD_RE.search(compact) and not value_cols:
            value_cols[i] = year
    if not value_cols:
        rest = [i for i in range(width) if i not in (name_col, unit_col, growth_col)]
        if len(rest) == 1:
            value_cols[rest[0]] = year
    parent: tuple[str, ...] = ()
    for r_no, row in enumerate(rows[n_head:], start=n_head + 1):
        cells = list(row) + [""] * (width - len(row))
        raw_name = cells[name_col].strip()
        name = re.sub(r"[*#△▲※\u2460-\u2473]+", "", halfwidth(raw_name)).strip()
        unit = cells[unit_col].strip() if unit_col is not None else ""
        m = _UNIT_IN_NAME_RE.match(name)
        if m:
            name, unit = m.group("name").strip(), unit or m.group("unit").strip()
        unit = halfwidth(unit).replace(" ", "")
        subset = bool(re.match(r"^(其中|内|含)[:：]?", name)) or raw_name.startswith(("#", " ", "\u3000"))
        name = re.sub(r"^(其中|内|含)[:：]?", "", name).strip()
        codes = names.get(_norm(name), ())
        how = ""
        if not codes and subset and parent:
            codes, how = _borrow_measure(_norm(name), parent, cat, names)
        figures = [(c, y) for c, y in value_cols.items() if not _MISSING_RE.match(cells[c].strip())]
        if growth_col is not None and not _MISSING_RE.match(cells[growth_col].strip()):
            figures.append((growth_col, None))
        if len(row) < width and codes:
            # Columns split at wide gaps (PDF or text): a row with a blank cell has fewer cells than the
            # header, and which column each value is in cannot be told.
            for c in range(1, len(row)):
                if re.search(r"\d", row[c]):
                    out["unattributed"].append({
                        "indicator": codes[0] if len(codes) == 1 else "", "year": year, "raw": row[c].strip(),
                        "reason": f"row has {len(row)} cells but the header {width}: the column of each value "
                                  "cannot be told", "row": r_no, "column": ""})
            if not subset:
                parent = codes
            continue
        if not codes or len(codes) != 1:
            why = ("table row names no catalogue indicator" if not codes
                   else f"table row names a group of indicators ({'/'.join(codes)})")
            for c, y in figures:
                out["unattributed"].append({"indicator": "", "year": y or year, "raw": cells[c].strip(),
                                            "reason": why, "row": r_no, "column": heads[c]})
            if not subset:
                parent = ()
            continue
        code = codes[0]
        if not subset:
            parent = codes
        for c, y in figures:
            rec = {"indicator": code, "year": y or year, "raw": cells[c].strip(), "row": r_no,
                   "column": heads[c], "how": how}
            reason = _reading(rec, cells[c], unit if y is not None else "%", cat, growth=y is None)
            if reason:
                out["unattributed"].append({**rec, "reason": reason})
            else:
                out["changes" if y is None else "levels"].append(rec)
    return out


def _reading(rec: dict, cell: str, unit: str, cat: Catalogue, growth: bool) -> str:
    """Fill value, unit, kind, approximate and qualifier into `rec`; the reason when it cannot be read."""
    text = halfwidth(cell).strip().replace(" ", "")
    m = _QUALIFIER_RE.match(text)
    pre, body, post = m.group(1) or "", m.group(2), m.group(3) or ""
    if body.endswith("%"):
        body, unit = body[:-1], unit or "%"
    if re.search(r"\d\s*[-~至]\s*\d", body):
        return f"range ({cell.strip()}); no single value"
    negative = body.startswith(("-", "−", "－"))
    try:
        value = parse_number(body.lstrip("-−－"))
    except NumeralError:
        return f"cell is not a number ({cell.strip()})"
    if negative:
        value = -value
    qualifier = "/".join(q for q in (pre, post) if q)
    rec.update(approximate=bool(qualifier), qualifier=qualifier)
    if growth:
        rec.update(value=value, unit="%", kind="growth_rate")
        return ""
    code = rec["indicator"]
    target = cat.indicators[code].unit
    if value < 0:
        return f"negative value ({cell.strip()}) for a level"
    factor = cat.convert(code, unit) if unit else (Decimal(1) if not target else None)
    if factor is None and target.endswith("/万人") and cat.canonical_unit(unit) == target[:-3] and unit in cat.units:
        factor = cat.units[unit][1]  # 每万人口发明专利拥有量 | 件 | 45.6
    if factor is None:
        return f"unit {unit or 'none'} does not convert to {target or 'no unit'} ({code})"
    rec.update(value=value * factor, unit=target, kind="level")
    return ""


def _borrow_measure(name: str, parent: tuple[str, ...], cat: Catalogue,
                    names: dict[str, tuple[str, ...]]) -> tuple[tuple[str, ...], str]:
    """其中：发明专利 under 专利申请量: the parent's measure (申请量) after the row's subject."""
    for code in parent:
        for full in cat.indicators[code].names:
            key = _norm(full)
            for k in range(2, len(key) - 1):
                rest = key[k:]
                if rest.startswith(("申请", "授权", "拥有", "金额", "笔数", "注册")):
                    codes = names.get(name + rest, ())
                    if codes and set(codes) != set(parent):
                        return codes, f"其中 row: {name} + {rest}"
    return (), ""

