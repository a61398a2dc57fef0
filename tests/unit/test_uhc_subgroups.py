"""The index and the RMNCH sub-index of population subgroups, computed from subgroup tracer values."""

import pandas as pd
import pytest

from dashboard import uhc
from dashboard.uhc import subgroups

TRACER_MAP = pd.DataFrame({
    "tracer": ["dtp3", "anc4", "fp_demand_satisfied", "pneumonia_care", "hospital_beds_per_10k",
               "hospital_beds_per_10k"],
    "indicator_code": ["DTP3", "ANC4", "FP", "ARI", "BEDS10K", "BEDS1K"],
    "priority": [1, 1, 1, 1, 1, 2], "factor": [1.0, 1.0, 1.0, 1.0, 1.0, 10.0],
})


def rows(values: dict[str, list[float]], dimension="Wealth", subgroups_=("Q1", "Q5"), year=2018) -> pd.DataFrame:
    out = []
    for code, estimates in values.items():
        for order, (subgroup, estimate) in enumerate(zip(subgroups_, estimates), start=1):
            out.append({"indicator_code": code, "dimension": dimension, "subgroup": subgroup,
                        "subgroup_order": order, "year": year, "estimate": estimate, "source_code": "S"})
    return pd.DataFrame(out, columns=["indicator_code", "dimension", "subgroup", "subgroup_order", "year", "estimate",
                                      "source_code"])


def test_rmnch_sub_index_is_the_geometric_mean_of_the_four_subgroup_scores():
    values = rows({"DTP3": [60.0, 90.0], "ANC4": [40.0, 80.0], "FP": [50.0, 70.0], "ARI": [30.0, 60.0]})
    result = subgroups.subgroup_indices(subgroups.subgroup_inputs(values, TRACER_MAP)).set_index("subgroup")
    # Q1: (60 x 40 x 50 x 30)^(1/4) = 43.559; Q5: (90 x 80 x 70 x 60)^(1/4) = 74.156.
    assert result.loc["Q1", "rmnch"] == pytest.approx(43.559, abs=1e-3)
    assert result.loc["Q5", "rmnch"] == pytest.approx(74.156, abs=1e-3)
    assert result["index"].isna().all()  # the other ten tracers have no subgroup values
    assert result.loc["Q1", "tracers_held"] == "fp_demand_satisfied, anc4, dtp3, pneumonia_care"


def test_a_subgroup_missing_an_rmnch_tracer_gets_no_value():
    values = rows({"DTP3": [60.0, 90.0], "ANC4": [40.0, 80.0], "FP": [50.0, 70.0]})
    assert subgroups.subgroup_indices(subgroups.subgroup_inputs(values, TRACER_MAP)).empty


def test_inputs_keep_the_preferred_code_and_convert_units():
    values = pd.concat([rows({"BEDS10K": [20.0, 30.0]}), rows({"BEDS1K": [1.0, 2.0]})], ignore_index=True)
    inputs = subgroups.subgroup_inputs(values, TRACER_MAP)
    assert inputs["indicator_code"].unique().tolist() == ["BEDS10K"]
    only_fallback = subgroups.subgroup_inputs(rows({"BEDS1K": [1.0, 2.0]}), TRACER_MAP)
    assert only_fallback["value"].tolist() == [10.0, 20.0]  # per 1,000 x 10 = per 10,000


def test_the_whole_index_when_every_tracer_is_disaggregated_matches_the_country_method():
    scores = {t: 50.0 + 3 * i for i, t in enumerate(uhc.TRACER_KEYS)}
    inputs = pd.DataFrame([
        {"dimension": "Wealth", "subgroup": "Q1", "subgroup_order": 1, "year": 2018, "tracer": key, "value": value,
         "indicator_code": key, "source_code": "S"}
        for key, value in {
            **{k: scores[k] for k in uhc.TRACER_KEYS if k in uhc.INPUTS and uhc.INPUTS[k].unit == "%"
               and k != "tobacco_prevalence"},
            "fpg_mean_mmol": 7.4 - scores["fpg_mean_mmol"] / 100 * 2.3,
            "tobacco_prevalence": 70 - scores["tobacco_prevalence"] * 0.7,
            "hospital_beds_per_10k": scores["hospital_beds_per_10k"] / 100 * 18,
            "physicians_per_1k": scores["health_workforce"] / 100 * 0.9,
            "psychiatrists_per_100k": scores["health_workforce"] / 100 * 1.0,
            "surgeons_per_100k": scores["health_workforce"] / 100 * 14,
            "ihr_capacity": scores["ihr_capacity"],
        }.items()])
    result = subgroups.subgroup_indices(inputs)
    expected = uhc.what_if(scores, {})
    assert result["index"].iloc[0] == pytest.approx(expected["index"], abs=1e-9)
    assert result["rmnch"].iloc[0] == pytest.approx(expected["rmnch"], abs=1e-9)


def test_empty_input_gives_an_empty_result_with_the_columns():
    empty = subgroups.subgroup_indices(subgroups.subgroup_inputs(rows({}), TRACER_MAP))
    assert empty.empty and list(empty.columns) == list(subgroups.RESULT_COLUMNS)
