"""The app's warehouse connection is read-only, cannot reach files or extensions, one cursor per call."""

import dataclasses

import duckdb
import pytest

from dashboard import build, db, sql
from dashboard.sources import imports
from tests.fixtures.warehouse import real_import, synthetic_import


def test_connection_is_read_only(fixture_db):
    with pytest.raises(duckdb.Error, match="read-only"):
        fixture_db.connection.cursor().execute("delete from dim_country")


def test_external_file_access_is_disabled(fixture_db, tmp_path):
    probe = tmp_path / "probe.csv"
    probe.write_text("a\n1\n")
    with pytest.raises(duckdb.Error, match="disabled"):
        fixture_db.connection.cursor().execute(f"select * from read_csv('{probe}')").fetchall()


def test_configuration_cannot_be_unlocked(fixture_db):
    with pytest.raises(duckdb.Error):
        fixture_db.connection.cursor().execute("set enable_external_access = true")


def test_missing_warehouse_is_reported(tmp_path):
    with pytest.raises(db.WarehouseMissing, match="python -m dashboard build"):
        db.open_read_only(tmp_path / "absent.duckdb")


def test_meta_build_is_read(fixture_db):
    assert fixture_db.build_id and fixture_db.has_synthetic is True
    assert fixture_db.meta["row_counts"]["fct_indicator_value"] == 22


def test_stamp_changes_when_the_file_is_replaced(tmp_path):
    path = tmp_path / "f"
    path.write_text("a")
    first = db.stamp(path)
    replacement = tmp_path / "g"
    replacement.write_text("bb")
    replacement.replace(path)
    assert db.stamp(path) != first and db.stamp(tmp_path / "none") is None


def test_system_files_and_other_databases_stay_out_of_reach(fixture_db, tmp_path):
    cursor = fixture_db.connection.cursor()
    for statement in ("select * from read_csv('/etc/passwd')", f"attach '{tmp_path / 'other.duckdb'}' as other",
                      f"copy dim_country to '{tmp_path / 'out.csv'}'"):
        with pytest.raises(duckdb.Error):
            cursor.execute(statement).fetchall()
    assert list(tmp_path.iterdir()) == []


def test_opening_a_replaced_file_reads_the_new_build_while_the_old_one_is_open(tmp_path):
    store, target = tmp_path / "imports", tmp_path / "warehouse.duckdb"
    imports.write(real_import(), store)
    first = db.open_read_only(build.build(target=target, demo_scale=None, imports_dir=store).path)
    imports.write(synthetic_import(), store)
    second_id = build.build(target=target, demo_scale=None, imports_dir=store).build_id
    second = db.open_read_only(target)
    assert second.build_id == second_id != first.build_id and second.has_synthetic
    assert first.connection.cursor().execute("select build_id from meta_build").fetchone()[0] == first.build_id


@pytest.mark.parametrize("statement", [
    "set enable_external_access = true", "reset enable_external_access", "set lock_configuration = false",
    "set allowed_directories = ['/']", "set allowed_paths = ['/etc/passwd']", "set autoload_known_extensions = true",
    "set autoinstall_known_extensions = true", "set memory_limit = '100GB'", "set temp_directory = '/tmp'",
    "pragma enable_external_access",
])
def test_no_setting_can_be_changed_on_the_app_connection(fixture_db, statement):
    with pytest.raises(duckdb.Error):
        fixture_db.connection.cursor().execute(statement)
    setting = fixture_db.connection.cursor().execute(
        "select value from duckdb_settings() where name = 'enable_external_access'").fetchone()[0]
    assert setting == "false"


def test_a_query_past_its_time_limit_is_interrupted_and_the_connection_still_works(fixture_db, monkeypatch):
    original = sql.load
    never_ends = "select count(*) from range(1000000000000) a, range(1000000) b"
    monkeypatch.setattr(sql, "load", lambda name: dataclasses.replace(original(name), text=never_ends,
                                                                        params=frozenset()))
    with pytest.raises(db.QueryTimeout, match="took longer than 0.2 s"):
        db.run(fixture_db.connection, "countries/catalogue_by_country", time_limit=0.2)
    monkeypatch.setattr(sql, "load", original)
    assert len(db.run(fixture_db.connection, "countries/catalogue_by_country", time_limit=30)) > 0


def test_a_truncated_warehouse_is_unreadable_not_a_crash(fixture_warehouse, tmp_path):
    whole = fixture_warehouse.read_bytes()
    for name, content in {"half": whole[: len(whole) // 2], "nine_tenths": whole[: len(whole) * 9 // 10],
                          "garbage": b"x" * 5000, "empty": b""}.items():
        path = tmp_path / f"{name}.duckdb"
        path.write_bytes(content)
        with pytest.raises(db.WarehouseUnreadable, match="python -m dashboard build"):
            warehouse = db.open_read_only(path)
            for query in ("countries/catalogue_by_country", "indicators/catalogue_by_indicator",
                          "sources/inventory_by_source"):
                db.run(warehouse.connection, query)
            db.run(warehouse.connection, "indicators/trend_by_country_year", indicator_codes=[], iso3_codes=[])


def test_commands_on_a_damaged_warehouse_fail_in_one_line(fixture_warehouse, tmp_path):
    import os
    import subprocess
    import sys

    from dashboard.config import PROJECT_ROOT

    whole = fixture_warehouse.read_bytes()
    for name, content in {"half": whole[: len(whole) // 2], "garbage": b"x" * 5000}.items():
        damaged = tmp_path / f"{name}.duckdb"
        damaged.write_bytes(content)
        env = {**os.environ, "HSS_WAREHOUSE": str(damaged)}
        result = subprocess.run([sys.executable, "-m", "dashboard", "extract", "--indicator", "FX.COV", "--out",
                                 str(tmp_path / f"{name}.csv.zip")], env=env, cwd=PROJECT_ROOT,
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-1500:]
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "python -m dashboard build" in lines[0], lines
        assert not (tmp_path / f"{name}.csv.zip").exists()
