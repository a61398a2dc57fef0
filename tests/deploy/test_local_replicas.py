"""`deploy/local.sh up 2`: two replicas behind HAProxy share simultaneous sessions (the load driver, over
Streamlit's WebSocket protocol) and browser sessions, each browser kept to one replica; `down` stops exactly
what `up` started."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from dashboard import bench, db, load
from dashboard.config import PROJECT_ROOT
from dashboard.localserver import CHROMIUM_ARGS, free_port
from tests.fixtures.browser import chromium_or_skip

HAPROXY = shutil.which("haproxy", path=f"{os.environ.get('PATH', '')}:/usr/sbin")
RENDER_TIMEOUT = 90_000  # ms: a first page on a busy 2-core machine

pytestmark = pytest.mark.skipif(HAPROXY is None,
                                reason="haproxy is not installed (tests/run.sh installs Debian's package)")


def local_sh(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(PROJECT_ROOT / "deploy" / "local.sh"), *args], env=env, cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=400)


def connects(port: int) -> int:
    """Sessions a replica has opened so far (Streamlit's own metrics)."""
    text = urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/metrics", timeout=10).read().decode()
    return int(re.search(r'session_events_total\{type="connect"\} (\d+)', text).group(1))


def running(pid: int) -> bool:
    """Whether the process runs (a zombie waiting for init to reap it has ended)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return re.search(r"^State:\s+Z", status, re.MULTILINE) is None


@pytest.fixture
def replicas(demo_warehouse, tmp_path):
    """Two replicas and HAProxy on free ports, serving the demo warehouse; stopped afterwards whatever
    happens."""
    ports = {"HSS_LB_PORT": free_port(), "HSS_LB_STATS_PORT": free_port(), "HSS_REPLICA_PORT": free_port()}
    while any(p in (ports["HSS_REPLICA_PORT"] + 1,) for p in (ports["HSS_LB_PORT"], ports["HSS_LB_STATS_PORT"])):
        ports["HSS_REPLICA_PORT"] = free_port()
    env = {**os.environ, **{k: str(v) for k, v in ports.items()}, "HSS_WAREHOUSE": str(demo_warehouse),
           "HSS_RUN_DIR": str(tmp_path / "run")}
    env.pop("HSS_PUBLICATION", None)
    env.pop("STREAMLIT_SERVER_COOKIE_SECRET", None)
    started = local_sh("up", "2", env=env)
    try:
        assert started.returncode == 0, started.stdout + started.stderr
        yield env, ports, tmp_path / "run", demo_warehouse
    finally:
        local_sh("down", env=env)


def test_two_replicas_serve_sessions_behind_haproxy_and_down_stops_them(replicas):
    env, ports, run, warehouse = replicas
    url = f"http://127.0.0.1:{ports['HSS_LB_PORT']}"
    first, second = ports["HSS_REPLICA_PORT"], ports["HSS_REPLICA_PORT"] + 1
    pids = {name: int((run / f"{name}.pid").read_text()) for name in ("replica1", "replica2", "haproxy")}

    # Both replicas got the one cookie secret (XSRF tokens signed by one are accepted by the other).
    secrets = {re.search(rb"STREAMLIT_SERVER_COOKIE_SECRET=([0-9a-f]+)", Path(f"/proc/{pids[n]}/environ")
                         .read_bytes()).group(1) for n in ("replica1", "replica2")}
    assert len(secrets) == 1 and secrets.pop().decode() == (run / "cookie_secret").read_text().strip()

    # Headers and the closed internal endpoints, through HAProxy.
    response = urllib.request.urlopen(url, timeout=30)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["Strict-Transport-Security"] is None  # plain HTTP: no HSTS
    with pytest.raises(urllib.error.HTTPError, match="404"):
        urllib.request.urlopen(f"{url}/_stcore/script-health-check", timeout=30)

    # Four simultaneous sessions of two interactions each: HAProxy shares them out, nothing fails.
    before = {first: connects(first), second: connects(second)}
    opened = db.open_read_only(warehouse)
    found = bench.samples(opened.connection)
    opened.connection.close()
    report = load.drive(url, load.plan(found, 4, 2), timeout=180, max_seconds=600,
                        server_pids=[pids["replica1"], pids["replica2"]])
    assert report["failure_count"] == 0, report["failures"]
    assert report["finished"] == 8
    assert connects(first) > before[first] and connects(second) > before[second]
    assert [m["pid"] for m in report["memory"]] == [pids["replica1"], pids["replica2"]]

    before = {first: connects(first), second: connects(second)}
    executable = chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        cookies = []
        for _ in range(2):  # two advisers: two browsers with no cookie yet
            context = browser.new_context(viewport={"width": 1280, "height": 720})
            page = context.new_page()
            page.goto(url)
            page.get_by_role("heading", name="Overview map").wait_for(timeout=RENDER_TIMEOUT)
            page.locator("[data-testid='stVegaLiteChart']").first.wait_for(timeout=RENDER_TIMEOUT)
            assert page.locator("[data-testid='stException']").count() == 0
            cookies.append({c["name"]: c["value"] for c in context.cookies()}["HSSREPLICA"])
            if len(cookies) == 1:
                kept = context
            else:
                context.close()
        assert sorted(cookies) == ["r1", "r2"]
        after_two = {first: connects(first), second: connects(second)}
        assert after_two[first] - before[first] >= 1 and after_two[second] - before[second] >= 1

        # The first adviser opens another page: the same replica serves it.
        page = kept.new_page()
        page.goto(f"{url}/trends")
        page.get_by_role("heading", name="Trends").wait_for(timeout=RENDER_TIMEOUT)
        sticky = first if cookies[0] == "r1" else second
        other = second if sticky == first else first
        assert connects(sticky) == after_two[sticky] + 1 and connects(other) == after_two[other]
        browser.close()

    stopped = local_sh("down", env=env)
    assert stopped.returncode == 0 and stopped.stdout.strip() == "stopped 3 processes"
    assert [name for name, pid in pids.items() if running(pid)] == []
    assert list(run.glob("*.pid")) == []
