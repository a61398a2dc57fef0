"""Country profile reshaping: scorecards, year flags, peer wording, UHC headline, equity and capacity snapshots."""

import pandas as pd
import pytest

from dashboard import db
from dashboard.views import country as profile


@pytest.fixture(scope="module")
def kenya(fixture_db):
    run = lambda name, **p: db.run(fixture_db.connection, f"profile/{name}", **p)  # noqa: E731
    return (run("latest_by_indicator", iso3="KEN", earlier_years=profile.DELTA_YEARS),
            run("peer_standing_by_indicator_group", iso3="KEN"), run("series_by_indicator_year", iso3="KEN"))


def test_blocks_follow_the_catalogue_order_with_unknown_blocks_last():
    latest = pd.DataFrame({"building_block": ["Outcomes", "Zeta", "Service delivery", "Health financing",
                                              "Outcomes", "Alpha"]})
    assert profile.blocks(latest) == ["Service delivery", "Health financing", "Outcomes", "Alpha", "Zeta"]
    assert profile.blocks(pd.DataFrame({"building_block": []})) == []


@pytest.mark.parametrize("year,age,label", [(2015, 9, "⚠ 2015 · 9 years old"), (2019, 5, "2019"),
                                            (2018, 6, "⚠ 2018 · 6 years old"), (2024, 0, "2024")])
def test_year_label_flags_values_older_than_the_stale_limit(year, age, label):
    assert profile.year_label(year, age, stale_years=5) == label


def test_peer_phrases_and_headers():
    assert profile.peer_phrase("income_group", "Lower middle income") == "lower-middle-income countries"
    assert profile.peer_phrase("who_region", "AFR") == "countries in the African Region"
    assert profile.peer_phrase("income_group", None) == "peers (no income group)"
    assert profile.peer_header("who_region", "EUR") == "European Region"
    assert profile.peer_header("income_group", "High income") == "High income"
    assert profile.peer_header("income_group", float("nan")) == "No income group"
    with pytest.raises(ValueError, match="peer_group must be one of"):
        profile.peer_phrase("wb_region", "South Asia")


def test_standing_rounds_half_up_and_states_the_peer_count():
    assert profile.standing(72.5, 40) == "better than 73% (of 40)"
    assert profile.standing(0.0, 3) == "behind all 3"
    assert profile.standing(100.0, 49) == "ahead of all 49"  # never 'better than 100%'
    assert profile.standing(99.4, 49) == "better than 99% (of 49)"
    assert profile.standing_sentence(100.0, 49, "lower-middle-income countries") == \
        "ahead of all 49 lower-middle-income countries with a value"
    assert profile.standing(None, 0) == "no peer values"
    assert profile.standing(float("nan"), pd.NA) == "no peer values"
    assert profile.standing_sentence(72.0, 46, "lower-middle-income countries") == \
        "better than 72% of lower-middle-income countries (46 with a value)"
    assert profile.standing_sentence(None, 0, "countries in the European Region") == \
        "no other countries in the European Region have a value to compare with"


def test_scorecard_of_the_fixture_service_delivery_block(kenya):
    latest, standings, series = kenya
    table = profile.scorecard(latest, standings, series, block="Service delivery", stale_years=5)
    assert list(table.columns) == list(profile.SCORECARD_COLUMNS)
    assert table.to_dict("records") == [{
        "Indicator": "Fixture coverage", "Latest": "70.0", "Year": "2015", "Trend": [60.0, 64.0, 70.0],
        "who_region": "ahead of the only peer with a value", "income_group": "behind the only peer with a value", "Unit": "%"}]


def test_scorecard_flags_old_values_and_missing_peers(kenya):
    latest, standings, series = kenya
    table = profile.scorecard(latest, standings, series, block="Outcomes", stale_years=0)
    assert table.loc[0, "Indicator"] == "Fixture mortality"
    assert table.loc[0, "Year"] == "2015"  # its newest year anywhere is 2015: age 0 is never stale
    covered = profile.scorecard(latest, standings, series, block="Service delivery", stale_years=0)
    assert covered.loc[0, "Year"] == "⚠ 2015 · 1 years old"  # UGA has 2016
    assert table.loc[0, "income_group"] == "no peer values"


