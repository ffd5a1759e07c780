"""Nothing lost, nothing read from outside the dataset, no tracebacks: builds, names, permissions,
dataset.yaml problems, CSV injection. Every fixture is written by the test."""

import errno
import hashlib
import os
import stat

import pandas as pd
import pytest

from liyang_ip.cli import main
from liyang_ip.data import build as B
from liyang_ip.data.spec import DatasetSpecError

OBS = ("region,year,indicator,value,unit,status,source_id,note,quote\n"
       "溧阳市,2020,invention_patents_held,1570,件,official,S1,,\n"
       "溧阳市,2020,常住人口,785000,人,official,S1,,\n")
SOURCES = "source_id,title,publisher,url\nS1,统计公报,溧阳市统计局,\n"


def _hashes(d):
    return {str(p.relative_to(d)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(d.rglob("*")) if p.is_file() and not p.is_symlink()}


def _dataset(root, name="mydata", yaml_text=None, obs=OBS, sources=SOURCES):
    d = root / name
    d.mkdir(parents=True)
    (d / "observations.csv").write_text(obs, encoding="utf-8")
    (d / "sources.csv").write_text(sources, encoding="utf-8")
    if yaml_text is not None:
        (d / "dataset.yaml").write_text(yaml_text, encoding="utf-8")
    return d


def _run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    return code, out.out, out.err


# ----------------------------------------------------------------------------------- names


def test_dataset_dot_replaces_only_its_own_folder(tmp_path, monkeypatch, capsys):
    d = _dataset(tmp_path, "liyang_2024")
    out = tmp_path / "processed"
    (out / "other").mkdir(parents=True)
    (out / "other" / "keep.txt").write_text("another build", encoding="utf-8")
    monkeypatch.chdir(d)
    code, stdout, _ = _run(capsys, "data", "build", "--dataset", ".", "--out", str(out))
    assert code == 0
    assert sorted(p.name for p in out.iterdir()) == ["liyang_2024", "other"]
    assert (out / "other" / "keep.txt").read_text(encoding="utf-8") == "another build"
    assert (out / "liyang_2024" / "observations.parquet").exists()


@pytest.mark.parametrize("name", ["", ".", "..", "../escape", "a/b", "a\\b", ".hidden"])
def test_refused_names_in_dataset_yaml(tmp_path, capsys, name):
    d = _dataset(tmp_path, yaml_text=f"name: {name!r}\nfiles:\n  - path: observations.csv\n")
    out = tmp_path / "processed"
    code, _, err = _run(capsys, "data", "build", "--dataset", str(d), "--out", str(out))
    assert code == 1
    assert "dataset.yaml:1 [name 名称]" in err and "refused" in err
    assert not out.exists() or list(out.iterdir()) == []


def test_refused_name_argument():
    with pytest.raises(DatasetSpecError, match="refused"):
        B.dataset_name("x", B.raw_dir("demo"), {}, name="..")


def test_name_from_dataset_yaml_is_used(tmp_path):
    d = _dataset(tmp_path, yaml_text="name: 溧阳2024\nfiles:\n  - path: observations.csv\n")
    built, out = B.build_and_write(d, out_root=tmp_path / "p")
    assert out == tmp_path / "p" / "溧阳2024" and built.name == "溧阳2024"


# ----------------------------------------------------------------------------------- permissions, fsync


def test_build_has_normal_permissions_and_is_fsynced_before_the_swap(tmp_path, monkeypatch):
    from liyang_ip import fsutil

    d = _dataset(tmp_path)
    synced, replaced = [], []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd):
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        return real_fsync(fd)

    def replace(a, b):
        replaced.append((str(a), len(synced)))
        return real_replace(a, b)

    monkeypatch.setattr(fsutil.os, "fsync", fsync)
    monkeypatch.setattr(fsutil.os, "replace", replace)
    old = os.umask(0o022)
    try:
        _, out = B.build_and_write(d, out_root=tmp_path / "p")
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o755
    files = sorted(out.iterdir())
    assert len(files) == 9 and {stat.S_IMODE(p.stat().st_mode) for p in files} == {0o644}
    # every file of the build was fsync'ed, and before the directory was swapped in
    tmp_name = [a for a, _ in replaced if ".mydata.tmp-" in a][0]
    n_before_swap = [n for a, n in replaced if a == tmp_name][0]
    synced_files = {os.path.basename(p) for p in synced[:n_before_swap]}
    assert {p.name for p in files} <= synced_files


