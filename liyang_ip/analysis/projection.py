"""Projections of one indicator series: trend methods, GM(1,1), Holt's damped trend, an ensemble, backtests,
and prediction intervals calibrated in a simulation study.

Every method takes a history indexed by calendar year and returns values in the series' own unit.

Methods (names used in ``methods=``)
------------------------------------
``cagr``
    Compound annual growth between the first and the last observed year of the fit window, continued.
    Needs both end points > 0.
``linear``
    OLS of value on year.
``loglinear``
    OLS of ln(value) on year (constant growth rate); the point forecast is the median (no smearing
    correction). Needs all values > 0.
``holt``
    Holt's additive damped trend (statsmodels ``ETSModel``, additive errors, maximum likelihood). Not fitted
    below ``HOLT_MIN_POINTS`` (10) observed years: on 5–6 points the likelihood puts the smoothing parameters
    at their bounds (α ≈ 0) and the forecasts are biased low. Needs consecutive years. Never given an
    interval (the calibration study, on 5–6-point windows, cannot check one).
``gm11``
    Grey model GM(1,1) (Deng Julong; 刘思峰《灰色系统理论及其应用》) on the raw series, with its checks
    (posterior variance ratio C, small-error probability P, grade, class-ratio test 级比检验 and the
    development coefficient a) in the note. A fit that fails the class-ratio test, is explosive
    (−a > 0.5) or is graded 4 is shown with the reason but gets no interval and is left out of the
    ensemble. Needs consecutive years and values > 0.
``ensemble``
    Weighted mean of the usable members. Weights: inverse MAPE of a rolling-origin backtest *at the target
    horizon* when that backtest has at least ``MIN_BACKTEST_ORIGINS`` (3) origins, otherwise equal weights;
    the note says which (explicit ``weights=`` override this).

Prediction intervals (``intervals='calibrated'``, the default)
--------------------------------------------------------------
With 5–6 yearly points no model's own interval holds: in simulations, linear 90 % intervals covered 22–63 %
of outcomes and Holt's 12–37 %. The intervals here are empirical instead, from the calibration study
(:mod:`liyang_ip.analysis.calibration`, ``scripts/calibration.py``, results in docs/uncertainty.md):

* the series' scale s is the standard deviation of its year-on-year changes (consecutive years only;
  :func:`interval_scale`), floored at the Poisson noise of a count √(2·max(mean, 1)) for counts and at
  ``MIN_REL_SCALE`` × the mean level otherwise, so that a constant history never gives a zero width;
* the interval at horizon h is [f + q_lo(m, h)·s, f + q_hi(m, h)·s], with q_lo, q_hi the pooled 5 % and
  95 % quantiles of the studentised errors (actual − f) / s of method m at horizon h in the study, both
  stretched by the smallest common factor that gives every data-generating process of the study at least
  85 % coverage (so that the interval does not hold only on average);
* small counts (a count whose mean is below 30, e.g. PCT applications 3, 7, 5, 11 …) have their own
  multipliers, from the study's lumpy-count process; all other series share the ``level`` multipliers;
* counts get at least the central 90 % of a Poisson distribution around f; every interval and every point
  forecast is clipped to the feasible range (``bounds``: counts ≥ 0, scores and shares within the
  catalogue's ``range``);
* an interval is shown only if the study's independent validation run found coverage ≥ ``COVERAGE_FLOOR``
  (80 %) for that method and horizon, only at the study's level (90 %), and only for horizons it covered
  (1–5 years); otherwise ``lower``/``upper`` are NaN and the note says why.

``intervals='model'`` gives each model's own textbook interval (t-interval of the regression, the
state-space interval of Holt, a normal mixture for the ensemble) for comparison only: the study shows that
they do not hold. ``intervals='none'`` gives point forecasts only.

Missing data: years absent from the series (or NaN values) are never filled. Regression methods use the
years that are present; methods that need consecutive years (``holt``, ``gm11``) are skipped with a note
naming the missing years. Fewer than 4 observed points in the fit window is a ValueError.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from liyang_ip.wording.format import COUNT_UNITS

from ._common import as_float_array, format_years, missing_years
from .cache import cached

METHODS = ("cagr", "linear", "loglinear", "holt", "gm11")
DEFAULT_METHODS = (*METHODS, "ensemble")
MIN_POINTS = 4

# Thresholds of the uncertainty rules, in one place (docs/uncertainty.md explains each).
HOLT_MIN_POINTS = 10  # Holt's damped trend is not fitted on shorter histories
GM_MAX_DEVELOPMENT = 0.5  # GM(1,1) with −a above this is explosive (刘思峰: −a > 0.5 → not for forecasting)
MIN_BACKTEST_ORIGINS = 3  # backtest errors needed at the target horizon for MAPE weights or a MAPE figure
COVERAGE_FLOOR = 0.80  # an interval is shown only if the study found at least this coverage
INTERVAL_LEVEL = 0.9  # the level the study calibrates and checks
SMALL_COUNT_MEAN = 30  # counts whose fit-window mean is below this get the small-count calibration
MIN_REL_SCALE = 0.01  # floor of the interval scale for non-count series, as a share of the mean level
CALIBRATION_FILE = Path(__file__).with_name("interval_calibration.yaml")

# Accuracy grades of the posterior-difference test (刘思峰《灰色系统理论及其应用》, 精度检验等级参照表):
# grade, label key, max C, min P. The grade is the first row both criteria satisfy. The words of each grade
# are in the wording files (``projection.gm_grade.<key>``; narrative.gm_grade_label).
GM_GRADES = (
    (1, "good", 0.35, 0.95),
    (2, "qualified", 0.50, 0.80),
    (3, "barely_qualified", 0.65, 0.70),
)
GM_FAIL = (4, "unqualified")


# ----------------------------------------------------------------------------------------------- GM(1,1)
@dataclass(frozen=True)
class GreyModel:
    """A fitted GM(1,1) model.

    Attributes
    ----------
    a : float
        Development coefficient (发展系数); negative means growth.
    b : float
        Grey input (灰作用量), in the unit of the series.
    x0 : ndarray
        The original series x⁽⁰⁾.
    fitted : ndarray
        Restored fitted values x̂⁽⁰⁾(k), k = 1…n; x̂⁽⁰⁾(1) = x⁽⁰⁾(1) by construction.
    residuals : ndarray
        ε(k) = x⁽⁰⁾(k) − x̂⁽⁰⁾(k), k = 1…n (ε(1) = 0).
    relative_errors : ndarray
        |ε(k)| / x⁽⁰⁾(k) × 100, in %, for k = 2…n.
    mean_relative_error : float
        Mean of ``relative_errors`` (%).
    C : float
        Posterior variance ratio S₂/S₁ (population standard deviations of the residuals and of x⁽⁰⁾).
        NaN for a constant series (S₁ = 0).
    P : float
        Small-error probability P{|ε(k) − ε̄| < 0.6745 S₁}. NaN for a constant series.
    grade : int or None
        1 good, 2 qualified, 3 barely qualified, 4 unqualified; None when C and P are undefined.
    grade_label : str
        Key of the grade's words (good, qualified, barely_qualified, unqualified; undefined for a constant
        series): ``projection.gm_grade.<key>`` in the wording files (``narrative.gm_grade_label``).
    ratio_check : bool
        Class-ratio test (级比检验): all λ(k) = x⁽⁰⁾(k−1)/x⁽⁰⁾(k) lie in (e^{−2/(n+1)}, e^{2/(n+1)}), the
        condition for GM(1,1) to be applicable without a transformation.
    """

    a: float
    b: float
    x0: np.ndarray
    fitted: np.ndarray
    residuals: np.ndarray
    relative_errors: np.ndarray
    mean_relative_error: float
    C: float
    P: float
    grade: int | None
    grade_label: str
    ratio_check: bool

    @property
    def n(self) -> int:
        return len(self.x0)

    def restored(self, k: np.ndarray) -> np.ndarray:
        """x̂⁽⁰⁾(k) for 1-based positions k ≥ 2 (k = n + h forecasts h steps ahead)."""
        k = np.asarray(k, dtype=float)
        # x̂⁽⁰⁾(k) = (1 − eᵃ)(x⁽⁰⁾(1) − b/a) e^{−a(k−1)}, written with expm1 so that a → 0 (constant series)
        # tends to x̂⁽⁰⁾(k) = b instead of dividing by zero.
        a, b, x01 = self.a, self.b, self.x0[0]
        ratio = 1.0 if a == 0 else np.expm1(a) / a
        return (b * ratio - x01 * np.expm1(a)) * np.exp(-a * (k - 1))

    @property
    def ratios(self) -> np.ndarray:
        """Class ratios λ(k) = x⁽⁰⁾(k−1) / x⁽⁰⁾(k), k = 2…n (级比)."""
        return self.x0[:-1] / self.x0[1:]

    @property
    def ratio_bounds(self) -> tuple[float, float]:
        """The admissible open interval (e^{−2/(n+1)}, e^{2/(n+1)}) of the class-ratio test."""
        n = self.n
        return float(np.exp(-2 / (n + 1))), float(np.exp(2 / (n + 1)))

    @property
    def explosive(self) -> bool:
        """−a > GM_MAX_DEVELOPMENT: growth so fast that GM(1,1) is not advised (刘思峰: −a > 0.5)."""
        return -self.a > GM_MAX_DEVELOPMENT

    @property
    def usable(self) -> bool:
        """Fit for projection and the ensemble: class-ratio test passed, not explosive, grade 1–3 (or a
        constant series, where C and P are undefined)."""
        return self.ratio_check and not self.explosive and (self.grade is None or self.grade <= 3)

    def checks(self) -> dict[str, Any]:
        """The model checks as plain values (for the report wording): C, P, grade (None for a constant
        series), ratio_min, ratio_max, lo, hi (admissible class-ratio interval), ratio_ok, a, explosive,
        usable."""
        lo, hi = self.ratio_bounds
        lam = self.ratios
        return {"C": None if self.grade is None else float(self.C), "P": None if self.grade is None else float(self.P),
                "grade": self.grade, "ratio_min": float(lam.min()), "ratio_max": float(lam.max()), "lo": lo, "hi": hi,
                "ratio_ok": self.ratio_check, "a": self.a, "explosive": self.explosive, "usable": self.usable}

    def check_text(self) -> str:
        """The model checks in one line (for notes): C, P, grade, class-ratio test, a; why a fit is not used."""
        lo, hi = self.ratio_bounds
        lam = self.ratios
        cp = "C, P undefined (constant series)" if self.grade is None else (
            f"C {self.C:.2f}, P {self.P:.2f}, grade {self.grade}")
        s = (f"GM(1,1) checks: {cp}; class ratios {lam.min():.3f}–{lam.max():.3f} "
             f"{'within' if self.ratio_check else 'outside'} ({lo:.3f}, {hi:.3f}); a = {self.a:.3f}")
        why = []
        if not self.ratio_check:
            why.append("class-ratio test failed")
        if self.explosive:
            why.append(f"explosive (−a > {GM_MAX_DEVELOPMENT})")
        if self.grade is not None and self.grade > 3:
            why.append("grade 4 (unqualified)")
        if why:
            s += "; not used: " + ", ".join(why) + " (excluded from the ensemble, no interval)"
        return s

    def forecast(self, h: int) -> np.ndarray:
        """The next `h` values after the last observation (x̂⁽⁰⁾(n+1) … x̂⁽⁰⁾(n+h))."""
        h = int(h)
        if h < 0:
            raise ValueError(f"forecast horizon must be >= 0, got {h}")
        return self.restored(np.arange(self.n + 1, self.n + h + 1))


def gm11(values) -> GreyModel:
    """Fit the grey model GM(1,1) to a positive series of at least 4 equally spaced values.

    Steps (刘思峰《灰色系统理论及其应用》): accumulate x⁽¹⁾(k) = Σᵢ≤ₖ x⁽⁰⁾(i); background values
    z⁽¹⁾(k) = ½(x⁽¹⁾(k) + x⁽¹⁾(k−1)); least squares of x⁽⁰⁾(k) = −a z⁽¹⁾(k) + b for k = 2…n;
    time response x̂⁽¹⁾(k+1) = (x⁽⁰⁾(1) − b/a) e^{−ak} + b/a, restored by differencing.

    Parameters
    ----------
    values : sequence of float or Series
        Consecutive, equally spaced observations (e.g. one value per year, oldest first), all > 0.
        A Series is used by position; its index is not checked, so pass a gap-free history.

    Returns
    -------
    GreyModel
        Parameters ``a``, ``b``, the ``fitted`` series, ``forecast(h)`` and the checks C, P and grade.

    Raises
    ------
    ValueError
        Fewer than 4 values, NaN values (missing years must not be filled), or values ≤ 0.

    Notes
    -----
    A constant series gives a = 0 and b = the constant: forecasts are that constant, C and P are NaN
    (S₁ = 0) and ``grade`` is None.

    Examples
    --------
    >>> m = gm11([71.1, 72.4, 72.4, 72.1, 71.4, 72.0, 71.6])
    >>> round(m.a, 6), round(m.b, 4)
    (0.002344, 72.6573)
    """
    x0 = as_float_array(values, "GM(1,1) series")
    n = len(x0)
    if n < MIN_POINTS:
        raise ValueError(f"GM(1,1) needs at least {MIN_POINTS} consecutive values, got {n}")
    if np.any(x0 <= 0):
        raise ValueError(
            f"GM(1,1) needs values > 0, got {x0[x0 <= 0].tolist()} at positions "
            f"{np.flatnonzero(x0 <= 0).tolist()}"
        )
    x1 = np.cumsum(x0)
    z1 = 0.5 * (x1[1:] + x1[:-1])
    B = np.column_stack([-z1, np.ones(n - 1)])
    Y = x0[1:]
    (a, b), *_ = np.linalg.lstsq(B, Y, rcond=None)
    a, b = float(a), float(b)
    if abs(a) < 1e-12:
        a = 0.0

    proto = GreyModel(a, b, x0, x0, x0, x0, np.nan, np.nan, np.nan, None, "", False)
    fitted = np.concatenate([[x0[0]], proto.restored(np.arange(2, n + 1))])
    resid = x0 - fitted
    rel = np.abs(resid[1:]) / x0[1:] * 100.0
    s1 = float(np.std(x0))
    s2 = float(np.std(resid))
    if s1 == 0.0:
        C = P = float("nan")
        grade, label = None, "undefined"  # constant series: C and P have no meaning
    else:
        C = s2 / s1
        P = float(np.mean(np.abs(resid - resid.mean()) < 0.6745 * s1))
        grade, label = GM_FAIL
        for g, lab, cmax, pmin in GM_GRADES:
            if C <= cmax and P >= pmin:
                grade, label = g, lab
                break
    lam = x0[:-1] / x0[1:]
    lo, hi = np.exp(-2 / (n + 1)), np.exp(2 / (n + 1))
    return GreyModel(
        a=a, b=b, x0=x0, fitted=fitted, residuals=resid, relative_errors=rel,
        mean_relative_error=float(rel.mean()), C=C, P=P, grade=grade, grade_label=label,
        ratio_check=bool(np.all((lam > lo) & (lam < hi))),
    )


# ------------------------------------------------------------------------------------- single methods
def _z(level: float) -> float:
    from scipy import stats

    return float(stats.norm.ppf(0.5 + level / 2))


@lru_cache(maxsize=64)
def _t_quantile(level: float, df: int) -> float:
    from scipy import stats

    return float(stats.t.ppf(0.5 + level / 2, df))


def _ols_fit(t: np.ndarray, y: np.ndarray) -> tuple[float, float, float, float, float, int]:
    """Closed-form least squares of y on t: (alpha, beta, residual sd, mean of t, Sxx, n)."""
    n = len(t)
    tbar = t.mean()
    sxx = float(np.sum((t - tbar) ** 2))
    beta = float(np.sum((t - tbar) * (y - y.mean())) / sxx)
    alpha = float(y.mean() - beta * tbar)
    resid = y - (alpha + beta * t)
    s = float(np.sqrt(np.sum(resid**2) / (n - 2)))
    return alpha, beta, s, float(tbar), sxx, n


def _ols_forecast(params, t_new: np.ndarray, level: float | None):
    """(mean, lower, upper) at `t_new`; the t-interval only when `level` is given (NaN otherwise, and
    scipy is not imported)."""
    alpha, beta, s, tbar, sxx, n = params
    mean = alpha + beta * t_new
    if level is None:
        nan = np.full(len(t_new), np.nan)
        return mean, nan, nan.copy()
    q = _t_quantile(float(level), n - 2)
    half = q * s * np.sqrt(1 + 1 / n + (t_new - tbar) ** 2 / sxx)
    return mean, mean - half, mean + half


def _ols(t: np.ndarray, y: np.ndarray, t_new: np.ndarray, level: float | None):
    """Least squares of y on t, forecast at `t_new` with its t-interval (see `_ols_forecast`)."""
    return _ols_forecast(_ols_fit(t, y), t_new, level)


def _need_positive(y: np.ndarray, method: str) -> None:
    if np.any(y <= 0):
        raise ValueError(f"{method} needs values > 0 (it works on logarithms or ratios); got {y[y <= 0].tolist()}")


def _need_consecutive(t: np.ndarray, method: str) -> None:
    gaps = missing_years(t, t.min(), t.max())
    if gaps:
        raise ValueError(f"{method} needs consecutive years; missing {format_years(gaps)} (not filled)")


@dataclass(frozen=True)
class _Fit:
    """One method fitted to one history: what forecasting any later year needs."""

    method: str
    t_last: float
    n: int
    params: tuple = ()
    model: Any = None  # GreyModel (gm11) or the statsmodels results (holt)


def _fit_model(method: str, t: np.ndarray, y: np.ndarray) -> _Fit:
    """Fit `method` to the history (t, y); ValueError when it does not apply. The work :func:`_fit`
    remembers."""
    t_last, n = float(t[-1]), len(y)
    if method == "cagr":
        _need_positive(np.array([y[0], y[-1]]), "cagr")
        g = (y[-1] / y[0]) ** (1.0 / (t[-1] - t[0])) - 1.0
        return _Fit(method, t_last, n, (float(y[-1]), float(g)))
    if method == "linear":
        return _Fit(method, t_last, n, _ols_fit(t, y))
    if method == "loglinear":
        _need_positive(y, "loglinear")
        return _Fit(method, t_last, n, _ols_fit(t, np.log(y)))
    if method == "gm11":
        _need_consecutive(t, "gm11")
        return _Fit(method, t_last, n, (), gm11(y))
    if method == "holt":
        if len(y) < HOLT_MIN_POINTS:
            raise ValueError(
                f"holt is fitted only on at least {HOLT_MIN_POINTS} observed years, got {len(y)} (on short "
                "series its smoothing parameters sit at their bounds and the forecasts are biased)"
            )
        _need_consecutive(t, "holt")
        return _Fit(method, t_last, n, (float(y[-1]),), _holt_fit(y))
    raise ValueError(f"unknown projection method {method!r}; valid: {', '.join(DEFAULT_METHODS)}")


@cached(disk=False, copy=False, remember_errors=True)
def _fit(method: str, t: np.ndarray, y: np.ndarray) -> _Fit:
    """`_fit_model`, computed once per process for each (method, years, values): the target check, the
    proposals, the fan charts and the backtests of a run fit the same windows of the same series,
    to different horizons (:mod:`.cache`)."""
    return _fit_model(method, t, y)


def _forecast(fit: _Fit, t_new: np.ndarray, level: float | None):
    """(mean, lower, upper, model) of a fit for years `t_new`; lower/upper only when `level` is given."""
    nan = np.full(len(t_new), np.nan)
    steps = t_new - fit.t_last
    if fit.method == "cagr":
        last, g = fit.params
        return last * (1.0 + g) ** steps, nan, nan.copy(), None
    if fit.method == "linear":
        return (*_ols_forecast(fit.params, t_new, level), None)
    if fit.method == "loglinear":
        m, lo, hi = _ols_forecast(fit.params, t_new, level)
        return np.exp(m), np.exp(lo), np.exp(hi), None
    if fit.method == "gm11":
        return fit.model.restored(fit.n + steps), nan, nan.copy(), fit.model
    # holt
    return (*_holt_forecast(fit, INTERVAL_LEVEL if level is None else level, steps), None)


def _fit_forecast(method: str, t: np.ndarray, y: np.ndarray, t_new: np.ndarray, level: float | None,
                  memo: bool = True):
    """(mean, lower, upper, model) for years `t_new` from history (t, y); ValueError when not applicable.

    lower/upper are the model's own interval (NaN when it has none, or when `level` is None: only
    ``intervals='model'`` uses them); model is the GreyModel for gm11. With `memo` the fit is
    remembered (:func:`_fit`).
    """
    return _forecast((_fit if memo else _fit_model)(method, t, y), t_new, level)


def _holt_fit(y: np.ndarray):
    """statsmodels' additive damped-trend ETS fitted by maximum likelihood; None for a constant series."""
    if np.ptp(y) == 0:
        # The likelihood is degenerate for a constant series (zero residual variance): the damped-trend
        # forecast of a constant is that constant.
        return None
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    try:
        with warnings.catch_warnings():
            # convergence warnings are common; the backtest reports how well the method did
            warnings.simplefilter("ignore")
            return ETSModel(pd.Series(y), error="add", trend="add", damped_trend=True).fit(disp=False)
    except (ValueError, ArithmeticError, np.linalg.LinAlgError) as err:
        raise ValueError(f"holt: statsmodels could not fit the damped trend ({err})") from err


