"""Geography words in the notebooks' own text, filled from the run's region set.

The explanatory Markdown, headings, captions and titles of the notebooks are written once for every
geography: where they name the members, the parent or its average they say ``{{ geo.unit }}`` (板块 /
设区市 / 省份; English ``{{ geo.units }}`` for the plural), ``{{ geo.average }}`` (常州平均 / 全国平均),
``{{ geo.parent }}`` (常州市 / 全国), ``{{ geo.whole }}`` (全市 / 全国, as in 占全市比重) or ``{{ geo.all }}``
(七个板块), the words of :meth:`liyang_ip.registry.RegionSet.words`. A run fills them in the copy it
executes, after the language cut (the words differ by language); code cells are never touched. In
JupyterLab the sources show the placeholders as written.

Only ``{{ geo.<word> }}`` is replaced (a plain substitution, not a template engine), so other braces in
Markdown stay as they are; a placeholder naming no word is left visible rather than guessed.
"""

from __future__ import annotations

import copy
import re
from typing import Any

PLACEHOLDER = re.compile(r"\{\{\s*geo\.(\w+)\s*\}\}")


def fill_text(text: Any, words: dict[str, str]) -> Any:
    """`text` with every ``{{ geo.<word> }}`` replaced by ``words[<word>]`` (unknown words left as written);
    anything that is not a string is returned as it is."""
    if not isinstance(text, str) or "{{" not in text:
        return text
    return PLACEHOLDER.sub(lambda m: words.get(m.group(1), m.group(0)), text)


def region_words(region_set: Any = None, lang: str = "zh", markdown: bool = False) -> dict[str, str]:
    """The words of a region set (RegionSet, bundled name, path; None or an unreadable file: the default
    set) in `lang`; backslash-escaped for Markdown with ``markdown=True`` (a user's set file is data)."""
    from liyang_ip import registry
    from liyang_ip.wording.format import md_escape

    try:
        rset = registry.region_set(region_set)
    except (ValueError, OSError):
        rset = registry.region_set(None)
    words = rset.words("en" if str(lang or "zh").strip().lower().startswith("en") else "zh")
    return {k: md_escape(v) for k, v in words.items()} if markdown else words


def fill_notebook(nb, region_set: Any = None, lang: str = "zh"):
    """A copy of `nb` whose Markdown cells, captions and ``title`` metadata say the words of `region_set`
    in `lang` instead of ``{{ geo.… }}``. Code cells and outputs are not touched."""
    md_words = region_words(region_set, lang, markdown=True)
    plain = region_words(region_set, lang)
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.get("cell_type") == "markdown":
            src = cell.get("source", "")
            cell["source"] = fill_text("".join(src) if isinstance(src, list) else src, md_words)
        meta = cell.get("metadata") or {}
        if isinstance(meta.get("caption"), str):
            meta["caption"] = fill_text(meta["caption"], plain)
    if isinstance(nb.metadata.get("title"), str):
        nb.metadata["title"] = fill_text(nb.metadata["title"], plain)
    return nb


def dataset_region_set(dataset: Any) -> Any:
    """The main region set a dataset declares (bundled name, path or processed folder); None when it cannot
    be read (then the default set's words are used, and the notebook reports the dataset problem itself)."""
    try:
        from liyang_ip.data.build import declared_region_sets

        return declared_region_sets(str(dataset or "demo"))[0]
    except Exception:  # noqa: BLE001 - a dataset that cannot be read fails in the notebook, with its message
        return None


__all__ = ["PLACEHOLDER", "dataset_region_set", "fill_notebook", "fill_text", "region_words"]
