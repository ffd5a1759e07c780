"""A national panel of every county-level unit, stored as Parquet partitioned by parent, read one
partition (one pack's data) at a time.

Why: a provincial or national office wants a pack for every county-level unit; the data of one pack is
the unit, its siblings and their parent, so the panel is split by the parent's code and a pack reads one
partition. The only national panel here is SYNTHETIC (:func:`build_national_demo`, status ``demo``, for
the benchmark and the batch runner); a real one would be written in the same layout.

Layout of a panel directory (``ROOT``)::

    ROOT/_national_panel.json        what was built: seed, years, indicators, units, rows, division source
    ROOT/_sources.csv                the sources table (one synthetic source)
    ROOT/parent=320400/part-0.parquet   常州市 and its counties/districts (hive-style partition)
    ROOT/parent=410000/part-0.parquet   county-level units directly under a province (济源市 …), no parent rows

Each partition holds the tidy observation columns (region, year, indicator, value, unit, status,
source_id, note, quote) and ``code`` (GB/T 2260). Names in ``region`` are the division list's names
(`registry.divisions`), unique within a partition. A prefecture's partition also holds the prefecture's
own rows (counts summed over its units, per-10k ratios total over total, survey scores and R&D intensity
weighted by their catalogue weights); units directly under a province have no parent rows (a province
total is not the sum of those few units: missing stays missing).

API (what the batch runner calls; names fixed)::

    build_national_demo(out, seed=SEED, years=YEARS, provinces=None) -> NationalPanel
    partition_of(focus_code) -> str                   the parent code = partition key of a unit
    partition_path(root, focus_code) -> Path          ROOT/parent=XXXXXX: also a --dataset for run / load_dataset
    load_partition(root, focus_code) -> load.Dataset  the unit, its siblings and parent; region set division:PARENT
    units(root) -> DataFrame                          code, name, parent, partition path of every unit in a panel
    param_sets(root, codes=None) -> list[dict]        {"dataset": partition path, "focus": name} per unit
    write_param_sets(root, path, codes=None) -> Path  the same as a YAML file for ``liyang-ip run --params``
    is_partition(path) -> bool                        a partition directory of a national panel

The whole country means the mainland: units under the provinces the ``china`` region set marks
``outside`` (台湾省, 香港, 澳门) are built only when asked for by province code.

Values are seeded per unit (``numpy.random.default_rng([seed, code])``), so a unit's figures are the
same whether the whole country or a few provinces are built. Stocks (catalogue kind ``stock`` or
``cumulative``) never fall.
"""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 20261117
YEARS = range(2006, 2026)
META = "_national_panel.json"
SOURCES = "_sources.csv"
PART_KEY = "parent"
SOURCE_ID = "national-demo-generator"
STATUS = "demo"
#: Units whose figures are whole numbers.
_WHOLE_UNITS = ("件", "家", "人", "笔")
#: Invented starting level per 10,000 residents (万元 for pledge amounts) of each count; an indicator not
#: listed starts at 1 per 10,000 residents. Plausible magnitudes only, NOT statistics.
_PER_10K = {
    "patent_applications": 15.0, "patent_grants": 9.0, "invention_patent_applications": 5.0,
    "invention_patent_grants": 1.5, "invention_patents_held": 8.0, "high_value_invention_patents": 3.0,
    "invention_patents_over_10y": 0.5, "pct_applications": 0.15, "registered_trademarks": 150.0,
    "madrid_trademarks": 0.2, "gi_trademarks": 0.03, "ip_pledge_amount": 100.0, "ip_pledge_deals": 0.1,
    "ip_standard_firms": 0.3, "ip_service_institutions": 0.15, "ip_talent": 2.5, "high_tech_firms": 2.0,
    "utility_models_in_force": 40.0, "design_patents_in_force": 10.0, "enterprise_design_patents_in_force": 8.0,
    "patents_in_force": 60.0, "invention_patent_applications_since_1985": 40.0, "patent_grants_since_1985": 120.0,
}


class NationalPanelError(ValueError):
    """A national panel or a unit that cannot be used; the message names the path or code."""


@dataclass(frozen=True)
class NationalPanel:
    """What :func:`build_national_demo` wrote."""

    root: Path
    rows: int
    units: int
    partitions: int
    metadata: dict


# ------------------------------------------------------------------------------------------- units


