"""Shared fixtures: a small edge-case warehouse, and the demo warehouse as the app builds it."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard import build, db
from tests.fixtures.warehouse import build_fixture

DEMO_LAST_YEAR = 2024  # fixed so demo-based expectations do not move with the calendar


@pytest.fixture(scope="session")
def fixture_warehouse(tmp_path_factory) -> Path:
    return build_fixture(tmp_path_factory.mktemp("fixture"))


@pytest.fixture(scope="session")
def fixture_db(fixture_warehouse) -> db.Warehouse:
    return db.open_read_only(fixture_warehouse)


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("demo")
    target = directory / "warehouse.duckdb"
    build.build(target=target, demo_scale=1, imports_dir=directory / "imports", last_year=DEMO_LAST_YEAR)
    return target


@pytest.fixture(scope="session")
def demo_db(demo_warehouse) -> db.Warehouse:
    return db.open_read_only(demo_warehouse)


@pytest.fixture
def use_warehouse(monkeypatch):
    """Point the app's settings at a given warehouse file for the duration of a test."""
    def point(path: Path) -> Path:
        monkeypatch.setenv("HSS_WAREHOUSE", str(path))
        return path
    return point


@pytest.fixture(autouse=True)
def temporary_state_store(tmp_path, monkeypatch) -> Path:
    """Every test writes storyboards to its own temporary state store, never the user's."""
    path = tmp_path / "state" / "state.sqlite"
    monkeypatch.setenv("HSS_STATE_STORE", str(path))
    return path
