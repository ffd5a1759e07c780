"""What `liyang-ip run` checks before any kernel starts, and the defaults it takes from the data.

Every parameter set of a run is checked against the notebooks' declared parameters and against the
dataset it names: unknown parameter names (with the closest known name), unknown blocks, indicators
or methods, reversed years, a period outside the data, ``gap_share``, ``lang``, a dataset that cannot
be loaded. All problems of all sets are collected, so that one run of the command lists them all.

Parameters a set does not give and that the data decide (the period, the indicators) are filled from
the dataset (see :func:`liyang_ip.params.data_defaults`) and said on the command line.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: A batch larger than this (parameter sets × notebooks) needs --yes.
MAX_JOBS_WITHOUT_CONFIRMATION = 500


@dataclass
class Checked:
    """Parameter sets with data-following defaults filled in (one per given set, same order), and what
    the checks found."""

    sets: list[dict]
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    chosen: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def notebook_parameters(notebooks: Sequence[Path]) -> tuple[set[str], dict[str, Any]]:
    """(names any notebook declares, defaults all declaring notebooks agree on)."""
    from .runner import parameter_defaults, read_notebook

    names: set[str] = set()
    values: dict[str, list] = {}
    for nb_path in notebooks:
        try:
            defaults = parameter_defaults(read_notebook(nb_path))
        except Exception:  # noqa: BLE001 - an unreadable notebook fails its own job, with the reason
            continue
        names |= set(defaults)
        for k, v in defaults.items():
            values.setdefault(k, []).append(v)
    agreed = {k: vs[0] for k, vs in values.items() if all(v == vs[0] for v in vs)}
    return names, agreed


def _label(s: Mapping, i: int, n: int) -> str:
    if n == 1:
        return ""
    return f"set {i + 1} ({s.get('focus', '?')}): "


def _group(messages: list[tuple[str, str]], n_sets: int) -> list[str]:
    """Messages said once, with the sets they concern ('sets 1, 3') when they differ between sets."""
    by_text: dict[str, list[str]] = {}
    for label, text in messages:
        by_text.setdefault(text, []).append(label)
    out = []
    for text, labels in by_text.items():
        labels = [lb for lb in labels if lb]
        if not labels or len(labels) == n_sets:
            out.append(text)
        elif len(labels) == 1:
            out.append(f"{labels[0]}{text}")
        else:
            shown = ", ".join(lb.rstrip(": ") for lb in labels[:6]) + (", …" if len(labels) > 6 else "")
            out.append(f"{shown}: {text}")
    return out


def check_sets(sets: Sequence[dict], notebooks: Sequence[Path], datasets: Mapping[str, dict]) -> Checked:
    """Fill data-following defaults into each set and check every set; see the module docstring.

    Parameters
    ----------
    sets : parameter sets as built from the command line and parameters file (focus resolved,
        dataset resolved to ``demo``/``public`` or an absolute path).
    notebooks : the notebooks of the run (their ``parameters`` cells say which names exist).
    datasets : ``runner.dataset_info`` per dataset spec (with ``years``, ``indicators``,
        ``region_years``; ``error`` when it could not be loaded).
    """
    from liyang_ip.params import remembered_region_sets

    with remembered_region_sets():  # one read of each dataset's region set, not one per set and group
        return _check_sets(sets, notebooks, datasets)


def _check_sets(sets: Sequence[dict], notebooks: Sequence[Path], datasets: Mapping[str, dict]) -> Checked:
    from liyang_ip.params import PARAM_NAMES, data_defaults, param_problems, unknown_names

    declared, nb_defaults = notebook_parameters(notebooks)
    errors: list[tuple[str, str]] = []
    notes: list[tuple[str, str]] = []
    chosen: list[tuple[str, str]] = []
    out_sets = []
    n = len(sets)
    for i, s in enumerate(sets):
        label = _label(s, i, n)
        key = str(s.get("dataset") or "demo")
        info = datasets.get(key) or {}
        if declared:
            errors += [(label, m) for m in unknown_names(s, declared)]
        if info.get("error"):
            errors.append((label, f"dataset {key}: {info['error']}"))
        focus = s.get("focus")
        region_years = (info.get("region_years") or {}).get(str(focus)) if focus else None
        years_all = info.get("years")
        span = region_years or years_all
        filled = dict(s)
        if not info.get("error"):
            years = list(range(span[0], span[1] + 1)) if span else None
            add, why = data_defaults(s, years, info.get("indicators"))
            # Only parameters the notebooks have, and only where the data change the notebooks' default.
            add = {k: v for k, v in add.items() if k in declared and nb_defaults.get(k, object()) != v}
            filled.update(add)
            where = f"{focus} in {Path(key).name}" if focus else Path(key).name
            chosen += [(label, f"defaults from the data ({where}): {w}") for w in why]
        merged = {**{k: v for k, v in nb_defaults.items() if k in PARAM_NAMES}, **filled}
        merged = {k: v for k, v in merged.items() if k in PARAM_NAMES}
        avail = list(range(years_all[0], years_all[1] + 1)) if years_all and not info.get("error") else None
        errs, warns = param_problems(merged, available_years=avail)
        errors += [(label, e) for e in errs]
        notes += [(label, w) for w in warns]
        if not info.get("error") and info.get("region_years") is not None and focus \
                and str(focus) not in info["region_years"]:
            notes.append((label, f"{focus} has no figures in dataset {Path(key).name}: its values show as gaps"))
        given_ind = s.get("indicators")
        if isinstance(given_ind, list | tuple) and info.get("indicators") is not None and not errs:
            from liyang_ip import registry

            absent = []
            for text in given_ind:
                try:
                    code = registry.resolve_indicator(str(text))
                except KeyError:
                    continue
                if code not in info["indicators"]:
                    absent.append(code)
            if absent:
                notes.append((label, f"no figures for {', '.join(absent)} in dataset {Path(key).name}: "
                                     "shown as gaps"))
        out_sets.append(filled)
    return Checked(sets=out_sets, errors=_group(errors, n), warnings=_group(notes, n),
                   chosen=_group(chosen, n))


def too_many_jobs(n_sets: int, n_notebooks: int, cap: int = MAX_JOBS_WITHOUT_CONFIRMATION) -> str | None:
    """The message when a batch needs ``--yes``, else None."""
    total = n_sets * n_notebooks
    if total <= cap:
        return None
    return (f"{total} notebook runs ({n_sets} parameter sets × {n_notebooks} notebooks) is more than {cap}; "
            "check the grid, then add --yes to run them all")
