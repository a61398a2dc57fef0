"""The SDG 3.8.1 method on hand-computed cases: rescalings, caps, floor and ceiling, missing years, what-ifs.

Expected values were worked out by hand from the metadata's formulas (geometric means written out, e.g.
RMNCH = (60 x 55 x 80 x 65) ** (1/4) = 64.3619688593) and are written here as constants.
"""

import numpy as np
import pandas as pd
import pytest

from dashboard import uhc

# One country-year with every input; scores: fpg 69.5652173913, tobacco 78.5714285714, beds 50,
# health workforce (22.2222 x 10 x 10.7143) ** (1/3) = 13.3531451505.
BASE = {
    "fp_demand_satisfied": 60, "anc4": 55, "dtp3": 80, "pneumonia_care": 65,
    "tb_treatment": 70, "art": 75, "itn": 50, "sanitation_basic": 30,
    "hypertension_treated": 20, "fpg_mean_mmol": 5.8, "tobacco_prevalence": 15,
    "hospital_beds_per_10k": 9, "physicians_per_1k": 0.2, "psychiatrists_per_100k": 0.1,
    "surgeons_per_100k": 1.5, "ihr_capacity": 55,
}
BASE_RESULT = {"index": 48.2473256055, "rmnch": 64.3619688593, "infectious": 52.9739845592,
               "ncd": 47.8147912341, "capacity": 33.2382962676}


def long(inputs: dict, iso3: str = "KEN", year: int = 2020) -> pd.DataFrame:
    return pd.DataFrame([(iso3, year, key, value) for key, value in inputs.items()],
                        columns=["iso3", "year", "tracer", "value"])


def row(result: pd.DataFrame, iso3: str, year: int) -> pd.Series:
    return result.set_index(["iso3", "year"]).loc[(iso3, year)]


@pytest.mark.parametrize("tracer, value, expected", [
    ("dtp3", 80, 80.0),
    ("dtp3", 0, 1.0),                               # a zero becomes 1 so the geometric mean is defined
    ("tb_treatment", 115, 100.0),                   # above 100 becomes 100
    ("fpg_mean_mmol", 5.8, 69.5652173913),          # (7.4 - 5.8) / (7.4 - 5.1) x 100
    ("fpg_mean_mmol", 5.1, 100.0),
    ("fpg_mean_mmol", 4.8, 100.0),                  # 113.04 held at 100
    ("fpg_mean_mmol", 7.4, 1.0),                    # 0 held at 1
    ("fpg_mean_mmol", 8.0, 1.0),                    # -26.1 held at 1
    ("tobacco_prevalence", 15, 78.5714285714),      # ((100 - 15) - 30) / 70 x 100
    ("tobacco_prevalence", 70, 1.0),
    ("tobacco_prevalence", 0, 100.0),
    ("hospital_beds_per_10k", 9, 50.0),             # 9 / 18 x 100
    ("hospital_beds_per_10k", 18, 100.0),
    ("hospital_beds_per_10k", 25, 100.0),           # cap at 18 per 10,000
    ("physicians_per_1k", 0.45, 50.0),              # 0.45 / 0.9 x 100
    ("physicians_per_1k", 2.0, 100.0),              # cap at 0.9 per 1,000
    ("psychiatrists_per_100k", 0.5, 50.0),
    ("psychiatrists_per_100k", 3.0, 100.0),         # cap at 1 per 100,000
    ("surgeons_per_100k", 7.0, 50.0),
    ("surgeons_per_100k", 20.0, 100.0),             # cap at 14 per 100,000
    ("ihr_capacity", 55, 55.0),
])
def test_rescale_follows_the_metadata(tracer, value, expected):
    assert uhc.rescale(tracer, value) == pytest.approx(expected, abs=1e-9)


def test_rescale_is_vectorised_and_rejects_unknown_and_composite_keys():
    assert uhc.rescale("hospital_beds_per_10k", [0, 9, 36]).tolist() == [1.0, 50.0, 100.0]
    with pytest.raises(ValueError, match="unknown tracer 'beds'"):
        uhc.rescale("beds", 9)
    with pytest.raises(ValueError, match="health_workforce combines three inputs"):
        uhc.rescale("health_workforce", 50)


