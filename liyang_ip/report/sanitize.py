"""Make report HTML inert: no script can run from it, whatever a dataset's strings contain.

Strings from a user's data (source titles, publishers, URLs, notes, names) are escaped where they are
put into HTML (tables, cover, captions). This module is the second line: every report page passes
through :func:`inert_html` before it is written, which removes what could run or load something:

* elements that run or embed code (``script``, ``iframe``, ``object``, ``embed``, ``frame``,
  ``frameset``, ``applet``, ``base``, ``form``, ``meta http-equiv=refresh``), with their content;
* event-handler attributes (``onclick``, ``onerror``, …) and ``srcdoc``/``formaction``;
* ``javascript:``/``vbscript:`` URLs, and ``data:`` URLs other than images and fonts;
* comments a browser could end earlier than this parser does (``<!-->``, ``--!>``, ``<!--`` inside),
  which would let markup hidden in them through; ``<![CDATA[…]]>`` sections become escaped text
  (what they mean inside SVG; elsewhere a browser ends them at the first ``>``).

Everything else (text, entities, comments, CSS, embedded images and fonts) is written back as it was
read, so the layout does not change. Printing additionally runs with JavaScript switched off.
"""

from __future__ import annotations

import html
import re
import uuid
from html.parser import HTMLParser

#: Elements dropped together with everything inside them.
DROPPED_ELEMENTS = frozenset({"script", "iframe", "object", "embed", "frame", "frameset", "applet", "base",
                              "form", "noscript", "template"})
#: Attributes that hold a URL (checked for a safe scheme).
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "background", "poster",
                            "cite", "data", "srcset", "ping", "manifest", "codebase", "longdesc", "lowsrc",
                            "dynsrc"})
# Elements without an end tag: dropping one must not swallow what follows it.
VOID_ELEMENTS = frozenset({"area", "base", "br", "col", "embed", "frame", "hr", "img", "input", "link", "meta",
                           "param", "source", "track", "wbr"})
DROPPED_ATTRIBUTES = frozenset({"srcdoc", "formaction"})
# Scheme of a URL after the browser's own clean-up (it ignores whitespace and control characters).
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE)
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f]+")
SAFE_DATA_URL = re.compile(r"^data:(image/(png|jpeg|gif|webp)|font/|application/(font|x-font))", re.IGNORECASE)


_STYLE_SCRIPT = re.compile(r"expression\s*\(|javascript:", re.IGNORECASE)
# Comment text every HTML parser reads the same way (WHATWG "comments"): it does not start with ">" or
# "->", holds no "<!--", "-->" or "--!>", and does not end with "<!-" (here: no "<", ">" or "--" at all,
# and no "-" at either end).
_SAFE_COMMENT = re.compile(r"(?!-)(?:[^<>-]|-(?!-))*(?<!-)", re.DOTALL)

_BASE64_IMAGE = re.compile(r"(data:image/(?:png|jpeg|gif|webp);base64,)([A-Za-z0-9+/=\s]{256,})")


def _safe_url(value: str) -> bool:
    url = _IGNORED_IN_URL.sub("", html.unescape(value))
    m = _SCHEME.match(url)
    if not m:
        return True  # relative URL or fragment
    scheme = m.group(1).lower()
    if scheme in ("http", "https", "mailto", "file"):
        return True
    if scheme == "data":
        return bool(SAFE_DATA_URL.match(url))
    return False


class _Inert(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self.skip_depth = 0  # > 0 inside a dropped element
        self.skip_tag: str | None = None
        self.removed = 0

    # -- tags
    def _attrs(self, tag: str, attrs: list[tuple[str, str | None]]) -> str | None:
        parts = []
        if tag == "meta" and any(k.lower() == "http-equiv" for k, _ in attrs):
            return None
        for name, value in attrs:
            key = name.lower()
            if key.startswith("on") or key in DROPPED_ATTRIBUTES:
                self.removed += 1
                continue
            if value is not None and key in URL_ATTRIBUTES and not _safe_url(value):
                self.removed += 1
                continue
            if value is not None and key == "style" and _STYLE_SCRIPT.search(value):
                self.removed += 1
                continue
            parts.append(name if value is None else f'{name}="{html.escape(value, quote=True)}"')
        return "".join(" " + p for p in parts)

    def handle_starttag(self, tag, attrs):
        self._start(tag, attrs, close="")

    def handle_startendtag(self, tag, attrs):
        self._start(tag, attrs, close=" /")

    def _start(self, tag, attrs, close):
        if self.skip_depth:
            if tag == self.skip_tag and not close:
                self.skip_depth += 1
            return
        if tag in DROPPED_ELEMENTS:
            self.removed += 1
            if not close and tag not in VOID_ELEMENTS:
                self.skip_depth, self.skip_tag = 1, tag
            return
        rendered = self._attrs(tag, attrs)
        if rendered is None:
            self.removed += 1
            return
        self.out.append(f"<{tag}{rendered}{close}>")

    def handle_endtag(self, tag):
        if self.skip_depth:
            if tag == self.skip_tag:
                self.skip_depth -= 1
                if not self.skip_depth:
                    self.skip_tag = None
            return
        if tag in DROPPED_ELEMENTS:
            return
        self.out.append(f"</{tag}>")

    # -- everything else is written back as read
    def handle_data(self, data):
        if not self.skip_depth:
            self.out.append(data if self.cdata_elem else data.replace("<", "&lt;"))

    def handle_entityref(self, name):
        if not self.skip_depth:
            self.out.append(f"&{name};")

    def handle_charref(self, name):
        if not self.skip_depth:
            self.out.append(f"&#{name};")

    def handle_comment(self, data):
        if self.skip_depth:
            return
        if _SAFE_COMMENT.fullmatch(data):
            self.out.append(f"<!--{data}-->")
        else:
            self.removed += 1

    def handle_decl(self, decl):
        self.out.append(f"<!{decl}>")

    def handle_pi(self, data):
        self.removed += 1

    def unknown_decl(self, data):
        if self.skip_depth:
            return
        if data.startswith("CDATA["):
            self.out.append(html.escape(data[len("CDATA["):], quote=False))
        else:  # a conditional or other marked section: nothing a page needs
            self.removed += 1


def inert_html(page: str) -> str:
    """`page` with everything that could run script or load a frame removed (see the module docstring).

    Examples
    --------
    >>> inert_html('<p title="x">标题 &amp; <b>粗</b></p><script>alert(1)</script>')
    '<p title="x">标题 &amp; <b>粗</b></p>'
    >>> inert_html('<img src="javascript:alert(1)" onerror="alert(2)" alt="图 1">')
    '<img alt="图 1">'
    """
    # Embedded images are most of a report's bytes and cannot hold markup (base64 has no quotes or
    # angle brackets): parked while the parser reads the page, put back unchanged afterwards.
    parked: list[str] = []
    token = f"liyang-ip-image-{uuid.uuid4().hex}-"  # unguessable: text in the page cannot imitate it

    def park(m: re.Match) -> str:
        parked.append(m.group(2))
        return f"{m.group(1)}{token}{len(parked) - 1}."

    parser = _Inert()
    parser.feed(_BASE64_IMAGE.sub(park, page))
    parser.close()
    out = "".join(parser.out)
    if parked:
        out = re.sub(re.escape(token) + r"(\d+)\.", lambda m: parked[int(m.group(1))], out)
    return out
