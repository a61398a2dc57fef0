"""`import gho` and `fetch` from the command line, and two publishers side by side in one warehouse."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest
import requests
from typer.testing import CliRunner

from dashboard import build
from dashboard.cli import app
from dashboard.sources import harmonise
from tests.fixtures.trees import tree_digest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
runner = CliRunner()


def test_import_gho_files_of_several_shapes(store):
    files = [FIXTURES / "gho" / n for n in ("athena/EQ_SBA.csv", "athena/WHS6_102.csv", "odata/WHOSIS_000001.json",
                                             "web/medical_doctors_per10000.csv")]
    result = runner.invoke(app, ["import", "gho", *map(str, files), "--no-build"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in store.iterdir()) == ["WHO_GHO_2022-01-24", "WHO_GHO_2024-08-02", "WHO_GHO_ATHENA"]
    athena = pd.read_parquet(store / "WHO_GHO_ATHENA" / "fct_indicator_value.parquet")
    assert athena.groupby("indicator_code").size().to_dict() == {"EQ_SBA": 12, "WHS6_102": 5}


def test_rejected_gho_file_leaves_the_store_unchanged(store):
    assert runner.invoke(app, ["import", "gho", str(FIXTURES / "gho/athena/WHS6_102.csv"), "--no-build"]).exit_code == 0
    before = tree_digest(store)
    result = runner.invoke(app, ["import", "gho", str(FIXTURES / "gho/athena/EQ_SBA.csv"),
                                 str(FIXTURES / "gho/odata/EMFLIMITTEXT.json"), "--no-build"])
    assert result.exit_code == 1 and "holds no numeric values" in result.output
    assert result.output.count("\n") == 1
    assert tree_digest(store) == before


def test_fetch_offline_prints_one_line_and_changes_nothing(store, monkeypatch):
    def unreachable(self, url, **kwargs):
        raise requests.ConnectionError("Failed to resolve 'api.worldbank.org'")
    monkeypatch.setattr(requests.Session, "get", unreachable)
    result = runner.invoke(app, ["fetch", "wdi", "--indicator", "SH.MED.PHYS.ZS", "--no-build"])
    assert result.exit_code == 1
    assert result.output == ("error: cannot reach api.worldbank.org: offline or blocked (ConnectionError); "
                             "connect to the internet or import downloaded files instead\n")
    assert tree_digest(store) == {}


def test_same_measure_from_two_publishers_is_kept_apart_and_comparable(store, tmp_path):
    assert runner.invoke(app, ["import", "wdi", str(FIXTURES / "wdi/API_SH.MED.PHYS.ZS_DS2_en_csv_v2_5359574.csv"),
                               "--no-build"]).exit_code == 0
    assert runner.invoke(app, ["import", "gho", str(FIXTURES / "gho/web/medical_doctors_per10000.csv"),
                               "--no-build"]).exit_code == 0
    target = tmp_path / "warehouse.duckdb"
    build.build(target=target, demo_scale=None, imports_dir=store)
    with duckdb.connect(str(target), read_only=True) as con:
        both = con.execute(
            "select v.indicator_code, v.iso3, v.year, v.estimate, v.ci_lower, v.ci_upper, v.source_code, i.unit "
            "from fct_indicator_value v join dim_indicator i using (indicator_code) "
            "where v.iso3 = 'ALB' and v.year = 2019 and v.indicator_code in ('SH.MED.PHYS.ZS', 'HWF_0001') "
            "order by v.indicator_code").df()
    assert both["source_code"].tolist() == ["WHO_GHO_2022-01-24", "WB_WDI_2023-03-01"]
    assert both["unit"].tolist() == ["per 10,000 population", "per 1,000 population"]
    assert both["estimate"].tolist() == pytest.approx([18.81, 1.8814])  # stored as published
    side_by_side = harmonise.convert(both, "HWF_0001")
    assert side_by_side["estimate"].tolist() == pytest.approx([18.81, 18.814])
    assert side_by_side["source_code"].tolist() == ["WHO_GHO_2022-01-24", "WB_WDI_2023-03-01"]


def test_deeply_nested_json_is_refused_in_one_line(store, tmp_path):
    nested = tmp_path / "nested.json"
    nested.write_text('{"value": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    before = tree_digest(store)
    result = runner.invoke(app, ["import", "gho", str(nested), "--no-build"])
    assert result.exit_code == 1
    assert "nested.json" in result.output and "nested too deeply" in result.output
    assert result.output.count("\n") == 1 and "Traceback" not in result.output
    assert tree_digest(store) == before


def test_import_reports_breakdowns_and_skipped_text_cells(store):
    result = runner.invoke(app, ["import", "gho", str(FIXTURES / "gho/athena/IHRSPAR_CAPACITY01.csv"), "--no-build"])
    assert result.exit_code == 0, result.output
    assert "3 cell(s) holding text instead of a number skipped" in result.output
    assert "IHRSPARCAPACITYLEVEL is not a population subgroup" in result.output
    assert "imported WHO_GHO_ATHENA: 5 values of 3 indicator(s)" in result.output
    indicators = pd.read_parquet(store / "WHO_GHO_ATHENA" / "dim_indicator.parquet")
    assert "IHRSPAR_CAPACITY01__IHRSPARCAPLEVEL01_C_1_2" in set(indicators["indicator_code"])
