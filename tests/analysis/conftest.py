"""Small hand-made observation tables for the analysis tests."""

import pandas as pd
import pytest


def obs_frame(records):
    """Tidy observation table from (region, year, indicator, value) tuples."""
    df = pd.DataFrame(records, columns=["region", "year", "indicator", "value"])
    df["year"] = df["year"].astype("int64")
    df["value"] = df["value"].astype(float)
    return df.assign(unit="", status="official", source_id="test", note="", quote="")


@pytest.fixture
def make_obs():
    return obs_frame