def _holt_forecast(fit: _Fit, level: float, steps: np.ndarray):
    if fit.model is None:
        v = np.full(len(steps), fit.params[0])
        return v, v.copy(), v.copy()
    h = int(steps.max())
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            frame = fit.model.get_prediction(start=fit.n, end=fit.n + h - 1).summary_frame(alpha=1 - level)
    except (ValueError, ArithmeticError, np.linalg.LinAlgError) as err:
        raise ValueError(f"holt: statsmodels could not fit the damped trend ({err})") from err
    idx = steps.astype(int) - 1
    return (frame["mean"].to_numpy()[idx], frame["pi_lower"].to_numpy()[idx], frame["pi_upper"].to_numpy()[idx])


def _mixture_interval(values: np.ndarray, lows: np.ndarray, highs: np.ndarray, w: np.ndarray, level: float):
    """Normal-mixture interval of members (sd from each member's interval, 0 without): the old rule,
    kept for ``intervals='model'`` so the calibration study can show how it fares."""
    z = _z(level)
    sd = np.nan_to_num((highs - lows) / (2 * z), nan=0.0)
    mean = float(np.sum(w * values))
    var = float(np.sum(w * (sd**2 + (values - mean) ** 2)))
    return mean - z * np.sqrt(var), mean + z * np.sqrt(var)


