"""A warehouse built with --no-demo from publisher files: every page works and no synthetic badge shows."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import build, db
from dashboard.components import SYNTHETIC_BADGE
from dashboard.config import PROJECT_ROOT
from dashboard.sources import pipeline
from tests.pages.test_pages import PAGES
from tests.real import realdata

FIXTURES = PROJECT_ROOT / "tests" / "fixtures"


def build_real(directory: Path, wdi_files: list[Path], gho_files: list[Path]) -> Path:
    store = directory / "imports"
    pipeline.import_files("wdi", wdi_files, imports_dir=store)
    pipeline.import_files("gho", gho_files, imports_dir=store)
    target = directory / "warehouse.duckdb"
    build.build(target=target, demo_scale=None, imports_dir=store)
    return target


def assert_every_page_works_without_badge(target: Path):
    assert db.open_read_only(target).has_synthetic is False
    for path, title in PAGES.items():
        app = AppTest.from_file(str(PROJECT_ROOT / path), default_timeout=60).run()
        assert not app.exception, (path, app.exception)
        assert app.title[0].value == title
        shown = " ".join(m.value for m in app.markdown) + " ".join(c.value for c in app.caption)
        assert SYNTHETIC_BADGE not in shown, path
        assert "Synthetic demo data" not in shown, path


@pytest.fixture(scope="module")
def fixture_real_warehouse(tmp_path_factory):
    return build_real(tmp_path_factory.mktemp("realfixture"),
                      sorted((FIXTURES / "wdi").glob("API_*.csv")),
                      sorted((FIXTURES / "gho" / "athena").glob("*.csv")))


def test_pages_on_publisher_format_fixtures(fixture_real_warehouse, use_warehouse):
    use_warehouse(fixture_real_warehouse)
    assert_every_page_works_without_badge(fixture_real_warehouse)


def test_pages_on_the_real_publisher_files(tmp_path, use_warehouse):
    real = realdata.folder("worldbank_wdi")
    target = build_real(tmp_path, sorted(real.glob("API_*.csv")),
                        sorted((realdata.real_dir() / "who_gho" / "athena_api_csv").glob("*.csv"))
                        + sorted((realdata.real_dir() / "who_equity" / "health_equity_monitor_athena_csv").glob("*.csv")))
    use_warehouse(target)
    assert_every_page_works_without_badge(target)
    about = AppTest.from_file(str(PROJECT_ROOT / "pages/about.py"), default_timeout=60).run()
    sources = about.dataframe[0].value
    releases = sources[sources["Values"] > 0]  # the others are the catalogue's indicator definitions
    assert set(releases["Publisher"]) == {"World Bank", "World Health Organization"}
    assert len(releases) >= 4 and releases["Licence"].str.contains("CC BY").all()
    assert (releases["Synthetic"] == "no").all()
    world_bank = releases[releases["Publisher"] == "World Bank"]
    assert sorted(world_bank["Release"]) == ["2021-10-28", "2023-03-01", "2024-09-19"]  # "Last Updated Date"s