# ----------------------------------------------------------------------------------- template --force


def test_template_never_overwrites_without_force(tmp_path, capsys):
    t = tmp_path / "filled.xlsx"
    t.write_bytes(b"the clerk's filled-in workbook")
    code, _, err = _run(capsys, "data", "template", "--out", str(t))
    assert code == 1 and "exists" in err and "--force" in err
    assert t.read_bytes() == b"the clerk's filled-in workbook"
    code, _, _ = _run(capsys, "data", "template", "--out", str(t), "--force")
    assert code == 0 and t.read_bytes()[:2] == b"PK"


# ----------------------------------------------------------------------------------- reading only inside


def _yaml_dataset(tmp_path, entry):
    return _dataset(tmp_path, yaml_text=f"files:\n  - path: observations.csv\n  - {entry}\n")


@pytest.mark.parametrize("entry, expected", [
    ("path: ../outside.csv", "contains '..'"),
    ("path: /etc/passwd", "is absolute"),
    ("path: 'C:\\\\data\\\\x.csv'", "is absolute"),
    ("path: sub/../../outside.csv", "contains '..'"),
])
def test_paths_leaving_the_dataset_are_refused(tmp_path, capsys, entry, expected):
    (tmp_path / "outside.csv").write_text(OBS, encoding="utf-8")
    d = _yaml_dataset(tmp_path, entry)
    before = _hashes(tmp_path)
    code, _, err = _run(capsys, "data", "check", str(d))
    assert code == 1
    assert "dataset.yaml:3 [path 路径]" in err and expected in err
    assert _hashes(tmp_path) == before


def test_symlink_out_of_the_dataset_is_refused(tmp_path, capsys):
    secret = tmp_path / "secret.csv"
    secret.write_text(OBS, encoding="utf-8")
    d = _yaml_dataset(tmp_path, "path: link.csv")
    (d / "link.csv").symlink_to(secret)
    code, _, err = _run(capsys, "data", "check", str(d))
    assert code == 1 and "leads out of the dataset directory" in err
    # also without a dataset.yaml (every CSV in the folder)
    (d / "dataset.yaml").unlink()
    code, _, err = _run(capsys, "data", "check", str(d))
    assert code == 1 and "link.csv" in err and "leads out" in err


def test_fifo_and_devices_are_refused_without_reading(tmp_path, capsys):
    d = _yaml_dataset(tmp_path, "path: pipe.csv")
    os.mkfifo(d / "pipe.csv")  # opening it would block forever
    code, _, err = _run(capsys, "data", "check", str(d))
    assert code == 1 and "'pipe.csv' is a FIFO" in err
    code, _, err = _run(capsys, "data", "check", "/dev/zero")
    assert code == 1 and "is a device" in err
    d2 = _dataset(tmp_path, "withdev")
    (d2 / "zero.csv").symlink_to("/dev/zero")
    code, _, err = _run(capsys, "data", "check", str(d2))
    assert code == 1 and "zero.csv" in err


# ----------------------------------------------------------------------------------- dataset.yaml


@pytest.mark.parametrize("text, line, expected", [
    ("files:\n  - path: observations.csv\n   format: [tidy\n", 3, "not valid YAML"),
    ("files:\n\t- path: observations.csv\n", 2, "tab used for indentation"),
    ("just a sentence\n", 1, "expected a mapping"),
    ("- observations.csv\n", 1, "expected a mapping"),
    ("title: x\nfiles: observations.csv\n", 2, "files: must be a list"),
    ("files:\n  - format: tidy\n", 2, "has no path"),
    ("files:\n  - path: observations.csv\n  - path: missing.csv\n", 3, "'missing.csv' not found"),
    ("files:\n  - path: observations.csv\n    format: xls\n", 2, "unknown format 'xls'"),
    ("files:\n  - path: observations.csv\n    format: yearbook\n", 2, "needs region"),
])
def test_malformed_dataset_yaml_gives_one_line_with_its_line_number(tmp_path, capsys, text, line, expected):
    d = _dataset(tmp_path, yaml_text=text)
    before = _hashes(d)
    for cmd in (["data", "check", str(d)], ["data", "build", "--dataset", str(d), "--out", str(tmp_path / "p")]):
        code, _, err = _run(capsys, *cmd)
        assert code == 1, cmd
        hits = [ln for ln in err.splitlines() if expected in ln]
        assert len(hits) == 1, err
        assert f"dataset.yaml:{line}" in hits[0]
    assert _hashes(d) == before
    assert not (tmp_path / "p" / "mydata").exists()


