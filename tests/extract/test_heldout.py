"""Recall on bulletin sentences written for issue 18 (tests/extract/data/heldout_sentences.yaml):
at least 90 % of the rows a careful reader copies are found, and no row is wrong (a wrong indicator,
value, status or year, or a row where the reader copies none)."""

from __future__ import annotations

from pathlib import Path

import yaml

from liyang_ip.extract import extract_figures

DATA = Path(__file__).parent / "data" / "heldout_sentences.yaml"


def _score():
    items = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    expected = found = 0
    wrong = []
    for item in items:
        ex = extract_figures(item["text"], region="溧阳市", year=2020)
        want = {(r[0], float(r[1]), r[2], r[3] if len(r) > 3 else 2020) for r in item["rows"]}
        got = {(r.indicator, r.value, r.status, r.year) for r in ex.rows.itertuples()}
        expected += len(want)
        found += len(want & got)
        wrong += [(item["text"], g) for g in sorted(got - want)]
    return items, expected, found, wrong


def test_recall_at_least_90_percent_and_no_wrong_value() -> None:
    items, expected, found, wrong = _score()
    assert len(items) >= 30 and expected >= 30
    assert wrong == []
    assert found / expected >= 0.9, f"recall {found}/{expected}"
