"""Settings, declared once as (name, default, help) and overridable by HSS_<NAME> environment variables."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
QUERIES_DIR = PROJECT_ROOT / "queries"
GEO_DIR = PROJECT_ROOT / "data" / "geo"
CATALOGUE_DIR = Path(__file__).resolve().parent / "catalogue"


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str
    kind: type = str

    @property
    def env_var(self) -> str:
        return f"HSS_{self.name.upper()}"


SETTINGS: tuple[Setting, ...] = (
    Setting("warehouse", str(PROJECT_ROOT / "data" / "warehouse.duckdb"),
            "Path of the DuckDB warehouse file the app reads and `build` replaces."),
    Setting("imports_dir", str(PROJECT_ROOT / "data" / "imports"),
            "Folder of normalised imports (one sub-folder per source release) that `build` composes."),
    Setting("extracts_dir", str(PROJECT_ROOT / "data" / "extracts"),
            "Folder where `extract` writes parquet/CSV extracts."),
    Setting("cache_dir", str(PROJECT_ROOT / "data" / "cache"),
            "Folder for cached publisher API responses used by `fetch`."),
    Setting("real_data_dir", str(PROJECT_ROOT.parent / "shared" / "data" / "real"),
            "Folder of real publisher files used by the conformance tests; tests skip when it is absent."),
    Setting("demo_scale", "1",
            "Default size multiplier of the synthetic demo source (1 = one copy of every indicator).", int),
    Setting("query_cache_ttl", "3600",
            "Seconds a query result stays in the app's cache (results are also keyed by build_id).", int),
    Setting("query_cache_entries", "512",
            "Most query results kept in the app's cache.", int),
    Setting("query_timeout_s", "20",
            "Seconds a page's query may run before it is stopped and the page says so (0: no limit).", float),
    Setting("max_browser_rows", "20000",
            "Most rows a page sends to the browser in one table or chart; a table shows its first rows and says "
            "so, a chart over the limit is not drawn.", int),
    Setting("import_max_cells", "5000000",
            "Most cells an importer reads from one XLSX sheet (its declared range); a larger sheet is refused.", int),
    Setting("import_max_json_depth", "64",
            "Deepest nesting of arrays and objects an importer accepts in a JSON file.", int),
    Setting("import_max_zip_ratio", "100",
            "Largest expansion (uncompressed over compressed size) of a zip member, or of an XLSX workbook, "
            "that an importer opens: more is refused as a decompression bomb.", int),
    Setting("import_max_subgroups", "1000",
            "Most subgroups a HEAT file may give one dimension in one setting, year and indicator (subnational "
            "regions run to a few hundred); more is refused.", int),
    Setting("import_max_vertices", "500000",
            "Most polygon vertices an imported boundary file may have.", int),
    Setting("suppression_threshold", "10",
            "Smallest number of respondents a capacity-survey group may have to be shown.", int),
    Setting("survey_salt_file", str(PROJECT_ROOT / "data" / "survey_salt.key"),
            "File holding the secret salt that survey imports hash respondent identifiers with (kept "
            "outside the warehouse and data/imports; created on first import).", str),
    Setting("max_trend_countries", "12",
            "Most countries the Trends page plots at once.", int),
    Setting("play_step_seconds", "0.8",
            "Seconds each year stays on screen while the Overview map plays through the years.", float),
    Setting("extract_memory_limit", "128MB",
            "DuckDB memory limit of `python -m dashboard extract` (values stream through; the cap keeps the buffer "
            "pool from holding every block it reads)."),
    Setting("stale_years", "5",
            "A latest value older than this many years is flagged as old.", int),
    Setting("median_min_countries", "5",
            "Fewest countries a reference median may pool in a year; years with fewer are not drawn.", int),
    Setting("median_min_share", "0.6",
            "Smallest share of a group's reporting countries a year's reference median must pool to be drawn.",
            float),
    Setting("state_store", "",
            "SQLite file of the app's own state (storyboards); empty: state.sqlite beside the warehouse. "
            "The app never writes the warehouse itself."),
    Setting("publication", "",
            "Publication store (a directory or an fsspec URL such as s3://bucket/prefix) that `publish` writes to "
            "and a replica follows: empty, the app serves its own warehouse file; set, it installs the build "
            "the store's pointer names (checksum verified) over the warehouse file and never builds one itself."),
    Setting("publication_poll_seconds", "5",
            "Fewest seconds between two reads of the publication store's pointer by a replica.", float),
    Setting("lb_port", "8500",
            "Port on 127.0.0.1 where `deploy/local.sh up N` puts HAProxy in front of the replicas.", int),
    Setting("lb_stats_port", "8404",
            "Port on 127.0.0.1 of HAProxy's statistics page (/stats) and Prometheus metrics (/metrics) under "
            "`deploy/local.sh`.", int),
    Setting("replica_port", "8501",
            "Port of the first replica `deploy/local.sh` starts; replica i listens on this port + i - 1.", int),
    Setting("run_dir", str(PROJECT_ROOT / "data" / "run"),
            "Folder where `deploy/local.sh` keeps what it started: process ids, logs, the rendered HAProxy "
            "configuration and the replicas' shared cookie secret."),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str):
    """Return a setting's value: the HSS_<NAME> environment variable if set, else its default."""
    setting = _BY_NAME[name]
    raw = os.environ.get(setting.env_var, setting.default)
    try:
        return setting.kind(raw)
    except ValueError as exc:
        raise ValueError(f"{setting.env_var}={raw!r} is not a valid {setting.kind.__name__}") from exc


def path(name: str) -> Path:
    """A setting that names a file or folder, as a Path."""
    return Path(get(name))
