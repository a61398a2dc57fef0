"""Summary measures against the published reference values of WHO's healthequal 1.0.1 test suite.

The inputs are healthequal's test data (drawn there with set.seed(123)), written out as numbers.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from dashboard import equity

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "heat" / "healthequal_reference.csv"


def reference_case(case: str) -> pd.DataFrame:
    """One of healthequal's test inputs: 'ordered' (5 quintiles) or 'non_ordered' (25 regions)."""
    frame = pd.read_csv(FIXTURE)
    frame = frame[frame["case"] == case].drop(columns="case").reset_index(drop=True)
    return frame.astype({"estimate": float, "se": float, "population": float})


ORDERED = reference_case("ordered")
NON_ORDERED = reference_case("non_ordered")

REL = 1e-5


def by_measure(frame: pd.DataFrame) -> pd.DataFrame:
    return equity.summary_measures(frame).set_index("measure")


@pytest.fixture(scope="module")
def ordered() -> pd.DataFrame:
    return by_measure(ORDERED)


@pytest.fixture(scope="module")
def non_ordered() -> pd.DataFrame:
    return by_measure(NON_ORDERED)


def test_ordered_dimension_gets_the_ordered_measures(ordered):
    assert list(ordered.index) == ["d", "r", "aci", "rci", "sii", "rii", "par", "paf"]


def test_aci_matches_healthequal(ordered):
    assert ordered.loc["aci", "estimate"] == pytest.approx(7.3284202, rel=REL)
    assert ordered.loc["aci", "se"] == pytest.approx(0.29368517, rel=REL)


def test_rci_matches_healthequal_on_the_x100_scale(ordered):
    row = ordered.loc["rci"]
    assert row["estimate"] == pytest.approx(17.776859, rel=REL)
    assert row["se"] == pytest.approx(0.71240491, rel=REL)
    assert row["ci_lower"] == pytest.approx(16.380545, rel=REL)
    assert row["ci_upper"] == pytest.approx(19.173172, rel=REL)


def test_sii_matches_healthequal_with_hc1_errors(ordered):
    row = ordered.loc["sii"]
    assert row["estimate"] == pytest.approx(44.44502, rel=REL)
    assert row["ci_lower"] == pytest.approx(40.15109, rel=1e-4)
    assert row["ci_upper"] == pytest.approx(48.73895, rel=1e-4)
    # se on the indicator's scale: the CI is estimate +- 1.96 se
    assert row["se"] == pytest.approx((48.73895 - 40.15109) / (2 * 1.959964), rel=1e-4)


def test_rii_matches_healthequal(ordered):
    row = ordered.loc["rii"]
    assert row["estimate"] == pytest.approx(3.159506, rel=REL)
    assert row["ci_lower"] == pytest.approx(2.719902, rel=1e-4)
    assert row["ci_upper"] == pytest.approx(3.67016, rel=1e-4)


def test_par_and_paf_match_healthequal_for_ordered(ordered):
    par, paf = ordered.loc["par"], ordered.loc["paf"]
    assert par["estimate"] == pytest.approx(18.775509, rel=REL)
    assert par["se"] == pytest.approx(4.4066348, rel=REL)
    # healthequal's expected PAR limits were written with z = 1.96 rather than qnorm(0.975),
    # which moves them by 1.6e-5 relative; the se above pins the computation itself.
    assert par["ci_lower"] == pytest.approx(10.138505, rel=3e-5)
    assert par["ci_upper"] == pytest.approx(27.412513, rel=3e-5)
    assert paf["estimate"] == pytest.approx(45.544548, rel=REL)
    # healthequal's limits (45.335037, 45.75406) put the fraction's se around the percentage; on one
    # scale the se is 100 times theirs, and PAF's CI is PAR's CI relative to the setting average.
    healthequal_se = (45.75406 - 45.335037) / (2 * 1.959964)
    assert paf["se"] == pytest.approx(100 * healthequal_se, rel=3e-5)
    mean = par["estimate"] / paf["estimate"] * 100
    assert paf["ci_lower"] == pytest.approx(100 * par["ci_lower"] / mean, rel=1e-9)
    assert paf["ci_upper"] == pytest.approx(100 * par["ci_upper"] / mean, rel=1e-9)


