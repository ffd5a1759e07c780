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
from ..registry.regionsets import region_set_list, resolve_in
from .numbers import NumberParseError, parse_cell
from .schema import STATUS_ALIASES, STATUSES, Issue

CLEAN_COLUMNS = ["region", "year", "indicator", "value", "unit", "status", "source_id", "note", "quote",
                 "_file", "_row", "_field"]
_PLAIN = r"[+-]?[0-9]{1,15}(?:\.[0-9]{1,15})?"
#: Unit names that carry a scale word (万件, 亿元): a value with its own 万/亿 would be scaled twice.
_SCALED_UNIT = re.compile(r"^(?:十万|百万|千万|万亿|万|亿|千)")
_FIELD_ORDER = {"region": 0, "indicator": 1, "year": 2, "value": 3, "status": 4, "source_id": 5, "unit": 6}


def _region_check(name: str, sets: list) -> tuple[str | None, str]:
    """(canonical name, '') in the first of the region sets that knows `name`, else (None, why)."""
    try:
        region, rset = resolve_in(name, sets)
    except registry.UnknownNameError as e:
        return None, _unknown_msg(e, [n for s in sets for n in (s.parent, *s.members)])
    r = rset.regions()[region]
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
                  default_status: str = "official", region_sets=None) -> tuple[pd.DataFrame, list[Issue]]:
    """Normalise raw records (see `readers`) into observation rows in canonical units.

    Parameters
    ----------
    raw : DataFrame
        Columns region, year, indicator, value, unit, status, source_id, note, quote, _file, _row, _field.
    known_sources : set of str, optional
        Source ids that exist; a row citing another id is an error. None skips the check.
    default_status : str
        Status for rows that leave it blank.
    region_sets : RegionSet, name, path or a list of them, optional
        The geography names are resolved in (the first set that knows a name wins); default the default
        region set.

    Returns
    -------
    (clean, issues)
        ``clean`` keeps the provenance columns; rows whose value cell marks a missing figure (—, blank)
        are dropped, since a missing figure is an absent row (coverage reports it). Values outside the
        catalogue's plausible ``range`` are kept with a warning; a scale given twice (0.1856万 with unit
        万件) is an error. Text columns (region, indicator, unit, status, source_id, note, quote,
        _file, _field) are categoricals with their distinct texts sorted (a million rows hold each
        text once); `schema.conform` / `schema.plain_text` turn them into plain text.
    """
    n = len(raw)
    if n == 0:
        return pd.DataFrame(columns=CLEAN_COLUMNS), []
    cat = registry.indicators()
    empty = pd.Series([""] * n, dtype=object)

    def column(c: str) -> pd.Series:
        if c not in raw:
            return empty
        s = raw[c]
        if isinstance(s.dtype, pd.CategoricalDtype) and not s.hasnans:
            return s  # (the large-file reader's text columns: each distinct text is worked on once)
        return s if pd.api.types.is_string_dtype(s) and not s.hasnans else s.fillna("").astype(str)

    def factor(c: str) -> tuple[np.ndarray, np.ndarray]:
        """(codes, distinct texts as an object array) of a column: work is done once per distinct text."""
        codes, uniques = pd.factorize(column(c))
        return codes, np.asarray(uniques, dtype=object)

    rows = raw["_row"].to_numpy()
    file_codes, files = factor("_file")
    field_codes, fields = factor("_field")
    raw_value = column("value")
    found: list[tuple[int, int, Issue]] = []  # (position, field order, issue)

    def field_at(p: int) -> str:
        return fields[field_codes[p]] or "value"

    def add(where, field_of, value_of, msg_of, severity="error"):
        pos = np.flatnonzero(where) if isinstance(where, np.ndarray) and where.dtype == bool else where
        for p in pos:
            field = field_of(p) if callable(field_of) else field_of
            found.append((int(p), _FIELD_ORDER.get(field, 3), Issue(
                severity, files[file_codes[p]], int(rows[p]), field, value_of(p), msg_of(p))))

    # names and years, once per distinct text
    rc, ru = factor("region")
    sets = region_set_list(region_sets)
    reg = [_region_check(u, sets) for u in ru]
    ic, iu = factor("indicator")
    ind = [_indicator_check(u) for u in iu]
    code = np.array([c for c, _ in ind] + [None], dtype=object)[ic]
    yc, yu = factor("year")
    yr = np.array([_year_check(u) for u in yu] + [None], dtype=object)
    bad_region = np.array([r is None for r, _ in reg], dtype=bool)[rc]
    bad_code = np.array([c is None for c, _ in ind], dtype=bool)[ic]
    bad_year = np.array([y is None for y in yr[:-1]], dtype=bool)[yc]
    add(bad_region, "region", lambda p: ru[rc[p]], lambda p: reg[rc[p]][1])
    add(bad_code, "indicator", lambda p: iu[ic[p]], lambda p: ind[ic[p]][1])
    add(bad_year, "year", lambda p: yu[yc[p]], lambda p: "year must be a whole calendar year such as 2020")
    year_val = np.array([y if y is not None else 0 for y in yr], dtype="int64")[yc]

    # values: plain numbers vectorised, everything else through parse_cell (once per distinct text)
    plain = raw_value.str.fullmatch(_PLAIN).fillna(False).to_numpy(dtype=bool)
    value = np.full(n, np.nan)
    if plain.any():
        value[plain] = raw_value[plain].astype("float64").to_numpy()
    approx = np.zeros(n, dtype=bool)
    footnote: dict[int, str] = {}
    scale = np.ones(n)
    percent = np.zeros(n, dtype=bool)
    bad_value = np.zeros(n, dtype=bool)
    parsed: dict[str, object] = {}
    other = np.flatnonzero(~plain)
    for p, t in zip(other, raw_value.iloc[other].tolist(), strict=True):
        if t not in parsed:
            try:
                parsed[t] = parse_cell(t)
            except NumberParseError as e:
                parsed[t] = e
        c = parsed[t]
        if isinstance(c, NumberParseError):
            bad_value[p] = True
            add([p], field_at, lambda p, t=t: t, lambda p, c=c: f"non-numeric value ({c.reason})")
            continue
        if c.value is not None:
            value[p] = c.value
        approx[p], scale[p], percent[p] = c.approximate, c.scale, c.percent
        if c.footnote:
            footnote[int(p)] = c.footnote
    missing = np.isnan(value) & ~bad_value

    # status and source, only for rows with a figure (as a row-by-row check stops at a bad value)
    live = ~bad_value & ~missing
    sc, su = factor("status")
    st_u = np.array([_status_of(u, default_status) for u in su], dtype=object)
    status = st_u[sc]
    bad_status = live & ~np.isin(st_u, STATUSES)[sc]
    add(bad_status, "status", lambda p: status[p], lambda p: f"status must be one of {', '.join(STATUSES)} "
        "(or 官方, 估计)")
    oc, ou = factor("source_id")
    src_u = np.array([u.strip() for u in ou], dtype=object)
    source_id = src_u[oc]
    bad_source = np.zeros(n, dtype=bool)
    if known_sources is not None:
        need = live & (status != "derived")
        blank = (src_u == "")[oc]
        unknown = np.array([u not in known_sources for u in src_u], dtype=bool)[oc]
        no_src = need & blank
        unknown_src = need & ~blank & unknown
        add(no_src, "source_id", lambda p: "",
            lambda p: "every figure needs a source_id that is listed in the sources table")
        add(unknown_src, "source_id", lambda p: source_id[p], lambda p: "source_id not found in the sources table")
        bad_source = no_src | unknown_src

    ok = live & ~bad_region & ~bad_code & ~bad_year & ~bad_status & ~bad_source
    # units, once per (indicator, unit) pair
    uc, uu = factor("unit")
    unit_u = np.array([u.strip() for u in uu], dtype=object)
    unit_in = unit_u[uc]
    blank_unit = (unit_u == "")[uc]
    unit_in = np.where(blank_unit & percent, "%", unit_in)
    no_unit = ok & blank_unit & ~percent
    add(no_unit, "unit", lambda p: "", lambda p: f"no unit given; assumed {cat[code[p]].unit!r} "
        f"(the catalogue unit of {code[p]})", severity="warning")
    if no_unit.any():
        unit_in = np.where(no_unit, np.array([cat[c].unit if c else "" for c in code], dtype=object), unit_in)
    factor_v = np.full(n, np.nan)
    if ok.any():
        # one unit rule per distinct (indicator, unit) pair, found on integer codes
        cc, cu = pd.factorize(code[ok])
        vc, vu = pd.factorize(unit_in[ok])
        pc, pk = pd.factorize(cc.astype("int64") * len(vu) + vc)
        rule_f = np.array([(r.factor if (r := registry.unit_rule(cu[k // len(vu)], vu[k % len(vu)])) is not None
                            else np.nan) for k in pk])
        factor_v[ok] = rule_f[pc]
    bad_unit = ok & np.isnan(factor_v)
    add(bad_unit, "unit", lambda p: unit_in[p], lambda p: f"cannot convert {unit_in[p]!r} to "
        f"{cat[code[p]].unit!r} for {code[p]}; use {cat[code[p]].unit!r} or a unit that converts to it")
    ok &= ~bad_unit
    scaled = ok & (scale != 1)
    twice = np.zeros(n, dtype=bool)
    for p in np.flatnonzero(scaled):
        twice[p] = bool(_SCALED_UNIT.match(unicodedata.normalize("NFKC", unit_in[p])))
    add(twice, field_at, lambda p: raw_value.iloc[p],
        lambda p: f"scale given twice: the value has its own 万/亿 and the unit is {unit_in[p]!r}; write the "
        f"number alone (e.g. {value[p] / scale[p]:g} with unit {unit_in[p]}) or the unit without the scale")
    ok &= ~twice
    final = value * factor_v
    kinds = {c: i.kind for c, i in cat.items()}
    counts = np.array([kinds.get(c, "") in ("stock", "flow", "cumulative") for c in iu_codes(ind)] + [False], dtype=bool)[ic]
    negative = ok & counts & (final < 0)
    add(negative, field_at, lambda p: raw_value.iloc[p],
        lambda p: f"negative count for {code[p]} ({cat[code[p]].name_zh}); counts cannot be negative")
    ok &= ~negative
    for c, i in cat.items():
        if not i.range:
            continue
        out_of = ok & (code == c) & ~((final >= i.range[0]) & (final <= i.range[1]))
        add(out_of, field_at, lambda p: raw_value.iloc[p],
            lambda p, i=i, c=c: f"{c} is usually within {i.range[0]:g}–{i.range[1]:g} {i.unit}; "
            "check the figure and its unit (kept as given)", severity="warning")

    keep = np.flatnonzero(ok)
    nc, nu = factor("note")
    note_codes, note_texts = nc[keep], [u.strip() for u in nu]
    updates: dict[int, str] = {}
    for j in (np.flatnonzero(approx[keep]) if approx.any() else []):
        updates[int(j)] = "; ".join(x for x in (note_texts[note_codes[j]], "approximate in source") if x)
    if footnote:
        pos_in_keep = {int(p): j for j, p in enumerate(keep)}
        for p, mark in footnote.items():
            j = pos_in_keep.get(p)
            if j is not None:
                updates[j] = "; ".join(x for x in (updates.get(j, note_texts[note_codes[j]]),
                                                   f"footnote {mark} in source") if x)
    if updates:
        note_codes = note_codes.copy()
        for j, text in updates.items():
            note_codes[j] = len(note_texts)
            note_texts.append(text)
    qc, qu = factor("quote")
    unit_of = {c: i.unit for c, i in cat.items()}
    # Text columns as categoricals (codes into the distinct texts; categories in text order, so sorting
    # by them sorts by text): a million rows need no string per row.
    out = pd.DataFrame({
        "region": _categorical(rc[keep], [r for r, _ in reg]), "year": year_val[keep],
        "indicator": _categorical(ic[keep], iu_codes(ind)), "value": final[keep].astype(float),
        "unit": _categorical(ic[keep], [unit_of.get(c, "") for c in iu_codes(ind)]),
        "status": _categorical(sc[keep], st_u), "source_id": _categorical(oc[keep], src_u),
        "note": _categorical(note_codes, note_texts), "quote": _categorical(qc[keep], [u.strip() for u in qu]),
        "_file": _categorical(file_codes[keep], files), "_row": rows[keep],
        "_field": _categorical(field_codes[keep], [f or "value" for f in fields]),
    }, columns=CLEAN_COLUMNS)
    found.sort(key=lambda x: (x[0], x[1]))
    issues = list(dict.fromkeys(i for _, _, i in found))
    return out, issues


def _categorical(codes: np.ndarray, texts) -> pd.Categorical:
    """``texts[codes]`` as a categorical with its distinct texts sorted (codes index `texts`, which may
    repeat a text; no code is -1 for kept rows)."""
    tcodes, cats = pd.factorize(np.asarray(list(texts), dtype=object), sort=True)
    return pd.Categorical.from_codes(tcodes[codes], categories=pd.Index(cats, dtype=object))


def iu_codes(checked: list[tuple[str | None, str]]) -> list[str | None]:
    """Indicator codes of the distinct indicator texts (None where unknown)."""
    return [c for c, _ in checked]


def _unknown_msg(e: registry.UnknownNameError, valid: list[str] | None) -> str:
    msg = f"unknown {e.kind}"
    if e.suggestions:
        msg += f"; did you mean {' / '.join(e.suggestions)}?"
    elif valid:
        msg += f"; valid: {', '.join(valid)}"
    else:
        msg += "; see liyang_ip/registry/indicators.yaml for codes, names and synonyms"
    return msg
