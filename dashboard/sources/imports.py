"""The normalised import store: one folder per source release under `imports_dir`, one parquet per table.

Layout: `<imports_dir>/<source_code>/<table>.parquet`, tables from `dashboard.contract.TABLES`. Every
import folder holds a `dim_source.parquet` with exactly one row. Folders are written whole to a
temporary sibling and renamed into place, so an import that fails leaves the store exactly as it was.
An import may carry extra files (e.g. `admin1.geojson`) that are written into the same folder.
"""

from __future__ import annotations

import re
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from dashboard import contract

_SAFE_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,119}$")
_SAFE_FILE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]*(\.[A-Za-z0-9]+)+$")


@dataclass
class ImportSet:
    """The tables of one source release, ready to be written to the store."""

    source: pd.DataFrame
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    # Files stored beside the tables, by plain file name (not read back by `read_all`).
    extra_files: dict[str, bytes] = field(default_factory=dict)

    @property
    def source_code(self) -> str:
        return str(self.source["source_code"].iloc[0])


def validate(import_set: ImportSet, *, origin: str = "") -> ImportSet:
    """Conform every table to the contract and check the rows all belong to the one source."""
    source = contract.conform("dim_source", import_set.source, origin=origin)
    if len(source) != 1:
        raise contract.ContractError(f"{origin}: an import holds exactly one source, got {len(source)}")
    code = str(source["source_code"].iloc[0])
    if not _SAFE_CODE.match(code):
        raise contract.ContractError(f"{origin}: source_code {code!r} is not a safe folder name")
    tables = {}
    for table, frame in import_set.tables.items():
        if table not in contract.COLUMNS or table == "dim_source":
            raise contract.ContractError(f"{origin}: unknown import table {table!r}")
        conformed = contract.conform(table, frame, origin=origin)
        if "source_code" in conformed.columns and table in ("fct_indicator_value", "dim_survey"):
            stray = conformed["source_code"] != code
            if stray.any():
                raise contract.ContractError(
                    f"{origin}: {table} has {int(stray.sum())} row(s) whose source_code is not {code}")
        tables[table] = conformed
    for name in import_set.extra_files:
        if not _SAFE_FILE.match(name) or name.endswith(".parquet"):
            raise contract.ContractError(
                f"{origin}: extra file name {name!r} is not a plain non-parquet file name")
    return ImportSet(source=source, tables=tables, extra_files=dict(import_set.extra_files))


def write(import_set: ImportSet, imports_dir: Path, *, origin: str = "") -> Path:
    """Validate and write one source release, replacing an earlier import of the same source_code."""
    checked = validate(import_set, origin=origin)
    imports_dir.mkdir(parents=True, exist_ok=True)
    target = imports_dir / checked.source_code
    staging = imports_dir / f".staging-{uuid.uuid4().hex}"
    staging.mkdir()
    try:
        checked.source.to_parquet(staging / "dim_source.parquet", index=False)
        for table, frame in checked.tables.items():
            frame.to_parquet(staging / f"{table}.parquet", index=False)
        for name, content in checked.extra_files.items():
            (staging / name).write_bytes(content)
        retired = None
        if target.exists():
            retired = imports_dir / f".retired-{uuid.uuid4().hex}"
            target.rename(retired)
        staging.rename(target)
        if retired is not None:
            shutil.rmtree(retired, ignore_errors=True)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return target


def read_all(imports_dir: Path) -> list[ImportSet]:
    """Every import in the store, in folder-name order; folders starting with '.' are ignored."""
    if not imports_dir.is_dir():
        return []
    sets = []
    for folder in sorted(p for p in imports_dir.iterdir() if p.is_dir() and not p.name.startswith(".")):
        source_file = folder / "dim_source.parquet"
        if not source_file.exists():
            continue
        tables = {
            table: pd.read_parquet(folder / f"{table}.parquet")
            for table in contract.TABLES
            if table != "dim_source" and (folder / f"{table}.parquet").exists()
        }
        sets.append(validate(ImportSet(pd.read_parquet(source_file), tables), origin=str(folder)))
    return sets
