"""Consistency tests for the reference catalogue CSVs in dashboard/catalogue/."""

from __future__ import annotations

import csv
import re
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


INDICATOR_COLUMNS = ["indicator_code", "name", "short_name", "unit", "indicator_scale", "favourable_indicator", "building_block", "domain", "uhc_tracer", "definition", "source_code", "plausible_min", "plausible_max", "decimals", "demo_low", "demo_high", "demo_log", "demo_disaggregated", "demo_gap", "demo_coverage", "demo_bounded"]
SOURCE_COLUMNS = ["source_code", "publisher", "title", "release", "url", "licence", "citation", "is_synthetic",
                  "api_source"]
BUILDING_BLOCKS = {
    "Service delivery", "Health workforce", "Health information systems", "Access to essential medicines",
    "Health financing", "Leadership and governance", "Outcomes",
}
DOMAINS = {"coverage", "quality", "financial protection", "workforce", "infrastructure", "information",
           "medicines", "governance", "outcome", "risk factor"}
TRACER_AREAS = {"RMNCH": "rmnch", "Infectious diseases": "infectious", "NCDs": "ncd",
                "Service capacity and access": "capacity"}
SCALES = {"%": "100", "per 1,000 population": "1000", "per 1,000 live births": "1000",
          "per 10,000 population": "10000", "per 100,000 population": "100000", "per 100,000 live births": "100000"}
BOOLEAN = {"true", "false"}


@pytest.fixture(scope="module")
def indicators() -> list[dict[str, str]]:
    header, rows = _read("indicators.csv")
    assert header == INDICATOR_COLUMNS
    return rows


@pytest.fixture(scope="module")
def sources() -> list[dict[str, str]]:
    header, rows = _read("sources.csv")
    assert header == SOURCE_COLUMNS
    return rows


def test_indicator_count_and_unique_codes(indicators):
    codes = [r["indicator_code"] for r in indicators]
    assert len(codes) >= 45
    assert [c for c, n in Counter(codes).items() if n > 1] == []


def test_indicator_vocabularies(indicators):
    for i, row in enumerate(indicators, start=2):
        where = f"indicators.csv line {i} ({row['indicator_code']})"
        assert row["building_block"] in BUILDING_BLOCKS, f"{where}: building_block {row['building_block']!r}"
        assert row["domain"] in DOMAINS, f"{where}: domain {row['domain']!r}"
        assert row["uhc_tracer"] in set(TRACER_AREAS) | {"Index", "Sub-index", ""}, f"{where}: uhc_tracer"
        for col in ("favourable_indicator", "demo_log", "demo_disaggregated", "demo_bounded"):
            assert row[col] in BOOLEAN, f"{where}: {col} {row[col]!r}"
        assert row["name"] and row["short_name"] and row["definition"], f"{where}: empty text column"
        assert int(row["decimals"]) in range(0, 4), f"{where}: decimals"


def test_scale_matches_unit(indicators):
    for i, row in enumerate(indicators, start=2):
        expected = SCALES.get(row["unit"], "")
        assert row["indicator_scale"] == expected, (
            f"indicators.csv line {i} ({row['indicator_code']}): unit {row['unit']!r} "
            f"wants indicator_scale {expected!r}, got {row['indicator_scale']!r}")
        if row["unit"] == "%":
            assert float(row["plausible_min"]) >= 0 and float(row["plausible_max"]) <= 100, (
                f"indicators.csv line {i} ({row['indicator_code']}): a percentage must lie within 0-100")


def test_uhc_index_structure(indicators):
    tracers = Counter(r["uhc_tracer"] for r in indicators if r["uhc_tracer"] in ("Index", "Sub-index"))
    assert tracers == {"Index": 1, "Sub-index": 4}
    by = {r["indicator_code"]: r["uhc_tracer"] for r in indicators}
    assert by["UHC_INDEX_REPORTED"] == "Index"
    assert {c for c, t in by.items() if t == "Sub-index"} == {
        "UHC_SCI_RMNCH", "UHC_SCI_INFECT", "UHC_SCI_NCD", "UHC_SCI_CAPACITY"}


def test_uhc_tracer_map_covers_every_input_with_catalogue_codes(indicators):
    from dashboard import uhc

    header, rows = _read("uhc_tracers.csv")
    assert header == ["tracer", "indicator_code", "priority", "factor", "note"]
    assert {r["tracer"] for r in rows} == set(uhc.INPUTS)
    assert len({(r["tracer"], r["priority"]) for r in rows}) == len(rows)
    assert all(r["priority"] == "1" for r in rows if r["factor"] == "1")  # converted codes are fallbacks
    by = {r["indicator_code"]: r for r in indicators}
    for row in rows:
        code = row["indicator_code"]
        assert code in by, f"uhc_tracers.csv: {code} is not in indicators.csv"
        area = uhc.TRACERS[uhc.TRACER_KEYS.index(uhc.INPUTS[row["tracer"]].tracer)].area
        assert TRACER_AREAS[by[code]["uhc_tracer"]] == area, f"{code}: uhc_tracer {by[code]['uhc_tracer']!r}"
    mapped = {r["indicator_code"] for r in rows}
    tagged = {c for c, r in by.items() if r["uhc_tracer"] in TRACER_AREAS}
    assert tagged == mapped, "indicators tagged with a tracer area and the tracer map disagree"


