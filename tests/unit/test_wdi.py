"""WDI importer: API downloads with companions, bulk tables, aggregates, provenance and bad input."""

from __future__ import annotations

import json
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from dashboard.sources import wdi
from dashboard.sources.errors import ImportFormatError

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "wdi"
PHYS = "API_SH.MED.PHYS.ZS_DS2_en_csv_v2_5359574.csv"
MORT = "API_SH.DYN.MORT_DS2_en_csv_v2_31650.csv"
# Non-empty cells in the PHYS fixture: AFG 3, ALB 3, XKX 1, WLD 4, HIC 2, ZWE 2.
PHYS_CELLS = 15


def copy(tmp_path: Path, *names: str) -> list[Path]:
    out = []
    for name in names:
        target = tmp_path / Path(name).name
        shutil.copy(FIXTURES / name, target)
        out.append(target)
    return out


def fct(import_set):
    return import_set.tables["fct_indicator_value"]


def value(import_set, iso3, year):
    frame = fct(import_set)
    return frame.loc[(frame["iso3"] == iso3) & (frame["year"] == year), "estimate"].item()


def test_api_download_becomes_one_release_with_every_non_empty_cell(tmp_path):
    (data,) = copy(tmp_path, PHYS)
    (import_set,) = wdi.read([data])
    assert import_set.source_code == "WB_WDI_2023-03-01"
    assert import_set.source["release"].item() == "2023-03-01"
    assert len(fct(import_set)) == PHYS_CELLS
    assert value(import_set, "AFG", 2018) == pytest.approx(0.2823)
    assert value(import_set, "ZWE", 1960) == pytest.approx(0.1)
    assert set(fct(import_set)["dimension"]) == {"Total"}
    assert set(fct(import_set)["source_code"]) == {"WB_WDI_2023-03-01"}


def test_retrieved_at_is_the_file_modification_time(tmp_path):
    (data,) = copy(tmp_path, PHYS)
    stamp = datetime(2023, 4, 5, 6, 7, 8, tzinfo=UTC).timestamp()
    os.utime(data, (stamp, stamp))
    (import_set,) = wdi.read([data])
    assert import_set.source["retrieved_at"].item() == datetime(2023, 4, 5, 6, 7, 8)


def test_companions_beside_the_file_mark_aggregates_and_describe_the_indicator(tmp_path):
    data, *_ = copy(tmp_path, PHYS, f"Metadata_Country_{PHYS}", f"Metadata_Indicator_{PHYS}")
    (import_set,) = wdi.read([data])
    countries = import_set.tables["dim_country"].set_index("iso3")
    assert countries.loc["WLD", "is_aggregate"] and countries.loc["HIC", "is_aggregate"]
    assert not countries.loc["XKX", "is_aggregate"]
    assert countries.loc["XKX", "wb_region"] == "Europe & Central Asia"
    assert countries.loc["WLD", "name"] == "World"
    indicator = import_set.tables["dim_indicator"].iloc[0]
    assert indicator["name"] == "Physicians (per 1,000 people)"
    assert indicator["definition"].startswith("Physicians include generalist")
    assert "Source: World Health Organization" in indicator["definition"]
    # Curated indicator: unit and range from the catalogue, not guessed.
    assert indicator["unit"] == "per 1,000 population" and indicator["indicator_scale"] == 1000


def test_companions_passed_explicitly_from_another_folder(tmp_path):
    (data,) = copy(tmp_path, PHYS)
    companions = [FIXTURES / "companions" / f"Metadata_Country_{PHYS}",
                  FIXTURES / "companions" / f"Metadata_Indicator_{PHYS}"]
    (import_set,) = wdi.read([data, *companions])
    countries = import_set.tables["dim_country"].set_index("iso3")
    assert countries.loc["XKX", "income_group"] == "Upper middle income"
    assert import_set.tables["dim_indicator"]["definition"].item().startswith("Physicians include")


def test_without_metadata_known_aggregate_codes_are_aggregates(tmp_path):
    (data,) = copy(tmp_path, MORT)
    (import_set,) = wdi.read([data])
    assert import_set.source_code == "WB_WDI_2024-09-19"
    countries = import_set.tables["dim_country"].set_index("iso3")
    assert bool(countries.loc["AFE", "is_aggregate"]) and bool(countries.loc["WLD", "is_aggregate"])
    assert not bool(countries.loc["ZMB", "is_aggregate"])
    assert countries.loc["ZMB", "iso_n3"] == "894"
    assert value(import_set, "AFE", 2022) == pytest.approx(54.5)


