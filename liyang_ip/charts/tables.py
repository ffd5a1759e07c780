"""Tables for reports: catalogue labels, units and consistent rounding instead of raw DataFrames."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:  # pragma: no cover
    pass

from .base import _set_of, indicator_name, pillar_name, region_name


def _sources(key: str) -> dict[str, tuple[str, str]]:
    """{name: (zh template, en template)} of a group of the wording files (``tables.columns`` …)."""
    from liyang_ip import wording

    zh, en = wording.catalogue("zh")["tables"][key], wording.catalogue("en")["tables"][key]
    return {k: (str(zh[k]), str(en.get(k, zh[k]))) for k in zh}


#: Column labels by result column, as (zh, en) templates: ``tables.columns`` of the wording files. Those
#: that name the geography take ``geo`` (the region set's words): {{ geo.parent }}数值, 与{{ geo.average }}之差.
COLUMN_LABELS = _sources("columns")


def _decimals(col: pd.Series) -> int:
    mag = col.abs().median() if col.notna().any() else 0
    return 0 if mag >= 100 else 1 if mag >= 10 else 2


def column_labels(lang: str = "zh", region_set=None) -> dict[str, str]:
    """Every column label in `lang`, with the geography words of `region_set` (default: the default set):
    期初占全市比重（%） / 期初占全国比重（%）, 与常州平均之差 / 与全国平均之差."""
    from liyang_ip import registry, wording

    lang = "en" if lang == "en" else "zh"
    return wording.group("tables.columns", lang, geo=registry.region_set(region_set).words(lang))


def format_table(
    df: pd.DataFrame,
    lang: str = "zh",
    columns: Sequence[str] | None = None,
    labels: dict[str, str] | None = None,
    decimals: int | None = None,
    region_set=None,
    *,
    as_text: bool = False,
) -> pd.DataFrame:
    """A copy of a result frame for display: codes → names, column labels in ``lang``, rounded numbers.

    Labels that name the geography (parent figure, parent average, median member) use the words of
    `region_set` (a RegionSet, bundled name or path; default the one recorded on `df`, else the default
    set).

    A named index (e.g. ``region``) becomes a column first, so ``columns`` may name it. Indicator codes,
    region names, method and pillar names become display names; column names are translated with
    :data:`COLUMN_LABELS` (extra or overriding ``labels`` win). The input is not changed.

    Numbers: floats are rounded (``decimals``, or by magnitude: 0 from 100, 1 from 10, else 2) and NaN
    stays NaN. With ``as_text=True`` every number becomes the text the report prints instead
    (:func:`display_frame`).
    """
    out = df.copy()
    if isinstance(out.index, pd.MultiIndex) or out.index.name is not None:
        out = out.reset_index()
    out = out.reset_index(drop=True)
    units = _row_units(out) if as_text else None  # before the column selection, which may leave the unit out
    if columns is not None:
        out = out[[c for c in columns if c in out.columns]]
    numeric: list[int] = []
    if as_text:
        numeric = [i for i, c in enumerate(out.columns)
                   if pd.api.types.is_numeric_dtype(out[c]) and not pd.api.types.is_bool_dtype(out[c])]
        out = _numbers_as_text(out, units, lang, decimals)
    else:
        for c in out.columns:
            if pd.api.types.is_float_dtype(out[c]):
                col = out[c].astype(float)
                out[c] = col.round(decimals if decimals is not None else _decimals(col))
    if "indicator" in out.columns:
        out["indicator"] = [indicator_name(c, lang) for c in out["indicator"]]
    if "region" in out.columns:
        out["region"] = [region_name(r, lang) for r in out["region"]]
    if "method" in out.columns:
        out["method"] = [method_label(m, lang) for m in out["method"]]
    if "pillar" in out.columns:
        out["pillar"] = [pillar_name(p, lang) for p in out["pillar"]]
    names = column_labels(lang, _set_of(region_set, df))
    names.update(labels or {})
    out = out.rename(columns=names)
    if as_text:
        out.attrs["numeric_positions"] = numeric
    return out


#: Columns holding calendar years: written as 2025, never 2,025 or 2025.0.
YEAR_COLUMNS = frozenset({"year", "latest_year", "base_year", "first_year", "last_year", "target_year"})
#: Columns in the row's indicator unit: whole counts (件, 家, 人, …) without decimals, as in the prose.
VALUE_COLUMNS = frozenset({
    "value", "value_start", "value_end", "increment", "target", "actual", "city_value", "city_avg", "gap_city",
    "median", "leader_value", "mean", "lower", "upper", "base_value", "projected", "focus_base", "bench_base",
    "bench_projected", "focus_trend", "gap_rule", "proposed", "plan_target", "latest_value", "projected_at_start",
})
#: Columns other than ``region`` that hold region names (shown by their English names in English tables).
REGION_COLUMNS = frozenset({"leader", "focus"})
#: Columns in per cent or percentage points (their labels say "%" or "pp"): one decimal, as the prose
#: writes percentages.
PERCENT_COLUMNS = frozenset(k for k, (_zh, en) in COLUMN_LABELS.items() if "%" in en or "(pp)" in en)


def _row_units(df: pd.DataFrame) -> list[str]:
    """The unit of each row: its ``unit`` column, else its indicator's catalogue unit ('' when neither)."""
    if "unit" in df.columns:
        return ["" if pd.isna(u) else str(u) for u in df["unit"]]
    if "indicator" in df.columns:
        from liyang_ip import registry

        cat = registry.indicators()
        return [cat[c].unit if c in cat else "" for c in df["indicator"]]
    return [""] * len(df)


