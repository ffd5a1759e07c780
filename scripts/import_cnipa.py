#!/usr/bin/env python3
"""Turn the verbatim snapshot of CNIPA figures by province into the tidy raw dataset `data/raw/cnipa/`.

Input:  data/raw/cnipa/snapshot/cnipa_provinces.csv and jiangsu_cities.csv (byte-for-byte copies of the
        collected figures, with their README), each row with the page it was read from and the exact quote;
        cnipa_6-4_taiwan_hongkong_macao.csv: the 台湾/香港/澳门 rows of the same PCT table 6-4, read from the
        stored copy of that page (the collection had left them out), so the domestic subtotal can be checked.
Output: data/raw/cnipa/observations.csv, sources.csv, excluded.csv (every snapshot row NOT imported, with
        the reason) and README.md (coverage table). dataset.yaml is hand-written.

Rules, stated once so the mapping is reviewable:
- Only CNIPA's own tables are imported (TABLES: yearbook tables and the December monthly table, i.e. full
  years). Provincial yearbook series, third-party counts and tables reproduced by other sites stay out.
- Year-to-date rows (indicator names with 非全年) are never imported: they are not annual figures.
- Subsets that are not totals (职务 service inventions, 经代理机构 agency filings, 企业职务) stay out.
- 1985年以来累计 rows go to their own `cumulative` indicators, never to the flow or the stock.
- Entities: province short names go through the `china` region set (江苏 → 江苏省); the national rows
  (国内小计, 全国总计, 全国(国内)合计, 国内总计) are 全国 = domestic applicants/owners incl. 台湾/香港/澳门;
  合计(国内+国外) includes applicants from abroad and is not a unit of the set. City rows (南京) go through
  the `jiangsu` set; they are inside their province and are never added to it.
- Every imported row keeps its quote, its source page (sources.csv) and the snapshot's notes; a partial
  table says its coverage in the note. Status `official` (CNIPA), source priority 1.
Nothing is interpolated or filled. Run: python scripts/import_cnipa.py [--out DIR]  (default data/raw/cnipa)
"""

from __future__ import annotations

import csv
import io
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "raw" / "cnipa"
SNAP = OUT / "snapshot"
FILES = ("cnipa_provinces.csv", "cnipa_6-4_taiwan_hongkong_macao.csv", "jiangsu_cities.csv")

# CNIPA pages whose tables are imported: source id, title as the snapshot gives it, what the table is.
TABLES = {
    "https://www.cnipa.gov.cn/tjxx/jianbao/year2023/f/f4.html": "cnipa-yb2023-6-4",
    "https://www.cnipa.gov.cn/tjxx/jianbao/year2023/c/c7.html": "cnipa-yb2023-3-7",
    "https://english.cnipa.gov.cn/jianbao/year2009/c/c2.html": "cnipa-yb2009-c2",
    "https://english.cnipa.gov.cn/jianbao/year2015/b/b4.html": "cnipa-yb2015-b4",
    "http://english.sipo.gov.cn/statistics/2016/12/201704/t20170407_1309326.html": "cnipa-m2016-12-t2",
}
PUBLISHER = "国家知识产权局 CNIPA"

# Snapshot indicator name → catalogue code (registry/indicators.yaml). Anything else is excluded.
INDICATORS = {
    "PCT国际专利申请受理量": "pct_applications",
    "国内发明专利有效量": "invention_patents_held",
    "国内实用新型专利有效量": "utility_models_in_force",
    "国内外观设计专利有效量": "design_patents_in_force",
    "国内三种专利有效量合计": "patents_in_force",
    "国内企业外观设计专利有效量": "enterprise_design_patents_in_force",
    "国内发明专利申请受理量": "invention_patent_applications",
    "国内发明专利申请受理量(1985年以来累计)": "invention_patent_applications_since_1985",
    "国内三种专利授权量": "patent_grants",
    "国内三种专利授权量(1985年以来累计)": "patent_grants_since_1985",
}
NOT_A_UNIT = {"合计(国内+国外)": "includes applicants from abroad (国外); 全国 in the china set is domestic only"}


def exclusion_reason(row: dict) -> str:
    """Why a snapshot row is not imported ('' when it is)."""
    ind, notes = row["indicator"], row["notes"]
    if "非全年" in ind:
        return "year-to-date (非全年), not an annual figure"
    if "第三方" in ind or "THIRD-PARTY" in notes:
        return "third-party computation, not an official table"
    if any(k in ind for k in ("职务", "经代理机构")):
        return "a subset (service inventions or agency filings), not a total; no catalogue indicator"
    if row["source_url"] not in TABLES:
        return "not a CNIPA table (provincial yearbook, bulletin, media or reproduction); kept out of CNIPA counts"
    if ind not in INDICATORS:
        return "no catalogue indicator for this table"
    if row["entity"] in NOT_A_UNIT:
        return NOT_A_UNIT[row["entity"]]
    return ""


def coverage_note(code: str, year: int, n_members: int, n_total: int) -> str:
    """'partial table: 12 of 31 provinces' for incomplete cross-sections ('' when complete)."""
    if n_members >= n_total:
        return ""
    return f"partial table: {n_members} of {n_total} provinces in the source excerpt"


