"""Admin-1 boundaries importer: a user's boundary file -> dim_admin1 rows and small web GeoJSON in the store.

Reads GeoJSON, TopoJSON, GeoPackage, a shapefile or a zipped shapefile through geopandas (pyogrio engine;
the bundled GDAL reads TopoJSON itself), reprojects to EPSG:4326, simplifies for the web and writes
`<imports_dir>/boundaries_<ISO3>/` with `dim_source.parquet`, `dim_admin1.parquet` and `admin1.geojson`.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from dashboard import geo
from dashboard.sources import imports, limits
from dashboard.sources.errors import ImportFormatError

NAME_FIELDS = ("shapeName", "NAME_1", "name", "ADM1_EN", "admin1Name")
CODE_FIELDS = ("shapeISO", "ISO_3166_2", "HASC_1", "shapeID", "ADM1_PCODE")
SUFFIXES = (".geojson", ".json", ".topojson", ".gpkg", ".zip", ".shp")
MAX_BYTES = 300_000  # target size of one country's admin1.geojson
DECIMALS = 5  # coordinates kept to ~1 m, far finer than any tolerance used below
LICENCE = "as stated by the boundary publisher"
GEOBOUNDARIES_CITATION = ("Runfola D. et al. (2020) geoBoundaries: a global database of political "
                          "administrative boundaries. PLoS ONE 15(4): e0231866.")
# Values some publishers put in a code field when there is no code.
_NO_CODE = {"", "none", "null", "nan", "-99", "-", "n/a"}
_POLYGONAL = ("Polygon", "MultiPolygon")


class BoundaryFormatError(ValueError):
    """A boundary file cannot be imported; the message names the file (and field or features)."""


@dataclass(frozen=True)
class Boundaries:
    """One country's admin-1 areas ready for the store (grain: one row per admin-1 area)."""

    iso3: str
    areas: pd.DataFrame  # iso3, admin1_code, name, ordered by admin1_code
    geojson: bytes  # FeatureCollection, simplified, EPSG:4326
    name_field: str
    code_field: str | None  # None when codes were generated from names
    publisher: str
    tolerance: float  # simplification tolerance used, in degrees (0 = none)
    source_vertices: int
    vertices: int


def read_file(path: Path, *, layer: str | None = None) -> gpd.GeoDataFrame:
    """Read a boundary file as polygons in EPSG:4326 (grain: one row per feature of the chosen layer)."""
    path = Path(path)
    if not path.is_file():
        raise BoundaryFormatError(f"{path}: no such file")
    if path.suffix.lower() not in SUFFIXES:
        raise BoundaryFormatError(f"{path}: not a boundary file (expected one of {', '.join(SUFFIXES)})")
    if path.stat().st_size == 0:
        raise BoundaryFormatError(f"{path}: the file is empty")
    try:
        if path.suffix.lower() in (".geojson", ".json", ".topojson"):
            limits.check_json_depth(path, path.read_bytes())
        source = _zip_member(path) if path.suffix.lower() == ".zip" else str(path)
    except ImportFormatError as exc:
        raise BoundaryFormatError(str(exc)) from None
    try:
        layers = [(str(name), str(kind)) for name, kind in pyogrio.list_layers(source)]
        chosen = _choose_layer(path, layers, layer)
        frame = gpd.read_file(source, layer=chosen, engine="pyogrio")
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError,
            pyogrio.errors.FieldError, pyogrio.errors.GeometryError, pyogrio.errors.CRSError) as exc:
        reason = str(exc).split("; ")[0]  # GDAL appends generic advice after the reason
        raise BoundaryFormatError(f"{path}: not a geodata file GDAL can read ({reason})") from exc
    if not isinstance(frame, gpd.GeoDataFrame) or frame.geometry.name not in frame.columns:
        raise BoundaryFormatError(f"{path}: has no geometry (a table, not boundaries)")
    if frame.empty:
        raise BoundaryFormatError(f"{path}: holds no features")
    try:
        limits.check_vertices(path, frame.geometry.values)
    except ImportFormatError as exc:
        raise BoundaryFormatError(str(exc)) from None
    frame = frame.set_geometry(_polygonal(path, frame.geometry.values))
    return _to_wgs84(path, frame)


