"""Trends reshaping: windows, indexing to the first observed year, gaps, end labels, peers and panels."""

import numpy as np
import pandas as pd
import pytest

from dashboard.charts import layout
from dashboard.views import trends


def series(rows, code="FX.COV"):
    """Trend query rows from (iso3, name, year, estimate, ci) tuples; ci None means no bounds."""
    return pd.DataFrame([{
        "indicator_code": code, "iso3": iso3, "name": name, "who_region": "AFR", "income_group": "Low income",
        "year": year, "estimate": est, "ci_lower": None if ci is None else est - ci,
        "ci_upper": None if ci is None else est + ci, "source_code": "SRC", "flag": None,
    } for iso3, name, year, est, ci in rows]).astype({"ci_lower": float, "ci_upper": float})


def medians(rows, code="FX.COV"):
    return pd.DataFrame([{"indicator_code": code, "reference": ref, "reference_group": group, "year": year,
                          "estimate": est, "countries": n, "observed": n}
                         for ref, group, year, est, n in rows])


KEN = [("KEN", "Kenya", 2010, 60.0, 2.0), ("KEN", "Kenya", 2012, 64.0, 2.0), ("KEN", "Kenya", 2015, 70.0, 2.0)]
NOR = [("NOR", "Norway", 2015, 95.0, None)]
REFS = [("who_region", "AFR", 2010, 55.0, 2), ("who_region", "AFR", 2015, 63.0, 2),
        ("income_group", "Low income", 2012, 40.0, 3)]


def test_reference_labels_name_the_group():
    assert trends.reference_label("who_region", "AFR") == "African Region median"
    assert trends.reference_label("income_group", "Low income") == "Low income median"


def test_plot_frame_orders_countries_as_chosen_then_references_and_applies_the_window():
    frame = trends.plot_frame(series(KEN + NOR), medians(REFS), order=["NOR", "KEN"], start=2011, end=2015)
    assert list(zip(frame["series"], frame["year"])) == [
        ("Norway", 2015), ("Kenya", 2012), ("Kenya", 2015), ("African Region median", 2015),
        ("Low income median", 2012)]
    assert frame["role"].tolist() == [trends.COUNTRY] * 3 + [trends.REGION_MEDIAN, trends.INCOME_MEDIAN]
    assert frame["value"].tolist() == [95.0, 64.0, 70.0, 63.0, 40.0]
    assert frame["countries"].tolist()[-2:] == [2, 3] and frame["countries"].isna().sum() == 3
    assert frame["ci_lower"].isna().tolist() == [True, False, False, True, True]
    assert list(frame.columns) == trends.PLOT_COLUMNS


def test_indexing_makes_each_series_first_observed_value_in_the_window_100():
    frame = trends.plot_frame(series(KEN), medians(REFS[:2]), order=["KEN"], start=2011, end=2015, indexed=True)
    kenya = frame[frame["series"] == "Kenya"]
    assert kenya["value"].tolist() == pytest.approx([100.0, 70 / 64 * 100])  # 2012 is Kenya's first year here
    assert kenya["ci_lower"].tolist() == pytest.approx([62 / 64 * 100, 68 / 64 * 100])
    assert kenya["original_value"].tolist() == [64.0, 70.0]
    region = frame[frame["role"] == trends.REGION_MEDIAN]
    assert region["value"].tolist() == [100.0]  # the median has only 2015 in the window


def test_indexing_a_series_starting_at_zero_gives_nulls_not_infinities():
    frame = pd.DataFrame({"series": ["A", "A", "B", "B"], "year": [2000, 2001, 2000, 2001],
                          "value": [0.0, 5.0, 4.0, 2.0], "ci_lower": np.nan, "ci_upper": np.nan})
    out = trends.index_to_first(frame)
    assert out["value"].isna().tolist() == [True, True, False, False]
    assert out["value"].tolist()[2:] == [100.0, 50.0]


