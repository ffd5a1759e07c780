"""Whole synthetic bulletins: a PDF made by the test (matplotlib, Noto Sans CJK, read back by pdftotext),
a web page as a browser saves it (GB2312, menus, scripts, footer, a table with rowspan/colspan) and plain
text in every encoding the data layer reads. Expected rows are copied by hand from the bulletin text
below (1,010.2亿元 = 1010.2 亿元; 3.2亿元 = 32000 万元; 约2.1万件 = 21000 件, estimate).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from liyang_ip.extract import DocumentError, extract_document, read_document
from liyang_ip.extract.documents import decode_text, find_region_year

# ------------------------------------------------------------------------------------------------ PDF

PDF_PAGES = [
    [
        ("title", "2020年溧阳市国民经济和社会发展统计公报"),
        ("line", "溧阳市统计局　2021年3月18日"),
        ("heading", "一、综合"),
        ("para", "　　初步核算，全年实现地区生产总值1,010.2亿元，按可比价格计算，比上年增长4.2%。年末全市常住人口"
                 "78.93万人，比上年末增加0.46万人。"),
        ("heading", "七、科学技术和知识产权"),
        ("para", "　　全年专利申请量23,568件，授权量14,120件，分别比上年增长8.1%和10.2%，其中发明专利申请5,432件，"
                 "授权1,234件。年末有效发明专利拥有量6,120件，每万人口发明专利拥有量达到77.5件，高价值发明专利"
                 "拥有量每万人达到18.3件。全年PCT国际专利申请量近60件。"),
        ("para", "　　全年新认定高新技术企业87家，年末有效高新技术企业达到312家。常州市全年专利授权量5.6万件。"
                 "到2025年，每万人口高价值发明专利拥有量力争达到25件。"),
    ],
    [
        ("heading", "（二）知识产权运用和保护"),
        ("para", "　　全年知识产权质押融资金额3.2亿元，笔数56笔。年末有效注册商标约2.1万件，地理标志商标累计达6件。"
                 "全年知识产权贯标企业15家。"),
        ("line", "表1　主要科技指标"),
        ("table", ["指标", "单位", "2020年", "比上年增长(%)"]),
        ("table", ["专利授权量", "件", "14,120", "10.2"]),
        ("table", ["其中：发明专利", "件", "1,234", "15.0"]),
        ("table", ["高价值发明专利拥有量", "件", "2,865", "24.3"]),
        ("table", ["科技企业孵化器", "家", "12", "—"]),
        ("table", ["每万人口发明专利拥有量", "件", "77.5", "—"]),
    ],
]

PDF_ROWS = [  # indicator, value (catalogue unit), unit, status, location
    ("gdp", 1010.2, "亿元", "official", "page 1, paragraph 4"),
    ("resident_population", 78.93, "万人", "official", "page 1, paragraph 4"),
    ("patent_applications", 23568, "件", "official", "page 1, paragraph 6"),
    ("patent_grants", 14120, "件", "official", "page 1, paragraph 6"),
    ("invention_patent_applications", 5432, "件", "official", "page 1, paragraph 6"),
    ("invention_patent_grants", 1234, "件", "official", "page 1, paragraph 6"),
    ("invention_patents_held", 6120, "件", "official", "page 1, paragraph 6"),
    ("invention_patents_per_10k", 77.5, "件/万人", "official", "page 1, paragraph 6"),
    ("high_value_invention_patents_per_10k", 18.3, "件/万人", "official", "page 1, paragraph 6"),
    ("pct_applications", 60, "件", "estimate", "page 1, paragraph 6"),
    ("high_tech_firms", 312, "家", "official", "page 1, paragraph 7"),
    ("ip_pledge_amount", 32000, "万元", "official", "page 2, paragraph 9"),
    ("ip_pledge_deals", 56, "笔", "official", "page 2, paragraph 9"),
    ("registered_trademarks", 21000, "件", "estimate", "page 2, paragraph 9"),
    ("gi_trademarks", 6, "件", "official", "page 2, paragraph 9"),
    ("high_value_invention_patents", 2865, "件", "official", "page 2, table 1, row 4"),
]
PDF_CHANGES = [  # indicator, kind, value
    ("gdp", "growth_rate", 4.2), ("resident_population", "change", 0.46),
    ("patent_applications", "growth_rate", 8.1), ("patent_grants", "growth_rate", 10.2),
    ("high_tech_firms", "change", 87),
    ("patent_grants", "growth_rate", 10.2), ("invention_patent_grants", "growth_rate", 15.0),
    ("high_value_invention_patents", "growth_rate", 24.3),
]
PDF_UNATTRIBUTED = [  # raw, category, reason fragment
    ("5.6万件", "refused", "another region"), ("25件", "refused", "target"),
    ("15家", "ambiguous", "全年 with a stock indicator"),
    ("14,120", "repeat", "repeats"), ("1,234", "repeat", "repeats"), ("12", "unrelated", "no catalogue"),
    ("77.5", "repeat", "repeats"),
]


def _cjk_font() -> str | None:
    from matplotlib import font_manager

    fonts = sorted(f for f in font_manager.findSystemFonts() if "NotoSansCJK-Regular" in f or
                   "NotoSansCJKsc-Regular" in f)
    return fonts[0] if fonts else None


def make_pdf(path: Path, pages, chars_per_line: int = 34) -> Path:
    """A bulletin PDF with a text layer: title, headings, paragraphs wrapped at a fixed width (breaking
    inside numbers too), aligned table columns, one list per page."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.font_manager import FontProperties

    font = _cjk_font()
    if font is None or shutil.which("pdftotext") is None:
        pytest.skip("needs fonts-noto-cjk and poppler-utils (scripts/setup.sh installs both)")
    fp = FontProperties(fname=font, size=10.5)
    # Type 3 glyphs: pdftotext gets the Unicode text back as from Type 42 (checked with both), and
    # matplotlib does not have to subset the large CJK font file (seconds per PDF).
    with matplotlib.rc_context({"pdf.fonttype": 3}), PdfPages(path) as pdf:
        for items in pages:
            fig = plt.figure(figsize=(8.27, 11.69))
            y = 0.94
            for kind, content in items:
                if kind in ("header", "footer"):  # running header, page number: fixed places
                    fig.text(0.5, 0.97 if kind == "header" else 0.03, content, fontproperties=fp, ha="center")
                    continue
                if kind == "table":
                    for x, cell in zip((0.10, 0.42, 0.55, 0.72), content, strict=True):
                        fig.text(x, y, cell, fontproperties=fp)
                    y -= 0.022
                    continue
                lines = [content] if kind != "para" else [
                    content[i:i + chars_per_line] for i in range(0, len(content), chars_per_line)]
                for line in lines:
                    fig.text(0.5 if kind == "title" else 0.10, y, line, fontproperties=fp,
                             ha="center" if kind == "title" else "left")
                    y -= 0.022
                y -= 0.012
            pdf.savefig(fig)
            plt.close(fig)
    return path


