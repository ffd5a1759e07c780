"""What a dataset path means: its files, formats, sources, targets and name, read safely.

A dataset is a single file (tidy CSV or the Excel template, with an optional ``sources.csv`` beside it)
or a directory: with a ``dataset.yaml`` naming its files, or without one (every ``*.csv`` / ``*.xlsx``
in it). Files are read only from inside the dataset directory: entries with absolute paths or ``..``,
symlinks that lead out of the directory, and anything that is not a regular file (FIFOs, devices,
directories) are refused with a message naming ``dataset.yaml`` and its line. Nothing here reads a
data file; `build` does, through `readers`.

``dataset.yaml``::

    name: mydata              # output folder name (default: the directory's name)
    title: 溧阳市知识产权数据
    sources: sources.csv      # default sources.csv
    targets: targets.csv      # optional plan targets
    files:
      - path: observations.csv
        format: tidy          # tidy | template | yearbook (default: by extension)
      - path: 年鉴表3-12.xlsx
        format: yearbook
        region: 溧阳市        # yearbook tables need the region they describe
        sheet: 表3-12
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath

from .readers import RawFileError
from .schema import Issue

FORMATS = ("tidy", "template", "yearbook")
SPEC_FILE = "dataset.yaml"
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")


class DatasetSpecError(RawFileError):
    """A dataset path or ``dataset.yaml`` that cannot be used at all (one line: file:line: message)."""


@dataclass
class DatasetSpec:
    """The resolved parts of one dataset (paths are checked: inside the dataset, regular files)."""

    root: Path  # the dataset directory (or the single file)
    files: list[dict] = field(default_factory=list)  # {"path": Path, "format": str, ...entry keys}
    sources: Path | None = None
    targets: Path | None = None
    meta: dict = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)  # entries that were left out, with why


# --------------------------------------------------------------------------- names


def check_name(name: object, where: str = "dataset name", line: int | None = None) -> str:
    """A dataset name that is safe as one folder under the output root, or DatasetSpecError.

    Refused: empty, ``.``, ``..``, names starting with ``.`` (hidden; the build's own temporary
    folders), and names with a path separator or a NUL character.
    """
    if not isinstance(name, str):
        raise DatasetSpecError(where, f"name must be text, not {type(name).__name__}", row=line, field="name")
    bad = ""
    if not name.strip():
        bad = "it is empty"
    elif name in (".", ".."):
        bad = f"{name!r} is not a folder name"
    elif any(sep in name for sep in ("/", "\\", "\0")):
        bad = "it contains a path separator"
    elif name.startswith("."):
        bad = "it starts with '.' (hidden folders are reserved for temporary build folders)"
    if bad:
        raise DatasetSpecError(where, f"dataset name {name!r} refused: {bad}; give a plain folder name such as "
                               "'liyang_2024' (name: in dataset.yaml, or rename the directory)",
                               row=line, field="name")
    return name


def default_name(src: Path) -> str:
    """The resolved directory's name, or the file's stem."""
    src = Path(src)
    return src.stem if src.is_file() else src.resolve().name


# --------------------------------------------------------------------------- safe paths


def require_regular(path: Path, where: str, line: int | None = None, what: str = "file") -> Path:
    """`path` exists and is a regular file (stat follows symlinks; a FIFO is never opened)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise DatasetSpecError(where, f"{what} {path.name!r} not found in {path.parent}", row=line) from None
    except OSError as e:
        raise DatasetSpecError(where, f"{what} {path.name!r} cannot be read ({e.strerror})", row=line) from None
    if not stat.S_ISREG(st.st_mode):
        kind = ("a directory" if stat.S_ISDIR(st.st_mode) else "a FIFO (named pipe)" if stat.S_ISFIFO(st.st_mode)
                else "a device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode)
                else "a socket" if stat.S_ISSOCK(st.st_mode) else "not a regular file")
        raise DatasetSpecError(where, f"{what} {path.name!r} is {kind}; only regular files are read", row=line)
    return path


