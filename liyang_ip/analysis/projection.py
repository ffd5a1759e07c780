"""Projections of one indicator series: trend methods, GM(1,1), Holt's damped trend, an ensemble, backtests.

Every method takes a history indexed by calendar year and returns values in the series' own unit.

Methods (names used in ``methods=``)
------------------------------------
``cagr``
    Compound annual growth between the first and the last observed year of the fit window, continued.
    Needs both end points > 0. No interval.
``linear``
    OLS of value on year; prediction interval from the t distribution with n − 2 degrees of freedom.
``loglinear``
    OLS of ln(value) on year (constant growth rate); the log-scale prediction interval is transformed back,
    so the point forecast is the median (no smearing correction) and the interval is asymmetric.
    Needs all values > 0.
``holt``
    Holt's additive damped trend (statsmodels ``ETSModel``, additive errors, maximum likelihood); interval
    from the state-space model. With 5–6 points the interval is optimistic (parameters are treated as known).
    Needs consecutive years.
``gm11``
    Grey model GM(1,1) (Deng Julong; 刘思峰《灰色系统理论及其应用》) on the raw series. No statistical
    interval; the model checks (posterior variance ratio C, small-error probability P, grade) are on the
    object returned by :func:`gm11`. Needs consecutive years and values > 0.
``ensemble``
    Weighted mean of the members that could be fitted (equal weights unless given, e.g. from
    :func:`mape_weights`). Its interval treats each member as a normal distribution (sd from its interval,
    0 when it has none) and the ensemble as their mixture: variance = Σ wᵢ (sdᵢ² + (meanᵢ − mean)²), so the
    spread between methods widens the interval.

Missing data: years absent from the series (or NaN values) are never filled. Regression methods use the
years that are present; methods that need consecutive years (``holt``, ``gm11``) are skipped with a note
naming the missing years. Fewer than 4 observed points in the fit window is a ValueError.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._common import as_float_array, format_years, missing_years

METHODS = ("cagr", "linear", "loglinear", "holt", "gm11")
DEFAULT_METHODS = (*METHODS, "ensemble")
MIN_POINTS = 4

# Accuracy grades of the posterior-difference test (刘思峰《灰色系统理论及其应用》, 精度检验等级参照表):
# grade, label, max C, min P. The grade is the first row both criteria satisfy.
GM_GRADES = (
    (1, "good (一级 好)", 0.35, 0.95),
    (2, "qualified (二级 合格)", 0.50, 0.80),
    (3, "barely qualified (三级 勉强合格)", 0.65, 0.70),
)
GM_FAIL = (4, "unqualified (四级 不合格)")


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
        grade, label = None, "undefined (constant series)"
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


def _ols(t: np.ndarray, y: np.ndarray, t_new: np.ndarray, level: float):
    from scipy import stats

    n = len(t)
    tbar = t.mean()
    sxx = float(np.sum((t - tbar) ** 2))
    beta = float(np.sum((t - tbar) * (y - y.mean())) / sxx)
    alpha = float(y.mean() - beta * tbar)
    resid = y - (alpha + beta * t)
    s = float(np.sqrt(np.sum(resid**2) / (n - 2)))
    q = float(stats.t.ppf(0.5 + level / 2, n - 2))
    mean = alpha + beta * t_new
    half = q * s * np.sqrt(1 + 1 / n + (t_new - tbar) ** 2 / sxx)
    return mean, mean - half, mean + half


def _need_positive(y: np.ndarray, method: str) -> None:
    if np.any(y <= 0):
        raise ValueError(f"{method} needs values > 0 (it works on logarithms or ratios); got {y[y <= 0].tolist()}")


def _need_consecutive(t: np.ndarray, method: str) -> None:
    gaps = missing_years(t, t.min(), t.max())
    if gaps:
        raise ValueError(f"{method} needs consecutive years; missing {format_years(gaps)} (not filled)")


def _fit_forecast(method: str, t: np.ndarray, y: np.ndarray, t_new: np.ndarray, level: float):
    """(mean, lower, upper) arrays for years `t_new` from history (t, y); ValueError when not applicable."""
    nan = np.full(len(t_new), np.nan)
    steps = t_new - t[-1]
    if method == "cagr":
        _need_positive(np.array([y[0], y[-1]]), "cagr")
        g = (y[-1] / y[0]) ** (1.0 / (t[-1] - t[0])) - 1.0
        return y[-1] * (1.0 + g) ** steps, nan, nan.copy()
    if method == "linear":
        return _ols(t, y, t_new, level)
    if method == "loglinear":
        _need_positive(y, "loglinear")
        m, lo, hi = _ols(t, np.log(y), t_new, level)
        return np.exp(m), np.exp(lo), np.exp(hi)
    if method == "gm11":
        _need_consecutive(t, "gm11")
        model = gm11(y)
        return model.restored(len(y) + steps), nan, nan.copy()
    if method == "holt":
        _need_consecutive(t, "holt")
        return _holt(y, int(steps.max()), level, steps)
    raise ValueError(f"unknown projection method {method!r}; valid: {', '.join(DEFAULT_METHODS)}")


def _holt(y: np.ndarray, h: int, level: float, steps: np.ndarray):
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    if np.ptp(y) == 0:
        # The likelihood is degenerate for a constant series (zero residual variance): the damped-trend
        # forecast of a constant is that constant, with no uncertainty.
        v = np.full(len(steps), y[-1])
        return v, v.copy(), v.copy()
    try:
        with warnings.catch_warnings():
            # short series routinely trigger convergence warnings; the backtest reports how well it did
            warnings.simplefilter("ignore")
            res = ETSModel(pd.Series(y), error="add", trend="add", damped_trend=True).fit(disp=False)
            frame = res.get_prediction(start=len(y), end=len(y) + h - 1).summary_frame(alpha=1 - level)
    except (ValueError, ArithmeticError, np.linalg.LinAlgError) as err:
        raise ValueError(f"holt: statsmodels could not fit the damped trend ({err})") from err
    idx = steps.astype(int) - 1
    return (frame["mean"].to_numpy()[idx], frame["pi_lower"].to_numpy()[idx], frame["pi_upper"].to_numpy()[idx])


def _ensemble(rows: pd.DataFrame, years: np.ndarray, level: float, weights: Mapping[str, float] | None):
    """Mixture of the member rows (method, year, value, lower, upper) for each year."""
    z = _z(level)
    out = []
    for yr in years:
        m = rows[(rows["year"] == yr) & rows["value"].notna()]
        if m.empty:
            out.append((yr, np.nan, np.nan, np.nan, "no member could be fitted"))
            continue
        w = np.array([1.0 if weights is None else float(weights.get(k, 0.0)) for k in m["method"]])
        if w.sum() <= 0:
            out.append((yr, np.nan, np.nan, np.nan, "all member weights are zero"))
            continue
        w = w / w.sum()
        mu = m["value"].to_numpy(float)
        sd = ((m["upper"] - m["lower"]) / (2 * z)).fillna(0.0).to_numpy(float)
        mean = float(np.sum(w * mu))
        var = float(np.sum(w * (sd**2 + (mu - mean) ** 2)))
        members = ", ".join(f"{k} {wi:.2f}" for k, wi in zip(m["method"], w, strict=True) if wi > 0)
        out.append((yr, mean, mean - z * np.sqrt(var), mean + z * np.sqrt(var), f"members: {members}"))
    return pd.DataFrame(out, columns=["year", "value", "lower", "upper", "note"]).assign(method="ensemble")


# ------------------------------------------------------------------------------------------ public API
def _prepare(series: pd.Series, fit_start, fit_end) -> tuple[np.ndarray, np.ndarray, list[int]]:
    if not isinstance(series, pd.Series):
        raise TypeError("series must be a pandas Series indexed by year (e.g. ds.panel(code)[region])")
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


def project(
    series: pd.Series,
    methods: Sequence[str] = DEFAULT_METHODS,
    fit_start: int | None = 2015,
    fit_end: int | None = 2020,
    horizon_end: int = 2025,
    level: float = 0.9,
    weights: Mapping[str, float] | None = None,
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
        Coverage of the prediction intervals (0.9 = 5 %–95 %).
    weights : mapping method → weight, optional
        Ensemble weights (normalised over the members that could be fitted); default equal.

    Returns
    -------
    DataFrame
        Columns ``method, year, value, lower, upper, note``, one row per method and projected year.
        ``lower``/``upper`` are NaN for methods without an interval. A method that does not apply (e.g.
        log methods on zeros, gm11/holt over a gap) has NaN values and the reason in ``note``. Missing years
        inside the fit window are named in every row's note.

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
    t, y, gaps = _prepare(series, fit_start, fit_end)
    last = int(t[-1]) if fit_end is None else int(fit_end)
    if horizon_end <= last:
        raise ValueError(f"horizon_end ({horizon_end}) must be after the end of the fit window ({last})")
    years = np.arange(last + 1, int(horizon_end) + 1)
    gap_note = f"missing in fit window: {format_years(gaps)}" if gaps else ""

    rows = []
    for m in methods:
        if m == "ensemble":
            continue
        try:
            mean, lo, hi = _fit_forecast(m, t, y, years.astype(float), level)
            note = ""
        except ValueError as err:
            mean = lo = hi = np.full(len(years), np.nan)
            note = f"not fitted: {err}"
        rows.append(pd.DataFrame({"method": m, "year": years, "value": mean, "lower": lo, "upper": hi,
                                  "note": note}))
    cols = ["method", "year", "value", "lower", "upper", "note"]
    out = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=cols)
    if "ensemble" in methods:
        out = pd.concat([out, _ensemble(out, years, level, weights)[cols]], ignore_index=True)
    if gap_note:
        out["note"] = [f"{n}; {gap_note}" if n else gap_note for n in out["note"]]
    out["year"] = out["year"].astype("int64")
    return out[cols]


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

    Parameters
    ----------
    series : Series
        Values indexed by year. NaN counts as missing; missing years are never filled (methods needing
        consecutive years are not fitted at origins whose history has a gap).
    methods : sequence of str
        As in :func:`project`; ``ensemble`` is the equal-weight mixture at each origin.
    min_train : int
        Smallest training length (≥ 4).
    max_horizon : int, optional
        Largest forecast step in years; default: up to the last observed year.
    fit_start, fit_end : int, optional
        Restrict the history used to [fit_start, fit_end].

    Returns
    -------
    DataFrame
        ``method, origin, horizon, year, actual, forecast, ape`` with ``ape`` = |forecast − actual| / |actual|
        × 100 (%). ``forecast`` is NaN (with a ``note``) when the method could not be fitted at that origin;
        ``ape`` is NaN when the actual value is 0. Summarise with :func:`backtest_summary`.

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
                    level=level)
        p = p[p["year"].isin(test.index)]
        p = p.assign(origin=origin, horizon=p["year"] - origin, actual=test.reindex(p["year"]).to_numpy(),
                     forecast=p["value"])
        out.append(p)
    res = pd.concat(out, ignore_index=True) if out else pd.DataFrame(columns=cols)
    act = res["actual"].astype(float)
    res["ape"] = np.where(act != 0, (res["forecast"] - act).abs() / act.abs() * 100.0, np.nan)
    return res[cols].reset_index(drop=True)


def backtest_summary(detail: pd.DataFrame, by_horizon: bool = False) -> pd.DataFrame:
    """MAPE per method (and optionally per horizon) from :func:`backtest` output.

    Returns
    -------
    DataFrame
        ``method, [horizon,] n, n_not_fitted, mape`` with ``mape`` in % (mean of the available APEs),
        sorted by ``mape`` (best first; methods never fitted last, with NaN).
    """
    keys = ["method", "horizon"] if by_horizon else ["method"]
    g = detail.groupby(keys, sort=False)
    out = pd.DataFrame({
        "n": g["ape"].count(),
        "n_not_fitted": g["forecast"].apply(lambda x: int(x.isna().sum())),
        "mape": g["ape"].mean(),
    }).reset_index()
    return out.sort_values([*keys[1:], "mape"], na_position="last", kind="stable").reset_index(drop=True)


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
    "DEFAULT_METHODS",
    "GM_GRADES",
    "METHODS",
    "GreyModel",
    "backtest",
    "backtest_summary",
    "gm11",
    "mape_weights",
    "project",
]
