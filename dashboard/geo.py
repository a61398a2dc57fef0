"""Country geometry for the world map: the committed Natural Earth 1:110m TopoJSON, loaded once per process."""

from __future__ import annotations

import functools
import json

from dashboard import config

WORLD_FILE = config.GEO_DIR / "countries-110m.json"
WORLD_OBJECT = "countries"  # the TopoJSON object holding one geometry per country

# Features of the world file without an ISO 3166-1 numeric id: these areas have no ISO code, so the
# publisher leaves `id` out. They draw as outlines but can never join to a value keyed by iso_n3.
UNCODED_NAMES: frozenset[str] = frozenset({"N. Cyprus", "Somaliland", "Kosovo"})


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
