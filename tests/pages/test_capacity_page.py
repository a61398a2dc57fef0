"""Capacity survey page: numbers shown are the suppressed SQL aggregates, the breakdown table equals the
`capacity summary` command's file, state lives in the URL and bad links fall back with a note."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from dashboard import capacity, db
from dashboard.cli import app as cli
from tests.fixtures import capacity as cx
from tests.pages import apptest
from tests.pages.apptest import open_expanders, run_page

PAGE = "pages/capacity.py"
KEYS = ("survey", "countries", "tab", "measure", "by", "level", "item", "first", "second", "indicator")
LATER = "DEMO_HPSR_CAPACITY_2023"  # the demo's later round with DEMO_LAST_YEAR = 2024


def run(**query):
    return run_page(PAGE, timeout=120, **query)


def run_open(**query):
    """`run` with the Data and downloads expanders opened (their tables are drawn only while open)."""
    return open_expanders(run(**query))


def frame_with(app, *columns) -> pd.DataFrame:
    return next(f.value for f in app.dataframe if set(columns) <= set(f.value.columns))


@pytest.fixture(scope="module")
def cx_warehouse(tmp_path_factory):
    return cx.build_capacity_fixture(tmp_path_factory.mktemp("capacity_page"))


@pytest.fixture
def on_demo(demo_warehouse, use_warehouse, monkeypatch):
    monkeypatch.setenv("HSS_SUPPRESSION_THRESHOLD", "10")
    use_warehouse(demo_warehouse)


@pytest.fixture
def on_cx(cx_warehouse, use_warehouse, monkeypatch):
    monkeypatch.setenv("HSS_SUPPRESSION_THRESHOLD", "10")
    use_warehouse(cx_warehouse)


def test_overview_heatmap_and_rankings_are_the_sql_totals(on_demo, demo_db):
    app = run_open()
    assert not app.exception, app.exception
    assert apptest.link(app, ("survey", "tab", "measure")) == {"survey": LATER, "tab": "Overview", "measure": "gap"}
    rows = db.run(demo_db.connection, "capacity/summary_by_group", survey_code=LATER, iso3_codes=[], by_fields=[],
                  threshold=10)
    shown = frame_with(app, "level", "competency", "value")
    assert len(shown) == len(rows) == 26
    merged = shown.merge(rows, on=["level", "competency"], suffixes=("", "_sql"))
    assert (merged["value"] - merged["gap_sql"]).abs().max() < 1e-12
    assert merged["n"].tolist() == merged["n_sql"].tolist()
    top = rows.loc[rows["gap"].idxmax()]
    markdown = " ".join(m.value for m in app.markdown)
    assert (f"Largest gap: {top['competency']} ({top['level']}), need {top['mean_need']:.1f} against asset "
            f"{top['mean_asset']:.1f}.") in markdown
    gaps = frame_with(app, "label", "value")
    assert gaps["value"].tolist() == sorted(rows["gap"].dropna(), reverse=True)[:6]
    assert "Demo data — synthetic" in " ".join(m.value for m in app.markdown)


def test_breakdown_table_equals_the_command_output(on_cx, cx_warehouse, tmp_path):
    app = run_open(tab="Breakdowns", by="organisation_type", measure="mean_asset")
    assert not app.exception, app.exception
    page = frame_with(app, "organisation_type", "level", "competency", "n")
    out = tmp_path / "by.csv"
    result = CliRunner().invoke(cli, ["capacity", "summary", "--by", "organisation_type", "--out", str(out)])
    assert result.exit_code == 0, result.output
    command = pd.read_csv(out, keep_default_na=False, dtype=str)
    as_text = page.astype(object).where(page.notna(), "").astype(str)
    as_text["mean_asset"] = page["mean_asset"].map(lambda v: "" if pd.isna(v) else repr(float(v)))
    assert as_text["organisation_type"].tolist() == command["organisation_type"].tolist()
    assert as_text["n"].tolist() == command["n"].tolist()
    assert [float(v) if v else None for v in command["mean_asset"]] == \
        [None if pd.isna(v) else float(v) for v in page["mean_asset"]]
    individual = page[page["level"] == "individual"].set_index("organisation_type")
    assert individual["suppressed"].to_dict() == {"Development partner": True, "Ministry of health": False,
                                                  "NGO / civil society": True, "University": False}
    assert pd.isna(individual.loc["Development partner", "n"]) and individual.loc["University", "n"] == 60


def test_a_country_selection_differing_by_a_small_country_shows_no_numbers(on_cx):
    app = run_open(countries="KEN,TZA,GHA")
    assert not app.exception
    shown = frame_with(app, "level", "competency", "value")
    assert shown["suppressed"].all() and shown["value"].isna().all() and shown["n"].isna().all()
    assert "Every cell of this selection is suppressed." in " ".join(m.value for m in app.markdown)


def test_answers_tab_shows_the_distribution_of_one_item(on_cx):
    app = run_open(tab="Answers", item="I1", by="organisation_type")
    assert not app.exception, app.exception
    table = frame_with(app, "group", "kind", "score", "answers")
    need = table[(table["group"] == "All respondents") & (table["kind"] == "need")]
    assert dict(zip(need["score"].astype(int), need["answers"].astype(int))) == \
        pd.Series([cx.need(i) for i in range(105)]).value_counts().to_dict()
    partner = table[table["group"] == "Development partner"]
    assert partner["suppressed"].all() and partner["answers"].isna().all()


def test_compare_two_groups_with_a_welch_interval(on_cx, cx_warehouse):
    app = run_open(tab="Compare two groups", by="organisation_type", first="University", second="Ministry of health",
              measure="mean_asset")
    assert not app.exception, app.exception
    table = frame_with(app, "first", "second", "difference", "lower", "upper")
    row = table[table["level"] == "individual"].iloc[0]
    warehouse = db.open_read_only(cx_warehouse)
    rows = db.run(warehouse.connection, "capacity/summary_by_group", survey_code=cx.LATER, iso3_codes=[],
                  by_fields=["organisation_type"], threshold=10)
    warehouse.connection.close()
    a = rows[(rows["organisation_type"] == "University") & (rows["level"] == "individual")].iloc[0]
    b = rows[(rows["organisation_type"] == "Ministry of health") & (rows["level"] == "individual")].iloc[0]
    expected = capacity.welch(a["mean_asset"], a["sd_asset"], a["n_asset"], b["mean_asset"], b["sd_asset"], b["n_asset"])
    assert row["difference"] == pytest.approx(expected["difference"])
    assert (row["lower"], row["upper"]) == pytest.approx((expected["lower"], expected["upper"]))
    assert apptest.link(app, ("first", "second")) == {"first": "University", "second": "Ministry of health"}


def test_change_between_rounds(on_cx):
    app = run_open(tab="Change between rounds")
    assert not app.exception, app.exception
    table = frame_with(app, "asset_before", "asset_after", "asset_change")
    assert table["item_code"].tolist() == ["I1", "I2", "I3"] and (table["lower"] > 0).all()
    assert "3 of 3 items' mean asset rose with 95% confidence" in " ".join(m.value for m in app.markdown)


def test_capacity_against_an_indicator_leaves_out_suppressed_countries(on_demo, demo_db):
    app = run_open(tab="Against indicators", indicator="UHC_INDEX_COMPUTED", level="organisational")
    assert not app.exception, app.exception
    table = frame_with(app, "iso3", "mean_asset", "estimate")
    sizes = demo_db.connection.execute(
        "select iso3, count(*) from survey_respondent where survey_code = ? group by 1", [LATER]).fetchall()
    assert (table["n"] >= 10).all() and len(table) <= sum(1 for _, n in sizes if n >= 10)
    assert "countries with enough respondents; Spearman" in " ".join(c.value for c in app.caption)


def test_bad_link_values_fall_back_with_notes(on_demo):
    app = run(survey="NOPE", by="organisation_name", tab="Nowhere")
    assert not app.exception
    notes = " ".join(i.value for i in app.info).replace("\\_", "_")  # shown as plain text, `_` escaped
    assert "Unknown survey “NOPE”" in notes and "Unknown breakdown “organisation_name”" in notes
    assert apptest.link(app, ("survey", "by", "tab")) == {"survey": LATER, "by": "regional_network", "tab": "Overview"}
