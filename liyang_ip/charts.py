"""Charts for the notebooks: one style, a CJK font found at run time, demo marks and source lines.

Every chart function takes tidy data (the observation table of ``liyang_ip.data``) or a result frame of
``liyang_ip.analysis`` and returns a :class:`matplotlib.figure.Figure`. Each figure has

* labels in Chinese (``lang='zh'``, default) or English (``lang='en'``) from the indicator catalogue,
  with the catalogue unit in the axis label;
* integer year axes;
* the focus block highlighted (colour and weight) against grey peers;
* a source line under the plot (``fig.text``, ``gid='source-line'``);
* a large "演示数据 / demo data" watermark (``gid='demo-mark'``) when any plotted value has status
  ``demo`` (or ``demo=True`` is passed).

Missing data stays missing: absent rows are not drawn and NaN values leave gaps; nothing is filled.

matplotlib and seaborn are imported inside the functions so that importing this module is cheap.
"""

from __future__ import annotations

import textwrap
import warnings
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

# Preferred CJK families, best first. Noto Sans CJK JP/TC come from the same .ttc as SC and carry the
# same Hanzi repertoire; they are fallbacks for systems where matplotlib only lists the first face.
CJK_FONT_CANDIDATES: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Noto Sans SC",
    "Noto Sans CJK JP",
    "Noto Sans CJK TC",
    "Source Han Sans CN",
    "Microsoft YaHei",
    "PingFang SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "SimHei",
    "Heiti SC",
    "Arial Unicode MS",
)
# Latin/math fallback for the few glyphs a CJK font may lack.
LATIN_FALLBACK = "DejaVu Sans"
# Characters a usable font must render (region names, the demo mark, common chart words).
CJK_PROBE = "溧阳市金坛区武进新北天宁钟楼常州经开演示数据件万人发明专利排名"

DEMO_MARK = "演示数据 / demo data"
FOCUS_COLOR = "#C0392B"
PEER_COLOR = "#9AA5B1"
CITY_COLOR = "#2C3E50"
GOOD_COLOR = "#2E8B57"
BAD_COLOR = "#C0392B"
SOURCE_COLOR = "#555555"

_INSTALL_HINT = (
    "Install a CJK font, e.g. Debian/Ubuntu: `sudo apt-get install fonts-noto-cjk` (scripts/setup.sh does "
    "this); macOS ships PingFang SC and Windows ships Microsoft YaHei. If you have just installed one, "
    "delete matplotlib's font cache (~/.cache/matplotlib/fontlist-*.json) so it is found."
)


class CJKFontWarning(UserWarning):
    """No CJK font was found; Chinese labels would render as empty boxes."""


class CJKFontNotFoundError(RuntimeError):
    """No CJK font was found and ``strict=True`` was asked for."""


# --------------------------------------------------------------------------------------------- fonts
def _font_covers(path: Any, text: str) -> bool:
    """True when the font file (a FontPath, possibly a face of a .ttc) has a glyph for every character."""
    from matplotlib import font_manager

    try:
        font = font_manager.get_font(path)
        cmap = font.get_charmap()
    except Exception:  # unreadable file: treat as not usable
        return False
    return all(ord(ch) in cmap for ch in text if not ch.isspace())


def find_cjk_fonts(candidates: Sequence[str] = CJK_FONT_CANDIDATES) -> list[str]:
    """Installed font families from ``candidates`` that really render Chinese, best first.

    A family counts only when matplotlib's font manager knows it under that exact name and its file has
    glyphs for the probe characters (region names and chart words).
    """
    from matplotlib import font_manager

    known = {f.name for f in font_manager.fontManager.ttflist}
    found = []
    for family in candidates:
        if family not in known:
            continue
        path = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
        if _font_covers(path, CJK_PROBE):
            found.append(family)
    return found


def resolve_cjk_font(strict: bool = False) -> str | None:
    """The CJK font family to use, or None (with a :class:`CJKFontWarning`) when none is installed.

    Parameters
    ----------
    strict : bool
        Raise :class:`CJKFontNotFoundError` instead of warning when no CJK font exists.
    """
    found = find_cjk_fonts()
    if found:
        return found[0]
    msg = (
        "No CJK font found among " + ", ".join(CJK_FONT_CANDIDATES) + "; Chinese text would show as "
        "empty boxes. " + _INSTALL_HINT
    )
    if strict:
        raise CJKFontNotFoundError(msg)
    warnings.warn(msg, CJKFontWarning, stacklevel=2)
    return None


def style_rc(strict: bool = False) -> dict[str, Any]:
    """rcParams of the house style: CJK font first with fallbacks, no Unicode minus, light grid."""
    found = find_cjk_fonts()
    if not found:
        resolve_cjk_font(strict=strict)  # warns or raises
    families = [*found, LATIN_FALLBACK]
    return {
        "font.family": families,
        "font.sans-serif": [*found, LATIN_FALLBACK, "sans-serif"],
        # CJK fonts often lack U+2212; an ASCII hyphen always renders.
        "axes.unicode_minus": False,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "grid.color": "#E5E8EC",
        "grid.linewidth": 0.8,
        "axes.axisbelow": True,
        "axes.titlesize": 11,
        "axes.titleweight": "bold",
        "axes.labelsize": 9.5,
        "xtick.labelsize": 9,
        "ytick.labelsize": 9,
        "legend.fontsize": 8.5,
        "legend.frameon": False,
        "figure.dpi": 110,
        "savefig.dpi": 200,
        "savefig.bbox": "tight",
        "pdf.fonttype": 42,
        "svg.fonttype": "none",
    }


