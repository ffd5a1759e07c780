"""Generate the suite's notebooks (stored without outputs) from this one script.

    .venv/bin/python notebooks/_build_notebooks.py          # rewrite notebooks/*.ipynb
    .venv/bin/python notebooks/_build_notebooks.py --check  # exit 1 if a stored notebook differs

Edit the cells here, not in the .ipynb files: the notebooks are build products, thin by design (a
parameters cell, then sections that each call the library, show one chart or table, and print prose
generated from the numbers). tests/notebooks/ checks that the stored files match this script.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent

PARAMETERS = """\
# Parameters (papermill). Everything a run depends on is here; the defaults run as they are.
focus: str = "溧阳市"  # focus block: one of 溧阳市 金坛区 武进区 新北区 天宁区 钟楼区 常州经开区
peers = None  # comparison blocks (None: the other six)
start_year: int = 2015  # baseline period (13th Five-Year Plan) start
end_year: int = 2020  # baseline period end, also the last year the projections are fitted on
target_year: int = 2025  # projection and target year (end of the 14th Five-Year Plan)
indicators = None  # indicator codes or Chinese names (None: the plan's indicators, catalogue `mission`)
dataset: str = "demo"  # 'demo', 'public', or a path to your tidy CSV / Excel template / dataset directory
methods: list = ["cagr", "linear", "loglinear", "holt", "gm11", "ensemble"]  # projection methods
gap_share: float = 0.5  # share of the gap to the Changzhou average a proposed target closes (0-1)
lang: str = "zh"  # labels and prose: 'zh' or 'en'
"""

SETUP = """\
%matplotlib inline
import warnings

import pandas as pd
from IPython.display import Markdown, display

from liyang_ip import charts, narrative, registry
from liyang_ip.data import load_dataset
from liyang_ip.params import validate_params
{imports}
warnings.filterwarnings("ignore", category=pd.errors.PerformanceWarning)
p = validate_params(focus, peers, start_year, end_year, target_year, indicators, dataset, methods, gap_share, lang)
ds = load_dataset(p.dataset)
p = validate_params(**p.as_dict(), available_years=ds.years)
charts.use_style()
obs = ds.observations
coverage = ds.coverage_of(list(p.indicators), [registry.CITY, *p.regions], p.years)
print(narrative.status_line(ds.name, ds.is_demo, coverage, p.lang))
print(narrative.params_line(p, p.lang))
"""


def md(text: str):
    return new_markdown_cell(text.strip("\n"))


def code(text: str, caption: str | None = None):
    """A code cell; ``caption`` (metadata.caption) is what the report exporter prints under its output."""
    cell = new_code_cell(text.strip("\n"))
    if caption:
        cell.metadata["caption"] = caption
    return cell


def notebook(title: str, intro: str, cells: list, imports: str = "", batch: bool = True) -> nbformat.NotebookNode:
    params = code(PARAMETERS)
    params.metadata["tags"] = ["parameters"]
    setup = code(SETUP.format(imports=imports))
    setup.metadata["tags"] = ["setup"]
    nb = new_notebook(
        cells=[params, md(f"# {title}\n\n{intro.strip()}"), setup, *cells],
        metadata={
            "title": title,
            "kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"},
            "language_info": {"name": "python"},
        },
    )
    if not batch:
        # Interactive only: `liyang-ip run` leaves it out unless it is named with --notebooks.
        nb.metadata["liyang_ip"] = {"batch": False}
    return nb


# ----------------------------------------------------------------------------------------- 00
def overview() -> nbformat.NotebookNode:
    cells = [
        md("## 数据与状态 / Data and status"),
        code(
            """
display(Markdown(narrative.data_status(ds.name, ds.is_demo, coverage, len(ds.sources), p.lang)))
display(Markdown(narrative.quality_sentence(len(ds.warnings), len(ds.conflicts), p.lang)))
"""
        ),
        md(
            "## 覆盖情况 / Coverage\n\n每格为所选年份中有数据的年份占比；低于100%的格子是数据缺口，分析中不会被填补。"
        ),
        code(
            """
