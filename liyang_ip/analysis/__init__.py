"""Analysis library (issue 3): pure functions, pandas in → pandas out, on the tidy observation table.

Inputs are the processed observations (``region, year, indicator, value`` …, see docs/ARCHITECTURE.md);
polarity, pillar and aggregation rules come from ``liyang_ip.registry`` unless passed explicitly as
mappings. Missing figures are reported (NaN, ``note`` / ``missing_years`` columns), never filled.

Modules and public functions
----------------------------
baseline  (13th Five-Year period, default 2015 → 2020)
    ``cagr(start_value, end_value, years)`` → % per year
    ``levels_table(obs, region, start, end, indicators)`` → indicator × year
    ``yoy_table(obs, region, start, end, indicators)`` → indicator, year, value, change, yoy
    ``share_of_city(obs, region, start, end, indicators, city, aggregate)`` → …, share (%)
    ``target_attainment(obs, targets, polarity, base_year)`` → …, attainment (%), met, progress
    ``baseline_table(obs, region, start=2015, end=2020, indicators=None, …, targets=None)``
benchmark (focus block vs the other six blocks)
    ``rank_table(obs, regions, years, indicators, polarity)`` → rank 1 = best
    ``gap_table(obs, focus, peers, years, indicators, polarity, city)`` → gaps to city average, median, leader
    ``benchmark_table(obs, focus, peers=None, year=None, indicators=None)`` → gap_table for one year
    ``gap_change(obs, focus, start, end, against='city'|'median'|'leader')`` → shortfalls, improved, status
    ``sigma_convergence(obs, indicators, regions, years)`` → n, mean, std, cv, complete
composite
    ``indicator_matrix(obs, year, regions, indicators)`` → region × indicator
    ``normalise(matrix, polarity, method)``; ``entropy_weights(matrix, polarity)``
    ``topsis(matrix, weights, polarity, normalisation)``; ``entropy_topsis(matrix, polarity)`` → (scores, weights)
    ``minmax_scores(matrix, polarity, pillars)`` → pillar scores 0–100, overall, rank
    ``composite_scores(obs, year, regions, indicators, …)`` → topsis, topsis_rank, pillars, minmax, minmax_rank
    ``rank_uncertainty(matrix, polarity, weights='entropy', n=1000, seed=0, …)`` → median rank, 90 % interval
    ``intensive_indicators(codes)``; ``apply_ties(matrix, measurement_error)`` → survey spreads below the error
    ``rank_robustness(matrix, …)`` / ``composite_robustness(obs, year, …)`` → median rank, 90 % interval, best,
        worst over weights × normalisations × aggregations × leave-one-out (the headline rank)
projection (also importable as ``liyang_ip.projection``)
    ``gm11(values)`` → GreyModel (a, b, fitted, forecast(h), C, P, grade)
    ``project(series, methods, fit_start=2015, fit_end=2020, horizon_end=2025, level=0.9, weights=None,
        indicator=None, intervals='calibrated')`` → method, year, value, lower, upper, note (intervals from the
        calibration study, or none)
    ``interval_coverage``, ``exceed_probability``, ``probability_calibrated``, ``load_calibration``
    ``backtest(series, methods, min_train=4, max_horizon=None)`` → method, origin, horizon, year, actual,
        forecast, ape; ``backtest_summary(detail)`` → MAPE per method; ``mape_weights(summary)``
targets
    ``required_growth(current, target, years)`` → % per year
    ``reach_probability(projected, lower, upper, target, level, polarity)``
    ``target_check(obs, targets, methods, fit_start, fit_end, …)`` → required vs projected growth, methods
        reaching the target, ``verdict`` (``VERDICT_RULE``), probability only where calibrated
calibration (the study behind the intervals; ``scripts/calibration.py``)
    ``run_study(n_rep)``, ``validate(table, n_rep, seed)``, ``simulate(process, n, rng)``
    ``propose_targets(obs, focus, indicators, target_year=2025, share=0.5, benchmark='city'|'leader', …,
        plan_targets=None)`` → proposed values, never below trend, beside plan targets
evaluation (年度监测 / 中期评估 / 终期评估 of a plan's targets)
    ``evaluate_targets(obs, targets, region, base_year, target_year=None, eval_year=None, thresholds=None, …)``
        → base, target, latest (year, 预计 flag), time share vs progress, required growth, status
        (超额完成 / 完成 / 基本完成 / 滞后 / 无数据), projection made at the start vs outturn
    ``classify(pace, thresholds)``, ``status_counts(evaluation)``, ``estimate_mask(obs)``

Modules are not imported here, so ``import liyang_ip.analysis`` stays cheap; import the module you need::

    from liyang_ip.analysis import baseline, benchmark, composite, projection, targets
"""
