"""The app's warehouse connection is read-only, cannot reach files or extensions, one cursor per call."""

import duckdb
import pytest

from dashboard import build, db
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
