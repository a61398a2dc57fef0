"""Every chart function builds a valid Vega-Lite spec from real query results, and the spec compiles to Vega.

A new chart function without a sample here fails `test_every_chart_function_has_a_sample`.
"""

import inspect
import json

import pytest
import vl_convert as vlc
from altair.utils.schemapi import validate_jsonschema
from altair.vegalite.v6.schema import load_schema

from dashboard import catalogue, db, equity, geo, uhc
from dashboard.charts import capacity as capacity_charts
from dashboard.charts import country, export, maps, overview, trends
from dashboard.charts import coverage as coverage_charts
from dashboard.charts import equity as equity_charts
from dashboard.uhc import warehouse as uhc_warehouse
from dashboard.views import capacity as capacity_view
from dashboard.views import country as country_view
from dashboard.views import coverage as coverage_view
from dashboard.views import equity as equity_view
from dashboard.views import overview as overview_view
from dashboard.views import regions as regions_view
from dashboard.views import trends as trends_view

MODULES = (capacity_charts, country, coverage_charts, equity_charts, maps, overview, trends)
NOTE = "Source: Synthetic demo data — not real measurements (CC0-1.0)"


def _run(demo_db, name, **params):
    return db.run(demo_db.connection, name, **params)


def _equity_rows(demo_db):
    return _run(demo_db, "equity/subgroups_by_year", iso3="KEN", indicator_code="SH.IMM.IDPT",
                dimension="Economic status (wealth quintile)")


def _benchmark(demo_db):
    rows = _run(demo_db, "equity/subgroups_by_country_year", indicator_code="SH.IMM.IDPT",
                dimension="Economic status (wealth quintile)", year=2024, who_regions=["AFR"], income_groups=[])
    countries = _run(demo_db, "countries/catalogue_by_country")
    return equity_view.benchmark_table(equity.benchmark_measures(rows), countries, "d", selected="KEN", year=2024,
                                       who_regions=["AFR"])


def _region_map(demo_db):
    rows = _run(demo_db, "equity/subgroups_by_year", iso3="BRA", indicator_code="SH.IMM.IDPT",
                dimension="Subnational region")
    shapes = geo.admin1_layer()["BRA"]
    result = regions_view.region_values(rows, [(f["id"], f["properties"]["name"]) for f in shapes["features"]])
    return maps.region_choropleth(result.mapped, shapes=shapes, reference=result.reference, title="DTP3 coverage",
                                  unit="%", decimals=0, favourable=True, heading="Brazil: DTP3 coverage (%) by region")


def _latest(demo_db):
    return _run(demo_db, "indicators/latest_by_country", indicator_code="SH.IMM.IDPT", year=2024, who_regions=[],
                income_groups=[])


def _trend(demo_db):
    series = _run(demo_db, "indicators/trend_by_country_year", indicator_codes=["SH.IMM.IDPT"],
                  iso3_codes=["KEN", "UGA"])
    medians = _run(demo_db, "indicators/reference_medians_by_year", indicator_codes=["SH.IMM.IDPT"],
                   who_region="AFR", income_group="Lower middle income", min_countries=5, min_share=0.6)
    return trends_view.plot_frame(series, medians, order=["KEN", "UGA"], start=2000, end=2024)


def _panels(demo_db):
    indicators = _run(demo_db, "indicators/catalogue_by_indicator")
    series = _run(demo_db, "indicators/trend_by_country_year", indicator_codes=[], iso3_codes=["KEN"])
    codes = trends_view.panel_codes(indicators, block="Health workforce")
    return trends_view.panel_frame(series, series.head(0).assign(reference=None, reference_group=None, countries=None,
                                                                 observed=None),
                                   indicators, codes=codes, start=2000, end=2024)


def _capacity(demo_db):
    survey = _run(demo_db, "profile/capacity_respondents_by_survey", iso3="KEN", threshold=10).iloc[0]
    summary = _run(demo_db, "profile/capacity_summary_by_level", iso3="KEN", survey_code=survey["survey_code"],
                   min_respondents=5)
    return country_view.capacity_points(summary)


def _tracer_scores(demo_db):
    tracer_map = catalogue.uhc_tracers()
    values = uhc_warehouse.tracer_values(_run(demo_db, "coverage/tracer_values_by_country_year",
                                              indicator_codes=sorted(set(tracer_map["indicator_code"]))), tracer_map)
    countries = _run(demo_db, "countries/catalogue_by_country")
    return uhc.country_scores(values[["iso3", "year", "tracer", "value"]], "KEN", 2022,
                              regions=dict(zip(countries["iso3"], countries["who_region"])))


def _index_series(demo_db):
    return coverage_view.index_series(_run(demo_db, "coverage/index_series_by_year", iso3="KEN",
                                           indicator_codes=list(coverage_view.INDEX_CODES)))


def _subgroups(demo_db):
    rows = _run(demo_db, "coverage/tracer_subgroups_by_year", iso3="KEN", indicator_codes=coverage_view.subgroup_codes(),
                dimensions=[coverage_view.DIMENSIONS["wealth"]], year=2024)
    return coverage_view.subgroup_table(coverage_view.subgroup_results(rows), coverage_view.DIMENSIONS["wealth"])


def _peers(demo_db, code):
    rows = _run(demo_db, "coverage/index_against_indicator_by_country", indicator_code=code, year=2024)
    return coverage_view.peer_table(rows, "KEN")


