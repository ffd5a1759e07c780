"""Regenerate docs/img/plan_table.png: the plan's indicator table (主要指标表) of the README.

The table is the one `liyang-ip table --plan 15` exports to Word and Excel (溧阳市, demo data: every
figure is synthetic and the table says so), rendered from its HTML form (``plan_table.to_html``) by the
headless Chromium that ``scripts/setup.sh`` installs (``--screenshot``; no LibreOffice needed), then cropped
to the table.

    .venv/bin/python scripts/plan_table_png.py [--plan 15] [--focus 溧阳市] [--out docs/img/plan_table.png]
"""

from __future__ import annotations

import argparse
import html
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ margin: 24px; font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", serif; font-size: 14px; color: #000;
        background: #fff; width: {width}px; }}
h1 {{ font-family: "Noto Sans CJK SC", sans-serif; font-size: 18px; text-align: center; margin: 0 0 12px; }}
table.plan-table {{ border-collapse: collapse; width: 100%; }}
table.plan-table th, table.plan-table td {{ border: 1px solid #000; padding: 4px 6px; text-align: center; }}
table.plan-table th {{ font-family: "Noto Sans CJK SC", sans-serif; font-weight: bold; background: #f2f2f2; }}
.plan-table-notes {{ font-size: 12px; margin: 6px 0 0; }}
ol.plan-table-notes {{ padding-left: 20px; }}
</style></head>
<body><h1>{title}</h1>{table}</body></html>
"""


def build_html(plan: str, focus: str, width: int) -> str:
    """The page: the plan table of `focus` on the demo data with the plan preset `plan`."""
    from liyang_ip.data import load_dataset
    from liyang_ip.params import apply_plan_preset, validate_params
    from liyang_ip.report import plan_table as pt

    params = apply_plan_preset({"focus": focus, "dataset": "demo"}, plan)
    p = validate_params(**params)
    ds = load_dataset(p.dataset)
    table = pt.plan_table(ds.observations, ds.targets, p.focus, p.end_year, p.target_year,
                          indicators=list(p.indicators), start_year=p.start_year, share=p.gap_share, lang=p.lang,
                          is_demo=ds.is_demo, source=pt.source_in(str(ds.metadata.get("title") or ds.name), p.lang),
                          methods=list(p.methods))
    return PAGE.format(title=html.escape(table.title), table=pt.to_html(table), width=width)


def screenshot(page: str, out: Path, width: int, height: int) -> Path:
    """`page` rendered by headless Chromium to a PNG, cropped to what is drawn (plus a margin)."""
    from PIL import Image, ImageChops

    from liyang_ip.report.export import find_browser

    browser = find_browser()
    if browser is None:
        sys.exit("no Chromium/Chrome found; run scripts/setup.sh (it installs chromium) or set LIYANG_IP_CHROMIUM")
    with tempfile.TemporaryDirectory(prefix="liyang-ip-png-") as tmp:
        src, raw = Path(tmp) / "table.html", Path(tmp) / "raw.png"
        src.write_text(page, encoding="utf-8")
        cmd = [str(browser), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
               "--force-device-scale-factor=1", f"--window-size={width},{height}", f"--screenshot={raw}",
               src.as_uri()]
        subprocess.run(cmd, check=True, capture_output=True, timeout=120)
        img = Image.open(raw).convert("RGB")
        box = ImageChops.difference(img, Image.new("RGB", img.size, "white")).getbbox()
        if box is None:
            sys.exit("the screenshot is blank")
        if box[3] >= img.height - 2:
            sys.exit(f"the table is taller than the window ({height} px): raise --height")
        margin = 16
        crop = (max(0, box[0] - margin), max(0, box[1] - margin), min(img.width, box[2] + margin),
                min(img.height, box[3] + margin))
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp_out = out.with_name(f".{out.name}.tmp")
        img.crop(crop).save(tmp_out, format="PNG", optimize=True)
        tmp_out.replace(out)  # atomic: a reader never sees half a picture
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--plan", default="15", help="plan preset (14 or 15; default 15)")
    ap.add_argument("--focus", default="溧阳市")
    ap.add_argument("--out", default=str(ROOT / "docs" / "img" / "plan_table.png"))
    ap.add_argument("--width", type=int, default=1100, help="page width in CSS pixels")
    ap.add_argument("--height", type=int, default=1600, help="window height; the picture is cropped to the table")
    args = ap.parse_args(argv)
    out = screenshot(build_html(args.plan, args.focus, args.width), Path(args.out), args.width + 60, args.height)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
