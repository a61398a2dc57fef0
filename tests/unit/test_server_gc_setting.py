"""The server skips Streamlit's full garbage collection after every script run: under twenty sessions it took
a third of the server's time (README, Benchmarks: load), and memory stayed within a few tens of MB of a
server that collects (the collector Python runs on its own still does)."""

import tomllib

from dashboard.config import PROJECT_ROOT


def test_server_does_not_collect_garbage_after_every_run():
    settings = tomllib.loads((PROJECT_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert settings["runner"]["postScriptGC"] is False
