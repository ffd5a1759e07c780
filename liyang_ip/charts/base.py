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

matplotlib is imported inside the functions so that importing this module is cheap.
"""

from __future__ import annotations

import textwrap
import warnings
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from liyang_ip import wording

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
CJK_PROBE = "省市区县板块地区平均演示数据件万人发明专利排名"


def demo_mark(lang: str = "zh") -> str:
    """The mark on every chart made from demo data, in the chart's language (wording ``charts.demo_mark``;
    one language: a Chinese report carries no English)."""
    from liyang_ip import wording

    return wording.text("charts.demo_mark", "en" if str(lang).lower().startswith("en") else "zh")


#: The demo mark by language, and the Chinese one.
DEMO_MARKS = {"zh": demo_mark("zh"), "en": demo_mark("en")}
DEMO_MARK = DEMO_MARKS["zh"]


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
#: Whether a font face has glyphs for a text, by (file, face index, text): reading a CJK font's character
#: map takes ~8 ms a face, and every chart asks (the house style is looked up per chart).
_COVERS: dict[tuple[str, int, str], bool] = {}


def _font_covers(path: Any, text: str) -> bool:
    """True when the font file (a FontPath, possibly a face of a .ttc) has a glyph for every character."""
    key = (str(path), int(getattr(path, "face_index", 0) or 0), text)
    if key not in _COVERS:
        _COVERS[key] = _read_covers(path, text)
    return _COVERS[key]


def _read_covers(path: Any, text: str) -> bool:
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


#: SVG output: text stays text (the report's embedded CJK font draws it, crisp at any zoom and in print);
#: ids do not change from run to run.
SVG_RC = {"svg.fonttype": "none", "svg.hashsalt": "liyang-ip"}


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
        **SVG_RC,
        # Names come from data files: a '$' in one ('A$x^2$公司') is text, never matplotlib math.
        "text.parse_math": False,
    }


def use_style(strict: bool = False) -> dict[str, Any]:
    """Apply the house style globally (for a notebook session) and return the rcParams set."""
    import matplotlib as mpl

    rc = style_rc(strict=strict)
    mpl.rcParams.update(rc)
    return rc


def figure_svg(fig: Figure) -> str | None:
    """The figure as SVG text, as the notebooks show it: one draw instead of two.

    IPython's SVG formatter (``print_figure`` with ``bbox_inches='tight'``) draws a figure twice: a dry
    run that lays it out and measures what it covers, then the SVG; with our charts' constrained layout
    that is about a third of a chart's cost. A constrained figure already fits its content to its size
    (legends, titles and the source line inside), so here it is laid out and written in one SVG draw,
    at its own size (``figsize``), with the same layout; text stays text (:data:`SVG_RC`, whatever the
    session's rcParams) and the date is left out, so the same data give the same file. A figure
    without a layout engine (e.g. a user's own ``plt.subplots()``) still goes through
    ``print_figure``, whose tight box keeps labels that stick out. None for an empty figure, as
    IPython does.
    """
    if not fig.axes and not fig.lines:
        return None
    import matplotlib as mpl
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    if not isinstance(fig.get_layout_engine(), ConstrainedLayoutEngine):
        from IPython.core.pylabtools import print_figure

        with mpl.rc_context(SVG_RC):
            return print_figure(fig, "svg", metadata={"Date": None})
    import io

    from matplotlib.backends.backend_svg import FigureCanvasSVG

    canvas, dpi = fig.canvas, fig.dpi
    buf = io.StringIO()
    try:
        # print_svg sets the figure to 72 dpi and draws once; the draw runs the layout engine first.
        with mpl.rc_context(SVG_RC):
            FigureCanvasSVG(fig).print_svg(buf, metadata={"Date": None})
    finally:
        fig.dpi = dpi
        fig.set_canvas(canvas)
    return buf.getvalue()


def inline_svg() -> bool:
    """Show figures in the running notebook as SVG instead of PNG; False outside IPython.

    Vector figures print sharply at any size and keep their text as text (``svg.fonttype: none``),
    which the exported report draws with its embedded CJK font and which a PDF reader can search.
    The date is left out of the SVG, so a re-run with the same data gives the same output. Figures are
    written by :func:`figure_svg` (one draw).
    """
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with the notebooks' environment
        return False
    shell = get_ipython()
    if shell is None:
        return False
    from matplotlib.figure import Figure
    from matplotlib_inline.backend_inline import set_matplotlib_formats

    # SVG only (no PNG beside it), then our one-draw writer in place of print_figure.
    set_matplotlib_formats("svg", metadata={"Date": None})
    shell.display_formatter.formatters["image/svg+xml"].for_type(Figure, figure_svg)
    return True


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


def chart_label(key: str, lang: str = "zh", /, **values) -> str:
    """A chart's title, axis, legend or message: ``charts.labels.<key>`` of the wording files, rendered
    with `values` (region names, indicator names, years; ``geo`` for the region set's words)."""
    from liyang_ip import wording

    return wording.render(f"charts.labels.{key}", "en" if lang == "en" else "zh", **values)


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


def unit_text(code: str, lang: str = "zh", default: str = "") -> str:
    """The indicator's unit as written in `lang` (``件/万人`` → ``per 10,000 people``; the wording file's
    ``units`` table); the catalogue is the single source of units, `default` (from the data) the fallback."""
    from liyang_ip import wording

    unit = indicator_unit(code, default or "")
    return wording.unit(unit, "en" if lang == "en" else "zh") if unit else ""


def axis_label(code: str, lang: str = "zh", unit: str | None = None) -> str:
    """Axis label with unit, e.g. ``每万人口发明专利拥有量（件/万人）``; in English the unit in English."""
    unit = unit_text(code, lang, unit or "")
    name = indicator_name(code, lang)
    if not unit:
        return name
    from liyang_ip import wording

    return wording.render("charts.axis_label", "en" if lang == "en" else "zh", name=name, unit=unit)


def region_name(name: str, lang: str = "zh") -> str:
    """Region label: canonical Chinese name, or its English name for ``lang='en'``."""
    if lang != "en":
        return str(name)
    from liyang_ip import registry

    r = registry.all_regions().get(name)
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


def _rset(region_set=None):
    """The RegionSet for a set, bundled name, path or None (the default set)."""
    from liyang_ip import registry

    return registry.region_set(region_set)


def _set_of(region_set=None, *frames):
    """`region_set` as given, else the one recorded on the first frame that has one (analysis results and
    a dataset's observations carry ``attrs['region_set']``), else None (the default set)."""
    if region_set is not None:
        return region_set
    for df in frames:
        spec = getattr(df, "attrs", {}).get("region_set") if df is not None else None
        if spec:
            return spec
    return None


def _city(region_set=None) -> str:
    """The parent (aggregate) unit of the region set."""
    return _rset(region_set).parent


def _focus(focus: str | None, region_set=None) -> str:
    """The focus unit, or the region set's first member when none is given."""
    return focus if focus else _rset(region_set).members[0]


def unit_label(kind: str, lang: str = "zh", region_set=None) -> str:
    """Words that name the set's units: kind 'others' (其他板块 / other blocks), 'median' (板块中位数 /
    median block), 'leader' (领先板块 / leading block), 'average' (全国平均 / national average), 'all'
    (各板块 / all blocks)."""
    from liyang_ip import wording

    lang = "en" if lang == "en" else "zh"
    return wording.render(f"charts.units.{kind}", lang, geo=_rset(region_set).words(lang))


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
            titles.append(wording.render("charts.source_title", lang, publisher=pub, title=title))
        else:
            titles.append(s)
    if not (titles or derived or demo):
        return wording.text("charts.source_unknown", lang)
    return wording.render("charts.source_line", lang, titles=titles, derived=derived, demo=bool(demo))


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
    lang: str = "zh",
) -> Figure:
    """Add title, source line and demo mark (in `lang`); reserve room at the bottom for the source line."""
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
            demo_mark(lang),
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


@contextmanager
def chart_canvas(width: float, height: float, nrows: int = 1, ncols: int = 1, **kw: Any):
    """How every chart starts: the house style and a new figure (``with chart_canvas(7.5, 4) as (fig, axes)``).

    Build the chart and call :func:`finish_chart` inside the block, so that the title, source line and
    demo mark are set in the same style.
    """
    with style():
        yield _new_figure(width, height, nrows, ncols, **kw)


def finish_chart(
    fig: Figure,
    *frames: pd.DataFrame | None,
    sources: pd.DataFrame | None = None,
    source: str | None = None,
    lang: str = "zh",
    demo: bool = False,
    title: str | None = None,
) -> Figure:
    """How every chart ends: title, the source line and the demo mark.

    The source line is `source` when given, else made from the ``source_id`` values of `frames` (the
    plotted data) with the titles of `sources` (:func:`source_text`).
    """
    src = source if source is not None else source_text(*frames, sources=sources, lang=lang, demo=demo)
    return _finish(fig, source=src, demo=demo, title=title, lang=lang)


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
    message = message or wording.text("charts.no_data", lang)
    with chart_canvas(6.0, 1.9) as (fig, axes):
        ax = axes[0, 0]
        ax.set_axis_off()
        ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=11, color=SOURCE_COLOR, wrap=True)
        src = source if source is not None else wording.text("charts.source_none", lang)
        return finish_chart(fig, source=src, demo=demo, title=title, lang=lang)


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
