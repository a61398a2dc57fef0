"""WHO e-SPAR importer: a small workbook in the publisher's layout, written here with openpyxl, and bad input."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from dashboard import build, db
from dashboard.cli import app
from dashboard.sources import espar
from dashboard.sources.errors import ImportFormatError
from tests.fixtures.trees import tree_digest

runner = CliRunner()
CODES = ["Total Average", "C.1.1", "C.1.2", "C.1", "C.2.1", "C.2"]


def workbook(tmp_path: Path, edit=None, name: str = "IHRScoreperCapacity_test.xlsx") -> Path:
    """An e-SPAR export in miniature: title block, merged capacity header, codes, AVG and regional rows,
    the States Parties' header and rows, and a glossary. `edit(sheet)` changes it before it is saved."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = espar.SHEET
    sheet["E1"] = "State Parties Self-Assessment Annual Reporting on the implementation of The International Health Regulations"
    sheet["E2"] = "Score by capacity & Indicator 2022 Updated on 01-05-2023"
    sheet.merge_cells("A1:C6")
    sheet.merge_cells("E1:J1")
    sheet.merge_cells("E2:J2")
    for row, cells in ((3, {"E": "Capacity 1", "H": "Capacity 2"}),
                       (4, {"E": "Policy, Legal and normative Instruments to implement IHR", "H": "IHR Coordination"}),
                       (5, {"E": "Score per indicator ", "G": "Total", "H": "Score per indicator ", "I": "Total"})):
        for column, text in cells.items():
            sheet[f"{column}{row}"] = text
    sheet.merge_cells("E3:G3")
    sheet.merge_cells("E4:G4")
    sheet.merge_cells("E5:F5")
    sheet.merge_cells("H3:I3")
    sheet.merge_cells("H4:I4")
    for offset, code in enumerate(CODES):
        sheet.cell(row=6, column=4 + offset, value=code)
    rows = [
        ("AVG Global Capacity", None, None, 66, 62, 50, 56, 65, 65),
        ("AFRO", None, None, 52, 41, 35, 38, 47, 47),
        ("Data Received", "Region", "State Party of IHR", *CODES),
        ("Yes", "AFRO", "Ghana ", 70, 80, 60, 70, 70, 70),
        ("Yes", "EURO", "Türkiye", 90, 100, 80, 90, 90, 90),
        ("Yes", "AFRO", "Kenya", 50, 40, "no data", 40, 60, 60),
        ("No", "WPRO", "Nauru", "no data", "", "", "no data", "", ""),
    ]
    for number, row in enumerate(rows, start=7):
        for offset, cell in enumerate(row):
            sheet.cell(row=number, column=1 + offset, value=cell)
    glossary = book.create_sheet(espar.GLOSSARY)
    for row in (("Capacities", None), ("Capacity", "Title"), ("C.1", "Policy, Legal and normative Instruments to implement IHR"),
                ("C.2", "IHR Coordination, National IHR Focal Point functions and advocacy"),
                ("Indicators", None), ("Indicator No", "Title"), ("C.1.1", "Policy, legal and normative instruments"),
                ("C.1.2", "Gender Equality in health emergencies"), ("C.2.1", "National IHR Focal Point functions")):
        glossary.append(row)
    if edit:
        edit(sheet)
    path = tmp_path / name
    book.save(path)
    return path


def values_of(import_set) -> pd.DataFrame:
    return import_set.tables["fct_indicator_value"].set_index(["indicator_code", "iso3"])["estimate"]


def test_workbook_gives_the_average_each_capacity_and_each_capacity_indicator(tmp_path):
    said = []
    (import_set,) = espar.read([workbook(tmp_path)], progress=said.append)
    values = values_of(import_set)
    assert import_set.source_code == "WHO_ESPAR_2022"
    assert values[("SDGIHR2021", "GHA")] == 70.0 and values[("SDGIHR2021", "TUR")] == 90.0
    assert values[("IHR_SPAR_C.1.1", "GHA")] == 80.0 and values[("IHR_SPAR_C.2", "KEN")] == 60.0
    assert values[("SDGIHR2021", "AFR")] == 52.0  # regional rows are WHO region aggregates
    assert "GLOBAL" not in import_set.tables["fct_indicator_value"]["iso3"].tolist()  # the AVG row is skipped
    assert ("IHR_SPAR_C.1.2", "KEN") not in values.index
    assert len(values) == 4 * 6 - 1
    assert (import_set.tables["fct_indicator_value"]["year"] == 2022).all()
    assert "1 State Part(ies) without data received skipped" in said[0]
    assert "1 empty or 'no data' score cell(s) skipped" in said[1]


def test_indicators_take_glossary_titles_and_the_ihr_tracer_is_the_average(tmp_path):
    (import_set,) = espar.read([workbook(tmp_path)])
    indicators = import_set.tables["dim_indicator"].set_index("indicator_code")
    assert indicators.loc["IHR_SPAR_C.1.2", "name"] == "IHR SPAR C.1.2 Gender Equality in health emergencies (score 0-100)"
    assert indicators.loc["IHR_SPAR_C.2", "name"] == ("IHR SPAR C.2 IHR Coordination, National IHR Focal Point "
                                                      "functions and advocacy (score 0-100)")
    assert (indicators["building_block"] == "Leadership and governance").all()
    assert (indicators["unit"] == "score (0-100)").all()
    assert indicators["uhc_tracer"].notna().tolist() == [i == "SDGIHR2021" for i in indicators.index]
    assert "Breakdown of SDGIHR2021" in indicators.loc["IHR_SPAR_C.1", "definition"]
    countries = import_set.tables["dim_country"].set_index("iso3")
    assert bool(countries.loc["AFR", "is_aggregate"]) and countries.loc["GHA", "who_region"] == "AFR"