def test_catalogue_members_take_the_catalogue_classification(tmp_path):
    (data,) = copy(tmp_path, MORT)
    (import_set,) = wdi.read([data])
    zambia = import_set.tables["dim_country"].set_index("iso3").loc["ZMB"]
    assert zambia["who_region"] == "AFR" and zambia["wb_region"] == "Sub-Saharan Africa"


def test_two_downloads_of_different_releases_give_two_import_sets(tmp_path):
    sets = wdi.read(copy(tmp_path, PHYS, MORT))
    assert sorted(s.source_code for s in sets) == ["WB_WDI_2023-03-01", "WB_WDI_2024-09-19"]


def test_bulk_file_takes_catalogue_series_and_the_companions_beside_it(tmp_path):
    folder = tmp_path / "bulk"
    shutil.copytree(FIXTURES / "bulk", folder)
    (import_set,) = wdi.read([folder / "WDICSV.csv"], release="2024-12-16")
    assert import_set.source_code == "WB_WDI_2024-12-16"
    assert set(fct(import_set)["indicator_code"]) == {"SH.MED.BEDS.ZS"}  # GDP is not a catalogue indicator
    assert len(fct(import_set)) == 4
    assert value(import_set, "GHA", 2017) == pytest.approx(0.6)
    countries = import_set.tables["dim_country"].set_index("iso3")
    assert bool(countries.loc["ARB", "is_aggregate"]) and not bool(countries.loc["KEN", "is_aggregate"])
    assert import_set.tables["dim_indicator"]["definition"].item().startswith("Hospital beds include")
    assert import_set.source["licence"].item() == "CC BY 4.0"


def test_bulk_file_without_a_release_is_named_by_its_retrieval_date(tmp_path):
    folder = tmp_path / "bulk"
    shutil.copytree(FIXTURES / "bulk", folder)
    stamp = datetime(2024, 1, 2, tzinfo=UTC).timestamp()
    os.utime(folder / "WDICSV.csv", (stamp, stamp))
    (import_set,) = wdi.read([folder / "WDICSV.csv"])
    assert import_set.source_code == "WB_WDI_BULK_2024-01-02"
    assert import_set.source["release"].isna().all()


def test_uncatalogued_series_gets_a_unit_and_a_range_derived_from_its_name(tmp_path):
    folder = tmp_path / "bulk"
    shutil.copytree(FIXTURES / "bulk", folder)
    (import_set,) = wdi.read([folder / "WDICSV.csv"], indicators=["NY.GDP.PCAP.CD"], release="2024-12-16")
    indicator = import_set.tables["dim_indicator"].iloc[0]
    assert indicator["unit"] == "current US$"
    assert indicator["building_block"] == "Unclassified"
    # Largest value 5638.8 -> next power of ten 10^4, times ten.
    assert (indicator["plausible_min"], indicator["plausible_max"]) == (0.0, 100000.0)
    assert len(fct(import_set)) == 4


def test_country_table_alone_imports_classifications_only(tmp_path):
    (countries,) = copy(tmp_path, "bulk/WDICountry.csv")
    (import_set,) = wdi.read([countries])
    assert import_set.source_code == "WB_WDI_COUNTRIES"
    assert set(import_set.tables) == {"dim_country"}
    frame = import_set.tables["dim_country"].set_index("iso3")
    assert bool(frame.loc["ARB", "is_aggregate"]) and frame.loc["GHA", "income_group"] == "Lower middle income"


def test_series_table_alone_imports_nothing_and_says_so(tmp_path):
    (series,) = copy(tmp_path, "bulk/WDISeries.csv")
    said = []
    assert wdi.read([series], progress=said.append) == []
    assert "2 series" in said[0]


# ---- bad input: each names file, line and column ---------------------------------------------

def _bad(tmp_path: Path, name: str, edit) -> Path:
    text = (FIXTURES / name).read_text(encoding="utf-8-sig")
    path = tmp_path / Path(name).name
    path.write_text(edit(text), encoding="utf-8")
    return path


