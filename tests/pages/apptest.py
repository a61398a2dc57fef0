"""Running a page under Streamlit's AppTest with URL parameters, and reading its URL back as a link."""

from __future__ import annotations

from collections.abc import Iterable

from streamlit.testing.v1 import AppTest

from dashboard.config import PROJECT_ROOT


def run_page(path: str, *, timeout: float = 60, **query: str) -> AppTest:
    """Run `path` (relative to the project) once, as if opened with `query` in its URL."""
    app = AppTest.from_file(str(PROJECT_ROOT / path), default_timeout=timeout)
    for key, value in query.items():
        app.query_params[key] = value
    return app.run()


def link(app: AppTest, keys: Iterable[str]) -> dict[str, str]:
    """The page's URL parameters `keys` as a copied link would carry them (one string each)."""
    values = {key: app.query_params[key] for key in keys}
    return {key: (value[0] if isinstance(value, list) else value) for key, value in values.items()}


def open_expanders(app: AppTest) -> AppTest:
    """Open every expander that draws its content only while open (the pages' "Data and downloads"), as a
    user clicking each would, and rerun: their tables and buttons are then in the element tree."""
    keys = [block.proto.id.split("-", 2)[2] for block in app.get("expander")
            if block.proto.id.count("-") >= 2 and not block.proto.expanded]
    for key in keys:
        app.session_state[key] = True
    return app.run() if keys else app
