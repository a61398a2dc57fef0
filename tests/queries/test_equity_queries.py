"""equity/* queries: which countries, indicators and dimensions have subgroups; subgroup rows per year and
per country for the benchmark, with the setting average and only national settings."""

import pandas as pd
import pytest

from dashboard import contract, db
from tests.fixtures.equity.warehouse import CODE, build_equity_fixture

WEALTH = contract.DIM_WEALTH


@pytest.fixture(scope="module")
def equity_db(tmp_path_factory) -> db.Warehouse:
    return db.open_read_only(build_equity_fixture(tmp_path_factory.mktemp("equity")))


def run(warehouse, name, **params) -> pd.DataFrame:
    return db.run(warehouse.connection, name, **params)


def test_countries_with_subgroups_lists_only_countries_with_subgroup_values(fixture_db, equity_db):
    assert run(fixture_db, "equity/countries_with_subgroups_by_country")["iso3"].tolist() == ["KEN"]
    frame = run(equity_db, "equity/countries_with_subgroups_by_country").set_index("iso3")
    assert frame.index.tolist() == ["KEN", "NOR", "TZA", "UGA"]  # by name: Kenya, Norway, Tanzania, Uganda
    assert frame.loc["KEN", "who_region"] == "AFR" and frame.loc["KEN", "indicators_with_subgroups"] == 1


def test_dimensions_by_indicator_gives_the_pairs_of_one_country_with_years_and_subgroups(fixture_db):
    frame = run(fixture_db, "equity/dimensions_by_indicator", iso3="KEN").set_index("dimension")
    assert frame.index.tolist() == [WEALTH, contract.DIM_SEX]  # ordered dimensions first
    assert set(frame["indicator_code"]) == {"FX.COV"} and set(frame["short_name"]) == {"Fixture coverage"}
    assert frame.loc[WEALTH, "subgroups"] == 5 and bool(frame.loc[WEALTH, "ordered_dimension"])
    assert frame.loc[contract.DIM_SEX, "subgroups"] == 2 and not frame.loc[contract.DIM_SEX, "ordered_dimension"]
    assert frame.loc[WEALTH, ["first_year", "last_year", "survey_years"]].tolist() == [2015, 2015, 1]
    assert run(fixture_db, "equity/dimensions_by_indicator", iso3="UGA").empty


def test_dimensions_leave_out_breakdowns_within_an_admin1_setting(equity_db):
    frame = run(equity_db, "equity/dimensions_by_indicator", iso3="KEN").set_index("dimension")
    assert frame.index.tolist() == [WEALTH, contract.DIM_SUBNATIONAL]  # Sex exists only within Coast
    assert frame.loc[contract.DIM_SUBNATIONAL, "subgroups"] == 5  # Coast, Rift, Lake, Rift North, Rift South
    assert frame.loc[WEALTH, ["survey_years", "benchmark_first_year", "benchmark_last_year"]].tolist() == [
        2, 2010, 2016]


def test_subgroups_by_year_carry_what_the_summary_measures_need(fixture_db):
    frame = run(fixture_db, "equity/subgroups_by_year", iso3="KEN", indicator_code="FX.COV", dimension=WEALTH)
    assert frame["subgroup"].tolist()[0] == "Quintile 1 (poorest)" and frame["subgroup_order"].tolist() == [1, 2, 3, 4, 5]
    assert frame["estimate"].tolist() == [50.0, 60.0, 70.0, 80.0, 90.0]
    assert frame["population"].tolist() == [1000.0, 900.0, 800.0, 700.0, 600.0]
    assert set(frame["setting_average"]) == {70.0}  # the national value of 2015, same source
    assert frame["favourable_indicator"].all() and set(frame["indicator_scale"]) == {100}
    assert frame["ordered_dimension"].all() and set(frame["year"]) == {2015}


def test_subnational_subgroups_keep_their_admin1_code_and_admin1_settings_are_left_out(equity_db):
    regions = run(equity_db, "equity/subgroups_by_year", iso3="KEN", indicator_code=CODE,
                  dimension=contract.DIM_SUBNATIONAL)
    assert regions.groupby("year")["subgroup"].apply(list).to_dict() == {
        2010: ["Coast", "Lake", "Rift"], 2015: ["Coast", "Lake", "Rift North", "Rift South"]}
    assert regions.set_index(["year", "subgroup"]).loc[(2015, "Rift North"), "admin1_code"] == "KE-B1"
    assert regions.groupby("year")["setting_average"].first().to_dict() == {2010: 60.0, 2015: 70.0}
    within_coast = run(equity_db, "equity/subgroups_by_year", iso3="KEN", indicator_code=CODE,
                       dimension=contract.DIM_SEX)
    assert within_coast.empty


def test_benchmark_takes_each_countrys_latest_survey_at_or_before_the_year(equity_db):
    def years(year, who=(), income=()):
        frame = run(equity_db, "equity/subgroups_by_country_year", indicator_code=CODE, dimension=WEALTH,
                    year=year, who_regions=list(who), income_groups=list(income))
        return frame.groupby("iso3")["year"].agg(["first", "size"]).to_dict("index"), frame

    latest, frame = years(2016)
    assert latest == {"KEN": {"first": 2015, "size": 5}, "NOR": {"first": 2014, "size": 5},
                      "TZA": {"first": 2013, "size": 5}, "UGA": {"first": 2016, "size": 5}}
    assert frame.set_index("iso3").loc["UGA", "data_age"].tolist() == [0] * 5
    uga = frame[frame["iso3"] == "UGA"]
    assert uga["setting_average"].isna().all()  # UGA has no national value in 2016
    assert years(2015)[0]["UGA"]["first"] == 2012
    assert years(2015)[1].query("iso3 == 'UGA'")["setting_average"].tolist() == [50.0] * 5
    assert set(years(2012)[0]) == {"UGA", "KEN"} and years(2012)[0]["KEN"]["first"] == 2010
    assert set(years(2016, who=["AFR"])[0]) == {"KEN", "TZA", "UGA"}
    assert set(years(2016, income=["Low income"])[0]) == {"UGA"}
    assert years(2009)[1].empty


def test_benchmark_keeps_a_suppressed_subgroup_row(equity_db):
    frame = run(equity_db, "equity/subgroups_by_country_year", indicator_code=CODE, dimension=WEALTH,
                year=2016, who_regions=["AFR"], income_groups=[])
    tza = frame[frame["iso3"] == "TZA"].set_index("subgroup")
    assert pd.isna(tza.loc["Quintile 1 (poorest)", "estimate"])
    assert tza.loc["Quintile 1 (poorest)", "flag"] == "suppressed"


def test_subgroup_pair_summary_equals_a_direct_count(demo_db):
    """agg_subgroup_pair (built once) holds what the pickers used to count from every value."""
    cursor = demo_db.connection.cursor()
    direct = cursor.execute("""
        select iso3, indicator_code, dimension, min(year) as first_year, max(year) as last_year,
               count(distinct year) as survey_years, count(distinct subgroup) as subgroups
        from fct_indicator_value
        where dimension <> 'Total' and estimate is not null
          and (admin1_code is null or dimension = 'Subnational region')
        group by all order by all""").df()
    summary = cursor.execute("""
        select iso3, indicator_code, dimension, first_year, last_year, survey_years, subgroups
        from agg_subgroup_pair order by all""").df()
    assert len(direct) > 1000
    assert direct.to_dict("records") == summary.to_dict("records")
