"""indicators/latest_by_country: latest value at or before the year, direction-aware ranks, filters."""

from dashboard import db


def latest(fixture_db, code, year, who=(), income=()):
    frame = db.run(fixture_db.connection, "indicators/latest_by_country", indicator_code=code, year=year,
                   who_regions=list(who), income_groups=list(income))
    return frame.set_index("iso3")


def test_latest_by_country_takes_the_last_year_at_or_before_the_selected_year(fixture_db):
    frame = latest(fixture_db, "FX.COV", 2013)
    assert frame.loc["KEN", "year"] == 2012 and frame.loc["KEN", "estimate"] == 64.0
    assert frame.loc["KEN", "data_age"] == 1


def test_latest_by_country_falls_back_across_a_missing_year(fixture_db):
    frame = latest(fixture_db, "FX.COV", 2011)  # KEN has 2010 and 2012, not 2011
    assert frame.loc["KEN", "year"] == 2010 and frame.loc["KEN", "estimate"] == 60.0


def test_latest_by_country_skips_years_after_selected(fixture_db):
    frame = latest(fixture_db, "FX.COV", 2015)  # UGA has 2010 and 2016
    assert frame.loc["UGA", "year"] == 2010 and frame.loc["UGA", "estimate"] == 50.0


def test_countries_without_a_value_are_kept_with_null_estimate(fixture_db):
    frame = latest(fixture_db, "FX.COV", 2015)
    assert frame["estimate"].isna()["TZA"]
    assert frame["estimate"].isna()["BRA"]  # suppressed value: null estimate is not a value
    assert frame["rank"].isna()["TZA"]
    assert len(frame) == 194


def test_rank_is_best_first_for_a_favourable_indicator(fixture_db):
    frame = latest(fixture_db, "FX.COV", 2015)
    ranks = frame["rank"].dropna().astype(int).to_dict()
    assert ranks == {"NOR": 1, "IND": 2, "KEN": 3, "UGA": 4}


def test_rank_is_lowest_first_for_an_adverse_indicator(fixture_db):
    frame = latest(fixture_db, "FX.MORT", 2015)
    ranks = frame["rank"].dropna().astype(int).to_dict()
    assert ranks == {"NOR": 1, "KEN": 2, "UGA": 3}


def test_region_and_income_filters_restrict_countries(fixture_db):
    frame = latest(fixture_db, "FX.COV", 2015, who=["AFR"], income=["Low income"])
    assert set(frame.index) >= {"UGA"} and "KEN" not in frame.index and "NOR" not in frame.index
    assert set(frame["who_region"]) == {"AFR"} and set(frame["income_group"]) == {"Low income"}


def test_null_ci_is_returned_as_null(fixture_db):
    frame = latest(fixture_db, "FX.COV", 2015)
    assert frame["ci_lower"].isna()["NOR"] and frame.loc["KEN", "ci_lower"] == 68.0