charts.coverage_heatmap(coverage, focus=p.focus, lang=p.lang, demo=ds.is_demo)
""",
            caption="数据覆盖率 / Data coverage",
        ),
        md("### 缺口明细 / Gaps"),
        code(
            """
charts.table(coverage.query("share < 1"), p.lang)
""",
            caption="数据缺口 / Gaps in the data",
        ),
        md("## 指标走势 / Trends\n\n焦点板块为红色粗线，常州市为虚线，其他板块为灰线。"),
        code(
            """
charts.trend_small_multiples(
    obs, p.indicators, focus=p.focus, regions=p.regions, years=(p.start_year, p.end_year), lang=p.lang,
    sources=ds.sources, title=None,
)
""",
            caption="指标走势：焦点板块、常州市与其他板块 / Trends: focus block, Changzhou and the other blocks",
        ),
        md("## 数据来源 / Sources"),
        code(
            """
charts.table(ds.sources, p.lang, columns=["source_id", "title", "publisher", "url", "accessed"])
""",
            caption="数据来源 / Sources",
        ),
        md("### 校验提示与冲突 / Validation warnings and conflicts"),
        code(
            """
display(charts.table(ds.warnings.head(20), p.lang))
display(charts.table(ds.conflicts.head(20), p.lang))
"""
        ),
    ]
    return notebook(
        "00 数据概览 / Data overview",
        "本笔记本说明所用数据：来源、状态（演示数据或真实数据）、覆盖范围与缺口。"
        "演示数据为合成数据，只用于展示方法，结论不可引用。",
        cells,
    )


# ----------------------------------------------------------------------------------------- 01
def baseline() -> nbformat.NotebookNode:
    cells = [
        md("## 基线总表 / Baseline table\n\n期初、期末水平，增量，年均增速（CAGR），以及占全市比重。"),
        code(
            """
table = baseline.baseline_table(obs, p.focus, p.start_year, p.end_year, p.indicators, targets=ds.targets)
display(Markdown(narrative.baseline_paragraph(table, p.focus, p.start_year, p.end_year, p.lang)))
charts.table(
    table, p.lang,
    columns=["indicator", "unit", "value_start", "value_end", "increment", "cagr", "missing_years", "note"],
    demo=ds.is_demo,
)
""",
            caption="“十三五”基线 / Baseline",
        ),
        md("## 走势 / Trends"),
        code(
            """
charts.trend_small_multiples(
    obs, p.indicators, focus=p.focus, regions=p.regions, years=(p.start_year, p.end_year), lang=p.lang,
    sources=ds.sources,
)
""",
            caption="指标走势：焦点板块、常州市与其他板块 / Trends: focus block, Changzhou and the other blocks",
        ),
        code(
            """
display(Markdown(narrative.bullets(narrative.baseline_sentences(table, p.focus, p.start_year, p.end_year, p.lang))))
"""
        ),
        md(
            "## 占全市比重 / Share of the Changzhou total\n\n只对可加总的指标（件数、金额等）计算；比值类指标不计算比重。"
        ),
        code(
            """
display(Markdown(narrative.share_paragraph(table, p.focus, p.start_year, p.end_year, p.lang)))
charts.table(table.dropna(subset=["share_end"]), p.lang, columns=["indicator", "share_start", "share_end"], demo=ds.is_demo)
"""
        ),
        md("## 目标完成情况 / Target attainment"),
        code(
            """
end_targets = ds.targets.query("region == @p.focus and year == @p.end_year and indicator in @p.indicators")
attainment = baseline.target_attainment(obs, end_targets) if len(end_targets) else None
display(Markdown(narrative.attainment_paragraph(attainment, p.focus, p.end_year, p.lang)))
attainment
"""
        ),
    ]
    return notebook(
        "01 “十三五”基线 / 13th Five-Year Plan baseline",
        "焦点板块在“十三五”期间（默认2015—2020年）的水平、增量、年均增速和占全市比重。",
        cells,
        imports="from liyang_ip.analysis import baseline",
    )


# ----------------------------------------------------------------------------------------- 02
def benchmark_nb() -> nbformat.NotebookNode:
    cells = [
        md(
            "## 水平与排名 / Levels and ranks\n\n排名考虑指标方向（1 = 最好）。“常州平均”：可加总指标（件数、金额）"
            "为全市合计除以板块数，比值类指标为常州市的总量之比（不是各板块比值的简单平均）。"
        ),
        code(
            """