# ---------------------------------------------------------------------------------- calibrated intervals
@lru_cache(maxsize=4)
def _read_calibration(path: str) -> dict:
    from ..yamlio import safe_load

    p = Path(path)
    if not p.exists():
        return {}
    with p.open(encoding="utf-8") as f:
        return safe_load(f) or {}


def load_calibration(path: str | Path | None = None) -> dict:
    """The calibration table written by ``scripts/calibration.py`` (default: the one shipped in the package).

    Returns
    -------
    dict
        ``meta`` (seeds, date, replicates, processes), ``families`` → family (``level``, ``small_count``,
        see :func:`interval_family`) → method → horizon (int) → ``q_lo, q_hi`` (studentised-error
        multipliers of the 90 % interval), ``coverage`` (validation run), ``cdf`` (pooled quantiles of the
        studentised error at ``meta['cdf_probs']``); and ``probability`` → family → method →
        ``calibrated`` (bool), ``brier``, ``reliability``. An empty dict when the file is missing
        (then no interval is shown).
    """
    return _read_calibration(str(path or CALIBRATION_FILE))


def interval_scale(years, values, count: bool = False) -> float:
    """Scale s of a history for the calibrated intervals: sd of its year-on-year changes, with floors.

    Parameters
    ----------
    years, values : array-like
        Observed years and values (no NaN), oldest first; only pairs of consecutive years give a change.
    count : bool
        True for counts (件, 家, 人, 笔): floor √(2·max(mean, 1)), the sd of the difference of two Poisson
        counts. Otherwise the floor is ``MIN_REL_SCALE`` × mean |value|.

    Returns
    -------
    float
        s in the unit of the series, or NaN with fewer than 2 year-on-year changes or when s would be 0
        (a non-count series of zeros).
    """
    t = np.asarray(years, dtype=float)
    y = np.asarray(values, dtype=float)
    d = np.diff(y)[np.diff(t) == 1]
    if len(d) < 2:
        return float("nan")
    s = float(np.std(d, ddof=1))
    floor = np.sqrt(2 * max(float(np.mean(y)), 1.0)) if count else MIN_REL_SCALE * float(np.mean(np.abs(y)))
    s = max(s, floor)
    return s if s > 0 else float("nan")