def test_tracer_table_lists_the_14_tracers_in_four_areas():
    table = uhc.tracer_table()
    assert len(table) == 14 and table["key"].is_unique
    assert table.groupby("area").size().to_dict() == {"capacity": 3, "infectious": 4, "ncd": 3, "rmnch": 4}
    assert table.set_index("key").loc["health_workforce", "inputs"] == (
        "physicians_per_1k, psychiatrists_per_100k, surgeons_per_100k")
    assert set(table.columns) >= {"key", "area", "label", "rescaling"}
    assert len(uhc.input_table()) == 16


def test_index_is_the_geometric_mean_of_area_geometric_means():
    result = uhc.compute(long(BASE))
    assert list(result.columns) == list(uhc.RESULT_COLUMNS)
    got = row(result, "KEN", 2020)
    for column, expected in BASE_RESULT.items():
        assert got[column] == pytest.approx(expected, abs=1e-9), column
    assert (got["tracers_observed"], got["tracers_imputed"]) == (14, 0)


def test_itn_is_dropped_where_a_country_has_no_itn_value():
    inputs = {k: v for k, v in BASE.items() if k != "itn"}
    got = row(uhc.compute(long(inputs)), "KEN", 2020)
    assert got["infectious"] == pytest.approx(54.0041149128, abs=1e-9)  # (70 x 75 x 30) ** (1/3)
    assert got["index"] == pytest.approx(48.4801883036, abs=1e-9)
    assert (got["tracers_observed"], got["tracers_imputed"]) == (13, 0)


def test_a_zero_tracer_counts_as_one():
    got = row(uhc.compute(long({**BASE, "art": 0})), "KEN", 2020)
    assert got["infectious"] == pytest.approx(18.0010287184, abs=1e-9)  # (70 x 1 x 50 x 30) ** (1/4)
    assert got["index"] == pytest.approx(36.8368016864, abs=1e-9)


def test_values_above_the_scale_are_held_at_100():
    capped = row(uhc.compute(long({**BASE, "hospital_beds_per_10k": 40, "fpg_mean_mmol": 4.9})), "KEN", 2020)
    exact = row(uhc.compute(long({**BASE, "hospital_beds_per_10k": 18, "fpg_mean_mmol": 5.1})), "KEN", 2020)
    assert capped["index"] == pytest.approx(exact["index"], abs=1e-12)


def test_missing_years_are_interpolated_then_carried_forward_and_flagged():
    values = pd.concat([long(BASE), long({"dtp3": 90}, year=2022)], ignore_index=True)
    result = uhc.compute(values, last_year=2024).set_index("year")
    assert list(result.index) == [2020, 2021, 2022, 2023, 2024]
    # 2021: DTP3 interpolated to 85, the other 13 carried forward from 2020.
    assert result.loc[2021, "rmnch"] == pytest.approx(65.3448786160, abs=1e-9)
    assert result.loc[2021, "index"] == pytest.approx(48.4304833741, abs=1e-9)
    assert result.loc[2022, "index"] == pytest.approx(48.6038058792, abs=1e-9)
    assert result.loc[2024, "index"] == pytest.approx(48.6038058792, abs=1e-9)
    counts = result[["tracers_observed", "tracers_imputed"]].apply(tuple, axis=1).to_dict()
    assert counts == {2020: (14, 0), 2021: (0, 14), 2022: (1, 13), 2023: (0, 14), 2024: (0, 14)}


def test_fill_records_how_each_value_was_obtained():
    values = pd.concat([long(BASE), long({"dtp3": 90}, year=2022)], ignore_index=True)
    filled = uhc.fill(values, last_year=2023)
    how = filled.how.loc["KEN", "dtp3"].to_dict()
    assert how == {2020: uhc.OBSERVED, 2021: uhc.INTERPOLATED, 2022: uhc.OBSERVED, 2023: uhc.CARRIED}
    assert filled.values.loc[("KEN", 2021), "dtp3"] == pytest.approx(85.0)


def test_a_long_gap_is_filled_on_the_straight_line_between_its_ends():
    values = pd.concat([long(BASE), long({"dtp3": 60}, year=2024)], ignore_index=True)
    filled = uhc.fill(values)
    assert filled.values.loc["KEN", "dtp3"].tolist() == pytest.approx([80, 75, 70, 65, 60])
    assert filled.values.loc["KEN", "anc4"].tolist() == [55] * 5
    assert filled.how.loc["KEN", "anc4"].tolist() == [uhc.OBSERVED] + [uhc.CARRIED] * 4


