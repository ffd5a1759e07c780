"""Charts and tables of the key-industry patent view (notebook 05), in the house style of
``liyang_ip.charts``: CJK fonts, focus block in red against grey peers, a source line under every
figure and the 演示数据 / demo data watermark when the patent list is the synthetic demo.

Each function takes the indicator table of :func:`liyang_ip.patents.indicators.compute` (or a frame
derived from it) and returns a matplotlib Figure; an empty selection gives a figure saying so (gaps are
shown, never filled). Years whose counts are incomplete (status date, publication lag) are drawn
hatched and named in the source line.
"""

from __future__ import annotations

import html
import textwrap
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from . import indicators as ind

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

INVENTION_COLOR = "#8E2C22"
OTHER_COLOR = "#E3A79F"
# counting bases and the wording key of each one's label (liyang_ip/wording/<lang>.yaml)
BASIS_LABELS = {"any_ipc": "patents.charts.basis.any_ipc", "first_ipc": "patents.charts.basis.first_ipc"}


def geo_words(lang: str = "zh") -> dict[str, str]:
    """The geography words (``geo`` of the wording templates) of the default region set, whose parent and
    members the patent list is located to (:func:`liyang_ip.patents.locate.city_and_blocks`)."""
    from liyang_ip import registry

    return registry.region_set().words(lang)


def _w(key: str, lang: str, **values: Any) -> str:
    """The wording ``patents.charts.<key>`` in `lang` (with the geography words)."""
    from liyang_ip import wording

    return wording.render(f"patents.charts.{key}", lang, geo=geo_words(lang), **values)


def industry_label(code: str, industries, lang: str = "zh") -> str:
    if code == "all":
        return _w("all_patents", lang)
    for i in industries:
        if i.code == code:
            return i.label(lang)
    return code


def source_line(table: pd.DataFrame, lang: str = "zh", basis: str | None = None, extra: str = "") -> str:
    """The source line: the export file and status date, the counting basis, demo status."""
    from pathlib import Path

    from liyang_ip import wording

    basis_label = wording.text(BASIS_LABELS[basis], lang) if basis in BASIS_LABELS else ""
    return _w("source_line", lang, file_name=Path(table.attrs.get("source_file", "")).name,
              as_of=table.attrs.get("as_of", ""), basis_label=basis_label, extra=extra,
              is_demo=bool(table.attrs.get("is_demo")))


def _figure(width: float, height: float, nrows: int = 1, ncols: int = 1, **kw: Any):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig, fig.subplots(nrows, ncols, squeeze=False, **kw)


def _finish(fig, source: str, demo: bool, title: str | None = None, lang: str = "zh"):
    """Title, wrapped source line (gid source-line) and the demo watermark (gid demo-mark, in `lang`)."""
    from liyang_ip.charts import FOCUS_COLOR, SOURCE_COLOR, demo_mark

    width, height = fig.get_figwidth(), fig.get_figheight()
    per_inch = 8 if any("\u3400" <= ch <= "\u9fff" for ch in source) else 14
    wrapped = "\n".join(textwrap.wrap(source, max(30, int(width * per_inch)), break_on_hyphens=False))
    nlines = max(1, wrapped.count("\n") + 1)
    bottom = min(0.3, (0.12 + 0.16 * nlines) / height)
    if title:
        fig.suptitle(title, fontsize=12.5, fontweight="bold")
    fig.get_layout_engine().set(rect=(0, bottom, 1, 1 - bottom))
    fig.text(0.01, 0.012, wrapped, ha="left", va="bottom", fontsize=7.5, color=SOURCE_COLOR, gid="source-line")
    if demo:
        fig.text(0.5, 0.5, demo_mark(lang), ha="center", va="center", rotation=25, fontsize=max(18, min(44, width * 4.2)),
                 color=FOCUS_COLOR, alpha=0.16, fontweight="bold", zorder=10, gid="demo-mark")
    return fig


def _no_data(table: pd.DataFrame, lang: str, what: str):
    from liyang_ip.charts import no_data_figure

    return no_data_figure(_w("no_data", lang, what=what),
                          lang=lang, source=source_line(table, lang), demo=bool(table.attrs.get("is_demo")))


