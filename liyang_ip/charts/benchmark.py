"""Benchmark charts: gaps to a benchmark, score and coverage heatmaps, pillar dots, composite rank intervals."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

from .base import (
    BAD_COLOR,
    CITY_COLOR,
    FOCUS_COLOR,
    GOOD_COLOR,
    PEER_COLOR,
    _check_columns,
    _city,
    _focus,
    _polarity,
    _region_column,
    _set_of,
    chart_canvas,
    chart_label,
    finish_chart,
    indicator_name,
    is_demo,
    no_data_figure,
    pillar_name,
    region_name,
    unit_label,
)


# --------------------------------------------------------------------------------------- gap bars
def gap_bars(
    gaps: pd.DataFrame,
    *,
    focus: str | None = None,
    value_col: str = "gap_city_pct",
    adjust_polarity: bool = True,
    lang: str = "zh",
    reference: str | None = None,
    sources: pd.DataFrame | None = None,
    source: str | None = None,
    demo: bool | None = None,
    title: str | None = None,
    region_set=None,
) -> Figure:
    """Horizontal bars of the focus unit's relative gap to a benchmark, per indicator.

    Parameters
    ----------
    gaps : DataFrame
        ``analysis.benchmark.gap_table`` output or any frame with one row per indicator (and optionally
        per ``year``: several years are drawn as grouped bars, showing whether the gap narrowed).
        Columns indicator and ``value_col``: focus − benchmark in % of the benchmark. A ``region`` column
        is filtered to ``focus``.
    value_col : str
        ``gap_city_pct`` (default: the parent average), ``gap_median_pct`` or ``gap_leader_pct`` of the
        gap table; the benchmark named in the axis label follows from it unless ``reference`` is given.
    adjust_polarity : bool
        Multiply by the catalogue polarity so that positive always means better (green).
    reference : str, optional
        Name of the benchmark in the axis label.
    focus, region_set : optional
        The focus unit (default the set's first member) and the region set whose words name the
        benchmark (default the default set).
    """
    region_set = _set_of(region_set, gaps)
    focus = _focus(focus, region_set)
    if gaps is None or len(gaps) == 0:
        return no_data_figure(lang=lang, source=source, demo=bool(demo), title=title)
    _check_columns(gaps, ["indicator", value_col], "gap_bars")
    df = gaps
    if "region" in df.columns:
        df = df[df["region"] == focus]
    df = df.dropna(subset=[value_col])
    if adjust_polarity:
        df = df.assign(**{value_col: df[value_col] * [_polarity(c) for c in df["indicator"]]})
    demo = is_demo(df, gaps) if demo is None else demo
    if df.empty:
        return no_data_figure(
            chart_label("no_gaps", lang, region=region_name(focus, lang)),
            lang=lang,
            source=source,
            demo=demo,
            title=title,
        )
    years = sorted(df["year"].unique()) if "year" in df.columns else [None]
    last_year = years[-1]
    base = df if last_year is None else df[df["year"] == last_year]
    order = list(base.sort_values(value_col)["indicator"])
    order += [c for c in dict.fromkeys(df["indicator"]) if c not in order]
    if reference is None:
        if "median" in value_col:
            reference = unit_label("median", lang, region_set)
        elif "leader" in value_col:
            reference = unit_label("leader", lang, region_set)
        else:
            reference = unit_label("average", lang, region_set)
    with chart_canvas(7.5, 1.2 + 0.42 * len(order) * (1 + 0.35 * (len(years) - 1))) as (fig, axes):
        ax = axes[0, 0]
        y = np.arange(len(order))
        h = 0.8 / len(years)
        for k, yr in enumerate(years):
            sub = df if yr is None else df[df["year"] == yr]
            vals = sub.set_index("indicator")[value_col].reindex(order)
            latest = yr == last_year
            colors = [GOOD_COLOR if v >= 0 else BAD_COLOR for v in vals.fillna(0)]
            offs = (k - (len(years) - 1) / 2) * h
            ax.barh(
                y + offs,
                vals.values,
                height=h * 0.92,
                color=colors,
                alpha=1.0 if latest else 0.35,
                label=None if yr is None else str(int(yr)),
            )
            if latest:
                for yi, v in zip(y + offs, vals.values, strict=True):
                    if np.isfinite(v):
                        ax.annotate(
                            f"{v:+.0f}%",
                            (v, yi),
                            xytext=(4 if v >= 0 else -4, 0),
                            textcoords="offset points",
                            ha="left" if v >= 0 else "right",
                            va="center",
                            fontsize=8,
                        )
        ax.axvline(0, color=CITY_COLOR, lw=1)
        ax.set_yticks(y, [indicator_name(c, lang) for c in order])
        ax.set_xlabel(chart_label("gap_axis", lang, region=region_name(focus, lang), reference=reference))
        ax.grid(axis="y", visible=False)
        lo, hi = np.nanmin(df[value_col]), np.nanmax(df[value_col])
        pad = 0.18 * max(abs(lo), abs(hi), 1)
        ax.set_xlim(min(lo, 0) - pad, max(hi, 0) + pad)
        if len(years) > 1:
            from matplotlib.patches import Patch

            ax.legend(
                [Patch(color=PEER_COLOR, alpha=0.35), Patch(color=PEER_COLOR)],
                [str(int(years[0])), str(int(last_year))],
                loc="lower right",
            )
        if title is None:
            yr = "" if last_year is None else f"{int(last_year)}"
            title = chart_label("gap_title", lang, year=yr, region=region_name(focus, lang), reference=reference)
        return finish_chart(fig, gaps, sources=sources, source=source, lang=lang, demo=demo, title=title)


# ---------------------------------------------------------------------------------------- heatmap
#: Colour map and look of every heatmap: low scores pale yellow, high dark blue; a missing cell light grey.
HEATMAP_CMAP = "YlGnBu"
MISSING_CELL_COLOR = "#E9ECEF"


def _relative_luminance(rgba: np.ndarray) -> np.ndarray:
    """WCAG relative luminance (0 black – 1 white) of RGB(A) rows in 0–1."""
    rgb = np.asarray(rgba, dtype=float)[:, :3]
    rgb = np.where(rgb <= 0.03928, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return rgb @ np.array([0.2126, 0.7152, 0.0722])


def annotated_heatmap(
    ax,
    data: pd.DataFrame,
    xlabels: list[str],
    ylabels: list[str],
    *,
    vmin: float,
    vmax: float,
    value_label: str,
    lang: str = "zh",
    decimals: int = 0,
):
    """Draw `data` (rows top to bottom, columns left to right) as coloured cells with their values.

    matplotlib alone (the look of ``seaborn.heatmap``: white cell borders, no spines, colour bar without
    outline, dark text on light cells and white text on dark ones). Each value is written by the report's
    one number formatter, :func:`liyang_ip.wording.format.fmt_number` with `decimals` (0: a score of
    12.5 reads 13, as the prose rounds). Colours run from `vmin` to `vmax` (values outside take the end
    colours). A missing value (NaN) is never filled: its cell is light grey and reads "—", and a legend
    entry under the colour bar names it (``charts.labels.no_data_short``).

    Returns
    -------
    QuadMesh
        The cells (``get_array()`` is the masked data, ``norm`` the colour scale).
    """
    import matplotlib as mpl
    from matplotlib.patches import Patch

    from liyang_ip.wording.format import fmt_number

    values = data.to_numpy(dtype=float)
    nrows, ncols = values.shape
    cmap = mpl.colormaps[HEATMAP_CMAP].with_extremes(bad=MISSING_CELL_COLOR)
    mesh = ax.pcolormesh(np.ma.masked_invalid(values), cmap=cmap, vmin=vmin, vmax=vmax,
                         edgecolors="white", linewidth=0.6)
    ax.set_xlim(0, ncols)
    ax.set_ylim(nrows, 0)  # first row at the top, as in a table
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_xticks(np.arange(ncols) + 0.5, xlabels)
    ax.set_yticks(np.arange(nrows) + 0.5, ylabels, va="center")
    colors = cmap(mesh.norm(np.nan_to_num(values, nan=vmin)).ravel())
    dark = _relative_luminance(colors) <= 0.408
    for k, v in enumerate(values.ravel()):
        i, j = divmod(k, ncols)
        missing = not np.isfinite(v)
        ax.text(j + 0.5, i + 0.5, fmt_number(v, decimals), ha="center", va="center", fontsize=8,
                color="#6C757D" if missing else "white" if dark[k] else "#262626")
    cbar = ax.get_figure().colorbar(mesh, ax=ax, label=value_label, shrink=0.8)
    cbar.outline.set_linewidth(0)
    if np.isnan(values).any():
        cbar.ax.legend(
            [Patch(facecolor=MISSING_CELL_COLOR, edgecolor="#ADB5BD", linewidth=0.6)],
            [chart_label("no_data_short", lang)],
            loc="upper left",
            bbox_to_anchor=(0.0, -0.03),
            handlelength=1.2,
            borderaxespad=0.0,
            fontsize=8,
        )
    return mesh


def score_heatmap(
    scores: pd.DataFrame,
    *,
    focus: str | None = None,
    column: str = "indicator",
    value_col: str = "score",
    lang: str = "zh",
    vmin: float = 0,
    vmax: float = 100,
    value_label: str | None = None,
    sources: pd.DataFrame | None = None,
    source: str | None = None,
    demo: bool | None = None,
    title: str | None = None,
    region_set=None,
) -> Figure:
    """Heatmap of scores, blocks × indicators (or pillars), focus row outlined.

    Parameters
    ----------
    scores : DataFrame
        Long (region, ``column``, ``value_col``) or wide (index region, one column per indicator/pillar;
        other columns such as ``topsis`` or ``rank`` of ``composite_scores`` are left out).
        Scores are on 0–100 (min-max normalised) unless ``vmin``/``vmax`` say otherwise. A missing
        score (NaN, or no row for a region and column) stays missing: its cell is grey, reads "—" and
        the legend under the colour bar says "无数据" (no data).
    column : 'indicator' or 'pillar'
        What the columns are (chooses the labels).
    """
    region_set = _set_of(region_set, scores)
    focus = _focus(focus, region_set)
    from liyang_ip import registry

    if scores is None or len(scores) == 0:
        return no_data_figure(lang=lang, source=source, demo=bool(demo), title=title)
    if "region" in scores.columns and value_col in scores.columns and column in scores.columns:
        wide = scores.pivot_table(
            index="region", columns=column, values=value_col, aggfunc="first", sort=False
        )
    else:
        wide = scores.set_index("region") if "region" in scores.columns else scores
        # Keep only the pillar (or indicator) columns of a wide result such as composite_scores.
        keys = registry.pillars() if column == "pillar" else registry.indicators()
        cols = [c for c in wide.columns if c in keys]
        if cols:
            wide = wide[cols]
        wide = wide.select_dtypes("number")
    demo = is_demo(scores) if demo is None else demo
    if wide.empty or wide.isna().all().all():
        return no_data_figure(lang=lang, source=source, demo=demo, title=title)
    # Focus first, others by mean score (best first).
    others = wide.drop(index=[focus], errors="ignore")
    others = others.loc[others.mean(axis=1).sort_values(ascending=False).index]
    wide = pd.concat([wide.loc[[focus]] if focus in wide.index else wide.iloc[:0], others])
    labeler = pillar_name if column == "pillar" else indicator_name
    value_label = value_label or chart_label("score", lang)
    # Many indicators read better as rows (blocks as columns); few as columns.
    transpose = wide.shape[1] > 8
    col_labels = [labeler(c, lang) for c in wide.columns]
    row_labels = [region_name(r, lang) for r in wide.index]
    data = wide.T.astype(float) if transpose else wide.astype(float)
    xlabels, ylabels = (row_labels, col_labels) if transpose else (col_labels, row_labels)
    # Column labels wrap; their longest line sets the cell width. Row labels stay on one line unless long.
    wrap_x, wrap_y = (7, 16) if lang != "en" else (14, 28)
    char_in = 0.14 if lang != "en" else 0.075  # approximate width of one character at 9 pt, in inches
    xlabels = ["\n".join(textwrap.wrap(lab, wrap_x)) or lab for lab in xlabels]
    ylabels = ["\n".join(textwrap.wrap(lab, wrap_y)) or lab for lab in ylabels]
    x_chars = max((len(line) for lab in xlabels for line in lab.split("\n")), default=4)
    y_chars = max((len(line) for lab in ylabels for line in lab.split("\n")), default=4)
    col_w = max(0.7, char_in * x_chars + 0.2)
    x_lines = max(lab.count("\n") + 1 for lab in xlabels)
    row_h = 0.36 if transpose else 0.45
    size = (
        0.8 + char_in * y_chars + col_w * data.shape[1] + 1.3,
        1.2 + 0.18 * x_lines + row_h * data.shape[0],
    )
    with chart_canvas(*size) as (fig, axes):
        ax = axes[0, 0]
        annotated_heatmap(ax, data, xlabels, ylabels, vmin=vmin, vmax=vmax, value_label=value_label, lang=lang)
        for lab in [*ax.get_yticklabels(), *ax.get_xticklabels()]:
            if lab.get_text() == region_name(focus, lang):
                lab.set_color(FOCUS_COLOR)
                lab.set_fontweight("bold")
        if focus in wide.index:
            from matplotlib.patches import Rectangle

            i = list(wide.index).index(focus)
            xy, w, h = ((i, 0), 1, data.shape[0]) if transpose else ((0, i), data.shape[1], 1)
            ax.add_patch(Rectangle(xy, w, h, fill=False, ec=FOCUS_COLOR, lw=2.2, clip_on=False))
        return finish_chart(fig, scores, sources=sources, source=source, lang=lang, demo=demo, title=title)


# ------------------------------------------------------------------------------ coverage heatmap
def coverage_heatmap(
    coverage_summary: pd.DataFrame,
    *,
    focus: str | None = None,
    lang: str = "zh",
    source: str | None = None,
    demo: bool | None = None,
    title: str | None = None,
) -> Figure:
    """Share of years with a figure, regions × indicators (``Dataset.coverage_of``), in %.

    Parameters
    ----------
    coverage_summary : DataFrame
        ``indicator, region, share`` (share 0–1, as the data layer reports it).
    demo : bool, optional
        Whether the dataset is demo data (the coverage table has no status column).
    """
    _check_columns(coverage_summary, ["indicator", "region", "share"], "coverage_heatmap")
    df = coverage_summary.assign(coverage_pct=coverage_summary["share"].astype(float) * 100.0)
    if title is None:
        title = chart_label("coverage_title", lang)
    return score_heatmap(
        df,
        focus=focus,
        column="indicator",
        value_col="coverage_pct",
        lang=lang,
        value_label=chart_label("coverage_value", lang),
        source=source
        if source is not None
        else chart_label("coverage_source", lang),
        demo=bool(demo),
        title=title,
    )


# ----------------------------------------------------------------------------------- pillar dots
def pillar_dots(
    scores: pd.DataFrame,
    *,
    focus: str | None = None,
    column: str = "pillar",
    value_col: str = "score",
    lang: str = "zh",
    xlim: tuple[float, float] | None = (0, 100),
    value_label: str | None = None,
    sources: pd.DataFrame | None = None,
    source: str | None = None,
    demo: bool | None = None,
    title: str | None = None,
    region_set=None,
) -> Figure:
    """Dot plot of scores by pillar: a grey dot per member, the focus unit large and coloured,
    the parent (if present) as a dark diamond; `region_set` (default the default set) names them.

    Parameters
    ----------
    scores : DataFrame
        Long (region, ``column`` (pillar or indicator code), ``value_col``) or wide with the region as
        index or column and one column per pillar (``analysis.composite.composite_scores``).
    """
    region_set = _set_of(region_set, scores)
    focus = _focus(focus, region_set)
    if scores is None or len(scores) == 0:
        return no_data_figure(lang=lang, source=source, demo=bool(demo), title=title)
    scores = _region_column(scores)
    if column not in scores.columns and "region" in scores.columns:
        # Wide result (``composite.composite_scores``): one column per pillar.
        from liyang_ip import registry

        keys = registry.pillars() if column == "pillar" else registry.indicators()
        cols = [c for c in scores.columns if c in keys]
        if not cols:
            raise ValueError(f"pillar_dots: no {column} columns among {', '.join(map(str, scores.columns))}")
        scores = scores.melt(id_vars=["region"], value_vars=cols, var_name=column, value_name=value_col)
    _check_columns(scores, ["region", column, value_col], "pillar_dots")
    df = scores.dropna(subset=[value_col])
    demo = is_demo(scores) if demo is None else demo
    if df.empty:
        return no_data_figure(lang=lang, source=source, demo=demo, title=title)
    city = _city(region_set)
    cats = list(dict.fromkeys(df[column]))
    labeler = pillar_name if column == "pillar" else indicator_name
    value_label = value_label or chart_label("score", lang)
    with chart_canvas(7.0, 1.3 + 0.55 * len(cats)) as (fig, axes):
        ax = axes[0, 0]
        y = {c: i for i, c in enumerate(cats)}
        peers = df[(df["region"] != focus) & (df["region"] != city)]
        ax.scatter(
            peers[value_col],
            peers[column].map(y),
            s=40,
            color=PEER_COLOR,
            alpha=0.9,
            zorder=2,
            label=unit_label("others", lang, region_set),
        )
        cty = df[df["region"] == city]
        if len(cty):
            ax.scatter(
                cty[value_col],
                cty[column].map(y),
                s=60,
                marker="D",
                color=CITY_COLOR,
                zorder=3,
                label=region_name(city, lang),
            )
        foc = df[df["region"] == focus]
        ax.scatter(
            foc[value_col],
            foc[column].map(y),
            s=110,
            color=FOCUS_COLOR,
            zorder=4,
            label=region_name(focus, lang),
            edgecolor="white",
            linewidth=0.8,
        )
        for _, r in foc.iterrows():
            ax.annotate(
                f"{r[value_col]:.0f}",
                (r[value_col], y[r[column]]),
                xytext=(0, 8),
                textcoords="offset points",
                ha="center",
                fontsize=8,
                color=FOCUS_COLOR,
            )
        # Range line per category helps reading the spread.
        for c, i in y.items():
            vals = df.loc[df[column] == c, value_col]
            ax.hlines(i, vals.min(), vals.max(), color="#D5DBE1", lw=1.2, zorder=1)
        ax.set_yticks(list(y.values()), [labeler(c, lang) for c in cats])
        ax.set_ylim(len(cats) - 0.5, -0.6)
        if xlim is not None:
            ax.set_xlim(xlim[0] - 2, xlim[1] + 2)
        ax.set_xlabel(value_label)
        ax.grid(axis="y", visible=False)
        fig.legend(loc="outside upper center", ncols=3)
        return finish_chart(fig, scores, sources=sources, source=source, lang=lang, demo=demo, title=title)


# ------------------------------------------------------------------------ composite rank interval
def composite_rank_interval(
    ranks: pd.DataFrame,
    *,
    focus: str | None = None,
    median_col: str = "median_rank",
    low_col: str = "rank_lo",
    high_col: str = "rank_hi",
    point_col: str | None = None,
    interval_label: str | None = None,
    lang: str = "zh",
    sources: pd.DataFrame | None = None,
    source: str | None = None,
    demo: bool | None = None,
    title: str | None = None,
    region_set=None,
) -> Figure:
    """Composite-index rank of each block with its uncertainty interval (Monte Carlo, e.g. 90 %).

    Parameters
    ----------
    ranks : DataFrame
        One row per region (region as column or index; ``analysis.composite.rank_uncertainty``):
        ``median_col`` and the interval ``low_col``–``high_col`` (rank numbers, 1 = best); the nominal
        rank ``point_col`` (default ``nominal_rank`` or ``rank`` when present) is drawn as a hollow marker.
    """
    region_set = _set_of(region_set, ranks)
    focus = _focus(focus, region_set)
    if ranks is None or len(ranks) == 0:
        return no_data_figure(lang=lang, source=source, demo=bool(demo), title=title)
    ranks = _region_column(ranks)
    _check_columns(ranks, ["region", median_col, low_col, high_col], "composite_rank_interval")
    if point_col is None:
        point_col = next((c for c in ("nominal_rank", "rank") if c in ranks.columns), None)
    df = ranks.sort_values([median_col, low_col]).reset_index(drop=True)
    demo = is_demo(ranks) if demo is None else demo
    n = int(max(df[high_col].max(), len(df)))
    interval_label = interval_label or chart_label("interval", lang, level_pct=90)
    from matplotlib.ticker import FixedLocator

    with chart_canvas(7.0, 1.2 + 0.45 * len(df)) as (fig, axes):
        ax = axes[0, 0]
        for i, r in df.iterrows():
            is_focus = r["region"] == focus
            color = FOCUS_COLOR if is_focus else CITY_COLOR
            ax.hlines(
                i,
                r[low_col],
                r[high_col],
                color=color,
                lw=5 if is_focus else 3.5,
                alpha=0.35,
                label=interval_label if i == 0 else None,
            )
            ax.scatter(
                r[median_col],
                i,
                s=70 if is_focus else 45,
                color=color,
                zorder=3,
                label=chart_label("median_rank", lang) if i == 0 else None,
            )
            if point_col and point_col in df.columns and pd.notna(r[point_col]):
                ax.scatter(
                    r[point_col],
                    i,
                    s=70,
                    facecolor="none",
                    edgecolor=color,
                    zorder=4,
                    marker="D",
                    label=chart_label("base_rank", lang) if i == 0 else None,
                )
        ax.set_yticks(range(len(df)), [region_name(r, lang) for r in df["region"]])
        for lab in ax.get_yticklabels():
            if lab.get_text() == region_name(focus, lang):
                lab.set_color(FOCUS_COLOR)
                lab.set_fontweight("bold")
        ax.set_ylim(len(df) - 0.5, -0.5)
        ax.set_xlim(0.5, n + 0.5)
        ax.xaxis.set_major_locator(FixedLocator(range(1, n + 1)))
        ax.set_xlabel(chart_label("composite_rank_axis", lang))
        ax.grid(axis="y", visible=False)
        fig.legend(loc="outside upper center", ncols=3)
        return finish_chart(fig, ranks, sources=sources, source=source, lang=lang, demo=demo, title=title)
