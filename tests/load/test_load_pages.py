"""Twenty simultaneous sessions through every page of the real server (`streamlit run app.py`) on the demo
warehouse: no session meets an exception, an error box, a timeout or a dropped connection. CI-sized
(3 interactions each); times are reported by `python -m dashboard load`, never asserted."""

from dashboard import bench, load, navigation
from dashboard.localserver import running_dashboard

SESSIONS = 20
INTERACTIONS = 3


def test_twenty_sessions_through_every_page_without_a_failure(demo_warehouse, demo_db, tmp_path):
    sessions = load.plan(bench.samples(demo_db.connection), SESSIONS, INTERACTIONS)
    with running_dashboard(demo_warehouse, tmp_path / "server.log") as url:
        report = load.drive(url, sessions, timeout=240, max_seconds=900)

    assert report["failures"] == []
    assert report["interactions"] == report["finished"] == SESSIONS * INTERACTIONS
    for page in navigation.PAGES:
        entry = report["pages"][page.url_path]
        assert entry["visits"] >= 1 and entry["ran"] == entry["visits"], (page.url_path, entry)
    assert report["memory"] and report["memory"][0]["rss_mb_after"] > 0
