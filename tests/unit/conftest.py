"""Fixtures for the command-line tests."""

from pathlib import Path

import pytest


@pytest.fixture
def store(tmp_path, monkeypatch) -> Path:
    """An empty import store, with the warehouse and API cache beside it, as the settings' folders."""
    folder = tmp_path / "imports"
    monkeypatch.setenv("HSS_IMPORTS_DIR", str(folder))
    monkeypatch.setenv("HSS_WAREHOUSE", str(tmp_path / "warehouse.duckdb"))
    monkeypatch.setenv("HSS_CACHE_DIR", str(tmp_path / "cache"))
    return folder
