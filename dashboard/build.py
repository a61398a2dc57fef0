"""Build the warehouse: compose the demo source and every import into a fresh file, check it, swap it in.

The new warehouse is written to a temporary file beside the target and renamed over it only after every
data check in `queries/checks/` passes, so a failed or interrupted build leaves the previous file intact.
"""

from __future__ import annotations

import fcntl
import itertools
import json
import os
import re
import subprocess
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

import dashboard
from dashboard import catalogue, contract, uhc
from dashboard.config import PROJECT_ROOT, QUERIES_DIR
from dashboard.sources import imports
from dashboard.uhc import warehouse as uhc_warehouse

FCT = "fct_indicator_value"
FCT_SORT = ["indicator_code", "iso3", "year", "dimension", "subgroup_order", "subgroup"]


class BuildError(RuntimeError):
    """The build could not complete; the message names the failing input or data check."""


@dataclass(frozen=True)
class BuildResult:
    path: Path
    build_id: str
    row_counts: dict[str, int]
    # iso3 -> the 'Subnational region' subgroups its values use (to match against imported boundaries)
    subnational_subgroups: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Parts:
    """Everything one build loads, table by table (value rows may arrive in chunks)."""

    tables: dict[str, list[pd.DataFrame]]
    value_chunks: list[Iterable[pd.DataFrame]]
    sources: list[str]