def _cell_text(v, kind: str, unit: str, decimals: int | None, yes: str, no: str) -> str:
    from liyang_ip.wording.format import COUNT_UNITS, MISSING, fmt_number, is_missing

    if isinstance(v, bool) or (type(v).__name__ == "bool_"):
        return yes if v else no
    if is_missing(v):
        return MISSING
    if kind == "year":
        return f"{float(v):.0f}"
    if decimals is not None:
        return fmt_number(v, decimals)
    if kind == "percent":
        return fmt_number(v, 1)
    if kind == "value" and unit in COUNT_UNITS and abs(float(v) - round(float(v))) < 1e-9:
        return fmt_number(v, 0)
    return fmt_number(v)


def _numbers_as_text(out: pd.DataFrame, units: list[str], lang: str, decimals: int | None) -> pd.DataFrame:
    """Numbers, years and flags of `out` (already a copy) as the report's text; in English also the unit
    words and the region names outside ``region`` (see :func:`display_frame`)."""
    yes, no = _word("flag_yes", lang), _word("flag_no", lang)
    for c in out.columns:
        col = out[c]
        is_int = pd.api.types.is_integer_dtype(col) and not pd.api.types.is_bool_dtype(col)
        is_number = pd.api.types.is_numeric_dtype(col) and not is_int
        flags = (not is_number and col.dtype == object
                 and col.map(lambda v: isinstance(v, bool) or type(v).__name__ == "bool_").any())
        if not (is_number or flags or (is_int and c in YEAR_COLUMNS)):
            continue
        kind = ("year" if c in YEAR_COLUMNS else "percent" if c in PERCENT_COLUMNS
                else "value" if c in VALUE_COLUMNS else "number")
        out[c] = [_cell_text(v, kind, u, decimals, yes, no) for v, u in zip(col.tolist(), units, strict=True)]
    if lang == "en":
        # Units and the names of regions in other columns than `region` are words of the report too.
        from liyang_ip import wording

        if "unit" in out.columns:
            # A count has no unit word in English prose ("3,339 invention patents"); its column says so.
            out["unit"] = [u if pd.isna(u) else (wording.unit(str(u), "en") or ("number" if u else ""))
                           for u in out["unit"]]
        for c in REGION_COLUMNS & set(out.columns):
            out[c] = [v if pd.isna(v) else region_name(v, lang) for v in out[c]]
    return out


