"""The app says what is wrong with the warehouse and how to rebuild it, never rebuilds a demo inside the server
after a first start, recovers when a good file is back, and keeps a page working when a query times out."""

from __future__ import annotations

import dataclasses
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import bootstrap, sql
from dashboard.config import PROJECT_ROOT
from dashboard.sources import imports
from tests.fixtures.warehouse import real_import

TIMEOUT = 60
NEVER_ENDS = "select count(*) from range(1000000000000) a, range(1000000) b"  # interrupted long before the end


@pytest.fixture
def served(tmp_path, demo_warehouse, use_warehouse, monkeypatch):
    """A copy of the demo warehouse the app has served once, with an empty import store beside it."""
    monkeypatch.setenv("HSS_IMPORTS_DIR", str(tmp_path / "imports"))
    monkeypatch.setattr(bootstrap, "_SERVED", set())
    target = use_warehouse(tmp_path / "warehouse.duckdb")
    shutil.copy(demo_warehouse, target)
    app = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=TIMEOUT).run()
    assert not app.exception and app.title[0].value == "Overview map"
    return app, target, demo_warehouse


def _error_text(app: AppTest) -> str:
    return " ".join(e.value for e in app.error)


def test_a_warehouse_deleted_while_serving_is_reported_not_rebuilt_as_a_demo(served):
    app, target, good = served
    target.unlink()
    app.run()
    assert not app.exception
    assert "The warehouse is missing" in _error_text(app) and "python -m dashboard build" in _error_text(app)
    assert not target.exists() and not app.get("status")  # nothing was built inside the server
    assert not app.title
    shutil.copy(good, target)
    app.button(key="warehouse-try-again").click().run()
    assert not app.exception and not app.error and app.title[0].value == "Overview map"


@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty"])
def test_a_damaged_warehouse_is_reported_and_the_app_recovers(served, damage):
    app, target, good = served
    whole = target.read_bytes()
    target.unlink()  # a new inode, as a copy or a botched restore would make
    target.write_bytes({"truncated": whole[: len(whole) // 2], "garbage": b"not a database " * 100,
                        "empty": b""}[damage])
    app.run()
    assert not app.exception
    assert "The warehouse cannot be read" in _error_text(app) and "--no-demo" in _error_text(app)
    assert not app.title
    target.unlink()
    shutil.copy(good, target)
    app.run()
    assert not app.exception and not app.error and app.title[0].value == "Overview map"


def test_no_demo_is_built_inside_the_server_when_imports_exist(tmp_path, use_warehouse, monkeypatch):
    store = tmp_path / "imports"
    imports.write(real_import(), store)  # e.g. a warehouse built --no-demo from these, then deleted
    monkeypatch.setenv("HSS_IMPORTS_DIR", str(store))
    monkeypatch.setattr(bootstrap, "_SERVED", set())
    target = use_warehouse(tmp_path / "warehouse.duckdb")
    app = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=TIMEOUT).run()
    assert not app.exception
    assert "The warehouse is missing" in _error_text(app)
    assert not target.exists() and not app.get("status")


def test_a_query_past_the_time_limit_is_stopped_and_the_page_keeps_working(served, monkeypatch):
    app, _, _ = served
    original = sql.load

    def slow(name, *args, **kwargs):
        query = original(name, *args, **kwargs)
        if name != "indicators/latest_by_country":
            return query
        text = f"select * from ({query.text}) where ({NEVER_ENDS}) > 0"
        return dataclasses.replace(query, text=text, digest="slow" + query.digest)

    monkeypatch.setenv("HSS_QUERY_TIMEOUT_S", "0.5")
    monkeypatch.setattr(sql, "load", slow)
    app.run()
    assert not app.exception
    assert app.title[0].value == "Overview map"  # what came before the slow query is still there
    assert "took too long to compute" in " ".join(w.value for w in app.warning)
    monkeypatch.setattr(sql, "load", original)
    app.run()
    assert not app.exception and app.title[0].value == "Overview map"
    assert not any("took too long" in w.value for w in app.warning)
    assert app.get("arrow_vega_lite_chart") or app.get("vega_lite_chart")


def test_the_first_start_build_runs_under_the_apps_own_navigation(tmp_path, use_warehouse, monkeypatch):
    """The navigation (the app's sections and page titles, at the top) is declared before the build starts,
    so its progress shows under it rather than under Streamlit's raw list of page files."""
    import streamlit as st

    from dashboard import build, navigation

    use_warehouse(tmp_path / "fresh" / "warehouse.duckdb")
    monkeypatch.setenv("HSS_IMPORTS_DIR", str(tmp_path / "imports"))
    monkeypatch.setattr(bootstrap, "_SERVED", set())
    calls = []
    declare = st.navigation

    def recording_navigation(pages, **kwargs):
        calls.append(("navigation", {section: [p.title for p in specs] for section, specs in pages.items()},
                      kwargs.get("position")))
        return declare(pages, **kwargs)

    def failing_build(**kwargs):
        calls.append(("build",))
        raise build.BuildError("stopped here by the test")

    monkeypatch.setattr(st, "navigation", recording_navigation)
    monkeypatch.setattr(build, "build", failing_build)
    app = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=TIMEOUT).run()
    assert not app.exception
    assert [c[0] for c in calls] == ["navigation", "build"]
    assert calls[0][1] == {section: [p.title for p in specs] for section, specs in navigation.sections().items()}
    assert calls[0][2] == "top"
    assert app.get("status")[0].label == "The warehouse could not be built"
    assert "stopped here by the test" in _error_text(app)