def test_scorecard_values_carry_the_numbers_behind_the_table(kenya):
    latest, standings, _ = kenya
    values = profile.scorecard_values(latest, standings, block="Service delivery", stale_years=5)
    row = values.iloc[0]
    assert (row["indicator_code"], row["year"], row["estimate"], row["reference_year"], row["data_age"]) == \
        ("FX.COV", 2015, 70.0, 2016, 1)
    assert not row["stale"]
    assert (row["who_region_percentile"], row["who_region_peers"]) == (100.0, 1)
    assert (row["income_group_percentile"], row["income_group_peers"]) == (0.0, 1)
    assert row["source_code"] == "FIXTURE_REAL"


def test_scorecard_orders_index_then_sub_indices_then_names():
    latest = pd.DataFrame({
        "indicator_code": ["B", "SUB", "IDX", "A"], "short_name": ["Beta", "Sub", "Index", "Alpha"],
        "building_block": ["Service delivery"] * 4, "domain": ["coverage"] * 4,
        "uhc_tracer": [None, "Sub-index", "Index", "RMNCH"], "unit": ["%"] * 4, "decimals": [0] * 4,
        "favourable_indicator": [True] * 4, "year": [2020] * 4, "estimate": [1.0, 2.0, 3.0, 4.0],
        "reference_year": [2020] * 4, "data_age": [0] * 4, "source_code": ["S"] * 4})
    empty = pd.DataFrame(columns=["indicator_code", "peer_group", "peer_name", "peers", "percentile"])
    series = pd.DataFrame(columns=["indicator_code", "year", "estimate"])
    table = profile.scorecard(latest, empty, series, block="Service delivery", stale_years=5)
    assert table["Indicator"].tolist() == ["Index", "Sub", "Alpha", "Beta"]
    assert table["Trend"].tolist() == [[], [], [], []]


def test_trend_values_are_the_blocks_series(kenya):
    latest, _, series = kenya
    trend = profile.trend_values(series, latest, block="Outcomes")
    assert trend[["indicator_code", "indicator", "year", "estimate"]].values.tolist() == [
        ["FX.MORT", "Fixture mortality", 2010, 50.0], ["FX.MORT", "Fixture mortality", 2015, 40.0]]


def _uhc_latest():
    rows = [("UHC_INDEX_REPORTED", "UHC service coverage index", 2022, 50.0, 2017, 45.0),
            ("UHC_SCI_NCD", "UHC sub-index: NCDs", 2021, 61.0, None, None),
            ("UHC_SCI_RMNCH", "UHC sub-index: RMNCH", 2024, 59.0, 2019, 62.0),
            ("FX.MORT", "Fixture mortality", 2015, 40.0, 2010, 50.0)]
    frame = pd.DataFrame(rows, columns=["indicator_code", "short_name", "year", "estimate", "earlier_year",
                                        "earlier_estimate"])
    frame["name"], frame["unit"], frame["decimals"] = frame["short_name"], "index (0-100)", 0
    frame["favourable_indicator"] = frame["indicator_code"] != "FX.MORT"
    frame["source_code"] = "S"
    return frame


def test_headline_lists_the_index_then_sub_indices_with_deltas():
    standings = pd.DataFrame([{"indicator_code": "UHC_INDEX_REPORTED", "peer_group": "income_group",
                               "peer_name": "Lower middle income", "peers": 46, "percentile": 71.7}])
    metrics = profile.headline(_uhc_latest(), standings)
    assert [m["label"] for m in metrics] == ["UHC index · 2022", "RMNCH · 2024", "NCDs · 2021"]
    assert [m["value"] for m in metrics] == ["50", "59", "61"]
    assert [m["delta"] for m in metrics] == [5, -3, None]
    assert [m["delta_description"] for m in metrics] == ["since 2017", "since 2019", None]
    assert {m["delta_color"] for m in metrics} == {"normal"}
    assert metrics[0]["help"] == ("UHC service coverage index (0-100). "
                                  "Better than 72% of lower-middle-income countries (46 with a value).")


