"""Indicators per block × industry × year from an imported patent list, shares, concentration, top
applicants, and observation rows for the main dataset.

Definitions (counts of patents in the export; a patent counts once per block one of its located
applicants is in — the first applicant by default — and once in the city when an applicant is in the
city, block known or not):

=============================== ==========================================================================
patent_applications             patents filed in the year (申请日)
invention_patent_applications   inventions filed in the year
patent_grants                   patents granted in the year (授权公告日; for utility models and designs the
                                publication of a U/S document)
invention_patent_grants         inventions granted in the year
pct_applications                PCT applications visible in a CN list: national-phase entries (type digit
                                8/9) or rows with a PCT number, by filing year (a PCT application's CN
                                filing date is its international filing date)
invention_patents_held          inventions in force at 31 December: granted on or before that day, not
                                lapsed by then (lapse date after it, or status in force now), and within
                                the 20-year term
invention_patents_over_10y      of those, filed more than 10 years before that 31 December
high_value_invention_patents    of those in force, the ones meeting at least one of CNIPA's criteria that
                                the export allows (see ``hv_criteria_available`` in the import summary)
invention_in_force_unknown      inventions granted by then whose status at that date cannot be told (lapsed
                                now without a lapse date, or no legal status): not counted as held
=============================== ==========================================================================

Industries: ``all`` (every patent, basis ``all``) and each industry by ``first_ipc`` and ``any_ipc``.
Zero is a real count here (the list has no such patent); years outside the export are absent.
Completeness (column ``complete``): stocks only for years whose 31 December is on or before the
status date; flows of the status year are partial; inventions are published about 18 months after
filing, so application counts of years ending less than 18 months before the status date are
incomplete too.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .importer import PatentImport
from .locate import city_and_blocks

FLOWS = ["patent_applications", "invention_patent_applications", "patent_grants", "invention_patent_grants",
         "pct_applications"]
STOCKS = ["invention_patents_held", "invention_patents_over_10y", "high_value_invention_patents",
          "invention_in_force_unknown"]
#: Indicators that exist in the main catalogue (registry/indicators.yaml) and can feed the dataset.
CATALOGUE = ["patent_applications", "invention_patent_applications", "patent_grants", "invention_patent_grants",
             "pct_applications", "invention_patents_held", "invention_patents_over_10y", "high_value_invention_patents"]
INDICATOR_LABELS = {
    "patent_applications": ("专利申请量", "Patent applications"),
    "invention_patent_applications": ("发明专利申请量", "Invention applications"),
    "patent_grants": ("专利授权量", "Patent grants"),
    "invention_patent_grants": ("发明专利授权量", "Invention grants"),
    "pct_applications": ("PCT国际专利申请量", "PCT applications"),
    "invention_patents_held": ("有效发明专利拥有量", "Invention patents in force"),
    "invention_patents_over_10y": ("维持年限超过10年的发明专利拥有量", "Invention patents maintained > 10 years"),
    "high_value_invention_patents": ("高价值发明专利拥有量", "High-value invention patents"),
    "invention_in_force_unknown": ("有效状态不明的发明专利", "Invention patents, status unknown"),
}
COLUMNS = ["region", "industry", "basis", "year", "indicator", "value", "complete"]
PUBLICATION_LAG_MONTHS = 18


def status_year(as_of: pd.Timestamp) -> tuple[int, int]:
    """(last year with a complete 31 December stock, last year with any flow) for a status date."""
    last_full = as_of.year if (as_of.month, as_of.day) == (12, 31) else as_of.year - 1
    return last_full, as_of.year


def memberships(imp: PatentImport) -> pd.DataFrame:
    """pid × region: each block an applicant is located in, and the city for every patent with an
    applicant in the city (block known or not)."""
    city, _ = city_and_blocks()
    loc = imp.locations
    blocks = loc.loc[loc["status"] == "block", ["pid", "region"]].drop_duplicates()
    in_city = loc.loc[loc["status"].isin(["block", "city"]), "pid"].drop_duplicates()
    return pd.concat([blocks, pd.DataFrame({"pid": in_city.to_numpy(), "region": city})], ignore_index=True)


def industry_keys(imp: PatentImport) -> pd.DataFrame:
    """pid × (industry, basis): ``all``/``all`` for every patent, and each industry by ``any_ipc`` and,
    when the first code belongs to it, ``first_ipc``."""
    links = imp.industry_links
    parts = [pd.DataFrame({"pid": imp.patents["pid"].to_numpy(), "industry": "all", "basis": "all"})]
    if len(links):
        parts.append(links[["pid", "industry"]].assign(basis="any_ipc"))
        parts.append(links.loc[links["first_ipc"], ["pid", "industry"]].assign(basis="first_ipc"))
    return pd.concat(parts, ignore_index=True)


def _key_codes(imp: PatentImport, regions: list[str], inds: list[str], bases: list[str]) -> tuple[np.ndarray, ...]:
    """(pid, region code, industry code, basis code) for every patent × region it counts in × industry
    key: memberships joined with industry keys on pid. Codes are positions in the given lists; the join
    is done on integer arrays with numpy (pandas' merge on strings is several times slower and bigger)."""
    m = memberships(imp)
    k = industry_keys(imp)
    mp = m["pid"].to_numpy()
    mr = _codes(m["region"], regions)
    kp = k["pid"].to_numpy()
    ki = _codes(k["industry"], inds)
    kb = _codes(k["basis"], bases)
    order = np.argsort(kp, kind="stable")
    kp, ki, kb = kp[order], ki[order], kb[order]
    start = np.searchsorted(kp, mp, side="left")
    count = np.searchsorted(kp, mp, side="right") - start
    rep = np.repeat(np.arange(len(mp)), count)
    take = np.repeat(start, count) + (np.arange(len(rep)) - np.repeat(np.cumsum(count) - count, count))
    return mp[rep], mr[rep], ki[take], kb[take]


def patent_years(imp: PatentImport, as_of: pd.Timestamp | None = None) -> pd.DataFrame:
    """Per patent: filing and grant years and the year-end intervals of the stock indicators.

    Columns ``pid, app_year, grant_year, invention, pct`` and, for each stock, ``<name>_from`` /
    ``<name>_to`` (inclusive years; from > to means never). Inventions only for stocks.
    """
    p = imp.patents
    as_of = pd.Timestamp(as_of if as_of is not None else imp.summary["as_of"])
    last_full, _ = status_year(as_of)
    inv = (p["type"] == "invention").to_numpy()
    app = p["app_date"]
    grant = p["grant_date"]
    app_year = app.dt.year.to_numpy()
    grant_year = grant.dt.year.to_numpy(dtype=float)  # NaN when not granted
    # End of the 20-year term: in force at 31 Dec Y only if Y < the year the term ends.
    term_end_year = app_year + 20
    legal = p["legal"].to_numpy()
    lapse_year = p["lapse_date"].dt.year.to_numpy(dtype=float)
    has_legal = "legal_status" in imp.fields or "lapse_date" in imp.fields
    granted = inv & ~np.isnan(grant_year)
    never = 10**6
    start = np.where(granted, np.nan_to_num(grant_year, nan=never), never).astype(np.int64)
    # Last year-end in force: lapse date known → the year before it; in force now → last complete year;
    # capped by the term.
    end = np.full(len(p), -never, dtype=np.int64)
    known_lapse = granted & ~np.isnan(lapse_year)
    end[known_lapse] = lapse_year[known_lapse].astype(np.int64) - 1
    now_in_force = granted & np.isnan(lapse_year) & (legal == "in_force")
    end[now_in_force] = last_full
    end = np.minimum(end, term_end_year - 1)
    end = np.minimum(end, last_full)
    unknown = granted & np.isnan(lapse_year) & (legal != "in_force") if has_legal else granted.copy()
    if not has_legal:
        end[:] = -never  # no legal status in the export: held cannot be told
    # Over 10 years at 31 Dec Y ⇔ filed before 31 Dec (Y-10).
    dec31 = (app.dt.month == 12) & (app.dt.day == 31)
    o10_from = app_year + 10 + dec31.to_numpy().astype(np.int64)
    out = pd.DataFrame({"pid": p["pid"].to_numpy(), "app_year": app_year, "grant_year": grant_year,
                        "invention": inv, "pct": p["pct"].to_numpy(dtype=bool)})
    out["invention_patents_held_from"], out["invention_patents_held_to"] = start, end
    out["invention_patents_over_10y_from"] = np.maximum(start, o10_from)
    out["invention_patents_over_10y_to"] = end
    static = _hv_static(imp)
    hv_any = static is not None or imp.summary["hv_criteria_available"].get("over_10y") is not None
    if hv_any:
        st = static if static is not None else np.zeros(len(p), dtype=bool)
        use_o10 = imp.summary["hv_criteria_available"].get("over_10y") is not None
        hv_from = np.where(st, start, np.maximum(start, o10_from) if use_o10 else never)
        out["high_value_invention_patents_from"], out["high_value_invention_patents_to"] = hv_from, end
    else:
        out["high_value_invention_patents_from"], out["high_value_invention_patents_to"] = never, -never
    out["invention_in_force_unknown_from"] = np.where(unknown, start, never)
    out["invention_in_force_unknown_to"] = np.where(unknown, np.minimum(last_full, term_end_year - 1), -never)
    return out


def _hv_static(imp: PatentImport) -> np.ndarray | None:
    """Per patent: meets a high-value criterion that does not depend on the year (SEI, overseas family,
    pledged, awarded), among the criteria the export allows; None when none of them is available."""
    avail = imp.summary["hv_criteria_available"]
    p = imp.patents
    parts = []
    if avail.get("strategic_emerging"):
        if "sei" in imp.fields:
            parts.append(p["sei_column"].to_numpy(dtype=bool))
        else:
            sei_codes = [i.code for i in imp.industries if i.strategic_emerging]
            links = imp.industry_links
            sei_pids = set(links.loc[links["industry"].isin(sei_codes), "pid"])
            parts.append(p["pid"].isin(sei_pids).to_numpy())
    if avail.get("overseas_family"):
        parts.append(p["overseas_family"].fillna(False).to_numpy(dtype=bool))
    if avail.get("pledged"):
        parts.append(p["pledged"].to_numpy(dtype=bool))
    if avail.get("awarded"):
        parts.append(p["awarded"].to_numpy(dtype=bool))
    if not parts:
        return None
    return np.logical_or.reduce(parts)


def _codes(values: pd.Series, categories: list[str]) -> np.ndarray:
    """Positions of ``values`` in ``categories`` (-1 when absent), by hashing (fast on millions of rows)."""
    codes, uniques = pd.factorize(values)
    where = {c: k for k, c in enumerate(categories)}
    pos = np.array([where.get(u, -1) for u in uniques] + [-1], dtype=np.int64)
    return pos[codes]


def compute(imp: PatentImport, as_of: str | pd.Timestamp | None = None) -> pd.DataFrame:
    """The indicator table: ``region, industry, basis, year, indicator, value, complete``.

    ``value`` is a count (float64 for the dataset's value column); every region × industry × basis ×
    year × indicator in range is present (zeros included). Stocks are left out entirely when the
    export has no legal status or lapse date (the table then has only flows). Carries
    ``attrs['is_demo']``, ``attrs['as_of']`` and ``attrs['hv_criteria']``.

    Counting runs in numpy (``bincount`` over region × industry × basis × year cells; stocks as
    year intervals, summed by differences), so a million patents take a few seconds.
    """
    as_of = pd.Timestamp(as_of if as_of is not None else imp.summary["as_of"])
    last_full, last_flow = status_year(as_of)
    if len(imp.patents) == 0:
        return _empty(imp, as_of)
    py = patent_years(imp, as_of)  # row i is pid i
    city, blocks = city_and_blocks()
    regions = [*blocks, city]
    inds = ["all", *[i.code for i in imp.industries]]
    bases = ["all", "first_ipc", "any_ipc"]
    nr, ni, nb = len(regions), len(inds), len(bases)
    pid, r, i, b = _key_codes(imp, regions, inds, bases)
    ok = (r >= 0) & (i >= 0) & (b >= 0)
    combo = ((r * ni + i) * nb + b)[ok]
    pid = pid[ok]
    del r, i, b
    n_combo = nr * ni * nb
    first_year = int(py["app_year"].min())
    ny = last_flow - first_year + 1
    app_year = py["app_year"].to_numpy()
    grant_year = np.nan_to_num(py["grant_year"].to_numpy(dtype=float), nan=-1).astype(np.int64)
    inv = py["invention"].to_numpy(dtype=bool)
    pct = py["pct"].to_numpy(dtype=bool)

    def flow(year: np.ndarray, cond: np.ndarray | None) -> np.ndarray:
        y = year[pid]
        ok = (y >= first_year) & (y <= last_flow)
        if cond is not None:
            ok &= cond[pid]
        cells = combo[ok] * ny + (y[ok] - first_year)
        return np.bincount(cells, minlength=n_combo * ny).reshape(n_combo, ny)

    def stock(start: np.ndarray, end: np.ndarray) -> np.ndarray:
        lo = np.clip(start[pid], first_year, last_full + 1)
        hi = np.clip(end[pid], first_year - 1, last_full)
        ok = lo <= hi
        width = ny + 1
        plus = np.bincount(combo[ok] * width + (lo[ok] - first_year), minlength=n_combo * width)
        minus = np.bincount(combo[ok] * width + (hi[ok] + 1 - first_year), minlength=n_combo * width)
        return np.cumsum((plus - minus).reshape(n_combo, width), axis=1)[:, :ny]

    mats = {
        "patent_applications": flow(app_year, None),
        "invention_patent_applications": flow(app_year, inv),
        "patent_grants": flow(grant_year, None),
        "invention_patent_grants": flow(grant_year, inv),
        "pct_applications": flow(app_year, pct),
    }
    has_stock = "legal_status" in imp.fields or "lapse_date" in imp.fields
    if has_stock:
        for name in STOCKS:
            mats[name] = stock(py[f"{name}_from"].to_numpy(), py[f"{name}_to"].to_numpy())
    # Long table over the valid combinations ('all' industry ⇔ 'all' basis).
    cr, rest = np.divmod(np.arange(n_combo), ni * nb)
    ci, cb = np.divmod(rest, nb)
    valid = (ci == 0) == (cb == 0)
    years = np.arange(first_year, last_flow + 1)
    frames = []
    for name, m in mats.items():
        n_years = ny if name in FLOWS else max(0, last_full - first_year + 1)
        sel = np.flatnonzero(valid)
        frames.append(pd.DataFrame({
            "region": np.repeat(np.asarray(regions, dtype=object)[cr[sel]], n_years),
            "industry": np.repeat(np.asarray(inds, dtype=object)[ci[sel]], n_years),
            "basis": np.repeat(np.asarray(bases, dtype=object)[cb[sel]], n_years),
            "year": np.tile(years[:n_years], len(sel)),
            "indicator": name,
            "value": m[sel, :n_years].reshape(-1).astype("float64"),
        }))
    out = pd.concat(frames, ignore_index=True)
    out["complete"] = _complete(out, as_of, last_full)
    out = out[COLUMNS].sort_values(["indicator", "region", "industry", "basis", "year"], kind="stable")
    out = out.reset_index(drop=True)
    _attrs(out, imp, as_of)
    return out


def _complete(df: pd.DataFrame, as_of: pd.Timestamp, last_full: int) -> np.ndarray:
    """Stocks and grants: the year ended by the status date. Applications: also published, i.e. the
    year ended at least 18 months before the status date."""
    y = df["year"].to_numpy()
    if not len(y):
        return np.array([], dtype=bool)
    lo = int(y.min())
    lag = pd.DateOffset(months=PUBLICATION_LAG_MONTHS)
    ready = np.array([pd.Timestamp(year=v, month=12, day=31) + lag <= as_of for v in range(lo, int(y.max()) + 1)])
    app_based = df["indicator"].isin(["patent_applications", "invention_patent_applications", "pct_applications"]).to_numpy()
    return np.where(app_based, ready[y - lo], y <= last_full)


def _attrs(df: pd.DataFrame, imp: PatentImport, as_of: pd.Timestamp) -> None:
    df.attrs["is_demo"] = bool(imp.is_demo)
    df.attrs["as_of"] = as_of.date().isoformat()
    df.attrs["hv_criteria"] = {k: v for k, v in imp.summary["hv_criteria_available"].items() if v}
    df.attrs["source_file"] = imp.summary["file"]


def _empty(imp: PatentImport, as_of: pd.Timestamp) -> pd.DataFrame:
    df = pd.DataFrame({c: pd.Series(dtype=t) for c, t in zip(
        COLUMNS, [str, str, str, "int64", str, "float64", bool], strict=True)})
    _attrs(df, imp, as_of)
    return df


# ---------------------------------------------------------------------------------------- views
def select(table: pd.DataFrame, indicator: str, *, basis: str = "any_ipc", industry: str | None = None,
           region: str | None = None, years: tuple[int, int] | None = None) -> pd.DataFrame:
    """Rows of one indicator; ``basis`` applies to industries (``all`` always has basis ``all``)."""
    t = table[table["indicator"] == indicator]
    t = t[(t["industry"] == "all") | (t["basis"] == basis)]
    if industry is not None:
        t = t[t["industry"] == industry]
    if region is not None:
        t = t[t["region"] == region]
    if years is not None:
        t = t[t["year"].between(*years)]
    return t


def share_of_parent(table: pd.DataFrame, focus: str, indicator: str = "patent_applications", *,
                    basis: str = "any_ipc", years: tuple[int, int] | None = None) -> pd.DataFrame:
    """Focus block's share of the city per industry and year: ``industry, year, focus, parent, share``
    (share in %, NaN when the city has none)."""
    city, _ = city_and_blocks()
    t = select(table, indicator, basis=basis, years=years)
    f = t[t["region"] == focus].set_index(["industry", "year"])["value"]
    p = t[t["region"] == city].set_index(["industry", "year"])["value"]
    out = pd.DataFrame({"focus": f, "parent": p}).reset_index()
    out["share"] = np.where(out["parent"] > 0, 100.0 * out["focus"] / out["parent"].where(out["parent"] > 0), np.nan)
    out["complete"] = t[t["region"] == focus].set_index(["industry", "year"])["complete"].reindex(
        pd.MultiIndex.from_frame(out[["industry", "year"]])).to_numpy()
    return out


def invention_share(table: pd.DataFrame, *, basis: str = "any_ipc", years: tuple[int, int] | None = None,
                    kind: str = "applications") -> pd.DataFrame:
    """Inventions as % of all patents (``kind`` applications or grants) per region, industry and year;
    NaN when there are none."""
    num, den = (("invention_patent_applications", "patent_applications") if kind == "applications"
                else ("invention_patent_grants", "patent_grants"))
    a = select(table, num, basis=basis, years=years).set_index(["region", "industry", "year"])
    b = select(table, den, basis=basis, years=years).set_index(["region", "industry", "year"])
    out = pd.DataFrame({"inventions": a["value"], "total": b["value"], "complete": b["complete"]}).reset_index()
    out["share"] = 100.0 * out["inventions"] / out["total"].where(out["total"] > 0)
    return out


def applicant_counts(imp: PatentImport, region: str, *, years: tuple[int, int] | None = None,
                     basis: str = "any_ipc", as_of: str | pd.Timestamp | None = None) -> pd.DataFrame:
    """Per industry and applicant in ``region``: applications filed in ``years`` (inclusive), of which
    inventions, invention grants in ``years``, and inventions in force at the last complete year end.
    The applicant is the one located in the region (the first applicant by default)."""
    as_of = pd.Timestamp(as_of if as_of is not None else imp.summary["as_of"])
    last_full, _ = status_year(as_of)
    city, _ = city_and_blocks()
    loc = imp.locations
    if region == city:
        who = loc[loc["status"].isin(["block", "city"])][["pid", "applicant"]]
    else:
        who = loc[(loc["status"] == "block") & (loc["region"] == region)][["pid", "applicant"]]
    who = who.drop_duplicates("pid")  # one applicant per patent and region
    ik = industry_keys(imp)
    ik = ik[(ik["industry"] == "all") | (ik["basis"] == basis)]
    py = patent_years(imp, as_of)
    d = who.merge(ik, on="pid").merge(py, on="pid")
    in_years = d["app_year"].between(*years) if years else pd.Series(True, index=d.index)
    g_years = d["grant_year"].between(*years) if years else d["grant_year"].notna()
    held = (d["invention_patents_held_from"] <= last_full) & (d["invention_patents_held_to"] >= last_full)
    d = d.assign(applications=in_years, invention_applications=in_years & d["invention"],
                 invention_grants=g_years & d["invention"], invention_patents_held=held)
    cols = ["applications", "invention_applications", "invention_grants", "invention_patents_held"]
    out = d.groupby(["industry", "applicant"])[cols].sum().reset_index()
    out = out[(out[cols] > 0).any(axis=1)]
    return out.sort_values(["industry", "applications", "applicant"], ascending=[True, False, True]).reset_index(drop=True)


def top_applicants(imp: PatentImport, region: str, industry: str = "all", *, n: int = 10,
                   years: tuple[int, int] | None = None, basis: str = "any_ipc") -> pd.DataFrame:
    """The ``n`` applicants with most applications in ``years`` (ties by name), with their counts and
    share of the region's applications in the industry (%)."""
    c = applicant_counts(imp, region, years=years, basis=basis)
    c = c[c["industry"] == industry]
    total = c["applications"].sum()
    top = c.head(n).copy()
    top["share"] = 100.0 * top["applications"] / total if total else np.nan
    top.insert(0, "rank", np.arange(1, len(top) + 1))
    return top.drop(columns="industry").reset_index(drop=True)


def concentration(imp: PatentImport, region: str, *, top: int = 10, years: tuple[int, int] | None = None,
                  basis: str = "any_ipc") -> pd.DataFrame:
    """Per industry: applicants, applications and the top-``top`` applicants' share of applications (%)
    in ``region`` over ``years``. NaN share when there are no applications."""
    c = applicant_counts(imp, region, years=years, basis=basis)
    rows = []
    for ind in ["all", *[i.code for i in imp.industries]]:
        s = c.loc[c["industry"] == ind, "applications"].sort_values(ascending=False)
        s = s[s > 0]
        total = int(s.sum())
        rows.append({"industry": ind, "applicants": int(len(s)), "applications": total,
                     "top_share": 100.0 * s.head(top).sum() / total if total else np.nan})
    return pd.DataFrame(rows)


# ------------------------------------------------------------------------------- to the dataset
def to_observations(table: pd.DataFrame, source_id: str, *, title: str | None = None,
                    include_partial_high_value: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Observation rows (status ``derived``, or ``demo`` for the demo export) and a sources row.

    Only indicators of the main catalogue, industry ``all``, complete years and the registry's
    regions. High-value counts are left out unless every CNIPA criterion could be applied (or
    ``include_partial_high_value``): with fewer criteria they undercount. The note of each row says
    what the count covers.

    Returns
    -------
    (observations, sources): frames with the dataset's columns (``liyang_ip.data.schema``).
    """
    from liyang_ip.data.schema import OBS_COLUMNS, SOURCE_COLUMNS
    from liyang_ip.registry import indicators as catalogue

    cat = catalogue()
    t = table[(table["industry"] == "all") & table["complete"] & table["indicator"].isin(CATALOGUE)]
    hv = table.attrs.get("hv_criteria", {})
    if len(hv) < 5 and not include_partial_high_value:
        t = t[t["indicator"] != "high_value_invention_patents"]
    demo = bool(table.attrs.get("is_demo", False))
    file = table.attrs.get("source_file", "")
    as_of = table.attrs.get("as_of", "")
    note = (f"counted from the patent list {_file_name(file)} (status as of {as_of}); complete only if the export "
            "covers every applicant of the region")
    obs = pd.DataFrame({
        "region": t["region"].to_numpy(), "year": t["year"].astype("int64").to_numpy(),
        "indicator": t["indicator"].to_numpy(), "value": t["value"].astype("float64").to_numpy(),
        "unit": [cat[c].unit for c in t["indicator"]], "status": "demo" if demo else "derived",
        "source_id": source_id, "note": note, "quote": "",
    })
    hv_note = "；".join(f"{k}: {v}" for k, v in hv.items())
    obs.loc[obs["indicator"] == "high_value_invention_patents", "note"] = note + f"; high-value criteria: {hv_note}"
    src = pd.DataFrame([{
        "source_id": source_id, "title": title or f"专利清单 {_file_name(file)}", "publisher": "patent-list export",
        "url": "", "date": as_of, "accessed": as_of, "priority": 5,
        "notes": f"file {file}; indicators computed by liyang_ip.patents" + ("; DEMO DATA (synthetic)" if demo else ""),
    }])
    return obs[OBS_COLUMNS].reset_index(drop=True), src[SOURCE_COLUMNS]


def _file_name(file: str) -> str:
    from pathlib import Path

    return Path(file).name if file else ""


def label(indicator: str, lang: str = "zh") -> str:
    zh, en = INDICATOR_LABELS.get(indicator, (indicator, indicator))
    return en if lang == "en" else zh


__all__ = ["CATALOGUE", "COLUMNS", "FLOWS", "INDICATOR_LABELS", "STOCKS", "applicant_counts", "compute",
           "concentration", "industry_keys", "invention_share", "label", "memberships", "patent_years", "select",
           "share_of_parent", "status_year", "to_observations", "top_applicants"]
