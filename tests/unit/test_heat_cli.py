"""The `equity` and `import heat` commands, run through typer's test runner."""

from __future__ import annotations

import io
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from typer.testing import CliRunner

from dashboard.cli import app
from tests.fixtures.trees import tree_digest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "heat"
GHANA = FIXTURES / "ghana_sba.csv"
BAD = FIXTURES / "bad_estimate.csv"
LEGACY = FIXTURES / "legacy_year_flag.csv"
OUTPUT_COLUMNS = ["setting", "date", "indicator_abbr", "dimension", "measure", "estimate", "se",
                  "ci_lower", "ci_upper", "note"]

runner = CliRunner()


@pytest.fixture
def store(tmp_path, monkeypatch) -> Path:
    imports_dir = tmp_path / "imports"
    monkeypatch.setenv("HSS_IMPORTS_DIR", str(imports_dir))
    monkeypatch.setenv("HSS_WAREHOUSE", str(tmp_path / "warehouse" / "warehouse.duckdb"))
    return imports_dir


def test_equity_to_stdout_gives_reference_aci():
    result = runner.invoke(app, ["equity", str(GHANA)])
    assert result.exit_code == 0, result.output
    out = pd.read_csv(io.StringIO(result.stdout))
    assert list(out.columns) == OUTPUT_COLUMNS
    wealth = out[out["dimension"] == "Economic status (wealth quintile)"].set_index("measure")
    assert wealth.loc["aci", "estimate"] == pytest.approx(7.3284202, rel=1e-6)
    assert wealth.loc["rci", "estimate"] == pytest.approx(17.776859, rel=1e-5)
    regions = out[out["dimension"] == "Subnational region"].set_index("measure")
    assert regions.loc["bgv", "estimate"] == pytest.approx(46.198326, rel=1e-6)
    # one row per setting x date x indicator x dimension x measure: 8 + 17 + 4 (sex) + 2 x 4 (residence)
    assert len(out) == 37
    assert not out.duplicated(["setting", "date", "indicator_abbr", "dimension", "measure"]).any()


def test_equity_writes_parquet_and_csv_files(tmp_path):
    parquet, text = tmp_path / "m.parquet", tmp_path / "m.csv"
    assert runner.invoke(app, ["equity", str(GHANA), "--out", str(parquet)]).exit_code == 0
    assert runner.invoke(app, ["equity", str(GHANA), "--out", str(text)]).exit_code == 0
    from_parquet = pd.read_parquet(parquet)
    from_csv = pd.read_csv(text)
    assert list(from_parquet.columns) == OUTPUT_COLUMNS
    sii = from_parquet.set_index(["dimension", "measure"]).loc[("Economic status (wealth quintile)", "sii")]
    assert sii["estimate"] == pytest.approx(44.44502, rel=1e-6)
    assert from_csv["estimate"].sum() == pytest.approx(from_parquet["estimate"].sum())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.csv", "m.parquet"]


def test_equity_reports_uncomputable_rows_with_a_note(tmp_path):
    template = tmp_path / "one_group.csv"
    rows = GHANA.read_text().splitlines()[:6]
    template.write_text("\n".join(rows[:3] + [rows[3].replace(",40,10,", ",,10,")] + rows[4:]) + "\n")
    out = pd.read_csv(io.StringIO(runner.invoke(app, ["equity", str(template)]).stdout)).set_index("measure")
    assert pd.isna(out.loc["aci", "estimate"])
    assert "estimate missing for Middle" in out.loc["aci", "note"]
    assert out.loc["d", "estimate"] == pytest.approx(40.0)


def test_equity_on_a_malformed_file_fails_cleanly_and_writes_nothing(tmp_path):
    target = tmp_path / "out"
    target.mkdir()
    before = tree_digest(target)
    result = runner.invoke(app, ["equity", str(BAD), "--out", str(target / "measures.csv")])
    assert result.exit_code == 1
    assert "row 4, column estimate: 'forty' is not a number" in result.stderr
    assert "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1
    assert tree_digest(target) == before


