"""Tiny notebooks written for these tests (the real notebooks are not used here)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

# A 100×60 line chart (PNG), so that the kernels need not import matplotlib.
PNG_B64 = (
    "iVBORw0KGgoAAAANSUhEUgAAAGQAAAA8CAYAAACQPx/OAAAAOnRFWHRTb2Z0d2FyZQBNYXRwbG90bGliIHZlcnNpb24zLjExLjIsIGh0dHBzOi8vbWF0cGxvdGxpYi5vcmcvgI3uAAAAAAlwSFlzAAAHsQAAB7EBBsVhhgAABelJREFUeJztnHtMU3cUx7+3tFKRh4oiY4hVdKKCCAITKoGNOR9zEtmcER8swlTQqQOdIRlbXNwWzWA4lG06VNaoqIiiIdEEEBAnykPQGmEIFBQFeYk8W9re/bHNxcxJH/f23gv382f7u+ec9NN7frePcwmSJEnwsAYB0wXwvAgvhGXwQlgGL4Rl8EJYBi+EZQgNOSgkJAQSiYTiUoY2CoUCGRkZg64zSIhEIkFCQoIhh9KGWqPFky4lHEaPZLqUlxIdHa3TuiHRskiSRFymHP77rmD3xbvo7BtguiSDGRJCjlxToKi2HVlb56OtW4Wg+Hyklz6EVsu9LyE4L+RK5RMcyK1GSpgXXOyt8eMqDySt8sChghqs+OU65I2dTJeoF5wWUtXUhe2nynEg1BNTxls+f9zX2RZZW/2x2NUeoYeLEHdejqe9KgYr1R3OCmntVmL9sWLsXDgd0qnj/vO8yEyACP8pyI4JQI9SjaD4fKTdbGB9G+OkEKVag42yUiyYOQFr5k165Vo7KzESVs7Bz2vnIvV6PZYnX0PFg6emKdQAOCeEJEnEnr0DS3Mhvnhvhs7HeUvG4uIWKUI8HRF29CZiM26jvYd9bYxzQpLzanCnsRNJoR4QmulXvtBMgDA/CbKjA6DRkgiKz4OsqB4aFrUxTgm5JH+MI4V1SAnzhrVYZHCccZbm2PehO1I+9sap4gYEHyxEaX0HhZUaDmeEyBs78Xn6bfy0Zi6cbC0oienpNAaZm+djlY8TIlKLseNMBVq7lZTENhROCGl+1o+I1BLELZ0Jn8ljKY1tJiCw+s1JyI0JxAihAEHx+Th6rQ5qjZbSPLrCeiF9Kg0++a0EwR4OWOE1kbY8Y0aNwLfL3SAL90Fm+SMsTSrEjdo22vL9H6wWotWS2HGmAhOsxdi10MUkOWc7jkZGpB/WSycj6ngZtqfdwpNn/SbJDbBcSGJONWpbe5C4cg4EAsJkeQUCAh95T0RuTCBsRorwTkI+fr1aiwETtDHWCsksb8TJmw1ICfPCKHODfiUwGhsLEXYHu+Lkhnm4JG/Ckv1X8XtNK605WSmkrKEDceflOLR2Lit+35jlYIMzm3wRGeiMbWnl2HyiDI87+2jJxTohjU/7sFFWij3L3eDhNIbpcp5DEARCPB2RExOACVZivPtDAZLz7kOlpraNsUpIj1KNiNQShPo4YZm7A9PlvBRrsQhfvj8T6Zv8kF/VgkWJBSj4o4Wy+KwRotGS2JZWjinjR2Fb0DSmyxmU6fZWSNswD9sXvIGd6RXYJCvFw45eo+OyRsi+S5Vo6epH/Ap3k15RGQNBEFjm7oCcmEBMsrXA4v1XkZRTjf4BjcExWSHkdMkDXKh4hMPrvCAWmTFdjt5YmgsRu2QGzkVJcaOuHQsTC5Bb2WxQLMaF3KhtwzdZ93B4nRfsrMVMl2MUU+0sIQv3wa5FLtifXY1elVrvGMxc4P9NfVsPoo6XYe8Hs+H6ug2TpVAGQRBY4vYaFrvagyD0b72MnSHP+gcQnlqCcP/JWORqz1QZtGGIDIAhIWqNFltO3MJsRxtEBjgzUQJrYUTInqx76FWq8V2Im8HvpKGKyfcQWVE9su81I3OzFOZC7l1R0Y1JhRRWt+L7y1U4vdEXtpbmpkzNGUzWsmpauvHpyTIkrpyD6fZWpkrLOUwipKNHhfBjxdjy9jS85WJnipSchXYhKrUWkcdL4es8DuulErrTcR5ahZAkia8uyCEgCHwdPIu/otIBWjf1lMI6FNW241yUH0R6/qltuELbq5Rb2YyDV+4jJcwLoy1G0JVmyEHLGVLV1IXPTlUgefWLYwI8g0P5GTLYmADPq6FUSP+A7mMCPC+HMiEkSSI2Q/8xAZ4XoWwPSc6rgbyxE2ej/PQeE+D5F0qE/DMmcC5KatSYAA8FLYuOMYHhjFFC6BwTGK4YJeTy3SbaxwSGG0btIet8JeBv2UgtBglRKBQ630yF5y8UCoVO6wj+rqTsgv/AwDJ4ISyDF8IyeCEsgxfCMv4EXMLrzmDqR9MAAAAASUVORK5CYII="
)

KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}

PARAMS = """focus = "溧阳市"
peers = None
start_year = 2016
end_year = 2020
target_year = 2025
indicators = None
dataset = "demo"
methods = ["cagr", "linear"]
gap_share = 0.3
lang = "zh"
"""


def _params_cell():
    cell = nbformat.v4.new_code_cell(PARAMS)
    cell.metadata["tags"] = ["parameters"]
    return cell


def make_ok_notebook(path: Path, extra: str = "") -> Path:
    """Chinese headings, a data-status line, an HTML table and a PNG figure."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = KERNELSPEC
    nb.cells = [
        nbformat.v4.new_markdown_cell("# 基线测试报告"),
        _params_cell(),
        nbformat.v4.new_code_cell('print(f"数据状态：演示数据（{dataset}） 重点板块 {focus} 目标年 {target_year}")'),
        nbformat.v4.new_markdown_cell("## 专利创造\n\n发明专利拥有量的变化说明了创造能力。"),
        nbformat.v4.new_code_cell(
            "from IPython.display import HTML\n"
            "SECRET_SOURCE_MARKER = 1\n"
            "HTML('<table><tr><th>区县</th><th>数值</th></tr><tr><td>' + focus + '</td><td>12.5</td></tr></table>')"),
        nbformat.v4.new_code_cell(
            "import base64\nfrom IPython.display import Image\n"
            f"Image(data=base64.b64decode('{PNG_B64}'), format='png')"),
        nbformat.v4.new_code_cell(f"print('done'){extra}"),
    ]
    nbformat.write(nb, str(path))
    return path


def make_failing_notebook(path: Path) -> Path:
    """Prints a line, then raises; the cell after the error must not run."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = KERNELSPEC
    nb.cells = [
        nbformat.v4.new_markdown_cell("# 失败测试"),
        _params_cell(),
        nbformat.v4.new_code_cell("print('before the error', focus)"),
        nbformat.v4.new_code_cell("raise ValueError('boom in ' + focus)"),
        nbformat.v4.new_code_cell("print('after the error')"),
    ]
    nbformat.write(nb, str(path))
    return path


@pytest.fixture
def notebooks_dir(tmp_path) -> Path:
    d = tmp_path / "notebooks"
    d.mkdir()
    make_ok_notebook(d / "01_ok.ipynb")
    make_failing_notebook(d / "02_fail.ipynb")
    return d
