"""Nothing silently wrong: every messy or odd input is read correctly or named (file, row, field), never a
wrong figure. Fixtures are written by the tests; raw files are checked unchanged."""

import datetime as dt
import hashlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from liyang_ip.cli import main
from liyang_ip.data import build as B
from liyang_ip.data import readers
from liyang_ip.data.numbers import NumberParseError, parse_cell

HEAD = "region,year,indicator,value,unit,status,source_id,note,quote\n"
SOURCES = "source_id,title,publisher,url\nS1,统计公报,溧阳市统计局,\n"


def _dir(tmp_path, obs: bytes | str, name="d", sources=SOURCES, filename="observations.csv"):
    d = tmp_path / name
    d.mkdir()
    (d / filename).write_bytes(obs.encode("utf-8") if isinstance(obs, str) else obs)
    (d / "sources.csv").write_text(sources, encoding="utf-8")
    return d


def _check(d):
    """(errors, warnings, all issues) of `data check`, with the raw files checked unchanged."""
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in d.rglob("*") if p.is_file()}
    issues = B.check(d)
    assert {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in d.rglob("*") if p.is_file()} == before
    return ([i for i in issues if i.severity == "error"], [i for i in issues if i.severity == "warning"], issues)


def _values(d):
    built = B.build(d)
    obs = built.observations
    return {(r.region, r.year, r.indicator): r.value for r in obs[obs.status != "derived"].itertuples()}


# ----------------------------------------------------------------------------------- rows and columns


def test_unquoted_thousands_separator_splitting_a_row_is_an_error(tmp_path):
    d = _dir(tmp_path, HEAD + "溧阳市,2020,patent_grants,1,856,件,official,S1,,\n"
                               "溧阳市,2019,patent_grants,1500,件,official,S1\n"
                               "溧阳市,2018,patent_grants,\"1,400\",件,official,S1,,\n")
    errors, _, _ = _check(d)
    assert [(e.row, e.message.split(";")[0]) for e in errors] == [
        (2, "row has 10 fields but the header has 9"), (3, "row has 7 fields but the header has 9")]
    assert "unquoted thousands separator" in errors[0].message
    # the quoted "1,400" alone is read as 1400
    ok = _dir(tmp_path, HEAD + "溧阳市,2018,patent_grants,\"1,400\",件,official,S1,,\n", name="ok")
    assert _values(ok) == {("溧阳市", 2018, "patent_grants"): 1400.0}


def test_duplicate_columns_are_an_error(tmp_path):
    d = _dir(tmp_path, "region,year,indicator,value,数值,unit,source_id\n溧阳市,2020,patent_grants,1,2,件,S1\n")
    errors, _, _ = _check(d)
    (e,) = errors
    assert e.row == 1 and "column 4 ('value') and column 5 ('数值') both mean value" in e.message


def test_unknown_columns_are_named_not_dropped_silently(tmp_path):
    d = _dir(tmp_path, "region,year,indicator,value,unit,source_id,remark\n溧阳市,2020,patent_grants,1,件,S1,x\n")
    errors, warnings, _ = _check(d)
    assert not errors and any("column(s) not used: remark" in w.message for w in warnings)


def test_scale_given_twice_is_an_error(tmp_path):
    d = _dir(tmp_path, HEAD + "溧阳市,2020,patent_grants,0.1856万,万件,official,S1,,\n"
                               "溧阳市,2019,patent_grants,0.15,万件,official,S1,,\n")
    errors, _, _ = _check(d)
    (e,) = errors
    assert (e.row, e.field) == (2, "value") and "scale given twice" in e.message and "0.1856 with unit 万件" in e.message
    ok = _dir(tmp_path, HEAD + "溧阳市,2019,patent_grants,0.15,万件,official,S1,,\n", name="ok")
    assert _values(ok) == {("溧阳市", 2019, "patent_grants"): 1500.0}


def test_full_width_and_suffixed_years_are_read(tmp_path):
    d = _dir(tmp_path, HEAD + "溧阳市,２０２０年,patent_grants,５,件,official,S1,,\n溧阳市,2019年末,patent_grants,4,件,official,S1,,\n")
    assert _values(d) == {("溧阳市", 2020, "patent_grants"): 5.0, ("溧阳市", 2019, "patent_grants"): 4.0}


