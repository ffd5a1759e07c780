"""`make lab`: JupyterLab on the project's environment, the kernel the notebooks name is this
environment's Python, and the jupytext extension opens the .md notebooks as notebooks."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_notebooks_name_the_python3_kernel():
    """The committed notebooks name ``python3`` (registered by the set-up); a kernel picked in another
    JupyterLab would be written into the header and break `liyang-ip run` on other machines."""
    from liyang_ip.report.runner import read_notebook

    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.md")):
        spec = read_notebook(path).metadata.get("kernelspec", {})
        assert spec.get("name") == "python3", f"{path.name}: kernelspec {spec}; set name: python3"


def test_python3_kernel_is_this_environment():
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    if sys.prefix == sys.base_prefix:
        pytest.skip("not running in the project's virtual environment")
    try:
        spec = KernelSpecManager().get_kernel_spec("python3")
    except NoSuchKernel:
        pytest.fail("no python3 kernel: run `make setup` (it registers the .venv's kernel)")
    assert Path(spec.argv[0]).resolve().parent == Path(sys.executable).resolve().parent


def test_jupytext_lab_extension_and_default_viewer():
    import jupyterlab_jupytext  # noqa: F401 - the server extension `make lab` relies on

    overrides = json.loads((ROOT / "scripts" / "jupyterlab-overrides.json").read_text(encoding="utf-8"))
    viewers = overrides["@jupyterlab/docmanager-extension:plugin"]["defaultViewers"]
    assert viewers["markdown"] == viewers["myst"] == "Jupytext Notebook"
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "jupyterlab-overrides.json" in makefile and "jupyter lab --notebook-dir=notebooks" in makefile