def test_computed_uhc_indicators():
    header, rows = _read("uhc_indicators.csv")
    reference_header, _ = _read("indicators_reference.csv")
    assert header == reference_header
    assert [r["indicator_code"] for r in rows] == [
        "UHC_INDEX_COMPUTED", "UHC_SCI_RMNCH_COMPUTED", "UHC_SCI_INFECT_COMPUTED", "UHC_SCI_NCD_COMPUTED",
        "UHC_SCI_CAPACITY_COMPUTED"]
    assert {r["source_code"] for r in rows} == {"COMPUTED_UHC"}
    assert [r["uhc_tracer"] for r in rows] == ["Index"] + ["Sub-index"] * 4


def test_required_indicators_present(indicators):
    codes = {r["indicator_code"] for r in indicators}
    required = {
        "SH.IMM.IDPT", "SH.IMM.MEAS", "MDG_0000000025", "WHS4_154", "SH.MED.PHYS.ZS", "SH.MED.NUMW.P3",
        "SH.MED.BEDS.ZS", "SH.XPD.CHEX.GD.ZS", "SH.XPD.CHEX.PC.CD", "SH.XPD.OOPC.CH.ZS", "SH.UHC.OOPC.10.ZS",
        "SH.UHC.OOPC.25.ZS", "SH.XPD.GHED.CH.ZS", "SDGHEALTHFACILITIESESSENTIALMEDS", "SP.REG.BRTH.ZS",
        "SP.REG.DTHS.ZS", "SDGIHR2021", "SH.DYN.MORT", "SH.DYN.NMRT", "MDG_0000000026", "WHOSIS_000001",
    }
    assert required - codes == set()


def test_plausible_ranges_and_demo_values(indicators):
    for i, row in enumerate(indicators, start=2):
        where = f"indicators.csv line {i} ({row['indicator_code']})"
        lo, hi = float(row["plausible_min"]), float(row["plausible_max"])
        d_lo, d_hi = float(row["demo_low"]), float(row["demo_high"])
        assert lo < hi, f"{where}: plausible_min >= plausible_max"
        assert lo <= d_lo <= hi and lo <= d_hi <= hi, f"{where}: demo value outside plausible range"
        assert d_lo != d_hi, f"{where}: demo_low equals demo_high"
        if row["demo_log"] == "true":
            assert min(d_lo, d_hi) > 0, f"{where}: log-scale demo values must be positive"
        if row["demo_bounded"] == "true":  # saturates between the bounds: both ends strictly inside
            assert lo < min(d_lo, d_hi) and max(d_lo, d_hi) < hi, f"{where}: bounded demo values on a bound"
            assert row["demo_log"] == "false", f"{where}: an indicator is bounded or log-scale, not both"
        assert 0 < float(row["demo_coverage"]) <= 1, f"{where}: demo_coverage"


def test_direction_agrees_with_favourable(indicators):
    for i, row in enumerate(indicators, start=2):
        rising = float(row["demo_high"]) > float(row["demo_low"])
        assert rising == (row["favourable_indicator"] == "true"), (
            f"indicators.csv line {i} ({row['indicator_code']}): favourable_indicator "
            f"{row['favourable_indicator']} but demo goes {row['demo_low']} -> {row['demo_high']}")


def test_known_directions(indicators):
    fav = {r["indicator_code"]: r["favourable_indicator"] for r in indicators}
    assert fav["SH.IMM.IDPT"] == fav["WHOSIS_000001"] == "true"
    assert fav["SH.DYN.MORT"] == fav["MDG_0000000026"] == fav["SH.XPD.OOPC.CH.ZS"] == "false"
    assert fav["SH.UHC.OOPC.10.ZS"] == fav["SH.PRV.SMOK"] == "false"


def test_disaggregation_parameters(indicators):
    disaggregated = [r for r in indicators if r["demo_disaggregated"] == "true"]
    assert len(disaggregated) >= 8
    for row in indicators:
        gap = float(row["demo_gap"])
        if row["demo_disaggregated"] == "true":
            assert 0 < gap < 1, f"{row['indicator_code']}: demo_gap {gap} outside (0, 1)"
        else:
            assert gap == 0, f"{row['indicator_code']}: demo_gap {gap} on a non-disaggregated indicator"


def test_quality_and_building_block_coverage(indicators):
    assert sum(r["domain"] == "quality" for r in indicators) >= 3
    assert {r["building_block"] for r in indicators} == BUILDING_BLOCKS


def _reference_rows() -> list[dict[str, str]]:
    return _read("indicators_reference.csv")[1]


