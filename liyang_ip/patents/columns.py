"""Column mapping: the Chinese headers of patent-list exports → the canonical fields of this package.

Presets hold the header names commonly seen in exports of the CNIPA patent search and analysis system
(专利检索及分析系统), incoPat and PatSnap (智慧芽). Vendors rename columns between versions and users
choose which columns to export, so every preset is matched by header name, never by position, and a
user's YAML mapping covers anything else::

    # my_export.yaml
    preset: cnipa            # optional: start from a preset
    columns:                 # header in the file → field
      申请号码: app_no
      第一申请人地址: address

Headers are compared after NFKC folding (full-width brackets → half-width), with spaces and a leading
"[标]" (PatSnap's standardised-name mark) removed.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

#: Canonical fields, what they hold, and whether an import needs them.
FIELDS: dict[str, str] = {
    "app_no": "application number 申请号 (required)",
    "app_date": "application (filing) date 申请日 (required)",
    "pub_no": "publication number 公开(公告)号; its kind code (A/B/C/U/Y/S) tells grant and type",
    "pub_date": "publication date 公开(公告)日",
    "grant_date": "grant publication date 授权公告日",
    "title": "title 发明名称",
    "type": "patent type 专利类型 (发明/实用新型/外观设计)",
    "ipc": "all IPC codes, separated by ; , or newlines",
    "ipc_main": "main (first) IPC code 主分类号",
    "applicants": "applicants 申请(专利权)人, separated by ;",
    "current_owner": "current owner 当前权利人",
    "address": "applicant's address 申请人地址",
    "legal_status": "legal status 法律状态 (有效/失效/审中 …)",
    "lapse_date": "date the right lapsed 失效日",
    "family": "family members 同族 (publication numbers or country codes)",
    "pct": "PCT international application 国际申请 / PCT number",
    "pledge": "pledge 质押 (any non-empty value other than 否/无 means pledged)",
    "award": "award 获奖 (e.g. 中国专利奖)",
    "sei": "strategic emerging industry class 战略新兴产业分类, when the export gives it",
}
REQUIRED = ("app_no", "app_date")

_COMMON = {
    "申请号": "app_no", "申请号码": "app_no", "专利申请号": "app_no",
    "申请日": "app_date", "申请日期": "app_date",
    "公开(公告)号": "pub_no", "公开公告号": "pub_no", "公开号": "pub_no", "公告号": "pub_no",
    "公开(公告)日": "pub_date", "公开公告日": "pub_date", "公开日": "pub_date",
    "授权公告日": "grant_date", "授权日": "grant_date", "授权公告日期": "grant_date",
    "发明名称": "title", "名称": "title", "标题": "title", "专利名称": "title",
    "专利类型": "type", "类型": "type",
    "ipc分类号": "ipc", "ipc": "ipc", "分类号": "ipc", "ipc分类": "ipc",
    "主分类号": "ipc_main", "ipc主分类号": "ipc_main", "ipc主分类": "ipc_main",
    "申请(专利权)人": "applicants", "申请人": "applicants", "专利权人": "applicants",
    "当前权利人": "current_owner", "当前专利权人": "current_owner", "当前申请(专利权)人": "current_owner",
    "申请人地址": "address", "地址": "address", "申请(专利权)人地址": "address",
    "法律状态": "legal_status", "当前法律状态": "legal_status", "简单法律状态": "legal_status",
    "失效日": "lapse_date", "失效日期": "lapse_date",
    "同族": "family", "同族专利": "family", "简单同族": "family", "同族国家": "family",
    "pct/国际申请": "pct", "国际申请": "pct", "pct国际申请号": "pct", "pct申请号": "pct",
    "质押": "pledge", "质押信息": "pledge", "是否质押": "pledge",
    "获奖": "award", "获奖情况": "award", "奖励": "award",
    "战略新兴产业分类": "sei", "战略性新兴产业分类": "sei",
}

#: Presets: header → field. Vendors' names as commonly seen; check your file's header row, and use a
#: mapping file for names that differ.
PRESETS: dict[str, dict[str, str]] = {
    # CNIPA 专利检索及分析系统 (pss-system) list export
    "cnipa": dict(_COMMON),
    # incoPat: 标题, IPC主分类, 申请人, 当前权利人, 当前法律状态, 简单同族, 授权日 …
    "incopat": {
        **_COMMON,
        "标题(中文)": "title", "申请人地址(中文)": "address", "ipc主分类号(小类)": "ipc_main",
        "简单同族成员": "family", "扩展同族": "family", "中国专利奖": "award",
        "战略新兴产业分类(一级)": "sei",
    },
    # PatSnap 智慧芽: [标]原始申请(专利权)人, 申请(专利权)人地址, 简单法律状态, 简单同族成员 …
    "patsnap": {
        **_COMMON,
        "原始申请(专利权)人": "applicants", "当前申请(专利权)人": "current_owner",
        "简单同族成员": "family", "扩展同族成员": "family", "法律状态/事件": "legal_status",
        "pct国际申请号": "pct", "质押(有/无)": "pledge",
    },
}
PRESET_LABELS = {"cnipa": "CNIPA 专利检索及分析系统", "incopat": "incoPat", "patsnap": "PatSnap 智慧芽"}


class MappingError(ValueError):
    """A mapping file or preset that cannot be used (one line, naming the file and what is valid)."""


def header_key(text: object) -> str:
    """Normalised header: NFKC, no spaces, lower-case, without PatSnap's "[标]" prefix."""
    t = unicodedata.normalize("NFKC", str(text or ""))
    t = "".join(t.split()).lower()
    t = t.replace("（", "(").replace("）", ")")
    if t.startswith("[标]"):
        t = t[3:]
    return t


