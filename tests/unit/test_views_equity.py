"""Equity gaps views and HEAT tables: measures over years from warehouse rows, readings, subgroup changes, benchmark tables."""

import math

import pandas as pd
import pytest

from dashboard import contract, data, db, equity, filters
from dashboard.equity import presentation as heat
from dashboard.views import equity as view
from tests.fixtures.equity.warehouse import CODE, build_equity_fixture

WEALTH = contract.DIM_WEALTH
ORDERED = ["d", "r", "aci", "rci", "sii", "rii", "par", "paf"]
NON_ORDERED = ["d", "r", "bgv", "bgsd", "cov", "mdmu", "mdmw", "mdbu", "mdbw", "idisu", "idisw", "ti", "mld",
               "par", "paf"]


@pytest.fixture(scope="module")
def equity_db(tmp_path_factory) -> db.Warehouse:
    return db.open_read_only(build_equity_fixture(tmp_path_factory.mktemp("equity_view")))


def subgroups(warehouse, iso3, code, dimension) -> pd.DataFrame:
    return db.run(warehouse.connection, "equity/subgroups_by_year", iso3=iso3, indicator_code=code,
                  dimension=dimension)


@pytest.fixture(scope="module")
def ken_wealth(fixture_db) -> pd.DataFrame:
    return subgroups(fixture_db, "KEN", "FX.COV", WEALTH)


@pytest.fixture(scope="module")
def ken_measures(ken_wealth) -> pd.DataFrame:
    return equity.measures_by_year(ken_wealth).set_index(["year", "measure"])


def test_difference_and_ratio_of_the_fixture_quintiles(ken_measures):
    d, r = ken_measures.loc[(2015, "d")], ken_measures.loc[(2015, "r")]
    assert d["estimate"] == pytest.approx(40.0)  # richest 90 minus poorest 50
    assert d["se"] == pytest.approx(math.hypot(2.0, 2.0))
    assert d["ci_lower"] == pytest.approx(40 - 1.959964 * math.hypot(2.0, 2.0), rel=1e-6)
    assert r["estimate"] == pytest.approx(1.8)  # 90 / 50
    assert d["name"] == "Difference" and r["name"] == "Ratio"


def test_regression_measures_agree_with_summary_measures_on_the_same_rows(ken_wealth, ken_measures):
    direct = equity.summary_measures(ken_wealth).set_index("measure")
    for code in ("sii", "rii", "aci", "rci"):
        for column in ("estimate", "se", "ci_lower", "ci_upper"):
            assert ken_measures.loc[(2015, code), column] == pytest.approx(direct.loc[code, column], rel=1e-12)
    assert ken_measures.loc[(2015, "sii"), "estimate"] > 40  # the modelled gap exceeds the raw one here


def test_attributable_measures_use_the_national_value_as_setting_average(ken_measures):
    # The national FX.COV value of KEN in 2015 is 70 (same source), not the weighted mean 67.5.
    assert ken_measures.loc[(2015, "par"), "estimate"] == pytest.approx(90 - 70)
    assert ken_measures.loc[(2015, "paf"), "estimate"] == pytest.approx(100 * 20 / 70)


def test_measure_options_follow_the_kind_of_dimension(fixture_db, equity_db, ken_measures):
    assert view.measure_options(ken_measures.reset_index()) == ORDERED
    sex = equity.measures_by_year(subgroups(fixture_db, "KEN", "FX.COV", contract.DIM_SEX))
    assert view.measure_options(sex) == ["d", "r", "par", "paf"]
    regions = equity.measures_by_year(subgroups(equity_db, "KEN", CODE, contract.DIM_SUBNATIONAL))
    assert view.measure_options(regions) == NON_ORDERED
    assert sorted(set(regions["year"])) == [2010, 2015]


def test_readings_compare_each_year_with_the_previous_one(equity_db):
    rows = subgroups(equity_db, "KEN", CODE, WEALTH)
    measures = equity.measures_by_year(rows)
    lines = view.readings(measures, rows, "d", indicator_name="Equity coverage", unit="%", dimension=WEALTH)
    assert lines["year"].tolist() == [2010, 2015]
    assert lines["reading"].tolist() == [
        "Equity coverage among Quintile 5 (richest) is 40 points (95% CI 34–46) higher than among "
        "Quintile 1 (poorest)",
        "Equity coverage among Quintile 5 (richest) is 40 points (95% CI 34–46) higher than among "
        "Quintile 1 (poorest), unchanged from 40 in 2010",
    ]
    sii = view.readings(measures, rows, "sii", indicator_name="Equity coverage", unit="%", dimension=WEALTH)
    assert "economic status (wealth quintile) scale" in sii["reading"].iloc[1]
    assert "at the top (Quintile 5 (richest))" in sii["reading"].iloc[1] and "in 2010" in sii["reading"].iloc[1]


