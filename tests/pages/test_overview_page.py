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
    assert app.selectbox[0].value == "UHC_INDEX_COMPUTED"
    assert app.slider[0].value == 2024


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


def _recorded_years(monkeypatch) -> list[int]:
    """The year of every run while the page plays (play_on is called once per run with the year shown)."""
    from dashboard import filters

    seen, original = [], filters.play_on

    def record(state, year, span, name="year"):
        if state.page == "overview" and __import__("streamlit").session_state.get("overview.year.playing"):
            seen.append(year)
        return original(state, year, span, name)

    monkeypatch.setattr(filters, "play_on", record)
    monkeypatch.setenv("HSS_PLAY_STEP_SECONDS", "0")
    return seen


def test_play_steps_through_the_years_to_the_last_and_stops(demo_warehouse, use_warehouse, monkeypatch):
    use_warehouse(demo_warehouse)
    seen = _recorded_years(monkeypatch)
    app = run(indicator="SH.IMM.IDPT", year="2020")
    play = app.button(key="overview.year.play")
    assert play.label == "Play"
    play.click().run()  # plays 2020 -> 2024 through reruns, then stops at the last year
    assert not app.exception, app.exception
    assert seen == [2020, 2021, 2022, 2023, 2024]
    assert app.slider[0].value == 2024 and not app.slider[0].disabled
    assert app.button(key="overview.year.play").label == "Play"
    assert link(app, ("year",))["year"] == "2024"


def test_play_from_the_last_year_starts_again_at_the_first(demo_warehouse, use_warehouse, monkeypatch):
    use_warehouse(demo_warehouse)
    seen = _recorded_years(monkeypatch)
    app = run(indicator="SH.IMM.IDPT", year="2024")
    first = int(app.slider[0].min)
    app.button(key="overview.year.play").click().run()
    assert not app.exception, app.exception
    assert seen == list(range(first, 2025)) and first < 2024
    assert app.slider[0].value == 2024


def _map_spec(app) -> dict:
    import json

    return json.loads(app.get("vega_lite_chart")[0].proto.spec)


def test_zoom_fits_the_region_keeps_context_and_narrows_the_table(demo_warehouse, use_warehouse, demo_db):
    use_warehouse(demo_warehouse)
    app = run(indicator="SH.IMM.IDPT", year="2020", zoom="who:EUR")
    assert not app.exception
    europe = set(demo_db.connection.execute(
        "select iso3 from dim_country where who_region = 'EUR' and not is_aggregate").df()["iso3"])
    ranked = app.dataframe[0].value
    assert set(ranked["ISO3"]) <= europe and len(ranked) > 40
    spec = _map_spec(app)
    west, south = spec["projection"]["fit"]["geometry"]["coordinates"][0]
    assert west > -30 and south > 25  # no Russian fragment across 180°, no French Guiana
    assert not [t for t in spec["transform"] if "filter" in t and "oneOf" in str(t)]  # nothing hidden
    assert spec["title"]["text"].startswith("DTP3 coverage (%), 2020 · WHO European Region")
    assert "synthetic" in " ".join(spec["title"]["subtitle"]).lower()


def test_filtered_countries_leave_the_others_as_labelled_context(demo_warehouse, use_warehouse):
    use_warehouse(demo_warehouse)
    app = run(indicator="SH.IMM.IDPT", year="2020", income="Low income")
    spec = _map_spec(app)
    domain = spec["encoding"]["color"]["scale"]["domain"]
    assert domain[-2:] == ["No data", "Outside the filters"]
    calculations = " ".join(t.get("calculate", "") for t in spec["transform"])
    assert "'Outside the filters'" in calculations.replace('"', "'")
