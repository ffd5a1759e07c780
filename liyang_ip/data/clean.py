"""Raw records → canonical observations: names through the registries, numbers, units, statuses.

Each problem becomes an `Issue` naming file, row and field; the offending row is left out of the
clean frame (never guessed), and nothing is lost: the raw file is untouched and the issue says why.
An identical problem reported for several cells of one row (a yearbook row with an unknown name) is
reported once.

The work is done per distinct value (names, years, units) and with vectorised parsing for plain
numbers, so a million rows take seconds; messages are the same as a row-by-row check would give.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

from .. import registry
from .numbers import NumberParseError, parse_cell
from .schema import STATUS_ALIASES, STATUSES, Issue

CLEAN_COLUMNS = ["region", "year", "indicator", "value", "unit", "status", "source_id", "note", "quote",
                 "_file", "_row", "_field"]
_PLAIN = r"[+-]?[0-9]{1,15}(?:\.[0-9]{1,15})?"
#: Unit names that carry a scale word (万件, 亿元): a value with its own 万/亿 would be scaled twice.
_SCALED_UNIT = re.compile(r"^(?:十万|百万|千万|万亿|万|亿|千)")
_FIELD_ORDER = {"region": 0, "indicator": 1, "year": 2, "value": 3, "status": 4, "source_id": 5, "unit": 6}


def _region_check(name: str) -> tuple[str | None, str]:
    try:
        region = registry.resolve_region(name)
    except registry.UnknownNameError as e:
        return None, _unknown_msg(e, registry.blocks() + [registry.CITY])
    r = registry.regions()[region]
    if r.kind == "former":
        return None, f"{region} no longer exists: {r.notes}"
    return region, ""


def _indicator_check(name: str) -> tuple[str | None, str]:
    try:
        return registry.resolve_indicator(name), ""
    except registry.UnknownNameError as e:
        return None, _unknown_msg(e, None)


def _year_check(text: str) -> int | None:
    t = unicodedata.normalize("NFKC", str(text)).strip()
    for suffix in ("年末", "年底", "年度", "年"):
        t = t.removesuffix(suffix)
    t = t.strip()
    if not re.fullmatch(r"[0-9]{4}(?:\.0+)?", t):
        return None
    year = int(float(t))
    return year if 1949 <= year <= 2100 else None


def _status_of(text: str, default: str) -> str:
    t = unicodedata.normalize("NFKC", str(text or "")).strip()
    if not t:
        return default
    return STATUS_ALIASES.get(t, t.lower() if t.lower() in STATUSES else t)


def clean_records(raw: pd.DataFrame, known_sources: set[str] | None = None,
                  default_status: str = "official") -> tuple[pd.DataFrame, list[Issue]]:
    """Normalise raw records (see `readers`) into observation rows in canonical units.

    Parameters
    ----------
    raw : DataFrame
        Columns region, year, indicator, value, unit, status, source_id, note, quote, _file, _row, _field.
    known_sources : set of str, optional
        Source ids that exist; a row citing another id is an error. None skips the check.
    default_status : str
        Status for rows that leave it blank.

    Returns
    -------
    (clean, issues)
        ``clean`` keeps the provenance columns; rows whose value cell marks a missing figure (—, blank)
        are dropped, since a missing figure is an absent row (coverage reports it). Values outside the
        catalogue's plausible ``range`` are kept with a warning; a scale given twice (0.1856万 with unit
        万件) is an error.
    """
    n = len(raw)
    if n == 0:
        return pd.DataFrame(columns=CLEAN_COLUMNS), []
    cat = registry.indicators()
    col = {c: (raw[c].fillna("").astype(str).to_numpy(dtype=object) if c in raw else np.full(n, "", dtype=object))
           for c in ("region", "year", "indicator", "value", "unit", "status", "source_id", "note", "quote",
                     "_file", "_field")}
    rows = raw["_row"].to_numpy()
    found: list[tuple[int, int, Issue]] = []  # (position, field order, issue)

    def add(pos_arr, field_of, value_of, msg_of, severity="error"):
        for p in np.flatnonzero(pos_arr) if isinstance(pos_arr, np.ndarray) and pos_arr.dtype == bool else pos_arr:
            field = field_of(p) if callable(field_of) else field_of
            found.append((int(p), _FIELD_ORDER.get(field, 3), Issue(
                severity, col["_file"][p], int(rows[p]), field, value_of(p), msg_of(p))))

    # names and years, once per distinct text
    reg_map = {u: _region_check(u) for u in pd.unique(col["region"])}
    region = np.array([reg_map[u][0] for u in col["region"]], dtype=object)
    ind_map = {u: _indicator_check(u) for u in pd.unique(col["indicator"])}
    code = np.array([ind_map[u][0] for u in col["indicator"]], dtype=object)
    year_map = {u: _year_check(u) for u in pd.unique(col["year"])}
    year_obj = np.array([year_map[u] for u in col["year"]], dtype=object)
    bad_region = np.array([r is None for r in region])
    bad_code = np.array([c is None for c in code])
    bad_year = np.array([y is None for y in year_obj])
    add(bad_region, "region", lambda p: col["region"][p], lambda p: reg_map[col["region"][p]][1])
    add(bad_code, "indicator", lambda p: col["indicator"][p], lambda p: ind_map[col["indicator"][p]][1])
    add(bad_year, "year", lambda p: col["year"][p], lambda p: "year must be a whole calendar year such as 2020")

    # values: plain numbers vectorised, everything else through parse_cell (once per distinct text)
    vals = pd.Series(col["value"])
    plain = vals.str.fullmatch(_PLAIN).to_numpy(dtype=bool)
    value = np.full(n, np.nan)
    value[plain] = pd.to_numeric(vals[plain]).to_numpy(dtype=float) if plain.any() else []
    approx = np.zeros(n, dtype=bool)
    footnote = np.full(n, "", dtype=object)
    scale = np.ones(n)
    percent = np.zeros(n, dtype=bool)
    bad_value = np.zeros(n, dtype=bool)
    parsed: dict[str, object] = {}
    for p in np.flatnonzero(~plain):
        t = col["value"][p]
        if t not in parsed:
            try:
                parsed[t] = parse_cell(t)
            except NumberParseError as e:
                parsed[t] = e
        c = parsed[t]
        if isinstance(c, NumberParseError):
            bad_value[p] = True
            add([p], lambda p: col["_field"][p] or "value", lambda p: col["value"][p],
                lambda p, c=c: f"non-numeric value ({c.reason})")
            continue
        if c.value is not None:
            value[p] = c.value
        approx[p], footnote[p], scale[p], percent[p] = c.approximate, c.footnote, c.scale, c.percent
    missing = np.isnan(value) & ~bad_value

    # status and source, only for rows with a figure (as a row-by-row check stops at a bad value)
    live = ~bad_value & ~missing
    st_map = {u: _status_of(u, default_status) for u in pd.unique(col["status"])}
    status = np.array([st_map[u] for u in col["status"]], dtype=object)
    bad_status = live & ~np.isin(status, STATUSES)
    add(bad_status, "status", lambda p: status[p], lambda p: f"status must be one of {', '.join(STATUSES)} "
        "(or 官方, 估计)")
    source_id = np.array([s.strip() for s in col["source_id"]], dtype=object)
    bad_source = np.zeros(n, dtype=bool)
    if known_sources is not None:
        need = live & (status != "derived")
        no_src = need & (source_id == "")
        unknown_src = need & (source_id != "") & ~np.isin(source_id, list(known_sources))
        add(no_src, "source_id", lambda p: "",
            lambda p: "every figure needs a source_id that is listed in the sources table")
        add(unknown_src, "source_id", lambda p: source_id[p], lambda p: "source_id not found in the sources table")
        bad_source = no_src | unknown_src

    ok = live & ~bad_region & ~bad_code & ~bad_year & ~bad_status & ~bad_source
    # units, once per (indicator, unit) pair
    unit_in = np.array([u.strip() for u in col["unit"]], dtype=object)
    unit_in = np.where((unit_in == "") & percent, "%", unit_in)
    no_unit = ok & (unit_in == "")
    add(no_unit, "unit", lambda p: "", lambda p: f"no unit given; assumed {cat[code[p]].unit!r} "
        f"(the catalogue unit of {code[p]})", severity="warning")
    unit_in = np.where(no_unit, np.array([cat[c].unit if c else "" for c in code], dtype=object), unit_in)
    factor = np.full(n, np.nan)
    rules: dict[tuple[str, str], object] = {}
    for p in np.flatnonzero(ok):
        key = (code[p], unit_in[p])
        if key not in rules:
            rules[key] = registry.unit_rule(*key)
        r = rules[key]
        if r is not None:
            factor[p] = r.factor
    bad_unit = ok & np.isnan(factor)
    add(bad_unit, "unit", lambda p: unit_in[p], lambda p: f"cannot convert {unit_in[p]!r} to "
        f"{cat[code[p]].unit!r} for {code[p]}; use {cat[code[p]].unit!r} or a unit that converts to it")
    ok &= ~bad_unit
    twice = ok & (scale != 1) & np.array([bool(_SCALED_UNIT.match(unicodedata.normalize("NFKC", u)))
                                          for u in unit_in])
    add(twice, lambda p: col["_field"][p] or "value", lambda p: col["value"][p],
        lambda p: f"scale given twice: the value has its own 万/亿 and the unit is {unit_in[p]!r}; write the "
        f"number alone (e.g. {value[p] / scale[p]:g} with unit {unit_in[p]}) or the unit without the scale")
    ok &= ~twice
    final = value * factor
    kind = np.array([cat[c].kind if c else "" for c in code], dtype=object)
    negative = ok & np.isin(kind, ["stock", "flow"]) & (final < 0)
    add(negative, lambda p: col["_field"][p] or "value", lambda p: col["value"][p],
        lambda p: f"negative count for {code[p]} ({cat[code[p]].name_zh}); counts cannot be negative")
    ok &= ~negative
    for p in np.flatnonzero(ok):
        rng = cat[code[p]].range
        if rng and not (rng[0] <= final[p] <= rng[1]):
            add([p], lambda p: col["_field"][p] or "value", lambda p: col["value"][p],
                lambda p, rng=rng: f"{code[p]} is usually within {rng[0]:g}–{rng[1]:g} {cat[code[p]].unit}; "
                f"check the figure and its unit (kept as given)", severity="warning")

    keep = np.flatnonzero(ok)
    notes = []
    for p in keep:
        note = col["note"][p].strip()
        if approx[p]:
            note = "; ".join(x for x in (note, "approximate in source") if x)
        if footnote[p]:
            note = "; ".join(x for x in (note, f"footnote {footnote[p]} in source") if x)
        notes.append(note)
    out = pd.DataFrame({
        "region": region[keep], "year": np.array([year_obj[p] for p in keep], dtype="int64"),
        "indicator": code[keep], "value": final[keep].astype(float),
        "unit": np.array([cat[c].unit for c in code[keep]], dtype=object), "status": status[keep],
        "source_id": source_id[keep], "note": np.array(notes, dtype=object),
        "quote": np.array([q.strip() for q in col["quote"][keep]], dtype=object),
        "_file": col["_file"][keep], "_row": rows[keep], "_field": np.array(
            [col["_field"][p] or "value" for p in keep], dtype=object),
    }, columns=CLEAN_COLUMNS)
    found.sort(key=lambda x: (x[0], x[1]))
    issues = list(dict.fromkeys(i for _, _, i in found))
    return out, issues


def _unknown_msg(e: registry.UnknownNameError, valid: list[str] | None) -> str:
    msg = f"unknown {e.kind}"
    if e.suggestions:
        msg += f"; did you mean {' / '.join(e.suggestions)}?"
    elif valid:
        msg += f"; valid: {', '.join(valid)}"
    else:
        msg += "; see liyang_ip/registry/indicators.yaml for codes, names and synonyms"
    return msg
