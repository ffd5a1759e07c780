"""Export file → tidy patent tables, row-level errors and a summary; written atomically.

    raw export (CSV/XLSX, never modified)
      → read_export (text cells, row numbers)
      → parse fields (application number, type, dates, IPC, legal status, flags)
      → locate applicants (address → block)       unlocated rows counted and listed, never guessed
      → classify (IPC/title → industries)         by first IPC and by any IPC
      → PatentImport (patents, ipc, industries, locations, errors, summary)

Rows whose application number or application date cannot be read are reported and left out of the
counts (they cannot be placed in a year); rows repeating an application number already seen are
reported and left out (the first one is kept). Everything else stays in, with missing fields missing.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from . import parse
from .classify import Industry, classify, industries, read_industries
from .columns import ColumnMap, column_map
from .load import RawExport, read_export
from .locate import locate

ERROR_COLUMNS = ["severity", "file", "row", "field", "value", "message"]
#: High-value criteria (CNIPA's five kinds of 高价值发明专利) and the patent field each needs.
HV_CRITERIA = {
    "strategic_emerging": ("战略性新兴产业的发明专利", "strategic emerging industry"),
    "overseas_family": ("在海外有同族专利权的发明专利", "family member published abroad"),
    "over_10y": ("维持年限超过10年的发明专利", "maintained more than 10 years"),
    "pledged": ("实现质押融资的发明专利", "pledged"),
    "awarded": ("获得国家科学技术奖或中国专利奖的发明专利", "national S&T award or China Patent Award"),
}


@dataclass
class PatentImport:
    """Everything an import produces. Frames are new objects; the export file is never written."""

    patents: pd.DataFrame  # one row per patent (pid)
    ipc: pd.DataFrame  # pid, order, ipc, raw
    industry_links: pd.DataFrame  # pid, industry, first_ipc
    locations: pd.DataFrame  # pid, applicant, address, status, region, level, evidence (one per located applicant)
    errors: pd.DataFrame  # ERROR_COLUMNS
    summary: dict
    industries: tuple[Industry, ...]
    is_demo: bool = False
    fields: set[str] = field(default_factory=set)

    @property
    def unlocated(self) -> pd.DataFrame:
        """Patents with no applicant located to a block, with the reason (listed, never guessed)."""
        located = set(self.locations.loc[self.locations["status"] == "block", "pid"])
        first = self.locations.drop_duplicates("pid")
        cols = ["pid", "applicant", "address", "status", "evidence"]
        out = first[~first["pid"].isin(located)][cols]
        return out.merge(self.patents[["pid", "row", "app_no"]], on="pid", how="left")[
            ["row", "app_no", "applicant", "address", "status", "evidence"]
        ]


def _issue_frame(mask: np.ndarray, rows: np.ndarray, file: str, field_: str, values, message: str,
                 severity: str = "error") -> pd.DataFrame:
    """Messages for the rows where ``mask`` is true; ``values`` (Series/array) is read only there."""
    idx = np.flatnonzero(mask)
    if not len(idx):
        return pd.DataFrame(columns=ERROR_COLUMNS)
    if isinstance(values, pd.Series):
        vals = values.iloc[idx].astype(str).to_numpy(dtype=object)
    else:
        vals = np.asarray(values, dtype=object)[idx]
    return pd.DataFrame({"severity": severity, "file": file, "row": rows[idx], "field": field_,
                         "value": vals, "message": message})


SEP = r"[;；|\n]"


def _first_part(s: pd.Series) -> pd.Series:
    """Text before the first ``;``/``；``/``|``/newline, stripped (vectorised, pyarrow)."""
    import pyarrow.compute as pc

    first = pc.list_element(pc.split_pattern_regex(parse.to_arrow(s), SEP, max_splits=1), 0)
    return parse.from_arrow(pc.utf8_trim_whitespace(first), s.index)


def _count_parts(s: pd.Series) -> np.ndarray:
    import pyarrow.compute as pc

    t = pc.utf8_trim_whitespace(parse.to_arrow(s))
    return pc.count_substring_regex(t, SEP).to_numpy(zero_copy_only=False) + 1


def _parts(s: pd.Series) -> list[list[str]]:
    """Cells split at ``;``/``；``/``|``/newline, empty parts dropped (Python lists, for all-applicant mode)."""
    import re

    pat = re.compile(r"\s*" + SEP + r"\s*")
    return [[x.strip() for x in pat.split(c) if x.strip()] for c in s.fillna("").to_numpy(dtype=object)]


def import_export(
    path: str | Path,
    columns: str | Path | ColumnMap | None = None,
    *,
    all_applicants: bool = False,
    industries_file: str | Path | None = None,
    as_of: str | dt.date | None = None,
    is_demo: bool | None = None,
) -> PatentImport:
    """Read and interpret one export.

    Parameters
    ----------
    path
        The export (CSV/TXT in UTF-8, GBK or UTF-16; XLSX).
    columns
        Preset name (cnipa, incopat, patsnap), a YAML mapping path, a ColumnMap, or None (all presets).
    all_applicants
        Locate every applicant (a patent counts once in each block one of its applicants is in);
        default: the first applicant only. Addresses are paired with applicants when the address cell
        has as many ``;``-separated parts as there are applicants, else only the first applicant has one.
    industries_file
        A YAML file in the layout of registry/industries.yaml (default: the bundled one).
    as_of
        Date the legal status refers to (the export date). Default: the latest date found in the file
        (stated in the summary).
    is_demo
        Mark results as synthetic demo data; default: True when the file's name contains ``demo``.
    """
    path = Path(path)
    cmap = columns if isinstance(columns, ColumnMap) else column_map(columns)
    raw: RawExport = read_export(path, cmap)
    inds = industries() if industries_file is None else read_industries(industries_file)
    f = raw.frame
    fields = set(raw.columns)
    file = str(path)
    rows = f["_row"].to_numpy()
    errors = [pd.DataFrame([e.__dict__ for e in raw.issues], columns=ERROR_COLUMNS)] if raw.issues else []
    n_read = len(f) + len(raw.issues)

    def col(name: str) -> pd.Series:
        return f[name] if name in f.columns else pd.Series("", index=f.index, dtype=pd.StringDtype("pyarrow"))

    # ---- application number and date (required)
    app = parse.normalise_app_no(col("app_no"))
    app_date = parse.parse_dates(col("app_date"))
    bad_no = ~app["app_no_ok"].to_numpy()
    errors.append(_issue_frame(bad_no, rows, file, "app_no", col("app_no"),
                               "not a CN application number (e.g. CN202110123456.7 or 2021101234567); row left out"))
    bad_date = app_date.isna().to_numpy()
    errors.append(_issue_frame(bad_date, rows, file, "app_date", col("app_date"),
                               "application date missing or not a date (e.g. 2021-01-05, 2021.01.05, 20210105); row left out"))
    keep = ~bad_no & ~bad_date
    dup = np.zeros(len(f), dtype=bool)
    dup[keep] = app["app_no"][keep].duplicated(keep="first").to_numpy()
    errors.append(_issue_frame(dup, rows, file, "app_no", app["app_no"],
                               "application number repeats an earlier row; this row left out", "warning"))
    keep &= ~dup

    # ---- type: 专利类型 column, else the number's type digit, else the publication kind code
    none = pd.Series(pd.Categorical.from_codes(np.full(len(f), -1), categories=list(parse.TYPES)), index=f.index)

    def as_type(cat: pd.Series) -> np.ndarray:
        """Codes into parse.TYPES (-1 = unknown) of a categorical type column."""
        # set_categories maps by value (astype to an unordered dtype with the same categories in another
        # order is a no-op in pandas and would keep the old codes).
        return cat.cat.set_categories(list(parse.TYPES)).cat.codes.to_numpy()

    kind = parse.kind_code(col("pub_no")) if "pub_no" in fields else pd.Series(pd.NA, index=f.index, dtype=pd.StringDtype("pyarrow"))
    t_col = as_type(parse.by_unique_category(col("type"), parse.type_from_text) if "type" in fields else none)
    t_num = as_type(parse.by_unique_category(app["type_digit"], parse.TYPE_DIGIT.get))
    t_kind = as_type(parse.by_unique_category(kind, parse.KIND_TYPE.get))
    type_code = np.where(t_col >= 0, t_col, np.where(t_num >= 0, t_num, t_kind))
    ptype = pd.Series(pd.Categorical.from_codes(type_code, categories=list(parse.TYPES)), index=f.index)
    conflict = (t_col >= 0) & (t_num >= 0) & (t_col != t_num) & keep
    errors.append(_issue_frame(conflict, rows, file, "type", col("type"),
                               "patent type disagrees with the application number's type digit; the type column is used",
                               "warning"))
    no_type = (type_code < 0) & keep
    errors.append(_issue_frame(no_type, rows, file, "type", col("type"),
                               "patent type unknown (no 专利类型, application number or publication kind); counted in totals only"))
    pct = parse.by_unique(app["type_digit"], lambda d: d in parse.PCT_DIGITS, dtype=bool).to_numpy()
    if "pct" in fields:
        pct = pct | parse.flags(col("pct")).to_numpy()

    # ---- dates
    nat = pd.Series(pd.NaT, index=f.index, dtype="datetime64[s]")
    parsed_dates = {}
    for name in ("pub_date", "grant_date", "lapse_date"):
        if name not in fields:
            parsed_dates[name] = nat
            continue
        parsed_dates[name], unreadable = parse.parse_dates_unreadable(col(name))
        errors.append(_issue_frame(unreadable & keep, rows, file, name, col(name),
                                   "not a date (e.g. 2021-01-05); left empty"))
    pub_date, grant_date, lapse_date = (parsed_dates[n] for n in ("pub_date", "grant_date", "lapse_date"))
    # Utility models and designs are published only on grant; a B/C/U/Y/S/D publication is a grant.
    granted_pub = (parse.by_unique(kind, lambda k: k in parse.GRANT_KINDS, dtype=bool).to_numpy()
                   | ptype.isin(["utility_model", "design"]).to_numpy())
    grant_date = grant_date.where(grant_date.notna(), pub_date.where(granted_pub))
    legal = (parse.legal_classes(col("legal_status")) if "legal_status" in fields
             else pd.Series(pd.Categorical(["unknown"] * len(f)), index=f.index))
    bad_order = (grant_date.notna() & (grant_date < app_date)).to_numpy() & keep
    errors.append(_issue_frame(bad_order, rows, file, "grant_date", grant_date,
                               "grant date before the application date; grant date left empty"))
    grant_date = grant_date.where(~bad_order)

    # ---- flags for high-value criteria
    overseas = (parse.overseas_families(col("family")) if "family" in fields
                else pd.Series(pd.array([None] * len(f), dtype="boolean"), index=f.index))
    pledged = parse.flags(col("pledge")) if "pledge" in fields else pd.Series(False, index=f.index)
    awarded = parse.flags(col("award")) if "award" in fields else pd.Series(False, index=f.index)
    sei_col = parse.flags(col("sei")) if "sei" in fields else pd.Series(False, index=f.index)

    first_app = _first_part(col("applicants"))
    def txt(x: pd.Series) -> pd.Series:  # text stays in pyarrow storage (no Python objects)
        return x.astype(pd.StringDtype("pyarrow")).reset_index(drop=True)

    patents = pd.DataFrame({
        "row": rows, "app_no": txt(app["app_no"]), "type": ptype.reset_index(drop=True),
        "pct": pct, "app_date": app_date.to_numpy(), "pub_date": pub_date.to_numpy(),
        "grant_date": grant_date.to_numpy(), "lapse_date": lapse_date.to_numpy(), "legal": legal.reset_index(drop=True),
        "legal_text": txt(col("legal_status")), "title": txt(col("title")),
        "applicant": txt(first_app), "current_owner": txt(col("current_owner")),
        "address": txt(col("address")),
        "overseas_family": overseas.reset_index(drop=True), "pledged": pledged.to_numpy(dtype=bool),
        "awarded": awarded.to_numpy(dtype=bool), "sei_column": sei_col.to_numpy(dtype=bool),
    })
    all_kept = bool(keep.all())
    if not all_kept:
        patents = patents[keep].reset_index(drop=True)

    def kept(x: pd.Series) -> pd.Series:
        return x.reset_index(drop=True) if all_kept else x[keep].reset_index(drop=True)

    applicants_cell = kept(col("applicants"))
    patents.insert(0, "pid", np.arange(len(patents), dtype=np.int64))
    for c in ("app_date", "pub_date", "grant_date", "lapse_date"):
        patents[c] = patents[c].astype("datetime64[s]")

    # ---- IPC
    ipc_src = col("ipc") if "ipc" in fields else col("ipc_main")
    ipc_long = parse.split_ipc(kept(ipc_src))
    if "ipc_main" in fields and "ipc" in fields:
        # The main classification goes first; it is often also listed among all codes.
        main = parse.split_ipc(kept(col("ipc_main")))
        main = main[main["order"] == 0].assign(order=-2)
        from pandas.api.types import union_categoricals

        both = {c: union_categoricals([main[c], ipc_long[c]], ignore_order=True) for c in ("raw", "ipc")}
        ipc_long = pd.concat([main[["pos", "order"]], ipc_long[["pos", "order"]]], ignore_index=True)
        ipc_long["raw"], ipc_long["ipc"] = both["raw"], both["ipc"]
        ipc_long = ipc_long[["pos", "order", "ipc", "raw"]]
        valid = ipc_long["ipc"].notna()
        dupe = valid & ipc_long.duplicated(["pos", "ipc"], keep="first")
        ipc_long = ipc_long[~dupe].sort_values(["pos", "order"], kind="stable").reset_index(drop=True)
        valid = ipc_long["ipc"].notna()
        ipc_long["order"] = -1
        ipc_long.loc[valid, "order"] = ipc_long[valid].groupby("pos").cumcount()
    ipc_long = ipc_long.rename(columns={"pos": "pid"}).reset_index(drop=True)
    bad_ipc = ipc_long["ipc"].isna().to_numpy()
    if bad_ipc.any():
        bad_rows = patents["row"].to_numpy()[ipc_long["pid"].to_numpy()[bad_ipc]]
        errors.append(pd.DataFrame({"severity": "warning", "file": file, "row": bad_rows, "field": "ipc",
                                    "value": ipc_long["raw"].to_numpy()[bad_ipc],
                                    "message": "not an IPC code (e.g. H01M 10/0525); ignored"}))
    firsts = ipc_long[ipc_long["order"] == 0].set_index("pid")["ipc"]
    patents["ipc_first"] = firsts.reindex(patents["pid"]).to_numpy()
    patents["n_ipc"] = ipc_long.groupby("pid").size().reindex(patents["pid"], fill_value=0).to_numpy()
    links = classify(ipc_long[ipc_long["ipc"].notna()], patents.set_index("pid")["title"], inds)

    # ---- location
    locations = _locations(patents, applicants_cell, all_applicants)
    first_loc = locations.drop_duplicates("pid").set_index("pid")
    patents["loc_status"] = first_loc["status"].reindex(patents["pid"]).to_numpy()
    patents["region"] = _regions_joined(locations, patents["pid"])

    latest = [patents[c].max() for c in ("app_date", "pub_date", "grant_date", "lapse_date")]
    latest = [d for d in latest if not pd.isna(d)]
    if as_of is not None:
        ymd = parse._ymd(str(as_of.isoformat() if isinstance(as_of, dt.date) else as_of))
        if ymd is None:
            raise ValueError(f"--as-of {as_of!r} is not a date; give it as e.g. 2025-06-30")
        as_of_ts = pd.Timestamp(ymd)
    else:
        as_of_ts = max(latest) if latest else None
    if is_demo is None:
        is_demo = "demo" in path.name.lower()
    err = pd.concat([e for e in errors if len(e)], ignore_index=True) if any(len(e) for e in errors) else pd.DataFrame(columns=ERROR_COLUMNS)
    err = err.sort_values(["row", "field"], kind="stable").reset_index(drop=True) if len(err) else err
    summary = _summary(raw, cmap, patents, links, locations, err, n_read, as_of_ts, as_of is None, all_applicants,
                       inds, is_demo)
    return PatentImport(patents, ipc_long, links, locations, err, summary, inds, bool(is_demo), fields)


def _locations(patents: pd.DataFrame, applicants: pd.Series, all_applicants: bool) -> pd.DataFrame:
    """One row per applicant located (first only, or all): pid, applicant, address, status, region …

    An address cell with as many ``;``-separated parts as there are applicants is read as one address
    per applicant; otherwise the whole cell is the first applicant's address and the others have none.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    address = patents["address"].astype(pd.StringDtype("pyarrow")).fillna("")
    apps = applicants.astype(pd.StringDtype("pyarrow")).fillna("")
    if not all_applicants:
        # Most exports give one address per patent: pairing is only worked out for cells with a separator.
        addr_arr = parse.to_arrow(address)
        has_sep = pc.match_substring_regex(pc.utf8_trim_whitespace(addr_arr), SEP).to_numpy(zero_copy_only=False)
        used = addr_arr
        if has_sep.any():
            paired = has_sep & (_count_parts(address) == _count_parts(apps)) & (_count_parts(apps) > 1)
            used = pc.if_else(pa.array(paired), parse.to_arrow(_first_part(address)), addr_arr)
        long = pd.DataFrame({"pid": patents["pid"].to_numpy(), "applicant": patents["applicant"].array,
                             "address": parse.from_arrow(used, patents.index)})
    else:
        recs_pid, recs_app, recs_addr = [], [], []
        app_lists = _parts(apps)
        addr_lists = _parts(address)
        whole = address.to_numpy(dtype=object)
        for pid, a_list, parts, w in zip(patents["pid"].to_numpy(), app_lists, addr_lists, whole, strict=True):
            a_list = a_list or [""]
            pair = len(parts) == len(a_list) and len(a_list) > 1
            for i, a in enumerate(a_list):
                recs_pid.append(pid)
                recs_app.append(a)
                recs_addr.append(parts[i] if pair else (w if i == 0 else ""))
        long = pd.DataFrame({"pid": np.asarray(recs_pid, dtype=np.int64), "applicant": recs_app, "address": recs_addr})
    loc = locate(long["address"])
    for c in loc.columns:
        long[c] = loc[c].to_numpy()
    return long


