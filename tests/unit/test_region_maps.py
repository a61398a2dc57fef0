"""Regional maps: subnational values matched to admin-1 shapes, the national reference and the unmatched lists,
the choropleth spec's numbers, and the committed Natural Earth admin-1 layer."""

from __future__ import annotations

import json

import pandas as pd
import pycountry
import pytest
import shapely.geometry
import vl_convert as vlc

from dashboard import geo
from dashboard.charts import maps, theme
from dashboard.sources import admin1_layer, admin1_match
from dashboard.views import regions

AREAS = (("ZZ-A", "Alpha"), ("ZZ-B", "Beta Region"), ("ZZ-C", "Gamma"), ("ZZ-D", "Delta"))


def square(x: float, y: float) -> dict:
    """A 1-degree square as a clockwise GeoJSON polygon (the winding Vega-Lite expects)."""
    return {"type": "Polygon", "coordinates": [[[x, y], [x, y + 1], [x + 1, y + 1], [x + 1, y], [x, y]]]}


SHAPES = {"type": "FeatureCollection", "features": [
    {"type": "Feature", "id": code, "properties": {"iso3": "ZZZ", "admin1_code": code, "name": name},
     "geometry": square(i, 0)} for i, (code, name) in enumerate(AREAS)]}


def rows() -> pd.DataFrame:
    """equity/subgroups_by_year rows of the 'Subnational region' dimension: two survey years."""
    latest = pd.DataFrame({
        "year": 2020,
        "subgroup": ["Alpha", "Beta", "Gamma old name", "Atlantis", "Delta"],
        "admin1_code": ["ZZ-A", None, None, None, None],
        "estimate": [80.0, 60.5, 71.0, 55.0, None],
        "ci_lower": [75.0, 55.0, 66.0, 50.0, None], "ci_upper": [85.0, 66.0, 76.0, 60.0, None],
        "population": [100.0, 200.0, 150.0, 50.0, 10.0], "source_code": "SRC", "setting_average": 70.0,
    })
    earlier = latest.assign(year=2015, estimate=[50.0, 40.0, 45.0, 30.0, 20.0], setting_average=44.0)
    return pd.concat([earlier, latest], ignore_index=True)


def test_latest_year_values_match_by_code_name_and_alias_and_list_the_rest():
    result = regions.region_values(rows(), AREAS, aliases={"gammaoldname": "gamma"})
    assert result.year == 2020 and result.reference == 70.0
    table = result.table.set_index("subgroup")
    assert table.loc["Alpha", "admin1_code"] == "ZZ-A" and table.loc["Alpha", "matched_by"] == "code"
    assert table.loc["Beta", "admin1_code"] == "ZZ-B" and table.loc["Beta", "matched_by"] == "name"
    assert table.loc["Beta", "region"] == "Beta Region"  # the shape's name
    assert table.loc["Gamma old name", "admin1_code"] == "ZZ-C" and table.loc["Gamma old name", "matched_by"] == "alias"
    assert pd.isna(table.loc["Atlantis", "admin1_code"])
    assert table["difference"].to_dict() == {"Alpha": 10.0, "Beta": -9.5, "Gamma old name": 1.0, "Atlantis": -15.0}
    assert result.unmatched_values == ("Atlantis",)
    assert result.unmatched_shapes == ("Delta",)  # Delta's row has no estimate in 2020: it is not a value
    assert result.mapped["admin1_code"].tolist() == ["ZZ-A", "ZZ-B", "ZZ-C"]


def test_an_earlier_year_has_its_own_reference():
    result = regions.region_values(rows(), AREAS, year=2015)
    assert result.reference == 44.0
    assert dict(zip(result.mapped["admin1_code"], result.mapped["estimate"])) == {
        "ZZ-A": 50.0, "ZZ-B": 40.0, "ZZ-D": 20.0}
    assert result.unmatched_values == ("Gamma old name", "Atlantis") and result.unmatched_shapes == ("Gamma",)


def test_a_shape_is_taken_once_and_codes_ignore_case():
    frame = rows()[rows()["year"] == 2020].assign(admin1_code=["zz-a", None, None, None, None],
                                                  subgroup=["Alpha", "ZZ-A", "Gamma", "Atlantis", "Delta"])
    result = regions.region_values(frame, AREAS)
    assert result.mapped["admin1_code"].tolist() == ["ZZ-A", "ZZ-C"]
    assert result.unmatched_values == ("ZZ-A", "Atlantis")  # a second claim on ZZ-A is listed, not drawn twice


def test_without_a_national_value_there_is_no_reference():
    result = regions.region_values(rows().assign(setting_average=None), AREAS)
    assert result.reference is None and result.table["difference"].isna().all()
    assert regions.reference_line(result, unit="%", decimals=0, favourable=True).startswith(
        "No national value for 2020")


