"""Benchmark: what users wait for, on a large synthetic warehouse; numbers go to a file, never into tests.

One run measures, with repetitions (medians and 95th percentiles):

- every page in `navigation.PAGES` under Streamlit's AppTest: its default view, then the interactions
  scripted for it in SCRIPTS (as URL parameters drawn from the warehouse), each as a first run with new
  parameters and as a warm rerun; a page without a script still gets its default view measured
  (dashboard/bench_pages.py). With a comparison scale, the same at that scale, side by side;
- every app query against its floor, the simplest raw query over the base tables that returns the same
  rows (queries/bench/<name>.sql; a test holds each floor to its query's rows). Parameters are chosen by
  name from SAMPLE_VALUES, so new queries are timed without editing this module; queries without a floor
  file or without sample values are listed as such;
- a naive baseline: the Overview and Trends results from the fact table loaded into pandas
  (dashboard/bench_baseline.py), against the app's accessors;
- the warehouse build (time, size, peak memory of the build process), and the time from starting the
  server to the first chart in headless Chromium (dashboard/bench_browser.py);
- present mode: a ten-slide storyboard stepped through with Next (server-side time of each move), each
  slide drawn by the renderer alone, and its HTML, PDF and PowerPoint handouts (dashboard/bench_present.py).
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import numpy as np

from dashboard import bench_browser, bench_pages, bench_present, contract, db, navigation, sql
from dashboard.config import PROJECT_ROOT, QUERIES_DIR

SAMPLE_VALUES = {
    "indicator_code": "SH.IMM.IDPT", "indicator_codes": ["SH.IMM.IDPT", "SH.IMM.MEAS", "MDG_0000000025"],
    "iso3": "KEN", "country": "KEN", "iso3_codes": ["KEN", "UGA", "TZA", "ETH", "RWA", "BDI"],
    "who_regions": [], "income_groups": [], "who_region": "AFR", "income_group": "Lower middle income",
    "source_codes": ["DEMO_SYNTHETIC"], "dimension": contract.DIM_WEALTH, "year": None, "first_year": 2000,
    "last_year": None, "min_respondents": 5, "survey_code": None, "building_block": "Service delivery",
    "subgroup": "Quintile 1 (poorest)", "peer_group": "who_region", "limit": 100, "earlier_years": 5,
    "min_countries": 5, "min_share": 0.6, "wb_regions": [], "subgroups": [], "year_from": 2000, "year_to": 2100,
    "dimensions": [contract.TOTAL], "subnational": False,
    "threshold": 10, "by_fields": ["regional_network"], "item_code": "IND01", "level": "organisational",
}
FLOORS_FOLDER = "bench"  # queries/bench/<app query name>.sql; sql.all_names() leaves the folder out
DEFAULT_VIEW = "open (default view)"
TREND_COUNTRIES = 3


@dataclass(frozen=True)
class Samples:
    """Valid values drawn from one warehouse for scripted interactions, each list in a fixed but spread-out
    order (pages skip the values they already showed)."""

    indicators: list[str]  # with national values
    countries: list[str]  # not aggregates, with national values
    years: list[int]  # latest first
    who_regions: list[str]
    building_blocks: list[str]
    subgroup_countries: list[str]  # with national subgroup values
    subgroup_indicators: list[str]  # with subgroup values in the equity page's home country
    dimensions: list[str]  # of those subgroup values


# Scripted interactions per page (keyed by navigation url_path): name -> URL parameter sets, one per
# repetition. A page missing here is still measured in its default view.
SCRIPTS: dict[str, dict[str, Callable[[Samples], list[dict[str, str]]]]] = {
    "overview": {
        "change indicator": lambda s: [{"indicator": code} for code in s.indicators],
        "change year": lambda s: [{"year": str(year)} for year in s.years],
        "change region": lambda s: [{"who": region} for region in s.who_regions],
        "change view": lambda s: [{"view": "table"}, {"view": "distribution"}],
    },
    "trends": {
        "change indicator": lambda s: [{"indicator": code} for code in s.indicators],
        "change countries": lambda s: [{"countries": ",".join(s.countries[i:i + TREND_COUNTRIES])}
                                       for i in range(0, len(s.countries) - TREND_COUNTRIES + 1, TREND_COUNTRIES)],
        "change years": lambda s: [{"start": str(s.years[-1] + i), "end": str(s.years[0] - i)}
                                   for i in range(1, len(s.years) // 2)],
        "change view": lambda s: [{"mode": "indicators", "country": iso3} for iso3 in s.countries],
    },
    "country": {
        "change country": lambda s: [{"country": iso3} for iso3 in s.countries],
        "change building block": lambda s: [{"block": block} for block in s.building_blocks],
    },
    "equity": {
        "change country": lambda s: [{"country": iso3} for iso3 in s.subgroup_countries],
        "change indicator": lambda s: [{"indicator": code} for code in s.subgroup_indicators],
        "change dimension": lambda s: [{"dimension": dimension} for dimension in s.dimensions],
        "change view": lambda s: [{"tab": "Benchmark", "group": group} for group in ("region", "income")],
    },
}
EQUITY_HOME = "KEN"  # the equity page opens on Kenya when it has subgroup values


def _spread(values) -> list:
    """`values` in a fixed pseudo-random order, so the first few are not neighbours (e.g. copies of one
    indicator at large scales)."""
    return sorted(values, key=lambda v: hashlib.sha256(str(v).encode()).hexdigest())


def samples(connection: duckdb.DuckDBPyConnection) -> Samples:
    """Values for the scripted interactions, from the warehouse's base tables and build summary."""
    def column(query: str, **params) -> list:
        return [row[0] for row in connection.cursor().execute(query, params).fetchall()]

    first, last = connection.cursor().execute(
        "select min(first_year), max(last_year) from agg_indicator").fetchone()
    subgroup_countries = column("select iso3 from dim_country where not is_aggregate and iso3 in "
                                "(select iso3 from fct_indicator_value where dimension <> 'Total' "
                                "and estimate is not null)")
    home = EQUITY_HOME if EQUITY_HOME in subgroup_countries else min(subgroup_countries, default="")
    return Samples(
        indicators=_spread(column("select indicator_code from agg_indicator")),
        countries=_spread(column(
            "select iso3 from dim_country where not is_aggregate and iso3 in "
            "(select iso3 from fct_indicator_value where dimension = 'Total' and estimate is not null)")),
        years=list(range(last, first - 1, -1)) if first is not None else [],
        who_regions=sorted(column("select distinct who_region from dim_country where not is_aggregate "
                                  "and who_region is not null")),
        building_blocks=sorted(column("select distinct building_block from dim_indicator "
                                      "where indicator_code in (select indicator_code from agg_indicator)")),
        subgroup_countries=_spread(subgroup_countries),
        subgroup_indicators=_spread(column("select distinct indicator_code from fct_indicator_value "
                                           "where iso3 = $iso3 and dimension <> 'Total'", iso3=home)),
        dimensions=sorted(column("select distinct dimension from fct_indicator_value "
                                 "where iso3 = $iso3 and dimension <> 'Total'", iso3=home)),
    )


