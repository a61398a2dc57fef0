"""Plain-language readings of summary measures."""

from __future__ import annotations

import math

import pandas as pd

from dashboard import equity

WEALTH = dict(indicator_name="coverage", unit="%", dimension="wealth",
              lowest_label="the poorest fifth", highest_label="the richest fifth")


def read(measure, estimate, lower=math.nan, upper=math.nan, note=None, previous=None, **labels):
    row = {"measure": measure, "estimate": estimate, "ci_lower": lower, "ci_upper": upper, "note": note}
    return equity.reading(row, **{**WEALTH, **labels}, previous=previous)


def test_difference_reads_like_the_heat_example():
    text = read("d", 41.2, 36.1, 46.4, previous={"estimate": 70.4, "date": 2005})
    assert text == ("Coverage among the richest fifth is 41 points (95% CI 36–46) higher than among "
                    "the poorest fifth, down from 70 in 2005")


def test_negative_difference_reads_as_lower_with_flipped_interval():
    text = read("d", -3.2, -8.1, 1.7)
    assert text == ("Coverage among the richest fifth is 3.2 points (95% CI -1.7 to 8.1) lower than "
                    "among the poorest fifth")


def test_difference_in_a_rate_quotes_the_unit_and_rising_change():
    text = read("d", 30.0, 18.0, 42.0, previous=12.0, indicator_name="under-five mortality",
                unit="per 1,000 live births", highest_label="the poorest fifth",
                lowest_label="the richest fifth")
    assert text == ("Under-five mortality among the poorest fifth is 30 per 1,000 live births "
                    "(95% CI 18–42) higher than among the richest fifth, up from 12")


def test_ratio_reads_as_times():
    assert read("r", 1.83, 1.6, 2.1) == (
        "Coverage among the richest fifth is 1.8 times that among the poorest fifth (95% CI 1.6–2.1)")


def test_slope_and_relative_index_read_along_the_scale():
    assert read("sii", 44.445, 40.15, 48.74) == (
        "Across the wealth scale, coverage is 44 points (95% CI 40–49) higher at the top "
        "(the richest fifth) than at the bottom (the poorest fifth) (slope index of inequality)")
    assert read("rii", 3.1595, 2.72, 3.67) == (
        "Across the wealth scale, coverage at the top (the richest fifth) is 3.2 times that at the "
        "bottom (the poorest fifth) (95% CI 2.7–3.7) (relative index of inequality)")


def test_concentration_indices_say_where_the_indicator_concentrates():
    assert read("aci", 7.33, 6.75, 7.9) == (
        "Coverage is concentrated towards the richest fifth along the wealth scale "
        "(absolute concentration index 7.3, 95% CI 6.8–7.9)")
    assert read("rci", -17.8, -19.2, -16.4) == (
        "Coverage is concentrated towards the poorest fifth along the wealth scale "
        "(relative concentration index -18 on a -100 to 100 scale, 95% CI -19 to -16)")


def test_attributable_risk_and_fraction_read_as_possible_improvement():
    assert read("par", 18.78, 10.1, 27.4, previous={"estimate": 18.9, "year": 2010}) == (
        "If every subgroup reached the level of the richest fifth, the setting average of coverage "
        "would rise by 19 points (95% CI 10–27) (population attributable risk), unchanged from 19 in 2010")
    assert read("paf", 45.5, 45.3, 45.8).startswith(
        "If every subgroup reached the level of the richest fifth, the setting average of coverage "
        "would rise by 46% (95% CI 45–46)")
    assert read("par", -4.8, -9.7, 0.1, indicator_name="mortality", highest_label="girls").endswith(
        "would fall by 4.8 points (95% CI -0.1 to 9.7) (population attributable risk)")


def test_zero_attributable_risk_says_no_improvement():
    assert read("paf", 0.0, -0.5, 0.5) == (
        "The richest fifth does no better than the setting average of coverage, so no improvement is "
        "attributable to wealth (population attributable fraction 0)")


def test_dispersion_measures_have_their_own_wording():
    assert read("bgv", 46.2, 12.6, 79.8, dimension="region") == (
        "The between-group variance of coverage across region subgroups is 46 (95% CI 13–80) "
        "(squared points; 0 means no inequality)")
    assert read("mdmw", 5.83, 5.39, 8.49, dimension="region") == (
        "Weighted by population, region subgroups differ from the mean of coverage by 5.8 points "
        "(95% CI 5.4–8.5) on average")
    assert read("ti", 5.04, 2.25, 7.82, dimension="region") == (
        "The Theil index of coverage across region subgroups is 5.0 (95% CI 2.2–7.8) "
        "(x1000; 0 means no inequality, higher means more unequal)")


def test_other_measures_get_the_generic_sentence():
    assert read("idisw", 8.62, 7.9, 12.56, dimension="region") == (
        "Index of disparity (weighted) of coverage across region subgroups: 8.6 (95% CI 7.9–12.6) "
        "(% of the setting mean)")


def test_uncomputed_measure_repeats_the_note():
    assert read("sii", math.nan, note="all subgroups have the same estimate") == (
        "Slope index of inequality of coverage by wealth could not be computed: all subgroups have "
        "the same estimate")


def test_reading_accepts_a_row_of_summary_measures_output():
    frame = pd.DataFrame({"subgroup": ["Rural", "Urban"], "estimate": [57.9, 87.6], "se": [2.2, 1.6],
                          "population": [3700.0, 2600], "subgroup_order": 0, "ordered_dimension": 0,
                          "reference_subgroup": [0, 1], "favourable_indicator": 1, "indicator_scale": 100})
    row = equity.summary_measures(frame).set_index("measure").loc["d"].rename({"d": "measure"})
    row["measure"] = "d"
    text = equity.reading(row, indicator_name="skilled birth attendance", unit="%",
                          dimension="place of residence", lowest_label="rural areas",
                          highest_label="urban areas")
    assert text == ("Skilled birth attendance among urban areas is 30 points (95% CI 24–35) higher "
                    "than among rural areas")
