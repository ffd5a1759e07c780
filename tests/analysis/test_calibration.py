"""The calibration study: its fast form in CI (coverage floor of every interval the reports show), the
simulated processes, the scoring functions, and that the docs quote the study's own numbers."""

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from liyang_ip.analysis import calibration as cb
from liyang_ip.analysis import projection as pj

ROOT = Path(__file__).resolve().parents[2]


def shown(table):
    """(family, method, horizon) of every interval the library shows (validation coverage ≥ floor)."""
    return [(f, m, h) for f, ms in table["families"].items() for m, hs in ms.items() for h, e in hs.items()
            if e.get("coverage") is not None and e["coverage"] >= pj.COVERAGE_FLOOR]


def test_fast_study_holds_the_coverage_floor_for_every_interval_shown():
    # Fresh series (a seed neither the calibration nor the validation run used), fewer replicates.
    table = pj.load_calibration()
    keys = shown(table)
    assert ("level", "ensemble", 5) in keys and ("level", "linear", 1) in keys
    cov = cb.validate(table, n_rep=40, seed=7).set_index(["family", "method", "horizon"])
    for key in keys:
        if key in cov.index and cov.loc[key, "n"] >= 40:
            assert cov.loc[key, "coverage"] >= pj.COVERAGE_FLOOR, (key, cov.loc[key, "coverage"])


def test_old_textbook_intervals_fail_the_floor_on_the_same_series():
    # Why the library changed: the linear model's own t-interval covers far less than 90 % five years out.
    fc = cb.run_forecasts(cb.simulate_cases(15, seed=11, processes=("damped", "loglinear")), intervals="model",
                          methods=("linear",))
    cov = cb.coverage_table(fc, methods=("linear",)).set_index("horizon")
    assert cov.loc[5, "coverage"] < pj.COVERAGE_FLOOR


@pytest.mark.parametrize("process", cb.PROCESSES)
def test_simulated_series_are_feasible_and_reproducible(process):
    a, count, bounds = cb.simulate(process, 11, np.random.default_rng(3))
    b, _, _ = cb.simulate(process, 11, np.random.default_rng(3))
    np.testing.assert_array_equal(a, b)
    assert len(a) == 11 and np.all(np.isfinite(a)) and np.all(a >= bounds[0]) and np.all(a <= bounds[1])
    if count:
        np.testing.assert_array_equal(a, np.round(a))
    if process == "bounded_score":
        assert bounds == (0.0, 100.0)


def test_cases_cover_every_process_window_and_horizon():
    cases = cb.simulate_cases(2, seed=1)
    assert len(cases) == 2 * len(cb.PROCESSES) * len(cb.WINDOWS)
    assert {c.process for c in cases} == set(cb.PROCESSES) and {c.window for c in cases} == set(cb.WINDOWS)
    assert all(len(c.values) == c.window + 5 and len(c.targets) == 5 for c in cases)
    fc = cb.run_forecasts(cases[:3], intervals="none")
    assert set(fc["horizon"]) == {1, 2, 3, 4, 5}
    # the study fits on the first `window` points only: the outcome at horizon h is value[window + h − 1]
    c = cases[0]
    row = fc[(fc["case"] == 0) & (fc["method"] == "linear") & (fc["horizon"] == 2)].iloc[0]
    assert row["actual"] == c.values[c.window + 1]


def test_reliability_by_hand():
    # 40 cases stated 5 % of which 6 happen (15 %): gap 10 points; 40 stated 95 %, 34 happen (85 %): 10 points;
    # 10 cases stated 50 %, none happen: ignored (< 30 cases)
    p = np.r_[np.full(40, 0.05), np.full(40, 0.95), np.full(10, 0.5)]
    hit = np.r_[np.ones(6), np.zeros(34), np.ones(34), np.zeros(6), np.zeros(10)]
    gap, tab = cb.reliability(p, hit)
    assert gap == pytest.approx(10.0)
    assert tab.set_index("bin").loc[5, "n"] == 10


def test_fit_table_quantiles_by_hand():
    # Two processes, z = 1…100 each (scale 1, forecast 0): pooled 5 % and 95 % quantiles 5.95 and 95.05;
    # lower end clipped at 0 (q_lo ≤ 0); both processes already reach 85 % → no stretching.
    z = np.arange(1, 101, dtype=float)
    fc = pd.DataFrame({"family": "level", "method": "linear", "horizon": 1, "usable": True, "scale": 1.0,
                       "forecast": 0.0, "actual": np.r_[z, z], "process": ["a"] * 100 + ["b"] * 100})
    e = cb.fit_table(fc)["families"]["level"]["linear"][1]
    assert e["q_lo"] == 0.0 and e["q_hi"] == pytest.approx(np.quantile(np.r_[z, z], 0.95), abs=1e-4)
    # a process whose errors all lie beyond the pooled quantile forces the common stretch factor up
    fc2 = fc.assign(actual=np.r_[z, z + 200], process=["a"] * 100 + ["b"] * 100)
    e2 = cb.fit_table(fc2)["families"]["level"]["linear"][1]
    inside_b = np.mean((z + 200) <= e2["q_hi"])
    assert inside_b >= cb.PROCESS_COVERAGE


def test_docs_and_readme_quote_the_shipped_table():
    import importlib.util

    spec = importlib.util.spec_from_file_location("calibration_script", ROOT / "scripts" / "calibration.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    table = pj.load_calibration()
    docs = (ROOT / "docs" / "uncertainty.md").read_text(encoding="utf-8")
    assert script.coverage_markdown(table, "level") in docs
    assert script.coverage_markdown(table, "small_count", with_min=False) in docs
    assert f"seeds {table['meta']['seed_calibration']} (calibration)" in docs
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(re.escape(script.README_START) + ".*?" + re.escape(script.README_END), readme, re.S)
    assert block and block.group(0) == script.readme_block(table)
