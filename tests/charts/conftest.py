"""Small hand-made frames for chart tests (no dataset needed)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest

BLOCKS = ["溧阳市", "金坛区", "武进区", "新北区", "天宁区", "钟楼区", "常州经开区"]
CITY = "常州市"


def _obs(status: str) -> pd.DataFrame:
    rows = []
    for k, ind, unit in [(0, "invention_patents_per_10k", "件/万人"), (1, "pct_applications", "件")]:
        for i, region in enumerate([*BLOCKS, CITY]):
            for year in range(2015, 2021):
                rows.append(
                    {
                        "region": region,
                        "year": year,
                        "indicator": ind,
                        "value": 10.0 + i + k + 1.5 * (year - 2015) + (i * year) % 3,
                        "unit": unit,
                        "status": status,
                        "source_id": "demo-generator" if status == "demo" else "czstats-2021",
                        "note": "",
                        "quote": "",
                    }
                )
    return pd.DataFrame(rows)


@pytest.fixture
def obs_demo() -> pd.DataFrame:
    return _obs("demo")


@pytest.fixture
def obs_real() -> pd.DataFrame:
    return _obs("official")


@pytest.fixture
def sources() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "source_id": ["czstats-2021", "demo-generator"],
            "title": ["常州统计年鉴2021", "synthetic demo panel"],
            "publisher": ["常州市统计局", "liyang-ip"],
        }
    )