def page_plans(found: Samples) -> list[bench_pages.PagePlan]:
    """Every page of the navigation: its default view, then its scripted interactions."""
    plans = []
    for page in navigation.PAGES:
        interactions = [bench_pages.Interaction(DEFAULT_VIEW, [{}], empty_caches=True)]
        interactions += [bench_pages.Interaction(name, make(found))
                         for name, make in SCRIPTS.get(page.url_path, {}).items()]
        plans.append(bench_pages.PagePlan(page.url_path, page.title, page.path, interactions))
    return plans


# ---- statistics --------------------------------------------------------------------------------------

def summary(values_ms: list[float]) -> dict | None:
    """Median and 95th percentile (linear interpolation) of timings in ms, or None without timings."""
    if not values_ms:
        return None
    return {"n": len(values_ms), "median_ms": round(statistics.median(values_ms), 1),
            "p95_ms": round(float(np.percentile(values_ms, 95)), 1),
            "samples_ms": [round(v, 1) for v in values_ms]}


def _ratio(numerator: dict | None, denominator: dict | None) -> float | None:
    if not numerator or not denominator or not denominator["median_ms"]:
        return None
    return round(numerator["median_ms"] / denominator["median_ms"], 2)


def _timed(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


# ---- queries and floors ------------------------------------------------------------------------------

def floor_names(root: Path = QUERIES_DIR) -> list[str]:
    """App query names that have a floor file under queries/bench/."""
    folder = root / FLOORS_FOLDER
    return sorted(p.relative_to(folder).with_suffix("").as_posix() for p in folder.rglob("*.sql"))


def run_floor(connection: duckdb.DuckDBPyConnection, name: str, params: dict):
    """Run the floor of app query `name` with the app query's parameters (the floor may use fewer)."""
    floor = sql.load(f"{FLOORS_FOLDER}/{name}")
    return db.run(connection, floor.name, **{key: params[key] for key in floor.params})


def sample_params(query: sql.Query, last_year: int, survey_code: str | None) -> dict | None:
    """Parameters for `query` from SAMPLE_VALUES, or None when it uses a name we have no value for."""
    values = {**SAMPLE_VALUES, "year": last_year, "last_year": last_year, "survey_code": survey_code}
    if not query.params <= set(values):
        return None
    return {name: values[name] for name in query.params}


def time_query(connection: duckdb.DuckDBPyConnection, name: str, params: dict, repeats: int,
               with_floor: bool) -> dict:
    """One app query once cold (its first run on this connection), then `repeats` times warm, each warm
    run followed by one of its floor's."""
    start = time.perf_counter()
    rows = len(db.run(connection, name, **params))
    entry = {"query": name, "rows": rows, "cold_ms": round((time.perf_counter() - start) * 1000, 1)}
    if with_floor:
        start = time.perf_counter()
        floor_rows = len(run_floor(connection, name, params))
        floor_cold = (time.perf_counter() - start) * 1000
    warm, floor_warm = [], []
    for _ in range(repeats):
        warm.append(_timed(lambda: db.run(connection, name, **params)))
        if with_floor:
            floor_warm.append(_timed(lambda: run_floor(connection, name, params)))
    entry["warm"] = summary(warm)
    if not with_floor:
        return {**entry, "floor": None, "ratio": None, "note": "no floor file"}
    entry["floor"] = {"file": f"queries/{FLOORS_FOLDER}/{name}.sql", "rows": floor_rows,
                      "cold_ms": round(floor_cold, 1), "warm": summary(floor_warm)}
    entry["ratio"] = _ratio(entry["warm"], entry["floor"]["warm"])
    if floor_rows != rows:
        entry["note"] = f"floor returned {floor_rows:,} rows, the query {rows:,}"
    return entry


def time_queries(connection: duckdb.DuckDBPyConnection, repeats: int,
                 progress: Callable[[str], None]) -> tuple[list[dict], list[str]]:
    """Every app query with sample values, against its floor where there is one; returns the entries and
    the names skipped for want of sample values. A query that fails is reported, not fatal."""
    last_year = connection.execute("select max(year) from fct_indicator_value").fetchone()[0]
    survey = connection.execute("select min(survey_code) from dim_survey").fetchone()[0]
    floors = set(floor_names())
    entries, skipped = [], []
    for name in sql.all_names():
        params = sample_params(sql.load(name), last_year, survey)
        if params is None:
            skipped.append(name)
            continue
        progress(f"timing {name}")
        try:
            entries.append(time_query(connection, name, params, repeats, name in floors))
        except duckdb.Error as exc:
            entries.append({"query": name, "rows": None, "warm": None, "floor": None, "ratio": None,
                            "note": f"failed: {str(exc).splitlines()[0]}"})
    return entries, skipped


# ---- child processes: build and baseline -------------------------------------------------------------

def _child(argv: list[str], *, env: dict, stdin: str | None = None, log: Path | None = None,
           on_line: Callable[[str], None] | None = None) -> tuple[int, str, float, float]:
    """Run a child process; returns (exit status, stdout, seconds, its own peak memory in MB)."""
    start = time.perf_counter()
    with open(log, "a") if log else open(os.devnull, "w") as errors:
        process = subprocess.Popen(argv, cwd=PROJECT_ROOT, env={**os.environ, **env}, text=True,
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT if on_line else errors)
        memory = bench_pages.PeakMemory(process.pid)
        process.stdin.write(stdin or "")
        process.stdin.close()
        lines = []
        for line in process.stdout:
            lines.append(line)
            if on_line:
                on_line(line.rstrip())
        process.wait()
    return process.returncode, "".join(lines), time.perf_counter() - start, memory.stop()


class BenchError(RuntimeError):
    """A step of the benchmark could not run; the message says which and where to look."""


def build_warehouse(scale: int, directory: Path, reuse: bool, progress: Callable[[str], None]) -> dict:
    """Build the scale-`scale` warehouse in a child process (so its peak memory is its own), or reuse it
    with the figures recorded when it was built."""
    target = directory / f"warehouse-scale{scale}.duckdb"
    figures = target.with_suffix(".build.json")
    reused = reuse and target.exists()
    if reused:
        progress(f"reusing {target}")
        built = json.loads(figures.read_text()) if figures.exists() else {"build_seconds": None,
                                                                            "build_peak_mb": None}
    else:
        progress(f"building the scale-{scale} warehouse at {target}")
        status, _, seconds, peak_mb = _child(
            [sys.executable, "-m", "dashboard", "build", "--scale", str(scale), "--warehouse", str(target)],
            env={"HSS_IMPORTS_DIR": str(directory / "no-imports")}, on_line=lambda line: progress(f"  {line}"))
        if status != 0:
            raise BenchError(f"building the scale-{scale} warehouse failed (exit status {status})")
        built = {"build_seconds": round(seconds, 1), "build_peak_mb": round(peak_mb)}
        figures.write_text(json.dumps(built), encoding="utf-8")
    warehouse = db.open_read_only(target)
    try:
        return {"scale": scale, "file": str(target), "size_mb": round(target.stat().st_size / 1e6, 1),
                "reused": reused, **built,
                "build_id": warehouse.build_id, "row_counts": warehouse.meta["row_counts"]}
    finally:
        warehouse.connection.close()


def baseline(warehouse: Path, found: Samples, repeats: int, log: Path) -> dict:
    """The naive pandas baseline in a child process, summarised; see dashboard/bench_baseline.py."""
    plan = {"warehouse": str(warehouse), "repeats": repeats, "indicator_codes": found.indicators[:repeats + 1],
            "year": found.years[0], "iso3_codes": SAMPLE_VALUES["iso3_codes"][:TREND_COUNTRIES]}
    status, out, _, peak_mb = _child([sys.executable, "-m", "dashboard.bench_baseline"], stdin=json.dumps(plan),
                                     env={"HSS_WAREHOUSE": str(warehouse)}, log=log)
    if status != 0:  # e.g. killed for want of memory: the rest of the run is still worth having
        return {"status": f"failed (exit status {status}; see {log})", "peak_mb": round(peak_mb), "views": []}
    raw = json.loads(out)
    result = {key: raw[key] for key in ("rows", "columns", "indicator_codes", "year", "iso3_codes")}
    result["peak_mb"] = round(peak_mb)
    if "skipped" in raw:
        result["status"] = f"pandas not run: {raw['skipped']}"
    else:
        result.update(status="ok", load_seconds=round(raw["load_seconds"], 1), frame_mb=round(raw["frame_mb"]))
    result["views"] = []
    for view in raw["views"]:
        entry = {"view": view["view"], "pandas": summary(view.get("pandas_ms", [])),
                 "app_new_parameters": summary(view["app_new_parameters_ms"]),
                 "app_cached": summary(view["app_cached_ms"])}
        entry["ratio"] = _ratio(entry["pandas"], entry["app_new_parameters"])
        result["views"].append(entry)
    return result


# ---- pages -------------------------------------------------------------------------------------------

def time_equity_measures(connection: duckdb.DuckDBPyConnection, repeats: int) -> list[dict]:
    """HEAT's summary measures computed in Python (dashboard.equity) over one country's subgroup rows, per
    indicator x dimension the Equity page opens on: every survey year's group, all applicable measures, the
    simulated intervals included. In ms per indicator x dimension, and per measure group (one survey year)."""
    from dashboard import equity

    pairs = db.run(connection, "equity/dimensions_by_indicator", iso3=EQUITY_HOME).head(3)
    iso3 = EQUITY_HOME
    out = []
    for row in pairs.itertuples():
        rows = db.run(connection, "equity/subgroups_by_year", iso3=iso3, indicator_code=row.indicator_code,
                      dimension=row.dimension)
        years = max(int(rows["year"].nunique()), 1)
        times = [_timed(lambda rows=rows: equity.measures_by_year(rows)) for _ in range(repeats)]
        stats = summary(times)
        out.append({"iso3": iso3, "indicator_code": row.indicator_code, "dimension": row.dimension,
                    "survey_years": years, "subgroups": int(rows["subgroup"].nunique()), "all_years": stats,
                    "per_group_median_ms": round(stats["median_ms"] / years, 1)})
    return out


EXTRACT_ROWS = 5_000_000  # the size of extract whose time and peak memory the README quotes


def extract_codes(connection: duckdb.DuckDBPyConnection, rows_wanted: int) -> tuple[list[str], int]:
    """The first indicators (by code) whose national values add up to at least `rows_wanted` rows (all of
    them on a smaller warehouse), and that row count."""
    counts = connection.execute("""
        select indicator_code, count(*) as n from fct_indicator_value
        where dimension = 'Total' and admin1_code is null
        group by indicator_code order by indicator_code""").fetchall()
    codes, total = [], 0
    for code, n in counts:
        if total >= rows_wanted:
            break
        codes.append(code)
        total += n
    return codes, total


def measure_extract(warehouse: Path, directory: Path, rows_wanted: int, log: Path) -> dict:
    """`python -m dashboard extract` of about `rows_wanted` national values to parquet, in a child process:
    rows written, seconds, the process's peak memory and the file's size."""
    connection = db.open_read_only(warehouse).connection
    try:
        codes, rows = extract_codes(connection, rows_wanted)
    finally:
        connection.close()
    out = directory / "extract-bench.parquet"
    argv = [sys.executable, "-m", "dashboard", "extract", "--out", str(out)]
    for code in codes:
        argv += ["--indicator", code]
    status, _, seconds, peak_mb = _child(argv, env={"HSS_WAREHOUSE": str(warehouse)}, log=log)
    if status != 0 or not out.exists():
        return {"status": f"failed (exit status {status}; see {log})", "indicators": len(codes)}
    import pyarrow.parquet as pq

    written = pq.ParquetFile(out).metadata.num_rows
    figures = {"status": "ok", "indicators": len(codes), "rows": written, "expected_rows": rows,
               "seconds": round(seconds, 1), "peak_mb": round(peak_mb), "file_mb": round(out.stat().st_size / 1e6, 1)}
    out.unlink()
    return figures


def measure_pages(warehouse: Path, repeats: int, timeout: float, log: Path,
                  progress: Callable[[str], None]) -> tuple[list[dict], float]:
    """Page entries (one per page x interaction) for `warehouse`, and the page workers' peak memory."""
    connection = db.open_read_only(warehouse).connection
    try:
        plans = page_plans(samples(connection))
    finally:
        connection.close()
    outcomes, peak_mb = bench_pages.measure(warehouse, plans, repeats=repeats, timeout=timeout, log=log,
                                            progress=progress)
    entries = []
    for plan in plans:
        for interaction in plan.interactions:
            outcome = outcomes[(plan.url_path, interaction.name)]
            entries.append({"page": plan.title, "url_path": plan.url_path, "interaction": interaction.name,
                            "scripted": plan.url_path in SCRIPTS, "status": outcome.status,
                            "params": outcome.params, "first": summary(outcome.first_ms),
                            "warm": summary(outcome.warm_ms), "exceptions": sorted(set(outcome.exceptions)),
                            "fallbacks": outcome.fallbacks})
    return entries, round(peak_mb)


def _with_comparison(entries: list[dict], other: list[dict], scale: int) -> None:
    by_key = {(e["url_path"], e["interaction"]): e for e in other}
    for entry in entries:
        match = by_key.get((entry["url_path"], entry["interaction"]))
        entry["compare"] = None if match is None else {
            "scale": scale, "status": match["status"], "first": match["first"], "warm": match["warm"]}
        entry["ratio"] = None if match is None else {"first": _ratio(entry["first"], match["first"]),
                                                     "warm": _ratio(entry["warm"], match["warm"])}


# ---- present mode and handouts ------------------------------------------------------------------------

def present_slides(found: Samples) -> list[dict]:
    """Ten slides across the pages, from the warehouse's own values (title, note, page, params)."""
    home = EQUITY_HOME if EQUITY_HOME in found.subgroup_countries else (found.subgroup_countries or ["KEN"])[0]
    country = "KEN" if "KEN" in found.countries else found.countries[0]
    views = [
        ("overview", {"indicator": found.indicators[0], "year": str(found.years[0])}),
        ("overview", {"indicator": found.indicators[1 % len(found.indicators)], "view": "distribution"}),
        ("trends", {"indicator": found.indicators[0], "countries": ",".join(found.countries[:TREND_COUNTRIES])}),
        ("trends", {"mode": "indicators", "country": country}),
        ("country", {"country": country}),
        ("coverage", {"country": country}),
        ("coverage", {"country": country, "tab": "What if", "whatif": "dtp3:95"}),
        ("coverage", {"country": country, "tab": "Care cascades"}),
        ("equity", {"country": home}),
        ("equity", {"country": home, "tab": "Benchmark"}),
    ]
    return [{"title": f"Slide {i}: {page}", "note": "Benchmark slide.", "page": page, "params": params}
            for i, (page, params) in enumerate(views, 1)]


def measure_present(warehouse: Path, found: Samples, repeats: int, timeout: float, directory: Path) -> dict:
    """Present mode and handout timings in a child process with its own state store; see bench_present."""
    store = directory / "present-state.sqlite"
    store.unlink(missing_ok=True)
    log = directory / "present.log"
    plan = {"repeats": repeats, "timeout": timeout, "state_store": str(store), "slides": present_slides(found)}
    status, out, _, peak_mb = _child([sys.executable, "-m", "dashboard.bench_present"], stdin=json.dumps(plan),
                                     env={"HSS_WAREHOUSE": str(warehouse)}, log=log)
    if status != 0:
        return {"status": f"failed (exit status {status}; see {log})", "peak_mb": round(peak_mb)}
    raw = json.loads(out)
    return {"status": "ok", "slides": raw["slides"], "peak_mb": round(peak_mb),
            "next_slide_first": summary(raw["next_first_ms"]), "next_slide_warm": summary(raw["next_warm_ms"]),
            "next_slide_after_introduction": summary(raw["next_paced_ms"]),
            "render_only": summary(raw["render_ms"]),
            "handouts": {fmt: summary(times) for fmt, times in raw["handout_ms"].items()},
            "handout_bytes": raw["handout_bytes"], "problems": raw["problems"]}


# ---- the whole run -----------------------------------------------------------------------------------

def machine() -> dict:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    try:
        memory_gb = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    except (ValueError, OSError, AttributeError):
        memory_gb = None
    return {"cores": cores, "memory_gb": memory_gb, "python": platform.python_version(),
            "processor": platform.machine(), "system": platform.platform(), "duckdb": duckdb.__version__}


def run(scale: int, directory: Path, *, reuse: bool = False, repeats: int = 5, pages: bool = True,
        browser: bool = True, compare_scale: int | None = 1, page_timeout: float = 60,
        extract_rows: int = EXTRACT_ROWS, progress: Callable[[str], None] = lambda message: None,
        present: bool = True) -> dict:
    """Build (or reuse) the warehouses under `directory`, measure everything, return the results."""
    started = time.perf_counter()
    directory.mkdir(parents=True, exist_ok=True)
    main = build_warehouse(scale, directory, reuse, progress)
    target = Path(main["file"])
    results: dict = {"measured_at": datetime.now(UTC).isoformat(timespec="seconds"), "scale": scale,
                     "repeats": repeats, "page_timeout_s": page_timeout, "machine": machine(),
                     "warehouse": main}
    warehouse = db.open_read_only(target)
    try:
        results["queries"], results["skipped_queries"] = time_queries(warehouse.connection, repeats, progress)
        found = samples(warehouse.connection)
        progress("HEAT summary measures in Python")
        results["equity_measures"] = time_equity_measures(warehouse.connection, repeats)
    finally:
        warehouse.connection.close()
    progress(f"extract of about {extract_rows:,} rows to parquet")
    results["extract"] = measure_extract(target, directory, extract_rows, directory / "extract.log")
    progress("pandas baseline")
    results["baseline"] = baseline(target, found, repeats, directory / "baseline.log")
    results["pages"], results["compare"] = [], None
    if pages:
        progress(f"pages at scale {scale}")
        results["pages"], main["pages_peak_mb"] = measure_pages(
            target, repeats, page_timeout, directory / f"pages-scale{scale}.log", progress)
        if compare_scale and compare_scale != scale:
            other = build_warehouse(compare_scale, directory, reuse, progress)
            progress(f"pages at scale {compare_scale}")
            compared, other["pages_peak_mb"] = measure_pages(
                Path(other["file"]), repeats, page_timeout, directory / f"pages-scale{compare_scale}.log", progress)
            _with_comparison(results["pages"], compared, compare_scale)
            results["compare"] = {"scale": compare_scale, "warehouse": other}
    if present:
        progress(f"present mode and handouts at scale {scale}")
        results["present"] = measure_present(target, found, repeats, page_timeout, directory)
    else:
        results["present"] = {"status": "not measured (--no-present)"}
    if browser:
        progress("server start and first chart in headless Chromium")
        results["browser"] = bench_browser.measure(target, timeout=page_timeout, log=directory / "server.log")
    else:
        results["browser"] = {"status": "not measured (--no-browser)"}
    results["total_seconds"] = round(time.perf_counter() - started, 1)
    return results


# ---- report ------------------------------------------------------------------------------------------

def _ms(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def _pair(stats: dict | None, missing: str = "—") -> str:
    return missing if stats is None else f"{_ms(stats['median_ms'])} / {_ms(stats['p95_ms'])}"


def _page_cells(entry: dict, timeout: float) -> tuple[str, str, str, str]:
    """First run, warm rerun, comparison and ratio cells of one page row; a run stopped at the timeout
    shows as "> N s", and its ratio as the least it can be."""
    stopped = f"> {timeout:g} s" if entry["status"].startswith("timed out") else "—"
    first, warm = _pair(entry["first"], stopped), _pair(entry["warm"], stopped if entry["first"] else "—")
    other, ratio = entry.get("compare"), entry.get("ratio") or {}
    if not other:
        return first, warm, "—", "—"
    compared = (f"{_ms(other['first'] and other['first']['median_ms'])} / "
                f"{_ms(other['warm'] and other['warm']['median_ms'])}")
    cells = []
    for kind, cell in (("first", first), ("warm", warm)):
        if ratio.get(kind) is not None:
            cells.append(_times(ratio[kind]))
        elif cell == stopped != "—" and other[kind]:
            cells.append(f"> {_times(timeout * 1000 / other[kind]['median_ms'])}")
        else:
            cells.append("—")
    return first, warm, compared, " / ".join(cells)


def _times(ratio: float | None) -> str:
    return "—" if ratio is None else f"{ratio:,.1f}×" if ratio < 100 else f"{ratio:,.0f}×"


def _page_note(entry: dict, repeats: int) -> str:
    notes = []
    if entry["status"] != "ok":
        notes.append(entry["status"])
    if entry["first"] and entry["first"]["n"] < repeats:
        notes.append(f"{entry['first']['n']} first run{'s' if entry['first']['n'] > 1 else ''}")
    if entry["exceptions"]:
        notes.append("page raised: " + "; ".join(entry["exceptions"])[:80])
    if entry["fallbacks"]:
        notes.append("fell back: " + " ".join(entry["fallbacks"])[:80])
    compare = entry.get("compare")
    if compare and compare["status"] != "ok":
        notes.append(f"scale {compare['scale']}: {compare['status']}")
    return "; ".join(notes)


def _build_line(wh: dict) -> str:
    if wh.get("build_seconds") is None:
        built = "reused, its build not measured"
    else:
        built = (f"built in {wh['build_seconds']:,} s with a peak of {wh['build_peak_mb']:,} MB (build process)"
                 + (" when first built; reused here" if wh.get("reused") else ""))
    return f"scale {wh['scale']}: {wh['row_counts']['fct_indicator_value']:,} values, {wh['size_mb']:,} MB, {built}"


def to_markdown(results: dict) -> str:
    """The results as Markdown tables (for the README and results.md)."""
    m, wh = results["machine"], results["warehouse"]
    lines = [f"Benchmark at scale {results['scale']}: {m['cores']} cores, {m['memory_gb']} GB memory, "
             f"Python {m['python']}, DuckDB {m['duckdb']} ({m['system']}); repetitions: {results['repeats']}; "
             f"measured {results['measured_at']}; whole run {results['total_seconds'] / 60:.1f} min.", "",
             f"- Warehouse {_build_line(wh)}."]
    compare = results.get("compare")
    if compare:
        lines.append(f"- Comparison warehouse {_build_line(compare['warehouse'])}.")

    if results["pages"]:
        scale_label = f"scale {compare['scale']} first / warm" if compare else "comparison"
        lines += ["", f"Pages: server-side run time under AppTest through app.py, in ms (median / p95). First run: "
                  f"a new session with parameters not yet seen by the process's caches (the default view with "
                  f"the caches emptied); warm: the same session rerun unchanged. Runs stop after "
                  f"{results['page_timeout_s']:g} s.", "",
                  f"| page | interaction | first run | warm rerun | {scale_label} (median) | ratio first / warm "
                  "| note |",
                  "|---|---|---:|---:|---:|---:|---|"]
        for e in results["pages"]:
            cells = " | ".join(_page_cells(e, results["page_timeout_s"]))
            lines.append(f"| {e['page']} | {e['interaction']} | {cells} | {_page_note(e, results['repeats'])} |")

    lines += ["", "Queries: the app query on a warm connection against its floor, the simplest raw query over the "
              "base tables returning the same rows (`queries/bench/`), in ms.", "",
              "| query | rows | warm median | floor median | ratio | note |", "|---|---:|---:|---:|---:|---|"]
    for q in results["queries"]:
        floor = q["floor"]
        rows = "—" if q["rows"] is None else f"{q['rows']:,}"
        lines.append(f"| `{q['query']}` | {rows} | {_ms(q['warm'] and q['warm']['median_ms'])} | "
                     f"{_ms(floor['warm']['median_ms']) if floor else '—'} | {_times(q['ratio'])} | "
                     f"{q.get('note', '')} |")
    if results["skipped_queries"]:
        lines.append(f"\nNot timed (no sample value for a parameter): "
                     f"{', '.join(f'`{n}`' for n in results['skipped_queries'])}.")

    b = results["baseline"]
    lines += ["", "Naive baseline: the same results from the fact table loaded into pandas and filtered in memory, "
              "as a typical Streamlit app does, against the app's accessors (ms, median / p95)."]
    if b["status"] == "ok":
        lines.append(f"Loading its {len(b['columns'])} columns the views read: {b['rows']:,} rows, "
                     f"{b['frame_mb']:,} MB in pandas, {b['load_seconds']:,} s; peak memory of that process "
                     f"{b['peak_mb']:,} MB.")
    else:
        lines.append(f"{b['status']}.")
    lines += ["", "| result | pandas in memory | app, new parameters | pandas ÷ app | app, cached |",
              "|---|---:|---:|---:|---:|"]
    for v in b["views"]:
        lines.append(f"| {v['view']} | {_pair(v['pandas'])} | {_pair(v['app_new_parameters'])} | "
                     f"{_times(v['ratio'])} | {_pair(v['app_cached'])} |")

    lines += ["", *_present_lines(results.get("present"), results["scale"])]

    br = results["browser"]
    lines.append("")
    if br.get("server_answer_s") is not None:
        chart = br.get("first_chart_after_answer_s")
        lines.append(f"Browser (headless Chromium, default page): the server answered {br['server_answer_s']:.1f} s "
                     f"after `streamlit run`; " + (f"first chart drawn {chart:.1f} s after that."
                                                   if chart is not None else f"{br['status']}."))
    else:
        lines.append(f"Browser: {br['status']}.")
    heat = results.get("equity_measures") or []
    if heat:
        lines += ["", "HEAT summary measures computed in Python for the Equity page (every survey year, all applicable "
                  "measures with their intervals), ms:", "",
                  "| country | indicator | dimension | survey years × subgroups | all years (median / p95) | "
                  "per survey year |", "|---|---|---|---:|---:|---:|"]
        for h in heat:
            lines.append(f"| {h['iso3']} | `{h['indicator_code']}` | {h['dimension']} | {h['survey_years']} × "
                         f"{h['subgroups']} | {_pair(h['all_years'])} | {h['per_group_median_ms']:,} |")
    ex = results.get("extract")
    if ex and ex["status"] == "ok":
        lines.append(f"Extract: `python -m dashboard extract` of {ex['indicators']:,} indicators' national values "
                     f"wrote {ex['rows']:,} rows to parquet ({ex['file_mb']:,} MB) in {ex['seconds']:,} s with a peak "
                     f"of {ex['peak_mb']:,} MB (the extract process, interpreter and libraries included).")
    elif ex:
        lines.append(f"Extract: {ex['status']}.")
    pages_peak = wh.get("pages_peak_mb")
    if pages_peak is not None:
        lines.append(f"Peak memory of a page worker at scale {results['scale']}: {pages_peak:,} MB.")
    return "\n".join(lines)


def _present_lines(present: dict | None, scale: int) -> list[str]:
    if not present or present["status"] != "ok":
        return [f"Present mode: {present['status'] if present else 'not measured'}."]
    lines = [f"Present mode at scale {scale}: a {present['slides']}-slide storyboard across the pages, in ms "
             "(median / p95). Next slide: server-side run time under AppTest after pressing Next (first pass: "
             "Next pressed as soon as each run ends, right after opening present mode on cold caches, while the "
             "slides are still being drawn ahead in the background; warm: later passes, every slide drawn). "
             "Handouts: writing the whole file.", "",
             "| measurement | median / p95 |", "|---|---:|",
             f"| next slide, first pass | {_pair(present['next_slide_first'])} |",
             f"| next slide, cold caches, after {bench_present.INTRODUCTION_SECONDS} s of introduction | "
             f"{_pair(present['next_slide_after_introduction'])} |",
             f"| next slide, warm | {_pair(present['next_slide_warm'])} |",
             f"| one slide drawn by the renderer alone, uncached | {_pair(present['render_only'])} |"]
    for fmt, stats in present["handouts"].items():
        lines.append(f"| {fmt.upper()} handout of {present['slides']} slides "
                     f"({present['handout_bytes'][fmt] / 1e6:.1f} MB) | {_pair(stats)} |")
    if present["problems"]:
        lines.append(f"\nSlides that did not draw: {'; '.join(present['problems'])[:300]}.")
    return lines


def write(results: dict, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    out.with_suffix(".md").write_text(to_markdown(results) + "\n", encoding="utf-8")
