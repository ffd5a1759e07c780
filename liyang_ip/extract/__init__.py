"""Figures from statistical-bulletin and news text (统计公报), with the quote kept.

>>> from liyang_ip.extract import extract_figures
>>> ex = extract_figures(text, region="溧阳市", year=2020, source_id="ly_tjgb_2020")  # doctest: +SKIP
>>> ex.rows          # raw-ready level rows: region, year, indicator, value, unit, status, source_id, note, quote
>>> ex.levels        # the same with kind, approximate, qualifier, period, raw, sentence, start, end
>>> ex.changes       # growth rates (%) and changes (比上年增加5.1件), never level rows
>>> ex.unattributed  # figures that could not be attributed to one indicator, with the reason

Command line: ``liyang-ip data extract TEXTFILE --region 溧阳市 --year 2020 [--source-id ID] [--out CSV]
[--append RAW_CSV]`` (see `liyang_ip.extract.cli`).

Modules: `numerals` (Chinese and arabic number forms → exact Decimal), `catalogue` (what the extractor
reads from the registries), `figures` (the reading rules), `cli`.
"""

from .catalogue import Catalogue, load_catalogue
from .cli import read_text
from .figures import RAW_COLUMNS, Extraction, extract_figures
from .numerals import NumeralError, halfwidth, parse_number

__all__ = [
    "RAW_COLUMNS",
    "Catalogue",
    "Extraction",
    "NumeralError",
    "extract_figures",
    "halfwidth",
    "load_catalogue",
    "parse_number",
    "read_text",
]