def load(path: Path, iso3: str, *, name_field: str | None = None, code_field: str | None = None,
         layer: str | None = None, max_bytes: int = MAX_BYTES) -> Boundaries:
    """Read, label and simplify one country's admin-1 boundary file (grain: one row per admin-1 area)."""
    path = Path(path)
    iso3 = _check_iso3(iso3)
    frame = read_file(path, layer=layer)
    _check_country(path, frame, iso3)
    name_field = _name_field(path, frame, name_field)
    names = _names(path, frame, name_field)
    code_field, codes = _codes(path, frame, names, code_field, iso3)
    areas = gpd.GeoDataFrame({"admin1_code": codes, "name": names}, geometry=frame.geometry.values,
                             crs=frame.crs)
    if areas["admin1_code"].duplicated().any():  # an area stored as several features (e.g. islands)
        areas = areas.dissolve(by="admin1_code", aggfunc="first", as_index=False)
    areas = areas.sort_values("admin1_code", ignore_index=True)
    geometries, tolerance = simplify_for_web(areas.geometry.values, max_bytes=max_bytes)
    publisher = "geoBoundaries" if {"shapeGroup", "shapeType"} & set(frame.columns) else "user-supplied"
    table = pd.DataFrame({"iso3": iso3, "admin1_code": areas["admin1_code"], "name": areas["name"]})
    return Boundaries(
        iso3=iso3, areas=table, geojson=feature_collection(table, geometries), name_field=name_field,
        code_field=code_field, publisher=publisher, tolerance=tolerance,
        source_vertices=int(shapely.get_num_coordinates(frame.geometry.values).sum()),
        vertices=int(shapely.get_num_coordinates(geometries).sum()),
    )


def import_file(path: Path, iso3: str, imports_dir: Path, **options) -> tuple[Path, Boundaries]:
    """Import one boundary file into `imports_dir/boundaries_<ISO3>/`, replacing an earlier import.

    `options` are those of `load`. Nothing in `imports_dir` changes unless the whole import succeeds.
    """
    path = Path(path)
    boundaries = load(path, iso3, **options)
    target = imports.write(to_import_set(boundaries, path), Path(imports_dir), origin=str(path))
    return target, boundaries


def to_import_set(boundaries: Boundaries, path: Path) -> imports.ImportSet:
    """The store tables of one boundary import: dim_source (one row), dim_admin1 and admin1.geojson."""
    is_gb = boundaries.publisher == "geoBoundaries"
    source = pd.DataFrame([{
        "source_code": geo.admin1_source_code(boundaries.iso3),
        "publisher": boundaries.publisher,
        "title": f"Admin-1 boundaries of {boundaries.iso3} ({Path(path).name})",
        "url": "https://www.geoboundaries.org" if is_gb else None,
        "licence": LICENCE,
        "citation": GEOBOUNDARIES_CITATION if is_gb else None,
        "retrieved_at": datetime.now(UTC).replace(tzinfo=None),
        "is_synthetic": False,
    }])
    return imports.ImportSet(source=source, tables={"dim_admin1": boundaries.areas},
                             extra_files={geo.ADMIN1_FILE: boundaries.geojson})


def simplify_for_web(geometries: np.ndarray, *, max_bytes: int = MAX_BYTES) -> tuple[np.ndarray, float]:
    """Simplify polygons until their GeoJSON fits in `max_bytes`; returns them and the tolerance (degrees).

    Starts at 1/20,000 of the extent (a few tens of metres for most countries) and grows by half each
    step. Shared borders are simplified once for both neighbours (coverage simplification) when the
    areas tile without overlaps, so no slivers or gaps open between them; otherwise each polygon is
    simplified on its own, keeping it valid. Gives up growing at 1/100 of the extent: beyond that the
    map is no longer recognisable, so an over-size file is returned instead.
    """
    xmin, ymin, xmax, ymax = shapely.total_bounds(geometries)
    extent = max(xmax - xmin, ymax - ymin, 1e-9)
    coverage = bool(shapely.coverage_is_valid(geometries))
    tolerance = extent / 20_000
    while True:
        if coverage:
            simplified = shapely.coverage_simplify(geometries, tolerance)
        else:
            simplified = shapely.simplify(geometries, tolerance, preserve_topology=True)
        simplified = _web_ready(simplified)
        if _geojson_size(simplified) <= max_bytes or tolerance * 1.5 > extent / 100:
            return simplified, tolerance
        tolerance *= 1.5