def test_import_heat_writes_the_import_without_building(store):
    result = runner.invoke(app, ["import", "heat", str(GHANA), "--no-build"])
    assert result.exit_code == 0, result.output
    folder = store / "HEAT_ghana_sba"
    assert sorted(p.name for p in folder.iterdir()) == [
        "dim_indicator.parquet", "dim_source.parquet", "fct_indicator_value.parquet"]
    facts = pd.read_parquet(folder / "fct_indicator_value.parquet")
    assert len(facts) == 37
    assert "imported 37 values of 2 indicator(s)" in result.stdout
    assert not (store.parent / "warehouse").exists()


@pytest.mark.parametrize("files", [[BAD], [LEGACY], [GHANA, BAD]])
def test_import_heat_with_a_bad_file_leaves_the_store_untouched(store, files):
    runner.invoke(app, ["import", "heat", str(GHANA), "--no-build"])
    before = tree_digest(store)
    result = runner.invoke(app, ["import", "heat", *map(str, files), "--no-build"])
    assert result.exit_code == 1
    assert "row " in result.stderr and "column " in result.stderr
    assert tree_digest(store) == before


def test_import_heat_on_an_empty_store_creates_no_folder(store):
    result = runner.invoke(app, ["import", "heat", str(LEGACY), "--no-build"])
    assert result.exit_code == 1
    assert "row 2, column iso3: is empty" in result.stderr
    assert not store.exists()


def test_import_heat_rebuilds_the_warehouse_with_the_values(store):
    result = runner.invoke(app, ["import", "heat", str(GHANA)])
    assert result.exit_code == 0, result.output
    warehouse = store.parent / "warehouse" / "warehouse.duckdb"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        counts = dict(con.execute("select dimension, count(*) from fct_indicator_value "
                              "where source_code = 'HEAT_ghana_sba' group by dimension").fetchall())
        scale = con.execute("select indicator_scale from dim_indicator where indicator_code = 'u5mr'").fetchone()
    assert counts == {"Economic status (wealth quintile)": 5, "Subnational region": 25,
                      "Place of residence": 4, "Sex": 2, "Total": 1}
    assert scale == (1000,)


@pytest.mark.parametrize("cell", ["NaN", "nan", "inf", "-Infinity"])
def test_nan_or_infinite_estimate_or_population_is_refused_not_read_as_blank(tmp_path, store, cell):
    rows = GHANA.read_text().splitlines()
    header = rows[0].split(",")
    for column in ("estimate", "population"):
        cells = rows[2].split(",")
        cells[header.index(column)] = cell
        bad = tmp_path / f"{column}.csv"
        bad.write_text("\n".join([rows[0], rows[1], ",".join(cells), *rows[3:]]) + "\n")
        before = tree_digest(store)
        result = runner.invoke(app, ["import", "heat", str(bad), "--no-build"])
        assert result.exit_code == 1, result.output
        assert f"row 3, column {column}: '{cell}' is not a finite number" in result.output, result.output
        assert tree_digest(store) == before


def test_a_huge_cell_gives_a_short_one_line_message(tmp_path, store):
    rows = GHANA.read_text().splitlines()
    header = rows[0].split(",")
    cells = rows[2].split(",")
    cells[header.index("estimate")] = "9" * 5_000_000 + "x"  # a 5 MB value that is not a number
    bad = tmp_path / "huge.csv"
    bad.write_text("\n".join([rows[0], rows[1], ",".join(cells), *rows[3:]]) + "\n")
    result = runner.invoke(app, ["import", "heat", str(bad), "--no-build"])
    assert result.exit_code == 1
    assert len(result.output) < 2_500 and result.output.count("\n") == 1
    assert "huge.csv" in result.output and "more characters)" in result.output
