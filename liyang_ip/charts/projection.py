"""Projection charts: fan charts of projected series and target markers."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

from .base import (
    CITY_COLOR,
    FOCUS_COLOR,
    PEER_COLOR,
    _check_columns,
    _first,
    _fmt,
    _focus,
    _set_of,
    axis_label,
    chart_canvas,
    chart_label,
    finish_chart,
    indicator_name,
    is_demo,
    no_data_figure,
    region_name,
    year_axis,
)
from .tables import method_label


def target_markers(
    indicator: str,
    *,
    plan: pd.DataFrame | None = None,
    proposed: pd.DataFrame | None = None,
    region: str | None = None,
    year: int | None = None,
    lang: str = "zh",
) -> pd.DataFrame:
    """Target points for :func:`projection_fan`: the plan's target and the proposed target.

    Parameters
    ----------
    plan : DataFrame, optional
        Plan targets (``region, indicator, year, value``), e.g. ``Dataset.targets``.
    proposed : DataFrame, optional
        ``analysis.targets.propose_targets`` output (``indicator, proposed``); needs ``year``.
    region, year :
        Filter the plan targets (and date the proposal).

    Returns
    -------
    DataFrame
        ``year, value, label`` (empty when there is nothing to mark).
    """
    rows = []
    if plan is not None and len(plan):
        t = plan[plan["indicator"] == indicator]
        if region is not None and "region" in t.columns:
            t = t[t["region"] == region]
        if year is not None:
            t = t[t["year"] == year]
        for _, r in t.iterrows():
            rows.append(
                {
                    "year": int(r["year"]),
                    "value": float(r["value"]),
                    "label": chart_label("plan_target", lang),
                }
            )
    if proposed is not None and len(proposed) and year is not None:
        t = proposed[proposed["indicator"] == indicator].dropna(subset=["proposed"])
        for _, r in t.iterrows():
            rows.append(
                {
                    "year": int(year),
                    "value": float(r["proposed"]),
                    "label": chart_label("proposed_target", lang),
                }
            )
    return pd.DataFrame(rows, columns=["year", "value", "label"])


# ------------------------------------------------------------------------------ projection fan
def projection_fan(
    history: pd.DataFrame,
    projections: pd.DataFrame,
    *,
    indicator: str | None = None,
    focus: str | None = None,
    targets: pd.DataFrame | None = None,
    backtest: pd.DataFrame | None = None,
    highlight: str = "ensemble",
    fit_end: int | None = None,
    method_col: str = "method",
    value_col: str = "value",
    lower_col: str = "lower",
    upper_col: str = "upper",
    lang: str = "zh",
    sources: pd.DataFrame | None = None,
    source: str | None = None,
    demo: bool | None = None,
    title: str | None = None,
    region_set=None,
) -> Figure:
    """Fan chart: history, each method's projection (thin), the highlighted method's prediction
    interval (band), target markers, and each method's backtest error in the legend.

    Parameters
    ----------
    history : DataFrame
        Observed values of the focus block: columns year, value (tidy rows are filtered to ``focus``
        and ``indicator`` when those columns exist).
    projections : DataFrame
        Long: year, ``method_col``, ``value_col`` and optionally ``lower_col``/``upper_col`` (the
        prediction interval; drawn as a band for ``highlight`` and as a lighter band for the others
        only if ``highlight`` has none).
    targets : DataFrame, optional
        Columns year, value and label (e.g. 规划目标 / 建议目标): drawn as star markers with text.
    backtest : DataFrame, optional
        Columns ``method_col`` and ``mape`` (percent): shown as "method (MAPE x%)" in the legend.
    fit_end : int, optional
        Last year of the fit window. Observations after it (e.g. 2021–2024 when fitting 2015–2020) are
        drawn as hollow markers, so the projection can be compared with what happened.
    """
    region_set = _set_of(region_set, history)
    focus = _focus(focus, region_set)
    hist = history
    if "region" in hist.columns:
        hist = hist[hist["region"] == focus]
    if indicator is not None and "indicator" in hist.columns:
        hist = hist[hist["indicator"] == indicator]
    _check_columns(hist, ["year", "value"], "projection_fan (history)")
    proj = projections
    if "region" in proj.columns:
        proj = proj[proj["region"] == focus]
    if indicator is not None and "indicator" in proj.columns:
        proj = proj[proj["indicator"] == indicator]
    _check_columns(proj, ["year", method_col, value_col], "projection_fan (projections)")
    if indicator is None:
        for df in (hist, proj):
            if "indicator" in df.columns and df["indicator"].nunique() == 1:
                indicator = str(df["indicator"].iloc[0])
                break
    demo = is_demo(hist, proj, history, projections) if demo is None else demo
    if hist.empty and (proj.empty or proj[value_col].isna().all()):
        name = indicator_name(indicator, lang) if indicator else ""
        return no_data_figure(
            chart_label("no_projection", lang, region=region_name(focus, lang), name=name),
            lang=lang,
            source=source,
            demo=demo,
            title=title,
        )
    mape = {}
    if backtest is not None and len(backtest):
        bt = backtest
        if indicator is not None and "indicator" in bt.columns:
            bt = bt[bt["indicator"] == indicator]
        mcol = _first(bt, ["mape", "MAPE", "mape_pct"], "projection_fan (backtest)")
        mape = bt.groupby(method_col)[mcol].mean().to_dict()
    methods = list(dict.fromkeys(proj[method_col]))
    palette = ["#1F77B4", "#FF7F0E", "#9467BD", "#8C564B", "#17BECF", "#BCBD22", "#7F7F7F"]
    unit = ""
    if "unit" in hist.columns and len(hist):
        unit = str(hist["unit"].iloc[0])
    with chart_canvas(7.8, 4.6) as (fig, axes):
        ax = axes[0, 0]
        h = hist.sort_values("year")
        after = h.iloc[:0]
        if fit_end is not None:
            after = h[h["year"] > fit_end]
            h = h[h["year"] <= fit_end]
        last_year = h["year"].max() if len(h) else None
        if len(after):
            ax.scatter(
                after["year"],
                after["value"],
                s=36,
                facecolor="white",
                edgecolor=CITY_COLOR,
                linewidth=1.4,
                zorder=6,
                label=chart_label("observed_after", lang),
            )
        ax.plot(
            h["year"],
            h["value"],
            color=CITY_COLOR,
            lw=2.4,
            marker="o",
            ms=4,
            label=chart_label("observed", lang, region=region_name(focus, lang)),
            zorder=5,
        )
        band_drawn = False
        for k, m in enumerate(methods):
            g = proj[proj[method_col] == m].sort_values("year")
            # Join the projection to the last observation so the lines start where history ends.
            if last_year is not None and g["year"].min() > last_year:
                g0 = pd.DataFrame({"year": [last_year], value_col: [h["value"].iloc[-1]]})
                if lower_col in g.columns:
                    g0[lower_col] = g0[value_col]
                    g0[upper_col] = g0[value_col]
                g = pd.concat([g0, g[[c for c in g0.columns if c in g.columns]]], ignore_index=True)
            is_main = m == highlight
            name = method_label(m, lang)
            if m in mape and np.isfinite(mape[m]):
                name = chart_label("method_mape", lang, method=name, mape=float(mape[m]))
            color = FOCUS_COLOR if is_main else palette[k % len(palette)]
            ax.plot(
                g["year"],
                g[value_col],
                color=color,
                lw=2.6 if is_main else 1.2,
                ls="-" if is_main else "--",
                label=name,
                zorder=4 if is_main else 3,
            )
            if is_main and lower_col in g.columns and upper_col in g.columns and g[lower_col].notna().any():
                ax.fill_between(
                    g["year"],
                    g[lower_col],
                    g[upper_col],
                    color=FOCUS_COLOR,
                    alpha=0.15,
                    lw=0,
                    label=chart_label("prediction_interval", lang),
                    zorder=1,
                )
                band_drawn = True
        if not band_drawn and lower_col in proj.columns and proj[lower_col].notna().any():
            lo = proj.groupby("year")[lower_col].min()
            hi = proj.groupby("year")[upper_col].max()
            ax.fill_between(
                lo.index,
                lo.values,
                hi.values,
                color=PEER_COLOR,
                alpha=0.2,
                lw=0,
                label=chart_label("method_range", lang),
                zorder=1,
            )
        if targets is not None and len(targets):
            t = targets
            if "region" in t.columns:
                t = t[t["region"] == focus]
            if indicator is not None and "indicator" in t.columns:
                t = t[t["indicator"] == indicator]
            _check_columns(t, ["year", "value"], "projection_fan (targets)")
            markers = ["*", "P", "X", "D"]
            for k, (_, r) in enumerate(t.iterrows()):
                lab = (
                    str(r["label"])
                    if "label" in t.columns and pd.notna(r.get("label"))
                    else chart_label("target", lang)
                )
                ax.scatter(
                    [r["year"]],
                    [r["value"]],
                    marker=markers[k % len(markers)],
                    s=190,
                    color="#F1C40F",
                    edgecolor=CITY_COLOR,
                    zorder=6,
                    label=chart_label("target_value", lang, label=lab, figure=_fmt(r["value"])),
                )
        if last_year is not None:
            ax.axvline(last_year, color="#AAAAAA", lw=0.8, ls=":")
        ax.set_ylabel(axis_label(indicator, lang, unit or None) if indicator else unit)
        year_axis(ax)
        ax.legend(loc="upper left", fontsize=8)
        if title is None and indicator is not None:
            title = chart_label("projection_title", lang, region=region_name(focus, lang),
                                name=indicator_name(indicator, lang))
        # The source line names the sources of the plotted rows (this block, this indicator), not all of `history`.
        plotted = hist if len(hist) else history
        return finish_chart(fig, plotted, sources=sources, source=source, lang=lang, demo=demo, title=title)
