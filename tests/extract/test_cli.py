"""`liyang-ip data extract`: parser wiring, encodings, output and append."""

from __future__ import annotations

import argparse
import io

import pandas as pd
import pytest

from liyang_ip.extract import RAW_COLUMNS
from liyang_ip.extract.cli import read_text, register

TEXT = (
    "全年专利授权量1.2万件，其中发明专利授权1856件；年末每万人口发明专利拥有量达45.6件，比上年增加5.1件。\n"
    "常州市专利授权量5万件。\n"
)


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="liyang-ip data")
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    return args.func(args)


@pytest.fixture
def utf8_file(tmp_path):
    p = tmp_path / "bulletin.txt"
    p.write_text(TEXT, encoding="utf-8")
    return p


def test_stdout_rows_and_stderr_report(utf8_file, capsys) -> None:
    assert run(["extract", str(utf8_file), "--region", "溧阳市", "--year", "2020", "--source-id", "ly2020"]) == 0
    out, err = capsys.readouterr()
    rows = pd.read_csv(io.StringIO(out), keep_default_na=False)
    assert list(rows.columns) == RAW_COLUMNS
    assert rows[["indicator", "value"]].values.tolist() == [
        ["patent_grants", 12000.0], ["invention_patent_grants", 1856.0], ["invention_patents_per_10k", 45.6]
    ]
    assert set(rows["source_id"]) == {"ly2020"}
    assert "read" in err and "UTF-8" in err
    assert "常州市专利授权量5万件" in err and "another region" in err
    assert "5.1" in err  # the change is shown, not written as a row


def test_gbk_file_is_read_and_said_so(tmp_path, capsys) -> None:
    p = tmp_path / "gbk.txt"
    p.write_bytes(TEXT.encode("gbk"))
    assert read_text(p) == (TEXT, "gb18030")
    assert run(["extract", str(p), "--region", "溧阳市", "--year", "2020"]) == 0
    out, err = capsys.readouterr()
    assert "GB18030" in err
    assert "patent_grants" in out


def test_utf8_bom(tmp_path) -> None:
    p = tmp_path / "bom.txt"
    p.write_bytes(b"\xef\xbb\xbf" + TEXT.encode("utf-8"))
    assert read_text(p) == (TEXT, "utf-8-sig")


def test_out_and_side_reports(utf8_file, tmp_path) -> None:
    out = tmp_path / "rows.csv"
    changes = tmp_path / "changes.csv"
    unattributed = tmp_path / "un.csv"
    assert run(["extract", str(utf8_file), "--region", "溧阳市", "--year", "2020", "--out", str(out),
                "--changes", str(changes), "--unattributed", str(unattributed)]) == 0
    rows = pd.read_csv(out, encoding="utf-8", keep_default_na=False)
    assert len(rows) == 3 and rows["quote"].iloc[0] == "全年专利授权量1.2万件"
    assert pd.read_csv(changes)["kind"].tolist() == ["change"]
    assert pd.read_csv(unattributed)["raw"].tolist() == ["5万件"]


def test_append_follows_the_existing_header(utf8_file, tmp_path) -> None:
    raw = tmp_path / "raw.csv"
    # An existing raw CSV with its columns in another order and one row already.
    raw.write_text("indicator,region,year,value,unit,status,source_id,note,quote\n"
                   "gdp,溧阳市,2019,1000.0,亿元,official,yb,,\n", encoding="utf-8")
    assert run(["extract", str(utf8_file), "--region", "溧阳市", "--year", "2020", "--append", str(raw)]) == 0
    df = pd.read_csv(raw, keep_default_na=False)
    assert df["indicator"].tolist() == ["gdp", "patent_grants", "invention_patent_grants",
                                        "invention_patents_per_10k"]
    assert df.loc[1, "region"] == "溧阳市" and df.loc[1, "value"] == 12000.0


def test_append_creates_the_file(utf8_file, tmp_path) -> None:
    raw = tmp_path / "new" / "raw.csv"
    assert run(["extract", str(utf8_file), "--region", "溧阳市", "--year", "2020", "--append", str(raw)]) == 0
    assert list(pd.read_csv(raw).columns) == RAW_COLUMNS


def test_append_refuses_a_file_without_the_raw_columns(utf8_file, tmp_path, capsys) -> None:
    raw = tmp_path / "raw.csv"
    raw.write_text("a,b\n1,2\n", encoding="utf-8")
    assert run(["extract", str(utf8_file), "--region", "溧阳市", "--year", "2020", "--append", str(raw)]) == 2
    assert "lacks column" in capsys.readouterr().err
    assert raw.read_text(encoding="utf-8") == "a,b\n1,2\n"


