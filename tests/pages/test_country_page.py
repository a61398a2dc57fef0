"""Country profile page: URL state round trips, bad links fall back, numbers match the demo warehouse."""


import pytest

from tests.pages.apptest import link, open_expanders, run_page

PAGE = "pages/country.py"


def run(**query):
    return run_page(PAGE, **query)


def run_open(**query):
    """`run` with the Data and downloads expanders opened (their tables are drawn only while open)."""
    return open_expanders(run(**query))


def param(app, name):
    return link(app, [name])[name]


def open_tab(app):
    return [tab.label for tab in app.tabs if len(tab.children)]


@pytest.fixture(autouse=True)
def on_demo(demo_warehouse, use_warehouse):
    use_warehouse(demo_warehouse)


def latest_national(demo_db, iso3, code):
    return demo_db.connection.execute(
        "select year, estimate from fct_indicator_value where indicator_code = ? and iso3 = ? and dimension = 'Total'"
        " and admin1_code is null and estimate is not null order by year desc limit 1", [code, iso3]).fetchone()


# The demo holds both the computed index (dashboard/uhc) and its published series: the headline shows the
# computed one.
HEADLINE = {"UHC_INDEX_COMPUTED": "UHC index", "UHC_SCI_RMNCH_COMPUTED": "RMNCH",
            "UHC_SCI_INFECT_COMPUTED": "Infectious", "UHC_SCI_NCD_COMPUTED": "NCDs",
            "UHC_SCI_CAPACITY_COMPUTED": "Capacity"}


def test_default_is_kenya_on_its_first_block():
    app = run()
    assert not app.exception
    assert app.title[0].value == "Country profile: Kenya"
    assert app.selectbox[0].value == "KEN"
    assert param(app, "country") == "KEN" and param(app, "block") == "Service delivery"
    assert open_tab(app) == ["Service delivery"]


def scorecard(app):
    """The open building block's scorecard table (the page's first table with an Indicator column)."""
    return next(d.value for d in app.dataframe if "Indicator" in d.value.columns)


def test_headline_values_are_one_click_away(demo_db):
    app = run_open(country="KEN")
    table = next(d.value for d in app.dataframe if "earlier_estimate" in d.value.columns)
    assert list(table["indicator_code"]) == [c for c in HEADLINE if latest_national(demo_db, "KEN", c) is not None]
    for row in table.itertuples():
        assert (row.year, row.estimate) == latest_national(demo_db, "KEN", row.indicator_code)


@pytest.mark.parametrize("iso3", ["UGA", "KEN"])
def test_headline_shows_the_uhc_values_the_country_has(demo_db, iso3):
    expected = {code: latest_national(demo_db, iso3, code) for code in HEADLINE}
    expected = {code: row for code, row in expected.items() if row is not None}
    app = run(country=iso3)
    assert [m.label for m in app.metric] == [f"{HEADLINE[c]} · {year}" for c, (year, _) in expected.items()]
    assert [m.value for m in app.metric] == [f"{estimate:.0f}" for _, estimate in expected.values()]
    if "UHC_INDEX_COMPUTED" in expected:
        table = scorecard(app).set_index("Indicator")
        assert table.loc["UHC index (computed)", "Latest"] == f"{expected['UHC_INDEX_COMPUTED'][1]:.0f}"


def test_headline_delta_is_the_change_since_five_years_earlier(demo_db):
    year, estimate = latest_national(demo_db, "UGA", "UHC_INDEX_COMPUTED")
    before_year, before = demo_db.connection.execute(
        "select year, estimate from fct_indicator_value where indicator_code = 'UHC_INDEX_COMPUTED' and iso3 = 'UGA'"
        " and dimension = 'Total' and admin1_code is null and estimate is not null and year <= ?"
        " order by year desc limit 1", [year - 5]).fetchone()
    metric = run(country="UGA").metric[0]
    assert metric.delta == str(int(round(estimate - before)))
    assert metric.proto.delta_description == f"since {before_year}"


