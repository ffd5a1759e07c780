"""Compute once (issue 16): every fit of a run is computed once, results equal the uncached ones,
Poisson quantiles without scipy equal scipy's, and projections do not import scipy or statsmodels."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
import pytest

from liyang_ip.analysis import cache, projection, targets
from liyang_ip.data import load_dataset

FOCUS, START, END, TARGET = "溧阳市", 2020, 2025, 2030
# Three indicators of the demo data: a ratio, a count and a survey score.
CODES = ["invention_patents_per_10k", "patent_grants", "ip_protection_satisfaction"]


@pytest.fixture
def fresh_cache(monkeypatch):
    monkeypatch.delenv(cache.ENV, raising=False)
    cache.clear_memory()
    yield
    cache.clear_memory()


@pytest.fixture
def count_fits(monkeypatch):
    """Count the real model fits per (method, years, values), below the cache."""
    counts: Counter = Counter()
    real = projection._fit_model

    def counting(method, t, y):
        counts[(method, t.tobytes(), y.tobytes())] += 1
        return real(method, t, y)

    monkeypatch.setattr(projection, "_fit_model", counting)
    return counts


def _what_a_run_projects(ds):
    """What notebook 03 (target check, proposals, fan charts with backtests) and the plan table of
    notebook 06 (proposals again) compute for one block."""
    obs = ds.observations
    plan = ds.targets[ds.targets["region"] == FOCUS]
    methods = list(projection.DEFAULT_METHODS)
    out = {"check": targets.target_check(obs, plan[plan["indicator"].isin(CODES)], methods, START, END)}
    for name in ("proposals_03", "proposals_06"):
        out[name] = targets.propose_targets(obs, FOCUS, CODES, TARGET, 0.5, "others", None, START, END, methods,
                                            plan_targets=ds.targets)
    for code in CODES:
        history = ds.panel(code, regions=[FOCUS])[FOCUS]
        out[code] = projection.project(history, methods, START, END, TARGET, indicator=code)
        out[f"{code}-bt"] = projection.backtest(history, methods, fit_start=START, fit_end=END)
    return out


def test_a_series_is_fitted_once_per_run(fresh_cache, count_fits):
    ds = load_dataset("demo")
    _what_a_run_projects(ds)
    assert count_fits, "nothing was fitted"
    repeated = {k[0]: n for k, n in count_fits.items() if n > 1}
    assert not repeated, f"fitted more than once: {repeated}"
    # Asked for again: the same windows to other horizons or bounds (fits), the proposals of 06 (projections).
    assert cache.hits["liyang_ip.analysis.projection._fit"] > 0
    assert cache.hits["liyang_ip.analysis.projection.project"] > 0


def test_without_the_cache_the_same_series_is_fitted_many_times(monkeypatch, count_fits):
    # The counter itself works: with the cache off the run above fits windows repeatedly.
    monkeypatch.setenv(cache.ENV, "off")
    _what_a_run_projects(load_dataset("demo"))
    assert max(count_fits.values()) > 1


def test_cached_results_equal_uncached_and_are_copies(fresh_cache, monkeypatch):
    ds = load_dataset("demo")
    first = _what_a_run_projects(ds)
    # Changing a result handed out must not change what the cache hands out next.
    first["patent_grants"].loc[:, "value"] = -1.0
    first["patent_grants"].attrs["weights"]["cagr"] = 99.0
    again = _what_a_run_projects(ds)
    monkeypatch.setenv(cache.ENV, "off")
    plain = _what_a_run_projects(ds)
    for key, frame in plain.items():
        pd.testing.assert_frame_equal(again[key], frame, check_exact=True)
        assert repr(again[key].attrs) == repr(frame.attrs)


def test_notebooks_of_a_run_share_results_through_the_run_directory(fresh_cache, tmp_path, monkeypatch,
                                                                   count_fits):
    ds = load_dataset("demo")
    history = ds.panel("patent_grants", regions=[FOCUS])[FOCUS]
    monkeypatch.setenv(cache.ENV, str(tmp_path / "cache"))
    first = projection.project(history, fit_start=START, fit_end=END, horizon_end=TARGET, indicator="patent_grants")
    assert sum(count_fits.values()) > 0 and list((tmp_path / "cache").glob("*.pkl"))
    # Another kernel: nothing in memory, the same run directory.
    cache.clear_memory()
    count_fits.clear()
    second = projection.project(history, fit_start=START, fit_end=END, horizon_end=TARGET, indicator="patent_grants")
    assert sum(count_fits.values()) == 0
    pd.testing.assert_frame_equal(first, second, check_exact=True)
    # Other data, other key: computed.
    changed = history.copy()
    changed.loc[END] += 1
    projection.project(changed, fit_start=START, fit_end=END, horizon_end=TARGET, indicator="patent_grants")
    assert sum(count_fits.values()) > 0


def test_a_damaged_cache_file_is_recomputed(fresh_cache, tmp_path, monkeypatch):
    monkeypatch.setenv(cache.ENV, str(tmp_path))
    s = pd.Series([10.0, 12.0, 13.0, 15.0, 16.0, 18.0], index=range(2020, 2026))
    good = projection.project(s, fit_start=2020, fit_end=2025, horizon_end=2030)
    for f in tmp_path.glob("*.pkl"):
        f.write_bytes(b"not a pickle")
    cache.clear_memory()
    pd.testing.assert_frame_equal(projection.project(s, fit_start=2020, fit_end=2025, horizon_end=2030), good)


def test_the_cache_key_follows_the_data_and_the_arguments():
    s = pd.Series([1.0, 2.0, 4.0], index=[2020, 2021, 2022])
    base = cache.make_key("f", {"series": s, "methods": ["cagr"], "n": 3})
    assert base == cache.make_key("f", {"series": s.copy(), "methods": ["cagr"], "n": 3})
    assert base != cache.make_key("f", {"series": s.replace(4.0, 4.5), "methods": ["cagr"], "n": 3})
    assert base != cache.make_key("f", {"series": s.set_axis([2019, 2021, 2022]), "methods": ["cagr"], "n": 3})
    assert base != cache.make_key("f", {"series": s, "methods": ["linear"], "n": 3})
    assert base != cache.make_key("g", {"series": s, "methods": ["cagr"], "n": 3})


def test_poisson_quantiles_equal_scipy():
    stats = pytest.importorskip("scipy.stats")
    rng = np.random.default_rng(16)
    mus = np.concatenate([[0.0, 1e-9, 0.01, 0.3, 1, 2, 2.5, 10, 29.9, 100, 1234.5, 1e5],
                          np.arange(0, 60, 0.5), rng.uniform(0, 50, 100), rng.uniform(0, 20000, 60)])
    for mu in mus:
        for q in (0.05, 0.5, 0.95):
            assert projection.poisson_ppf(q, float(mu)) == float(stats.poisson.ppf(q, mu)), (q, mu)


def test_projections_import_neither_scipy_nor_statsmodels(imported_after):
    # Calibrated intervals of a count (Poisson floor), backtest weights, targets: no heavy import.
    code = (
        "from liyang_ip.analysis import projection, targets\n"
        "from liyang_ip.data import load_dataset\n"
        "ds = load_dataset('demo')\n"
        "h = ds.panel('patent_grants', regions=['溧阳市'])['溧阳市']\n"
        "p = projection.project(h, fit_start=2020, fit_end=2025, horizon_end=2030, indicator='patent_grants')\n"
        "assert p['lower'].notna().any()\n"
        "targets.propose_targets(ds.observations, '溧阳市', ['patent_grants'], 2030, 0.5, 'others', None, 2020, 2025)\n"
    )
    assert imported_after(code, ("scipy", "statsmodels")) == []


def test_runner_and_cache_agree_on_the_variable():
    from liyang_ip.report import runner

    assert runner.ANALYSIS_CACHE_ENV == cache.ENV


def test_the_same_observations_share_one_projection_whatever_the_series_looks_like(fresh_cache):
    # The target check projects a series from the observation table (named after the indicator, observed
    # years only); the fan chart a panel column (named after the region, NaN in years without a figure).
    from liyang_ip.analysis._common import series

    ds = load_dataset("demo")
    code, name = "patent_grants", "liyang_ip.analysis.projection.project"
    from_obs = series(ds.observations, FOCUS, code)
    column = from_obs.rename(FOCUS).reindex(range(int(from_obs.index.min()) - 3, int(from_obs.index.max()) + 2))
    assert column.isna().sum() == 4
    kw = {"fit_start": START, "fit_end": END, "horizon_end": TARGET, "indicator": code}
    first = projection.project(from_obs, **kw)
    assert cache.computed[name] == 1 and cache.hits[name] == 0
    second = projection.project(column, **kw)
    assert cache.computed[name] == 1 and cache.hits[name] == 1
    pd.testing.assert_frame_equal(second, projection.project.uncached(column, **kw), check_exact=True)
    pd.testing.assert_frame_equal(first, second, check_exact=True)
    # Anything the result depends on is another projection: the window, the horizon, the count flag.
    for other in ({"fit_start": START + 1}, {"horizon_end": TARGET + 1}, {"count": False}, {"indicator": None}):
        projection.project(from_obs, **{**kw, **other})
    assert cache.computed[name] == 5
    # A series too short to project raises its own error, past the cache.
    with pytest.raises(ValueError, match="at least 4 observed years"):
        projection.project(from_obs.iloc[:2], **kw)
