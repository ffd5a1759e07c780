"""Composite index over a chosen indicator set: entropy-weight TOPSIS, min-max pillar scores, rank uncertainty.

All functions take an *indicator matrix*: a DataFrame with one row per region (index) and one column per
indicator code (see :func:`indicator_matrix`). Polarity (+1 higher is better, −1 lower is better) comes from
an explicit mapping or the catalogue.

Normalisations (``normalisation=``)
-----------------------------------
``vector``  rᵢⱼ = xᵢⱼ / √(Σᵢ xᵢⱼ²) (Hwang & Yoon's TOPSIS; scale-invariant). Cost indicators are negated
            after normalising, so that higher is better for every column.
``minmax``  rᵢⱼ = (xᵢⱼ − minⱼ) / (maxⱼ − minⱼ), or (maxⱼ − xᵢⱼ) / (maxⱼ − minⱼ) for cost indicators;
            in [0, 1], invariant to rescaling and shifting.
``zscore``  rᵢⱼ = polarity · (xᵢⱼ − meanⱼ) / sdⱼ (population sd).

Entropy weights (熵值法) use the min-max normalisation, then pᵢⱼ = rᵢⱼ / Σᵢ rᵢⱼ,
eⱼ = −(1/ln m) Σᵢ pᵢⱼ ln pᵢⱼ (with 0·ln 0 = 0), dⱼ = 1 − eⱼ and wⱼ = dⱼ / Σⱼ dⱼ (m = number of regions).
No small constant is added to zeros.

TOPSIS: weighted normalised matrix vᵢⱼ = wⱼ rᵢⱼ; positive ideal = column maxima, negative ideal = column
minima; closeness Cᵢ = D⁻ᵢ / (D⁺ᵢ + D⁻ᵢ) with Euclidean distances, in [0, 1]; a region best on every
indicator scores 1.

What goes into the index, and how robust the ranks are (issue 14)
----------------------------------------------------------------
* Default indicator set: intensive indicators only (:func:`intensive_indicators`: per-resident or per-firm
  ratios, shares and scores, i.e. catalogue kind ``ratio``, outside the ``context`` pillar). Counts mostly
  measure a block's size; they enter only on request (``include_counts=True``).
* A survey score whose spread across the regions is below its catalogue ``measurement_error`` is a tie
  (:func:`apply_ties`): the regions cannot be told apart, so the indicator is left out rather than stretched
  to 0–100 (and rather than taking the largest entropy weight).
* :func:`rank_robustness` is the uncertainty analysis of the JRC audits of the Global Innovation Index:
  every combination of weights (entropy, equal, equal by pillar, random Dirichlet draws), normalisation
  (min-max, z-score, rank, distance to the parent average), aggregation (arithmetic; geometric where the
  normalised values are positive) and leave-one-indicator-out. The headline is the median rank with its
  90 % interval, beside the best and worst rank over the variants.

Missing and degenerate data
---------------------------
* A missing cell (NaN) is a ValueError naming the region and indicator: TOPSIS and entropy weights have no
  accepted treatment of gaps, and filling would invent data. Choose an indicator set or year without gaps
  (``composite_scores(..., missing='drop_indicators')`` drops incomplete indicators and reports them).
* An indicator on which all regions are equal carries no information: it gets entropy weight 0 and is left
  out of TOPSIS, min-max scores and the Monte Carlo (listed in ``attrs['constant']``). If every indicator is
  constant ("all blocks equal") the index is undefined: ValueError.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd

from ._common import (
    block_names,
    check_obs,
    city_name,
    get_region_set,
    indicators_in,
    pillar_map,
    polarity_map,
)

NORMALISATIONS = ("vector", "minmax", "zscore")
AGGREGATIONS = ("topsis", "mean")

# The robustness analysis (rank_robustness): its variants, in one place.
ROBUST_WEIGHTS = ("entropy", "equal", "pillar", "random")
ROBUST_NORMALISATIONS = ("minmax", "zscore", "rank", "distance")
ROBUST_AGGREGATIONS = ("arithmetic", "geometric")
GEOMETRIC_NORMALISATIONS = ("minmax", "rank")  # positive after normalisation (min-max on [1, 100], ranks 1…m)


# ------------------------------------------------------------------------------------------- helpers
def _check_matrix(matrix: pd.DataFrame, min_rows: int = 2) -> pd.DataFrame:
    if not isinstance(matrix, pd.DataFrame):
        raise TypeError("matrix must be a DataFrame: one row per region, one column per indicator")
    if matrix.shape[0] < min_rows:
        raise ValueError(f"need at least {min_rows} regions (rows) to compare, got {matrix.shape[0]}")
    if matrix.shape[1] < 1:
        raise ValueError("need at least one indicator (column)")
    m = matrix.astype(float)
    if m.isna().any().any():
        cells = [f"{r}/{c}" for c in m.columns for r in m.index[m[c].isna()]]
        raise ValueError(
            f"missing values (region/indicator): {', '.join(cells)}; choose indicators or a year without gaps "
            "(missing values are not filled)"
        )
    return m


def _split_constant(m: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    const = [c for c in m.columns if np.ptp(m[c].to_numpy()) == 0]
    if len(const) == m.shape[1]:
        raise ValueError(
            "all regions are equal on every indicator (" + ", ".join(map(str, const)) + "); "
            "a composite index cannot discriminate between them"
        )
    return m.drop(columns=const), const


def normalise(matrix: pd.DataFrame, polarity: Mapping[str, int] | None = None,
              method: str = "minmax") -> pd.DataFrame:
    """Normalise each indicator column so that higher is better (see the module docstring).

    Constant columns give NaN for ``minmax`` and ``zscore`` (division by zero); drop them first.
    """
    m = _check_matrix(matrix, min_rows=1)
    pol = pd.Series(polarity_map(m.columns, polarity), dtype=float)
    if method == "vector":
        norm = np.sqrt((m**2).sum())
        return m / norm.where(norm != 0) * pol
    if method == "minmax":
        lo, hi = m.min(), m.max()
        rng = (hi - lo).where(hi != lo)
        up = (m - lo) / rng
        cost = list(pol.index[pol < 0])
        up[cost] = 1.0 - up[cost]
        return up
    if method == "zscore":
        sd = m.std(ddof=0)
        return (m - m.mean()) / sd.where(sd != 0) * pol
    raise ValueError(f"unknown normalisation {method!r}; valid: {', '.join(NORMALISATIONS)}")


def _rank(scores: pd.Series) -> pd.Series:
    return scores.rank(ascending=False, method="min").astype("int64")


# ------------------------------------------------------------------------------------ entropy/TOPSIS
def entropy_weights(matrix: pd.DataFrame, polarity: Mapping[str, int] | None = None) -> pd.Series:
    """Entropy weights of the indicators (columns), summing to 1.

    Parameters
    ----------
    matrix : DataFrame
        Regions × indicators, no missing values, at least 2 regions.
    polarity : mapping code → ±1, optional
        Default from the catalogue.

    Returns
    -------
    Series
        Weight per indicator (index = columns of `matrix`); constant indicators get 0.

    Raises
    ------
    ValueError
        Missing cells, fewer than 2 regions, or all indicators constant.
    """
    m = _check_matrix(matrix)
    _, const = _split_constant(m)
    r = normalise(m, polarity, "minmax").fillna(0.0)
    p = r / r.sum().where(r.sum() != 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        plogp = (p * np.log(p)).where(p > 0, 0.0)
    e = -plogp.sum() / np.log(m.shape[0])
    d = (1.0 - e)
    d[const] = 0.0
    w = d / d.sum()
    w.name = "weight"
    return w


def topsis(
    matrix: pd.DataFrame,
    weights: Mapping[str, float] | pd.Series | None = None,
    polarity: Mapping[str, int] | None = None,
    normalisation: str = "vector",
) -> pd.DataFrame:
    """TOPSIS closeness of each region to the ideal.

    Parameters
    ----------
    matrix : DataFrame
        Regions × indicators, no missing values.
    weights : mapping or Series, optional
        Indicator weights (normalised to sum 1 over the non-constant indicators); default equal.
    polarity : mapping, optional
        Default from the catalogue.
    normalisation : {'vector', 'minmax', 'zscore'}
        Default ``vector`` (classic TOPSIS).

    Returns
    -------
    DataFrame
        Index region; columns ``d_plus, d_minus, closeness, rank`` (closeness in [0, 1], rank 1 = best).
        ``attrs['constant']`` lists indicators left out because all regions are equal on them.
    """
    m = _check_matrix(matrix)
    pol = polarity_map(m.columns, polarity)
    m, const = _split_constant(m)
    w = pd.Series(1.0, index=m.columns) if weights is None else pd.Series(weights, dtype=float).reindex(m.columns)
    if w.isna().any():
        raise ValueError(f"no weight given for indicator(s) {list(w.index[w.isna()])}")
    if (w < 0).any() or w.sum() <= 0:
        raise ValueError(f"weights must be >= 0 with a positive sum, got {w.to_dict()}")
    w = w / w.sum()
    v = normalise(m, pol, normalisation) * w
    d_plus = np.sqrt(((v - v.max()) ** 2).sum(axis=1))
    d_minus = np.sqrt(((v - v.min()) ** 2).sum(axis=1))
    tot = d_plus + d_minus
    if (tot == 0).any():
        raise ValueError("all regions are equal on every weighted indicator; TOPSIS closeness is undefined")
    out = pd.DataFrame({"d_plus": d_plus, "d_minus": d_minus, "closeness": d_minus / tot})
    out["rank"] = _rank(out["closeness"])
    out.index.name = matrix.index.name or "region"
    out.attrs["constant"] = const
    return out


class EntropyTopsis(NamedTuple):
    """Result of :func:`entropy_topsis`: ``scores`` (per region) and ``weights`` (per indicator)."""

    scores: pd.DataFrame
    weights: pd.Series


def entropy_topsis(matrix: pd.DataFrame, polarity: Mapping[str, int] | None = None,
                   normalisation: str = "vector") -> EntropyTopsis:
    """Entropy-weight TOPSIS (熵权TOPSIS): :func:`entropy_weights` then :func:`topsis`.

    Returns
    -------
    EntropyTopsis
        ``scores``: index region, ``d_plus, d_minus, closeness, rank``; ``weights``: Series per indicator.
    """
    w = entropy_weights(matrix, polarity)
    return EntropyTopsis(topsis(matrix, w, polarity, normalisation), w)


# ------------------------------------------------------------------------------------ min-max 0–100
def minmax_scores(
    matrix: pd.DataFrame,
    polarity: Mapping[str, int] | None = None,
    pillars: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """GII/RIS-style scores: each indicator min-max scaled to 0–100 (100 = best), averaged by pillar.

    Parameters
    ----------
    matrix : DataFrame
        Regions × indicators, no missing values.
    pillars : mapping code → pillar, optional
        Default from the catalogue.

    Returns
    -------
    DataFrame
        Index region; one column per pillar (mean of its indicators' 0–100 scores), ``overall`` (mean of the
        pillar scores: every pillar weighs the same, whatever its number of indicators) and ``rank``.
        Constant indicators are left out (``attrs['constant']``); a pillar with only constant indicators
        is NaN and left out of ``overall``.
    """
    m = _check_matrix(matrix)
    pol = polarity_map(m.columns, polarity)
    varying, const = _split_constant(m)
    pil = pillar_map(m.columns, pillars)
    s = normalise(varying, pol, "minmax") * 100.0
    order = list(dict.fromkeys(pil[c] for c in m.columns))
    out = pd.DataFrame(index=m.index)
    for p in order:
        cols = [c for c in s.columns if pil[c] == p]
        out[p] = s[cols].mean(axis=1) if cols else np.nan
    out["overall"] = out[order].mean(axis=1, skipna=True)
    out["rank"] = _rank(out["overall"])
    out.index.name = matrix.index.name or "region"
    out.attrs["constant"] = const
    return out


# ------------------------------------------------------------------------------------- from the table
def indicator_matrix(
    obs: pd.DataFrame,
    year: int,
    regions: Iterable[str] | None = None,
    indicators: Iterable[str] | None = None,
    region_set=None,
) -> pd.DataFrame:
    """Regions × indicators for one year from the tidy table (NaN where a row is missing).

    Parameters
    ----------
    regions : iterable of str, optional
        Default the members of `region_set` (a RegionSet, bundled name or path; default set if None), in
        set order.
    indicators : iterable of str, optional
        Default every indicator present that year.
    """
    check_obs(obs)
    group = list(regions) if regions is not None else block_names(region_set, obs)
    sel = obs[(obs["year"] == int(year)) & obs["region"].isin(group)]
    codes = indicators_in(sel, indicators)
    wide = sel[sel["indicator"].isin(codes)].pivot(index="region", columns="indicator", values="value")
    out = wide.reindex(index=pd.Index(group, name="region"), columns=codes).astype(float)
    out.columns.name = "indicator"
    return out


def composite_scores(
    obs: pd.DataFrame,
    year: int,
    regions: Iterable[str] | None = None,
    indicators: Iterable[str] | None = None,
    polarity: Mapping[str, int] | None = None,
    pillars: Mapping[str, str] | None = None,
    normalisation: str = "vector",
    missing: str = "raise",
    include_counts: bool = False,
    measurement_error: Mapping[str, float] | None = None,
    region_set=None,
) -> pd.DataFrame:
    """Both composite indices for one year, side by side (intensive indicators only unless asked).

    Parameters
    ----------
    obs : DataFrame
        Tidy observation table.
    year : int
    regions, indicators, region_set : optional
        As in :func:`indicator_matrix`.
    polarity, pillars : mapping, optional
        Default from the catalogue.
    normalisation : str
        TOPSIS normalisation (entropy weights always use min-max).
    missing : {'raise', 'drop_indicators'}
        What to do with indicators that lack a value for some region: raise a ValueError naming them, or
        drop those indicators (listed in ``attrs['dropped']``).
    include_counts : bool
        Keep counts, amounts and context figures (default False: :func:`intensive_indicators` only; the
        others are listed in ``attrs['excluded']``).
    measurement_error : mapping, optional
        For :func:`apply_ties` (default the catalogue's): tied indicators are left out like constant ones.

    Returns
    -------
    DataFrame
        Index region; ``topsis`` (closeness 0–1), ``topsis_rank``, one column per pillar (0–100),
        ``minmax`` (overall 0–100), ``minmax_rank``. ``attrs``: ``weights`` (entropy weight per
        indicator), ``dropped``, ``constant``, ``excluded``, ``ties`` ({code: (spread, error)}).
        For the headline rank and its uncertainty use :func:`composite_robustness`.
    """
    m = indicator_matrix(obs, year, regions, indicators, region_set)
    keep = list(m.columns) if include_counts else intensive_indicators(m.columns)
    excluded = [c for c in m.columns if c not in keep]
    m = m.drop(columns=excluded)
    if m.shape[1] == 0:
        raise ValueError(f"no intensive indicator among {excluded}; pass include_counts=True to use counts")
    dropped: list[str] = []
    if missing == "drop_indicators":
        dropped = [c for c in m.columns if m[c].isna().any()]
        m = m.drop(columns=dropped)
        if m.shape[1] == 0:
            raise ValueError(f"every indicator has a missing region in {year}: {dropped}")
    elif missing != "raise":
        raise ValueError(f"missing must be 'raise' or 'drop_indicators', got {missing!r}")
    if not m.isna().any().any():
        m, ties = apply_ties(m, measurement_error)
    else:
        ties = {}
    et = entropy_topsis(m, polarity, normalisation)
    mm = minmax_scores(m, polarity, pillars)
    out = pd.DataFrame({"topsis": et.scores["closeness"], "topsis_rank": et.scores["rank"]})
    out = out.join(mm.drop(columns=["overall", "rank"])).assign(minmax=mm["overall"], minmax_rank=mm["rank"])
    out.attrs = {"weights": et.weights.to_dict(), "dropped": dropped, "constant": mm.attrs["constant"],
                 "year": int(year), "excluded": excluded, "ties": ties,
                 "region_set": get_region_set(region_set, obs).spec}
    return out


# ------------------------------------------------------------------------------------- uncertainty
def rank_uncertainty(
    matrix: pd.DataFrame,
    polarity: Mapping[str, int] | None = None,
    weights: str | Mapping[str, float] = "entropy",
    n: int = 1000,
    seed: int = 0,
    weight_spread: float = 0.5,
    normalisations: Sequence[str] = NORMALISATIONS,
    aggregations: Sequence[str] = AGGREGATIONS,
    level: float = 0.9,
) -> pd.DataFrame:
    """Monte Carlo rank uncertainty, in the manner of the JRC statistical audit of the Global Innovation Index.

    Each of `n` draws (i) multiplies every nominal indicator weight by an independent factor
    U[1 − weight_spread, 1 + weight_spread] and renormalises, (ii) picks a normalisation from
    `normalisations` and (iii) an aggregation from `aggregations` (``topsis`` closeness, or ``mean``: the
    weighted arithmetic mean of the normalised values), each uniformly, and ranks the regions.

    Parameters
    ----------
    matrix : DataFrame
        Regions × indicators, no missing values.
    weights : 'entropy', 'equal' or mapping code → weight
        Nominal weights.
    n : int
        Number of draws (use ≥ 1000 for reporting; tests use fewer).
    seed : int
        Seed of numpy's default generator; the same seed gives the same result.
    weight_spread : float in [0, 1)
        Half-width of the relative weight perturbation (0.5 → ±50 %).
    level : float
        Coverage of the reported rank interval (0.9 → 5th and 95th percentiles).

    Returns
    -------
    DataFrame
        Index region; ``nominal_rank`` (nominal weights, first normalisation, first aggregation: by default
        entropy-weight TOPSIS with vector normalisation), ``median_rank``, ``rank_lo``, ``rank_hi`` (the
        interval's percentiles, taken as observed ranks), ``mean_rank``, ``p_first`` (share of draws ranked
        first), ``shift`` (|median − nominal|).
    """
    m = _check_matrix(matrix)
    pol = polarity_map(m.columns, polarity)
    m, const = _split_constant(m)
    if n < 1:
        raise ValueError(f"n must be >= 1, got {n}")
    if not 0 <= weight_spread < 1:
        raise ValueError(f"weight_spread must be in [0, 1), got {weight_spread}")
    for name, given, valid in (("normalisation", normalisations, NORMALISATIONS),
                               ("aggregation", aggregations, AGGREGATIONS)):
        bad = [g for g in given if g not in valid]
        if bad or not given:
            raise ValueError(f"unknown or empty {name}s {list(given)}; valid: {', '.join(valid)}")
    if isinstance(weights, str):
        if weights == "entropy":
            w0 = entropy_weights(m, pol)
        elif weights == "equal":
            w0 = pd.Series(1.0 / m.shape[1], index=m.columns)
        else:
            raise ValueError(f"weights must be 'entropy', 'equal' or a mapping, got {weights!r}")
    else:
        w0 = pd.Series(weights, dtype=float).reindex(m.columns)
        if w0.isna().any():
            raise ValueError(f"no weight given for indicator(s) {list(w0.index[w0.isna()])}")
        w0 = w0 / w0.sum()
    w0 = w0.to_numpy(float)
    normed = {k: normalise(m, pol, k).to_numpy(float) for k in normalisations}

    def scores(r: np.ndarray, w: np.ndarray, agg: str) -> np.ndarray:
        v = r * w
        if agg == "mean":
            return v.sum(axis=1)
        dp = np.sqrt(((v - v.max(axis=0)) ** 2).sum(axis=1))
        dm = np.sqrt(((v - v.min(axis=0)) ** 2).sum(axis=1))
        tot = dp + dm
        return np.divide(dm, tot, out=np.full_like(dm, 0.5), where=tot > 0)

    def ranks(s: np.ndarray) -> np.ndarray:
        # rank 1 = best, ties share the better rank; differences below rounding noise count as ties
        tol = 1e-12 * max(1.0, float(np.abs(s).max()))
        return 1 + (s[None, :] > s[:, None] + tol).sum(axis=1)

    rng = np.random.default_rng(seed)
    draws = np.empty((n, m.shape[0]))
    for i in range(n):
        w = w0 * rng.uniform(1 - weight_spread, 1 + weight_spread, size=len(w0))
        w = w / w.sum()
        k = normalisations[rng.integers(len(normalisations))]
        a = aggregations[rng.integers(len(aggregations))]
        draws[i] = ranks(scores(normed[k], w, a))
    nominal = ranks(scores(normed[normalisations[0]], w0 / w0.sum(), aggregations[0]))
    q = (1 - level) / 2
    out = pd.DataFrame({
        "nominal_rank": nominal.astype(int),
        "median_rank": np.median(draws, axis=0),
        "rank_lo": np.quantile(draws, q, axis=0, method="inverted_cdf").astype(int),
        "rank_hi": np.quantile(draws, 1 - q, axis=0, method="inverted_cdf").astype(int),
        "mean_rank": draws.mean(axis=0),
        "p_first": (draws == 1).mean(axis=0),
    }, index=m.index)
    out["shift"] = (out["median_rank"] - out["nominal_rank"]).abs()
    out.index.name = matrix.index.name or "region"
    out.attrs = {"n": n, "seed": seed, "constant": const, "level": level}
    return out


# ------------------------------------------------------------------------ intensive set, ties, robustness
def intensive_indicators(codes: Iterable[str]) -> list[str]:
    """The codes that compare blocks of different size fairly: catalogue kind ``ratio`` (per 10k residents,
    per firm, shares, survey scores) outside the ``context`` pillar. Codes not in the catalogue are kept
    (their nature is unknown; pass them only if they are intensive)."""
    from liyang_ip import registry

    cat = registry.indicators()
    return [c for c in codes if c not in cat or (cat[c].kind == "ratio" and cat[c].pillar != "context")]


def measurement_errors(codes: Iterable[str]) -> dict[str, float]:
    """``measurement_error`` of the catalogue indicators that state one (survey scores)."""
    from liyang_ip import registry

    cat = registry.indicators()
    return {c: float(cat[c].measurement_error) for c in codes
            if c in cat and cat[c].measurement_error is not None}


def apply_ties(matrix: pd.DataFrame, measurement_error: Mapping[str, float] | None = None
               ) -> tuple[pd.DataFrame, dict[str, tuple[float, float]]]:
    """Treat as tied (set to the column mean) every indicator whose spread max − min across the regions is
    below its measurement error.

    Parameters
    ----------
    matrix : DataFrame
        Regions × indicators.
    measurement_error : mapping code → error, optional
        In the indicator's unit; default from the catalogue (:func:`measurement_errors`).

    Returns
    -------
    (DataFrame, dict)
        A new matrix (tied columns constant, so they carry no weight and are left out like any constant
        indicator) and ``{code: (spread, measurement_error)}`` for the tied columns.
    """
    err = measurement_errors(matrix.columns) if measurement_error is None else dict(measurement_error)
    out = matrix.copy()
    ties = {}
    for c, e in err.items():
        if c in out.columns and out[c].notna().all():
            spread = float(out[c].max() - out[c].min())
            if spread < e:
                out[c] = float(out[c].mean())
                ties[c] = (spread, float(e))
    return out, ties


def _robust_normalise(m: np.ndarray, pol: np.ndarray, method: str, ref: np.ndarray | None) -> np.ndarray:
    """Regions × indicators → higher is better, per the robustness normalisations (columns vary)."""
    x = m * pol  # cost indicators negated: higher is better everywhere
    if method == "minmax":
        lo, hi = x.min(axis=0), x.max(axis=0)
        return 1.0 + 99.0 * (x - lo) / (hi - lo)  # on [1, 100] so the geometric mean is defined
    if method == "zscore":
        return (x - x.mean(axis=0)) / x.std(axis=0)
    if method == "rank":
        return pd.DataFrame(x).rank(method="average").to_numpy()  # 1 … m, m = best
    if method == "distance":
        return pol * (m - ref) / np.abs(ref)  # relative distance to the parent average, signed by polarity
    raise ValueError(f"unknown normalisation {method!r}; valid: {', '.join(ROBUST_NORMALISATIONS)}")


def _ranks(scores: np.ndarray) -> np.ndarray:
    tol = 1e-9 * max(1.0, float(np.nanmax(np.abs(scores))))
    return 1 + (scores[None, :] > scores[:, None] + tol).sum(axis=1)


def _weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    """Inverted-CDF quantile of `values` with sample `weights` (an observed value is returned)."""
    order = np.argsort(values, kind="stable")
    v, w = values[order], weights[order]
    cdf = np.cumsum(w) / w.sum()
    return float(v[min(np.searchsorted(cdf, q - 1e-12), len(v) - 1)])


def rank_robustness(
    matrix: pd.DataFrame,
    polarity: Mapping[str, int] | None = None,
    pillars: Mapping[str, str] | None = None,
    reference: Mapping[str, float] | pd.Series | None = None,
    measurement_error: Mapping[str, float] | None = None,
    n_random: int = 200,
    seed: int = 0,
    level: float = 0.9,
    weights: Sequence[str] = ROBUST_WEIGHTS,
    normalisations: Sequence[str] = ROBUST_NORMALISATIONS,
    aggregations: Sequence[str] = ROBUST_AGGREGATIONS,
    leave_one_out: bool = True,
) -> pd.DataFrame:
    """Ranks over the variants of a composite index (JRC/GII-style uncertainty analysis).

    Variants: every indicator set (all, and each one left out when there are at least 3), normalisation,
    aggregation (geometric only after ``minmax`` on [1, 100] or ``rank``, where values are positive) and
    weighting. Weightings: ``entropy`` (:func:`entropy_weights`), ``equal`` (each indicator), ``pillar``
    (each pillar equal, shared by its indicators) and ``random`` (`n_random` Dirichlet(1, …, 1) draws, which
    together count as one weighting). Every indicator set and every normalisation–aggregation pair counts
    the same; the rank distribution is the weighted distribution over all variants.

    Parameters
    ----------
    matrix : DataFrame
        Regions × indicators, no missing values.
    polarity, pillars : mapping, optional
        Default from the catalogue.
    reference : mapping or Series code → value, optional
        Parent average for the ``distance`` normalisation (the region set's parent value); default the mean of the
        regions. An indicator whose reference is 0 or missing uses the mean of the regions.
    measurement_error : mapping, optional
        For :func:`apply_ties` (default the catalogue's).
    n_random, seed : int
        Random weight draws and the seed of numpy's default generator (same seed, same result).
    level : float
        Coverage of the rank interval (0.9 → 5th and 95th percentiles, as observed ranks).

    Returns
    -------
    DataFrame
        Index region; ``median_rank``, ``rank_lo``, ``rank_hi`` (the `level` interval), ``best_rank``,
        ``worst_rank`` (over all variants), ``spread`` (worst − best), ``nominal_rank`` (equal weights,
        min-max, arithmetic mean: the GII's own construction), ``p_first`` (weighted share of variants
        ranking the region first). ``attrs``: ``n_variants``, ``indicators`` (used), ``ties``, ``constant``,
        ``level``, ``seed``, ``variants`` (DataFrame: one row per variant, its description and the rank of
        every region).

    Raises
    ------
    ValueError
        Missing cells, fewer than 2 regions, or no indicator that varies after ties.
    """
    m = _check_matrix(matrix)
    pol_map = polarity_map(m.columns, polarity)
    pil_map = pillar_map(m.columns, pillars)
    m, ties = apply_ties(m, measurement_error)
    if all(np.ptp(m[c].to_numpy()) == 0 for c in m.columns):
        raise ValueError(
            "no indicator separates the regions (all constant or within their measurement error: "
            + ", ".join(map(str, m.columns)) + "); a composite rank would be noise"
        )
    m, const = _split_constant(m)
    for name, given, valid in (("weight", weights, ROBUST_WEIGHTS), ("normalisation", normalisations,
                               ROBUST_NORMALISATIONS), ("aggregation", aggregations, ROBUST_AGGREGATIONS)):
        bad = [g for g in given if g not in valid]
        if bad or not given:
            raise ValueError(f"unknown or empty {name}s {list(given)}; valid: {', '.join(valid)}")
    if n_random < 1 and "random" in weights:
        raise ValueError(f"n_random must be >= 1, got {n_random}")
    codes = list(m.columns)
    ref_all = m.mean()
    if reference is not None:
        ref_given = pd.Series(reference, dtype=float).reindex(codes)
        ref_all = ref_given.where(ref_given.notna() & (ref_given != 0), ref_all)
    rng = np.random.default_rng(seed)
    sets = [codes] + ([[c for c in codes if c != d] for d in codes] if leave_one_out and len(codes) >= 3 else [])
    combos = [(n, a) for n in normalisations for a in aggregations if a == "arithmetic" or n in GEOMETRIC_NORMALISATIONS]
    rows, ranks_list, wts = [], [], []
    for subset in sets:
        sub = m[subset]
        x = sub.to_numpy(float)
        pol = np.array([pol_map[c] for c in subset], dtype=float)
        ref = ref_all[subset].to_numpy(float)
        schemes: list[tuple[str, np.ndarray, float]] = []
        if "entropy" in weights:
            schemes.append(("entropy", entropy_weights(sub, pol_map).to_numpy(float), 1.0))
        if "equal" in weights:
            schemes.append(("equal", np.full(len(subset), 1.0 / len(subset)), 1.0))
        if "pillar" in weights:
            pils = [pil_map[c] for c in subset]
            w = np.array([1.0 / pils.count(p) for p in pils])
            schemes.append(("pillar", w / w.sum(), 1.0))
        if "random" in weights:
            for w in rng.dirichlet(np.ones(len(subset)), size=n_random):
                schemes.append(("random", w, 1.0 / n_random))
        for norm, agg in combos:
            r = _robust_normalise(x, pol, norm, ref)
            for wname, w, share in schemes:
                score = (r * w).sum(axis=1) if agg == "arithmetic" else np.exp((np.log(r) * w).sum(axis=1))
                ranks_list.append(_ranks(score))
                wts.append(share / (len(sets) * len(combos)))
                rows.append({"left_out": "" if len(subset) == len(codes) else next(c for c in codes if c not in subset),
                             "normalisation": norm, "aggregation": agg, "weights": wname})
    R = np.array(ranks_list, dtype=float)
    W = np.array(wts) / np.sum(wts)
    q = (1 - level) / 2
    x0 = m.to_numpy(float)
    p0 = np.array([pol_map[c] for c in codes], dtype=float)
    nominal = _ranks(_robust_normalise(x0, p0, "minmax", None).mean(axis=1))
    out = pd.DataFrame({
        "median_rank": [_weighted_quantile(R[:, j], W, 0.5) for j in range(R.shape[1])],
        "rank_lo": [int(_weighted_quantile(R[:, j], W, q)) for j in range(R.shape[1])],
        "rank_hi": [int(_weighted_quantile(R[:, j], W, 1 - q)) for j in range(R.shape[1])],
        "best_rank": R.min(axis=0).astype(int),
        "worst_rank": R.max(axis=0).astype(int),
        "nominal_rank": nominal.astype(int),
        "p_first": [(W * (R[:, j] == 1)).sum() / W.sum() for j in range(R.shape[1])],
    }, index=m.index)
    out["spread"] = out["worst_rank"] - out["best_rank"]
    out.index.name = matrix.index.name or "region"
    variants = pd.DataFrame(rows).assign(weight=W)
    variants = pd.concat([variants, pd.DataFrame(R.astype(int), columns=list(m.index))], axis=1)
    out.attrs = {"n_variants": len(rows), "indicators": codes, "ties": ties, "constant": const, "level": level,
                 "seed": seed, "variants": variants}
    return out


def composite_robustness(
    obs: pd.DataFrame,
    year: int,
    regions: Iterable[str] | None = None,
    indicators: Iterable[str] | None = None,
    include_counts: bool = False,
    reference: str | None = "city",
    polarity: Mapping[str, int] | None = None,
    pillars: Mapping[str, str] | None = None,
    n_random: int = 200,
    seed: int = 0,
    level: float = 0.9,
) -> pd.DataFrame:
    """:func:`rank_robustness` from the tidy table: the headline composite rank with its uncertainty.

    Parameters
    ----------
    obs : DataFrame
        Tidy observation table.
    year : int
    regions : iterable of str, optional
        Default the blocks of the registry.
    indicators : iterable of str, optional
        Candidate indicators (default every indicator present that year); counts are dropped unless
        `include_counts` (:func:`intensive_indicators`); indicators with a missing region are dropped.
    reference : 'city' or None
        Parent average for the distance normalisation: the city row of each indicator (the catalogue's
        total-over-total or weighted average), or None for the mean of the regions.

    Returns
    -------
    DataFrame
        As :func:`rank_robustness`; ``attrs`` also ``year``, ``excluded`` (left out as counts or context
        figures), ``dropped`` (left out for a missing region).
    """
    m = indicator_matrix(obs, year, regions, indicators)
    candidates = list(m.columns)
    keep = candidates if include_counts else intensive_indicators(candidates)
    excluded = [c for c in candidates if c not in keep]
    m = m[keep]
    dropped = [c for c in m.columns if m[c].isna().any()]
    m = m.drop(columns=dropped)
    if m.shape[1] == 0:
        raise ValueError(
            f"no intensive indicator has a value for every region in {year} (left out as counts or context: "
            f"{excluded}; "
            f"incomplete: {dropped}); pass include_counts=True to rank on counts"
        )
    ref = None
    if reference == "city":
        city = city_name(None, obs)
        sel = obs[(obs["region"] == city) & (obs["year"] == int(year)) & obs["indicator"].isin(m.columns)]
        ref = sel.set_index("indicator")["value"].astype(float)
    elif reference is not None:
        raise ValueError(f"reference must be 'city' or None, got {reference!r}")
    out = rank_robustness(m, polarity, pillars, ref, None, n_random, seed, level)
    out.attrs.update(year=int(year), excluded=excluded, dropped=dropped,
                     region_set=get_region_set(None, obs).spec)
    return out


__all__ = [
    "AGGREGATIONS",
    "NORMALISATIONS",
    "ROBUST_AGGREGATIONS",
    "ROBUST_NORMALISATIONS",
    "ROBUST_WEIGHTS",
    "EntropyTopsis",
    "apply_ties",
    "composite_robustness",
    "composite_scores",
    "entropy_topsis",
    "entropy_weights",
    "indicator_matrix",
    "intensive_indicators",
    "measurement_errors",
    "minmax_scores",
    "normalise",
    "rank_robustness",
    "rank_uncertainty",
    "topsis",
]