def test_errors_are_exit_2(tmp_path, utf8_file, capsys) -> None:
    assert run(["extract", str(tmp_path / "missing.txt"), "--region", "溧阳市", "--year", "2020"]) == 2
    assert "cannot read" in capsys.readouterr().err
    assert run(["extract", str(utf8_file), "--region", "南京市", "--year", "2020"]) == 2
    assert "unknown region" in capsys.readouterr().err


def test_registering_the_command_does_not_import_pandas() -> None:
    """`liyang-ip --help` builds the parser; that must stay fast (no pandas)."""
    import subprocess
    import sys

    code = ("import argparse, sys\n"
            "from liyang_ip.extract.cli import register\n"
            "register(argparse.ArgumentParser().add_subparsers())\n"
            "import liyang_ip.extract\n"
            "assert 'pandas' not in sys.modules, 'pandas imported'\n")
    subprocess.run([sys.executable, "-c", code], check=True)


DOC = ("2020年溧阳市国民经济和社会发展统计公报\n\n七、科学技术和知识产权\n"
       "　　全年专利申请量23,568件，授权量14,120件。常州市专利授权量5.6万件。专利授权量累计达5万件。\n"
       "全市拥有省级以上工程技术研究中心45个。\n")


def test_document_without_region_and_year_takes_them_from_the_title(tmp_path, capsys) -> None:
    p = tmp_path / "bulletin.txt"
    p.write_bytes(DOC.encode("utf-16"))
    assert run(["extract", str(p), "--source-id", "ly2020"]) == 0
    out, err = capsys.readouterr()
    rows = pd.read_csv(io.StringIO(out), keep_default_na=False)
    assert rows[["region", "year", "indicator", "value"]].values.tolist() == [
        ["溧阳市", 2020, "patent_applications", 23568.0], ["溧阳市", 2020, "patent_grants", 14120.0]]
    assert rows["note"].tolist() == ["paragraph 3", "paragraph 3; name elided: 授权量 = 专利授权量"]
    assert "UTF-16" in err and "region and year from the title: 溧阳市 2020" in err
    # The summary: 5 figures in the 科技/知识产权 section, 2 extracted, 1 refused, 1 ambiguous, 1 unrelated.
    summary = {line.split("  ")[1].strip(): line.split()[-2:] for line in err.splitlines()
               if line.startswith("  ") and line.split()[-1].isdigit()}
    assert summary["figures seen"] == ["5", "5"]
    assert summary["extracted (rows)"] == ["2", "2"]
    assert summary["ambiguous (reported)"] == ["1", "1"]
    assert summary["refused (reported)"] == ["1", "1"]
    assert summary["not a catalogue indicator"] == ["1", "1"]
    assert "ambiguous [patent_grants] 「5万件」" in err and "(paragraph 3)" in err
    assert "1 figure(s) name no catalogue indicator" in err


def test_document_rows_append_with_location(tmp_path) -> None:
    p = tmp_path / "bulletin.txt"
    p.write_text(DOC, encoding="gbk")
    raw = tmp_path / "raw.csv"
    assert run(["extract", str(p), "--append", str(raw)]) == 0
    assert run(["extract", str(p), "--append", str(raw), "--year", "2019"]) == 0
    df = pd.read_csv(raw, keep_default_na=False)
    assert df["year"].tolist() == [2020, 2020, 2019, 2019]
    assert df["note"].str.startswith("paragraph 3").all()


@pytest.mark.parametrize("make,message", [
    (lambda p: p.mkdir(), "is a directory"),
    (lambda p: p.write_bytes(b""), "the file is empty"),
    (lambda p: p.write_bytes(b"%PDF-1.4\ngarbage"), "cannot read the PDF"),
    (lambda p: p.write_bytes(b"\x81\x20\xff\x00\x81\x00\x81"), "unknown encoding"),
    (lambda p: p.write_text("全年专利申请量23,568件。", encoding="utf-8"), "no region found in the title"),
])
def test_document_errors_are_one_line(tmp_path, capsys, make, message) -> None:
    import shutil

    if "PDF" in message and shutil.which("pdftotext") is None:
        pytest.skip("needs poppler-utils")
    p = tmp_path / "doc"
    make(p)
    assert run(["extract", str(p)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert message in lines[-1] and str(p) in lines[-1]
    assert "Traceback" not in err and len(lines) <= 2  # at most 'read … as …' before the error
