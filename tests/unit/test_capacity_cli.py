"""`capacity summary`: the page's aggregates to a file, suppressed rows kept empty, bad fields refused in one line."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from dashboard import capacity, db
from dashboard.cli import app
from tests.fixtures import capacity as cx

runner = CliRunner()


@pytest.fixture(scope="module")
def cx_warehouse(tmp_path_factory):
    return cx.build_capacity_fixture(tmp_path_factory.mktemp("capacity_cli"))


@pytest.fixture
def cx_env(cx_warehouse, monkeypatch):
    monkeypatch.setenv("HSS_WAREHOUSE", str(cx_warehouse))
    monkeypatch.setenv("HSS_SUPPRESSION_THRESHOLD", "10")
    return cx_warehouse


def test_totals_without_by(cx_env, tmp_path):
    out = tmp_path / "totals.csv"
    result = runner.invoke(app, ["capacity", "summary", "--out", str(out)])
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(out)
    assert list(frame.columns) == ["level", "competency", "n", "mean_asset", "mean_need", "gap", "suppressed"]
    assert frame["level"].tolist() == ["individual", "organisational", "network"]
    assert frame["n"].tolist() == [105, 105, 105] and not frame["suppressed"].any()
    assert "wrote 3 rows (0 suppressed) of CX_2024" in result.output


def test_breakdown_keeps_suppressed_rows_with_empty_statistics(cx_env, tmp_path):
    out = tmp_path / "by_org.csv"
    result = runner.invoke(app, ["capacity", "summary", "--survey", cx.LATER, "--by", "organisation_type",
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(out, keep_default_na=False, dtype=str)
    individual = frame[frame["level"] == "individual"].set_index("organisation_type")
    assert individual.loc["Development partner"][["n", "mean_asset", "mean_need", "gap"]].tolist() == ["", "", "", ""]
    assert individual.loc["Development partner", "suppressed"] == "True"
    assert individual.loc["NGO / civil society", "suppressed"] == "True"
    assert individual.loc["University", "n"] == "60"


def test_output_equals_the_table_the_page_shows(cx_env, tmp_path):
    out = tmp_path / "by.parquet"
    args = ["capacity", "summary", "--by", "country", "--by", "gender", "--country", "KEN", "--country", "TZA",
            "--out", str(out)]
    assert runner.invoke(app, args).exit_code == 0
    warehouse = db.open_read_only(cx_env)
    try:
        rows = db.run(warehouse.connection, "capacity/summary_by_group", survey_code=cx.LATER,
                      iso3_codes=["KEN", "TZA"], by_fields=["country", "gender"], threshold=10)
    finally:
        warehouse.connection.close()
    pd.testing.assert_frame_equal(pd.read_parquet(out), capacity.summary_table(rows, ["country", "gender"]))


@pytest.mark.parametrize("args,message", [
    (["--by", "organisation_name"], "error: --by organisation_name: not a breakdown field; allowed: regional_network, "
                                    "organisation_type, career_stage, gender, country, working_group"),
    (["--survey", "NOPE"], "error: --survey NOPE: no such survey; the warehouse has CX_2024, CX_2021"),
    (["--country", "XXX"], "error: --country XXX: not an ISO3 code of the warehouse"),
])
def test_bad_arguments_fail_in_one_line(cx_env, tmp_path, args, message):
    out = tmp_path / "x.csv"
    result = runner.invoke(app, ["capacity", "summary", *args, "--out", str(out)])
    assert result.exit_code == 1
    assert result.output.strip() == message
    assert not out.exists()

