"""Small hand-made patent-list exports in several column layouts (each row's meaning is commented)."""

from __future__ import annotations

import pytest

# Layout A: CNIPA-style headers (申请号, 申请(专利权)人, 法律状态 …), UTF-8, comma-separated.
CNIPA_HEADER = ["申请号", "申请日", "公开(公告)号", "公开(公告)日", "授权公告日", "发明名称", "专利类型", "IPC分类号",
                "主分类号", "申请(专利权)人", "申请人地址", "法律状态", "失效日", "同族", "质押", "获奖"]
CNIPA_ROWS = [
    # P1 溧阳 invention, battery + vehicle (overlap), granted 2015, in force, overseas family, pledged
    ["CN201210000001.1", "2012-03-01", "CN102000001B", "2015-06-10", "2015-06-10", "一种动力电池包", "发明专利",
     "H01M 10/0525;B60L 58/12", "H01M 10/0525", "溧阳甲电池有限公司;某大学", "江苏省溧阳市天目湖镇甲路1号", "有效",
     "", "CN102000001B;US2015000001A1", "质押", ""],
    # P2 溧阳 utility model, grid, granted 2021, lapsed 2023-05-01
    ["CN202020000002.5", "2020.11.05", "CN212000002U", "2021-07-02", "", "一种配电开关柜", "实用新型",
     "H02B 1/26", "H02B 1/26", "溧阳乙电气有限公司", "江苏省常州市溧阳市昆仑街道乙路2号", "未缴年费专利权终止",
     "2023-05-01", "", "", ""],
    # P3 金坛 invention, battery only by second code (first code G06F), granted 2022, in force
    ["CN202010000003.X", "20200315", "CN111000003B", "2022-01-20", "2022-01-20", "一种电池数据处理方法", "发明专利",
     "G06F 16/00;H01M 10/42", "G06F 16/00", "金坛丙科技有限公司", "江苏省常州市金坛区儒林镇丙路3号", "有效", "",
     "CN111000003B", "", ""],
    # P4 武进 (old address, town 横林镇 now in 常州经开区) invention pending, automotive by title keyword
    ["CN202310000004.2", "2023-02-01", "CN116000004A", "2023-08-01", "", "一种汽车变速箱换挡机构", "发明专利",
     "F16H 61/24", "F16H 61/24", "丁汽车部件有限公司", "江苏省常州市武进区横林镇丁路4号", "实质审查", "", "", "", ""],
    # P5 outside (上海 溧阳路 is a road), invention granted 2010, in force
    ["CN200810000005.8", "2008-05-20", "CN101000005B", "2010-09-01", "2010-09-01", "一种饲料制粒机", "发明专利",
     "B30B 11/20;A23N 17/00", "B30B 11/20", "戊机械有限公司", "上海市虹口区溧阳路5号", "有效", "", "", "", ""],
]

# Layout B: incoPat/PatSnap-style headers (标题, IPC, 申请人, 当前法律状态, no 专利类型), GBK.
INCOPAT_HEADER = ["公开（公告）号", "标题", "申请号", "申请日", "IPC", "IPC主分类", "申请人", "申请人地址", "当前法律状态",
                  "授权日"]
INCOPAT_ROWS = [
    # Q1 type from application number (5th digit 1 = invention), 溧阳 via alias 溧阳 + town 溧城, granted 2011, lapsed (no date)
    ["CN102000011B", "一种锂电池隔膜", "2009101234567", "2009-01-10", "H01M 50/409", "H01M 50/409", "庚新材料有限公司",
     "江苏溧阳溧城镇庚路11号", "失效", "2011-03-03"],
    # Q2 5th digit 2 = utility model, 新北区 via alias 常州国家高新区, grid
    ["CN213000012U", "一种储能并网装置", "2020212345678", "2020/12/01", "H02J 3/32", "H02J 3/32", "辛能源有限公司",
     "常州国家高新区辛路12号", "有效", "2021-08-08"],
    # Q3 5th digit 8 = PCT national phase invention, address unknown place
    ["CN114000013A", "一种收割机割台", "2020800012345", "2020-06-30", "A01D 41/14", "A01D 41/14", "壬农机有限公司",
     "某某工业园区", "审中", ""],
]


def write_csv(path, header, rows, encoding="utf-8", delimiter=","):
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(rows)
    data = buf.getvalue()
    if encoding == "utf-16":
        path.write_bytes(data.encode("utf-16"))  # BOM + UTF-16LE, as Excel's "Unicode text"
    else:
        path.write_bytes(data.encode(encoding))
    return path


@pytest.fixture
def cnipa_csv(tmp_path):
    return write_csv(tmp_path / "cnipa.csv", CNIPA_HEADER, CNIPA_ROWS)


@pytest.fixture
def incopat_gbk(tmp_path):
    return write_csv(tmp_path / "incopat.csv", INCOPAT_HEADER, INCOPAT_ROWS, encoding="gbk")


@pytest.fixture
def layouts():
    """(header, rows) of both layouts and the CSV writer, for tests that vary them."""
    return {"cnipa": (CNIPA_HEADER, CNIPA_ROWS), "incopat": (INCOPAT_HEADER, INCOPAT_ROWS), "write": write_csv}
