"""What the extractor needs from the registries: indicator names and synonyms, units, region names.

A small private reader of `liyang_ip/registry/indicators.yaml` and the default region set, so the extractor does
not depend on the shape of the registry module's dataclasses. A test or a user can pass another
catalogue file (`load_catalogue(path)`) or a parsed dict.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from .numerals import halfwidth

__all__ = ["Catalogue", "IndicatorInfo", "load_catalogue"]


@dataclass(frozen=True)
class IndicatorInfo:
    code: str
    name_zh: str
    unit: str
    synonyms: tuple[str, ...] = ()
    kind: str = "stock"  # stock | flow | ratio | cumulative (accumulated since `since`)
    # For ratios derived from counts (derive: in indicators.yaml): numerator code, denominator code, scale.
    numerator: str = ""
    denominator: str = ""
    scale: Decimal = Decimal(1)
    since: int | None = None  # cumulative indicators: the first year accumulated

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name_zh, *self.synonyms)


@dataclass(frozen=True, eq=False)  # hashed by identity, so derived indexes can be cached per catalogue
class Catalogue:
    """Indicators, unit rules and region names, as the extractor uses them."""

    indicators: dict[str, IndicatorInfo]
    units: dict[str, tuple[str, Decimal]]  # unit as written → (canonical unit, factor)
    unit_overrides: dict[str, dict[str, tuple[str, Decimal]]] = field(default_factory=dict)
    regions: dict[str, tuple[str, ...]] = field(default_factory=dict)  # canonical name → aliases

    def convert(self, code: str, unit: str) -> Decimal | None:
        """Factor taking a value in `unit` to the canonical unit of indicator `code`, or None.

        Indicator-specific overrides (population in 万人, GDP in 亿元) come first, then the general table.
        """
        target = self.indicators[code].unit
        for table in (self.unit_overrides.get(code, {}), self.units):
            rule = table.get(unit)
            if rule is not None and rule[0] == target:
                return rule[1]
        if unit == target:
            return Decimal(1)
        return None

    def per_10k(self, code: str) -> str:
        """Code of the per-10k-residents ratio derived from count `code` ('' when the catalogue has none).

        Read from the catalogue's ``derive`` entries: numerator `code`, a denominator in 万人 and scale 1
        (count / population in 万人 = per 10,000 residents).
        """
        for info in self.indicators.values():
            den = self.indicators.get(info.denominator)
            if info.numerator == code and den is not None and den.unit == "万人" and info.scale == 1:
                return info.code
        return ""

    def accumulated(self, code: str) -> list[IndicatorInfo]:
        """The cumulative indicators that accumulate flow indicator `code` (their Chinese name is the flow's
        name followed by the period, e.g. 发明专利申请量（1985年以来累计）), in catalogue order."""
        name = self.indicators[code].name_zh
        return [i for i in self.indicators.values()
                if i.kind == "cumulative" and halfwidth(i.name_zh).startswith(halfwidth(name) + "(")]

    def canonical_unit(self, unit: str) -> str | None:
        rule = self.units.get(unit)
        return rule[0] if rule else None

    def resolve_region(self, name: str) -> str:
        """Canonical region name for a name or alias; ValueError listing the known names otherwise."""
        key = halfwidth(str(name)).strip()
        for canon, aliases in self.regions.items():
            if key == canon or key in (halfwidth(a) for a in aliases):
                return canon
        if not self.regions:
            return key
        raise ValueError(f"unknown region {name!r}; known regions: {', '.join(self.regions)}")


def _rules(table: dict[str, Any] | None) -> dict[str, tuple[str, Decimal]]:
    # str(float) keeps the YAML's decimal spelling (0.0001, 1e-08), so factors are exact Decimals.
    return {halfwidth(str(k)): (str(v["to"]), Decimal(str(v["factor"]))) for k, v in (table or {}).items()}


def _from_dicts(ind: dict[str, Any], reg: dict[str, Any] | None) -> Catalogue:
    indicators = {
        d["code"]: IndicatorInfo(
            code=d["code"],
            name_zh=d["name_zh"],
            unit=str(d.get("unit") or ""),
            synonyms=tuple(str(s) for s in d.get("synonyms") or ()),
            kind=str(d.get("kind") or "stock"),
            numerator=str((d.get("derive") or {}).get("numerator") or ""),
            denominator=str((d.get("derive") or {}).get("denominator") or ""),
            scale=Decimal(str((d.get("derive") or {}).get("scale", 1))),
            since=int(d["since"]) if d.get("since") is not None else None,
        )
        for d in ind["indicators"]
    }
    regions = {
        r["name"]: tuple(str(a) for a in r.get("aliases") or ()) for r in (reg or {}).get("regions", [])
    }
    return Catalogue(
        indicators=indicators,
        units=_rules(ind.get("units")),
        unit_overrides={code: _rules(t) for code, t in (ind.get("unit_overrides") or {}).items()},
        regions=regions,
    )


@lru_cache(maxsize=1)
def _bundled() -> Catalogue:
    pkg = resources.files("liyang_ip.registry")
    ind = yaml.safe_load(pkg.joinpath("indicators.yaml").read_text(encoding="utf-8"))
    from liyang_ip.registry.regionsets import DEFAULT

    reg = yaml.safe_load(pkg.joinpath("regionsets", f"{DEFAULT}.yaml").read_text(encoding="utf-8"))
    return _from_dicts(ind, reg)


def load_catalogue(source: Catalogue | str | Path | dict | None = None) -> Catalogue:
    """The bundled catalogue (None), a Catalogue as is, a parsed indicators.yaml dict, or a path to one.

    A path or dict supplies indicators and units; region names still come from the bundled default region set.
    """
    if source is None:
        return _bundled()
    if isinstance(source, Catalogue):
        return source
    if isinstance(source, dict):
        ind = source
    else:
        path = Path(source)
        try:
            ind = yaml.safe_load(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise FileNotFoundError(f"cannot read indicator catalogue {path}: {exc}") from exc
    if not isinstance(ind, dict) or "indicators" not in ind:
        raise ValueError(f"indicator catalogue {source!r} has no 'indicators' list")
    bundled = _bundled()
    cat = _from_dicts(ind, None)
    return Catalogue(cat.indicators, cat.units, cat.unit_overrides, bundled.regions)
