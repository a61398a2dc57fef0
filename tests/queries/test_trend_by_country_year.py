"""indicators/trend_by_country_year: national series with gaps kept as gaps, null CIs, empty = all."""

from dashboard import db


def trend(fixture_db, codes, countries):
    return db.run(fixture_db.connection, "indicators/trend_by_country_year", indicator_codes=list(codes),
                  iso3_codes=list(countries))


def test_trend_keeps_observed_years_only_so_the_missing_year_stays_a_gap(fixture_db):
    frame = trend(fixture_db, ["FX.COV"], ["KEN"])
    assert frame["year"].tolist() == [2010, 2012, 2015]
    assert frame["estimate"].tolist() == [60.0, 64.0, 70.0]
    assert frame["ci_lower"].tolist() == [58.0, 62.0, 68.0] and frame["ci_upper"].tolist() == [62.0, 66.0, 72.0]
    assert set(frame["name"]) == {"Kenya"} and set(frame["who_region"]) == {"AFR"}


def test_trend_returns_national_values_only(fixture_db):
    frame = trend(fixture_db, ["FX.COV"], ["KEN"])
    assert frame.loc[frame["year"] == 2015, "estimate"].tolist() == [70.0]  # not the wealth or sex rows


def test_trend_null_ci_stays_null(fixture_db):
    frame = trend(fixture_db, ["FX.COV"], ["NOR"])
    assert frame["estimate"].tolist() == [95.0]
    assert frame["ci_lower"].isna().all() and frame["ci_upper"].isna().all()


def test_trend_leaves_out_suppressed_values(fixture_db):
    assert trend(fixture_db, ["FX.COV"], ["BRA"]).empty


def test_trend_filters_countries_and_orders_by_indicator_country_year(fixture_db):
    frame = trend(fixture_db, ["FX.COV"], ["UGA", "KEN"])
    assert list(zip(frame["iso3"], frame["year"])) == [
        ("KEN", 2010), ("KEN", 2012), ("KEN", 2015), ("UGA", 2010), ("UGA", 2016)]


def test_trend_empty_indicator_list_means_every_indicator(fixture_db):
    frame = trend(fixture_db, [], ["KEN"])
    assert frame.groupby("indicator_code")["year"].apply(list).to_dict() == {
        "FX.COV": [2010, 2012, 2015], "FX.MORT": [2010, 2015], "FX.SYN": [2015]}