def _regions_joined(locations: pd.DataFrame, pids: pd.Series) -> np.ndarray:
    """Per patent the block(s) its located applicants are in, joined with 、 (None when none)."""
    b = locations.loc[locations["status"] == "block", ["pid", "region"]].drop_duplicates()
    out = pd.Series(None, index=pids.to_numpy(), dtype=object)
    single = b.drop_duplicates("pid", keep=False)
    out.loc[single["pid"].to_numpy()] = single["region"].to_numpy()
    multi = b[b["pid"].duplicated(keep=False)]
    if len(multi):
        joined = multi.groupby("pid", sort=False)["region"].agg("、".join)
        out.loc[joined.index.to_numpy()] = joined.to_numpy()
    return out.to_numpy()


def _summary(raw, cmap, patents, links, locations, errors, n_read, as_of, as_of_guessed, all_applicants, inds,
             is_demo) -> dict:
    first = locations.drop_duplicates("pid")
    located_pids = set(locations.loc[locations["status"] == "block", "pid"])
    by_status = first["status"].value_counts().to_dict()
    n_cls = links["pid"].nunique() if len(links) else 0
    per_ind = {}
    for ind in inds:
        sub = links[links["industry"] == ind.code]
        per_ind[ind.code] = {"name_zh": ind.name_zh, "any_ipc": int(len(sub)), "first_ipc": int(sub["first_ipc"].sum())}
    n_err = int((errors["severity"] == "error").sum()) if len(errors) else 0
    n_warn = int((errors["severity"] == "warning").sum()) if len(errors) else 0
    fields = set(raw.columns)
    return {
        "file": str(raw.path), "sha256": raw.sha256, "encoding": raw.encoding, "columns": dict(raw.columns),
        "mapping": cmap.origin, "unmapped_headers": list(raw.unmapped),
        "rows_read": int(n_read), "patents": int(len(patents)), "rows_left_out": int(n_read - len(patents)),
        "located": int(len(located_pids)), "unlocated": int(len(patents) - len(located_pids)),
        "location_status": {k: int(v) for k, v in by_status.items()},
        "applicants": "all" if all_applicants else "first",
        "classified": int(n_cls), "industries": per_ind,
        "errors": n_err, "warnings": n_warn,
        "as_of": as_of.date().isoformat() if as_of is not None and not pd.isna(as_of) else None,
        "as_of_from_file": bool(as_of_guessed),
        "hv_criteria_available": hv_criteria_available(fields, inds),
        "is_demo": bool(is_demo),
        "by_type": {str(k): int(v) for k, v in patents["type"].astype(object).fillna("unknown").value_counts().items()},
    }