def test_percentile_matches_a_direct_count_on_the_warehouse(demo_db):
    """Recount Kenya's standing on DTP3 among lower-middle-income countries straight from the fact table."""
    frame = demo_db.connection.execute("""
        select v.iso3, v.year, v.estimate, c.income_group from fct_indicator_value v join dim_country c using (iso3)
        where v.indicator_code = 'SH.IMM.IDPT' and v.dimension = 'Total' and v.admin1_code is null
          and v.estimate is not null and not c.is_aggregate""").df()
    own = frame[frame["iso3"] == "KEN"].sort_values("year").iloc[-1]
    peers = frame[(frame["income_group"] == "Lower middle income") & (frame["iso3"] != "KEN")
                  & (frame["year"] <= own["year"])].sort_values("year").groupby("iso3").last()
    score = (peers["estimate"] < own["estimate"]).sum() + 0.5 * (peers["estimate"] == own["estimate"]).sum()
    expected = f"better than {int(100 * score / len(peers) + 0.5)}% (of {len(peers)})"
    table = scorecard(run(country="KEN")).set_index("Indicator")
    assert table.loc["DTP3 coverage", "income_group"] == expected


@pytest.mark.parametrize("iso3", ["KEN", "NOR"])
def test_every_building_block_shows_at_least_four_indicators_with_values(demo_db, iso3):
    from dashboard import catalogue

    held = dict(demo_db.connection.execute("""
        select i.building_block, count(distinct v.indicator_code) from fct_indicator_value v
        join dim_indicator i using (indicator_code)
        where v.iso3 = ? and v.dimension = 'Total' and v.admin1_code is null and v.estimate is not null
        group by 1""", [iso3]).fetchall())
    for block in catalogue.BUILDING_BLOCKS:
        app = run(country=iso3, block=block)
        assert not app.exception and open_tab(app) == [block]
        table = scorecard(app)
        shown = table[table["Latest"].str.strip() != ""]
        assert len(shown) == len(table) == held[block] >= 4, (iso3, block, list(table["Indicator"]))


def test_governance_block_shows_the_wgi_estimates_and_the_ihr_score(demo_db):
    table = scorecard(run(country="KEN", block="Leadership and governance")).set_index("Indicator")
    assert {"Government effectiveness (WGI)", "Control of corruption (WGI)", "Voice and accountability (WGI)",
            "Regulatory quality (WGI)", "IHR SPAR capacity score"} <= set(table.index)
    year, estimate = latest_national(demo_db, "KEN", "GE.EST")
    assert table.loc["Government effectiveness (WGI)", "Latest"] == f"{estimate:,.2f}"
    assert table.loc["Government effectiveness (WGI)", "Unit"] == "estimate (-2.5 to 2.5)"
    assert str(year) in table.loc["Government effectiveness (WGI)", "Year"]


def test_url_sets_country_and_block_and_changes_are_written_back():
    app = run(country="UGA", block="Outcomes")
    assert not app.exception
    assert app.title[0].value == "Country profile: Uganda" and app.selectbox[0].value == "UGA"
    assert open_tab(app) == ["Outcomes"]
    assert "Under-5 mortality" in set(scorecard(app)["Indicator"])
    app.selectbox[0].set_value("BRA").run()
    assert app.title[0].value == "Country profile: Brazil"
    link = {name: param(app, name) for name in ("country", "block")}
    assert link == {"country": "BRA", "block": "Outcomes"}
    reopened = run(**link)
    assert reopened.title[0].value == "Country profile: Brazil" and open_tab(reopened) == ["Outcomes"]


def test_unknown_country_and_block_fall_back_with_notes():
    app = run(country="XXX", block="Nowhere")
    assert not app.exception
    notes = " ".join(i.value for i in app.info)
    assert "Unknown country “XXX”" in notes and "Unknown building block “Nowhere”" in notes
    assert app.title[0].value == "Country profile: Kenya" and open_tab(app) == ["Service delivery"]


