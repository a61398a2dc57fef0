"""Consistency tests for the reference catalogue CSVs in dashboard/catalogue/."""

from __future__ import annotations

import csv
from collections import Counter

import pycountry
import pytest

from dashboard.config import CATALOGUE_DIR

COUNTRY_COLUMNS = ["iso3", "iso_n3", "name", "who_region", "wb_region", "income_group"]
WHO_REGIONS = {"AFR", "AMR", "SEAR", "EUR", "EMR", "WPR"}
WB_REGIONS = {
    "East Asia & Pacific", "Europe & Central Asia", "Latin America & Caribbean",
    "Middle East & North Africa", "North America", "South Asia", "Sub-Saharan Africa",
}
INCOME_GROUPS = {"Low income", "Lower middle income", "Upper middle income", "High income"}


def _read(name: str) -> tuple[list[str], list[dict[str, str]]]:
    with open(CATALOGUE_DIR / name, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


@pytest.fixture(scope="module")
def countries() -> list[dict[str, str]]:
    header, rows = _read("countries.csv")
    assert header == COUNTRY_COLUMNS
    return rows


def test_194_who_member_states_with_unique_codes(countries):
    assert len(countries) == 194
    assert len({r["iso3"] for r in countries}) == 194
    assert len({r["iso_n3"] for r in countries}) == 194
    codes = {r["iso3"] for r in countries}
    # WHO membership differs from the UN's in exactly these three places.
    assert "LIE" not in codes
    assert {"COK", "NIU"} <= codes


def test_rows_sorted_by_iso3(countries):
    iso3 = [r["iso3"] for r in countries]
    assert iso3 == sorted(iso3)


def test_codes_agree_with_iso_3166(countries):
    for i, row in enumerate(countries, start=2):
        country = pycountry.countries.get(alpha_3=row["iso3"])
        assert country is not None, f"countries.csv line {i}: iso3 {row['iso3']!r} is not ISO 3166-1"
        assert row["iso_n3"] == country.numeric, (
            f"countries.csv line {i}: iso_n3 {row['iso_n3']!r} != ISO {country.numeric!r} for {row['iso3']}")
        assert row["name"].strip(), f"countries.csv line {i}: empty name"


def test_regions_and_income_groups_in_allowed_sets(countries):
    for i, row in enumerate(countries, start=2):
        assert row["who_region"] in WHO_REGIONS, f"countries.csv line {i}: who_region {row['who_region']!r}"
        assert row["wb_region"] in WB_REGIONS, f"countries.csv line {i}: wb_region {row['wb_region']!r}"
        assert row["income_group"] in INCOME_GROUPS | {""}, f"countries.csv line {i}: income_group"


def test_who_region_membership_counts(countries):
    counts = Counter(r["who_region"] for r in countries)
    assert counts == {"AFR": 47, "AMR": 35, "SEAR": 11, "EUR": 53, "EMR": 21, "WPR": 27}


def test_known_region_assignments(countries):
    by = {r["iso3"]: r for r in countries}
    who = {"IDN": "SEAR", "TLS": "SEAR", "DZA": "AFR", "SDN": "EMR", "SOM": "EMR", "DJI": "EMR",
           "ISR": "EUR", "PAK": "EMR", "AFG": "EMR", "PRK": "SEAR", "COK": "WPR", "NIU": "WPR"}
    assert {k: by[k]["who_region"] for k in who} == who
    assert by["AFG"]["wb_region"] == by["PAK"]["wb_region"] == "South Asia"
    assert by["USA"]["wb_region"] == by["CAN"]["wb_region"] == "North America"


def test_income_groups_only_blank_for_unclassified(countries):
    blank = {r["iso3"] for r in countries if r["income_group"] == ""}
    assert blank == {"COK", "NIU", "VEN"}
    counts = Counter(r["income_group"] for r in countries if r["income_group"])
    # FY2025 low-income economies among WHO members (26 of the World Bank's 26).
    assert counts["Low income"] == 26
    assert sum(counts.values()) == 191
