"""``liyang-ip data import``: a 统计年鉴 table (CSV or .xlsx) → a tidy CSV and a sources stub.

The two common layouts are read by `readers.read_yearbook` (regions down × indicators across for one
year, e.g. 分辖市区主要科技指标; indicators down × years across for one region). The output folder holds
``observations.csv`` (catalogue codes and units, one figure per row, each row's note naming the table
cell it came from) and ``sources.csv`` (one source, a stub to complete: publisher, URL, date); ``data
check`` and ``data build`` accept the folder as it is. Blank and —/… cells are gaps, not rows. Nothing is
written when the table has errors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import readers
from .clean import clean_records
from .schema import OBS_COLUMNS, SOURCE_COLUMNS, Issue, plain_text


@dataclass
class Imported:
    observations: pd.DataFrame  # tidy rows, OBS_COLUMNS
    sources: pd.DataFrame  # one stub row, SOURCE_COLUMNS
    issues: list[Issue] = field(default_factory=list)
    layout: str = ""

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]


def table_title(path: str | Path, sheet: str | int | None = None) -> str:
    """The table's title: the first row's text when that row has one or two filled cells ('' if none)."""
    rows, _ = readers._table_rows(Path(path), sheet, [])
    for r in rows[:5]:
        filled = [readers._cell_str(c).strip() for c in r if readers._cell_str(c).strip()]
        if not filled:
            continue
        if len(filled) <= 2 and readers.year_of_header(filled[0]) is None:
            return filled[0]
        return ""
    return ""


def import_table(path: str | Path, *, layout: str = "auto", region: str | None = None, year: int | None = None,
                 sheet: str | int | None = None, source_id: str = "S1", title: str | None = None,
                 publisher: str = "", url: str = "", date: str = "", status: str = "official",
                 total_region: str | None = None) -> Imported:
    """Read one yearbook table into tidy observations (catalogue units) and a sources stub.

    Raises
    ------
    RawFileError
        The table cannot be read at all (no header, no region/year where the layout needs one, …).
    """
    path = Path(path)
    if layout == "auto":
        rows, _ = readers._table_rows(path, sheet, [])
        layout = readers.detect_layout(rows)
    raw, issues = readers.read_yearbook(path, region=region, source_id=source_id, status=status, sheet=sheet,
                                        layout=layout, year=year, total_region=total_region)
    clean, iss = clean_records(raw, known_sources={source_id})
    issues = [i for i in issues if i.severity != "info"] + iss
    where = path.name + (f"#{sheet}" if sheet is not None else "")
    clean = plain_text(clean)
    clean["note"] = [
        "; ".join(x for x in (f"{where} row {r} [{f}]", n) if x)
        for r, f, n in zip(clean["_row"], clean["_field"], clean["note"], strict=True)]
    obs = clean.reindex(columns=OBS_COLUMNS).reset_index(drop=True)
    stub = pd.DataFrame([{
        "source_id": source_id, "title": title if title is not None else (table_title(path, sheet) or path.stem),
        "publisher": publisher, "url": url, "date": date, "accessed": "", "priority": 1 if url else 5,
        "notes": f"imported from {path.name} by liyang-ip data import ({layout}); complete publisher, URL and date",
    }], columns=SOURCE_COLUMNS)
    return Imported(obs, stub, issues, layout)


def write_import(result: Imported, out_dir: str | Path, force: bool = False) -> list[Path]:
    """Write observations.csv and sources.csv into `out_dir` (atomically, CSV-injection safe).

    Raises
    ------
    FileExistsError
        A file would be replaced and `force` is not set.
    """
    from ..fsutil import write_csv

    out_dir = Path(out_dir)
    targets = [out_dir / "observations.csv", out_dir / "sources.csv"]
    if not force:
        existing = [p for p in targets if p.exists() or p.is_symlink()]
        if existing:
            raise FileExistsError(f"{existing[0]} exists; not overwritten (use --force, or another --out)")
    return [write_csv(result.observations, targets[0], float_format="%.10g"),
            write_csv(result.sources, targets[1])]