def interval_family(values, count: bool = False) -> str:
    """Which calibration applies: ``small_count`` for counts with a mean below ``SMALL_COUNT_MEAN`` (lumpy,
    Poisson-like series such as PCT applications), else ``level``."""
    return "small_count" if count and float(np.mean(values)) < SMALL_COUNT_MEAN else "level"


def _entry(table: Mapping, family: str, method: str, horizon: int) -> dict | None:
    return table.get("families", {}).get(family, {}).get(method, {}).get(int(horizon))


def _cdf_at(table: Mapping, method: str, horizon: int, z: float, family: str = "level") -> float:
    """Pooled empirical CDF of the studentised error at z (linear between the stored quantiles)."""
    entry = _entry(table, family, method, horizon)
    probs = table.get("meta", {}).get("cdf_probs")
    if not entry or not probs or "cdf" not in entry:
        return float("nan")
    q = np.asarray(entry["cdf"], dtype=float)
    p = np.asarray(probs, dtype=float)
    return float(np.interp(z, q, p, left=p[0], right=p[-1]))


def exceed_probability(method: str, horizon: int, forecast: float, scale: float, target: float,
                       polarity: int = 1, calibration: Mapping | None = None, family: str = "level") -> float:
    """Probability that the outcome reaches `target`, from the study's pooled error distribution.

    P = 1 − F((target − forecast) / scale) for polarity +1 and F(…) for −1, F the pooled empirical CDF of
    the studentised errors of `method` at `horizon` (clamped to the stored quantile range, so never below
    the lowest or above the highest stored probability). NaN when any input is missing or the study does not
    cover the method and horizon. Whether such a probability may be *shown* is
    ``load_calibration()['probability'][method]['calibrated']``.
    """
    table = load_calibration() if calibration is None else calibration
    if not all(np.isfinite([forecast, scale, target])) or scale <= 0:
        return float("nan")
    f = _cdf_at(table, method, horizon, (target - forecast) / scale, family)
    if np.isnan(f):
        return f
    return 1.0 - f if polarity >= 0 else f


