"""Locate the real publisher files used by the conformance tests; tests skip when they are absent."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard import config


def real_dir() -> Path:
    return config.path("real_data_dir")


def files(subdir: str, pattern: str) -> list:
    """pytest parameters, one per real file (id = file name), or one skipped parameter when absent."""
    folder = real_dir() / subdir
    found = sorted(folder.glob(pattern)) if folder.is_dir() else []
    if not found:
        reason = (f"real data directory {folder} not found (setting real_data_dir / HSS_REAL_DATA_DIR)"
                  if not folder.is_dir() else f"no {pattern} files in {folder}")
        return [pytest.param(None, marks=pytest.mark.skip(reason=reason), id="absent")]
    return [pytest.param(p, id=p.name) for p in found]


def folder(subdir: str) -> Path:
    """A real-data folder, skipping the calling test with a stated reason when it is absent."""
    path = real_dir() / subdir
    if not path.is_dir():
        pytest.skip(f"real data directory {path} not found (setting real_data_dir / HSS_REAL_DATA_DIR)")
    return path
