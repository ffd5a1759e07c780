"""Property: a figure is never attributed to an indicator its sentence does not name or imply.

Sentences are built from clauses whose truth the generator knows: a catalogue name with a figure in its
unit (the figure is that indicator's value, or nothing), an elided name after its antecedent (授权量 after
专利申请量), a count's name with a per-10k marker, a name that is not in the catalogue, another region, a
growth rate, a subset (企业…). Whatever the extractor does, every level row must be the generated truth
for the figure it quotes (indicator and exact value), and growth clauses never give levels.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from liyang_ip.extract import extract_figures, load_catalogue

CAT = load_catalogue()
# How a figure in each canonical unit may be written: (unit as written, factor to the canonical unit).
WRITTEN = {
    "件": [("件", 1), ("万件", 10_000)],
    "家": [("家", 1)],
    "人": [("人", 1), ("名", 1)],
    "笔": [("笔", 1)],
    "万元": [("万元", 1), ("亿元", 10_000)],
    "件/万人": [("件", 1)],
    "%": [("%", 1)],
    "分": [("分", 1)],
    "万人": [("万人", 1)],
    "亿元": [("亿元", 1)],
}
# Cumulative indicators (1985年以来累计, CNIPA tables) are not read from bulletin text: left out here.
NAMED = sorted((code, name) for code, info in CAT.indicators.items() if info.unit in WRITTEN
               and info.kind != "cumulative" for name in info.names)
# Elided forms: a measure written without its subject. It stands for the subject of the nearest catalogue
# name before it in the sentence + the form (专利申请量 → 专利 + 授权量), when that is a catalogue name.
ELIDED = ["授权量", "授权", "申请量", "申请", "笔数", "金额"]
MEASURE = ("申请量", "申请数", "申请", "授权量", "授权数", "授权", "拥有量", "金额", "笔数")
BY_NAME = {name: code for code, name in NAMED}


def elided_truth(previous: str | None, form: str) -> str | None:
    if previous is None or not previous.endswith(MEASURE):
        return None
    subject = previous[: -len(next(m for m in MEASURE if previous.endswith(m)))]
    if len(subject) < 2:
        return None
    # 授权 stands for 授权量 as well (全年专利申请量…，授权… = 全年专利授权量).
    return BY_NAME.get(subject + form) or BY_NAME.get(subject + form + "量")
# (count's name, how the per-10k marker is written around it, ratio it implies)
PER_10K = [("高价值发明专利拥有量", "{name}每万人达到", "high_value_invention_patents_per_10k"),
           ("有效发明专利", "万人{name}", "invention_patents_per_10k"),
           ("高价值发明专利", "每万人口拥有{name}", "high_value_invention_patents_per_10k"),
           ("发明专利拥有量", "{name}每万人口达", "invention_patents_per_10k")]
OTHER_NAMES = ["科技企业孵化器", "省级工程技术研究中心", "实用新型专利授权量", "商标申请量", "技术合同成交额",
               "外观设计专利申请", "科技型中小企业", "新增注册商标", "专利侵权纠纷案件", "众创空间"]
LEADS = ["", "全年", "年末", "全市", "其中", "当年"]
VERBS = ["", "达", "达到", "为", "约", "近", "突破", "累计"]


@st.composite
def number(draw) -> Decimal:
    whole = draw(st.integers(min_value=1, max_value=99_999))
    tenths = draw(st.integers(min_value=0, max_value=9))
    return Decimal(whole) + Decimal(tenths) / 10 if draw(st.booleans()) else Decimal(whole)


@st.composite
def clause(draw, previous_name: str | None):
    """(text, truth): truth is (indicator, value) for the figure, None when nothing may be attributed,
    'growth' for a growth rate."""
    what = draw(st.sampled_from(["named", "named", "named", "elided", "per10k", "other", "region", "growth",
                                 "subset"]))
    lead, verb, value = draw(st.sampled_from(LEADS)), draw(st.sampled_from(VERBS)), draw(number())
    if what == "growth":
        return f"{lead}增长{value}%", "growth", None
    if what == "elided":
        form = draw(st.sampled_from(ELIDED))
        code = elided_truth(previous_name, form)
        return f"{lead}{form}{verb}{value}件", (code, value) if code else None, None
    if what == "per10k":
        name, pattern, code = draw(st.sampled_from(PER_10K))
        return f"{lead}{pattern.format(name=name)}{value}件", (code, value), name
    if what == "other":
        name = draw(st.sampled_from(OTHER_NAMES))
        return f"{lead}{name}{verb}{value}{draw(st.sampled_from(['件', '家', '个', '亿元']))}", None, None
    code, name = draw(st.sampled_from(NAMED))
    unit, factor = draw(st.sampled_from(WRITTEN[CAT.indicators[code].unit]))
    text = f"{lead}{name}{verb}{value}{unit}"
    if what == "region":
        return f"常州市{text}", None, name
    if what == "subset":
        return f"企业{text}", None, name
    return text, (code, value * factor), name


@st.composite
def sentence(draw):
    parts, truths, previous = [], [], None
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        text, truth, name = draw(clause(previous))
        parts.append(text)
        truths.append(truth)
        previous = name or previous  # the nearest catalogue name before (other names are not names)
    return "，".join(parts) + "。", truths


@settings(max_examples=80, deadline=None)
@given(st.lists(sentence(), min_size=1, max_size=3))
def test_no_figure_goes_to_an_indicator_its_sentence_does_not_name_or_imply(sentences) -> None:
    text = "".join(s for s, _ in sentences)
    ex = extract_figures(text, region="溧阳市", year=2020)
    # Truth per clause, in text order; a row quotes its clause, and its figure lies in exactly one clause.
    clauses, pos = [], 0
    for s, truths in sentences:
        for part, truth in zip(s.rstrip("。").split("，"), truths, strict=True):
            start = text.index(part, pos)
            clauses.append((start, start + len(part), truth))
            pos = start + len(part)
    for r in ex.levels.itertuples():
        truth = next(t for a, b, t in clauses if a <= r.start < b)
        assert truth not in (None, "growth"), (text, r.indicator, r.raw)
        code, value = truth
        assert r.indicator == code, (text, r.indicator, r.raw)
        assert Decimal(str(r.value)) == value, (text, r.indicator, r.value, value)
    for r in ex.changes.itertuples():
        truth = next(t for a, b, t in clauses if a <= r.start < b)
        assert truth == "growth" or r.kind == "change", (text, r.indicator, r.raw)


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(NAMED), number(), st.data())
def test_a_plain_named_clause_is_found(named, value, data) -> None:
    """Not only refusals: name + 达到 + figure in a unit the indicator takes gives exactly that row."""
    code, name = named
    unit, factor = data.draw(st.sampled_from(WRITTEN[CAT.indicators[code].unit]))
    ex = extract_figures(f"{name}达到{value}{unit}。", region="溧阳市", year=2020)
    assert [(r.indicator, Decimal(str(r.value))) for r in ex.rows.itertuples()] == [(code, value * factor)]
