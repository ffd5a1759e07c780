"""IPC codes (and titles) → key industries, from registry/industries.yaml or a user's file of the same
layout.

A patent belongs to an industry *by any IPC* when one of its codes belongs to it, and *by first IPC*
when its first code does (the main classification 主分类号 when the export has one, else the first code
listed). Rules with ``title_any`` need one of their words in the title as well. Each distinct IPC code
is classified once, so millions of codes take well under a second.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

_RULE = re.compile(
    r"^(?P<sub>[A-H]\d{2}[A-Z]?)(?:\s*(?P<grp>\d{1,4})(?:\s*(?:/\s*(?P<sg>\d{1,6})|-\s*(?P<hi>\d{1,4})))?)?$"
)
_CODE = re.compile(r"^(?P<sub>[A-H]\d{2}[A-Z])(?:\s(?P<grp>\d{1,4})/(?P<sg>\d{2,6}))?$")


class IndustryFileError(ValueError):
    """An industries file that cannot be used; one line naming the file, industry and rule."""


@dataclass(frozen=True)
class Rule:
    """One IPC rule: class/subclass prefix, main group, subgroup prefix or main-group range."""

    text: str
    sub: str  # class (B60) or subclass (H01M)
    group: int | None = None
    group_hi: int | None = None  # inclusive upper end of a main-group range
    subgroup: str | None = None  # digits after the slash; "00" = whole main group
    title_any: tuple[str, ...] = ()
    why: str = ""

    def matches(self, code: str) -> bool:
        """Does a normalised IPC code (``H01M 10/0525`` or ``H01M``) fall under this rule?"""
        m = _CODE.match(code)
        if not m or not m["sub"].startswith(self.sub):
            return False
        if len(self.sub) == 4 and m["sub"] != self.sub:
            return False
        if self.group is None:
            return True
        if m["grp"] is None:
            return False
        g = int(m["grp"])
        if self.group_hi is not None:
            return self.group <= g <= self.group_hi
        if g != self.group:
            return False
        if self.subgroup is None or self.subgroup.strip("0") == "":
            return True
        return m["sg"].startswith(self.subgroup)


@dataclass(frozen=True)
class Industry:
    code: str
    name_zh: str
    name_en: str
    strategic_emerging: bool
    include: tuple[Rule, ...]
    exclude: tuple[Rule, ...]
    notes: str = ""

    def label(self, lang: str = "zh") -> str:
        return self.name_en if lang == "en" else self.name_zh


def parse_rule(item: object, where: str) -> Rule:
    if isinstance(item, str):
        item = {"ipc": item}
    if not isinstance(item, dict) or "ipc" not in item:
        raise IndustryFileError(f"{where}: each rule needs an 'ipc' entry, got {item!r}")
    text = " ".join(str(item["ipc"]).upper().split())
    m = _RULE.match(text)
    if not m:
        raise IndustryFileError(
            f"{where}: IPC rule {item['ipc']!r} not understood; use e.g. B60, H01M, H01M 10, H02J 3/38 or A01K 69-99"
        )
    if m["grp"] is not None and len(m["sub"]) != 4:
        raise IndustryFileError(f"{where}: IPC rule {item['ipc']!r}: a group needs a subclass (e.g. H01M 10)")
    words = item.get("title_any") or ()
    if isinstance(words, str):
        words = (words,)
    return Rule(
        text=text, sub=m["sub"], group=int(m["grp"]) if m["grp"] else None,
        group_hi=int(m["hi"]) if m["hi"] else None, subgroup=m["sg"],
        title_any=tuple(str(w) for w in words), why=str(item.get("why") or ""),
    )


def read_industries(path: str | Path | None = None) -> tuple[Industry, ...]:
    """Industries from ``path`` (a YAML file like registry/industries.yaml) or the bundled file."""
    import yaml

    if path is None:
        text = resources.files("liyang_ip.registry").joinpath("industries.yaml").read_text(encoding="utf-8")
        where = "industries.yaml"
    else:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise IndustryFileError(f"{path}: cannot read industries file ({type(e).__name__})") from None
        where = str(path)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise IndustryFileError(f"{where}: not valid YAML ({str(e).splitlines()[0]})") from None
    items = (data or {}).get("industries") if isinstance(data, dict) else None
    if not items:
        raise IndustryFileError(f"{where}: expected a list under 'industries:'")
    out, seen = [], set()
    for i, d in enumerate(items, start=1):
        code = str(d.get("code") or "").strip()
        if not code or code in seen or code == "all":
            raise IndustryFileError(f"{where}: industry {i}: needs a unique 'code' other than 'all', got {code!r}")
        seen.add(code)
        w = f"{where}: {code}"
        inc = tuple(parse_rule(r, f"{w}: include") for r in (d.get("include") or ()))
        if not inc:
            raise IndustryFileError(f"{w}: no 'include' rules")
        exc = tuple(parse_rule(r, f"{w}: exclude") for r in (d.get("exclude") or ()))
        out.append(Industry(code, str(d.get("name_zh") or code), str(d.get("name_en") or code),
                            bool(d.get("strategic_emerging", False)), inc, exc, str(d.get("notes") or "").strip()))
    return tuple(out)


@lru_cache(maxsize=1)
def industries() -> tuple[Industry, ...]:
    """The bundled industries (registry/industries.yaml)."""
    return read_industries(None)


def code_membership(codes: list[str], inds: tuple[Industry, ...]) -> dict[str, tuple[np.ndarray, list[tuple[np.ndarray, tuple[str, ...]]]]]:
    """For each industry: a bool array over ``codes`` (unconditional membership) and, per keyword rule, a
    bool array of codes matched only under that rule's title words."""
    out = {}
    for ind in inds:
        excluded = np.array([c is not None and any(r.matches(c) for r in ind.exclude) for c in codes], dtype=bool)
        plain = np.zeros(len(codes), dtype=bool)
        keyworded: dict[tuple[str, ...], np.ndarray] = {}
        for r in ind.include:
            hit = np.array([c is not None and r.matches(c) for c in codes], dtype=bool) & ~excluded
            if r.title_any:
                keyworded[r.title_any] = keyworded.get(r.title_any, np.zeros(len(codes), dtype=bool)) | hit
            else:
                plain |= hit
        out[ind.code] = (plain, list(keyworded.items()))
    return out