def test_years_before_a_first_value_are_not_filled():
    values = pd.concat([long({k: v for k, v in BASE.items() if k != "dtp3"}), long({"dtp3": 80}, year=2021)],
                       ignore_index=True)
    result = uhc.compute(values)
    assert list(result["year"]) == [2021]
    assert tuple(result.loc[0, ["tracers_observed", "tracers_imputed"]]) == (1, 13)


def test_an_input_missing_altogether_takes_its_regions_median():
    a, c = long(BASE, "AAA"), long({**BASE, "art": 55}, "CCC")
    b = long({k: v for k, v in BASE.items() if k != "art"}, "BBB")
    lone = long({k: v for k, v in BASE.items() if k != "art"}, "ZZZ")
    values = pd.concat([a, b, c, lone], ignore_index=True)
    regions = {"AAA": "AFR", "BBB": "AFR", "CCC": "AFR", "ZZZ": "EUR"}
    result = uhc.compute(values, regions=regions).set_index("iso3")
    assert sorted(result.index) == ["AAA", "BBB", "CCC"]  # ZZZ's region has no ART value to lend
    assert result.loc["BBB", "infectious"] == pytest.approx(51.1123282147, abs=1e-9)  # ART = median(75, 55)
    assert result.loc["BBB", "index"] == pytest.approx(47.8177349936, abs=1e-9)
    assert (result.loc["BBB", "tracers_observed"], result.loc["BBB", "tracers_imputed"]) == (13, 1)
    assert uhc.fill(values, regions=regions).how.loc[("BBB", 2020), "art"] == uhc.REGIONAL
    assert uhc.compute(values).set_index("iso3").index.tolist() == ["AAA", "CCC"]  # no regions, no median


def test_itn_is_never_imputed_from_the_region():
    values = pd.concat([long(BASE, "AAA"), long({k: v for k, v in BASE.items() if k != "itn"}, "BBB")])
    result = uhc.compute(values, regions={"AAA": "AFR", "BBB": "AFR"}).set_index("iso3")
    assert result.loc["BBB", "tracers_observed"] == 13 and result.loc["BBB", "tracers_imputed"] == 0


@pytest.mark.parametrize("change, message", [
    ({"tracer": "beds"}, "row 3, column tracer: 'beds' is not a tracer key"),
    ({"value": "high"}, "row 3, column value: 'high' is not a finite number"),
    ({"value": 130}, "row 3, column value: 130 is outside 0-100 (%), the valid range of dtp3"),
    ({"iso3": "Kenya"}, "row 3, column iso3: 'Kenya' is not a three-letter ISO code"),
    ({"year": "20x0"}, "row 3, column year: '20x0' is not a four-digit year"),
    ({"tracer": "anc4"}, "row 3, column tracer: anc4 for KEN 2020 repeats row 2"),
])
def test_validate_names_row_and_column(change, message):
    values = long(BASE).astype(object)
    values.index = pd.RangeIndex(1, len(values) + 1)
    for column, value in change.items():
        values.loc[3, column] = value
    with pytest.raises(uhc.TracerInputError) as failure:
        uhc.compute(values)
    assert str(failure.value).startswith(message)


def test_validate_names_a_missing_column():
    with pytest.raises(uhc.TracerInputError, match="column value: required column"):
        uhc.validate(long(BASE).drop(columns="value"))
    with pytest.raises(uhc.TracerInputError, match="column value: required column"):
        uhc.compute(long(BASE).drop(columns="value").iloc[:0])


def test_no_values_give_no_rows():
    result = uhc.compute(long(BASE).iloc[:0])
    assert result.empty and list(result.columns) == list(uhc.RESULT_COLUMNS)


def test_country_scores_give_each_tracer_its_score_and_provenance():
    values = pd.concat([long(BASE), long({"dtp3": 90}, year=2022)], ignore_index=True)
    scores = uhc.country_scores(values, "KEN", 2021).set_index("tracer")
    assert len(scores) == 14
    assert scores.loc["dtp3", "score"] == pytest.approx(85.0)
    assert scores.loc["dtp3", "how"] == "interpolated" and scores.loc["dtp3", "imputed"]
    assert scores.loc["health_workforce", "score"] == pytest.approx(13.3531451505, abs=1e-9)
    assert scores.loc["hospital_beds_per_10k", "description"] == "hospital beds 9 per 10,000"
    assert scores.loc["ihr_capacity", "description"] == "IHR core capacity 55/100"
    assert "itn" not in uhc.country_scores(long({k: v for k, v in BASE.items() if k != "itn"}), "KEN",
                                           2020)["tracer"].tolist()