def hv_criteria_available(fields: set[str], inds: tuple[Industry, ...]) -> dict[str, str | None]:
    """Which high-value criteria the export allows: criterion → how it is applied, or None (not applied)."""
    return {
        "strategic_emerging": ("export column 战略新兴产业分类" if "sei" in fields else
                               ("industries marked strategic_emerging: " + "、".join(i.name_zh for i in inds if i.strategic_emerging)
                                if any(i.strategic_emerging for i in inds) and ("ipc" in fields or "ipc_main" in fields) else None)),
        "overseas_family": "family column (a member outside CN/WO)" if "family" in fields else None,
        "over_10y": "application date and legal status" if "legal_status" in fields else None,
        "pledged": "pledge column (any pledge; amounts not in the export)" if "pledge" in fields else None,
        "awarded": "award column" if "award" in fields else None,
    }


def summary_text(summary: dict, lang: str = "en") -> str:
    """The import summary as a few lines for the terminal."""
    s = summary
    loc = ", ".join(f"{k} {v}" for k, v in s["location_status"].items())
    inds = "; ".join(f"{v['name_zh']} {v['any_ipc']} (first IPC {v['first_ipc']})" for v in s["industries"].values())
    hv = [k for k, v in s["hv_criteria_available"].items() if v]
    demo = " DEMO DATA (synthetic)." if s["is_demo"] else ""
    lines = [
        f"{s['file']}: {s['rows_read']} rows read ({s['encoding']}, columns: {s['mapping']}), "
        f"{s['patents']} patents kept, {s['rows_left_out']} left out.{demo}",
        f"located to a block: {s['located']}; not located: {s['unlocated']} ({loc}; {s['applicants']} applicant).",
        f"classified into an industry: {s['classified']} ({inds}).",
        f"legal status as of {s['as_of']}" + (" (latest date in the file; set --as-of to the export date)" if s["as_of_from_file"] else "")
        + f"; high-value criteria applied: {', '.join(hv) if hv else 'none'}.",
        f"{s['errors']} error(s), {s['warnings']} warning(s).",
    ]
    return "\n".join(lines)