def use_style(strict: bool = False) -> dict[str, Any]:
    """Apply the house style globally (for a notebook session) and return the rcParams set."""
    import matplotlib as mpl

    rc = style_rc(strict=strict)
    mpl.rcParams.update(rc)
    return rc


@contextmanager
def style(strict: bool = False) -> Iterator[dict[str, Any]]:
    """Context manager with the house style; chart functions build their figures inside it."""
    import matplotlib as mpl

    rc = style_rc(strict=strict)
    with mpl.rc_context(rc):
        yield rc


# ---------------------------------------------------------------------------------------- labels
def _t(lang: str, zh: str, en: str) -> str:
    return en if lang == "en" else zh


def indicator_name(code: str, lang: str = "zh") -> str:
    """Catalogue display name of an indicator (the code itself when unknown)."""
    from liyang_ip import registry

    try:
        return registry.indicator(code).label(lang)
    except KeyError:
        return str(code)


def indicator_unit(code: str, default: str = "") -> str:
    from liyang_ip import registry

    try:
        return registry.indicator(code).unit
    except KeyError:
        return default


def axis_label(code: str, lang: str = "zh", unit: str | None = None) -> str:
    """Axis label with unit, e.g. ``每万人口发明专利拥有量（件/万人）``."""
    # The catalogue is the single source of units; a unit from the data is the fallback.
    unit = indicator_unit(code, unit or "")
    name = indicator_name(code, lang)
    if not unit:
        return name
    return f"{name} ({unit})" if lang == "en" else f"{name}（{unit}）"


def region_name(name: str, lang: str = "zh") -> str:
    """Region label: canonical Chinese name, or its English name for ``lang='en'``."""
    if lang != "en":
        return str(name)
    from liyang_ip import registry

    r = registry.regions().get(name)
    return r.name_en if r and r.name_en else str(name)


def _polarity(code: str) -> int:
    from liyang_ip import registry

    try:
        return int(registry.indicator(code).polarity)
    except KeyError:
        return 1


def pillar_name(pillar: str, lang: str = "zh") -> str:
    from liyang_ip import registry

    p = registry.pillars().get(pillar)
    if not p:
        return str(pillar)
    return p.get(lang, p.get("zh", pillar))


def _city() -> str:
    from liyang_ip import registry

    return registry.CITY


# ------------------------------------------------------------------------------ demo and sources
def is_demo(*frames: pd.DataFrame | None) -> bool:
    """True when any frame has a ``status`` of ``demo`` or carries ``attrs['is_demo']``."""
    for df in frames:
        if df is None:
            continue
        if bool(getattr(df, "attrs", {}).get("is_demo", False)):
            return True
        if isinstance(df, pd.DataFrame) and "status" in df.columns and (df["status"] == "demo").any():
            return True
    return False


def source_text(
    *frames: pd.DataFrame | None,
    sources: pd.DataFrame | None = None,
    lang: str = "zh",
    demo: bool = False,
) -> str:
    """Source line from the ``source_id`` values of the plotted rows.

    ``sources`` (the dataset's sources table) maps ids to titles and publishers; without it the ids are
    shown. Derived rows are named as computed from the sources, demo rows as synthetic.
    """
    ids: list[str] = []
    for df in frames:
        if isinstance(df, pd.DataFrame) and "source_id" in df.columns:
            for s in df["source_id"].dropna().astype(str):
                if s and s not in ids:
                    ids.append(s)
    titles = []
    table = {}
    if sources is not None and "source_id" in sources.columns:
        table = sources.drop_duplicates("source_id").set_index("source_id").to_dict("index")
    derived = False
    for s in ids:
        if s == "derived":
            derived = True
            continue
        row = table.get(s)
        if row:
            pub = str(row.get("publisher") or "").strip()
            title = str(row.get("title") or s).strip()
            titles.append(
                f"{pub}《{title}》" if pub and lang != "en" else (f"{pub}, {title}" if pub else title)
            )
        else:
            titles.append(s)
    parts = []
    if titles:
        parts.append(_t(lang, "资料来源：", "Source: ") + _t(lang, "；", "; ").join(titles))
    if derived:
        parts.append(_t(lang, "比值由上述总量计算", "ratios computed from the totals above"))
    if demo:
        parts.append(
            _t(lang, "演示数据为合成数据，不代表真实统计", "demo data are synthetic, not official statistics")
        )
    if not parts:
        return _t(lang, "资料来源：未注明", "Source: not stated")
    return _t(lang, "。", ". ").join(parts) + _t(lang, "。", ".")


