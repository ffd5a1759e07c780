"""Key-industry patent view: a patent-list export → indicators per block, industry and year.

    from liyang_ip.patents import import_export, indicators
    imp = import_export("export.csv")                 # read, parse, locate, classify (see importer)
    table = indicators.compute(imp)                    # block × industry × year indicators

Modules: ``columns`` (header presets, user mapping), ``load`` (CSV/XLSX reader), ``parse`` (cells),
``locate`` (address → block), ``classify`` (IPC → industries), ``importer`` (the pipeline and its
outputs), ``indicators`` (counts, shares, observation rows), ``demo`` (seeded synthetic export),
``charts`` (notebook charts), ``cli`` (``liyang-ip patents``).
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from .importer import PatentImport, import_export, summary_text, write_outputs


def __getattr__(name: str) -> Any:
    # Lazy: `liyang-ip --help` registers the patents command without importing pandas.
    if name in __all__:
        from . import importer

        return getattr(importer, name)
    raise AttributeError(name)


__all__ = ["PatentImport", "import_export", "summary_text", "write_outputs"]
