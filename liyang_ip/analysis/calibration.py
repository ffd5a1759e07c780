"""Calibration study: how the projection intervals and probability statements behave on 5–6-point series.

Many short series are simulated from seven data-generating processes, each method is fitted on the first
5 or 6 points exactly as :func:`liyang_ip.analysis.projection.project` does, and its forecasts for the next
1–5 years are compared with the simulated outcomes. Two independent runs with different seeds:

1. **calibration run**: the studentised errors z = (actual − forecast) / s (s from
   :func:`~liyang_ip.analysis.projection.interval_scale`) give, per method and horizon, the interval
   multipliers (the pooled 5 % and 95 % quantiles of z, both stretched by the smallest common factor that
   gives every process at least ``PROCESS_COVERAGE`` = 85 % coverage, so that the interval does not hold
   only on average) and the pooled error distribution used for probabilities;
2. **validation run**: fresh series; the intervals and probabilities the library now produces are scored:
   coverage of the nominal 90 % interval (pooled and the lowest over the processes), MAPE, and for the
   probability of reaching a target the Brier score (pooled and the worst process) and the reliability
   (largest gap, in percentage points, between the mean stated probability and the observed frequency over
   the deciles of stated probability with at least ``MIN_BIN`` cases). A probability counts as calibrated
   when both Brier scores are below ``BRIER_MAX`` (0.25, the score of always saying 50 %) and the
   reliability is within ``RELIABILITY_MAX`` (10 points). The verdict rule of :mod:`~liyang_ip.analysis.targets` is scored by
   how often each verdict's targets were reached.

``scripts/calibration.py`` runs both and writes ``liyang_ip/analysis/interval_calibration.yaml`` (what the
library reads) and ``docs/uncertainty.md``; a fast form of the validation run is a CI test.

Processes (t = 0, 1, … in years; ε standard normal; all parameters drawn per series)
-----------------------------------------------------------------------------------
``loglinear``     y = y₀ e^{g t + σ ε}, g ~ U(−0.05, 0.25), σ ~ U(0.02, 0.10), y₀ log-uniform on [20, 5000]
``linear``        y = a + b t + σ a ε, b/a ~ U(−0.05, 0.15), σ ~ U(0.02, 0.10), cut at 0
``rw_drift``      ln y random walk with drift μ ~ U(−0.02, 0.15), step sd ~ U(0.03, 0.12)
``damped``        growth rate g₀ φᵗ decaying, g₀ ~ U(0.10, 0.35), φ ~ U(0.5, 0.85), noise σ ~ U(0.02, 0.06)
``level_shift``   log-linear (g ~ U(0, 0.20), σ ~ U(0.02, 0.06)) with a jump of ±U(0.15, 0.40) in ln y at a
                  random year inside the fit window or the horizon
``lumpy_counts``  Poisson counts with mean λ₀ eᵍᵗ, λ₀ ~ U(2, 12), g ~ U(−0.10, 0.20) (PCT-like: 3, 7, 5, 11 …)
``bounded_score`` a 0–100 score approaching 100: 100 − (100 − s₀) e^{−k t} + ε, s₀ ~ U(75, 95),
                  k ~ U(0, 0.15), noise sd ~ U(0.5, 2), cut to [0, 100]

Targets for the probability study are drawn like plan targets: base × e^{r h} with base the mean of the
last two observed values (at least 0.5) and r ~ U(−0.05, 0.25) per year (for the score, base + U(−1, 2)·h,
at most 100).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import projection as pj

PROCESSES = ("loglinear", "linear", "rw_drift", "damped", "level_shift", "lumpy_counts", "bounded_score")
WINDOWS = (5, 6)
HORIZONS = (1, 2, 3, 4, 5)
STUDY_METHODS = ("cagr", "linear", "loglinear", "gm11", "ensemble")
MEMBER_METHODS = ("cagr", "linear", "loglinear", "holt", "gm11")  # what a report counts ("k of n methods")
CDF_PROBS = tuple([0.01, 0.025] + [round(0.05 * k, 2) for k in range(1, 20)] + [0.975, 0.99])
SEED_CALIBRATION = 20261125
SEED_VALIDATION = 20261126
MIN_BIN = 30  # fewest cases in a probability decile for it to count in the reliability check
BRIER_MAX = 0.25  # a probability is shown only with a Brier score below this …
RELIABILITY_MAX = 10.0  # … and every decile within this many percentage points
PROCESS_COVERAGE = 0.85  # calibration run: widen the pooled interval until every process reaches this
MIN_PROCESS_CASES = 20  # fewest errors of a process for it to take part in the worst-case quantiles


@dataclass(frozen=True)
class Case:
    """One simulated series: `values` has window + max(HORIZONS) points; the first `window` are the fit."""

    process: str
    window: int
    values: np.ndarray
    count: bool
    bounds: tuple[float, float]
    targets: np.ndarray  # one target per horizon


def simulate(process: str, n: int, rng: np.random.Generator) -> tuple[np.ndarray, bool, tuple[float, float]]:
    """One series of `n` yearly values from `process` (module docstring): (values, is_count, bounds)."""
    t = np.arange(n, dtype=float)
    eps = rng.standard_normal(n)
    y0 = float(np.exp(rng.uniform(np.log(20), np.log(5000))))
    inf = (0.0, np.inf)
    if process == "loglinear":
        g, sig = rng.uniform(-0.05, 0.25), rng.uniform(0.02, 0.10)
        return y0 * np.exp(g * t + sig * eps), False, inf
    if process == "linear":
        b, sig = rng.uniform(-0.05, 0.15), rng.uniform(0.02, 0.10)
        return np.maximum(y0 * (1 + b * t + sig * eps), 0.0), False, inf
    if process == "rw_drift":
        mu, sd = rng.uniform(-0.02, 0.15), rng.uniform(0.03, 0.12)
        steps = np.concatenate([[0.0], mu + sd * eps[1:]])
        return y0 * np.exp(np.cumsum(steps)), False, inf
    if process == "damped":
        g0, phi, sig = rng.uniform(0.10, 0.35), rng.uniform(0.5, 0.85), rng.uniform(0.02, 0.06)
        growth = np.concatenate([[0.0], g0 * phi ** t[:-1]])
        return y0 * np.exp(np.cumsum(growth) + sig * eps), False, inf
    if process == "level_shift":
        g, sig = rng.uniform(0.0, 0.20), rng.uniform(0.02, 0.06)
        jump = rng.choice([-1.0, 1.0]) * rng.uniform(0.15, 0.40)
        at = rng.integers(2, n)
        return y0 * np.exp(g * t + sig * eps + jump * (t >= at)), False, inf
    if process == "lumpy_counts":
        lam0, g = rng.uniform(2, 12), rng.uniform(-0.10, 0.20)
        return rng.poisson(lam0 * np.exp(g * t)).astype(float), True, inf
    if process == "bounded_score":
        s0, k, sd = rng.uniform(75, 95), rng.uniform(0, 0.15), rng.uniform(0.5, 2.0)
        return np.clip(100 - (100 - s0) * np.exp(-k * t) + sd * eps, 0, 100), False, (0.0, 100.0)
    raise ValueError(f"unknown process {process!r}; valid: {', '.join(PROCESSES)}")


def _targets(process: str, fit: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    h = np.asarray(HORIZONS, dtype=float)
    base = max(float(np.mean(fit[-2:])), 0.5)
    if process == "bounded_score":
        return np.minimum(base + rng.uniform(-1, 2) * h, 100.0)
    return base * np.exp(rng.uniform(-0.05, 0.25) * h)


def simulate_cases(n_rep: int, seed: int, processes: Sequence[str] = PROCESSES,
                   windows: Sequence[int] = WINDOWS) -> list[Case]:
    """`n_rep` series per process and window, reproducible from `seed`."""
    rng = np.random.default_rng(seed)
    out = []
    for p in processes:
        for w in windows:
            for _ in range(n_rep):
                v, cnt, b = simulate(p, w + max(HORIZONS), rng)
                out.append(Case(p, w, v, cnt, b, _targets(p, v[:w], rng)))
    return out


def run_forecasts(cases: Sequence[Case], intervals: str = "calibrated", table: Mapping | None = None,
                  methods: Sequence[str] = (*MEMBER_METHODS, "ensemble"), level: float = pj.INTERVAL_LEVEL
                  ) -> pd.DataFrame:
    """Forecasts of every case by every method, as the library makes them, beside the outcomes.

    Returns
    -------
    DataFrame
        ``case, process, window, family, method, horizon, forecast, lower, upper, usable, scale, actual,
        target``;
        one row per case, method and horizon (NaN forecast where the method does not apply).
    """
    table = {} if table is None else table
    rows: dict[str, list] = {k: [] for k in ("case", "process", "window", "family", "method", "horizon",
                                             "forecast", "lower", "upper", "usable", "scale", "actual",
                                             "target")}
    hmax = max(HORIZONS)
    for i, c in enumerate(cases):
        t = np.arange(c.window, dtype=float)
        years = np.arange(c.window, c.window + hmax, dtype=float)
        fits, attrs = pj._project_core(t, c.values[:c.window], years, methods, level, None, c.bounds, c.count,
                                       intervals, table, memo=False)
        actual = c.values[c.window:c.window + hmax]
        for m, f in fits.items():
            rows["case"] += [i] * hmax
            rows["process"] += [c.process] * hmax
            rows["window"] += [c.window] * hmax
            rows["family"] += [attrs["family"]] * hmax
            rows["method"] += [m] * hmax
            rows["horizon"] += list(HORIZONS)
            rows["forecast"] += list(f["value"])
            rows["lower"] += list(f["lower"])
            rows["upper"] += list(f["upper"])
            rows["usable"] += [bool(f["usable"])] * hmax
            rows["scale"] += [attrs["scale"]] * hmax
            rows["actual"] += list(actual)
            rows["target"] += list(c.targets)
    return pd.DataFrame(rows)


# ------------------------------------------------------------------------------------ calibration run
def _robust_quantiles(g: pd.DataFrame) -> tuple[float, float]:
    """Pooled 5 % and 95 % quantiles of z, widened by a common factor until every process reaches
    ``PROCESS_COVERAGE`` on the calibration run (so the interval does not hold only on average)."""
    z = g["z"].to_numpy()
    lo, hi = min(float(np.quantile(z, 0.05)), 0.0), max(float(np.quantile(z, 0.95)), 0.0)
    proc = g["process"].to_numpy()
    for c in np.arange(1.0, 20.0, 0.02):
        inside = (z >= c * lo) & (z <= c * hi)
        if min(inside[proc == p].mean() for p in np.unique(proc)) >= PROCESS_COVERAGE:
            return c * lo, c * hi
    return c * lo, c * hi


def fit_table(fc: pd.DataFrame, methods: Sequence[str] = STUDY_METHODS) -> dict:
    """Interval multipliers and pooled error quantiles from a calibration run (:func:`run_forecasts` with
    ``intervals='none'``)."""
    d = fc[fc["method"].isin(methods) & fc["usable"] & np.isfinite(fc["forecast"]) & np.isfinite(fc["scale"])]
    d = d.assign(z=(d["actual"] - d["forecast"]) / d["scale"])
    out: dict = {}
    for (fam, m, h), g in d.groupby(["family", "method", "horizon"]):
        per = g.groupby("process")["z"]
        counts = per.size()
        ok = counts.index[counts >= MIN_PROCESS_CASES]
        if len(ok) == 0:
            continue
        q_lo, q_hi = _robust_quantiles(g[g["process"].isin(ok)])
        out.setdefault(fam, {}).setdefault(m, {})[int(h)] = {
            "q_lo": round(q_lo, 4),
            "q_hi": round(q_hi, 4),
            "cdf": [round(float(v), 4) for v in np.quantile(g["z"], CDF_PROBS)],
            "n_calibration": int(len(g)),
            "processes": [str(p) for p in ok],
        }
    return {"meta": {"cdf_probs": list(CDF_PROBS), "level": pj.INTERVAL_LEVEL}, "families": out}


# ------------------------------------------------------------------------------------- validation run
def coverage_table(fc: pd.DataFrame, methods: Sequence[str] = STUDY_METHODS) -> pd.DataFrame:
    """Per family, method and horizon: ``n`` (intervals shown), ``coverage`` (share of outcomes inside,
    pooled), ``coverage_min`` (lowest over processes with ≥ MIN_PROCESS_CASES intervals) and its
    ``worst_process``, ``width`` (median interval width relative to the outcome, outcomes ≠ 0), ``mape`` (%,
    over outcomes ≠ 0, every fitted forecast) and ``n_mape``."""
    rows = []
    for (fam, m, h), g in fc[fc["method"].isin(methods)].groupby(["family", "method", "horizon"], sort=False):
        shown = g[np.isfinite(g["lower"])]
        inside = (shown["actual"] >= shown["lower"]) & (shown["actual"] <= shown["upper"])
        by = inside.groupby(shown["process"]).agg(["mean", "size"])
        by = by[by["size"] >= MIN_PROCESS_CASES]
        nz = shown[shown["actual"] != 0]
        fitted = g[np.isfinite(g["forecast"]) & (g["actual"] != 0)]
        ape = (fitted["forecast"] - fitted["actual"]).abs() / fitted["actual"].abs() * 100
        rows.append({
            "family": fam, "method": m, "horizon": int(h), "n": len(shown),
            "coverage": float(inside.mean()) if len(shown) else np.nan,
            "coverage_min": float(by["mean"].min()) if len(by) else np.nan,
            "worst_process": str(by["mean"].idxmin()) if len(by) else "",
            "width": float(((nz["upper"] - nz["lower"]) / nz["actual"].abs()).median()) if len(nz) else np.nan,
            "mape": float(ape.mean()) if len(ape) else np.nan, "n_mape": len(ape),
        })
    out = pd.DataFrame(rows)
    out["_m"] = out["method"].map({m: i for i, m in enumerate(methods)})
    return out.sort_values(["family", "_m", "horizon"]).drop(columns="_m").reset_index(drop=True)


def coverage_by_process(fc: pd.DataFrame, methods: Sequence[str] = STUDY_METHODS) -> pd.DataFrame:
    """Coverage of the shown intervals per method, process and horizon (wide: one column per horizon)."""
    shown = fc[fc["method"].isin(methods) & np.isfinite(fc["lower"])]
    inside = (shown["actual"] >= shown["lower"]) & (shown["actual"] <= shown["upper"])
    return inside.groupby([shown["method"], shown["process"], shown["horizon"]]).mean().unstack("horizon")


def reliability(p: np.ndarray, hit: np.ndarray, min_bin: int = MIN_BIN) -> tuple[float, pd.DataFrame]:
    """Largest |mean stated − observed| (percentage points) over the deciles of stated probability with at
    least `min_bin` cases, and the decile table (``bin, n, stated, observed``)."""
    p = np.asarray(p, dtype=float)
    hit = np.asarray(hit, dtype=float)
    b = np.minimum((p * 10).astype(int), 9)
    tab = (pd.DataFrame({"bin": b, "p": p, "hit": hit}).groupby("bin")
           .agg(n=("p", "size"), stated=("p", "mean"), observed=("hit", "mean")).reset_index())
    big = tab[tab["n"] >= min_bin]
    gap = float((big["stated"] - big["observed"]).abs().max() * 100) if len(big) else np.nan
    return gap, tab


def _prob_row(g: pd.DataFrame, prob: np.ndarray) -> dict:
    ok = np.isfinite(prob)
    hit = (g["actual"] >= g["target"]).to_numpy(float)
    p, y = prob[ok], hit[ok]
    if not ok.any():
        return {"n": 0, "brier": np.nan, "reliability": np.nan, "brier_max_process": np.nan, "worst_process": "",
                "base_rate": np.nan}
    gap, _ = reliability(p, y)
    per = pd.DataFrame({"process": g["process"].to_numpy()[ok], "sq": (p - y) ** 2}).groupby("process")["sq"]
    big = per.size() >= MIN_PROCESS_CASES
    worst = per.mean()[big]
    return {"n": int(ok.sum()), "brier": float(np.mean((p - y) ** 2)), "reliability": gap,
            "brier_max_process": float(worst.max()) if len(worst) else np.nan,
            "worst_process": str(worst.idxmax()) if len(worst) else "", "base_rate": float(y.mean())}


def probability_table(fc: pd.DataFrame, table: Mapping, model_fc: pd.DataFrame | None = None,
                      methods: Sequence[str] = STUDY_METHODS) -> pd.DataFrame:
    """Brier score and reliability of the probability of reaching the target, per family and method.

    ``rule`` 'empirical' is :func:`~liyang_ip.analysis.projection.exceed_probability` (the study's pooled
    error distribution); 'normal' is the old reading of each model's own interval as a normal distribution
    (:func:`~liyang_ip.analysis.targets.reach_probability`), from `model_fc` (``intervals='model'``).
    ``calibrated``: Brier below ``BRIER_MAX`` pooled and in every process, reliability within
    ``RELIABILITY_MAX`` points.
    """
    from .targets import reach_probability

    rows = []
    for (fam, m), g in fc[fc["method"].isin(methods) & fc["usable"] & np.isfinite(fc["forecast"])].groupby(
            ["family", "method"], sort=False):
        prob = np.array([pj.exceed_probability(m, h, f, s, tg, 1, table, fam)
                         for h, f, s, tg in zip(g["horizon"], g["forecast"], g["scale"], g["target"], strict=True)])
        rows.append({"family": fam, "method": m, "rule": "empirical", **_prob_row(g, prob)})
    if model_fc is not None:
        for (fam, m), g in model_fc[model_fc["method"].isin(methods) & np.isfinite(model_fc["lower"])].groupby(
                ["family", "method"], sort=False):
            prob = np.array([reach_probability(f, lo, hi, tg, pj.INTERVAL_LEVEL, 1)
                             for f, lo, hi, tg in zip(g["forecast"], g["lower"], g["upper"], g["target"],
                                                      strict=True)])
            rows.append({"family": fam, "method": m, "rule": "normal", **_prob_row(g, prob)})
    out = pd.DataFrame(rows)
    out["calibrated"] = ((out["brier"] < BRIER_MAX) & (out["brier_max_process"] < BRIER_MAX)
                         & (out["reliability"] <= RELIABILITY_MAX))
    out["_m"] = out["method"].map({m: i for i, m in enumerate(methods)})
    return out.sort_values(["rule", "family", "_m"]).drop(columns="_m").reset_index(drop=True)


def verdict_table(fc: pd.DataFrame) -> pd.DataFrame:
    """How often the targets of each verdict (:func:`~liyang_ip.analysis.targets.verdict`) were reached.

    The verdict counts the member methods whose point forecast reaches the target, as a report does.
    Returns ``family, verdict, n, reached`` (share reached)."""
    from .targets import verdict

    d = fc[fc["method"].isin(MEMBER_METHODS) & np.isfinite(fc["forecast"])]
    d = d.assign(reaches=d["forecast"] >= d["target"])
    g = d.groupby(["case", "horizon"]).agg(k=("reaches", "sum"), n=("reaches", "size"), family=("family", "first"),
                                            actual=("actual", "first"), target=("target", "first"))
    g["verdict"] = [verdict(int(k), int(n)) for k, n in zip(g["k"], g["n"], strict=True)]
    g["reached"] = g["actual"] >= g["target"]
    out = g.groupby(["family", "verdict"]).agg(n=("reached", "size"), reached=("reached", "mean")).reset_index()
    out["_v"] = out["verdict"].map({"likely": 0, "at_risk": 1, "unlikely": 2})
    return out.sort_values(["family", "_v"]).drop(columns="_v").reset_index(drop=True)


@dataclass
class StudyResult:
    table: dict
    coverage: pd.DataFrame
    by_process: pd.DataFrame
    probability: pd.DataFrame
    verdicts: pd.DataFrame
    model_coverage: pd.DataFrame


def run_study(n_rep: int = 150, seed_calibration: int = SEED_CALIBRATION,
              seed_validation: int = SEED_VALIDATION) -> StudyResult:
    """Calibration run, then validation run; returns the new table (with validation coverage and the
    probability verdicts filled in) and the validation tables."""
    cal = run_forecasts(simulate_cases(n_rep, seed_calibration), intervals="none")
    table = fit_table(cal)
    val_cases = simulate_cases(n_rep, seed_validation)
    val = run_forecasts(val_cases, intervals="calibrated", table=table)
    model = run_forecasts(val_cases, intervals="model")
    cov = coverage_table(val)
    for r in cov.itertuples():
        entry = table["families"].get(r.family, {}).get(r.method, {}).get(r.horizon)
        if entry is not None:
            entry.update(coverage=round(r.coverage, 4), coverage_min=round(r.coverage_min, 4),
                         mape=round(r.mape, 2), n_validation=int(r.n))
    prob = probability_table(val, table, model)
    table["probability"] = {}
    for r in prob[prob["rule"] == "empirical"].itertuples():
        table["probability"].setdefault(r.family, {})[r.method] = {
            "calibrated": bool(r.calibrated), "brier": round(float(r.brier), 4),
            "brier_max_process": round(float(r.brier_max_process), 4),
            "reliability": round(float(r.reliability), 2), "n": int(r.n)}
    table["meta"].update(seed_calibration=seed_calibration, seed_validation=seed_validation, replicates=n_rep,
                         processes=list(PROCESSES), windows=list(WINDOWS), horizons=list(HORIZONS),
                         coverage_floor=pj.COVERAGE_FLOOR, brier_max=BRIER_MAX, reliability_max=RELIABILITY_MAX,
                         process_coverage=PROCESS_COVERAGE)
    return StudyResult(table, cov, coverage_by_process(val), prob, verdict_table(val), coverage_table(model))


def validate(table: Mapping, n_rep: int, seed: int) -> pd.DataFrame:
    """Fast validation of a shipped table on fresh series (the CI test): :func:`coverage_table`."""
    return coverage_table(run_forecasts(simulate_cases(n_rep, seed), intervals="calibrated", table=table))


__all__ = [
    "PROCESSES",
    "Case",
    "StudyResult",
    "coverage_table",
    "fit_table",
    "probability_table",
    "reliability",
    "run_forecasts",
    "run_study",
    "simulate",
    "simulate_cases",
    "validate",
    "verdict_table",
]
