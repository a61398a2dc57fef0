"""Conformance on the real WHO files: every file imports (or is refused with its reason) and reconciles."""

from __future__ import annotations

import json
import random

import pandas as pd
import pytest
from realdata import files, folder
from typer.testing import CliRunner

from dashboard import contract
from dashboard.cli import app
from dashboard.sources import gho, tabular

ATHENA_VALUE_COLUMNS = {"Display Value", "Numeric", "Low", "High", "Comments", "PUBLISHSTATE", "DATASOURCE"}
DISAGGREGATIONS = ("WEALTHQUINTILE", "RESIDENCEAREATYPE", "EDUCATIONLEVEL")
ATHENA = files("who_gho", "athena_api_csv/*.csv") + files("who_equity", "health_equity_monitor_athena_csv/*.csv")


def area(row: pd.Series) -> str:
    if row["COUNTRY"]:
        return row["COUNTRY"]
    if row["REGION"] == "GLOBAL":
        return "GLOBAL"
    return row.get("WORLDBANKINCOMEGROUP") or row["REGION"]


def expected_subgroup(row: pd.Series) -> tuple[str, str | int]:
    """(dimension, subgroup label or wealth order) a HEM row should land in, worked out from its codes."""
    if row.get("WEALTHQUINTILE"):
        return contract.DIM_WEALTH, int(row["WEALTHQUINTILE"][2])
    if row.get("RESIDENCEAREATYPE"):
        return contract.DIM_RESIDENCE, {"URB": "Urban", "RUR": "Rural"}[row["RESIDENCEAREATYPE"]]
    if row.get("EDUCATIONLEVEL"):
        return contract.DIM_EDUCATION, {"EDLVL00TO05YR": 1, "EDLVL06TO11YR": 2, "EDLVL12PLUSYR": 3}[row["EDUCATIONLEVEL"]]
    return contract.TOTAL, contract.TOTAL


@pytest.mark.parametrize("path", ATHENA)
def test_athena_file_imports_one_value_per_published_key(path):
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    (import_set,) = gho.read([path])
    values = import_set.tables["fct_indicator_value"]
    key = [c for c in frame.columns if c not in ATHENA_VALUE_COLUMNS]
    with_value = frame[(frame["Numeric"] != "") | (frame["Display Value"] != "")]
    assert len(values) == len(with_value.drop_duplicates(key))
    dropped = len(with_value) - len(with_value.drop_duplicates(key))
    assert int((values["flag"] == gho.ALTERNATIVES).sum()) <= dropped
    assert import_set.source_code == "WHO_GHO_ATHENA"


@pytest.mark.parametrize("path", ATHENA)
def test_twenty_sampled_athena_rows_equal_the_imported_values(path):
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    (import_set,) = gho.read([path])
    values = import_set.tables["fct_indicator_value"]
    key = [c for c in frame.columns if c not in ATHENA_VALUE_COLUMNS]
    firsts = frame.drop_duplicates(key)  # where a key repeats, the first listed is the one kept
    for _, row in firsts.sample(n=20, random_state=random.Random(path.name).randrange(2**31)).iterrows():
        dimension, subgroup = expected_subgroup(row)
        match = values[(values["iso3"] == area(row)) & (values["year"] == int(row["YEAR"]))
                       & (values["dimension"] == dimension)]
        column = "subgroup_order" if isinstance(subgroup, int) else "subgroup"
        match = match[match[column] == subgroup]
        assert len(match) == 1, row.to_dict()
        numeric = float(row["Numeric"])
        display = float(row["Display Value"].split("[")[0].replace(" ", ""))
        expected = numeric * 100 if numeric <= 1 < display else numeric
        assert match["estimate"].item() == pytest.approx(expected), row.to_dict()


@pytest.mark.parametrize("path", files("who_equity", "health_equity_monitor_athena_csv/*.csv"))
def test_equity_monitor_wealth_quintiles_become_ordered_subgroups_one_to_five(path):
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    (import_set,) = gho.read([path])
    values = import_set.tables["fct_indicator_value"]
    wealth = values[values["dimension"] == contract.DIM_WEALTH]
    assert len(wealth) == int((frame["WEALTHQUINTILE"] != "").sum())
    assert wealth["ordered_dimension"].all() and not wealth["reference_subgroup"].any()
    assert sorted(wealth["subgroup_order"].unique()) == [1, 2, 3, 4, 5]
    labels = wealth.groupby("subgroup_order")["subgroup"].unique().map(list).to_dict()
    assert labels[1] == ["Quintile 1 (poorest)"] and labels[5] == ["Quintile 5 (richest)"]
    published = frame[frame["WEALTHQUINTILE"] != ""]
    by_order = wealth.set_index(["iso3", "year", "subgroup_order"])["estimate"]
    for row in published.itertuples(index=False):
        assert by_order[(row.COUNTRY, int(row.YEAR), int(row.WEALTHQUINTILE[2]))] == float(row.Numeric)
    urban = values[values["subgroup"] == "Urban"]
    assert urban["reference_subgroup"].all() and len(urban) == int((frame["RESIDENCEAREATYPE"] == "URB").sum())


