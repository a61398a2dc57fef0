"""Twenty sessions at once: every chart of every page still carries its own data (charts are converted under
one lock, so no session's conversion picks up another's data transformer)."""

import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.pages.apptest import run_page

SESSIONS = [
    ("pages/overview.py", {"indicator": code, "year": "2020", "view": view})
    for code in ("SH.IMM.IDPT", "SH.DYN.MORT") for view in ("map", "distribution")
] + [
    ("pages/trends.py", {"indicator": "SH.IMM.IDPT", "countries": countries})
    for countries in ("KEN,UGA", "NOR,SWE", "IND,BGD", "BRA,ARG")
] + [
    ("pages/country.py", {"country": iso3}) for iso3 in ("KEN", "UGA", "GHA", "NGA", "IND", "PER")
] + [
    ("pages/equity.py", {"country": iso3}) for iso3 in ("KEN", "UGA", "GHA", "NGA", "IND", "PER")
]


@pytest.fixture(autouse=True)
def on_demo(demo_warehouse, use_warehouse):
    use_warehouse(demo_warehouse)


def charts_with_data(app) -> list[int]:
    """For each chart on the page, how many data rows its spec carries."""
    counts = []
    for chart in app.get("vega_lite_chart"):
        spec = json.loads(chart.proto.spec)
        inline = sum(len(rows) for rows in spec.get("datasets", {}).values())
        counts.append(inline + len(chart.proto.datasets))
    return counts


def test_twenty_concurrent_sessions_render_every_chart_with_its_data():
    assert len(SESSIONS) == 20
    with ThreadPoolExecutor(max_workers=len(SESSIONS)) as pool:
        apps = list(pool.map(lambda session: run_page(session[0], timeout=600, **session[1]), SESSIONS))
    for (path, params), app in zip(SESSIONS, apps):
        assert not app.exception, (path, params, app.exception)
        counts = charts_with_data(app)
        assert counts and all(count > 0 for count in counts), (path, params, counts)
