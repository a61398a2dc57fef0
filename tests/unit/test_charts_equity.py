"""Equity charts: equiplot, measure over time and benchmark scatter specs, and that each renders."""

import pandas as pd
import vl_convert as vlc

from dashboard.charts import equity as charts
from dashboard.charts import theme

QUINTILES = ["Quintile 1 (poorest)", "Quintile 2", "Quintile 3", "Quintile 4", "Quintile 5 (richest)"]


def quintile_rows() -> pd.DataFrame:
    rows = []
    for year, base in ((2010, 40.0), (2015, 50.0)):
        for i, name in enumerate(QUINTILES):
            estimate = base + 10 * i
            rows.append({"year": year, "subgroup": name, "subgroup_order": i + 1, "estimate": estimate,
                         "ci_lower": estimate - 4, "ci_upper": estimate + 4, "population": 1000.0 - 100 * i,
                         "flag": None})
    frame = pd.DataFrame(rows)
    return frame.iloc[::-1].reset_index(drop=True)  # order must come from subgroup_order, not row order


def region_rows(count: int) -> pd.DataFrame:
    return pd.DataFrame({"year": 2020, "subgroup": [f"Region {i:02d}" for i in range(count)],
                         "subgroup_order": None, "estimate": [50.0 + i for i in range(count)],
                         "ci_lower": [45.0 + i for i in range(count)], "ci_upper": [55.0 + i for i in range(count)],
                         "population": 100.0, "flag": None})