def test_indicator_codes_follow_publisher_conventions(indicators):
    for row in indicators + _reference_rows():
        code = row["indicator_code"]
        if row["source_code"] == "WB_WDI":
            # WDI codes are dotted upper-case topic codes (SH.* health, SP.* population, IQ.* statistical capacity).
            assert code.split(".")[0] in {"SH", "SP", "IQ"} and code == code.upper(), code
        elif row["source_code"] == "WB_WGI":
            # WGI series: one of the six dimensions, as an estimate or a percentile rank.
            assert re.fullmatch(r"(VA|PV|GE|RQ|RL|CC)\.(EST|PER\.RNK)", code), code
        else:
            assert row["source_code"] == "WHO_GHO", code
            assert re.fullmatch(r"[A-Z][A-Za-z0-9_]*", code), code


def test_worldwide_governance_indicators_route_to_world_bank_api_source_3(indicators, sources):
    from dashboard import catalogue
    from dashboard.sources import fetch

    api = {r["source_code"]: r["api_source"] for r in sources}
    assert api == {"WB_WDI": "2", "WB_WGI": "3", "WHO_GHO": "", "DHS": "", "DEMO_SYNTHETIC": ""}
    wgi = {r["indicator_code"] for r in indicators + _reference_rows() if r["source_code"] == "WB_WGI"}
    assert wgi == {f"{d}.{kind}" for d in ("VA", "PV", "GE", "RQ", "RL", "CC") for kind in ("EST", "PER.RNK")}
    assert {catalogue.world_bank_api_source(code) for code in wgi} == {("WB_WGI", 3)}
    assert catalogue.world_bank_api_source("SH.MED.PHYS.ZS") == ("WB_WDI", 2)
    assert catalogue.world_bank_api_source("NY.GDP.MKTP.CD") == ("WB_WDI", 2)  # not curated: WDI, the default
    fetched = fetch.world_bank_default_codes()
    assert {"GE.EST", "CC.EST", "VA.EST", "RQ.EST", "SH.MED.PHYS.ZS", "IQ.SPI.OVRL"} <= set(fetched)
    assert not {"HWF_0001", "SDGIHR2021", "GE.PER.RNK"} & set(fetched)  # WHO codes; reference-only ranks


def test_every_building_block_holds_at_least_four_demo_indicators(indicators):
    from dashboard.sources import demo

    generated = set(demo.generated_indicators()["indicator_code"])
    per_block = Counter(r["building_block"] for r in indicators if r["indicator_code"] in generated)
    assert set(per_block) == BUILDING_BLOCKS
    assert min(per_block.values()) >= 4, per_block
    governance = {r["indicator_code"] for r in indicators if r["building_block"] == "Leadership and governance"}
    assert {"SDGIHR2021", "GE.EST", "CC.EST", "VA.EST", "RQ.EST"} <= governance
    medicines = {r["indicator_code"] for r in indicators if r["building_block"] == "Access to essential medicines"}
    assert {"SDGHEALTHFACILITIESESSENTIALMEDS", "PCV3", "SDGHPVRECEIVED"} <= medicines


def test_governance_estimates_are_bounded_standard_normal_scores(indicators):
    wgi = [r for r in indicators if r["source_code"] == "WB_WGI"]
    assert len(wgi) == 6
    for row in wgi:
        assert row["unit"] == "estimate (-2.5 to 2.5)" and row["favourable_indicator"] == "true", row["indicator_code"]
        assert row["demo_bounded"] == "true" and row["building_block"] == "Leadership and governance"
        assert (float(row["plausible_min"]), float(row["plausible_max"])) == (-3.0, 3.0)
        assert -2.5 < float(row["demo_low"]) < float(row["demo_high"]) < 2.5


def test_sources(sources, indicators):
    by = {r["source_code"]: r for r in sources}
    assert set(by) == {"WB_WDI", "WB_WGI", "WHO_GHO", "DHS", "DEMO_SYNTHETIC"}
    assert by["WB_WDI"]["licence"] == by["WB_WGI"]["licence"] == "CC BY 4.0"
    assert by["WHO_GHO"]["licence"] == "CC BY-NC-SA 3.0 IGO"
    assert by["DEMO_SYNTHETIC"]["licence"] == "CC0-1.0"
    assert {k: r["is_synthetic"] for k, r in by.items()} == {
        "WB_WDI": "false", "WB_WGI": "false", "WHO_GHO": "false", "DHS": "false", "DEMO_SYNTHETIC": "true"}
    assert "DHS Program terms of use" in by["DHS"]["licence"] and "STATcompiler" in by["DHS"]["citation"]
    assert "not be cited" in by["DEMO_SYNTHETIC"]["citation"]
    assert all(r["release"] == "" for r in sources)
    referenced = {r["source_code"] for r in indicators}
    assert referenced <= set(by) - {"DEMO_SYNTHETIC"}


def test_reference_indicators_extend_without_overlap():
    from dashboard import catalogue

    known = catalogue.known_indicators()
    assert known["indicator_code"].is_unique
    assert {"EQ_ANC", "EQ_DTP3", "EQ_SBA"} <= set(known["indicator_code"])
    assert len(known) == len(catalogue.indicators()) + len(_reference_rows())
    assert set(known["building_block"]) <= set(catalogue.BUILDING_BLOCKS)
