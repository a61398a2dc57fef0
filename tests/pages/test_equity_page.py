"""Equity page: URL state round-trips, bad parameters fall back with notes, numbers match the warehouse."""

import pandas as pd
import pytest

from dashboard import contract, db, equity
from tests.pages import apptest
from tests.pages.apptest import open_expanders, run_page

PAGE = "pages/equity.py"
KEYS = ("country", "indicator", "dimension", "measure", "ci", "tab", "group", "year")


def run(**query):
    return run_page(PAGE, timeout=90, **query)


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


def test_controls_are_written_to_the_url_and_restore_the_view(on_demo):
    app = run(country="UGA", indicator="MDG_0000000025", dimension=contract.DIM_EDUCATION, measure="sii", ci="1")
    assert not app.exception, app.exception
    assert [box.value for box in app.selectbox] == ["UGA", "MDG_0000000025", contract.DIM_EDUCATION, "sii"]
    assert app.toggle[0].value is True
    assert not app.info  # every parameter was valid
    app.selectbox[2].set_value(contract.DIM_SEX).run()
    # SII does not apply to a two-group dimension: the picker falls back to the difference, silently.
    assert app.selectbox[3].value == "d" and not app.info
    assert app.selectbox[3].options == ["Difference (D)", "Ratio (R)", "Population attributable risk (PAR)",
                                        "Population attributable fraction (PAF)"]
    url = link(app)
    assert url["dimension"] == contract.DIM_SEX and url["measure"] == "d" and url["ci"] == "1"
    reopened = run(**url)
    assert not reopened.exception
    assert [box.value for box in reopened.selectbox] == ["UGA", "MDG_0000000025", contract.DIM_SEX, "d"]
    assert reopened.toggle[0].value is True


def test_bad_parameters_fall_back_with_notes(on_demo, demo_db):
    app = run(country="ATLANTIS", indicator="NOT_AN_INDICATOR", dimension="Star sign", measure="xyz",
              ci="maybe", tab="Elsewhere", group="moon", year="1800")
    assert not app.exception, app.exception
    notes = " ".join(note.value for note in app.info)
    for label in ("country", "indicator", "dimension", "summary measure", "confidence intervals", "view",
                  "benchmark group", "year"):
        assert f"Unknown {label}" in notes
    assert [box.value for box in app.selectbox] == ["KEN", "SH.IMM.IDPT", contract.DIM_WEALTH, "d"]
    assert app.toggle[0].value is False
    dims = db.run(demo_db.connection, "equity/dimensions_by_indicator", iso3="KEN").set_index(
        ["indicator_code", "dimension"])
    last_survey = dims.loc[("SH.IMM.IDPT", contract.DIM_WEALTH), "benchmark_last_year"]
    assert link(app)["tab"] == "Over time" and link(app)["year"] == str(last_survey)


def test_a_measure_that_does_not_apply_to_the_dimension_falls_back_with_a_note(on_demo):
    app = run(country="KEN", indicator="SH.IMM.IDPT", dimension=contract.DIM_SEX, measure="sii")
    assert app.selectbox[3].value == "d"
    assert [note.value for note in app.info] == ["Unknown summary measure “sii” in the link; showing “d” instead."]


def test_latest_measures_and_readings_match_the_warehouse(on_demo, demo_db):
    app = run_open(country="KEN", indicator="SH.IMM.IDPT", dimension=contract.DIM_WEALTH, measure="d")
    rows = db.run(demo_db.connection, "equity/subgroups_by_year", iso3="KEN", indicator_code="SH.IMM.IDPT",
                  dimension=contract.DIM_WEALTH)
    latest = rows["year"].max()
    expected = equity.summary_measures(rows[rows["year"] == latest]).set_index("measure")
    table = dataframe_with(app, "What it measures").set_index("Code")
    assert table.index.tolist() == ["D", "R", "ACI", "RCI", "SII", "RII", "PAR", "PAF"]
    assert table.loc["D", "Estimate"] == round(expected.loc["d", "estimate"], 1)
    assert table.loc["SII", "CI upper"] == round(expected.loc["sii", "ci_upper"], 1)
    assert app.subheader[0].value == f"All applicable measures, {latest}"
    readings = [m.value for m in app.markdown if m.value.startswith("- **")]
    assert len(readings) == rows["year"].nunique()
    assert readings[-1].startswith(f"- **{latest}** — DTP3 coverage among Quintile 5 (richest) is ")
    equiplot = dataframe_with(app, "subgroup_order")
    assert len(equiplot) == len(rows) and set(equiplot["subgroup"]) == set(rows["subgroup"])


def test_benchmark_tab_shows_the_measure_for_the_income_group(on_demo, demo_db):
    app = run_open(country="KEN", indicator="SH.IMM.IDPT", dimension=contract.DIM_WEALTH, measure="d",
              tab="Benchmark", group="income", year="2020")
    assert not app.exception, app.exception
    assert app.segmented_control[0].value == "income" and app.slider[0].value == 2020
    caption = " ".join(c.value for c in app.caption)
    assert "lower middle income countries, each at its latest survey at or before 2020" in caption
    scatter = dataframe_with(app, "national_basis")
    assert set(scatter["income_group"]) == {"Lower middle income"} and scatter["estimate"].notna().all()
    kenya = scatter.set_index("iso3").loc["KEN"]
    assert bool(kenya["is_selected"]) and kenya["year"] <= 2020
    rows = db.run(demo_db.connection, "equity/subgroups_by_year", iso3="KEN", indicator_code="SH.IMM.IDPT",
                  dimension=contract.DIM_WEALTH)
    survey = rows[rows["year"] == kenya["year"]]
    assert kenya["estimate"] == pytest.approx(equity.summary_measures(survey).set_index("measure").loc["d", "estimate"])
    assert f"in {len(scatter)} lower middle income countries" in caption
    app.segmented_control[0].set_value("region").run()
    assert link(app)["group"] == "region" and link(app)["tab"] == "Benchmark"
    assert set(dataframe_with(app, "national_basis")["who_region"]) == {"AFR"}


def test_a_change_in_subgroups_is_named_in_a_warning(tmp_path, use_warehouse):
    from tests.fixtures.equity.warehouse import CODE, build_equity_fixture

    use_warehouse(build_equity_fixture(tmp_path))
    app = run(country="KEN", indicator=CODE, dimension=contract.DIM_SUBNATIONAL)
    assert not app.exception, app.exception
    assert [w.value for w in app.warning] == [
        "The Subnational region subgroups change between survey years, so summary measures are not strictly "
        "comparable over time. 2010 → 2015: added Rift North, Rift South; removed Rift."]
    assert app.selectbox[3].options[2] == "Between-group variance (BGV)"
    quiet = run(country="KEN", indicator=CODE, dimension=contract.DIM_WEALTH)
    assert not quiet.warning


def test_a_warehouse_without_subgroups_says_so(tmp_path, use_warehouse):
    from dashboard import build
    from dashboard.sources import imports
    from tests.fixtures.warehouse import synthetic_import

    store = tmp_path / "imports"
    imports.write(synthetic_import(), store)
    build.build(target=use_warehouse(tmp_path / "w.duckdb"), demo_scale=None, imports_dir=store)
    app = run()
    assert not app.exception, app.exception
    assert app.warning[0].value == "No disaggregated (subgroup) values in this warehouse."