latest = benchmark.benchmark_table(obs, p.focus, p.peers, year=p.end_year, indicators=p.indicators)
display(Markdown(narrative.bullets(narrative.benchmark_sentences(latest, p.focus, p.lang))))
charts.table(
    latest, p.lang,
    columns=["indicator", "value", "rank", "n", "city_avg", "gap_city_pct", "median", "leader", "leader_value"],
    demo=ds.is_demo,
)
""",
            caption="期末年水平与排名 / Levels and ranks in the end year",
        ),
        md("## 排名变化 / Rank over time\n\n以指标列表中的第一个指标为代表。"),
        code(
            """
ranks = benchmark.rank_table(obs, p.regions, p.years, p.indicators)
charts.rank_bump(ranks, focus=p.focus, demo=ds.is_demo, indicator=p.indicators[0], lang=p.lang, source=charts.dataset_source(ds, indicators=p.indicators[:1], regions=p.regions, lang=p.lang))
""",
            caption="排名变化 / Rank over time",
        ),
        md(
            "## 与常州平均的差距 / Gap to the Changzhou average\n\n正值表示优于常州平均；浅色为期初年份，深色为期末年份。"
        ),
        code(
            """
gaps = benchmark.gap_table(obs, p.focus, p.peers, [p.start_year, p.end_year], p.indicators)
changes = benchmark.gap_change(obs, p.focus, p.start_year, p.end_year, "city", p.peers, p.indicators)
display(Markdown(narrative.benchmark_paragraph(latest, changes, p.focus, p.start_year, p.end_year, p.lang)))
charts.gap_bars(gaps, focus=p.focus, demo=ds.is_demo, value_col="gap_city_pct", lang=p.lang, source=charts.dataset_source(ds, indicators=p.indicators, regions=p.regions, lang=p.lang))
""",
            caption="与常州平均的相对差距 / Relative gap to the Changzhou average",
        ),
        code(
            """
display(Markdown(narrative.bullets(narrative.gap_change_sentences(changes, p.focus, p.start_year, p.end_year, p.lang))))
"""
        ),
        md("## 板块间差距是否缩小 / σ-convergence"),
        code(
            """
cv = benchmark.sigma_convergence(obs, p.indicators, p.regions, p.years)
display(Markdown(narrative.sigma_paragraph(cv, p.start_year, p.end_year, p.lang)))
charts.table(cv.query("year in [@p.start_year, @p.end_year]"), p.lang, columns=["indicator", "year", "n", "mean", "cv", "complete"], demo=ds.is_demo)
""",
            caption="板块间变异系数 / Coefficient of variation across blocks",
        ),
        md(
            "## 综合指数 / Composite index\n\n(a) 熵权TOPSIS（向量标准化）；(b) 各指标min-max标准化为0—100分后按维度平均。"
            "有缺失值的指标不参与综合（见下方说明），不做填补。"
        ),
        code(
            """
try:
    scores = composite.composite_scores(obs, p.end_year, p.regions, p.indicators, missing="drop_indicators")
    matrix = composite.indicator_matrix(obs, p.end_year, p.regions, list(scores.attrs["weights"]))
    uncertainty = composite.rank_uncertainty(matrix, n=1000, seed=0)
    indicator_scores = composite.normalise(matrix, method="minmax") * 100
except ValueError:  # no indicator complete in the end year: the gap is reported, never filled
    scores = matrix = uncertainty = indicator_scores = None
