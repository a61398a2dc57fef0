"""Harmonisation: ISO3 from codes and names (data, not code), aggregates, declared unit conversions."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.sources import harmonise


@pytest.mark.parametrize("code, iso3", [("AFG", "AFG"), ("xkx", "XKX"), ("ROM", "ROU"), ("ZAR", "COD"),
                                        ("CHI", "CHI"), ("SDN736", "SDN736"), ("ZZZ", None), ("HIC", None)])
def test_codes_resolve_through_the_code_table_and_aliases(code, iso3):
    assert harmonise.iso3_for_code(code) == iso3


@pytest.mark.parametrize("name, iso3", [
    ("Côte d'Ivoire", "CIV"), ("Cote d’Ivoire", "CIV"), ("Korea, Rep.", "KOR"),
    ("Democratic People's Republic of Korea", "PRK"), ("Bolivia (Plurinational State of)", "BOL"),
    ("  turkey ", "TUR"), ("Türkiye", "TUR"), ("Congo, Dem. Rep.", "COD"), ("Congo", "COG"),
    ("United Kingdom of Great Britain and Northern Ireland", "GBR"), ("Ghana", "GHA"), ("Atlantis", None)])
def test_names_resolve_only_through_the_alias_and_code_tables(name, iso3):
    assert harmonise.iso3_for_name(name) == iso3


def test_every_alias_points_at_a_known_code():
    aliases = pd.read_csv(harmonise.CATALOGUE_DIR / "country_aliases.csv", dtype=str, keep_default_na=False)
    assert set(aliases["iso3"]) <= set(harmonise.country_codes()["iso3"])
    assert not aliases["alias"].duplicated().any()


def test_aggregates_are_known_by_publisher():
    assert harmonise.aggregate_name("WB", "HIC") == "High income"
    assert harmonise.aggregate_name("WHO", "AFR") == "African Region"
    assert harmonise.aggregate_name("WB", "AFR") is None
    assert harmonise.is_aggregate_code("WHO", "WB_HI") and not harmonise.is_aggregate_code("WB", "GHA")


def test_country_rows_take_members_from_the_catalogue_and_others_from_the_file():
    rows = harmonise.country_rows(pd.DataFrame([
        {"iso3": "GHA", "name": "Ghana (file)", "is_aggregate": False, "income_group": "Low income"},
        {"iso3": "ABW", "name": None, "is_aggregate": False, "wb_region": "Latin America & Caribbean"},
        {"iso3": "WLD", "name": "World", "is_aggregate": True},
    ])).set_index("iso3")
    assert rows.loc["GHA", "name"] == "Ghana" and rows.loc["GHA", "who_region"] == "AFR"
    assert rows.loc["GHA", "income_group"] != "Low income"  # the catalogue's current classification wins
    assert rows.loc["ABW", "name"] == "Aruba" and rows.loc["ABW", "iso_n3"] == "533"
    assert rows.loc["ABW", "wb_region"] == "Latin America & Caribbean"
    assert bool(rows.loc["WLD", "is_aggregate"]) and pd.isna(rows.loc["WLD", "iso_n3"])


def test_declared_conversion_puts_two_publishers_on_one_unit_and_keeps_their_sources():
    values = pd.DataFrame({
        "indicator_code": ["SH.MED.PHYS.ZS", "HWF_0001"], "iso3": ["ALB", "ALB"], "year": [2019, 2019],
        "estimate": [1.8814, 18.81], "ci_lower": [None, None], "ci_upper": [None, None],
        "source_code": ["WB_WDI_2023-03-01", "WHO_GHO_2022-01-24"]})
    out = harmonise.convert(values, "HWF_0001")
    assert out["estimate"].tolist() == pytest.approx([18.814, 18.81])
    assert out["source_code"].tolist() == ["WB_WDI_2023-03-01", "WHO_GHO_2022-01-24"]
    assert out["converted_from"].tolist()[0] == "SH.MED.PHYS.ZS" and pd.isna(out["converted_from"].iloc[1])
    back = harmonise.convert(values, "SH.MED.PHYS.ZS")
    assert back["estimate"].tolist() == pytest.approx([1.8814, 1.881])
    # The input is not modified: conversion happens only on request.
    assert values["indicator_code"].tolist() == ["SH.MED.PHYS.ZS", "HWF_0001"]


def test_undeclared_conversion_is_refused():
    values = pd.DataFrame({"indicator_code": ["SH.DYN.MORT"], "estimate": [50.0]})
    with pytest.raises(ValueError, match="no declared unit conversion from SH.DYN.MORT to HWF_0001"):
        harmonise.convert(values, "HWF_0001")


def test_conversion_table_is_symmetric():
    table = harmonise.unit_conversions()
    pairs = {(r.from_code, r.to_code): r.factor for r in table.itertuples()}
    for (source, target), factor in pairs.items():
        assert pairs[(target, source)] == pytest.approx(1 / factor)