def dataset_source(
    ds: Any,
    *,
    indicators: Sequence[str] | None = None,
    regions: Sequence[str] | None = None,
    lang: str = "zh",
) -> str:
    """Source line for a chart drawn from a loaded dataset (``liyang_ip.data.Dataset``).

    Uses the source ids of the rows for ``indicators`` and ``regions`` (all when None), the dataset's
    sources table for titles, and its demo status.
    """
    obs = ds.observations
    if indicators is not None:
        obs = obs[obs["indicator"].isin(list(indicators))]
    if regions is not None:
        obs = obs[obs["region"].isin(list(regions))]
    demo = bool((obs["status"] == "demo").any()) if "status" in obs.columns else bool(ds.is_demo)
    return source_text(obs, sources=getattr(ds, "sources", None), lang=lang, demo=demo)


def _finish(
    fig: Figure,
    *,
    source: str,
    demo: bool,
    title: str | None = None,
    width_chars: int | None = None,
) -> Figure:
    """Add title, source line and demo mark; reserve room at the bottom for the source line."""
    height = fig.get_figheight()
    width = fig.get_figwidth()
    # Chinese characters are about twice as wide as Latin ones at the same size.
    per_inch = 8 if any("\u3400" <= ch <= "\u9fff" for ch in source or "") else 14
    chars = width_chars or max(30, int(width * per_inch))
    wrapped = "\n".join(textwrap.wrap(source, chars)) if source else ""
    nlines = max(1, wrapped.count("\n") + 1)
    bottom = min(0.3, (0.12 + 0.16 * nlines) / height)
    top = 1.0
    if title:
        fig.suptitle(title, fontsize=12.5, fontweight="bold")
    engine = fig.get_layout_engine()
    if engine is not None and hasattr(engine, "set"):
        try:
            engine.set(rect=(0, bottom, 1, top - bottom))
        except TypeError:  # pragma: no cover - non-constrained engines
            pass
    fig.text(
        0.01,
        0.012,
        wrapped,
        ha="left",
        va="bottom",
        fontsize=7.5,
        color=SOURCE_COLOR,
        gid="source-line",
    )
    if demo:
        fig.text(
            0.5,
            0.5,
            DEMO_MARK,
            ha="center",
            va="center",
            rotation=25,
            fontsize=max(18, min(44, width * 4.2)),
            color=FOCUS_COLOR,
            alpha=0.16,
            fontweight="bold",
            zorder=10,
            gid="demo-mark",
        )
    return fig


def _new_figure(width: float, height: float, nrows: int = 1, ncols: int = 1, **kw: Any):
    """A Figure outside pyplot's state: batch runs do not accumulate open figures, and a notebook shows
    a chart once (as the cell's value or through ``display``) instead of again when the cell ends."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(nrows, ncols, squeeze=False, **kw)
    return fig, axes


def no_data_figure(
    message: str | None = None,
    *,
    lang: str = "zh",
    source: str | None = None,
    demo: bool = False,
    title: str | None = None,
) -> Figure:
    """A small figure that says there is nothing to draw (gaps are reported, never filled).

    Chart functions return it when their selection is empty, so that a notebook run on a dataset with
    gaps shows the gap instead of stopping.
    """
    message = message or _t(lang, "所选范围内没有数据", "No data for the selection")
    with style():
        fig, axes = _new_figure(6.0, 1.9)
        ax = axes[0, 0]
        ax.set_axis_off()
        ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=11, color=SOURCE_COLOR, wrap=True)
        src = source if source is not None else _t(lang, "资料来源：—", "Source: —")
        return _finish(fig, source=src, demo=demo, title=title)


def year_axis(ax: Axes, axis: str = "x") -> None:
    """Integer year ticks (no 2,015 or 2015.5): every year when they fit, else every 2 or 5 years."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    target = ax.xaxis if axis == "x" else ax.yaxis
    fig = ax.get_figure()
    pos = ax.get_position()
    length_in = (pos.width * fig.get_figwidth()) if axis == "x" else (pos.height * fig.get_figheight())
    # About 0.42 inch per four-digit label at 9 pt leaves room between labels.
    nbins = max(3, int(length_in / 0.42))
    target.set_major_locator(MaxNLocator(integer=True, nbins=nbins, steps=[1, 2, 5, 10]))
    target.set_major_formatter(FuncFormatter(lambda v, _pos: f"{int(round(v))}"))


def _region_column(df: pd.DataFrame) -> pd.DataFrame:
    """Result frames of the analysis often carry the region as the index; make it a column."""
    if "region" not in df.columns and df.index.name == "region":
        return df.reset_index()
    return df


def _check_columns(df: pd.DataFrame, needed: Iterable[str], what: str) -> None:
    missing = [c for c in needed if c not in df.columns]
    if missing:
        raise ValueError(
            f"{what}: missing column(s) {', '.join(missing)}; got {', '.join(map(str, df.columns))}"
        )


def _first(df: pd.DataFrame, candidates: Sequence[str], what: str) -> str:
    for c in candidates:
        if c in df.columns:
            return c
    raise ValueError(f"{what}: needs one of the columns {', '.join(candidates)}; got {', '.join(df.columns)}")


