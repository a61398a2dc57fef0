"""`python -m dashboard import wdi`: the store after good and bad imports, release merging, rebuilding."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest
from typer.testing import CliRunner

from dashboard.cli import app
from dashboard.sources import imports
from tests.fixtures.trees import tree_digest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PHYS = "API_SH.MED.PHYS.ZS_DS2_en_csv_v2_5359574.csv"
MORT = "API_SH.DYN.MORT_DS2_en_csv_v2_31650.csv"
runner = CliRunner()


def stored_values(store: Path, code: str) -> pd.DataFrame:
    return pd.read_parquet(store / code / "fct_indicator_value.parquet")


def invoke(*args: str):
    return runner.invoke(app, list(args))


def test_import_writes_validated_parquet_per_release(store):
    result = invoke("import", "wdi", str(FIXTURES / "wdi" / PHYS), str(FIXTURES / "wdi" / MORT), "--no-build")
    assert result.exit_code == 0, result.output
    assert "WB_WDI_2023-03-01: 15 values of 1 indicator(s)" in result.output
    assert sorted(p.name for p in store.iterdir()) == ["WB_WDI_2023-03-01", "WB_WDI_2024-09-19"]
    values = stored_values(store, "WB_WDI_2024-09-19").set_index(["iso3", "year"])["estimate"]
    assert values[("AFE", 2022)] == pytest.approx(54.5) and len(values) == 7
    (phys,) = [s for s in imports.read_all(store) if s.source_code == "WB_WDI_2023-03-01"]
    assert phys.source["release"].item() == "2023-03-01"


@pytest.mark.parametrize("edit, where", [
    (lambda t: t[: t.index('"Zambia"') + 30], "line 9"),
    (lambda t: t.replace('","', '";"'), "line 1"),
    (lambda t: t.replace('"ZMB"', '"ZZZ"'), "column 'Country Code'"),
    (lambda t: t + t.splitlines()[5] + "\n", "duplicated key"),
    (lambda t: t.replace('"55.5"', '"n/a"'), "column '2022'"),
])
def test_bad_file_leaves_the_store_exactly_as_it_was(store, tmp_path, edit, where):
    assert invoke("import", "wdi", str(FIXTURES / "wdi" / PHYS), "--no-build").exit_code == 0
    before = tree_digest(store)
    bad = tmp_path / MORT
    bad.write_text(edit((FIXTURES / "wdi" / MORT).read_text(encoding="utf-8")), encoding="utf-8")
    result = invoke("import", "wdi", str(FIXTURES / "wdi" / PHYS), str(bad), "--no-build")
    assert result.exit_code == 1
    assert result.output.startswith(f"error: {bad}") and where in result.output
    assert result.output.count("\n") == 1
    assert tree_digest(store) == before


def test_file_of_another_kind_leaves_the_store_unchanged(store):
    before = tree_digest(store)
    result = invoke("import", "wdi", str(FIXTURES / "gho" / "athena" / "WHS6_102.csv"), "--no-build")
    assert result.exit_code == 1 and "not a World Bank WDI file" in result.output
    assert tree_digest(store) == before == {}


def test_missing_file_is_one_line(store, tmp_path):
    result = invoke("import", "wdi", str(tmp_path / "nope.csv"), "--no-build")
    assert result.exit_code == 1 and result.output == f"error: {tmp_path / 'nope.csv'}: no such file\n"


def test_two_files_of_one_release_imported_one_after_the_other_both_stay(store, tmp_path):
    other = tmp_path / "API_SH.MED.BEDS.ZS_DS2_en_csv_v2_1.csv"
    text = (FIXTURES / "wdi" / PHYS).read_text(encoding="utf-8-sig")
    other.write_text(text.replace("SH.MED.PHYS.ZS", "SH.MED.BEDS.ZS").replace("Physicians", "Hospital beds"),
                     encoding="utf-8")
    assert invoke("import", "wdi", str(FIXTURES / "wdi" / PHYS), "--no-build").exit_code == 0
    assert invoke("import", "wdi", str(other), "--no-build").exit_code == 0
    values = stored_values(store, "WB_WDI_2023-03-01")
    assert values.groupby("indicator_code").size().to_dict() == {"SH.MED.BEDS.ZS": 15, "SH.MED.PHYS.ZS": 15}


def test_a_newer_release_of_an_indicator_replaces_the_older_one(store, tmp_path):
    newer = tmp_path / PHYS
    text = (FIXTURES / "wdi" / PHYS).read_text(encoding="utf-8-sig")
    newer.write_text(text.replace("2023-03-01", "2024-06-28").replace('"0.2534"', '"0.26"'), encoding="utf-8")
    assert invoke("import", "wdi", str(FIXTURES / "wdi" / PHYS), "--no-build").exit_code == 0
    result = invoke("import", "wdi", str(newer), "--no-build")
    assert "SH.MED.PHYS.ZS: values from WB_WDI_2024-06-28 replace those from WB_WDI_2023-03-01" in result.output
    assert sorted(p.name for p in store.iterdir()) == ["WB_WDI_2024-06-28"]
    values = stored_values(store, "WB_WDI_2024-06-28").set_index(["iso3", "year"])["estimate"]
    assert values[("AFG", 2020)] == pytest.approx(0.26)


def test_import_rebuilds_the_warehouse_with_the_imported_values(store, tmp_path, monkeypatch):
    monkeypatch.setenv("HSS_DEMO_SCALE", "1")
    result = invoke("import", "wdi", str(FIXTURES / "wdi" / PHYS))
    assert result.exit_code == 0, result.output
    assert "built " in result.output
    with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as con:
        rows = con.execute("select iso3, year, estimate, source_code from fct_indicator_value "
                           "where indicator_code = 'SH.MED.PHYS.ZS' order by iso3, year").fetchall()
        aggregate = con.execute("select is_aggregate from dim_country where iso3 = 'WLD'").fetchone()[0]
        source = con.execute("select release, is_synthetic from dim_source "
                             "where source_code = 'WB_WDI_2023-03-01'").fetchone()
    assert len(rows) == 15 and {r[3] for r in rows} == {"WB_WDI_2023-03-01"}  # no demo values left
    assert ("AFG", 2018, pytest.approx(0.2823), "WB_WDI_2023-03-01") == rows[1]
    assert aggregate is True and source == ("2023-03-01", False)


def test_bulk_import_with_indicator_and_release_options(store):
    result = invoke("import", "wdi", str(FIXTURES / "wdi" / "bulk" / "WDICSV.csv"), "--indicator",
                    "SH.MED.BEDS.ZS", "--indicator", "NY.GDP.PCAP.CD", "--release", "2024-12-16", "--no-build")
    assert result.exit_code == 0, result.output
    values = stored_values(store, "WB_WDI_2024-12-16")
    assert values.groupby("indicator_code").size().to_dict() == {"NY.GDP.PCAP.CD": 4, "SH.MED.BEDS.ZS": 4}


def test_series_table_alone_stores_nothing_and_says_why(store):
    result = invoke("import", "wdi", str(FIXTURES / "wdi" / "bulk" / "WDISeries.csv"), "--no-build")
    assert result.exit_code == 0
    assert "indicator metadata for 2 series read" in result.output and "nothing stored" in result.output
    assert not store.exists() or list(store.iterdir()) == []


def test_import_of_saved_api_pages_stores_a_wgi_release(store):
    pages = [str(FIXTURES / "fetch" / f"wb_data_GE.EST_p{n}.json") for n in (1, 2)]
    result = invoke("import", "wdi", *pages, "--no-build")
    assert result.exit_code == 0, result.output
    assert "WB_WGI_2024-10-30: 3 values of 1 indicator(s)" in result.output
    assert sorted(p.name for p in store.iterdir()) == ["WB_WGI_2024-10-30"]
    values = stored_values(store, "WB_WGI_2024-10-30").set_index(["iso3", "year"])["estimate"]
    assert values[("AFG", 2023)] == pytest.approx(-1.8612) and len(values) == 3


def test_the_same_values_in_a_download_and_saved_pages_are_refused_naming_both(store):
    before = tree_digest(store)
    download = FIXTURES / "wdi" / "API_GE.EST_DS2_en_csv_v2_wgi.csv"
    result = invoke("import", "wdi", str(download), str(FIXTURES / "fetch" / "wb_data_GE.EST_p1.json"), "--no-build")
    assert result.exit_code == 1
    assert "duplicated key (GE.EST, AFG, 2023, Total, Total)" in result.output and "wb_data_GE.EST_p1.json" in result.output
    assert tree_digest(store) == before
