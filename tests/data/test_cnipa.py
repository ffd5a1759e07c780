"""The bundled `cnipa` dataset reproduces CNIPA's published figures and keeps their meaning apart."""

import csv
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from liyang_ip import registry
from liyang_ip.analysis import benchmark
from liyang_ip.data import build as B

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "data" / "raw" / "cnipa"


@pytest.fixture(scope="module")
def cnipa():
    built = B.build("cnipa")
    assert built.errors == []
    return built


def value(obs, region, indicator, year):
    sel = obs[(obs.region == region) & (obs.indicator == indicator) & (obs.year == year)]
    assert len(sel) == 1, (region, indicator, year)
    return float(sel.value.iloc[0])


def test_published_figures(cnipa):
    obs = cnipa.observations
    # Table 6-4 of the 2023 yearbook: 江苏 5500 / 6986 / 6547; the domestic subtotal 51893 / 69115 / 68780.
    assert [value(obs, "江苏省", "pct_applications", y) for y in (2018, 2022, 2023)] == [5500, 6986, 6547]
    assert [value(obs, "全国", "pct_applications", y) for y in (2018, 2022, 2023)] == [51893, 69115, 68780]
    # 2009 yearbook, domestic patents in force: 全国总计 180042 558791 454277 1193110.
    assert value(obs, "全国", "invention_patents_held", 2009) == 180042
    assert value(obs, "全国", "patents_in_force", 2009) == 1193110
    assert value(obs, "南京市", "invention_patents_held", 2009) == 4926


def test_every_value_is_in_its_quote_and_has_a_source(cnipa):
    obs, sources = cnipa.observations, cnipa.sources
    assert set(obs.status) == {"official"} and not cnipa.metadata["is_demo"]
    for r in obs.itertuples():
        assert f"{r.value:.0f}" in r.quote, (r.region, r.indicator, r.year)
    assert set(obs.source_id) <= set(sources.source_id)
    assert sources.url.str.startswith("http").all() and (sources.priority == 1).all()


def test_provinces_plus_taiwan_hongkong_macao_equal_the_printed_domestic_subtotal(cnipa):
    """31 provinces + 台湾/香港/澳门 = 国内小计 in 2022 and 2023; in 2018 the printed subtotal is one more
    than its rows (a source-side difference), reported as a conflict, the printed figure kept."""
    obs = cnipa.observations
    china = registry.region_set("china")
    pct = obs[obs.indicator == "pct_applications"].pivot(index="region", columns="year", values="value")
    parts = pct.loc[china.total_of]
    assert len(parts) == 34 and not parts.isna().any().any()
    assert parts[2022].sum() == 69115 and parts[2023].sum() == 68780
    assert parts[2018].sum() == 51892
    c = cnipa.conflicts
    assert len(c) == 1
    row = c.iloc[0]
    assert (row.region, row.year, row.indicator, row.chosen_value) == ("全国", 2018, "pct_applications", 51893)
    assert "51892 (derived" in row.rejected
    assert value(obs, "全国", "pct_applications", 2018) == 51893


def test_no_year_to_date_or_subset_rows_and_meanings_kept_apart(cnipa):
    obs = cnipa.observations
    cat = registry.indicators()
    assert cat["invention_patent_applications_since_1985"].kind == "cumulative"
    assert cat["patents_in_force"].kind == "stock" and cat["pct_applications"].kind == "flow"
    # 1985-cumulative rows never land in the flow indicator: 江苏 2016 flow 184632, cumulative 977455.
    assert value(obs, "江苏省", "invention_patent_applications", 2016) == 184632
    assert value(obs, "江苏省", "invention_patent_applications_since_1985", 2016) == 977455
    assert not obs.note.str.contains("非全年").any() and not obs.quote.str.contains("1-11月").any()
    excluded = pd.read_csv(RAW / "excluded.csv")
    ytd = excluded[excluded.indicator.str.contains("非全年")]
    assert len(ytd) > 0 and ytd.reason.str.startswith("year-to-date").all()
    snapshot_rows = sum(1 for f in (RAW / "snapshot").glob("*.csv") for _ in csv.DictReader(f.open(encoding="utf-8")))
    assert len(obs) + len(excluded) == snapshot_rows  # every snapshot row is imported or listed with a reason


def test_partial_tables_state_their_coverage(cnipa):
    obs = cnipa.observations
    apps = obs[(obs.indicator == "invention_patent_applications") & (obs.year == 2016)]
    members = set(apps.region) & set(registry.region_set("china").members)
    assert len(members) == 30 and "吉林省" not in members
    assert apps[apps.region.isin(members)].note.str.startswith("partial table: 30 of 31 provinces").all()
    grants = obs[(obs.indicator == "patent_grants") & (obs.year == 2015) & (obs.region != "全国")]
    assert len(grants) == 12 and grants.note.str.startswith("partial table: 12 of 31").all()


def test_two_region_sets_and_cities_never_added_to_provinces(cnipa):
    assert [s["name"] for s in cnipa.metadata["region_sets"]] == ["china", "jiangsu"]
    obs = cnipa.observations
    # 南京 is inside 江苏; no 江苏省 row is derived from cities, none is replaced.
    js = obs[obs.region == "江苏省"]
    assert (js.status == "official").all()
    assert value(obs, "江苏省", "invention_patents_held", 2009) == 12625


def test_benchmark_of_a_province_against_the_national_average(cnipa):
    obs = cnipa.observations
    g = benchmark.gap_table(obs, "江苏省", years=[2023], indicators=["pct_applications"], region_set="china")
    r = g.iloc[0]
    # Average province = (68780 − 606 − 727 − 22) / 31 = 67425 / 31: the national subtotal also holds
    # 台湾/香港/澳门, so it is not divided by 31.
    assert r.city_value == 68780
    assert r.city_avg == pytest.approx(67425 / 31)
    # 2023 column: 广东 23676 > 北京 11438 > 江苏 6547 > 上海 6185 > …
    assert (r["rank"], r.n) == (3, 31)
    assert r.leader == "广东省"


def test_import_script_reproduces_the_committed_files(tmp_path):
    subprocess.run([sys.executable, str(ROOT / "scripts" / "import_cnipa.py"), "--out", str(tmp_path)],
                   check=True, capture_output=True)
    for name in ("observations.csv", "sources.csv", "excluded.csv", "README.md"):
        assert (tmp_path / name).read_bytes() == (RAW / name).read_bytes(), name


def test_run_on_cnipa_takes_the_focus_from_its_region_set_and_its_run_defaults():
    from liyang_ip.cli import build_parser
    from liyang_ip.report.cli import build_sets
    from liyang_ip.report.runner import RunError

    args = build_parser().parse_args(["run", "--dataset", "cnipa", "--focus", "江苏"])
    (s,) = build_sets(args)
    assert s["focus"] == "江苏省"
    assert (s["start_year"], s["end_year"]) == (2018, 2023)  # dataset.yaml run_defaults
    args = build_parser().parse_args(["run", "--dataset", "cnipa", "--focus", "江苏", "-p", "start_year=2016"])
    assert build_sets(args)[0]["start_year"] == 2016  # the command line wins
    with pytest.raises(RunError, match=r"'全国' \(全国\) is the parent of region set 'china', not one of its 31 provinces"):
        build_sets(build_parser().parse_args(["run", "--dataset", "cnipa", "--focus", "全国"]))
    assert len(build_sets(build_parser().parse_args(["run", "--dataset", "cnipa", "--focus", "all"]))) == 31