def _fmt(v: float) -> str:
    if v is None or not np.isfinite(v):
        return "–"
    a = abs(v)
    if a >= 100:
        return f"{v:,.0f}"
    if a >= 10:
        return f"{v:,.1f}"
    return f"{v:,.2f}"


# ------------------------------------------------------------------------------------ trend chart
def trend_small_multiples(
    obs: pd.DataFrame,
    indicators: Sequence[str] | None = None,
    *,
    focus: str = "溧阳市",
    regions: Sequence[str] | None = None,
    years: tuple[int, int] | None = None,
    show_city: bool = True,
    ncols: int = 3,
    lang: str = "zh",
    sources: pd.DataFrame | None = None,
    source: str | None = None,
    demo: bool | None = None,
    title: str | None = None,
) -> Figure:
    """Trend lines per indicator, one panel each: focus block in colour, other blocks grey, city dashed.

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
        Draw the 常州市 row, when present, as a dashed line.
    """
    _check_columns(obs, ["region", "year", "indicator", "value"], "trend_small_multiples")
    city = _city()
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
            _t(
                lang, "所选指标、板块和年份内没有数据", "No data for the chosen indicators, regions and years"
            ),
            lang=lang,
            source=source,
            demo=demo,
            title=title,
        )
    n = len(indicators)
    ncols = max(1, min(ncols, n))
    nrows = int(np.ceil(n / ncols))
    with style():
        fig, axes = _new_figure(3.4 * ncols + 0.4, 2.7 * nrows + 0.9, nrows, ncols)
        flat = axes.ravel()
        for ax, code in zip(flat, indicators, strict=False):
            sub = df[df["indicator"] == code]
            unit = sub["unit"].iloc[0] if "unit" in sub.columns and len(sub) else ""
            if sub.empty:
                ax.set_title(indicator_name(code, lang), fontsize=10)
                ax.text(
                    0.5,
                    0.5,
                    _t(lang, "无数据", "no data"),
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
                last = g.iloc[-1]
                ax.annotate(
                    _fmt(last["value"]),
                    (last["year"], last["value"]),
                    xytext=(4, 0),
                    textcoords="offset points",
                    color=FOCUS_COLOR,
                    fontsize=8,
                    va="center",
                )
            ax.set_title(indicator_name(code, lang), fontsize=10)
            ax.set_ylabel(indicator_unit(code, unit))
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
            labels.append(_t(lang, "其他板块", "other blocks"))
        fig.legend(handles, labels, loc="outside upper center", ncols=len(handles))
        src = source if source is not None else source_text(df, sources=sources, lang=lang, demo=demo)
        return _finish(fig, source=src, demo=demo, title=title)


# --------------------------------------------------------------------------------------- bump chart
def rank_bump(
    ranks: pd.DataFrame,
    *,
    focus: str = "溧阳市",
    indicator: str | None = None,
    rank_col: str = "rank",
    lang: str = "zh",
    sources: pd.DataFrame | None = None,
    source: str | None = None,
    demo: bool | None = None,
    title: str | None = None,
) -> Figure:
    """Bump chart of ranks over the years (1 = best at the top), focus block highlighted.

    Parameters
    ----------
    ranks : DataFrame
        Columns region, year and ``rank_col`` (1 = best, polarity already applied by the analysis);
        an ``indicator`` column is filtered to ``indicator`` when given.
    """
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
            _t(lang, f"{name}没有可排名的数据", f"No ranks for {name}"),
            lang=lang,
            source=source,
            demo=is_demo(ranks) if demo is None else demo,
            title=title,
        )
    if indicator is None and "indicator" in df.columns:
        indicator = str(df["indicator"].iloc[0])
    demo = is_demo(df, ranks) if demo is None else demo
    n = int(max(df[rank_col].max(), df["region"].nunique()))
    with style():
        from matplotlib.ticker import FixedLocator, FuncFormatter

        fig, axes = _new_figure(7.5, 4.2)
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
        ax.set_ylabel(_t(lang, "排名（1 = 最好）", "Rank (1 = best)"))
        years = df["year"]
        # Ticks only at the years ranked; the extra room on the right holds the region labels.
        ax.xaxis.set_major_locator(FixedLocator(sorted(int(y) for y in years.unique())))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{int(round(v))}"))
        ax.set_xlim(years.min() - 0.3, years.max() + 0.3 + 0.25 * max(1, years.max() - years.min()))
        ax.grid(axis="x", visible=False)
        if title is None and indicator is not None:
            title = _t(
                lang,
                f"{indicator_name(indicator, lang)}：各板块排名",
                f"{indicator_name(indicator, lang)}: rank of blocks",
            )
        src = source if source is not None else source_text(ranks, sources=sources, lang=lang, demo=demo)
        return _finish(fig, source=src, demo=demo, title=title)


