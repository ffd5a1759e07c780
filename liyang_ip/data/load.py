"""What analyses and notebooks call: `load_dataset` returns the processed tables of one dataset."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .schema import Issue, issues_frame, issues_from_frame


@dataclass
class Dataset:
    """One dataset's tables: what a build produces in memory (`build.build`) and what `load_dataset`
    returns (a processed build read back, a build in memory, or one partition of a national panel).

    ``issues`` are the build's messages (`schema.Issue`: severity, file, row, field, value, message; for a
    processed build read back from its issues.csv, for a national partition none); ``errors`` and
    ``warnings`` are views of them. ``metadata`` is what metadata.json holds (name, years, region sets,
    fingerprint, counts).
    """

    name: str
    observations: pd.DataFrame
    sources: pd.DataFrame
    targets: pd.DataFrame
    coverage: pd.DataFrame
    coverage_summary: pd.DataFrame
    conflicts: pd.DataFrame
    issues: list[Issue] = field(default_factory=list)
    metadata: dict = field(default_factory=dict)

    def __post_init__(self):
        # Analyses and charts called without a region_set use the dataset's (see analysis._common).
        try:
            self.observations.attrs["region_set"] = self.region_set.spec
        except (OSError, ValueError):  # a set file gone since the build: analyses fall back to the default
            pass

    @property
    def is_demo(self) -> bool:
        """True when any figure is synthetic demo data (then every output must say so)."""
        return bool((self.observations["status"] == "demo").any())

    @property
    def status_label(self) -> str:
        """Demo data or real data with the count of figures by status, in Chinese and English
        ("中文 / English", for manifests read in either language); words from the wording files
        (``data_status.label``)."""
        return " / ".join(self.status_label_in(lang) for lang in ("zh", "en"))

    def status_label_in(self, lang: str = "zh") -> str:
        """:attr:`status_label` in one language: 演示数据（合成，非真实统计） or 公开数据（official 5, …）."""
        from .. import wording

        counts = self.observations["status"].value_counts()
        return wording.render("data_status.label", "en" if lang == "en" else "zh", is_demo=self.is_demo,
                              statuses=", ".join(f"{k} {v}" for k, v in counts.items()))

    @property
    def errors(self) -> list[Issue]:
        """The issues of severity error (a dataset with any is not written, nor loaded)."""
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> pd.DataFrame:
        """Validation warnings (and errors) of the build as a table (columns `schema.ISSUE_COLUMNS`),
        without the informational lines (encodings)."""
        return issues_frame([i for i in self.issues if i.severity != "info"])

    @property
    def region_sets(self) -> list:
        """The dataset's region sets (dataset.yaml ``region_set``; the default set when it names none)."""
        from ..registry.regionsets import region_set_list

        specs = []
        for entry in self.metadata.get("region_sets") or []:
            if entry.get("bundled"):
                specs.append(entry["name"])
            else:
                p = Path(entry["path"])
                if not p.is_absolute():
                    from .build import project_root

                    p = project_root() / p
                specs.append(str(p))
        return region_set_list(specs or None)

    @property
    def region_set(self):
        """The dataset's main region set (the first one): parent, members, unit word, name resolution."""
        return self.region_sets[0]

    @property
    def years(self) -> list[int]:
        return sorted(self.observations["year"].unique().tolist())

    def panel(self, indicator: str, regions: list[str] | None = None, years: list[int] | None = None) -> pd.DataFrame:
        """Wide table of one indicator: index year, columns region (NaN where missing; never filled)."""
        obs = self.observations[self.observations.indicator == indicator]
        wide = obs.pivot_table(index="year", columns="region", values="value", aggfunc="first")
        if not regions:
            rset = self.region_set
            regions = [r for r in [rset.parent, *rset.members] if r in wide.columns]
        years = years or (list(range(int(wide.index.min()), int(wide.index.max()) + 1)) if len(wide) else [])
        return wide.reindex(index=pd.Index(years, name="year"), columns=regions)

    def coverage_of(self, indicators: list[str] | None = None, regions: list[str] | None = None,
                    years: list[int] | None = None) -> pd.DataFrame:
        """Coverage table (region × indicator: years with a figure / years asked) for a selection."""
        from .build import coverage

        _, summary = coverage(self.observations, regions, indicators, years, region_set=self.region_set)
        return summary


def load_dataset(dataset: str | Path = "demo", processed_root: str | Path | None = None,
                 region_set=None) -> Dataset:
    """Load a processed dataset: 'demo' (default), 'public', 'cnipa', a path to a user's file or directory,
    or a processed dataset directory (``data build --out X`` → ``X/<name>``, read as it is), or one
    partition of a national panel (``ROOT/parent=CODE``, see :mod:`~liyang_ip.data.national`).

    `region_set` (a bundled name, a path to a region-set YAML file, or a list) overrides the dataset's own
    (dataset.yaml ``region_set``); such a dataset is built in memory.

    Bundled datasets are read from data/processed/<name>/ when that build is current (its fingerprint
    matches the raw files and it was made by the current build code and registries); otherwise, and for user paths, the dataset is built in memory (nothing is
    written). A dataset with errors raises `build.BuildError` listing file, row and field.
    """
    from . import build as _build

    spec = str(dataset)
    src = _build.resolve_source(spec)
    if spec in _build.BUNDLED and region_set is None:
        root = Path(processed_root) if processed_root else _build.project_root() / "data" / "processed"
        d = root / spec
        meta_path = d / "metadata.json"
        if meta_path.exists():
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            if meta.get("fingerprint") == _build.fingerprint(src) and meta.get("builder") == _build.builder_hash():
                return _read_processed(d, meta)
    from .national import is_partition, read_partition

    if is_partition(src):  # one partition of a national panel: one pack's unit, siblings and parent
        if region_set is not None:
            from .spec import DatasetSpecError

            raise DatasetSpecError(str(src), "a national panel partition's region set is its division "
                                          f"({src.name.replace('parent=', 'division:')}); it cannot be overridden",
                                          field="region_set")
        return read_partition(src)
    if _build.is_processed(src) and region_set is None:
        meta = json.loads((src / "metadata.json").read_text(encoding="utf-8"))
        return _read_processed(src, meta)
    built = _build.build(src, name=spec if spec in _build.BUNDLED else None, region_set=region_set)
    if built.errors:
        raise _build.BuildError(built.issues)
    return built


def _read_processed(d: Path, meta: dict) -> Dataset:
    from ..fsutil import restore_cell

    def csv(name, **kw):
        p = d / name
        if not p.exists():
            return pd.DataFrame()
        df = pd.read_csv(p, keep_default_na=False, na_values=[""], **kw)
        for c in df.columns:  # undo the CSV-injection guard of `build.write`
            if pd.api.types.is_object_dtype(df[c]) or pd.api.types.is_string_dtype(df[c]):
                df[c] = df[c].map(restore_cell)
        return df

    obs = pd.read_parquet(d / "observations.parquet")
    for c in ("note", "quote", "source_id", "unit"):
        obs[c] = obs[c].fillna("")
    targets = csv("targets.csv")
    for c in ("unit", "status", "source_id", "note", "attribute"):
        if c in targets.columns:
            targets[c] = targets[c].fillna("").astype(str)
    return Dataset(meta["name"], obs, csv("sources.csv"), targets, csv("coverage.csv"),
                   csv("coverage_summary.csv"), csv("conflicts.csv"), issues_from_frame(csv("issues.csv", dtype=str)),
                   meta)