def interval_coverage(method: str, horizon: int, family: str = "level",
                      calibration: Mapping | None = None) -> float | None:
    """Coverage the study's validation run measured for the intervals of `method` at `horizon` (0–1), or
    None when it does not cover them. What a report may say about how well an interval held."""
    table = load_calibration() if calibration is None else calibration
    e = _entry(table, family, method, horizon)
    return None if not e or e.get("coverage") is None else float(e["coverage"])


def probability_calibrated(method: str, calibration: Mapping | None = None, family: str = "level") -> bool:
    """True when the study found the probability statement of `method` calibrated (Brier < 0.25 pooled and
    in every process, reliability within ±10 points); see docs/uncertainty.md."""
    table = load_calibration() if calibration is None else calibration
    return bool(table.get("probability", {}).get(family, {}).get(method, {}).get("calibrated", False))


def _calibrated_interval(table: Mapping, method: str, horizon: int, f: float, s: float, level: float,
                         count: bool, family: str) -> tuple[float, float, str]:
    """(lower, upper, reason-if-none) before clipping."""
    if not table:
        return np.nan, np.nan, "no interval: no calibration table"
    if abs(level - INTERVAL_LEVEL) > 1e-9:
        return np.nan, np.nan, f"no interval: the study calibrates {INTERVAL_LEVEL:.0%} intervals only"
    entry = _entry(table, family, method, horizon)
    if not entry:
        return np.nan, np.nan, f"no interval: the study does not cover {method} at horizon {horizon}"
    cov = entry.get("coverage")
    if cov is not None and cov < COVERAGE_FLOOR:
        return np.nan, np.nan, (f"no interval: {method} covered {cov:.0%} at horizon {horizon} in the study "
                                f"(floor {COVERAGE_FLOOR:.0%})")
    if not np.isfinite(f) or not np.isfinite(s):
        return np.nan, np.nan, "no interval: fewer than 2 year-on-year changes to scale it"
    lo, hi = f + float(entry["q_lo"]) * s, f + float(entry["q_hi"]) * s
    if count:
        mu = max(f, 0.0)
        lo = min(lo, poisson_ppf(0.05, mu))
        hi = max(hi, poisson_ppf(0.95, mu))
    return lo, hi, ""


@lru_cache(maxsize=1024)
def poisson_ppf(q: float, mu: float) -> float:
    """Smallest count k with P(X ≤ k) ≥ q for X ~ Poisson(mu): ``scipy.stats.poisson.ppf(q, mu)`` without
    importing scipy (about a second per kernel).

    The cumulative probabilities are summed from the probability mass function in logs over
    mu ± 12√mu (+ 40): the mass outside is below 1e-30, far under the rounding of the sum. A test
    checks equality with scipy over thousands of (q, mu).

    Parameters
    ----------
    q : float
        Probability in (0, 1).
    mu : float
        Mean ≥ 0 (0 gives 0, as scipy does).
    """
    import math

    if not 0 < q < 1:
        raise ValueError(f"q must be in (0, 1), got {q}")
    if not np.isfinite(mu) or mu < 0:
        return float("nan")
    if mu == 0:
        return 0.0
    root = math.sqrt(mu)
    lo = max(0, int(mu - 12 * root - 12))
    k = np.arange(lo, int(mu + 12 * root + 40) + 1, dtype=float)
    log_pmf = k * math.log(mu) - mu - np.array([math.lgamma(x + 1.0) for x in k])
    cdf = np.cumsum(np.exp(log_pmf))
    i = int(np.searchsorted(cdf, q, side="left"))
    return float(k[min(i, len(k) - 1)])


# ------------------------------------------------------------------------------------- catalogue facts
# COUNT_UNITS (件, 家, 人, 笔, 个: units whose values are whole counts) comes from the one formatter.


def feasible_bounds(indicator: str) -> tuple[float, float]:
    """(lower, upper) feasible range of a catalogue indicator: its ``range`` when given, else [0, ∞) (every
    catalogue indicator is a count, amount, ratio or score that cannot be negative); unknown codes
    (−∞, ∞)."""
    from liyang_ip import registry

    cat = registry.indicators()
    if indicator not in cat:
        return (-np.inf, np.inf)
    rng = cat[indicator].range
    return (float(rng[0]), float(rng[1])) if rng else (0.0, np.inf)


def is_count(indicator: str) -> bool:
    """True for catalogue counts (unit 件/家/人/笔/个, kind stock or flow): Poisson noise sets a minimum width."""
    from liyang_ip import registry

    ind = registry.indicators().get(indicator)
    return bool(ind and ind.unit in COUNT_UNITS and ind.kind in ("stock", "flow"))


# ------------------------------------------------------------------------------------------ public API
def _prepare(series: pd.Series, fit_start, fit_end) -> tuple[np.ndarray, np.ndarray, list[int]]:
    if not isinstance(series, pd.Series):
        raise TypeError("series must be a pandas Series indexed by year (e.g. ds.panel(code)[region])")
    fast = _prepare_arrays(series, fit_start, fit_end)
    if fast is not None:
        return fast
    s = series.dropna()
    s.index = s.index.astype("int64")
    s = s.sort_index()
    lo = s.index.min() if fit_start is None else int(fit_start)
    hi = s.index.max() if fit_end is None else int(fit_end)
    s = s.loc[lo:hi]
    if len(s) < MIN_POINTS:
        raise ValueError(
            f"projection needs at least {MIN_POINTS} observed years in the fit window {lo}–{hi}, "
            f"got {len(s)} ({format_years(list(s.index))})"
        )
    return s.index.to_numpy(dtype=float), s.to_numpy(dtype=float), missing_years(s.index, lo, hi)


def _prepare_arrays(series: pd.Series, fit_start, fit_end):
    """:func:`_prepare` on plain arrays for the usual series (float values, integer years strictly
    increasing once NaN values are dropped, a value in the window), else None (the pandas path then
    handles it, errors included). Every projection and every cache look-up of one goes through here."""
    idx_dtype = series.index.dtype
    if series.dtype != np.float64 or not (isinstance(idx_dtype, np.dtype) and idx_dtype.kind in "iu"):
        return None
    v = series.to_numpy()
    keep = ~np.isnan(v)
    v, yrs = v[keep], series.index.to_numpy()[keep].astype("int64")
    if len(yrs) == 0 or np.any(np.diff(yrs) <= 0):
        return None
    lo = yrs[0] if fit_start is None else int(fit_start)
    hi = yrs[-1] if fit_end is None else int(fit_end)
    window = (yrs >= lo) & (yrs <= hi)
    if window.sum() < MIN_POINTS:
        return None
    yrs, v = yrs[window], v[window]
    return yrs.astype(float), v.astype(float), missing_years(yrs, lo, hi)


