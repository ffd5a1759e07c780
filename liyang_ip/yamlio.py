"""The package's own YAML files (wording, registries, plans, region sets, the interval calibration),
parsed with libyaml's C parser when PyYAML was built with it, else with the pure-Python one.

Same result as ``yaml.safe_load`` (the same safe constructor builds the objects; only scanning and
parsing are in C) at about a tenth of the time: every process that writes a report (the CLI and each
notebook kernel) reads the wording files, about 0.4 s of CPU each with the Python parser. Files a user
gives (parameter grids, column maps, dataset specs) keep ``yaml.safe_load``, whose error messages quote
the offending line.
"""

from __future__ import annotations

from typing import Any

import yaml

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(stream: Any) -> Any:
    """``yaml.safe_load`` with the fastest safe loader available; raises ``yaml.YAMLError`` as it does."""
    return yaml.load(stream, Loader=LOADER)  # noqa: S506 - CSafeLoader/SafeLoader: the safe constructor
