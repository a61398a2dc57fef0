"""Geometry for maps: the committed world TopoJSON and admin-1 layer (loaded once per process) and
imported admin-1 GeoJSON."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

from dashboard import config

WORLD_FILE = config.GEO_DIR / "countries-110m.json"
WORLD_OBJECT = "countries"  # the TopoJSON object holding one geometry per country

# Features of the world file without an ISO 3166-1 numeric id: these areas have no ISO code, so the
# publisher leaves `id` out. They draw as outlines but can never join to a value keyed by iso_n3.
UNCODED_NAMES: frozenset[str] = frozenset({"N. Cyprus", "Somaliland", "Kosovo"})

ADMIN1_FILE = "admin1.geojson"  # stored beside the tables of a boundaries import
# Admin-1 areas of the demo's countries, derived from Natural Earth (see data/geo/README.md and
# dashboard/sources/admin1_layer.py): one feature per area, id = ISO 3166-2 code.
ADMIN1_LAYER_FILE = config.GEO_DIR / "admin1-naturalearth.geojson"
ADMIN1_LAYER_SOURCE = "Natural Earth 1:50m admin-1 states and provinces, version 4.0.0 (public domain)"


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


@functools.cache
def _main_bounds() -> dict[str, tuple[float, float, float, float]]:
    """ISO numeric id -> (west, south, east, north) of the country's largest polygon, in degrees.

    The largest polygon only: France's bounds would otherwise reach French Guiana and Russia's cross the
    antimeridian, and a map zoomed to Europe would be squeezed into a corner.
    """
    import geopandas as gpd

    world = gpd.read_file(WORLD_FILE, layer=WORLD_OBJECT).dropna(subset=["id"])
    parts = world.explode(index_parts=False)
    parts = parts.assign(area=parts.geometry.area).sort_values("area").groupby("id").tail(1)
    return {str(row.id): _bounds(list(row.geometry.exterior.coords)) for row in parts.itertuples()}


def _bounds(points: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    """Bounds of a ring; a ring that crosses the antimeridian (Russia's, Fiji's) keeps only the side where
    most of its points lie, so it does not span the whole globe."""
    xs = [x for x, _ in points]
    if max(xs) - min(xs) > 180:
        east = sum(x > 0 for x in xs) >= len(xs) / 2
        points = [(x, y) for x, y in points if (x > 0) == east]
    xs, ys = [x for x, _ in points], [y for _, y in points]
    return min(xs), min(ys), max(xs), max(ys)


def fit_extent(iso_n3_codes) -> dict | None:
    """A GeoJSON MultiPoint of the corners of the given countries' main polygons: what a map zoomed to them
    fits its projection to (None for None, or when none of them has a geometry)."""
    if iso_n3_codes is None:
        return None
    bounds = [_main_bounds()[code] for code in (str(c).zfill(3) for c in iso_n3_codes) if code in _main_bounds()]
    if not bounds:
        return None
    west, south = min(b[0] for b in bounds), min(b[1] for b in bounds)
    east, north = max(b[2] for b in bounds), max(b[3] for b in bounds)
    return {"type": "Feature", "properties": {},
            "geometry": {"type": "MultiPoint", "coordinates": [[west, south], [east, south], [east, north],
                                                               [west, north]]}}


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


@dataclass(frozen=True)
class Admin1Shapes:
    """One country's admin-1 areas ready to draw (grain: one feature per area in `collection`).

    `collection` is a GeoJSON FeatureCollection (id = admin1_code; properties iso3, admin1_code, name;
    exterior rings clockwise); `origin` says where it came from: 'imported' or 'committed'.
    """

    iso3: str
    collection: dict
    origin: str
    source: str  # one line naming the boundaries' source, for the chart's note

    @property
    def areas(self) -> tuple[tuple[str, str], ...]:
        """(admin1_code, name) of every area, in file order."""
        return tuple((str(f["id"]), str(f["properties"]["name"])) for f in self.collection["features"])


@functools.cache
def admin1_layer() -> dict[str, dict]:
    """ISO3 -> FeatureCollection of that country's areas in the committed admin-1 layer.

    Read once per process; callers must not mutate it. Empty when the file is absent.
    """
    if not ADMIN1_LAYER_FILE.is_file():
        return {}
    with ADMIN1_LAYER_FILE.open(encoding="utf-8") as handle:
        features = json.load(handle)["features"]
    countries: dict[str, list] = {}
    for feature in features:
        countries.setdefault(feature["properties"]["iso3"], []).append(feature)
    return {iso3: {"type": "FeatureCollection", "features": found} for iso3, found in countries.items()}


def admin1_shapes(iso3: str, imports_dir: Path) -> Admin1Shapes | None:
    """One country's admin-1 shapes: imported boundaries when there are any, else the committed layer's;
    None when neither has the country."""
    imported = admin1_geojson(iso3, imports_dir)
    if imported is not None and imported.get("features"):
        return Admin1Shapes(iso3, imported, "imported", f"Boundaries: imported ({admin1_source_code(iso3)})")
    committed = admin1_layer().get(iso3.upper())
    if committed is not None:
        return Admin1Shapes(iso3, committed, "committed", f"Boundaries: {ADMIN1_LAYER_SOURCE}")
    return None
