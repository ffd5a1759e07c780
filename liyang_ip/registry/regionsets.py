"""Region sets as data: a parent (aggregate) unit, the member units benchmarked against each other, and the
other names sources use (composites, parks, abolished units, units inside the total but not benchmarked).

A region set is one YAML file: bundled ones live in ``regionsets/`` beside this module (``changzhou``, the
default; ``china``; ``jiangsu``), a user's is given by path. Code reads the geography from a set (its
parent, members, unit word and aliases) instead of naming a city or a count of blocks.

File layout (see ``regionsets/changzhou.yaml``)::

    name: changzhou
    title: {zh: …, en: …}
    unit_word: {zh: 板块, en: block, en_plural: blocks}   # what one member is called
    parent_short: {zh: …, en: …}                         # as in …平均 / the … average
    parent_whole: {zh: 全市}                              # as in 占全市比重 (default: the parent's name)
    regions:
      - {name: …, kind: parent, code: "320400", total_of: […], aliases: […], notes: …}
      - {name: 溧阳市, kind: member, code: "320481", aliases: [溧阳, Liyang], notes: …}
      - …

``kind`` is one of ``parent`` (exactly one), ``member`` (at least one), ``composite`` (a sum of members
some sources report; ``members`` lists them), ``park`` (inside a member, never benchmarked), ``former``
(abolished; figures for it are rejected with its note) and ``outside`` (inside the parent's total but not
benchmarked, e.g. 香港 in CNIPA's national totals). ``total_of`` (default: all members) lists the units
whose sum is the parent's total: a total is derived only when all of them have a figure.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..yamlio import safe_load

DEFAULT = "changzhou"
KINDS = ("parent", "member", "composite", "park", "former", "outside")
_CN_DIGITS = "零一二三四五六七八九"


class RegionSetError(ValueError):
    """A region-set file that cannot be used; the message names the file, the entry and the field."""


@dataclass(frozen=True)
class Region:
    """One unit of a region set (its kind is its role in that set)."""

    name: str
    name_en: str
    code: str
    kind: str  # parent | member | composite | park | former | outside
    order: int
    aliases: tuple[str, ...] = ()
    members: tuple[str, ...] = ()  # composite: the members it sums; parent: the units of its total
    parent: str | None = None
    notes: str = ""


@dataclass(frozen=True, eq=False)
class RegionSet:
    """A parent unit and its member units, read from one YAML file.

    Attributes
    ----------
    name : str
        Short identifier (``changzhou``, ``china``, ``jiangsu`` or the user file's ``name``).
    regions_in_order : tuple of Region
        Every unit of the set, parent first, in file order.
    """

    name: str
    title_zh: str
    title_en: str
    unit_words: dict[str, str]
    parent_short_zh: str
    parent_short_en: str
    regions_in_order: tuple[Region, ...]
    path: str = ""  # the file it was read from ('' for a bundled set)
    sources: tuple[str, ...] = ()
    is_bundled: bool = False
    parent_whole_zh: str = ""  # 全市 / 全省 / 全国 (as in 占全市比重); '' → the parent's name
    _index: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    _by_name: dict[str, Region] = field(default_factory=dict, compare=False, repr=False)

    # -- structure ----------------------------------------------------------------------------------
    @property
    def parent(self) -> str:
        """Canonical name of the parent (aggregate) unit, e.g. 全国 / 江苏省."""
        return next(r.name for r in self.regions_in_order if r.kind == "parent")

    @property
    def members(self) -> list[str]:
        """The benchmarked member units in set order (e.g. the seven blocks, the 31 provinces)."""
        return [r.name for r in self._by_name.values() if r.kind == "member"]

    @property
    def n_members(self) -> int:
        return len(self.members)

    @property
    def total_of(self) -> list[str]:
        """Units whose sum makes the parent's total (members, and `outside` units where the total
        includes them); a derived total needs a figure for every one of them."""
        p = self._by_name[self.parent]
        return list(p.members) if p.members else self.members

    def regions(self) -> dict[str, Region]:
        """All units of the set keyed by canonical name, in set order (a new dict each call)."""
        return dict(self._by_name)

    def region(self, name: str) -> Region:
        """One unit by canonical name or alias (UnknownNameError otherwise)."""
        return self.regions()[self.resolve(name)]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name in self._by_name

    # -- words ---------------------------------------------------------------------------------------
    def unit_word(self, lang: str = "zh", plural: bool = False) -> str:
        """What one member is called: 板块 / 省份 / 设区市 (zh); block(s) / province(s) (en)."""
        if lang == "en":
            single = self.unit_words.get("en", "unit")
            return self.unit_words.get("en_plural", single + "s") if plural else single
        return self.unit_words.get("zh", "单位")

    def count_phrase(self, n: int | None = None, lang: str = "zh") -> str:
        """'十三个设区市' / '三十一个省份' / 'thirteen cities' for n members (default: all members)."""
        n = self.n_members if n is None else int(n)
        if lang == "en":
            words = ("zero one two three four five six seven eight nine ten eleven twelve").split()
            num = words[n] if 0 <= n < len(words) else str(n)
            return f"{num} {self.unit_word('en', plural=n != 1)}"
        return f"{cn_count(n)}个{self.unit_word('zh')}"

    def average_label(self, lang: str = "zh") -> str:
        """The benchmark's name: 全国平均 / 江苏平均 (zh); national average / Jiangsu average (en)."""
        if lang == "en":
            return f"{self.parent_short_en} average"
        return f"{self.parent_short_zh}平均"

    def words(self, lang: str = "zh") -> dict[str, str]:
        """The geography words report templates use (``{{ geo.unit }}`` …), from this set's data.

        ``unit`` / ``units``: one member, several members (板块 / block, blocks); ``average``: the parent's
        average as a benchmark (常州平均 / the Changzhou average); ``parent``: the parent's display name
        (常州市 / Changzhou); ``parent_short`` (常州 / Changzhou); ``whole``: the parent as a whole, as in
        占全市比重 (zh; the parent's name when the file gives no ``parent_whole``) or "the Changzhou total" (en);
        ``all``: the count phrase of all members (七个板块 / seven blocks).
        """
        if lang == "en":
            return {
                "unit": self.unit_word("en"), "units": self.unit_word("en", plural=True),
                "average": f"the {self.average_label('en')}", "parent": self.label(self.parent, "en"),
                "parent_short": self.parent_short_en, "whole": f"the {self.parent_short_en} total",
                "all": self.count_phrase(lang="en"),
            }
        return {
            "unit": self.unit_word("zh"), "units": self.unit_word("zh"), "average": self.average_label("zh"),
            "parent": self.parent, "parent_short": self.parent_short_zh,
            "whole": self.parent_whole_zh or self.parent, "all": self.count_phrase(lang="zh"),
        }

    def title(self, lang: str = "zh") -> str:
        return self.title_en if lang == "en" else self.title_zh

    def label(self, name: str, lang: str = "zh") -> str:
        """Display name of a unit: canonical Chinese name, or its English name for ``lang='en'``."""
        r = self._by_name.get(name)
        if lang == "en" and r is not None and r.name_en:
            return r.name_en
        return str(name)

    # -- names ---------------------------------------------------------------------------------------
    def resolve(self, text: Any) -> str:
        """Canonical name for a name, alias, English name or code of a unit in this set.

        Raises
        ------
        UnknownNameError
            With the closest known names as suggestions.
        """
        from . import UnknownNameError, normalise_name

        key = normalise_name(text)
        if key in self._index:
            return self._index[key]
        close = difflib.get_close_matches(key, list(self._index), n=3, cutoff=0.5)
        raise UnknownNameError("region", str(text), sorted({self._index[c] for c in close}))

    def resolve_member(self, text: Any, what: str = "region") -> str:
        """Canonical name of a member; ValueError naming the valid members otherwise."""
        from . import UnknownNameError

        try:
            name = self.resolve(text)
        except UnknownNameError as e:
            raise ValueError(f"{e}; valid {self.unit_word('en', plural=True)} of region set {self.name!r}: "
                             f"{', '.join(self.members)}") from None
        if name not in self.members:
            raise ValueError(
                f"{what} {text!r} ({name}) is {'the' if self._by_name[name].kind == 'parent' else 'a'} "
                f"{self._by_name[name].kind} of region set {self.name!r}, "
                f"not one of its {self.count_phrase(lang='en')}: {', '.join(self.members)}")
        return name

    @property
    def spec(self) -> str:
        """What :func:`region_set` needs to load this set again: the bundled name or the file path."""
        return self.name if self.is_bundled else self.path

    def order_key(self, name: str) -> int:
        r = self._by_name.get(name)
        return r.order if r is not None else 999


