"""CJK font for exported reports: find an installed one, subset it, embed it in the HTML.

Chromium prints CFF-flavoured OpenType fonts (Noto Sans CJK, Source Han Sans: ``.otf``/``.ttc`` with
PostScript outlines) as unnamed Type 3 glyph procedures. To get a real, named, subsetted CJK font in
the PDF (and an HTML file that shows Chinese on a machine without CJK fonts), the characters a
report uses are cut out of the installed font with fontTools, converted to TrueType outlines and
embedded as a base64 ``@font-face``. When no font is found or fontTools cannot handle it, the CSS
stack of system fonts is used instead (and a warning says so).
"""

from __future__ import annotations

import base64
import io
import os
import shutil
import subprocess
import sys
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

CJK_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "WenQuanYi Micro Hei")
EMBEDDED_FAMILY = "Liyang Report CJK"
FONT_STACK = ", ".join(f'"{f}"' for f in (EMBEDDED_FAMILY, *CJK_FAMILIES)) + ", sans-serif"

# Where fonts live when fontconfig (fc-match) is not there: Windows and macOS.
_KNOWN_FILES = {
    400: [
        ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "Noto Sans CJK SC"),
        ("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", "Noto Sans CJK SC"),
        (r"C:\Windows\Fonts\msyh.ttc", "Microsoft YaHei"),
        ("/System/Library/Fonts/PingFang.ttc", "PingFang SC"),
        ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", "WenQuanYi Micro Hei"),
    ],
    700: [
        ("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", "Noto Sans CJK SC"),
        ("/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc", "Noto Sans CJK SC"),
        (r"C:\Windows\Fonts\msyhbd.ttc", "Microsoft YaHei"),
    ],
}


@dataclass(frozen=True)
class FontFace:
    path: str
    index: int  # face number inside a .ttc collection
    family: str
    weight: int  # 400 or 700


def _fc_match(family: str, weight: int) -> FontFace | None:
    fc = shutil.which("fc-match")
    if not fc:
        return None
    style = "Bold" if weight >= 700 else "Regular"
    try:
        out = subprocess.run([fc, "-f", "%{family}|%{style}|%{file}|%{index}", f"{family}:style={style}"],
                             capture_output=True, text=True, timeout=10, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    fams, styles, path, index = (out.split("|") + ["", "", "", "0"])[:4]
    # fc-match always answers with *something*; accept only the family asked for.
    if family not in fams.split(",") or not path or not Path(path).exists():
        return None
    if weight >= 700 and "Bold" not in styles:
        return None
    return FontFace(path, int(index or 0), family, weight)


def find_cjk_font(weight: int = 400) -> FontFace | None:
    """The first installed font of the CJK stack in this weight (400 regular, 700 bold), or None.

    Environment variable ``LIYANG_IP_CJK_FONT`` (a font file; ``path#index`` for a face in a .ttc)
    takes precedence for the regular weight.
    """
    env = os.environ.get("LIYANG_IP_CJK_FONT")
    if env and weight == 400:
        path, _, idx = env.partition("#")
        if Path(path).exists():
            return FontFace(path, int(idx or 0), "custom", 400)
    for family in CJK_FAMILIES:
        face = _fc_match(family, weight)
        if face:
            return face
    for path, family in _KNOWN_FILES.get(weight, []):
        if Path(path).exists():
            # In the Noto CJK collections the simplified-Chinese face is number 2.
            return FontFace(path, 2 if "NotoSansCJK" in path else 0, family, weight)
    return None


def _to_truetype(font) -> None:
    """Replace CFF outlines by quadratic TrueType outlines (in place)."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for attr in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    font["maxp"] = maxp
    font["head"].glyphDataFormat = 0
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    font.sfntVersion = "\x00\x01\x00\x00"


FONT_CACHE_ENV = "LIYANG_IP_FONT_CACHE"


def font_cache_dir() -> Path | None:
    """Where subsetted fonts are kept between exports: ``$LIYANG_IP_FONT_CACHE``, else
    ``$XDG_CACHE_HOME/liyang-ip/fonts`` (``~/.cache/liyang-ip/fonts``); None when set to ``off``."""
    from .. import envvars

    if envvars.switched_off(FONT_CACHE_ENV):
        return None
    given = envvars.value(FONT_CACHE_ENV)
    if given:
        return Path(given)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "liyang-ip" / "fonts"


def _subset_bytes(path: str, index: int, chars: str) -> bytes | None:
    """The subset of face `index` of `path` covering `chars` as TrueType, or None when it may not be
    embedded; kept on disk (:func:`font_cache_dir`) keyed by the font file, the characters and this
    module's code, because cutting and converting the outlines costs about 3 s of CPU per export."""
    import hashlib

    from ..fsutil import atomic_write_bytes

    st = os.stat(path)
    key = hashlib.sha256("|".join([path, str(st.st_size), str(st.st_mtime_ns), str(index), chars,
                                   _module_digest()]).encode()).hexdigest()[:32]
    folder = font_cache_dir()
    if folder is not None:
        try:
            data = (folder / f"{key}.ttf").read_bytes()
            return data or None  # an empty file records "may not be embedded"
        except OSError:
            pass
    data = _subset_uncached(path, index, chars)
    if folder is not None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(folder / f"{key}.ttf", data or b"")
        except OSError:
            pass  # a cache that cannot be written only costs time
    return data


@lru_cache(maxsize=1)
def _module_digest() -> str:
    import hashlib

    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


@lru_cache(maxsize=16)
def _subset_uncached(path: str, index: int, chars: str) -> bytes | None:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    # No new timestamp: the same characters give the same bytes (cached, reproducible reports).
    font = TTFont(path, fontNumber=index, lazy=True, recalcTimestamp=False)
    if int(getattr(font.get("OS/2"), "fsType", 0)) & 0x0002:
        return None  # restricted licence: must not be embedded
    if "CFF2" in font:
        return None  # variable CFF2 outlines: not handled here
    opts = subset.Options()
    opts.notdef_outline = True
    opts.hinting = False
    opts.desubroutinize = True
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=sorted({ord(c) for c in chars}))
    sub.subset(font)
    if "CFF " in font:
        _to_truetype(font)
    buf = io.BytesIO()
    font.save(buf)
    return buf.getvalue()