#: The region set whose ``outside`` units (台湾省, 香港, 澳门 in the bundled set) are left out of a
#: national panel unless asked for by province code: not benchmarked with the provinces, other statistics.
COUNTRY_SET = "china"


def outside_provinces() -> set[str]:
    """Two-digit codes of the provinces that the country set marks ``outside``."""
    from .. import registry

    return {r.code[:2] for r in registry.region_set(COUNTRY_SET).regions().values()
            if r.kind == "outside" and r.code}


def county_units(provinces: list[str] | None = None) -> pd.DataFrame:
    """Every county-level unit of the division list with its partition: columns code, name, parent
    (the parent's code, i.e. the partition key), parent_level (prefecture or province), in code order.

    `provinces`: two-digit province codes (``"32"``) or six-digit ones (``"320000"``); None = every
    province except those the country set (`COUNTRY_SET`) marks ``outside`` (:func:`outside_provinces`).
    """
    from ..registry import divisions

    divs = divisions.divisions()
    rows = [(d.code, d.name, d.parent, divs[d.parent].level) for d in divs.values() if d.level == "county"]
    df = pd.DataFrame(rows, columns=["code", "name", "parent", "parent_level"])
    if provinces is None:
        df = df[~df["code"].str[:2].isin(outside_provinces())]
    else:
        wanted = {str(p).strip()[:2] for p in provinces}
        unknown = sorted(w for w in wanted if f"{w}0000" not in divs)
        if unknown:
            raise NationalPanelError(f"unknown province code(s) {', '.join(unknown)}; give two-digit GB/T 2260 "
                                     "province codes such as 32 (江苏省) or 11 (北京市)")
        df = df[df["code"].str[:2].isin(wanted)]
    return df.sort_values("code", kind="stable").reset_index(drop=True)


def partition_of(focus_code: str) -> str:
    """The partition key (the parent's six-digit code) of a county-level unit.

    Raises NationalPanelError for an unknown code or a unit that is not county-level.
    """
    from ..registry import divisions

    code = str(focus_code).strip()
    try:
        d = divisions.division(code)
    except KeyError as e:
        raise NationalPanelError(str(e).strip("'\"")) from None
    if d.level != "county":
        raise NationalPanelError(f"{d.code} {d.name} is a {d.level}, not a county-level unit; a pack is made for "
                                 "a county-level unit (its siblings and parent are its partition)")
    return d.parent


def partition_path(root: str | Path, focus_code: str) -> Path:
    """The partition directory holding `focus_code`, its siblings and parent: ``root/parent=XXXXXX``.

    The directory is a dataset for ``liyang-ip run --dataset`` and :func:`load_dataset` (the region set
    is ``division:XXXXXX``). Raises NationalPanelError when `root` is not a national panel or has no
    such partition (e.g. the unit's province was not built).
    """
    root = Path(root)
    _read_meta(root)
    p = root / f"{PART_KEY}={partition_of(focus_code)}"
    if not p.is_dir():
        raise NationalPanelError(f"{root}: no partition {p.name} for unit {focus_code} (was its province built? "
                                 f"see {META})")
    return p


def is_partition(path: str | Path) -> bool:
    """True for a partition directory (``parent=XXXXXX``) of a national panel (its parent holds META)."""
    p = Path(path)
    return p.is_dir() and p.name.startswith(f"{PART_KEY}=") and (p.parent / META).is_file()


def units(root: str | Path) -> pd.DataFrame:
    """The county-level units a panel holds: code, name, parent, path (their partition directory), in
    code order; what a batch iterates over."""
    root = Path(root)
    meta = _read_meta(root)
    df = county_units(meta.get("provinces"))
    df = df[[(root / f"{PART_KEY}={p}").is_dir() for p in df["parent"]]]
    df = df.assign(path=[str(root / f"{PART_KEY}={p}") for p in df["parent"]])
    return df[["code", "name", "parent", "path"]].reset_index(drop=True)


