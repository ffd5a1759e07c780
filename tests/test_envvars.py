"""One reading of the on/off environment switches (warm kernels, analysis cache, font cache)."""

from __future__ import annotations

import pytest

from liyang_ip import envvars
from liyang_ip.analysis import cache
from liyang_ip.report import fonts, warm


@pytest.mark.parametrize("text", ["off", "OFF", " 0 ", "false", "No"])
def test_off_words_switch_every_feature_off(monkeypatch, text):
    for name in (warm.ENV, cache.ENV, fonts.FONT_CACHE_ENV):
        monkeypatch.setenv(name, text)
    assert envvars.switched_off(warm.ENV)
    assert not warm.enabled() and not cache.enabled()
    assert cache.disk_dir() is None and fonts.font_cache_dir() is None


@pytest.mark.parametrize("text", ["", "on", "yes", "/tmp/somewhere", "offline"])
def test_anything_else_leaves_them_on(monkeypatch, text):
    monkeypatch.setenv(cache.ENV, text)
    monkeypatch.setenv(fonts.FONT_CACHE_ENV, text)
    assert not envvars.switched_off(cache.ENV) and cache.enabled()
    # A directory is a directory; on/off words and nothing are not.
    expected = None if envvars.is_switch(text) or not text else text
    assert (str(cache.disk_dir()) if cache.disk_dir() else None) == expected
    assert fonts.font_cache_dir() is not None