def _fmt(x: float) -> str:
    return f"{x:g}" if np.isfinite(x) else ("∞" if x > 0 else "−∞")


def ensemble_weights(series: pd.Series, methods: Sequence[str], horizon: int,
                     min_origins: int = MIN_BACKTEST_ORIGINS) -> tuple[dict[str, float] | None, str]:
    """Ensemble weights from a rolling-origin backtest at the target horizon, or None (equal weights).

    Parameters
    ----------
    series : Series
        The fit-window history, indexed by year.
    methods : sequence of str
        The ensemble members (not ``ensemble``).
    horizon : int
        Target horizon in years (target year − last observed year).
    min_origins : int
        Origins needed at that horizon with every member fitted (default 3).

    Returns
    -------
    (dict or None, str)
        Inverse-MAPE weights (:func:`mape_weights`) when the backtest has at least `min_origins` origins
        at `horizon`, else None; and a note saying which and why.
    """
    members = [m for m in methods if m != "ensemble"]
    s = series.dropna()
    possible = len(s) - MIN_POINTS - int(horizon) + 1
    if possible < min_origins or not members:
        return None, (f"equal weights: {max(possible, 0)} backtest origins at horizon {horizon} "
                      f"(need {min_origins})")
    detail = backtest(s, members, max_horizon=int(horizon))
    d = detail[detail["horizon"] == int(horizon)]
    ok = d.groupby("origin")["forecast"].apply(lambda x: bool(x.notna().all()))
    n_ok = int(ok.sum())
    if n_ok < min_origins:
        return None, f"equal weights: {n_ok} backtest origins at horizon {horizon} (need {min_origins})"
    d = d[d["origin"].isin(ok.index[ok])]
    summ = backtest_summary(d, min_n=min_origins)
    try:
        w = mape_weights(summ)
    except ValueError:
        return None, f"equal weights: no backtest MAPE at horizon {horizon}"
    return w, f"inverse-MAPE weights from {n_ok} backtest origins at horizon {horizon}"


def _project_key(arguments: dict) -> dict:
    """What :func:`project`'s result depends on (the cache key): the observed years and values in the fit
    window and the window itself, the feasible range and count flag (from `indicator` unless given), the
    other arguments as they are; not the Series' name, its NaN rows or years outside the window. Raises
    like :func:`project` for a series it cannot project (the call then bypasses the cache)."""
    a = dict(arguments)
    series, fit_start, fit_end = a.pop("series"), a.pop("fit_start"), a.pop("fit_end")
    indicator, bounds, count = a.pop("indicator"), a.pop("bounds"), a.pop("count")
    t, y, _ = _prepare(series, fit_start, fit_end)
    # _prepare's window: [first observed year or fit_start, last observed year or fit_end]
    lo = int(t[0]) if fit_start is None else int(fit_start)
    hi = int(t[-1]) if fit_end is None else int(fit_end)
    if indicator is not None:
        bounds = feasible_bounds(indicator) if bounds is None else bounds
        count = is_count(indicator) if count is None else count
    bounds = (-np.inf, np.inf) if bounds is None else (float(bounds[0]), float(bounds[1]))
    return {**a, "years": t, "values": y, "window": (lo, hi), "bounds": bounds, "count": bool(count)}


@cached(key_args=_project_key)
def project(
    series: pd.Series,
    methods: Sequence[str] = DEFAULT_METHODS,
    fit_start: int | None = 2015,
    fit_end: int | None = 2020,
    horizon_end: int = 2025,
    level: float = 0.9,
    weights: Mapping[str, float] | str | None = None,
    *,
    bounds: tuple[float, float] | None = None,
    count: bool | None = None,
    indicator: str | None = None,
    intervals: str = "calibrated",
    calibration: Mapping | None = None,
) -> pd.DataFrame:
    """Project one series from a fit window to a horizon with several methods and their ensemble.

    Parameters
    ----------
    series : Series
        Values indexed by calendar year (int), in the indicator's unit. NaN values count as missing.
    methods : sequence of str
        Any of ``cagr``, ``linear``, ``loglinear``, ``holt``, ``gm11``, ``ensemble`` (see module docstring).
    fit_start, fit_end : int or None
        Fit window (inclusive); None means the first / last observed year.
    horizon_end : int
        Last projected year; years fit_end+1 … horizon_end are returned.
    level : float
        Coverage of the prediction intervals; calibrated intervals exist only at 0.9.
    weights : mapping method → weight, 'equal', 'backtest' or None
        Ensemble weights. None or 'backtest': inverse MAPE of the backtest at the target horizon when it has
        ≥ 3 origins, else equal (the note says which); 'equal'; or explicit weights (normalised over the
        members that could be fitted and are usable).
    bounds : (lower, upper), optional
        Feasible range; point forecasts and intervals are clipped to it (default from `indicator`, else
        none).
    count : bool, optional
        The series is a count: Poisson floor of the interval (default from `indicator`, else False).
    indicator : str, optional
        Catalogue code giving `bounds` (:func:`feasible_bounds`) and `count` (:func:`is_count`).
    intervals : {'calibrated', 'model', 'none'}
        Calibrated empirical intervals (default), each model's own interval (for comparison only; they do
        not hold on short series), or none.
    calibration : mapping, optional
        Calibration table (default: the shipped one, :func:`load_calibration`).

    Returns
    -------
    DataFrame
        Columns ``method, year, value, lower, upper, note``, one row per method and projected year.
        ``lower``/``upper`` are NaN when no interval is shown (the note says why). A method that does not
        apply (e.g. log methods on zeros, gm11/holt over a gap, holt below 10 points) has NaN values and
        the reason in ``note``. Missing years inside the fit window are named in every row's note.
        ``attrs``: ``scale`` (interval scale s), ``family`` (:func:`interval_family`), ``last_year`` (last
        observed year: horizons count from it), ``gm11_checks`` (:meth:`GreyModel.checks` or None), ``weights`` (ensemble weights used), ``weights_note``,
        ``gm11`` (check text or None), ``intervals``, ``bounds``, ``count``.

    Raises
    ------
    ValueError
        Fewer than 4 observed years in the fit window, an unknown method, or horizon_end ≤ fit_end.
    """
    unknown = [m for m in methods if m not in DEFAULT_METHODS]
    if unknown:
        raise ValueError(f"unknown projection method(s) {unknown}; valid: {', '.join(DEFAULT_METHODS)}")
    if not 0 < level < 1:
        raise ValueError(f"level must be in (0, 1), got {level}")
    if intervals not in ("calibrated", "model", "none"):
        raise ValueError(f"intervals must be 'calibrated', 'model' or 'none', got {intervals!r}")
    if indicator is not None:
        bounds = feasible_bounds(indicator) if bounds is None else bounds
        count = is_count(indicator) if count is None else count
    lo_b, hi_b = (-np.inf, np.inf) if bounds is None else (float(bounds[0]), float(bounds[1]))
    t, y, gaps = _prepare(series, fit_start, fit_end)
    last = int(t[-1]) if fit_end is None else int(fit_end)
    if horizon_end <= last:
        raise ValueError(f"horizon_end ({horizon_end}) must be after the end of the fit window ({last})")
    years = np.arange(last + 1, int(horizon_end) + 1)
    gap_note = f"missing in fit window: {format_years(gaps)}" if gaps else ""
    table = (load_calibration() if calibration is None else calibration) if intervals == "calibrated" else {}
    fits, attrs = _project_core(t, y, years, methods, level, weights, (lo_b, hi_b), bool(count), intervals, table)
    k = len(years)
    notes = []
    for f in fits.values():
        notes += ["; ".join([*f["notes"], *([w] if w else []), *([gap_note] if gap_note else [])])
                  for w in f["why"]]
    out = pd.DataFrame({
        "method": np.repeat(list(fits), k),
        "year": np.tile(years.astype("int64"), len(fits)),
        "value": np.concatenate([f["value"] for f in fits.values()]) if fits else np.array([], float),
        "lower": np.concatenate([f["lower"] for f in fits.values()]) if fits else np.array([], float),
        "upper": np.concatenate([f["upper"] for f in fits.values()]) if fits else np.array([], float),
        "note": notes,
    })
    out.attrs = attrs
    return out


