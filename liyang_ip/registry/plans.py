"""Five-year plan periods as data (``plans.yaml``): labels, presets and target attributes.

Everything that names a plan period ("十三五", "14th Five-Year Plan", the base year 2020, the target
year 2025) derives it from the parameters through the functions here, so that a run for another period
never carries a stale label:

>>> period_label(2015, 2020)          # a baseline from the base year 2015 to the plan's last year
'十三五'
>>> period_label(2019, 2023)          # not a plan period: a neutral label
'基期 2019—2023'
>>> preset(15)                        # drafting the 15th plan: 14th-plan baseline, targets for 2030
{'start_year': 2020, 'end_year': 2025, 'target_year': 2030}

Usage: ``from liyang_ip.registry import plans``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..yamlio import safe_load

#: Year-range dash by language (Chinese documents use the em dash "2016—2020年").
_DASH = {"zh": "—", "en": "–"}


@dataclass(frozen=True)
class PlanPeriod:
    """One five-year plan: number (14), names ("十四五", "14th Five-Year Plan"), first and last year."""

    number: int
    name_zh: str
    name_en: str
    short_en: str
    start: int
    end: int

    @property
    def base_year(self) -> int:
        """The year targets are set against (基期): the last year of the previous plan."""
        return self.start - 1

    @property
    def years(self) -> list[int]:
        return list(range(self.start, self.end + 1))

    def label(self, lang: str = "zh", quoted: bool = False) -> str:
        """'十四五' (or '“十四五”' when quoted) / '14th Five-Year Plan'."""
        if lang == "en":
            return self.name_en
        return f"“{self.name_zh}”" if quoted else self.name_zh


def _read() -> dict:
    text = resources.files(__package__).joinpath("plans.yaml").read_text(encoding="utf-8")
    return safe_load(text)


@lru_cache(maxsize=1)
def plans() -> dict[int, PlanPeriod]:
    """All plan periods keyed by number, in chronological order."""
    out = {}
    for d in _read()["plans"]:
        p = PlanPeriod(number=int(d["number"]), name_zh=d["name_zh"], name_en=d["name_en"],
                       short_en=d.get("short_en", d["name_en"]), start=int(d["start"]), end=int(d["end"]))
        out[p.number] = p
    return dict(sorted(out.items()))


def plan(number: int | str) -> PlanPeriod:
    """One plan by number (14, '14', '十四五').

    Raises
    ------
    ValueError
        Naming the valid plan numbers.
    """
    known = plans()
    for p in known.values():
        if str(number).strip() in (str(p.number), p.name_zh, f"“{p.name_zh}”"):
            return p
    valid = ", ".join(f"{p.number} ({p.name_zh} {p.start}–{p.end})" for p in known.values())
    raise ValueError(f"unknown plan {number!r}; valid plans are: {valid}")


def period_for(start: int, end: int) -> PlanPeriod | None:
    """The plan whose period is `start`–`end`, or None.

    A baseline runs either over the plan's own years (2016–2020) or from its base year (2015–2020, the
    usual "2015→2020" comparison); both are that plan. Any other span is not a plan period.
    """
    for p in plans().values():
        if int(end) == p.end and int(start) in (p.start, p.base_year):
            return p
    return None


def plan_ending(year: int) -> PlanPeriod | None:
    """The plan whose last year is `year` (its targets are for that year), or None."""
    for p in plans().values():
        if p.end == int(year):
            return p
    return None


def plan_containing(year: int) -> PlanPeriod | None:
    """The plan whose years include `year`, or None."""
    for p in plans().values():
        if p.start <= int(year) <= p.end:
            return p
    return None


def year_range(start: int, end: int, lang: str = "zh") -> str:
    """'2016—2020' (zh) / '2016–2020' (en)."""
    return f"{int(start)}{_DASH.get(lang, '–')}{int(end)}"


def period_label(start: int, end: int, lang: str = "zh", quoted: bool = False) -> str:
    """Short label of a baseline period: the plan's name, or a neutral 'base period' label.

    Examples: (2016, 2020) and (2015, 2020) → '十三五' / '13th Five-Year Plan'; (2019, 2023) →
    '基期 2019—2023' / 'base period 2019–2023'. `quoted` puts a plan name in Chinese quotation marks
    (“十三五”), as prose writes it; a neutral label is never quoted.
    """
    p = period_for(start, end)
    if p is not None:
        return p.label(lang, quoted)
    if lang == "en":
        return f"base period {year_range(start, end, 'en')}"
    return f"基期 {year_range(start, end, 'zh')}"


def period_phrase(start: int, end: int, lang: str = "zh") -> str:
    """The period as prose names it, years included.

    '“十三五”时期（2016—2020年）' / 'the 13th Five-Year Plan period (2016–2020)' for a plan period
    (the plan's own years even when the baseline starts at its base year); '2019—2023年' / '2019–2023'
    otherwise.
    """
    p = period_for(start, end)
    if p is None:
        return f"{year_range(start, end, 'zh')}年" if lang != "en" else year_range(start, end, "en")
    if lang == "en":
        return f"the {p.name_en} period ({year_range(p.start, p.end, 'en')})"
    return f"“{p.name_zh}”时期（{year_range(p.start, p.end, 'zh')}年）"


def target_label(year: int, lang: str = "zh") -> str:
    """A target year as prose names it: '“十四五”末（2025年）' / '2025 (end of the 14th Five-Year Plan)'
    when a plan ends that year, else '2027年' / '2027'."""
    p = plan_ending(year)
    if lang == "en":
        return f"{int(year)} (end of the {p.name_en})" if p else str(int(year))
    return f"“{p.name_zh}”末（{int(year)}年）" if p else f"{int(year)}年"


def preset(number: int | str) -> dict[str, int]:
    """Notebook parameters for drafting plan `number`.

    The baseline is the previous plan, from its base year to its last year; the target year is the
    plan's last year: ``preset(14)`` → 2015→2020, targets 2025; ``preset(15)`` → 2020→2025 (the previous
    plan's final evaluation year), targets 2030.

    Raises
    ------
    ValueError
        For an unknown plan or one without a previous plan in the registry.
    """
    p = plan(number)
    prev = plans().get(p.number - 1)
    if prev is None:
        valid = ", ".join(str(n) for n in plans() if n - 1 in plans())
        raise ValueError(f"plan {p.number} has no previous plan in the registry to take a baseline from; "
                         f"presets exist for plans {valid}")
    return {"start_year": prev.base_year, "end_year": prev.end, "target_year": p.end}


@lru_cache(maxsize=1)
def _attribute_index() -> dict[str, str]:
    idx = {}
    for name, d in (_read().get("attributes") or {}).items():
        for n in (name, d.get("en", ""), *(d.get("aliases") or ())):
            if n:
                idx[str(n).strip().lower()] = name
    return idx


def attributes() -> dict[str, str]:
    """属性 of a plan target: Chinese term → English term ({'预期性': 'expected', '约束性': 'binding'})."""
    return {k: v.get("en", k) for k, v in (_read().get("attributes") or {}).items()}


def attribute(text: str) -> str:
    """Canonical 属性 ('预期性' or '约束性') for a spelling such as 'expected', '约束' or 'binding'.

    Raises
    ------
    ValueError
        Naming the valid values.
    """
    key = str(text).strip().lower()
    idx = _attribute_index()
    if key in idx:
        return idx[key]
    valid = ", ".join(f"{zh} ({en})" for zh, en in attributes().items())
    raise ValueError(f"unknown target attribute (属性) {text!r}; valid values are: {valid}")


def attribute_label(value: str, lang: str = "zh") -> str:
    """Display of a 属性 in `lang` ('' for a blank value)."""
    if value is None or str(value).strip() in ("", "nan", "<NA>"):
        return ""
    zh = attribute(value)
    return attributes()[zh] if lang == "en" else zh


__all__ = [
    "PlanPeriod",
    "attribute",
    "attribute_label",
    "attributes",
    "period_for",
    "period_label",
    "period_phrase",
    "plan",
    "plan_containing",
    "plan_ending",
    "plans",
    "preset",
    "target_label",
    "year_range",
]
