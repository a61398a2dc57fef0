"""Every page runs under AppTest on the demo warehouse, shows its title and no exception."""

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.config import PROJECT_ROOT
from tests.pages.apptest import run_page

PAGES = {
    "pages/overview.py": "Overview map",
    "pages/country.py": "Country profile: Kenya",
    "pages/trends.py": "Trends",
    "pages/about.py": "About the data",
    "pages/equity.py": "Equity gaps",
    "pages/capacity.py": "Capacity survey",
}
TIMEOUT = 60




@pytest.fixture(autouse=True)
def on_demo(demo_warehouse, use_warehouse):
    use_warehouse(demo_warehouse)


@pytest.mark.parametrize("path,title", PAGES.items())
def test_page_runs_and_shows_title(path, title):
    app = run_page(path)
    assert not app.exception, app.exception
    assert app.title[0].value == title


def test_app_frame_runs_default_page():
    app = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=TIMEOUT).run()
    assert not app.exception
    assert app.title[0].value == "Overview map"


def test_first_start_builds_the_demo_warehouse(tmp_path, use_warehouse, monkeypatch):
    target = use_warehouse(tmp_path / "fresh" / "warehouse.duckdb")
    monkeypatch.setenv("HSS_IMPORTS_DIR", str(tmp_path / "imports"))
    app = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=120).run()
    assert not app.exception
    assert target.exists()
    assert app.title[0].value == "Overview map"
    status = app.get("status")[0]
    assert status.label.startswith("Demo warehouse built (") and "values)" in status.label
    assert "running data checks" in " ".join(m.value for m in status.markdown)


def test_outdated_warehouse_stops_with_a_message(tmp_path, use_warehouse, fixture_warehouse):
    import shutil

    import duckdb

    old = use_warehouse(tmp_path / "old.duckdb")
    shutil.copy(fixture_warehouse, old)
    with duckdb.connect(str(old)) as connection:
        connection.execute("drop table agg_indicator")
    app = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=TIMEOUT).run()
    assert not app.exception
    assert "older version" in app.error[0].value and "agg_indicator" in app.error[0].value
    assert not app.title  # no page ran
