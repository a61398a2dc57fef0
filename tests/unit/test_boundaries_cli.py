"""`python -m dashboard import boundaries`: what it stores and prints, and a refusal as one error line."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from dashboard import cli

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "boundaries"


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("HSS_IMPORTS_DIR", str(tmp_path / "imports"))
    monkeypatch.setenv("HSS_WAREHOUSE", str(tmp_path / "warehouse.duckdb"))
    return tmp_path


def test_import_without_warehouse_stores_the_boundaries(store):
    result = CliRunner().invoke(cli.app, ["import", "boundaries", str(FIXTURES / "zzz_adm1.topojson"),
                                          "--iso3", "ZZZ", "--no-build"])
    assert result.exit_code == 0, result.output
    target = store / "imports" / "boundaries_ZZZ"
    assert result.output.startswith(f"imported 2 admin-1 areas of ZZZ into {target} "
                                    "(names from NAME_1, codes from HASC_1)")
    assert "not matched: the build matches" in result.output
    assert (store / "imports" / "boundaries_ZZZ" / "admin1.geojson").is_file()


def test_import_reports_how_the_built_subgroups_match(store, monkeypatch):
    from dashboard import build

    built = build.BuildResult(path=store / "warehouse.duckdb", build_id="b2", row_counts={},
                              subnational_subgroups={"ZZZ": ["Alpha", "ZZ.BE", "Gamma"]})
    monkeypatch.setattr(cli, "_rebuild", lambda: built)  # the build's own listing is tested on its SQL
    result = CliRunner().invoke(cli.app, ["import", "boundaries", str(FIXTURES / "zzz_adm1.topojson"),
                                          "--iso3", "ZZZ"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[1:] == [
        "matched 2 of 3 subnational subgroup(s) to boundaries (1 by code, 1 by name, 0 by alias)",
        "subgroups without a boundary (1): Gamma",
    ]


def test_bad_file_exits_with_one_error_line_and_no_import(store):
    empty = store / "empty.geojson"
    empty.write_bytes(b"")
    result = CliRunner().invoke(cli.app, ["import", "boundaries", str(empty), "--iso3", "ZZZ", "--no-build"])
    assert result.exit_code == 1
    assert result.output.strip() == f"error: {empty}: the file is empty"
    assert not (store / "imports" / "boundaries_ZZZ").exists()
