"""Geometry for maps: the committed world TopoJSON (loaded once per process) and imported admin-1 GeoJSON."""

from __future__ import annotations

import functools
import json
from pathlib import Path

from dashboard import config

WORLD_FILE = config.GEO_DIR / "countries-110m.json"
WORLD_OBJECT = "countries"  # the TopoJSON object holding one geometry per country

# Features of the world file without an ISO 3166-1 numeric id: these areas have no ISO code, so the
# publisher leaves `id` out. They draw as outlines but can never join to a value keyed by iso_n3.
UNCODED_NAMES: frozenset[str] = frozenset({"N. Cyprus", "Somaliland", "Kosovo"})

ADMIN1_FILE = "admin1.geojson"  # stored beside the tables of a boundaries import


@functools.cache
def world_topology() -> dict:
    """The world TopoJSON as parsed JSON (grain: one geometry per country in object `countries`).

    Cached for the life of the process; callers must not mutate it. The app passes it to Vega-Lite
    as is, so geometry is never re-serialised through geopandas or Altair's object model.
    """
    with WORLD_FILE.open(encoding="utf-8") as handle:
        return json.load(handle)


def topology_ids() -> set[str]:
    """The ISO 3166-1 numeric ids (zero-padded strings such as '004') that have a country geometry."""
    geometries = world_topology()["objects"][WORLD_OBJECT]["geometries"]
    return {str(g["id"]) for g in geometries if g.get("id") is not None}


def admin1_source_code(iso3: str) -> str:
    """The import-store folder (and source_code) of one country's admin-1 boundaries: boundaries_<ISO3>."""
    return f"boundaries_{iso3.upper()}"


def admin1_geojson(iso3: str, imports_dir: Path) -> dict | None:
    """The stored admin-1 GeoJSON FeatureCollection of `iso3` (grain: one feature per admin-1 area).

    Features carry `id` = admin1_code and properties iso3, admin1_code, name; exterior rings run
    clockwise, the winding Vega-Lite (d3-geo) expects. None when no boundaries were imported.
    """
    path = Path(imports_dir) / admin1_source_code(iso3) / ADMIN1_FILE
    if not path.is_file():
        return None
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)
