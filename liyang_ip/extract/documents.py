"""Whole bulletin documents (统计公报) as a list of blocks: headings, paragraphs and tables, with location.

>>> doc = read_document("2020年溧阳市统计公报.pdf")        # doctest: +SKIP
>>> doc.title, [b.location for b in doc.blocks[:3]]       # doctest: +SKIP

Formats
-------
pdf   the text layer, read by poppler's ``pdftotext -layout`` (poppler-utils; scripts/setup.sh installs it).
      Pages are kept; lines a page wrapped are joined into paragraphs (a paragraph starts on an indented
      line, after a heading or after a short line); lines of two or more cells separated by wide gaps
      form tables. A scanned PDF without a text layer is an error, not an empty result.
html  a page saved from a browser (.html/.htm, or one-file .mhtml; any declared charset): the main text only (scripts,
      navigation, headers, footers and link lists are dropped; the container with the most Chinese text
      is kept), ``<table>`` read as tables (a table of long text cells is page layout and read as text).
text  UTF-8 (with or without BOM), UTF-16 (with BOM, or without when the zero bytes show it) or
      GBK/GB18030; one paragraph per line, lines a PDF copy wrapped are joined, aligned columns form
      tables.

Everything is returned as plain text: HTML entities are decoded and control characters removed, so
whoever shows a quote in HTML must escape it (as `html.escape` does); nothing here is markup.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .numerals import halfwidth

__all__ = ["Block", "Document", "DocumentError", "decode_text", "find_region_year", "read_document"]


class DocumentError(ValueError):
    """A document that cannot be read (one line, naming the file and what would be valid)."""


@dataclass(frozen=True)
class Block:
    """One heading, paragraph or table of a document.

    kind    heading | paragraph | table
    text    the heading or paragraph text; a table's caption ('' when it has none)
    rows    a table's cells, row by row (header rows included); () for text
    page    1-based page of a PDF, 0 for formats without pages
    number  paragraph number (headings and paragraphs counted together, from 1) or table number
    section the headings the block is under, outermost first
    """

    kind: str
    text: str
    rows: tuple[tuple[str, ...], ...] = ()
    page: int = 0
    number: int = 0
    section: tuple[str, ...] = ()

    @property
    def location(self) -> str:
        where = f"table {self.number}" if self.kind == "table" else f"paragraph {self.number}"
        return f"page {self.page}, {where}" if self.page else where


@dataclass(frozen=True)
class Document:
    """A read document: its path, format (pdf | html | text), how it was read, title and blocks."""

    path: str
    format: str
    detail: str
    title: str
    blocks: tuple[Block, ...] = field(default_factory=tuple)


# ------------------------------------------------------------------------------------------ decoding

def decode_text(data: bytes, path: str | Path = "<bytes>") -> tuple[str, str]:
    """(text, how it was decoded) for UTF-8 (BOM or not), UTF-16 (BOM, or zero bytes) or GBK/GB18030.

    Raises
    ------
    DocumentError
        When the bytes decode under none of them.
    """
    boms = [(b"\xef\xbb\xbf", "utf-8-sig", "UTF-8 (byte-order mark)"),
            (b"\xff\xfe", "utf-16-le", "UTF-16 LE (byte-order mark)"),
            (b"\xfe\xff", "utf-16-be", "UTF-16 BE (byte-order mark)")]
    for bom, enc, detail in boms:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(enc.replace("-sig", "")), detail
            except UnicodeDecodeError as exc:
                raise DocumentError(f"{path}: has a {detail.split(' (')[0]} byte-order mark but is not valid "
                                    f"{detail.split(' (')[0]} (byte {exc.start + len(bom)}); save it again as UTF-8") from exc
    if b"\x00" not in data:  # a zero byte is never in UTF-8 or GBK text
        try:
            return data.decode("utf-8"), "UTF-8"
        except UnicodeDecodeError:
            pass
        try:
            return data.decode("gb18030"), "GB18030 (GBK)"
        except UnicodeDecodeError:
            pass
    elif len(data) % 2 == 0:
        # UTF-16 without a BOM: ASCII characters (digits, punctuation) leave zero bytes on one side.
        even, odd = data[0::2].count(0), data[1::2].count(0)
        order = ["utf-16-le", "utf-16-be"] if odd >= even else ["utf-16-be", "utf-16-le"]
        for enc in order:
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            # Any byte pairs decode as UTF-16; text has no control or unassigned characters.
            if all(unicodedata.category(c)[0] != "C" or c in "\n\r\t\f" for c in text):
                return text, f"{enc.upper()} (no byte-order mark; told by its zero bytes)"
    raise DocumentError(f"{path}: cannot decode as UTF-8, UTF-16 or GBK/GB18030 (unknown encoding); "
                        "save it as UTF-8 text")


_CONTROL_RE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|[\x00-\x08\x0b\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def _clean(text: str) -> str:
    """Control and bidi-override characters out (they could rewrite a terminal or hide text)."""
    return _CONTROL_RE.sub("", text)


# ---------------------------------------------------------------------------------------- lines → blocks

HEADING_RE = re.compile(r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[(（]\s*[一二三四五六七八九十\d]+\s*[)）]|"
                        r"第[一二三四五六七八九十\d]+[章节部分]|\d+[、．])")
_SENTENCE_END = "。！？!?；;：:"
_CAPTION_RE = re.compile(r"^\s*(?:附?表|图)\s*[\d一二三四五六七八九十]+|^\s*(?:单位|注|资料来源)\s*[:：]")
_CELL_GAP_RE = re.compile(r"\t+| {2,}|\u3000{2,}")
_NUMERIC_CELL_RE = re.compile(r"^[-+−－]?[\d,，.．]+\s*[万亿]?\s*%?$|^[—–-]{1,2}$|^…+$")


def _is_heading(line: str) -> bool:
    s = line.strip()
    return bool(HEADING_RE.match(s)) and len(s) <= 40 and "。" not in s[:-1]


def _cells(line: str) -> list[str]:
    return [c.strip() for c in _CELL_GAP_RE.split(line.strip()) if c.strip()]


def _is_table_line(line: str) -> bool:
    cells = _cells(line)
    if len(cells) < 2 or max(len(c) for c in cells) > 40:
        return False
    return any(_NUMERIC_CELL_RE.match(halfwidth(c)) for c in cells) or len(cells) >= 3


def _indent(line: str) -> int:
    n = 0
    for ch in line:
        if ch == " ":
            n += 1
        elif ch == "\u3000":
            n += 2
        elif ch == "\t":
            n += 4
        else:
            break
    return n


def _join(a: str, b: str) -> str:
    """Join a wrapped line: no space between Chinese characters, one between two ASCII words."""
    a, b = a.rstrip(), b.strip()
    if a and b and a[-1].isascii() and a[-1].isalpha() and b[0].isascii() and b[0].isalpha():
        return f"{a} {b}"
    return a + b


def _squeeze(text: str) -> str:
    """Spaces that justified PDF text puts between Chinese characters, out; other runs to one space."""
    text = re.sub(r"[ \t\u3000]+", " ", text.strip())
    return re.sub(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])|(?<=[^\x00-\x7f]) (?=\d)|(?<=\d) (?=[^\x00-\x7f])", "", text)


def _lines_to_blocks(lines: list[str], page: int, join: bool = True) -> list[tuple[str, str, tuple]]:
    """(kind, text, rows) for one page of lines (PDF layout text or a plain text file).

    With ``join=False`` every line is its own paragraph (no joining of wrapped lines)."""
    items: list[tuple[str, str, tuple]] = []
    text_lines = [ln for ln in lines if ln.strip() and not _is_table_line(ln)]
    margin = min((_indent(ln) for ln in text_lines), default=0)
    widest = max((len(ln.strip()) for ln in text_lines), default=0)
    # PDF text with wide line spacing has a blank line after every line; then one blank line is spacing,
    # not the end of a paragraph.
    nonblank = [i for i, ln in enumerate(lines) if ln.strip()]
    gaps = sum(1 for a, b in zip(nonblank, nonblank[1:], strict=False) if b - a > 1)
    spaced = len(nonblank) >= 4 and gaps >= 0.6 * (len(nonblank) - 1)
    para: list[str] = []
    table: list[list[str]] = []
    blank_since = 0

    def flush_para() -> None:
        if para:
            text = para[0]
            for ln in para[1:]:
                text = _join(text, ln)
            items.append(("paragraph", _squeeze(text), (), _indent(para[0]) > margin))
            para.clear()

    def flush_table() -> None:
        if table:
            if len(table) >= 2:
                caption = ""
                if items and items[-1][0] == "paragraph" and len(items[-1][1]) <= 40 \
                        and not items[-1][1].endswith(tuple(_SENTENCE_END)):
                    caption = items.pop()[1]
                items.append(("table", caption, tuple(tuple(r) for r in table)))
            else:
                items.append(("paragraph", _squeeze(" ".join(table[0])), ()))
            table.clear()

    for ln in lines:
        if not ln.strip():
            blank_since += 1
            continue
        if _is_table_line(ln) and not _is_heading(ln):
            flush_para()
            table.append(_cells(ln))
            blank_since = 0
            continue
        flush_table()
        if _is_heading(ln):
            flush_para()
            items.append(("heading", _squeeze(ln), ()))
            blank_since = 0
            continue
        if para and not join:
            flush_para()
        if para:
            prev = para[-1].rstrip()
            indented = _indent(ln) > margin
            unfinished = not prev.endswith(tuple(_SENTENCE_END)) and len(prev.strip()) >= 15
            full = widest and len(prev.strip()) >= 0.85 * widest
            spacing = blank_since == 0 or (spaced and blank_since == 1)
            centred = _indent(para[-1]) > margin + 6  # a centred title is not wrapped text
            caption = _CAPTION_RE.match(ln)  # 表1 主要科技指标, 注：…, 单位：…
            if not indented and not centred and not caption and spacing and (unfinished or full):
                para.append(ln)
                blank_since = 0
                continue
            flush_para()
        para.append(ln)
        blank_since = 0
    flush_para()
    flush_table()
    return items


def _number(items: list[tuple[str, str, tuple]], pages: list[int]) -> tuple[Block, ...]:
    """Blocks with paragraph/table numbers and the headings they are under."""
    blocks, para_no, table_no = [], 0, 0
    chain: list[tuple[int, str]] = []  # (level, heading)
    for item, page in zip(items, pages, strict=True):
        kind, text, rows = item[:3]
        if kind == "table":
            table_no += 1
            number = table_no
        else:
            para_no += 1
            number = para_no
        if kind == "heading":
            level = _heading_level(text)
            chain = [c for c in chain if c[0] < level] + [(level, text)]
        blocks.append(Block(kind, text, rows, page, number, tuple(h for _, h in chain)))
    return tuple(blocks)


def _heading_level(text: str) -> int:
    s = text.strip()
    if re.match(r"第[一二三四五六七八九十\d]+[章部分]", s):
        return 0
    if re.match(r"[一二三四五六七八九十]+\s*[、.．]", s):
        return 1
    if re.match(r"[(（]", s):
        return 2
    return 3


# ------------------------------------------------------------------------------------------------ readers

def read_document(path: str | Path, keep_lines: bool = False) -> Document:
    """Read a bulletin as PDF, saved HTML page or plain text (decided by the bytes, not the name).

    ``keep_lines=True`` makes every line of a text file its own paragraph (default: lines a PDF copy
    wrapped are joined).

    Raises
    ------
    DocumentError
        One line naming the file: not found, a directory, empty, an unreadable or image-only PDF, an
        unknown encoding, or a document with no text.
    """
    path = Path(path)
    if path.is_dir():
        raise DocumentError(f"{path}: is a directory; give a PDF, HTML or text file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if not data.strip():
        raise DocumentError(f"{path}: the file is empty")
    if data.lstrip()[:5] == b"%PDF-":
        doc = _read_pdf(path)
    elif _is_mhtml(data):
        html, detail = _mhtml_page(data, path)
        doc = _read_html(path, html, detail)
    else:
        text, detail = _decode_html_or_text(data, path)
        if _looks_like_html(text):
            doc = _read_html(path, text, detail)
        else:
            text = _clean(text.replace("\r\n", "\n").replace("\r", "\n"))
            items = _lines_to_blocks(text.split("\n"), 0, join=not keep_lines)
            blocks = _number(items, [0] * len(items))
            doc = Document(str(path), "text", detail, _title(blocks), blocks)
    if not any(b.text.strip() or b.rows for b in doc.blocks):
        raise DocumentError(f"{path}: no text found in the {doc.format} document")
    return doc


def _is_mhtml(data: bytes) -> bool:
    head = data[:2048].lower()
    return b"mime-version:" in head and b"multipart/related" in head


def _mhtml_page(data: bytes, path: Path) -> tuple[str, str]:
    """The HTML part of a page a browser saved as one file (.mhtml: MIME, quoted-printable or base64)."""
    import email
    from email import policy

    msg = email.message_from_bytes(data, policy=policy.compat32)
    for part in msg.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True) or b""
            charset = part.get_content_charset()
            if charset:
                charset = {"gb2312": "gb18030", "gbk": "gb18030"}.get(charset.lower(), charset)
                try:
                    return payload.decode(charset), f"MHTML, {part.get_content_charset()}"
                except (LookupError, UnicodeDecodeError):
                    pass
            text, detail = _decode_html_or_text(payload, path)
            return text, f"MHTML, {detail}"
    raise DocumentError(f"{path}: a saved web page (MHTML) without an HTML part")


def _decode_html_or_text(data: bytes, path: Path) -> tuple[str, str]:
    head = data[:4096].decode("ascii", errors="ignore").lower()
    m = re.search(r"<meta[^>]+charset\s*=\s*[\"']?([\w-]+)", head)
    if m and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        declared = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030"}.get(m.group(1), m.group(1))
        try:
            return data.decode(declared), f"{m.group(1)} (declared in the page)"
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration: fall back to detection
    return decode_text(data, path)


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:2048].lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) or bool(re.search(r"<(html|body|head)[\s>]", head))


def _title(blocks: tuple[Block, ...]) -> str:
    """The first block that names a bulletin (公报), else the first heading or paragraph."""
    texts = [b.text for b in blocks[:8] if b.kind != "table" and b.text.strip()]
    return next((t for t in texts if "公报" in t), texts[0] if texts else "")


def _read_pdf(path: Path) -> Document:
    exe = shutil.which("pdftotext")
    if exe is None:
        raise DocumentError(f"{path}: reading a PDF needs poppler's pdftotext (Debian: apt-get install "
                            "poppler-utils; scripts/setup.sh installs it)")
    try:
        res = subprocess.run([exe, "-layout", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                             timeout=120, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise DocumentError(f"{path}: pdftotext failed ({exc})") from exc
    if res.returncode != 0:
        lines = [ln for ln in res.stderr.decode("utf-8", "replace").splitlines() if ln.strip()]
        why = lines[-1].strip() if lines else f"exit code {res.returncode}"
        raise DocumentError(f"{path}: cannot read the PDF ({why})")
    text = _clean(res.stdout.decode("utf-8", "replace"))
    pages = text.split("\f")
    if not "".join(pages).strip():
        raise DocumentError(f"{path}: the PDF has no text layer (a scan?); run OCR first or use the "
                            "bulletin's web page")
    items, page_nos = [], []
    for no, lines in enumerate(_drop_page_furniture([p.split("\n") for p in pages]), start=1):
        page_items = _lines_to_blocks(lines, no)
        if items and page_items and _continues(items[-1], page_items[0]):
            # A paragraph running on from the previous page: one paragraph, located where it starts.
            kind, text, rows, indented = items[-1]
            items[-1] = (kind, _join(text, page_items[0][1]), rows, indented)
            page_items = page_items[1:]
        items += page_items
        page_nos += [no] * len(page_items)
    blocks = _number(items, page_nos)
    return Document(str(path), "pdf", "pdftotext -layout", _title(blocks), blocks)


_PAGE_NUMBER_RE = re.compile(r"^\s*[-—–－]*\s*(?:第\s*)?\d{1,4}\s*(?:页)?\s*(?:[/／共]\s*\d{1,4}\s*页?)?\s*[-—–－]*\s*$")


def _drop_page_furniture(pages: list[list[str]]) -> list[list[str]]:
    """Page numbers (— 3 —, 第3页 共12页) and running headers/footers (the same line, digits aside, at the
    top or bottom of two or more pages) out; a running header is kept where it first appears on page 1."""
    def edges(lines: list[str]) -> list[int]:
        idx = [i for i, ln in enumerate(lines) if ln.strip()]
        return idx[:2] + idx[-2:]

    def key(line: str) -> str:
        return re.sub(r"\d+", "#", re.sub(r"\s+", "", line))

    seen: dict[str, int] = {}
    for lines in pages:
        for k in {key(lines[i]) for i in edges(lines)}:
            seen[k] = seen.get(k, 0) + 1
    repeated = {k for k, n in seen.items() if n >= 2 and len(pages) >= 2}
    out = []
    for no, lines in enumerate(pages):
        drop = {i for i in edges(lines) if _PAGE_NUMBER_RE.match(lines[i])
                or (key(lines[i]) in repeated and not (no == 0 and i == edges(lines)[0]))}
        out.append([ln for i, ln in enumerate(lines) if i not in drop])
    return out


def _continues(last: tuple, first: tuple) -> bool:
    """Does the first block of a page continue the last paragraph of the previous page?"""
    return (last[0] == "paragraph" and first[0] == "paragraph" and len(first) > 3 and not first[3]
            and not last[1].rstrip().endswith(tuple(_SENTENCE_END)))


# -------------------------------------------------------------------------------------------------- HTML

_DROP_TAGS = ["script", "style", "noscript", "template", "head", "nav", "header", "footer", "aside", "form",
              "iframe", "select", "button", "svg", "object", "embed", "input", "textarea", "map"]
_BOILERPLATE_RE = re.compile(r"(^|[\s_-])(nav|navbar|menu|footer|foot|header|head|breadcrumb|crumbs?|share|"
                             r"sidebar|side|copyright|related|login|search|toolbar|banner|topbar|bottom|links?)"
                             r"($|[\s_-])", re.I)
_BLOCK_TAGS = {"p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dt", "dd", "blockquote",
               "h1", "h2", "h3", "h4", "h5", "h6", "pre", "center", "figure", "figcaption", "caption", "tr",
               "table", "tbody", "thead", "tfoot", "hr", "address"}
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")


def _read_html(path: Path, html: str, detail: str) -> Document:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    page_title = _norm_ws(soup.title.get_text()) if soup.title else ""
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(True):
        if tag.attrs is None or tag.decomposed:
            continue
        names = " ".join([*tag.get("class", []), tag.get("id", "") or ""])
        if names and _BOILERPLATE_RE.search(names) and tag.name not in ("body", "html"):
            tag.decompose()
    heading = next((_norm_ws(h.get_text()) for h in soup.find_all(["h1", "h2", "h3"]) if "公报" in h.get_text()), "")
    body = soup.body or soup
    root = _main_container(body)
    items: list[tuple[str, str, tuple]] = []
    _walk(root, items)
    items = _drop_link_lists(items)
    blocks = _number(items, [0] * len(items))
    title = heading or (page_title if "公报" in page_title else "") or _title(blocks) or page_title
    return Document(str(path), "html", detail, _clean(title), blocks)


def _norm_ws(text: str) -> str:
    return _clean(_squeeze(unicodedata.normalize("NFC", text.replace("\xa0", " "))))


def _cjk(tag) -> int:
    return len(_CJK_RE.findall(tag.get_text()))


def _main_container(body):
    """The element holding the article: the deepest one with at least 80 % of the page's Chinese text."""
    total = _cjk(body)
    node = body
    while total:
        children = [c for c in node.find_all(True, recursive=False)]
        best = max(children, key=_cjk, default=None)
        if best is None or _cjk(best) < 0.8 * total or best.name in ("p", "table", "tr", "td"):
            return node
        node = best
    return node