def test_uhc_index_regional_rows_are_put_on_the_0_100_scale():
    path = folder("who_gho") / "athena_api_csv" / "UHC_INDEX_REPORTED.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    small = (frame["Numeric"].astype(float) <= 1) & (frame["Display Value"].astype(float) > 1)
    (import_set,) = gho.read([path])
    values = import_set.tables["fct_indicator_value"]
    assert int((values["flag"] == gho.RESCALED).sum()) == int(small.sum()) == 22
    assert values["estimate"].between(0, 100).all()
    regional = values[values["iso3"].isin(["AFR", "AMR", "EMR", "EUR", "SEAR", "WPR", "GLOBAL"])]
    assert regional["estimate"].min() > 30  # on the countries' 0-100 scale, not 0-1
    assert values.set_index(["iso3", "year"]).loc[("AFR", 2015), "estimate"] == pytest.approx(44.412)


def test_theme_download_imports_with_its_code_lists():
    path = folder("who_gho") / "gho_theme_download" / "data" / "WHOSIS_000001.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    (import_set,) = gho.read([path])
    values = import_set.tables["fct_indicator_value"]
    assert len(values) == len(frame) and import_set.source_code == "WHO_GHO_2024-08-02"
    assert values.groupby("subgroup").size().to_dict() == {
        "Female": int((frame["DisaggregatingDimension1ValueCode"] == "SEX_FMLE").sum()),
        "Male": int((frame["DisaggregatingDimension1ValueCode"] == "SEX_MLE").sum()),
        "Total": int((frame["DisaggregatingDimension1ValueCode"] == "SEX_BTSX").sum())}
    aggregates = import_set.tables["dim_country"].query("is_aggregate")["iso3"]
    assert set(aggregates) == set(frame.loc[frame["SpatialDimension"] != "COUNTRY", "SpatialDimensionValueCode"])
    sample = frame.sample(n=20, random_state=7)
    keyed = values.set_index(["iso3", "year", "subgroup"])["estimate"]
    sexes = {"SEX_MLE": "Male", "SEX_FMLE": "Female", "SEX_BTSX": "Total"}
    for row in sample.itertuples(index=False):
        assert keyed[(row.SpatialDimensionValueCode, int(row.TimeDim), sexes[row.DisaggregatingDimension1ValueCode])] \
            == float(row.NumericValue)


@pytest.mark.parametrize("path", files("who_gho", "gho_web_export_csv/*.csv"))
def test_who_int_export_imports_every_row(path):
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    (import_set,) = gho.read([path])
    values = import_set.tables["fct_indicator_value"]
    assert len(values) == len(frame)
    assert import_set.source_code == "WHO_GHO_" + max(frame["DateModified"])[:10]
    keyed = values.set_index(["indicator_code", "iso3", "year"])["estimate"]
    for row in frame.sample(n=20, random_state=11).itertuples(index=False):
        assert keyed[(row.IndicatorCode, row.SpatialDimValueCode, int(row.Period))] == float(row.FactValueNumeric)
    names = import_set.tables["dim_indicator"].set_index("indicator_code")["name"]
    assert names.to_dict() == frame.drop_duplicates("IndicatorCode").set_index("IndicatorCode")["Indicator"].to_dict()


@pytest.mark.parametrize("path", files("who_gho", "gho_theme_download/codes/*.csv"))
def test_each_code_list_imports_alone(path):
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    sets = gho.read([path])
    dimension = frame["Dimension"].iloc[0]
    if dimension in ("COUNTRY", "REGION", "GLOBAL", "WORLDBANKINCOMEGROUP"):
        (import_set,) = sets
        assert set(import_set.tables) == {"dim_country"}
        assert len(import_set.tables["dim_country"]) == len(frame)
    else:
        assert sets == []


def test_odata_json_with_text_values_and_breakdowns_imports_its_numbers():
    path = folder("who_gho") / "odata_api_json" / "EMFLIMITELECTRIC.json"
    records = json.loads(path.read_text(encoding="utf-8"))["value"]
    said = []
    (import_set,) = gho.read([path], progress=said.append)
    values = import_set.tables["fct_indicator_value"]
    plain = [r for r in records if r["Value"] is not None and tabular.display_value(r["Value"]) is not None]
    assert len(values) == len(plain) == 21
    assert set(values["indicator_code"]) == {f"EMFLIMITELECTRIC__{r['Dim1']}__{r['Dim2']}" for r in plain}
    assert any("9 cell(s) holding text" in line and "'[5]'" in line for line in said)
    assert any(line.endswith("2 row(s) without a value skipped") for line in said)
    keyed = values.set_index(["indicator_code", "iso3", "year"])["estimate"]
    for r in plain:
        assert keyed[(f"EMFLIMITELECTRIC__{r['Dim1']}__{r['Dim2']}", r["SpatialDim"], r["TimeDim"])] == float(r["Value"])


@pytest.mark.parametrize("path", files("who_gho", "*/*.*") + files("who_gho", "*/*/*.*"))
def test_every_real_gho_file_imports_from_the_command_line(path, tmp_path, monkeypatch):
    monkeypatch.setenv("HSS_IMPORTS_DIR", str(tmp_path / "imports"))
    monkeypatch.setenv("HSS_WAREHOUSE", str(tmp_path / "warehouse.duckdb"))
    result = CliRunner().invoke(app, ["import", "gho", str(path), "--no-build"])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