def frame(subgroups, estimates, *, ordered=False, favourable=True, reference=None, year=2020):
    return pd.DataFrame({
        "year": year, "subgroup": subgroups, "estimate": estimates, "se": 1.0, "population": 100.0,
        "subgroup_order": list(range(1, len(subgroups) + 1)) if ordered else None,
        "ordered_dimension": ordered, "reference_subgroup": [s == reference for s in subgroups],
        "favourable_indicator": favourable, "indicator_scale": 100,
    })


def test_subgroup_labels_name_the_pair_each_measure_compares():
    quintiles = frame(["Q1", "Q2", "Q3"], [30.0, 20.0, 10.0], ordered=True, favourable=False)
    assert view.subgroup_labels(quintiles, "d") == ("Q3", "Q1")  # adverse: disadvantaged minus advantaged
    assert view.subgroup_labels(quintiles, "sii") == ("Q1", "Q3")  # bottom and top of the scale
    assert view.subgroup_labels(quintiles, "par") == ("Q3", "Q3")  # the reference is the most advantaged
    regions = frame(["North", "South", "East"], [50.0, 80.0, 65.0])
    assert view.subgroup_labels(regions, "d") == ("North", "South")
    assert view.subgroup_labels(regions, "par")[1] == "South"  # best performing
    adverse = frame(["North", "South", "East"], [50.0, 80.0, 65.0], favourable=False)
    assert view.subgroup_labels(adverse, "paf")[1] == "North"
    referenced = frame(["Urban", "Rural"], [80.0, 60.0], reference="Urban")
    assert view.subgroup_labels(referenced, "d") == ("Rural", "Urban")


def test_subgroup_changes_name_years_and_subgroups_added_and_removed():
    rows = pd.concat([frame(["A", "B", "C"], [1.0, 2, 3], year=2005), frame(["A", "B", "C"], [1.0, 2, 3], year=2010),
                      frame(["A", "B1", "B2", "C"], [1.0, 2, 3, 4], year=2016),
                      frame(["A", "B1", "B2"], [1.0, 2, None], year=2021)])
    changes = view.subgroup_changes(rows)
    assert changes.to_dict("records") == [
        {"year_before": 2010, "year": 2016, "added": ["B1", "B2"], "removed": ["B"]},
        {"year_before": 2016, "year": 2021, "added": [], "removed": ["C"]},
    ]
    message = view.change_message(changes, "Subnational region")
    assert message.endswith("2010 → 2016: added B1, B2; removed B. 2016 → 2021: removed C.")
    assert message.startswith("The Subnational region subgroups change between survey years")


def test_no_change_gives_no_message_and_long_lists_are_shortened():
    steady = pd.concat([frame(["A", "B"], [1.0, 2], year=y) for y in (2000, 2005)])
    assert view.subgroup_changes(steady).empty and view.change_message(view.subgroup_changes(steady), "Sex") is None
    many = [f"R{i:02d}" for i in range(11)]
    rows = pd.concat([frame(["R"], [1.0], year=2000), frame(many, [1.0] * 11, year=2005)])
    assert "added R00, R01, R02, R03, R04, R05, R06, R07 and 3 more; removed R." in view.change_message(
        view.subgroup_changes(rows), "Region")


def test_changes_found_in_warehouse_rows_of_a_split_region(equity_db):
    changes = view.subgroup_changes(subgroups(equity_db, "KEN", CODE, contract.DIM_SUBNATIONAL))
    assert changes.to_dict("records") == [
        {"year_before": 2010, "year": 2015, "added": ["Rift North", "Rift South"], "removed": ["Rift"]}]


def test_latest_table_lists_every_applicable_measure_with_ci_and_description(ken_measures):
    table = view.latest_table(ken_measures.reset_index(), indicator_unit="%", indicator_decimals=1).set_index("Code")
    assert table.index.tolist() == [code.upper() for code in ORDERED]
    assert table.loc["D", ["Estimate", "CI lower", "CI upper"]].tolist() == [40.0, 34.5, 45.5]
    assert table.loc["R", "Estimate"] == 1.8 and table.loc["D", "Unit"] == "percentage points"
    assert table.loc["RII", "Unit"] == "ratio (1 = equality)"
    assert table.loc["SII", "What it measures"] == equity.MEASURES["sii"].description
    assert set(table["Year"]) == {2015}


