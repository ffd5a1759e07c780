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
from .charts import geo_words
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
    from liyang_ip import wording

    s = view.imp.summary
    return wording.render("patents.status_line", lang, geo=geo_words(lang), file_name=Path(s["file"]).name, is_demo=view.is_demo,
                          n_patents=s["patents"], n_located=s["located"], as_of=s["as_of"])


def import_paragraph(view: PatentView, lang: str = "zh") -> str:
    """How many rows were read, kept, located and classified, and why the rest were not."""
    from liyang_ip import wording

    from .locate import STATUS_LABELS

    s = view.imp.summary
    n = max(s["patents"], 1)
    k = 1 if lang == "en" else 0
    reasons = [(STATUS_LABELS[key][k], v) for key, v in s["location_status"].items() if key != "block"]
    return wording.render(
        "patents.import_paragraph", lang, geo=geo_words(lang), rows_read=s["rows_read"], n_patents=s["patents"],
        rows_left_out=s["rows_left_out"], n_located=s["located"], first_applicant=s["applicants"] == "first",
        located_pct=_pct1(100 * s["located"] / n), located_reasons=reasons, n_classified=s["classified"],
        classified_pct=_pct1(100 * s["classified"] / n))


def _pct1(x: float) -> str:
    """A percentage's number with one decimal, rounded as the rest of the report (half away from zero)."""
    from liyang_ip.wording.format import fmt_number

    return fmt_number(x, 1).replace(",", "")


def _hv_how(view: PatentView, key: str, lang: str) -> str:
    from liyang_ip import wording

    if key == "strategic_emerging":
        if "sei" in view.imp.fields:
            return wording.text("patents.hv_how.strategic_emerging_field", lang)
        names = [i.label(lang) for i in view.industries if i.strategic_emerging]
        return wording.render("patents.hv_how.strategic_emerging_yaml", lang, geo=geo_words(lang), names=names)
    return wording.text(f"patents.hv_how.{key}", lang)


def hv_paragraph(view: PatentView, lang: str = "zh") -> str:
    """Which of CNIPA's high-value criteria the export allowed, and which not."""
    from liyang_ip import wording

    from .importer import HV_CRITERIA

    k = 1 if lang == "en" else 0
    avail = view.imp.summary["hv_criteria_available"]
    used = [(HV_CRITERIA[c][k], _hv_how(view, c, lang)) for c, v in avail.items() if v]
    missing = [HV_CRITERIA[c][k] for c, v in avail.items() if not v]
    return wording.render("patents.hv_paragraph", lang, geo=geo_words(lang), criteria_used=used, criteria_missing=missing)


def trend_sentences(view: PatentView, focus: str, years: tuple[int, int], basis: str = "any_ipc",
                    lang: str = "zh") -> list[str]:
    """One sentence per industry: applications over the years, the focus block's share of the city, and
    inventions in force at the last complete year end. Numbers only from the table."""
    from liyang_ip import wording

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
        share = 100 * total / city_total if city_total else np.nan
        out.append(wording.render(
            "patents.trend_sentence", lang, geo=geo_words(lang), name=industry_label(code, view.industries, lang), start_year=y0,
            end_year=y1, n_applications=total, city_share=_pct1(share) if np.isfinite(share) else None,
            n_held=h if np.isfinite(h) else None, stock_year=view.last_full))
    return out


def bullets(sentences: list[str]) -> str:
    return "\n".join(f"- {s}" for s in sentences)


def concentration_table(view: PatentView, focus: str, years: tuple[int, int], basis: str = "any_ipc", top: int = 10,
                        lang: str = "zh") -> pd.DataFrame:
    from liyang_ip import wording

    from .charts import industry_label

    c = ind.concentration(view.imp, focus, top=top, years=years, basis=basis)
    c["industry"] = [industry_label(x, view.industries, lang) for x in c["industry"]]
    return c.rename(columns=wording.group("patents.columns.concentration", lang, geo=geo_words(lang), top_n=top))


def applicants_table(view: PatentView, focus: str, industry: str, years: tuple[int, int], basis: str = "any_ipc",
                     n: int = 10, lang: str = "zh") -> pd.DataFrame:
    from liyang_ip import wording

    t = ind.top_applicants(view.imp, focus, industry, n=n, years=years, basis=basis)
    return t.rename(columns=wording.group("patents.columns.applicants", lang, geo=geo_words(lang), stock_year=view.last_full))


def unlocated_table(view: PatentView, n: int = 20, lang: str = "zh") -> pd.DataFrame:
    from liyang_ip import wording

    from .locate import STATUS_LABELS

    u = view.imp.unlocated.head(n).copy()
    u["status"] = [STATUS_LABELS.get(s, (s, s))[1 if lang == "en" else 0] for s in u["status"]]
    return u.rename(columns=wording.group("patents.columns.unlocated", lang, geo=geo_words(lang)))


__all__ = ["PatentView", "applicants_table", "bullets", "concentration_table", "dataset_paragraph", "hv_paragraph", "import_paragraph", "load",
           "status_line", "trend_sentences", "unlocated_table"]


def dataset_paragraph(view: PatentView, obs: pd.DataFrame, lang: str = "zh") -> str:
    """What the list contributes to the main dataset (observation rows, status, years)."""
    from liyang_ip import wording

    n = len(obs)
    years = [int(obs["year"].min()), int(obs["year"].max())] if n else None
    return wording.render("patents.dataset_paragraph", lang, geo=geo_words(lang), n_rows=n, obs_status="demo" if view.is_demo else "derived",
                          obs_years=years, hv_full="high_value_invention_patents" in set(obs["indicator"]))
