"""Planning precision: the unit and rounding a figure takes in a plan's indicator table (主要指标表).

Published plans write counts as integers, money in 亿元 with two decimals and ratios (per 10k residents,
per cent, survey scores) with one decimal, without thousands separators. The rule is chosen by the
indicator's canonical unit (catalogue); an amount kept in 万元 is shown in 亿元 (÷ 10 000).

Rounding is half away from zero (as a person rounds 2.345 → 2.35), not Python's round-half-to-even.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class PlanningUnit:
    """How one indicator appears in a plan table: display unit, factor from the canonical unit, decimals."""

    unit: str
    factor: float
    decimals: int


#: canonical unit → (display unit, factor, decimals); see the module docstring.
RULES: dict[str, tuple[str, float, int]] = {
    "件": ("件", 1.0, 0), "家": ("家", 1.0, 0), "人": ("人", 1.0, 0), "笔": ("笔", 1.0, 0),
    "个": ("个", 1.0, 0), "项": ("项", 1.0, 0),
    "万元": ("亿元", 1e-4, 2), "亿元": ("亿元", 1.0, 2),
    "件/万人": ("件/万人", 1.0, 1), "%": ("%", 1.0, 1), "分": ("分", 1.0, 1),
    "万人": ("万人", 1.0, 2),
}
#: Any other unit keeps its value with this many decimals.
DEFAULT_DECIMALS = 2


def planning_unit(code: str, unit: str | None = None) -> PlanningUnit:
    """The planning unit of an indicator (catalogue unit unless `unit` is given; unknown → 2 decimals)."""
    if unit is None:
        from liyang_ip import registry

        unit = registry.indicators()[code].unit if code in registry.indicators() else ""
    rule = RULES.get(unit)
    if rule is None:
        return PlanningUnit(unit, 1.0, DEFAULT_DECIMALS)
    return PlanningUnit(*rule)


def round_half_up(value: float, decimals: int) -> float:
    """`value` rounded half away from zero to `decimals` (NaN stays NaN)."""
    if value is None or not math.isfinite(value):
        return float("nan")
    q = Decimal(1).scaleb(-decimals)
    d = Decimal(repr(float(value))).quantize(q, rounding=ROUND_HALF_UP)
    return float(d)


def to_planning(value: float, code: str, unit: str | None = None) -> float:
    """`value` (canonical unit) in the planning unit, rounded to planning precision."""
    pu = planning_unit(code, unit)
    if value is None or not math.isfinite(value):
        return float("nan")
    return round_half_up(value * pu.factor, pu.decimals)


def planning_round(value: float, code: str, unit: str | None = None) -> float:
    """`value` rounded to planning precision but kept in the canonical unit (e.g. 万元 to the 100 万元)."""
    pu = planning_unit(code, unit)
    v = to_planning(value, code, unit)
    return v / pu.factor if math.isfinite(v) else v


def format_planning(value: float, code: str, unit: str | None = None, missing: str = "—") -> str:
    """Text of a value at planning precision, no thousands separator ('—' when missing)."""
    pu = planning_unit(code, unit)
    v = to_planning(value, code, unit)
    if not math.isfinite(v):
        return missing
    return f"{v:.{pu.decimals}f}"


__all__ = ["RULES", "PlanningUnit", "format_planning", "planning_round", "planning_unit", "round_half_up",
           "to_planning"]