# --------------------------------------------------------------------------------------- gap bars
def gap_bars(
    gaps: pd.DataFrame,
    *,
    focus: str = "溧阳市",
    value_col: str = "gap_city_pct",
    adjust_polarity: bool = True,
    lang: str = "zh",
    reference: str | None = None,
    sources: pd.DataFrame | None = None,
    source: str | None = None,
    demo: bool | None = None,
    title: str | None = None,
) -> Figure:
    """Horizontal bars of the focus block's relative gap to a benchmark, per indicator.

    Parameters
    ----------
    gaps : DataFrame
        ``analysis.benchmark.gap_table`` output or any frame with one row per indicator (and optionally
        per ``year``: several years are drawn as grouped bars, showing whether the gap narrowed).
        Columns indicator and ``value_col``: focus − benchmark in % of the benchmark. A ``region`` column
        is filtered to ``focus``.
    value_col : str
        ``gap_city_pct`` (default: the Changzhou average), ``gap_median_pct`` or ``gap_leader_pct`` of the
        gap table; the benchmark named in the axis label follows from it unless ``reference`` is given.
    adjust_polarity : bool
        Multiply by the catalogue polarity so that positive always means better (green).
    reference : str, optional
        Name of the benchmark in the axis label.
    """
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
            _t(
                lang,
                f"{region_name(focus, lang)}没有可计算差距的数据",
                f"No gaps can be computed for {region_name(focus, lang)}",
            ),
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
            reference = _t(lang, "板块中位数", "median block")
        elif "leader" in value_col:
            reference = _t(lang, "领先板块", "leading block")
        else:
            reference = _t(lang, "常州平均", "Changzhou average")
    with style():
        fig, axes = _new_figure(7.5, 1.2 + 0.42 * len(order) * (1 + 0.35 * (len(years) - 1)))
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
        ax.set_xlabel(
            _t(
                lang,
                f"{region_name(focus, lang)}与{reference}的相对差距（%，正值 = 优于平均）",
                f"{region_name(focus, lang)} vs {reference} (%, positive = better)",
            )
        )
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
            title = _t(
                lang, f"{yr}年{region_name(focus, lang)}与{reference}的差距", f"Gap to {reference}, {yr}"
            )
        src = source if source is not None else source_text(gaps, sources=sources, lang=lang, demo=demo)
        return _finish(fig, source=src, demo=demo, title=title)


# ---------------------------------------------------------------------------------------- heatmap
def score_heatmap(
    scores: pd.DataFrame,
    *,
    focus: str = "溧阳市",
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
) -> Figure:
    """Heatmap of scores, blocks × indicators (or pillars), focus row outlined.

    Parameters
    ----------
    scores : DataFrame
        Long (region, ``column``, ``value_col``) or wide (index region, one column per indicator/pillar;
        other columns such as ``topsis`` or ``rank`` of ``composite_scores`` are left out).
        Scores are on 0–100 (min-max normalised) unless ``vmin``/``vmax`` say otherwise. NaN cells stay
        blank.
    column : 'indicator' or 'pillar'
        What the columns are (chooses the labels).
    """
    import seaborn as sns

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
    value_label = value_label or _t(lang, "得分（0–100）", "Score (0–100)")
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
    with style():
        size = (
            0.8 + char_in * y_chars + col_w * data.shape[1] + 1.3,
            1.2 + 0.18 * x_lines + row_h * data.shape[0],
        )
        fig, axes = _new_figure(*size)
        ax = axes[0, 0]
        sns.heatmap(
            data,
            ax=ax,
            cmap="YlGnBu",
            vmin=vmin,
            vmax=vmax,
            annot=True,
            fmt=".0f",
            annot_kws={"fontsize": 8},
            linewidths=0.6,
            linecolor="white",
            cbar_kws={"label": value_label, "shrink": 0.8},
            xticklabels=xlabels,
            yticklabels=ylabels,
        )
        ax.set_xlabel("")
        ax.set_ylabel("")
        ax.tick_params(axis="x", rotation=0)
        ax.tick_params(axis="y", rotation=0)
        for lab in [*ax.get_yticklabels(), *ax.get_xticklabels()]:
            if lab.get_text() == region_name(focus, lang):
                lab.set_color(FOCUS_COLOR)
                lab.set_fontweight("bold")
        if focus in wide.index:
            from matplotlib.patches import Rectangle

            i = list(wide.index).index(focus)
            xy, w, h = ((i, 0), 1, data.shape[0]) if transpose else ((0, i), data.shape[1], 1)
            ax.add_patch(Rectangle(xy, w, h, fill=False, ec=FOCUS_COLOR, lw=2.2, clip_on=False))
        src = source if source is not None else source_text(scores, sources=sources, lang=lang, demo=demo)
        return _finish(fig, source=src, demo=demo, title=title)


