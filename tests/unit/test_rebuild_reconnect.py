"""A running dashboard serves a rebuilt warehouse on its next call and lets go of the file it replaced."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import duckdb
import pytest

from dashboard import build, data
from dashboard.sources import imports
from tests.fixtures.warehouse import REAL, SYNTHETIC, real_import, synthetic_import


def open_descriptors(inode: int) -> list[str]:
    """This process's open file descriptors on the file with `inode` (Linux: /proc/self/fd)."""
    found = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            if os.stat(f"/proc/self/fd/{fd}").st_ino == inode:
                found.append(fd)
        except OSError:  # the descriptor os.listdir itself used, closed by now
            continue
    return found


@pytest.fixture
def rebuilt(tmp_path, use_warehouse):
    """Build A (the real fixture source only) and serve it; `rebuild()` then swaps in build B (plus the
    synthetic source) at the same path, as `python -m dashboard build` does."""
    store, target = tmp_path / "imports", use_warehouse(tmp_path / "warehouse.duckdb")
    imports.write(real_import(), store)
    first = build.build(target=target, demo_scale=None, imports_dir=store)

    def rebuild() -> build.BuildResult:
        imports.write(synthetic_import(), store)
        return build.build(target=target, demo_scale=None, imports_dir=store)

    return target, first, rebuild


def test_data_and_build_id_change_after_a_rebuild_in_the_same_process(rebuilt):
    target, first, rebuild = rebuilt
    assert data.warehouse().build_id == first.build_id and not data.warehouse().has_synthetic
    assert set(data.inventory_by_source()["source_code"]) >= {REAL}
    assert SYNTHETIC not in set(data.inventory_by_source()["source_code"])

    second = rebuild()

    assert second.build_id != first.build_id
    assert data.warehouse().build_id == second.build_id and data.warehouse().has_synthetic
    assert SYNTHETIC in set(data.inventory_by_source()["source_code"])
    assert "FX.SYN" in set(data.catalogue_by_indicator()["indicator_code"])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/fd")
def test_the_replaced_file_is_released_once_no_query_uses_it(rebuilt):
    target, first, rebuild = rebuilt
    data.inventory_by_source()
    old_inode = os.stat(target).st_ino
    assert open_descriptors(old_inode)

    rebuild()
    assert data.warehouse().build_id != first.build_id

    assert open_descriptors(old_inode) == []
    assert open_descriptors(os.stat(target).st_ino)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/fd")
def test_a_query_in_flight_on_the_old_build_finishes_before_its_file_is_released(rebuilt):
    target, first, rebuild = rebuilt
    old_inode = os.stat(target).st_ino
    in_flight = data.warehouse().connection.cursor()  # as a session thread holds it while its query runs

    second = rebuild()
    assert data.warehouse().build_id == second.build_id

    assert in_flight.execute("select build_id from meta_build").fetchone()[0] == first.build_id
    assert open_descriptors(old_inode)
    in_flight.close()
    del in_flight
    assert open_descriptors(old_inode) == []


def test_the_rebuilt_warehouse_is_still_locked_down(rebuilt, tmp_path):
    target, first, rebuild = rebuilt
    data.warehouse()
    rebuild()
    cursor = data.warehouse().connection.cursor()
    probe = tmp_path / "probe.csv"
    probe.write_text("a\n1\n")
    for statement in ("select * from read_csv('/etc/passwd')", f"select * from read_csv('{probe}')",
                      f"attach '{tmp_path / 'other.duckdb'}' as other", "install httpfs", "load httpfs"):
        with pytest.raises(duckdb.Error):
            cursor.execute(statement).fetchall()
    for statement in ("set enable_external_access = true", "reset enable_external_access",
                      "set lock_configuration = false"):
        with pytest.raises(duckdb.Error):
            cursor.execute(statement)
    with pytest.raises(duckdb.Error, match="read-only|read only"):
        cursor.execute("delete from dim_country")
    with pytest.raises(duckdb.Error):
        cursor.execute("select * from read_csv('/etc/passwd')").fetchall()
    assert not (tmp_path / "other.duckdb").exists()
    assert Path(target).is_file()