def member(root: Path, rel: object, where: str, line: int | None = None, what: str = "file") -> Path:
    """`root/rel` for a relative path that stays inside `root` (also after following symlinks)."""
    if not isinstance(rel, str) or not rel.strip():
        raise DatasetSpecError(where, f"{what} path must be a file name such as observations.csv, not {rel!r}",
                               row=line, field="path")
    if "\0" in rel:
        raise DatasetSpecError(where, f"{what} path contains a NUL character", row=line, field="path")
    if PurePosixPath(rel).is_absolute() or PureWindowsPath(rel).is_absolute() or PureWindowsPath(rel).drive:
        raise DatasetSpecError(where, f"{what} path {rel!r} is absolute; give a path inside the dataset directory",
                               row=line, field="path")
    parts = PureWindowsPath(rel).parts  # splits on both / and \
    if ".." in parts:
        raise DatasetSpecError(where, f"{what} path {rel!r} contains '..'; give a path inside the dataset "
                               "directory", row=line, field="path")
    path = root / rel
    inside(root, path, where, line, what)
    return require_regular(path, where, line, what)


def inside(root: Path, path: Path, where: str, line: int | None = None, what: str = "file") -> None:
    """DatasetSpecError when `path`, symlinks followed, is not inside `root`."""
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        raise DatasetSpecError(where, f"{what} {path.name!r} is a link that leads out of the dataset directory "
                               f"(to {path.resolve()}); copy the file into the directory instead",
                               row=line, field="path") from None
    except (OSError, RuntimeError) as e:  # symlink loops
        raise DatasetSpecError(where, f"{what} {path.name!r} cannot be resolved ({e})", row=line) from None


# --------------------------------------------------------------------------- dataset.yaml


class _Map(dict):
    """A YAML mapping that remembers the line of each key (1-based)."""

    line: int = 1
    key_lines: dict

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


def _loader():
    import yaml

    class LineLoader(yaml.SafeLoader):
        pass

    def construct_map(loader, node):
        loader.flatten_mapping(node)
        m = _Map()
        m.line = node.start_mark.line + 1
        m.key_lines = {}
        for k_node, v_node in node.value:
            k = loader.construct_object(k_node, deep=True)
            try:
                hash(k)
            except TypeError:
                raise DatasetSpecError("", f"a key must be a plain word, not {k!r}",
                                       row=k_node.start_mark.line + 1) from None
            m[k] = loader.construct_object(v_node, deep=True)
            m.key_lines[k] = k_node.start_mark.line + 1
        return m

    LineLoader.add_constructor("tag:yaml.org,2002:map", construct_map)
    return LineLoader


def load_yaml(path: Path) -> object:
    """Parse ``dataset.yaml`` (UTF-8 with or without BOM); DatasetSpecError naming the line on any problem."""
    import yaml

    where = str(path)
    data = require_regular(path, where, what="dataset.yaml").read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise DatasetSpecError(where, "not UTF-8 text; save dataset.yaml as UTF-8", row=line) from None
    for n, ln in enumerate(text.splitlines(), start=1):
        indent = ln[: len(ln) - len(ln.lstrip(" \t"))]
        if "\t" in indent:
            raise DatasetSpecError(where, "tab used for indentation; YAML needs spaces (replace the tab with two "
                                   "spaces)", row=n)
    try:
        return yaml.load(text, Loader=_loader())  # noqa: S506 - a SafeLoader subclass
    except DatasetSpecError as e:
        raise DatasetSpecError(where, e.issue.message, row=e.issue.row) from None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark is not None else None
        what = " ".join(x for x in (e.context, e.problem) if x)
        raise DatasetSpecError(where, f"not valid YAML ({what}); see the example in the README", row=line) from None
    except yaml.YAMLError as e:
        raise DatasetSpecError(where, f"not valid YAML ({e})") from None


def _format_for(path: Path) -> str:
    return "template" if path.suffix.lower() in EXCEL_SUFFIXES else "tidy"


