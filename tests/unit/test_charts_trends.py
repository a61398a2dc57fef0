"""Trend charts: the layers (band, solid line, dashed gaps, points, labels, reference lines), scales and data."""

import pandas as pd
import vl_convert as vlc

from dashboard.charts import theme
from dashboard.charts import trends as charts
from dashboard.views import trends
from tests.unit.test_views_trends import INDICATORS, KEN, NOR, REFS, medians, series


def frame(**options):
    return trends.plot_frame(series(KEN + NOR), medians(REFS), order=["KEN", "NOR"], start=2000, end=2020,
                             **options)


def spec(**options):
    indexed = options.pop("indexed", False)
    chart = charts.trend_lines(frame(indexed=indexed), title="Coverage", unit="%", decimals=1, indexed=indexed,
                               years=(2000, 2020), **options)
    return chart.to_dict()


def layer(d, mark, test):
    """The one layer with `mark` whose filter contains `test`."""
    found = [l for l in d["layer"] if l["mark"]["type"] == mark and test(l)]
    assert len(found) == 1, f"{len(found)} {mark} layers match"
    return found[0]


def rows(d):
    (values,) = d["datasets"].values()
    return pd.DataFrame(values)


def filtered(l):
    return l["transform"][0]["filter"]


def test_trend_chart_has_every_layer():
    d = spec()
    band = layer(d, "area", lambda l: "ci_lower" in filtered(l))
    assert band["encoding"]["y"]["field"] == "ci_lower" and band["encoding"]["y2"]["field"] == "ci_upper"
    solid = layer(d, "line", lambda l: "'observed'" in filtered(l) and "role === 'country'" in filtered(l))
    assert "strokeDash" not in solid["mark"]
    assert [e["field"] for e in solid["encoding"]["detail"]] == ["series", "segment"]
    gap = layer(d, "line", lambda l: "'gap'" in filtered(l))
    assert gap["mark"]["strokeDash"] == charts.GAP_DASH and gap["encoding"]["detail"][-1]["field"] == "gap"
    points = layer(d, "point", lambda l: "role === 'country'" in filtered(l))
    assert points["mark"]["filled"] and {t["field"] for t in points["encoding"]["tooltip"]} >= {
        "series", "year", "value", "ci_lower", "ci_upper", "flag", "source_code"}
    labels = layer(d, "text", lambda l: "'label'" in filtered(l))
    assert labels["encoding"]["text"]["field"] == "series" and labels["encoding"]["y"]["field"] == "label_y"
    assert labels["encoding"]["x"]["field"] == "label_x"
    connector = layer(d, "rule", lambda l: "'label'" in filtered(l))["encoding"]
    assert (connector["x"]["field"], connector["y"]["field"]) == ("year", "value")  # from the last point
    assert (connector["x2"]["field"], connector["y2"]["field"]) == ("label_x", "label_y")  # to its label
    references = layer(d, "line", lambda l: "role !== 'country'" in filtered(l))
    dash = references["encoding"]["strokeDash"]["scale"]
    assert dict(zip(dash["domain"], map(tuple, dash["range"])))["African Region median"] == (2, 2)
    assert "tooltip" in layer(d, "point", lambda l: "role !== 'country'" in filtered(l))["encoding"]


def test_trend_chart_data_hold_observed_gap_and_label_rows():
    data = rows(spec())
    observed = data[data["kind"] == "observed"]
    assert len(observed) == len(frame())
    kenya = observed[observed["series"] == "Kenya"]
    assert kenya["year"].tolist() == [2010, 2012, 2015] and kenya["segment"].tolist() == [0, 1, 2]
    gaps = data[data["kind"] == "gap"]
    assert sorted(set(gaps["gap"])) == ["Kenya 2010-2012", "Kenya 2012-2015"]
    labels = data[data["kind"] == "label"].set_index("series")
    assert labels.loc["Kenya", "year"] == 2015 and labels.loc["Low income median", "year"] == 2012
    assert set(labels["label_x"]) == {2020}  # every label in one column at the window's end
    assert observed.loc[observed["series"] == "Norway", "ci_lower"].isna().all()  # no band for Norway


