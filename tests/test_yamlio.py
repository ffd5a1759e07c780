"""The fast loader of the package's own YAML gives exactly what yaml.safe_load gives, file by file."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import liyang_ip
from liyang_ip import yamlio

PACKAGE = Path(liyang_ip.__file__).parent
FILES = sorted(PACKAGE.rglob("*.yaml"))


def test_the_package_has_yaml_files_to_compare():
    names = {p.name for p in FILES}
    assert {"zh.yaml", "en.yaml", "indicators.yaml", "plans.yaml", "changzhou.yaml"} <= names


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_same_result_as_safe_load(path):
    text = path.read_text(encoding="utf-8")
    assert yamlio.safe_load(text) == yaml.safe_load(text)


def test_errors_and_unsafe_tags_are_refused_alike():
    with pytest.raises(yaml.YAMLError):
        yamlio.safe_load("a: [1, 2")
    with pytest.raises(yaml.YAMLError):  # no Python objects from a file
        yamlio.safe_load("!!python/object/apply:os.system ['echo hi']")
