"""Output names made from block names never leave the output directory."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from liyang_ip.report.names import safe_name
from liyang_ip.report.runner import set_dirs

NASTY = ["..", ".", "../x", "/", "/etc/passwd", "a/../../b", "\x00", "a\x00b", "..\\..\\win", "C:\\x", "CON",
         "nul.txt", " ", "", "~", "溧阳市/../../", "\u202e", "a\nb", "．．", "x" * 400]


def _check(name: str, root: Path) -> None:
    assert name and name not in (".", "..")
    assert "/" not in name and "\\" not in name and "\x00" not in name
    assert len(name.encode("utf-8")) <= 255
    target = (root / name).resolve()
    assert target.parent == root.resolve()
    target.mkdir()  # the file system accepts it
    target.rmdir()


def test_known_nasty_names():
    with tempfile.TemporaryDirectory() as d:
        for text in NASTY:
            _check(safe_name(text), Path(d))


def test_chinese_block_names_are_kept():
    for block in ["溧阳市", "金坛区", "武进区", "新北区", "天宁区", "钟楼区", "常州经开区"]:
        assert safe_name(block) == block


def test_changed_names_do_not_collide():
    assert safe_name("a/b") != safe_name("a_b") != safe_name("a:b")
    assert safe_name("a/b") != safe_name("a:b")


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=0, max_size=120))
def test_no_output_path_escapes_the_out_dir(text):
    with tempfile.TemporaryDirectory() as d:
        _check(safe_name(text), Path(d))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(max_size=30), min_size=1, max_size=5, unique=True))
def test_set_dirs_are_safe_and_distinct(focuses):
    dirs = set_dirs([{"focus": f} for f in focuses])
    assert len(set(dirs)) == len(dirs)
    with tempfile.TemporaryDirectory() as d:
        for name in dirs:
            _check(name, Path(d))