def _project_core(t: np.ndarray, y: np.ndarray, years: np.ndarray, methods: Sequence[str], level: float,
                  weights, bounds: tuple[float, float], count: bool, intervals: str, table: Mapping,
                  memo: bool = True):
    """Point forecasts, intervals and notes per method as arrays (what :func:`project` tabulates; the
    calibration study calls it directly to avoid building thousands of DataFrames, with ``memo=False``:
    its series are all different, remembering their fits would only cost time)."""
    lo_b, hi_b = bounds
    steps = (years - t[-1]).astype(int)  # horizon from the last observed year
    scale = interval_scale(t, y, count)
    family = interval_family(y, count)
    fits: dict[str, dict[str, Any]] = {}
    gm_text = None
    gm_checks = None
    for m in methods:
        if m == "ensemble":
            continue
        notes: list[str] = []
        usable = True
        try:
            mean, mlo, mhi, model = _fit_forecast(m, t, y, years.astype(float),
                                                  level if intervals == "model" else None, memo)
            if model is not None:
                gm_text = model.check_text()
                gm_checks = model.checks()
                notes.append(gm_text)
                usable = model.usable
        except ValueError as err:
            mean = mlo = mhi = np.full(len(years), np.nan)
            notes.append(f"not fitted: {err}")
            usable = False
        clipped = np.clip(mean, lo_b, hi_b)
        if np.any(np.abs(clipped - mean) > 0):
            notes.append(f"clipped to the feasible range [{_fmt(lo_b)}, {_fmt(hi_b)}]")
        fits[m] = {"value": clipped, "mlo": mlo, "mhi": mhi, "notes": notes,
                   "usable": usable and bool(np.all(np.isfinite(clipped)))}

    weights_used: dict[str, float] = {}
    wnote = ""
    if "ensemble" in methods:
        members = [m for m, f in fits.items() if f["usable"]]
        left_out = [m for m, f in fits.items() if not f["usable"]]
        if isinstance(weights, Mapping):
            w = {m: float(weights.get(m, 0.0)) for m in members}
            wnote = "weights given"
        elif weights in (None, "backtest"):
            auto, wnote = (ensemble_weights(pd.Series(y, index=t.astype("int64")), members, int(steps[-1]))
                           if members else (None, ""))
            w = {m: (auto.get(m, 0.0) if auto else 1.0) for m in members}
        elif weights == "equal":
            w = dict.fromkeys(members, 1.0)
            wnote = "equal weights"
        else:
            raise ValueError(f"weights must be a mapping, 'equal', 'backtest' or None, got {weights!r}")
        tot = sum(w.values())
        notes = []
        if not members:
            value = np.full(len(years), np.nan)
            notes.append("not fitted: no usable member")
        elif tot <= 0:
            value = np.full(len(years), np.nan)
            notes.append("not fitted: all member weights are zero")
        else:
            weights_used = {m: v / tot for m, v in w.items()}
            value = sum(weights_used[m] * fits[m]["value"] for m in members)
            notes.append("members: " + ", ".join(f"{m} {v:.2f}" for m, v in weights_used.items() if v > 0)
                         + (f"; {wnote}" if wnote else ""))
        if left_out:
            notes.append("left out: " + ", ".join(left_out))
        mlo = np.full(len(years), np.nan)
        mhi = mlo.copy()
        if intervals == "model" and weights_used:
            wv = np.array([weights_used[m] for m in members])
            for j in range(len(years)):
                vals = np.array([fits[m]["value"][j] for m in members])
                los = np.array([fits[m]["mlo"][j] for m in members])
                his = np.array([fits[m]["mhi"][j] for m in members])
                mlo[j], mhi[j] = _mixture_interval(vals, los, his, wv, level)
        fits["ensemble"] = {"value": np.clip(value, lo_b, hi_b), "mlo": mlo, "mhi": mhi, "notes": notes,
                            "usable": bool(weights_used)}

    for m, f in fits.items():
        lower = np.full(len(years), np.nan)
        upper = lower.copy()
        why = [""] * len(years)
        for j in range(len(years)):
            v = float(f["value"][j])
            lo = hi = np.nan
            if np.isfinite(v) and intervals == "model":
                lo, hi = float(f["mlo"][j]), float(f["mhi"][j])
            elif np.isfinite(v) and intervals == "calibrated":
                if m == "holt":
                    why[j] = "no interval: holt is not covered by the calibration study"
                elif f["usable"]:  # an unusable gm11 fit: its check text says why
                    lo, hi, why[j] = _calibrated_interval(table, m, int(steps[j]), v, scale, level, count,
                                                                family)
            if np.isfinite(lo):
                lo, hi = max(min(lo, v), lo_b), min(max(hi, v), hi_b)
            lower[j], upper[j] = lo, hi
        f.update(lower=lower, upper=upper, why=why)
    attrs = {"scale": scale, "family": family, "weights": weights_used, "weights_note": wnote, "gm11": gm_text,
             "gm11_checks": gm_checks, "last_year": int(t[-1]),
             "intervals": intervals, "bounds": (lo_b, hi_b), "count": count}
    return fits, attrs


