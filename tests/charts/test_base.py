

def test_units_in_english_charts_are_english():
    # Every catalogue unit has an English form (counts, 件/个, none: they read as numbers): no Chinese on an
    # English chart's axis.
    import re

    from liyang_ip import registry
    from liyang_ip.charts import base

    cjk = re.compile(r"[\u3400-\u9fff]")
    for code, ind in registry.indicators().items():
        if not ind.unit:
            continue
        en = base.unit_text(code, "en")
        assert not cjk.search(en), (code, ind.unit, en)
        assert base.unit_text(code, "zh") == ind.unit
        # The label is the English name (which may carry a Chinese gloss such as "(贯标)") and that unit.
        label = base.axis_label(code, "en")
        assert label.startswith(base.indicator_name(code, "en"))
        assert not cjk.search(label[len(base.indicator_name(code, "en")):]), (code, label)
    assert base.unit_text("invention_patents_per_10k", "en") == "per 10k residents"
    assert base.axis_label("invention_patents_per_10k", "zh").endswith("（件/万人）")