@pytest.fixture(scope="module")
def pdf_extraction(tmp_path_factory):
    path = make_pdf(tmp_path_factory.mktemp("pdf") / "bulletin.pdf", PDF_PAGES)
    doc = read_document(path)
    return doc, extract_document(doc, source_id="ly_tjgb_2020")


def test_pdf_text_layer_comes_back(pdf_extraction) -> None:
    doc, ex = pdf_extraction
    assert doc.format == "pdf"
    assert doc.title == "2020年溧阳市国民经济和社会发展统计公报"
    assert (ex.region, ex.year, ex.from_title) == ("溧阳市", 2020, ("region", "year"))
    # Wrapped lines are joined into the paragraph as written (the wrap fell inside 78.93 and elsewhere).
    texts = [b.text for b in doc.blocks if b.kind == "paragraph"]
    assert PDF_PAGES[0][3][1].strip() in texts
    assert PDF_PAGES[0][5][1].strip() in texts
    tables = [b for b in doc.blocks if b.kind == "table"]
    assert len(tables) == 1 and tables[0].page == 2 and tables[0].text == "表1主要科技指标"
    assert tables[0].rows[2] == ("其中：发明专利", "件", "1,234", "15.0")


def test_pdf_bulletin_rows(pdf_extraction) -> None:
    _, ex = pdf_extraction
    got = [(r.indicator, r.value, r.unit, r.status, r.location) for r in ex.levels.itertuples()]
    assert got == [(c, float(v), u, s, loc) for c, v, u, s, loc in PDF_ROWS]
    assert ex.rows["year"].eq(2020).all() and ex.rows["region"].eq("溧阳市").all()
    assert ex.rows["source_id"].eq("ly_tjgb_2020").all()
    # The note starts with the location; quotes are the bulletin's words.
    assert all(n.startswith(loc) for n, (*_, loc) in zip(ex.rows["note"], PDF_ROWS, strict=True))
    assert ex.rows["quote"].tolist()[3] == "全年专利申请量23,568件，授权量14,120件"
    assert ex.rows["quote"].tolist()[-1] == "高价值发明专利拥有量 | 件 | 2,865 | 24.3"


