"""Which measures apply, which subgroups D and R compare, truncation, notes and simulation intervals."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dashboard import equity

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "heat" / "healthequal_reference.csv"
_REFERENCE = pd.read_csv(FIXTURE).astype({"estimate": float, "se": float, "population": float})
ORDERED = _REFERENCE[_REFERENCE["case"] == "ordered"].drop(columns="case").reset_index(drop=True)
NON_ORDERED = _REFERENCE[_REFERENCE["case"] == "non_ordered"].drop(columns="case").reset_index(drop=True)
SIMULATED = ["bgsd", "cov", "mdmu", "mdmw", "mdbu", "mdbw", "mdru", "mdrw", "idisu", "idisw"]


def group(estimates, *, ordered=False, favourable=True, reference=None, se=None, population=None,
          scale=100, setting_average=None) -> pd.DataFrame:
    n = len(estimates)
    frame = pd.DataFrame({
        "subgroup": [f"G{i + 1}" for i in range(n)],
        "estimate": estimates,
        "se": se if se is not None else [1.0] * n,
        "population": population if population is not None else [100.0] * n,
        "subgroup_order": list(range(1, n + 1)) if ordered else [0] * n,
        "ordered_dimension": ordered,
        "reference_subgroup": [i == reference for i in range(n)],
        "favourable_indicator": favourable,
        "indicator_scale": scale,
    })
    if setting_average is not None:
        frame["setting_average"] = setting_average
    return frame


def measures(frame: pd.DataFrame, **kwargs) -> pd.DataFrame:
    return equity.summary_measures(frame, **kwargs).set_index("measure")


def test_measures_catalogue_lists_the_21_heat_measures_in_output_order():
    assert list(equity.MEASURES) == [
        "d", "r", "aci", "rci", "sii", "rii", "bgv", "bgsd", "cov", "mdmu", "mdmw", "mdbu", "mdbw",
        "mdru", "mdrw", "idisu", "idisw", "ti", "mld", "par", "paf"]
    assert {m.applies for m in equity.MEASURES.values()} == {"all", "ordered", "non-ordered", "reference"}
    assert {m.kind for m in equity.MEASURES.values()} == {"absolute", "relative"}
    assert equity.MEASURES["rci"].scale.startswith("x100")
    assert equity.MEASURES["mdbw"].weighted and not equity.MEASURES["mdbu"].weighted


def test_ordered_adverse_d_is_most_disadvantaged_minus_most_advantaged():
    out = measures(group([80.0, 60, 50, 45, 30], ordered=True, favourable=False, scale=1000))
    assert out.loc["d", "estimate"] == pytest.approx(50.0)
    assert out.loc["r", "estimate"] == pytest.approx(80 / 30)


@pytest.mark.parametrize("favourable", [True, False])
def test_non_ordered_without_reference_compares_highest_with_lowest(favourable):
    out = measures(group([50.0, 72, 41, 66], favourable=favourable))
    assert out.loc["d", "estimate"] == pytest.approx(31.0)
    assert out.loc["r", "estimate"] == pytest.approx(72 / 41)


def test_non_ordered_adverse_with_reference_is_highest_other_minus_reference():
    out = measures(group([50.0, 72, 41, 66], favourable=False, reference=0))
    assert out.loc["d", "estimate"] == pytest.approx(22.0)
    assert out.loc["r", "estimate"] == pytest.approx(72 / 50)


def test_reference_that_is_lowest_is_compared_with_the_lowest_other_subgroup():
    # HEAT never compares the reference with itself: a worst-off reference gives a negative D
    out = measures(group([30.0, 72, 41, 66], favourable=True, reference=0))
    assert out.loc["d", "estimate"] == pytest.approx(-11.0)


def test_two_subgroup_dimension_gets_only_simple_measures():
    sex = group([62.0, 71.5], favourable=False, se=[4.1, 4.4], population=[5100.0, 5250],
                scale=1000)
    out = measures(sex)
    assert list(out.index) == ["d", "r", "par", "paf"]
    assert out.loc["d", "estimate"] == pytest.approx(9.5)
    assert out.loc["d", "se"] == pytest.approx(np.hypot(4.1, 4.4))
    # adverse: the best subgroup is the lowest, 62, against the weighted mean
    mean = (62 * 5100 + 71.5 * 5250) / 10350
    assert out.loc["par", "estimate"] == pytest.approx(62 - mean)


def test_two_subgroup_dimension_with_reference_compares_the_reference_with_the_other():
    residence = group([57.9, 87.6], reference=1)
    assert measures(residence).loc["d", "estimate"] == pytest.approx(87.6 - 57.9)


def test_ordered_flag_on_two_subgroups_still_orders_d():
    out = measures(group([70.0, 40.0], ordered=True))
    assert out.loc["d", "estimate"] == pytest.approx(-30.0)
    assert "aci" not in out.index


def test_mdru_and_mdrw_need_a_reference_subgroup():
    assert "mdru" not in measures(NON_ORDERED.assign(reference_subgroup=False)).index
    assert {"mdru", "mdrw"} <= set(measures(NON_ORDERED).index)


def test_par_and_paf_are_truncated_at_zero_when_the_best_is_below_the_setting_average():
    out = measures(group([50.0, 60, 55], setting_average=70.0))
    assert out.loc["par", "estimate"] == 0.0
    assert out.loc["paf", "estimate"] == 0.0
    adverse = measures(group([50.0, 60, 55], favourable=False, setting_average=40.0))
    assert adverse.loc["par", "estimate"] == 0.0


def test_par_uses_the_setting_average_when_given_else_the_weighted_mean():
    given = measures(group([50.0, 60, 80], setting_average=58.0))
    assert given.loc["par", "estimate"] == pytest.approx(22.0)
    assert given.loc["paf", "estimate"] == pytest.approx(100 * 22 / 58)
    weighted = measures(group([50.0, 60, 80], population=[300.0, 100, 100]))
    assert weighted.loc["par", "estimate"] == pytest.approx(80 - 58.0)


def test_missing_population_gives_rows_with_a_note_not_numbers():
    frame = ORDERED.assign(population=[78.0, np.nan, 162, 103, 105])
    out = measures(frame)
    for code in ("aci", "rci", "sii", "rii"):
        assert np.isnan(out.loc[code, "estimate"])
        assert "population missing" in out.loc[code, "note"] and "Q2" in out.loc[code, "note"]
    assert out.loc["d", "estimate"] == pytest.approx(40.0)  # simple measures still work


def test_missing_se_keeps_the_estimate_and_says_why_there_is_no_ci():
    out = measures(ORDERED.assign(se=[5.0, 7, 10, 12, np.nan]))
    assert out.loc["d", "estimate"] == pytest.approx(40.0)
    assert np.isnan(out.loc["d", "ci_lower"])
    assert out.loc["d", "note"] == "no 95% CI: standard error missing for Q5"


def test_single_subgroup_cannot_give_a_difference():
    out = measures(group([50.0]))
    assert list(out.index) == ["d", "r", "par", "paf"]
    assert np.isnan(out.loc["d", "estimate"])
    assert "fewer than 2 subgroups" in out.loc["d", "note"]


def test_ordered_measures_need_every_subgroup():
    out = measures(ORDERED.assign(estimate=[20.0, 30, np.nan, 50, 60]))
    assert np.isnan(out.loc["sii", "estimate"])
    assert "estimate missing for Q3" in out.loc["sii", "note"]
    assert out.loc["d", "estimate"] == pytest.approx(40.0)


def test_non_ordered_measures_drop_a_few_missing_subgroups_and_say_so():
    frame = NON_ORDERED.copy()
    frame.loc[0, "estimate"] = np.nan
    out = measures(frame)
    kept = NON_ORDERED.iloc[1:]
    share = kept["population"] / kept["population"].sum()
    mean = float((share * kept["estimate"]).sum())
    assert out.loc["bgv", "estimate"] == pytest.approx(float((share * (kept["estimate"] - mean) ** 2).sum()))
    assert out.loc["bgv", "note"] == "computed without Region 01 (no estimate)"


def test_non_ordered_measures_refuse_when_more_than_15_percent_are_missing():
    frame = NON_ORDERED.copy()
    frame.loc[:3, "estimate"] = np.nan  # 4 of 25 = 16%
    out = measures(frame)
    assert np.isnan(out.loc["ti", "estimate"])
    assert "4 of 25 subgroups" in out.loc["ti", "note"]


def test_estimates_outside_the_scale_leave_sii_uncomputed():
    out = measures(ORDERED.assign(estimate=[20.0, 30, 40, 50, 160]))
    assert np.isnan(out.loc["sii", "estimate"])
    assert "between 0 and the indicator scale" in out.loc["sii", "note"]


def test_population_shares_instead_of_counts_leave_sii_uncomputed_with_a_reason():
    out = measures(ORDERED.assign(population=0.2))
    assert np.isnan(out.loc["rii", "estimate"])
    assert "population looks like shares" in out.loc["rii", "note"]
    # ACI only needs weights: 2 * cov(estimate, rank) with equal shares and ranks 0.1, 0.3, ... 0.9
    assert out.loc["aci", "estimate"] == pytest.approx(8.0)


def test_simulation_intervals_are_reproducible_and_bracket_the_estimate():
    first = measures(NON_ORDERED)
    again = measures(NON_ORDERED)
    other = measures(NON_ORDERED, seed=7)
    for code in SIMULATED:
        row = first.loc[code]
        assert np.isnan(row["se"])
        assert row["ci_lower"] <= row["estimate"] <= row["ci_upper"], code
        assert (row["ci_lower"], row["ci_upper"]) == (again.loc[code, "ci_lower"], again.loc[code, "ci_upper"])
        assert row["ci_upper"] != other.loc[code, "ci_upper"]


def test_simulation_draws_respect_the_percentage_bounds():
    # a subgroup at 99% with se 5 cannot be simulated above 100, so MDB's upper limit stays finite
    out = measures(group([99.0, 70, 60], se=[5.0, 2, 2]))
    assert 0 <= out.loc["mdbu", "ci_lower"] <= out.loc["mdbu", "ci_upper"] < 40


def test_summarise_returns_by_columns_then_measures_per_group():
    frame = pd.concat([NON_ORDERED.assign(setting="A", dimension="Region"),
                       ORDERED.assign(setting="A", dimension="Wealth")], ignore_index=True)
    out = equity.summarise(frame, ["setting", "dimension"])
    assert list(out.columns) == ["setting", "dimension", "measure", "estimate", "se", "ci_lower",
                                 "ci_upper", "note"]
    assert out.groupby("dimension").size().to_dict() == {"Region": 17, "Wealth": 8}
    wealth = out[out["dimension"] == "Wealth"].set_index("measure")
    assert wealth.loc["aci", "estimate"] == pytest.approx(7.3284202, rel=1e-5)


def test_summary_measures_names_missing_input_columns():
    with pytest.raises(ValueError, match="lacks column"):
        equity.summary_measures(ORDERED.drop(columns=["population"]))
