"""Data-validation tests of the bundled datasets (demo and public)."""

import hashlib

import numpy as np
import pandas as pd
import pytest

from liyang_ip import registry
from liyang_ip.data import build as B
from liyang_ip.data import demo

pytestmark = pytest.mark.datavalidation


@pytest.fixture(scope="module")
def demo_built():
    return B.build("demo")


def test_demo_raw_files_are_exactly_what_the_generator_makes(tmp_path):
    demo.write_demo(tmp_path)
    for name in ("observations.csv", "sources.csv", "targets.csv", "dataset.yaml"):
        committed = (B.raw_dir("demo") / name).read_bytes()
        assert hashlib.sha256(committed).digest() == hashlib.sha256((tmp_path / name).read_bytes()).digest(), name


def test_demo_is_complete_and_all_demo(demo_built):
    obs = demo_built.observations
    assert demo_built.errors == [] and demo_built.metadata["is_demo"]
    assert set(obs.status) == {"demo"}
    regions = [registry.parent(), *registry.region_set().members]
    panel = [c for c, i in registry.indicators().items() if not i.optional]
    expected = len(regions) * len(panel) * len(demo.YEARS)
    assert len(obs) == expected
    assert demo_built.coverage_summary.share.eq(1.0).all()


def test_demo_blocks_sum_to_city_and_ratios_agree(demo_built):
    obs = demo_built.observations
    wide = obs.pivot_table(index=["year", "region"], columns="indicator", values="value")
    for code, ind in registry.indicators().items():
        if ind.optional:  # not in the demo panel
            continue
        for y in demo.YEARS:
            blocks = wide.loc[y].loc[registry.region_set().members]
            city = wide.loc[(y, registry.parent()), code]
            if ind.aggregate == "sum":
                assert city == pytest.approx(blocks[code].sum(), rel=1e-9), (code, y)
            elif ind.aggregate == "weighted_mean":
                w = blocks[ind.weight]
                assert city == pytest.approx((blocks[code] * w).sum() / w.sum(), abs=1e-3), (code, y)
            elif ind.aggregate == "ratio":
                num, den = ind.derive["numerator"], ind.derive["denominator"]
                assert wide.loc[y][code].to_numpy() == pytest.approx(
                    (wide.loc[y][num] / wide.loc[y][den]).to_numpy(), abs=1e-4)


def test_demo_stocks_of_patents_never_fall(demo_built):
    obs = demo_built.observations
    for code in ("invention_patents_held", "invention_patents_over_10y", "ip_talent"):
        for _, g in obs[obs.indicator == code].groupby("region"):
            assert np.all(np.diff(g.sort_values("year").value.to_numpy()) >= 0)


def test_demo_magnitudes_are_plausible(demo_built):
    o = demo_built.observations.set_index(["region", "year", "indicator"])["value"]
    assert 500 < o[("常州市", 2020, "resident_population")] < 560  # 7th census: 527.8 万人
    assert 5 < o[("溧阳市", 2020, "invention_patents_per_10k")] < 80
    assert 50 < o[("常州市", 2020, "ip_protection_satisfaction")] <= 100


def test_public_dataset_keeps_provenance_and_reports_real_conflicts():
    b = B.build("public")
    assert b.errors == [] and not b.metadata["is_demo"]
    raw = pd.read_csv(B.raw_dir("public") / "observations.csv", keep_default_na=False)
    sources = pd.read_csv(B.raw_dir("public") / "sources.csv", keep_default_na=False)
    assert set(raw.source_id) <= set(sources.source_id)
    assert (raw.quote.str.len() > 0).all()  # every public figure keeps its exact quote
    assert len(raw) == len(pd.read_csv(B.raw_dir("public") / "snapshot" / "public_figures.csv"))
    conflicts = b.conflicts.set_index(["region", "year"])
    assert conflicts.loc[("新北区", 2020), "chosen_value"] == 1631.0
    assert conflicts.loc[("常州经开区", 2023), "chosen_value"] == 983.26  # the official figure beats 预计 992
    obs = b.observations.set_index(["region", "year", "indicator"])
    assert obs.loc[("常州经开区", 2020, "resident_population"), "value"] == pytest.approx(41.9893)
    assert obs.loc[("武进区", 2023, "gdp"), "value"] == 2239.58  # the block excludes 经开区
    assert obs.loc[("武进区(全口径)", 2023, "gdp"), "value"] == 3222.84
    # No district IP figure exists publicly: coverage must show the gap, not a filled value.
    cov = b.coverage_summary.set_index(["indicator", "region"])
    assert cov.loc[("invention_patents_per_10k", "溧阳市"), "years_covered"] == 0


def test_import_script_reproduces_public_raw(tmp_path, monkeypatch):
    import importlib.util

    spec = importlib.util.spec_from_file_location("imp", B.project_root() / "scripts" / "import_shared_public.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    monkeypatch.setattr(mod, "OUT", tmp_path)
    mod.main()
    for name in ("observations.csv", "sources.csv"):
        assert (tmp_path / name).read_bytes() == (B.raw_dir("public") / name).read_bytes()