def test_ordered_d_and_r_compare_richest_with_poorest(ordered):
    assert ordered.loc["d", "estimate"] == pytest.approx(40.0)
    assert ordered.loc["d", "se"] == pytest.approx((14 ** 2 + 5 ** 2) ** 0.5)
    assert ordered.loc["r", "estimate"] == pytest.approx(3.0)


def test_non_ordered_dimension_with_reference_gets_every_non_ordered_measure(non_ordered):
    assert list(non_ordered.index) == [
        "d", "r", "bgv", "bgsd", "cov", "mdmu", "mdmw", "mdbu", "mdbw", "mdru", "mdrw",
        "idisu", "idisw", "ti", "mld", "par", "paf"]


@pytest.mark.parametrize("measure, expected", [
    ("bgv", 46.198326), ("bgsd", 6.7969351), ("idisu", 8.7018175), ("idisw", 8.6178417),
    ("mdbu", 16.360001), ("mdbw", 16.293156), ("mdmu", 5.891726), ("mdmw", 5.8348689),
    ("mdru", 7.2399998), ("mdrw", 7.2228465), ("par", 16.293152), ("paf", 24.06426),
])
def test_non_ordered_estimates_match_healthequal(non_ordered, measure, expected):
    assert non_ordered.loc[measure, "estimate"] == pytest.approx(expected, rel=REL)


def test_theil_and_mld_match_healthequal_x1000(non_ordered):
    # healthequal's expected TI and MLD imply a setting mean 4e-6 away from the data's exact
    # weighted mean (67.706849 vs 67.706845), a 1e-5 relative offset; its own test allows 1e-4.
    assert non_ordered.loc["ti", "estimate"] == pytest.approx(5.0359201, rel=2e-5)
    assert non_ordered.loc["mld", "estimate"] == pytest.approx(5.0524006, rel=2e-5)
    # the se is on the same x1000 scale (healthequal reports 0.0014201 and 0.0014242 unscaled)
    assert non_ordered.loc["ti", "se"] == pytest.approx(1.4201, rel=1e-4)
    assert non_ordered.loc["mld", "se"] == pytest.approx(1.4242, rel=1e-4)
    ti = non_ordered.loc["ti"]
    assert ti["ci_upper"] - ti["ci_lower"] == pytest.approx(2 * 1.959964 * ti["se"], rel=1e-6)


def test_bgv_se_and_par_se_match_healthequal(non_ordered):
    assert non_ordered.loc["bgv", "se"] == pytest.approx(17.134647, rel=REL)
    assert non_ordered.loc["par", "se"] == pytest.approx(1.1994447, rel=REL)
    assert non_ordered.loc["par", "ci_lower"] == pytest.approx(13.94224, rel=REL)
    assert non_ordered.loc["par", "ci_upper"] == pytest.approx(18.644063, rel=REL)


def test_cov_is_bgsd_over_the_weighted_mean(non_ordered):
    mean = (NON_ORDERED["estimate"] * NON_ORDERED["population"]).sum() / NON_ORDERED["population"].sum()
    assert non_ordered.loc["cov", "estimate"] == pytest.approx(6.7969351 / mean * 100, rel=REL)


def test_non_ordered_d_with_reference_is_reference_minus_lowest(non_ordered):
    # reference = Region 14 (62); lowest other = Region 23 (55)
    assert non_ordered.loc["d", "estimate"] == pytest.approx(7.0)
    assert non_ordered.loc["d", "se"] == pytest.approx((6 ** 2 + 1 ** 2) ** 0.5)
    assert non_ordered.loc["r", "estimate"] == pytest.approx(62 / 55)