@pytest.mark.parametrize("code,favourable,worse", [
    ("d", True, True), ("d", False, True), ("r", False, True), ("bgv", True, True), ("ti", False, True),
    ("sii", True, True), ("sii", False, False), ("rci", False, False), ("par", True, True), ("paf", False, False),
])
def test_larger_is_worse_for_gaps_and_follows_the_indicator_for_signed_measures(code, favourable, worse):
    assert heat.worse_when_larger(code, favourable) is worse


def test_units_decimals_and_equality_of_measures():
    assert heat.measure_unit("d", "%") == "percentage points"
    assert heat.measure_unit("bgv", "%") == "squared percentage points"
    assert heat.measure_unit("sii", "per 1,000 live births") == "per 1,000 live births"
    assert heat.measure_unit("paf", "%") == "% of the setting average"
    assert [heat.measure_decimals(c, 1) for c in ("r", "d", "rci", "sii")] == [2, 1, 1, 1]
    assert heat.measure_decimals("d", 0) == 1 and heat.measure_decimals("d", 2) == 2
    assert heat.equality_value("rii") == 1.0 and heat.equality_value("aci") == 0.0


@pytest.fixture(scope="module")
def benchmark_rows(equity_db) -> pd.DataFrame:
    return db.run(equity_db.connection, "equity/subgroups_by_country_year", indicator_code=CODE, dimension=WEALTH,
                  year=2016, who_regions=[], income_groups=[])


def test_benchmark_measures_per_country_with_the_national_average(benchmark_rows):
    out = equity.benchmark_measures(benchmark_rows).set_index(["iso3", "measure"])
    assert out.loc[("KEN", "d"), "estimate"] == pytest.approx(40.0)
    assert out.loc[("UGA", "d"), "estimate"] == pytest.approx(20.0)  # 65 - 45 in 2016
    assert out.loc[("NOR", "d"), "estimate"] == pytest.approx(4.0)
    assert out.loc[("KEN", "d"), ["national", "national_basis"]].tolist() == [70.0, "national value"]
    # No national UGA value in 2016: the population-weighted mean of the quintiles.
    assert out.loc[("UGA", "d"), "national"] == pytest.approx((45 * 1000 + 50 * 900 + 55 * 800 + 60 * 700
                                                                 + 65 * 600) / 4000)
    assert out.loc[("UGA", "d"), "national_basis"] == "weighted mean of subgroups"
    assert out.loc[("UGA", "sii"), "estimate"] == pytest.approx(
        equity.summary_measures(benchmark_rows[benchmark_rows["iso3"] == "UGA"]).set_index("measure").loc[
            "sii", "estimate"], rel=1e-12)
    assert math.isnan(out.loc[("TZA", "d"), "estimate"]) and "most disadvantaged" in out.loc[("TZA", "d"), "note"]
    assert set(out.index.get_level_values("measure")) == set(ORDERED)


def test_benchmark_table_keeps_the_group_and_marks_the_chosen_country(benchmark_rows, equity_db):
    countries = db.run(equity_db.connection, "countries/catalogue_by_country")
    scores = equity.benchmark_measures(benchmark_rows)
    table = view.benchmark_table(scores, countries, "d", selected="KEN", year=2016, who_regions=["AFR"])
    assert set(table["who_region"]) == {"AFR"} and len(table) == (countries["who_region"] == "AFR").sum()
    valued = table[table["estimate"].notna()]
    assert valued["iso3"].tolist() == ["UGA", "KEN"]  # lowest first
    assert valued["data_age"].tolist() == [0, 1]
    assert table.loc[table["is_selected"], "iso3"].tolist() == ["KEN"]
    assert table.set_index("iso3").loc["TZA", "note"].startswith("estimate missing")
    income = view.benchmark_table(scores, countries, "d", selected="UGA", year=2016, income_groups=["Low income"])
    assert income[income["estimate"].notna()]["iso3"].tolist() == ["UGA"]
    assert view.missing_note(table, "KEN", {"KEN": "Kenya"}) == ""
    assert view.missing_note(table, "TZA", {"TZA": "Tanzania"}).startswith(
        " Tanzania has no estimate here: estimate missing for the most disadvantaged")


def test_benchmark_group_is_the_countrys_region_or_income_group():
    countries = pd.DataFrame({"iso3": ["KEN", "XKX"], "name": ["Kenya", "Kosovo"], "who_region": ["AFR", None],
                              "income_group": ["Lower middle income", None]})
    assert view.benchmark_group(countries, "KEN", "region") == (["AFR"], [], "countries of the WHO African Region")
    assert view.benchmark_group(countries, "KEN", "income") == ([], ["Lower middle income"],
                                                                "lower middle income countries")
    assert view.benchmark_group(countries, "XKX", "region") == (
        [], [], "countries worldwide (Kosovo has no WHO region on record)")