def test_indexing_uses_the_earliest_year_even_when_rows_are_unsorted():
    frame = pd.DataFrame({"series": ["A", "A"], "year": [2005, 2003], "value": [30.0, 20.0],
                          "ci_lower": np.nan, "ci_upper": np.nan})
    assert trends.index_to_first(frame)["value"].tolist() == [150.0, 100.0]


def test_log_scale_drops_non_positive_values_and_clears_bands_reaching_zero():
    frame = pd.DataFrame({"series": ["A"] * 3, "year": [1, 2, 3], "value": [0.0, 2.0, 4.0],
                          "ci_lower": [-1.0, -0.5, 3.0], "ci_upper": [1.0, 4.5, 5.0]})
    kept, dropped = trends.loggable(frame)
    assert dropped == 1 and kept["year"].tolist() == [2, 3]
    assert kept["ci_lower"].isna().tolist() == [True, False] and kept["ci_upper"].isna().tolist() == [True, False]


LATEST = pd.DataFrame({
    "iso3": ["KEN", "TZA", "ZMB", "GHA", "UGA", "NOR", "CIV"],
    "name": ["Kenya", "Tanzania", "Zambia", "Ghana", "Uganda", "Norway", "Côte d'Ivoire"],
    "who_region": ["AFR", "AFR", "AFR", "AFR", "AFR", "EUR", "AFR"],
    "income_group": ["Lower middle income"] * 4 + ["Low income", "High income", "Lower middle income"],
    "estimate": [50.0, 58.0, 47.0, 53.0, 50.0, 50.0, None],
    "year": [2020] * 7,
})


def test_peers_share_region_and_income_group_and_come_nearest_first():
    peers = trends.suggest_peers(LATEST, "KEN", ["KEN"])
    assert peers["iso3"].tolist() == ["GHA", "ZMB", "TZA", "CIV"]  # distances 3, 3 (tie by name), 8, no value
    assert peers["distance"].tolist()[:3] == [3.0, 3.0, 8.0]


def test_peers_exclude_chosen_countries_and_respect_n():
    assert trends.suggest_peers(LATEST, "KEN", ["KEN", "GHA"], n=2)["iso3"].tolist() == ["ZMB", "TZA"]
    assert trends.suggest_peers(LATEST, "KEN", ["KEN"], n=0).empty


def test_an_anchor_without_groups_or_missing_has_no_peers():
    assert trends.suggest_peers(LATEST, "XXX", []).empty
    nameless = LATEST.assign(who_region=LATEST["who_region"].where(LATEST["iso3"] != "KEN"))
    assert trends.suggest_peers(nameless, "KEN", []).empty


def test_peer_label_and_groups_of():
    assert trends.peer_label("Ghana", 53.04, 1) == "Ghana · 53.0"
    assert trends.peer_label("Côte d'Ivoire", float("nan"), 1) == "Côte d'Ivoire · no value"
    countries = pd.DataFrame({"iso3": ["KEN", "XKX"], "who_region": ["AFR", None], "income_group": ["LMI", None]})
    assert trends.groups_of(countries, "KEN") == ("AFR", "LMI")
    assert trends.groups_of(countries, "XKX") == (None, None) and trends.groups_of(countries, "ZZZ") == (None, None)


INDICATORS = pd.DataFrame({
    "indicator_code": ["FIN.A", "SD.A", "SD.B", "OUT.A", "X.A"],
    "short_name": ["Spending", "Coverage A", "Coverage B", "Mortality", "Other"],
    "unit": ["% of GDP", "%", "%", "per 1,000", "index"],
    "decimals": [1, 0, 1, 0, 2],
    "building_block": ["Health financing", "Service delivery", "Service delivery", "Outcomes", "Custom block"],
})


def test_blocks_follow_the_who_order_with_unknown_blocks_last():
    assert trends.blocks(INDICATORS) == ["Service delivery", "Health financing", "Outcomes", "Custom block"]


def test_first_block_with_data_follows_the_who_order():
    data = series([("KEN", "Kenya", 2010, 5.0, None)], code="FIN.A")
    assert trends.first_block_with_data(data, INDICATORS) == "Health financing"
    both = pd.concat([data, series([("KEN", "Kenya", 2010, 5.0, None)], code="SD.B")])
    assert trends.first_block_with_data(both, INDICATORS) == "Service delivery"
    assert trends.first_block_with_data(data.head(0), INDICATORS) is None


