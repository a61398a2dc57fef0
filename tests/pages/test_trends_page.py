"""Trends page: URL round trip in both modes, fallbacks with notes, peers within the cap, plotted numbers."""

import pytest

from dashboard import config, db
from tests.pages import apptest
from tests.pages.apptest import open_expanders, run_page

PAGE = "pages/trends.py"
PARAMS = ("mode", "indicator", "countries", "start", "end", "log", "indexed", "country", "block", "indicators",
          "median")


def run(**query):
    return run_page(PAGE, **query)


def run_open(**query):
    """`run` with the Data and downloads expanders opened (their tables are drawn only while open)."""
    return open_expanders(run(**query))


def link(app) -> dict:
    return apptest.link(app, PARAMS)


def notes(app) -> str:
    return " ".join(i.value for i in app.info)


@pytest.fixture(autouse=True)
def on_demo(demo_warehouse, use_warehouse):
    use_warehouse(demo_warehouse)


def test_controls_are_written_to_the_url_and_restore_the_view():
    app = run(indicator="SH.IMM.IDPT", countries="KEN,UGA", start="2005", end="2020", log="1")
    assert not app.exception, app.exception
    assert app.selectbox(key="trends.indicator").value == "SH.IMM.IDPT"
    assert app.multiselect(key="trends.countries").value == ["KEN", "UGA"]
    assert app.slider(key="trends.years").value == (2005, 2020)
    assert app.toggle(key="trends.log").value is True and app.toggle(key="trends.indexed").value is False
    app.slider(key="trends.years").set_value((2008, 2018)).run()
    app.toggle(key="trends.indexed").set_value(True).run()
    saved = link(app)
    assert (saved["start"], saved["end"], saved["indexed"], saved["countries"]) == ("2008", "2018", "1", "KEN,UGA")
    reopened = run(**saved)
    assert reopened.slider(key="trends.years").value == (2008, 2018)
    assert reopened.toggle(key="trends.indexed").value is True
    assert reopened.multiselect(key="trends.countries").value == ["KEN", "UGA"]


def test_plotted_data_are_the_query_values_in_the_window(demo_db):
    app = run_open(indicator="SH.IMM.IDPT", countries="KEN,NOR", start="2010", end="2015")
    table = app.dataframe[0].value
    kenya = table[table["iso3"] == "KEN"].set_index("year")["value"]
    expected = db.run(demo_db.connection, "indicators/trend_by_country_year", indicator_codes=["SH.IMM.IDPT"],
                      iso3_codes=["KEN"]).set_index("year")["estimate"]
    assert kenya.to_dict() == expected.loc[2010:2015].to_dict()
    references = table.loc[table["iso3"].isna(), "series"].unique().tolist()
    assert references == ["African Region median", "Lower middle income median"]  # Kenya's groups
    medians = db.run(demo_db.connection, "indicators/reference_medians_by_year", indicator_codes=["SH.IMM.IDPT"],
                     who_region="AFR", income_group="Lower middle income",
                     min_countries=config.get("median_min_countries"), min_share=config.get("median_min_share"))
    region = medians[(medians["reference"] == "who_region") & medians["year"].between(2010, 2015)]
    shown = table[table["series"] == "African Region median"]
    assert shown["value"].tolist() == region["estimate"].tolist()
    assert "Synthetic demo data" in " ".join(c.value for c in app.caption)


def test_indexed_view_starts_every_country_at_100():
    app = run_open(indicator="SH.IMM.IDPT", countries="KEN,UGA", start="2010", end="2020", indexed="1")
    table = app.dataframe[0].value
    firsts = table[table["iso3"].notna()].sort_values("year").groupby("iso3")["value"].first()
    assert firsts.round(9).tolist() == [100.0, 100.0]
    kenya = table[table["iso3"] == "KEN"].sort_values("year")
    original = kenya["original_value"]
    assert kenya["value"].iloc[-1] == pytest.approx(original.iloc[-1] / original.iloc[0] * 100)


