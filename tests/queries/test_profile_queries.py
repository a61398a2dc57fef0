"""profile/*: one country's latest values with age and earlier value, its series, wealth gaps and capacity."""

import pandas as pd
import pytest

from dashboard import db


def run(fixture_db, name, **params):
    return db.run(fixture_db.connection, f"profile/{name}", **params)


def latest(fixture_db, iso3):
    return run(fixture_db, "latest_by_indicator", iso3=iso3, earlier_years=5).set_index("indicator_code")


def test_latest_by_indicator_takes_each_indicators_last_year_for_the_country(fixture_db):
    frame = latest(fixture_db, "KEN")
    assert sorted(frame.index) == ["FX.COV", "FX.MORT", "FX.SYN"]
    assert frame.loc["FX.COV", ["year", "estimate"]].tolist() == [2015, 70.0]
    assert frame.loc["FX.MORT", ["year", "estimate"]].tolist() == [2015, 40.0]
    assert frame.loc["FX.COV", "building_block"] == "Service delivery"
    assert not frame.loc["FX.MORT", "favourable_indicator"]


def test_latest_by_indicator_ages_values_against_the_indicators_newest_year(fixture_db):
    frame = latest(fixture_db, "KEN")
    # FX.COV's newest national value anywhere is UGA 2016, so KEN's 2015 value is one year old.
    assert frame.loc["FX.COV", ["reference_year", "data_age"]].tolist() == [2016, 1]
    assert frame.loc["FX.MORT", ["reference_year", "data_age"]].tolist() == [2015, 0]


def test_latest_by_indicator_earlier_value_is_the_last_at_least_five_years_before(fixture_db):
    frame = latest(fixture_db, "KEN")
    # KEN FX.COV: 2010 60, 2012 64, 2015 70 -> 2012 is too recent, 2010 is the earlier value.
    assert frame.loc["FX.COV", ["earlier_year", "earlier_estimate"]].tolist() == [2010, 60.0]
    assert pd.isna(frame.loc["FX.SYN", "earlier_year"]) and pd.isna(frame.loc["FX.SYN", "earlier_estimate"])


def test_latest_by_indicator_ignores_suppressed_and_subgroup_values(fixture_db):
    assert latest(fixture_db, "BRA").empty  # BRA's only value is suppressed (null estimate)
    assert latest(fixture_db, "TZA").empty
    # the wealth quintile and sex values of KEN 2015 do not replace the national 70.0
    assert latest(fixture_db, "KEN").loc["FX.COV", "estimate"] == 70.0


def test_series_by_indicator_year_holds_only_national_values(fixture_db):
    frame = run(fixture_db, "series_by_indicator_year", iso3="KEN")
    assert list(frame.itertuples(index=False, name=None)) == [
        ("FX.COV", 2010, 60.0, "FIXTURE_REAL"), ("FX.COV", 2012, 64.0, "FIXTURE_REAL"),
        ("FX.COV", 2015, 70.0, "FIXTURE_REAL"), ("FX.MORT", 2010, 50.0, "FIXTURE_REAL"),
        ("FX.MORT", 2015, 40.0, "FIXTURE_REAL"), ("FX.SYN", 2015, 40.0, "FIXTURE_SYNTHETIC")]


def test_wealth_gap_is_richest_minus_poorest_in_the_latest_survey_year(fixture_db):
    frame = run(fixture_db, "wealth_gap_by_indicator", iso3="KEN")
    assert len(frame) == 1  # FX.COV is the only coverage indicator with quintiles; sex is not wealth
    row = frame.iloc[0]
    assert row["indicator_code"] == "FX.COV" and row["year"] == 2015
    assert [row[f"q{i}"] for i in range(1, 6)] == [50.0, 60.0, 70.0, 80.0, 90.0]
    assert row["gap"] == 40.0


def test_wealth_gap_is_empty_without_quintile_values(fixture_db):
    assert run(fixture_db, "wealth_gap_by_indicator", iso3="UGA").empty


def test_capacity_respondents_by_survey_counts_the_countrys_respondents(fixture_db):
    frame = run(fixture_db, "capacity_respondents_by_survey", iso3="KEN", threshold=3)
    assert frame[["survey_code", "year", "respondents"]].values.tolist() == [["FX_SURVEY", 2023, 6]]
    assert run(fixture_db, "capacity_respondents_by_survey", iso3="NOR", threshold=3).empty
    # At 5, Kenya's 6 differ from all 9 respondents by 3: the count would reveal Uganda's, so it is hidden.
    assert run(fixture_db, "capacity_respondents_by_survey", iso3="KEN", threshold=5)["respondents"].isna().all()


def test_capacity_summary_by_level_gives_respondent_means(fixture_db):
    frame = run(fixture_db, "capacity_summary_by_level", iso3="KEN", survey_code="FX_SURVEY", min_respondents=3)
    assert frame.to_dict("records") == [{"level": "individual", "respondents": 6, "mean_asset": 3.0,
                                         "mean_need": 4.0, "score_min": 1, "score_max": 5}]


# KEN has 6 of the survey's 9 respondents: at a threshold of 4 to 6 its level would differ from the
# all-countries level by Uganda's 3, so it is suppressed too (differencing).
@pytest.mark.parametrize("iso3,threshold,shown", [("UGA", 5, 0), ("UGA", 3, 1), ("KEN", 7, 0), ("KEN", 6, 0),
                                                  ("KEN", 4, 0), ("KEN", 3, 1)])
def test_capacity_summary_leaves_out_levels_below_the_threshold(fixture_db, iso3, threshold, shown):
    frame = run(fixture_db, "capacity_summary_by_level", iso3=iso3, survey_code="FX_SURVEY",
                min_respondents=threshold)
    assert len(frame) == shown
