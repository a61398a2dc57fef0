"""Rebuilding after an import keeps the warehouse's demo setting."""

from typer.testing import CliRunner

from dashboard import build, db
from dashboard.cli import app
from dashboard.config import PROJECT_ROOT
from dashboard.sources import imports
from tests.fixtures.warehouse import real_import

HEAT_FILE = PROJECT_ROOT / "tests" / "fixtures" / "heat" / "ghana_sba.csv"


def test_import_into_a_real_only_warehouse_rebuilds_without_the_demo(tmp_path, monkeypatch):
    store, target = tmp_path / "imports", tmp_path / "warehouse.duckdb"
    monkeypatch.setenv("HSS_IMPORTS_DIR", str(store))
    monkeypatch.setenv("HSS_WAREHOUSE", str(target))
    imports.write(real_import(), store)
    build.build(target=target, demo_scale=None, imports_dir=store)
    result = CliRunner().invoke(app, ["import", "heat", str(HEAT_FILE)])
    assert result.exit_code == 0, result.output
    rebuilt = db.open_read_only(target)
    assert rebuilt.meta["row_counts"]["dim_indicator"] > 2 and not rebuilt.has_synthetic
    assert rebuilt.connection.execute(
        "select count(*) from fct_indicator_value where source_code = 'DEMO_SYNTHETIC'").fetchone()[0] == 0


def test_import_into_a_demo_warehouse_keeps_the_demo(tmp_path, monkeypatch):
    store, target = tmp_path / "imports", tmp_path / "warehouse.duckdb"
    monkeypatch.setenv("HSS_IMPORTS_DIR", str(store))
    monkeypatch.setenv("HSS_WAREHOUSE", str(target))
    build.build(target=target, demo_scale=1, imports_dir=store, last_year=2020)
    result = CliRunner().invoke(app, ["import", "heat", str(HEAT_FILE)])
    assert result.exit_code == 0, result.output
    assert db.open_read_only(target).has_synthetic
