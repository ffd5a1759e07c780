"""Figures from statistical-bulletin and news text (统计公报), with the quote kept.

>>> from liyang_ip.extract import extract_figures
>>> ex = extract_figures(text, region="溧阳市", year=2020, source_id="ly_tjgb_2020")  # doctest: +SKIP
>>> ex.rows          # raw-ready level rows: region, year, indicator, value, unit, status, source_id, note, quote
>>> ex.levels        # the same with kind, approximate, qualifier, period, raw, sentence, start, end
>>> ex.changes       # growth rates (%) and changes (比上年增加5.1件), never level rows
>>> ex.unattributed  # figures that could not be attributed to one indicator, with the reason

Whole documents (PDF, saved web page, text), with location and a summary:

>>> doc = read_document("2020年溧阳市国民经济和社会发展统计公报.pdf")        # doctest: +SKIP
>>> ex = extract_document(doc, source_id="ly_tjgb_2020")   # region and year from the title  # doctest: +SKIP
>>> ex.rows, ex.unattributed, ex.summary                    # doctest: +SKIP

Command line: ``liyang-ip data extract DOCUMENT [--region 溧阳市] [--year 2020] [--source-id ID] [--out CSV]
[--append RAW_CSV]`` (see `liyang_ip.extract.cli`).

Modules: `numerals` (Chinese and arabic number forms → exact Decimal), `catalogue` (what the extractor
reads from the registries), `figures` (the reading rules for text), `documents` (PDF/HTML/text → blocks),
`tables` (bulletin tables), `bulletin` (a whole document), `cli`.
"""

# Imports are lazy: the CLI registers `data extract` through `liyang_ip.extract.cli`, and `liyang-ip --help`
# must not pay for pandas.
_EXPORTS = {
    "RAW_COLUMNS": "figures",
    "Extraction": "figures",
    "extract_figures": "figures",
    "Catalogue": "catalogue",
    "load_catalogue": "catalogue",
    "NumeralError": "numerals",
    "halfwidth": "numerals",
    "parse_number": "numerals",
    "read_text": "cli",
    "Block": "documents",
    "Document": "documents",
    "DocumentError": "documents",
    "read_document": "documents",
    "BulletinExtraction": "bulletin",
    "extract_document": "bulletin",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        import importlib

        return getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
