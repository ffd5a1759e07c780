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
) -> pd.DataFrame:
    """A copy of a result frame for display: codes → names, column labels in ``lang``, rounded numbers.

    Labels that name the geography (parent figure, parent average, median member) use the words of
    `region_set` (a RegionSet, bundled name or path; default the default set).

    A named index (e.g. ``region``) becomes a column first, so ``columns`` may name it. Indicator codes,
    region names and method names become display names; column names are translated with
    :data:`COLUMN_LABELS` (extra or overriding ``labels`` win); floats are rounded (``decimals``, or by
    magnitude). NaN stays NaN.
    """
    out = df.copy()
    if isinstance(out.index, pd.MultiIndex) or out.index.name is not None:
        out = out.reset_index()
    if columns is not None:
        out = out[[c for c in columns if c in out.columns]]
    out = out.reset_index(drop=True)
    if "indicator" in out.columns:
        out["indicator"] = [indicator_name(c, lang) for c in out["indicator"]]
    if "region" in out.columns:
        out["region"] = [region_name(r, lang) for r in out["region"]]
    if "method" in out.columns:
        out["method"] = [method_label(m, lang) for m in out["method"]]
    if "pillar" in out.columns:
        out["pillar"] = [pillar_name(p, lang) for p in out["pillar"]]
    for c in out.columns:
        if pd.api.types.is_float_dtype(out[c]):
            col = out[c].astype(float)
            out[c] = col.round(decimals if decimals is not None else _decimals(col))
    names = column_labels(lang, _set_of(region_set, df))
    names.update(labels or {})
    return out.rename(columns=names)


def table(
    df: pd.DataFrame,
    lang: str = "zh",
    columns: Sequence[str] | None = None,
    labels: dict[str, str] | None = None,
    decimals: int | None = None,
    demo: bool = False,
    region_set=None,
):
    """:func:`format_table` as a pandas Styler for notebooks and reports: no index column, numbers with
    thousands separators and the rounding of :func:`format_table`, booleans as 是/否 (yes/no), missing
    values as "—". An empty frame gives a one-line "（无）/ (none)" note instead of a bare header.

    With ``demo=True`` (figures from the synthetic demo panel) the table carries a visible caption
    "演示数据 / demo data", as every chart made from demo data does."""
    if df is None or len(df) == 0:
        from IPython.display import Markdown

        return Markdown(_word("empty", lang))
    shown = format_table(df, lang, columns, labels, decimals, region_set)
    yes, no = _word("flag_yes", lang), _word("flag_no", lang)
    fmt = {}
    for c in shown.columns:
        col = shown[c]
        if pd.api.types.is_bool_dtype(col):
            fmt[c] = lambda v, yes=yes, no=no: "—" if pd.isna(v) else (yes if v else no)
        elif pd.api.types.is_float_dtype(col):
            d = decimals if decimals is not None else _decimals(col.astype(float))
            fmt[c] = lambda v, d=d: "—" if pd.isna(v) else f"{v:,.{d}f}"
    # escape: text from a user's data (source titles, notes, URLs) is shown as text, never run as HTML.
    styler = (shown.style.hide(axis="index").format(fmt, na_rep="—", escape="html")
              .format_index(escape="html", axis=1))
    # Numbers stay on one line when a wide table is fitted to the page (the text columns wrap).
    numeric = [i for i, c in enumerate(shown.columns)
               if pd.api.types.is_numeric_dtype(shown[c]) and not pd.api.types.is_bool_dtype(shown[c])]
    if numeric:
        styler = styler.set_table_styles(
            [{"selector": f"td.col{i}", "props": "white-space: nowrap;"} for i in numeric], overwrite=False)
    if demo:
        styler = styler.set_caption(_word("demo_caption", lang)).set_table_styles(
            [{"selector": "caption", "props": "caption-side: top; color: #b2182b; font-weight: bold; text-align: left;"}],
            overwrite=False,
        )
    return styler


def _word(key: str, lang: str = "zh") -> str:
    """A fixed word of the tables (``tables.<key>``: empty, flag_yes, flag_no, demo_caption)."""
    from liyang_ip import wording

    return wording.text(f"tables.{key}", "en" if lang == "en" else "zh")


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
