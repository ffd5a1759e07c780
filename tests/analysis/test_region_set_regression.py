"""Key tables of the default geography are unchanged by region sets: the default set, the set named
'changzhou' and a copy of its file given by path give identical results, and the figures agree with a
hand computation from the raw demo file (sum of the seven blocks / 7, rank = 1 + blocks ahead)."""

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest

from liyang_ip import registry
from liyang_ip.analysis import baseline, benchmark, composite
from liyang_ip.data import build as B
from liyang_ip.data import load_dataset

RAW = Path(B.raw_dir("demo")) / "observations.csv"


@pytest.fixture(scope="module")
def obs():
    return load_dataset("demo").observations


@pytest.fixture(scope="module")
def copied_set(tmp_path_factory):
    d = tmp_path_factory.mktemp("sets")
    src = Path(registry.__file__).parent / "regionsets" / "changzhou.yaml"
    return str(shutil.copy(src, d / "my_copy.yaml"))


def raw_values(indicator: str, year: int) -> dict[str, float]:
    with RAW.open(encoding="utf-8") as f:
        return {r["region"]: float(r["value"]) for r in csv.DictReader(f)
                if r["indicator"] == indicator and int(r["year"]) == year}


def test_same_tables_whichever_way_the_default_set_is_given(obs, copied_set):
    focus = "金坛区"
    ref = benchmark.gap_table(obs, focus, years=[2015, 2020])
    for spec in ("changzhou", copied_set, registry.region_set()):
        other = benchmark.gap_table(obs, focus, years=[2015, 2020], region_set=spec)
        pd.testing.assert_frame_equal(ref, other)
    pd.testing.assert_frame_equal(benchmark.rank_table(obs), benchmark.rank_table(obs, region_set=copied_set))
    pd.testing.assert_frame_equal(composite.composite_scores(obs, 2020, missing="drop_indicators"),
                                  composite.composite_scores(obs, 2020, missing="drop_indicators",
                                                             region_set=copied_set), check_like=True)
    pd.testing.assert_frame_equal(baseline.baseline_table(obs, focus),
                                  baseline.baseline_table(obs, focus, region_set=copied_set))


def test_city_average_and_rank_by_hand_from_the_raw_file(obs):
    blocks = registry.region_set("changzhou").members
    raw = raw_values("pct_applications", 2020)
    g = benchmark.gap_table(obs, "溧阳市", years=[2020], indicators=["pct_applications"]).iloc[0]
    assert g.city_avg == pytest.approx(sum(raw[b] for b in blocks) / 7)
    assert g.city_value == pytest.approx(raw["常州市"])
    assert g["rank"] == 1 + sum(raw[b] > raw["溧阳市"] for b in blocks)
    assert g.n == 7