def test_pdf_bulletin_changes_unattributed_and_summary(pdf_extraction) -> None:
    _, ex = pdf_extraction
    assert [(r.indicator, r.kind, r.value) for r in ex.changes.itertuples()] == [
        (c, k, float(v)) for c, k, v in PDF_CHANGES]
    got = sorted((r.raw, r.category, r.reason) for r in ex.unattributed.itertuples())
    assert [(raw, cat) for raw, cat, _ in got] == sorted((raw, cat) for raw, cat, _ in PDF_UNATTRIBUTED)
    for (raw, _, reason), (_, _, want) in zip(got, sorted(PDF_UNATTRIBUTED), strict=True):
        assert want in reason, (raw, reason)
    # Counted by hand from the bulletin: 科技/知识产权 sections hold 14 rows, 6 growth/changes and
    # 7 reported figures; the 综合 section adds 2 rows and 2 changes.
    assert ex.summary["ip_sections"].to_dict() == {
        "figures": 27, "extracted": 14, "changes": 6, "ambiguous": 1, "refused": 2, "repeat": 3, "unrelated": 1}
    assert ex.summary["document"].to_dict() == {
        "figures": 31, "extracted": 16, "changes": 8, "ambiguous": 1, "refused": 2, "repeat": 3, "unrelated": 1}


def test_pdf_paragraph_running_over_a_page_break_and_page_furniture(tmp_path) -> None:
    """Running headers and page numbers are dropped; a paragraph cut by the page break is one paragraph,
    so a figure whose name is on page 1 and number on page 2 is still read."""
    header = ("header", "溧阳市2020年国民经济和社会发展统计公报")
    pages = [
        [header, ("title", "2020年溧阳市国民经济和社会发展统计公报"), ("heading", "七、科学技术"),
         ("para", "　　全年专利申请量23,568件，授权量14,120件，其中发明专利申请5,432件，授权1,234件。年末有效发明专利拥有量"),
         ("footer", "— 1 —")],
        [header, ("para", "6,120件，每万人口发明专利拥有量达到77.5件。"),
         ("para", "　　全年PCT国际专利申请量58件。"), ("footer", "— 2 —")],
    ]
    doc = read_document(make_pdf(tmp_path / "b.pdf", pages))
    # Header (kept once, on page 1), title, heading, the paragraph over the break, the next paragraph;
    # no page numbers.
    assert [(b.kind, b.page, b.number) for b in doc.blocks] == [
        ("paragraph", 1, 1), ("paragraph", 1, 2), ("heading", 1, 3), ("paragraph", 1, 4), ("paragraph", 2, 5)]
    assert doc.blocks[0].text == "溧阳市2020年国民经济和社会发展统计公报"
    assert doc.blocks[3].text.endswith("年末有效发明专利拥有量6,120件，每万人口发明专利拥有量达到77.5件。")
    ex = extract_document(doc)
    assert [(r.indicator, r.value, r.location) for r in ex.levels.itertuples()][-3:] == [
        ("invention_patents_held", 6120.0, "page 1, paragraph 4"),
        ("invention_patents_per_10k", 77.5, "page 1, paragraph 4"),
        ("pct_applications", 58.0, "page 2, paragraph 5")]
    assert ex.unattributed.empty


