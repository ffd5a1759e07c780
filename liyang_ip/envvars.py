"""On/off switches in environment variables, read one way everywhere (``LIYANG_IP_WARM_KERNELS``,
``LIYANG_IP_ANALYSIS_CACHE``, ``LIYANG_IP_FONT_CACHE``): ``off``, ``0``, ``false`` or ``no`` in any case
and with spaces around switch a feature off; anything else (unset too) leaves it on.

Standard library only: the runner, the warm-kernel server and the export read these without pandas.
"""

from __future__ import annotations

import os

OFF = ("off", "0", "false", "no")
ON = ("on", "1", "true", "yes")


def value(name: str) -> str:
    """The variable's value, stripped ('' when unset)."""
    return os.environ.get(name, "").strip()


def switched_off(name: str) -> bool:
    """True when the variable says off (see the module docstring)."""
    return value(name).lower() in OFF


def is_switch(text: str) -> bool:
    """True when `text` is an on/off word rather than, say, a directory (``LIYANG_IP_ANALYSIS_CACHE=on``)."""
    return text.strip().lower() in OFF + ON
