"""Charts of levels over time: small multiples of indicator trends and rank bump charts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

from ..data.schema import estimate_mask
from .base import (
    CITY_COLOR,
    FOCUS_COLOR,
    PEER_COLOR,
    SOURCE_COLOR,
    _check_columns,
    _city,
    _fmt,
    _focus,
    _rset,
    _set_of,
    chart_canvas,
    chart_label,
    finish_chart,
    indicator_name,
    is_demo,
    no_data_figure,
    region_name,
    unit_label,
    unit_text,
    year_axis,
)


# ------------------------------------------------------------------------------------ trend chart
def trend_small_multiples(
    obs: pd.DataFrame,
    indicators: Sequence[str] | None = None,
    *,
    focus: str | None = None,
    regions: Sequence[str] | None = None,
    years: tuple[int, int] | None = None,
    show_city: bool = True,
    ncols: int = 3,
    lang: str = "zh",
    sources: pd.DataFrame | None = None,
    source: str | None = None,
    demo: bool | None = None,
    title: str | None = None,
    region_set=None,
) -> Figure:
    """Trend lines per indicator, one panel each: focus unit in colour, other members grey, parent dashed.

    Parameters
    ----------
    obs : DataFrame
        Tidy observations (region, year, indicator, value[, unit, status, source_id]).
    indicators : list of codes, optional
        Panels in this order; default all indicators in ``obs``.
    regions : list of region names, optional
        Blocks to draw (default every region in ``obs`` except the city).
    years : (start, end), optional
        Inclusive year range.
    show_city : bool
        Draw the parent's row (e.g. the city total), when present, as a dashed line.
    focus, region_set : optional
        The focus unit (default the set's first member); the region set (default the default set).
    """
    _check_columns(obs, ["region", "year", "indicator", "value"], "trend_small_multiples")
    region_set = _set_of(region_set, obs)
    focus = _focus(focus, region_set)
    city = _city(region_set)
    df = obs
    if indicators is None:
        indicators = list(dict.fromkeys(df["indicator"]))
    df = df[df["indicator"].isin(indicators)]
    if years is not None:
        df = df[(df["year"] >= years[0]) & (df["year"] <= years[1])]
    if regions is not None:
        keep = set(regions) | {focus} | ({city} if show_city else set())
        df = df[df["region"].isin(keep)]
    if not show_city:
        df = df[df["region"] != city]
    demo = is_demo(df) if demo is None else demo
    if df.empty:
        return no_data_figure(
            chart_label("no_data", lang),
            lang=lang,
            source=source,
            demo=demo,
            title=title,
        )
    n = len(indicators)
    ncols = max(1, min(ncols, n))
    nrows = int(np.ceil(n / ncols))
    with chart_canvas(3.4 * ncols + 0.4, 2.7 * nrows + 0.9, nrows, ncols) as (fig, axes):
        flat = axes.ravel()
        any_estimate = False
        for ax, code in zip(flat, indicators, strict=False):
            sub = df[df["indicator"] == code]
            unit = sub["unit"].iloc[0] if "unit" in sub.columns and len(sub) else ""
            if sub.empty:
                ax.set_title(indicator_name(code, lang), fontsize=10)
                ax.text(
                    0.5,
                    0.5,
                    chart_label("no_data_short", lang),
                    ha="center",
                    va="center",
                    color=SOURCE_COLOR,
                    transform=ax.transAxes,
                )
                ax.set_xticks([])
                ax.set_yticks([])
                continue
            for region, g in sub.groupby("region", sort=False):
                g = g.sort_values("year")
                if region == focus:
                    continue
                if region == city:
                    ax.plot(g["year"], g["value"], color=CITY_COLOR, lw=1.4, ls="--", zorder=3)
                else:
                    ax.plot(g["year"], g["value"], color=PEER_COLOR, lw=1.0, alpha=0.85, zorder=2)
            g = sub[sub["region"] == focus].sort_values("year")
            if len(g):
                ax.plot(g["year"], g["value"], color=FOCUS_COLOR, lw=2.4, marker="o", ms=3.5, zorder=4)
                est = estimate_mask(g).to_numpy()
                if est.any():  # 预计 (estimated) figures: hollow markers, labelled
                    any_estimate = True
                    ax.plot(g["year"][est], g["value"][est], ls="none", marker="o", ms=5.5, mfc="white",
                            mec=FOCUS_COLOR, mew=1.4, zorder=5)
                last = g.iloc[-1]
                ax.annotate(
                    chart_label("estimated_value", lang, figure=_fmt(last["value"])) if est[-1]
                    else _fmt(last["value"]),
                    (last["year"], last["value"]),
                    xytext=(4, 0),
                    textcoords="offset points",
                    color=FOCUS_COLOR,
                    fontsize=8,
                    va="center",
                )
            ax.set_title(indicator_name(code, lang), fontsize=10)
            ax.set_ylabel(unit_text(code, lang, unit))
            year_axis(ax)
        for ax in flat[n:]:
            ax.set_visible(False)
        # One legend for the figure: focus, city, others.
        from matplotlib.lines import Line2D

        handles = [Line2D([], [], color=FOCUS_COLOR, lw=2.4, marker="o", ms=3.5)]
        labels = [region_name(focus, lang)]
        if show_city and (df["region"] == city).any():
            handles.append(Line2D([], [], color=CITY_COLOR, lw=1.4, ls="--"))
            labels.append(region_name(city, lang))
        if ((df["region"] != city) & (df["region"] != focus)).any():
            handles.append(Line2D([], [], color=PEER_COLOR, lw=1.0))
            labels.append(unit_label("others", lang, region_set))
        if any_estimate:
            handles.append(Line2D([], [], ls="none", marker="o", ms=5.5, mfc="white", mec=FOCUS_COLOR, mew=1.4))
            labels.append(chart_label("estimate", lang))
        fig.legend(handles, labels, loc="outside upper center", ncols=len(handles))
        return finish_chart(fig, df, sources=sources, source=source, lang=lang, demo=demo, title=title)


# --------------------------------------------------------------------------------------- bump chart
def rank_bump(
    ranks: pd.DataFrame,
    *,
    focus: str | None = None,
    indicator: str | None = None,
    rank_col: str = "rank",
    lang: str = "zh",
    sources: pd.DataFrame | None = None,
    source: str | None = None,
    demo: bool | None = None,
    title: str | None = None,
    region_set=None,
) -> Figure:
    """Bump chart of ranks over the years (1 = best at the top), focus unit highlighted.

    Parameters
    ----------
    ranks : DataFrame
        Columns region, year and ``rank_col`` (1 = best, polarity already applied by the analysis);
        an ``indicator`` column is filtered to ``indicator`` when given.
    focus, region_set : optional
        The focus unit (default the set's first member); the region set naming the units.
    """
    region_set = _set_of(region_set, ranks)
    focus = _focus(focus, region_set)
    if ranks is None or len(ranks) == 0:
        return no_data_figure(lang=lang, source=source, demo=bool(demo), title=title)
    _check_columns(ranks, ["region", "year", rank_col], "rank_bump")
    df = ranks
    if indicator is not None and "indicator" in df.columns:
        df = df[df["indicator"] == indicator]
    elif "indicator" in df.columns and df["indicator"].nunique() > 1:
        raise ValueError(
            "rank_bump: ranks hold several indicators "
            f"({', '.join(map(str, df['indicator'].unique()))}); pass indicator=…"
        )
    df = df.dropna(subset=[rank_col])
    if df.empty:
        name = indicator_name(indicator, lang) if indicator else ""
        return no_data_figure(
            chart_label("no_ranks", lang, name=name),
            lang=lang,
            source=source,
            demo=is_demo(ranks) if demo is None else demo,
            title=title,
        )
    if indicator is None and "indicator" in df.columns:
        indicator = str(df["indicator"].iloc[0])
    demo = is_demo(df, ranks) if demo is None else demo
    n = int(max(df[rank_col].max(), df["region"].nunique()))
    from matplotlib.ticker import FixedLocator, FuncFormatter

    with chart_canvas(7.5, 4.2) as (fig, axes):
        ax = axes[0, 0]
        order = sorted(df["region"].unique(), key=lambda r: (r == focus,))
        for region in order:
            g = df[df["region"] == region].sort_values("year")
            is_focus = region == focus
            color = FOCUS_COLOR if is_focus else PEER_COLOR
            ax.plot(
                g["year"],
                g[rank_col],
                color=color,
                lw=3 if is_focus else 1.4,
                marker="o",
                ms=7 if is_focus else 4.5,
                zorder=4 if is_focus else 2,
            )
            last = g.iloc[-1]
            ax.annotate(
                region_name(region, lang),
                (last["year"], last[rank_col]),
                xytext=(8, 0),
                textcoords="offset points",
                va="center",
                fontsize=9,
                color=color if is_focus else "#444444",
                fontweight="bold" if is_focus else "normal",
            )
        ax.set_ylim(n + 0.5, 0.5)
        ax.yaxis.set_major_locator(FixedLocator(range(1, n + 1)))
        ax.set_ylabel(chart_label("rank_axis", lang))
        years = df["year"]
        # Ticks only at the years ranked; the extra room on the right holds the region labels.
        ax.xaxis.set_major_locator(FixedLocator(sorted(int(y) for y in years.unique())))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{int(round(v))}"))
        ax.set_xlim(years.min() - 0.3, years.max() + 0.3 + 0.25 * max(1, years.max() - years.min()))
        ax.grid(axis="x", visible=False)
        if title is None and indicator is not None:
            title = chart_label("rank_title", lang, name=indicator_name(indicator, lang),
                                geo=_rset(region_set).words("en" if lang == "en" else "zh"))
        return finish_chart(fig, ranks, sources=sources, source=source, lang=lang, demo=demo, title=title)
