"""Evaluation of plan targets against hand-computed cases (stock, cumulative flow, lower-is-better,
missing latest value, projection at the start against the outturn)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from liyang_ip.analysis import evaluation as ev

from .conftest import obs_frame

STOCK, FLOW, LOW = "invention_patents_held", "patent_grants", "ip_pledge_deals"
POL = {STOCK: 1, FLOW: 1, LOW: -1}  # LOW played as a lower-is-better indicator


def _obs():
    rec = [("甲", y, STOCK, v) for y, v in [(2020, 100), (2021, 110), (2022, 120), (2023, 130)]]
    rec += [("甲", y, FLOW, v) for y, v in [(2020, 50), (2021, 60), (2022, 70), (2023, 80), (2024, 90), (2025, 100)]]
    rec += [("甲", y, LOW, v) for y, v in [(2020, 10), (2023, 8), (2025, 5.5)]]
    rec += [("乙", 2020, STOCK, 40)]  # base only: no latest figure
    return obs_frame(rec)


def _targets(rows):
    return pd.DataFrame(rows, columns=["region", "indicator", "year", "value", "basis"])


def test_stock_progress_against_time_and_required_growth():
    t = _targets([("甲", STOCK, 2025, 200, "level")])
    r = ev.evaluate_targets(_obs(), t, "甲", base_year=2020, eval_year=2023, polarity=POL).iloc[0]
    # τ = (2023−2020)/(2025−2020) = 60 %; π = (130−100)/(200−100) = 30 %; pace 0.5 → behind
    assert r.latest_year == 2023 and r.latest_value == 130
    assert r.time_share == pytest.approx(60) and r.progress == pytest.approx(30) and r.pace == pytest.approx(0.5)
    assert r.status == "behind" and r.status_label == "滞后"
    # (200/130)^(1/2) − 1 = 24.03 % a year for the two remaining years
    assert r.required_growth == pytest.approx(24.0347, abs=1e-3)
    # on schedule: target 150 from 100, 120 reached after 2 of 5 years → π 40 % = τ 40 %
    t = _targets([("甲", STOCK, 2025, 150, "level")])
    r = ev.evaluate_targets(_obs(), t, "甲", 2020, eval_year=2022, polarity=POL).iloc[0]
    assert r.pace == pytest.approx(1.0) and r.status == "met" and r.status_label == "符合进度"


def test_cumulative_flow_interim_and_final():
    t = _targets([("甲", FLOW, 2025, 360, "cumulative")])
    mid = ev.evaluate_targets(_obs(), t, "甲", 2020, eval_year=2022, polarity=POL).iloc[0]
    # Σ2021–2022 = 60 + 70 = 130; π = 130/360 = 36.11 %; τ = 40 %; pace 0.9028 → nearly
    assert mid.cumulative == 130 and mid.progress == pytest.approx(36.111, abs=1e-3)
    assert mid.pace == pytest.approx(0.90278, abs=1e-4) and mid.status == "nearly"
    assert mid.status_label == "基本符合进度"
    assert mid.required_per_year == pytest.approx((360 - 130) / 3)
    assert np.isnan(mid.required_growth)
    end = ev.evaluate_targets(_obs(), t, "甲", 2020, polarity=POL, lang="en").iloc[0]
    # Σ2021–2025 = 400; 400/360 = 111.1 % ≥ 110 % → exceeded
    assert end.cumulative == 400 and end.pace == pytest.approx(400 / 360)
    assert end.status == "exceeded" and end.status_label == "exceeded"


def test_cumulative_with_a_gap_is_not_filled():
    obs = _obs()
    obs = obs[~((obs.indicator == FLOW) & (obs.year == 2022))]
    t = _targets([("甲", FLOW, 2025, 360, "cumulative")])
    r = ev.evaluate_targets(obs, t, "甲", 2020, eval_year=2023, polarity=POL).iloc[0]
    assert r.status == "no_data" and np.isnan(r.progress) and "2022" in r.note


def test_lower_is_better_and_maintain_targets():
    t = _targets([("甲", LOW, 2025, 6, "level")])
    mid = ev.evaluate_targets(_obs(), t, "甲", 2020, eval_year=2024, polarity=POL).iloc[0]
    # latest ≤ 2024 is 2023: 8; π = (8−10)/(6−10) = 50 %, τ = 60 % → pace 0.833 → behind
    assert mid.latest_year == 2023 and mid.pace == pytest.approx(0.5 / 0.6) and mid.status == "behind"
    end = ev.evaluate_targets(_obs(), t, "甲", 2020, polarity=POL).iloc[0]
    # 5.5: π = (5.5−10)/(6−10) = 112.5 % → exceeded (lower is better, and lower than the target)
    assert end.progress == pytest.approx(112.5) and end.status == "exceeded" and end.status_label == "超额完成"
    # a target of 12 (worse than the base 10) is a maintain target: 8 is at least as good → met
    keep = ev.evaluate_targets(_obs(), _targets([("甲", LOW, 2025, 12, "level")]), "甲", 2020, eval_year=2023,
                               polarity=POL).iloc[0]
    assert keep.status == "met" and np.isnan(keep.progress) and "保持型" in keep.note


def test_missing_latest_value_is_no_data_with_the_reason():
    t = _targets([("乙", STOCK, 2025, 80, "level")])
    r = ev.evaluate_targets(_obs(), t, "乙", 2020, polarity=POL).iloc[0]
    assert r.status == "no_data" and r.status_label == "无数据"
    assert pd.isna(r.latest_year) and np.isnan(r.progress) and r.note == "2021—2025年无实际值"
    r = ev.evaluate_targets(_obs(), t, "乙", 2020, polarity=POL, lang="en").iloc[0]
    assert r.note == "no actual figure for 2021–2025"


def test_thresholds_are_parameters():
    t = _targets([("甲", STOCK, 2025, 150, "level")])  # pace exactly 1.0 at 2022
    r = ev.evaluate_targets(_obs(), t, "甲", 2020, eval_year=2022, polarity=POL,
                            thresholds={"exceeded": 1.2, "met": 1.05, "nearly": 0.95}).iloc[0]
    assert r.status == "nearly"
    assert ev.classify(1.10) == "exceeded" and ev.classify(1.0999) == "met" and ev.classify(0.9) == "nearly"
    assert ev.classify(0.8999) == "behind" and ev.classify(np.nan) == "no_data"
    with pytest.raises(ValueError, match="exceeded ≥ met ≥ nearly"):
        ev.classify(1.0, {"exceeded": 0.9})


def test_projection_made_at_the_start_against_the_outturn_and_estimate_flag():
    rec = [("甲", y, STOCK, 50 + 10 * (y - 2015)) for y in range(2015, 2021)]  # 50 … 100, a straight line
    rec += [("甲", 2025, STOCK, 165)]
    obs = obs_frame(rec)
    obs.loc[obs.year == 2025, "note"] = "预计（演示）"
    t = _targets([("甲", STOCK, 2025, 160, "level")])
    r = ev.evaluate_targets(obs, t, "甲", 2020, methods=("linear",), polarity=POL).iloc[0]
    # a linear fit on 2015–2020 gives 150 in 2025; the outturn 165 → (150 − 165)/165 = −9.09 %
    assert r.projected_at_start == pytest.approx(150) and r.projection_error == pytest.approx(-9.0909, abs=1e-3)
    # π = (165−100)/(160−100) = 108.3 % → met (below the 110 % "exceeded" threshold); the 2025 figure is 预计
    assert r.status == "met" and r.status_label == "完成" and bool(r.latest_estimate)
    assert "预计" in r.note


def test_evaluation_kind():
    assert ev.evaluation_kind(2020, 2025, 2025) == "final"
    assert ev.evaluation_kind(2020, 2025, 2023) == "midterm"
    assert ev.evaluation_kind(2020, 2025, 2021) == "annual"
    assert ev.evaluation_kind_label("midterm") == "中期评估"
    t = _targets([("甲", STOCK, 2025, 200, "level"), ("甲", FLOW, 2025, 360, "cumulative"),
                  ("乙", STOCK, 2025, 80, "level")])
    counts = ev.status_counts(ev.evaluate_targets(_obs(), t, "甲", 2020, eval_year=2023, polarity=POL))
    # stock: pace 0.5 → behind; flow: (60+70+80)/360 = 58.3 % over τ 60 % = 0.972 → nearly; 乙 not counted
    assert counts == {"exceeded": 0, "met": 0, "nearly": 1, "behind": 1, "no_data": 0}
