"""Read-only access to the warehouse: open it locked down, run named queries one cursor per call."""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from dashboard import sql

# Locked so a query cannot re-enable file or network access, nor load extensions.
READ_ONLY_CONFIG = {
    "enable_external_access": False,
    "autoload_known_extensions": False,
    "autoinstall_known_extensions": False,
    "lock_configuration": True,
}
# The name the warehouse file is attached under in each connection's database instance.
CATALOG = "warehouse"


REBUILD = "rebuild it with `python -m dashboard build` (add `--no-demo` for a warehouse without synthetic data)"


class WarehouseMissing(FileNotFoundError):
    """The warehouse file does not exist yet (build it first)."""


class WarehouseUnreadable(RuntimeError):
    """A file is at the warehouse's path but DuckDB cannot read it as a warehouse (truncated, corrupt, not
    DuckDB, or built without `meta_build`)."""


class QueryTimeout(RuntimeError):
    """A query ran past its time limit and was interrupted."""


@dataclass(frozen=True)
class Warehouse:
    """An open read-only warehouse and what its `meta_build` row says about it."""

    path: Path
    connection: duckdb.DuckDBPyConnection
    build_id: str
    has_synthetic: bool
    meta: dict


def stamp(path: Path) -> tuple[int, int, int] | None:
    """Identity of the file now at `path` (inode, mtime, size): changes when a build swaps it in."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def open_read_only(path: Path, memory_limit: str | None = None) -> Warehouse:
    """Open `path` read-only with external access disabled and read its build metadata.

    Every call opens the file now at `path` in a database instance of its own, even while an earlier
    build of the same path is still open: `duckdb.connect(path)` would hand back the instance already
    open for that path, i.e. the replaced file. The instance, and with it the file, is closed when the
    connection and its last cursor are gone. `memory_limit` (e.g. '256MB') caps DuckDB's buffer pool, which
    otherwise keeps every block a long scan reads, up to 80% of the machine's memory.
    """
    if not Path(path).is_file():
        raise WarehouseMissing(f"no warehouse at {path}: run `python -m dashboard build`")
    try:
        connection = _attach_locked(Path(path), memory_limit)
    except duckdb.Error as exc:
        raise WarehouseUnreadable(f"the warehouse at {path} cannot be read ({_first_line(exc)}): {REBUILD}") from None
    cursor = connection.cursor()
    try:
        row = cursor.execute("select * from meta_build").df().iloc[0].to_dict()
    except (duckdb.Error, IndexError) as exc:
        connection.close()
        reason = "its build record is empty" if isinstance(exc, IndexError) else _first_line(exc)
        raise WarehouseUnreadable(f"the warehouse at {path} cannot be read ({reason}): {REBUILD}") from None
    finally:
        cursor.close()
    meta = {**row, "sources": json.loads(row["sources"]), "row_counts": json.loads(row["row_counts"])}
    return Warehouse(path=Path(path), connection=connection, build_id=str(row["build_id"]),
                     has_synthetic=bool(row["has_synthetic"]), meta=meta)


def _attach_locked(path: Path, memory_limit: str | None = None) -> duckdb.DuckDBPyConnection:
    """A fresh in-memory instance with `path` attached read-only as its only database, then locked down.

    External access is switched off only after the ATTACH (which needs it). Detaching the instance's own
    in-memory database makes the warehouse the default database of every cursor, not just of this one.
    """
    settings = {key: value for key, value in READ_ONLY_CONFIG.items()
                if key not in ("enable_external_access", "lock_configuration")}
    # Spill files go where DuckDB puts them for a file opened directly, not into the working directory.
    limit = {"memory_limit": memory_limit} if memory_limit else {}
    connection = duckdb.connect(":memory:", config={**settings, "temp_directory": f"{path}.tmp", **limit})
    try:
        connection.execute(f"attach {_literal(str(path))} as {CATALOG} (read_only)")
        connection.execute(f"use {CATALOG}")
        connection.execute("detach memory")
        for key in ("enable_external_access", "lock_configuration"):
            connection.execute(f"set {key} = {str(READ_ONLY_CONFIG[key]).lower()}")
    except BaseException:
        connection.close()
        raise
    return connection


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]


def _literal(text: str) -> str:
    """`text` as a SQL string literal (ATTACH takes no bound parameters)."""
    return "'" + text.replace("'", "''") + "'"


def missing_tables(warehouse: Warehouse, required) -> list[str]:
    """Tables of `required` that the warehouse lacks (a file built by an older version)."""
    cursor = warehouse.connection.cursor()
    try:
        present = {row[0] for row in cursor.execute("select table_name from information_schema.tables").fetchall()}
    finally:
        cursor.close()
    return sorted(set(required) - present)


def run(connection: duckdb.DuckDBPyConnection, name: str, *, time_limit: float | None = None,
        **params) -> pd.DataFrame:
    """Run query file `name` with exactly its parameters bound, on a fresh cursor; returns a DataFrame.

    With `time_limit` (seconds), a timer thread interrupts the cursor when the query runs past it and
    `QueryTimeout` is raised. DuckDB has no statement timeout setting; `interrupt()` on the query's own
    cursor stops only that query, never another session's.
    """
    query = sql.load(name)
    query.check(params)
    cursor = connection.cursor()
    timer = threading.Timer(time_limit, cursor.interrupt) if time_limit else None
    try:
        if timer is not None:
            timer.daemon = True
            timer.start()
        return cursor.execute(query.text, params).df()
    except duckdb.InterruptException:
        if timer is None:
            raise
        raise QueryTimeout(f"the query {name} took longer than {time_limit:g} s and was stopped") from None
    except duckdb.IOException as exc:  # a truncated file opens, then fails on the first block it lacks
        raise WarehouseUnreadable(f"the warehouse cannot be read ({_first_line(exc)}): {REBUILD}") from None
    finally:
        if timer is not None:
            timer.cancel()
        cursor.close()