def test_bands_fade_when_many_countries_share_the_chart():
    few = layer(spec(), "area", lambda l: True)["mark"]["opacity"]
    many = [(f"C{i:02}", f"Country {i:02}", 2010, 50.0 + i, 1.0) for i in range(charts.CROWDED + 1)]
    crowded = charts.trend_lines(
        trends.plot_frame(series(many), medians([]).reindex(columns=medians(REFS).columns),
                          order=[c[0] for c in many], start=2000, end=2020),
        title="Coverage", unit="%", decimals=1).to_dict()
    assert few == charts.BAND_OPACITY and layer(crowded, "area", lambda l: True)["mark"]["opacity"] < few


def test_countries_take_the_palette_and_references_are_grey():
    colour = spec()["layer"][0]["encoding"]["color"]
    assert colour["scale"]["domain"] == ["Kenya", "Norway", "African Region median", "Low income median"]
    assert colour["scale"]["range"] == theme.CATEGORICAL[:2] + [theme.REFERENCE] * 2
    assert colour["legend"]["orient"] == "bottom"


def test_log_scale_only_when_asked():
    assert {l["encoding"]["y"]["scale"]["type"] for l in spec(log=True)["layer"]} == {"log"}
    assert {l["encoding"]["y"]["scale"]["type"] for l in spec()["layer"]} == {"linear"}


def test_indexed_chart_titles_the_axis_and_shows_the_original_value():
    d = spec(indexed=True)
    assert d["layer"][1]["encoding"]["y"]["title"] == charts.INDEX_TITLE
    points = layer(d, "point", lambda l: "role === 'country'" in filtered(l))
    assert "original_value" in [t["field"] for t in points["encoding"]["tooltip"]]
    data = rows(d)
    first = data[(data["kind"] == "observed") & (data["series"] == "Kenya")]["value"].iloc[0]
    assert first == 100.0


def test_unindexed_axis_title_has_the_unit_and_the_year_window_is_the_x_domain():
    d = spec()
    assert d["layer"][1]["encoding"]["y"]["title"] == "Coverage (%)"
    assert d["layer"][1]["encoding"]["x"]["scale"]["domain"] == [2000, 2020]


def test_trend_chart_renders_with_end_labels():
    svg = vlc.vegalite_to_svg(spec(log=True))
    for label in ("Kenya", "Norway", "African Region median", "Low income median"):
        assert f">{label}</text>" in svg


def panels():
    data = pd.concat([series([("KEN", "Kenya", 2010, 4.25, None), ("KEN", "Kenya", 2013, 5.0, None)], "FIN.A"),
                      series([("KEN", "Kenya", 2011, 81.6, 1.0), ("KEN", "Kenya", 2012, 82.0, 1.0)], "SD.B")])
    refs = medians([("who_region", "AFR", 2010, 3.5, 40), ("who_region", "AFR", 2011, 3.7, 41)], code="FIN.A")
    return trends.panel_frame(data, refs, INDICATORS, codes=["SD.B", "FIN.A"], start=2000, end=2020)


def test_small_multiples_have_independent_value_axes_and_panels_in_order():
    d = charts.indicator_panels(panels(), title="Kenya", years=(2005, 2015)).to_dict()
    assert d["resolve"]["scale"]["y"] == "independent"
    assert d["facet"]["field"] == "panel" and d["facet"]["sort"] == ["Coverage B (%)", "Spending (% of GDP)"]
    assert d["columns"] == 3
    marks = [(l["mark"]["type"], l["mark"].get("strokeDash")) for l in d["spec"]["layer"]]
    assert ("area", None) in marks and ("line", charts.GAP_DASH) in marks and ("point", None) in marks
    (values,) = d["datasets"].values()
    gaps = {r["gap"] for r in values if r["kind"] == "gap"}
    assert gaps == {"FIN.A Kenya 2010-2013"}  # SD.B's 2011-2012 are consecutive: no gap
    colour = d["spec"]["layer"][0]["encoding"]["color"]["scale"]
    assert colour["domain"] == ["Kenya", "African Region median"] and colour["range"][1] == theme.REFERENCE
    svg = vlc.vegalite_to_svg(d)  # panel titles on two lines: the name, then the unit
    assert "<tspan>Coverage B</tspan><tspan" in svg and ">(%)</tspan>" in svg
    assert "<tspan>Spending</tspan><tspan" in svg and ">(% of GDP)</tspan>" in svg