def test_pdf_without_text_layer_is_an_error(tmp_path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    if shutil.which("pdftotext") is None:
        pytest.skip("needs poppler-utils")
    fig = plt.figure(figsize=(2, 2))
    fig.add_artist(plt.Line2D([0.1, 0.9], [0.1, 0.9]))  # a scan has pictures, no text
    fig.savefig(tmp_path / "scan.pdf")
    plt.close(fig)
    with pytest.raises(DocumentError, match="no text layer"):
        read_document(tmp_path / "scan.pdf")


def test_broken_pdf_is_an_error(tmp_path) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("needs poppler-utils")
    p = tmp_path / "broken.pdf"
    p.write_bytes(b"%PDF-1.4\n1 0 obj garbage\n")
    with pytest.raises(DocumentError, match=r"broken\.pdf: cannot read the PDF"):
        read_document(p)


# ----------------------------------------------------------------------------------------------- HTML

HTML = """<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>2021年金坛区国民经济和社会发展统计公报_常州市金坛区人民政府</title>
<style>.nav{color:red}</style>
<script>var hits = "专利授权量99999件";</script></head>
<body>
<div class="header"><ul class="nav"><li><a href="/">首页</a></li><li><a href="/zw">政务公开</a></li>
<li><a href="/tj">统计数据</a></li><li><a href="/hd">互动交流</a></li></ul></div>
<div class="breadcrumb">当前位置：首页 &gt; 统计数据 &gt; 统计公报</div>
<div class="main"><div class="article">
<h1>2021年金坛区国民经济和社会发展统计公报</h1>
<div class="info">发布时间：2022-03-20　来源：金坛区统计局　浏览次数：1234</div>
<div class="TRS_Editor" id="zoom">
<p>　　2021年，全区上下坚持稳中求进工作总基调，经济运行稳中向好。</p>
<p><strong>一、综合</strong></p>
<p>　　全年实现地区生产总值1,322.6亿元，比上年增长9.1%。年末常住人口59.1万人。</p>
<p><strong>八、科技创新和知识产权</strong></p>
<p>　　全年专利申请量和授权量分别为9,876件和6,543件，同比分别增长12.0%和15.5%。年末有效发明专利拥有量3,021件，
万人有效发明专利51.1件，比上年末增加6.2件。</p>
<p>　　全年新增国家高新技术企业56家，高新技术企业总数达到402家。全年知识产权质押融资1.15亿元，共计23笔。<span>专利授权量累计达4.2万件。</span></p>
<p>表2　2021年主要科技指标</p>
<table border="1">
<tr><th rowspan="2">指标</th><th rowspan="2">单位</th><th colspan="2">2021年</th></tr>
<tr><th>绝对数</th><th>比上年增长(%)</th></tr>
<tr><td>PCT国际专利申请量</td><td>件</td><td>37</td><td>23.3</td></tr>
<tr><td>高价值发明专利拥有量</td><td>件</td><td>1,105</td><td>30.2</td></tr>
<tr><td>每万人口高价值发明专利拥有量</td><td>件</td><td>18.7</td><td>—</td></tr>
<tr><td>技术合同成交额</td><td>亿元</td><td>12.6</td><td>8.0</td></tr>
</table>
<p>　　注：本公报数据为初步统计数（区科技局 &amp; 区市场监管局）。</p>
</div></div>
<div class="related"><h3>相关链接</h3><ul><li><a href="/a">2020年金坛区统计公报</a></li>
<li><a href="/b">2019年金坛区统计公报</a></li></ul></div>
<div class="share">分享到：微信 微博</div>
</div>
<div class="footer">版权所有：常州市金坛区人民政府　电话：0519-82821234　专利申请量88888件</div>
</body></html>
"""

HTML_ROWS = [  # indicator, value, unit, status, location
    ("gdp", 1322.6, "亿元", "official", "paragraph 3"),
    ("resident_population", 59.1, "万人", "official", "paragraph 3"),
    ("patent_applications", 9876, "件", "official", "paragraph 5"),
    ("patent_grants", 6543, "件", "official", "paragraph 5"),
    ("invention_patents_held", 3021, "件", "official", "paragraph 5"),
    ("invention_patents_per_10k", 51.1, "件/万人", "official", "paragraph 5"),
    ("high_tech_firms", 402, "家", "official", "paragraph 6"),
    ("ip_pledge_amount", 11500, "万元", "official", "paragraph 6"),
    ("ip_pledge_deals", 23, "笔", "official", "paragraph 6"),
    ("pct_applications", 37, "件", "official", "table 1, row 3"),
    ("high_value_invention_patents", 1105, "件", "official", "table 1, row 4"),
    ("high_value_invention_patents_per_10k", 18.7, "件/万人", "official", "table 1, row 5"),
]
HTML_CHANGES = [
    ("gdp", "growth_rate", 9.1), ("patent_applications", "growth_rate", 12.0),
    ("patent_grants", "growth_rate", 15.5), ("invention_patents_per_10k", "change", 6.2),
    ("high_tech_firms", "change", 56), ("pct_applications", "growth_rate", 23.3),
    ("high_value_invention_patents", "growth_rate", 30.2),
]


@pytest.fixture(scope="module")
def html_extraction(tmp_path_factory):
    path = tmp_path_factory.mktemp("html") / "jintan_2021.html"
    path.write_bytes(HTML.encode("gb18030"))
    doc = read_document(path)
    return doc, extract_document(doc, source_id="jt_tjgb_2021")


def test_html_main_text_only(html_extraction) -> None:
    doc, ex = html_extraction
    assert doc.format == "html" and "gb2312" in doc.detail
    assert doc.title == "2021年金坛区国民经济和社会发展统计公报"
    assert (ex.region, ex.year) == ("金坛区", 2021)  # not 常州市 from the site name in <title>
    text = "\n".join(b.text for b in doc.blocks)
    for boilerplate in ("首页", "当前位置", "99999", "88888", "分享到", "相关链接", "浏览次数"):
        assert boilerplate not in text
    assert "（区科技局 & 区市场监管局）" in text  # entities decoded: plain text, to be escaped by whoever shows it
    table = next(b for b in doc.blocks if b.kind == "table")
    assert table.text == "表2 2021年主要科技指标"
    assert table.rows[:2] == (("指标", "单位", "2021年", "2021年"), ("指标", "单位", "绝对数", "比上年增长(%)"))
    assert [b.section for b in doc.blocks if b.kind == "table"] == [("八、科技创新和知识产权",)]


def test_mhtml_single_file_page(tmp_path, html_extraction) -> None:
    """The same page saved by a browser as one file (.mhtml, quoted-printable) gives the same rows."""
    import quopri

    body = quopri.encodestring(HTML.encode("gb18030")).decode("ascii")
    mhtml = ("From: <Saved by Blink>\r\nSubject: bulletin\r\nMIME-Version: 1.0\r\n"
             'Content-Type: multipart/related; type="text/html"; boundary="----B"\r\n\r\n'
             "------B\r\nContent-Type: text/html; charset=gb2312\r\n"
             "Content-Transfer-Encoding: quoted-printable\r\n\r\n" + body.replace("\n", "\r\n") +
             "\r\n------B\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\n"
             "iVBORw0KGgo=\r\n------B--\r\n")
    p = tmp_path / "page.mhtml"
    p.write_bytes(mhtml.encode("ascii"))
    doc = read_document(p)
    assert doc.format == "html" and doc.detail.startswith("MHTML")
    ex = extract_document(doc, source_id="jt_tjgb_2021")
    assert ex.rows.equals(html_extraction[1].rows)


def test_html_bulletin_rows(html_extraction) -> None:
    _, ex = html_extraction
    got = [(r.indicator, r.value, r.unit, r.status, r.location) for r in ex.levels.itertuples()]
    assert got == [(c, float(v), u, s, loc) for c, v, u, s, loc in HTML_ROWS]
    assert ex.rows["year"].eq(2021).all() and ex.rows["region"].eq("金坛区").all()
    assert [(r.indicator, r.kind, r.value) for r in ex.changes.itertuples()] == [
        (c, k, float(v)) for c, k, v in HTML_CHANGES]
    got_u = sorted((r.raw, r.category) for r in ex.unattributed.itertuples())
    assert got_u == [("12.6", "unrelated"), ("4.2万件", "ambiguous"), ("8.0", "unrelated")]
    assert ex.summary["ip_sections"].to_dict() == {
        "figures": 19, "extracted": 10, "changes": 6, "ambiguous": 1, "refused": 0, "repeat": 0, "unrelated": 2}
    assert ex.summary.loc["figures", "document"] == 22


# ----------------------------------------------------------------------------------------------- text

TEXT = ("2020年溧阳市国民经济和社会发展统计公报\n\n七、科学技术\n"
        "　　全年专利申请量23,568件，授权量14,120件。年末有效发明专利拥有量6,120件。\n")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16", "utf-16-le", "utf-16-be"])
def test_text_in_every_encoding(tmp_path, encoding: str) -> None:
    p = tmp_path / "b.txt"
    p.write_bytes(TEXT.encode(encoding))
    doc = read_document(p)
    ex = extract_document(doc)
    assert [(r.indicator, r.value, r.location) for r in ex.levels.itertuples()] == [
        ("patent_applications", 23568.0, "paragraph 3"), ("patent_grants", 14120.0, "paragraph 3"),
        ("invention_patents_held", 6120.0, "paragraph 3")]


def test_decode_reports_how() -> None:
    assert decode_text("专利".encode("utf-16"))[1].startswith("UTF-16")
    assert decode_text("专利".encode("gbk"))[1] == "GB18030 (GBK)"
    with pytest.raises(DocumentError, match="unknown encoding"):
        decode_text(b"\x81\x20\x00\x00\x81\x00", "x.txt")


def test_region_and_year_given_override_the_title(tmp_path) -> None:
    p = tmp_path / "b.txt"
    p.write_text(TEXT, encoding="utf-8")
    ex = extract_document(read_document(p), region="金坛区", year=2019)
    assert ex.rows["region"].eq("金坛区").all() and ex.from_title == ()
    assert ex.rows["year"].tolist() == [2019, 2019, 2019]


@pytest.mark.parametrize("title,expected", [
    ("2020年溧阳市国民经济和社会发展统计公报", ("溧阳市", 2020)),
    ("溧阳市2020年国民经济和社会发展统计公报", ("溧阳市", 2020)),
    ("常州市金坛区2021年国民经济和社会发展统计公报", ("金坛区", 2021)),
    ("2019年常州市国民经济和社会发展统计公报 - 常州市统计局", ("常州市", 2019)),
    ("二〇二〇年溧阳市国民经济和社会发展统计公报", ("溧阳市", 2020)),
    ("国民经济和社会发展统计公报", ("", None)),
])
def test_region_year_from_title(title, expected) -> None:
    from liyang_ip.extract import load_catalogue

    assert find_region_year(title, load_catalogue().regions) == expected


def test_no_region_in_title_and_none_given(tmp_path) -> None:
    p = tmp_path / "b.txt"
    p.write_text("全年专利申请量23,568件。\n", encoding="utf-8")
    with pytest.raises(DocumentError, match="no region found in the title"):
        extract_document(read_document(p))


@pytest.mark.parametrize("make,message", [
    (lambda p: p.mkdir(), "is a directory"),
    (lambda p: p.write_bytes(b""), "the file is empty"),
    (lambda p: p.write_bytes(b"  \n\n"), "the file is empty"),
    (lambda p: p.write_bytes(b"\x81\x20\xff\x00\x81\x00\x81"), "unknown encoding"),
    (lambda p: None, "cannot read"),
])
def test_unreadable_documents(tmp_path, make, message) -> None:
    p = tmp_path / "doc"
    make(p)
    with pytest.raises(DocumentError, match=message) as info:
        read_document(p)
    assert "\n" not in str(info.value) and str(p) in str(info.value)


def test_control_characters_are_removed(tmp_path) -> None:
    p = tmp_path / "b.txt"
    p.write_text("2020年溧阳市统计公报\n全年专利申请量\x1b[31m23,568件\u202e。\n", encoding="utf-8")
    ex = extract_document(read_document(p))
    assert ex.rows["quote"].tolist() == ["全年专利申请量23,568件"]


def test_markup_in_a_document_stays_text_and_is_escaped_where_shown(tmp_path) -> None:
    """A quote from a page may contain text that looks like markup; the extractor keeps it as plain text
    (entities decoded) and the project's table renderer escapes it when the rows are shown in HTML."""
    from liyang_ip.charts import table

    page = ("<html><head><meta charset='utf-8'><title>2020年溧阳市统计公报</title></head><body>"
            "<p>全年专利申请量&lt;img src=x onerror=alert(1)&gt;23,568件。</p>"
            "<p>全年专利授权量14,120件（&lt;script&gt;x()&lt;/script&gt;）。</p></body></html>")
    p = tmp_path / "page.html"
    p.write_text(page, encoding="utf-8")
    ex = extract_document(read_document(p))
    assert ex.rows["quote"].tolist() == ["全年专利授权量14,120件（<script>x()</script>）"]
    assert ex.unattributed["raw"].tolist() == ["1", "23,568件"]  # markup between name and number: refused
    html = table(ex.rows[["indicator", "value", "quote"]]).to_html()
    assert "<script>" not in html and "&lt;script&gt;x()&lt;/script&gt;" in html