@dataclass(frozen=True)
class ColumnMap:
    """A header → field mapping with where it came from (preset name or mapping file)."""

    mapping: dict[str, str]  # normalised header → field
    origin: str
    options: dict[str, object]

    def resolve(self, headers: list[str]) -> dict[str, str]:
        """Field → the file's header for every header this mapping knows; first header wins per field."""
        out: dict[str, str] = {}
        for h in headers:
            f = self.mapping.get(header_key(h))
            if f and f not in out:
                out[f] = h
        return out


def preset(name: str) -> ColumnMap:
    key = str(name).strip().lower()
    if key not in PRESETS:
        raise MappingError(f"unknown column preset {name!r}; valid: {', '.join(PRESETS)} or a .yaml mapping file")
    return ColumnMap({header_key(k): v for k, v in PRESETS[key].items()}, key, {})


def auto() -> ColumnMap:
    """All presets together: what `import` uses when no --columns is given."""
    merged: dict[str, str] = {}
    for p in PRESETS.values():
        for k, v in p.items():
            merged.setdefault(header_key(k), v)
    return ColumnMap(merged, "auto (all presets)", {})


def load_mapping(path: str | Path) -> ColumnMap:
    """A user's YAML mapping file (see the module docstring); errors name the file and the bad entry."""
    import yaml

    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise MappingError(f"{path}: mapping file not found") from None
    except (yaml.YAMLError, UnicodeDecodeError) as e:
        raise MappingError(f"{path}: not a readable YAML file ({type(e).__name__}); save it as UTF-8 YAML") from None
    if not isinstance(data, dict) or not isinstance(data.get("columns", {}), dict):
        raise MappingError(f"{path}: expected a mapping with a 'columns:' section (header: field)")
    base = preset(data["preset"]).mapping if data.get("preset") else {}
    mapping = dict(base)
    for header, field in (data.get("columns") or {}).items():
        if field not in FIELDS:
            raise MappingError(
                f"{path}: column {header!r} maps to unknown field {field!r}; valid fields: {', '.join(FIELDS)}"
            )
        mapping[header_key(header)] = field
    options = {k: data[k] for k in ("encoding", "sheet", "delimiter") if k in data}
    return ColumnMap(mapping, str(path), options)


def column_map(spec: str | Path | None) -> ColumnMap:
    """--columns value → ColumnMap: None (all presets), a preset name, or a path to a YAML file."""
    if spec is None or str(spec).strip() == "":
        return auto()
    s = str(spec)
    if s.lower() in PRESETS:
        return preset(s)
    if s.lower().endswith((".yaml", ".yml")):
        return load_mapping(s)
    raise MappingError(f"--columns {s!r}: give a preset ({', '.join(PRESETS)}) or a .yaml mapping file")
