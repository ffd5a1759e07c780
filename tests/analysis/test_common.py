"""Shared helpers of the analysis modules: series extraction."""

import numpy as np
import pandas as pd

from liyang_ip.analysis._common import series, series_getter


def test_series_getter_equals_series_for_every_pair(make_obs):
    # unsorted years, a NaN value, a missing region and a NaN region name
    obs = make_obs([("A", 2021, "x", 3.0), ("A", 2019, "x", 1.0), ("B", 2020, "x", np.nan),
                    ("A", 2020, "y", 7.0), ("A", 2020, "x", 2.0)])
    obs.loc[len(obs)] = [np.nan, 2020, "x", 9.0, "", "official", "test", "", ""]
    get = series_getter(obs)
    for region in ("A", "B", "nowhere"):
        for code in ("x", "y", "z"):
            pd.testing.assert_series_equal(get(region, code), series(obs, region, code), check_exact=True)
    a = get("A", "x")
    assert a.index.tolist() == [2019, 2020, 2021] and a.tolist() == [1.0, 2.0, 3.0] and a.index.name == "year"
    assert get("nowhere", "x").empty and get("nowhere", "x").dtype == float


def test_series_getter_with_a_year_column_that_does_not_convert_as_a_whole(make_obs):
    # One row without a year: the other series are still read, as series() reads them.
    obs = make_obs([("A", 2020, "x", 2.0), ("A", 2019, "x", 1.0), ("B", 2020, "x", 5.0)])
    obs["year"] = obs["year"].astype(float)
    obs.loc[2, "year"] = np.nan
    get = series_getter(obs)
    pd.testing.assert_series_equal(get("A", "x"), series(obs, "A", "x"), check_exact=True)
    assert get("A", "x").to_dict() == {2019: 1.0, 2020: 2.0}