def _walk(node, items: list, inline: list | None = None) -> None:
    """Block-level reading in document order; text between block tags is one paragraph."""
    from bs4 import NavigableString, Tag

    buf: list[str] = [] if inline is None else inline

    def flush(kind: str = "paragraph") -> None:
        text = _norm_ws("".join(buf))
        buf.clear()
        if text:
            heading = kind == "heading" or (_is_heading(text) and len(text) <= 30)
            items.append(("heading" if heading else "paragraph", text, ()))

    for child in node.children:
        if isinstance(child, NavigableString):
            if type(child).__name__ in ("Comment", "Doctype", "Declaration", "ProcessingInstruction", "CData"):
                continue
            buf.append(str(child))
        elif isinstance(child, Tag):
            name = child.name.lower()
            if name == "br":
                flush()
            elif name == "table":
                flush()
                _table(child, items)
            elif name in _BLOCK_TAGS:
                flush()
                _walk(child, items)
                flush("heading" if name in ("h1", "h2", "h3", "h4", "h5", "h6") else "paragraph")
            else:
                _walk(child, items, buf)
    if inline is None:
        flush()


def _table(table, items: list) -> None:
    """A data table as rows of cells; a layout table (nested tables, long text cells) as text."""
    if table.find("table") is not None:
        _walk(table, items)
        return
    grid: list[list[str]] = []
    carry: dict[int, tuple[str, int]] = {}  # column → (text, rows left) for rowspan
    for tr in table.find_all("tr"):
        row: list[str] = []
        col = 0
        cells = tr.find_all(["td", "th"], recursive=False)
        for cell in cells:
            while col in carry:
                text, left = carry[col]
                row.append(text)
                carry = {k: v for k, v in carry.items() if k != col} if left <= 1 else {**carry, col: (text, left - 1)}
                col += 1
            text = _norm_ws(cell.get_text(" "))
            span = _int_attr(cell, "colspan")
            down = _int_attr(cell, "rowspan")
            for _ in range(span):
                if down > 1:
                    carry[col] = (text, down - 1)
                row.append(text)
                col += 1
        while col in carry:
            text, left = carry[col]
            row.append(text)
            carry = {k: v for k, v in carry.items() if k != col} if left <= 1 else {**carry, col: (text, left - 1)}
            col += 1
        if any(row):
            grid.append(row)
    width = max((len(r) for r in grid), default=0)
    if len(grid) < 2 or width < 2 or any(len(c) > 60 for r in grid for c in r):
        _walk(table, items)
        return
    caption = table.find("caption")
    title = _norm_ws(caption.get_text()) if caption else ""
    if not title and items and items[-1][0] == "paragraph" and len(items[-1][1]) <= 40 \
            and not items[-1][1].endswith(tuple(_SENTENCE_END)):
        title = items.pop()[1]
    items.append(("table", title, tuple(tuple(r) + ("",) * (width - len(r)) for r in grid)))