def test_unknown_values_in_the_link_fall_back_with_notes():
    app = run(indicator="NOT_AN_INDICATOR", countries="KEN,XXX", start="1800", mode="sideways")
    assert not app.exception
    text = notes(app)
    assert "Unknown indicator" in text and "XXX" in text and "Unknown first year" in text and "Unknown view" in text
    assert app.selectbox(key="trends.indicator").value == "UHC_INDEX_COMPUTED"
    assert app.multiselect(key="trends.countries").value == ["KEN"]
    assert app.slider(key="trends.years").value[0] == 2000
    assert app.selectbox(key="trends.mode").value == "countries"


def test_reversed_years_in_the_link_are_put_in_order():
    app = run(start="2020", end="2010")
    assert app.slider(key="trends.years").value == (2010, 2020)
    assert link(app)["start"] == "2010" and link(app)["end"] == "2020"


def test_no_country_chosen_shows_a_clear_message():
    app = run(countries="")
    assert not app.exception
    assert "Choose at least one country" in app.warning[0].value
    assert not app.dataframe


def test_peer_buttons_add_countries_of_the_same_region_and_income_group(demo_db):
    app = run(indicator="SH.IMM.IDPT", countries="KEN")
    peers = [b for b in app.button if b.key.startswith("trends.peer.")]
    assert len(peers) == 5
    groups = db.run(demo_db.connection, "countries/catalogue_by_country").set_index("iso3")
    added = peers[0].key.removeprefix("trends.peer.")
    assert tuple(groups.loc[added, ["who_region", "income_group"]]) == ("AFR", "Lower middle income")
    peers[0].click().run()
    assert app.multiselect(key="trends.countries").value == ["KEN", added]
    assert link(app)["countries"] == f"KEN,{added}"
    app.button(key="trends.peers").click().run()
    assert len(app.multiselect(key="trends.countries").value) == 2 + 5


def test_the_cap_limits_countries_from_links_and_peers():
    cap = config.get("max_trend_countries")
    many = ["KEN", "UGA", "TZA", "RWA", "ETH", "GHA", "NGA", "ZMB", "MWI", "MOZ", "SEN", "CIV", "CMR", "BEN"]
    app = run(countries=",".join(many))
    assert app.multiselect(key="trends.countries").value == many[:cap]
    assert f"showing the first {cap}" in notes(app)
    assert "At most" in " ".join(c.value for c in app.caption)
    assert not [b for b in app.button if b.key.startswith("trends.peer")]


def test_country_mode_shows_small_multiples_of_the_chosen_indicators_and_round_trips(demo_db):
    app = run_open(mode="indicators", country="NOR", indicators="SH.IMM.IDPT,SH.DYN.MORT", start="2010", end="2020")
    assert not app.exception, app.exception
    assert app.selectbox(key="trends.country").value == "NOR"
    table = app.dataframe[0].value
    assert table["indicator_code"].unique().tolist() == ["SH.IMM.IDPT", "SH.DYN.MORT"]
    norway = table[(table["iso3"] == "NOR") & (table["indicator_code"] == "SH.DYN.MORT")].set_index("year")["value"]
    expected = db.run(demo_db.connection, "indicators/trend_by_country_year", indicator_codes=["SH.DYN.MORT"],
                      iso3_codes=["NOR"]).set_index("year")["estimate"].loc[2010:2020]
    assert norway.to_dict() == expected.to_dict()
    assert set(table.loc[table["iso3"].isna(), "series"]) == {"European Region median"}
    app.toggle(key="trends.median").set_value(False).run()
    assert link(app)["median"] == "0" and app.dataframe[0].value["iso3"].notna().all()
    reopened = run_open(**link(app))
    assert reopened.selectbox(key="trends.mode").value == "indicators"
    assert reopened.multiselect(key="trends.indicators").value == ["SH.IMM.IDPT", "SH.DYN.MORT"]
    assert reopened.toggle(key="trends.median").value is False


def test_country_mode_defaults_to_the_first_building_block_with_data():
    app = run_open(mode="indicators", country="KEN")
    assert app.selectbox(key="trends.block").value == "Service delivery"
    table = app.dataframe[0].value
    assert table["panel"].nunique() > 3


def test_country_mode_falls_back_on_an_unknown_country_and_block():
    app = run(mode="indicators", country="ZZZ", block="Magic")
    assert not app.exception
    assert "Unknown country" in notes(app) and "Unknown building block" in notes(app)
    assert app.selectbox(key="trends.country").value == "KEN"
