"""The Coverage & quality page's queries on the fixture warehouse: the right columns even where the data are
missing (the fixture holds no UHC tracers or index), and the right rows where they are not."""

from dashboard import contract, db

COLUMNS = {
    "coverage/index_series_by_year": ["indicator_code", "year", "estimate", "flag", "source_code"],
    "coverage/tracer_values_by_country_year": ["indicator_code", "iso3", "year", "dimension", "admin1_code",
                                               "estimate", "source_code"],
    "coverage/tracer_subgroups_by_year": ["indicator_code", "dimension", "subgroup", "subgroup_order", "admin1_code",
                                          "year", "estimate", "source_code"],
    "coverage/cascade_values_by_indicator_year": ["indicator_code", "year", "estimate", "source_code", "flag",
                                                  "short_name", "unit", "decimals"],
    "coverage/index_against_indicator_by_country": ["iso3", "name", "who_region", "income_group", "year", "value",
                                                    "source_code", "uhc_index", "index_code", "index_source_code"],
}


def test_queries_return_their_columns_without_uhc_data(fixture_db):
    params = {
        "coverage/index_series_by_year": dict(iso3="KEN", indicator_codes=["UHC_INDEX_COMPUTED"]),
        "coverage/tracer_values_by_country_year": dict(indicator_codes=["SH.IMM.IDPT"]),
        "coverage/tracer_subgroups_by_year": dict(iso3="KEN", indicator_codes=["SH.IMM.IDPT"],
                                                  dimensions=[contract.DIM_WEALTH], year=2020),
        "coverage/cascade_values_by_indicator_year": dict(iso3="KEN", indicator_codes=["MCV2"], year=2020),
        "coverage/index_against_indicator_by_country": dict(indicator_code="FX.COV", year=2020),
    }
    for name, columns in COLUMNS.items():
        frame = db.run(fixture_db.connection, name, **params[name])
        assert frame.empty and list(frame.columns) == columns, name


def test_subgroup_values_are_those_of_the_dimensions_asked_up_to_the_year(fixture_db):
    rows = db.run(fixture_db.connection, "coverage/tracer_subgroups_by_year", iso3="KEN", indicator_codes=["FX.COV"],
                  dimensions=[contract.DIM_WEALTH], year=2015)
    assert rows["subgroup"].tolist() == ["Quintile 1 (poorest)", "Quintile 2", "Quintile 3", "Quintile 4",
                                         "Quintile 5 (richest)"]
    assert rows["estimate"].tolist() == [50.0, 60.0, 70.0, 80.0, 90.0]
    assert db.run(fixture_db.connection, "coverage/tracer_subgroups_by_year", iso3="KEN", indicator_codes=["FX.COV"],
                  dimensions=[contract.DIM_WEALTH], year=2014).empty


def test_cascade_values_stop_at_the_year_and_skip_suppressed_values(fixture_db):
    rows = db.run(fixture_db.connection, "coverage/cascade_values_by_indicator_year", iso3="KEN",
                  indicator_codes=["FX.COV", "FX.MORT"], year=2012)
    assert list(zip(rows["indicator_code"], rows["year"], rows["estimate"])) == [
        ("FX.COV", 2010, 60.0), ("FX.COV", 2012, 64.0), ("FX.MORT", 2010, 50.0)]
    assert set(rows["unit"]) == {"%", "per 1,000 live births"}
    suppressed = db.run(fixture_db.connection, "coverage/cascade_values_by_indicator_year", iso3="BRA",
                        indicator_codes=["FX.COV"], year=2015)
    assert suppressed.empty
