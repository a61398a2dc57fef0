"""Every benchmark floor (queries/bench/<name>.sql) returns the same rows as the app query it stands for.

The floor is the simplest raw query over the base tables that yields the app query's result; the benchmark
reports the app query's time against it, so a floor that returned something else would make the ratio a lie.
Row order is not compared (ties may order differently); columns, their order and every value are.
"""

import pandas as pd
import pytest

from dashboard import bench, db, sql
from tests.queries.test_every_query import all_samples

FLOORS = bench.floor_names()

# Beyond the sample parameters of every query: the list filters in use, and "empty means all".
FIXTURE_CASES = {
    "indicators/latest_by_country": [dict(indicator_code="FX.MORT", year=2015, who_regions=["AFR"], income_groups=[]),
                                     dict(indicator_code="FX.COV", year=2012, who_regions=[],
                                          income_groups=["Low income", "Lower middle income"])],
    "indicators/trend_by_country_year": [dict(indicator_codes=[], iso3_codes=["KEN"]),
                                         dict(indicator_codes=["FX.MORT"], iso3_codes=[])],
    "equity/subgroups_by_country_year": [dict(indicator_code="FX.COV", dimension="Economic status (wealth quintile)",
                                              year=2020, who_regions=["AFR"], income_groups=[])],
    "profile/latest_by_indicator": [dict(iso3="KEN", earlier_years=3), dict(iso3="NOR", earlier_years=0)],
    "profile/peer_standing_by_indicator_group": [dict(iso3="NOR")],
}
DEMO_CASES = {
    "indicators/latest_by_country": dict(indicator_code="SH.DYN.MORT", year=2015, who_regions=[], income_groups=[]),
    "indicators/trend_by_country_year": dict(indicator_codes=["SH.IMM.IDPT"], iso3_codes=["KEN", "NOR", "BRA"]),
    "equity/countries_with_subgroups_by_country": {},
    "equity/dimensions_by_indicator": dict(iso3="KEN"),
    "equity/subgroups_by_year": dict(iso3="KEN", indicator_code="SH.IMM.IDPT",
                                     dimension="Economic status (wealth quintile)"),
    "equity/subgroups_by_country_year": dict(indicator_code="SH.IMM.IDPT", dimension="Place of residence",
                                             year=2018, who_regions=[], income_groups=[]),
    "profile/latest_by_indicator": dict(iso3="KEN", earlier_years=5),
    "profile/peer_standing_by_indicator_group": dict(iso3="KEN"),
    "profile/series_by_indicator_year": dict(iso3="KEN"),
    "profile/wealth_gap_by_indicator": dict(iso3="KEN"),
}


def same_rows(connection, name: str, params: dict) -> None:
    app = db.run(connection, name, **params)
    floor = bench.run_floor(connection, name, params)
    assert list(floor.columns) == list(app.columns), f"floor of {name}: columns differ"
    assert len(floor) == len(app), f"floor of {name}: {len(floor)} rows, app query {len(app)}"

    def ordered(frame: pd.DataFrame) -> pd.DataFrame:
        return frame.sort_values(list(frame.columns), na_position="last").reset_index(drop=True)

    pd.testing.assert_frame_equal(ordered(floor), ordered(app), check_dtype=False, obj=f"floor of {name}")


def test_there_are_floors_and_the_app_does_not_run_them():
    assert FLOORS
    assert not [name for name in sql.all_names() if name.startswith(f"{bench.FLOORS_FOLDER}/")]


@pytest.mark.parametrize("name", FLOORS)
def test_floor_states_its_grain_and_uses_only_the_app_query_parameters(name):
    floor, app = sql.load(f"{bench.FLOORS_FOLDER}/{name}"), sql.load(name)
    assert floor.params <= app.params, f"floor of {name} uses {sorted(floor.params - app.params)}"


@pytest.mark.parametrize("name", FLOORS)
def test_floor_returns_the_app_query_rows_on_the_fixture(fixture_db, name):
    for params in [all_samples()[name], *FIXTURE_CASES.get(name, [])]:
        same_rows(fixture_db.connection, name, params)


@pytest.mark.parametrize("name", FLOORS)
def test_floor_returns_the_app_query_rows_on_the_demo(demo_db, name):
    assert name in DEMO_CASES, f"add demo parameters for the floor of {name} to {__file__}"
    params = DEMO_CASES[name]
    assert len(db.run(demo_db.connection, name, **params)), f"{name}: pick demo parameters that return rows"
    same_rows(demo_db.connection, name, params)