def cn_count(n: int) -> str:
    """Chinese numeral for a count of units: 七, 十三, 三十一 (Arabic digits from 100 on)."""
    n = int(n)
    if n < 0 or n >= 100:
        return str(n)
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")


# ---------------------------------------------------------------------------------------------- loading
def bundled() -> list[str]:
    """Names of the region sets shipped with the package (default first)."""
    names = sorted(p.name.removesuffix(".yaml") for p in resources.files(__package__).joinpath("regionsets").iterdir()
                   if p.name.endswith(".yaml"))
    return [DEFAULT] + [n for n in names if n != DEFAULT]


def region_set(spec: RegionSet | str | Path | None = None) -> RegionSet:
    """A region set by bundled name (``changzhou``, ``china``, ``jiangsu``), ``division:CODE`` (a GB/T 2260
    division and its subdivisions, see :mod:`~liyang_ip.registry.divisions`), path to a YAML file, or as is.

    ``None`` gives the default set (``changzhou``).

    Raises
    ------
    RegionSetError
        For an unknown name, a missing file, or a file whose content is not a valid region set (the
        message names the file, entry and field).
    """
    if isinstance(spec, RegionSet):
        return spec
    if spec is None or (isinstance(spec, str) and not spec.strip()):
        spec = DEFAULT
    text = str(spec).strip()
    if text in bundled():
        return _load_bundled(text)
    if text.startswith("division:"):
        return _load_division(text.removeprefix("division:").strip())
    p = Path(text).expanduser()
    if p.suffix.lower() in (".yaml", ".yml") or p.exists():
        if not p.is_file():
            raise RegionSetError(f"region set file {text!r} not found; give a bundled set "
                                 f"({', '.join(bundled())}) or a path to a region-set YAML file")
        return _load_path(str(p.resolve()), p.stat().st_mtime_ns)
    close = difflib.get_close_matches(text, bundled(), n=2, cutoff=0.5)
    hint = f" (did you mean {' / '.join(close)}?)" if close else ""
    raise RegionSetError(f"unknown region set {text!r}{hint}; bundled sets: {', '.join(bundled())}, or give a "
                         "path to a region-set YAML file")


