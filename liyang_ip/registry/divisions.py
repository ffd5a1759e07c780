"""China's administrative divisions (province → prefecture → county) with GB/T 2260 codes and parents.

Read from ``divisions/cn_divisions.csv``, made by ``scripts/import_divisions.py`` from a maintained list
(source and date in ``divisions/SOURCE.yaml``); never typed by hand. Any division with children gives a
region set without a YAML file: ``registry.region_set("division:320400")`` is that prefecture and its
counties and districts (functional zones without a code, such as economic development zones, are only in
curated sets).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

LEVELS = ("province", "prefecture", "county")
PREFIX = "division:"
#: What the children of a unit at each level are called (zh, en, en plural).
CHILD_WORDS = {
    "country": ("省份", "province", "provinces"),
    "province": ("地级市", "prefecture", "prefectures"),
    "prefecture": ("区县", "county", "counties"),
}


@dataclass(frozen=True)
class Division:
    code: str  # six-digit GB/T 2260 code
    name: str
    level: str  # province | prefecture | county
    parent: str  # parent code ('' for a province)


@lru_cache(maxsize=1)
def divisions() -> dict[str, Division]:
    """All divisions by code, in code order."""
    text = resources.files(__package__).joinpath("divisions", "cn_divisions.csv").read_text(encoding="utf-8")
    return {r["code"]: Division(r["code"], r["name"], r["level"], r["parent"])
            for r in csv.DictReader(text.splitlines())}


@lru_cache(maxsize=1)
def source() -> dict:
    import yaml

    return yaml.safe_load(resources.files(__package__).joinpath("divisions", "SOURCE.yaml").read_text(encoding="utf-8"))


def division(code: str) -> Division:
    """One division by its six-digit code; KeyError naming the code otherwise."""
    d = divisions().get(str(code).strip())
    if d is None:
        raise KeyError(f"no administrative division with code {code!r} in the GB/T 2260 list "
                       f"({source()['source']}, as of {source()['as_of']})")
    return d


def children(code: str) -> list[Division]:
    """Divisions whose parent is `code`, in code order."""
    return [d for d in divisions().values() if d.parent == str(code)]


def find(name: str) -> list[Division]:
    """Divisions with this exact name (names repeat across the country, e.g. 朝阳区)."""
    return [d for d in divisions().values() if d.name == name]


def path(code: str) -> list[Division]:
    """The division and its ancestors, province first."""
    out = [division(code)]
    while out[0].parent:
        out.insert(0, division(out[0].parent))
    return out


def region_set_data(code: str) -> dict:
    """The content of a region-set file for a division and its children (see regionsets.parse)."""
    d = division(code)
    kids = children(d.code)
    if not kids:
        raise KeyError(f"division {d.code} {d.name} has no subdivisions in the list; a region set needs members")
    zh, en, ens = CHILD_WORDS.get(d.level, ("单位", "unit", "units"))
    src = source()
    return {
        "name": f"{PREFIX}{d.code}",
        "title": {"zh": f"{d.name}及其下辖{zh}", "en": f"{d.name} and its {ens}"},
        "unit_word": {"zh": zh, "en": en, "en_plural": ens},
        "parent_short": {"zh": d.name, "en": d.name},
        "sources": [f"{src['source']}, as of {src['as_of']}"],
        "regions": [{"name": d.name, "code": d.code, "kind": "parent"}]
        + [{"name": k.name, "code": k.code, "kind": "member"} for k in kids],
    }


__all__ = ["Division", "LEVELS", "children", "division", "divisions", "find", "path", "region_set_data", "source"]