def test_equity_and_capacity_snapshots_for_kenya(demo_db):
    wealth = demo_db.connection.execute("""
        select v.indicator_code, i.short_name, i.decimals, v.year, v.subgroup_order, v.estimate
        from fct_indicator_value v join dim_indicator i using (indicator_code)
        where v.iso3 = 'KEN' and v.dimension = 'Economic status (wealth quintile)' and v.admin1_code is null
          and i.domain = 'coverage' and v.estimate is not null""").df()
    wide = wealth.pivot_table(index=["indicator_code", "short_name", "decimals", "year"], columns="subgroup_order",
                              values="estimate").dropna(subset=[1, 5]).reset_index()
    latest = wide.sort_values("year").groupby("indicator_code").last()
    latest["gap"] = latest[5] - latest[1]
    top = latest.loc[latest["gap"].abs().idxmax()]
    app = run(country="KEN")
    markdown = " ".join(m.value for m in app.markdown)
    d = int(top["decimals"])
    assert (f"**{top['short_name']}, {int(top['year'])}: poorest {top[1]:.{d}f}%, richest {top[5]:.{d}f}%, "
            f"gap {top['gap']:.{d}f} points** — the largest gap among coverage indicators.") in markdown
    assert "respondents** · HPSR capacity self-assessment" in markdown
    assert len(app.get("vega_lite_chart")) == 2


def test_country_without_disaggregated_or_survey_data_says_so():
    app = run(country="NOR")
    assert not app.exception
    captions = " ".join(c.value for c in app.caption)
    assert "No disaggregated data for this country (wealth quintiles of coverage indicators)." in captions
    assert "No capacity-survey respondents from this country." in captions


def test_small_capacity_groups_are_suppressed_with_a_note(monkeypatch):
    monkeypatch.setenv("HSS_SUPPRESSION_THRESHOLD", "1000")
    app = run(country="KEN")
    assert not app.exception
    captions = " ".join(c.value for c in app.caption)
    assert "Not shown (individual, organisational, network): fewer than 1000 respondents" in captions
    assert len(app.get("vega_lite_chart")) == 1  # only the equity chart is left


def test_country_without_income_group_renders():
    app = run(country="VEN")
    assert not app.exception
    assert "no income group" in app.caption[0].value
    assert set(scorecard(app)["income_group"]) == {"no peer values"}


def test_fixture_warehouse_numbers(fixture_warehouse, use_warehouse):
    use_warehouse(fixture_warehouse)
    app = run(country="KEN")
    assert not app.exception
    assert len(app.metric) == 0  # no UHC indicators in the fixture
    assert [tab.label for tab in app.tabs] == ["Service delivery", "Health financing", "Outcomes"]
    assert scorecard(app).drop(columns="Trend").to_dict("records") == [{
        "Indicator": "Fixture coverage", "Latest": "70.0", "Year": "2015",
        "who_region": "ahead of the only peer with a value", "income_group": "behind the only peer with a value", "Unit": "%"}]
    markdown = " ".join(m.value for m in app.markdown)
    assert "**Fixture coverage, 2015: poorest 50.0%, richest 90.0%, gap 40.0 points**" in markdown
    # Kenya's 6 of 9 respondents are fewer than the threshold of 10: neither counted nor summarised.
    assert "**Respondents: a small group, not counted** · Fixture capacity survey, 2023" in markdown
    captions = " ".join(c.value for c in app.caption)
    assert "Not shown (individual, organisational, network): fewer than 10 respondents" in captions


def test_fixture_country_without_values_shows_an_empty_state(fixture_warehouse, use_warehouse):
    use_warehouse(fixture_warehouse)
    app = run(country="TZA", block="Outcomes")
    assert not app.exception
    assert app.title[0].value == "Country profile: Tanzania"
    assert "No national values for Tanzania in this warehouse." in app.warning[0].value
    assert len(app.tabs) == 0 and len(app.dataframe) == 0
