"""The synthetic demo export: reproducible from its seed, marked demo, readable by the importer."""

from __future__ import annotations

import pandas as pd

from liyang_ip.patents import import_export
from liyang_ip.patents.demo import DEMO_MARK, demo_file, write_demo_export


def test_committed_demo_file_is_reproducible(tmp_path):
    out = write_demo_export(tmp_path / "patents_demo.csv")
    assert out.read_bytes() == demo_file().read_bytes()


def test_demo_is_marked_and_imports_cleanly():
    raw = pd.read_csv(demo_file(), dtype=str, keep_default_na=False)
    assert (raw["数据性质"] == DEMO_MARK).all()
    assert raw["申请(专利权)人"].str.contains("演示").all()
    r = import_export(demo_file())
    assert r.is_demo and r.summary["is_demo"]
    assert r.summary["errors"] == 0
    assert r.summary["patents"] == len(raw)
    # Every status of the locator occurs, so the notebook shows unlocated rows too.
    assert {"block", "city", "outside", "unlocated", "no_address"} <= set(r.summary["location_status"])