display(Markdown(narrative.composite_paragraph(scores, uncertainty, p.focus, p.lang)))
display(Markdown(narrative.composite_note(None if scores is None else scores.attrs, p.lang)))
composite_source = charts.dataset_source(ds, indicators=p.indicators, regions=p.regions, lang=p.lang)
charts.score_heatmap(indicator_scores, focus=p.focus, lang=p.lang, demo=ds.is_demo, source=composite_source)
""",
            caption="各指标标准化得分 / Indicator scores (min-max, 0–100)",
        ),
        md("### 各维度得分 / Pillar scores"),
        code(
            """
charts.pillar_dots(scores, focus=p.focus, lang=p.lang, demo=ds.is_demo, source=composite_source)
""",
            caption="各维度得分 / Pillar scores",
        ),
        md(
            "### 排名的不确定性 / Rank uncertainty\n\n仿照JRC对全球创新指数（GII）的审计：随机扰动权重、更换标准化与合成方法"
            "（蒙特卡洛1000次），报告排名中位数和90%区间。"
        ),
        code(
            """
charts.composite_rank_interval(uncertainty, focus=p.focus, lang=p.lang, demo=ds.is_demo, source=composite_source)
""",
            caption="综合指数排名及90%区间 / Composite rank with 90% interval",
        ),
    ]
    return notebook(
        "02 板块对标 / Benchmark against the other blocks",
        "焦点板块与其他六个板块的比较：排名、与板块中位数和常州市的差距及其变化、板块间差距（σ收敛）和综合指数。",
        cells,
        imports="from liyang_ip.analysis import benchmark, composite",
    )


# ----------------------------------------------------------------------------------------- 03
def projection_nb() -> nbformat.NotebookNode:
    cells = [
        md(
            "## 规划目标检验 / Plan targets\n\n按组合预测（ensemble）判断规划目标能否达到；达标概率把预测区间近似为正态分布，"
            "只有5—6个年度数据点时区间偏窄，概率仅供参考。"
        ),
        code(
            """
plan = ds.targets.query("region == @p.focus and year == @p.target_year and indicator in @p.indicators")
check = targets.target_check(obs, plan, p.methods, p.start_year, p.end_year)
display(Markdown(narrative.target_check_paragraph(check, p.focus, p.target_year, p.lang)))
charts.table(check, p.lang, columns=["indicator", "target", "base_value", "required_growth", "projected", "lower", "upper", "probability", "on_track"], demo=ds.is_demo)
""",
            caption="规划目标检验 / Plan targets checked against the projections",
        ),
        md(
            "## 建议目标 / Proposed targets\n\n规则（起草说明§五(二)）：缩小与常州市差距的一定比例（参数 `gap_share`），"
            "且不低于本板块的趋势预测。"
        ),
        code(
            """
proposals = targets.propose_targets(
    obs, p.focus, p.indicators, p.target_year, p.gap_share, "city", p.peers, p.start_year, p.end_year,
    p.methods, plan_targets=plan,
)
display(Markdown(narrative.bullets(narrative.proposed_target_sentences(proposals, p.focus, p.target_year, p.gap_share, p.lang))))
charts.table(proposals, p.lang, columns=["indicator", "focus_base", "bench_projected", "focus_trend", "gap_rule", "proposed", "binding", "required_growth", "plan_target", "note"], demo=ds.is_demo)
""",
            caption="建议目标 / Proposed targets",
        ),
        md(
            "## 各指标预测 / Projections by indicator\n\n实线为组合预测及其预测区间，虚线为各方法；图例中的MAPE为滚动起点回测的"
            "平均绝对百分比误差。空心点为拟合期之后的实际值（如有）。"
        ),
        code(
            """