def test_what_if_equals_compute_on_the_moved_inputs():
    scores = uhc.country_scores(long(BASE), "KEN", 2020)
    moved = {**BASE, "dtp3": 92, "hospital_beds_per_10k": 12, "tobacco_prevalence": 9}
    expected = row(uhc.compute(long(moved)), "KEN", 2020)
    got = uhc.what_if(scores, {"dtp3": 92, "hospital_beds_per_10k": uhc.rescale("hospital_beds_per_10k", 12),
                               "tobacco_prevalence": uhc.rescale("tobacco_prevalence", 9)})
    for column in ("index", *uhc.AREAS):
        assert got[column] == pytest.approx(expected[column], abs=1e-9), column
    unchanged = uhc.what_if(scores, {})
    assert unchanged["index"] == pytest.approx(BASE_RESULT["index"], abs=1e-9)


def test_what_if_holds_moved_scores_within_1_and_100():
    scores = uhc.country_scores(long(BASE), "KEN", 2020)
    assert uhc.what_if(scores, {"dtp3": 140})["index"] == pytest.approx(uhc.what_if(scores, {"dtp3": 100})["index"])
    with pytest.raises(ValueError, match="'itn' is not a tracer in use"):
        uhc.what_if(uhc.country_scores(long({k: v for k, v in BASE.items() if k != "itn"}), "KEN", 2020),
                    {"itn": 60})


def test_marginal_gains_agree_with_finite_differences():
    scores = uhc.country_scores(long(BASE), "KEN", 2020)
    base = uhc.what_if(scores, {})["index"]
    by_score = dict(zip(scores["tracer"], scores["score"]))
    gains = uhc.marginal_gains(scores, points=10).set_index("tracer")
    assert len(gains) == 14 and gains["gain"].is_monotonic_decreasing
    for tracer, score in by_score.items():
        raised = uhc.what_if(scores, {tracer: min(score + 10, 100)})["index"]
        assert gains.loc[tracer, "gain"] == pytest.approx(raised - base, abs=1e-12), tracer
        h = 1e-5
        slope = (uhc.what_if(scores, {tracer: score + h})["index"]
                 - uhc.what_if(scores, {tracer: score - h})["index"]) / (2 * h)
        expected = 0.0 if score >= 100 else slope
        assert gains.loc[tracer, "derivative"] == pytest.approx(expected, rel=1e-6), tracer
    # DTP3 at 80 in an RMNCH area of four: I x ((90 / 80) ** (1/16) - 1)
    assert gains.loc["dtp3", "gain"] == pytest.approx(BASE_RESULT["index"] * ((90 / 80) ** (1 / 16) - 1))
    assert gains.loc["dtp3", "sentence"] == "raising DTP3 immunization by 10 points adds 0.4 to the index"


def test_binding_constraint_is_the_tracer_whose_gap_costs_most():
    scores = uhc.country_scores(long(BASE), "KEN", 2020)
    constraint = uhc.binding_constraint(scores)
    assert (constraint.area, constraint.tracer) == ("capacity", "health_workforce")
    assert constraint.sentence == ("the index is held down most by service capacity and access: health workforce "
                                   "density score 13 (physicians 0.20 per 1,000, psychiatrists 0.10 per 100,000, "
                                   "surgeons 1.5 per 100,000)")
    assert constraint.gain_at_full == pytest.approx(uhc.what_if(scores, {"health_workforce": 100})["index"]
                                                    - BASE_RESULT["index"])


def test_binding_constraint_sentence_names_the_value_and_flags_imputation():
    inputs = {**BASE, "hospital_beds_per_10k": 3, "physicians_per_1k": 0.9, "psychiatrists_per_100k": 1,
              "surgeons_per_100k": 14}
    values = pd.concat([long(inputs), long({"dtp3": 81}, year=2021)], ignore_index=True)
    assert row(uhc.compute(long(inputs)), "KEN", 2020)["index"] == pytest.approx(52.0692325066, abs=1e-9)
    constraint = uhc.binding_constraint(uhc.country_scores(values, "KEN", 2021))
    assert constraint.sentence == ("the index is held down most by service capacity and access: hospital beds "
                                   "3 per 10,000 (imputed)")


def test_aggregate_handles_many_rows_at_once():
    scores = np.array([[50.0] * 14, [100.0] * 14])
    in_use = np.ones(14, dtype=bool)
    index, sub = uhc.aggregate(scores, in_use)
    assert index.tolist() == pytest.approx([50.0, 100.0]) and sub.shape == (2, 4)
