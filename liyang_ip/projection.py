"""Public projection API: ``liyang_ip.projection.gm11(values)`` and friends.

A thin re-export of :mod:`liyang_ip.analysis.projection`, kept so that other code and tests can rely on the
short import path named in the analysis issue.
"""

from liyang_ip.analysis.projection import (  # noqa: F401
    DEFAULT_METHODS,
    GM_GRADES,
    METHODS,
    GreyModel,
    backtest,
    backtest_summary,
    gm11,
    mape_weights,
    project,
)

__all__ = [
    "DEFAULT_METHODS",
    "GM_GRADES",
    "METHODS",
    "GreyModel",
    "backtest",
    "backtest_summary",
    "gm11",
    "mape_weights",
    "project",
]
