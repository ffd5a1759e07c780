"""Figures from statistical-bulletin and news text (统计公报), with the quote kept.

>>> from liyang_ip.extract import extract_figures
>>> ex = extract_figures(text, region="溧阳市", year=2020, source_id="ly_bulletin_2020")
>>> ex.rows          # raw-ready level rows (region, year, indicator, value, unit, status, source_id, note, quote)
>>> ex.changes       # growth statements, kept apart from levels
>>> ex.unattributed  # figures that could not be attributed to one indicator, with the reason
"""

from .catalogue import Catalogue, load_catalogue
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
]
