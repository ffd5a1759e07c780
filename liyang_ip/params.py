"""Validation of the notebook parameters (the papermill ``parameters`` cell).

:func:`validate_params` checks every parameter at the top of a notebook and either returns the
normalised values (canonical block names, indicator codes, a list of methods) or raises ``ValueError``
with a message that says what was wrong and what would be valid.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

LANGS = ("zh", "en")
BUNDLED_DATASETS = ("demo", "public", "cnipa")
# Used only when the analysis package cannot be imported (keeps this module importable on its own).
_FALLBACK_METHODS = ("cagr", "linear", "loglinear", "holt", "gm11", "ensemble")


@dataclass(frozen=True)
class NotebookParams:
    """Validated, normalised notebook parameters."""

    focus: str
    peers: tuple[str, ...]
    start_year: int
    end_year: int
    target_year: int
    indicators: tuple[str, ...]
    dataset: str
    methods: tuple[str, ...]
    gap_share: float | dict[str, float]
    lang: str

    @property
    def regions(self) -> list[str]:
        """Focus block first, then the peers."""
        return [self.focus, *self.peers]

    @property
    def years(self) -> list[int]:
        return list(range(self.start_year, self.end_year + 1))

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        return {k: list(v) if isinstance(v, tuple) else v for k, v in d.items()}


def known_methods() -> tuple[str, ...]:
    """Projection method names the analysis library accepts (methods plus 'ensemble')."""
    try:
        from liyang_ip.analysis import projection
    except ImportError:
        return _FALLBACK_METHODS
    methods = tuple(getattr(projection, "DEFAULT_METHODS", ()) or getattr(projection, "METHODS", ()))
    if "ensemble" not in methods:
        methods = (*methods, "ensemble")
    return methods or _FALLBACK_METHODS


def _listing(items: Iterable[str]) -> str:
    return ", ".join(items)


def _close(name: str, choices: Sequence[str], n: int = 3) -> list[str]:
    return difflib.get_close_matches(str(name), list(choices), n=n, cutoff=0.4)


def _as_list(value: Any, name: str) -> list | None:
    """None, a list, or a string (one item, or several separated by commas, 、 or semicolons, as a
    command line may give them; spaces are kept because English names contain them)."""
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("[") and text.endswith("]"):  # a JSON/YAML list passed as text
            text = text[1:-1].replace('"', " ").replace("'", " ")
        return [t.strip() for t in re.split(r"[,，、;；]+", text) if t.strip()]
    try:
        return list(value)
    except TypeError:
        raise ValueError(f"{name} must be a list (or None), got {value!r}") from None


def _as_year(value: Any, name: str) -> int:
    if isinstance(value, bool):
        raise ValueError(f"{name} must be a year such as 2020, got {value!r}")
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a year such as 2020, got {value!r}") from None
    if year != value and str(year) != str(value).strip():
        raise ValueError(f"{name} must be a whole year such as 2020, got {value!r}")
    if not 1949 <= year <= 2100:
        raise ValueError(f"{name}={year} is outside the plausible range 1949–2100")
    return year


def _block(text: Any, what: str, rset) -> str:
    blocks = rset.members
    try:
        name = rset.resolve(str(text))
    except KeyError:
        name = None
    if name not in blocks:
        kind = ""
        if name is not None:
            kind = (f" ({name} is the {rset.regions()[name].kind} of region set {rset.name!r}, not one of its "
                    f"{rset.count_phrase(lang='en')})")
        raise ValueError(f"unknown {what} {text!r}{kind}; valid {rset.unit_word('en', plural=True)} are: "
                         f"{_listing(blocks)}")
    return name


# Region sets already read per dataset, while `remembered_region_sets` is active (None otherwise).
_REGION_SET_MEMO: ContextVar[dict | None] = ContextVar("liyang_ip_region_set_memo", default=None)


@contextmanager
def remembered_region_sets():
    """Within the block, each dataset's region set is read once: checking the parameter sets of a
    national batch (thousands of sets, each validated group by group) would otherwise read the same
    dataset.yaml or division list thousands of times. Outside the block nothing is remembered, so a
    notebook that edits its dataset sees the change."""
    token = _REGION_SET_MEMO.set({})
    try:
        yield
    finally:
        _REGION_SET_MEMO.reset(token)


def _dataset_region_set(dataset: Any):
    """The first region set the dataset declares, or None (the default set) when it cannot be read here
    (the dataset parameter's own check below then says what is wrong)."""
    memo, key = _REGION_SET_MEMO.get(), str(dataset)
    if memo is not None and key in memo:
        return memo[key]
    try:
        from liyang_ip.data.build import declared_region_sets

        found = declared_region_sets(key)[0]
    except Exception:  # noqa: BLE001 - any unreadable dataset is reported by the dataset check
        found = None
    if memo is not None:
        memo[key] = found
    return found


def _indicator(text: Any) -> str:
    from liyang_ip import registry

    cat = registry.indicators()
    try:
        return registry.resolve_indicator(str(text))
    except KeyError:
        pass
    names = list(cat) + [i.name_zh for i in cat.values()]
    close = []
    for c in _close(str(text), names, n=4):
        code = c if c in cat else next(k for k, i in cat.items() if i.name_zh == c)
        label = f"{code} ({cat[code].name_zh})"
        if label not in close:
            close.append(label)
    hint = f"; did you mean {_listing(close)}?" if close else "."
    raise ValueError(
        f"unknown indicator {text!r}{hint} Valid indicators are the codes or Chinese names in "
        "liyang_ip/registry/indicators.yaml (e.g. invention_patents_per_10k / 每万人口发明专利拥有量)"
    )


def validate_params(
    focus: str | None = None,
    peers: Sequence[str] | None = None,
    start_year: int = 2015,
    end_year: int = 2020,
    target_year: int = 2025,
    indicators: Sequence[str] | None = None,
    dataset: str | Path = "demo",
    methods: Sequence[str] | None = None,
    gap_share: float | Mapping[str, float] = 0.5,
    lang: str = "zh",
    available_years: Iterable[int] | None = None,
    region_set: Any = None,
) -> NotebookParams:
    """Check the notebook parameters and return them normalised.

    Parameters
    ----------
    focus : str, optional
        A member of the region set (aliases and English names are accepted); default its first member.
    peers : list of str, optional
        Members to compare with; default all the others. The focus is dropped from the list.
    start_year, end_year : int
        The baseline period (inclusive); ``end_year`` must not be before ``start_year``.
    target_year : int
        Projection/target year; must be after ``end_year``.
    indicators : list of str, optional
        Codes, Chinese names or synonyms; default the plan's (``mission``) indicators.
    dataset : str or path
        A bundled dataset (demo, public, cnipa) or a path to an existing file or directory.
    methods : list of str, optional
        Projection methods (default all of them, see :func:`known_methods`).
    gap_share : float or mapping indicator → float
        Share of the gap to the benchmark a proposed target closes, 0 to :data:`MAX_GAP_SHARE`: 0 keeps
        the gap, 1 closes it, above 1 goes beyond the benchmark. A mapping sets it per indicator (codes or
        names as keys); indicators it leaves out use 0.5.
    lang : {'zh', 'en'}
        Language of labels and prose.
    available_years : iterable of int, optional
        Years the dataset has; when given, the period must lie within them.
    region_set : RegionSet, name or path, optional
        The geography focus and peers are members of; default the dataset's own (dataset.yaml
        ``region_set``), else the default set.

    Returns
    -------
    NotebookParams

    Raises
    ------
    ValueError
        Naming the parameter, the value and what would be valid.
    """
    from liyang_ip import registry

    # Language first: it is the simplest and other messages do not depend on it.
    if lang not in LANGS:
        raise ValueError(f"unknown lang {lang!r}; valid values are: {_listing(LANGS)}")

    if region_set is None:
        region_set = _dataset_region_set(dataset)
    try:
        rset = registry.region_set(region_set)
    except registry.RegionSetError as e:
        raise ValueError(f"region_set: {e}") from None
    focus_name = _block(focus if focus is not None else rset.members[0], "focus block", rset)
    peer_list = _as_list(peers, "peers")
    if peer_list is None:
        peer_names = [b for b in rset.members if b != focus_name]
    else:
        peer_names = []
        for p in peer_list:
            name = _block(p, "peer block", rset)
            if name != focus_name and name not in peer_names:
                peer_names.append(name)
        if not peer_names:
            raise ValueError(
                f"peers {peer_list!r} leave no block to compare {focus_name} with; give at least one of: "
                f"{_listing(b for b in rset.members if b != focus_name)} (or None for all the others)"
            )

    start = _as_year(start_year, "start_year")
    end = _as_year(end_year, "end_year")
    target = _as_year(target_year, "target_year")
    if end < start:
        raise ValueError(f"end_year {end} is before start_year {start}; the period must run forward")
    if end == start:
        raise ValueError(f"start_year and end_year are both {start}; the period needs at least two years")
    if target <= end:
        raise ValueError(
            f"target_year {target} is not after the data end year {end}; choose a year after {end} "
            f"(e.g. {end + 5})"
        )
    if available_years is not None:
        have = sorted({int(y) for y in available_years})
        if not have:
            raise ValueError("the dataset has no years at all; check the dataset parameter")
        if end < have[0] or start > have[-1]:
            raise ValueError(
                f"period {start}–{end} lies outside the dataset's years {have[0]}–{have[-1]}; "
                f"choose start_year ≥ {have[0]} and end_year ≤ {have[-1]}"
            )
        if start < have[0] or end > have[-1]:
            # Sparse real data rarely spans the whole plan period: go on and show the gap, never fill it.
            import warnings

            warnings.warn(
                f"period {start}–{end} reaches beyond the dataset's years {have[0]}–{have[-1]}; "
                "the years without data are shown as gaps",
                UserWarning,
                stacklevel=2,
            )

    ind_list = _as_list(indicators, "indicators")
    if ind_list is None:
        codes = list(registry.mission_indicators())
    else:
        if not ind_list:
            raise ValueError(
                "indicators is an empty list; give at least one indicator, or None for the plan's set"
            )
        codes = []
        for text in ind_list:
            code = _indicator(text)
            if code not in codes:
                codes.append(code)

    if isinstance(dataset, Path):
        dataset = str(dataset)
    if not isinstance(dataset, str) or not dataset.strip():
        raise ValueError(f"dataset must be a bundled dataset (demo, public, cnipa) or a path to a file/directory, got {dataset!r}")
    if dataset not in BUNDLED_DATASETS and not Path(dataset).expanduser().exists():
        raise ValueError(
            f"dataset {dataset!r} is neither a bundled dataset ({_listing(BUNDLED_DATASETS)}) nor an existing "
            "file or directory; give a path to a tidy CSV, an Excel template or a dataset directory"
        )

    valid_methods = known_methods()
    meth_list = _as_list(methods, "methods")
    if meth_list is None:
        meth_list = list(valid_methods)
    if not meth_list:
        raise ValueError(f"methods is empty; choose from: {_listing(valid_methods)}")
    out_methods: list[str] = []
    for m in meth_list:
        key = str(m).strip().lower()
        if key not in valid_methods:
            close = _close(key, valid_methods)
            hint = f" (did you mean {_listing(close)}?)" if close else ""
            raise ValueError(
                f"unknown projection method {m!r}{hint}; valid methods are: {_listing(valid_methods)}"
            )
        if key not in out_methods:
            out_methods.append(key)

    share = _gap_share(gap_share)

    return NotebookParams(
        focus=focus_name,
        peers=tuple(peer_names),
        start_year=start,
        end_year=end,
        target_year=target,
        indicators=tuple(codes),
        dataset=dataset,
        methods=tuple(out_methods),
        gap_share=share,
        lang=lang,
    )


#: Largest share of the gap a proposal may close: above 1 goes beyond the benchmark (the drafting note
#: wants some indicators "适当高于" the average); a value above this is surely a percentage typed as such.
MAX_GAP_SHARE = 3.0


def _one_share(value: Any, where: str) -> float:
    msg = f"{where} must be a number from 0 to {MAX_GAP_SHARE:g}, got {value!r}"
    if isinstance(value, bool):
        raise ValueError(msg)
    try:
        share = float(value)
    except (TypeError, ValueError):
        raise ValueError(msg) from None
    if not (0.0 <= share <= MAX_GAP_SHARE):  # also NaN
        hint = f" (for {share:g}% write {share / 100:g})" if MAX_GAP_SHARE < share <= 100 else ""
        raise ValueError(f"{where} {share:g} is outside [0, {MAX_GAP_SHARE:g}]{hint}: 0 keeps the gap, 1 closes "
                         "it, above 1 goes beyond the benchmark")
    return share


def _gap_share(value: Any) -> float | dict[str, float]:
    """One share for every indicator, or a mapping indicator → share (codes or names; the others 0.5)."""
    if isinstance(value, Mapping):
        if not value:
            raise ValueError("gap_share is an empty mapping; give a number, or {indicator: share, ...}")
        return {_indicator(k): _one_share(v, f"gap_share[{k!r}]") for k, v in value.items()}
    return _one_share(value, "gap_share")


#: Groups of parameters checked together by :func:`param_problems` (a check may need its partners).
PARAM_GROUPS = (("lang",), ("focus", "peers"), ("start_year", "end_year", "target_year"), ("indicators",),
                ("dataset",), ("methods",), ("gap_share",))
PARAM_NAMES = tuple(n for group in PARAM_GROUPS for n in group)


def param_problems(values: Mapping[str, Any], available_years: Iterable[int] | None = None
                   ) -> tuple[list[str], list[str]]:
    """Every problem of one parameter set, not only the first: ``(errors, warnings)``.

    Each group of :data:`PARAM_GROUPS` present in `values` is checked with :func:`validate_params`
    (the same messages the notebooks give), the others left at their defaults, so that a bad ``lang``
    does not hide a bad ``focus``. Names outside :data:`PARAM_NAMES` are ignored here (see
    :func:`unknown_names`). The period is checked against `available_years` when given: wholly
    outside is an error, partly beyond is a warning (the notebooks show those years as gaps).
    """
    import warnings

    errors: list[str] = []
    notes: list[str] = []
    years = None if available_years is None else sorted({int(y) for y in available_years})
    for group in PARAM_GROUPS:
        given = {k: values[k] for k in group if k in values}
        if not given:
            continue
        kwargs = dict(given)
        if "start_year" in group:
            kwargs["available_years"] = years
        if "peers" in given and "focus" not in given:
            kwargs["focus"] = values.get("focus")
        if "focus" in group and "dataset" in values:
            # focus and peers are members of the dataset's region set (validate_params finds it)
            kwargs["region_set"] = values.get("region_set") or _dataset_region_set(values["dataset"])
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                validate_params(**kwargs)
            except ValueError as e:
                errors.append(str(e))
            except TypeError as e:  # e.g. a mapping where a list belongs
                errors.append(f"{', '.join(given)}: {e}")
        notes += [str(w.message) for w in caught if issubclass(w.category, UserWarning)]
    return list(dict.fromkeys(errors)), list(dict.fromkeys(notes))


def unknown_names(names: Iterable[str], known: Iterable[str]) -> list[str]:
    """One message per name not in `known`, with the closest known names ("did you mean focus?")."""
    known = sorted(set(known))
    out = []
    for name in sorted(set(names) - set(known)):
        close = _close(name, known, n=2)
        hint = f"; did you mean {' or '.join(close)}?" if close else ""
        out.append(f"unknown parameter {name!r}{hint} The notebooks' parameters are: {_listing(known)}")
    return out


def data_defaults(given: Mapping[str, Any], years: Sequence[int] | None,
                  indicators: Sequence[str] | None) -> tuple[dict[str, Any], list[str]]:
    """Defaults that follow the data, for the parameters not in `given`: ``(values, explanation)``.

    * ``start_year``/``end_year``/``target_year``: the baseline of the latest plan preset whose last
      year the data reach (``registry/plans.yaml``: with data to 2025 the 15th plan's 2020→2025 and
      targets 2030; with data to 2022 the 14th plan's 2015→2020, targets 2025), its start moved up to
      the first year with data. When no preset fits (fewer than two years in its period), the data's
      own first and last year, with the target at the end of the plan after the last year.
    * ``indicators``: not set when the data have every one of the plan's indicators (catalogue
      ``mission``; the notebooks' default); otherwise the plan's indicators the data have followed by
      the data's other IP indicators (pillar not ``context``), or all the data's indicators when they
      have no IP indicator.

    Parameters
    ----------
    given : the parameters already chosen (never changed).
    years : years with data (e.g. the focus block's), or None when unknown: no year defaults then.
    indicators : indicator codes present in the data, or None when unknown.

    Returns
    -------
    (dict, list of str)
        The values to add and one line per choice saying why.
    """
    from liyang_ip import registry
    from liyang_ip.registry import plans

    out: dict[str, Any] = {}
    why: list[str] = []
    have = sorted({int(y) for y in years}) if years else []
    wanted = [k for k in ("start_year", "end_year", "target_year") if k not in given]
    if wanted and len(have) >= 2:
        first, last = have[0], have[-1]
        fixed = {k: int(given[k]) for k in ("start_year", "end_year", "target_year")
                 if k in given and isinstance(given[k], int) and not isinstance(given[k], bool)}
        chosen, label = None, ""
        for number in sorted(plans.plans(), reverse=True):
            try:
                pre = plans.preset(number)
            except ValueError:
                continue
            if any(pre[k] != v for k, v in fixed.items() if k != "start_year"):
                continue  # a preset must agree with the years the user chose
            start = fixed.get("start_year", max(pre["start_year"], first))
            if pre["end_year"] <= last and pre["end_year"] - start >= 1:
                chosen = {**pre, "start_year": start}
                label = f"plan {number} preset" + (f", start moved to {first}, the first year with data"
                                                   if start != pre["start_year"] and "start_year" not in fixed
                                                   else "")
                break
        if chosen is None:
            end = fixed.get("end_year", last)
            start = fixed.get("start_year", first if end - first >= 1 else end - 1)
            nxt = plans.plan_containing(end + 1)
            chosen = {"start_year": start, "end_year": end, "target_year": nxt.end if nxt else end + 5}
            label = "the years with data"
        # A given year wins; the preset fills only the others (and only consistently).
        for k in wanted:
            out[k] = chosen[k]
        why.append(f"{', '.join(f'{k} {out[k]}' for k in wanted)} (data {first}–{last}: {label})")
    if "indicators" not in given and indicators is not None:
        present = set(indicators)
        cat = registry.indicators()
        mission = list(registry.mission_indicators())
        if all(c in present for c in mission):
            why.append(f"indicators: the plan's {len(mission)}, all in the data")
        else:
            # The plan's indicators the data have, then the data's other IP indicators (not context).
            ip = [c for c in mission if c in present]
            ip += [c for c, i in cat.items() if c in present and c not in ip and i.pillar != "context"]
            chosen = ip or [c for c in cat if c in present]
            if chosen:
                out["indicators"] = chosen
                kind = "IP indicators" if ip else "indicators (none of them IP indicators)"
                why.append(f"indicators: the {len(chosen)} {kind} the data have ({', '.join(chosen)}); "
                           f"{sum(c in present for c in mission)} of the plan's {len(mission)}")
    return out, why


def apply_plan_preset(params: dict[str, Any], plan: int | str | None = None) -> dict[str, Any]:
    """A parameter set with a plan preset filled in beneath it (a new dict).

    The preset (``liyang_ip.registry.plans.preset``: start_year, end_year, target_year) comes from
    `plan` or, when that is None, from a ``plan`` key in `params` (which is removed: notebooks have no
    such parameter). Parameters already in `params` win over the preset.

    Raises
    ------
    ValueError
        For an unknown plan, naming the valid ones.
    """
    out = dict(params)
    chosen = out.pop("plan", None) if plan is None else plan
    out.pop("plan", None)
    if chosen is None:
        return out
    from liyang_ip.registry import plans

    return {**plans.preset(chosen), **out}


__all__ = ["LANGS", "PARAM_NAMES", "NotebookParams", "apply_plan_preset", "data_defaults", "known_methods",
           "param_problems", "unknown_names", "validate_params"]