# ------------------------------------------------------------------------------ coverage heatmap
def coverage_heatmap(
    coverage_summary: pd.DataFrame,
    *,
    focus: str = "溧阳市",
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
        title = _t(lang, "数据覆盖率（有数据年份占比）", "Data coverage (share of years with a figure)")
    return score_heatmap(
        df,
        focus=focus,
        column="indicator",
        value_col="coverage_pct",
        lang=lang,
        value_label=_t(lang, "覆盖率（%）", "Coverage (%)"),
        source=source
        if source is not None
        else _t(lang, "资料来源：数据集覆盖率统计", "Source: dataset coverage table"),
        demo=bool(demo),
        title=title,
    )


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
                    "label": _t(lang, "规划目标", "plan target"),
                }
            )
    if proposed is not None and len(proposed) and year is not None:
        t = proposed[proposed["indicator"] == indicator].dropna(subset=["proposed"])
        for _, r in t.iterrows():
            rows.append(
                {
                    "year": int(year),
                    "value": float(r["proposed"]),
                    "label": _t(lang, "建议目标", "proposed target"),
                }
            )
    return pd.DataFrame(rows, columns=["year", "value", "label"])


# ----------------------------------------------------------------------------------- pillar dots
def pillar_dots(
    scores: pd.DataFrame,
    *,
    focus: str = "溧阳市",
    column: str = "pillar",
    value_col: str = "score",
    lang: str = "zh",
    xlim: tuple[float, float] | None = (0, 100),
    value_label: str | None = None,
    sources: pd.DataFrame | None = None,
    source: str | None = None,
    demo: bool | None = None,
    title: str | None = None,
) -> Figure:
    """Dot plot of scores by pillar: a grey dot per block, the focus block large and coloured,
    the city (if present) as a dark diamond.

    Parameters
    ----------
    scores : DataFrame
        Long (region, ``column`` (pillar or indicator code), ``value_col``) or wide with the region as
        index or column and one column per pillar (``analysis.composite.composite_scores``).
    """
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
    city = _city()
    cats = list(dict.fromkeys(df[column]))
    labeler = pillar_name if column == "pillar" else indicator_name
    value_label = value_label or _t(lang, "得分（0–100）", "Score (0–100)")
    with style():
        fig, axes = _new_figure(7.0, 1.3 + 0.55 * len(cats))
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
            label=_t(lang, "其他板块", "other blocks"),
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
        src = source if source is not None else source_text(scores, sources=sources, lang=lang, demo=demo)
        return _finish(fig, source=src, demo=demo, title=title)


# ------------------------------------------------------------------------ composite rank interval
def composite_rank_interval(
    ranks: pd.DataFrame,
    *,
    focus: str = "溧阳市",
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
) -> Figure:
    """Composite-index rank of each block with its uncertainty interval (Monte Carlo, e.g. 90 %).

    Parameters
    ----------
    ranks : DataFrame
        One row per region (region as column or index; ``analysis.composite.rank_uncertainty``):
        ``median_col`` and the interval ``low_col``–``high_col`` (rank numbers, 1 = best); the nominal
        rank ``point_col`` (default ``nominal_rank`` or ``rank`` when present) is drawn as a hollow marker.
    """
    if ranks is None or len(ranks) == 0:
        return no_data_figure(lang=lang, source=source, demo=bool(demo), title=title)
    ranks = _region_column(ranks)
    _check_columns(ranks, ["region", median_col, low_col, high_col], "composite_rank_interval")
    if point_col is None:
        point_col = next((c for c in ("nominal_rank", "rank") if c in ranks.columns), None)
    df = ranks.sort_values([median_col, low_col]).reset_index(drop=True)
    demo = is_demo(ranks) if demo is None else demo
    n = int(max(df[high_col].max(), len(df)))
    interval_label = interval_label or _t(lang, "90% 区间", "90% interval")
    with style():
        from matplotlib.ticker import FixedLocator

        fig, axes = _new_figure(7.0, 1.2 + 0.45 * len(df))
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
                label=_t(lang, "中位排名", "median rank") if i == 0 else None,
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
                    label=_t(lang, "基准权重排名", "rank with base weights") if i == 0 else None,
                )
        ax.set_yticks(range(len(df)), [region_name(r, lang) for r in df["region"]])
        for lab in ax.get_yticklabels():
            if lab.get_text() == region_name(focus, lang):
                lab.set_color(FOCUS_COLOR)
                lab.set_fontweight("bold")
        ax.set_ylim(len(df) - 0.5, -0.5)
        ax.set_xlim(0.5, n + 0.5)
        ax.xaxis.set_major_locator(FixedLocator(range(1, n + 1)))
        ax.set_xlabel(_t(lang, "综合指数排名（1 = 最好）", "Composite index rank (1 = best)"))
        ax.grid(axis="y", visible=False)
        fig.legend(loc="outside upper center", ncols=3)
        src = source if source is not None else source_text(ranks, sources=sources, lang=lang, demo=demo)
        return _finish(fig, source=src, demo=demo, title=title)


