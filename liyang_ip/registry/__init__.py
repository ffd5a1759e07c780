"""Registries as data: region sets and the indicator catalogue.

The YAML files beside this module are the single source of region names, aliases, indicator codes,
units, polarity and aggregation rules. Everything else (loaders, validation, charts, the demo generator,
the text extractor) reads them through the functions here.

Geography comes in region sets (``regionsets/*.yaml``, or a user's file by path; see
:mod:`liyang_ip.registry.regionsets`): ``region_set(name_or_path)`` gives the parent, the members, the
unit word and name resolution. The module-level ``regions()``, ``resolve_region()`` and ``parent()`` take an
optional set and default to the bundled default set (``changzhou``). ``blocks()`` and ``CITY`` predate
region sets and are deprecated (DeprecationWarning): use ``region_set(…).members`` and ``.parent`` of the
dataset's set (``Dataset.region_set``) instead.
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from ..yamlio import safe_load
from . import regionsets as _regionsets
from .regionsets import Region, RegionSet, RegionSetError, region_set


class UnknownNameError(KeyError):
    """A region or indicator name that the registry does not know; carries close matches."""

    def __init__(self, kind: str, name: str, suggestions: list[str]):
        self.kind = kind
        self.name = name
        self.suggestions = suggestions
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"unknown {kind} {name!r}{hint}")

    def __str__(self) -> str:  # KeyError would quote the message
        return self.args[0]


@dataclass(frozen=True)
class Indicator:
    code: str
    name_zh: str
    name_en: str
    pillar: str
    unit: str
    kind: str  # stock | flow | ratio | cumulative (accumulated since `since`)
    polarity: int  # +1 higher is better, -1 lower is better
    aggregate: str  # sum | ratio | weighted_mean | none
    mission: bool = False
    derive: dict[str, Any] | None = None
    weight: str | None = None
    synonyms: tuple[str, ...] = ()
    description: str = ""
    range: tuple[float, float] | None = None
    measurement_error: float | None = None  # survey scores: differences below this are not told apart
    optional: bool = False  # outside the standard county panel (no demo rows, not a gap where absent)
    since: int | None = None  # cumulative indicators: first year accumulated

    def label(self, lang: str = "zh", unit: bool = False) -> str:
        name = self.name_en if lang == "en" else self.name_zh
        if unit and self.unit:
            return f"{name}（{self.unit}）" if lang != "en" else f"{name} ({self.unit})"
        return name


def _read_yaml(name: str) -> dict:
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    return safe_load(text)


def normalise_name(text: str) -> str:
    """Key used for name matching: NFKC (full-width → half-width), no spaces, brackets unified."""
    t = unicodedata.normalize("NFKC", str(text)).strip()
    t = "".join(t.split())
    return t.replace("（", "(").replace("）", ")").lower()


def regions(region_set: RegionSet | str | None = None) -> dict[str, Region]:
    """All units of a region set (default: the default set), keyed by canonical Chinese name, in order."""
    return _regionsets.region_set(region_set).regions()


def blocks(region_set: RegionSet | str | None = None) -> list[str]:
    """Deprecated: ``region_set(…).members``. The member units of a region set in set order (default: the
    default set's)."""
    import warnings

    warnings.warn("registry.blocks() is deprecated: use registry.region_set(name_or_path).members (the "
                  "dataset's own set: Dataset.region_set.members)", DeprecationWarning, stacklevel=2)
    return _regionsets.region_set(region_set).members


def parent(region_set: RegionSet | str | None = None) -> str:
    """The parent (aggregate) unit of a region set (default set: its city)."""
    return _regionsets.region_set(region_set).parent


def __getattr__(name: str):
    # CITY is kept for callers that predate region sets: the parent of the default set.
    if name == "CITY":
        import warnings

        warnings.warn("registry.CITY is deprecated: use registry.region_set(name_or_path).parent (the dataset's "
                      "own set: Dataset.region_set.parent)", DeprecationWarning, stacklevel=2)
        return _regionsets.region_set(None).parent
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def resolve_region(text: str, region_set: RegionSet | str | None = None) -> str:
    """Canonical region name for a name, alias, English name or code (in the default set unless given).

    Raises
    ------
    UnknownNameError
        With the closest known names as suggestions.
    """
    return _regionsets.region_set(region_set).resolve(text)


def all_regions() -> dict[str, Region]:
    """Every unit of every bundled set by canonical name (first set wins), for labels of any region."""
    out: dict[str, Region] = {}
    for name in _regionsets.bundled():
        for k, r in _regionsets.region_set(name).regions().items():
            out.setdefault(k, r)
    return out


@lru_cache(maxsize=1)
def _catalogue() -> dict:
    return _read_yaml("indicators.yaml")


@lru_cache(maxsize=1)
def indicators() -> dict[str, Indicator]:
    """The indicator catalogue keyed by code, in catalogue order."""
    out = {}
    for d in _catalogue()["indicators"]:
        rng = d.get("range")
        out[d["code"]] = Indicator(
            code=d["code"],
            name_zh=d["name_zh"],
            name_en=d["name_en"],
            pillar=d["pillar"],
            unit=d["unit"],
            kind=d["kind"],
            polarity=int(d.get("polarity", 1)),
            aggregate=d.get("aggregate", "none"),
            mission=bool(d.get("mission", False)),
            derive=d.get("derive"),
            weight=d.get("weight"),
            synonyms=tuple(d.get("synonyms") or ()),
            description=(d.get("description") or "").strip(),
            range=tuple(rng) if rng else None,
            measurement_error=(float(d["measurement_error"]) if d.get("measurement_error") is not None
                               else None),
            optional=bool(d.get("optional", False)),
            since=int(d["since"]) if d.get("since") is not None else None,
        )
    return out


def indicator(code: str) -> Indicator:
    """One indicator by code (or any name/synonym)."""
    cat = indicators()
    if code in cat:
        return cat[code]
    return cat[resolve_indicator(code)]


def mission_indicators() -> list[str]:
    """Codes of the secondary indicators named in the Liyang plan's drafting note."""
    return [c for c, i in indicators().items() if i.mission]


def pillars() -> dict[str, dict[str, str]]:
    """Pillar code → {'zh': …, 'en': …}, in catalogue order."""
    return dict(_catalogue()["pillars"])


@lru_cache(maxsize=1)
def _indicator_index() -> dict[str, str]:
    idx = {}
    for i in indicators().values():
        for n in (i.code, i.name_zh, i.name_en, *i.synonyms):
            idx[normalise_name(n)] = i.code
    return idx


def resolve_indicator(text: str) -> str:
    """Indicator code for a code, Chinese or English name, or synonym."""
    key = normalise_name(text)
    idx = _indicator_index()
    if key in idx:
        return idx[key]
    close = difflib.get_close_matches(key, list(idx), n=3, cutoff=0.5)
    raise UnknownNameError("indicator", str(text), sorted({idx[c] for c in close}))


def label(code: str, lang: str = "zh", unit: bool = False) -> str:
    """Display name of an indicator (or a region, which keeps its Chinese name unless lang='en')."""
    if code in indicators():
        return indicators()[code].label(lang, unit)
    if lang == "en":
        r = all_regions().get(code)
        if r is not None and r.name_en:
            return r.name_en
    return code


@dataclass(frozen=True)
class UnitRule:
    to: str
    factor: float


def unit_rule(indicator_code: str, unit: str) -> UnitRule | None:
    """How a value in `unit` converts to the indicator's canonical unit, or None if it cannot.

    Indicator-specific rules (population in 万人, GDP in 亿元) take precedence over the general table.
    """
    cat = _catalogue()
    target = indicators()[indicator_code].unit
    u = unicodedata.normalize("NFKC", str(unit or "")).strip()
    over = (cat.get("unit_overrides") or {}).get(indicator_code, {})
    for table in (over, cat["units"]):
        for name, rule in table.items():
            if unicodedata.normalize("NFKC", name) == u and rule["to"] == target:
                return UnitRule(rule["to"], float(rule["factor"]))
    if u == target:
        return UnitRule(target, 1.0)
    return None


def known_units() -> list[str]:
    cat = _catalogue()
    names = set(cat["units"]) | {u for t in (cat.get("unit_overrides") or {}).values() for u in t}
    return sorted(n for n in names if n)


__all__ = [
    "CITY",
    "Indicator",
    "Region",
    "RegionSet",
    "RegionSetError",
    "all_regions",
    "parent",
    "region_set",
    "UnitRule",
    "UnknownNameError",
    "blocks",
    "indicator",
    "indicators",
    "known_units",
    "label",
    "mission_indicators",
    "normalise_name",
    "pillars",
    "regions",
    "resolve_indicator",
    "resolve_region",
    "unit_rule",
]

