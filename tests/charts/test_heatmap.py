"""The heatmaps drawn with matplotlib alone (issue 16): values written by the report's one formatter,
missing cells marked as missing, the colour scale's limits, no seaborn or scipy imported."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex

from liyang_ip import charts
from liyang_ip.charts.benchmark import HEATMAP_CMAP, MISSING_CELL_COLOR

BLOCKS = ["溧阳市", "金坛区", "武进区"]
PILLARS = ["creation", "talent"]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _scores(rows: dict[str, list[float]]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"region": r, "pillar": c, "score": v} for r, vals in rows.items() for c, v in zip(PILLARS, vals, strict=True)]
    )


def _cells(fig) -> dict[tuple[int, int], str]:
    """{(row, column): the text written in that cell} of the heatmap's axes (cell centres at k + 0.5)."""
    ax = fig.axes[0]
    return {(int(t.get_position()[1]), int(t.get_position()[0])): t.get_text() for t in ax.texts}


def _mesh(fig):
    from matplotlib.collections import QuadMesh

    (mesh,) = [c for c in fig.axes[0].collections if isinstance(c, QuadMesh)]
    return mesh


def test_cells_read_as_the_prose_rounds_them():
    # Halves round away from zero as the report's sentences and tables round (fmt_number), not to even
    # as Python's format(12.5, '.0f') == '12' does.
    fig = charts.score_heatmap(
        _scores({"溧阳市": [12.5, 0.5], "金坛区": [99.5, 2.4999], "武进区": [64.0, 0.0]}), column="pillar"
    )
    # Focus first, the others by mean score, best first: 金坛区 (51.0) before 武进区 (32.0).
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["溧阳市", "金坛区", "武进区"]
    assert _cells(fig) == {
        (0, 0): "13", (0, 1): "1",
        (1, 0): "100", (1, 1): "2",
        (2, 0): "64", (2, 1): "0",
    }


def test_missing_cells_stay_missing_and_the_legend_says_so():
    # 金坛区 has a NaN score, 武进区 no row at all for `talent`: both are gaps, never a colour of the scale.
    scores = _scores({"溧阳市": [40.0, 60.0], "金坛区": [np.nan, 80.0], "武进区": [20.0, 0.0]})
    scores = scores[~((scores["region"] == "武进区") & (scores["pillar"] == "talent"))]
    fig = charts.score_heatmap(scores, column="pillar")
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["溧阳市", "金坛区", "武进区"]
    cells = _cells(fig)
    assert cells[(1, 0)] == cells[(2, 1)] == "—"
    assert cells[(1, 1)] == "80" and cells[(2, 0)] == "20"
    mesh = _mesh(fig)
    mask = np.ma.getmaskarray(mesh.get_array()).reshape(3, 2)
    assert mask.tolist() == [[False, False], [True, False], [False, True]]
    fig.canvas.draw()
    faces = [to_hex(c) for c in mesh.get_facecolors()]
    assert faces[1 * 2 + 0] == faces[2 * 2 + 1] == MISSING_CELL_COLOR.lower()
    assert faces.count(MISSING_CELL_COLOR.lower()) == 2
    legends = [a.get_legend() for a in fig.axes if a.get_legend() is not None]
    assert [t.get_text() for lg in legends for t in lg.get_texts()] == ["无数据"]
    en = charts.score_heatmap(scores, column="pillar", lang="en")
    en_legends = [a.get_legend() for a in en.axes if a.get_legend() is not None]
    assert [t.get_text() for lg in en_legends for t in lg.get_texts()] == ["no data"]
    # Nothing missing: no legend entry for it.
    full = charts.score_heatmap(_scores({"溧阳市": [1.0, 2.0], "金坛区": [3.0, 4.0]}), column="pillar")
    assert all(a.get_legend() is None for a in full.axes)


def test_colour_scale_runs_from_vmin_to_vmax_with_its_colour_bar():
    import matplotlib as mpl

    fig = charts.score_heatmap(_scores({"溧阳市": [0.0, 100.0], "金坛区": [50.0, 150.0]}), column="pillar")
    mesh = _mesh(fig)
    assert (mesh.norm.vmin, mesh.norm.vmax) == (0, 100)
    cbar_ax = fig.axes[1]
    assert cbar_ax.get_ylabel() == "得分（0–100）"
    assert cbar_ax.get_ylim() == (0.0, 100.0)
    fig.canvas.draw()
    cmap = mpl.colormaps[HEATMAP_CMAP]
    faces = [to_hex(c) for c in mesh.get_facecolors()]
    # 溧阳市 row: 0 → the map's first colour, 100 → its last; 150 is beyond the scale and takes the end colour.
    assert faces[0] == to_hex(cmap(0.0)) and faces[1] == to_hex(cmap(1.0)) and faces[3] == to_hex(cmap(1.0))
    assert faces[2] == to_hex(cmap(0.5))
    # Dark cells carry white text, light ones dark text.
    colors = {(int(t.get_position()[1]), int(t.get_position()[0])): to_hex(t.get_color()) for t in fig.axes[0].texts}
    assert colors[(0, 1)] == "#ffffff" and colors[(0, 0)] != "#ffffff"
    # Other limits (e.g. a 0–1 share) are taken as given.
    other = charts.score_heatmap(_scores({"溧阳市": [0.2, 0.4]}), column="pillar", vmin=0, vmax=1)
    assert (_mesh(other).norm.vmin, _mesh(other).norm.vmax) == (0, 1)


def test_coverage_heatmap_marks_a_region_without_rows_as_missing():
    cov = pd.DataFrame(
        {
            "indicator": ["pct_applications", "pct_applications", "ip_talent"],
            "region": ["溧阳市", "金坛区", "溧阳市"],
            "share": [1.0, 0.25, 0.5],
        }
    )
    fig = charts.coverage_heatmap(cov, focus="溧阳市")
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    cells = _cells(fig)
    row = labels.index("金坛区")
    assert sorted(cells[(row, j)] for j in range(2)) == ["25", "—"]
    assert fig.axes[1].get_ylabel() == "覆盖率（%）"


def test_heatmaps_import_neither_seaborn_nor_scipy(imported_after):
    # seaborn (and the scipy.stats it imports) cost ~2.75 s of every kernel that drew a heatmap.
    code = (
        "import io, matplotlib\n"
        "matplotlib.use('Agg')\n"
        "import pandas as pd\n"
        "from liyang_ip import charts\n"
        "cov = pd.DataFrame({'indicator': ['pct_applications'] * 2, 'region': ['溧阳市', '金坛区'], 'share': [1.0, 0.5]})\n"
        "charts.coverage_heatmap(cov).savefig(io.BytesIO(), format='svg')\n"
    )
    assert imported_after("import json", ("json", "seaborn")) == ["json"]  # the probe does see imports
    assert imported_after(code, ("seaborn", "scipy")) == []