# ------------------------------------------------------------------------------ projection fan
def projection_fan(
    history: pd.DataFrame,
    projections: pd.DataFrame,
    *,
    indicator: str | None = None,
    focus: str = "溧阳市",
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
            _t(lang, f"{region_name(focus, lang)}{name}没有可预测的数据", f"No data to project for {name}"),
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
    with style():
        fig, axes = _new_figure(7.8, 4.6)
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
                label=_t(lang, "拟合期后实际值", "observed after the fit window"),
            )
        ax.plot(
            h["year"],
            h["value"],
            color=CITY_COLOR,
            lw=2.4,
            marker="o",
            ms=4,
            label=_t(lang, f"{region_name(focus, lang)}实际值", f"{region_name(focus, lang)} observed"),
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
                name += f"（MAPE {mape[m]:.1f}%）" if lang != "en" else f" (MAPE {mape[m]:.1f}%)"
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
                    label=_t(lang, "预测区间", "prediction interval"),
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
                label=_t(lang, "各方法区间范围", "range of method intervals"),
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
                    else _t(lang, "目标", "target")
                )
                ax.scatter(
                    [r["year"]],
                    [r["value"]],
                    marker=markers[k % len(markers)],
                    s=190,
                    color="#F1C40F",
                    edgecolor=CITY_COLOR,
                    zorder=6,
                    label=f"{lab}：{_fmt(r['value'])}" if lang != "en" else f"{lab}: {_fmt(r['value'])}",
                )
        if last_year is not None:
            ax.axvline(last_year, color="#AAAAAA", lw=0.8, ls=":")
        ax.set_ylabel(axis_label(indicator, lang, unit or None) if indicator else unit)
        year_axis(ax)
        ax.legend(loc="upper left", fontsize=8)
        if title is None and indicator is not None:
            title = _t(
                lang,
                f"{region_name(focus, lang)}{indicator_name(indicator, lang)}预测",
                f"{region_name(focus, lang)}: {indicator_name(indicator, lang)} projection",
            )
        src = source if source is not None else source_text(history, sources=sources, lang=lang, demo=demo)
        return _finish(fig, source=src, demo=demo, title=title)


COLUMN_LABELS = {
    "indicator": ("指标", "Indicator"),
    "region": ("地区", "Region"),
    "unit": ("单位", "Unit"),
    "year": ("年份", "Year"),
    "value": ("数值", "Value"),
    "value_start": ("期初值", "Start value"),
    "value_end": ("期末值", "End value"),
    "increment": ("增量", "Increment"),
    "cagr": ("年均增速（%）", "CAGR (%)"),
    "share_start": ("期初占全市比重（%）", "Share of city, start (%)"),
    "share_end": ("期末占全市比重（%）", "Share of city, end (%)"),
    "n_years": ("有数据年数", "Years with data"),
    "missing_years": ("缺失年份", "Missing years"),
    "note": ("说明", "Note"),
    "target": ("目标值", "Target"),
    "attainment": ("完成度（%）", "Attainment (%)"),
    "met": ("是否达标", "Met"),
    "rank": ("排名", "Rank"),
    "score": ("得分", "Score"),
    "mape": ("回测MAPE（%）", "Backtest MAPE (%)"),
    "method": ("方法", "Method"),
    "lower": ("区间下限", "Lower"),
    "upper": ("区间上限", "Upper"),
    "share": ("覆盖率", "Coverage"),
    "years_covered": ("有数据年数", "Years covered"),
    "years_total": ("应有年数", "Years asked"),
    "first_year": ("首年", "First year"),
    "last_year": ("末年", "Last year"),
    "title": ("名称", "Title"),
    "publisher": ("发布机构", "Publisher"),
    "url": ("网址", "URL"),
    "accessed": ("访问日期", "Accessed"),
    "source_id": ("来源编号", "Source id"),
    "n": ("比较地区数", "Regions compared"),
    "city_value": ("常州市数值", "Changzhou figure"),
    "city_avg": ("常州平均", "Changzhou average"),
    "gap_city": ("与常州平均之差", "Gap to Changzhou average"),
    "gap_city_pct": ("与常州平均之差（%）", "Gap to Changzhou average (%)"),
    "median": ("板块中位数", "Median block"),
    "gap_median_pct": ("与中位数之差（%）", "Gap to median (%)"),
    "leader": ("领先板块", "Leader"),
    "leader_value": ("领先值", "Leader value"),
    "gap_leader_pct": ("与领先板块之差（%）", "Gap to leader (%)"),
    "mean": ("均值", "Mean"),
    "cv": ("变异系数", "Coefficient of variation"),
    "complete": ("各板块齐全", "All blocks present"),
    "base_year": ("基期", "Base year"),
    "base_value": ("基期值", "Base value"),
    "required_growth": ("所需年均增速（%）", "Required growth (%/yr)"),
    "projected_growth": ("预测年均增速（%）", "Projected growth (%/yr)"),
    "projected": ("预测值", "Projected"),
    "probability": ("达标概率", "Probability of reaching"),
    "on_track": ("预计达标", "On track"),
    "focus_base": ("基期值", "Base value"),
    "bench_base": ("基期基准值", "Benchmark, base year"),
    "shortfall_base": ("基期差距（%）", "Base-year shortfall (%)"),
    "bench_projected": ("基准预测值", "Benchmark projected"),
    "focus_trend": ("趋势预测值", "Trend projection"),
    "gap_rule": ("缩差规则值", "Gap-rule value"),
    "proposed": ("建议目标", "Proposed target"),
    "binding": ("决定因素", "Binding rule"),
    "plan_target": ("规划目标", "Plan target"),
    "trend_growth": ("趋势年均增速（%）", "Trend growth (%/yr)"),
    "against": ("比较基准", "Benchmark"),
    "shortfall_start": ("期初差距（%）", "Shortfall, start (%)"),
    "shortfall_end": ("期末差距（%）", "Shortfall, end (%)"),
    "change": ("变化（百分点）", "Change (pp)"),
    "improved": ("差距缩小", "Gap narrowed"),
    "status": ("状态", "Status"),
    "topsis": ("TOPSIS贴近度", "TOPSIS closeness"),
    "topsis_rank": ("TOPSIS排名", "TOPSIS rank"),
    "minmax": ("min-max得分", "Min-max score"),
    "minmax_rank": ("min-max排名", "Min-max rank"),
    "nominal_rank": ("基准排名", "Nominal rank"),
    "median_rank": ("排名中位数", "Median rank"),
    "rank_lo": ("排名区间下限", "Rank interval low"),
    "rank_hi": ("排名区间上限", "Rank interval high"),
}


