"""Benchmark: build a large synthetic warehouse and time every app query on it; numbers go to a file.

Speed is measured here, never asserted in tests. Each query runs once cold (fresh connection) and then
`repeats` times warm; the median warm time is reported. Parameters are chosen by name from
`SAMPLE_VALUES`, so new queries are benchmarked without editing this module (unknown names are listed
as skipped).
"""

from __future__ import annotations

import json
import platform
import statistics
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from dashboard import build, contract, db, sql
from dashboard.config import QUERIES_DIR

SAMPLE_VALUES = {
    "indicator_code": "SH.IMM.IDPT", "indicator_codes": ["SH.IMM.IDPT", "SH.IMM.MEAS", "MDG_0000000025"],
    "iso3": "KEN", "country": "KEN", "iso3_codes": ["KEN", "UGA", "TZA", "ETH", "RWA", "BDI"],
    "who_regions": [], "income_groups": [], "who_region": "AFR", "income_group": "Lower middle income",
    "source_codes": ["DEMO_SYNTHETIC"], "dimension": contract.DIM_WEALTH, "year": None, "first_year": 2000,
    "last_year": None, "min_respondents": 5, "survey_code": None, "building_block": "Service delivery",
    "subgroup": "Quintile 1 (poorest)", "peer_group": "who_region", "limit": 100,
}
FLOORS_FOLDER = "bench"  # queries/bench/<app query name>.sql; sql.all_names() leaves the folder out


def floor_names(root: Path = QUERIES_DIR) -> list[str]:
    """App query names that have a floor file under queries/bench/: the simplest raw query over the base
    tables returning the same rows (a test holds each floor to its query's rows)."""
    folder = root / FLOORS_FOLDER
    return sorted(p.relative_to(folder).with_suffix("").as_posix() for p in folder.rglob("*.sql"))


def run_floor(connection, name: str, params: dict):
    """Run the floor of app query `name` with the app query's parameters (the floor may use fewer)."""
    floor = sql.load(f"{FLOORS_FOLDER}/{name}")
    return db.run(connection, floor.name, **{key: params[key] for key in floor.params})


def sample_params(query: sql.Query, last_year: int, survey_code: str | None) -> dict | None:
    """Parameters for `query` from SAMPLE_VALUES, or None when it uses a name we have no value for."""
    values = {**SAMPLE_VALUES, "year": last_year, "last_year": last_year, "survey_code": survey_code}
    if not query.params <= set(values):
        return None
    return {name: values[name] for name in query.params}


def time_call(call: Callable[[], object], repeats: int) -> tuple[float, float]:
    """(first run, median of `repeats` further runs) in milliseconds."""
    start = time.perf_counter()
    call()
    cold = (time.perf_counter() - start) * 1000
    warm = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        warm.append((time.perf_counter() - start) * 1000)
    return cold, statistics.median(warm)


def run(scale: int, directory: Path, reuse: bool, repeats: int, progress: Callable[[str], None]) -> dict:
    """Build (or reuse) a scale-`scale` warehouse under `directory`, time the queries, return results."""
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"warehouse-scale{scale}.duckdb"
    build_seconds = None
    if not (reuse and target.exists()):
        start = time.perf_counter()
        build.build(target=target, demo_scale=scale, imports_dir=directory / "no-imports", progress=progress)
        build_seconds = round(time.perf_counter() - start, 1)
    warehouse = db.open_read_only(target)
    connection = warehouse.connection
    last_year = connection.execute("select max(year) from fct_indicator_value").fetchone()[0]
    survey = connection.execute("select min(survey_code) from dim_survey").fetchone()[0]
    queries, skipped = [], []
    for name in sql.all_names():
        query = sql.load(name)
        params = sample_params(query, last_year, survey)
        if params is None:
            skipped.append(name)
            continue
        progress(f"timing {name}")
        rows = len(db.run(connection, name, **params))
        cold, warm = time_call(lambda: db.run(connection, name, **params), repeats)
        queries.append({"query": name, "rows": rows, "cold_ms": round(cold, 1), "warm_median_ms": round(warm, 1)})
    return {
        "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "scale": scale,
        "machine": {"python": platform.python_version(), "processor": platform.machine(),
                    "cpus": _cpus(), "system": platform.platform()},
        "warehouse": {"file": str(target), "size_mb": round(target.stat().st_size / 1e6, 1),
                      "build_seconds": build_seconds, "row_counts": warehouse.meta["row_counts"]},
        "queries": queries,
        "skipped": skipped,
    }


def _cpus() -> int:
    import os
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def to_markdown(results: dict) -> str:
    """The results as a Markdown table (for the README)."""
    wh = results["warehouse"]
    lines = [f"Scale {results['scale']}: {wh['row_counts']['fct_indicator_value']:,} values, "
             f"{wh['size_mb']} MB, built in {wh['build_seconds']} s "
             f"({results['machine']['cpus']} CPUs, Python {results['machine']['python']}).", "",
             "| query | rows | first run (ms) | warm median (ms) |", "|---|---:|---:|---:|"]
    lines += [f"| `{q['query']}` | {q['rows']:,} | {q['cold_ms']} | {q['warm_median_ms']} |" for q in results["queries"]]
    return "\n".join(lines)


def write(results: dict, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    out.with_suffix(".md").write_text(to_markdown(results) + "\n", encoding="utf-8")