def layer_marks(spec: dict) -> list[str]:
    return [layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"] for layer in spec["layer"]]


def test_equiplot_tells_subgroups_apart_by_colour_shape_and_end_labels():
    spec = charts.equiplot(quintile_rows(), title="Coverage", unit="%", decimals=1, dimension="Wealth").to_dict()
    assert layer_marks(spec) == ["rule", "point", "text", "text"]
    span, points, left, right = spec["layer"]
    assert span["encoding"]["x"]["field"] == "estimate" and span["encoding"]["x"]["aggregate"] == "min"
    assert span["encoding"]["x2"] == {"field": "estimate", "aggregate": "max"}
    assert points["encoding"]["shape"]["scale"]["domain"] == QUINTILES
    assert points["encoding"]["shape"]["scale"]["range"] == charts.SUBGROUP_SHAPES[:5]
    assert points["encoding"]["color"]["scale"]["range"] == charts.SUBGROUP_COLOURS[:5]
    assert "#F0E442" not in charts.SUBGROUP_COLOURS  # no pale yellow marks
    assert points["encoding"]["y"]["field"] == "year" and points["encoding"]["y"]["type"] == "ordinal"
    assert {t["field"] for t in points["encoding"]["tooltip"]} >= {"subgroup", "estimate", "ci_lower", "population"}
    assert left["mark"]["align"] == "right" and right["mark"]["align"] == "left"
    assert left["transform"][1] == {"filter": "datum.estimate === datum.lowest"}
    assert spec["height"] == 140  # two years: the minimum height
    assert spec["autosize"] == {"type": "fit-x", "contains": "padding"}


def test_equiplot_svg_labels_the_lowest_and_highest_subgroup_of_each_year():
    spec = charts.equiplot(quintile_rows(), title="Coverage", unit="%", decimals=1, dimension="Wealth").to_dict()
    spec["width"] = 800
    svg = vlc.vegalite_to_svg(spec)
    # Two end labels (one per year) plus the legend entry.
    assert svg.count(">Quintile 1 (poorest)<") == 3 and svg.count(">Quintile 5 (richest)<") == 3
    assert svg.count(">Quintile 3<") == 1  # legend only


def test_equiplot_with_cis_draws_error_bars_in_lanes():
    spec = charts.equiplot(quintile_rows(), title="Coverage", unit="%", decimals=1, show_ci=True,
                           dimension="Wealth").to_dict()
    assert layer_marks(spec) == ["rule", "rule", "point", "text", "text"]
    bars = spec["layer"][1]
    assert bars["encoding"]["x"]["field"] == "ci_lower" and bars["encoding"]["x2"]["field"] == "ci_upper"
    assert bars["encoding"]["yOffset"]["field"] == "subgroup"
    assert spec["layer"][2]["encoding"]["yOffset"]["field"] == "subgroup"  # each dot sits on its own bar
    assert spec["height"] == 2 * (charts.ROW_HEIGHT + 12 * 5)
    left = spec["layer"][3]
    assert "min(datum.left, datum.estimate)" in left["transform"][2]["calculate"]  # labels beyond the CIs
    spec["width"] = 800
    assert vlc.vegalite_to_svg(spec).count("<path") > 10


def test_equiplot_without_any_ci_ignores_the_ci_switch():
    rows = quintile_rows().assign(ci_lower=None, ci_upper=None)
    spec = charts.equiplot(rows, title="Coverage", unit="%", decimals=1, show_ci=True).to_dict()
    assert layer_marks(spec) == ["rule", "point", "text", "text"] and "yOffset" not in spec["layer"][1]["encoding"]


def test_equiplot_with_many_subgroups_uses_one_mark_and_names_the_ends():
    spec = charts.equiplot(region_rows(12), title="Coverage", unit="%", decimals=1,
                           dimension="Subnational region").to_dict()
    points = spec["layer"][1]
    assert "shape" not in points["encoding"] and points["mark"]["color"] == charts.MANY_COLOUR
    spec["width"] = 800
    svg = vlc.vegalite_to_svg(spec)
    assert ">Region 00<" in svg and ">Region 11<" in svg and ">Region 05<" not in svg


def test_equiplot_leaves_out_suppressed_subgroups():
    rows = quintile_rows()
    rows.loc[rows["subgroup"] == "Quintile 2", "estimate"] = None
    spec = charts.equiplot(rows, title="Coverage", unit="%", decimals=1).to_dict()
    values = next(iter(spec["datasets"].values()))
    assert len(values) == 8 and "Quintile 2" not in {v["subgroup"] for v in values}


def trend_rows() -> pd.DataFrame:
    return pd.DataFrame({"year": [2005, 2011, 2020], "measure": "d", "name": "Difference",
                         "estimate": [30.0, 25.0, 20.0], "se": 2.0, "ci_lower": [26.0, 21.0, 16.0],
                         "ci_upper": [34.0, 29.0, 24.0], "note": [None, None, "a note"]})


def test_measure_trend_has_error_bars_line_points_and_an_equality_line():
    spec = charts.measure_trend(trend_rows(), title="Difference", scale="percentage points", decimals=1,
                                equality=0.0).to_dict()
    assert layer_marks(spec) == ["rule", "rule", "line", "point"]
    equal, bars, line, points = spec["layer"]
    assert spec["datasets"][equal["data"]["name"]] == [{"equality": 0.0}]
    assert equal["mark"]["strokeDash"] == [6, 4]
    assert bars["encoding"]["y"]["field"] == "ci_lower" and bars["encoding"]["y2"]["field"] == "ci_upper"
    assert points["encoding"]["x"]["axis"]["values"] == [2005, 2011, 2020]  # only survey years as ticks
    assert points["encoding"]["y"]["title"] == "Difference (percentage points)"
    assert {t["field"] for t in points["encoding"]["tooltip"]} == {"year", "estimate", "ci_lower", "ci_upper", "note"}
    spec["width"] = 600
    assert "<path" in vlc.vegalite_to_svg(spec)


def test_benchmark_scatter_highlights_and_labels_the_chosen_country():
    table = pd.DataFrame({"iso3": ["KEN", "UGA", "TZA"], "name": ["Kenya", "Uganda", "Tanzania"],
                          "year": [2015, 2016, 2013], "national": [70.0, 53.75, 60.0],
                          "national_basis": "national value", "estimate": [40.0, 20.0, 30.0],
                          "ci_lower": [35.0, 15.0, 25.0], "ci_upper": [45.0, 25.0, 35.0], "note": None,
                          "is_selected": [True, False, False]})
    spec = charts.benchmark_scatter(table, x_title="Coverage (%)", y_title="Difference (percentage points)",
                                    x_decimals=1, y_decimals=1, equality=0.0).to_dict()
    assert layer_marks(spec) == ["rule", "rule", "point", "text"]
    points, label = spec["layer"][2], spec["layer"][3]
    assert points["encoding"]["x"]["field"] == "national"
    assert points["encoding"]["y"]["field"] == "estimate"
    assert points["encoding"]["color"]["scale"] == {"domain": [False, True], "range": [charts.OTHERS, charts.HIGHLIGHT]}
    assert points["encoding"]["shape"]["scale"]["range"] == ["circle", "diamond"]
    assert label["transform"] == [{"filter": "datum.is_selected"}] and label["encoding"]["text"]["field"] == "name"
    assert {t["field"] for t in points["encoding"]["tooltip"]} >= {"name", "national", "estimate", "year"}
    spec["width"] = 700
    svg = vlc.vegalite_to_svg(spec)
    assert ">Kenya<" in svg and ">Uganda<" not in svg  # others are named on hover only


def test_highlight_and_others_are_palette_colours():
    assert charts.HIGHLIGHT in theme.CATEGORICAL and charts.OTHERS in theme.CATEGORICAL
    assert charts.HIGHLIGHT != charts.OTHERS


def test_subgroup_order_follows_subgroup_order_then_name():
    numbered = pd.DataFrame({"subgroup": ["a", "b", "c", "b"], "subgroup_order": [3, 1, 2, 1]})
    assert charts.subgroup_order(numbered) == ["b", "c", "a"]
    unnumbered = pd.DataFrame({"subgroup": ["c", "a", "b"], "subgroup_order": [None, None, None]})
    assert charts.subgroup_order(unnumbered) == ["a", "b", "c"]