def test_year_span_and_defaults(fixture_db):
    dims = db.run(fixture_db.connection, "equity/dimensions_by_indicator", iso3="KEN")
    assert view.year_span(view.pairs(dims, "FX.COV"), WEALTH) == range(2015, 2016)
    assert view.indicator_labels(dims) == {"FX.COV": "Fixture coverage (%)"}
    with pytest.raises(KeyError, match="Education"):
        view.year_span(dims, contract.DIM_EDUCATION)
    assert filters.first_of(["SH.IMM.IDPT", "FX.COV"], ["FX.MORT", "FX.COV"]) == "FX.COV"
    assert filters.first_of(["NOPE"], ["FX.MORT", "FX.COV"]) == "FX.MORT"


def test_cached_measures_match_the_pure_computation(fixture_warehouse, use_warehouse, ken_wealth):
    use_warehouse(fixture_warehouse)
    cached = data.measures_by_year("KEN", "FX.COV", WEALTH)
    pd.testing.assert_frame_equal(cached, equity.measures_by_year(ken_wealth))
    bench = data.benchmark_measures("FX.COV", WEALTH, 2015, ["AFR"], [], measure="d")
    assert bench["measure"].tolist() == ["d"]  # only the measure shown is computed
    assert bench.set_index("measure").loc["d", "estimate"] == pytest.approx(40.0)
    assert bench["iso3"].unique().tolist() == ["KEN"]
    every = equity.benchmark_measures(data.subgroups_by_country_year("FX.COV", WEALTH, 2015, ["AFR"], []))
    for code in ("sii", "rii", "aci"):  # each alone equals its row among all measures
        alone = data.benchmark_measures("FX.COV", WEALTH, 2015, ["AFR"], [], measure=code)
        pd.testing.assert_frame_equal(alone.reset_index(drop=True),
                                      every[every["measure"] == code].reset_index(drop=True))


def test_intervals_that_look_wrong_carry_a_note_saying_why():
    measures = pd.DataFrame({
        "year": [2020] * 4, "measure": ["bgsd", "bgv", "d", "cov"], "name": ["", "", "", ""],
        "estimate": [4.0, 2.0, 3.0, float("nan")], "se": [None, 1.5, 1.0, None],
        "ci_lower": [4.5, -0.9, 1.0, None], "ci_upper": [7.0, 4.9, 5.0, None],
        "note": [None, None, None, "no 95% CI: estimates outside 0..100 cannot be simulated"]})
    table = view.latest_table(measures, indicator_unit="%", indicator_decimals=1).set_index("Code")
    assert table.loc["BGSD", "Note"].startswith("The 95% CI excludes the estimate")  # simulated, 4.5..7 vs 4
    assert table.loc["BGV", "Note"].startswith("The CI's lower bound is below 0")
    assert table.loc["D", "Note"] == ""  # an ordinary interval
    assert table.loc["COV", "Note"].startswith("no 95% CI")  # the computed reason is kept
    assert view.one_measure(measures, "bgsd")["note"].iloc[0].startswith("The 95% CI excludes")
    assert "100 simulations" in heat.interval_caption("mdbu")
    assert heat.interval_caption("d") == ""


def test_readings_write_the_indicator_in_sentence_case_but_keep_acronyms():
    from dashboard import catalogue
    assert catalogue.in_sentence("Births attended by skilled health personnel") == \
        "births attended by skilled health personnel"
    assert catalogue.in_sentence("DTP3 coverage") == "DTP3 coverage"
    row = {"year": 2020, "measure": "d", "estimate": 12.0, "se": 1.0, "ci_lower": 10.0, "ci_upper": 14.0, "note": None}
    measures = pd.DataFrame([row])
    rows = pd.DataFrame({"year": [2020, 2020], "subgroup": ["Poorest", "Richest"], "subgroup_order": [1, 5],
                         "estimate": [50.0, 62.0], "se": [1.0, 1.0], "population": [1.0, 1.0],
                         "favourable_indicator": [True, True], "ordered_dimension": [True, True],
                         "reference_subgroup": [0, 0], "indicator_scale": [100, 100], "setting_average": [55.0, 55.0]})
    def reading(code):
        chosen = measures.assign(measure=code)
        return view.readings(chosen, rows, code, indicator_name="Births attended by skilled health personnel",
                             unit="%", dimension="Economic status (wealth quintile)")["reading"].iloc[0]

    assert reading("d").startswith("Births attended by skilled health personnel among Richest")  # sentence start
    assert "variance of births attended by skilled health personnel across" in reading("bgv")  # mid-sentence
