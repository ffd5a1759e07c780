#!/usr/bin/env python3
"""Turn the verbatim snapshot of shared public figures into the tidy raw dataset `data/raw/public/`.

Input:  data/raw/public/snapshot/public_figures.csv (a byte-for-byte copy of shared/data/, with its README)
Output: data/raw/public/observations.csv, sources.csv (and dataset.yaml is hand-written)

Every rule that changes a name or a status is here, stated once, so the mapping is reviewable:
- entity names go through the region registry; 武进区 figures the source calls 全口径 (or whose scope is not
  stated but whose magnitude matches 全口径) go to the composite region 武进区(全口径); 武进区(不含常州经开区)
  is the 武进区 block;
- figures marked 预计 / 以上 / 近 / approximate / rounded in quote or notes get status `estimate`;
- source priority (1 best … 5 worst) from the kind of page: government site 1, bulletin repost 2,
  mirror / encyclopedia / news repost 3, third-party aggregator 4, no URL (unverified) 5.
Nothing is interpolated or filled. Run: python scripts/import_shared_public.py
"""

from __future__ import annotations

import csv
import io
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SNAP = ROOT / "data" / "raw" / "public" / "snapshot" / "public_figures.csv"
OUT = ROOT / "data" / "raw" / "public"

INDICATORS = {
    "地区生产总值": "gdp",
    "常住人口": "resident_population",
    "全社会研发投入占比": "rd_intensity",
    "全社会研发经费支出占地区生产总值比重": "rd_intensity",
    "高新技术企业": "high_tech_firms",
    "有效高新技术企业": "high_tech_firms",
    "专利申请量": "patent_applications",
    "万人有效发明专利拥有量": "invention_patents_per_10k",
}
# Markers of a preliminary or approximate figure (simplified and traditional forms). 以上/近 count only
# next to a number: 规模以上 (above designated size) is not an approximation.
ESTIMATE_PATTERNS = [r"预计", r"預計", r"近\s*\d", r"\d[\d.]*\s*[万萬亿億]?[元件家人]?\s*以上",
                     r"(?i)preliminary", r"(?i)approximate", r"(?i)rounded", r"(?i)lower bound"]
WUJIN_ALL_MAGNITUDE = (
    "scope (incl./excl. 常州经开区) not stated by the source; assigned to 全口径 by magnitude "
    "(2023: 全口径 3222.84 vs 不含经开区 2239.58 亿元)"
)


def region_of(row: dict) -> tuple[str, str]:
    entity, notes = row["entity"], row["notes"]
    if entity == "武进区":
        if "全口径" in notes:
            return "武进区(全口径)", "全口径 as stated by the source"
        return "武进区(全口径)", WUJIN_ALL_MAGNITUDE
    return entity, ""


def priority_of(row: dict) -> int:
    url, title = row["source_url"], row["source_title"]
    if not url:
        return 5
    if ".gov.cn" in url or "政府网" in title or "政府门户" in title:
        return 1
    if "统计公报" in title or "公报" in title:
        return 2
    if "聚合页" in title or "第三方" in title:
        return 4
    return 3


def main() -> int:
    rows = list(csv.DictReader(io.StringIO(SNAP.read_text(encoding="utf-8"))))
    sources: dict[tuple[str, str], dict] = {}
    obs = []
    for r in rows:
        key = (r["source_url"], r["source_title"])
        if key not in sources:
            sid = f"pub-{len(sources) + 1:03d}"
            sources[key] = {
                "source_id": sid, "title": r["source_title"], "publisher": "", "url": r["source_url"],
                "date": "", "accessed": "", "priority": priority_of(r),
                "notes": "no URL in the stored page: unverified" if not r["source_url"] else "",
            }
        code = INDICATORS[r["indicator"]]
        region, scope_note = region_of(r)
        text = r["quote"] + " " + r["notes"]
        status = "estimate" if any(re.search(p, text) for p in ESTIMATE_PATTERNS) else "official"
        if r["period_type"] == "target":
            continue  # targets belong in targets.csv; none in the snapshot so far
        note = "; ".join(x for x in (f"source indicator: {r['indicator']}", scope_note, r["notes"]) if x)
        obs.append({
            "region": region, "year": r["year"], "indicator": code, "value": r["value"], "unit": r["unit"],
            "status": status, "source_id": sources[key]["source_id"], "note": note, "quote": r["quote"],
        })
    cols = ["region", "year", "indicator", "value", "unit", "status", "source_id", "note", "quote"]
    with open(OUT / "observations.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, cols)
        w.writeheader()
        w.writerows(obs)
    scols = ["source_id", "title", "publisher", "url", "date", "accessed", "priority", "notes"]
    with open(OUT / "sources.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, scols)
        w.writeheader()
        w.writerows(sources.values())
    print(f"wrote {len(obs)} observations and {len(sources)} sources to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