def display_frame(
    df: pd.DataFrame,
    lang: str = "zh",
    columns: Sequence[str] | None = None,
    labels: dict[str, str] | None = None,
    decimals: int | None = None,
    region_set=None,
) -> pd.DataFrame:
    """A result frame as the report prints it: every number already text, by the prose's formatter.

    Numbers are written by :func:`liyang_ip.wording.format.fmt_number`, the formatter of the report's
    sentences, so a figure reads the same, digit for digit, in a table and in the sentence about it:
    values in an indicator's unit (:data:`VALUE_COLUMNS`) ≥ 100 without decimals and with thousands
    separators, 10–100 with one decimal, below 10 with two, whole counts (件, 家, 人, …) without decimals;
    per cent and percentage points (:data:`PERCENT_COLUMNS`) with one decimal; years as years
    (:data:`YEAR_COLUMNS`); ``decimals`` overrides the rule for every number. Booleans read 是/否
    (yes/no); missing values (None, NaN, NA) read "—". Codes become display names and columns get their
    labels as in :func:`format_table` (this is ``format_table(..., as_text=True)``). Integer columns
    (ranks, counts) stay integers. ``attrs['numeric_positions']`` lists the columns that held numbers.
    """
    return format_table(df, lang, columns, labels, decimals, region_set, as_text=True)


def table(
    df: pd.DataFrame,
    lang: str = "zh",
    columns: Sequence[str] | None = None,
    labels: dict[str, str] | None = None,
    decimals: int | None = None,
    demo: bool = False,
    region_set=None,
):
    """:func:`display_frame` as a pandas Styler for notebooks and reports: no index column, the numbers
    written as the report's sentences write them, booleans as 是/否 (yes/no), missing values as "—". An
    empty frame gives a one-line "（无）/ (none)" note instead of a bare header.

    With ``demo=True`` (figures from the synthetic demo panel) the table carries a visible caption in
    `lang` (:func:`demo_table_caption`), as every chart made from demo data carries a demo mark."""
    if df is None or len(df) == 0:
        from IPython.display import Markdown

        return Markdown(_word("empty", lang))
    shown = display_frame(df, lang, columns, labels, decimals, region_set)
    # escape: text from a user's data (source titles, notes, URLs) is shown as text, never run as HTML.
    styler = (shown.style.hide(axis="index").format(na_rep="—", escape="html")
              .format_index(escape="html", axis=1))
    # Numbers stay on one line when a wide table is fitted to the page (the text columns wrap); they are
    # text by now, display_frame says which columns held them.
    numeric = shown.attrs.get("numeric_positions", [])
    if numeric:
        styler = styler.set_table_styles(
            [{"selector": f"td.col{i}", "props": "white-space: nowrap;"} for i in numeric], overwrite=False)
    if demo:
        styler = styler.set_caption(demo_table_caption(lang)).set_table_styles(
            [{"selector": "caption", "props": "caption-side: top; color: #b2182b; font-weight: bold; text-align: left;"}],
            overwrite=False,
        )
    return styler


def _word(key: str, lang: str = "zh") -> str:
    """A fixed word of the tables (``tables.<key>``: empty, flag_yes, flag_no, demo_caption)."""
    from liyang_ip import wording

    return wording.text(f"tables.{key}", "en" if lang == "en" else "zh")


def demo_table_caption(lang: str = "zh") -> str:
    """The demo caption of a table in `lang` (``tables.demo_caption``: one language, a Chinese report
    carries no English)."""
    return _word("demo_caption", lang)


#: Caption of tables made from demo data (the charts' watermark, in words): ``tables.demo_caption``.
DEMO_TABLE_CAPTION = _word("demo_caption")

#: Projection methods' display names as (zh, en): ``tables.methods`` of the wording files.
METHOD_LABELS = _sources("methods")


def method_label(method: str, lang: str = "zh") -> str:
    """Display name of a projection method."""
    from liyang_ip import wording

    if str(method) not in METHOD_LABELS:
        return str(method)
    return wording.text(f"tables.methods.{method}", "en" if lang == "en" else "zh")