def param_sets(root: str | Path, codes: list[str] | None = None) -> list[dict]:
    """One notebook parameter set per unit of a panel, ``{"dataset": <partition path>, "focus": <name>}``,
    in code order (`codes`: only these units): the list a ``liyang-ip run --params FILE`` batch of every
    unit's pack reads (:func:`write_param_sets`)."""
    df = units(root)
    if codes is not None:
        wanted = {str(c).strip() for c in codes}
        missing = sorted(wanted - set(df["code"]))
        if missing:
            raise NationalPanelError(f"{root}: no unit {', '.join(missing[:5])} in this panel")
        df = df[df["code"].isin(wanted)]
    return [{"dataset": p, "focus": n} for p, n in zip(df["path"], df["name"], strict=True)]


def write_param_sets(root: str | Path, path: str | Path, codes: list[str] | None = None) -> Path:
    """Write :func:`param_sets` as a YAML parameters file (atomically); returns its path."""
    import yaml

    from ..fsutil import atomic_write_text

    sets = param_sets(root, codes)
    head = (f"# One pack per county-level unit of the national panel {Path(root)} ({len(sets)} units; "
            "SYNTHETIC demo data).\n# liyang-ip run --params THIS_FILE --dry-run   (then --cluster local[:N] --yes)\n")
    return atomic_write_text(path, head + yaml.safe_dump(sets, allow_unicode=True, sort_keys=False))


# ------------------------------------------------------------------------------------------- build


def _unit_params(seed: int, codes: np.ndarray, n_ind: int, n_years: int) -> tuple[np.ndarray, np.ndarray]:
    """Per unit: 6 standard-normal parameters and an (indicator × year) standard-normal noise matrix,
    each unit from its own stream ``default_rng([seed, code])``."""
    params = np.empty((len(codes), 6))
    noise = np.empty((len(codes), n_ind, n_years))
    for k, code in enumerate(codes):
        rng = np.random.default_rng([seed, int(code)])
        params[k] = rng.standard_normal(6)
        noise[k] = rng.standard_normal((n_ind, n_years))
    return params, noise


def _walk(start: np.ndarray, growth: np.ndarray, noise: np.ndarray, sd: float) -> np.ndarray:
    """Paths (unit × year): `start` grown by `growth` a year with multiplicative noise of `sd`."""
    steps = 1 + growth[:, None] + sd * noise
    steps[:, 0] = 1.0
    return start[:, None] * np.cumprod(np.clip(steps, 0.5, 2.0), axis=1)


def _member_values(params: np.ndarray, noise: np.ndarray, codes: list[str], cat: dict) -> dict[str, np.ndarray]:
    """Invented series (unit × year) of every indicator for the county-level units."""
    z = params
    pop0 = np.clip(45.0 * np.exp(0.6 * z[:, 0]), 3.0, 400.0)  # 万人
    gdp_pc = np.clip(5.0 * np.exp(0.5 * z[:, 1]), 1.0, 40.0)  # 万元 per resident
    drive = np.exp(0.8 * z[:, 2])  # how innovative a unit is, relative to the median
    growth_shift = 0.03 * z[:, 3]
    out: dict[str, np.ndarray] = {}
    j = {c: i for i, c in enumerate(codes)}
    out["resident_population"] = _walk(pop0, 0.004 + 0.004 * z[:, 4], noise[:, j["resident_population"]], 0.003)
    out["gdp"] = _walk(pop0 * gdp_pc, 0.07 + 0.02 * z[:, 5], noise[:, j["gdp"]], 0.02)
    for c, ind in cat.items():
        if c in out or ind.derive:
            continue
        if ind.range:  # survey scores and R&D intensity: a bounded walk inside the catalogue's range
            lo, hi = ind.range
            start = np.clip(lo + (hi - lo) * ((0.75 if ind.unit == "分" else 0.1) + 0.05 * z[:, 2]),
                            lo + 0.02 * (hi - lo), hi)
            path = _walk(start, np.full(len(z), 0.01), noise[:, j[c]], 0.01)
            out[c] = np.clip(path, lo, hi)
            continue
        stock = ind.kind in ("stock", "cumulative")
        growth = (0.10 if stock else 0.08) + growth_shift
        out[c] = _walk(pop0 * _PER_10K.get(c, 1.0) * drive, growth, noise[:, j[c]], 0.02 if stock else 0.08)
    for c in out:
        out[c] = _rounded(out[c], cat[c])
        if cat[c].kind in ("stock", "cumulative"):
            out[c] = np.maximum.accumulate(out[c], axis=1)
    for c, ind in cat.items():  # per-10k ratios from the rounded counts, as a statistics office does
        if ind.derive:
            num, den = out[ind.derive["numerator"]], out[ind.derive["denominator"]]
            out[c] = np.round(num / den * ind.derive.get("scale", 1), 4)
    return out


