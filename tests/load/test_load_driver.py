"""The load driver counts what it must: checked against a real Streamlit server running a fixture app that
raises, shows an error box, hangs or dies on request, so failure detection cannot silently pass."""

import pytest

from dashboard import bench, load, navigation
from dashboard.localserver import running_dashboard

FIXTURE_APP = "tests/fixtures/load/failing_app.py"


def step(case: str) -> load.Step:
    return load.Step("", case, {"case": case})


def test_driver_counts_exceptions_error_boxes_timeouts_and_dropped_connections(tmp_path):
    cases = ["fine", "exception", "error", "slow", "fine", "exit"]
    with running_dashboard(tmp_path / "unused.duckdb", tmp_path / "server.log", script=FIXTURE_APP) as url:
        bounded = load.drive(url, [[step("fine")] * 5] * 2, timeout=20, max_seconds=0)
        report = load.drive(url, [[step(case) for case in cases]], timeout=20, max_seconds=600)

    # Past the time bound nothing more starts, and the report says which sessions were cut short.
    assert bounded["interactions"] == 0 and bounded["sessions_stopped_by_bounds"] == 2

    by_index = {r["index"]: r for r in report["records"] if r["interaction"] in cases}
    assert [by_index[i]["interaction"] for i in range(len(cases))] == cases
    assert by_index[0]["problems"] == [] and by_index[4]["problems"] == []
    assert by_index[0]["build_id"] == "fixture-build-1"
    # The server hides error details (client.showErrorDetails), so the exception's text is Streamlit's own.
    assert len(by_index[1]["problems"]) == 1 and by_index[1]["problems"][0].startswith("exception ")
    assert by_index[2]["problems"] == ["error box: Deliberate error box"]
    assert by_index[3]["problems"] == ["no end of run within 20 s"] and by_index[3]["ms"] is None
    assert by_index[5]["problems"][0].startswith("connection dropped")
    # The server is gone after "exit": the session says so and stops.
    assert report["records"][-1]["problems"] == ["server no longer answers"]
    assert report["failure_count"] == 5
    assert report["finished"] == 4  # fine, exception, error, fine: each ran to its end
    assert report["time"]["n"] == 4


@pytest.mark.parametrize("url", [
    "http://example.org:8501", "https://127.0.0.1:8501", "http://10.0.0.5:8501", "http://127.0.0.1",
    "http://127.0.0.1:8501/?page=x", "http://user@127.0.0.1:8501",
])
def test_driver_refuses_anything_but_a_local_server(url):
    with pytest.raises(load.LoadError, match="--url"):
        load.drive(url, [[step("fine")]])


def test_driver_bounds_the_number_of_sessions():
    with pytest.raises(load.LoadError, match="--sessions 201"):
        load.drive("http://127.0.0.1:9", [[]] * 201)


def test_plan_visits_every_page_and_uses_the_benchmark_interactions(fixture_db):
    found = bench.samples(fixture_db.connection)
    sessions = load.plan(found, sessions=20, interactions=3)
    assert len(sessions) == 20 and all(len(steps) == 3 for steps in sessions)
    steps = [s for steps in sessions for s in steps]
    assert {s.page for s in steps} == {p.url_path for p in navigation.PAGES}
    scripted = {(s.page, s.interaction) for s in steps if s.interaction != bench.DEFAULT_VIEW}
    assert scripted <= {(page, name) for page, names in bench.SCRIPTS.items() for name in names}
    assert len(scripted) >= 4
    # Session s starts at page s of the navigation, and its plan is the same every time.
    assert [steps[0].page for steps in sessions[:len(navigation.PAGES)]] == [p.url_path for p in navigation.PAGES]
    assert load.plan(found, sessions=20, interactions=3) == sessions


def test_summary_reports_percentiles_failures_and_throughput():
    records = [load.Record(0, i, "trends", "x", "", "", 0.0, ms=float(ms)) for i, ms in enumerate(range(100, 1100, 100))]
    records.append(load.Record(1, 0, "about", "y", "a=1", "", 0.0, problems=["no end of run within 5 s"]))
    report = load.summary(records, 5.0, sessions=2)
    assert report["time"] == {"n": 10, "p50_ms": 550.0, "p95_ms": 955.0, "max_ms": 1000.0}
    assert report["interactions_per_second"] == 2.0
    assert report["failures"] == [{"session": 1, "index": 0, "page": "about", "interaction": "y",
                                   "query_string": "a=1", "message": "no end of run within 5 s"}]
    assert report["pages"]["trends"]["visits"] == 10 and report["pages"]["about"]["time"] is None


def test_commands_refuse_a_remote_host_or_a_silent_server_in_one_line():
    from typer.testing import CliRunner

    from dashboard.cli import app

    runner = CliRunner()
    remote = runner.invoke(app, ["load", "--url", "http://example.org:8501"])
    assert remote.exit_code == 1
    assert remote.output.strip().splitlines() == [
        "error: --url http://example.org:8501: only http://127.0.0.1:PORT (or localhost, [::1]) can be driven; "
        "load runs against a server on this machine only"]
    silent = runner.invoke(app, ["check", "--url", "http://127.0.0.1:9"])
    assert silent.exit_code == 1
    assert silent.output.strip() == "error: --url http://127.0.0.1:9: no Streamlit server answers at " \
                                    "http://127.0.0.1:9/_stcore/health"
