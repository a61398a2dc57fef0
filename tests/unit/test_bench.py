"""The benchmark runs end to end on a tiny warehouse and reports every page, query, baseline and build
figure; its parts keep their promises (a stopped page run, the pandas baseline's rows). No test here looks
at how long anything took."""

import json
import numbers
import shutil
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dashboard import bench, bench_baseline, bench_pages, db, navigation
from dashboard.cli import app


def is_number(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench") / "results.json"
    run = CliRunner().invoke(app, ["bench", "--scale", "1", "--out", str(out), "--repeats", "1", "--no-browser",
                                   "--compare-scale", "0"])
    assert run.exit_code == 0, run.output
    return json.loads(out.read_text()), out.with_suffix(".md").read_text()


def test_every_page_of_the_navigation_has_timed_first_runs_and_warm_reruns(results):
    data, _ = results
    by_page: dict[str, list[dict]] = {}
    for entry in data["pages"]:
        by_page.setdefault(entry["url_path"], []).append(entry)
    assert set(by_page) == {page.url_path for page in navigation.PAGES}
    for url_path, entries in by_page.items():
        assert entries[0]["interaction"] == bench.DEFAULT_VIEW
        assert [e["interaction"] for e in entries[1:]] == list(bench.SCRIPTS.get(url_path, {}))
        for entry in entries:
            assert entry["status"] == "ok" and not entry["exceptions"] and not entry["fallbacks"], entry
            for kind in ("first", "warm"):
                assert is_number(entry[kind]["median_ms"]) and is_number(entry[kind]["p95_ms"]), entry


def test_a_page_without_a_script_is_measured_in_its_default_view(results):
    data, _ = results
    unscripted = [page.url_path for page in navigation.PAGES if page.url_path not in bench.SCRIPTS]
    assert unscripted, "every page has a script: this test needs a page without one"
    for url_path in unscripted:
        entries = [e for e in data["pages"] if e["url_path"] == url_path]
        assert [e["interaction"] for e in entries] == [bench.DEFAULT_VIEW]


def test_queries_are_timed_against_their_floors_and_those_without_one_are_listed(results):
    data, markdown = results
    timed = {q["query"]: q for q in data["queries"]}
    assert set(bench.floor_names()) <= set(timed)
    for name, entry in timed.items():
        assert is_number(entry["warm"]["median_ms"]) and is_number(entry["warm"]["p95_ms"])
        if name in bench.floor_names():
            assert entry["floor"]["rows"] == entry["rows"] and is_number(entry["ratio"]), entry
        else:
            assert entry["floor"] is None and entry["note"] == "no floor file"
            assert f"| `{name}` |" in markdown and "no floor file" in markdown


def test_the_pandas_baseline_has_ratios_for_overview_and_trends(results):
    data, _ = results
    baseline = data["baseline"]
    assert baseline["status"] == "ok" and is_number(baseline["load_seconds"]) and is_number(baseline["peak_mb"])
    assert [v["view"].split(":")[0] for v in baseline["views"]] == ["Overview", "Trends"]
    for view in baseline["views"]:
        assert is_number(view["ratio"]) and is_number(view["app_cached"]["median_ms"])


def test_build_figures_and_machine_are_recorded(results):
    data, _ = results
    warehouse = data["warehouse"]
    assert warehouse["reused"] is False and warehouse["row_counts"]["fct_indicator_value"] > 0
    for figure in ("build_seconds", "build_peak_mb", "size_mb", "pages_peak_mb"):
        assert is_number(warehouse[figure]), figure
    assert set(data["machine"]) >= {"cores", "memory_gb", "python"}
    assert data["browser"]["status"] == "not measured (--no-browser)"


def test_the_extract_is_measured_with_every_row_written(results):
    data, markdown = results
    extract = data["extract"]
    assert extract["status"] == "ok"
    assert extract["rows"] == extract["expected_rows"] > 0  # at scale 1 every national value (< 5 million)
    warehouse = db.open_read_only(Path(data["warehouse"]["file"]))
    try:
        national, indicators = warehouse.connection.execute(
            "select count(*), count(distinct indicator_code) from fct_indicator_value "
            "where dimension = 'Total' and admin1_code is null").fetchone()
    finally:
        warehouse.connection.close()
    assert (extract["rows"], extract["indicators"]) == (national, indicators)
    for figure in ("seconds", "peak_mb", "file_mb"):
        assert is_number(extract[figure]), figure
    assert f"wrote {extract['rows']:,} rows to parquet" in markdown


def test_heat_measures_are_timed_per_indicator_and_dimension(results):
    data, markdown = results
    heat = data["equity_measures"]
    assert heat and all(h["survey_years"] >= 1 and h["subgroups"] >= 2 for h in heat)
    assert all(is_number(h["all_years"]["median_ms"]) and is_number(h["per_group_median_ms"]) for h in heat)
    assert "HEAT summary measures computed in Python" in markdown


def test_markdown_has_the_page_query_and_baseline_tables(results):
    _, markdown = results
    assert "| page | interaction | first run | warm rerun |" in markdown
    assert "| query | rows | warm median | floor median | ratio |" in markdown
    assert "| result | pandas in memory | app, new parameters | pandas ÷ app |" in markdown
    for page in navigation.PAGES:
        assert f"| {page.title} | {bench.DEFAULT_VIEW} |" in markdown


def test_a_comparison_scale_is_shown_beside_each_page(results):
    data, _ = results
    data = json.loads(json.dumps(data))
    other = json.loads(json.dumps(data["pages"]))
    bench._with_comparison(data["pages"], other, 2)
    data["compare"] = {"scale": 2, "warehouse": data["warehouse"]}
    assert all(is_number(e["ratio"]["first"]) and is_number(e["ratio"]["warm"]) for e in data["pages"])
    assert "| scale 2 first / warm (median) | ratio first / warm |" in bench.to_markdown(data)


def test_reuse_keeps_the_figures_of_the_build(results, tmp_path):
    data, _ = results
    directory = tmp_path
    source = data["warehouse"]["file"]
    target = directory / "warehouse-scale1.duckdb"
    shutil.copy(source, target)
    target.with_suffix(".build.json").write_text(json.dumps({"build_seconds": 1.5, "build_peak_mb": 10}))
    reused = bench.build_warehouse(1, directory, reuse=True, progress=lambda message: None)
    assert reused["reused"] is True and reused["build_seconds"] == 1.5 and reused["build_peak_mb"] == 10


def test_a_page_run_over_the_timeout_is_stopped_and_the_next_interaction_still_runs(tmp_path, fixture_warehouse):
    slow, quick = tmp_path / "slow.py", tmp_path / "quick.py"
    slow.write_text(textwrap.dedent("""
        import time
        import streamlit as st
        st.title("Slow")
        while True:
            time.sleep(0.05)
    """))
    quick.write_text("import streamlit as st\nst.title('Quick')\n")
    plans = [bench_pages.PagePlan("slow", "Slow", None, [bench_pages.Interaction("open", [{}], True)], app=str(slow)),
             bench_pages.PagePlan("quick", "Quick", None, [bench_pages.Interaction("open", [{}], True)],
                                  app=str(quick))]
    outcomes, _ = bench_pages.measure(fixture_warehouse, plans, repeats=1, timeout=2, log=tmp_path / "log",
                                      progress=lambda message: None)
    assert outcomes[("slow", "open")].status == "timed out after 2 s"
    assert outcomes[("slow", "open")].first_ms == []
    assert outcomes[("quick", "open")].status == "ok" and len(outcomes[("quick", "open")].warm_ms) == 1


def test_pandas_baseline_returns_the_rows_of_the_app_queries(fixture_db):
    connection = fixture_db.connection
    values = bench_baseline.load_values(connection)
    countries = connection.execute("select * from dim_country").df()
    indicators = connection.execute("select * from dim_indicator").df()
    for code, year, who in [("FX.COV", 2015, []), ("FX.MORT", 2012, ["AFR"]), ("FX.SYN", 2015, [])]:
        expected = db.run(connection, "indicators/latest_by_country", indicator_code=code, year=year,
                          who_regions=who, income_groups=[])
        got = bench_baseline.latest_by_country(values, countries, indicators, code, year, who_regions=who)
        assert_same(got, expected)
    expected = db.run(connection, "indicators/trend_by_country_year", indicator_codes=["FX.COV"],
                      iso3_codes=["KEN", "UGA", "BRA"])
    assert_same(bench_baseline.trend_by_country_year(values, countries, ["FX.COV"], ["KEN", "UGA", "BRA"]), expected)


def assert_same(got, expected):
    """Same columns, rows and values; a missing value is missing whatever its dtype spells it as."""
    import pandas as pd

    def plain(frame):
        return frame.reset_index(drop=True).astype(object).where(frame.reset_index(drop=True).notna(), None)

    assert list(got.columns) == list(expected.columns)
    pd.testing.assert_frame_equal(plain(got), plain(expected), check_dtype=False)


def test_present_mode_and_handouts_are_measured(results):
    data, markdown = results
    present = data["present"]
    assert present["status"] == "ok" and present["slides"] == 10 and present["problems"] == []
    for key in ("next_slide_first", "next_slide_after_introduction", "next_slide_warm", "render_only"):
        assert is_number(present[key]["median_ms"]) and is_number(present[key]["p95_ms"])
    assert present["next_slide_first"]["n"] == 9  # nine moves through ten slides
    assert set(present["handouts"]) == {"html", "pdf", "pptx"}
    assert all(is_number(stats["median_ms"]) for stats in present["handouts"].values())
    assert "| next slide, warm |" in markdown and "| PDF handout of 10 slides" in markdown