def _decimals(col: pd.Series) -> int:
    mag = col.abs().median() if col.notna().any() else 0
    return 0 if mag >= 100 else 1 if mag >= 10 else 2


def format_table(
    df: pd.DataFrame,
    lang: str = "zh",
    columns: Sequence[str] | None = None,
    labels: dict[str, str] | None = None,
    decimals: int | None = None,
) -> pd.DataFrame:
    """A copy of a result frame for display: codes → names, column labels in ``lang``, rounded numbers.

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
    names = {k: (en if lang == "en" else zh) for k, (zh, en) in COLUMN_LABELS.items()}
    names.update(labels or {})
    return out.rename(columns=names)


def table(
    df: pd.DataFrame,
    lang: str = "zh",
    columns: Sequence[str] | None = None,
    labels: dict[str, str] | None = None,
    decimals: int | None = None,
    demo: bool = False,
):
    """:func:`format_table` as a pandas Styler for notebooks and reports: no index column, numbers with
    thousands separators and the rounding of :func:`format_table`, booleans as 是/否 (yes/no), missing
    values as "—". An empty frame gives a one-line "（无）/ (none)" note instead of a bare header.

    With ``demo=True`` (figures from the synthetic demo panel) the table carries a visible caption
    "演示数据 / demo data", as every chart made from demo data does."""
    if df is None or len(df) == 0:
        from IPython.display import Markdown

        return Markdown(_t(lang, "（无）", "(none)"))
    shown = format_table(df, lang, columns, labels, decimals)
    yes, no = ("yes", "no") if lang == "en" else ("是", "否")
    fmt = {}
    for c in shown.columns:
        col = shown[c]
        if pd.api.types.is_bool_dtype(col):
            fmt[c] = lambda v, yes=yes, no=no: "—" if pd.isna(v) else (yes if v else no)
        elif pd.api.types.is_float_dtype(col):
            d = decimals if decimals is not None else _decimals(col.astype(float))
            fmt[c] = lambda v, d=d: "—" if pd.isna(v) else f"{v:,.{d}f}"
    styler = shown.style.hide(axis="index").format(fmt, na_rep="—")
    if demo:
        styler = styler.set_caption(DEMO_TABLE_CAPTION).set_table_styles(
            [{"selector": "caption", "props": "caption-side: top; color: #b2182b; font-weight: bold; text-align: left;"}]
        )
    return styler


#: Caption of tables made from demo data (the charts' watermark, in words).
DEMO_TABLE_CAPTION = "演示数据 / demo data（合成数字，非真实统计 / synthetic, not real statistics）"


METHOD_LABELS = {
    "cagr": ("年均增速延续", "CAGR continuation"),
    "linear": ("线性趋势", "Linear trend"),
    "loglinear": ("对数线性趋势", "Log-linear trend"),
    "holt": ("Holt阻尼趋势", "Holt damped trend"),
    "gm11": ("GM(1,1)灰色模型", "GM(1,1) grey model"),
    "ensemble": ("组合预测", "Ensemble"),
}


def method_label(method: str, lang: str = "zh") -> str:
    """Display name of a projection method."""
    zh, en = METHOD_LABELS.get(str(method), (str(method), str(method)))
    return en if lang == "en" else zh


__all__ = [
    "CJKFontNotFoundError",
    "CJKFontWarning",
    "CJK_FONT_CANDIDATES",
    "DEMO_MARK",
    "axis_label",
    "composite_rank_interval",
    "coverage_heatmap",
    "target_markers",
    "dataset_source",
    "find_cjk_fonts",
    "format_table",
    "gap_bars",
    "indicator_name",
    "is_demo",
    "method_label",
    "no_data_figure",
    "pillar_dots",
    "projection_fan",
    "rank_bump",
    "region_name",
    "resolve_cjk_font",
    "score_heatmap",
    "source_text",
    "style",
    "style_rc",
    "table",
    "trend_small_multiples",
    "use_style",
    "year_axis",
]
