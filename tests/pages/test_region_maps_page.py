"""Regional maps on the Equity and Country pages: the map for a demo country with admin-1 shapes (Brazil, from
the committed Natural Earth layer), a one-line note for one without (Kenya, until its boundaries are
imported), and the real geoBoundaries file of Ghana imported."""

from __future__ import annotations

import json

import pandas as pd
import pyarrow as pa
import pytest

from dashboard import config
from dashboard.charts import maps
from dashboard.sources import boundaries
from tests.pages.apptest import run_page

CODE = "SH.IMM.IDPT"


@pytest.fixture
def on_demo(demo_warehouse, use_warehouse, tmp_path, monkeypatch):
    use_warehouse(demo_warehouse)
    monkeypatch.setenv("HSS_IMPORTS_DIR", str(tmp_path / "imports"))  # no imported boundaries
    return tmp_path / "imports"


def expected(demo_db, iso3: str) -> tuple[int, dict[str, float], float]:
    """The latest survey year of DTP3 by region in the warehouse, each region's value and the national one."""
    rows = demo_db.connection.execute("""
        select year, admin1_code, estimate from fct_indicator_value
        where iso3 = ? and indicator_code = ? and dimension = 'Subnational region' and estimate is not null
        """, [iso3, CODE]).df()
    year = int(rows["year"].max())
    latest = rows[rows["year"] == year]
    national = demo_db.connection.execute(
        "select estimate from national_value where iso3 = ? and indicator_code = ? and year = ?",
        [iso3, CODE, year]).fetchone()[0]
    return year, dict(zip(latest["admin1_code"], latest["estimate"])), national


def region_map(app) -> tuple[dict, pd.DataFrame]:
    """The one regional map's spec (geometry stays in it) and its values (Streamlit sends those as Arrow)."""
    charts = [c for c in app.get("vega_lite_chart") if maps.SHAPES in json.loads(c.proto.spec).get("datasets", {})]
    assert len(charts) == 1, f"expected one regional map, found {len(charts)}"
    values = next(d for d in charts[0].proto.datasets if d.name == maps.REGION_VALUES)
    return json.loads(charts[0].proto.spec), pa.ipc.open_stream(values.data.data).read_all().to_pandas()


def check_map(app, demo_db, iso3: str, place: str, areas: int) -> dict:
    year, values, national = expected(demo_db, iso3)
    spec, table = region_map(app)
    drawn = dict(zip(table["admin1_code"], table["estimate"]))
    assert drawn == pytest.approx(values)
    assert len(spec["datasets"][maps.SHAPES]["features"]) == areas
    assert spec["encoding"]["color"]["scale"]["domain"][1] == pytest.approx(national)
    assert spec["title"]["text"] == f"{place}: DTP3 coverage (%) by region, {year}"
    captions = " ".join(c.value for c in app.caption)
    assert f"White = the national value ({national:.0f}%, {year})" in captions
    return spec


def test_equity_page_maps_brazil_by_state_around_the_national_value(on_demo, demo_db):
    app = run_page("pages/equity.py", timeout=120, country="BRA", indicator=CODE, tab="By region")
    assert not app.exception, app.exception
    spec = check_map(app, demo_db, "BRA", "Brazil", 27)
    assert "Natural Earth 1:50m admin-1" in " ".join(spec["title"]["subtitle"])
    assert "Values without a shape" not in " ".join(c.value for c in app.caption)  # all 27 states matched


def test_equity_page_says_in_one_line_when_a_country_has_no_shapes(on_demo):
    app = run_page("pages/equity.py", timeout=120, country="KEN", indicator=CODE, tab="By region")
    assert not app.exception, app.exception
    assert not app.get("vega_lite_chart")
    assert ("No admin-1 boundaries for Kenya, so no regional map: import them with "
            "`python -m dashboard import boundaries FILE --iso3 KEN`.") in [c.value for c in app.caption]


def test_country_profile_maps_the_regional_indicator_and_keeps_it_in_the_url(on_demo, demo_db):
    app = run_page("pages/country.py", timeout=120, country="BRA")
    assert not app.exception, app.exception
    assert app.selectbox[1].value == CODE and app.query_params["regional"] == CODE
    check_map(app, demo_db, "BRA", "Brazil", 27)
    kenya = run_page("pages/country.py", timeout=120, country="KEN", regional="NOT_AN_INDICATOR")
    assert not kenya.exception, kenya.exception
    assert any("Unknown regional indicator" in note.value for note in kenya.info)
    assert any(c.value.startswith("No admin-1 boundaries for Kenya") for c in kenya.caption)
    assert not [c for c in kenya.get("vega_lite_chart") if maps.SHAPES in c.proto.spec]


def test_real_ghana_boundaries_imported_give_ghana_a_map_of_its_16_regions(on_demo, demo_db):
    path = config.path("real_data_dir") / "geo" / "geoboundaries" / "geoBoundaries-GHA-ADM1_simplified.geojson"
    if not path.is_file():
        pytest.skip(f"real data file {path} not found (setting real_data_dir / HSS_REAL_DATA_DIR)")
    boundaries.import_file(path, "GHA", on_demo)
    app = run_page("pages/equity.py", timeout=120, country="GHA", indicator=CODE, tab="By region")
    assert not app.exception, app.exception
    spec = check_map(app, demo_db, "GHA", "Ghana", 16)
    assert "Boundaries: imported (boundaries_GHA)" in " ".join(spec["title"]["subtitle"])
    assert not [c for c in app.caption if c.value.startswith(("Values without a shape", "Shapes without a value"))]