def _rounded(v: np.ndarray, ind) -> np.ndarray:
    return np.round(v) if ind.unit in _WHOLE_UNITS else np.round(v, 2)


def _parent_values(member: dict[str, np.ndarray], groups: np.ndarray, n_groups: int, cat: dict
                   ) -> dict[str, np.ndarray]:
    """Parent series (group × year) from the member series: sums for counts, total over total for
    derived ratios, weighted means (the catalogue's weight) for survey scores and R&D intensity."""
    def total(v):
        out = np.zeros((n_groups, v.shape[1]))
        np.add.at(out, groups, v)
        return out

    out = {c: total(v) for c, v in member.items() if cat[c].aggregate == "sum"}
    for c, ind in cat.items():
        if ind.derive:
            out[c] = np.round(out[ind.derive["numerator"]] / out[ind.derive["denominator"]]
                              * ind.derive.get("scale", 1), 4)
        elif ind.aggregate == "weighted_mean":
            w = member[ind.weight]
            out[c] = np.round(total(member[c] * w) / total(w), 3)
    return out


def _table(units_df: pd.DataFrame, seed: int, years: list[int]):
    """The panel as one Arrow table (partition column ``parent``), entities ordered partition by
    partition, parent first; text columns dictionary-encoded."""
    import pyarrow as pa

    from .. import registry
    from ..registry import divisions

    cat = registry.indicators()
    codes = list(cat)
    params, noise = _unit_params(seed, units_df["code"].to_numpy(), len(codes), len(years))
    member = _member_values(params, noise, codes, cat)
    del noise
    parents = units_df.loc[units_df["parent_level"] == "prefecture", "parent"].drop_duplicates().tolist()
    gidx = {p: i for i, p in enumerate(parents)}
    in_pref = units_df["parent"].map(gidx).notna().to_numpy()
    groups = units_df["parent"].map(gidx).fillna(-1).astype(int).to_numpy()
    parent_vals = _parent_values({c: v[in_pref] for c, v in member.items()}, groups[in_pref], len(parents), cat)
    divs = divisions.divisions()
    # Entities: parents, then units; sorted by (partition, parent first, code).
    ent = pd.DataFrame({
        "code": parents + units_df["code"].tolist(),
        "name": [divs[p].name for p in parents] + units_df["name"].tolist(),
        "part": parents + units_df["parent"].tolist(),
        "is_parent": [True] * len(parents) + [False] * len(units_df),
    })
    values = np.stack([np.concatenate([parent_vals[c], member[c]]) for c in codes], axis=1)  # entity × ind × year
    order = np.lexsort((ent["code"].to_numpy(), ~ent["is_parent"].to_numpy(), ent["part"].to_numpy()))
    ent, values = ent.iloc[order].reset_index(drop=True), values[order]
    n_e, n_i, n_y = values.shape
    e_idx = np.repeat(np.arange(n_e, dtype="int32"), n_i * n_y)
    i_idx = np.tile(np.repeat(np.arange(n_i, dtype="int32"), n_y), n_e)
    flat = values.reshape(-1)
    keep = np.isfinite(flat)

    def dictionary(idx: np.ndarray, texts: list[str]) -> pa.DictionaryArray:
        tcodes, uniq = pd.factorize(np.asarray(texts, dtype=object))
        return pa.DictionaryArray.from_arrays(pa.array(tcodes[idx].astype("int32")), pa.array(list(uniq), pa.string()))

    ratio_note = [f"demo: {cat[c].derive['numerator']} / {cat[c].derive['denominator']}" if cat[c].derive else ""
                  for c in codes]
    zero = np.zeros(int(keep.sum()), dtype="int32")
    table = pa.table({
        "region": dictionary(e_idx[keep], ent["name"].tolist()),
        "code": dictionary(e_idx[keep], ent["code"].tolist()),
        "year": pa.array(np.tile(np.asarray(years, dtype="int32"), n_e * n_i)[keep]),
        "indicator": dictionary(i_idx[keep], codes),
        "value": pa.array(flat[keep]),
        "unit": dictionary(i_idx[keep], [cat[c].unit for c in codes]),
        "status": dictionary(zero, [STATUS]),
        "source_id": dictionary(zero, [SOURCE_ID]),
        "note": dictionary(i_idx[keep], ratio_note),
        "quote": dictionary(zero, [""]),
        PART_KEY: dictionary(e_idx[keep], ent["part"].tolist()),
    })
    return table, len(units_df), len(set(ent["part"]))


