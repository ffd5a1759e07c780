"""``liyang-ip data import``: a 统计年鉴 table (CSV or .xlsx) → a tidy CSV and a sources stub.

The two common layouts are read by `readers.read_yearbook` (regions down × indicators across for one
year, e.g. 分辖市区主要科技指标; indicators down × years across for one region). The output folder holds
``observations.csv`` (catalogue codes and units, one figure per row, each row's note naming the table
cell it came from) and ``sources.csv`` (one source, a stub to complete: publisher, URL, date); ``data
check`` and ``data build`` accept the folder as it is (for a region set other than the default one a
``dataset.yaml`` naming it is written too, with a copy of a user's set file). Blank and —/… cells are gaps,
not rows. Nothing is written when the table has errors.
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
    region_set: object = None  # the RegionSet whose names the table used

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
                 total_region: str | None = None, region_set=None) -> Imported:
    """Read one yearbook table into tidy observations (catalogue units) and a sources stub.

    Region rows are names of `region_set` (bundled name, path or RegionSet; default: the default set),
    whose parent the 合计/全市 rows are unless `total_region` says otherwise.

    Raises
    ------
    RawFileError
        The table cannot be read at all (no header, no region/year where the layout needs one, …).
    """
    from ..registry import region_set as _region_set

    path = Path(path)
    rset = _region_set(region_set)
    if layout == "auto":
        rows, _ = readers._table_rows(path, sheet, [])
        layout = readers.detect_layout(rows)
    raw, issues = readers.read_yearbook(path, region=region, source_id=source_id, status=status, sheet=sheet,
                                        layout=layout, year=year, total_region=total_region,
                                        region_set=rset)
    clean, iss = clean_records(raw, known_sources={source_id}, region_sets=rset)
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
    return Imported(obs, stub, issues, layout, rset)


def write_import(result: Imported, out_dir: str | Path, force: bool = False) -> list[Path]:
    """Write observations.csv and sources.csv into `out_dir` (atomically, CSV-injection safe); for a region
    set other than the default, also dataset.yaml naming it (and a copy of a user's set file), so that
    ``data check``/``build`` read the folder's region names in that set.

    Raises
    ------
    FileExistsError
        A file would be replaced and `force` is not set.
    """
    from ..fsutil import atomic_write_text, write_csv
    from ..registry.regionsets import DEFAULT

    out_dir = Path(out_dir)
    targets = [out_dir / "observations.csv", out_dir / "sources.csv"]
    rset = result.region_set
    spec_text = None
    if rset is not None and rset.spec != DEFAULT:
        set_file = None if rset.is_bundled else out_dir / "region_set.yaml"
        spec_text = ("# written by liyang-ip data import: the region set whose names the table uses\n"
                     f"region_set: {rset.spec if set_file is None else set_file.name}\n"
                     "files:\n  - path: observations.csv\n    format: tidy\nsources: sources.csv\n")
        targets.append(out_dir / "dataset.yaml")
        if set_file is not None:
            targets.append(set_file)
    if not force:
        existing = [p for p in targets if p.exists() or p.is_symlink()]
        if existing:
            raise FileExistsError(f"{existing[0]} exists; not overwritten (use --force, or another --out)")
    written = [write_csv(result.observations, targets[0], float_format="%.10g"),
               write_csv(result.sources, targets[1])]
    if spec_text is not None:
        if not rset.is_bundled:
            written.append(atomic_write_text(out_dir / "region_set.yaml",
                                             Path(rset.path).read_text(encoding="utf-8")))
        written.append(atomic_write_text(out_dir / "dataset.yaml", spec_text))
    return written