def write_outputs(result: PatentImport, out_dir: str | Path, indicators: pd.DataFrame | None = None,
                  extra: dict[str, pd.DataFrame] | None = None) -> Path:
    """Write the tables to ``out_dir`` (replaced as a whole, atomically): patents.parquet, ipc.parquet,
    industry_links.parquet, locations.parquet, unlocated.csv, errors.csv, indicators.csv (when given),
    ``<name>.csv`` for each ``extra`` table, summary.json. CSVs are UTF-8 with BOM so that Excel shows
    Chinese correctly."""
    import tempfile

    from liyang_ip.fsutil import replace_directory

    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    try:
        result.patents.to_parquet(tmp / "patents.parquet", index=False)
        result.ipc.to_parquet(tmp / "ipc.parquet", index=False)
        result.industry_links.to_parquet(tmp / "industry_links.parquet", index=False)
        result.locations.to_parquet(tmp / "locations.parquet", index=False)
        result.unlocated.to_csv(tmp / "unlocated.csv", index=False, encoding="utf-8-sig")
        result.errors.to_csv(tmp / "errors.csv", index=False, encoding="utf-8-sig")
        if indicators is not None:
            indicators.to_csv(tmp / "indicators.csv", index=False, encoding="utf-8-sig")
        for name, df in (extra or {}).items():
            df.to_csv(tmp / f"{name}.csv", index=False, encoding="utf-8-sig")
        (tmp / "summary.json").write_text(json.dumps(result.summary, ensure_ascii=False, indent=2), encoding="utf-8")
        for p in tmp.iterdir():
            p.chmod(0o644)
        tmp.chmod(0o755)
        replace_directory(tmp, out_dir)
    except BaseException:
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out_dir


__all__ = ["ERROR_COLUMNS", "HV_CRITERIA", "PatentImport", "hv_criteria_available", "import_export", "summary_text",
           "write_outputs"]