def _title_has(titles: pd.Series, words: tuple[str, ...]) -> np.ndarray:
    import pyarrow.compute as pc

    from .parse import to_arrow

    arr = pc.utf8_normalize(to_arrow(titles), "NFKC")
    pattern = "|".join(re.escape(w) for w in words)
    return pc.match_substring_regex(arr, pattern).to_numpy(zero_copy_only=False)


def classify(ipc_long: pd.DataFrame, titles: pd.Series, inds: tuple[Industry, ...] | None = None) -> pd.DataFrame:
    """Patents × industries.

    Parameters
    ----------
    ipc_long
        One row per (patent, code): ``pid`` (patent id), ``order`` (0 = first code) and ``ipc``
        (normalised code, None when unreadable: such codes match nothing).
    titles
        Titles indexed by patent id (for rules with ``title_any``); missing titles match no word.

    Returns
    -------
    DataFrame ``pid, industry, first_ipc`` (bool: the first code belongs to the industry): one row per
    patent and industry it belongs to by any IPC.
    """
    inds = industries() if inds is None else inds
    frames = []
    if len(ipc_long) == 0:
        return pd.DataFrame({"pid": pd.Series(dtype="int64"), "industry": pd.Series(dtype=str),
                             "first_ipc": pd.Series(dtype=bool)})
    codes, uniques = pd.factorize(ipc_long["ipc"], use_na_sentinel=True)
    ulist = [None if pd.isna(u) else str(u) for u in uniques]
    member = code_membership(ulist, inds)
    pid = ipc_long["pid"].to_numpy()
    first = (ipc_long["order"] == 0).to_numpy()
    valid = codes >= 0
    for ind in inds:
        plain, keyworded = member[ind.code]
        hit = np.zeros(len(codes), dtype=bool)
        hit[valid] = plain[codes[valid]]
        for words, arr in keyworded:
            kw_hit = np.zeros(len(codes), dtype=bool)
            kw_hit[valid] = arr[codes[valid]]
            if kw_hit.any():
                pids = np.unique(pid[kw_hit])
                has = _title_has(titles.reindex(pids), words)
                ok_pids = set(pids[has].tolist())
                kw_hit &= np.isin(pid, list(ok_pids))
            hit |= kw_hit
        if not hit.any():
            continue
        df = pd.DataFrame({"pid": pid[hit], "first": first[hit]})
        agg = df.groupby("pid", sort=True)["first"].any()
        frames.append(pd.DataFrame({"pid": agg.index.to_numpy(), "industry": ind.code, "first_ipc": agg.to_numpy()}))
    if not frames:
        return classify(ipc_long.iloc[0:0], titles, inds)
    return pd.concat(frames, ignore_index=True)


__all__ = ["Industry", "IndustryFileError", "Rule", "classify", "code_membership", "industries", "parse_rule", "read_industries"]
