"""Subsetted report fonts are kept between exports (issue 16): the same characters are cut once."""

from __future__ import annotations

import pytest

from liyang_ip.report import fonts

pytestmark = pytest.mark.skipif(fonts.find_cjk_font(400) is None, reason="no CJK font installed")


def test_the_same_characters_are_subsetted_once(tmp_path, monkeypatch):
    monkeypatch.setenv(fonts.FONT_CACHE_ENV, str(tmp_path))
    calls = []
    real = fonts._subset_uncached.__wrapped__  # below the in-process memo

    def counting(path, index, chars):
        calls.append(chars)
        return real(path, index, chars)

    monkeypatch.setattr(fonts, "_subset_uncached", counting)
    text = "溧阳市发明专利拥有量 2030"
    first = fonts.embedded_font_css(text)
    assert "@font-face" in first and len(calls) == 1 and list(tmp_path.glob("*.ttf"))
    assert fonts.embedded_font_css(text) == first and len(calls) == 1  # from the cache, byte for byte
    fonts.embedded_font_css(text + "金坛")  # other characters: cut anew
    assert len(calls) == 2
    monkeypatch.setenv(fonts.FONT_CACHE_ENV, "off")
    assert fonts.embedded_font_css(text) == first and len(calls) == 3
