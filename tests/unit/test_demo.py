"""The demo source is honest (all synthetic), complete, deterministic and plausible."""

import numpy as np
import pandas as pd
import pytest

from dashboard import catalogue, contract, uhc
from dashboard.sources import demo
from dashboard.uhc import warehouse as uhc_warehouse


@pytest.fixture(scope="module")
def generated():
    source = demo.generate(scale=1, last_year=2024)
    return source, next(source.value_chunks())


def test_every_demo_value_and_survey_is_marked_synthetic(generated):
    source, values = generated
    assert set(values["source_code"]) == {demo.SOURCE_CODE}
    assert source.source["is_synthetic"].tolist() == [True]
    assert set(source.survey_tables["dim_survey"]["source_code"]) == {demo.SOURCE_CODE}


def test_every_demo_row_is_synthetic_in_the_built_warehouse(demo_db):
    flags = demo_db.connection.execute(
        "select s.is_synthetic, count(*) from fct_indicator_value join dim_source s using (source_code) group by 1"
    ).fetchall()
    assert flags == [(True, demo_db.meta["row_counts"]["fct_indicator_value"])]
    assert demo_db.has_synthetic


def test_demo_covers_all_member_states_indicators_and_years(generated):
    _, values = generated
    assert values["iso3"].nunique() == 194
    assert values["indicator_code"].nunique() == len(catalogue.indicators()) >= 40
    assert values["year"].min() == 2000 and values["year"].max() == 2024


def test_demo_publishes_the_uhc_index_computed_from_its_own_tracers(generated):
    _, values = generated
    published = values[values["indicator_code"].isin(uhc_warehouse.PUBLISHED_CODES.values())]
    assert sorted(published["year"].unique()) == [2000, 2005, 2010, 2015, 2017, 2019, 2021, 2023]
    computed = uhc_warehouse.indicator_values(
        uhc.compute(uhc_warehouse.tracer_values(values, catalogue.uhc_tracers())[["iso3", "year", "tracer", "value"]],
                    regions=dict(zip(catalogue.countries()["iso3"], catalogue.countries()["who_region"]))),
        codes=uhc_warehouse.PUBLISHED_CODES)
    joined = published.merge(computed, on=["indicator_code", "iso3", "year"], suffixes=("", "_computed"))
    assert len(joined) == len(published) > 1000
    assert (joined["estimate"] == joined["estimate_computed"].round()).all()
    assert {"NCD_GLUC_01", "MH_6"} <= set(values["indicator_code"])


def test_demo_is_deterministic():
    first = next(demo.generate(scale=1, last_year=2020).value_chunks())
    second = next(demo.generate(scale=1, last_year=2020).value_chunks())
    pd.testing.assert_frame_equal(first, second)


def test_wealth_gradient_runs_the_right_way(generated):
    _, values = generated
    wealth = values[values["dimension"] == contract.DIM_WEALTH]
    favourable = dict(zip(catalogue.indicators()["indicator_code"], catalogue.indicators()["favourable_indicator"]))
    means = wealth.groupby(["indicator_code", "subgroup_order"])["estimate"].mean().unstack()
    for code, row in means.iterrows():
        if favourable[code]:
            assert row[5] > row[1], code
        else:
            assert row[5] < row[1], code


def test_disaggregated_rows_carry_heat_columns(generated):
    _, values = generated
    wealth = values[values["dimension"] == contract.DIM_WEALTH]
    assert wealth["ordered_dimension"].all() and set(wealth["subgroup_order"]) == {1, 2, 3, 4, 5}
    assert wealth["se"].notna().all() and wealth["population"].gt(0).all()
    residence = values[values["dimension"] == contract.DIM_RESIDENCE]
    assert set(residence.loc[residence["reference_subgroup"], "subgroup"]) == {"Urban"}
    regions = values[values["dimension"] == contract.DIM_SUBNATIONAL]
    assert regions["admin1_code"].notna().all()


def test_trends_move_slowly(generated):
    _, values = generated
    national = values[(values["dimension"] == "Total") & (values["indicator_code"] == "SH.IMM.IDPT")]
    wide = national.pivot(index="iso3", columns="year", values="estimate")
    jumps = wide.diff(axis=1).abs().stack()
    assert jumps.median() < 1.5 and jumps.quantile(0.99) < 8


def test_income_groups_are_ordered_on_under5_mortality(generated):
    _, values = generated
    u5 = values[(values["indicator_code"] == "SH.DYN.MORT") & (values["dimension"] == "Total")
                & (values["year"] == 2020)]
    income = u5.merge(catalogue.countries(), on="iso3").groupby("income_group")["estimate"].median()
    assert income["Low income"] > income["Lower middle income"] > income["Upper middle income"] > income["High income"]


def test_scale_multiplies_indicators(generated):
    source, values = generated
    bigger = demo.generate(scale=3, last_year=2024)
    # copies carry every drawn indicator; the UHC index is published for the base copy only
    assert len(bigger.indicators) == len(source.indicators) + 2 * len(demo.generated_indicators())
    chunks = list(bigger.value_chunks())
    assert len(chunks) == 3 and abs(len(chunks[2]) / len(values) - 1) < 0.1
    assert chunks[2]["indicator_code"].str.endswith("~003").all()


