"""What notebook 05 (key-industry patent view) works with: the imported list, its indicator table, and
sentences generated from the numbers (Chinese or English). Text from the export (applicant names) that
reaches prose is HTML-escaped.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from . import indicators as ind
from .importer import PatentImport


@dataclass(frozen=True)
class PatentView:
    imp: PatentImport
    table: pd.DataFrame
    last_full: int  # last year with complete year-end stocks

    @property
    def industries(self):
        return self.imp.industries

    @property
    def is_demo(self) -> bool:
        return bool(self.imp.is_demo)


def load(patents: str | Path = "demo", *, columns=None, industries_file=None, all_applicants: bool = False,
         as_of=None, quiet: bool = False, lang: str = "zh") -> PatentView:
    """Import a patent list (``"demo"``: the bundled synthetic one) and compute its indicators; print one
    status line (``专利清单：…`` / ``Patent list: …``) unless ``quiet``."""
    from .demo import demo_file
    from .importer import import_export

    path = demo_file() if str(patents) == "demo" else Path(patents)
    imp = import_export(path, columns, all_applicants=all_applicants, industries_file=industries_file, as_of=as_of)
    table = ind.compute(imp)
    last_full, _ = ind.status_year(pd.Timestamp(imp.summary["as_of"]))
    view = PatentView(imp, table, last_full)
    if not quiet:
        print(status_line(view, lang))
    return view


def status_line(view: PatentView, lang: str = "zh") -> str:
    s = view.imp.summary
    name = Path(s["file"]).name
    if lang == "en":
        kind = "DEMO DATA (synthetic patents)" if view.is_demo else "real export"
        return (f"Patent list: {name} — {kind}; {s['patents']:,} patents, {s['located']:,} located to a block, "
                f"legal status as of {s['as_of']}.")
    kind = "演示数据（合成专利，非真实数据）" if view.is_demo else "真实导出数据"
    return (f"专利清单：{name} — {kind}；共{s['patents']:,}件，定位到板块{s['located']:,}件，"
            f"法律状态截至{s['as_of']}。")


def import_paragraph(view: PatentView, lang: str = "zh") -> str:
    """How many rows were read, kept, located and classified, and why the rest were not."""
    from .locate import STATUS_LABELS

    s = view.imp.summary
    n = max(s["patents"], 1)
    others = {k: v for k, v in s["location_status"].items() if k != "block"}
    if lang == "en":
        why = "; ".join(f"{STATUS_LABELS[k][1]} {v:,}" for k, v in others.items())
        return (f"The export has {s['rows_read']:,} rows; {s['patents']:,} patents were kept "
                f"({s['rows_left_out']:,} left out with a reason in errors.csv). {s['located']:,} "
                f"({100 * s['located'] / n:.1f}%) were located to a block by the "
                f"{'first' if s['applicants'] == 'first' else 'any'} applicant's address; the others are listed, "
                f"never guessed ({why or 'none'}). {s['classified']:,} ({100 * s['classified'] / n:.1f}%) belong "
                "to at least one key industry.")
    why = "；".join(f"{STATUS_LABELS[k][0]}{v:,}件" for k, v in others.items())
    who = "第一申请人" if s["applicants"] == "first" else "各申请人"
    return (f"清单共{s['rows_read']:,}行，保留专利{s['patents']:,}件（剔除{s['rows_left_out']:,}行，原因见errors.csv）。"
            f"按{who}地址定位到板块的{s['located']:,}件（{100 * s['located'] / n:.1f}%）；其余逐条列出，不作推测"
            f"（{why or '无'}）。属于至少一个重点产业的{s['classified']:,}件（{100 * s['classified'] / n:.1f}%）。")


def _hv_how(view: PatentView, key: str, lang: str) -> str:
    fields = view.imp.fields
    sei = [i.label(lang) for i in view.industries if i.strategic_emerging]
    how = {
        "strategic_emerging": (("导出的“战略新兴产业分类”字段", "the export's 战略新兴产业分类 column") if "sei" in fields else
                               (f"industries.yaml中标为战略性新兴产业的{'、'.join(sei)}（并非完整的战略性新兴产业分类）",
                                f"the industries marked strategic emerging in industries.yaml: {', '.join(sei)} "
                                "(not a full strategic-emerging-industry classification)")),
        "overseas_family": ("同族字段中有中国以外（不计WO）的成员", "a family member outside CN (WO not counted)"),
        "over_10y": ("申请日与法律状态", "filing date and legal status"),
        "pledged": ("质押字段：凡质押即计（导出数据无金额，无法判断“较高金额”）",
                    "pledge column: any pledge (no amounts in the export, so 'high amount' cannot be judged)"),
        "awarded": ("获奖字段", "award column"),
    }[key]
    return how[1] if lang == "en" else how[0]


def hv_paragraph(view: PatentView, lang: str = "zh") -> str:
    """Which of CNIPA's high-value criteria the export allowed, and which not."""
    from .importer import HV_CRITERIA

    avail = view.imp.summary["hv_criteria_available"]
    used = [k for k, v in avail.items() if v]
    missing = [k for k, v in avail.items() if not v]
    if lang == "en":
        u = "; ".join(f"{HV_CRITERIA[k][1]} ({_hv_how(view, k, lang)})" for k in used) or "none"
        m = ", ".join(HV_CRITERIA[k][1] for k in missing)
        tail = f" Not applied (no such field in the export): {m}; the count is a lower bound." if missing else ""
        return f"High-value invention patents are counted with the criteria the export allows: {u}.{tail}"
    u = "；".join(f"{HV_CRITERIA[k][0]}（{_hv_how(view, k, lang)}）" for k in used) or "无"
    m = "、".join(HV_CRITERIA[k][0] for k in missing)
    tail = f"导出字段不足、未能判断的标准：{m}，因此结果为下限。" if missing else ""
    return f"高价值发明专利按国家知识产权局的五类标准中导出数据能够判断的计数：{u}。{tail}"