for code in p.indicators:
    history = ds.panel(code, regions=[p.focus])[p.focus]
    try:
        proj = projection.project(history, p.methods, p.start_year, p.end_year, p.target_year)
        bt = projection.backtest_summary(projection.backtest(history, p.methods, fit_start=p.start_year, fit_end=p.end_year))
    except ValueError as err:  # too few observed years: reported, never filled
        display(Markdown(narrative.not_projected(code, p.focus, err, p.lang)))
        continue
    marks = charts.target_markers(code, plan=plan, proposed=proposals, region=p.focus, year=p.target_year, lang=p.lang)
    display(charts.projection_fan(obs, proj, indicator=code, focus=p.focus, targets=marks, backtest=bt, fit_end=p.end_year, lang=p.lang, sources=ds.sources))
    display(Markdown(narrative.projection_paragraph(proj, bt, code, p.focus, p.target_year, lang=p.lang)))
""",
            caption="预测扇形图 / Projection fan charts",
        ),
    ]
    return notebook(
        "03 预测与目标 / Projections and targets",
        "按多种方法（年均增速延续、线性、对数线性、Holt阻尼趋势、GM(1,1)、组合）把焦点板块的指标预测到目标年，"
        "检验规划目标并提出建议目标。",
        cells,
        imports="from liyang_ip.analysis import projection, targets",
    )


# ----------------------------------------------------------------------------------------- 04
def explore() -> nbformat.NotebookNode:
    widget = code(
        """
import ipywidgets as widgets

block_picker = widgets.Dropdown(options=registry.blocks(), value=p.focus, description="板块")
indicator_picker = widgets.Dropdown(
    options=[(registry.label(c, p.lang), c) for c in registry.indicators()], value=p.indicators[0], description="指标"
)


def show(block, code):
    display(charts.trend_small_multiples(obs, [code], focus=block, regions=registry.blocks(), lang=p.lang, sources=ds.sources))
    display(charts.rank_bump(ranks, focus=block, demo=ds.is_demo, indicator=code, lang=p.lang, source=charts.dataset_source(ds, indicators=[code], lang=p.lang)))


widgets.interactive(show, block=block_picker, code=indicator_picker)
"""
    )
    # Widgets only work in a live kernel; the exported report leaves this cell out.
    widget.metadata["tags"] = ["remove-cell"]
    cells = [
        md("## 默认选择 / Default selection\n\n焦点板块与指标列表中的第一个指标。"),
        code(
            """
ranks = benchmark.rank_table(obs, registry.blocks(), indicators=list(registry.indicators()))
display(charts.trend_small_multiples(obs, p.indicators[:1], focus=p.focus, regions=registry.blocks(), lang=p.lang, sources=ds.sources))
charts.rank_bump(ranks, focus=p.focus, demo=ds.is_demo, indicator=p.indicators[0], lang=p.lang, source=charts.dataset_source(ds, indicators=p.indicators[:1], lang=p.lang))
""",
            caption="默认选择的走势与排名 / Trend and rank for the default selection",
        ),
        md(
            "## 交互探索 / Explore\n\n在JupyterLab中用下拉框选择板块和指标，图表随之更新"
            "（同一套函数、不同参数；导出的报告不含此部分）。"
        ),
        widget,
    ]
    return notebook(
        "04 交互探索 / Interactive exploration",
        "同一套函数、不同参数：先显示参数所选的板块和指标，再用下拉框自由选择。",
        cells,
        imports="from liyang_ip.analysis import benchmark",
        batch=False,
    )


NOTEBOOKS = {
    "00_overview.ipynb": overview,
    "01_baseline.ipynb": baseline,
    "02_benchmark.ipynb": benchmark_nb,
    "03_projection.ipynb": projection_nb,
    "04_explore.ipynb": explore,
}


def render(name: str) -> str:
    nb = NOTEBOOKS[name]()
    # Stable cell ids so that regenerating gives identical files.
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"{Path(name).stem}-{i:02d}"
    nbformat.validate(nb)
    return nbformat.writes(nb) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="exit 1 when a stored notebook differs")
    ap.add_argument("--out", type=Path, default=HERE, help="directory to write to (default: notebooks/)")
    args = ap.parse_args(argv)
    stale = []
    for name in NOTEBOOKS:
        text = render(name)
        path = args.out / name
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(name)
        else:
            path.write_text(text, encoding="utf-8")
    if stale:
        print("out of date (run notebooks/_build_notebooks.py):", ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
