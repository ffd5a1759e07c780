"""environment.yml (conda) and pyproject.toml (pip) declare the same dependencies and lower bounds."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _norm(spec: str) -> tuple[str, str]:
    m = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", spec)
    return m.group(1).lower().replace("_", "-"), m.group(2).replace(" ", "")


def test_environment_yml_matches_pyproject():
    pp = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pip_deps = dict(_norm(s) for s in pp["dependencies"] + pp["optional-dependencies"]["test"])
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    # the interpreter and pip themselves are not dependencies (python-docx is: compare names, not prefixes)
    conda = dict(_norm(s) for s in env["dependencies"] if isinstance(s, str) and _norm(s)[0] not in ("python", "pip"))
    assert conda == pip_deps
    assert all(v.startswith(">=") for v in pip_deps.values()), "pin tested lower bounds"