def test_header_only_is_no_observations(tmp_path):
    errors, _, _ = _check(_dir(tmp_path, HEAD))
    (e,) = errors
    assert "no observations" in e.message


def test_line_numbers_after_multi_line_quoted_fields(tmp_path):
    d = _dir(tmp_path, HEAD + '溧阳市,2020,patent_grants,5,件,official,S1,"备注第一行\n第二行\n第三行",\n'
                               "溧阳市,2021,patent_grants,abc,件,official,S1,,\n")
    errors, _, _ = _check(d)
    (e,) = errors
    assert e.row == 5 and e.field == "value"


def test_very_long_cells_are_cut_in_messages(tmp_path):
    d = _dir(tmp_path, HEAD + "溧阳市,2020,patent_grants," + "9x" * 25000 + ",件,official,S1,,\n")
    errors, _, _ = _check(d)
    (e,) = errors
    assert len(str(e)) < 800 and "(50000 characters)" in str(e)


# ----------------------------------------------------------------------------------- encodings and bytes


ROWS = "地区,年份,指标,数值,单位,来源编号\n溧阳市,2020,专利授权量,5,件,S1\n金坛区,2020,专利授权量,7,件,S1\n"
EXPECTED = {("溧阳市", 2020, "patent_grants"): 5.0, ("金坛区", 2020, "patent_grants"): 7.0}


@pytest.mark.parametrize("data, encoding", [
    (b"\xff\xfe" + ROWS.replace(",", "\t").encode("utf-16-le"), "utf-16"),  # Excel "Unicode text"
    (ROWS.encode("utf-16-le"), "utf-16-le"),
    (ROWS.encode("utf-16-be"), "utf-16-be"),
    (ROWS.replace("\n", "\r").encode("utf-8"), "utf-8"),  # old-Mac line ends
    (("sep=;\n" + ROWS.replace(",", ";")).encode("gbk"), "gb18030"),
    (ROWS.replace("溧阳市", "溧\u200b阳市\u200d").replace("金坛区", "\ufeff金坛区").encode("utf-8"), "utf-8"),
])
def test_encodings_and_line_ends_are_read_correctly(tmp_path, data, encoding):
    d = _dir(tmp_path, data)
    errors, _, issues = _check(d)
    assert errors == []
    assert [i.value for i in issues if i.field == "encoding"] == [encoding]
    assert _values(d) == EXPECTED


def test_mixed_utf8_and_gbk_lines_are_read_and_named(tmp_path):
    lines = ROWS.splitlines(keepends=True)
    data = lines[0].encode("utf-8") + lines[1].encode("gbk") + lines[2].encode("utf-8")
    d = _dir(tmp_path, data)
    errors, warnings, _ = _check(d)
    assert errors == [] and any("line(s) 2 are GBK" in w.message for w in warnings)
    assert _values(d) == EXPECTED


def test_big5_is_named_never_mojibake(tmp_path):
    text = "地區,年份,指標,數值,單位\n溧陽市,2020,專利授權量,5,件\n金壇區,2020,專利授權量,7,件\n"
    d = _dir(tmp_path, text.encode("big5"))
    errors, _, _ = _check(d)
    (e,) = errors
    assert "Big5" in e.message and e.file.endswith("observations.csv")


def test_nul_bytes_are_named_with_their_line(tmp_path):
    d = _dir(tmp_path, (HEAD + "溧阳市,2020,patent_grants,5,件,official,S1,,\n溧阳市,2021,patent_\x00grants,5,件,official,S1,,\n")
             .encode("utf-8"))
    (e,) = _check(d)[0]
    assert e.row == 3 and "NUL byte" in e.message


def test_unicode_minus_is_a_minus(tmp_path):
    d = _dir(tmp_path, HEAD + "溧阳市,2020,patent_grants,\u22124,件,official,S1,,\n")
    (e,) = _check(d)[0]
    assert "negative count" in e.message  # read as −4, not rejected as text and not as 4


# ----------------------------------------------------------------------------------- yearbook cells


