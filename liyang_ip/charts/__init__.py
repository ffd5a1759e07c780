"""Charts and tables for the notebooks, one module per family.

* ``base``       — one style, the CJK font found at run time, labels from the catalogue, demo marks,
                   source lines, empty-figure and axis helpers shared by every chart; ``figure_svg``
                   (a figure as the notebooks show it: SVG, text as text, one draw)
* ``trends``     — levels over time: ``trend_small_multiples``, ``rank_bump``
* ``benchmark``  — ``gap_bars``, ``score_heatmap``, ``coverage_heatmap`` (matplotlib only, through
                   ``annotated_heatmap``), ``pillar_dots``, ``composite_rank_interval``
* ``projection`` — ``projection_fan``, ``target_markers``
* ``tables``     — ``table`` / ``display_frame`` / ``format_table`` (labels, units, rounding),
                   ``method_label``

Everything public is re-exported here, so notebooks call ``charts.gap_bars(...)``.
"""

from __future__ import annotations

from .base import (
    BAD_COLOR,
    CITY_COLOR,
    CJK_FONT_CANDIDATES,
    DEMO_MARK,
    DEMO_MARKS,
    FOCUS_COLOR,
    GOOD_COLOR,
    LATIN_FALLBACK,
    PEER_COLOR,
    SOURCE_COLOR,
    CJKFontNotFoundError,
    CJKFontWarning,
    axis_label,
    dataset_source,
    demo_mark,
    figure_svg,
    find_cjk_fonts,
    indicator_name,
    inline_svg,
    is_demo,
    no_data_figure,
    region_name,
    resolve_cjk_font,
    source_text,
    style,
    style_rc,
    use_style,
    year_axis,
)
from .benchmark import composite_rank_interval, coverage_heatmap, gap_bars, pillar_dots, score_heatmap
from .projection import projection_fan, target_markers
from .tables import (
    COLUMN_LABELS,
    DEMO_TABLE_CAPTION,
    METHOD_LABELS,
    demo_table_caption,
    display_frame,
    format_table,
    method_label,
    table,
)
from .trends import rank_bump, trend_small_multiples

__all__ = [
    "BAD_COLOR",
    "CITY_COLOR",
    "FOCUS_COLOR",
    "GOOD_COLOR",
    "LATIN_FALLBACK",
    "PEER_COLOR",
    "SOURCE_COLOR",
    "CJKFontNotFoundError",
    "CJKFontWarning",
    "CJK_FONT_CANDIDATES",
    "COLUMN_LABELS",
    "DEMO_MARK",
    "DEMO_MARKS",
    "demo_mark",
    "DEMO_TABLE_CAPTION",
    "METHOD_LABELS",
    "axis_label",
    "composite_rank_interval",
    "demo_table_caption",
    "display_frame",
    "coverage_heatmap",
    "dataset_source",
    "figure_svg",
    "find_cjk_fonts",
    "format_table",
    "gap_bars",
    "indicator_name",
    "inline_svg",
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
    "target_markers",
    "trend_small_multiples",
    "use_style",
    "year_axis",
]