def build_national_demo(out: str | Path, seed: int = SEED, years=YEARS, provinces: list[str] | None = None
                        ) -> NationalPanel:
    """Write the seeded synthetic national panel to `out` (Parquet, one hive partition per parent).

    Every county-level unit of the division list (or of `provinces`) × every catalogue indicator ×
    `years`, plus each prefecture's own rows. All rows have status ``demo`` and source
    ``national-demo-generator``; the figures are INVENTED (plausible magnitudes), not statistics.

    The directory is written beside `out` and swapped into place (a failed build leaves the previous
    one); an existing `out` is replaced only when it is a national panel or empty (NationalPanelError
    otherwise, so ``--out .`` cannot wipe a folder).

    Returns
    -------
    NationalPanel
        root, rows, units, partitions and the metadata written to ``_national_panel.json``.
    """
    import shutil

    import pyarrow.dataset as pds

    from .. import __version__, registry
    from ..fsutil import atomic_write_text, make_build_dir, replace_directory
    from ..registry import divisions

    out = Path(out)
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / META).is_file())):
        raise NationalPanelError(f"{out} exists and is not a national panel (no {META}); give --out a new or "
                                 "empty folder, or the folder of an earlier national panel to replace it")
    years = sorted({int(y) for y in years})
    if not years or years != list(range(years[0], years[-1] + 1)):
        raise NationalPanelError(f"years must be consecutive calendar years (got {years[:5]}…)" if years
                                 else "no years: give at least one year")
    units_df = county_units(provinces)
    if units_df.empty:
        raise NationalPanelError("no county-level units selected")
    table, n_units, n_parts = _table(units_df, seed, years)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = make_build_dir(out.parent, out.name)
    try:
        pds.write_dataset(table, tmp, format="parquet", partitioning=[PART_KEY], partitioning_flavor="hive",
                          basename_template="part-{i}.parquet", existing_data_behavior="overwrite_or_ignore",
                          max_partitions=4096)
        src = divisions.source()
        meta = {
            "name": "national_demo",
            "title": "全国县级单位演示面板（合成，非真实统计） / National county-level demo panel (synthetic, not statistics)",
            "description": "Invented, plausible-magnitude figures for every county-level unit and each prefecture's "
                           "totals; NOT real statistics. Every row has status demo.",
            "is_demo": True,
            "status": STATUS,
            "seed": int(seed),
            "years": [min(years), max(years)],
            "indicators": list(registry.indicators()),
            "provinces": sorted({c[:2] for c in units_df["code"]}) if provinces is not None else None,
            "units": n_units,
            "partitions": n_parts,
            "rows": int(table.num_rows),
            "partitioning": f"hive, {PART_KEY}=<code of the parent division>",
            "divisions": f"{src['source']}, as of {src['as_of']}",
            "built_at": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
            "liyang_ip_version": __version__,
        }
        atomic_write_text(tmp / META, json.dumps(meta, ensure_ascii=False, indent=2))
        atomic_write_text(tmp / SOURCES, _sources_frame(seed).to_csv(index=False))
        replace_directory(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return NationalPanel(out, int(table.num_rows), n_units, n_parts, meta)


def _sources_frame(seed: int) -> pd.DataFrame:
    from .schema import SOURCE_COLUMNS

    return pd.DataFrame([{
        "source_id": SOURCE_ID, "title": "liyang-ip synthetic national panel (演示数据，非真实统计)",
        "publisher": "liyang-ip (liyang_ip/data/national.py)", "url": "", "date": "", "accessed": "", "priority": 9,
        "notes": f"Generated by liyang_ip.data.national.build_national_demo(seed={seed}); invented figures.",
    }], columns=SOURCE_COLUMNS)


# -------------------------------------------------------------------------------------------- load


def _read_meta(root: Path) -> dict:
    try:
        return json.loads((Path(root) / META).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise NationalPanelError(f"{root}: not a national panel (no {META}); make one with "
                                 "liyang-ip data national-demo --out DIR") from None
    except (OSError, ValueError) as e:
        raise NationalPanelError(f"{Path(root) / META}: cannot be read ({e})") from None


def load_partition(root: str | Path, focus_code: str):
    """The data of one pack: `focus_code`'s partition (the unit, its siblings and their parent) as a
    :class:`~liyang_ip.data.load.Dataset` whose region set is ``division:<parent code>``.

    Only that partition's files are read. Raises NationalPanelError for an unknown or non-county code,
    a folder that is not a national panel, or a partition that was not built.
    """
    ds = read_partition(partition_path(root, focus_code))
    ds.metadata["focus"] = str(focus_code).strip()
    return ds


def read_partition(path: str | Path):
    """A partition directory (``ROOT/parent=XXXXXX``) as a Dataset (what load_dataset does with it)."""
    import pyarrow as pa
    import pyarrow.compute as pac
    import pyarrow.parquet as pq

    from .. import registry
    from .build import TARGET_COLUMNS, coverage
    from .load import Dataset
    from .schema import OBS_COLUMNS
    from .validate import CONFLICT_COLUMNS

    path = Path(path)
    if not is_partition(path):
        raise NationalPanelError(f"{path}: not a partition of a national panel (expected ROOT/{PART_KEY}=CODE "
                                 f"with ROOT/{META})")
    meta = _read_meta(path.parent)
    parent = path.name.split("=", 1)[1]
    try:
        rset = registry.region_set(f"division:{parent}")
    except (KeyError, registry.RegionSetError) as e:
        raise NationalPanelError(f"{path}: {e}") from None
    table = pq.read_table(path, partitioning=None)
    # Order as a build orders observations (the set's order, the catalogue's order, year), on the
    # dictionary codes; then text columns decoded in Arrow (pandas gets plain text columns).
    order = {r: k for k, r in enumerate([rset.parent, *rset.members])}
    ind_order = {c: k for k, c in enumerate(registry.indicators())}

    def rank(col: str, ranks: dict) -> np.ndarray:
        arr = table.column(col).combine_chunks()
        lookup = np.array([ranks.get(v, len(ranks)) for v in arr.dictionary.to_pylist()] + [len(ranks)])
        return lookup[arr.indices.to_numpy(zero_copy_only=False)]

    sort = np.lexsort((table.column("year").to_numpy(), rank("indicator", ind_order), rank("region", order)))
    table = table.take(pa.array(sort))
    table = pa.table({c: (pac.cast(table.column(c), pa.string()) if pa.types.is_dictionary(table.column(c).type)
                          else table.column(c)) for c in table.column_names})
    obs = table.to_pandas()
    obs["year"] = obs["year"].astype("int64")
    pairs = obs[["region", "code"]].drop_duplicates()
    codes = dict(zip(pairs["region"].tolist(), pairs["code"].tolist(), strict=True))
    obs = obs[OBS_COLUMNS]
    cov, summary = coverage(obs, region_set=rset)
    sources = pd.read_csv(path.parent / SOURCES, dtype=str, keep_default_na=False)
    sources["priority"] = sources["priority"].astype(int)
    metadata = {
        "name": f"{meta.get('name', 'national')}_{parent}",
        "title": meta.get("title", ""),
        "description": meta.get("description", ""),
        "source_path": str(path),
        "is_demo": bool((obs["status"] == "demo").any()),
        "rows": int(len(obs)),
        "years": [int(obs["year"].min()), int(obs["year"].max())] if len(obs) else [],
        "regions": [r for r in order if r in codes],
        "codes": codes,
        "partition": parent,
        "region_sets": [{"name": f"division:{parent}", "bundled": True, "path": ""}],
        "national_panel": {k: meta.get(k) for k in ("seed", "built_at", "rows", "units", "divisions")},
    }
    return Dataset(metadata["name"], obs, sources, pd.DataFrame(columns=TARGET_COLUMNS), cov, summary,
                   pd.DataFrame(columns=CONFLICT_COLUMNS), [], metadata)


__all__ = ["META", "SEED", "YEARS", "NationalPanel", "NationalPanelError", "build_national_demo", "county_units",
           "is_partition", "load_partition", "param_sets", "partition_of", "partition_path", "read_partition", "units",
           "write_param_sets"]