def test_yearbook_footnote_only_cell_title_year_and_full_width_headers(tmp_path):
    table = ("溧阳市主要知识产权指标,2020年,,\n"  # a title row holding one year
             "指标,２０１８年,2019年,2020\n"  # the header: the row with the most year-like cells
             "专利授权量（件）,3500,①,4200*\n"
             "  其中：发明专利授权量,300,320,#N/A\n"
             "注：①数据暂缺。\n")
    d = _dir(tmp_path, table, filename="yb.csv")
    (d / "dataset.yaml").write_text("files:\n  - path: yb.csv\n    format: yearbook\n    region: 溧阳市\n"
                                    "    source_id: S1\n", encoding="utf-8")
    errors, _, _ = _check(d)
    errors.sort(key=lambda e: e.row)
    assert [(e.row, e.value) for e in errors] == [(3, "①"), (4, "#N/A")]
    assert "only a footnote marker" in errors[0].message and "Excel error value #N/A" in errors[1].message
    # without the two bad cells the table reads with its years from the right row
    (d / "yb.csv").write_text(table.replace(",①,", ",,").replace("#N/A", "350"), encoding="utf-8")
    assert _values(d) == {
        ("溧阳市", 2018, "patent_grants"): 3500.0, ("溧阳市", 2020, "patent_grants"): 4200.0,
        ("溧阳市", 2018, "invention_patent_grants"): 300.0, ("溧阳市", 2019, "invention_patent_grants"): 320.0,
        ("溧阳市", 2020, "invention_patent_grants"): 350.0}


# ----------------------------------------------------------------------------------- Excel cells


def _template_with(tmp_path, cells: dict):
    from openpyxl import load_workbook

    from liyang_ip.data.template import write_template

    path = write_template(tmp_path / "t.xlsx", example=False)
    wb = load_workbook(path)
    ws = wb["数据"]
    for r, row in enumerate([["溧阳市", 2020, "专利授权量", 5, "件", "官方", "S1"],
                             ["溧阳市", 2021, "专利授权量", 6, "件", "官方", "S1"]], start=2):
        for c, v in enumerate(row, start=1):
            if v is not None:
                ws.cell(r, c, v)
    for ref, v in cells.items():
        ws[ref] = v
    wb["来源"].append(["S1", "统计公报", "溧阳市统计局", "", "", "", 1, ""])
    wb.save(path)
    return path


@pytest.mark.parametrize("cells, field, expected", [
    ({"D3": "=D2*2"}, "value", "has no saved result"),
    ({"B3": dt.datetime(2021, 1, 1)}, "year", "a date (2021-01-01) where a year belongs"),
    ({"D3": dt.date(2021, 3, 5)}, "value", "a date (2021-03-05) where a figure belongs"),
    ({"D3": True}, "value", "TRUE (a yes/no cell) is not a figure"),
    ({"D3": "#DIV/0!"}, "value", "Excel error value #DIV/0!"),
])
def test_excel_cells_that_are_not_figures(tmp_path, cells, field, expected):
    path = _template_with(tmp_path, cells)
    before = path.read_bytes()
    errors = [i for i in B.check(path) if i.severity == "error"]
    (e,) = errors
    assert (e.row, e.field) == (3, field) and expected in e.message
    assert path.read_bytes() == before
    if "saved result" in expected:
        assert "Excel or WPS" in e.message


@pytest.mark.parametrize("data, expected", [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old Excel 97-2003 workbook"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100 + "EncryptedPackage".encode("utf-16-le"), "password-protected"),
    ("地区,年份,指标,数值\n溧阳市,2020,专利授权量,5\n".encode(), "text (CSV) file with an Excel name"),
    (b"PK\x03\x04" + b"\x00garbage" * 20, "damaged .xlsx"),
    (b"", "empty"),
])
def test_workbooks_that_cannot_be_read_give_one_line(tmp_path, capsys, data, expected):
    p = tmp_path / "book.xlsx"
    p.write_bytes(data)
    assert main(["data", "check", str(p)]) == 1
    out = capsys.readouterr()
    assert "Traceback" not in out.err and expected in out.err
    assert [ln for ln in out.err.splitlines() if "error" in ln][0].startswith(f"{p}: error:")


def test_missing_sheet_is_named(tmp_path, capsys):
    from openpyxl import Workbook

    d = tmp_path / "yb"
    d.mkdir()
    wb = Workbook()
    wb.active.title = "表3-1"
    wb.save(d / "yb.xlsx")
    (d / "dataset.yaml").write_text("files:\n  - path: yb.xlsx\n    format: yearbook\n    region: 溧阳市\n"
                                    "    sheet: 表9\n", encoding="utf-8")
    assert main(["data", "check", str(d)]) == 1
    err = capsys.readouterr().err
    assert "sheet '表9' not found; sheets are 表3-1" in err and "Traceback" not in err


