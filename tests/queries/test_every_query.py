"""Every query file the app can run parses, states its grain, and runs on the fixture warehouse."""

import pandas as pd
import pytest

from dashboard import db, sql

# Sample parameters for every app query; a new query without an entry here fails the test below.
SAMPLE_PARAMS = {
    "indicators/catalogue_by_indicator": {},
    "countries/catalogue_by_country": {},
    "indicators/latest_by_country": dict(indicator_code="FX.COV", year=2015, who_regions=[], income_groups=[]),
    "sources/sources_by_code": dict(source_codes=["FIXTURE_REAL"]),
    "sources/inventory_by_source": {},
    "indicators/trend_by_country_year": dict(indicator_codes=["FX.COV"], iso3_codes=["KEN", "NOR"]),
    "indicators/reference_medians_by_year": dict(indicator_codes=["FX.COV"], who_region="AFR", income_group="Lower middle income",
                                                 min_countries=1, min_share=0.5),
    "equity/countries_with_subgroups_by_country": {},
    "equity/dimensions_by_indicator": dict(iso3="KEN"),
    "equity/subgroups_by_year": dict(iso3="KEN", indicator_code="FX.COV", dimension="Sex"),
    "equity/subgroups_by_country_year": dict(indicator_code="FX.COV", dimension="Sex", year=2015, who_regions=[], income_groups=[]),
    "profile/latest_by_indicator": dict(iso3="KEN", earlier_years=5),
    "profile/peer_standing_by_indicator_group": dict(iso3="KEN"),
    "profile/series_by_indicator_year": dict(iso3="KEN"),
    "profile/wealth_gap_by_indicator": dict(iso3="KEN"),
    "profile/capacity_respondents_by_survey": dict(iso3="KEN", threshold=5),
    "capacity/surveys_by_code": {},
    "capacity/items_by_survey": dict(survey_code="FX_SURVEY"),
    "capacity/summary_by_group": dict(survey_code="FX_SURVEY", iso3_codes=["KEN"], by_fields=["gender"], threshold=5),
    "capacity/distribution_by_group": dict(survey_code="FX_SURVEY", iso3_codes=[], by_fields=["country"],
                                           item_code="I1", threshold=5),
    "capacity/change_by_item": dict(survey_code="FX_SURVEY", previous_code="FX_SURVEY", iso3_codes=[], threshold=5),
    "capacity/asset_against_indicator_by_country": dict(survey_code="FX_SURVEY", level="individual",
                                                        indicator_code="FX.COV", threshold=5),
    "profile/capacity_summary_by_level": dict(iso3="KEN", survey_code="FX_SURVEY", min_respondents=5),
    "coverage/index_series_by_year": dict(iso3="KEN", indicator_codes=["UHC_INDEX_COMPUTED", "FX.COV"]),
    "coverage/tracer_values_by_country_year": dict(indicator_codes=["FX.COV", "SH.IMM.IDPT"]),
    "coverage/tracer_subgroups_by_year": dict(iso3="KEN", indicator_codes=["FX.COV"],
                                              dimensions=["Economic status (wealth quintile)", "Sex"], year=2015),
    "coverage/cascade_values_by_indicator_year": dict(iso3="KEN", indicator_codes=["FX.COV", "FX.MORT"], year=2015),
    "coverage/index_against_indicator_by_country": dict(indicator_code="FX.COV", year=2015),
}
_EXTRACT = dict(indicator_codes=["FX.COV"], iso3_codes=[], who_regions=[], income_groups=[], wb_regions=[],
                year_from=2000, year_to=2020, dimensions=["Total"], subgroups=[], subnational=False)
SAMPLE_PARAMS.update({"extract/values_by_selection": _EXTRACT, "extract/count_by_selection": _EXTRACT,
                      "extract/subgroups_by_dimension": {}})
EXTRA_PARAMS: dict = {}


def all_samples() -> dict:
    return {**SAMPLE_PARAMS, **EXTRA_PARAMS}


@pytest.mark.parametrize("name", sql.all_names())
def test_query_runs_with_its_parameters(fixture_db, name):
    samples = all_samples()
    assert name in samples, f"add sample parameters for {name} to tests/queries/test_every_query.py"
    query = sql.load(name)
    assert query.params == set(samples[name]), f"{name} uses {sorted(query.params)}"
    frame = db.run(fixture_db.connection, name, **samples[name])
    assert list(frame.columns), f"{name} returned no columns"


def test_every_sample_names_an_existing_query():
    assert set(all_samples()) <= set(sql.all_names())


def test_no_app_query_repeats_the_national_value_rule():
    """The national-value rule lives in one place, the national_value view (queries/warehouse/views.sql)."""
    for name in sql.all_names():
        code = sql._NOT_CODE.sub(" ", sql.load(name).text)
        assert "'Total'" not in code or "national_value" in code and "dimension = 'Total'" not in code, name


def test_national_value_view_is_the_total_at_national_level(fixture_db):
    cursor = fixture_db.connection.cursor()
    view = cursor.execute("select count(*) from national_value").fetchone()[0]
    direct = cursor.execute("select count(*) from fct_indicator_value "
                            "where dimension = 'Total' and admin1_code is null").fetchone()[0]
    assert view == direct > 0


def test_accessors_are_named_like_their_query_files():
    """data.<stem>() runs <folder>/<stem>.sql: an accessor is found from its query's name and back."""
    import ast
    import inspect

    from dashboard import data

    tree = ast.parse(inspect.getsource(data))
    pairs = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
            for call in ast.walk(node):
                if (isinstance(call, ast.Call) and getattr(call.func, "id", None) in ("run", "run_shared") and call.args
                        and isinstance(call.args[0], ast.Constant)):
                    pairs[node.name] = call.args[0].value
    assert len(pairs) >= 15
    assert {name: query.split("/")[-1] for name, query in pairs.items()} == {name: name for name in pairs}
    assert set(pairs.values()) <= set(sql.all_names())


def test_national_by_country_holds_the_national_values_ordered_by_country(fixture_db):
    cursor = fixture_db.connection.cursor()
    view = cursor.execute("select iso3, indicator_code, year, estimate from national_value order by all").df()
    table = cursor.execute("select iso3, indicator_code, year, estimate from national_by_country order by all").df()
    assert len(table) > 0
    pd.testing.assert_frame_equal(view, table)  # nulls (suppressed values) compare equal here


def test_agg_latest_is_each_countrys_latest_value_with_its_history(demo_db):
    cursor = demo_db.connection.cursor()
    direct = cursor.execute("""
        select indicator_code, iso3, max(year) as year, arg_max(estimate, year) as estimate, count(*) as n
        from national_value where estimate is not null group by all order by all""").df()
    summary = cursor.execute("""
        select indicator_code, iso3, year, estimate, len(history) as n from agg_latest order by all""").df()
    assert len(direct) > 5000
    pd.testing.assert_frame_equal(direct, summary)
    kenya = cursor.execute("""select history from agg_latest where indicator_code = 'SH.IMM.IDPT' and iso3 = 'KEN'
                              """).fetchone()[0]
    years = [h["year"] for h in kenya]
    assert years == sorted(years) and len(years) > 10
