"""A block's own figures without the 常州市 row or other blocks: gaps with reasons, never errors."""

import math

from liyang_ip import narrative
from liyang_ip.analysis import baseline, benchmark


def _one_block(make_obs):
    return make_obs([("溧阳市", y, "patent_applications", v) for y, v in ((2018, 100.0), (2020, 121.0))])


def test_city_share_without_the_city_row_is_a_gap_with_the_reason(make_obs):
    obs = _one_block(make_obs)
    sh = baseline.share_of_city(obs, "溧阳市", 2018, 2020)
    assert sh["share"].isna().all()
    assert set(sh.loc[sh["value"].notna(), "note"]) == {"no 常州市 total"}
    table = baseline.baseline_table(obs, "溧阳市", 2018, 2020)
    row = table.iloc[0]
    assert row["value_end"] == 121.0 and math.isclose(row["cagr"], 10.0)  # 121/100 over 2 years: +10 %/yr
    assert math.isnan(row["share_end"]) and table.attrs["city_missing"] is True
    assert narrative.share_paragraph(table, "溧阳市", 2018, 2020) == "无法计算溧阳市占全市比重：数据中没有常州市的合计数。"


def test_a_rank_among_one_block_is_a_gap(make_obs):
    obs = _one_block(make_obs)
    g = benchmark.gap_table(obs, "溧阳市", years=[2020], indicators=["patent_applications"])
    row = g.iloc[0]
    assert row["n"] == 1 and row["rank"] is not None and str(row["rank"]) == "<NA>"
    assert math.isnan(row["median"]) and row["leader"] == "" and "only 1 block with data" in row["note"]
    sentence = narrative.benchmark_sentences(g, "溧阳市")[0]
    assert "排名第" not in sentence and "无法排名" in sentence
    assert "没有其他板块的数值" in narrative.benchmark_paragraph(g, None, "溧阳市", 2018, 2020)
    # Two blocks: ranked as before.
    two = make_obs([("溧阳市", 2020, "patent_applications", 121.0), ("金坛区", 2020, "patent_applications", 90.0)])
    assert benchmark.gap_table(two, "溧阳市", years=[2020], indicators=["patent_applications"]).iloc[0]["rank"] == 1
