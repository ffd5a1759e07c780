"""Region sets as data: bundled sets, user files by path, name resolution, words, errors."""

from pathlib import Path

import pytest

from liyang_ip import registry
from liyang_ip.registry import regionsets

CHANGZHOU_BLOCKS = ["溧阳市", "金坛区", "武进区", "新北区", "天宁区", "钟楼区", "常州经开区"]


def test_bundled_sets_default_first():
    names = regionsets.bundled()
    assert names[0] == "changzhou"
    assert {"changzhou", "china", "jiangsu"} <= set(names)


def test_default_set_keeps_the_old_api():
    cz = registry.region_set()
    assert cz.name == "changzhou"
    assert cz.parent == "常州市" == registry.parent()
    assert cz.members == CHANGZHOU_BLOCKS
    assert cz.total_of == CHANGZHOU_BLOCKS
    assert cz.unit_word("zh") == "板块" and cz.unit_word("en", plural=True) == "blocks"
    assert cz.count_phrase() == "七个板块"
    assert cz.count_phrase(lang="en") == "seven blocks"
    assert cz.average_label() == "常州平均" and cz.average_label("en") == "Changzhou average"
    assert registry.regions()["武进区(全口径)"].members == ("武进区", "常州经开区")
    assert registry.regions()["戚墅堰区"].kind == "former"


def test_china_set_codes_and_names():
    cn = registry.region_set("china")
    assert cn.parent == "全国"
    assert len(cn.members) == 31
    codes = {cn.regions()[m].code for m in cn.members}
    assert len(codes) == 31 and all(len(c) == 6 and c.endswith("0000") for c in codes)
    # Codes as published in GB/T 2260 (province part = first two digits).
    assert cn.regions()["江苏省"].code == "320000"
    assert cn.regions()["广东省"].code == "440000"
    assert cn.regions()["新疆维吾尔自治区"].code == "650000"
    # The national domestic total includes 台湾/香港/澳门, which are not benchmarked.
    assert set(cn.total_of) - set(cn.members) == {"台湾省", "香港特别行政区", "澳门特别行政区"}
    assert cn.resolve("江苏") == "江苏省"
    assert cn.resolve("Inner Mongolia") == "内蒙古自治区"
    assert cn.resolve("国内小计") == "全国"
    assert cn.count_phrase() == "三十一个省份"
    assert cn.average_label() == "全国平均"


def test_jiangsu_set():
    js = registry.region_set("jiangsu")
    assert js.parent == "江苏省" and len(js.members) == 13
    # 13 prefecture cities numbered 3201xx … 3213xx in GB/T 2260.
    assert [js.regions()[m].code for m in js.members] == [f"32{k:02d}00" for k in range(1, 14)]
    assert js.regions()["常州市"].code == "320400"
    assert js.resolve("全省") == "江苏省"
    assert js.count_phrase() == "十三个设区市"


@pytest.mark.parametrize("n, text", [(1, "一"), (7, "七"), (10, "十"), (13, "十三"), (20, "二十"), (31, "三十一")])
def test_chinese_counts(n, text):
    assert regionsets.cn_count(n) == text


def test_resolve_member_explains_what_is_valid():
    cz = registry.region_set()
    assert cz.resolve_member("溧阳") == "溧阳市"
    with pytest.raises(ValueError, match="parent of region set 'changzhou', not one of its seven blocks"):
        cz.resolve_member("常州市", "focus")
    with pytest.raises(ValueError, match="did you mean 溧阳市"):
        cz.resolve_member("溧杨市")


def test_unknown_set_name_suggests():
    with pytest.raises(registry.RegionSetError, match=r"\(did you mean china\?\); bundled sets: changzhou, china, jiangsu"):
        registry.region_set("chna")


def test_user_file_by_path(county_set):
    p = county_set()
    s = registry.region_set(str(p))
    assert s.name == "my_county" and not s.is_bundled and s.spec == str(p.resolve())
    assert s.parent == "某县" and s.members == ["甲镇", "乙镇", "丙镇"]
    assert s.count_phrase() == "三个镇" and s.count_phrase(lang="en") == "three towns"
    assert s.average_label() == "全县平均"
    assert s.resolve("甲") == "甲镇" and s.label("甲镇", "en") == "Jia"
    assert registry.resolve_region("乙", s) == "乙镇"


@pytest.mark.parametrize(
    "text, message",
    [
        ("name: x\nunit_word: {zh: 镇}\nregions:\n  - {name: 甲镇, kind: member}\n",
         "exactly one unit of kind parent, found 0"),
        ("name: x\nunit_word: {zh: 镇}\nregions:\n  - {name: 县, kind: parent}\n  - {name: 甲镇, kind: town}\n",
         r"regions\[1\] \(甲镇\) \[kind\] 'town' is not one of parent, member"),
        ("name: x\nunit_word: {zh: 镇}\nregions:\n  - {name: 县, kind: parent, total_of: [甲镇, 乙镇]}\n"
         "  - {name: 甲镇, kind: member}\n", r"regions\[0\] \(县\) \[total_of\] '乙镇' is not a unit of this set"),
        ("name: x\nunit_word: {zh: 镇}\nregions:\n  - {name: 县, kind: parent}\n  - {name: 甲镇, kind: member, aliases: [县]}\n",
         r"\[aliases\] '县' already names 县"),
        ("name: x\nregions:\n  - {name: 县, kind: parent}\n  - {name: 甲镇, kind: member}\n", r"\[unit_word\] missing"),
        ("regions: [\n", "not valid YAML"),
    ],
)
def test_bad_user_file_names_file_entry_and_field(tmp_path: Path, text, message):
    p = tmp_path / "bad.yaml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(registry.RegionSetError, match=message) as e:
        registry.region_set(p)
    assert str(p.resolve()) in str(e.value)


def test_missing_file():
    with pytest.raises(registry.RegionSetError, match="not found"):
        registry.region_set("/nonexistent/set.yaml")


def _string_literals(path: Path) -> list[tuple[int, str]]:
    """(line, text) of the string literals of a module, docstrings left out (comments are not literals)."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value) for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    return [(n.lineno, n.value) for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstrings]


GEOGRAPHY_WORDS = ("常州", "七个板块", "Changzhou")


def test_no_geography_literals_in_code():
    """Code names no city, block or count of blocks: those live in the region-set files (the demo
    generator, whose panel is of the default set, is the stated exception). Every module of the package is
    scanned; docstrings and comments may give examples."""
    root = Path(registry.__file__).resolve().parents[1]
    allowed = {"data/demo.py"}  # generates the default set's synthetic panel
    hits = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        if rel in allowed:
            continue
        hits += [f"{rel}:{line}: {w} in {text[:50]!r}" for line, text in _string_literals(path)
                 for w in GEOGRAPHY_WORDS if w in text]
    assert hits == []


def test_the_geography_scan_finds_a_literal(tmp_path: Path):
    f = tmp_path / "m.py"
    f.write_text('"""常州 in a docstring is an example."""\n# 常州 in a comment\nCITY = "常州市"\n', encoding="utf-8")
    assert [t for _, t in _string_literals(f) if any(w in t for w in GEOGRAPHY_WORDS)] == ["常州市"]


def test_city_and_blocks_are_deprecated():
    with pytest.warns(DeprecationWarning, match="region_set"):
        assert registry.CITY == registry.region_set(None).parent
    with pytest.warns(DeprecationWarning, match="region_set"):
        assert registry.blocks("china") == registry.region_set("china").members