def industry_trends(table: pd.DataFrame, focus: str, industries, *, basis: str = "any_ipc",
                    years: tuple[int, int] | None = None, period: tuple[int, int] | None = None,
                    lang: str = "zh", title: str | None = None) -> Figure:
    """Main chart: one panel per industry, the focus block's patent applications per year (inventions
    dark, other types light), incomplete years hatched, the plan period shaded, and the focus block's
    share of the city's applications (%) as a line on the right axis."""
    from liyang_ip.charts import CITY_COLOR, style, year_axis

    codes = [i.code for i in industries]
    apps = ind.select(table, "patent_applications", basis=basis, region=focus, years=years)
    inv = ind.select(table, "invention_patent_applications", basis=basis, region=focus, years=years)
    share = ind.share_of_parent(table, focus, "patent_applications", basis=basis, years=years)
    if apps.empty or not codes:
        return _no_data(table, lang, _w("applications", lang))
    n = len(codes)
    ncols = 2 if n > 1 else 1
    nrows = -(-n // ncols)
    with style():
        fig, axes = _figure(10.0, 2.9 * nrows + 0.9, nrows, ncols, sharex=True)
        for k, code in enumerate(codes):
            ax = axes[k // ncols, k % ncols]
            a = apps[apps["industry"] == code].set_index("year")
            v = inv[inv["industry"] == code].set_index("year")["value"].reindex(a.index, fill_value=0)
            other = a["value"] - v
            hatch = ["//" if not c else "" for c in a["complete"]]
            ax.bar(a.index, v, color=INVENTION_COLOR, hatch=None, label=_w("inventions", lang))
            ax.bar(a.index, other, bottom=v, color=OTHER_COLOR, label=_w("other_types", lang))
            for x, h, top in zip(a.index, hatch, a["value"], strict=True):
                if h:
                    ax.bar([x], [max(top, 0)], fill=False, hatch="///", edgecolor="#666666", linewidth=0)
            if period:
                ax.axvspan(period[0] - 0.5, period[1] + 0.5, color="#F2E6C9", alpha=0.45, zorder=0)
            ax.set_title(industry_label(code, industries, lang), fontsize=11)
            ax.set_ylabel(_w("applications_axis", lang))
            s = share[share["industry"] == code].set_index("year")
            ax2 = ax.twinx()
            ax2.plot(s.index, s["share"], color=CITY_COLOR, marker="o", markersize=3, linewidth=1.2,
                     label=_w("share_of_city", lang))
            ax2.set_ylim(0, max(100.0, float(np.nanmax(s["share"])) if s["share"].notna().any() else 100.0) * 1.05)
            ax2.set_ylabel(_w("share_axis", lang), fontsize=8.5)
            ax2.grid(False)
            year_axis(ax)
        for k in range(n, nrows * ncols):
            axes[k // ncols, k % ncols].set_axis_off()
        from matplotlib.lines import Line2D
        from matplotlib.patches import Patch

        bars, _ = axes[0, 0].get_legend_handles_labels()
        handles = [*bars[:2],
                   Line2D([], [], color=CITY_COLOR, marker="o", markersize=3,
                          label=_w("share_right_axis", lang)),
                   Patch(fill=False, hatch="///", edgecolor="#666666", label=_w("incomplete_year", lang))]
        fig.legend(handles=handles, loc="outside upper center", ncols=4, fontsize=8.5, frameon=False)
        incomplete = sorted(int(y) for y in apps.loc[~apps["complete"].astype(bool), "year"].unique())
        extra = ""
        if incomplete:
            extra = _w("incomplete", lang, incomplete_years=incomplete)
        # No title by default: the report prints the cell's caption under the figure.
        return _finish(fig, source_line(table, lang, basis, extra), bool(table.attrs.get("is_demo")), title, lang)


def block_heatmap(table: pd.DataFrame, focus: str, industries, *, indicator: str = "invention_patents_held",
                  year: int | None = None, basis: str = "any_ipc", lang: str = "zh") -> Figure:
    """Blocks × industries: each block's share (%) of the city's count of ``indicator`` in ``year``
    (default the last complete year), with the counts written in the cells; the focus row bold."""
    from liyang_ip.charts import region_name, style

    from .locate import city_and_blocks

    city, blocks = city_and_blocks()
    t = ind.select(table, indicator, basis=basis)
    t = t[t["complete"].astype(bool)]
    if t.empty:
        return _no_data(table, lang, ind.label(indicator, lang))
    year = int(t["year"].max()) if year is None else int(year)
    t = t[t["year"] == year]
    cols = [i.code for i in industries]
    counts = t.pivot_table(index="region", columns="industry", values="value", aggfunc="sum").reindex(
        index=[*blocks, city], columns=cols)
    share = 100.0 * counts.loc[list(blocks)] / counts.loc[city].where(counts.loc[city] > 0)
    with style():
        fig, axes = _figure(9.0, 0.45 * len(blocks) + 1.9)
        ax = axes[0, 0]
        data = share.to_numpy(dtype=float)
        im = ax.imshow(np.nan_to_num(data, nan=0.0), cmap="Reds", vmin=0, vmax=max(50.0, np.nanmax(data) if np.isfinite(data).any() else 50.0), aspect="auto")
        for r_i, b in enumerate(blocks):
            for c_i, c in enumerate(cols):
                val, cnt = data[r_i, c_i], counts.loc[b, c]
                txt = "—" if not np.isfinite(val) else f"{val:.0f}%\n({cnt:.0f})"
                ax.text(c_i, r_i, txt, ha="center", va="center", fontsize=8,
                        color="white" if np.isfinite(val) and val > 35 else "#222222",
                        fontweight="bold" if b == focus else "normal")
        ax.set_xticks(range(len(cols)), [industry_label(c, industries, lang) for c in cols], fontsize=9)
        names = [region_name(b, lang) for b in blocks]  # a block's English name in an English chart
        ax.set_yticks(range(len(blocks)), [f"▶ {n}" if b == focus else n for b, n in zip(blocks, names, strict=True)],
                      fontsize=9)
        ax.grid(False)
        fig.colorbar(im, ax=ax, label=_w("share_of_city", lang), shrink=0.8)
        ax.set_title(_w("heatmap_title", lang, name=ind.label(indicator, lang), year=year), fontsize=11)
        return _finish(fig, source_line(table, lang, basis, _w("counts_in_brackets", lang)),
                       bool(table.attrs.get("is_demo")), lang=lang)


def summary_table(table: pd.DataFrame, imp, focus: str, industries, *, years: tuple[int, int], basis: str = "any_ipc",
                  lang: str = "zh") -> pd.DataFrame:
    """Per industry for the focus block: applications over ``years`` (sum), invention share (%),
    invention grants (sum), and at the end of the last complete year ≤ years[1]: inventions in force,
    > 10 years, high-value, and the focus block's share of the city's inventions in force (%)."""
    from .locate import city_and_blocks

    city, _ = city_and_blocks()
    rows = []
    stock_year = None
    held_all = ind.select(table, "invention_patents_held", basis=basis)
    if not held_all.empty:
        ok = held_all[held_all["complete"].astype(bool) & (held_all["year"] <= years[1])]
        stock_year = int(ok["year"].max()) if len(ok) else None
    for code in ["all", *[i.code for i in industries]]:
        def total(indicator: str, region: str = focus, code: str = code) -> float:
            t = ind.select(table, indicator, basis=basis, industry=code, region=region, years=years)
            return float(t["value"].sum()) if len(t) else np.nan

        def at(indicator: str, region: str = focus, code: str = code) -> float:
            if stock_year is None:
                return np.nan
            t = ind.select(table, indicator, basis=basis, industry=code, region=region, years=(stock_year, stock_year))
            return float(t["value"].sum()) if len(t) else np.nan

        apps, inv = total("patent_applications"), total("invention_patent_applications")
        held, held_city = at("invention_patents_held"), at("invention_patents_held", city)
        rows.append({
            "industry": industry_label(code, industries, lang),
            "applications": apps,
            "invention_share": 100.0 * inv / apps if apps else np.nan,
            "invention_grants": total("invention_patent_grants"),
            "pct": total("pct_applications"),
            "held": held,
            "over_10y": at("invention_patents_over_10y"),
            "high_value": at("high_value_invention_patents"),
            "held_share_of_city": 100.0 * held / held_city if held_city else np.nan,
        })
    out = pd.DataFrame(rows)
    for c in ("applications", "invention_grants", "pct", "held", "over_10y", "high_value"):
        out[c] = out[c].round().astype("Int64")  # counts: whole numbers (NA where not computable)
    out["invention_share"] = out["invention_share"].round(1)
    out["held_share_of_city"] = out["held_share_of_city"].round(1)
    from liyang_ip import wording

    out = out.rename(columns=wording.group("patents.columns.summary", lang, geo=geo_words(lang)))
    out.attrs["stock_year"] = stock_year
    return out


def summary_note(summary: pd.DataFrame, years: tuple[int, int], lang: str = "zh") -> str:
    """The line that goes with :func:`summary_table`: which years the flows sum and which year-end the
    stocks refer to."""
    from liyang_ip import wording

    return wording.render("patents.summary_note", lang, start_year=years[0], end_year=years[1],
                          stock_year=summary.attrs.get("stock_year"))


def safe_table(df: pd.DataFrame, lang: str = "zh", demo: bool = False, decimals: int | None = None):
    """``liyang_ip.charts.table`` with every text cell HTML-escaped: applicant names and titles come from
    the export and must not reach the report as markup (``<script>`` shows as text)."""
    from liyang_ip.charts import table

    st = table(df, lang, decimals=decimals, demo=demo)
    if not hasattr(st, "data"):
        return st  # the "(none)" note
    text_cols = [c for c in st.data.columns
                 if st.data[c].dtype == object or isinstance(st.data[c].dtype, pd.StringDtype)]
    if text_cols:
        st = st.format(subset=text_cols, escape="html", na_rep="—")
    return st


def escape(text: object) -> str:
    """Text from the export for Markdown/HTML prose."""
    return html.escape(str(text), quote=True)


__all__ = ["BASIS_LABELS", "block_heatmap", "escape", "geo_words", "industry_label", "industry_trends", "safe_table", "source_line",
           "summary_note", "summary_table"]
