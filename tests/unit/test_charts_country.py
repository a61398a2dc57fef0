"""Country profile charts: quintile dots and capacity dumbbells build the intended specs and render."""

import pandas as pd
import vl_convert as vlc

from dashboard.charts import country as charts
from dashboard.charts import theme
from dashboard.views import country as profile


def _points():
    gap = pd.Series({"indicator_code": "X1", "short_name": "ANC4+ coverage", "year": 2020, "q1": 56.8,
                     "q2": 64.36, "q3": 74.55, "q4": 79.28, "q5": 89.84})
    return profile.quintile_points(gap)


def test_quintile_dots_plots_each_quintile_with_its_value():
    spec = charts.quintile_dots(_points(), title="ANC4+ coverage, 2020", unit="%", decimals=1).to_dict()
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["point", "text"]
    dots, labels = spec["layer"]
    assert dots["encoding"]["x"] == {"field": "estimate", "type": "quantitative", "title": "%",
                                     "scale": {"nice": True, "zero": False}}
    assert dots["encoding"]["y"]["field"] == "label" and dots["encoding"]["y"]["type"] == "nominal"
    assert dots["encoding"]["y"]["sort"] == {"field": "quintile", "order": "ascending"}
    assert dots["mark"]["color"] == theme.CATEGORICAL[0]
    assert labels["encoding"]["text"] == {"field": "estimate", "type": "quantitative", "format": ",.1f"}
    assert [t["title"] for t in dots["encoding"]["tooltip"]] == ["Indicator", "Year", "Wealth quintile", "%"]
    values = spec["datasets"][spec["data"]["name"]]
    assert [(v["label"], v["estimate"]) for v in values] == [
        ("Q1 poorest", 56.8), ("Q2", 64.36), ("Q3", 74.55), ("Q4", 79.28), ("Q5 richest", 89.84)]
    assert spec["title"] == {"text": "ANC4+ coverage, 2020", "subtitle": "by household wealth quintile"}
    assert spec["height"] == charts.FRAME_HEIGHT + 5 * charts.ROW_HEIGHT


def test_quintile_dots_render_to_svg():
    spec = charts.quintile_dots(_points(), title="ANC4+", unit="%", decimals=1).to_dict()
    spec["width"] = 400
    svg = vlc.vegalite_to_svg(spec)
    assert "Q5 richest" in svg and "89.8" in svg


def _capacity():
    summary = pd.DataFrame([
        {"level": "individual", "respondents": 85, "mean_asset": 3.35, "mean_need": 4.25},
        {"level": "organisational", "respondents": 85, "mean_asset": 3.04, "mean_need": 4.36},
        {"level": "network", "respondents": 80, "mean_asset": 2.91, "mean_need": 4.37}])
    return profile.capacity_points(summary)


def test_capacity_dumbbell_joins_asset_and_need_per_level():
    spec = charts.capacity_dumbbell(_capacity(), score_min=1, score_max=5, title="By level").to_dict()
    span, dots = spec["layer"]
    assert span["mark"]["type"] == "rule" and dots["mark"]["type"] == "point"
    assert span["encoding"]["x"]["aggregate"] == "min" and span["encoding"]["x2"]["aggregate"] == "max"
    assert dots["encoding"]["x"]["scale"] == {"domain": [1, 5], "nice": False, "zero": False}
    assert dots["encoding"]["y"]["sort"] == ["individual", "organisational", "network"]
    # never colour alone: asset and need also differ in shape
    assert dots["encoding"]["shape"]["scale"]["range"] == ["circle", "diamond"]
    assert dots["encoding"]["color"]["scale"] == {"domain": charts.KIND_ORDER, "range": theme.CATEGORICAL[:2]}
    assert "Respondents" in [t["title"] for t in dots["encoding"]["tooltip"]]
    values = spec["datasets"][spec["data"]["name"]]
    assert len(values) == 6 and {v["kind"] for v in values} == set(charts.KIND_ORDER)


def test_capacity_dumbbell_renders_to_svg():
    spec = charts.capacity_dumbbell(_capacity(), score_min=1, score_max=5, title="By level").to_dict()
    spec["width"] = 400
    svg = vlc.vegalite_to_svg(spec)
    assert "organisational" in svg and "Need" in svg