def test_source_row_names_e_spar_its_year_and_licence(tmp_path):
    (import_set,) = espar.read([workbook(tmp_path)])
    source = import_set.source.iloc[0]
    assert source["publisher"] == "World Health Organization" and source["release"] == "2022"
    assert "e-SPAR" in source["title"] and "updated 2023-05-01" in source["title"]
    assert source["licence"] == espar.LICENCE and not source["is_synthetic"]


@pytest.mark.parametrize("edit, where, words", [
    (lambda s: s.__setitem__("F11", "high"), "row 11, column F", "'high' is not a score (C.1.2)"),
    (lambda s: s.__setitem__("G11", 120), "row 11, column G", "120 is outside the score range 0-100 (C.1)"),
    (lambda s: s.__setitem__("C12", "Atlantis"), "row 12, column C", "unknown State Party 'Atlantis'"),
    (lambda s: s.__setitem__("C12", "Ghana"), "row 12, column C", "GHA is listed twice (also on row 10)"),
    (lambda s: s.__setitem__("F6", "C1-1"), "row 6, column F", "header 'C1-1' is not a capacity"),
    (lambda s: s.__setitem__("A8", "PAHO"), "row 8, column A", "'PAHO' is neither the global 'AVG' row"),
    (lambda s: s.__setitem__("A11", "Maybe"), "row 11, column A", "'Data Received' is 'Maybe'"),
    (lambda s: s.__setitem__("E2", "Score by capacity"), "row 1", "the reporting year is unknown"),
])
def test_bad_cells_are_refused_naming_file_sheet_row_and_column(tmp_path, edit, where, words):
    path = workbook(tmp_path, edit)
    with pytest.raises(ImportFormatError) as error:
        espar.read([path])
    message = str(error.value)
    assert message.startswith(f"{path}, sheet 'Score by capacity & indicator', {where}: "), message
    assert words in message and "\n" not in message


def test_workbook_without_the_score_sheet_is_refused(tmp_path):
    path = workbook(tmp_path, lambda s: setattr(s, "title", "Sheet1"))
    with pytest.raises(ImportFormatError) as error:
        espar.read([path])
    assert "no sheet 'Score by capacity & indicator' (sheets: Sheet1, Glossary)" in str(error.value)


def test_file_that_is_not_a_workbook_is_refused_in_one_line(tmp_path, store):
    path = tmp_path / "scores.xlsx"
    path.write_text("Country,Score\nGhana,70\n", encoding="utf-8")
    result = runner.invoke(app, ["import", "espar", str(path), "--no-build"])
    assert result.exit_code == 1 and result.output.count("\n") == 1
    assert "scores.xlsx: not a readable .xlsx workbook" in result.output and "Traceback" not in result.output


def test_import_espar_command_stores_the_release(tmp_path, store):
    result = runner.invoke(app, ["import", "espar", str(workbook(tmp_path)), "--no-build"])
    assert result.exit_code == 0, result.output
    assert "imported WHO_ESPAR_2022: 23 values of 6 indicator(s), 3 countries and 1 aggregates" in result.output
    assert sorted(p.name for p in store.iterdir()) == ["WHO_ESPAR_2022"]
    stored = pd.read_parquet(store / "WHO_ESPAR_2022" / "fct_indicator_value.parquet")
    assert len(stored) == 23


def test_bad_workbook_leaves_the_store_unchanged(tmp_path, store):
    assert runner.invoke(app, ["import", "espar", str(workbook(tmp_path)), "--no-build"]).exit_code == 0
    before = tree_digest(store)
    bad = workbook(tmp_path, lambda s: s.__setitem__("H12", -5), name="IHRScoreperCapacity_bad.xlsx")
    result = runner.invoke(app, ["import", "espar", str(bad), "--no-build"])
    assert result.exit_code == 1 and result.output.count("\n") == 1
    assert "row 12, column H" in result.output and "-5 is outside the score range" in result.output
    assert tree_digest(store) == before


def test_regional_averages_of_the_ihr_tracer_do_not_reach_the_uhc_index(tmp_path, store):
    # SEAR is no three-letter ISO code: fed to the index as a country, it would fail the build.
    regional = workbook(tmp_path, lambda s: s.__setitem__("A8", "SEARO"))
    assert runner.invoke(app, ["import", "espar", str(regional), "--no-build"]).exit_code == 0
    target = tmp_path / "warehouse.duckdb"
    build.build(target=target, demo_scale=1, imports_dir=store)
    warehouse = db.open_read_only(target)
    try:
        stored = warehouse.connection.execute(
            "select iso3, estimate, source_code from fct_indicator_value where indicator_code = 'SDGIHR2021' "
            "and year = 2022 and iso3 in ('GHA', 'SEAR') order by iso3").fetchall()
        computed_regions = warehouse.connection.execute(
            "select count(*) from fct_indicator_value where indicator_code like 'UHC%COMPUTED' "
            "and iso3 in ('AFR', 'EUR', 'SEAR')").fetchone()[0]
    finally:
        warehouse.connection.close()
    assert stored == [("GHA", 70.0, "WHO_ESPAR_2022"), ("SEAR", 52.0, "WHO_ESPAR_2022")]
    assert computed_regions == 0


def test_two_workbooks_of_one_reporting_year_are_refused(tmp_path):
    first = workbook(tmp_path)
    second = workbook(tmp_path, name="IHRScoreperCapacity_again.xlsx")
    with pytest.raises(ImportFormatError) as error:
        espar.read([first, second])
    assert str(error.value).startswith(f"{second}: holds the same reporting year as {first}")
