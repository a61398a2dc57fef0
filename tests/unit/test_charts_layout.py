"""Chart layout helpers: solid segments and dashed gap connectors, end labels that never overlap, unit labels."""

import numpy as np
import pandas as pd
import pytest

from dashboard.charts import layout
from dashboard.views import trends
from tests.unit.test_views_trends import KEN, NOR, REFS, medians, series


def test_gaps_are_the_pairs_of_observed_years_more_than_one_year_apart():
    frame = trends.plot_frame(series(KEN + NOR), medians([]).reindex(columns=medians(REFS).columns),
                              order=["KEN", "NOR"], start=2000, end=2020)
    gaps = layout.gap_rows(frame)
    assert gaps.groupby("gap")["year"].apply(list).to_dict() == {
        "Kenya 2010-2012": [2010, 2012], "Kenya 2012-2015": [2012, 2015]}
    assert gaps["value"].tolist() == [60.0, 64.0, 64.0, 70.0]


def test_consecutive_years_are_solid_and_segments_restart_after_each_gap():
    frame = pd.DataFrame({"series": ["A"] * 5 + ["B"] * 2, "year": [2000, 2001, 2002, 2005, 2006, 2001, 2002],
                          "value": [1.0, 2, 3, 4, 5, 6, 7]})
    assert layout.segments(frame).tolist() == [0, 0, 0, 1, 1, 0, 0]
    assert layout.gap_rows(frame)["gap"].unique().tolist() == ["A 2002-2005"]


def test_gaps_are_found_per_panel_when_keyed_by_indicator_and_series():
    frame = pd.DataFrame({"indicator_code": ["X", "X", "Y", "Y"], "series": ["Kenya"] * 4,
                          "year": [2000, 2003, 2003, 2004], "value": [1.0, 2, 3, 4]})
    assert layout.gap_rows(frame, ["indicator_code", "series"])["gap"].unique().tolist() == ["X Kenya 2000-2003"]
    assert layout.segments(frame, ["indicator_code", "series"]).tolist() == [0, 1, 0, 0]


def test_spread_labels_pushes_crowded_labels_apart_around_their_mean():
    assert layout.spread_labels([10.0, 10.2, 10.1, 50.0], 1.0) == pytest.approx([9.1, 11.1, 10.1, 50.0])
    assert layout.spread_labels([1.0, 5.0], 1.0) == [1.0, 5.0]  # far enough apart: unchanged
    assert layout.spread_labels([0.0, 0.5, 0.9], 1.0) == pytest.approx([-0.5333, 0.4667, 1.4667], abs=1e-4)


def test_spread_labels_never_go_below_the_floor():
    assert layout.spread_labels([0.0, 0.5, 0.9], 1.0, floor=0.0) == pytest.approx([0.0, 1.0, 2.0])
    assert layout.spread_labels([0.0, 0.2, 10.0], 1.0, floor=0.0) == pytest.approx([0.0, 1.0, 10.0])
    assert layout.spread_labels([5.0, 9.0], 1.0, floor=0.0) == [5.0, 9.0]


def test_end_labels_sit_at_each_series_last_point():
    frame = trends.plot_frame(series(KEN + NOR), medians(REFS), order=["KEN", "NOR"], start=2000, end=2020)
    ends = layout.end_labels(frame).set_index("series")
    assert ends["year"].to_dict() == {"Kenya": 2015, "Norway": 2015, "African Region median": 2015,
                                      "Low income median": 2012}
    assert set(ends["label_x"]) == {2015}
    # values span 40-95 (Norway 95 has no CI): labels at least LABEL_GAP x 55 apart
    assert ends["label_y"].sort_values().diff().dropna().min() >= layout.LABEL_GAP * (95 - 40) - 1e-9
    assert set(layout.end_labels(frame, at=2020)["label_x"]) == {2020}


def test_end_labels_on_a_log_axis_are_spread_in_log_space():
    frame = pd.DataFrame({"series": ["A", "B"], "year": [2000, 2000], "value": [10.0, 10.5],
                          "ci_lower": [1.0, np.nan], "ci_upper": [100.0, np.nan]})
    ends = layout.end_labels(frame, log=True, gap=0.1).set_index("series")["label_y"]
    # span of log10 values is 2 (1 to 100): the two labels end 0.2 apart in log10, around their mean
    assert np.log10(ends["B"]) - np.log10(ends["A"]) == pytest.approx(0.2)
    assert (np.log10(ends["A"]) + np.log10(ends["B"])) / 2 == pytest.approx((1 + np.log10(10.5)) / 2)


@pytest.mark.parametrize("name,unit,label", [
    ("DTP3 coverage", "%", "DTP3 coverage (%)"),
    ("UHC service coverage index", "index (0-100)", "UHC service coverage index (0-100)"),
    ("IHR SPAR capacity score", "score (0-100)", "IHR SPAR capacity score (0-100)"),
    ("Physicians (per 1,000)", "per 1,000 population", "Physicians (per 1,000)"),
    ("Health spending (% of GDP)", "%", "Health spending (% of GDP)"),
    ("ITN use (children under 5)", "%", "ITN use (children under 5) (%)"),
    ("Life expectancy at birth", "years", "Life expectancy at birth (years)"),
    ("Deaths", None, "Deaths"),
])
def test_with_unit_never_doubles_a_unit(name, unit, label):
    assert layout.with_unit(name, unit) == label


def test_quantity_writes_percent_signs_without_a_space_and_other_units_with_one():
    from dashboard.charts.layout import quantity
    assert quantity("72.7", "%") == "72.7%"
    assert quantity("9.1", "per 10,000 population") == "9.1 per 10,000 population"
    assert quantity("3", None) == quantity("3", " ") == "3"


def test_a_name_that_already_ends_with_the_units_range_is_not_doubled():
    from dashboard.charts.layout import with_unit
    assert with_unit("UHC index (computed) (0-100)", "index (0-100)") == "UHC index (computed) (0-100)"
    assert with_unit("Coverage (%)", "%") == "Coverage (%)"
    assert with_unit("UHC service coverage index", "index (0-100)") == "UHC service coverage index (0-100)"
