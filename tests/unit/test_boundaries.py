"""Admin-1 boundaries import: formats, fields, simplification, the store, and refusals that change nothing."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import MultiPolygon, Point, Polygon, box

from dashboard import geo
from dashboard.sources import boundaries, imports
from tests.fixtures.trees import tree_digest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "boundaries"
GEOJSON = FIXTURES / "zzz_adm1.geojson"
TOPOJSON = FIXTURES / "zzz_adm1.topojson"


def geometries_of(collection: bytes | dict) -> dict[str, shapely.Geometry]:
    data = json.loads(collection) if isinstance(collection, bytes) else collection
    return {f["id"]: shapely.from_geojson(json.dumps(f["geometry"])) for f in data["features"]}


def exteriors_are_clockwise(geometries) -> bool:
    polygons = [p for g in geometries for p in shapely.get_parts(g)]
    return not any(shapely.is_ccw(shapely.get_exterior_ring(p)) for p in polygons)


def test_geojson_fixture_gives_codes_names_and_clockwise_squares():
    result = boundaries.load(GEOJSON, "zzz")
    assert result.iso3 == "ZZZ"
    assert result.areas.to_dict("list") == {
        "iso3": ["ZZZ"] * 3,
        "admin1_code": ["ZZ-CS", "ZZ-IE", "ZZ-NO"],
        "name": ["Côte-Sud Region", "Île Est Region", "Northern Region"],
    }
    assert (result.name_field, result.code_field, result.publisher) == ("shapeName", "shapeISO", "geoBoundaries")
    shapes = geometries_of(result.geojson)
    assert shapes["ZZ-NO"].equals(box(10, 0, 11, 1))
    assert shapes["ZZ-CS"].equals(box(11, 0, 12, 1))
    assert shapes["ZZ-IE"].area == pytest.approx(1.01)
    assert exteriors_are_clockwise(shapes.values())


def test_topojson_fixture_is_decoded_with_its_transform():
    result = boundaries.load(TOPOJSON, "ZZZ")
    assert result.areas["admin1_code"].tolist() == ["ZZ.AL", "ZZ.BE"]
    assert result.areas["name"].tolist() == ["Alpha Province", "Beta State"]
    assert (result.name_field, result.code_field, result.publisher) == ("NAME_1", "HASC_1", "user-supplied")
    shapes = geometries_of(result.geojson)
    assert shapes["ZZ.AL"].equals(box(20, 5, 21, 6))
    assert shapes["ZZ.BE"].equals(box(21, 5, 22, 6))
    assert shapes["ZZ.AL"].intersection(shapes["ZZ.BE"]).length == pytest.approx(1.0)  # the shared edge


def test_geopackage_in_web_mercator_is_reprojected_to_degrees(tmp_path):
    frame = gpd.GeoDataFrame({"ADM1_EN": ["Upper", "Lower"], "ADM1_PCODE": ["ZZ01", "ZZ02"]},
                             geometry=[box(30, 1, 31, 2), box(30, 0, 31, 1)], crs="EPSG:4326")
    path = tmp_path / "zzz.gpkg"
    frame.to_crs("EPSG:3857").to_file(path, layer="adm1", driver="GPKG", engine="pyogrio")
    result = boundaries.load(path, "ZZZ")
    assert (result.name_field, result.code_field) == ("ADM1_EN", "ADM1_PCODE")
    shapes = geometries_of(result.geojson)
    assert shapes["ZZ01"].bounds == pytest.approx((30, 1, 31, 2), abs=1e-5)
    assert shapes["ZZ02"].bounds == pytest.approx((30, 0, 31, 1), abs=1e-5)


def write_zipped_shapefile(tmp_path: Path, frame: gpd.GeoDataFrame, *, folder: str = "") -> Path:
    shp_dir = tmp_path / "shp"
    shp_dir.mkdir()
    frame.to_file(shp_dir / "adm1.shp", engine="pyogrio")
    path = tmp_path / "adm1.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for part in sorted(shp_dir.iterdir()):
            archive.write(part, arcname=f"{folder}{part.name}")
    return path


def test_zipped_shapefile_without_code_field_gets_codes_from_names(tmp_path):
    frame = gpd.GeoDataFrame({"admin1Name": ["Saint-Étienne Province", "Lake  District"]},
                             geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)], crs="EPSG:4326")
    path = write_zipped_shapefile(tmp_path, frame, folder="nested/")
    result = boundaries.load(path, "ZZZ")
    assert result.code_field is None
    assert result.areas["admin1_code"].tolist() == ["ZZZ-LAKE_DISTRICT", "ZZZ-SAINT_ETIENNE_PROVINCE"]
    assert result.areas["name"].tolist() == ["Lake  District", "Saint-Étienne Province"]


def test_fields_given_by_the_user_override_the_defaults(tmp_path):
    frame = gpd.GeoDataFrame({"shapeName": ["A", "B"], "label": ["Alpha", "Beta"], "ref": ["X1", "X2"],
                              "shapeISO": ["ZZ-A", "ZZ-B"]},
                             geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)], crs="EPSG:4326")
    path = tmp_path / "zzz.geojson"
    frame.to_file(path, driver="GeoJSON", engine="pyogrio")
    result = boundaries.load(path, "ZZZ", name_field="label", code_field="ref")
    assert result.areas[["admin1_code", "name"]].values.tolist() == [["X1", "Alpha"], ["X2", "Beta"]]


def test_incomplete_code_field_is_skipped_for_the_next_candidate(tmp_path):
    frame = gpd.GeoDataFrame({"shapeName": ["A", "B"], "shapeISO": ["ZZ-A", "None"], "shapeID": ["id1", "id2"]},
                             geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)], crs="EPSG:4326")
    path = tmp_path / "zzz.geojson"
    frame.to_file(path, driver="GeoJSON", engine="pyogrio")
    result = boundaries.load(path, "ZZZ")
    assert result.code_field == "shapeID"
    assert result.areas["admin1_code"].tolist() == ["id1", "id2"]
    with pytest.raises(boundaries.BoundaryFormatError, match=r"zzz\.geojson: code field 'shapeISO' is empty "
                                                             r"in feature\(s\) 2"):
        boundaries.load(path, "ZZZ", code_field="shapeISO")


def test_an_area_split_over_features_becomes_one_multipolygon(tmp_path):
    frame = gpd.GeoDataFrame({"name": ["Coast", "Coast", "Inland"], "HASC_1": ["ZZ.CO", "ZZ.CO", "ZZ.IN"]},
                             geometry=[box(0, 0, 1, 1), box(0, 2, 0.5, 2.5), box(1, 0, 2, 1)], crs="EPSG:4326")
    path = tmp_path / "zzz.geojson"
    frame.to_file(path, driver="GeoJSON", engine="pyogrio")
    result = boundaries.load(path, "ZZZ")
    assert result.areas["admin1_code"].tolist() == ["ZZ.CO", "ZZ.IN"]
    coast = geometries_of(result.geojson)["ZZ.CO"]
    assert coast.geom_type == "MultiPolygon"
    assert coast.area == pytest.approx(1.25)


def test_import_writes_tables_and_geometry_and_replaces_an_earlier_import(tmp_path):
    store = tmp_path / "imports"
    target, result = boundaries.import_file(TOPOJSON, "ZZZ", store)
    assert target == store / "boundaries_ZZZ"
    assert sorted(p.name for p in target.iterdir()) == ["admin1.geojson", "dim_admin1.parquet",
                                                        "dim_source.parquet"]
    source = pd.read_parquet(target / "dim_source.parquet")
    assert source[["source_code", "publisher", "licence", "is_synthetic"]].values.tolist() == [
        ["boundaries_ZZZ", "user-supplied", "as stated by the boundary publisher", False]]
    assert pd.read_parquet(target / "dim_admin1.parquet")["admin1_code"].tolist() == ["ZZ.AL", "ZZ.BE"]
    stored = geo.admin1_geojson("zzz", store)
    assert [f["properties"]["name"] for f in stored["features"]] == ["Alpha Province", "Beta State"]
    assert (target / "admin1.geojson").read_bytes() == result.geojson

    boundaries.import_file(GEOJSON, "ZZZ", store)
    assert [p.name for p in store.iterdir()] == ["boundaries_ZZZ"]  # replaced, no staging left
    assert pd.read_parquet(target / "dim_source.parquet")["publisher"].iloc[0] == "geoBoundaries"
    assert len(geo.admin1_geojson("ZZZ", store)["features"]) == 3
    assert [s.source_code for s in imports.read_all(store)] == ["boundaries_ZZZ"]


def test_admin1_geojson_is_none_without_an_import(tmp_path):
    assert geo.admin1_geojson("KEN", tmp_path) is None


def _bad_files(tmp_path: Path) -> dict[str, tuple[Path, dict, str]]:
    """Name -> (file, load options, message pattern after the file name)."""
    text = tmp_path / "notes.geojson"
    text.write_text("these are not boundaries\n")
    empty = tmp_path / "empty.geojson"
    empty.write_bytes(b"")
    no_features = tmp_path / "nothing.geojson"
    no_features.write_text('{"type": "FeatureCollection", "features": []}')
    points = tmp_path / "points.geojson"
    gpd.GeoDataFrame({"shapeName": ["A", "B"]}, geometry=[Point(0, 0), Point(1, 1)],
                     crs="EPSG:4326").to_file(points, driver="GeoJSON", engine="pyogrio")
    mixed = tmp_path / "mixed.geojson"
    gpd.GeoDataFrame({"shapeName": ["A", "B"]}, geometry=[box(0, 0, 1, 1), Point(1, 1)],
                     crs="EPSG:4326").to_file(mixed, driver="GeoJSON", engine="pyogrio")
    unnamed = tmp_path / "unnamed.geojson"
    gpd.GeoDataFrame({"population": [1, 2]}, geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)],
                     crs="EPSG:4326").to_file(unnamed, driver="GeoJSON", engine="pyogrio")
    blank_name = tmp_path / "blank_name.geojson"
    gpd.GeoDataFrame({"name": ["A", " "]}, geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)],
                     crs="EPSG:4326").to_file(blank_name, driver="GeoJSON", engine="pyogrio")
    no_shp = tmp_path / "no_shp.zip"
    with zipfile.ZipFile(no_shp, "w") as archive:
        archive.writestr("readme.txt", "boundaries to follow")
    not_zip = tmp_path / "broken.zip"
    not_zip.write_text("not a zip")
    table = tmp_path / "regions.csv"
    table.write_text("name,code\nA,1\n")
    return {
        "not geodata": (text, {}, "not a geodata file GDAL can read"),
        "empty file": (empty, {}, "the file is empty"),
        "no features": (no_features, {}, "holds no features"),
        "no polygons": (points, {}, r"has no polygon geometry \(found Point\)"),
        "some features not polygons": (mixed, {}, r"feature\(s\) 2 have no polygon geometry"),
        "no name field": (unnamed, {}, "no admin-1 name field .*fields are population"),
        "unknown name field": (GEOJSON, {"name_field": "NAME_2"}, "no name field 'NAME_2'"),
        "blank name": (blank_name, {}, r"name field 'name' is empty in feature\(s\) 2"),
        "zip without shp": (no_shp, {}, "the zip archive holds no .shp file"),
        "not a zip": (not_zip, {}, "not a zip archive"),
        "wrong suffix": (table, {}, "not a boundary file"),
        "other country": (GEOJSON, {"iso3": "KEN"}, "field shapeGroup says ZZZ, not KEN"),
    }


BAD_CASES = ["not geodata", "empty file", "no features", "no polygons", "some features not polygons",
             "no name field", "unknown name field", "blank name", "zip without shp", "not a zip",
             "wrong suffix", "other country"]


@pytest.mark.parametrize("case", BAD_CASES)
def test_bad_input_is_refused_naming_the_file_and_the_store_is_unchanged(tmp_path, case):
    store = tmp_path / "imports"
    boundaries.import_file(TOPOJSON, "ZZZ", store)  # an earlier good import that must survive
    before = tree_digest(store)
    path, options, pattern = _bad_files(tmp_path)[case]
    iso3 = options.pop("iso3", "ZZZ")
    with pytest.raises(boundaries.BoundaryFormatError) as caught:
        boundaries.import_file(path, iso3, store, **options)
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    assert re.search(pattern, message), message
    assert tree_digest(store) == before


def test_bad_iso3_is_refused():
    with pytest.raises(boundaries.BoundaryFormatError, match="'KENYA' is not a three-letter"):
        boundaries.load(GEOJSON, "Kenya")


def _wiggly_border(n: int) -> np.ndarray:
    """A dense north-south border at x≈1 from y=0 to y=1, wiggling by up to 0.01 degrees."""
    y = np.linspace(0, 1, n)
    x = 1 + 0.01 * np.sin(y * 400) + 0.002 * np.sin(y * 7000)
    return np.column_stack([x, y])


def test_simplification_shrinks_a_dense_coverage_without_gaps_or_overlaps():
    border = _wiggly_border(60_000)
    # Anchor the border's end points on the outer corners so the two areas tile exactly.
    west = Polygon([(0, 0), (1, 0), *border[1:-1], (1, 1), (0, 1)])
    east = Polygon([(1, 0), (2, 0), (2, 1), (1, 1), *border[::-1][1:-1]])
    geometries = np.array([west, east])
    assert shapely.coverage_is_valid(geometries)
    raw_size = sum(len(t) for t in shapely.to_geojson(geometries))

    simplified, tolerance = boundaries.simplify_for_web(geometries, max_bytes=50_000)
    size = sum(len(t) for t in shapely.to_geojson(simplified))
    assert raw_size > 1_000_000 and size < 50_000
    assert tolerance > 2 / 20_000  # it had to grow beyond the starting tolerance
    assert shapely.is_valid(simplified).all()
    assert shapely.area(simplified).sum() == pytest.approx(2.0, rel=1e-3)
    overlap = shapely.area(simplified).sum() - shapely.union_all(simplified).area
    assert abs(overlap) < 1e-9
    assert shapely.union_all(simplified).geom_type == "Polygon"  # no sliver gap splits the union
    assert not shapely.get_num_interior_rings(shapely.union_all(simplified))


def test_simplification_leaves_an_already_small_file_nearly_untouched():
    geometries = np.array([box(0, 0, 1, 1), MultiPolygon([box(1, 0, 2, 1), box(3, 3, 3.5, 3.5)])])
    simplified, tolerance = boundaries.simplify_for_web(geometries)
    assert tolerance == pytest.approx(3.5 / 20_000)
    assert [g.area for g in simplified] == pytest.approx([1.0, 1.25])


def _real_file(name: str) -> Path:
    from dashboard import config

    folder = config.path("real_data_dir") / "geo" / "geoboundaries"
    if not (folder / name).is_file():
        pytest.skip(f"real data directory {folder} not found (or lacks {name}); real-file tests need it")
    return folder / name


def _overlap_share(geometries) -> float:
    values = np.array(list(geometries))
    return (shapely.area(values).sum() - shapely.union_all(values).area) / shapely.union_all(values).area


def test_real_ghana_regions(tmp_path):
    path = _real_file("geoBoundaries-GHA-ADM1_simplified.geojson")
    target, result = boundaries.import_file(path, "GHA", tmp_path)
    source = gpd.read_file(path, engine="pyogrio")
    assert len(result.areas) == 16
    assert set(result.areas["admin1_code"]) == set(source["shapeISO"])
    assert {"GH-AA", "GH-WN", "GH-OT"} <= set(result.areas["admin1_code"])
    assert (target / "admin1.geojson").stat().st_size < boundaries.MAX_BYTES
    shapes = geometries_of(result.geojson)
    assert all(g.is_valid for g in shapes.values())
    assert exteriors_are_clockwise(shapes.values())
    source_area = shapely.area(source.geometry.values).sum()
    assert sum(g.area for g in shapes.values()) == pytest.approx(source_area, rel=1e-3)
    assert abs(_overlap_share(shapes.values())) < 1e-6


def test_real_kenya_counties_are_simplified_under_the_size_target(tmp_path):
    path = _real_file("geoBoundaries-KEN-ADM1.topojson")
    target, result = boundaries.import_file(path, "KEN", tmp_path)
    assert len(result.areas) == 47
    assert result.areas.set_index("admin1_code").loc["KE-30", "name"] == "Nairobi"
    assert result.areas["admin1_code"].tolist() == [f"KE-{i:02d}" for i in range(1, 48)]
    size = (target / "admin1.geojson").stat().st_size
    assert size < boundaries.MAX_BYTES < path.stat().st_size
    assert result.vertices < result.source_vertices / 5
    shapes = geometries_of(result.geojson)
    assert all(g.is_valid for g in shapes.values())
    source = gpd.read_file(path, engine="pyogrio")
    source_area = shapely.area(source.geometry.values).sum()
    assert sum(g.area for g in shapes.values()) == pytest.approx(source_area, rel=1e-3)
    assert abs(_overlap_share(shapes.values())) < 1e-6  # neighbours still share their borders
