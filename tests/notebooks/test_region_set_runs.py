"""The benchmark notebook runs on other geographies: the bundled `china` and `jiangsu` sets and a
user-defined set given as a YAML path in a dataset, each on a small hand-made panel (invented numbers,
status `demo`, so every output is marked as demo)."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from liyang_ip import registry
from liyang_ip.cli import main as cli_main

pytestmark = pytest.mark.notebooks

def panel_rows(members: list[str]) -> list[tuple]:
    """Members × 2019–2021 × PCT applications: member k has 10·k + (year − 2019) applications."""
    return [(m, year, "pct_applications", 10 * k + year - 2019, "demo")
            for k, m in enumerate(members, start=1) for year in (2019, 2020, 2021)]


def run_benchmark(tmp_path: Path, ds_dir: Path, focus: str) -> nbformat.NotebookNode:
    out = tmp_path / "out"
    code = cli_main(["run", "--dataset", str(ds_dir), "--focus", focus, "--notebooks", "02", "--out", str(out),
                     "-p", "start_year=2019", "-p", "end_year=2021", "-p", "target_year=2025",
                     "-p", "indicators=[pct_applications]", "--jobs", "1"])
    assert code == 0
    manifest = json.loads(next(out.rglob("manifest.json")).read_text(encoding="utf-8"))
    return nbformat.read(next(out.rglob("02_benchmark.ipynb")), as_version=4), manifest


def outputs_text(nb) -> str:
    parts = []
    for c in nb.cells:
        for o in c.get("outputs", []):
            parts.append(o.get("text", ""))
            parts += [str(v) for k, v in o.get("data", {}).items() if k.startswith("text/")]
    return "\n".join(parts)


@pytest.mark.parametrize(
    "set_name, focus, canonical, rank",
    [("jiangsu", "常州", "常州市", 10), ("china", "江苏", "江苏省", 22)],
)
def test_bundled_sets(tmp_path, small_panel, set_name, focus, canonical, rank):
    members = registry.region_set(set_name).members
    ds = small_panel(tmp_path / f"panel_{set_name}", set_name, panel_rows(members))
    nb, manifest = run_benchmark(tmp_path, ds, focus)
    text = outputs_text(nb)
    assert "Error" not in text and "Traceback" not in text
    # Member k has the k-th largest count from the bottom: rank = N − k + 1.
    n = len(members)
    assert n - (members.index(canonical) + 1) + 1 == rank
    assert f"第{rank}" in text
    assert canonical in text
    # The prose and tables say the set's own words (设区市/省份, 江苏平均/全国平均), never the default set's.
    rset = registry.region_set(set_name)
    assert "板块" not in text and "常州平均" not in text and "七个" not in text
    assert rset.average_label() in text and f"焦点{rset.unit_word()}：{canonical}" in text
    # The notebook's own text (headings, explanations, captions, title) says the set's words too.
    own = "\n".join([nb.metadata.get("title", "")] + [c.source for c in nb.cells if c.cell_type == "markdown"]
                    + [c.metadata.get("caption", "") for c in nb.cells])
    assert "板块" not in own and "常州" not in own and "{{" not in own
    assert f"## 与{rset.average_label()}的差距" in own and f"{rset.unit_word()}对标" in nb.metadata["title"]


def test_user_defined_set_by_path(tmp_path, small_panel):
    ds = small_panel(tmp_path / "towns", "geo/county.yaml", panel_rows(["甲镇", "乙镇", "丙镇"]), county=True)
    nb, manifest = run_benchmark(tmp_path, ds, "乙镇")
    text = outputs_text(nb)
    assert "Traceback" not in text
    # 2021: 甲 12, 乙 22, 丙 32 → 乙镇 ranks 2nd; the county total 66 is derived, the average town is 22.
    assert "乙镇" in text and "第2" in text
    own = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "## 与全县平均的差距" in own and "板块" not in own  # the user's set's words in the notebook's text
