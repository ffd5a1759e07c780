"""Conflicts, jumps, derived ratios and correctly weighted city figures, with hand-computed values."""

import pandas as pd
import pytest

from liyang_ip import registry
from liyang_ip.data.derive import city_totals, derive_ratios, weighted_average
from liyang_ip.data.validate import jump_warnings, resolve_conflicts


def obs(rows):
    df = pd.DataFrame(rows, columns=["region", "year", "indicator", "value", "status", "source_id"])
    df["unit"] = df.indicator.map(lambda c: registry.indicator(c).unit)
    df["note"] = ""
    df["quote"] = ""
    df["_file"] = "f.csv"
    df["_row"] = range(2, len(df) + 2)
    return df


def test_conflicts_resolved_by_status_then_source_priority():
    sources = pd.DataFrame({"source_id": ["gov", "agg", "est"], "priority": [1, 4, 1]})
    df = obs([
        ["新北区", 2020, "gdp", 1631.43, "official", "agg"],
        ["新北区", 2020, "gdp", 1631.0, "official", "gov"],
        ["常州经开区", 2023, "gdp", 992.0, "estimate", "est"],
        ["常州经开区", 2023, "gdp", 983.26, "official", "agg"],
        ["溧阳市", 2020, "gdp", 1086.36, "official", "gov"],
        ["溧阳市", 2020, "gdp", 1086.36, "official", "agg"],
    ])
    resolved, conflicts, issues = resolve_conflicts(df, sources)
    got = resolved.set_index(["region", "year"])["value"].to_dict()
    assert got == {("新北区", 2020): 1631.0, ("常州经开区", 2023): 983.26, ("溧阳市", 2020): 1086.36}
    assert sorted(conflicts.region) == ["常州经开区", "新北区"]  # equal values corroborate, no conflict
    xb = conflicts.set_index("region").loc["新北区"]
    assert xb.chosen_source == "gov" and xb.relative_spread == pytest.approx(0.43 / 1631.43, abs=1e-6)
    assert "corroborated by agg" in resolved.set_index("region").loc["溧阳市", "note"]
    assert len(issues) == 2 and all(i.severity == "warning" for i in issues)


@pytest.mark.parametrize("as_category", [False, True])
def test_corroborating_sources_listed_in_text_order(as_category):
    # The large-file reader hands over text columns as categoricals; the result must not depend on it.
    sources = pd.DataFrame({"source_id": ["b"], "priority": [1]})
    df = obs([
        ["溧阳市", 2020, "gdp", 100.0, "official", "c"],
        ["溧阳市", 2020, "gdp", 100.0, "official", "b"],  # priority 1: chosen
        ["溧阳市", 2020, "gdp", 100.0, "official", ""],  # no source: not named
        ["溧阳市", 2020, "gdp", 100.0, "official", "a"],
        ["金坛区", 2020, "gdp", 50.0, "official", ""],  # first in file order (both priority 5): chosen
        ["金坛区", 2020, "gdp", 50.0, "official", "x"],
        ["武进区", 2020, "gdp", 70.0, "official", "a"],  # one source: no note
    ])
    df.loc[1, "note"] = "given"
    if as_category:
        df = df.astype({c: "category" for c in ("region", "indicator", "status", "source_id", "note", "_file")})
    resolved, conflicts, issues = resolve_conflicts(df, sources)
    notes = resolved.set_index("region")["note"].astype(str).to_dict()
    assert notes == {"溧阳市": "given; corroborated by a, c", "金坛区": "corroborated by x", "武进区": ""}
    assert resolved.set_index("region")["source_id"].astype(str).to_dict() == {"溧阳市": "b", "金坛区": "", "武进区": "a"}
    assert conflicts.empty and issues == []


def test_jump_warning():
    df = obs([["溧阳市", 2019, "pct_applications", 20, "official", "s"],
              ["溧阳市", 2020, "pct_applications", 210, "official", "s"],
              ["溧阳市", 2021, "pct_applications", 230, "official", "s"]])
    (w,) = jump_warnings(df)
    assert w.row == 3 and "×10.50" in w.message and w.severity == "warning"


