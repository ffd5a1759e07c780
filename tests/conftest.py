import os
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests have no per-example deadline: on the shared 2-core machine (and CI) a parse that takes
# 1 ms alone can take over hypothesis's default 200 ms under load, which fails the test without a bug.
settings.register_profile("shared-cpu", deadline=None)
settings.load_profile("shared-cpu")

# Charts are rendered without a display.
os.environ.setdefault("MPLBACKEND", "Agg")

# Subsetted report fonts are kept for the session in a directory of its own (not the user's cache):
# the export tests reuse each other's subsets, and nothing is left in the home directory.
if "LIYANG_IP_FONT_CACHE" not in os.environ:
    import tempfile

    os.environ["LIYANG_IP_FONT_CACHE"] = tempfile.mkdtemp(prefix="liyang-ip-test-fonts-")


# ---------------------------------------------------------------------------------------------------------
# Small region-set panels: a user-defined region set (a county and three towns) and tiny tidy datasets on
# any region set, shared by tests/data/test_region_set_data.py, tests/data/test_regionsets.py and
# tests/notebooks/test_region_set_runs.py. Invented names and numbers; the notebook runs mark them demo.

#: A county (某县, code 999900) with three member towns and a former township merged into 甲镇.
COUNTY_SET = """\
name: my_county
title: {zh: 某县及其三个镇, en: A county and three towns}
unit_word: {zh: 镇, en: town, en_plural: towns}
parent_short: {zh: 全县, en: county}
regions:
  - {name: 某县, kind: parent, code: "999900", aliases: [全县]}
  - {name: 甲镇, kind: member, aliases: [甲], name_en: Jia}
  - {name: 乙镇, kind: member, aliases: [乙]}
  - {name: 丙镇, kind: member}
  - {name: 旧丁乡, kind: former, notes: merged into 甲镇 in 2001}
"""

#: The sources table of a small panel: one hand-made source, id S1.
PANEL_SOURCES = ("source_id,title,publisher,url,date,accessed,priority,notes\n"
                 "S1,某县统计公报,某县统计局,http://example.org,2021-03-01,,1,hand-made test panel\n")


@pytest.fixture
def county_set(tmp_path):
    """Factory: write the county-and-three-towns region set (COUNTY_SET) to `path` (default
    tmp_path/county.yaml, parent folders created) and return the path."""

    def write(path: Path | None = None) -> Path:
        path = Path(path) if path is not None else tmp_path / "county.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(COUNTY_SET, encoding="utf-8")
        return path

    return write


@pytest.fixture
def small_panel(county_set):
    """Factory: a tidy dataset folder `root` (dataset.yaml naming `region_set`, sources.csv with source S1,
    observations.csv) and its path.

    `rows` are (region, year, indicator, value, status) tuples, unit 件, source S1. With ``county=True``
    the county set is written at ``root/region_set`` (a path relative to the dataset, as a user would
    keep it beside the data).
    """

    def write(root: Path, region_set: str, rows, *, county: bool = False) -> Path:
        root = Path(root)
        root.mkdir(parents=True, exist_ok=True)
        (root / "dataset.yaml").write_text(
            f"name: {root.name}\nregion_set: {region_set}\nfiles:\n  - path: observations.csv\n    format: tidy\n"
            "sources: sources.csv\n", encoding="utf-8")
        (root / "sources.csv").write_text(PANEL_SOURCES, encoding="utf-8")
        lines = ["region,year,indicator,value,unit,status,source_id"]
        lines += [f"{region},{year},{indicator},{value},件,{status},S1" for region, year, indicator, value, status in rows]
        (root / "observations.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
        if county:
            county_set(root / region_set)
        return root

    return write


@pytest.fixture
def imported_after():
    """``imported_after(code, modules)``: which of `modules` a fresh Python process has imported after
    running `code` (sorted), to check that a path does not pull in a heavy package."""
    import subprocess
    import sys

    def run(code: str, modules) -> list[str]:
        probe = f"\nimport sys\nprint(repr(sorted(m for m in {tuple(modules)!r} if m in sys.modules)))\n"
        out = subprocess.run([sys.executable, "-c", code + probe], capture_output=True, text=True, check=True)
        return eval(out.stdout.strip().splitlines()[-1])  # noqa: S307 - our own repr of a list of names

    return run