def main(argv: list[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=OUT, help="output directory (default data/raw/cnipa)")
    out = ap.parse_args(argv).out
    out.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(ROOT))
    from liyang_ip import registry

    china, jiangsu = registry.region_set("china"), registry.region_set("jiangsu")
    rows, excluded = [], []
    for fname in FILES:
        with (SNAP / fname).open(encoding="utf-8", newline="") as f:
            for line, r in enumerate(csv.DictReader(f), start=2):
                why = exclusion_reason(r)
                region = ""
                if not why:
                    rset = jiangsu if fname == "jiangsu_cities.csv" else china
                    try:
                        region = rset.resolve(r["entity"])
                    except registry.UnknownNameError as e:
                        why = f"entity not in region set {rset.name}: {e}"
                if why:
                    excluded.append({"file": fname, "line": line, "entity": r["entity"], "year": r["year"],
                                     "indicator": r["indicator"], "value": r["value"], "reason": why})
                    continue
                rows.append({"region": region, "year": int(r["year"]), "indicator": INDICATORS[r["indicator"]],
                             "value": r["value"], "unit": r["unit"], "status": "official",
                             "source_id": TABLES[r["source_url"]], "note": r["notes"], "quote": r["quote"],
                             "_title": r["source_title"], "_url": r["source_url"], "_set": rset.name})
    # Coverage of each province cross-section, stated on its rows.
    members = defaultdict(set)
    for r in rows:
        if r["_set"] == "china" and r["region"] in china.members:
            members[(r["indicator"], r["year"])].add(r["region"])
    for r in rows:
        if r["_set"] == "china":
            extra = coverage_note(r["indicator"], r["year"], len(members[(r["indicator"], r["year"])]), china.n_members)
            if extra:
                r["note"] = f"{extra}; {r['note']}"
    write_csv(out / "observations.csv", ["region", "year", "indicator", "value", "unit", "status", "source_id",
                                         "note", "quote"], rows)
    sources = {}
    for r in rows:
        sources.setdefault(r["source_id"], {
            "source_id": r["source_id"], "title": r["_title"], "publisher": PUBLISHER, "url": r["_url"],
            "date": "", "accessed": "", "priority": 1,
            "notes": "read from a stored copy of the page; figures, quotes and notes as in snapshot/"})
    write_csv(out / "sources.csv", ["source_id", "title", "publisher", "url", "date", "accessed", "priority", "notes"],
              sorted(sources.values(), key=lambda s: s["source_id"]))
    write_csv(out / "excluded.csv", ["file", "line", "entity", "year", "indicator", "value", "reason"], excluded)
    (out / "README.md").write_text(readme(rows, china), encoding="utf-8")
    print(f"{len(rows)} rows imported, {len(excluded)} excluded (see excluded.csv)")
    return 0


def readme(rows: list[dict], china) -> str:
    from liyang_ip import registry

    cells = defaultdict(lambda: {"n": 0, "outside": 0, "national": False, "cities": set(), "source": ""})
    for r in rows:
        c = cells[(r["indicator"], r["year"])]
        c["source"] = r["source_id"]
        if r["region"] in china.members:
            c["n"] += 1
        elif r["region"] == china.parent:
            c["national"] = True
        elif r["region"] in china.total_of:
            c["outside"] += 1
        else:
            c["cities"].add(r["region"])
    kinds = {"stock": "stock (year end)", "flow": "flow (the year)", "cumulative": "accumulated since 1985"}
    lines = [
        "# CNIPA figures by province (`cnipa` dataset)",
        "",
        "Made by `scripts/import_cnipa.py` from `snapshot/` (verbatim copies of the collected figures with",
        "their pages, quotes and notes). Do not edit `observations.csv`, `sources.csv` or `excluded.csv` by",
        "hand: change the script and run it again. Region sets: `china` (全国 and the 31 provinces; 全国 =",
        "domestic applicants or owners, incl. 台湾/香港/澳门: a national sum is derived only where those three",
        "rows are present too, and a printed total that differs from it is listed in the build's",
        "conflicts.csv) and `jiangsu` (南京 only: it is inside 江苏 and never added to it). No population is",
        "printed in these tables, so no per-10k ratios. Every snapshot row left out is listed with its reason",
        "in `excluded.csv`.",
        "",
        "| indicator | year | meaning | provinces | 台湾/香港/澳门 | national total printed | cities | source |",
        "|---|---:|---|---:|---:|---|---|---|",
    ]
    cat = registry.indicators()
    for (code, year), c in sorted(cells.items(), key=lambda kv: (list(cat).index(kv[0][0]), kv[0][1])):
        ind = cat[code]
        lines.append(f"| {ind.name_zh} (`{code}`) | {year} | {kinds.get(ind.kind, ind.kind)} | {c['n']} of "
                     f"{china.n_members} | {c['outside']} of 3 | {'yes' if c['national'] else 'no'} | {', '.join(sorted(c['cities'])) or '—'} "
                     f"| `{c['source']}` |")
    return "\n".join(lines) + "\n"


def write_csv(path: Path, columns: list[str], rows: list[dict]) -> None:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
