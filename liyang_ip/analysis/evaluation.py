"""Evaluation of a plan's targets: 年度监测 (annual monitoring), 中期评估 (mid-term), 终期评估 (final).

For each target of a region (``targets``: ``region, indicator, year, value`` and optionally ``attribute``
(属性 预期性/约束性), ``basis`` (``level`` or ``cumulative``), ``source``/``source_id``), compare the latest
actual figure with the path from the base value to the target.

Definitions (B = base year, the year before the plan's first year; T = target year; L = latest year with a
figure, B < L ≤ evaluation year):

* 时序进度 (time share) τ = (L − B) / (T − B): share of the plan's years that have passed.
* 目标进度 (progress) π:
  - ``level`` targets (stocks, ratios, and flows whose target is the value in year T):
    π = (x_L − x_B) / (target − x_B), the share of the planned change achieved. The formula holds for
    lower-is-better indicators too (both differences are negative).
  - ``cumulative`` targets (a flow summed over the plan's years, "累计"): π = Σ_{y=B+1..L} x_y / target.
    Every year from B+1 to L must be present; a gap gives no progress (never filled).
* pace = π / τ; the status compares it with the thresholds (parameters, default
  :data:`DEFAULT_THRESHOLDS`): pace ≥ 1.10 → 超额完成 (exceeded), ≥ 1.00 → 完成 (met), ≥ 0.90 → 基本完成
  (nearly met), below → 滞后 (behind); no latest figure, no base figure (``level``) or a gap
  (``cumulative``) → 无数据 (no data). At the end of the plan τ = 1, so pace is the completion rate.
  Before the end, the labels of the same codes read as progress (超前 / 符合进度 / 基本符合进度 / 滞后).
* A target that asks for no change or for less than the base (in the indicator's good direction) is a
  "maintain" target: met when the latest value is at least as good as the target, else behind; π is NaN.
* required growth: the compound annual growth (%/yr) from x_L to the target over T − L years
  (``level``); for ``cumulative`` targets the amount still needed per remaining year (unit/yr).
* For a finished plan (L = T), the projection made at its start: :func:`~liyang_ip.analysis.projection.project`
  fitted on the ``fit_years`` years up to B only, read at T (cumulative: summed over B+1…T), against the
  outturn; error in % of the outturn.

Estimated figures (预计: status ``estimate``, or a note beginning with "预计", as the demo data marks its
latest year) are flagged in ``latest_estimate``/``base_estimate``, so tables can mark them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from liyang_ip.data.schema import ESTIMATE_MARK, estimate_mask

from ._common import check_obs, polarity_map, series, source_column
from .projection import DEFAULT_METHODS, project

#: Pace thresholds (progress / time share) for the status codes, highest first.
DEFAULT_THRESHOLDS: dict[str, float] = {"exceeded": 1.10, "met": 1.00, "nearly": 0.90}

STATUS_CODES = ("exceeded", "met", "nearly", "behind", "no_data")

def _say(key: str, lang: str, **values) -> str:
    """Wording from liyang_ip/wording/<lang>.yaml (status words, notes): no report text in this module."""
    from liyang_ip import wording

    return wording.render(key, "en" if lang == "en" else "zh", **values)


def evaluation_kind(base_year: int, target_year: int, eval_year: int) -> str:
    """'final' (evaluation year ≥ target year), 'midterm' (the middle year, rounded up, e.g. 2023 for
    2020→2025) or 'annual'."""
    if eval_year >= target_year:
        return "final"
    if eval_year == base_year + math.ceil((target_year - base_year) / 2):
        return "midterm"
    return "annual"


def evaluation_kind_label(kind: str, lang: str = "zh") -> str:
    """'终期评估' / 'final evaluation', etc. (wording key ``evaluation.kind.<kind>``)."""
    return _say(f"evaluation.kind.{kind}", lang)


def status_label(code: str, final: bool = True, lang: str = "zh") -> str:
    """Display of a status code: '超额完成' … (final) or '超前' … (before the end of the plan); wording keys
    ``evaluation.status.final.<code>`` / ``evaluation.status.interim.<code>``."""
    return _say(f"evaluation.status.{'final' if final else 'interim'}.{code}", lang)


def classify(pace: float, thresholds: Mapping[str, float] | None = None) -> str:
    """Status code for a pace (progress / time share); NaN → 'no_data'."""
    th = {**DEFAULT_THRESHOLDS, **(thresholds or {})}
    if not (th["exceeded"] >= th["met"] >= th["nearly"]):
        raise ValueError(f"thresholds must satisfy exceeded ≥ met ≥ nearly, got {th}")
    if pace is None or not np.isfinite(pace):
        return "no_data"
    if pace >= th["exceeded"]:
        return "exceeded"
    if pace >= th["met"]:
        return "met"
    if pace >= th["nearly"]:
        return "nearly"
    return "behind"


def _flags(obs: pd.DataFrame, region: str, code: str) -> pd.Series:
    rows = obs[(obs["region"] == region) & (obs["indicator"] == code)]
    return pd.Series(estimate_mask(rows).to_numpy(), index=rows["year"].astype(int).to_numpy())


def _projection_at_start(s: pd.Series, base_year: int, target_year: int, fit_years: int, methods, use,
                         cumulative: bool) -> tuple[float, str]:
    try:
        p = project(s.loc[:base_year], methods=methods, fit_start=base_year - fit_years, fit_end=base_year,
                    horizon_end=target_year)
    except ValueError as err:
        return np.nan, str(err)
    p = p[p["method"] == use]
    if cumulative:
        vals = p[(p["year"] > base_year) & (p["year"] <= target_year)]["value"]
        return (float(vals.sum()) if vals.notna().all() else np.nan), ""
    v = p[p["year"] == target_year]["value"]
    return (float(v.iloc[0]) if len(v) else np.nan), (str(p["note"].iloc[-1]) if len(p) else "")


def evaluate_targets(
    obs: pd.DataFrame,
    targets: pd.DataFrame,
    region: str,
    base_year: int,
    target_year: int | None = None,
    eval_year: int | None = None,
    thresholds: Mapping[str, float] | None = None,
    polarity: Mapping[str, int] | None = None,
    methods: Sequence[str] = DEFAULT_METHODS,
    fit_years: int = 5,
    lang: str = "zh",
) -> pd.DataFrame:
    """Evaluate one region's plan targets at an evaluation year (definitions in the module docstring).

    Parameters
    ----------
    obs : DataFrame
        Tidy observations (``region, year, indicator, value[, status, note]``).
    targets : DataFrame
        ``region, indicator, year, value`` and optional ``attribute``, ``basis`` (``level`` default or
        ``cumulative``), ``unit``, ``source``/``source_id``. Only rows of `region` (and `target_year`
        when given) are evaluated.
    region : str
        The region whose targets are evaluated.
    base_year : int
        基期: the year the targets were set against (the year before the plan's first year).
    target_year : int, optional
        Evaluate only targets for this year (default every target year after `base_year`).
    eval_year : int, optional
        Latest year to use (default: the target year, i.e. the last figure up to it). Any year after
        `base_year` works: inside the plan it is monitoring, at or after its end the final evaluation.
    thresholds : mapping, optional
        Pace thresholds ``exceeded``, ``met``, ``nearly`` (default :data:`DEFAULT_THRESHOLDS`).
    polarity : mapping, optional
        +1 / −1 per indicator; default from the catalogue.
    methods, fit_years :
        Projection made at the plan's start (ensemble when in `methods`), fitted on the `fit_years`
        years up to `base_year`.
    lang : {'zh', 'en'}
        Language of ``status_label`` and ``note``.

    Returns
    -------
    DataFrame
        One row per target: ``region, indicator, attribute, basis, unit, base_year, base_value,
        base_estimate, target_year, target, latest_year, latest_value, latest_estimate, cumulative (sum
        B+1…L for cumulative targets), time_share (%), progress (%), pace, required_growth (%/yr, level),
        required_per_year (unit/yr, cumulative), status, status_label, projected_at_start,
        projection_error (%), source, note``. Missing figures give NaN and a note, never a filled value.
    """
    check_obs(obs)
    need = {"region", "indicator", "year", "value"}
    if missing := need - set(targets.columns):
        raise ValueError(f"targets lack column(s) {sorted(missing)}; expected region, indicator, year, value")
    sel = targets[targets["region"] == region]
    sel = sel[sel["year"].astype(int) > int(base_year)]
    if target_year is not None:
        sel = sel[sel["year"].astype(int) == int(target_year)]
    pol = polarity_map(sel["indicator"].unique(), polarity)
    use = "ensemble" if "ensemble" in methods else methods[0]
    sources = source_column(sel) if len(sel) else pd.Series(dtype=str)
    rows = []
    for t, src in zip(sel.to_dict("records"), sources, strict=True):
        code, ty, target = t["indicator"], int(t["year"]), float(t["value"])
        ey = int(eval_year) if eval_year is not None else ty
        basis = str(t.get("basis") or "level").strip() or "level"
        if basis not in ("level", "cumulative"):
            raise ValueError(f"target {region}/{code}/{ty}: basis {basis!r} must be 'level' or 'cumulative'")
        cum_basis = basis == "cumulative"
        s = series(obs, region, code)
        est = _flags(obs, region, code)
        notes: list[str] = []
        bv = float(s.get(base_year, np.nan))
        window = s[(s.index > base_year) & (s.index <= min(ey, ty))]
        ly = int(window.index[-1]) if len(window) else None
        lv = float(window.iloc[-1]) if len(window) else np.nan
        row = {
            "region": region, "indicator": code, "attribute": str(t.get("attribute") or ""),
            "basis": basis, "unit": str(t.get("unit") or ""), "base_year": int(base_year), "base_value": bv,
            "base_estimate": bool(est.get(base_year, False)), "target_year": ty, "target": target,
            "latest_year": ly, "latest_value": lv, "latest_estimate": bool(est.get(ly, False)) if ly else False,
            "cumulative": np.nan, "time_share": np.nan, "progress": np.nan, "pace": np.nan,
            "required_growth": np.nan, "required_per_year": np.nan, "status": "no_data",
            "projected_at_start": np.nan, "projection_error": np.nan, "source": src,
        }
        if not cum_basis and np.isnan(bv):
            notes.append(_say("evaluation.note.no_base", lang, year=base_year))
        if ly is None:
            notes.append(_say("evaluation.note.no_latest", lang, start=base_year + 1, end=min(ey, ty)))
        else:
            if row["latest_estimate"]:
                notes.append(_say("evaluation.note.estimate", lang))
            tau = (ly - base_year) / (ty - base_year)
            row["time_share"] = tau * 100
            remaining = ty - ly
            progress = np.nan
            if cum_basis:
                gaps = [y for y in range(base_year + 1, ly + 1) if y not in s.index]
                if gaps:
                    notes.append(_say("evaluation.note.gap", lang, years=[str(y) for y in gaps]))
                else:
                    done = float(s.loc[base_year + 1:ly].sum())
                    row["cumulative"] = done
                    progress = done / target if target else np.nan
                    if remaining > 0:
                        row["required_per_year"] = (target - done) / remaining
            elif np.isfinite(bv):
                if pol[code] * (target - bv) <= 0:  # maintain target
                    notes.append(_say("evaluation.note.maintain", lang))
                    row["status"] = "met" if pol[code] * (lv - target) >= 0 else "behind"
                else:
                    progress = (lv - bv) / (target - bv)
                if remaining > 0 and lv > 0 and target > 0:
                    row["required_growth"] = ((target / lv) ** (1 / remaining) - 1) * 100
            if np.isfinite(progress):
                row["progress"] = progress * 100
                row["pace"] = progress / tau
                row["status"] = classify(row["pace"], thresholds)
            if ly == ty:
                proj, why = _projection_at_start(s, int(base_year), ty, fit_years, methods, use, cum_basis)
                if np.isfinite(proj):
                    outturn = row["cumulative"] if cum_basis else lv
                    row["projected_at_start"] = proj
                    if np.isfinite(outturn) and outturn:
                        row["projection_error"] = (proj - outturn) / abs(outturn) * 100
                elif why:
                    notes.append(_say("evaluation.note.not_projected", lang))
        # final wording only when the target year's own figure is in (a 2024 figure at the end of a plan
        # ending 2025 is still progress)
        row["status_label"] = status_label(row["status"], final=(ly == ty) if ly else ey >= ty, lang=lang)
        sep = _say("evaluation.note.separator", lang) + (" " if lang == "en" else "")  # templates are stripped
        row["note"] = sep.join(notes)
        rows.append(row)
    cols = ["region", "indicator", "attribute", "basis", "unit", "base_year", "base_value", "base_estimate",
            "target_year", "target", "latest_year", "latest_value", "latest_estimate", "cumulative",
            "time_share", "progress", "pace", "required_growth", "required_per_year", "status", "status_label",
            "projected_at_start", "projection_error", "source", "note"]
    out = pd.DataFrame(rows, columns=cols)
    out["latest_year"] = out["latest_year"].astype("Int64")
    return out


def status_counts(evaluation: pd.DataFrame) -> dict[str, int]:
    """How many targets have each status code (every code present, zero included)."""
    counts = evaluation["status"].value_counts() if len(evaluation) else pd.Series(dtype=int)
    return {c: int(counts.get(c, 0)) for c in STATUS_CODES}


__all__ = [
    "DEFAULT_THRESHOLDS",
    "ESTIMATE_MARK",
    "STATUS_CODES",
    "classify",
    "estimate_mask",
    "evaluate_targets",
    "evaluation_kind",
    "evaluation_kind_label",
    "status_counts",
    "status_label",
]
