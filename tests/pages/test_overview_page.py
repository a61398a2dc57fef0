"""Overview page: URL state round-trips, bad parameters fall back with a note, the badge shows."""

from dashboard.components import SYNTHETIC_BADGE
from tests.pages.apptest import link, run_page

PAGE = "pages/overview.py"


def run(**query):
    return run_page(PAGE, **query)


def test_controls_are_written_to_the_url_and_restore_the_view(demo_warehouse, use_warehouse):
    use_warehouse(demo_warehouse)
    app = run(indicator="SH.DYN.MORT", year="2015", who="AFR,EUR", classes="equal")
    assert not app.exception
    assert app.selectbox[0].value == "SH.DYN.MORT"
    assert app.slider[0].value == 2015
    assert app.multiselect[0].value == ["AFR", "EUR"]
    assert app.radio(key="overview.classes").value == "equal"
    app.slider[0].set_value(2010).run()
    url = link(app, ("indicator", "year", "who", "income", "classes", "zoom", "view"))
    assert url["year"] == "2010" and url["who"] == "AFR,EUR"
    reopened = run(**url)
    assert reopened.slider[0].value == 2010 and reopened.multiselect[0].value == ["AFR", "EUR"]


def test_unknown_indicator_and_year_fall_back_with_notes(demo_warehouse, use_warehouse):
    use_warehouse(demo_warehouse)
    app = run(indicator="NOT_AN_INDICATOR", year="1800", who="XYZ")
    assert not app.exception
    notes = " ".join(i.value for i in app.info)
    assert "Unknown indicator" in notes and "Unknown year" in notes and "XYZ" in notes
    assert app.selectbox[0].value == "UHC_INDEX_REPORTED"
    assert app.slider[0].value == 2023  # the index's latest publication year in the demo


def test_synthetic_badge_is_shown_on_demo_data(demo_warehouse, use_warehouse):
    use_warehouse(demo_warehouse)
    app = run()
    assert any(SYNTHETIC_BADGE in m.value and "badge" in m.value for m in app.markdown)


def test_no_badge_on_a_warehouse_without_synthetic_values(tmp_path, use_warehouse):
    from dashboard import build
    from dashboard.sources import imports
    from tests.fixtures.warehouse import real_import

    store = tmp_path / "imports"
    imports.write(real_import(), store)
    target = use_warehouse(tmp_path / "w.duckdb")
    build.build(target=target, demo_scale=None, imports_dir=store)
    app = run(indicator="FX.COV", year="2015")
    assert not app.exception
    markdown = " ".join(m.value for m in app.markdown)
    assert SYNTHETIC_BADGE not in markdown
    assert app.selectbox[0].value == "FX.COV"
