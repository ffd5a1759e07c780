"""Shared helpers of the analysis modules: catalogue look-ups, series extraction, gap reporting.

Private to :mod:`liyang_ip.analysis`; notebooks call the public functions of the sibling modules.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

import numpy as np
import pandas as pd

REQUIRED_OBS_COLUMNS = ("region", "year", "indicator", "value")


def check_obs(obs: pd.DataFrame, name: str = "obs") -> None:
    """Raise ValueError unless `obs` has the tidy observation columns analyses need."""
    if not isinstance(obs, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame (the tidy observation table), got {type(obs).__name__}")
    missing = [c for c in REQUIRED_OBS_COLUMNS if c not in obs.columns]
    if missing:
        raise ValueError(
            f"{name} lacks column(s) {missing}; the tidy observation table needs "
            f"{list(REQUIRED_OBS_COLUMNS)} (see docs/ARCHITECTURE.md)"
        )
    dup = obs.duplicated(subset=["region", "year", "indicator"], keep=False)
    if dup.any():
        first = obs.loc[dup, ["region", "year", "indicator"]].iloc[0].tolist()
        raise ValueError(
            f"{name} has {int(dup.sum())} rows that repeat a (region, year, indicator) key, e.g. {first}; "
            "the processed table has one row per key after conflict resolution"
        )


def _catalogue():
    from liyang_ip import registry

    return registry.indicators()


def get_region_set(region_set=None, obs: pd.DataFrame | None = None):
    """The RegionSet for a set, a bundled name or a path to a region-set file; for None, the set recorded on
    `obs` (``attrs['region_set']``, which ``load_dataset`` sets on a dataset's observations), else the
    default set."""
    from liyang_ip import registry

    if region_set is None and obs is not None:
        region_set = getattr(obs, "attrs", {}).get("region_set")
    return registry.region_set(region_set)


def city_name(region_set=None, obs: pd.DataFrame | None = None) -> str:
    """The parent (aggregate) unit of the region set, e.g. the city whose blocks are benchmarked."""
    return get_region_set(region_set, obs).parent


def block_names(region_set=None, obs: pd.DataFrame | None = None) -> list[str]:
    """The member units of the region set, in set order."""
    return list(get_region_set(region_set, obs).members)


def mark_region_set(df: pd.DataFrame, region_set) -> pd.DataFrame:
    """`df` with ``attrs['region_set']`` naming the set it was computed for (charts read their words
    from it); returned for chaining."""
    df.attrs["region_set"] = get_region_set(region_set).spec
    return df


def _lookup(codes: Iterable[str], mapping: Mapping | None, field: str) -> dict:
    codes = list(codes)
    out = {}
    if mapping is not None:
        missing = [c for c in codes if c not in mapping]
        if missing:
            raise ValueError(f"no {field} given for indicator(s) {missing}; pass a {field} for every indicator")
        return {c: mapping[c] for c in codes}
    cat = _catalogue()
    unknown = [c for c in codes if c not in cat]
    if unknown:
        raise ValueError(
            f"indicator(s) {unknown} are not in registry/indicators.yaml; pass an explicit {field} mapping "
            "or use a catalogue code"
        )
    for c in codes:
        out[c] = getattr(cat[c], field)
    return out


def polarity_map(codes: Iterable[str], polarity: Mapping[str, int] | None = None) -> dict[str, int]:
    """Polarity (+1 higher is better, -1 lower is better) per indicator, explicit or from the catalogue."""
    out = _lookup(codes, polarity, "polarity")
    bad = {c: p for c, p in out.items() if p not in (1, -1)}
    if bad:
        raise ValueError(f"polarity must be +1 or -1, got {bad}")
    return {c: int(p) for c, p in out.items()}


def pillar_map(codes: Iterable[str], pillars: Mapping[str, str] | None = None) -> dict[str, str]:
    """Pillar per indicator, explicit or from the catalogue."""
    return _lookup(codes, pillars, "pillar")


def aggregate_map(codes: Iterable[str], aggregate: Mapping[str, str] | None = None) -> dict[str, str]:
    """Aggregation rule (sum | ratio | weighted_mean | none) per indicator, explicit or from the catalogue."""
    return _lookup(codes, aggregate, "aggregate")


def unit_map(obs: pd.DataFrame, codes: Iterable[str]) -> dict[str, str]:
    """Unit per indicator: from the `unit` column when present, else the catalogue, else ''."""
    codes = list(codes)
    out = {c: "" for c in codes}
    if "unit" in obs.columns:
        u = obs.dropna(subset=["unit"]).drop_duplicates("indicator").set_index("indicator")["unit"]
        for c in codes:
            if c in u.index:
                out[c] = str(u[c])
    try:
        cat = _catalogue()
    except Exception:  # the registry is optional for unit labels
        cat = {}
    for c in codes:
        if not out[c] and c in cat:
            out[c] = cat[c].unit
    return out


def series(obs: pd.DataFrame, region: str, indicator: str) -> pd.Series:
    """Values of one region and indicator as a float Series indexed by year (int), sorted; gaps stay absent.

    For many series of one table, :func:`series_getter` groups the table once.
    """
    # Select on the two needed columns only: filtering the whole frame copies every text column.
    mask = ((obs["region"] == region) & (obs["indicator"] == indicator)).to_numpy(dtype=bool, na_value=False)
    return _year_series(obs["value"][mask], obs["year"][mask], indicator)


def _year_series(values: pd.Series, years: pd.Series, indicator: str) -> pd.Series:
    s = pd.Series(values.to_numpy(dtype=float), index=years.to_numpy(dtype="int64"), name=indicator)
    s.index.name = "year"
    return s.sort_index()


def series_getter(obs: pd.DataFrame) -> Callable[[str, str], pd.Series]:
    """``get(region, indicator)``, equal to ``series(obs, region, indicator)``, with `obs` grouped once.

    For loops over many (region, indicator) pairs of one table: each call then costs a look-up instead of
    a pass over the whole table. The table must not change while the getter is used.
    """
    groups = obs.groupby(["region", "indicator"], sort=False).indices
    values, years = obs["value"], obs["year"]
    none = np.array([], dtype=np.intp)
    value_arr = year_arr = None  # the two columns as arrays once when they convert as a whole, else per series
    if pd.api.types.is_integer_dtype(years.dtype):
        try:
            value_arr, year_arr = values.to_numpy(dtype=float), years.to_numpy(dtype="int64")
        except (TypeError, ValueError):
            value_arr = year_arr = None

    def get(region: str, indicator: str) -> pd.Series:
        idx = groups.get((region, indicator), none)
        if value_arr is None:
            return _year_series(values.iloc[idx], years.iloc[idx], indicator)
        s = pd.Series(value_arr[idx], index=year_arr[idx], name=indicator)
        s.index.name = "year"
        return s.sort_index()

    return get


def missing_years(years: Iterable[int], start: int, end: int) -> list[int]:
    """Years in [start, end] absent from `years`."""
    have = {int(y) for y in years}
    return [y for y in range(int(start), int(end) + 1) if y not in have]


def format_years(years: list[int]) -> str:
    """'2016, 2018' (empty string for none), for the `missing_years` report columns."""
    return ", ".join(str(y) for y in years)


def indicators_in(obs: pd.DataFrame, indicators: Iterable[str] | None) -> list[str]:
    """Requested indicators, or all indicators present in `obs` in catalogue order then first appearance."""
    if indicators is not None:
        if isinstance(indicators, str):
            return [indicators]
        return list(indicators)
    present = list(dict.fromkeys(obs["indicator"].astype(str)))
    try:
        order = list(_catalogue())
    except Exception:
        order = []
    known = [c for c in order if c in present]
    return known + [c for c in present if c not in known]


def as_float_array(values, name: str = "values") -> np.ndarray:
    """1-D float array from a list / array / Series; raises ValueError on NaN or non-finite values."""
    x = np.asarray(values, dtype=float).ravel()
    if not np.all(np.isfinite(x)):
        raise ValueError(f"{name} contains NaN or infinite values at positions {np.flatnonzero(~np.isfinite(x)).tolist()}; "
                         "missing years must be reported, not filled")
    return x


def rank_desc(values: pd.Series, polarity: int = 1) -> pd.Series:
    """Rank 1 = best given polarity; ties share the best rank ('min'); NaN stays NaN."""
    v = values.astype(float) * polarity
    return v.rank(ascending=False, method="min")


def city_block_count(city: str | None = None, n_blocks: int | None = None, region_set=None) -> int:
    """How many units the parent's total covers: explicit, else the set's ``total_of`` (its members unless
    the total also includes units outside the benchmark)."""
    if n_blocks is not None:
        if int(n_blocks) < 1:
            raise ValueError(f"n_blocks must be >= 1, got {n_blocks}")
        return int(n_blocks)
    return len(get_region_set(region_set).total_of)


def total_is_members(region_set=None) -> bool:
    """True when the parent's total is exactly the sum of the benchmarked members."""
    rset = get_region_set(region_set)
    return set(rset.total_of) == set(rset.members)


def city_average(city_value: float, aggregate: str, n_blocks: int) -> float:
    """The parent benchmark for one member, from the parent row.

    For ``sum`` indicators (counts, amounts) the parent row is a total, so the benchmark is the average
    member, total / n_blocks. For ``ratio`` and ``weighted_mean`` indicators the parent row already is the
    correctly weighted average (total over total), and it is used as it is; so is an official figure under
    ``none``.
    """
    return city_value / n_blocks if aggregate == "sum" else city_value


def parent_benchmark(parent_value: float, aggregate: str, region_set=None, n_blocks: int | None = None,
                     member_values: pd.Series | None = None) -> tuple[float, str]:
    """The parent benchmark for one member and a note ('' when none), for any region set.

    ``sum`` indicators: the average member. When the parent's total is the sum of the members (or
    `n_blocks` is given) that is parent / N; when the total also holds units outside the benchmark
    (e.g. 港澳台 in a national total) it is the mean of the N members' own values, NaN unless all N have
    one. Other aggregations: the parent figure as it is (:func:`city_average`).
    """
    if aggregate != "sum":
        return parent_value, ""
    if n_blocks is not None or total_is_members(region_set):
        return city_average(parent_value, aggregate, city_block_count(None, n_blocks, region_set)), ""
    rset = get_region_set(region_set)
    if member_values is None:
        return float("nan"), (f"no average {rset.unit_word('en')}: the {rset.parent} total includes units "
                              "outside the benchmark and member values were not given")
    m = member_values.reindex(rset.members)
    if m.isna().any():
        return float("nan"), (f"no average {rset.unit_word('en')}: {int(m.isna().sum())} of "
                              f"{rset.n_members} members lack a value (the {rset.parent} total includes units "
                              "outside the benchmark)")
    return float(m.mean()), f"average of the {rset.n_members} members (the {rset.parent} total also covers " \
        f"{', '.join(x for x in rset.total_of if x not in rset.members)})"


def source_column(targets: pd.DataFrame) -> pd.Series:
    """The targets' source: ``source`` column, else ``source_id`` (processed-dataset layout), else ''."""
    for c in ("source", "source_id"):
        if c in targets.columns:
            return targets[c].fillna("").astype(str)
    return pd.Series("", index=targets.index, dtype=str)


def compound_growth(start_value: float, end_value: float, years: float, what: str = "CAGR") -> float:
    """Compound annual growth in % per year from `start_value` to `end_value` over `years` years:
    ((end / start)^(1 / years) − 1) × 100.

    Raises
    ------
    ValueError
        Naming `what` (CAGR, required growth) when either value is missing (NaN) or ≤ 0 (growth of a
        non-positive level is undefined) or `years` ≤ 0.
    """
    if not np.isfinite(start_value) or not np.isfinite(end_value):
        raise ValueError(f"{what} needs two observed values, got start={start_value}, end={end_value}")
    if years <= 0:
        raise ValueError(f"{what} needs a positive number of years, got {years}")
    if start_value <= 0 or end_value <= 0:
        raise ValueError(f"{what} needs positive values, got start={start_value}, end={end_value}")
    return ((end_value / start_value) ** (1.0 / years) - 1.0) * 100.0


def fill_doc(**parts: str):
    """Decorator: replace ``{name}`` in the function's docstring by ``parts[name]`` (numpydoc text that
    several functions share, such as the parameters of a period), so it is written once and every
    docstring, ``help()`` included, still shows it in full. Other braces are left alone."""

    def fill(func):
        doc = func.__doc__ or ""
        for name, text in parts.items():
            doc = doc.replace("{" + name + "}", text)
        func.__doc__ = doc
        return func

    return fill


def require_region(obs: pd.DataFrame, region: str) -> None:
    """ValueError naming the regions present when `region` has no rows (e.g. an alias instead of the name)."""
    if not (obs["region"] == region).any():
        present = sorted(map(str, obs["region"].unique()))
        raise ValueError(
            f"no observations for region {region!r}; regions present: {', '.join(present)} "
            "(use the canonical name, e.g. registry.region_set(name).resolve(text))"
        )
