"""The data layer: raw files in, processed tables out.

Stages, in the order data flows through them (pudl's extract → transform → load, OWID's snapshot →
meadow → garden):

* ``readers``  — extract: tidy CSV, the Excel template, yearbook tables → raw records with file/row
* ``numbers``  — one cell of text → a number (full-width digits, 千分位, 万/亿, missing markers)
* ``clean``    — transform: names → canonical codes, units → catalogue units
* ``validate`` — row-level checks, plausibility, conflicts between sources
* ``derive``   — per-capita ratios, parent totals and averages
* ``build``    — load: raw dataset directory → ``data/processed/<name>/`` (atomic)
* ``load``     — ``load_dataset``: what analyses and notebooks call
* ``demo``, ``template`` — the seeded demo panel and the Excel data-collection template
* ``schema``   — column names, dtypes and the ``Issue`` message type shared by the stages

``from liyang_ip.data import load_dataset, Dataset`` is the public entry point; it is imported lazily so
that ``liyang-ip --help`` does not pay for pandas.
"""

from __future__ import annotations

__all__ = ["Dataset", "load_dataset"]


def __getattr__(name: str):
    if name in __all__:
        from . import load

        return getattr(load, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
