"""Applicant address → block, through the region registry and the gazetteer (registry/gazetteer.yaml).

Rules (the gazetteer's header explains them with examples):

* names are matched as substrings of the normalised address (NFKC, no spaces, lower case);
* the most specific level wins: town/street/park (3) > block (2) > city (1);
* town, street and park names count only when the address also names the city or a block
  (``context``), because the same names exist elsewhere in China;
* a short name followed by a road suffix (溧阳路) or inside a listed shadow (新北市) does not count;
* two blocks at the best level, or a block together with a place outside the city, is ``ambiguous``;
  a former district alone (戚墅堰区) is ``former``; the city alone is ``city``; a place outside the
  city alone is ``outside``; nothing known is ``unlocated``; an empty address is ``no_address``.

Only ``block`` results carry a region; nothing is guessed. Matching runs in pyarrow over the distinct
addresses, so a million-row export with a few hundred thousand distinct addresses takes seconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

STATUSES = ("block", "city", "ambiguous", "former", "outside", "unlocated", "no_address")
STATUS_LABELS = {
    "block": ("定位到板块", "located to a block"),
    "city": ("仅定位到市", "city only, block unknown"),
    "ambiguous": ("地址指向多个地区", "ambiguous: names several places"),
    "former": ("已撤销的区，无法归入现板块", "former district, cannot be assigned"),
    "outside": ("市外", "outside the city"),
    "unlocated": ("无法识别", "no known place name"),
    "no_address": ("无地址", "no address"),
}
_ADMIN_SUFFIXES = ("省", "市", "区", "县", "镇", "乡", "街道")
LEVEL_TOWN, LEVEL_BLOCK, LEVEL_CITY = 3, 2, 1


@dataclass(frozen=True)
class Place:
    """One name of the gazetteer."""

    name: str  # normalised
    region: str | None  # canonical block (levels 2-3) or city (level 1); None for outside/former
    level: int  # 3 town/park, 2 block, 1 city, 0 former, -1 outside
    kind: str  # town | park | block | city | former | outside
    context: bool  # counts only when the address names the city or a block
    shadows: tuple[str, ...] = ()


def _key(text: str) -> str:
    from liyang_ip.registry import normalise_name

    return normalise_name(text)


def _has_cjk(s: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in s)


def _read_gazetteer_yaml() -> dict:
    import yaml

    text = resources.files("liyang_ip.registry").joinpath("gazetteer.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@lru_cache(maxsize=1)
def city_and_blocks() -> tuple[str, tuple[str, ...]]:
    """The registry's city (the region whose members are the blocks) and its blocks, in registry order."""
    from liyang_ip import registry

    rset = registry.region_set()  # the default region set: its parent and members
    return rset.parent, tuple(rset.members)


@lru_cache(maxsize=1)
def places() -> tuple[Place, ...]:
    """All gazetteer names: registry names and aliases, towns, parks and outside places."""
    from liyang_ip import registry

    g = _read_gazetteer_yaml()
    city, blocks = city_and_blocks()
    road = tuple(g.get("road_suffixes") or ())
    extra_shadows = {_key(k): tuple(_key(x) for x in (v or ())) for k, v in (g.get("shadows") or {}).items()}
    context_aliases = {_key(a) for a in (g.get("context_aliases") or ())}
    raw: list[tuple[str, str | None, int, str, bool]] = []
    for r in registry.regions().values():
        names = [n for n in (r.name, *r.aliases) if n and _has_cjk(n)]
        if r.kind == "parent" and r.name == city:
            level, region, kind = LEVEL_CITY, r.name, "city"
        elif r.kind == "member":
            level, region, kind = LEVEL_BLOCK, r.name, "block"
        elif r.kind == "park" and r.parent in blocks:
            level, region, kind = LEVEL_TOWN, r.parent, "park"
        elif r.kind == "former":
            level, region, kind = 0, None, "former"
        else:
            continue
        for n in names:
            raw.append((_key(n), region, level, kind, _key(n) in context_aliases))
    for block, entry in (g.get("towns") or {}).items():
        region = registry.resolve_region(block)
        if region not in blocks:
            raise ValueError(f"gazetteer.yaml: towns: {block!r} is not a block of {city}; blocks: {', '.join(blocks)}")
        for n in entry.get("names") or ():
            raw.append((_key(n), region, LEVEL_TOWN, "town", True))
        for n in entry.get("parks") or ():
            raw.append((_key(n), region, LEVEL_TOWN, "park", True))
    out_cfg = g.get("outside") or {}
    for n in [*(out_cfg.get("provinces") or ()), *(out_cfg.get("cities") or ())]:
        raw.append((_key(n), None, -1, "outside", False))
    # One entry per name: a name listed twice must agree.
    by_name: dict[str, tuple] = {}
    for item in raw:
        prev = by_name.get(item[0])
        if prev is not None and (prev[1], prev[2]) != (item[1], item[2]):
            raise ValueError(f"gazetteer: name {item[0]!r} maps to both {prev[1] or prev[3]} and {item[1] or item[3]}")
        by_name.setdefault(item[0], item)
    names = list(by_name)
    result = []
    for n, region, level, kind, context in by_name.values():
        sh = list(extra_shadows.get(n, ()))
        if not n.endswith(_ADMIN_SUFFIXES) and kind in ("block", "city", "outside", "former"):
            sh += [n + s for s in road]
        # A longer name of another place that contains this one (a city name inside a block name is not
        # a conflict: the block implies the city).
        for other in names:
            if other != n and n in other:
                o = by_name[other]
                if o[1] != region and not (level == LEVEL_CITY and o[2] >= LEVEL_CITY):
                    sh.append(other)
        result.append(Place(n, region, level, kind, context, tuple(dict.fromkeys(sh))))
    return tuple(sorted(result, key=lambda p: (-len(p.name), p.name)))


