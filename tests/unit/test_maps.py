"""Map classes and the choropleth spec: direction-aware colours, labels in the unit, geometry by name."""

import pandas as pd
import pytest
import vl_convert as vlc

from dashboard import geo
from dashboard.charts import maps, theme


def test_quantile_breaks_split_values_evenly():
    assert maps.class_breaks(list(range(1, 11)), "quantile", classes=5) == pytest.approx([2.8, 4.6, 6.4, 8.2])


def test_equal_breaks_span_equal_ranges():
    assert maps.class_breaks([0, 10, 100], "equal", classes=4) == pytest.approx([25, 50, 75])


def test_breaks_of_constant_or_tiny_data_are_empty():
    assert maps.class_breaks([5, 5, 5]) == [] and maps.class_breaks([1]) == []


def test_unknown_class_method_is_rejected():
    with pytest.raises(ValueError, match="class method"):
        maps.class_breaks([1, 2, 3], "jenks")


def test_darkest_class_is_the_worst_off():
    adverse = maps.class_colours(5, favourable=False)
    favourable = maps.class_colours(5, favourable=True)
    assert adverse[-1] == theme.SEQUENTIAL[-1]   # highest mortality darkest
    assert favourable[0] == theme.SEQUENTIAL[-1]  # lowest coverage darkest
    assert favourable == adverse[::-1]


def test_class_labels_and_assignment():
    labels = maps.class_labels([50, 70], decimals=0)
    assert labels == ["< 50", "50 – 70", "≥ 70"]
    classes = maps.assign_classes(pd.Series([10.0, 50.0, 69.9, 70.0, None]), [50, 70], 0)
    assert classes.tolist() == ["< 50", "50 – 70", "50 – 70", "≥ 70", maps.NO_DATA_LABEL]


@pytest.fixture
def latest():
    return pd.DataFrame({
        "iso_n3": ["404", "800", "834"], "iso3": ["KEN", "UGA", "TZA"], "name": ["Kenya", "Uganda", "Tanzania"],
        "estimate": [70.0, 50.0, None], "year": [2015, 2010, None], "data_age": [0, 5, None],
        "who_region": ["AFR"] * 3, "income_group": ["Lower middle income", "Low income", "Lower middle income"],
    })


def test_choropleth_spec_references_geometry_by_name_and_renders(latest):
    topology = geo.world_topology()
    spec = maps.choropleth(latest, topology=topology, feature=geo.WORLD_OBJECT, title="Coverage", unit="%",
                           decimals=0, favourable=True, method="equal", fit=geo.fit_extent(["404", "800"]),
                           outside_label="Outside the selection")
    assert spec["datasets"][maps.WORLD] is topology  # the same object: never copied or re-serialised
    assert spec["data"] == {"name": maps.WORLD, "format": {"type": "topojson", "feature": geo.WORLD_OBJECT}}
    records = {r["iso3"]: r for r in spec["datasets"][maps.VALUES]}
    assert records["TZA"]["value_class"] == maps.NO_DATA_LABEL and records["TZA"]["estimate"] is None
    colour = spec["encoding"]["color"]
    assert colour["legend"]["title"] == ["Coverage (%)"]  # short: one line; never a doubled unit
    assert colour["scale"]["domain"][-2:] == [maps.NO_DATA_LABEL, "Outside the selection"]
    assert colour["scale"]["range"][-2:] == [theme.NO_DATA, maps.OUTSIDE]  # two meanings, two greys
    assert spec["params"][0]["name"] == maps.SELECTION
    assert spec["projection"]["fit"]["geometry"]["type"] == "MultiPoint" and spec["mark"]["clip"] is True
    zoomed = vlc.vegalite_to_svg(spec)
    assert zoomed.count("<path") > 150  # countries outside the zoom stay as context, clipped to the view
    svg = vlc.vegalite_to_svg(maps.choropleth(latest, topology=topology, feature=geo.WORLD_OBJECT,
                                              title="Coverage", unit="%", decimals=0, favourable=True))
    assert svg.count("<path") > 150  # every country outline drawn


def test_fit_extent_ignores_far_flung_parts_and_the_antimeridian():
    europe = geo.fit_extent(["250", "643", "724"])["geometry"]["coordinates"]  # France, Russia, Spain
    west, south = europe[0]
    east, north = europe[2]
    assert -10 < west < -9 and 27 < east <= 180  # Russia's mainland, not its fragment across 180°
    assert south > 35  # metropolitan France and Spain, not French Guiana
    assert geo.fit_extent(["999"]) is None


def test_tooltips_never_say_null(latest):
    spec = maps.choropleth(latest, topology=geo.world_topology(), feature=geo.WORLD_OBJECT, title="Coverage",
                           unit="%", decimals=0, favourable=True)
    fields = [t["field"] for t in spec["encoding"]["tooltip"]]
    assert fields == ["country", "value_text", "year_text", "value_class"]
    calculations = " ".join(t.get("calculate", "") for t in spec["transform"])
    assert "'no data'" in calculations and "datum.properties.name" in calculations


def test_a_long_legend_title_puts_its_unit_on_a_second_line_without_doubling_it():
    from dashboard.charts.maps import _legend_title
    assert _legend_title("UHC index (computed) (0-100)", "index (0-100)") == ["UHC index (computed)", "(0-100)"]
    assert _legend_title("Physicians per 1,000 people", "per 1,000") == ["Physicians per 1,000 people", "(per 1,000)"]
