"""Coverage & quality page: URL state round-trips, bad links fall back with notes, and every number shown is
dashboard.uhc's result on the warehouse's values (tracer scores, what-if, subgroups, cascades)."""

import numpy as np
import pandas as pd
import pytest

from dashboard import catalogue, db, uhc
from dashboard.uhc import warehouse as uhc_warehouse
from dashboard.views import coverage as view
from tests.pages import apptest
from tests.pages.apptest import open_expanders, run_page

PAGE = "pages/coverage.py"
KEYS = ("country", "year", "tab", "whatif", "by")


def run(**query):
    return run_page(PAGE, timeout=120, **query)


def run_open(**query):
    """`run` with the Data and downloads expanders opened (their tables are drawn only while open)."""
    return open_expanders(run(**query))


def link(app) -> dict:
    return apptest.link(app, KEYS)


def dataframe_with(app, column: str) -> pd.DataFrame:
    return next(frame.value for frame in app.dataframe if column in frame.value.columns)


@pytest.fixture
def on_demo(demo_warehouse, use_warehouse):
    use_warehouse(demo_warehouse)


def tracer_inputs(demo_db) -> pd.DataFrame:
    tracer_map = catalogue.uhc_tracers()
    rows = db.run(demo_db.connection, "coverage/tracer_values_by_country_year",
                  indicator_codes=sorted(set(tracer_map["indicator_code"])))
    return uhc_warehouse.tracer_values(rows, tracer_map)


def country_scores(demo_db, iso3: str, year: int) -> pd.DataFrame:
    countries = catalogue.countries()
    return uhc.country_scores(tracer_inputs(demo_db)[["iso3", "year", "tracer", "value"]], iso3, year,
                              regions=dict(zip(countries["iso3"], countries["who_region"])))


def test_controls_are_written_to_the_url_and_restore_the_view(on_demo):
    app = run(country="UGA", year="2019", tab="By subgroup", whatif="dtp3:10", by="residence")
    assert not app.exception, app.exception
    assert not app.info  # every parameter was valid
    assert app.selectbox[0].value == "UGA" and app.select_slider[0].value == 2019
    assert app.segmented_control[0].value == "residence"
    assert link(app) == {"country": "UGA", "year": "2019", "tab": "By subgroup", "whatif": "dtp3:10",
                         "by": "residence"}
    app.segmented_control[0].set_value("region").run()
    app.select_slider[0].set_value(2021).run()
    url = link(app)
    assert url["by"] == "region" and url["year"] == "2021" and url["whatif"] == "dtp3:10"
    reopened = run(**url)
    assert not reopened.exception and not reopened.info
    assert reopened.selectbox[0].value == "UGA" and reopened.select_slider[0].value == 2021
    assert reopened.segmented_control[0].value == "region" and link(reopened) == url


def test_bad_parameters_fall_back_with_notes(on_demo, demo_db):
    app = run(country="ATLANTIS", year="1800", tab="Elsewhere", whatif="dtp3:ten,zz:1", by="moon")
    assert not app.exception, app.exception
    notes = " ".join(note.value for note in app.info)
    for label in ("country", "year", "view", "subgroup dimension"):
        assert f"Unknown {label}" in notes
    assert "Ignored what-if settings “dtp3:ten”, “zz:1” in the link" in notes
    rows = db.run(demo_db.connection, "coverage/index_series_by_year", iso3="KEN",
                  indicator_codes=list(view.INDEX_CODES))
    published = rows[rows["indicator_code"] == "UHC_INDEX_REPORTED"]["year"].max()
    assert link(app) == {"country": "KEN", "year": str(published), "tab": "Index and tracers", "whatif": "",
                         "by": "wealth"}


def test_the_what_if_shown_is_dashboard_uhc_on_the_moved_tracers(on_demo, demo_db):
    app = run_open(country="KEN", year="2022", tab="What if", whatif="dtp3:10,hospital_beds_per_10k:-5")
    assert not app.exception, app.exception
    scores = country_scores(demo_db, "KEN", 2022)
    now = dict(zip(scores["tracer"], scores["score"].round().clip(1, 100).astype(int)))
    moved = {"dtp3": min(now["dtp3"] + 10, 100), "hospital_beds_per_10k": now["hospital_beds_per_10k"] - 5}
    expected = uhc.what_if(scores, moved)
    shown = dataframe_with(app, "scenario").set_index("measure")
    for measure in view.MEASURES:
        assert shown.loc[measure, "scenario"] == pytest.approx(expected[measure], abs=1e-9)
        assert shown.loc[measure, "now"] == pytest.approx(uhc.what_if(scores, {})[measure], abs=1e-9)
    assert app.metric[0].value == f"{expected['index']:.1f}"
    sliders = {s.key.rsplit(".", 1)[-1]: s.value for s in app.slider}
    assert sliders["dtp3"] == moved["dtp3"] and sliders["art"] == now["art"]
    gains = dataframe_with(app, "sentence")
    scenario = dict(zip(scores["tracer"], scores["score"]), **{k: float(v) for k, v in moved.items()})
    pd.testing.assert_series_equal(gains["gain"], uhc.marginal_gains(scenario)["gain"], check_names=False)
    # Moving a slider recomputes at once and writes the move to the link.
    slider = next(s for s in app.slider if s.key.endswith(".art"))
    slider.set_value(now["art"] + 20).run()
    assert link(app)["whatif"] == "dtp3:10,art:20,hospital_beds_per_10k:-5"  # in the tracers' official order
    again = uhc.what_if(scores, {**moved, "art": now["art"] + 20})
    assert dataframe_with(app, "scenario").set_index("measure").loc["index", "scenario"] == \
        pytest.approx(again["index"], abs=1e-9)