def test_captions_name_the_reference_and_every_unmatched_region():
    result = regions.region_values(rows(), AREAS)
    line = regions.reference_line(result, unit="%", decimals=1, favourable=True)
    assert "White = the national value (70.0%, 2020); purple = better (above it), orange = worse (below it)" in line
    assert "purple = better (below it)" in regions.reference_line(result, unit="per 1,000", decimals=0,
                                                                   favourable=False)
    assert regions.unmatched_line(result) == ("Values without a shape (2, not drawn): Gamma old name, Atlantis; "
                                              "shapes without a value (2, grey): Gamma, Delta.")
    everything = regions.region_values(rows().query("subgroup != 'Atlantis'"), AREAS,
                                       aliases={"gammaoldname": "gamma"})
    assert regions.unmatched_line(everything) == "Shapes without a value (1, grey): Delta."


def test_no_regional_values_have_no_latest_year():
    assert regions.latest_year(rows().assign(estimate=None)) is None


def test_region_indicators_and_the_default():
    dims = pd.DataFrame({"indicator_code": ["A", "A", "SH.IMM.IDPT", "B"],
                         "dimension": ["Sex", "Subnational region", "Subnational region", "Sex"],
                         "short_name": ["Alpha", "Alpha", "DTP3 coverage", "Beta"], "unit": ["%"] * 4})
    assert regions.region_indicators(dims) == {"A": "Alpha (%)", "SH.IMM.IDPT": "DTP3 coverage (%)"}
    assert regions.region_default(dims) == "SH.IMM.IDPT"
    assert regions.region_default(dims[dims["indicator_code"] == "B"]) == ""


def spec_of(result, *, favourable=True):
    return maps.region_choropleth(result.mapped, shapes=SHAPES, reference=result.reference, title="Coverage",
                                  unit="%", decimals=1, favourable=favourable, heading="Zedland: Coverage (%), 2020")


def test_choropleth_carries_each_regions_value_and_diverges_around_the_national_value():
    result = regions.region_values(rows(), AREAS, aliases={"gammaoldname": "gamma"})
    spec = spec_of(result)
    assert spec["datasets"][maps.SHAPES] is SHAPES  # the same object: never copied or re-serialised
    assert spec["data"] == {"name": maps.SHAPES, "format": {"type": "json", "property": "features"}}
    values = {r["admin1_code"]: (r["estimate"], r["difference"]) for r in spec["datasets"][maps.REGION_VALUES]}
    assert values == {"ZZ-A": (80.0, 10.0), "ZZ-B": (60.5, -9.5), "ZZ-C": (71.0, 1.0)}
    colour = spec["encoding"]["color"]
    assert colour["scale"]["domain"] == [60.0, 70.0, 80.0]  # symmetric: white sits exactly on the national value
    assert colour["scale"]["range"] == [theme.DIVERGING[0], theme.DIVERGING[3], theme.DIVERGING[-1]]
    assert colour["legend"]["values"] == [60.5, 70.0, 80.0]  # lowest, national, highest
    assert colour["condition"] == {"test": "!isValid(datum.estimate)", "value": theme.NO_DATA}
    assert spec_of(result, favourable=False)["encoding"]["color"]["scale"]["range"] == [
        theme.DIVERGING[-1], theme.DIVERGING[3], theme.DIVERGING[0]]  # lower is better: purple below


def test_choropleth_without_a_reference_is_sequential():
    result = regions.region_values(rows().assign(setting_average=None), AREAS)
    scale = spec_of(result)["encoding"]["color"]["scale"]
    assert scale["domain"] == [60.5, 80.0] and "domainMid" not in scale  # the drawn values only
    assert result.mapped["estimate"].tolist() == [80.0, 60.5]


def test_choropleth_renders_every_shape_with_grey_for_regions_without_a_value():
    result = regions.region_values(rows(), AREAS)
    svg = vlc.vegalite_to_svg(spec_of(result))
    assert svg.count('fill="#d9d9d9"') == 2  # Gamma and Delta: shapes kept, drawn grey
    assert svg.count("<path") >= len(AREAS)
    assert ">70.0</text>" in svg and ">60.5</text>" in svg  # the legend marks the national value


# --- the committed layer ---------------------------------------------------------------------------------

def test_committed_layer_is_small_has_valid_iso_3166_2_codes_and_loads_once():
    assert geo.ADMIN1_LAYER_FILE.stat().st_size < 2_000_000
    layer = geo.admin1_layer()
    assert layer is geo.admin1_layer()
    assert "BRA" in layer and len(layer["BRA"]["features"]) == 27
    for iso3, collection in layer.items():
        alpha2 = pycountry.countries.get(alpha_3=iso3).alpha_2
        for feature in collection["features"]:
            code = feature["id"]
            assert code == feature["properties"]["admin1_code"] and feature["properties"]["name"]
            subdivision = pycountry.subdivisions.get(code=code)
            assert subdivision is not None and subdivision.country_code == alpha2, code
            assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")
        assert len(json.dumps(collection)) < admin1_layer.MAX_COUNTRY_BYTES * 1.05