@cached
def backtest(
    series: pd.Series,
    methods: Sequence[str] = DEFAULT_METHODS,
    min_train: int = MIN_POINTS,
    max_horizon: int | None = None,
    fit_start: int | None = None,
    fit_end: int | None = None,
    level: float = 0.9,
) -> pd.DataFrame:
    """Rolling-origin (expanding window) backtest of the projection methods on the observed history.

    For every origin year with at least `min_train` observations up to it, each method is fitted on the
    history up to the origin and forecasts the later observed years (up to `max_horizon` years ahead).
    Judge a projection for a target h years ahead by the errors at horizon h
    (``backtest_summary(detail, horizon=h)``), not by shorter horizons.

    Parameters
    ----------
    series : Series
        Values indexed by year. NaN counts as missing; missing years are never filled (methods needing
        consecutive years are not fitted at origins whose history has a gap).
    methods : sequence of str
        As in :func:`project`; ``ensemble`` is the equal-weight mean of the usable members at each origin.
    min_train : int
        Smallest training length (≥ 4).
    max_horizon : int, optional
        Largest forecast step in years; default: up to the last observed year.
    fit_start, fit_end : int, optional
        Restrict the history used to [fit_start, fit_end].
    level : float
        Unused (kept for compatibility); backtests compare point forecasts.

    Returns
    -------
    DataFrame
        ``method, origin, horizon, year, actual, forecast, ape, note`` with ``ape`` = |forecast − actual| /
        |actual| × 100 (%). ``forecast`` is NaN (with a ``note``) when the method could not be fitted at that
        origin; ``ape`` is NaN when the actual value is 0. Summarise with :func:`backtest_summary`.

    Raises
    ------
    ValueError
        When fewer than `min_train` + 1 observations are available (no origin to test).
    """
    if min_train < MIN_POINTS:
        raise ValueError(f"min_train must be at least {MIN_POINTS}, got {min_train}")
    s = series.dropna()
    s.index = s.index.astype("int64")
    s = s.sort_index()
    if fit_start is not None:
        s = s.loc[int(fit_start):]
    if fit_end is not None:
        s = s.loc[: int(fit_end)]
    if len(s) < min_train + 1:
        raise ValueError(
            f"backtest needs at least {min_train + 1} observed years (min_train={min_train} plus one to "
            f"forecast), got {len(s)}"
        )
    cols = ["method", "origin", "horizon", "year", "actual", "forecast", "ape", "note"]
    out = []
    for i in range(min_train - 1, len(s) - 1):
        origin = int(s.index[i])
        train = s.iloc[: i + 1]
        test = s.iloc[i + 1:]
        if max_horizon is not None:
            test = test.loc[: origin + int(max_horizon)]
        if test.empty:
            continue
        p = project(train, methods=methods, fit_start=None, fit_end=origin, horizon_end=int(test.index.max()),
                    level=level, weights="equal", intervals="none")
        p = p[p["year"].isin(test.index)]
        p = p.assign(origin=origin, horizon=p["year"] - origin, actual=test.reindex(p["year"]).to_numpy(),
                     forecast=p["value"])
        out.append(p)
    res = pd.concat(out, ignore_index=True) if out else pd.DataFrame(columns=cols)
    act = res["actual"].astype(float)
    res["ape"] = np.where(act != 0, (res["forecast"] - act).abs() / act.abs() * 100.0, np.nan)
    return res[cols].reset_index(drop=True)


def backtest_summary(detail: pd.DataFrame, by_horizon: bool = False, horizon: int | None = None,
                     min_n: int = MIN_BACKTEST_ORIGINS) -> pd.DataFrame:
    """MAPE per method (and optionally per horizon) from :func:`backtest` output.

    Parameters
    ----------
    detail : DataFrame
        Output of :func:`backtest`.
    by_horizon : bool
        One row per method and horizon.
    horizon : int, optional
        Only errors at this horizon (the target horizon of the projection being judged).
    min_n : int
        Fewest errors for a MAPE (default 3); with fewer, ``mape`` is NaN and ``note`` says so — a MAPE from
        one or two points is not evidence of accuracy.

    Returns
    -------
    DataFrame
        ``method, [horizon,] n, n_not_fitted, mape, note`` with ``mape`` in % (mean of the available APEs),
        sorted by ``mape`` (best first; methods without a MAPE last, with NaN). ``attrs['horizon']`` when
        `horizon` is given.
    """
    if horizon is not None:
        detail = detail[detail["horizon"] == int(horizon)]
    keys = ["method", "horizon"] if by_horizon else ["method"]
    g = detail.groupby(keys, sort=False)
    out = pd.DataFrame({
        "n": g["ape"].count(),
        "n_not_fitted": g["forecast"].apply(lambda x: int(x.isna().sum())),
        "mape": g["ape"].mean(),
    }).reset_index()
    few = out["n"] < int(min_n)
    out.loc[few, "mape"] = np.nan
    out["note"] = np.where(few, [f"{n} backtest error(s); need {int(min_n)} for a MAPE" for n in out["n"]], "")
    out = out.sort_values([*keys[1:], "mape"], na_position="last", kind="stable").reset_index(drop=True)
    if horizon is not None:
        out.attrs["horizon"] = int(horizon)
    return out


def mape_weights(summary: pd.DataFrame, exclude: Sequence[str] = ("ensemble",)) -> dict[str, float]:
    """Inverse-MAPE ensemble weights (summing to 1) from :func:`backtest_summary`.

    Methods with NaN MAPE get weight 0; a MAPE of 0 gets all the weight (shared among such methods).
    """
    s = summary[~summary["method"].isin(exclude)].set_index("method")["mape"].astype(float)
    s = s.dropna()
    if s.empty:
        raise ValueError("no method has a backtest MAPE; cannot derive weights")
    if (s == 0).any():
        w = (s == 0).astype(float)
    else:
        w = 1.0 / s
    return (w / w.sum()).to_dict()


__all__ = [
    "COVERAGE_FLOOR",
    "DEFAULT_METHODS",
    "GM_GRADES",
    "GM_MAX_DEVELOPMENT",
    "HOLT_MIN_POINTS",
    "INTERVAL_LEVEL",
    "METHODS",
    "MIN_BACKTEST_ORIGINS",
    "GreyModel",
    "backtest",
    "backtest_summary",
    "ensemble_weights",
    "exceed_probability",
    "feasible_bounds",
    "gm11",
    "interval_coverage",
    "interval_family",
    "interval_scale",
    "is_count",
    "load_calibration",
    "mape_weights",
    "poisson_ppf",
    "probability_calibrated",
    "project",
]
