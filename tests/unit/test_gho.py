"""GHO importer: the four shapes, disaggregation mapping, display values, aggregates and bad input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from dashboard import contract
from dashboard.sources import gho, gho_shapes, tabular
from dashboard.sources.errors import ImportFormatError

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "gho"


def read_one(*paths: Path):
    (import_set,) = gho.read(list(paths))
    return import_set


def fct(import_set):
    return import_set.tables["fct_indicator_value"]


def pick(frame, **where):
    for column, wanted in where.items():
        frame = frame[frame[column] == wanted]
    assert len(frame) == 1, where
    return frame.iloc[0]


@pytest.mark.parametrize("name, shape", [
    ("odata/WHOSIS_000001.json", "odata"), ("theme/data/WHOSIS_000002.csv", "theme"),
    ("web/medical_doctors_per10000.csv", "web"), ("athena/WHS6_102.csv", "athena"),
    ("theme/codes/SEX.csv", "codes")])
def test_shape_is_detected_from_content_not_name(tmp_path, name, shape):
    renamed = tmp_path / ("data" + Path(name).suffix)
    shutil.copy(FIXTURES / name, renamed)
    assert gho_shapes.read_file(renamed).shape == shape


def test_odata_sex_codes_map_to_sex_subgroups_and_total():
    import_set = read_one(FIXTURES / "odata/WHOSIS_000001.json")
    values = fct(import_set)
    total = pick(values, iso3="GHA", dimension=contract.TOTAL)
    assert total["estimate"] == pytest.approx(64.09432)
    assert (total["ci_lower"], total["ci_upper"]) == (pytest.approx(62.8), pytest.approx(65.4))
    female = pick(values, iso3="GHA", subgroup="Female")
    assert female["dimension"] == contract.DIM_SEX
    assert not female["ordered_dimension"] and not female["reference_subgroup"]
    assert pd.isna(female["subgroup_order"])
    # Release: the latest Date on any record.
    assert import_set.source_code == "WHO_GHO_2024-08-02"


def test_odata_regions_income_groups_and_global_are_aggregates():
    import_set = read_one(FIXTURES / "odata/WHOSIS_000001.json")
    countries = import_set.tables["dim_country"].set_index("iso3")
    for code in ("AFR", "GLOBAL", "WB_LI"):
        assert bool(countries.loc[code, "is_aggregate"])
    assert countries.loc["AFR", "name"] == "African Region"
    assert not bool(countries.loc["GHA", "is_aggregate"])
    assert pick(fct(import_set), iso3="GLOBAL")["estimate"] == pytest.approx(72.84555)


def test_athena_equity_file_gives_ordered_quintiles_and_urban_reference():
    values = fct(read_one(FIXTURES / "athena/EQ_SBA.csv"))
    wealth = values[values["dimension"] == contract.DIM_WEALTH].sort_values("subgroup_order")
    assert list(wealth["subgroup_order"]) == [1, 2, 3, 4, 5]
    assert list(wealth["subgroup"]) == ["Quintile 1 (poorest)", "Quintile 2", "Quintile 3", "Quintile 4",
                                        "Quintile 5 (richest)"]
    assert wealth["ordered_dimension"].all() and not wealth["reference_subgroup"].any()
    assert list(wealth["estimate"]) == [48.8, 63.9, 78.0, 91.2, 97.1]
    residence = values[values["dimension"] == contract.DIM_RESIDENCE].set_index("subgroup")
    assert bool(residence.loc["Urban", "reference_subgroup"]) and not bool(residence.loc["Rural", "reference_subgroup"])
    assert not residence["ordered_dimension"].any()
    education = values[values["dimension"] == contract.DIM_EDUCATION].sort_values("subgroup_order")
    assert list(education["estimate"]) == [54.3, 74.2, 92.7]
    totals = values[values["dimension"] == contract.TOTAL]
    assert sorted(totals["year"]) == [2011, 2014]


def test_athena_file_has_no_release_date():
    import_set = read_one(FIXTURES / "athena/WHS6_102.csv")
    assert import_set.source_code == "WHO_GHO_ATHENA"
    assert import_set.source["release"].isna().all()
    assert import_set.source["url"].item() == "https://apps.who.int/gho/athena/api/GHO/WHS6_102"
    assert pick(fct(import_set), iso3="ALB", year=2012)["estimate"] == pytest.approx(28.844)


def test_uhc_regional_rows_on_a_0_1_scale_are_rescaled_to_match_their_display():
    values = fct(read_one(FIXTURES / "athena/UHC_INDEX_REPORTED.csv"))
    africa = pick(values, iso3="AFR", year=2015)
    assert africa["estimate"] == pytest.approx(44.412) and africa["flag"] == gho.RESCALED
    assert pick(values, iso3="GLOBAL", year=2017)["estimate"] == pytest.approx(65.736)
    assert pick(values, iso3="WB_HI", year=2017)["estimate"] == pytest.approx(82.6)
    ghana = pick(values, iso3="GHA", year=2017)
    assert ghana["estimate"] == 45.0 and pd.isna(ghana["flag"])
    # A true zero agrees with its display and is left alone.
    assert pick(values, iso3="SVN", year=2015)["estimate"] == 0.0


def test_display_value_is_used_when_numeric_is_empty():
    said = []
    (import_set,) = gho.read([FIXTURES / "athena/MDG_0000000026.csv"], progress=said.append)
    values = fct(import_set)
    row = pick(values, iso3="SLE", year=2008)
    assert (row["estimate"], row["ci_lower"], row["ci_upper"]) == (1550.0, 1210.0, 1980.0)
    assert pick(values, iso3="AFR", year=2009)["ci_upper"] == 699.0
    assert len(values) == 3 and "1 row(s) without a value skipped" in said[0]


@pytest.mark.parametrize("text, parsed", [
    ("1 610 [ 1 290 - 2 020 ]", (1610.0, 1290.0, 2020.0)), ("634 [594-699]", (634.0, 594.0, 699.0)),
    ("48.0 [46.7-49.6]", (48.0, 46.7, 49.6)), ("1\u00a0097\u00a0609", (1097609.0, None, None)),
    ("-3.5", (-3.5, None, None)), ("1 61", None), ("<0.1", None), ("1,5", None), ("No data", None),
    ("[5]/[10]", None)])
def test_display_text_parses_only_when_unambiguous(text, parsed):
    assert tabular.display_value(text) == parsed


def test_several_sources_for_one_key_keep_the_first_listed():
    values = fct(read_one(FIXTURES / "athena/MDG_0000000025.csv"))
    tto = pick(values, iso3="TTO", year=2000)
    assert tto["estimate"] == 99.0 and tto["flag"] == gho.ALTERNATIVES
    assert pick(values, iso3="TUR", year=2015)["estimate"] == 99.0
    assert pd.isna(pick(values, iso3="AFG", year=2014)["flag"])
    assert len(values) == 4


def test_theme_download_uses_the_code_lists_beside_it(tmp_path):
    shutil.copytree(FIXTURES / "theme", tmp_path / "theme")
    import_set = read_one(tmp_path / "theme" / "data" / "WHOSIS_000002.csv")
    indicator = import_set.tables["dim_indicator"].iloc[0]
    assert indicator["name"] == "Healthy life expectancy (HALE) at birth (years)"
    assert indicator["unit"] == "years" and indicator["building_block"] == "Outcomes"  # curated reference entry
    countries = import_set.tables["dim_country"].set_index("iso3")
    assert countries.loc["CHI", "name"] == "Channel islands" and not bool(countries.loc["CHI", "is_aggregate"])
    assert countries.loc["EUR", "name"] == "European Region" and bool(countries.loc["EUR", "is_aggregate"])
    assert pick(fct(import_set), iso3="KEN", subgroup="Male")["estimate"] == pytest.approx(54.9)


def test_who_int_export_reads_grouped_values_prefixes_and_names():
    import_set = read_one(FIXTURES / "web/medical_doctors_per10000.csv")
    assert import_set.source_code == "WHO_GHO_2022-01-24"
    values = fct(import_set)
    assert pick(values, iso3="IND")["estimate"] == 1097609.0
    assert pick(values, iso3="TCD")["flag"] == "value given as '<'"
    indicators = import_set.tables["dim_indicator"].set_index("indicator_code")
    assert indicators.loc["HWF_0002", "name"] == "Medical doctors (number)"
    assert indicators.loc["HWF_0002", "unit"] == "number" and indicators.loc["HWF_0002", "decimals"] == 0
    # HWF_0001 is curated: the catalogue's unit, the file's name.
    assert indicators.loc["HWF_0001", "unit"] == "per 10,000 population"
    assert indicators.loc["HWF_0001", "name"] == "Medical doctors (per 10,000)"


def test_code_list_alone_imports_area_names_only():
    import_set = read_one(FIXTURES / "theme/codes/COUNTRY.csv", FIXTURES / "theme/codes/REGION.csv")
    assert import_set.source_code == "WHO_GHO_COUNTRIES" and set(import_set.tables) == {"dim_country"}
    countries = import_set.tables["dim_country"].set_index("iso3")
    assert countries.loc["SDN736", "who_region"] == "EMR"
    assert bool(countries.loc["AFR", "is_aggregate"])


# ---- bad input -------------------------------------------------------------------------------

def _edited(tmp_path: Path, name: str, old: str, new: str) -> Path:
    path = tmp_path / Path(name).name
    text = (FIXTURES / name).read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_text_only_indicator_is_rejected_with_its_reason():
    with pytest.raises(ImportFormatError) as error:
        gho.read([FIXTURES / "odata/EMFLIMITTEXT.json"])
    assert "holds no numeric values" in str(error.value) and "'No data'" in str(error.value)
    assert error.value.column == "NumericValue"


def test_unknown_disaggregation_code(tmp_path):
    path = _edited(tmp_path, "athena/EQ_SBA.csv", '"WQ3"', '"WQ9"')
    with pytest.raises(ImportFormatError) as error:
        gho.read([path])
    assert (error.value.line, error.value.column) == (5, "WEALTHQUINTILE")
    assert "unknown WEALTHQUINTILE code 'WQ9'" in str(error.value)


def test_value_split_by_two_dimensions_is_refused(tmp_path):
    path = _edited(tmp_path, "athena/EQ_SBA.csv", '"AFR","GHA","","","WQ1"', '"AFR","GHA","","URB","WQ1"')
    with pytest.raises(ImportFormatError) as error:
        gho.read([path])
    assert error.value.line == 3 and "more than one dimension" in str(error.value)


def test_exactly_repeated_record_is_a_duplicated_key(tmp_path):
    path = tmp_path / "WHS6_102.csv"
    lines = (FIXTURES / "athena/WHS6_102.csv").read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines + [lines[3]]) + "\n", encoding="utf-8")
    with pytest.raises(ImportFormatError) as error:
        gho.read([path])
    assert error.value.line == 7 and "duplicated key (WHS6_102, ALB, 2012" in str(error.value)
    assert "also on line 4" in str(error.value)


def test_non_numeric_value_names_line_and_column(tmp_path):
    path = _edited(tmp_path, "athena/WHS6_102.csv", '"28.84400"', '"28,844"')
    with pytest.raises(ImportFormatError) as error:
        gho.read([path])
    assert (error.value.line, error.value.column) == (4, "Numeric")


def test_ambiguous_display_without_numeric_is_refused(tmp_path):
    path = _edited(tmp_path, "athena/MDG_0000000026.csv", '"1 550 [ 1 210 - 1 980 ]"', '"<1 550"')
    with pytest.raises(ImportFormatError) as error:
        gho.read([path])
    assert (error.value.line, error.value.column) == (3, "Numeric") and "'<1 550'" in str(error.value)


def test_unknown_country_code(tmp_path):
    path = _edited(tmp_path, "web/medical_doctors_per10000.csv", ",NER,", ",XYZ,")
    with pytest.raises(ImportFormatError) as error:
        gho.read([path])
    assert (error.value.line, error.value.column) == (2, "SpatialDimValueCode")


def test_truncated_json(tmp_path):
    path = tmp_path / "WHOSIS_000001.json"
    text = (FIXTURES / "odata/WHOSIS_000001.json").read_text(encoding="utf-8")
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(ImportFormatError) as error:
        gho.read([path])
    assert "truncated" in str(error.value) and error.value.line > 1


def test_truncated_csv(tmp_path):
    path = tmp_path / "EQ_SBA.csv"
    text = (FIXTURES / "athena/EQ_SBA.csv").read_text(encoding="utf-8")
    path.write_text(text[: text.index('"EQ_SBA","EQ_DHS","PUBLISHED","2014","AFR","GHA","","URB"') + 40],
                    encoding="utf-8")
    with pytest.raises(ImportFormatError) as error:
        gho.read([path])
    assert error.value.line == 8 and "truncated" in str(error.value)


def test_wdi_file_is_not_a_gho_file():
    wdi_file = FIXTURES.parent / "wdi" / "API_SH.DYN.MORT_DS2_en_csv_v2_31650.csv"
    with pytest.raises(ImportFormatError) as error:
        gho.read([wdi_file])
    assert error.value.line == 1 and "not a WHO GHO file" in str(error.value)


def test_odata_without_value_list(tmp_path):
    path = tmp_path / "x.json"
    path.write_text(json.dumps({"error": {"code": "404"}}), encoding="utf-8")
    with pytest.raises(ImportFormatError) as error:
        gho.read([path])
    assert "no top-level 'value' list" in str(error.value)


def test_same_indicator_in_two_files_of_one_release_is_refused(tmp_path):
    copy = tmp_path / "WHS6_102_again.csv"
    shutil.copy(FIXTURES / "athena/WHS6_102.csv", copy)
    with pytest.raises(ImportFormatError) as error:
        gho.read([FIXTURES / "athena/WHS6_102.csv", copy])
    assert str(error.value).startswith(str(copy))
    assert "indicator WHS6_102 of release WHO_GHO_ATHENA is also in" in str(error.value)


def test_files_of_one_release_are_merged():
    (import_set,) = gho.read([FIXTURES / "athena/WHS6_102.csv", FIXTURES / "athena/EQ_SBA.csv"])
    assert fct(import_set).groupby("indicator_code").size().to_dict() == {"EQ_SBA": 12, "WHS6_102": 5}


def test_old_athena_sex_codes_map_like_the_odata_ones(tmp_path):
    path = tmp_path / "WHOSIS_000001.csv"
    path.write_text(
        '"GHO","PUBLISHSTATE","YEAR","REGION","COUNTRY","SEX","Display Value","Numeric","Low","High","Comments"\n'
        '"WHOSIS_000001","PUBLISHED","2016","AFR","GHA","BTSX","63.9","63.90000","","",""\n'
        '"WHOSIS_000001","PUBLISHED","2016","AFR","GHA","MLE","62.6","62.60000","","",""\n'
        '"WHOSIS_000001","PUBLISHED","2016","AFR","GHA","FMLE","65.2","65.20000","","",""\n', encoding="utf-8")
    values = fct(read_one(path)).set_index("subgroup")
    assert values.loc["Total", "dimension"] == contract.TOTAL and values.loc["Total", "estimate"] == 63.9
    assert values.loc["Male", "dimension"] == contract.DIM_SEX and values.loc["Female", "estimate"] == 65.2


# ---- shapes the publisher really uses --------------------------------------------------------

def test_breakdown_of_the_indicator_becomes_one_indicator_per_code():
    said = []
    (import_set,) = gho.read([FIXTURES / "athena/IHRSPAR_CAPACITY01.csv"], progress=said.append)
    values = fct(import_set)
    parent, level = "IHRSPAR_CAPACITY01", "IHRSPAR_CAPACITY01__IHRSPARCAPLEVEL01_C_1_1"
    assert sorted(values["indicator_code"].unique()) == [parent, level, "IHRSPAR_CAPACITY01__IHRSPARCAPLEVEL01_C_1_2"]
    assert (values["dimension"] == contract.TOTAL).all()
    assert pick(values, indicator_code=level, iso3="GHA")["estimate"] == 80.0
    assert pick(values, indicator_code=parent, iso3="GHA")["estimate"] == 70.0
    indicator = import_set.tables["dim_indicator"].set_index("indicator_code").loc[level]
    assert indicator["name"] == "IHRSPAR_CAPACITY01, IHRSPARCAPLEVEL01_C_1_1"
    assert indicator["definition"].startswith(f"Breakdown of {parent} by IHRSPARCAPACITYLEVEL = IHRSPARCAPLEVEL01_C_1_1")
    assert any("IHRSPARCAPACITYLEVEL is not a population subgroup" in line and "2 code(s)" in line for line in said)


def test_text_cells_without_a_number_are_skipped_and_counted():
    said = []
    (import_set,) = gho.read([FIXTURES / "athena/IHRSPAR_CAPACITY01.csv"], progress=said.append)
    assert len(fct(import_set)) == 5 and "AFG" not in set(fct(import_set)["iso3"])
    skipped = [line for line in said if "holding text instead of a number skipped" in line]
    assert len(skipped) == 1 and skipped[0].split(": ")[1].startswith("3 cell(s)")
    assert "'Not applicable', 'No data', 'Other'" in skipped[0]


def test_breakdown_of_a_curated_indicator_keeps_its_unit_but_is_not_a_tracer():
    import_set = read_one(FIXTURES / "odata/SDGIHR2021.json")
    values = fct(import_set)
    assert pick(values, indicator_code="SDGIHR2021")["estimate"] == 57.0  # the _TOTL codes are the parent's own
    assert pick(values, indicator_code="SDGIHR2021__IHRSPARCAPACITYLEVEL_C02")["estimate"] == 60.0
    indicators = import_set.tables["dim_indicator"].set_index("indicator_code")
    item = indicators.loc["SDGIHR2021__IHRSPARCAPACITYLEVEL_C02__IHRSPARINDICATORSCORE_C02_1"]
    assert item["unit"] == indicators.loc["SDGIHR2021", "unit"] == "score (0-100)"
    assert item["building_block"] == "Leadership and governance" and pd.isna(item["uhc_tracer"])
    assert "Breakdown of SDGIHR2021" in item["definition"]
    assert not pd.isna(indicators.loc["SDGIHR2021", "uhc_tracer"])


def test_web_export_breakdown_is_named_from_its_label(tmp_path):
    path = tmp_path / "spar.csv"
    header = (FIXTURES / "web/medical_doctors_per10000.csv").read_text(encoding="utf-8").splitlines()[0]
    path.write_text(header + "\n" + 'SDGIHR2021,"IHR capacity (score)",numeric,AFR,Africa,Country,KEN,Kenya,Year,2021,'
                    'true,IHR capacity level,C.2 IHR coordination,IHRSPARCAPACITYLEVEL_C02,,,,,,,,,,60,,,,,,60,,,EN,'
                    '2023-03-01T08:00:00.000Z\n', encoding="utf-8")
    indicator = read_one(path).tables["dim_indicator"].iloc[0]
    assert indicator["indicator_code"] == "SDGIHR2021__IHRSPARCAPACITYLEVEL_C02"
    assert indicator["name"] == "IHR capacity, C.2 IHR coordination (score)"


def test_period_is_stored_at_its_end_year_with_the_period_kept():
    values = fct(read_one(FIXTURES / "periods/period_years.csv"))
    ghana = pick(values, iso3="GHA", year=2017)
    assert ghana["estimate"] == 9.0 and ghana["flag"] == "period 2013-2017"
    assert pick(values, iso3="ALB", year=2014)["flag"] == "period 2010-2014"
    assert pd.isna(pick(values, iso3="GHA", year=2018)["flag"])


def test_backwards_period_is_refused(tmp_path):
    path = _edited(tmp_path, "periods/period_years.csv", '"2013-2017"', '"2017-2013"')
    with pytest.raises(ImportFormatError) as error:
        gho.read([path])
    assert (error.value.line, error.value.column) == (2, "YEAR") and "'2017-2013'" in str(error.value)


def test_text_in_a_numeric_indicator_is_skipped_but_a_mangled_number_is_not(tmp_path):
    path = _edited(tmp_path, "athena/MDG_0000000026.csv", '"1 550 [ 1 210 - 1 980 ]"', '"Not applicable"')
    said = []
    (import_set,) = gho.read([path], progress=said.append)
    assert len(fct(import_set)) == 2 and any("1 cell(s) holding text" in line for line in said)


def test_theme_breakdown_is_named_from_the_code_list_beside_it(tmp_path):
    shutil.copytree(FIXTURES / "theme", tmp_path / "theme")
    data = tmp_path / "theme" / "data" / "SDGIHR2021.csv"
    header = (FIXTURES / "theme/data/WHOSIS_000002.csv").read_text(encoding="utf-8").splitlines()[0]
    data.write_text(header + "\n1,SDGIHR2021,COUNTRY,KEN,AFR,Africa,YEAR,2021,IHRSPARCAPACITYLEVEL,"
                    "IHRSPARCAPACITYLEVEL_C05,,,,,,,80,80,,,,2023-03-01T09:00:00Z,2021,2021-01-01,2021-12-31\n",
                    encoding="utf-8")
    (tmp_path / "theme" / "codes" / "IHRSPARCAPACITYLEVEL.csv").write_text(
        "Dimension,Code,Title,ParentDimension,ParentCode,ParentTitle\n"
        "IHRSPARCAPACITYLEVEL,IHRSPARCAPACITYLEVEL_C05,C.5 Surveillance,,,\n", encoding="utf-8")
    indicator = read_one(data).tables["dim_indicator"].iloc[0]
    assert indicator["indicator_code"] == "SDGIHR2021__IHRSPARCAPACITYLEVEL_C05"
    # The file names no parent: the catalogue's name for SDGIHR2021 is used.
    assert indicator["name"] == ("International Health Regulations (IHR) capacity, SPAR average of 15 core "
                                 "capacities, C.5 Surveillance")
