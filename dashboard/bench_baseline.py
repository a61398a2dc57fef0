"""The naive baseline for the benchmark: the Overview and Trends results computed the way a typical
Streamlit app does, by loading the fact table into pandas and filtering it in memory, timed against the
app's own accessors (which run named queries on DuckDB).

Runs in a child process (`python -m dashboard.bench_baseline`, plan on stdin, JSON on stdout) so that the
frame's memory is measured on its own and returned to the system afterwards. The pandas functions return
exactly the rows of the app's queries (a test holds them to it), so the two times are for the same result.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

# The fact table's columns the two views read; a typical app would load them once and keep the frame.
COLUMNS = ["indicator_code", "iso3", "admin1_code", "year", "dimension", "estimate", "ci_lower", "ci_upper",
           "source_code", "flag"]
MEMORY_SHARE = 0.7  # load the frame only if its estimated peak fits in this share of the available memory


def _national(values: pd.DataFrame) -> pd.Series:
    return (values["dimension"] == "Total") & values["admin1_code"].isna() & values["estimate"].notna()


def latest_by_country(values: pd.DataFrame, countries: pd.DataFrame, indicators: pd.DataFrame,
                      indicator_code: str, year: int, who_regions=(), income_groups=()) -> pd.DataFrame:
    """What `indicators/latest_by_country` returns, from in-memory frames (one row per iso3)."""
    chosen = countries[~countries["is_aggregate"]]
    if who_regions:
        chosen = chosen[chosen["who_region"].isin(who_regions)]
    if income_groups:
        chosen = chosen[chosen["income_group"].isin(income_groups)]
    rows = values[(values["indicator_code"] == indicator_code) & _national(values) & (values["year"] <= year)]
    latest = rows.sort_values("year").drop_duplicates("iso3", keep="last")
    out = chosen[["iso3", "iso_n3", "name", "who_region", "wb_region", "income_group"]].merge(
        latest[["iso3", "year", "estimate", "ci_lower", "ci_upper", "source_code", "flag"]], on="iso3", how="left")
    out["data_age"] = year - out["year"]
    favourable = bool(indicators.loc[indicators["indicator_code"] == indicator_code, "favourable_indicator"].iloc[0])
    out["rank"] = (-out["estimate"] if favourable else out["estimate"]).rank(method="min")
    return out.sort_values(["rank", "name"], na_position="last").reset_index(drop=True)


def trend_by_country_year(values: pd.DataFrame, countries: pd.DataFrame, indicator_codes,
                          iso3_codes) -> pd.DataFrame:
    """What `indicators/trend_by_country_year` returns for non-empty lists, from in-memory frames (one row
    per indicator_code x iso3 x year)."""
    rows = values[values["indicator_code"].isin(list(indicator_codes)) & values["iso3"].isin(list(iso3_codes))
                  & _national(values)]
    named = countries.loc[~countries["is_aggregate"], ["iso3", "name", "who_region", "income_group"]]
    out = rows.merge(named, on="iso3")
    out = out[["indicator_code", "iso3", "name", "who_region", "income_group", "year", "estimate", "ci_lower",
               "ci_upper", "source_code", "flag"]]
    return out.sort_values(["indicator_code", "iso3", "year"]).reset_index(drop=True)


def load_values(connection) -> pd.DataFrame:
    """The fact table's COLUMNS as a pandas frame (through Arrow, converted in place to limit the peak)."""
    table = connection.cursor().sql(f"select {', '.join(COLUMNS)} from fct_indicator_value").to_arrow_table()
    return table.to_pandas(self_destruct=True, split_blocks=True)


def _available_bytes() -> int | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def _estimated_peak(connection, rows: int) -> int:
    """Bytes the loaded frame is expected to need at its peak (Arrow and pandas copies side by side)."""
    sample = connection.cursor().sql(f"select {', '.join(COLUMNS)} from fct_indicator_value limit 100000").df()
    per_row = sample.memory_usage(deep=True).sum() / max(len(sample), 1)
    return int(2 * per_row * rows)


def _times(call: Callable[[object], object], arguments: list) -> list[float]:
    out = []
    for argument in arguments:
        start = time.perf_counter()
        call(argument)
        out.append((time.perf_counter() - start) * 1000)
    return out


def _measure(plan: dict) -> dict:
    from dashboard import data, db

    codes, year, iso3_codes = plan["indicator_codes"], plan["year"], plan["iso3_codes"]
    repeats = plan["repeats"]
    warehouse = db.open_read_only(Path(plan["warehouse"]))
    connection = warehouse.connection
    views = {
        "Overview: latest value per country": (
            lambda code: data.latest_by_country(code, year),
            lambda frames, code: latest_by_country(frames[0], frames[1], frames[2], code, year)),
        "Trends: national series of three countries": (
            lambda code: data.trend_by_country_year((code,), iso3_codes),
            lambda frames, code: trend_by_country_year(frames[0], frames[1], [code], iso3_codes)),
    }
    out: dict = {"indicator_codes": codes, "year": year, "iso3_codes": iso3_codes, "columns": COLUMNS, "views": []}
    for name, (accessor, _) in views.items():
        accessor(codes[0])  # the accessor's connection and lookups are warm in a running app
        out["views"].append({"view": name, "app_new_parameters_ms": _times(accessor, codes[1:]),
                             "app_cached_ms": _times(accessor, [codes[1]] * repeats)})
    rows = connection.execute("select count(*) from fct_indicator_value").fetchone()[0]
    needed, available = _estimated_peak(connection, rows), _available_bytes()
    out["rows"] = rows
    if available is not None and needed > MEMORY_SHARE * available:
        out["skipped"] = (f"the frame would need about {needed / 1e9:.1f} GB at its peak and "
                          f"{available / 1e9:.1f} GB is available")
        return out
    start = time.perf_counter()
    frames = (load_values(connection),
              connection.cursor().execute("select * from dim_country").df(),
              connection.cursor().execute("select * from dim_indicator").df())
    out["load_seconds"] = time.perf_counter() - start
    out["frame_mb"] = frames[0].memory_usage(deep=True).sum() / 1e6
    for entry, (_, in_memory) in zip(out["views"], views.values()):
        entry["pandas_ms"] = _times(lambda code, view=in_memory: view(frames, code), codes[1:])
    return out


def child_main(measure: Callable[[dict], dict], prepare: Callable[[dict], None] | None = None) -> None:
    """A benchmark child's entry: the plan on stdin, `measure(plan)` as the one JSON document on stdout (anything
    else printed goes to stderr); `prepare(plan)` runs first, e.g. to set the environment."""
    plan = json.loads(sys.stdin.read())
    if prepare is not None:
        prepare(plan)
    results = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    results.write(json.dumps(measure(plan)))
    results.flush()
    os._exit(0)  # do not wait for Streamlit's helper threads


def main() -> None:
    child_main(_measure)


if __name__ == "__main__":
    main()
