"""Reading, validating and importing files in the HEAT Plus template layout."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from dashboard import config, equity
from dashboard.sources import heat, imports

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "heat"
GHANA = FIXTURES / "ghana_sba.csv"
LEGACY = FIXTURES / "legacy_year_flag.csv"


def rows_of(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def write_csv(path: Path, rows: list[list]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list], *, sheet: str = "template", before: str | None = "legend"):
    book = openpyxl.Workbook()
    first = book.active
    if before:
        first.title = before
        first.append(["VARIABLE", "TYPE"])
        data = book.create_sheet(sheet)
    else:
        first.title = sheet
        data = first
    for row in rows:
        data.append([_typed(v) for v in row])
    book.save(path)
    return path


def _typed(value: str):
    """Cells as Excel holds them: numbers as numbers, blanks as empty."""
    if value == "":
        return None
    try:
        number = float(value)
    except ValueError:
        return value
    return int(number) if number.is_integer() else number


def edited(tmp_path: Path, row: int, column: str, value: str, source: Path = GHANA) -> Path:
    """A copy of `source` with one cell changed; `row` as a spreadsheet numbers it (header = 1)."""
    rows = rows_of(source)
    rows[row - 1][rows[0].index(column)] = value
    return write_csv(tmp_path / "edited.csv", rows)


def test_read_csv_gives_canonical_columns_types_and_spreadsheet_rows():
    df = heat.read(GHANA)
    assert list(df.columns) == list(heat.COLUMNS)
    assert len(df) == 36
    assert df.index[0] == 2 and df.index[-1] == 37
    assert df["date"].dtype == "int64" and df["subgroup_order"].dtype == "int64"
    assert df["favourable_indicator"].dtype == bool
    first = df.loc[2]
    assert (first["subgroup"], first["estimate"], first["population"], first["iso3"]) == ("Poorest", 20.0, 78.0, "GHA")
    u5mr = df[df["indicator_abbr"] == "u5mr"]
    assert not u5mr["favourable_indicator"].any()
    assert u5mr["setting_average"].tolist() == [66.8, 66.8]
    assert u5mr["note"].iloc[0] == "low n" and pd.isna(u5mr["note"].iloc[1])


def test_xlsx_template_sheet_reads_the_same_as_csv(tmp_path):
    book = write_xlsx(tmp_path / "ghana.xlsx", rows_of(GHANA))
    pd.testing.assert_frame_equal(heat.read(book), heat.read(GHANA))


def test_xlsx_without_a_template_sheet_reads_the_first_sheet(tmp_path):
    book = write_xlsx(tmp_path / "ghana.xlsx", rows_of(GHANA), sheet="Sheet1", before=None)
    assert len(heat.read(book)) == 36


def test_legacy_year_and_flag_columns_and_absent_optional_columns():
    df = heat.read(LEGACY)
    assert df["date"].tolist() == [2016, 2016, 2016]
    assert df["note"].tolist()[2] == "imputed"
    assert df["iso3"].isna().all() and df["ci_lb"].isna().all() and df["setting_average"].isna().all()
    out = equity.summary_measures(df).set_index("measure")
    assert out.loc["d", "estimate"] == pytest.approx(72.3 - 41.0)


def test_booleans_may_be_written_true_false(tmp_path):
    rows = rows_of(GHANA)
    flags = [rows[0].index(c) for c in ("favourable_indicator", "ordered_dimension", "reference_subgroup")]
    for row in rows[1:]:
        for i in flags:
            row[i] = {"1": "TRUE", "0": "false"}[row[i]]
    pd.testing.assert_frame_equal(heat.read(write_csv(tmp_path / "words.csv", rows)), heat.read(GHANA))


def test_semicolon_separated_export_is_read(tmp_path):
    path = tmp_path / "semi.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, delimiter=";").writerows(rows_of(GHANA))
    assert heat.read(path)["estimate"].sum() == heat.read(GHANA)["estimate"].sum()


def test_blank_and_ellipsis_rows_are_skipped_without_renumbering(tmp_path):
    rows = rows_of(GHANA)[:4] + [[""] * 20] + rows_of(GHANA)[4:6] + [["…"] * 20]
    df = heat.read(write_csv(tmp_path / "gaps.csv", rows))
    assert df.index.tolist() == [2, 3, 4, 6, 7]


@pytest.mark.parametrize("row, column, value, message", [
    (4, "estimate", "forty", "row 4, column estimate: 'forty' is not a number"),
    (3, "favourable_indicator", "2", "row 3, column favourable_indicator: '2' is not 0/1 or TRUE/FALSE"),
    (5, "date", "2014.5", "row 5, column date: '2014.5' is not a whole number"),
    (5, "date", "14", "row 5, column date: 14 is not a four-digit year"),
    (7, "setting", "", "row 7, column setting: a value is required"),
    (8, "se", "-1", "row 8, column se: -1 is below the smallest allowed value 0"),
    (9, "indicator_scale", "0", "row 9, column indicator_scale: must be greater than zero"),
    (4, "iso3", "GH", "row 4, column iso3: 'GH' is not a three-letter ISO code"),
    (4, "subgroup_order", "2", "row 4, column subgroup_order: 2 does not fit an ordered dimension of 5"),
    (10, "reference_subgroup", "1", "row 20, column reference_subgroup: a second reference subgroup "
                                    "(the first is in row 10)"),
    (12, "indicator_scale", "1000", "row 12, column indicator_scale: 1000 differs from 100 given for "
                                    "the same indicator_abbr in row 2"),
    (12, "indicator_name", "SBA", "row 12, column indicator_name: SBA differs from"),
    (3, "ordered_dimension", "0", "row 3, column ordered_dimension: 0 differs from 1 given for the "
                                  "same setting, date, indicator_abbr, dimension in row 2"),
    (3, "reference_subgroup", "1", "row 3, column reference_subgroup: must be 0 in an ordered dimension"),
    (8, "subgroup", "Region 01", "row 8, column subgroup: 'Region 01' repeats row 7"),
])
def test_malformed_cells_name_file_row_and_column(tmp_path, row, column, value, message):
    path = edited(tmp_path, row, column, value)
    with pytest.raises(heat.HeatFormatError) as caught:
        heat.read(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert message in str(caught.value)


def test_malformed_xlsx_names_the_row_a_spreadsheet_shows(tmp_path):
    rows = rows_of(GHANA)
    rows[6][rows[0].index("population")] = "many"
    book = write_xlsx(tmp_path / "bad.xlsx", rows)
    with pytest.raises(heat.HeatFormatError, match=r"bad\.xlsx: row 7, column population: 'many'"):
        heat.read(book)


def test_missing_required_column_is_reported_on_the_header_row(tmp_path):
    rows = [r[:16] + r[17:] for r in rows_of(GHANA)]  # drop indicator_scale
    with pytest.raises(heat.HeatFormatError, match="row 1, column indicator_scale: required column"):
        heat.read(write_csv(tmp_path / "short.csv", rows))


def test_unreadable_inputs_are_format_errors(tmp_path):
    with pytest.raises(heat.HeatFormatError, match="no such file"):
        heat.read(tmp_path / "absent.csv")
    (tmp_path / "data.json").write_text("{}")
    with pytest.raises(heat.HeatFormatError, match="expected a .csv or .xlsx"):
        heat.read(tmp_path / "data.json")
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip")
    with pytest.raises(heat.HeatFormatError, match="not a readable workbook"):
        heat.read(tmp_path / "broken.xlsx")
    with pytest.raises(heat.HeatFormatError, match="no data rows"):
        heat.read(write_csv(tmp_path / "header.csv", rows_of(GHANA)[:1]))


def test_to_import_set_maps_to_the_warehouse_tables():
    import_set = imports.validate(heat.to_import_set(heat.read(GHANA), GHANA))
    source = import_set.source.iloc[0]
    assert source["source_code"] == "HEAT_ghana_sba"
    assert (source["publisher"], source["licence"], source["is_synthetic"]) == (
        "DHS", "as stated by the data provider", False)
    facts = import_set.tables["fct_indicator_value"]
    assert len(facts) == 37  # 36 subgroups + a national Total from u5mr's setting_average
    total = facts[facts["dimension"] == "Total"].iloc[0]
    assert (total["indicator_code"], total["subgroup"], total["estimate"], total["year"]) == ("u5mr", "Total", 66.8, 2014)
    regions = facts[facts["dimension"] == "Subnational region"]
    assert regions["subgroup_order"].isna().all() and regions["reference_subgroup"].sum() == 1
    wealth = facts[facts["dimension"] == "Economic status (wealth quintile)"]
    assert wealth["subgroup_order"].tolist() == [1, 2, 3, 4, 5]
    assert facts.loc[facts["subgroup"] == "Female", "flag"].iloc[0] == "low n"
    assert set(facts["iso3"]) == {"GHA"} and set(facts["source_code"]) == {"HEAT_ghana_sba"}
    indicators = import_set.tables["dim_indicator"].set_index("indicator_code")
    assert indicators.loc["sba", "indicator_scale"] == 100 and indicators.loc["sba", "plausible_max"] == 100
    assert indicators.loc["u5mr", "plausible_max"] == 1e12 and not indicators.loc["u5mr", "favourable_indicator"]
    assert indicators.loc["u5mr", "short_name"] == "Under-five mortality rate"
    assert (indicators.loc["sba", "building_block"], indicators.loc["sba", "domain"]) == ("Service delivery", "coverage")


def test_to_import_set_takes_block_and_domain_from_the_curated_catalogue(tmp_path):
    if not (config.CATALOGUE_DIR / "indicators.csv").exists():
        pytest.skip("curated indicator catalogue dashboard/catalogue/indicators.csv not present")
    from dashboard import catalogue

    known = catalogue.indicators().set_index("indicator_code").loc["SH.XPD.OOPC.CH.ZS"]
    rows = rows_of(GHANA)
    for row in rows[1:]:
        if row[3] == "sba":
            row[3] = "SH.XPD.OOPC.CH.ZS"
    path = write_csv(tmp_path / "coded.csv", rows)
    indicators = heat.to_import_set(heat.read(path), path).tables["dim_indicator"].set_index("indicator_code")
    assert indicators.loc["SH.XPD.OOPC.CH.ZS", "building_block"] == known["building_block"]
    assert indicators.loc["SH.XPD.OOPC.CH.ZS", "domain"] == known["domain"]


@pytest.mark.parametrize("row, column, value, message", [
    (6, "iso3", "", "row 6, column iso3: is empty"),
    (6, "iso3", "ZZZ", "row 6, column iso3: 'ZZZ' is not a WHO member state code"),
    (6, "iso3", "TGO", "row 6, column iso3: TGO differs from GHA given for the same setting in row 2"),
    (6, "ci_lb", "61", "row 6, column ci_lb: lower bound 61 is above the estimate 60"),
    (6, "estimate", "101", "row 6, column estimate: 101 is outside the plausible range 0..100"),
])
def test_to_import_set_rejects_rows_the_warehouse_cannot_hold(tmp_path, row, column, value, message):
    path = edited(tmp_path, row, column, value)
    df = heat.read(path)  # readable for the equity calculator
    with pytest.raises(heat.HeatFormatError, match=message):
        heat.to_import_set(df, path)


def test_source_code_is_a_safe_folder_name():
    assert heat.source_code("/x/My data (2016).xlsx") == "HEAT_My_data_2016"
    assert heat.source_code("...csv") == "HEAT_file"


def test_real_heat_plus_template_reads_but_does_not_import():
    path = config.path("real_data_dir") / "who_equity" / "heat_plus_template" / "HEATPlus_template.xlsx"
    if not path.exists():
        pytest.skip(f"real data directory {config.path('real_data_dir')} not found (HEAT Plus template)")
    df = heat.read(path)
    assert len(df) == 15  # the '…' continuation row is not data
    assert set(df["setting"]) == {"Setting A"} and set(df["date"]) == {1111}
    assert df.groupby(["indicator_abbr", "dimension"]).size().to_dict() == {
        ("Indic a", "Dimension 1"): 5, ("Indic a", "Dimension 2"): 2,
        ("Indic b", "Dimension 1"): 5, ("Indic b", "Dimension 3"): 3}
    out = equity.summarise(df, ["indicator_abbr", "dimension"])
    flat = out[(out["indicator_abbr"] == "Indic a") & (out["dimension"] == "Dimension 1")].set_index("measure")
    assert flat.loc["d", "estimate"] == 0.0  # the placeholder estimates are all 11.11
    assert np.isnan(flat.loc["sii", "estimate"]) and "same estimate" in flat.loc["sii", "note"]
    with pytest.raises(heat.HeatFormatError, match="row 2, column iso3: 'AAA' is not a WHO member state"):
        heat.to_import_set(df, path)