def test_values_within_plausible_range(generated):
    _, values = generated
    ranges = catalogue.indicators().set_index("indicator_code")[["plausible_min", "plausible_max"]]
    joined = values.join(ranges, on="indicator_code")
    inside = joined["estimate"].between(joined["plausible_min"], joined["plausible_max"]) | joined["estimate"].isna()
    assert inside.all()
    assert np.all((joined["ci_lower"] <= joined["estimate"]) | joined["ci_lower"].isna())


WGI = ["GE.EST", "CC.EST", "VA.EST", "RQ.EST", "RL.EST", "PV.EST"]


def test_governance_estimates_stay_within_the_wgi_scale_and_follow_income(generated):
    _, values = generated
    wgi = values[values["indicator_code"].isin(WGI)]
    assert set(wgi["indicator_code"]) == set(WGI)
    assert wgi["estimate"].between(-2.5, 2.5).all()  # the WGI's own scale, never a bound pile-up
    assert wgi["estimate"].min() < -1.5 and wgi["estimate"].max() > 1.5
    assert (wgi["dimension"] == "Total").all() and wgi["se"].isna().all()
    latest = wgi[wgi["year"] == 2024].merge(catalogue.countries()[["iso3", "income_group"]], on="iso3")
    means = latest.groupby("income_group")["estimate"].mean()
    assert means["Low income"] < means["Lower middle income"] < means["Upper middle income"] < means["High income"]
    assert -0.6 < latest["estimate"].mean() < 0.6 and 0.6 < latest["estimate"].std() < 1.2


def test_new_building_block_indicators_fit_their_units(generated):
    _, values = generated
    national = values[values["dimension"] == "Total"].groupby("indicator_code")["estimate"]
    low, high = national.min(), national.max()
    for code in ("IQ.SPI.OVRL", "IQ.SPI.PIL3", "IQ.SPI.PIL4"):  # scores 0-100, saturating below 100
        assert low[code] > 0 and high[code] < 100, code
    for code in ("PCV3", "SDGHPVRECEIVED", "ROTAC"):  # percentages
        assert low[code] > 0 and high[code] < 100, code
    assert low["HWF_0014"] > 0 and high["HWF_0014"] < 60  # pharmacists per 10,000


def test_every_building_block_has_four_indicators_for_nearly_every_country(generated):
    _, values = generated
    blocks = catalogue.indicators().set_index("indicator_code")["building_block"]
    national = values[values["dimension"] == "Total"][["indicator_code", "iso3"]].drop_duplicates()
    counts = national.assign(block=national["indicator_code"].map(blocks)).groupby(["iso3", "block"]).size()
    counts = counts.unstack(fill_value=0)
    assert set(counts.columns) == set(catalogue.BUILDING_BLOCKS) and len(counts) == 194
    # every indicator skips about 4% of countries at random, so a block of five can lose two in a few
    assert (counts >= 4).all(axis=1).mean() >= 0.97
    assert (counts.min() >= 3).all()
    assert (counts["Leadership and governance"] >= 5).all()


def test_demo_survey_has_two_rounds_of_about_2000_respondents_in_about_125_countries(generated):
    source, _ = generated
    tables = source.survey_tables
    surveys = tables["dim_survey"].sort_values("year")
    assert surveys["year"].tolist() == [2020, 2023] and surveys["series"].nunique() == 1
    respondents = tables["survey_respondent"]
    assert len(respondents) == 2000 and 110 <= respondents["iso3"].nunique() <= 125
    assert set(respondents["regional_network"]) == {"Africa", "Asia-Pacific", "Eastern Mediterranean", "Europe",
                                                    "Latin America and Caribbean"}
    assert respondents["working_group"].isna().any() and respondents["organisation_name"].notna().all()
    items = tables["survey_item"]
    later = items[items["survey_code"] == surveys["survey_code"].iloc[1]]
    assert len(later) == 40 and later["domain"].nunique() == 10 and set(later["level"]) == {
        "individual", "organisational", "network"}
    assert set(later["kinds"]) == {"asset", "need", "both"}


def test_demo_survey_is_deterministic_and_assets_grow_between_rounds(generated):
    source, _ = generated
    again = demo.generate(scale=1, last_year=2024).survey_tables
    pd.testing.assert_frame_equal(source.survey_tables["survey_response"], again["survey_response"])
    answers = source.survey_tables["survey_response"].merge(source.survey_tables["survey_item"],
                                                           on=["survey_code", "item_code"])
    means = answers[answers["kind"] == "asset"].groupby(["domain", "survey_code"])["score"].mean().unstack()
    growth = means.iloc[:, 1] - means.iloc[:, 0]
    assert growth["Data systems"] > 0.3 and abs(growth["Ethics"]) < 0.15