def test_truncated_download_names_the_short_line(tmp_path):
    path = _bad(tmp_path, PHYS, lambda t: t[: t.index('"Albania"') + 60])
    with pytest.raises(ImportFormatError) as error:
        wdi.read([path])
    assert error.value.line == 7 and "truncated" in str(error.value) and PHYS in str(error.value)


def test_truncated_inside_a_quoted_field(tmp_path):
    path = _bad(tmp_path, PHYS, lambda t: t[: t.index('"Albania"') + 4])
    with pytest.raises(ImportFormatError) as error:
        wdi.read([path])
    assert error.value.line == 7 and "truncated" in str(error.value)


def test_semicolon_delimited_file_is_refused(tmp_path):
    path = _bad(tmp_path, "bulk/WDICSV.csv", lambda t: t.replace('","', '";"'))
    with pytest.raises(ImportFormatError) as error:
        wdi.read([path])
    assert error.value.line == 1 and "';'-delimited" in str(error.value)


def test_unknown_country_code(tmp_path):
    path = _bad(tmp_path, MORT, lambda t: t.replace('"ZMB"', '"ZZZ"'))
    with pytest.raises(ImportFormatError) as error:
        wdi.read([path])
    assert (error.value.line, error.value.column) == (9, "Country Code")
    assert "'ZZZ'" in str(error.value)


def test_duplicated_country_row(tmp_path):
    def repeat(text):
        lines = text.splitlines()
        return "\n".join(lines + [lines[5]]) + "\n"
    path = _bad(tmp_path, MORT, repeat)
    with pytest.raises(ImportFormatError) as error:
        wdi.read([path])
    assert error.value.line == 11 and "duplicated key (SH.DYN.MORT, AFG, 2021" in str(error.value)
    assert "also on line 6" in str(error.value)


def test_non_numeric_cell(tmp_path):
    path = _bad(tmp_path, MORT, lambda t: t.replace('"55.5"', '"55,5"'))
    with pytest.raises(ImportFormatError) as error:
        wdi.read([path])
    assert (error.value.line, error.value.column) == (6, "2022")
    assert "'55,5' is not a number" in str(error.value)


def test_file_of_another_kind_is_refused(tmp_path):
    path = tmp_path / "API_SH.MED.PHYS.ZS_DS2_en_csv_v2_1.csv"
    shutil.copy(FIXTURES.parent / "gho" / "athena" / "WHS6_102.csv", path)
    with pytest.raises(ImportFormatError) as error:
        wdi.read([path])
    assert error.value.line == 1 and "not a World Bank WDI file" in str(error.value)


def test_implausible_value_names_its_cell(tmp_path):
    path = _bad(tmp_path, MORT, lambda t: t.replace('"204.6"', '"2046"'))
    with pytest.raises(ImportFormatError) as error:
        wdi.read([path])
    assert (error.value.line, error.value.column) == (9, "1960")
    assert "plausible range" in str(error.value)


def test_bad_release_date(tmp_path):
    path = _bad(tmp_path, MORT, lambda t: t.replace("2024-09-19", "19/09/2024"))
    with pytest.raises(ImportFormatError) as error:
        wdi.read([path])
    assert error.value.line == 3 and "YYYY-MM-DD" in str(error.value)


def test_release_option_must_be_a_date():
    with pytest.raises(ImportFormatError, match="--release: '16/12/2024' is not a date written YYYY-MM-DD"):
        wdi.read([FIXTURES / "bulk" / "WDICSV.csv"], release="16/12/2024")


def test_bulk_rows_of_unwanted_series_are_still_checked(tmp_path):
    path = _bad(tmp_path, "bulk/WDICSV.csv", lambda t: t.replace('"NY.GDP.PCAP.CD","",', '"NY.GDP.PCAP.CD",', 1))
    with pytest.raises(ImportFormatError) as error:
        wdi.read([path], release="2024-12-16")
    assert error.value.line == 3 and "field(s)" in str(error.value)


def test_json_file_is_not_a_wdi_file():
    with pytest.raises(ImportFormatError) as error:
        wdi.read([FIXTURES.parent / "gho" / "odata" / "WHOSIS_000001.json"])
    assert error.value.line == 1 and "not a World Bank WDI file" in str(error.value)


