"""Atomic file writes: write to a temporary file in the same directory, fsync, then os.replace.

A reader never sees a half-written file, and a crash leaves the previous version in place. Unlike
`tempfile`'s private 0600 files, the result gets the usual permissions (0666 minus the umask): data and
reports are meant to be read by colleagues.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_bytes(path: str | Path, data: bytes) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def atomic_write_text(path: str | Path, text: str, encoding: str = "utf-8") -> Path:
    return atomic_write_bytes(path, text.encode(encoding))


def atomic_write_with(path: str | Path, writer: Callable[[Path], None]) -> Path:
    """Let `writer(tmp_path)` write a file (e.g. DataFrame.to_parquet), then move it into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        writer(Path(tmp))
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def replace_directory(tmp_dir: str | Path, final_dir: str | Path) -> Path:
    """Swap a fully written `tmp_dir` into `final_dir` (the old one is removed only after the swap).

    Everything in `tmp_dir` is fsync'ed first, so what is swapped in is on disk.
    """
    tmp_dir, final_dir = Path(tmp_dir), Path(final_dir)
    fsync_tree(tmp_dir)
    old = None
    if final_dir.exists():
        old = final_dir.with_name(f".{final_dir.name}.old-{os.getpid()}")
        if old.exists():
            shutil.rmtree(old)
        os.replace(final_dir, old)
    os.replace(tmp_dir, final_dir)
    _fsync_dir(final_dir.parent)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return final_dir


def fsync_tree(root: str | Path) -> None:
    """fsync every regular file and directory under `root` (and `root` itself), so a build is on disk
    before it is swapped into place."""
    root = Path(root)
    for dirpath, _dirnames, filenames in os.walk(root):
        for name in filenames:
            p = os.path.join(dirpath, name)
            fd = os.open(p, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        _fsync_dir(dirpath)


def _fsync_dir(path: str | Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - some filesystems refuse fsync on directories
        pass
    finally:
        os.close(fd)


def make_build_dir(parent: str | Path, name: str) -> Path:
    """A new temporary directory beside `parent/name` with the usual permissions (0777 minus the umask,
    i.e. 0755), not mkdtemp's private 0700."""
    parent = Path(parent)
    tmp = Path(tempfile.mkdtemp(prefix=f".{name}.tmp-", dir=parent))
    os.chmod(tmp, 0o777 & ~_umask())
    return tmp


#: First characters that make a spreadsheet treat a text cell as a formula (OWASP CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def neutralise_cell(text: str) -> str:
    """Prefix a text cell that a spreadsheet would run as a formula with an apostrophe.

    Text such as ``=HYPERLINK(…)``, ``+cmd``, ``-2+3`` or ``@SUM(…)`` becomes ``'=HYPERLINK(…)``; plain
    numbers written as text (``-4``, ``+1.5``, ``-1e3``) are left as they are.
    """
    if not text or not text.startswith(FORMULA_TRIGGERS):
        return text
    if _PLAIN_NUMBER.fullmatch(text):
        return text
    return "'" + text


def restore_cell(text: str) -> str:
    """Undo `neutralise_cell` when reading a CSV this project wrote."""
    if isinstance(text, str) and len(text) > 1 and text[0] == "'" and text[1] in "=+-@\t\r":
        return text[1:]
    return text


def csv_safe(df):
    """A copy of a DataFrame whose text cells cannot run as spreadsheet formulas (numbers untouched).

    Only object/string columns are changed; numeric columns are never touched, so ``-4.0`` stays a
    number.
    """
    import pandas as pd

    out = df.copy()
    for c in out.columns:
        s = out[c]
        if pd.api.types.is_object_dtype(s) or pd.api.types.is_string_dtype(s):
            mask = s.map(lambda v: isinstance(v, str) and v.startswith(FORMULA_TRIGGERS))
            if mask.any():
                out[c] = s.where(~mask, s[mask].map(neutralise_cell))
    return out


def write_csv(df, path: str | Path, **kwargs) -> Path:
    """Write a DataFrame as CSV atomically with injection-safe text cells (see `csv_safe`)."""
    kwargs.setdefault("index", False)
    safe = csv_safe(df)
    return atomic_write_with(path, lambda tmp: safe.to_csv(tmp, **kwargs))