def feature_collection(areas: pd.DataFrame, geometries: np.ndarray) -> bytes:
    """GeoJSON bytes: one feature per row of `areas` (iso3, admin1_code, name), id = admin1_code."""
    features = [
        {"type": "Feature", "id": row.admin1_code,
         "properties": {"iso3": row.iso3, "admin1_code": row.admin1_code, "name": row.name},
         "geometry": json.loads(shapely.to_geojson(geometry))}
        for row, geometry in zip(areas.itertuples(index=False), geometries)
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False,
                      separators=(",", ":")).encode("utf-8")


def _web_ready(geometries: np.ndarray) -> np.ndarray:
    """Snap to a ~1 m grid (valid output), wind exteriors clockwise as d3-geo expects, trim float noise."""
    snapped = shapely.set_precision(geometries, 10.0 ** -DECIMALS)
    # RFC 7946 suggests anticlockwise exteriors, but Vega-Lite's d3-geo reads those as "the whole globe
    # minus this area"; clockwise exteriors draw as intended.
    oriented = shapely.orient_polygons(snapped, exterior_cw=True)
    return shapely.transform(oriented, lambda xy: np.round(xy, DECIMALS))


def _geojson_size(geometries: np.ndarray) -> int:
    # Geometry text dominates; properties add well under 1 % for admin-1 sets.
    return sum(len(text) for text in shapely.to_geojson(geometries)) + 120 * len(geometries)


def _zip_member(path: Path) -> str:
    """GDAL's /vsizip/ path of the one shapefile inside a zip archive."""
    with limits.check_zip(path) as archive:  # no member outside the archive, no bomb
        members = [m for m in archive.namelist() if m.lower().endswith(".shp") and not m.startswith("__MACOSX/")]
    if not members:
        raise BoundaryFormatError(f"{path}: the zip archive holds no .shp file")
    if len(members) > 1:
        raise BoundaryFormatError(f"{path}: the zip archive holds {len(members)} shapefiles "
                                  f"({', '.join(members)}); zip only the admin-1 one")
    return f"/vsizip/{path.resolve()}/{members[0]}"


def _choose_layer(path: Path, layers: list[tuple[str, str]], layer: str | None) -> str:
    names = [name for name, _ in layers]
    if layer is not None:
        if layer not in names:
            raise BoundaryFormatError(f"{path}: no layer {layer!r}; layers are {', '.join(names)}")
        return layer
    if not layers:
        raise BoundaryFormatError(f"{path}: holds no layers")
    if len(layers) == 1:
        return names[0]
    # TopoJSON layers report 'Unknown' until read; a GeoPackage may add tables without geometry.
    candidates = [name for name, kind in layers if kind not in ("None", "Point", "LineString",
                                                                  "MultiPoint", "MultiLineString")]
    if len(candidates) == 1:
        return candidates[0]
    raise BoundaryFormatError(f"{path}: holds {len(layers)} layers ({', '.join(names)}); "
                              f"choose one with --layer")


def _polygonal(path: Path, geometries: np.ndarray) -> np.ndarray:
    """Each feature's polygons as 2-D (Multi)Polygons, repaired when invalid; names features without any."""
    geometries = shapely.force_2d(geometries)
    invalid = ~shapely.is_valid(geometries) & ~shapely.is_missing(geometries)
    geometries[invalid] = shapely.make_valid(geometries[invalid])
    out = np.empty(len(geometries), dtype=object)
    lacking = []
    for i, geometry in enumerate(geometries):
        parts = [p for p in shapely.get_parts(geometry) if p is not None and p.geom_type in _POLYGONAL
                 and not p.is_empty] if geometry is not None else []
        polygons = [q for p in parts for q in shapely.get_parts(p)]
        if not polygons:
            lacking.append(i)
            continue
        out[i] = polygons[0] if len(polygons) == 1 else shapely.MultiPolygon(polygons)
    if len(lacking) == len(geometries):
        kinds = sorted({g.geom_type for g in geometries if g is not None} or {"none"})
        raise BoundaryFormatError(f"{path}: has no polygon geometry (found {', '.join(kinds)})")
    if lacking:
        rows = ", ".join(str(i + 1) for i in lacking[:5])
        raise BoundaryFormatError(f"{path}: feature(s) {rows} have no polygon geometry "
                                  f"({len(lacking)} of {len(geometries)})")
    return out