def test_dataset_yaml_with_bom_is_read(tmp_path, capsys):
    d = _dataset(tmp_path)
    (d / "dataset.yaml").write_bytes("\ufefftitle: 溧阳\nfiles:\n  - path: observations.csv\n".encode())
    code, out, _ = _run(capsys, "data", "check", str(d))
    assert code == 0 and "0 error(s)" in out


def test_missing_dataset_path_is_one_line(tmp_path, capsys):
    code, _, err = _run(capsys, "data", "check", str(tmp_path / "nope"))
    assert code == 1 and "not found" in err


# ----------------------------------------------------------------------------------- output problems


def test_out_pointing_at_a_file_is_a_bad_argument(tmp_path, capsys):
    d = _dataset(tmp_path)
    f = tmp_path / "afile"
    f.write_text("x", encoding="utf-8")
    code, _, err = _run(capsys, "data", "build", "--dataset", str(d), "--out", str(f))
    assert code == 2 and "is a file, not a folder" in err
    code, _, err = _run(capsys, "data", "build", "--dataset", str(d), "--out", str(f / "sub"))
    assert code == 2 and "is a file" in err
    assert f.read_text(encoding="utf-8") == "x"


def test_full_disk_keeps_the_previous_build(tmp_path, capsys, monkeypatch):
    d = _dataset(tmp_path)
    out = tmp_path / "p"
    assert _run(capsys, "data", "build", "--dataset", str(d), "--out", str(out))[0] == 0
    before = _hashes(out)

    def full(self, path, *a, **k):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(pd.DataFrame, "to_parquet", full)
    code, _, err = _run(capsys, "data", "build", "--dataset", str(d), "--out", str(out))
    assert code == 1
    assert len(err.strip().splitlines()) == 1 and "No space left on device" in err and "previous output is kept" in err
    assert _hashes(out) == before and [p.name for p in out.iterdir()] == ["mydata"]


# ----------------------------------------------------------------------------------- CSV injection


def test_csv_outputs_neutralise_formulas_but_not_numbers(tmp_path):
    from liyang_ip.data import load_dataset

    obs = OBS + "溧阳市,2021,invention_patents_held,-4,件,official,S1,=1+2,\n"  # a negative count: error row
    d = _dataset(tmp_path, obs=OBS.replace("official,S1,,\n", "official,S1,@SUM(A1),+cmd\n", 1),
                 sources="source_id,title,publisher,url\nS1,=HYPERLINK(\"http://x\"),-2+3 统计局,\n")
    _, out = B.build_and_write(d, out_root=tmp_path / "p")
    src = (out / "sources.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in src and "'-2+3 统计局" in src
    observations = (out / "observations.csv").read_text(encoding="utf-8")
    assert "'@SUM(A1)" in observations and "'+cmd" in observations
    # numbers are untouched, also negative ones written as text in the issues report
    d2 = _dataset(tmp_path, "neg", obs=obs)
    built = B.build(d2)
    safe = __import__("liyang_ip.fsutil", fromlist=["csv_safe"]).csv_safe(
        pd.DataFrame({"value": ["-4", "=1+2", "+1.5"], "n": [-4.0, 1.0, 2.0]}))
    assert safe["value"].tolist() == ["-4", "'=1+2", "+1.5"] and safe["n"].tolist() == [-4.0, 1.0, 2.0]
    assert any(i.value == "-4" for i in built.errors)
    # the processed directory reads back with the original text
    ds = load_dataset(out)
    assert ds.sources.loc[0, "title"] == '=HYPERLINK("http://x")'


# ----------------------------------------------------------------------------------- processed as --dataset


def test_processed_directory_is_accepted_as_a_dataset(tmp_path, capsys):
    from liyang_ip.data import load_dataset

    d = _dataset(tmp_path)
    built, out = B.build_and_write(d, out_root=tmp_path / "p")
    ds = load_dataset(out)
    assert ds.name == "mydata" and ds.metadata["fingerprint"] == built.metadata["fingerprint"]
    pd.testing.assert_frame_equal(ds.observations, built.observations)
    # check/build say what it is instead of reading coverage.csv as observations
    code, _, err = _run(capsys, "data", "check", str(out))
    assert code == 1 and "processed dataset" in err
