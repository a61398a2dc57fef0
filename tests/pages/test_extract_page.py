"""Extract page: the selection round-trips through the URL, counts match the warehouse, bad links fall back."""

import pytest

from tests.pages.apptest import link, run_page

PAGE = "pages/extract.py"
PARAMS = ("indicators", "blocks", "countries", "who", "income", "start", "end", "dims", "sub")


@pytest.fixture(autouse=True)
def on_demo(demo_warehouse, use_warehouse):
    use_warehouse(demo_warehouse)


def test_counts_preview_and_downloads_follow_the_link(demo_db):
    app = run_page(PAGE, indicators="SH.IMM.IDPT,SH.DYN.MORT", countries="KEN,UGA", start="2010", end="2020",
                   dims="Total")
    assert not app.exception, app.exception
    expected = demo_db.connection.execute("""
        select count(*) from fct_indicator_value where indicator_code in ('SH.IMM.IDPT', 'SH.DYN.MORT')
        and iso3 in ('KEN', 'UGA') and year between 2010 and 2020 and dimension = 'Total'
        and admin1_code is null""").fetchone()[0]
    assert app.metric[0].value == f"{expected:,}" and expected > 20
    assert len(app.dataframe[0].value) == 20
    labels = [b.label for b in app.get("download_button")]
    assert [label.split(" · ")[0] for label in labels] == ["Parquet", "CSV + datapackage (zip)", "Excel"]
    assert "synthetic" in " ".join(c.value for c in app.caption).lower()
    saved = link(app, PARAMS)
    assert (saved["indicators"], saved["countries"], saved["start"], saved["end"]) == (
        "SH.IMM.IDPT,SH.DYN.MORT", "KEN,UGA", "2010", "2020")


def test_a_whole_building_block_adds_its_indicators():
    app = run_page(PAGE, indicators="", blocks="Health workforce", countries="KEN")
    assert not app.exception
    assert int(app.metric[1].value) >= 3


def test_unknown_codes_in_the_link_fall_back_with_a_note():
    app = run_page(PAGE, indicators="NOPE,SH.IMM.IDPT", countries="KEN,XXX", dims="Total,Nonsense")
    assert not app.exception
    notes = " ".join(i.value for i in app.info)
    assert "NOPE" in notes and "XXX" in notes and "Nonsense" in notes
    assert app.multiselect(key="extract.indicators").value == ["SH.IMM.IDPT"]


def test_other_pages_link_to_the_extract_with_their_selection():
    app = run_page("pages/trends.py", indicator="SH.IMM.IDPT", countries="KEN,UGA", start="2005", end="2015")
    buttons = [b for b in app.get("link_button") if b.proto.label == "Extract this data"]
    assert len(buttons) == 1
    assert buttons[0].proto.url == "extract?indicators=SH.IMM.IDPT&countries=KEN%2CUGA&start=2005&end=2015"


def test_world_bank_region_domain_and_subgroups_from_the_link(demo_db):
    app = run_page(PAGE, indicators="", domains="coverage", wb="SSF", start="2018", end="2020",
                   dims="Total,Economic status (wealth quintile)", subgroups="Quintile 1 (poorest)")
    assert not app.exception, app.exception
    expected = demo_db.connection.execute("""
        select count(*) from fct_indicator_value v join dim_country c using (iso3) join dim_indicator i using (indicator_code)
        where c.wb_region = 'Sub-Saharan Africa' and i.domain = 'coverage' and v.year between 2018 and 2020
          and v.admin1_code is null and (v.dimension = 'Total' or v.subgroup = 'Quintile 1 (poorest)')""").fetchone()[0]
    assert app.metric[0].value == f"{expected:,}" and expected > 100
    saved = link(app, ("domains", "wb", "subgroups"))
    assert saved == {"domains": "coverage", "wb": "SSF", "subgroups": "Quintile 1 (poorest)"}
