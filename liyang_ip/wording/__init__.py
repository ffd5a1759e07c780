"""Report wording as data: one YAML file per language whose values are Jinja2 templates.

``zh.yaml`` and ``en.yaml`` (beside this module) hold every sentence and label the report prints, under
dotted keys (``level.sentence``, ``gap_trend.trend.narrowed``, ``report.kicker``). Python computes the
numbers and picks the key; the template says it. A drafter changes a sentence, or adds a wording variant
(an ``{% if %}`` on a value passed in, or a new key under a mapping of cases), without touching Python.

Rules for the templates (also at the top of each YAML file):

* numbers arrive raw and are formatted by the one formatter (`liyang_ip.wording.format`) through
  filters: ``{{ x | num }}``, ``{{ x | num(0) }}``, ``{{ x | value(unit) }}``, ``{{ x | pct }}``,
  ``{{ x | pct(signed=True) }}``, ``{{ n | cn }}`` (七), ``{{ n | ordinal }}`` (7th),
  ``{{ n | plural('indicator') }}``, ``{{ name | lcfirst }}``;
* line breaks inside a template are for reading only: before the template is compiled its lines are
  stripped and joined with nothing, so keep a space you need inside one line, or start the next line
  with ``{{ " " }}``;
* an unknown variable is an error (``StrictUndefined``), so a typo fails the tests, not the report.

Thresholds that choose words (基本持平 / 明显 / 大幅) are in ``thresholds.yaml``; see :func:`degree`.

Jinja2 rather than gettext/Babel: the Chinese and English sentences are not translations of one
another (word order, measure words, what is left unsaid differ), and a gettext catalogue keys messages
by their English text; templates with conditionals let each language say it its own way, and Jinja2 is
already installed (nbconvert).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
LANGS = ("zh", "en")
THRESHOLDS_NAME = "thresholds.yaml"


class WordingError(KeyError):
    """A template key or language that the wording files do not have; the message says which file."""

    def __str__(self) -> str:  # KeyError would print the message in quotes
        return str(self.args[0]) if self.args else ""


def wording_file(lang: str) -> Path:
    if lang not in LANGS:
        raise WordingError(f"unknown language {lang!r}; wording files exist for: {', '.join(LANGS)}")
    return HERE / f"{lang}.yaml"


def reload() -> None:
    """Forget the parsed files and compiled templates (after a wording file was edited in a session)."""
    for f in (catalogue, _environment, _template, thresholds):
        f.cache_clear()


@cache
def catalogue(lang: str) -> dict:
    """The parsed wording file of `lang` (a nested mapping of keys to template strings)."""
    import yaml

    from ..yamlio import safe_load

    path = wording_file(lang)
    try:
        data = safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as e:
        raise WordingError(f"{path}: not valid YAML: {e}") from None
    if not isinstance(data, Mapping):
        raise WordingError(f"{path}: expected a mapping of keys to templates")
    return data


def _lookup(key: str, lang: str) -> Any:
    node: Any = catalogue(lang)
    for part in key.split("."):
        if not isinstance(node, Mapping) or part not in node:
            raise WordingError(f"{wording_file(lang).name}: no wording for {key!r} (missing {part!r})")
        node = node[part]
    return node


def keys(lang: str) -> list[str]:
    """Every template key (dotted) of a language's file, in file order."""
    out: list[str] = []

    def walk(node: Any, prefix: str) -> None:
        for k, v in node.items():
            key = f"{prefix}{k}"
            if isinstance(v, Mapping):
                walk(v, key + ".")
            else:
                out.append(key)

    walk(catalogue(lang), "")
    return out


@cache
def _environment(lang: str):
    import jinja2

    from . import format as f

    env = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False)
    env.filters.update({
        "num": f.fmt_number,
        "value": lambda x, unit="": f.fmt_value(x, unit, lang),
        "pct": f.fmt_pct,
        "cn": f.cn_count,
        "ordinal": f.ordinal,
        "plural": f.plural,
        "lcfirst": f.lcfirst,
    })
    return env


@cache
def _template(key: str, lang: str):
    import jinja2

    source = _lookup(key, lang)
    if source is None:
        source = ""
    if not isinstance(source, str):
        raise WordingError(f"{wording_file(lang).name}: {key!r} is a group of keys, not one template")
    source = "".join(line.strip() for line in source.splitlines())
    try:
        return _environment(lang).from_string(source)
    except jinja2.TemplateSyntaxError as e:
        raise WordingError(f"{wording_file(lang).name}: template {key!r}, line {e.lineno}: {e.message}") from None


def render(key: str, lang: str = "zh", /, **values: Any) -> str:
    """The sentence of template `key` in `lang` with `values` filled in.

    Raises
    ------
    WordingError
        Unknown key or language, a template that does not parse, or a variable the caller did not pass.
    """
    import jinja2

    try:
        return _template(key, lang).render(**values).strip()
    except jinja2.UndefinedError as e:
        raise WordingError(f"{wording_file(lang).name}: template {key!r}: {e.message}") from None


def text(key: str, lang: str = "zh") -> str:
    """A fixed piece of wording (a label, a word) — a template rendered without values."""
    return render(key, lang)


def group(key: str, lang: str = "zh", /, **values: Any) -> dict[str, str]:
    """A mapping of labels under `key` (e.g. ``report.labels``), each rendered with `values` (labels that
    name the geography take ``geo``, a region set's :meth:`~liyang_ip.registry.RegionSet.words`)."""
    node = _lookup(key, lang)
    if not isinstance(node, Mapping):
        raise WordingError(f"{wording_file(lang).name}: {key!r} is one template, not a group")
    return {k: render(f"{key}.{k}", lang, **values) for k in node}


def unit(unit: str, lang: str = "zh") -> str:
    """A catalogue unit as written in `lang` (``units`` table of the wording file; as is when absent)."""
    table = catalogue(lang).get("units") or {}
    return str(table.get(unit, unit) if table.get(unit, unit) is not None else "")


@lru_cache(maxsize=1)
def thresholds() -> dict:
    """``thresholds.yaml``: the limits that choose words, by kind of comparison."""
    from ..yamlio import safe_load

    return safe_load((HERE / THRESHOLDS_NAME).read_text(encoding="utf-8"))


def degree(change: float, kind: str) -> str:
    """How large a change is, for choosing words: 'flat', 'plain', 'marked' or 'large'.

    ``|change| < flat`` → 'flat' (基本持平 / about unchanged); ``≥ large`` → 'large' (大幅); ``≥ marked``
    → 'marked' (明显); otherwise 'plain'. The limits are ``thresholds.yaml[kind]`` in the unit of
    `change` (e.g. percentage points); a limit left empty never applies.
    """
    limits = thresholds().get(kind)
    if not isinstance(limits, Mapping):
        raise WordingError(f"{THRESHOLDS_NAME}: no thresholds for {kind!r}")
    a = abs(float(change))
    flat, marked, large = (limits.get(k) for k in ("flat", "marked", "large"))
    if flat is not None and a < float(flat):
        return "flat"
    if large is not None and a >= float(large):
        return "large"
    if marked is not None and a >= float(marked):
        return "marked"
    return "plain"


__all__ = ["LANGS", "WordingError", "catalogue", "degree", "group", "keys", "reload", "render", "text",
           "thresholds", "unit"]