def _charset(text: str) -> str:
    """The characters of `text` from U+0020 up, plus printable ASCII, sorted: what a subset covers and
    its cache key (the same characters in another text give the same font)."""
    chars = set(text)  # C speed: a report page is megabytes (the characters of inline SVG included)
    chars.update(map(chr, range(0x20, 0x7F)))
    return "".join(sorted(c for c in chars if c >= "\x20"))


def embedded_font_css(text: str, bold_text: str = "") -> str:
    """``@font-face`` rules embedding the installed CJK font, subsetted to the characters used.

    Parameters
    ----------
    text : all text of the document(s) (regular weight; markup does no harm, it is ASCII).
    bold_text : the text set in bold (headings, table headers); its characters also get the bold
        face, the rest is synthesised bold by the browser if ever needed.

    Returns an empty string (after a warning) when no CJK font is installed or it cannot be embedded;
    the CSS font stack then falls back to the system fonts.
    """
    rules = []
    regular = _charset(text)
    bold = regular if bold_text == text else _charset(bold_text)
    for weight, chars in ((400, regular), (700, bold)):
        face = find_cjk_font(weight)
        if face is None or (weight == 700 and not bold_text):
            continue
        try:
            data = _subset_bytes(face.path, face.index, chars)
        except Exception as e:  # noqa: BLE001 - a font problem must not stop the export
            warnings.warn(f"could not embed {face.path} ({e}); using the system fonts", stacklevel=2)
            data = None
        if data:
            b64 = base64.b64encode(data).decode("ascii")
            rules.append(f'@font-face {{ font-family: "{EMBEDDED_FAMILY}"; font-weight: {weight}; '
                         f'font-style: normal; src: url(data:font/ttf;base64,{b64}) format("truetype"); }}')
    if not rules:
        hint = ("apt-get install fonts-noto-cjk" if sys.platform.startswith("linux")
                else "install Noto Sans CJK SC or Source Han Sans SC")
        warnings.warn(f"no embeddable CJK font found ({', '.join(CJK_FAMILIES)}); Chinese text relies on "
                      f"the viewer's fonts ({hint})", stacklevel=2)
    return "\n".join(rules)
