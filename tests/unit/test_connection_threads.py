"""No DuckDB connection is shared across threads: the app's one cached connection per build is only ever
used through a cursor of its own per call (DuckDB's rule for threads), and many threads querying it at
once get exactly what one thread gets."""

import re
from concurrent.futures import ThreadPoolExecutor

from dashboard import db
from dashboard.config import PROJECT_ROOT

# Code that may run SQL on a connection object directly, and why that connection is never shared.
OWN_CONNECTIONS = {
    "dashboard/build.py": "the build's own read-write connection, one thread",
    "dashboard/db.py": "locks the connection down before anyone else can see it",
    "dashboard/state.py": "SQLite, a connection per call",
}
SINGLE_THREADED = ("dashboard/bench", "dashboard/sources/")  # the benchmark process; importers' own connections
DIRECT = re.compile(r"\bconnection\.(execute|executemany|sql|query|table|view|values|df|fetch\w*|arrow|pl|"
                    r"register|unregister|read_\w+|from_\w+|begin|commit|rollback)\(")


def test_app_code_runs_sql_on_a_cursor_per_call_never_on_the_shared_connection():
    offenders = []
    for path in sorted([*(PROJECT_ROOT / "dashboard").rglob("*.py"), *(PROJECT_ROOT / "pages").glob("*.py"),
                        PROJECT_ROOT / "app.py"]):
        name = path.relative_to(PROJECT_ROOT).as_posix()
        if name in OWN_CONNECTIONS or name.startswith(SINGLE_THREADED):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if DIRECT.search(line):
                offenders.append(f"{name}:{number}: {line.strip()}")
    assert offenders == []


def test_twenty_threads_on_one_connection_get_what_one_thread_gets(demo_db):
    calls = [("indicators/latest_by_country", {"indicator_code": code, "year": year, "who_regions": [],
                                               "income_groups": []})
             for code in ("SH.IMM.IDPT", "SH.IMM.MEAS", "SH.DYN.MORT", "SH.STA.BRTC") for year in (2015, 2020, 2024)]
    calls += [("profile/latest_by_indicator", {"iso3": iso3, "earlier_years": 5})
              for iso3 in ("KEN", "UGA", "GHA", "NGA", "IND", "PER", "BRA", "NOR")]
    expected = [db.run(demo_db.connection, name, **params) for name, params in calls]
    assert all(len(frame) > 0 for frame in expected)

    repeated = calls * 5
    with ThreadPoolExecutor(max_workers=20) as pool:
        got = list(pool.map(lambda call: db.run(demo_db.connection, call[0], **call[1]), repeated))
    for n, frame in enumerate(got):
        assert frame.equals(expected[n % len(calls)]), repeated[n]
