"""Seeded synthetic patent-list export (status demo) so the patent notebook runs out of the box.

The file looks like a CNIPA list export (Chinese headers, one row per patent) and carries its demo
status twice: a column 数据性质 = "演示数据（合成，非真实专利）" on every row and ``demo`` in the
file name (which makes :func:`liyang_ip.patents.import_export` mark every result as demo). Applicants
are named "<block>演示<word>企业NN" so no real firm can be mistaken for one.

Why a committed file and not data generated on the fly: the notebook and the tests then go through
the same reader, encodings and column mapping as a user's export, and the raw file is immutable like
every other raw input; ``liyang-ip patents demo`` regenerates it byte for byte from the seed.

Blocks, towns and industries come from the registries (regions.yaml, gazetteer.yaml, industries.yaml);
nothing here names a place.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

SEED = 20211
DEMO_ROWS = 4000
DEMO_MARK = "演示数据（合成，非真实专利）"
AS_OF = pd.Timestamp("2025-06-30")
FIRST_YEAR, LAST_YEAR = 2008, 2024

#: Realistic IPC codes per industry (first code first), for the demo only.
_CODE_POOLS = {
    "power_battery": ["H01M 10/0525", "H01M 10/052", "H01M 4/525", "H01M 4/131", "H01M 50/204", "H01M 10/613",
                      "B60L 58/12", "H01M 10/44", "H01M 4/62", "H01M 50/409"],
    "smart_grid": ["H02J 3/38", "H02J 3/32", "H02J 13/00", "H02H 7/26", "G01R 31/08", "H02B 1/26", "G06Q 50/06",
                   "H04B 3/54", "G01R 22/06"],
    "automotive": ["B60R 16/02", "B62D 25/20", "B60K 6/22", "B60T 13/74", "B60N 2/90", "B60W 10/08", "B62D 21/15",
                   "B60L 15/20", "B60H 1/00", "B60G 21/05"],
    "agri_feed_machinery": ["A23N 17/00", "A01K 5/02", "A01D 41/12", "A01B 49/06", "A01C 7/20", "A01F 12/44",
                            "A01K 39/012", "A01J 5/007"],
}
_KEYWORD_CASES = [  # general-purpose code + a title that puts it in an industry (tests title_any rules)
    ("F16H 57/02", "一种汽车变速箱壳体"), ("B02C 13/00", "一种饲料粉碎机"), ("B30B 11/20", "一种环模饲料制粒机"),
    ("H02J 7/00", "一种动力电池均衡充电电路"), ("F16H 1/28", "一种行星齿轮减速器"), ("B02C 4/02", "一种石料破碎装置"),
]
_OTHER_CODES = ["G06F 16/00", "A61K 36/00", "C08L 23/06", "F16K 1/22", "H01L 21/67", "B23K 37/04", "C02F 9/00",
                "G01N 21/01", "B65G 47/90", "E04B 1/38", "D06B 3/10", "F24F 11/00"]
_TITLES = {
    "power_battery": ["一种锂离子电池极片", "一种电池包箱体", "一种电池热管理系统", "一种正极材料及其制备方法",
                      "一种电池模组", "一种隔膜及电池"],
    "smart_grid": ["一种配电网故障定位方法", "一种储能并网控制装置", "一种电力线载波通信模块", "一种智能开关柜",
                   "一种电网调度方法"],
    "automotive": ["一种汽车座椅调节机构", "一种车身结构件", "一种车辆制动控制系统", "一种汽车线束固定装置",
                   "一种混合动力驱动装置"],
    "agri_feed_machinery": ["一种饲料混合调质器", "一种畜禽自动喂料装置", "一种联合收割机割台", "一种旋耕机",
                            "一种播种施肥装置"],
    "other": ["一种数据处理方法", "一种中药组合物", "一种高分子材料", "一种阀门", "一种焊接夹具", "一种污水处理装置",
              "一种检测装置", "一种输送设备"],
}
_WORDS = {"power_battery": "电池", "smart_grid": "电气", "automotive": "汽车部件", "agri_feed_machinery": "机械",
          "other": "科技"}
_OUTSIDE = ["江苏省南京市江宁区某路1号", "上海市闵行区某路2号", "浙江省杭州市余杭区某路3号", "江苏省苏州市工业园区某路4号"]


def _places() -> tuple[str, list[str], dict[str, list[str]]]:
    """City, blocks and a few towns per block, from the registries."""
    from .locate import _read_gazetteer_yaml, city_and_blocks

    city, blocks = city_and_blocks()
    g = _read_gazetteer_yaml()
    towns = {b: list((g.get("towns") or {}).get(b, {}).get("names") or []) for b in blocks}
    return city, list(blocks), towns


def generate_export(rows: int = DEMO_ROWS, seed: int = SEED) -> pd.DataFrame:
    """The synthetic export as a frame of text columns (CNIPA-like headers).

    Like a real export made on :data:`AS_OF`, it holds only what was published by then: inventions
    about 18 months after filing, utility models and designs on grant.
    """
    from .classify import industries

    want = rows
    rows = int(rows * 1.35) + 10
    rng = np.random.default_rng(seed)
    city, blocks, towns = _places()
    ind_codes = [i.code for i in industries() if i.code in _CODE_POOLS]
    nb = len(blocks)
    # Block weights: a gradient so that blocks differ; focus-free (registry order only).
    wb = np.linspace(1.0, 0.55, nb)
    block_i = rng.choice(nb, size=rows, p=wb / wb.sum())
    years = np.arange(FIRST_YEAR, LAST_YEAR + 1)
    wy = 1.12 ** (years - FIRST_YEAR)
    year = rng.choice(years, size=rows, p=wy / wy.sum())
    day = rng.integers(0, 365, size=rows)
    app_date = pd.to_datetime(year.astype(str), format="%Y") + pd.to_timedelta(day, unit="D")
    # Industry mix differs by block so that shares are interesting.
    n_ind = len(ind_codes)
    kind = np.empty(rows, dtype=object)
    for b in range(nb):
        idx = np.flatnonzero(block_i == b)
        p = np.full(n_ind + 1, 1.0)
        p[: n_ind] = 0.6 + rng.random(n_ind) * 1.2
        p[n_ind] = 2.5
        p[(b % max(n_ind, 1))] += 1.5
        labels = [*ind_codes, "other"]
        kind[idx] = np.array(labels, dtype=object)[rng.choice(n_ind + 1, size=len(idx), p=p / p.sum())]
    ptype = rng.choice(["invention", "utility_model", "design"], size=rows, p=[0.42, 0.5, 0.08])
    pct = (ptype == "invention") & (rng.random(rows) < 0.04)
    digit = np.where(pct, "8", np.select([ptype == "invention", ptype == "utility_model"], ["1", "2"], "3"))
    serial = rng.permutation(np.arange(100000, 100000 + rows * 3))[:rows]
    check = rng.integers(0, 10, size=rows)
    app_no = [f"CN{y}{d}{s:07d}.{c}" for y, d, s, c in zip(year, digit, serial, check, strict=True)]

    # Grants and legal status (as of AS_OF)
    lag_days = np.where(ptype == "invention", rng.integers(420, 1300, size=rows), rng.integers(150, 330, size=rows))
    grant_date = app_date + pd.to_timedelta(lag_days, unit="D")
    granted = np.where(ptype == "invention", rng.random(rows) < 0.6, rng.random(rows) < 0.95)
    granted &= grant_date <= AS_OF
    pending = (ptype == "invention") & ~granted & (app_date + pd.to_timedelta(1100, unit="D") > AS_OF)
    life = rng.exponential(9.0, size=rows)
    lapse_date = app_date + pd.to_timedelta((life * 365.25).astype(int) + 400, unit="D")
    term = np.where(ptype == "invention", 20, 10)
    feb29 = (app_date.month == 2) & (app_date.day == 29)
    expiry = pd.DatetimeIndex(pd.to_datetime(pd.DataFrame({
        "year": year + term, "month": app_date.month, "day": np.where(feb29, 28, app_date.day)})))
    lapse_date = np.minimum(lapse_date.values, expiry.values)
    lapse_date = pd.DatetimeIndex(lapse_date)
    lapsed = granted & (lapse_date <= AS_OF) & (lapse_date > grant_date)
    status = np.where(granted & ~lapsed, "有效", np.where(lapsed, "失效", np.where(pending, "审中", "失效")))
    status = np.where(granted & lapsed & (rng.random(rows) < 0.5), "未缴年费专利权终止", status)
    status = np.where(~granted & ~pending & (rng.random(rows) < 0.5), "驳回", np.where(~granted & ~pending, np.where(status == "失效", "撤回", status), status))
    lapse_txt = np.where(lapsed & (rng.random(rows) < 0.85), lapse_date.strftime("%Y-%m-%d"), "")
    pub_no_kind = np.where(ptype == "invention", np.where(granted, "B", "A"), np.where(ptype == "utility_model", "U", "S"))
    pub_no = [f"CN{s + 110000000}{k}" for s, k in zip(serial, pub_no_kind, strict=True)]
    pub_date = np.where(ptype == "invention", np.where(granted, grant_date.strftime("%Y-%m-%d"),
                        (app_date + pd.to_timedelta(540, unit="D")).strftime("%Y-%m-%d")), grant_date.strftime("%Y-%m-%d"))
    published = np.where(ptype == "invention", granted | (app_date + pd.to_timedelta(540, unit="D") <= AS_OF), granted)
    grant_txt = np.where(granted, grant_date.strftime("%Y-%m-%d"), "")
    # Date formats vary as in real exports.
    fmt = rng.random(rows)
    app_txt = np.where(fmt < 0.7, app_date.strftime("%Y-%m-%d"), np.where(fmt < 0.9, app_date.strftime("%Y.%m.%d"),
                       app_date.strftime("%Y%m%d")))

    # IPC codes and titles: random numbers drawn for all rows at once, then one pass of string work.
    u = rng.random((rows, 6))
    r_int = rng.integers(0, 1 << 30, size=(rows, 8))
    labels = [*ind_codes, "other"]
    ipc, main, title = [], [], []
    for i, k in enumerate(kind):
        ui, ri = u[i], r_int[i]
        if k == "other" and ui[0] < 0.08:
            code, t = _KEYWORD_CASES[ri[0] % len(_KEYWORD_CASES)]
            codes = [code, _OTHER_CODES[ri[1] % len(_OTHER_CODES)]]
        elif k == "other":
            codes = [_OTHER_CODES[ri[1] % len(_OTHER_CODES)], _OTHER_CODES[ri[2] % len(_OTHER_CODES)]][: 1 + (ui[1] < 0.5)]
            t = _TITLES["other"][ri[3] % len(_TITLES["other"])]
        else:
            pool = _CODE_POOLS[k]
            codes = [pool[ri[j] % len(pool)] for j in range(1, 1 + 1 + int(ui[1] * 3))]
            if ui[2] < 0.15:  # a second industry's code after the main one
                other = _CODE_POOLS[labels[ri[4] % len(ind_codes)]]
                codes.append(other[ri[5] % len(other)])
            if ui[3] < 0.1:  # main code outside the industry: counts by any IPC, not by first
                codes.insert(0, _OTHER_CODES[ri[6] % len(_OTHER_CODES)])
            t = _TITLES[k][ri[7] % len(_TITLES[k])]
        codes = list(dict.fromkeys(codes))
        sep = ";" if ui[4] < 0.8 else "\n"
        ipc.append(sep.join(c.replace(" ", "") if (ri[0] >> (j + 3)) & 1 else c for j, c in enumerate(codes)))
        main.append(codes[0])
        title.append(t)

    # Applicants and addresses
    firms = 40
    firm = rng.zipf(1.6, size=rows) % firms
    r_addr = rng.random(rows)
    town_i = rng.integers(0, 1 << 30, size=rows)
    house = rng.integers(1, 300, size=rows)
    outside_i = rng.integers(0, len(_OUTSIDE), size=rows)
    block_names = np.array(blocks, dtype=object)
    words = np.array([_WORDS.get(k, "科技") for k in kind], dtype=object)
    applicant = [f"{block_names[b]}演示{w}企业{fi:02d}" for b, w, fi in zip(block_i, words, firm, strict=True)]
    address = []
    for b, r, ti, h, oi in zip(block_i, r_addr, town_i, house, outside_i, strict=True):
        block = blocks[b]
        tw = towns.get(block) or [""]
        town = tw[ti % len(tw)]
        if r < 0.55:
            address.append(f"江苏省{city}{block}{town}演示路{h}号")
        elif r < 0.85:
            address.append(f"江苏省{block}{h}号")
        elif r < 0.92:
            address.append(f"{city}{town}演示大道{h % 99 + 1}号")
        elif r < 0.95:
            address.append(f"江苏省{city}演示路{h}号")  # city only
        elif r < 0.975:
            address.append(_OUTSIDE[oi])
        elif r < 0.99:
            address.append("演示工业园区A区")  # unlocatable
        else:
            address.append("")
    co = rng.random(rows) < 0.1
    partner = rng.integers(0, nb, size=rows)
    applicant = [f"{a};{blocks[p]}演示大学" if c else a for a, c, p in zip(applicant, co, partner, strict=True)]

    family = np.where(ptype == "invention", np.where(rng.random(rows) < 0.07, "CN;US;EP", np.where(pct, "CN;WO", "CN")), "CN")
    pledge = np.where(granted & (rng.random(rows) < 0.03), "质押", "")
    award = np.where((ptype == "invention") & granted & (rng.random(rows) < 0.004), "中国专利优秀奖", "")
    type_txt = np.select([ptype == "invention", ptype == "utility_model"], ["发明专利", "实用新型"], "外观设计")
    out = pd.DataFrame({
        "申请号": app_no, "申请日": app_txt, "公开(公告)号": pub_no, "公开(公告)日": pub_date,
        "授权公告日": grant_txt, "发明名称": title, "专利类型": type_txt, "IPC分类号": ipc, "主分类号": main,
        "申请(专利权)人": applicant, "申请人地址": address, "法律状态": status, "失效日": lapse_txt,
        "同族": family, "质押": pledge, "获奖": award, "数据性质": DEMO_MARK,
    })
    return out[published].head(want).reset_index(drop=True)


def demo_file() -> Path:
    """data/raw/patents_demo/patents_demo.csv in the project."""
    from liyang_ip.data.build import raw_dir
    return raw_dir("patents_demo") / "patents_demo.csv"


def write_demo_export(path: str | Path | None = None, rows: int | None = None, seed: int = SEED) -> Path:
    """Write the demo export (UTF-8 with BOM, as Excel-friendly CSV exports are) atomically."""
    from liyang_ip.fsutil import atomic_write_bytes

    path = Path(path) if path is not None else demo_file()
    df = generate_export(DEMO_ROWS if rows is None else rows, seed)
    data = df.to_csv(index=False, lineterminator="\n").encode("utf-8-sig")
    return atomic_write_bytes(path, data)


__all__ = ["AS_OF", "DEMO_MARK", "DEMO_ROWS", "SEED", "demo_file", "generate_export", "write_demo_export"]