def trend_sentences(view: PatentView, focus: str, years: tuple[int, int], basis: str = "any_ipc",
                    lang: str = "zh") -> list[str]:
    """One sentence per industry: applications over the years, the focus block's share of the city, and
    inventions in force at the last complete year end. Numbers only from the table."""
    from .charts import industry_label

    t = view.table
    out = []
    y0, y1 = years
    for code in [i.code for i in view.industries]:
        apps = ind.select(t, "patent_applications", basis=basis, industry=code, region=focus, years=years)
        total = float(apps["value"].sum())
        sh = ind.share_of_parent(t, focus, "patent_applications", basis=basis, years=years)
        sh = sh[sh["industry"] == code]
        city_total = float(sh["parent"].sum())
        held = ind.select(t, "invention_patents_held", basis=basis, industry=code, region=focus,
                          years=(view.last_full, view.last_full))
        h = float(held["value"].sum()) if len(held) else np.nan
        name = industry_label(code, view.industries, lang)
        share = 100 * total / city_total if city_total else np.nan
        if lang == "en":
            s = f"{name}: {total:,.0f} applications in {y0}–{y1}"
            s += f", {share:.1f}% of the city's" if np.isfinite(share) else " (none in the city)"
            s += f"; {h:,.0f} inventions in force at the end of {view.last_full}." if np.isfinite(h) else "."
        else:
            s = f"{name}：{y0}—{y1}年专利申请{total:,.0f}件"
            s += f"，占全市{share:.1f}%" if np.isfinite(share) else "（全市无此类申请）"
            s += f"；{view.last_full}年末有效发明专利{h:,.0f}件。" if np.isfinite(h) else "。"
        out.append(s)
    return out


def bullets(sentences: list[str]) -> str:
    return "\n".join(f"- {s}" for s in sentences)


def concentration_table(view: PatentView, focus: str, years: tuple[int, int], basis: str = "any_ipc", top: int = 10,
                        lang: str = "zh") -> pd.DataFrame:
    from .charts import industry_label

    c = ind.concentration(view.imp, focus, top=top, years=years, basis=basis)
    c["industry"] = [industry_label(x, view.industries, lang) for x in c["industry"]]
    en = lang == "en"
    return c.rename(columns={
        "industry": "Industry" if en else "产业", "applicants": "Applicants" if en else "申请人数",
        "applications": "Applications" if en else "申请量（件）",
        "top_share": f"Top-{top} share (%)" if en else f"前{top}名申请人占比（%）",
    })


def applicants_table(view: PatentView, focus: str, industry: str, years: tuple[int, int], basis: str = "any_ipc",
                     n: int = 10, lang: str = "zh") -> pd.DataFrame:
    t = ind.top_applicants(view.imp, focus, industry, n=n, years=years, basis=basis)
    en = lang == "en"
    return t.rename(columns={
        "rank": "Rank" if en else "排名", "applicant": "Applicant" if en else "申请人",
        "applications": "Applications" if en else "申请量（件）",
        "invention_applications": "Invention applications" if en else "发明申请（件）",
        "invention_grants": "Invention grants" if en else "发明授权（件）",
        "invention_patents_held": (f"Inventions in force, end {view.last_full}" if en
                                   else f"{view.last_full}年末有效发明（件）"),
        "share": "Share of applications (%)" if en else "占申请量（%）",
    })


def unlocated_table(view: PatentView, n: int = 20, lang: str = "zh") -> pd.DataFrame:
    from .locate import STATUS_LABELS

    u = view.imp.unlocated.head(n).copy()
    u["status"] = [STATUS_LABELS.get(s, (s, s))[1 if lang == "en" else 0] for s in u["status"]]
    en = lang == "en"
    return u.rename(columns={"row": "Row" if en else "行号", "app_no": "Application no." if en else "申请号",
                             "applicant": "Applicant" if en else "申请人", "address": "Address" if en else "地址",
                             "status": "Reason" if en else "原因", "evidence": "Names found" if en else "识别到的地名"})


__all__ = ["PatentView", "applicants_table", "bullets", "concentration_table", "dataset_paragraph", "hv_paragraph", "import_paragraph", "load",
           "status_line", "trend_sentences", "unlocated_table"]


def dataset_paragraph(view: PatentView, obs: pd.DataFrame, lang: str = "zh") -> str:
    """What the list contributes to the main dataset (observation rows, status, years)."""
    n = len(obs)
    status = "demo" if view.is_demo else "derived"
    yrs = (int(obs["year"].min()), int(obs["year"].max())) if n else None
    hv_full = "high_value_invention_patents" in set(obs["indicator"])
    if lang == "en":
        span = f", years {yrs[0]}–{yrs[1]}" if yrs else ""
        hv = "" if hv_full else " High-value counts are left out: not every criterion could be applied."
        return (f"`liyang-ip patents import` writes {n:,} observation rows (all patents, complete years only, status "
                f"`{status}`{span}) to observations.csv and sources.csv beside the indicators, ready to be added to a "
                f"raw dataset so that notebooks 00–03 use them.{hv}")
    span = f"，{yrs[0]}—{yrs[1]}年" if yrs else ""
    hv = "" if hv_full else "高价值发明专利未纳入：并非所有标准都能判断。"
    return (f"`liyang-ip patents import` 在指标表旁输出 observations.csv 与 sources.csv，共{n:,}行观测值（全部专利，"
            f"仅完整年份，状态 `{status}`{span}），可加入原始数据集，供00—03篇使用。{hv}")