def normalise_addresses(addresses: pd.Series):
    """Addresses → pyarrow array in the registry's name key (NFKC, no whitespace, lower case)."""
    import pyarrow.compute as pc

    from .parse import to_arrow

    arr = pc.utf8_normalize(to_arrow(addresses), "NFKC")
    arr = pc.replace_substring_regex(arr, r"\s+", "")
    arr = pc.replace_substring(pc.replace_substring(arr, "（", "("), "）", ")")
    return pc.utf8_lower(arr)


def _hits(arr, place: Place, found: np.ndarray) -> np.ndarray:
    """Addresses where the place's name occurs (``found``) other than inside one of its shadows."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not place.shadows or not found.any():
        return found
    idx = np.flatnonzero(found)
    sub = arr.take(pa.array(idx))
    n = pc.count_substring(sub, place.name).to_numpy(zero_copy_only=False).astype(np.int32)
    for s in place.shadows:
        k = s.count(place.name)
        n = n - k * pc.count_substring(sub, s).to_numpy(zero_copy_only=False).astype(np.int32)
    out = np.zeros(len(found), dtype=bool)
    out[idx] = n > 0
    return out


def locate_unique(addresses: pd.Series) -> pd.DataFrame:
    """Locate each address (a Series of distinct addresses is fastest).

    Returns
    -------
    DataFrame with columns ``status`` (one of :data:`STATUSES`), ``region`` (canonical block for status
    ``block``, else None), ``level`` (3 town/park, 2 block, 1 city, 0 none) and ``evidence`` (the
    matched names for ambiguous/former results, "" otherwise), index as ``addresses``.
    """
    out = _locate_keys(normalise_addresses(addresses))
    out.index = addresses.index
    return out


def _group_hits(arr, names: list[str], chunk: int = 16) -> dict[str, np.ndarray]:
    """For each name, the addresses where it occurs (shadows ignored here). One regular-expression pass
    per chunk of names finds the addresses worth a closer look, so most names never scan them all."""
    import re

    import pyarrow as pa
    import pyarrow.compute as pc

    out: dict[str, np.ndarray] = {}
    n = len(arr)
    for k in range(0, len(names), chunk):
        part = names[k:k + chunk]
        any_hit = pc.match_substring_regex(arr, "|".join(re.escape(x) for x in part)).to_numpy(zero_copy_only=False)
        idx = np.flatnonzero(any_hit)
        sub = arr.take(pa.array(idx)) if len(idx) else None
        for name in part:
            h = np.zeros(n, dtype=bool)
            if sub is not None:
                h[idx] = pc.match_substring(sub, name).to_numpy(zero_copy_only=False)
            out[name] = h
    return out


def _locate_keys(arr) -> pd.DataFrame:
    """Locate normalised address keys (a pyarrow string array); see :func:`locate_unique`."""
    city, blocks = city_and_blocks()
    n = len(arr)
    bidx = {b: i for i, b in enumerate(blocks)}
    masks = {lvl: np.zeros(n, dtype=np.int64) for lvl in (LEVEL_TOWN, LEVEL_BLOCK)}
    city_hit = np.zeros(n, dtype=bool)
    former_hit = np.zeros(n, dtype=bool)
    outside_hit = np.zeros(n, dtype=bool)
    ps = places()
    ctx_places = [p for p in ps if p.context]
    found = _group_hits(arr, [p.name for p in ps])
    for p in (p for p in ps if not p.context):
        h = _hits(arr, p, found[p.name])
        if not h.any():
            continue
        if p.level == LEVEL_CITY:
            city_hit |= h
        elif p.level in (LEVEL_BLOCK, LEVEL_TOWN):
            masks[p.level][h] |= np.int64(1) << bidx[p.region]
        elif p.level == 0:
            former_hit |= h
        else:
            outside_hit |= h
    context = city_hit | (masks[LEVEL_BLOCK] != 0) | (masks[LEVEL_TOWN] != 0)
    for p in ctx_places:
        h = _hits(arr, p, found[p.name]) & context
        if not h.any():
            continue
        if p.level == LEVEL_CITY:
            city_hit |= h
        else:
            masks[p.level][h] |= np.int64(1) << bidx[p.region]
    empty = (np.asarray(pc_len(arr)) == 0)
    status = np.full(n, "unlocated", dtype=object)
    region = np.full(n, None, dtype=object)
    level = np.zeros(n, dtype=np.int8)
    best = np.where(masks[LEVEL_TOWN] != 0, masks[LEVEL_TOWN], masks[LEVEL_BLOCK])
    best_level = np.where(masks[LEVEL_TOWN] != 0, LEVEL_TOWN, np.where(masks[LEVEL_BLOCK] != 0, LEVEL_BLOCK, 0))
    single = (best != 0) & ((best & (best - 1)) == 0)
    located = single & ~outside_hit
    bit = np.zeros(n, dtype=np.int64)
    bit[located] = np.log2(best[located].astype(np.float64)).round().astype(np.int64)
    region[located] = np.array(blocks, dtype=object)[bit[located]]
    status[located] = "block"
    level[located] = best_level[located]
    amb = (best != 0) & ~located
    status[amb] = "ambiguous"
    cityonly = (best == 0) & city_hit
    status[cityonly & ~outside_hit] = "city"
    level[cityonly & ~outside_hit] = LEVEL_CITY
    status[cityonly & outside_hit] = "ambiguous"
    status[cityonly & former_hit] = "former"  # 常州市戚墅堰区: the district is known, its block is not
    level[cityonly & former_hit] = 0
    nothing = (best == 0) & ~city_hit
    status[nothing & former_hit] = "former"
    status[nothing & ~former_hit & outside_hit] = "outside"
    status[empty] = "no_address"
    out = pd.DataFrame({"status": status, "region": region, "level": level})
    out["evidence"] = ""
    need = np.flatnonzero((status == "ambiguous") | (status == "former"))
    if len(need):
        keys = [arr[i].as_py() for i in need]
        out.iloc[need, out.columns.get_loc("evidence")] = [_evidence(k) for k in keys]
    return out


def pc_len(arr):
    import pyarrow.compute as pc

    return pc.utf8_length(arr).to_numpy(zero_copy_only=False)


def _evidence(key: str) -> str:
    found = []
    for p in places():
        if p.name in key and not any(s in key for s in p.shadows if p.name in s and key.count(s) >= key.count(p.name)):
            label = p.region or ("市外" if p.level < 0 else "已撤销")
            found.append(f"{p.name}→{label}")
    return "、".join(dict.fromkeys(found))


def locate(addresses: pd.Series) -> pd.DataFrame:
    """Locate a column of addresses (any length, repeated values welcome): each distinct address once."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from .parse import to_arrow

    def encode(arr):
        if isinstance(arr, pa.ChunkedArray):  # one array, so one dictionary (chunks would each have theirs)
            arr = arr.combine_chunks()
        enc = pc.dictionary_encode(arr)
        return enc.indices.to_numpy(zero_copy_only=False), enc.dictionary

    # Distinct raw addresses first (hashing is cheaper than normalising every row); then digits, which
    # never belong to a place name, are dropped so that addresses differing only in house or room
    # numbers are located once.
    raw_idx, raw_uniques = encode(to_arrow(addresses))
    keys = pc.replace_substring_regex(normalise_addresses(pd.Series(pd.array(raw_uniques, dtype=pd.StringDtype("pyarrow")))),
                                      r"[0-9]+", "#")
    key_idx, key_uniques = encode(keys)
    res = _locate_keys(key_uniques)
    out = res.iloc[key_idx[raw_idx]].reset_index(drop=True)
    out.index = addresses.index
    return out


def locate_one(address: str) -> tuple[str, str | None]:
    """(status, region) for one address; handy in notebooks and tests."""
    r = locate_unique(pd.Series([address], dtype=object)).iloc[0]
    return r["status"], r["region"]


__all__ = ["Place", "STATUSES", "STATUS_LABELS", "city_and_blocks", "locate", "locate_one", "locate_unique", "places"]