def test_the_tracer_scores_shown_are_the_stored_values_rescaled(on_demo, demo_db):
    app = run_open(country="KEN", year="2022")
    assert not app.exception, app.exception
    shown = dataframe_with(app, "status").set_index("tracer")
    assert len(shown) in (13, 14)
    inputs = tracer_inputs(demo_db)
    stored = inputs[(inputs["iso3"] == "KEN") & (inputs["year"] == 2022)].set_index("tracer")["value"]
    observed = shown[shown["status"] == "observed"]
    assert len(observed) >= 3
    for tracer, row in observed.iterrows():
        if tracer == "health_workforce":
            cadres = uhc.TRACERS[uhc.TRACER_KEYS.index("health_workforce")].inputs
            expected = np.exp(np.mean([np.log(uhc.rescale(c, stored[c])) for c in cadres]))
        else:
            expected = uhc.rescale(tracer, stored[tracer])
        assert row["score"] == pytest.approx(expected, abs=1e-9), tracer
    index = db.run(demo_db.connection, "coverage/index_series_by_year", iso3="KEN",
                   indicator_codes=["UHC_INDEX_COMPUTED"]).set_index("year").loc[2022, "estimate"]
    assert app.metric[0].value == f"{index:.1f}"
    assert uhc.what_if(shown.reset_index(), {})["index"] == pytest.approx(index, abs=1e-9)
    sentence = next(m.value for m in app.markdown if "held down most by" in m.value)
    assert uhc.binding_constraint(country_scores(demo_db, "KEN", 2022)).sentence[4:] in sentence


def test_subgroups_are_the_rmnch_sub_index_of_the_survey_values(on_demo, demo_db):
    app = run_open(country="KEN", year="2024", tab="By subgroup", by="wealth")
    assert not app.exception, app.exception
    table = dataframe_with(app, "tracers_used")
    assert set(table["measure"]) == {"rmnch"} and len(table) == 5
    year = int(table["year"].iloc[0])
    rows = demo_db.connection.execute(
        "select indicator_code, subgroup, estimate from fct_indicator_value where iso3 = 'KEN' and year = ? "
        "and dimension = 'Economic status (wealth quintile)' and indicator_code in "
        "('SH.FPL.SATM.ZS', 'WHS4_154', 'SH.IMM.IDPT', 'SH.STA.ARIC.ZS')", [year]).df()
    wide = rows.pivot(index="subgroup", columns="indicator_code", values="estimate")
    expected = np.exp(np.log(wide.clip(1, 100)).mean(axis=1))
    assert table.set_index("subgroup")["value"].to_dict() == pytest.approx(expected.to_dict(), abs=1e-9)
    caption = " ".join(c.value for c in app.caption)
    assert f"RMNCH sub-index by wealth quintile, survey of {year}, computed with dashboard.uhc from the subgroup " \
           "values of family planning" in caption


def test_every_demo_cascade_step_is_at_most_the_one_before(demo_db):
    definitions = catalogue.cascades()
    values = demo_db.connection.execute(
        "select iso3, year, indicator_code, estimate from national_value where estimate is not null "
        "and list_contains(?, indicator_code)", [view.cascade_codes(definitions)]).df()
    levels = view.cascade_levels(values, definitions).sort_values(["cascade", "iso3", "year", "step"])
    previous = levels.groupby(["cascade", "iso3", "year"])["level"].shift()
    pairs = levels.assign(previous=previous).dropna(subset=["previous"])
    steps = pairs[pairs["step"] > 1]
    assert len(steps) > 10_000
    assert set(steps["cascade"]) == set(definitions["cascade"])
    assert (steps["level"] <= steps["previous"]).all(), steps[steps["level"] > steps["previous"]].head()


def test_the_cascades_shown_fall_step_by_step(on_demo):
    app = run_open(country="KEN", year="2024", tab="Care cascades")
    assert not app.exception, app.exception
    table = dataframe_with(app, "loss_label")
    assert set(table["cascade"]) == set(catalogue.cascades()["cascade"])
    for _, steps in table.groupby("cascade"):
        assert steps["level"].is_monotonic_decreasing and steps["level"].iloc[0] == 100
    assert (table["loss"].dropna() >= 0).all()
    assert "Each cascade at its latest year at or before 2024 with every step" in " ".join(c.value for c in app.caption)


def test_financial_protection_highlights_the_country_among_its_peers(on_demo):
    app = run_open(country="KEN", year="2024", tab="Financial protection")
    assert not app.exception, app.exception
    tables = [frame.value for frame in app.dataframe if "group" in frame.value.columns]
    assert len(tables) == 2
    for table in tables:
        kenya = table.set_index("iso3").loc["KEN"]
        assert kenya["group"] == "Chosen country" and kenya["year"] <= 2024
        assert set(table.loc[table["group"] == "Same WHO region and income group", "who_region"]) == {"AFR"}
    caption = " ".join(c.value for c in app.caption)
    assert "Kenya (" in caption and "catastrophic health spending" in caption


def test_a_warehouse_without_tracers_shows_empty_states(fixture_warehouse, use_warehouse):
    use_warehouse(fixture_warehouse)
    for tab in ("Index and tracers", "What if", "By subgroup", "Care cascades", "Financial protection"):
        app = run(country="KEN", tab=tab)
        assert not app.exception, (tab, app.exception)
        assert app.warning, tab
    assert "No UHC index can be computed for Kenya" in run(country="KEN").warning[0].value
