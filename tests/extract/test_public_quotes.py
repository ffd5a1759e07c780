"""Real quotes: the figures collected from public pages (data/raw/public/snapshot/public_figures.csv, each
with the exact quote and the value a person read from it). Reading each quote for its region and year
must never give the quoted indicator another value, and most are found. Several quotes are reposts in
traditional characters (億元, 萬人, 為); some are preliminary (预计) figures, which are refused on purpose."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from liyang_ip.extract import extract_figures, load_catalogue

SNAPSHOT = Path(__file__).resolve().parents[2] / "data" / "raw" / "public" / "snapshot" / "public_figures.csv"


def test_public_quotes_give_the_recorded_value_or_nothing() -> None:
    if not SNAPSHOT.exists():
        pytest.skip("public snapshot not in this checkout")
    cat = load_catalogue()
    names = {n: code for code, info in cat.indicators.items() for n in info.names}
    df = pd.read_csv(SNAPSHOT, keep_default_na=False)
    checked = found = 0
    wrong = []
    for r in df.itertuples():
        code = names.get(r.indicator)
        try:
            region = cat.resolve_region(r.entity)
        except ValueError:
            continue
        if code is None or r.unit != cat.indicators[code].unit:
            continue
        checked += 1
        ex = extract_figures(r.quote, region=region, year=int(r.year))
        values = [x.value for x in ex.rows.itertuples() if x.indicator == code and x.year == int(r.year)]
        if any(abs(v - float(r.value)) > 1e-9 for v in values):
            wrong.append((r.quote, code, values, r.value))
        found += bool(values)
    assert checked >= 40
    assert wrong == []
    # Measured when written: 37 of 43 (the 6 misses: 5 preliminary 预计 figures, 1 after a refused 档级).
    assert found / checked >= 0.8, f"{found}/{checked}"