SAMPLES = {
    "quintile_dots": lambda d: country.quintile_dots(
        country_view.quintile_points(_run(d, "profile/wealth_gap_by_indicator", iso3="KEN").iloc[0]),
        title="Kenya: gap", unit="%", decimals=1),
    "capacity_dumbbell": lambda d: country.capacity_dumbbell(_capacity(d), score_min=1, score_max=5, title="Kenya"),
    "equiplot": lambda d: equity_charts.equiplot(_equity_rows(d), title="Kenya: DTP3", unit="%", decimals=1,
                                              show_ci=True, dimension="Economic status"),
    "measure_trend": lambda d: equity_charts.measure_trend(
        equity_view.one_measure(equity.measures_by_year(_equity_rows(d)), "d"), title="Difference",
        scale="percentage points", decimals=1, equality=0.0),
    "benchmark_scatter": lambda d: equity_charts.benchmark_scatter(
        equity_view.with_estimate(_benchmark(d)), x_title="DTP3 (%)", y_title="D (pp)", x_decimals=1,
        y_decimals=1, equality=0.0),
    "choropleth": lambda d: maps.choropleth(_latest(d), topology=geo.world_topology(), feature=geo.WORLD_OBJECT,
                                            title="DTP3 coverage", unit="%", decimals=0, favourable=True),
    "region_choropleth": lambda d: _region_map(d),
    "by_region": lambda d: overview.by_region(overview_view.with_region_names(_latest(d)), title="DTP3 coverage",
                                              unit="%", decimals=0),
    "trend_lines": lambda d: trends.trend_lines(_trend(d), title="DTP3 coverage", unit="%", decimals=0,
                                                years=(2000, 2024)),
    "indicator_panels": lambda d: trends.indicator_panels(_panels(d), title="Kenya: Health workforce",
                                                          years=(2000, 2024)),
    "index_panels": lambda d: coverage_charts.index_panels(_index_series(d), title="Kenya: UHC index", year=2022),
    "tracer_bars": lambda d: coverage_charts.tracer_bars(coverage_view.tracer_table(_tracer_scores(d)),
                                                         title="Kenya, 2022: tracer scores"),
    "gain_bars": lambda d: coverage_charts.gain_bars(coverage_view.gains(_tracer_scores(d), {"dtp3": 95.0}),
                                                     title="Kenya: gains", points=10),
    "subgroup_dots": lambda d: coverage_charts.subgroup_dots(_subgroups(d), title="Kenya: RMNCH by wealth",
                                                             subtitle="Dashed: national", reference=60.0,
                                                             reference_label="National"),
    "cascade_bars": lambda d: coverage_charts.cascade_bars(coverage_view.cascade_table(_run(
        d, "coverage/cascade_values_by_indicator_year", iso3="KEN", indicator_codes=coverage_view.cascade_codes(),
        year=2024)), title="Kenya: care cascades"),
    "index_scatter": lambda d: coverage_charts.index_scatter(
        _peers(d, coverage_view.CATASTROPHIC), **coverage_view.scatter_options(
            coverage_view.CATASTROPHIC, _peers(d, coverage_view.CATASTROPHIC), 2024)),
}

CAPACITY = "DEMO_HPSR_CAPACITY_2023"


def _cap(demo_db, by=(), iso3=()):
    return _run(demo_db, "capacity/summary_by_group", survey_code=CAPACITY, iso3_codes=list(iso3), by_fields=list(by),
                threshold=10)


SAMPLES.update({
    "heatmap": lambda d: capacity_charts.heatmap(capacity_view.heatmap_table(_cap(d), "gap"), title="Gap",
                                                 measure="gap", measure_title="Gap"),
    "ranked_bars": lambda d: capacity_charts.ranked_bars(capacity_view.ranked(_cap(d), "mean_asset"),
                                                         title="Strongest", value_title="Mean asset", kind="mean_asset"),
    "diverging_answers": lambda d: capacity_charts.diverging_answers(capacity_view.distribution_table(_run(
        d, "capacity/distribution_by_group", survey_code=CAPACITY, iso3_codes=[], by_fields=["gender"],
        item_code="IND01", threshold=10), "gender"), title="Answers"),
    "difference_dots": lambda d: capacity_charts.difference_dots(capacity_view.comparison_table(
        _cap(d, ["gender"]), "gender", "Female", "Male", "mean_asset"), title="Female against Male", subtitle="95%"),
    "change_bars": lambda d: capacity_charts.change_bars(capacity_view.change_table(_run(
        d, "capacity/change_by_item", survey_code=CAPACITY, previous_code="DEMO_HPSR_CAPACITY_2020", iso3_codes=[],
        threshold=10)), title="Change", subtitle="95%"),
    "capacity_scatter": lambda d: capacity_charts.capacity_scatter(capacity_view.scatter_table(_run(
        d, "capacity/asset_against_indicator_by_country", survey_code=CAPACITY, level="organisational",
        indicator_code="UHC_INDEX_COMPUTED", threshold=10)), title="Asset", x_title="UHC index", y_title="Asset"),
})


def chart_functions() -> dict[str, object]:
    """Public functions of the chart modules that return a chart or a spec."""
    found = {}
    for module in MODULES:
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ != module.__name__ or name.startswith("_"):
                continue
            returns = str(inspect.signature(function).return_annotation)
            if "Chart" in returns or returns == "dict":
                found[name] = function
    return found


def test_every_chart_function_has_a_sample():
    assert set(chart_functions()) == set(SAMPLES)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_chart_builds_a_valid_spec_that_compiles(demo_db, name):
    spec = export.with_note(export.to_spec(SAMPLES[name](demo_db)), NOTE)
    validate_jsonschema(json.loads(json.dumps(spec, default=str)), load_schema())
    datasets = spec.get("datasets", {})
    assert datasets and all(len(rows) > 0 for rows in datasets.values()), f"{name} has an empty dataset"
    vega = vlc.vegalite_to_vega(spec)
    assert vega["marks"], f"{name} compiles to no marks"
    assert NOTE in json.dumps(vega.get("title", vega), ensure_ascii=False)
