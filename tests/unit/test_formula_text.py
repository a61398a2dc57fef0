"""Formula-like text in every text column of an imported file is stored as published and neutralised in every
spreadsheet file written from it: extract CSV and XLSX (data and metadata sheets) and chart CSV downloads."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from dashboard import db, extract
from dashboard.views import downloads
from tests.fixtures.warehouse import build_from_heat_rows
from tests.unit.test_extract import meta_for

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "heat" / "ghana_sba.csv"
FORMULAS = {"setting": "=cmd|' /C calc'!A0", "source": "+SUM(1,2)", "indicator_name": "@HYPERLINK(\"http://x\")",
            "dimension": "-2+3 wealth", "subgroup": "=1+1", "note": "=IMPORTXML(\"http://x\",\"//a\")"}
RISKY = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(scope="module")
def formula_db(tmp_path_factory) -> db.Warehouse:
    folder = tmp_path_factory.mktemp("formulas")
    with open(FIXTURE, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    for row in rows:  # prefixed, so each column keeps its distinct values
        row.update({column: f"{formula} {row[column]}".strip() for column, formula in FORMULAS.items()})
    return db.open_read_only(build_from_heat_rows(rows, folder, "formulas"))


def _selection(warehouse):
    codes = tuple(db.run(warehouse.connection, "indicators/catalogue_by_indicator")["indicator_code"])
    return extract.Selection(indicators=codes, countries=("GHA",), year_from=1990, year_to=2030, dimensions=())


def _unsafe(cells) -> list[str]:
    return [c for c in cells if isinstance(c, str) and c.startswith(RISKY)]


def test_formula_text_is_stored_as_published(formula_db):
    values = formula_db.connection.cursor().execute(
        "select distinct subgroup from fct_indicator_value where subgroup like '=%'").fetchall()
    assert values and all(v[0].startswith("=1+1") for v in values)


def test_csv_extract_neutralises_every_formula(formula_db, tmp_path):
    selection = _selection(formula_db)
    extract.write(formula_db.connection, selection, tmp_path / "x.csv.zip", "csv", meta_for(formula_db, selection))
    with zipfile.ZipFile(tmp_path / "x.csv.zip") as archive:
        table = pd.read_csv(io.BytesIO(archive.read("values.csv")), dtype=str, keep_default_na=False)
    cells = table.to_numpy().ravel().tolist()
    assert _unsafe(cells) == []
    assert any(c.startswith("'=1+1 ") for c in cells)  # subgroups, kept and neutralised


def test_xlsx_extract_neutralises_every_formula_in_both_sheets(formula_db, tmp_path):
    selection = _selection(formula_db)
    extract.write(formula_db.connection, selection, tmp_path / "x.xlsx", "xlsx", meta_for(formula_db, selection))
    book = openpyxl.load_workbook(tmp_path / "x.xlsx")  # not data_only: a formula would come back as one
    for sheet in book.worksheets:
        cells = [cell.value for row in sheet.iter_rows() for cell in row]
        assert _unsafe(cells) == [], sheet.title
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_chart_csv_download_neutralises_every_formula(formula_db):
    frame = formula_db.connection.cursor().execute(
        "select iso3, year, dimension, subgroup, estimate, flag from fct_indicator_value").df()
    text = downloads.to_csv(frame).decode() if isinstance(downloads.to_csv(frame), bytes) else downloads.to_csv(frame)
    cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
    assert _unsafe(cells) == [] and "'=1+1 Poorest" in cells