# ----------------------------------------------------------------------------------- fuzz


FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(st.one_of(
    st.binary(max_size=300),
    st.text(alphabet=st.sampled_from(list("溧阳市2020,，\"\r\n\t;=—①.万亿%-\u2212\u200b\x00 ab")), max_size=200)
    .map(lambda t: t.encode("utf-8")),
    st.text(max_size=100).map(lambda t: ("sep=,\r" + t).encode("utf-16")),
))
def test_fuzz_csv_reader_raises_only_named_errors(tmp_path, data):
    p = tmp_path / "fuzz.csv"
    p.write_bytes(data)
    try:
        raw, issues = readers.read_tidy_csv(p)
    except readers.RawFileError as e:
        assert "fuzz.csv" in str(e)
        return
    from liyang_ip.data.clean import clean_records

    clean_records(raw, known_sources={"S1"})


@FUZZ
@given(st.one_of(st.text(max_size=60), st.integers(min_value=-(10 ** 600), max_value=10 ** 600),
                 st.floats(allow_nan=True, allow_infinity=True),
                 st.from_regex(r"[+\-\u2212]?[0-9０-９]{1,400}(\.[0-9]{0,5})?(万|亿|%|万亿)?", fullmatch=True)))
def test_fuzz_cell_parser_raises_only_number_parse_error(cell):
    try:
        parse_cell(cell)
    except NumberParseError as e:
        assert len(str(e)) < 400


# ----------------------------------------------------------------------------------- large-file reader


PLAIN = (HEAD + "溧阳市,2020,patent_grants,\"1,856\",件,official,S1,备注,“原文”\n"
         "金坛区,2020,专利授权量,1.2万,件,官方,S1,,\n"
         ",,,,,,,,\n"
         "溧阳市,2021,patent_grants,—,件,official,S1,,\n"
         "溧阳市,2019,patent_grants,abc,件,official,S1,,\n")


@pytest.mark.parametrize("text, fast", [
    (PLAIN, True),
    ("\ufeff" + PLAIN.replace("\n", "\r\n"), True),
    (PLAIN.replace("备注", '"备注\n第二行"'), False),  # a quoted line break: line numbers need the careful reader
    (PLAIN + "溧阳市,2018,patent_grants,1,856,件,official,S1,,\n", False),  # ragged row
    (PLAIN.replace(",,,,,,,,\n", "\n"), False),  # blank line
    (PLAIN.replace("金坛区", "金\u200b坛区"), False),
])
def test_pyarrow_reader_gives_the_same_records_or_steps_aside(tmp_path, monkeypatch, text, fast):
    from liyang_ip.data.clean import clean_records

    p = tmp_path / "x.csv"
    p.write_text(text, encoding="utf-8")
    careful_raw, careful_issues = readers.read_tidy_csv(p)
    assert (readers._read_tidy_fast(p, p.read_bytes()) is not None) == fast
    monkeypatch.setattr(readers, "FAST_MIN_BYTES", 0)
    raw, issues = readers.read_tidy_csv(p)
    cols = ["region", "year", "indicator", "value", "unit", "status", "source_id", "note", "quote", "_row"]
    assert raw[cols].astype(str).values.tolist() == careful_raw[cols].astype(str).values.tolist()
    assert [str(i) for i in issues] == [str(i) for i in careful_issues]
    a, ia = clean_records(raw, {"S1"})
    b, ib = clean_records(careful_raw, {"S1"})
    assert a.astype(str).values.tolist() == b.astype(str).values.tolist() and ia == ib
    assert a["value"].tolist()[:2] == [1856.0, 12000.0]


def test_zero_width_scan_of_large_files_finds_each_character_and_nothing_else():
    # The large-file reader steps aside for zero-width characters (the careful reader removes and names
    # them). Chinese text shares their bytes: 中 is E4 B8 AD (soft hyphen: C2 AD), “ is E2 80 9C (ZWSP: E2 80 8B).
    text = "中国,“引号”—…,\u00a0é,溧阳市\n".encode()
    assert not readers._has_zero_width(text)
    for z in readers.ZERO_WIDTH:
        assert readers._has_zero_width(text + z.encode() + text), repr(z)
