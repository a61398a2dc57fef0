"""About the data lists every source with release, licence and row counts, from the warehouse."""

from streamlit.testing.v1 import AppTest

from dashboard.config import PROJECT_ROOT


def run():
    return AppTest.from_file(str(PROJECT_ROOT / "pages/about.py"), default_timeout=60).run()


def test_sources_are_listed_with_licence_and_counts(fixture_warehouse, use_warehouse):
    use_warehouse(fixture_warehouse)
    app = run()
    assert not app.exception
    sources = app.dataframe[0].value.set_index("Code")
    assert sources.loc["FIXTURE_REAL", "Values"] == 19 and sources.loc["FIXTURE_REAL", "Licence"] == "CC0-1.0"
    assert sources.loc["FIXTURE_REAL", "Release"] == "2024-01"
    assert sources.loc["FIXTURE_SYNTHETIC", "Synthetic"].startswith("yes")
    assert sources.loc["FIXTURE_SYNTHETIC", "Survey responses"] == 18
    assert sources.loc["FIXTURE_REAL", "Role"] == "values"
    assert set(sources.loc[sources["Values"] == 0, "Role"]) == {"defines indicators only"}  # catalogue publishers
    assert any("synthetic demo data" in w.value for w in app.warning)


def test_indicator_catalogue_lists_definitions(fixture_warehouse, use_warehouse):
    use_warehouse(fixture_warehouse)
    indicators = run().dataframe[1].value.set_index("Code")
    assert indicators.loc["FX.MORT", "Higher is better"] == "no"
    assert indicators.loc["FX.COV", "Years"] == "2010–2016"
    assert indicators.loc["FX.COV", "Definition"] == "Definition of Fixture coverage."
