"""An import or fetch whose rebuild fails a data check is rolled back: the import store and the warehouse
stay exactly as they were, so the next build or import still works."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from dashboard import build
from dashboard.cli import app
from dashboard.config import PROJECT_ROOT
from dashboard.sources import fetch as connectors
from dashboard.sources import imports
from dashboard.sources import store as import_store
from dashboard.sources.imports import ImportSet
from tests.fixtures.trees import tree_digest
from tests.fixtures.warehouse import REAL, real_import, value

GHANA = PROJECT_ROOT / "tests" / "fixtures" / "heat" / "ghana_sba.csv"
runner = CliRunner()


@pytest.fixture
def built(store, tmp_path) -> Path:
    """A real-only warehouse (so rebuilds skip the demo) built from the fixture import in `store`."""
    imports.write(real_import(), store)
    target = tmp_path / "warehouse.duckdb"
    build.build(target=target, demo_scale=None, imports_dir=store)
    return target


def file_digest(path: Path) -> tuple[int, str]:
    return path.stat().st_ino, hashlib.sha256(path.read_bytes()).hexdigest()


def heat_copy(tmp_path: Path, name: str, edit=lambda line: line) -> Path:
    """ghana_sba.csv under another name (so another source), its data lines passed through `edit`."""
    header, *rows = GHANA.read_text().splitlines()
    copy = tmp_path / name
    copy.write_text("\n".join([header, *map(edit, rows)]) + "\n")
    return copy


def assert_rolled_back(result, check: str, store: Path, store_before: dict, warehouse: Path, warehouse_before):
    assert result.exit_code == 1, result.output
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 1 and errors[0].startswith("error: ")
    assert check in errors[0] and "rolled back" in errors[0]
    assert "Traceback" not in result.output
    assert tree_digest(store) == store_before
    assert file_digest(warehouse) == warehouse_before


def test_a_second_heat_file_with_the_same_values_is_rolled_back(store, built, tmp_path):
    assert runner.invoke(app, ["import", "heat", str(GHANA)]).exit_code == 0
    store_before, warehouse_before = tree_digest(store), file_digest(built)

    result = runner.invoke(app, ["import", "heat", str(heat_copy(tmp_path, "ghana_sba_again.csv"))])

    assert_rolled_back(result, "fct_key_is_unique", store, store_before, built, warehouse_before)
    assert runner.invoke(app, ["build", "--no-demo"]).exit_code == 0  # nothing left that fails


def test_a_total_dimension_with_another_subgroup_is_rolled_back(store, built, tmp_path):
    store_before, warehouse_before = tree_digest(store), file_digest(built)
    national = heat_copy(tmp_path, "national.csv",
                         lambda line: line.replace(",Sex,Female,", ",Total,National,"))

    result = runner.invoke(app, ["import", "heat", str(national)])

    assert_rolled_back(result, "fct_subgroup_attributes_are_consistent", store, store_before, built,
                       warehouse_before)
    assert "HEAT_national" not in {p.name for p in store.iterdir()}


def test_an_import_into_an_absent_store_leaves_no_store_behind(store, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    imports.write(real_import(), elsewhere)
    target = tmp_path / "warehouse.duckdb"
    build.build(target=target, demo_scale=None, imports_dir=elsewhere)
    warehouse_before = file_digest(target)
    national = heat_copy(tmp_path, "national.csv",
                         lambda line: line.replace(",Sex,Female,", ",Total,National,"))

    result = runner.invoke(app, ["import", "heat", str(national)])

    assert_rolled_back(result, "fct_subgroup_attributes_are_consistent", store, {}, target, warehouse_before)
    assert not store.exists()


def newer_release_with_a_national_value_mislabelled() -> ImportSet:
    """A newer release of FX.COV (which supersedes it in FIXTURE_REAL) with one 'Total' row whose subgroup
    is not 'Total': the importer accepts it, the build's subgroup check does not."""
    code = "FIXTURE_NEWER"
    base = real_import()
    indicators = base.tables["dim_indicator"].query("indicator_code == 'FX.COV'").assign(source_code=code)
    rows = [value("FX.COV", "KEN", 2016, 72.0, source=code),
            value("FX.COV", "UGA", 2017, 59.0, source=code, subgroup="All ages")]
    return ImportSet(source=base.source.assign(source_code=code, release="2025-01"),
                     tables={"dim_indicator": indicators, "fct_indicator_value": pd.DataFrame(rows)})


def test_a_fetch_that_rewrites_and_adds_releases_is_rolled_back(store, built, monkeypatch):
    monkeypatch.setattr(connectors, "fetch_wdi",
                        lambda codes, **kwargs: [newer_release_with_a_national_value_mislabelled()])
    store_before, warehouse_before = tree_digest(store), file_digest(built)

    result = runner.invoke(app, ["fetch", "wdi", "--indicator", "FX.COV"])

    assert "FX.COV: values from FIXTURE_NEWER replace those from FIXTURE_REAL" in result.stdout  # store changed
    assert_rolled_back(result, "fct_subgroup_attributes_are_consistent", store, store_before, built,
                       warehouse_before)
    assert {p.name for p in store.iterdir()} == {REAL}


def test_no_build_keeps_the_import_and_says_it_was_not_rebuilt(store, built, tmp_path):
    assert runner.invoke(app, ["import", "heat", str(GHANA)]).exit_code == 0
    warehouse_before = file_digest(built)

    again = heat_copy(tmp_path, "ghana_sba_again.csv")
    result = runner.invoke(app, ["import", "heat", str(again), "--no-build"])

    assert result.exit_code == 0, result.output
    assert "--no-build" in result.stdout and "not rebuilt" in result.stdout
    assert (store / "HEAT_ghana_sba_again").is_dir()
    assert file_digest(built) == warehouse_before


def test_a_failed_block_puts_back_rewritten_removed_and_hidden_entries(tmp_path):
    folder = tmp_path / "imports"
    imports.write(real_import(), folder)
    (folder / ".staging-left-over").mkdir()
    (folder / ".staging-left-over" / "part.parquet").write_bytes(b"partial")
    (folder / ".snapshot-of-another-import").mkdir()
    before = tree_digest(folder)

    with pytest.raises(KeyboardInterrupt), import_store.kept_unless_failed(folder):
        imports.write(real_import(), folder)  # the same release again: the folder is replaced
        imports.write(newer_release_with_a_national_value_mislabelled(), folder)
        (folder / ".staging-left-over" / "part.parquet").unlink()
        raise KeyboardInterrupt

    assert tree_digest(folder) == before


def test_a_block_that_succeeds_keeps_its_changes_and_no_snapshot(tmp_path):
    folder = tmp_path / "imports"
    imports.write(real_import(), folder)
    with import_store.kept_unless_failed(folder):
        imports.write(newer_release_with_a_national_value_mislabelled(), folder)
    assert sorted(p.name for p in folder.iterdir()) == ["FIXTURE_NEWER", REAL]