def build(
    target: Path,
    demo_scale: int | None,
    imports_dir: Path,
    progress: Callable[[str], None] = lambda message: None,
    last_year: int | None = None,
) -> BuildResult:
    """Build a warehouse at `target` from the demo (unless `demo_scale` is None) and `imports_dir`. One build
    of a target runs at a time; it first removes what a killed build left behind."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with _only_build(target):
        for stale in stale_temporaries(target):
            progress(f"removing {stale.name}, left by an interrupted build")
            stale.unlink(missing_ok=True)
        return _build(target, demo_scale, imports_dir, progress, last_year)


def stale_temporaries(target: Path) -> list[Path]:
    """Temporary files of builds of `target` (call only while holding the build lock: none is running)."""
    return sorted(target.parent.glob(f".{target.stem}-*.duckdb.tmp*"))


@contextmanager
def _only_build(target: Path) -> Iterator[None]:
    """Hold the build lock of `target` (a lock file beside it) or refuse: two builds would race to swap."""
    lock = target.with_name(f".{target.stem}.build.lock")
    with open(lock, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildError(f"another build of {target} is running (it holds {lock}); try again when it ends") \
                from None
        yield


def _build(target: Path, demo_scale: int | None, imports_dir: Path, progress: Callable[[str], None],
           last_year: int | None) -> BuildResult:
    try:
        import_sets = imports.read_all(Path(imports_dir))
    except contract.ContractError as exc:
        raise BuildError(f"import store {imports_dir} is not valid: {exc}") from exc
    if demo_scale is None and not import_sets:
        raise BuildError(f"nothing to build: --no-demo was given and {imports_dir} holds no imports")

    parts = _compose(demo_scale, import_sets, last_year, progress)
    temporary = target.with_name(f".{target.stem}-{uuid.uuid4().hex[:8]}.duckdb.tmp")
    try:
        build_id, counts, subnational = _write(temporary, parts, demo_scale, progress)
        progress("swapping the new warehouse into place")
        os.replace(temporary, target)
    finally:
        for leftover in (temporary, temporary.with_name(temporary.name + ".wal")):
            leftover.unlink(missing_ok=True)
    return BuildResult(path=target, build_id=build_id, row_counts=counts, subnational_subgroups=subnational)


def _compose(demo_scale, import_sets, last_year, progress) -> Parts:
    """Gather frames per table: catalogue countries always, the demo if asked, then imports over it."""
    tables: dict[str, list[pd.DataFrame]] = {table: [] for table in contract.TABLES}
    value_chunks: list[Iterable[pd.DataFrame]] = []
    imported_codes = {
        code for s in import_sets for code in s.tables.get(FCT, pd.DataFrame({"indicator_code": []}))["indicator_code"]
    }
    imported_indicators = pd.concat(
        [s.tables["dim_indicator"] for s in import_sets if "dim_indicator" in s.tables] or [pd.DataFrame()])

    tables["dim_country"].append(catalogue.countries())
    tables["dim_source"].append(catalogue.sources().query("not is_synthetic"))
    demo_first: pd.DataFrame | None = None
    if demo_scale is not None:
        from dashboard.sources import demo

        progress(f"generating the synthetic demo source (scale {demo_scale})")
        generated = demo.generate(scale=demo_scale, last_year=last_year)
        tables["dim_source"].append(generated.source)
        tables["dim_admin1"].append(generated.admin1)
        indicators = generated.indicators
        tables["dim_indicator"].append(indicators[~indicators["indicator_code"].isin(imported_indicators.get("indicator_code", []))])
        demo_rest = (chunk[~chunk["indicator_code"].isin(imported_codes)] for chunk in generated.value_chunks())
        # The first chunk (the base copy of every indicator) is drawn now: the UHC index is computed from
        # its tracers before any value is loaded.
        demo_first = next(demo_rest)
        for table, frame in generated.survey_tables.items():
            tables[table].append(frame)

    for import_set in import_sets:
        progress(f"adding import {import_set.source_code}")
        tables["dim_source"].append(import_set.source)
        for table, frame in import_set.tables.items():
            if table == FCT:
                value_chunks.append([frame])
            else:
                tables[table].append(frame)

    imported_values = [s.tables[FCT] for s in import_sets if FCT in s.tables]
    areas = pd.concat(tables["dim_country"], ignore_index=True) if tables["dim_country"] else None
    aggregates = set() if areas is None else set(areas.loc[areas["is_aggregate"].astype(bool), "iso3"])
    computed = _computed_uhc([f for f in (demo_first, *imported_values) if f is not None],
                             pd.concat(tables["dim_source"], ignore_index=True), progress, aggregates)
    if computed is not None:
        source, indicators, values = computed
        tables["dim_source"].append(source)
        tables["dim_indicator"].append(indicators)
        if demo_first is not None:
            # Loaded with the demo's base chunk so the demo warehouse stays ordered by indicator throughout.
            demo_first = pd.concat([demo_first, values], ignore_index=True)
        else:
            value_chunks.append([values])
    if demo_first is not None:
        value_chunks.insert(0, itertools.chain([demo_first], demo_rest))
    sources = [code for frame in tables["dim_source"] for code in frame["source_code"]]
    return Parts(tables=tables, value_chunks=value_chunks, sources=sources)


def _computed_uhc(value_frames: list[pd.DataFrame], sources: pd.DataFrame, progress,
                  aggregates: set[str] = frozenset()):
    """(dim_source row, dim_indicator rows, value rows) of the UHC index computed from the tracers among
    `value_frames`, or None when they hold no country-year with every tracer.

    Only the base copy of each indicator feeds it: at --scale N the copies suffixed ~002 ... exist to make
    the warehouse large for benchmarks, and an index per copy would add work and indicators nobody reads.
    Inputs a country lacks altogether take the median of its WHO region, as the SDG 3.8.1 metadata
    imputes them by region. The index is a country measure: values of aggregate areas (WHO regions,
    income groups) are left out, since a publisher's regional average is not an input to it.
    """
    tracer_map = catalogue.uhc_tracers()
    relevant = [f[f["indicator_code"].isin(tracer_map["indicator_code"]) & ~f["iso3"].isin(aggregates)]
                for f in value_frames]
    inputs = uhc_warehouse.tracer_values(pd.concat(relevant, ignore_index=True), tracer_map) if relevant else None
    if inputs is None or inputs.empty:
        return None
    progress("computing the UHC service coverage index from its tracers")
    countries = catalogue.countries()
    regions = dict(zip(countries["iso3"], countries["who_region"]))
    try:
        result = uhc.compute(inputs[["iso3", "year", "tracer", "value"]], regions=regions)
    except uhc.TracerInputError as exc:
        bad = inputs.loc[exc.row]
        raise BuildError(f"cannot compute the UHC index: {bad['indicator_code']} for {bad['iso3']} {bad['year']} "
                         f"(source {bad['source_code']}): {exc.detail}") from exc
    if result.empty:
        return None
    values = uhc_warehouse.indicator_values(result)
    source = uhc_warehouse.source_row(inputs, sources, pd.Timestamp.now().floor("s"))
    return source, catalogue.uhc_indicators(), values


BUILD_CONFIG = {"enable_external_access": False, "autoload_known_extensions": False,
                "autoinstall_known_extensions": False}


def _dedupe_dimensions(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Dimension rows from several inputs: the first of each key wins (catalogue before imports)."""
    keys = {"dim_country": ["iso3"], "dim_source": ["source_code"], "dim_indicator": ["indicator_code"],
            "dim_admin1": ["iso3", "admin1_code"], "dim_survey": ["survey_code"]}.get(table)
    return frame.drop_duplicates(subset=keys, keep="first") if keys else frame


