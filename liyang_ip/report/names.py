"""Safe file and directory names made from user text (block names, run names, parameter labels).

A block name such as ``溧阳市`` is kept as it is; anything that could escape the output directory or
is not portable (path separators, ``..``, NUL and other control characters, Windows-reserved characters
and device names, trailing dots and spaces) is replaced by ``_``. When a name had to be changed, a short
hash of the original text is appended so that two different inputs do not end up in the same directory.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

# Characters Windows forbids in names, plus both path separators.
_FORBIDDEN = set('<>:"/\\|?*')
_WINDOWS_DEVICES = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))}
# Leaves room for a hash suffix and an extension inside the usual 255-byte limit of one path component.
_MAX_BYTES = 180


def _clean_char(c: str) -> str:
    if c in _FORBIDDEN:
        return "_"
    cat = unicodedata.category(c)
    # Control, format, surrogate, private-use, unassigned (C*) and all separators/whitespace (Z*).
    if cat[0] in "CZ":
        return "_"
    return c


def safe_name(text: object, fallback: str = "unnamed") -> str:
    """A single path component made from `text`, safe to join under an output directory.

    Parameters
    ----------
    text : object
        Any text (converted with ``str``). Chinese and other letters are kept.
    fallback : str
        Used when nothing printable is left (e.g. for ``".."`` or ``""``), followed by a hash.

    Returns
    -------
    str
        Non-empty, no separators, not ``.``/``..``, no control characters, at most ~190 UTF-8 bytes.
        Unchanged when `text` was already safe; otherwise ``<cleaned>-<8 hex digits of sha256(text)>``.

    Examples
    --------
    >>> safe_name("溧阳市")
    '溧阳市'
    >>> safe_name("../etc/passwd")[:12]
    'etc_passwd-'
    """
    raw = str(text)
    norm = unicodedata.normalize("NFC", raw)
    cleaned = "".join(_clean_char(c) for c in norm)
    cleaned = re.sub(r"_+", "_", cleaned).strip("._- ")
    if cleaned.split(".")[0].upper() in _WINDOWS_DEVICES:
        cleaned = "_" + cleaned
    while len(cleaned.encode("utf-8")) > _MAX_BYTES:
        cleaned = cleaned[:-1]
    cleaned = cleaned.rstrip("._- ")
    if cleaned == raw and cleaned:
        return cleaned
    digest = hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{cleaned or fallback}-{digest}"
