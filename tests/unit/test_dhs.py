"""DHS Program importer: API pages and CSVs to one release per survey, subgroups mapped, bad input refused."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pandas as pd
import pytest

from dashboard import contract
from dashboard.sources import dhs, store
from dashboard.sources.errors import ImportFormatError

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "dhs"
SBA_PAGES = [FIXTURES / "GH2014DHS_RH_DELA_C_SKP_p1.json", FIXTURES / "GH2014DHS_RH_DELA_C_SKP_p2.json"]
ORS = FIXTURES / "GH2014DHS_CH_DIAT_C_ORS.json"
GHANA_2014_REGIONS = [("GH-WP", "Western Region"), ("GH-CP", "Central Region"), ("GH-AA", "Greater Accra Region"),
                      ("GH-TV", "Volta Region"), ("GH-EP", "Eastern Region"), ("GH-AH", "Ashanti Region"),
                      ("GH-BO", "Bono Region"), ("GH-NP", "Northern Region"), ("GH-UE", "Upper East Region"),
                      ("GH-UW", "Upper West Region")]


def page(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def write(tmp_path: Path, body, name="answer.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(body), encoding="utf-8")
    return path


def values_of(sets) -> pd.DataFrame:
    return pd.concat([s.tables["fct_indicator_value"] for s in sets], ignore_index=True)


def test_two_pages_become_one_survey_release_with_every_dimension():
    messages = []
    (survey,) = dhs.read(SBA_PAGES, progress=messages.append)
    assert survey.source_code == "DHS_GH2014DHS"
    source = survey.source.iloc[0]
    assert (source["publisher"], source["title"], source["release"]) == ("The DHS Program (ICF)", "Ghana 2014 DHS",
                                                                          "GH2014DHS")
    assert "DHS Program terms of use" in source["licence"] and "STATcompiler" not in source["title"]
    assert source["citation"].startswith("ICF. The DHS Program STATcompiler. Funded by USAID. "
                                         "https://www.statcompiler.com. Ghana 2014 DHS (GH2014DHS). Terms: DHS")
    values = survey.tables["fct_indicator_value"]
    assert len(values) == 22 and set(values["year"]) == {2014} and set(values["iso3"]) == {"GHA"}
    assert values.groupby("dimension").size().to_dict() == {
        contract.DIM_WEALTH: 5, contract.DIM_EDUCATION: 4, contract.DIM_RESIDENCE: 2, contract.DIM_SUBNATIONAL: 10,
        contract.TOTAL: 1}
    wealth = values[values["dimension"] == contract.DIM_WEALTH].set_index("subgroup")
    assert wealth["subgroup_order"].to_dict() == {"Quintile 1 (poorest)": 1, "Quintile 2": 2, "Quintile 3": 3,
                                                  "Quintile 4": 4, "Quintile 5 (richest)": 5}
    assert wealth["ordered_dimension"].all() and not wealth["reference_subgroup"].any()
    poorest = wealth.loc["Quintile 1 (poorest)"]
    assert (poorest["estimate"], poorest["ci_lower"], poorest["ci_upper"]) == (45.3, 41.5, 49.1)
    assert poorest["se"] == pytest.approx((49.1 - 41.5) / (2 * 1.96))
    assert poorest["population"] == 1398.2
    residence = values[values["dimension"] == contract.DIM_RESIDENCE].set_index("subgroup")
    assert residence["reference_subgroup"].to_dict() == {"Urban": True, "Rural": False}
    education = values[values["dimension"] == contract.DIM_EDUCATION].set_index("subgroup")["subgroup_order"]
    assert education.to_dict() == {"No education": 1, "Primary": 2, "Secondary": 3, "Higher": 4}
    total = values[values["dimension"] == contract.TOTAL].iloc[0]
    assert (total["subgroup"], total["estimate"], total["population"]) == ("Total", 73.7, 5845.0)
    assert values["admin1_code"].isna().all()  # no boundaries imported
    assert any("GHA: no admin-1 boundaries imported" in m for m in messages)
    indicator = survey.tables["dim_indicator"].iloc[0]
    assert (indicator["indicator_code"], indicator["unit"], indicator["indicator_scale"]) == ("RH_DELA_C_SKP", "%", 100)
    assert indicator["building_block"] == "Service delivery" and pd.isna(indicator["uhc_tracer"])
    assert "MDG_0000000025" in indicator["definition"]


def test_is_preferred_picks_between_estimates_of_one_characteristic():
    messages = []
    (survey,) = dhs.read([ORS], progress=messages.append)
    total = survey.tables["fct_indicator_value"].query("dimension == 'Total'")
    assert total["estimate"].tolist() == [48.6] and total["flag"].tolist() == ["Five years preceding the survey"]
    assert any("1 record(s) not preferred" in m for m in messages)


def test_regions_match_imported_boundaries_and_lower_levels_are_skipped(tmp_path):
    body = page(SBA_PAGES[1])
    lower = copy.deepcopy(body["Data"][0])
    lower.update(CharacteristicLabel="..Sekondi-Takoradi", LevelRank=2, DataId=1)
    body["Data"].append(lower)
    body.update(TotalPages=1, Page=1, RecordCount=len(body["Data"]))
    messages = []
    (survey,) = dhs.read([write(tmp_path, body)], admin1={"GHA": GHANA_2014_REGIONS}, progress=messages.append)
    regions = survey.tables["fct_indicator_value"].set_index("subgroup")["admin1_code"]
    assert len(regions) == 10 and "..Sekondi-Takoradi" not in regions.index
    assert regions["Greater Accra"] == "GH-AA" and regions["Upper West"] == "GH-UW"
    assert pd.isna(regions["Brong Ahafo"])  # split in 2018: no boundary of that name
    assert "GHA: matched 9 of 10 subnational subgroup(s) to boundaries (0 by code, 9 by name, 0 by alias)" in messages
    assert any("1 record(s) of regions below the first level skipped" in m for m in messages)


def test_csv_with_the_api_field_names_reads_like_the_json(tmp_path):
    records = page(SBA_PAGES[0])["Data"] + page(SBA_PAGES[1])["Data"]
    path = tmp_path / "statcompiler.csv"
    pd.DataFrame(records).to_csv(path, index=False)
    (from_csv,) = dhs.read([path])
    (from_json,) = dhs.read(SBA_PAGES)
    pd.testing.assert_frame_equal(from_csv.tables["fct_indicator_value"], from_json.tables["fct_indicator_value"])


def test_unknown_category_is_kept_under_the_publisher_labels_and_unknown_country_skipped(tmp_path):
    body = page(ORS)
    age = copy.deepcopy(body["Data"][0])
    age.update(CharacteristicCategory="Age in months", CharacteristicLabel="<6", IsTotal=0)
    elsewhere = copy.deepcopy(body["Data"][0])
    elsewhere.update(DHS_CountryCode="OS", SurveyId="OS2017MICS")
    body["Data"] += [age, elsewhere]
    messages = []
    (survey,) = dhs.read([write(tmp_path, body)], progress=messages.append)
    values = survey.tables["fct_indicator_value"]
    kept = values[values["dimension"] == "Age in months"].iloc[0]
    assert (kept["subgroup"], kept["ordered_dimension"], pd.isna(kept["subgroup_order"])) == ("<6", False, True)
    assert any("category 'Age in months' is not in dhs_characteristics.csv" in m for m in messages)
    assert any("DHS country code 'OS' skipped" in m for m in messages)


def test_country_codes_are_dhs_codes_not_iso_codes():
    codes = dhs.countries()
    assert {c: codes[c] for c in ("BU", "NI", "NG", "MD", "IA", "ID", "KH", "LS", "LB", "NM", "BT", "NC")} == {
        "BU": "BDI", "NI": "NER", "NG": "NGA", "MD": "MDG", "IA": "IND", "ID": "IDN", "KH": "KHM", "LS": "LSO",
        "LB": "LBR", "NM": "NAM", "BT": "BWA", "NC": "NIC"}
    assert len(set(codes.values())) == len(codes)  # one DHS code per country


def test_curated_dhs_indicators_point_at_catalogue_concepts():
    from dashboard import catalogue

    known = set(catalogue.known_indicators()["indicator_code"])
    same = dhs.indicators()["same_as"]
    assert set(same[same != ""]) <= known
    assert same["RH_DELA_C_SKP"] == "MDG_0000000025" and same["CN_NUTS_C_HA2"] == "SH.STA.STNT.ZS"


@pytest.mark.parametrize("change, column, reason", [
    ({"Value": "about 70"}, "Value", "'about 70' is not a number"),
    ({"SurveyYear": "2014-15"}, "SurveyYear", "is not a four-digit year"),
    ({"IsPreferred": "maybe"}, "IsPreferred", "is not 0/1 or true/false"),
    ({"CILow": 80.0}, "CILow", "80 is on the wrong side of the value 46.9"),
    ({"CharacteristicLabel": ""}, "CharacteristicLabel", "a value is required"),
])
def test_bad_cells_are_refused_naming_file_record_and_column(tmp_path, change, column, reason):
    body = page(ORS)
    body["Data"][3].update(change)
    path = write(tmp_path, body)
    with pytest.raises(ImportFormatError) as caught:
        dhs.read([path])
    assert (caught.value.path, caught.value.line, caught.value.column) == (str(path), 4, column)
    assert reason in caught.value.reason


def test_a_duplicate_with_no_preferred_estimate_is_refused(tmp_path):
    body = page(ORS)
    body["Data"][0]["IsPreferred"] = 0
    path = write(tmp_path, body)
    with pytest.raises(ImportFormatError, match=r"line 2, column 'IsPreferred': 'Total' \(Total\) of CH_DIAT_C_ORS "
                                                r"in GH2014DHS is given again \(also on line 1\)"):
        dhs.read([path])


@pytest.mark.parametrize("body, message", [
    ({"value": []}, "not a DHS API response: expected an object with a 'Data' list"),
    ({"Data": [{"IndicatorId": "X"}]}, "not DHS Program data: records lack DHS_CountryCode"),
])
def test_wrong_shapes_are_refused(tmp_path, body, message):
    with pytest.raises(ImportFormatError, match=message):
        dhs.read([write(tmp_path, body)])


def test_a_missing_page_and_a_truncated_file_are_refused(tmp_path):
    with pytest.raises(ImportFormatError, match=r"page\(s\) 2 of this 2-page answer \(22 records\) are missing"):
        dhs.read(SBA_PAGES[:1])
    cut = tmp_path / "cut.json"
    cut.write_text(SBA_PAGES[0].read_text(encoding="utf-8")[:5000], encoding="utf-8")
    with pytest.raises(ImportFormatError, match="invalid JSON .* the file may be truncated"):
        dhs.read([cut])
    csv = tmp_path / "no_value.csv"
    csv.write_text("IndicatorId,DHS_CountryCode,SurveyId,SurveyYear\nRH_DELA_C_SKP,GH,GH2014DHS,2014\n", encoding="utf-8")
    with pytest.raises(ImportFormatError, match=r"line 1, column 'Value': not a DHS Program data file"):
        dhs.read([csv])


def test_two_surveys_complement_each_other_in_the_store(tmp_path):
    (first,) = dhs.read(SBA_PAGES)
    body = {"Data": [dict(r, SurveyId="GH2022DHS", SurveyYear=2022, SurveyYearLabel="2022") for r in
                     page(SBA_PAGES[0])["Data"] + page(SBA_PAGES[1])["Data"]]}
    (second,) = dhs.read([write(tmp_path, body)])
    imports_dir = tmp_path / "imports"
    store.commit([first], imports_dir)
    store.commit([second], imports_dir)
    kept = {p.name: len(pd.read_parquet(p / "fct_indicator_value.parquet")) for p in imports_dir.iterdir()}
    assert kept == {"DHS_GH2014DHS": 22, "DHS_GH2022DHS": 22}


def test_the_standard_dhs_wins_over_a_special_survey_of_the_same_year(tmp_path):
    body = {"Data": [dict(r, SurveyId="GH2014MIS", SurveyType="MIS", Value=r["Value"] + 1,
                          CILow=r["CILow"] + 1, CIHigh=r["CIHigh"] + 1) for r in page(ORS)["Data"][:3]]}
    messages = []
    (survey,) = dhs.read([ORS, write(tmp_path, body)], progress=messages.append)
    assert survey.source_code == "DHS_GH2014DHS"
    assert survey.tables["fct_indicator_value"].query("dimension == 'Total'")["estimate"].tolist() == [48.6]
    assert any("2 value(s) of GH2014MIS skipped: the standard DHS survey GH2014DHS gives the same" in m
               for m in messages)


def test_the_same_key_from_two_surveys_of_one_type_is_refused_naming_both(tmp_path):
    body = {"Data": [dict(r, SurveyId="GH2014DHS2") for r in page(ORS)["Data"]]}
    other = write(tmp_path, body)
    with pytest.raises(ImportFormatError, match=r"duplicated key \(CH_DIAT_C_ORS, GHA, 2014, Total, Total\)"):
        dhs.read([ORS, other])