def _write(path: Path, parts: Parts, demo_scale, progress) -> tuple[str, dict[str, int], dict[str, list[str]]]:
    # The build reads only frames it registers and writes only its own file: no other file, no extension.
    connection = duckdb.connect(str(path), config=BUILD_CONFIG)
    try:
        connection.execute("set lock_configuration = true")
        connection.execute((QUERIES_DIR / "warehouse" / "schema.sql").read_text(encoding="utf-8"))
        for table, frames in parts.tables.items():
            if table == FCT or not frames:
                continue
            frame = _dedupe_dimensions(table, pd.concat([contract.conform(table, f) for f in frames]))
            _insert(connection, table, frame)

        progress("loading indicator values")
        # Each chunk (one demo replicate, or one import) is sorted before it is appended, so every
        # indicator's rows sit together, ordered by country and year: DuckDB's zone maps then skip the
        # row groups a query does not need, without holding and re-sorting the whole table at once.
        for chunks in parts.value_chunks:
            for chunk in chunks:
                if len(chunk):
                    _insert(connection, FCT, contract.conform(FCT, chunk).sort_values(FCT_SORT, kind="stable"))

        progress("running data checks")
        for warning in run_checks(connection):
            progress(warning)
        progress("summarising indicators and sources")
        connection.execute((QUERIES_DIR / "warehouse" / "views.sql").read_text(encoding="utf-8"))
        connection.execute((QUERIES_DIR / "warehouse" / "aggregates.sql").read_text(encoding="utf-8"))
        connection.execute((QUERIES_DIR / "warehouse" / "capacity.sql").read_text(encoding="utf-8"))

        counts = {table: connection.execute(f"select count(*) from {table}").fetchone()[0]
                  for table in contract.TABLES}
        has_synthetic = connection.execute(
            "select coalesce(bool_or(is_synthetic), false) from dim_source "
            f"where source_code in (select distinct source_code from {FCT})"
            "   or source_code in (select source_code from dim_survey)").fetchone()[0]
        build_id = f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:6]}"
        connection.execute(
            "insert into meta_build values ($build_id, $built_at, $code_version, $demo_scale, "
            "$has_synthetic, $sources, $row_counts)",
            {"build_id": build_id, "built_at": datetime.now(UTC).replace(tzinfo=None),
             "code_version": code_version(), "demo_scale": demo_scale, "has_synthetic": bool(has_synthetic),
             "sources": json.dumps(sorted(set(parts.sources))), "row_counts": json.dumps(counts)})
        subnational = {iso3: list(names) for iso3, names in connection.execute(
            (QUERIES_DIR / "warehouse" / "subnational_subgroups.sql").read_text(encoding="utf-8")).fetchall()}
        connection.execute("checkpoint")
    finally:
        connection.close()
    return build_id, counts, subnational


def _insert(connection: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    # `table` is one of contract.TABLES or the staging table named in this module, never user text.
    connection.register("incoming", frame)
    try:
        connection.execute(f"insert into {table} by name select * from incoming")
    except duckdb.ConstraintException as exc:
        raise BuildError(f"{table}: {exc}") from exc
    finally:
        connection.unregister("incoming")


def run_checks(connection: duckdb.DuckDBPyConnection) -> list[str]:
    """Run every data check in queries/checks/; raise BuildError naming each failure with a few rows.

    A check whose header says `-- Level: warning` reports without failing: its rows are returned as
    warnings for the build to print (e.g. a computed index that differs from the published one is worth
    a look, not a reason to refuse the warehouse).
    """
    failures, warnings = [], []
    for path in sorted((QUERIES_DIR / "checks").glob("*.sql")):
        text = path.read_text(encoding="utf-8")
        offending = connection.execute(f"select count(*) from ({text})").fetchone()[0]
        if offending:
            sample = connection.execute(f"select * from ({text}) limit 5").df()
            rows = sample.to_string(index=False, max_colwidth=40)
            if check_level(text) == "warning":
                warnings.append(f"data check {path.stem} (warning): {offending} row(s), e.g.\n{rows}")
            else:
                failures.append(f"data check {path.stem} failed: {offending} offending row(s), e.g.\n{rows}")
    if failures:
        raise BuildError("\n".join(failures))
    return warnings


def check_level(text: str) -> str:
    """'warning' when the check's header comment says `-- Level: warning`, else 'error'."""
    for line in text.splitlines():
        if not line.startswith("--"):
            break
        if re.match(r"level:\s*warning\b", line[2:].strip(), re.IGNORECASE):
            return "warning"
    return "error"


def code_version() -> str:
    """Package version plus the git commit when the code runs from a checkout."""
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_ROOT,
                                capture_output=True, text=True, timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = ""
    return f"{dashboard.__version__}+{commit}" if commit else dashboard.__version__
