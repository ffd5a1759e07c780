"""Figures from a whole bulletin document: text and tables, with location, and a summary.

>>> from liyang_ip.extract.bulletin import extract_document
>>> from liyang_ip.extract.documents import read_document
>>> ex = extract_document(read_document("2020年溧阳市统计公报.pdf"))   # doctest: +SKIP
>>> ex.rows      # raw-ready rows; the note starts with the location (page 3, paragraph 12 / table 1, row 4)
>>> ex.summary   # figures in the 科技/知识产权 sections and in the whole document, by outcome

Paragraphs are read by `figures.extract_figures` as one text (so one indicator with two different levels
anywhere in the document is reported, not guessed); tables by `tables.read_table`. A level that the
text and a table both give with the same value is kept once (the first), with different values both
are reported as ambiguous.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

import pandas as pd

from .catalogue import Catalogue, load_catalogue
from .documents import Block, Document, DocumentError, find_region_year
from .figures import (
    DETAIL_COLUMNS,
    RAW_COLUMNS,
    UNATTRIBUTED_COLUMNS,
    _category,
    _frame,
    _name_index,
    _one_level_each,
    extract_figures,
)
from .tables import read_table

__all__ = ["IP_SECTION_RE", "BulletinExtraction", "extract_document"]

#: Headings of the sections a summary counts separately (科技, 知识产权 and their neighbours).
IP_SECTION_RE = re.compile(r"科技|科学技术|知识产权|专利|创新|研发|研究与试验")
LOCATED_DETAIL = [*DETAIL_COLUMNS, "location", "section"]
LOCATED_UNATTRIBUTED = [*UNATTRIBUTED_COLUMNS, "location", "section"]
SUMMARY_ROWS = ["figures", "extracted", "changes", "ambiguous", "refused", "repeat", "unrelated"]


@dataclass
class BulletinExtraction:
    """Result of `extract_document`.

    rows          raw-ready level rows (RAW_COLUMNS); the note starts with the location
    levels        the same with detail columns, plus ``location`` and ``section`` (headings, ' > ')
    changes       growth rates and changes, never rows
    unattributed  figures seen but not attributed, with reason, category and location
    summary       counts by outcome (index: figures, extracted, changes, ambiguous, refused, repeat,
                  unrelated) for the 科技/知识产权 sections and the whole document (columns
                  ``ip_sections``, ``document``)
    region, year  what the rows are for (given, or read from the title); title, document as read
    """

    rows: pd.DataFrame
    levels: pd.DataFrame
    changes: pd.DataFrame
    unattributed: pd.DataFrame
    summary: pd.DataFrame
    region: str
    year: int
    title: str
    document: Document
    from_title: tuple[str, ...] = ()  # which of region/year came from the title

    def __repr__(self) -> str:
        return (f"BulletinExtraction({self.region} {self.year}: {len(self.rows)} rows, {len(self.changes)} "
                f"changes, {len(self.unattributed)} unattributed)")


def resolve_region_year(doc: Document, region: str | None, year: int | None,
                        cat: Catalogue) -> tuple[str, int, tuple[str, ...]]:
    """Region and year as given, else from the document's title; DocumentError naming what is missing."""
    t_region, t_year = find_region_year(doc.title, cat.regions)
    found = []
    if region is None:
        if not t_region:
            raise DocumentError(f"{doc.path}: no region found in the title {doc.title[:60]!r}; give --region")
        region, found = t_region, [*found, "region"]
    if year is None:
        if t_year is None:
            raise DocumentError(f"{doc.path}: no year found in the title {doc.title[:60]!r}; give --year")
        year, found = t_year, [*found, "year"]
    return cat.resolve_region(region), int(year), tuple(found)