def test_derived_ratio_hand_computed():
    df = obs([["溧阳市", 2020, "invention_patents_held", 1570, "official", "s"],
              ["溧阳市", 2020, "resident_population", 78.5, "official", "s"]])
    out, issues = derive_ratios(df)
    r = out[out.indicator == "invention_patents_per_10k"].iloc[0]
    assert r.value == pytest.approx(20.0) and r.status == "derived" and "derived" in r.note
    assert issues == []


def test_reported_ratio_kept_and_mismatch_warned():
    df = obs([["溧阳市", 2020, "invention_patents_held", 1570, "official", "s"],
              ["溧阳市", 2020, "resident_population", 78.5, "official", "s"],
              ["溧阳市", 2020, "invention_patents_per_10k", 25.0, "official", "s"]])
    out, issues = derive_ratios(df)
    assert out[out.indicator == "invention_patents_per_10k"].value.tolist() == [25.0]
    assert len(issues) == 1 and "differs" in issues[0].message


def _seven(code, values, year=2020, status="official"):
    return [[b, year, code, v, status, "s"] for b, v in zip(registry.region_set().members, values, strict=True)]


def test_city_ratio_is_total_over_total_not_mean_of_ratios():
    held = [1000, 500, 3000, 6000, 1500, 1500, 600]
    pop = [80, 60, 130, 80, 70, 65, 40]
    df = obs(_seven("invention_patents_held", held) + _seven("resident_population", pop))
    df, _ = derive_ratios(df)
    out = city_totals(df)
    city = out[out.region == "常州市"].set_index("indicator")["value"]
    assert city["invention_patents_held"] == 14100
    assert city["resident_population"] == 525
    assert city["invention_patents_per_10k"] == pytest.approx(14100 / 525)  # 26.857…
    mean_of_ratios = sum(h / p for h, p in zip(held, pop, strict=True)) / 7
    assert abs(city["invention_patents_per_10k"] - mean_of_ratios) > 1  # 26.86 vs 27.66: the trap exists
    assert weighted_average(out, "invention_patents_per_10k", registry.region_set().members, 2020) == pytest.approx(14100 / 525)


def test_weighted_mean_uses_catalogue_weight():
    sat = [80, 90, 85, 88, 82, 84, 86]
    pop = [80, 60, 130, 80, 70, 65, 40]
    df = obs(_seven("ip_protection_satisfaction", sat) + _seven("resident_population", pop))
    expected = sum(s * p for s, p in zip(sat, pop, strict=True)) / sum(pop)
    assert weighted_average(df, "ip_protection_satisfaction", registry.region_set().members, 2020) == pytest.approx(expected)
    out = city_totals(df)
    assert out[(out.region == "常州市") & (out.indicator == "ip_protection_satisfaction")].value.iloc[0] == pytest.approx(expected)


def test_incomplete_blocks_give_no_city_total_and_demo_stays_demo():
    rows = _seven("pct_applications", [1, 2, 3, 4, 5, 6, 7])[:-1]
    out = city_totals(obs(rows))
    assert out[out.region == "常州市"].empty  # a partial sum would understate the total
    assert pd.isna(weighted_average(obs(rows), "pct_applications", registry.region_set().members, 2020))
    demo = city_totals(obs(_seven("pct_applications", [1, 2, 3, 4, 5, 6, 7], status="demo")))
    assert demo[demo.region == "常州市"].status.tolist() == ["demo"]


def test_official_city_figure_wins_over_derived():
    rows = _seven("pct_applications", [1, 2, 3, 4, 5, 6, 7]) + [["常州市", 2020, "pct_applications", 30, "official", "s"]]
    out = city_totals(obs(rows))
    assert out[out.region == "常州市"].value.tolist() == [30]