def read_spec(src: Path) -> DatasetSpec:
    """Resolve a dataset path into its checked parts.

    Raises
    ------
    DatasetSpecError
        For a path that is not a regular file or directory, and for a ``dataset.yaml`` that cannot be
        used at all (bad YAML, tabs, a scalar instead of a mapping, ``files:`` not a list). Problems of
        single entries (missing file, unknown format, no path, yearbook without region) are returned as
        error issues in ``DatasetSpec.issues`` and the entry is left out.
    """
    src = Path(src)
    if not src.is_dir():
        require_regular(src, str(src), what="dataset file")
        root = src.parent
        spec = DatasetSpec(root=src, files=[{"path": src, "format": _format_for(src)}])
        sib = src.with_name("sources.csv")
        if sib.exists() and sib.name != src.name:
            spec.sources = _checked(root, sib, str(sib), None, "sources file", spec.issues)
        return spec
    meta_path = src / SPEC_FILE
    if meta_path.exists() or meta_path.is_symlink():
        inside(src, meta_path, str(meta_path), what=SPEC_FILE)
        return _from_yaml(src, meta_path)
    spec = DatasetSpec(root=src)
    for p in sorted(src.iterdir()):
        if p.name in ("sources.csv", "targets.csv") or p.name.startswith((".", "~$")):
            continue
        if p.suffix.lower() in (".csv", *EXCEL_SUFFIXES):
            ok = _checked(src, p, str(p), None, "file", spec.issues)
            if ok is not None:
                spec.files.append({"path": p, "format": _format_for(p)})
    for key in ("sources", "targets"):
        p = src / f"{key}.csv"
        if p.exists() or p.is_symlink():
            setattr(spec, key, _checked(src, p, str(p), None, f"{key} file", spec.issues))
    return spec


def _checked(root: Path, path: Path, where: str, line: int | None, what: str, issues: list[Issue]) -> Path | None:
    try:
        inside(root, path, where, line, what)
        return require_regular(path, where, line, what)
    except DatasetSpecError as e:
        issues.append(e.issue)
        return None


def _from_yaml(src: Path, meta_path: Path) -> DatasetSpec:
    where = str(meta_path)
    meta = load_yaml(meta_path)
    if meta is None:
        meta = _Map()
        meta.line, meta.key_lines = 1, {}
    if not isinstance(meta, dict):
        raise DatasetSpecError(where, f"expected a mapping (name:, files:, sources:), found {type(meta).__name__} "
                               f"{str(meta)[:60]!r}", row=1)
    spec = DatasetSpec(root=src, meta=dict(meta))
    line_of = meta.line_of if isinstance(meta, _Map) else (lambda _k: None)
    if "name" in meta:
        check_name(meta["name"], where, line_of("name"))
    files = meta.get("files", [])
    if files is None:
        files = []
    if not isinstance(files, list):
        raise DatasetSpecError(where, f"files: must be a list of entries such as '- path: observations.csv' (one per "
                               f"line), not {type(files).__name__} {str(files)[:60]!r}", row=line_of("files"),
                               field="files")
    for n, entry in enumerate(files, start=1):
        line = entry.line if isinstance(entry, _Map) else line_of("files")
        try:
            spec.files.append(_entry(src, entry, where, line, n))
        except DatasetSpecError as e:
            spec.issues.append(e.issue)
    for key, default in (("sources", "sources.csv"), ("targets", None)):
        rel = meta.get(key, default)
        if rel is None:
            continue
        line = line_of(key) if key in meta else None
        if key not in meta and not (src / rel).exists():
            continue  # no sources.csv: build warns that source ids cannot be checked
        try:
            setattr(spec, key, member(src, rel, where, line, what=f"{key} file"))
        except DatasetSpecError as e:
            spec.issues.append(e.issue)
    return spec


def _entry(src: Path, entry: object, where: str, line: int | None, n: int) -> dict:
    if isinstance(entry, str):
        entry = {"path": entry}
    if not isinstance(entry, dict):
        raise DatasetSpecError(where, f"files: entry {n} must be a mapping with path: (and format:), not {entry!r}",
                               row=line, field="files")
    if "path" not in entry:
        raise DatasetSpecError(where, f"files: entry {n} has no path: (the file name, e.g. path: observations.csv)",
                               row=line, field="path")
    path = member(src, entry["path"], where, line)
    fmt = entry.get("format") or _format_for(path)
    if fmt not in FORMATS:
        raise DatasetSpecError(where, f"unknown format {fmt!r} for {entry['path']}; use one of {', '.join(FORMATS)}",
                               row=line, field="format")
    out = dict(entry, path=path, format=fmt, _line=line)
    if fmt == "yearbook" and not str(entry.get("region") or "").strip():
        raise DatasetSpecError(where, f"yearbook entry {entry['path']!r} needs region: (the region the table "
                               "describes, e.g. region: 溧阳市)", row=line, field="region")
    return out