@cache
def _load_bundled(name: str) -> RegionSet:
    res = resources.files(__package__).joinpath("regionsets", f"{name}.yaml")
    import dataclasses

    rset = parse(safe_load(res.read_text(encoding="utf-8")), f"liyang_ip/registry/regionsets/{name}.yaml")
    return dataclasses.replace(rset, path="", is_bundled=True)


@lru_cache(maxsize=64)
def _load_division(code: str) -> RegionSet:
    import dataclasses

    from . import divisions

    try:
        data = divisions.region_set_data(code)
    except KeyError as e:
        raise RegionSetError(str(e.args[0])) from None
    return dataclasses.replace(parse(data, f"division:{code}"), path="", is_bundled=True)


@lru_cache(maxsize=32)
def _load_path(path: str, mtime_ns: int) -> RegionSet:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        raise RegionSetError(f"{path}{where}: not valid YAML ({getattr(e, 'problem', e)})") from None
    except UnicodeDecodeError:
        raise RegionSetError(f"{path}: not UTF-8 text; save the region set as UTF-8") from None
    return parse(data, path)


def parse(data: Any, where: str = "<region set>") -> RegionSet:
    """A RegionSet from the parsed YAML content; RegionSetError naming `where`, entry and field."""
    from . import normalise_name

    def fail(msg: str) -> RegionSetError:
        return RegionSetError(f"{where}: {msg}")

    if not isinstance(data, dict):
        raise fail("a region set is a mapping with name, unit_word and regions (see "
                   "liyang_ip/registry/regionsets/changzhou.yaml)")
    name = str(data.get("name") or "").strip()
    if not name:
        raise fail("[name] missing: give the set a short name, e.g. name: my_county")
    entries = data.get("regions")
    if not isinstance(entries, list) or not entries:
        raise fail("[regions] missing or empty: list the parent and the member units")
    regions: list[Region] = []
    for i, e in enumerate(entries):
        at = f"regions[{i}]"
        if not isinstance(e, dict) or not str(e.get("name") or "").strip():
            raise fail(f"{at} [name] missing: every unit needs a canonical Chinese name")
        rname = str(e["name"]).strip()
        kind = str(e.get("kind") or "").strip()
        if kind not in KINDS:
            raise fail(f"{at} ({rname}) [kind] {kind!r} is not one of {', '.join(KINDS)}")
        for listfield in ("aliases", "members", "total_of"):
            if e.get(listfield) is not None and not isinstance(e.get(listfield), list):
                raise fail(f"{at} ({rname}) [{listfield}] must be a list, e.g. [{rname}]")
        members = e.get("total_of") if kind == "parent" else e.get("members")
        regions.append(Region(
            name=rname,
            name_en=str(e.get("name_en") or ""),
            code=str(e.get("code") or ""),
            kind=kind,
            order=int(e.get("order", i)),
            aliases=tuple(str(a) for a in e.get("aliases") or ()),
            members=tuple(str(m) for m in members or ()),
            parent=e.get("parent"),
            notes=str(e.get("notes") or "").strip(),
        ))
    names = [r.name for r in regions]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise fail(f"[regions] name(s) {', '.join(dup)} listed more than once")
    parents = [r for r in regions if r.kind == "parent"]
    if len(parents) != 1:
        raise fail(f"[regions] needs exactly one unit of kind parent, found {len(parents)}")
    if not any(r.kind == "member" for r in regions):
        raise fail("[regions] needs at least one unit of kind member")
    for r in regions:
        for m in r.members:
            if m not in names:
                field_ = "total_of" if r.kind == "parent" else "members"
                raise fail(f"regions[{names.index(r.name)}] ({r.name}) [{field_}] {m!r} is not a unit of this set")
    index: dict[str, str] = {}
    for r in regions:
        for n in (r.name, r.name_en, r.code, *r.aliases):
            if not n:
                continue
            key = normalise_name(n)
            if index.setdefault(key, r.name) != r.name:
                raise fail(f"regions[{names.index(r.name)}] ({r.name}) [aliases] {n!r} already names "
                           f"{index[key]}; a name must point to one unit")
    unit = data.get("unit_word") or {}
    if not isinstance(unit, dict) or not unit.get("zh"):
        raise fail("[unit_word] missing: give what one member is called, e.g. {zh: 区县, en: district}")
    title = data.get("title") or {}
    short = data.get("parent_short") or {}
    whole = data.get("parent_whole") or {}
    if not isinstance(whole, dict):
        raise fail("[parent_whole] must be a mapping, e.g. {zh: 全县}")
    parent = parents[0]
    return RegionSet(
        name=name,
        title_zh=str(title.get("zh") or name),
        title_en=str(title.get("en") or title.get("zh") or name),
        unit_words={k: str(v) for k, v in unit.items()},
        parent_short_zh=str(short.get("zh") or parent.name),
        parent_short_en=str(short.get("en") or parent.name_en or parent.name),
        regions_in_order=tuple(regions),
        path=str(where),
        sources=tuple(str(s) for s in data.get("sources") or ()),
        parent_whole_zh=str(whole.get("zh") or ""),
        _index=index,
        _by_name={r.name: r for r in sorted(regions, key=lambda r: r.order)},
    )


def region_set_list(spec: Any = None) -> list[RegionSet]:
    """RegionSets from None (the default set), one set / name / path, or a list of them (order kept)."""
    if spec is None or isinstance(spec, str | RegionSet | Path):
        return [region_set(spec)]
    sets = [region_set(s) for s in spec]
    return sets or [region_set(None)]


def resolve_in(text: Any, sets: Iterable[RegionSet]) -> tuple[str, RegionSet]:
    """Canonical name of `text` in the first of `sets` that knows it, with that set.

    Raises UnknownNameError with the closest names over all sets.
    """
    from . import UnknownNameError

    sets = list(sets)
    suggestions: list[str] = []
    for s in sets:
        try:
            return s.resolve(text), s
        except UnknownNameError as e:
            suggestions += [x for x in e.suggestions if x not in suggestions]
    raise UnknownNameError("region", str(text), suggestions[:3])


__all__ = ["DEFAULT", "KINDS", "Region", "RegionSet", "RegionSetError", "bundled", "cn_count", "parse",
           "region_set", "region_set_list", "resolve_in"]
