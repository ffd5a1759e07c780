"""Raw records → canonical observations: names through the registries, numbers, units, statuses.

Each problem becomes an `Issue` naming file, row and field; the offending row is left out of the
clean frame (never guessed), and nothing is lost: the raw file is untouched and the issue says why.
"""

from __future__ import annotations

import pandas as pd

from .. import registry
from .numbers import NumberParseError, parse_cell
from .schema import STATUSES, Issue


def clean_records(raw: pd.DataFrame, known_sources: set[str] | None = None,
                  default_status: str = "official") -> tuple[pd.DataFrame, list[Issue]]:
    """Normalise raw records (see `io`) into observation rows in canonical units.

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
        are dropped, since a missing figure is an absent row (coverage reports it).
    """
    cat = registry.indicators()
    out, issues = [], []
    for rec in raw.to_dict("records"):
        f, row = rec["_file"], int(rec["_row"])

        def err(field, value, msg, f=f, row=row):
            issues.append(Issue("error", f, row, field, str(value), msg))

        ok = True
        try:
            region = registry.resolve_region(rec["region"])
        except registry.UnknownNameError as e:
            err("region", rec["region"], _unknown_msg(e, registry.blocks() + [registry.CITY]))
            ok = False
        else:
            if registry.regions()[region].kind == "former":
                err("region", rec["region"], f"{region} no longer exists: {registry.regions()[region].notes}")
                ok = False
        try:
            code = registry.resolve_indicator(rec["indicator"])
        except registry.UnknownNameError as e:
            err("indicator", rec["indicator"], _unknown_msg(e, None))
            ok = False
            code = None
        year_txt = str(rec["year"]).strip().removesuffix("年")
        try:
            year = int(float(year_txt))
            if not 1949 <= year <= 2100 or float(year_txt) != year:
                raise ValueError
        except ValueError:
            err("year", rec["year"], "year must be a whole calendar year such as 2020")
            ok = False
        field = rec["_field"] or "value"
        try:
            cell = parse_cell(rec["value"])
        except NumberParseError as e:
            err(field, rec["value"], f"non-numeric value ({e.reason})")
            continue
        if cell.value is None:
            continue
        status = (rec.get("status") or "").strip() or default_status
        if status not in STATUSES:
            err("status", status, f"status must be one of {', '.join(STATUSES)}")
            ok = False
        source_id = (rec.get("source_id") or "").strip()
        if known_sources is not None and status != "derived":
            if not source_id:
                err("source_id", "", "every figure needs a source_id that is listed in the sources table")
                ok = False
            elif source_id not in known_sources:
                err("source_id", source_id, "source_id not found in the sources table")
                ok = False
        if not ok or code is None:
            continue
        ind = cat[code]
        unit_in = (rec.get("unit") or "").strip()
        value = cell.value
        note = (rec.get("note") or "").strip()
        if cell.percent and not unit_in:
            unit_in = "%"
        if not unit_in:
            unit_in = ind.unit
            issues.append(Issue("warning", f, row, "unit", "", f"no unit given; assumed {ind.unit!r} "
                                f"(the catalogue unit of {code})"))
        rule = registry.unit_rule(code, unit_in)
        if rule is None:
            err("unit", unit_in, f"cannot convert {unit_in!r} to {ind.unit!r} for {code}; "
                f"use {ind.unit!r} or a unit that converts to it")
            continue
        value = value * rule.factor
        if ind.kind in ("stock", "flow") and value < 0:
            err(field, rec["value"], f"negative count for {code} ({ind.name_zh}); counts cannot be negative")
            continue
        if ind.range and not (ind.range[0] <= value <= ind.range[1]):
            err(field, rec["value"], f"{code} must lie in {ind.range[0]}–{ind.range[1]} {ind.unit}")
            continue
        if cell.approximate:
            note = "; ".join(x for x in (note, "approximate in source") if x)
        if cell.footnote:
            note = "; ".join(x for x in (note, f"footnote {cell.footnote} in source") if x)
        out.append({
            "region": region, "year": year, "indicator": code, "value": float(value), "unit": ind.unit,
            "status": status, "source_id": source_id, "note": note, "quote": (rec.get("quote") or "").strip(),
            "_file": f, "_row": row, "_field": field,
        })
    cols = ["region", "year", "indicator", "value", "unit", "status", "source_id", "note", "quote",
            "_file", "_row", "_field"]
    return pd.DataFrame(out, columns=cols), issues


def _unknown_msg(e: registry.UnknownNameError, valid: list[str] | None) -> str:
    msg = f"unknown {e.kind}"
    if e.suggestions:
        msg += f"; did you mean {' / '.join(e.suggestions)}?"
    elif valid:
        msg += f"; valid: {', '.join(valid)}"
    else:
        msg += "; see liyang_ip/registry/indicators.yaml for codes, names and synonyms"
    return msg
