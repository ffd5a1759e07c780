"""One language per report: what the notebook sources hold in both languages is cut down to one.

The notebook sources are read in JupyterLab by people of either language, so they carry both:

* headings, the notebook's ``title`` and cell captions written ``中文 / English`` (Chinese first, then
  `` / `` and a part without Chinese characters);
* explanatory Markdown cells in two versions, each marked with its language in the cell's metadata
  (MyST: ``+++ {"lang": "zh"}`` and ``+++ {"lang": "en"}`` before the cell).

A run in one language (the ``lang`` parameter) executes a copy that keeps only that language
(:func:`localize_notebook`); the exporter applies the same cut to what it prints, so a notebook run
some other way still gives a one-language report. Text that is not such a pair, such as
``有望达到 / 存在风险 / 难以达到`` (Chinese on both sides), is left as it is.
"""

from __future__ import annotations

import copy
import re
from typing import Any

LANGS = ("zh", "en")

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]")
_LATIN = re.compile(r"[A-Za-z]")
_SEP = " / "
_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)*\s+)")
_HEADING = re.compile(r"^(\s{0,3}#{1,6}\s+)(.*?)\s*$")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")


def normalise_lang(lang: Any) -> str:
    """'en', 'en-GB', 'EN' → 'en'; anything else (None, 'zh', 'zh-CN') → 'zh' (the default language)."""
    return "en" if str(lang or "zh").strip().lower().startswith("en") else "zh"


def one_language(text: str, lang: str = "zh") -> str:
    """The `lang` side of a bilingual ``中文 / English`` text; other text unchanged.

    The text is split at the first `` / `` whose left part holds Chinese characters and whose right part
    holds Latin letters and no Chinese characters. Without such a split the text is returned as it is,
    so the function can be applied twice.

    Examples
    --------
    >>> one_language("基期总表 / Baseline table", "zh"), one_language("基期总表 / Baseline table", "en")
    ('基期总表', 'Baseline table')
    >>> one_language("有望达到 / 存在风险 / 难以达到", "en")
    '有望达到 / 存在风险 / 难以达到'
    """
    if not isinstance(text, str) or _SEP not in text:
        return text
    parts = text.split(_SEP)
    for i in range(1, len(parts)):
        left, right = _SEP.join(parts[:i]), _SEP.join(parts[i:])
        if _CJK.search(left) and not _CJK.search(right) and _LATIN.search(right):
            if normalise_lang(lang) != "en":
                return left.strip()
            # A chapter number written once ("06 规划评估 / Plan evaluation") belongs to both sides.
            number = _NUMBER.match(left)
            right = right.strip()
            return f"{number.group(1)}{right}" if number and not _NUMBER.match(right) else right
    return text


def _headings(source: str, lang: str) -> str:
    """Markdown with every ATX heading (outside code fences) cut to one language."""
    out, fenced = [], False
    for line in source.split("\n"):
        if _FENCE.match(line):
            fenced = not fenced
        m = None if fenced else _HEADING.match(line)
        out.append(f"{m.group(1)}{one_language(m.group(2), lang)}" if m else line)
    return "\n".join(out)


def cell_lang(cell) -> str | None:
    """The language a cell is marked with (metadata ``lang``), or None for a cell of both languages."""
    lang = (cell.get("metadata") or {}).get("lang")
    return normalise_lang(lang) if lang else None


def localize_notebook(nb, lang: str = "zh"):
    """A copy of `nb` in one language: cells marked with the other language dropped, headings, captions
    and the ``title`` metadata cut to `lang` (:func:`one_language`). Code and outputs are not touched.
    """
    lang = normalise_lang(lang)
    nb = copy.deepcopy(nb)
    cells = []
    for cell in nb.cells:
        marked = cell_lang(cell)
        if marked is not None and marked != lang:
            continue
        meta = cell.get("metadata") or {}
        if cell.get("cell_type") == "markdown":
            cell["source"] = _headings("".join(cell["source"]) if isinstance(cell["source"], list)
                                       else cell["source"], lang)
        if isinstance(meta.get("caption"), str):
            meta["caption"] = one_language(meta["caption"], lang)
        cells.append(cell)
    nb.cells = cells
    if isinstance(nb.metadata.get("title"), str):
        nb.metadata["title"] = one_language(nb.metadata["title"], lang)
    return nb