def _to_wgs84(path: Path, frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    if frame.crs is None:
        # TopoJSON carries no CRS; its coordinates are longitude/latitude by convention.
        xmin, ymin, xmax, ymax = frame.total_bounds
        if xmin < -180.5 or xmax > 180.5 or ymin < -90.5 or ymax > 90.5:
            raise BoundaryFormatError(f"{path}: has no coordinate reference system and its coordinates "
                                      f"are not longitude/latitude (bounds {frame.total_bounds.round(1)})")
        return frame.set_crs("EPSG:4326")
    return frame.to_crs("EPSG:4326")


def _check_iso3(iso3: str) -> str:
    iso3 = str(iso3).strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", iso3):
        raise BoundaryFormatError(f"--iso3 {iso3!r} is not a three-letter ISO 3166-1 alpha-3 code")
    return iso3


def _check_country(path: Path, frame: pd.DataFrame, iso3: str) -> None:
    """geoBoundaries files name their country in shapeGroup: refuse a file for another country."""
    if "shapeGroup" not in frame.columns:
        return
    groups = sorted({str(g).upper() for g in frame["shapeGroup"].dropna() if str(g).strip()})
    if groups and groups != [iso3]:
        raise BoundaryFormatError(f"{path}: field shapeGroup says {', '.join(groups)}, not {iso3}")


def _name_field(path: Path, frame: pd.DataFrame, given: str | None) -> str:
    fields = [c for c in frame.columns if c != frame.geometry.name]
    if given is not None:
        if given not in fields:
            raise BoundaryFormatError(f"{path}: no name field {given!r}; fields are {', '.join(fields)}")
        return given
    for candidate in NAME_FIELDS:
        if candidate in fields:
            return candidate
    raise BoundaryFormatError(f"{path}: no admin-1 name field (looked for {', '.join(NAME_FIELDS)}); "
                              f"fields are {', '.join(fields) or 'none'}; pass --name-field")


def _names(path: Path, frame: pd.DataFrame, field: str) -> pd.Series:
    names = frame[field].astype("string").str.strip()
    blank = names.isna() | (names == "")
    if blank.any():
        rows = ", ".join(str(i + 1) for i in np.flatnonzero(blank)[:5])
        raise BoundaryFormatError(f"{path}: name field {field!r} is empty in feature(s) {rows}")
    return names.reset_index(drop=True)


def _codes(path: Path, frame: pd.DataFrame, names: pd.Series, given: str | None,
           iso3: str) -> tuple[str | None, pd.Series]:
    """The code field used and each feature's admin1_code; generated from names when no field fits."""
    if given is not None:
        if given not in frame.columns:
            fields = [c for c in frame.columns if c != frame.geometry.name]
            raise BoundaryFormatError(f"{path}: no code field {given!r}; fields are {', '.join(fields)}")
        codes, problem = _code_values(frame[given], names)
        if problem:
            raise BoundaryFormatError(f"{path}: code field {given!r} {problem}")
        return given, codes
    for candidate in CODE_FIELDS:
        if candidate in frame.columns:
            codes, problem = _code_values(frame[candidate], names)
            if not problem:
                return candidate, codes
    codes = names.map(lambda name: f"{iso3}-{_slug(name)}")
    codes, problem = _code_values(codes, names)
    if problem:
        raise BoundaryFormatError(f"{path}: codes generated from names {problem}; pass --code-field")
    return None, codes


def _code_values(values: pd.Series, names: pd.Series) -> tuple[pd.Series, str | None]:
    """Stripped codes and a description of what makes them unusable (None when usable)."""
    codes = values.astype("string").str.strip().reset_index(drop=True)
    blank = codes.isna() | codes.str.casefold().isin(_NO_CODE)
    if blank.any():
        rows = ", ".join(str(i + 1) for i in np.flatnonzero(blank)[:5])
        return codes, f"is empty in feature(s) {rows}"
    clash = pd.DataFrame({"code": codes, "name": names}).groupby("code")["name"].nunique()
    clash = clash[clash > 1]
    if not clash.empty:
        return codes, f"gives one code to differently named areas ({', '.join(clash.index[:5])})"
    return codes, None


def _slug(name: str) -> str:
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return "_".join(re.findall(r"[^\W_]+", text)).upper()

