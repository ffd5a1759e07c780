"""Figures from statistical-bulletin text (统计公报), attributed to catalogue indicators, with quotes.

How a sentence is read
----------------------
1. Lines that a PDF copy wrapped are joined (optional); the text is mapped to half-width one character
   for one, so offsets stay valid and quotes are cut from the text as written.
2. Indicator names and synonyms from the catalogue are found, longest first (每万人口发明专利拥有量 wins
   over 发明专利拥有量). A name's *stem* (知识产权质押融资 from 知识产权质押融资金额/笔数) is also a mention; it
   names a family of indicators that the unit of the figure decides between (3.2亿元 → amount, 56笔 → deals).
3. Number tokens (1.2万, 1,856, 一万二千, 近千, ...) with their unit and qualifiers (近, 约, 余, 以上, ...).
   Tokens followed by 年/月/日 are dates, 第N is an ordinal; Chinese numerals without a unit (十四五) are
   words, not figures; 500-600家 and 三至五家 are ranges.
4. Sentences split at 。！？ and line breaks, parts at ；, clauses at ，. Period markers (全年, 年末,
   截至2019年底, 上年末, 上半年, 2016-2020年, 十三五期间, 力争, a year after the report year) hold from where
   they appear to the end of the sentence.
5. The kind of a figure comes from the words just before it: 增长/下降 + % is a growth rate, 比上年增加 a
   change, 新增/新认定 a change for a stock indicator and the flow itself for a flow indicator, 增加到/降至 a
   level, 由/从 the starting value of a change, 占/比重 a share.
6. Each figure goes to the one indicator named before it in its clause (or, for 甲、乙分别为X和Y, to the
   names in order); a clause that names none may continue the previous clause's indicator for a change
   (比上年增加5.1件), a growth rate (增长12.3%) or a level with a cue word (累计达15件, 共计56笔).
   Elided names borrow the subject of the name before them in the sentence: 全年专利申请量23,568件，
   授权量14,120件 (专利授权量); 其中发明专利申请…，授权… (发明专利授权); 专利申请量、授权量分别为… .
   A per-10k marker next to a count's name (每万人口拥有高价值发明专利, 万人有效发明专利, 高价值发明专利拥有量
   每万人达到18.3件) gives the per-10k ratio the catalogue derives from that count.
7. Level or flow: verbs of level (达到/达/突破/增至/发展至/累计/拥有/实现) and of flow (新增/全年/当年) are
   read with the indicator's kind (stock/flow/ratio). 累计 before the name of a flow indicator
   (累计发明专利申请量) names a total over several years, not the year's flow: it is refused as accumulated
   (naming the catalogue's accumulated indicators, which count from a stated year); 累计 after the name
   (专利授权量累计达…) is reported as ambiguous. Either is read as the year's flow only when 全年/当年/本年 in
   its clause says so; a year alone (2020年) does not, since every bulletin sentence has one.
   全年/当年 with a stock indicator and no verb of level is reported as ambiguous. Approximations
   (近/约/超/突破/余/以上 …) give rows with status ``estimate``.
8. Refused, with the reason, into `unattributed`: no or several names, a unit that does not convert,
   another region in the clause (全省, 常州市; inside brackets only for the bracket), a subset (企业…) or
   per-head figure next to a total's name, part-year, multi-year and target periods, ranges, vague
   quantities (数百家), shares, multiples (倍), starting values and second levels for the same name.

Nothing is guessed: a figure is either attributed by these rules or reported.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

import numpy as np
import pandas as pd

from .catalogue import Catalogue, load_catalogue
from .numerals import CN_DIGITS, NUMBER_RE, NumeralError, halfwidth, parse_number

__all__ = ["RAW_COLUMNS", "Extraction", "extract_figures"]

#: Columns of a raw tidy CSV, in order (docs/ARCHITECTURE.md).
RAW_COLUMNS = ["region", "year", "indicator", "value", "unit", "status", "source_id", "note", "quote"]
#: Extra columns of the detailed frames (`levels`, `changes`).
DETAIL_COLUMNS = [*RAW_COLUMNS, "kind", "approximate", "qualifier", "period", "raw", "sentence", "start", "end"]
UNATTRIBUTED_COLUMNS = ["year", "indicator", "raw", "reason", "category", "clause", "sentence", "start", "end"]

# Reasons that mean the reading itself is uncertain (which indicator, level or flow), as opposed to a
# figure that is understood but is not the region's level for the year (another region, a target, …).
_AMBIGUOUS_REASONS = ("ambiguous", "several indicators", "分别", "growth rate of a group", "second level",
                      "change stated as a multiple", "row has")


def _category(reason: str) -> str:
    """unrelated (names no catalogue indicator) | ambiguous (reading uncertain) | refused (understood,
    but not a level of the region for the year)."""
    if reason.startswith(("no catalogue indicator named", "table row names no catalogue indicator")):
        return "unrelated"
    if reason.startswith("repeats the level"):
        return "repeat"
    if reason.startswith(_AMBIGUOUS_REASONS) or re.match(r"unit \S+ fits \d+ of", reason):
        return "ambiguous"
    return "refused"

# Units that are not in the catalogue but must be recognised so that they are not misread
# (人次 is not 人, 个百分点 is not 个). Longest match wins.
_OTHER_UNITS = ["个百分点", "百分点", "倍", "项", "次", "人次", "万人次", "件次", "家次", "位", "所", "座", "台",
                "套", "亩", "吨", "平方米", "平方公里", "公里", "个月", "场", "批", "款", "种", "条", "篇", "本",
                "册", "元/人", "美元", "万美元", "亿美元"]
# Units that make a number a date or a duration, not a figure.
_DATE_UNITS = ["年", "月", "日", "号", "天", "届", "期", "季度", "周年", "岁", "小时", "分钟", "时"]
_PREFIX_QUALIFIERS = ["将近", "接近", "大约", "超过", "近", "约为", "约", "超", "逾", "突破", "不少于", "不低于",
                      "高达"]
_SUFFIX_QUALIFIERS = ["余", "多", "以上", "左右", "上下", "之多", "有余", "出头"]
# 高达 stresses a figure, it does not make it approximate.
_APPROX = {*_PREFIX_QUALIFIERS, *_SUFFIX_QUALIFIERS, "上"} - {"高达"}

# Verbs of newness open a statement of additions during the year (新增地理标志商标2件, 新认定高新技术企业87家).
# For a stock indicator that is a change; for a flow indicator (新增专利授权) it is the flow itself.
_NEW = "新增|净增|新认定|新培育|新获批|新获得|新获|新批准|新登记|新认证|新通过|新引进|新设立|新入驻"
_RISE = f"{_NEW}|增长|增加|提高|提升|上升|增幅|增速|增|多"
_FALL = "下降|减少|降低|回落|下滑|减|少"
# Cue words that let a clause without a name continue the previous one with a level
# (累计达15件, 共计56笔, 金额3.2亿元 after 质押融资56笔).
_LEVEL_CUE_RE = re.compile(r"(累计|总量|总数|共计|共有|合计|总计|达到|达|拥有|保有|为|共|金额|笔数|突破|"
                           r"(?:增加|增长|提高|上升|下降|减少|发展|降|升|增)(?:到|至))")
_SHARE_RE = re.compile(r"(占|比重|占比|比例)")
# Words before a name that restrict it to part of the region (企业发明专利申请量, 规上企业有效发明专利).
# Also kinds of patents other than the one named (实用新型专利申请量 is not 专利申请量).
_SUBSET_RE = re.compile(r"(企业|规上|规模以上|高校|高等院校|院所|个人|工矿|外资|民营|国有|中小|实用新型|外观设计|国内|国外|"
                        r"境外|海外|职务|非职务)[^□]{0,2}$")
# 每万人口拥有高价值发明专利12.3件: the name found is a count, the figure is per 10k residents.
_PER_CAPITA_RE = re.compile(r"每万人口?|万人|人均|每百人|每千人")
_CN_NUM = "".join(CN_DIGITS) + "十百千万亿"
_RANGE_SEPS = ("-", "~", "至", "到")
_RANGE_NEXT_RE = re.compile(rf"\s*[-~至到]\s*[\d{''.join(CN_DIGITS)}十]")
_LIST_SEP_RE = re.compile(r"[、和及与]|以及")
_FOREIGN_MARKERS = ("全省", "全国", "我国", "全球", "世界", "江苏省", "苏南", "长三角")
# 全国人口普查 names a census, not another region.
_NOT_FOREIGN_AFTER_RE = re.compile(r"第?[一二三四五六七八九十]*次?(人口|经济|农业)普查")
# Words after a figure that make it a tier or threshold, not the value (提升到9000亿元档级).
_TIER_RE = re.compile(r"档级|档次|台阶|量级|级别|门槛|级")

# Traditional characters that bulletin reposts use, to their simplified forms (one character for one,
# so offsets hold): 億元, 萬人, 為, 總量, 區 …
_T2S = str.maketrans(
    "億萬區為總數長實現產專權請發國際標質戶員額與這個們來時間計較業務對經濟開團設據規準積極屬歲達陽壇鐘樓進門"
    "縣鎮蘇無場價資貿獲廣東華點兩維護創營態應項轉讓圍內劃屆幣險檢測驗認證貫書處訴糾紛審結決學術師導單體優勢擁"
    "於從給後幾將並級檔臺階關預報況錄顯雙節週餘淨億增",
    "亿万区为总数长实现产专权请发国际标质户员额与这个们来时间计较业务对经济开团设据规准积极属岁达阳坛钟楼进门"
    "县镇苏无场价资贸获广东华点两维护创营态应项转让围内划届币险检测验认证贯书处诉纠纷审结决学术师导单体优势拥"
    "于从给后几将并级档台阶关预报况录显双节周余净亿增",
)

_CLAUSE_SPLIT = ",，"
_PART_SPLIT = ";；"
_SENTENCE_SPLIT = "。!?！？\n\r"

_YEAR = r"((?:19|20)\d{2})"
_CN_YEAR = r"([〇零一二三四五六七八九]{4})"
_PERIOD_PATTERNS: list[tuple[re.Pattern, str]] = [
    (re.compile(rf"{_YEAR}年?\s*(?:-|~|至|到)\s*{_YEAR}年"), "multi"),
    (re.compile(r"十[一二三四五六七八九]五(?:期间|时期|以来|末)?"), "plan"),
    (re.compile(r"(?:近|过去)[一二三四五六七八九十两\d]+年|[一二三四五六七八九十两\d]+年来"), "multi"),
    (re.compile(rf"{_YEAR}年以来|以来"), "multi"),
    (re.compile(rf"截至{_YEAR}年(?:底|末|12月底|12月末|12月31日)?"), "asof"),
    (re.compile(rf"{_YEAR}年(?:末|底){_YEAR}年初"), "asof"),  # 2022年末2023年初 (population counts)
    # Not bare 计划/规划: 国家科技计划项目 is not a target.
    (re.compile(r"力争|目标|预计|争取|确保|将达到|要达到|计划(?:到|在|达到)|规划(?:到|期末)"), "target"),
    (re.compile(r"上半年|下半年|[一二三四1-4]季度|前三季度|\d{1,2}\s*(?:-|~|至)\s*\d{1,2}月|[一二三四五六七八九十]+至[一二三四五六七八九十]+月"),
     "partial"),
    # A year that is a comparison base (比2019年) or a starting point (从2015年) does not set the period.
    (re.compile(rf"(?<![比较同与和从由])(?:{_YEAR}|{_CN_YEAR})年(末|底|全年)?(?!以来|相比|同期)"), "year"),
    (re.compile(r"(?<![比较同与和])(上年|去年|前年)(末|底)?(?!同期)"), "last_year"),
    (re.compile(r"全年|年末|年底|今年|本年"), "this_year"),
]


@dataclass
class Extraction:
    """Result of `extract_figures`.

    rows          raw-ready level rows: region, year, indicator, value, unit, status, source_id, note, quote
    levels        the same rows with detail columns (kind, approximate, qualifier, period, raw, sentence,
                  start, end: offsets of the number in the text)
    changes       growth statements (kind `change` in the indicator's unit or `百分点`, `growth_rate` in %),
                  never level rows
    unattributed  figures that could not be attributed to one indicator, with the reason and a category:
                  ``unrelated`` (no catalogue indicator named), ``ambiguous`` (which indicator, or level or
                  flow, is uncertain; or two different levels for one indicator and year), ``refused``
                  (understood, but not the region's level for the year) or ``repeat`` (the same level again)
    """

    rows: pd.DataFrame
    levels: pd.DataFrame
    changes: pd.DataFrame
    unattributed: pd.DataFrame

    def __repr__(self) -> str:
        return (f"Extraction({len(self.rows)} rows, {len(self.changes)} changes, "
                f"{len(self.unattributed)} unattributed)")


@dataclass
class _Mention:
    start: int
    end: int
    codes: tuple[str, ...]  # one code for a name or synonym; several for a stem (family)
    name: str
    levels_taken: int = 0
    used_code: str = ""
    failed: bool = False
    # For an elided name (授权量 after 专利申请量 = 专利授权量): the mention whose subject it borrows.
    antecedent: _Mention | None = None


@dataclass
class _Figure:
    start: int  # start of the number
    end: int  # end of number + unit + qualifiers
    value: Decimal
    raw: str
    unit: str  # as written ('' when none)
    unit_class: str  # catalogue | other | none
    suffix_qualifier: str = ""
    range_raw: str = ""
    prefix_qualifier: str = ""  # only for bare scale words (近千人, 上万件, 数百家)


@dataclass
class _Period:
    year: int
    text: str = ""
    flag: str = ""  # '' | partial | multi | target | plan
    start: int = -1  # where the marker is (for quotes), -1 for the default


@dataclass
class _Context:
    """The indicator a clause without a name may continue (reset at ；)."""

    code: str = ""
    clause_start: int = -1
    level_codes: set[tuple[str, int]] = field(default_factory=set)  # (code, year) with a level already
    year: int = 0  # the year of the figure being attributed

    def has_level(self, code: str) -> bool:
        return (code, self.year) in self.level_codes


def _ascii_lower(text: str) -> str:
    return "".join(c.lower() if "A" <= c <= "Z" else c for c in text)


def _stem(name: str) -> str:
    return re.sub(r"(金额|笔数|数量|额|数|量)$", "", name)


@lru_cache(maxsize=8)
def _name_index(cat: Catalogue) -> dict[str, tuple[str, ...]]:
    """Normalised name → codes. Exact names and synonyms map to one code; stems to their family."""
    exact: dict[str, set[str]] = {}
    stems: dict[str, set[str]] = {}
    for info in cat.indicators.values():
        for name in info.names:
            key = _ascii_lower(halfwidth(name)).replace(" ", "")
            exact.setdefault(key, set()).add(info.code)
            st = _stem(key)
            if st != key and len(st) >= 4:
                stems.setdefault(st, set()).add(info.code)
    # Verb before object, as bulletins also write: 申请专利 (专利申请), 授权发明专利, 拥有高价值发明专利.
    inverted: dict[str, set[str]] = {}
    for key, codes in exact.items():
        m = re.fullmatch(r"(.{2,}?)(申请|授权|拥有)(量|数)?", key)
        if m and len(codes) == 1:
            inverted.setdefault(m.group(2) + m.group(1), set()).update(codes)
    index = {k: tuple(sorted(v)) for k, v in stems.items()}
    index.update({k: tuple(sorted(v)) for k, v in inverted.items() if len(v) == 1})
    index.update({k: tuple(sorted(v)) for k, v in exact.items()})  # a real name beats a stem
    # A stem shared with an exact name of one indicator stays that indicator (专利申请 is a synonym).
    return index


@lru_cache(maxsize=8)
def _region_names(cat: Catalogue) -> dict[str, str]:
    """Region names and aliases as written in text → canonical name, plus 全省/全国 markers."""
    out = {}
    for canon, aliases in cat.regions.items():
        for n in (canon, *aliases):
            n = halfwidth(n)
            if len(n) >= 2 and not n.isascii():
                out[n] = canon
    for marker in _FOREIGN_MARKERS:
        out[marker] = marker
    return out


def _find_spans(text: str, names: dict[str, object]) -> list[tuple[int, int, str]]:
    """Non-overlapping occurrences of the names, longest first."""
    cands = []
    for name in names:
        if not name:
            continue
        for m in re.finditer(re.escape(name), text):
            cands.append((m.start(), m.end(), name))
    cands.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
    taken: list[tuple[int, int, str]] = []
    used = bytearray(len(text))
    for c in cands:
        if not any(used[c[0]:c[1]]):
            taken.append(c)
            used[c[0]:c[1]] = b"\x01" * (c[1] - c[0])
    return sorted(taken)


# An elided name keeps the verb or measure and drops the subject (专利申请量…，授权量… = 专利授权量):
# what is written must start with one of these.
_ELIDED_HEADS = ("申请", "授权", "拥有", "金额", "笔数", "融资", "登记", "注册")
# Words that may open the clause before an elided name (其中发明专利申请…，授权…; 全年…，当年授权…).
_ELIDED_LEAD_RE = re.compile(r"(?:\s|其中|全年|当年|本年|全市|同期|年末|年底)*")
# What may follow an elided name: the figure, a list, 分别, or a verb leading to the figure.
_ELIDED_NEXT_RE = re.compile(
    rf"\s*(?:[\d{''.join(CN_DIGITS)}十、和及与]|分别|以及|达|为|突破|超|近|约|逾|累计|共|合计|总计|增|减|降|下降|"
    r"同比|比上年|较上年|比|较|实现|首次|再创|创)"
)


@lru_cache(maxsize=8)
def _elision_table(cat: Catalogue) -> dict[str, dict[str, tuple[str, ...]]]:
    """Subject prefix → {elided form as written → codes of the full name}.

    For each pair of catalogue names sharing a prefix of two or more characters (专利申请量, 专利授权量),
    the rest of the second name (授权量) is what a bulletin writes after the first; only rests that start
    with a verb or measure (`_ELIDED_HEADS`) count, so 有效注册商标…，发明专利… is not 有效发明专利.
    """
    index = _name_index(cat)
    table: dict[str, dict[str, tuple[str, ...]]] = {}
    for name, codes in index.items():
        for k in range(2, len(name) - 1):
            rest = name[k:]
            if rest.startswith(_ELIDED_HEADS):
                table.setdefault(name[:k], {})[rest] = codes
    return table


def _elided_mentions(norm: str, mentions: list[_Mention], figures: list[_Figure],
                     clauses: list[tuple[int, int, int, int]], cat: Catalogue) -> list[_Mention]:
    """Mentions for names written without their subject, after a full name in the same sentence.

    Looked for at the start of a clause (after 其中/全年/…) and after a list separator that follows a
    name or a figure (专利申请量、授权量分别为…). The subject comes from the nearest name before: the longest
    prefix it shares with a catalogue name whose rest is written here (发明专利申请…，授权… →
    发明专利授权, not 专利授权). Nothing is made when the name before is itself refused; that is checked
    when figures are attributed (the mention keeps its antecedent).
    """
    table = _elision_table(cat)
    ends = {mm.end for mm in mentions} | {f.end for f in figures}
    starts: list[tuple[int, int]] = [(c[0], c[2]) for c in clauses]  # (position, sentence)
    sentence_of = [(c[0], c[1], c[2]) for c in clauses]
    for m in re.finditer(r"[、和及与]|以及", norm):
        before = norm[:m.start()].rstrip()
        if len(before) in ends:
            sent = next((sn for a, b, sn in sentence_of if a <= m.start() < b), None)
            if sent is not None:
                starts.append((m.end(), sent))
    out: list[_Mention] = []
    all_mentions = sorted(mentions, key=lambda mm: mm.start)
    all_starts = [mm.start for mm in all_mentions]
    taken = bytearray(len(norm))  # inside a name or a figure
    for a, b in [(mm.start, mm.end) for mm in mentions] + [(f.start, f.end) for f in figures]:
        taken[a:b] = b"\x01" * (b - a)
    sentence_start = {}
    for c in clauses:
        sentence_start.setdefault(c[2], c[0])
    for pos, sent in sorted(set(starts)):
        q = _ELIDED_LEAD_RE.match(norm, pos).end()
        if q >= len(norm) or taken[q]:
            continue
        first = sentence_start.get(sent, 0)
        ante = next((mm for mm in reversed(all_mentions[:bisect.bisect_right(all_starts, q)]) if mm.end <= q), None)
        if ante is None or ante.start < first:
            continue
        key = ante.name
        hit = None
        for k in range(len(key) - 1, 1, -1):
            if not key[k:].startswith(_ELIDED_HEADS):
                continue  # one measure stands for another: 专利申请量 → 授权量, not 发明专利高年限维持 → 授权量
            rests = table.get(key[:k], {})
            for rest in sorted(rests, key=len, reverse=True):
                if norm.startswith(rest, q) and _ELIDED_NEXT_RE.match(norm, q + len(rest)):
                    hit = (rest, rests[rest], key[:k] + rest)
                    break
            if hit:
                break
        if hit is None and "其中" in norm[pos:q]:
            hit = _subset_elision(norm, q, ante, cat)
        if hit is None:
            continue
        rest, codes, full = hit
        if set(codes) == set(ante.codes):
            continue  # 专利申请…，申请量…: the same indicator again, not an elision
        mm = _Mention(q, q + len(rest), codes, full, antecedent=ante)
        out.append(mm)
        at = bisect.bisect_right(all_starts, mm.start)
        all_mentions.insert(at, mm)
        all_starts.insert(at, mm.start)
        taken[mm.start:mm.end] = b"\x01" * (mm.end - mm.start)
    return out


def _subset_elision(norm: str, q: int, ante: _Mention, cat: Catalogue) -> tuple[str, tuple[str, ...], str] | None:
    """其中 + a narrower subject, the measure left out: 全年专利申请1.2万件，其中发明专利3,210件 (发明专利申请).

    The measure (申请, 授权, 拥有量, …) comes from the antecedent's catalogue names; the narrower subject
    must make a catalogue name with it. (written subject, codes, full name) or None.
    """
    index = _name_index(cat)
    best = None
    for code in ante.codes:
        for name in cat.indicators[code].names:
            key = _ascii_lower(halfwidth(name)).replace(" ", "")
            for k in range(2, len(key) - 1):
                rest = key[k:]
                if not rest.startswith(_ELIDED_HEADS):
                    continue
                for other, codes in index.items():
                    subj = other[: -len(rest)]
                    if (other.endswith(rest) and len(subj) >= 2 and subj != key[:k] and norm.startswith(subj, q)
                            and _ELIDED_NEXT_RE.match(norm, q + len(subj)) and set(codes) != set(ante.codes)
                            and (best is None or len(subj) > len(best[0]))):
                        best = (subj, codes, other)
    return best


def _match_at(text: str, pos: int, options: list[str]) -> str:
    for opt in options:  # longest first
        if text.startswith(opt, pos):
            return opt
    return ""


def _scan_figures(norm: str, blocked: list[tuple[int, int]], cat: Catalogue) -> list[_Figure]:
    cat_units = sorted((u for u in cat.units if u), key=len, reverse=True)
    other_units = sorted(_OTHER_UNITS, key=len, reverse=True)
    all_units = sorted({*cat_units, *other_units, *_DATE_UNITS}, key=len, reverse=True)
    suffix_q = sorted(_SUFFIX_QUALIFIERS, key=len, reverse=True)
    figures: list[_Figure] = []
    mask = bytearray(len(norm) + 1)
    for b0, b1 in blocked:
        mask[b0:b1] = b"\x01" * (b1 - b0)
    for m in NUMBER_RE.finditer(norm):
        s, e = m.start(), m.end()
        if any(mask[s:e]):
            continue
        raw_num = m.group()
        if s > 0 and norm[s - 1] == "第":
            continue  # ordinal: 第3位
        percent_prefix = norm.endswith("百分之", 0, s)
        try:
            value = parse_number(raw_num)
        except NumeralError:
            continue
        pos = e
        q_inner = _match_at(norm, pos, ["余", "多"])
        unit_at = pos + len(q_inner)
        unit = _match_at(norm, unit_at, all_units)
        if not unit and q_inner:
            q_inner, unit_at = "", pos
        pos = unit_at + len(unit)
        q_after = _match_at(norm, pos, suffix_q) if unit else ""
        pos += len(q_after)
        if percent_prefix:
            unit, s = "%", s - 3
        elif s > 0 and norm[s - 1] == "-" and (s < 2 or not (norm[s - 2].isdigit() or norm[s - 2] in _CN_NUM)):
            value, s = -value, s - 1  # 增长-3.2% (a dash after a number is a range: 500-600家)
        if unit in _DATE_UNITS:
            continue
        if unit and unit in cat.units:
            unit_class = "catalogue"
        elif unit:
            unit_class = "other"
        else:
            unit_class = "none"
        is_cn = not raw_num[0].isdigit()
        if is_cn and unit_class == "none" and not _RANGE_NEXT_RE.match(norm, pos):
            continue  # Chinese numerals without a unit are words (十四五, 一批), unless a range starts (三至五家)
        if unit_class == "none" and re.fullmatch(r"(19|20)\d{2}", raw_num):
            continue  # a bare year (2016-2020)
        if unit_class == "none" and re.match(rf"\s*[-~至到]\s*[\d{''.join(CN_DIGITS)}十]+\s*(?:{'|'.join(_DATE_UNITS)})",
                                             norm[e:]):
            continue  # 1-6月: the start of a date range
        figures.append(_Figure(s, pos, value, norm[s:pos], unit, unit_class,
                               suffix_qualifier=q_inner or q_after))
    # Bare scale words after a qualifier: 近千人 (≈1000), 上万件 (≈10000); 数百家 / 几千件 are too vague.
    unit_alt = "|".join(re.escape(u) for u in cat_units + other_units)
    for m in re.finditer(rf"([近超逾约上数几])([百千万])(?=余|多)?(?={unit_alt}|余|多)", norm):
        s = m.start(2)
        if any(s < b1 and s + 1 > b0 for b0, b1 in blocked):
            continue
        q_inner = _match_at(norm, s + 1, ["余", "多"])
        unit = _match_at(norm, s + 1 + len(q_inner), sorted([*cat_units, *other_units], key=len, reverse=True))
        if not unit:
            continue
        end = s + 1 + len(q_inner) + len(unit)
        unit_class = "catalogue" if unit in cat.units else "other"
        fig = _Figure(s, end, Decimal({"百": 100, "千": 1000, "万": 10000}[m.group(2)]), norm[s:end], unit,
                      unit_class, suffix_qualifier=q_inner, prefix_qualifier=m.group(1))
        if m.group(1) in "数几":
            # 数 may be the end of a name (知识产权服务机构数百家); then the figure starts at 百.
            if not any(b0 <= m.start() < b1 for b0, b1 in blocked):
                fig.start = m.start()
            fig.raw = fig.range_raw = norm[m.start():end]
        figures.append(fig)
    figures.sort(key=lambda f: f.start)
    # Ranges: 500-600家, 500家至600家, 三至五家 → one figure marked as a range.
    merged: list[_Figure] = []
    for f in figures:
        if merged:
            prev = merged[-1]
            between = norm[prev.end:f.start].strip()
            if between in _RANGE_SEPS and (prev.unit in ("", f.unit)) and f.unit:
                merged[-1] = _Figure(prev.start, f.end, f.value, norm[prev.start:f.end], f.unit, f.unit_class,
                                     range_raw=norm[prev.start:f.end])
                continue
        merged.append(f)
    return merged


def _split(norm: str, protected: list[tuple[int, int]]) -> list[tuple[int, int, int, int]]:
    """Clauses as (start, end, sentence_no, part_no)."""
    inside = set()
    for a, b in protected:
        inside.update(range(a, b))
    out = []
    start, sent, part = 0, 0, 0
    for i, ch in enumerate(norm):
        if i in inside:
            continue
        if ch in _SENTENCE_SPLIT or ch in _PART_SPLIT or ch in _CLAUSE_SPLIT:
            out.append((start, i, sent, part))
            start = i + 1
            if ch in _SENTENCE_SPLIT:
                sent += 1
                part = 0
            elif ch in _PART_SPLIT:
                part += 1
    out.append((start, len(norm), sent, part))
    return [c for c in out if norm[c[0]:c[1]].strip()]


def _cn_year(text: str) -> int:
    return int("".join(str("〇一二三四五六七八九".index(c) if c != "零" else 0) for c in text))


def _period_events(sentence: str, offset: int, year: int) -> list[tuple[int, _Period | None]]:
    """(position, new period) for each marker in a sentence, in order."""
    events: list[tuple[int, int, _Period]] = []
    for pattern, what in _PERIOD_PATTERNS:
        for m in pattern.finditer(sentence):
            pos = offset + m.start()
            text = m.group()
            if what == "multi":
                p = _Period(year, text, "multi", pos)
            elif what == "plan":
                p = _Period(year, text, "plan", pos)
            elif what == "target":
                p = _Period(year, text, "target", pos)
            elif what == "partial":
                p = _Period(year, text, "partial", pos)
            elif what == "asof":
                p = _Period(int(m.group(1)), text, "", pos)
            elif what == "year":
                y = int(m.group(1)) if m.group(1) else _cn_year(m.group(2))
                # A year after the report year is a target (到2025年，…达到50件).
                p = _Period(y, text, "target" if y > year else "", pos)
            elif what == "last_year":
                p = _Period(year - (2 if m.group(1) == "前年" else 1), text, "", pos)
            else:
                p = _Period(year, text, "", pos)
            events.append((m.start(), m.end(), p))
    # Overlapping markers: the earliest, then the longest (截至2019年底 over 2019年底).
    events.sort(key=lambda ev: (ev[0], -(ev[1] - ev[0])))
    kept: list[tuple[int, int, _Period]] = []
    for ev in events:
        if all(ev[0] >= k[1] or ev[1] <= k[0] for k in kept):
            kept.append(ev)
    return [(offset + ev[0], ev[2]) for ev in kept]


def _advance(current: _Period, new: _Period) -> _Period:
    """The period after a marker. A target (力争, 到2025年) holds to the end of the sentence."""
    if current.flag == "target" and not new.flag:
        return current
    return new


def _blank(text: str, start: int, spans: list[tuple[int, int]]) -> str:
    """`text` (which starts at `start`) with the given spans replaced by □."""
    chars = list(text)
    for a, b in spans:
        for i in range(max(a, start), min(b, start + len(text))):
            chars[i - start] = "□"
    return "".join(chars)


def _describe(flag: str, text: str) -> str:
    return {
        "partial": f"refers to part of a year ({text})",
        "multi": f"refers to several years ({text})",
        "plan": f"refers to a plan period ({text})",
        "target": f"target or plan, not an observed figure ({text})",
    }[flag]


def extract_figures(
    text: str,
    region: str,
    year: int,
    source_id: str = "",
    catalogue: Catalogue | str | dict | None = None,
    join_wrapped_lines: bool = True,
) -> Extraction:
    """Find catalogue indicators and their figures in bulletin text.

    Parameters
    ----------
    text : str
        Bulletin, work-report or news text (any length; full-width characters are fine).
    region : str
        The region the text is about (canonical name or alias from regions.yaml). 全市 in the text means
        this region; a clause naming another region (常州市, 全省, ...) is reported, not extracted.
    year : int
        The year the text reports on (a 2020 bulletin published in 2021: 2020). Figures marked 上年 or with
        another year get that year and a note.
    source_id : str
        Key into the sources table, copied to every row.
    catalogue : optional
        None for the bundled indicators.yaml, a path to another catalogue file, a parsed dict or a
        `Catalogue`.
    join_wrapped_lines : bool
        Text copied from a PDF breaks lines inside sentences (and numbers: 1.2⏎万件). When True, a line
        break is dropped if the line before does not end a sentence (。！？；：) and is at least 15
        characters long or breaks a number, and the next line is neither indented nor a heading (一、 （一）
        1.); quotes then read without the break. Otherwise every line break ends a sentence.

    Returns
    -------
    Extraction
        ``rows`` (raw-ready levels, values in the catalogue's canonical unit, status ``official``),
        ``levels`` (the same with detail columns), ``changes`` (growth and change statements, never
        levels) and ``unattributed`` (figures with the reason they were not attributed). ``start`` and
        ``end`` are offsets of the figure in the original `text`.

    Examples
    --------
    >>> ex = extract_figures("全年专利授权量1.2万件，其中发明专利授权1856件。", "溧阳市", 2020)
    >>> ex.rows[["indicator", "value", "unit"]].values.tolist()
    [['patent_grants', 12000.0, '件'], ['invention_patent_grants', 1856.0, '件']]
    """
    cat = load_catalogue(catalogue)
    region = cat.resolve_region(region)
    year = int(year)
    source_id = "" if source_id is None else str(source_id)
    text, offsets = _unwrap(str(text)) if join_wrapped_lines else (str(text), None)
    norm = _ascii_lower(halfwidth(text)).translate(_T2S)

    def span(a: int, b: int) -> tuple[int, int]:
        """Offsets in the original text."""
        return (a, b) if offsets is None else (offsets[a], offsets[b - 1] + 1)

    index = _name_index(cat)
    mentions = [_Mention(a, b, index[n], n) for a, b, n in _find_spans(norm, index)]

    own = {region, *cat.regions.get(region, ()), "全市"}
    region_names = _region_names(cat)
    own_names = sorted({halfwidth(n) for n in (region, *cat.regions.get(region, ())) if len(n) >= 2},
                       key=len, reverse=True)
    region_spans = [
        (a, b, n) for a, b, n in _find_spans(norm, region_names)
        if n not in own and region_names[n] != region
        and all(b <= mm.start or a >= mm.end for mm in mentions)
        # 常州新北区, 常州市金坛区: the city written before the region's own name is not another region.
        and not any(norm.startswith(o, b + (norm[b:b + 1] == "市")) for o in own_names)
        and not _NOT_FOREIGN_AFTER_RE.match(norm, b)
    ]
    blocked = [(mm.start, mm.end) for mm in mentions] + [(a, b) for a, b, _ in region_spans]
    figures = _scan_figures(norm, blocked, cat)
    clauses = _split(norm, [(f.start, f.end) for f in figures])
    elided = _elided_mentions(norm, mentions, figures, clauses, cat)
    if elided:
        mentions = sorted([*mentions, *elided], key=lambda mm: mm.start)
        in_elided = bytearray(len(norm) + 1)
        for mm in elided:
            in_elided[mm.start:mm.end] = b"\x01" * (mm.end - mm.start)
        figures = [f for f in figures if not any(in_elided[f.start:f.end])]
    brackets = [(m.start(), m.end()) for m in re.finditer(r"\([^()]*\)|【[^【】]*】|〔[^〔〕]*〕", norm)]

    levels: list[dict] = []
    changes: list[dict] = []
    unattributed: list[dict] = []
    m_starts = [mm.start for mm in mentions]
    f_starts = [f.start for f in figures]

    sentences: dict[int, list[tuple[int, int, int, int]]] = {}
    for c in clauses:
        sentences.setdefault(c[2], []).append(c)

    for sent_clauses in sentences.values():
        s_start, s_end = sent_clauses[0][0], sent_clauses[-1][1]
        sentence_text = text[s_start:s_end].strip()
        events = _period_events(norm[s_start:s_end], s_start, year)
        period = _Period(year)
        ctx = _Context()
        listed: list[_Mention] = []  # names used with a figure in this part, for a later 分别
        part_no = sent_clauses[0][3]
        for c_start, c_end, _, part in sent_clauses:
            if part != part_no:
                ctx, part_no, listed = _Context(), part, []
            c_mentions = mentions[bisect.bisect_left(m_starts, c_start):bisect.bisect_left(m_starts, c_end)]
            c_figures = figures[bisect.bisect_left(f_starts, c_start):bisect.bisect_left(f_starts, c_end)]
            c_region_spans = [(a, n) for a, _, n in region_spans if c_start <= a < c_end]
            clause_text = text[c_start:c_end].strip()
            respectively = _respectively(norm, c_mentions, c_figures, c_start, listed)
            blanks = [(mm.start, mm.end) for mm in c_mentions]
            prev_end = c_start
            prev_kind: tuple[str, int] | None = None
            for fig in c_figures:
                while events and events[0][0] < fig.start:
                    period = _advance(period, events.pop(0)[1])
                seg_start = prev_end
                segment = _blank(norm[seg_start:fig.start], seg_start, blanks).strip()
                prev_end = fig.end
                kind, sign = _kind(segment, fig)
                if prev_kind and _LIST_SEP_RE.fullmatch(segment):
                    kind, sign = prev_kind  # 分别增长12%、8.5%和20.1%: the verb covers the whole list
                prev_kind = (kind, sign)
                prefix_q = fig.prefix_qualifier or next(
                    (q for q in _PREFIX_QUALIFIERS if segment.endswith(q)), "")
                approx_q = [q for q in (prefix_q, fig.suffix_qualifier) if q and q in _APPROX]

                ctx.year = period.year
                mention, code, via, reason = _attribute(
                    fig, kind, segment, seg_start, c_mentions, ctx, respectively, norm, cat
                )
                if reason == "no catalogue indicator named" and fig.unit_class == "none":
                    continue  # a bare number in a sentence about nothing in the catalogue: not a figure
                if kind == "new":
                    kind = "level" if code and cat.indicators[code].kind == "flow" else "change"
                if code and kind == "share" and cat.indicators[code].unit == "%" and via == "mention":
                    kind = "level"  # 研发投入占GDP比重达2.8%: the share is the indicator itself
                # A region named in brackets (全省第5) concerns only the figures inside those brackets.
                c_regions = [n for a, n in c_region_spans if _bracket(a, brackets) == _bracket(fig.start, brackets)]
                if c_regions or period.flag:
                    # Another region's figure, or a target/part-year/multi-year one, whatever else it is.
                    reason = _refuse(fig, kind, period, c_regions)
                reason = reason or _refuse(fig, kind, period, c_regions)
                tier = _TIER_RE.match(norm, fig.end)
                if not reason and tier:
                    reason = f"a tier or threshold ({text[fig.start:tier.end()]}), not the value"
                if not reason and mention is not None:
                    code, reason = _name_context(norm, mention, code, fig, sent_clauses, mentions, figures, cat,
                                                 m_starts)
                if not reason and code and kind == "level":
                    reason = _level_or_flow(_blank(norm[c_start:fig.start], c_start, blanks), code, period, cat,
                                            c_start)
                factor = None
                unit_out = ""
                if not reason:
                    unit_out, factor, reason = _convert(cat, code, fig, kind)
                if not reason and kind == "level":
                    if via == "context" and ctx.has_level(code):
                        reason = f"second level figure for {code} without its name"
                    elif via == "mention" and mention.levels_taken:
                        reason = f"second level figure after {text[mention.start:mention.end]}"
                if reason:
                    unattributed.append({
                        "year": period.year,
                        "indicator": code or (" | ".join(mention.codes) if mention else ""),
                        "raw": text[fig.start:fig.end], "reason": reason, "category": _category(reason),
                        "clause": clause_text,
                        "sentence": sentence_text, "start": span(fig.start, fig.end)[0],
                        "end": span(fig.start, fig.end)[1],
                    })
                    if mention is not None:
                        mention.failed = True
                    continue

                if kind == "level":
                    ctx.level_codes.add((code, period.year))
                    if mention is not None:
                        mention.levels_taken += 1
                if mention is not None:
                    if not mention.used_code:
                        listed.append(mention)
                    mention.used_code = code
                else:
                    ctx.code = code  # 共计56笔 continues as ip_pledge_deals
                    listed.append(_Mention(ctx.clause_start, ctx.clause_start, (code,), "", used_code=code))
                note = []
                if mention is not None and mention.antecedent is not None:
                    note.append(f"name elided: {text[mention.start:mention.end]} = {cat.indicators[code].name_zh}")
                if approx_q:
                    note.append(f"approximate: {'/'.join(approx_q)}")
                if period.year != year:
                    note.append(f"year {period.year} from text ({period.text})")
                if via == "context":
                    quote_start = ctx.clause_start
                else:
                    first = mention.antecedent if mention.antecedent is not None else mention
                    quote_start = min(c_start, _clause_start_of(first.start, sent_clauses))
                if period.year != year and 0 <= period.start < quote_start:
                    quote_start = _clause_start_of(period.start, sent_clauses)
                row = {
                    "region": region, "year": period.year, "indicator": code,
                    "value": float(fig.value * factor * sign), "unit": unit_out,
                    "status": "estimate" if approx_q else "official",
                    "source_id": source_id, "note": "; ".join(note),
                    "quote": text[quote_start:c_end].strip(),
                    "kind": kind, "approximate": bool(approx_q), "qualifier": "/".join(approx_q),
                    "period": period.text, "raw": text[fig.start:fig.end],
                    "sentence": sentence_text, "start": span(fig.start, fig.end)[0],
                    "end": span(fig.start, fig.end)[1],
                }
                (levels if kind == "level" else changes).append(row)
            if c_mentions:
                # The clause's last name is what a following clause without a name may continue.
                last = c_mentions[-1]
                trailing = not any(f.start > last.start for f in c_figures)
                if last.used_code and not last.failed:
                    ctx.code, ctx.clause_start = last.used_code, c_start
                elif trailing and len(last.codes) == 1 and not last.failed:
                    ctx.code, ctx.clause_start = last.codes[0], c_start  # 专利申请量增长较快，达1.2万件
                else:
                    ctx.code, ctx.clause_start = "", -1
            while events and events[0][0] < c_end:
                period = _advance(period, events.pop(0)[1])

    levels, conflicts = _one_level_each(levels)
    unattributed = sorted([*unattributed, *conflicts], key=lambda r: r["start"])
    lv = _frame(levels, DETAIL_COLUMNS)
    return Extraction(rows=lv[RAW_COLUMNS].copy(), levels=lv, changes=_frame(changes, DETAIL_COLUMNS),
                      unattributed=_frame(unattributed, UNATTRIBUTED_COLUMNS))


def _one_level_each(levels: list[dict]) -> tuple[list[dict], list[dict]]:
    """At most one level per indicator and year: (kept, reported).

    Different values for the same indicator and year (全市发明专利授权1856件，授权发明专利300件) cannot both be
    right: all of them are reported as ambiguous. A repeat of the same value keeps the first row.
    """
    groups: dict[tuple[str, int], list[dict]] = {}
    for r in levels:
        groups.setdefault((r["indicator"], r["year"]), []).append(r)
    kept, reported = [], []
    for r in levels:
        group = groups[(r["indicator"], r["year"])]
        values = sorted({g["value"] for g in group})
        if len(values) > 1:
            reason = (f"ambiguous: {len(values)} different levels for {r['indicator']} {r['year']} in the text "
                      f"({', '.join(g['raw'] for g in group)})")
        elif r is not group[0]:
            reason = f"repeats the level of {r['indicator']} {r['year']} already taken ({group[0]['raw']})"
        else:
            kept.append(r)
            continue
        reported.append({"year": r["year"], "indicator": r["indicator"], "raw": r["raw"], "reason": reason,
                         "category": _category(reason), "clause": r["quote"], "sentence": r["sentence"],
                         "start": r["start"], "end": r["end"],
                         **{k: r[k] for k in ("location", "section") if k in r}})
    return kept, reported


_DTYPES = {"year": "int64", "value": "float64", "approximate": "bool", "start": "int64", "end": "int64"}


def _frame(records: list[dict], columns: list[str]) -> pd.DataFrame:
    """Records → DataFrame with fixed dtypes for the numeric and flag columns (also when empty)."""
    if not records:
        return _empty_frame(tuple(columns)).copy()
    data = {c: [r[c] for r in records] for c in columns}
    for c, t in _DTYPES.items():
        if c in data:
            data[c] = np.asarray(data[c], dtype=t)
    return pd.DataFrame(data, columns=columns)


@lru_cache(maxsize=4)
def _empty_frame(columns: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype=_DTYPES.get(c, "str")) for c in columns})


_HEADING_RE = re.compile(r"[ \t]*(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）]|\d+[.、．]|第[一二三四五六七八九十\d]+[章节部分])")
_SENTENCE_END = "。！？!?；;：:"
_NUMBER_CHARS = "0123456789.,，０１２３４５６７８９．" + "".join(CN_DIGITS) + "十百千万亿"


def _unwrap(text: str) -> tuple[str, list[int] | None]:
    """Drop line breaks that wrap a sentence (PDF copies); (joined text, joined → original offsets).

    Returns the text unchanged and None when there is nothing to join.
    """
    lines = text.split("\n")
    if len(lines) == 1:
        return text, None
    drop: set[int] = set()
    pos = 0
    for i, line in enumerate(lines[:-1]):
        nxt = lines[i + 1]
        body = line.rstrip(" \t\r\u3000")
        end_of_line = pos + len(line)  # index of the \n
        # A long line, or a break inside a number (1.2⏎万件, 一万⏎二千), continues on the next line;
        # a short line is a title.
        inside_number = bool(body) and (body[-1] in _NUMBER_CHARS or nxt[:1] in _NUMBER_CHARS + "件家人元笔%％")
        if (body.strip() and body[-1] not in _SENTENCE_END and nxt.strip() and not nxt[:1].isspace()
                and not _HEADING_RE.match(nxt) and (len(body.strip()) >= 15 or inside_number)):
            drop.update(range(pos + len(body), end_of_line + 1))  # trailing blanks, \r and the \n
        pos = end_of_line + 1
    if not drop:
        return text, None
    keep = [i for i in range(len(text)) if i not in drop]
    return "".join(text[i] for i in keep), keep


def _bracket(pos: int, brackets: list[tuple[int, int]]) -> int:
    """Index of the bracketed span containing pos, or -1."""
    return next((i for i, (a, b) in enumerate(brackets) if a <= pos < b), -1)


def _clause_start_of(pos: int, clauses: list[tuple[int, int, int, int]]) -> int:
    for a, b, _, _ in clauses:
        if a <= pos < b:
            return a
    return pos


# What may stand between a verb and its number: particles, qualifiers, a blanked name, a year (到2020年的).
_TAIL = r"(?:(?:19|20)\d{2}年(?:底|末)?的?)?[了为达到约近超过逾突破将接□的\s]*"
_VERB_TAIL_RE = re.compile(_TAIL)


def _refuse(fig: _Figure, kind: str, period: _Period, c_regions: list[str]) -> str:
    """Why an attributed figure still cannot be a row ('' when it can)."""
    if c_regions:
        return f"names another region ({'、'.join(dict.fromkeys(c_regions))})"
    if period.flag:
        return _describe(period.flag, period.text)
    if fig.range_raw and fig.prefix_qualifier in ("数", "几"):
        return f"vague quantity ({fig.range_raw}); no single value"
    if fig.range_raw:
        return f"range ({fig.range_raw}); no single value"
    if kind == "from":
        return "starting value of a change (由/从 …), its year is not stated"
    if kind == "multiple":
        return "change stated as a multiple (倍), ambiguous"
    if kind == "share":
        return "share of something else (占/比重), not the indicator's level"
    return ""


def _kind(segment: str, fig: _Figure) -> tuple[str, int]:
    """level | change | growth_rate | share | from | multiple, and the sign (-1 for falls).

    A verb counts only when it leads up to the number (比上年增加5.1件, 增幅达12%) or opens the clause's
    statement (新增地理标志商标2件); 增长较快，达1.2万件 is a level.
    """
    if re.search(rf"(增长|增加|提高|提升|上升|下降|减少|降低|回落|增|降|减|升)(至|到){_TAIL}$", segment):
        return "level" if not (fig.unit == "%" and _SHARE_RE.search(segment)) else "share", 1
    if re.search(r"(由|从)[^□]*$", segment):
        return "from", 1  # 从2015年的120家 (增加到350家)
    if fig.unit == "倍":
        return "multiple", 1
    verb = None
    for cand in re.finditer(rf"{_RISE}|{_FALL}", segment):
        tail = segment[cand.end():]
        if _VERB_TAIL_RE.fullmatch(tail) or re.fullmatch(_NEW, cand.group()):
            verb = cand
    if verb is not None and verb.group() in ("多", "少") and not re.search(r"比|较", segment):
        verb = None
    if verb is None:
        if fig.unit == "%" and _SHARE_RE.search(segment):
            return "share", 1
        return "level", 1
    sign = -1 if re.fullmatch(_FALL, verb.group()) else 1
    if fig.unit == "%":
        return "growth_rate", sign
    if re.fullmatch(_NEW, verb.group()) and not re.search(r"比|较", segment):
        return "new", 1  # level for a flow indicator, change for a stock; decided once the indicator is known
    return "change", sign


_PER_10K_BEFORE_RE = re.compile(r"(每万人口|每万人|万人)(拥有|有效)?的?$")
_PER_10K_AFTER_RE = re.compile(r"^(每万人口|每万人|万人)")


def _name_context(norm: str, mention: _Mention, code: str, fig: _Figure, sent_clauses, mentions, figures,
                  cat: Catalogue, starts: list[int]) -> tuple[str, str]:
    """(code, reason) after reading the words around the name: subsets, per-head and per-10k markers.

    每万人口拥有高价值发明专利12.3件, 万人有效发明专利52.1件 and 高价值发明专利拥有量每万人达到18.3件 name a count
    next to a per-10k marker: the figure is the per-10k ratio derived from that count (catalogue ``derive``),
    or refused when the catalogue has none. A subset word before the name (企业…) refuses the figure; an
    elided name (授权量) inherits the words before its antecedent and is refused when the antecedent was.
    """
    target = mention.antecedent if mention.antecedent is not None else mention
    if mention.antecedent is not None and mention.antecedent.failed:
        return "", (f"elided name {mention.name} after a refused figure for {mention.antecedent.name}")
    c_start = _clause_start_of(target.start, sent_clauses)
    in_clause = mentions[bisect.bisect_left(starts, c_start):bisect.bisect_left(starts, target.start)]
    blanks = [(mm.start, mm.end) for mm in in_clause]
    before_name = _blank(norm[c_start:target.start], c_start, blanks)
    sub = _SUBSET_RE.search(before_name)
    if sub:
        return "", f"refers to a subset ({sub.group(1)}), not the region's total"
    if cat.indicators[code].unit.endswith("/万人"):
        return code, ""
    marker = None
    m = _PER_10K_BEFORE_RE.search(before_name)
    if m and not any(f.start < c_start + m.end() and f.end > c_start + m.start() for f in figures):
        marker = m.group()
    if marker is None and mention.end <= fig.start:
        gap = norm[mention.end:fig.start]
        m = _PER_10K_AFTER_RE.match(gap)
        between = mentions[bisect.bisect_left(starts, mention.end):bisect.bisect_left(starts, fig.start)]
        if m and not any(mm.end <= fig.start for mm in between if mm is not mention):
            marker = m.group()
    per = _PER_CAPITA_RE.search(before_name)
    if marker is None:
        if per:
            return "", f"a per-head figure ({per.group()}…) but {code} is a total"
        return code, ""
    ratio = cat.per_10k(code)
    if not ratio:
        return "", f"a per-10k figure ({marker}…) but the catalogue has no per-10k indicator for {code}"
    return ratio, ""


_ANNUAL_RE = re.compile(r"全年|当年|本年|今年|(?:19|20)\d{2}年(?!底|末)|上年(?!末|底)|去年")
_FLOW_MARKER_RE = re.compile(r"全年|当年|本年")
_LEVEL_VERB_RE = re.compile(r"达到|达|突破|增至|升至|增加到|提高到|发展至|发展到|累计|拥有|保有|共有|共计|总数|总量|"
                            r"合计|总计|年末|年底|末|为")


# 累计 right before the (blanked) name: 累计发明专利申请量, 历年累计专利授权量 name an accumulated total.
_ACCUMULATED_NAME_RE = re.compile(r"累计(?:共|达)?□")


def _level_or_flow(clause: str, code: str, period: _Period, cat: Catalogue, clause_start: int = -1) -> str:
    """Why a level figure could be either a year's flow or a year-end stock ('' when it is clear).

    累计 before the name of a flow indicator (累计发明专利申请量1,234件) names a total over several years,
    neither the year's flow nor a stock in force: it is refused as accumulated, with the catalogue's
    accumulated indicators named (they count from a stated year, which the text does not give). 累计 after
    the name (专利授权量累计达5万件) may add up several years. Both hold unless the clause says
    全年/当年/本年 (全年专利授权量累计达…, the year's total); the year of the bulletin does not decide.
    全年/当年 with a stock indicator and no verb of level (全年地理标志商标2件) may be the year's additions or the
    year-end total. Both are reported, not guessed.
    """
    kind = cat.indicators[code].kind  # clause: from its start to the figure, names blanked (□)
    # 全年/当年 of this clause (the period marker may sit just before the clause's text), not of an earlier one
    annual = _FLOW_MARKER_RE.search(clause) or (
        period.start >= clause_start >= 0 and _FLOW_MARKER_RE.search(period.text or ""))
    if kind == "flow" and "累计" in clause and not annual:
        if not _ACCUMULATED_NAME_RE.search(clause):  # 专利授权量累计达…: a verb, the span unsaid
            return (f"ambiguous: 累计 with a flow indicator ({code}) may add up several years; "
                    "no 全年/当年 in its clause")
        acc = cat.accumulated(code)
        hint = (f"; the catalogue's accumulated indicator{'s' if len(acc) > 1 else ''} "
                + ", ".join(f"{i.code} (since {i.since})" for i in acc)
                + (" count" if len(acc) > 1 else " counts") + " from a stated year, which the text does not give"
                ) if acc else ""
        return (f"accumulated: 累计 with a flow indicator ({code}) is a total over several years, "
                f"not the year's flow{hint}")
    if kind == "stock":
        flow = ([None, *_FLOW_MARKER_RE.finditer(clause)])[-1]  # the last flow marker before the figure
        if flow is not None and not _LEVEL_VERB_RE.search(clause, flow.end()):
            return (f"ambiguous: {flow.group()} with a stock indicator ({code}) and no verb of level; "
                    "additions during the year or the year-end total?")
    return ""


def _respectively(norm: str, c_mentions: list[_Mention], c_figures: list[_Figure], c_start: int,
                  listed: list[_Mention]):
    """For 甲、乙分别为X和Y: {figure start: mention or reason}, or None when the clause has no 分别.

    Figures after 分别 are paired with the names before it in the clause, or, when the clause names
    none (专利申请量1.5万件，授权量…，分别增长12%和8.5%), with the names used by the earlier clauses of the
    same part (`listed`). Pairs are made only when the counts agree (per kind of figure: levels with
    levels, rates with rates); otherwise each figure is reported.
    """
    if not c_figures:
        return None
    pos = norm.find("分别", c_start, c_figures[-1].start)
    if pos < 0:
        return None
    named = [mm for mm in c_mentions if mm.end <= pos] or listed
    by_kind: dict[str, list[_Figure]] = {}
    prev_end, kind = pos, ""
    for f in c_figures:
        if f.start > pos:
            seg = norm[prev_end:f.start].strip()
            if not (kind and _LIST_SEP_RE.fullmatch(seg)):
                kind = _kind(seg, f)[0]
            by_kind.setdefault(kind, []).append(f)
            prev_end = f.end
    out: dict[int, _Mention | str] = {}
    for figs in by_kind.values():
        if len(figs) == len(named):
            out.update({f.start: mm for f, mm in zip(figs, named, strict=True)})
        else:
            out.update({f.start: f"分别 with {len(named)} indicator name(s) but {len(figs)} such figures"
                        for f in figs})
    return out


def _pick(codes: tuple[str, ...], fig: _Figure, cat: Catalogue, kind: str) -> tuple[str, str]:
    """The one code among `codes` whose unit fits the figure; ('', reason) otherwise."""
    if len(codes) == 1:
        return codes[0], ""
    if kind == "growth_rate":
        return "", f"growth rate of a group of indicators ({'/'.join(codes)})"
    fits = [c for c in codes if _convert(cat, c, fig, kind)[1] is not None]
    if len(fits) == 1:
        return fits[0], ""
    return "", f"unit {fig.unit or 'none'} fits {len(fits)} of {'/'.join(codes)}"


@lru_cache(maxsize=256)
def _family(code: str, cat: Catalogue) -> tuple[str, ...]:
    info = cat.indicators[code]
    stems = {_stem(_ascii_lower(halfwidth(n))) for n in info.names}
    stems = {s for s in stems if len(s) >= 4}
    fam = [c for c, other in cat.indicators.items()
           if c != code and any(_stem(_ascii_lower(halfwidth(n))) in stems for n in other.names)]
    return (code, *fam)


# Words a clause may hold and still continue the previous clause's indicator (累计达15件, 比上年增加5.1件).
_CONTEXT_WORDS = sorted(set(
    "其中 全市 全年 年末 年底 当年 累计 总量 总数 总计 合计 共计 共有 共 达到 达 为 拥有 保有 金额 笔数 数量 有效 已 "
    "首次 实现 比上年末 比上年 较上年末 较上年 上年末 上年 同比 比 较 去年 同期 末 增长 增加 增幅 增速 提高 提升 上升 "
    "下降 减少 降低 回落 下滑 新增 净增 增 减 多 少 了 的 将近 接近 大约 超过 近 约 逾 余 突破 以上 左右 至 到 分别 "
    "从 由 量 数 额 再创新高 创新高 创历史新高 稳步 持续 大幅 明显 较快 快速 继续 保持 进一步 总额 规模 "
    "登记 认定 认证 通过 获批 培育 降至 增至 升至 降 升 发展至 发展到 跃升至 攀升至 增加到 提高到 拥有 当年 本年 "
    "每万人口 每万人 万人 超".split()), key=len, reverse=True)


@lru_cache(maxsize=256)
def _family_words(code: str, cat: Catalogue) -> frozenset[str]:
    """Substrings (2+ characters) of the names of an indicator and its family (质押, 笔数, 融资, …)."""
    out = set()
    for c in _family(code, cat):
        for name in cat.indicators[c].names:
            n = _ascii_lower(halfwidth(name))
            out.update(n[i:j] for i in range(len(n)) for j in range(i + 2, len(n) + 1))
    return frozenset(out)


def _other_words(segment: str, family_words: frozenset[str]) -> str:
    """What in `segment` is neither a context word nor part of the family's names ('' when nothing)."""
    seg = re.sub(r"\s|[(){}\[\]（）]", "", segment)
    seg = re.sub(r"(?:19|20)\d{2}年(?:底|末)?", "", seg)
    longest = max((len(w) for w in family_words), default=0)
    i, other = 0, []
    while i < len(seg):
        step = next((len(w) for w in _CONTEXT_WORDS if seg.startswith(w, i)), 0)
        for n in range(min(longest, len(seg) - i), 1, -1):
            if n <= step:
                break
            if seg[i:i + n] in family_words:
                step = n
                break
        if step:
            i += step
        else:
            other.append(seg[i])
            i += 1
    return "".join(other)


def _gap_reason(segment: str, mm: _Mention, cat: Catalogue, kind: str) -> str:
    """Why the words between a name and its figure make the figure something else (知识产权人才培训500人)."""
    if kind in ("share", "from", "multiple"):
        return ""  # refused later with a more telling reason
    gap = segment.rsplit("□", 1)[-1]
    words = frozenset().union(*(_family_words(c, cat) for c in mm.codes))
    other = _other_words(gap, words)
    return f"words between the name and the figure ({other})" if other else ""


def _attribute(fig, kind, segment, seg_start, c_mentions, ctx, respectively, norm, cat):
    """(mention, code, via, reason); via is `mention` or `context`, reason says why code is ''."""
    if respectively is not None and fig.start in respectively:
        target = respectively[fig.start]
        if isinstance(target, str):
            return None, "", "", target
        if target.used_code:  # named in an earlier clause and already resolved there
            return target, target.used_code, "mention", ""
        code, reason = _pick(target.codes, fig, cat, kind)
        return target, code, "mention", reason
    before = [mm for mm in c_mentions if mm.end <= fig.start]
    seg_mentions = [mm for mm in before if mm.start >= seg_start]
    if len(seg_mentions) >= 2:
        names = "、".join(norm[mm.start:mm.end] for mm in seg_mentions)
        return None, "", "", f"several indicators named before one figure ({names})"
    if len(seg_mentions) == 1:
        mm = seg_mentions[0]
        code, reason = _pick(mm.codes, fig, cat, kind)
        return mm, code, "mention", reason or _gap_reason(segment, mm, cat, kind)
    if before:
        # Named earlier in the clause, before another figure: 专利申请量12345件，增长12.3% (no comma).
        mm = before[-1]
        reason = _gap_reason(segment, mm, cat, kind)
        if reason:
            return None, "", "", reason
        if kind != "level" or mm.levels_taken == 0:
            code, reason = _pick(mm.codes, fig, cat, kind)
            return mm, code, "mention", reason
        return None, "", "", f"second level figure after {norm[mm.start:mm.end]}"
    after = [mm for mm in c_mentions if mm.start >= fig.end]
    if len(after) == 1 and re.fullmatch(r"的?", norm[fig.end:after[0].start]):
        mm = after[0]  # 新增2件地理标志商标
        code, reason = _pick(mm.codes, fig, cat, kind)
        return mm, code, "mention", reason
    if after:
        return None, "", "", "figure comes before the indicator's name"
    if not ctx.code:
        return None, "", "", "no catalogue indicator named"
    # Continue the previous clause's indicator (or one of its family, decided by the unit).
    if kind in ("multiple", "from", "share"):
        return None, ctx.code, "context", ""  # refused later, with the indicator in the report
    if kind == "level" and not _LEVEL_CUE_RE.search(segment):
        return None, "", "", f"level figure without an indicator named in its clause (after {ctx.code})"
    other = _other_words(segment, _family_words(ctx.code, cat))
    if other:
        # 专利申请量增长12%，企业申请量为8000件: the clause is about something the catalogue does not name.
        return None, "", "", f"clause names something else ({other}) after {ctx.code}"
    for code in _family(ctx.code, cat):
        if kind == "level" and ctx.has_level(code):
            continue
        if _convert(cat, code, fig, kind)[1] is not None:
            return None, code, "context", ""
    if kind == "level" and ctx.has_level(ctx.code):
        return None, "", "", f"second level figure for {ctx.code} without its name"
    return None, "", "", f"unit {fig.unit or 'none'} does not fit {ctx.code}"


def _convert(cat: Catalogue, code: str, fig: _Figure, kind: str) -> tuple[str, Decimal | None, str]:
    """(unit out, factor, reason if the unit does not fit)."""
    target = cat.indicators[code].unit
    unit = fig.unit
    if kind == "growth_rate":
        if unit == "%":
            return "%", Decimal(1), ""
        return "", None, f"growth rate without a % unit ({fig.raw})"
    if unit in ("个百分点", "百分点"):
        if target == "%" and kind == "change":
            return "百分点", Decimal(1), ""
        return "", None, f"percentage-point change of an indicator in {target or 'no unit'}"
    if not unit:
        return "", None, f"figure has no unit ({fig.raw}); {code} is in {target}"
    factor = cat.convert(code, unit)
    if factor is None and target.endswith("/万人"):
        # 每万人口发明专利拥有量达45.6件: the per-10k is in the name, the unit is written as 件.
        base = target[: -len("/万人")]
        if cat.canonical_unit(unit) == base and unit in cat.units:
            factor = cat.units[unit][1]
    if factor is None:
        if unit == "%" and target != "%":
            return "", None, f"percentage for an indicator in {target} (a share or rate, not a level)"
        return "", None, f"unit {unit} does not convert to {target} ({code})"
    return target, factor, ""