def test_headline_turns_the_delta_colour_round_for_an_adverse_indicator():
    latest = _uhc_latest()
    latest.loc[latest["indicator_code"] == "UHC_SCI_RMNCH", "favourable_indicator"] = False
    colours = {m["label"]: m["delta_color"] for m in profile.headline(latest, pd.DataFrame(
        columns=["indicator_code", "peer_group", "peer_name", "peers", "percentile"]))}
    assert colours == {"UHC index · 2022": "normal", "RMNCH · 2024": "inverse", "NCDs · 2021": "normal"}


def test_headline_is_empty_without_uhc_values():
    latest = _uhc_latest()
    assert profile.headline(latest[latest["indicator_code"] == "FX.MORT"], pd.DataFrame(
        columns=["indicator_code", "peer_group", "peer_name", "peers", "percentile"])) == []


def test_headline_values_keep_the_metric_order():
    assert profile.headline_values(_uhc_latest())["indicator_code"].tolist() == [
        "UHC_INDEX_REPORTED", "UHC_SCI_RMNCH", "UHC_SCI_NCD"]


def _gaps():
    return pd.DataFrame([
        {"indicator_code": "X1", "short_name": "Skilled birth attendance", "unit": "%", "decimals": 1,
         "year": 2020, "q1": 69.31, "q2": 75.33, "q3": None, "q4": 92.54, "q5": 100.0, "gap": 30.69,
         "source_code": "S"},
        {"indicator_code": "X2", "short_name": "Other", "unit": "%", "decimals": 1, "year": 2018, "q1": 1.0,
         "q2": 2.0, "q3": 3.0, "q4": 4.0, "q5": 5.0, "gap": 4.0, "source_code": "S"}])


def test_largest_gap_and_its_quintile_points():
    gap = profile.largest_gap(_gaps())
    assert gap["indicator_code"] == "X1"
    assert profile.largest_gap(_gaps().iloc[0:0]) is None
    points = profile.quintile_points(gap)
    assert points[["quintile", "label", "estimate"]].values.tolist() == [
        [1, "Q1 poorest", 69.31], [2, "Q2", 75.33], [4, "Q4", 92.54], [5, "Q5 richest", 100.0]]
    assert set(points["year"]) == {2020} and set(points["indicator"]) == {"Skilled birth attendance"}
    assert profile.gap_sentence(gap) == \
        "Skilled birth attendance, 2020: poorest 69.3%, richest 100.0%, gap 30.7 points"


def test_capacity_points_and_suppressed_levels():
    summary = pd.DataFrame([{"level": "individual", "respondents": 6, "mean_asset": 3.0, "mean_need": 4.0},
                            {"level": "network", "respondents": 9, "mean_asset": 2.5, "mean_need": None}])
    assert profile.capacity_points(summary).values.tolist() == [
        ["individual", "Current capacity", 3.0, 6], ["individual", "Need", 4.0, 6],
        ["network", "Current capacity", 2.5, 9]]
    assert profile.suppressed_levels(summary) == ["organisational"]
    assert profile.suppressed_levels(summary.iloc[0:0]) == list(profile.LEVELS)


def test_survey_line_counts_respondents_and_names_the_survey():
    survey = pd.Series({"survey_code": "S", "title": "Capacity survey", "year": 2024, "respondents": 85})
    assert profile.survey_line(survey) == "**85 respondents** · Capacity survey, 2024"
    assert profile.survey_line(survey.replace({2024: None})) == "**85 respondents** · Capacity survey"


def test_context_line_names_region_and_income_group():
    assert profile.context_line("AFR", "Lower middle income") == \
        "African Region · Lower middle income · latest national values"
    assert profile.context_line(None, float("nan")) == "no WHO region · no income group · latest national values"
