"""The plan's own indicator table (主要指标表), as drafters paste it into the plan: Word and Excel.

:func:`plan_table` assembles one row per indicator: 类别 (一级: 创造/运用/保护/管理/服务/人才) → 指标
(二级), 单位, 基期值 (预计 marked), 目标值 (the proposed target, :func:`~liyang_ip.analysis.targets.propose_targets`),
年均增速 (counts, amounts) or 累计增量 (ratios, scores), 属性, and beside it the parent's own plan target and
the parent average in the base year. :func:`write_docx` and :func:`write_xlsx` export it.

Planning conventions (:mod:`~liyang_ip.analysis.precision`): counts are integers, money in 亿元 with two
decimals, ratios with one decimal, no thousands separators, rounding half away from zero. The growth
rate and the increment are computed from the rounded values the table shows, so a reader can check
them; growth has one decimal.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

#: Column keys of :func:`plan_table` in display order; headers are worded in liyang_ip/wording/<lang>.yaml
#: (``plan_table.headers``).
COLUMNS = ("pillar", "number", "indicator", "unit", "base_value", "target", "change", "attribute", "parent_target",
           "parent_average")


def _say(key: str, lang: str, **values) -> str:
    from liyang_ip import wording

    return wording.render(key, "en" if lang == "en" else "zh", **values)


ESTIMATE_SUFFIX = "*"  # beside a 预计 base value; explained in the note
CAPPED_SUFFIX = "△"  # beside a target capped by the feasibility check; the reason is in the note


@dataclass
class PlanTable:
    """The table (``rows``: one per indicator, values in planning units) and what the exports print."""

    rows: pd.DataFrame
    focus: str
    base_year: int
    target_year: int
    title: str
    notes: list[str] = field(default_factory=list)
    lang: str = "zh"
    parent: str = ""
    is_demo: bool = False

    def headers(self) -> dict[str, str]:
        from liyang_ip import registry

        parent = registry.label(self.parent, self.lang) if self.parent else ""
        return {k: _say(f"plan_table.headers.{k}", self.lang, base_year=self.base_year,
                        target_year=self.target_year, parent=parent) for k in COLUMNS}


def _growth(base: float, target: float, years: int) -> float:
    if not (np.isfinite(base) and np.isfinite(target)) or base <= 0 or target <= 0 or years <= 0:
        return float("nan")
    return ((target / base) ** (1 / years) - 1) * 100


def plan_table(
    obs: pd.DataFrame,
    targets: pd.DataFrame | None,
    focus: str,
    base_year: int,
    target_year: int,
    proposals: pd.DataFrame | None = None,
    indicators: Sequence[str] | None = None,
    start_year: int | None = None,
    share: float | Mapping[str, float] = 0.5,
    benchmark: str = "others",
    attributes: Mapping[str, str] | None = None,
    lang: str = "zh",
    is_demo: bool | None = None,
    source: str = "",
    methods: Sequence[str] | None = None,
    region_set=None,
) -> PlanTable:
    """Assemble the indicator table for `focus` (base year → target year).

    Parameters
    ----------
    obs : DataFrame
        Tidy observations (with the parent's rows).
    targets : DataFrame, optional
        Plan targets (``region, indicator, year, value[, attribute]``): the parent's own targets for
        `target_year` are shown beside; a focus target's 属性 is reused for the proposal.
    proposals : DataFrame, optional
        :func:`~liyang_ip.analysis.targets.propose_targets` output; computed with `start_year`, `share`,
        `benchmark` when not given.
    indicators : sequence of str, optional
        Default the plan's (``mission``) indicators; rows follow the catalogue's pillar order.
    attributes : mapping indicator → 属性, optional
        属性 of the proposed targets; default the focus's existing target's 属性, else 预期性 (stated in
        the note).
    is_demo : bool, optional
        Marks the title and the note; default: any row of `obs` has status ``demo``.
    methods : sequence of str, optional
        Projection methods of the proposals (default all, as ``propose_targets``).
    region_set : RegionSet, name or path, optional
        The geography: the parent whose targets and average stand beside, and the words of the notes
        (各板块 / 各省份). Default: the set recorded on `obs` (``load_dataset`` records it), else the default set.

    Returns
    -------
    PlanTable
        ``rows`` columns: ``pillar_code, pillar, number, indicator_code, indicator, unit, decimals,
        base_value, base_estimate, target, change, change_kind ('growth' | 'increment'), attribute,
        parent_target, parent_average, feasibility``; values in the planning unit, rounded as shown
        (NaN when missing).
    """
    from liyang_ip import registry
    from liyang_ip.analysis import targets as tg
    from liyang_ip.analysis._common import city_average, city_block_count, get_region_set, series
    from liyang_ip.analysis.precision import planning_unit, round_half_up, to_planning
    from liyang_ip.data.schema import estimate_mask
    from liyang_ip.registry import plans

    en = lang == "en"
    rset = get_region_set(region_set, obs)
    city = rset.parent
    cat = registry.indicators()
    codes = list(indicators) if indicators is not None else registry.mission_indicators()
    pillar_order = list(registry.pillars())
    codes = sorted(codes, key=lambda c: (pillar_order.index(cat[c].pillar), list(cat).index(c)))
    targets = targets if targets is not None else pd.DataFrame(columns=["region", "indicator", "year", "value"])
    if proposals is None:
        extra = {"methods": list(methods)} if methods else {}
        proposals = tg.propose_targets(obs, focus, codes, target_year, share, benchmark,
                                       fit_start=start_year, fit_end=base_year, plan_targets=targets, lang=lang,
                                       region_set=rset, **extra)
    prop = proposals.set_index("indicator")
    nb = city_block_count(city, region_set=rset)
    years = target_year - base_year
    rows = []
    for code in codes:
        ind = cat[code]
        pu = planning_unit(code)
        focus_rows = obs[(obs["region"] == focus) & (obs["indicator"] == code) & (obs["year"] == base_year)]
        base = to_planning(float(focus_rows["value"].iloc[0]), code) if len(focus_rows) else float("nan")
        base_est = bool(estimate_mask(focus_rows).any())
        target = to_planning(float(prop.at[code, "proposed"]), code) if code in prop.index else float("nan")
        own = targets[(targets["region"] == focus) & (targets["indicator"] == code)]
        attr = (attributes or {}).get(code)
        if attr is None and "attribute" in own.columns:
            given = [a for a in own["attribute"].fillna("").astype(str) if a.strip()]
            attr = given[-1] if given else None
        attr = plans.attribute_label(attr or next(iter(plans.attributes())), lang)  # default: the first, 预期性
        parent_t = targets[(targets["region"] == city) & (targets["indicator"] == code)
                           & (targets["year"].astype(int) == target_year)]
        parent_target = to_planning(float(parent_t["value"].iloc[0]), code) if len(parent_t) else float("nan")
        c0 = series(obs, city, code).get(base_year, np.nan)
        parent_avg = to_planning(city_average(float(c0), ind.aggregate, nb), code)
        if ind.kind == "ratio":
            change, kind = round_half_up(target - base, pu.decimals), "increment"
        else:
            change, kind = round_half_up(_growth(base, target, years), 1), "growth"
        rows.append({
            "pillar_code": ind.pillar, "pillar": registry.pillars()[ind.pillar]["en" if en else "zh"],
            "indicator_code": code, "indicator": ind.label(lang), "unit": _unit_words(pu.unit, lang), "decimals": pu.decimals,
            "base_value": base, "base_estimate": base_est, "target": target, "change": change,
            "change_kind": kind, "attribute": attr, "parent_target": parent_target,
            "parent_average": parent_avg,
            "feasibility": str(prop.at[code, "feasibility"]) if code in prop.index and "feasibility" in prop else "",
            "rule_growth": float(prop.at[code, "rule_growth"]) if code in prop.index and "rule_growth" in prop
            else float("nan"),
            "growth_cap": float(prop.at[code, "growth_cap"]) if code in prop.index and "growth_cap" in prop
            else float("nan"),
        })
    df = pd.DataFrame(rows)
    df.insert(2, "number", range(1, len(df) + 1))
    if is_demo is None:
        is_demo = bool((obs.get("status", pd.Series(dtype=str)) == "demo").any())
    region = rset.label(focus, lang)
    plan = plans.plan_ending(target_year)
    title = _say("plan_table.title", lang, region=region, plan=plan.label(lang) if plan else "",
                 base_year=base_year, target_year=target_year, demo=bool(is_demo))
    notes = _notes(df, base_year, target_year, benchmark, share, is_demo, source, lang,
                   attributes_given=attributes is not None, rset=rset)
    return PlanTable(df, focus, int(base_year), int(target_year), title, notes, lang, city, bool(is_demo))


def source_in(title: str, lang: str = "zh") -> str:
    """A dataset title for the source note in one language: of a bilingual "中文 / English" title (as the
    bundled datasets have) the half in `lang`; any other title as it is."""
    parts = [t.strip() for t in str(title).split(" / ")]
    if len(parts) == 2 and all(parts):
        return parts[1] if lang == "en" else parts[0]
    return str(title)


def _unit_words(unit: str, lang: str) -> str:
    """The planning unit as the table writes it: as is in Chinese, in words in English (a count: number)."""
    if lang != "en":
        return unit
    from liyang_ip import wording

    return wording.unit(unit, "en") or ("number" if unit else "")


def _notes(df: pd.DataFrame, base_year: int, target_year: int, benchmark: str, share, is_demo: bool,
           source: str, lang: str, attributes_given: bool, rset=None) -> list[str]:
    from liyang_ip import registry

    rset = registry.region_set(rset)
    geo = rset.words("en" if lang == "en" else "zh")
    parent = rset.label(rset.parent, lang)
    reference = _say(f"references.{benchmark}", lang, geo=geo)
    shares = sorted({float(v) for v in share.values()}) if isinstance(share, Mapping) else [float(share)]
    capped = df[df["feasibility"].astype(str).str.len() > 0]
    notes = [_say("plan_table.note.rule", lang, target_year=target_year, base_year=base_year, reference=reference,
                  shares=[s * 100 for s in shares], geo=geo)]
    if df["base_estimate"].any():
        notes.append(_say("plan_table.note.estimate", lang, mark=ESTIMATE_SUFFIX))
    if len(capped):
        notes.append(_say("plan_table.note.capped", lang, mark=CAPPED_SUFFIX, geo=geo, capped=[
            (r.indicator, r.rule_growth, r.growth_cap) for r in capped.itertuples()]))
    if df["parent_target"].isna().all():
        notes.append(_say("plan_table.note.no_parent_target", lang, parent=parent, target_year=target_year))
    notes.append(_say("plan_table.note.growth", lang))
    notes.append(_say("plan_table.note.rounding", lang))
    if not attributes_given:
        notes.append(_say("plan_table.note.attribute", lang))
    if is_demo:
        notes.append(_say("plan_table.note.demo", lang))
    if source:
        notes.append(_say("plan_table.source_prefix", lang) + (" " if lang == "en" else "") + source)
    return notes


def _text(value: float, decimals: int, missing: str = "—") -> str:
    return missing if value is None or not math.isfinite(value) else f"{value:.{decimals}f}"


def display_rows(table: PlanTable) -> list[list[str]]:
    """The table as text cells (header first), as the Word export writes them; no thousands separators."""
    h = table.headers()
    out = [list(h.values())]
    for r in table.rows.itertuples(index=False):
        base = _text(r.base_value, r.decimals) + (ESTIMATE_SUFFIX if r.base_estimate and math.isfinite(r.base_value)
                                                  else "")
        if r.change_kind == "growth":
            change = "—" if not math.isfinite(r.change) else f"{r.change:.1f}%"
        else:
            change = "—" if not math.isfinite(r.change) else f"{r.change:+.{r.decimals}f}"
        target = _text(r.target, r.decimals) + (CAPPED_SUFFIX if r.feasibility and math.isfinite(r.target) else "")
        out.append([r.pillar, str(r.number), r.indicator, r.unit, base, target, change,
                    r.attribute, _text(r.parent_target, r.decimals), _text(r.parent_average, r.decimals)])
    return out


def pillar_spans(table: PlanTable) -> list[tuple[int, int, str]]:
    """(first row, last row, pillar) of each run of one pillar, 0-based data rows."""
    spans, start = [], 0
    p = table.rows["pillar"].tolist()
    for i in range(1, len(p) + 1):
        if i == len(p) or p[i] != p[start]:
            spans.append((start, i - 1, p[start]))
            start = i
    return spans


def to_html(table: PlanTable) -> str:
    """The table as an HTML fragment for notebooks and reports: merged 类别 cells (rowspan), the cells of
    :func:`display_rows` (escaped), the notes below. Wrap it in ``IPython.display.HTML`` to show it."""
    import html

    cells = display_rows(table)
    spans = {first: last - first + 1 for first, last, _ in pillar_spans(table)}
    covered = {i for first, last, _ in pillar_spans(table) for i in range(first + 1, last + 1)}
    head = "".join(f"<th>{html.escape(h)}</th>" for h in cells[0])
    body = []
    for i, row in enumerate(cells[1:]):
        tds = []
        for j, text in enumerate(row):
            if j == 0 and i in covered:
                continue
            span = f' rowspan="{spans[i]}"' if j == 0 and spans.get(i, 1) > 1 else ""
            align = ' style="text-align:left"' if j == 2 else ""
            tds.append(f"<td{span}{align}>{html.escape(text)}</td>")
        body.append("<tr>" + "".join(tds) + "</tr>")
    label = html.escape(_say("plan_table.notes_prefix", table.lang))
    notes = "".join(f"<li>{html.escape(n)}</li>" for n in table.notes)
    return (f'<table class="plan-table"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'
            f'<p class="plan-table-notes">{label}</p><ol class="plan-table-notes">{notes}</ol>')


def _notes_prefix(lang: str) -> str:
    """'注：' / 'Notes: ' (the template is stripped, so the English space is added here)."""
    return _say("plan_table.notes_prefix", lang) + (" " if lang == "en" else "")


BODY_FONT = "仿宋_GB2312"
HEAD_FONT = "黑体"
LATIN_FONT = "Times New Roman"


def _set_run_font(run, east_asia: str, size_pt: float, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = LATIN_FONT
    run.font.size = Pt(size_pt)
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.get_or_add_rFonts()
    rfonts.set(qn("w:eastAsia"), east_asia)


def write_docx(table: PlanTable, path: str | Path) -> Path:
    """A Word document (A4 portrait) with the title, the table (merged 类别 cells) and the notes.

    Fonts: 黑体 for the title and header, 仿宋_GB2312 for the body (East-Asian font set through
    ``w:eastAsia``, Times New Roman for digits and Latin letters). Written atomically.
    """
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    from liyang_ip.fsutil import atomic_write_bytes

    doc = Document()
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    sec.left_margin = sec.right_margin = Cm(2.0)
    sec.top_margin = sec.bottom_margin = Cm(2.54)

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_run_font(title.add_run(table.title), HEAD_FONT, 16)

    cells = display_rows(table)
    t = doc.add_table(rows=len(cells), cols=len(cells[0]))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = [1.3, 1.0, 4.2, 1.4, 1.7, 1.7, 1.8, 1.2, 1.7, 1.8]
    for i, row in enumerate(cells):
        for j, text in enumerate(row):
            cell = t.cell(i, j)
            cell.width = Cm(widths[j])
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            para = cell.paragraphs[0]
            para.alignment = WD_ALIGN_PARAGRAPH.LEFT if (j == 2 and i > 0) else WD_ALIGN_PARAGRAPH.CENTER
            _set_run_font(para.add_run(text), HEAD_FONT if i == 0 else BODY_FONT, 10.5 if i == 0 else 10)
    for first, last, _ in pillar_spans(table):
        if last > first:
            merged = t.cell(first + 1, 0).merge(t.cell(last + 1, 0))
            # merging keeps every cell's paragraph; leave one pillar name
            for extra in merged.paragraphs[1:]:
                extra._element.getparent().remove(extra._element)
            merged.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    for k, text in enumerate(table.notes):
        para = doc.add_paragraph()
        prefix = _notes_prefix(table.lang) if k == 0 else chr(0x3000) * 2  # two ideographic spaces: indent
        _set_run_font(para.add_run(f"{prefix}{k + 1}. {text}"), BODY_FONT, 9)
    import io

    buf = io.BytesIO()
    doc.save(buf)
    path = Path(path)
    atomic_write_bytes(path, buf.getvalue())
    return path


def write_xlsx(table: PlanTable, path: str | Path) -> Path:
    """One formatted sheet: title, header, numbers as numbers (number formats at planning precision,
    预计 base values shown with ``*`` by the number format), merged 类别 cells, notes. Written atomically."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    from liyang_ip.fsutil import atomic_write_bytes

    wb = Workbook()
    ws = wb.active
    ws.title = _say("plan_table.sheet", table.lang)
    headers = list(table.headers().values())
    ncol = len(headers)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.cell(1, 1, table.title).font = Font(name=HEAD_FONT, size=14)
    ws.cell(1, 1).alignment = centre
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncol)
    for j, h in enumerate(headers, start=1):
        c = ws.cell(2, j, h)
        c.font, c.alignment, c.border = Font(name=HEAD_FONT, size=11), centre, border
    first_data = 3
    for i, r in enumerate(table.rows.itertuples(index=False)):
        row = first_data + i
        num_fmt = "0" if r.decimals == 0 else "0." + "0" * r.decimals
        values = [r.pillar, int(r.number), r.indicator, r.unit, r.base_value, r.target, r.change, r.attribute,
                  r.parent_target, r.parent_average]
        for j, v in enumerate(values, start=1):
            if isinstance(v, float) and not math.isfinite(v):
                v = "—"
            c = ws.cell(row, j, v)
            c.font, c.border = Font(name=BODY_FONT, size=11), border
            c.alignment = Alignment(horizontal="left" if j == 3 else "center", vertical="center", wrap_text=True)
            if j in (5, 6, 9, 10) and isinstance(v, float):
                mark = ESTIMATE_SUFFIX if j == 5 and r.base_estimate else ""
                mark = CAPPED_SUFFIX if j == 6 and r.feasibility else mark
                c.number_format = num_fmt + (f'"{mark}"' if mark else "")
            elif j == 7 and isinstance(v, float):
                c.number_format = '0.0"%"' if r.change_kind == "growth" else "+" + num_fmt + ";-" + num_fmt
    for first, last, _ in pillar_spans(table):
        if last > first:
            ws.merge_cells(start_row=first_data + first, start_column=1, end_row=first_data + last, end_column=1)
    note_row = first_data + len(table.rows) + 1
    for k, text in enumerate(table.notes):
        prefix = _notes_prefix(table.lang) if k == 0 else ""
        c = ws.cell(note_row + k, 1, f"{prefix}{k + 1}. {text}")
        c.font = Font(name=BODY_FONT, size=10)
        c.alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(start_row=note_row + k, start_column=1, end_row=note_row + k, end_column=ncol)
        ws.row_dimensions[note_row + k].height = 30
    for j, w in enumerate([8, 6, 32, 9, 12, 12, 12, 8, 12, 14], start=1):
        ws.column_dimensions[get_column_letter(j)].width = w
    ws.freeze_panes = "A3"
    ws.page_setup.orientation = "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    buf = io.BytesIO()
    wb.save(buf)
    path = Path(path)
    atomic_write_bytes(path, buf.getvalue())
    return path


__all__ = ["CAPPED_SUFFIX", "COLUMNS", "ESTIMATE_SUFFIX", "PlanTable", "display_rows", "pillar_spans", "plan_table", "source_in", "to_html", "write_docx", "write_xlsx"]
