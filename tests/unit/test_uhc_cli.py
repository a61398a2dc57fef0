"""The `uhc` command: tracer values in, index out; bad input is one line naming file, row and column."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from typer.testing import CliRunner

from dashboard.cli import app
from tests.fixtures.trees import tree_digest

runner = CliRunner()
OUTPUT_COLUMNS = ["iso3", "year", "index", "rmnch", "infectious", "ncd", "capacity", "tracers_observed",
                  "tracers_imputed"]
# Kenya 2020 with every input, and DTP3 again in 2022; the index by hand is 48.2473256055 in 2020.
GOOD = """iso3,year,tracer,value
KEN,2020,fp_demand_satisfied,60
KEN,2020,anc4,55
KEN,2020,dtp3,80
KEN,2020,pneumonia_care,65
KEN,2020,tb_treatment,70
KEN,2020,art,75
KEN,2020,itn,50
KEN,2020,sanitation_basic,30
KEN,2020,hypertension_treated,20
KEN,2020,fpg_mean_mmol,5.8
KEN,2020,tobacco_prevalence,15
KEN,2020,hospital_beds_per_10k,9
KEN,2020,physicians_per_1k,0.2
KEN,2020,psychiatrists_per_100k,0.1
KEN,2020,surgeons_per_100k,1.5
KEN,2020,ihr_capacity,55
KEN,2022,dtp3,90
"""


@pytest.fixture
def good(tmp_path):
    path = tmp_path / "tracers.csv"
    path.write_text(GOOD)
    return path


def test_index_to_stdout(good):
    result = runner.invoke(app, ["uhc", str(good)])
    assert result.exit_code == 0, result.output
    out = pd.read_csv(io.StringIO(result.stdout))
    assert list(out.columns) == OUTPUT_COLUMNS
    assert out["year"].tolist() == [2020, 2021, 2022]
    assert out["index"].tolist() == pytest.approx([48.2473256055, 48.4304833741, 48.6038058792], abs=1e-9)
    assert out[["tracers_observed", "tracers_imputed"]].values.tolist() == [[14, 0], [0, 14], [1, 13]]


def test_writes_csv_and_parquet_by_extension(good, tmp_path):
    assert runner.invoke(app, ["uhc", str(good), "--out", str(tmp_path / "i.csv")]).exit_code == 0
    assert runner.invoke(app, ["uhc", str(good), "--out", str(tmp_path / "i.parquet")]).exit_code == 0
    text, table = pd.read_csv(tmp_path / "i.csv"), pd.read_parquet(tmp_path / "i.parquet")
    assert list(table.columns) == OUTPUT_COLUMNS
    pd.testing.assert_frame_equal(text, table, check_dtype=False)


def test_reads_parquet_input(good, tmp_path):
    source = tmp_path / "tracers.parquet"
    pd.read_csv(good).to_parquet(source, index=False)
    result = runner.invoke(app, ["uhc", str(source)])
    assert result.exit_code == 0, result.output
    assert pd.read_csv(io.StringIO(result.stdout))["index"].iloc[0] == pytest.approx(48.2473256055, abs=1e-9)


@pytest.mark.parametrize("old, new, message", [
    ("KEN,2020,anc4,55", "KEN,2020,antenatal,55", "row 3, column tracer: 'antenatal' is not a tracer key"),
    ("KEN,2020,anc4,55", "KEN,2020,anc4,155", ("row 3, column value: 155 is outside 0-100 (%), the valid "
                                              "range of anc4")),
    ("KEN,2020,fpg_mean_mmol,5.8", "KEN,2020,fpg_mean_mmol,58", ("row 11, column value: 58 is outside 2-15 "
                                                                "(mmol/L)")),
    ("KEN,2022,dtp3,90", "KEN,2020,dtp3,90", "row 18, column tracer: dtp3 for KEN 2020 repeats row 4"),
    ("KEN,2020,anc4,55", "KEN,2020,anc4,fifty", "row 3, column value: 'fifty' is not a finite number"),
    ("KEN,2020,anc4,55", "KEN,2020,anc4,", "row 3, column value: a value is required"),
    ("KEN,2020,anc4,55", "KEN,20.5,anc4,55", "row 3, column year: '20.5' is not a four-digit year"),
    ("iso3,year,tracer,value", "iso3,year,tracer,estimate", "row 1, column value: required column(s) missing"),
])
def test_bad_input_fails_in_one_line_and_writes_nothing(tmp_path, old, new, message):
    bad = tmp_path / "in" / "bad.csv"
    bad.parent.mkdir()
    bad.write_text(GOOD.replace(old, new, 1))
    target = tmp_path / "out"
    target.mkdir()
    before = tree_digest(target)
    result = runner.invoke(app, ["uhc", str(bad), "--out", str(target / "index.csv")])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {bad}: {message}")
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert tree_digest(target) == before


def test_missing_empty_and_foreign_files_fail_cleanly(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("iso3,year,tracer,value\n")
    sheet = tmp_path / "values.xlsx"
    sheet.write_text("not a workbook")
    for path, message in ((tmp_path / "none.csv", "no such file"), (empty, "row 2: the file has no data rows"),
                          (sheet, "expected a .csv or .parquet file")):
        result = runner.invoke(app, ["uhc", str(path)])
        assert result.exit_code == 1 and f"{path}: {message}" in result.stderr