def extract_document(doc: Document, region: str | None = None, year: int | None = None, source_id: str = "",
                     catalogue: Catalogue | str | dict | None = None) -> BulletinExtraction:
    """Levels, changes and unattributed figures of a whole document, each with its location.

    Parameters
    ----------
    doc : Document
        From `documents.read_document`.
    region, year : optional
        The region and report year; None takes them from the title (2020年溧阳市国民经济和社会发展统计公报).
    source_id : str
        Copied to every row.
    catalogue : optional
        As for `extract_figures`.

    Raises
    ------
    DocumentError
        When region or year is neither given nor in the title.
    ValueError
        For an unknown region.
    """
    cat = load_catalogue(catalogue)
    region, year, from_title = resolve_region_year(doc, region, year, cat)
    text_blocks = [b for b in doc.blocks if b.kind != "table"]
    starts, pieces, pos = [], [], 0
    for b in text_blocks:
        starts.append(pos)
        pieces.append(b.text)
        pos += len(b.text) + 1
    text = "\n".join(pieces)
    ex = extract_figures(text, region=region, year=year, source_id=source_id, catalogue=cat,
                         join_wrapped_lines=False)

    order = {id(b): i for i, b in enumerate(doc.blocks)}

    def where(start: int) -> Block:
        return text_blocks[max(0, bisect.bisect_right(starts, start) - 1)]

    def position(r: dict) -> tuple[int, int]:
        """(block index in the document, offset or table row): rows in reading order."""
        return r.pop("_block"), r["start"] if r["start"] >= 0 else r.pop("_row", 0)

    levels = _records(ex.levels, where, order)
    changes = _records(ex.changes, where, order)
    unattributed = _records(ex.unattributed, where, order)

    names = _name_index(cat)
    for b in doc.blocks:
        if b.kind != "table":
            continue
        got = read_table(b.rows, cat, year, names)
        caption = f" ({b.text})" if b.text else ""
        for kind, recs in got.items():
            for r in recs:
                row_text = " | ".join(c for c in b.rows[r["row"] - 1] if c)
                loc = f"{b.location}, row {r['row']}"
                base = {"year": r["year"], "indicator": r["indicator"], "raw": r["raw"], "start": -1, "end": -1,
                        "sentence": f"{b.text}：{row_text}" if b.text else row_text, "location": loc,
                        "section": " > ".join(b.section), "_block": order[id(b)], "_row": r["row"]}
                if kind == "unattributed":
                    unattributed.append({**base, "reason": r["reason"], "category": _category(r["reason"]),
                                         "clause": row_text})
                    continue
                note = [f"column {r['column']}{caption}"]
                if r.get("how"):
                    note.append(r["how"])
                if r["approximate"]:
                    note.append(f"approximate: {r['qualifier']}")
                rec = {**base, "region": region, "value": float(r["value"]), "unit": r["unit"],
                       "status": "estimate" if r["approximate"] else "official", "source_id": source_id,
                       "note": "; ".join(note), "quote": row_text, "kind": r["kind"],
                       "approximate": r["approximate"], "qualifier": r["qualifier"], "period": r["column"]}
                (levels if kind == "levels" else changes).append(rec)

    levels, changes, unattributed = ([r for _, r in sorted(((position(r), r) for r in recs), key=lambda x: x[0])]
                                     for recs in (levels, changes, unattributed))
    levels, conflicts = _one_level_each(levels)
    unattributed += conflicts
    for r in levels:
        r["note"] = "; ".join(x for x in (r["location"], r["note"]) if x)
    lv = _frame(levels, LOCATED_DETAIL)
    un = _frame(unattributed, LOCATED_UNATTRIBUTED)
    ch = _frame(changes, LOCATED_DETAIL)
    return BulletinExtraction(
        rows=lv[RAW_COLUMNS].copy(), levels=lv, changes=ch, unattributed=un,
        summary=_summary(lv, ch, un), region=region, year=year, title=doc.title, document=doc,
        from_title=from_title,
    )


def _records(frame: pd.DataFrame, where, order: dict[int, int]) -> list[dict]:
    out = []
    for r in frame.to_dict("records"):
        b = where(int(r["start"]))
        r.update(location=b.location, section=" > ".join(b.section), _block=order[id(b)])
        out.append(r)
    return out


def _summary(levels: pd.DataFrame, changes: pd.DataFrame, unattributed: pd.DataFrame) -> pd.DataFrame:
    def ip(frame: pd.DataFrame) -> pd.Series:
        return frame["section"].astype(str).str.contains(IP_SECTION_RE)

    counts = {}
    for col, pick in (("ip_sections", ip), ("document", lambda f: pd.Series(True, index=f.index))):
        lv, ch, un = levels[pick(levels)], changes[pick(changes)], unattributed[pick(unattributed)]
        by_cat = un["category"].value_counts()
        counts[col] = {
            "figures": len(lv) + len(ch) + len(un), "extracted": len(lv), "changes": len(ch),
            **{c: int(by_cat.get(c, 0)) for c in ("ambiguous", "refused", "repeat", "unrelated")},
        }
    return pd.DataFrame(counts).reindex(SUMMARY_ROWS).astype("int64")
