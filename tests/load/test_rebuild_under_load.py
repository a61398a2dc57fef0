"""Rebuilds under load: while twenty sessions go through the pages of the real server, the warehouse is
rebuilt twice and a file is imported (which rebuilds again). No session meets a failure, every session's
later visit to About shows the last build, no session sees a build going backwards, the server lets go
of the replaced files, and data/ holds nothing beyond what the next swap needs."""

import itertools
import os
import re
import subprocess
import sys
import threading
from dataclasses import replace
from pathlib import Path

from dashboard import bench, db, load
from dashboard.config import PROJECT_ROOT
from dashboard.localserver import running_dashboard

SESSIONS = 20
INTERACTIONS_BOUND = 100  # per session while the rebuilds run; each session's run is bounded in count
HEAT_FILE = PROJECT_ROOT / "tests" / "fixtures" / "heat" / "ghana_sba.csv"
BUILT = re.compile(r"\(build (\S+)\)")


def command(*args: str, env: dict) -> str:
    """Run `python -m dashboard ...`; its output, which must name the build it swapped in."""
    done = subprocess.run([sys.executable, "-m", "dashboard", *args], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return BUILT.findall(done.stdout)[-1]


def while_building(steps, started: threading.Event, finished: threading.Event):
    """The session's steps over and over until the rebuilds have finished, then its next step and the
    About page (which shows the build id)."""
    for count, step in enumerate(itertools.cycle(steps)):
        if finished.is_set() or count >= INTERACTIONS_BOUND:
            yield replace(step, tag="after")
            break
        started.set()
        yield replace(step, tag="during")
    yield load.Step("about", bench.DEFAULT_VIEW, {}, "after")


def deleted_files_held(pid: int) -> list[str]:
    """Files the process still holds open although they were replaced or removed."""
    held = []
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.endswith("(deleted)"):
            held.append(target)
    return held


def test_rebuilds_and_an_import_under_load(tmp_path):
    data = tmp_path / "data"
    target = data / "warehouse.duckdb"
    env = {**os.environ, "HSS_WAREHOUSE": str(target), "HSS_IMPORTS_DIR": str(data / "imports")}
    first = command("build", "--warehouse", str(target), env=env)
    before = sorted(p.name for p in data.iterdir())
    assert before == [".warehouse.build.lock", "warehouse.duckdb"]
    warehouse = db.open_read_only(target)
    try:
        plans = load.plan(bench.samples(warehouse.connection), SESSIONS, len(load.navigation.PAGES))
    finally:
        warehouse.connection.close()

    started, finished, builds, errors = threading.Event(), threading.Event(), [first], []

    def rebuild():
        try:
            started.wait(300)
            builds.append(command("build", "--warehouse", str(target), env=env))
            builds.append(command("build", "--warehouse", str(target), env=env))
            builds.append(command("import", "heat", str(HEAT_FILE), env=env))
        except BaseException as exc:  # reported by the test below, not lost in the thread
            errors.append(exc)
        finally:
            finished.set()

    builder = threading.Thread(target=rebuild)
    with running_dashboard(target, tmp_path / "server.log") as url:
        builder.start()
        try:
            report = load.drive(url, [while_building(steps, started, finished) for steps in plans],
                                timeout=240, max_seconds=1500)
        finally:
            builder.join()
        held = deleted_files_held(report["memory"][0]["pid"])

    assert errors == []
    assert len(set(builds)) == 4, builds
    assert report["failures"] == []
    records = report["records"]
    assert sum(r["tag"] == "during" for r in records) >= SESSIONS
    order = {build_id: n for n, build_id in enumerate(builds)}
    for session in range(SESSIONS):
        seen = [r["build_id"] for r in records if r["session"] == session and r["build_id"]]
        assert set(seen) <= set(builds), seen  # only whole builds, never anything else
        assert [order[b] for b in seen] == sorted(order[b] for b in seen), seen  # never back to an older one
        after = [r for r in records if r["session"] == session and r["tag"] == "after"]
        assert len(after) == 2 and after[-1]["page"] == "about" and after[-1]["build_id"] == builds[-1], after
    # The replaced warehouses are closed once no query uses them; data/ holds the warehouse, the build
    # lock and the import, and no temporary file of any build.
    assert not [path for path in held if "warehouse" in path], held
    assert sorted(p.name for p in data.iterdir()) == sorted([*before, "imports"])
    assert [p.name for p in (data / "imports").iterdir()] == ["HEAT_ghana_sba"]
