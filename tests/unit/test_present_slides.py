"""Slide renderers: each page's view re-drawn from the warehouse, with placeholders for what has vanished."""

import pytest

from dashboard import db
from dashboard.present import slides


@pytest.fixture(autouse=True)
def on_demo(demo_warehouse, use_warehouse):
    use_warehouse(demo_warehouse)


def rows_of(spec: dict) -> list[dict]:
    return [row for rows in spec.get("datasets", {}).values() if isinstance(rows, list) for row in rows]


def test_trend_slide_plots_the_query_values(demo_db):
    shown = slides.render("trends", {"indicator": "SH.IMM.IDPT", "countries": "KEN,UGA", "start": "2010",
                                     "end": "2015"})
    assert shown.message is None and shown.heading == "DTP3 coverage, 2010–2015"
    kenya = {row["year"]: row["value"] for row in rows_of(shown.spec) if row.get("iso3") == "KEN"}
    expected = db.run(demo_db.connection, "indicators/trend_by_country_year", indicator_codes=["SH.IMM.IDPT"],
                      iso3_codes=["KEN"]).set_index("year")["estimate"].loc[2010:2015].to_dict()
    assert kenya == expected
    assert shown.synthetic and shown.source.startswith("Source: Synthetic demo data")
    assert shown.source.split(".")[0] in str(shown.spec["title"])  # the note is written on the chart


@pytest.mark.parametrize("page,params", [
    ("overview", {"indicator": "SH.IMM.IDPT", "year": "2020"}),
    ("overview", {"indicator": "SH.IMM.IDPT", "view": "distribution"}),
    ("trends", {"mode": "indicators", "country": "KEN"}),
    ("country", {"country": "KEN"}),
    ("coverage", {"country": "KEN", "tab": "Index and tracers"}),
    ("coverage", {"country": "KEN", "tab": "What if", "whatif": "dtp3:95"}),
    ("coverage", {"country": "KEN", "tab": "Care cascades"}),
    ("equity", {"country": "KEN", "indicator": "SH.IMM.IDPT"}),
    ("equity", {"country": "KEN", "indicator": "SH.IMM.IDPT", "tab": "Benchmark"}),
    ("capacity", {"measure": "gap"}),
])
def test_every_page_draws_a_chart_slide(page, params):
    shown = slides.render(page, params)
    assert shown.message is None, shown.message
    assert shown.spec and rows_of(shown.spec) and shown.source.startswith("Source:")


def test_country_slide_carries_the_headline_numbers():
    shown = slides.render("country", {"country": "KEN"})
    labels = [label for label, _ in shown.metrics]
    assert labels[0].startswith("UHC index · ") and labels[-1] == "Largest wealth gap"


@pytest.mark.parametrize("page,params,text", [
    ("trends", {"indicator": "VANISHED.CODE", "countries": "KEN"}, "The indicator “VANISHED.CODE” is not in this"),
    ("overview", {"indicator": "VANISHED.CODE"}, "The indicator “VANISHED.CODE” is not in this"),
    ("trends", {"indicator": "SH.IMM.IDPT", "countries": "KEN,ATLANTIS"}, "The country “ATLANTIS” is not in this"),
    ("country", {"country": "ATLANTIS"}, "The country “ATLANTIS” is not in this"),
    ("coverage", {"country": "ATLANTIS"}, "The country “ATLANTIS” is not in this"),
    ("equity", {"country": "KEN", "indicator": "VANISHED.CODE"}, "The indicator “VANISHED.CODE” is not in this"),
    ("nowhere", {}, "names a page “nowhere” the dashboard does not have"),
])
def test_a_vanished_indicator_or_country_gives_a_placeholder(page, params, text):
    shown = slides.render(page, params)
    assert shown.spec is None and text in shown.message


def test_present_mode_enlarges_type_and_marks():
    spec = slides.render("trends", {"indicator": "SH.IMM.IDPT", "countries": "KEN"}).spec
    big = slides.for_present(spec)
    assert big["config"]["axis"]["labelFontSize"] == 20 > spec["config"]["axis"]["labelFontSize"]
    assert big["config"]["line"]["strokeWidth"] == 5 and spec["config"]["line"]["strokeWidth"] == 2.5


def test_capacity_slide_shows_only_suppressed_cells_as_the_page_does():
    from dashboard import data
    from dashboard.views import capacity as capacity_view
    survey = data.surveys_by_code()["survey_code"].iloc[0]
    shown = slides.render("capacity", {"survey": survey, "measure": "mean_asset", "countries": "KEN"})
    assert shown.message is None and "Kenya" in shown.heading
    expected = capacity_view.heatmap_table(data.summary_by_group(survey, ["KEN"], []), "mean_asset")
    values = [r for r in rows_of(shown.spec)]
    assert len(values) == len(expected)
    gone = slides.render("capacity", {"survey": "NO_SUCH_SURVEY"})
    assert gone.message and "not in this warehouse" in gone.message


def test_equity_region_slide_draws_the_regional_map_or_says_why_not(tmp_path, monkeypatch):
    from dashboard.charts import maps
    monkeypatch.setenv("HSS_IMPORTS_DIR", str(tmp_path))  # no imported boundaries
    shown = slides.render("equity", {"country": "BRA", "indicator": "SH.IMM.IDPT", "tab": "By region"})
    assert shown.message is None and shown.heading.startswith("Brazil: DTP3 coverage (%) by region, ")
    assert len(shown.spec["datasets"][maps.SHAPES]["features"]) == 27 and len(rows_of(shown.spec)) == 27
    assert "Natural Earth" in shown.source
    kenya = slides.render("equity", {"country": "KEN", "indicator": "SH.IMM.IDPT", "tab": "By region"})
    assert kenya.spec is None and kenya.message.startswith("No admin-1 boundaries for Kenya")