def test_governance_download_becomes_a_worldwide_governance_indicators_release(tmp_path):
    (data,) = copy(tmp_path, "API_GE.EST_DS2_en_csv_v2_wgi.csv")
    (import_set,) = wdi.read([data])
    assert import_set.source_code == "WB_WGI_2024-10-30"
    source = import_set.source.iloc[0]
    assert (source["title"], source["licence"]) == ("Worldwide Governance Indicators", "CC BY 4.0")
    assert len(fct(import_set)) == 8  # AFG 3, GHA 2, XKX 1, DNK 2
    assert value(import_set, "AFG", 2023) == pytest.approx(-1.8612)
    assert value(import_set, "DNK", 1996) == pytest.approx(1.889)
    indicator = import_set.tables["dim_indicator"].iloc[0]
    assert (indicator["indicator_code"], indicator["unit"], indicator["building_block"]) == (
        "GE.EST", "estimate (-2.5 to 2.5)", "Leadership and governance")
    assert indicator["source_code"] == "WB_WGI_2024-10-30"


def test_a_download_from_a_database_the_catalogue_does_not_name_is_refused(tmp_path):
    (data,) = copy(tmp_path, "API_GE.EST_DS2_en_csv_v2_wgi.csv")
    text = data.read_text(encoding="utf-8-sig").replace("Worldwide Governance Indicators", "Doing Business")
    data.write_text(text, encoding="utf-8")
    with pytest.raises(ImportFormatError) as error:
        wdi.read([data])
    assert str(error.value) == (f"{data}, line 1, column 'Data Source': Data Source is 'Doing Business'; this "
                                "importer reads World Development Indicators and Worldwide Governance Indicators")


ANSWERS = FIXTURES.parent / "fetch"


def test_saved_api_answers_of_source_3_become_a_wgi_release(tmp_path):
    pages = [shutil.copy(ANSWERS / f"wb_data_GE.EST_p{n}.json", tmp_path) for n in (1, 2)]
    (import_set,) = wdi.read([Path(p) for p in pages])
    assert import_set.source_code == "WB_WGI_2024-10-30"
    assert import_set.source["title"].item() == "Worldwide Governance Indicators"
    values = fct(import_set).set_index(["iso3", "year"])["estimate"]
    assert values.to_dict() == {("AFG", 2023): -1.8612, ("GHA", 2023): -0.1703, ("XKX", 2023): -0.2311}
    indicator = import_set.tables["dim_indicator"].iloc[0]
    assert (indicator["name"], indicator["unit"]) == ("Government Effectiveness: Estimate", "estimate (-2.5 to 2.5)")


def test_saved_wdi_answers_keep_aggregates_and_read_iso2_country_ids(tmp_path):
    pages = [Path(shutil.copy(ANSWERS / f"wb_data_SH.MED.PHYS.ZS_p{n}.json", tmp_path)) for n in (1, 2)]
    (import_set,) = wdi.read(pages)
    assert import_set.source_code == "WB_WDI_2024-09-19"
    assert value(import_set, "AFG", 2018) == pytest.approx(0.2823)
    assert value(import_set, "XKX", 2018) == pytest.approx(1.9)  # empty countryiso3code, country id 'XK'
    countries = import_set.tables["dim_country"].set_index("iso3")
    assert bool(countries.loc["WLD", "is_aggregate"]) and not bool(countries.loc["AFG", "is_aggregate"])


def test_a_saved_refusal_or_a_bad_value_is_one_line_naming_the_record(tmp_path):
    refusal = Path(shutil.copy(ANSWERS / "wb_invalid_indicator.json", tmp_path))
    with pytest.raises(ImportFormatError, match="the saved answer is the API's refusal, not data .Invalid value"):
        wdi.read([refusal])
    page = json.loads((ANSWERS / "wb_data_GE.EST_p2.json").read_text(encoding="utf-8"))
    page[1][1]["value"] = "n/a"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(page), encoding="utf-8")
    with pytest.raises(ImportFormatError) as error:
        wdi.read([bad])
    assert str(error.value) == f"{bad}, line 2, column 'value': 'n/a' is not a number"
    page[0]["sourceid"] = "1"
    bad.write_text(json.dumps(page), encoding="utf-8")
    with pytest.raises(ImportFormatError, match=r"sourceid 1 .* is not a World Bank database the catalogue names: "
                                                r"2 \(WB_WDI\), 3 \(WB_WGI\)"):
        wdi.read([bad])