def test_committed_layer_covers_only_the_demos_countries():
    assert set(geo.admin1_layer()) <= admin1_layer.demo_countries()
    assert {"BRA", "KEN", "GHA"} <= admin1_layer.demo_countries() and "USA" not in admin1_layer.demo_countries()


def test_brazils_committed_states_meet_the_demos_subdivisions_by_code():
    shapes = geo.admin1_shapes("BRA", geo.config.GEO_DIR / "no-imports-here")
    assert shapes.origin == "committed" and shapes.collection is geo.admin1_layer()["BRA"]
    assert "Natural Earth" in shapes.source and "public domain" in shapes.source
    assert {code for code, _ in shapes.areas} == admin1_layer.subdivision_codes("BRA")


def test_imported_boundaries_take_precedence_and_a_country_without_either_has_none(tmp_path):
    folder = tmp_path / geo.admin1_source_code("BRA")
    folder.mkdir()
    (folder / geo.ADMIN1_FILE).write_text(json.dumps(SHAPES), encoding="utf-8")
    shapes = geo.admin1_shapes("BRA", tmp_path)
    assert shapes.origin == "imported" and shapes.areas == AREAS and "boundaries_BRA" in shapes.source
    assert geo.admin1_shapes("NOR", tmp_path) is None


NE_FEATURES = [  # the fields of a Natural Earth admin-1 file that the derivation reads
    ("BRA", "BR-AC", "Acre", 0), ("BRA", "BR-AM", "Amazonas", 1), ("BRA", "BR-AM", "Amazonas", 2),
    ("BRA", "BR-XX", "Nowhere", 3), ("USA", "US-TX", "Texas", 4), ("GHA", "GH-AA", "Greater Accra", 5),
]


def test_derive_keeps_the_demos_countries_valid_codes_and_dissolves_parts(tmp_path):
    source = tmp_path / "ne_admin1.geojson"
    source.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"adm0_a3": a3, "iso_3166_2": code, "name": name},
         "geometry": square(x, 0)} for a3, code, name, x in NE_FEATURES]}), encoding="utf-8")
    layer, report = admin1_layer.derive(source, {"BRA", "GHA"})
    features = json.loads(layer)["features"]
    assert [(f["id"], f["properties"]["iso3"], f["properties"]["name"]) for f in features] == [
        ("BR-AC", "BRA", "Acre"), ("BR-AM", "BRA", "Amazonas")]  # Texas is not the demo's; one Ghana area is no map
    report = report.set_index("iso3")
    assert report.loc["BRA", "areas"] == 2 and report.loc["BRA", "dropped"] == 1  # BR-XX is no ISO 3166-2 code
    assert report.loc["GHA", "areas"] == 1 and report.loc["GHA", "bytes"] == 0
    amazonas = shapely.geometry.shape(features[1]["geometry"])
    assert amazonas.geom_type == "Polygon" and amazonas.bounds == (1.0, 0.0, 3.0, 1.0)  # two squares, one area


def test_derive_refuses_a_file_that_is_not_natural_earth(tmp_path):
    source = tmp_path / "other.geojson"
    source.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "A"}, "geometry": square(0, 0)}]}), encoding="utf-8")
    with pytest.raises(admin1_layer.boundaries.BoundaryFormatError, match="not a Natural Earth admin-1 file"):
        admin1_layer.derive(source, {"BRA"})


def test_aliases_file_is_what_matching_reads():
    assert admin1_match.load_aliases("KEN")["nairobicity"] == "nairobi"


def test_the_command_writes_the_layer_and_refuses_a_missing_folder_in_one_line(tmp_path, capsys):
    source = tmp_path / "ne_admin1.geojson"
    source.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"adm0_a3": a3, "iso_3166_2": code, "name": name},
         "geometry": square(x, 0)} for a3, code, name, x in NE_FEATURES]}), encoding="utf-8")
    out = tmp_path / "layer.geojson"
    assert admin1_layer.main([str(source), "--out", str(out)]) == 0
    assert [f["id"] for f in json.loads(out.read_text(encoding="utf-8"))["features"]] == ["BR-AC", "BR-AM"]
    assert "BRA: 2 areas (1 features without a valid ISO 3166-2 code dropped)" in capsys.readouterr().out
    assert admin1_layer.main([str(source), "--out", str(tmp_path / "nowhere" / "layer.geojson")]) == 1
    assert admin1_layer.main([str(tmp_path / "absent.geojson"), "--out", str(out)]) == 1
    assert capsys.readouterr().err.splitlines() == [f"{tmp_path / 'nowhere' / 'layer.geojson'}: folder "
                                                    f"{tmp_path / 'nowhere'} does not exist",
                                                    f"{tmp_path / 'absent.geojson'}: no such file"]
