"""Public projection API: ``liyang_ip.projection.gm11(values)`` and friends.

A thin re-export of :mod:`liyang_ip.analysis.projection`, kept so that other code and tests can rely on the
short import path named in the analysis issue. The exported names are that module's ``__all__``.
"""

from liyang_ip.analysis import projection as _projection
from liyang_ip.analysis.projection import *  # noqa: F403

__all__ = list(_projection.__all__)