def test_panel_codes_prefer_an_explicit_choice_over_the_block():
    assert trends.panel_codes(INDICATORS, block="Service delivery") == ["SD.A", "SD.B"]
    assert trends.panel_codes(INDICATORS, block="Service delivery", chosen=["OUT.A", "FIN.A"]) == ["OUT.A", "FIN.A"]


def test_panel_frame_titles_panels_formats_values_and_skips_indicators_without_country_values():
    data = pd.concat([series([("KEN", "Kenya", 2010, 4.25, None), ("KEN", "Kenya", 2013, 5.0, None)], "FIN.A"),
                      series([("KEN", "Kenya", 2011, 81.6, 1.0)], "SD.B")])
    refs = medians([("who_region", "AFR", 2010, 3.5, 40)], code="FIN.A")
    frame = trends.panel_frame(data, refs, INDICATORS, codes=["SD.B", "SD.A", "FIN.A"], start=2000, end=2020)
    assert frame["panel"].unique().tolist() == ["Coverage B (%)", "Spending (% of GDP)"]  # SD.A has no values
    assert frame["value_label"].tolist() == ["81.6", "4.2", "5.0", "3.5"]
    assert frame["series"].tolist() == ["Kenya", "Kenya", "Kenya", "African Region median"]
    assert layout.gap_rows(frame, ["indicator_code", "series"])["gap"].unique().tolist() == ["FIN.A Kenya 2010-2013"]


def test_only_the_first_panels_with_values_are_drawn_and_the_caption_says_so():
    data = pd.concat([series([("KEN", "Kenya", 2010, 4.25, None)], "FIN.A"),
                      series([("KEN", "Kenya", 2011, 81.6, 1.0)], "SD.B"),
                      series([("KEN", "Kenya", 2012, 9.0, None)], "OUT.A")])
    codes = ["SD.A", "SD.B", "FIN.A", "OUT.A"]
    frame = trends.panel_frame(data, medians(REFS), INDICATORS, codes=codes, start=2000, end=2020, limit=2)
    assert frame["indicator_code"].unique().tolist() == ["SD.B", "FIN.A"]  # SD.A has no values; OUT.A is third
    assert trends.codes_with_values(data, 2000, 2020) == 3
    assert trends.drawn_codes(data, codes, 2000, 2020, limit=2) == ["SD.B", "FIN.A"]  # medians only for these
    caption = trends.panel_caption(frame, codes, {}, 2000, 2020, with_values=3)
    assert caption == "Showing the first 2 of 3 indicators with values in 2000–2020; choose indicators to see others."
    many = [f"C{i}" for i in range(8)]
    chosen = trends.panel_caption(frame.head(0), many, {}, 2000, 2020)
    assert chosen == "No values in 2000–2020 for C0, C1, C2, C3, C4 and 3 more."


def test_reference_note_names_the_groups_present():
    frame = trends.plot_frame(series(KEN), medians(REFS), order=["KEN"], start=2000, end=2020)
    note = trends.reference_note(frame, "Kenya")
    assert note.startswith("Grey lines: medians of African Region and Low income countries (the groups of Kenya)")
    alone = trends.plot_frame(series(KEN), medians(REFS[:2]), order=["KEN"], start=2000, end=2020)
    assert "medians of African Region countries" in trends.reference_note(alone, "Kenya")
    none = trends.plot_frame(series(KEN), medians(REFS), order=["KEN"], start=2016, end=2020)
    assert trends.reference_note(none, "Kenya").startswith("No reference medians")
    ruled = trends.reference_note(frame, "Kenya", 5, 0.6)
    assert ruled.endswith("drawn only in years where at least 5 countries and 60% of the group's reporting "
                          "countries have a value; the tooltip gives the count.")


def test_indicator_labels_join_short_name_and_unit():
    assert trends.indicator_labels(INDICATORS)["OUT.A"] == "Mortality (per 1,000)"