def _int_attr(tag, name: str) -> int:
    try:
        return max(1, min(50, int(str(tag.get(name, 1)).strip())))
    except ValueError:
        return 1


def _drop_link_lists(items: list) -> list:
    """Runs of three or more very short paragraphs without a figure (menus left in the container)."""
    out, run = [], []
    for it in items:
        short = it[0] == "paragraph" and len(it[1]) <= 12 and not re.search(r"\d", it[1])
        if short:
            run.append(it)
            continue
        if len(run) < 3:
            out += run
        run = []
        out.append(it)
    if len(run) < 3:
        out += run
    return out


# ------------------------------------------------------------------------------------- region and year

def find_region_year(title: str, regions: dict[str, tuple[str, ...]]) -> tuple[str, int | None]:
    """(canonical region, report year) named in a bulletin title ('' / None when not found).

    >>> find_region_year("2020年溧阳市国民经济和社会发展统计公报", {"溧阳市": ("溧阳",)})
    ('溧阳市', 2020)
    """
    # A site name after the title (…统计公报_常州市金坛区人民政府) is not the bulletin's region.
    t = re.split(r"\s*[_|｜]\s*|\s+[-–—]\s+", halfwidth(title).strip())[0]
    m = re.search(r"((?:19|20)\d{2}|[〇零一二][〇零一二三四五六七八九]{3})\s*年", t)
    year = None
    if m:
        digits = m.group(1)
        year = int(digits) if digits.isdigit() else int("".join(str("〇一二三四五六七八九".index(c)) if c != "零"
                                                                else "0" for c in digits))
        year = year if 1949 <= year <= 2099 else None
    # 常州市金坛区2021年…公报: the most specific name is the one written last (closest to the title's end).
    best, best_end = "", -1
    for canon, aliases in regions.items():
        for name in (canon, *aliases):
            n = halfwidth(name)
            pos = t.rfind(n) if len(n) >= 2 else -1
            if pos >= 0 and (pos + len(n), len(n)) > (best_end, 0):
                best, best_end = canon, pos + len(n)
    return best, year
