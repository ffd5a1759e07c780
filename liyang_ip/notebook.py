"""The set-up every notebook shares, as one call.

A notebook's first cell holds the papermill parameters; its set-up cell is then::

    from liyang_ip.notebook import setup

    ctx = setup(focus=focus, peers=peers, start_year=start_year, end_year=end_year,
                target_year=target_year, indicators=indicators, dataset=dataset, methods=methods,
                gap_share=gap_share, lang=lang)
    p, ds, obs, coverage = ctx.p, ctx.ds, ctx.obs, ctx.coverage

`setup` validates the parameters (clear ``ValueError`` naming the parameter and what would be valid),
loads the dataset, checks the period against the dataset's years (a period reaching beyond them warns
and the missing years show as gaps), applies the chart style and prints the two status lines the report
exporter reads for its cover ("数据状态：…" / "Data status: …", then the parameters line).

A researcher's own notebook can pass only what it needs (``setup(focus="金坛区")``): every other
parameter takes the default of :func:`liyang_ip.params.validate_params`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover - typing only
    import pandas as pd

    from liyang_ip.data import Dataset
    from liyang_ip.params import NotebookParams


@dataclass(frozen=True)
class Context:
    """What the notebook cells work with after :func:`setup`.

    Attributes
    ----------
    p : NotebookParams
        The validated, normalised parameters (canonical block names, indicator codes, methods).
    ds : Dataset
        The loaded dataset (observations, sources, targets, coverage, conflicts, warnings).
    obs : pandas.DataFrame
        ``ds.observations``: the tidy table (region, year, indicator, value, unit, status, …).
    coverage : pandas.DataFrame
        Coverage of the selection (the parent and the chosen members × the chosen indicators × the period's
        years), one row per region × indicator with ``years_covered``, ``years_total`` and ``share``.
    """

    p: NotebookParams
    ds: Dataset
    obs: pd.DataFrame
    coverage: pd.DataFrame

    @property
    def lang(self) -> str:
        return self.p.lang

    @property
    def is_demo(self) -> bool:
        return bool(self.ds.is_demo)

    @property
    def region_set(self):
        """The dataset's region set: parent, members, unit word (see liyang_ip.registry.regionsets)."""
        return self.ds.region_set

    def status_lines(self) -> list[str]:
        """The data-status line and the parameters line, in the notebook's language."""
        from liyang_ip import narrative

        return [
            narrative.status_line(self.ds.name, self.ds.is_demo, self.coverage, self.p.lang),
            narrative.params_line(self.p, self.p.lang, region_set=self.ds.region_set),
        ]


def setup(*, style: bool = True, quiet: bool = False, **params: Any) -> Context:
    """Validate the notebook parameters, load the dataset, apply the chart style, print the status.

    Parameters
    ----------
    style : bool
        Apply the house chart style (fonts with CJK glyphs, sizes) to matplotlib globally, and show
        figures as SVG when running in a notebook.
    quiet : bool
        Do not print the status lines (they are still available as ``ctx.status_lines()``).
    **params
        The notebook parameters (focus, peers, start_year, end_year, target_year, indicators, dataset,
        methods, gap_share, lang); any left out take :func:`liyang_ip.params.validate_params`'s default.

    Returns
    -------
    Context
        ``p``, ``ds``, ``obs`` and ``coverage``.

    Raises
    ------
    ValueError
        A parameter is invalid (the message names it and says what would be valid), or the period lies
        wholly outside the dataset's years. An unknown parameter name raises ``TypeError``.
    """
    import warnings

    import pandas as pd

    from liyang_ip.data import load_dataset
    from liyang_ip.params import validate_params

    # Wide pivots in the analysis modules trigger this pandas warning; it says nothing to a reader.
    warnings.filterwarnings("ignore", category=pd.errors.PerformanceWarning)
    p = validate_params(**params)
    ds = load_dataset(p.dataset)
    p = validate_params(**p.as_dict(), available_years=ds.years, region_set=ds.region_set)
    if style:
        from liyang_ip import charts

        charts.use_style()
        charts.inline_svg()  # vector figures for screen and print
    coverage = ds.coverage_of(list(p.indicators), [ds.region_set.parent, *p.regions], p.years)
    ctx = Context(p=p, ds=ds, obs=ds.observations, coverage=coverage)
    if not quiet:
        for line in ctx.status_lines():
            print(line)
    return ctx


__all__ = ["Context", "setup"]
