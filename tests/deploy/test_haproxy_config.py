"""deploy/haproxy.cfg is valid for Debian's HAProxy and holds what a public deployment of Streamlit needs."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from dashboard.config import PROJECT_ROOT

CONFIG = PROJECT_ROOT / "deploy" / "haproxy.cfg"
HAPROXY = shutil.which("haproxy", path=f"{os.environ.get('PATH', '')}:/usr/sbin")


@pytest.mark.skipif(HAPROXY is None, reason="haproxy is not installed (tests/run.sh installs Debian's package)")
def test_haproxy_accepts_the_configuration():
    done = subprocess.run([HAPROXY, "-c", "-f", str(CONFIG)], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Configuration file is valid" in done.stdout
    assert "WARNING" not in done.stdout + done.stderr


def lines() -> list[str]:
    return [line.split("#")[0].strip() for line in CONFIG.read_text().splitlines() if line.split("#")[0].strip()]


def test_sessions_stick_to_one_replica_and_websockets_stay_open():
    assert 'cookie HSSREPLICA insert indirect nocache httponly attr "SameSite=Lax"' in lines()
    assert [line for line in lines() if line.startswith("server ")] == [
        "server replica1 127.0.0.1:8501 check cookie r1", "server replica2 127.0.0.1:8502 check cookie r2"]
    assert "timeout tunnel 1h" in lines()


def test_replicas_are_checked_on_the_health_endpoint_and_by_running_the_page():
    checks = [line for line in lines() if line.startswith("http-check")]
    assert checks == ["http-check connect", "http-check send meth GET uri /_stcore/health",
                      "http-check expect string ok", "http-check connect",
                      "http-check send meth GET uri /_stcore/script-health-check", "http-check expect status 200"]
    assert "http-request deny status 404 if { path_beg /_stcore/metrics /_stcore/script-health-check }" in lines()


def test_security_headers_with_hsts_only_on_tls():
    headers = dict(re.match(r"http-response set-header (\S+) (.+)", line).groups()
                   for line in lines() if line.startswith("http-response set-header"))
    csp = dict(part.strip().split(" ", 1) for part in headers["Content-Security-Policy"].strip('"').split(";"))
    assert csp["default-src"] == "'self'" and csp["frame-ancestors"] == "'self'" and csp["object-src"] == "'none'"
    assert csp["connect-src"] == "'self'"  # no other origin: the app works offline
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["Strict-Transport-Security"] == '"max-age=31536000" if { ssl_fc }'
